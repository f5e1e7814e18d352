/**
 * The ranges of the cost options (COST_OPTION_RANGES in src/cost/options.ts,
 * RATE_RANGE in src/cost/currency.ts) and their exit codes: an option out of
 * range exits 2 wherever it is given, a field of a file 3. Every command
 * runs in-process through `main`, and stops before anything is simulated.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliMessages } from '../../src/cli/messages.js';
import { RATE_RANGE } from '../../src/cost/currency.js';
import { CostInputError } from '../../src/cost/errors.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { costMessages } from '../../src/cost/messages.js';
import { COST_OPTION_RANGES } from '../../src/cost/options.js';
import { commandLine } from '../../src/cost/sources.js';
import { EXIT } from '../../src/errors.js';
import { writeTinyRunFolder } from '../fixtures/run-folder.js';
import { COMPUTE, inputs, NETWORK, SAAS, STORAGE, testCatalogs } from './fixtures.js';
import { small } from '../cli/small-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-cost-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const mxsim = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, stderr: io.stderr, stdout: io.stdout };
};

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The command-line tests' tiny scenario (test/cli/small-scenario.ts) with a cost section: validated, never simulated here. */
const scenario = (cost: Record<string, unknown> = {}) => JSON.stringify({ ...small, run: { ...small.run, replications: 1 }, cost });

/** A real run folder (test/fixtures/run-folder.ts) of a 3-month projection. */
const RUN = join(dir, 'run');
await writeTinyRunFolder(RUN, ['run.horizonMonths=3']);
const prices = ['--only-prices', '--prices', file('c.csv', COMPUTE), '--prices', file('s.csv', STORAGE), '--prices', file('n.csv', NETWORK), '--prices', file('saas.csv', SAAS)];
const sized = ['--cores', '2', '--ram-gib', '4', '--currency', 'EUR', '--labour-rate', '50', ...prices];

test('every numeric option of mxsim cost is read in its documented range, as a plain decimal: exit 2 with the value as given', async () => {
  const R = COST_OPTION_RANGES;
  const cases: [string, (typeof R)[keyof typeof R], string[]][] = [
    ['--labour-rate', R.labourRate, ['-1', '1000001', 'Infinity', '1e999', '0x10', '']],
    ['--labour-hours', R.labourHours, ['-0.5', '100001', 'NaN', '1,5']],
    ['--cores', R.cores, ['0', '-2', '100001', '1e999']],
    ['--ram-gib', R.ramGiB, ['0', '1000001', '8GiB']],
    ['--processes', R.processes, ['0', '2.5', '3502']],
    ['--horizon-months', R.horizonMonths, ['0', '1.5', '241', '1000']],
  ];
  for (const [option, range, values] of cases) {
    for (const value of values) {
      const r = await mxsim('cost', RUN, ...sized, option, value);
      assert.equal(r.code, EXIT.usage, `${option} ${value}`);
      assert.ok(r.stderr.includes(cliMessages.expectedInRange(option, costMessages.aNumber(range), value)), `${option} ${value}: ${r.stderr}`);
    }
  }
  assert.equal(cliMessages.expectedInRange('--cores', costMessages.aNumber(R.cores), '0'), '--cores: expected a number greater than 0 and at most 100,000, got "0"');
  assert.equal(costMessages.aNumber(R.horizonMonths), 'an integer from 1 to 240');
  // The ends of the ranges are accepted (0 prices no labour), and so are "_" separators.
  const ok = await mxsim('cost', RUN, ...sized, '--labour-rate', '0', '--labour-hours', '100_000', '--horizon-months', '3', '--processes', '1', '--json');
  assert.equal(ok.code, EXIT.ok, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { horizonMonths: number }).horizonMonths, 3);
});

