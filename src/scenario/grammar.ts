/**
 * The scenario grammar, declared once. Validation, defaults, the TypeScript
 * types (`ScenarioInput` as written, `Scenario` normalized with defaults
 * filled) and the JSON Schema that `mxsim schema` prints all derive from these
 * declarations. Every default that is a modelling assumption names its source
 * in `docs/MODEL.md`; the `describe` texts show up in editors through the
 * schema.
 *
 * Every number has a range, a minimum and a maximum: wide enough for any
 * real deployment, narrow enough that the model's arithmetic and arrays hold
 * (docs/MODEL.md, "Ranges", lists them). They are sanity bounds; whether a
 * run fits the machine is estimated separately.
 */
import { z } from 'zod';
import {
  CURRENCIES,
  DEFAULT_BANDWIDTH_HEADROOM,
  DEFAULT_CPU_UTILIZATION,
  IMPLEMENTATIONS,
  MAX_CALL_PARTICIPANTS,
  MAX_USERS,
  WORKER_IMPLEMENTATIONS,
  type Implementation,
} from './limits.js';

// ---------------------------------------------------------------------------
// Ranges shared by several fields, each with the reason for its maximum.

/** Replications of a run (run.replications, and `--replications`): beyond a thousand the confidence intervals no longer narrow usefully. */
export const MAX_REPLICATIONS = 1000;
/** Simulated days: a year (a leap year). */
export const MAX_RUN_DAYS = 366;
/** Members of one room, local and remote: ten times the largest public Matrix rooms (about 100,000). */
const MAX_ROOM_MEMBERS = 1_000_000;
/** Rooms of one kind. */
const MAX_ROOMS = 10_000_000;
/** Remote servers: ten times the servers seen on the public federation (about 100,000). */
const MAX_REMOTE_SERVERS = 1_000_000;
/** Bytes of one upload, and the upload limit: 10 GiB, beyond any media repository's configured limit. */
const MAX_MEDIA_BYTES = 10 * 1024 ** 3;
/** Bytes of a message body: the Matrix specification limits a whole event to 65,536 bytes. */
const MAX_EVENT_BYTES = 65_536;
/** Things a user does per day (messages, uploads): more than one a second, all day. */
const MAX_PER_DAY = 100_000;
/** Things a user does per month (logins, joins, profile changes): several an hour. */
const MAX_PER_MONTH = 10_000;
/** Reactions, edits, redactions or typing notifications per message sent. */
const MAX_PER_MESSAGE = 100;
/** A relative weight (hour, weekday, activity, empirical weight): any scale people use, counts from logs included. */
const MAX_WEIGHT = 1e9;
/** A Zipf exponent: at 10 the busiest room or server already takes all but a thousandth of the activity. */
const MAX_SKEW = 10;
/** Days of retention or device expiry: a century. */
const MAX_DAYS_KEPT = 36_500;
/** Worker processes of one kind. */
const MAX_WORKERS = 500;
/** Cores of a server or of PostgreSQL: the largest single hosts sold. */
const MAX_CORES = 256;
/** Activity classes: the world stores a user's class in one byte. */
const MAX_CLASSES = 255;
/** Room kinds: the world stores a room's kind in two bytes; a thousand is far more than a scenario describes. */
const MAX_ROOM_KINDS = 1000;
/** Values of an empirical distribution. */
const MAX_EMPIRICAL_VALUES = 10_000;
/** State events of one room (current or historic): ten per member of the largest room. */
const MAX_STATE_EVENTS = 10 * MAX_ROOM_MEMBERS;
/** Coefficient of variation: below 0.001 a distribution is deterministic in all but name; above 10 its tail is all there is. */
const MIN_CV = 0.001;
const MAX_CV = 10;

const share = (what: string) => z.number().min(0).max(1).describe(`${what}, a fraction from 0 to 1`);
const nonNegative = (what: string, max: number) => z.number().min(0).max(max).describe(what);
const positive = (what: string, max: number) => z.number().positive().max(max).describe(what);
const count = (what: string, min: number, max: number) => z.number().int().min(min).max(max).describe(what);

/**
 * The kinds (union options) of every distribution schema of the grammar, one
 * per field, each with its own range. A schema's copies (`.describe()` makes
 * one) share its options, so they identify it.
 */
const DISTRIBUTIONS = new WeakSet<object>();

/** True for the schema of a distribution field, wrappers (default, optional) taken off. */
export function isDistributionSchema(schema: unknown): boolean {
  const options = (schema as { _zod?: { def?: { options?: unknown } } } | null)?._zod?.def?.options;
  return typeof options === 'object' && options !== null && DISTRIBUTIONS.has(options);
}

/**
 * A probability distribution, parameterised the way people think about it,
 * of a quantity no larger than `max` (in the field's unit): every value,
 * mean, bound and scale is at most `max`.
 */
function distribution(max: number) {
  const cv = () => z.number().min(MIN_CV).max(MAX_CV).describe(`coefficient of variation (sd / mean), from ${MIN_CV} to ${MAX_CV}`);
  const schema = z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('deterministic'), value: nonNegative('the value', max) }),
      z.strictObject({ kind: z.literal('exponential'), mean: positive('mean', max) }),
      z.strictObject({ kind: z.literal('uniform'), min: nonNegative('lower bound', max), max: nonNegative('upper bound (more than the lower)', max) }),
      z.strictObject({ kind: z.literal('lognormal'), mean: positive('mean', max), cv: cv() }),
      z.strictObject({ kind: z.literal('gamma'), mean: positive('mean', max), cv: cv() }),
      z.strictObject({
        kind: z.literal('pareto'),
        alpha: z.number().min(0.01).max(100).describe('tail index, from 0.01 to 100; 1.161 is the "80/20" rule used by matrix-locust'),
        min: positive('scale (smallest value)', max),
        max: positive('upper truncation', max).optional(),
      }),
      z.strictObject({
        kind: z.literal('empirical'),
        values: z.array(z.number().min(0).max(max)).min(1).max(MAX_EMPIRICAL_VALUES).describe('values drawn from'),
        weights: z.array(z.number().min(0).max(MAX_WEIGHT)).min(1).max(MAX_EMPIRICAL_VALUES).optional().describe('relative weight of each value (default equal)'),
      }),
    ])
    .describe('a distribution: {"kind": "lognormal", "mean": 120, "cv": 1.5}, deterministic, exponential, uniform, gamma, pareto or empirical');
  DISTRIBUTIONS.add(schema._zod.def.options);
  return schema;
}

