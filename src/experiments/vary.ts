/**
 * `--vary PATH=VALUES`: the fields a sweep varies and the values each takes.
 *
 *   features.presence=true,false             a list: each item as `--set` reads it
 *   run.server.deployment=monolith,workers   (JSON when it parses, else text)
 *   population.users=500..8000:log:5         N values from LO to HI, evenly spaced
 *   population.growthPerMonth=0..0.04:lin:3  on the log or the linear scale
 *
 * Each value is later applied exactly as `--set PATH=VALUE` would be
 * (src/scenario/overrides.ts) and the scenario validated; here only the
 * option's own form is checked. A range on an integer field (the grammar
 * says so) is rounded to integers, and values that round onto one already in
 * the range are dropped with a note. Every malformed option is a problem, all
 * listed at once (usage, exit 2).
 */
import { roundSignificant } from '../numeric/index.js';
import { ScenarioSchema } from '../scenario/grammar.js';
import { parseOverrideValue, parsePath } from '../scenario/overrides.js';
import { formatPath, type PathSegment } from '../scenario/problem.js';
import { schemaAt, type ZodInternals } from '../scenario/schema-walk.js';
import { sweepMessages as msg } from './sweep-messages.js';

/** One value of a factor: the text given to `--set PATH=` and the value it stands for. */
export interface Level {
  text: string;
  value: unknown;
}

export type Scale = 'lin' | 'log';

/** A range LO..HI:SCALE:N as written. */
export interface Range {
  lo: number;
  hi: number;
  scale: Scale;
  count: number;
}

/** A field varied by a sweep. */
export interface Factor {
  /** The --vary as written (`population.users=500..8000:log:5`). */
  spec: string;
  /** The field's path as people write it (`population.users`). */
  path: string;
  segments: PathSegment[];
  /** Its values, in the order given (a range from LO to HI). */
  levels: Level[];
  /** The range, when the values were given as one. */
  range: Range | null;
  /** The grammar holds the field to integers (a range's values are rounded). */
  integer: boolean;
}

/** The most values a range may ask for. */
export const MAX_RANGE_COUNT = 1000;

const RANGE = /^(.*)\.\.(.*):([^:]*):([^:]*)$/;

/** The grammar's schema for a field: a number held to integers? */
function isIntegerSchema(s: ZodInternals | undefined): boolean {
  return s?._zod.def.type === 'number' && (s as { isInt?: boolean }).isInt === true;
}

/**
 * The items of a comma list, commas inside brackets, braces or a double-quoted
 * string not splitting (so a JSON array or object is one item).
 * @example splitList('1,[2,3],"a,b"') // ['1', '[2,3]', '"a,b"']
 */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth <= 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((s) => s.trim());
}

/** A number as written in a range (`1e3`, `0.5`, `8_000`); NaN when it is not one. */
const rangeNumber = (text: string): number => (text.trim() === '' ? NaN : Number(text.trim().replace(/_/g, '')));

/**
 * The N values of a range, from LO to HI inclusive: evenly spaced
 * (`lin`) or evenly spaced in the logarithm (`log`, a geometric sequence).
 * @example rangeValues({ lo: 500, hi: 8000, scale: 'log', count: 5 }) // [500, 1000, 2000, 4000, 8000]
 */
export function rangeValues(r: Range): number[] {
  const out: number[] = [];
  for (let i = 0; i < r.count; i++) {
    const f = r.count === 1 ? 0 : i / (r.count - 1);
    out.push(at(r, f));
  }
  return out;
}

/** The point a share `f` (0..1) of the way from LO to HI, on the range's scale. */
export function at(r: Pick<Range, 'lo' | 'hi' | 'scale'>, f: number): number {
  if (f <= 0) return r.lo;
  if (f >= 1) return r.hi;
  return r.scale === 'log' ? Math.exp(Math.log(r.lo) + f * (Math.log(r.hi) - Math.log(r.lo))) : r.lo + f * (r.hi - r.lo);
}

/** A value on a range as it is written into the override: an integer, or 6 significant digits. */
export function rangeLevel(x: number, integer: boolean): Level {
  const v = integer ? Math.round(x) : roundSignificant(x, 6);
  return { text: String(v), value: v };
}

