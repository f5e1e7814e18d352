/**
 * Discrete distributions: Zipf over 1..n, Poisson counts, and an empirical
 * distribution over given values (each equally likely or weighted). As in
 * distributions.ts, which re-exports them, each factory validates its
 * parameters, precomputes its tables and exposes the exact `mean`, `variance`
 * and `secondMoment`; `sample(rng)` allocates nothing.
 */
import { logGamma } from '../numeric/index.js';
import { freeze, requireFinite, requireNonNegative, requirePositiveInteger, short, type DiscreteDistribution, type Distribution } from './distribution-base.js';
import type { RandomSource } from './random.js';

// ln Gamma is logGamma in src/numeric/ (Stirling series, allocation-free: PTRS calls it per sample).

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
