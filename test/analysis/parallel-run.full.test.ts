import assert from 'node:assert/strict';
import { test } from 'node:test';
import { horizonUsers } from '../../src/analysis/run.js';
import { runPipeline } from '../../src/pipeline.js';
import { reportFiles } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

test('a run on two threads gives summary.json and the CSV files byte for byte as in one thread', async () => {
  // team-50 cut to six hours in 1-hour bins, growing 5% a month: step 6 sizes for the
  // horizon's users from a simulation of them, which runs on the pool with the replications.
  const overrides = ['run.days=0.25', 'run.binMinutes=60', 'run.replications=2', 'population.growthPerMonth=0.05'];
  const loaded = await loadScenarioFile('scenarios/team-50.json', overrides);
  const s = loaded.scenario;
  const one = await runPipeline(loaded, { overrides, version: 'test', jobs: 1 });
  const progress: number[] = [];
  const phases = new Set<string>();
  const two = await runPipeline(loaded, {
    overrides,
    version: 'test',
    jobs: 2,
    onProgress: (f, phase) => {
      progress.push(f);
      phases.add(phase);
    },
  });
  // The users the horizon's simulation was started for are those of the storage table's last month.
  assert.equal(horizonUsers(s), Math.round(one.run.storage.at(-1)!.users));
  assert.equal(one.run.summary.recommendation.horizonUsers, horizonUsers(s));
  const want = reportFiles(one.run, s);
  const got = reportFiles(two.run, s);
  assert.deepEqual([...got.keys()], [...want.keys()]);
  assert.ok([...want.keys()].filter((f) => f.endsWith('.csv')).length >= 9, 'the CSV files of src/report/files.ts');
  for (const [name, text] of want) assert.equal(got.get(name), text, name);
  // Progress: the share of the replications done, never going back, to 1.
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, 'progress never goes back');
  assert.equal(progress.at(-1), 1);
  // The horizon's simulation (the longest task, started first) usually ends after the replications.
  assert.equal([...phases][0], 'replications: 0 of 2 done');
  assert.ok(phases.has('replications: 1 of 2 done'));
  assert.ok(phases.has('replications: 2 of 2 done') || phases.has("simulating the horizon's users"), [...phases].join('; '));
});
