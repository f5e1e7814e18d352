/**
 * Tests for src/engine/normal-stream.ts: both halves of each Box–Muller pair,
 * and the mean-1 lognormal noise with constants cached per batch size.
 * Tolerances: with n = 200,000 independent draws the standard error of a mean
 * of unit variance is 1/sqrt(n) = 0.0022; checks allow 5 standard errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MeanOneLognormal, NormalStream, pairedStandardNormal } from '../../src/engine/normal-stream.js';
import { createStream } from '../../src/engine/random.js';
import { standardNormal } from '../../src/numeric/index.js';

const N = 200_000;
const SE = 5 / Math.sqrt(N);

/** A stream that returns the given uniforms in turn. */
const scripted = (...us: number[]) => {
  let i = 0;
  return () => us[i++ % us.length]!;
};

function moments(xs: Float64Array): { mean: number; variance: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) ** 2;
  return { mean, variance: v / (xs.length - 1) };
}

describe('NormalStream', () => {
  it('returns the cosine half of a pair, then its sine half', () => {
    // u1 = 0.5, u2 = 0.125: r = sqrt(2 ln 2), angle = π/4, so both halves are r/sqrt(2) = sqrt(ln 2).
    const z = new NormalStream(scripted(0.5, 0.125));
    const a = z.next();
    assert.equal(a, standardNormal(scripted(0.5, 0.125)), 'the first half is standardNormal on the same uniforms');
    assert.ok(Math.abs(a - Math.sqrt(Math.LN2)) < 1e-15);
    assert.ok(Math.abs(z.next() - Math.sqrt(Math.LN2)) < 1e-15);
  });

  it('is standard normal with uncorrelated halves, and uses one uniform per draw', () => {
    let uniforms = 0;
    const base = createStream('normal-stream', 'test');
    const z = new NormalStream(() => (uniforms++, base()));
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) xs[i] = z.next();
    assert.equal(uniforms, N);
    const m = moments(xs);
    assert.ok(Math.abs(m.mean) < SE, `mean ${m.mean}`);
    // Var of a sample variance of normals is 2/n: 5 standard errors is 5 sqrt(2/n).
    assert.ok(Math.abs(m.variance - 1) < 5 * Math.sqrt(2 / N), `variance ${m.variance}`);
    let cross = 0;
    for (let i = 0; i < N; i += 2) cross += xs[i]! * xs[i + 1]!;
    assert.ok(Math.abs(cross / (N / 2)) < 5 / Math.sqrt(N / 2), `correlation of the halves ${cross / (N / 2)}`);
  });
});

describe('pairedStandardNormal', () => {
  it('hands out the spare half only to the stream that drew it', () => {
    const z = pairedStandardNormal();
    const a = scripted(0.5, 0.125);
    const b = scripted(0.5, 0.375); // angle 3π/4: cosine half -sqrt(ln 2)
    const first = z(a);
    assert.ok(Math.abs(z(b) + Math.sqrt(Math.LN2)) < 1e-15, 'another stream starts a fresh pair');
    assert.ok(Math.abs(z(a) - first) < 1e-15, 'stream a drew a fresh pair again: its spare was dropped');
    assert.ok(Math.abs(z(a) - Math.sqrt(Math.LN2)) < 1e-15, 'then its own spare half');
  });
});

describe('MeanOneLognormal', () => {
  for (const [cv, units] of [
    [0.5, 1],
    [0.5, 4],
    [1.2, 2.5],
    [0.8, 5000],
  ] as const) {
    it(`cv ${cv} over ${units} units: mean 1 and cv ${cv}/sqrt(${units})`, () => {
      const noise = new MeanOneLognormal(cv, createStream('noise', `${cv}/${units}`));
      const xs = new Float64Array(N);
      for (let i = 0; i < N; i++) xs[i] = noise.sample(units);
      const m = moments(xs);
      const c = cv / Math.sqrt(units);
      // Standard error of the mean: c / sqrt(n); the sample cv within 5% of c (its error grows with the lognormal's tails).
      assert.ok(Math.abs(m.mean - 1) < c * SE, `mean ${m.mean}`);
      assert.ok(Math.abs(Math.sqrt(m.variance) / c - 1) < 0.05, `cv ${Math.sqrt(m.variance)} against ${c}`);
    });
  }

  it('batches below one unit count as one; cv 0 gives exactly 1; same seed, same draws', () => {
    const draws = (units: number) => {
      const noise = new MeanOneLognormal(0.7, createStream('noise', 'same'));
      return Array.from({ length: 5 }, () => noise.sample(units));
    };
    assert.deepEqual(draws(0), draws(1));
    assert.deepEqual(draws(3), draws(3));
    const flat = new MeanOneLognormal(0, createStream('noise', 'flat'));
    for (let i = 0; i < 10; i++) assert.equal(flat.sample(i), 1);
    assert.throws(() => new MeanOneLognormal(NaN, Math.random), /got NaN/);
  });
});
