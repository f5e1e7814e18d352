/**
 * Incidents of the timeline (src/model/mechanisms/incidents.ts) and the
 * federation queue's side of a remote outage (src/model/federation.ts), against
 * hand computations: a backlog drains after the outage at one transaction in
 * flight per destination, a request from the server wakes its queue at once,
 * catch-up folds the backlog and loses nothing; then a whole run: nothing is
 * lost, the queues drain, and the inert baseline is the run without a timeline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bigRoomJoins, simulateOnce } from '../../src/analysis/replicate.js';
import { runScenario } from '../../src/analysis/run.js';
import { storageProjection, weeklyAverageDayFactor } from '../../src/analysis/summarize.js';
import { summarizeIncidents } from '../../src/analysis/incidents-summary.js';
import { zoneOffsets } from '../../src/model/world.js';
import * as d from '../../src/engine/distributions.js';
import { Simulation } from '../../src/engine/simulation.js';
import { K } from '../../src/model/coefficients.js';
import { FederationSender } from '../../src/model/federation.js';
import { Counters, M } from '../../src/model/metrics.js';
import { simulateReplication } from '../../src/model/simulate.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { createHomeserver } from '../../src/server/server.js';
import { SERVER_COEFFICIENTS as S } from '../../src/server/server-coefficients.js';
import { RecordingServer } from './recording-server.js';
import type { Scenario } from '../../src/scenario/grammar.js';

/** One destination 50 ms away that accepts a transaction in 100 ms, and no server model (transactions go out at once). */
function sender() {
  const sim = new Simulation('incidents-test');
  const counters = new Counters(86400, 86400);
  const fed = new FederationSender(
    sim,
    counters,
    { servers: 1, downShare: 0, slowShare: 0, slowFactor: 10, latencyMs: d.deterministic(50), processingMs: d.deterministic(100) },
    sim.random('federation'),
    sim.random('federation-processing'),
  );
  const at = (t: number, fn: () => void) => sim.scheduleAt(t, sim.handler(fn));
  return { sim, fed, at, total: (id: keyof typeof M) => counters.total(M[id]) };
}

// A transaction takes 2 x 50 ms + 100 ms = 0.2 s; the first after a failure
// opens a new connection, two round trips more (TCP, TLS 1.3): 0.4 s.
const TX = 0.2;
const FIRST_TX = 0.4;

test('remote outage: the backlog waits out the back-off, then drains 50 PDUs a transaction, one transaction in flight', () => {
  // Down from 0 to 1,800 s. 500 PDUs queued at 10 s. Attempts fail after
  // client_timeout (60 s) and back off 600 s, then 1,200 s: failures at 70 s
  // and 730 s, retries at 670 s and 1,930 s. The server is back at 1,800 s
  // but says nothing, so the queue waits for its retry at 1,930 s: 10
  // transactions of 50 PDUs, the first on a new connection, done at
  // 1,930 + 0.4 + 9 x 0.2 = 1,932.2 s. Never two in flight.
  const { sim, fed, at, total } = sender();
  at(0, () => fed.takeDown(0));
  at(10, () => {
    for (let i = 0; i < 500; i++) fed.enqueuePdu(0, i % 7, K.pduBytes);
  });
  at(1800, () => fed.bringUp(0));
  sim.run(1929.9);
  assert.equal(total('fed.out.failed_attempts'), 2);
  assert.equal(fed.backlogOf(0), 500);
  assert.equal(fed.inCatchUp(0), false, 'a back-off of 20 minutes is not yet catch-up');
  const done = 1930 + FIRST_TX + 9 * TX;
  sim.run(done - 1e-6);
  assert.equal(fed.backlogOf(0), 50, 'the last transaction is still in flight');
  sim.run(done + 1e-6);
  assert.equal(fed.backlogOf(0), 0);
  assert.equal(total('fed.out.transactions'), 10);
  assert.equal(total('fed.out.pdus'), 500);
  assert.equal(fed.overlappingTransactions, 0);
  assert.deepEqual([fed.pdusQueued[0], fed.pdusAcknowledged[0], fed.pdusFolded[0]], [500, 500, 0]);
});

test('remote outage: a request from the server when it is back resets its back-off and wakes its queue at once', () => {
  // As above, but the server sends us a transaction at 1,805 s (Synapse's
  // _reset_retry_timings then notify_remote_server_up): the queue goes out
  // at 1,805 s and is done at 1,805 + 0.4 + 9 x 0.2 = 1,807.2 s; the retry
  // still scheduled for 1,930 s is stale and sends nothing twice.
  const { sim, fed, at, total } = sender();
  at(0, () => fed.takeDown(0));
  at(10, () => {
    for (let i = 0; i < 500; i++) fed.enqueuePdu(0, 0, K.pduBytes);
  });
  at(1800, () => fed.bringUp(0));
  at(1805, () => fed.inboundFrom(0));
  sim.run(1805 + FIRST_TX + 9 * TX + 1e-6);
  assert.equal(fed.backlogOf(0), 0);
  assert.equal(fed.backoffSeconds(0), 0);
  sim.run(3600);
  assert.equal(total('fed.out.transactions'), 10);
  assert.equal(fed.overlappingTransactions, 0);
  // A request before the server is back changes nothing: it is still down.
  const second = sender();
  second.at(0, () => second.fed.takeDown(0));
  second.at(10, () => second.fed.enqueuePdu(0, 0, K.pduBytes));
  second.at(100, () => second.fed.inboundFrom(0));
  second.sim.run(600);
  assert.equal(second.fed.backlogOf(0), 1);
  assert.equal(second.total('fed.out.failed_attempts'), 1);
});

