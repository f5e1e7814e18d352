/**
 * One replication of a scenario: a pure function of (normalized scenario,
 * seed). Users come online along the rhythm, act while online, and every act
 * becomes events persisted here, delivered to online devices through /sync,
 * pushed to phones and fanned out to every remote server in the room through
 * the per-destination federation queues. Remote users' activity arrives in
 * transactions and is delivered the same way. Storage is counted as it grows.
 *
 * Follow one message: `act` (a user acts) -> `sendMessage` -> `persistAndFanOut`
 * (storage, /sync deliveries, pushes, one PDU per remote server) ->
 * FederationSender (transactions) -> Counters (per-bin series) -> summary.
 */
import { maxOf } from '../engine/array.js';
import * as d from '../engine/distributions.js';
import type { RandomSource } from '../engine/random.js';
import { Simulation } from '../engine/simulation.js';
import { BinnedTimeWeighted, QuantileSketch } from '../engine/stats.js';
import type { Scenario } from '../scenario/grammar.js';
import { K } from './coefficients.js';
import { FederationSender } from './federation.js';
import { Counters, M, STORAGE_CATEGORIES, type StorageCategory } from './metrics.js';
import { buildRhythm, SECONDS_PER_MONTH, type Rhythm } from './rhythm.js';
import { buildWorld, toDistribution, type World } from './world.js';
import { ServerModel, type ServerResult } from '../server/server.js';

/** What one replication measured. */
export interface ReplicationResult {
  seed: string;
  simulatedSeconds: number;
  events: number;
  counters: Counters;
  /** Online devices and users per bin (time averages). */
  onlineDevices: Float64Array;
  onlineUsers: Float64Array;
  /** Sync long-polls that ended at their timeout, per bin. */
  syncTimeouts: Float64Array;
  /** Queued federation PDUs per bin (maximum). */
  federationBacklog: Float64Array;
  federationLatency: QuantileSketch;
  maxPdusPerTransaction: number;
  maxEdusPerTransaction: number;
  overlappingTransactions: number;
  destinationsReached: number;
  destinationsDown: number;
  destinationsSlow: number;
  undeliveredPdus: number;
  /** Storage present before the run: room state, users and devices. */
  baseStorage: Record<StorageCategory, number>;
  /** Receipt storage once every (room, member) pair has a receipt row, bytes. */
  receiptStorageCap: number;
  /** Storage written by processes without a daily rhythm (remote traffic, profile and device changes), bytes per category. */
  constantRateStorage: Record<StorageCategory, number>;
  /** Largest share of users online at once (bin averages). */
  peakOnlineShare: number;
  world: { users: number; rooms: number; memberships: number; remoteServers: number; encryptedRooms: number };
  /** The homeserver's processes, database and latencies. */
  server: ServerResult;
  /** Rooms with at least one event during the run (for the caches' working set). */
  activeRooms: number;
  /** Largest room state downloaded by a join, state events (0 when none). */
  largestJoinStateEvents: number;
}

const MIB = 1024 * 1024;
/** How often workers are charged for the replication stream, s. */
const REPLICATION_TICK_SECONDS = 1;
/** How often expired long-polls are charged to the sync workers, s. */
const SYNC_TICK_SECONDS = 10;

/** Users and session generations packed into one event argument. */
const USER_BITS = 2 ** 24;
const enc = (user: number, gen: number) => gen * USER_BITS + user;

/** Binomial(n, p) draw: inversion for small means, normal approximation beyond. */
function binomial(n: number, p: number, rng: RandomSource): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 20) {
    // Inversion: walk the pmf from 0 (Devroye 1986, X.4).
    const q = 1 - p;
    let prob = Math.pow(q, n);
    let cdf = prob;
    const u = rng();
    let x = 0;
    while (u > cdf && x < n) {
      prob *= ((n - x) / (x + 1)) * (p / q);
      cdf += prob;
      x++;
    }
    return x;
  }
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.max(0, Math.min(n, Math.round(mean + z * Math.sqrt(mean * (1 - p)))));
}

