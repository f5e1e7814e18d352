/**
 * From replications to the public summary (`summary.json`, docs/OUTPUT.md)
 * and the per-bin tables behind the CSV files. Values that vary over
 * replications are `Stat`s: the mean and its 95% confidence interval
 * (Student t over replications). Nothing here reads the clock, so the same
 * scenario and seed give a byte-identical summary.
 */
import { maxOf } from '../engine/array.js';
import { latencies, recommend, resources, type Latencies, type Recommendation, type Resources } from './resources.js';
import { round6 as round, stat, type Stat } from './stat.js';
import { SUMMARY_VERSION } from './summary-version.js';
import { summarizeIncidents, type IncidentSummary } from './incidents-summary.js';
import { K } from '../model/coefficients.js';
import { summarizeCalls, type CallsSummary } from './calls-summary.js';
import { summarizeTrustBoundary, type LeverRunner, type TrustBoundarySummary } from './trust-boundary.js';
import { summarizeGovernance, type GovernanceSummary } from './governance-summary.js';
import { retentionDaysOfKind } from '../model/retention.js';
import { withBill } from './bill.js';
import { EVENT_TYPES, M, METRICS, STORAGE_CATEGORIES, WRITTEN_STORAGE_CATEGORIES, type StorageCategory, type WrittenStorageCategory } from '../model/metrics.js';
import { buildRhythm, meanActivityOver } from '../model/rhythm.js';
import type { ReplicationResult } from '../model/simulate.js';
import { QuantileSketch } from '../engine/quantile-sketch.js';
import { postgresOverheadBytes, projectStorage, type RetentionPart, type StorageMonth } from '../model/storage.js';
import type { Scenario } from '../scenario/grammar.js';
import { zoneOffsets } from '../model/world.js';

export type { Stat };
export { stat };

