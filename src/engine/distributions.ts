/**
 * Probability distributions for inter-arrival times, service times, fan-out
 * counts and the like.
 *
 * Every distribution is an immutable object built by a factory that validates
 * its parameters (throwing `RangeError` naming the bad value), precomputes all
 * constants, and exposes the exact theoretical `mean`, `variance` and
 * `secondMoment`. `sample(rng)` draws one value from the random source passed
 * in; it allocates nothing and keeps no state between calls, so the draws of a
 * distribution depend only on the stream handed to it.
 *
 * Parameters are units-agnostic: a distribution of times is in whatever unit
 * the caller uses (seconds, milliseconds, ...), and rates are per that unit.
 *
 * No I/O, clock, console or Math.random here: randomness always arrives as a
 * `RandomSource`. `parseEmpiricalCsv` parses CSV *text*; reading the file is
 * the caller's job.
 */
import { parse } from 'csv-parse/sync';
import { MxsimError, present } from '../errors.js';
import { logGamma, roundSignificant, standardNormal } from '../numeric/index.js';
import type { RandomSource } from './random.js';

// ---------------------------------------------------------------------------
// Interfaces
// ---------------------------------------------------------------------------

/** A probability distribution over the reals (or a subset such as the integers). */
export interface Distribution {
  /** Family name: 'exponential', 'lognormal', ... */
  readonly kind: string;
  /** Exact theoretical mean (Infinity where it does not exist). */
  readonly mean: number;
  /** Exact theoretical variance (Infinity where it does not exist). */
  readonly variance: number;
  /** E[X^2] = variance + mean^2, used by Pollaczek-Khinchine (Infinity where it does not exist). */
  readonly secondMoment: number;
  /** One draw, using `rng` only. Allocation-free. */
  sample(rng: RandomSource): number;
  /** Human-readable form, e.g. "lognormal(mean=2, cv=0.5)". */
  describe(): string;
}

/** A distribution over the integers that can also report its probability mass function. */
export interface DiscreteDistribution extends Distribution {
  /** P(X = k); 0 for values outside the support (including non-integers). */
  pmf(k: number): number;
}

// ---------------------------------------------------------------------------
// Small helpers (validation, formatting)
// ---------------------------------------------------------------------------

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Compact number for describe(): trims binary noise such as 0.30000000000000004. */
function short(x: number): string {
  return String(roundSignificant(x, 10));
}

function requireFinite(kind: string, param: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new RangeError(`${kind}: ${param} must be a finite number, got ${String(x)}`);
  }
}

function requirePositive(kind: string, param: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) {
    throw new RangeError(`${kind}: ${param} must be > 0, got ${String(x)}`);
  }
}

function requireNonNegative(kind: string, param: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x >= 0)) {
    throw new RangeError(`${kind}: ${param} must be >= 0, got ${String(x)}`);
  }
}

function requirePositiveInteger(kind: string, param: string, x: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'an integer >= 1' : `an integer in [1, ${max}]`;
    throw new RangeError(`${kind}: ${param} must be ${range}, got ${String(x)}`);
  }
}

function freeze<T extends Distribution>(d: T): T {
  return Object.freeze(d);
}

// ---------------------------------------------------------------------------
// Primitive samplers (module level, allocation-free)
// ---------------------------------------------------------------------------

// The standard normal (Box-Muller, two draws per sample) is standardNormal in src/numeric/.

/**
 * A gamma(shape, scale) sampler: Marsaglia & Tsang, "A simple method for
 * generating gamma variables", ACM TOMS 26(3), 2000. For shape < 1 it draws
 * gamma(shape + 1) and multiplies by U^(1/shape) (section 6 of the paper).
 */
function gammaSampler(shape: number, scale: number): (rng: RandomSource) => number {
  const boost = shape < 1;
  const d = (boost ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const invShape = 1 / shape;
  return (rng: RandomSource): number => {
    let g: number;
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = standardNormal(rng);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - rng(); // (0, 1]
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) {
        g = d * v;
        break;
      }
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        g = d * v;
        break;
      }
    }
    if (boost) g *= Math.pow(1 - rng(), invShape);
    return g * scale;
  };
}

// ---------------------------------------------------------------------------
// Special functions (used in factories only, never per sample, except logGamma in PTRS)
// ---------------------------------------------------------------------------

/*
 * erf / erfc to near machine precision, not a low-order fit:
 *  - |z| < 1: the everywhere-positive series of Abramowitz & Stegun 7.1.6,
 *      erf z = (2/sqrt(pi)) e^{-z^2} sum_{n>=0} 2^n z^{2n+1} / (1*3*...*(2n+1)),
 *    which has no cancellation; erfc = 1 - erf >= 0.157 there, so erfc keeps
 *    ~15 significant digits.
 *  - z >= 1: the Laplace continued fraction, A&S 7.1.14,
 *      sqrt(pi) e^{z^2} erfc z = 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))),
 *    evaluated backwards from depth 400, which is converged to double
 *    precision for z >= 1 (depth 200 already gives 2e-16 at z = 1). It never
 *    forms e^{-z^2}/erfc, so tail ratios (the inverse Mills ratio below) stay
 *    accurate however far out.
 * Checked against mpmath (50 digits): relative error of Phi < 1e-13 for
 * x in [-37, 8], far inside the 1e-7 that the simulator needs; the tests pin
 * reference values to 1e-12.
 */
