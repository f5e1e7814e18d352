/**
 * Mechanisms one at a time: each test builds a replication's shared state on
 * a small world with a homeserver that only records what it is asked, calls
 * one mechanism directly (no event loop), and checks what it counted against
 * a hand computation from the spec or Synapse's behaviour cited beside it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulation } from '../../src/engine/simulation.js';
import { K } from '../../src/model/coefficients.js';
import { OutboundSessions } from '../../src/model/mechanisms/e2ee.js';
import { buildMechanisms } from '../../src/model/mechanisms/index.js';
import { Counters, M } from '../../src/model/metrics.js';
import { buildRhythm } from '../../src/model/rhythm.js';
import { ReplicationState } from '../../src/model/state.js';
import { buildWorld } from '../../src/model/world.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { RecordingServer } from './recording-server.js';

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

test('E2EE: a leave rotates the Megolm session, so does the 100th message after it; a join shares the current session instead (spec end-to-end encryption, rotation)', () => {
  const { st, c } = setup(['e2ee.staleDevicesPerUser=0']);
  const w = st.w;
  const u = 0;
  const j = w.userRoomStart[u]!;
  assert.ok(w.userRoomStart[u + 1]! > j, 'user 0 is in the room');
  const r = w.userRoom[j]!;
  const recipients = Math.max(0, w.roomLocalDevices[r]! - 1) + w.roomRemoteMembers[r]! * st.s.population.devicesPerUser;
  st.m.e2ee.beforeSend(u, j, r); // the session as it would be in steady state
  const before = c.total(M['m.room_key']);
  st.m.e2ee.memberLeft(r);
  st.m.e2ee.beforeSend(u, j, r); // message 1 of a new session
  assert.equal(c.total(M['m.room_key']) - before, recipients);
  for (let i = 2; i <= 100; i++) st.m.e2ee.beforeSend(u, j, r);
  assert.equal(c.total(M['m.room_key']) - before, recipients, 'messages 2..100 ride the same session');
  st.m.e2ee.beforeSend(u, j, r); // message 101: rotation_period_msgs = 100 reached
  assert.equal(c.total(M['m.room_key']) - before, 2 * recipients);
  st.m.e2ee.devicesAdded(r, 2);
  st.m.e2ee.beforeSend(u, j, r);
  assert.equal(c.total(M['m.room_key']) - before, 2 * recipients + 2, 'a join adds two keys, no rotation');
});

test('E2EE: a session rotates after rotation_period_ms (one week by default) even when few messages were sent', () => {
  const { st, c } = setup(['e2ee.staleDevicesPerUser=0']);
  const w = st.w;
  const j = w.userRoomStart[0]!;
  const r = w.userRoom[j]!;
  const recipients = Math.max(0, w.roomLocalDevices[r]! - 1) + w.roomRemoteMembers[r]! * st.s.population.devicesPerUser;
  st.m.e2ee.beforeSend(0, j, r); // the session as it would be in steady state
  st.m.e2ee.memberLeft(r);
  st.m.e2ee.beforeSend(0, j, r); // a new session at time 0
  const before = c.total(M['m.room_key']);
  st.sim.run(6.9 * 86400);
  st.m.e2ee.beforeSend(0, j, r);
  assert.equal(c.total(M['m.room_key']), before, '6.9 days: same session');
  st.sim.run(7.1 * 86400);
  st.m.e2ee.beforeSend(0, j, r);
  assert.equal(c.total(M['m.room_key']), before + recipients, '7.1 days: rotated');
});

test('E2EE: stale devices receive every new room key and keep it in device_inbox; every local member with key backup stores the session', () => {
  const { st, c } = setup(['e2ee.staleDevicesPerUser=1.5', 'e2ee.keyBackupShare=0.5']);
  const w = st.w;
  const j = w.userRoomStart[0]!;
  const r = w.userRoom[j]!;
  const local = w.roomLocalMembers[r]!;
  st.m.e2ee.memberLeft(r);
  st.m.e2ee.beforeSend(0, j, r);
  st.m.e2ee.memberLeft(r);
  st.m.e2ee.beforeSend(0, j, r);
  // The second send rotated for sure: its stale keys are local members x 1.5 (and maybe as many from the first).
  const stale = c.total(M['e2ee.stale_keys']);
  assert.ok(Math.abs(stale - 2 * local * 1.5) < 1e-9 || Math.abs(stale - local * 1.5) < 1e-9, `stale keys ${stale}`);
  assert.ok(Math.abs(c.total(M['storage.deviceInbox']) - stale * (K.toDeviceMessageBytes + K.toDeviceRowBytes)) < 1e-6);
  const sessions = stale / (local * 1.5);
  assert.ok(Math.abs(c.total(M['e2ee.backup_uploads']) - sessions * local * 0.5) < 1e-9);
  assert.ok(Math.abs(c.total(M['storage.keyBackup']) - sessions * local * 0.5 * K.keyBackupRowBytes) < 1e-6);
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

test('push: by the default rules every message notifies every other local member but the muted share, who get mentions only (spec push rules .m.rule.message, .m.rule.is_user_mention); remote members are pushed by their own servers', () => {
  const { st, c, server } = setup(['behaviour.mentionShare=0.1', 'behaviour.mutedRoomShare=0.2', 'rooms.kinds[0].encryptedShare=0']);
  const w = st.w;
  const local = w.roomLocalMembers[0]!;
  let phones = 0;
  for (let u = 0; u < w.users; u++) phones += w.userMobileV2[u]! + w.userMobileSliding[u]!;
  const pushers = phones / w.users;
  st.m.push.forEvent(0, false);
  // 26 members: (local - 1) recipients, 80% notified; the 20% muted hear of the 10% of messages that mention one of the 25 others.
  const notified = (local - 1) * 0.8 + 0.1 * ((local - 1) / 25) * 0.2;
  assert.ok(Math.abs(c.total(M['push.actions']) - notified) < 1e-9);
  assert.ok(Math.abs(c.total(M['push.notifications']) - notified * pushers) < 1e-9);
  assert.ok(Math.abs(c.total(M['push.fetches']) - notified * pushers * K.pushFetchesPerPush) < 1e-9, 'each push makes the phone fetch the event');
  assert.equal(server.units.get('pushRules'), local - 1, 'one rule evaluation per local member but the sender');
  st.m.push.forEvent(0, true);
  const fromRemote = local * 0.8 + 0.1 * (local / 25) * 0.2;
  assert.ok(Math.abs(c.total(M['push.actions']) - notified - fromRemote) < 1e-9);
  // Reactions and edits notify nobody in a plaintext room (.m.rule.reaction, .m.rule.suppress_edits).
  st.m.push.forEvent(0, false, 'annotation');
  assert.ok(Math.abs(c.total(M['push.actions']) - notified - fromRemote) < 1e-9);
});

test('push: in an encrypted room the server cannot see mentions, so muted members get nothing, and reactions notify like messages (.m.rule.encrypted)', () => {
  const { st, c } = setup(['behaviour.mentionShare=0.1', 'behaviour.mutedRoomShare=0.2']);
  const local = st.w.roomLocalMembers[0]!;
  st.m.push.forEvent(0, false);
  assert.ok(Math.abs(c.total(M['push.actions']) - (local - 1) * 0.8) < 1e-9);
  st.m.push.forEvent(0, false, 'annotation');
  assert.ok(Math.abs(c.total(M['push.actions']) - 2 * (local - 1) * 0.8) < 1e-9);
});

test('push: a read receipt sends a badge update to each pusher of the reader (synapse push/httppusher.py), with no event to fetch', () => {
  const { st, c } = setup(['behaviour.mutedRoomShare=0.25']);
  const w = st.w;
  let phones = 0;
  for (let u = 0; u < w.users; u++) phones += w.userMobileV2[u]! + w.userMobileSliding[u]!;
  st.m.push.afterReceipts(0, 4);
  assert.ok(Math.abs(c.total(M['push.badge']) - 4 * 0.75 * (phones / w.users)) < 1e-9);
  assert.equal(c.total(M['push.fetches']), 0);
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

test('E2EE: the senders’ sessions get slots in order of first send, on pages of 65,536 that never move', () => {
  // 140,000 of 200,000 memberships send, the last first: three pages, and each slot keeps what was written to it.
  const sessions = new OutboundSessions(200_000);
  assert.equal(sessions.slotOf(0), -1);
  for (let k = 0; k < 140_000; k++) assert.equal(sessions.open(199_999 - k), k);
  assert.equal(sessions.sent.length, 3);
  assert.equal(sessions.start.length, 3);
  for (let j = 0; j < 200_000; j++) assert.equal(sessions.slotOf(j), j >= 60_000 ? 199_999 - j : -1, `membership ${j}`);
  const firstPage = sessions.start[0]!;
  for (let slot = 0; slot < 140_000; slot++) sessions.start[slot >>> 16]![slot & 0xffff] = slot + 0.5;
  assert.equal(sessions.start[0], firstPage, 'the first page is the same array after two more were added');
  for (const slot of [0, 65_535, 65_536, 131_071, 131_072, 139_999]) assert.equal(sessions.start[slot >>> 16]![slot & 0xffff], slot + 0.5);
});
