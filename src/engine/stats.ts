/**
 * Statistics collectors for the simulator's hot path: `Tally` and
 * `TimeWeighted` here, the quantile sketch in quantile-sketch.ts and the
 * per-bin collectors in binned-stats.ts.
 *
 * Every `add`/`set` call of these collectors runs in constant time (or, for
 * the binned collectors, time proportional to the bins crossed). Storage is
 * typed arrays allocated once in the constructor, except the quantile
 * sketch's, which is allocated at its first observation and widened as the
 * values spread (amortised constant time); otherwise nothing here allocates.
 * Time is simulated time in seconds throughout; nothing here reads the wall
 * clock.
 *
 * Collectors reject NaN and infinite observations with a RangeError
 * (assert-finite.ts), since one such value would silently poison every
 * statistic after it. The check is made where a value enters from outside
 * the engine (`add`, `set`); the stations, whose values are counts and
 * differences of checked times, record through the unchecked `record` and
 * `level`, so the hot path pays for no check twice.
 */
import { assertFinite } from './assert-finite.js';

// ---------------------------------------------------------------------------
// Tally
// ---------------------------------------------------------------------------

/**
 * Summary statistics of a stream of independent observations (e.g. waiting
 * times in seconds): count, sum, mean, sample variance, standard deviation,
 * minimum and maximum. The variance uses the shifted-data sums (Chan, Golub &
 * LeVeque, "Algorithms for computing the sample variance", The American
 * Statistician 37(3), 1983, section 3): sums of x - K and (x - K)^2 with K the
 * first observation, which stays accurate when the mean is large compared
 * with the spread (K is then close to the mean) and costs no division per
 * observation, unlike Welford's update. Results are in the units of the
 * observations (variance in units squared).
 *
 * @example
 * const t = new Tally();
 * for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) t.add(x);
 * t.mean;     // 5
 * t.variance; // 32 / 7 (sample variance, divisor n - 1)
 */
export class Tally {
  private n = 0;
  private total = 0;
  private shift = 0;
  private shiftedSum = 0;
  private shiftedSquares = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /**
   * Records one observation `x` (any finite number, in the caller's units).
   * Throws RangeError for NaN or ±Infinity.
   *
   * @example tally.add(0.25) // a 250 ms wait
   */
  add(x: number): void {
    assertFinite('Tally observation', x);
    this.record(x);
  }

  /**
   * `add` without the finite check, for engine code whose observations are
   * finite by construction (a wait is the difference of two checked times).
   */
  record(x: number): void {
    if (this.n++ === 0) this.shift = x;
    this.total += x;
    const d = x - this.shift;
    this.shiftedSum += d;
    this.shiftedSquares += d * d;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
  }

  /**
   * Forgets every observation, e.g. at the end of a warm-up period.
   *
   * @example tally.reset(); tally.count // 0
   */
  reset(): void {
    this.n = 0;
    this.total = 0;
    this.shift = 0;
    this.shiftedSum = 0;
    this.shiftedSquares = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  /** Number of observations recorded. @example new Tally().count // 0 */
  get count(): number {
    return this.n;
  }

  /** Sum of the observations (caller's units); 0 when empty. @example t.sum // 40 for [2,4,4,4,5,5,7,9] */
  get sum(): number {
    return this.total;
  }

  /** Arithmetic mean (caller's units); NaN when empty. @example t.mean // 5 for [2,4,4,4,5,5,7,9] */
  get mean(): number {
    return this.n === 0 ? NaN : this.shift + this.shiftedSum / this.n;
  }

  /**
   * Sample variance, sum of squared deviations over n - 1 (units squared);
   * NaN with fewer than two observations.
   *
   * @example t.variance // 32/7 ≈ 4.571 for [2,4,4,4,5,5,7,9]
   */
  get variance(): number {
    if (this.n < 2) return NaN;
    const squares = this.shiftedSquares - (this.shiftedSum * this.shiftedSum) / this.n;
    return squares > 0 ? squares / (this.n - 1) : 0;
  }

  /** Sample standard deviation, sqrt(variance) (caller's units); NaN with fewer than two observations. @example t.stdDev // ≈ 2.138 for [2,4,4,4,5,5,7,9] */
  get stdDev(): number {
    return Math.sqrt(this.variance);
  }

  /** Smallest observation; NaN when empty. @example t.min // 2 for [2,4,4,4,5,5,7,9] */
  get min(): number {
    return this.n === 0 ? NaN : this.lo;
  }

  /** Largest observation; NaN when empty. @example t.max // 9 for [2,4,4,4,5,5,7,9] */
  get max(): number {
    return this.n === 0 ? NaN : this.hi;
  }
}

// ---------------------------------------------------------------------------
// TimeWeighted
// ---------------------------------------------------------------------------

/**
 * The whole-run questions about a piecewise-constant quantity, answered by
 * `TimeWeighted` and by `BinnedTimeWeighted` (binned-stats.ts), so a station
 * keeps one collector per quantity whether or not it bins.
 */
export interface TimeAverage {
  /** The value currently held. */
  readonly value: number;
  /** Largest value held since the start or last reset. */
  readonly max: number;
  /** Smallest value held since the start or last reset. */
  readonly min: number;
  /** Integral from the start or last reset to `untilTime`, value·seconds. */
  area(untilTime: number): number;
  /** Time average from the start or last reset to `untilTime`. */
  mean(untilTime: number): number;
}

/**
 * A piecewise-constant quantity over simulated time (queue length, busy
 * servers, open connections) and its time integral. The value holds from the
 * time it is set until the next change; `area` is the integral in
 * value·seconds and `mean` the time average.
 *
 * Updates must come in non-decreasing time order; a time earlier than the last
 * update throws a RangeError naming both times.
 *
 * @example
 * const q = new TimeWeighted(0, 0); // starts at t = 0 s with value 0
 * q.set(2, 3);                      // 3 from t = 2 s
 * q.add(5, -1);                     // 2 from t = 5 s
 * q.area(10);                       // 0·2 + 3·3 + 2·5 = 19
 * q.mean(10);                       // 19 / 10 = 1.9
 */
export class TimeWeighted implements TimeAverage {
  private start: number;
  private last: number;
  private current: number;
  private integral = 0;
  private hi: number;
  private lo: number;

