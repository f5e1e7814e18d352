/**
 * Sessions and /sync v2: users come online along the daily rhythm, catch up
 * on what they missed, hold a long-poll open while online, and go offline.
 * Long-polls that expire without news are charged to the sync workers every
 * ten seconds, and counted per bin at the end.
 *
 * Session starts are a Poisson process per (time zone, user class) at the
 * peak rate, thinned to the rhythm (Lewis & Shedler 1979); each process keeps
 * its offline users in a prefix of an array, so picking one is O(1).
 */
import type { Distribution } from '../../engine/distributions.js';
import { BinnedTimeWeighted } from '../../engine/stats.js';
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
  /** Incremented at each start and end, so stale events of an ended session are ignored. */
  private readonly sessionGen: Int32Array;
  /** Timeline events each membership has seen (index into world.userRoom). */
  private readonly seenEvents: Float64Array;
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
    this.sessionGen = new Int32Array(w.users);
    this.seenEvents = new Float64Array(w.userRoom.length);
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

  /** Mark u online or offline in the totals and the series. */
  private setOnline(u: number, online: boolean): void {
    const st = this.st;
    const devices = st.w.userDevices[u]!;
    this.online[u] = online ? 1 : 0;
    st.totalOnlineDevices += online ? devices : -devices;
    st.totalOnlineUsers += online ? 1 : -1;
    this.onlineDevicesSeries.set(st.sim.now, st.totalOnlineDevices);
    this.onlineUsersSeries.set(st.sim.now, st.totalOnlineUsers);
  }

  private startSession(u: number): void {
    const st = this.st;
    const w = st.w;
    const gen = ++this.sessionGen[u]!;
    const devices = w.userDevices[u]!;
    this.setOnline(u, true);

    // Catch-up sync: what happened in each room while away, at most a gappy timeline.
    let catchUpEvents = 0;
    let roomsWithNews = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      st.onlineUsers[r]!++;
      st.onlineDevices[r]! += devices;
      const missed = st.roomEvents[r]! - this.seenEvents[j]!;
      if (missed > 0) {
        roomsWithNews++;
        catchUpEvents += Math.min(missed, K.catchUpEventsPerRoom);
      }
    }
    const bytesPerDevice = K.httpResponseOverheadBytes + catchUpEvents * K.syncEventBytes + roomsWithNews * K.bodyEnvelopeBytes;
    st.count(M['client.bytes_out'], devices * bytesPerDevice);
    st.count(M['client.bytes_in'], devices * K.httpRequestBytes);
    st.count(M['client.sync_responses'], devices);
    st.server.submit('syncNews', devices * (1 + K.catchUpSyncCostPerRoomWithNews * roomsWithNews), u);

    st.m.presence.change(u);
    const token = gen * USER_BITS + u;
    st.sim.schedule(this.sessionMinutes.sample(st.rSessions) * 60, this.hEnd, token);
    st.m.messaging.startActing(u, token);
    st.m.presence.startKeepalive(u, token);
  }

  private endSession(token: number): void {
    const st = this.st;
    const u = this.userOf(token);
    if (u < 0 || !this.online[u]) return;
    const w = st.w;
    this.sessionGen[u]!++;
    const devices = w.userDevices[u]!;
    this.setOnline(u, false);
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      st.onlineUsers[r]!--;
      st.onlineDevices[r]! -= devices;
      this.seenEvents[j] = st.roomEvents[r]!;
    }
    st.m.presence.change(u);
    // Back into the offline part of its process.
    const proc = this.processes[this.userProcess[u]!]!;
    this.swap(proc, this.userSlot[u]!, proc.offline);
    proc.offline++;
  }

  /** Long-polls that expired without news in the last tick, charged to the sync workers. */
  private syncTimeoutTick(): void {
    const st = this.st;
    const devices = st.totalOnlineDevices;
    if (devices > 0) {
      const wakeRate = st.newsSinceTick / (devices * SYNC_TICK_SECONDS);
      st.responsesPerWake = 1 / (1 + wakeRate * K.syncRepollSeconds);
      const rate = wakeRate * st.responsesPerWake;
      st.server.submit('syncTimeout', devices * SYNC_TICK_SECONDS * timeoutsPerSecond(rate, K.syncTimeoutSeconds), this.ticks++);
    }
    st.newsSinceTick = 0;
    st.sim.schedule(SYNC_TICK_SECONDS, this.hSyncTimeouts);
  }

  /**
   * End of run: online devices and users per bin (time averages), and the
   * long-polls that timed out per bin, with their bytes counted. A poll of
   * timeout T expires floor(gap / T) times per gap between news; for Poisson
   * news at rate r per device that is r e^{-rT} / (1 - e^{-rT}) per second.
   */
  finish(): { onlineDevices: Float64Array; onlineUsers: Float64Array; syncTimeouts: Float64Array } {
    const st = this.st;
    const now = st.sim.now;
    this.onlineDevicesSeries.finish(now);
    this.onlineUsersSeries.finish(now);
    const onlineDevices = this.onlineDevicesSeries.means().map((x) => (Number.isNaN(x) ? 0 : x));
    const onlineUsers = this.onlineUsersSeries.means().map((x) => (Number.isNaN(x) ? 0 : x));
    const news = st.c.series(M['client.sync_responses']);
    const syncTimeouts = new Float64Array(onlineDevices.length);
    for (let b = 0; b < onlineDevices.length; b++) {
      const deviceSeconds = onlineDevices[b]! * st.binSeconds;
      if (deviceSeconds <= 0) continue;
      const timeouts = deviceSeconds * timeoutsPerSecond(news[b]! / deviceSeconds, K.syncTimeoutSeconds);
      syncTimeouts[b] = timeouts;
      const t = b * st.binSeconds;
      st.c.add(M['client.bytes_out'], t, timeouts * K.httpResponseOverheadBytes);
      st.c.add(M['client.bytes_in'], t, timeouts * K.httpRequestBytes);
    }
    return { onlineDevices, onlineUsers, syncTimeouts };
  }
}
