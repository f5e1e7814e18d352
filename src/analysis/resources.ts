/**
 * From what the server model measured to what an architect needs: the cores
 * and memory each process used, latencies, and a recommendation (deployment,
 * cores, RAM, disk, bandwidth) with the bottleneck named and the user count
 * at which it reaches its limits.
 *
 * Steady-state statistics drop a warm-up found from the data: MSER-5 (White
 * 1997) on the total busy cores of each replication.
 */
import type { BillComponent } from './bill.js';
import { maxOf } from '../engine/array.js';
import { roundSignificant } from '../numeric/round-significant.js';
import { M, WRITTEN_DATABASE_CATEGORIES, type WrittenStorageCategory } from '../model/metrics.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { StorageMonth } from '../model/storage.js';
import type { Scenario } from '../scenario/grammar.js';
import { MAX_USERS } from '../scenario/limits.js';
import { postgresMemoryBytes, processMemoryBytes, type Band, type MemoryContext } from '../server/memory.js';
import { coresNeeded, offeredLoads, quantileOf as quantile, resourceLoads, RESOURCE_WORDS, sizeForLoad, UTILIZATION_TOLERANCE } from '../server/sizing.js';
import { deploymentProcesses, processesOf, profileOf, workersInUse, type Deployment } from '../server/topology.js';
import { OPS, type Op } from '../model/homeserver.js';
import { mser5Truncation } from './confidence.js';
import { stat, type Stat } from './stat.js';

const GiB = 1024 ** 3;
const mean = (v: ArrayLike<number>) => (v.length === 0 ? 0 : Array.from(v).reduce((a, b) => a + b, 0) / v.length);
const round = (x: number) => roundSignificant(x, 6);

export interface ProcessUsage {
  name: string;
  kind: string;
  cores: number;
  coresMean: number;
  coresP95: number;
  coresPeak: number;
  utilizationP95: number;
  /** Demand for CPU at the 95th percentile bin, cores (above capacity when saturated). */
  offeredCoresP95: number;
  queueMax: number;
  /** Requests shed because the queue was full (a saturated process), per simulated day. */
  rejectedPerDay: number;
  ramBytesPeak: number;
}

export interface Resources {
  warmup: { method: 'MSER-5'; binsDropped: number; minutesDropped: number };
  processes: ProcessUsage[];
  database: { cores: number; coresMean: number; coresP95: number; utilizationP95: number; offeredCoresP95: number; ramBytes: number } | null;
  totalCores: { mean: number; p95: number; peak: number; ci95: [number, number] };
  ramBytesPeak: number;
}

export interface Latencies {
  localSend: { p50: Stat; p95: Stat; p99: Stat };
  federationDelivery: { p50: Stat; p95: Stat; p99: Stat };
}

export interface Verification {
  /** Seed of the re-simulation (one replication). */
  seed: string;
  /** Re-simulations run; each one after the first added capacity where queues were longest. */
  iterations: number;
  meetsTargets: boolean;
  /** Highest p95 utilisation of any process or the database, as re-simulated. */
  utilizationP95Max: number;
  /** Local-send latency at the target percentile, ms, as re-simulated. */
  localSendMs: number;
  /** What was added after each re-simulation that missed a target. */
  adjustments: string[];
}

/** Cores and RAM of a deployment at one end of the costs' ranges. */
export interface BandPoint {
  cores: number;
  ramGiB: number;
}

/** The deployment that survives the incidents, beside the normal day's (summary.json `recommendation.survival`). */
export interface Survival {
  /** Names of the incidents it must survive. */
  incidents: string[];
  deployment: { kind: 'monolith' | 'workers' | 'multi-threaded'; workers: Record<string, number> | null; processes: number; serverCores: number | null };
  /** Its cores counted as one per Synapse process (or the server's), plus PostgreSQL's: an upper bound, not sized from load as `cores` is. */
  cores: number;
  databaseCores: number;
  /** Whether the last re-simulation survived every one of them. */
  meetsTargets: boolean;
  iterations: number;
  /** What was grown after each miss, in order. */
  adjustments: string[];
  /** Per incident, in the last re-simulation: local send latency at the target's percentile in its window (ms), and the drain (s; null: not within the run). */
  windows: { name: string; localSendMs: number; drainSeconds: number | null }[];
}

