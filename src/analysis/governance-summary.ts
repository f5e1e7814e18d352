/**
 * What search, retention and audit cost (`summary.json` `governance`,
 * docs/OUTPUT.md; docs/MODEL.md, "Search, retention and audit"):
 * - search: rows indexed, the index's bytes, the searches and the CPU and
 *   PostgreSQL time of both (operations `searchIndex` and `search`, which the
 *   recommendation already carries);
 * - retention: each room kind's lifetime, and the nightly purge job it
 *   implies once the history is older than the lifetime: as many events
 *   purged a day as are written, each at the `purge` operation's per-event
 *   costs. The job is a figure here, not a load of the simulation: Synapse
 *   runs it as a background task once a day (purge_jobs, default interval
 *   1 day), and the recommendation, sized for the busy hours, does not carry
 *   it;
 * - audit: an archiving appservice's copy of every event persisted (and
 *   local media when asked) to object storage with a retention lock: its
 *   bytes over the horizon and its egress.
 */
import { K } from '../model/coefficients.js';
import { M } from '../model/metrics.js';
import { retentionDaysOfKind } from '../model/retention.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { profileOf } from '../server/topology.js';
import { stat, type Stat } from './stat.js';

export interface GovernanceSummary {
  search: {
    enabled: boolean;
    /** Messages indexed per simulated day (unencrypted, local and remote). */
    indexedEventsPerDay: Stat;
    /** event_search bytes written per simulated day, without PostgreSQL's overhead. */
    indexBytesPerDay: Stat;
    queriesPerDay: Stat;
    rowsMatchedPerQuery: Stat;
    /** CPU and PostgreSQL time per simulated day, s: indexing (operation searchIndex) and searching (operation search). */
    indexCpuSecondsPerDay: Stat;
    indexDatabaseSecondsPerDay: Stat;
    queryCpuSecondsPerDay: Stat;
    queryDatabaseSecondsPerDay: Stat;
  };
  retention: {
    legalHold: boolean;
    /** Per room kind (rooms.kinds order): days its events are kept (null: for ever). */
    kinds: { name: string; maxLifetimeDays: number | null }[];
    /** Events the daily purge deletes once the history is older than each kind's lifetime: those written per simulated day in kinds with a lifetime. */
    purgedEventsPerDay: Stat;
    /** The purge job's CPU and PostgreSQL time per day, s, at the purge operation's per-event costs. */
    purgeCpuSecondsPerDay: Stat;
    purgeDatabaseSecondsPerDay: Stat;
  };
  /** Present when features.auditExport is enabled. */
  audit?: {
    eventsPerDay: Stat;
    /** Bytes copied to the archive per simulated day (event JSON, and local media when included). */
    bytesPerDay: Stat;
    /** Archive bytes at the end of the horizon: every day's copy, with the users' growth, kept for lockYears. */
    bytesAtEnd: Stat;
    /** Bytes sent off-site per simulated day (0 when the archive is on-site). */
    egressBytesPerDay: Stat;
    lockYears: number;
  };
}

/**
 * Bytes an archive holds after `horizonMonths` of copying `bytesPerDay`
 * (growing by `growthPerMonth`), each month's copy kept `lockYears`.
 * @example auditBytesAtEnd(1000, 0, 12, 7) // 1000 x 12 x 30.44: nothing expires within a year
 */
export function auditBytesAtEnd(bytesPerDay: number, growthPerMonth: number, horizonMonths: number, lockYears: number): number {
  const days = K.averageDaysPerMonth;
  let keepDays = lockYears * 365.25;
  let bytes = 0;
  // The newest months first: the oldest are those the lock lets go.
  for (let m = horizonMonths - 1; m >= 0 && keepDays > 0; m--) {
    const span = Math.min(days, keepDays);
    bytes += bytesPerDay * Math.pow(1 + growthPerMonth, m) * span;
    keepDays -= span;
  }
  return bytes;
}

export function summarizeGovernance(s: Scenario, results: readonly ReplicationResult[]): GovernanceSummary {
  const days = s.run.days;
  const perDay = (f: (r: ReplicationResult) => number) => stat(results.map((r) => f(r) / days));
  const total = (r: ReplicationResult, id: keyof typeof M) => r.counters.total(M[id]);
  const purge = profileOf(s).cost({ roomsPerUser: 1 }).purge;
  const lifetimes = s.rooms.kinds.map((_, k) => retentionDaysOfKind(s, k));
  const purged = (r: ReplicationResult) => r.world.kinds.reduce((sum, k, i) => sum + (lifetimes[i] === null ? 0 : k.events), 0);
  const audit = s.features.auditExport;
  const auditBytes = (r: ReplicationResult) => total(r, 'storage.eventJson') + (audit.includeMedia ? total(r, 'storage.localMedia') : 0);
  return {
    search: {
      enabled: s.features.search.enabled,
      indexedEventsPerDay: perDay((r) => total(r, 'search.indexed')),
      indexBytesPerDay: perDay((r) => total(r, 'storage.eventSearch')),
      queriesPerDay: perDay((r) => total(r, 'search.queries')),
      rowsMatchedPerQuery: stat(results.map((r) => (total(r, 'search.queries') > 0 ? total(r, 'search.rows_matched') / total(r, 'search.queries') : 0))),
      indexCpuSecondsPerDay: perDay((r) => r.server.cpuSecondsByOp.searchIndex),
      indexDatabaseSecondsPerDay: perDay((r) => r.server.databaseSecondsByOp.searchIndex),
      queryCpuSecondsPerDay: perDay((r) => r.server.cpuSecondsByOp.search),
      queryDatabaseSecondsPerDay: perDay((r) => r.server.databaseSecondsByOp.search),
    },
    retention: {
      legalHold: s.features.legalHold,
      kinds: s.rooms.kinds.map((k, i) => ({ name: k.name, maxLifetimeDays: lifetimes[i]! })),
      purgedEventsPerDay: perDay(purged),
      purgeCpuSecondsPerDay: perDay((r) => (purged(r) * purge.cpuMsPerUnit) / 1000),
      purgeDatabaseSecondsPerDay: perDay((r) => (purged(r) * purge.dbMsPerUnit) / 1000),
    },
    ...(audit.enabled
      ? {
          audit: {
            eventsPerDay: perDay((r) => r.world.kinds.reduce((sum, k) => sum + k.events, 0)),
            bytesPerDay: perDay(auditBytes),
            bytesAtEnd: stat(results.map((r) => auditBytesAtEnd(auditBytes(r) / days, s.population.growthPerMonth, s.run.horizonMonths, audit.lockYears))),
            egressBytesPerDay: perDay((r) => (audit.offSite ? auditBytes(r) : 0)),
            lockYears: audit.lockYears,
          },
        }
      : {}),
  };
}
