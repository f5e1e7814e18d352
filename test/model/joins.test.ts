/**
 * Big rooms joined during the run (room kinds with joinAt; src/model/world.ts
 * and src/model/mechanisms/joins.ts): what the world holds before and after
 * the join, the law that a join's state traffic and CPU come in the bin of
 * the join and not before, the partial-state phase and its /state_ids, the
 * storage projection of a one-off join, and the scenario checks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateOnce } from '../../src/analysis/replicate.js';
import { storageProjection } from '../../src/analysis/summarize.js';
import { createStream } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';
import { K } from '../../src/model/coefficients.js';
import { forkProbability } from '../../src/model/forks.js';
import { buildMechanisms } from '../../src/model/mechanisms/index.js';
import { Counters, M } from '../../src/model/metrics.js';
import { buildRhythm } from '../../src/model/rhythm.js';
import { ReplicationState } from '../../src/model/state.js';
import { buildWorld, joinRoom } from '../../src/model/world.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { DelayedServer } from './recording-server.js';

/** 200 users in small team rooms, and one big room (20,000 members, 5 local, 300 servers) joined at `hour` on day 1. */
function spec(hour: number) {
  return {
    name: 'big-room',
    description: 'a small organisation joining a big public room',
    population: { users: 200, devicesPerUser: 2 },
    rooms: {
      kinds: [
        { name: 'team', membershipsPerUser: 2, members: { kind: 'uniform', min: 3, max: 12 } },
        {
          name: 'hq',
          count: 1,
          members: { kind: 'deterministic', value: 20000 },
          localMembers: 5,
          remoteServers: 300,
          currentStateEvents: 20000,
          historicStateEvents: 30000,
          remoteMessagesPerMemberPerDay: 0.5,
          joinAt: { day: 1, hour },
        },
      ],
    },
    federation: { mode: 'open', remoteServers: 400, downShare: 0, slowShare: 0 },
    run: { days: 1, binMinutes: 60, replications: 1 },
  };
}
const load = (x: object, overrides: string[] = []) => loadScenarioText(JSON.stringify(x), 'joins.test.ts', overrides).scenario;

test('world: the big room has the local members, servers and state its kind states, and takes no part until joined', () => {
  const s = load(spec(10));
  const w = buildWorld(s, createStream('joins-test', 'world'));
  const big = w.rooms - 1;
  assert.equal(w.roomLocalMembers[big], 5);
  assert.equal(w.roomRemoteMembers[big], 20000 - 5);
  assert.equal(w.roomStateSize[big], 20000);
  assert.equal(w.roomDestStart[big + 1]! - w.roomDestStart[big]!, 300, 'remoteServers distinct servers');
  assert.equal(w.roomJoinSeconds[big], 10 * 3600);
  assert.equal(w.roomJoined[big], 0);
  // Its members' activity weights skip it, and no user has its servers as destinations.
  const members: number[] = [];
  for (let u = 0; u < w.users; u++) for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) if (w.userRoom[j] === big) members.push(u);
  assert.equal(members.length, 5);
  const dests = (u: number) => w.userDest.slice(w.userDestStart[u], w.userDestStart[u + 1]).length;
  const weight = (u: number) => w.userRoomCumWeight[w.userRoomStart[u + 1]! - 1]!;
  const before = members.map((u) => [weight(u), dests(u)]);
  for (const [, d] of before) assert.equal(d, 0, 'the team rooms have no remote servers');
  joinRoom(w, big);
  assert.equal(w.roomJoined[big], 1);
  members.forEach((u, i) => {
    assert.ok(weight(u) > before[i]![0]!, 'the big room now weighs in the choice of a room to post in');
    assert.equal(dests(u), 300, 'and its 300 servers hear of the member');
  });
});

