/**
 * Files read back from disk, trusted in nothing: a bound on their size
 * (MAX_READ_BACK_BYTES), a bound on how deep their JSON nests
 * (MAX_JSON_DEPTH, checked on the text before anything walks the parsed
 * value, so a deeply nested file cannot overflow the stack), and the text of
 * any JSON value as it is written in the file (`jsonValueTexts`), so problems
 * show `1.50`, `"12"` or `1e999` rather than what JSON.parse made of them.
 * Nothing here recurses on the input.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { MxsimError } from '../errors.js';
import { lineAndColumn, parseJsonStrict } from '../scenario/json.js';
import { cliMessages as msg } from './messages.js';

/** Files larger than this are refused: no file a run writes comes near it. */
export const MAX_READ_BACK_BYTES = 256 * 1024 * 1024;
/** JSON nested deeper than this is refused (summary.json nests 6 levels, a scenario a handful). */
export const MAX_JSON_DEPTH = 64;

/** What reading a file gave: its text, or why there is none. */
export type ReadBack = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'too-large'; bytes: number } | { kind: 'not-a-file' };

/**
 * A file's text (UTF-8, a byte-order mark removed), unless it is missing,
 * not a regular file or larger than `maxBytes`. Throws `input.unreadable`
 * when it exists and cannot be read.
 */
export function readBack(path: string, maxBytes = MAX_READ_BACK_BYTES): ReadBack {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { kind: 'missing' };
    if (err.code === 'EISDIR') return { kind: 'not-a-file' };
    throw new MxsimError('input.unreadable', msg.cannotRead(path, err.message));
  }
  try {
    // Size and contents from the same open file, so it cannot grow in between.
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'not-a-file' };
    if (st.size > maxBytes) return { kind: 'too-large', bytes: st.size };
    const text = readFileSync(fd, 'utf8');
    return { kind: 'text', text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch (e) {
    throw new MxsimError('input.unreadable', msg.cannotRead(path, e instanceof Error ? e.message : String(e)));
  } finally {
    closeSync(fd);
  }
}

/** The offset of the first bracket that opens level `maxDepth + 1`, or undefined. Valid JSON or not. */
export function jsonTooDeep(text: string, maxDepth = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

/**
 * Parse JSON read back: nesting bounded first, then JSON.parse. A problem is
 * `line L, column C: expected ..., got ...`.
 */
export function parseJsonBack(text: string, maxDepth = MAX_JSON_DEPTH): { ok: true; value: unknown } | { ok: false; problem: string } {
  const deep = jsonTooDeep(text, maxDepth);
  if (deep !== undefined) {
    const { line, column } = lineAndColumn(text, deep);
    return { ok: false, problem: msg.jsonTooDeep(line, column, maxDepth) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    // Where and why, from the strict reader (its first problem; JSON.parse's message varies between Node versions).
    const strict = parseJsonStrict(text, '');
    const first = strict.ok ? undefined : strict.problems[0];
    const offset = first?.offset ?? text.length;
    const { line, column } = lineAndColumn(text, offset);
    return { ok: false, problem: msg.jsonSyntax(line, column, first?.rule ?? (e instanceof Error ? e.message : String(e)), text.slice(offset, offset + 1)) };
  }
}

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = readonly PropertyKey[];
const keyOf = (path: JsonPath) => JSON.stringify(path.map((seg) => (typeof seg === 'number' ? seg : String(seg))));

/** How much of a value's text a problem shows. */
const SHOWN = 60;

/** The text from `start` to `end` without the whitespace between tokens, cut at SHOWN characters. */
function shown(text: string, start: number, end: number): string {
  let out = '';
  let inString = false;
  for (let i = start; i < end && out.length <= SHOWN; i++) {
    const c = text.charAt(i);
    if (inString) {
      out += c;
      if (c === '\\') out += text.charAt(++i);
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') out += c;
  }
  return out.length > SHOWN ? `${out.slice(0, SHOWN - 3)}...` : out;
}

/**
 * The text of the values at `paths` in valid JSON `text`, as written
 * (whitespace between tokens dropped, long ones cut): a lookup by path,
 * undefined for a path with no value. A repeated key gives its last value, as JSON.parse
 * does. One pass over the text, with a stack instead of recursion.
 */
export function jsonValueTexts(text: string, paths: readonly JsonPath[]): (path: JsonPath) => string | undefined {
  const wanted = new Set(paths.map(keyOf));
  // Most values are at depths nothing is wanted at: those are not looked up.
  const depths = new Set(paths.map((p) => p.length));
  const found = new Map<string, string>();
  const path: (string | number)[] = [];
  // Open containers: whether a child's key or index is on `path`, and where the container starts when its text is wanted.
  const open: { array: boolean; hasChild: boolean; start: number | undefined }[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const stringEnd = (from: number) => {
    let k = from + 1;
    while (k < text.length && text.charAt(k) !== '"') k += text.charAt(k) === '\\' ? 2 : 1;
    return k + 1;
  };
  const readKey = () => {
    ws();
    const end = stringEnd(i);
    const key = JSON.parse(text.slice(i, end)) as string;
    i = end;
    ws();
    i++; // ':'
    return key;
  };
  let expectValue = true;
  while (i < text.length) {
    ws();
    if (i >= text.length) break;
    if (expectValue) {
      const c = text.charAt(i);
      const start = i;
      const isWanted = depths.has(path.length) && wanted.has(keyOf(path));
      if (c === '{' || c === '[') {
        i++;
        ws();
        const empty = text.charAt(i) === (c === '{' ? '}' : ']');
        open.push({ array: c === '[', hasChild: !empty, start: isWanted ? start : undefined });
        if (!empty) {
          path.push(c === '[' ? 0 : readKey());
          continue;
        }
        // An empty container: closed below, as any other.
        expectValue = false;
        continue;
      }
      if (c === '"') i = stringEnd(i);
      else while (i < text.length && !' \t\n\r,]}'.includes(text.charAt(i))) i++;
      if (isWanted) found.set(keyOf(path), shown(text, start, i));
      expectValue = false;
      continue;
    }
    const c = text.charAt(i);
    const top = open.at(-1);
    if (top === undefined) break;
    if (c === ',') {
      i++;
      const last = path.pop();
      path.push(top.array ? Number(last) + 1 : readKey());
      expectValue = true;
      continue;
    }
    // '}' or ']'
    i++;
    open.pop();
    if (top.hasChild) path.pop();
    if (top.start !== undefined) found.set(keyOf(path), shown(text, top.start, i));
  }
  return (p) => found.get(keyOf(p));
}