const ERF_SERIES_CUT = 1;
const CF_DEPTH = 400;

function erfSeries(z: number): number {
  const twoZ2 = 2 * z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 500; n++) {
    term *= twoZ2 / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-z * z) * sum;
}

/**
 * Tails of the continued fraction of A&S 7.1.14: S_n = (n/2) / (z + S_{n+1}).
 * Returns S_1 (so sqrt(pi) e^{z^2} erfc z = 1/(z + S_1)) and S_2.
 */
function erfcFractionTails(z: number): { s1: number; s2: number } {
  let s = 0;
  for (let n = CF_DEPTH; n >= 2; n--) s = n / 2 / (z + s);
  const s2 = s;
  const s1 = 0.5 / (z + s2);
  return { s1, s2 };
}

/** Complementary error function erfc(z) = 1 - erf(z), accurate in the right tail. */
function erfc(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 2 - erfc(-z);
  if (z < ERF_SERIES_CUT) return 1 - erfSeries(z);
  if (z > 27.3) return 0; // e^{-z^2} underflows below the smallest subnormal
  return Math.exp(-z * z) / SQRT_PI / (z + erfcFractionTails(z).s1);
}

/**
 * Standard normal cumulative distribution function Phi(x) = P(Z <= x), with
 * relative accuracy better than 1e-12 in both tails (series + continued
 * fraction for erfc, Abramowitz & Stegun 7.1.6 and 7.1.14; not a low-order fit).
 *
 * @param x a point on the real line, in standard deviations from the mean.
 * @returns P(Z <= x) for Z ~ N(0, 1).
 * @example standardNormalCdf(1.96) // 0.9750021048517795
 */
export function standardNormalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/**
 * Standard normal density phi(x) = exp(-x^2/2) / sqrt(2 pi).
 *
 * @param x a point on the real line, in standard deviations from the mean.
 * @example standardNormalPdf(0) // 0.3989422804014327
 */
export function standardNormalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

// ln Gamma is logGamma in src/numeric/ (Stirling series, allocation-free: PTRS calls it per sample).

// ---------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------

/**
 * A constant: every sample is `value`. Useful for fixed service times and as
 * the M/D/1 reference case.
 *
 * @param value the constant returned by every draw (any finite number).
 * @example deterministic(0.25).sample(rng) // 0.25
 */
export function deterministic(value: number): Distribution {
  const kind = 'deterministic';
  requireFinite(kind, 'value', value);
  return freeze({
    kind,
    mean: value,
    variance: 0,
    secondMoment: value * value,
    sample: (_rng: RandomSource): number => value,
    describe: () => `deterministic(${short(value)})`,
  });
}

/**
 * Continuous uniform on [lo, hi): mean (lo+hi)/2, variance (hi-lo)^2/12.
 *
 * @param lo lower end (inclusive).
 * @param hi upper end (exclusive), must exceed `lo`.
 * @example uniform(1, 3).mean // 2
 */
export function uniform(lo: number, hi: number): Distribution {
  const kind = 'uniform';
  requireFinite(kind, 'lo', lo);
  requireFinite(kind, 'hi', hi);
  if (!(lo < hi)) throw new RangeError(`${kind}: lo must be < hi, got lo=${lo}, hi=${hi}`);
  const width = hi - lo;
  const mean = lo + width / 2;
  const variance = (width * width) / 12;
  return freeze({
    kind,
    mean,
    variance,
    secondMoment: variance + mean * mean,
    sample: (rng: RandomSource): number => lo + width * rng(),
    describe: () => `uniform(lo=${short(lo)}, hi=${short(hi)})`,
  });
}

function exponentialImpl(mean: number, label: string): Distribution {
  return freeze({
    kind: 'exponential',
    mean,
    variance: mean * mean,
    secondMoment: 2 * mean * mean,
    // -log(1 - u) with u in [0, 1): finite, and log1p keeps small draws exact.
    sample: (rng: RandomSource): number => -mean * Math.log1p(-rng()),
    describe: () => label,
  });
}

/**
 * Exponential with the given mean (cv = 1, memoryless): variance mean^2.
 *
 * @param mean the mean, > 0 (e.g. mean service time).
 * @example exponential(2).variance // 4
 */
export function exponential(mean: number): Distribution {
  requirePositive('exponential', 'mean', mean);
  return exponentialImpl(mean, `exponential(mean=${short(mean)})`);
}