test('remote outage past an hour: catch-up folds the backlog into the latest event of each room, and nothing is lost', () => {
  // Failures at 70, 730, 1,990 and 4,450 s (back-offs 600, 1,200, 2,400,
  // then 4,800 s > 1 h: catch-up). 300 PDUs in 3 rooms queued at 10 s and
  // 30 more at 4,500 s fold into 3 rooms; back at 7,200 s, the retry at
  // 4,450 + 4,800 = 9,250 s sends one room a transaction: 3 transactions,
  // done at 9,250 + 0.4 + 2 x 0.2 = 9,250.8 s. Queued 330 = acknowledged 3
  // + folded 327.
  const { sim, fed, at, total } = sender();
  at(0, () => fed.takeDown(0));
  at(10, () => {
    for (let i = 0; i < 300; i++) fed.enqueuePdu(0, i % 3, K.pduBytes);
  });
  at(4500, () => {
    for (let i = 0; i < 30; i++) fed.enqueuePdu(0, i % 3, K.pduBytes);
  });
  at(7200, () => fed.bringUp(0));
  sim.run(9250 - 1e-6);
  assert.equal(fed.inCatchUp(0), true);
  assert.equal(fed.backlogOf(0), 3, 'one room a pending catch-up');
  assert.equal(total('fed.out.failed_attempts'), 4);
  sim.run(9250 + FIRST_TX + 2 * TX + 1e-6);
  assert.equal(fed.backlogOf(0), 0);
  assert.equal(total('fed.out.catchup_pdus'), 3);
  assert.deepEqual([fed.pdusQueued[0], fed.pdusAcknowledged[0], fed.pdusFolded[0]], [330, 3, 327]);
});