export interface Summary {
  /** The version of this format (SUMMARY_VERSION, summary-schema.ts): bumped on any change a reader of the previous one could not read. */
  summaryVersion: number;
  mxsim: string;
  scenario: { name: string; description: string; sha256: string; overrides: string[] };
  seed: string;
  replications: number;
  simulatedDays: number;
  binMinutes: number;
  world: { users: number; rooms: number; memberships: number; remoteServers: number; encryptedRooms: number };
  activity: {
    peakOnlineUsers: Stat;
    peakOnlineShare: Stat;
    targetPeakOnlineShare: number;
    /** Multiply a per-day figure of this run by this to get a weekly-average day. */
    weeklyAverageDayFactor: number;
  };
  traffic: {
    eventsPerDay: Record<string, Stat>;
    federation: {
      pdusSentPerDay: Stat;
      edusSentPerDay: Stat;
      edusSentPerDayByType: Record<string, Stat>;
      transactionsSentPerDay: Stat;
      meanPdusPerTransaction: Stat;
      maxPdusPerTransaction: number;
      maxEdusPerTransaction: number;
      overlappingTransactions: number;
      failedAttemptsPerDay: Stat;
      destinations: { total: number; reached: Stat; down: Stat; slow: Stat };
      bytesOutPerDay: Stat;
      bytesOutToSlowServersPerDay: Stat;
      bytesInPerDay: Stat;
      pdusReceivedPerDay: Stat;
      edusReceivedPerDay: Stat;
      transactionsReceivedPerDay: Stat;
      stateBytesInPerDay: Stat;
      connectionsOpenedPerDay: { out: Stat; in: Stat };
      forksPerDay: Stat;
      stateResolutionsPerDay: Stat;
      stateResolutionEventsPerDay: Stat;
      getMissingEventsPerDay: Stat;
      stateIdsRequestsPerDay: Stat;
      joinsPerDay: Stat;
      partialStateEventsPerDay: Stat;
      deviceListUpdatesReceivedPerDay: Stat;
      deviceListResyncsPerDay: Stat;
      undeliveredPdusAtEnd: Stat;
      deliveryLatencySeconds: { p50: Stat; p95: Stat; p99: Stat };
    };
    client: {
      bytesOutPerDay: Stat;
      bytesInPerDay: Stat;
      syncResponsesPerDay: Stat;
      syncTimeoutsPerDay: Stat;
      deliveriesPerDay: Stat;
    };
    media: {
      bytesInPerDay: Stat;
      bytesOutPerDay: Stat;
      uploadsPerDay: Stat;
      federationBytesOutPerDay: Stat;
      federationBytesInPerDay: Stat;
    };
    /** Sync requests per protocol (every sliding-sync connection counts). */
    sync: { v2RequestsPerDay: Stat; slidingSyncRequestsPerDay: Stat; initialSyncsPerDay: Stat };
    push: {
      /** Requests to push gateways: one per pusher per notifying event, plus badge updates. */
      pushesPerDay: Stat;
      notificationsPerDay: Stat;
      badgePushesPerDay: Stat;
      bytesPerDay: Stat;
      ruleEvaluationsPerDay: Stat;
      pushActionsPerDay: Stat;
      /** Homeserver requests of phones woken by a push. */
      fetchesPerDay: Stat;
      /** Pushes per message event sent by a local user (texts, edits and media, plaintext or encrypted). */
      pushesPerMessage: Stat;
    };
    /** Calls on the SFU (mechanisms/calls.ts); absent when calls are off (calls.callsPerUserPerDay 0). */
    calls?: CallsSummary;
    e2ee: {
      roomKeysPerDay: Stat;
      /** Room keys per encrypted message sent by a local user. */
      roomKeysPerMessage: Stat;
      keysQueryPerDay: Stat;
      keyBackupUploadsPerDay: Stat;
      staleDeviceKeysPerDay: Stat;
    };
  };
  storage: {
    /** Bytes at the start: room state, users, device keys, user directory, sliding-sync tables, with PostgreSQL's overhead. */
    bytesAtStart: Stat;
    /** Bytes added per simulated day, with PostgreSQL's overhead. */
    bytesPerDay: Stat;
    /** Bytes at the end of the horizon (growth and retention applied). */
    bytesAtEnd: Stat;
    /** bytesAtEnd with PostgreSQL's overhead at the low and the high end of its range (postgresOverheadFactorLow, ...High). */
    bytesAtEndLow: Stat;
    bytesAtEndHigh: Stat;
    horizonMonths: number;
    retentionDays: number | null;
    byCategory: Record<StorageCategory, { bytesAtStart: Stat; bytesPerDay: Stat; bytesAtEnd: Stat }>;
  };
  /** The deployment as simulated: processes, database, cores and memory. */
  resources: Resources;
  /** Latencies in milliseconds. */
  latencyMs: Latencies;
  /** What to deploy for this workload, with the bottleneck named. */
  recommendation: Recommendation;
  /** The timeline's incidents, each against the same window without it (empty without a timeline). */
  incidents: IncidentSummary[];
  /** What leaves this server for each remote server, per day, and what each lever would change (trust-boundary.ts). */
  trustBoundary: TrustBoundarySummary;
  /** What search, retention and audit cost (governance-summary.ts). Optional: summaries written before it lack it. */
  governance?: GovernanceSummary;
}

/** `{ calls }`, or nothing when calls are off (no key, not an undefined one). */
const callsField = (calls: CallsSummary | undefined): { calls?: CallsSummary } => (calls ? { calls } : {});

/** Per-bin tables (mean over replications), one row per bin. */
export interface SeriesTables {
  binStartSeconds: number[];
  columns: Record<string, number[]>;
}

export interface SummaryInput {
  scenario: Scenario;
  sha256: string;
  overrides: string[];
  version: string;
  seed: string;
  results: ReplicationResult[];
  /** Re-simulates one replication for the trust boundary's encryption lever (run.trustBoundaryLevers); none leaves it out. */
  leverRunner?: LeverRunner | null;
}

/**
 * Storage projection per replication, for the horizon CSV and the summary,
 * with PostgreSQL's overhead at `postgresOverheadFactor` (typical by default).
 */
