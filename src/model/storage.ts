/**
 * Storage over the horizon, month by month, from what one simulated period
 * wrote per day. Each category grows in one of four ways:
 * - accumulating (events, state groups, auth chains, sliding-sync
 *   snapshots, key backup, stale devices' to-device messages, search rows,
 *   media): every day adds its bytes, purged after `retentionDays` when
 *   retention is on, or per room kind after each part's days
 *   (`retentionParts`; Synapse's purge also deletes state groups no longer
 *   referenced, so state groups go with it, and the event_search rows);
 * - a rolling window (URL previews, device-list changes, push actions, and
 *   stale devices' to-device messages when stale devices are deleted): only
 *   the last few days are kept, so the category stays at window x daily bytes;
 * - saturating (receipts): one row per (room, member), upserted, so it
 *   approaches its cap;
 * - current (user directory): rows for present memberships only; a leave
 *   deletes what a join added, so the category is what the membership of
 *   the month implies and the run's writes are churn.
 * Daily bytes scale with the number of users, which grows by the scenario's
 * monthly rate; the base (room state, users, devices) scales the same way,
 * except the part that grows with the square of the users (user-directory
 * rows of private rooms whose number is fixed, which grow in members).
 *
 * Two factors follow: synapse_auto_compressor keeps `stateCompressorFactor`
 * of the state-group rows written over the horizon, and PostgreSQL holds
 * `postgresOverheadFactor` bytes on disk per byte of the database
 * categories; the excess is its own category, `postgresOverhead`.
 */
import { K } from './coefficients.js';
import { STORAGE_CATEGORIES, WRITTEN_DATABASE_CATEGORIES, WRITTEN_STORAGE_CATEGORIES, type StorageCategory, type WrittenStorageCategory } from './metrics.js';

export interface StorageInputs {
  /** Bytes present at the start, per category. */
  baseBytes: Record<WrittenStorageCategory, number>;
  /** Of `baseBytes`, bytes that grow with the square of the user scale (the rest grows linearly). */
  quadraticBaseBytes: Partial<Record<WrittenStorageCategory, number>>;
  /** Bytes added per (weekly-average) day at the starting user count, per category. */
  bytesPerDay: Record<WrittenStorageCategory, number>;
  /** Receipt storage cap at the starting user count, bytes. */
  receiptCapBytes: number;
  growthPerMonth: number;
  retentionDays: number | null;
  /**
   * Retention per part of the history (a room kind), instead of
   * `retentionDays`: each part's share of the purged categories' daily
   * bytes (`searchShare` for eventSearch, which only unencrypted rooms
   * write) and the days it keeps (null: for ever). The shares of the parts
   * sum to 1.
   */
  retentionParts?: readonly RetentionPart[];
  horizonMonths: number;
  /** Rolling windows set by the scenario, days, beyond the fixed ones. */
  windowDays?: Partial<Record<StorageCategory, number>>;
  /** synapse_auto_compressor runs (features.stateCompressor). */
  stateCompressor: boolean;
  /** PostgreSQL bytes on disk per byte of the database categories (1: none; K.postgresOverheadFactor typical). */
  postgresOverheadFactor: number;
}

/** A part of the history (a room kind) with its own retention. */
export interface RetentionPart {
  /** Days kept; null: kept for ever. */
  days: number | null;
  /** Share of the purged categories' daily bytes. */
  share: number;
  /** Share of eventSearch's daily bytes. */
  searchShare: number;
}

export interface StorageMonth {
  month: number;
  users: number;
  byCategory: Record<StorageCategory, number>;
  total: number;
}

/** How many days of each rolling-window category are kept. */
const WINDOW_DAYS: Partial<Record<StorageCategory, number>> = {
  urlPreviews: K.urlPreviewCacheDays,
  deviceLists: K.deviceListChangesKeepDays,
  pushActions: K.pushActionKeepDays,
};

/** Categories that retention purges. */
const PURGED: ReadonlySet<StorageCategory> = new Set(['eventJson', 'eventRows', 'stateGroups', 'eventSearch', 'localMedia', 'thumbnails', 'remoteMedia']);

