/**
 * A multi-server station with one FIFO queue: `servers` identical servers, jobs
 * served in arrival order, each with a service time given on arrival. It keeps
 * the statistics a capacity question needs: utilisation, queue length and
 * waiting times. It knows nothing about what the jobs are.
 *
 * Per event it does the minimum:
 * - the service time is checked once, on arrival; what follows trusts it;
 * - the whole-run time averages are not integrated event by event: they are
 *   derived, when read, from sums the station keeps anyway. The area under
 *   the queue length is the sum of the waits (the `waits` tally) plus the
 *   time the jobs still waiting have waited so far; the area under the busy
 *   servers is the service time of the jobs that started, less what those
 *   still in service have left. So a job costs one wait and one service time
 *   added, and reading costs O(servers + queue length);
 * - with bins, the per-bin series (`busyByBin`, `queueByBin`) are the one
 *   collector integrated per change;
 * - the waiting line is a ring of typed arrays whose capacity is a power of
 *   two (an index is masked, not divided), grown by doubling and never beyond
 *   the first power of two above `maxQueue`, so a saturated station reuses
 *   the same slots for every job and allocates nothing.
 */
import { Simulation, type HandlerId } from './simulation.js';
import { BinnedTimeWeighted } from './binned-stats.js';
import { keepShapes } from './keep-shapes.js';
import { Tally, type TimeAverage } from './stats.js';

/** Called when a job leaves the station: its id, time waited and served (s). */
export type DepartureCallback = (jobId: number, waitSeconds: number, serviceSeconds: number) => void;

/** A whole-run time average read from the station's sums (see the module header). */
class DerivedTimeAverage implements TimeAverage {
  constructor(
    private readonly station: Station,
    private readonly quantity: 'busy' | 'queue',
  ) {}

  get value(): number {
    return this.quantity === 'busy' ? this.station.busy : this.station.queueLength;
  }

  get max(): number {
    return this.station.extreme(this.quantity, 'max');
  }

  get min(): number {
    return this.station.extreme(this.quantity, 'min');
  }

  area(untilTime: number): number {
    return this.station.area(this.quantity, untilTime);
  }

  mean(untilTime: number): number {
    const a = this.area(untilTime);
    const span = untilTime - this.station.statisticsStart;
    return span > 0 ? a / span : 0;
  }
}

export class Station {
  /** Servers busy now. */
  busy = 0;
  /** Busy servers over time since the start or last reset (utilisation = mean / servers). */
  readonly busyOverTime: TimeAverage;
  /** Jobs waiting (not in service) over time since the start or last reset. */
  readonly queueOverTime: TimeAverage;
  /** Waiting time in queue of each job that started service, in seconds. */
  readonly waits = new Tally();
  /** Service time (s) of the jobs that started service since the start or last reset, summed. */
  startedServiceSeconds = 0;
  /** Jobs that have left. */
  departures = 0;
  /** Jobs turned away because the queue was full. */
  rejected = 0;
  /** Longest queue accepted; arrivals beyond it are rejected (a server shedding load). */
  maxQueue = Infinity;
  /** Busy servers and queue length per time bin, when `bins` was given. */
  readonly busyByBin: BinnedTimeWeighted | null;
  readonly queueByBin: BinnedTimeWeighted | null;
  /** Simulated time (s) the whole-run statistics start from: creation or the last reset. */
  statisticsStart: number;

