/**
 * The numeric ranges of the cost layer: what a catalog column (catalog-schema.ts)
 * or a cost option (options.ts) may hold, and how a number is read from what
 * a user wrote. The wording of a range is `costMessages.range` (messages.ts).
 */

/** A closed range, or half-open at `min` when `above` is true; integers only when `integer`. */
export interface NumberRange {
  /** The smallest value, included unless `above`. */
  readonly min: number;
  /** True when `min` itself is excluded (a value must be greater). */
  readonly above?: boolean;
  /** The largest value, included. */
  readonly max: number;
  readonly integer?: boolean;
}

/** A plain decimal number: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The number a text writes in plain decimal, or null when it is not one
 * (blank, hexadecimal, "Infinity", "1,5", "1 000"). A decimal too large for a
 * double ("1e999") reads as Infinity, which no range holds.
 * @example parseDecimal('2.5e3') // 2500
 * @example parseDecimal('0x10') // null
 */
export function parseDecimal(text: string): number | null {
  return DECIMAL.test(text) ? Number(text) : null;
}

/**
 * Is `n` a finite number in `r`?
 * @example inRange(0, { min: 0, above: true, max: 10 }) // false
 */
export function inRange(n: number, r: NumberRange): boolean {
  if (!Number.isFinite(n) || n > r.max) return false;
  if (r.above ? n <= r.min : n < r.min) return false;
  return r.integer !== true || Number.isInteger(n);
}
