/**
 * Mechanisms one at a time: each test builds a replication's shared state on
 * a small world with a homeserver that only records what it is asked, calls
 * one mechanism directly (no event loop), and checks what it counted against
 * a hand computation from the spec or Synapse's behaviour cited beside it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulation } from '../../src/engine/simulation.js';
import { QuantileSketch } from '../../src/engine/stats.js';
import { K } from '../../src/model/coefficients.js';
import { OPS, type Homeserver, type Op, type ServerResult } from '../../src/model/homeserver.js';
import { buildMechanisms } from '../../src/model/mechanisms/index.js';
import { Counters, M } from '../../src/model/metrics.js';
import { buildRhythm } from '../../src/model/rhythm.js';
import { ReplicationState } from '../../src/model/state.js';
import { buildWorld } from '../../src/model/world.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';

/** A homeserver that records the units submitted per operation and does nothing else. */
class RecordingServer implements Homeserver {
  readonly units = new Map<Op, number>();
  readonly replicatingWorkers = 0;
  submit(op: Op, units: number): void {
    this.units.set(op, (this.units.get(op) ?? 0) + units);
  }
  whenDone(): void {}
  countPersisted(): void {}
  replicate(): void {}
  finish(): ServerResult {
    const none = new Float64Array(0);
    const byOp = Object.fromEntries(OPS.map((op) => [op, 0])) as Record<Op, number>;
    return {
      processes: [],
      database: null,
      offeredByWorkerKind: {},
      databaseOfferedByBin: none,
      localSendLatency: new QuantileSketch(),
      localSendLatencyByBin: [],
      eventsPersistedByBin: none,
      streamRowsByBin: none,
      cpuSecondsByOp: byOp,
      databaseSecondsByOp: byOp,
    };
  }
}

/** 20 users in one encrypted group room of 20 and one direct room each way; 3 remote servers in the group room. */
const SPEC = {
  name: 'mechanisms',
  description: 'one room of twenty, federated',
  population: { users: 20, devicesPerUser: 2, mobileDeviceShare: 0.5 },
  rooms: {
    kinds: [{ name: 'group', count: 1, members: { kind: 'deterministic', value: 26 }, remoteMemberShare: 0.25, encryptedShare: 1 }],
  },
  federation: { mode: 'open', remoteServers: 3, serverPopularitySkew: 0 },
  run: { days: 1, replications: 1, seed: 1 },
};

function setup(overrides: string[] = []) {
  const s: Scenario = loadScenarioText(JSON.stringify(SPEC), 'mechanisms.test.ts', overrides).scenario;
  const sim = new Simulation('m/0');
  const c = new Counters(s.run.binMinutes * 60, s.run.days * 86400);
  const server = new RecordingServer();
  const st = new ReplicationState(s, sim, buildWorld(s, sim.random('world')), buildRhythm(s), c, server);
  st.m = buildMechanisms(st);
  return { s, st, c, server };
}

test('setup: the world is what the scenario says (one room, local and remote members)', () => {
  const { st } = setup();
  assert.equal(st.w.rooms, 1);
  const local = st.w.roomLocalMembers[0]!;
  const remote = st.w.roomRemoteMembers[0]!;
  assert.equal(local + remote, 26);
  assert.ok(remote > 0 && local > 0, `local ${local}, remote ${remote}`);
  assert.equal(st.w.roomEncrypted[0], 1);
});

test('E2EE: a sender rotates its Megolm session on first use, after 100 messages and after a membership change (spec m.room.encryption rotation_period_msgs 100)', () => {
  const { st, c } = setup();
  const w = st.w;
  const u = 0;
  const j = w.userRoomStart[u]!;
  assert.ok(w.userRoomStart[u + 1]! > j, 'user 0 is in the room');
  const r = w.userRoom[j]!;
  const recipients = Math.max(0, w.roomLocalDevices[r]! - 1) + w.roomRemoteMembers[r]! * st.s.population.devicesPerUser;
  for (let i = 0; i < 250; i++) st.m.e2ee.beforeSend(u, j, r);
  // Messages 1, 101 and 201 start a session: three key shares.
  assert.equal(c.total(M['m.room_key']), 3 * recipients);
  st.m.e2ee.roomChanged(r);
  st.m.e2ee.beforeSend(u, j, r);
  assert.equal(c.total(M['m.room_key']), 4 * recipients);
});

test('receipts: rows are upserted per (room, member), so receipt storage never exceeds one row per membership', () => {
  const { st, c } = setup();
  const rows = st.m.receipts.rowsMax;
  assert.equal(rows, 26, 'one row per local and remote member of the one room');
  for (let i = 0; i < 10_000; i++) st.m.receipts.addRows(1);
  const stored = c.total(M['storage.receipts']);
  // n unit receipts fill rows(1 - (1 - 1/rows)^n): at n = 10,000 that is rows to 1e-160.
  assert.ok(Math.abs(stored - rows * K.receiptRowBytes) < 1e-6, `stored ${stored}`);
  const after3 = setup();
  for (let i = 0; i < 3; i++) after3.st.m.receipts.addRows(1);
  const expected3 = rows * (1 - Math.pow(1 - 1 / rows, 3)) * K.receiptRowBytes;
  assert.ok(Math.abs(after3.c.total(M['storage.receipts']) - expected3) < 1e-9);
});

