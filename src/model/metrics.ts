/**
 * What the model counts, per time bin. Each metric has a stable id (its CSV
 * column), a unit and a one-line meaning; `Counters` keeps one Float64Array
 * row per metric so counting on the hot path is an index and an add.
 */
import { binIndex } from '../numeric/bin-index.js';

export interface MetricDef<Id extends string = string> {
  readonly id: Id;
  readonly unit: 'events' | 'bytes' | 'count';
  readonly what: string;
}

/** Declare a metric; its id's literal type joins the `MetricId` union. */
const m = <const Id extends string>(id: Id, unit: MetricDef['unit'], what: string): MetricDef<Id> => ({ id, unit, what });

/** Event types, counted once when persisted on this server. */
export const EVENT_TYPES = [
  m('m.room.message', 'events', 'unencrypted messages (text, replies, edits, media) sent by local users'),
  m('m.room.encrypted', 'events', 'encrypted messages sent by local users'),
  m('m.reaction', 'events', 'reactions sent by local users'),
  m('m.room.redaction', 'events', 'redactions sent by local users'),
  m('m.room.member', 'events', 'membership and profile state events by local users'),
  m('remote.message', 'events', 'messages from remote users received over federation'),
  m('remote.state', 'events', 'state events from remote users received over federation'),
  m('m.receipt', 'events', 'read receipts sent by local users'),
  m('m.typing', 'events', 'typing notifications sent by local users'),
  m('m.presence', 'events', 'presence changes of local users'),
  m('m.room_key', 'events', 'to-device Megolm room keys sent by local devices (one per recipient device)'),
  m('m.device_list_update', 'events', 'device changes of local users (new logins)'),
  m('media.upload', 'events', 'media uploads accepted'),
  m('media.rejected', 'events', 'media uploads rejected for exceeding the size limit'),
  m('url.preview', 'events', 'URL previews generated'),
] as const;

