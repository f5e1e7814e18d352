/**
 * The quantile sketch allocates only the buckets its values need, and
 * answers exactly as the fully allocated histogram did.
 *
 * Why it matters: the homeserver model keeps one sketch per time bin for the
 * local-send latency (src/server/server.ts), so a run with fine bins holds
 * hundreds of thousands of sketches, nearly all empty. With every sketch
 * allocating its 2,419 buckets up front, the 144,000-bin run of
 * test/model/laws.test.ts needed about 2.9 GB; the pinned fingerprints
 * (test/model/scenarios.test.ts) must not move, so the answers have to be the
 * same to the bit, not merely within alpha.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuantileSketch } from '../../src/engine/quantile-sketch.js';

/**
 * The dense sketch as it was in src/engine/stats.ts up to commit 365b144
 * (one Float64Array over every bucket index, allocated in the constructor),
 * kept here verbatim in its arithmetic as the reference the sparse one must
 * match bit for bit.
 */
class DenseSketch {
  readonly alpha: number;
  private readonly gamma: number;
  private readonly invLogGamma: number;
  private readonly minIndex: number;
  private readonly maxIndex: number;
  readonly counts: Float64Array;
  private zeroCount = 0;
  private highCount = 0;
  private total = 0;
  private weightSum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(alpha = 0.01) {
    this.alpha = alpha;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.invLogGamma = 1 / Math.log(this.gamma);
    this.minIndex = Math.ceil(Math.log(QuantileSketch.MIN_TRACKABLE) * this.invLogGamma);
    this.maxIndex = Math.ceil(Math.log(QuantileSketch.MAX_TRACKABLE) * this.invLogGamma);
    this.counts = new Float64Array(this.maxIndex - this.minIndex + 1);
  }

  add(x: number, weight = 1): void {
    if (weight === 0) return;
    if (x < QuantileSketch.MIN_TRACKABLE) {
      this.zeroCount += weight;
    } else if (x > QuantileSketch.MAX_TRACKABLE) {
      this.counts[this.maxIndex - this.minIndex]! += weight; // the last bucket
      this.highCount += weight;
    } else {
      let i = Math.ceil(Math.log(x) * this.invLogGamma);
      if (i < this.minIndex) i = this.minIndex;
      else if (i > this.maxIndex) i = this.maxIndex;
      this.counts[i - this.minIndex]! += weight; // i clamped to [minIndex, maxIndex]
    }
    this.weightSum += weight;
    this.total += x * weight;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
  }

  quantile(q: number): number {
    if (this.weightSum === 0) return NaN;
    if (q === 0) return this.lo;
    if (q === 1) return this.hi;
    const rank = q * (this.weightSum - 1);
    let estimate = this.hi;
    let cumulative = this.zeroCount;
    if (cumulative > rank) {
      estimate = 0;
    } else {
      const counts = this.counts;
      for (let k = 0; k < counts.length; k++) {
        cumulative += counts[k]!;
        if (cumulative > rank) {
          estimate = (2 * Math.pow(this.gamma, k + this.minIndex)) / (this.gamma + 1);
          break;
        }
      }
    }
    return estimate < this.lo ? this.lo : estimate > this.hi ? this.hi : estimate;
  }

