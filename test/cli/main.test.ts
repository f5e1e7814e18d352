import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main, reportError } from '../../src/cli/main.js';
import { cliMessages } from '../../src/cli/messages.js';
import { costMessages } from '../../src/cost/messages.js';
import { commandLine, fileField } from '../../src/cost/sources.js';
import { EXIT, MxsimError } from '../../src/errors.js';
import { small } from './small-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-main-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function scenarioFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const mxsim = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, ...io };
};

describe('reportError: the one place errors meet the process', () => {
  it('prints a user mistake as one line with its code, and returns its exit code', () => {
    const io = memoryIo();
    assert.equal(reportError(new MxsimError('output.exists', 'reports/x already exists'), io), EXIT.outputExists);
    assert.equal(io.stderr, cliMessages.error('output.exists', 'reports/x already exists'));
    assert.equal(io.stdout, '');
  });

  it('prints anything else as a bug in one line, exit 1; the stack trace only with MXSIM_DEBUG=1', () => {
    const io = memoryIo();
    const bug = new TypeError('x is undefined');
    const saved = process.env['MXSIM_DEBUG'];
    delete process.env['MXSIM_DEBUG'];
    try {
      assert.equal(reportError(bug, io), EXIT.internal);
      assert.equal(io.stderr, cliMessages.internal('TypeError: x is undefined', false));
      assert.doesNotMatch(io.stderr, /^\s+at /m);
      const thrown = memoryIo();
      assert.equal(reportError('a string', thrown), EXIT.internal);
      assert.equal(thrown.stderr, cliMessages.internal('a string', false));
      process.env['MXSIM_DEBUG'] = '1';
      const debug = memoryIo();
      assert.equal(reportError(bug, debug), EXIT.internal);
      assert.equal(debug.stderr, cliMessages.internal(bug.stack!, true));
    } finally {
      if (saved === undefined) delete process.env['MXSIM_DEBUG'];
      else process.env['MXSIM_DEBUG'] = saved;
    }
  });
});

describe('a cost setting is named as it was given, and exits accordingly', () => {
  it('a provider named on the command line: the option, exit 2', async () => {
    const r = await mxsim('cost', scenarioFile('ok.json', small), '--provider', 'Nowhere');
    assert.equal(r.code, EXIT.usage);
    // The known providers follow "known: ", from the shipped catalogs.
    assert.ok(r.stderr.startsWith(cliMessages.error('cost.provider', costMessages.unknownProvider(commandLine('--provider'), 'Nowhere', [])).trimEnd()), r.stderr);
  });

  it('a provider named in the scenario: its field and file, exit 3, with mxsim cost as with mxsim run', async () => {
    const file = scenarioFile('provider.json', { ...small, cost: { providers: ['Nowhere'] } });
    const expected = cliMessages.error('cost.provider', costMessages.unknownProvider(fileField(file, 'cost.providers'), 'Nowhere', [])).trimEnd();
    for (const args of [
      ['cost', file],
      ['run', file, '--out', join(dir, 'never')],
    ]) {
      const command = args[0]!;
      const r = await mxsim(...args);
      assert.equal(r.code, EXIT.invalidInput, command);
      assert.ok(r.stderr.startsWith(expected), r.stderr);
    }
  });

  it('two rates for one pair in the scenario: the field, exit 3', async () => {
    const file = scenarioFile('rates.json', { ...small, cost: { rates: ['USD:EUR=0.9', 'EUR:USD=1.3'] } });
    const r = await mxsim('cost', file);
    assert.equal(r.code, EXIT.invalidInput);
    const field = fileField(file, 'cost.rates');
    assert.equal(r.stderr, cliMessages.error('cost.rate', costMessages.ratesDisagree('USD:EUR=0.9', field, 'EUR:USD=1.3', field)));
  });

  it('a SaaS plan named in the scenario: the field, exit 3', async () => {
    const file = scenarioFile('saas.json', { ...small, cost: { saas: ['Nochat'] } });
    const r = await mxsim('cost', file);
    assert.equal(r.code, EXIT.invalidInput);
    assert.equal(r.stderr, cliMessages.error('cost.saas', costMessages.unknownSaas(fileField(file, 'cost.saas'), 'Nochat')));
  });

  it('a --use selector that matches nothing, and an unknown --currency: the options, exit 2', async () => {
    const file = scenarioFile('use.json', small);
    const use = await mxsim('cost', file, '--use', 'nothing.csv:3');
    assert.equal(use.code, EXIT.usage);
    assert.equal(use.stderr, cliMessages.error('cost.use', costMessages.useMatchesNothing(commandLine('--use'), ['nothing.csv:3'])));
    const currency = await mxsim('cost', file, '--currency', 'XYZ');
    assert.equal(currency.code, EXIT.usage);
    assert.equal(currency.stderr, cliMessages.error('cost.currency', costMessages.unknownCurrency(commandLine('--currency'), 'XYZ')));
  });
});

describe('usage errors', () => {
  it('are reported with the usage code before anything runs', async () => {
    const file = scenarioFile('usage.json', small);
    const horizon = await mxsim('cost', file, '--horizon-months', '99');
    assert.equal(horizon.code, EXIT.usage);
    assert.equal(horizon.stderr, cliMessages.error('usage', cliMessages.horizonLongerThanScenario(99, 36)));
    const onlyPrices = await mxsim('cost', file, '--only-prices');
    assert.equal(onlyPrices.code, EXIT.usage);
    assert.equal(onlyPrices.stderr, cliMessages.error('usage', cliMessages.onlyPricesNeedsPrices()));
  });

  it('from commander print its message and exit 2', async () => {
    const r = await mxsim('frobnicate');
    assert.equal(r.code, EXIT.usage);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