export interface Recommendation {
  implementation: string;
  /** The deployment: its kind, the workers it runs (kinds with none left out), its processes, a multi-threaded server's cores. */
  deployment: { kind: 'monolith' | 'workers' | 'multi-threaded'; workers: Record<string, number> | null; processes: number; serverCores: number | null };
  /** Cores in all, PostgreSQL's included: each component's p95 CPU over the ceiling, summed. */
  cores: number;
  databaseCores: number;
  /** Cores each component needs (p95 CPU over the ceiling), before rounding up. */
  coresByComponent: Record<string, number>;
  /** The homeserver's processes of each kind, and the RAM one process of that kind holds (GiB, the memory model's typical figure, a mean over its processes). */
  processesByKind: Record<string, number>;
  ramGiBByProcessKind: Record<string, number>;
  /** The deployment as a bill of materials: every component with its instances and what each needs (src/analysis/bill.ts). */
  components: BillComponent[];
  /** RAM in all, PostgreSQL's included, GiB. */
  ramGiB: number;
  databaseRamGiB: number;
  /** Cores and RAM with every cost at the low and the high end of its range (src/server/profiles.ts, memory.ts). */
  band: { low: BandPoint; typical: BandPoint; high: BandPoint };
  diskGiB: number;
  bandwidthMbps: number;
  /** The users the deployment is sized for: today's, or those at the end of the horizon when users grow. */
  horizonUsers: number;
  /** Sized for today's users while they grow: the month from now at which they pass `saturationUsers` (null: not within the horizon). */
  growAtMonth: number | null;
  bottleneck: string;
  bottleneckResource: string;
  /** Utilisation of the bottleneck at the p95 bin in the recommended deployment. */
  bottleneckUtilizationP95: number;
  /** Users at which the recommended deployment misses its targets. */
  saturationUsers: number;
  /** 'simulated': found by re-simulating larger populations (src/analysis/capacity.ts); 'linear': extrapolated from the bottleneck. */
  saturationMethod: 'simulated' | 'linear';
  targets: Scenario['run']['server']['targets'];
  /** Whether the recommended deployment, re-simulated, meets the targets (true when not verified: CPU sizing alone). */
  targetsMet: boolean;
  /** When the targets cannot be met: the mechanism that prevents it and the lever that would help. */
  limit: { mechanism: string; lever: string } | null;
  /** Whether the deployment as simulated met the targets. */
  simulatedDeploymentMeetsTargets: { cpu: boolean; latency: boolean };
  /** The recommended deployment re-simulated (null when not checked). */
  verification: Verification | null;
  /** The deployment grown to survive the incidents marked `mustSurvive` (null when none is, or not verified). */
  survival: Survival | null;
  notes: string[];
}

/** What the memory model needs from one replication. */
export function memoryContext(r: ReplicationResult, s: Scenario): MemoryContext {
  const peakEventsPerHalfHour = (maxOf(r.server.eventsPersistedByBin) * 30) / s.run.binMinutes;
  const hot = Math.min(r.activeRooms, peakEventsPerHalfHour);
  return {
    peakOnlineUsers: maxOf(r.onlineUsers),
    peakOnlineDevices: maxOf(r.onlineDevices),
    activeRooms: r.activeRooms,
    peakEventsPerHalfHour,
    hotStateEntries: r.activeRooms > 0 ? (r.activeRoomStateEntries * hot) / r.activeRooms : 0,
    roomsPerUser: r.world.users > 0 ? r.world.memberships / r.world.users : 0,
    largestJoinStateEvents: r.largestJoinStateEvents,
  };
}

