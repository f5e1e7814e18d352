/**
 * fast-check arbitraries for the robustness properties (fuzz.test.ts and
 * fuzz.full.test.ts):
 *
 * - `smallScenario`: valid scenarios drawn from the grammar
 *   (src/scenario/grammar.ts) within small sizes (at most 200 users, one day,
 *   one replication, bins of 15 to 60 minutes), varying features, shares,
 *   rooms, distributions, federation, implementations and deployment, and
 *   obeying the cross-field rules (src/scenario/cross-field.ts);
 * - `mutation`: a valid scenario made invalid in one place (a required field
 *   dropped, a wrong type, a number out of its range, an unknown or a
 *   prototype key, a key given twice in the text, a deep nesting), with the
 *   path the error must name. Where a field is and what it accepts come from
 *   the scenario's JSON Schema (`mxsim schema`), so a new field is mutated
 *   without a change here;
 * - `setArgument`, `scenarioText`: arbitrary `--set` arguments and whole
 *   files, for the property that nothing yields exit 1 or a stack trace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { scenarioJsonSchema } from '../../src/cli/schema.js';
import { IMPLEMENTATIONS } from '../../src/scenario/grammar.js';
import { formatPath, type PathSegment } from '../../src/scenario/problem.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ---------------------------------------------------------------------------
// Valid small scenarios

/** A share in steps of 0.05 (readable counterexamples). */
const share = fc.integer({ min: 0, max: 20 }).map((n) => n / 20);
const positiveShare = fc.integer({ min: 1, max: 20 }).map((n) => n / 20);

/** A distribution of room members whose smallest draw is at least 1 and, for the kinds that have one, at most `users` (cross-field.ts). */
function membersArb(users: number): fc.Arbitrary<JsonObject> {
  const upTo = (n: number) => Math.max(1, Math.min(users, n));
  return fc.oneof(
    fc.integer({ min: 1, max: upTo(40) }).map((value) => ({ kind: 'deterministic', value })),
    fc.tuple(fc.integer({ min: 1, max: upTo(10) }), fc.integer({ min: 1, max: 30 })).map(([min, extra]) => ({ kind: 'uniform', min, max: min + extra })),
    fc.tuple(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 20 })).map(([mean, cv]) => ({ kind: 'lognormal', mean, cv: cv / 10 })),
    fc.tuple(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 20 })).map(([mean, cv]) => ({ kind: 'gamma', mean, cv: cv / 10 })),
    fc.integer({ min: 2, max: 20 }).map((mean) => ({ kind: 'exponential', mean })),
    fc
      .tuple(fc.integer({ min: 11, max: 30 }), fc.integer({ min: 1, max: upTo(5) }), fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }))
      .map(([alpha, min, extra]) => ({ kind: 'pareto', alpha: alpha / 10, min, ...(extra === undefined ? {} : { max: min + extra }) })),
    fc
      .array(fc.tuple(fc.integer({ min: 1, max: upTo(20) }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 5 })
      .filter((pairs) => pairs.some(([, w]) => w > 0))
      .chain((pairs) => fc.boolean().map((weighted) => ({ kind: 'empirical', values: pairs.map(([v]) => v), ...(weighted ? { weights: pairs.map(([, w]) => w) } : {}) }))),
  );
}

