/**
 * Homeserver implementations as profiles: the operations the workload asks
 * of the server, what each costs in CPU and database time, which process
 * handles it, and how much memory the processes hold.
 *
 * No official per-operation CPU figure exists for any homeserver
 * (element-hq/synapse#6367 is still open). The Synapse costs below are
 * estimates built from the mechanics and fitted to the few published
 * measurements: the sequential-send benchmark (Romeo and Juliet, about 32 ms
 * a send for Synapse+Postgres in 2020), matrix.org's sync workers in 2020
 * (about 20 workers at 60-80% CPU for 50K+ concurrent users) and Element's
 * replication figure (25% of a worker's CPU at 40 events/s). Each is labelled.
 * The other implementations scale Synapse's costs by the ratio of their
 * Romeo-and-Juliet times, the only like-for-like measurement published.
 */
import { coefficient as c, K, type Coefficient } from '../model/coefficients.js';
import type { Op } from '../model/homeserver.js';

export { OPS, type Op } from '../model/homeserver.js';

export interface OpCost {
  /** CPU per operation, ms. */
  cpuMs: number;
  /** CPU per unit, ms. */
  cpuMsPerUnit: number;
  /** Database time per operation and per unit, ms. */
  dbMs: number;
  dbMsPerUnit: number;
}

/** Synapse's costs per operation (Python, PostgreSQL). See the file header. */
const SYNAPSE_COST: Record<Op, OpCost> = {
  // R&J 2020: 106 s / 3,287 sends = 32 ms a send with a local client; minus the
  // client round trip (~1 ms) and a two-device fan-out, split CPU 22 ms / DB 6 ms.
  send: { cpuMs: 22, cpuMsPerUnit: 1.5, dbMs: 6, dbMsPerUnit: 0 },
  // matrix.org 2020: ~14 busy cores for 50K+ concurrent users; with ~1 timeout per
  // device per 30 s and ~1 news response per device per 20 s this gives ~1.5 ms a response.
  syncNews: { cpuMs: 0, cpuMsPerUnit: 1.5, dbMs: 0, dbMsPerUnit: 0.1 },
  syncTimeout: { cpuMs: 0, cpuMsPerUnit: 0.5, dbMs: 0, dbMsPerUnit: 0 },
  presence: { cpuMs: 1.5, cpuMsPerUnit: 0.05, dbMs: 0.5, dbMsPerUnit: 0 },
  receipt: { cpuMs: 1, cpuMsPerUnit: 2, dbMs: 0, dbMsPerUnit: 1 },
  typing: { cpuMs: 0, cpuMsPerUnit: 0.5, dbMs: 0, dbMsPerUnit: 0 },
  toDevice: { cpuMs: 2, cpuMsPerUnit: 0.2, dbMs: 0.5, dbMsPerUnit: 0.1 },
  deviceList: { cpuMs: 3, cpuMsPerUnit: 0.1, dbMs: 1, dbMsPerUnit: 0.2 },
  mediaUpload: { cpuMs: 10, cpuMsPerUnit: 2, dbMs: 2, dbMsPerUnit: 0 },
  // Five thumbnails with Pillow: decode once, resize and encode five times.
  thumbnail: { cpuMs: 0, cpuMsPerUnit: 60, dbMs: 0, dbMsPerUnit: 1 },
  mediaDownload: { cpuMs: 1, cpuMsPerUnit: 1, dbMs: 0.3, dbMsPerUnit: 0 },
  push: { cpuMs: 0, cpuMsPerUnit: 2, dbMs: 0, dbMsPerUnit: 0.5 },
  fedOut: { cpuMs: 2, cpuMsPerUnit: 0.2, dbMs: 0.5, dbMsPerUnit: 0.1 },
  fedIn: { cpuMs: 3, cpuMsPerUnit: 12, dbMs: 0.5, dbMsPerUnit: 3 },
  fedJoin: { cpuMs: 50, cpuMsPerUnit: 0.5, dbMs: 10, dbMsPerUnit: 0.2 },
  // Element (Jan 2025): a Python worker spends ~25% of a core following the
  // replication stream at 40 events/s: 0.25 / 40 = 6.25 ms an event.
  replication: { cpuMs: 0, cpuMsPerUnit: 6.25, dbMs: 0, dbMsPerUnit: 0 },
  urlPreview: { cpuMs: 30, cpuMsPerUnit: 0, dbMs: 1, dbMsPerUnit: 0 },
};

