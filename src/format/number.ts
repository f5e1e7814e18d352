import { roundSignificant } from '../numeric/index.js';
import { formatCount } from './count.js';

/**
 * A number for people: thousands separators from 1,000 on (rounded to a
 * whole number), else three significant digits; '–' when not finite.
 *
 * @example formatNumber(1234.5) // '1,235'
 * @example formatNumber(0.012345) // '0.0123'
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1000) return formatCount(n);
  if (n === 0) return '0';
  return String(roundSignificant(n, 3));
}
