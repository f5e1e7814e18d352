/**
 * The homeserver under the workload: its processes and its database as
 * queueing stations. Each operation the workload submits becomes a job that
 * visits, in order, the processes that handle it and then the database, each
 * visit taking a sampled service time; jobs wait in FIFO queues when the
 * station is busy. Latency, saturation and backlogs come out of the queues.
 *
 * A Synapse process is a station with one server (the Python GIL); Dendrite
 * and the conduwuit family are one process with `cores` servers; PostgreSQL
 * is a station with `databaseCores` servers. The conduwuit family has no
 * separate database: its store (RocksDB) works inside the process.
 *
 * Background work every worker must do (following the replication stream) is
 * a fluid load, not jobs: a rate of CPU-seconds per second that takes its
 * share of the process's core. A job entering a process that follows the
 * stream needs its service divided by the share left, 1 - u; the busy cores
 * reported count the fluid beside the jobs. Among Poisson background work
 * processor sharing slows a small job by 1 / (1 - u) in the mean (Kleinrock
 * 1976: its response time depends on the load only through its total), which
 * the fluid gives every job. Utilisation and busy cores agree with the
 * discrete treatments within their intervals; latency under a heavy stream
 * depends on how its work is cut, and the fluid lies between one job per
 * tick and one per row (test/server/fluid.test.ts, docs/MODEL.md §20). A
 * burst beyond the stream's recent rate stays a job. `{ background: 'jobs' }`
 * keeps the discrete treatment for that test.
 */
import type { RandomSource } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import { ProcessorSharingStation, type ServiceStation } from '../engine/ps-station.js';
import { MeanOneLognormal } from '../engine/normal-stream.js';
import { Station } from '../engine/station.js';
import { QuantileSketch } from '../engine/quantile-sketch.js';
import { binIndex } from '../numeric/bin-index.js';
import type { Scenario } from '../scenario/grammar.js';
import { OPS, type Homeserver, type Op, type ServerResult } from '../model/homeserver.js';
import type { HomeserverFactory } from '../model/simulate.js';
import type { CostContext, OpCost, ServerProfile } from './profiles.js';
import { SERVER_COEFFICIENTS } from './server-coefficients.js';
import { deploymentOf, PROCESS_KINDS, processesOf, processKindFor, profileOf, SYNAPSE_WORKER_FOR, type DeploymentKind, type ProcessKind, type ProcessSpec } from './topology.js';

const MAX_STAGES = 6;
/** The station index of a stage that only waits (round trips to PostgreSQL, commits): it holds no core. */
const WAIT_STAGE = -1;
/**
 * Operations submitted for many users at once whose processes are sharded by user: their work is spread over every
 * process of their kind rather than sent to one by the room. Pushes: Synapse picks a user's pusher by hashing the user
 * id over pusher_instances (synapse/push/pusherpool.py, _pusher_shard_config.should_handle), so one event's pushes to a
 * big room's members land on every pusher; the fetches of the phones they wake come from those users.
 */
const SPREAD_OVER_USERS = Uint8Array.from(OPS, (op) => (op === 'push' || op === 'notificationFetch' ? 1 : 0));
const MAX_QUEUED_JOBS = SERVER_COEFFICIENTS.maxQueuedJobs.value;
const MAX_QUEUED_JOBS_TOTAL = SERVER_COEFFICIENTS.maxQueuedJobsTotal.value;
const MIN_QUEUED_JOBS = SERVER_COEFFICIENTS.minQueuedJobs.value;
const MIN_BATCH_SECONDS = SERVER_COEFFICIENTS.minBatchSeconds.value;
const MAX_DEFER_SECONDS = SERVER_COEFFICIENTS.maxDeferSeconds.value;
const FLUSH_SECONDS = SERVER_COEFFICIENTS.flushSeconds.value;
const ALL_KINDS = PROCESS_KINDS;
const KIND_INDEX = Object.fromEntries(ALL_KINDS.map((k, i) => [k, i])) as Record<ProcessKind, number>;
const WORKER_KIND_OF_OP: Int8Array = Int8Array.from(OPS.map((op) => KIND_INDEX[SYNAPSE_WORKER_FOR[op]]));
const OP_INDEX: Record<Op, number> = Object.fromEntries(OPS.map((op, i) => [op, i])) as Record<Op, number>;
/**
 * Most of a process's core the fluid load may take when it enters a job's
 * service time: a worker whose replication alone needs its whole core still
 * serves requests, 100 times slower, and saturates as a discrete backlog would.
 */
const MAX_FLUID_SHARE = 0.99;
/**
 * A replication tick's work is fluid up to BURST_FACTOR times the stream's
 * rate over the last STREAM_RATE_SECONDS (exponentially smoothed), and at
 * least BURST_SHARE of a worker's core (Synapse workers have one); the rest
 * is a burst and enters each worker as a job. Method constants: a steady
 * stream, at any rate, stays fluid; a second of rows beyond twice the recent
 * rate is rare outside joins of large rooms.
 */
const STREAM_RATE_SECONDS = 60;
const BURST_FACTOR = 2;
const BURST_SHARE = 0.5;
/** Deferred work's arrival rate at a process is smoothed over this long (method constant, as STREAM_RATE_SECONDS). */
const DEFERRED_RATE_SECONDS = 30;

