/**
 * Every shipped scenario simulated at its full size, one replication each,
 * and held to the laws of ./scenario-laws.ts (npm run test:full; npm test
 * runs the same laws on reduced sizes in scenarios.test.ts). At full size the
 * laws' tolerances, five standard deviations of counts that grow with the
 * scenario, are several times tighter. national-300000 is the slowest (about
 * two and a half minutes on an idle machine): it is the scenario that
 * exercises the largest arrays and the longest event list.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/analysis/run.js';
import { reportFiles } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { broken, scenarioLaws } from './scenario-laws.js';

const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

for (const file of files) {
  test(`scenarios/${file} at full size obeys the laws`, async () => {
    const loaded = await loadScenarioFile(`${dir}${file}`);
    const s = loaded.scenario;
    const run = runScenario(s, { replications: 1, sha256: loaded.sha256, overrides: [], version: 'test', verify: false });
    assert.equal(run.summary.replications, 1);
    assert.equal(run.summary.world.users, s.population.users);
    assert.deepEqual(broken(scenarioLaws(s, run)), [], `${s.name} at full size`);

    // The report renders: every file has content and the summary is the run's.
    const report = reportFiles(run, s);
    for (const [name, text] of report) assert.ok(text.length > 0, `${name} is empty`);
    assert.deepEqual(JSON.parse(report.get('summary.json')!), JSON.parse(JSON.stringify(run.summary)));
  });
}
