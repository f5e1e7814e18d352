/**
 * Small numeric helpers over arrays of any length (no spread: `Math.max(...a)`
 * overflows the stack past ~125,000 values). The loops index with i < length,
 * hence the `!`s.
 */

/** Largest value, or `empty` for an empty array. @example maxOf([3, 1, 2]) // 3 */
export function maxOf(values: ArrayLike<number>, empty = 0): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return values.length === 0 ? empty : m;
}

/** Arithmetic mean, 0 for an empty array. @example meanOf([1, 2, 3]) // 2 */
export function meanOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length === 0 ? 0 : s / values.length;
}
