import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logGamma } from '../../src/numeric/index.js';

/** ln Γ(x), confirmed with mpmath 1.3 (mp.dps = 40, `loggamma`), to 20 digits. */
const REFERENCE: [number, number][] = [
  [0.001, 6.9071788853838536825],
  [0.1, 2.2527126517342059599],
  [0.5, 0.57236494292470008707],
  [1.5, -0.12078223763524522235],
  [2.5, 0.28468287047291915963],
  [3, 0.69314718055994530942],
  [3.7, 1.4280723266653879219],
  [6.5, 5.6625620598571415285],
  [7, 6.5792512120101009951],
  [7.5, 7.5343642367587329552],
  [10, 12.801827480081469611],
  [20.5, 40.83150097453079811],
  [100, 359.13420536957539878],
  [1000.5, 5908.6741758486774887],
  [1e6, 12815504.56914761166],
];

/**
 * ln Γ as src/analysis/confidence.ts computes it today (`lnGamma`, Lanczos
 * g = 7, n = 9, with reflection below 0.5), copied so the test can hold the
 * shared logGamma against it: confidence.ts is to switch to logGamma.
 */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
function lanczosLnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lanczosLnGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let k = 1; k < 9; k++) s += LANCZOS[k]! / (z + k);
  const t = z + 7.5;
  return 0.9189385332046728 + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

describe('logGamma', () => {
  it('matches mpmath to 5e-15 of max(1, |ln Γ|)', () => {
    for (const [x, expected] of REFERENCE) {
      const tolerance = 5e-15 * Math.max(1, Math.abs(expected));
      assert.ok(Math.abs(logGamma(x) - expected) <= tolerance, `x = ${x}: ${logGamma(x)} vs ${expected}`);
    }
  });

  it('is ln of a factorial at integers, exactly 0 at 1 and 2', () => {
    assert.equal(logGamma(1), 0);
    assert.equal(logGamma(2), 0);
    let lnFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      lnFactorial += Math.log(n);
      // Summed logs carry their own rounding: 1e-14 relative covers both.
      assert.ok(Math.abs(logGamma(n + 1) - lnFactorial) <= 1e-14 * lnFactorial, `n = ${n}`);
    }
  });

  it('keeps the recurrence ln Γ(x + 1) = ln Γ(x) + ln x across the shift at 7', () => {
    for (const x of [0.25, 3.3, 5.999, 6.5, 6.9999, 7.25, 42.42]) {
      const lhs = logGamma(x + 1);
      const rhs = logGamma(x) + Math.log(x);
      assert.ok(Math.abs(lhs - rhs) <= 1e-14 * Math.max(1, Math.abs(lhs)), `x = ${x}`);
    }
  });

  it('reproduces confidence.ts lnGamma to 1e-12 relative where the t distribution uses it', () => {
    // Student t with integer df: lnΓ(df/2), lnΓ(1/2) and lnΓ(df/2 + 1/2) for df/2 below 20.
    for (let twice = 1; twice <= 42; twice++) {
      const x = twice / 2;
      const old = lanczosLnGamma(x);
      const diff = Math.abs(logGamma(x) - old);
      // ln Γ is 0 at 1 and 2, where only an absolute difference means anything.
      assert.ok(old === 0 ? diff <= 1e-15 : diff <= 1e-12 * Math.abs(old), `x = ${x}: ${logGamma(x)} vs ${old}`);
    }
    // Welch's degrees of freedom are not whole: any x in [0.5, 20.5]. Near the zeros at 1 and 2 the
    // relative difference is meaningless; the absolute one is what enters ln B(a, b).
    for (let i = 0; i <= 4000; i++) {
      const x = 0.5 + i / 200;
      const old = lanczosLnGamma(x);
      const diff = Math.abs(logGamma(x) - old);
      assert.ok(diff <= 1e-12 * Math.abs(old) || diff <= 1e-14, `x = ${x}: ${logGamma(x)} vs ${old}`);
    }
  });

  it('is infinite at 0 and infinity, NaN below 0', () => {
    assert.equal(logGamma(0), Infinity);
    assert.equal(logGamma(Infinity), Infinity);
    assert.ok(Number.isNaN(logGamma(-1)));
    assert.ok(Number.isNaN(logGamma(-0.5)));
    assert.ok(Number.isNaN(logGamma(NaN)));
  });
});
