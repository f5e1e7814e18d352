/**
 * `--set path=value` overrides, applied to a scenario as read from JSON before
 * it is validated: `population.users=500`, `rooms.kinds[0].count=10`,
 * `features.presence=false`, `run.seed=abc`.
 *
 * The value is JSON when it parses as JSON (numbers, true/false, null, arrays,
 * objects, "quoted strings"), read by the same strict reader as a scenario
 * file (json.ts: `1e999` is refused as written, a field twice, too deep a
 * nesting), else the text itself as a string.
 *
 * The path must be one the grammar defines (an item of a list being any of
 * its items, a field of a distribution a field of any of its kinds): an
 * unknown field is refused at its path with the loader's "did you mean", and
 * nothing is set. `__proto__`, `constructor` and `prototype` are never
 * fields, so no override can reach an object's prototype.
 */
import { ScenarioSchema } from './grammar.js';
import { parseJsonStrict } from './json.js';
import { messages } from './messages.js';
import { formatPath, renderValue, type PathSegment, type Problem } from './problem.js';
import { unwrap, type ZodInternals } from './schema-walk.js';
import { closest } from './suggest.js';

const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[\d+\])*$/;
const SEGMENT = /\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]/g;

/** Keys that name an object's prototype machinery rather than a field. */
const PROTOTYPE_KEYS: ReadonlySet<PathSegment> = new Set(['__proto__', 'constructor', 'prototype']);