/** A small federated scenario: 200 users, 20 remote servers, rooms with remote members, one day. */
function scenario(timeline: unknown[]): Scenario {
  const v = validateScenario({
    name: 'outage-test',
    description: 'incidents test: a small federated organisation',
    population: { users: 200 },
    rooms: {
      kinds: [
        { name: 'teams', count: 20, members: { kind: 'deterministic', value: 12 }, remoteMemberShare: 0.3 },
        { name: 'dm', membershipsPerUser: 2, members: { kind: 'deterministic', value: 2 } },
      ],
    },
    federation: { mode: 'open', remoteServers: 20, downShare: 0, slowShare: 0 },
    timeline,
    run: { days: 1, replications: 1, seed: 7 },
  });
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.rule}`).join('\n'));
  return v.scenario;
}

const OUTAGE = { kind: 'remoteOutage', name: 'partner down', at: { day: 1, hour: 10 }, durationMinutes: 120, servers: { largest: 3 } };

test('a run with a remote outage: nothing lost, the queues drain, and the baseline is the run without the timeline', () => {
  const s = scenario([OUTAGE]);
  const r = simulateOnce(s, '7/0');
  const [inc] = r.incidents;
  assert.ok(inc);
  assert.equal(inc.name, 'partner down');
  assert.equal(inc.servers, 3);
  assert.equal(inc.startSeconds, 36000);
  assert.equal(inc.endSeconds, 36000 + 7200);
  // 30 min before to 4 h after, in one-minute steps.
  assert.equal(inc.backlogPdus.length, (30 + 120 + 240) / 1);
  assert.ok(inc.pdusQueued > 0, 'local users sent into rooms with those servers during the outage');
  assert.ok(inc.failedAttempts > 0);
  assert.equal(inc.lostPdus, 0, 'queued = acknowledged + folded + still queued');
  assert.ok(inc.drainSeconds !== null && inc.drainSeconds >= 0, 'the queues drained within the run');
  assert.ok(Math.max(...inc.backlogPdus) > 0);
  // The baseline: the same window without the incident, nothing failed, nothing queued for long.
  const [base] = r.incidentBaselines;
  assert.ok(base);
  assert.equal(base.failedAttempts, 0);
  assert.equal(base.lostPdus, 0);
  // The inert run is the run without a timeline: the same counters, bin for bin.
  const plain = simulateReplication(scenario([]), '7/0', createHomeserver);
  const inert = simulateReplication(s, '7/0', createHomeserver, undefined, { incidentsInert: true });
  assert.deepEqual(inert.counters.values, plain.counters.values);
  // Its only events of its own: the window's samples, every 10 s for 390 minutes, its start and its end.
  assert.equal(inert.events - plain.events, (390 * 60) / 10 + 2);
  // And the incident changes the run only from its start: nothing before 10:00 differs.
  const bin = 900;
  for (const id of ['m.room.message', 'fed.out.pdus', 'fed.out.transactions'] as const) {
    const a = r.counters.series(M[id]);
    const b = plain.counters.series(M[id]);
    for (let k = 0; k < 36000 / bin; k++) assert.equal(a[k], b[k], `${id} in bin ${k}`);
  }
  // Deterministic.
  assert.deepEqual(simulateOnce(s, '7/0').incidents[0]!.backlogPdus, inc.backlogPdus);
  // Server by server: the three, most popular first; their peaks are each at most the peak of all three, at least one is the largest share of it.
  assert.deepEqual(
    inc.destinations.map((d) => d.server),
    [0, 1, 2],
  );
  const peaks = inc.destinations.map((d) => d.backlogPeakPdus);
  assert.ok(Math.max(...peaks) <= Math.max(...inc.backlogPdus) && Math.max(...peaks) >= Math.max(...inc.backlogPdus) / 3, peaks.join(', '));
  assert.equal(
    inc.destinations.reduce((n, d) => n + d.lag.count, 0),
    inc.federationLag.count,
    'every delivery to them counted once, on its server',
  );
  for (const d of inc.destinations) assert.ok(d.drainSeconds !== null && d.drainSeconds <= inc.drainSeconds + 10, `server ${d.server} drained after ${d.drainSeconds} s`);
});

test('a remote outage by name: federation.partners names the most popular servers, and only the one named goes down', () => {
  const input = (federation: object, timeline: unknown[]) => ({
    name: 'named-outage',
    description: 'incidents test: a remote outage by name',
    population: { users: 200 },
    rooms: { kinds: [{ name: 'teams', count: 20, members: { kind: 'deterministic', value: 12 }, remoteMemberShare: 0.3 }] },
    federation: { mode: 'open', remoteServers: 20, downShare: 0, slowShare: 0, partners: ['a.example', 'b.example', 'c.example'], ...federation },
    timeline,
    run: { days: 1, replications: 1, seed: 7 },
  });
  const named = { ...OUTAGE, servers: { names: ['b.example'] } };
  const v = validateScenario(input({}, [named]));
  assert.ok(v.ok, v.ok ? '' : v.problems.map((p) => `${p.path}: ${p.rule}`).join('; '));
  const r = simulateOnce(v.scenario, '7/0');
  const inc = r.incidents[0]!;
  assert.equal(inc.servers, 1);
  assert.deepEqual(
    inc.destinations.map((d) => d.server),
    [1],
  );
  const summary = summarizeIncidents(v.scenario, [r]);
  assert.equal(summary[0]!.federation.destinations[0]!.server, 'b.example');
  // A name not among the partners, a name twice, and more partners than remote servers: each with its path and value.
  const bad = validateScenario(input({ remoteServers: 2 }, [{ ...named, servers: { names: ['z.example', 'b.example', 'b.example'] } }]));
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  const got = bad.problems.map((p) => `${p.path} = ${p.received}`);
  assert.ok(got.includes('timeline[0].servers.names[0] = "z.example"'), got.join('; '));
  assert.ok(got.includes('timeline[0].servers.names[2] = "b.example"'), got.join('; '));
  assert.ok(got.includes('federation.partners = 3 names'), got.join('; '));
});

test('timeline validation: an incident after the run, one that outlasts it, and a remote outage without remote servers', () => {
  const v = validateScenario({
    name: 'bad-timeline',
    description: 'three bad incidents',
    population: { users: 10 },
    rooms: { kinds: [{ name: 'dm', membershipsPerUser: 1, members: { kind: 'deterministic', value: 2 } }] },
    timeline: [
      { kind: 'remoteOutage', at: { day: 2, hour: 1 }, durationMinutes: 10, servers: { largest: 1 } },
      { kind: 'remoteOutage', at: { day: 1, hour: 23 }, durationMinutes: 120, servers: { share: 0.5 } },
      { kind: 'meteorStrike', at: { day: 1, hour: 1 } },
    ],
    run: { days: 1 },
  });
  assert.equal(v.ok, false);
  if (v.ok) return;
  const paths = v.problems.map((p) => p.path);
  assert.ok(paths.includes('timeline[0].at'), paths.join(', '));
  assert.ok(paths.includes('timeline[1].durationMinutes'), paths.join(', '));
  assert.ok(paths.includes('timeline[2].kind'), paths.join(', '));
  // Federation is closed by default: both outages have nothing to take down.
  assert.ok(paths.includes('timeline[0]') && paths.includes('timeline[1]'), paths.join(', '));
});

test('a mass login: each login is one login operation, one new device and one initial sync more than the same run without it', () => {
  // 150 logins between 09:00 and 09:30: the run with them has exactly 150
  // more initial syncs and device-list updates than its inert baseline, all
  // within the half hour, and the login operation carries one password hash
  // each (150 x passwordHashCpuMs of CPU; 0 with single sign-on).
  const logins = { kind: 'massLogin', at: { day: 1, hour: 9 }, durationMinutes: 30, users: 150 };
  const s = scenario([logins]);
  const withIt = simulateReplication(s, '7/0', createHomeserver);
  const without = simulateReplication(s, '7/0', createHomeserver, undefined, { incidentsInert: true });
  for (const id of ['sync.initial', 'm.device_list_update'] as const) {
    assert.equal(withIt.counters.total(M[id]) - without.counters.total(M[id]), 150, id);
    const a = withIt.counters.series(M[id]);
    const b = without.counters.series(M[id]);
    const bin = s.run.binMinutes * 60;
    let inside = 0;
    for (let k = 0; k < a.length; k++) if (k * bin >= 9 * 3600 && (k + 1) * bin <= 9.5 * 3600) inside += a[k]! - b[k]!;
    assert.equal(inside, 150, `${id}: all within 09:00-09:30`);
  }
  // Each operation's CPU carries a lognormal noise of mean 1 and cv cpuCvPerOperation: the sum of 150
  // varies by cv / sqrt(150); 4 of those either side.
  const cpu = (r: ReturnType<typeof simulateReplication>) => r.server.cpuSecondsByOp.login;
  const near = (actual: number, expected: number) => Math.abs(actual / expected - 1) <= (4 * S.cpuCvPerOperation.value) / Math.sqrt(150);
  const password = (150 * (S.loginCpuMs.value + S.passwordHashCpuMs.value)) / 1000;
  assert.ok(near(cpu(withIt), password), `login CPU ${cpu(withIt)} s, expected about ${password}`);
  assert.equal(cpu(without), 0);
  const sso = simulateReplication(scenario([{ ...logins, passwordLogins: false }]), '7/0', createHomeserver);
  const ssoCpu = (150 * S.loginCpuMs.value) / 1000;
  assert.ok(near(cpu(sso), ssoCpu), `single sign-on login CPU ${cpu(sso)} s, expected about ${ssoCpu}`);
  // More logins than users is refused.
  const v = validateScenario({
    ...JSON.parse(JSON.stringify({})),
    name: 'x',
    description: 'x',
    population: { users: 10 },
    rooms: { kinds: [{ name: 'dm', membershipsPerUser: 1, members: { kind: 'deterministic', value: 2 } }] },
    timeline: [{ ...logins, users: 11 }],
  });
  assert.equal(v.ok, false);
  if (!v.ok)
    assert.deepEqual(
      v.problems.map((p) => p.path),
      ['timeline[0].users'],
    );
});

test('mustSurvive: the recommendation is re-simulated with the incident and grown until its window meets the targets, beside the normal day', () => {
  // 200 users, every one logging in again within one minute, password
  // hashes included (200 x 0.25 s = 50 s of CPU in 60 s), on a latency
  // target of 300 ms at p95. A burst far shorter than a 15-minute bin: the
  // normal day's deployment (a monolith) does not see it, and is grown for it
  // (the sends from the start to the drain are measured, not the window's
  // hours); without mustSurvive there is no survival sizing at all.
  const logins = { kind: 'massLogin', name: 'all in', at: { day: 1, hour: 10 }, durationMinutes: 1, users: 200 };
  // Search off: its queries on the generic and PostgreSQL queues shift the burst's p95 across the 300 ms target (at 249 ms without growing), and the law is about the burst.
  const base = (mustSurvive: boolean) => {
    const s0 = scenario([{ ...logins, mustSurvive }]);
    const s = { ...s0, features: { ...s0.features, search: { ...s0.features.search, enabled: false } } };
    return { ...s, run: { ...s.run, server: { ...s.run.server, saturation: 'linear' as const, targets: { ...s.run.server.targets, localSendMs: 300 } } } };
  };
  const options = { sha256: 'x', overrides: [], version: 'test' };
  const plain = runScenario(base(false), options).summary.recommendation;
  assert.equal(plain.survival, null);
  const rec = runScenario(base(true), options).summary.recommendation;
  const sv = rec.survival;
  assert.ok(sv);
  assert.deepEqual(sv.incidents, ['all in']);
  assert.equal(sv.windows.length, 1);
  assert.ok(sv.iterations >= 1 && sv.iterations <= 8);
  // Each re-simulation that missed grew at least one resource (several when several saturated).
  assert.ok(sv.adjustments.length >= sv.iterations - 1);
  if (sv.meetsTargets) assert.ok(sv.windows[0]!.localSendMs <= 300 && sv.windows[0]!.drainSeconds !== null);
  // Grown, never shrunk: more processes than the normal day's, and at least its PostgreSQL cores.
  assert.ok(sv.adjustments.length >= 1, 'the burst made it grow');
  assert.ok(sv.deployment.processes > rec.deployment.processes, `${sv.deployment.processes} processes against ${rec.deployment.processes}`);
  assert.ok(sv.databaseCores >= rec.databaseCores);
  assert.ok(rec.notes.some((n) => n.includes('all in')));
});

test('an outage of this server: nothing is served while it is down, then the clients reconnect and send what they kept', () => {
  // Down 10:00-11:00 (15-minute bins 40-43), clients reconnecting over 60 s.
  // While down: no event persisted, no sync answered, no transaction sent.
  // On return: every user online reconnects (a catch-up sync per connected
  // device), and the acts kept (at most keptActsPerUser = 3 a user) are made,
  // so the bin after the return has more messages than its baseline.
  const outage = { kind: 'outage', at: { day: 1, hour: 10 }, durationMinutes: 60 };
  const s = scenario([outage]);
  const withIt = simulateReplication(s, '7/0', createHomeserver);
  const without = simulateReplication(s, '7/0', createHomeserver, undefined, { incidentsInert: true });
  const inc = withIt.incidents[0]!;
  const series = (r: typeof withIt, id: keyof typeof M) => r.counters.series(M[id]);
  for (const id of ['m.room.message', 'm.reaction', 'client.sync_responses', 'fed.out.transactions', 'sync.v2_requests'] as const) {
    for (let k = 40; k < 44; k++) assert.equal(series(withIt, id)[k], 0, `${id} in bin ${k}, while down`);
    assert.ok(
      series(without, id)
        .slice(40, 44)
        .some((x) => x > 0),
      `${id} happens in the baseline`,
    );
  }
  assert.ok(inc.reconnectedUsers > 0);
  assert.ok(inc.keptActs > 0 && inc.keptActs <= 3 * s.population.users);
  // Nothing kept is left: acts kept + acts not made = the acts drawn while down.
  const messages = (r: typeof withIt) => series(r, 'm.room.message')[44]! + series(r, 'm.room.encrypted')[44]!;
  assert.ok(messages(withIt) > messages(without), `messages in the bin after the return: ${messages(withIt)} against ${messages(without)}`);
  // Every connected device of every user online makes its catch-up sync in that bin.
  assert.ok(series(withIt, 'client.sync_responses')[44]! >= inc.reconnectedUsers);
  assert.equal(inc.lostPdus, 0);
});

test('a restore: this server is down for the fixed minutes plus the database copied back, from the storage projection at monthsInService', () => {
  // The plan is computed from the baseline run's storage projection as the
  // summary projects it: seconds = fixedMinutes x 60 + database bytes /
  // (databaseRestoreMBps x 1e6) (+ media bytes / (mediaRestoreMBps x 1e6) when
  // restoreMedia), by hand from the same projection here.
  const restore = { kind: 'restore', at: { day: 1, hour: 10 }, monthsInService: 6, databaseRestoreMBps: 0.5, restoreMedia: true, mediaRestoreMBps: 1, fixedMinutes: 20 };
  const s = scenario([restore]);
  const r = simulateOnce(s, '7/0');
  const baseline = simulateReplication(s, '7/0', createHomeserver, undefined, { incidentsInert: true });
  const month = storageProjection(s, baseline, weeklyAverageDayFactor(s, zoneOffsets(s.population.rhythm.timeZoneSpreadHours)))[6]!;
  const media = month.byCategory.localMedia + month.byCategory.thumbnails + month.byCategory.remoteMedia + month.byCategory.urlPreviews;
  const expected = 20 * 60 + (month.total - media) / 0.5e6 + media / 1e6;
  const inc = r.incidents[0]!;
  assert.ok(Math.abs(inc.endSeconds - inc.startSeconds - expected) < 1e-6, `down for ${inc.endSeconds - inc.startSeconds} s, expected ${expected}`);
  assert.ok(Math.abs(inc.copiedDatabaseBytes - (month.total - media)) < 1e-6);
  assert.ok(Math.abs(inc.copiedMediaBytes - media) < 1e-6);
  assert.equal(inc.recoveryPointSeconds, 24 * 3600);
  assert.ok(inc.reconnectedUsers > 0, 'the clients reconnect after it');
  // Two incidents that take this server down must not overlap; a restore counts as lasting to the end.
  const v = validateScenario({
    name: 'x',
    description: 'x',
    population: { users: 10 },
    rooms: { kinds: [{ name: 'dm', membershipsPerUser: 1, members: { kind: 'deterministic', value: 2 } }] },
    timeline: [
      { kind: 'outage', at: { day: 1, hour: 1 }, durationMinutes: 120 },
      { kind: 'outage', at: { day: 1, hour: 2 }, durationMinutes: 10 },
      { kind: 'restore', at: { day: 1, hour: 5 } },
      { kind: 'outage', at: { day: 1, hour: 8 }, durationMinutes: 10 },
    ],
  });
  assert.equal(v.ok, false);
  if (!v.ok)
    assert.deepEqual(
      v.problems.map((p) => p.path),
      ['timeline[1].at', 'timeline[3].at'],
    );
});

test('a big-room join: the rooms of the kind are joined at its time in the run with it, never in its baseline, and the world is the same', () => {
  // One room of 5,000 members, 99% remote on the 20 servers, hosted
  // elsewhere with 20,000 state events. Joined at 10:00: the join downloads its
  // state (fed.in.joins 1); the baseline never joins it, and up to 10:00 the
  // two runs count the same.
  const v = validateScenario({
    name: 'big-join-test',
    description: 'incidents test: a big room joined',
    population: { users: 200 },
    rooms: {
      kinds: [
        { name: 'dm', membershipsPerUser: 2, members: { kind: 'deterministic', value: 2 } },
        { name: 'hq', count: 1, members: { kind: 'deterministic', value: 5000 }, remoteMemberShare: 0.99, hostedRemotely: true, currentStateEvents: 20_000 },
      ],
    },
    federation: { mode: 'open', remoteServers: 20, downShare: 0, slowShare: 0 },
    timeline: [{ kind: 'bigRoomJoin', at: { day: 1, hour: 10 }, roomKind: 'hq' }],
    run: { days: 1, replications: 1, seed: 7 },
  });
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.rule}`).join('\n'));
  const r = simulateOnce(v.scenario, '7/0');
  const joins = r.counters.series(M['fed.in.joins']);
  assert.equal(r.counters.total(M['fed.in.joins']), 1);
  assert.equal(joins[40], 1, 'joined in the bin of 10:00');
  assert.equal(r.incidents[0]!.kind, 'bigRoomJoin');
  const base = simulateReplication(bigRoomJoins(v.scenario, false), '7/0', createHomeserver, undefined, { incidentsInert: true });
  assert.equal(base.counters.total(M['fed.in.joins']), 0);
  assert.equal(base.world.rooms, r.world.rooms);
  for (let k = 0; k < 40; k++) assert.equal(r.counters.series(M['fed.in.pdus'])[k], base.counters.series(M['fed.in.pdus'])[k], `inbound PDUs in bin ${k}`);
  // A room kind that is not hosted elsewhere is refused.
  const bad = validateScenario({ ...v.scenario, $schema: undefined, timeline: [{ kind: 'bigRoomJoin', at: { day: 1, hour: 10 }, roomKind: 'dm' }] });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.ok(bad.problems.some((p) => p.path === 'timeline[0].roomKind'));
});