export function storageProjection(s: Scenario, r: ReplicationResult, weeklyFactor: number, postgresOverheadFactor = K.postgresOverheadFactor): StorageMonth[] {
  const days = s.run.days;
  const bytesPerDay = {} as Record<WrittenStorageCategory, number>;
  // What follows the rhythm is scaled to a weekly-average day; constant-rate processes are not;
  // what was written once (scheduled joins) is in the base, not a daily rate.
  for (const c of WRITTEN_STORAGE_CATEGORIES) {
    const constant = r.constantRateStorage[c];
    bytesPerDay[c] = ((r.counters.total(M[`storage.${c}`]) - constant - r.oneOffStorage[c]) / days) * weeklyFactor + constant / days;
  }
  return projectStorage(
    {
      baseBytes: r.baseStorage,
      quadraticBaseBytes: r.baseStorageQuadratic,
      bytesPerDay,
      receiptCapBytes: r.receiptStorageCap,
      growthPerMonth: s.population.growthPerMonth,
      retentionDays: s.features.legalHold ? null : s.features.retentionDays,
      ...retentionPartsField(s, r),
      horizonMonths: s.run.horizonMonths,
      // Stale devices' to-device messages go when the devices are deleted, if ever.
      windowDays: s.e2ee.deleteStaleDevicesAfterDays === null ? {} : { deviceInbox: s.e2ee.deleteStaleDevicesAfterDays },
      stateCompressor: s.features.stateCompressor,
      postgresOverheadFactor,
    },
    s.population.users,
  );
}

/**
 * `{ retentionParts }` when some room kind has a retention policy of its
 * own (and no legal hold): one part per kind, its share of the purged bytes
 * being its share of the events persisted in the run (of the rows indexed,
 * for the search index); nothing otherwise (features.retentionDays then
 * applies to everything).
 */
function retentionPartsField(s: Scenario, r: ReplicationResult): { retentionParts?: RetentionPart[] } {
  if (s.features.legalHold || s.rooms.kinds.every((k) => k.retention === undefined)) return {};
  const kinds = r.world.kinds;
  const events = kinds.reduce((a, k) => a + k.events, 0);
  const indexed = kinds.reduce((a, k) => a + k.indexedEvents, 0);
  const even = 1 / kinds.length;
  return {
    retentionParts: kinds.map((k, i) => ({
      days: retentionDaysOfKind(s, i),
      share: events > 0 ? k.events / events : even,
      searchShare: indexed > 0 ? k.indexedEvents / indexed : even,
    })),
  };
}

/** Each written category's value, and PostgreSQL's typical overhead on the database ones. */
function withOverhead(written: Record<WrittenStorageCategory, number>): Record<StorageCategory, number> {
  return { ...written, postgresOverhead: postgresOverheadBytes(written, K.postgresOverheadFactor) };
}

/** Storage at the start of a replication, by category, PostgreSQL's overhead included. */
export function storageAtStart(r: ReplicationResult): Record<StorageCategory, number> {
  return withOverhead(r.baseStorage);
}

/** Bytes a replication wrote over its run, by category, with the overhead PostgreSQL adds to them on disk. */
export function storageAdded(r: ReplicationResult): Record<StorageCategory, number> {
  return withOverhead(Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, r.counters.total(M[`storage.${c}`])])) as Record<WrittenStorageCategory, number>);
}

/** The sum of a storage record's categories, bytes. */
export const storageTotal = (byCategory: Record<StorageCategory, number>): number => STORAGE_CATEGORIES.reduce((sum, c) => sum + byCategory[c], 0);

export function weeklyAverageDayFactor(s: Scenario, zones: readonly number[]): number {
  const rhythm = buildRhythm(s);
  const over = meanActivityOver(rhythm, s.run.days, zones);
  return over > 0 ? rhythm.meanActivityPerWeek / over : 1;
}

