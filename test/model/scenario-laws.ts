/**
 * Laws a run of any scenario must obey, with the value each law expects
 * computed here from the scenario's own fields (and, where the world's random
 * draws matter, from the world rebuilt from the replication's `world`
 * stream). Shared by the reduced runs of every shipped scenario in `npm test`
 * (scenarios.test.ts) and the full-size runs in `npm run test:full`
 * (scenarios.full.test.ts).
 *
 * Each law says where its expected value comes from. Tolerances for counts
 * that are random are five standard deviations, computed from the process
 * that draws them (Poisson, binomial, compound Poisson), so they tighten as
 * the run grows and a law can fail on a wrong rate, not on noise.
 */
import { createStream } from '../../src/engine/random.js';
import type { ScenarioRun } from '../../src/analysis/run.js';
import { M, STORAGE_CATEGORIES, type MetricId } from '../../src/model/metrics.js';
import type { ReplicationResult } from '../../src/model/simulate.js';
import { buildWorld, type World } from '../../src/model/world.js';
import type { DistributionSpec, Scenario } from '../../src/scenario/grammar.js';

/**
 * |actual - expected| <= tolerance (tolerance 0: exactly equal), or with
 * `atMost`, actual <= expected.
 */
export interface Law {
  what: string;
  actual: number;
  expected: number;
  tolerance: number;
  /** Where the expected value comes from. */
  source: string;
  atMost?: boolean;
}

/** Whether a law holds (NaN never does). */
export function holds(l: Law): boolean {
  return l.atMost ? l.actual <= l.expected : Math.abs(l.actual - l.expected) <= l.tolerance;
}

/** Five standard deviations: a count this far off is a wrong rate, not bad luck. */
const SIGMAS = 5;
/**
 * Relative slack between two figures of the summary or the horizon table,
 * each rounded to six significant digits (src/analysis/stat.ts): a rounded
 * figure, or a sum of rounded positive figures, is within 5e-6 of the exact
 * value, so two of them are within 1e-5 of each other.
 */
const ROUNDED = 1e-5;

// ---------------------------------------------------------------------------
// Reduced scenarios

/**
 * How each shipped scenario is cut down for `npm test`: users (room kinds
 * given by `count` scale with them, so rooms keep their sizes and each user
 * keeps about as many rooms), replications, and anything else that would
 * dominate the run time. Every shipped scenario must have an entry.
 */
/** A spam wave as community-server is reduced, a tenth of the wave for a third of the time. */
const SPAM_WAVE_REDUCED = [
  'rooms.kinds[2].count=3',
  'timeline[0].messagesPerMinute=200',
  'timeline[0].joinsPerMinute=20',
  'timeline[0].mediaPerMinute=10',
  'timeline[0].invitesPerMinute=5',
  'timeline[0].durationMinutes=20',
];

export const REDUCED: Record<string, { users: number; replications: number; extra?: string[]; why?: string }> = {
  'team-50': { users: 50, replications: 2 },
  'community-server': {
    users: 40,
    replications: 2,
    extra: ['rooms.kinds[2].count=3'],
    why: 'remote presence and messages of 25 public rooms of up to 50,000 members are most of its events; 3 such rooms keep the mechanism at an eighth of the cost',
  },
  'company-2000': { users: 400, replications: 2 },
  'healthcare-network': { users: 300, replications: 2 },
  'agency-records': { users: 400, replications: 2 },
  'ministry-20000': { users: 1000, replications: 2 },
  'ministry-20000-calls': { users: 1000, replications: 2 },
  'university-30000': { users: 1000, replications: 2 },
  'national-300000': { users: 1000, replications: 2 },
  'forced-relogin': { users: 100, replications: 2, why: 'each replication runs twice (with and without the logins)' },
  'server-outage': { users: 100, replications: 2, why: 'each replication runs twice (with and without the outage)' },
  'database-restore': { users: 100, replications: 2, why: 'each replication runs twice (with and without the restore)' },
  'big-room-join': {
    users: 40,
    replications: 2,
    extra: ['rooms.kinds[2].count=3', 'rooms.kinds[3].members={"kind":"deterministic","value":1500}', 'rooms.kinds[3].currentStateEvents=5000', 'rooms.kinds[3].remoteServers=150'],
    why: 'as community-server, the joined room a twentieth the size; each replication runs twice (with and without the join)',
  },
  'retention-purge': { users: 100, replications: 2, extra: ['timeline[0].events=20000'], why: 'a purge in proportion to the users; each replication runs twice' },
  'spam-wave': {
    users: 40,
    replications: 2,
    extra: SPAM_WAVE_REDUCED,
    why: 'as community-server, a tenth of the wave for a third of the time',
  },
  'spam-wave-policy': {
    users: 40,
    replications: 2,
    extra: SPAM_WAVE_REDUCED,
    why: 'as spam-wave',
  },
  'partner-outage': { users: 80, replications: 2, why: 'each replication runs twice (with and without the outage)' },
};

