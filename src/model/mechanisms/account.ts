/**
 * Occasional local events at a constant rate through the day: profile
 * changes (a member event in every room of the user), new logins (see
 * e2ee.ts), joins and leaves (a member event; a leave rotates the Megolm
 * sessions of an encrypted room, a join has them shared with the joiner's
 * devices; the user directory and sliding-sync snapshots gain rows), and
 * initial syncs of existing devices (reinstalls, cleared caches, expired
 * sessions).
 */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import { SECONDS_PER_MONTH } from '../rhythm.js';
import type { ReplicationState } from '../state.js';
import { directoryBytesOnJoin, isPublicKind } from '../tables.js';

export class Account {
  private readonly startProfiles: () => void;
  private readonly startDevices: () => void;
  private readonly startMemberships: () => void;
  private readonly startInitialSyncs: () => void;
  /** Whether each room kind is public (user directory). */
  private readonly publicKind: boolean[];

  constructor(private readonly st: ReplicationState) {
    const users = st.w.users;
    const b = st.s.behaviour;
    this.publicKind = st.s.rooms.kinds.map(isPublicKind);
    this.startProfiles = st.poisson((users * b.profileChangesPerUserPerMonth) / SECONDS_PER_MONTH, () => this.profileChange());
    this.startDevices = st.poisson((users * b.newDevicesPerUserPerMonth) / SECONDS_PER_MONTH, () => st.m.e2ee.newDevice(this.anyUser()));
    this.startMemberships = st.poisson((users * b.membershipChangesPerUserPerMonth) / SECONDS_PER_MONTH, () => this.membershipChange());
    let devices = 0;
    for (let u = 0; u < users; u++) devices += st.w.userDevices[u]!;
    this.startInitialSyncs = st.poisson((devices * st.s.clients.initialSyncsPerDevicePerMonth) / SECONDS_PER_MONTH, () => this.initialSync());
  }

  start(): void {
    this.startProfiles();
    this.startDevices();
    this.startMemberships();
    this.startInitialSyncs();
  }

  /** An existing device of a user (drawn in proportion to devices) syncs from scratch. */
  private initialSync(): void {
    const st = this.st;
    const w = st.w;
    const u = this.anyUser();
    const sliding = w.userMobileSliding[u]! + w.userDesktopSliding[u]!;
    st.m.sessions.initialSync(u, st.rMisc() * w.userDevices[u]! < sliding);
  }

  /** A user drawn uniformly from the 'misc' stream. */
  private anyUser(): number {
    return Math.floor(this.st.rMisc() * this.st.w.users);
  }

  /** A display-name or avatar change: a member event in every room of the user. */
  private profileChange(): void {
    const st = this.st;
    const w = st.w;
    const u = this.anyUser();
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      st.persistAndFanOut(w.userRoom[j]!, M['m.room.member'], K.stateEventBytes, K.stateEventBytes * K.stateEventSyncFactor, true);
    }
    st.count(M['client.bytes_in'], K.httpRequestBytes + K.profileRequestBodyBytes);
  }

  /**
   * A join or leave: a member state event. A join (`joinShareOfMembershipChanges`
   * of them) has the senders' Megolm sessions shared with the joiner's
   * devices, a leave rotates them (encrypted rooms). Storage at that
   * expectation: a join adds the user-directory rows of the joiner and a
   * sliding-sync membership snapshot; a leave deletes the directory rows and
   * keeps the snapshot (src/model/tables.ts).
   */
  membershipChange(): void {
    const st = this.st;
    const w = st.w;
    const u = this.anyUser();
    const from = w.userRoomStart[u]!;
    const to = w.userRoomStart[u + 1]!;
    if (to === from) return;
    const r = w.userRoom[from + Math.floor(st.rMisc() * (to - from))]!;
    if (st.rMisc() < K.joinShareOfMembershipChanges) st.m.e2ee.devicesAdded(r, st.s.population.devicesPerUser);
    else st.m.e2ee.memberLeft(r);
    st.persistAndFanOut(r, M['m.room.member'], K.stateEventBytes, K.stateEventBytes * K.stateEventSyncFactor, true);
    const local = w.roomLocalMembers[r]!;
    const directory = directoryBytesOnJoin(local, local + w.roomRemoteMembers[r]!, this.publicKind[w.roomKind[r]!]!);
    st.addStorage(M['storage.userDirectory'], K.joinShareOfMembershipChanges * directory);
    st.addStorage(M['storage.slidingSync'], K.joinShareOfMembershipChanges * K.slidingSyncSnapshotRowBytes);
  }
}
