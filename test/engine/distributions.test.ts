/**
 * Tests for src/engine/distributions.ts (and the modules it draws on:
 * discrete-distributions.ts, normal-functions.ts, distribution-parse.ts).
 *
 * Statistical tolerances. With n independent draws:
 *  - the sample mean has standard error SE_mean = sqrt(sigma^2 / n);
 *  - the sample variance has SE_var ~= sqrt((mu4 - sigma^4) / n), where mu4 is
 *    the fourth central moment (exact for large n up to O(1/n^2) terms;
 *    the n-1 denominator's bias sigma^2/n is far below SE_var).
 * We accept |estimate - exact| <= 5 SE. For a correct sampler a 5-sigma miss
 * has probability ~6e-7 per check, and the seeds are fixed anyway, so the
 * tests are deterministic; a wrong sampler or a wrong closed form shifts the
 * estimate by many SEs (see the "power" checks, which assert that specific
 * plausible bugs would be caught). mu4 is computed from exact formulas for
 * every distribution below; heavy-tailed cases are only variance-checked
 * where mu4 is finite (pareto alpha = 9, or bounded).
 *
 * Frequency checks: a count of an event with probability p over n draws is
 * Binomial(n, p), so we accept |count - n p| <= 5 sqrt(n p (1 - p)).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStream, type RandomSource } from '../../src/engine/random.js';
import { DISTRIBUTION_FORMS, DistributionSpecError, parseDistribution, parseEmpiricalCsv } from '../../src/engine/distribution-parse.js';
import {
  deterministic,
  empirical,
  erlang,
  exponential,
  exponentialRate,
  gamma,
  lognormal,
  normal,
  pareto,
  poisson,
  truncatedNormal,
  uniform,
  zipf,
  type Distribution,
} from '../../src/engine/distributions.js';
import { standardNormalCdf, standardNormalPdf } from '../../src/engine/normal-functions.js';

const N = 200_000;
const Z = 5; // tolerance in standard errors

function draw(d: Distribution, streamName: string, n = N): Float64Array {
  const rng = createStream('test', streamName);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = d.sample(rng);
  return xs;
}

function sampleMoments(xs: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, variance: ss / (xs.length - 1) };
}

/** Fourth central moment from raw moments E[X], E[X^2], E[X^3], E[X^4]. */
function centralFourth(m1: number, m2: number, m3: number, m4: number): number {
  return m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
}

/** Mean, variance and fourth central moment of a finite discrete distribution. */
function discreteMoments(points: ReadonlyArray<readonly [value: number, prob: number]>): {
  mean: number;
  variance: number;
  mu4: number;
} {
  let mean = 0;
  for (const [v, p] of points) mean += v * p;
  let variance = 0;
  let mu4 = 0;
  for (const [v, p] of points) {
    variance += p * (v - mean) ** 2;
    mu4 += p * (v - mean) ** 4;
  }
  return { mean, variance, mu4 };
}

/** Asserts the sample mean and variance agree with d.mean / d.variance within 5 SE. */
function checkMoments(d: Distribution, xs: Float64Array, mu4: number): void {
  const n = xs.length;
  const { mean, variance } = sampleMoments(xs);
  const seMean = Math.sqrt(d.variance / n);
  const seVar = Math.sqrt((mu4 - d.variance * d.variance) / n);
  assert.ok(Math.abs(mean - d.mean) <= Z * seMean, `${d.describe()}: sample mean ${mean} vs exact ${d.mean} (5 SE = ${Z * seMean})`);
  assert.ok(Math.abs(variance - d.variance) <= Z * seVar, `${d.describe()}: sample variance ${variance} vs exact ${d.variance} (5 SE = ${Z * seVar})`);
  assert.ok(Math.abs(d.secondMoment - (d.variance + d.mean * d.mean)) <= 1e-12 * d.secondMoment, `${d.describe()}: secondMoment ${d.secondMoment} != variance + mean^2`);
}

/** Asserts P(X <= x) (or P(X = x) for pmf checks) matches p within 5 binomial SE. */
function checkProportion(xs: Float64Array, pred: (x: number) => boolean, p: number, what: string): void {
  let count = 0;
  for (const x of xs) if (pred(x)) count++;
  const n = xs.length;
  const se = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(count - n * p) <= Z * se, `${what}: count ${count} vs expected ${n * p} (5 SE = ${Z * se})`);
}

