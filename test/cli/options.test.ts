/**
 * Options that stand for scenario fields follow the fields' rules, as
 * options (exit 2): `--replications` has run.replications' range, `--seed`
 * run.seed's rule. `--set` overrides the grammar does not define are refused
 * as the file's unknown fields are (exit 3). In-process: nothing is simulated.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliMessages } from '../../src/cli/messages.js';
import { EXIT } from '../../src/errors.js';
import { MAX_REPLICATIONS } from '../../src/scenario/grammar.js';
import { messages } from '../../src/scenario/messages.js';
import { formatProblem } from '../../src/scenario/problem.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const good = join(dir, 'good.json');
writeFileSync(
  good,
  JSON.stringify({
    name: 'team-5',
    description: 'five teams of ten',
    population: { users: 100 },
    rooms: { kinds: [{ name: 'team', count: 5, members: { kind: 'deterministic', value: 10 } }] },
  }),
);

async function run(...args: string[]) {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('options of scenario fields', () => {
  it('--replications has the range of run.replications, in run and compare', async () => {
    for (const args of [
      ['run', good],
      ['compare', good, good],
    ]) {
      for (const bad of [String(MAX_REPLICATIONS + 1), '0', '1e999']) {
        const r = await run(...args, '--replications', bad, '--out', join(dir, 'out'));
        assert.equal(r.code, EXIT.usage, r.stderr);
        assert.ok(r.stderr.includes(cliMessages.expectedIntegerBetween('--replications', 1, MAX_REPLICATIONS, bad)), r.stderr);
      }
    }
  });

  it('--seed \'\' is refused as a run.seed of "" in a file is', async () => {
    for (const args of [
      ['run', good],
      ['compare', good, good],
    ]) {
      const r = await run(...args, '--seed', '', '--out', join(dir, 'out'));
      assert.equal(r.code, EXIT.usage, r.stderr);
      assert.ok(r.stderr.includes(cliMessages.optionExpected('--seed', messages.nonEmptyString(), '""')), r.stderr);
    }
    // The file's own rule, word for word.
    const file = await run('validate', good, '--set', 'run.seed=""');
    assert.ok(file.stderr.includes(`  ${formatProblem({ path: 'run.seed', rule: messages.nonEmptyString(), received: '""' })}`), file.stderr);
  });
});

describe('--set', () => {
  it('refuses prototype keys with every problem listed, exit 3, no stack trace, nothing polluted', async () => {
    const r = await run('validate', good, '--set', '__proto__.polluted=1', '--set', '__proto__.toString=1', '--set', '__proto__=1', '--set', 'population.users=1e999');
    assert.equal(r.code, EXIT.invalidInput);
    const lines = r.stderr.split('\n');
    assert.equal(lines[0], messages.fileHeadline(good, 4));
    assert.ok(lines[1]?.startsWith('  --set __proto__: expected a known field (known here: $schema, name,'), r.stderr);
    assert.ok(lines[2]?.endsWith(', got {"toString":1}'), r.stderr);
    assert.ok(lines[3]?.endsWith(', got 1'), r.stderr);
    assert.equal(lines[4], `  ${formatProblem({ path: '--set population.users', rule: messages.finiteNumber(), received: '1e999' })}`);
    assert.ok(r.stderr.includes(cliMessages.error('scenario.invalid', cliMessages.filesInvalid(1, 1))), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at |error\[internal\]/);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    assert.equal(typeof Object.prototype.toString, 'function');
  });

  it('refuses a deployment the implementation does not have', async () => {
    const r = await run('validate', good, '--set', 'run.server.implementation=dendrite', '--set', 'run.server.deployment=workers');
    assert.equal(r.code, EXIT.invalidInput);
    assert.ok(r.stderr.includes(`  ${formatProblem({ path: 'run.server.deployment', rule: messages.noWorkerMode('dendrite'), received: '"workers"' })}`), r.stderr);
  });
});
