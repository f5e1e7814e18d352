/**
 * Normal deviates drawn from one random stream using both halves of each
 * Box–Muller pair (G. E. P. Box and M. E. Muller, Ann. Math. Statist. 29(2),
 * 1958): two uniforms u1, u2 give the independent standard normals
 *
 *   r cos(2π u2) and r sin(2π u2),   r = sqrt(-2 ln(1 - u1)),
 *
 * returned on two successive calls, so a normal costs one uniform, half a
 * logarithm and half a square root instead of twice that. The spare sine
 * half is state, so it lives in an object bound to one stream: draws depend
 * only on that stream and on the number of draws before, never on another
 * stream's use (STYLE.md convention 2). The first draw of a pair is the
 * cosine branch of `standardNormal` (src/numeric/), so a NormalStream's odd
 * draws are what `standardNormal` would give on the same stream.
 *
 * `MeanOneLognormal` builds on it the multiplicative noise of a cost:
 * lognormal factors of mean 1 whose coefficient of variation is cv for one
 * unit and cv/sqrt(n) for a batch of n units, with ln(1 + cv²) and its square
 * root computed once per batch size rather than on every draw.
 */
import type { RandomSource } from './random.js';

const TWO_PI = 2 * Math.PI;

/** Standard normals from one uniform stream, both halves of each Box–Muller pair. */
export class NormalStream {
  private spare = 0;
  private hasSpare = false;

  /** @param rng the stream the uniforms come from, e.g. `sim.random('cpu')`. */
  constructor(private readonly rng: RandomSource) {}

  /**
   * One N(0, 1) deviate: the cosine half of a fresh pair (two uniforms, u1
   * first), or the sine half kept from the previous call.
   * @example new NormalStream(sim.random('noise')).next()
   */
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.rng())); // 1 - u in (0, 1]: finite
    const angle = TWO_PI * this.rng();
    this.spare = r * Math.sin(angle);
    this.hasSpare = true;
    return r * Math.cos(angle);
  }
}

/** Batch sizes whose constants are kept in a table; larger or fractional ones are computed per draw. */
const TABLE_UNITS = 1024;

/**
 * Lognormal factors of mean 1: ln X ~ N(-σ²/2, σ²) with σ² = ln(1 + c²) and
 * c = cv / sqrt(max(1, units)), so E[X] = 1 and the coefficient of variation
 * is c. Whole batch sizes up to 1024 take σ and -σ²/2 from a table filled on
 * first use.
 *
 * @example
 * const noise = new MeanOneLognormal(0.3, sim.random('cpu'));
 * const cpuSeconds = meanCpuSeconds * noise.sample(units);
 */
export class MeanOneLognormal {
  private readonly normals: NormalStream;
  /** σ for whole batch sizes 0..TABLE_UNITS (0 and 1 alike), NaN until first used. */
  private readonly sigmas = new Float64Array(TABLE_UNITS + 1).fill(NaN);
  /** -σ²/2 for the same batch sizes. */
  private readonly shifts = new Float64Array(TABLE_UNITS + 1);

  /**
   * @param cv coefficient of variation of one unit, finite and >= 0 (0: every factor is 1).
   * @param rng the stream the factors are drawn from.
   */
  constructor(
    readonly cv: number,
    rng: RandomSource,
  ) {
    if (!(cv >= 0 && cv < Infinity)) throw new RangeError(`lognormal noise: cv must be a finite number >= 0, got ${cv}`);
    this.normals = new NormalStream(rng);
  }

  /**
   * One factor for a batch of `units` units (>= 0; below 1 counts as 1). A
   * draw always takes one normal, whatever cv is, so the stream's use does
   * not depend on the parameters.
   */
  sample(units: number): number {
    const z = this.normals.next();
    if (units >>> 0 === units && units <= TABLE_UNITS) {
      let sigma = this.sigmas[units]!;
      if (sigma !== sigma) sigma = this.fill(units); // NaN: first use of this size
      return Math.exp(this.shifts[units]! + sigma * z);
    }
    const c = this.cv / Math.sqrt(Math.max(1, units));
    const sigma2 = Math.log1p(c * c);
    return Math.exp(-sigma2 / 2 + Math.sqrt(sigma2) * z);
  }

  private fill(units: number): number {
    const c = this.cv / Math.sqrt(Math.max(1, units));
    const sigma2 = Math.log1p(c * c);
    const sigma = Math.sqrt(sigma2);
    this.sigmas[units] = sigma;
    this.shifts[units] = -sigma2 / 2;
    return sigma;
  }
}

/**
 * A standard-normal sampler for one distribution object, for samplers that
 * are handed their stream on each call (`Distribution.sample(rng)`): it keeps
 * the sine half of its last pair together with the stream it came from, and
 * returns it only when next called with that same stream; a call with any
 * other stream starts a fresh pair. So draws stay a function of the stream
 * and of this sampler's earlier calls on it.
 *
 * @example const z = pairedStandardNormal(); z(rng); z(rng) // both halves of one pair
 */
export function pairedStandardNormal(): (rng: RandomSource) => number {
  let owner: RandomSource | null = null;
  // In a typed array: a number captured by a closure and reassigned would be
  // a new heap object on every draw.
  const spare = new Float64Array(1);
  return (rng: RandomSource): number => {
    if (owner === rng) {
      owner = null;
      return spare[0]!;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = TWO_PI * rng();
    spare[0] = r * Math.sin(angle);
    owner = rng;
    return r * Math.cos(angle);
  };
}
