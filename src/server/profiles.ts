/**
 * Homeserver implementations as profiles: the operations the workload asks
 * of the server, what each costs in CPU, database and waiting time, and how
 * much memory the processes hold. Each cost has a typical value and a
 * low/high range carried through to the recommendation's band.
 *
 * No official per-operation CPU figure exists for any homeserver
 * (element-hq/synapse#6367 is still open). The Synapse costs are estimates
 * built from the mechanics and fitted to the few published measurements
 * (docs/MODEL.md, "Calibration"):
 * - the 2026 send benchmark (matrix-2026.md §6.4, bench): a Synapse monolith
 *   on 2 CPU does 52 sequential sends a second (19.2 ms each) and 108 with 10
 *   concurrent senders, so a send holds the process for at most 9.3 ms of CPU
 *   and waits about 7 ms on PostgreSQL round trips and commits;
 * - operators' access logs for /sync (matrix-2026.md §1.5, anecdote): 5-25 ms
 *   of CPU per response with news, growing with the rooms of the account;
 *   1-5 ms for an empty one;
 * - Element's replication figure (vendor): 25% of a worker's core at 40
 *   replication-stream rows a second.
 * Romeo and Juliet (2020) is no longer used to fit sends: its timer includes
 * registering, logging in and joining every character (two bcrypt hashes
 * each), about a third of Synapse's 106 s.
 *
 * The other implementations (matrix-2026.md §6) are Synapse's costs scaled,
 * operation by operation, so an operation added to synapseCost needs no
 * edit here:
 * - Dendrite, tuwunel and continuwuity: the send path (creating and
 *   persisting an event) by each one's own ratio to Synapse in the 2026
 *   benchmark, the only like-for-like measurement; every other cost (a
 *   send's deliveries included) by a factor no benchmark covers.
 * - Synapse Pro: Synapse's costs, but its Rust workers follow the
 *   replication stream at the vendor's figure, and share their caches
 *   (vendor claims, a choice and never a default).
 * conduwuit, archived, is accepted by the grammar and runs as tuwunel.
 */
import type { Coefficient } from '../model/coefficients.js';
import type { Op } from '../model/homeserver.js';
import { SERVER_COEFFICIENTS } from './server-coefficients.js';
import { MxsimError } from '../errors.js';
import type { Implementation, Scenario } from '../scenario/grammar.js';
import { OPS } from '../model/homeserver.js';

export { OPS, type Op } from '../model/homeserver.js';

/** Low and high values of a cost as multiples of its typical value. */
export interface Range {
  low: number;
  high: number;
}

export interface OpCost {
  /** CPU per operation, ms. */
  cpuMs: number;
  /** CPU per unit, ms. */
  cpuMsPerUnit: number;
  /** Database time per operation and per unit, ms. */
  dbMs: number;
  dbMsPerUnit: number;
  /** Time the request waits on neither CPU nor the database's cores (round trips, commits), ms; only with a separate PostgreSQL. */
  waitMs: number;
  /** Range of all the above. */
  range: Range;
}

/** Costs whose only source is our own estimate: half to one and a half times the typical value. */
const ESTIMATE: Range = { low: 0.5, high: 1.5 };
const op = (cpuMs: number, cpuMsPerUnit: number, dbMs: number, dbMsPerUnit: number, range: Range = ESTIMATE, waitMs = 0): OpCost => ({
  cpuMs,
  cpuMsPerUnit,
  dbMs,
  dbMsPerUnit,
  waitMs,
  range,
});

/**
 * CPU of one /sync v2 response with news, ms: a fixed part, a part per room
 * of the account (filtering, room list), and a part for the room with news
 * (matrix-2026.md §1.5 fitted: 3 + 0.03 x 300 rooms + 0.5 = 12.5 ms for a
 * personal account in 300 rooms, 4.1 ms for an enterprise account in 20).
 */
export function syncResponseCpuMs(roomsPerUser: number, band: 'low' | 'typical' | 'high' = 'typical'): number {
  const S = SERVER_COEFFICIENTS;
  const pick = (x: Coefficient, lo: number, hi: number) => (band === 'low' ? lo : band === 'high' ? hi : x.value);
  return pick(S.syncResponseBaseCpuMs, 2, 5) + pick(S.syncResponseCpuMsPerRoom, 0.01, 0.06) * roomsPerUser + pick(S.syncResponseCpuMsPerRoomWithNews, 0.2, 1);
}