/** How the model charges background work (internal; the default is the one the results use). */
export interface ServerModelOptions {
  /**
   * 'fluid': replication is a load that reduces each worker's capacity;
   * deferred work (nobody waits on it) is a load on its process too, at the
   * rate it was deferred over the last flush interval, up to BURST_SHARE of
   * the process's cores (the rest enters as a job); deferred sync work is
   * spread over the sync workers once per flush.
   * 'jobs': the discrete treatment: each call of replicate() enters every
   * worker as one job at once, each flush puts each process's deferred work
   * in as one job, and spread work is divided on every submit; kept to show
   * that both agree (test/server/fluid.test.ts).
   */
  background?: 'fluid' | 'jobs';
}

export class ServerModel implements Homeserver {
  readonly profile: ServerProfile;
  readonly specs: ProcessSpec[];
  private readonly stations: ServiceStation[];
  private readonly db: ServiceStation | null;
  /** Costs per operation in this run's world. */
  private readonly cost: Record<Op, OpCost>;
  /** CPU and database seconds offered per operation over the run. */
  private readonly cpuByOp = new Float64Array(OPS.length);
  private readonly dbByOp = new Float64Array(OPS.length);
  private readonly waitHandler: number;
  private readonly dbIndex: number;
  /** Main's database connections (Synapse's cp_max), those long transactions hold, and main's jobs waiting for one (job, since when). */
  readonly mainConnections: number | undefined;
  private heldConnections = 0;
  private readonly connectionQueue: number[] = [];
  private readonly connectionQueueSince: number[] = [];
  /** Seconds local sends spent at each station (PostgreSQL last) beyond their service there. */
  private readonly sendWait: Float64Array;
  private readonly byKind = new Map<ProcessKind, number[]>();
  private readonly deploymentKind: DeploymentKind;
  /** A Synapse worker deployment (processes follow the replication stream; work is routed by kind). */
  private readonly workers: boolean;
  private readonly binSeconds: number;
  private readonly bins: number;

  // Job pool: op, start time, stages (station index, seconds), current stage, completion key.
  private cap = 1024;
  private jobOp = new Int8Array(this.cap);
  private jobStart = new Float64Array(this.cap);
  /** When each job entered its current stage, s. */
  private jobEntered = new Float64Array(this.cap);
  private jobKey = new Float64Array(this.cap);
  private jobStage = new Int8Array(this.cap);
  private jobStages = new Int8Array(this.cap);
  private stageStation = new Int32Array(this.cap * MAX_STAGES);
  private stageSeconds = new Float64Array(this.cap * MAX_STAGES);
  /** Jobs free for reuse, a stack of `freeCount` in a typed array as long as the pool. */
  private free = new Int32Array(this.cap);
  private freeCount = 0;
  private nextJob = 0;

  private readonly offered: Float64Array[];
  /** Offered CPU per bin by the process kind that would handle it in a worker deployment. */
  private readonly offeredKind: Float64Array[];
  private readonly dbOffered: Float64Array;
  private readonly persisted: Float64Array;
  private readonly streamRows: Float64Array;
  readonly localSendLatency = new QuantileSketch();
  private readonly localSendByBin: QuantileSketch[];
  /** Called when a job of an operation completes, with its key. */
  private readonly onComplete: Partial<Record<Op, (key: number) => void>> = {};
  /** Work of operations nobody waits on, gathered per station until the next flush (s). */
  private readonly pending: Float64Array;
  private readonly pendingSince: Float64Array;
  /** The stations with work pending, in the order their pots were started, and how many. */
  private readonly pendingList: Int32Array;
  private pendingCount = 0;
  /** 1 for a station in `pendingList`. */
  private readonly pendingListed: Uint8Array;
  private flushScheduled = false;
  private readonly flushHandler: number;
  /** The CPU noise of an operation, constants cached per batch size. */
  private readonly cpuNoise: MeanOneLognormal;
  /** The discrete treatment of background work (ServerModelOptions). */
  private readonly backgroundJobs: boolean;
  /** Deferred work of a kind waiting to be spread over its processes at the next flush (s), by kind. */
  private readonly pendingSpread = new Float64Array(ALL_KINDS.length);
  private readonly pendingSpreadSince = new Float64Array(ALL_KINDS.length);
  /** CPU offered per bin by work spread over the processes of a kind (cores, whole kind), by kind. */
  private readonly spreadOffered: (Float64Array | null)[] = ALL_KINDS.map(() => null);
  /** Cores of each station (the fluid takes a share of them). */
  private readonly stationCores: Float64Array;
  /** Replication fluid on each worker that follows the stream now, cores (CPU-seconds per second). */
  private fluidCores = 0;
  /** The stream's recent rate per worker (smoothed over STREAM_RATE_SECONDS), cores. */
  private streamCores = 0;
  /** Since when `fluidCores` holds, and when the replication stream was last charged, s. */
  private fluidSince = 0;
  private lastReplicate = 0;
  /** Replication fluid per worker that follows the stream, per bin, cores. */
  private readonly fluidByBin: Float64Array;
  /** Replication CPU offered per worker that follows the stream, per bin, cores. */
  private readonly fluidOffered: Float64Array;
  /** Workers follow the stream as a fluid (a worker deployment, not the discrete treatment). */
  private readonly fluid: boolean;
  /**
   * Service entering each worker per bin (index station x bins + bin), s: as
   * the jobs need it, and as the station serves it, divided by the share the
   * fluid left. Their ratio turns the station's busy time back into the jobs' CPU.
   */
  private readonly workIn: Float64Array;
  private readonly stretchedWorkIn: Float64Array;
  /** Deferred work is a fluid load on the processes (not the discrete treatment). */
  private readonly deferFluid: boolean;
  /** Deferred-work fluid on each process now, cores; since when it holds, s; per bin (station x bins), cores. */
  private readonly bgCores: Float64Array;
  private readonly bgSince: Float64Array;
  private readonly bgByBin: Float64Array;
  /** Deferred work each process has yet to do, s; its smoothed arrival rate, cores, as of when, s; and what arrived since then, s. */
  private readonly bgBacklog: Float64Array;
  private readonly bgRate: Float64Array;
  private readonly bgRateAt: Float64Array;
  private readonly bgPot: Float64Array;
  /** The processes whose deferred-work fluid is not zero, and 1 for those listed. */
  private readonly bgList: Int32Array;
  private bgCount = 0;
  private readonly bgListed: Uint8Array;

