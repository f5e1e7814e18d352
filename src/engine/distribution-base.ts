/**
 * What every probability distribution is (`Distribution`, and
 * `DiscreteDistribution` for those that report their probability mass
 * function), and what the factories of distributions.ts and
 * discrete-distributions.ts share: parameter checks that throw a RangeError
 * naming the bad value, compact numbers for describe(), and freezing.
 */
import { roundSignificant } from '../numeric/index.js';
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

/** Compact number for describe(): trims binary noise such as 0.30000000000000004. */
export function short(x: number): string {
  return String(roundSignificant(x, 10));
}

export function requireFinite(kind: string, param: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new RangeError(`${kind}: ${param} must be a finite number, got ${String(x)}`);
  }
}

export function requirePositive(kind: string, param: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) {
    throw new RangeError(`${kind}: ${param} must be > 0, got ${String(x)}`);
  }
}

export function requireNonNegative(kind: string, param: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x >= 0)) {
    throw new RangeError(`${kind}: ${param} must be >= 0, got ${String(x)}`);
  }
}

export function requirePositiveInteger(kind: string, param: string, x: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'an integer >= 1' : `an integer in [1, ${max}]`;
    throw new RangeError(`${kind}: ${param} must be ${range}, got ${String(x)}`);
  }
}

export function freeze<T extends Distribution>(d: T): T {
  return Object.freeze(d);
}
