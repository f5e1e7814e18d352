/**
 * Sessions and sync: users come online along the daily rhythm, catch up on
 * what they missed, hold sync requests open while online, and go offline.
 * Web and desktop clients hold a connection for the whole session; a phone
 * holds one only while in the foreground (`clients.mobileForegroundShare`),
 * and is otherwise woken by pushes (push.ts). Each device speaks /sync v2 or
 * Simplified Sliding Sync (world.ts, the client mix); only /sync v2 sets
 * presence (synapse rest/client/sync.py:253-267). Requests that expire
 * without news are charged to the sync workers every ten seconds.
 *
 * Session starts are a Poisson process per (time zone, user class) at the
 * peak rate, thinned to the rhythm (Lewis & Shedler 1979); each process keeps
 * its offline users in a prefix of an array, so picking one is O(1).
 */
import type { Distribution } from '../../engine/distributions.js';
import { BinnedTimeWeighted } from '../../engine/binned-stats.js';
import { binIndex } from '../../numeric/bin-index.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';
import { toDistribution } from '../world.js';

/** How often expired long-polls are charged to the sync workers, s. */
const SYNC_TICK_SECONDS = 10;
/** Users and session generations packed into one event argument. */
const USER_BITS = 2 ** 24;

/** Time-outs per device-second of a long-poll of T seconds with news at `rate` per device-second: r e^{-rT} / (1 - e^{-rT}), 1/T as r -> 0. */
function timeoutsPerSecond(rate: number, T: number): number {
  return rate > 1e-12 ? (rate * Math.exp(-rate * T)) / (1 - Math.exp(-rate * T)) : 1 / T;
}

interface ArrivalProcess {
  zone: number;
  cls: number;
  /** Its users, the offline ones first. */
  users: Int32Array;
  offline: number;
  /** Session starts per second if everyone were offline at the peak of the rhythm. */
  maxRate: number;
}

export class Sessions {
  /** 1 while the user is online. */
  private readonly online: Uint8Array;
  /** Devices of the user's current session holding a sync connection: on /sync v2, on sliding sync. */
  private readonly sessionV2: Uint8Array;
  private readonly sessionSliding: Uint8Array;
  /** Sync requests that ended at their time-out, per bin. */
  private readonly timeoutsByBin: Float64Array;
  /** Incremented at each start and end, so stale events of an ended session are ignored. */
  private readonly sessionGen: Int32Array;
  /**
   * Timeline events each membership has seen (index into world.userRoom): a
   * copy of a room's event count, a whole number far below 2^32, so 4 bytes
   * a membership hold it exactly (12 million memberships at a million users).
   */
  private readonly seenEvents: Uint32Array;
  /** Users whose session began while this server was down: their reconnect catches up from their last session, not from the outage. */
  private readonly startedWhileDown = new Set<number>();
  private readonly processes: ArrivalProcess[] = [];
  private readonly userSlot: Int32Array;
  /** Arrival process of each user (-1: never online). */
  private readonly userProcess: Int32Array;
  /** Session length, minutes. */
  private readonly sessionMinutes: Distribution;
  private readonly onlineDevicesSeries: BinnedTimeWeighted;
  private readonly onlineUsersSeries: BinnedTimeWeighted;
  private ticks = 0;
  private readonly hArrival: number;
  private readonly hEnd: number;
  private readonly hSyncTimeouts: number;

