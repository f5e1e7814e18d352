/**
 * Index of the first entry of `cum[from..to)` greater than `x`, by bisection;
 * `to - 1` when none is. `cum` holds cumulative weights (non-decreasing), so
 * with `x` uniform on [0, cum[to-1]) this picks index i with probability
 * proportional to its weight.
 *
 * @example searchCumulative([1, 3, 6], 0, 3, 2.5) // 1
 */
export function searchCumulative(cum: ArrayLike<number>, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] ?? Infinity) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