/** A distribution as a scenario states it (the same shape for every field; only the ranges differ). */
export type DistributionSpec = z.output<ReturnType<typeof distribution>>;

const ActivityClass = z.strictObject({
  name: z.string().min(1).describe('e.g. heavy, regular, light, dormant'),
  share: share('share of users in this class'),
  onlinePropensity: nonNegative('relative chance of being online at a given hour (0 = never online)', 100).default(1),
  messagesPerDay: nonNegative('messages a user of this class sends per day', MAX_PER_DAY),
  mediaUploadsPerDay: nonNegative('media files a user of this class uploads per day', MAX_PER_DAY).default(0),
});

/** Office hours, Europe-like: quiet nights, a morning and an early-afternoon peak. (estimate) */
const DEFAULT_HOURLY_WEIGHTS = [0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.45, 0.8, 1, 1, 0.95, 0.75, 0.9, 1, 0.95, 0.85, 0.65, 0.45, 0.35, 0.3, 0.25, 0.15, 0.08];

const Rhythm = z.strictObject({
  hourlyWeights: z
    .array(z.number().min(0).max(MAX_WEIGHT))
    .length(24)
    .default(DEFAULT_HOURLY_WEIGHTS)
    .describe('relative activity in each local hour 0..23; the largest is the peak'),
  weekdayWeights: z
    .array(z.number().min(0).max(MAX_WEIGHT))
    .length(7)
    .default([1, 1, 1, 1, 0.95, 0.3, 0.25])
    .describe('relative activity Monday..Sunday; the largest is a peak day'),
  timeZoneSpreadHours: z.number().min(0).max(12).default(0).describe("users spread evenly over this many hours of time-zone offset around the server's zone"),
});

const Population = z.strictObject({
  users: count('local user accounts at the start', 1, MAX_USERS),
  growthPerMonth: z.number().min(-0.5).max(2).default(0).describe('relative change in users per month (0.02 = +2% a month)'),
  devicesPerUser: z.number().min(1).max(20).default(2).describe('mean logged-in devices per user (each user has at least one)'),
  mobileDeviceShare: share('share of devices that are phones with a pusher (push notifications)').default(0.4),
  classes: z
    .array(ActivityClass)
    .min(1)
    .max(MAX_CLASSES)
    .default([
      { name: 'heavy', share: 0.1, onlinePropensity: 1.6, messagesPerDay: 80, mediaUploadsPerDay: 2 },
      { name: 'regular', share: 0.4, onlinePropensity: 1, messagesPerDay: 25, mediaUploadsPerDay: 0.5 },
      { name: 'light', share: 0.3, onlinePropensity: 0.5, messagesPerDay: 5, mediaUploadsPerDay: 0.1 },
      { name: 'dormant', share: 0.2, onlinePropensity: 0, messagesPerDay: 0, mediaUploadsPerDay: 0 },
    ])
    .describe('activity classes; shares must sum to 1'),
  rhythm: Rhythm.prefault({}),
  peakOnlineShare: z.number().gt(0).max(1).default(0.35).describe('share of users with a client online at the busiest hour of the busiest day'),
  sessionMinutes: distribution(7 * 1440)
    .default({ kind: 'lognormal', mean: 45, cv: 1.2 })
    .describe('length of one online session, minutes (at most a week; the mean at least a minute)'),
});

/**
 * The client mix (docs/MODEL.md "Clients"): Element X speaks Simplified
 * Sliding Sync only, Element Web and Desktop stay on /sync v2 in 2026
 * (reference/matrix-2026.md §1.1), and phones hold no connection in the
 * background but are woken by pushes (§1.3).
 */
const Clients = z.strictObject({
  mobileSlidingSyncShare: share('share of phones running Element X (Simplified Sliding Sync); the rest run a /sync v2 client').default(1),
  desktopSlidingSyncShare: share('share of web and desktop clients on Simplified Sliding Sync; Element Web and Desktop use /sync v2 in 2026').default(0),
  mobileForegroundShare: share(
    "chance that a phone is in the foreground, holding a sync connection, during one of its user's sessions; in the background it is woken only by pushes",
  ).default(0.3),
  initialSyncsPerDevicePerMonth: nonNegative('initial syncs per device per month besides new logins: reinstalls, cleared caches, expired sessions', MAX_PER_MONTH).default(0.5),
});

const E2ee = z.strictObject({
  rotationPeriodDays: positive('Megolm session lifetime before rotation, days (rotation_period_ms; spec default one week)', MAX_DAYS_KEPT).default(7),
  rotationPeriodMessages: z.number().int().min(1).max(1_000_000).default(100).describe('messages per Megolm session before rotation (rotation_period_msgs; spec default 100)'),
  staleDevicesPerUser: nonNegative('logged-in devices per user that are no longer used (never fetch their to-device messages) at the start', 100).default(1),
  newLoginStaleShare: share('share of new logins whose previous device is never logged out and becomes stale').default(0.5),
  deleteStaleDevicesAfterDays: z
    .number()
    .positive()
    .max(MAX_DAYS_KEPT)
    .nullable()
    .default(null)
    .describe("Synapse's delete_stale_devices_after, days; null (the default) keeps stale devices for ever"),
  keyBackupShare: share('share of users with server-side key backup on').default(0.8),
});

const Media = z.strictObject({
  bytes: distribution(MAX_MEDIA_BYTES).default({ kind: 'lognormal', mean: 400_000, cv: 2.5 }).describe('size of one upload, bytes'),
  imageShare: share('share of uploads that are images (thumbnailed)').default(0.6),
  viewShare: share('share of online room members who download a media file').default(0.5),
});

