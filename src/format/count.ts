/**
 * A count for people: rounded to a whole number (halves up), with thousands
 * separators. Non-finite values as JavaScript prints them.
 *
 * @param n a count (users, events, bytes...), any real number.
 * @example formatCount(1234567.8) // '1,234,568'
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.round(n).toLocaleString('en-US');
}
