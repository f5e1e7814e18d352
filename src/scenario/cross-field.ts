/**
 * Scenario validation, second part: impossible combinations of fields that
 * the grammar (src/scenario/grammar.ts) cannot express, such as class shares
 * that do not sum to 1 or remote members in a closed federation.
 */
import type { z } from 'zod';
import { isDistributionSchema, ScenarioSchema, type DistributionSpec } from './grammar.js';
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
    case 'empirical': {
      const w = d.weights;
      const weighted = w && w.length === d.values.length ? d.values.filter((_, i) => (w[i] ?? 0) > 0) : d.values;
      return weighted.length > 0 ? Math.min(...weighted) : Math.min(...d.values);
    }
    default:
      return undefined;
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
    if (d.kind === 'uniform' && d.min > d.max) add([...p, 'max'], messages.uniformMaxAtLeastMin(d.min), renderValue(d.max));
    if (d.kind === 'pareto' && d.max !== undefined && !(d.max > d.min)) add([...p, 'max'], messages.paretoMaxAboveMin(d.min), renderValue(d.max));
    if (d.kind === 'empirical' && d.weights !== undefined) {
      if (d.weights.length !== d.values.length) add([...p, 'weights'], messages.weightsPerValue(d.values.length), renderValue(d.weights));
      else if (!d.weights.some((w) => w > 0)) add([...p, 'weights'], messages.somePositiveWeight(), renderValue(d.weights));
    }
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
  const modeGiven = raw(['federation', 'mode']) !== undefined;
  const closed = mode === 'closed';
  const remoteServers = number(['federation', 'remoteServers']);
  if (closed) {
    if (remoteServers !== undefined && remoteServers > 0) add(['federation', 'remoteServers'], messages.zeroWhenClosed(modeGiven), renderValue(remoteServers));
    const joins = number(['federation', 'publicRoomJoinsPerDay']);
    if (joins !== undefined && joins > 0) add(['federation', 'publicRoomJoinsPerDay'], messages.zeroWhenClosed(modeGiven), renderValue(joins));
  }

  // Room kinds.
  const users = number(['population', 'users']);
  const kinds = raw(['rooms', 'kinds']);
  let firstRemoteKind: { path: string; share: number } | undefined;
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

      const share = number([...base, 'remoteMemberShare']);
      const hostedRead = read([...base, 'hostedRemotely']);
      const hosted = hostedRead.ok ? hostedRead.value === true : undefined;
      if (closed) {
        if (share !== undefined && share > 0) add([...base, 'remoteMemberShare'], messages.zeroWhenClosed(modeGiven), renderValue(share));
        if (hosted === true) add([...base, 'hostedRemotely'], messages.falseWhenClosed(modeGiven), renderValue(true));
      } else if (mode !== undefined && hosted === true && share === 0) {
        add([...base, 'remoteMemberShare'], messages.remoteShareWhenHostedRemotely(), renderValue(share));
      }
      if (share !== undefined && share > 0 && firstRemoteKind === undefined) firstRemoteKind = { path: formatPath(base), share };

      // Big rooms stated by their local members, remote servers and join time.
      const localMembers = number([...base, 'localMembers']);
      if (localMembers !== undefined && users !== undefined && localMembers > users) add([...base, 'localMembers'], messages.atMostUsers(users), renderValue(localMembers));
      const kindServers = number([...base, 'remoteServers']);
      if (kindServers !== undefined && remoteServers !== undefined && !closed && kindServers > remoteServers) {
        add([...base, 'remoteServers'], messages.atMostRemoteServers(remoteServers), renderValue(kindServers));
      }
      const joinAt = raw([...base, 'joinAt']);
      if (joinAt !== undefined && closed) add([...base, 'joinAt'], messages.noneWhenClosed(modeGiven), renderValue(joinAt));
      const day = number([...base, 'joinAt', 'day']);
      const hour = number([...base, 'joinAt', 'hour']);
      const runDays = number(['run', 'days']);
      if (day !== undefined && hour !== undefined && runDays !== undefined && (day - 1) * 24 + hour >= runDays * 24) {
        add([...base, 'joinAt'], messages.joinWithinRun(runDays), renderValue(joinAt));
      }

      const members = read([...base, 'members']);
      if (members.ok && localMembers === undefined) {
        const smallest = smallestValue(members.value as Distribution);
        if (smallest !== undefined) {
          const received = renderValue(raw([...base, 'members']));
          if (smallest < 1) add([...base, 'members'], messages.membersAtLeastOne(smallest), received);
          else if (users !== undefined && share !== undefined) {
            const local = Math.round(smallest * (1 - share));
            if (local > users) add([...base, 'members'], messages.localMembersWithinUsers(users, local), received);
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
    add(['federation', 'remoteServers'], messages.remoteServersForRemoteMembers(firstRemoteKind.path, firstRemoteKind.share), renderValue(remoteServers));
  }

  // Run.
  const days = number(['run', 'days']);
  const bin = number(['run', 'binMinutes']);
  if (days !== undefined && bin !== undefined && bin > days * 1440) add(['run', 'binMinutes'], messages.binWithinRun(days), renderValue(bin));

  return problems;
}
