/**
 * Every fixed number the Matrix model uses, with its unit, source and a trust
 * label. The table in docs/MODEL.md is generated from this list
 * (`npm run docs`), and a test fails when the two disagree, so the code and
 * the documentation cannot drift apart.
 *
 * Trust labels (from the calibration notes): spec (Matrix specification),
 * code (a constant in a server's source), docs (official documentation),
 * blog (measurement published by maintainers), bench (public benchmark),
 * anecdote (an operator's report), vendor (marketing claim), derived (our
 * arithmetic on cited inputs; the `source` shows it), estimate (our own
 * reasoning; the `source` says how it was made), method (a setting of the
 * simulation method, not a property of Matrix or a server; the `source` says
 * why the results do not depend on it).
 */
export type Trust = 'spec' | 'code' | 'docs' | 'blog' | 'bench' | 'anecdote' | 'vendor' | 'derived' | 'estimate' | 'method';

export interface Coefficient {
  readonly value: number;
  readonly unit: string;
  readonly what: string;
  readonly source: string;
  readonly trust: Trust;
}

/** Declare a coefficient (used by the model and server profiles). */
export const coefficient = (value: number, unit: string, what: string, trust: Trust, source: string): Coefficient => ({
  value,
  unit,
  what,
  source,
  trust,
});

const c = coefficient;