  constructor(
    private readonly sim: Simulation,
    s: Scenario,
    private readonly rng: RandomSource,
    horizonSeconds: number,
    ctx: CostContext,
    options: ServerModelOptions = {},
  ) {
    this.backgroundJobs = options.background === 'jobs';
    this.profile = profileOf(s);
    this.cost = this.profile.cost(ctx);
    this.cpuNoise = new MeanOneLognormal(this.profile.cpuCv, rng);
    const deployment = deploymentOf(s);
    this.deploymentKind = deployment.kind;
    this.specs = processesOf(this.profile, deployment);
    this.workers = deployment.kind === 'workers';
    this.binSeconds = s.run.binMinutes * 60;
    const binning = { binSeconds: this.binSeconds, horizonSeconds };
    this.stations = this.specs.map((p, i) => {
      const list = this.byKind.get(p.kind) ?? [];
      list.push(i);
      this.byKind.set(p.kind, list);
      // A process interleaves the requests it holds (Twisted's reactor; a multi-threaded server's threads): processor sharing.
      return new ProcessorSharingStation(sim, p.name, p.cores, (job) => this.advance(job), binning);
    });
    // PostgreSQL runs each query to completion on one of its cores: first come, first served.
    this.db = this.profile.postgres ? new Station(sim, 'postgres', s.run.server.databaseCores, (job) => this.advance(job), binning) : null;
    const queues = [...this.stations, ...(this.db ? [this.db] : [])];
    // What a saturated deployment holds in all is bounded, so its memory is too: shared among the queues.
    const maxQueue = Math.max(MIN_QUEUED_JOBS, Math.min(MAX_QUEUED_JOBS, Math.floor(MAX_QUEUED_JOBS_TOTAL / queues.length)));
    for (const st of queues) st.maxQueue = maxQueue;
    this.dbIndex = this.stations.length;
    this.mainConnections = this.db ? SERVER_COEFFICIENTS.dbPoolConnections.value : undefined;
    this.sendWait = new Float64Array(this.stations.length + 1);
    this.bins = Math.max(1, Math.ceil(horizonSeconds / this.binSeconds - 1e-9));
    this.offered = this.specs.map(() => new Float64Array(this.bins));
    this.offeredKind = ALL_KINDS.map(() => new Float64Array(this.bins));
    this.dbOffered = new Float64Array(this.bins);
    this.persisted = new Float64Array(this.bins);
    this.streamRows = new Float64Array(this.bins);
    this.localSendByBin = Array.from({ length: this.bins }, () => new QuantileSketch());
    this.pending = new Float64Array(this.stations.length + 1);
    this.pendingSince = new Float64Array(this.stations.length + 1);
    this.pendingList = new Int32Array(this.stations.length + 1);
    this.pendingListed = new Uint8Array(this.stations.length + 1);
    this.stationCores = Float64Array.from(this.specs, (p) => p.cores);
    this.fluidByBin = new Float64Array(this.bins);
    this.fluidOffered = new Float64Array(this.bins);
    this.fluidSince = sim.now;
    this.fluid = this.workers && !this.backgroundJobs;
    this.deferFluid = !this.backgroundJobs;
    this.workIn = new Float64Array(this.fluid || this.deferFluid ? this.stations.length * this.bins : 0);
    this.bgCores = new Float64Array(this.stations.length);
    this.bgSince = new Float64Array(this.stations.length).fill(sim.now);
    this.bgByBin = new Float64Array(this.deferFluid ? this.stations.length * this.bins : 0);
    this.bgBacklog = new Float64Array(this.stations.length);
    this.bgRate = new Float64Array(this.stations.length);
    this.bgRateAt = new Float64Array(this.stations.length).fill(sim.now);
    this.bgPot = new Float64Array(this.stations.length);
    this.bgList = new Int32Array(this.stations.length);
    this.bgListed = new Uint8Array(this.stations.length);
    this.stretchedWorkIn = new Float64Array(this.workIn.length);
    this.lastReplicate = sim.now;
    this.flushHandler = sim.handler(() => this.flush());
    this.waitHandler = sim.handler((job) => this.advance(job));
  }

  /**
   * Operations nobody waits on (typing, receipts, pushes, sync wake-ups, ...)
   * are gathered per station and enter it as one job every FLUSH_SECONDS: the
   * same CPU, queueing at a half-second grain, and far fewer events.
   */
  private defer(station: number, seconds: number): void {
    if (this.pendingListed[station] === 0) this.startPot(station, this.sim.now);
    this.pending[station]! += seconds;
    this.scheduleFlush();
  }

