/**
 * Loading a scenario file: read (UTF-8), parse JSON, apply `--set`
 * overrides, validate. Any problem, from a missing file to a field out of
 * range, ends in one `ScenarioError` listing all of them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MxsimError } from '../errors.js';
import type { Scenario } from './grammar.js';
import { applyOverrides } from './overrides.js';
import { messages } from './messages.js';
import { formatProblem, formatWarning, type Problem } from './problem.js';
import { validateScenario } from './validate.js';

/**
 * A scenario file that cannot be used; `message` is the file line followed by
 * each problem, indented. The code says which: `input.unreadable` (no such
 * file), `scenario.json` (not JSON) or `scenario.invalid` (fails validation).
 */
export class ScenarioError extends MxsimError {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
    headline: string = messages.fileHeadline(file, problems.length),
    code: 'input.unreadable' | 'scenario.json' | 'scenario.invalid' = 'scenario.invalid',
  ) {
    super(code, [headline, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.name = 'ScenarioError';
  }
}

export interface LoadedScenario {
  /** Validated, with every default filled. */
  scenario: Scenario;
  /** Where it came from: the file path as given. */
  source: string;
  /** The input as validated: the parsed JSON after `--set` overrides. */
  raw: unknown;
  /** SHA-256 (hex) of the canonical JSON (keys sorted) of `raw`: identifies the inputs of a run. */
  sha256: string;
  /** What the scenario does that deserves a word, each as `file: path: message` (the CLI prints them on stderr). */
  warnings: string[];
}

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Read, parse, override and validate a scenario file. Throws `ScenarioError`. */
export async function loadScenarioFile(path: string, overrides: string[] = []): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const problem: Problem = { path: '(file)', rule: messages.readableFile(), received: messages.fileError(err.code, err.message) };
    throw new ScenarioError(path, [problem], messages.unreadableHeadline(path), 'input.unreadable');
  }
  return loadScenarioText(text, path, overrides);
}

/** As `loadScenarioFile`, on text already read (`file` names it in messages). */
export function loadScenarioText(text: string, file: string, overrides: string[] = []): LoadedScenario {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new ScenarioError(file, [jsonProblem(body, e)], messages.jsonHeadline(file), 'scenario.json');
  }
  const { value, problems } = applyOverrides(parsed, overrides);
  const result = validateScenario(value);
  if (!result.ok) problems.push(...result.problems);
  if (problems.length > 0 || !result.ok) throw new ScenarioError(file, problems);
  return {
    scenario: result.scenario,
    source: file,
    raw: value,
    sha256: createHash('sha256').update(canonicalJson(value)).digest('hex'),
    warnings: result.warnings.map((w) => `${file}: ${formatWarning(w)}`),
  };
}

// ---------------------------------------------------------------------------
// Where malformed JSON goes wrong. V8's messages differ between Node versions
// and do not always give a position, so a small scanner finds it.

class JsonSyntax extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'JsonSyntax';
  }
}

/** The offset and reason of the first JSON syntax error in `text`, or undefined if it is valid. */
export function findJsonError(text: string): { offset: number; detail: string } | undefined {
  let i = 0;
  const fail = (detail: string, at = i): never => {
    throw new JsonSyntax(at, detail);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('a closing quote "');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('a closing quote " before the end of the line (or an escape like \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) fail('four hex digits after \\u');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('an escape like \\n, \\t, \\" or \\\\ after a backslash');
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(text[i] === '}' ? 'a double-quoted field name (no comma after the last field)' : 'a double-quoted field name');
        string();
        ws();
        if (text[i] !== ':') fail('":" after the field name');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('"," or "}" after a field');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === ']') fail('a value (no comma after the last item)');
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('"," or "]" after an item');
      }
    }
    if (c === '"') return string();
    const literal = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    literal.lastIndex = i;
    const m = literal.exec(text);
    if (!m) return fail('a value (an object, array, string, number, true, false or null)');
    i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail('nothing after the JSON value');
    return undefined;
  } catch (e) {
    if (e instanceof JsonSyntax) return { offset: e.offset, detail: e.detail };
    throw e;
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function jsonProblem(text: string, error: unknown): Problem {
  const found = findJsonError(text);
  // Fall back on V8's position (if its message has one) should the scanner disagree.
  const v8 = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(v8);
  const offset = found?.offset ?? (position ? Number(position[1]) : text.length);
  const detail = found?.detail ?? v8.replace(/ in JSON at position \d+.*$/s, '');
  const { line, column } = lineAndColumn(text, offset);
  return { path: messages.jsonLocation(line, column), rule: messages.validJson(detail), received: messages.receivedJsonText(text.slice(offset, offset + 1)) };
}