export function summarize(input: SummaryInput): Summary {
  const { scenario: s, results } = input;
  const days = s.run.days;
  const perDay = (metric: number) => stat(results.map((r) => r.counters.total(metric) / days));
  const zones = zoneOffsets(s.population.rhythm.timeZoneSpreadHours);
  const weeklyFactor = weeklyAverageDayFactor(s, zones);
  const projections = results.map((r) => storageProjection(s, r, weeklyFactor));
  const first = results[0]!;

  const eventsPerDay: Record<string, Stat> = {};
  for (const e of EVENT_TYPES) eventsPerDay[e.id] = perDay(M[e.id]);

  const atStart = results.map(storageAtStart);
  const added = results.map(storageAdded);
  const byCategory = {} as Summary['storage']['byCategory'];
  for (const c of STORAGE_CATEGORIES) {
    byCategory[c] = {
      bytesAtStart: stat(atStart.map((b) => b[c])),
      bytesPerDay: stat(added.map((b) => b[c] / days)),
      bytesAtEnd: stat(projections.map((p) => p.at(-1)!.byCategory[c])),
    };
  }
  const atEndWith = (factor: number) => stat(results.map((r) => storageProjection(s, r, weeklyFactor, factor).at(-1)!.total));

  const pick = (f: (r: ReplicationResult) => number) => stat(results.map(f));
  const used = resources(s, results, storageBytesPerDay(s, results));
  const latencyMs = latencies(results);
  const total = (r: ReplicationResult, id: keyof typeof M) => r.counters.total(M[id]);
  const quantile = (q: number) => pick((r) => (r.federationLatency.count > 0 ? r.federationLatency.quantile(q) : NaN));

  const storage = storageTable(s, results);
  return {
    summaryVersion: SUMMARY_VERSION,
    mxsim: input.version,
    scenario: { name: s.name, description: s.description, sha256: input.sha256, overrides: input.overrides },
    seed: input.seed,
    replications: results.length,
    simulatedDays: days,
    binMinutes: s.run.binMinutes,
    // The world's counts (its per-kind counts feed the bill of materials, not the summary).
    world: {
      users: first.world.users,
      rooms: first.world.rooms,
      memberships: first.world.memberships,
      remoteServers: first.world.remoteServers,
      encryptedRooms: first.world.encryptedRooms,
    },
    activity: {
      peakOnlineUsers: pick((r) => maxOf(r.onlineUsers)),
      peakOnlineShare: pick((r) => r.peakOnlineShare),
      targetPeakOnlineShare: s.population.peakOnlineShare,
      weeklyAverageDayFactor: round(weeklyFactor),
    },
    traffic: {
      eventsPerDay,
      federation: {
        pdusSentPerDay: perDay(M['fed.out.pdus']),
        edusSentPerDay: perDay(M['fed.out.edus']),
        edusSentPerDayByType: {
          presence: perDay(M['fed.out.edus.presence']),
          receipt: perDay(M['fed.out.edus.receipt']),
          typing: perDay(M['fed.out.edus.typing']),
          toDevice: perDay(M['fed.out.edus.to_device']),
          deviceList: perDay(M['fed.out.edus.device_list']),
        },
        transactionsSentPerDay: perDay(M['fed.out.transactions']),
        meanPdusPerTransaction: pick((r) => {
          const t = total(r, 'fed.out.transactions');
          return t > 0 ? total(r, 'fed.out.pdus') / t : 0;
        }),
        maxPdusPerTransaction: Math.max(...results.map((r) => r.maxPdusPerTransaction)),
        maxEdusPerTransaction: Math.max(...results.map((r) => r.maxEdusPerTransaction)),
        overlappingTransactions: results.reduce((n, r) => n + r.overlappingTransactions, 0),
        failedAttemptsPerDay: perDay(M['fed.out.failed_attempts']),
        destinations: {
          total: first.world.remoteServers,
          reached: pick((r) => r.destinationsReached),
          down: pick((r) => r.destinationsDown),
          slow: pick((r) => r.destinationsSlow),
        },
        bytesOutPerDay: perDay(M['fed.out.bytes']),
        bytesOutToSlowServersPerDay: perDay(M['fed.out.bytes.slow']),
        bytesInPerDay: perDay(M['fed.in.bytes']),
        pdusReceivedPerDay: perDay(M['fed.in.pdus']),
        edusReceivedPerDay: perDay(M['fed.in.edus']),
        transactionsReceivedPerDay: perDay(M['fed.in.transactions']),
        stateBytesInPerDay: perDay(M['fed.in.state_bytes']),
        connectionsOpenedPerDay: { out: perDay(M['fed.out.connections']), in: perDay(M['fed.in.connections']) },
        forksPerDay: perDay(M['fed.in.forks']),
        stateResolutionsPerDay: perDay(M['fed.in.state_resolutions']),
        stateResolutionEventsPerDay: perDay(M['fed.in.state_res_events']),
        getMissingEventsPerDay: perDay(M['fed.in.get_missing_events']),
        stateIdsRequestsPerDay: perDay(M['fed.in.state_ids']),
        joinsPerDay: perDay(M['fed.in.joins']),
        partialStateEventsPerDay: perDay(M['fed.in.partial_state_events']),
        deviceListUpdatesReceivedPerDay: perDay(M['fed.in.device_list_updates']),
        deviceListResyncsPerDay: perDay(M['fed.in.device_resyncs']),
        undeliveredPdusAtEnd: pick((r) => r.undeliveredPdus),
        deliveryLatencySeconds: { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) },
      },
      client: {
        bytesOutPerDay: perDay(M['client.bytes_out']),
        bytesInPerDay: perDay(M['client.bytes_in']),
        syncResponsesPerDay: perDay(M['client.sync_responses']),
        syncTimeoutsPerDay: pick((r) => r.syncTimeouts.reduce((a, b) => a + b, 0) / days),
        deliveriesPerDay: perDay(M['client.sync_deliveries']),
      },
      media: {
        bytesInPerDay: perDay(M['media.bytes_in']),
        bytesOutPerDay: perDay(M['media.bytes_out']),
        uploadsPerDay: perDay(M['media.upload']),
        federationBytesOutPerDay: perDay(M['media.fed_bytes_out']),
        federationBytesInPerDay: perDay(M['media.fed_bytes_in']),
      },
      sync: { v2RequestsPerDay: perDay(M['sync.v2_requests']), slidingSyncRequestsPerDay: perDay(M['sync.sliding_requests']), initialSyncsPerDay: perDay(M['sync.initial']) },
      push: {
        pushesPerDay: perDay(M['push.notifications']),
        notificationsPerDay: pick((r) => (total(r, 'push.notifications') - total(r, 'push.badge')) / days),
        badgePushesPerDay: perDay(M['push.badge']),
        bytesPerDay: perDay(M['push.bytes']),
        ruleEvaluationsPerDay: perDay(M['push.evaluations']),
        pushActionsPerDay: perDay(M['push.actions']),
        fetchesPerDay: perDay(M['push.fetches']),
        pushesPerMessage: pick((r) => {
          const messages = total(r, 'm.room.message') + total(r, 'm.room.encrypted');
          return messages > 0 ? total(r, 'push.notifications') / messages : 0;
        }),
      },
      e2ee: {
        roomKeysPerDay: perDay(M['m.room_key']),
        roomKeysPerMessage: pick((r) => {
          const encrypted = total(r, 'm.room.encrypted');
          return encrypted > 0 ? total(r, 'm.room_key') / encrypted : 0;
        }),
        keysQueryPerDay: perDay(M['e2ee.keys_query']),
        keyBackupUploadsPerDay: perDay(M['e2ee.backup_uploads']),
        staleDeviceKeysPerDay: perDay(M['e2ee.stale_keys']),
      },
      // Only with calls on, so that a run without calls writes the summary it wrote before.
      ...callsField(summarizeCalls(s, results)),
    },
    storage: {
      bytesAtStart: stat(atStart.map(storageTotal)),
      bytesPerDay: stat(added.map((b) => storageTotal(b) / days)),
      bytesAtEnd: stat(projections.map((p) => p.at(-1)!.total)),
      bytesAtEndLow: atEndWith(K.postgresOverheadFactorLow),
      bytesAtEndHigh: atEndWith(K.postgresOverheadFactorHigh),
      horizonMonths: s.run.horizonMonths,
      retentionDays: s.features.legalHold ? null : s.features.retentionDays,
      byCategory,
    },
    resources: used,
    latencyMs,
    // CPU sizing alone; the pipeline's verify step re-simulates it (src/analysis/verify.ts).
    recommendation: withBill(s, results, recommend(s, results, storage, { resources: used, latencies: latencyMs }), storage),
    incidents: summarizeIncidents(s, results),
    trustBoundary: summarizeTrustBoundary(s, results, input.leverRunner ?? null),
    governance: summarizeGovernance(s, results),
  };
}

