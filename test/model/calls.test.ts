/**
 * The calls mechanism (src/model/mechanisms/calls.ts) in whole runs of a
 * tiny scenario: calls off changes nothing, and with calls on the
 * homeserver's side (membership events, heartbeats, key messages) and the
 * SFU's counters hold their hand-computed values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../src/analysis/run.js';
import { SummarySchema } from '../../src/analysis/summary-schema.js';
import { M, METRICS } from '../../src/model/metrics.js';
import { simulateReplication } from '../../src/model/simulate.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { createHomeserver } from '../../src/server/server.js';
import type { Scenario } from '../../src/scenario/grammar.js';

/** Office hours with nothing from 22:00: a call of 30 minutes started by then ends in the run. */
const HOURS = [0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.45, 0.8, 1, 1, 0.95, 0.75, 0.9, 1, 0.95, 0.85, 0.65, 0.45, 0.35, 0.3, 0.25, 0, 0];

function scenario(calls?: object): Scenario {
  const v = validateScenario({
    name: 'calls-test',
    description: 'calls test: 100 users in teams of 10',
    population: { users: 100, rhythm: { hourlyWeights: HOURS } },
    rooms: { kinds: [{ name: 'team', count: 20, members: { kind: 'deterministic', value: 10 } }] },
    ...(calls ? { calls } : {}),
    run: { days: 1, replications: 1, seed: 3 },
  });
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.rule}`).join('\n'));
  return v.scenario;
}

/** Three participants, all with the camera on, 30 minutes, nobody through TURN. */
const THREE = {
  callsPerUserPerDay: 2,
  durationMinutes: { kind: 'deterministic', value: 30 },
  participants: { kind: 'deterministic', value: 3 },
  audioOnlyCallShare: 0,
  cameraShare: 1,
  screenShareShare: 0,
  turnShare: 0,
};

test('calls off: the same summary and the same counters as a scenario without a calls section', () => {
  const run = (s: Scenario) => runScenario(s, { seed: 3, replications: 1, sha256: 'calls', overrides: [], version: 'test', verify: false });
  const without = run(scenario());
  const off = run(scenario({ callsPerUserPerDay: 0, cameraShare: 0.2, turnShare: 1 }));
  assert.equal(JSON.stringify(off.summary), JSON.stringify(without.summary));
  assert.equal('calls' in without.summary.traffic, false);
  const [a] = without.results;
  const [b] = off.results;
  for (const m of METRICS) assert.deepEqual(b!.counters.series(M[m.id]), a!.counters.series(M[m.id]), m.id);
  assert.equal(b!.calls, null);
});

test('calls on: two membership events and one key exchange per participant, heartbeats every 5 s, SFU bytes in and out', () => {
  const s = scenario(THREE);
  const r = simulateReplication(s, '3/0', createHomeserver);
  const total = (id: keyof typeof M) => r.counters.total(M[id]);
  const calls = total('calls.started');
  assert.ok(calls > 100, `${calls} calls`);
  assert.equal(r.calls?.callsStarted, calls);
  // Every room has 10 members, so every call has its 3 participants; every call ends before midnight.
  assert.equal(r.calls?.joins, 3 * calls);
  assert.equal(total('calls.member_events'), 2 * 3 * calls);
  // Keys per call: the 2nd joiner and the one there swap keys (2), the 3rd and the two there (4);
  // the first to leave makes the other two rotate, each sending to the other (2); the last leave, none: 8.
  assert.equal(total('calls.key_messages'), 8 * calls);
  // A participant is in the call 30 min less its join offset (0 for the initiator, else up to 60 s)
  // and its leave offset (up to 60 s): heartbeats per participant between (1,800 - 120) / 5 = 336 and 1,800 / 5 = 360,
  // and on average (the initiator 1,800 - 30 s, the two others 1,800 - 30 - 30 s) (1,770 + 2 x 1,740) / 3 / 5 = 350.
  const perParticipant = total('calls.heartbeats') / (3 * calls);
  assert.ok(perParticipant >= 336 && perParticipant <= 360, `${perParticipant} heartbeats per participant`);
  assert.ok(Math.abs(perParticipant - 350) < 3, `${perParticipant} heartbeats per participant`);
  // The heartbeats are participant-seconds / 5.
  assert.ok(Math.abs(total('calls.heartbeats') - total('calls.participant_seconds') / 5) < 1e-6 * total('calls.heartbeats'));
  assert.ok(r.server.cpuSecondsByOp.delayedEvent > 0 && r.server.cpuSecondsByOp.toDevice > 0);
  // With all three in, each receives two cameras at 360p and two audio streams: 3 x 2 x (450 + 32) = 2,892 kbit/s out;
  // each sends audio and every layer, 3 x (32 + 2,310) = 7,026 kbit/s in. Fewer are in while joining and leaving.
  const secondsAllIn = total('calls.call_seconds');
  assert.ok(total('calls.sfu_bytes_out') <= (2_892_000 / 8) * secondsAllIn);
  assert.ok(total('calls.sfu_bytes_out') >= (2_892_000 / 8) * (secondsAllIn - 120 * calls));
  assert.ok(total('calls.sfu_bytes_in') <= (7_026_000 / 8) * secondsAllIn);
  assert.equal(total('calls.turn_bytes'), 0);
});

test('calls on, everyone through TURN: TURN carries all media into and out of the SFU', () => {
  const r = simulateReplication(scenario({ ...THREE, turnShare: 1, callsPerUserPerDay: 0.5 }), '3/0', createHomeserver);
  const total = (id: keyof typeof M) => r.counters.total(M[id]);
  const media = total('calls.sfu_bytes_in') + total('calls.sfu_bytes_out');
  assert.ok(media > 0);
  assert.ok(Math.abs(total('calls.turn_bytes') - media) <= 1e-9 * media, `${total('calls.turn_bytes')} vs ${media}`);
});

test('calls on: traffic.calls in the summary, as the summary schema reads it back', () => {
  const run = runScenario(scenario(THREE), { seed: 3, replications: 1, sha256: '0'.repeat(64), overrides: [], version: 'test', verify: false });
  const calls = run.summary.traffic.calls;
  assert.ok(calls);
  // Six membership events per three-person call; nobody through TURN; the calls of the peak fit one 16-vCPU node.
  assert.equal(calls.memberEventsPerDay.mean, 6 * calls.callsPerDay.mean);
  assert.equal(calls.turnShare.mean, 0);
  assert.equal(calls.sfuNodes.mean, 1);
  assert.equal(calls.sfuNodeVcpu, 16);
  assert.ok(calls.participantsP95.mean <= 3 * calls.concurrentCallsP95.mean + 1e-9);
  assert.ok(calls.sfuCoresP95.mean > 0 && calls.sfuCoresP95.mean <= calls.sfuCoresPeak.mean);
  const read = SummarySchema.parse(JSON.parse(JSON.stringify(run.summary)));
  assert.deepEqual(read.traffic.calls, JSON.parse(JSON.stringify(calls)));
});
