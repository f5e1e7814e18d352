/**
 * Where local sends wait (src/server/server.ts `sendWaitSecondsByKind`), the
 * measure the verification grows on a missed latency (src/analysis/verify.ts
 * `culprit`). Hand case: a worker deployment with no generic worker and no
 * event persister, so a send is created and persisted on main. A join's
 * background resync holds main for 20 s of CPU from t = 0; a send at t = 1
 * then shares main's core with it (processor sharing: two jobs, each at half
 * speed), so each of its stages on main takes twice its service and waits
 * exactly as long as that service. The same seed with a join of no events
 * (100 ms, done by t = 1: the same draws in the same order) is the send
 * alone: its latency is the first's minus the wait at main, and nothing
 * waits anywhere.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulation } from '../../src/engine/simulation.js';
import { serverOnlyScenario } from '../../src/server/calibration.js';
import { ServerModel } from '../../src/server/server.js';

function oneSend(joinEvents: number) {
  const workers = { sync: 1, generic: 0, eventPersister: 0, pusher: 0, federationSender: 0, federationReader: 0, mediaRepository: 0 };
  const s = serverOnlyScenario({ implementation: 'synapse', deployment: 'workers', workers });
  const sim = new Simulation('send-wait');
  const server = new ServerModel(sim, s, sim.random('server'), 3600, { roomsPerUser: 10 });
  // A job someone waits on, so it holds main as a job rather than as deferred work.
  server.whenDone('fedJoin', () => undefined);
  sim.schedule(
    0,
    sim.handler(() => server.submit('fedJoin', joinEvents, 0)),
  );
  sim.schedule(
    1,
    sim.handler(() => server.submit('send', 1, 0)),
  );
  sim.run(3600);
  const r = server.finish();
  return { latency: r.localSendLatency.quantile(1), waits: r.sendWaitSecondsByKind! };
}

test('a send sharing main with a long job waits there as long as its own service on main, and nowhere else', () => {
  const busy = oneSend(10_000);
  const alone = oneSend(0);
  for (const [kind, seconds] of Object.entries(alone.waits)) assert.ok(Math.abs(seconds) < 1e-9, `alone, ${kind} waited ${seconds} s`);
  assert.ok(busy.waits.main! > 0.001, `main: ${busy.waits.main} s`);
  for (const kind of ['sync', 'database']) assert.ok(Math.abs(busy.waits[kind]!) < 1e-9, `${kind} waited ${busy.waits[kind]} s`);
  // Latencies are read from a sketch of relative accuracy 1%; the wait is exact.
  assert.ok(Math.abs(busy.latency - alone.latency - busy.waits.main!) < 0.02 * busy.latency, `${busy.latency} - ${alone.latency} against ${busy.waits.main}`);
});