/** Resource use of the deployment as simulated. */
export function resources(s: Scenario, results: readonly ReplicationResult[], storageBytesPerDay: Record<WrittenStorageCategory, number>): Resources {
  const first = results[0]!;
  const specs = deploymentProcesses(s);
  const profile = profileOf(s);
  // Warm-up per replication, on the total busy cores.
  const cuts = results.map((r) => {
    const bins = r.server.processes[0]!.busyByBin.length;
    const total = new Array<number>(bins).fill(0);
    for (const p of r.server.processes) for (let b = 0; b < bins; b++) total[b]! += p.busyByBin[b]!;
    if (r.server.database) for (let b = 0; b < bins; b++) total[b]! += r.server.database.busyByBin[b]!;
    return { cut: bins >= 10 ? mser5Truncation(total).truncatePoints : 0, total };
  });
  const steady = (r: number, a: ArrayLike<number>) => Array.from(a).slice(Math.min(cuts[r]!.cut, a.length - 1));
  const avg = (f: (r: ReplicationResult, i: number) => number) => mean(results.map(f));

  const processes: ProcessUsage[] = specs.map((spec, i) => {
    const coresP95 = avg((r, k) => quantile(steady(k, r.server.processes[i]!.busyByBin), 0.95));
    return {
      name: spec.name,
      kind: spec.kind,
      cores: spec.cores,
      coresMean: round(avg((r, k) => mean(steady(k, r.server.processes[i]!.busyByBin)))),
      coresP95: round(coresP95),
      coresPeak: round(avg((r, k) => maxOf(steady(k, r.server.processes[i]!.busyByBin)))),
      utilizationP95: round(coresP95 / spec.cores),
      offeredCoresP95: round(avg((r, k) => quantile(steady(k, r.server.processes[i]!.offeredByBin), 0.95))),
      queueMax: round(avg((r) => maxOf(r.server.processes[i]!.queueMaxByBin))),
      rejectedPerDay: round(avg((r) => r.server.processes[i]!.rejectedJobs / s.run.days)),
      ramBytesPeak: Math.round(avg((r) => processMemoryBytes(profile, spec, specs, memoryContext(r, s)))),
    };
  });
  // PostgreSQL's working set from the rows written (logical bytes, as the memory model is fitted).
  const dbBytesPerDay = WRITTEN_DATABASE_CATEGORIES.reduce((a, c) => a + storageBytesPerDay[c], 0);
  const stateGroupBase = avg((r) => r.baseStorage.stateGroups);
  const database = first.server.database
    ? (() => {
        const coresP95 = avg((r, k) => quantile(steady(k, r.server.database!.busyByBin), 0.95));
        return {
          cores: first.server.database.cores,
          coresMean: round(avg((r, k) => mean(steady(k, r.server.database!.busyByBin)))),
          coresP95: round(coresP95),
          utilizationP95: round(coresP95 / first.server.database.cores),
          offeredCoresP95: round(avg((r, k) => quantile(steady(k, r.server.database!.offeredByBin), 0.95))),
          ramBytes: Math.round(postgresMemoryBytes(specs.length, dbBytesPerDay, stateGroupBase)),
        };
      })()
    : null;
  const totals = results.map((_, k) => steady(k, cuts[k]!.total));
  const totalMean = stat(totals.map((t) => mean(t)));
  return {
    warmup: {
      method: 'MSER-5',
      binsDropped: round(mean(cuts.map((c) => c.cut))),
      minutesDropped: round(mean(cuts.map((c) => c.cut)) * s.run.binMinutes),
    },
    processes,
    database,
    totalCores: {
      mean: totalMean.mean,
      p95: round(mean(totals.map((t) => quantile(t, 0.95)))),
      peak: round(mean(totals.map((t) => maxOf(t)))),
      ci95: totalMean.ci95,
    },
    ramBytesPeak: Math.round(processes.reduce((a, p) => a + p.ramBytesPeak, 0) + (database?.ramBytes ?? 0)),
  };
}

export function latencies(results: readonly ReplicationResult[]): Latencies {
  const q = (f: (r: ReplicationResult) => { count: number; quantile(q: number): number }, p: number) => stat(results.map((r) => (f(r).count > 0 ? f(r).quantile(p) * 1000 : NaN)));
  return {
    localSend: { p50: q((r) => r.server.localSendLatency, 0.5), p95: q((r) => r.server.localSendLatency, 0.95), p99: q((r) => r.server.localSendLatency, 0.99) },
    federationDelivery: { p50: q((r) => r.federationLatency, 0.5), p95: q((r) => r.federationLatency, 0.95), p99: q((r) => r.federationLatency, 0.99) },
  };
}

