/**
 * The check the statistics collectors (stats.ts, binned-stats.ts) make on
 * every value they are given: NaN and ±Infinity are rejected with a
 * RangeError naming what was received, since one such value would silently
 * poison every statistic after it.
 */

/** Throws a RangeError when `x` is NaN or ±Infinity. @example assertFinite('Tally observation', x) */
export function assertFinite(what: string, x: number): void {
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`);
}