/** The Poisson pmf p_0..p_kMax by the recursion p_k = p_{k-1} lambda / k from p_0 = e^-lambda (e^-500 = 7e-218, no underflow). */
function poissonPmfs(lambda: number, kMax: number): number[] {
  let pk = Math.exp(-lambda);
  const p = [pk];
  for (let k = 1; k <= kMax; k++) {
    pk = (pk * lambda) / k;
    p.push(pk);
  }
  return p;
}

/**
 * Pearson chi-square goodness of fit of integer draws against a pmf. Cells
 * are the integers lo..hi with the tails pooled into the end cells (each
 * expected count >= 5 so the chi-square approximation holds). Under the null
 * X^2 has mean df and sd sqrt(2 df); we accept X^2 <= df + 5 sqrt(2 df).
 */
function checkChiSquare(xs: Float64Array, pmf: (k: number) => number, lo: number, hi: number, what: string): void {
  const n = xs.length;
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (const x of xs) counts[Math.min(hi, Math.max(lo, x)) - lo]! += 1; // clamped to a cell
  let below = 0;
  for (let k = 0; k < lo; k++) below += pmf(k);
  const probs = counts.map((_, i) => pmf(lo + i) + (i === 0 ? below : 0));
  probs[probs.length - 1] = 1 - probs.slice(0, -1).reduce((a, b) => a + b, 0);
  let chi2 = 0;
  for (const [i, p] of probs.entries()) {
    const e = n * p;
    assert.ok(e >= 5, `${what}: cell ${lo + i} expected count ${e} < 5`);
    chi2 += (counts[i]! - e) ** 2 / e; // counts and probs have one entry per cell
  }
  const df = counts.length - 1;
  assert.ok(chi2 <= df + Z * Math.sqrt(2 * df), `${what}: chi-square ${chi2} on ${df} df`);
}

function assertClose(actual: number, expected: number, relTol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relTol * Math.abs(expected), `${what}: ${actual} vs ${expected} (rel tol ${relTol})`);
}

// Raw moments E[Z^k | Z >= alpha], k = 1..4, of the truncated standard normal,
// by the recursion m_k = (k-1) m_{k-2} + alpha^{k-1} lambda (integrate z^{k-1} * z phi(z)
// by parts), m_0 = 1, m_1 = lambda = phi(alpha)/(1 - Phi(alpha)).
function truncatedStdNormalRaw(alpha: number, lambda: number): [number, number, number, number] {
  const m1 = lambda;
  const m2 = 1 + alpha * lambda;
  const m3 = 2 * m1 + alpha ** 2 * lambda;
  const m4 = 3 * m2 + alpha ** 3 * lambda;
  return [m1, m2, m3, m4];
}

describe('special functions', () => {
  it('standardNormalCdf matches 20-digit mpmath references to 1e-12 relative', () => {
    const refs: Array<[number, number]> = [
      [-10, 7.619853024160526066e-24],
      [-5, 2.8665157187919391167e-7],
      [-3, 0.0013498980316300945267],
      [-1, 0.15865525393145705141],
      [0, 0.5],
      [0.5, 0.69146246127401310364],
      [1.96, 0.97500210485177956379],
    ];
    for (const [x, p] of refs) assertClose(standardNormalCdf(x), p, 1e-12, `Phi(${x})`);
    assertClose(standardNormalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-15, 'phi(0)');
  });
});