test('push: a message in a group room notifies the mentioned share of local recipients on their phones (spec .m.rule.is_user_mention); remote recipients are pushed by their own servers', () => {
  const { st, c, s } = setup(['behaviour.mentionShare=0.1']);
  const local = st.w.roomLocalMembers[0]!;
  st.m.push.forEvent(0, false);
  const mobile = s.population.devicesPerUser * s.population.mobileDeviceShare;
  const expected = 0.1 * ((local - 1) / (26 - 1)) * mobile;
  assert.ok(Math.abs(c.total(M['push.notifications']) - expected) < 1e-12);
  st.m.push.forEvent(0, true);
  const fromRemote = 0.1 * (local / (26 - 1)) * mobile;
  assert.ok(Math.abs(c.total(M['push.notifications']) - expected - fromRemote) < 1e-12);
});

test('presence off: a presence change counts nothing and asks nothing of the server', () => {
  const { st, c, server } = setup(['features.presence=false']);
  st.m.presence.change(0);
  assert.equal(c.total(M['m.presence']), 0);
  assert.equal(server.units.get('presence'), undefined);
  assert.equal(st.m.presence.ratePerSecond, 0);
});

test('typing: one notification goes to each remote server in the room as an EDU and to the room on the server', () => {
  const { st, c, server } = setup();
  st.m.typing.notify(0, 2);
  assert.equal(c.total(M['m.typing']), 2);
  assert.equal(server.units.get('typing'), 2);
});

test('state: every 100th state change of a room writes a full snapshot state group (Synapse MAX_STATE_DELTA_HOPS = 100)', () => {
  const { st, c } = setup();
  for (let i = 0; i < 100; i++) st.persist(0, 700, true);
  const deltas = 100 * (K.stateGroupHeaderBytes + K.stateGroupRowBytes);
  const snapshot = st.w.roomStateSize[0]! * K.stateGroupRowBytes;
  assert.equal(c.total(M['storage.stateGroups']), deltas + snapshot);
  assert.equal(c.total(M['storage.eventJson']), 100 * 700);
});

test('state: every state event adds its chain-cover index rows (event_auth_chains and links)', () => {
  const { st, c } = setup();
  for (let i = 0; i < 3; i++) st.persist(0, 700, true);
  st.persist(0, 650, false);
  // 3 state events x 400 B; a message adds none.
  assert.equal(c.total(M['storage.authChains']), 3 * K.authChainBytesPerStateEvent);
});

test('joins: a membership change adds, at the join share, the joiner’s user-directory rows and a sliding-sync snapshot (synapse/handlers/user_directory.py)', () => {
  const { st, c } = setup();
  for (let i = 0; i < 20; i++) st.m.account.membershipChange();
  const changes = c.total(M['m.room.member']);
  assert.ok(changes > 0, 'some drawn users are in the room');
  const local = st.w.roomLocalMembers[0]!;
  // The private room of 26: a local joiner shares it with the 25 others, and
  // each of the other local members with the joiner: 25 + (local - 1) rows of
  // 330 B, for half of the changes (the others are leaves).
  const rowsPerJoin = 25 + (local - 1);
  assert.equal(c.total(M['storage.userDirectory']), changes * 0.5 * rowsPerJoin * K.userDirectoryPrivateRowBytes);
  // A snapshot row per join, kept after a leave: 0.5 x 380 B per change.
  assert.equal(c.total(M['storage.slidingSync']), changes * 0.5 * K.slidingSyncSnapshotRowBytes);
  assert.equal(c.total(M['storage.authChains']), changes * K.authChainBytesPerStateEvent);
});

/** A user of the room, and the scenario's media fixed at one image of 1,000,000 B. */
const IMAGES = ['behaviour.media.imageShare=1', 'behaviour.media.bytes={"kind":"deterministic","value":1000000}'];
const MIB = 1024 * 1024;

test('media: encrypted uploads make no server thumbnails; the client uploads its own encrypted thumbnail (spec thumbnail_file)', () => {
  const { st, c, server } = setup(IMAGES);
  assert.equal(st.w.roomEncrypted[0], 1);
  st.m.media.upload(0);
  assert.equal(c.total(M['media.upload']), 1);
  // Ciphertext: no thumbnail CPU and no thumbnail storage.
  assert.equal(server.units.get('thumbnail'), undefined);
  assert.equal(c.total(M['storage.thumbnails']), 0);
  // The original and a client thumbnail of min(1,000,000, 80,000) = 80,000 B: 1,080,000 B stored and received.
  assert.equal(c.total(M['storage.localMedia']), 1_080_000);
  assert.equal(c.total(M['media.bytes_in']), 1_080_000);
  assert.ok(Math.abs(server.units.get('mediaUpload')! - 1_080_000 / MIB) < 1e-12);
});

test('media: an image uploaded into an unencrypted room is thumbnailed by the server (five sizes)', () => {
  const { st, c, server } = setup([...IMAGES, 'rooms.kinds[0].encryptedShare=0']);
  assert.equal(st.w.roomEncrypted[0], 0);
  st.m.media.upload(0);
  assert.equal(server.units.get('thumbnail'), 1);
  // Five thumbnails: min(1,000,000, 180,000) = 180,000 B; the original alone in local media.
  assert.equal(c.total(M['storage.thumbnails']), 180_000);
  assert.equal(c.total(M['storage.localMedia']), 1_000_000);
});