export const METRICS = [
  ...EVENT_TYPES,
  // Federation, outbound
  m('fed.out.pdus', 'count', 'PDUs delivered to remote servers'),
  m('fed.out.edus', 'count', 'EDUs delivered to remote servers'),
  m('fed.out.edus.presence', 'count', 'presence EDUs delivered'),
  m('fed.out.edus.receipt', 'count', 'receipt EDUs delivered'),
  m('fed.out.edus.typing', 'count', 'typing EDUs delivered'),
  m('fed.out.edus.to_device', 'count', 'to-device EDUs delivered'),
  m('fed.out.edus.device_list', 'count', 'device-list EDUs delivered'),
  m('fed.out.transactions', 'count', 'transactions acknowledged by remote servers'),
  m('fed.out.transactions.slow', 'count', 'transactions acknowledged by slow remote servers'),
  m('fed.out.failed_attempts', 'count', 'transactions that failed (unreachable server)'),
  m('fed.out.bytes', 'bytes', 'federation transaction bytes sent (requests and responses headers included)'),
  m('fed.out.bytes.slow', 'bytes', 'of which to slow servers'),
  m('fed.out.catchup_pdus', 'count', 'PDUs sent as catch-up (latest event per room) after a long outage'),
  // Federation, inbound
  m('fed.in.pdus', 'count', 'PDUs received from remote servers'),
  m('fed.in.edus', 'count', 'EDUs received from remote servers'),
  m('fed.in.transactions', 'count', 'transactions received'),
  m('fed.in.bytes', 'bytes', 'federation bytes received (transactions and state downloads)'),
  m('fed.in.state_bytes', 'bytes', 'of which room state and auth chains downloaded on joins, and state ids fetched with /state_ids'),
  // Federation: connections
  m('fed.out.connections', 'count', 'new outbound connections (TLS handshakes): first use of a server, or idle for more than 2 minutes'),
  m('fed.in.connections', 'count', 'new inbound connections from remote servers (TLS ends in front of the homeserver)'),
  // Federation: forks and state resolution
  m('fed.in.forks', 'count', 'inbound PDUs sent concurrently with an event of another server (two forward extremities)'),
  m('fed.in.state_resolutions', 'count', 'state resolutions run: forks across a state change, gaps filled by /state_ids'),
  m('fed.in.state_res_events', 'count', 'events in the full conflicted sets resolved (conflicted state and auth-chain difference)'),
  m('fed.in.get_missing_events', 'count', '/get_missing_events requests for inbound PDUs whose prev_events had not arrived'),
  // Federation: joins
  m('fed.in.state_ids', 'count', '/state_ids requests for events whose missing prev_events lie before a partial-state join'),
  m('fed.in.joins', 'count', 'partial-state joins of remote rooms (scheduled joinAt and federation.publicRoomJoinsPerDay)'),
  m('fed.in.partial_state_events', 'count', 'events received in a room still partial-stated after a join, re-processed by its state resync'),
  // Federation: remote device lists
  m('fed.in.device_list_updates', 'count', "m.device_list_update EDUs received for remote users' device changes"),
  m('fed.in.device_resyncs', 'count', "full resyncs of a remote user's device list (GET /user/devices) after a prev_id miss"),
  // Clients
  m('client.bytes_out', 'bytes', 'bytes sent to clients (sync responses, to-device, pagination)'),
  m('client.bytes_in', 'bytes', 'bytes received from clients (requests, sent events; media excluded)'),
  m('client.sync_responses', 'count', '/sync responses carrying news'),
  m('client.sync_deliveries', 'count', 'events and EDUs delivered to devices through /sync'),
  m('sync.v2_requests', 'count', '/sync v2 requests answered (with news, empty at the time-out, initial)'),
  m('sync.sliding_requests', 'count', 'Simplified Sliding Sync requests answered (every connection of every device)'),
  m('sync.initial', 'count', 'initial syncs (new logins, reinstalls, cleared caches)'),
  m('push.notifications', 'count', 'push notifications sent to push gateways (one per pusher)'),
  m('push.bytes', 'bytes', 'bytes sent to push gateways'),
  m('push.evaluations', 'count', 'push-rule evaluations (one per local member but the sender, per event)'),
  m('push.actions', 'count', 'event_push_actions rows written (one per notified local member)'),
  m('push.badge', 'count', 'badge-only pushes after read receipts (of push.notifications)'),
  m('push.fetches', 'count', 'homeserver requests by phones woken by a push to fetch the event'),
  m('e2ee.keys_query', 'count', '/keys/query requests by devices told of a device-list change'),
  m('e2ee.backup_uploads', 'count', 'room keys uploaded to server-side key backup (one per user and session)'),
  m('e2ee.stale_keys', 'count', 'room keys sent to stale devices (of m.room_key; never fetched)'),
  // Calls (MatrixRTC on a LiveKit SFU; mechanisms/calls.ts)
  m('calls.started', 'count', 'calls started'),
  m('calls.member_events', 'count', 'call membership state events persisted (a join and a leave per participant)'),
  m('calls.heartbeats', 'count', 'delayed leave event restarts (heartbeats, one per participant every 5 s)'),
  m('calls.key_messages', 'count', 'to-device messages carrying call encryption keys (on joins and leaves)'),
  m('calls.call_seconds', 'count', 'call-seconds in the bin (over the bin width: calls going on, mean)'),
  m('calls.participant_seconds', 'count', 'participant-seconds in the bin (over the bin width: participants in calls, mean)'),
  m('calls.sfu_bytes_in', 'bytes', 'media bytes into the SFU (every simulcast layer of every publisher)'),
  m('calls.sfu_bytes_out', 'bytes', 'media bytes out of the SFU to subscribers'),
  m('calls.sfu_packets', 'count', 'packets the SFU received and sent'),
  m('calls.turn_bytes', 'bytes', 'media bytes relayed through TURN (participants behind UDP-blocking networks, both ways)'),
  m('calls.sfu_core_seconds', 'count', 'SFU CPU, core-seconds (over the bin width: cores busy, mean)'),
  // Media
  m('media.bytes_in', 'bytes', 'media bytes uploaded by clients and fetched from remote servers and URL previews'),
  m('media.bytes_out', 'bytes', 'media bytes downloaded by local clients'),
  m('media.fed_bytes_out', 'bytes', 'media bytes served to remote servers'),
  m('media.fed_bytes_in', 'bytes', 'remote media bytes fetched over federation'),
  // Storage added (bytes)
  m('storage.eventJson', 'bytes', 'event JSON (event_json table)'),
  m('storage.eventRows', 'bytes', 'events rows with indexes and other per-event rows'),
  m('storage.stateGroups', 'bytes', 'state groups: deltas and snapshots'),
  m('storage.receipts', 'bytes', 'receipt rows (one per room and user, upserted)'),
  m('storage.deviceLists', 'bytes', 'device keys, device-list pokes and device_lists_changes_in_room'),
  m('storage.deviceInbox', 'bytes', 'to-device messages in device_inbox until fetched (for ever for stale devices)'),
  m('storage.keyBackup', 'bytes', 'server-side key backup (e2e_room_keys)'),
  m('storage.pushActions', 'bytes', 'event_push_actions rows (kept a day) and push summaries'),
  m('storage.userDirectory', 'bytes', 'user directory: users_who_share_private_rooms and users_in_public_rooms'),
  m('storage.authChains', 'bytes', 'auth-chain index (event_auth_chains and links) of state events'),
  m('storage.slidingSync', 'bytes', 'sliding-sync connection state and membership snapshots'),
  m('storage.eventSearch', 'bytes', 'full-text search rows of unencrypted messages (event_search: row, tsvector, B-tree and GIN index entries)'),
  m('storage.localMedia', 'bytes', 'local media originals'),
  m('storage.thumbnails', 'bytes', 'thumbnails the server makes of local and remote images in unencrypted rooms'),
  m('storage.remoteMedia', 'bytes', 'remote media cache'),
  m('storage.urlPreviews', 'bytes', 'URL preview cache'),
  // Search (mechanisms/search.ts)
  m('search.indexed', 'count', 'events indexed for full-text search (unencrypted messages, local and remote)'),
  m('search.queries', 'count', 'server-side searches (POST /search)'),
  m('search.rows_matched', 'count', 'event_search rows the searches matched (each ranked and counted)'),
] as const satisfies readonly MetricDef[];

