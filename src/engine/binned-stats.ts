/**
 * Statistics over fixed-width bins of simulated time, starting at t = 0:
 * amounts summed per bin (`BinnedSeries`), and per-bin time averages and
 * maxima of a piecewise-constant quantity (`BinnedTimeWeighted`). Storage is
 * typed arrays allocated once in the constructor; an update costs time
 * proportional to the bins crossed and allocates nothing. Like every
 * collector (stats.ts) they reject NaN and infinite values with a RangeError.
 */
import { assertFinite } from './assert-finite.js';
import type { TimeAverage } from './stats.js';

/** Smallest n >= 1 with n·bin >= horizon, robust to division round-off (3 / 0.1 gives 30, not 31). */
export function binCountFor(binSeconds: number, horizonSeconds: number): number {
  if (!(binSeconds > 0) || binSeconds === Infinity) throw new RangeError(`binSeconds must be finite and > 0, got ${binSeconds}`);
  if (!(horizonSeconds > 0) || horizonSeconds === Infinity) {
    throw new RangeError(`horizonSeconds must be finite and > 0, got ${horizonSeconds}`);
  }
  let n = Math.ceil(horizonSeconds / binSeconds);
  if (n > 1 && (n - 1) * binSeconds >= horizonSeconds) n -= 1;
  if (n < 1) n = 1;
  if (n > 0x7fffffff) throw new RangeError(`too many bins: ${horizonSeconds} / ${binSeconds}`);
  return n;
}

/** Index of the bin holding `time` >= 0, with bin i = [i·bin, (i+1)·bin) and the last bin open-ended. */
function binIndexOf(time: number, binSeconds: number, binCount: number): number {
  let i = Math.floor(time / binSeconds);
  if (i >= binCount) return binCount - 1;
  // Keep the index consistent with the boundaries i·bin used elsewhere.
  if (i > 0 && time < i * binSeconds) i -= 1;
  else if (i < binCount - 1 && time >= (i + 1) * binSeconds) i += 1;
  return i;
}

/**
 * A time series of amounts (messages, bytes, requests) summed into fixed-width
 * bins of simulated time. Bin i covers [i·binSeconds, (i+1)·binSeconds); the
 * constructor allocates ceil(horizon / bin) bins in one Float64Array. Times at
 * or beyond the horizon are added to the last bin, which therefore also holds
 * any overflow.
 *
 * @example
 * const s = new BinnedSeries(60, 3600); // 60 one-minute bins
 * s.add(30, 1);   // bin 0
 * s.add(61, 2);   // bin 1
 * s.ratePerSecond(1); // 2 / 60
 */
export class BinnedSeries {
  /** Width of each bin in seconds of simulated time. */
  readonly binSeconds: number;
  /** Horizon in seconds given to the constructor. */
  readonly horizonSeconds: number;
  private readonly bins: Float64Array;

  /**
   * @param binSeconds bin width (s), > 0
   * @param horizonSeconds simulated span to cover (s), > 0
   * @example new BinnedSeries(1, 86400) // one-second bins over a day
   */
  constructor(binSeconds: number, horizonSeconds: number) {
    const n = binCountFor(binSeconds, horizonSeconds);
    this.binSeconds = binSeconds;
    this.horizonSeconds = horizonSeconds;
    this.bins = new Float64Array(n);
  }

  /**
   * Adds `amount` to the bin holding simulated time `time` (s). Times at or
   * beyond the horizon go into the last bin; a negative time or non-finite
   * amount throws RangeError.
   *
   * @example series.add(now, messageBytes)
   */
  add(time: number, amount: number): void {
    if (!(time >= 0)) throw new RangeError(`BinnedSeries time must be >= 0, got ${time}`);
    assertFinite('BinnedSeries amount', amount);
    this.bins[binIndexOf(time, this.binSeconds, this.bins.length)]! += amount; // binIndexOf returns an index below the length
  }

  /**
   * The per-bin totals, live (the collector's own array; do not modify).
   *
   * @example Array.from(series.values)
   */
  get values(): Float64Array {
    return this.bins;
  }

  /** Number of bins, ceil(horizon / bin). @example new BinnedSeries(60, 3600).binCount // 60 */
  get binCount(): number {
    return this.bins.length;
  }

  /**
   * Start time (s) of bin `i`, i·binSeconds. RangeError if `i` is not a bin index.
   *
   * @example new BinnedSeries(60, 3600).binStart(2) // 120
   */
  binStart(i: number): number {
    this.check(i);
    return i * this.binSeconds;
  }

