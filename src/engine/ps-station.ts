/**
 * A processor-sharing station: `servers` cores serve every job present at
 * once, the way a Twisted reactor interleaves requests instead of running each
 * one to completion. With n jobs present each one progresses at
 *
 *   rate(n) = min(1, servers / n)   (seconds of service per second)
 *
 * so a job never gets more than one core (a Synapse process is one Python
 * core; a multi-threaded server with c cores runs up to c jobs at full speed)
 * and the cores are shared equally once there are more jobs than cores
 * (egalitarian processor sharing, Kleinrock 1976, Queueing Systems vol. 2,
 * sec. 4.4). It has the public surface of the FIFO `Station`, so the server
 * model can use either through `ServiceStation`.
 *
 * Definitions the caller must know, since PS has no waiting line as such:
 * - queue: the jobs present beyond the cores, max(0, n - servers). With n >
 *   servers every job is slowed, none waits; the "queue" counts the jobs that
 *   a FIFO station of the same size would hold back. `maxQueue` bounds it:
 *   an arrival that would make it exceed `maxQueue` is rejected, the same rule
 *   as `Station` (with maxQueue = 0 a job is accepted only on a free core).
 * - wait: response time minus service requirement, the time the job was
 *   slowed by sharing (0 when it always had a core). It is recorded in `waits`
 *   and passed to `onDeparture` when the job leaves; a FIFO `Station` records
 *   its wait when service starts.
 * - busy: cores in use, min(n, servers); `jobsPresent` is n.
 *
 * Method (virtual time). All jobs present progress equally, so one number
 * describes them all: V, the service attained by every job present since the
 * station last emptied. A job arriving when V = v with requirement s leaves
 * when V reaches its tag v + s, and V grows at rate(n) between events. The
 * tags sit in a binary min-heap of parallel typed arrays ordered by (tag,
 * arrival sequence), so jobs with equal tags leave in arrival order. Each
 * arrival and departure costs O(log n) and allocates nothing once the arrays
 * have grown to the peak population. V restarts at 0 whenever the station
 * empties, which keeps its round-off relative to one busy period.
 *
 * Completion events. `Simulation.cancel` scans the whole future event list
 * (O(size), see event-list.ts), too slow to call on every arrival, so the
 * station keeps at most one live completion event and never cancels it:
 * - the event carries a generation number; an event whose generation is not
 *   the current one is stale and does nothing;
 * - an arrival only delays the current top job (fewer cores per job) unless
 *   the newcomer finishes sooner; in the first case the pending event is kept
 *   and, firing early, re-evaluates and schedules the exact time; only in the
 *   second case is a new event scheduled (and the old one goes stale). So the
 *   extra events are at most one early wake-up per departure plus one stale
 *   event per arrival that will finish before every job already present, not
 *   one per arrival.
 * An event scheduled for the exact finishing time of the top job makes it
 * leave even if V computed by steps falls a hair short, so round-off can never
 * spin zero-delay events. Jobs whose tag is within 1e-12 (relative) of V at
 * that moment leave with it, in (tag, sequence) order.
 *
 * A zero-length job is counted on arrival (busy and jobsPresent rise) and
 * leaves at the same simulated time in a separate event, as with `Station`.
 * `onDeparture` may call `arrive` on this station again.
 *
 * @example
 * const ps = new ProcessorSharingStation(sim, 'synapse', 1, (job, waited) => log(job, waited));
 * ps.arrive(1, 2); // at t = 0, 2 s of work
 * // at t = 1: ps.arrive(2, 1); both now run at half speed and both leave at t = 3
 */
import { Simulation, type HandlerId } from './simulation.js';
import type { DepartureCallback, Station } from './station.js';
import { BinnedTimeWeighted } from './binned-stats.js';
import { keepShapes } from './keep-shapes.js';
import { Tally, TimeWeighted, type TimeAverage } from './stats.js';

/**
 * What the server model needs of a station, FIFO (`Station`) or processor
 * sharing (`ProcessorSharingStation`); both satisfy it structurally.
 */
