/**
 * Sizing a deployment from the load the simulation offered, following
 * Synapse's documented practice (docs/workers.md): one process until its load
 * passes the CPU ceiling, then workers only for the work whose load needs
 * them, the largest first, as many of each as keep them under the ceiling.
 * Work with no worker stays on the main process; a server that does not
 * federate offers no federation load, so it never gets federation workers.
 *
 * Cores come from load, not from the process count: a process needs the CPU
 * it uses at the p95 bin divided by the ceiling, idle ones almost nothing,
 * and the host needs the sum, PostgreSQL's included.
 *
 * Loads are CPU demanded at the p95 bin, in cores, averaged over replications.
 */
import { meanOf } from '../engine/array.js';
import type { Op } from '../model/homeserver.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { replicationCpuMsPerRow } from './profiles.js';
import { profileOf, SYNAPSE_WORKER_FOR, WORKER_KINDS, workersEach, type Deployment, type ProcessKind, type WorkerKind } from './topology.js';

/** Utilisation above the ceiling accepted as the noise of one replication (2 points). */
export const UTILIZATION_TOLERANCE = 0.02;
/** Workers of one kind, at most (a bound on the search, far beyond any published deployment). */
export const MAX_WORKERS_PER_KIND = 500;
/** Work offering less than this at the p95 bin, in cores, stays on the main process. */
const MIN_WORKER_LOAD_CORES = 0.01;
/** Below this share of a core left after following replication, adding Python workers does not help. */
const MIN_USABLE_WORKER_SHARE = 0.05;

/** Words a person understands, for each resource. */
export const RESOURCE_WORDS: Record<string, string> = {
  main: 'the main process CPU: presence, typing, receipts and device lists, and every kind of work without its own workers, on one Python core',
  sync: "the sync workers' CPU: delivering events, receipts and presence to online devices",
  generic: "the client-request workers' CPU: accepting and creating events",
  eventPersister: "the event persisters' CPU: writing events",
  federationSender: "the federation senders' CPU: fanning events out to remote servers",
  federationReader: "the federation readers' CPU: checking inbound transactions",
  mediaRepository: "the media repository's CPU: uploads, thumbnails and downloads",
  pusher: "the pushers' CPU: push notifications",
  server: "the server's CPU",
  database: 'PostgreSQL CPU',
  monolith: 'the single Synapse process: everything runs on one Python core',
};

/** The q-quantile of values (sorted copy, nearest rank). */
export function quantileOf(values: ArrayLike<number>, q: number): number {
  const x = Array.from(values).sort((a, b) => a - b);
  if (x.length === 0) return 0;
  return x[Math.min(x.length - 1, Math.max(0, Math.ceil(q * x.length) - 1))] ?? 0;
}

/** The load a run offered, at the p95 bin, in cores (averaged over replications). */
export interface OfferedLoads {
  /** CPU of the work a process of this kind would do with workers (`server`: all of it). */
  kind(kind: string): number;
  database: number;
  /** CPU each Synapse worker spends following the replication stream. */
  replicationCores: number;
}

export function offeredLoads(s: Scenario, results: readonly ReplicationResult[]): OfferedLoads {
  const binSeconds = s.run.binMinutes * 60;
  const p95Of = (f: (r: ReplicationResult) => ArrayLike<number>) => meanOf(results.map((r) => quantileOf(f(r), 0.95)));
  const rowsPerSecondP95 = p95Of((r) => r.server.streamRowsByBin) / binSeconds;
  return {
    kind: (kind: string) => p95Of((r) => r.server.offeredByWorkerKind[kind] ?? []),
    database: p95Of((r) => r.server.databaseOfferedByBin),
    replicationCores: (rowsPerSecondP95 * replicationCpuMsPerRow(profileOf(s))) / 1000,
  };
}

/** The load the main process keeps: its own work and every kind of work that has no workers. */
export function mainLoad(l: OfferedLoads, workers: Record<WorkerKind, number>): number {
  return l.kind('main') + WORKER_KINDS.reduce((sum, k) => sum + (workers[k] > 0 ? 0 : l.kind(k)), 0);
}

/** Workers of `kind` that keep each under the ceiling while they also follow replication. */
function workersFor(load: number, target: number, replicationCores: number): number {
  const usable = Math.max(MIN_USABLE_WORKER_SHARE, target - replicationCores);
  return Math.min(MAX_WORKERS_PER_KIND, Math.max(1, Math.ceil(load / usable)));
}