/** A deployment chosen by sizing, or adjusted after re-simulation. */
export type Sizing = Deployment;

/**
 * Size a deployment for the offered load (src/server/sizing.ts), then RAM
 * from the memory model, disk from the storage horizon, bandwidth from the
 * p95 bin; name the bottleneck and the user count at which it is reached.
 */
export function recommend(
  s: Scenario,
  results: readonly ReplicationResult[],
  storage: readonly StorageMonth[],
  simulated: { resources: Resources; latencies: Latencies },
  deployment: Sizing = sizeForLoad(s, offeredLoads(s, results)),
): Recommendation {
  const t = s.run.server.targets;
  const target = t.cpuUtilization;
  const profile = profileOf(s);
  const binSeconds = s.run.binMinutes * 60;
  const notes: string[] = [];
  const p95Of = (f: (r: ReplicationResult) => ArrayLike<number>) => mean(results.map((r) => quantile(f(r), 0.95)));
  const l = offeredLoads(s, results);
  const specs = processesOf(profile, deployment);

  // Load per resource (cores at the p95 bin) and its capacity in this deployment.
  const { loads, notes: loadNotes } = resourceLoads(s, deployment, l);
  notes.push(...loadNotes);
  // The bottleneck: the resource closest to (or furthest past) its ceiling.
  const worst = loads.reduce((a, b) => (b.load / b.capacity > a.load / a.capacity ? b : a));
  // Users the deployment holds, scaling the loads linearly; with no load at all (nobody active) it holds
  // any population the grammar allows, and says so rather than "Infinity".
  const byLoad = Math.min(...loads.filter((x) => x.load > 0).map((x) => (target * x.capacity) / x.load));
  const saturation = Math.min(byLoad, MAX_USERS / s.population.users);
  if (!Number.isFinite(byLoad))
    notes.push(`no load was measured (nobody was active), so no population up to ${MAX_USERS.toLocaleString('en-US')}, the most a scenario may have, is too many`);
  if (deployment.kind === 'workers' && worst.resource === 'main' && worst.load > target) {
    notes.push('the main process alone exceeds the CPU ceiling; Synapse can move typing, receipts and presence to stream writers (not modelled yet)');
  }

  // Cores from load, and at the ends of the costs' ranges.
  const need = coresNeeded(s, loads);
  const f = costRange(s, results);
  const coresAt = (cpu: number, db: number) => {
    const n = coresNeeded(
      s,
      loads.map((x) => ({ ...x, load: x.load * (x.resource === 'database' ? db : cpu) })),
    );
    return n.server + n.database;
  };

  // Memory of the recommended deployment, typical and at the ends of its range.
  const ctx = results.map((r) => memoryContext(r, s));
  const processRam = (band: Band) => mean(ctx.map((c) => specs.reduce((a, p) => a + processMemoryBytes(profile, p, specs, c, band), 0)));
  const dbRam = (band: Band) =>
    simulated.resources.database ? postgresMemoryBytes(specs.length, dbBytesPerDay(s, results), mean(results.map((r) => r.baseStorage.stateGroups)), band) : 0;
  const ramGiB = (band: Band) => Math.ceil((processRam(band) + dbRam(band)) / GiB);
  const processesByKind: Record<string, number> = {};
  const ramGiBByProcessKind: Record<string, number> = {};
  for (const p of specs) {
    processesByKind[p.kind] = (processesByKind[p.kind] ?? 0) + 1;
    ramGiBByProcessKind[p.kind] = (ramGiBByProcessKind[p.kind] ?? 0) + mean(ctx.map((c) => processMemoryBytes(profile, p, specs, c, 'typical'))) / GiB;
  }
  for (const k of Object.keys(processesByKind)) ramGiBByProcessKind[k] = round(ramGiBByProcessKind[k]! / processesByKind[k]!);

  const diskBytes = (storage.at(-1)?.total ?? 0) * (1 + t.diskHeadroom);
  const bytesPerSecondP95 = p95Of((r) => {
    const out = r.counters.series(M['client.bytes_out']);
    const add = (['fed.out.bytes', 'media.bytes_out', 'media.fed_bytes_out', 'push.bytes'] as const).map((id) => r.counters.series(M[id]));
    const inn = (['client.bytes_in', 'fed.in.bytes', 'media.bytes_in'] as const).map((id) => r.counters.series(M[id]));
    return out.map(
      (x, b) =>
        Math.max(
          x + add.reduce((a, s2) => a + (s2[b] ?? 0), 0),
          inn.reduce((a, s2) => a + (s2[b] ?? 0), 0),
        ) / binSeconds,
    );
  });

  const latency = simulated.latencies.localSend[t.latencyPercentile].mean;
  const cpuOk = [...simulated.resources.processes.map((p) => p.utilizationP95), simulated.resources.database?.utilizationP95 ?? 0].every(
    (u) => u <= target + UTILIZATION_TOLERANCE,
  );
  const workers = deployment.kind === 'workers' ? workersInUse(deployment) : null;
  return {
    implementation: profile.implementation,
    deployment: { kind: deployment.kind, workers, processes: specs.length, serverCores: deployment.serverCores },
    verification: null,
    cores: Math.max(need.server, deployment.serverCores ?? 0) + Math.max(need.database, deployment.databaseCores),
    databaseCores: Math.max(need.database, deployment.databaseCores),
    coresByComponent: need.byComponent,
    processesByKind,
    ramGiBByProcessKind,
    components: [],
    ramGiB: ramGiB('typical'),
    databaseRamGiB: Math.ceil(dbRam('typical') / GiB),
    band: {
      low: { cores: coresAt(f.cpu.low, f.db.low), ramGiB: ramGiB('low') },
      typical: { cores: Math.max(need.server, deployment.serverCores ?? 0) + Math.max(need.database, deployment.databaseCores), ramGiB: ramGiB('typical') },
      high: { cores: coresAt(f.cpu.high, f.db.high), ramGiB: ramGiB('high') },
    },
    diskGiB: Math.ceil(diskBytes / GiB),
    bandwidthMbps: Math.ceil(((bytesPerSecondP95 * 8) / 1e6) * (1 + t.bandwidthHeadroom)),
    horizonUsers: s.population.users,
    growAtMonth: null,
    bottleneck: RESOURCE_WORDS[worst.resource] ?? worst.resource,
    bottleneckResource: worst.resource,
    bottleneckUtilizationP95: round(worst.load / worst.capacity),
    saturationUsers: Math.floor(s.population.users * saturation),
    saturationMethod: 'linear',
    targets: t,
    targetsMet: true,
    limit: null,
    simulatedDeploymentMeetsTargets: { cpu: cpuOk, latency: Number.isFinite(latency) ? latency <= t.localSendMs : true },
    survival: null,
    notes,
  };
}

