/**
 * The shipped reference exchange rates, SaaS seat limits and the buyer's
 * answer with one command: in process, on the tiny Testcloud fixtures and on
 * the shipped catalogs with small inputs (no simulation).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalogs, readDefaultCatalogTexts } from '../../src/cost/catalog.js';
import type { Catalogs } from '../../src/cost/catalog-schema.js';
import { RateBook } from '../../src/cost/currency.js';
import { CatalogError } from '../../src/cost/errors.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { formatCostReport } from '../../src/cost/format.js';
import type { CostInputs } from '../../src/cost/inputs.js';
import { parseReferenceRates, readDefaultReferenceRates } from '../../src/cost/reference-rates.js';
import { saasLabel } from '../../src/cost/saas.js';
import { catalogs, COMPUTE, inputs, NETWORK, STORAGE } from './fixtures.js';

/** Two ECB rates of data/prices/exchange_rates.csv (2026-08-13): 1 EUR = 1.1534 USD, 1 EUR = 0.8549 GBP. */
const RATES = `base,currency,rate,source,as_of
EUR,USD,1.1534,ECB,2026-08-13
EUR,GBP,0.8549,ECB,2026-08-13
`;

test('reference rates: direct, inverse and cross through EUR, each named with its date; a stated rate wins for its pair', () => {
  const ref = parseReferenceRates('rates.csv', RATES);
  const book = new RateBook([], ref);
  assert.equal(book.record('EUR', 'USD', 'a'), 1.1534);
  // Inverse: 1 / 1.1534 = 0.867001907...
  assert.ok(Math.abs(book.record('USD', 'EUR', 'b') - 0.8670019074) < 1e-9);
  // Cross: 1 USD = 0.8549 / 1.1534 GBP = 0.741199930... (by hand: 0.8549 / 1.1534).
  assert.ok(Math.abs(book.convert(100, 'USD', 'GBP', 'c') - 74.11999306) < 1e-6);
  const cross = book.usedRates().find((u) => u.from === 'USD' && u.to === 'GBP')!;
  assert.equal(cross.reference?.cross, true);
  assert.equal(cross.reference?.asOf, '2026-08-13');
  assert.match(cross.stated, /^cross rate through EUR of the reference rates 1 EUR = 1\.1534 USD and 1 EUR = 0\.8549 GBP of 2026-08-13$/);
  // No rate for JPY: null, never a guess.
  assert.equal(book.rateFor('JPY', 'EUR'), null);
  // A stated rate replaces the reference rate for its pair (either direction), and is reported as stated.
  const stated = new RateBook([{ from: 'USD', to: 'EUR', rate: 0.9, stated: 'USD:EUR=0.9' }], ref);
  assert.equal(stated.record('EUR', 'USD', 'd'), 1 / 0.9);
  assert.equal(stated.usedRates()[0]!.reference, undefined);
});

test('an exchange-rate file lists every problem at once, with its line and the value as written', () => {
  const bad = `base,currency,rate,source,as_of
USD,EUR,0.9,ECB,2026-08-13
EUR,USD,0,ECB,2026-08-13
EUR,XXX,1.5,,2026-08-13
`;
  assert.throws(
    () => parseReferenceRates('r.csv', bad),
    (e: unknown) =>
      e instanceof CatalogError &&
      e.problems.some((p) => p.line === 2 && p.columnName === 'base') &&
      e.problems.some((p) => p.line === 3 && p.columnName === 'rate' && /"0"|\b0\b/.test(p.message)) &&
      e.problems.some((p) => p.line === 4 && p.columnName === 'currency') &&
      e.problems.some((p) => p.line === 4 && p.columnName === 'source'),
  );
  // The shipped file parses: one EUR-based row per currency, each dated.
  const shipped = readDefaultReferenceRates();
  assert.ok(shipped.length >= 8);
  for (const r of shipped) assert.ok(r.base === 'EUR' && r.asOf === '2026-08-13' && r.source !== '');
});

/** Testcloud in EUR, and two SaaS plans: a cheap one capped at 300 users, a dearer one without a cap. */
const CAPPED_SAAS = `vendor,plan,price_user_month,currency,billing,min_users,max_users,vat_included,source,as_of,status
Chatco,Small,3.00,EUR,annual,,300,false,test,2026-01-01,ok
Chatco,Big,5.00,EUR,annual,,,false,test,2026-01-01,ok
`;

