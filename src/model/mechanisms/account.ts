/**
 * Occasional local events at a constant rate through the day: profile
 * changes (a member event in every room of the user), new logins (see
 * e2ee.ts) and joins or leaves (a member event; encrypted rooms rotate; the
 * user directory and sliding-sync snapshots gain rows).
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
  /** Whether each room kind is public (user directory). */
  private readonly publicKind: boolean[];

  constructor(private readonly st: ReplicationState) {
    const users = st.w.users;
    const b = st.s.behaviour;
    this.publicKind = st.s.rooms.kinds.map(isPublicKind);
    this.startProfiles = st.poisson((users * b.profileChangesPerUserPerMonth) / SECONDS_PER_MONTH, () => this.profileChange());
    this.startDevices = st.poisson((users * b.newDevicesPerUserPerMonth) / SECONDS_PER_MONTH, () => st.m.e2ee.newDevice(this.anyUser()));
    this.startMemberships = st.poisson((users * b.membershipChangesPerUserPerMonth) / SECONDS_PER_MONTH, () => this.membershipChange());
  }

  start(): void {
    this.startProfiles();
    this.startDevices();
    this.startMemberships();
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
   * A join or leave: a member state event, and encrypted rooms rotate their
   * sessions. A join (`joinShareOfMembershipChanges` of them; bytes counted
   * at that expectation) adds the user-directory rows of the joiner and a
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
    st.m.e2ee.roomChanged(r);
    st.persistAndFanOut(r, M['m.room.member'], K.stateEventBytes, K.stateEventBytes * K.stateEventSyncFactor, true);
    const local = w.roomLocalMembers[r]!;
    const directory = directoryBytesOnJoin(local, local + w.roomRemoteMembers[r]!, this.publicKind[w.roomKind[r]!]!);
    st.addStorage(M['storage.userDirectory'], K.joinShareOfMembershipChanges * directory);
    st.addStorage(M['storage.slidingSync'], K.joinShareOfMembershipChanges * K.slidingSyncSnapshotRowBytes);
  }
}
