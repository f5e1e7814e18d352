/** A value measured in every replication, summarized as its mean and 95% confidence interval. */
import { roundSignificant } from '../numeric/round-significant.js';
import { meanCi95 } from './confidence.js';

export interface Stat {
  mean: number;
  ci95: [number, number];
}

/** Round to 6 significant digits so summaries stay readable and stable. */
export function round6(x: number): number {
  return roundSignificant(x, 6);
}

/**
 * Mean and Student-t 95% interval over replications; non-finite values are
 * left out, and none at all gives NaN.
 * @example stat([1, 2, 3, 4, 5]) // { mean: 3, ci95: [1.03676, 4.96324] }
 */
export function stat(values: readonly number[]): Stat {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { mean: NaN, ci95: [NaN, NaN] };
  const m = meanCi95(finite);
  return { mean: round6(m.mean), ci95: [round6(m.ci95[0]), round6(m.ci95[1])] };
}
