/**
 * Synapse's tables that grow with rooms and memberships
 * (reference/matrix-2026.md §4): how many rows a room puts in the user
 * directory and the sliding-sync tables, how many member events its state
 * holds, and the storage all tables hold at the start of a run, drawn from
 * the world. The mechanisms use the same row counts when a membership changes
 * during the run; src/model/storage.ts carries the start over the horizon.
 */
import type { RoomKindSpec, Scenario } from '../scenario/grammar.js';
import { K } from './coefficients.js';
import { WRITTEN_STORAGE_CATEGORIES, type WrittenStorageCategory } from './metrics.js';
import type { World } from './world.js';

/**
 * Whether anyone may join the rooms of a kind. Synapse's user directory
 * treats a room as public when its join rule is public or its history is
 * world-readable (synapse/handlers/user_directory.py,
 * `is_room_world_readable_or_publicly_joinable`); rooms created elsewhere and
 * joined from the room directory are public unless the kind says otherwise.
 */
export function isPublicKind(kind: RoomKindSpec): boolean {
  return (kind.joinRule ?? (kind.hostedRemotely ? 'public' : 'private')) === 'public';
}

/**
 * Members who ever joined a room per current member. A leave is a member
 * event that stays in the room's state (membership "leave"), so state keeps
 * one member event for everyone who was ever in the room, and every snapshot
 * state group copies them all. Unless the kind states it, it follows from
 * the scenario's own churn: each user leaves
 * `membershipChangesPerUserPerMonth x (1 - joinShareOfMembershipChanges)`
 * rooms a month, spread over their `roomsPerUser` rooms, for
 * `roomAgeMonthsAtStart` months.
 * @example historicMemberFactor(s, kind, 10) // 1 + 1 x 0.5 / 10 x 12 = 1.6 with the defaults
 */
export function historicMemberFactor(s: Scenario, kind: RoomKindSpec, roomsPerUser: number): number {
  if (kind.historicMemberFactor !== undefined) return kind.historicMemberFactor;
  if (!(roomsPerUser > 0)) return 1;
  const leavesPerMembershipPerMonth = (s.behaviour.membershipChangesPerUserPerMonth * (1 - K.joinShareOfMembershipChanges)) / roomsPerUser;
  return 1 + leavesPerMembershipPerMonth * K.roomAgeMonthsAtStart;
}

/**
 * User-directory rows of one room with `local` local members out of
 * `members`: a private room has one `users_who_share_private_rooms` row per
 * (local member, other member), `local x (members - 1)`, which grows with the
 * square of its size; a public room one `users_in_public_rooms` row per local
 * member (synapse/handlers/user_directory.py `_track_user_joined_room`).
 * @example directoryRows(2000, 2000, false) // 3,998,000
 */
export function directoryRows(local: number, members: number, isPublic: boolean): number {
  return isPublic ? local : local * Math.max(0, members - 1);
}

/**
 * User-directory rows a local user's join adds to a room that then has
 * `local` local members out of `members`: in a private room one row for the
 * joiner against each other member and one for each other local member
 * against the joiner, `(members - 1) + (local - 1)`, the difference of
 * `directoryRows` before and after; in a public room one row. A leave
 * deletes as many (`remove_user_who_share_room`).
 * @example directoryRowsOnJoin(10, 12, false) // 11 + 9 = 20
 */
export function directoryRowsOnJoin(local: number, members: number, isPublic: boolean): number {
  return isPublic ? 1 : Math.max(0, members - 1) + Math.max(0, local - 1);
}

/** Bytes of user-directory rows of one room (see `directoryRows`). */
export function directoryBytes(local: number, members: number, isPublic: boolean): number {
  return directoryRows(local, members, isPublic) * (isPublic ? K.userDirectoryPublicRowBytes : K.userDirectoryPrivateRowBytes);
}

/** Bytes of the user-directory rows a join adds (see `directoryRowsOnJoin`). */
export function directoryBytesOnJoin(local: number, members: number, isPublic: boolean): number {
  return directoryRowsOnJoin(local, members, isPublic) * (isPublic ? K.userDirectoryPublicRowBytes : K.userDirectoryPrivateRowBytes);
}

/**
 * Stale devices per user in steady state: the scenario's count, or with
 * Synapse's delete_stale_devices_after of D days, the stale devices of the
 * last D days of logins (newDevicesPerUserPerMonth x newLoginStaleShare x D
 * / 30.44).
 */