describe('moments: sample mean and variance within 5 standard errors of the exact values', () => {
  it('deterministic returns its value every time', () => {
    const d = deterministic(2.5);
    const xs = draw(d, 'deterministic', 1000);
    assert.ok(xs.every((x) => x === 2.5));
    assert.equal(d.mean, 2.5);
    assert.equal(d.variance, 0);
    assert.equal(d.secondMoment, 6.25);
  });

  it('uniform(lo, hi): mean (lo+hi)/2, variance w^2/12, mu4 = w^4/80', () => {
    const d = uniform(2, 5);
    assert.equal(d.mean, 3.5);
    assert.equal(d.variance, 9 / 12);
    checkMoments(d, draw(d, 'uniform'), 3 ** 4 / 80);
  });

  it('exponential(mean) and exponentialRate(rate): mean 1/rate, mu4 = 9 mean^4', () => {
    const e = exponential(2);
    assert.equal(e.mean, 2);
    assert.equal(e.variance, 4);
    checkMoments(e, draw(e, 'exponential'), 9 * 2 ** 4);
    const r = exponentialRate(4);
    assert.equal(r.mean, 0.25); // mean = 1/rate
    assert.equal(r.variance, 0.0625);
    checkMoments(r, draw(r, 'exponential-rate'), 9 * 0.25 ** 4);
    // Memorylessness/shape: P(X > mean) = e^-1.
    checkProportion(draw(e, 'exponential'), (x) => x > 2, Math.exp(-1), 'P(exp > mean)');
  });

  it('normal(mean, sd): mu4 = 3 sd^4, and P(X <= mean + sd) = Phi(1)', () => {
    const d = normal(10, 3);
    assert.equal(d.mean, 10);
    assert.equal(d.variance, 9);
    const xs = draw(d, 'normal');
    checkMoments(d, xs, 3 * 3 ** 4);
    checkProportion(xs, (x) => x <= 13, standardNormalCdf(1), 'P(N <= mean + sd)');
  });

  it('truncatedNormal(0, 1, 0) is the half-normal: mean sqrt(2/pi), variance 1 - 2/pi', () => {
    // Half-normal moments (Johnson, Kotz & Balakrishnan vol. 1, 13.7).
    const d = truncatedNormal(0, 1, 0);
    assertClose(d.mean, 0.7978845608028654, 1e-10, 'half-normal mean');
    assertClose(d.mean, Math.sqrt(2 / Math.PI), 1e-12, 'half-normal mean');
    assertClose(d.variance, 0.3633802276324187, 1e-10, 'half-normal variance');
    assertClose(d.variance, 1 - 2 / Math.PI, 1e-12, 'half-normal variance');
    const [m1, m2, m3, m4] = truncatedStdNormalRaw(0, Math.sqrt(2 / Math.PI));
    const xs = draw(d, 'truncated-normal');
    assert.ok(xs.every((x) => x >= 0));
    checkMoments(d, xs, centralFourth(m1, m2, m3, m4));
  });

  it('truncatedNormal: mild (rejection) and heavy (Robert) truncation have the exact truncated moments', () => {
    // lambda = phi(alpha) / (1 - Phi(alpha)), 20-digit references from mpmath.
    const cases: Array<[mean: number, sd: number, lower: number, lambda: number]> = [
      [1, 2, 0, 0.50916043383703348583], // alpha = -0.5: rejection from the parent normal
      [0, 1, 2, 2.3732155328228408673], // alpha = 2: Robert's exponential rejection
      [10, 0.5, 13, 6.1584826045445989173], // alpha = 6: far tail (naive rejection would need ~1e9 draws)
    ];
    for (const [mu, sd, lower, lambda] of cases) {
      const d = truncatedNormal(mu, sd, lower);
      const alpha = (lower - mu) / sd;
      const [m1, m2, m3, m4] = truncatedStdNormalRaw(alpha, lambda);
      assertClose(d.mean, mu + sd * m1, 1e-12, `${d.describe()} mean`);
      assertClose(d.variance, sd * sd * (m2 - m1 * m1), 1e-10, `${d.describe()} variance`);
      const xs = draw(d, `truncated-normal-${alpha}`);
      assert.ok(
        xs.every((x) => x >= lower),
        `${d.describe()}: sample below lower`,
      );
      checkMoments(d, xs, sd ** 4 * centralFourth(m1, m2, m3, m4));
    }
    // Untruncated-normal moments would be far outside tolerance (power check).
    const d = truncatedNormal(1, 2, 0);
    assert.ok(Math.abs(d.mean - 1) > 10 * Math.sqrt(d.variance / N));
  });

  it('lognormal(mean, cv): sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2/2', () => {
    const mean = 2;
    const cv = 0.5;
    const d = lognormal(mean, cv);
    assert.equal(d.mean, 2);
    assertClose(d.variance, 1, 1e-15, 'lognormal variance = (cv mean)^2');
    const s2 = Math.log(1 + cv * cv);
    const mu = Math.log(mean) - s2 / 2;
    const raw = (k: number): number => Math.exp(k * mu + (k * k * s2) / 2); // E[X^k]
    assertClose(raw(1), d.mean, 1e-14, 'E[X] from mu, sigma');
    const xs = draw(d, 'lognormal');
    checkMoments(d, xs, centralFourth(raw(1), raw(2), raw(3), raw(4)));
    // Power: had the sampler used cv itself as sigma, its mean would be
    // exp(mu + cv^2/2) = 2 * exp((cv^2 - ln(1+cv^2))/2) = 2.0270..., i.e. ~12 SE away.
    const buggyMean = Math.exp(mu + (cv * cv) / 2);
    assert.ok(Math.abs(buggyMean - d.mean) > 2 * Z * Math.sqrt(d.variance / N));
  });

  it('gamma(mean=2, cv=0.5) has shape 4 and scale 0.5 (Erlang-4 CDF), and cv > 1 uses the boost', () => {
    const d = gamma(2, 0.5);
    // shape k = 1/cv^2 = 4, scale theta = mean cv^2 = 0.5: mean k theta, variance k theta^2,
    // E[X^2] = k (k+1) theta^2, mu4 = 3 k (k + 2) theta^4 (excess kurtosis 6/k).
    const k = 4;
    const theta = 0.5;
    assert.equal(d.mean, k * theta);
    assertClose(d.variance, k * theta * theta, 1e-15, 'gamma variance');
    assertClose(d.secondMoment, k * (k + 1) * theta * theta, 1e-15, 'gamma E[X^2]');
    const xs = draw(d, 'gamma');
    checkMoments(d, xs, 3 * k * (k + 2) * theta ** 4);
    // Integer shape: P(X <= x) = 1 - e^{-x/theta} sum_{j<k} (x/theta)^j / j!.
    for (const x of [0.8, 2, 4]) {
      const y = x / theta;
      const p = 1 - Math.exp(-y) * (1 + y + y ** 2 / 2 + y ** 3 / 6);
      checkProportion(xs, (v) => v <= x, p, `gamma(4, 0.5) CDF at ${x}`);
    }
    // cv = 2: shape 0.25 < 1, the Marsaglia-Tsang U^(1/k) boost path.
    const g = gamma(3, 2);
    const kb = 0.25;
    const tb = 12;
    assertClose(g.variance, kb * tb * tb, 1e-15, 'gamma(3, 2) variance');
    checkMoments(g, draw(g, 'gamma-boost'), 3 * kb * (kb + 2) * tb ** 4);
  });

  it('erlang(k, mean) is gamma with integer shape k and scale mean/k', () => {
    const d = erlang(3, 1.5);
    const theta = 0.5;
    assert.equal(d.mean, 1.5);
    assertClose(d.variance, 3 * theta * theta, 1e-15, 'erlang variance');
    checkMoments(d, draw(d, 'erlang'), 3 * 3 * 5 * theta ** 4);
  });

  it('pareto: unbounded closed forms; heavy tail by its survival function', () => {
    // E[X^m] = alpha xMin^m / (alpha - m) for m < alpha.
    const alpha = 9;
    const xMin = 2;
    const d = pareto(alpha, xMin);
    const raw = (m: number): number => (alpha * xMin ** m) / (alpha - m);
    assertClose(d.mean, raw(1), 1e-15, 'pareto mean');
    assertClose(d.variance, raw(2) - raw(1) ** 2, 1e-12, 'pareto variance');
    checkMoments(d, draw(d, 'pareto'), centralFourth(raw(1), raw(2), raw(3), raw(4)));

    const heavy = pareto(1.5, 1);
    assert.equal(heavy.mean, 3);
    assert.equal(heavy.variance, Infinity);
    assert.equal(heavy.secondMoment, Infinity);
    assert.equal(pareto(1, 1).mean, Infinity);
    assert.equal(pareto(0.5, 1).mean, Infinity);
    assert.equal(pareto(2, 1).variance, Infinity);
    const xs = draw(heavy, 'pareto-heavy');
    assert.ok(xs.every((x) => x >= 1));
    // P(X > x) = x^-alpha.
    for (const x of [2, 10, 100]) checkProportion(xs, (v) => v > x, x ** -1.5, `pareto(1.5) P(X > ${x})`);
  });

  it('bounded pareto: hand-computed means including the alpha = 1 and alpha = 2 special cases', () => {
    // E[X^m] = alpha L^alpha / (1 - (L/H)^alpha) * (H^(m-alpha) - L^(m-alpha)) / (m - alpha).
    // alpha = 1.5, L = 1, H = 100: (L/H)^alpha = 0.001,
    //   mean  = 1.5 / 0.999 * (0.1 - 1) / (-0.5) = 2.7/0.999 = 100/37,
    //   E[X^2] = 1.5 / 0.999 * (10 - 1) / 0.5   = 27/0.999 = 1000/37.
    const d = pareto(1.5, 1, 100);
    assertClose(d.mean, 100 / 37, 1e-13, 'bounded pareto mean');
    assertClose(d.secondMoment, 1000 / 37, 1e-13, 'bounded pareto E[X^2]');
    assertClose(d.variance, 1000 / 37 - (100 / 37) ** 2, 1e-12, 'bounded pareto variance');
    // alpha = 1, L = 1, H = 10: mean = ln(H/L) / (1 - L/H) = ln(10) / 0.9.
    assertClose(pareto(1, 1, 10).mean, 2.5584278811044951413, 1e-13, 'bounded pareto alpha=1 mean');
    // alpha = 2, L = 1, H = 10: mean = 2 (1 - 0.1) / 0.99 = 20/11; E[X^2] = 2 ln(10) / 0.99.
    const two = pareto(2, 1, 10);
    assertClose(two.mean, 20 / 11, 1e-13, 'bounded pareto alpha=2 mean');
    assertClose(two.secondMoment, 4.6516870565536276445, 1e-13, 'bounded pareto alpha=2 E[X^2]');
    // Near the special case the general formula must agree with it (no cancellation blow-up).
    assertClose(pareto(1 + 1e-9, 1, 10).mean, pareto(1, 1, 10).mean, 1e-7, 'alpha -> 1 continuity');

    const raw = (m: number): number => ((1.5 / 0.999) * (100 ** (m - 1.5) - 1)) / (m - 1.5);
    const xs = draw(d, 'pareto-bounded');
    assert.ok(xs.every((x) => x >= 1 && x <= 100));
    checkMoments(d, xs, centralFourth(raw(1), raw(2), raw(3), raw(4)));
  });

  it('zipf(3, 1): pmf 6/11, 3/11, 2/11, mean 18/11, variance 72/121', () => {
    // P(k) = k^-1 / (1 + 1/2 + 1/3) = (6/11) / k; E[K^2] = (6 + 12 + 18)/11 = 36/11.
    const d = zipf(3, 1);
    assertClose(d.pmf(1), 6 / 11, 1e-15, 'pmf(1)');
    assertClose(d.pmf(2), 3 / 11, 1e-15, 'pmf(2)');
    assertClose(d.pmf(3), 2 / 11, 1e-15, 'pmf(3)');
    assert.equal(d.pmf(0), 0);
    assert.equal(d.pmf(4), 0);
    assert.equal(d.pmf(1.5), 0);
    assertClose(d.mean, 18 / 11, 1e-15, 'zipf mean');
    assertClose(d.variance, 72 / 121, 1e-14, 'zipf variance');
    const xs = draw(d, 'zipf');
    const pts: Array<[number, number]> = [
      [1, 6 / 11],
      [2, 3 / 11],
      [3, 2 / 11],
    ];
    for (const [k, p] of pts) checkProportion(xs, (x) => x === k, p, `zipf(3,1) P(K=${k})`);
    checkMoments(d, xs, discreteMoments(pts).mu4);
  });

  it('zipf(1000, 1.2): pmf frequencies and moments; s = 0 is uniform', () => {
    const n = 1000;
    const s = 1.2;
    let h = 0;
    for (let k = 1; k <= n; k++) h += k ** -s;
    const pts: Array<[number, number]> = [];
    for (let k = 1; k <= n; k++) pts.push([k, k ** -s / h]);
    const exact = discreteMoments(pts);
    const d = zipf(n, s);
    assertClose(d.mean, exact.mean, 1e-12, 'zipf mean');
    assertClose(d.variance, exact.variance, 1e-10, 'zipf variance');
    const xs = draw(d, 'zipf-1000');
    assert.ok(xs.every((x) => Number.isInteger(x) && x >= 1 && x <= n));
    for (const k of [1, 2, 5, 20, 100]) checkProportion(xs, (x) => x === k, k ** -s / h, `zipf P(K=${k})`);
    checkMoments(d, xs, exact.mu4);
    const u = zipf(10, 0);
    assert.equal(u.mean, 5.5);
    assertClose(u.variance, (100 - 1) / 12, 1e-14, 'zipf s=0 variance');
  });

  it('poisson: mean = variance = lambda for small (inversion) and large (PTRS) lambda', () => {
    // Central fourth moment of Poisson: lambda + 3 lambda^2.
    for (const lambda of [3, 29.5, 30, 500]) {
      const d = poisson(lambda);
      assert.equal(d.mean, lambda);
      assert.equal(d.variance, lambda);
      const xs = draw(d, `poisson-${lambda}`);
      assert.ok(xs.every((x) => Number.isInteger(x) && x >= 0));
      checkMoments(d, xs, lambda + 3 * lambda * lambda);
      const p = poissonPmfs(lambda, lambda + 10 * Math.sqrt(lambda));
      const mode = Math.floor(lambda);
      const sd = Math.sqrt(lambda);
      for (const k of [0, 1, mode - Math.round(2 * sd), mode - Math.round(sd), mode, mode + Math.round(sd), mode + Math.round(2 * sd)]) {
        if (k < 0) continue;
        const pk = p[k];
        assert.ok(pk !== undefined, `poisson(${lambda}): the pmf table reaches ${k}`);
        assertClose(d.pmf(k), pk, 1e-11, `poisson(${lambda}) pmf(${k})`);
        if (N * pk >= 20) checkProportion(xs, (x) => x === k, pk, `poisson(${lambda}) P(X=${k})`);
      }
      // Whole-pmf check over lambda +- 3 sd (tails pooled), against the independent recursion.
      const lo = Math.max(0, Math.floor(lambda - 3 * sd));
      const hi = Math.ceil(lambda + 3 * sd);
      checkChiSquare(xs, (k) => p[k] ?? 0, lo, hi, `poisson(${lambda})`);
    }
    const zero = poisson(0);
    const z = draw(zero, 'poisson-0', 100);
    assert.ok(z.every((x) => x === 0));
  });

  it('poisson PTRS (lambda = 500): whole-pmf chi-square fit with 2,000,000 draws', () => {
    // PTRS's rejection step corrects most implementation slips, so the errors
    // left are small pmf distortions; 10x more draws make them visible (e.g. a
    // wrong v_r or a constant gives X^2 ~ 290-300 on 136 df, threshold 218).
    const lambda = 500;
    const d = poisson(lambda);
    const xs = draw(d, 'poisson-ptrs-fit', 2_000_000);
    const p = poissonPmfs(lambda, 700);
    const sd = Math.sqrt(lambda);
    checkChiSquare(xs, (k) => p[k] ?? 0, Math.floor(lambda - 3 * sd), Math.ceil(lambda + 3 * sd), 'poisson(500) 2M');
  });

  it('empirical: uniform and weighted choice, exact discrete moments', () => {
    const u = empirical([1, 2, 6]);
    assert.equal(u.mean, 3);
    assertClose(u.variance, 14 / 3, 1e-15, 'empirical variance');
    const ux = draw(u, 'empirical');
    assert.ok(ux.every((x) => x === 1 || x === 2 || x === 6));
    const upts: Array<[number, number]> = [
      [1, 1 / 3],
      [2, 1 / 3],
      [6, 1 / 3],
    ];
    for (const [v, p] of upts) checkProportion(ux, (x) => x === v, p, `empirical P(${v})`);
    checkMoments(u, ux, discreteMoments(upts).mu4);

    const w = empirical([1, 10, 4], [9, 1, 0]);
    assertClose(w.mean, 1.9, 1e-15, 'weighted mean'); // 0.9*1 + 0.1*10
    assertClose(w.variance, 7.29, 1e-14, 'weighted variance'); // 0.9*0.81 + 0.1*65.61
    const wx = draw(w, 'empirical-weighted');
    assert.ok(wx.every((x) => x === 1 || x === 10)); // weight 0 never drawn
    const wpts: Array<[number, number]> = [
      [1, 0.9],
      [10, 0.1],
    ];
    checkProportion(wx, (x) => x === 10, 0.1, 'weighted P(10)');
    checkMoments(w, wx, discreteMoments(wpts).mu4);

    // Inputs are copied.
    const vals = [5, 7];
    const c = empirical(vals);
    vals[0] = 1000;
    assert.equal(c.mean, 6);
    assert.ok(draw(c, 'empirical-copy', 1000).every((x) => x === 5 || x === 7));
  });
});

