/**
 * Output analysis across replications: Student t quantiles, t confidence
 * intervals for a mean (on the log scale for quantities that cannot be
 * negative), MSER-5 warm-up truncation, and the upper tail of the F
 * distribution (the p-values of an analysis of variance).
 *
 * The t distribution is computed from first principles rather than a table:
 * its tail is a regularized incomplete beta function,
 *   P(|T| > t) = I_x(df/2, 1/2),  x = df / (df + t²),
 * evaluated with the continued fraction of Numerical Recipes (Press et al.,
 * 3rd ed., §6.4) using the modified Lentz method, and inverted by Newton's
 * method safeguarded with bisection. For df >= 3000 the quantile comes from the
 * Cornish–Fisher expansion around the normal quantile instead (Abramowitz &
 * Stegun 26.7.5), which is more accurate there. The normal tail is
 * erfc(z/√2)/2 = Q(1/2, z²/2), the regularized incomplete gamma function
 * (Numerical Recipes §6.2).
 */
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';
import { logGamma } from '../numeric/log-gamma.js';

// ---------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------

const FPMIN = 1e-300;
const EPS = 1e-16;

/**
 * Continued fraction for the incomplete beta function (NR §6.4, modified
 * Lentz), with y = 1 - x supplied by the caller. The first partial
 * denominator 1 - (a+b)x/(a+1) is computed as (1 - b + (a+b)y)/(a+1): near
 * x = 1 with large a the textbook form cancels catastrophically (2e-12
 * relative error in the t tail at df = 1e5).
 */
function betaContinuedFraction(a: number, b: number, x: number, y: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = (1 - b + qab * y) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  // Converges in O(sqrt(max(a, b))) steps; a is at most 1500 for quantiles.
  const maxIterations = 10000;
  for (let m = 1; m <= maxIterations; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) return h;
  }
  return h;
}

/** Stirling-series remainder lnΓ(x) - [(x - ½) ln x - x + ln √(2π)], for x >= 20 (error < 1e-17). */
function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
}

/**
 * ln B(a, b) = lnΓ(a) + lnΓ(b) - lnΓ(a + b). When the larger argument is big,
 * lnΓ(big + small) - lnΓ(big) is taken from the Stirling series as a whole
 * rather than as a difference of two large numbers, which would lose about
 * log10(lnΓ(big)) digits (1e-10 relative at df = 1e5).
 */
function lnBeta(a: number, b: number): number {
  const big = a > b ? a : b;
  const small = a > b ? b : a;
  if (big < 20) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const sum = big + small;
  const lnRatio = (big - 0.5) * Math.log1p(small / big) + small * Math.log(sum) - small + stirlingCorrection(sum) - stirlingCorrection(big);
  return logGamma(small) - lnRatio;
}

/**
 * Regularized incomplete beta I_x(a, b). The caller supplies y = 1 - x and the
 * logarithms of x and y, computed without cancellation (for the t
 * distribution x is within 1e-5 of 1 at large df, where Math.log(x) would
 * carry a relative error of ~1e-11 into a·ln x).
 */
function regularizedIncompleteBeta(a: number, b: number, x: number, y: number, lnX: number, lnY: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(a * lnX + b * lnY - lnBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x, y)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y, x)) / b;
}

/** Upper tail P(T > t) of Student's t with df degrees of freedom, for t >= 0. */
function studentTUpperTail(t: number, df: number): number {
  if (t === 0) return 0.5;
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return 0.5 * regularizedIncompleteBeta(df / 2, 0.5, x, y, -Math.log1p(t2 / df), -Math.log1p(df / t2));
}

/** Regularized upper incomplete gamma Q(a, x) (NR §6.2: series or continued fraction). */
function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 10000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(lnFront);
  }
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) break;
  }
  return Math.exp(lnFront) * h;
}

/** Upper tail P(Z > z) of the standard normal for z >= 0: erfc(z / √2) / 2. */
function normalUpperTail(z: number): number {
  return 0.5 * regularizedUpperGamma(0.5, (z * z) / 2);
}

const INV_SQRT_2PI = 0.3989422804014327;

