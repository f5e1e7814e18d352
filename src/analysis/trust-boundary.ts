/**
 * The federation trust boundary in the summary (`trustBoundary`,
 * docs/OUTPUT.md): per remote server and in total, per day, what leaves this
 * server (src/model/trust-boundary.ts counts it per destination), and what
 * each lever would change.
 *
 * Figures are plain means over the replications (rounded to 6 significant
 * digits), not Stats: the levers come from a single re-simulation or from
 * the counters, and a table of means compares with them directly.
 *
 * Destinations: the first `TRUST_DESTINATIONS` by popularity rank (the
 * servers federation.partners names, most popular first, else "remote-N"),
 * shown in order of readable plus encrypted events; the rest summed in one
 * row "others (K servers)". Selecting by rank keeps the others' visible users
 * exact (usersByLastDestination).
 *
 * Levers: closed federation (exactly zero), an allow-list of the top K
 * partners (the first K destinations' counters, exactly), presence off and
 * private read receipts (the totals with that kind at zero: exactly what
 * stops leaving, the random draws of the rest aside) are computed from the
 * counters; encryption by default needs a re-simulation (one replication,
 * on the first replication's seed, `run.trustBoundaryLevers`: `paired`),
 * else its totals are null.
 */
import type { TrustBoundaryResult } from '../model/trust-boundary.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { remoteServerName } from './incidents-summary.js';
import { round6 } from './stat.js';

/** Destinations listed one by one; the rest are one row. */
export const TRUST_DESTINATIONS = 50;
/** Servers an allow-list keeps when federation.partners names none. */
export const ALLOW_LIST_DEFAULT = 5;

/** The per-day figures of a destination, a class of destinations or the total. */
export interface TrustFigures {
  /** Distinct local users sharing at least one room with it (mean over replications). */
  localUsersVisible: number;
  plaintextEventsPerDay: number;
  encryptedEventsPerDay: number;
  stateEventsPerDay: number;
  presenceUpdatesPerDay: number;
  typingPerDay: number;
  receiptsPerDay: number;
  deviceListUpdatesPerDay: number;
  toDeviceMessagesPerDay: number;
  mediaBytesPerDay: number;
  pdusPerDay: number;
}

export interface TrustDestination extends TrustFigures {
  server: string;
  /** Servers in the row: 1, or K for "others (K servers)". */
  servers: number;
}

export const TRUST_LEVERS = ['closedFederation', 'allowList', 'encryptionByDefault', 'presenceOff', 'privateReadReceipts'] as const;
export type TrustLever = (typeof TRUST_LEVERS)[number];

export interface TrustLeverResult {
  lever: TrustLever;
  /** How it was computed: from the counters (exact) or by re-simulating one replication. */
  method: 'counters' | 'resimulated' | 'not run';
  /** Servers an allow-list keeps (allowList only, else 0). */
  servers: number;
  /** The totals with the lever set; null when not run. */
  totals: TrustFigures | null;
}

export interface TrustBoundarySummary {
  destinations: TrustDestination[];
  totals: TrustFigures;
  levers: TrustLeverResult[];
}

/** The counted kinds and the figure each becomes. */
const PER_DAY = [
  ['plaintextEvents', 'plaintextEventsPerDay'],
  ['encryptedEvents', 'encryptedEventsPerDay'],
  ['stateEvents', 'stateEventsPerDay'],
  ['presenceUpdates', 'presenceUpdatesPerDay'],
  ['typing', 'typingPerDay'],
  ['receipts', 'receiptsPerDay'],
  ['deviceListUpdates', 'deviceListUpdatesPerDay'],
  ['toDeviceMessages', 'toDeviceMessagesPerDay'],
  ['mediaBytes', 'mediaBytesPerDay'],
  ['pdus', 'pdusPerDay'],
] as const;

export const TRUST_FIELDS = ['localUsersVisible', ...PER_DAY.map(([, f]) => f)] as const satisfies readonly (keyof TrustFigures)[];

export const zeroFigures = (): TrustFigures => Object.fromEntries(TRUST_FIELDS.map((f) => [f, 0])) as unknown as TrustFigures;

/** Figures of the destinations [from, to) of one replication; `visible` the distinct users they see. */
function figuresOf(t: TrustBoundaryResult, from: number, to: number, days: number, visible: number): TrustFigures {
  const f = zeroFigures();
  f.localUsersVisible = visible;
  for (const [kind, field] of PER_DAY) {
    let sum = 0;
    const a = t[kind];
    for (let d = from; d < Math.min(to, a.length); d++) sum += a[d]!;
    f[field] = sum / days;
  }
  return f;
}

function meanFigures(all: readonly TrustFigures[]): TrustFigures {
  const f = zeroFigures();
  if (all.length === 0) return f;
  for (const k of TRUST_FIELDS) f[k] = round6(all.reduce((s, x) => s + x[k], 0) / all.length);
  return f;
}

