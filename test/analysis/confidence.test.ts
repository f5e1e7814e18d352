import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ci95HalfWidth,
  logScaleInterval,
  meanCi95,
  meanCi95NonNegative,
  mser5Truncation,
  studentTCdf,
  studentTQuantile,
  studentTQuantile975,
} from '../../src/analysis/confidence.js';
import { stat } from '../../src/analysis/stat.js';

function near(actual: number, expected: number, tol: number, msg = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${msg} expected ${expected} ± ${tol}, got ${actual}`);
}

function rel(actual: number, expected: number): number {
  return Math.abs(actual / expected - 1);
}

describe('studentTQuantile975', () => {
  test('matches the printed table (NIST/SEMATECH e-Handbook 1.3.6.7.2, 0.975 column)', () => {
    const table: Array<[number, number]> = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [9, 2.262],
      [29, 2.045],
      [60, 2.0],
      [100, 1.984],
      [120, 1.98],
    ];
    for (const [df, t] of table) near(studentTQuantile975(df), t, 0.0005, `df=${df}`);
  });

  test('large df tends to the normal value 1.960', () => {
    near(studentTQuantile975(1e4), 1.96, 0.0005);
    // t(df) ≈ z + (z³ + z) / (4 df): 2.4e-12 above z at df = 1e12
    near(studentTQuantile975(1e12), 1.959963984540054, 1e-11);
    near(studentTQuantile975(Infinity), 1.959963984540054, 1e-14);
    // Monotone decreasing in df, including across the switch to Cornish–Fisher at 3000.
    let prev = Infinity;
    for (const df of [1, 2, 3, 5, 10, 30, 100, 1000, 2999, 3000, 3001, 1e4, 1e6, Infinity]) {
      const t = studentTQuantile975(df);
      assert.ok(t < prev, `t(${df}) = ${t} should be below ${prev}`);
      prev = t;
    }
  });

  test('agrees with 20-digit references (mpmath betainc root, 50-digit arithmetic)', () => {
    const refs: Array<[number, number]> = [
      [4, 2.7764451051977943578],
      [9, 2.2621571627982055426],
      [29, 2.0452296421327042982],
      [120, 1.9799304050824408467],
      [1000, 1.962339080826408485],
      [99999, 1.9599877077718447791],
    ];
    for (const [df, t] of refs) assert.ok(rel(studentTQuantile975(df), t) < 1e-13, `df=${df}: ${studentTQuantile975(df)} vs ${t}`);
  });
});

describe('studentTQuantile', () => {
  test('other columns of the table', () => {
    near(studentTQuantile(0.95, 1), 6.314, 0.0005);
    near(studentTQuantile(0.95, 10), 1.812, 0.0005);
    near(studentTQuantile(0.995, 10), 3.169, 0.0005);
    near(studentTQuantile(0.999, 10), 4.144, 0.0005);
    near(studentTQuantile(0.99, 5), 3.365, 0.0005);
    near(studentTQuantile(0.9, 20), 1.325, 0.0005);
  });

  test('closed forms: df = 1 (Cauchy), df = 2, df = 4', () => {
    // df=1: tan(π(p - ½)); df=2: (2p - 1) / sqrt(2p(1 - p));
    // df=4: 2 sign(p - ½) sqrt(cos(arccos(√α)/3)/√α - 1), α = 4p(1 - p).
    const ps = [1e-9, 1e-5, 0.001, 0.01, 0.025, 0.1, 0.3, 0.45, 0.55, 0.7, 0.9, 0.975, 0.99, 0.999];
    for (const p of ps) {
      assert.ok(rel(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5))) < 1e-12, `df=1 p=${p}`);
      assert.ok(rel(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p))) < 1e-12, `df=2 p=${p}`);
      const a = 4 * p * (1 - p);
      const t4 = Math.sign(p - 0.5) * 2 * Math.sqrt(Math.cos(Math.acos(Math.sqrt(a)) / 3) / Math.sqrt(a) - 1);
      // The closed form itself is ill-conditioned near p = ½ (arccos near 1), hence 1e-9.
      assert.ok(rel(studentTQuantile(p, 4), t4) < 1e-9, `df=4 p=${p}`);
    }
  });

  test('symmetry, round trip through the CDF, non-integer df, edge values', () => {
    for (const df of [0.5, 1.5, 3, 7.5, 30, 2500, 5000]) {
      for (const p of [1e-8, 0.001, 0.05, 0.3, 0.5, 0.8, 0.99]) {
        const t = studentTQuantile(p, df);
        const back = studentTCdf(t, df);
        // The CDF's continued fraction loses a few digits at large df (~2e-12 at df = 2500).
        assert.ok(Math.abs(back - p) <= 1e-11 * Math.min(p, 1 - p) + 1e-15, `df=${df} p=${p}: cdf(${t}) = ${back}`);
      }
    }
    // Exact symmetry where 1 - p is exact (dyadic p).
    for (const p of [0.125, 0.25, 0.375, 0.0009765625]) {
      for (const df of [1, 3.5, 40, 1e5]) assert.equal(studentTQuantile(1 - p, df), -studentTQuantile(p, df));
    }
    // Reference for non-integer df (mpmath): t_{0.975, 7.5} = 2.3330396268649746
    assert.ok(rel(studentTQuantile(0.975, 7.5), 2.3330396268649746) < 1e-13);
    assert.equal(studentTQuantile(0.5, 3), 0);
    assert.equal(studentTQuantile(0, 3), -Infinity);
    assert.equal(studentTQuantile(1, 3), Infinity);
    assert.throws(() => studentTQuantile(1.1, 3), RangeError);
    assert.throws(() => studentTQuantile(0.9, 0), RangeError);
    assert.throws(() => studentTQuantile(0.9, NaN), RangeError);
    assert.throws(() => studentTQuantile975(-1), RangeError);
  });

  test('CDF against closed forms', () => {
    for (const t of [-30, -3, -1, -0.2, 0, 0.5, 2, 12.706]) {
      near(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-15);
      near(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-15);
    }
    // Large-df tails against mpmath betainc (40 digits); a naive first continued-fraction
    // term 1 - (a+b)x/(a+1) cancels here and is off by 2e-12.
    assert.ok(rel(studentTCdf(-1.96, 99999), 0.024999281611015497) < 5e-13);
    assert.ok(rel(studentTCdf(-1.96, 5000), 0.025025626145909766) < 5e-13);
    assert.ok(rel(studentTCdf(-3, 30), 0.002694982032825973) < 1e-13);
    // Standard normal: Φ(1.959963984540054) = 0.975
    near(studentTCdf(1.959963984540054, Infinity), 0.975, 1e-15);
  });
});

describe('meanCi95', () => {
  test('[1,2,3,4,5]: mean 3, sd √2.5, half width t(4)·√2.5/√5', () => {
    const r = meanCi95([1, 2, 3, 4, 5]);
    assert.equal(r.n, 5);
    assert.equal(r.mean, 3);
    // By hand with the table value: 2.776 · √2.5 / √5 = 2.776 · 0.70711 = 1.9629
    near(r.halfWidth, 1.9629, 0.001);
    // With the 20-digit t value 2.7764451051977943578: 1.9632431614775...
    near(r.halfWidth, 2.7764451051977943578 * Math.sqrt(0.5), 1e-12);
    near(r.ci95[0], 3 - r.halfWidth, 1e-15);
    near(r.ci95[1], 3 + r.halfWidth, 1e-15);
  });

  test('two replications [10, 14]: s = √8, half width t(1)·√8/√2 = 2·12.706', () => {
    const r = meanCi95([10, 14]);
    assert.equal(r.mean, 12);
    near(r.halfWidth, 25.412, 0.001);
    near(r.ci95[0], -13.412, 0.001);
    near(r.ci95[1], 37.412, 0.001);
  });

  test('one replication: degenerate interval with half width 0; empty or non-finite throws', () => {
    assert.deepEqual(meanCi95([4.2]), { mean: 4.2, ci95: [4.2, 4.2], halfWidth: 0, n: 1 });
    assert.throws(() => meanCi95([]), RangeError);
    assert.throws(() => meanCi95([1, NaN, 3]), RangeError);
    assert.throws(() => meanCi95([1, Infinity]), RangeError);
  });
});

/** Deterministic "noise" in [-2, 2]: (7i mod 11 - 5) / 2.5, period 11. */
function pattern(i: number): number {
  return 10 + (((i * 7) % 11) - 5) / 2.5;
}

/** MSER-5 by the definition, O(k²): for cross-checking the O(n) implementation. */
function naiveMser5(series: readonly number[]): number {
  const k = Math.floor(series.length / 5);
  const z: number[] = [];
  for (let j = 0; j < k; j++) z.push(series.slice(5 * j, 5 * j + 5).reduce((a, b) => a + b, 0) / 5);
  let best = 0;
  let bestValue = Infinity;
  for (let d = 0; d <= Math.floor(k / 2); d++) {
    const rest = z.slice(d);
    const m = rest.reduce((a, b) => a + b, 0) / rest.length;
    const ss = rest.reduce((a, b) => a + (b - m) ** 2, 0);
    const v = ss / rest.length ** 2;
    if (d === 0 || v < bestValue * (1 - 1e-12)) {
      bestValue = v;
      best = d;
    }
  }
  return best;
}

describe('mser5Truncation', () => {
  test('linear transient 100 → 10 over 50 points, then 500 points around 10', () => {
    const series: number[] = [];
    for (let i = 0; i < 50; i++) series.push(100 - (90 * i) / 49 + (((i * 7) % 11) - 5) / 2.5);
    for (let i = 0; i < 500; i++) series.push(pattern(i));
    const r = mser5Truncation(series);
    assert.equal(r.truncatePoints, 5 * r.truncateBatches);
    assert.ok(r.truncatePoints >= 40 && r.truncatePoints <= 60, `truncated ${r.truncatePoints} points`);
    assert.equal(r.truncateBatches, naiveMser5(series));
  });

  test('exponential transient 10 + 90·e^(-i/8) is cut where it has decayed', () => {
    const series: number[] = [];
    for (let i = 0; i < 50; i++) series.push(10 + 90 * Math.exp(-i / 8));
    for (let i = 0; i < 500; i++) series.push(pattern(i));
    const r = mser5Truncation(series);
    // By i = 40 the transient is within 10 + 90e^-5 = 10.6 of steady state.
    assert.ok(r.truncatePoints >= 30 && r.truncatePoints <= 60, `truncated ${r.truncatePoints} points`);
    assert.equal(r.truncateBatches, naiveMser5(series));
  });

  test('flat series: no truncation', () => {
    const series: number[] = [];
    for (let i = 0; i < 550; i++) series.push(pattern(i));
    assert.ok(mser5Truncation(series).truncateBatches <= 1);
    assert.deepEqual(mser5Truncation(new Array<number>(100).fill(3)), { truncateBatches: 0, truncatePoints: 0 });
  });

  test('agrees with the O(k²) definition on irregular data; edge cases', () => {
    let state = 99;
    const u = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    };
    for (let trial = 0; trial < 20; trial++) {
      const n = 20 + Math.floor(u() * 400);
      const drift = u() * 50;
      const series = Array.from({ length: n }, (_, i) => 1e6 + drift * Math.exp(-i / 30) + 5 * u());
      assert.equal(mser5Truncation(series).truncateBatches, naiveMser5(series), `trial ${trial}`);
    }
    // A series still trending at the end truncates at the k/2 limit (the run is too short).
    const trend = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(mser5Truncation(trend).truncateBatches, 10);
    assert.deepEqual(mser5Truncation([]), { truncateBatches: 0, truncatePoints: 0 });
    assert.deepEqual(mser5Truncation([1, 2, 3, 4]), { truncateBatches: 0, truncatePoints: 0 });
    assert.throws(() => mser5Truncation([1, 2, NaN, 4, 5]), RangeError);
  });
});

describe('meanCi95NonNegative: intervals of quantities that cannot be negative', () => {
  test('never below zero where the t interval is, and it holds the mean', () => {
    // [0, 0, 1]: mean 1/3, s = 1/√3, t(0.975, 2) = 4.302653, so h = 4.302653 / 3 = 1.434218
    // and the t interval is [-1.1009, 1.7676]; on the log scale f = exp(h / m) = exp(4.302653) = 73.897.
    const t = meanCi95([0, 0, 1]);
    assert.ok(t.ci95[0] < 0, 'the symmetric interval goes below zero');
    const r = meanCi95NonNegative([0, 0, 1]);
    const f = Math.exp(studentTQuantile975(2));
    assert.ok(Math.abs(r.ci95[0] - 1 / 3 / f) < 1e-12 && Math.abs(r.ci95[1] - f / 3) < 1e-9, JSON.stringify(r.ci95));
    assert.ok(r.ci95[0] > 0 && r.ci95[0] < r.mean && r.mean < r.ci95[1]);
    assert.equal(r.halfWidth, t.halfWidth, 'halfWidth stays t · SE');
    // The storage figure of issue 13 (-252 GiB to +295 GiB): one replication of three holds all of it.
    const GiB = 1024 ** 3;
    const bytes = stat([0, 0, 64.5 * GiB]);
    assert.ok(bytes.ci95[0] > 0, JSON.stringify(bytes));
  });

  test('agrees with the t interval when the replications nearly agree', () => {
    const values = [1000, 1010, 990, 1005, 995];
    const t = meanCi95(values);
    const r = meanCi95NonNegative(values);
    // h / m = 0.0098: the two intervals differ by about m (h/m)² / 2 = 0.05.
    assert.ok(Math.abs(r.ci95[0] - t.ci95[0]) < 0.1 && Math.abs(r.ci95[1] - t.ci95[1]) < 0.1, `${JSON.stringify(r.ci95)} vs ${JSON.stringify(t.ci95)}`);
  });

  test('all zero gives [0, 0]; a negative value gives the t interval; one value gives [m, m]', () => {
    assert.deepEqual(meanCi95NonNegative([0, 0, 0]).ci95, [0, 0]);
    assert.deepEqual(meanCi95NonNegative([-1, 1, 3]).ci95, meanCi95([-1, 1, 3]).ci95);
    assert.deepEqual(meanCi95NonNegative([7]).ci95, [7, 7]);
  });

  test('ci95HalfWidth reads the t half-width back from either form of interval', () => {
    assert.deepEqual(logScaleInterval(10, 1), [10 / Math.E ** 0.1, 10 * Math.E ** 0.1]);
    assert.deepEqual(logScaleInterval(-2, 1), [-3, -1]);
    assert.ok(Math.abs(ci95HalfWidth(10, logScaleInterval(10, 1)) - 1) < 1e-12);
    // Rounded to 6 significant digits, as summary.json keeps it.
    assert.ok(Math.abs(ci95HalfWidth(10, [9.04837, 11.0517]) - 1) < 1e-5);
    assert.equal(ci95HalfWidth(10, [8, 12]), 2);
    assert.equal(ci95HalfWidth(1, [-3, 5]), 4);
    assert.equal(ci95HalfWidth(5, [5, 5]), 0);
  });
});
