import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binIndex } from '../../src/numeric/index.js';

describe('binIndex', () => {
  it('puts a time in the bin that starts at or before it', () => {
    assert.equal(binIndex(0, 900, 96), 0);
    assert.equal(binIndex(899.999, 900, 96), 0);
    assert.equal(binIndex(900, 900, 96), 1); // a boundary opens the next bin
    assert.equal(binIndex(85_499.5, 900, 96), 94);
  });

  it('sends the horizon and anything after it to the last bin', () => {
    assert.equal(binIndex(86_400, 900, 96), 95); // exactly the horizon
    assert.equal(binIndex(86_400 + 1e-9, 900, 96), 95);
    assert.equal(binIndex(1e12, 900, 96), 95);
    // A horizon that is not a whole number of bins: the last bin is short.
    assert.equal(binIndex(21_600, 3600, 6), 5);
    assert.equal(binIndex(20_000, 3600, 6), 5);
  });

  it('clamps a negative time to the first bin, and one bin holds everything', () => {
    assert.equal(binIndex(-1, 60, 10), 0);
    assert.equal(binIndex(-0, 60, 10), 0);
    assert.equal(binIndex(12_345, 60, 1), 0);
  });

  it('rounds the quotient once: floor of the floating-point division', () => {
    // 0.3 / 0.1 = 2.9999999999999996, so 0.3 s is in bin 2 of 0.1 s bins; 3 * 0.1 = 0.30000000000000004.
    assert.equal(binIndex(0.3, 0.1, 10), 2);
    assert.equal(binIndex(3 * 0.1, 0.1, 10), 3);
    // Half-second steps and whole-second bins are exact.
    for (let t = 0; t < 3600; t += 0.5) assert.equal(binIndex(t, 60, 60), Math.trunc(t / 60));
  });

  it('gives NaN for a NaN time', () => {
    assert.ok(Number.isNaN(binIndex(NaN, 60, 10)));
  });
});