/**
 * CPU of one Simplified Sliding Sync response, ms: the connection's lists are
 * recomputed over every room of the account (sorted by recency) on each
 * wake-up, whether or not the wake-up is for something the connection
 * returns (synapse handlers/sliding_sync/__init__.py:186-225; matrix-2026.md
 * §1.2). No published measurement compares it with /sync v2; estimated as v2's
 * fixed part plus the per-connection state lookup, and a heavier per-room part.
 */
export function slidingSyncResponseCpuMs(roomsPerUser: number, band: 'low' | 'typical' | 'high' = 'typical'): number {
  const S = SERVER_COEFFICIENTS;
  const pick = (x: Coefficient, lo: number, hi: number) => (band === 'low' ? lo : band === 'high' ? hi : x.value);
  return pick(S.slidingSyncBaseCpuMs, 2, 8) + pick(S.slidingSyncCpuMsPerRoom, 0.01, 0.08) * roomsPerUser + pick(S.syncResponseCpuMsPerRoomWithNews, 0.2, 1);
}

/** What the costs depend on in the world of a run. */
export interface CostContext {
  /** Rooms an average user is in. */
  roomsPerUser: number;
}

/** Synapse's costs per operation (Python, PostgreSQL), for a world. See the file header. */
function synapseCost(ctx: CostContext): Record<Op, OpCost> {
  const S = SERVER_COEFFICIENTS;
  const syncMs = syncResponseCpuMs(ctx.roomsPerUser);
  const syncRange = { low: syncResponseCpuMs(ctx.roomsPerUser, 'low') / syncMs, high: syncResponseCpuMs(ctx.roomsPerUser, 'high') / syncMs };
  const send = S.sendCpuMs;
  const slidingSyncMs = slidingSyncResponseCpuMs(ctx.roomsPerUser);
  const slidingRange = { low: slidingSyncResponseCpuMs(ctx.roomsPerUser, 'low') / slidingSyncMs, high: slidingSyncResponseCpuMs(ctx.roomsPerUser, 'high') / slidingSyncMs };
  return {
    // Creating and persisting the event, plus one /sync response per online device it reaches.
    send: op(send.value, syncMs, S.sendDbMs.value, 0, { low: 6 / send.value, high: 13 / send.value }, S.sendWaitMs.value),
    syncNews: op(0, syncMs, 0, S.syncResponseDbMs.value, syncRange),
    syncTimeout: op(0, S.syncEmptyResponseCpuMs.value, 0, 0, { low: 1 / S.syncEmptyResponseCpuMs.value, high: 5 / S.syncEmptyResponseCpuMs.value }),
    presence: op(1.5, 0.05, 0.5, 0),
    receipt: op(1, 2, 0, 1),
    typing: op(0, 0.5, 0, 0),
    toDevice: op(2, 0.2, 0.5, 0.1),
    deviceList: op(3, 0.1, 1, 0.2),
    mediaUpload: op(10, 2, 2, 0),
    // Five thumbnails with Pillow: decode once, resize and encode five times.
    thumbnail: op(0, 60, 0, 1),
    mediaDownload: op(1, 1, 0.3, 0),
    push: op(0, 2, 0, 0.5),
    fedOut: op(2, 0.2, 0.5, 0.1),
    // Per PDU; what a transaction costs whatever it carries is fedInTransaction.
    fedIn: op(0, 12, 0, 3),
    // A partial-state join returns early; the main process then fetches the whole state and auth chain.
    fedJoin: op(S.joinForegroundCpuMs.value, S.joinResyncCpuMsPerEvent.value, 10, 0.2, { low: 1 / S.joinResyncCpuMsPerEvent.value, high: 3.5 / S.joinResyncCpuMsPerEvent.value }),
    replication: op(0, S.replicationCpuMsPerEvent.value, 0, 0, { low: 3 / S.replicationCpuMsPerEvent.value, high: 9.5 / S.replicationCpuMsPerEvent.value }),
    urlPreview: op(30, 0, 1, 0),
    // Both loops of an Element X device recompute their response on every wake-up and persist the connection's position.
    slidingSync: op(0, slidingSyncMs, 0, S.slidingSyncDbMs.value, slidingRange),
    initialSync: op(S.initialSyncCpuMs.value, S.initialSyncCpuMsPerRoom.value, 5, S.initialSyncDbMsPerRoom.value, { low: 0.4, high: 2.5 }),
    pushRules: op(0, S.pushRuleCpuMsPerMember.value, 0, S.pushActionDbMsPerMember.value, { low: 0.015 / 0.04, high: 0.1 / 0.04 }),
    notificationFetch: op(S.notificationFetchCpuMs.value, 0, 1, 0, { low: 0.5, high: 2 }),
    keyBackup: op(2, 0.3, 0.5, 0.2, { low: 0.5, high: 2 }),
    fedInTransaction: op(S.fedInTransactionCpuMs.value, 0, S.fedInTransactionDbMs.value, 0, { low: 2 / S.fedInTransactionCpuMs.value, high: 9 / S.fedInTransactionCpuMs.value }),
    fedConnect: op(0, S.fedConnectCpuMs.value, 0, 0, { low: 1 / S.fedConnectCpuMs.value, high: 10 / S.fedConnectCpuMs.value }),
    // A resolution: a fixed part, then each event of the full conflicted set; the state maps it compares are stateLoad.
    stateRes: op(S.stateResCpuMs.value, S.stateResCpuMsPerEvent.value, 0, S.stateResDbMsPerEvent.value, {
      low: 0.2 / S.stateResCpuMsPerEvent.value,
      high: 1.5 / S.stateResCpuMsPerEvent.value,
    }),
    stateLoad: op(0, S.stateLoadCpuMsPerEntry.value, 0, S.stateLoadDbMsPerEntry.value, {
      low: 0.001 / S.stateLoadCpuMsPerEntry.value,
      high: 0.006 / S.stateLoadCpuMsPerEntry.value,
    }),
    deviceResync: op(S.deviceResyncCpuMs.value, S.deviceResyncCpuMsPerDevice.value, S.deviceResyncDbMs.value, S.deviceResyncDbMsPerDevice.value),
    keysQuery: op(0, S.keysQueryCpuMs.value, 0, S.keysQueryDbMs.value, { low: 2 / S.keysQueryCpuMs.value, high: 5 / S.keysQueryCpuMs.value }),
    // The password hash is most of a password login; with single sign-on the identity provider checks it.
    login: op(S.loginCpuMs.value, S.passwordHashCpuMs.value, S.loginDbMs.value, 0, { low: 150 / S.passwordHashCpuMs.value, high: 400 / S.passwordHashCpuMs.value }),
    // A piece of a room's purge transaction (its events; the transaction's few statements of its own, some ms a room, are left out).
    purge: op(0, S.purgeCpuMsPerEvent.value, 0, S.purgeDbMsPerEvent.value, { low: 1 / 3, high: 8 / 3 }),
    // A database dump: the backend that reads it is busy as long as it runs (units: seconds of dumping).
    backup: op(0, 0, 0, 1000 * S.backupDatabaseCores.value, { low: 0.5, high: 1 }),
    // Indexing one unencrypted message: PostgreSQL parses and stems the body (to_tsvector) and inserts the row and its index entries.
    searchIndex: op(0, S.searchIndexCpuMsPerEvent.value, 0, S.searchIndexDbMsPerEvent.value, { low: 0.5, high: 3 }),
    // A search: the request, the user's rooms, the page of results filtered and serialised; then each matched row ranked and counted.
    search: op(S.searchCpuMs.value, S.searchCpuMsPerRow.value, S.searchDbMs.value, S.searchDbMsPerRow.value, { low: 0.3, high: 4 }),
    // Each request of a call's delayed leave event (scheduled on join, restarted every 5 s, sent on leave).
    delayedEvent: op(0, S.delayedEventCpuMs.value, 0, S.delayedEventDbMs.value, { low: 0.5, high: 2 }),
    delayedEventRestart: op(0, S.delayedEventCpuMs.value, 0, S.delayedEventDbMs.value, { low: 0.5, high: 2 }),
  };
}

