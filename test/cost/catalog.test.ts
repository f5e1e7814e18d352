import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG_KINDS, describeKinds, KINDS, type CatalogProblem } from '../../src/cost/catalog-schema.js';
import { loadCatalogs, readDefaultCatalogTexts, statusCounts } from '../../src/cost/catalog.js';
import { CatalogError } from '../../src/cost/errors.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { costMessages as m } from '../../src/cost/messages.js';
import { commandLine } from '../../src/cost/sources.js';
import { EXIT } from '../../src/errors.js';
import { catalogs, COMPUTE, inputs, NETWORK, SAAS, STORAGE, testCatalogs } from './fixtures.js';

const problemsOf = (files: Record<string, string>): readonly CatalogProblem[] => {
  try {
    loadCatalogs(Object.entries(files).map(([file, text]) => ({ file, text })));
  } catch (e) {
    if (e instanceof CatalogError) return e.problems;
    throw e;
  }
  assert.fail('expected a CatalogError');
};

test('a custom catalog with a cheaper instance lowers the compute line', () => {
  const i = inputs({ growthPerMonth: 0 });
  const o = { currency: 'EUR', labourRate: 50, sensitivity: false } as const;
  const before = estimateCost(i, testCatalogs(), o).selfHost!;
  // 3 cores and 6 GiB at month 1: "medium" at 20.00 a month, 40.00 over two months.
  assert.equal(before.breakdown.compute, 40);
  const mine = `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,bargain-4,4,8,12.50,EUR,false,my quote,2026-03-01
`;
  const after = estimateCost(i, testCatalogs({ 'mine.csv': mine }), o).selfHost!;
  assert.equal(after.breakdown.compute, 25);
  assert.equal(after.hosts[0]!.instance, 'bargain-4');
  assert.deepEqual(after.hosts[0]!.row, { file: 'mine.csv', line: 2 });
  // Everything else is unchanged.
  assert.equal(after.horizonTotal, before.horizonTotal - 15);
});

test('bad catalogs: every problem at once, each with file, line and column', () => {
  const missing = `provider,region,instance,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,small,4,10,EUR,false,test,2026-01-01
`;
  const bad = `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,ok,2,4,10,EUR,false,test,2026-01-01
Testcloud,r1,priced-wrong,2,4,ten euros,EUR,false,test,2026-01-01
Testcloud,r1,odd-money,2,4,10,EURO,false,test,2026-01-01
Testcloud,r1,both,two,4,1O,XYZ,maybe,test,2026-01-01
`;
  const unknown = `name,cost
x,1
`;
  const problems = problemsOf({ 'missing.csv': missing, 'bad.csv': bad, 'unknown.csv': unknown });
  const monthly = 'a price per month (or price_hour)';
  assert.deepEqual(problems, [
    { file: 'missing.csv', line: 1, column: null, columnName: 'vcpu', message: m.missingColumn('compute', KINDS.compute.required) },
    { file: 'bad.csv', line: 3, column: 6, columnName: 'price_month', message: m.expectedValue(monthly, 'ten euros') },
    { file: 'bad.csv', line: 4, column: 7, columnName: 'currency', message: m.unknownCatalogCurrency('EURO') },
    { file: 'bad.csv', line: 5, column: 4, columnName: 'vcpu', message: m.expectedValue('a vCPU count', 'two') },
    { file: 'bad.csv', line: 5, column: 6, columnName: 'price_month', message: m.expectedValue(monthly, '1O') },
    { file: 'bad.csv', line: 5, column: 7, columnName: 'currency', message: m.unknownCatalogCurrency('XYZ') },
    { file: 'bad.csv', line: 5, column: 8, columnName: 'vat_included', message: m.expectedBoolean('maybe') },
    { file: 'unknown.csv', line: 1, column: null, columnName: null, message: m.unknownHeader(['name', 'cost'], describeKinds()) },
  ]);
  // Printed as FILE:LINE: column N (NAME): message, under one headline; exit 3.
  assert.equal(m.catalogProblem(problems[1]!), 'bad.csv:3: column 6 (price_month): expected a price per month (or price_hour), got "ten euros"');
  assert.equal(m.catalogProblem(problems[0]!), `missing.csv:1: column vcpu: ${m.missingColumn('compute', KINDS.compute.required)}`);
  const error = new CatalogError(problems);
  assert.equal(error.message, [m.catalogHeadline(8), ...problems.map((p) => `  ${m.catalogProblem(p)}`)].join('\n'));
  assert.deepEqual([error.code, error.exitCode], ['catalog.invalid', EXIT.invalidInput]);
});

