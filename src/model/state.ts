/**
 * The state every mechanism of one replication shares: the scenario, the
 * simulation, the world, the counters, the homeserver and the federation
 * sender, the random streams, who is online in each room, and the fan-out
 * helpers that turn one act into storage, /sync deliveries and PDUs.
 *
 * A mechanism (src/model/mechanisms/) keeps its own state and reads this one;
 * what two or more mechanisms read or write lives here.
 */
import * as d from '../engine/distributions.js';
import type { RandomSource } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import type { Scenario } from '../scenario/grammar.js';
import { searchCumulative } from '../numeric/search-cumulative.js';
import { K } from './coefficients.js';

/** A protected room's send waits this long for the policy server's answer, s. */
const POLICY_CHECK_WAIT_SECONDS = K.policyCheckWaitMs / 1000;
import { FederationSender } from './federation.js';
import type { Homeserver } from './homeserver.js';
import { Counters, M, METRICS } from './metrics.js';
import type { Rhythm } from './rhythm.js';
import { toDistribution, type World } from './world.js';
import { PDU_ENCRYPTED, PDU_OTHER, PDU_PLAINTEXT, PDU_STATE, type PduKind } from './trust-boundary.js';
import type { Mechanisms } from './mechanisms/index.js';

/** A restore's or a backup's duration and what it copies, worked out from the storage of the baseline run (src/analysis/replicate.ts). */
export interface CopyPlan {
  seconds: number;
  /** Of which copying the database (a backup's dump keeps one PostgreSQL backend busy that long). */
  databaseSeconds: number;
  databaseBytes: number;
  mediaBytes: number;
}

export class ReplicationState {
  readonly horizonSeconds: number;
  readonly binSeconds: number;
  readonly fed: FederationSender | null;

  // Random streams, one per concern (STYLE.md convention 2). Which stream a
  // draw comes from, and the order of draws on it, are part of the results.
  readonly rSessions: RandomSource;
  readonly rActions: RandomSource;
  readonly rRemote: RandomSource;
  readonly rMisc: RandomSource;
  /** The client mix of each session (which phones are in the foreground). */
  readonly rClients: RandomSource;
  /** Megolm sessions' state in steady state. */
  readonly rE2ee: RandomSource;
  /** Sliding-sync connections per Element X device. */
  readonly slidingConnections: number;

  // Per-room state.
  /** Local users online in each room, and their devices holding a sync connection (phones in the background hold none). */
  readonly onlineUsers: Int32Array;
  readonly onlineDevices: Int32Array;
  /** Of `onlineDevices`, those on Simplified Sliding Sync (the rest long-poll /sync v2). */
  readonly onlineSliding: Int32Array;
  /** Events persisted in each room so far (for catch-up syncs): whole counts far below 2^32. */
  readonly roomEvents: Uint32Array;
  /** 1 for a room a policy server protects: each event in it costs this server one request to it (persist). */
  readonly policyRoom: Uint8Array;
  /** Last time the room's long-polls were answered, s. */
  private readonly lastWake: Float64Array;
  /** State changes per room (for state-group snapshots). */
  private readonly stateChanges: Int32Array;
  /**
   * When a local user last sent an event, and a state event, into each room
   * with remote members (by `w.roomFedIndex`), s: what a remote event may
   * fork from (mechanisms/state-resolution.ts).
   */
  readonly lastLocalEventAt: Float64Array;
  readonly lastLocalStateAt: Float64Array;

  // Aggregates.
  totalOnlineDevices = 0;
  totalOnlineSliding = 0;
  /** Sliding-sync devices among those `devicesSharingRoomsWith` last counted. */
  sharedSliding = 0;
  totalOnlineUsers = 0;
  /** Rows written to the replication stream since the last replication tick (events, typing, receipts, presence, ...). */
  streamRowsSinceTick = 0;
  /** Long-polls woken with news since the last sync tick, before merging (see `responsesPerWake`). */
  newsSinceTick = 0;
  /**
   * /sync responses per wake-up: a device long-polls again only a re-poll
   * after each response, and the next response carries everything that
   * happened meanwhile. With wake-ups at rate r per device (Poisson) and a
   * dead time tau after each response, a device gets r / (1 + r tau)
   * responses a second (the non-paralysable dead-time counter, Knoll,
   * Radiation Detection and Measurement, 4th ed., §4.VII), so each wake-up
   * is 1 / (1 + r tau) of a response. Updated every sync tick from the
   * wake-ups of the last one (mechanisms/sessions.ts).
   */
  responsesPerWake = 1;