function normalDensity(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * Solves upperTail(t) = tail for t >= 0, given 0 < tail < 0.5, where upperTail
 * is decreasing with derivative -density. Newton's method, kept inside a
 * shrinking bracket by bisection.
 */
function invertUpperTail(tail: number, upperTail: (t: number) => number, density: (t: number) => number): number {
  let lo = 0;
  let hi = 1;
  while (upperTail(hi) > tail) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let t = 0.5 * (lo + hi);
  for (let iter = 0; iter < 500; iter++) {
    const f = upperTail(t) - tail; // > 0 means t is too small
    if (f === 0) return t;
    if (f > 0) lo = t;
    else hi = t;
    let next = t + f / density(t);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 2e-16 * next || hi - lo <= 2e-16 * hi) return next;
    t = next;
  }
  return t;
}

/** Normal quantile for a tail probability 0 < tail < 0.5 (returns z > 0 with P(Z > z) = tail). */
function normalUpperQuantile(tail: number): number {
  return invertUpperTail(tail, normalUpperTail, normalDensity);
}

/**
 * At and above this df the Cornish–Fisher expansion is used. Its truncation
 * error is O(z^11 / df^5), below 1e-13 relative here for tails down to 1e-10;
 * the continued fraction, whose terms cancel when x = df/(df+t²) is close to 1,
 * would lose about 1e-13 at df = 1e4 and 1e-12 at df = 1e5.
 */
const CORNISH_FISHER_DF = 3000;

/** A&S 26.7.5: t quantile from the normal quantile z, four correction terms. */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const z3 = z2 * z;
  const z5 = z3 * z2;
  const z7 = z5 * z2;
  const z9 = z7 * z2;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Cumulative distribution function P(T <= t) of Student's t distribution with
 * `df` degrees of freedom (df > 0, need not be an integer; Infinity gives the
 * standard normal). Accurate to ~1e-14 relative for df up to a few hundred;
 * the continued fraction loses digits as df grows (~1e-12 at df = 1e4, ~1e-11
 * at df = 1e5). RangeError for df <= 0 or NaN.
 *
 * @example studentTCdf(2.262, 9) // ≈ 0.975
 */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  const tail = df === Infinity ? normalUpperTail(Math.abs(t)) : studentTUpperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Upper tail P(F > f) of Fisher's F distribution with d1 and d2 degrees of
 * freedom (the p-value of an analysis-of-variance F test):
 *   P(F > f) = I_x(d2/2, d1/2),  x = d2 / (d2 + d1·f)
 * (Abramowitz & Stegun 26.6.2), the same incomplete beta as the t tail.
 * 1 for f <= 0; RangeError for d1 or d2 <= 0.
 *
 * @example fUpperTail(4.96, 1, 10) // ≈ 0.05 (the F table's 5 % point)
 */