  // Ring buffer of waiting jobs. Here and in the slots below, an index read
  // with `!` is below the array's length (a slot, the ring's head, i < qLen).
  // Entry k is ring[4k .. 4k+2] = (job, arrival time, service time); the
  // fourth number is unused, so an entry's offset is a shift.
  private ring = new Float64Array(4 * 256);
  private qHead = 0;
  private qLen = 0;
  /** Ring capacity - 1; the capacity is a power of two. */
  private qMask = 255;
  // Jobs in service, indexed by server slot, so the departure event needs only the slot.
  // Slot k is slots[4k .. 4k+3] = (job, wait, service, end): the end is when
  // the job finishes, at most the clock for a free slot.
  private readonly slots: Float64Array;
  private readonly freeSlots: Int32Array;
  private freeCount: number;
  private readonly departHandler: HandlerId;
  // At the last reset: the service left of the jobs then in service, and the
  // time already waited by the jobs then waiting (both in the sums after it).
  private busyCarry = 0;
  private queueCarry = 0;
  // Extremes since the start or last reset.
  private busyHi = 0;
  private busyLo = 0;
  private queueHi = 0;
  private queueLo = 0;

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
    this.busyByBin = bins ? new BinnedTimeWeighted(bins.binSeconds, bins.horizonSeconds) : null;
    this.queueByBin = bins ? new BinnedTimeWeighted(bins.binSeconds, bins.horizonSeconds) : null;
    this.statisticsStart = sim.now;
    this.busyOverTime = new DerivedTimeAverage(this, 'busy');
    this.queueOverTime = new DerivedTimeAverage(this, 'queue');
    this.slots = new Float64Array(4 * servers);
    this.freeSlots = new Int32Array(servers);
    for (let i = 0; i < servers; i++) this.freeSlots[i] = servers - 1 - i;
    this.freeCount = servers;
    this.departHandler = sim.handler((slot) => this.depart(slot));
  }

  /** Jobs waiting now. */
  get queueLength(): number {
    return this.qLen;
  }

  /**
   * A job arrives now needing `serviceSeconds` of one server. Returns false,
   * and keeps nothing, when the queue already holds `maxQueue` jobs.
   */
  arrive(jobId: number, serviceSeconds: number): boolean {
    // The one check of the service time: everything after trusts it.
    if (!(serviceSeconds >= 0 && serviceSeconds < Infinity)) {
      throw new RangeError(`station ${this.name}: service time must be finite and >= 0 s, got ${serviceSeconds}`);
    }
    if (this.freeCount > 0) {
      this.start(jobId, 0, serviceSeconds);
      return true;
    }
    if (this.qLen >= this.maxQueue) {
      this.rejected++;
      return false;
    }
    if (this.qLen > this.qMask) this.growQueue();
    const tail = (this.qHead + this.qLen) & this.qMask;
    const now = this.sim.now;
    const ring = this.ring;
    const at = tail << 2;
    ring[at] = jobId;
    ring[at + 1] = now;
    ring[at + 2] = serviceSeconds;
    const q = ++this.qLen;
    if (q > this.queueHi) this.queueHi = q;
    this.queueByBin?.level(now, q);
    return true;
  }

  /**
   * Restart the statistics at the current time (warm-up removal): the
   * whole-run time averages and extremes, `waits`, `startedServiceSeconds`
   * and `departures`; `rejected` and the per-bin series are kept.
   */
  resetStatistics(): void {
    const now = this.sim.now;
    this.busyCarry = this.serviceLeft(now);
    this.queueCarry = this.waitedSoFar(now);
    this.statisticsStart = now;
    this.waits.reset();
    this.startedServiceSeconds = 0;
    this.departures = 0;
    this.busyHi = this.busyLo = this.busy;
    this.queueHi = this.queueLo = this.qLen;
  }

  /**
   * Integral of busy servers or queue length (value·seconds) from the start or
   * last reset to `untilTime` (>= now; the current value is held beyond now),
   * derived from the sums (see the module header). For `busyOverTime` and
   * `queueOverTime`.
   */
  area(quantity: 'busy' | 'queue', untilTime: number): number {
    const now = this.sim.now;
    if (!(untilTime >= now)) throw new RangeError(`station ${this.name}: time ${untilTime} is before the clock (${now} s)`);
    const beyond = untilTime - now;
    if (quantity === 'busy') return this.startedServiceSeconds + this.busyCarry - this.serviceLeft(now) + this.busy * beyond;
    return this.waits.sum - this.queueCarry + this.waitedSoFar(now) + this.qLen * beyond;
  }

  /** Largest or smallest busy count or queue length since the start or last reset. */
  extreme(quantity: 'busy' | 'queue', which: 'max' | 'min'): number {
    if (quantity === 'busy') return which === 'max' ? this.busyHi : this.busyLo;
    return which === 'max' ? this.queueHi : this.queueLo;
  }

  /** Service still to do (s) at `now` by the jobs in service. */
  private serviceLeft(now: number): number {
    let left = 0;
    for (let k = 0; k < this.servers; k++) {
      const r = this.slots[4 * k + 3]! - now;
      if (r > 0) left += r;
    }
    return left;
  }

  /** Time waited so far (s) at `now` by the jobs waiting. */
  private waitedSoFar(now: number): number {
    let waited = 0;
    for (let i = 0; i < this.qLen; i++) waited += now - this.ring[(((this.qHead + i) & this.qMask) << 2) + 1]!;
    return waited;
  }

  private start(jobId: number, waitSeconds: number, serviceSeconds: number): void {
    const slot = this.freeSlots[--this.freeCount]!;
    const now = this.sim.now;
    const slots = this.slots;
    const at = slot << 2;
    slots[at] = jobId;
    slots[at + 1] = waitSeconds;
    slots[at + 2] = serviceSeconds;
    slots[at + 3] = now + serviceSeconds;
    const b = ++this.busy;
    if (b > this.busyHi) this.busyHi = b;
    this.busyByBin?.level(now, b);
    this.waits.record(waitSeconds);
    this.startedServiceSeconds += serviceSeconds;
    this.sim.scheduleTrusted(serviceSeconds, this.departHandler, slot);
  }

  private depart(slot: number): void {
    const slots = this.slots;
    const at = slot << 2;
    const jobId = slots[at]!;
    const wait = slots[at + 1]!;
    const service = slots[at + 2]!;
    this.departures++;
    const now = this.sim.now;
    if (this.qLen > 0) {
      // The server goes straight to the next job in the same slot: busy is
      // unchanged, so only the queue is recorded.
      const head = this.qHead;
      const ring = this.ring;
      const from = head << 2;
      const waited = now - ring[from + 1]!;
      const s = ring[from + 2]!;
      slots[at] = ring[from]!;
      slots[at + 1] = waited;
      slots[at + 2] = s;
      slots[at + 3] = now + s;
      this.qHead = (head + 1) & this.qMask;
      const q = --this.qLen;
      if (q < this.queueLo) this.queueLo = q;
      this.queueByBin?.level(now, q);
      this.waits.record(waited);
      this.startedServiceSeconds += s;
      this.sim.scheduleTrusted(s, this.departHandler, slot);
    } else {
      this.freeSlots[this.freeCount++] = slot;
      const b = --this.busy;
      if (b < this.busyLo) this.busyLo = b;
      this.busyByBin?.level(now, b);
    }
    this.onDeparture?.(jobId, wait, service);
  }

  private growQueue(): void {
    const capacity = this.qMask + 1;
    const bigger = new Float64Array(8 * capacity);
    for (let i = 0; i < this.qLen; i++) {
      const from = ((this.qHead + i) & this.qMask) << 2;
      for (let j = 0; j < 3; j++) bigger[(i << 2) + j] = this.ring[from + j]!;
    }
    this.ring = bigger;
    this.qHead = 0;
    this.qMask = 2 * capacity - 1;
  }
}

/** A plain and a binned Station kept warm for the life of the process (src/engine/keep-shapes.ts says why). */
export const KEPT_SHAPES: readonly unknown[] = keepShapes((sim, name, servers, bins) => new Station(sim, name, servers, () => undefined, bins));
