import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAmount, formatBytes, formatCount, formatMilliseconds, formatMoney, formatNumber, formatSeconds, formatShare, formatWholeMoney } from '../../src/format/index.js';

describe('counts and numbers', () => {
  it('formatCount rounds halves up and separates thousands', () => {
    assert.equal(formatCount(1234567.8), '1,234,568');
    assert.equal(formatCount(2.5), '3');
    assert.equal(formatCount(-1234.5), '-1,234');
    assert.equal(formatCount(NaN), 'NaN');
    assert.equal(formatCount(Infinity), 'Infinity');
  });

  it('formatNumber: separators from 1,000, else three significant digits', () => {
    assert.equal(formatNumber(1234.5), '1,235');
    assert.equal(formatNumber(-999.95), '-1000');
    assert.equal(formatNumber(0.012345), '0.0123');
    assert.equal(formatNumber(0), '0');
    assert.equal(formatNumber(NaN), '–');
  });

  it('formatShare: a percentage with one decimal', () => {
    assert.equal(formatShare(0.35), '35.0%');
    assert.equal(formatShare(0.12345), '12.3%');
    assert.equal(formatShare(Infinity), '–');
  });

  it('formatBytes: binary units, about three significant figures', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.50 KiB');
    assert.equal(formatBytes(15.5 * 1024 ** 2), '15.5 MiB');
    assert.equal(formatBytes(150 * 1024 ** 3), '150 GiB');
    assert.equal(formatBytes(-2048), '-2.00 KiB');
    assert.equal(formatBytes(2 * 1024 ** 6), '2048 PiB');
  });

  it('formatMilliseconds: ms, then s, min and h', () => {
    assert.equal(formatMilliseconds(547.2), '547 ms');
    assert.equal(formatMilliseconds(9_999), '9999 ms');
    assert.equal(formatMilliseconds(90_000), '90.0 s');
    assert.equal(formatMilliseconds(1_800_000), '30 min');
    assert.equal(formatMilliseconds(9_000_000), '2.5 h');
    // 13.2 hours, the p95 of a saturated deployment: never printed as 47,520,000 ms.
    assert.equal(formatMilliseconds(47_520_000), '13.2 h');
    // A difference keeps its sign and its unit.
    assert.equal(formatMilliseconds(-47_520_000), '-13.2 h');
    assert.equal(formatMilliseconds(-12), '-12 ms');
  });

  it('formatSeconds: the same units from seconds', () => {
    assert.equal(formatSeconds(47_520), '13.2 h');
    assert.equal(formatSeconds(6.4166), '6417 ms');
    assert.equal(formatSeconds(12.5), '12.5 s');
  });
});

describe('money', () => {
  it('to the cent, with separators and the currency', () => {
    assert.equal(formatAmount(1313.949), '1,313.95');
    assert.equal(formatAmount(0.5), '0.50');
    assert.equal(formatAmount(-1234.5), '-1,234.50');
    assert.equal(formatMoney(1313.949, 'USD'), '1,313.95 USD');
    assert.equal(formatMoney(59985.61, 'EUR'), '59,985.61 EUR');
  });

  it('in whole units for chart labels', () => {
    assert.equal(formatWholeMoney(44598.6, 'USD'), '44,599 USD');
    assert.equal(formatWholeMoney(0.4, 'EUR'), '0 EUR');
  });

  it('reads as the helpers it replaces did (cli/run.ts, report/figures.ts, cost/estimate.ts, report/charts.ts money0)', () => {
    const money = (x: number, c: string) => `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${c}`;
    const money0 = (x: number, c: string) => `${Math.round(x).toLocaleString('en-US')} ${c}`;
    for (const x of [0, 0.005, 1.005, 12.345, 999.995, 1e6 / 3, 123456789.125, -42.5]) {
      assert.equal(formatMoney(x, 'USD'), money(x, 'USD'), String(x));
      assert.equal(formatWholeMoney(x, 'USD'), money0(x, 'USD'), String(x));
    }
  });
});
