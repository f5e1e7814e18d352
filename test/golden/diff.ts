/**
 * Field-by-field differences between two JSON values, for the golden
 * summaries: one line per differing leaf, `path: expected X, got Y`, with
 * paths written as in JavaScript (`traffic.eventsPerDay["m.room.message"].mean`,
 * `storage.months[3]`).
 */

/** One differing field: its path and both values (undefined when absent on that side). */
export interface Difference {
  path: string;
  expected: unknown;
  got: unknown;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Every leaf where `got` differs from `expected`, depth first, keys in the
 * order of `expected` then those only in `got`. Values compare as JSON (so
 * -0 equals 0 and NaN cannot occur). An object or array against a scalar, or
 * arrays of different lengths, differ at that path as a whole only for the
 * missing or extra elements.
 *
 * @example jsonDifferences({ a: { b: 1 } }, { a: { b: 2 } }) // [{ path: 'a.b', expected: 1, got: 2 }]
 */
export function jsonDifferences(expected: unknown, got: unknown, path = ''): Difference[] {
  if (Array.isArray(expected) && Array.isArray(got)) {
    const out: Difference[] = [];
    const n = Math.max(expected.length, got.length);
    for (let i = 0; i < n; i++) out.push(...jsonDifferences(expected[i], got[i], child(path, i)));
    return out;
  }
  if (isObject(expected) && isObject(got)) {
    const out: Difference[] = [];
    for (const key of Object.keys(expected)) out.push(...jsonDifferences(expected[key], got[key], child(path, key)));
    for (const key of Object.keys(got)) if (!(key in expected)) out.push(...jsonDifferences(undefined, got[key], child(path, key)));
    return out;
  }
  if (JSON.stringify(expected) === JSON.stringify(got)) return [];
  return [{ path: path === '' ? '(the whole value)' : path, expected, got }];
}

/** A value as it appears in a difference line: JSON, shortened past 80 characters; absent as `(absent)`. */
export function showValue(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The differences as lines, at most `limit` of them, then one line with the
 * count of those left out and the total.
 *
 * @example formatDifferences([{ path: 'seed', expected: '1', got: '2' }]) // 'seed: expected "1", got "2"'
 */
export function formatDifferences(diffs: readonly Difference[], limit = 50): string {
  const lines = diffs.slice(0, limit).map((d) => `${d.path}: expected ${showValue(d.expected)}, got ${showValue(d.got)}`);
  if (diffs.length > limit) lines.push(`... and ${diffs.length - limit} more (${diffs.length} differing fields in all)`);
  else lines.push(`(${diffs.length} differing field${diffs.length === 1 ? '' : 's'})`);
  return lines.join('\n');
}