/** Activity classes whose shares sum to 1, with unique names; a class never online sends nothing. */
const classesArb: fc.Arbitrary<JsonObject[]> = fc
  .array(
    fc.record({
      weight: fc.integer({ min: 1, max: 10 }),
      onlinePropensity: fc.constantFrom(0, 0.5, 1, 1.6),
      messagesPerDay: fc.integer({ min: 0, max: 100 }),
      mediaUploadsPerDay: fc.integer({ min: 0, max: 4 }).map((n) => n / 2),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((cs) => {
    const total = cs.reduce((s, c) => s + c.weight, 0);
    // The last share takes the rounding, so they sum to 1 within cross-field.ts's 1e-6.
    let given = 0;
    return cs.map((c, i) => {
      const s = i === cs.length - 1 ? 1 - given : Math.round((c.weight / total) * 1000) / 1000;
      given += s;
      const silent = c.onlinePropensity === 0;
      return {
        name: `class${i}`,
        share: s,
        onlinePropensity: c.onlinePropensity,
        messagesPerDay: silent ? 0 : c.messagesPerDay,
        mediaUploadsPerDay: silent ? 0 : c.mediaUploadsPerDay,
      };
    });
  })
  .filter((cs) => cs.every((c) => c.share >= 0 && c.share <= 1));

function roomKindArb(users: number, federated: boolean, remoteServers: number): fc.Arbitrary<JsonObject> {
  return fc
    .record({
      sized: fc.oneof(
        fc.integer({ min: 0, max: 15 }).map((count) => ({ count })),
        fc.integer({ min: 0, max: 8 }).map((n) => ({ membershipsPerUser: n / 2 })),
      ),
      members: membersArb(users),
      remoteMemberShare: federated ? share : fc.constant(0),
      encryptedShare: fc.option(share, { nil: undefined }),
      mutedShare: fc.option(share, { nil: undefined }),
      activityWeight: fc.integer({ min: 0, max: 6 }).map((n) => n / 2),
      baseStateEvents: fc.integer({ min: 0, max: 20 }),
      hostedRemotely: federated ? fc.boolean() : fc.constant(false),
      joinRule: fc.option(fc.constantFrom('private', 'public'), { nil: undefined }),
      joinAt: federated ? fc.option(fc.record({ day: fc.constant(1), hour: fc.integer({ min: 0, max: 47 }).map((h) => h / 2) }), { nil: undefined }) : fc.constant(undefined),
      remoteServers: federated ? fc.option(fc.integer({ min: 1, max: Math.max(1, remoteServers) }), { nil: undefined }) : fc.constant(undefined),
    })
    .map((k) => {
      const remote = k.remoteMemberShare > 0;
      const kind: JsonObject = {
        name: '',
        ...k.sized,
        members: k.members,
        remoteMemberShare: k.remoteMemberShare,
        activityWeight: k.activityWeight,
        baseStateEvents: k.baseStateEvents,
      };
      if (k.encryptedShare !== undefined) kind.encryptedShare = k.encryptedShare;
      if (k.mutedShare !== undefined) kind.mutedShare = k.mutedShare;
      if (k.joinRule !== undefined) kind.joinRule = k.joinRule;
      // hostedRemotely needs remote members; joinAt and remoteServers need federation (cross-field.ts).
      if (remote && k.hostedRemotely) kind.hostedRemotely = true;
      if (k.joinAt !== undefined) kind.joinAt = k.joinAt;
      if (remote && k.remoteServers !== undefined && k.remoteServers <= remoteServers) kind.remoteServers = k.remoteServers;
      return kind;
    });
}

const workersArb = fc.record({
  sync: fc.integer({ min: 0, max: 3 }),
  federationSender: fc.integer({ min: 0, max: 2 }),
  federationReader: fc.integer({ min: 0, max: 2 }),
  eventPersister: fc.integer({ min: 0, max: 2 }),
  mediaRepository: fc.integer({ min: 0, max: 2 }),
  pusher: fc.integer({ min: 0, max: 2 }),
  generic: fc.integer({ min: 0, max: 2 }),
});

/** A valid scenario of at most 200 users, one day, one replication and bins of 15 to 60 minutes. */
export const smallScenario: fc.Arbitrary<JsonObject> = fc
  .record({
    users: fc.integer({ min: 1, max: 200 }),
    mode: fc.constantFrom('closed', 'allowList', 'open'),
    remoteServers: fc.integer({ min: 1, max: 20 }),
  })
  .chain(({ users, mode, remoteServers }) => {
    const federated = mode !== 'closed';
    const servers = federated ? remoteServers : 0;
    return fc
      .record({
        name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
        description: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
        population: fc.record({
          users: fc.constant(users),
          growthPerMonth: fc.integer({ min: -5, max: 5 }).map((n) => n / 100),
          devicesPerUser: fc.integer({ min: 2, max: 8 }).map((n) => n / 2),
          mobileDeviceShare: share,
          classes: fc.option(classesArb, { nil: undefined }),
          peakOnlineShare: positiveShare,
          rhythm: fc.record({ timeZoneSpreadHours: fc.integer({ min: 0, max: 12 }) }),
        }),
        behaviour: fc.record({
          replyShare: share,
          reactionsPerMessage: fc.integer({ min: 0, max: 10 }).map((n) => n / 5),
          editsPerMessage: fc.integer({ min: 0, max: 5 }).map((n) => n / 10),
          mentionShare: share,
          mutedRoomShare: share,
          readReceiptShare: share,
          urlPreviewShare: share,
          media: fc.record({ imageShare: share, viewShare: share }),
        }),
        clients: fc.record({ mobileSlidingSyncShare: share, desktopSlidingSyncShare: share, mobileForegroundShare: share }),
        e2ee: fc.record({
          rotationPeriodMessages: fc.integer({ min: 1, max: 200 }),
          staleDevicesPerUser: fc.integer({ min: 0, max: 3 }),
          deleteStaleDevicesAfterDays: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }),
          keyBackupShare: share,
        }),
        kinds: fc.array(roomKindArb(users, federated, servers), { minLength: 1, maxLength: 4 }),
        activitySkew: fc.integer({ min: 0, max: 4 }).map((n) => n / 2),
        federation: fc.record({
          remoteMessagesPerMemberPerDay: fc.integer({ min: 0, max: 10 }).map((n) => n / 2),
          remoteOnlineShare: share,
          downShare: share,
          slowShare: share,
          publicRoomJoinsPerDay: federated ? fc.integer({ min: 0, max: 3 }) : fc.constant(0),
        }),
        features: fc.record({
          presence: fc.boolean(),
          typing: fc.boolean(),
          readReceipts: fc.boolean(),
          encryptionByDefault: fc.boolean(),
          urlPreviews: fc.boolean(),
          retentionDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
          stateCompressor: fc.boolean(),
        }),
        // A run is a whole number of bins (cross-field.ts): the divisors of a day from 15 to 60 minutes.
        binMinutes: fc.constantFrom(15, 16, 18, 20, 24, 30, 32, 36, 40, 45, 48, 60),
        seed: fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.stringMatching(/^[a-z0-9]{1,8}$/)),
        horizonMonths: fc.integer({ min: 1, max: 36 }),
        server: fc.record({
          implementation: fc.constantFrom(...IMPLEMENTATIONS, 'conduwuit'),
          deployment: fc.constantFrom('monolith', 'workers'),
          workers: workersArb,
          cores: fc.integer({ min: 1, max: 16 }),
          databaseCores: fc.integer({ min: 1, max: 8 }),
          sizeFor: fc.constantFrom('horizon', 'today'),
          saturation: fc.constantFrom('simulated', 'linear'),
        }),
      })
      .map((r): JsonObject => {
        const { classes, ...rest } = r.population;
        const population: JsonObject = classes === undefined ? rest : { ...rest, classes };
        return {
          name: r.name,
          description: r.description,
          population,
          behaviour: r.behaviour,
          clients: r.clients,
          e2ee: r.e2ee,
          rooms: { kinds: r.kinds.map((k, i) => ({ ...k, name: `kind${i}` })), activitySkew: r.activitySkew },
          federation: { mode, remoteServers: servers, ...r.federation },
          features: r.features,
          // Only Synapse and Synapse Pro have a worker deployment (cross-field.ts); the others run as one process.
          run: {
            days: 1,
            replications: 1,
            binMinutes: r.binMinutes,
            seed: r.seed,
            horizonMonths: r.horizonMonths,
            server: r.server.implementation === 'synapse' || r.server.implementation === 'synapse-pro' ? r.server : { ...r.server, deployment: 'monolith' },
          },
        };
      });
  });

