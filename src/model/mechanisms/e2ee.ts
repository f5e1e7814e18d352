/**
 * End-to-end encryption by the spec (client-server API, end-to-end
 * encryption; matrix-2026.md §3).
 *
 * Megolm: each sending device keeps one outbound session per room and
 * rotates it when it has sent `e2ee.rotationPeriodMessages` messages, when it
 * is `e2ee.rotationPeriodDays` old, or after a member left the room. A new
 * session's key goes to every other device in the room (local, remote and
 * stale) as to-device messages, and every local member with key backup
 * uploads it. Joins and new devices do not rotate: the current session is
 * shared with the devices added since it was last shared. Sessions start in
 * steady state (a uniformly random point of their life), so a run's first
 * day sends as many keys per message as its third.
 *
 * Device lists: a new login tells every local user sharing a room (their
 * online clients call /keys/query) and every remote server sharing a room,
 * and writes a device_lists_changes_in_room row per room of the user.
 *
 * Stale devices (logged in, never used) receive room keys they never fetch:
 * their to-device messages stay in device_inbox for ever unless Synapse's
 * `delete_stale_devices_after` removes the devices (element-hq/synapse#16082).
 */
import type { RandomSource } from '../../engine/random.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import { SECONDS_PER_MONTH } from '../rhythm.js';
import type { ReplicationState } from '../state.js';
import { stationaryMegolmState } from '../megolm.js';
import { toDistribution } from '../world.js';
import { staleDevicesPerUser } from '../tables.js';

/** Slots per page of the senders' session state: 65,536 (1.5 MiB a page of the four columns). */
const PAGE_BITS = 16;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/**
 * The outbound Megolm session of each membership that has sent in the run,
 * in slots given out in order of first send, on pages allocated as they fill.
 * About 4 memberships in 10 send in a day (national-300000 at 100,000
 * users: 525,061 of 1.23 million), so the run holds 24 bytes for each of
 * those and 4 for the others, instead of 25 for every membership; a page
 * is never copied to grow.
 */
export class OutboundSessions {
  /** Slot + 1 of each membership (index into world.userRoom); 0: it has not sent yet. */
  private readonly slotPlusOne: Int32Array;
  private slots = 0;
  /** Messages sent in the session, when it started (s), and the room's leaves and devices added when it was last shared. */
  readonly sent: Int32Array[] = [];
  readonly start: Float64Array[] = [];
  readonly leaves: Int32Array[] = [];
  readonly devicesAdded: Float64Array[] = [];

  constructor(memberships: number) {
    this.slotPlusOne = new Int32Array(memberships);
  }

  /** The slot of membership j, -1 when it has not sent yet. */
  slotOf(j: number): number {
    return this.slotPlusOne[j]! - 1;
  }

  /** A new slot for membership j, which has not sent before. */
  open(j: number): number {
    const slot = this.slots++;
    if ((slot & PAGE_MASK) === 0) {
      const size = PAGE_MASK + 1;
      this.sent.push(new Int32Array(size));
      this.start.push(new Float64Array(size));
      this.leaves.push(new Int32Array(size));
      this.devicesAdded.push(new Float64Array(size));
    }
    this.slotPlusOne[j] = slot + 1;
    return slot;
  }
}

export class E2ee {
  /** Stale devices per user in steady state. */
  readonly staleDevicesPerUser: number;
  private readonly rotationSeconds: number;
  private readonly rotationMessages: number;
  /** Mean online session, s. */
  private readonly sessionSeconds: number;
  /** Per room: leaves so far (a leave rotates), devices added so far (joins and new logins). */
  private readonly roomLeaves: Int32Array;
  private readonly roomDevicesAdded: Float64Array;
  /** Per membership that has sent: the sender's outbound session. */
  private readonly sessions: OutboundSessions;

  constructor(private readonly st: ReplicationState) {
    const e = st.s.e2ee;
    const memberships = st.w.userRoom.length;
    this.rotationSeconds = e.rotationPeriodDays * 86400;
    this.rotationMessages = e.rotationPeriodMessages;
    this.sessionSeconds = toDistribution(st.s.population.sessionMinutes).mean * 60;
    this.staleDevicesPerUser = staleDevicesPerUser(st.s);
    this.roomLeaves = new Int32Array(st.w.rooms);
    this.roomDevicesAdded = new Float64Array(st.w.rooms);
    this.sessions = new OutboundSessions(memberships);
  }

  /** Encrypted messages (and edits) u sends in membership j per second, averaged over the week. */
  private sendRate(u: number, j: number): number {
    const w = this.st.w;
    const from = w.userRoomStart[u]!;
    const to = w.userRoomStart[u + 1]!;
    const totalWeight = w.userRoomCumWeight[to - 1]!;
    const share = totalWeight > 0 ? (w.userRoomCumWeight[j]! - (j > from ? w.userRoomCumWeight[j - 1]! : 0)) / totalWeight : 0;
    const cls = this.st.s.population.classes[w.userClass[u]!]!;
    return (cls.messagesPerDay * (1 + this.st.s.behaviour.editsPerMessage) * share) / 86400;
  }

