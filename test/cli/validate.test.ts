import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/cli/schema.js';
import { messages } from '../../src/scenario/messages.js';
import { formatProblem } from '../../src/scenario/problem.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const schemaFile = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'mxsim-validate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const good = join(dir, 'good.json');
writeFileSync(
  good,
  JSON.stringify({
    $schema: '../schema/scenario.schema.json',
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

describe('mxsim validate', () => {
  it('prints ok and exits 0 for a good file', async () => {
    const r = await run('validate', good);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.equal(r.stdout, `ok ${good} (team-5)\n`);
    assert.equal(r.stderr, '');
  });

  it('prints every problem of a bad file to stderr and exits 3', async () => {
    const file = fixture('scenario-many-problems.json');
    const r = await run('validate', file);
    assert.equal(r.code, EXIT.invalidInput);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n');
    assert.equal(lines[0], messages.fileHeadline(file, 8));
    for (const p of [
      { path: 'population.devicesPerUsr', rule: messages.unknownField('devicesPerUser', []), received: '2' },
      { path: 'federation.remoteServers', rule: messages.zeroWhenClosed(), received: '5' },
      { path: 'population.classes', rule: messages.sharesSumToOne(), received: messages.receivedShareSum(0.7) },
    ]) {
      assert.ok(lines.includes(`  ${formatProblem(p)}`), `missing ${formatProblem(p)} in\n${r.stderr}`);
    }
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('checks several files and fails if any fails', async () => {
    const r = await run('validate', good, fixture('scenario-malformed.json'), good);
    assert.equal(r.code, EXIT.invalidInput);
    assert.equal(r.stdout, `ok ${good} (team-5)\nok ${good} (team-5)\n`);
    assert.ok(r.stderr.includes(messages.jsonHeadline(fixture('scenario-malformed.json'))), r.stderr);
    assert.ok(r.stderr.includes(`  ${messages.jsonLocation(5, 1)}: expected `), r.stderr);
  });

  it('reports a missing file without a stack trace', async () => {
    const missing = join(dir, 'missing.json');
    const r = await run('validate', missing);
    assert.equal(r.code, EXIT.invalidInput);
    assert.ok(r.stderr.startsWith(messages.unreadableHeadline(missing)), r.stderr);
    assert.ok(r.stderr.includes(messages.fileError('ENOENT', '')), r.stderr);
    assert.doesNotMatch(r.stderr, /error\[internal\]|\n\s+at /);
  });

  it('applies repeated --set overrides', async () => {
    const bad = await run('validate', good, '--set', 'population.users=0', '--set', 'run.days=0');
    assert.equal(bad.code, EXIT.invalidInput);
    assert.ok(bad.stderr.includes(`  ${formatProblem({ path: 'population.users', rule: messages.numberAtLeast(1), received: '0' })}`), bad.stderr);
    assert.ok(bad.stderr.includes(`  ${formatProblem({ path: 'run.days', rule: messages.numberAbove(0), received: '0' })}`), bad.stderr);
    const ok = await run('validate', '--set', 'name=renamed', '--set', 'population.users=300', good);
    assert.equal(ok.code, EXIT.ok, ok.stderr);
    assert.equal(ok.stdout, `ok ${good} (renamed)\n`);
    const form = await run('validate', good, '--set', 'population.users');
    assert.equal(form.code, EXIT.invalidInput);
    assert.ok(form.stderr.includes(`  ${formatProblem({ path: '--set', rule: messages.setForm(), received: '"population.users"' })}`), form.stderr);
  });

  it('needs at least one file, and shows an example in its help', async () => {
    assert.equal((await run('validate')).code, EXIT.usage);
    const help = await run('validate', '--help');
    assert.equal(help.code, EXIT.ok);
    assert.match(help.stdout, /Example:\n {2}mxsim validate /);
  });
});

describe('mxsim schema', () => {
  it('prints the JSON Schema, identical to schema/scenario.schema.json', async () => {
    const r = await run('schema');
    assert.equal(r.code, EXIT.ok);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(typeof printed.$id, 'string');
    assert.equal(printed.title, 'mxsim scenario');
    assert.deepEqual(printed, scenarioJsonSchema());
    assert.equal(r.stdout, scenarioJsonSchemaText());
    assert.equal(readFileSync(schemaFile, 'utf8'), r.stdout, 'schema/scenario.schema.json is stale: regenerate it with `mxsim schema > schema/scenario.schema.json`');
  });

  it('describes the fields, requires the essentials and rejects unknown fields', () => {
    const s = scenarioJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { description?: string }>;
    };
    assert.deepEqual([...s.required].sort(), ['description', 'name', 'population', 'rooms']);
    assert.equal(s.additionalProperties, false);
    assert.ok(s.properties.name?.description);
  });

  it('shows an example in its help', async () => {
    const help = await run('schema', '--help');
    assert.match(help.stdout, /Example:\n {2}mxsim schema/);
  });
});