/**
 * Parse every --vary option against the scenario as read (`raw`, after --set),
 * whose grammar says which fields are integers. Returns the factors, the
 * problems of malformed options (each `--vary SPEC: expected ..., got ...`)
 * and notes (values dropped after rounding).
 */
export function parseVary(specs: readonly string[], raw: unknown): { factors: Factor[]; problems: string[]; notes: string[] } {
  const factors: Factor[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const bad = (spec: string, expected: string, got: string) => problems.push(msg.varyProblem(spec, expected, got));
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq < 0) {
      bad(spec, msg.varyForm(), JSON.stringify(spec));
      continue;
    }
    const pathText = spec.slice(0, eq).trim();
    const segments = parsePath(pathText);
    if (!segments || segments.length === 0) {
      bad(spec, msg.varyPath(), JSON.stringify(pathText));
      continue;
    }
    const path = formatPath(segments);
    if (factors.some((f) => f.path === path)) {
      bad(spec, msg.varyTwice(path), JSON.stringify(spec));
      continue;
    }
    const valuesText = spec.slice(eq + 1).trim();
    if (valuesText === '') {
      bad(spec, msg.varyNonEmpty(), '""');
      continue;
    }
    const schema = schemaAt(ScenarioSchema, raw, segments).schema;
    const integer = isIntegerSchema(schema);
    const range = RANGE.exec(valuesText);
    if (range || (valuesText.includes('..') && !valuesText.startsWith('"') && !valuesText.startsWith('['))) {
      if (!range) {
        bad(spec, msg.varyForm(), JSON.stringify(valuesText));
        continue;
      }
      const [, loText = '', hiText = '', scaleText = '', countText = ''] = range;
      const before = problems.length;
      const lo = rangeNumber(loText);
      const hi = rangeNumber(hiText);
      const count = rangeNumber(countText);
      if (!Number.isFinite(lo)) bad(spec, msg.rangeNumber('LO'), JSON.stringify(loText));
      if (!Number.isFinite(hi)) bad(spec, msg.rangeNumber('HI'), JSON.stringify(hiText));
      if (scaleText !== 'lin' && scaleText !== 'log') bad(spec, msg.rangeScale(), JSON.stringify(scaleText));
      if (!Number.isInteger(count) || count < 2 || count > MAX_RANGE_COUNT) bad(spec, msg.rangeCount(MAX_RANGE_COUNT), JSON.stringify(countText));
      if (Number.isFinite(lo) && Number.isFinite(hi) && !(lo < hi)) bad(spec, msg.rangeOrder(), `${loText}..${hiText}`);
      if (scaleText === 'log' && Number.isFinite(lo) && lo <= 0) bad(spec, msg.rangeLogPositive(), JSON.stringify(loText));
      if (schema && schema._zod.def.type !== 'number') bad(spec, msg.rangeOnNumber(path, schema._zod.def.type), JSON.stringify(valuesText));
      if (problems.length > before) continue;
      const r: Range = { lo, hi, scale: scaleText as Scale, count };
      const levels: Level[] = [];
      const dropped: string[] = [];
      for (const x of rangeValues(r)) {
        const level = rangeLevel(x, integer);
        if (levels.some((l) => l.value === level.value)) dropped.push(String(roundSignificant(x, 6)));
        else levels.push(level);
      }
      if (dropped.length > 0)
        notes.push(
          msg.roundedDuplicates(
            spec,
            dropped,
            levels.map((l) => l.value as number),
          ),
        );
      factors.push({ spec, path, segments, levels, range: r, integer });
      continue;
    }
    const items = splitList(valuesText);
    const levels: Level[] = [];
    const before = problems.length;
    items.forEach((item, i) => {
      if (item === '') {
        bad(spec, msg.varyItem(i), '""');
        return;
      }
      const parsed = parseOverrideValue(item);
      // A value the JSON reader refuses is the scenario's problem (exit 3), as for --set: kept as text here.
      const value = 'value' in parsed ? parsed.value : item;
      if (levels.some((l) => l.text === item || JSON.stringify(l.value) === JSON.stringify(value))) {
        bad(spec, msg.varyUnique(item), JSON.stringify(valuesText));
        return;
      }
      levels.push({ text: item, value });
    });
    if (problems.length > before) continue;
    factors.push({ spec, path, segments, levels, range: null, integer });
  }
  return { factors, problems, notes };
}