export interface ServiceStation {
  readonly name: string;
  /** Cores (FIFO: servers). */
  readonly servers: number;
  /** Cores in use now. */
  readonly busy: number;
  /** Jobs beyond the cores now (FIFO: waiting; processor sharing: what a FIFO station would hold back). */
  readonly queueLength: number;
  /** Busy cores and queue length per time bin, when bins were given. */
  readonly busyByBin: BinnedTimeWeighted | null;
  readonly queueByBin: BinnedTimeWeighted | null;
  /** Jobs turned away because the queue was full. */
  readonly rejected: number;
  /** Jobs that have left. */
  readonly departures: number;
  /** Longest queue accepted; arrivals beyond it are rejected. */
  maxQueue: number;
  /** A job arrives now needing `serviceSeconds` of one core; false when rejected. */
  arrive(jobId: number, serviceSeconds: number): boolean;
}

// Compile-time proof that both stations fit the interface: `tsc` fails here
// if either drifts from it. Types only, nothing at run time.
type Fits<T extends ServiceStation> = T;
type _StationFits = Fits<Station>;
type _ProcessorSharingStationFits = Fits<ProcessorSharingStation>;

/** A tag within this fraction of V counts as reached: V is a sum of many steps and carries round-off. */
const TAG_RELATIVE_TOLERANCE = 1e-12;

/** Initial heap capacity; it doubles when full. */
const INITIAL_CAPACITY = 64;

export class ProcessorSharingStation {
  /** Busy cores over time (utilisation = mean / servers). */
  readonly busyOverTime: TimeAverage;
  /** Jobs present beyond the cores, max(0, n - servers), over time. */
  readonly queueOverTime: TimeAverage;
  /** Per departed job: response time minus service requirement, in seconds. */
  readonly waits = new Tally();
  /** Jobs that have left. */
  departures = 0;
  /** Jobs turned away because the queue (jobs beyond the cores) was full. */
  rejected = 0;
  /** Most jobs beyond the cores accepted; arrivals beyond it are rejected (a server shedding load). */
  maxQueue = Infinity;
  /** Busy cores and queue length per time bin, when `bins` was given. */
  readonly busyByBin: BinnedTimeWeighted | null;
  readonly queueByBin: BinnedTimeWeighted | null;

  // Jobs present, a min-heap on (tag, seq) in parallel arrays. Every index
  // read with `!` is below n (the top, 0, only while n > 0), and n is at most
  // the arrays' length.
  private hTag = new Float64Array(INITIAL_CAPACITY);
  private hSeq = new Float64Array(INITIAL_CAPACITY);
  private hJob = new Float64Array(INITIAL_CAPACITY);
  private hArrival = new Float64Array(INITIAL_CAPACITY);
  private hService = new Float64Array(INITIAL_CAPACITY);
  private n = 0;
  private nextSeq = 0;
  private busyNow = 0;
  private queueNow = 0;
  /** Service attained by each job present (s), as of `lastUpdate`. */
  private virtualTime = 0;
  private lastUpdate: number;
  // The one live completion event: its generation, time and the job it was computed for.
  private generation = 0;
  private pendingTime = Infinity;
  private pendingSeq = -1;
  /** True while the pending event is the exact finishing time of the top job. */
  private pendingExact = false;
  private readonly completeHandler: HandlerId;
  // The one collector of each quantity: the binned one, which also answers
  // the whole-run questions, when bins were given.
  private readonly busyLevel: TimeWeighted | BinnedTimeWeighted;
  private readonly queueLevel: TimeWeighted | BinnedTimeWeighted;

