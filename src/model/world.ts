/**
 * The population and the rooms of one replication, drawn once from the
 * scenario: who the users are (class, devices, time zone), which rooms exist
 * (members here and elsewhere, encryption, activity), who is in which room,
 * and which remote servers share each room.
 *
 * Everything is held in typed arrays in compressed sparse row form
 * (`userRoomStart[u]..userRoomStart[u+1]` indexes `userRoom`), so memory grows
 * with memberships and nothing here grows with simulated time.
 */
import * as d from '../engine/distributions.js';
import type { Distribution } from '../engine/distributions.js';
import type { RandomSource } from '../engine/random.js';
import type { DistributionSpec, RoomKindSpec, Scenario } from '../scenario/grammar.js';
import { historicMemberFactor } from './tables.js';

/** An engine distribution from a scenario's distribution spec. */
export function toDistribution(spec: DistributionSpec): Distribution {
  switch (spec.kind) {
    case 'deterministic':
      return d.deterministic(spec.value);
    case 'exponential':
      return d.exponential(spec.mean);
    case 'uniform':
      return d.uniform(spec.min, spec.max);
    case 'lognormal':
      return d.lognormal(spec.mean, spec.cv);
    case 'gamma':
      return d.gamma(spec.mean, spec.cv);
    case 'pareto':
      return d.pareto(spec.alpha, spec.min, spec.max);
    case 'empirical':
      return d.empirical(spec.values, spec.weights);
  }
}

/**
 * The size (total members, local and remote) of a kind's rooms among `users`
 * users: its `members`, or `membersShare` of the users, rounded, at least 1,
 * as a fixed size (a deterministic distribution draws no random number, so a
 * room of every user given either way builds the same world).
 */
export function roomMembers(kind: RoomKindSpec, users: number): DistributionSpec {
  if (kind.members !== undefined) return kind.members;
  if (kind.membersShare === undefined) throw new Error(`room kind ${kind.name} has neither members nor membersShare (validation requires one)`);
  return { kind: 'deterministic', value: Math.max(1, Math.round(kind.membersShare * users)) };
}

/** The smallest and mean room size a kind can have, for sizing arrays and counts. */
export function meanOf(spec: DistributionSpec): number {
  const mean = toDistribution(spec).mean;
  // An unbounded Pareto with alpha <= 1 has no mean; fall back to its scale.
  return Number.isFinite(mean) ? mean : spec.kind === 'pareto' ? spec.min * 10 : 1;
}

export interface World {
  users: number;
  /** Activity class of each user. */
  userClass: Uint8Array;
  /** Logged-in devices of each user (stale devices not included). */
  userDevices: Uint8Array;
  /**
   * The client mix, per user: of its devices, the phones (each with a pusher)
   * and the web or desktop clients, each on /sync v2 or Simplified Sliding
   * Sync (scenario `clients`).
   */
  userMobileV2: Uint8Array;
  userMobileSliding: Uint8Array;
  userDesktopV2: Uint8Array;
  userDesktopSliding: Uint8Array;
  /** Time-zone offset of each user, whole hours. */
  userZone: Int8Array;
  /** Distinct time-zone offsets in use, hours. */
  zones: number[];

  rooms: number;
  roomKind: Uint16Array;
  roomLocalMembers: Int32Array;
  /** Sum of devices of the local members. */
  roomLocalDevices: Int32Array;
  roomRemoteMembers: Int32Array;
  roomEncrypted: Uint8Array;
  /** Current state events: a member event for everyone who ever joined (`historicMemberFactor`) and the base state. */
  roomStateSize: Int32Array;
  /** Relative message activity per local membership. */
  roomWeight: Float64Array;
  /** When this server joins each room, s into the run: 0 for rooms it is in from the start, the kind's joinAt otherwise. */
  roomJoinSeconds: Float64Array;
  /** Whether this server is in each room now (see `joinRoom`). */
  roomJoined: Uint8Array;

  /** Rooms of each user (CSR). */
  userRoomStart: Int32Array;
  userRoom: Int32Array;
  /** Cumulative activity weight over each user's rooms, for picking a room to post in. */
  userRoomCumWeight: Float32Array;

  /**
   * The rooms with remote members, ascending, and each room's place among
   * them (-1: none). What is kept per room only for federation (remote
   * activity, forks) is kept for these alone: at a million users they are
   * about 10,000 of 4.2 million rooms.
   */
  fedRooms: Int32Array;
  roomFedIndex: Int32Array;

