/**
 * One draw from the standard normal distribution N(0, 1), by the Box–Muller
 * transform (G. E. P. Box and M. E. Muller, "A note on the generation of
 * random normal deviates", Ann. Math. Statist. 29(2), 1958), cosine branch:
 *
 *   z = sqrt(-2 ln(1 - u1)) cos(2π u2)
 *
 * It takes exactly two uniforms from `rng`, in this order: u1 (the radius)
 * first, u2 (the angle) second. Reproducible runs depend on that order and
 * on the count, so the sine partner is discarded rather than cached: a cache
 * would carry state from one call to the next, across streams. 1 - u1 is in
 * (0, 1] for u1 in [0, 1), so the logarithm is finite.
 *
 * @param rng uniform numbers in [0, 1), e.g. a seeded stream.
 * @returns a standard normal deviate.
 * @example standardNormal(() => 0.5) // -1.1774100225154747 (sqrt(2 ln 2) cos π)
 */
export function standardNormal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
