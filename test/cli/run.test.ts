import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultJobs, MAX_JOBS } from '../../src/analysis/pool.js';
import { memoryIo } from '../../src/cli/io.js';
import { jobsFor, SERIAL_BELOW_CPU_SECONDS_PER_SIMULATION } from '../../src/cli/run.js';
import { main } from '../../src/cli/main.js';
import { cliMessages } from '../../src/cli/messages.js';
import type { CostReport } from '../../src/cost/cost-report.js';
import { RATE_RANGE } from '../../src/cost/currency.js';
import { costMessages } from '../../src/cost/messages.js';
import type { RunSummary } from '../../src/cost/run.js';
import { commandLine, fileField } from '../../src/cost/sources.js';
import { EXIT } from '../../src/errors.js';
import { small } from './small-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-run-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function scenarioFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, ...io };
};

test('run writes summary.json, the scenario and the CSV series, and prints the headline', async () => {
  const out = join(dir, 'report-ok');
  const r = await run('run', scenarioFile('ok.json', small), '--out', out, '--quiet');
  assert.equal(r.code, EXIT.ok, r.stderr);
  assert.match(r.stdout, /tiny: 30 users/);
  assert.match(r.stdout, new RegExp(`report: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  assert.equal(summary.replications, 2);
  assert.equal(summary.scenario.name, 'tiny');
  assert.match(summary.scenario.sha256, /^[0-9a-f]{64}$/);
  for (const f of ['events', 'federation', 'client', 'media', 'storage-run', 'storage-horizon', 'replications']) {
    assert.ok(existsSync(join(out, 'data', `${f}.csv`)), f);
  }
  // 6 hours in 1-hour bins: 6 rows and a header.
  assert.equal(
    readFileSync(join(out, 'data', 'events.csv'), 'utf8')
      .trim()
      .split('\n').length,
    7,
  );
});

test('an existing report is not overwritten without --force', async () => {
  const out = join(dir, 'report-exists');
  const file = scenarioFile('exists.json', small);
  assert.equal((await run('run', file, '--out', out, '--quiet')).code, EXIT.ok);
  const before = readFileSync(join(out, 'summary.json'), 'utf8');
  const again = await run('run', file, '--out', out, '--quiet', '--seed', '2');
  assert.equal(again.code, EXIT.outputExists);
  assert.match(again.stderr, /already exists; use --force/);
  assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), before);
  const forced = await run('run', file, '--out', out, '--quiet', '--seed', '2', '--force');
  assert.equal(forced.code, EXIT.ok);
  assert.notEqual(readFileSync(join(out, 'summary.json'), 'utf8'), before);
  // No temporary folders left behind.
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('.mxsim-')),
    [],
  );
});

test('bad input lists every problem with its path and writes nothing', async () => {
  const out = join(dir, 'report-bad');
  const bad = { ...small, population: { users: -3, devicesPerUsr: 2 }, rooms: { kinds: [{ name: 'x', count: 'many', members: { kind: 'deterministic', value: 2 } }] } };
  const r = await run('run', scenarioFile('bad.json', bad), '--out', out);
  assert.equal(r.code, EXIT.invalidInput);
  assert.match(r.stderr, /population\.users: expected .*got -3/);
  assert.match(r.stderr, /population\.devicesPerUsr: .*did you mean "devicesPerUser"/);
  assert.match(r.stderr, /rooms\.kinds\[0\]\.count: expected .*got "many"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(existsSync(out), false);
});

test('malformed JSON gives the line and column; a missing file is a clear error', async () => {
  const r = await run('run', scenarioFile('broken.json', '{\n  "name": "x",\n  "population": { users: 3 }\n}'), '--out', join(dir, 'never'));
  assert.equal(r.code, EXIT.invalidInput);
  assert.match(r.stderr, /line 3, column \d+/);
  const m = await run('run', join(dir, 'nope.json'));
  assert.equal(m.code, EXIT.invalidInput);
  assert.match(m.stderr, /nope\.json/);
  assert.doesNotMatch(m.stderr, /\n\s+at /);
});

test('--set overrides fields and is validated like the file', async () => {
  const out = join(dir, 'report-set');
  const file = scenarioFile('set.json', small);
  const r = await run('run', file, '--out', out, '--quiet', '--json', '--set', 'population.users=60', '--set', 'features.presence=false');
  assert.equal(r.code, EXIT.ok, r.stderr);
  const summary = JSON.parse(r.stdout) as RunSummary;
  assert.equal(summary.world.users, 60);
  assert.equal(summary.traffic.eventsPerDay['m.presence']?.mean, 0);
  assert.deepEqual(summary.scenario.overrides, ['population.users=60', 'features.presence=false']);
  const bad = await run('run', file, '--out', join(dir, 'never2'), '--set', 'population.users=zero');
  assert.equal(bad.code, EXIT.invalidInput);
  assert.match(bad.stderr, /population\.users: expected .*got "zero"/);
});

// ---------------------------------------------------------------------------
// Cost: mxsim run costs the run; mxsim cost compares a run folder or a scenario.

test('run puts the cost in summary.json, data/cost.json, the cost CSVs and charts, and the headline', async () => {
  const out = join(dir, 'report-cost');
  const r = await run('run', scenarioFile('cost.json', small), '--out', out, '--quiet', '--rate', 'USD:EUR=0.92');
  assert.equal(r.code, EXIT.ok, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  const c = summary.cost;
  assert.ok(c);
  assert.equal(c.currency, 'USD');
  assert.ok(c.selfHost && c.provider !== null);
  assert.equal(typeof c.selfHost.monthly, 'number');
  assert.equal(typeof c.selfHost.perUserMonthly, 'number');
  assert.equal(typeof c.selfHost.horizonTotal, 'number');
  assert.ok(c.saas && c.saas.length > 0);
  assert.ok(c.rates.some((x) => x.stated === 'USD:EUR=0.92'));
  const full = JSON.parse(readFileSync(join(out, 'data', 'cost.json'), 'utf8')) as CostReport;
  assert.equal(full.selfHost?.horizonTotal, c.selfHost.horizonTotal);
  assert.equal(full.selfHost.label, c.provider);
  for (const f of ['cost-monthly', 'cost-breakdown', 'cost-sensitivity']) assert.ok(existsSync(join(out, 'data', `${f}.csv`)), f);
  for (const f of ['cost-breakdown', 'cost-cumulative', 'cost-sensitivity']) assert.ok(existsSync(join(out, 'charts', `${f}.svg`)), f);
  // Months 0..horizon of cumulative costs.
  assert.equal(
    readFileSync(join(out, 'data', 'cost-monthly.csv'), 'utf8')
      .trim()
      .split('\n').length,
    summary.storage.horizonMonths + 2,
  );
  assert.match(
    r.stdout,
    new RegExp(
      `cost \\(USD, excl\\. VAT\\): self-hosting on ${c.provider.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} [\\d,.]+ USD in month 1 \\([\\d,.]+ USD per user\\), [\\d,.]+ USD over 36 months`,
    ),
  );
  assert.match(r.stdout, /vs cheapest SaaS .*USD in month 1/);
  assert.match(r.stdout, /rates: 1 EUR = 1\.08696 USD \(inverse of USD:EUR=0\.92\)/);
  // Deterministic: the same run gives the same summary.json.
  const again = join(dir, 'report-cost-again');
  assert.equal((await run('run', scenarioFile('cost.json', small), '--out', again, '--quiet', '--rate', 'USD:EUR=0.92')).code, EXIT.ok);
  assert.equal(readFileSync(join(again, 'summary.json'), 'utf8'), readFileSync(join(out, 'summary.json'), 'utf8'));
});

test("--rate converts into the scenario's currency; without a rate the run succeeds and says why there is no cost", async () => {
  const eur = { ...small, cost: { currency: 'EUR' } };
  const ok = await run('run', scenarioFile('eur.json', eur), '--out', join(dir, 'report-eur'), '--quiet', '--json', '--rate', 'USD:EUR=0.92');
  assert.equal(ok.code, EXIT.ok, ok.stderr);
  const c = (JSON.parse(ok.stdout) as RunSummary).cost;
  assert.ok(c);
  assert.equal(c.currency, 'EUR');
  assert.ok(c.selfHost && c.selfHost.monthly > 0);
  // The stated rate converts the USD prices (labour is the euro-area labour cost, in EUR: nothing to convert).
  assert.ok(c.rates.some((x) => x.from === 'USD' && x.to === 'EUR' && !x.inverse && x.stated === 'USD:EUR=0.92' && x.reference === undefined));
  // A command-line rate replaces the scenario's for the same pair.
  const both = { ...small, cost: { currency: 'EUR', rates: ['USD:EUR=0.5'] } };
  const replaced = await run('run', scenarioFile('eur-rates.json', both), '--out', join(dir, 'report-eur-rates'), '--quiet', '--json', '--rate', 'EUR:USD=1.25');
  assert.equal(replaced.code, EXIT.ok, replaced.stderr);
  assert.deepEqual(
    (JSON.parse(replaced.stdout) as RunSummary).cost?.rates.map((x) => x.stated),
    ['EUR:USD=1.25'],
  );
  // EUR needs no rate now (the shipped ECB reference rates); JPY has no reference rate.
  const jpy = { ...small, cost: { currency: 'JPY' } };
  const none = await run('run', scenarioFile('eur-none.json', jpy), '--out', join(dir, 'report-eur-none'), '--quiet');
  assert.equal(none.code, EXIT.ok, none.stderr);
  assert.match(none.stdout, /cost: not computed \(labour rate: prices in USD but the report is in JPY, and no rate was given; add --rate USD:JPY=/);
  const s = (JSON.parse(readFileSync(join(dir, 'report-eur-none', 'summary.json'), 'utf8')) as RunSummary).cost;
  assert.ok(s);
  assert.equal(s.selfHost, null);
  assert.equal(s.saas, null);
  assert.match(s.notes[0] ?? '', /^cost not computed: /);
  assert.equal(existsSync(join(dir, 'report-eur-none', 'data', 'cost.json')), false);
});

test('a bad --prices file, a bad --rate or bad cost settings are reported before simulating, and nothing is written', async () => {
  const file = scenarioFile('bad-prices.json', small);
  const prices = join(dir, 'quote.csv');
  writeFileSync(prices, 'provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of\nX,r,a,2,4,cheap,EUR,false,s,2026\n');
  const out = join(dir, 'report-never');
  const bad = await run('run', file, '--out', out, '--prices', prices);
  assert.equal(bad.code, EXIT.invalidInput);
  const problem = { file: prices, line: 2, column: 6, columnName: 'price_month', message: costMessages.expectedValue('a price per month (or price_hour)', 'cheap') };
  assert.equal(bad.stderr, cliMessages.error('catalog.invalid', `${costMessages.catalogHeadline(1)}\n  ${costMessages.catalogProblem(problem)}`));
  const missing = await run('run', file, '--out', out, '--prices', join(dir, 'no-such.csv'));
  assert.equal(missing.code, EXIT.invalidInput);
  assert.equal(missing.stderr, cliMessages.error('input.unreadable', cliMessages.notFound(join(dir, 'no-such.csv'), cliMessages.pricesFile())));
  const rate = await run('run', file, '--out', out, '--rate', 'USD:EUR=zero');
  assert.equal(rate.code, EXIT.usage);
  assert.equal(rate.stderr, cliMessages.error('cost.rate', costMessages.rateProblems(commandLine('--rate'), 'USD:EUR=zero', [costMessages.rateOutOfRange('zero', RATE_RANGE)])));
  // Two command-line rates for one pair are the options' fault (exit 2), not the scenario's.
  const twice = await run('run', file, '--out', out, '--rate', 'USD:EUR=0.9', '--rate', 'USD:EUR=0.8');
  assert.equal(twice.code, EXIT.usage);
  assert.equal(twice.stderr, cliMessages.error('cost.rate', costMessages.ratesDisagree('USD:EUR=0.9', commandLine('--rate'), 'USD:EUR=0.8', commandLine('--rate'))));
  // The grammar checks the form of the scenario's rates; the catalogs its providers.
  const form = await run('run', scenarioFile('bad-rate.json', { ...small, cost: { rates: ['USD->EUR 0.92'] } }), '--out', out);
  assert.equal(form.code, EXIT.invalidInput);
  assert.match(form.stderr, /cost\.rates\[0\]: expected an exchange rate "FROM:TO=RATE" .*got "USD->EUR 0\.92"/);
  const badProvider = scenarioFile('bad-provider.json', { ...small, cost: { providers: ['Nowhere'] } });
  const provider = await run('run', badProvider, '--out', out);
  assert.equal(provider.code, EXIT.invalidInput);
  // The known providers follow "known: ", from the shipped catalogs.
  assert.ok(
    provider.stderr.startsWith(cliMessages.error('cost.provider', costMessages.unknownProvider(fileField(badProvider, 'cost.providers'), 'Nowhere', [])).trimEnd()),
    provider.stderr,
  );
  assert.equal(existsSync(out), false);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('.mxsim-')),
    [],
  );
});

test('mxsim cost compares a run folder, and a scenario file it simulates first', async () => {
  const out = join(dir, 'report-for-cost');
  assert.equal((await run('run', scenarioFile('for-cost.json', small), '--out', out, '--quiet', '--rate', 'USD:EUR=0.92')).code, EXIT.ok);
  const fromRun = await run('cost', out);
  assert.equal(fromRun.code, EXIT.ok, fromRun.stderr);
  for (const text of [`Cost of ${out} over 36 months, in USD, excl. VAT`, 'Self-hosting', 'SaaS', 'Break-even', 'Sensitivity', 'Rates used'])
    assert.ok(fromRun.stdout.includes(text), text);
  // The run's rates (summary.json cost.rates) count for its folder: the same figures as the run.
  const json = await run('cost', out, '--json');
  const report = JSON.parse(json.stdout) as CostReport;
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  assert.ok(report.selfHost);
  assert.equal(report.selfHost.horizonTotal, summary.cost?.selfHost?.horizonTotal);
  assert.deepEqual(report, JSON.parse(readFileSync(join(out, 'data', 'cost.json'), 'utf8')));
  // A scenario file is validated, simulated (nothing written) and costed with its cost settings and the options.
  const scenario = scenarioFile('cost-scenario.json', { ...small, name: 'costed-directly' });
  const fromScenario = await run('cost', scenario, '--rate', 'USD:EUR=0.92', '--json');
  assert.equal(fromScenario.code, EXIT.ok, fromScenario.stderr);
  const r2 = JSON.parse(fromScenario.stdout) as CostReport;
  assert.equal(r2.selfHost?.horizonTotal, report.selfHost.horizonTotal, 'same scenario and seed, same cost');
  assert.equal(existsSync(join('reports', 'costed-directly')), false);
  const eur = await run('cost', scenario, '--currency', 'EUR', '--rate', 'USD:EUR=0.92');
  assert.equal(eur.code, EXIT.ok, eur.stderr);
  assert.match(eur.stdout, /in EUR, excl\. VAT/);
  const invalid = await run('cost', scenarioFile('cost-bad.json', { ...small, population: { users: -1 } }));
  assert.equal(invalid.code, EXIT.invalidInput);
  assert.match(invalid.stderr, /population\.users: expected/);
  // EUR needs no --rate now (the shipped ECB reference rates); JPY has no reference rate.
  const noRate = await run('cost', scenario, '--currency', 'JPY');
  assert.equal(noRate.code, EXIT.usage);
  assert.equal(noRate.stderr, cliMessages.error('cost.rate-missing', costMessages.missingRate('USD', 'JPY', 'labour rate')));
});

test('--jobs takes 1 to MAX_JOBS; anything else is a usage error naming the value received', async () => {
  const file = scenarioFile('jobs.json', small);
  for (const bad of ['0', '-2', '1.5', 'abc', String(MAX_JOBS + 1), '']) {
    const r = await run('run', file, '--jobs', bad, '--out', join(dir, 'report-jobs'), '--quiet');
    assert.equal(r.code, EXIT.usage, r.stderr);
    assert.ok(r.stderr.includes(cliMessages.expectedIntegerBetween('--jobs', 1, MAX_JOBS, bad)), r.stderr);
  }
  assert.equal(existsSync(join(dir, 'report-jobs')), false, 'nothing written');
  // Unless given, a run takes every core, but one whose simulations are estimated under a CPU second each runs in this thread.
  assert.equal(jobsFor(3, 0.01, 1), 3);
  // 13 simulations (3 replications, 2 to verify, 8 to search) of 0.9 s each: serial; of 1 s each: every core.
  assert.equal(jobsFor(undefined, 13 * 0.9 * SERIAL_BELOW_CPU_SECONDS_PER_SIMULATION, 13), 1);
  assert.equal(jobsFor(undefined, 13 * SERIAL_BELOW_CPU_SECONDS_PER_SIMULATION, 13), Math.min(MAX_JOBS, defaultJobs()));
  assert.equal(jobsFor(undefined, 3600, 3), Math.min(MAX_JOBS, defaultJobs()));
});
