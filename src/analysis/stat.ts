/** A value measured in every replication, summarized as its mean and 95% confidence interval. */
import { roundSignificant } from '../numeric/round-significant.js';
import { meanCi95NonNegative } from './confidence.js';

export interface Stat {
  mean: number;
  ci95: [number, number];
}

/** Round to 6 significant digits so summaries stay readable and stable. */
export function round6(x: number): number {
  return roundSignificant(x, 6);
}

/**
 * Mean and 95% interval over replications: the Student t interval, taken on
 * the log scale of the mean when no value is negative, so that a quantity
 * that cannot be negative never gets a negative bound
 * (confidence.ts meanCi95NonNegative). Non-finite values are left out, and
 * none at all gives NaN.
 * @example stat([1, 2, 3, 4, 5]) // { mean: 3, ci95: [1.55924, 5.77205] }
 * @example stat([-1, 1, 3]) // { mean: 1, ci95: [-3.96828, 5.96828] }
 */
export function stat(values: readonly number[]): Stat {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { mean: NaN, ci95: [NaN, NaN] };
  const m = meanCi95NonNegative(finite);
  return { mean: round6(m.mean), ci95: [round6(m.ci95[0]), round6(m.ci95[1])] };
}
