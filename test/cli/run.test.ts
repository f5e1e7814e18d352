import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EXIT, memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-run-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const small = {
  name: 'tiny',
  description: 'A tiny closed server for CLI tests.',
  population: { users: 30 },
  rooms: { kinds: [{ name: 'group', count: 5, members: { kind: 'deterministic', value: 6 } }] },
  run: { days: 0.25, replications: 2, binMinutes: 60 },
};

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
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.replications, 2);
  assert.equal(summary.scenario.name, 'tiny');
  assert.match(summary.scenario.sha256, /^[0-9a-f]{64}$/);
  for (const f of ['events', 'federation', 'client', 'media', 'storage-run', 'storage-horizon', 'replications']) {
    assert.ok(existsSync(join(out, 'data', `${f}.csv`)), f);
  }
  // 6 hours in 1-hour bins: 6 rows and a header.
  assert.equal(readFileSync(join(out, 'data', 'events.csv'), 'utf8').trim().split('\n').length, 7);
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
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.mxsim-')), []);
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
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.world.users, 60);
  assert.equal(summary.traffic.eventsPerDay['m.presence'].mean, 0);
  assert.deepEqual(summary.scenario.overrides, ['population.users=60', 'features.presence=false']);
  const bad = await run('run', file, '--out', join(dir, 'never2'), '--set', 'population.users=zero');
  assert.equal(bad.code, EXIT.invalidInput);
  assert.match(bad.stderr, /population\.users: expected .*got "zero"/);
});