/** Every metric id: a misspelt id does not compile. */
export type MetricId = (typeof METRICS)[number]['id'];
export type EventTypeId = (typeof EVENT_TYPES)[number]['id'];

/** Column index of each metric. */
export const M: { readonly [K in MetricId]: number } = Object.fromEntries(METRICS.map((d, i) => [d.id, i])) as {
  [K in MetricId]: number;
};

/** Storage categories, in the order of the storage CSV. */
export const STORAGE_CATEGORIES = [
  'eventJson',
  'eventRows',
  'stateGroups',
  'authChains',
  'receipts',
  'deviceLists',
  'deviceInbox',
  'keyBackup',
  'pushActions',
  'userDirectory',
  'slidingSync',
  'eventSearch',
  'postgresOverhead',
  'localMedia',
  'thumbnails',
  'remoteMedia',
  'urlPreviews',
] as const;

export type StorageCategory = (typeof STORAGE_CATEGORIES)[number];

/**
 * Categories the storage projection derives from the others
 * (src/model/storage.ts) rather than the simulation writing them: they have
 * no `storage.<c>` metric.
 */
export const DERIVED_STORAGE_CATEGORIES = ['postgresOverhead'] as const satisfies readonly StorageCategory[];
export type DerivedStorageCategory = (typeof DERIVED_STORAGE_CATEGORIES)[number];
/** Categories the simulation writes, each counted in its `storage.<c>` metric. */
export type WrittenStorageCategory = Exclude<StorageCategory, DerivedStorageCategory>;
const isWritten = (c: StorageCategory): c is WrittenStorageCategory => !(DERIVED_STORAGE_CATEGORIES as readonly StorageCategory[]).includes(c);
/** The written categories, in the order of the storage CSV. */
export const WRITTEN_STORAGE_CATEGORIES: readonly WrittenStorageCategory[] = STORAGE_CATEGORIES.filter(isWritten);

/** Storage categories held in the media store. */
export const MEDIA_CATEGORIES: readonly StorageCategory[] = ['localMedia', 'thumbnails', 'remoteMedia', 'urlPreviews'];
/** Categories held in PostgreSQL: all but the media store's. */
export const DATABASE_CATEGORIES: readonly StorageCategory[] = STORAGE_CATEGORIES.filter((c) => !MEDIA_CATEGORIES.includes(c));
/** The database categories the simulation writes (those PostgreSQL's overhead is reckoned on). */
export const WRITTEN_DATABASE_CATEGORIES: readonly WrittenStorageCategory[] = DATABASE_CATEGORIES.filter(isWritten);

/** Counters per metric per time bin. */
export class Counters {
  readonly values: Float64Array;
  readonly binCount: number;

  constructor(
    readonly binSeconds: number,
    horizonSeconds: number,
  ) {
    this.binCount = Math.max(1, Math.ceil(horizonSeconds / binSeconds - 1e-9));
    this.values = new Float64Array(METRICS.length * this.binCount);
  }

  /** Add `amount` to `metric` in the bin holding `timeSeconds`. */
  add(metric: number, timeSeconds: number, amount: number): void {
    this.values[metric * this.binCount + binIndex(timeSeconds, this.binSeconds, this.binCount)]! += amount;
  }

  /** Sum of a metric over all bins. */
  total(metric: number): number {
    let s = 0;
    const base = metric * this.binCount;
    for (let b = 0; b < this.binCount; b++) s += this.values[base + b]!;
    return s;
  }

  /** One metric's per-bin values (a copy). */
  series(metric: number): Float64Array {
    return this.values.slice(metric * this.binCount, (metric + 1) * this.binCount);
  }
}
