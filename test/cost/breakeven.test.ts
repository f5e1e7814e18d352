import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakEvenMonthLinear, breakEvenUsersLinear, breakEvenUsersScan, firstMonthCheaper } from '../../src/cost/breakeven.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { catalogs, inputs, NETWORK, STORAGE } from './fixtures.js';

const ONE_VM = `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,vm,2,4,30.00,EUR,false,test,2026-01-01
`;
const FLAT = `vendor,plan,price_user_month,currency,billing,vat_included,source,as_of
Flatchat,Flat,6.00,EUR,monthly,false,test,2026-01-01
`;

/*
 * Linear case: no growth, constant storage, no egress, so both monthly costs
 * are constant. 100 users, homeserver 1 core / 2 GiB + PostgreSQL 0.5 / 1
 * (default share) on one 2/4 "vm" at 30.00.
 *   self-host a = 30.00 compute
 *               + 5 GiB x 1.25 x 0.10 = 0.625 block
 *               + 5 GiB x 2 copies x 0.10 = 1.00 backups
 *               + (5 + 0.1 + 2) h x 40 = 284.00 labour      = 315.625 a month
 *   setup       = (16 + 4) h x 40 = 800.00
 *   SaaS      b = 100 users x 6.00 = 600.00 a month
 *   m* = 800 / (600 - 315.625) = 2.8132 -> month 3
 *   (month 2: 800 + 631.25 = 1,431.25 > 1,200; month 3: 1,746.875 <= 1,800)
 */
test('break-even month matches the closed form on a linear case', () => {
  const i = inputs({ growthPerMonth: 0, horizonMonths: 24, cores: 1, ramGiB: 2, databaseGiBByMonth: Array(25).fill(5), mediaGiBByMonth: Array(25).fill(0), egressGiBPerMonth: 0 });
  const r = estimateCost(i, catalogs({ 'compute.csv': ONE_VM, 'storage.csv': STORAGE, 'network.csv': NETWORK, 'saas.csv': FLAT }), {
    currency: 'EUR',
    labourRate: 40,
    sensitivity: false,
  });
  const s = r.selfHost!;
  assert.equal(s.monthly, 315.63); // 315.625 rounded to the cent
  assert.equal(s.byMonth[0]!.setup, 800);
  const mStar = breakEvenMonthLinear(800, 315.625, 600)!;
  assert.ok(Math.abs(mStar - 800 / 284.375) < 1e-12);
  const be = r.breakEven[0]!;
  assert.equal(be.month, Math.ceil(mStar));
  assert.equal(be.month, 3);
  assert.match(be.method, /closed form/);
  assert.match(be.statement, /becomes cheaper than Flatchat Flat in month 3/);
  // The scan of the cumulative series agrees with the closed form.
  assert.equal(
    firstMonthCheaper(
      s.byMonth.map((m) => m.cumulative),
      r.saas[0]!.byMonth.map((m) => m.cumulative),
    ),
    3,
  );
});

test('closed form and scan agree on many linear cases', () => {
  for (const [setup, a, b] of [
    [1000, 100, 150],
    [0, 100, 150],
    [500, 200, 200],
    [500, 300, 200],
    [123.45, 10, 10.01],
    [999, 1, 1000],
  ] as const) {
    const H = 60;
    const self = Array.from({ length: H }, (_, k) => setup + a * (k + 1));
    const saas = Array.from({ length: H }, (_, k) => b * (k + 1));
    const m = breakEvenMonthLinear(setup, a, b);
    const closed = m === null ? null : Math.max(1, Math.ceil(m - 1e-9));
    const scanned = firstMonthCheaper(self, saas);
    assert.equal(scanned, closed !== null && closed <= H ? closed : null, `${setup}, ${a}, ${b}`);
  }
});

/*
 * Users: one instance big enough for any user count (1,000 vCPU at 500.00),
 * so compute is fixed; storage and labour grow linearly with users; no egress.
 * At N users (database 10 GiB per 1,000 users, labour 40/h):
 *   self(N) = 500 + (5 + 2) x 40                      fixed F = 780
 *           + N x (10/1000 x 1.25 x 0.10              block   0.00125
 *                  + 10/1000 x 2 x 0.10               backups 0.002
 *                  + 1/1000 x 40)                     labour  0.04      v = 0.04325
 *   SaaS(N) = 2.00 N
 *   N* = F / (p - v) = 780 / 1.95675 = 398.6 -> 399 users
 */
test('break-even users match the closed form when costs are linear in users', () => {
  const huge = `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,huge,1000,4000,500.00,EUR,false,test,2026-01-01
`;
  const cheap = `vendor,plan,price_user_month,currency,billing,vat_included,source,as_of
Cheapchat,Basic,2.00,EUR,monthly,false,test,2026-01-01
`;
  const i = inputs({
    users: 1000,
    growthPerMonth: 0,
    horizonMonths: 12,
    cores: 1,
    ramGiB: 2,
    databaseGiBByMonth: Array(13).fill(10),
    mediaGiBByMonth: Array(13).fill(0),
    egressGiBPerMonth: 0,
  });
  const r = estimateCost(i, catalogs({ 'compute.csv': huge, 'storage.csv': STORAGE, 'network.csv': NETWORK, 'saas.csv': cheap }), {
    currency: 'EUR',
    labourRate: 40,
    sensitivity: false,
  });
  const nStar = breakEvenUsersLinear(780, 0.04325, 2)!;
  assert.ok(Math.abs(nStar - 398.6202) < 1e-3);
  assert.equal(r.breakEven[0]!.users, Math.ceil(nStar));
  assert.equal(r.breakEven[0]!.users, 399);
  assert.match(r.breakEven[0]!.statement, /from about 399 users/);
  // And the month: a = 780 + 43.25 = 823.25 against 2,000 with 800 setup -> m* = 0.68 -> month 1.
  assert.equal(r.breakEven[0]!.month, 1);
});

test('break-even users: none within range, and already at one user', () => {
  assert.equal(
    breakEvenUsersScan((n) => 100 - n * 0, 1000),
    null,
  );
  assert.equal(
    breakEvenUsersScan(() => -1, 1000),
    1,
  );
  // A step: self-host 1,000 up to 500 users, 2,000 above; SaaS 3 per user. Cheaper from 334 to 500,
  // dearer again from 501 (the step), and for good from 2,000 / 3 = 666.7 -> 667.
  const step = (n: number) => (n <= 500 ? 1000 : 2000) - 3 * n;
  assert.equal(breakEvenUsersScan(step, 10000), 667);
  assert.equal(breakEvenUsersLinear(100, 5, 4), null);
});