  /** Sends of membership j in one online session that has one, 1 + (rate while online) x (mean session length). */
  private sendsPerBurst(u: number, j: number): number {
    const st = this.st;
    const cls = st.w.userClass[u]!;
    const online = st.rhythm.onlineSecondsPerDay[cls] ?? 0;
    if (online <= 0) return 1;
    return 1 + ((this.sendRate(u, j) * 86400) / online) * this.sessionSeconds;
  }

  /** Leaves per second in room r: local members (account.ts draws a user, then one of their rooms) and remote ones (remote.ts churn). */
  private leaveRate(r: number): number {
    const st = this.st;
    const w = st.w;
    const roomsPerUser = w.users > 0 ? w.userRoom.length / w.users : 1;
    const local = (0.5 * st.s.behaviour.membershipChangesPerUserPerMonth * w.roomLocalMembers[r]!) / roomsPerUser / SECONDS_PER_MONTH;
    const remote = (st.s.federation.remoteMemberChurnPerDay * w.roomRemoteMembers[r]!) / 3 / 86400;
    return local + remote;
  }

  /** A member left room r: senders rotate there (encrypted rooms only). */
  memberLeft(r: number): void {
    if (this.st.w.roomEncrypted[r]) this.roomLeaves[r]!++;
  }

  /** `devices` devices joined room r (a join or a new login): current sessions are shared with them at the next send. */
  devicesAdded(r: number, devices: number): void {
    if (this.st.w.roomEncrypted[r]) this.roomDevicesAdded[r]! += devices;
  }

  /** User u (membership j) is about to send an encrypted event in room r: share room keys as the spec says. */
  beforeSend(u: number, j: number, r: number): void {
    const st = this.st;
    const now = st.sim.now;
    const sessions = this.sessions;
    let slot = sessions.slotOf(j);
    const fresh = slot < 0;
    if (fresh) slot = sessions.open(j);
    const page = slot >>> PAGE_BITS;
    const at = slot & PAGE_MASK;
    const sentPage = sessions.sent[page]!;
    const startPage = sessions.start[page]!;
    const leavesPage = sessions.leaves[page]!;
    const addedPage = sessions.devicesAdded[page]!;
    if (fresh) {
      // The first send of this membership in the run: the session as it would be after sending for ever (megolm.ts).
      // Sends come in bursts (a session's messages in the room) and a run's first send opens one: the steady state is drawn over bursts.
      const perBurst = this.sendsPerBurst(u, j);
      const bursts = stationaryMegolmState(
        this.sendRate(u, j) / perBurst,
        this.rotationSeconds,
        Math.max(1, Math.round(this.rotationMessages / perBurst)),
        st.rE2ee,
        this.leaveRate(r),
      );
      sentPage[at] = bursts.rotate ? this.rotationMessages : Math.min(this.rotationMessages - 1, Math.round((bursts.sent - 1) * perBurst));
      startPage[at] = now - bursts.ageSeconds;
      leavesPage[at] = this.roomLeaves[r]!;
      addedPage[at] = this.roomDevicesAdded[r]!;
    }
    const sent = sentPage[at]!;
    const rotate = sent >= this.rotationMessages || now - startPage[at]! >= this.rotationSeconds || leavesPage[at] !== this.roomLeaves[r];
    if (rotate) {
      sentPage[at] = 1;
      startPage[at] = now;
      leavesPage[at] = this.roomLeaves[r]!;
      addedPage[at] = this.roomDevicesAdded[r]!;
      this.newSession(u, r);
      return;
    }
    sentPage[at] = sent + 1;
    const added = this.roomDevicesAdded[r]! - addedPage[at]!;
    if (added > 0) {
      addedPage[at] = this.roomDevicesAdded[r]!;
      this.sendKeys(u, r, added, 0, 0);
    }
  }

  /** A new outbound session of u in room r: its key to every other device there, and into the key backups. */
  private newSession(u: number, r: number): void {
    const st = this.st;
    const w = st.w;
    const stale = this.staleDevicesPerUser;
    const localMembers = w.roomLocalMembers[r]!;
    const local = Math.max(0, w.roomLocalDevices[r]! - 1);
    const localStale = localMembers * stale;
    const remote = w.roomRemoteMembers[r]! * (st.s.population.devicesPerUser + stale);
    this.sendKeys(u, r, local, localStale, remote);
    // Every local member with key backup on stores the session once (the sender included).
    const backups = localMembers * st.s.e2ee.keyBackupShare;
    if (backups > 0) {
      st.count(M['e2ee.backup_uploads'], backups);
      st.server.submit('keyBackup', backups, u);
      st.count(M['client.bytes_in'], backups * K.keyBackupRowBytes);
      st.addStorage(M['storage.keyBackup'], backups * K.keyBackupRowBytes);
    }
  }

