/**
 * Golden summaries: summary.json of two shipped scenarios, committed under
 * test/golden/<scenario>/summary.json, compared field by field with a fresh
 * run at seed 1 with the scenario's own replications and the
 * recommendation verified, as `mxsim run` writes it; the same run's
 * fingerprint is pinned below, so when a fingerprint moves this test says
 * which figures moved and by how much: every differing field as
 * `path: expected X, got Y`.
 *
 * The `mxsim` field (the version that wrote the summary) is left out of the
 * files and of the comparison: a release must not move the goldens.
 *
 * Regenerate with `npm run golden` (UPDATE_GOLDEN=1). A regenerated golden is
 * a change in behaviour: commit it with the change that caused it and say in
 * the commit message why the figures moved (docs/TESTING.md).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/analysis/run.js';
import { reportFiles } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { formatDifferences, jsonDifferences } from './diff.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * The pinned scenarios, with the overrides they run with: company-2000
 * estimates its saturation linearly, since the search's re-simulations of up
 * to 16,000 users would triple the test's time (team-50 runs the search).
 * team-50 is checked in npm test (golden.test.ts), company-2000, a whole
 * scenario at full size, in npm run test:full (golden.full.test.ts).
 */
export const GOLDEN: Record<string, string[]> = { 'team-50': [], 'company-2000': ['run.server.saturation=linear'] };

/**
 * Fingerprints (OMNeT++-style): the SHA-256 of summary.json, as `mxsim run`
 * writes it with the version field set to 'fingerprint', for the same runs.
 * Any change in behaviour (a coefficient, a random draw added or moved, an
 * event handled in another order, a new field) moves it; the golden above
 * then says which figures moved.
 */
const FINGERPRINTS: Record<string, string> = {
  'team-50': 'bd1aa6115751a24efb022fa4a285a8f6046a27a3f4728e5f48362afc3b6f3f0c',
  'company-2000': '80227db78bf50dadeff436ca88609c22b881a079c7c3a7951be4d82ad5dfd158',
};

/** summary.json of a fresh run at the pinned settings, without the version field, as text, and its fingerprint. */
async function freshSummary(name: string): Promise<{ text: string; fingerprint: string }> {
  const overrides = GOLDEN[name] ?? [];
  const loaded = await loadScenarioFile(`${root}scenarios/${name}.json`, overrides);
  const run = runScenario(loaded.scenario, { seed: 1, sha256: loaded.sha256, overrides, version: 'fingerprint' });
  const fingerprint = createHash('sha256').update(reportFiles(run, loaded.scenario).get('summary.json') ?? '').digest('hex');
  const { mxsim: _version, ...summary } = run.summary;
  return { text: JSON.stringify(summary, null, 2) + '\n', fingerprint };
}

/** The golden test of one pinned scenario. */
export function goldenTest(name: string): void {
  test(`golden: ${name} at seed 1 matches test/golden/${name}/summary.json`, async (t) => {
    const file = `${root}test/golden/${name}/summary.json`;
    const { text: fresh, fingerprint } = await freshSummary(name);
    t.diagnostic(`fingerprint ${name}: ${fingerprint}`);
    if (UPDATE) {
      mkdirSync(`${root}test/golden/${name}`, { recursive: true });
      writeFileSync(file, fresh);
      t.diagnostic(`wrote test/golden/${name}/summary.json`);
      return;
    }
    assert.ok(existsSync(file), `test/golden/${name}/summary.json is missing: run npm run golden`);
    const golden = readFileSync(file, 'utf8');
    if (golden === fresh) {
      assert.equal(fingerprint, FINGERPRINTS[name], `${name}: summary.json fingerprint changed; if the change in behaviour is intended, pin the new value`);
      return;
    }
    const diffs = jsonDifferences(JSON.parse(golden), JSON.parse(fresh));
    assert.fail(
      `${name}: the summary differs from test/golden/${name}/summary.json ` +
        `(if the change in behaviour is intended, run npm run golden and say why in the commit):\n${formatDifferences(diffs)}`,
    );
  });
}