const Behaviour = z.strictObject({
  messageBytes: distribution(MAX_EVENT_BYTES)
    .default({ kind: 'lognormal', mean: 120, cv: 1.5 })
    .describe('message body size, bytes of text (at most 65,536, the largest event the Matrix specification allows)'),
  replyShare: share('share of messages that are replies (bigger events)').default(0.15),
  reactionsPerMessage: nonNegative('reactions sent per message', MAX_PER_MESSAGE).default(0.2),
  editsPerMessage: nonNegative('edits sent per message', MAX_PER_MESSAGE).default(0.05),
  redactionsPerMessage: nonNegative('redactions sent per message', MAX_PER_MESSAGE).default(0.01),
  mentionShare: share('share of group-room messages that mention someone (pushed to them)').default(0.05),
  mutedRoomShare: share('share of memberships in rooms of three or more members set to mentions-only (the default rules notify every message elsewhere)').default(0.2),
  readReceiptShare: share('share of online members who send a read receipt for a message in a room').default(0.1),
  typingNotificationsPerMessage: nonNegative('typing notifications (start, refresh, stop) per message sent', MAX_PER_MESSAGE).default(1.5),
  presenceChangesPerOnlineHour: nonNegative('presence changes (active/idle) per online hour, beyond coming online and going offline', 3600).default(1),
  media: Media.prefault({}),
  urlPreviewShare: share('share of messages with a link the server previews').default(0.03),
  profileChangesPerUserPerMonth: nonNegative('display-name or avatar changes per user per month', MAX_PER_MONTH).default(0.1),
  newDevicesPerUserPerMonth: nonNegative('logins of a new device per user per month', MAX_PER_MONTH).default(0.5),
  membershipChangesPerUserPerMonth: nonNegative('room joins and leaves per user per month', MAX_PER_MONTH).default(1),
});

/** A time in the run: a day of it and an hour of that day, server time (a room kind's joinAt, an incident's start). */
const DayAndHour = z.strictObject({
  day: count('day of the run, 1 for the first', 1, MAX_RUN_DAYS),
  hour: z.number().min(0).lt(24).describe('hour of that day, server time (9.5 is 09:30)'),
});

const RoomKind = z.strictObject({
  name: z.string().min(1).describe('e.g. direct, group, team, large-internal, public'),
  count: count('number of rooms of this kind (or give membershipsPerUser)', 0, MAX_ROOMS).optional(),
  membershipsPerUser: nonNegative('rooms of this kind an average user is in (or give count)', 10_000).optional(),
  members: distribution(MAX_ROOM_MEMBERS).optional().describe('total members of a room (local and remote), a fixed number or a distribution (or give membersShare)'),
  membersShare: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe(
      'members of each room as a share of population.users, above 0 up to 1 (1: everyone, an all-staff room); the room grows with the users, --set population.users and the sizing for the horizon included (or give members)',
    ),
  remoteMemberShare: share('share of members on other servers').default(0),
  encryptedShare: share('share of rooms that are end-to-end encrypted (default: features.encryptionByDefault)').optional(),
  mutedShare: share('share of local memberships in this kind of room set to mentions-only (default: behaviour.mutedRoomShare; rooms of two are never muted)').optional(),
  activityWeight: nonNegative('relative messages per local membership in this kind of room', MAX_WEIGHT).default(1),
  baseStateEvents: z.number().int().min(0).max(1_000_000).default(8).describe('state events besides memberships (create, power levels, join rules, ...)'),
  hostedRemotely: z.boolean().default(false).describe('a big public room created elsewhere: joining it downloads its state'),
  joinRule: z
    .enum(['private', 'public'])
    .optional()
    .describe(
      'private (invite-only or knock: every local member gets a user-directory row per other member) or public (anyone may join: one row per local member); default public for hostedRemotely kinds, else private',
    ),
  historicMemberFactor: z
    .number()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      "members who ever joined per current member: the room's state keeps a member event for everyone who left (default: from behaviour.membershipChangesPerUserPerMonth over the rooms' age, docs/MODEL.md)",
    ),
  remoteMessagesPerMemberPerDay: nonNegative(
    'messages each remote member sends per day in this kind of room (default: federation.remoteMessagesPerMemberPerDay)',
    MAX_PER_DAY,
  ).optional(),
  localMembers: z
    .number()
    .int()
    .min(1)
    .max(MAX_USERS)
    .optional()
    .describe('local members of each room of this kind; the rest of its members are remote (instead of remoteMemberShare)'),
  remoteServers: z
    .number()
    .int()
    .min(1)
    .max(MAX_REMOTE_SERVERS)
    .optional()
    .describe('distinct remote servers in each room of this kind (default: as many as its remote members happen to live on)'),
  currentStateEvents: z.number().int().min(1).max(MAX_STATE_EVENTS).optional().describe('current state events of each room (default: its members plus baseStateEvents)'),
  historicStateEvents: z
    .number()
    .int()
    .min(0)
    .max(MAX_STATE_EVENTS)
    .optional()
    .describe('state events no longer current (past memberships, earlier power levels) that a join downloads with the auth chain (default: half the current state)'),
  joinAt: DayAndHour.optional().describe(
    'when this server joins each room of this kind: a partial-state join by its first local member, the others joining with it; before then the room has no traffic here',
  ),
  retention: z
    .strictObject({
      maxLifetimeDays: z
        .number()
        .positive()
        .max(MAX_DAYS_KEPT)
        .nullable()
        .describe("events of this kind's rooms older than this are purged (Synapse's m.room.retention max_lifetime); null keeps them whatever features.retentionDays says"),
      minLifetimeDays: z
        .number()
        .positive()
        .max(MAX_DAYS_KEPT)
        .nullable()
        .default(null)
        .describe("Synapse's min_lifetime: kept at least this long (at most maxLifetimeDays); Synapse purges by max_lifetime only, so it changes no figure"),
    })
    .optional()
    .describe("this kind's retention policy (an m.room.retention state event in each room), instead of features.retentionDays; features.legalHold overrides it"),
});

const Rooms = z.strictObject({
  kinds: z.array(RoomKind).min(1).max(MAX_ROOM_KINDS).describe('kinds of rooms'),
  activitySkew: nonNegative('Zipf exponent of message activity across rooms of one kind (0 = even)', MAX_SKEW).default(1),
});

