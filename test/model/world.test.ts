/**
 * buildWorld: the population, the rooms, the memberships (compressed sparse
 * rows both ways) and the remote servers of each room, checked for internal
 * consistency on a small scenario and for the room counts the scenario asks
 * for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStream } from '../../src/engine/random.js';
import { historicMemberFactor } from '../../src/model/tables.js';
import { searchCumulative } from '../../src/numeric/search-cumulative.js';
import { buildWorld, GrowableInt32, roomCounts, type World } from '../../src/model/world.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';

/**
 * 400 users; rooms of every shape the member draw handles: pairs, small
 * groups drawn by rejection (at most half the users), a room of 300 drawn by
 * exclusion (more than half), a room of all 400 users (exclusion of none),
 * and shared rooms with remote members.
 */
const SPEC = {
  name: 'world',
  description: 'small world for buildWorld',
  population: { users: 400, devicesPerUser: 2.5 },
  rooms: {
    kinds: [
      { name: 'direct', membershipsPerUser: 3, members: { kind: 'deterministic', value: 2 } },
      { name: 'group', membershipsPerUser: 2, members: { kind: 'uniform', min: 3, max: 15 }, remoteMemberShare: 0.25 },
      { name: 'big', count: 2, members: { kind: 'deterministic', value: 300 } },
      { name: 'everyone', count: 1, members: { kind: 'deterministic', value: 400 } },
      { name: 'shared', count: 30, members: { kind: 'uniform', min: 4, max: 40 }, remoteMemberShare: 0.6 },
    ],
  },
  federation: { mode: 'open', remoteServers: 25, serverPopularitySkew: 1 },
};

function load(spec: object, overrides: string[] = []): Scenario {
  return loadScenarioText(JSON.stringify(spec), 'world.test.ts', overrides).scenario;
}

const world = (s: Scenario, seed = 'w') => buildWorld(s, createStream(seed, 'world'));

/** The local members of each room, from the users' side of the CSR. */
function membersByRoom(w: World): number[][] {
  const members: number[][] = Array.from({ length: w.rooms }, () => []);
  for (let u = 0; u < w.users; u++) {
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) members[w.userRoom[j]!]!.push(u);
  }
  return members;
}

