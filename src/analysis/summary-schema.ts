/**
 * summary.json as a schema, for reading a run folder back (`mxsim cost
 * RUN_DIR`, `mxsim compare`): every field of the `Summary` that summarize.ts
 * writes, with its type and range (docs/OUTPUT.md), so a file that is not a
 * summary, or a summary edited out of range, is refused with every problem
 * listed rather than read as numbers that mean nothing.
 *
 * The summary carries its format's version, `summaryVersion`
 * (SUMMARY_VERSION). It is bumped on any change a reader of the previous
 * version could not read: a field removed, renamed, retyped or given another
 * meaning or unit. A field added later is optional here (a file of the same
 * version written before it lacks it), or the version is bumped. Fields this
 * schema does not know are dropped when parsing.
 *
 * Values that are not finite numbers are written to JSON as null: a Stat
 * with no finite value in any replication, and the few plain numbers that
 * can be NaN or infinite (a saturation never reached, a re-simulation with
 * no sends). Those read back as NaN, as a Stat with no value is before it is
 * written, so a summary read back equals the one summarized
 * (test/cli/run-folder.test.ts); fields typed `number | null` keep their null.
 *
 * The rules' wording is in messages.ts; each problem is reported as
 * `path: expected <rule>, got <value as written>` by the reader
 * (src/cli/run-folder.ts).
 */
import { z } from 'zod';
import { EVENT_TYPES, STORAGE_CATEGORIES, type StorageCategory } from '../model/metrics.js';
import { summaryRules as rule } from './messages.js';
import { SUMMARY_VERSION } from './summary-version.js';
import { TRUST_FIELDS, TRUST_LEVERS, zeroFigures, type TrustFigures } from './trust-boundary.js';

export { SUMMARY_VERSION };

const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const any = () => true;

/** A finite number that passes `ok`; `expected` says which in a problem. */
export function finiteNumber(expected: string, ok: (x: number) => boolean = any) {
  return z.custom<number>((v) => isFinite(v) && ok(v), { error: expected });
}

/** As finiteNumber, or null where the field may be null (`number | null`). */
export function nullableNumber(expected: string, ok: (x: number) => boolean = any) {
  return z.custom<number | null>((v) => v === null || (isFinite(v) && ok(v)), { error: rule.orNull(expected) });
}

/** As finiteNumber, or null (a value that was not finite when written), read as NaN. */
export function numberOrNaN(expected: string, ok: (x: number) => boolean = any) {
  return nullableNumber(expected, ok).transform((v): number => v ?? NaN);
}

export const anyNumber = () => finiteNumber(rule.number());
export const nonNegative = () => finiteNumber(rule.numberAtLeast(0), (x) => x >= 0);
export const positive = () => finiteNumber(rule.numberAbove(0), (x) => x > 0);
export const share = () => finiteNumber(rule.share(), (x) => x >= 0 && x <= 1);
export const integerAtLeast = (min: number) => finiteNumber(rule.integerAtLeast(min), (x) => Number.isInteger(x) && x >= min);
/** A count: an integer >= 0. */
export const count = () => integerAtLeast(0);
export const text = () => z.string({ error: rule.string() });
export const name = () => z.string({ error: rule.nonEmptyString() }).min(1, { error: rule.nonEmptyString() });
export const flag = () => z.boolean({ error: rule.boolean() });
export const texts = () => z.array(text(), { error: rule.array() });
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: rule.oneOf(values) });
export const object = <S extends z.ZodRawShape>(shape: S) => z.object(shape, { error: rule.object() });
export const objectOrNull = <S extends z.ZodRawShape>(shape: S) => z.object(shape, { error: rule.objectOrNull() }).nullable();
export const array = <T extends z.ZodType>(item: T) => z.array(item, { error: rule.array() });
export const arrayOrNull = <T extends z.ZodType>(item: T) => z.array(item, { error: rule.arrayOrNull() }).nullable();

/**
 * A Stat: mean and 95% interval, each a finite number, or all three null
 * when no replication had a finite value (read as NaN). `expected` and `ok`
 * bound the mean; the interval of a non-negative quantity may reach below 0.
 */