  constructor(private readonly st: ReplicationState) {
    const { s, w, rhythm, sim } = st;
    this.online = new Uint8Array(w.users);
    this.sessionV2 = new Uint8Array(w.users);
    this.sessionSliding = new Uint8Array(w.users);
    this.timeoutsByBin = new Float64Array(st.c.binCount);
    this.sessionGen = new Int32Array(w.users);
    this.seenEvents = new Uint32Array(w.userRoom.length);
    this.onlineDevicesSeries = new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds);
    this.onlineUsersSeries = new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds);
    this.sessionMinutes = toDistribution(s.population.sessionMinutes);

    // Users grouped by zone and class, in a fixed order; offline users first.
    this.userSlot = new Int32Array(w.users);
    this.userProcess = new Int32Array(w.users).fill(-1);
    const groups = new Map<string, number[]>();
    for (let u = 0; u < w.users; u++) {
      const key = `${w.userZone[u]}|${w.userClass[u]}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(u);
    }
    const meanSessionSeconds = this.sessionMinutes.mean * 60;
    for (const [key, list] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [zone, cls] = key.split('|').map(Number) as [number, number];
      const q = rhythm.peakOnlineProbability[cls] ?? 0;
      if (q <= 0) continue;
      const users = Int32Array.from(list);
      const index = this.processes.length;
      users.forEach((u, i) => {
        this.userSlot[u] = i;
        this.userProcess[u] = index;
      });
      this.processes.push({ zone, cls, users, offline: users.length, maxRate: (users.length * q) / meanSessionSeconds });
    }
    this.hArrival = sim.handler((p) => this.sessionArrival(p));
    this.hEnd = sim.handler((token) => this.endSession(token));
    this.hSyncTimeouts = sim.handler(() => this.syncTimeoutTick());
  }

  start(): void {
    this.processes.forEach((p, i) => this.st.sim.schedule(this.st.exp(p.maxRate, this.st.rSessions), this.hArrival, i));
  }

  startClocks(): void {
    this.st.sim.schedule(SYNC_TICK_SECONDS, this.hSyncTimeouts);
  }

  /** True while u is online (a session going on). */
  isOnline(u: number): boolean {
    return this.online[u] === 1;
  }

  /** True while u is online with a /sync v2 client, which is what sets presence. */
  setsPresence(u: number): boolean {
    return this.sessionV2[u]! > 0;
  }

  /** The user of a session token while that session lasts, else -1. */
  userOf(token: number): number {
    const u = token % USER_BITS;
    return this.sessionGen[u] === (token - u) / USER_BITS ? u : -1;
  }

  /** A candidate session start of process `p`, thinned to the rhythm. */
  private sessionArrival(p: number): void {
    const st = this.st;
    const proc = this.processes[p]!;
    st.sim.schedule(st.exp(proc.maxRate, st.rSessions), this.hArrival, p);
    if (st.rSessions() >= st.rhythm.relativeActivity(st.sim.now, proc.zone)) return;
    if (proc.offline === 0) return;
    const slot = Math.floor(st.rSessions() * proc.offline);
    // Move the user out of the offline prefix.
    this.swap(proc, slot, proc.offline - 1);
    proc.offline--;
    this.startSession(proc.users[proc.offline]!);
  }

  /** Swap the users at two slots of a process. */
  private swap(proc: ArrivalProcess, a: number, b: number): void {
    const ua = proc.users[a]!;
    const ub = proc.users[b]!;
    proc.users[a] = ub;
    proc.users[b] = ua;
    this.userSlot[ub] = a;
    this.userSlot[ua] = b;
  }

  /**
   * The devices holding a sync connection in a new session of u: every web
   * or desktop client, and each phone with `mobileForegroundShare`; a user
   * with phones only uses at least one. Draws from 'clients'.
   */
  private connect(u: number): void {
    const st = this.st;
    const w = st.w;
    const f = st.s.clients.mobileForegroundShare;
    let v2 = w.userDesktopV2[u]!;
    let sliding = w.userDesktopSliding[u]!;
    const phonesV2 = w.userMobileV2[u]!;
    const phonesSliding = w.userMobileSliding[u]!;
    for (let i = 0; i < phonesV2; i++) if (st.rClients() < f) v2++;
    for (let i = 0; i < phonesSliding; i++) if (st.rClients() < f) sliding++;
    if (v2 + sliding === 0) {
      if (phonesSliding > 0) sliding = 1;
      else if (phonesV2 > 0) v2 = 1;
    }
    this.sessionV2[u] = v2;
    this.sessionSliding[u] = sliding;
  }

  /** Mark u online or offline in the totals and the series. */
  private setOnline(u: number, online: boolean): void {
    const st = this.st;
    const devices = this.sessionV2[u]! + this.sessionSliding[u]!;
    const sliding = this.sessionSliding[u]!;
    this.online[u] = online ? 1 : 0;
    st.totalOnlineDevices += online ? devices : -devices;
    st.totalOnlineSliding += online ? sliding : -sliding;
    st.totalOnlineUsers += online ? 1 : -1;
    this.onlineDevicesSeries.set(st.sim.now, st.totalOnlineDevices);
    this.onlineUsersSeries.set(st.sim.now, st.totalOnlineUsers);
  }

  private startSession(u: number): void {
    const st = this.st;
    const w = st.w;
    const gen = ++this.sessionGen[u]!;
    this.connect(u);
    const v2 = this.sessionV2[u]!;
    const sliding = this.sessionSliding[u]!;
    const devices = v2 + sliding;
    this.setOnline(u, true);

    // Catch-up sync: what happened in each room while away, at most a gappy timeline.
    let catchUpEvents = 0;
    let roomsWithNews = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      st.onlineUsers[r]!++;
      st.onlineDevices[r]! += devices;
      st.onlineSliding[r]! += sliding;
      const missed = st.roomEvents[r]! - this.seenEvents[j]!;
      if (missed > 0) {
        roomsWithNews++;
        catchUpEvents += Math.min(missed, K.catchUpEventsPerRoom);
      }
    }
    const token = gen * USER_BITS + u;
    if (st.down) {
      // The app is open but the server does not answer: its sync comes with the others' on return (reconnect).
      this.startedWhileDown.add(u);
      st.sim.schedule(this.sessionMinutes.sample(st.rSessions) * 60, this.hEnd, token);
      st.m.messaging.startActing(u, token);
      st.m.presence.startKeepalive(u, token);
      st.m.search.startSession(u, token);
      return;
    }
    this.catchUpSync(u, v2, sliding, catchUpEvents, roomsWithNews);
    st.m.presence.change(u);
    st.sim.schedule(this.sessionMinutes.sample(st.rSessions) * 60, this.hEnd, token);
    st.m.messaging.startActing(u, token);
    st.m.presence.startKeepalive(u, token);
    st.m.search.startSession(u, token);
  }

  /** The catch-up sync of a user's devices holding connections: `v2` on /sync v2, `sliding` on sliding sync. */
  private catchUpSync(u: number, v2: number, sliding: number, catchUpEvents: number, roomsWithNews: number): void {
    const st = this.st;
    const devices = v2 + sliding;
    const bytesPerDevice = K.httpResponseOverheadBytes + catchUpEvents * K.syncEventBytes + roomsWithNews * K.bodyEnvelopeBytes;
    const slidingRequests = sliding * st.slidingConnections;
    st.count(M['client.bytes_out'], devices * bytesPerDevice + (slidingRequests - sliding) * K.httpResponseOverheadBytes);
    st.count(M['client.bytes_in'], (v2 + slidingRequests) * K.httpRequestBytes);
    st.count(M['client.sync_responses'], v2 + slidingRequests);
    st.count(M['sync.v2_requests'], v2);
    st.count(M['sync.sliding_requests'], slidingRequests);
    const work = 1 + K.catchUpSyncCostPerRoomWithNews * roomsWithNews;
    if (v2 > 0) st.server.submit('syncNews', v2 * work, u);
    if (sliding > 0) st.server.submit('slidingSync', slidingRequests * work, u);
  }

  /** Users online now, in index order (the reconnect storm after an outage). */
  onlineUsersNow(): number[] {
    const out: number[] = [];
    for (let u = 0; u < this.online.length; u++) if (this.online[u]) out.push(u);
    return out;
  }

  /**
   * User u's devices reconnect after this server was down (`eventsAtDown`: each room's events when it went down): a
   * catch-up sync each, with news in the rooms that had events since, and
   * (on /sync v2) the user is online again. Nothing when u has gone offline.
   */
  reconnect(u: number, eventsAtDown: Float64Array): void {
    const st = this.st;
    if (!this.online[u]) return;
    const w = st.w;
    let catchUpEvents = 0;
    let roomsWithNews = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      const since = this.startedWhileDown.has(u) ? this.seenEvents[j]! : Math.max(eventsAtDown[r]!, this.seenEvents[j]!);
      const missed = st.roomEvents[r]! - since;
      if (missed > 0) {
        roomsWithNews++;
        catchUpEvents += Math.min(missed, K.catchUpEventsPerRoom);
      }
    }
    this.startedWhileDown.delete(u);
    this.catchUpSync(u, this.sessionV2[u]!, this.sessionSliding[u]!, catchUpEvents, roomsWithNews);
    st.m.presence.change(u);
  }

  /**
   * An initial sync of one device of u (a new login, a reinstall, a cleared
   * cache): every room of the account, members lazy-loaded. A sliding-sync
   * client fetches its room list in growing windows with little state per
   * room, counted as the same per-room work (no published comparison).
   */
  initialSync(u: number, sliding: boolean): void {
    const st = this.st;
    const w = st.w;
    const rooms = w.userRoomStart[u + 1]! - w.userRoomStart[u]!;
    st.count(M['sync.initial'], 1);
    st.count(sliding ? M['sync.sliding_requests'] : M['sync.v2_requests'], 1);
    st.count(M['client.sync_responses'], 1);
    st.count(M['client.bytes_out'], K.httpResponseOverheadBytes + rooms * K.initialSyncBytesPerRoom);
    st.count(M['client.bytes_in'], K.httpRequestBytes);
    st.server.submit('initialSync', rooms, u);
  }

  private endSession(token: number): void {
    const st = this.st;
    const u = this.userOf(token);
    if (u < 0 || !this.online[u]) return;
    const w = st.w;
    this.sessionGen[u]!++;
    this.startedWhileDown.delete(u);
    const sliding = this.sessionSliding[u]!;
    const devices = this.sessionV2[u]! + sliding;
    this.setOnline(u, false);
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      st.onlineUsers[r]!--;
      st.onlineDevices[r]! -= devices;
      st.onlineSliding[r]! -= sliding;
      this.seenEvents[j] = st.roomEvents[r]!;
    }
    st.m.presence.change(u);
    this.sessionV2[u] = 0;
    this.sessionSliding[u] = 0;
    // Back into the offline part of its process.
    const proc = this.processes[this.userProcess[u]!]!;
    this.swap(proc, this.userSlot[u]!, proc.offline);
    proc.offline++;
  }

  /**
   * Sync requests that expired without news in the last tick, charged to
   * the sync workers and counted with their bytes. A request of timeout T
   * expires floor(gap / T) times per gap between news; for Poisson news at
   * rate r per connection that is r e^{-rT} / (1 - e^{-rT}) per second. Every
   * connection of a device is woken by the same news.
   */
  private syncTimeoutTick(): void {
    const st = this.st;
    const devices = st.totalOnlineDevices;
    if (devices > 0 && !st.down) {
      const wakeRate = st.newsSinceTick / (devices * SYNC_TICK_SECONDS);
      st.responsesPerWake = 1 / (1 + wakeRate * K.syncRepollSeconds);
      const perConnection = SYNC_TICK_SECONDS * timeoutsPerSecond(wakeRate * st.responsesPerWake, K.syncTimeoutSeconds);
      const v2 = (devices - st.totalOnlineSliding) * perConnection;
      const sliding = st.totalOnlineSliding * st.slidingConnections * perConnection;
      st.server.submit('syncTimeout', v2 + sliding, this.ticks++);
      st.count(M['sync.v2_requests'], v2);
      st.count(M['sync.sliding_requests'], sliding);
      st.count(M['client.bytes_out'], (v2 + sliding) * K.httpResponseOverheadBytes);
      st.count(M['client.bytes_in'], (v2 + sliding) * K.httpRequestBytes);
      this.timeoutsByBin[binIndex(st.sim.now, st.binSeconds, this.timeoutsByBin.length)]! += v2 + sliding;
    }
    st.newsSinceTick = 0;
    st.sim.schedule(SYNC_TICK_SECONDS, this.hSyncTimeouts);
  }

  /** End of run: devices holding a sync connection and users online per bin (time averages), and the sync requests that timed out per bin. */
  finish(): { onlineDevices: Float64Array; onlineUsers: Float64Array; syncTimeouts: Float64Array } {
    const st = this.st;
    const now = st.sim.now;
    this.onlineDevicesSeries.finish(now);
    this.onlineUsersSeries.finish(now);
    const onlineDevices = this.onlineDevicesSeries.means().map((x) => (Number.isNaN(x) ? 0 : x));
    const onlineUsers = this.onlineUsersSeries.means().map((x) => (Number.isNaN(x) ? 0 : x));
    return { onlineDevices, onlineUsers, syncTimeouts: this.timeoutsByBin };
  }
}
