/**
 * Forks and state resolution (src/model/forks.ts,
 * src/model/mechanisms/state-resolution.ts): the closed forms against hand
 * computations and a Monte Carlo check of their derivation, then the
 * mechanism on a hand-made timeline and on Poisson streams, whose share of
 * forks must match the closed form.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStream } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';
import { K } from '../../src/model/coefficients.js';
import { forkProbability, forkWindows, gapWindowSeconds } from '../../src/model/forks.js';
import { buildMechanisms } from '../../src/model/mechanisms/index.js';
import { Counters, M } from '../../src/model/metrics.js';
import { buildRhythm } from '../../src/model/rhythm.js';
import { ReplicationState } from '../../src/model/state.js';
import { buildWorld } from '../../src/model/world.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { RecordingServer } from './recording-server.js';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

test('fork probability: at least one Poisson event in the window, 1 - exp(-λ w)', () => {
  // λ = 1/s, w = 0.2 s: 1 - e^-0.2 = 1 - 0.818731 = 0.181269.
  close(forkProbability(1, 0.2), 0.181269, 1e-6, 'λ 1/s, w 0.2 s');
  assert.equal(forkProbability(0, 5), 0);
  // A server 50 ms away that accepts our events in 150 ms, which we accept in
  // 100 ms: d_in = 0.05 + 0.1 = 0.15 s, d_out = 0.05 + 0.15 = 0.2 s; local
  // events count over d_in + d_out = 0.35 s, third servers' over d_out = 0.2 s.
  const w = forkWindows(0.05, 0.15, 0.1);
  close(w.local, 0.35, 1e-12, 'local window');
  close(w.thirdParty, 0.2, 1e-12, 'third-party window');
  // A room with local events at 0.5/s and other servers' at 1/s:
  // 1 - exp(-(0.5 x 0.35 + 1 x 0.2)) = 1 - e^-0.375 = 1 - 0.687289 = 0.312711.
  close(forkProbability(1, 0.5 * w.local + 1 * w.thirdParty), 0.312711, 1e-6, 'both');
});

test('gap window: P e^(-L/P) / 4, checked against a simulation of the three hops', () => {
  // L = 0.1 s, P = 0.2 s: 0.2 x e^-0.5 / 4 = 0.2 x 0.606531 / 4 = 0.0303265 s.
  close(gapWindowSeconds(0.1, 0.2), 0.0303265, 1e-7, 'L 0.1 s, P 0.2 s');
  assert.equal(gapWindowSeconds(0.1, 0), 0);
  // The derivation: E[(d_k - d_kj - d_j)+] with each hop L plus an
  // exponential of mean P, drawn 200,000 times. The estimate's standard
  // error is under 0.3% of the mean here; 2% is a loose bound.
  const rng = createStream('forks-test', 'hops');
  const exp = () => -0.2 * Math.log(1 - rng());
  let sum = 0;
  const n = 200_000;
  for (let i = 0; i < n; i++) sum += Math.max(0, 0.1 + exp() - (0.1 + exp()) - (0.1 + exp()));
  close(sum / n, gapWindowSeconds(0.1, 0.2), 0.02 * gapWindowSeconds(0.1, 0.2), 'simulated window');
});

/** One room of 26 members, a quarter remote on 3 servers 50 ms away (deterministic), accepting our events in 150 ms. */
function room() {
  const spec = {
    name: 'forks',
    description: 'one room shared with three servers',
    population: { users: 20, devicesPerUser: 1 },
    rooms: { kinds: [{ name: 'shared', count: 1, members: { kind: 'deterministic', value: 26 }, remoteMemberShare: 0.25 }] },
    federation: {
      mode: 'open',
      remoteServers: 3,
      serverPopularitySkew: 0,
      downShare: 0,
      slowShare: 0,
      latencyMs: { kind: 'deterministic', value: 50 },
      remoteProcessingMs: { kind: 'deterministic', value: 150 },
    },
  };
  const s = loadScenarioText(JSON.stringify(spec), 'forks.test.ts').scenario;
  const sim = new Simulation('forks/0');
  const c = new Counters(s.run.binMinutes * 60, s.run.days * 86400);
  const server = new RecordingServer();
  const st = new ReplicationState(s, sim, buildWorld(s, sim.random('world')), buildRhythm(s), c, server);
  st.m = buildMechanisms(st);
  const [from, to] = st.destinationsOf(0);
  assert.equal(to - from, 3, 'the room has the three servers');
  const dest = (i: number) => st.w.roomDest[from + i]!;
  const at = (t: number, fn: () => void) => sim.scheduleAt(t, sim.handler(fn));
  return { st, c, server, sim, dest, at, total: (id: keyof typeof M) => c.total(M[id]) };
}

