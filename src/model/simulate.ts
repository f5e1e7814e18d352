/**
 * One replication of a scenario: a pure function of (normalized scenario,
 * seed, homeserver). Users come online along the rhythm, act while online,
 * and every act becomes events persisted here, delivered to online devices
 * through /sync, pushed to phones and fanned out to every remote server in
 * the room through the per-destination federation queues. Remote users'
 * activity arrives in transactions and is delivered the same way. Storage is
 * counted as it grows.
 *
 * The shared state is a `ReplicationState` (state.ts); each mechanism is one
 * module of mechanisms/, listed in mechanisms/index.ts. Follow one message:
 * mechanisms/messaging.ts `act` -> `sendMessage` -> `persistAndFanOut`
 * (state.ts: storage, /sync deliveries, one PDU per remote server) ->
 * FederationSender (federation.ts, transactions) -> Counters (metrics.ts) ->
 * summary (src/analysis/summarize.ts).
 */
import { maxOf } from '../engine/array.js';
import type { RandomSource } from '../engine/random.js';
import { Simulation } from '../engine/simulation.js';
import { QuantileSketch } from '../engine/quantile-sketch.js';
import type { Scenario } from '../scenario/grammar.js';
import { K } from './coefficients.js';
import type { Homeserver, ServerResult, WorldShape } from './homeserver.js';
import { buildMechanisms, startMechanisms } from './mechanisms/index.js';
import type { IncidentRecord } from './mechanisms/incidents.js';
import type { CallsResult } from './mechanisms/calls.js';
import { Counters, M, WRITTEN_STORAGE_CATEGORIES, type WrittenStorageCategory } from './metrics.js';
import { buildRhythm } from './rhythm.js';
import { ReplicationState, type CopyPlan } from './state.js';
export type { CopyPlan };
import { baseStorage } from './tables.js';
import { newTrustCounters, usersVisible, type TrustBoundaryResult } from './trust-boundary.js';
import { buildWorld } from './world.js';

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
  /** Storage present before the run: room state, users, devices, the user directory and sliding-sync tables (src/model/tables.ts). */
  baseStorage: Record<WrittenStorageCategory, number>;
  /** Of baseStorage, what grows with the square of the users over the horizon. */
  baseStorageQuadratic: Record<WrittenStorageCategory, number>;
  /** Receipt storage once every (room, member) pair has a receipt row, bytes. */
  receiptStorageCap: number;
  /** Storage written by processes without a daily rhythm (remote traffic, profile and device changes), bytes per category. */
  constantRateStorage: Record<WrittenStorageCategory, number>;
  /** Storage written once during the run (scheduled joins of big rooms), bytes per category; also in `baseStorage`. */
  oneOffStorage: Record<WrittenStorageCategory, number>;
  /** Largest share of users online at once (bin averages). */
  peakOnlineShare: number;
  /** The world: its counts, and per room kind (in rooms.kinds order) its rooms and the events persisted in them during the run, all and in unencrypted rooms, and those indexed for search. */
  world: {
    users: number;
    rooms: number;
    memberships: number;
    remoteServers: number;
    encryptedRooms: number;
    kinds: { rooms: number; unencryptedRooms: number; events: number; unencryptedEvents: number; indexedEvents: number }[];
  };
  /** The homeserver's processes, database and latencies. */
  server: ServerResult;
  /** Rooms with at least one event during the run (for the caches' working set). */
  activeRooms: number;
  /** State entries (members and other state) of those rooms. */
  activeRoomStateEntries: number;
  /** Most events a join may download (state and auth chain of the largest room local users join; 0 when none). */
  largestJoinStateEvents: number;
  /** The timeline's incidents as they happened, with their windows (mechanisms/incidents.ts); empty without a timeline. */
  incidents: IncidentRecord[];
  /** Local sends completed outside every incident window, s (all of them without a timeline). */
  baselineSendLatency: QuantileSketch;
  /**
   * The same windows in the same replication without the incidents (same
   * seed, the incidents recorded but inert: src/analysis/replicate.ts), for
   * comparison; empty when the run was itself that baseline or has no timeline.
   */
  incidentBaselines: IncidentRecord[];
  /** What the calls left for the summary (mechanisms/calls.ts); null when calls are off. */
  calls: CallsResult | null;
  /** What was queued for each remote server, by kind, and the local users each can see (trust-boundary.ts). */
  trustBoundary: TrustBoundaryResult;
}

/** How to run a replication. */
export interface ReplicationOptions {
  /** Per incident of the timeline (by index), a restore's plan. */
  copyPlans?: (CopyPlan | undefined)[];
  /** Record the timeline's windows but let its incidents do nothing (the baseline of a run with incidents). */
  incidentsInert?: boolean;
}

/** Builds the homeserver of a scenario on a simulation, with its own random stream. */
export type HomeserverFactory = (sim: Simulation, s: Scenario, rng: RandomSource, horizonSeconds: number, world: WorldShape) => Homeserver;

/**
 * Simulate one replication of `s` with `seed` on the homeserver `createServer`
 * builds. `onProgress` (0..1) is called after each simulated hour; running in
 * hourly steps changes nothing in the results.
 */