  /** Station `station` has deferred work from `now` on. */
  private startPot(station: number, now: number): void {
    this.pendingSince[station] = now;
    this.pendingListed[station] = 1;
    this.pendingList[this.pendingCount++] = station;
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.sim.schedule(FLUSH_SECONDS, this.flushHandler);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    let left = false;
    const now = this.sim.now;
    // Work spread over the processes of a kind is divided among them once per
    // flush, not once per operation; while each one's share would be a crumb,
    // the kind's pot waits for more, as a station's does.
    for (let k = 0; k < this.pendingSpread.length; k++) {
      const seconds = this.pendingSpread[k]!;
      if (seconds <= 0) continue;
      const since = this.pendingSpreadSince[k]!;
      const list = this.processesOf(ALL_KINDS[k]!);
      const share = seconds / list.length;
      if (!this.deferFluid && share < MIN_BATCH_SECONDS && now - since < MAX_DEFER_SECONDS) {
        left = true;
        continue;
      }
      this.pendingSpread[k] = 0;
      for (const p of list) {
        if (this.pendingListed[p] === 0) this.startPot(p, since);
        this.pending[p]! += share;
      }
    }
    // Only the stations with a pot: a deployment of a hundred processes has few at a time.
    const list = this.pendingList;
    const count = this.pendingCount;
    let kept = 0;
    if (this.deferFluid) left = this.flushFluid(now) || left;
    for (let n = 0; n < count; n++) {
      const i = list[n]!;
      if (this.deferFluid && i < this.dbIndex) continue; // flushFluid took it
      const seconds = this.pending[i]!;
      // Crumbs wait for more (up to MAX_DEFER_SECONDS): an idle worker's
      // replication work enters as one job every few seconds, not four a second.
      if (seconds < MIN_BATCH_SECONDS && now - this.pendingSince[i]! < MAX_DEFER_SECONDS) {
        list[kept++] = i;
        left = true;
        continue;
      }
      this.pending[i] = 0;
      this.pendingListed[i] = 0;
      if (seconds > 0) this.enterAlone(i, seconds);
    }
    this.pendingCount = kept;
    if (left) {
      this.flushScheduled = true;
      this.sim.schedule(FLUSH_SECONDS, this.flushHandler);
    }
  }

  /**
   * The fluid treatment of deferred work, at a flush. Each process keeps a
   * backlog of the work deferred to it and serves it as a load at the rate
   * the work has been coming in (smoothed over DEFERRED_RATE_SECONDS), up to
   * BURST_SHARE of its cores with the replication fluid, never more than the
   * backlog holds; a backlog
   * beyond BURST_FACTOR flush intervals of that load (a burst, or work the
   * smoothed rate has not caught up with) enters as one job, sharing the
   * cores with requests as the process's event loop does. A smooth load
   * slows a request of x seconds to x / (1 - rho), the mean response of
   * processor sharing at load rho (Kleinrock 1976, vol. 2, sec. 4.4); an
   * unsmoothed one would stretch it by the noise of each interval's count.
   * Returns whether a fluid still runs (so the next flush must come).
   */
  private flushFluid(now: number): boolean {
    const bg = this.bgList;
    // Pots join their process's backlog, and the process is looked at below.
    const list = this.pendingList;
    for (let n = 0; n < this.pendingCount; n++) {
      const i = list[n]!;
      if (i >= this.dbIndex) continue;
      this.bgBacklog[i]! += this.pending[i]!;
      this.bgPot[i]! += this.pending[i]!;
      this.pending[i] = 0;
      this.pendingListed[i] = 0;
      if (this.bgListed[i] === 0) {
        this.bgListed[i] = 1;
        bg[this.bgCount++] = i;
      }
    }
    let kept = 0;
    for (let n = 0; n < this.bgCount; n++) {
      const i = bg[n]!;
      this.chargeBg(i, now);
      const dt = now - this.bgRateAt[i]!;
      if (dt > 0) {
        this.bgRate[i]! += (1 - Math.exp(-dt / DEFERRED_RATE_SECONDS)) * (this.bgPot[i]! / dt - this.bgRate[i]!);
        this.bgRateAt[i] = now;
        this.bgPot[i] = 0;
      }
      // Fluids together take at most BURST_SHARE of the cores: a request's
      // stretch is fixed when it enters, so a fluid near the whole core would
      // hold it long after a moment's peak; beyond that, work shares as jobs.
      const replication = this.fluid && i > 0 ? this.fluidCores : 0;
      const cap = Math.max(0, BURST_SHARE * this.stationCores[i]! - replication);
      const backlog = this.bgBacklog[i]!;
      let fluid = this.bgRate[i]! < cap ? this.bgRate[i]! : cap;
      if (fluid * FLUSH_SECONDS > backlog) fluid = backlog / FLUSH_SECONDS;
      let left = backlog - fluid * FLUSH_SECONDS;
      if (left > BURST_FACTOR * fluid * FLUSH_SECONDS && left > MIN_BATCH_SECONDS) {
        this.enterAlone(i, left);
        left = 0;
      }
      this.bgBacklog[i] = left;
      this.bgCores[i] = fluid;
      if (fluid > 0 || left > 0) bg[kept++] = i;
      else this.bgListed[i] = 0;
    }
    this.bgCount = kept;
    return kept > 0;
  }