// ---------------------------------------------------------------------------
// The grammar as JSON Schema, walked beside a value

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

/** The scenario grammar as `mxsim schema` prints it. */
export const SCENARIO_SCHEMA = scenarioJsonSchema() as Schema;

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
const typesOf = (s: Schema): string[] => {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return branches.flatMap(typesOf);
  if (s.const !== undefined) return [jsonType(s.const)];
  if (s.enum) return s.enum.map(jsonType);
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
};
const accepts = (s: Schema, type: string) => {
  const types = typesOf(s);
  return types.includes(type) || (type === 'integer' && types.includes('number'));
};

/** The branch of `s` that describes `value` (a union resolved by type, and by `kind` for distributions). */
function branchFor(s: Schema, value: unknown): Schema | undefined {
  const branches = s.anyOf ?? s.oneOf;
  if (!branches) return s;
  for (const b of branches) {
    const resolved = branchFor(b, value);
    if (resolved === undefined || !accepts(resolved, jsonType(value))) continue;
    const kind = resolved.properties?.kind?.const;
    if (kind !== undefined && (value as { kind?: unknown } | null)?.kind !== kind) continue;
    return resolved;
  }
  return undefined;
}

/** A place in a value with the schema that describes it. */
export interface Site {
  path: PathSegment[];
  value: unknown;
  /** The schema as declared (a union unresolved): what the field accepts. */
  declared: Schema;
  /** The branch describing the value. */
  schema: Schema;
}