test('a purge: one transaction per room, ten at once, its CPU and PostgreSQL time per event, and the disk does not shrink', () => {
  // 20,000 events at 10:00 from every room with history, shared out by the
  // activity weight times members of each room (purge-plan.test.ts): one transaction per room,
  // at most dbPoolConnections (10, Synapse's cp_max) at once, the next room
  // started as one ends. CPU on main: 20,000 x purgeCpuMsPerEvent (noise of
  // mean 1 per piece of 100 events: 200 pieces at least). The storage written
  // equals the baseline's: a purge frees rows for reuse, it returns nothing to
  // the disk.
  const s = scenario([{ kind: 'purge', at: { day: 1, hour: 10 }, events: 20_000 }]);
  const withIt = simulateReplication(s, '7/0', createHomeserver);
  const without = simulateReplication(s, '7/0', createHomeserver, undefined, { incidentsInert: true });
  const inc = withIt.incidents[0]!;
  assert.equal(inc.purgedEvents, 20_000);
  assert.ok(inc.purgeRooms > 10, `${inc.purgeRooms} rooms`);
  assert.equal(inc.purgedRooms, inc.purgeRooms);
  assert.equal(inc.purgeConcurrentRooms, S.dbPoolConnections.value);
  assert.ok(inc.doneSeconds > inc.startSeconds && inc.purgeLongestRoomSeconds <= inc.doneSeconds - inc.startSeconds);
  assert.equal(inc.purgedBytes, 20_000 * (K.pduBytes + K.eventRowBytes + K.eventAuxiliaryBytes));
  const cpu = withIt.server.cpuSecondsByOp.purge;
  const expected = (20_000 * S.purgeCpuMsPerEvent.value) / 1000;
  assert.ok(Math.abs(cpu / expected - 1) < (4 * S.cpuCvPerOperation.value) / Math.sqrt(200), `purge CPU ${cpu} s, expected about ${expected}`);
  const db = withIt.server.databaseSecondsByOp.purge;
  assert.ok(Math.abs(db / ((20_000 * S.purgeDbMsPerEvent.value) / 1000) - 1) < (4 * S.cpuCvPerOperation.value) / Math.sqrt(200), `purge PostgreSQL ${db} s`);
  assert.equal(without.server.cpuSecondsByOp.purge, 0);
  for (const c of ['eventJson', 'eventRows', 'stateGroups'] as const) {
    assert.ok(withIt.counters.total(M[`storage.${c}`]) >= without.counters.total(M[`storage.${c}`]) * 0.999, `storage.${c} did not shrink`);
  }
});