  /** Add the deferred-work fluid of process i since it was last charged to its bins. */
  private chargeBg(i: number, until: number): void {
    const from = this.bgSince[i]!;
    this.bgSince[i] = until;
    const rate = this.bgCores[i]!;
    if (rate > 0) this.addFluid(this.bgByBin, i * this.bins, from, until, rate);
  }

  /** Add a load of `rate` cores from `from` to `until` to the bins at target[offset ...], as bin averages. */
  private addFluid(target: Float64Array, offset: number, from: number, until: number, rate: number): void {
    const width = this.binSeconds;
    let t = from;
    while (t < until) {
      let k = Math.floor(t / width);
      let end = (k + 1) * width;
      if (end <= t) end = (++k + 1) * width;
      if (end > until) end = until;
      target[offset + (k < this.bins ? k : this.bins - 1)]! += (rate * (end - t)) / width;
      t = end;
    }
  }

  /** `seconds` of work nobody waits on enter `station` now, as one job. */
  private enterAlone(station: number, seconds: number): void {
    const j = this.allocate();
    this.jobOp[j] = -1;
    this.jobStart[j] = this.sim.now;
    this.jobKey[j] = 0;
    this.stageStation[j * MAX_STAGES] = station;
    this.stageSeconds[j * MAX_STAGES] = seconds;
    this.jobStages[j] = 1;
    this.jobStage[j] = 0;
    this.enter(j);
  }

  /**
   * A lognormal factor of mean 1 for the CPU of an operation of `units` units.
   * One unit varies with the profile's coefficient of variation; a batch of n
   * independent units varies as their sum does, cv / sqrt(n).
   */
  private noise(units: number): number {
    return this.cpuNoise.sample(units);
  }

  /** Run `fn(key)` whenever an operation `op` completes. */
  whenDone(op: Op, fn: (key: number) => void): void {
    this.onComplete[op] = fn;
  }

  /** Count events persisted from elsewhere (inbound federation), for replication sizing and memory. */
  countPersisted(events: number): void {
    this.persisted[this.bin()]! += events;
  }

  /** Worker processes that follow the replication stream (all but main). */
  get replicatingWorkers(): number {
    return this.workers ? this.specs.length - 1 : 0;
  }

  private bin(): number {
    return binIndex(this.sim.now, this.binSeconds, this.bins);
  }

  /** The process of `kind` for shard key `shard` (sharded by user, room or destination). */
  private processFor(kind: ProcessKind, shard: number): number {
    const list = this.processesOf(kind);
    return list.length === 1 ? list[0]! : list[shard % list.length]!;
  }

  /** The processes that do the work of `kind`: its workers, else main (work no worker takes stays there). */
  private processesOf(kind: ProcessKind): number[] {
    const list = this.byKind.get(processKindFor(this.deploymentKind, kind)) ?? this.byKind.get('main');
    if (list === undefined) throw new Error(`no process for ${kind} work in a ${this.deploymentKind} deployment`);
    return list;
  }

  /**
   * Submit an operation. `units` scale its per-unit cost; `shard` picks the
   * worker; `key` is handed to the completion callback of `op`.
   */
  submit(op: Op, units: number, shard: number, key = 0, waitSeconds = 0): void {
    const cost = this.cost[op];
    const noise = this.noise(units);
    let cpu = ((cost.cpuMs + cost.cpuMsPerUnit * units) * noise) / 1000;
    let dbSeconds = ((cost.dbMs + cost.dbMsPerUnit * units) * noise) / 1000;
    if (!this.db) {
      // An embedded store (RocksDB) works on the server's own cores.
      cpu += dbSeconds;
      dbSeconds = 0;
    }
    if (cpu <= 0 && dbSeconds <= 0) {
      this.onComplete[op]?.(key);
      return;
    }
    const b = this.bin();
    const opIndex = OP_INDEX[op];
    this.cpuByOp[opIndex]! += cpu;
    this.dbByOp[opIndex]! += dbSeconds;
    const bin = this.binSeconds;
    const kinds = this.offeredKind;
    this.dbOffered[b]! += dbSeconds / bin;
    kinds[KIND_INDEX.server]![b]! += cpu / bin;
    if (op !== 'send' && this.onComplete[op] === undefined) {
      // Nobody waits on it: its work joins the station's next batch.
      const kind = WORKER_KIND_OF_OP[opIndex]!;
      kinds[kind]![b]! += cpu / bin;
      if (cpu > 0) {
        // Work for many users at once, on processes sharded by user: spread over all of them (the /sync deliveries
        // of an event; the pushes of an event to its members' pushers, Synapse's pusher_instances sharded by user id).
        if (this.workers && (kind === KIND_INDEX.sync || SPREAD_OVER_USERS[opIndex] === 1)) this.spread(ALL_KINDS[kind]!, cpu, b);
        else {
          const station = this.processFor(ALL_KINDS[kind]!, shard);
          this.offered[station]![b]! += cpu / bin;
          this.defer(station, cpu);
        }
      }
      if (this.db && dbSeconds > 0) this.defer(this.dbIndex, dbSeconds);
      return;
    }
    const j = this.allocate();
    this.jobOp[j] = opIndex;
    this.jobStart[j] = this.sim.now;
    this.jobKey[j] = key;
    let n = 0;
    if (op === 'send') {
      // A send: the client-facing worker creates the event, the persister writes
      // it, and the sync workers deliver it to the online devices. The send is
      // timed until its first delivery; the other deliveries are interleaved with
      // everything else on the sync workers (deferred), as the event loop does.
      const fanOut = (cost.cpuMsPerUnit * units * noise) / 1000;
      const first = units > 0 ? fanOut / units : 0;
      const rest = fanOut - first;
      const create = (cpu - fanOut) * SERVER_COEFFICIENTS.sendCreateShare.value;
      kinds[KIND_INDEX.generic]![b]! += create / bin;
      kinds[KIND_INDEX.eventPersister]![b]! += create / bin;
      kinds[KIND_INDEX.sync]![b]! += fanOut / bin;
      this.persisted[b]!++;
      if (this.workers) {
        n = this.stage(j, n, b, this.processFor('generic', shard), create);
        // Waiting on another service's answer (a policy server) between creating the event and persisting it.
        if (waitSeconds > 0) n = this.stage(j, n, b, WAIT_STAGE, waitSeconds);
        n = this.stage(j, n, b, this.processFor('eventPersister', shard), create);
        if (this.db) n = this.stage(j, n, b, this.dbIndex, dbSeconds);
        if (this.db && cost.waitMs > 0) n = this.stage(j, n, b, WAIT_STAGE, cost.waitMs / 1000);
        if (first > 0) n = this.stage(j, n, b, this.processFor('sync', shard), first);
        if (rest > 0) this.spread('sync', rest, b);
      } else {
        const main = this.processFor('main', shard);
        if (waitSeconds > 0) n = this.stage(j, n, b, WAIT_STAGE, waitSeconds);
        n = this.stage(j, n, b, main, 2 * create + first);
        if (this.db) n = this.stage(j, n, b, this.dbIndex, dbSeconds);
        if (this.db && cost.waitMs > 0) n = this.stage(j, n, b, WAIT_STAGE, cost.waitMs / 1000);
        if (rest > 0) {
          this.offered[main]![b]! += rest / bin;
          this.defer(main, rest);
        }
      }
    } else {
      const kind = WORKER_KIND_OF_OP[opIndex]!;
      kinds[kind]![b]! += cpu / bin;
      n = this.stage(j, n, b, this.processFor(ALL_KINDS[kind]!, shard), cpu);
      if (this.db && dbSeconds > 0) n = this.stage(j, n, b, this.dbIndex, dbSeconds);
    }
    this.jobStages[j] = n;
    this.jobStage[j] = 0;
    this.enter(j);
  }