export function stat(expected: string, ok: (x: number) => boolean = any) {
  const bound = numberOrNaN(rule.number());
  return z
    .object({ mean: numberOrNaN(expected, ok), ci95: z.tuple([bound, bound], { error: rule.interval() }) }, { error: rule.stat() })
    .refine((s) => (Number.isNaN(s.mean) ? Number.isNaN(s.ci95[0]) && Number.isNaN(s.ci95[1]) : s.ci95[0] <= s.mean && s.mean <= s.ci95[1]), {
      error: rule.statInterval(),
    });
}

/** A Stat of a quantity that cannot be negative: counts, bytes, rates, latencies. */
const amount = () => stat(rule.numberAtLeast(0), (x) => x >= 0);
/** A Stat of a fraction. */
const shareStat = () => stat(rule.share(), (x) => x >= 0 && x <= 1);

const percentiles = () => object({ p50: amount(), p95: amount(), p99: amount() });

const eventsPerDay = object(Object.fromEntries(EVENT_TYPES.map((e) => [e.id, amount()])));

const categoryStorage = object({ bytesAtStart: amount(), bytesPerDay: amount(), bytesAtEnd: amount() });
const zeroStat = { mean: 0, ci95: [0, 0] as [number, number] };
// Categories added after version 1 was first written default to zero, so that earlier files still read.
const LATER_CATEGORIES: readonly StorageCategory[] = ['eventSearch'];
const byCategory = object(
  Object.fromEntries(
    STORAGE_CATEGORIES.map((c) => [
      c,
      LATER_CATEGORIES.includes(c) ? categoryStorage.default({ bytesAtStart: zeroStat, bytesPerDay: zeroStat, bytesAtEnd: zeroStat }) : categoryStorage,
    ]),
  ) as Record<StorageCategory, typeof categoryStorage>,
);

const processUsage = object({
  name: name(),
  kind: name(),
  cores: nonNegative(),
  coresMean: nonNegative(),
  coresP95: nonNegative(),
  coresPeak: nonNegative(),
  utilizationP95: nonNegative(),
  offeredCoresP95: nonNegative(),
  queueMax: nonNegative(),
  rejectedPerDay: nonNegative(),
  ramBytesPeak: nonNegative(),
});

const resources = object({
  // A mean over replications: bins need not be whole.
  warmup: object({ method: oneOf(['MSER-5']), binsDropped: nonNegative(), minutesDropped: nonNegative() }),
  processes: array(processUsage),
  database: objectOrNull({
    cores: nonNegative(),
    coresMean: nonNegative(),
    coresP95: nonNegative(),
    utilizationP95: nonNegative(),
    offeredCoresP95: nonNegative(),
    ramBytes: nonNegative(),
  }),
  totalCores: object({ mean: nonNegative(), p95: nonNegative(), peak: nonNegative(), ci95: z.tuple([anyNumber(), anyNumber()], { error: rule.interval() }) }),
  ramBytesPeak: nonNegative(),
});

/** A figure of an incident, with the incident and in the same window without it. */
const paired = () => object({ incident: amount(), baseline: amount() });

/** A trust-boundary row's figures: plain means, each >= 0 (analysis/trust-boundary.ts). */
const trustFigures = Object.fromEntries(TRUST_FIELDS.map((f) => [f, nonNegative()])) as Record<keyof TrustFigures, ReturnType<typeof nonNegative>>;

