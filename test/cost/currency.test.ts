import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRate, RATE_RANGE, RateBook } from '../../src/cost/currency.js';
import { CostOptionError, CurrencyMixError, RateSpecError } from '../../src/cost/errors.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { costMessages } from '../../src/cost/messages.js';
import { commandLine } from '../../src/cost/sources.js';
import { EXIT } from '../../src/errors.js';
import { catalogs, inputs, NETWORK, SAAS, STORAGE } from './fixtures.js';

/** Testcloud again, its instances priced in USD (storage and egress stay in EUR). */
const USD_COMPUTE = `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,medium,4,8,20.00,USD,false,test,2026-01-01
Testcloud,r1,large,8,16,35.00,USD,false,test,2026-01-01
`;
const files = { 'compute.csv': USD_COMPUTE, 'storage.csv': STORAGE, 'network.csv': NETWORK, 'saas.csv': SAAS };
const base = { currency: 'EUR', labourRate: 50, sensitivity: false } as const;

test('mixing currencies without a rate is an error naming both currencies', () => {
  const i = inputs({ growthPerMonth: 0 });
  assert.throws(
    () => estimateCost(i, catalogs(files), { ...base, providers: ['Testcloud'] }),
    (e: unknown) =>
      e instanceof CurrencyMixError && e.from === 'USD' && e.to === 'EUR' && e.code === 'cost.rate-missing' && e.message === costMessages.missingRate('USD', 'EUR', 'Testcloud r1'),
  );
  // Not named: left out with a note, never converted silently.
  const r = estimateCost(i, catalogs(files), base);
  assert.equal(r.selfHost, null);
  assert.ok(r.notes.some((n) => /Testcloud r1: compute priced in USD and no rate to EUR was given \(add --rate USD:EUR=<rate>\)/.test(n)));
  assert.deepEqual(r.rates, []);
});

test('with a rate the figures are converted and the report names the rate', () => {
  const i = inputs({ growthPerMonth: 0 });
  const r = estimateCost(i, catalogs(files), { ...base, rates: ['USD:EUR=0.5'] });
  // 3 cores / 6 GiB -> medium, 20.00 USD x 0.5 = 10.00 EUR a month.
  assert.equal(r.selfHost!.byMonth[0]!.compute, 10);
  assert.deepEqual(r.rates, [{ from: 'USD', to: 'EUR', rate: 0.5, stated: 'USD:EUR=0.5', inverse: false, usedFor: ['Testcloud r1'] }]);
  assert.equal(r.assumptions.find((a) => a.name === 'exchange rates')!.value, '1 USD = 0.5 EUR (stated USD:EUR=0.5)');
  // The inverse of a stated rate works too, and is reported as such.
  const inv = estimateCost(i, catalogs(files), { ...base, rates: ['EUR:USD=2'] });
  assert.equal(inv.selfHost!.byMonth[0]!.compute, 10);
  assert.deepEqual(inv.rates[0], { from: 'USD', to: 'EUR', rate: 0.5, stated: 'EUR:USD=2', inverse: true, usedFor: ['Testcloud r1'] });
});

test('the labour rate is converted only through a stated rate', () => {
  const labour = `item,use,value,unit,currency,source,as_of
Admin wage,wage,40,per hour,USD,test,2026-01
`;
  const i = inputs({ growthPerMonth: 0 });
  const eur = { 'compute.csv': USD_COMPUTE.replace(/USD/g, 'EUR'), 'storage.csv': STORAGE, 'network.csv': NETWORK, 'labour.csv': labour };
  assert.throws(
    () => estimateCost(i, catalogs(eur), { currency: 'EUR', sensitivity: false }),
    (e: unknown) => e instanceof CurrencyMixError && e.message === costMessages.missingRate('USD', 'EUR', 'labour rate'),
  );
  const r = estimateCost(i, catalogs(eur), { currency: 'EUR', rates: ['USD:EUR=0.9'], sensitivity: false });
  // 40 USD x 0.9 = 36 EUR per hour; hours 5 + 0.1 + 2 = 7.1 -> 255.60 a month.
  assert.equal(r.selfHost!.byMonth[0]!.labour, 255.6);
  assert.deepEqual(r.rates[0]!.usedFor, ['labour rate']);
  assert.match(r.assumptions.find((a) => a.name === 'labour rate')!.source, /converted to EUR at USD:EUR=0\.9/);
  // Without --currency the report takes the wage's currency.
  const usd = estimateCost(i, catalogs({ ...eur, 'compute.csv': USD_COMPUTE }), { sensitivity: false });
  assert.equal(usd.currency, 'USD');
});

test('rates are parsed strictly', () => {
  assert.deepEqual(parseRate('usd:eur=0.92'), { from: 'USD', to: 'EUR', rate: 0.92, stated: 'USD:EUR=0.92' });
  const rate = commandLine('--rate');
  assert.throws(
    () => parseRate('USD-EUR 0.92'),
    (e: unknown) => e instanceof RateSpecError && e.code === 'cost.rate' && e.exitCode === EXIT.usage && e.message === costMessages.rateForm(rate, 'USD-EUR 0.92'),
  );
  assert.throws(() => parseRate('USD:EUR=-1'), { message: costMessages.rateProblems(rate, 'USD:EUR=-1', [costMessages.rateOutOfRange('-1', RATE_RANGE)]) });
  assert.throws(() => parseRate('USD:XXX=1'), { message: costMessages.rateProblems(rate, 'USD:XXX=1', [costMessages.unknownRateCurrency('XXX')]) });
  assert.throws(() => new RateBook([parseRate('USD:EUR=0.9'), parseRate('EUR:USD=2')]), { message: costMessages.ratesDisagree('USD:EUR=0.9', rate, 'EUR:USD=2', rate) });
  assert.throws(
    () => estimateCost(inputs(), catalogs(files), { ...base, currency: 'EURO' }),
    (e: unknown) => e instanceof CostOptionError && e.code === 'cost.currency' && e.message === costMessages.unknownCurrency(commandLine('--currency'), 'EURO'),
  );
});
