/**
 * What the cost model needs from a run, and how to get it from a run folder
 * (`summary.json` and `data/storage-horizon.csv`).
 *
 * Units: storage and traffic are in GiB (2^30 bytes). Price catalogs write
 * "GB" without telling GB from GiB; their per-GB prices are applied per GiB
 * (see data/prices/README.md).
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { auditBytesAtEnd } from '../analysis/governance-summary.js';
import { K } from '../model/coefficients.js';
import { DATABASE_CATEGORIES, DERIVED_STORAGE_CATEGORIES, MEDIA_CATEGORIES, STORAGE_CATEGORIES, WRITTEN_STORAGE_CATEGORIES, type StorageCategory } from '../model/metrics.js';
import type { StorageMonth } from '../model/storage.js';
import { CostInputError } from './errors.js';
import { costMessages as msg } from './messages.js';

/** Components of the bill of materials that carry call media: hosts of their own, nodes added as users grow. */
export const CALL_KINDS: ReadonlySet<string> = new Set(['sfu', 'turn']);

export interface CostInputs {
  /** Users at month 0. */
  users: number;
  /** Monthly user growth, e.g. 0.02; users(m) = users (1 + growthPerMonth)^m. */
  growthPerMonth: number;
  horizonMonths: number;
  /** Cores recommended at month 0 for the homeserver processes (PostgreSQL is sized separately, see CostOptions.dbCores). */
  cores: number;
  /** RAM recommended at month 0, GiB. */
  ramGiB: number;
  /** Homeserver processes (1 for a monolith). */
  processes: number;
  deployment: 'monolith' | 'workers';
  /** Database GiB at months 0..horizonMonths (DATABASE_CATEGORIES: the tables and PostgreSQL's overhead on them). */
  databaseGiBByMonth: number[];
  /** Media GiB at months 0..horizonMonths (local_media, thumbnails, remote_media, url_previews). */
  mediaGiBByMonth: number[];
  /** Internet egress at month 0, GiB per month (client + federation + media bytes out, and call media from the SFU); scales with users. */
  egressGiBPerMonth: number;
  /** Of which call media out of the SFU (0 without calls). */
  callEgressGiBPerMonth?: number;
  /** An audit archive's GiB at months 0..horizonMonths (object storage with a retention lock; absent: none), and of the egress, its off-site copy. */
  auditGiBByMonth?: number[];
  auditEgressGiBPerMonth?: number;
  /**
   * The components that run beside the homeserver and PostgreSQL (the SFU,
   * TURN, MAS and its database, push gateway, scanner, policy server, bot,
   * reverse proxy: the bill of materials), each instance a host's share,
   * at month 0: call media servers (CALL_KINDS) by a count of fixed-size
   * nodes that may be fractional (rounded up each month as users grow), the
   * others by their size (which grows with users). Absent or empty: none.
   */
  components?: { name: string; kind: string; count: number; cores: number; ramGiB: number }[];
  /**
   * PostgreSQL's cores and RAM at month 0, when the run's recommendation gives
   * them (then `cores` and `ramGiB` exclude them). Unset: CostOptions.dbCores
   * and dbRamGiB, else half the homeserver's.
   */
  databaseCores?: number;
  databaseRamGiB?: number;
}

/** Storage categories held in PostgreSQL. */

export const GIB = 1024 ** 3;
/** Homeserver RAM when the recommendation's RAM, rounded up, equals PostgreSQL's, also rounded up (GiB). */
export const MIN_HOMESERVER_RAM_GIB = 1;
/** Days in an average month, as the storage projection uses (K.averageDaysPerMonth). */
export const DAYS_PER_MONTH: number = K.averageDaysPerMonth;

const stat = z.object({ mean: z.number() });
const DEPLOYMENT_KIND = z.enum(['monolith', 'workers', 'multi-threaded']);

