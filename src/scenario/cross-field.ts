/**
 * Scenario validation, second part: impossible combinations of fields that
 * the grammar (src/scenario/grammar.ts) cannot express, such as class shares
 * that do not sum to 1 or remote members in a federation closed by default
 * (one written as "closed" closes everything: closed-federation.ts), and
 * settings that the chosen implementation or deployment would silently
 * ignore, such as workers for a server that has none.
 */
import type { z } from 'zod';
import { isDistributionSchema, ScenarioSchema, WORKER_IMPLEMENTATIONS, type DistributionSpec, type Implementation } from './grammar.js';
import { messages } from './messages.js';
import { formatPath, renderValue, type PathSegment, type Problem } from './problem.js';
import { isPlainObject, resolveUnion, unwrap, valueAt } from './schema-walk.js';

// Choice: they run on the raw input even when zod found other problems, so a
// user sees everything at once. Each field a check needs is read through its
// own grammar (defaults applied, as the simulation would see it); when that
// field is itself invalid, or a container on the way is, the check is skipped
// (zod has already reported it) rather than guessing.

type Read = { ok: true; value: unknown } | { ok: false };

function reader(input: unknown) {
  const read = (path: readonly PathSegment[]): Read => {
    const at = valueAt(input, path);
    if (at.broken) return { ok: false };
    let s: unknown = ScenarioSchema;
    // Walk the wrapped schemas so the leaf keeps its default.
    let value: unknown = input;
    for (const seg of path) {
      const u = unwrap(s).schema;
      const r = u ? resolveUnion(u, value) : undefined;
      if (!r) return { ok: false };
      if (r._zod.def.type === 'object' && typeof seg === 'string') s = r.shape?.[seg];
      else if (r._zod.def.type === 'array' && typeof seg === 'number') s = r._zod.def.element;
      else return { ok: false };
      if (s === undefined) return { ok: false };
      value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
    }
    const parsed = (s as z.ZodType).safeParse(at.value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
  };
  const number = (path: readonly PathSegment[]): number | undefined => {
    const r = read(path);
    return r.ok && typeof r.value === 'number' ? r.value : undefined;
  };
  const raw = (path: readonly PathSegment[]): unknown => valueAt(input, path).value;
  return { read, number, raw };
}

type Distribution = DistributionSpec;

/** Paths of every distribution present in the input (found by walking the grammar). */
function distributionPaths(schema: unknown, value: unknown, path: PathSegment[], out: PathSegment[][]): void {
  const u = unwrap(schema).schema;
  if (!u || value === undefined) return;
  const def = u._zod.def;
  if (def.type === 'union' && isDistributionSchema(u)) {
    out.push(path);
    return;
  }
  if (def.type === 'object' && isPlainObject(value)) {
    for (const [key, child] of Object.entries(u.shape ?? def.shape ?? {})) distributionPaths(child, value[key], [...path, key], out);
  } else if (def.type === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => distributionPaths(def.element, item, [...path, i], out));
  }
}

/** The smallest value a distribution can draw, when it has one worth checking. */
function smallestValue(d: Distribution): number | undefined {
  switch (d.kind) {
    case 'deterministic':
      return d.value;
    case 'uniform':
    case 'pareto':
      return d.min;
    case 'empirical':
      return extreme(drawnValues(d), Math.min);
    default:
      return undefined;
  }
}

/** The largest value a distribution can draw, undefined when it has no bound (exponential, lognormal, gamma, unbounded Pareto). */
function largestValue(d: Distribution): number | undefined {
  switch (d.kind) {
    case 'deterministic':
      return d.value;
    case 'uniform':
    case 'pareto':
      return d.max;
    case 'empirical':
      return extreme(drawnValues(d), Math.max);
    default:
      return undefined;
  }
}

/** An empirical distribution's values that can be drawn: those of positive weight (all of them when the weights do not fit). */
function drawnValues(d: Extract<Distribution, { kind: 'empirical' }>): number[] {
  const w = d.weights;
  const weighted = w && w.length === d.values.length ? d.values.filter((_, i) => (w[i] ?? 0) > 0) : d.values;
  return weighted.length > 0 ? weighted : d.values;
}

