/**
 * What the workload needs from a homeserver: the operations it submits, the
 * completion callbacks some of them need, and what the server measured at the
 * end. The model owns this interface; `src/server/` implements it, so the
 * model never imports the server layer (no cycle between the folders).
 */
import type { QuantileSketch } from '../engine/quantile-sketch.js';

/** Operations the workload submits to the server. `units` scale the per-unit costs. */
export const OPS = [
  'send', // a client sends an event; units = devices it is delivered to through /sync
  'syncNews', // /sync responses with news; units = responses
  'syncTimeout', // empty /sync responses at the long-poll timeout; units = responses
  'presence', // a presence change; units = remote destinations
  'receipt', // read receipts; units = receipts
  'typing', // typing notifications; units = notifications
  'toDevice', // to-device messages (room keys); units = recipient devices
  'deviceList', // a device change; units = remote destinations (0 for a remote user's change applied here)
  'mediaUpload', // units = MiB
  'thumbnail', // thumbnailing one uploaded or fetched image; units = images
  'mediaDownload', // units = MiB served
  'push', // push notifications; units = notifications
  'fedOut', // an outbound transaction; units = PDUs + EDUs in it
  'fedIn', // inbound federation; units = PDUs (EDUs cost a tenth)
  'fedJoin', // one phase of a partial-state join (foreground, background resync); units = state and auth events handled
  'replication', // Synapse workers following the replication stream; units = events
  'urlPreview', // units = previews
  'slidingSync', // Simplified Sliding Sync responses (each connection recomputes on every wake-up); units = responses
  'initialSync', // initial syncs (new logins, reinstalls); units = rooms of the account
  'pushRules', // push-rule evaluation of one event for the local members; units = members evaluated
  'keysQuery', // /keys/query after a device-list change; units = requests
  'notificationFetch', // a phone woken by a push fetches the event; units = requests
  'keyBackup', // room keys uploaded to server-side key backup; units = keys
  'fedInTransaction', // an inbound transaction or a request we make (auth, parsing); units = 1
  'fedConnect', // a new outbound connection (TLS handshake); units = connections
  'stateRes', // state resolution v2 over the full conflicted set; units = events in it
  'stateLoad', // loading and comparing the state maps of a resolution or a /state_ids answer; units = state entries
  'deviceResync', // a full resync of a remote user's devices (GET /user/devices); units = devices
  'login', // a /login creating a device and access token; units = password hashes (1 for a password login, 0 when single sign-on checks the password elsewhere)
  'purge', // a piece of a room's history purge transaction (retention or admin); units = events deleted
  'backup', // part of a database dump; units = seconds of one PostgreSQL backend reading and sending
  'searchIndex', // indexing unencrypted messages for full-text search (event_search row, tsvector, index entries); units = events indexed
  'search', // a server-side search (POST /search): a full-text query ranked and counted over the rows it matches; units = rows matched
  'delayedEvent', // MSC4140 delayed-event requests that only main serves (a call's leave event scheduled, sent or cancelled); units = requests
  'delayedEventRestart', // MSC4140 restarts of a delayed event (a call's heartbeat, every 5 s per participant), which workers serve too; units = requests
] as const;
export type Op = (typeof OPS)[number];

/** What one process measured over a replication, per time bin. */
export interface ProcessMeasurement {
  name: string;
  /** The process kind of the implementation's topology (e.g. 'main', 'sync', 'server'). */
  kind: string;
  cores: number;
  busyByBin: Float64Array;
  queueByBin: Float64Array;
  queueMaxByBin: Float64Array;
  /** Jobs shed because the queue was full. */
  rejectedJobs: number;
  /** CPU offered (service demanded) per bin, in cores. */
  offeredByBin: Float64Array;
}

/** Everything the server measured in one replication. */
export interface ServerResult {
  processes: ProcessMeasurement[];
  database: { cores: number; busyByBin: Float64Array; queueByBin: Float64Array; offeredByBin: Float64Array; rejectedJobs: number } | null;
  /** CPU offered per bin, in cores, by the Synapse worker kind that would handle it ('server': all of it). */
  offeredByWorkerKind: Record<string, Float64Array>;
  /** Database time offered per bin, in cores. */
  databaseOfferedByBin: Float64Array;
  localSendLatency: QuantileSketch;
  localSendLatencyByBin: QuantileSketch[];
  eventsPersistedByBin: Float64Array;
  /** Rows written to the replication stream per bin (whether or not workers follow it). */
  streamRowsByBin: Float64Array;
  /** CPU and database time offered per operation over the run, s. */
  cpuSecondsByOp: Record<Op, number>;
  databaseSecondsByOp: Record<Op, number>;
  /**
   * Seconds local sends spent beyond their service at the processes of each
   * kind and at PostgreSQL ('database'): where a missed latency target waits
   * (src/analysis/verify.ts). Optional: test doubles leave it out.
   */
  sendWaitSecondsByKind?: Record<string, number>;
}

/** What the costs of a homeserver depend on in the world of a run. */
export interface WorldShape {
  /** Rooms an average local user is in. */
  roomsPerUser: number;
}

/** The homeserver as the workload drives it. */
export interface Homeserver {
  /**
   * Submit an operation. `units` scale its per-unit cost; `shard` picks the
   * process among several of a kind (by user, room or destination); `key` is
   * handed to the completion callback of `op`. `waitSeconds` (a send only):
   * time the send waits on another service before it is persisted (a policy
   * server's answer), counted in its latency, taking no core meanwhile.
   */
  submit(op: Op, units: number, shard: number, key?: number, waitSeconds?: number): void;
  /** Run `fn(key)` whenever an operation `op` completes. */
  whenDone(op: Op, fn: (key: number) => void): void;
  /** Count events persisted from elsewhere (inbound federation). */
  countPersisted(events: number): void;
  /** Processes that follow the replication stream (0: nothing to charge). */
  readonly replicatingWorkers: number;
  /** Charge the processes that follow the replication stream for `rows` written to it (events, receipts, typing, presence, ...). */
  replicate(rows: number): void;
  /**
   * Each process's kind and cores, in the order `probe` fills, with
   * PostgreSQL ('postgres') last when the database is modelled. Optional:
   * test doubles without processes leave it out (incident windows then record
   * no CPU).
   */
  probeProcesses?(): { kind: string; cores: number }[];
  /**
   * Now, for each process (PostgreSQL last): the core-seconds its jobs have
   * held the cores since the start (`jobCoreSeconds`), the share of its cores
   * its fluids (replication, deferred work) take now, and its jobs beyond the
   * cores.
   */
  probe?(jobCoreSeconds: Float64Array, fluidShare: Float64Array, queue: Float64Array): void;
  /**
   * Database connections of main's pool (Synapse's cp_max), when the server
   * has PostgreSQL. Optional: without it, long transactions hold none.
   */
  readonly mainConnections?: number;
  /**
   * A long transaction on main (a room's purge) takes (`delta` 1) or gives
   * back (-1) one of main's connections. While all are taken, main's other
   * queries wait for the next one given back (first come, first served).
   */
  holdConnection?(delta: 1 | -1): void;
  /** Called with each wait of main's queries for a connection, s, as it ends. */
  onConnectionWait?: ((seconds: number) => void) | null;
  /** Called with each local send's latency, s, as it completes (incident windows). */
  onLocalSend?: ((seconds: number) => void) | null;
  /** End of the run: what the server measured. */
  finish(): ServerResult;
}