  /** Remote servers sharing each room (CSR). */
  roomDestStart: Int32Array;
  roomDest: Int32Array;
  /** Distinct remote servers sharing any room with each user (CSR). */
  userDestStart: Int32Array;
  userDest: Int32Array;
  remoteServers: number;
}

/**
 * Each device of each user is a phone with `population.mobileDeviceShare`,
 * and speaks Simplified Sliding Sync with the share of its kind
 * (`clients.mobileSlidingSyncShare`, `clients.desktopSlidingSyncShare`).
 */
function drawClients(s: Scenario, userDevices: Uint8Array, rng: RandomSource): Pick<World, 'userMobileV2' | 'userMobileSliding' | 'userDesktopV2' | 'userDesktopSliding'> {
  const users = userDevices.length;
  const userMobileV2 = new Uint8Array(users);
  const userMobileSliding = new Uint8Array(users);
  const userDesktopV2 = new Uint8Array(users);
  const userDesktopSliding = new Uint8Array(users);
  const mobile = s.population.mobileDeviceShare;
  const { mobileSlidingSyncShare, desktopSlidingSyncShare } = s.clients;
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < userDevices[u]!; i++) {
      if (rng() < mobile) {
        if (rng() < mobileSlidingSyncShare) userMobileSliding[u]!++;
        else userMobileV2[u]!++;
      } else if (rng() < desktopSlidingSyncShare) userDesktopSliding[u]!++;
      else userDesktopV2[u]!++;
    }
  }
  return { userMobileV2, userMobileSliding, userDesktopV2, userDesktopSliding };
}

/** Whole-hour time-zone offsets spread evenly over `spreadHours` around 0. */
export function zoneOffsets(spreadHours: number): number[] {
  const n = Math.max(1, Math.round(spreadHours) + 1);
  const zones: number[] = [];
  for (let z = 0; z < n; z++) zones.push(n === 1 ? 0 : Math.round(-spreadHours / 2 + (spreadHours * z) / (n - 1)));
  return zones;
}

/** Seconds into the run of a room kind's `joinAt` (day 1 starts at 0). */
export function joinAtSeconds(joinAt: { day: number; hour: number }): number {
  return (joinAt.day - 1) * 86400 + joinAt.hour * 3600;
}

/** How many rooms of each kind the scenario asks for. */
export function roomCounts(s: Scenario): number[] {
  return s.rooms.kinds.map((kind) => {
    if (kind.count !== undefined) return kind.count;
    const localMean = kind.localMembers ?? Math.max(1, meanOf(roomMembers(kind, s.population.users)) * (1 - kind.remoteMemberShare));
    return Math.round((s.population.users * (kind.membershipsPerUser ?? 0)) / localMean);
  });
}

/**
 * Draw the world of one replication.
 * @param rng the replication's `world` stream
 * @param kindRng the stream of each room kind's sizes, activity ranks and
 *   encryption (index of the kind), so that a kind's rooms are the same
 *   whatever the number of users (common random numbers across populations);
 *   by default the `world` stream
 * @param clientRng the stream of the client mix (which devices are phones,
 *   which speak sliding sync); by default the `world` stream, after the rest
 */