export interface MemoryModel {
  /** Resident memory of an idle process, bytes. */
  processBaseBytes: number;
  /**
   * How the caches are held: 'per-process', each Synapse process its own,
   * for the part of the hot set it sees (sized in memory.ts); 'shared', one
   * copy for the whole deployment, held by main (Synapse Pro, vendor
   * claim); 'budget', one budget of `cacheBytesWhenFull` +
   * `cacheBytesPerCore` x cores, filled as Synapse's caches would be.
   */
  caches: 'per-process' | 'shared' | 'budget';
  /** A cache budget when full, bytes: its fixed part and its part per core of the process. */
  cacheBytesWhenFull: number;
  cacheBytesPerCore: number;
  /** An embedded store's (RocksDB's) read cache and write buffers, fixed and per core, bytes; 0 with PostgreSQL. */
  storeBytes: number;
  storeBytesPerCore: number;
  /** Held per online device by the process that serves its /sync, bytes. */
  bytesPerOnlineDevice: number;
  /** Held per room active in the last half hour, bytes. */
  bytesPerActiveRoom: number;
  /** Extra memory while joining a room, per state event of the room, bytes. */
  joinBytesPerStateEvent: number;
}

export interface ServerProfile {
  implementation: Implementation;
  /** The name people use ('Synapse Pro'). */
  name: string;
  /** Multi-threaded (uses `cores`) or one process per core (Synapse). */
  multiThreaded: boolean;
  /** Has a separate PostgreSQL (true) or an embedded store (RocksDB). */
  postgres: boolean;
  /** Factor on Synapse's send path (a send's own CPU, database time and waits), and its source: what the 2026 benchmark measured. */
  sendPathFactor: Coefficient;
  /** Range of the send-path factor, as multiples of it. */
  sendPathFactorRange: Range;
  /** Factor on every other cost relative to Synapse (not covered by the benchmark), and its source. */
  cpuFactor: Coefficient;
  /** Range of that factor, as multiples of it. */
  cpuFactorRange: Range;
  /** Costs per operation in a world; each operation's range includes the factor's. */
  cost(ctx: CostContext): Record<Op, OpCost>;
  memory: MemoryModel;
  /** Per-operation CPU variability (coefficient of variation of a lognormal). */
  cpuCv: number;
  /** What the report and the command line say whenever this implementation runs (maintenance status, vendor claims); null: nothing. */
  notice: string | null;
}