  /**
   * Every worker but main follows the replication stream: each persisted event
   * costs each of them CPU (Synapse workers only).
   */
  replicate(events: number): void {
    this.streamRows[this.bin()]! += events;
    if (!this.workers) return;
    if (!this.backgroundJobs) {
      this.replicateFluid(events);
      return;
    }
    if (events <= 0) return;
    const cost = this.cost.replication;
    const b = this.bin();
    for (let i = 1; i < this.specs.length; i++) {
      const seconds = ((cost.cpuMs + cost.cpuMsPerUnit * events) * this.noise(events)) / 1000;
      this.cpuByOp[OP_INDEX.replication]! += seconds;
      this.offered[i]![b]! += seconds / this.binSeconds;
      this.enterAlone(i, seconds);
    }
  }

  /**
   * The fluid treatment of a replication tick: the work of the rows written
   * since the last tick is done by each worker but main over the next interval
   * of the same length, as a rate. The tick's noise is drawn once for all the
   * workers (the discrete treatment draws it per worker): each worker's load
   * varies from bin to bin as before, the workers together vary more.
   */
  private replicateFluid(events: number): void {
    const now = this.sim.now;
    this.chargeFluid(now);
    const cost = this.cost.replication;
    const seconds = events > 0 ? ((cost.cpuMs + cost.cpuMsPerUnit * events) * this.noise(events)) / 1000 : 0;
    const interval = now > this.lastReplicate ? now - this.lastReplicate : 1;
    this.lastReplicate = now;
    const rate = seconds / interval;
    this.streamCores += (1 - Math.exp(-interval / STREAM_RATE_SECONDS)) * (rate - this.streamCores);
    // A burst (a join persisting thousands of state events in a second) is
    // not a load: as a fluid it would stop every request entering in that
    // second; as a job it shares the core with them, as the worker's reactor
    // does. What the stream's recent rate does not explain enters as a job.
    const cap = Math.min(MAX_FLUID_SHARE, Math.max(BURST_SHARE, BURST_FACTOR * this.streamCores));
    const fluid = rate < cap ? rate : cap;
    this.fluidCores = fluid;
    if (seconds > 0) {
      this.cpuByOp[OP_INDEX.replication]! += seconds * (this.specs.length - 1);
      this.fluidOffered[this.bin()]! += seconds / this.binSeconds;
      const burst = seconds - fluid * interval;
      if (burst > 0) for (let i = 1; i < this.specs.length; i++) this.defer(i, burst);
    }
  }

  /** Add the fluid that ran since `fluidSince`, at `fluidCores`, to its bins. */
  private chargeFluid(until: number): void {
    const from = this.fluidSince;
    this.fluidSince = until;
    if (this.fluidCores > 0) this.addFluid(this.fluidByBin, 0, from, until, this.fluidCores);
  }

