import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../src/analysis/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { progressBar } from '../../src/cli/progress.js';
import { loadScenarioText } from '../../src/scenario/load.js';

const text = JSON.stringify({
  name: 'progress',
  description: 'A small closed server for the progress tests.',
  population: { users: 60 },
  rooms: { kinds: [{ name: 'group', count: 8, members: { kind: 'deterministic', value: 6 } }] },
  run: { days: 0.5, replications: 2, binMinutes: 60 },
});

test('reporting progress hour by hour changes nothing in the results', () => {
  const { scenario } = loadScenarioText(text, 'progress.json');
  const base = { sha256: 'x', overrides: [], version: 'test', verify: false };
  const quiet = runScenario(scenario, base);
  const seen: number[] = [];
  const phases = new Set<string>();
  const loud = runScenario(scenario, { ...base, onProgress: (f, phase) => (seen.push(f), phases.add(phase)) });
  assert.equal(JSON.stringify(loud.summary), JSON.stringify(quiet.summary));
  // 12 simulated hours per replication: 11 hourly steps plus the end of each, then the summary.
  assert.ok(seen.length >= 24, `only ${seen.length} progress calls`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, 'progress never goes back');
  assert.equal(seen.at(-1), 1);
  assert.deepEqual([...phases], ['replication 1/2', 'replication 2/2', 'summarizing and checking the recommendation']);
});

test('the progress bar stays silent off a terminal, with --quiet, and for quick runs', () => {
  const io = memoryIo();
  const off = progressBar(io, false);
  off.update(0.5, 'x');
  off.stop();
  let t = 0;
  const quick = progressBar(io, true, () => t);
  t = 500; // half a second in: too early to show
  quick.update(0.9, 'x');
  quick.stop();
  assert.equal(io.stderr, '');
  assert.equal(io.stdout, '');
  t = 0;
  const slow = progressBar(io, true, () => t);
  t = 2000;
  slow.update(0.5, 'replication 1/2');
  slow.stop();
  assert.match(io.stderr, /simulating .*50% .*replication 1\/2/);
  assert.equal(io.stdout, '', 'never on stdout');
});