/** The smallest or largest of `values` (a loop: no spread of a long array into arguments). */
function extreme(values: readonly number[], pick: (a: number, b: number) => number): number | undefined {
  let out: number | undefined;
  for (const v of values) out = out === undefined ? v : pick(out, v);
  return out;
}

/**
 * The mean of a distribution, undefined when its parameters are themselves
 * wrong (reported elsewhere). Bounded Pareto on [L, H] (Wikipedia, "Pareto
 * distribution", "Bounded Pareto distribution"): L^a / (1 - (L/H)^a) x
 * a / (a - 1) x (L^(1-a) - H^(1-a)), and H L / (H - L) x ln(H / L) at a = 1.
 */
export function meanOfDistribution(d: Distribution): number | undefined {
  switch (d.kind) {
    case 'deterministic':
      return d.value;
    case 'exponential':
    case 'lognormal':
    case 'gamma':
      return d.mean;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'pareto': {
      const { alpha: a, min: lo, max: hi } = d;
      if (hi === undefined) return a > 1 ? (a * lo) / (a - 1) : Infinity;
      if (!(hi > lo)) return undefined;
      if (a === 1) return ((hi * lo) / (hi - lo)) * Math.log(hi / lo);
      return (Math.pow(lo, a) / (1 - Math.pow(lo / hi, a))) * (a / (a - 1)) * (Math.pow(lo, 1 - a) - Math.pow(hi, 1 - a));
    }
    case 'empirical': {
      const w = d.weights ?? d.values.map(() => 1);
      if (w.length !== d.values.length) return undefined;
      let sum = 0;
      let total = 0;
      d.values.forEach((v, i) => {
        sum += v * (w[i] ?? 0);
        total += w[i] ?? 0;
      });
      return total > 0 ? sum / total : undefined;
    }
  }
}

