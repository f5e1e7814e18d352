/**
 * What one replication keeps once it has run (src/analysis/replicate.ts): the
 * per-bin series, counters and sketches the summary reads, never the world
 * or the simulation, so that a run of several replications holds one
 * replication's working set plus small results.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuantileSketch } from '../../src/engine/quantile-sketch.js';
import { Simulation } from '../../src/engine/simulation.js';
import { simulateOnce } from '../../src/analysis/replicate.js';
import { loadScenarioText } from '../../src/scenario/load.js';

/** A small closed server, 6 hours in hourly bins; `users` users in rooms of 6. */
function scenario(users: number) {
  const text = JSON.stringify({
    name: 'retained',
    description: 'A small closed server for what a replication keeps.',
    population: { users },
    rooms: { kinds: [{ name: 'group', membershipsPerUser: 2, members: { kind: 'deterministic', value: 6 } }] },
    run: { days: 0.25, replications: 1, binMinutes: 60 },
  });
  return loadScenarioText(text, 'retained.json').scenario;
}

/** Everything reachable from a result: bytes in typed arrays outside sketches, the sketches, and whether a world or a simulation is among them. */
function reachable(root: unknown): { bytes: number; sketches: number; world: boolean; simulation: boolean } {
  const seen = new Set<object>();
  const out = { bytes: 0, sketches: 0, world: false, simulation: false };
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof QuantileSketch) {
      // Bounded by construction: at most bucketLimit buckets (src/engine/quantile-sketch.ts).
      out.sketches++;
      continue;
    }
    if (v instanceof Simulation) out.simulation = true;
    if (ArrayBuffer.isView(v)) {
      out.bytes += v.byteLength;
      continue;
    }
    if ('userRoom' in v) out.world = true;
    if (v instanceof Map || v instanceof Set) stack.push(...(v.values() as Iterable<unknown>));
    stack.push(...Object.values(v as Record<string, unknown>));
  }
  return out;
}

test('a replication keeps neither its world nor its simulation, and keeps as much at 10 times the users', () => {
  const small = reachable(simulateOnce(scenario(60), 'r/0'));
  const large = reachable(simulateOnce(scenario(600), 'r/0'));
  assert.equal(small.world, false, 'no world in the result');
  assert.equal(small.simulation, false, 'no simulation in the result');
  assert.equal(large.world, false);
  assert.equal(large.simulation, false);
  // Per-bin series of fixed length (6 bins), whatever the users: the same bytes and the same sketches.
  assert.equal(large.bytes, small.bytes);
  assert.equal(large.sketches, small.sketches);
  assert.ok(small.bytes > 0, 'the series are there');
});