export function simulateReplication(
  s: Scenario,
  seed: string,
  createServer: HomeserverFactory,
  onProgress?: (fraction: number) => void,
  options: ReplicationOptions = {},
): ReplicationResult {
  // 1. The simulation, the world and the rhythm.
  const sim = new Simulation(seed);
  const horizon = s.run.days * 86400;
  const counters = new Counters(s.run.binMinutes * 60, horizon);
  const world = buildWorld(s, sim.random('world'), (k) => sim.random(`world/rooms/${k}`), sim.random('world/clients'));
  const rhythm = buildRhythm(s);
  // 2. The homeserver and the shared state, then every mechanism.
  const server = createServer(sim, s, sim.random('server'), horizon, { roomsPerUser: world.users > 0 ? world.userRoom.length / world.users : 0 });
  const st = new ReplicationState(s, sim, world, rhythm, counters, server);
  st.incidentsInert = options.incidentsInert === true;
  st.copyPlans = options.copyPlans ?? [];
  st.m = buildMechanisms(st);
  startMechanisms(st.m);
  // 3. Run to the horizon.
  if (onProgress) {
    for (let t = 3600; t < horizon; t += 3600) {
      sim.run(t);
      onProgress(t / horizon);
    }
  }
  sim.run(horizon);
  // 4. What was measured.
  return finish(st);
}

function finish(st: ReplicationState): ReplicationResult {
  const { sim, w, fed } = st;
  const { onlineDevices, onlineUsers, syncTimeouts } = st.m.sessions.finish();
  const federationBacklog = st.m.federationBacklog.finish();
  let activeRooms = 0;
  let activeRoomStateEntries = 0;
  let encryptedRooms = 0;
  const kinds = st.s.rooms.kinds.map((_, k) => ({ rooms: 0, unencryptedRooms: 0, events: 0, unencryptedEvents: 0, indexedEvents: st.m.search.indexedByKind[k]! }));
  for (let r = 0; r < w.rooms; r++) {
    if (st.roomEvents[r]! > 0) {
      activeRooms++;
      activeRoomStateEntries += w.roomStateSize[r]!;
    }
    encryptedRooms += w.roomEncrypted[r]!;
    const k = kinds[w.roomKind[r]!]!;
    k.rooms++;
    k.events += st.roomEvents[r]!;
    if (w.roomEncrypted[r] === 0) {
      k.unencryptedRooms++;
      k.unencryptedEvents += st.roomEvents[r]!;
    }
  }
  const base = baseStorage(st.s, w);
  // What a scheduled join wrote is there from then on: with the base, not a daily rate.
  const oneOffStorage = Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, st.m.joins.oneOffStorage[M[`storage.${c}`]] ?? 0])) as Record<WrittenStorageCategory, number>;
  for (const c of WRITTEN_STORAGE_CATEGORIES) base.bytes[c] += oneOffStorage[c];

  let down = 0;
  let slow = 0;
  if (fed) {
    for (let x = 0; x < w.remoteServers; x++) {
      if (fed.status[x] === 2) down++;
      else if (fed.status[x] === 1) slow++;
    }
  }
  return {
    seed: String(sim.seed),
    simulatedSeconds: sim.now,
    events: sim.eventsProcessed,
    counters: st.c,
    onlineDevices,
    onlineUsers,
    syncTimeouts,
    federationBacklog,
    federationLatency: fed ? fed.deliveryLatency : new QuantileSketch(),
    maxPdusPerTransaction: fed?.maxPdusInTransaction ?? 0,
    maxEdusPerTransaction: fed?.maxEdusInTransaction ?? 0,
    overlappingTransactions: fed?.overlappingTransactions ?? 0,
    destinationsReached: fed?.destinationsReached ?? 0,
    destinationsDown: down,
    destinationsSlow: slow,
    undeliveredPdus: fed?.backlogPdus() ?? 0,
    baseStorage: base.bytes,
    baseStorageQuadratic: base.quadraticBytes,
    receiptStorageCap: st.m.receipts.rowsMax * K.receiptRowBytes,
    constantRateStorage: Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, st.constantStorage[M[`storage.${c}`]] ?? 0])) as Record<WrittenStorageCategory, number>,
    oneOffStorage,
    peakOnlineShare: Math.min(1, maxOf(onlineUsers) / w.users),
    server: st.server.finish(),
    activeRooms,
    activeRoomStateEntries,
    largestJoinStateEvents: st.m.joins.largestJoinEvents,
    incidents: st.m.incidents.finish(),
    baselineSendLatency: st.m.incidents.baselineSendLatency,
    incidentBaselines: [],
    calls: st.m.calls.finish(),
    trustBoundary: { ...(fed ? fed.trust : newTrustCounters(w.remoteServers)), ...usersVisible(w.remoteServers, w.userDestStart, w.userDest) },
    world: { users: w.users, rooms: w.rooms, memberships: w.userRoom.length, remoteServers: w.remoteServers, encryptedRooms, kinds },
  };
}
