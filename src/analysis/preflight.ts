/**
 * Before simulating: how big is this run? An estimate of the events, the
 * memory and the CPU time a scenario will take, from its inputs alone, so
 * that a run this machine cannot hold is refused at once (naming the input
 * that drives it and the largest value that would fit) instead of filling
 * memory or running for days.
 *
 * The estimate is a linear model over quantities the scenario fixes (users,
 * rooms, memberships, messages and their fan-out, processes, bins). Its
 * coefficients (`PREFLIGHT`) were fitted by least squares on runs of the
 * shipped scenarios at several sizes (docs/MODEL.md "Pre-flight estimate"):
 * they are an ESTIMATE, good to a factor of about two, which is what a
 * refusal needs. Nothing here runs the model.
 */
import { getHeapStatistics } from 'node:v8';
import { totalmem } from 'node:os';
import { meanOf, roomCounts } from '../model/world.js';
import { METRICS } from '../model/metrics.js';
import { deploymentProcesses } from '../server/topology.js';
import type { Scenario } from '../scenario/grammar.js';

/**
 * Coefficients of the estimate. Trust: ESTIMATE, fitted (least squares,
 * non-negative) on one-day runs of the seven shipped scenarios at 1 to 10
 * times their users' tenth, and variants; see docs/MODEL.md.
 */
export const PREFLIGHT = {
  /** Events per process per simulated second: the replication tick and timers. */
  eventsPerProcessSecond: 1.0,
  /** Events per local message (its send, persist, sync wake-ups of the sender, receipts, typing). */
  eventsPerMessage: 12,
  /** Events per local member a message reaches (a device woken, a push). */
  eventsPerDelivery: 1.5,
  /** Events per remote message received (a transaction, its persist, local deliveries). */
  eventsPerRemoteMessage: 6,
  /** Events per user per day (sessions, presence, devices). */
  eventsPerUserDay: 30,
  /** CPU seconds per event on the reference machine (a 2-core VM of 2026; the bench measures it). */
  cpuSecondsPerEvent: 1.0e-6,
  /** Resident memory of a run before its world: code, Vega, fonts. */
  baseBytes: 250 * 2 ** 20,
  /** Bytes per user: the world's per-user arrays, sessions, devices, their state. */
  bytesPerUser: 600,
  /** Bytes per local membership: room member lists, read markers, push state. */
  bytesPerMembership: 80,
  /** Bytes per room: its arrays, state, queues. */
  bytesPerRoom: 400,
  /** Bytes per bin per process and per metric kept for each replication (series, histograms). */
  bytesPerSeriesCell: 8,
  /** Series per process kept bin by bin (busy time, queue, latency), besides the metrics. */
  seriesPerProcess: 12,
  /** Bytes of the report per bin (CSV rows over every series) and fixed (HTML, charts). */
  reportBytesPerBin: 6_000,
  reportBaseBytes: 8 * 2 ** 20,
} as const;

/** The inputs of a run that its size depends on, with what each contributes. */
export interface RunSizeInputs {
  users: number;
  rooms: number;
  localMemberships: number;
  messagesPerDay: number;
  deliveriesPerDay: number;
  remoteMessagesPerDay: number;
  /** Remote members of rooms we share: their presence, typing, receipts and state reach us. */
  remoteMembers: number;
  /** Transactions' worth of federation sends per day: each local message times the remote servers in its room. */
  federationSendsPerDay: number;
  /** Pairs of a local member and a remote server in one of its rooms (presence on): each presence change is sent to each. */
  presencePairs: number;
  processes: number;
  binsPerReplication: number;
  days: number;
  replications: number;
  /** Simulations besides the replications: the verification of the recommendation and its capacity search. */
  extraSimulations: number;
}

export interface RunEstimate {
  inputs: RunSizeInputs;
  eventsPerDay: number;
  events: number;
  cpuSeconds: number;
  memoryBytes: number;
  reportBytes: number;
}

