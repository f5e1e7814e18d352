/**
 * A strict JSON reader for what users write (scenario files, `--set`
 * values), exported for any command that reads JSON from a user.
 *
 * Stricter than `JSON.parse` where the difference would silently change
 * what was written, and bounded so that no input can exhaust the stack:
 *
 * - no recursion: an explicit stack of open arrays and objects, so ten
 *   thousand `[` are one problem, not a stack overflow;
 * - at most `MAX_JSON_DEPTH` levels of nesting (a scenario needs about 6),
 *   so every later walk of the value (validation, `structuredClone`, sorting
 *   keys) is bounded too;
 * - a field name twice in one object is refused (JSON.parse keeps the last),
 *   with the path and the line and column of the second;
 * - a number a double cannot hold is refused as written: one that overflows
 *   to infinity (`1e999`), a non-zero one that rounds to 0 (`1e-400`), an
 *   integer written without fraction or exponent beyond 2^53 - 1 (which
 *   would be rounded);
 * - `__proto__` is kept as an ordinary field (as JSON.parse does), never a
 *   prototype: validation then reports it as an unknown field.
 *
 * A UTF-8 byte order mark at the start is skipped; lines and columns count
 * from the character after it. A syntax error stops the reading (what
 * follows cannot be trusted); other problems are all collected.
 */
import { messages } from './messages.js';
import { formatPath, type PathSegment } from './problem.js';

/** Nesting of arrays and objects a document may have. A scenario needs about 6. */
export const MAX_JSON_DEPTH = 64;
/** Bytes a scenario file may have (checked before it is read whole; src/scenario/load.ts). */
export const MAX_SCENARIO_FILE_BYTES = 10 * 1024 * 1024;

/** One thing wrong with a JSON document. */
export interface JsonProblem {
  /** `syntax` and `depth` stop the reading; `duplicate` and `number` are all collected. */
  kind: 'syntax' | 'depth' | 'duplicate' | 'number';
  /** The file (or option) the text came from, as given. */
  file: string;
  /** Where: offset in the text (after a byte order mark), 1-based line and column. */
  offset: number;
  line: number;
  column: number;
  /** The field or item concerned, within the document (empty for a syntax error, or the top level). */
  path: PathSegment[];
  /** Completes "expected ..." */
  rule: string;
  /** Completes "got ...": the text as written. */
  received: string;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; problems: JsonProblem[] };

/** `file:line:column: path: expected <rule>, got <received>` (the path left out when there is none). */
export function formatJsonProblem(p: JsonProblem): string {
  const path = p.path.length > 0 && p.kind !== 'syntax' ? `${formatPath(p.path)}: ` : '';
  return `${p.file}:${p.line}:${p.column}: ${path}expected ${p.rule}, got ${p.received}`;
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  return new Lines(text).at(offset);
}

/** Line starts of a text, found once, for any number of positions. */
class Lines {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  at(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= lineStarts(this.text));
    const o = Math.min(offset, this.text.length);
    // The last line start at or before o.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  return starts;
}

/**
 * An array or object being read: its value; for an object, the key awaiting
 * its value, where the object starts, and (once a key came twice) the offset
 * of each key's first occurrence.
 */
type Frame = { array: unknown[] } | { object: Record<string, unknown>; key: string; start: number; keys: Map<string, number> | undefined };

/**
 * The offset of the first occurrence of each field name of the object whose
 * `{` is at `start`, up to `end` (text already read, so well formed): read
 * again only when a name comes twice, so an object without duplicates costs
 * nothing, and one with many costs one more pass.
 */
function firstKeyOffsets(body: string, start: number, end: number): Map<string, number> {
  const keys = new Map<string, number>();
  let depth = 0;
  for (let i = start; i < end;) {
    const c = body.charCodeAt(i);
    if (c !== 0x22) {
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) depth--;
      i++;
      continue;
    }
    const from = i;
    let escaped = false;
    for (i++; body.charCodeAt(i) !== 0x22; i++) {
      if (body.charCodeAt(i) === 0x5c) {
        escaped = true;
        i++;
      }
    }
    i++;
    if (depth !== 1) continue;
    let j = i;
    for (let w = body.charCodeAt(j); w === 0x20 || w === 0x0a || w === 0x0d || w === 0x09; w = body.charCodeAt(++j));
    if (body.charCodeAt(j) !== 0x3a) continue; // a value, not a field name
    const name = escaped ? (JSON.parse(body.slice(from, i)) as string) : body.slice(from + 1, i - 1);
    if (!keys.has(name)) keys.set(name, from);
  }
  return keys;
}

const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** What stops the reading (a syntax error, too deep a nesting): where, and what was expected there. Caught in `parseJsonStrict`. */
class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
    readonly kind: 'syntax' | 'depth' = 'syntax',
    readonly received?: string,
  ) {
    super(detail);
    this.name = 'Stop';
  }
}

/**
 * Parse `text` (from `file`, named in the problems) strictly: the value, or
 * every problem found (see the module comment). Never throws on any input.
 */
