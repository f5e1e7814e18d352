/**
 * The statistics of `mxsim compare`: the difference of two means from
 * independent replications, with Welch's 95% confidence interval.
 *
 * Method. Each input gives, for a key figure, a mean m, the variance of that
 * mean v = s² / n and n replications, either
 *  - from the per-replication values themselves (data/replications.csv of a
 *    run folder, or the replications of a scenario simulated here): m is
 *    their mean, s their sample standard deviation; or
 *  - from the summary's Stat alone: its 95% interval is m ± t_{0.975, n-1}·SE,
 *    or that interval on the log scale of m for a quantity that cannot be
 *    negative (src/analysis/confidence.ts ci95HalfWidth reads both), so
 *    SE = t-half-width / t_{0.975, n-1} and v = SE² (n = summary.replications).
 * The difference B − A of two inputs has standard error √(vA + vB) and
 * Welch–Satterthwaite degrees of freedom
 *   df = (vA + vB)² / (vA² / (nA − 1) + vB² / (nB − 1)),
 * and its 95% interval is (mB − mA) ± t_{0.975, df}·√(vA + vB). Replications
 * of different inputs use different seeds streams and runs, so they are
 * independent. With a single replication on either side there is no
 * interval; when neither side varies (v = 0 on both) the difference is exact.
 */
import { ci95HalfWidth, studentTQuantile975 } from '../analysis/confidence.js';
import type { Stat } from '../analysis/stat.js';

/** One input's estimate of a mean: the mean, the variance of the mean, and the replications behind it. */
export interface MeanEstimate {
  mean: number;
  /** Variance of the mean (SE²); 0 when the figure does not vary. */
  varianceOfMean: number;
  /** Replications; below 2 the variance is unknown. */
  n: number;
  /** Where the variance came from. */
  basis: 'replications' | 'stat' | 'exact';
}

/** The difference of two means with its Welch 95% interval (null when it cannot be computed). */
export interface Difference {
  /** B − A. */
  difference: number;
  ci95: [number, number] | null;
  /** Welch–Satterthwaite degrees of freedom (null when exact or unknown). */
  df: number | null;
  /** Relative to A's mean (null when A's mean is 0). */
  relative: number | null;
}

/** An estimate from per-replication values. */
export function estimateFromValues(values: readonly number[]): MeanEstimate {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, varianceOfMean: NaN, n: 0, basis: 'replications' };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, varianceOfMean: NaN, n, basis: 'replications' };
  const ss = v.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, varianceOfMean: ss / (n - 1) / n, n, basis: 'replications' };
}

/**
 * An estimate from a Stat and the replications behind it: SE = t-half-width / t_{0.975, n-1}
 * (the half-width read back from a symmetric or a log-scale interval).
 * @example estimateFromStat({ mean: 10, ci95: [8, 12] }, 5) // SE = 2 / 2.776 = 0.720, varianceOfMean 0.519
 */
export function estimateFromStat(s: Stat, n: number): MeanEstimate {
  const [lo, hi] = s.ci95;
  if (n < 2 || !Number.isFinite(lo) || !Number.isFinite(hi)) return { mean: s.mean, varianceOfMean: NaN, n, basis: 'stat' };
  const se = ci95HalfWidth(s.mean, [lo, hi]) / studentTQuantile975(n - 1);
  return { mean: s.mean, varianceOfMean: se * se, n, basis: 'stat' };
}

/** A figure that does not vary between replications (a count, a recommendation). */
export function exactEstimate(value: number): MeanEstimate {
  return { mean: value, varianceOfMean: 0, n: Infinity, basis: 'exact' };
}

/** Welch's 95% interval for B − A from two independent estimates. */
export function welchDifference(a: MeanEstimate, b: MeanEstimate): Difference {
  const difference = b.mean - a.mean;
  const relative = a.mean !== 0 && Number.isFinite(a.mean) ? difference / Math.abs(a.mean) : null;
  if (!Number.isFinite(difference)) return { difference, ci95: null, df: null, relative };
  const va = a.varianceOfMean;
  const vb = b.varianceOfMean;
  if (!Number.isFinite(va) || !Number.isFinite(vb)) return { difference, ci95: null, df: null, relative };
  const v = va + vb;
  if (v === 0) return { difference, ci95: [difference, difference], df: null, relative };
  // A side with v = 0 contributes nothing to the denominator (and may have n = Infinity).
  const term = (x: number, n: number) => (x === 0 ? 0 : (x * x) / (n - 1));
  const df = (v * v) / (term(va, a.n) + term(vb, b.n));
  const half = studentTQuantile975(df) * Math.sqrt(v);
  return { difference, ci95: [difference - half, difference + half], df, relative };
}