export interface MemoryModel {
  /** Resident memory of an idle process, bytes. */
  processBaseBytes: number;
  /** Bytes per cache entry and the entries each process may hold. */
  cacheBytesWhenFull: number;
  /** Held per online user by the process that tracks presence and sync streams, bytes. */
  bytesPerOnlineUser: number;
  /** Held per room active in the last half hour, bytes. */
  bytesPerActiveRoom: number;
  /** Extra memory while joining a room, per state event of the room, bytes. */
  joinBytesPerStateEvent: number;
}

export interface ServerProfile {
  implementation: string;
  /** Multi-threaded (uses `cores`) or one process per core (Synapse). */
  multiThreaded: boolean;
  /** Has a separate PostgreSQL (true) or an embedded store (RocksDB). */
  postgres: boolean;
  /** CPU cost factor relative to Synapse, and its source. */
  cpuFactor: Coefficient;
  cost: Record<Op, OpCost>;
  memory: MemoryModel;
  /** Per-operation CPU variability (coefficient of variation of a lognormal). */
  cpuCv: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const SERVER_COEFFICIENTS = {
  synapseCpuFactor: c(1, 'x', 'Synapse CPU per operation (reference)', 'estimate', 'fitted to Romeo-and-Juliet 2020 (1m46s for 3,287 sends) and matrix.org 2020 sync workers (synapse#8661)'),
  dendriteCpuFactor: c(1.56, 'x', 'Dendrite CPU per operation relative to Synapse', 'bench', 'Romeo-and-Juliet 2020: Dendrite+Postgres 2m45s vs Synapse+Postgres 1m46s (2022: 3m42s vs 3m51s)'),
  conduwuitCpuFactor: c(0.04, 'x', 'conduwuit-family CPU per operation relative to Synapse', 'bench', 'Romeo-and-Juliet 2020: Conduit 4.2 s vs Synapse+Postgres 1m46s (2022: 42 s vs 3m51s, a factor 0.18)'),
  replicationCpuMsPerEvent: c(6.25, 'ms', 'CPU a Synapse worker spends per event following replication', 'vendor', 'element.io blog, Jan 2025: ~25% of a core at 40 events/s'),
  synapseProcessBaseBytes: c(150 * MiB, 'B', 'resident memory of an idle Synapse process', 'estimate', 'Python interpreter, Twisted and Synapse modules loaded'),
  synapseCacheBytesWhenFull: c(180 * MiB, 'B', 'Synapse caches per process when full at cache factor 0.5', 'code', 'config/cache.py: event cache 10K entries (5K effective, ~4 KB each), state group cache 50K, membership caches 100K and 500K entries (calibration notes §6)'),
  // Applied per event the join downloads (state plus auth chain, authChainFactor 1.5
  // x the current state), so the anecdote's 20k-member room is ~30,000 events.
  synapseJoinBytesPerStateEvent: c(Math.round(1.1e9 / (20_000 * K.authChainFactor)), 'B', 'extra memory per event downloaded (state and auth chain) while Synapse joins a room', 'anecdote', 'synapse#7339: ~1.1 GB peak joining a 20k-member room, about 30,000 events with the auth chain'),
  dendriteProcessBaseBytes: c(250 * MiB, 'B', 'resident memory of an idle Dendrite', 'estimate', 'Dendrite planning docs: minimum 1 GB for a small federated deployment, of which about a quarter is the idle process'),
  conduwuitProcessBaseBytes: c(60 * MiB, 'B', 'resident memory of an idle conduwuit-family server', 'estimate', 'Rust binary with RocksDB, caches counted separately'),
  conduwuitCacheBytesPerCore: c(68 * MiB, 'B', 'conduwuit RocksDB read cache and write buffer per core', 'code', 'conduwuit defaults: read cache 128 + 64 x cores MB, write buffer 48 + 4 x cores MB'),
  postgresConnectionBytes: c(10 * MiB, 'B', 'PostgreSQL memory per open connection', 'estimate', 'per-backend work_mem and catalog caches'),
  postgresConnectionsPerProcess: c(10, 'connections', 'connections each Synapse process keeps open', 'docs', 'Synapse database config cp_max default 10 (calibration notes §6)'),
  postgresSharedBuffersShare: c(0.25, 'x', 'share of PostgreSQL RAM given to shared_buffers', 'docs', 'tcpipuk Postgres tuning guide for Synapse: shared_buffers about 25% of RAM'),
  bytesPerOnlineUser: c(30_000, 'B', 'memory per online user (presence state, sync stream positions, notifier listeners)', 'estimate', 'a few Python objects and dicts per user and device'),
  dendriteCacheBytesWhenFull: c(256 * MiB, 'B', 'Dendrite caches when full', 'estimate', 'Dendrite in-memory caches (roomserver, federation) default limits, in the order of the planning docs\' 1 GB minimum'),
  dendriteJoinBytesPerStateEvent: c(20_000, 'B', 'extra memory per event downloaded while Dendrite joins a room', 'estimate', 'Go structures of a parsed event with its auth and state maps; no published measurement'),
  conduwuitPduCacheBytesWhenFull: c(100_000 * 1024, 'B', 'conduwuit PDU cache when full', 'code', 'Conduit default pdu_cache_capacity 100,000 items, at about 1 KB each'),
  conduwuitRocksDbFixedBytes: c(176 * MiB, 'B', 'conduwuit RocksDB read cache and write buffer before the per-core part', 'code', 'conduwuit defaults: read cache 128 MB + write buffer 48 MB (per-core parts in conduwuitCacheBytesPerCore)'),
  conduwuitJoinBytesPerStateEvent: c(5_000, 'B', 'extra memory per event downloaded while a conduwuit-family server joins a room', 'estimate', 'Rust structures of a parsed event; no published measurement'),
  cacheFullActiveRooms: c(25_000, 'rooms', 'rooms active in half an hour at which Synapse\'s state and membership caches are full', 'code', 'effective state-group and membership cache entries at cache factor 0.5 (calibration notes §6)'),
  cacheFullEventsPerHalfHour: c(5_000, 'events', 'events persisted in half an hour at which Synapse\'s event cache is full', 'code', 'event cache 10K entries, 5K effective at cache factor 0.5 (calibration notes §6)'),
  mainOnlineUserShareWithSyncWorkers: c(0.3, 'x', 'share of online-user state the main process holds when sync workers exist', 'estimate', 'presence state stays on main (its writer); sync streams and notifier listeners move to the sync workers'),
  mainActiveRoomShareWithWorkers: c(0.1, 'x', 'share of active-room state the main process holds in a worker deployment', 'estimate', 'main keeps little room state once clients are served by workers'),
  syncActiveRoomShare: c(0.5, 'x', 'share of active-room state each sync worker holds', 'estimate', 'each sync worker sees the rooms of its users, most of the hot rooms'),
  postgresHotDataDays: c(7, 'days', 'days of writes PostgreSQL keeps hot in shared_buffers', 'estimate', 'recent timeline and receipts are read most; a week assumed'),
  postgresHotDataMinBytes: c(128 * MiB, 'B', 'hot data at least', 'docs', 'PostgreSQL default shared_buffers 128 MB'),
  postgresHotDataMaxBytes: c(16 * GiB, 'B', 'hot data at most', 'estimate', 'beyond about 16 GB shared_buffers gains little (tuning guides); the OS cache holds the rest'),
  postgresMinBytes: c(1 * GiB, 'B', 'PostgreSQL RAM at least', 'estimate', 'a small dedicated PostgreSQL'),
  cpuCvPerOperation: c(1, 'cv', 'coefficient of variation of the CPU one operation takes (lognormal)', 'estimate', 'request times in Synapse\'s servlet metrics spread over an order of magnitude; not fitted'),
  sendCreateShare: c(0.5, 'x', 'share of a send\'s own CPU (fan-out excluded) spent creating the event; the rest persists it', 'estimate', 'event creation (auth, state) and persistence (state resolution, writes) are of similar weight; not measured'),
  flushSeconds: c(0.5, 's', 'how often work nobody waits on (typing, receipts, pushes, sync wake-ups) enters the stations', 'method', 'a half-second grain keeps queueing at the scale of requests and cut events ~10x; fingerprints and the M/G/1 tests held when it was introduced'),
  minBatchSeconds: c(0.005, 's', 'deferred work smaller than this waits for more', 'method', 'crumbs of replication work on idle workers; changes how often, not how much, CPU is charged'),
  maxDeferSeconds: c(5, 's', 'longest a crumb of deferred work waits', 'method', 'bounds the delay of small deferred work well under a 15-minute bin'),
  maxQueuedJobs: c(100_000, 'jobs', 'jobs a process holds waiting before it sheds new ones (requests time out)', 'method', 'bounds memory far past saturation, where latency is already unacceptable'),
  bytesPerActiveRoom: c(20_000, 'B', 'memory per recently active room outside the caches', 'estimate', 'room locks, forward-extremity and push-rule caches'),
} as const satisfies Record<string, Coefficient>;

const S = SERVER_COEFFICIENTS;

function scaled(cost: Record<Op, OpCost>, factor: number): Record<Op, OpCost> {
  return Object.fromEntries(
    Object.entries(cost).map(([op, x]) => [
      op,
      { cpuMs: x.cpuMs * factor, cpuMsPerUnit: x.cpuMsPerUnit * factor, dbMs: x.dbMs * factor, dbMsPerUnit: x.dbMsPerUnit * factor },
    ]),
  ) as Record<Op, OpCost>;
}

const synapse: ServerProfile = {
  implementation: 'synapse',
  multiThreaded: false,
  postgres: true,
  cpuFactor: S.synapseCpuFactor,
  cost: SYNAPSE_COST,
  memory: {
    processBaseBytes: S.synapseProcessBaseBytes.value,
    cacheBytesWhenFull: S.synapseCacheBytesWhenFull.value,
    bytesPerOnlineUser: S.bytesPerOnlineUser.value,
    bytesPerActiveRoom: S.bytesPerActiveRoom.value,
    joinBytesPerStateEvent: S.synapseJoinBytesPerStateEvent.value,
  },
  cpuCv: S.cpuCvPerOperation.value,
};

const dendrite: ServerProfile = {
  implementation: 'dendrite',
  multiThreaded: true,
  postgres: true,
  cpuFactor: S.dendriteCpuFactor,
  cost: scaled(SYNAPSE_COST, S.dendriteCpuFactor.value),
  memory: {
    processBaseBytes: S.dendriteProcessBaseBytes.value,
    cacheBytesWhenFull: S.dendriteCacheBytesWhenFull.value,
    bytesPerOnlineUser: S.bytesPerOnlineUser.value / 2,
    bytesPerActiveRoom: S.bytesPerActiveRoom.value,
    joinBytesPerStateEvent: S.dendriteJoinBytesPerStateEvent.value,
  },
  cpuCv: S.cpuCvPerOperation.value,
};

const conduwuit = (implementation: string): ServerProfile => ({
  implementation,
  multiThreaded: true,
  postgres: false,
  cpuFactor: S.conduwuitCpuFactor,
  cost: scaled(SYNAPSE_COST, S.conduwuitCpuFactor.value),
  memory: {
    processBaseBytes: S.conduwuitProcessBaseBytes.value,
    cacheBytesWhenFull: S.conduwuitPduCacheBytesWhenFull.value,
    bytesPerOnlineUser: S.bytesPerOnlineUser.value / 5,
    bytesPerActiveRoom: S.bytesPerActiveRoom.value / 4,
    joinBytesPerStateEvent: S.conduwuitJoinBytesPerStateEvent.value,
  },
  cpuCv: S.cpuCvPerOperation.value,
});

export const PROFILES: Record<string, ServerProfile> = {
  synapse,
  dendrite,
  conduwuit: conduwuit('conduwuit'),
  tuwunel: conduwuit('tuwunel'),
  continuwuity: conduwuit('continuwuity'),
};
