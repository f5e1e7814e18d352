/**
 * The monotonicity law on every shipped scenario (npm run test:full): the
 * recommended cores and RAM never decrease when users grow. Four sizes per
 * scenario, 1, 1.5, 2 and 3 times its users (rooms given by count must fit,
 * so no smaller); a quarter of them for a scenario of more than 30,000 users,
 * so the largest runs stay within minutes; one replication each,
 * sized from CPU load (the verification re-simulates around this sizing and
 * is checked in sizing-laws.test.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { runScenario } from '../../src/analysis/run.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const DIR = new URL('../../scenarios/', import.meta.url);

for (const file of readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  test(`${file}: recommended cores and RAM never decrease over four growing sizes`, async (t) => {
    const base = await loadScenarioFile(new URL(file, DIR).pathname);
    // A scenario with a timeline is a shipped scenario's bad day: its normal day is that scenario's, checked under its own name.
    if (base.scenario.timeline.length > 0) return t.skip('a bad day of another shipped scenario, whose normal day is checked under its own name');
    const own = base.scenario.population.users;
    const users = own > 30_000 ? own / 4 : own;
    const sizes = [1, 1.5, 2, 3].map((f) => Math.round(users * f));
    const recs = [];
    for (const n of sizes) {
      const set = [`population.users=${n}`, 'run.replications=1', 'run.server.saturation=linear', 'run.server.sizeFor=today'];
      const loaded = await loadScenarioFile(new URL(file, DIR).pathname, set);
      recs.push(runScenario(loaded.scenario, { seed: 1, replications: 1, sha256: loaded.sha256, overrides: set, version: 'test', verify: false }).summary.recommendation);
    }
    const cores = recs.map((r) => r.cores);
    const ram = recs.map((r) => r.ramGiB);
    for (let i = 1; i < recs.length; i++) {
      assert.ok(cores[i]! >= cores[i - 1]!, `${file}: cores ${cores.join(' -> ')} for ${sizes.join(', ')} users`);
      assert.ok(ram[i]! >= ram[i - 1]!, `${file}: RAM ${ram.join(' -> ')} GiB for ${sizes.join(', ')} users`);
    }
  });
}
