import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RunFolderError } from '../src/cli/run-folder.js';
import { CatalogError, CostInputError, CostOptionError, CurrencyMixError, RateSpecError } from '../src/cost/errors.js';
import { commandLine, fileField } from '../src/cost/sources.js';
import { DistributionSpecError } from '../src/engine/distribution-parse.js';
import { ERROR_CODES, EXIT, MxsimError, withContext, type ErrorCode } from '../src/errors.js';
import { OutputExistsError } from '../src/report/write.js';
import { ScenarioError } from '../src/scenario/load.js';

const errorsDoc = readFileSync(new URL('../docs/ERRORS.md', import.meta.url), 'utf8');

describe('the error model', () => {
  it('gives each code the exit code of its table, unless told otherwise', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const e = new MxsimError(code, 'x');
      assert.equal(e.exitCode, ERROR_CODES[code], code);
      assert.ok(e instanceof Error);
    }
    assert.equal(new MxsimError('cost.provider', 'x', EXIT.invalidInput).exitCode, EXIT.invalidInput);
  });

  it('every user-facing error class is an MxsimError with its code and exit code', () => {
    const cases: [MxsimError, ErrorCode, number][] = [
      [new ScenarioError('s.json', []), 'scenario.invalid', EXIT.invalidInput],
      [new ScenarioError('s.json', [], 'headline', 'scenario.json'), 'scenario.json', EXIT.invalidInput],
      [new ScenarioError('s.json', [], 'headline', 'input.unreadable'), 'input.unreadable', EXIT.invalidInput],
      [new OutputExistsError('reports/x'), 'output.exists', EXIT.outputExists],
      [new DistributionSpecError('foo:1', 'unknown kind "foo"'), 'distribution.spec', EXIT.usage],
      [new CatalogError([]), 'catalog.invalid', EXIT.invalidInput],
      [new CostInputError(['x']), 'cost.input', EXIT.invalidInput],
      [new RunFolderError([{ headline: 'reports/x/summary.json: x', problems: [] }]), 'run.invalid', EXIT.invalidInput],
      [new CurrencyMixError('USD', 'EUR', 'labour rate'), 'cost.rate-missing', EXIT.usage],
      // A setting's exit code follows where it was given: an option 2, a field of a file 3.
      [new CostOptionError('cost.provider', commandLine('--provider'), 'x'), 'cost.provider', EXIT.usage],
      [new CostOptionError('cost.provider', fileField('team.json', 'cost.providers'), 'x'), 'cost.provider', EXIT.invalidInput],
      [new RateSpecError(commandLine('--rate'), 'x'), 'cost.rate', EXIT.usage],
      [new RateSpecError(fileField('team.json', 'cost.rates'), 'x'), 'cost.rate', EXIT.invalidInput],
    ];
    for (const [e, code, exit] of cases) {
      assert.ok(e instanceof MxsimError, e.name);
      assert.deepEqual([e.name, e.code, e.exitCode], [e.name, code, exit]);
    }
  });

  it('adds context without losing the code, the exit code or the cause', () => {
    const inner = new ScenarioError('s.json', [], 'headline', 'scenario.json');
    const outer = withContext(inner, 'context');
    assert.deepEqual([outer.code, outer.exitCode, outer.message, outer.cause], ['scenario.json', EXIT.invalidInput, `context\n${inner.message}`, inner]);
  });
});

describe('docs/ERRORS.md', () => {
  it('lists every error code with its exit code, and no other', () => {
    const rows = [...errorsDoc.matchAll(/^\| `([a-z.-]+)` \| ([0-9 or]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]);
    const documented = new Map(rows.map(([code, exit]) => [code, exit]));
    assert.deepEqual([...documented.keys()].sort(), Object.keys(ERROR_CODES).sort());
    for (const [code, exit] of Object.entries(ERROR_CODES)) {
      const text = documented.get(code)!;
      // "2 or 3": a setting that may come from an option or from a file.
      assert.ok(text === String(exit) || (exit === EXIT.usage && text === `${EXIT.usage} or ${EXIT.invalidInput}`), `${code}: ${text}`);
    }
  });

  it('lists every exit code', () => {
    for (const exit of Object.values(EXIT)) assert.match(errorsDoc, new RegExp(`^\\| ${exit} \\|`, 'm'), String(exit));
  });
});