/**
 * How far the CPU and database load move with every cost at the low or the
 * high end of its range: the run's CPU per operation weighted by each
 * operation's range (which includes the implementation's factor range,
 * src/server/profiles.ts).
 */
function costRange(s: Scenario, results: readonly ReplicationResult[]): { cpu: { low: number; high: number }; db: { low: number; high: number } } {
  const profile = profileOf(s);
  const roomsPerUser = mean(results.map((r) => (r.world.users > 0 ? r.world.memberships / r.world.users : 0)));
  const cost = profile.cost({ roomsPerUser });
  const weigh = (by: (r: ReplicationResult) => Record<Op, number>, end: 'low' | 'high') => {
    let total = 0;
    let moved = 0;
    for (const op of OPS) {
      const x = mean(results.map((r) => by(r)[op]));
      total += x;
      moved += x * cost[op].range[end];
    }
    return total > 0 ? moved / total : 1;
  };
  const cpu = (r: ReplicationResult) => r.server.cpuSecondsByOp;
  const db = (r: ReplicationResult) => r.server.databaseSecondsByOp;
  return { cpu: { low: weigh(cpu, 'low'), high: weigh(cpu, 'high') }, db: { low: weigh(db, 'low'), high: weigh(db, 'high') } };
}

function dbBytesPerDay(s: Scenario, results: readonly ReplicationResult[]): number {
  return mean(results.map((r) => WRITTEN_DATABASE_CATEGORIES.reduce((a, c) => a + r.counters.total(M[`storage.${c}`]), 0) / s.run.days));
}