/**
 * Exponential with the given rate (events per unit time): mean 1/rate. This is
 * the queueing convention, as in "M/M/1 with arrival rate lambda".
 *
 * @param rate the rate, > 0.
 * @example exponentialRate(4).mean // 0.25
 */
export function exponentialRate(rate: number): Distribution {
  requirePositive('exponential', 'rate', rate);
  return exponentialImpl(1 / rate, `exponential(rate=${short(rate)})`);
}

/**
 * Normal (Gaussian) with the given mean and standard deviation, sampled by
 * Box-Muller. Unbounded below: for durations use `truncatedNormal`.
 *
 * @param mean the mean (any finite number).
 * @param sd the standard deviation, > 0.
 * @example normal(10, 2).variance // 4
 */
export function normal(mean: number, sd: number): Distribution {
  const kind = 'normal';
  requireFinite(kind, 'mean', mean);
  requirePositive(kind, 'sd', sd);
  const variance = sd * sd;
  return freeze({
    kind,
    mean,
    variance,
    secondMoment: variance + mean * mean,
    sample: (rng: RandomSource): number => mean + sd * standardNormal(rng),
    describe: () => `normal(mean=${short(mean)}, sd=${short(sd)})`,
  });
}

/**
 * Moments of the standard normal truncated to [alpha, inf):
 * lambda = phi(alpha)/Q(alpha) (the inverse Mills ratio), mean = lambda,
 * variance = 1 + alpha*lambda - lambda^2 (Johnson, Kotz & Balakrishnan,
 * Continuous Univariate Distributions vol. 1, 2nd ed., section 10.1).
 *
 * For alpha >= sqrt(2) (z >= 1) both are taken straight from the continued fraction
 * (z = alpha/sqrt 2): lambda = sqrt2 (z + S1) = alpha + sqrt2 S1, and
 * 1 + alpha*lambda - lambda^2 = 2 S1 (S2 - S1), which avoids the catastrophic
 * cancellation of the textbook form when alpha is large (variance ~ 1/alpha^2).
 */
function truncatedStandardNormalMoments(alpha: number): { mean: number; variance: number } {
  if (alpha >= ERF_SERIES_CUT * SQRT2) {
    const { s1, s2 } = erfcFractionTails(alpha / SQRT2);
    return { mean: alpha + SQRT2 * s1, variance: 2 * s1 * (s2 - s1) };
  }
  const q = 0.5 * erfc(alpha / SQRT2);
  const lambda = standardNormalPdf(alpha) / q;
  return { mean: lambda, variance: 1 + alpha * lambda - lambda * lambda };
}

/**
 * Normal(mean, sd) conditioned on X >= lower (left-truncated). `mean` and `sd`
 * are those of the parent normal; the distribution's own `.mean` and
 * `.variance` are the exact truncated-normal moments (with
 * alpha = (lower - mean)/sd and lambda = phi(alpha)/(1 - Phi(alpha)):
 * mean + sd*lambda and sd^2 (1 + alpha*lambda - lambda^2)).
 *
 * Sampling: if alpha <= 0 (at most half the mass cut off) by rejection from the
 * parent normal (acceptance >= 1/2); otherwise by C. P. Robert, "Simulation of
 * truncated normal variables", Statistics and Computing 5 (1995) 121-125:
 * exponential proposals with the optimal rate, acceptance >= 0.76 for every
 * alpha > 0 and no loss of accuracy however far into the tail.
 *
 * @param mean the parent normal's mean.
 * @param sd the parent normal's standard deviation, > 0.
 * @param lower the truncation point (default 0, i.e. a non-negative duration).
 * @example truncatedNormal(0, 1).mean // 0.7978845608028654 = sqrt(2/pi)
 */
export function truncatedNormal(mean: number, sd: number, lower = 0): Distribution {
  const kind = 'truncated-normal';
  requireFinite(kind, 'mean', mean);
  requirePositive(kind, 'sd', sd);
  requireFinite(kind, 'lower', lower);
  const alpha = (lower - mean) / sd;
  const m = truncatedStandardNormalMoments(alpha);
  const tMean = mean + sd * m.mean;
  const tVariance = sd * sd * m.variance;
  let sample: (rng: RandomSource) => number;
  if (alpha <= 0) {
    sample = (rng: RandomSource): number => {
      let z: number;
      do z = standardNormal(rng);
      while (z < alpha);
      return mean + sd * z;
    };
  } else {
    const rate = (alpha + Math.hypot(alpha, 2)) / 2; // Robert's optimal exponential rate
    const invRate = 1 / rate;
    sample = (rng: RandomSource): number => {
      for (;;) {
        const z = alpha - invRate * Math.log(1 - rng());
        const t = z - rate;
        if (rng() <= Math.exp(-0.5 * t * t)) return mean + sd * z;
      }
    };
  }
  return freeze({
    kind,
    mean: tMean,
    variance: tVariance,
    secondMoment: tVariance + tMean * tMean,
    sample,
    describe: () => `truncated-normal(mu=${short(mean)}, sigma=${short(sd)}, lower=${short(lower)})`,
  });
}