const incident = object({
  name: name(),
  kind: oneOf(['remoteOutage', 'massLogin', 'outage', 'backup', 'restore', 'bigRoomJoin', 'purge', 'spamWave']),
  roomKind: text()
    .optional()
    .transform((v) => v ?? ''),
  at: object({ day: integerAtLeast(1), hour: nonNegative() }),
  startSeconds: nonNegative(),
  endSeconds: nonNegative(),
  windowStartSeconds: nonNegative(),
  windowEndSeconds: nonNegative(),
  stepSeconds: positive(),
  servers: amount(),
  logins: count(),
  passwordLogins: flag(),
  outage: object({ reconnectedUsers: amount(), keptActs: amount(), actsNotMade: amount(), keptCalls: amount() }),
  spam: object({ events: amount(), caught: amount(), invites: amount(), media: amount() }),
  purge: object({
    purgedEvents: amount(),
    purgeSeconds: amount(),
    purgedBytes: amount(),
    rooms: amount(),
    concurrentRooms: amount(),
    longestRoomSeconds: amount(),
    connectionWaits: amount(),
    connectionWaitSeconds: amount(),
    connectionWaitMaxSeconds: amount(),
  }),
  restore: object({ recoverySeconds: amount(), recoveryPointSeconds: nonNegative(), databaseBytes: amount(), mediaBytes: amount() }),
  backup: object({ backupSeconds: amount(), dumpSeconds: amount(), recoveryPointSeconds: nonNegative(), databaseBytes: amount(), mediaBytes: amount() }),
  peakCoresByKind: z.record(z.string(), paired(), { error: rule.object() }),
  peakUtilization: paired(),
  peakQueue: paired(),
  localSendMs: object({ p50: paired(), p95: paired(), p99: paired() }),
  localSendDuringMs: object({ p50: paired(), p95: paired(), p99: paired() }),
  latencyTargetHeld: flag(),
  federation: object({
    backlogPeakPdus: paired(),
    failedAttempts: paired(),
    catchUpServers: amount(),
    lagSeconds: object({ p50: amount(), p95: amount(), max: amount() }),
    destinations: array(object({ server: name(), replications: count(), backlogPeakPdus: amount(), lagP95Seconds: amount(), drainSeconds: amount() })),
    pdusQueued: amount(),
    pdusAcknowledged: amount(),
    pdusFolded: amount(),
    undeliveredPdusAtEnd: amount(),
    // Conservation: 0 when nothing was lost; any other value is reported as it is.
    lostPdus: stat(rule.number()),
  }),
  drainSeconds: amount(),
  drainedReplications: count(),
});

const bandPoint = object({ cores: nonNegative(), ramGiB: nonNegative() });

const recommendation = object({
  implementation: name(),
  deployment: object({
    kind: oneOf(['monolith', 'workers', 'multi-threaded']),
    workers: z.record(z.string(), count(), { error: rule.objectOrNull() }).nullable(),
    processes: integerAtLeast(1),
    serverCores: nullableNumber(rule.integerAtLeast(1), (x) => Number.isInteger(x) && x >= 1),
  }),
  cores: positive(),
  databaseCores: nonNegative(),
  coresByComponent: z.record(z.string(), nonNegative(), { error: rule.object() }),
  processesByKind: z.record(z.string(), count(), { error: rule.object() }),
  ramGiBByProcessKind: z.record(z.string(), nonNegative(), { error: rule.object() }),
  components: array(
    object({
      name: name(),
      kind: oneOf([
        'homeserver',
        'database',
        'mediaStore',
        'sfu',
        'authService',
        'pushGateway',
        'contentScanner',
        'policyServer',
        'moderationBot',
        'reverseProxy',
        'turn',
        'componentDatabase',
      ]),
      count: count(),
      cores: nonNegative(),
      ramGiB: nonNegative(),
      diskGiB: nonNegative(),
      bandwidthMbps: nonNegative(),
    }),
  ),
  ramGiB: positive(),
  databaseRamGiB: nonNegative(),
  band: object({ low: bandPoint, typical: bandPoint, high: bandPoint }),
  diskGiB: nonNegative(),
  bandwidthMbps: nonNegative(),
  horizonUsers: nonNegative(),
  growAtMonth: nullableNumber(rule.numberAtLeast(0), (x) => x >= 0),
  bottleneck: text(),
  bottleneckResource: text(),
  bottleneckUtilizationP95: numberOrNaN(rule.numberAtLeast(0), (x) => x >= 0),
  saturationUsers: numberOrNaN(rule.numberAtLeast(0), (x) => x >= 0),
  saturationMethod: oneOf(['simulated', 'linear']),
  targets: object({
    cpuUtilization: finiteNumber(rule.numberAboveAtMost(0, 1), (x) => x > 0 && x <= 1),
    latencyPercentile: oneOf(['p50', 'p95', 'p99']),
    localSendMs: positive(),
    diskHeadroom: nonNegative(),
    bandwidthHeadroom: nonNegative(),
  }),
  targetsMet: flag(),
  limit: objectOrNull({ mechanism: text(), lever: text() }),
  simulatedDeploymentMeetsTargets: object({ cpu: flag(), latency: flag() }),
  verification: objectOrNull({
    seed: text(),
    iterations: integerAtLeast(1),
    meetsTargets: flag(),
    utilizationP95Max: numberOrNaN(rule.numberAtLeast(0), (x) => x >= 0),
    localSendMs: numberOrNaN(rule.numberAtLeast(0), (x) => x >= 0),
    adjustments: texts(),
  }),
  // Added after version 1 was first written: absent in earlier files, read as null.
  survival: objectOrNull({
    incidents: texts(),
    deployment: object({
      kind: oneOf(['monolith', 'workers', 'multi-threaded']),
      workers: z.record(z.string(), count(), { error: rule.object() }).nullable(),
      processes: integerAtLeast(1),
      serverCores: nullableNumber(rule.integerAtLeast(1), (x) => Number.isInteger(x) && x >= 1),
    }),
    cores: nonNegative(),
    databaseCores: nonNegative(),
    meetsTargets: flag(),
    iterations: integerAtLeast(1),
    adjustments: texts(),
    windows: array(object({ name: name(), localSendMs: nonNegative(), drainSeconds: nullableNumber(rule.numberAtLeast(0), (x) => x >= 0) })),
  })
    .optional()
    .transform((v) => v ?? null),
  notes: texts(),
});

