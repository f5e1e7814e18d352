/**
 * Synapse's metrics mapped to mxsim's operations (docs/CALIBRATE.md,
 * "Which metrics"): each operation class is counted by one of the counters
 * Synapse exports, and its fitted CPU per operation replaces one field of
 * one or more of mxsim's operation costs (src/server/profiles.ts).
 *
 * Metric names as Synapse defines them (synapse/http/request_metrics.py,
 * synapse/federation/..., synapse/push/httppusher.py,
 * synapse/storage/databases/main/events.py) with the `_total` suffix that
 * prometheus_client adds to counters; the name without it (older clients)
 * is accepted too.
 */
import type { Op } from '../model/homeserver.js';
import type { OpCost } from '../server/profiles.js';

/** CPU of each process, s (prometheus_client's process collector). */
export const CPU_METRIC = 'process_cpu_seconds_total';
/** Resident memory of each process, bytes. */
export const MEMORY_METRIC = 'process_resident_memory_bytes';
/**
 * The caches' estimated memory, bytes, a gauge per cache (`name` label), exported when Synapse's
 * caches.track_memory_usage is on (synapse/metrics/_types and util/caches/__init__.py: "Estimated memory usage of
 * the caches"). mxsim models the caches apart from a process's base, so the memory fit takes them out first.
 */
export const CACHE_BYTES_METRIC = 'synapse_util_caches_cache_size_bytes';
/** Clients waiting on /sync (the notifier's listeners), a gauge: the online devices a process serves. */
export const LISTENERS_METRIC = 'synapse_notifier_listeners';
/** Events persisted, local and remote together (a workload figure; the fit counts sends and PDUs separately). */
export const PERSISTED_COUNTER = 'synapse_storage_events_persisted_events';
/** Requests answered, per servlet: the first of these present is used. */
export const REQUEST_METRICS = ['synapse_http_server_response_count_total', 'synapse_http_server_response_count', 'synapse_http_server_response_time_seconds_count'];

/** A field of an operation's cost that a class's fit replaces. */
export interface CostField {
  op: Op;
  field: keyof Pick<OpCost, 'cpuMs' | 'cpuMsPerUnit'>;
}

/** An operation class: how the metrics count it, and what in mxsim it calibrates. */
export interface OpClass {
  name: string;
  /** Counted by requests to these servlets (`servlet` label)... */
  servlets?: readonly string[];
  /** ...or by this counter (with or without `_total`). */
  counter?: string;
  /** What one counted operation is, for messages and docs. */
  unit: string;
  /** The cost fields a fitted value replaces (ms per counted operation); the first one's shipped value is the class's. */
  fields: readonly CostField[];
}

export const OP_CLASSES: readonly OpClass[] = [
  {
    name: 'send',
    servlets: ['RoomSendEventRestServlet', 'RoomStateEventRestServlet', 'RoomRedactEventRestServlet'],
    unit: 'event sent by a local client',
    fields: [{ op: 'send', field: 'cpuMs' }],
  },
  {
    // Responses with news and empty ones at the time-out are one servlet: the fit is their blend.
    name: 'sync',
    servlets: ['SyncRestServlet'],
    unit: '/sync response',
    fields: [
      { op: 'syncNews', field: 'cpuMsPerUnit' },
      { op: 'send', field: 'cpuMsPerUnit' },
    ],
  },
  {
    name: 'slidingSync',
    servlets: ['SlidingSyncRestServlet'],
    unit: 'sliding sync response',
    fields: [{ op: 'slidingSync', field: 'cpuMsPerUnit' }],
  },
  {
    name: 'receipt',
    servlets: ['ReceiptRestServlet', 'ReadMarkerRestServlet'],
    unit: 'read receipt request',
    fields: [{ op: 'receipt', field: 'cpuMsPerUnit' }],
  },
  {
    name: 'typing',
    servlets: ['RoomTypingRestServlet'],
    unit: 'typing request',
    fields: [{ op: 'typing', field: 'cpuMsPerUnit' }],
  },
  {
    name: 'toDevice',
    servlets: ['SendToDeviceRestServlet'],
    unit: 'to-device request',
    fields: [{ op: 'toDevice', field: 'cpuMs' }],
  },
  {
    name: 'keysQuery',
    servlets: ['KeyQueryServlet'],
    unit: '/keys/query request',
    fields: [{ op: 'keysQuery', field: 'cpuMsPerUnit' }],
  },
  {
    name: 'fedInTransaction',
    servlets: ['FederationSendServlet'],
    unit: 'inbound federation transaction',
    fields: [{ op: 'fedInTransaction', field: 'cpuMs' }],
  },
  {
    name: 'fedIn',
    counter: 'synapse_federation_server_received_pdus',
    unit: 'PDU received over federation',
    fields: [{ op: 'fedIn', field: 'cpuMsPerUnit' }],
  },
  {
    name: 'fedOut',
    counter: 'synapse_federation_client_sent_transactions',
    unit: 'federation transaction sent',
    fields: [{ op: 'fedOut', field: 'cpuMs' }],
  },
  {
    name: 'push',
    counter: 'synapse_http_httppusher_http_pushes_processed',
    unit: 'push notification sent',
    fields: [{ op: 'push', field: 'cpuMsPerUnit' }],
  },
];

/** The memory terms the metrics can identify, as MemoryModel fields (src/server/profiles.ts). */
export const MEMORY_TERMS = {
  processBaseBytes: 'resident memory of a process with no client waiting on it, bytes',
  bytesPerOnlineDevice: 'resident memory per client waiting on /sync, bytes',
} as const;
export type MemoryTerm = keyof typeof MEMORY_TERMS;

/** The counter's names as exported: with `_total` (prometheus_client 0.4+) and without. */
export const counterNames = (name: string): string[] => [`${name}_total`, name];

/** The shipped CPU per counted operation of a class, ms: its first field in the Synapse profile's costs for a world. */
export function shippedMs(c: OpClass, costs: Record<Op, OpCost>): number {
  const f = c.fields[0];
  if (f === undefined) throw new Error(`operation class ${c.name} calibrates nothing`);
  return costs[f.op][f.field];
}