const S = SERVER_COEFFICIENTS;

/** A factor on Synapse's costs and its range, as multiples of it. */
interface Factor {
  value: number;
  range: Range;
}

/**
 * Synapse's costs as another implementation's: a send's own CPU, database
 * time and waits (the send path, what the 2026 benchmark measured) times
 * `sendPath`; every other cost, a send's deliveries to online devices
 * included (the benchmark had no syncing device), times `others`. Each
 * operation's range is widened by its factor's. Derived operation by
 * operation from synapseCost, so an operation added there needs no edit
 * here. With an embedded store there is no separate database to wait on:
 * the scaled waits become work on the server's own cores, as the
 * benchmark's Rust servers show (10 clients keep their 2 cores busy at
 * 1.1-1.4 core-ms a send, about their sequential time).
 */
function scaled(sendPath: Factor, others: Factor, embeddedStore: boolean): (ctx: CostContext) => Record<Op, OpCost> {
  return (ctx) => {
    const synapseCosts = synapseCost(ctx);
    const out = {} as Record<Op, OpCost>;
    for (const op of Object.keys(synapseCosts) as Op[]) {
      const x = synapseCosts[op];
      // A dump's time is the database's, whichever server wrote the data.
      if (op === 'backup') {
        out[op] = x;
        continue;
      }
      const own = op === 'send' ? sendPath : others;
      const waitMs = x.waitMs * own.value;
      out[op] = {
        ...x,
        cpuMs: x.cpuMs * own.value,
        cpuMsPerUnit: x.cpuMsPerUnit * others.value,
        dbMs: x.dbMs * own.value + (embeddedStore ? waitMs : 0),
        dbMsPerUnit: x.dbMsPerUnit * others.value,
        waitMs: embeddedStore ? 0 : waitMs,
        range: { low: x.range.low * own.range.low, high: x.range.high * own.range.high },
      };
    }
    return out;
  };
}

/** Synapse's costs, but Rust workers following the replication stream at the vendor's figure. */
function synapseProCost(ctx: CostContext): Record<Op, OpCost> {
  const row = S.synapseProReplicationCpuMsPerRow.value;
  return { ...synapseCost(ctx), replication: op(0, row, 0, 0, { low: 0.375 / row, high: 1.5 / row }) };
}

