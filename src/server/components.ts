/**
 * The other components of the comms layer, beside the homeserver and its
 * PostgreSQL, as profiles: the authentication service (MAS), the push
 * gateway (Sygnal), the content scanner (matrix-content-scanner with
 * ClamAV), the policy server (policyserv), the moderation bot (Draupnir),
 * the reverse proxy (nginx) and a TURN relay (coturn). Calls on an SFU are
 * not here.
 *
 * A profile is a fixed footprint per instance (what the idle process holds)
 * plus variable terms, each a load rate times a coefficient: CPU per login,
 * per push, per scanned megabyte, per checked event, per relayed Mbit/s;
 * memory per protected room and per room and rule; bandwidth per request.
 * Components with a database of their own (MAS, policyserv) say how it is
 * sized. `componentDemand` turns a profile and the load at the peak into
 * what one instance needs and how many instances: the variable CPU is held
 * under the recommendation's CPU ceiling (run.server.targets.cpuUtilization,
 * 0.7 by default, as the homeserver's processes), bandwidth gets the same
 * headroom as the homeserver's (run.server.targets.bandwidthHeadroom), and
 * an idle component costs exactly its fixed footprint.
 *
 * No component publishes throughput figures (matrix-2026.md §9: "MAS
 * throughput, Draupnir resource tables" not found). The fixed footprints
 * lean on the ESS Helm chart's resource requests and on vendor docs (ClamAV);
 * the per-request costs on published benchmarks where one exists (nginx,
 * argon2, ClamAV scan rates) and on estimates otherwise. Every number is in
 * COMPONENT_COEFFICIENTS with its unit, trust label and source; docs/MODEL.md
 * ("Other components") is generated from that table.
 *
 * Nothing in the simulation reads this module yet: the scenario's
 * `components` section switches the profiles on and off, and the loads are
 * the peak rates the simulation counts (logins, pushes, media downloads,
 * events, client and federation traffic).
 */
import { coefficient as c, K } from '../model/coefficients.js';
import type { ComponentSettings } from '../scenario/grammar.js';
import { DEFAULT_BANDWIDTH_HEADROOM, DEFAULT_CPU_UTILIZATION } from '../scenario/limits.js';
import { SERVER_COEFFICIENTS as S } from './server-coefficients.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Every fixed number of the component profiles, with its unit, trust label
 * (src/model/coefficients.ts) and source. Declarative data, like
 * SERVER_COEFFICIENTS.
 */