  merge(other: DenseSketch): void {
    const a = this.counts;
    const b = other.counts;
    for (let k = 0; k < a.length; k++) a[k]! += b[k]!; // both sketches have the same buckets
    this.zeroCount += other.zeroCount;
    this.highCount += other.highCount;
    this.weightSum += other.weightSum;
    this.total += other.total;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  reset(): void {
    this.counts.fill(0);
    this.zeroCount = 0;
    this.highCount = 0;
    this.weightSum = 0;
    this.total = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  get count(): number {
    return this.weightSum;
  }
  get sum(): number {
    return this.total;
  }
  get mean(): number {
    return this.weightSum === 0 ? NaN : this.total / this.weightSum;
  }
  get min(): number {
    return this.weightSum === 0 ? NaN : this.lo;
  }
  get max(): number {
    return this.weightSum === 0 ? NaN : this.hi;
  }
  get clampedHigh(): number {
    return this.highCount;
  }
}

/** Numerical Recipes 32-bit LCG (a = 1664525, c = 1013904223), uniform in (0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

/** Every q from 0 to 1 in steps of 0.001, plus the extreme tails. */
const QS = [...Array.from({ length: 1001 }, (_, i) => i / 1000), 1e-6, 0.9999, 0.99999, 0.999999];

/** Same answers, bit for bit (Object.is: NaN equals NaN, 0 differs from -0). */
function assertSame(sparse: QuantileSketch, dense: DenseSketch, what: string): void {
  for (const field of ['count', 'sum', 'mean', 'min', 'max', 'clampedHigh'] as const) {
    assert.ok(Object.is(sparse[field], dense[field]), `${what}: ${field} ${sparse[field]} vs dense ${dense[field]}`);
  }
  for (const q of QS) {
    const a = sparse.quantile(q);
    const b = dense.quantile(q);
    assert.ok(Object.is(a, b), `${what}: quantile(${q}) ${a} vs dense ${b}`);
  }
}

/**
 * A fixed sample of latency-like values (seconds): lognormal around 0.2 s
 * with a heavy tail, some exact zeros and values below MIN_TRACKABLE, a few
 * above MAX_TRACKABLE (clamped), and weights other than 1, in an order that
 * makes the sparse window grow both down and up several times.
 */
function sample(seed: number, n: number): { x: number; w: number }[] {
  const u = lcg(seed);
  const out: { x: number; w: number }[] = [];
  for (let i = 0; i < n; i++) {
    const r = u();
    let x: number;
    if (r < 0.02) x = 0;
    else if (r < 0.03) x = 1e-12 * u();
    else if (r < 0.035) x = 1e12 * (1 + 10 * u());
    else if (r < 0.1)
      x = Math.exp(60 * u() - 25); // anywhere in the trackable range
    else x = Math.exp(Math.log(0.2) + 1.2 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
    const w = u() < 0.1 ? Math.floor(1 + 5 * u()) : u() < 0.02 ? 0 : 1;
    out.push({ x, w });
  }
  return out;
}

describe('QuantileSketch equals the dense histogram bit for bit', () => {
  test('adds, on a fixed sample of 20,000 weighted values', () => {
    const sparse = new QuantileSketch();
    const dense = new DenseSketch();
    assertSame(sparse, dense, 'empty');
    for (const [i, { x, w }] of sample(1, 20_000).entries()) {
      sparse.add(x, w);
      dense.add(x, w);
      if (i < 50 || i % 997 === 0) assertSame(sparse, dense, `after ${i + 1} adds`);
    }
    assertSame(sparse, dense, 'all adds');
  });

  test('a window that grows one bucket at a time, downward and upward', () => {
    // The worst case for the window: every value just outside it.
    const sparse = new QuantileSketch();
    const dense = new DenseSketch();
    for (let k = 0; k < 600; k++) {
      for (const x of [0.5 * 1.0202 ** k, 0.5 / 1.0202 ** k]) {
        sparse.add(x);
        dense.add(x);
      }
    }
    assertSame(sparse, dense, 'spreading values');
    assert.ok(sparse.bucketCount <= sparse.bucketLimit);
  });

  test('merges: disjoint, overlapping, into and from empty sketches, into itself', () => {
    const parts = [sample(2, 3000), sample(3, 10), [], sample(4, 5000), [{ x: 0, w: 3 }], [{ x: 5e13, w: 1 }]];
    // Shift some parts so that windows are disjoint: values 1e4 times larger.
    const shifted = parts.map((p, i) => (i % 2 === 1 ? p.map(({ x, w }) => ({ x: x * 1e4, w })) : p));
    const sparse = shifted.map(() => new QuantileSketch());
    const dense = shifted.map(() => new DenseSketch());
    shifted.forEach((p, i) => {
      for (const { x, w } of p) {
        sparse[i]!.add(x, w);
        dense[i]!.add(x, w);
      }
      assertSame(sparse[i]!, dense[i]!, `part ${i}`);
    });
    // Into an empty sketch, then every part in turn (the summary's merges over replications).
    const allSparse = new QuantileSketch();
    const allDense = new DenseSketch();
    for (let i = 0; i < shifted.length; i++) {
      allSparse.merge(sparse[i]!);
      allDense.merge(dense[i]!);
      assertSame(allSparse, allDense, `merged 0..${i}`);
    }
    // Part 1 (10 values, far to the right) absorbs part 0, then itself.
    sparse[1]!.merge(sparse[0]!);
    dense[1]!.merge(dense[0]!);
    assertSame(sparse[1]!, dense[1]!, 'small absorbs large');
    sparse[1]!.merge(sparse[1]!);
    dense[1]!.merge(dense[1]!);
    assertSame(sparse[1]!, dense[1]!, 'merged into itself');
    // The merged-in sketches are unchanged.
    assertSame(sparse[3]!, dense[3]!, 'part 3 after being merged');
  });

  test('reset keeps answering like a fresh dense sketch', () => {
    const sparse = new QuantileSketch();
    const dense = new DenseSketch();
    for (const { x, w } of sample(5, 2000)) sparse.add(x, w);
    sparse.reset();
    assertSame(sparse, dense, 'after reset');
    for (const { x, w } of sample(6, 2000)) {
      sparse.add(x, w);
      dense.add(x, w);
    }
    assertSame(sparse, dense, 'refilled after reset');
  });

  test('other alphas', () => {
    for (const alpha of [0.001, 0.05, 0.2]) {
      const sparse = new QuantileSketch(alpha);
      const dense = new DenseSketch(alpha);
      for (const { x, w } of sample(7, 5000)) {
        sparse.add(x, w);
        dense.add(x, w);
      }
      assertSame(sparse, dense, `alpha ${alpha}`);
      assert.equal(sparse.bucketLimit, dense.counts.length, `alpha ${alpha}: the limit is the dense size`);
    }
  });
});

describe('QuantileSketch memory', () => {
  test('the bucket limit is the index range over [1e-9, 1e12]', () => {
    // gamma = 1.01 / 0.99; indexes ceil(ln(1e-9) / ln gamma) = -1036 to
    // ceil(ln(1e12) / ln gamma) = 1382, so 1382 + 1036 + 1 = 2,419 buckets.
    const gamma = 1.01 / 0.99;
    assert.equal(Math.ceil(Math.log(1e-9) / Math.log(gamma)), -1036);
    assert.equal(Math.ceil(Math.log(1e12) / Math.log(gamma)), 1382);
    assert.equal(new QuantileSketch(0.01).bucketLimit, 2419);
  });

  test('an empty sketch allocates no bucket; one value allocates 32', () => {
    const s = new QuantileSketch();
    // Read afresh each time: assert.equal on the property itself would narrow its type to the value.
    const buckets = (): number => s.bucketCount;
    assert.equal(buckets(), 0);
    s.add(0, 5); // the zero bucket is a field, not an array entry
    assert.equal(buckets(), 0);
    s.add(0.25);
    assert.equal(buckets(), 32);
    // A 250 ms latency and 10 s are ln(40) / ln(gamma) = 184 buckets apart:
    // the window covers both, far short of the 2,419 of the whole range.
    s.add(10);
    assert.ok(buckets() >= 185 && buckets() <= 400, `bucketCount ${buckets()}`);
  });

  test('memory follows the spread of the values, not their number, and never exceeds the limit', () => {
    const s = new QuantileSketch();
    const u = lcg(7);
    for (let i = 0; i < 200_000; i++) s.add(0.05 + 0.1 * u()); // 50 to 150 ms: 56 buckets apart
    const narrow = s.bucketCount;
    assert.ok(narrow >= 56 && narrow <= 128, `bucketCount ${narrow} for values between 50 and 150 ms`);
    for (let i = 0; i < 200_000; i++) s.add(Math.exp(60 * u() - 25)); // spans the whole range
    assert.equal(s.bucketCount, s.bucketLimit);
    for (let i = 0; i < 200_000; i++) s.add(Math.exp(60 * u() - 25));
    assert.equal(s.bucketCount, s.bucketLimit, 'no growth with more observations');
  });

  test('100,000 empty sketches and 10,000 with one latency each cost a few megabytes, not gigabytes', () => {
    // Typed arrays live outside the JavaScript heap, in `arrayBuffers`. The
    // dense sketch allocated 2,419 x 8 = 19,352 bytes each: 1.9 GB for the
    // empty sketches and 194 MB for the others. The sparse one: nothing for
    // an empty sketch, 32 x 8 = 256 bytes for one value.
    const before = process.memoryUsage().arrayBuffers;
    const empty = Array.from({ length: 100_000 }, () => new QuantileSketch());
    const afterEmpty = process.memoryUsage().arrayBuffers;
    const one = Array.from({ length: 10_000 }, (_, i) => {
      const s = new QuantileSketch();
      s.add(0.1 + i / 1e5);
      return s;
    });
    const afterOne = process.memoryUsage().arrayBuffers;
    assert.equal(
      empty.reduce((n, s) => n + s.bucketCount, 0),
      0,
    );
    assert.equal(
      one.reduce((n, s) => n + s.bucketCount, 0),
      10_000 * 32,
    );
    assert.ok(afterEmpty - before < 1e6, `100,000 empty sketches: ${afterEmpty - before} bytes of typed arrays`);
    assert.ok(afterOne - afterEmpty < 10e6, `10,000 sketches with one value: ${afterOne - afterEmpty} bytes of typed arrays`);
    assert.ok(afterOne - afterEmpty >= 10_000 * 256 * 0.9, 'the measurement sees the buckets (guards against a test that cannot fail)');
  });
});