test('--horizon-months gives the same exit code on a run folder and on a scenario', async () => {
  const s = file('tiny.json', scenario());
  // Out of range: refused as an option on both.
  const onRun = await mxsim('cost', RUN, ...sized, '--horizon-months', '1000');
  const onScenario = await mxsim('cost', s, ...sized, '--horizon-months', '1000');
  assert.deepEqual([onRun.code, onScenario.code], [EXIT.usage, EXIT.usage]);
  assert.equal(onRun.stderr, onScenario.stderr);
  // In range but longer than what the run projected (3 months; it exited 3 as cost.input) or the scenario's run.horizonMonths (36).
  const longerThanRun = await mxsim('cost', RUN, ...sized, '--horizon-months', '5');
  assert.deepEqual([longerThanRun.code, longerThanRun.stderr], [EXIT.usage, cliMessages.error('usage', costMessages.horizonBeyondProjection(5, 3))]);
  const longerThanScenario = await mxsim('cost', s, ...sized, '--horizon-months', '100');
  assert.deepEqual([longerThanScenario.code, longerThanScenario.stderr], [EXIT.usage, cliMessages.error('usage', cliMessages.horizonLongerThanScenario(100, 36))]);
});

test('a rate of 0, below 0, Infinity, 1e999, hexadecimal or beyond 1e-6 ... 1e6 is refused with the text as written', async () => {
  const s = file('rates.json', scenario());
  const out = join(dir, 'never');
  for (const value of ['0', '-1', 'Infinity', '1e999', '0x10', '1e-7', '2e6']) {
    const text = `USD:EUR=${value}`;
    const expected = cliMessages.error('cost.rate', costMessages.rateProblems(commandLine('--rate'), text, [costMessages.rateOutOfRange(value, RATE_RANGE)]));
    // mxsim cost on a run folder, and mxsim run before it simulates: both exit 2.
    const cost = await mxsim('cost', RUN, ...sized, '--rate', text);
    assert.deepEqual([cost.code, cost.stderr], [EXIT.usage, expected], `cost --rate ${text}`);
    const run = await mxsim('run', s, '--out', out, '--rate', text);
    assert.deepEqual([run.code, run.stderr], [EXIT.usage, expected], `run --rate ${text}`);
  }
  assert.equal(costMessages.rateOutOfRange('0', RATE_RANGE), 'rate "0" is not a number from 0.000001 to 1,000,000');
  // The same rate in the scenario's cost.rates (the grammar takes 1e999 for a number) is the file's fault: exit 3.
  const inFile = file('rate-in-file.json', scenario({ rates: ['USD:EUR=1e999'] }));
  const r = await mxsim('run', inFile, '--out', out);
  // In a file the grammar refuses it first, with the same range, as a field of the scenario: exit 3.
  assert.equal(r.code, EXIT.invalidInput);
  assert.match(r.stderr, /^mxsim: error\[scenario\.invalid\]: .*\n {2}cost\.rates\[0\]: expected a rate from 0\.000001 to 1000000, .*got "USD:EUR=1e999"\n$/);
});

test("a scenario's labour rate or hours out of the options' range is refused, naming the field: exit 3", async () => {
  // The grammar holds the same ranges as the options (COST_OPTION_RANGES), so a file is refused when it is read.
  const rate = file('labour-rate.json', scenario({ labourRatePerHour: 2e6 }));
  const r = await mxsim('cost', rate, ...prices, '--currency', 'EUR');
  assert.equal(r.code, EXIT.invalidInput);
  assert.match(r.stderr, /^mxsim: error\[scenario\.invalid\]: .*\n {2}cost\.labourRatePerHour: expected a number <= 1000000, got 2000000\n$/);
  const hours = file('labour-hours.json', scenario({ labourHoursPerMonth: 1e6 }));
  const h = await mxsim('cost', hours, ...sized);
  assert.equal(h.code, EXIT.invalidInput);
  assert.match(h.stderr, /^mxsim: error\[scenario\.invalid\]: .*\n {2}cost\.labourHoursPerMonth: expected a number <= 100000, got 1000000\n$/);
  assert.equal(COST_OPTION_RANGES.labourRate.max, 1_000_000);
  assert.equal(COST_OPTION_RANGES.labourHours.max, 100_000);
  // Settings only a program gives are checked too, every problem at once.
  const R = COST_OPTION_RANGES;
  assert.throws(
    () => estimateCost(inputs(), testCatalogs(), { currency: 'EUR', labourRate: 50, dbCores: -1, blockHeadroom: 0.5 }),
    (e: unknown) =>
      e instanceof CostInputError &&
      e.exitCode === EXIT.invalidInput &&
      e.message ===
        [costMessages.inputRule('dbCores', costMessages.aNumber(R.dbCores), -1), costMessages.inputRule('blockHeadroom', costMessages.aNumber(R.blockHeadroom), 0.5)].join('\n'),
  );
});
