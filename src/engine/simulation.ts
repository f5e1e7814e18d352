/**
 * One discrete-event simulation: clock, future event list, handlers and random
 * streams. All state lives in this object, so any number of simulations can run
 * side by side in one process (the SimPy environment pattern).
 *
 * Events carry a handler id and one numeric argument rather than a closure, so
 * the hot path allocates nothing: model code registers its handlers once with
 * `handler(fn)` and then schedules `(delay, handlerId, arg)`.
 */
import { EventList } from './event-list.js';
import { RandomStreams, type RandomSource } from './random.js';

export type Handler = (arg: number) => void;
/** Index of a registered handler. */
export type HandlerId = number;
/** Handle of a scheduled event, for `cancel`. */
export type EventId = number;

export class Simulation {
  /** Current simulated time, in seconds. */
  now = 0;
  /** Events run so far. */
  eventsProcessed = 0;
  private readonly events = new EventList();
  private readonly handlers: Handler[] = [];
  private readonly streams: RandomStreams;
  private stopped = false;

  constructor(readonly seed: string | number) {
    this.streams = new RandomStreams(seed);
  }

  /** The named random stream of this run (`${seed}/${name}`). */
  random(name: string): RandomSource {
    return this.streams.stream(name);
  }

  /** Register an event handler once; schedule it later by the returned id. */
  handler(fn: Handler): HandlerId {
    this.handlers.push(fn);
    return this.handlers.length - 1;
  }

  /**
   * Schedule `handler(arg)` after `delaySeconds` (>= 0, finite). Same-time
   * events run in the order they were scheduled.
   * @example sim.schedule(1.5, arrive, customerId)
   */
  schedule(delaySeconds: number, handler: HandlerId, arg = 0): EventId {
    // One comparison each on the path taken: NaN fails both.
    if (!(delaySeconds >= 0 && delaySeconds < Infinity)) {
      throw new RangeError(`delay must be a finite number >= 0 seconds, got ${delaySeconds}`);
    }
    if (!(handler >>> 0 === handler && handler < this.handlers.length)) this.checkHandler(handler);
    return this.events.push(this.now + delaySeconds, handler, arg);
  }

  /**
   * `schedule` without the argument checks, for engine code that has checked
   * them where they entered (a station checks a service time on arrival and
   * schedules its own handler). `delaySeconds` must be finite and >= 0 and
   * `handler` a registered id: anything else corrupts the event list.
   */
  scheduleTrusted(delaySeconds: number, handler: HandlerId, arg: number): EventId {
    return this.events.push(this.now + delaySeconds, handler, arg);
  }

  /** Schedule at an absolute simulated time, not earlier than now. */
  scheduleAt(timeSeconds: number, handler: HandlerId, arg = 0): EventId {
    if (!(timeSeconds >= this.now && timeSeconds < Infinity)) {
      throw new RangeError(`time must be finite and >= now (${this.now} s), got ${timeSeconds}`);
    }
    if (!(handler >>> 0 === handler && handler < this.handlers.length)) this.checkHandler(handler);
    return this.events.push(timeSeconds, handler, arg);
  }

  /** Cancel a pending event; false when it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    return this.events.cancel(id);
  }

  /** Events scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.events.size;
  }

  /** Stop `run` after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Run events in (time, sequence) order until none are left, the next one is
   * later than `untilSeconds`, or `stop()` is called. The clock ends at
   * `untilSeconds` when that bound is finite and reached.
   */
  run(untilSeconds = Infinity): void {
    this.stopped = false;
    const events = this.events;
    const handlers = this.handlers;
    const popped = events.popped;
    while (!this.stopped) {
      if (!events.popUntil(untilSeconds)) {
        if (untilSeconds !== Infinity && untilSeconds > this.now) this.now = untilSeconds;
        return;
      }
      this.now = popped[0]!;
      this.eventsProcessed++;
      handlers[events.poppedHandler]!(popped[1]!); // schedule() checked the id (checkHandler)
    }
  }

  private checkHandler(handler: HandlerId): void {
    if (!(handler >= 0 && handler < this.handlers.length) || !Number.isInteger(handler)) {
      throw new RangeError(`unknown handler id ${handler}`);
    }
  }
}