test("a purge's transactions hold main's connections: with all ten held, main's queries wait for the first given back; with nine, none waits", () => {
  // A monolith: every query is main's. Ten rooms purged at once hold all ten
  // connections from 10:00 until the first transaction ends; no room is left
  // to start then, so no query waits after it. So there are waits, and none is
  // longer than the longest transaction. Nine rooms leave a connection free:
  // no query waits. Sends wait with them: the slowest during the purge is slower.
  const purge = (rooms: number) => scenario([{ kind: 'purge', at: { day: 1, hour: 10 }, events: 400_000, rooms }]);
  const ten = simulateReplication(purge(10), '7/0', createHomeserver).incidents[0]!;
  const nine = simulateReplication(purge(9), '7/0', createHomeserver).incidents[0]!;
  assert.equal(ten.purgeConcurrentRooms, 10);
  assert.equal(ten.purgedRooms, 10);
  assert.ok(ten.connectionWaits > 0, `${ten.connectionWaits} waits`);
  assert.ok(ten.connectionWaitMaxSeconds <= ten.purgeLongestRoomSeconds, `longest wait ${ten.connectionWaitMaxSeconds} s, longest room ${ten.purgeLongestRoomSeconds} s`);
  assert.ok(ten.connectionWaitSeconds >= ten.connectionWaitMaxSeconds);
  assert.equal(nine.purgeConcurrentRooms, 9);
  assert.equal(nine.connectionWaits, 0);
  // The few sends that came while all ten were held (of some 370 in the window) waited seconds: the slowest is many times slower.
  const slowest = (x: typeof ten) => x.sendLatencyDuring.quantile(1);
  assert.ok(slowest(ten) > 5 * slowest(nine), `slowest send ${slowest(ten)} s against ${slowest(nine)} s`);
});