test('forks on a timeline: an event the sender had not seen forks the room; a state change on either side needs a resolution', () => {
  // Windows as above: local events within 0.35 s before the arrival, other
  // servers' arrivals within 0.2 s.
  const { st, server, sim, dest, at, total } = room();
  const [a, b] = [dest(0), dest(1)];
  at(10, () => {
    // A local member changes the room's state.
    st.markLocalEvent(0, true);
  });
  // 10.2: a message from a, 0.2 s after the local state event (< 0.35):
  // a fork across a state change: one resolution of 2 conflicted events
  // (conflictedEventsPerStateEvent) over two state maps of the room's state.
  at(10.2, () => st.m.stateResolution.inboundPdu(0, a, false));
  // 10.5: from a again: 0.5 s after the local event, nothing from another
  // server: no fork.
  at(10.5, () => st.m.stateResolution.inboundPdu(0, a, false));
  // 10.6: from b, 0.1 s after a's last arrival (< 0.2): a fork, but both
  // branches are messages (the local state event is 0.6 s old): one state
  // group, no resolution.
  at(10.6, () => st.m.stateResolution.inboundPdu(0, b, false));
  // 20.1: a state event from b, 0.1 s after a's message at 20: a fork
  // across a state change, resolved.
  at(20, () => st.m.stateResolution.inboundPdu(0, a, false));
  at(20.1, () => st.m.stateResolution.inboundPdu(0, b, true));
  sim.run(30);
  assert.equal(total('fed.in.forks'), 3);
  assert.equal(total('fed.in.state_resolutions'), 2);
  assert.equal(total('fed.in.state_res_events'), 2 * K.conflictedEventsPerStateEvent);
  assert.equal(server.units.get('stateRes'), 2 * K.conflictedEventsPerStateEvent);
  assert.equal(server.units.get('stateLoad'), 2 * 2 * st.w.roomStateSize[0]!, 'two state maps of the whole state, twice');
});

test('forks on Poisson streams: the share of inbound events that fork is 1 - exp(-(λ_local w_local + λ_third w_third))', () => {
  // Local events at 0.5/s; remote events at 3/s, each from one of the 3
  // servers at random, so for an event from one of them the others send at
  // 2/s. Expected share: 1 - exp(-(0.5 x 0.35 + 2 x 0.2)) = 1 - e^-0.575 =
  // 0.437. Over 30,000 inbound events the share's standard error is
  // sqrt(0.437 x 0.563 / 30,000) = 0.0029; 0.012 is four of them.
  const { st, sim, dest, total } = room();
  const rng = createStream('forks-test', 'streams');
  const next = (rate: number) => -Math.log(1 - rng()) / rate;
  let inbound = 0;
  const local = sim.handler(() => {
    st.markLocalEvent(0, false);
    if (inbound < 30_000) sim.schedule(next(0.5), local);
  });
  const remote = sim.handler(() => {
    st.m.stateResolution.inboundPdu(0, dest(Math.floor(rng() * 3)), false);
    inbound++;
    if (inbound < 30_000) sim.schedule(next(3), remote);
  });
  sim.schedule(next(0.5), local);
  sim.schedule(next(3), remote);
  sim.run();
  const w = forkWindows(0.05, 0.15, K.inboundTransactionProcessingSeconds);
  const expected = forkProbability(1, 0.5 * w.local + 2 * w.thirdParty);
  close(expected, 0.437, 0.001, 'the closed form');
  close(total('fed.in.forks') / inbound, expected, 0.012, 'share of inbound events that fork');
  assert.equal(total('fed.in.state_resolutions'), 0, 'messages only: no state to resolve');
});