/**
 * Lognormal with the given mean and coefficient of variation (sd/mean):
 * ln X ~ N(mu, sigma^2) with sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2/2,
 * so that E[X] = mean and Var[X] = (cv*mean)^2 exactly.
 *
 * @param mean the mean, > 0.
 * @param cv the coefficient of variation, > 0.
 * @example lognormal(2, 0.5).variance // 1
 */
export function lognormal(mean: number, cv: number): Distribution {
  const kind = 'lognormal';
  requirePositive(kind, 'mean', mean);
  requirePositive(kind, 'cv', cv);
  const sigma2 = Math.log1p(cv * cv);
  const sigma = Math.sqrt(sigma2);
  const mu = Math.log(mean) - sigma2 / 2;
  const variance = mean * mean * cv * cv;
  return freeze({
    kind,
    mean,
    variance,
    secondMoment: mean * mean * (1 + cv * cv),
    sample: (rng: RandomSource): number => Math.exp(mu + sigma * standardNormal(rng)),
    describe: () => `lognormal(mean=${short(mean)}, cv=${short(cv)})`,
  });
}

function gammaImpl(kind: string, shape: number, scale: number, label: string): Distribution {
  const mean = shape * scale;
  const variance = shape * scale * scale;
  return freeze({
    kind,
    mean,
    variance,
    secondMoment: shape * (shape + 1) * scale * scale,
    sample: gammaSampler(shape, scale),
    describe: () => label,
  });
}

/**
 * Gamma with the given mean and coefficient of variation: shape k = 1/cv^2,
 * scale theta = mean*cv^2 (so mean = k*theta, variance = k*theta^2 = (cv*mean)^2).
 * cv < 1 is less variable than exponential, cv > 1 more. Sampled by
 * Marsaglia & Tsang (2000), with the U^(1/k) boost when k < 1.
 *
 * @param mean the mean, > 0.
 * @param cv the coefficient of variation, > 0.
 * @example gamma(2, 0.5) // shape 4, scale 0.5, variance 1
 */
export function gamma(mean: number, cv: number): Distribution {
  const kind = 'gamma';
  requirePositive(kind, 'mean', mean);
  requirePositive(kind, 'cv', cv);
  const cv2 = cv * cv;
  return gammaImpl(kind, 1 / cv2, mean * cv2, `gamma(mean=${short(mean)}, cv=${short(cv)})`);
}

/**
 * Erlang: the sum of k independent exponentials, i.e. gamma with integer shape
 * k and scale mean/k (cv = 1/sqrt(k)).
 *
 * @param k the number of phases, an integer >= 1.
 * @param mean the mean of the sum, > 0.
 * @example erlang(4, 2).variance // 1
 */
export function erlang(k: number, mean: number): Distribution {
  const kind = 'erlang';
  requirePositiveInteger(kind, 'k', k);
  requirePositive(kind, 'mean', mean);
  return gammaImpl(kind, k, mean / k, `erlang(k=${k}, mean=${short(mean)})`);
}

/**
 * E[X^m] of the Pareto(alpha, L) truncated to [L, H] (bounded Pareto):
 * alpha L^alpha / (1 - (L/H)^alpha) * integral_L^H x^(m-alpha-1) dx
 *   = alpha L^m / (1 - r^alpha) * (r^(alpha-m) - 1)/(m - alpha),   r = L/H,
 * and alpha L^m ln(H/L) / (1 - r^alpha) when m = alpha (the alpha = 1 mean and
 * alpha = 2 second-moment special cases). expm1 keeps alpha near m accurate.
 */
function boundedParetoMoment(m: number, alpha: number, lo: number, hi: number): number {
  const lnR = Math.log(lo / hi); // < 0
  const norm = -Math.expm1(alpha * lnR); // 1 - r^alpha
  const integral = m === alpha ? -lnR : Math.expm1((alpha - m) * lnR) / (m - alpha);
  return (alpha * Math.pow(lo, m) * integral) / norm;
}

/**
 * Pareto type I: P(X > x) = (xMin/x)^alpha for x >= xMin. With `xMax` it is the
 * bounded Pareto on [xMin, xMax] (the same density renormalised), which has
 * all moments. Unbounded: mean alpha*xMin/(alpha-1) (Infinity if alpha <= 1),
 * variance xMin^2 alpha / ((alpha-1)^2 (alpha-2)) (Infinity if alpha <= 2).
 * Sampled by inverse CDF.
 *
 * @param alpha the tail index, > 0 (smaller = heavier tail).
 * @param xMin the scale (minimum value), > 0.
 * @param xMax optional upper bound, > xMin (Infinity = unbounded).
 * @example pareto(3, 1).mean // 1.5
 * @example pareto(1.5, 1, 100).mean // 100/37
 */
