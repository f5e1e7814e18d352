/**
 * `x` rounded to `digits` significant digits, the way `Number.prototype.toPrecision`
 * rounds its decimal text (1.23456789 -> 1.23457 for 6 digits). Reports and
 * summaries use 6 so their numbers stay readable and byte-stable.
 * 0, -0, NaN and ±Infinity come back unchanged.
 *
 * @param x any number.
 * @param digits significant digits, 1 to 100.
 * @example roundSignificant(1234.5678, 6) // 1234.57
 * @example roundSignificant(0.000123456789, 3) // 0.000123
 */
export function roundSignificant(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}
