/**
 * Synapse's tables that grow with rooms and memberships (src/model/tables.ts):
 * user-directory rows, member events kept for everyone who ever joined, and
 * the storage the world holds at the start, against hand computations from
 * the row sizes in src/model/coefficients.ts (reference/matrix-2026.md §4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStream } from '../../src/engine/random.js';
import { K } from '../../src/model/coefficients.js';
import { baseStorage, directoryRows, directoryRowsOnJoin, historicMemberFactor, isPublicKind } from '../../src/model/tables.js';
import { buildWorld } from '../../src/model/world.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';

/**
 * 100 users with one device each, all of one class that comes online; one
 * private room of all 100 (a fixed `count`), and one public room of 40, half
 * of them on one remote server. Churn 0: no member has left yet.
 */
const SPEC = {
  name: 'tables',
  description: 'one private room of everyone and one public room',
  population: { users: 100, devicesPerUser: 1, classes: [{ name: 'all', share: 1, messagesPerDay: 1 }] },
  behaviour: { membershipChangesPerUserPerMonth: 0 },
  rooms: {
    kinds: [
      { name: 'everyone', count: 1, members: { kind: 'deterministic', value: 100 } },
      { name: 'lobby', count: 1, members: { kind: 'deterministic', value: 40 }, remoteMemberShare: 0.5, joinRule: 'public' },
    ],
  },
  federation: { mode: 'open', remoteServers: 1 },
};

const load = (overrides: string[] = []): Scenario => loadScenarioText(JSON.stringify(SPEC), 'tables.test.ts', overrides).scenario;
const worldOf = (s: Scenario) => buildWorld(s, createStream('t', 'world'));

describe('user directory', () => {
  it('has local x (members - 1) rows per private room and one per local member of a public room', () => {
    // synapse/handlers/user_directory.py: a row (local user, other user, room) per pair in a private room.
    assert.equal(directoryRows(100, 100, false), 9900); // 100 x 99
    assert.equal(directoryRows(20, 40, false), 780); // 20 x 39: remote members count as "other users"
    assert.equal(directoryRows(20, 40, true), 20); // users_in_public_rooms: one per local member
    assert.equal(directoryRows(1, 1, false), 0); // alone in a room: nobody to share it with
  });

  it('adds on a join what the difference of the room before and after is', () => {
    // A local user joins a private room, which then has 10 local members of 12:
    // (12 - 1) rows for the joiner + (10 - 1) for the other local members = 20,
    // = 10 x 11 - 9 x 10 = 110 - 90.
    assert.equal(directoryRowsOnJoin(10, 12, false), 20);
    assert.equal(directoryRowsOnJoin(10, 12, false), directoryRows(10, 12, false) - directoryRows(9, 11, false));
    assert.equal(directoryRowsOnJoin(10, 12, true), 1);
  });

  it('treats rooms hosted elsewhere as public and others as private, unless the kind says', () => {
    const s = load();
    assert.equal(isPublicKind(s.rooms.kinds[0]!), false);
    assert.equal(isPublicKind(s.rooms.kinds[1]!), true);
    // The lobby without its join rule: public because it is hosted elsewhere (it has remote members).
    const remote = { ...s.rooms.kinds[1]!, joinRule: undefined };
    assert.equal(isPublicKind({ ...remote, hostedRemotely: true }), true);
    assert.equal(isPublicKind({ ...remote, hostedRemotely: false }), false);
    assert.equal(isPublicKind({ ...remote, hostedRemotely: true, joinRule: 'private' }), false);
  });
});

describe('historic members', () => {
  it('follows the churn over the rooms’ age unless the kind states it', () => {
    assert.equal(K.joinShareOfMembershipChanges, 0.5);
    assert.equal(K.roomAgeMonthsAtStart, 12);
    // 0.2 changes per user a month, half of them leaves, over 1.2 rooms per
    // user: 0.2 x 0.5 / 1.2 leaves per membership a month, for 12 months:
    // 1 + 0.0833... x 12 = 2.
    const s = load(['behaviour.membershipChangesPerUserPerMonth=0.2']);
    assert.ok(Math.abs(historicMemberFactor(s, s.rooms.kinds[0]!, 1.2) - 2) < 1e-12);
    assert.equal(historicMemberFactor(load(), load().rooms.kinds[0]!, 1.2), 1, 'no churn, nobody left');
    const stated = load(['rooms.kinds[1].historicMemberFactor=3']);
    assert.equal(historicMemberFactor(stated, stated.rooms.kinds[1]!, 1.2), 3);
  });

  it('puts everyone who ever joined in room state', () => {
    // Memberships 100 + 20 = 120 over 100 users: 1.2 rooms per user, factor 2 (above);
    // the public room states 3. State = round(members x factor) + 8 base events:
    // everyone: 100 x 2 + 8 = 208; lobby: 40 x 3 + 8 = 128.
    const s = load(['behaviour.membershipChangesPerUserPerMonth=0.2', 'rooms.kinds[1].historicMemberFactor=3']);
    const w = worldOf(s);
    assert.deepEqual(Array.from(w.roomStateSize), [208, 128]);
  });
});

