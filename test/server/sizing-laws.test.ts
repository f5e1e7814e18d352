/**
 * Laws of the recommendation (issue "sizing an architect can trust"): what
 * must hold of a sized deployment whatever the coefficients, because it
 * follows from how Synapse is deployed (docs/workers.md) or from what sizing
 * means. Each runs a small scenario written here, one replication.
 * The shipped scenarios at four sizes each are in sizing-laws.full.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario, type ScenarioRun } from '../../src/analysis/run.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { syncResponseCpuMs } from '../../src/server/profiles.js';

/** A small organisation: direct chats, small groups and one room of everyone. */
const BASE = {
  name: 'sizing-laws',
  description: 'small organisation for the sizing laws',
  population: { users: 400, devicesPerUser: 2 },
  rooms: {
    kinds: [
      { name: 'direct', membershipsPerUser: 4, members: { kind: 'deterministic', value: 2 } },
      { name: 'group', membershipsPerUser: 2, members: { kind: 'uniform', min: 3, max: 12 } },
    ],
  },
  run: { days: 1, replications: 1, seed: 1, server: { saturation: 'linear' } },
};

function load(overrides: string[] = [], spec: object = BASE): Scenario {
  return loadScenarioText(JSON.stringify(spec), 'sizing-laws.test.ts', overrides).scenario;
}

const runs = new Map<string, ScenarioRun>();
function run(overrides: string[] = [], verify = false, spec: object = BASE): ScenarioRun {
  const key = JSON.stringify([overrides, verify, spec === BASE]);
  let r = runs.get(key);
  if (!r) {
    r = runScenario(load(overrides, spec), { seed: 'sizing', replications: 1, sha256: 'laws', overrides, version: 'test', verify });
    runs.set(key, r);
  }
  return r;
}

test('a 40-user server needs at most 2 cores plus its database, and is a monolith', () => {
  // ESS Community: "up to 100 users" on a host of 2 CPU and 2 GB
  // (element-hq/ess-helm README); the load of 40 users is a few percent of a core.
  const rec = run(['population.users=40'], true).summary.recommendation;
  assert.equal(rec.deployment.kind, 'monolith');
  assert.ok(rec.cores - rec.databaseCores <= 2, `${rec.cores - rec.databaseCores} homeserver cores`);
  assert.equal(rec.databaseCores, 1);
  assert.ok(rec.ramGiB <= 2, `${rec.ramGiB} GiB`);
  assert.equal(rec.targetsMet, true);
});

test('recommended cores and RAM never decrease when users grow (CPU sizing, 4 sizes)', () => {
  // More users offer more of every kind of work; a deployment for more users
  // is never smaller. Sizes doubling from 500: noise between neighbours is far
  // smaller than a doubling of the load.
  const sizes = [500, 1000, 2000, 4000];
  const recs = sizes.map((n) => run([`population.users=${n}`]).summary.recommendation);
  for (let i = 1; i < recs.length; i++) {
    assert.ok(recs[i]!.cores >= recs[i - 1]!.cores, `cores ${recs.map((r) => r.cores).join(' -> ')} for ${sizes.join(', ')} users`);
    assert.ok(recs[i]!.ramGiB >= recs[i - 1]!.ramGiB, `RAM ${recs.map((r) => r.ramGiB).join(' -> ')} GiB`);
  }
  // And it does grow over an eightfold population.
  assert.ok(recs.at(-1)!.cores > recs[0]!.cores || recs.at(-1)!.ramGiB > recs[0]!.ramGiB);
});

test('presence off never raises the recommended cores', () => {
  for (const n of [1000, 4000]) {
    const on = run([`population.users=${n}`]).summary.recommendation;
    const off = run([`population.users=${n}`, 'features.presence=false']).summary.recommendation;
    assert.ok(off.cores <= on.cores, `${n} users: presence off ${off.cores} cores, on ${on.cores}`);
  }
});

test('a closed server has no federation processes, however large', () => {
  // Federation senders and readers only handle federation traffic
  // (docs/workers.md); a server that does not federate offers them none.
  const r = run(['population.users=4000', 'federation.mode=closed'], true);
  const rec = r.summary.recommendation;
  for (const kind of ['federationSender', 'federationReader']) assert.equal(rec.deployment.workers?.[kind] ?? 0, 0, `${kind} workers on a closed server`);
  assert.equal(r.summary.traffic.federation.bytesOutPerDay.mean, 0);
});

