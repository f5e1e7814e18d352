/**
 * The server model's coefficients: every fixed number of the homeserver
 * profiles (costs per operation, memory terms, implementation factors), with
 * its unit, trust label and source. Declarative data: a table, longer than
 * the modules around it on purpose. docs/MODEL.md's table of the homeserver
 * model is generated from it (`npm run docs`).
 */
import { coefficient as c, type Coefficient } from '../model/coefficients.js';
import { roundSignificant } from '../numeric/round-significant.js';

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
  loginCpuMs: c(
    5,
    'ms',
    'CPU of a /login besides the password hash: the request, a new device and access token (range 2-10)',
    'estimate',
    'a handful of database writes (devices, access_tokens) and the response, like the other small client requests here',
  ),
  loginDbMs: c(3, 'ms', 'PostgreSQL time of a /login: device and access-token rows (range 1-6)', 'estimate', 'two inserts and a lookup'),
  passwordHashCpuMs: c(
    250,
    'ms',
    "CPU of checking one password with bcrypt at Synapse's default cost (range 150-400)",
    'estimate',
    'Synapse config docs: bcrypt_rounds default 12; bcrypt doubles its work per round, and cost 12 takes about a quarter of a second on one current core',
  ),
  purgeCpuMsPerEvent: c(
    0.3,
    'ms',
    'CPU of deleting one event in a history purge: finding it, its state and its relations (range 0.1-1)',
    'estimate',
    'synapse storage/databases/main/purge_events.py deletes by event in batched queries; no published timing',
  ),
  purgeDbMsPerEvent: c(
    1.5,
    'ms',
    'PostgreSQL time of deleting one event: rows in events, event_json, event_edges, event_auth, event_search, receipts and state tables with their index entries (range 0.5-4)',
    'estimate',
    'a dozen row deletions with index maintenance, about 0.1 ms each on a warm cache',
  ),
  dbPoolConnections: c(
    10,
    'connections',
    "database connections each Synapse process keeps (its pool's cp_max): a transaction holds one until it commits, and a query finding none free waits for the next to be released",
    'docs',
    'Synapse docs/usage/configuration/config_documentation.md and docs/postgres.md, database.args: cp_min 5, cp_max 10 (element-hq/synapse at a58ad44e); Twisted adbapi runs queued interactions first come, first served on cp_max threads',
  ),
  backupDatabaseCores: c(
    1,
    'cores',
    'cores of PostgreSQL a database dump keeps busy while it runs (range 0.5-1)',
    'estimate',
    'pg_dump reads through one connection, one COPY per table after another (PostgreSQL docs, pg_dump: parallel only with --jobs and the directory format); its backend reads, formats and sends all the while, the compression being on the backup host',
  ),
  searchIndexCpuMsPerEvent: c(
    0.05,
    'ms',
    "Synapse CPU of indexing one message for search: the INSERT built in the event's persist transaction (range 0.025-0.15)",
    'estimate',
    'synapse storage/databases/main/events.py store_event_search_txn passes the body to PostgreSQL, which computes the tsvector: a few Python statements per event',
  ),
  searchIndexDbMsPerEvent: c(
    0.25,
    'ms',
    'PostgreSQL time of indexing one message: to_tsvector(english) on the body, the heap row, two B-tree entries and the GIN pending-list entry (range 0.125-0.75)',
    'estimate',
    'PostgreSQL docs 12.9 and 70.4.1 (GIN fast update: entries go to a pending list merged in bulk); parsing and stemming a 100-200 B body takes tens of microseconds, each index insertion about 0.05 ms on a warm cache',
  ),
  searchCpuMs: c(
    30,
    'ms',
    'Synapse CPU of one /search besides its matches: authentication, the rooms of the user, the page of 10 results with their visibility checks and context, the response (range 10-120)',
    'estimate',
    'synapse handlers/search.py: filter_events_for_client over the page and the events around each result; like an initial sync of a few rooms',
  ),
  searchCpuMsPerRow: c(
    0.005,
    'ms',
    "Synapse CPU per matched row: the rows returned (ranked, up to the query's LIMIT 500) and filtered by room (range 0.0025-0.02)",
    'estimate',
    'synapse storage/databases/main/search.py search_msgs: the rows come back as tuples and are filtered in Python; a few microseconds each',
  ),
  searchDbMs: c(2, 'ms', 'PostgreSQL time of one /search besides its matches: planning two queries and their commits (range 1-6)', 'estimate', 'two statements on a warm cache'),
  searchDbMsPerRow: c(
    0.02,
    'ms',
    'PostgreSQL time per matched row: fetched from the heap through the GIN bitmap, ranked with ts_rank_cd, and again in the count query (range 0.01-0.08)',
    'estimate',
    "synapse search_msgs runs a ranked query and a count query over every match (PostgreSQL docs 12.3.3, ranking: ts_rank_cd reads each matching document's tsvector); about 10 us a row each on a warm cache. The 2026 notes (matrix-2026.md section 8) cite a GIN search of a rare term on matrix.org at 6.71 ms",
  ),
  delayedEventCpuMs: c(
    2,
    'ms',
    "CPU of one delayed-event request (MSC4140: schedule, restart or send of a call's delayed leave event; range 1-4)",
    'estimate',
    'an authenticated POST that checks the delay id and moves its timer; like a small client request. Element Call restarts every 5 s per participant (element-call docs/self_hosting.md, matrix-2026.md §7.1); no published timing',
  ),
  delayedEventDbMs: c(
    0.5,
    'ms',
    'PostgreSQL time of one delayed-event request: one row of delayed_events updated (range 0.25-1)',
    'estimate',
    'one indexed UPDATE and its commit on a warm cache',
  ),
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
    'crumbs of deferred work on idle workers (a share of spread sync work, a pot a few receipts fill); changes how often, not how much, CPU is charged',
  ),
  maxDeferSeconds: c(5, 's', 'longest a crumb of deferred work waits', 'method', 'bounds the delay of small deferred work well under a 15-minute bin'),
  maxQueuedJobs: c(
    100_000,
    'jobs',
    'jobs a process holds waiting before it sheds new ones (requests time out)',
    'method',
    'bounds memory far past saturation, where latency is already unacceptable',
  ),
  maxQueuedJobsTotal: c(
    2_000_000,
    'jobs',
    "jobs the whole deployment holds waiting: each process's bound (and PostgreSQL's) is this shared equally among them, at most maxQueuedJobs and at least 1,000 (so more than 2,000 queues hold more)",
    'method',
    'bounds the memory of a simulation of hundreds of saturated processes (a thousand workers at 100,000 jobs each held 9 GiB) to about 300 MB; a deployment of 20 queues or fewer (processes and PostgreSQL) keeps 100,000 each',
  ),
  minQueuedJobs: c(
    1_000,
    'jobs',
    'the least a process (or PostgreSQL) holds waiting however many queues share maxQueuedJobsTotal',
    'method',
    'a queue of a thousand requests is already far past any latency target, so shedding beyond it changes no verdict; it keeps the bound from starving a deployment of thousands of processes',
  ),
  bytesPerActiveRoom: c(20_000, 'B', 'memory per recently active room outside the caches', 'estimate', 'room locks, forward-extremity and push-rule caches'),
} as const satisfies Record<string, Coefficient>;