test('a spam wave: its events arrive and are stored, and a policy server keeps the ones it catches from clients', () => {
  // 100 spam messages a minute for 30 minutes from 10:00: exactly 3,000 more
  // remote messages than the baseline; with a policy server catching 90%,
  // binomial(3000, 0.9) of them are caught (mean 2,700, sd 16.4) and reach
  // no device, so fewer deliveries than without it.
  const wave = { kind: 'spamWave', at: { day: 1, hour: 10 }, durationMinutes: 30, messagesPerMinute: 100 };
  const open = simulateReplication(scenario([wave]), '7/0', createHomeserver);
  const guarded = simulateReplication(scenario([{ ...wave, policyServer: true }]), '7/0', createHomeserver);
  const base = simulateReplication(scenario([wave]), '7/0', createHomeserver, undefined, { incidentsInert: true });
  assert.equal(open.incidents[0]!.spamEvents, 3000);
  const joined = open.counters.total(M['remote.message']) - base.counters.total(M['remote.message']);
  assert.ok(Math.abs(joined - 3000) <= 60, `remote messages: ${joined} more than the baseline (rooms not yet joined drop none here)`);
  const caught = guarded.incidents[0]!.spamCaught;
  assert.ok(Math.abs(caught - 2700) <= 4 * 16.4, `caught ${caught}`);
  assert.equal(open.incidents[0]!.spamCaught, 0);
  assert.ok(guarded.counters.total(M['client.sync_deliveries']) < open.counters.total(M['client.sync_deliveries']));
});