  /**
   * Bin `i`'s total divided by the bin width: amount per second of simulated
   * time. The last bin is divided by the full width too, even if the horizon
   * ends part-way through it.
   *
   * @example series.ratePerSecond(0) // requests/s in the first bin
   */
  ratePerSecond(i: number): number {
    this.check(i);
    return this.bins[i]! / this.binSeconds;
  }

  /** Sets every bin back to 0. @example series.reset() */
  reset(): void {
    this.bins.fill(0);
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.bins.length) {
      throw new RangeError(`bin index ${i} out of range [0, ${this.bins.length})`);
    }
  }
}

/**
 * Per-bin time averages and maxima of a piecewise-constant quantity (queue
 * length, busy servers) over fixed-width bins of simulated time, starting at
 * t = 0. Bin i covers [i·binSeconds, (i+1)·binSeconds); the last bin also
 * absorbs time beyond the horizon. Updates must be in non-decreasing time
 * order (RangeError otherwise). Each `set` costs time proportional to the
 * number of bins crossed since the previous update and allocates nothing; the
 * bin of the last update is kept, so an update within it divides nothing.
 *
 * It is also the whole-run collector of the same quantity (`TimeAverage`, the
 * questions `TimeWeighted` answers): the whole-run integral is the sum of the
 * bins' areas, less their sum when `reset` was last called, so each update
 * feeds one accumulator, not two.
 *
 * @example
 * const b = new BinnedTimeWeighted(10, 30); // bins [0,10) [10,20) [20,…)
 * b.set(5, 2);   // 0 on [0,5), then 2
 * b.set(15, 0);  // 2 on [5,15), then 0
 * b.finish(25);
 * b.means();     // [1, 1, 0]  (bin 2 averaged over its covered 5 s)
 * b.maxes();     // [2, 2, 0]
 * b.mean(25);    // 20 / 25 = 0.8, the whole-run time average
 */
export class BinnedTimeWeighted implements TimeAverage {
  /** Width of each bin in seconds of simulated time. */
  readonly binSeconds: number;
  /** Horizon in seconds given to the constructor. */
  readonly horizonSeconds: number;
  private readonly areas: Float64Array;
  private readonly maxima: Float64Array;
  private last = 0;
  private current: number;
  /** The bin holding `last`, and its end (Infinity for the last bin). */
  private index = 0;
  private indexEnd: number;
  // Whole-run view: start of the run, the bins' total area then, extremes since.
  private runStart = 0;
  private areaBeforeRun = 0;
  private hi: number;
  private lo: number;

  /**
   * @param binSeconds bin width (s), > 0
   * @param horizonSeconds simulated span to cover (s), > 0; ceil(horizon / bin) bins
   * @param initialValue value held from t = 0
   * @example new BinnedTimeWeighted(60, 3600) // per-minute averages over an hour
   */
  constructor(binSeconds: number, horizonSeconds: number, initialValue = 0) {
    assertFinite('BinnedTimeWeighted value', initialValue);
    const n = binCountFor(binSeconds, horizonSeconds);
    this.binSeconds = binSeconds;
    this.horizonSeconds = horizonSeconds;
    this.areas = new Float64Array(n);
    this.maxima = new Float64Array(n).fill(-Infinity);
    this.current = initialValue;
    this.maxima[0] = initialValue;
    this.indexEnd = n === 1 ? Infinity : binSeconds;
    this.hi = initialValue;
    this.lo = initialValue;
  }

  /** Number of bins. @example new BinnedTimeWeighted(60, 3600).binCount // 60 */
  get binCount(): number {
    return this.areas.length;
  }

  /** The value currently held. @example b.value */
  get value(): number {
    return this.current;
  }

  /** Simulated time (s) up to which the integral has been taken. @example b.time */
  get time(): number {
    return this.last;
  }

  private checkTime(time: number): void {
    if (!(time >= this.last)) {
      throw new RangeError(`BinnedTimeWeighted: time ${time} is before the last update at ${this.last}`);
    }
    if (time === Infinity) throw new RangeError('BinnedTimeWeighted time must be finite');
  }

  /** Integrates the current value from `last` to `time` (>= last, finite) into the bins it crosses. */
  private advance(time: number): void {
    const v = this.current;
    const areas = this.areas;
    const maxima = this.maxima;
    let i = this.index;
    let a = this.last;
    // Indices stay below the length: the last bin's end is Infinity, so the loop stops there.
    while (time >= this.indexEnd) {
      const end = this.indexEnd;
      if (end > a) {
        areas[i]! += v * (end - a);
        if (v > maxima[i]!) maxima[i] = v;
      }
      a = end;
      i++;
      this.indexEnd = i === areas.length - 1 ? Infinity : (i + 1) * this.binSeconds;
    }
    if (time > a) {
      areas[i]! += v * (time - a);
      if (v > maxima[i]!) maxima[i] = v;
    }
    this.index = i;
    this.last = time;
  }