  /** Defer `seconds` of work evenly over the processes of `kind`. */
  private spread(kind: ProcessKind, seconds: number, b: number): void {
    if (!this.backgroundJobs) {
      const k = KIND_INDEX[kind];
      const offered = (this.spreadOffered[k] ??= new Float64Array(this.bins));
      offered[b]! += seconds / this.binSeconds;
      if (this.pendingSpread[k] === 0) this.pendingSpreadSince[k] = this.sim.now;
      this.pendingSpread[k]! += seconds;
      this.scheduleFlush();
      return;
    }
    const list = this.processesOf(kind);
    const share = seconds / list.length;
    for (const p of list) {
      this.offered[p]![b]! += share / this.binSeconds;
      this.defer(p, share);
    }
  }

  /** Add stage n of job j (station, seconds) and count its offered CPU; returns n + 1. */
  private stage(j: number, n: number, b: number, station: number, seconds: number): number {
    this.stageStation[j * MAX_STAGES + n] = station;
    this.stageSeconds[j * MAX_STAGES + n] = seconds;
    if (station >= 0 && station < this.dbIndex) this.offered[station]![b]! += seconds / this.binSeconds;
    return n + 1;
  }

  /** Put job j into the station of its current stage. */
  private enter(j: number): void {
    this.jobEntered[j] = this.sim.now;
    const i = j * MAX_STAGES + this.jobStage[j]!;
    const station = this.stageStation[i]!;
    let seconds = this.stageSeconds[i]!;
    if (station === WAIT_STAGE) {
      this.sim.schedule(seconds, this.waitHandler, j);
      return;
    }
    if (this.heldConnections > 0 && station === this.dbIndex && this.heldConnections >= (this.mainConnections ?? Infinity) && this.fromMain(j)) {
      // Every connection of main's pool is held by a long transaction (a purge): wait for one.
      this.connectionQueue.push(j);
      this.connectionQueueSince.push(this.sim.now);
      return;
    }
    if (station < this.dbIndex && this.workIn.length > 0) {
      // A process running a fluid (replication, deferred work) has 1 - u of its cores left for jobs.
      const fluid = this.bgCores[station]! + (this.fluid && station > 0 ? this.fluidCores : 0);
      const u = fluid / this.stationCores[station]!;
      const stretched = u > 0 ? seconds / (1 - (u < MAX_FLUID_SHARE ? u : MAX_FLUID_SHARE)) : seconds;
      const k = station * this.bins + this.bin();
      this.workIn[k]! += seconds;
      this.stretchedWorkIn[k]! += stretched;
      seconds = stretched;
    }
    if (!(station === this.dbIndex ? this.db! : this.stations[station]!).arrive(j, seconds)) this.shed(j);
  }

  /** A job the station refused (its queue is full): the request times out, and whoever waits on it is told so it can go on. */
  private shed(j: number): void {
    const opIndex = this.jobOp[j]!;
    this.release(j);
    if (opIndex >= 0) this.onComplete[OPS[opIndex]!]?.(this.jobKey[j]!);
  }

  /** Job j's database stage is main's query (its stage before was on main), and not a long transaction's own (a purge's piece). */
  private fromMain(j: number): boolean {
    const stage = this.jobStage[j]!;
    return stage > 0 && this.stageStation[j * MAX_STAGES + stage - 1] === 0 && this.jobOp[j] !== OP_INDEX.purge;
  }

  holdConnection(delta: 1 | -1): void {
    this.heldConnections += delta;
    if (delta > 0 || this.connectionQueue.length === 0) return;
    // A connection is given back: what queued for one meanwhile runs first, in order (Twisted's pool is first come, first served).
    const jobs = this.connectionQueue.splice(0);
    const since = this.connectionQueueSince.splice(0);
    const now = this.sim.now;
    for (let i = 0; i < jobs.length; i++) {
      this.onConnectionWait?.(now - since[i]!);
      const j = jobs[i]!;
      if (!this.db!.arrive(j, this.stageSeconds[j * MAX_STAGES + this.jobStage[j]!]!)) this.shed(j);
    }
  }

  onConnectionWait: ((seconds: number) => void) | null = null;

  private advance(j: number): void {
    if (this.jobOp[j] === OP_INDEX.send) {
      // Where sends wait: each stage's time beyond its own service (queueing, sharing, the fluids' stretch).
      const k = j * MAX_STAGES + this.jobStage[j]!;
      const station = this.stageStation[k]!;
      if (station >= 0) {
        const waited = this.sim.now - this.jobEntered[j]! - this.stageSeconds[k]!;
        if (waited > 0) this.sendWait[station]! += waited;
      }
    }
    const next = this.jobStage[j]! + 1;
    if (next < this.jobStages[j]!) {
      this.jobStage[j] = next;
      this.enter(j);
      return;
    }
    const opIndex = this.jobOp[j]!;
    if (opIndex < 0) {
      this.release(j);
      return;
    }
    const op = OPS[opIndex]!;
    if (op === 'send') {
      const latency = this.sim.now - this.jobStart[j]!;
      this.localSendLatency.add(latency);
      this.localSendByBin[this.bin()]!.add(latency);
      this.onLocalSend?.(latency);
    }
    const key = this.jobKey[j]!;
    this.release(j);
    this.onComplete[op]?.(key);
  }

  onLocalSend: ((seconds: number) => void) | null = null;

  probeProcesses(): { kind: string; cores: number }[] {
    return [...this.specs.map((p) => ({ kind: p.kind, cores: p.cores })), ...(this.db ? [{ kind: 'postgres', cores: this.db.servers }] : [])];
  }

