/**
 * Remote users' device changes (src/model/mechanisms/remote-devices.ts):
 * their rate, and what each costs here, against hand computations from
 * Synapse's handling (synapse/handlers/device.py:1448-1615).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulation } from '../../src/engine/simulation.js';
import { K } from '../../src/model/coefficients.js';
import { buildMechanisms } from '../../src/model/mechanisms/index.js';
import { Counters, M } from '../../src/model/metrics.js';
import { buildRhythm } from '../../src/model/rhythm.js';
import { ReplicationState } from '../../src/model/state.js';
import { buildWorld } from '../../src/model/world.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { RecordingServer } from './recording-server.js';

/** One encrypted room of 40, half of them remote on 3 servers; remote users log in `perMonth` times a month. */
function setup(perMonth: number) {
  const spec = {
    name: 'remote-devices',
    description: 'one encrypted room shared with three servers',
    population: { users: 20, devicesPerUser: 2 },
    behaviour: { newDevicesPerUserPerMonth: perMonth },
    rooms: { kinds: [{ name: 'shared', count: 1, members: { kind: 'deterministic', value: 40 }, remoteMemberShare: 0.5, encryptedShare: 1 }] },
    federation: { mode: 'open', remoteServers: 3, serverPopularitySkew: 0, downShare: 0, slowShare: 0 },
    run: { days: 1 },
  };
  const s = loadScenarioText(JSON.stringify(spec), 'remote-devices.test.ts').scenario;
  const sim = new Simulation('remote-devices/0');
  const c = new Counters(s.run.binMinutes * 60, s.run.days * 86400);
  const server = new RecordingServer();
  const st = new ReplicationState(s, sim, buildWorld(s, sim.random('world')), buildRhythm(s), c, server);
  st.m = buildMechanisms(st);
  return { s, st, c, server, sim, total: (id: keyof typeof M) => c.total(M[id]) };
}

test('rate: every remote member logs in a new device as often as a local user', () => {
  // 20 remote members x 3 a month / (30.44 days x 86,400 s) = 60 / 2,630,016
  // = 2.2813e-5 a second.
  const { st } = setup(3);
  assert.equal(st.w.roomRemoteMembers[0], 20);
  const expected = 60 / (30.44 * 86400);
  assert.ok(Math.abs(st.m.remoteDevices.ratePerSecond - expected) < 1e-12, `${st.m.remoteDevices.ratePerSecond} vs ${expected}`);
});

test('each update: an EDU applied on main, a resync one time in ten, /sync news and a /keys/query per online device of the encrypted room', () => {
  // A rate of 0.05 a second (20 remote members x 6,575.04 a month /
  // 2,630,016 s) for 20,000 s: about 1,000 updates (Poisson, sd 32).
  const { st, server, sim, total } = setup((0.05 * 30.44 * 86400) / 20);
  st.onlineDevices[0] = 5;
  st.m.remoteDevices.start();
  sim.run(20_000);
  const updates = total('fed.in.device_list_updates');
  assert.ok(Math.abs(updates - 1000) < 130, `updates: ${updates}, expected 1,000 ± 4 sd`);
  // The update is applied as a device change of no local user (no destinations to tell).
  assert.equal(server.calls.get('deviceList'), updates);
  assert.equal(server.units.get('deviceList'), 0);
  // prev_id misses one update in ten (remoteDeviceListResyncShare): a
  // binomial share with sd sqrt(0.1 x 0.9 / 1,000) = 0.0095.
  const resyncs = total('fed.in.device_resyncs');
  assert.ok(Math.abs(resyncs / updates - K.remoteDeviceListResyncShare) < 0.04, `resyncs ${resyncs} of ${updates}`);
  // A resync fetches the user's 2 devices (population.devicesPerUser).
  assert.equal(server.units.get('deviceResync'), 2 * resyncs);
  // Every update reaches the 5 online devices of the room, which each ask for the user's keys.
  assert.equal(total('client.sync_deliveries'), 5 * updates);
  assert.equal(total('e2ee.keys_query'), 5 * updates);
  assert.equal(server.units.get('keysQuery'), 5 * updates);
  // One EDU each, over federation.
  assert.equal(total('fed.in.edus'), updates);
});
