/**
 * Storage over the horizon, month by month, from what one simulated period
 * wrote per day. Each category grows in one of three ways:
 * - accumulating (events, state groups, media): every day adds its bytes,
 *   purged after `retentionDays` when retention is on (Synapse's purge also
 *   deletes state groups no longer referenced, so state groups go with it);
 * - a rolling window (URL previews, device-list changes, push actions, and
 *   stale devices' to-device messages when stale devices are deleted): only
 *   the last few days are kept, so the category stays at window x daily bytes;
 * - saturating (receipts): one row per (room, member), upserted, so it
 *   approaches its cap.
 * Daily bytes scale with the number of users, which grows by the scenario's
 * monthly rate; the base (room state, users, devices) scales the same way.
 */
import { K } from './coefficients.js';
import { STORAGE_CATEGORIES, type StorageCategory } from './metrics.js';

export interface StorageInputs {
  /** Bytes present at the start, per category. */
  baseBytes: Record<StorageCategory, number>;
  /** Bytes added per (weekly-average) day at the starting user count, per category. */
  bytesPerDay: Record<StorageCategory, number>;
  /** Receipt storage cap at the starting user count, bytes. */
  receiptCapBytes: number;
  growthPerMonth: number;
  retentionDays: number | null;
  horizonMonths: number;
  /** Rolling windows set by the scenario, days, beyond the fixed ones. */
  windowDays?: Partial<Record<StorageCategory, number>>;
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
const PURGED: ReadonlySet<StorageCategory> = new Set(['eventJson', 'eventRows', 'stateGroups', 'localMedia', 'thumbnails', 'remoteMedia']);

/**
 * Project storage month by month, month 0 being the start.
 * @example projectStorage({ ..., horizonMonths: 36 }).at(-1)!.total // bytes after three years
 */
export function projectStorage(o: StorageInputs, users0: number): StorageMonth[] {
  const days = K.averageDaysPerMonth;
  const months: StorageMonth[] = [];
  const grown = Object.fromEntries(STORAGE_CATEGORIES.map((c) => [c, 0])) as Record<StorageCategory, number>;
  // The user scale of each month written so far, to know what retention keeps.
  const history: { scale: number }[] = [];
  for (let m = 0; m <= o.horizonMonths; m++) {
    const scale = Math.pow(1 + o.growthPerMonth, m);
    const byCategory = {} as Record<StorageCategory, number>;
    for (const c of STORAGE_CATEGORIES) {
      const base = o.baseBytes[c] * scale;
      const daily = o.bytesPerDay[c] * scale;
      let value: number;
      const window = o.windowDays?.[c] ?? WINDOW_DAYS[c];
      if (window !== undefined) {
        value = base + daily * Math.min(window, m * days);
      } else if (c === 'receipts') {
        const cap = o.receiptCapBytes * scale;
        // Rows fill at `daily` until the cap: exponential approach keeps the first days' rate.
        value = base + (cap > 0 ? cap * (1 - Math.exp((-daily * m * days) / cap)) : 0);
      } else if (o.retentionDays !== null && PURGED.has(c)) {
        // Kept: the last retentionDays of writes, at the rates of the months they were written.
        let keptDays = o.retentionDays;
        let kept = 0;
        for (let back = m; back >= 1 && keptDays > 0; back--) {
          const span = Math.min(days, keptDays);
          kept += o.bytesPerDay[c] * history[back - 1]!.scale * span;
          keptDays -= span;
        }
        value = base + kept;
      } else {
        value = base + grown[c];
        grown[c] += daily * days;
      }
      byCategory[c] = value;
    }
    history.push({ scale });
    const total = STORAGE_CATEGORIES.reduce((s, c) => s + byCategory[c], 0);
    months.push({ month: m, users: users0 * scale, byCategory, total });
  }
  return months;
}
