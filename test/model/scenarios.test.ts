/**
 * Every shipped scenario is loaded and validated as shipped, and simulated
 * (STYLE.md convention 9), so the examples never rot: here at a reduced size
 * (REDUCED in ./scenario-laws.ts: fewer users, room counts scaled with them,
 * two replications), held to the laws of ./scenario-laws.ts, whose expected
 * values come from each scenario's own fields. The same laws at full size,
 * national-300000's 300,000 users included, run in scenarios.full.test.ts
 * (npm run test:full). Two scenarios pin a fingerprint of their results.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/analysis/run.js';
import { M, METRICS } from '../../src/model/metrics.js';
import { reportFiles } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { broken, REDUCED, reducedOverrides, scenarioLaws } from './scenario-laws.js';

const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the scenarios folder has the shipped scenarios', () => {
  // A renamed or deleted scenario should be a deliberate change here too.
  for (const name of ['team-50', 'company-2000', 'community-server', 'healthcare-network', 'ministry-20000', 'university-30000', 'national-300000']) {
    assert.ok(files.includes(`${name}.json`), `scenarios/${name}.json is missing`);
  }
  // A new scenario needs a reduced configuration to be simulated here.
  assert.deepEqual(
    files.map((f) => f.replace(/\.json$/, '')).filter((name) => !(name in REDUCED)),
    [],
    'scenarios without an entry in REDUCED (test/model/scenario-laws.ts)',
  );
});

for (const file of files) {
  const name = file.replace(/\.json$/, '');

  test(`scenarios/${file} loads and validates as shipped`, async () => {
    const { scenario } = await loadScenarioFile(`${dir}${file}`);
    assert.equal(`${scenario.name}.json`, file, 'the report folder is named after the file');
  });

  test(`scenarios/${file} at reduced size obeys the laws, and replication 0 does not depend on the replication count`, async () => {
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
  });
}

// The fingerprints of team-50 and company-2000 are pinned in test/golden/golden.test.ts, with their golden summaries.
