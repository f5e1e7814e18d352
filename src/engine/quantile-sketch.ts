/**
 * Streaming quantiles of non-negative observations with bounded relative
 * error and bounded memory (`QuantileSketch`), one of the statistics
 * collectors of the simulator's hot path (stats.ts). Its buckets are
 * allocated at the first observation and widened as the values spread
 * (amortised constant time per observation); nothing here reads the wall
 * clock.
 */

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