test('a kind column lets one file hold several kinds; an unknown kind is named', () => {
  const mixed = `kind,provider,region,instance,product,type,vcpu,ram_gib,price_month,price_gib_month,price_gib,currency,vat_included,source,as_of
compute,Testcloud,r1,small,,,2,4,10,,,EUR,false,test,2026-01-01
storage,Testcloud,r1,,ssd,block,,,,0.1,,EUR,false,test,2026-01-01
network,Testcloud,,,egress,,,,,,0.05,EUR,false,test,2026-01-01
gpu,Testcloud,r1,,,,,,,,,EUR,false,test,2026-01-01
`;
  const problems = problemsOf({ 'mixed.csv': mixed });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 5);
  assert.equal(problems[0]!.message, m.unknownRowKind('gpu', CATALOG_KINDS));
  const ok = loadCatalogs([{ file: 'mixed.csv', text: mixed.split('\n').slice(0, 4).join('\n') }]);
  assert.equal(ok.compute.length, 1);
  assert.equal(ok.storage.length, 1);
  assert.equal(ok.network.length, 1);
});

test('hourly-only prices become x 730 a month, and the report says so', () => {
  const hourly = `provider,region,instance,vcpu,ram_gib,price_hour,price_month,currency,vat_included,source,as_of
Testcloud,r1,medium,4,8,0.02,,EUR,false,test,2026-01-01
`;
  const c = catalogs({ 'hourly.csv': hourly });
  assert.ok(Math.abs(c.compute[0]!.priceMonth! - 14.6) < 1e-12);
  assert.equal(c.compute[0]!.monthDerived, true);
  const r = estimateCost(inputs({ growthPerMonth: 0 }), catalogs({ 'hourly.csv': hourly, 'storage.csv': STORAGE, 'network.csv': NETWORK }), {
    currency: 'EUR',
    labourRate: 50,
    sensitivity: false,
  });
  assert.equal(r.selfHost!.byMonth[0]!.compute, 14.6);
  assert.match(r.selfHost!.rows.find((x) => x.file === 'hourly.csv')!.notes, /price_hour x 730/);
});