  constructor(
    private readonly sim: Simulation,
    readonly name: string,
    readonly servers: number,
    private readonly onDeparture?: DepartureCallback,
    bins?: { binSeconds: number; horizonSeconds: number },
  ) {
    if (!Number.isInteger(servers) || servers < 1) {
      throw new RangeError(`station ${name}: servers must be an integer >= 1, got ${servers}`);
    }
    this.lastUpdate = sim.now;
    this.busyByBin = bins ? new BinnedTimeWeighted(bins.binSeconds, bins.horizonSeconds) : null;
    this.queueByBin = bins ? new BinnedTimeWeighted(bins.binSeconds, bins.horizonSeconds) : null;
    this.busyLevel = this.busyByBin ?? new TimeWeighted(sim.now, 0);
    this.queueLevel = this.queueByBin ?? new TimeWeighted(sim.now, 0);
    // The whole-run figures start now, as a TimeWeighted created now would.
    if (sim.now > 0 && bins) {
      this.busyLevel.reset(sim.now);
      this.queueLevel.reset(sim.now);
    }
    this.busyOverTime = this.busyLevel;
    this.queueOverTime = this.queueLevel;
    this.completeHandler = sim.handler((generation) => this.complete(generation));
  }

  /** Cores in use now, min(jobsPresent, servers). */
  get busy(): number {
    return this.busyNow;
  }

  /** Jobs present beyond the cores now, max(0, jobsPresent - servers). */
  get queueLength(): number {
    return this.queueNow;
  }

  /** Jobs present now (in service, all of them sharing the cores). */
  get jobsPresent(): number {
    return this.n;
  }

  /**
   * A job arrives now needing `serviceSeconds` of one core. Returns false,
   * and keeps nothing, when `maxQueue` jobs are already present beyond the
   * cores. O(log n).
   */
  arrive(jobId: number, serviceSeconds: number): boolean {
    if (!(serviceSeconds >= 0 && serviceSeconds < Infinity)) {
      throw new RangeError(`station ${this.name}: service time must be finite and >= 0 s, got ${serviceSeconds}`);
    }
    if (this.queueNow >= this.maxQueue && this.n >= this.servers) {
      this.rejected++;
      return false;
    }
    this.advance();
    this.push(this.virtualTime + serviceSeconds, jobId, serviceSeconds);
    this.recordLevels();
    this.reschedule();
    return true;
  }

  /**
   * Restart the statistics at the current time (warm-up removal), as `Station`
   * does: busy and queue time averages, `waits` and `departures`; `rejected`
   * and the per-bin series are kept.
   */
  resetStatistics(): void {
    this.busyLevel.reset(this.sim.now);
    this.queueLevel.reset(this.sim.now);
    this.waits.reset();
    this.departures = 0;
  }

  // Rates are applied as (x * servers) / n rather than x * (servers / n): one
  // rounding fewer, so 1 s of work shared by 3 jobs takes exactly 3 s.

  /** Bring V up to now at the rate, min(1, servers / n), that held since the last change. */
  private advance(): void {
    const now = this.sim.now;
    const n = this.n;
    if (n > 0 && now > this.lastUpdate) {
      const dt = now - this.lastUpdate;
      this.virtualTime += n <= this.servers ? dt : (dt * this.servers) / n;
    }
    this.lastUpdate = now;
  }

  /** Seconds of simulated time for every job present to attain `work` more seconds of service. */
  private timeFor(work: number): number {
    return this.n <= this.servers ? work : (work * this.n) / this.servers;
  }

  private topIsDone(): boolean {
    const tag = this.hTag[0]!;
    return tag - this.virtualTime <= TAG_RELATIVE_TOLERANCE * tag;
  }

  /** The completion event: stale, early (re-evaluate) or exact (the top job leaves). */
  private complete(generation: number): void {
    if (generation !== this.generation) return;
    this.pendingTime = Infinity;
    this.advance();
    if (this.n > 0) {
      if (this.pendingExact && this.hTag[0]! > this.virtualTime) this.virtualTime = this.hTag[0]!;
      while (this.n > 0 && this.topIsDone()) this.departTop();
    }
    this.reschedule();
  }