/** summary.json as summarize.ts writes it, without `cost` (src/cost/summary-schema.ts adds it). */
export const SummarySchema = z.object(
  {
    summaryVersion: z.literal(SUMMARY_VERSION, { error: rule.oneOf([SUMMARY_VERSION]) }),
    mxsim: text(),
    scenario: object({
      name: name(),
      description: text(),
      sha256: z.string({ error: rule.sha256() }).regex(/^[0-9a-f]{64}$/, { error: rule.sha256() }),
      overrides: texts(),
    }),
    seed: text(),
    replications: integerAtLeast(1),
    // As the scenario's run.days and run.binMinutes allow (src/scenario/grammar.ts).
    simulatedDays: finiteNumber(rule.numberAboveAtMost(0, 366), (x) => x > 0 && x <= 366),
    binMinutes: finiteNumber(rule.numberAboveAtMost(0, 1440), (x) => x > 0 && x <= 1440),
    world: object({ users: integerAtLeast(1), rooms: count(), memberships: count(), remoteServers: count(), encryptedRooms: count() }),
    activity: object({
      peakOnlineUsers: amount(),
      peakOnlineShare: shareStat(),
      targetPeakOnlineShare: share(),
      weeklyAverageDayFactor: positive(),
    }),
    traffic: object({
      eventsPerDay,
      federation: object({
        pdusSentPerDay: amount(),
        edusSentPerDay: amount(),
        edusSentPerDayByType: object({ presence: amount(), receipt: amount(), typing: amount(), toDevice: amount(), deviceList: amount() }),
        transactionsSentPerDay: amount(),
        meanPdusPerTransaction: amount(),
        maxPdusPerTransaction: count(),
        maxEdusPerTransaction: count(),
        overlappingTransactions: count(),
        failedAttemptsPerDay: amount(),
        destinations: object({ total: count(), reached: amount(), down: amount(), slow: amount() }),
        bytesOutPerDay: amount(),
        bytesOutToSlowServersPerDay: amount(),
        bytesInPerDay: amount(),
        pdusReceivedPerDay: amount(),
        edusReceivedPerDay: amount(),
        transactionsReceivedPerDay: amount(),
        stateBytesInPerDay: amount(),
        connectionsOpenedPerDay: object({ out: amount(), in: amount() }),
        forksPerDay: amount(),
        stateResolutionsPerDay: amount(),
        stateResolutionEventsPerDay: amount(),
        getMissingEventsPerDay: amount(),
        stateIdsRequestsPerDay: amount(),
        joinsPerDay: amount(),
        partialStateEventsPerDay: amount(),
        deviceListUpdatesReceivedPerDay: amount(),
        deviceListResyncsPerDay: amount(),
        undeliveredPdusAtEnd: amount(),
        deliveryLatencySeconds: percentiles(),
      }),
      client: object({ bytesOutPerDay: amount(), bytesInPerDay: amount(), syncResponsesPerDay: amount(), syncTimeoutsPerDay: amount(), deliveriesPerDay: amount() }),
      media: object({
        bytesInPerDay: amount(),
        bytesOutPerDay: amount(),
        uploadsPerDay: amount(),
        federationBytesOutPerDay: amount(),
        federationBytesInPerDay: amount(),
      }),
      sync: object({ v2RequestsPerDay: amount(), slidingSyncRequestsPerDay: amount(), initialSyncsPerDay: amount() }),
      push: object({
        pushesPerDay: amount(),
        notificationsPerDay: amount(),
        badgePushesPerDay: amount(),
        bytesPerDay: amount(),
        ruleEvaluationsPerDay: amount(),
        pushActionsPerDay: amount(),
        fetchesPerDay: amount(),
        pushesPerMessage: amount(),
      }),
      e2ee: object({
        roomKeysPerDay: amount(),
        roomKeysPerMessage: amount(),
        keysQueryPerDay: amount(),
        keyBackupUploadsPerDay: amount(),
        staleDeviceKeysPerDay: amount(),
      }),
      // Added after version 1 was first written, and only with calls on: absent otherwise.
      calls: object({
        callsPerDay: amount(),
        concurrentCallsP95: amount(),
        participantsP95: amount(),
        sfuIngressMbpsP95: amount(),
        sfuEgressMbpsP95: amount(),
        sfuEgressBytesPerDay: amount(),
        turnShare: shareStat(),
        turnMbpsP95: amount(),
        sfuCoresP95: amount(),
        sfuCoresPeak: amount(),
        sfuNodes: amount(),
        sfuNodeVcpu: integerAtLeast(1),
        oversizedCalls: amount(),
        memberEventsPerDay: amount(),
        heartbeatsPerDay: amount(),
        keyMessagesPerDay: amount(),
      }).optional(),
    }),
    storage: object({
      bytesAtStart: amount(),
      bytesPerDay: amount(),
      bytesAtEnd: amount(),
      bytesAtEndLow: amount(),
      bytesAtEndHigh: amount(),
      // As the scenario's run.horizonMonths and features.retentionDays allow.
      horizonMonths: finiteNumber(rule.integerFromTo(1, 240), (x) => Number.isInteger(x) && x >= 1 && x <= 240),
      retentionDays: nullableNumber(rule.numberAbove(0), (x) => x > 0),
      byCategory,
    }),
    resources,
    latencyMs: object({ localSend: percentiles(), federationDelivery: percentiles() }),
    recommendation,
    // Added after version 1 was first written: optional, so that earlier files still read.
    incidents: array(incident).default([]),
    // Added after version 1 was first written: earlier files read as no trust boundary figures.
    trustBoundary: object({
      destinations: array(object({ server: name(), servers: integerAtLeast(1), ...trustFigures })),
      totals: object(trustFigures),
      levers: array(
        object({
          lever: oneOf(TRUST_LEVERS),
          method: oneOf(['counters', 'resimulated', 'not run']),
          servers: count(),
          totals: objectOrNull(trustFigures),
        }),
      ),
    }).default({ destinations: [], totals: zeroFigures(), levers: [] }),
    // Added after version 1 was first written: optional, so that earlier files still read.
    governance: object({
      search: object({
        enabled: flag(),
        indexedEventsPerDay: amount(),
        indexBytesPerDay: amount(),
        queriesPerDay: amount(),
        rowsMatchedPerQuery: amount(),
        indexCpuSecondsPerDay: amount(),
        indexDatabaseSecondsPerDay: amount(),
        queryCpuSecondsPerDay: amount(),
        queryDatabaseSecondsPerDay: amount(),
      }),
      retention: object({
        legalHold: flag(),
        kinds: array(object({ name: name(), maxLifetimeDays: nullableNumber(rule.numberAbove(0), (x) => x > 0) })),
        purgedEventsPerDay: amount(),
        purgeCpuSecondsPerDay: amount(),
        purgeDatabaseSecondsPerDay: amount(),
      }),
      audit: object({
        eventsPerDay: amount(),
        bytesPerDay: amount(),
        bytesAtEnd: amount(),
        egressBytesPerDay: amount(),
        lockYears: positive(),
      }).optional(),
    }).optional(),
  },
  { error: rule.object() },
);
