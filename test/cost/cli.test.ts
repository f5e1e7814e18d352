import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { costCommand } from '../../src/cli/cost.js';
import { memoryIo } from '../../src/cli/io.js';
import { cliMessages } from '../../src/cli/messages.js';
import { CatalogError, CostInputError, CurrencyMixError } from '../../src/cost/errors.js';
import type { CostReport } from '../../src/cost/cost-report.js';
import { costInputsFromRun, parseStorageHorizonCsv } from '../../src/cost/inputs.js';
import { costMessages } from '../../src/cost/messages.js';
import { EXIT, MxsimError } from '../../src/errors.js';
import { summaryRules } from '../../src/analysis/messages.js';
import { STORAGE_CATEGORIES } from '../../src/model/metrics.js';
import { COMPUTE, NETWORK, SAAS, STORAGE } from './fixtures.js';
import { writeTinyRunFolder } from '../fixtures/run-folder.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-cost-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GiB = 1024 ** 3;
const stat = (mean: number) => ({ mean, ci95: [mean, mean] });

/** A summary.json with what the cost model reads (and no recommendation yet). */
function summary(extra: Record<string, unknown> = {}) {
  return {
    scenario: { name: 'tiny' },
    world: { users: 1000 },
    activity: { weeklyAverageDayFactor: 0.75 },
    traffic: {
      client: { bytesOutPerDay: stat(2 * GiB) },
      federation: { bytesOutPerDay: stat(0.5 * GiB) },
      media: { bytesOutPerDay: stat(1 * GiB), federationBytesOutPerDay: stat(0.5 * GiB) },
    },
    storage: { horizonMonths: 3 },
    ...extra,
  };
}