describe('buildWorld', () => {
  const s = load(SPEC);
  const w = world(s);
  const members = membersByRoom(w);

  it('has the users and rooms the scenario asks for', () => {
    assert.equal(w.users, 400);
    assert.equal(
      w.rooms,
      roomCounts(s).reduce((a, b) => a + b, 0),
    );
    // Rooms are laid out kind by kind, in the scenario's order.
    const counts = roomCounts(s);
    let r = 0;
    counts.forEach((n, k) => {
      for (let i = 0; i < n; i++, r++) assert.equal(w.roomKind[r], k, `room ${r} kind`);
    });
  });

  it('gives each room exactly its local members, each user at most once', () => {
    for (let r = 0; r < w.rooms; r++) {
      assert.equal(members[r]!.length, w.roomLocalMembers[r], `room ${r}: memberships vs roomLocalMembers`);
      assert.equal(new Set(members[r]).size, members[r]!.length, `room ${r}: a user appears twice`);
    }
    // Shapes: pairs have 2, the room of 300 has 300, the room of 400 holds every user.
    const counts = roomCounts(s);
    const firstOf = (k: number) => counts.slice(0, k).reduce((a, b) => a + b, 0);
    assert.equal(w.roomLocalMembers[firstOf(0)], 2);
    assert.equal(w.roomLocalMembers[firstOf(2)], 300);
    assert.equal(w.roomLocalMembers[firstOf(3)], 400);
    assert.deepEqual(
      members[firstOf(3)],
      Array.from({ length: 400 }, (_, u) => u),
    );
  });

  it('keeps the two sides of the membership CSR consistent', () => {
    assert.equal(w.userRoomStart.length, w.users + 1);
    assert.equal(w.userRoomStart[0], 0);
    assert.equal(w.userRoomStart[w.users], w.userRoom.length);
    for (let u = 0; u < w.users; u++) {
      assert.ok(w.userRoomStart[u + 1]! >= w.userRoomStart[u]!, `userRoomStart decreases at ${u}`);
      const rooms = Array.from(w.userRoom.subarray(w.userRoomStart[u], w.userRoomStart[u + 1]));
      assert.equal(new Set(rooms).size, rooms.length, `user ${u} is in a room twice`);
      for (const r of rooms) assert.ok(r >= 0 && r < w.rooms, `user ${u}: room ${r} out of range`);
    }
    let local = 0;
    for (let r = 0; r < w.rooms; r++) local += w.roomLocalMembers[r]!;
    assert.equal(w.userRoom.length, local, 'memberships = sum of local members');
    // Devices in a room are the devices of its members.
    for (let r = 0; r < w.rooms; r++) {
      const devices = members[r]!.reduce((sum, u) => sum + w.userDevices[u]!, 0);
      assert.equal(w.roomLocalDevices[r], devices, `room ${r}: roomLocalDevices`);
    }
    // Cumulative weights per user rise by each room's weight.
    for (let u = 0; u < w.users; u++) {
      let acc = 0;
      for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
        acc += w.roomWeight[w.userRoom[j]!]!;
        assert.ok(Math.abs(w.userRoomCumWeight[j]! - acc) <= 1e-5 * acc, `user ${u}: cumulative weight`);
      }
    }
  });

  it('draws devices per user with the scenario mean (1 + Poisson(mean - 1))', () => {
    let devices = 0;
    for (let u = 0; u < w.users; u++) {
      assert.ok(w.userDevices[u]! >= 1, 'every user has a device');
      devices += w.userDevices[u]!;
    }
    // Mean 2.5: the sum of 400 has sd sqrt(400 x 1.5) = 24.5; 5 sd = 122 around 1,000.
    assert.ok(Math.abs(devices - 1000) < 122, `devices ${devices}, expected about 1,000`);
  });

  it('sizes membershipsPerUser kinds as users x memberships per user / mean local members', () => {
    // direct: 400 x 3 / 2 = 600 rooms.
    // group: members uniform 3..15 has mean 9, 25% remote -> 6.75 local;
    //        400 x 2 / 6.75 = 118.52 -> 119 rooms.
    // big, everyone, shared: given counts 2, 1, 30.
    assert.deepEqual(roomCounts(s), [600, 119, 2, 1, 30]);
    // Doubling the users doubles the per-user kinds (800 x 2 / 6.75 = 237.04 -> 237) and not the counted ones.
    assert.deepEqual(roomCounts(load(SPEC, ['population.users=800'])), [1200, 237, 2, 1, 30]);
    // The draw matches its expectation: a direct room has 2 local members, so
    // the direct memberships are exactly 600 x 2 = 400 x 3.
    let directMemberships = 0;
    for (let r = 0; r < w.rooms; r++) if (w.roomKind[r] === 0) directMemberships += w.roomLocalMembers[r]!;
    assert.equal(directMemberships, 400 * 3);
  });

  it('gives each shared room distinct remote servers, within range, no more than its remote members', () => {
    assert.equal(w.remoteServers, 25);
    assert.equal(w.roomDestStart.length, w.rooms + 1);
    assert.equal(w.roomDestStart[0], 0);
    assert.equal(w.roomDestStart[w.rooms], w.roomDest.length);
    let shared = 0;
    for (let r = 0; r < w.rooms; r++) {
      const dests = Array.from(w.roomDest.subarray(w.roomDestStart[r], w.roomDestStart[r + 1]));
      assert.equal(new Set(dests).size, dests.length, `room ${r}: a server listed twice`);
      for (const d of dests) assert.ok(Number.isInteger(d) && d >= 0 && d < w.remoteServers, `room ${r}: server ${d} out of range`);
      assert.ok(dests.length <= w.roomRemoteMembers[r]!, `room ${r}: more servers than remote members`);
      if (w.roomRemoteMembers[r]! > 0) {
        assert.ok(dests.length >= 1, `room ${r} has remote members but no server`);
        shared++;
      }
      // Total members = local + remote; state = everyone who ever joined (members x the kind's
      // historic factor, rounded) + base state events.
      const kind = s.rooms.kinds[w.roomKind[r]!]!;
      const members = w.roomLocalMembers[r]! + w.roomRemoteMembers[r]!;
      assert.equal(w.roomStateSize[r], Math.round(members * historicMemberFactor(s, kind, w.userRoom.length / w.users)) + kind.baseStateEvents);
    }
    // The 30 "shared" rooms have at least 4 x 0.6 = 2.4 -> 2 remote members each.
    assert.ok(shared >= 30, `shared rooms: ${shared}`);
  });

  it('gives each user the union of their rooms\u2019 servers', () => {
    for (let u = 0; u < w.users; u++) {
      const expected = new Set<number>();
      for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
        const r = w.userRoom[j]!;
        for (let x = w.roomDestStart[r]!; x < w.roomDestStart[r + 1]!; x++) expected.add(w.roomDest[x]!);
      }
      const got = Array.from(w.userDest.subarray(w.userDestStart[u], w.userDestStart[u + 1]));
      assert.equal(new Set(got).size, got.length, `user ${u}: a server listed twice`);
      assert.deepEqual(
        [...got].sort((a, b) => a - b),
        [...expected].sort((a, b) => a - b),
        `user ${u}: servers`,
      );
    }
  });

  it('is a function of the stream: the same seed gives the same world, another seed another', () => {
    const again = world(s);
    assert.deepEqual(again.userRoom, w.userRoom);
    assert.deepEqual(again.roomDest, w.roomDest);
    const other = world(s, 'other');
    assert.notDeepEqual(other.userRoom, w.userRoom);
  });

  it('has no remote members or servers when federation.mode alone says "closed", and keeps each room\'s local members', () => {
    // One field closes federation everywhere (src/scenario/closed-federation.ts); SPEC's rooms still give remote shares.
    const closed = world(load(SPEC, ['federation.mode=closed']));
    assert.equal(closed.remoteServers, 0);
    assert.equal(closed.roomDest.length, 0);
    assert.equal(closed.userDest.length, 0);
    assert.ok(closed.roomRemoteMembers.every((n) => n === 0));
    assert.equal(closed.userDestStart[closed.users], 0);
    // The same draws as the open world: the same rooms with the same local members, none remote (docs/MODEL.md "Sizes").
    assert.equal(closed.rooms, w.rooms);
    assert.deepEqual(closed.roomLocalMembers, w.roomLocalMembers);
    assert.ok(
      w.roomRemoteMembers.some((n) => n > 0),
      'the open world has remote members',
    );
    assert.equal(closed.fedRooms.length, 0);
    assert.ok(closed.roomFedIndex.every((f) => f === -1));
  });

  it('lists the rooms with remote members, in order, and the place of each room among them', () => {
    const expected: number[] = [];
    for (let r = 0; r < w.rooms; r++) if (w.roomRemoteMembers[r]! > 0) expected.push(r);
    // Only the 'group' and 'shared' kinds have remote members, and not every group room draws one.
    assert.ok(expected.length > 30 && expected.length < w.rooms, `${expected.length} of ${w.rooms} rooms`);
    assert.deepEqual([...w.fedRooms], expected);
    for (let r = 0; r < w.rooms; r++) assert.equal(w.roomFedIndex[r], w.roomRemoteMembers[r]! > 0 ? expected.indexOf(r) : -1, `room ${r}`);
  });

  it('picks the same room from the rooms with remote members as from every room, for any uniform', () => {
    // RemoteTraffic and RemoteDevices draw a room by remote members over w.fedRooms only: rooms without any have no
    // weight, so a cumulative search over all rooms and one over those alone must agree on every draw.
    const all = new Float64Array(w.rooms);
    let cum = 0;
    for (let r = 0; r < w.rooms; r++) all[r] = cum += w.roomRemoteMembers[r]!;
    const fed = Float64Array.from(w.fedRooms, (r) => all[r]!);
    const rng = createStream('world-test', 'fed-pick');
    for (let i = 0; i < 20000; i++) {
      const x = rng() * cum;
      assert.equal(w.fedRooms[searchCumulative(fed, 0, fed.length, x)], searchCumulative(all, 0, all.length, x), `draw ${x}`);
    }
  });
});

