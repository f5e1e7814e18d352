import { standardNormal } from './standard-normal.js';

/**
 * A Binomial(n, p) draw. Inversion (walking the pmf from 0, Devroye 1986,
 * X.4) while the mean is under 20, one uniform draw; beyond, the normal
 * approximation rounded and clamped to [0, n], two uniform draws (Box–Muller,
 * the first inside the logarithm). The draw order is part of the results.
 *
 * @example binomial(10, 0.5, rng) // an integer in 0..10
 */
export function binomial(n: number, p: number, rng: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 20) {
    const q = 1 - p;
    let prob = Math.pow(q, n);
    let cdf = prob;
    const u = rng();
    let x = 0;
    while (u > cdf && x < n) {
      prob *= ((n - x) / (x + 1)) * (p / q);
      cdf += prob;
      x++;
    }
    return x;
  }
  const z = standardNormal(rng);
  return Math.max(0, Math.min(n, Math.round(mean + z * Math.sqrt(mean * (1 - p)))));
}