export const COMPONENT_COEFFICIENTS = {
  // --- Matrix Authentication Service ----------------------------------------
  masFixedCores: c(
    0.05,
    'cores',
    'CPU of an idle MAS instance',
    'docs',
    'ESS Helm chart: MAS requests 50m CPU (element-hq/ess-helm charts/matrix-stack/values.yaml, matrixAuthenticationService.resources; matrix-2026.md §7.4)',
  ),
  masFixedRamMiB: c(
    200,
    'MiB',
    'resident memory of one MAS instance (range 50-350)',
    'estimate',
    'ESS chart: request 50 MiB, limit 350 MiB (values.yaml); matrix-2026.md §7.4 takes 200-300 MB with its templates and policy engine loaded',
  ),
  masLoginCpuMs: c(
    20,
    'ms',
    'MAS CPU per login besides a password check (range 10-40): authorize, login or upstream callback, consent, token exchange, provisioning the device on Synapse',
    'estimate',
    'about ten HTTP requests of 1-2 ms each in a Rust service, with template rendering and a policy evaluation; no published figure (matrix-2026.md §9)',
  ),
  masPasswordHashCpuMs: c(
    20,
    'ms',
    "MAS CPU to check one password with argon2id at the argon2 crate's defaults (19 MiB, 2 passes, 1 lane; range 15-40)",
    'derived',
    'MAS hashes with argon2::Params::default() (crates/handlers/src/passwords.rs); the RustCrypto benchmark (RustCrypto/password-hashes#547) takes 2.145 ms for 4 MiB and one pass, so 2.145 x 19/4 x 2 = 20.4 ms',
  ),
  masAccessTokenTtlSeconds: c(
    300,
    's',
    'lifetime of an access token: each online device refreshes its token this often',
    'docs',
    'MAS configuration reference, experimental.access_token_ttl and compat_token_ttl, default 300',
  ),
  masRefreshCpuMs: c(2, 'ms', 'MAS CPU per token refresh (range 1-5)', 'estimate', 'one token request: look up the refresh token, issue a new pair, two row writes'),
  synapseIntrospectionCacheSeconds: c(
    120,
    's',
    "how long Synapse caches MAS's answer on an access token: each online device's token is introspected this often",
    'code',
    'synapse api/auth/mas.py:140-146 (matrix-2026.md §7.4)',
  ),
  masIntrospectionCpuMs: c(1, 'ms', 'MAS CPU per token introspection by Synapse (range 0.5-3)', 'estimate', 'one authenticated POST, a token and session lookup, a JSON answer'),
  masDbLoginMs: c(3, 'ms', "MAS's PostgreSQL time per login (range 1-6)", 'estimate', 'a browser session, an OAuth 2.0 or compatibility session, a token pair: a few inserts'),
  masDbRefreshMs: c(1, 'ms', "MAS's PostgreSQL time per token refresh", 'estimate', 'a lookup, an insert and an update'),
  masDbIntrospectionMs: c(0.3, 'ms', "MAS's PostgreSQL time per introspection", 'estimate', 'an indexed lookup of the token and its session'),
  masDbConnectionsPerInstance: c(
    10,
    'connections',
    'PostgreSQL connections each MAS instance opens at most',
    'docs',
    'MAS configuration reference, database.max_connections default 10',
  ),
  masDbBytesPerUser: c(
    2 * KiB,
    'B',
    'MAS database bytes per user: the user, e-mails, upstream links (indexes included)',
    'estimate',
    'a few narrow rows with their primary and lookup indexes',
  ),
  masDbBytesPerDevice: c(
    6 * KiB,
    'B',
    'MAS database bytes per logged-in device: its session and live tokens (indexes included)',
    'estimate',
    'a session row and an access and refresh token pair; expired tokens are removed by its cleanup jobs (MAS docs, development/cleanup-jobs)',
  ),
  // --- PostgreSQL of a component ------------------------------------------------
  componentDbFixedCores: c(0.02, 'cores', 'CPU of an idle component database (autovacuum, checkpoints)', 'estimate', 'a PostgreSQL with a handful of small tables'),
  componentDbWalGiB: c(1, 'GiB', 'disk a component database holds whatever its data: WAL and catalogs', 'docs', 'PostgreSQL documentation: max_wal_size default 1 GB'),
  // --- Push gateway (Sygnal) ------------------------------------------------------
  sygnalFixedCores: c(0.02, 'cores', 'CPU of an idle Sygnal process', 'estimate', 'a Twisted reactor waiting on its sockets and its metrics endpoint'),
  sygnalFixedRamMiB: c(
    100,
    'MiB',
    'resident memory of one Sygnal process (range 60-200)',
    'estimate',
    'a Python/Twisted process with its APNs and FCM clients, smaller than an idle Synapse process (synapseProcessBaseBytes, 150 MiB)',
  ),
  sygnalPushCpuMs: c(
    2,
    'ms',
    'Sygnal CPU per push (range 1-5): the /notify request parsed, one HTTP/2 request to APNs or FCM on a kept-alive connection',
    'estimate',
    "as the homeserver's own pusher spends per push (profiles.ts, push: 2 ms); no published Sygnal figure",
  ),
  // --- Content scanner (matrix-content-scanner-python + ClamAV) -----------------------
  scannerFixedCores: c(
    0.05,
    'cores',
    'CPU of an idle scanner and ClamAV: signature update checks and the daily reload',
    'estimate',
    'freshclam checks a few times a day; a reload takes about a core for a minute',
  ),
  scannerProcessRamMiB: c(
    150,
    'MiB',
    'resident memory of the scanner process (Python), its cache excluded',
    'estimate',
    'a Python/Twisted web service with libmagic and its Rust crypto module',
  ),
  clamavRamMiB: c(
    4096,
    'MiB',
    'resident memory of ClamAV (clamd) with the official signatures (range 3-6 GiB)',
    'docs',
    'docs.clamav.net, Installing/Docker: "Minimum: 3 GiB, Preferred: 4 GiB"; a maintainer advises 6 GB or more (Cisco-Talos/clamav#1129, 2024); matrix-2026.md §7.5',
  ),
  clamavDiskGiB: c(1, 'GiB', 'disk of the ClamAV signature databases, twice their size during an update', 'estimate', 'main, daily and bytecode databases, about 0.4 GiB'),
  scannerCacheEntries: c(
    1024,
    'entries',
    'scan results the scanner keeps in memory, each with a copy of the media that passed',
    'code',
    'matrix-content-scanner-python config.sample.yaml, result_cache.max_size default 1024; entries hold the media (scanner/scanner.py CacheEntry)',
  ),
  scannerDownloadCpuMs: c(
    3,
    'ms',
    'scanner CPU per media download it serves (range 1-6): request, cache lookup, response',
    'estimate',
    'one request through a Python/Twisted proxy',
  ),
  scannerCpuMsPerMB: c(
    5,
    'ms',
    'scanner CPU per MB of media it serves (range 2-10): copying through Python, decrypting encrypted attachments',
    'estimate',
    'the body is held in memory and written back; AES-CTR decryption runs in its Rust module at far more than 100 MB/s',
  ),
  scanCpuMs: c(
    15,
    'ms',
    'CPU per scan besides its bytes (range 5-30): the scan script started (clamdscan), the MIME type detected',
    'estimate',
    'a fork and exec of a small client per file (config.sample.yaml, scan.script) and a libmagic call',
  ),
  clamavCpuMsPerMB: c(
    100,
    'ms',
    'ClamAV CPU per MB scanned (range 90-260)',
    'anecdote',
    'Cisco-Talos/clamav#590 (2022): one thread scanned 17,019 MB in 1,569 s with ClamAV 0.104 (92 ms/MB) and 22,403 MB in 5,898 s with 0.105 (263 ms/MB)',
  ),
  // --- Policy server (policyserv) -------------------------------------------------
  policyFixedCores: c(0.02, 'cores', 'CPU of an idle policy server', 'estimate', 'a Go service with its scheduler and metrics endpoint'),
  policyFixedRamMiB: c(100, 'MiB', 'resident memory of an idle policy server', 'estimate', 'a Go binary with its HTTP server and database pool'),
  policyCheckCpuMs: c(
    2,
    'ms',
    'policy server CPU per event checked (range 0.5-5): a federation request, its signature, the filters, the event signed',
    'estimate',
    'keyword, density and mention filters over the event JSON and one ed25519 signature (matrix-org/policyserv README, filters); media filters (hashing) and AI moderation are left out',
  ),
  policyRamMiBPerRoom: c(
    0.05,
    'MiB',
    'policy server memory per protected room: its cached state',
    'estimate',
    "policyserv caches room state (PS_STATE_CACHE_MINUTES, README); a room's current state of a few dozen members is tens of KiB",
  ),
  policyCheckBytes: c(3000, 'B', 'bytes per check on the network: the event in, the signature out, with headers', 'estimate', 'an event of a kilobyte or two, signed and returned'),
  policyDbCheckMs: c(0.5, 'ms', "policy server's PostgreSQL time per event checked", 'estimate', 'one row in its events table (policyserv migrations/01_event_cache_up.sql)'),
  policyDbBytesPerEvent: c(200, 'B', 'policy server database bytes per event checked, kept (indexes included)', 'estimate', 'an event id, result codes and the primary key index'),
  policyDbConnections: c(10, 'connections', 'PostgreSQL connections of a policy server at most', 'docs', 'policyserv README, PS_DATABASE_MAX_OPEN_CONNS default 10'),
  // --- Moderation bot (Draupnir) -------------------------------------------------
  botFixedCores: c(0.02, 'cores', 'CPU of an idle moderation bot', 'estimate', 'a Node.js process waiting on its /sync long-poll'),
  botFixedRamMiB: c(150, 'MiB', 'resident memory of an idle moderation bot (Node.js)', 'estimate', 'Node.js with the Matrix client SDK and its stores loaded'),
  botFixedDiskGiB: c(0.1, 'GiB', "the bot's own stores (SQLite audit log, sync token)", 'estimate', 'small local databases'),
  botEventCpuMs: c(
    1,
    'ms',
    'bot CPU per event in a protected room (range 0.3-3): received by /sync, run through its protections',
    'estimate',
    'a JSON event through a handful of checks in Node.js',
  ),
  botRamMiBPerRoom: c(
    0.05,
    'MiB',
    'bot memory per protected room: its state and members',
    'estimate',
    "the room state the bot keeps to apply bans; a room's current state of a few dozen members is tens of KiB",
  ),
  botRamKiBPerRule: c(2, 'KiB', 'bot memory per policy-list rule', 'estimate', 'a policy event and its parsed entity (a user or server glob)'),
  botRamBytesPerRoomRule: c(
    64,
    'B',
    'bot memory per protected room and rule (a rule matched against each room)',
    'estimate',
    'memory grows with rooms x rules: spikes on glob rules protecting just under 1,000 rooms (the-draupnir-project/Draupnir#1018, 2026; matrix-2026.md §7.5, anecdote); no figure published',
  ),
  // --- Reverse proxy (nginx) -----------------------------------------------------
  proxyFixedCores: c(0.1, 'cores', 'CPU of an idle reverse proxy', 'docs', 'ESS Helm chart: HAProxy in front of Synapse requests 100m CPU (values.yaml, haproxy.resources)'),
  proxyFixedRamMiB: c(
    100,
    'MiB',
    'resident memory of the reverse proxy, connections excluded',
    'docs',
    'ESS Helm chart: HAProxy requests 100 MiB (limit 200 MiB; values.yaml, haproxy.resources)',
  ),
  proxyRequestCpuMs: c(
    0.028,
    'ms',
    'proxy CPU per HTTPS request on a kept-alive connection, the upstream request included',
    'vendor',
    'nginx.com, "Testing the Performance of NGINX and NGINX Plus Web Servers" (2017): 71,561 HTTPS requests/s of 0 KB on one CPU, 0.014 ms each, doubled for the upstream request a proxy makes',
  ),
  proxyCpuMsPerMB: c(
    1.9,
    'ms',
    'proxy CPU per MB through it, TLS encryption included',
    'vendor',
    'same benchmark: 4,830 HTTPS requests/s of 100 KB on one CPU, (1/4,830 - 1/71,561) s per 0.1024 MB = 1.88 ms per MB',
  ),
  proxyHandshakeCpuMs: c(
    1,
    'ms',
    'proxy CPU per full TLS handshake (range 0.3-2)',
    'estimate',
    'an ECDHE key exchange and a certificate signature on one core; resumed sessions cost far less',
  ),
  proxyKiBPerConnection: c(40, 'KiB', 'proxy memory per open TLS connection', 'estimate', "OpenSSL's 16 KiB read and write buffers and nginx's connection and request structures"),
  // --- TURN (coturn) -------------------------------------------------------------
  turnFixedCores: c(0.02, 'cores', 'CPU of an idle TURN server', 'estimate', 'coturn waiting on its sockets'),
  turnFixedRamMiB: c(64, 'MiB', 'resident memory of a TURN server', 'estimate', 'coturn with its relay threads and allocation tables'),
  turnCpuUsPerPacket: c(
    10,
    'us',
    'TURN CPU per media packet relayed (range 5-17): received and sent again',
    'estimate',
    "below LiveKit's 13-17 us per forwarded packet (matrix-2026.md §7.2, derived), since a relay neither parses RTP nor picks layers",
  ),
  turnMediaPacketBytes: c(
    1100,
    'B',
    'bytes of a relayed media packet on average',
    'estimate',
    'video RTP packets fill most of the 1,200-byte payload WebRTC uses; audio packets are about 100 bytes and carry little of the bandwidth',
  ),
} as const;