describe('a room sized as a share of the users (membersShare)', () => {
  /** 30 users: an all-staff room of everyone and one of half the users, beside small groups. */
  const SHARE = {
    name: 'share',
    description: 'rooms sized as a share of the users',
    population: { users: 30 },
    rooms: {
      kinds: [
        { name: 'group', count: 4, members: { kind: 'uniform', min: 3, max: 6 } },
        { name: 'all-staff', count: 1, membersShare: 1 },
        { name: 'half', count: 1, membersShare: 0.5 },
      ],
    },
  };
  const sizes = (w: World) => [w.roomLocalMembers[4], w.roomLocalMembers[5]];

  it('has N members for N users, whatever --set population.users says', () => {
    assert.deepEqual(sizes(world(load(SHARE))), [30, 15]);
    assert.deepEqual(sizes(world(load(SHARE, ['population.users=70']))), [70, 35]);
    // round(0.5 x 7) = 4 (Math.round rounds halves up).
    assert.deepEqual(sizes(world(load(SHARE, ['population.users=7']))), [7, 4]);
  });

  it('builds the same world as the fixed size it stands for (a fixed size draws no random number)', () => {
    const fixed = {
      ...SHARE,
      rooms: {
        kinds: [
          SHARE.rooms.kinds[0],
          { name: 'all-staff', count: 1, members: { kind: 'deterministic', value: 30 } },
          { name: 'half', count: 1, members: { kind: 'deterministic', value: 15 } },
        ],
      },
    };
    const a = world(load(SHARE));
    const b = world(load(fixed));
    assert.deepEqual(a.roomLocalMembers, b.roomLocalMembers);
    assert.deepEqual(a.userRoom, b.userRoom);
    assert.deepEqual(a.roomStateSize, b.roomStateSize);
  });
});