const Federation = z.strictObject({
  mode: z
    .enum(['closed', 'allowList', 'open'])
    .default('closed')
    .describe(
      'closed: no federation; written as "closed", it closes federation everywhere (no remote servers or members, rooms created elsewhere not joined) whatever the rest of the file federates; allowList: only listed servers; open: anyone',
    ),
  remoteServers: z.number().int().min(0).max(MAX_REMOTE_SERVERS).default(0).describe('other servers whose users share rooms with ours'),
  serverPopularitySkew: nonNegative('Zipf exponent of how remote members spread over remote servers (0 = even)', MAX_SKEW).default(1),
  partners: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}(:[0-9]{1,5})?$/, 'a server name: letters, digits, "." and "-", with an optional :port')
        .describe('a server name, e.g. "ministry-b.example"'),
    )
    .max(1000)
    .default([])
    .describe(
      'names of the most popular remote servers, most popular first (the first is the one with the most members in shared rooms): the report names them, and a remoteOutage can pick them by name; the others stay unnamed',
    ),
  remoteMessagesPerMemberPerDay: nonNegative('messages a remote member sends per day into a shared room', MAX_PER_DAY).default(2),
  remoteOnlineShare: share('share of remote members online on average (their receipts, typing and presence)').default(0.2),
  latencyMs: distribution(60_000).default({ kind: 'lognormal', mean: 60, cv: 0.6 }).describe('one-way network latency to a remote server, ms'),
  remoteProcessingMs: distribution(600_000).default({ kind: 'lognormal', mean: 150, cv: 1 }).describe('time a remote server takes to accept a transaction, ms'),
  downShare: share('share of remote servers that are unreachable for the whole run').default(0.02),
  slowShare: share('share of remote servers that are slow').default(0.05),
  slowFactor: z.number().min(1).max(1000).default(10).describe('how many times slower a slow server answers'),
  publicRoomJoinsPerDay: nonNegative('joins of big remote rooms by local users per day (each downloads the room state)', MAX_PER_MONTH).default(0),
  remoteMemberChurnPerDay: share('share of remote members who join, leave or change profile per day (state events)').default(0.01),
});

const Features = z.strictObject({
  presence: z.boolean().default(true).describe('presence on (Synapse default) or off'),
  typing: z.boolean().default(true),
  readReceipts: z.boolean().default(true),
  privateReadReceipts: z.boolean().default(false).describe('read receipts sent private (m.read.private): kept on this server, not sent to remote servers in the room'),
  encryptionByDefault: z.boolean().default(false).describe('new private rooms encrypted'),
  urlPreviews: z.boolean().default(false).describe('URL previews (off by default in Synapse: url_preview_enabled)'),
  retentionDays: z.number().positive().max(MAX_DAYS_KEPT).nullable().default(null).describe('purge events and media older than this; null keeps everything'),
  mediaMaxBytes: z.number().int().positive().max(MAX_MEDIA_BYTES).default(52_428_800).describe('upload limit, bytes (Synapse default 50 MiB)'),
  stateCompressor: z.boolean().default(false).describe('run synapse_auto_compressor (matrix-org/rust-synapse-compress-state), which rewrites state-group chains into fewer rows'),
  search: z
    .strictObject({
      enabled: z.boolean().default(true).describe("server-side full-text search (Synapse's enable_search, on by default): unencrypted messages are indexed in event_search"),
      queriesPerUserPerDay: nonNegative(
        'searches (POST /search) a user makes per day; default 0.5, an estimate: search is an occasional act (a few a week), encrypted rooms are searched on the client',
        MAX_PER_DAY,
      ).default(0.5),
    })
    .prefault({})
    .describe('server-side search (docs/MODEL.md, "Search, retention and audit")'),
  legalHold: z.boolean().default(false).describe('keep everything: no retention purge, whatever features.retentionDays and rooms.kinds[].retention say'),
  auditExport: z
    .strictObject({
      enabled: z.boolean().default(false).describe('an archiving appservice copies every event persisted here to object storage with a retention lock'),
      includeMedia: z.boolean().default(false).describe('copy local media uploads too'),
      lockYears: z.number().positive().max(100).default(7).describe('years each archived object is locked (kept) before it may be deleted'),
      offSite: z.boolean().default(true).describe('the archive is in another site or provider: every archived byte is egress'),
    })
    .prefault({})
    .describe('audit export (docs/MODEL.md, "Search, retention and audit")'),
});

/** Instances of one component: a few for availability, many for load; far beyond any published deployment. */
const MAX_COMPONENT_INSTANCES = 100;
/** Rules of a moderation bot's policy lists: ten times the largest community ban lists (tens of thousands of rules). */
const MAX_MODERATION_RULES = 1_000_000;

const componentInstances = (what: string) =>
  z.number().int().min(1).max(MAX_COMPONENT_INSTANCES).default(1).describe(`instances of ${what} at least, for availability (more are added when the load needs them)`);

/** Names of the room kinds a safety component protects; null: every kind. */
const ProtectedRoomKinds = z
  .array(z.string().min(1))
  .min(1)
  .max(MAX_ROOM_KINDS)
  .nullable()
  .default(null)
  .describe('names of the room kinds (rooms.kinds[].name) it protects; null (the default): every kind');

/**
 * The other components of the comms layer beside the homeserver and
 * PostgreSQL (src/server/components.ts; docs/MODEL.md, "Other
 * components"). Each is off by default when a plain Synapse deployment
 * lacks it; the reverse proxy is on, since every deployment terminates TLS
 * in front of Synapse. The push gateway is off by default: the gateway is
 * chosen by the app, not the server, and the stock Element apps push
 * through Element's own; a self-hosted one serves only apps built with the
 * organisation's own push credentials. Nothing in the simulation reads this
 * section yet.
 */
