/**
 * `--set path=value` overrides, applied to a scenario as read from JSON before
 * it is validated: `population.users=500`, `rooms.kinds[0].count=10`,
 * `features.presence=false`, `run.seed=abc`.
 *
 * The value is JSON when it parses as JSON (numbers, true/false, null, arrays,
 * objects, "quoted strings"), else the text itself as a string. Unknown field
 * names are set as given; validation reports them with a "did you mean".
 */
import { messages } from './messages.js';
import { formatPath, renderValue, type PathSegment, type Problem } from './problem.js';

const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[\d+\])*$/;
const SEGMENT = /\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]/g;

/** `rooms.kinds[0].count` -> `['rooms', 'kinds', 0, 'count']`; undefined when not a valid path. */
export function parsePath(text: string): PathSegment[] | undefined {
  if (!PATH.test(text)) return undefined;
  const out: PathSegment[] = [];
  for (const m of text.matchAll(SEGMENT)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

/** The value of an override: JSON when it parses, else the text as a string. */
export function parseOverrideValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isContainer = (v: unknown): v is Record<PropertyKey, unknown> => v !== null && typeof v === 'object';

/**
 * Apply each `path=value` in order to a copy of `input`. Missing objects on
 * the way are created; array indexes must exist. Malformed overrides are
 * problems at path `--set` (the rest are still applied).
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
    const newValue = parseOverrideValue(set.slice(eq + 1));
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
      if (c[seg] === undefined) {
        // Create a missing object on the way, unless an index follows (indexes must exist).
        const next = parents[i + 1] ?? last;
        if (typeof next === 'number') {
          bad(messages.setExistingIndex(formatPath(path.slice(0, i + 1)), 0), set);
          ok = false;
          break;
        }
        c[seg] = {};
      }
      container = c[seg];
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