/** Index of the first entry of cum[from..to) greater than x (cumulative weights). */
function searchCumulative(cum: ArrayLike<number>, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Simulate one replication of `s` with `seed`. `onProgress` (0..1) is called
 * after each simulated hour; running in hourly steps changes nothing in the
 * results.
 */
export function simulateReplication(s: Scenario, seed: string, onProgress?: (fraction: number) => void): ReplicationResult {
  const sim = new Simulation(seed);
  const horizon = s.run.days * 86400;
  const binSeconds = s.run.binMinutes * 60;
  const counters = new Counters(binSeconds, horizon);
  const world = buildWorld(s, sim.random('world'));
  const rhythm = buildRhythm(s);
  const model = new MatrixModel(s, sim, world, rhythm, counters, horizon);
  model.start();
  if (onProgress) {
    for (let t = 3600; t < horizon; t += 3600) {
      sim.run(t);
      onProgress(t / horizon);
    }
  }
  sim.run(horizon);
  return model.finish();
}

class MatrixModel {
  private readonly w: World;
  private readonly fed: FederationSender | null;
  private readonly server: ServerModel;
  private persistedSinceTick = 0;
  private newsSinceTick = 0;
  private ticks = 0;
  private largestJoin = 0;
  // Random streams, one per concern.
  private readonly rSessions: RandomSource;
  private readonly rActions: RandomSource;
  private readonly rRemote: RandomSource;
  private readonly rMisc: RandomSource;

  // Per-user state.
  private readonly online: Uint8Array;
  private readonly sessionGen: Int32Array;
  // Per-room state.
  private readonly onlineUsers: Int32Array;
  private readonly onlineDevices: Int32Array;
  private readonly lastWake: Float64Array;
  private readonly roomEvents: Float64Array;
  private readonly stateChanges: Int32Array;
  private readonly roomEpoch: Int32Array;
  // Per-membership state (index into world.userRoom).
  private readonly seenEvents: Float64Array;
  private readonly megolmSent: Int32Array;
  private readonly megolmStart: Float32Array;
  private readonly megolmEpoch: Int32Array;

  // Session arrival processes, one per (zone, class), with their offline users.
  private readonly processes: { zone: number; cls: number; users: Int32Array; offline: number; maxRate: number }[] = [];
  private readonly userSlot: Int32Array;
  /** Session process of each user (-1: never online). */
  private readonly userProcess: Int32Array;

  // Aggregates.
  private totalOnlineDevices = 0;
  private totalOnlineUsers = 0;
  private readonly onlineDevicesSeries: BinnedTimeWeighted;
  private readonly onlineUsersSeries: BinnedTimeWeighted;
  private readonly backlogSeries: BinnedTimeWeighted;
  private receiptRows = 0;
  /** True while handling a process that does not follow the daily rhythm (remote traffic, profile changes, ...). */
  private constantRate = false;
  /** Storage written by those processes, bytes per metric index. */
  private readonly constantStorage = new Float64Array(64);
  private readonly receiptRowsMax: number;

  // Per-class rates while online, per second.
  private readonly messageRate: number[];
  private readonly mediaRate: number[];
  private readonly actionRate: number[];
  private readonly presenceRate: number;

  // Distributions.
  private readonly sessionSeconds: d.Distribution;
  private readonly messageBytes: d.Distribution;
  private readonly mediaBytes: d.Distribution;

  // Remote activity: cumulative rates over rooms.
  private readonly remoteMessageCum: Float64Array;
  private readonly remoteMemberCum: Float64Array;
  private readonly hostedRemotely: number[];
  private readonly remoteMediaShare: number;
  private readonly inboundBusyUntil: Float64Array;
  private readonly mobileDevicesPerUser: number;

  // Handlers.
  private readonly hArrival: number;
  private readonly hAct: number;
  private readonly hEnd: number;
  private readonly hKeepalive: number;
  private readonly hProfile: number;
  private readonly hDevice: number;
  private readonly hMembership: number;
  private readonly hRemoteMessage: number;
  private readonly hRemoteChurn: number;
  private readonly hRemotePresence: number;
  private readonly hPublicJoin: number;
  private readonly hSample: number;
  private readonly hReplication: number;
  private readonly hSyncTimeouts: number;

  constructor(
    private readonly s: Scenario,
    private readonly sim: Simulation,
    world: World,
    private readonly rhythm: Rhythm,
    private readonly c: Counters,
    private readonly horizon: number,
  ) {
    this.w = world;
    const w = world;
    this.rSessions = sim.random('sessions');
    this.rActions = sim.random('actions');
    this.rRemote = sim.random('remote');
    this.rMisc = sim.random('misc');
    this.server = new ServerModel(sim, s, sim.random('server'), horizon);
    this.fed =
      w.remoteServers > 0
        ? new FederationSender(
            sim,
            this.c,
            {
              servers: w.remoteServers,
              downShare: s.federation.downShare,
              slowShare: s.federation.slowShare,
              slowFactor: s.federation.slowFactor,
              latencyMs: toDistribution(s.federation.latencyMs),
              processingMs: toDistribution(s.federation.remoteProcessingMs),
            },
            sim.random('federation'),
            sim.random('federation-processing'),
            this.server,
          )
        : null;

    this.online = new Uint8Array(w.users);
    this.sessionGen = new Int32Array(w.users);
    this.onlineUsers = new Int32Array(w.rooms);
    this.onlineDevices = new Int32Array(w.rooms);
    this.lastWake = new Float64Array(w.rooms).fill(-Infinity);
    this.roomEvents = new Float64Array(w.rooms);
    this.stateChanges = new Int32Array(w.rooms);
    this.roomEpoch = new Int32Array(w.rooms);
    const memberships = w.userRoom.length;
    this.seenEvents = new Float64Array(memberships);
    this.megolmSent = new Int32Array(memberships);
    this.megolmStart = new Float32Array(memberships);
    this.megolmEpoch = new Int32Array(memberships);

    const binSeconds = s.run.binMinutes * 60;
    this.onlineDevicesSeries = new BinnedTimeWeighted(binSeconds, horizon);
    this.onlineUsersSeries = new BinnedTimeWeighted(binSeconds, horizon);
    this.backlogSeries = new BinnedTimeWeighted(binSeconds, horizon);

    let remoteMembersTotal = 0;
    for (let r = 0; r < w.rooms; r++) remoteMembersTotal += w.roomRemoteMembers[r]!;
    this.receiptRowsMax = memberships + remoteMembersTotal;

    // Rates while online: a class's daily messages spread over its online time.
    const classes = s.population.classes;
    const b = s.behaviour;
    this.presenceRate = s.features.presence ? b.presenceChangesPerOnlineHour / 3600 : 0;
    this.messageRate = classes.map((cl, i) => (rhythm.onlineSecondsPerDay[i]! > 0 ? cl.messagesPerDay / rhythm.onlineSecondsPerDay[i]! : 0));
    this.mediaRate = classes.map((cl, i) => (rhythm.onlineSecondsPerDay[i]! > 0 ? cl.mediaUploadsPerDay / rhythm.onlineSecondsPerDay[i]! : 0));
    const perMessage = 1 + b.reactionsPerMessage + b.editsPerMessage + b.redactionsPerMessage;
    this.actionRate = classes.map((_, i) => this.messageRate[i]! * perMessage + this.mediaRate[i]! + this.presenceRate);

    this.sessionSeconds = toDistribution(s.population.sessionMinutes);
    this.messageBytes = toDistribution(b.messageBytes);
    this.mediaBytes = toDistribution(b.media.bytes);
    this.mobileDevicesPerUser = s.population.devicesPerUser * s.population.mobileDeviceShare;
    const messagesPerDay = classes.reduce((sum, cl) => sum + cl.share * cl.messagesPerDay, 0);
    const mediaPerDay = classes.reduce((sum, cl) => sum + cl.share * cl.mediaUploadsPerDay, 0);
    this.remoteMediaShare = messagesPerDay > 0 ? mediaPerDay / (messagesPerDay + mediaPerDay) : 0;

    // Remote activity per room.
    this.remoteMessageCum = new Float64Array(w.rooms);
    this.remoteMemberCum = new Float64Array(w.rooms);
    this.hostedRemotely = [];
    let cumMsg = 0;
    let cumMem = 0;
    for (let r = 0; r < w.rooms; r++) {
      const kind = s.rooms.kinds[w.roomKind[r]!]!;
      const remote = w.roomRemoteMembers[r]!;
      const perMember = kind.remoteMessagesPerMemberPerDay ?? s.federation.remoteMessagesPerMemberPerDay;
      this.remoteMessageCum[r] = cumMsg += (remote * perMember) / 86400;
      this.remoteMemberCum[r] = cumMem += remote;
      if (kind.hostedRemotely && remote > 0) this.hostedRemotely.push(r);
    }
    this.inboundBusyUntil = new Float64Array(w.remoteServers);

    // Session processes: users grouped by zone and class; offline users first.
    this.userSlot = new Int32Array(w.users);
    this.userProcess = new Int32Array(w.users).fill(-1);
    const groups = new Map<string, number[]>();
    for (let u = 0; u < w.users; u++) {
      const key = `${w.userZone[u]}|${w.userClass[u]}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(u);
    }
    const meanSession = this.sessionSeconds.mean * 60;
    for (const [key, list] of [...groups.entries()].sort(([a], [b2]) => (a < b2 ? -1 : a > b2 ? 1 : 0))) {
      const [zone, cls] = key.split('|').map(Number) as [number, number];
      const q = rhythm.peakOnlineProbability[cls]!;
      if (q <= 0) continue;
      const users = Int32Array.from(list);
      const index = this.processes.length;
      users.forEach((u, i) => {
        this.userSlot[u] = i;
        this.userProcess[u] = index;
      });
      this.processes.push({ zone, cls, users, offline: users.length, maxRate: (users.length * q) / meanSession });
    }

    this.hArrival = sim.handler((p) => this.sessionArrival(p));
    this.hAct = sim.handler((a) => this.act(a));
    this.hEnd = sim.handler((a) => this.endSession(a));
    this.hKeepalive = sim.handler((a) => this.presenceKeepalive(a));
    this.hProfile = sim.handler(this.constantly(() => this.profileChange()));
    this.hDevice = sim.handler(this.constantly(() => this.newDevice()));
    this.hMembership = sim.handler(this.constantly(() => this.membershipChange()));
    this.hRemoteMessage = sim.handler(this.constantly(() => this.remoteMessage()));
    this.hRemoteChurn = sim.handler(this.constantly(() => this.remoteChurn()));
    this.hRemotePresence = sim.handler(() => this.remotePresence());
    this.hPublicJoin = sim.handler(this.constantly(() => this.publicRoomJoin()));
    this.hSample = sim.handler(() => this.sample());
    this.hReplication = sim.handler(() => this.replicationTick());
    this.hSyncTimeouts = sim.handler(() => this.syncTimeoutTick());
  }

  /** Wrap the handler of a constant-rate process so the storage it writes is marked. */
  private constantly(handler: () => void): () => void {
    return () => {
      this.constantRate = true;
      handler();
      this.constantRate = false;
    };
  }

  /** Count storage written now; remember what processes with a constant rate wrote. */
  private addStorage(metric: number, now: number, bytes: number): void {
    this.c.add(metric, now, bytes);
    if (this.constantRate) this.constantStorage[metric]! += bytes;
  }

  // --- Processes -------------------------------------------------------------

  start(): void {
    this.processes.forEach((p, i) => this.sim.schedule(this.exp(p.maxRate, this.rSessions), this.hArrival, i));
    const b = this.s.behaviour;
    const users = this.w.users;
    this.every(this.hProfile, (users * b.profileChangesPerUserPerMonth) / SECONDS_PER_MONTH);
    this.every(this.hDevice, (users * b.newDevicesPerUserPerMonth) / SECONDS_PER_MONTH);
    this.every(this.hMembership, (users * b.membershipChangesPerUserPerMonth) / SECONDS_PER_MONTH);
    const last = this.w.rooms - 1;
    if (last >= 0) {
      this.every(this.hRemoteMessage, this.remoteMessageCum[last]!);
      this.every(this.hRemoteChurn, (this.remoteMemberCum[last]! * this.s.federation.remoteMemberChurnPerDay) / 86400);
      if (this.s.features.presence) {
        // Remote users online re-send presence every 25 min; each also changes state a few times a day.
        const perRemoteMember = this.s.federation.remoteOnlineShare * (1 / K.presenceResendSeconds + this.presenceRate);
        this.every(this.hRemotePresence, this.remoteMemberCum[last]! * perRemoteMember);
      }
    }
    if (this.hostedRemotely.length > 0) this.every(this.hPublicJoin, this.s.federation.publicRoomJoinsPerDay / 86400);
    this.sim.schedule(0, this.hSample);
    if (this.server.replicatingWorkers > 0) this.sim.schedule(REPLICATION_TICK_SECONDS, this.hReplication);
    this.sim.schedule(SYNC_TICK_SECONDS, this.hSyncTimeouts);
  }

  /** Workers consume the replication stream: the events persisted in the last tick. */
  private replicationTick(): void {
    this.server.replicate(this.persistedSinceTick);
    this.persistedSinceTick = 0;
    this.sim.schedule(REPLICATION_TICK_SECONDS, this.hReplication);
  }

  /**
   * Long-polls that expire without news in the last tick: with news at rate r
   * per device, r e^{-rT} / (1 - e^{-rT}) time-outs per device-second (see finish()).
   */
  private syncTimeoutTick(): void {
    const devices = this.totalOnlineDevices;
    if (devices > 0) {
      const T = K.syncTimeoutSeconds;
      const rate = this.newsSinceTick / (devices * SYNC_TICK_SECONDS);
      const perSecond = rate > 1e-12 ? (rate * Math.exp(-rate * T)) / (1 - Math.exp(-rate * T)) : 1 / T;
      this.server.submit('syncTimeout', devices * SYNC_TICK_SECONDS * perSecond, this.ticks++);
    }
    this.newsSinceTick = 0;
    this.sim.schedule(SYNC_TICK_SECONDS, this.hSyncTimeouts);
  }

  /** Schedule the first event of a Poisson process of `rate` per second; the handler re-arms it. */
  private every(handler: number, rate: number): void {
    if (rate > 0) this.sim.schedule(this.exp(rate, this.rMisc), handler, rate);
  }

  private again(handler: number, rate: number): void {
    this.sim.schedule(this.exp(rate, this.rMisc), handler, rate);
  }

  private exp(rate: number, rng: RandomSource): number {
    return -Math.log(1 - rng()) / rate;
  }

  /** Periodic sampling of the federation backlog (every bin / 10). */
  private sample(): void {
    if (this.fed) this.backlogSeries.set(this.sim.now, this.fed.backlogPdus());
    const step = (this.s.run.binMinutes * 60) / 10;
    if (this.sim.now + step < this.horizon) this.sim.schedule(step, this.hSample);
  }

  // --- Sessions ----------------------------------------------------------------

  /** A candidate session start of process `p`, thinned to the rhythm (Lewis & Shedler 1979). */
  private sessionArrival(p: number): void {
    const proc = this.processes[p]!;
    this.sim.schedule(this.exp(proc.maxRate, this.rSessions), this.hArrival, p);
    if (this.rSessions() >= this.rhythm.relativeActivity(this.sim.now, proc.zone)) return;
    if (proc.offline === 0) return;
    const slot = Math.floor(this.rSessions() * proc.offline);
    const u = proc.users[slot]!;
    // Move u out of the offline prefix.
    const lastOffline = proc.offline - 1;
    const other = proc.users[lastOffline]!;
    proc.users[slot] = other;
    proc.users[lastOffline] = u;
    this.userSlot[other] = slot;
    this.userSlot[u] = lastOffline;
    proc.offline--;
    this.startSession(u);
  }

  private startSession(u: number): void {
    const w = this.w;
    const now = this.sim.now;
    const gen = ++this.sessionGen[u]!;
    this.online[u] = 1;
    const devices = w.userDevices[u]!;
    this.totalOnlineDevices += devices;
    this.totalOnlineUsers++;
    this.onlineDevicesSeries.set(now, this.totalOnlineDevices);
    this.onlineUsersSeries.set(now, this.totalOnlineUsers);

    // Catch-up sync: what happened in each room while away, at most a gappy timeline.
    let catchUpEvents = 0;
    let roomsWithNews = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      this.onlineUsers[r]!++;
      this.onlineDevices[r]! += devices;
      const missed = this.roomEvents[r]! - this.seenEvents[j]!;
      if (missed > 0) {
        roomsWithNews++;
        catchUpEvents += Math.min(missed, K.catchUpEventsPerRoom);
      }
    }
    const bytesPerDevice = K.httpResponseOverheadBytes + catchUpEvents * K.syncEventBytes + roomsWithNews * K.bodyEnvelopeBytes;
    this.c.add(M['client.bytes_out'], now, devices * bytesPerDevice);
    this.c.add(M['client.bytes_in'], now, devices * K.httpRequestBytes);
    this.c.add(M['client.sync_responses'], now, devices);
    this.server.submit('syncNews', devices * (1 + 0.2 * roomsWithNews), u);

    this.presenceChange(u);
    const cls = w.userClass[u]!;
    const duration = this.sessionSeconds.sample(this.rSessions) * 60;
    this.sim.schedule(duration, this.hEnd, enc(u, gen));
    if (this.actionRate[cls]! > 0) this.sim.schedule(this.exp(this.actionRate[cls]!, this.rActions), this.hAct, enc(u, gen));
    if (this.s.features.presence && w.userDestStart[u + 1]! > w.userDestStart[u]!) {
      this.sim.schedule(K.presenceResendSeconds, this.hKeepalive, enc(u, gen));
    }
  }

  private endSession(arg: number): void {
    const u = arg % USER_BITS;
    const gen = (arg - u) / USER_BITS;
    if (this.sessionGen[u] !== gen || !this.online[u]) return;
    const w = this.w;
    const now = this.sim.now;
    this.sessionGen[u]!++;
    this.online[u] = 0;
    const devices = w.userDevices[u]!;
    this.totalOnlineDevices -= devices;
    this.totalOnlineUsers--;
    this.onlineDevicesSeries.set(now, this.totalOnlineDevices);
    this.onlineUsersSeries.set(now, this.totalOnlineUsers);
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      this.onlineUsers[r]!--;
      this.onlineDevices[r]! -= devices;
      this.seenEvents[j] = this.roomEvents[r]!;
    }
    this.presenceChange(u);
    // Back into the offline part of its process.
    const proc = this.processes[this.userProcess[u]!]!;
    const slot = this.userSlot[u]!;
    const first = proc.offline;
    const other = proc.users[first]!;
    proc.users[slot] = other;
    proc.users[first] = u;
    this.userSlot[other] = slot;
    this.userSlot[u] = first;
    proc.offline++;
  }

  private presenceKeepalive(arg: number): void {
    const u = arg % USER_BITS;
    const gen = (arg - u) / USER_BITS;
    if (this.sessionGen[u] !== gen) return;
    this.presenceToRemote(u);
    this.sim.schedule(K.presenceResendSeconds, this.hKeepalive, arg);
  }

  // --- What online users do ------------------------------------------------------

  private act(arg: number): void {
    const u = arg % USER_BITS;
    const gen = (arg - u) / USER_BITS;
    if (this.sessionGen[u] !== gen) return;
    const cls = this.w.userClass[u]!;
    const rate = this.actionRate[cls]!;
    this.sim.schedule(this.exp(rate, this.rActions), this.hAct, arg);

    const b = this.s.behaviour;
    let x = this.rActions() * rate;
    const msg = this.messageRate[cls]!;
    if ((x -= this.presenceRate) < 0) return this.presenceChange(u);
    if ((x -= this.mediaRate[cls]!) < 0) return this.sendMedia(u);
    const j = this.pickMembership(u);
    if (j < 0) return;
    const r = this.w.userRoom[j]!;
    if ((x -= msg) < 0) return this.sendMessage(u, j, r, 1);
    if ((x -= msg * b.editsPerMessage) < 0) return this.sendMessage(u, j, r, 2);
    if ((x -= msg * b.reactionsPerMessage) < 0) {
      this.persistAndFanOut(r, M['m.reaction'], K.reactionPduBytes, K.reactionPduBytes * 0.5, false);
      this.c.add(M['client.bytes_in'], this.sim.now, K.httpRequestBytes + 150);
      return;
    }
    this.persistAndFanOut(r, M['m.room.redaction'], K.reactionPduBytes, K.reactionPduBytes * 0.5, false);
    this.c.add(M['client.bytes_in'], this.sim.now, K.httpRequestBytes + 50);
  }

  /** A membership of u, picked by room activity; -1 when u is in no room. */
  private pickMembership(u: number): number {
    const w = this.w;
    const from = w.userRoomStart[u]!;
    const to = w.userRoomStart[u + 1]!;
    if (to === from) return -1;
    return searchCumulative(w.userRoomCumWeight, from, to, this.rActions() * w.userRoomCumWeight[to - 1]!);
  }

  /**
   * A text message (bodyFactor 1) or an edit (2: new content plus fallback).
   * Typing comes first, then the event, then the receipts of those reading.
   */
  private sendMessage(u: number, j: number, r: number, bodyFactor: number): void {
    const now = this.sim.now;
    const s = this.s;
    const encrypted = this.w.roomEncrypted[r] === 1;
    const body = this.messageBytes.sample(this.rActions) * bodyFactor + (this.rActions() < s.behaviour.replyShare ? 200 : 0);
    const cipherFactor = encrypted ? 4 / 3 : 1; // base64 of the Megolm ciphertext
    const extra = Math.max(0, body - 30) * cipherFactor;
    if (s.features.typing && s.behaviour.typingNotificationsPerMessage > 0) {
      // A whole number of notifications with the configured mean.
      const mean = s.behaviour.typingNotificationsPerMessage;
      const n = Math.floor(mean) + (this.rActions() < mean - Math.floor(mean) ? 1 : 0);
      if (n > 0) this.typing(r, n);
    }
    if (encrypted) this.megolmShare(u, j, r);
    this.persistAndFanOut(
      r,
      encrypted ? M['m.room.encrypted'] : M['m.room.message'],
      (encrypted ? K.encryptedPduBytes : K.pduBytes) + extra,
      (encrypted ? K.encryptedSyncEventBytes : K.syncEventBytes) + extra,
      false,
    );
    this.c.add(M['client.bytes_in'], now, K.httpRequestBytes + K.bodyEnvelopeBytes + body * cipherFactor);
    // Edits do not notify (spec push rule .m.rule.suppress_edits).
    if (bodyFactor === 1) this.pushFor(r, now);
    if (s.features.urlPreviews && this.rActions() < s.behaviour.urlPreviewShare && !encrypted) {
      this.c.add(M['url.preview'], now, 1);
      this.server.submit('urlPreview', 1, r);
      this.c.add(M['media.bytes_in'], now, K.urlPreviewBytesIn);
      this.addStorage(M['storage.url_previews'], now, K.urlPreviewStoredBytes);
    }
    this.receiptsFor(r, this.onlineUsers[r]! - 1);
  }

  private sendMedia(u: number): void {
    const j = this.pickMembership(u);
    if (j < 0) return;
    const now = this.sim.now;
    const s = this.s;
    const r = this.w.userRoom[j]!;
    const size = this.mediaBytes.sample(this.rActions);
    if (size > s.features.mediaMaxBytes) {
      this.c.add(M['media.rejected'], now, 1);
      return;
    }
    const image = this.rActions() < s.behaviour.media.imageShare;
    this.c.add(M['media.upload'], now, 1);
    this.server.submit('mediaUpload', size / MIB, u);
    if (image) this.server.submit('thumbnail', 1, u);
    this.c.add(M['media.bytes_in'], now, size);
    this.addStorage(M['storage.local_media'], now, size);
    if (image) this.addStorage(M['storage.thumbnails'], now, Math.min(size, K.thumbnailBytes));
    const encrypted = this.w.roomEncrypted[r] === 1;
    if (encrypted) this.megolmShare(u, j, r);
    this.persistAndFanOut(
      r,
      encrypted ? M['m.room.encrypted'] : M['m.room.message'],
      (encrypted ? K.encryptedPduBytes : K.pduBytes) + 250,
      (encrypted ? K.encryptedSyncEventBytes : K.syncEventBytes) + 250,
      false,
    );
    this.c.add(M['client.bytes_in'], now, K.httpRequestBytes * 2 + K.bodyEnvelopeBytes + 250);
    // Local members who look at it download it; each remote server fetches it once if its users do.
    const viewers = Math.max(0, this.onlineUsers[r]! - 1) * s.behaviour.media.viewShare;
    this.c.add(M['media.bytes_out'], now, viewers * size);
    this.server.submit('mediaDownload', (viewers * size) / MIB, r);
    const dests = this.w.roomDestStart[r + 1]! - this.w.roomDestStart[r]!;
    if (dests > 0) this.c.add(M['media.fed_bytes_out'], now, dests * s.behaviour.media.viewShare * size);
    this.pushFor(r, now);
    this.receiptsFor(r, this.onlineUsers[r]! - 1);
  }

  /**
   * Persist an event and fan it out: storage, /sync to every online device in
   * the room, one PDU to every remote server in the room.
   */
  private persistAndFanOut(r: number, type: number, pduBytes: number, syncBytes: number, isState: boolean): void {
    const now = this.sim.now;
    this.c.add(type, now, 1);
    this.persist(r, pduBytes, isState);
    // The send, its persistence and its delivery to the online devices, as one job.
    this.server.submit('send', this.onlineDevices[r]!, r);
    this.deliverToRoom(r, syncBytes, true, false);
    const fed = this.fed;
    if (fed) {
      const w = this.w;
      for (let x = w.roomDestStart[r]!; x < w.roomDestStart[r + 1]!; x++) fed.enqueuePdu(w.roomDest[x]!, r, pduBytes);
    }
  }

  private persist(r: number, pduBytes: number, isState: boolean): void {
    const now = this.sim.now;
    this.roomEvents[r]!++;
    this.persistedSinceTick++;
    this.addStorage(M['storage.event_json'], now, pduBytes);
    this.addStorage(M['storage.event_rows'], now, K.eventRowBytes + K.eventAuxiliaryBytes);
    if (isState) this.stateChange(r);
  }

  /** A state change: a delta state group, and a full snapshot every 100 changes. */
  private stateChange(r: number): void {
    const now = this.sim.now;
    const n = ++this.stateChanges[r]!;
    let bytes = K.stateGroupHeaderBytes + K.stateGroupRowBytes;
    if (n % K.stateSnapshotInterval === 0) bytes += this.w.roomStateSize[r]! * K.stateGroupRowBytes;
    this.addStorage(M['storage.state_groups'], now, bytes);
  }

  /**
   * Deliver something to every online device in room r through /sync. A device
   * whose long-poll was answered for this room less than a re-poll ago gets it
   * in the response to its next request, so no extra response is counted.
   */
  private deliverToRoom(r: number, bytesPerDevice: number, wakes: boolean, chargeServer = true): void {
    const devices = this.onlineDevices[r]!;
    if (devices === 0) return;
    const now = this.sim.now;
    this.c.add(M['client.sync_deliveries'], now, devices);
    this.c.add(M['client.bytes_out'], now, devices * bytesPerDevice);
    if (wakes && now - this.lastWake[r]! >= K.syncRepollSeconds) {
      this.lastWake[r] = now;
      this.wake(devices, r, chargeServer);
    }
  }

  /**
   * `devices` long-polls answered: a response now and a new request. The sync
   * workers' CPU is charged here unless the caller's own job already carries it.
   */
  private wake(devices: number, shard: number, chargeServer = true): void {
    const now = this.sim.now;
    this.newsSinceTick += devices;
    if (chargeServer) this.server.submit('syncNews', devices, shard);
    this.c.add(M['client.sync_responses'], now, devices);
    this.c.add(M['client.bytes_out'], now, devices * K.httpResponseOverheadBytes);
    this.c.add(M['client.bytes_in'], now, devices * K.httpRequestBytes);
  }

  /**
   * Push notifications: default push rules notify every message in a
   * two-member room and mentions elsewhere (spec push rules
   * .m.rule.room_one_to_one, .m.rule.is_user_mention); Synapse pushes to every
   * pusher of the notified users whether or not they are online.
   */
  private pushFor(r: number, now: number, fromRemote = false): void {
    // The recipients' own servers push to them: only local recipients count here.
    const local = this.w.roomLocalMembers[r]!;
    const members = local + this.w.roomRemoteMembers[r]!;
    const localRecipients = fromRemote ? local : local - 1;
    if (localRecipients <= 0) return;
    const notified = members === 2 ? 1 : members > 2 ? this.s.behaviour.mentionShare * (localRecipients / (members - 1)) : 0;
    const pushes = notified * this.mobileDevicesPerUser;
    if (pushes > 0) {
      this.server.submit('push', pushes, r);
      this.c.add(M['push.notifications'], now, pushes);
      this.c.add(M['push.bytes'], now, pushes * K.pushRequestBytes);
    }
  }

  private typing(r: number, notifications: number): void {
    const now = this.sim.now;
    this.c.add(M['m.typing'], now, notifications);
    this.server.submit('typing', notifications, r);
    this.deliverToRoom(r, K.typingEduBytes * notifications, true);
    const fed = this.fed;
    if (fed) {
      const w = this.w;
      for (let x = w.roomDestStart[r]!; x < w.roomDestStart[r + 1]!; x++) fed.enqueueTyping(w.roomDest[x]!, notifications);
    }
  }

  /** Read receipts from the local members who have the room open. */
  private receiptsFor(r: number, readersOnline: number): void {
    if (!this.s.features.readReceipts || readersOnline <= 0) return;
    const readers = binomial(readersOnline, this.s.behaviour.readReceiptShare, this.rActions);
    if (readers === 0) return;
    const now = this.sim.now;
    this.c.add(M['m.receipt'], now, readers);
    this.server.submit('receipt', readers, r);
    this.c.add(M['client.bytes_in'], now, readers * (K.httpRequestBytes + 60));
    this.deliverToRoom(r, readers * K.receiptEduBytes, true);
    this.addReceiptRows(readers, now);
    const fed = this.fed;
    if (fed) {
      const w = this.w;
      for (let i = 0; i < readers; i++) {
        for (let x = w.roomDestStart[r]!; x < w.roomDestStart[r + 1]!; x++) fed.enqueueReceipt(w.roomDest[x]!, r);
      }
    }
  }

  /** Receipt rows are upserted per (room, user): new rows saturate towards the memberships. */
  private addReceiptRows(receipts: number, now: number): void {
    if (this.receiptRowsMax <= 0) return;
    const fresh = receipts * Math.max(0, 1 - this.receiptRows / this.receiptRowsMax);
    this.receiptRows += fresh;
    this.addStorage(M['storage.receipts'], now, fresh * K.receiptRowBytes);
  }

  /**
   * Megolm: the sender's outbound session in this room is rotated on first
   * use, every 100 messages, weekly, and after membership or device changes;
   * each rotation sends the key to every other device in the room.
   */
  private megolmShare(u: number, j: number, r: number): void {
    const now = this.sim.now;
    const w = this.w;
    const sent = this.megolmSent[j]!;
    const rotate =
      sent === 0 ||
      sent >= K.megolmRotationMessages ||
      now - this.megolmStart[j]! >= K.megolmRotationSeconds ||
      this.megolmEpoch[j] !== this.roomEpoch[r];
    if (!rotate) {
      this.megolmSent[j] = sent + 1;
      return;
    }
    this.megolmSent[j] = 1;
    this.megolmStart[j] = now;
    this.megolmEpoch[j] = this.roomEpoch[r]!;
    const localRecipients = Math.max(0, w.roomLocalDevices[r]! - 1);
    const remoteRecipients = w.roomRemoteMembers[r]! * this.s.population.devicesPerUser;
    this.c.add(M['m.room_key'], now, localRecipients + remoteRecipients);
    this.server.submit('toDevice', localRecipients + remoteRecipients, u);
    this.c.add(M['client.bytes_in'], now, K.httpRequestBytes + (localRecipients + remoteRecipients) * K.toDeviceMessageBytes);
    // Local recipients get their keys through /sync now or when they come back.
    this.c.add(M['client.bytes_out'], now, localRecipients * K.toDeviceMessageBytes);
    this.c.add(M['client.sync_deliveries'], now, localRecipients);
    const fed = this.fed;
    if (fed) {
      const from = w.roomDestStart[r]!;
      const to = w.roomDestStart[r + 1]!;
      if (to > from) {
        const bytesPerDest = (remoteRecipients / (to - from)) * K.toDeviceMessageBytes;
        for (let x = from; x < to; x++) fed.enqueueToDevice(w.roomDest[x]!, bytesPerDest);
      }
    }
  }

  // --- Presence --------------------------------------------------------------------

  /** A local user's presence changed: local users and remote servers sharing a room hear of it. */
  private presenceChange(u: number): void {
    if (!this.s.features.presence) return;
    const now = this.sim.now;
    const w = this.w;
    this.c.add(M['m.presence'], now, 1);
    let devices = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) devices += this.onlineDevices[w.userRoom[j]!]!;
    // Overlapping rooms count a device once: bound by the devices online.
    devices = Math.min(devices, this.totalOnlineDevices);
    if (devices > 0) {
      this.c.add(M['client.sync_deliveries'], now, devices);
      this.c.add(M['client.bytes_out'], now, devices * K.presenceEduBytes);
      this.wake(devices, u);
    }
    this.presenceToRemote(u);
  }

  /** Presence work on the server (the presence writer) and to every remote server sharing a room. */
  private presenceToRemote(u: number): void {
    this.server.submit('presence', this.w.userDestStart[u + 1]! - this.w.userDestStart[u]!, u);
    const fed = this.fed;
    if (!fed) return;
    const w = this.w;
    for (let x = w.userDestStart[u]!; x < w.userDestStart[u + 1]!; x++) fed.enqueuePresence(w.userDest[x]!, u);
  }

  // --- Occasional local events ----------------------------------------------------------

  /** A display-name or avatar change: a member event in every room of the user. */
  private profileChange(): void {
    this.again(this.hProfile, (this.w.users * this.s.behaviour.profileChangesPerUserPerMonth) / SECONDS_PER_MONTH);
    const w = this.w;
    const u = Math.floor(this.rMisc() * w.users);
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      this.persistAndFanOut(w.userRoom[j]!, M['m.room.member'], K.stateEventBytes, K.stateEventBytes * 0.6, true);
    }
    this.c.add(M['client.bytes_in'], this.sim.now, K.httpRequestBytes + 100);
  }

  /**
   * A new login: device-list updates to every server sharing a room, local
   * users re-query keys, and Megolm sessions in the user's encrypted rooms rotate.
   */
  private newDevice(): void {
    this.again(this.hDevice, (this.w.users * this.s.behaviour.newDevicesPerUserPerMonth) / SECONDS_PER_MONTH);
    const w = this.w;
    const now = this.sim.now;
    const u = Math.floor(this.rMisc() * w.users);
    this.c.add(M['m.device_list_update'], now, 1);
    let devices = 0;
    let rooms = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      devices += this.onlineDevices[r]!;
      rooms++;
      if (w.roomEncrypted[r]) this.roomEpoch[r]!++;
    }
    devices = Math.min(devices, this.totalOnlineDevices);
    this.c.add(M['client.bytes_out'], now, devices * K.deviceListUpdateBytes);
    this.c.add(M['client.sync_deliveries'], now, devices);
    // The new device's first sync: a gappy timeline per room.
    this.c.add(M['client.bytes_out'], now, rooms * (K.catchUpEventsPerRoom * K.syncEventBytes + K.bodyEnvelopeBytes));
    const dests = w.userDestStart[u + 1]! - w.userDestStart[u]!;
    this.server.submit('deviceList', dests, u);
    // Its first sync: one response carrying every room.
    this.server.submit('syncNews', rooms, u);
    // The new device's keys replace a retired device's; the pokes are the growth.
    this.addStorage(M['storage.device_lists'], now, dests * K.devicePokeRowBytes);
    const fed = this.fed;
    if (fed) for (let x = w.userDestStart[u]!; x < w.userDestStart[u + 1]!; x++) fed.enqueueDeviceList(w.userDest[x]!, u);
  }

  /** A join or leave: a member state event, and encrypted rooms rotate their sessions. */
  private membershipChange(): void {
    this.again(this.hMembership, (this.w.users * this.s.behaviour.membershipChangesPerUserPerMonth) / SECONDS_PER_MONTH);
    const w = this.w;
    const u = Math.floor(this.rMisc() * w.users);
    const from = w.userRoomStart[u]!;
    const to = w.userRoomStart[u + 1]!;
    if (to === from) return;
    const r = w.userRoom[from + Math.floor(this.rMisc() * (to - from))]!;
    if (w.roomEncrypted[r]) this.roomEpoch[r]!++;
    this.persistAndFanOut(r, M['m.room.member'], K.stateEventBytes, K.stateEventBytes * 0.6, true);
  }

  // --- Remote activity ------------------------------------------------------------------

  /** Count one inbound PDU or EDU from `origin`, batching into the origin's transaction in flight. */
  private inbound(origin: number, bytes: number, pdus: number, edus: number): void {
    const now = this.sim.now;
    if (now >= this.inboundBusyUntil[origin]!) {
      this.c.add(M['fed.in.transactions'], now, 1);
      bytes += K.transactionOverheadBytes;
      this.inboundBusyUntil[origin] = now + 2 * (this.fed ? this.fed.latencySeconds[origin]! : 0) + 0.1;
    }
    this.c.add(M['fed.in.bytes'], now, bytes);
    this.server.submit('fedIn', pdus + 0.1 * edus, origin);
    if (pdus) this.server.countPersisted(pdus);
    if (pdus) this.c.add(M['fed.in.pdus'], now, pdus);
    if (edus) this.c.add(M['fed.in.edus'], now, edus);
  }

  private pickRoom(cum: Float64Array): number {
    return searchCumulative(cum, 0, cum.length, this.rRemote() * cum[cum.length - 1]!);
  }

  private originOf(r: number): number {
    const w = this.w;
    const from = w.roomDestStart[r]!;
    const n = w.roomDestStart[r + 1]! - from;
    return w.roomDest[from + Math.floor(this.rRemote() * n)]!;
  }

  /** A remote user's message in a shared room. */
  private remoteMessage(): void {
    this.again(this.hRemoteMessage, this.remoteMessageCum[this.remoteMessageCum.length - 1]!);
    const r = this.pickRoom(this.remoteMessageCum);
    const w = this.w;
    const s = this.s;
    const now = this.sim.now;
    const origin = this.originOf(r);
    const encrypted = w.roomEncrypted[r] === 1;
    const extra = Math.max(0, this.messageBytes.sample(this.rRemote) - 30) * (encrypted ? 4 / 3 : 1);
    const pduBytes = (encrypted ? K.encryptedPduBytes : K.pduBytes) + extra;
    // Remote typing and the remote readers' receipts come with it.
    const typing = s.features.typing ? s.behaviour.typingNotificationsPerMessage : 0;
    const remoteReaders = s.features.readReceipts
      ? binomial(Math.round(w.roomRemoteMembers[r]! * s.federation.remoteOnlineShare), s.behaviour.readReceiptShare, this.rRemote)
      : 0;
    this.inbound(origin, pduBytes + typing * K.typingEduBytes + remoteReaders * K.receiptEduBytes, 1, Math.ceil(typing) + Math.min(remoteReaders, 1));
    this.c.add(M['remote.message'], now, 1);
    this.persist(r, pduBytes, false);
    this.deliverToRoom(r, (encrypted ? K.encryptedSyncEventBytes : K.syncEventBytes) + extra, true);
    if (typing) this.deliverToRoom(r, typing * K.typingEduBytes, false);
    if (remoteReaders) {
      this.deliverToRoom(r, remoteReaders * K.receiptEduBytes, false);
      this.addReceiptRows(remoteReaders, now);
    }
    this.pushFor(r, now, true);
    if (encrypted && this.rRemote() < 1 / K.megolmRotationMessages) {
      // The sender rotated: one room key for each of our devices in the room.
      const keys = w.roomLocalDevices[r]!;
      this.inbound(origin, keys * K.toDeviceMessageBytes, 0, 1);
      this.c.add(M['client.bytes_out'], now, keys * K.toDeviceMessageBytes);
      this.c.add(M['client.sync_deliveries'], now, keys);
    }
    if (this.rRemote() < this.remoteMediaShare) {
      // Remote media: fetched once if a local member looks at it, then cached.
      const viewers = this.onlineUsers[r]! * s.behaviour.media.viewShare;
      if (viewers > 0 && this.rRemote() < 1 - Math.pow(1 - s.behaviour.media.viewShare, this.onlineUsers[r]!)) {
        const size = Math.min(this.mediaBytes.sample(this.rRemote), s.features.mediaMaxBytes);
        this.c.add(M['media.fed_bytes_in'], now, size);
        this.c.add(M['media.bytes_in'], now, size);
        this.addStorage(M['storage.remote_media'], now, size);
        this.server.submit('mediaDownload', size / MIB, r);
        if (this.rRemote() < s.behaviour.media.imageShare) {
          this.addStorage(M['storage.thumbnails'], now, Math.min(size, K.thumbnailBytes));
          this.server.submit('thumbnail', 1, r);
        }
        this.c.add(M['media.bytes_out'], now, viewers * size);
      }
    }
    this.receiptsFor(r, this.onlineUsers[r]!);
  }

  /** A remote member joins, leaves or changes profile: a state event from elsewhere. */
  private remoteChurn(): void {
    const cum = this.remoteMemberCum;
    this.again(this.hRemoteChurn, (cum[cum.length - 1]! * this.s.federation.remoteMemberChurnPerDay) / 86400);
    const r = this.pickRoom(cum);
    this.inbound(this.originOf(r), K.stateEventBytes, 1, 0);
    this.c.add(M['remote.state'], this.sim.now, 1);
    // A membership change: senders' Megolm sessions in the room rotate.
    if (this.w.roomEncrypted[r]) this.roomEpoch[r]!++;
    this.persist(r, K.stateEventBytes, true);
    this.deliverToRoom(r, K.stateEventBytes * 0.6, true);
  }

  /** A remote user's presence update reaching the local users who share a room. */
  private remotePresence(): void {
    const cum = this.remoteMemberCum;
    const perRemoteMember = this.s.federation.remoteOnlineShare * (1 / K.presenceResendSeconds + this.presenceRate);
    this.again(this.hRemotePresence, cum[cum.length - 1]! * perRemoteMember);
    const r = this.pickRoom(cum);
    this.inbound(this.originOf(r), K.presenceEduBytes, 0, 1);
    const devices = this.onlineDevices[r]!;
    if (devices > 0) {
      const now = this.sim.now;
      this.c.add(M['client.sync_deliveries'], now, devices);
      this.c.add(M['client.bytes_out'], now, devices * K.presenceEduBytes);
      this.wake(devices, r);
    }
  }

  /**
   * A local user joins a big remote room: the room's state and its auth chain
   * are downloaded and stored, and a snapshot state group is written.
   */
  private publicRoomJoin(): void {
    this.again(this.hPublicJoin, this.s.federation.publicRoomJoinsPerDay / 86400);
    const r = this.hostedRemotely[Math.floor(this.rRemote() * this.hostedRemotely.length)]!;
    const now = this.sim.now;
    const events = this.w.roomStateSize[r]! * K.authChainFactor;
    const bytes = events * K.stateEventBytes;
    this.largestJoin = Math.max(this.largestJoin, events);
    this.server.submit('fedJoin', events, r);
    this.c.add(M['fed.in.bytes'], now, bytes);
    this.c.add(M['fed.in.state_bytes'], now, bytes);
    this.addStorage(M['storage.event_json'], now, bytes);
    this.addStorage(M['storage.event_rows'], now, events * (K.eventRowBytes + K.eventAuxiliaryBytes));
    this.addStorage(M['storage.state_groups'], now, this.w.roomStateSize[r]! * K.stateGroupRowBytes);
  }

  // --- End of run ------------------------------------------------------------------------

  finish(): ReplicationResult {
    const now = this.sim.now;
    this.onlineDevicesSeries.finish(now);
    this.onlineUsersSeries.finish(now);
    if (this.fed) this.backlogSeries.set(now, this.fed.backlogPdus());
    this.backlogSeries.finish(now);
    const onlineDevices = this.onlineDevicesSeries.means().map((x) => (Number.isNaN(x) ? 0 : x));
    const onlineUsers = this.onlineUsersSeries.means().map((x) => (Number.isNaN(x) ? 0 : x));
    const binSeconds = this.s.run.binMinutes * 60;

    // Long-polls that time out: with news arriving at rate r per device, a poll
    // of timeout T expires floor(gap / T) times per gap; for Poisson news the
    // expected rate of time-outs is r e^{-rT} / (1 - e^{-rT}) (-> 1/T as r -> 0).
    const T = K.syncTimeoutSeconds;
    const news = this.c.series(M['client.sync_responses']);
    const syncTimeouts = new Float64Array(onlineDevices.length);
    for (let b = 0; b < onlineDevices.length; b++) {
      const deviceSeconds = onlineDevices[b]! * binSeconds;
      if (deviceSeconds <= 0) continue;
      const rate = news[b]! / deviceSeconds;
      const perSecond = rate > 1e-12 ? (rate * Math.exp(-rate * T)) / (1 - Math.exp(-rate * T)) : 1 / T;
      syncTimeouts[b] = deviceSeconds * perSecond;
      const t = b * binSeconds;
      this.c.add(M['client.bytes_out'], t, syncTimeouts[b]! * K.httpResponseOverheadBytes);
      this.c.add(M['client.bytes_in'], t, syncTimeouts[b]! * K.httpRequestBytes);
    }

    const w = this.w;
    let activeRooms = 0;
    for (let r = 0; r < w.rooms; r++) if (this.roomEvents[r]! > 0) activeRooms++;
    let encryptedRooms = 0;
    let stateRows = 0;
    for (let r = 0; r < w.rooms; r++) {
      encryptedRooms += w.roomEncrypted[r]!;
      stateRows += w.roomStateSize[r]!;
    }
    let devices = 0;
    for (let u = 0; u < w.users; u++) devices += w.userDevices[u]!;
    const baseStorage = Object.fromEntries(STORAGE_CATEGORIES.map((c) => [c, 0])) as Record<StorageCategory, number>;
    baseStorage.event_json = stateRows * K.stateEventBytes;
    baseStorage.event_rows = stateRows * (K.eventRowBytes + K.eventAuxiliaryBytes) + w.users * K.userRowBytes;
    baseStorage.state_groups = stateRows * K.stateGroupRowBytes;
    baseStorage.device_lists = devices * K.deviceKeysBytes;

    const fed = this.fed;
    let down = 0;
    let slow = 0;
    if (fed) for (let x = 0; x < w.remoteServers; x++) fed.status[x] === 2 ? down++ : fed.status[x] === 1 ? slow++ : 0;
    return {
      seed: String(this.sim.seed),
      simulatedSeconds: now,
      events: this.sim.eventsProcessed,
      counters: this.c,
      onlineDevices,
      onlineUsers,
      syncTimeouts,
      federationBacklog: this.backlogSeries.maxes().map((x) => (Number.isFinite(x) ? x : 0)),
      federationLatency: fed ? fed.deliveryLatency : new QuantileSketch(),
      maxPdusPerTransaction: fed?.maxPdusInTransaction ?? 0,
      maxEdusPerTransaction: fed?.maxEdusInTransaction ?? 0,
      overlappingTransactions: fed?.overlappingTransactions ?? 0,
      destinationsReached: fed?.destinationsReached ?? 0,
      destinationsDown: down,
      destinationsSlow: slow,
      undeliveredPdus: fed?.backlogPdus() ?? 0,
      baseStorage,
      receiptStorageCap: this.receiptRowsMax * K.receiptRowBytes,
      constantRateStorage: Object.fromEntries(STORAGE_CATEGORIES.map((c) => [c, this.constantStorage[M[`storage.${c}`]]!])) as Record<StorageCategory, number>,
      peakOnlineShare: Math.min(1, maxOf(onlineUsers) / w.users),
      server: this.server.finish(),
      activeRooms,
      largestJoinStateEvents: this.largestJoin,
      world: {
        users: w.users,
        rooms: w.rooms,
        memberships: w.userRoom.length,
        remoteServers: w.remoteServers,
        encryptedRooms,
      },
    };
  }
}