export function staleDevicesPerUser(s: Scenario): number {
  const e = s.e2ee;
  if (e.deleteStaleDevicesAfterDays === null) return e.staleDevicesPerUser;
  return (s.behaviour.newDevicesPerUserPerMonth * e.newLoginStaleShare * e.deleteStaleDevicesAfterDays) / K.averageDaysPerMonth;
}

/** Storage at the start, bytes per category, and the part of it that grows with the square of the users. */
export interface BaseStorage {
  bytes: Record<WrittenStorageCategory, number>;
  /**
   * Of `bytes`, what grows with the square of the user scale over the
   * horizon: user-directory rows of private rooms whose number is fixed
   * (`count`), whose members grow with the users.
   */
  quadraticBytes: Record<WrittenStorageCategory, number>;
}

const zeros = () => Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, 0])) as Record<WrittenStorageCategory, number>;

/**
 * What the database holds before the first simulated event: each room's
 * state (events, rows, one snapshot state group, its chain-cover index),
 * per-user rows, device keys, the user directory and the sliding-sync
 * tables.
 * @example baseStorage(s, buildWorld(s, rng)).bytes.userDirectory
 */
export function baseStorage(s: Scenario, w: World): BaseStorage {
  const bytes = zeros();
  const quadraticBytes = zeros();
  const kinds = s.rooms.kinds;
  const roomsPerUser = w.users > 0 ? w.userRoom.length / w.users : 0;
  const historic = kinds.map((kind) => historicMemberFactor(s, kind, roomsPerUser));
  const isPublic = kinds.map(isPublicKind);

  let stateRows = 0;
  let snapshots = 0;
  for (let r = 0; r < w.rooms; r++) {
    // A room joined during the run brings its state when it is joined (mechanisms/joins.ts).
    if (w.roomJoinSeconds[r]! > 0) continue;
    const k = w.roomKind[r]!;
    const local = w.roomLocalMembers[r]!;
    const directory = directoryBytes(local, local + w.roomRemoteMembers[r]!, isPublic[k]!);
    bytes.userDirectory += directory;
    // A room kind whose number of rooms is fixed grows in members with the users.
    if (kinds[k]!.count !== undefined && !isPublic[k]) quadraticBytes.userDirectory += directory;
    stateRows += w.roomStateSize[r]!;
    // One snapshot per (room, local user who was ever a member): leaves keep theirs.
    snapshots += local * historic[k]!;
  }
  bytes.eventJson = stateRows * K.stateEventBytes;
  bytes.eventRows = stateRows * (K.eventRowBytes + K.eventAuxiliaryBytes) + w.users * K.userRowBytes;
  bytes.stateGroups = stateRows * K.stateGroupRowBytes;
  bytes.authChains = stateRows * K.authChainBytesPerStateEvent;

  // Devices: keys for all, stale ones too; sliding-sync connections for the
  // devices on SSS whose users come online (a connection unused for 7 days
  // expires); one device-list poke per (user, destination), which pruning
  // keeps (synapse devices.py:1616-1640).
  let devices = 0;
  let connectionBytes = 0;
  let pokeRows = 0;
  for (let u = 0; u < w.users; u++) {
    devices += w.userDevices[u]!;
    pokeRows += w.userDestStart[u + 1]! - w.userDestStart[u]!;
    const sliding = w.userMobileSliding[u]! + w.userDesktopSliding[u]!;
    if (sliding > 0 && s.population.classes[w.userClass[u]!]!.onlinePropensity > 0) {
      const rooms = w.userRoomStart[u + 1]! - w.userRoomStart[u]!;
      connectionBytes += sliding * (K.slidingSyncConnectionsPerDevice * K.slidingSyncConnectionBytes + rooms * K.slidingSyncConnectionRoomBytes);
    }
  }
  bytes.deviceLists = (devices + w.users * staleDevicesPerUser(s)) * K.deviceKeysBytes + pokeRows * K.devicePokeRowBytes;
  // A push summary row per local membership.
  bytes.pushActions = w.userRoom.length * K.pushSummaryRowBytes;
  bytes.slidingSync = w.rooms * K.slidingSyncJoinedRoomRowBytes + snapshots * K.slidingSyncSnapshotRowBytes + connectionBytes;
  return { bytes, quadraticBytes };
}