test('placeholder, historical and quote-only rows are excluded by default, listed, and usable only when named', () => {
  const compute = `${COMPUTE}Testcloud,r1,cheap-old,4,8,5.00,EUR,false,test,2024-01-01,historical
Testcloud,r1,cheap-guess,4,8,6.00,EUR,false,test,2026-01-01,placeholder
Testcloud,r1,call-us,4,8,,,false,test,2026-01-01,quote-only
`;
  const saas = `${SAAS}Chatco,Legacy,1.00,EUR,annual,,false,test,2020-01-01,historical
Chatco,Enterprise,,,annual,,false,test,2026-01-01,quote-only
`;
  const i = inputs({ growthPerMonth: 0 });
  const o = { currency: 'EUR', labourRate: 50, sensitivity: false } as const;
  const r = estimateCost(i, testCatalogs({ 'compute.csv': compute, 'saas.csv': saas }), o);
  assert.equal(r.selfHost!.hosts[0]!.instance, 'medium');
  assert.deepEqual(
    r.excluded.map((e) => [e.file, e.line, e.status]),
    [
      ['compute.csv', 5, 'historical'],
      ['compute.csv', 6, 'placeholder'],
      ['compute.csv', 7, 'quote-only'],
      ['saas.csv', 3, 'historical'],
      ['saas.csv', 4, 'quote-only'],
    ],
  );
  assert.match(r.excluded[0]!.reason, /compute Testcloud \/ cheap-old: historical; use it with --use compute\.csv:5/);
  assert.match(r.excluded[2]!.reason, /quote-only \(no published price\)/);
  assert.deepEqual(
    r.saas.map((s) => s.plan),
    ['Team'],
  );
  // One line counts them (by status, most first); `mxsim cost --verbose` lists them.
  assert.match(r.excludedSummary.line, /^5 catalog rows left out: 2 historical, 2 quote-only, 1 placeholder \(mxsim cost --verbose lists them/);

  // Named by FILE:LINE: the placeholder row is used (it is the cheapest), the others stay out.
  const named = estimateCost(i, testCatalogs({ 'compute.csv': compute, 'saas.csv': saas }), { ...o, use: ['compute.csv:6', 'Chatco/Enterprise'] });
  assert.equal(named.selfHost!.hosts[0]!.instance, 'cheap-guess');
  assert.equal(named.selfHost!.rows.find((x) => x.line === 6)!.status, 'placeholder');
  assert.deepEqual(
    named.excluded.map((e) => e.line),
    [5, 7, 3, 4],
  );
  assert.match(named.excluded.at(-1)!.reason, /named with --use but has no price/);
  // Named by provider: every non-ok row of it.
  const all = estimateCost(i, testCatalogs({ 'compute.csv': compute, 'saas.csv': saas }), { ...o, use: ['testcloud'] });
  assert.equal(all.selfHost!.hosts[0]!.instance, 'cheap-old');
  // A selector that names nothing is a mistake, not a silent no-op.
  assert.throws(() => estimateCost(i, testCatalogs({ 'compute.csv': compute }), { ...o, use: ['compute.csv:99'] }), {
    code: 'cost.use',
    message: m.useMatchesNothing(commandLine('--use'), ['compute.csv:99']),
  });
});

test('rows of another VAT basis are never compared silently', () => {
  const gross = `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Grosscloud,r1,vm,8,16,1.00,EUR,true,test,2026-01-01
`;
  const r = estimateCost(inputs(), testCatalogs({ 'gross.csv': gross }), { currency: 'EUR', labourRate: 50, sensitivity: false });
  assert.equal(r.selfHost!.provider, 'Testcloud');
  assert.ok(r.notes.some((n) => /Grosscloud r1: 1 compute row\(s\) are VAT-included but the report is excl\. VAT/.test(n)));
});

test('the shipped catalogs load cleanly, every row with its source, date and status', () => {
  const c = loadCatalogs(readDefaultCatalogTexts());
  const all = [...c.compute, ...c.storage, ...c.network, ...c.managedPostgres, ...c.saas, ...c.labour];
  for (const r of all) {
    assert.ok(r.source !== '' || r.status !== 'ok', `${r.file}:${r.line} has no source`);
    assert.ok(r.asOf !== '' || r.status !== 'ok', `${r.file}:${r.line} has no as_of`);
  }
  const counts = statusCounts(c);
  assert.deepEqual(counts, {
    // 6 net Hetzner EU rows derived from the gross ones, 2 net Hetzner EU storage rows, 1 Hetzner EU traffic row (2026).
    compute: { ok: 83, placeholder: 0, historical: 27, 'quote-only': 0 },
    storage: { ok: 45, placeholder: 0, historical: 3, 'quote-only': 0 },
    network: { ok: 17, placeholder: 0, historical: 3, 'quote-only': 0 },
    managed_postgres: { ok: 6, placeholder: 8, historical: 2, 'quote-only': 0 },
    saas: { ok: 18, placeholder: 3, historical: 13, 'quote-only': 4 },
    // Eurostat's euro-area labour cost per hour (2024).
    labour: { ok: 23, placeholder: 0, historical: 7, 'quote-only': 0 },
  });
  // Hourly-only AWS prices were made monthly at build time, and say so.
  const t3 = c.compute.find((r) => r.provider === 'AWS' && r.region === 'us-east-1' && r.instance === 't3.small')!;
  assert.equal(t3.priceMonth, 15.184);
  assert.match(t3.notes, /price_hour x 730/);
  // Hetzner's 2026 mixxor rows are VAT-included, and the net rows derived from them say how; its 2025 rows are historical.
  assert.ok(
    c.compute
      .filter((r) => r.provider === 'Hetzner' && r.asOf === '2026-08-17')
      .every((r) => r.vatIncluded || /^estimate derived from the gross price of the same source: [\d.]+ \/ 1\.19 - 0\.50/.test(r.notes)),
  );
  assert.ok(c.compute.filter((r) => r.provider === 'Hetzner' && r.asOf === '2025-08-19').every((r) => r.status === 'historical'));
  // Element is quote-only or historical.
  assert.ok(c.saas.filter((r) => r.vendor === 'Element').every((r) => r.status !== 'ok'));
});