  /**
   * Changes the value to `value` at simulated time `time` (s), first crediting
   * the old value to every bin it covered. RangeError if `time` goes backwards.
   *
   * @example busy.set(now, busyServers)
   */
  set(time: number, value: number): void {
    assertFinite('BinnedTimeWeighted value', value);
    this.checkTime(time);
    this.level(time, value);
  }

  /**
   * `set` without the checks, for engine code that guarantees a finite value
   * and a finite time no earlier than the last update (a station's count at
   * the simulation's clock).
   */
  level(time: number, value: number): void {
    if (time !== this.last) this.advance(time);
    this.current = value;
    if (value > this.maxima[this.index]!) this.maxima[this.index] = value;
    if (value > this.hi) this.hi = value;
    if (value < this.lo) this.lo = value;
  }

  /**
   * Changes the value by `delta` at simulated time `time` (s).
   *
   * @example queue.add(now, -1) // a departure
   */
  add(time: number, delta: number): void {
    this.set(time, this.current + delta);
  }

  /**
   * Closes out the integral at simulated time `time` (s), normally the end of
   * the run, without changing the value. `means()` and `maxes()` cover [0, the
   * latest update or finish].
   *
   * @example b.finish(horizon)
   */
  finish(time: number): void {
    this.checkTime(time);
    if (time !== this.last) this.advance(time);
  }

  /** Sum of the bins' areas, value·seconds up to the last update. */
  private totalArea(): number {
    let sum = 0;
    for (let i = 0; i < this.areas.length; i++) sum += this.areas[i]!;
    return sum;
  }

  /**
   * Whole-run integral from the start (t = 0, or the last `reset`) to
   * `untilTime`, in value·seconds, as `TimeWeighted.area`. Does not change the
   * collector. RangeError if `untilTime` is before the last update.
   *
   * @example b.area(25) // 20 for the class example
   */
  area(untilTime: number): number {
    if (!(untilTime >= this.last)) {
      throw new RangeError(`BinnedTimeWeighted: time ${untilTime} is before the last update at ${this.last}`);
    }
    return this.totalArea() - this.areaBeforeRun + this.current * (untilTime - this.last);
  }

  /**
   * Whole-run time average over [start or last reset, untilTime], as
   * `TimeWeighted.mean`; 0 when the span is zero.
   *
   * @example b.mean(25) // 0.8 for the class example
   */
  mean(untilTime: number): number {
    const a = this.area(untilTime);
    const span = untilTime - this.runStart;
    return span > 0 ? a / span : 0;
  }

  /** Largest value held since the start or last reset. @example b.max // 2 for the class example */
  get max(): number {
    return this.hi;
  }

  /** Smallest value held since the start or last reset. @example b.min // 0 for the class example */
  get min(): number {
    return this.lo;
  }

  /**
   * Restarts the whole-run figures (`area`, `mean`, `max`, `min`) at simulated
   * time `time` (s), e.g. at the end of a warm-up, as `TimeWeighted.reset`;
   * the bins are kept. RangeError if `time` is before the last update.
   *
   * @example b.reset(1000); b.mean(2000) // average over [1000, 2000] only
   */
  reset(time: number): void {
    this.finish(time);
    this.runStart = time;
    this.areaBeforeRun = this.totalArea();
    this.hi = this.current;
    this.lo = this.current;
  }

  /** Covered width (s) of bin i up to the last update: binSeconds for complete bins. */
  private covered(i: number): number {
    const start = i * this.binSeconds;
    const isLast = i === this.areas.length - 1;
    if (!isLast && this.last >= (i + 1) * this.binSeconds) return this.binSeconds;
    return this.last > start ? this.last - start : 0;
  }

  /**
   * Per-bin time averages (value units): area in the bin divided by the bin
   * width, or for the bin holding the last update / finish time, by the width
   * covered so far. Bins the clock never reached are NaN. Returns a new array.
   *
   * @example b.finish(3600); b.means()[0] // mean queue length in the first bin
   */
  means(): Float64Array {
    const n = this.areas.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w = this.covered(i);
      out[i] = w > 0 ? this.areas[i]! / w : NaN;
    }
    return out;
  }

  /**
   * Per-bin maxima (value units): the largest value in effect at any point of
   * each bin, counting values replaced at the same instant. Bins the clock
   * never reached are NaN. Returns a new array.
   *
   * @example b.maxes()[0] // peak queue length in the first bin
   */
  maxes(): Float64Array {
    const n = this.areas.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.covered(i) > 0 ? this.maxima[i]! : NaN;
    }
    return out;
  }
}
