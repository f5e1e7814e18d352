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
 * The other implementations scale Synapse's costs by their ratio on the send
 * path of the same benchmark, the only like-for-like measurement; for every
 * other operation that ratio is applied uncalibrated.
 */
import { coefficient as c, type Coefficient } from '../model/coefficients.js';
import type { Op } from '../model/homeserver.js';

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
  };
}

export interface MemoryModel {
  /** Resident memory of an idle process, bytes. */
  processBaseBytes: number;
  /** Bytes per cache entry and the entries each process may hold. */
  cacheBytesWhenFull: number;
  /** Held per online device by the process that serves its /sync, bytes. */
  bytesPerOnlineDevice: number;
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
  /** Range of the factor, as multiples of it. */
  cpuFactorRange: Range;
  /** Costs per operation in a world. */
  cost(ctx: CostContext): Record<Op, OpCost>;
  memory: MemoryModel;
  /** Per-operation CPU variability (coefficient of variation of a lognormal). */
  cpuCv: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const SERVER_COEFFICIENTS = {
  synapseCpuFactor: c(1, 'x', 'Synapse CPU per operation (reference)', 'estimate', 'the costs below'),
  dendriteCpuFactor: c(
    0.6,
    'x',
    'Dendrite CPU per operation relative to Synapse (range 0.5-1.0)',
    'bench',
    '2026 send benchmark (matrix-2026.md §6.4): sequential send 10.9 ms against Synapse 19.2 ms = 0.57; Romeo-and-Juliet 2022 0.96 (high); send path only, applied to every operation uncalibrated',
  ),
  conduwuitCpuFactor: c(
    0.09,
    'x',
    'conduwuit-family CPU per operation relative to Synapse (range 0.04-0.15)',
    'bench',
    '2026 send benchmark: 2,498 concurrent sends/s on 2 CPU = 0.80 core-ms (Conduit) to 1.37 (Continuwuity) against Synapse 9.3 ms; send path only, applied to every operation uncalibrated',
  ),
  sendCpuMs: c(
    9,
    'ms',
    'Synapse CPU to create and persist one event (range 6-13)',
    'bench',
    '2026 send benchmark: 108 sends/s with 10 concurrent senders saturate one process, at most 9.3 ms each (derived)',
  ),
  sendDbMs: c(3, 'ms', 'PostgreSQL CPU per send (range 1.5-5)', 'estimate', "a few inserts and a commit; the benchmark's PostgreSQL was never saturated"),
  sendWaitMs: c(
    7.2,
    'ms',
    'time a send waits on PostgreSQL round trips and commits beyond CPU',
    'bench',
    '2026 send benchmark: 19.2 ms per sequential send - 9 ms CPU - 3 ms PostgreSQL (derived)',
  ),
  syncResponseBaseCpuMs: c(
    3,
    'ms',
    'CPU of a /sync v2 response with news, fixed part (range 2-5)',
    'anecdote',
    'operator access logs 5-25 ms per response (synapse#7781, #15980, #11928; matrix-2026.md §1.5), fitted with the two terms below',
  ),
  syncResponseCpuMsPerRoom: c(
    0.03,
    'ms',
    'CPU of a /sync response per room of the account (range 0.01-0.06)',
    'anecdote',
    'personal accounts in hundreds of rooms reach 14-25 ms (matrix-2026.md §1.5); fitted',
  ),
  syncResponseCpuMsPerRoomWithNews: c(0.5, 'ms', 'CPU of a /sync response per room with news (range 0.2-1)', 'estimate', "serialising the room's new events and receipts"),
  syncResponseDbMs: c(0.5, 'ms', 'PostgreSQL time per /sync response with news', 'anecdote', '0-5 database transactions of 0.2-1 ms in the access logs (synapse#7781, #15980)'),
  syncEmptyResponseCpuMs: c(
    2.5,
    'ms',
    'CPU of an empty /sync response at the long-poll timeout (range 1-5)',
    'estimate',
    'auth, filter loading and presence bookkeeping (matrix-2026.md §1.5)',
  ),
  joinForegroundCpuMs: c(
    100,
    'ms',
    'CPU of the foreground part of a partial-state join (make_join, send_join, persisting the join)',
    'estimate',
    'faster joins return before the full state arrives (Synapse 1.76+, MSC3706); 50-200 ms',
  ),
  joinResyncCpuMsPerEvent: c(
    2,
    'ms',
    'CPU per event of the background state resync after a partial-state join (range 1-3.5), on the main process',
    'anecdote',
    'pre-2023 joins took ~3.5 ms of wall time per event (12 min for 206,479 events); the resync runs only on main (synapse handlers/federation.py)',
  ),
  fedInTransactionCpuMs: c(
    5,
    'ms',
    'CPU of receiving one inbound transaction, or of one request we make for missing events or state, whatever it carries (range 2-9): request auth (X-Matrix signature), parsing, dispatch',
    'anecdote',
    'synapse#6829 (2020): a /send of 0 PDUs and 1 EDU took 8 ms user + 1 ms system CPU, the EDU included; per-item work is fedIn (synapse/federation/federation_server.py:291-427)',
  ),
  fedInTransactionDbMs: c(
    1,
    'ms',
    'PostgreSQL time per inbound transaction (range 0.5-1.5)',
    'anecdote',
    'synapse#6829: 5 database transactions in 8 ms for the same /send, mostly its EDU',
  ),
  fedConnectCpuMs: c(
    3,
    'ms',
    'CPU of opening one outbound federation connection (range 1-10): TLS 1.3 handshake and certificate verification in pyOpenSSL, Twisted connection set-up',
    'estimate',
    'X25519 and a certificate-chain verification take well under 1 ms in OpenSSL; the Python layers around them a few ms. Connections are pooled and closed after 2 min idle (synapse/http/federation/matrix_federation_agent.py:132-135)',
  ),
  stateResCpuMs: c(
    2,
    'ms',
    'CPU of one state resolution besides its events and state maps: linearizer, cache entry, new state group (range 1-3)',
    'estimate',
    'synapse/state/__init__.py:650-748 (resolve_state_groups) and 880-940 (_make_state_cache_entry)',
  ),
  stateResCpuMsPerEvent: c(
    0.5,
    'ms',
    'CPU per event of the full conflicted set (conflicted state and auth-chain difference) of a state resolution v2 (range 0.2-1.5)',
    'estimate',
    'each event is fetched, placed in the reverse topological power sort or the mainline sort, and auth-checked in Python (synapse/state/v2.py:118-231); no published per-event figure (synapse#8658 asks for one)',
  ),
  stateResDbMsPerEvent: c(
    0.3,
    'ms',
    'PostgreSQL time per event of the full conflicted set: events not in the cache and the auth-chain difference over the chain-cover index',
    'estimate',
    'synapse/state/v2.py:311-449 (_get_auth_chain_difference) reads event_auth_chains and event_auth_chain_links',
  ),
  stateLoadCpuMsPerEntry: c(
    0.003,
    'ms',
    'CPU per state entry of the state maps a resolution loads, separates and compares, or of the ids a /state_ids answer lists (range 0.001-0.006)',
    'estimate',
    'a few dict and set operations per (type, state_key) in CPython (~1 us warm, ~5 us when rows come from PostgreSQL): synapse/state/v2.py:523-550 (_seperate walks every key of every map), state/__init__.py:880-940. synapse#12378: in a room of 30K events with small forks, state res cost 13.5 s CPU in 2 min on one persister, the cost growing with the state and not with the fork',
  ),
  stateLoadDbMsPerEntry: c(
    0.001,
    'ms',
    'PostgreSQL time per state entry loaded (state_groups_state rows when not cached)',
    'estimate',
    'about a microsecond per row read by index',
  ),
  deviceResyncCpuMs: c(
    10,
    'ms',
    "CPU of a full resync of a remote user's device list, on the main process: the request, cross-signing keys, replacing the cached list, notifying",
    'estimate',
    'synapse/handlers/device.py:1703-1830 (_user_device_resync_returning_failed); runs only on the device-list writer, main by default (device.py:174-180)',
  ),
  deviceResyncCpuMsPerDevice: c(1, 'ms', 'CPU per device of a device-list resync (parsing and storing its keys)', 'estimate', 'one JSON object of ~1 KB of keys per device'),
  deviceResyncDbMs: c(
    3,
    'ms',
    'PostgreSQL time of a device-list resync',
    'estimate',
    'delete and re-insert of device_lists_remote_cache rows, extremity and resync-marker updates (device.py:1800-1830)',
  ),
  deviceResyncDbMsPerDevice: c(0.5, 'ms', 'PostgreSQL time per device of a device-list resync', 'estimate', 'one row per device'),
  keysQueryCpuMs: c(
    3,
    'ms',
    'CPU of one /keys/query by a local client for users whose device lists are cached (range 2-5)',
    'anecdote',
    'synapse#7099 (2020) access log: POST /keys/query answered with 6 KB in 2 ms user + 1 ms system CPU',
  ),
  keysQueryDbMs: c(2, 'ms', 'PostgreSQL time of one /keys/query (range 1-4)', 'anecdote', 'synapse#7099: 2 database transactions taking 4 ms in all'),
  replicationCpuMsPerEvent: c(
    6.25,
    'ms',
    'CPU a Synapse worker spends per replication-stream row it follows (range 3-9.5)',
    'vendor',
    'element.io blog, Jan 2025: ~25% of a core at 40 rows/s (events, typing, receipts, membership changes)',
  ),
  synapseProcessBaseBytes: c(150 * MiB, 'B', 'resident memory of an idle Synapse process', 'estimate', 'Python interpreter, Twisted and Synapse modules loaded'),
  synapseCacheBytesWhenFull: c(
    190 * MiB,
    'B',
    'Synapse caches per process when all are full at cache factor 0.5 (range 100-360 MiB), fragmentation included',
    'estimate',
    'sum of the five cache terms below at their effective sizes (145 MiB) x 1.3 for allocator overhead (synapse#13550, #17791)',
  ),
  synapseEventCacheEntries: c(
    5_000,
    'events',
    'effective event cache entries (event_cache_size 10K x cache factor 0.5)',
    'code',
    'synapse config/cache.py _DEFAULT_EVENT_CACHE_SIZE 10K, _DEFAULT_FACTOR_SIZE 0.5',
  ),
  synapseEventCacheBytesPerEntry: c(4_096, 'B', 'memory of one cached event (range 2-8 KB)', 'estimate', 'a 0.6-1.1 KB canonical event held as Python objects, 3-6x'),
  synapseStateCacheEntries: c(
    250_000,
    'state entries',
    'effective stateGroupMembersCache entries, one per (member, event) pair',
    'code',
    'synapse storage/databases/state/store.py: 500K x 0.5; DictionaryCache counts pairs',
  ),
  synapseStateCacheBytesPerEntry: c(200, 'B', 'memory of one cached state pair (range 120-300 B)', 'estimate', 'tuple key, interned strings and an event id string'),
  synapseRoomsForUserEntries: c(
    250_000,
    'memberships',
    'effective get_rooms_for_user entries, one per room of a user',
    'code',
    'synapse storage/databases/main/roommember.py: 500K x 0.5, iterable cache counts rooms',
  ),
  synapseRoomsForUserBytesPerEntry: c(120, 'B', 'memory of one cached room of a user', 'estimate', 'a room id string in a frozenset'),
  synapseSmallCachesBytes: c(
    40 * MiB,
    'B',
    'the hundreds of small caches (1,000 entries each by default) when warm (range 20-80 MiB)',
    'estimate',
    'about 400 @cached methods at 500 effective entries',
  ),
  cacheFragmentationFactor: c(1.3, 'x', 'resident memory per byte held in caches (range 1.1-1.5)', 'anecdote', 'RSS above jemalloc-allocated in synapse#13550 and #17791'),
  bytesPerOnlineDevice: c(
    30_000,
    'B',
    'memory per online device on the process that serves its /sync (range 10-60 KB)',
    'estimate',
    'notifier listener, stream positions and the 2-minute sync response cache (synapse handlers/sync.py)',
  ),
  // Applied per event the join downloads (state plus auth chain, authChainFactor 1.5
  // x the current state), so the anecdote's 20k-member room is ~30,000 events.
  synapseJoinBytesPerStateEvent: c(
    28_000,
    'B',
    'extra memory on the main process per event of the state resync after joining a room (range 15-37 KB)',
    'anecdote',
    'FreedomBox#1029: ~0.8 GB above a 0.4 GB baseline joining rooms of ~19k members (28,500 events with the auth chain); synapse#7339: ~1.1 GB for a 20k-member room (37 KB, high); low 15 KB after state-key interning (synapse#13323)',
  ),
  dendriteProcessBaseBytes: c(
    250 * MiB,
    'B',
    'resident memory of an idle Dendrite',
    'estimate',
    'Dendrite planning docs: minimum 1 GB for a small federated deployment, of which about a quarter is the idle process',
  ),
  conduwuitProcessBaseBytes: c(60 * MiB, 'B', 'resident memory of an idle conduwuit-family server', 'estimate', 'Rust binary with RocksDB, caches counted separately'),
  conduwuitCacheBytesPerCore: c(
    68 * MiB,
    'B',
    'conduwuit RocksDB read cache and write buffer per core',
    'code',
    'conduwuit defaults: read cache 128 + 64 x cores MB, write buffer 48 + 4 x cores MB',
  ),
  postgresConnectionBytes: c(
    8 * MiB,
    'B',
    'PostgreSQL memory per open connection (range 2-25 MiB)',
    'blog',
    'A. Freund 2020: a fresh backend < 2 MiB; PGConf.DE 2025: up to 10 MB new, a few dozen MB long-lived',
  ),
  postgresBaseBytes: c(
    60 * MiB,
    'B',
    'PostgreSQL background processes (postmaster, checkpointer, WAL writer, autovacuum; range 30-100 MiB)',
    'estimate',
    'a handful of small processes',
  ),
  postgresConnectionsPerProcess: c(10, 'connections', 'connections each Synapse process keeps open', 'docs', 'Synapse database config cp_max default 10 (calibration notes §6)'),
  postgresSharedBuffersShare: c(0.25, 'x', 'share of PostgreSQL RAM given to shared_buffers', 'docs', 'tcpipuk Postgres tuning guide for Synapse: shared_buffers about 25% of RAM'),
  dendriteCacheBytesWhenFull: c(
    256 * MiB,
    'B',
    'Dendrite caches when full',
    'estimate',
    "Dendrite in-memory caches (roomserver, federation) default limits, in the order of the planning docs' 1 GB minimum",
  ),
  dendriteJoinBytesPerStateEvent: c(
    20_000,
    'B',
    'extra memory per event downloaded while Dendrite joins a room',
    'estimate',
    'Go structures of a parsed event with its auth and state maps; no published measurement',
  ),
  conduwuitPduCacheBytesWhenFull: c(100_000 * 1024, 'B', 'conduwuit PDU cache when full', 'code', 'Conduit default pdu_cache_capacity 100,000 items, at about 1 KB each'),
  conduwuitRocksDbFixedBytes: c(
    176 * MiB,
    'B',
    'conduwuit RocksDB read cache and write buffer before the per-core part',
    'code',
    'conduwuit defaults: read cache 128 MB + write buffer 48 MB (per-core parts in conduwuitCacheBytesPerCore)',
  ),
  conduwuitJoinBytesPerStateEvent: c(
    5_000,
    'B',
    'extra memory per event downloaded while a conduwuit-family server joins a room',
    'estimate',
    'Rust structures of a parsed event; no published measurement',
  ),
  mainActiveRoomShareWithWorkers: c(
    0.1,
    'x',
    'share of active-room state the main process holds in a worker deployment',
    'estimate',
    'main keeps little room state once clients are served by workers',
  ),
  syncActiveRoomShare: c(0.5, 'x', 'share of active-room state each sync worker holds', 'estimate', 'each sync worker sees the rooms of its users, most of the hot rooms'),
  postgresHotDataDays: c(7, 'days', 'days of writes PostgreSQL keeps hot in shared_buffers', 'estimate', 'recent timeline and receipts are read most; a week assumed'),
  postgresHotDataMinBytes: c(128 * MiB, 'B', 'hot data at least', 'docs', 'PostgreSQL default shared_buffers 128 MB'),
  postgresHotDataMaxBytes: c(16 * GiB, 'B', 'hot data at most', 'estimate', 'beyond about 16 GB shared_buffers gains little (tuning guides); the OS cache holds the rest'),
  cpuCvPerOperation: c(
    1,
    'cv',
    'coefficient of variation of the CPU one operation takes (lognormal)',
    'estimate',
    "request times in Synapse's servlet metrics spread over an order of magnitude; not fitted",
  ),
  sendCreateShare: c(
    0.5,
    'x',
    "share of a send's own CPU (fan-out excluded) spent creating the event; the rest persists it",
    'estimate',
    'event creation (auth, state) and persistence (state resolution, writes) are of similar weight; not measured',
  ),
  flushSeconds: c(
    0.5,
    's',
    'how often work nobody waits on (typing, receipts, pushes, sync wake-ups) enters the stations',
    'method',
    'a half-second grain keeps queueing at the scale of requests and cut events ~10x; fingerprints and the M/G/1 tests held when it was introduced',
  ),
  minBatchSeconds: c(
    0.005,
    's',
    'deferred work smaller than this waits for more',
    'method',
    'crumbs of replication work on idle workers; changes how often, not how much, CPU is charged',
  ),
  maxDeferSeconds: c(5, 's', 'longest a crumb of deferred work waits', 'method', 'bounds the delay of small deferred work well under a 15-minute bin'),
  maxQueuedJobs: c(
    100_000,
    'jobs',
    'jobs a process holds waiting before it sheds new ones (requests time out)',
    'method',
    'bounds memory far past saturation, where latency is already unacceptable',
  ),
  bytesPerActiveRoom: c(20_000, 'B', 'memory per recently active room outside the caches', 'estimate', 'room locks, forward-extremity and push-rule caches'),
} as const satisfies Record<string, Coefficient>;

const S = SERVER_COEFFICIENTS;

/** Synapse's costs scaled by an implementation's factor. */
function scaled(factor: number): (ctx: CostContext) => Record<Op, OpCost> {
  return (ctx) =>
    Object.fromEntries(
      Object.entries(synapseCost(ctx)).map(([op, x]) => [
        op,
        { ...x, cpuMs: x.cpuMs * factor, cpuMsPerUnit: x.cpuMsPerUnit * factor, dbMs: x.dbMs * factor, dbMsPerUnit: x.dbMsPerUnit * factor, waitMs: x.waitMs * factor },
      ]),
    ) as Record<Op, OpCost>;
}

const synapse: ServerProfile = {
  implementation: 'synapse',
  multiThreaded: false,
  postgres: true,
  cpuFactor: S.synapseCpuFactor,
  cpuFactorRange: { low: 1, high: 1 },
  cost: synapseCost,
  memory: {
    processBaseBytes: S.synapseProcessBaseBytes.value,
    cacheBytesWhenFull: S.synapseCacheBytesWhenFull.value,
    bytesPerOnlineDevice: S.bytesPerOnlineDevice.value,
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
  cpuFactorRange: { low: 0.5 / 0.6, high: 1 / 0.6 },
  cost: scaled(S.dendriteCpuFactor.value),
  memory: {
    processBaseBytes: S.dendriteProcessBaseBytes.value,
    cacheBytesWhenFull: S.dendriteCacheBytesWhenFull.value,
    bytesPerOnlineDevice: S.bytesPerOnlineDevice.value / 2,
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
  cpuFactorRange: { low: 0.04 / 0.09, high: 0.15 / 0.09 },
  cost: scaled(S.conduwuitCpuFactor.value),
  memory: {
    processBaseBytes: S.conduwuitProcessBaseBytes.value,
    cacheBytesWhenFull: S.conduwuitPduCacheBytesWhenFull.value,
    bytesPerOnlineDevice: S.bytesPerOnlineDevice.value / 5,
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