const Components = z.strictObject({
  authService: z
    .strictObject({
      enabled: z
        .boolean()
        .default(false)
        .describe('run the Matrix Authentication Service (MAS): needed for single sign-on and QR login with Element X; off by default, Synapse then checks passwords itself'),
      passwordLogins: z
        .boolean()
        .default(true)
        .describe("true: MAS checks each login's password (argon2id, its default); false: every login goes through an upstream identity provider"),
      instances: componentInstances('MAS'),
    })
    .prefault({})
    .describe('the Matrix Authentication Service, with its own PostgreSQL database'),
  pushGateway: z
    .strictObject({
      enabled: z.boolean().default(false).describe("run a push gateway (Sygnal); off by default: the stock Element apps push through Element's own gateway"),
      instances: componentInstances('the push gateway'),
    })
    .prefault({})
    .describe('a self-hosted push gateway (Sygnal) relaying pushes to Apple and Google'),
  contentScanner: z
    .strictObject({
      enabled: z.boolean().default(false).describe('scan media with matrix-content-scanner and ClamAV before clients get it'),
      instances: componentInstances('the scanner (each with its own ClamAV)'),
    })
    .prefault({})
    .describe('a content scanner in front of media downloads: matrix-content-scanner-python with ClamAV'),
  policyServer: z
    .strictObject({
      enabled: z
        .boolean()
        .default(false)
        .describe('run a policy server (MSC4284, policyserv) that checks every event of the protected rooms before it is sent; it cannot read encrypted events'),
      roomKinds: ProtectedRoomKinds,
      instances: componentInstances('the policy server'),
    })
    .prefault({})
    .describe('a policy server (MSC4284; matrix-org/policyserv), with its own PostgreSQL database'),
  moderationBot: z
    .strictObject({
      enabled: z.boolean().default(false).describe('run a moderation bot (Draupnir) in the protected rooms'),
      roomKinds: ProtectedRoomKinds,
      rules: z
        .number()
        .int()
        .min(0)
        .max(MAX_MODERATION_RULES)
        .default(1000)
        .describe('rules of the policy lists it applies (bans of users and servers, globs included; estimate: a thousand from a community ban list)'),
    })
    .prefault({})
    .describe('a moderation bot (Draupnir): one process, its memory growing with rooms times rules'),
  reverseProxy: z
    .strictObject({
      enabled: z.boolean().default(true).describe('a reverse proxy (nginx, Caddy, HAProxy) terminating TLS for clients and federation; on by default'),
      instances: componentInstances('the reverse proxy'),
    })
    .prefault({})
    .describe('the reverse proxy in front of the homeserver: all client and federation traffic passes through it'),
  turn: z
    .strictObject({
      enabled: z.boolean().default(false).describe('run a TURN server (coturn) relaying call media for clients that cannot reach the SFU or each other directly'),
      instances: componentInstances('the TURN server'),
    })
    .prefault({})
    .describe('a TURN relay (coturn): its bandwidth is the call media it relays'),
});

/**
 * Calls (MatrixRTC: Element Call on a LiveKit SFU; docs/MODEL.md, "Calls").
 * Off by default: no call is made while callsPerUserPerDay is 0.
 */
const Calls = z.strictObject({
  callsPerUserPerDay: nonNegative('calls each user starts per day, over the daily and weekly rhythm (a weekly-average day); 0 (the default) turns calls off', MAX_PER_DAY).default(
    0,
  ),
  durationMinutes: distribution(1440)
    .default({ kind: 'lognormal', mean: 30, cv: 1 })
    .describe('length of one call, minutes (at most a day; estimate: half-hour meetings, shorter 1:1 calls)'),
  participants: distribution(MAX_CALL_PARTICIPANTS)
    .default({ kind: 'lognormal', mean: 4, cv: 0.75 })
    .describe(`participants of one call, rounded, at least 2 and at most ${MAX_CALL_PARTICIPANTS} (estimate: mostly 1:1 calls and small meetings)`),
  audioOnlyCallShare: share('share of calls in which nobody turns the camera on (estimate)').default(0.3),
  cameraShare: share('in the other calls, share of participants with the camera on (estimate)').default(0.7),
  screenShareShare: share('share of calls in which one participant shares the screen for the whole call (estimate)').default(0.3),
  turnShare: share('share of participants whose media goes through TURN (networks that block UDP; estimate, no published figure)').default(0.1),
  sfuNodeVcpu: count("vCPU of one SFU node (16: the LiveKit benchmark's c2-standard-16)", 1, MAX_CORES).default(16),
  sfuTargetUtilization: z
    .number()
    .gt(0)
    .max(1)
    .default(0.7)
    .describe('highest CPU utilisation of an SFU node the sizing accepts, above 0 up to 1 (estimate, as run.server.targets.cpuUtilization)'),
});

/** Incidents of one scenario's timeline: far more than a study of bad days needs. */
const MAX_INCIDENTS = 100;

/** Which remote servers an outage takes down: the most popular ones (by members drawn onto them), or a share picked at random. */
const RemoteServerSelection = z
  .strictObject({
    largest: count('the servers with the most members in shared rooms (the partners), most popular first', 1, MAX_REMOTE_SERVERS).optional(),
    share: share('share of the remote servers, picked at random in each replication').optional(),
    names: z.array(z.string().min(1)).min(1).max(1000).optional().describe('servers named in federation.partners'),
  })
  .describe(
    '{ "largest": N } for the N most popular remote servers, { "share": x } for a share picked at random, or { "names": [...] } for servers named in federation.partners (exactly one)',
  );

/** An incident's label in the report. */
const IncidentName = z.string().min(1).max(80).optional().describe('label of the incident in the report (default: its kind and start)');

/** Whether the recommendation must survive an incident. */
const MustSurvive = z
  .boolean()
  .default(false)
  .describe(
    "true: the recommendation is also grown until, from this incident's start to its drain, local sends meet run.server.targets, and what it queued drains within its window (shown beside the normal day's)",
  );

const RemoteOutage = z.strictObject({
  kind: z.literal('remoteOutage'),
  name: IncidentName,
  at: DayAndHour.describe('when the servers stop answering'),
  durationMinutes: positive('how long they stay unreachable, minutes', MAX_RUN_DAYS * 1440),
  servers: RemoteServerSelection,
  mustSurvive: MustSurvive,
});