/** Storage written per simulated day by category (logical bytes, no PostgreSQL overhead), averaged over replications. */
export function storageBytesPerDay(s: Scenario, results: readonly ReplicationResult[]): Record<WrittenStorageCategory, number> {
  const days = s.run.days;
  return Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, results.reduce((a, r) => a + r.counters.total(M[`storage.${c}`]) / days, 0) / results.length])) as Record<
    WrittenStorageCategory,
    number
  >;
}

/** The mean over replications of a per-bin series, bin by bin, rounded. */
function meanPerBin(results: readonly ReplicationResult[], bins: number, f: (r: ReplicationResult) => ArrayLike<number>): number[] {
  const out = new Array<number>(bins).fill(0);
  for (const r of results) {
    const v = f(r);
    for (let b = 0; b < bins; b++) out[b]! += (v[b] ?? 0) / results.length;
  }
  return out.map(round);
}

/** Mean over replications of per-bin series, for the CSV files. */
export function seriesTables(s: Scenario, results: readonly ReplicationResult[]): SeriesTables {
  const first = results[0]!;
  const bins = first.counters.binCount;
  const binSeconds = s.run.binMinutes * 60;
  const mean = (f: (r: ReplicationResult) => ArrayLike<number>) => meanPerBin(results, bins, f);
  const columns: Record<string, number[]> = {};
  for (const def of METRICS) columns[def.id] = mean((r) => r.counters.series(M[def.id]));
  columns['client.sync_timeouts'] = mean((r) => r.syncTimeouts);
  columns['online.users'] = mean((r) => r.onlineUsers);
  columns['online.devices'] = mean((r) => r.onlineDevices);
  columns['fed.out.backlog_pdus_max'] = mean((r) => r.federationBacklog);
  return { binStartSeconds: Array.from({ length: bins }, (_, b) => b * binSeconds), columns };
}