export function fUpperTail(f: number, d1: number, d2: number): number {
  checkDf(d1);
  checkDf(d2);
  if (Number.isNaN(f)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  const a = d1 * f;
  return regularizedIncompleteBeta(d2 / 2, d1 / 2, d2 / (d2 + a), a / (d2 + a), -Math.log1p(a / d2), -Math.log1p(d2 / a));
}

/**
 * Quantile (inverse CDF) of Student's t distribution: the t with
 * P(T <= t) = p, for 0 <= p <= 1 and df > 0 (real df allowed; Infinity gives
 * the standard normal quantile). Returns -Infinity at p = 0 and Infinity at
 * p = 1; RangeError for p outside [0, 1] or df <= 0. Agrees with 50-digit
 * references to about 1e-13 relative for tails down to 1e-10. Close to p = 1
 * the rounding of p itself dominates (1 - 1e-10 is stored with a relative
 * error of ~1e-7 in its tail), so ask for the lower tail and negate.
 *
 * @example studentTQuantile(0.975, 9)  // 2.2621571627…
 * @example studentTQuantile(0.05, 4)   // -2.1318467863…
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  checkDf(df);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const tail = p < 0.5 ? p : 1 - p;
  let t: number;
  if (df === 1) {
    // Cauchy: closed form, exact to rounding.
    t = Math.tan(Math.PI * (0.5 - tail));
  } else if (df >= CORNISH_FISHER_DF) {
    t = cornishFisher(normalUpperQuantile(tail), df);
  } else {
    // Density constant Γ((df+1)/2) / (Γ(df/2) √(df π)) = 1 / (B(df/2, 1/2) √df).
    const lnConst = -lnBeta(df / 2, 0.5) - 0.5 * Math.log(df);
    const density = (x: number): number => Math.exp(lnConst - ((df + 1) / 2) * Math.log1p((x * x) / df));
    t = invertUpperTail(tail, (x) => studentTUpperTail(x, df), density);
  }
  return p < 0.5 ? -t : t;
}

/**
 * The two-sided 95 % critical value t_{0.975, df}: a 95 % confidence interval
 * for a mean from n observations is mean ± t_{0.975, n-1} · s / √n. Tends to
 * 1.959964 (the normal value) as df → ∞.
 *
 * @example studentTQuantile975(4)  // 2.7764451052…
 * @example studentTQuantile975(29) // 2.0452296421…
 */
export function studentTQuantile975(df: number): number {
  return studentTQuantile(0.975, df);
}

/** Result of {@link meanCi95}. */
export interface MeanCi95 {
  /** Sample mean of the replications. */
  mean: number;
  /** 95 % confidence interval [mean - halfWidth, mean + halfWidth]. */
  ci95: [number, number];
  /** t_{0.975, n-1} · s / √n; 0 when n = 1. */
  halfWidth: number;
  /** Number of replications. */
  n: number;
}

/**
 * Student t 95 % confidence interval for the mean of independent replication
 * outputs (one summary number per replication, in its own units):
 * mean ± t_{0.975, n-1} · s / √n with s the sample standard deviation
 * (simple-statistics). A single replication gives no information about
 * variability, so n = 1 returns the degenerate interval [mean, mean] with
 * halfWidth 0; callers should not read that as certainty. RangeError for an
 * empty input or non-finite values.
 *
 * @example meanCi95([1, 2, 3, 4, 5]) // { mean: 3, halfWidth: 1.9632…, ci95: [1.0368…, 4.9632…], n: 5 }
 */
export function meanCi95(values: readonly number[]): MeanCi95 {
  const n = values.length;
  if (n === 0) throw new RangeError('meanCi95 needs at least one value');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`meanCi95 values must be finite, got ${v}`);
  }
  const m = ssMean(values);
  if (n === 1) return { mean: m, ci95: [m, m], halfWidth: 0, n };
  const s = sampleStandardDeviation(values);
  const halfWidth = (studentTQuantile975(n - 1) * s) / Math.sqrt(n);
  return { mean: m, ci95: [m - halfWidth, m + halfWidth], halfWidth, n };
}

/**
 * The 95 % interval for the mean of a quantity that cannot be negative
 * (bytes, counts, latencies, cores), which never reaches below zero: the
 * t interval of {@link meanCi95} taken on the log scale of the mean (delta
 * method: the standard error of ln m̄ is SE / m̄), so
 *   [m̄ / f, m̄ · f],  f = exp(t_{0.975, n-1} · SE / m̄).
 * It holds the mean, is strictly positive, widens above more than below when
 * the replications disagree, and agrees with the t interval to first order
 * when they nearly agree (SE ≪ m̄). Replications that are all 0 give [0, 0];
 * any negative value (a quantity that can be negative) gives the plain t
 * interval. `halfWidth` stays t · SE. docs/OUTPUT.md says the same.
 *
 * @example meanCi95NonNegative([0, 0, 1]).ci95 // [0.00451…, 24.6…] where meanCi95 gives [-1.10, 1.77]
 */
export function meanCi95NonNegative(values: readonly number[]): MeanCi95 {
  const t = meanCi95(values);
  if (t.n === 1 || values.some((v) => v < 0)) return t;
  if (t.mean === 0) return { ...t, ci95: [0, 0] };
  return { ...t, ci95: logScaleInterval(t.mean, t.halfWidth) };
}