/** A room kind as written in a scenario file. */
interface KindInput {
  count?: number;
  members?: { kind: string; value?: number };
}

/**
 * `--set` overrides that cut a scenario file (as parsed JSON) down to
 * `REDUCED[name]`: the users, every `count` scaled by the same factor (at
 * least 1), a room of a fixed size larger than the new population shrunk to
 * everyone, the replications, and the entry's extras.
 */
export function reducedOverrides(name: string, input: { population: { users: number }; rooms: { kinds: KindInput[] }; timeline?: { users?: number }[] }): string[] {
  const r = REDUCED[name];
  if (!r) throw new Error(`no reduced configuration for scenario ${name}: add one to REDUCED in test/model/scenario-laws.ts`);
  const factor = r.users / input.population.users;
  const sets = [`population.users=${r.users}`, `run.replications=${r.replications}`];
  input.rooms.kinds.forEach((kind, i) => {
    if (kind.count !== undefined && factor < 1) sets.push(`rooms.kinds[${i}].count=${Math.max(1, Math.round(kind.count * factor))}`);
    // A room given as a share of the users (membersShare) shrinks with them by itself.
    if (kind.members?.kind === 'deterministic' && kind.members.value! > r.users) {
      sets.push(`rooms.kinds[${i}].members=${JSON.stringify({ kind: 'deterministic', value: r.users })}`);
    }
  });
  // A mass login's logins shrink with the users.
  (input.timeline ?? []).forEach((incident, i) => {
    if (incident.users !== undefined && factor < 1) sets.push(`timeline[${i}].users=${Math.max(1, Math.round(incident.users * factor))}`);
  });
  return [...sets, ...(r.extra ?? [])];
}

// ---------------------------------------------------------------------------
// Expected values

/**
 * Mean of a distribution spec, by hand. Bounded Pareto: Wikipedia, "Pareto
 * distribution", section "Bounded Pareto distribution" (alpha != 1):
 * L^a / (1 - (L/H)^a) * a / (a - 1) * (L^(1-a) - H^(1-a)).
 */
export function meanOfSpec(spec: DistributionSpec): number {
  switch (spec.kind) {
    case 'deterministic':
      return spec.value;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'exponential':
    case 'lognormal':
    case 'gamma':
      return spec.mean;
    case 'pareto': {
      const { alpha: a, min: L, max: H } = spec;
      if (H === undefined) return a > 1 ? (a * L) / (a - 1) : Infinity;
      return ((Math.pow(L, a) / (1 - Math.pow(L / H, a))) * a * (Math.pow(L, 1 - a) - Math.pow(H, 1 - a))) / (a - 1);
    }
    case 'empirical': {
      const w = spec.weights ?? spec.values.map(() => 1);
      const total = w.reduce((x, y) => x + y, 0);
      return spec.values.reduce((sum, v, i) => sum + v * w[i]!, 0) / total;
    }
  }
}