describe('determinism', () => {
  const all: Distribution[] = [
    uniform(0, 1),
    exponential(1),
    normal(0, 1),
    truncatedNormal(0, 1, 1),
    lognormal(1, 1),
    gamma(1, 0.3),
    gamma(1, 3),
    erlang(2, 1),
    pareto(2.5, 1),
    pareto(1.2, 1, 50),
    zipf(50, 1),
    poisson(4),
    poisson(100),
    empirical([1, 2, 3], [1, 2, 3]),
  ];
  for (const d of all) {
    it(`${d.describe()}: same seed, same sequence; different seed, different sequence`, () => {
      const seq = (seed: string): number[] => {
        const rng: RandomSource = createStream(seed, d.kind);
        return Array.from({ length: 200 }, () => d.sample(rng));
      };
      assert.deepEqual(seq('test'), seq('test'));
      assert.notDeepEqual(seq('test'), seq('other'));
    });
  }
});

describe('factory validation: RangeError naming the bad value', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['deterministic(NaN)', () => deterministic(NaN), 'got NaN'],
    ['uniform(3, 1)', () => uniform(3, 1), 'lo=3, hi=1'],
    ['uniform(0, Infinity)', () => uniform(0, Infinity), 'got Infinity'],
    ['exponential(-1)', () => exponential(-1), 'got -1'],
    ['exponentialRate(0)', () => exponentialRate(0), 'got 0'],
    ['normal(0, -2)', () => normal(0, -2), 'got -2'],
    ['truncatedNormal(0, 0)', () => truncatedNormal(0, 0), 'sd must be > 0, got 0'],
    ['truncatedNormal(0, 1, NaN)', () => truncatedNormal(0, 1, NaN), 'got NaN'],
    ['lognormal(1, -1)', () => lognormal(1, -1), 'lognormal: cv must be > 0, got -1'],
    ['lognormal(-5, 1)', () => lognormal(-5, 1), 'got -5'],
    ['gamma(-3, 1)', () => gamma(-3, 1), 'got -3'],
    ['gamma(1, 0)', () => gamma(1, 0), 'cv must be > 0, got 0'],
    ['erlang(2.5, 1)', () => erlang(2.5, 1), 'got 2.5'],
    ['erlang(2, -7)', () => erlang(2, -7), 'got -7'],
    ['pareto(0, 1)', () => pareto(0, 1), 'alpha must be > 0, got 0'],
    ['pareto(2, -1)', () => pareto(2, -1), 'got -1'],
    ['pareto(2, 1, 0.5)', () => pareto(2, 1, 0.5), 'xMax=0.5'],
    ['zipf(0, 1)', () => zipf(0, 1), 'got 0'],
    ['zipf(3.5, 1)', () => zipf(3.5, 1), 'got 3.5'],
    ['zipf(3, -1)', () => zipf(3, -1), 's must be >= 0, got -1'],
    ['poisson(-2)', () => poisson(-2), 'got -2'],
    ['empirical([])', () => empirical([]), '[]'],
    ['empirical([1, NaN])', () => empirical([1, NaN]), 'values[1] must be a finite number, got NaN'],
    ['empirical([1, 2], [1])', () => empirical([1, 2], [1]), 'got 1'],
    ['empirical([1, 2], [1, -4])', () => empirical([1, 2], [1, -4]), 'weights[1] must be >= 0, got -4'],
    ['empirical([1, 2], [0, 0])', () => empirical([1, 2], [0, 0]), 'got 0'],
  ];
  for (const [name, fn, fragment] of cases) {
    it(name, () => {
      assert.throws(fn, (err: unknown) => {
        assert.ok(err instanceof RangeError, `${name}: expected RangeError, got ${String(err)}`);
        assert.ok(err.message.includes(fragment), `${name}: message ${JSON.stringify(err.message)} lacks ${fragment}`);
        return true;
      });
    });
  }
});