test('law: joining a big room mid-run brings its state traffic and the resync CPU in the bin of the join, and none before', () => {
  // The join at 10:00 (bins of an hour: bin 10). The state bytes, by hand:
  // - foreground, send_join's answer: the 8 base state events (baseStateEvents)
  //   with their auth chain, x authChainFactor 1.5 = 12 events of 700 B, plus
  //   a 600 B envelope: 9,000 B;
  // - background: the state and auth chain, 20,000 + 30,000 = 50,000 events,
  //   their ids (47 B) and the events (700 B), in two requests:
  //   2 x 600 + 50,000 x 747 = 37,351,200 B;
  // - each /state_ids for an event naming prev_events from before the join:
  //   600 + 50,000 x 47 = 2,350,600 B more.
  // The resync is ~100 s of CPU on main (2 ms x 50,000 events,
  // joinResyncCpuMsPerEvent), so it ends in the same bin. With workers, main
  // does little else: its CPU before the join is far below the resync's.
  const expected = (stateIds: number) => 9000 + 37_351_200 + stateIds * 2_350_600;
  for (const hour of [10, 16]) {
    const s = load(spec(hour), ['run.server.deployment="workers"']);
    const r = simulateOnce(s, `joins/${hour}`);
    const bytes = r.counters.series(M['fed.in.state_bytes']);
    const joins = r.counters.series(M['fed.in.joins']);
    const stateIds = r.counters.series(M['fed.in.state_ids']);
    for (let b = 0; b < hour; b++) {
      assert.equal(bytes[b], 0, `no state bytes in bin ${b}, before the join at ${hour}:00`);
      assert.equal(joins[b], 0);
      assert.equal(r.counters.series(M['fed.in.partial_state_events'])[b], 0);
    }
    assert.equal(joins[hour], 1, `the join in bin ${hour}`);
    assert.equal(bytes[hour], expected(stateIds[hour]!), `state bytes in bin ${hour}`);
    for (let b = hour + 1; b < 24; b++) assert.equal(bytes[b], stateIds[b]! * 2_350_600, `bin ${b}: only /state_ids after the join`);
    // The resync's CPU: offered on main in the join's bin (100 s in an hour: 0.028 cores).
    const main = r.server.processes.find((p) => p.kind === 'main')!.offeredByBin;
    const resyncCores = (0.1 + 50_000 * 0.002) / 3600;
    assert.ok(main[hour]! > 0.95 * resyncCores, `main offered ${main[hour]} cores in bin ${hour}`);
    for (let b = 0; b < hour; b++) assert.ok(main[b]! < 0.5 * resyncCores, `main offered ${main[b]} cores in bin ${b}, before the join`);
    assert.ok(Math.abs(r.server.cpuSecondsByOp.fedJoin - 100.2) < 0.05 * 100.2, `fedJoin CPU ${r.server.cpuSecondsByOp.fedJoin} s`);
    // The join's storage is a one-off: in the base of the projection, not a
    // daily rate. With a weekly factor of 1 and no growth, a one-day run's
    // month of event JSON is 30.44 x (written - the join's), and the base
    // holds the join's 50,000 x 700 B = 35 MB.
    assert.equal(r.oneOffStorage.eventJson, 50_000 * K.stateEventBytes);
    const months = storageProjection(s, r, 1);
    const written = r.counters.total(M['storage.eventJson']);
    const monthly = months[1]!.byCategory.eventJson - months[0]!.byCategory.eventJson;
    assert.ok(Math.abs(monthly - K.averageDaysPerMonth * (written - 50_000 * K.stateEventBytes)) < 1, `event JSON a month: ${monthly}`);
    assert.equal(months[0]!.byCategory.eventJson, r.baseStorage.eventJson);
    assert.ok(r.baseStorage.eventJson >= 50_000 * K.stateEventBytes);
  }
});

