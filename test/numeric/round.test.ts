import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundDecimals, roundSignificant } from '../../src/numeric/index.js';

describe('roundSignificant', () => {
  it('rounds to significant digits as toPrecision does', () => {
    assert.equal(roundSignificant(1234.5678, 6), 1234.57);
    assert.equal(roundSignificant(0.1 + 0.2, 6), 0.3);
    assert.equal(roundSignificant(-987654321, 3), -988000000);
    assert.equal(roundSignificant(0.000123456789, 3), 0.000123);
    assert.equal(roundSignificant(1.5e-300, 1), 2e-300);
  });

  it('returns 0, -0, NaN and infinities unchanged', () => {
    assert.ok(Object.is(roundSignificant(0, 6), 0));
    assert.ok(Object.is(roundSignificant(-0, 6), -0));
    assert.ok(Number.isNaN(roundSignificant(NaN, 6)));
    assert.equal(roundSignificant(Infinity, 6), Infinity);
    assert.equal(roundSignificant(-Infinity, 6), -Infinity);
  });

  it('is what src/analysis/stat.ts round6 computes', () => {
    const round6 = (x: number) => (!Number.isFinite(x) || x === 0 ? x : Number(x.toPrecision(6)));
    for (const x of [Math.PI, -Math.E * 1e9, 1 / 3, 123456.5, 2 ** -40, 0, -0, NaN]) assert.ok(Object.is(roundSignificant(x, 6), round6(x)), String(x));
  });
});

describe('roundDecimals', () => {
  it('rounds to decimal places, halves up', () => {
    assert.equal(roundDecimals(12.3456, 2), 12.35);
    assert.equal(roundDecimals(2.5, 0), 3);
    assert.equal(roundDecimals(-2.5, 0), -2);
    assert.equal(roundDecimals(0.12345, 4), 0.1235);
    assert.equal(roundDecimals(1234.5, 2), 1234.5);
  });

  it('rounds the binary value: a decimal half that is not representable may go down', () => {
    assert.equal(roundDecimals(1.005, 2), 1); // 1.005 is 1.00499999999999989...
  });

  it('is the cents and 4-decimal rounding of the cost layer', () => {
    for (const x of [0.125, 19.999, 1e6 / 3, 7.77777, 0]) {
      assert.equal(roundDecimals(x, 2), Math.round(x * 100) / 100);
      assert.equal(roundDecimals(x, 4), Math.round(x * 1e4) / 1e4);
    }
  });
});
