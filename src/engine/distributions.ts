/**
 * Probability distributions for inter-arrival times, service times, fan-out
 * counts and the like: the continuous families here, and the discrete ones
 * (zipf, poisson, empirical) from discrete-distributions.ts, re-exported so
 * that every factory is reached from this module.
 *
 * Every distribution is an immutable object built by a factory that validates
 * its parameters (throwing `RangeError` naming the bad value), precomputes all
 * constants, and exposes the exact theoretical `mean`, `variance` and
 * `secondMoment`. `sample(rng)` draws one value from the random source passed
 * in and allocates nothing. The normal-based families (normal, truncated
 * normal, lognormal, gamma, Erlang) use both halves of each Box–Muller pair:
 * a distribution keeps the second half for the stream that drew it and hands
 * it out on its next call with that stream (normal-stream.ts). Every other
 * family keeps no state between calls. Either way the draws of a distribution
 * depend only on the stream handed to it and its earlier calls on it.
 *
 * Parameters are units-agnostic: a distribution of times is in whatever unit
 * the caller uses (seconds, milliseconds, ...), and rates are per that unit.
 *
 * No I/O, clock, console or Math.random here: randomness always arrives as a
 * `RandomSource`. Distributions given as text (a command-line spec, an
 * empirical CSV) are parsed by distribution-parse.ts.
 */
import { freeze, requireFinite, requirePositive, requirePositiveInteger, short, type Distribution } from './distribution-base.js';
import { pairedStandardNormal } from './normal-stream.js';
import { truncatedStandardNormalMoments } from './normal-functions.js';
import type { RandomSource } from './random.js';

export { empirical, poisson, zipf } from './discrete-distributions.js';
export type { DiscreteDistribution, Distribution } from './distribution-base.js';

// ---------------------------------------------------------------------------
// Primitive samplers (module level, allocation-free)
// ---------------------------------------------------------------------------

// The standard normal is pairedStandardNormal (normal-stream.ts): Box-Muller,
// both halves of each pair, one per distribution object.

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
  const standardNormal = pairedStandardNormal();
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

/** `label` is built only when describe() is called: distributions are made in hot paths too. */
function exponentialImpl(mean: number, label: () => string): Distribution {
  return freeze({
    kind: 'exponential',
    mean,
    variance: mean * mean,
    secondMoment: 2 * mean * mean,
    // -log(1 - u) with u in [0, 1): finite, and log1p keeps small draws exact.
    sample: (rng: RandomSource): number => -mean * Math.log1p(-rng()),
    describe: label,
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
  return exponentialImpl(mean, () => `exponential(mean=${short(mean)})`);
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
  return exponentialImpl(1 / rate, () => `exponential(rate=${short(rate)})`);
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
  const standardNormal = pairedStandardNormal();
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
    const standardNormal = pairedStandardNormal();
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
  const standardNormal = pairedStandardNormal();
  return freeze({
    kind,
    mean,
    variance,
    secondMoment: mean * mean * (1 + cv * cv),
    sample: (rng: RandomSource): number => Math.exp(mu + sigma * standardNormal(rng)),
    describe: () => `lognormal(mean=${short(mean)}, cv=${short(cv)})`,
  });
}

function gammaImpl(kind: string, shape: number, scale: number, label: () => string): Distribution {
  const mean = shape * scale;
  const variance = shape * scale * scale;
  return freeze({
    kind,
    mean,
    variance,
    secondMoment: shape * (shape + 1) * scale * scale,
    sample: gammaSampler(shape, scale),
    describe: label,
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
  return gammaImpl(kind, 1 / cv2, mean * cv2, () => `gamma(mean=${short(mean)}, cv=${short(cv)})`);
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
  return gammaImpl(kind, k, mean / k, () => `erlang(k=${k}, mean=${short(mean)})`);
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