test('partial state: events arriving during the resync are re-processed in a batch; the first from a server needs /state_ids with the fork probability', () => {
  // The room's remote events come at 19,995 x (0.5 + 0.01) / 86,400 =
  // 0.11803 a second; a server 50 ms away that accepts events in 150 ms
  // has a third-party window of 0.2 s, so its first event after the join
  // names prev_events from before it with probability
  // 1 - exp(-0.11803 x 0.2) = 0.02333. A server that takes 10 s to serve
  // each phase keeps the room partial-stated from 10 s to 20 s.
  const s = load(spec(10), ['federation.latencyMs={"kind":"deterministic","value":50}', 'federation.remoteProcessingMs={"kind":"deterministic","value":150}']);
  const sim = new Simulation('joins/partial');
  const server = new DelayedServer(sim, 10);
  const st = new ReplicationState(s, sim, buildWorld(s, sim.random('world')), buildRhythm(s), new Counters(3600, 86400), server);
  st.m = buildMechanisms(st);
  const big = st.w.rooms - 1;
  const rate = st.m.remote.remoteEventsPerSecond(big);
  assert.ok(Math.abs(rate - (19995 * 0.51) / 86400) < 1e-12);
  const p = forkProbability(rate, 0.2);
  assert.ok(Math.abs(p - 0.02333) < 1e-5, `p = ${p}`);
  const [from, to] = st.destinationsOf(big);
  const at = (t: number, fn: () => void) => sim.scheduleAt(t, sim.handler(fn));
  at(0, () => st.m.joins.join(big));
  // Before the foreground ends (10 s) the room is not joined; between 10 s
  // and 20 s every server of the room sends two events.
  at(5, () => assert.equal(st.w.roomJoined[big], 0));
  for (let x = from; x < to; x++) {
    at(12, () => st.m.stateResolution.inboundPdu(big, st.w.roomDest[x]!, false));
    at(14, () => st.m.stateResolution.inboundPdu(big, st.w.roomDest[x]!, false));
  }
  sim.run(100);
  const total = (id: keyof typeof M) => st.c.total(M[id]);
  assert.equal(st.w.roomJoined[big], 1);
  assert.equal(total('fed.in.partial_state_events'), 2 * 300);
  // fedJoin: the foreground (12 events), the resync (50,000), then the batch of the 600 that arrived.
  assert.equal(server.calls.get('fedJoin'), 3);
  assert.equal(server.units.get('fedJoin'), 12 + 50_000 + 600);
  // One draw per server: 300 x 0.02333 = 7 /state_ids expected, sd 2.6.
  const stateIds = total('fed.in.state_ids');
  assert.ok(stateIds <= 7 + 4 * 2.6, `state_ids ${stateIds}`);
  assert.equal(total('fed.in.state_resolutions'), stateIds, 'each /state_ids is resolved against our state');
  assert.equal(total('fed.in.forks'), 0, 'partial-state events are left to the resync');
  // After the resync nothing is partial-stated: a later event is an ordinary one.
  sim.scheduleAt(
    200,
    sim.handler(() => st.m.stateResolution.inboundPdu(big, st.w.roomDest[from]!, false)),
  );
  sim.run(300);
  assert.equal(total('fed.in.partial_state_events'), 600);
});

test('scenario checks: a join within the run, servers within federation.remoteServers, local members within the users, no join when closed', () => {
  const problems = (x: object) => {
    const v = validateScenario(x);
    return v.ok ? [] : v.problems.map((p) => p.path);
  };
  assert.deepEqual(problems(spec(10)), []);
  const hq = (change: object) => {
    const x = spec(10);
    x.rooms.kinds[1] = { ...x.rooms.kinds[1]!, ...change };
    return x;
  };
  assert.deepEqual(problems(hq({ joinAt: { day: 2, hour: 0 } })), ['rooms.kinds[1].joinAt']);
  assert.deepEqual(problems(hq({ remoteServers: 401 })), ['rooms.kinds[1].remoteServers']);
  assert.deepEqual(problems(hq({ localMembers: 201 })), ['rooms.kinds[1].localMembers']);
  // Closed by default (no mode written): a join from elsewhere is a contradiction, probably a forgotten mode.
  const unstated = { ...spec(10), federation: { remoteServers: 0 } };
  assert.ok(problems(unstated).includes('rooms.kinds[1].joinAt'));
  // Closed in so many words closes federation everywhere (src/scenario/closed-federation.ts):
  // the room kind created elsewhere gets no rooms, and a warning says so.
  const closed = validateScenario({ ...spec(10), federation: { mode: 'closed', remoteServers: 0 } });
  assert.ok(closed.ok);
  assert.equal(closed.scenario.rooms.kinds[1]!.count, 0);
  assert.ok(closed.warnings.some((w) => JSON.stringify(w).includes('rooms.kinds[1]')));
});