test('a spam wave of invites and media: each invite is stored and pushed, each image fetched when looked at; a policy server asks once per event and what it catches goes no further', () => {
  // 60 invites a minute for 10 minutes from 10:00: 600 invites, each one
  // push-rule evaluation and one stored outlier event (stateEventBytes) more
  // than the baseline; 20 images a minute: 200 media messages, fetched over
  // federation when a local member looks.
  const wave = { kind: 'spamWave', at: { day: 1, hour: 10 }, durationMinutes: 10, invitesPerMinute: 60, mediaPerMinute: 20 };
  const open = simulateReplication(scenario([wave]), '7/0', createHomeserver);
  const base = simulateReplication(scenario([wave]), '7/0', createHomeserver, undefined, { incidentsInert: true });
  const inc = open.incidents[0]!;
  assert.equal(inc.spamEvents, 800);
  assert.ok(Math.abs(inc.spamInvites - 600) <= 4 * Math.sqrt(800 * 0.75 * 0.25), `invites ${inc.spamInvites}`);
  assert.equal(inc.spamMedia, 800 - inc.spamInvites);
  const more = (id: keyof typeof M) => open.counters.total(M[id]) - base.counters.total(M[id]);
  assert.ok(more('media.fed_bytes_in') > 0, 'spam images fetched');
  // Invites alone: exactly one push-rule evaluation and one stored event each.
  const invites = simulateReplication(scenario([{ ...wave, mediaPerMinute: 0 }]), '7/0', createHomeserver);
  assert.equal(invites.incidents[0]!.spamInvites, 600);
  assert.equal(invites.counters.total(M['push.evaluations']) - base.counters.total(M['push.evaluations']), 600);
  assert.equal(invites.counters.total(M['storage.eventJson']) - base.counters.total(M['storage.eventJson']), 600 * K.stateEventBytes);
  // A policy server asking about each event and catching none: the same draws, exactly one request (fedInTransaction) more per event.
  const requests = (policyServer: boolean) => {
    const server = new RecordingServer();
    simulateReplication(scenario([{ ...wave, policyServer, caughtShare: 0 }]), '7/0', () => server);
    return server.calls.get('fedInTransaction') ?? 0;
  };
  assert.equal(requests(true) - requests(false), 800);
  // Catching everything: the invites are rejected (nothing stored, nothing pushed) and no image is fetched.
  const shut = simulateReplication(scenario([{ ...wave, policyServer: true, caughtShare: 1 }]), '7/0', createHomeserver);
  assert.equal(shut.incidents[0]!.spamCaught, 800);
  for (const id of ['push.notifications', 'media.fed_bytes_in', 'client.sync_deliveries'] as const) {
    assert.equal(shut.counters.total(M[id]), base.counters.total(M[id]), id);
  }
});

