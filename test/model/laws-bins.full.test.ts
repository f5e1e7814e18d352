/**
 * A run of 129,600 bins (90 days of 1-minute bins) completes and
 * summarizes: in the full suite, as it costs about 8 s (a robustness
 * regression, not a law; test/model/laws.test.ts holds the laws).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateOnce } from '../../src/analysis/replicate.js';
import { summarize } from '../../src/analysis/summarize.js';
import { load } from './laws-base.js';

test('a run with more than ~125,000 bins completes and summarizes', () => {
  // Regression: peaks were taken with Math.max(0, ...series), which throws
  // "RangeError: Maximum call stack size exceeded" in V8 past about 125,000
  // arguments (Node 20). run.days x 1440 / run.binMinutes bins: 90 days of
  // 1-minute bins (the shortest bin the grammar allows) = 129,600 bins.
  // The bin means are time averages, so a constant 2 users online comes out
  // as 2 +- 1e-11: the share may exceed 1 by float rounding, hence 1 + 1e-9.
  const s = load({
    name: 'fine-bins',
    description: 'two users, very fine bins',
    // One quiet class: 90 days of the default classes' messages would cost more than the bins.
    population: { users: 2, classes: [{ name: 'quiet', share: 1, messagesPerDay: 2 }] },
    rooms: { kinds: [{ name: 'direct', count: 1, members: { kind: 'deterministic', value: 2 } }] },
    run: { days: 90, binMinutes: 1 },
  });
  // simulateReplication and summarize rather than runScenario: the per-bin
  // CSV tables of 129,600 rows would triple the time without testing more.
  const r = simulateOnce(s, 'bins/0');
  assert.equal(r.onlineUsers.length, 129_600);
  assert.ok(r.peakOnlineShare > 0 && r.peakOnlineShare <= 1 + 1e-9, `peak online share ${r.peakOnlineShare}`);
  // Regression: the homeserver keeps one local-send latency sketch per bin,
  // and each used to allocate all of its 2,419 buckets (19 KB) up front:
  // 2.8 GB for this run of two users. Now only bins with a send allocate
  // (32 buckets for one or two values close together, src/engine/quantile-sketch.ts).
  const sketches = r.server.localSendLatencyByBin;
  const used = sketches.filter((k) => k.count > 0).length;
  const buckets = sketches.reduce((n, k) => n + k.bucketCount, 0);
  assert.equal(sketches.length, 129_600);
  assert.ok(used > 0 && used < sketches.length / 10, `${used} bins with a local send`);
  assert.ok(buckets <= 64 * used, `${buckets} buckets allocated for ${used} bins with a send`);
  const summary = summarize({ scenario: s, sha256: 'laws', overrides: [], version: 'test', seed: 'bins', results: [r] });
  assert.ok(summary.activity.peakOnlineUsers.mean > 0);
});