const MassLogin = z.strictObject({
  kind: z.literal('massLogin'),
  name: IncidentName,
  at: DayAndHour.describe('when the first login comes'),
  durationMinutes: positive('minutes over which the logins come, evenly (an SSO migration, a forced re-login)', MAX_RUN_DAYS * 1440),
  users: count('logins: each a user, drawn at random, logging in on a new device', 1, MAX_USERS),
  passwordLogins: z.boolean().default(true).describe('true: Synapse checks each password (bcrypt); false: single sign-on, where the identity provider does'),
  mustSurvive: MustSurvive,
});

/** While this server is down (an outage, a restore): how the clients come back, and what they keep. */
const ReconnectSeconds = positive('seconds over which clients reconnect and remote servers send again once it is back, evenly (estimate: a minute)', 3600).default(60);
const KeptActsPerUser = z
  .number()
  .int()
  .min(0)
  .max(1000)
  .default(3)
  .describe("acts (messages, reactions, uploads) a user's client keeps to send on return; further ones are not made, the user having seen that sending fails (estimate: a few)");

const Outage = z.strictObject({
  kind: z.literal('outage'),
  name: IncidentName,
  at: DayAndHour.describe('when this server stops answering'),
  durationMinutes: positive('how long it is down, minutes (a failed upgrade, a host lost, a restore)', MAX_RUN_DAYS * 1440),
  reconnectSeconds: ReconnectSeconds,
  keptActsPerUser: KeptActsPerUser,
  mustSurvive: MustSurvive,
});

/** Months in service when a backup or restore happens: the database and media copied are those of the storage projection at that month. */
const MonthsInService = count(
  'months the deployment has been in service when it happens: the database and media copied are those of the storage projection at that month',
  0,
  240,
).default(12);

const Backup = z.strictObject({
  kind: z.literal('backup'),
  name: IncidentName,
  at: DayAndHour.describe('when the backup starts (this server stays up)'),
  monthsInService: MonthsInService,
  databaseBackupMBps: positive(
    'dump throughput of the database, MB/s: one PostgreSQL backend reads and sends it all the while, a core of the database busy (estimate: 50 for pg_dump, compressing on the backup host)',
    100_000,
  ).default(50),
  mediaBackupMBps: positive('copy throughput of the media store, MB/s; the copy runs beside the dump and takes no database time', 100_000).default(200),
  backupMedia: z.boolean().default(false).describe('true: the whole media store is copied too; false: it is copied incrementally or snapshotted elsewhere (only the dump counts)'),
  intervalHours: positive('hours between backups: the worst recovery point (what is written after one backup is lost if the database fails before the next)', 24 * 366).default(24),
  mustSurvive: MustSurvive,
});

const Restore = z.strictObject({
  kind: z.literal('restore'),
  name: IncidentName,
  at: DayAndHour.describe('when the database is lost; this server is down from then until it is restored'),
  monthsInService: MonthsInService,
  databaseRestoreMBps: positive('restore throughput of the database, MB/s, indexes rebuilt included (estimate: 50 for pg_restore of a dump)', 100_000).default(50),
  mediaRestoreMBps: positive('copy throughput of the media store, MB/s', 100_000).default(200),
  restoreMedia: z.boolean().default(false).describe('true: the media store was lost too and is copied back; false: it survived (media kept apart from the database)'),
  fixedMinutes: nonNegative('minutes before the copy starts: noticing, provisioning a host, fetching the backup', 10_000).default(30),
  backupIntervalHours: positive('hours between backups: the worst recovery point, what was written since the last backup being lost', 24 * 366).default(24),
  reconnectSeconds: ReconnectSeconds,
  keptActsPerUser: KeptActsPerUser,
  mustSurvive: MustSurvive,
});

const BigRoomJoin = z.strictObject({
  kind: z.literal('bigRoomJoin'),
  name: IncidentName,
  at: DayAndHour.describe('when a local user joins'),
  roomKind: z
    .string()
    .min(1)
    .describe('name of a room kind with hostedRemotely true and no joinAt: its rooms are joined then (a partial-state join, then the state resync), and not before'),
  durationMinutes: positive('minutes to count as the incident: the join and its state resync (the window goes on 4 hours after)', MAX_RUN_DAYS * 1440).default(60),
  mustSurvive: MustSurvive,
});

const Purge = z.strictObject({
  kind: z.literal('purge'),
  name: IncidentName,
  at: DayAndHour.describe('when the purge starts'),
  events: count('events deleted (a retention policy reaching a year of history, an admin purge of a room)', 1, 1e10),
  rooms: z
    .union([z.literal('all'), count('rooms', 1, 1e8)])
    .default('all')
    .describe(
      "rooms the events are deleted from, each in one transaction that holds one of main's database connections and the room's backfill lock until it ends: 'all' (the default: a retention policy's run, every room with history, the events split by each room's history) or N (the N rooms with the most history: 1 for an admin purge of one room)",
    ),
  durationMinutes: positive("minutes to count as the incident in the report (the purge itself lasts as long as its rooms' transactions take)", MAX_RUN_DAYS * 1440).default(60),
  mustSurvive: MustSurvive,
});

const SpamWave = z.strictObject({
  kind: z.literal('spamWave'),
  name: IncidentName,
  at: DayAndHour.describe('when the wave starts'),
  durationMinutes: positive('how long it lasts, minutes', MAX_RUN_DAYS * 1440),
  joinsPerMinute: nonNegative('joins of spam accounts from remote servers into rooms with remote members (state events), per minute', 1e6).default(0),
  messagesPerMinute: nonNegative('spam messages from remote servers into those rooms, per minute', 1e6).default(0),
  mediaPerMinute: nonNegative(
    'spam messages carrying an image or file, per minute: each is fetched from its server and thumbnailed when a local member looks, like any remote media',
    1e6,
  ).default(0),
  invitesPerMinute: nonNegative(
    "spam invites from remote servers to local users picked at random, per minute: each is stored, shown in the invited user's /sync and pushed to their phones",
    1e6,
  ).default(0),
  policyServer: z
    .boolean()
    .default(false)
    .describe(
      'true: a policy server (MSC4284) or antispam module checks each spam event, one HTTP request from this server each, and keeps the ones it catches from clients (a caught invite is rejected)',
    ),
  caughtShare: share('share of the spam a policy server catches (estimate; no published rate)').default(0.9),
  mustSurvive: MustSurvive,
});

