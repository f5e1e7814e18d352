/**
 * A multi-server station with one FIFO queue: `servers` identical servers, jobs
 * served in arrival order, each with a service time given on arrival. It keeps
 * the statistics a capacity question needs: utilisation, queue length and
 * waiting times. It knows nothing about what the jobs are.
 */
import type { HandlerId, Simulation } from './simulation.js';
import { BinnedTimeWeighted } from './binned-stats.js';
import { Tally, TimeWeighted } from './stats.js';

/** Called when a job leaves the station: its id, time waited and served (s). */
export type DepartureCallback = (jobId: number, waitSeconds: number, serviceSeconds: number) => void;

export class Station {
  /** Servers busy now. */
  busy = 0;
  /** Busy servers over time (utilisation = mean / servers). */
  readonly busyOverTime: TimeWeighted;
  /** Jobs waiting (not in service) over time. */
  readonly queueOverTime: TimeWeighted;
  /** Waiting time in queue of each job that started service, in seconds. */
  readonly waits = new Tally();
  /** Jobs that have left. */
  departures = 0;
  /** Jobs turned away because the queue was full. */
  rejected = 0;
  /** Longest queue accepted; arrivals beyond it are rejected (a server shedding load). */
  maxQueue = Infinity;
  /** Busy servers and queue length per time bin, when `bins` was given. */
  readonly busyByBin: BinnedTimeWeighted | null;
  readonly queueByBin: BinnedTimeWeighted | null;

  // Ring buffer of waiting jobs. Here and in the slots below, an index read
  // with `!` is below the array's length (a slot, the ring's head, i < qLen).
  private qJob = new Float64Array(256);
  private qArrival = new Float64Array(256);
  private qService = new Float64Array(256);
  private qHead = 0;
  private qLen = 0;
  // Jobs in service, indexed by server slot, so the departure event needs only the slot.
  private readonly slotJob: Float64Array;
  private readonly slotWait: Float64Array;
  private readonly slotService: Float64Array;
  private readonly freeSlots: Int32Array;
  private freeCount: number;
  private readonly departHandler: HandlerId;

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
    this.busyOverTime = new TimeWeighted(sim.now, 0);
    this.queueOverTime = new TimeWeighted(sim.now, 0);
    this.busyByBin = bins ? new BinnedTimeWeighted(bins.binSeconds, bins.horizonSeconds) : null;
    this.queueByBin = bins ? new BinnedTimeWeighted(bins.binSeconds, bins.horizonSeconds) : null;
    this.slotJob = new Float64Array(servers);
    this.slotWait = new Float64Array(servers);
    this.slotService = new Float64Array(servers);
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
    if (!(serviceSeconds >= 0) || serviceSeconds === Infinity) {
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
    if (this.qLen === this.qJob.length) this.growQueue();
    const tail = (this.qHead + this.qLen) % this.qJob.length;
    this.qJob[tail] = jobId;
    this.qArrival[tail] = this.sim.now;
    this.qService[tail] = serviceSeconds;
    this.qLen++;
    this.queueOverTime.set(this.sim.now, this.qLen);
    this.queueByBin?.set(this.sim.now, this.qLen);
    return true;
  }

  /** Restart the statistics at the current time (warm-up removal). */
  resetStatistics(): void {
    this.busyOverTime.reset(this.sim.now);
    this.queueOverTime.reset(this.sim.now);
    this.waits.reset();
    this.departures = 0;
  }

  private start(jobId: number, waitSeconds: number, serviceSeconds: number): void {
    const slot = this.freeSlots[--this.freeCount]!;
    this.slotJob[slot] = jobId;
    this.slotWait[slot] = waitSeconds;
    this.slotService[slot] = serviceSeconds;
    this.busy++;
    this.busyOverTime.set(this.sim.now, this.busy);
    this.busyByBin?.set(this.sim.now, this.busy);
    this.waits.add(waitSeconds);
    this.sim.schedule(serviceSeconds, this.departHandler, slot);
  }

  private depart(slot: number): void {
    const jobId = this.slotJob[slot]!;
    const wait = this.slotWait[slot]!;
    const service = this.slotService[slot]!;
    this.freeSlots[this.freeCount++] = slot;
    this.busy--;
    this.departures++;
    if (this.qLen > 0) {
      const head = this.qHead;
      const next = this.qJob[head]!;
      const waited = this.sim.now - this.qArrival[head]!;
      const s = this.qService[head]!;
      this.qHead = (head + 1) % this.qJob.length;
      this.qLen--;
      this.queueOverTime.set(this.sim.now, this.qLen);
      this.queueByBin?.set(this.sim.now, this.qLen);
      this.start(next, waited, s);
    } else {
      this.busyOverTime.set(this.sim.now, this.busy);
      this.busyByBin?.set(this.sim.now, this.busy);
    }
    this.onDeparture?.(jobId, wait, service);
  }

  private growQueue(): void {
    const n = this.qJob.length * 2;
    const unroll = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      for (let i = 0; i < this.qLen; i++) b[i] = a[(this.qHead + i) % a.length]!;
      return b;
    };
    this.qJob = unroll(this.qJob);
    this.qArrival = unroll(this.qArrival);
    this.qService = unroll(this.qService);
    this.qHead = 0;
  }
}