export function parseJsonStrict(text: string, file: string, maxDepth: number = MAX_JSON_DEPTH): JsonResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new Lines(body);
  const found: { kind: JsonProblem['kind']; offset: number; path: PathSegment[]; rule: (l: Lines) => string; received: string }[] = [];
  const stack: Frame[] = [];
  const pathHere = (): PathSegment[] => stack.map((f) => ('array' in f ? f.array.length : f.key));
  let i = 0;

  const ws = () => {
    for (let c = body.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = body.charCodeAt(++i));
  };
  /** The string starting at the quote at i; i ends after its closing quote. */
  const string = (): string => {
    const start = i;
    let escaped = false;
    i++;
    for (;;) {
      if (i >= body.length) throw new Stop(i, messages.jsonClosingQuote());
      const c = body.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) throw new Stop(i, messages.jsonQuoteBeforeLineEnd());
      if (c === 0x5c) {
        escaped = true;
        const e = body[i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(body.slice(i + 2, i + 6))) throw new Stop(i, messages.jsonHexDigits());
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, messages.jsonEscape());
      } else i++;
    }
    i++;
    // Escapes checked above, so JSON.parse of this one string cannot fail (nor recurse).
    return escaped ? (JSON.parse(body.slice(start, i)) as string) : body.slice(start + 1, i - 1);
  };
  /** A field name at i (after whitespace), its colon, and the whitespace after: records it in the object on top. */
  const key = (frame: Extract<Frame, { object: unknown }>, afterComma: boolean) => {
    ws();
    if (body[i] !== '"') throw new Stop(i, messages.jsonFieldName(afterComma && body[i] === '}'));
    const at = i;
    const name = string();
    if (frame.keys === undefined && Object.hasOwn(frame.object, name)) frame.keys = firstKeyOffsets(body, frame.start, at);
    const first = frame.keys?.get(name);
    if (first !== undefined) {
      found.push({
        kind: 'duplicate',
        offset: at,
        path: [...pathHere().slice(0, -1), name],
        rule: (l) => {
          const p = l.at(first);
          return messages.uniqueField(p.line, p.column);
        },
        received: body.slice(at, i),
      });
    } else frame.keys?.set(name, at);
    frame.key = name;
    ws();
    if (body[i] !== ':') throw new Stop(i, messages.jsonColon());
    i++;
  };
  /** A number, true, false or null at i. */
  const literal = (): unknown => {
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(body);
    if (!m) throw new Stop(i, messages.jsonValue());
    const written = m[0];
    const at = i;
    i += written.length;
    if (written === 'true') return true;
    if (written === 'false') return false;
    if (written === 'null') return null;
    const n = Number(written);
    let rule: string | undefined;
    if (!Number.isFinite(n)) rule = messages.finiteNumber();
    else if (n === 0 && /[1-9]/.test(written.replace(/[eE].*$/, ''))) rule = messages.nonZeroNumber();
    else if (Math.abs(n) > Number.MAX_SAFE_INTEGER && !/[.eE]/.test(written)) rule = messages.exactInteger();
    if (rule !== undefined) {
      const r = rule;
      found.push({ kind: 'number', offset: at, path: pathHere(), rule: () => r, received: written });
    }
    return n;
  };

  let result: unknown;
  try {
    // One value per turn: open a container (and go on to its first member), or
    // read a scalar; then add the value to the container on top, closing
    // every container that ends after it.
    for (;;) {
      ws();
      const c = body.charCodeAt(i);
      let value: unknown;
      let complete = true;
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (stack.length >= maxDepth) throw new Stop(i, messages.nestingAtMost(maxDepth), 'depth', messages.receivedNesting(stack.length + 1));
        const open = i;
        i++;
        ws();
        if (c === 0x7b) {
          const frame = { object: {} as Record<string, unknown>, key: '', start: open, keys: undefined };
          if (body[i] === '}') {
            i++;
            value = frame.object;
          } else {
            stack.push(frame);
            key(frame, false);
            complete = false;
          }
        } else if (body[i] === ']') {
          i++;
          value = [];
        } else {
          stack.push({ array: [] });
          complete = false;
        }
      } else if (c === 0x22 /* " */) value = string();
      else value = literal();
      if (!complete) continue;

      // Add the value to the containers it completes.
      for (;;) {
        const top = stack.at(-1);
        if (top === undefined) {
          result = value;
          break;
        }
        ws();
        if ('array' in top) {
          top.array.push(value);
          if (body[i] === ',') {
            i++;
            ws();
            if (body[i] === ']') throw new Stop(i, messages.jsonItemAfterComma());
            break;
          }
          if (body[i] !== ']') throw new Stop(i, messages.jsonAfterItem());
          i++;
          stack.pop();
          value = top.array;
        } else {
          // An own property even for "__proto__", which plain assignment would take as the prototype.
          if (top.key === '__proto__') Object.defineProperty(top.object, top.key, { value, enumerable: true, writable: true, configurable: true });
          else top.object[top.key] = value;
          if (body[i] === ',') {
            i++;
            key(top, true);
            break;
          }
          if (body[i] !== '}') throw new Stop(i, messages.jsonAfterField());
          i++;
          stack.pop();
          value = top.object;
        }
      }
      if (stack.length === 0) break;
    }
    ws();
    if (i < body.length) throw new Stop(i, messages.jsonNothingAfter());
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    found.push({
      kind: e.kind,
      offset: e.offset,
      path: e.kind === 'depth' ? pathHere() : [],
      rule: () => e.detail,
      received: e.received ?? messages.receivedJsonText(body.slice(e.offset, e.offset + 1)),
    });
  }
  if (found.length === 0) return { ok: true, value: result };
  return {
    ok: false,
    problems: found.map((f) => ({ kind: f.kind, file, offset: f.offset, ...lines.at(f.offset), path: f.path, rule: f.rule(lines), received: f.received })),
  };
}