test('a SaaS plan capped below the users of the horizon is left out with one note line, never named the cheapest', () => {
  const files = { 'compute.csv': COMPUTE, 'storage.csv': STORAGE, 'network.csv': NETWORK, 'saas.csv': CAPPED_SAAS };
  const opts = { currency: 'EUR', labourRate: 50, sensitivity: false, breakEvenUsers: false } as const;
  // 100 users growing 20% a month: 144 at month 2, under the cap; both plans, the capped one cheapest.
  const small = estimateCost(inputs(), catalogs(files), opts);
  assert.deepEqual(
    small.saas.map((s) => s.plan),
    ['Small', 'Big'],
  );
  // 250 users growing 20%: 250 x 1.2^2 = 360 at month 2, above 300: left out, with one note line.
  const over = estimateCost(inputs({ users: 250 }), catalogs(files), opts);
  assert.deepEqual(
    over.saas.map((s) => s.plan),
    ['Big'],
  );
  const lines = over.notes.filter((n) => /capped below/.test(n));
  assert.deepEqual(lines, ['SaaS plans left out, capped below the 360 users of month 2 (their seat limit): Chatco Small (up to 300)']);
  // Named with --saas, it is kept (the user asked for it), and the plan's own note says from when it is exceeded.
  const named = estimateCost(inputs({ users: 250 }), catalogs(files), { ...opts, saas: ['Chatco/Small'] });
  assert.match(named.saas[0]!.notes[0]!, /exceed the plan's maximum of 300/);
});

/** The shipped catalogs with the shipped reference rates, as `mxsim cost` loads them. */
let shipped: Catalogs | undefined;
const shippedCatalogs = () => (shipped ??= { ...loadCatalogs(readDefaultCatalogTexts()), exchangeRates: readDefaultReferenceRates() });

/** A small deployment's figures (as a run's summary gives them), for `users` users over 12 months. */
function buyer(users: number): CostInputs {
  const months = 13;
  return {
    users,
    growthPerMonth: 0,
    horizonMonths: 12,
    cores: 8,
    ramGiB: 16,
    processes: 4,
    deployment: 'workers',
    databaseGiBByMonth: Array.from({ length: months }, (_, m) => 50 + 5 * m),
    mediaGiBByMonth: Array.from({ length: months }, (_, m) => 100 + 20 * m),
    egressGiBPerMonth: 3000,
  };
}

test('a 5,000-user EUR buyer gets, with no --rate, a ranked table with Hetzner and OVHcloud and the best purchasable SaaS plan', () => {
  const r = estimateCost(buyer(5000), shippedCatalogs(), { currency: 'EUR', sensitivity: false, breakEvenUsers: false });
  const offers = [r.selfHost!, ...r.alternatives];
  const providers = offers.map((o) => o.provider);
  assert.ok(providers.includes('Hetzner'), providers.join(', '));
  assert.ok(providers.includes('OVHcloud'), providers.join(', '));
  // Ranked: cheapest over the horizon first.
  for (let i = 1; i < offers.length; i++) assert.ok(offers[i - 1]!.horizonTotal <= offers[i]!.horizonTotal);
  // USD providers are converted with the ECB rate of 2026-08-13, named with its date.
  const usd = r.rates.find((x) => x.from === 'USD' && x.to === 'EUR')!;
  assert.equal(usd.reference?.asOf, '2026-08-13');
  // No note both prices and leaves out the same provider and region.
  for (const o of offers) assert.ok(!r.notes.some((n) => n.startsWith(`left out: ${o.label}:`)), o.label);
  // The cheapest SaaS plan can be bought for 5,000 users (the Microsoft Business plans stop at 300).
  const best = [...r.saas].sort((a, b) => a.horizonTotal - b.horizonTotal)[0]!;
  assert.ok(!/Business|Essentials/.test(best.plan), saasLabel(best));
  // Labour is its own line, in EUR from Eurostat's euro-area labour cost (37.3 EUR per hour, loaded).
  assert.equal(r.labour?.rate, 37.3);
  assert.equal(r.labour?.region, 'euro area');
  // The printed table: rows left out in one line, the labour line with its override, the rate with its date.
  const text = formatCostReport(r);
  assert.match(text, /^\d+ catalog rows left out: \d+ historical, .*\(mxsim cost --verbose lists them/m);
  assert.ok(!/^Excluded catalog rows/m.test(text));
  assert.match(text, /Labour on Hetzner EU: 37\.30 EUR per hour \(loaded labour cost, euro area\)/);
  assert.match(text, /change it: --labour-rate X/);
  assert.match(text, /1 USD = 0\.867002 EUR \(inverse of the reference rate 1 EUR = 1\.1534 USD of 2026-08-13; ECB/);
  assert.match(formatCostReport(r, 'Cost', { verbose: true }), /^Excluded catalog rows \(\d+\)$/m);
});

test('a 30,000-user run never names a plan capped below 30,000 users; the US wage is said to be one', () => {
  const r = estimateCost(buyer(30_000), shippedCatalogs(), { currency: 'USD', sensitivity: false, breakEvenUsers: false });
  const capped = loadCatalogs(readDefaultCatalogTexts()).saas.filter((s) => s.maxUsers !== null && s.maxUsers < 30_000);
  assert.ok(capped.length >= 4);
  for (const s of r.saas) assert.ok(!capped.some((c) => c.vendor === s.vendor && c.plan === s.plan), saasLabel(s));
  assert.equal(r.notes.filter((n) => /capped below the 30,000 users/.test(n)).length, 1);
  // In USD the rate is the BLS wage x loading (96,800 / 2,080 x 1.325 = 61.66 USD per hour), a US wage.
  assert.equal(r.labour?.rate, 61.66);
  assert.equal(r.labour?.region, 'US');
  assert.match(formatCostReport(r), /61\.66 USD per hour \(a US wage x employer loading\)/);
});

test('--no-default-rates converts with stated rates only: USD providers are left out of a EUR report with a note', () => {
  const r = estimateCost(buyer(5000), shippedCatalogs(), { currency: 'EUR', defaultRates: false, sensitivity: false, breakEvenUsers: false });
  assert.ok(![r.selfHost!, ...r.alternatives].some((o) => o.provider === 'AWS'));
  assert.ok(r.notes.some((n) => /AWS us-east-1: .*no rate to EUR was given/.test(n)));
  assert.deepEqual(
    r.rates.filter((x) => x.reference),
    [],
  );
});