/** Every place in `value` the schema describes, depth first. */
export function sites(value: unknown, declared: Schema = SCENARIO_SCHEMA, path: PathSegment[] = []): Site[] {
  const schema = branchFor(declared, value);
  if (schema === undefined) return [];
  const out: Site[] = [{ path, value, declared, schema }];
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => out.push(...sites(item, schema.items, [...path, i])));
  else if (value !== null && typeof value === 'object' && schema.properties) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const s = schema.properties[key];
      if (s !== undefined) out.push(...sites(child, s, [...path, key]));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Mutations: one valid scenario made invalid in one place

export type MutationKind = 'drop-required' | 'wrong-type' | 'out-of-range' | 'fraction-for-integer' | 'unknown-key' | 'prototype-key' | 'duplicate-key' | 'deep-nesting';

export interface Mutation {
  kind: MutationKind;
  /** The file's text. */
  text: string;
  /** What the error message must name. */
  path: string;
  /** In a few words, for the failure message. */
  what: string;
}

/** `value` serialized as JSON, with the key `dup.key` of the object at `dup.path` written twice. */
export function serializeWithDuplicate(value: unknown, dup: { path: PathSegment[]; key: string }): string {
  const walk = (v: unknown, path: PathSegment[]): string => {
    if (Array.isArray(v)) return `[${v.map((x, i) => walk(x, [...path, i])).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const here = path.length === dup.path.length && path.every((p, i) => p === dup.path[i]);
      const entries = Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
        const field = `${JSON.stringify(k)}:${walk(x, [...path, k])}`;
        return here && k === dup.key ? [field, field] : [field];
      });
      return `{${entries.join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return walk(value, []);
}

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const WRONG_VALUES: unknown[] = ['x', 7, true, null, [], {}];

/** A copy of `value` with `f` applied to the parent object or array of `path`. */
function at(value: unknown, path: PathSegment[], f: (parent: Record<PropertyKey, unknown>, key: PathSegment) => void): unknown {
  const copy = structuredClone(value);
  let node = copy as Record<PropertyKey, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<PropertyKey, unknown>;
  const last = path.at(-1);
  if (last !== undefined) f(node, last);
  return copy;
}

/** Define an own, enumerable property (so a key like `__proto__` is data, as JSON.parse makes it). */
const define = (o: object, key: string, v: unknown) => Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });

/** A mutation whose text is made when first read (a scenario has hundreds of candidates; one is used). */
function lazyMutation(kind: MutationKind, path: string, what: string, make: () => string): Mutation {
  let text: string | undefined;
  return {
    kind,
    path,
    what,
    get text() {
      text ??= make();
      return text;
    },
  };
}

/** The object at `path` in `root`. */
const objectAt = (root: unknown, path: PathSegment[]) =>
  path.reduce<Record<PropertyKey, unknown>>((n, seg) => n[seg] as Record<PropertyKey, unknown>, root as Record<PropertyKey, unknown>);

/** Every single-place mutation of the valid scenario `base` that the grammar must refuse (texts made on demand). */
export function mutationsOf(base: unknown): Mutation[] {
  const out: Mutation[] = [];
  const text = (v: unknown) => JSON.stringify(v, null, 2);
  const add = (kind: MutationKind, path: string, what: string, make: () => string) => out.push(lazyMutation(kind, path, what, make));
  /** `base` with an own, enumerable `key` (even `__proto__`) added to the object at `path`. */
  const withKey = (path: PathSegment[], key: string, v: unknown) => () => {
    const copy = structuredClone(base);
    define(objectAt(copy, path), key, v);
    return text(copy);
  };
  for (const site of sites(base)) {
    const { path, value, declared, schema } = site;
    const where = formatPath(path);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (!(key in obj)) continue;
        // A distribution without its kind names the distribution; any other missing field names itself.
        const named = key === 'kind' ? where : formatPath([...path, key]);
        add('drop-required', named, `drop ${formatPath([...path, key])}`, () => text(at(base, [...path, key], (p, k) => delete p[k])));
      }
      const unknown = `zz${path.length}x${Object.keys(obj).length}`;
      add('unknown-key', formatPath([...path, unknown]), `add ${formatPath([...path, unknown])}`, withKey(path, unknown, 1));
      for (const key of PROTOTYPE_KEYS) add('prototype-key', formatPath([...path, key]), `add ${formatPath([...path, key])}`, withKey(path, key, { polluted: 1 }));
      const first = Object.keys(obj)[0];
      if (first !== undefined) {
        add('duplicate-key', formatPath([...path, first]), `${formatPath([...path, first])} twice`, () => serializeWithDuplicate(base, { path, key: first }));
      }
    }
    if (path.length === 0) continue;
    // Leaves: a value of a type the field does not accept, a number outside its range, a deep nesting.
    if (value === null || typeof value !== 'object') {
      const setTo = (v: unknown) => () => text(at(base, path, (p, k) => (p[k] = v)));
      for (const wrong of WRONG_VALUES) {
        if (!accepts(declared, jsonType(wrong))) add('wrong-type', where, `${where} = ${JSON.stringify(wrong)}`, setTo(wrong));
      }
      if (typeof value === 'number') {
        const outside: number[] = [];
        if (schema.minimum !== undefined && schema.minimum > -Number.MAX_SAFE_INTEGER) outside.push(schema.minimum - 1);
        if (schema.exclusiveMinimum !== undefined) outside.push(schema.exclusiveMinimum);
        if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) outside.push(schema.maximum + 1);
        if (schema.exclusiveMaximum !== undefined) outside.push(schema.exclusiveMaximum);
        for (const x of outside) add('out-of-range', where, `${where} = ${x}`, setTo(x));
        if (schema.type === 'integer' && !accepts(declared, 'number')) add('fraction-for-integer', where, `${where} = ${value + 0.5}`, setTo(value + 0.5));
      }
      add('deep-nesting', where, `${where} = a 5,000-deep array`, () => setTo(987654321.125)().replace('987654321.125', '['.repeat(5000) + ']'.repeat(5000)));
    }
  }
  return out;
}