test('a monolith stays a monolith while its p95 load is under the ceiling; workers only for the work that needs them', () => {
  const small = run(['population.users=500']);
  const load = small.summary.resources.processes[0]!.offeredCoresP95;
  assert.ok(load < small.summary.recommendation.targets.cpuUtilization, `p95 load ${load}`);
  assert.equal(small.summary.recommendation.deployment.kind, 'monolith');
  // Past the ceiling, the recommendation keeps on main the work that does not need moving.
  const big = run(['population.users=4000']).summary.recommendation;
  if (big.deployment.kind === 'workers') {
    const kinds = Object.keys(big.deployment.workers ?? {});
    assert.ok(kinds.length < 7, `workers of every kind: ${kinds.join(', ')}`);
    for (const n of Object.values(big.deployment.workers ?? {})) assert.ok(n > 0);
  }
});

test('the re-simulated recommendation meets its targets, or says it cannot, why and what would help', () => {
  const ok = run(['population.users=2000'], true).summary.recommendation;
  assert.equal(ok.targetsMet, ok.verification?.meetsTargets);
  if (ok.targetsMet) assert.equal(ok.limit, null);
  // A latency bound no deployment can meet (1 ms; a send alone takes ~19 ms): the recommendation says so.
  const tight = run(['population.users=500', 'run.server.targets.localSendMs=1'], true).summary.recommendation;
  assert.equal(tight.targetsMet, false);
  assert.ok(tight.limit !== null && tight.limit.mechanism.length > 0 && tight.limit.lever.length > 0, JSON.stringify(tight.limit));
  assert.ok(tight.notes.some((n) => n.includes('cannot be met')));
});

test('RAM grows with users and with the state of the big rooms', () => {
  const few = run(['population.users=1000']).summary.recommendation;
  const many = run(['population.users=4000']).summary.recommendation;
  assert.ok(many.ramGiB >= few.ramGiB);
  assert.ok(many.band.high.ramGiB > few.band.high.ramGiB || many.ramGiB > few.ramGiB);
  // The same users with one room of everyone: more state in the hot rooms.
  const bigRoom = { ...BASE, rooms: { kinds: [...BASE.rooms.kinds, { name: 'all', count: 1, members: { kind: 'deterministic', value: 4000 }, activityWeight: 0.05 }] } };
  const withRoom = run(['population.users=4000'], false, bigRoom).summary.resources;
  const without = run(['population.users=4000']).summary.resources;
  assert.ok(withRoom.ramBytesPeak > without.ramBytesPeak, `${withRoom.ramBytesPeak} vs ${without.ramBytesPeak} bytes`);
});

test('the band holds the typical value between its low and high ends', () => {
  const b = run(['population.users=2000']).summary.recommendation.band;
  assert.ok(b.low.cores <= b.typical.cores && b.typical.cores <= b.high.cores);
  assert.ok(b.low.ramGiB <= b.typical.ramGiB && b.typical.ramGiB <= b.high.ramGiB);
});

test("calibration: /sync response CPU within the operators' figures (matrix-2026.md §1.5)", () => {
  // Access logs: 14-25 ms per incremental sync with news for personal
  // accounts in many rooms (synapse#7345, #11928); 5-11 ms for light accounts
  // (synapse#7781, #15980, on slow or proxied setups). A personal account in
  // 300 rooms falls in 14-25 ms at typical costs; an enterprise account in 20
  // rooms under 10 ms; the range's ends span the figures (high within 10% of 25 ms).
  const personal = syncResponseCpuMs(300);
  assert.ok(personal >= 11 && personal <= 25, `${personal} ms for 300 rooms`);
  assert.ok(syncResponseCpuMs(300, 'high') >= 0.9 * 25 && syncResponseCpuMs(300, 'low') <= 14, `${syncResponseCpuMs(300, 'low')}-${syncResponseCpuMs(300, 'high')} ms`);
  const enterprise = syncResponseCpuMs(20);
  assert.ok(enterprise >= 3 && enterprise <= 10, `${enterprise} ms for 20 rooms`);
});