/** Erlang B blocking probability B(n, a), by the recurrence B(k) = a B(k-1) / (k + a B(k-1)), B(0) = 1. */
export function erlangB(n: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * The complementary error function, erfc(x) = 1 - erf(x), with fractional
 * error below 1.2e-7 everywhere (Numerical Recipes in C, 2nd ed., section
 * 6.2, erfcc: Chebyshev fitting).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * For a session length S (seconds; `spec` in minutes) started x seconds
 * before the horizon: the part of it the run sees, E[min(S, x)], and the
 * chance it ends within the run, P(S <= x). Lognormal: E[(S - x)+] = E[S]
 * Phi(d1) - x Phi(d2), d1 = (mu + s^2 - ln x) / s, d2 = d1 - s (the
 * Black-Scholes call price at zero rate), and P(S <= x) = Phi(-d2), with
 * Phi(d) = erfc(-d / sqrt 2) / 2; exponential: E[(S - x)+] = W e^(-x / W);
 * deterministic: S = W. Undefined for other kinds.
 */
export function sessionWithin(spec: DistributionSpec, x: number): { seenSeconds: number; ended: number } | undefined {
  const W = meanOfSpec(spec) * 60;
  switch (spec.kind) {
    case 'lognormal': {
      const s2 = Math.log(1 + spec.cv * spec.cv);
      const s = Math.sqrt(s2);
      const mu = Math.log(W) - s2 / 2;
      const d1 = (mu + s2 - Math.log(x)) / s;
      const phi = (d: number) => erfc(-d / Math.SQRT2) / 2;
      return { seenSeconds: W - (W * phi(d1) - x * phi(d1 - s)), ended: phi(s - d1) };
    }
    case 'exponential':
      return { seenSeconds: W - W * Math.exp(-x / W), ended: 1 - Math.exp(-x / W) };
    case 'deterministic':
      return { seenSeconds: Math.min(W, x), ended: x >= W ? 1 : 0 };
    default:
      return undefined;
  }
}

/** An expected count per day and its standard deviation. */
export interface Expected {
  perDay: number;
  sd: number;
}

/**
 * What local users are expected to do in a run, per day, with standard
 * deviations: their messages (text, edits and media, i.e. the
 * `m.room.message` and `m.room.encrypted` events of local users) and their
 * presence changes. `exact` is false when the session length's kind is one
 * sessionWithin does not handle (the horizon is then ignored).
 *
 * From the scenario (docs/MODEL.md, the rhythm and the sessions;
 * src/model/rhythm.ts): a user of class c is online at the peak with
 * probability q_c = min(1, x * onlinePropensity_c), x set so the classes'
 * shares give population.peakOnlineShare; at another hour with q_c * r(t),
 * r the hour's weight times the weekday's (each relative to its largest). A
 * class sends messagesPerDay over its mean online time per day, q_c * mean(r)
 * * 86,400 s, so each online second carries messagesPerDay / (q_c * mean(r) *
 * 86,400) of them. The run starts on Monday 00:00 at the server.
 *
 * Sessions start at rate n q_c r(t) / W for a group of n users (mean session
 * W, Little's law). Users of one class and time zone form one session process
 * with a finite source (a session starts only for someone offline): an
 * Erlang loss system, where a start is accepted with probability 1 - B(n, a),
 * a = n q_c r(t) (arrivals see time averages), taken hour by hour. For large
 * groups B -> 0; for the 40 users of community-server spread over 9 zones it
 * removes a quarter of the online time. A session started x seconds before
 * the horizon is seen for E[min(S, x)] and has ended with P(S <= x)
 * (sessionWithin). Users in no room send nothing (nowhere to post).
 *
 * Presence (calibration notes §2): one change on coming online, one on going
 * offline, and behaviour.presenceChangesPerOnlineHour while online.
 *
 * Variances: a group's online time is a sum of sessions, a compound Poisson
 * sum with variance sessions * W^2 * (1 + cv^2); counts add their own
 * Poisson variance (a start and its end count as 2, variance 4). This
 * overstates the noise of small groups, whose online count the finite source
 * bounds.
 */
/**
 * The chance that a session of user u holds a /sync v2 connection, the only
 * kind that sets presence (sessions.ts `connect`): always with a v2 web or
 * desktop client; otherwise when one of its v2 phones is in the foreground,
 * or when it has v2 phones only and none is (it then uses one).
 */
function presenceSessionShare(s: Scenario, w: World, u: number): number {
  if (w.userDesktopV2[u]! > 0) return 1;
  const f = s.clients.mobileForegroundShare;
  const noV2Phone = Math.pow(1 - f, w.userMobileV2[u]!);
  const fallback = w.userDesktopSliding[u]! === 0 && w.userMobileSliding[u]! === 0 && w.userMobileV2[u]! > 0 ? noV2Phone : 0;
  return 1 - noV2Phone + fallback;
}

export function expectedActivity(s: Scenario, w: World): { messages: Expected; presence: Expected; exact: boolean } {
  const classes = s.population.classes;
  const hourly = s.population.rhythm.hourlyWeights;
  const weekly = s.population.rhythm.weekdayWeights;
  const hourMax = Math.max(...hourly);
  const dayMax = Math.max(...weekly);
  const r = (hourOfWeek: number) => (hourly[hourOfWeek % 24]! / hourMax) * (weekly[Math.floor(hourOfWeek / 24)]! / dayMax);
  let week = 0;
  for (let h = 0; h < 168; h++) week += r(h);
  const meanActivity = week / 168;

  const share = (x: number) => classes.reduce((sum, c) => sum + c.share * Math.min(1, x * c.onlinePropensity), 0);
  let lo = 0;
  let hi = 1;
  while (share(hi) < s.population.peakOnlineShare) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (share(mid) < s.population.peakOnlineShare) lo = mid;
    else hi = mid;
  }
  const q = classes.map((c) => Math.min(1, hi * c.onlinePropensity));

  const groups = new Map<string, { zone: number; cls: number; users: number; inRooms: number; setsPresence: number }>();
  for (let u = 0; u < w.users; u++) {
    const key = `${w.userZone[u]}|${w.userClass[u]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { zone: w.userZone[u]!, cls: w.userClass[u]!, users: 0, inRooms: 0, setsPresence: 0 }));
    g.users++;
    if (w.userRoomStart[u + 1]! > w.userRoomStart[u]!) g.inRooms++;
    g.setsPresence += presenceSessionShare(s, w, u);
  }

  // Sessions started in each 5-minute step: the seconds the run sees of each, and the share that ends.
  const spec = s.population.sessionMinutes;
  const W = meanOfSpec(spec) * 60;
  const horizon = s.run.days * 86400;
  const STEP = 300;
  const steps = Math.round(horizon / STEP);
  const within = Array.from({ length: steps }, (_, k) => sessionWithin(spec, horizon - (k + 0.5) * STEP));
  const exact = within.every((x) => x !== undefined);

  const cv = 'cv' in spec ? spec.cv : 1;
  const edits = s.behaviour.editsPerMessage;
  const changesPerSecond = s.features.presence ? s.behaviour.presenceChangesPerOnlineHour / 3600 : 0;
  let messages = 0;
  let messagesVar = 0;
  let presence = 0;
  let presenceVar = 0;
  for (const g of groups.values()) {
    const qc = q[g.cls]!;
    if (qc <= 0) continue;
    const c = classes[g.cls]!;
    let onlineSeconds = 0;
    let starts = 0;
    let ends = 0;
    for (let k = 0; k < steps; k++) {
      const hour = Math.floor((k * STEP) / 3600);
      const a = g.users * qc * r((((hour + g.zone) % 168) + 168) % 168);
      const started = (a / W) * (1 - erlangB(g.users, a)) * STEP;
      starts += started;
      ends += started * (within[k]?.ended ?? 1);
      onlineSeconds += started * (within[k]?.seenSeconds ?? W);
    }
    const sessionsVar = (onlineSeconds / W) * W * W * (1 + cv * cv); // of the online seconds
    const perSecond = ((c.messagesPerDay * (1 + edits) + c.mediaUploadsPerDay) * (g.inRooms / g.users)) / (qc * meanActivity * 86400);
    const m = onlineSeconds * perSecond;
    messages += m;
    messagesVar += sessionsVar * perSecond * perSecond + m;
    if (s.features.presence) {
      // Only sessions with a /sync v2 client set presence.
      const p = g.setsPresence / g.users;
      const changes = onlineSeconds * changesPerSecond * p;
      presence += (starts + ends) * p + changes;
      presenceVar += 4 * starts * p + changes + sessionsVar * p * changesPerSecond * changesPerSecond;
    }
  }
  const days = s.run.days;
  return {
    messages: { perDay: messages / days, sd: Math.sqrt(messagesVar) / days },
    presence: { perDay: presence / days, sd: Math.sqrt(presenceVar) / days },
    exact,
  };
}

// ---------------------------------------------------------------------------
// The laws

const total = (r: ReplicationResult, id: MetricId) => r.counters.total(M[id]);
const meanOver = (results: readonly ReplicationResult[], f: (r: ReplicationResult) => number) => results.reduce((sum, r) => sum + f(r), 0) / results.length;

/** A count with Poisson(expected) noise: within 5 sd (+1 for tiny means). */
function poisson(what: string, actual: number, expected: number, source: string): Law {
  return { what, actual, expected, tolerance: SIGMAS * Math.sqrt(expected) + 1, source };
}

/**
 * Every law for one run of scenario `s` (any size; laws on the replications
 * rebuild each replication's world from its seed `${seed}/${r}`).
 */
export function scenarioLaws(s: Scenario, run: ScenarioRun): Law[] {
  const laws: Law[] = [];
  const sum = run.summary;
  const results = run.results;
  const days = s.run.days;
  const b = s.behaviour;
  const t = sum.traffic;
  const f = t.federation;
  const worlds = results.map((_, r) => buildWorld(s, createStream(`${sum.seed}/${r}`, 'world'), (k) => createStream(`${sum.seed}/${r}`, `world/rooms/${k}`)));
  const exact = (what: string, actual: number, expected: number, source: string) => laws.push({ what, actual, expected, tolerance: 0, source });
  const atMost = (what: string, actual: number, max: number, source: string) => laws.push({ what, actual, expected: max, tolerance: 0, source, atMost: true });

  // --- The world -------------------------------------------------------------
  exact('world.users', sum.world.users, s.population.users, 'population.users');
  exact('world.remoteServers', sum.world.remoteServers, s.federation.mode === 'closed' ? 0 : s.federation.remoteServers, 'federation.remoteServers, 0 when closed');
  // Rooms of a kind: its count, or users x membershipsPerUser / mean local members (docs/MODEL.md, rooms).
  const counts = s.rooms.kinds.map((k) =>
    k.count !== undefined
      ? k.count
      : Math.round(
          (s.population.users * (k.membershipsPerUser ?? 0)) /
            Math.max(1, (k.members ? meanOfSpec(k.members) : Math.max(1, Math.round((k.membersShare ?? 0) * s.population.users))) * (1 - k.remoteMemberShare)),
        ),
  );
  exact(
    'world.rooms',
    sum.world.rooms,
    counts.reduce((a, c) => a + c, 0),
    'rooms.kinds: count, or users x membershipsPerUser / mean local members',
  );
  if (s.rooms.kinds.every((k) => k.encryptedShare === undefined)) {
    // encryptionByDefault encrypts every room created here; big rooms hosted elsewhere stay as they are.
    const encrypted = s.features.encryptionByDefault ? s.rooms.kinds.reduce((a, k, i) => a + (k.hostedRemotely ? 0 : counts[i]!), 0) : 0;
    exact('world.encryptedRooms', sum.world.encryptedRooms, encrypted, 'features.encryptionByDefault, except rooms.kinds[].hostedRemotely');
  }
  const anyEncrypted = sum.world.encryptedRooms > 0;
  const anyPlain = sum.world.encryptedRooms < sum.world.rooms;
  if (!anyEncrypted) {
    exact('m.room.encrypted per day', t.eventsPerDay['m.room.encrypted']!.mean, 0, 'no encrypted room');
    exact('m.room_key per day', t.eventsPerDay['m.room_key']!.mean, 0, 'no encrypted room, no Megolm keys');
  }
  if (!anyPlain) exact('m.room.message per day', t.eventsPerDay['m.room.message']!.mean, 0, 'every room encrypted: messages are m.room.encrypted');

  // --- What local users do ---------------------------------------------------
  const localMessages = (r: ReplicationResult) => total(r, 'm.room.message') + total(r, 'm.room.encrypted');
  const expected = worlds.map((w) => expectedActivity(s, w));
  // Sessions of a kind whose cut at the horizon is not computed: allow 10% for it.
  const horizonAllowance = expected.every((e) => e.exact) ? 0 : 0.1;
  /** The mean over replications of an expected count, and 5 sd of that mean. */
  const overReplications = (pick: (e: (typeof expected)[number]) => Expected) => {
    const mean = expected.reduce((a, e) => a + pick(e).perDay, 0) / results.length;
    const sd = Math.sqrt(expected.reduce((a, e) => a + pick(e).sd ** 2, 0)) / results.length;
    return { mean, tolerance: SIGMAS * sd + horizonAllowance * mean };
  };
  const messages = overReplications((e) => e.messages);
  // While this server is down (an outage or a restore) users make at most keptActsPerUser acts: fewer messages, never more.
  const serverDown = s.timeline.some((x) => x.kind === 'outage' || x.kind === 'restore');
  if (serverDown) {
    atMost(
      'local messages (text, edits, media) per day, with this server down for a while',
      meanOver(results, localMessages) / days,
      messages.mean + messages.tolerance,
      'expectedActivity; timeline[] outage or restore',
    );
  } else {
    laws.push({
      what: 'local messages (text, edits, media) per day',
      actual: meanOver(results, localMessages) / days,
      expected: messages.mean,
      tolerance: messages.tolerance,
      source: 'population.classes (messagesPerDay, mediaUploadsPerDay), behaviour.editsPerMessage, the rhythm and the sessions (expectedActivity)',
    });
  }
  // Per replication, given its messages: the other acts are drawn from the same
  // stream in proportion to their rates (src/model/simulate.ts, act()).
  const textAndEdits = (r: ReplicationResult) => localMessages(r) - total(r, 'media.upload');
  const text = (r: ReplicationResult) => textAndEdits(r) / (1 + b.editsPerMessage);
  results.forEach((r, i) => {
    laws.push(poisson(`replication ${i}: m.reaction`, total(r, 'm.reaction'), text(r) * b.reactionsPerMessage, 'behaviour.reactionsPerMessage x text messages'));
    laws.push(poisson(`replication ${i}: m.room.redaction`, total(r, 'm.room.redaction'), text(r) * b.redactionsPerMessage, 'behaviour.redactionsPerMessage x text messages'));
    if (s.features.typing) {
      // floor(k) + Bernoulli(frac(k)) notifications per text message or edit: variance frac(1 - frac) each.
      const k = b.typingNotificationsPerMessage;
      const frac = k - Math.floor(k);
      laws.push({
        what: `replication ${i}: m.typing`,
        actual: total(r, 'm.typing'),
        expected: textAndEdits(r) * k,
        tolerance: SIGMAS * Math.sqrt(textAndEdits(r) * frac * (1 - frac)) + 1,
        source: 'behaviour.typingNotificationsPerMessage per text message and edit',
      });
    } else {
      exact(`replication ${i}: m.typing`, total(r, 'm.typing'), 0, 'features.typing false');
    }
  });

  // --- Presence ---------------------------------------------------------------
  // An outage of this server sets no presence while it lasts (docs/MODEL.md section 33): the daily rate does not hold.
  const outage = s.timeline.some((x) => x.kind === 'outage' || x.kind === 'restore');
  if (s.features.presence && outage) {
    // At most the daily rate plus one change for each user reconnecting after it.
    const presence = overReplications((e) => e.presence);
    const reconnected = results.reduce((sum, r) => sum + r.incidents.reduce((a, x) => a + x.reconnectedUsers, 0), 0) / results.length / days;
    atMost(
      'm.presence per day, with an outage',
      t.eventsPerDay['m.presence']!.mean,
      presence.mean + presence.tolerance + reconnected,
      'no presence while down, one change per reconnecting user after',
    );
  } else if (s.features.presence) {
    const presence = overReplications((e) => e.presence);
    laws.push({
      what: 'm.presence per day',
      actual: t.eventsPerDay['m.presence']!.mean,
      expected: presence.mean,
      tolerance: presence.tolerance,
      source: 'a change on coming online and going offline, and behaviour.presenceChangesPerOnlineHour (expectedActivity)',
    });
  } else {
    exact('m.presence per day', t.eventsPerDay['m.presence']!.mean, 0, 'features.presence false');
    exact('presence EDUs sent per day', f.edusSentPerDayByType.presence!.mean, 0, 'features.presence false');
  }

  // --- Federation -------------------------------------------------------------
  if (s.federation.mode === 'closed') {
    for (const [what, stat] of Object.entries({
      pdusSent: f.pdusSentPerDay,
      edusSent: f.edusSentPerDay,
      transactionsSent: f.transactionsSentPerDay,
      failedAttempts: f.failedAttemptsPerDay,
      bytesOut: f.bytesOutPerDay,
      bytesIn: f.bytesInPerDay,
      pdusReceived: f.pdusReceivedPerDay,
      edusReceived: f.edusReceivedPerDay,
      transactionsReceived: f.transactionsReceivedPerDay,
      undelivered: f.undeliveredPdusAtEnd,
      mediaOut: t.media.federationBytesOutPerDay,
      mediaIn: t.media.federationBytesInPerDay,
    })) {
      exact(`closed federation: ${what}`, stat.mean, 0, 'federation.mode closed: no remote server shares a room');
    }
  } else {
    exact('destinations.total', f.destinations.total, s.federation.remoteServers, 'federation.remoteServers');
    const n = s.federation.remoteServers;
    results.forEach((r, i) => {
      const w = worlds[i]!;
      // One uniform draw per server: down below downShare, slow in the next slowShare (src/model/federation.ts): binomial counts.
      const binomial = (what: string, actual: number, p: number) =>
        laws.push({ what: `replication ${i}: ${what}`, actual, expected: n * p, tolerance: SIGMAS * Math.sqrt(n * p * (1 - p)) + 1, source: `binomial(${n}, ${p})` });
      if (s.federation.downShare === 0) exact(`replication ${i}: destinations down`, r.destinationsDown, 0, 'federation.downShare 0');
      else binomial('destinations down', r.destinationsDown, s.federation.downShare);
      binomial('destinations slow', r.destinationsSlow, s.federation.slowShare);
      atMost(`replication ${i}: destinations reached + down`, r.destinationsReached + r.destinationsDown, n, 'a down server is never reached');
      // A down destination fails at most 8 times in its first day: 60 s to fail, then
      // back-off from 600 s, doubling (law 8, test/model/laws.test.ts); none without down servers.
      // A server down for an incident of the timeline likewise, at most 8 times within its day.
      const outageServers = r.incidents.reduce((sum, inc) => sum + (inc.kind === 'remoteOutage' ? inc.servers : 0), 0);
      if (days <= 1) atMost(`replication ${i}: failed attempts`, total(r, 'fed.out.failed_attempts'), 8 * (r.destinationsDown + outageServers), 'the back-off schedule');
      // Remote members talk at a constant rate (no rhythm): Poisson over the run.
      let remoteRate = 0;
      let remoteMembers = 0;
      for (let room = 0; room < w.rooms; room++) {
        const kind = s.rooms.kinds[w.roomKind[room]!]!;
        // A room a bigRoomJoin joins has traffic here only from its join on.
        const join = s.timeline.find((x) => x.kind === 'bigRoomJoin' && x.roomKind === kind.name);
        const share = join ? Math.max(0, 1 - ((join.at.day - 1) * 86400 + join.at.hour * 3600) / (days * 86400)) : 1;
        remoteRate += share * w.roomRemoteMembers[room]! * (kind.remoteMessagesPerMemberPerDay ?? s.federation.remoteMessagesPerMemberPerDay);
        remoteMembers += share * w.roomRemoteMembers[room]!;
      }
      // A spam wave's events are remote messages and joins on top (mechanisms/incidents.ts): the two rates then hold
      // for what is left once its events are taken off, together (its split into joins and messages is drawn).
      const spam = r.incidents.reduce((sum, inc) => sum + inc.spamEvents, 0);
      if (spam === 0) {
        laws.push(poisson(`replication ${i}: remote.message`, total(r, 'remote.message'), remoteRate * days, 'remote members x remoteMessagesPerMemberPerDay of their room kind'));
        laws.push(
          poisson(
            `replication ${i}: remote.state`,
            total(r, 'remote.state'),
            remoteMembers * s.federation.remoteMemberChurnPerDay * days,
            'remote members x federation.remoteMemberChurnPerDay',
          ),
        );
      } else {
        laws.push(
          poisson(
            `replication ${i}: remote.message + remote.state less the spam wave's events`,
            total(r, 'remote.message') + total(r, 'remote.state') - spam,
            (remoteRate + remoteMembers * s.federation.remoteMemberChurnPerDay) * days,
            'remote members x (remoteMessagesPerMemberPerDay + remoteMemberChurnPerDay); timeline[].spamWave',
          ),
        );
      }
      // Inbound PDUs are exactly the remote messages and state events, each counted once when persisted.
      exact(`replication ${i}: fed.in.pdus`, total(r, 'fed.in.pdus'), total(r, 'remote.message') + total(r, 'remote.state'), 'remote.message + remote.state');
    });
  }
  // Server-server API, PUT /send: at most 50 PDUs and 100 EDUs a transaction, one in flight per destination (calibration notes §1).
  atMost('max PDUs per transaction', f.maxPdusPerTransaction, 50, 'spec limit');
  atMost('max EDUs per transaction', f.maxEdusPerTransaction, 100, 'spec limit');
  exact('overlapping transactions', f.overlappingTransactions, 0, 'one transaction in flight per destination');

  // --- Storage ----------------------------------------------------------------
  const months = run.storage;
  exact('storage months', months.length, s.run.horizonMonths + 1, 'months 0..run.horizonMonths');
  const g = s.population.growthPerMonth;
  months.forEach((m) => {
    const users = s.population.users * Math.pow(1 + g, m.month);
    laws.push({ what: `storage month ${m.month}: users`, actual: m.users, expected: users, tolerance: ROUNDED * users, source: 'population.users x (1 + growthPerMonth)^month' });
  });
  if (s.features.retentionDays === null && g >= 0) {
    // Nothing is deleted without retention (calibration notes §4) and the users do not shrink.
    for (let m = 1; m < months.length; m++) {
      for (const c of STORAGE_CATEGORIES) {
        atMost(`storage month ${m}: ${c} shrinks by`, months[m - 1]!.byCategory[c] - months[m]!.byCategory[c], 0, 'no retention: storage never shrinks');
      }
    }
  }
  const last = months.at(-1)!.total;
  laws.push({ what: 'storage.bytesAtEnd', actual: sum.storage.bytesAtEnd.mean, expected: last, tolerance: ROUNDED * last, source: 'the last month of the horizon table' });
  const byCategory = STORAGE_CATEGORIES.reduce((a, c) => a + sum.storage.byCategory[c].bytesPerDay.mean, 0);
  laws.push({ what: 'storage.bytesPerDay', actual: sum.storage.bytesPerDay.mean, expected: byCategory, tolerance: ROUNDED * byCategory, source: 'the sum of its categories' });
  // --- Incidents (docs/MODEL.md, "Incidents") ---------------------------------
  sum.incidents.forEach((inc, i) => {
    const spec = s.timeline[i]!;
    exact(`incidents[${i}].startSeconds`, inc.startSeconds, ((spec.at.day - 1) * 24 + spec.at.hour) * 3600, 'timeline[].at: day and hour');
    if (spec.kind === 'restore') {
      // A restore lasts its fixed minutes and the copy: at least the fixed minutes (the copy is checked in test/model/incidents.test.ts).
      atMost(`incidents[${i}]: fixed minutes of a restore`, spec.fixedMinutes * 60, inc.endSeconds - inc.startSeconds, 'timeline[].fixedMinutes');
    } else if (spec.kind === 'backup') {
      // A backup's dump holds one PostgreSQL core for as long as its throughput says: done no sooner than that, less the per-operation noise (the figure is checked in test/model/incidents.test.ts).
      atMost(`incidents[${i}]: half a backup's dump at the stated throughput`, inc.backup.backupSeconds.mean / 2, inc.backup.dumpSeconds.mean, 'timeline[].databaseBackupMBps');
    } else exact(`incidents[${i}].endSeconds`, inc.endSeconds, inc.startSeconds + spec.durationMinutes * 60, 'timeline[].durationMinutes');
    // Conservation per replication: queued at the start + queued since = acknowledged + folded into catch-up + still queued.
    results.forEach((r, k) => exact(`incidents[${i}].lostPdus in replication ${k}`, r.incidents[i]!.lostPdus, 0, 'nothing sent during an outage is lost'));
    // The baseline sees no outage: nothing it queues waits for one.
    results.forEach((r, k) =>
      exact(`incident baseline ${i}: catch-up servers in replication ${k}`, r.incidentBaselines[i]!.catchUpServers, 0, 'an inert incident takes nothing down'),
    );
  });
  return laws;
}

/** The laws that do not hold, one line each, for an assertion message. */
export function broken(laws: readonly Law[]): string[] {
  return laws
    .filter((l) => !holds(l))
    .map((l) => {
      const expected = l.atMost ? `at most ${l.expected}` : l.tolerance > 0 ? `${l.expected} ± ${l.tolerance.toPrecision(3)}` : `${l.expected}`;
      return `${l.what}: expected ${expected} (${l.source}), got ${l.actual}`;
    });
}