export type ComponentCoefficientName = keyof typeof COMPONENT_COEFFICIENTS;
const X = COMPONENT_COEFFICIENTS;

/**
 * The load on the components at the peak: rates the simulation counts (per
 * second, at the p95 bin) and sizes at the horizon. Every field is 0 or
 * more; ZERO_LOAD is an idle deployment.
 */
export interface ComponentLoad {
  /** Logins per second, a massLogin's peak included. */
  loginsPerSecond: number;
  /** Of those, logins whose password MAS checks (the rest go through an upstream identity provider). */
  passwordLoginsPerSecond: number;
  /** Devices online: each refreshes its access token and is introspected by Synapse. */
  onlineDevices: number;
  /** Users and logged-in devices at the horizon: rows of MAS's database. */
  users: number;
  devices: number;
  /** Requests from the homeserver to the push gateway per second (one per pusher per notification). */
  pushesPerSecond: number;
  /** Media downloads per second, and their MB per second (10^6 bytes), that the scanner serves. */
  mediaDownloadsPerSecond: number;
  mediaDownloadMBps: number;
  /** Scans per second and MB scanned per second: media not yet in the scanner's result cache (each file scanned once while cached). */
  mediaScansPerSecond: number;
  mediaScannedMBps: number;
  /** Mean size of a media file, MiB: what one entry of the scanner's result cache holds. */
  meanMediaMiB: number;
  /** Events per second the policy server checks, the rooms it protects, and the events it has checked by the horizon. */
  policyEventsPerSecond: number;
  policyProtectedRooms: number;
  policyEventsStored: number;
  /** Events per second in the rooms the moderation bot protects, those rooms, and the rules of its policy lists. */
  botEventsPerSecond: number;
  botProtectedRooms: number;
  botRules: number;
  /** Through the reverse proxy: HTTPS requests per second (clients and federation), Mbit/s (the larger direction), full TLS handshakes per second, connections open. */
  proxyRequestsPerSecond: number;
  proxyMbps: number;
  proxyHandshakesPerSecond: number;
  proxyConnections: number;
  /** Call media relayed by TURN, Mbit/s (each bit comes in and goes out once). */
  turnRelayedMbps: number;
}