/** The quantities of a scenario that its run's size follows. */
export function runSizeInputs(s: Scenario, o: { replications?: number; verify?: boolean } = {}): RunSizeInputs {
  const users = s.population.users;
  const counts = roomCounts(s);
  let rooms = 0;
  let localMemberships = 0;
  let remoteMessagesPerDay = 0;
  let remoteMembers = 0;
  let weightedMembers = 0;
  let weight = 0;
  let weightedServers = 0;
  let presencePairs = 0;
  const federated = s.federation.mode !== 'closed';
  s.rooms.kinds.forEach((kind, k) => {
    const n = counts[k] ?? 0;
    const total = meanOf(kind.members);
    const local = Math.min(users, kind.localMembers ?? Math.max(1, total * (1 - kind.remoteMemberShare)));
    const remote = federated ? Math.max(0, total - local) : 0;
    rooms += n;
    localMemberships += n * local;
    remoteMembers += n * remote;
    remoteMessagesPerDay += n * remote * (kind.remoteMessagesPerMemberPerDay ?? s.federation.remoteMessagesPerMemberPerDay);
    // A message lands in a kind in proportion to its memberships and activity; it reaches the room's local members.
    const w = n * local * kind.activityWeight;
    weightedMembers += w * local;
    weight += w;
    // Remote servers in such a room: at most one per remote member (kind.remoteServers when given).
    const servers = Math.min(remote, kind.remoteServers ?? s.federation.remoteServers);
    weightedServers += w * servers;
    if (s.features.presence) presencePairs += n * local * servers;
  });
  const b = s.behaviour;
  const perUser = s.population.classes.reduce((a, c) => a + c.share * c.messagesPerDay, 0);
  const messagesPerDay = users * perUser * (1 + b.reactionsPerMessage + b.editsPerMessage + b.redactionsPerMessage);
  const membersPerMessage = weight > 0 ? weightedMembers / weight : 1;
  const serversPerMessage = weight > 0 ? weightedServers / weight : 0;
  const deliveriesPerDay = (messagesPerDay + remoteMessagesPerDay) * membersPerMessage * s.population.devicesPerUser * (1 + b.typingNotificationsPerMessage / 4);
  const replications = o.replications ?? s.run.replications;
  const server = s.run.server;
  const extraSimulations = o.verify === false ? 0 : 2 + (server.saturation === 'simulated' ? 8 : 0);
  return {
    users,
    rooms,
    localMemberships,
    messagesPerDay,
    deliveriesPerDay,
    remoteMessagesPerDay,
    remoteMembers,
    federationSendsPerDay: messagesPerDay * serversPerMessage,
    presencePairs,
    processes: deploymentProcesses(s).length + 1,
    binsPerReplication: Math.ceil((s.run.days * 1440) / s.run.binMinutes),
    days: s.run.days,
    replications,
    extraSimulations,
  };
}

/** Events, CPU, memory and report size of a run with these inputs. */
export function estimateFrom(x: RunSizeInputs): RunEstimate {
  const K = PREFLIGHT;
  const eventsPerDay =
    K.eventsPerProcessSecond * x.processes * 86_400 +
    K.eventsPerMessage * x.messagesPerDay +
    K.eventsPerDelivery * x.deliveriesPerDay +
    K.eventsPerRemoteMessage * x.remoteMessagesPerDay +
    K.eventsPerUserDay * x.users;
  const simulations = x.replications + x.extraSimulations;
  const events = eventsPerDay * x.days * simulations;
  const world = K.bytesPerUser * x.users + K.bytesPerMembership * x.localMemberships + K.bytesPerRoom * x.rooms;
  const seriesPerReplication = K.bytesPerSeriesCell * x.binsPerReplication * (METRICS.length + K.seriesPerProcess * x.processes);
  return {
    inputs: x,
    eventsPerDay,
    events,
    cpuSeconds: events * K.cpuSecondsPerEvent,
    // One world at a time, the series of every replication kept for the summary.
    memoryBytes: K.baseBytes + world + seriesPerReplication * simulations,
    reportBytes: K.reportBaseBytes + K.reportBytesPerBin * x.binsPerReplication,
  };
}

/** The estimate for a scenario as it will run. */
export function estimateRun(s: Scenario, o: { replications?: number; verify?: boolean } = {}): RunEstimate {
  return estimateFrom(runSizeInputs(s, o));
}

/** What this machine can give a run: memory (the smaller of the JavaScript heap's limit and 3/4 of RAM) and the longest CPU time it is let run. */
export interface MachineLimits {
  memoryBytes: number;
  cpuSeconds: number;
}

/** The CPU time beyond which a run must be asked for with --allow-large: 12 hours. */
export const MAX_CPU_SECONDS = 12 * 3600;

