import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BinnedSeries, BinnedTimeWeighted } from '../../src/engine/binned-stats.js';
import { QuantileSketch } from '../../src/engine/quantile-sketch.js';
import { Tally, TimeWeighted } from '../../src/engine/stats.js';

function near(actual: number, expected: number, tol = 1e-12, msg?: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${msg ?? ''} expected ${expected}, got ${actual}`);
}

/** Numerical Recipes 32-bit LCG (a = 1664525, c = 1013904223), uniform in (0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

/** Lognormal(mu, sigma) sample of size n via Box–Muller on the LCG. */
function lognormalSample(n: number, mu: number, sigma: number, seed: number): number[] {
  const u = lcg(seed);
  const out: number[] = [];
  while (out.length < n) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const theta = 2 * Math.PI * u();
    out.push(Math.exp(mu + sigma * r * Math.cos(theta)));
    if (out.length < n) out.push(Math.exp(mu + sigma * r * Math.sin(theta)));
  }
  return out;
}

/** The value the sketch targets: sorted[floor(q (n - 1))], 0-based. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1];

function assertWithinRelative(sketch: QuantileSketch, sorted: readonly number[], alpha: number): void {
  for (const q of QS) {
    const exact = exactQuantile(sorted, q);
    const est = sketch.quantile(q);
    const rel = Math.abs(est - exact) / exact;
    // alpha plus a few ulps for log() round-off at bucket boundaries.
    assert.ok(rel <= alpha * (1 + 1e-9), `q=${q}: estimate ${est}, exact ${exact}, relative error ${rel} > ${alpha}`);
  }
}

describe('Tally', () => {
  test('textbook data set [2,4,4,4,5,5,7,9]', () => {
    const t = new Tally();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) t.add(x);
    // Deviations from 5: -3,-1,-1,-1,0,0,2,4 → squares sum to 9+1+1+1+0+0+4+16 = 32.
    assert.equal(t.count, 8);
    assert.equal(t.sum, 40);
    near(t.mean, 5);
    near(t.variance, 32 / 7);
    near(t.stdDev, Math.sqrt(32 / 7));
    assert.equal(t.min, 2);
    assert.equal(t.max, 9);
  });

  test('Welford stays accurate with a large offset (naive sum of squares would not)', () => {
    const t = new Tally();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) t.add(1e9 + x);
    near(t.mean, 1e9 + 5);
    // ulp(1e9) ≈ 1.2e-7, so ~1e-8 absolute is the floor; E[x²] - E[x]² would be off by ~1e2.
    near(t.variance, 32 / 7, 1e-6);
  });

  test('empty, single observation, reset', () => {
    const t = new Tally();
    assert.equal(t.count, 0);
    assert.equal(t.sum, 0);
    assert.ok(Number.isNaN(t.mean));
    assert.ok(Number.isNaN(t.variance));
    assert.ok(Number.isNaN(t.min));
    assert.ok(Number.isNaN(t.max));
    t.add(-3.5);
    assert.equal(t.mean, -3.5);
    assert.ok(Number.isNaN(t.variance), 'sample variance needs n >= 2');
    assert.equal(t.min, -3.5);
    assert.equal(t.max, -3.5);
    t.add(10);
    t.reset();
    assert.equal(t.count, 0);
    assert.ok(Number.isNaN(t.mean));
    t.add(1);
    t.add(3);
    assert.equal(t.mean, 2);
    assert.equal(t.variance, 2);
    assert.equal(t.min, 1);
  });

  test('rejects NaN and infinities', () => {
    const t = new Tally();
    assert.throws(() => t.add(NaN), RangeError);
    assert.throws(() => t.add(Infinity), RangeError);
    assert.equal(t.count, 0);
  });
});

describe('TimeWeighted', () => {
  test('piecewise example', () => {
    // value: 0 on [0,2), 3 on [2,5), 2 on [5,7), a momentary 6 at t=7, then 1 on [7,10)
    // area(10) = 0·2 + 3·3 + 2·2 + 6·0 + 1·3 = 16 ; mean = 16 / 10 = 1.6 ; max = 6
    const q = new TimeWeighted();
    q.set(2, 3);
    q.add(5, -1);
    assert.equal(q.value, 2);
    q.set(7, 6);
    q.set(7, 1);
    assert.equal(q.area(10), 16);
    assert.equal(q.mean(10), 1.6);
    assert.equal(q.max, 6);
    assert.equal(q.min, 0);
    // Querying does not change the collector.
    assert.equal(q.area(10), 16);
    assert.equal(q.area(7), 4 + 9);

    // reset at 10 keeps value 1: 1 on [10,12), 4 on [12,15) → area 2 + 12 = 14, mean 14 / 5 = 2.8
    q.reset(10);
    assert.equal(q.value, 1);
    assert.equal(q.max, 1);
    q.set(12, 4);
    assert.equal(q.area(15), 14);
    assert.equal(q.mean(15), 2.8);
    assert.equal(q.max, 4);
    assert.equal(q.min, 1);
  });

  test('non-zero start time and initial value; zero span gives 0', () => {
    const q = new TimeWeighted(100, 2);
    assert.equal(q.mean(100), 0);
    assert.equal(q.area(110), 20);
    assert.equal(q.mean(110), 2);
    q.set(110, 5);
    // 2·10 + 5·30 = 170 over 40 s
    assert.equal(q.mean(140), 170 / 40);
  });

  test('time going backwards throws a RangeError naming the time', () => {
    const q = new TimeWeighted(0, 0);
    q.set(5, 1);
    assert.throws(
      () => q.set(4, 2),
      (e: unknown) => e instanceof RangeError && /\b4\b/.test(e.message),
    );
    assert.throws(() => q.add(4.5, 1), RangeError);
    assert.throws(() => q.area(3), RangeError);
    assert.throws(() => q.mean(3), RangeError);
    assert.throws(() => q.reset(1), RangeError);
    assert.throws(() => new TimeWeighted(10).set(9.99, 1), RangeError);
    // State unchanged by the rejected calls.
    assert.equal(q.value, 1);
    assert.equal(q.area(6), 1);
  });
});

describe('QuantileSketch', () => {
  test('1..100000 within relative error alpha of the exact quantiles', () => {
    for (const alpha of [0.01, 0.001]) {
      const s = new QuantileSketch(alpha);
      const data: number[] = [];
      for (let i = 1; i <= 100000; i++) {
        s.add(i);
        data.push(i);
      }
      assertWithinRelative(s, data, alpha);
      assert.equal(s.count, 100000);
      assert.equal(s.sum, 5000050000);
      assert.equal(s.mean, 50000.5);
      assert.equal(s.min, 1);
      assert.equal(s.max, 100000);
      assert.equal(s.clampedHigh, 0);
    }
  });

  test('lognormal sample (LCG + Box–Muller) within relative error alpha', () => {
    const data = lognormalSample(50000, -3, 1.5, 12345);
    const sorted = [...data].sort((a, b) => a - b);
    for (const alpha of [0.01, 0.02, 0.001]) {
      const s = new QuantileSketch(alpha);
      for (const x of data) s.add(x);
      assertWithinRelative(s, sorted, alpha);
    }
    // The sketch must actually be approximating: with alpha = 0.05 some quantile
    // is off by more than 0.1 % (guards against a test that could not fail).
    const coarse = new QuantileSketch(0.05);
    for (const x of data) coarse.add(x);
    const worst = Math.max(...QS.slice(1, -1).map((q) => Math.abs(coarse.quantile(q) / exactQuantile(sorted, q) - 1)));
    assert.ok(worst > 0.001 && worst <= 0.05 * (1 + 1e-9), `worst relative error ${worst}`);
  });

  test('memory does not grow with the number of observations', () => {
    // Buckets are allocated as values need them (test/engine/quantile-sketch.test.ts),
    // up to the limit fixed by alpha.
    const s = new QuantileSketch(0.01);
    const limit = s.bucketLimit;
    assert.ok(limit > 2000 && limit < 3000, `bucketLimit ${limit}`);
    const u = lcg(7);
    for (let i = 0; i < 200000; i++) s.add(Math.exp(60 * u() - 25)); // spans the whole range
    assert.equal(s.bucketCount, limit);
    for (let i = 0; i < 200000; i++) s.add(Math.exp(60 * u() - 25));
    assert.equal(s.bucketCount, limit);
  });

  test('merge equals adding everything to one sketch', () => {
    const a = lognormalSample(20000, 0, 1, 1);
    const b = lognormalSample(30000, 2, 0.5, 2);
    const all = new QuantileSketch();
    const sa = new QuantileSketch();
    const sb = new QuantileSketch();
    for (const x of a) {
      sa.add(x);
      all.add(x);
    }
    for (const x of b) {
      sb.add(x);
      all.add(x);
    }
    sb.add(0, 5);
    all.add(0, 5);
    sa.merge(sb);
    assert.equal(sa.count, all.count);
    near(sa.sum, all.sum, 1e-12);
    assert.equal(sa.min, all.min);
    assert.equal(sa.max, all.max);
    for (let q = 0; q <= 1; q += 0.01) assert.equal(sa.quantile(q), all.quantile(q), `q=${q}`);
    // The merged-in sketch is unchanged.
    assert.equal(sb.count, 30005);
    assert.throws(() => sa.merge(new QuantileSketch(0.02)), RangeError);
  });

  test('weights are equivalent to repeated adds', () => {
    const w = new QuantileSketch();
    const r = new QuantileSketch();
    for (let i = 1; i <= 50; i++) {
      w.add(i, 3);
      for (let k = 0; k < 3; k++) r.add(i);
    }
    assert.equal(w.count, 150);
    assert.equal(w.sum, r.sum);
    for (const q of QS) assert.equal(w.quantile(q), r.quantile(q));
    w.add(1000, 0); // zero weight is a no-op
    assert.equal(w.max, 50);
  });

  test('zero bucket, clamping, validation, reset', () => {
    const s = new QuantileSketch();
    assert.ok(Number.isNaN(s.quantile(0.5)));
    assert.ok(Number.isNaN(s.mean));
    assert.ok(Number.isNaN(s.min));
    for (let i = 0; i < 10; i++) s.add(0);
    s.add(1e-12);
    for (let i = 1; i <= 9; i++) s.add(i);
    // 20 values: eleven below the trackable range, then 1..9.
    assert.equal(s.quantile(0.25), 0);
    assert.equal(s.min, 0);
    assert.ok(Math.abs(s.quantile(1) - 9) < 1e-12);
    // Rank floor(0.9·19) = 17 → sorted[17] = 7.
    assert.ok(Math.abs(s.quantile(0.9) / 7 - 1) <= 0.01);

    s.add(5e13);
    assert.equal(s.clampedHigh, 1);
    assert.equal(s.max, 5e13);
    assert.equal(s.quantile(1), 5e13);

    assert.throws(() => s.add(-1), RangeError);
    assert.throws(() => s.add(NaN), RangeError);
    assert.throws(() => s.add(Infinity), RangeError);
    assert.throws(() => s.add(1, -1), RangeError);
    assert.throws(() => s.quantile(1.5), RangeError);
    assert.throws(() => s.quantile(-0.1), RangeError);
    assert.throws(() => new QuantileSketch(0), RangeError);
    assert.throws(() => new QuantileSketch(1), RangeError);

    s.reset();
    assert.equal(s.count, 0);
    assert.equal(s.clampedHigh, 0);
    assert.ok(Number.isNaN(s.quantile(0.5)));
    s.add(42);
    assert.ok(Math.abs(s.quantile(0.5) / 42 - 1) <= 0.01);
  });
});

describe('BinnedSeries', () => {
  test('hand-worked example across bin edges', () => {
    // bin 10 s, horizon 35 s → ceil(3.5) = 4 bins: [0,10) [10,20) [20,30) [30,…)
    const s = new BinnedSeries(10, 35);
    assert.equal(s.binCount, 4);
    s.add(0, 1); // bin 0
    s.add(9.999, 2); // bin 0
    s.add(10, 4); // exactly on the edge → bin 1
    s.add(29.5, 8); // bin 2
    s.add(35, 16); // at the horizon → last bin
    s.add(1000, 32); // beyond → last bin
    s.add(31, 0.5); // bin 3
    assert.deepEqual(Array.from(s.values), [3, 4, 8, 48.5]);
    assert.equal(s.binStart(0), 0);
    assert.equal(s.binStart(3), 30);
    assert.equal(s.ratePerSecond(0), 0.3);
    assert.equal(s.ratePerSecond(1), 0.4);
    assert.equal(s.ratePerSecond(3), 4.85);
    assert.throws(() => s.add(-0.001, 1), RangeError);
    assert.throws(() => s.binStart(4), RangeError);
    assert.throws(() => s.ratePerSecond(-1), RangeError);
    s.reset();
    assert.deepEqual(Array.from(s.values), [0, 0, 0, 0]);
  });

  test('bin count is ceil(horizon / bin), robust to round-off', () => {
    assert.equal(new BinnedSeries(10, 30).binCount, 3);
    assert.equal(new BinnedSeries(10, 30.0001).binCount, 4);
    assert.equal(new BinnedSeries(60, 1).binCount, 1);
    assert.equal(new BinnedSeries(0.1, 3).binCount, 30); // 3 / 0.1 = 30.000000000000004 in floating point
    assert.throws(() => new BinnedSeries(0, 10), RangeError);
    assert.throws(() => new BinnedSeries(1, -10), RangeError);
  });
});

describe('BinnedTimeWeighted', () => {
  test('hand-worked example across bin edges', () => {
    // bins of 10 s over 30 s: [0,10) [10,20) [20,…); value 1 from t = 0
    //   1 on [0,4), 3 on [4,12), a momentary 7 at t = 12, 0 on [12,15), 5 on [15,33)
    // bin 0 area: 1·4 + 3·6      = 22 → mean 2.2, max 3
    // bin 1 area: 3·2 + 0·3 + 5·5 = 31 → mean 3.1, max 7
    // bin 2 area: 5·13            = 65 over the covered 13 s → mean 5, max 5
    const b = new BinnedTimeWeighted(10, 30, 1);
    assert.equal(b.binCount, 3);
    b.set(4, 3);
    b.set(12, 7);
    b.set(12, 0);
    b.add(15, 5);
    assert.equal(b.value, 5);
    b.finish(33);
    const m = b.means();
    near(m[0]!, 2.2);
    near(m[1]!, 3.1);
    near(m[2]!, 5);
    assert.deepEqual(Array.from(b.maxes()), [3, 7, 5]);
  });

  test('partial last bin and bins never reached', () => {
    // bin 10, horizon 25 → 3 bins; the last covers [20,25) when finished at 25
    const b = new BinnedTimeWeighted(10, 25);
    b.set(0, 2);
    b.set(22, 4);
    b.finish(25);
    // bin 2: 2·2 + 4·3 = 16 over 5 s = 3.2
    const m = Array.from(b.means());
    near(m[0]!, 2);
    near(m[1]!, 2);
    near(m[2]!, 3.2);

    const early = new BinnedTimeWeighted(10, 30, 6);
    early.finish(15);
    const em = Array.from(early.means());
    assert.deepEqual(em.slice(0, 2), [6, 6]);
    assert.ok(Number.isNaN(em[2]!), 'bin 2 was never reached');
    assert.ok(Number.isNaN(early.maxes()[2]!));

    const edge = new BinnedTimeWeighted(10, 30, 1);
    edge.finish(20); // bin 2 starts exactly at 20: zero covered width
    assert.ok(Number.isNaN(edge.means()[2]!));
    near(edge.means()[1]!, 1);
  });

  test('time going backwards or negative throws', () => {
    const b = new BinnedTimeWeighted(10, 30);
    b.set(12, 1);
    assert.throws(() => b.set(11, 2), RangeError);
    assert.throws(() => b.finish(5), RangeError);
    assert.throws(() => new BinnedTimeWeighted(10, 30).set(-1, 1), RangeError);
    assert.equal(b.value, 1);
  });
});
