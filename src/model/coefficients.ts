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
 * arithmetic on cited inputs; the `source` gives both), estimate (our own
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
  megolmRotationMessages: c(100, 'messages', 'messages after which a Megolm session is rotated', 'spec', 'spec m.room.encryption rotation_period_msgs recommended default 100'),
  megolmRotationSeconds: c(604800, 's', 'age after which a Megolm session is rotated', 'spec', 'spec m.room.encryption rotation_period_ms recommended default one week'),

  catchUpSyncCostPerRoomWithNews: c(
    0.2,
    'responses',
    'server work of a catch-up /sync per room with news, in incremental responses',
    'estimate',
    'a gappy timeline per room costs a fraction of a whole response (room state, timeline query); not fitted',
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
    'other per-event rows: event_edges, event_auth, stream positions, event_search',
    'estimate',
    '3-5 small rows of 60-100 B with indexes; full-text search rows for unencrypted text',
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
  receiptRowBytes: c(300, 'B', 'receipts_linearized and receipts_graph rows for one (room, user) pair', 'estimate', 'two rows upserted per pair, with indexes'),
  devicePokeRowBytes: c(200, 'B', 'device_lists_outbound_pokes row per destination per device change', 'estimate', 'one row per destination host per change (synapse PR #12321)'),
  devicePokeKeepDays: c(1, 'days', 'how long device-list pokes are kept before pruning', 'estimate', 'Synapse prunes old outbound device pokes once acknowledged; one day assumed'),
  deviceKeysBytes: c(15000, 'B', 'device keys and one-time keys of one device', 'estimate', 'e2e_device_keys_json ~2 KB plus ~50 one-time keys of ~250 B'),
  userRowBytes: c(4000, 'B', 'per-user rows: users, profiles, presence, account data, push rules', 'estimate', 'a dozen rows of 100-500 B'),
  thumbnailBytes: c(
    180000,
    'B',
    'five precomputed thumbnails of one image',
    'estimate',
    'sizes 32x32, 96x96, 320x240, 640x480, 800x600 JPEG at ~0.35 B/pixel (docs: five thumbnails per image)',
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