  /** True while handling a process that does not follow the daily rhythm (remote traffic, profile changes, ...). */
  private constantRate = false;
  /** Storage written by those processes, bytes per metric index. */
  readonly constantStorage = new Float64Array(METRICS.length);

  // Distributions shared by several mechanisms.
  readonly messageBytes: d.Distribution;
  readonly mediaBytes: d.Distribution;

  /** The mechanisms, filled in by `simulateReplication` once all are built. */
  m!: Mechanisms;
  /** The timeline's incidents are recorded but do nothing (the baseline of a run with incidents: mechanisms/incidents.ts). */
  incidentsInert = false;
  /**
   * This server is down (an `outage` incident): clients keep what their users
   * do and send it on return, remote servers keep what they send us, and
   * nothing reaches the processes meanwhile (mechanisms/incidents.ts).
   */
  down = false;
  /** Per incident of the timeline (by index): how long a restore takes and what it copies back (src/analysis/replicate.ts). */
  copyPlans: (CopyPlan | undefined)[] = [];
  /** While down: acts a user's client keeps for the return (the outage's keptActsPerUser). */
  keptActsPerUser = 0;
  /** While down: the constant-rate processes' calls that came (account changes, remote traffic), made again on return. */
  readonly deferredCalls: (() => void)[] = [];

  constructor(
    readonly s: Scenario,
    readonly sim: Simulation,
    readonly w: World,
    readonly rhythm: Rhythm,
    readonly c: Counters,
    readonly server: Homeserver,
  ) {
    this.horizonSeconds = s.run.days * 86400;
    this.binSeconds = s.run.binMinutes * 60;
    this.rSessions = sim.random('sessions');
    this.rActions = sim.random('actions');
    this.rRemote = sim.random('remote');
    this.rMisc = sim.random('misc');
    this.rClients = sim.random('clients');
    this.rE2ee = sim.random('e2ee');
    this.slidingConnections = K.slidingSyncConnectionsPerDevice;
    this.fed =
      w.remoteServers > 0
        ? new FederationSender(
            sim,
            c,
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
            server,
          )
        : null;
    this.onlineUsers = new Int32Array(w.rooms);
    this.onlineDevices = new Int32Array(w.rooms);
    this.onlineSliding = new Int32Array(w.rooms);
    this.lastWake = new Float64Array(w.rooms).fill(-Infinity);
    this.roomEvents = new Uint32Array(w.rooms);
    // Rooms a policy server protects (components.policyServer): its kinds, unencrypted (it cannot read encrypted events).
    const policy = s.components.policyServer;
    this.policyRoom = new Uint8Array(w.rooms);
    if (policy.enabled) {
      const kinds = s.rooms.kinds.map((k) => policy.roomKinds === null || policy.roomKinds.includes(k.name));
      for (let r = 0; r < w.rooms; r++) if (kinds[w.roomKind[r]!] && w.roomEncrypted[r] === 0) this.policyRoom[r] = 1;
    }
    this.stateChanges = new Int32Array(w.rooms);
    this.lastLocalEventAt = new Float64Array(w.fedRooms.length).fill(-Infinity);
    this.lastLocalStateAt = new Float64Array(w.fedRooms.length).fill(-Infinity);
    this.messageBytes = toDistribution(s.behaviour.messageBytes);
    this.mediaBytes = toDistribution(s.behaviour.media.bytes);
  }

  /** An exponential delay of `ratePerSecond`, s. */
  exp(ratePerSecond: number, rng: RandomSource): number {
    return -Math.log(1 - rng()) / ratePerSecond;
  }