  /** Room keys from u to `local` live local devices, `localStale` stale local devices and `remote` remote devices of room r. */
  private sendKeys(u: number, r: number, local: number, localStale: number, remote: number): void {
    const st = this.st;
    const w = st.w;
    const all = local + localStale + remote;
    if (all <= 0) return;
    st.count(M['m.room_key'], all);
    st.streamRowsSinceTick++;
    st.server.submit('toDevice', all, u);
    st.count(M['client.bytes_in'], K.httpRequestBytes + all * K.toDeviceMessageBytes);
    // Live local recipients get their keys through /sync now or when they come back.
    st.count(M['client.bytes_out'], local * K.toDeviceMessageBytes);
    st.count(M['client.sync_deliveries'], local);
    // Stale devices never fetch theirs: they stay in device_inbox.
    if (localStale > 0) {
      st.count(M['e2ee.stale_keys'], localStale);
      st.addStorage(M['storage.deviceInbox'], localStale * (K.toDeviceMessageBytes + K.toDeviceRowBytes));
    }
    const fed = st.fed;
    if (fed && remote > 0) {
      const [from, to] = st.destinationsOf(r);
      if (to > from) {
        const bytesPerDest = (remote / (to - from)) * K.toDeviceMessageBytes;
        for (let x = from; x < to; x++) fed.enqueueToDevice(w.roomDest[x]!, bytesPerDest);
      }
    }
  }

  /**
   * A new login of user u: device-list updates to every server sharing a
   * room, local users told through /sync and their online clients re-query
   * keys, a device_lists_changes_in_room row per room, the new device's
   * initial sync, and current sessions in its rooms shared with it. `rng`
   * draws whether the device uses sliding sync: the 'misc' stream, or an
   * incident's own (so that an incident changes no draw of the rest).
   */
  newDevice(u: number, rng: RandomSource = this.st.rMisc): void {
    const st = this.st;
    const w = st.w;
    st.count(M['m.device_list_update'], 1);
    st.streamRowsSinceTick++;
    const rooms = w.userRoomStart[u + 1]! - w.userRoomStart[u]!;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) this.devicesAdded(w.userRoom[j]!, 1);
    const devices = st.devicesSharingRoomsWith(u);
    if (devices > 0) {
      st.count(M['client.bytes_out'], devices * K.deviceListUpdateBytes);
      st.count(M['client.sync_deliveries'], devices);
      st.wake(devices, st.sharedSliding, u);
      // Each told client queries the changed user's keys.
      st.count(M['e2ee.keys_query'], devices);
      st.server.submit('keysQuery', devices, u);
      st.count(M['client.bytes_in'], devices * K.httpRequestBytes);
      st.count(M['client.bytes_out'], devices * K.keysQueryResponseBytes);
    }
    st.addStorage(M['storage.deviceLists'], rooms * K.deviceListChangeRowBytes);
    const dests = w.userDestStart[u + 1]! - w.userDestStart[u]!;
    st.server.submit('deviceList', dests, u);
    const sliding = w.userMobileSliding[u]! + w.userDesktopSliding[u]!;
    st.m.sessions.initialSync(u, rng() * w.userDevices[u]! < sliding);
    const fed = st.fed;
    if (fed) for (let x = w.userDestStart[u]!; x < w.userDestStart[u + 1]!; x++) fed.enqueueDeviceList(w.userDest[x]!, u);
  }

  /** A remote sender in room r rotated its session: one room key for each of our devices there (stale ones included), from `origin`. */
  remoteRotation(r: number, origin: number): void {
    const st = this.st;
    const live = st.w.roomLocalDevices[r]!;
    const stale = st.w.roomLocalMembers[r]! * this.staleDevicesPerUser;
    st.m.remote.inbound(origin, (live + stale) * K.toDeviceMessageBytes, 0, 1);
    st.count(M['client.bytes_out'], live * K.toDeviceMessageBytes);
    st.count(M['client.sync_deliveries'], live);
    if (stale > 0) st.addStorage(M['storage.deviceInbox'], stale * (K.toDeviceMessageBytes + K.toDeviceRowBytes));
    const backups = st.w.roomLocalMembers[r]! * st.s.e2ee.keyBackupShare;
    if (backups > 0) {
      st.count(M['e2ee.backup_uploads'], backups);
      st.server.submit('keyBackup', backups, r);
      st.count(M['client.bytes_in'], backups * K.keyBackupRowBytes);
      st.addStorage(M['storage.keyBackup'], backups * K.keyBackupRowBytes);
    }
  }
}
