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
import { meanOf, roomCounts, roomMembers } from '../model/world.js';
import { deploymentProcesses } from '../server/topology.js';
import type { Scenario } from '../scenario/grammar.js';

/**
 * Coefficients of the estimate. Trust: ESTIMATE. Fitted by
 * scripts/fit-preflight.ts (non-negative least squares, each run weighted by
 * 1/observed², so relative errors count) on the 21 one-day runs of
 * data/preflight-runs.csv (seed "x", no verification, the compiled CLI on a
 * 2-core machine, 2026-11-30): the shipped scenarios at one to four
 * populations (40 to 100,000 users), company-2000 with five reactions per
 * message, ten typing notifications per message, presence off and 1-minute
 * bins (one and three replications), and national-300000 at 1,000,000 users
 * on tuwunel (110 M events, 939 MiB at its peak). Candidate terms the fit set
 * to zero (users for events; local memberships for memory) are dropped.
 * Against the runs it was fitted on, events are 0.44 to 1.51 times the
 * observed, resident memory 0.61 to 1.29 times and CPU time 0.51 to 1.55
 * times (test/analysis/preflight.test.ts holds these coefficients to the fit
 * and to those ranges): good enough to refuse a run a hundred times too
 * large and to warn of a long one, not to promise a duration.
 */
export const PREFLIGHT = {
  /** Events per process per simulated second: the replication tick and timers. */
  eventsPerProcessSecond: 0.437,
  /** Events per local message, reactions, edits and redactions included (its send, persist, deliveries, receipts, typing, pushes). */
  eventsPerMessage: 4.5,
  /** Events per message received from a remote member (its deliveries, and the receipts, typing and presence of remote rooms that come with it). */
  eventsPerRemoteMessage: 290,
  /** Events per federation send: a local message times the remote servers in its room. */
  eventsPerFederationSend: 28.1,
  /** Events per day per pair of a local member and a remote server sharing a room, presence on (presence EDUs). */
  eventsPerPresencePairDay: 13.3,
  /** CPU seconds of a run besides its events: start-up, loading, summarizing and drawing the report. */
  cpuSecondsFixed: 4.53,
  /**
   * CPU seconds per event per GiB of the run's world (the base and the
   * world's terms below, not the series): an event costs more the larger the
   * world it touches, memory the caches do not hold. About 0.8 µs at
   * 180 MiB, 4 µs at a million users' 900 MiB.
   */
  cpuSecondsPerEventGiB: 4.59e-6,
  /** Resident memory of a run before its world: Node, the code, Vega, fonts. */
  baseBytes: 178_000_000,
  /** Bytes per user: the world's per-user and per-membership arrays, sessions, devices (memberships grow with users, and the fit gave them no term of their own). */
  bytesPerUser: 873,
  /** Bytes per remote member of a shared room. */
  bytesPerRemoteMember: 960,
  /** Bytes per bin and process kept for each simulation (series of busy time, queues, latency, metrics). */
  bytesPerBinProcess: 589,
  /** Bytes per bin and process while the report is drawn (chart data, CSV text). */
  renderBytesPerBinProcess: 6590,
  /** Bytes of the report folder per bin (CSV rows of every series) and fixed (HTML, charts). */
  reportBytesPerBin: 6_000,
  reportBaseBytes: 8 * 2 ** 20,
} as const;

/** The inputs of a run that its size depends on, with what each contributes. */
export interface RunSizeInputs {
  users: number;
  rooms: number;
  localMemberships: number;
  messagesPerDay: number;
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
  /** CPU seconds of the simulations alone (what threads can share). */
  simulationCpuSeconds: number;
  /** CPU seconds of the whole run: the simulations, and the fixed part (start-up, summary, report). */
  cpuSeconds: number;
  memoryBytes: number;
  reportBytes: number;
}

