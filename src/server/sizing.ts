/**
 * Sizing a deployment from the load the simulation offered: how many
 * processes or cores each kind of work needs to stay under the CPU ceiling,
 * the load and capacity of each resource of a deployment (for the
 * bottleneck and the saturation point), and what to grow when a
 * re-simulated deployment misses its targets.
 *
 * Loads are CPU demanded at the p95 bin, in cores, averaged over replications.
 */
import { meanOf } from '../engine/array.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { SERVER_COEFFICIENTS } from './profiles.js';
import { oneWorkerEach, profileOf, WORKER_KINDS, type Deployment } from './topology.js';

/** Utilisation above the ceiling accepted as the noise of one replication (2 points). */
export const UTILIZATION_TOLERANCE = 0.02;
/** Workers of one kind, at most. */
const MAX_WORKERS_PER_KIND = 500;
/** Cores PostgreSQL and a multi-threaded server get at least. */
const MIN_CORES = 2;
/** Below this share of a core left after replication, adding Python workers does not help. */
const MIN_USABLE_WORKER_SHARE = 0.05;

/** Words a person understands, for each resource. */
export const RESOURCE_WORDS: Record<string, string> = {
  main: 'the main process CPU: presence, typing, receipts and device lists run on one Python core',
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
  /** CPU of the work a process of this kind would do (`server`: all of it). */
  kind(kind: string): number;
  database: number;
  /** CPU each Synapse worker spends following the replication stream. */
  replicationCores: number;
}

export function offeredLoads(s: Scenario, results: readonly ReplicationResult[]): OfferedLoads {
  const binSeconds = s.run.binMinutes * 60;
  const p95Of = (f: (r: ReplicationResult) => ArrayLike<number>) => meanOf(results.map((r) => quantileOf(f(r), 0.95)));
  const eventsPerSecondP95 = p95Of((r) => r.server.eventsPersistedByBin) / binSeconds;
  return {
    kind: (kind: string) => p95Of((r) => r.server.offeredByWorkerKind[kind] ?? []),
    database: p95Of((r) => r.server.databaseOfferedByBin),
    replicationCores: (eventsPerSecondP95 * SERVER_COEFFICIENTS.replicationCpuMsPerEvent.value) / 1000,
  };
}

/**
 * The CPU sizing: each kind of work gets enough processes (or cores) to stay
 * under the ceiling at the p95 bin, Synapse workers paying the replication
 * overhead; PostgreSQL gets at least 2 cores.
 */
export function sizeForLoad(s: Scenario, l: OfferedLoads): Deployment {
  const target = s.run.server.targets.cpuUtilization;
  const profile = profileOf(s);
  const databaseCores = profile.postgres ? Math.max(MIN_CORES, Math.ceil(l.database / target)) : 0;
  if (profile.multiThreaded) return { kind: 'multi-threaded', workers: null, serverCores: Math.max(MIN_CORES, Math.ceil(l.kind('server') / target)), databaseCores };
  if (l.kind('server') <= target) return { kind: 'monolith', workers: null, serverCores: null, databaseCores };
  const usable = Math.max(MIN_USABLE_WORKER_SHARE, target - l.replicationCores);
  const workers = oneWorkerEach();
  for (const k of WORKER_KINDS) workers[k] = Math.min(MAX_WORKERS_PER_KIND, Math.max(1, Math.ceil(l.kind(k) / usable)));
  return { kind: 'workers', workers, serverCores: null, databaseCores };
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
  } else if (d.kind === 'monolith') {
    loads.push({ resource: 'monolith', load: l.kind('server'), capacity: 1 });
  } else {
    if (target - l.replicationCores <= MIN_USABLE_WORKER_SHARE) {
      notes.push(`following the replication stream alone takes ${(l.replicationCores * 100).toFixed(0)}% of a worker's core at the p95 rate; Python workers cannot be added usefully`);
    }
    loads.push({ resource: 'main', load: l.kind('main'), capacity: 1 });
    for (const k of WORKER_KINDS) {
      const n = d.workers?.[k] ?? 0;
      loads.push({ resource: k, load: l.kind(k) + n * l.replicationCores, capacity: n });
    }
  }
  if (profileOf(s).postgres) loads.push({ resource: 'database', load: l.database, capacity: d.databaseCores });
  return { loads, notes };
}

/** What a re-simulation of a deployment measured, per process kind and for the database. */
export interface Pressure {
  /** Highest score of each process kind ('database' for PostgreSQL): mean queue or p95 utilisation. */
  byKind: Map<string, number>;
}

/** The highest score per process kind: the mean queue length, or the p95 utilisation. */
export function pressure(r: ReplicationResult, utilizationP95: { processes: readonly number[]; database: number | null }, by: 'queue' | 'utilization'): Pressure {
  const byKind = new Map<string, number>();
  r.server.processes.forEach((p, i) => {
    const score = by === 'queue' ? meanOf(p.queueByBin) : (utilizationP95.processes[i] ?? 0);
    byKind.set(p.kind, Math.max(byKind.get(p.kind) ?? 0, score));
  });
  if (r.server.database) byKind.set('database', by === 'queue' ? meanOf(r.server.database.queueByBin) : (utilizationP95.database ?? 0));
  return { byKind };
}

/**
 * Add capacity to the resource under most pressure: a quarter more (at least
 * one) of its processes or cores; a monolith becomes one worker of each kind.
 * Null when only the main process could help.
 */
export function growDeployment(d: Deployment, p: Pressure): { deployment: Deployment; what: string } | null {
  const ranked = [...p.byKind.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const worst = ranked[0]?.[0];
  if (worst === undefined) return null;
  const more = (n: number) => Math.max(n + 1, Math.ceil(n * 1.25));
  if (worst === 'database') return { deployment: { ...d, databaseCores: more(d.databaseCores) }, what: `PostgreSQL to ${more(d.databaseCores)} cores` };
  if (d.kind === 'multi-threaded') return { deployment: { ...d, serverCores: more(d.serverCores ?? 1) }, what: `server to ${more(d.serverCores ?? 1)} cores` };
  if (d.kind === 'monolith') return { deployment: { ...d, kind: 'workers', workers: oneWorkerEach() }, what: 'workers instead of a single process' };
  if (worst === 'main' || d.workers === null) return null;
  const kind = WORKER_KINDS.find((k) => k === worst);
  if (kind === undefined) return null;
  const n = d.workers[kind];
  return { deployment: { ...d, workers: { ...d.workers, [kind]: more(n) } }, what: `${kind} workers to ${more(n)}` };
}
