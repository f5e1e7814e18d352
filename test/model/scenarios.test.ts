/**
 * Every shipped scenario is loaded and validated as shipped, and simulated
 * (STYLE.md convention 9), so the examples never rot: here at a reduced size
 * (REDUCED in ./scenario-laws.ts: fewer users, room counts scaled with them,
 * two replications), held to the laws of ./scenario-laws.ts, whose expected
 * values come from each scenario's own fields (the three slowest bad-day
 * scenarios at reduced size in scenarios-reduced.full.test.ts). The same laws at full size,
 * national-300000's 300,000 users included, run in scenarios.full.test.ts
 * (npm run test:full). Two scenarios pin a fingerprint of their results.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { REDUCED } from './scenario-laws.js';
import { checkReducedScenario, REDUCED_IN_FULL_SUITE, SCENARIOS_DIR } from './reduced-scenario.js';

const dir = SCENARIOS_DIR;
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

  test(
    `scenarios/${file} at reduced size obeys the laws, and replication 0 does not depend on the replication count`,
    { skip: REDUCED_IN_FULL_SUITE.has(name) && 'in npm run test:full (scenarios-reduced.full.test.ts)' },
    () => checkReducedScenario(file),
  );
}

// The fingerprints of team-50 and company-2000 are pinned in test/golden/golden.test.ts, with their golden summaries.