  probe(jobCoreSeconds: Float64Array, fluidShare: Float64Array, queue: Float64Array): void {
    const now = this.sim.now;
    for (let i = 0; i < this.stations.length; i++) {
      const st = this.stations[i]!;
      const raw = this.bgCores[i]! + (this.fluid && i > 0 ? this.fluidCores : 0);
      jobCoreSeconds[i] = st.busyByBin ? st.busyByBin.area(now) : 0;
      fluidShare[i] = Math.min(MAX_FLUID_SHARE, raw / this.stationCores[i]!);
      queue[i] = st.queueLength;
    }
    if (this.db) {
      const i = this.stations.length;
      jobCoreSeconds[i] = this.db.busyByBin ? this.db.busyByBin.area(now) : 0;
      fluidShare[i] = 0;
      queue[i] = this.db.queueLength;
    }
  }

  private allocate(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]!;
    if (this.nextJob === this.cap) this.grow();
    return this.nextJob++;
  }

  private release(j: number): void {
    this.free[this.freeCount++] = j;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const free = new Int32Array(cap);
    free.set(this.free);
    this.free = free;
    const g8 = (a: Int8Array) => {
      const b = new Int8Array(cap);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array, n: number) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.jobOp = g8(this.jobOp);
    this.jobStage = g8(this.jobStage);
    this.jobStages = g8(this.jobStages);
    this.jobStart = g64(this.jobStart, cap);
    this.jobEntered = g64(this.jobEntered, cap);
    this.jobKey = g64(this.jobKey, cap);
    this.stageSeconds = g64(this.stageSeconds, cap * MAX_STAGES);
    const st = new Int32Array(cap * MAX_STAGES);
    st.set(this.stageStation);
    this.stageStation = st;
    this.cap = cap;
  }

  finish(): ServerResult {
    const now = this.sim.now;
    this.chargeFluid(now);
    const series = (st: ServiceStation) => {
      st.busyByBin!.finish(now);
      st.queueByBin!.finish(now);
      const clean = (a: Float64Array) => a.map((x) => (Number.isFinite(x) ? x : 0));
      return { busyByBin: clean(st.busyByBin!.means()), queueByBin: clean(st.queueByBin!.means()), queueMaxByBin: clean(st.queueByBin!.maxes()) };
    };
    for (let k = 0; k < ALL_KINDS.length; k++) {
      const offered = this.spreadOffered[k];
      if (!offered) continue;
      const list = this.processesOf(ALL_KINDS[k]!);
      for (const p of list) for (let b = 0; b < this.bins; b++) this.offered[p]![b]! += offered[b]! / list.length;
    }
    const processes = this.specs.map((p, i) => ({ ...p, ...series(this.stations[i]!), offeredByBin: this.offered[i]!, rejectedJobs: this.stations[i]!.rejected }));
    if (this.fluid || this.deferFluid) {
      // Busy cores of a process: the station's busy time holds its jobs'
      // service stretched by 1 / (1 - u); the jobs' CPU is that times the
      // ratio of their work to its stretch (1 - u for work that entered at a
      // steady u, whether the process kept up or fell behind), and the fluids
      // (replication on workers, deferred work) add their own, up to the
      // process's cores.
      for (let i = 0; i < processes.length; i++) {
        this.chargeBg(i, now);
        const { busyByBin, offeredByBin, cores } = processes[i]!;
        const replicates = this.fluid && i > 0;
        for (let b = 0; b < busyByBin.length && b < this.bins; b++) {
          const k = i * this.bins + b;
          const fluid = (replicates ? this.fluidByBin[b]! : 0) + (this.deferFluid ? this.bgByBin[k]! : 0);
          const share = this.stretchedWorkIn[k]! > 0 ? this.workIn[k]! / this.stretchedWorkIn[k]! : 1 - Math.min(MAX_FLUID_SHARE, fluid / cores);
          busyByBin[b] = Math.min(cores, busyByBin[b]! * share + fluid);
          if (replicates) offeredByBin[b]! += this.fluidOffered[b]!;
        }
      }
    }
    return {
      processes,
      database: this.db ? { cores: this.db.servers, ...series(this.db), offeredByBin: this.dbOffered, rejectedJobs: this.db.rejected } : null,
      offeredByWorkerKind: Object.fromEntries(ALL_KINDS.map((k, i) => [k, this.offeredKind[i]!])),
      databaseOfferedByBin: this.dbOffered,
      localSendLatency: this.localSendLatency,
      localSendLatencyByBin: this.localSendByBin,
      eventsPersistedByBin: this.persisted,
      streamRowsByBin: this.streamRows,
      cpuSecondsByOp: Object.fromEntries(OPS.map((op, i) => [op, this.cpuByOp[i] ?? 0])) as Record<Op, number>,
      databaseSecondsByOp: Object.fromEntries(OPS.map((op, i) => [op, this.dbByOp[i] ?? 0])) as Record<Op, number>,
      sendWaitSecondsByKind: this.sendWaitByKind(),
    };
  }

  /** Seconds local sends waited, summed over the processes of each kind, and at PostgreSQL ('database'). */
  private sendWaitByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    this.specs.forEach((p, i) => (out[p.kind] = (out[p.kind] ?? 0) + this.sendWait[i]!));
    if (this.db) out.database = this.sendWait[this.dbIndex]!;
    return out;
  }
}

/** The homeserver of a scenario's `run.server`, as the workload model builds it. */
export const createHomeserver: HomeserverFactory = (sim, s, rng, horizonSeconds, world) => new ServerModel(sim, s, rng, horizonSeconds, world);