/** Mean storage projection over replications, month by month. */
export function storageTable(s: Scenario, results: readonly ReplicationResult[]): StorageMonth[] {
  const weeklyFactor = weeklyAverageDayFactor(s, zoneOffsets(s.population.rhythm.timeZoneSpreadHours));
  const all = results.map((r) => storageProjection(s, r, weeklyFactor));
  return all[0]!.map((m, i) => {
    const byCategory = {} as Record<StorageCategory, number>;
    for (const c of STORAGE_CATEGORIES) byCategory[c] = round(all.reduce((sum, p) => sum + p[i]!.byCategory[c], 0) / all.length);
    return {
      month: m.month,
      users: round(m.users),
      byCategory,
      total: round(all.reduce((sum, p) => sum + p[i]!.total, 0) / all.length),
    };
  });
}

/**
 * Per-bin server tables (mean over replications): cores busy and queue length
 * per process and for PostgreSQL, and local-send latency percentiles, ms.
 */
export function serverTables(s: Scenario, results: readonly ReplicationResult[]): SeriesTables {
  const first = results[0]!;
  const bins = first.counters.binCount;
  const binSeconds = s.run.binMinutes * 60;
  const mean = (f: (r: ReplicationResult) => ArrayLike<number>) => meanPerBin(results, bins, f);
  const columns: Record<string, number[]> = {};
  first.server.processes.forEach((p, i) => {
    columns[`cores.${p.name}`] = mean((r) => r.server.processes[i]!.busyByBin);
    columns[`offered.${p.name}`] = mean((r) => r.server.processes[i]!.offeredByBin);
    columns[`queue.${p.name}`] = mean((r) => r.server.processes[i]!.queueByBin);
  });
  if (first.server.database) {
    columns['cores.postgres'] = mean((r) => r.server.database!.busyByBin);
    columns['offered.postgres'] = mean((r) => r.server.database!.offeredByBin);
    columns['queue.postgres'] = mean((r) => r.server.database!.queueByBin);
  }
  for (const [name, q] of [
    ['p50', 0.5],
    ['p95', 0.95],
    ['p99', 0.99],
  ] as const) {
    columns[`latency.local_send.${name}_ms`] = mean((r) => r.server.localSendLatencyByBin.map((sk) => (sk.count > 0 ? sk.quantile(q) * 1000 : NaN)));
  }
  return { binStartSeconds: Array.from({ length: bins }, (_, b) => b * binSeconds), columns };
}

/** Latency distributions (ms at quantiles 1%..99.9%), merged over replications. */
export function latencyDistributions(results: readonly ReplicationResult[]): { quantile: number; localSendMs: number | null; federationDeliveryMs: number | null }[] {
  const merge = (pick: (r: ReplicationResult) => QuantileSketch) => {
    const all = new QuantileSketch();
    for (const r of results) all.merge(pick(r));
    return all;
  };
  const local = merge((r) => r.server.localSendLatency);
  const fed = merge((r) => r.federationLatency);
  const qs = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999];
  return qs.map((q) => ({
    quantile: q,
    localSendMs: local.count > 0 ? round(local.quantile(q) * 1000) : null,
    federationDeliveryMs: fed.count > 0 ? round(fed.quantile(q) * 1000) : null,
  }));
}