/** The quantities of a scenario that its run's size follows. */
export function runSizeInputs(s: Scenario, o: EstimateOptions = {}): RunSizeInputs {
  const users = s.population.users;
  const counts = roomCounts(s);
  let rooms = 0;
  let localMemberships = 0;
  let remoteMessagesPerDay = 0;
  let remoteMembers = 0;
  let weight = 0;
  let weightedServers = 0;
  let presencePairs = 0;
  const federated = s.federation.mode !== 'closed';
  s.rooms.kinds.forEach((kind, k) => {
    const n = counts[k] ?? 0;
    const total = meanOf(roomMembers(kind, users));
    const local = Math.min(users, kind.localMembers ?? Math.max(1, total * (1 - kind.remoteMemberShare)));
    const remote = federated ? Math.max(0, total - local) : 0;
    rooms += n;
    localMemberships += n * local;
    remoteMembers += n * remote;
    remoteMessagesPerDay += n * remote * (kind.remoteMessagesPerMemberPerDay ?? s.federation.remoteMessagesPerMemberPerDay);
    // A message lands in a kind in proportion to its memberships and activity; it reaches the room's local members.
    const w = n * local * kind.activityWeight;
    weight += w;
    // Remote servers in such a room: at most one per remote member (kind.remoteServers when given).
    const servers = Math.min(remote, kind.remoteServers ?? s.federation.remoteServers);
    weightedServers += w * servers;
    if (s.features.presence) presencePairs += n * local * servers;
  });
  const b = s.behaviour;
  const perUser = s.population.classes.reduce((a, c) => a + c.share * c.messagesPerDay, 0);
  const messagesPerDay = users * perUser * (1 + b.reactionsPerMessage + b.editsPerMessage + b.redactionsPerMessage);
  const serversPerMessage = weight > 0 ? weightedServers / weight : 0;
  const replications = o.replications ?? s.run.replications;
  const server = s.run.server;
  const extraSimulations = o.verify === false ? 0 : 2 + (server.saturation === 'simulated' ? 8 : 0);
  return {
    users,
    rooms,
    localMemberships,
    messagesPerDay,
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
    K.eventsPerRemoteMessage * x.remoteMessagesPerDay +
    K.eventsPerFederationSend * x.federationSendsPerDay +
    K.eventsPerPresencePairDay * x.presencePairs;
  const simulations = x.replications + x.extraSimulations;
  const events = eventsPerDay * x.days * simulations;
  const world = K.bytesPerUser * x.users + K.bytesPerRemoteMember * x.remoteMembers;
  const series = K.bytesPerBinProcess * x.binsPerReplication * x.processes * simulations;
  const render = K.renderBytesPerBinProcess * x.binsPerReplication * x.processes;
  // One world at a time; the series of every simulation are kept for the summary and the report.
  const memoryBytes = K.baseBytes + world + series + render;
  // An event's cost follows the memory it touches: the world's, not the series'.
  const simulationCpuSeconds = (K.cpuSecondsPerEventGiB * events * (K.baseBytes + world)) / 2 ** 30;
  return {
    inputs: x,
    eventsPerDay,
    events,
    simulationCpuSeconds,
    cpuSeconds: K.cpuSecondsFixed + simulationCpuSeconds,
    memoryBytes,
    reportBytes: K.reportBaseBytes + K.reportBytesPerBin * x.binsPerReplication,
  };
}

/** The estimate for a scenario as it will run. */
export interface EstimateOptions {
  /** --replications, when given (else the scenario's). */
  replications?: number;
  /** Whether the recommendation is re-simulated (default true). */
  verify?: boolean;
}

export function estimateRun(s: Scenario, o: EstimateOptions = {}): RunEstimate {
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

/** An input a user may lower to make a run fit: its scenario path, its value, and the estimate with it set to `v` (the rest as they are). */
interface Lever {
  path: string;
  value: number;
  with: (v: number) => RunEstimate;
  integer: boolean;
  /** The value that makes the run smallest: the least a field may take, or the widest bin. */
  smallest: number;
}

/** The inputs that scale a run, each recomputed through the scenario as a user would set it. */
function levers(s: Scenario, x: RunSizeInputs, o: EstimateOptions): Lever[] {
  const set = (change: (c: Scenario) => void) => {
    const c = structuredClone(s);
    change(c);
    return c;
  };
  // Every lever is set in the scenario; --replications (o.replications) stands unless the lever is the replications.
  const lever = (path: string, value: number, integer: boolean, smallest: number, change: (c: Scenario, v: number) => void): Lever => ({
    path,
    value,
    integer,
    smallest,
    with: (v) =>
      estimateRun(
        set((c) => change(c, v)),
        { verify: o.verify, replications: path === 'run.replications' ? v : o.replications },
      ),
  });
  const b = s.behaviour;
  return [
    lever('population.users', s.population.users, true, 1, (c, v) => (c.population.users = v)),
    lever('run.replications', x.replications, true, 1, (c, v) => (c.run.replications = v)),
    lever('run.days', s.run.days, true, 1, (c, v) => (c.run.days = v)),
    lever('run.binMinutes', s.run.binMinutes, false, 1440, (c, v) => (c.run.binMinutes = v)),
    lever('behaviour.reactionsPerMessage', b.reactionsPerMessage, false, 0, (c, v) => (c.behaviour.reactionsPerMessage = v)),
    lever('behaviour.editsPerMessage', b.editsPerMessage, false, 0, (c, v) => (c.behaviour.editsPerMessage = v)),
    lever('behaviour.redactionsPerMessage', b.redactionsPerMessage, false, 0, (c, v) => (c.behaviour.redactionsPerMessage = v)),
    lever('federation.remoteServers', s.federation.remoteServers, true, 0, (c, v) => (c.federation.remoteServers = v)),
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
export function sizeProblems(s: Scenario, est: RunEstimate, limits: MachineLimits, o: EstimateOptions = {}): SizeProblem[] {
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
    for (const lever of levers(s, est.inputs, o)) {
      const fits = fittingValue(lever, (e) => m.of(e) <= m.limit);
      const saved = estimate - m.of(lever.with(lever.smallest));
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
  if (!ok(lever.with(lever.smallest))) return null;
  let lo = lever.smallest;
  let hi = lever.value;
  for (let i = 0; i < 60 && hi - lo > (lever.integer ? 1 : hi * 1e-6); i++) {
    const mid = lever.integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
    if (ok(lever.with(mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}