/** An incident on the timeline; `kind` says which. */
const Incident = z
  .discriminatedUnion('kind', [RemoteOutage, MassLogin, Outage, Backup, Restore, BigRoomJoin, Purge, SpamWave])
  .describe('an incident: remoteOutage, massLogin, outage, backup, restore, bigRoomJoin, purge or spamWave');

const workerCount = (what: string, dflt: number) => z.number().int().min(0).max(MAX_WORKERS).default(dflt).describe(`${what}; 0: the main process does this work`);

/** Synapse worker processes by kind (docs/workers.md); used when deployment is "workers". */
const Workers = z.strictObject({
  sync: workerCount('sync workers (synchrotrons), sharded by user', 2),
  federationSender: workerCount('federation senders, sharded by destination', 1),
  federationReader: workerCount('federation readers (inbound transactions)', 1),
  eventPersister: workerCount('event persisters, sharded by room', 1),
  mediaRepository: workerCount('media repository workers', 1),
  pusher: workerCount('pusher workers', 1),
  generic: workerCount('generic workers for client requests (sends, receipts, keys)', 1),
});

const Targets = z.strictObject({
  cpuUtilization: z.number().gt(0).max(1).default(DEFAULT_CPU_UTILIZATION).describe('highest p95 CPU utilisation of any process or the database the recommendation accepts'),
  latencyPercentile: z.enum(['p50', 'p95', 'p99']).default('p95').describe('latency percentile held to the bound'),
  localSendMs: z.number().positive().max(600_000).default(1000).describe('bound on local send latency (send until first delivered to an online device), ms'),
  diskHeadroom: z.number().min(0).max(10).default(0.3).describe("extra disk over the horizon's need (0.3 = 30%)"),
  bandwidthHeadroom: z.number().min(0).max(10).default(DEFAULT_BANDWIDTH_HEADROOM).describe('extra bandwidth over the p95 bin (1 = twice the p95)'),
});

/** Implementations that store in PostgreSQL (run.server.databaseCores); the others embed their database (profiles.ts, `postgres`). */
export const POSTGRES_IMPLEMENTATIONS: readonly Implementation[] = ['synapse', 'synapse-pro', 'dendrite'];
/** Names still accepted that run as another implementation, with a warning: conduwuit is archived, tuwunel is its successor. */
export const IMPLEMENTATION_ALIASES = { conduwuit: 'tuwunel' } as const satisfies Record<string, Implementation>;

const Server = z.strictObject({
  implementation: z
    .enum([...IMPLEMENTATIONS, 'conduwuit'])
    .default('synapse')
    .transform((name): Implementation => (name === 'conduwuit' ? IMPLEMENTATION_ALIASES[name] : name))
    .describe(
      'the homeserver: synapse, synapse-pro (Synapse with Rust workers; vendor claims, with deployment "workers"), dendrite (maintenance mode), tuwunel or continuwuity; "conduwuit" (archived) runs as tuwunel',
    ),
  deployment: z.enum(['monolith', 'workers']).default('monolith').describe('Synapse and Synapse Pro only: one process, or a main process with workers'),
  workers: Workers.prefault({}).describe('worker processes by kind; only with deployment "workers"'),
  cores: z.number().int().min(1).max(MAX_CORES).default(4).describe('cores of a multi-threaded server (Dendrite, tuwunel and continuwuity only)'),
  databaseCores: z.number().int().min(1).max(MAX_CORES).default(4).describe('PostgreSQL cores (Synapse, Synapse Pro and Dendrite only)'),
  targets: Targets.prefault({}),
  sizeFor: z
    .enum(['horizon', 'today'])
    .default('horizon')
    .describe("size for the users at the end of run.horizonMonths (one more simulation of them), or for today's users with the month at which the deployment must grow"),
  calibration: z
    .strictObject({
      source: z.string().min(1).describe('the calibration file the values come from'),
      cpu: z
        .record(z.string().regex(/^[a-zA-Z]+$/), z.strictObject({ cpuMs: z.number().min(0).max(600_000).optional(), cpuMsPerUnit: z.number().min(0).max(600_000).optional() }))
        .describe("CPU per operation and per unit, ms, by operation (src/server/profiles.ts), replacing the profile's"),
      memory: z.strictObject({
        processBaseBytes: z
          .number()
          .min(0)
          .max(2 ** 40)
          .optional()
          .describe("resident memory of an idle process, bytes, replacing the profile's"),
        bytesPerOnlineDevice: z
          .number()
          .min(0)
          .max(2 ** 30)
          .optional()
          .describe("memory per online device on the process that serves its /sync, bytes, replacing the profile's"),
      }),
    })
    .optional()
    .describe("costs fitted to a server's metrics (`mxsim run --calibration FILE` fills this from the file `mxsim calibrate` wrote; docs/CALIBRATE.md)"),
  saturation: z
    .enum(['simulated', 'linear'])
    .default('simulated')
    .describe('how the users at which the recommendation saturates are found: re-simulating larger populations (a few more simulations), or extrapolating the bottleneck linearly'),
});

/** A run seed, in a file (run.seed) or on the command line (`--seed`). */
export const RunSeed = z.union([z.number().int(), z.string().min(1)]);

const Run = z.strictObject({
  days: z.number().positive().max(MAX_RUN_DAYS).default(1).describe('simulated days'),
  binMinutes: z.number().min(1).max(1440).default(15).describe('width of one time-series bin, minutes; the run must be a whole number of bins'),
  replications: z.number().int().min(1).max(MAX_REPLICATIONS).default(3).describe('replications of the run, each drawing its own world and activity'),
  seed: RunSeed.default(1).describe('seed of the run: an integer or a non-empty string; replication r uses "seed/r"'),
  horizonMonths: z.number().int().min(1).max(240).default(36).describe('storage and cost horizon, months'),
  trustBoundaryLevers: z
    .boolean()
    .default(false)
    .describe(
      "also re-simulate one replication with encryption by default, for the trust boundary's levers (summary trustBoundary.levers); the other levers are exact from the counters and always given",
    ),
  server: Server.prefault({}),
});