/** Categories that hold present memberships only: the run's writes are churn that leaves undo. */
const CURRENT: ReadonlySet<StorageCategory> = new Set(['userDirectory']);

/**
 * PostgreSQL's overhead on the database categories of `byCategory`: indexes
 * not counted in the row sizes, WAL kept, MVCC bloat, TOAST and free space,
 * `(factor - 1) x` their bytes.
 * @example postgresOverheadBytes({ ...zeros, eventJson: 100, localMedia: 50 }, 1.5) // 50: media is not in PostgreSQL
 */
export function postgresOverheadBytes(byCategory: Readonly<Record<WrittenStorageCategory, number>>, factor: number): number {
  let bytes = 0;
  for (const c of WRITTEN_DATABASE_CATEGORIES) bytes += byCategory[c];
  return (factor - 1) * bytes;
}

/**
 * Project storage month by month, month 0 being the start.
 * @example projectStorage({ ..., horizonMonths: 36 }).at(-1)!.total // bytes after three years
 */
export function projectStorage(o: StorageInputs, users0: number): StorageMonth[] {
  const days = K.averageDaysPerMonth;
  const months: StorageMonth[] = [];
  const grown = Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, 0])) as Record<WrittenStorageCategory, number>;
  // The user scale of each month written so far, to know what retention keeps.
  const history: { scale: number }[] = [];
  const parts: readonly RetentionPart[] | null = o.retentionParts ?? (o.retentionDays === null ? null : [{ days: o.retentionDays, share: 1, searchShare: 1 }]);
  // Bytes of category c written over the last `keep` days before month m, at the rates of the months they were written.
  const kept = (c: WrittenStorageCategory, keep: number, m: number): number => {
    let keptDays = keep;
    let bytes = 0;
    for (let back = m; back >= 1 && keptDays > 0; back--) {
      const span = Math.min(days, keptDays);
      bytes += o.bytesPerDay[c] * history[back - 1]!.scale * span;
      keptDays -= span;
    }
    return bytes;
  };
  for (let m = 0; m <= o.horizonMonths; m++) {
    const scale = Math.pow(1 + o.growthPerMonth, m);
    const byCategory = {} as Record<StorageCategory, number>;
    for (const c of WRITTEN_STORAGE_CATEGORIES) {
      const quadratic = o.quadraticBaseBytes[c] ?? 0;
      const base = (o.baseBytes[c] - quadratic) * scale + quadratic * scale * scale;
      const daily = o.bytesPerDay[c] * scale;
      // What the run's writes added by now, before the compressor.
      let added: number;
      const window = o.windowDays?.[c] ?? WINDOW_DAYS[c];
      if (CURRENT.has(c)) {
        added = 0;
      } else if (window !== undefined) {
        added = daily * Math.min(window, m * days);
      } else if (c === 'receipts') {
        const cap = o.receiptCapBytes * scale;
        // Rows fill at `daily` until the cap: exponential approach keeps the first days' rate.
        added = cap > 0 ? cap * (1 - Math.exp((-daily * m * days) / cap)) : 0;
      } else if (parts !== null && PURGED.has(c)) {
        // Kept: each part's last `days` of writes (all of them for a part kept for ever).
        added = 0;
        for (const p of parts) {
          const share = c === 'eventSearch' ? p.searchShare : p.share;
          if (share > 0) added += share * (p.days === null ? grown[c] : kept(c, p.days, m));
        }
        grown[c] += daily * days;
      } else {
        added = grown[c];
        grown[c] += daily * days;
      }
      if (c === 'stateGroups' && o.stateCompressor) added *= K.stateCompressorFactor;
      byCategory[c] = base + added;
    }
    byCategory.postgresOverhead = postgresOverheadBytes(byCategory, o.postgresOverheadFactor);
    history.push({ scale });
    const total = STORAGE_CATEGORIES.reduce((s, c) => s + byCategory[c], 0);
    months.push({ month: m, users: users0 * scale, byCategory, total });
  }
  return months;
}
