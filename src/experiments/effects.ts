/**
 * What moves the answer: how much of an output's variation over a sweep each
 * varied field explains.
 *
 * - Factorial designs: the analysis of variance of a balanced factorial with
 *   n replications per cell (Montgomery, Design and Analysis of Experiments,
 *   8th ed., §5.3 for two factors, §5.4 for more). With the grand mean ȳ,
 *   a main effect's sum of squares is
 *     SS_A = Σ_i n_i (ȳ_i − ȳ)²                      (n_i observations at level i),
 *   a two-way interaction's
 *     SS_AB = Σ_ij n_ij (ȳ_ij − ȳ_i − ȳ_j + ȳ)²,
 *   the error the variation within cells, SS_E = Σ (y − ȳ_cell)², and F =
 *   (SS/df) / (SS_E/df_E) with its p-value from the F distribution
 *   (src/analysis/confidence.ts fUpperTail). Interactions of three or more
 *   fields are pooled into one row. Replication r of every point shares its
 *   seed (common random numbers), so the replications are blocks
 *   (Montgomery §5.6): their sum of squares, SS_R = Σ_r n_r (ȳ_r − ȳ)² with
 *   r − 1 degrees of freedom, is taken out of the error. Each effect's share
 *   of variance is SS / SS_total.
 * - One at a time: the change of each output along each field's values, the
 *   others at base.
 * - Latin hypercube: first-order Sobol indices S_i = Var(E[Y | X_i]) / Var(Y)
 *   (Saltelli et al., Global Sensitivity Analysis: The Primer, 2008, §1.2.5),
 *   estimated from the sample itself as the correlation ratio η² of the
 *   output on the field (McKay, NUREG/CR-6311, 1995): the points sorted by
 *   the field's value are cut into B = round(√N) bins of equal count, and
 *   S_i ≈ Σ_b n_b (ȳ_b − ȳ)² / Σ (y − ȳ)². With few points the estimate is
 *   biased upward by about (B − 1)/N, so indices below that are noise.
 */
import { fUpperTail } from '../analysis/confidence.js';

/** One observation of a factorial sweep: the level index of each factor, the replication, the output. */
export interface Observation {
  cell: readonly number[];
  replication: number;
  y: number;
}

export type EffectKind = 'main' | 'interaction' | 'higher-order' | 'replications' | 'error';

export interface AnovaRow {
  /** `population.users`, `population.users × features.presence`, `3+-way interactions`, `replications (CRN blocks)`, `error`. */
  effect: string;
  kind: EffectKind;
  df: number;
  sumOfSquares: number;
  /** SS / SS_total (0 when the output does not vary at all). */
  share: number;
  /** Mean square over the error's; null for the error, and when there is no error to test against (one replication, or replications that agree exactly). */
  f: number | null;
  /** P(F > f); 0 when the replications agree exactly and the effect is not 0; null when untestable. */
  p: number | null;
}

