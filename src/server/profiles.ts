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
import { coefficient as c, type Coefficient } from '../model/coefficients.js';
import type { Op } from '../model/homeserver.js';
import { roundSignificant } from '../numeric/round-significant.js';
import type { Implementation } from '../scenario/grammar.js';

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

/**
 * The 2026 send benchmark (BridgerB/matrix-server-performance@2a19484a,
 * matrix-2026.md §6.4, bench): sends a second on 2 CPU / 4 GB per server, one
 * client sending sequentially and ten concurrently, into a one-member room
 * (no syncing device, no federation). Conduit is not an implementation here;
 * it is kept for the record.
 */
export const SEND_BENCHMARK_2026 = {
  conduit: { sequential: 1177, concurrent: 2498 },
  tuwunel: { sequential: 869, concurrent: 1826 },
  continuwuity: { sequential: 845, concurrent: 1456 },
  dendrite: { sequential: 92, concurrent: 102 },
  synapse: { sequential: 52, concurrent: 108 },
} as const;

/** The benchmark client's round trip on loopback in Docker, ms (estimate; SERVER_COEFFICIENTS.sendBenchmarkClientMs). */
const BENCHMARK_CLIENT_MS = 0.2;

/**
 * A server's send path relative to Synapse's, from the 2026 benchmark: the
 * server-side time of one sequential send (1 / sends a second, less the
 * client's round trip) over Synapse's, to 4 significant digits.
 * Dimensionless.
 * @example sendPathRatio(869) // (1000/869 - 0.2) / (1000/52 - 0.2) = 0.95075 / 19.0308 = 0.04996
 */
export function sendPathRatio(sequentialPerSecond: number): number {
  const serverMs = (perSecond: number) => 1000 / perSecond - BENCHMARK_CLIENT_MS;
  return roundSignificant(serverMs(sequentialPerSecond) / serverMs(SEND_BENCHMARK_2026.synapse.sequential), 4);
}