/** The part of summary.json the cost model reads (docs/OUTPUT.md). */
export const RunSummaryForCost = z.object({
  scenario: z.object({ name: z.string() }),
  world: z.object({ users: z.number().positive() }),
  activity: z.object({ weeklyAverageDayFactor: z.number().positive() }),
  /** An audit archive, when exported (governance.audit): object storage over the horizon, and egress when off-site. */
  governance: z.object({ audit: z.object({ bytesPerDay: stat, egressBytesPerDay: stat, lockYears: z.number().positive() }).optional() }).optional(),
  traffic: z.object({
    /** Calls on an SFU, when on: the media it sends out is egress too. */
    calls: z.object({ sfuEgressBytesPerDay: stat }).optional(),
    client: z.object({ bytesOutPerDay: stat }),
    federation: z.object({ bytesOutPerDay: stat }),
    media: z.object({ bytesOutPerDay: stat, federationBytesOutPerDay: stat }),
  }),
  storage: z.object({ horizonMonths: z.number().int().nonnegative() }),
  /**
   * From the server model, when it has run: the sizing recommendation. `cores`
   * and `ramGiB` include PostgreSQL's (`databaseCores`; `databaseRamGiB` when
   * given, else the RAM is split in proportion to cores). `deployment` is
   * the kind or an object with `kind` and `processes`; multi-threaded servers
   * run as one process on one host, like a monolith.
   */
  recommendation: z
    .object({
      cores: z.number().positive(),
      ramGiB: z.number().positive(),
      databaseCores: z.number().nonnegative(),
      databaseRamGiB: z.number().nonnegative(),
      processes: z.number().int().positive(),
      /** The users the recommendation is sized for (the horizon's when users grow): its figures are scaled back to today's users, the projection growing them again. */
      horizonUsers: z.number().positive(),
      deployment: z.union([DEPLOYMENT_KIND, z.object({ kind: DEPLOYMENT_KIND, processes: z.number().int().positive().optional() })]),
      /** The bill of materials (src/analysis/bill.ts): the components beside the homeserver and PostgreSQL get hosts of their own. */
      components: z
        .array(z.object({ name: z.string(), kind: z.string(), count: z.number().int().nonnegative(), cores: z.number().nonnegative(), ramGiB: z.number().nonnegative() }))
        .optional(),
    })
    .partial()
    .optional(),
});
export type RunSummaryForCost = z.infer<typeof RunSummaryForCost>;

export interface RunCostOptions {
  /** Used when the summary has no recommendation. */
  cores?: number;
  ramGiB?: number;
  processes?: number;
  deployment?: 'monolith' | 'workers';
  /** Shorter than the run's projection (not longer). */
  horizonMonths?: number;
  /** The scenario's growth per month (scenario.json population.growthPerMonth); else read from the projection's users. */
  growthPerMonth?: number;
}

const bytesToGiB = (b: number) => b / GIB;

/**
 * Cost inputs from a run's summary and storage projection. Cores and RAM come
 * from `summary.recommendation` when present (PostgreSQL's share split off
 * into databaseCores / databaseRamGiB), else from `options` (then required). Growth is options.growthPerMonth (the CLI reads it from the
 * run's scenario.json) or else read from the projection's user column: the
 * geometric mean over the horizon, (users_H / users_0)^(1/H) - 1 (the column
 * is rounded to 6 significant digits, so this is close, not exact). Egress is the
 * weekly-average day's client, federation and media bytes out, times
 * the days of an average month (K.averageDaysPerMonth, as the storage
 * projection uses).
 */
