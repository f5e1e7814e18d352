/**
 * Remote users' device changes (synapse/handlers/device.py:1448-1615).
 *
 * A remote user's new login reaches us as an m.device_list_update EDU from
 * the user's server, handled on the device-list writer, main by default
 * (device.py:174-180). Its prev_id names the update before it: when that is
 * the update our cache holds, the change is applied as it is; when it is not
 * (a user whose list we never fetched, an update lost), the user is marked
 * stale and the whole list is fetched again, GET /user/devices
 * (device.py:1584-1615, 1703-1830). Either way the local users sharing a
 * room with the user are told through /sync (device_lists.changed,
 * device.py:965-1001), and in encrypted rooms their clients ask for the new
 * keys with /keys/query (spec, end-to-end encryption, tracking the device
 * list for a user).
 *
 * Remote users change devices as often as local ones
 * (behaviour.newDevicesPerUserPerMonth), one Poisson process for the server
 * over the remote members of the rooms joined, its times and picks from the
 * 'remote-devices' stream. As elsewhere, a remote user in two shared rooms
 * counts twice.
 */
import type { RandomSource } from '../../engine/random.js';
import { searchCumulative } from '../../numeric/search-cumulative.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class RemoteDevices {
  /** Cumulative remote members over rooms. */
  private readonly memberCum: Float64Array;
  /** Remote device changes per second, over all rooms. */
  readonly ratePerSecond: number;
  private readonly rng: RandomSource;
  private readonly handler: number;

  constructor(private readonly st: ReplicationState) {
    const w = st.w;
    // Over the rooms with remote members only: the others have no weight, so the same draws pick the same rooms.
    this.memberCum = new Float64Array(w.fedRooms.length);
    let cum = 0;
    for (let f = 0; f < w.fedRooms.length; f++) this.memberCum[f] = cum += w.roomRemoteMembers[w.fedRooms[f]!]!;
    this.ratePerSecond = st.fed ? (cum * st.s.behaviour.newDevicesPerUserPerMonth) / (K.averageDaysPerMonth * 86400) : 0;
    this.rng = st.sim.random('remote-devices');
    this.handler = st.sim.handler(() => {
      this.schedule();
      // While this server is down the remote server keeps the update for its return.
      if (st.down) return void st.deferredCalls.push(() => this.update());
      this.update();
    });
  }

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.ratePerSecond > 0) this.st.sim.schedule(this.st.exp(this.ratePerSecond, this.rng), this.handler);
  }

  /** A remote member of a room picked by remote members changes devices. */
  private update(): void {
    const st = this.st;
    const w = st.w;
    const rng = this.rng;
    const r = w.fedRooms[searchCumulative(this.memberCum, 0, this.memberCum.length, rng() * this.memberCum[this.memberCum.length - 1]!)]!;
    if (!w.roomJoined[r]) return;
    const [from, to] = st.destinationsOf(r);
    if (to === from) return;
    const origin = w.roomDest[from + Math.floor(rng() * (to - from))]!;
    if (st.fed?.inOutage(origin)) return; // its server is down for an incident
    st.count(M['fed.in.device_list_updates'], 1);
    st.m.remote.inbound(origin, K.deviceListUpdateBytes, 0, 1);
    // Applied (or the user marked stale) on the device-list writer.
    st.server.submit('deviceList', 0, r);
    if (rng() < K.remoteDeviceListResyncShare) this.resync(origin);
    // The local users sharing the room hear of it in their next /sync...
    st.deliverToRoom(r, K.deviceListChangedSyncBytes, true);
    // ... and, in an encrypted room, their clients fetch the user's keys.
    const queries = w.roomEncrypted[r] ? st.onlineDevices[r]! : 0;
    if (queries > 0) {
      const devices = st.s.population.devicesPerUser;
      st.count(M['e2ee.keys_query'], queries);
      st.count(M['client.bytes_in'], queries * (K.httpRequestBytes + K.keysQueryRequestBytes));
      st.count(M['client.bytes_out'], queries * (K.httpResponseOverheadBytes + devices * K.deviceListUpdateBytes));
      st.server.submit('keysQuery', queries, r);
    }
  }

  /** The user's whole device list, fetched from `origin` (GET /_matrix/federation/v1/user/devices/{userId}). */
  private resync(origin: number): void {
    const st = this.st;
    const devices = st.s.population.devicesPerUser;
    st.count(M['fed.in.device_resyncs'], 1);
    st.count(M['fed.in.bytes'], K.transactionOverheadBytes + devices * K.deviceListUpdateBytes);
    st.server.submit('deviceResync', devices, origin);
  }
}