/** Move work off the main process, the largest first, until main is under the ceiling or nothing worth moving is left. */
function offloadMain(workers: Record<WorkerKind, number>, l: OfferedLoads, target: number): Record<WorkerKind, number> {
  const out = { ...workers };
  const candidates = WORKER_KINDS.filter((k) => out[k] === 0 && l.kind(k) >= MIN_WORKER_LOAD_CORES).sort((a, b) => l.kind(b) - l.kind(a));
  for (const k of candidates) {
    if (mainLoad(l, out) <= target) break;
    out[k] = workersFor(l.kind(k), target, l.replicationCores);
  }
  return out;
}

/**
 * The deployment for a load: a multi-threaded server on the cores it needs;
 * Synapse as one process while its load is under the ceiling, else workers
 * for the work that needs them (see the file header). PostgreSQL gets the
 * cores its load needs, at least one.
 */
export function sizeForLoad(s: Scenario, l: OfferedLoads): Deployment {
  const target = s.run.server.targets.cpuUtilization;
  const profile = profileOf(s);
  const databaseCores = profile.postgres ? Math.max(1, Math.ceil(l.database / target)) : 0;
  if (profile.multiThreaded) return { kind: 'multi-threaded', workers: null, serverCores: Math.max(1, Math.ceil(l.kind('server') / target)), databaseCores };
  if (l.kind('server') <= target) return { kind: 'monolith', workers: null, serverCores: null, databaseCores };
  return { kind: 'workers', workers: offloadMain(workersEach(0), l, target), serverCores: null, databaseCores };
}

/** One resource of a deployment: its load at the p95 bin and its capacity, in cores. */
export interface ResourceLoad {
  resource: string;
  load: number;
  capacity: number;
}

/** The load and capacity of every resource of a deployment, and notes on what limits it. */
export function resourceLoads(s: Scenario, d: Deployment, l: OfferedLoads): { loads: ResourceLoad[]; notes: string[] } {
  const target = s.run.server.targets.cpuUtilization;
  const loads: ResourceLoad[] = [];
  const notes: string[] = [];
  if (d.kind === 'multi-threaded') {
    loads.push({ resource: 'server', load: l.kind('server'), capacity: d.serverCores ?? 1 });
  } else if (d.kind === 'monolith' || d.workers === null) {
    loads.push({ resource: 'monolith', load: l.kind('server'), capacity: 1 });
  } else {
    if (target - l.replicationCores <= MIN_USABLE_WORKER_SHARE) {
      notes.push(
        `following the replication stream alone takes ${(l.replicationCores * 100).toFixed(0)}% of a worker's core at the p95 rate; Python workers cannot be added usefully`,
      );
    }
    loads.push({ resource: 'main', load: mainLoad(l, d.workers), capacity: 1 });
    for (const k of WORKER_KINDS) {
      const n = d.workers[k];
      if (n > 0) loads.push({ resource: k, load: l.kind(k) + n * l.replicationCores, capacity: n });
    }
  }
  if (profileOf(s).postgres) loads.push({ resource: 'database', load: l.database, capacity: d.databaseCores });
  return { loads, notes };
}

/**
 * Cores a deployment needs for a load: each resource's p95 load over the
 * ceiling, summed; the homeserver's part at least one core, PostgreSQL's at
 * least one. Fractions per component, for the report.
 */
export function coresNeeded(s: Scenario, loads: readonly ResourceLoad[]): { server: number; database: number; byComponent: Record<string, number> } {
  const target = s.run.server.targets.cpuUtilization;
  const byComponent: Record<string, number> = {};
  let server = 0;
  let database = 0;
  for (const r of loads) {
    const cores = r.load / target;
    byComponent[r.resource === 'database' ? 'postgres' : r.resource] = Math.round(cores * 100) / 100;
    if (r.resource === 'database') database += cores;
    else server += cores;
  }
  return { server: Math.max(1, Math.ceil(server - 1e-9)), database: profileOf(s).postgres ? Math.max(1, Math.ceil(database - 1e-9)) : 0, byComponent };
}

/** The resource a missed target points at, and whether growing it is possible. */
export type GrowthStep = { deployment: Deployment; what: string } | { deployment: null; resource: string };

const more = (n: number) => Math.max(n + 1, Math.ceil(n * 1.25));

/**
 * Add capacity to `resource` (a process kind, 'monolith', 'server' or
 * 'database'): a quarter more (at least one) of its processes or cores; main
 * or a monolith by moving the largest work it keeps to workers. `deployment:
 * null` when nothing can be added that would help.
 */
