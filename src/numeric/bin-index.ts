/**
 * The index of the time bin holding `timeSeconds`, with bin i covering
 * [i·binSeconds, (i + 1)·binSeconds) and `bins` bins in all.
 *
 * Rounding: floor(timeSeconds / binSeconds), clamped to [0, bins - 1]. A
 * time at or beyond the horizon (bins·binSeconds) goes to the last bin, a
 * negative one to the first. The quotient is rounded once by floating-point
 * division, so a time within an ulp or so of a boundary may land on either
 * side of it: binIndex(0.3, 0.1, 10) is 2, because 0.3 / 0.1 is
 * 2.9999999999999996. Whole-second bins and times that are sums of binary
 * fractions (0.5 s steps) are exact. NaN gives NaN (an index that writes
 * nothing into a typed array), not a bin.
 *
 * @param timeSeconds the time, in seconds from the start of the run.
 * @param binSeconds the width of a bin, in seconds (> 0).
 * @param bins how many bins there are (>= 1).
 * @example binIndex(3599.9, 3600, 24) // 0
 * @example binIndex(86400, 3600, 24) // 23 (the horizon goes to the last bin)
 */
export function binIndex(timeSeconds: number, binSeconds: number, bins: number): number {
  const i = Math.floor(timeSeconds / binSeconds);
  if (i >= bins) return bins - 1;
  // `<= 0` also turns -0 into 0; NaN fails both tests and comes back as NaN.
  return i <= 0 ? 0 : i;
}
