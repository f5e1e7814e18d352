/**
 * Scenario validation: every problem at once, each with the path where it is,
 * what was expected and what was received.
 *
 *   population.devicesPerUsr: expected a known field (did you mean "devicesPerUser"?), got 2
 *
 * Two kinds of problems: what the grammar (src/scenario/grammar.ts) rejects,
 * reported from zod's issues, and impossible combinations of fields that the
 * grammar cannot express (cross-field checks, below).
 *
 * Besides problems, a valid scenario may carry warnings: choices that run
 * but deserve a word, such as an implementation name kept as an alias.
 *
 * All user-facing wording of scenario problems and warnings lives in
 * `messages` here, so tests compare with these functions rather than with
 * copied text.
 */
import type { z } from 'zod';
import { roundSignificant } from '../numeric/index.js';
import { DistributionSpec, IMPLEMENTATION_ALIASES, ScenarioSchema, type Scenario } from './grammar.js';
import { closest } from './suggest.js';

/** One thing wrong with a scenario. Printed as `path: expected <rule>, got <received>`. */
export interface Problem {
  /** Where, e.g. `rooms.kinds[2].members.alpha`; `(root)` for the whole document. */
  path: string;
  /** What was expected there, and why when it is a combination of fields. */
  rule: string;
  /** Short JSON rendering of what was there; `nothing` when it was missing. */
  received: string;
}

export type PathSegment = string | number;

/** Something a valid scenario does that deserves a word. Printed as `path: message`. */
export interface Warning {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; scenario: Scenario; warnings: Warning[] } | { ok: false; problems: Problem[] };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['rooms', 'kinds', 2, 'members']` -> `rooms.kinds[2].members`; `[]` -> `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? '(root)' : out;
}

const MAX_RECEIVED = 60;

/** A short JSON rendering of a received value: `nothing` for undefined, long ones cut at ~60 characters. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A bigint or a cycle: the fallback below.
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the last resort for what JSON cannot render (a function, a symbol, a bigint, a cycle)
  text ??= String(value);
  return text.length > MAX_RECEIVED ? `${text.slice(0, MAX_RECEIVED - 3)}...` : text;
}

/** `path: expected <rule>, got <received>` */
export function formatProblem(p: Problem): string {
  return `${p.path}: expected ${p.rule}, got ${p.received}`;
}

/** `path: message` */
export function formatWarning(w: Warning): string {
  return `${w.path}: ${w.message}`;
}

const quote = (s: unknown) => JSON.stringify(s);
const list = (values: readonly unknown[]) => values.map(quote).join(', ');
/** Numbers as people write them: no floating-point noise like 0.30000000000000004. */
const num = (x: number) => String(roundSignificant(x, 12));

/**
 * Every message a user can see about a scenario. Rules complete the sentence
 * "expected ..."; `received*` complete "got ...".
 */