/** A factor from its coefficient and its range in the coefficient's own units. */
const factor = (x: Coefficient, low: number, high: number): { coefficient: Coefficient; value: number; range: Range } => ({
  coefficient: x,
  value: x.value,
  range: { low: low / x.value, high: high / x.value },
});

const NO_STORE = { storeBytes: 0, storeBytesPerCore: 0 };

const synapse: ServerProfile = {
  implementation: 'synapse',
  name: 'Synapse',
  multiThreaded: false,
  postgres: true,
  sendPathFactor: S.synapseCpuFactor,
  sendPathFactorRange: { low: 1, high: 1 },
  cpuFactor: S.synapseCpuFactor,
  cpuFactorRange: { low: 1, high: 1 },
  cost: synapseCost,
  memory: {
    processBaseBytes: S.synapseProcessBaseBytes.value,
    caches: 'per-process',
    cacheBytesWhenFull: S.synapseCacheBytesWhenFull.value,
    cacheBytesPerCore: 0,
    ...NO_STORE,
    bytesPerOnlineDevice: S.bytesPerOnlineDevice.value,
    bytesPerActiveRoom: S.bytesPerActiveRoom.value,
    joinBytesPerStateEvent: S.synapseJoinBytesPerStateEvent.value,
  },
  cpuCv: S.cpuCvPerOperation.value,
  notice: null,
};

/**
 * Synapse Pro (matrix-2026.md §6.2): Synapse with Element's proprietary
 * Rust workers. It differs from Synapse only where the vendor says it does,
 * and only with workers: the replication stream at under 3% of a core per
 * worker at 40 events/s, and caches shared by all processes. As a monolith
 * it runs as Synapse.
 */
const synapsePro: ServerProfile = {
  ...synapse,
  implementation: 'synapse-pro',
  name: 'Synapse Pro',
  cost: synapseProCost,
  memory: { ...synapse.memory, caches: 'shared' },
  notice:
    "Synapse Pro is Element's proprietary Synapse with Rust workers. Where its figures differ from Synapse's they rest on vendor claims that no independent benchmark has checked: its workers follow the replication stream at under 3% of a core at 40 events/s (Python workers: 25%) and share their caches (element.io blog, January 2025). As a monolith it runs as Synapse.",
};

const dendriteSendPath = factor(S.dendriteSendPathFactor, 0.8 * S.dendriteSendPathFactor.value, 0.96);
const dendriteOthers = factor(S.dendriteOtherOpsFactor, 0.5, 1);
const dendrite: ServerProfile = {
  implementation: 'dendrite',
  name: 'Dendrite',
  multiThreaded: true,
  postgres: true,
  sendPathFactor: dendriteSendPath.coefficient,
  sendPathFactorRange: dendriteSendPath.range,
  cpuFactor: dendriteOthers.coefficient,
  cpuFactorRange: dendriteOthers.range,
  cost: scaled(dendriteSendPath, dendriteOthers, false),
  memory: {
    processBaseBytes: S.dendriteProcessBaseBytes.value,
    caches: 'budget',
    cacheBytesWhenFull: S.dendriteCacheBytesWhenFull.value,
    cacheBytesPerCore: 0,
    ...NO_STORE,
    bytesPerOnlineDevice: S.dendriteBytesPerOnlineDevice.value,
    bytesPerActiveRoom: S.bytesPerActiveRoom.value,
    joinBytesPerStateEvent: S.dendriteJoinBytesPerStateEvent.value,
  },
  cpuCv: S.cpuCvPerOperation.value,
  notice:
    "Dendrite is in maintenance mode: only security fixes are being applied, and its maintainers call it fine for small deployments, tens to hundreds of users (element-hq/dendrite README). Only its send path was measured (2026 benchmark); its other costs are Synapse's scaled by an estimate.",
};

const conduwuitFamilyOthers = factor(S.conduwuitFamilyOtherOpsFactor, 0.04, 0.15);