describe('baseStorage', () => {
  const s = load();
  const w = worldOf(s);
  const { bytes, quadraticBytes } = baseStorage(s, w);

  it('draws the world the hand computations assume', () => {
    assert.deepEqual(Array.from(w.roomLocalMembers), [100, 20]);
    assert.deepEqual(Array.from(w.roomRemoteMembers), [0, 20]);
    assert.deepEqual(Array.from(w.roomStateSize), [108, 48]); // members + 8, nobody has left
    assert.equal(w.userRoom.length, 120);
  });

  it('counts the user directory, its private-room part as quadratic', () => {
    // Private: 100 x 99 = 9,900 rows x 330 B = 3,267,000 B; public: 20 rows x 210 B = 4,200 B.
    assert.equal(K.userDirectoryPrivateRowBytes, 330);
    assert.equal(K.userDirectoryPublicRowBytes, 210);
    assert.equal(bytes.userDirectory, 3_271_200);
    // The private room is a fixed `count`: its members grow with the users, its rows with their square.
    assert.equal(quadraticBytes.userDirectory, 3_267_000);
  });

  it('counts room state, its chain-cover index, users and devices', () => {
    // State events 108 + 48 = 156.
    assert.equal(bytes.eventJson, 156 * 700); // 109,200
    assert.equal(bytes.eventRows, 156 * (571 + 450) + 100 * 4000); // 159,276 + 400,000 = 559,276
    assert.equal(bytes.stateGroups, 156 * 250); // 39,000: one snapshot per room
    assert.equal(bytes.authChains, 156 * 400); // 62,400
    // Device keys of 100 live and 100 stale devices (e2ee.staleDevicesPerUser 1), and one poke row of 200 B
    // per (user, destination) that pruning keeps: the 20 local members of the public room share it with one server.
    let pokeRows = 0;
    for (let u = 0; u < w.users; u++) pokeRows += w.userDestStart[u + 1]! - w.userDestStart[u]!;
    assert.equal(pokeRows, 20);
    assert.equal(bytes.deviceLists, (100 + 100) * 15_000 + 20 * 200); // 3,004,000
    // A push summary row of 120 B per membership.
    assert.equal(bytes.pushActions, 120 * 120);
  });

  it('counts the sliding-sync tables: rooms, membership snapshots, connections of SSS devices', () => {
    // Joined rooms: 2 x 170 = 340. Snapshots: 120 memberships x 380 = 45,600.
    // Connections: the world's phones (40% of devices), all on Element X (SSS), web and desktop on /sync v2:
    // per SSS device 2 connections x 1,000 B + 200 B per room of its user.
    let connections = 0;
    for (let u = 0; u < w.users; u++) {
      const sliding = w.userMobileSliding[u]! + w.userDesktopSliding[u]!;
      connections += sliding * (2 * 1_000 + (w.userRoomStart[u + 1]! - w.userRoomStart[u]!) * 200);
    }
    assert.ok(connections > 0.25 * 224_000 && connections < 0.55 * 224_000, `about 40% of 224,000 B: ${connections}`);
    assert.equal(bytes.slidingSync, 340 + 45_600 + connections);
  });

  it('quadruples the rows of a private room when its size doubles (the law of issue 11)', () => {
    // 200 users in the room of everyone: 200 x 199 = 39,800 rows against 9,900, x 4.02.
    const s2 = load(['population.users=200', 'rooms.kinds[0].members={"kind":"deterministic","value":200}']);
    const big = baseStorage(s2, worldOf(s2)).quadraticBytes.userDirectory;
    assert.equal(big, 39_800 * 330);
    const ratio = big / quadraticBytes.userDirectory;
    assert.ok(Math.abs(ratio - 4) < 0.03, `ratio ${ratio}`);
  });
});