  /**
   * A Poisson process of `ratePerSecond` that calls `fn` at each event; returns
   * the function that starts it (nothing when the rate is 0). Its times are
   * drawn from the 'misc' stream, the next one before `fn` runs. Storage that
   * `fn` writes is marked as written at a constant rate unless `rhythmic`.
   */
  poisson(ratePerSecond: number, fn: () => void, constantRate = true): () => void {
    const handler = this.sim.handler(() => {
      this.sim.schedule(this.exp(ratePerSecond, this.rMisc), handler, ratePerSecond);
      // While this server is down the call waits for its return (the client, or the remote server, retries).
      if (this.down) {
        this.deferredCalls.push(
          constantRate
            ? () => {
                this.constantRate = true;
                fn();
                this.constantRate = false;
              }
            : fn,
        );
        return;
      }
      if (!constantRate) return fn();
      this.constantRate = true;
      fn();
      this.constantRate = false;
    });
    return () => {
      if (ratePerSecond > 0) this.sim.schedule(this.exp(ratePerSecond, this.rMisc), handler, ratePerSecond);
    };
  }

  /** Count `amount` of a metric (its index, `M[id]`) now. */
  count(metric: number, amount: number): void {
    this.c.add(metric, this.sim.now, amount);
  }

  /** Count storage written now (metric index); remember what processes with a constant rate wrote. */
  addStorage(metric: number, bytes: number): void {
    this.c.add(metric, this.sim.now, bytes);
    if (this.constantRate) this.constantStorage[metric] = (this.constantStorage[metric] ?? 0) + bytes;
  }

  /** A membership of u, picked by room activity; -1 when u is in no room (or only in rooms not joined yet). Draws from 'actions'. */
  pickMembership(u: number): number {
    const w = this.w;
    const from = w.userRoomStart[u]!;
    const to = w.userRoomStart[u + 1]!;
    if (to === from || w.userRoomCumWeight[to - 1] === 0) return -1;
    return searchCumulative(w.userRoomCumWeight, from, to, this.rActions() * w.userRoomCumWeight[to - 1]!);
  }

  /** First and one-past-last index into `w.roomDest` of the remote servers in room r. */
  destinationsOf(r: number): [number, number] {
    return [this.w.roomDestStart[r]!, this.w.roomDestStart[r + 1]!];
  }

  /**
   * Persist an event and fan it out: storage, /sync to every online device in
   * the room, one PDU to every remote server in the room.
   */
  persistAndFanOut(r: number, type: number, pduBytes: number, syncBytes: number, isState: boolean): void {
    this.count(type, 1);
    this.markLocalEvent(r, isState);
    this.persist(r, pduBytes, isState);
    // The send, its persistence and its delivery to the online /sync v2 devices, as one job.
    // A protected room's send waits for the policy server's answer before it is persisted (MSC4284; persist() charges the request).
    const units = (this.onlineDevices[r]! - this.onlineSliding[r]!) * this.responsesPerWake;
    this.server.submit('send', units, r, 0, this.policyRoom[r] ? POLICY_CHECK_WAIT_SECONDS : 0);
    this.deliverToRoom(r, syncBytes, true, false);
    const fed = this.fed;
    if (fed) {
      const [from, to] = this.destinationsOf(r);
      const kind = this.pduKind(r, type, isState);
      for (let x = from; x < to; x++) fed.enqueuePdu(this.w.roomDest[x]!, r, pduBytes, kind);
    }
  }

  /**
   * What a remote server can read of an event of room r (trust-boundary.ts):
   * a reaction in an encrypted room is sent encrypted (its annotation key
   * stays in the cleartext relation, MSC2677, which is not counted apart).
   */
  private pduKind(r: number, type: number, isState: boolean): PduKind {
    if (isState) return PDU_STATE;
    if (type === M['m.room.encrypted']) return PDU_ENCRYPTED;
    if (type === M['m.room.message'] || type === M['m.reaction']) return this.w.roomEncrypted[r] === 1 ? PDU_ENCRYPTED : PDU_PLAINTEXT;
    return PDU_OTHER;
  }

  /** A local user's event (a state event when `isState`) in room r now: kept for a room with remote members only. */
  markLocalEvent(r: number, isState: boolean): void {
    const f = this.w.roomFedIndex[r]!;
    if (f < 0) return;
    this.lastLocalEventAt[f] = this.sim.now;
    if (isState) this.lastLocalStateAt[f] = this.sim.now;
  }

