import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateCost } from '../../src/cost/estimate.js';
import { regrow } from '../../src/cost/selfhost.js';
import { growthRange } from '../../src/cost/sensitivity.js';
import { inputs, testCatalogs } from './fixtures.js';

/*
 * On the hand-computed case (hand.test.ts): total 2,010.05, of which labour
 * 713.20 and setup 1,000.00 (both labour hours x rate), compute 55.00, block
 * 6.25 + object 6.00 + backups 10.00 = 22.25 storage, egress 219.60.
 * Prices move by -30% / +30%, so each price's swing is 0.6 x its lines:
 *   labour rate and labour hours: 0.6 x 1,713.20 = 1,027.92
 *   egress price: 0.6 x 219.60 = 131.76; compute price: 0.6 x 55 = 33.00; storage price: 0.6 x 22.25 = 13.35
 */
test('tornado: each input moved alone, ranked by swing', () => {
  const r = estimateCost(inputs(), testCatalogs(), { currency: 'EUR', labourRate: 50, dbCores: 1, dbRamGiB: 2 });
  const s = r.sensitivity!;
  assert.equal(s.provider, 'Testcloud r1');
  const row = (name: string) => s.inputs.find((x) => x.input === name)!;
  assert.deepEqual(row('labour rate'), { input: 'labour rate', lowValue: 'x0.7', highValue: 'x1.3', totalAtLow: 1496.09, totalAtHigh: 2524.01, swing: 1027.92 });
  assert.equal(row('labour hours').swing, 1027.92);
  assert.equal(row('egress price').swing, 131.76);
  assert.equal(row('compute price').swing, 33);
  assert.equal(row('storage price').swing, 13.35);
  assert.deepEqual(
    s.inputs.slice(0, 2).map((x) => x.input),
    ['labour hours', 'labour rate'],
  );
  for (let k = 1; k < s.inputs.length; k++) assert.ok(s.inputs[k - 1]!.swing >= s.inputs[k]!.swing);
  assert.equal(s.inputs.length, 9);
  const g = row('growth per month');
  assert.equal(g.lowValue, '0%/month');
  assert.equal(g.highValue, '40%/month');
  // Range: every input at its cheaper (dearer) end together.
  assert.equal(s.range.typical, r.selfHost!.horizonTotal);
  assert.ok(s.range.low <= Math.min(...s.inputs.map((x) => Math.min(x.totalAtLow, x.totalAtHigh))));
  assert.ok(s.range.high >= Math.max(...s.inputs.map((x) => Math.max(x.totalAtLow, x.totalAtHigh))));
  assert.match(s.range.method, /at once/);
});

test('regrowing storage scales month-on-month increments', () => {
  // Increments 10 and 10 at growth 0; at 10% growth they become 10 x 1.1 and 10 x 1.21.
  const out = regrow([5, 15, 25], 0, 0.1);
  assert.equal(out[0], 5);
  assert.ok(Math.abs(out[1]! - 16) < 1e-12);
  assert.ok(Math.abs(out[2]! - 28.1) < 1e-12);
  assert.deepEqual(regrow([1, 2, 3], 0.02, 0.02), [1, 2, 3]);
  assert.deepEqual(growthRange(0.02), { low: 0, high: 0.04 });
  assert.deepEqual(growthRange(0), { low: 0, high: 0.01 });
});
