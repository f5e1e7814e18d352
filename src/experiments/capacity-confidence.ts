/**
 * How sure a capacity probe is: the share of its replications that met the
 * targets, with the Wilson score interval (Wilson 1927, "Probable inference,
 * the law of succession, and statistical inference", JASA 22(158):209-212;
 * recommended over the Wald interval for small n by Brown, Cai and DasGupta
 * 2001, "Interval estimation for a binomial proportion", Statistical Science
 * 16(2):101-133). With the three replications of a probe it is wide, and says
 * so: 3 of 3 gives [0.44, 1].
 */

/** The 0.975 quantile of the standard normal: a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** A share of replications that met the targets, with its 95% Wilson interval. */
export interface ShareMeeting {
  met: number;
  of: number;
  share: number;
  /** 95% Wilson score interval of the share. */
  wilson95: [number, number];
}

/**
 * The 95% Wilson score interval of `k` successes in `n` trials:
 * (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = k/n.
 * @example wilsonInterval(3, 3) // [0.4385, 1]
 */
export function wilsonInterval(k: number, n: number, z = Z95): [number, number] {
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  // At k = 0 or k = n one end is exactly 0 or 1; computed, it is off by rounding.
  const lo = k === 0 ? 0 : (centre - half) / denominator;
  const hi = k === n ? 1 : (centre + half) / denominator;
  return [lo, hi];
}

/** The share meeting the targets among `outcomes`, with its interval. */
export function shareMeeting(outcomes: readonly boolean[]): ShareMeeting {
  const met = outcomes.filter((x) => x).length;
  const of = outcomes.length;
  return { met, of, share: of === 0 ? 0 : met / of, wilson95: wilsonInterval(met, of) };
}

/** A probe holds when more than half of its replications met the targets (a tie fails: the side of caution). */
export function probeHolds(s: ShareMeeting): boolean {
  return s.met * 2 > s.of;
}
