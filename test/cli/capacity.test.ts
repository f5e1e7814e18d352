import { defaultJobs } from '../../src/analysis/pool.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { capacityRequest } from '../../src/cli/capacity.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadCatalogs, readDefaultCatalogTexts } from '../../src/cost/catalog.js';
import { EXIT, MxsimError } from '../../src/errors.js';
import type { CapacityTable } from '../../src/experiments/capacity-table.js';
import { small } from './small-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-capacity-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, 'tiny.json');
writeFileSync(file, JSON.stringify(small));

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', 'capacity', ...args], io);
  return { code, ...io };
};

const catalogs = () => loadCatalogs(readDefaultCatalogTexts());

test('the modes and their defaults', () => {
  assert.deepEqual(capacityRequest({ hardware: 'cores=16,ramGiB=64' }, catalogs), {
    mode: 'hardware',
    hardware: { cores: 16, ramGiB: 64, label: 'cores=16,ramGiB=64' },
    replications: 3,
    seed: undefined,
    // Without --jobs: every core this process may use.
    jobs: defaultJobs(),
  });
  assert.deepEqual(capacityRequest({ users: '5_000', seed: 'x', jobs: '4' }, catalogs), {
    mode: 'users',
    users: [5000],
    implementations: ['synapse', 'tuwunel'],
    replications: 1,
    seed: 'x',
    jobs: 4,
  });
  assert.deepEqual(capacityRequest({ table: '500, 2500,10000', implementations: 'dendrite,synapse', replications: '2' }, catalogs), {
    mode: 'table',
    users: [500, 2500, 10_000],
    implementations: ['dendrite', 'synapse'],
    replications: 2,
    seed: undefined,
    jobs: defaultJobs(),
  });
  const ccx = capacityRequest({ hardware: 'CCX43' }, catalogs);
  assert.ok(ccx.mode === 'hardware');
  assert.deepEqual([ccx.hardware.cores, ccx.hardware.ramGiB], [16, 64]);
});

test('every problem with the options at once, each with the value as written, exit 2 before the scenario is read', async () => {
  const r = await run(
    join(dir, 'does-not-exist.json'),
    '--hardware',
    'cores=0,ram=8',
    '--table',
    '100,-5,100',
    '--implementations',
    'synapse,conduit',
    '--replications',
    'three',
    '--jobs',
    '0',
    '--out',
    join(dir, 'never'),
  );
  assert.equal(r.code, EXIT.usage);
  assert.equal(
    r.stderr,
    [
      'mxsim: error[usage]: 9 problems with the options of mxsim capacity:',
      '  give only one of --hardware, --users and --table, got --hardware "cores=0,ram=8" and --table "100,-5,100"',
      '  --hardware: cores expected a whole number of cores up to 1,000,000, got "0"',
      '  --hardware: expected cores=N or ramGiB=N, got "ram=8" (unknown key "ram")',
      '  --hardware: ramGiB=N missing, got "cores=0,ram=8" (e.g. cores=16,ramGiB=64, or an instance name such as CCX43)',
      '  --table: expected user counts from 1 to 10,000,000 separated by commas, got "-5" in "100,-5,100"',
      '  --table: 100 users given twice, in "100,-5,100"',
      '  --implementations: expected names from synapse, synapse-pro, dendrite, tuwunel, continuwuity, got "conduit"',
      '  --replications: expected an integer from 1 to 1,000, got "three"',
      '  --jobs: expected an integer from 1 to 256, got "0"',
      '',
    ].join('\n'),
  );
  assert.equal(existsSync(join(dir, 'never')), false);
});

test('no mode, a bad --users, an unknown instance, options of another mode: exit 2', async () => {
  const other = await run(file, '--hardware', 'cores=4,ramGiB=8', '--implementations', 'tuwunel', '--out', join(dir, 'never'), '--currency', 'EUR');
  assert.equal(other.code, EXIT.usage);
  assert.match(other.stderr, /3 problems/);
  assert.match(other.stderr, /--currency: only with --users or --table \(--hardware prices nothing\), got "EUR"/);
  assert.match(other.stderr, /--implementations: only with --users or --table .*, got "tuwunel"/);
  assert.match(other.stderr, /--out: only with --table, got ".*never"/);
  const none = await run(file);
  assert.equal(none.code, EXIT.usage);
  assert.match(none.stderr, /give one of --hardware SPEC .*, --users N .* or --table N,N/);
  const zero = await run(file, '--users', '0');
  assert.equal(zero.code, EXIT.usage);
  assert.match(zero.stderr, /--users: expected an integer from 1 to 10,000,000, got "0"/);
  const instance = await run(file, '--hardware', 'CX99');
  assert.equal(instance.code, EXIT.usage);
  assert.match(instance.stderr, /no instance "CX99" in the compute catalogs; the closest: /);
});

test('--table on a tiny scenario: one row per size and implementation, as CSV, and the folder with the chart', async () => {
  const out = join(dir, 'table');
  const r = await run(file, '--table', '20,40', '--output', 'csv', '--out', out, '--quiet', '--jobs', '1');
  assert.equal(r.code, EXIT.ok, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(
    lines[0],
    'users,implementation,deployment,targets_met,cores,database_cores,ram_gib,disk_gib,bandwidth_mbps,hosting_monthly,monthly_with_labour,currency,offer,hosts,bottleneck',
  );
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',').slice(0, 2).join(',')),
    ['20,synapse', '20,tuwunel', '40,synapse', '40,tuwunel'],
  );
  for (const f of ['table.md', 'table.csv', 'table.json', 'capacity.svg', 'capacity.vl.json']) assert.ok(existsSync(join(out, f)), f);
  assert.equal(readFileSync(join(out, 'table.csv'), 'utf8'), r.stdout);
  const table = JSON.parse(readFileSync(join(out, 'table.json'), 'utf8')) as CapacityTable;
  assert.equal(table.rows.length, 4);
  for (const row of table.rows) {
    assert.equal(row.targetsMet, true);
    assert.ok(row.cores >= 1 && row.ramGiB >= 1, JSON.stringify(row));
    assert.ok(row.cost !== null && row.cost.hostingMonthly > 0 && row.cost.monthly >= row.cost.hostingMonthly, JSON.stringify(row));
  }
  // Synapse needs PostgreSQL; tuwunel embeds its database (src/scenario/grammar.ts POSTGRES_IMPLEMENTATIONS).
  assert.deepEqual(
    table.rows.map((x) => x.databaseCores > 0),
    [true, false, true, false],
  );
  assert.match(readFileSync(join(out, 'capacity.svg'), 'utf8'), /^<svg/);
  // The folder exists now: without --force it is refused (exit 4), as mxsim run's report folder.
  assert.equal((await run(file, '--table', '20', '--out', out, '--quiet', '--jobs', '1')).code, EXIT.outputExists);
});

test('a usage error is an MxsimError with code usage', () => {
  assert.throws(
    () => capacityRequest({}, catalogs),
    (e: unknown) => e instanceof MxsimError && e.code === 'usage',
  );
});
