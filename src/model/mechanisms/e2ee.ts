/**
 * End-to-end encryption: Megolm room keys and device lists.
 *
 * A sender's outbound Megolm session in a room is rotated on first use, every
 * 100 messages, weekly, and after membership or device changes in the room
 * (the room's epoch); each rotation sends the key to every other device in
 * the room as to-device messages. A new login sends device-list updates to
 * every server sharing a room with the user.
 */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class E2ee {
  /** Bumped when the room's members or their devices change. */
  private readonly roomEpoch: Int32Array;
  // Per membership (index into world.userRoom): the sender's outbound session.
  private readonly megolmSent: Int32Array;
  private readonly megolmStart: Float32Array;
  private readonly megolmEpoch: Int32Array;

  constructor(private readonly st: ReplicationState) {
    const memberships = st.w.userRoom.length;
    this.roomEpoch = new Int32Array(st.w.rooms);
    this.megolmSent = new Int32Array(memberships);
    this.megolmStart = new Float32Array(memberships);
    this.megolmEpoch = new Int32Array(memberships);
  }

  /** Members or devices of room r changed: senders rotate their sessions there (encrypted rooms only). */
  roomChanged(r: number): void {
    if (this.st.w.roomEncrypted[r]) this.roomEpoch[r]!++;
  }

  /** User u (membership j) is about to send an encrypted event in room r: share a new room key if the session rotates. */
  beforeSend(u: number, j: number, r: number): void {
    const st = this.st;
    const now = st.sim.now;
    const w = st.w;
    const sent = this.megolmSent[j]!;
    const rotate = sent === 0 || sent >= K.megolmRotationMessages || now - this.megolmStart[j]! >= K.megolmRotationSeconds || this.megolmEpoch[j] !== this.roomEpoch[r];
    if (!rotate) {
      this.megolmSent[j] = sent + 1;
      return;
    }
    this.megolmSent[j] = 1;
    this.megolmStart[j] = now;
    this.megolmEpoch[j] = this.roomEpoch[r]!;
    const localRecipients = Math.max(0, w.roomLocalDevices[r]! - 1);
    const remoteRecipients = w.roomRemoteMembers[r]! * st.s.population.devicesPerUser;
    st.count(M['m.room_key'], localRecipients + remoteRecipients);
    st.streamRowsSinceTick++;
    st.server.submit('toDevice', localRecipients + remoteRecipients, u);
    st.count(M['client.bytes_in'], K.httpRequestBytes + (localRecipients + remoteRecipients) * K.toDeviceMessageBytes);
    // Local recipients get their keys through /sync now or when they come back.
    st.count(M['client.bytes_out'], localRecipients * K.toDeviceMessageBytes);
    st.count(M['client.sync_deliveries'], localRecipients);
    const fed = st.fed;
    if (fed) {
      const [from, to] = st.destinationsOf(r);
      if (to > from) {
        const bytesPerDest = (remoteRecipients / (to - from)) * K.toDeviceMessageBytes;
        for (let x = from; x < to; x++) fed.enqueueToDevice(w.roomDest[x]!, bytesPerDest);
      }
    }
  }

  /**
   * A new login of user u: device-list updates to every server sharing a
   * room, local users re-query keys, and Megolm sessions in the user's
   * encrypted rooms rotate.
   */
  newDevice(u: number): void {
    const st = this.st;
    const w = st.w;
    st.count(M['m.device_list_update'], 1);
    st.streamRowsSinceTick++;
    let devices = 0;
    let rooms = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      devices += st.onlineDevices[r]!;
      rooms++;
      this.roomChanged(r);
    }
    devices = Math.min(devices, st.totalOnlineDevices);
    st.count(M['client.bytes_out'], devices * K.deviceListUpdateBytes);
    st.count(M['client.sync_deliveries'], devices);
    // The new device's first sync: a gappy timeline per room.
    st.count(M['client.bytes_out'], rooms * (K.catchUpEventsPerRoom * K.syncEventBytes + K.bodyEnvelopeBytes));
    const dests = w.userDestStart[u + 1]! - w.userDestStart[u]!;
    st.server.submit('deviceList', dests, u);
    // Its first sync: one response carrying every room.
    st.server.submit('syncNews', rooms, u);
    // The new device's keys replace a retired device's; the pokes are the growth.
    st.addStorage(M['storage.deviceLists'], dests * K.devicePokeRowBytes);
    const fed = st.fed;
    if (fed) for (let x = w.userDestStart[u]!; x < w.userDestStart[u + 1]!; x++) fed.enqueueDeviceList(w.userDest[x]!, u);
  }

  /** A remote sender in room r rotated its session: one room key for each of our devices there, from `origin`. */
  remoteRotation(r: number, origin: number): void {
    const st = this.st;
    const keys = st.w.roomLocalDevices[r]!;
    st.m.remote.inbound(origin, keys * K.toDeviceMessageBytes, 0, 1);
    st.count(M['client.bytes_out'], keys * K.toDeviceMessageBytes);
    st.count(M['client.sync_deliveries'], keys);
  }
}