const CURRENCY_CODE = `(?:${CURRENCIES.join('|')})`;
/** "FROM:TO=RATE": two known ISO 4217 codes and a decimal number. */
const RATE_FORM = new RegExp(`^${CURRENCY_CODE}:${CURRENCY_CODE}=(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?$`);

/** Exchange rates between any two currencies of the list lie well within these (the widest, KRW against GBP, is about 1,800). */
const MIN_RATE = 1e-6;
const MAX_RATE = 1e6;

/** One stated exchange rate, e.g. "USD:EUR=0.92" (1 USD = 0.92 EUR). */
const ExchangeRate = z
  .string()
  .regex(RATE_FORM, {
    message: 'an exchange rate "FROM:TO=RATE" with ISO 4217 codes in capitals (those of cost.currency), e.g. "USD:EUR=0.92" (1 USD = 0.92 EUR)',
    abort: true,
  })
  .refine((r) => r.slice(0, 3) !== r.slice(4, 7), 'a rate between two different currencies, e.g. "USD:EUR=0.92"')
  .refine((r) => {
    const rate = Number(r.slice(8));
    return rate >= MIN_RATE && rate <= MAX_RATE;
  }, `a rate from ${MIN_RATE} to ${MAX_RATE}, e.g. "USD:EUR=0.92"`)
  .describe('1 FROM = RATE TO; the inverse is used for the opposite direction');

/** What the cost comparison prices and how (src/cost; `mxsim cost` options override these). */
export const CostSettings = z.strictObject({
  currency: z
    .enum(CURRENCIES)
    .default('USD')
    .describe(
      'currency of every cost figure (ISO 4217); a price in another currency is converted at the dated reference rate of data/prices/exchange_rates.csv (ECB), or at a rate in cost.rates (or --rate), which replaces it for its pair',
    ),
  rates: z
    .array(ExchangeRate)
    .default([])
    .describe(
      'exchange rates as "FROM:TO=RATE", e.g. ["USD:EUR=0.92"], each replacing the reference rate (data/prices/exchange_rates.csv) for its pair; a price that needs a rate neither gives is left out with a note',
    ),
  providers: z
    .array(z.string().min(1))
    .default([])
    .describe('providers to compare, "Hetzner" or "Hetzner/fsn1" (provider/region); empty: every provider with usable prices in the report currency'),
  saas: z
    .array(z.string().min(1))
    .default([])
    .describe('SaaS vendors or plans to compare, "Slack" or "Slack/Pro"; empty: every vendor-hosted plan with a published per-user price'),
  database: z
    .enum(['same-host', 'extra-host', 'managed'])
    .default('same-host')
    .describe("where PostgreSQL runs: on the homeserver host, on a host of its own, or as the provider's managed PostgreSQL"),
  billing: z.enum(['annual', 'monthly']).default('annual').describe('SaaS billing where a plan publishes both prices'),
  labourRatePerHour: nonNegative(
    "loaded labour rate per hour, in cost.currency (default: the labour catalog's rate for the currency's region, e.g. Eurostat's euro-area labour cost for EUR, else the US wage x employer loading, converted)",
    1_000_000,
  ).optional(),
  labourHoursPerMonth: nonNegative('operations hours per month (default: a formula of users, processes and database placement)', 100_000).optional(),
  vatIncluded: z.boolean().default(false).describe('compare prices including VAT (false: excluding VAT); rows of the other basis are left out'),
});

export const ScenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('path or URL of the schema, for editors'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'letters, digits, ".", "_" or "-", up to 80, starting with a letter or digit')
      .describe('short name; the report folder is reports/<name>'),
    description: z.string().min(1).describe('what the scenario represents and where its numbers come from'),
    population: Population,
    behaviour: Behaviour.prefault({}),
    clients: Clients.prefault({}).describe('which clients and sync protocols devices run'),
    e2ee: E2ee.prefault({}).describe('end-to-end encryption: Megolm rotation, stale devices, key backup'),
    rooms: Rooms,
    federation: Federation.prefault({}),
    features: Features.prefault({}),
    calls: Calls.prefault({}).describe('calls on a LiveKit SFU (Element Call): how many, how long, how many join, what they send; off by default'),
    components: Components.prefault({}).describe(
      'the other components of the comms layer: authentication service, push gateway, content scanner, policy server, moderation bot, reverse proxy, TURN',
    ),
    timeline: z
      .array(Incident)
      .max(MAX_INCIDENTS)
      .default([])
      .describe('incidents during the run, in any order: each with its start, duration and parameters (docs/MODEL.md, "Incidents")'),
    run: Run.prefault({}),
    cost: CostSettings.prefault({}).describe('the cost comparison: currency, stated exchange rates, providers, SaaS plans, database placement, labour'),
  })
  .describe("An mxsim scenario: an organisation's users, rooms, federation and policy.");

/** A scenario as written in a file (defaults may be missing). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A scenario with every default filled in (what the simulation reads). */
export type Scenario = z.output<typeof ScenarioSchema>;
export type RoomKindSpec = Scenario['rooms']['kinds'][number];
export type ActivityClassSpec = Scenario['population']['classes'][number];
/** The scenario's cost settings, defaults filled. */
export type CostSettings = Scenario['cost'];
/** The components section, defaults filled. */
export type ComponentSettings = Scenario['components'];
/** The calls section, defaults filled. */
export type CallsSpec = Scenario['calls'];
/** One incident of the timeline, defaults filled. */
export type IncidentSpec = Scenario['timeline'][number];

export { CURRENCIES, DEFAULT_BANDWIDTH_HEADROOM, DEFAULT_CPU_UTILIZATION, IMPLEMENTATIONS, MAX_CALL_PARTICIPANTS, MAX_USERS, WORKER_IMPLEMENTATIONS, type Implementation };