export function crossFieldProblems(input: unknown): Problem[] {
  const problems: Problem[] = [];
  const add = (path: readonly PathSegment[], rule: string, received: string) => problems.push({ path: formatPath(path), rule, received });
  const { read, number, raw } = reader(input);
  if (!isPlainObject(input)) return problems;

  // Distributions: parameters that contradict each other.
  const distPaths: PathSegment[][] = [];
  distributionPaths(ScenarioSchema, input, [], distPaths);
  for (const p of distPaths) {
    const r = read(p);
    if (!r.ok) continue;
    const d = r.value as Distribution;
    if (d.kind === 'uniform' && !(d.max > d.min)) add([...p, 'max'], messages.uniformMaxAboveMin(d.min), renderValue(d.max));
    if (d.kind === 'pareto' && d.max !== undefined && !(d.max > d.min)) add([...p, 'max'], messages.paretoMaxAboveMin(d.min), renderValue(d.max));
    if (d.kind === 'empirical' && d.weights !== undefined) {
      if (d.weights.length !== d.values.length) add([...p, 'weights'], messages.weightsPerValue(d.values.length), renderValue(d.weights));
      else if (!d.weights.some((w) => w > 0)) add([...p, 'weights'], messages.somePositiveWeight(), renderValue(d.weights));
    }
  }

  // Sessions: users come online at a rate of (users online) / (mean session
  // length), so a mean of 0 would start sessions without end.
  const sessions = read(['population', 'sessionMinutes']);
  if (sessions.ok) {
    const mean = meanOfDistribution(sessions.value as Distribution);
    if (mean !== undefined && mean < MIN_MEAN_SESSION_MINUTES) {
      add(['population', 'sessionMinutes'], messages.meanSessionAtLeast(MIN_MEAN_SESSION_MINUTES, mean), renderValue(raw(['population', 'sessionMinutes'])));
    }
  }

  // Calls: a call has two participants at least, and lasts.
  const participants = read(['calls', 'participants']);
  if (participants.ok) {
    const largest = largestValue(participants.value as Distribution);
    if (largest !== undefined && largest < 2) add(['calls', 'participants'], messages.callParticipantsAtLeastTwo(largest), renderValue(raw(['calls', 'participants'])));
  }
  const duration = read(['calls', 'durationMinutes']);
  if (duration.ok && largestValue(duration.value as Distribution) === 0) {
    add(['calls', 'durationMinutes'], messages.callDurationAboveZero(), renderValue(raw(['calls', 'durationMinutes'])));
  }

  // Population classes.
  const classes = raw(['population', 'classes']);
  if (Array.isArray(classes)) {
    const shares = classes.map((_, i) => number(['population', 'classes', i, 'share']));
    if (shares.length > 0 && shares.every((s) => s !== undefined)) {
      const sum = shares.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6) add(['population', 'classes'], messages.sharesSumToOne(), messages.receivedShareSum(sum));
    }
    const seen = new Map<string, number>();
    classes.forEach((_, i) => {
      const base = ['population', 'classes', i];
      const propensity = number([...base, 'onlinePropensity']);
      if (propensity === 0) {
        for (const field of ['messagesPerDay', 'mediaUploadsPerDay']) {
          const perDay = number([...base, field]);
          if (perDay !== undefined && perDay > 0) {
            add([...base, 'onlinePropensity'], messages.onlineToAct(field, perDay), renderValue(propensity));
            break;
          }
        }
      }
      const name = read([...base, 'name']);
      if (name.ok && typeof name.value === 'string') {
        const first = seen.get(name.value);
        if (first !== undefined) add([...base, 'name'], messages.uniqueName('class', formatPath(['population', 'classes', first]), name.value), renderValue(name.value));
        else seen.set(name.value, i);
      }
    });
  }

  // Rhythm: some hour and some weekday must have activity.
  for (const field of ['hourlyWeights', 'weekdayWeights']) {
    const p = ['population', 'rhythm', field];
    const r = read(p);
    if (r.ok && Array.isArray(r.value) && !r.value.some((w: number) => w > 0)) add(p, messages.somePositiveWeight(), renderValue(r.value));
  }

  // Federation.
  const modeRead = read(['federation', 'mode']);
  const mode = modeRead.ok ? (modeRead.value as string) : undefined;
  const closed = mode === 'closed';
  // Written as "closed", federation is closed everywhere (src/scenario/closed-federation.ts
  // switches off what the rest of the file federates). Closed by default, it is more likely
  // that federation.mode was forgotten: what federates is then a problem, with the way out.
  const closedByDefault = closed && raw(['federation', 'mode']) === undefined;
  const remoteServers = number(['federation', 'remoteServers']);
  if (closedByDefault) {
    if (remoteServers !== undefined && remoteServers > 0) add(['federation', 'remoteServers'], messages.zeroWhenClosed(), renderValue(remoteServers));
    const joins = number(['federation', 'publicRoomJoinsPerDay']);
    if (joins !== undefined && joins > 0) add(['federation', 'publicRoomJoinsPerDay'], messages.zeroWhenClosed(), renderValue(joins));
  }

  // Room kinds.
  const users = number(['population', 'users']);
  const kinds = raw(['rooms', 'kinds']);
  /** Why the first kind with remote members has them (a remote share, or local members fewer than its members). */
  let firstRemoteKind: string | undefined;
  if (Array.isArray(kinds)) {
    const seen = new Map<string, number>();
    kinds.forEach((kind, i) => {
      const base = ['rooms', 'kinds', i];
      if (!isPlainObject(kind)) return;
      const hasCount = kind.count !== undefined;
      const hasMemberships = kind.membershipsPerUser !== undefined;
      if (hasCount === hasMemberships) {
        add(base, messages.countOrMemberships(), hasCount ? renderValue({ count: kind.count, membershipsPerUser: kind.membershipsPerUser }) : messages.receivedNeither());
      }
      const hasMembers = kind.members !== undefined;
      if (hasMembers === (kind.membersShare !== undefined)) {
        add(base, messages.membersOrShare(), hasMembers ? renderValue({ membersShare: kind.membersShare, members: kind.members }) : messages.receivedNeither());
      }

      const share = number([...base, 'remoteMemberShare']);
      const hostedRead = read([...base, 'hostedRemotely']);
      const hosted = hostedRead.ok ? hostedRead.value === true : undefined;
      if (closedByDefault) {
        if (share !== undefined && share > 0) add([...base, 'remoteMemberShare'], messages.zeroWhenClosed(), renderValue(share));
        if (hosted === true) add([...base, 'hostedRemotely'], messages.falseWhenClosed(), renderValue(true));
      } else if (closed) {
        // Closed as written: nothing remote is checked, it is all switched off.
      } else if (mode !== undefined && hosted === true && share === 0) {
        add([...base, 'remoteMemberShare'], messages.remoteShareWhenHostedRemotely(), renderValue(share));
      }

      // Big rooms stated by their local members, remote servers and join time.
      const localMembers = number([...base, 'localMembers']);
      if (share !== undefined && share > 0 && localMembers === undefined) firstRemoteKind ??= messages.remoteServersForRemoteMembers(formatPath(base), share);
      if (localMembers !== undefined && users !== undefined && localMembers > users) add([...base, 'localMembers'], messages.atMostUsers(users), renderValue(localMembers));
      // A size given as a share of the users is the fixed size it has among population.users (src/model/world.ts, roomMembers).
      const membersRead = read([...base, 'members']);
      const membersShare = number([...base, 'membersShare']);
      const sizes: Distribution | undefined =
        membersRead.ok && membersRead.value !== undefined
          ? (membersRead.value as Distribution)
          : membersShare !== undefined && users !== undefined
            ? { kind: 'deterministic', value: Math.max(1, Math.round(membersShare * users)) }
            : undefined;
      const smallestSize = sizes && smallestValue(sizes);
      const largestSize = sizes && largestValue(sizes);
      if (localMembers !== undefined) {
        // The world takes localMembers of each room's members as local and the rest as remote (src/model/world.ts).
        if (largestSize === undefined || localMembers < largestSize) firstRemoteKind ??= messages.remoteServersForLocalMembers(formatPath(base), localMembers);
        if (raw([...base, 'remoteMemberShare']) !== undefined)
          add([...base, 'remoteMemberShare'], messages.noShareWithLocalMembers(), renderValue(raw([...base, 'remoteMemberShare'])));
        if (largestSize !== undefined && localMembers > largestSize) add([...base, 'localMembers'], messages.localWithinMembers(largestSize), renderValue(localMembers));
        else if (closedByDefault && smallestSize !== undefined && localMembers < smallestSize) {
          add([...base, 'localMembers'], messages.allLocalWhenClosed(smallestSize), renderValue(localMembers));
        }
      }
      const currentState = number([...base, 'currentStateEvents']);
      if (currentState !== undefined && smallestSize !== undefined && currentState < Math.round(smallestSize)) {
        add([...base, 'currentStateEvents'], messages.stateForEveryMember(Math.round(smallestSize)), renderValue(currentState));
      }
      const kindServers = number([...base, 'remoteServers']);
      if (kindServers !== undefined && remoteServers !== undefined && !closed && kindServers > remoteServers) {
        add([...base, 'remoteServers'], messages.atMostRemoteServers(remoteServers), renderValue(kindServers));
      }
      const joinAt = raw([...base, 'joinAt']);
      if (joinAt !== undefined && closedByDefault) add([...base, 'joinAt'], messages.noneWhenClosed(), renderValue(joinAt));
      const day = number([...base, 'joinAt', 'day']);
      const hour = number([...base, 'joinAt', 'hour']);
      const runDays = number(['run', 'days']);
      if (day !== undefined && hour !== undefined && runDays !== undefined && (day - 1) * 24 + hour >= runDays * 24) {
        add([...base, 'joinAt'], messages.joinWithinRun(runDays), renderValue(joinAt));
      }

      const members = read([...base, 'members']);
      if (members.ok && members.value !== undefined && localMembers === undefined) {
        const d = members.value as Distribution;
        const smallest = smallestValue(d);
        if (smallest !== undefined) {
          const received = renderValue(raw([...base, 'members']));
          if (smallest < 1) add([...base, 'members'], messages.membersAtLeastOne(smallest), received);
          else if (users !== undefined && share !== undefined) {
            // A fixed size above the users (as written, or after --set population.users): an error, not a silent cap,
            // since the room would not be the room the scenario describes; a room of everyone is membersShare 1.
            const local = Math.round(smallest * (1 - share));
            if (local > users) add([...base, 'members'], messages.localMembersWithinUsers(users, local, d.kind === 'deterministic'), received);
          }
        }
      }

      const name = read([...base, 'name']);
      if (name.ok && typeof name.value === 'string') {
        const first = seen.get(name.value);
        if (first !== undefined) add([...base, 'name'], messages.uniqueName('room kind', formatPath(['rooms', 'kinds', first]), name.value), renderValue(name.value));
        else seen.set(name.value, i);
      }
    });
  }
  if (mode !== undefined && !closed && remoteServers === 0 && firstRemoteKind !== undefined) {
    add(['federation', 'remoteServers'], firstRemoteKind, renderValue(remoteServers));
  }
  // Partners: the most popular remote servers, named once each.
  const partners = raw(['federation', 'partners']);
  const partnerNames = Array.isArray(partners) ? (partners as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  if (Array.isArray(partners) && remoteServers !== undefined && partners.length > remoteServers) {
    add(['federation', 'partners'], messages.atMostRemoteServers(remoteServers), `${partners.length} names`);
  }
  partnerNames.forEach((x, i) => {
    if (partnerNames.indexOf(x) < i) add(['federation', 'partners', i], messages.namedOnce(), renderValue(x));
  });

  // Run.
  const days = number(['run', 'days']);
  const bin = number(['run', 'binMinutes']);
  if (days !== undefined && bin !== undefined) {
    const runMinutes = days * 1440;
    const bins = runMinutes / bin;
    if (bin > runMinutes) add(['run', 'binMinutes'], messages.binWithinRun(days), renderValue(bin));
    // A partial last bin would hold less than a bin's worth of time, and its rates would read low.
    else if (Math.abs(bins - Math.round(bins)) > 1e-9 * bins) add(['run', 'binMinutes'], messages.wholeBins(days), renderValue(bin));
  }

  // Timeline: each incident starts and ends within the run; a remote outage needs remote servers.
  const timeline = raw(['timeline']);
  if (Array.isArray(timeline)) {
    const runDays = number(['run', 'days']);
    // Incidents of one family must not overlap: this server down (outage, restore: a restore lasts until its copy is done,
    // so until the run's end as far as validation can tell), or remote servers down.
    const spans: { family: string; from: number; to: number; i: number }[] = [];
    timeline.forEach((incident, i) => {
      if (!isPlainObject(incident)) return;
      const day = number(['timeline', i, 'at', 'day']);
      const hour = number(['timeline', i, 'at', 'hour']);
      if (day === undefined || hour === undefined) return;
      const from = ((day - 1) * 24 + hour) * 60;
      const minutes = number(['timeline', i, 'durationMinutes']);
      if (incident.kind === 'restore') spans.push({ family: 'down', from, to: Infinity, i });
      else if (incident.kind === 'outage' && minutes !== undefined) spans.push({ family: 'down', from, to: from + minutes, i });
      else if (incident.kind === 'remoteOutage' && minutes !== undefined) spans.push({ family: 'remote', from, to: from + minutes, i });
    });
    for (const b of spans) {
      const a = spans.find((x) => x !== b && x.family === b.family && x.from <= b.from && b.from < x.to && (x.from < b.from || x.i < b.i));
      if (a) add(['timeline', b.i, 'at'], messages.noOverlap(formatPath(['timeline', a.i]), a.family === 'down'), renderValue(raw(['timeline', b.i, 'at'])));
    }
    timeline.forEach((incident, i) => {
      const base = ['timeline', i];
      if (!isPlainObject(incident)) return;
      const day = number([...base, 'at', 'day']);
      const hour = number([...base, 'at', 'hour']);
      const minutes = number([...base, 'durationMinutes']);
      if (runDays !== undefined && day !== undefined && hour !== undefined) {
        const startMinutes = ((day - 1) * 24 + hour) * 60;
        if (startMinutes >= runDays * 1440) add([...base, 'at'], messages.joinWithinRun(runDays), renderValue(raw([...base, 'at'])));
        else if (minutes !== undefined && startMinutes + minutes >= runDays * 1440) {
          add([...base, 'durationMinutes'], messages.incidentEndsInRun(runDays * 1440 - startMinutes), renderValue(minutes));
        }
      }
      if (incident.kind === 'bigRoomJoin') {
        const kinds = raw(['rooms', 'kinds']);
        const name = raw([...base, 'roomKind']);
        const kind: unknown = Array.isArray(kinds) ? (kinds as unknown[]).find((k) => isPlainObject(k) && k.name === name) : undefined;
        if (typeof name === 'string' && (!isPlainObject(kind) || kind.hostedRemotely !== true || kind.joinAt !== undefined || closed)) {
          add([...base, 'roomKind'], messages.bigRoomKind(), renderValue(name));
        }
      }
      if (incident.kind === 'massLogin') {
        const logins = number([...base, 'users']);
        if (logins !== undefined && users !== undefined && logins > users) add([...base, 'users'], messages.atMostUsers(users), renderValue(logins));
      }
      if (incident.kind === 'remoteOutage' && isPlainObject(incident.servers)) {
        const sel = incident.servers;
        if ([sel.largest, sel.share, sel.names].filter((x) => x !== undefined).length !== 1) add([...base, 'servers'], messages.largestOrShare(), renderValue(sel));
        if (Array.isArray(sel.names)) {
          (sel.names as unknown[]).forEach((x, k) => {
            if (typeof x !== 'string') return;
            if (!partnerNames.includes(x)) add([...base, 'servers', 'names', k], messages.partnerName(partnerNames), renderValue(x));
            else if ((sel.names as unknown[]).indexOf(x) < k) add([...base, 'servers', 'names', k], messages.namedOnce(), renderValue(x));
          });
        }
      }
      if (incident.kind === 'remoteOutage') {
        if (closed || remoteServers === 0) add(base, messages.remoteOutageNeedsServers(), renderValue(closed ? 'federation.mode "closed"' : 'federation.remoteServers 0'));
        const largest = number([...base, 'servers', 'largest']);
        if (largest !== undefined && remoteServers !== undefined && !closed && remoteServers > 0 && largest > remoteServers) {
          add([...base, 'servers', 'largest'], messages.atMostRemoteServers(remoteServers), renderValue(largest));
        }
      }
    });
  }

  // Components: the room kinds a safety component protects must exist.
  const kindNames = Array.isArray(kinds) ? (kinds as unknown[]).flatMap((k) => (isPlainObject(k) && typeof k.name === 'string' ? [k.name] : [])) : [];
  for (const component of ['policyServer', 'moderationBot']) {
    const path = ['components', component, 'roomKinds'];
    const names = raw(path);
    if (!Array.isArray(names) || !Array.isArray(kinds)) continue;
    names.forEach((name, i) => {
      if (typeof name === 'string' && !kindNames.includes(name)) add([...path, i], messages.componentRoomKind(kindNames), renderValue(name));
    });
  }

  // Retention: a room's minimum lifetime cannot exceed its maximum (Synapse rejects such a policy: allowed_lifetime_min/max).
  if (Array.isArray(kinds)) {
    (kinds as unknown[]).forEach((_, i) => {
      const base = ['rooms', 'kinds', i, 'retention'];
      const max = number([...base, 'maxLifetimeDays']);
      const min = number([...base, 'minLifetimeDays']);
      if (max !== undefined && min !== undefined && min > max)
        add([...base, 'minLifetimeDays'], messages.minLifetimeAtMostMax(max), renderValue(raw([...base, 'minLifetimeDays'])));
    });
  }

  problems.push(...serverProblems(read, raw));

  return problems;
}

