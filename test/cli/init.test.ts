/**
 * `mxsim init` (src/cli/init.ts): a scenario from flags or answers, based on
 * scenarios/company-2000.json, that the validator accepts, with "$schema"
 * pointing at the shipped schema. All in-process.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { initCommandAction } from '../../src/cli/init.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-init-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, ...io };
};

const base = JSON.parse(readFileSync(new URL('../../scenarios/company-2000.json', import.meta.url), 'utf8')) as { population: { users: number } };

test('init with flags writes a valid scenario with the users, federation and currency asked, "$schema" first', async () => {
  const out = join(dir, 'my.json');
  const r = await cli('init', '--users', '5000', '--federation', 'closed', '--currency', 'EUR', '--encryption', 'on', '--out', out);
  assert.equal(r.code, EXIT.ok, r.stderr);
  assert.match(r.stdout, /^wrote .*my\.json/);
  const { scenario } = await loadScenarioFile(out); // throws on any problem
  assert.equal(scenario.name, 'my');
  assert.equal(scenario.population.users, 5000);
  assert.equal(scenario.cost.currency, 'EUR');
  assert.equal(scenario.federation.mode, 'closed');
  assert.equal(scenario.features.encryptionByDefault, true);
  assert.ok(
    scenario.rooms.kinds.every((k) => k.remoteMemberShare === 0),
    'closed everywhere it appears',
  );
  // The all-staff room of the base is everyone (membersShare 1), so it holds the 5,000 now.
  const allStaff = scenario.rooms.kinds.find((k) => k.name === 'all-staff');
  assert.equal(allStaff?.membersShare, 1);
  // Counted rooms scale with the users: 400 groups in the base, x 5000 / 2000.
  assert.equal(scenario.rooms.kinds.find((k) => k.name === 'group')?.count, Math.round((400 * 5000) / base.population.users));
  const raw = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  assert.equal(Object.keys(raw)[0], '$schema');
  assert.ok(existsSync(resolve(dirname(out), raw['$schema'] as string)), String(raw['$schema']));
  assert.equal(resolve(dirname(out), raw['$schema'] as string), resolve(dirname(new URL(import.meta.url).pathname), '../../schema/scenario.schema.json'));
  // And `mxsim validate` agrees.
  assert.equal((await cli('validate', out)).code, EXIT.ok);
});

test('init with a partner count and another implementation', async () => {
  const out = join(dir, 'small.json');
  const r = await cli('init', '--users', '300', '--federation', '3', '--implementation', 'continuwuity', '--sliding-sync', '0.5', '--out', out);
  assert.equal(r.code, EXIT.ok, r.stderr);
  const { scenario } = await loadScenarioFile(out);
  assert.equal(scenario.federation.mode, 'allowList');
  assert.equal(scenario.federation.remoteServers, 3);
  assert.equal(scenario.run.server.implementation, 'continuwuity');
  assert.equal(scenario.clients.mobileSlidingSyncShare, 0.5);
  // No room bigger than the users.
  for (const k of scenario.rooms.kinds) if (k.members?.kind === 'uniform') assert.ok(k.members.max <= 300, k.name);
});

test('bad flag values are all listed at once, as written, with exit 2, and nothing is written', async () => {
  const out = join(dir, 'bad.json');
  const r = await cli('init', '--users', 'lots', '--federation', 'half', '--encryption', 'maybe', '--currency', 'XYZ', '--implementation', 'synaps', '--out', out);
  assert.equal(r.code, EXIT.usage);
  for (const text of ['--users: expected', '"lots"', '--federation: expected', '"half"', '--encryption: expected on or off, got "maybe"', '"XYZ"', '"synaps"'])
    assert.ok(r.stderr.includes(text), text);
  assert.equal(existsSync(out), false);
});

test('an existing file is kept without --force (exit 4) and replaced with it', async () => {
  const out = join(dir, 'exists.json');
  writeFileSync(out, 'mine');
  const r = await cli('init', '--users', '100', '--out', out);
  assert.equal(r.code, EXIT.outputExists);
  assert.match(r.stderr, /error\[output\.exists\]: .*exists\.json already exists; use --force/);
  assert.equal(readFileSync(out, 'utf8'), 'mine');
  assert.equal((await cli('init', '--users', '100', '--out', out, '--force')).code, EXIT.ok);
  assert.equal((await loadScenarioFile(out)).scenario.population.users, 100);
});

test('on a terminal, each question is asked; a bad answer is asked again, Enter keeps the base value', async () => {
  const out = join(dir, 'asked.json');
  const answers = ['0', '800', 'open:40', '', '', '', 'tuwunel', 'gbp', 'asked-server'];
  const asked: string[] = [];
  const io = memoryIo();
  await initCommandAction({ out }, io, (q) => {
    asked.push(q);
    return Promise.resolve(answers.shift() ?? '');
  });
  assert.equal(answers.length, 0);
  assert.equal(asked.length, 9, 'eight questions, the first asked twice');
  assert.match(io.stderr, /--users: expected/);
  const { scenario } = await loadScenarioFile(out);
  assert.equal(scenario.name, 'asked-server');
  assert.equal(scenario.population.users, 800);
  assert.equal(scenario.federation.mode, 'open');
  assert.equal(scenario.federation.remoteServers, 40);
  assert.equal(scenario.run.server.implementation, 'tuwunel');
  assert.equal(scenario.cost.currency, 'GBP');
});