export type LoadField = keyof ComponentLoad;

/** No load at all: every component at its fixed footprint. */
export const ZERO_LOAD: Readonly<ComponentLoad> = {
  loginsPerSecond: 0,
  passwordLoginsPerSecond: 0,
  onlineDevices: 0,
  users: 0,
  devices: 0,
  pushesPerSecond: 0,
  mediaDownloadsPerSecond: 0,
  mediaDownloadMBps: 0,
  mediaScansPerSecond: 0,
  mediaScannedMBps: 0,
  meanMediaMiB: 0,
  policyEventsPerSecond: 0,
  policyProtectedRooms: 0,
  policyEventsStored: 0,
  botEventsPerSecond: 0,
  botProtectedRooms: 0,
  botRules: 0,
  proxyRequestsPerSecond: 0,
  proxyMbps: 0,
  proxyHandshakesPerSecond: 0,
  proxyConnections: 0,
  turnRelayedMbps: 0,
};

/** One variable term: a load field (or the product of two) times an amount per unit of it, in the unit of the quantity it adds to. */
export interface Term {
  input: LoadField | readonly [LoadField, LoadField];
  /** Amount per unit of the input: CPU ms per second of rate, MiB, GiB or Mbit/s. */
  perUnit: number;
  /** What the term is, with the coefficients it comes from. */
  what: string;
}