  /**
   * @param startTime simulated time (s) at which observation begins
   * @param initialValue the value held from `startTime`
   * @example new TimeWeighted(100, 4) // 4 busy servers from t = 100 s
   */
  constructor(startTime = 0, initialValue = 0) {
    assertFinite('TimeWeighted start time', startTime);
    assertFinite('TimeWeighted value', initialValue);
    this.start = startTime;
    this.last = startTime;
    this.current = initialValue;
    this.hi = initialValue;
    this.lo = initialValue;
  }

  private advance(time: number): void {
    if (!(time >= this.last)) {
      throw new RangeError(`TimeWeighted: time ${time} is before the last update at ${this.last}`);
    }
    this.integral += this.current * (time - this.last);
    this.last = time;
  }

  /**
   * Changes the value to `value` at simulated time `time` (s). Throws RangeError
   * if `time` is earlier than the previous update.
   *
   * @example busy.set(12.5, 3) // three servers busy from t = 12.5 s
   */
  set(time: number, value: number): void {
    assertFinite('TimeWeighted value', value);
    this.advance(time);
    this.current = value;
    if (value > this.hi) this.hi = value;
    if (value < this.lo) this.lo = value;
  }

  /**
   * `set` without the checks, for engine code that guarantees a finite value
   * and a time no earlier than the last update (a station's count at the
   * simulation's clock).
   */
  level(time: number, value: number): void {
    this.integral += this.current * (time - this.last);
    this.last = time;
    this.current = value;
    if (value > this.hi) this.hi = value;
    if (value < this.lo) this.lo = value;
  }

  /**
   * Changes the value by `delta` at simulated time `time` (s), e.g. +1 on an
   * arrival and -1 on a departure.
   *
   * @example queue.add(now, +1)
   */
  add(time: number, delta: number): void {
    this.set(time, this.current + delta);
  }

  /** The value currently held. @example queue.value // 0 on a fresh collector */
  get value(): number {
    return this.current;
  }

  /**
   * Integral of the value from the start (or last reset) to `untilTime`, in
   * value·seconds. Does not change the collector. Throws RangeError if
   * `untilTime` is earlier than the last update.
   *
   * @example q.area(10) // 19 for the class example
   */
  area(untilTime: number): number {
    if (!(untilTime >= this.last)) {
      throw new RangeError(`TimeWeighted: time ${untilTime} is before the last update at ${this.last}`);
    }
    return this.integral + this.current * (untilTime - this.last);
  }

  /**
   * Time average of the value over [startTime, untilTime]:
   * area(untilTime) / (untilTime - startTime), in the value's units; 0 when the
   * span is zero.
   *
   * @example q.mean(10) // 1.9 for the class example
   */
  mean(untilTime: number): number {
    const a = this.area(untilTime);
    const span = untilTime - this.start;
    return span > 0 ? a / span : 0;
  }

  /**
   * Largest value held since the start or last reset, counting values that were
   * replaced at the same instant they were set.
   *
   * @example q.max // 3 for the class example
   */
  get max(): number {
    return this.hi;
  }

  /** Smallest value held since the start or last reset. @example q.min // 0 for the class example */
  get min(): number {
    return this.lo;
  }

  /**
   * Restarts the integral at simulated time `time` (s), keeping the current
   * value, e.g. at the end of a warm-up period. `max`/`min` restart at the
   * current value. Throws RangeError if `time` is before the last update.
   *
   * @example q.reset(1000); q.mean(2000) // average over [1000, 2000] only
   */
  reset(time: number): void {
    this.advance(time);
    this.start = time;
    this.integral = 0;
    this.hi = this.current;
    this.lo = this.current;
  }
}