export interface Anova {
  rows: AnovaRow[];
  totalSumOfSquares: number;
  totalDf: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Means of `y` by a key: the groups' means and sizes. */
function groups(obs: readonly Observation[], key: (o: Observation) => string): Map<string, { sum: number; n: number }> {
  const m = new Map<string, { sum: number; n: number }>();
  for (const o of obs) {
    const k = key(o);
    const g = m.get(k) ?? { sum: 0, n: 0 };
    g.sum += o.y;
    g.n++;
    m.set(k, g);
  }
  return m;
}

/**
 * The analysis of variance of a balanced full factorial (every combination of
 * levels observed the same number of times). `blocked`: the replications are
 * blocks (common random numbers) and their sum of squares leaves the error.
 * Rows: main effects, then two-way interactions, then pooled higher-order
 * interactions, then replications and error.
 */
export function anova(obs: readonly Observation[], factors: readonly string[], levels: readonly number[], o: { blocked: boolean }): Anova {
  const k = factors.length;
  const N = obs.length;
  const cells = levels.reduce((a, b) => a * b, 1);
  const cellGroups = groups(obs, (x) => x.cell.join(','));
  const n = N / cells;
  if (cellGroups.size !== cells || [...cellGroups.values()].some((g) => g.n !== n))
    throw new RangeError('anova needs a balanced full factorial: every cell observed equally often');
  const g = mean(obs.map((x) => x.y));
  const totalSS = obs.reduce((s, x) => s + (x.y - g) ** 2, 0);
  const share = (ss: number) => (totalSS > 0 ? ss / totalSS : 0);
  const marginal = (i: number) => {
    const m = groups(obs, (x) => String(x.cell[i]));
    return new Map([...m].map(([key, v]) => [key, v.sum / v.n]));
  };
  const margins = factors.map((_, i) => marginal(i));
  const rows: AnovaRow[] = [];
  let treatmentSS = 0;
  let treatmentDf = 0;
  for (let i = 0; i < k; i++) {
    let ss = 0;
    for (const [, v] of groups(obs, (x) => String(x.cell[i]))) ss += v.n * (v.sum / v.n - g) ** 2;
    const df = levels[i]! - 1;
    treatmentSS += ss;
    treatmentDf += df;
    rows.push({ effect: factors[i]!, kind: 'main', df, sumOfSquares: ss, share: share(ss), f: null, p: null });
  }
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      let ss = 0;
      for (const [key, v] of groups(obs, (x) => `${x.cell[i]},${x.cell[j]}`)) {
        const [a, b] = key.split(',');
        ss += v.n * (v.sum / v.n - margins[i]!.get(a!)! - margins[j]!.get(b!)! + g) ** 2;
      }
      const df = (levels[i]! - 1) * (levels[j]! - 1);
      treatmentSS += ss;
      treatmentDf += df;
      rows.push({ effect: `${factors[i]} × ${factors[j]}`, kind: 'interaction', df, sumOfSquares: ss, share: share(ss), f: null, p: null });
    }
  }
  let withinSS = 0;
  for (const x of obs) {
    const c = cellGroups.get(x.cell.join(','))!;
    withinSS += (x.y - c.sum / c.n) ** 2;
  }
  const cellsSS = totalSS - withinSS;
  const higherDf = cells - 1 - treatmentDf;
  if (higherDf > 0) {
    const ss = Math.max(0, cellsSS - treatmentSS);
    rows.push({ effect: 'interactions of 3 or more fields', kind: 'higher-order', df: higherDf, sumOfSquares: ss, share: share(ss), f: null, p: null });
  }
  const replications = Math.round(n);
  let errorSS = withinSS;
  let errorDf = N - cells;
  if (o.blocked && replications > 1) {
    let ss = 0;
    for (const [, v] of groups(obs, (x) => String(x.replication))) ss += v.n * (v.sum / v.n - g) ** 2;
    const df = replications - 1;
    rows.push({ effect: 'replications (common random numbers)', kind: 'replications', df, sumOfSquares: ss, share: share(ss), f: null, p: null });
    errorSS = Math.max(0, withinSS - ss);
    errorDf -= df;
  }
  // Sums of squares that differ from 0 by rounding alone count as 0.
  const exact = errorSS <= 1e-12 * totalSS;
  if (exact) errorSS = 0;
  if (errorDf > 0) rows.push({ effect: 'error', kind: 'error', df: errorDf, sumOfSquares: errorSS, share: share(errorSS), f: null, p: null });
  const msError = errorDf > 0 ? errorSS / errorDf : NaN;
  for (const r of rows) {
    if (r.kind === 'error' || errorDf <= 0 || r.df <= 0) continue;
    const ms = r.sumOfSquares / r.df;
    if (exact) {
      r.p = r.sumOfSquares > 1e-12 * totalSS ? 0 : null;
      continue;
    }
    r.f = ms / msError;
    r.p = fUpperTail(r.f, r.df, errorDf);
  }
  return { rows, totalSumOfSquares: totalSS, totalDf: N - 1 };
}

/**
 * First-order Sobol index of each input on `y`, estimated as the binned
 * correlation ratio (see the header): `x[j][i]` is input j at point i.
 * @example firstOrderIndices([[1, 2, 3, 4]], [1, 2, 3, 4]) // [{ index: 0.8, bins: 2 }]
 */
export function firstOrderIndices(x: readonly (readonly number[])[], y: readonly number[]): { index: number; bins: number }[] {
  const N = y.length;
  const bins = Math.max(1, Math.min(N, Math.round(Math.sqrt(N))));
  const m = N > 0 ? mean(y) : 0;
  const total = y.reduce((s, v) => s + (v - m) ** 2, 0);
  return x.map((xs) => {
    if (total <= 0 || N < 2) return { index: 0, bins };
    const order = xs.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
    const sums = new Array<number>(bins).fill(0);
    const counts = new Array<number>(bins).fill(0);
    order.forEach((o, rank) => {
      const b = Math.floor((rank * bins) / N);
      sums[b]! += y[o.i]!;
      counts[b]!++;
    });
    let between = 0;
    for (let b = 0; b < bins; b++) if (counts[b]! > 0) between += counts[b]! * (sums[b]! / counts[b]! - m) ** 2;
    return { index: Math.min(1, Math.max(0, between / total)), bins };
  });
}