export function pareto(alpha: number, xMin: number, xMax?: number): Distribution {
  const kind = 'pareto';
  requirePositive(kind, 'alpha', alpha);
  requirePositive(kind, 'xMin', xMin);
  if (xMax !== undefined && xMax !== Infinity) {
    requireFinite(kind, 'xMax', xMax);
    if (!(xMax > xMin)) throw new RangeError(`${kind}: xMax must be > xMin, got xMax=${xMax}, xMin=${xMin}`);
  }
  const negInvAlpha = -1 / alpha;
  if (xMax === undefined || xMax === Infinity) {
    const mean = alpha > 1 ? (alpha * xMin) / (alpha - 1) : Infinity;
    const variance = alpha > 2 ? (xMin * xMin * alpha) / ((alpha - 1) * (alpha - 1) * (alpha - 2)) : Infinity;
    const secondMoment = alpha > 2 ? (alpha * xMin * xMin) / (alpha - 2) : Infinity;
    return freeze({
      kind,
      mean,
      variance,
      secondMoment,
      // 1 - u is in (0, 1], so the power is finite.
      sample: (rng: RandomSource): number => xMin * Math.pow(1 - rng(), negInvAlpha),
      describe: () => `pareto(alpha=${short(alpha)}, xMin=${short(xMin)})`,
    });
  }
  const hi = xMax;
  const mean = boundedParetoMoment(1, alpha, xMin, hi);
  const secondMoment = boundedParetoMoment(2, alpha, xMin, hi);
  const variance = Math.max(0, secondMoment - mean * mean);
  const mass = -Math.expm1(alpha * Math.log(xMin / hi)); // 1 - (xMin/xMax)^alpha
  return freeze({
    kind,
    mean,
    variance,
    secondMoment,
    // F(x) = (1 - (xMin/x)^alpha) / mass  =>  x = xMin (1 - u*mass)^(-1/alpha); u in [0, 1).
    sample: (rng: RandomSource): number => Math.min(hi, xMin * Math.pow(1 - rng() * mass, negInvAlpha)),
    describe: () => `pareto(alpha=${short(alpha)}, xMin=${short(xMin)}, xMax=${short(hi)})`,
  });
}

/** Binary search: the smallest index i with cdf[i] > u (cdf ends in exactly 1, u < 1). */
function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u)
      hi = mid; // lo <= mid < hi < cdf.length
    else lo = mid + 1;
  }
  return lo;
}

/** Largest n accepted by zipf (its CDF table is n doubles). */
const ZIPF_MAX_N = 10_000_000;

/**
 * Zipf over the integers 1..n with P(k) = k^-s / H(n, s), H(n, s) = sum_j j^-s.
 * s = 0 is uniform on 1..n; s around 1 models popularity (rooms, users).
 * The CDF is precomputed (a Float64Array of n entries) and sampled by binary
 * search; mean and variance are summed exactly from the pmf.
 *
 * @param n the number of ranks, an integer in [1, 10,000,000].
 * @param s the exponent, >= 0.
 * @example zipf(3, 1).mean // 18/11
 */
export function zipf(n: number, s: number): DiscreteDistribution {
  const kind = 'zipf';
  requirePositiveInteger(kind, 'n', n, ZIPF_MAX_N);
  requireNonNegative(kind, 's', s);
  const cdf = new Float64Array(n);
  // Neumaier-compensated running sum of k^-s.
  let sum = 0;
  let comp = 0;
  for (let k = 1; k <= n; k++) {
    const w = Math.pow(k, -s);
    const t = sum + w;
    comp += Math.abs(sum) >= w ? sum - t + w : w - t + sum;
    sum = t;
    cdf[k - 1] = sum + comp;
  }
  const total = sum + comp; // cdf[n - 1]
  let mean = 0;
  for (let k = 1; k <= n; k++) mean += (k * Math.pow(k, -s)) / total;
  let variance = 0;
  for (let k = 1; k <= n; k++) variance += ((k - mean) * (k - mean) * Math.pow(k, -s)) / total;
  for (let i = 0; i < n; i++) cdf[i]! /= total;
  cdf[n - 1] = 1;
  return freeze({
    kind,
    mean,
    variance,
    secondMoment: variance + mean * mean,
    sample: (rng: RandomSource): number => searchCdf(cdf, rng()) + 1,
    pmf: (k: number): number => (Number.isInteger(k) && k >= 1 && k <= n ? Math.pow(k, -s) / total : 0),
    describe: () => `zipf(n=${n}, s=${short(s)})`,
  });
}

/** Below this lambda, Poisson sampling is table inversion; at or above, PTRS. */
const POISSON_PTRS_MIN_LAMBDA = 30;