/**
 * [m / f, m · f] with f = exp(halfWidth / m): a t half-width (t · SE) of a
 * positive mean, taken on the log scale. For m <= 0 the symmetric m ± halfWidth.
 * @example logScaleInterval(10, 1) // [9.048…, 11.05…]
 */
export function logScaleInterval(mean: number, halfWidth: number): [number, number] {
  if (!(mean > 0)) return [mean - halfWidth, mean + halfWidth];
  const f = Math.exp(halfWidth / mean);
  return [mean / f, mean * f];
}

/**
 * The t half-width (t_{0.975, n-1} · SE) behind a 95 % interval of either
 * form mxsim writes: the log-scale one of {@link meanCi95NonNegative}
 * (lo · hi = mean², to the 6 significant digits summaries keep), whose
 * half-width is mean · ln(hi / lo) / 2, or the symmetric mean ± halfWidth of
 * older summaries and of quantities that can be negative. When the
 * replications nearly agree the two readings coincide.
 * @example ci95HalfWidth(10, [9.04837, 11.0517]) // 1.0000…
 * @example ci95HalfWidth(10, [8, 12]) // 2
 */
export function ci95HalfWidth(mean: number, ci95: readonly [number, number]): number {
  const [lo, hi] = ci95;
  if (mean > 0 && lo > 0 && hi > lo && Math.abs((lo * hi) / (mean * mean) - 1) < 1e-4) return (mean * Math.log(hi / lo)) / 2;
  return (hi - lo) / 2;
}

/** Result of {@link mser5Truncation}. */
export interface Mser5Result {
  /** Number of 5-point batches to discard from the start. */
  truncateBatches: number;
  /** Number of raw points to discard from the start: 5 · truncateBatches. */
  truncatePoints: number;
}

/**
 * MSER-5 warm-up detection (White 1997, "An effective truncation heuristic for
 * bias reduction in simulation output", Simulation 69(6); White, Cobb & Spratt
 * 2000, "A comparison of five steady-state truncation heuristics for
 * simulation", Proc. Winter Simulation Conference).
 *
 * The series is cut into k = floor(n / 5) batch means Z_1..Z_k (a trailing
 * partial batch is ignored). For each d in [0, floor(k / 2)] the statistic
 *   MSER(d) = Σ_{j>d} (Z_j - Z̄_d)² / (k - d)²
 * is computed, where Z̄_d is the mean of the batches after d; the d with the
 * smallest value (the first, on ties) is returned, with 5·d raw points. A d at
 * or near floor(k / 2) usually means the run is too short to have reached
 * steady state. Runs in O(n) time. RangeError for non-finite values.
 *
 * @example mser5Truncation(queueLengthPerMinute) // { truncateBatches: 12, truncatePoints: 60 }
 */
export function mser5Truncation(series: readonly number[]): Mser5Result {
  for (const v of series) {
    if (!Number.isFinite(v)) throw new RangeError(`mser5Truncation values must be finite, got ${v}`);
  }
  const batchSize = 5;
  const k = Math.floor(series.length / batchSize);
  if (k === 0) return { truncateBatches: 0, truncatePoints: 0 };
  const batches = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < batchSize; i++) s += series[j * batchSize + i]!;
    batches[j] = s / batchSize;
  }
  // Sums of squared deviations of each suffix Z_{d+1..k}, by Welford from the end.
  const suffixSs = new Float64Array(k);
  let mean = 0;
  let m2 = 0;
  for (let j = k - 1, count = 1; j >= 0; j--, count++) {
    const delta = batches[j]! - mean;
    mean += delta / count;
    m2 += delta * (batches[j]! - mean);
    suffixSs[j] = m2 > 0 ? m2 : 0;
  }
  const dMax = Math.floor(k / 2);
  let best = 0;
  let bestValue = Infinity;
  for (let d = 0; d <= dMax; d++) {
    const remaining = k - d;
    const value = suffixSs[d]! / (remaining * remaining);
    if (value < bestValue) {
      bestValue = value;
      best = d;
    }
  }
  return { truncateBatches: best, truncatePoints: best * batchSize };
}