describe('the world of a seed never changes', () => {
  /**
   * SPEC and two kinds that take the other paths of the server draw: a kind
   * that states its remote servers (draws until that many are found), and one
   * this server joins during the run (no destinations for its users until then).
   */
  const PINNED = {
    ...SPEC,
    rooms: {
      kinds: [
        ...SPEC.rooms.kinds,
        { name: 'bridged', count: 12, members: { kind: 'uniform', min: 6, max: 30 }, remoteMemberShare: 0.5, remoteServers: 4 },
        { name: 'later', count: 5, members: { kind: 'uniform', min: 5, max: 20 }, remoteMemberShare: 0.5, joinAt: { day: 1, hour: 12 } },
      ],
    },
  };

  /** Fields computed from others after the draws (fedRooms and roomFedIndex from roomRemoteMembers): not part of the pin. */
  const DERIVED = new Set(['fedRooms', 'roomFedIndex']);

  /** FNV-1a over every drawn field of a world: the bytes of each typed array, the JSON of the rest, in field order. */
  function fingerprint(w: World): string {
    let h = 0x811c9dc5;
    const mix = (byte: number) => {
      h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    };
    for (const [name, value] of Object.entries(w)) {
      if (DERIVED.has(name)) continue;
      for (const c of name) mix(c.charCodeAt(0));
      const bytes = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new TextEncoder().encode(JSON.stringify(value));
      for (const b of bytes) mix(b);
    }
    return h.toString(16).padStart(8, '0');
  }

  it('draws the same world, bit for bit, as the builder did before its lists were shared arrays', () => {
    assert.deepEqual([fingerprint(world(load(PINNED))), fingerprint(world(load(PINNED), 'other'))], PINNED_FINGERPRINTS);
  });

  it('gives a room that states its remote servers exactly that many, sorted', () => {
    const w = world(load(PINNED));
    const bridged = load(PINNED).rooms.kinds.findIndex((k) => k.name === 'bridged');
    for (let r = 0; r < w.rooms; r++) {
      if (w.roomKind[r] !== bridged) continue;
      const servers = [...w.roomDest.subarray(w.roomDestStart[r], w.roomDestStart[r + 1])];
      assert.equal(servers.length, 4, `room ${r}`);
      assert.deepEqual(
        servers,
        [...servers].sort((a, b) => a - b),
      );
    }
  });
});

/** FNV-1a fingerprints of PINNED's worlds for seeds 'w' and 'other', from the builder that kept an array per room (commit c2faa9e), before its lists were appended to shared typed arrays. */
const PINNED_FINGERPRINTS = ['f14458d0', '9c0a7dbf'];

describe('GrowableInt32', () => {
  it('keeps every value appended across doublings, and trims to their number', () => {
    const list = new GrowableInt32(2);
    for (let i = 0; i < 1000; i++) list.push(i * 3 - 7);
    assert.equal(list.length, 1000);
    const all = list.trimmed();
    assert.equal(all.length, 1000);
    assert.equal(all[0], -7);
    assert.equal(all[999], 2990);
    assert.deepEqual([...list.view(10, 13)], [23, 26, 29]);
  });

  it('sorts a part in place through its view', () => {
    const list = new GrowableInt32();
    for (const x of [9, 5, 7, 3, 1]) list.push(x);
    list.view(1, 4).sort();
    assert.deepEqual([...list.trimmed()], [9, 3, 5, 7, 1]);
  });
});