describe('parseDistribution', () => {
  it('parses every accepted form', () => {
    assert.equal(parseDistribution('det:2').mean, 2);
    assert.equal(parseDistribution('uniform:1,3').mean, 2);
    assert.equal(parseDistribution('exp:4').mean, 0.25); // RATE, queueing convention
    assert.equal(parseDistribution('expmean:4').mean, 4);
    assert.equal(parseDistribution('normal:10,2').variance, 4);
    assertClose(parseDistribution('tnormal:0,1').mean, Math.sqrt(2 / Math.PI), 1e-12, 'tnormal truncates at 0');
    assertClose(parseDistribution('lognormal:2,0.5').variance, 1, 1e-15, 'lognormal');
    assertClose(parseDistribution('gamma:2,0.5').variance, 1, 1e-15, 'gamma');
    assertClose(parseDistribution('erlang:4,2').variance, 1, 1e-15, 'erlang K,MEAN');
    assert.equal(parseDistribution('pareto:3,1').mean, 1.5);
    assertClose(parseDistribution('pareto:1.5,1,100').mean, 100 / 37, 1e-13, 'bounded pareto');
    assertClose(parseDistribution('zipf:3,1').mean, 18 / 11, 1e-15, 'zipf');
    assert.equal(parseDistribution('poisson:3').mean, 3);
    assert.equal(parseDistribution('empirical:1;2;6').mean, 3);
    assert.equal(parseDistribution(' Exp: 2 ').mean, 0.5); // whitespace and case tolerated
    assert.equal(DISTRIBUTION_FORMS.length, 13);
    assert.ok(DISTRIBUTION_FORMS.includes('exp:RATE'));
    assert.ok(DISTRIBUTION_FORMS.includes('empirical:V1;V2;V3'));
  });

  const bad: Array<[spec: string, fragment: string]> = [
    ['foo:1', 'unknown kind "foo"'],
    ['exp:', 'exp takes 1 parameter'],
    ['exp:abc', 'parameter 1 ("abc") is not a number'],
    ['lognormal:1', 'takes 2 parameters'],
    ['uniform:3,1', 'lo must be < hi, got lo=3, hi=1'],
    ['exp', 'expected KIND:PARAMS'],
    ['exp:0', 'rate must be > 0, got 0'],
    ['pareto:1,2,3,4', 'takes 2 to 3 parameters'],
    ['normal:1,', 'parameter 2 ("") is not a number'],
    ['empirical:1;x;3', 'parameter 2 ("x") is not a number'],
    ['constructor:1', 'unknown kind "constructor"'],
  ];
  for (const [spec, fragment] of bad) {
    it(`rejects ${JSON.stringify(spec)} with the spec and every accepted form`, () => {
      assert.throws(
        () => parseDistribution(spec),
        (err: unknown) => {
          assert.ok(err instanceof DistributionSpecError, `expected DistributionSpecError, got ${String(err)}`);
          assert.ok(err instanceof Error);
          assert.equal(err.spec, spec);
          assert.ok(err.message.includes(`"${spec}"`), `message lacks the spec: ${err.message}`);
          assert.ok(err.message.includes(fragment), `message lacks ${JSON.stringify(fragment)}: ${err.message}`);
          for (const form of DISTRIBUTION_FORMS) assert.ok(err.message.includes(form), `message lacks form ${form}`);
          return true;
        },
      );
    });
  }

  it('keeps the factory RangeError as the cause', () => {
    try {
      parseDistribution('uniform:3,1');
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof DistributionSpecError);
      assert.ok(err.cause instanceof RangeError);
    }
  });
});

