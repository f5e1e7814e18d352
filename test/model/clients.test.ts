/**
 * Laws of the 2026 client mix, push and E2EE (issue: Matrix as it runs in
 * 2026), each on a small scenario simulated whole:
 * - only /sync v2 sets presence (synapse rest/client/sync.py:253-267), so an
 *   all-Element-X population sends no presence at all;
 * - a sliding-sync device recomputes both of its connections on every wake-up
 *   (synapse handlers/sliding_sync/__init__.py:186-225; matrix-rust-sdk
 *   SyncService), so with the same wake-ups its sync CPU is higher than /sync v2's;
 * - Megolm sessions start in steady state, so a run's first day shares as many
 *   room keys per message as its third when nobody joins or leaves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateOnce } from '../../src/analysis/replicate.js';
import { M } from '../../src/model/metrics.js';
import type { ReplicationResult } from '../../src/model/simulate.js';
import { loadScenarioText } from '../../src/scenario/load.js';

const BASE = {
  name: 'clients',
  description: 'a small organisation for the client-mix laws',
  population: { users: 400, devicesPerUser: 2, mobileDeviceShare: 0.5 },
  rooms: {
    activitySkew: 0,
    kinds: [
      { name: 'direct', membershipsPerUser: 4, members: { kind: 'deterministic', value: 2 } },
      { name: 'group', membershipsPerUser: 3, members: { kind: 'uniform', min: 4, max: 30 } },
    ],
  },
  run: { days: 1, replications: 1, seed: 1, server: { saturation: 'linear' } },
};

const load = (overrides: string[]) => loadScenarioText(JSON.stringify(BASE), 'clients.test.ts', overrides).scenario;
const total = (r: ReplicationResult, id: keyof typeof M) => r.counters.total(M[id]);
const syncCpu = (r: ReplicationResult) => r.server.cpuSecondsByOp.syncNews + r.server.cpuSecondsByOp.slidingSync + r.server.cpuSecondsByOp.syncTimeout;

const ALL_SLIDING = ['clients.mobileSlidingSyncShare=1', 'clients.desktopSlidingSyncShare=1'];
const ALL_V2 = ['clients.mobileSlidingSyncShare=0', 'clients.desktopSlidingSyncShare=0'];

test('an all-Element-X population sends no presence, locally or over federation, and makes no /sync v2 request', () => {
  const r = simulateOnce(load([...ALL_SLIDING, 'federation.mode=open', 'federation.remoteServers=3', 'rooms.kinds[1].remoteMemberShare=0.3']), 'c1/0');
  assert.equal(total(r, 'm.presence'), 0);
  assert.equal(total(r, 'fed.out.edus.presence'), 0);
  assert.equal(total(r, 'sync.v2_requests'), 0);
  assert.ok(total(r, 'sync.sliding_requests') > 0);
  const v2 = simulateOnce(load([...ALL_V2, 'federation.mode=open', 'federation.remoteServers=3', 'rooms.kinds[1].remoteMemberShare=0.3']), 'c1/0');
  assert.ok(total(v2, 'm.presence') > 0, 'the same users on /sync v2 do set presence');
  assert.equal(total(v2, 'sync.sliding_requests'), 0);
});

test('with the same wake-ups (presence off), sliding sync costs the sync workers more CPU than /sync v2: two connections, each recomputed on every wake-up', () => {
  const sliding = simulateOnce(load([...ALL_SLIDING, 'features.presence=false']), 'c2/0');
  const v2 = simulateOnce(load([...ALL_V2, 'features.presence=false']), 'c2/0');
  // Same users online, same sends: the wake-ups are the same; every sliding-sync device answers twice.
  assert.equal(total(sliding, 'm.room.message'), total(v2, 'm.room.message'));
  const ratio = total(sliding, 'sync.sliding_requests') / total(v2, 'sync.v2_requests');
  assert.ok(Math.abs(ratio - 2) < 0.05, `sliding requests / v2 requests ${ratio}`);
  assert.ok(syncCpu(sliding) > 1.5 * syncCpu(v2), `sync CPU sliding ${syncCpu(sliding)} s, v2 ${syncCpu(v2)} s`);
});

test('room keys per encrypted message are the same on the first and the third day when nobody joins, leaves or logs in (sessions start in steady state)', () => {
  const quiet = [
    'features.encryptionByDefault=true',
    'run.days=3',
    'behaviour.membershipChangesPerUserPerMonth=0',
    'behaviour.newDevicesPerUserPerMonth=0',
    'population.users=1000',
  ];
  const perDay = (r: ReplicationResult, metric: keyof typeof M, day: number) => {
    const series = r.counters.series(M[metric]);
    const bins = series.length / 3;
    let sum = 0;
    for (let b = day * bins; b < (day + 1) * bins; b++) sum += series[b]!;
    return sum;
  };
  let first = 0;
  let third = 0;
  for (const seed of ['k1/0', 'k2/0']) {
    const r = simulateOnce(load(quiet), seed);
    first += perDay(r, 'm.room_key', 0) / perDay(r, 'm.room.encrypted', 0);
    third += perDay(r, 'm.room_key', 2) / perDay(r, 'm.room.encrypted', 2);
  }
  assert.ok(first > 0 && third > 0);
  // Before, sessions began at first use: day 1 sent 2.4 times the keys per message of day 3 (17.7 vs 7.5 in ministry-20000).
  assert.ok(Math.abs(first / third - 1) < 0.15, `keys per message, day 1 ${first / 2}, day 3 ${third / 2}`);
});