export function buildWorld(s: Scenario, rng: RandomSource, kindRng: (kind: number) => RandomSource = () => rng, clientRng?: RandomSource): World {
  const users = s.population.users;
  const classes = s.population.classes;

  // Users: class by share, devices 1 + Poisson(mean - 1), zone evenly over the spread.
  const userClass = new Uint8Array(users);
  const userDevices = new Uint8Array(users);
  const userZone = new Int8Array(users);
  const zones = zoneOffsets(s.population.rhythm.timeZoneSpreadHours);
  const extraDevices = s.population.devicesPerUser > 1 ? d.poisson(s.population.devicesPerUser - 1) : null;
  const cumShare: number[] = [];
  let acc = 0;
  for (const c of classes) cumShare.push((acc += c.share));
  for (let u = 0; u < users; u++) {
    const x = rng() * acc;
    let c = 0;
    while (c < classes.length - 1 && x >= cumShare[c]!) c++;
    userClass[u] = c;
    userDevices[u] = Math.min(255, 1 + (extraDevices ? extraDevices.sample(rng) : 0));
    userZone[u] = zones[Math.floor(rng() * zones.length)]!;
  }

  // Rooms: size, local and remote members, encryption, activity weight.
  const counts = roomCounts(s);
  const rooms = counts.reduce((a, b) => a + b, 0);
  const roomKind = new Uint16Array(rooms);
  const roomLocalMembers = new Int32Array(rooms);
  const roomRemoteMembers = new Int32Array(rooms);
  const roomEncrypted = new Uint8Array(rooms);
  const roomStateSize = new Int32Array(rooms);
  const roomWeight = new Float64Array(rooms);
  const roomJoinSeconds = new Float64Array(rooms);
  const roomServerTarget = new Int32Array(rooms);
  let r = 0;
  s.rooms.kinds.forEach((kind, k) => {
    const size = toDistribution(roomMembers(kind, users));
    // Rooms created elsewhere (hostedRemotely, or joined at joinAt) are not encrypted by our default.
    const encryptedShare = kind.encryptedShare ?? (s.features.encryptionByDefault && !kind.hostedRemotely && kind.joinAt === undefined ? 1 : 0);
    // Zipf activity across the rooms of a kind, normalised to mean 1.
    const n = counts[k]!;
    const skew = s.rooms.activitySkew;
    let norm = 0;
    for (let i = 1; i <= n; i++) norm += Math.pow(i, -skew);
    norm /= Math.max(1, n);
    const krng = kindRng(k);
    const ranks = shuffledRanks(n, krng);
    for (let i = 0; i < n; i++, r++) {
      const total = Math.max(1, Math.round(size.sample(krng)));
      let remote = Math.round(total * kind.remoteMemberShare);
      let local = Math.min(users, total - remote);
      if (kind.localMembers !== undefined) {
        local = Math.min(users, kind.localMembers);
        remote = Math.max(0, total - local);
      }
      if (local < 1) {
        local = 1;
        remote = Math.max(0, total - 1);
      }
      roomKind[r] = k;
      roomLocalMembers[r] = local;
      roomRemoteMembers[r] = s.federation.mode === 'closed' ? 0 : remote;
      roomEncrypted[r] = krng() < encryptedShare ? 1 : 0;
      roomWeight[r] = (kind.activityWeight * Math.pow(ranks[i]!, -skew)) / norm;
      roomJoinSeconds[r] = kind.joinAt ? joinAtSeconds(kind.joinAt) : 0;
      roomServerTarget[r] = kind.remoteServers ?? 0;
    }
  });

  // Memberships: each room draws its local members without replacement.
  const roomMemberStart = new Int32Array(rooms + 1);
  for (let i = 0; i < rooms; i++) roomMemberStart[i + 1] = roomMemberStart[i]! + roomLocalMembers[i]!;
  const memberships = roomMemberStart[rooms]!;

  // State: a member event for everyone who ever joined (leaves stay in state) and the base state.
  const historic = s.rooms.kinds.map((kind) => historicMemberFactor(s, kind, memberships / users));
  for (let i = 0; i < rooms; i++) {
    const k = roomKind[i]!;
    const kind = s.rooms.kinds[k]!;
    roomStateSize[i] = kind.currentStateEvents ?? Math.round((roomLocalMembers[i]! + roomRemoteMembers[i]!) * historic[k]!) + kind.baseStateEvents;
  }
  const { userRoomStart, userRoom, roomLocalDevices } = drawMemberships(roomMemberStart, users, userDevices, rng);
  // Rooms joined later take no part until then: no activity weight, no destinations (joinRoom adds them).
  const roomJoined = new Uint8Array(rooms);
  for (let i = 0; i < rooms; i++) roomJoined[i] = roomJoinSeconds[i]! > 0 ? 0 : 1;
  const userRoomCumWeight = new Float32Array(memberships);
  cumulateWeights(userRoomStart, userRoom, roomWeight, roomJoined, userRoomCumWeight);

  // Remote servers of each room: each remote member lives on a server drawn by popularity.
  const remoteServers = s.federation.mode === 'closed' ? 0 : s.federation.remoteServers;
  const { start: roomDestStart, list: roomDest } = drawRoomDestinations(roomRemoteMembers, roomServerTarget, remoteServers, s.federation.serverPopularitySkew, rng);
  const { start: userDestStart, list: userDest } = unionPerUser(userRoomStart, userRoom, roomDestStart, roomDest, remoteServers, roomJoined);

  const clients = drawClients(s, userDevices, clientRng ?? rng);
  const { fedRooms, roomFedIndex } = federatedRooms(roomRemoteMembers);

  return {
    users,
    userClass,
    userDevices,
    ...clients,
    userZone,
    zones,
    rooms,
    roomKind,
    roomLocalMembers,
    roomLocalDevices,
    roomRemoteMembers,
    roomEncrypted,
    roomStateSize,
    roomWeight,
    roomJoinSeconds,
    roomJoined,
    fedRooms,
    roomFedIndex,
    userRoomStart,
    userRoom,
    userRoomCumWeight,
    roomDestStart,
    roomDest,
    userDestStart,
    userDest,
    remoteServers,
  };
}