/** Sessions shorter than a minute on average are not a client's sessions (and would start sessions at an unbounded rate). */
const MIN_MEAN_SESSION_MINUTES = 1;

/**
 * A deployment the implementation does not have: a worker deployment for a
 * server without workers. (Settings it merely ignores, such as workers of a
 * monolith or cores of a Synapse process, stay allowed: a run's own
 * scenario.json has them all, filled in with their defaults, and must read
 * back as a scenario.)
 */
function serverProblems(read: ReturnType<typeof reader>['read'], raw: ReturnType<typeof reader>['raw']): Problem[] {
  const problems: Problem[] = [];
  const at = (field: string) => ['run', 'server', field];
  const implementationRead = read(at('implementation'));
  if (!implementationRead.ok) return problems;
  const implementation = implementationRead.value as Implementation;
  const written = raw(at('implementation'));
  const name = typeof written === 'string' ? written : implementation;
  const deploymentRead = read(at('deployment'));
  const deployment = deploymentRead.ok ? (deploymentRead.value as string) : undefined;
  if (!WORKER_IMPLEMENTATIONS.includes(implementation) && deployment === 'workers')
    problems.push({ path: formatPath(at('deployment')), rule: messages.noWorkerMode(name), received: renderValue(deployment) });
  return problems;
}