describe('parseEmpiricalCsv', () => {
  it('reads value and weight columns (any order, extra columns ignored)', () => {
    const d = parseEmpiricalCsv('name,weight,value\na,9,1\nb,1,10\n\n');
    assertClose(d.mean, 1.9, 1e-15, 'weighted CSV mean');
    assertClose(d.variance, 7.29, 1e-14, 'weighted CSV variance');
    const xs = draw(d, 'empirical-csv', 50_000);
    checkProportion(xs, (x) => x === 10, 0.1, 'CSV weighted P(10)');
  });

  it('reads a value-only CSV as equally likely values', () => {
    const d = parseEmpiricalCsv('Value\n1\n2\n6\n');
    assert.equal(d.mean, 3);
    assertClose(d.variance, 14 / 3, 1e-15, 'CSV variance');
  });

  it('rejects a CSV without a value column', () => {
    assert.throws(
      () => parseEmpiricalCsv('x,weight\n1,2\n'),
      (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.match(err.message, /no "value" column/);
        assert.match(err.message, /"x", "weight"/);
        return true;
      },
    );
  });

  it('lists every bad row with its line number and value at once', () => {
    const csv = 'value,weight\n1,1\nabc,2\n3,1\n,4\n5,-1\n7\nx1,y\n';
    assert.throws(
      () => parseEmpiricalCsv(csv),
      (err: unknown) => {
        assert.ok(err instanceof Error);
        const m = err.message;
        assert.match(m, /5 bad rows/);
        assert.match(m, /line 3: value "abc" is not a finite number/);
        assert.match(m, /line 5: value "" is not a finite number/);
        assert.match(m, /line 6: weight "-1" is not a finite number >= 0/);
        assert.match(m, /line 7: weight missing/);
        assert.match(m, /line 8: value "x1" is not a finite number, weight "y" is not a finite number >= 0/);
        assert.doesNotMatch(m, /line 2|line 4/);
        return true;
      },
    );
  });

  it('rejects empty input, header-only input, all-zero weights and malformed CSV', () => {
    assert.throws(() => parseEmpiricalCsv(''), /no header row/);
    assert.throws(() => parseEmpiricalCsv('value\n'), /no data rows/);
    assert.throws(() => parseEmpiricalCsv('value,weight\n1,0\n2,0\n'), /positive finite sum, got 0/);
    assert.throws(() => parseEmpiricalCsv('value\n"1\n'), /cannot parse/);
  });
});
