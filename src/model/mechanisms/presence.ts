/**
 * Presence: a local user's changes reach the local users who share a room
 * (through /sync) and every remote server sharing a room (EDUs); online users
 * re-send their presence to remote servers every 25 minutes. Remote users'
 * presence arrives the same way (see remote.ts).
 *
 * Only /sync v2 sets presence (synapse rest/client/sync.py:253-267 calls
 * presence_handler.user_syncing; the sliding-sync servlet does not): a user
 * online with sliding-sync clients only never goes online through sync and
 * causes no presence fan-out, but is still woken by others' presence.
 */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class Presence {
  /** Presence changes per online user per second (0 with presence off). */
  readonly ratePerSecond: number;
  private readonly hKeepalive: number;

  constructor(private readonly st: ReplicationState) {
    this.ratePerSecond = st.s.features.presence ? st.s.behaviour.presenceChangesPerOnlineHour / 3600 : 0;
    this.hKeepalive = st.sim.handler((token) => this.keepalive(token));
  }

  /** A session began: re-send presence to remote servers while it lasts. */
  startKeepalive(u: number, token: number): void {
    const w = this.st.w;
    if (this.st.s.features.presence && w.userDestStart[u + 1]! > w.userDestStart[u]!) {
      this.st.sim.schedule(K.presenceResendSeconds, this.hKeepalive, token);
    }
  }

  private keepalive(token: number): void {
    const u = this.st.m.sessions.userOf(token);
    if (u < 0) return;
    if (this.st.down) return void this.st.sim.schedule(K.presenceResendSeconds, this.hKeepalive, token);
    if (!this.st.m.sessions.setsPresence(u)) return;
    this.toRemote(u);
    this.st.sim.schedule(K.presenceResendSeconds, this.hKeepalive, token);
  }

  /** A local user's presence changed: local users and remote servers sharing a room hear of it. */
  change(u: number): void {
    const st = this.st;
    if (!st.s.features.presence || !st.m.sessions.setsPresence(u) || st.down) return;
    st.count(M['m.presence'], 1);
    st.streamRowsSinceTick++;
    const devices = st.devicesSharingRoomsWith(u);
    if (devices > 0) {
      st.count(M['client.sync_deliveries'], devices);
      st.count(M['client.bytes_out'], devices * K.presenceEduBytes);
      st.wake(devices, st.sharedSliding, u);
    }
    this.toRemote(u);
  }

  /** Presence work on the server (the presence writer) and to every remote server sharing a room. */
  private toRemote(u: number): void {
    const st = this.st;
    const w = st.w;
    st.server.submit('presence', w.userDestStart[u + 1]! - w.userDestStart[u]!, u);
    const fed = st.fed;
    if (!fed) return;
    for (let x = w.userDestStart[u]!; x < w.userDestStart[u + 1]!; x++) fed.enqueuePresence(w.userDest[x]!, u);
  }

  /** A remote user's presence update reaching the local devices online in room r. */
  fromRemote(r: number): void {
    const st = this.st;
    const devices = st.onlineDevices[r]!;
    if (devices > 0) {
      st.count(M['client.sync_deliveries'], devices);
      st.count(M['client.bytes_out'], devices * K.presenceEduBytes);
      st.wake(devices, st.onlineSliding[r]!, r);
    }
  }
}