  private departTop(): void {
    const jobId = this.hJob[0]!;
    const service = this.hService[0]!;
    const response = this.sim.now - this.hArrival[0]!;
    this.pop();
    if (this.n === 0) this.virtualTime = 0;
    this.departures++;
    this.recordLevels();
    const wait = response > service ? response - service : 0;
    this.waits.record(wait);
    this.onDeparture?.(jobId, wait, service);
  }

  /**
   * Make sure a live event fires no later than the top job's finishing time:
   * keep the pending one when it is early enough, else schedule a new one.
   */
  private reschedule(): void {
    if (this.n === 0) {
      if (this.pendingTime !== Infinity) {
        this.generation++;
        this.pendingTime = Infinity;
      }
      return;
    }
    const tag = this.hTag[0]!;
    const remaining = tag - this.virtualTime;
    const delay = remaining <= TAG_RELATIVE_TOLERANCE * tag ? 0 : this.timeFor(remaining);
    const time = this.sim.now + delay;
    if (time >= this.pendingTime) {
      if (time !== this.pendingTime || this.hSeq[0] !== this.pendingSeq) this.pendingExact = false;
      return;
    }
    this.generation++;
    this.sim.schedule(delay, this.completeHandler, this.generation);
    this.pendingTime = time;
    this.pendingSeq = this.hSeq[0]!;
    this.pendingExact = true;
  }

  private recordLevels(): void {
    const busy = this.n < this.servers ? this.n : this.servers;
    const queue = this.n - busy;
    const now = this.sim.now;
    if (busy !== this.busyNow) {
      this.busyNow = busy;
      this.busyLevel.level(now, busy);
    }
    if (queue !== this.queueNow) {
      this.queueNow = queue;
      this.queueLevel.level(now, queue);
    }
  }

  // --- heap on (tag, seq) -------------------------------------------------

  private push(tag: number, jobId: number, serviceSeconds: number): void {
    if (this.n === this.hTag.length) this.grow();
    const seq = this.nextSeq++;
    const tags = this.hTag;
    const seqs = this.hSeq;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = tags[parent]!;
      if (pt < tag || (pt === tag && seqs[parent]! < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    tags[i] = tag;
    seqs[i] = seq;
    this.hJob[i] = jobId;
    this.hArrival[i] = this.sim.now;
    this.hService[i] = serviceSeconds;
  }

  private pop(): void {
    const last = --this.n;
    if (last === 0) return;
    const tags = this.hTag;
    const seqs = this.hSeq;
    const tag = tags[last]!;
    const seq = seqs[last]!;
    const job = this.hJob[last]!;
    const arrival = this.hArrival[last]!;
    const service = this.hService[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last && (tags[right]! < tags[child]! || (tags[right] === tags[child] && seqs[right]! < seqs[child]!))) {
        child = right;
      }
      const ct = tags[child]!;
      if (tag < ct || (tag === ct && seq < seqs[child]!)) break;
      this.move(child, i);
      i = child;
    }
    tags[i] = tag;
    seqs[i] = seq;
    this.hJob[i] = job;
    this.hArrival[i] = arrival;
    this.hService[i] = service;
  }

  private move(from: number, to: number): void {
    this.hTag[to] = this.hTag[from]!;
    this.hSeq[to] = this.hSeq[from]!;
    this.hJob[to] = this.hJob[from]!;
    this.hArrival[to] = this.hArrival[from]!;
    this.hService[to] = this.hService[from]!;
  }

  private grow(): void {
    const size = this.hTag.length * 2;
    const grown = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.hTag = grown(this.hTag);
    this.hSeq = grown(this.hSeq);
    this.hJob = grown(this.hJob);
    this.hArrival = grown(this.hArrival);
    this.hService = grown(this.hService);
  }
}

/** A plain and a binned ProcessorSharingStation kept warm for the life of the process (src/engine/keep-shapes.ts says why). */
export const KEPT_PS_SHAPES: readonly unknown[] = keepShapes((sim, name, servers, bins) => new ProcessorSharingStation(sim, name, servers, () => undefined, bins));