/** Bytes the conduwuit-family caches hold per entry (estimates; see the coefficients below). */
const RUST_LARGE_ENTRY_BYTES = 1024;
const RUST_SMALL_ENTRY_BYTES = 100;
/** A conduwuit-family cache budget from its default entries: large ones (PDUs, auth chains) and small ones (id mappings). */
const rustCacheBytes = (largeEntries: number, smallEntries: number) => largeEntries * RUST_LARGE_ENTRY_BYTES + smallEntries * RUST_SMALL_ENTRY_BYTES;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const SERVER_COEFFICIENTS = {
  synapseCpuFactor: c(1, 'x', 'Synapse CPU per operation (reference)', 'estimate', 'the costs below'),
  dendriteSendPathFactor: c(
    sendPathRatio(SEND_BENCHMARK_2026.dendrite.sequential),
    'x',
    "Dendrite's send path (a send's own CPU, database time and waits) relative to Synapse's (range 0.45-0.96); send path only",
    'bench',
    '2026 send benchmark (matrix-2026.md §6.4): 92 sequential sends/s against Synapse 52, the client round trip taken out: (1000/92 - 0.2) / (1000/52 - 0.2) = 0.561; low 0.8x (one run on one machine, estimate), high Romeo and Juliet 2022 (0.96)',
  ),
  tuwunelSendPathFactor: c(
    sendPathRatio(SEND_BENCHMARK_2026.tuwunel.sequential),
    'x',
    "tuwunel's send path relative to Synapse's (range 0.040-0.058); send path only",
    'bench',
    '2026 send benchmark: 869 sequential sends/s against Synapse 52: (1000/869 - 0.2) / (1000/52 - 0.2) = 0.0500; low 0.8x (estimate), high 1.15x: with 10 clients 2 cores / 1,826 sends/s = 1.10 core-ms a send against 0.95 ms sequential',
  ),
  continuwuitySendPathFactor: c(
    sendPathRatio(SEND_BENCHMARK_2026.continuwuity.sequential),
    'x',
    "continuwuity's send path relative to Synapse's (range 0.041-0.072); send path only",
    'bench',
    '2026 send benchmark: 845 sequential sends/s against Synapse 52: (1000/845 - 0.2) / (1000/52 - 0.2) = 0.0517; low 0.8x (estimate), high 1.4x: with 10 clients 2 cores / 1,456 sends/s = 1.37 core-ms a send against 0.98 ms sequential',
  ),
  dendriteOtherOpsFactor: c(
    0.6,
    'x',
    "Dendrite's costs other than the send path (sync, presence, receipts, federation, media, a send's deliveries) relative to Synapse's (range 0.5-1.0); not covered by the benchmark",
    'estimate',
    'the send-path ratio carried over uncalibrated (0.56 in the 2026 benchmark, 0.96 in Romeo and Juliet 2022); no benchmark of these operations exists',
  ),
  conduwuitFamilyOtherOpsFactor: c(
    0.09,
    'x',
    "tuwunel's and continuwuity's costs other than the send path relative to Synapse's (range 0.04-0.15); not covered by the benchmark",
    'estimate',
    '2026 send benchmark with 10 clients, 0.80 (Conduit) to 1.37 (Continuwuity) core-ms a send against Synapse 9.3 ms, carried over uncalibrated to operations the benchmark does not exercise',
  ),
  sendBenchmarkClientMs: c(
    BENCHMARK_CLIENT_MS,
    'ms',
    "round trip of the 2026 send benchmark's client to the server, taken out of the send-path ratios",
    'estimate',
    'a loopback HTTP request between Docker containers; Conduit answered in 0.85 ms in all (matrix-2026.md §6.4), so it is well under that',
  ),
  synapseProReplicationCpuMsPerRow: c(
    0.75,
    'ms',
    'CPU a Synapse Pro (Rust) worker spends per replication-stream row it follows (range 0.375-1.5); only with implementation "synapse-pro"',
    'vendor',
    'element.io blog, Jan 2025 (matrix-2026.md §6.2): under 3% of a core at 40 events/s, so 0.03 / 40 s = 0.75 ms, the bound taken as typical; no independent benchmark exists (range half to twice, estimate)',
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
  slidingSyncBaseCpuMs: c(
    4,
    'ms',
    'fixed CPU of one Simplified Sliding Sync response (range 2-8): auth, connection state lookup, extensions',
    'estimate',
    "no published figure (matrix-2026.md §1.2); v2's fixed part plus loading the connection's per-room state (sliding_sync_connection* tables)",
  ),
  slidingSyncCpuMsPerRoom: c(
    0.04,
    'ms',
    'CPU of one Simplified Sliding Sync response per room of the account (range 0.01-0.08): sorting and filtering the room list',
    'estimate',
    'the lists are recomputed over all rooms on every wake-up (synapse handlers/sliding_sync/room_lists.py); a little above v2 per room',
  ),
  slidingSyncDbMs: c(
    1,
    'ms',
    'PostgreSQL time per Simplified Sliding Sync response (connection position and room state written)',
    'estimate',
    'persist_per_connection_state writes the new connection position (synapse storage/databases/main/sliding_sync.py)',
  ),
  initialSyncCpuMs: c(50, 'ms', 'fixed CPU of one initial sync', 'estimate', 'auth, filter, account data, device lists, to-device'),
  initialSyncCpuMsPerRoom: c(
    5,
    'ms',
    'CPU of an initial sync per room of the account with lazy-loaded members (range 2-12)',
    'estimate',
    'a timeline, the required state and the lazy-loaded senders per room; operators report initial syncs of seconds to minutes for accounts in hundreds of rooms',
  ),
  initialSyncDbMsPerRoom: c(1, 'ms', 'PostgreSQL time of an initial sync per room', 'estimate', 'timeline and current-state queries per room'),
  pushRuleCpuMsPerMember: c(
    0.04,
    'ms',
    'CPU of evaluating the push rules of one local member for one event (range 0.015-0.1)',
    'estimate',
    'BulkPushRuleEvaluator loops over every local member (synapse push/bulk_push_rule_evaluator.py:126-132, 480-487); the matcher is in Rust, the loop and visibility checks in Python',
  ),
  pushActionDbMsPerMember: c(
    0.01,
    'ms',
    'PostgreSQL time per local member evaluated (push-action staging rows, batched)',
    'estimate',
    'one executemany into event_push_actions_staging per event, then moved to event_push_actions',
  ),
  notificationFetchCpuMs: c(
    6,
    'ms',
    'CPU of the request a phone makes to fetch the event of a push',
    'estimate',
    'a room-scoped sliding-sync or /event request with the room state needed to display it (matrix-2026.md §1.3)',
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
  dendriteBytesPerOnlineDevice: c(15_000, 'B', 'Dendrite memory per online device', 'estimate', "half of Synapse's bytesPerOnlineDevice: Go structures for the same sync state"),
  conduwuitFamilyProcessBaseBytes: c(60 * MiB, 'B', 'resident memory of an idle tuwunel or continuwuity', 'estimate', 'Rust binary with RocksDB, caches counted separately'),
  conduwuitFamilyBytesPerOnlineDevice: c(6_000, 'B', 'tuwunel or continuwuity memory per online device', 'estimate', "a fifth of Synapse's bytesPerOnlineDevice: Rust structures"),
  conduwuitFamilyBytesPerActiveRoom: c(
    5_000,
    'B',
    'tuwunel or continuwuity memory per recently active room outside the caches',
    'estimate',
    "a quarter of Synapse's bytesPerActiveRoom",
  ),
  rocksDbCacheFixedBytes: c(
    176 * MiB,
    'B',
    'RocksDB read cache and write buffer of tuwunel and continuwuity before the per-core part',
    'code',
    'tuwunel and continuwuity src/core/config/mod.rs: db_cache_capacity_mb 128 + db_write_buffer_capacity_mb 48 (conduwuit had the same)',
  ),
  rocksDbCacheBytesPerCore: c(
    68 * MiB,
    'B',
    'RocksDB read cache and write buffer of tuwunel and continuwuity per core',
    'code',
    'same file: 64 MB a core of read cache and 4 MB a core of write buffer',
  ),
  rustCacheLargeEntryBytes: c(
    RUST_LARGE_ENTRY_BYTES,
    'B',
    'memory of one large entry of the conduwuit-family caches (a PDU, an auth chain)',
    'estimate',
    'a 0.6-1.1 KB event as Rust structures; an auth chain of ~100 event ids (8 B each) with its key',
  ),
  rustCacheSmallEntryBytes: c(
    RUST_SMALL_ENTRY_BYTES,
    'B',
    'memory of one small entry of the conduwuit-family caches (an id mapping)',
    'estimate',
    'an event id or state key string and a 64-bit short id, with LRU overhead',
  ),
  tuwunelCacheBytesFixed: c(
    rustCacheBytes(250_000, 900_000),
    'B',
    "tuwunel's in-memory caches when full, fixed part (250,000 large and 900,000 small entries)",
    'estimate',
    'tuwunel src/core/config/mod.rs defaults (code): pdu 100K, eventid_pdu 100K, auth_chain 50K; shorteventid, eventidshort, shortstatekey, statekeyshort 100K each, servernameevent_data 500K; at rustCacheLargeEntryBytes and rustCacheSmallEntryBytes',
  ),
  tuwunelCacheBytesPerCore: c(
    rustCacheBytes(135_100, 196_000),
    'B',
    "tuwunel's in-memory caches when full, per core (135,100 large and 196,000 small entries)",
    'estimate',
    'same defaults, the parts scaled by cores: pdu 10K, eventid_pdu 25K, auth_chain 100K, stateinfo 100; shorteventid 50K, eventidshort 25K, shortstatekey 10K, statekeyshort 10K, servernameevent_data 100K, spacehierarchy 1K',
  ),
  continuwuityCacheBytesFixed: c(
    rustCacheBytes(300_000, 900_000),
    'B',
    "continuwuity's in-memory caches when full, fixed part (300,000 large and 900,000 small entries)",
    'estimate',
    "continuwuity src/core/config/mod.rs defaults (code): as tuwunel's but auth_chain 100K",
  ),
  continuwuityCacheBytesPerCore: c(
    rustCacheBytes(45_100, 196_000),
    'B',
    "continuwuity's in-memory caches when full, per core (45,100 large and 196,000 small entries)",
    'estimate',
    "as tuwunel's but auth_chain 10K a core",
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
  conduwuitFamilyJoinBytesPerStateEvent: c(
    5_000,
    'B',
    'extra memory per event downloaded while tuwunel or continuwuity joins a room',
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