/**
 * Poisson counts with mean lambda (variance lambda).
 *
 * Sampling: for lambda < 30, inversion by sequential search through a CDF
 * table precomputed in the factory (terms p_k = p_{k-1} lambda/k, extended to
 * lambda + 12 sqrt(lambda) + 12, beyond which the mass is below 1e-20). For
 * lambda >= 30, PTRS: W. Hörmann, "The transformed rejection method for
 * generating Poisson random variables", Insurance: Mathematics and Economics
 * 12 (1993) 39-45 (the same algorithm as NumPy's random_poisson_ptrs).
 *
 * @param lambda the mean count, >= 0 (0 gives the constant 0).
 * @example poisson(3).variance // 3
 */
export function poisson(lambda: number): DiscreteDistribution {
  const kind = 'poisson';
  requireNonNegative(kind, 'lambda', lambda);
  const logLambda = Math.log(lambda);
  const pmf = (k: number): number => {
    if (!Number.isInteger(k) || k < 0) return 0;
    if (lambda === 0) return k === 0 ? 1 : 0;
    return Math.exp(-lambda + k * logLambda - logGamma(k + 1));
  };
  const describe = (): string => `poisson(lambda=${short(lambda)})`;
  if (lambda < POISSON_PTRS_MIN_LAMBDA) {
    const kMax = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 12);
    const cdf = new Float64Array(kMax + 1);
    let p = Math.exp(-lambda);
    let acc = p;
    cdf[0] = acc;
    for (let k = 1; k <= kMax; k++) {
      p *= lambda / k;
      acc += p;
      cdf[k] = acc;
    }
    cdf[kMax] = 1; // the neglected tail is < 1e-20, below the 2^-53 resolution of u
    return freeze({
      kind,
      mean: lambda,
      variance: lambda,
      secondMoment: lambda + lambda * lambda,
      sample: (rng: RandomSource): number => {
        const u = rng();
        let k = 0;
        while (u >= cdf[k]!) k++; // stops at kMax at the latest: cdf[kMax] = 1 > u
        return k;
      },
      pmf,
      describe,
    });
  }
  // PTRS constants (Hörmann 1993, table 1 / algorithm PTRS).
  const sqrtLambda = Math.sqrt(lambda);
  const b = 0.931 + 2.53 * sqrtLambda;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  return freeze({
    kind,
    mean: lambda,
    variance: lambda,
    secondMoment: lambda + lambda * lambda,
    sample: (rng: RandomSource): number => {
      for (;;) {
        const u = rng() - 0.5;
        const v = rng();
        const us = 0.5 - Math.abs(u);
        const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= vr) return k;
        if (k < 0 || (us < 0.013 && v > us)) continue;
        // log(v) = -Infinity when v = 0 is fine: it accepts.
        if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -lambda + k * logLambda - logGamma(k + 1)) {
          return k;
        }
      }
    },
    pmf,
    describe,
  });
}

/** Array.isArray for callers outside TypeScript, without widening the elements to `any`. */
const isArray = <T>(x: readonly T[] | undefined): x is readonly T[] => Array.isArray(x);

/**
 * A discrete distribution over the given values: each equally likely, or in
 * proportion to `weights`. Repeated values simply add up. Mean and variance
 * are those of this discrete distribution (population, not sample, variance).
 * The inputs are copied, so later changes to the arrays have no effect.
 *
 * @param values the support points, finite numbers, at least one.
 * @param weights optional non-negative weights, same length, positive sum.
 * @example empirical([1, 2, 6]).mean // 3
 * @example empirical([1, 10], [9, 1]).mean // 1.9
 */
export function empirical(values: readonly number[], weights?: readonly number[]): Distribution {
  const kind = 'empirical';
  if (!isArray(values) || values.length === 0) {
    throw new RangeError(`${kind}: values must be a non-empty array, got ${Array.isArray(values) ? '[]' : String(values)}`);
  }
  const n = values.length;
  for (const [i, v] of values.entries()) requireFinite(kind, `values[${i}]`, v);
  const vals = Float64Array.from(values);
  const probs = new Float64Array(n);
  if (weights === undefined) {
    probs.fill(1 / n);
  } else {
    if (!isArray(weights) || weights.length !== n) {
      throw new RangeError(`${kind}: weights must have one entry per value (${n}), got ${Array.isArray(weights) ? weights.length : String(weights)}`);
    }
    let total = 0;
    for (const [i, w] of weights.entries()) {
      requireNonNegative(kind, `weights[${i}]`, w);
      total += w;
    }
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new RangeError(`${kind}: weights must have a positive finite sum, got ${total}`);
    }
    for (const [i, w] of weights.entries()) probs[i] = w / total;
  }
  // vals and probs both have n entries: the `!`s below index them with i < n.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += probs[i]! * vals[i]!;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += probs[i]! * (vals[i]! - mean) * (vals[i]! - mean);
  const describe = (): string => `empirical(${n} value${n === 1 ? '' : 's'}${weights === undefined ? '' : ', weighted'}, mean=${short(mean)})`;
  const base = { kind, mean, variance, secondMoment: variance + mean * mean, describe };
  if (weights === undefined) {
    const last = n - 1;
    return freeze({ ...base, sample: (rng: RandomSource): number => vals[Math.min(last, Math.floor(rng() * n))]! });
  }
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += probs[i]!;
    cdf[i] = acc;
  }
  cdf[n - 1] = 1;
  return freeze({ ...base, sample: (rng: RandomSource): number => vals[searchCdf(cdf, rng())]! });
}

