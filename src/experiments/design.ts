/**
 * The points of a sweep: which value each varied field takes at each point.
 *
 * - `factorial`: every combination of the factors' values (the first factor
 *   varies slowest), so main effects and interactions can be separated
 *   (Montgomery, Design and Analysis of Experiments, 8th ed., ch. 5).
 * - `oat` (one at a time): the base point, every field at the base scenario's
 *   own value, then each field alone through its values with the others at
 *   base (Saltelli et al., Global Sensitivity Analysis: The Primer, 2008,
 *   §1.2.6); it shows each field's own effect and nothing of interactions.
 * - `lhs` (Latin hypercube, McKay, Beckman & Conover, Technometrics 21(2),
 *   1979): N points for any number of ranges; each range is cut into N
 *   strata of equal width (on its own scale) and each stratum holds exactly
 *   one point, its place in the stratum and the pairing of strata across
 *   fields drawn from the seeded stream `${seed}/sweep-lhs/<field>`, so the
 *   same seed gives the same points.
 */
import { createStream } from '../engine/random.js';
import { at, rangeLevel, type Factor, type Level } from './vary.js';

export const DESIGNS = ['factorial', 'oat', 'lhs'] as const;
export type Design = (typeof DESIGNS)[number];

/** One point of the design. */
export interface DesignPoint {
  /** 0-based, in design order. */
  index: number;
  /** The value of each factor at this point, in factor order. */
  levels: Level[];
  /** Per factor: the index of its value among the factor's levels, or -1 (an OAT base value not among them, an LHS draw). */
  levelIndex: number[];
  /** The overrides this point applies (`PATH=VALUE`), one per factor away from the scenario's own value. */
  sets: string[];
}

/** `population.users=500, features.presence=false`: a point as people read it. */
export function pointLabel(factors: readonly Factor[], p: DesignPoint): string {
  return factors.map((f, j) => `${f.path}=${p.levels[j]?.text ?? ''}`).join(', ');
}

const setOf = (f: Factor, l: Level) => `${f.path}=${l.text}`;

/** Every combination of the factors' values; the first factor varies slowest. */
export function factorial(factors: readonly Factor[]): DesignPoint[] {
  let combos: number[][] = [[]];
  for (const f of factors) combos = combos.flatMap((c) => f.levels.map((_, i) => [...c, i]));
  return combos.map((idx, index) => {
    const levels = idx.map((i, j) => factors[j]!.levels[i]!);
    return { index, levels, levelIndex: idx, sets: levels.map((l, j) => setOf(factors[j]!, l)) };
  });
}

/** The number of points `factorial` gives, without building them. */
export const factorialCount = (factors: readonly Factor[]): number => factors.reduce((n, f) => n * f.levels.length, 1);

/**
 * One at a time around the base: the base point first (each factor at
 * `base[j]`, the scenario's own value), then for each factor each of its
 * values that differs from the base value, the others at base.
 */
export function oneAtATime(factors: readonly Factor[], base: readonly unknown[]): DesignPoint[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const baseLevels: Level[] = factors.map((_, j) => ({ text: JSON.stringify(base[j]) ?? 'null', value: base[j] }));
  const baseIndex = factors.map((f, j) => f.levels.findIndex((l) => same(l.value, base[j])));
  const points: DesignPoint[] = [{ index: 0, levels: baseLevels, levelIndex: baseIndex, sets: [] }];
  factors.forEach((f, j) => {
    f.levels.forEach((l, i) => {
      if (same(l.value, base[j])) return;
      const levels = baseLevels.map((b, k) => (k === j ? l : b));
      const levelIndex = baseIndex.map((b, k) => (k === j ? i : b));
      points.push({ index: points.length, levels, levelIndex, sets: [setOf(f, l)] });
    });
  });
  return points;
}

/**
 * A Latin hypercube of `n` points over the factors' ranges (every factor must
 * have one). For factor j, point i lies in stratum π_j(i) of n equal strata
 * (on the range's own scale), at a uniform place within it:
 *   u = (π_j(i) + U) / n,  value = LO..HI at u,
 * π_j a random permutation (Fisher–Yates) and U uniform, both from the
 * seeded stream of that factor. Integer fields are rounded.
 */
export function latinHypercube(factors: readonly Factor[], n: number, seed: string): { points: DesignPoint[]; strata: number[][] } {
  const strata: number[][] = [];
  const columns: Level[][] = factors.map((f) => {
    const range = f.range;
    if (range === null) throw new Error(`latinHypercube: ${f.path} has no range`);
    const rand = createStream(seed, `sweep-lhs/${f.path}`);
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = Math.floor(rand() * (i + 1));
      [perm[i], perm[k]] = [perm[k]!, perm[i]!];
    }
    strata.push(perm);
    return perm.map((s) => rangeLevel(at(range, (s + rand()) / n), f.integer));
  });
  const points = Array.from({ length: n }, (_, i) => {
    const levels = columns.map((c) => c[i]!);
    return { index: i, levels, levelIndex: factors.map(() => -1), sets: levels.map((l, j) => setOf(factors[j]!, l)) };
  });
  return { points, strata };
}