const sumRange = (a: Int32Array, from: number, to: number): number => {
  let s = 0;
  for (let d = from; d < Math.min(to, a.length); d++) s += a[d]!;
  return s;
};

/** The totals of one replication. */
export function replicationTotals(r: ReplicationResult, days: number): TrustFigures {
  const t = r.trustBoundary;
  return figuresOf(t, 0, t.pdus.length, days, t.localUsersVisibleToAny);
}

/** Servers an allow-list of the top partners keeps: federation.partners' length, else 5. */
export const allowListServers = (s: Scenario): number => (s.federation.partners.length > 0 ? s.federation.partners.length : ALLOW_LIST_DEFAULT);

/**
 * The scenario with encryption by default: every room kind this server
 * creates (not hosted remotely, not joined later) encrypted.
 */
export function withEncryptionByDefault(s: Scenario): Scenario {
  return {
    ...s,
    features: { ...s.features, encryptionByDefault: true },
    rooms: { ...s.rooms, kinds: s.rooms.kinds.map((k) => (k.hostedRemotely || k.joinAt !== undefined ? k : { ...k, encryptedShare: 1 })) },
  };
}

/** A re-simulation of one replication of a scenario (the lever's). */
export type LeverRunner = (s: Scenario) => ReplicationResult;

/**
 * A lever re-simulated on the first replication's seed, against the run's
 * means: the mean plus the lever's difference from that replication (common
 * random numbers, so a lever that changes nothing changes no figure), at
 * least 0; a kind the lever's run has none of stays at none.
 */
function paired(mean: TrustFigures, first: TrustFigures, lever: TrustFigures): TrustFigures {
  const f = zeroFigures();
  for (const k of TRUST_FIELDS) f[k] = lever[k] === 0 ? 0 : round6(Math.max(0, mean[k] + lever[k] - first[k]));
  return f;
}

/** What each lever would change, from the replications' counters and, given `run`, one re-simulation. */
export function trustLevers(s: Scenario, results: readonly ReplicationResult[], totals: TrustFigures, run: LeverRunner | null): TrustLeverResult[] {
  const days = s.run.days;
  const k = allowListServers(s);
  const allowList = meanFigures(
    results.map((r) => {
      const t = r.trustBoundary;
      return figuresOf(t, 0, k, days, sumRange(t.usersByFirstDestination, 0, k));
    }),
  );
  const federates = s.federation.mode !== 'closed' && s.federation.remoteServers > 0;
  let encryption: TrustLeverResult = { lever: 'encryptionByDefault', method: 'not run', servers: 0, totals: null };
  if (!federates) encryption = { ...encryption, method: 'counters', totals: zeroFigures() };
  else if (run && results[0])
    encryption = { ...encryption, method: 'resimulated', totals: paired(totals, replicationTotals(results[0], days), replicationTotals(run(withEncryptionByDefault(s)), days)) };
  return [
    { lever: 'closedFederation', method: 'counters', servers: 0, totals: zeroFigures() },
    { lever: 'allowList', method: 'counters', servers: k, totals: allowList },
    encryption,
    { lever: 'presenceOff', method: 'counters', servers: 0, totals: { ...totals, presenceUpdatesPerDay: 0 } },
    { lever: 'privateReadReceipts', method: 'counters', servers: 0, totals: { ...totals, receiptsPerDay: 0 } },
  ];
}

/** The summary's trustBoundary (levers needing a re-simulation only with `run`). */
export function summarizeTrustBoundary(s: Scenario, results: readonly ReplicationResult[], run: LeverRunner | null = null): TrustBoundarySummary {
  const days = s.run.days;
  const servers = Math.max(0, ...results.map((r) => r.trustBoundary.pdus.length));
  const totals = meanFigures(results.map((r) => replicationTotals(r, days)));
  const listed = Math.min(servers, TRUST_DESTINATIONS);
  const destinations: TrustDestination[] = [];
  for (let d = 0; d < listed; d++) {
    const f = meanFigures(results.map((r) => figuresOf(r.trustBoundary, d, d + 1, days, r.trustBoundary.localUsersVisible[d] ?? 0)));
    destinations.push({ server: remoteServerName(s, d), servers: 1, ...f });
  }
  destinations.sort((a, b) => b.plaintextEventsPerDay + b.encryptedEventsPerDay - (a.plaintextEventsPerDay + a.encryptedEventsPerDay));
  if (servers > listed) {
    const others = meanFigures(results.map((r) => figuresOf(r.trustBoundary, listed, servers, days, sumRange(r.trustBoundary.usersByLastDestination, listed, servers))));
    destinations.push({ server: `others (${servers - listed} servers)`, servers: servers - listed, ...others });
  }
  return { destinations, totals, levers: trustLevers(s, results, totals, run) };
}