export const COEFFICIENTS = {
  // --- Federation ---------------------------------------------------------
  policyCheckWaitMs: c(
    5,
    'ms',
    "time a local send in a room a policy server protects waits for the server's answer before it is persisted (range 3-80)",
    'estimate',
    'MSC4284: the homeserver asks the policy server about every event of a protected room before sending it. A policy server on the same site: one HTTP request (about 1 ms) and its check (about 2 ms of CPU and 0.5 ms of its database, components policyCheckCpuMs, policyDbCheckMs); one elsewhere on the internet adds its round trip, 20-80 ms within a region',
  ),
  maxPdusPerTransaction: c(50, 'PDUs', 'PDUs in one federation transaction, at most', 'spec', 'Server-Server API, PUT /send/{txnId}: "at most 50 PDUs"'),
  maxEdusPerTransaction: c(100, 'EDUs', 'EDUs in one federation transaction, at most', 'spec', 'Server-Server API, PUT /send/{txnId}: "at most 100 EDUs"'),
  maxReceiptEdusPerTransaction: c(
    5,
    'EDUs',
    'read-receipt EDUs Synapse puts in one transaction',
    'code',
    'synapse/federation/sender/per_destination_queue.py (calibration notes §1)',
  ),
  deviceListReservedEduSlots: c(
    10,
    'EDUs',
    'EDU slots to-device messages leave free for device-list updates',
    'code',
    'synapse federation/sender/per_destination_queue.py: to-device EDUs are fetched with limit edu_limit - 10',
  ),
  presenceUsersPerEdu: c(50, 'users', 'users carried by one presence EDU', 'code', 'synapse per_destination_queue.py (calibration notes §1)'),
  catchUpAfterSeconds: c(
    3600,
    's',
    'back-off beyond which a destination is in catch-up: only the latest event per room, one room a transaction',
    'code',
    'synapse per_destination_queue.py catch-up (calibration notes §1)',
  ),
  retryMinSeconds: c(
    600,
    's',
    'first back-off after a failed transaction',
    'docs',
    'Synapse config docs, federation.destination_min_retry_interval default 10m (config_documentation.md:1368); synapse/util/retryutils.py:298-299',
  ),
  retryMultiplier: c(
    2,
    'x',
    'back-off multiplier after each further failure',
    'docs',
    'Synapse config docs, federation.destination_retry_multiplier default 2 (config_documentation.md:1370); Synapse also multiplies by a random 0.8-1.4 (retryutils.py:289-294), left out here',
  ),
  retryMaxSeconds: c(
    604800,
    's',
    'longest back-off',
    'docs',
    'Synapse config docs, federation.destination_max_retry_interval default 1w (config_documentation.md:1372); retryutils.py:296-297',
  ),
  failedAttemptSeconds: c(60, 's', 'time a transaction to an unreachable server takes to fail', 'docs', 'Synapse config docs, federation.client_timeout default 60s'),
  idleConnectionSeconds: c(
    120,
    's',
    'an idle federation connection is closed after this; the next transaction to that server opens a new one',
    'code',
    'synapse/http/federation/matrix_federation_agent.py:132-135: HTTPConnectionPool cachedConnectionTimeout = 2 * 60',
  ),
  connectionSetupRoundTrips: c(
    2,
    'round trips',
    'round trips a new connection takes before its first request: TCP handshake, then a full TLS 1.3 handshake',
    'spec',
    'RFC 9293 §3.5 (three-way handshake, 1 round trip before data) and RFC 8446 §2 (full TLS 1.3 handshake, 1 round trip)',
  ),
  tlsHandshakeBytes: c(
    5000,
    'B',
    'bytes of a TLS handshake on a new federation connection, both directions',
    'estimate',
    "TLS 1.3: ClientHello ~0.5 KB; ServerHello, certificate chain (a Let's Encrypt chain is 2.5-4 KB), CertificateVerify and Finished ~4 KB; client Finished",
  ),
  eventIdBytes: c(
    47,
    'B',
    'one event id listed in a /state_ids answer',
    'spec',
    'room versions 4 and later: "$" and 43 characters of unpadded URL-safe base64 of a SHA-256 hash, quoted, and a comma',
  ),
  transactionOverheadBytes: c(
    600,
    'B',
    'HTTP request and response and transaction envelope per transaction',
    'estimate',
    'TLS+HTTP/1.1 headers with X-Matrix auth (~450 B) plus {"origin","origin_server_ts","pdus","edus"} envelope',
  ),

  // --- Event sizes --------------------------------------------------------
  pduBytes: c(650, 'B', 'm.room.message PDU in federation form (text)', 'spec', 'derived from the spec example events in canonical JSON: 620-670 B (calibration notes §4)'),
  encryptedPduBytes: c(1100, 'B', 'm.room.encrypted PDU (Megolm) in federation form', 'spec', 'derived from the spec example events (calibration notes §4)'),
  syncEventBytes: c(264, 'B', 'm.room.message as sent to clients in /sync', 'spec', 'derived from the spec example events (calibration notes §4)'),
  encryptedSyncEventBytes: c(
    900,
    'B',
    'm.room.encrypted event as sent to clients',
    'estimate',
    'encrypted PDU (1,100 B) less the federation-only fields (auth_events, prev_events, hashes, signatures ~ 200 B)',
  ),
  stateEventBytes: c(
    700,
    'B',
    'm.room.member state event in federation form',
    'estimate',
    'same envelope as a message PDU with a member content (displayname, avatar_url, membership)',
  ),
  reactionPduBytes: c(550, 'B', 'm.reaction PDU', 'estimate', 'message PDU envelope with a small m.annotation relation instead of a body'),
  receiptEduBytes: c(180, 'B', "one user's read receipt in an m.receipt EDU or a sync response", 'estimate', 'spec m.receipt example: room, event id, user id, timestamp'),
  typingEduBytes: c(120, 'B', 'm.typing EDU or sync typing notification', 'estimate', 'spec m.typing example'),
  presenceEduBytes: c(160, 'B', "one user's presence update", 'estimate', 'spec m.presence example: user id, presence, last_active_ago, currently_active'),
  toDeviceMessageBytes: c(
    1400,
    'B',
    'one Olm-encrypted m.room_key to-device message',
    'estimate',
    'Olm pre-key message carrying a Megolm session key (~1 KB base64 ciphertext) plus envelope',
  ),
  deviceListUpdateBytes: c(900, 'B', 'm.device_list_update EDU', 'estimate', 'spec example with device keys (curve25519, ed25519, signatures)'),
  envelopeBodyBytes: c(
    30,
    'B',
    'message body already counted in the event sizes above; longer bodies add their excess',
    'spec',
    'the spec example m.room.message body is about 30 bytes (calibration notes §4)',
  ),
  megolmCiphertextFactor: c(4 / 3, 'x', 'bytes of an encrypted body per plaintext byte', 'spec', 'Megolm ciphertext is sent base64-encoded (unpadded): 4 characters per 3 bytes'),
  replyFallbackBytes: c(
    200,
    'B',
    'extra body of a reply (m.relates_to and the quoted fallback)',
    'estimate',
    'spec rich replies: m.in_reply_to plus a quoted fallback of the original, about one short message',
  ),
  mediaEventContentBytes: c(
    250,
    'B',
    'content of a media message beyond a text one (url, info, thumbnail info)',
    'estimate',
    'spec m.image example: mxc URL, mimetype, size, width, height and thumbnail_info',
  ),
  stateEventSyncFactor: c(
    0.6,
    'x',
    'size of a member event as sent to clients relative to its federation form',
    'estimate',
    'client events drop auth_events, prev_events, hashes and signatures, about 40% of a member PDU',
  ),
  annotationSyncFactor: c(
    0.5,
    'x',
    'size of a reaction or redaction as sent to clients relative to its federation form',
    'estimate',
    'as stateEventSyncFactor, for a smaller content',
  ),
  reactionRequestBodyBytes: c(150, 'B', 'request body of sending a reaction', 'estimate', 'spec m.reaction content: m.relates_to with rel_type, event_id and key'),
  redactionRequestBodyBytes: c(50, 'B', 'request body of a redaction', 'estimate', 'spec PUT /redact body: an optional reason'),
  receiptRequestBodyBytes: c(60, 'B', 'request body of a read receipt', 'estimate', 'spec POST /receipt body: {} or a thread_id'),
  profileRequestBodyBytes: c(100, 'B', 'request body of a display-name or avatar change', 'estimate', 'spec PUT /profile body: one displayname or avatar_url'),
  loginRequestBodyBytes: c(200, 'B', 'request body of a /login', 'estimate', 'spec POST /login body: type, identifier (user), password or token, initial_device_display_name'),
  bodyEnvelopeBytes: c(180, 'B', 'event JSON around a message body (type, content wrapper, ids, timestamps)', 'estimate', 'spec example m.room.message minus its 30-byte body'),

  // --- Clients and sync ---------------------------------------------------
  syncTimeoutSeconds: c(30, 's', 'long-poll timeout of /sync', 'docs', 'Element and the Rust SDK use timeout=30000 (calibration notes §5)'),
  syncRepollSeconds: c(
    0.3,
    's',
    'time a client takes to send its next /sync after a response',
    'estimate',
    'one client round trip plus processing; events in a room during it ride in the next response',
  ),
  httpRequestBytes: c(450, 'B', 'HTTP request with headers and access token (client to server)', 'estimate', 'typical HTTP/1.1 request headers with Authorization: Bearer'),
  httpResponseOverheadBytes: c(350, 'B', 'HTTP response headers and empty /sync skeleton', 'estimate', 'headers plus {"next_batch":...,"rooms":{}}'),
  catchUpEventsPerRoom: c(10, 'events', 'timeline events per room in a gappy (limited) sync after being away', 'code', 'Synapse default timeline limit for /sync filters (10)'),

  catchUpSyncCostPerRoomWithNews: c(
    0.2,
    'responses',
    'server work of a catch-up /sync per room with news, in incremental responses',
    'estimate',
    'a gappy timeline per room costs a fraction of a whole response (room state, timeline query); not fitted',
  ),

  slidingSyncConnectionsPerDevice: c(
    2,
    'connections',
    'Simplified Sliding Sync connections each Element X device holds (room list and encryption)',
    'code',
    'matrix-rust-sdk SyncService runs a room-list loop and an encryption-sync loop (matrix-2026.md §1.2)',
  ),
  pushFetchesPerPush: c(
    1,
    'requests',
    'homeserver requests a phone makes when woken by a push, to fetch the event',
    'code',
    'element-x-ios NSE: NSEUserSession restores a client and calls notificationClient.getNotification(roomId, eventId) per push (matrix-2026.md §1.3); at least one',
  ),
  initialSyncBytesPerRoom: c(
    4_000,
    'B',
    'initial-sync response bytes per room with lazy-loaded members (timeline, required state, heroes)',
    'estimate',
    'catch-up timeline of 10 events at ~300 B plus a few lazy-loaded member events and the room envelope',
  ),
  pushActionRowBytes: c(
    180,
    'B',
    'one event_push_actions row with its indexes (per notified local member and event)',
    'estimate',
    'room, event and user ids, actions JSON, orderings and flags (synapse full_schemas event_push_actions) plus three indexes',
  ),
  pushActionKeepDays: c(
    1,
    'days',
    'how long rotated event_push_actions rows are kept',
    'code',
    'synapse storage/databases/main/event_push_actions.py: rotated rows older than a day are deleted (matrix-2026.md §2)',
  ),
  pushSummaryRowBytes: c(
    120,
    'B',
    'one event_push_summary row (per local user and room with notifications)',
    'estimate',
    'user, room, counts and stream ordering with a unique index',
  ),
  toDeviceRowBytes: c(
    150,
    'B',
    'device_inbox row overhead around one to-device message (user, device, stream id, instance, index)',
    'estimate',
    'synapse full_schemas device_inbox: four short columns and a message_json, plus its index',
  ),
  deviceListChangeRowBytes: c(
    160,
    'B',
    'one device_lists_changes_in_room row (per device change and room of the user)',
    'estimate',
    'user, device, room, stream id and flags (synapse schema delta 68) with its indexes',
  ),
  deviceListChangesKeepDays: c(
    30,
    'days',
    'how long device_lists_changes_in_room rows are kept',
    'code',
    'synapse storage/databases/main/devices.py:87-89 prunes them after 30 days (matrix-2026.md §3)',
  ),
  keysQueryResponseBytes: c(
    1_500,
    'B',
    'one /keys/query response for a changed user (device keys and cross-signing keys)',
    'estimate',
    'spec /keys/query example: ~600 B per device, two devices, plus master and self-signing keys',
  ),
  keyBackupRowBytes: c(
    800,
    'B',
    'one e2e_room_keys row (per user, backup version, room and session) with its index',
    'estimate',
    'session_data is an encrypted JSON blob of ~500 B base64 (spec key backup, m.megolm_backup.v1.curve25519-aes-sha2) plus ids and counters',
  ),

  // --- Inbound federation -------------------------------------------------
  inboundTransactionProcessingSeconds: c(
    0.1,
    's',
    'time a remote server waits, beyond the round trip, before its next transaction to us',
    'estimate',
    'our processing of a small transaction; one transaction in flight per origin (spec Server-Server API)',
  ),
  inboundEduCostShare: c(
    0.1,
    'PDUs',
    'server work of an inbound EDU relative to an inbound PDU',
    'estimate',
    'an EDU is applied without auth checks, state resolution or persistence of an event',
  ),

  // --- Forks, state resolution and remote device lists ---------------------
  conflictedEventsPerStateEvent: c(
    2,
    'events',
    'events in the full conflicted set of a state resolution per state event in a fork',
    'derived',
    "state resolution v2 (spec, room version 2 state resolution; synapse/state/v2.py:118-146): the state event's key is conflicted between its new and its old value (2 events); the auth-chain difference of one new event is the event itself, already counted",
  ),
  remoteDeviceListResyncShare: c(
    0.1,
    'x',
    "share of remote users' device-list updates whose prev_id misses our cache, forcing a full resync of the user's devices",
    'estimate',
    'synapse/handlers/device.py:1584-1615: any prev_id not equal to the cached extremity or a seen update forces a resync, so the first update of a user whose list was never fetched and any update after a lost one do; not measured',
  ),
  deviceListChangedSyncBytes: c(60, 'B', 'one user id in the device_lists.changed of a /sync response', 'estimate', 'spec /sync device_lists: a quoted Matrix user id and a comma'),
  keysQueryRequestBytes: c(100, 'B', 'request body of a /keys/query for one user', 'estimate', 'spec POST /keys/query: {"device_keys": {"@user:server": []}}'),

  // --- Presence and typing ------------------------------------------------
  presenceResendSeconds: c(
    1500,
    's',
    'interval at which a server re-sends presence of online users to remote servers',
    'code',
    'synapse handlers/presence.py: remote users marked offline after 30 min, re-sent every 25 min',
  ),

  // --- Storage ------------------------------------------------------------
  eventRowBytes: c(571, 'B', 'events table row with its indexes, excluding event JSON', 'anecdote', 'synapse#11871: 3,293,302 rows = 1,793 MB'),
  eventAuxiliaryBytes: c(
    450,
    'B',
    'other per-event rows: event_edges, event_auth, stream positions (event_search is its own category, eventSearch)',
    'estimate',
    '3-5 small rows of 60-100 B with indexes',
  ),
  // Search (docs/MODEL.md, "Search, retention and audit").
  mediaBodyBytes: c(
    24,
    'B',
    "body of a media message: the file's name, which search indexes (e.g. IMG_20260101_120000.jpg)",
    'estimate',
    'Client-Server API, m.image / m.file: body is a textual representation, by convention the file name; phone cameras name files with the date and time',
  ),
  searchRowBytes: c(
    165,
    'B',
    'one event_search row without its tsvector: event_id, room_id, sender, key, origin_server_ts, stream_ordering, tuple header and line pointer',
    'derived',
    'synapse schema full.sql.postgres, event_search; PostgreSQL docs 73.6 (Database Page Layout): 23 B tuple header and 4 B line pointer; ids of 25-45 B',
  ),
  searchRowIndexBytes: c(
    110,
    'B',
    "one event_search row's B-tree entries: event_search_event_id_idx (unique, event_id) and event_search_ev_ridx (room_id)",
    'derived',
    'synapse schema full.sql.postgres; a B-tree leaf entry is an 8 B index tuple header, the key and a 4 B line pointer (PostgreSQL docs 73.6), at the default 90% leaf fill',
  ),
  searchVectorBytesPerBodyByte: c(
    1.2,
    'B/B',
    'tsvector bytes per byte of message body (to_tsvector english: stop words dropped, stems kept with their positions)',
    'estimate',
    'PostgreSQL docs 8.11.1 and src/include/tsearch/ts_type.h: a tsvector is a sorted array of distinct lexemes, each a 4 B WordEntry, its text and 2 B per position; English text runs about 6 B a word, 60% of words are not stop words, about 12 B a lexeme: 0.6 / 6 x 12',
  ),
  searchGinBytesPerBodyByte: c(
    0.3,
    'B/B',
    'GIN index (event_search_fts_idx) bytes per byte of message body: one compressed posting-list item per lexeme of the row',
    'estimate',
    'PostgreSQL docs 70.4 (GIN implementation): posting lists of varbyte-encoded item pointers, 1-6 B each (about 3 B when rows are inserted in order), the entry tree amortised over many rows: 0.6 / 6 x 3',
  ),
  searchMatchShare: c(
    0.001,
    'share',
    'share of the rows of event_search a query matches (the GIN index yields every row with the terms; the room filter is applied to those rows)',
    'estimate',
    'a query of one or two ordinary words matches about one message in a thousand; synapse storage/databases/main/search.py search_msgs ranks every match (ts_rank_cd) and counts them by room in a second query',
  ),
  stateGroupRowBytes: c(
    250,
    'B',
    'one state_groups_state row with its index',
    'estimate',
    'columns (state_group, room_id, type, state_key, event_id) ~150 B plus tuple header and (state_group, type, state_key) index',
  ),
  stateGroupHeaderBytes: c(120, 'B', 'state_groups and state_group_edges rows of one new state group', 'estimate', 'two small rows with indexes'),
  stateSnapshotInterval: c(
    100,
    'state changes',
    'state changes between full state snapshots',
    'code',
    'synapse MAX_STATE_DELTA_HOPS = 100 (docs/usage/administration/state_groups.md)',
  ),
  authChainBytesPerStateEvent: c(
    400,
    'B',
    'chain-cover index of one state event: its event_auth_chains row and its share of event_auth_chain_links',
    'derived',
    'event_auth_chains (event_id text, chain_id and sequence_number bigint; indexes on event_id and on (chain_id, sequence_number)) ~180 B a row; one server holds 761 MB of links for 632 MB of chains (YunoHost-Apps/synapse_ynh#354, anecdote): 180 x (1 + 761/632) = 397 B',
  ),
  stateCompressorFactor: c(
    0.3,
    'x',
    'share of the state-group rows written over the horizon that remain once synapse_auto_compressor has rewritten them',
    'anecdote',
    "rust-synapse-compress-state README: one room 2,240,043 -> 165,754 rows (7.4%); an operator's state_groups_state export 5.6 -> 1.5 GB (27%, rust-synapse-compress-state#97); chunks it cannot shrink (backfill, state resolution) are skipped",
  ),
  roomAgeMonthsAtStart: c(
    12,
    'months',
    'mean age of the rooms at the start, over which members who left pile up in room state (default of historicMemberFactor)',
    'estimate',
    "a deployment sized today brings rooms a few months to a few years old; give a kind's historicMemberFactor where it is known",
  ),
  joinShareOfMembershipChanges: c(
    0.5,
    'x',
    'share of membership changes that are joins (the rest are leaves)',
    'estimate',
    'a steady population: as many members leave rooms as join them',
  ),
  userDirectoryPrivateRowBytes: c(
    330,
    'B',
    'one users_who_share_private_rooms row (local user, other user, room) with its three indexes',
    'derived',
    'synapse full.sql.postgres: three text columns, unique (user_id, other_user_id, room_id), other_user_id and room_id indexes; user ids ~29 and room ids ~32 characters: heap tuple 24 + 90 -> 120 B + 4 line pointer, u_idx 108, o_idx 44, r_idx 44 = 320 B, plus page headers (matrix-2026.md §4: 300-360 B)',
  ),
  userDirectoryPublicRowBytes: c(
    210,
    'B',
    'one users_in_public_rooms row (local user, room) with its two indexes',
    'derived',
    'synapse full.sql.postgres: two text columns, unique (user_id, room_id) and room_id indexes: heap 88 + 4, u_idx 76, r_idx 44 = 212 B',
  ),
  slidingSyncSnapshotRowBytes: c(
    380,
    'B',
    'one sliding_sync_membership_snapshots row (room, local user; kept after a leave) with its indexes',
    'derived',
    'synapse schema delta 87/01: room, user, sender and membership event ids, membership, stream ordering, room name, flags ~190 B + 24 B header; primary key (room_id, user_id) 76 B, unique stream-ordering 20 B and membership-event-id 60 B indexes',
  ),
  slidingSyncJoinedRoomRowBytes: c(
    170,
    'B',
    'one sliding_sync_joined_rooms row (a room with local members) with its indexes',
    'derived',
    'synapse schema delta 87/01: room id, two stream positions, room type and name, encryption ~100 B with the header; primary key (room_id) 44 B and a stream-ordering index ~20 B',
  ),
  slidingSyncConnectionBytes: c(
    1000,
    'B',
    'rows of one Simplified Sliding Sync connection besides its rooms: connection, latest positions, required_state',
    'estimate',
    'synapse schema delta 87/02: a sliding_sync_connections row with two indexes (~200 B), a position or two (~100 B each), the deduplicated required_state JSON (~500 B)',
  ),
  slidingSyncConnectionRoomBytes: c(
    200,
    'B',
    'rows per room sent down a Simplified Sliding Sync connection (sliding_sync_connection_room_configs, _streams)',
    'estimate',
    'synapse schema delta 87/02: a room-config row with its unique index (~140 B), stream rows for rooms that left the window',
  ),
  postgresOverheadFactor: c(
    1.5,
    'x',
    'PostgreSQL bytes on disk per byte of the database categories counted here (indexes not counted, WAL kept, MVCC bloat, TOAST, free space)',
    'estimate',
    'matrix-2026.md §4: on-disk / logical 1.3-2x; taken in the lower half because the row sizes here already hold their main indexes',
  ),
  postgresOverheadFactorLow: c(1.3, 'x', 'low end of postgresOverheadFactor', 'estimate', 'matrix-2026.md §4: on-disk / logical 1.3-2x, low end'),
  postgresOverheadFactorHigh: c(
    2,
    'x',
    'high end of postgresOverheadFactor',
    'estimate',
    'matrix-2026.md §4: on-disk / logical 1.3-2x, high end: bloat on update-heavy tables, WAL 1.5-3x the write rate with full-page writes',
  ),
  receiptRowBytes: c(300, 'B', 'receipts_linearized and receipts_graph rows for one (room, user) pair', 'estimate', 'two rows upserted per pair, with indexes'),
  devicePokeRowBytes: c(
    200,
    'B',
    'device_lists_outbound_pokes row per destination per device change',
    'estimate',
    'one row per destination host per change (synapse PR #12321); pruning after a day keeps one per (user, destination) (synapse devices.py:1616-1640)',
  ),
  deviceKeysBytes: c(15000, 'B', 'device keys and one-time keys of one device', 'estimate', 'e2e_device_keys_json ~2 KB plus ~50 one-time keys of ~250 B'),
  userRowBytes: c(4000, 'B', 'per-user rows: users, profiles, presence, account data, push rules', 'estimate', 'a dozen rows of 100-500 B'),
  thumbnailBytes: c(
    180000,
    'B',
    'five precomputed thumbnails of one image',
    'estimate',
    'sizes 32x32, 96x96, 320x240, 640x480, 800x600 JPEG at ~0.35 B/pixel (docs: five thumbnails per image)',
  ),
  clientThumbnailBytes: c(
    80000,
    'B',
    'encrypted thumbnail a client uploads beside an image in an encrypted room (thumbnail_file), at most',
    'estimate',
    "element-web src/utils/image-media.ts: at most 800x600, encoded in the image's type (JPEG for a JPEG): 480,000 px at ~1.3 bit/px = 78 KB; ContentMessages.ts skips it for images under 32 KB",
  ),
  urlPreviewBytesIn: c(150000, 'B', 'bytes fetched to build one URL preview', 'estimate', 'an HTML page head and its og:image'),
  urlPreviewStoredBytes: c(60000, 'B', 'bytes kept per URL preview (image and metadata)', 'estimate', 'one resized og:image plus the cached JSON'),
  urlPreviewCacheDays: c(2, 'days', 'how long URL preview media is kept', 'estimate', 'Synapse expires url_cache media after a few days'),
  pushRequestBytes: c(1200, 'B', 'one push notification request to a push gateway', 'estimate', 'spec push gateway /notify body with event id, room, counts and device'),
  authChainFactor: c(
    1.5,
    'x',
    'events downloaded per current state event when joining a remote room (state plus auth chain)',
    'estimate',
    'MSC3902: Matrix HQ /send_join returned 206,479 events (Aug 2022) for a current state of roughly 100-140K events',
  ),
  averageDaysPerMonth: c(30.44, 'days', 'days in an average month (365.25 / 12)', 'spec', 'Gregorian calendar'),
} as const satisfies Record<string, Coefficient>;

export type CoefficientName = keyof typeof COEFFICIENTS;

/** The value of a named coefficient. */
export function k(name: CoefficientName): number {
  return COEFFICIENTS[name].value;
}

/**
 * The values alone, as plain properties, for the simulation's hot path
 * (`K.pduBytes` is a property load; `k('pduBytes')` a keyed lookup).
 */
export const K: { readonly [N in CoefficientName]: number } = (() => {
  const values = {} as { [N in CoefficientName]: number };
  for (const name of Object.keys(COEFFICIENTS) as CoefficientName[]) values[name] = COEFFICIENTS[name].value;
  return Object.freeze(values);
})();