  /** Store an event of room r: its JSON and rows, and a state group when it is state. */
  persist(r: number, pduBytes: number, isState: boolean): void {
    this.roomEvents[r]!++;
    // A protected room's event is checked first: one HTTP request from this server (MSC4284; matrix-2026.md section 7.5).
    if (this.policyRoom[r]) this.server.submit('fedInTransaction', 1, r);
    this.streamRowsSinceTick++;
    this.addStorage(M['storage.eventJson'], pduBytes);
    this.addStorage(M['storage.eventRows'], K.eventRowBytes + K.eventAuxiliaryBytes);
    if (isState) this.stateChange(r);
  }

  /**
   * A state change: a delta state group, a full snapshot every 100 changes
   * (of the room's whole state, members who left included), and the event's
   * rows in the chain-cover index.
   */
  private stateChange(r: number): void {
    const n = ++this.stateChanges[r]!;
    let bytes = K.stateGroupHeaderBytes + K.stateGroupRowBytes;
    if (n % K.stateSnapshotInterval === 0) bytes += this.w.roomStateSize[r]! * K.stateGroupRowBytes;
    this.addStorage(M['storage.stateGroups'], bytes);
    this.addStorage(M['storage.authChains'], K.authChainBytesPerStateEvent);
  }

  /**
   * Deliver something to every online device in room r through /sync. A device
   * whose long-poll was answered for this room less than a re-poll ago gets it
   * in the response to its next request, so no extra response is counted.
   */
  deliverToRoom(r: number, bytesPerDevice: number, wakes: boolean, chargeV2 = true): void {
    const devices = this.onlineDevices[r]!;
    if (devices === 0) return;
    const now = this.sim.now;
    this.count(M['client.sync_deliveries'], devices);
    this.count(M['client.bytes_out'], devices * bytesPerDevice);
    if (wakes && now - this.lastWake[r]! >= K.syncRepollSeconds) {
      this.lastWake[r] = now;
      this.wake(devices, this.onlineSliding[r]!, r, chargeV2);
    }
  }

  /**
   * `devices` sync requests woken, `sliding` of them on Simplified Sliding
   * Sync: a response now and a new request. Each sliding-sync device has
   * `slidingConnections` connections and every one recomputes its response on
   * every wake-up (matrix-2026.md §1.2). The /sync v2 responses are charged
   * here unless the caller's own job already carries them (`chargeV2`).
   */
  wake(devices: number, sliding: number, shard: number, chargeV2 = true): void {
    this.newsSinceTick += devices;
    const v2 = (devices - sliding) * this.responsesPerWake;
    const sss = sliding * this.responsesPerWake * this.slidingConnections;
    if (chargeV2 && v2 > 0) this.server.submit('syncNews', v2, shard);
    if (sss > 0) this.server.submit('slidingSync', sss, shard);
    this.count(M['sync.v2_requests'], v2);
    this.count(M['sync.sliding_requests'], sss);
    this.count(M['client.sync_responses'], v2 + sss);
    this.count(M['client.bytes_out'], (v2 + sss) * K.httpResponseOverheadBytes);
    this.count(M['client.bytes_in'], (v2 + sss) * K.httpRequestBytes);
  }

  /**
   * Online devices in the rooms of user u, each counted once at most (bounded
   * by all devices online); the sliding-sync ones among them are left in
   * `sharedSliding`.
   */
  devicesSharingRoomsWith(u: number): number {
    const w = this.w;
    let devices = 0;
    let sliding = 0;
    for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]!; j++) {
      const r = w.userRoom[j]!;
      devices += this.onlineDevices[r]!;
      sliding += this.onlineSliding[r]!;
    }
    // Overlapping rooms count a device once: bound by the devices online.
    const bounded = Math.min(devices, this.totalOnlineDevices);
    this.sharedSliding = devices > 0 ? Math.min(this.totalOnlineSliding, (sliding * bounded) / devices) : 0;
    return bounded;
  }
}
