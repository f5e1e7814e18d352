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
const MAX_QUEUED_JOBS = SERVER_COEFFICIENTS.maxQueuedJobs.value;
const MIN_BATCH_SECONDS = SERVER_COEFFICIENTS.minBatchSeconds.value;
const MAX_DEFER_SECONDS = SERVER_COEFFICIENTS.maxDeferSeconds.value;
const FLUSH_SECONDS = SERVER_COEFFICIENTS.flushSeconds.value;
const ALL_KINDS = PROCESS_KINDS;
const KIND_INDEX = Object.fromEntries(ALL_KINDS.map((k, i) => [k, i])) as Record<ProcessKind, number>;
const WORKER_KIND_OF_OP: Int8Array = Int8Array.from(OPS.map((op) => KIND_INDEX[SYNAPSE_WORKER_FOR[op]]));
const OP_INDEX: Record<Op, number> = Object.fromEntries(OPS.map((op, i) => [op, i])) as Record<Op, number>;

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
  private jobKey = new Float64Array(this.cap);
  private jobStage = new Int8Array(this.cap);
  private jobStages = new Int8Array(this.cap);
  private stageStation = new Int32Array(this.cap * MAX_STAGES);
  private stageSeconds = new Float64Array(this.cap * MAX_STAGES);
  private free: number[] = [];
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
  private flushScheduled = false;
  private readonly flushHandler: number;
  /** The CPU noise of an operation, constants cached per batch size. */
  private readonly cpuNoise: MeanOneLognormal;

  constructor(
    private readonly sim: Simulation,
    s: Scenario,
    private readonly rng: RandomSource,
    horizonSeconds: number,
    ctx: CostContext,
  ) {
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
    for (const st of [...this.stations, ...(this.db ? [this.db] : [])]) st.maxQueue = MAX_QUEUED_JOBS;
    this.dbIndex = this.stations.length;
    this.bins = Math.max(1, Math.ceil(horizonSeconds / this.binSeconds - 1e-9));
    this.offered = this.specs.map(() => new Float64Array(this.bins));
    this.offeredKind = ALL_KINDS.map(() => new Float64Array(this.bins));
    this.dbOffered = new Float64Array(this.bins);
    this.persisted = new Float64Array(this.bins);
    this.streamRows = new Float64Array(this.bins);
    this.localSendByBin = Array.from({ length: this.bins }, () => new QuantileSketch());
    this.pending = new Float64Array(this.stations.length + 1);
    this.pendingSince = new Float64Array(this.stations.length + 1);
    this.flushHandler = sim.handler(() => this.flush());
    this.waitHandler = sim.handler((job) => this.advance(job));
  }

  /**
   * Operations nobody waits on (typing, receipts, pushes, sync wake-ups, ...)
   * are gathered per station and enter it as one job every FLUSH_SECONDS: the
   * same CPU, queueing at a half-second grain, and far fewer events.
   */
  private defer(station: number, seconds: number): void {
    if (this.pending[station] === 0) this.pendingSince[station] = this.sim.now;
    this.pending[station]! += seconds;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.sim.schedule(FLUSH_SECONDS, this.flushHandler);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    let left = false;
    const now = this.sim.now;
    for (let i = 0; i < this.pending.length; i++) {
      const seconds = this.pending[i]!;
      if (seconds <= 0) continue;
      // Crumbs wait for more (up to MAX_DEFER_SECONDS): an idle worker's
      // replication work enters as one job every few seconds, not four a second.
      if (seconds < MIN_BATCH_SECONDS && now - this.pendingSince[i]! < MAX_DEFER_SECONDS) {
        left = true;
        continue;
      }
      this.pending[i] = 0;
      const j = this.allocate();
      this.jobOp[j] = -1;
      this.jobStart[j] = now;
      this.jobKey[j] = 0;
      this.stageStation[j * MAX_STAGES] = i;
      this.stageSeconds[j * MAX_STAGES] = seconds;
      this.jobStages[j] = 1;
      this.jobStage[j] = 0;
      this.enter(j);
    }
    if (left) {
      this.flushScheduled = true;
      this.sim.schedule(FLUSH_SECONDS, this.flushHandler);
    }
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
  submit(op: Op, units: number, shard: number, key = 0): void {
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
        if (this.workers && kind === KIND_INDEX.sync) this.spread('sync', cpu, b);
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
        n = this.stage(j, n, b, this.processFor('eventPersister', shard), create);
        if (this.db) n = this.stage(j, n, b, this.dbIndex, dbSeconds);
        if (this.db && cost.waitMs > 0) n = this.stage(j, n, b, WAIT_STAGE, cost.waitMs / 1000);
        if (first > 0) n = this.stage(j, n, b, this.processFor('sync', shard), first);
        if (rest > 0) this.spread('sync', rest, b);
      } else {
        const main = this.processFor('main', shard);
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
    if (!this.workers || events <= 0) return;
    const cost = this.cost.replication;
    const b = this.bin();
    for (let i = 1; i < this.specs.length; i++) {
      const seconds = ((cost.cpuMs + cost.cpuMsPerUnit * events) * this.noise(events)) / 1000;
      this.cpuByOp[OP_INDEX.replication]! += seconds;
      this.offered[i]![b]! += seconds / this.binSeconds;
      this.defer(i, seconds);
    }
  }

  /** Defer `seconds` of work evenly over the processes of `kind`, except `skip`. */
  private spread(kind: ProcessKind, seconds: number, b: number, skip = -1): void {
    const list = this.processesOf(kind);
    const share = seconds / (skip >= 0 ? list.length - 1 : list.length);
    for (const p of list) {
      if (p === skip) continue;
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
    const i = j * MAX_STAGES + this.jobStage[j]!;
    const station = this.stageStation[i]!;
    const seconds = this.stageSeconds[i]!;
    if (station === WAIT_STAGE) {
      this.sim.schedule(seconds, this.waitHandler, j);
      return;
    }
    if ((station === this.dbIndex ? this.db! : this.stations[station]!).arrive(j, seconds)) return;
    // Shed: the request times out. Whoever waits on it is told so it can go on.
    const opIndex = this.jobOp[j]!;
    this.free.push(j);
    if (opIndex >= 0) this.onComplete[OPS[opIndex]!]?.(this.jobKey[j]!);
  }

  private advance(j: number): void {
    const next = this.jobStage[j]! + 1;
    if (next < this.jobStages[j]!) {
      this.jobStage[j] = next;
      this.enter(j);
      return;
    }
    const opIndex = this.jobOp[j]!;
    if (opIndex < 0) {
      this.free.push(j);
      return;
    }
    const op = OPS[opIndex]!;
    if (op === 'send') {
      const latency = this.sim.now - this.jobStart[j]!;
      this.localSendLatency.add(latency);
      this.localSendByBin[this.bin()]!.add(latency);
    }
    const key = this.jobKey[j]!;
    this.free.push(j);
    this.onComplete[op]?.(key);
  }

  private allocate(): number {
    const f = this.free.pop();
    if (f !== undefined) return f;
    if (this.nextJob === this.cap) this.grow();
    return this.nextJob++;
  }

  private grow(): void {
    const cap = this.cap * 2;
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
    this.jobKey = g64(this.jobKey, cap);
    this.stageSeconds = g64(this.stageSeconds, cap * MAX_STAGES);
    const st = new Int32Array(cap * MAX_STAGES);
    st.set(this.stageStation);
    this.stageStation = st;
    this.cap = cap;
  }

  finish(): ServerResult {
    const now = this.sim.now;
    const series = (st: ServiceStation) => {
      st.busyByBin!.finish(now);
      st.queueByBin!.finish(now);
      const clean = (a: Float64Array) => a.map((x) => (Number.isFinite(x) ? x : 0));
      return { busyByBin: clean(st.busyByBin!.means()), queueByBin: clean(st.queueByBin!.means()), queueMaxByBin: clean(st.queueByBin!.maxes()) };
    };
    return {
      processes: this.specs.map((p, i) => ({ ...p, ...series(this.stations[i]!), offeredByBin: this.offered[i]!, rejectedJobs: this.stations[i]!.rejected })),
      database: this.db ? { cores: this.db.servers, ...series(this.db), offeredByBin: this.dbOffered, rejectedJobs: this.db.rejected } : null,
      offeredByWorkerKind: Object.fromEntries(ALL_KINDS.map((k, i) => [k, this.offeredKind[i]!])),
      databaseOfferedByBin: this.dbOffered,
      localSendLatency: this.localSendLatency,
      localSendLatencyByBin: this.localSendByBin,
      eventsPersistedByBin: this.persisted,
      streamRowsByBin: this.streamRows,
      cpuSecondsByOp: Object.fromEntries(OPS.map((op, i) => [op, this.cpuByOp[i] ?? 0])) as Record<Op, number>,
      databaseSecondsByOp: Object.fromEntries(OPS.map((op, i) => [op, this.dbByOp[i] ?? 0])) as Record<Op, number>,
    };
  }
}

/** The homeserver of a scenario's `run.server`, as the workload model builds it. */
export const createHomeserver: HomeserverFactory = (sim, s, rng, horizonSeconds, world) => new ServerModel(sim, s, rng, horizonSeconds, world);