/** tuwunel and continuwuity, conduwuit's successors: one multi-threaded process on an embedded RocksDB, caches sized by cores. */
function conduwuitFamily(
  implementation: 'tuwunel' | 'continuwuity',
  name: string,
  sendPath: { coefficient: Coefficient; value: number; range: Range },
  cacheBytesWhenFull: number,
  cacheBytesPerCore: number,
): ServerProfile {
  return {
    implementation,
    name,
    multiThreaded: true,
    postgres: false,
    sendPathFactor: sendPath.coefficient,
    sendPathFactorRange: sendPath.range,
    cpuFactor: conduwuitFamilyOthers.coefficient,
    cpuFactorRange: conduwuitFamilyOthers.range,
    cost: scaled(sendPath, conduwuitFamilyOthers, true),
    memory: {
      processBaseBytes: S.conduwuitFamilyProcessBaseBytes.value,
      caches: 'budget',
      cacheBytesWhenFull,
      cacheBytesPerCore,
      storeBytes: S.rocksDbCacheFixedBytes.value,
      storeBytesPerCore: S.rocksDbCacheBytesPerCore.value,
      bytesPerOnlineDevice: S.conduwuitFamilyBytesPerOnlineDevice.value,
      bytesPerActiveRoom: S.conduwuitFamilyBytesPerActiveRoom.value,
      joinBytesPerStateEvent: S.conduwuitFamilyJoinBytesPerStateEvent.value,
    },
    cpuCv: S.cpuCvPerOperation.value,
    notice: null,
  };
}

const tuwunelSendPath = factor(S.tuwunelSendPathFactor, 0.8 * S.tuwunelSendPathFactor.value, 1.15 * S.tuwunelSendPathFactor.value);
const continuwuitySendPath = factor(S.continuwuitySendPathFactor, 0.8 * S.continuwuitySendPathFactor.value, 1.4 * S.continuwuitySendPathFactor.value);

/** Every implementation the grammar names, by name (conduwuit is an alias of tuwunel in the grammar). */
export const PROFILES: Record<Implementation, ServerProfile> = {
  synapse,
  'synapse-pro': synapsePro,
  dendrite,
  tuwunel: conduwuitFamily('tuwunel', 'Tuwunel', tuwunelSendPath, S.tuwunelCacheBytesFixed.value, S.tuwunelCacheBytesPerCore.value),
  continuwuity: conduwuitFamily('continuwuity', 'Continuwuity', continuwuitySendPath, S.continuwuityCacheBytesFixed.value, S.continuwuityCacheBytesPerCore.value),
};

/** CPU a worker spends per replication-stream row it follows, ms (Synapse's Python workers or Synapse Pro's Rust ones). */
export function replicationCpuMsPerRow(profile: ServerProfile): number {
  return profile.cost({ roomsPerUser: 1 }).replication.cpuMsPerUnit;
}

/** Costs fitted to a server's metrics (a scenario's run.server.calibration, from `mxsim calibrate`). */
export type ProfileCalibration = NonNullable<Scenario['run']['server']['calibration']>;

/**
 * A profile with a calibration's fitted values in place of its own: CPU per
 * operation and per unit of the operations it names, and the memory terms
 * it gives; everything else (database time, waits, ranges) unchanged. An
 * operation this version does not know is the scenario's mistake.
 */
export function calibratedProfile(profile: ServerProfile, c: ProfileCalibration): ServerProfile {
  const unknown = Object.keys(c.cpu).filter((k) => !(OPS as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw new MxsimError(
      'scenario.invalid',
      `run.server.calibration.cpu: unknown operation ${unknown.map((k) => JSON.stringify(k)).join(', ')} (expected one of ${OPS.join(', ')})`,
    );
  return {
    ...profile,
    cost: (ctx) => {
      const costs = { ...profile.cost(ctx) };
      for (const [op, o] of Object.entries(c.cpu) as [Op, { cpuMs?: number; cpuMsPerUnit?: number }][]) {
        costs[op] = { ...costs[op], ...(o.cpuMs === undefined ? {} : { cpuMs: o.cpuMs }), ...(o.cpuMsPerUnit === undefined ? {} : { cpuMsPerUnit: o.cpuMsPerUnit }) };
      }
      return costs;
    },
    memory: {
      ...profile.memory,
      ...(c.memory.processBaseBytes === undefined ? {} : { processBaseBytes: c.memory.processBaseBytes }),
      ...(c.memory.bytesPerOnlineDevice === undefined ? {} : { bytesPerOnlineDevice: c.memory.bytesPerOnlineDevice }),
    },
  };
}