export const messages = {
  // --- from the grammar (zod issues) ---
  typeName(expected: string): string {
    const names: Record<string, string> = {
      number: 'a number',
      int: 'an integer',
      string: 'a string',
      boolean: 'true or false',
      object: 'an object',
      array: 'an array',
      null: 'null',
    };
    return names[expected] ?? `a value of type ${expected}`;
  },
  wrongType(expected: string, nullable: boolean, missing: boolean): string {
    return `${messages.typeName(expected)}${nullable ? ' or null' : ''}${missing ? ' (required)' : ''}`;
  },
  numberAtLeast: (min: number | bigint) => `a number >= ${min}`,
  numberAbove: (min: number | bigint) => `a number > ${min}`,
  numberAtMost: (max: number | bigint) => `a number <= ${max}`,
  numberBelow: (max: number | bigint) => `a number < ${max}`,
  itemsExactly: (n: number | bigint) => `exactly ${n} item${Number(n) === 1 ? '' : 's'}`,
  itemsAtLeast: (n: number | bigint) => `at least ${n} item${Number(n) === 1 ? '' : 's'}`,
  itemsAtMost: (n: number | bigint) => `at most ${n} item${Number(n) === 1 ? '' : 's'}`,
  nonEmptyString: () => 'a non-empty string',
  charactersAtLeast: (n: number | bigint) => `a string of at least ${n} characters`,
  charactersAtMost: (n: number | bigint) => `a string of at most ${n} characters`,
  matching: (pattern: string) => `a string matching ${pattern}`,
  oneOf: (values: readonly unknown[]) => (values.length === 1 ? quote(values[0]) : `one of ${list(values)}`),
  multipleOf: (divisor: number | bigint) => `a multiple of ${divisor}`,
  either: (rules: readonly string[]) => rules.join(' or '),
  unknownField(suggestion: string | undefined, known: readonly string[]): string {
    if (suggestion !== undefined) return `a known field (did you mean ${quote(suggestion)}?)`;
    return known.length > 0 ? `a known field (known here: ${known.join(', ')})` : 'no fields here';
  },

  // --- cross-field checks ---
  sharesSumToOne: () => 'class shares summing to 1',
  receivedShareSum: (sum: number) => `shares summing to ${num(sum)}`,
  countOrMemberships: () => 'exactly one of "count" or "membershipsPerUser" (how many rooms of this kind)',
  receivedNeither: () => 'neither',
  uniformMaxAtLeastMin: (min: number) => `a number >= min (${num(min)}) for a uniform distribution`,
  paretoMaxAboveMin: (min: number) => `a number > min (${num(min)}) for a pareto distribution`,
  weightsPerValue: (values: number) => `as many weights as values (${values})`,
  somePositiveWeight: () => 'at least one positive weight',
  localMembersWithinUsers: (users: number, smallestLocal: number) =>
    `rooms whose local members fit in population.users (${users}): the smallest possible room here has ${smallestLocal} local members, more than there are users`,
  membersAtLeastOne: (smallest: number) =>
    `a distribution whose smallest possible room has at least 1 member (a room needs a member, a direct chat 2); here it is ${num(smallest)}`,
  zeroWhenClosed: (modeGiven: boolean) => `0 when federation.mode is "closed"${modeGiven ? '' : ' (the default; set federation.mode to "open" or "allowList" to federate)'}`,
  falseWhenClosed: (modeGiven: boolean) => `false when federation.mode is "closed"${modeGiven ? '' : ' (the default; set federation.mode to "open" or "allowList" to federate)'}`,
  remoteServersForRemoteMembers: (kindPath: string, share: number) => `at least 1 when rooms have remote members (${kindPath}.remoteMemberShare is ${num(share)})`,
  remoteShareWhenHostedRemotely: () => 'more than 0 when hostedRemotely is true (a room hosted elsewhere has remote members)',
  noneWhenClosed: (modeGiven: boolean) =>
    `nothing when federation.mode is "closed" (a server that does not federate joins no remote room)${modeGiven ? '' : ' (the default; set federation.mode to "open" or "allowList" to federate)'}`,
  joinWithinRun: (days: number) => `a time within the run: day from 1 to run.days (${num(days)}), before its end`,
  atMostUsers: (users: number) => `at most population.users (${num(users)})`,
  atMostRemoteServers: (servers: number) => `at most federation.remoteServers (${num(servers)})`,
  binWithinRun: (days: number) => `at most run.days x 1440 = ${num(days * 1440)} minutes (one bin cannot be longer than the run)`,
  onlineToAct: (what: string, perDay: number) => `more than 0 when ${what} is ${num(perDay)} (a class that is never online sends nothing)`,
  uniqueName: (what: string, otherPath: string, name: string) => `a name not used by another ${what} (${otherPath} is also ${quote(name)})`,

  // --- warnings (the scenario runs) ---
  archivedImplementation: (name: string, runsAs: string) =>
    `${quote(name)} is archived and no longer maintained; this scenario runs as ${quote(runsAs)}, its successor (write ${quote(runsAs)} to silence this warning)`,

  // --- files and overrides (src/scenario/load.ts, overrides.ts) ---
  fileHeadline: (file: string, problems: number) => `${file}: invalid scenario, ${problems} problem${problems === 1 ? '' : 's'}:`,
  unreadableHeadline: (file: string) => `${file}: cannot read the scenario file:`,
  readableFile: () => 'an existing, readable scenario file',
  fileError: (code: string | undefined, detail: string) =>
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : code === 'EACCES' ? 'permission denied' : detail,
  jsonLocation: (line: number, column: number) => `line ${line}, column ${column}`,
  jsonHeadline: (file: string) => `${file}: not valid JSON:`,
  validJson: (detail: string) => detail,
  receivedJsonText: (text: string) => (text === '' ? 'the end of the file' : quote(text)),
  setForm: () => 'path=value, e.g. population.users=500 or rooms.kinds[0].count=10',
  setPath: () => 'a path like population.users or rooms.kinds[0].members.value before "="',
  setExistingIndex: (arrayPath: string, length: number) => `an existing index (${arrayPath} has ${length} item${length === 1 ? '' : 's'})`,
  setInto: (parentPath: string, index: boolean) => (index ? `${parentPath} to be an array to set an index in` : `${parentPath} to be an object to set a field in`),
} as const;