export function growDeployment(d: Deployment, resource: string, l: OfferedLoads, target: number, utilization?: number): GrowthStep {
  // At least a quarter more; in proportion to the miss when the utilisation measured is known (a resource at
  // 1.4 times the ceiling gets 1.4 times the capacity), so that a large miss takes one re-simulation, not several.
  const grow = (n: number) => Math.max(more(n), utilization !== undefined && utilization > target ? Math.ceil((n * utilization) / target) : 0);
  if (resource === 'database') return { deployment: { ...d, databaseCores: grow(d.databaseCores) }, what: `PostgreSQL to ${grow(d.databaseCores)} cores` };
  if (d.kind === 'multi-threaded') return { deployment: { ...d, serverCores: grow(d.serverCores ?? 1) }, what: `server to ${grow(d.serverCores ?? 1)} cores` };
  const workers = d.workers ?? workersEach(0);
  const kind = WORKER_KINDS.find((k) => k === resource);
  if (kind !== undefined && workers[kind] > 0) {
    if (workers[kind] >= MAX_WORKERS_PER_KIND) return { deployment: null, resource };
    const n = Math.min(MAX_WORKERS_PER_KIND, grow(workers[kind]));
    return { deployment: { ...d, kind: 'workers', workers: { ...workers, [kind]: n } }, what: `${kind} workers to ${n}` };
  }
  // Main or a monolith (or work still on main): move the largest work main keeps to its own worker.
  const candidates = WORKER_KINDS.filter((k) => workers[k] === 0 && l.kind(k) >= MIN_WORKER_LOAD_CORES);
  const pick = kind !== undefined && candidates.includes(kind) ? kind : candidates.sort((a, b) => l.kind(b) - l.kind(a))[0];
  if (pick === undefined) return { deployment: null, resource: d.kind === 'monolith' ? 'main' : resource };
  const n = workersFor(l.kind(pick), target, l.replicationCores);
  return { deployment: { ...d, kind: 'workers', workers: { ...workers, [pick]: n } }, what: `${pick} work off the main process to ${n} worker${n === 1 ? '' : 's'}` };
}

/** Process kinds on the path of a local send: the event is created, persisted, written to PostgreSQL and delivered. */
export const SEND_PATH: readonly string[] = ['generic', 'eventPersister', 'database', 'sync'];

/** What to do when a process of this kind cannot be grown: the mechanism that loads it and the lever that would help. */
export function limitOf(resource: string, r: readonly ReplicationResult[]): { mechanism: string; lever: string } {
  const ops = (Object.keys(SYNAPSE_WORKER_FOR) as Op[]).filter((op) => kindOf(op) === resource || resource === 'monolith' || resource === 'server');
  const cpu = (op: Op) => meanOf(r.map((x) => x.server.cpuSecondsByOp[op]));
  const total = ops.reduce((a, op) => a + cpu(op), 0);
  const top = [...ops].sort((a, b) => cpu(b) - cpu(a))[0];
  const share = top !== undefined && total > 0 ? Math.round((cpu(top) / total) * 100) : 0;
  const what = top === undefined ? resource : `${OP_WORDS[top] ?? top} (${share}% of its CPU)`;
  return {
    mechanism: `${RESOURCE_WORDS[resource] ?? resource}; most of it is ${what}`,
    lever: (top && LEVERS[top]) ?? 'a server with more headroom per process (a multi-threaded implementation), or lower targets',
  };
}

const kindOf = (op: Op): ProcessKind => SYNAPSE_WORKER_FOR[op];

const OP_WORDS: Partial<Record<Op, string>> = {
  presence: 'presence fan-out',
  receipt: 'read receipts',
  typing: 'typing notifications',
  deviceList: 'device-list updates',
  fedJoin: 'the state resync of big remote rooms joined',
  stateRes: 'state resolution in forked rooms',
  stateLoad: 'loading state maps for state resolution',
  deviceResync: "resyncs of remote users' device lists",
  replication: 'following the replication stream',
  syncNews: 'sync responses',
  syncTimeout: 'empty sync responses',
  send: 'sending events',
};

const LEVERS: Partial<Record<Op, string>> = {
  presence:
    'turn presence off (features.presence=false) or keep big rooms out of presence (Synapse exclude_rooms_from_presence, 1.157); a presence stream writer would move it off main (not modelled)',
  receipt: 'receipt and typing stream writers move this work off main (Synapse docs/workers.md; not modelled)',
  typing: 'receipt and typing stream writers move this work off main (Synapse docs/workers.md; not modelled)',
  deviceList: 'device-list stream writers move this work off main (Synapse docs/workers.md; not modelled)',
  fedJoin: 'the resync after joining a big remote room runs only on main: join such rooms less often, or accept slow sends while it runs',
  replication:
    'fewer, larger workers; Synapse Pro\'s Rust workers (run.server.implementation "synapse-pro") follow the stream at about an eighth of the cost, by the vendor\'s own figure',
  stateRes: 'forks come from events sent concurrently by several servers into a room: more event persisters (sharded by room) spread the resolutions',
  stateLoad: 'each resolution reads the whole state of the room: more event persisters (sharded by room) spread big rooms apart',
};
