import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeRun } from '../../src/analysis/run.js';
import { decodeReplication, encodeReplication } from '../../src/analysis/replication-codec.js';
import { simulateOnceTask } from '../../src/analysis/replication-task.js';
import { simulateOnce } from '../../src/analysis/replicate.js';
import { QuantileSketch } from '../../src/engine/quantile-sketch.js';
import { Counters } from '../../src/model/metrics.js';
import { reportFiles } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

/** Every value below `v` that is an object, with its path and prototype (typed arrays as leaves). */
function prototypes(v: unknown, path = 'r', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof v !== 'object' || v === null) return out;
  out.set(path, Object.getPrototypeOf(v));
  if (ArrayBuffer.isView(v)) return out;
  for (const [k, x] of Object.entries(v)) prototypes(x, `${path}.${k}`, out);
  return out;
}

test('a replication encoded, structured-cloned (as between threads) and decoded gives the same report, class instances and all', async () => {
  // team-50 cut to six hours in 1-hour bins: one replication is a fraction of a second.
  const { scenario, sha256 } = await loadScenarioFile('scenarios/team-50.json', ['run.days=0.25', 'run.binMinutes=60', 'run.replications=1']);
  const r = simulateOnce(scenario, '1/0');
  const back = decodeReplication(structuredClone(encodeReplication(r)));
  // Structured clone alone strips the classes: the sketches lose their methods.
  assert.equal(typeof (structuredClone(r).federationLatency as { quantile?: unknown }).quantile, 'undefined');
  const before = prototypes(r);
  const after = prototypes(back);
  assert.deepEqual([...after.keys()], [...before.keys()]);
  for (const [path, proto] of before) assert.equal(after.get(path), proto, path);
  // The class instances: the Counters, the federation and local-send sketches, a local-send sketch per bin (6 one-hour
  // bins), and the sketch of the sends outside every incident window (all of them: no timeline).
  const instances = [...before.values()].filter((p) => p === QuantileSketch.prototype || p === Counters.prototype);
  assert.equal(instances.length, 1 + 2 + 6 + 1);
  // Two fields that share one series still share it.
  assert.equal(r.server.database?.offeredByBin, r.server.databaseOfferedByBin);
  assert.equal(back.server.database?.offeredByBin, back.server.databaseOfferedByBin);
  // The task function is simulateOnce encoded.
  assert.deepEqual(decodeReplication(simulateOnceTask(scenario, '1/0')), r);
  const options = { sha256, overrides: [], version: 'test' };
  const files = (x: typeof r) => reportFiles(summarizeRun(scenario, [x], options), scenario);
  const want = files(r);
  const got = files(back);
  assert.deepEqual([...got.keys()], [...want.keys()]);
  for (const [name, text] of want) assert.equal(got.get(name), text, name);
});

test('a result holding a class the codec does not know fails to encode, naming where', () => {
  class Unknown {}
  assert.throws(() => encodeReplication({ seed: 'x', server: { extra: new Unknown() } } as never), {
    message: 'result.server.extra is a Unknown, which replication-codec.ts does not know: add its class to CLASSES',
  });
});