export function costInputsFromRun(summary: unknown, storage: readonly StorageMonth[], options: RunCostOptions = {}): CostInputs {
  const parsed = RunSummaryForCost.safeParse(summary);
  if (!parsed.success) {
    throw new CostInputError(parsed.error.issues.map((i) => msg.summaryField(i.path.join('.'), i.message)));
  }
  const s = parsed.data;
  const problems: string[] = [];
  const rec = s.recommendation;
  // A recommendation sized for the users at the end of the horizon is scaled back to today's users: the projection
  // grows every month's need with the users again (else the growth would count twice).
  const usersToday = storage[0]?.users;
  const today = rec?.horizonUsers !== undefined && usersToday !== undefined && usersToday > 0 && rec.horizonUsers > usersToday ? usersToday / rec.horizonUsers : 1;
  const recCores = rec?.cores !== undefined ? rec.cores * today : undefined;
  const recRam = rec?.ramGiB !== undefined ? rec.ramGiB * today : undefined;
  // The recommendation's cores and RAM include PostgreSQL's; the cost model places them separately.
  const dbCores = recCores !== undefined && rec?.databaseCores !== undefined ? Math.min(rec.databaseCores * today, recCores) : undefined;
  const dbRam =
    recRam === undefined || recCores === undefined || dbCores === undefined
      ? undefined
      : rec?.databaseRamGiB !== undefined
        ? Math.min(rec.databaseRamGiB * today, recRam)
        : recCores > 0
          ? (recRam * dbCores) / recCores
          : 0;
  const cores = recCores !== undefined ? recCores - (dbCores ?? 0) : options.cores;
  let ramGiB = recRam !== undefined ? recRam - (dbRam ?? 0) : options.ramGiB;
  // The server model rounds both RAM figures up to whole GiB, so equal figures
  // mean the homeserver needs less than 1 GiB: price it with 1 GiB.
  if (recRam !== undefined && rec?.databaseRamGiB !== undefined && ramGiB !== undefined && ramGiB === 0) ramGiB = MIN_HOMESERVER_RAM_GIB;
  if (cores === undefined) problems.push(msg.noRecommendedCores());
  if (ramGiB === undefined) problems.push(msg.noRecommendedRam());
  if (cores !== undefined && !(cores > 0)) problems.push(msg.noCoresLeft(recCores, dbCores));
  if (ramGiB !== undefined && !(ramGiB > 0)) problems.push(msg.noRamLeft(recRam, dbRam));
  if (storage.length < 2) problems.push(msg.projectionTooShort(storage.length));
  const available = storage.length - 1;
  const horizon = options.horizonMonths ?? available;
  if (horizon > available) problems.push(msg.horizonBeyondProjection(horizon, available));
  if (horizon < 1) problems.push(msg.horizonBelowOne(horizon));
  storage.forEach((month, i) => {
    if (month.month !== i) problems.push(msg.projectionMonth(i + 1, month.month, i));
  });
  const first = storage[0];
  const last = storage[available];
  // Each of these missing has put its problem in the list.
  if (problems.length > 0 || cores === undefined || ramGiB === undefined || first === undefined || last === undefined) {
    throw new CostInputError(problems);
  }

  const growth = available > 0 && first.users > 0 ? Math.pow(last.users / first.users, 1 / available) - 1 : 0;
  const months = storage.slice(0, horizon + 1);
  const sum = (m: StorageMonth, cats: readonly StorageCategory[]) => cats.reduce((t, c) => t + (m.byCategory[c] ?? 0), 0);
  const t = s.traffic;
  const callBytesOutPerDay = t.calls?.sfuEgressBytesPerDay.mean ?? 0;
  const audit = s.governance?.audit;
  const auditBytesOutPerDay = audit?.egressBytesPerDay.mean ?? 0;
  const bytesOutPerDay =
    t.client.bytesOutPerDay.mean +
    t.federation.bytesOutPerDay.mean +
    t.media.bytesOutPerDay.mean +
    t.media.federationBytesOutPerDay.mean +
    callBytesOutPerDay +
    auditBytesOutPerDay;
  const perMonth = (bytesPerDay: number) => bytesToGiB(Math.max(0, bytesPerDay) * s.activity.weeklyAverageDayFactor * DAYS_PER_MONTH);
  const components = (rec?.components ?? [])
    .filter((c) => !HOMESERVER_KINDS.has(c.kind) && c.count > 0 && (c.cores > 0 || c.ramGiB > 0))
    // Scaled back to today's users: call media servers by their number (a node's size is fixed: one call never spans
    // nodes), the others by their size.
    .map((c) =>
      CALL_KINDS.has(c.kind)
        ? { name: c.name, kind: c.kind, count: c.count * today, cores: c.cores, ramGiB: c.ramGiB }
        : { name: c.name, kind: c.kind, count: c.count, cores: c.cores * today, ramGiB: c.ramGiB * today },
    );
  const recKind = typeof rec?.deployment === 'string' ? rec.deployment : rec?.deployment?.kind;
  const recProcesses = typeof rec?.deployment === 'object' ? (rec.deployment.processes ?? rec.processes) : rec?.processes;
  const kind = recKind ?? options.deployment ?? ((recProcesses ?? options.processes ?? 1) > 1 ? 'workers' : 'monolith');
  const deployment: CostInputs['deployment'] = kind === 'workers' ? 'workers' : 'monolith';
  const processes = deployment === 'monolith' ? 1 : (recProcesses ?? options.processes ?? 1);
  const growthOut = options.growthPerMonth ?? (Math.abs(growth) < 1e-9 ? 0 : growth);
  return {
    users: first.users,
    growthPerMonth: growthOut,
    horizonMonths: horizon,
    cores,
    ramGiB,
    processes,
    deployment,
    databaseGiBByMonth: months.map((m) => bytesToGiB(sum(m, DATABASE_CATEGORIES))),
    mediaGiBByMonth: months.map((m) => bytesToGiB(sum(m, MEDIA_CATEGORIES))),
    egressGiBPerMonth: perMonth(bytesOutPerDay),
    ...(callBytesOutPerDay > 0 ? { callEgressGiBPerMonth: perMonth(callBytesOutPerDay) } : {}),
    // The archive after m months of copies, each kept lockYears (governance-summary.ts auditBytesAtEnd).
    ...(audit
      ? {
          auditGiBByMonth: months.map((m) => bytesToGiB(auditBytesAtEnd(audit.bytesPerDay.mean * s.activity.weeklyAverageDayFactor, growthOut, m.month, audit.lockYears))),
          auditEgressGiBPerMonth: perMonth(auditBytesOutPerDay),
        }
      : {}),
    ...(components.length > 0 ? { components } : {}),
    ...(dbCores !== undefined ? { databaseCores: dbCores, databaseRamGiB: dbRam ?? 0 } : {}),
  };
}