// ---------------------------------------------------------------------------
// Walking the zod schema alongside the input (zod v4 internals, read-only).

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      innerType?: unknown;
      in?: unknown;
      element?: unknown;
      shape?: Record<string, unknown>;
      options?: unknown[];
      discriminator?: string;
      values?: unknown[];
    };
  };
  shape?: Record<string, unknown>;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

function internals(schema: unknown): ZodInternals | undefined {
  return schema !== null && typeof schema === 'object' && '_zod' in schema ? (schema as ZodInternals) : undefined;
}

/** Strip optional/default/prefault/nullable wrappers (and pipes, to their input side). */
function unwrap(schema: unknown): { schema: ZodInternals | undefined; nullable: boolean } {
  let s = internals(schema);
  let nullable = false;
  while (s) {
    const def = s._zod.def;
    if (def.type === 'nullable') nullable = true;
    if (WRAPPERS.has(def.type)) s = internals(def.innerType);
    else if (def.type === 'pipe') s = internals(def.in);
    else break;
  }
  return { schema: s, nullable };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** For a discriminated union, the option matching the value's discriminator (e.g. its `kind`). */
function resolveUnion(s: ZodInternals, value: unknown): ZodInternals | undefined {
  const def = s._zod.def;
  if (def.type !== 'union') return s;
  if (def.discriminator === undefined || !isPlainObject(value)) return undefined;
  const tag = value[def.discriminator];
  for (const option of def.options ?? []) {
    const o = unwrap(option).schema;
    const lit = internals(o?.shape?.[def.discriminator]);
    if (lit?._zod.def.values?.includes(tag)) return o;
  }
  return undefined;
}

/** The (unwrapped, union-resolved) schema at `path`, following the input to pick union options. */
function schemaAt(root: unknown, input: unknown, path: readonly PropertyKey[]): { schema: ZodInternals | undefined; nullable: boolean } {
  let s: unknown = root;
  let value: unknown = input;
  for (const seg of path) {
    const u = unwrap(s).schema;
    if (!u) return { schema: undefined, nullable: false };
    const r = resolveUnion(u, value);
    if (!r) return { schema: undefined, nullable: false };
    if (r._zod.def.type === 'object' && typeof seg === 'string') s = r.shape?.[seg] ?? r._zod.def.shape?.[seg];
    else if (r._zod.def.type === 'array' && typeof seg === 'number') s = r._zod.def.element;
    else return { schema: undefined, nullable: false };
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
    if (s === undefined) return { schema: undefined, nullable: false };
  }
  const { schema, nullable } = unwrap(s);
  return { schema: schema ? (resolveUnion(schema, value) ?? schema) : undefined, nullable };
}

/** Field names allowed in the object at `path` (empty when not an object there). */
function knownKeysAt(input: unknown, path: readonly PropertyKey[]): string[] {
  const { schema } = schemaAt(ScenarioSchema, input, path);
  if (!schema || schema._zod.def.type !== 'object') return [];
  return Object.keys(schema.shape ?? schema._zod.def.shape ?? {});
}

/** The value at `path` in `input`; `broken` when a container on the way is not an object or array. */
function valueAt(input: unknown, path: readonly PropertyKey[]): { value: unknown; broken: boolean } {
  let v: unknown = input;
  for (const seg of path) {
    if (v === undefined) return { value: undefined, broken: false };
    if (typeof seg === 'number' ? !Array.isArray(v) : !isPlainObject(v)) return { value: undefined, broken: true };
    v = (v as Record<PropertyKey, unknown>)[seg as string | number];
  }
  return { value: v, broken: false };
}

// ---------------------------------------------------------------------------
// zod issues -> problems

function ruleForIssue(issue: z.core.$ZodIssue, input: unknown, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const { schema, nullable } = schemaAt(ScenarioSchema, input, issue.path);
      const format = (schema as { format?: unknown } | undefined)?.format; // 'safeint' for z.number().int()
      const expected = issue.expected === 'number' && typeof format === 'string' && format.includes('int') ? 'int' : issue.expected;
      return messages.wrongType(expected, nullable, received === undefined);
    }
    case 'too_small': {
      const { origin, minimum: min, inclusive } = issue;
      if (origin === 'array' || origin === 'set') return issue.exact ? messages.itemsExactly(min) : messages.itemsAtLeast(min);
      if (origin === 'string') return Number(min) === 1 ? messages.nonEmptyString() : messages.charactersAtLeast(min);
      return inclusive ? messages.numberAtLeast(min) : messages.numberAbove(min);
    }
    case 'too_big': {
      const { origin, maximum: max, inclusive } = issue;
      if (origin === 'array' || origin === 'set') return issue.exact ? messages.itemsExactly(max) : messages.itemsAtMost(max);
      if (origin === 'string') return messages.charactersAtMost(max);
      return inclusive ? messages.numberAtMost(max) : messages.numberBelow(max);
    }
    case 'invalid_format': {
      // A custom message in the grammar says it best; zod's own start with "Invalid".
      if (!issue.message.startsWith('Invalid')) return issue.message;
      return 'pattern' in issue && typeof issue.pattern === 'string' ? messages.matching(issue.pattern) : issue.message;
    }
    case 'invalid_value':
      return messages.oneOf(issue.values);
    case 'invalid_union': {
      if ('options' in issue && Array.isArray(issue.options)) return messages.oneOf(issue.options);
      const rules = issue.errors.map((branch) => (branch[0] ? ruleForIssue(branch[0], undefined, received) : '')).filter((r) => r !== '');
      return rules.length > 0 ? messages.either([...new Set(rules.map((r) => r.replace(/ \(required\)$/, '')))]) : issue.message;
    }
    case 'not_multiple_of':
      return messages.multipleOf(issue.divisor);
    default:
      return issue.message;
  }
}

function problemsFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(input, issue.path);
      const container = valueAt(input, issue.path).value;
      for (const key of issue.keys) {
        const value = isPlainObject(container) ? container[key] : undefined;
        problems.push({
          path: formatPath([...issue.path, key]),
          rule: messages.unknownField(closest(key, known), known),
          received: renderValue(value),
        });
      }
      continue;
    }
    const at = valueAt(input, issue.path);
    // The value at the path in the input is what was received (zod's `input`
    // for a missing discriminator is the whole object, not what is missing).
    const received = at.broken && 'input' in issue ? issue.input : at.value;
    problems.push({ path: formatPath(issue.path), rule: ruleForIssue(issue, input, received), received: renderValue(received) });
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Cross-field checks
//
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

type Distribution = z.output<typeof DistributionSpec>;
const DISTRIBUTION_OPTIONS = (DistributionSpec as unknown as ZodInternals)._zod.def.options;

/** Paths of every distribution present in the input (found by walking the grammar). */
function distributionPaths(schema: unknown, value: unknown, path: PathSegment[], out: PathSegment[][]): void {
  const u = unwrap(schema).schema;
  if (!u || value === undefined) return;
  const def = u._zod.def;
  if (def.type === 'union' && def.options === DISTRIBUTION_OPTIONS) {
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

function crossFieldProblems(input: unknown): Problem[] {
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

// ---------------------------------------------------------------------------
// Warnings: on a scenario that validates, read from the input as written.

function warningsOf(input: unknown): Warning[] {
  const warnings: Warning[] = [];
  const path = ['run', 'server', 'implementation'];
  const name = valueAt(input, path).value;
  if (typeof name === 'string' && Object.hasOwn(IMPLEMENTATION_ALIASES, name)) {
    warnings.push({ path: formatPath(path), message: messages.archivedImplementation(name, IMPLEMENTATION_ALIASES[name as keyof typeof IMPLEMENTATION_ALIASES]) });
  }
  return warnings;
}

// ---------------------------------------------------------------------------

/**
 * Validate a scenario as read from JSON. Returns the normalized scenario
 * (defaults filled) with any warnings, or every problem found: the
 * grammar's, then the cross-field checks'.
 */
export function validateScenario(input: unknown): ValidationResult {
  const parsed = ScenarioSchema.safeParse(input, { reportInput: true });
  const problems = parsed.success ? [] : problemsFromIssues(parsed.error.issues, input);
  problems.push(...crossFieldProblems(input));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, scenario: parsed.data, warnings: warningsOf(input) };
}