/** Months 0..3, 1% growth; 1 GiB of event_json and 2 GiB of local_media a month. */
function storageCsv(): string {
  const header = ['month', 'users', ...STORAGE_CATEGORIES.map((c) => `${c}_bytes`), 'total_bytes'];
  const rows = [0, 1, 2, 3].map((m) => {
    const bytes = STORAGE_CATEGORIES.map((c) => (c === 'eventJson' ? m * GiB : c === 'localMedia' ? 2 * m * GiB : 0));
    return [m, Number((1000 * 1.01 ** m).toPrecision(6)), ...bytes, bytes.reduce((a, b) => a + b, 0)].join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

/**
 * A copy of a real run folder (test/fixtures/run-folder.ts, made once): 20 users, a 3-month horizon and
 * 1% growth a month, so its storage projection has months 0 to 3 and its scenario.json that growth.
 */
let base: string;
before(async () => {
  base = join(dir, 'base');
  await writeTinyRunFolder(base, ['run.horizonMonths=3', 'population.growthPerMonth=0.01']);
});
function runDir(name: string): string {
  const d = join(dir, name);
  cpSync(base, d, { recursive: true });
  return d;
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const prices = () => [
  '--only-prices',
  '--prices',
  file('c.csv', COMPUTE),
  '--prices',
  file('s.csv', STORAGE),
  '--prices',
  file('n.csv', NETWORK),
  '--prices',
  file('saas.csv', SAAS),
];

async function cost(...args: string[]) {
  const io = memoryIo();
  await costCommand(io)
    .exitOverride()
    .parseAsync(['node', 'cost', ...args]);
  return io;
}

test('cost inputs from a run: GiB by month, growth, egress per month', () => {
  const storage = parseStorageHorizonCsv('storage-horizon.csv', storageCsv());
  const i = costInputsFromRun(summary(), storage, { cores: 2, ramGiB: 4 });
  assert.equal(i.users, 1000);
  // Read back from users rounded to 6 significant digits: close to the scenario's 1%, not exact.
  assert.ok(Math.abs(i.growthPerMonth - 0.01) < 1e-6);
  assert.equal(costInputsFromRun(summary(), storage, { cores: 2, ramGiB: 4, growthPerMonth: 0.01 }).growthPerMonth, 0.01);
  assert.equal(i.horizonMonths, 3);
  assert.deepEqual(i.databaseGiBByMonth, [0, 1, 2, 3]);
  assert.deepEqual(i.mediaGiBByMonth, [0, 2, 4, 6]);
  // (2 + 0.5 + 1 + 0.5) GiB a day x 0.75 (weekly-average day) x 30.44 days = 91.32 GiB a month.
  assert.ok(Math.abs(i.egressGiBPerMonth - 91.32) < 1e-9);
  assert.equal(i.deployment, 'monolith');
  // A recommendation in the summary wins over the options.
  const rec = costInputsFromRun(summary({ recommendation: { cores: 6, ramGiB: 12, processes: 3 } }), storage, { cores: 2, ramGiB: 4 });
  assert.deepEqual([rec.cores, rec.ramGiB, rec.processes, rec.deployment], [6, 12, 3, 'workers']);
  assert.equal(rec.databaseCores, undefined);
  // The server model's shape: cores and RAM include PostgreSQL's, which are split off.
  const server = costInputsFromRun(
    summary({
      recommendation: {
        implementation: 'synapse',
        deployment: { kind: 'workers', workers: { sync: 2 }, processes: 5, serverCores: null },
        cores: 7,
        databaseCores: 2,
        ramGiB: 14,
        diskGiB: 50,
      },
    }),
    storage,
  );
  assert.deepEqual([server.cores, server.ramGiB, server.databaseCores, server.databaseRamGiB, server.processes, server.deployment], [5, 10, 2, 4, 5, 'workers']);
  const threaded = costInputsFromRun(
    summary({ recommendation: { deployment: { kind: 'multi-threaded', processes: 1, serverCores: 4 }, cores: 4, databaseCores: 0, ramGiB: 6 } }),
    storage,
  );
  assert.deepEqual([threaded.cores, threaded.ramGiB, threaded.databaseCores, threaded.processes, threaded.deployment], [4, 6, 0, 1, 'monolith']);
  assert.equal(costInputsFromRun(summary(), storage, { cores: 2, ramGiB: 4, horizonMonths: 2 }).databaseGiBByMonth.length, 3);
  assert.throws(
    () => costInputsFromRun(summary(), storage),
    (e: unknown) => e instanceof CostInputError && e.code === 'cost.input' && e.message === [costMessages.noRecommendedCores(), costMessages.noRecommendedRam()].join('\n'),
  );
  assert.throws(
    () => costInputsFromRun(summary(), storage, { cores: 2, ramGiB: 4, horizonMonths: 5 }),
    (e: unknown) => e instanceof CostInputError && e.message === costMessages.horizonBeyondProjection(5, 3),
  );
  assert.throws(
    () => costInputsFromRun({ world: {} }, storage, { cores: 2, ramGiB: 4 }),
    (e: unknown) => e instanceof CostInputError && e.problems[0]!.startsWith(costMessages.summaryField('scenario', '')),
  );
});

test('mxsim cost prints the comparison table', async () => {
  const io = await cost(runDir('table'), '--currency', 'EUR', '--labour-rate', '50', ...prices());
  for (const text of [
    'Cost of',
    'over 3 months, in EUR, excl. VAT',
    'Self-hosting',
    'Testcloud r1 *',
    'SaaS',
    'Chatco Team',
    'Break-even',
    'Sensitivity of the 3-month self-host total',
    'Assumptions',
    'labour rate: 50.00 EUR per hour',
  ]) {
    assert.ok(io.stdout.includes(text), text);
  }
});

test('mxsim cost --json prints the report with the documented fields', async () => {
  const io = await cost(runDir('json'), '--currency', 'EUR', '--labour-rate', '50', '--json', ...prices());
  const r = JSON.parse(io.stdout) as CostReport;
  for (const k of ['currency', 'rates', 'selfHost', 'alternatives', 'saas', 'breakEven', 'sensitivity', 'excluded', 'assumptions']) assert.ok(k in r, k);
  assert.ok(r.selfHost);
  for (const k of ['provider', 'monthly', 'perUserMonthly', 'horizonTotal', 'breakdown', 'hosts', 'byMonth']) assert.ok(k in r.selfHost, k);
  assert.deepEqual(Object.keys(r.selfHost.breakdown), ['compute', 'calls', 'blockStorage', 'objectStorage', 'egress', 'database', 'backups', 'labour', 'setup']);
  assert.equal(r.selfHost.byMonth.length, 3);
  const [plan] = r.saas;
  const [breakEven] = r.breakEven;
  assert.ok(plan && breakEven && r.sensitivity);
  for (const k of ['vendor', 'plan', 'monthly', 'horizonTotal', 'byMonth']) assert.ok(k in plan, k);
  for (const k of ['vendor', 'plan', 'month', 'users', 'statement']) assert.ok(k in breakEven, k);
  for (const k of ['low', 'typical', 'high'] as const) assert.equal(typeof r.sensitivity.range[k], 'number');
  // Growth from the run's scenario.json, exactly.
  assert.equal(r.growthPerMonth, 0.01);
});

test('mxsim cost errors: no recommendation, bad catalog, currency mix', async () => {
  const d = runDir('errors');
  // Every summary mxsim writes has a recommendation: one without is not a summary it can read.
  const noRecommendation = runDir('no-recommendation');
  const summaryFile = join(noRecommendation, 'summary.json');
  const { recommendation: _, ...rest } = JSON.parse(readFileSync(summaryFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(summaryFile, JSON.stringify(rest));
  await assert.rejects(
    cost(noRecommendation, '--cores', '2', '--ram-gib', '4', '--currency', 'EUR', '--labour-rate', '50', ...prices()),
    (e: unknown) =>
      e instanceof MxsimError &&
      e.code === 'run.invalid' &&
      e.exitCode === EXIT.invalidInput &&
      e.message === [cliMessages.summaryHeadline(summaryFile), `  ${cliMessages.fieldProblem('recommendation', summaryRules.object(), cliMessages.nothing())}`].join('\n'),
  );
  const bad = file('bad.csv', 'provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of\nX,r,a,2,4,cheap,EUR,false,s,2026\n');
  const problem = { file: bad, line: 2, column: 6, columnName: 'price_month', message: costMessages.expectedValue('a price per month (or price_hour)', 'cheap') };
  await assert.rejects(
    cost(d, '--currency', 'EUR', '--labour-rate', '50', ...prices(), '--prices', bad),
    (e: unknown) => e instanceof CatalogError && e.code === 'catalog.invalid' && e.exitCode === EXIT.invalidInput && e.message.includes(costMessages.catalogProblem(problem)),
  );
  await assert.rejects(
    cost(d, '--currency', 'USD', '--labour-rate', '50', '--provider', 'Testcloud', ...prices()),
    (e: unknown) =>
      e instanceof CurrencyMixError && e.code === 'cost.rate-missing' && e.exitCode === EXIT.usage && e.message === costMessages.missingRate('EUR', 'USD', 'Testcloud r1'),
  );
  await assert.rejects(
    cost(join(dir, 'nowhere')),
    (e: unknown) =>
      e instanceof MxsimError &&
      e.code === 'input.unreadable' &&
      e.exitCode === EXIT.invalidInput &&
      e.message === cliMessages.notFound(join(dir, 'nowhere', 'summary.json'), cliMessages.runFolderFile()),
  );
});

test('mxsim cost on the shipped catalogs compares real providers and SaaS, and lists what it excluded', async () => {
  const io = await cost(runDir('shipped'), '--json');
  const r = JSON.parse(io.stdout) as CostReport;
  assert.equal(r.currency, 'USD');
  assert.ok(r.selfHost !== null);
  assert.ok(r.alternatives.length >= 1);
  assert.ok(r.saas.some((s) => s.vendor === 'Slack'));
  assert.ok(!r.saas.some((s) => s.vendor === 'Element'));
  assert.ok(r.excluded.length > 0);
  for (const e of r.excluded) assert.match(`${e.file}:${e.line}`, /^data\/prices\/\w+\.csv:\d+$/);
  // EUR providers are priced with the shipped ECB reference rate (data/prices/exchange_rates.csv: 1 EUR = 1.1534 USD
  // on 2026-08-13), named with its date; before the reference rates they were left out for want of a --rate.
  const offers = [r.selfHost, ...r.alternatives].map((p) => p.provider);
  assert.ok(offers.includes('OVHcloud') && offers.includes('Hetzner'), offers.join(', '));
  const eur = r.rates.find((x) => x.from === 'EUR' && x.to === 'USD')!;
  assert.equal(eur.rate, 1.1534);
  assert.equal(eur.reference?.asOf, '2026-08-13');
  assert.ok(!r.notes.some((n) => /no rate to USD was given/.test(n)));
});