/** Rows of the bill the homeserver's own hosts (and PostgreSQL's placement) already price. */
const HOMESERVER_KINDS: ReadonlySet<string> = new Set(['homeserver', 'database', 'mediaStore']);

/** Categories older horizon files lack: those the projection derives (PostgreSQL's overhead), and the search index (eventSearch), added later; read as 0. */
const DERIVED: ReadonlySet<StorageCategory> = new Set([...DERIVED_STORAGE_CATEGORIES, 'eventSearch']);

/**
 * Read `data/storage-horizon.csv` (columns month, users, <category>_bytes...,
 * total_bytes) back into StorageMonth rows. Every problem is reported with
 * its line and column.
 */
export function parseStorageHorizonCsv(file: string, text: string): StorageMonth[] {
  const problems: string[] = [];
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (e) {
    throw new CostInputError([msg.csvInvalid(file, e instanceof Error ? e.message : String(e))]);
  }
  const header = records[0] ?? [];
  // Derived categories may be missing from a horizon written before they existed: then 0.
  const want = ['month', 'users', ...WRITTEN_STORAGE_CATEGORIES.filter((c) => !DERIVED.has(c)).map((c) => `${c}_bytes`)];
  for (const col of want) if (!header.includes(col)) problems.push(msg.csvMissingColumn(file, col));
  if (problems.length > 0) throw new CostInputError(problems);
  const idx = (name: string) => header.indexOf(name);
  const out: StorageMonth[] = [];
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    const num = (name: string): number => {
      const j = idx(name);
      const v = (rec[j] ?? '').trim();
      const n = v === '' ? NaN : Number(v);
      if (!Number.isFinite(n)) problems.push(msg.csvNotNumber(file, line, j + 1, name, v));
      return n;
    };
    const byCategory = {} as Record<StorageCategory, number>;
    for (const c of STORAGE_CATEGORIES) byCategory[c] = DERIVED.has(c) && idx(`${c}_bytes`) < 0 ? 0 : num(`${c}_bytes`);
    const total = idx('total_bytes') >= 0 ? num('total_bytes') : STORAGE_CATEGORIES.reduce((s, c) => s + byCategory[c], 0);
    out.push({ month: num('month'), users: num('users'), byCategory, total });
  });
  if (problems.length > 0) throw new CostInputError(problems);
  return out;
}

/** Check a CostInputs before use; throws CostInputError with every problem. */
export function validateCostInputs(i: CostInputs): void {
  const p: string[] = [];
  const positive = (name: string, v: number) => {
    if (!(Number.isFinite(v) && v > 0)) p.push(msg.inputRule(name, 'a positive number', v));
  };
  positive('users', i.users);
  positive('cores', i.cores);
  positive('ramGiB', i.ramGiB);
  if (!(Number.isInteger(i.processes) && i.processes >= 1)) p.push(msg.inputRule('processes', 'an integer >= 1', i.processes));
  if (!(Number.isInteger(i.horizonMonths) && i.horizonMonths >= 1)) p.push(msg.inputRule('horizonMonths', 'an integer >= 1', i.horizonMonths));
  if (!(Number.isFinite(i.growthPerMonth) && i.growthPerMonth > -1)) p.push(msg.inputRule('growthPerMonth', 'a number > -1', i.growthPerMonth));
  if (!(Number.isFinite(i.egressGiBPerMonth) && i.egressGiBPerMonth >= 0)) p.push(msg.inputRule('egressGiBPerMonth', '>= 0', i.egressGiBPerMonth));
  if (i.deployment !== 'monolith' && i.deployment !== 'workers') p.push(msg.inputRule('deployment', 'monolith or workers', i.deployment));
  for (const [name, v] of [
    ['databaseCores', i.databaseCores],
    ['databaseRamGiB', i.databaseRamGiB],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) p.push(msg.inputRule(name, '>= 0', v));
  }
  if (i.deployment === 'monolith' && i.processes !== 1) p.push(msg.monolithProcesses(i.processes));
  for (const [name, arr] of [
    ['databaseGiBByMonth', i.databaseGiBByMonth],
    ['mediaGiBByMonth', i.mediaGiBByMonth],
  ] as const) {
    if (arr.length !== i.horizonMonths + 1) p.push(msg.monthsLength(name, arr.length, i.horizonMonths));
    if (arr.some((v) => !(Number.isFinite(v) && v >= 0))) p.push(msg.monthsValues(name));
  }
  if (p.length > 0) throw new CostInputError(p);
}