/** The rooms with remote members, ascending, and the index of each room among them (-1: none). */
function federatedRooms(roomRemoteMembers: Int32Array): Pick<World, 'fedRooms' | 'roomFedIndex'> {
  const roomFedIndex = new Int32Array(roomRemoteMembers.length).fill(-1);
  let n = 0;
  for (let r = 0; r < roomRemoteMembers.length; r++) if (roomRemoteMembers[r]! > 0) roomFedIndex[r] = n++;
  const fedRooms = new Int32Array(n);
  for (let r = 0; r < roomRemoteMembers.length; r++) if (roomFedIndex[r]! >= 0) fedRooms[roomFedIndex[r]!] = r;
  return { fedRooms, roomFedIndex };
}

/**
 * This server joins room r (a room kind's joinAt): its local members start
 * acting in it, and its remote servers join those that hear of their
 * presence and device changes. Walks every membership once.
 */
export function joinRoom(w: World, r: number): void {
  if (w.roomJoined[r]) return;
  w.roomJoined[r] = 1;
  cumulateWeights(w.userRoomStart, w.userRoom, w.roomWeight, w.roomJoined, w.userRoomCumWeight);
  const { start, list } = unionPerUser(w.userRoomStart, w.userRoom, w.roomDestStart, w.roomDest, w.remoteServers, w.roomJoined);
  w.userDestStart = start;
  w.userDest = list;
}

/** Cumulative activity weight over each user's rooms, rooms not joined counting 0. */
function cumulateWeights(userRoomStart: Int32Array, userRoom: Int32Array, roomWeight: Float64Array, joined: Uint8Array, out: Float32Array): void {
  for (let u = 0; u + 1 < userRoomStart.length; u++) {
    let w = 0;
    for (let j = userRoomStart[u]!; j < userRoomStart[u + 1]!; j++) {
      const room = userRoom[j]!;
      out[j] = w += joined[room] ? roomWeight[room]! : 0;
    }
  }
}

/**
 * Each room draws its local members without replacement (`roomMemberStart`:
 * where each room's members start in the room-major list), then the list is
 * transposed to the rooms of each user. The room-major list is dropped on
 * return: only the user-major one is kept.
 */
function drawMemberships(
  roomMemberStart: Int32Array,
  users: number,
  userDevices: Uint8Array,
  rng: RandomSource,
): { userRoomStart: Int32Array; userRoom: Int32Array; roomLocalDevices: Int32Array } {
  const rooms = roomMemberStart.length - 1;
  const memberships = roomMemberStart[rooms]!;
  const roomMember = new Int32Array(memberships);
  const stamp = new Int32Array(users).fill(-1);
  for (let i = 0; i < rooms; i++) drawMembers(i, roomMemberStart[i + 1]! - roomMemberStart[i]!, users, rng, stamp, roomMember, roomMemberStart[i]!);

  // Transpose to the rooms of each user.
  const userRoomStart = new Int32Array(users + 1);
  for (let j = 0; j < memberships; j++) userRoomStart[roomMember[j]! + 1]!++;
  for (let u = 0; u < users; u++) userRoomStart[u + 1]! += userRoomStart[u]!;
  const fill = userRoomStart.slice(0, users);
  const userRoom = new Int32Array(memberships);
  const roomLocalDevices = new Int32Array(rooms);
  for (let i = 0; i < rooms; i++) {
    for (let j = roomMemberStart[i]!; j < roomMemberStart[i + 1]!; j++) {
      const u = roomMember[j]!;
      userRoom[fill[u]!++] = i;
      roomLocalDevices[i]! += userDevices[u]!;
    }
  }
  return { userRoomStart, userRoom, roomLocalDevices };
}

/** Ranks 1..n in random order (Fisher-Yates). */
function shuffledRanks(n: number, rng: RandomSource): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i + 1;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/**
 * Draw `count` distinct users for room `room` into `out[at..]`. Rejection
 * sampling with a stamp per user while the room holds at most half of the
 * users; otherwise it draws the users left out instead.
 */
