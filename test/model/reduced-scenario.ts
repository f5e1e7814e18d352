/**
 * One shipped scenario at reduced size (REDUCED in ./scenario-laws.ts), held
 * to the laws of ./scenario-laws.ts; replication 0 must not depend on the
 * replication count, and the report must render. Shared by
 * scenarios.test.ts and scenarios-reduced.full.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/analysis/run.js';
import { M, METRICS } from '../../src/model/metrics.js';
import { reportFiles } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { broken, REDUCED, reducedOverrides, scenarioLaws } from './scenario-laws.js';

export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/**
 * The scenarios whose reduced run is the slowest, in npm run test:full
 * (scenarios-reduced.full.test.ts) so that npm test keeps to its 3 minutes:
 * the bad days that run each replication twice (with and without the
 * incident; test/model/incidents.test.ts holds their mechanisms to hand
 * computations in the fast suite), and the federation-heavy ones (measured
 * in npm test at 4 files at once on 2 cores: spam-wave 21 s,
 * healthcare-network 15 s, community-server 10 s, national-300000 8 s,
 * ministry-20000-calls 7 s, university-30000 and ministry-20000 5-10 s;
 * the calls' laws are in test/model/calls.test.ts;
 * the trust boundary's and
 * the public rooms' laws are in test/model/trust-boundary.test.ts and
 * test/model/laws.test.ts).
 */
export const REDUCED_IN_FULL_SUITE: ReadonlySet<string> = new Set([
  'big-room-join',
  'partner-outage',
  'spam-wave-policy',
  'spam-wave',
  'healthcare-network',
  'community-server',
  'national-300000',
  'ministry-20000-calls',
  'university-30000',
  'ministry-20000',
]);

/** Run `file` (a name in scenarios/) at reduced size and check it. */
export async function checkReducedScenario(file: string): Promise<void> {
  const dir = SCENARIOS_DIR;
  const name = file.replace(/\.json$/, '');
  const overrides = reducedOverrides(name, JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as Parameters<typeof reducedOverrides>[1]);
  const loaded = await loadScenarioFile(`${dir}${file}`, overrides);
  const s = loaded.scenario;
  const options = { sha256: loaded.sha256, overrides, version: 'test', verify: false };
  const run = runScenario(s, options);
  assert.equal(run.summary.replications, REDUCED[name]!.replications);
  assert.equal(run.summary.world.users, REDUCED[name]!.users);

  const laws = scenarioLaws(s, run);
  assert.deepEqual(broken(laws), [], `${name} at ${s.population.users} users`);

  // Replication r runs with seed `${seed}/${r}` (docs/ARCHITECTURE.md, determinism):
  // a run of one replication reproduces replication 0 of this one exactly.
  const alone = runScenario(s, { ...options, replications: 1 }).results[0]!;
  const first = run.results[0]!;
  assert.equal(alone.events, first.events, 'events processed');
  assert.deepEqual(alone.world, first.world);
  for (const m of METRICS) assert.deepEqual(alone.counters.series(M[m.id]), first.counters.series(M[m.id]), m.id);
  assert.deepEqual(alone.onlineDevices, first.onlineDevices, 'online devices');
  // And the second replication is a different draw.
  assert.notDeepEqual(run.results[1]!.onlineDevices, first.onlineDevices, 'replication 1 differs from replication 0');

  // The report renders: every file has content and the summary is the run's.
  const report = reportFiles(run, s);
  for (const [file, text] of report) assert.ok(text.length > 0, `${file} is empty`);
  assert.deepEqual(JSON.parse(report.get('summary.json')!), JSON.parse(JSON.stringify(run.summary)));
}