/** Strict number parsing: rejects '', whitespace and trailing junk, unlike parseFloat/Number alone. */
function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const x = Number(t);
  return Number.isNaN(x) ? undefined : x;
}

/**
 * Builds an `empirical` distribution from CSV text (the caller reads the file).
 * The header must contain a `value` column and may contain a `weight` column
 * (names case-insensitive; other columns are ignored). Every data row must
 * have a finite numeric value and, if weighted, a finite weight >= 0. All bad
 * rows are reported in one Error, each with its line number and the offending
 * text.
 *
 * @param text the CSV content, e.g. "value,weight\n0.1,5\n0.4,1\n".
 * @example parseEmpiricalCsv('value\n1\n2\n6\n').mean // 3
 */
export function parseEmpiricalCsv(text: string): Distribution {
  type Row = { record: string[]; info: { lines: number } };
  let rows: Row[];
  try {
    rows = parse(text, {
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as Row[];
  } catch (err) {
    throw new Error(`empirical CSV: cannot parse: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const [head, ...data] = rows;
  if (head === undefined) throw new Error('empirical CSV: no header row (expected a "value" column)');
  const header = head.record.map((h) => h.trim().toLowerCase());
  const valueCol = header.indexOf('value');
  const weightCol = header.indexOf('weight');
  if (valueCol < 0) {
    throw new Error(`empirical CSV: header (line ${head.info.lines}) has no "value" column; found columns: ${head.record.map((h) => JSON.stringify(h)).join(', ')}`);
  }
  const values: number[] = [];
  const weights: number[] = [];
  const problems: string[] = [];
  for (const { record, info } of data) {
    const rawValue = record[valueCol];
    const value = rawValue === undefined ? undefined : parseNumber(rawValue);
    const rowProblems: string[] = [];
    if (rawValue === undefined) rowProblems.push('value missing');
    else if (value === undefined || !Number.isFinite(value)) rowProblems.push(`value ${JSON.stringify(rawValue)} is not a finite number`);
    let weight = 1;
    if (weightCol >= 0) {
      const rawWeight = record[weightCol];
      const w = rawWeight === undefined ? undefined : parseNumber(rawWeight);
      if (rawWeight === undefined) rowProblems.push('weight missing');
      else if (w === undefined || !Number.isFinite(w) || w < 0) {
        rowProblems.push(`weight ${JSON.stringify(rawWeight)} is not a finite number >= 0`);
      } else weight = w;
    }
    if (rowProblems.length > 0) problems.push(`line ${info.lines}: ${rowProblems.join(', ')}`);
    else {
      values.push(value as number);
      weights.push(weight);
    }
  }
  if (problems.length > 0) {
    throw new Error(`empirical CSV: ${problems.length} bad row${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`);
  }
  if (values.length === 0) throw new Error('empirical CSV: no data rows after the header');
  try {
    return weightCol >= 0 ? empirical(values, weights) : empirical(values);
  } catch (err) {
    throw new Error(`empirical CSV: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

// ---------------------------------------------------------------------------
// CLI spec parser
// ---------------------------------------------------------------------------

interface SpecKind {
  readonly form: string;
  readonly minParams: number;
  readonly maxParams: number;
  readonly separator: ',' | ';';
  build(p: readonly number[]): Distribution;
}

/** Parameter `i` of a spec, which parseDistribution has counted against `minParams` before `build`. */
const at = (p: readonly number[], i: number): number => present(p[i], `parameter ${i + 1} of a distribution spec`);

const SPEC_KINDS: ReadonlyMap<string, SpecKind> = new Map<string, SpecKind>([
  ['det', { form: 'det:VALUE', minParams: 1, maxParams: 1, separator: ',', build: (p) => deterministic(at(p, 0)) }],
  ['uniform', { form: 'uniform:LO,HI', minParams: 2, maxParams: 2, separator: ',', build: (p) => uniform(at(p, 0), at(p, 1)) }],
  ['exp', { form: 'exp:RATE', minParams: 1, maxParams: 1, separator: ',', build: (p) => exponentialRate(at(p, 0)) }],
  ['expmean', { form: 'expmean:MEAN', minParams: 1, maxParams: 1, separator: ',', build: (p) => exponential(at(p, 0)) }],
  ['normal', { form: 'normal:MEAN,SD', minParams: 2, maxParams: 2, separator: ',', build: (p) => normal(at(p, 0), at(p, 1)) }],
  ['tnormal', { form: 'tnormal:MEAN,SD', minParams: 2, maxParams: 2, separator: ',', build: (p) => truncatedNormal(at(p, 0), at(p, 1)) }],
  ['lognormal', { form: 'lognormal:MEAN,CV', minParams: 2, maxParams: 2, separator: ',', build: (p) => lognormal(at(p, 0), at(p, 1)) }],
  ['gamma', { form: 'gamma:MEAN,CV', minParams: 2, maxParams: 2, separator: ',', build: (p) => gamma(at(p, 0), at(p, 1)) }],
  ['erlang', { form: 'erlang:K,MEAN', minParams: 2, maxParams: 2, separator: ',', build: (p) => erlang(at(p, 0), at(p, 1)) }],
  ['pareto', { form: 'pareto:ALPHA,XMIN[,XMAX]', minParams: 2, maxParams: 3, separator: ',', build: (p) => pareto(at(p, 0), at(p, 1), p[2]) }],
  ['zipf', { form: 'zipf:N,S', minParams: 2, maxParams: 2, separator: ',', build: (p) => zipf(at(p, 0), at(p, 1)) }],
  ['poisson', { form: 'poisson:LAMBDA', minParams: 1, maxParams: 1, separator: ',', build: (p) => poisson(at(p, 0)) }],
  ['empirical', { form: 'empirical:V1;V2;V3', minParams: 1, maxParams: Infinity, separator: ';', build: (p) => empirical(p) }],
]);

/**
 * Every accepted `parseDistribution` form, for help text and error messages.
 *
 * @example DISTRIBUTION_FORMS.join(', ') // "det:VALUE, uniform:LO,HI, exp:RATE, ..."
 */
export const DISTRIBUTION_FORMS: readonly string[] = Object.freeze([...SPEC_KINDS.values()].map((k) => k.form));

/**
 * A distribution spec that cannot be used (code `distribution.spec`). The
 * message names the spec received, the reason, and lists every accepted form.
 */
export class DistributionSpecError extends MxsimError {
  /** The spec string exactly as received. */
  readonly spec: string;
  /** Why it was rejected (without the spec or the list of forms). */
  readonly reason: string;

  /**
   * @param spec the spec as received.
   * @param reason what is wrong with it.
   * @example new DistributionSpecError('foo:1', 'unknown kind "foo"')
   */
  constructor(spec: string, reason: string, options?: { cause?: unknown }) {
    super('distribution.spec', `bad distribution ${JSON.stringify(spec)}: ${reason}; accepted forms: ${DISTRIBUTION_FORMS.join(', ')}`, undefined, options);
    this.name = 'DistributionSpecError';
    this.spec = spec;
    this.reason = reason;
  }
}

/**
 * Parses a CLI distribution spec of the form `kind:params` (see
 * `DISTRIBUTION_FORMS`). `exp:RATE` takes a rate (mean 1/RATE, the queueing
 * convention); `expmean:MEAN` takes the mean. `tnormal` truncates at 0.
 * `empirical` values are separated by `;`. Any problem (unknown kind, wrong
 * parameter count, non-numeric or out-of-range parameter) throws a
 * `DistributionSpecError` naming the spec.
 *
 * @param spec e.g. "exp:3.2", "lognormal:2,0.5", "pareto:1.5,1,1000", "empirical:1;2;6".
 * @example parseDistribution('exp:4').mean // 0.25
 */
export function parseDistribution(spec: string): Distribution {
  if (typeof spec !== 'string') throw new DistributionSpecError(String(spec), 'spec must be a string');
  const text = spec.trim();
  const colon = text.indexOf(':');
  if (colon < 0) throw new DistributionSpecError(spec, 'expected KIND:PARAMS');
  const kindName = text.slice(0, colon).trim().toLowerCase();
  const kind = SPEC_KINDS.get(kindName);
  if (kind === undefined) throw new DistributionSpecError(spec, `unknown kind ${JSON.stringify(kindName)}`);
  const body = text.slice(colon + 1).trim();
  const parts = body === '' ? [] : body.split(kind.separator);
  if (parts.length < kind.minParams || parts.length > kind.maxParams) {
    const expected =
      kind.maxParams === Infinity ? `at least ${kind.minParams}` : kind.minParams === kind.maxParams ? `${kind.minParams}` : `${kind.minParams} to ${kind.maxParams}`;
    throw new DistributionSpecError(spec, `${kindName} takes ${expected} parameter${expected === '1' ? '' : 's'} (${kind.form}), got ${parts.length}`);
  }
  const params: number[] = [];
  const bad: string[] = [];
  parts.forEach((part, i) => {
    const x = parseNumber(part);
    if (x === undefined) bad.push(`parameter ${i + 1} (${JSON.stringify(part.trim())}) is not a number`);
    else params.push(x);
  });
  if (bad.length > 0) throw new DistributionSpecError(spec, bad.join(', '));
  try {
    return kind.build(params);
  } catch (err) {
    if (err instanceof RangeError) throw new DistributionSpecError(spec, err.message, { cause: err });
    throw err;
  }
}