function drawMembers(room: number, count: number, users: number, rng: RandomSource, stamp: Int32Array, out: Int32Array, at: number): void {
  if (count * 2 <= users) {
    for (let n = 0; n < count;) {
      const u = Math.floor(rng() * users);
      if (stamp[u] === room) continue;
      stamp[u] = room;
      out[at + n++] = u;
    }
    return;
  }
  // Mark the excluded users (a negative stamp per room), take the rest in order.
  const exclude = users - count;
  const mark = -2 - room;
  for (let n = 0; n < exclude;) {
    const u = Math.floor(rng() * users);
    if (stamp[u] === mark) continue;
    stamp[u] = mark;
    n++;
  }
  let n = 0;
  for (let u = 0; u < users && n < count; u++) if (stamp[u] !== mark) out[at + n++] = u;
}

/** Draws per room at most; beyond it the remaining members add few new servers. */
const MAX_DESTINATION_DRAWS = 20_000;
/** Draws per server asked for, at most, when a room kind states its remote servers. */
const DRAWS_PER_TARGET_SERVER = 50;

/**
 * The remote servers of each room: one draw by popularity per remote member,
 * or, where a room kind states its `remoteServers` (`target`), draws until
 * that many distinct servers are found (then the most popular servers not
 * yet drawn, should the draws run out).
 */
function drawRoomDestinations(roomRemote: Int32Array, target: Int32Array, servers: number, skew: number, rng: RandomSource): { start: Int32Array; list: Int32Array } {
  const rooms = roomRemote.length;
  const start = new Int32Array(rooms + 1);
  if (servers === 0) return { start, list: new Int32Array(0) };
  const pick = d.zipf(servers, skew);
  const seen = new Int32Array(servers).fill(-1);
  // Every room's servers appended to one list, grown by doubling, trimmed at the end.
  const list = new GrowableInt32();
  for (let r = 0; r < rooms; r++) {
    const want = roomRemote[r]! > 0 && target[r]! > 0 ? Math.min(target[r]!, servers) : 0;
    const draws = want > 0 ? want * DRAWS_PER_TARGET_SERVER : Math.min(roomRemote[r]!, MAX_DESTINATION_DRAWS);
    const from = list.length;
    for (let i = 0; i < draws && (want === 0 || list.length - from < want); i++) {
      const server = pick.sample(rng) - 1;
      if (seen[server] !== r) {
        seen[server] = r;
        list.push(server);
      }
    }
    for (let server = 0; list.length - from < want; server++) {
      if (seen[server] !== r) {
        seen[server] = r;
        list.push(server);
      }
    }
    // A typed array sorts numerically, in place.
    list.view(from, list.length).sort();
    start[r + 1] = list.length;
  }
  return { start, list: list.trimmed() };
}

/**
 * An Int32Array that grows by doubling as values are appended, so that lists
 * of many small parts (a few servers per room) cost one allocation per
 * doubling rather than one per part.
 */
export class GrowableInt32 {
  private data: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The values from..to, sharing memory with the list until it next grows. */
  view(from: number, to: number): Int32Array {
    return this.data.subarray(from, to);
  }

  /** The values appended, in an array of exactly their length. */
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** The distinct remote servers of each user's joined rooms (CSR). */
function unionPerUser(
  userRoomStart: Int32Array,
  userRoom: Int32Array,
  roomDestStart: Int32Array,
  roomDest: Int32Array,
  servers: number,
  joined: Uint8Array,
): { start: Int32Array; list: Int32Array } {
  const users = userRoomStart.length - 1;
  const start = new Int32Array(users + 1);
  if (servers === 0) return { start, list: new Int32Array(0) };
  const seen = new Int32Array(servers).fill(-1);
  const list = new GrowableInt32();
  for (let u = 0; u < users; u++) {
    for (let j = userRoomStart[u]!; j < userRoomStart[u + 1]!; j++) {
      const room = userRoom[j]!;
      if (!joined[room]) continue;
      for (let x = roomDestStart[room]!; x < roomDestStart[room + 1]!; x++) {
        const dest = roomDest[x]!;
        if (seen[dest] === u) continue;
        seen[dest] = u;
        list.push(dest);
      }
    }
    start[u + 1] = list.length;
  }
  return { start, list: list.trimmed() };
}