/** The shipped scenarios (scenarios/*.json), parsed: valid bases for mutations that are not simulated. */
export const SHIPPED_SCENARIOS: { file: string; value: JsonObject }[] = readdirSync(new URL('../../scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, value: JSON.parse(readFileSync(new URL(`../../scenarios/${f}`, import.meta.url), 'utf8')) as JsonObject }));

export const MUTATION_KINDS: readonly MutationKind[] = [
  'drop-required',
  'wrong-type',
  'out-of-range',
  'fraction-for-integer',
  'unknown-key',
  'prototype-key',
  'duplicate-key',
  'deep-nesting',
];

/** A mutation printed short in a counterexample: its kind, what it does and the scenario's name (the text is long). */
function printable(m: Mutation, base: JsonObject): Mutation {
  const name = typeof base.name === 'string' ? base.name : '?';
  return Object.assign(m, { [fc.toStringMethod]: () => `${m.kind}: ${m.what} (in scenario "${name}")` });
}

/** A mutation of kind `kind` of a valid scenario: a shipped one or a generated one. */
export function mutation(kind: MutationKind): fc.Arbitrary<Mutation> {
  return fc
    .tuple(fc.oneof(fc.constantFrom(...SHIPPED_SCENARIOS.map((s) => s.value)), smallScenario), fc.nat())
    .map(([base, n]) => {
      const all = mutationsOf(base).filter((m) => m.kind === kind);
      const m = all[n % all.length];
      return m === undefined ? null : printable(m, base);
    })
    .filter((m): m is Mutation => m !== null);
}

/** A mutation of a generated small scenario only (cheap to simulate should the tool wrongly accept it). */
export const smallMutation: fc.Arbitrary<Mutation> = fc.tuple(smallScenario, fc.nat()).map(([base, n]) => {
  const all = mutationsOf(base).filter((m) => m.kind !== 'deep-nesting');
  return printable(all[n % all.length] as Mutation, base);
});

// ---------------------------------------------------------------------------
// Arbitrary input: --set arguments and whole files

/** Field paths of a valid scenario, as `--set` writes them. */
const SET_PATHS: string[] = [
  ...new Set(
    SHIPPED_SCENARIOS.flatMap((s) => sites(s.value))
      .map((s) => formatPath(s.path))
      .filter((p) => p !== '(root)'),
  ),
];

/** `--set` arguments: arbitrary text, and paths of the grammar (or with prototype keys) given arbitrary JSON or text. */
export const setArgument: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.tuple(fc.constantFrom(...SET_PATHS), fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 20, unit: 'binary' }))).map(([p, v]) => `${p}=${v}`),
  fc
    .tuple(
      fc.constantFrom(...PROTOTYPE_KEYS),
      fc.array(fc.oneof({ arbitrary: fc.constantFrom('polluted', 'users', 'population', 'x'), weight: 3 }, { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 1 }), {
        minLength: 1,
        maxLength: 2,
      }),
      fc.boolean(),
      fc.json({ maxDepth: 2 }),
    )
    // A prototype key first, or after a field of the grammar.
    .map(([key, rest, nested, v]) => `${[...(nested ? ['population'] : []), key, ...rest].join('.')}=${v}`),
);

/** Whole scenario files: arbitrary text, arbitrary JSON, and a valid scenario's text with a few characters changed. */
export const scenarioText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.json({ maxDepth: 6 }),
  fc
    .tuple(
      fc.constantFrom(...SHIPPED_SCENARIOS.map((s) => JSON.stringify(s.value, null, 2))),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3, unit: 'binary' })), { minLength: 1, maxLength: 5 }),
    )
    .map(([t, edits]) => edits.reduce((s, [at, del, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice((at % (s.length + 1)) + del), t)),
);
