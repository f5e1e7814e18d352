import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CostOptionError, RateSpecError } from '../../src/cost/errors.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { costMessages as m } from '../../src/cost/messages.js';
import { commandLine, fileField } from '../../src/cost/sources.js';
import { checkCostOptions } from '../../src/cost/run.js';
import { costOptions } from '../../src/cost/settings.js';
import { EXIT } from '../../src/errors.js';
import { CostSettings } from '../../src/scenario/grammar.js';
import { inputs, testCatalogs } from './fixtures.js';

/** A scenario's cost section, defaults filled. */
const settings = (cost: Record<string, unknown> = {}) => CostSettings.parse(cost);
const throwsSetting = (f: () => unknown, code: string, exitCode: number, message: string) =>
  assert.throws(f, (e: unknown) => e instanceof CostOptionError && e.code === code && e.exitCode === exitCode && e.message === message);

test('a setting from the file is named by its field and exits 3; from the command line by its option and exits 2', () => {
  const file = 'team.json';
  const fromFile = costOptions(settings({ saas: ['Nochat'] }), {}, { file, allOptions: true });
  throwsSetting(
    () => estimateCost(inputs(), testCatalogs(), { ...fromFile, labourRate: 50 }),
    'cost.saas',
    EXIT.invalidInput,
    m.unknownSaas(fileField(file, 'cost.saas'), 'Nochat'),
  );
  const fromOption = costOptions(settings({ saas: ['Chatco'] }), { saas: ['Nochat'] }, { file, allOptions: true });
  throwsSetting(() => estimateCost(inputs(), testCatalogs(), { ...fromOption, labourRate: 50 }), 'cost.saas', EXIT.usage, m.unknownSaas(commandLine('--saas'), 'Nochat'));
  const managed = costOptions(settings({ providers: ['Testcloud'] }), { database: 'managed', databaseOption: '--managed-db' }, { file, allOptions: true });
  assert.deepEqual(managed.sources?.database, commandLine('--managed-db'));
  assert.deepEqual(managed.sources?.providers, fileField(file, 'cost.providers'));
});

test('a labour rate given nowhere is asked for the way the command can take it', () => {
  // The test catalogs have no labour rows: no wage to derive a rate from.
  const file = 'team.json';
  const run = costOptions(settings(), {}, { file, allOptions: false });
  const labour = fileField(file, 'cost.labourRatePerHour');
  throwsSetting(() => checkCostOptions(testCatalogs(), run), 'cost.labour', EXIT.invalidInput, m.noLabourRate(labour));
  const cost = costOptions(settings(), {}, { file, allOptions: true });
  throwsSetting(() => checkCostOptions(testCatalogs(), cost), 'cost.labour', EXIT.usage, m.noLabourRate(commandLine('--labour-rate')));
});

test("rates keep where each was given; a command-line rate replaces the file's for its pair", () => {
  const file = 'team.json';
  const o = costOptions(settings({ currency: 'EUR', rates: ['USD:EUR=0.9', 'GBP:EUR=1.2'] }), { rates: ['EUR:USD=1.1'] }, { file, allOptions: false });
  assert.deepEqual(o.rates, ['GBP:EUR=1.2', 'EUR:USD=1.1']);
  assert.deepEqual(o.sources?.rates?.get('GBP:EUR=1.2'), fileField(file, 'cost.rates'));
  assert.deepEqual(o.sources?.rates?.get('EUR:USD=1.1'), commandLine('--rate'));
  // Two command-line rates that disagree are the options' fault.
  const twice = costOptions(settings(), { rates: ['USD:EUR=0.9', 'USD:EUR=0.8'] }, { file, allOptions: false });
  assert.throws(
    () => checkCostOptions(testCatalogs(), { ...twice, labourRate: 50 }),
    (e: unknown) =>
      e instanceof RateSpecError && e.exitCode === EXIT.usage && e.message === m.ratesDisagree('USD:EUR=0.9', commandLine('--rate'), 'USD:EUR=0.8', commandLine('--rate')),
  );
});

test('without an origin every setting is named by its option of mxsim cost, as estimateCost does alone', () => {
  const o = costOptions(settings({ providers: ['Nowhere'] }));
  assert.deepEqual(o.sources?.providers, commandLine('--provider'));
  throwsSetting(
    () => estimateCost(inputs(), testCatalogs(), { providers: ['Nowhere'], currency: 'EUR', labourRate: 50 }),
    'cost.provider',
    EXIT.usage,
    m.unknownProvider(commandLine('--provider'), 'Nowhere', ['Testcloud']),
  );
});