/** `rooms.kinds[0].count` -> `['rooms', 'kinds', 0, 'count']`; undefined when not a valid path. */
export function parsePath(text: string): PathSegment[] | undefined {
  if (!PATH.test(text)) return undefined;
  const out: PathSegment[] = [];
  for (const m of text.matchAll(SEGMENT)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

/**
 * The value of an override: its JSON when it parses as JSON, the text as a
 * string when it does not; `problems` (each at its path within the value)
 * when it is JSON that the strict reader refuses.
 */
export function parseOverrideValue(text: string): { value: unknown } | { problems: { path: PathSegment[]; rule: string; received: string }[] } {
  const json = parseJsonStrict(text, '--set');
  if (json.ok) return { value: json.value };
  if (json.problems.some((p) => p.kind === 'syntax')) return { value: text };
  return { problems: json.problems.map((p) => ({ path: p.path, rule: p.rule, received: p.received })) };
}

const isContainer = (v: unknown): v is Record<PropertyKey, unknown> => v !== null && typeof v === 'object';
/** A container's own member `seg` (never one inherited from a prototype). */
const own = (v: unknown, seg: PathSegment): unknown => (isContainer(v) && Object.hasOwn(v, seg) ? v[seg] : undefined);

/** `value` placed at `rest` below the path's end: what a file would have held where the path leaves the grammar. */
function nested(rest: readonly PathSegment[], value: unknown): unknown {
  let out = value;
  for (const seg of [...rest].reverse()) {
    if (typeof seg === 'number') {
      const items: unknown[] = new Array<unknown>(seg).fill(null);
      items.push(out);
      out = items;
    } else out = Object.fromEntries([[seg, out]]);
  }
  return out;
}

/** The options a schema stands for: itself, or each kind of a union (a distribution), wrappers taken off. */
function optionsOf(schema: unknown): ZodInternals[] {
  const u = unwrap(schema).schema;
  if (!u) return [];
  if (u._zod.def.type !== 'union') return [u];
  return (u._zod.def.options ?? []).map((o) => unwrap(o).schema).filter((o): o is ZodInternals => o !== undefined);
}

type Step = { ok: true; schema: unknown } | { ok: false; fields: string[] } | { ok: false; container: 'object' | 'array' | 'none' };

/** The grammar one step down from `schema` by `seg`: the child's schema, or why there is none. */
function step(schema: unknown, seg: PathSegment): Step {
  const options = optionsOf(schema);
  if (typeof seg === 'number') {
    const list = options.find((o) => o._zod.def.type === 'array');
    if (list) return { ok: true, schema: list._zod.def.element };
    return { ok: false, container: options.some((o) => o._zod.def.type === 'object') ? 'object' : 'none' };
  }
  const objects = options.filter((o) => o._zod.def.type === 'object');
  if (objects.length === 0) return { ok: false, container: options.some((o) => o._zod.def.type === 'array') ? 'array' : 'none' };
  const fields: string[] = [];
  for (const o of objects) {
    const shape = o._zod.def.shape ?? {};
    if (!PROTOTYPE_KEYS.has(seg) && Object.hasOwn(shape, seg)) return { ok: true, schema: shape[seg] };
    for (const f of Object.keys(shape)) if (!fields.includes(f)) fields.push(f);
  }
  return { ok: false, fields };
}

/** Where `path` leaves the grammar, as a problem; undefined when the grammar defines it. */
function undefinedPathProblem(path: readonly PathSegment[], value: unknown, set: string): Problem | undefined {
  let schema: unknown = ScenarioSchema;
  for (const [i, seg] of path.entries()) {
    const next = step(schema, seg);
    if (next.ok) {
      schema = next.schema;
      continue;
    }
    const parent = formatPath(path.slice(0, i));
    if ('fields' in next) {
      return {
        path: `--set ${formatPath(path.slice(0, i + 1))}`,
        rule: messages.unknownField(closest(String(seg), next.fields), next.fields),
        received: renderValue(nested(path.slice(i + 1), value)),
      };
    }
    return { path: '--set', rule: messages.setInto(parent, typeof seg === 'number'), received: renderValue(set) };
  }
  return undefined;
}

/** Paths of `__proto__`, `constructor` or `prototype` keys inside a value (walked without recursion; the value is depth-bounded). */
function prototypeKeyPaths(value: unknown): PathSegment[][] {
  const out: PathSegment[][] = [];
  const todo: { v: unknown; path: PathSegment[] }[] = [{ v: value, path: [] }];
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const { v, path } = item;
    if (Array.isArray(v)) v.forEach((x, i) => todo.push({ v: x, path: [...path, i] }));
    else if (isContainer(v)) {
      for (const key of Object.keys(v)) {
        if (PROTOTYPE_KEYS.has(key)) out.push([...path, key]);
        else todo.push({ v: v[key], path: [...path, key] });
      }
    }
  }
  return out;
}

/**
 * Apply each `path=value` in order to a copy of `input`. Missing objects on
 * the way are created; array indexes must exist. An override that cannot be
 * applied is a problem (at `--set` for a malformed one, at its path for an
 * unknown field or a refused value) and is skipped; the rest are applied.
 */
export function applyOverrides(input: unknown, sets: readonly string[]): { value: unknown; problems: Problem[] } {
  let value: unknown = structuredClone(input);
  const problems: Problem[] = [];
  const bad = (rule: string, text: string) => problems.push({ path: '--set', rule, received: renderValue(text) });
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq < 0) {
      bad(messages.setForm(), set);
      continue;
    }
    const path = parsePath(set.slice(0, eq).trim());
    const last = path?.at(-1);
    if (!path || last === undefined) {
      bad(messages.setPath(), set);
      continue;
    }
    const parsed = parseOverrideValue(set.slice(eq + 1));
    if ('problems' in parsed) {
      for (const p of parsed.problems) problems.push({ path: `--set ${formatPath([...path, ...p.path])}`, rule: p.rule, received: p.received });
      continue;
    }
    const newValue = parsed.value;
    const outside = undefinedPathProblem(path, newValue, set);
    if (outside) {
      problems.push(outside);
      continue;
    }
    // Prototype keys inside an object value: unknown fields, like any other, at their own path.
    const protoPaths = prototypeKeyPaths(newValue);
    if (protoPaths.length > 0) {
      for (const p of protoPaths) {
        const full = [...path, ...p];
        const problem = undefinedPathProblem(full, undefined, set);
        let at: unknown = newValue;
        for (const seg of p) at = own(at, seg);
        const rule = problem !== undefined && problem.path !== '--set' ? problem.rule : messages.unknownField(undefined, []);
        problems.push({ path: `--set ${formatPath(full)}`, rule, received: renderValue(at) });
      }
      continue;
    }
    // Belt and braces: the grammar has no prototype keys, so none reaches this point.
    if (path.some((seg) => PROTOTYPE_KEYS.has(seg))) continue;

    if (value === undefined) value = {};
    let container: unknown = value;
    let ok = true;
    const parents = path.slice(0, -1);
    for (const [i, seg] of parents.entries()) {
      const parentPath = path.slice(0, i);
      if (!fitsSegment(container, seg)) {
        bad(messages.setInto(formatPath(parentPath), typeof seg === 'number'), set);
        ok = false;
        break;
      }
      const c = container as Record<PropertyKey, unknown>;
      if (Array.isArray(c) && typeof seg === 'number' && seg >= c.length) {
        bad(messages.setExistingIndex(formatPath(parentPath), c.length), set);
        ok = false;
        break;
      }
      if (own(c, seg) === undefined) {
        // Create a missing object on the way, unless an index follows (indexes must exist).
        const next = parents[i + 1] ?? last;
        if (typeof next === 'number') {
          bad(messages.setExistingIndex(formatPath(path.slice(0, i + 1)), 0), set);
          ok = false;
          break;
        }
        c[seg] = {};
      }
      container = own(c, seg);
    }
    if (!ok) continue;
    if (!fitsSegment(container, last)) {
      bad(messages.setInto(formatPath(path.slice(0, -1)), typeof last === 'number'), set);
      continue;
    }
    if (typeof last === 'number' && last >= (container as unknown[]).length) {
      bad(messages.setExistingIndex(formatPath(path.slice(0, -1)), (container as unknown[]).length), set);
      continue;
    }
    (container as Record<PropertyKey, unknown>)[last] = newValue;
  }
  return { value, problems };
}

/** Can `seg` index into `container`: a key into a plain object, an index into an array. */
function fitsSegment(container: unknown, seg: PathSegment): boolean {
  if (!isContainer(container)) return false;
  return typeof seg === 'number' ? Array.isArray(container) : !Array.isArray(container);
}
