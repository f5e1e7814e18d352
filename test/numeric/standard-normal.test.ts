import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { standardNormal } from '../../src/numeric/index.js';
import { createStream } from '../../src/engine/random.js';

/** A source that returns `values` in order, and counts the draws. */
function scripted(...values: number[]): (() => number) & { draws: number } {
  const f = Object.assign(() => values[f.draws++]!, { draws: 0 });
  return f;
}

describe('standardNormal', () => {
  it('is Box-Muller with the radius drawn first and the angle second', () => {
    // u1 = 1 - e^(-1/2) gives radius sqrt(-2 ln e^(-1/2)) = 1; u2 = 1/8 gives the angle π/4.
    const rng = scripted(1 - Math.exp(-0.5), 0.125);
    assert.ok(Math.abs(standardNormal(rng) - Math.SQRT1_2) < 1e-15);
    assert.equal(rng.draws, 2);
    // The other order would give sqrt(-2 ln(7/8)) cos(2π (1 - e^(-1/2))), a different number.
    const swapped = scripted(0.125, 1 - Math.exp(-0.5));
    assert.ok(Math.abs(standardNormal(swapped) - Math.SQRT1_2) > 0.1);
  });

  it('is exactly the expression the model and server sample with', () => {
    const a = createStream('1', 'box-muller');
    const b = createStream('1', 'box-muller');
    for (let i = 0; i < 1000; i++) {
      assert.equal(standardNormal(a), Math.sqrt(-2 * Math.log(1 - b())) * Math.cos(2 * Math.PI * b()));
    }
  });

  it('has mean 0 and variance 1', () => {
    const rng = createStream('2', 'moments');
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const z = standardNormal(rng);
      sum += z;
      squares += z * z;
    }
    const mean = sum / n;
    // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance; 5 of each.
    assert.ok(Math.abs(mean) < 0.011, `mean ${mean}`);
    assert.ok(Math.abs(squares / n - mean * mean - 1) < 0.016, `variance ${squares / n}`);
  });

  it('is finite for u1 = 0 and for u1 just below 1', () => {
    assert.equal(standardNormal(scripted(0, 0.3)), 0);
    assert.ok(Number.isFinite(standardNormal(scripted(1 - 2 ** -53, 0))));
  });
});
