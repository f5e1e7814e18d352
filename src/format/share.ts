/**
 * A fraction as a percentage with one decimal; '–' when not finite.
 *
 * @param x a share, 0.35 for 35%.
 * @example formatShare(0.35) // '35.0%'
 */
export function formatShare(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–';
}