test('a backup: the database of the storage projection dumped at the stated throughput, one PostgreSQL core busy for as long, and this server stays up', () => {
  // By hand from the same projection: dump seconds = database bytes /
  // (databaseBackupMBps x 1e6); the media copy runs beside it, so the backup
  // lasts max(dump, media bytes / (mediaBackupMBps x 1e6)). The dump is
  // submitted in parts of 60 s, one after another: PostgreSQL time of the
  // backup operation = dump seconds (backupDatabaseCores = 1), give or take
  // the per-operation noise over the parts.
  const backup = { kind: 'backup', at: { day: 1, hour: 2 }, monthsInService: 6, databaseBackupMBps: 0.2, backupMedia: true, mediaBackupMBps: 0.1, intervalHours: 12 };
  const s = scenario([backup]);
  const r = simulateOnce(s, '7/0');
  const baseline = simulateReplication(s, '7/0', createHomeserver, undefined, { incidentsInert: true });
  const month = storageProjection(s, baseline, weeklyAverageDayFactor(s, zoneOffsets(s.population.rhythm.timeZoneSpreadHours)))[6]!;
  const media = month.byCategory.localMedia + month.byCategory.thumbnails + month.byCategory.remoteMedia + month.byCategory.urlPreviews;
  const dump = (month.total - media) / 0.2e6;
  const inc = r.incidents[0]!;
  assert.ok(Math.abs(inc.dumpSeconds - dump) < 1e-6, `dump ${inc.dumpSeconds} s, expected ${dump}`);
  assert.ok(Math.abs(inc.endSeconds - inc.startSeconds - Math.max(dump, media / 0.1e6)) < 1e-6);
  assert.equal(inc.recoveryPointSeconds, 12 * 3600);
  const parts = Math.ceil(dump / 60);
  const db = r.server.databaseSecondsByOp.backup;
  assert.ok(Math.abs(db / dump - 1) < (4 * S.cpuCvPerOperation.value) / Math.sqrt(parts), `PostgreSQL busy ${db} s for a ${dump} s dump`);
  assert.ok(inc.doneSeconds - inc.startSeconds >= dump * 0.9, `dump done after ${inc.doneSeconds - inc.startSeconds} s`);
  assert.equal(baseline.server.databaseSecondsByOp.backup, 0);
  // Up all the while: the local sends of the run with it are those of the run without it.
  assert.equal(
    r.counters.total(M['m.room.message']) + r.counters.total(M['m.room.encrypted']),
    baseline.counters.total(M['m.room.message']) + baseline.counters.total(M['m.room.encrypted']),
  );
});

test('components on the homeserver: a policy server costs one request per event of the rooms it protects, and MAS checks the passwords of a mass login', () => {
  // With a RecordingServer nothing is drawn by the server, so turning the
  // policy server on changes only the requests: exactly one fedInTransaction
  // per event persisted in a protected unencrypted room (world.kinds counts
  // them), here every kind, so every unencrypted room.
  const logins = { kind: 'massLogin', at: { day: 1, hour: 9 }, durationMinutes: 30, users: 40 };
  const record = (components: object) => {
    const server = new RecordingServer();
    const s = scenario([logins]);
    const r = simulateReplication({ ...s, components: { ...s.components, ...components } }, '7/0', () => server);
    return { server, r };
  };
  const off = record({});
  const on = record({ policyServer: { enabled: true, roomKinds: null, instances: 1 } });
  const checked = on.r.world.kinds.reduce((a, k) => a + k.unencryptedEvents, 0);
  assert.ok(checked > 0);
  assert.equal((on.server.calls.get('fedInTransaction') ?? 0) - (off.server.calls.get('fedInTransaction') ?? 0), checked);
  // Local sends into protected rooms wait for the answer (K.policyCheckWaitMs), and only sends; none without it.
  assert.equal(off.server.waits.length, 0);
  assert.ok(on.server.waits.length > 0);
  assert.ok(on.server.waits.length <= (on.server.calls.get('send') ?? 0));
  assert.ok(on.server.waits.every((w) => w.op === 'send' && w.seconds === K.policyCheckWaitMs / 1000));
  // 40 password logins: 40 password hashes here, none with MAS (it checks them).
  assert.equal(off.server.units.get('login'), 40);
  const mas = record({ authService: { enabled: true, passwordLogins: true, instances: 1 } });
  assert.equal(mas.server.units.get('login'), 0);
  assert.equal(mas.server.calls.get('login'), 40);
});