/** A database of a component's own: PostgreSQL, sized from its fixed part, its connections and its rows. */
export interface DatabaseProfile {
  /** What the database is ('MAS database, PostgreSQL 13 or later'). */
  name: string;
  fixedCores: number;
  /** Background processes and shared_buffers, MiB. */
  fixedRamMiB: number;
  /** Connections each instance of the component opens. */
  connectionsPerInstance: number;
  /** Memory per connection, MiB. */
  ramMiBPerConnection: number;
  /** WAL and catalogs, GiB. */
  fixedDiskGiB: number;
  /** PostgreSQL CPU ms per second of rate. */
  cpu: readonly Term[];
  /** Data, GiB, PostgreSQL's overhead included. */
  disk: readonly Term[];
}

export const COMPONENT_KINDS = ['authService', 'pushGateway', 'contentScanner', 'policyServer', 'moderationBot', 'reverseProxy', 'turn'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface ComponentProfile {
  kind: ComponentKind;
  /** The name people use ('Matrix Authentication Service'). */
  name: string;
  /** The software the figures are for. */
  software: string;
  /** Switched on in the scenario. */
  enabled: boolean;
  /** Instances at least, for availability. */
  minInstances: number;
  /** Cores one instance can use (1 for one Python or Node.js process); null: as many as it is given. */
  maxCoresPerInstance: number | null;
  /** Fixed footprint of one instance. */
  fixed: { cores: number; ramMiB: number; diskGiB: number };
  /** CPU ms per second of rate. */
  cpu: readonly Term[];
  /** Memory, MiB. */
  ram: readonly Term[];
  /** Network, Mbit/s (the larger direction). */
  bandwidth: readonly Term[];
  /** True when its traffic is the homeserver's own passing through (the proxy, the scanner): the public link must count it once. */
  carriesHomeserverTraffic: boolean;
  database: DatabaseProfile | null;
  /** What the profile leaves out. */
  leftOut: string;
}

/** What one component needs. */
export interface ComponentDemand {
  /** Instances; 0 when switched off. */
  count: number;
  /** Each instance: cores (fractional), RAM and disk in GiB, network in Mbit/s with the bandwidth headroom. */
  cores: number;
  ramGiB: number;
  diskGiB: number;
  bandwidthMbps: number;
  /** Its own PostgreSQL database, for all its instances; null without one. */
  database: { cores: number; ramGiB: number; diskGiB: number } | null;
}

/** The headroom demand is sized at: the recommendation's own targets. */
export interface ComponentTargets {
  cpuUtilization: number;
  bandwidthHeadroom: number;
}

/** The grammar's default targets (run.server.targets). */
export const DEFAULT_COMPONENT_TARGETS: Readonly<ComponentTargets> = { cpuUtilization: DEFAULT_CPU_UTILIZATION, bandwidthHeadroom: DEFAULT_BANDWIDTH_HEADROOM };

const MB_TO_MBIT = 8;
const BYTES_TO_MBIT = 8 / 1e6;
const term = (input: Term['input'], perUnit: number, what: string): Term => ({ input, perUnit, what });

/** A component database's fixed memory: PostgreSQL's background processes and its default shared_buffers (its hot data is small). */
const COMPONENT_DB_FIXED_RAM_MIB = (S.postgresBaseBytes.value + S.postgresHotDataMinBytes.value) / MiB;
const POSTGRES_CONNECTION_MIB = S.postgresConnectionBytes.value / MiB;
const onDisk = (bytes: number) => (bytes * K.postgresOverheadFactor) / GiB;

/** The component settings a profile reads: enabled and instances. */
interface Switch {
  enabled: boolean;
  instances: number;
}

function authService(on: Switch): ComponentProfile {
  return {
    kind: 'authService',
    name: 'Matrix Authentication Service',
    software: 'MAS',
    enabled: on.enabled,
    minInstances: on.instances,
    maxCoresPerInstance: null,
    fixed: { cores: X.masFixedCores.value, ramMiB: X.masFixedRamMiB.value, diskGiB: 0 },
    cpu: [
      term('loginsPerSecond', X.masLoginCpuMs.value, 'masLoginCpuMs per login'),
      term('passwordLoginsPerSecond', X.masPasswordHashCpuMs.value, 'masPasswordHashCpuMs per password checked'),
      term(
        'onlineDevices',
        X.masRefreshCpuMs.value / X.masAccessTokenTtlSeconds.value + X.masIntrospectionCpuMs.value / X.synapseIntrospectionCacheSeconds.value,
        'per online device: masRefreshCpuMs / masAccessTokenTtlSeconds + masIntrospectionCpuMs / synapseIntrospectionCacheSeconds',
      ),
    ],
    ram: [],
    bandwidth: [],
    carriesHomeserverTraffic: false,
    database: {
      name: 'MAS database (PostgreSQL 13 or later, no transaction-mode pooler)',
      fixedCores: X.componentDbFixedCores.value,
      fixedRamMiB: COMPONENT_DB_FIXED_RAM_MIB,
      connectionsPerInstance: X.masDbConnectionsPerInstance.value,
      ramMiBPerConnection: POSTGRES_CONNECTION_MIB,
      fixedDiskGiB: X.componentDbWalGiB.value,
      cpu: [
        term('loginsPerSecond', X.masDbLoginMs.value, 'masDbLoginMs per login'),
        term(
          'onlineDevices',
          X.masDbRefreshMs.value / X.masAccessTokenTtlSeconds.value + X.masDbIntrospectionMs.value / X.synapseIntrospectionCacheSeconds.value,
          'per online device: masDbRefreshMs / masAccessTokenTtlSeconds + masDbIntrospectionMs / synapseIntrospectionCacheSeconds',
        ),
      ],
      disk: [
        term('users', onDisk(X.masDbBytesPerUser.value), 'masDbBytesPerUser x postgresOverheadFactor'),
        term('devices', onDisk(X.masDbBytesPerDevice.value), 'masDbBytesPerDevice x postgresOverheadFactor'),
      ],
    },
    leftOut:
      "Synapse's token introspection requests to MAS (each token not cached in the last 2 minutes; the homeserver no longer hashing a login's password is modelled), the upstream identity provider, e-mail, the admin API and GraphQL, cleanup jobs",
  };
}

function pushGateway(on: Switch): ComponentProfile {
  return {
    kind: 'pushGateway',
    name: 'Push gateway',
    software: 'Sygnal',
    enabled: on.enabled,
    minInstances: on.instances,
    maxCoresPerInstance: 1,
    fixed: { cores: X.sygnalFixedCores.value, ramMiB: X.sygnalFixedRamMiB.value, diskGiB: 0 },
    cpu: [term('pushesPerSecond', X.sygnalPushCpuMs.value, 'sygnalPushCpuMs per push')],
    ram: [],
    bandwidth: [term('pushesPerSecond', K.pushRequestBytes * BYTES_TO_MBIT, 'pushRequestBytes per push, received and sent on')],
    carriesHomeserverTraffic: false,
    database: null,
    leftOut: "Apple's and Google's own limits and latency; WebPush; the app's build with its own push credentials",
  };
}

function contentScanner(on: Switch): ComponentProfile {
  return {
    kind: 'contentScanner',
    name: 'Content scanner',
    software: 'matrix-content-scanner-python with ClamAV',
    enabled: on.enabled,
    minInstances: on.instances,
    maxCoresPerInstance: null,
    fixed: { cores: X.scannerFixedCores.value, ramMiB: X.scannerProcessRamMiB.value + X.clamavRamMiB.value, diskGiB: X.clamavDiskGiB.value },
    cpu: [
      term('mediaDownloadsPerSecond', X.scannerDownloadCpuMs.value, 'scannerDownloadCpuMs per download'),
      term('mediaDownloadMBps', X.scannerCpuMsPerMB.value, 'scannerCpuMsPerMB per MB served'),
      term('mediaScansPerSecond', X.scanCpuMs.value, 'scanCpuMs per scan'),
      term('mediaScannedMBps', X.clamavCpuMsPerMB.value, 'clamavCpuMsPerMB per MB scanned'),
    ],
    ram: [term('meanMediaMiB', X.scannerCacheEntries.value, 'scannerCacheEntries x the mean media size')],
    bandwidth: [term('mediaDownloadMBps', MB_TO_MBIT, 'the media it serves')],
    carriesHomeserverTraffic: true,
    database: null,
    leftOut:
      'thumbnails scanned as files of their own, a second copy of ClamAV during a signature reload (ConcurrentDatabaseReload), uploads scanned before they are stored (the scanner checks downloads)',
  };
}

function policyServer(on: Switch): ComponentProfile {
  return {
    kind: 'policyServer',
    name: 'Policy server',
    software: 'policyserv (MSC4284)',
    enabled: on.enabled,
    minInstances: on.instances,
    maxCoresPerInstance: null,
    fixed: { cores: X.policyFixedCores.value, ramMiB: X.policyFixedRamMiB.value, diskGiB: 0 },
    cpu: [term('policyEventsPerSecond', X.policyCheckCpuMs.value, 'policyCheckCpuMs per event checked')],
    ram: [term('policyProtectedRooms', X.policyRamMiBPerRoom.value, 'policyRamMiBPerRoom per protected room')],
    bandwidth: [term('policyEventsPerSecond', X.policyCheckBytes.value * BYTES_TO_MBIT, 'policyCheckBytes per event checked')],
    carriesHomeserverTraffic: false,
    database: {
      name: 'policyserv database (PostgreSQL; tested with 16)',
      fixedCores: X.componentDbFixedCores.value,
      fixedRamMiB: COMPONENT_DB_FIXED_RAM_MIB,
      connectionsPerInstance: X.policyDbConnections.value,
      ramMiBPerConnection: POSTGRES_CONNECTION_MIB,
      fixedDiskGiB: X.componentDbWalGiB.value,
      cpu: [term('policyEventsPerSecond', X.policyDbCheckMs.value, 'policyDbCheckMs per event checked')],
      disk: [term('policyEventsStored', onDisk(X.policyDbBytesPerEvent.value), 'policyDbBytesPerEvent x postgresOverheadFactor per event kept')],
    },
    leftOut:
      "the wait of a remote event for its check on arrival (a local send's wait, policyCheckWaitMs, and the homeserver's request per event are modelled: state.ts), the events it receives as a member of the protected rooms, media filters and AI moderation, encrypted rooms (it cannot read them)",
  };
}

function moderationBot(enabled: boolean): ComponentProfile {
  return {
    kind: 'moderationBot',
    name: 'Moderation bot',
    software: 'Draupnir',
    enabled,
    minInstances: 1,
    maxCoresPerInstance: 1,
    fixed: { cores: X.botFixedCores.value, ramMiB: X.botFixedRamMiB.value, diskGiB: X.botFixedDiskGiB.value },
    cpu: [term('botEventsPerSecond', X.botEventCpuMs.value, 'botEventCpuMs per event')],
    ram: [
      term('botProtectedRooms', X.botRamMiBPerRoom.value, 'botRamMiBPerRoom per protected room'),
      term('botRules', X.botRamKiBPerRule.value / KiB, 'botRamKiBPerRule per rule'),
      term(['botProtectedRooms', 'botRules'], X.botRamBytesPerRoomRule.value / MiB, 'botRamBytesPerRoomRule per room and rule'),
    ],
    bandwidth: [],
    carriesHomeserverTraffic: false,
    database: null,
    leftOut:
      "the CPU of a policy-list revision (each rule matched against every member of every room), the homeserver's /sync load of the bot's account, the synapse-http-antispam module, moderators' labour",
  };
}

function reverseProxy(on: Switch): ComponentProfile {
  return {
    kind: 'reverseProxy',
    name: 'Reverse proxy',
    software: 'nginx',
    enabled: on.enabled,
    minInstances: on.instances,
    maxCoresPerInstance: null,
    fixed: { cores: X.proxyFixedCores.value, ramMiB: X.proxyFixedRamMiB.value, diskGiB: 0 },
    cpu: [
      term('proxyRequestsPerSecond', X.proxyRequestCpuMs.value, 'proxyRequestCpuMs per request'),
      term('proxyMbps', X.proxyCpuMsPerMB.value / MB_TO_MBIT, 'proxyCpuMsPerMB per MB (per Mbit/s: / 8)'),
      term('proxyHandshakesPerSecond', X.proxyHandshakeCpuMs.value, 'proxyHandshakeCpuMs per handshake'),
    ],
    ram: [term('proxyConnections', X.proxyKiBPerConnection.value / KiB, 'proxyKiBPerConnection per connection')],
    bandwidth: [term('proxyMbps', 1, 'the client and federation traffic it carries')],
    carriesHomeserverTraffic: true,
    database: null,
    leftOut: 'access logs on disk, HTTP/2 and HTTP/3 differences, rate limiting, the load balancer in front of several instances',
  };
}

function turn(on: Switch): ComponentProfile {
  const packetsPerMbit = 1e6 / 8 / X.turnMediaPacketBytes.value;
  return {
    kind: 'turn',
    name: 'TURN relay',
    software: 'coturn',
    enabled: on.enabled,
    minInstances: on.instances,
    maxCoresPerInstance: null,
    fixed: { cores: X.turnFixedCores.value, ramMiB: X.turnFixedRamMiB.value, diskGiB: 0 },
    cpu: [term('turnRelayedMbps', (packetsPerMbit * X.turnCpuUsPerPacket.value) / 1000, 'turnCpuUsPerPacket x packets per Mbit (10^6 / 8 / turnMediaPacketBytes)')],
    ram: [],
    bandwidth: [term('turnRelayedMbps', 1, 'the media it relays, in and out')],
    carriesHomeserverTraffic: false,
    database: null,
    leftOut: "TURN over TLS or TCP (more CPU per packet), allocations' memory, the SFU and its embedded TURN (the calls model)",
  };
}

/** The profile of every component, switched on or off and with its instances as the scenario says. */
export function componentProfiles(settings: ComponentSettings): ComponentProfile[] {
  return COMPONENT_KINDS.map((kind) => componentProfile(kind, settings));
}

/** The profile of one component, as the scenario's settings switch it. */
export function componentProfile(kind: ComponentKind, settings: ComponentSettings): ComponentProfile {
  switch (kind) {
    case 'authService':
      return authService(settings.authService);
    case 'pushGateway':
      return pushGateway(settings.pushGateway);
    case 'contentScanner':
      return contentScanner(settings.contentScanner);
    case 'policyServer':
      return policyServer(settings.policyServer);
    case 'moderationBot':
      return moderationBot(settings.moderationBot.enabled);
    case 'reverseProxy':
      return reverseProxy(settings.reverseProxy);
    case 'turn':
      return turn(settings.turn);
  }
}

/** The sum of the terms at a load. */
function sumTerms(terms: readonly Term[], load: Readonly<ComponentLoad>): number {
  let sum = 0;
  for (const t of terms) {
    const x = typeof t.input === 'string' ? load[t.input] : load[t.input[0]] * load[t.input[1]];
    sum += x * t.perUnit;
  }
  return sum;
}

const OFF: ComponentDemand = { count: 0, cores: 0, ramGiB: 0, diskGiB: 0, bandwidthMbps: 0, database: null };

/**
 * What a component needs at a load: its instances and what each needs.
 * Pure. The variable CPU (ms per second of the rates, over 1000) is held
 * under the CPU ceiling, divided among the instances; as many instances as
 * keep each within the cores it can use (one for a Python or Node.js
 * process), at least the profile's minimum. Each instance holds the fixed
 * footprint; variable memory and bandwidth are shared among them, the
 * bandwidth times 1 + the headroom. A database of its own gets its fixed
 * part, its connections (per instance), its CPU under the ceiling and its
 * rows with PostgreSQL's overhead. Switched off: nothing.
 * @example componentDemand(turnProfile, { ...ZERO_LOAD, turnRelayedMbps: 100 }) // 1 instance, 0.02 + 100 x 1.136/1000/0.7 cores, 200 Mbit/s
 */
export function componentDemand(profile: ComponentProfile, load: Readonly<ComponentLoad>, targets: Readonly<ComponentTargets> = DEFAULT_COMPONENT_TARGETS): ComponentDemand {
  if (!profile.enabled) return OFF;
  const variableCores = sumTerms(profile.cpu, load) / 1000 / targets.cpuUtilization;
  const cap = profile.maxCoresPerInstance;
  const usable = cap === null ? Infinity : cap - profile.fixed.cores;
  const count = Math.max(profile.minInstances, Number.isFinite(usable) ? Math.ceil(variableCores / usable - 1e-9) : 1);
  const db = profile.database;
  return {
    count,
    cores: profile.fixed.cores + variableCores / count,
    ramGiB: (profile.fixed.ramMiB + sumTerms(profile.ram, load) / count) / 1024,
    diskGiB: profile.fixed.diskGiB,
    bandwidthMbps: (sumTerms(profile.bandwidth, load) * (1 + targets.bandwidthHeadroom)) / count,
    database:
      db === null
        ? null
        : {
            cores: db.fixedCores + sumTerms(db.cpu, load) / 1000 / targets.cpuUtilization,
            ramGiB: (db.fixedRamMiB + count * db.connectionsPerInstance * db.ramMiBPerConnection) / 1024,
            diskGiB: db.fixedDiskGiB + sumTerms(db.disk, load),
          },
  };
}