export function machineLimits(): MachineLimits {
  return { memoryBytes: Math.min(getHeapStatistics().heap_size_limit * 1.5, totalmem() * 0.75), cpuSeconds: MAX_CPU_SECONDS };
}

/** An input a user may lower to make a run fit, where it sits in the scenario, and how the estimate follows it. */
interface Lever {
  /** The scenario path or option, as the user writes it. */
  path: string;
  value: number;
  /** The estimate with this input set to `v` (the others as they are). */
  with: (v: number) => RunEstimate;
  integer: boolean;
  /** The smallest value the input may take. */
  min: number;
}

function levers(s: Scenario, x: RunSizeInputs): Lever[] {
  const scaleUsers = (v: number): RunSizeInputs => {
    const f = v / x.users;
    // Rooms given per user scale with users; rooms given by count do not (their share of rooms and memberships is kept as it is).
    const perUser = s.rooms.kinds.some((k) => k.count === undefined);
    return {
      ...x,
      users: v,
      rooms: perUser ? x.rooms * f : x.rooms,
      localMemberships: x.localMemberships * f,
      messagesPerDay: x.messagesPerDay * f,
      deliveriesPerDay: x.deliveriesPerDay * f,
    };
  };
  return [
    { path: 'population.users', value: x.users, with: (v) => estimateFrom(scaleUsers(v)), integer: true, min: 1 },
    { path: 'run.replications', value: x.replications, with: (v) => estimateFrom({ ...x, replications: v }), integer: true, min: 1 },
    {
      path: 'run.days',
      value: x.days,
      with: (v) => estimateFrom({ ...x, days: v, binsPerReplication: Math.ceil((x.binsPerReplication * v) / x.days) }),
      integer: true,
      min: 1,
    },
    {
      path: 'run.binMinutes',
      value: s.run.binMinutes,
      with: (v) => estimateFrom({ ...x, binsPerReplication: Math.ceil((x.days * 1440) / v) }),
      integer: false,
      min: s.run.binMinutes,
    },
  ];
}

export interface SizeProblem {
  /** What runs out: memory or time. */
  resource: 'memory' | 'time';
  estimate: number;
  limit: number;
  /** The input that drives it most, and the value that would fit (null when no value of it fits). */
  path: string;
  value: number;
  fits: number | null;
}

/**
 * Where a run exceeds the machine: for memory and for time, the input whose
 * change would bring it back the most (the one that contributes most), and
 * the largest value (smallest for a bin width) of it that fits. Empty when
 * the run fits.
 */
export function sizeProblems(s: Scenario, est: RunEstimate, limits: MachineLimits): SizeProblem[] {
  const out: SizeProblem[] = [];
  const measures = [
    { resource: 'memory' as const, of: (e: RunEstimate) => e.memoryBytes, limit: limits.memoryBytes },
    { resource: 'time' as const, of: (e: RunEstimate) => e.cpuSeconds, limit: limits.cpuSeconds },
  ];
  for (const m of measures) {
    const estimate = m.of(est);
    if (estimate <= m.limit) continue;
    // The lever whose smallest (or, for bins, largest sensible) setting saves the most.
    let best: { lever: Lever; saved: number; fits: number | null } | null = null;
    for (const lever of levers(s, est.inputs)) {
      const fits = fittingValue(lever, (e) => m.of(e) <= m.limit);
      const extreme = lever.path === 'run.binMinutes' ? 1440 : lever.min;
      const saved = estimate - m.of(lever.with(extreme));
      if (best === null || saved > best.saved) best = { lever, saved, fits };
    }
    if (best) out.push({ resource: m.resource, estimate, limit: m.limit, path: best.lever.path, value: best.lever.value, fits: best.fits });
  }
  return out;
}

/** The value of a lever closest to its current one at which the run fits (bisection), or null. */
function fittingValue(lever: Lever, ok: (e: RunEstimate) => boolean): number | null {
  if (lever.path === 'run.binMinutes') {
    // Wider bins shrink the series: the narrowest width that fits, among the divisors of a day.
    for (const v of [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 240, 360, 720, 1440]) if (v >= lever.value && ok(lever.with(v))) return v;
    return null;
  }
  if (!ok(lever.with(lever.min))) return null;
  let lo = lever.min;
  let hi = lever.value;
  for (let i = 0; i < 60 && hi - lo > (lever.integer ? 1 : hi * 1e-6); i++) {
    const mid = lever.integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
    if (ok(lever.with(mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}
