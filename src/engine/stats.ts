/**
 * Statistics collectors for the simulator's hot path.
 *
 * Every `add`/`set` call here runs in constant time (or, for the binned
 * collectors, time proportional to the bins crossed). Storage is typed arrays
 * allocated once in the constructor, except the quantile sketch's, which is
 * allocated at its first observation and widened as the values spread
 * (amortised constant time); otherwise nothing here allocates.
 * Time is simulated time in seconds throughout; nothing here reads the wall
 * clock.
 *
 * Collectors reject NaN and infinite observations with a RangeError, since one
 * such value would silently poison every statistic after it.
 */

function assertFinite(what: string, x: number): void {
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`);
}

// ---------------------------------------------------------------------------
// Tally
// ---------------------------------------------------------------------------

/**
 * Summary statistics of a stream of independent observations (e.g. waiting
 * times in seconds): count, sum, mean, sample variance, standard deviation,
 * minimum and maximum. The variance uses Welford's online update, which stays
 * accurate when the mean is large compared with the spread. Results are in the
 * units of the observations (variance in units squared).
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
  private avg = 0;
  private m2 = 0;
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
    const n = ++this.n;
    this.total += x;
    const delta = x - this.avg;
    this.avg += delta / n;
    this.m2 += delta * (x - this.avg);
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
    this.avg = 0;
    this.m2 = 0;
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
    return this.n === 0 ? NaN : this.avg;
  }

  /**
   * Sample variance, sum of squared deviations over n - 1 (units squared);
   * NaN with fewer than two observations.
   *
   * @example t.variance // 32/7 ≈ 4.571 for [2,4,4,4,5,5,7,9]
   */
  get variance(): number {
    return this.n < 2 ? NaN : this.m2 / (this.n - 1);
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
export class TimeWeighted {
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

// ---------------------------------------------------------------------------
// QuantileSketch
// ---------------------------------------------------------------------------

/** Shared empty window of a sketch that has no bucketed observation yet. */
const NO_BUCKETS = new Float64Array(0);
/** Buckets allocated for a sketch's first bucketed observation (256 bytes). */
const FIRST_WINDOW_BUCKETS = 32;

/**
 * Streaming quantiles of non-negative observations (e.g. latencies in seconds)
 * with bounded relative error and bounded memory: a logarithmically bucketed
 * histogram in the style of DDSketch (C. Masson, J. E. Rim, H. K. Lee,
 * "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with Relative-Error
 * Guarantees", PVLDB 12(12), 2019).
 *
 * With gamma = (1 + alpha) / (1 - alpha), a value x goes into bucket
 * i = ceil(log(x) / log(gamma)), which covers (gamma^(i-1), gamma^i]; the bucket
 * is represented by 2·gamma^i / (gamma + 1), within relative error alpha of
 * every value in it. The indexes covering [MIN_TRACKABLE, MAX_TRACKABLE] =
 * [1e-9, 1e12] are `bucketLimit` buckets (2,419 for alpha = 0.01). Only a
 * window of them is allocated: none until the first observation, then the
 * buckets around it, widened (by at least half each time, so the copies cost
 * amortised constant time per observation) when a value falls outside. Memory
 * therefore follows the spread of the values, never their number, and stays
 * at most `bucketLimit` buckets; a sketch that is never used (most of the
 * per-bin sketches of a small run) costs a few dozen bytes. Buckets outside the
 * window hold zero, so counts, merges and quantiles are exactly those of a
 * fully allocated histogram: adding zero to a count changes no bit.
 * Values below MIN_TRACKABLE (including 0) are counted in a zero bucket; values
 * above MAX_TRACKABLE are clamped into the top bucket and counted in
 * `clampedHigh`. Quantile answers are also clamped to [min, max], which are
 * tracked exactly.
 *
 * @example
 * const s = new QuantileSketch(0.01);
 * for (let i = 1; i <= 1000; i++) s.add(i / 1000); // 1 ms … 1 s
 * s.quantile(0.99); // ≈ 0.99, within 1 %
 */
export class QuantileSketch {
  /** Smallest value tracked with relative accuracy (1e-9); smaller values count as zero. */
  static readonly MIN_TRACKABLE = 1e-9;
  /** Largest value tracked with relative accuracy (1e12); larger values are clamped. */
  static readonly MAX_TRACKABLE = 1e12;

  /** Relative accuracy alpha, e.g. 0.01 for 1 %. */
  readonly alpha: number;
  private readonly gamma: number;
  private readonly invLogGamma: number;
  private readonly minIndex: number;
  private readonly maxIndex: number;
  /** counts[k] is the weight in bucket `offset + k`; every bucket outside the window holds 0. */
  private counts: Float64Array = NO_BUCKETS;
  private offset = 0;
  private zeroCount = 0;
  private highCount = 0;
  private total = 0;
  private weightSum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /**
   * @param alpha relative accuracy, 0 < alpha < 1 (default 0.01 = 1 %)
   * @example new QuantileSketch(0.005) // 0.5 % relative error
   */
  constructor(alpha = 0.01) {
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`QuantileSketch alpha must be in (0, 1), got ${alpha}`);
    this.alpha = alpha;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.invLogGamma = 1 / Math.log(this.gamma);
    this.minIndex = Math.ceil(Math.log(QuantileSketch.MIN_TRACKABLE) * this.invLogGamma);
    this.maxIndex = Math.ceil(Math.log(QuantileSketch.MAX_TRACKABLE) * this.invLogGamma);
  }

  /**
   * Widens the window so that it holds bucket indexes `from`..`to` (within
   * [minIndex, maxIndex]), keeping every count. A new window is at least half
   * as large again as the old one, the extra room on the side that grew.
   */
  private cover(from: number, to: number): void {
    const old = this.counts;
    const limit = this.maxIndex - this.minIndex + 1;
    let start: number;
    let end: number; // inclusive
    if (old.length === 0) {
      start = from - (FIRST_WINDOW_BUCKETS >> 1);
      end = Math.max(to, start + FIRST_WINDOW_BUCKETS - 1);
    } else {
      const oldEnd = this.offset + old.length - 1;
      const grow = Math.max(old.length >> 1, FIRST_WINDOW_BUCKETS >> 1);
      start = from < this.offset ? from - grow : this.offset;
      end = to > oldEnd ? to + grow : oldEnd;
    }
    if (end - start + 1 >= limit) {
      start = this.minIndex;
      end = this.maxIndex;
    } else if (start < this.minIndex) {
      end += this.minIndex - start;
      start = this.minIndex;
    } else if (end > this.maxIndex) {
      start -= end - this.maxIndex;
      end = this.maxIndex;
    }
    const counts = new Float64Array(end - start + 1);
    if (old.length > 0) counts.set(old, this.offset - start);
    this.counts = counts;
    this.offset = start;
  }

  /**
   * Records observation `x` (finite, >= 0, caller's units) with weight
   * `weight` (finite, >= 0; a weight of 3 is the same as adding x three times).
   * Throws RangeError for negative or non-finite `x` or an invalid weight.
   *
   * @example sketch.add(0.042)      // one 42 ms latency
   * @example sketch.add(0.042, 10)  // ten of them
   */
  add(x: number, weight = 1): void {
    if (!(x >= 0) || x === Infinity) throw new RangeError(`QuantileSketch value must be finite and >= 0, got ${x}`);
    if (!(weight >= 0) || weight === Infinity) throw new RangeError(`QuantileSketch weight must be finite and >= 0, got ${weight}`);
    if (weight === 0) return;
    if (x < QuantileSketch.MIN_TRACKABLE) {
      this.zeroCount += weight;
    } else {
      let i: number;
      if (x > QuantileSketch.MAX_TRACKABLE) {
        i = this.maxIndex;
        this.highCount += weight;
      } else {
        i = Math.ceil(Math.log(x) * this.invLogGamma);
        if (i < this.minIndex) i = this.minIndex;
        else if (i > this.maxIndex) i = this.maxIndex;
      }
      let k = i - this.offset;
      if (k < 0 || k >= this.counts.length) {
        this.cover(i, i);
        k = i - this.offset;
      }
      this.counts[k]! += weight; // cover() made k a bucket of the window
    }
    this.weightSum += weight;
    this.total += x * weight;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
  }

  /**
   * The q-quantile, 0 <= q <= 1: an estimate of the value of rank
   * floor(q·(count - 1)) (0-based) in sorted order, within relative error
   * `alpha` for values in [MIN_TRACKABLE, MAX_TRACKABLE]. Values below the
   * range are reported as 0 (or the exact minimum if that is larger). NaN when
   * empty; RangeError for q outside [0, 1].
   *
   * @example sketch.quantile(0.5) // median
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
    if (this.weightSum === 0) return NaN;
    if (q === 0) return this.lo;
    if (q === 1) return this.hi;
    const rank = q * (this.weightSum - 1);
    let estimate = this.hi;
    let cumulative = this.zeroCount;
    if (cumulative > rank) {
      estimate = 0;
    } else {
      // Buckets below the window are empty: the running sum starts here unchanged.
      const counts = this.counts;
      for (let k = 0; k < counts.length; k++) {
        cumulative += counts[k]!;
        if (cumulative > rank) {
          estimate = (2 * Math.pow(this.gamma, k + this.offset)) / (this.gamma + 1);
          break;
        }
      }
    }
    return estimate < this.lo ? this.lo : estimate > this.hi ? this.hi : estimate;
  }

  /** Total weight recorded (the number of observations when all weights are 1). @example sketch.count */
  get count(): number {
    return this.weightSum;
  }

  /** Weighted sum of the observations (caller's units), exact. @example sketch.sum */
  get sum(): number {
    return this.total;
  }

  /** Weighted mean (caller's units), exact; NaN when empty. @example sketch.mean */
  get mean(): number {
    return this.weightSum === 0 ? NaN : this.total / this.weightSum;
  }

  /** Smallest observation, exact; NaN when empty. @example sketch.min */
  get min(): number {
    return this.weightSum === 0 ? NaN : this.lo;
  }

  /** Largest observation, exact; NaN when empty. @example sketch.max */
  get max(): number {
    return this.weightSum === 0 ? NaN : this.hi;
  }

  /** Weight of observations above MAX_TRACKABLE that were clamped into the top bucket. @example sketch.clampedHigh // 0 normally */
  get clampedHigh(): number {
    return this.highCount;
  }

  /**
   * Number of buckets allocated now (8 bytes each): 0 until a value at or above
   * MIN_TRACKABLE is added, never more than `bucketLimit`.
   *
   * @example new QuantileSketch().bucketCount // 0
   */
  get bucketCount(): number {
    return this.counts.length;
  }

  /**
   * Number of buckets covering [MIN_TRACKABLE, MAX_TRACKABLE], fixed by alpha:
   * the most a sketch ever allocates.
   *
   * @example new QuantileSketch(0.01).bucketLimit // 2419
   */
  get bucketLimit(): number {
    return this.maxIndex - this.minIndex + 1;
  }

  /**
   * Adds every observation of `other` into this sketch, as if they had been
   * added here directly (e.g. to combine replications or shards). Requires the
   * same alpha; throws RangeError otherwise. `other` is unchanged.
   *
   * @example total.merge(perShardSketch)
   */
  merge(other: QuantileSketch): void {
    if (other.alpha !== this.alpha) {
      throw new RangeError(`cannot merge QuantileSketch with alpha ${other.alpha} into one with alpha ${this.alpha}`);
    }
    const b = other.counts;
    // Only the non-empty buckets of `other` need room here.
    let first = 0;
    while (first < b.length && b[first] === 0) first++;
    if (first < b.length) {
      let last = b.length - 1;
      while (b[last] === 0) last--;
      const from = other.offset + first;
      const to = other.offset + last;
      if (from < this.offset || to >= this.offset + this.counts.length) this.cover(from, to);
      const a = this.counts;
      const shift = other.offset - this.offset;
      for (let k = first; k <= last; k++) a[k + shift]! += b[k]!; // cover() made room for [from, to]
    }
    this.zeroCount += other.zeroCount;
    this.highCount += other.highCount;
    this.weightSum += other.weightSum;
    this.total += other.total;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  /** Forgets every observation; the allocated window is kept. @example sketch.reset(); sketch.count // 0 */
  reset(): void {
    this.counts.fill(0);
    this.zeroCount = 0;
    this.highCount = 0;
    this.weightSum = 0;
    this.total = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }
}

// ---------------------------------------------------------------------------
// Binned series
// ---------------------------------------------------------------------------

/** Smallest n >= 1 with n·bin >= horizon, robust to division round-off (3 / 0.1 gives 30, not 31). */
function binCountFor(binSeconds: number, horizonSeconds: number): number {
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
 * number of bins crossed since the previous update and allocates nothing.
 *
 * @example
 * const b = new BinnedTimeWeighted(10, 30); // bins [0,10) [10,20) [20,…)
 * b.set(5, 2);   // 0 on [0,5), then 2
 * b.set(15, 0);  // 2 on [5,15), then 0
 * b.finish(25);
 * b.means();     // [1, 1, 0]  (bin 2 averaged over its covered 5 s)
 * b.maxes();     // [2, 2, 0]
 */
export class BinnedTimeWeighted {
  /** Width of each bin in seconds of simulated time. */
  readonly binSeconds: number;
  /** Horizon in seconds given to the constructor. */
  readonly horizonSeconds: number;
  private readonly areas: Float64Array;
  private readonly maxima: Float64Array;
  private last = 0;
  private current: number;

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

  /** Integrates the current value from `last` to `time` into the bins it crosses. */
  private advance(time: number): void {
    if (!(time >= this.last)) {
      throw new RangeError(`BinnedTimeWeighted: time ${time} is before the last update at ${this.last}`);
    }
    if (time === this.last) return;
    if (time === Infinity) throw new RangeError('BinnedTimeWeighted time must be finite');
    const bin = this.binSeconds;
    const lastBin = this.areas.length - 1;
    const v = this.current;
    let a = this.last;
    let i = binIndexOf(a, bin, this.areas.length);
    for (;;) {
      const end = i === lastBin ? Infinity : (i + 1) * bin;
      const segEnd = time < end ? time : end;
      if (segEnd > a) {
        this.areas[i]! += v * (segEnd - a); // i <= lastBin: the loop stops at the last bin, whose end is Infinity
        if (v > this.maxima[i]!) this.maxima[i] = v;
      }
      if (segEnd >= time) break;
      a = segEnd;
      i++;
    }
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
    this.advance(time);
    this.current = value;
    const i = binIndexOf(time, this.binSeconds, this.areas.length);
    if (value > this.maxima[i]!) this.maxima[i] = value;
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
    this.advance(time);
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
