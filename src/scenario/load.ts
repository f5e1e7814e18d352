/**
 * Loading a scenario file: read (UTF-8, at most `MAX_SCENARIO_FILE_BYTES`),
 * parse JSON strictly (src/scenario/json.ts), apply `--set` overrides,
 * validate, and say what the overrides changed (src/scenario/display.ts). Any problem, from a missing file to a field out of range, ends in
 * one `ScenarioError` listing all of them.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MxsimError } from '../errors.js';
import { firstInvalidUtf8 } from '../numeric/index.js';
import type { Scenario } from './grammar.js';
import { MAX_SCENARIO_FILE_BYTES, parseJsonStrict, type JsonProblem } from './json.js';
import { scenarioDisplay, type ScenarioDisplay } from './display.js';
import { applyOverrides } from './overrides.js';
import { messages } from './messages.js';
import { formatPath, formatProblem, formatWarning, type Problem, type Warning } from './problem.js';
import { validateScenario } from './validate.js';

/**
 * A scenario file that cannot be used; `message` is the file line followed by
 * each problem, indented. The code says which: `input.unreadable` (no such
 * file, or too large), `scenario.json` (not JSON, or JSON refused: see
 * json.ts) or `scenario.invalid` (fails validation).
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
  /**
   * Validated, with every default filled; when `--set` overrides changed it,
   * its description says so and lists them (`display.description`).
   */
  scenario: Scenario;
  /** Its title, description and the overrides that changed it (src/scenario/display.ts): what the report and the CLI show. */
  display: ScenarioDisplay;
  /** Where it came from: the file path as given. */
  source: string;
  /** The input as validated: the parsed JSON after `--set` overrides. */
  raw: unknown;
  /** SHA-256 (hex) of the canonical JSON (keys sorted) of `raw`: identifies the inputs of a run. */
  sha256: string;
  /** What the scenario does that deserves a word, each as `file: path: message` (the CLI prints them on stderr). */
  warnings: string[];
}

/**
 * JSON with object keys sorted at every level and no whitespace. Recursive:
 * its input comes from `parseJsonStrict`, at most `MAX_JSON_DEPTH` deep.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties: a "__proto__" key stays a key.
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The text of a file, read without ever holding more than
 * `MAX_SCENARIO_FILE_BYTES` + 1 bytes: refused from its size when the file
 * system knows it, else (a pipe, a device) when reading passes the limit.
 */
async function readScenarioText(path: string): Promise<string> {
  const unreadable = (e: unknown): ScenarioError => {
    const err = e as NodeJS.ErrnoException;
    const problem: Problem = { path: '(file)', rule: messages.readableFile(), received: messages.fileError(err.code, err.message) };
    return new ScenarioError(path, [problem], messages.unreadableHeadline(path), 'input.unreadable');
  };
  const tooLarge = (bytes: number, more: boolean) =>
    new ScenarioError(
      path,
      [{ path: '(file)', rule: messages.fileAtMost(MAX_SCENARIO_FILE_BYTES), received: messages.receivedFileBytes(bytes, more) }],
      messages.tooLargeHeadline(path),
      'input.unreadable',
    );
  const handle = await open(path, 'r').catch((e: unknown) => {
    throw unreadable(e);
  });
  try {
    const { size } = await handle.stat().catch((e: unknown) => {
      throw unreadable(e);
    });
    if (size > MAX_SCENARIO_FILE_BYTES) throw tooLarge(size, false);
    // Uninitialised memory is fine: only the bytes read, [0, length), are ever used.
    let buffer = Buffer.allocUnsafe(Math.min(MAX_SCENARIO_FILE_BYTES, Math.max(size, 64 * 1024)) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_SCENARIO_FILE_BYTES) throw tooLarge(MAX_SCENARIO_FILE_BYTES, true);
        const bigger = Buffer.allocUnsafe(Math.min(MAX_SCENARIO_FILE_BYTES + 1, buffer.length * 2));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null).catch((e: unknown) => {
        throw unreadable(e);
      });
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_SCENARIO_FILE_BYTES) throw tooLarge(MAX_SCENARIO_FILE_BYTES, true);
    const bytes = buffer.subarray(0, length);
    // Bytes that are not UTF-8 would be read as U+FFFD, silently changing a name or a description.
    const bad = firstInvalidUtf8(bytes);
    if (bad >= 0) {
      let line = 1;
      let lineStart = 0;
      for (let i = 0; i < bad; i++) {
        if (bytes[i] === 0x0a) {
          line++;
          lineStart = i + 1;
        }
      }
      const problem: Problem = { path: '(file)', rule: messages.utf8Text(), received: messages.notUtf8Byte(bytes[bad] ?? 0, bad, line, bad - lineStart + 1) };
      throw new ScenarioError(path, [problem], messages.jsonHeadline(path), 'scenario.json');
    }
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Read, parse, override and validate a scenario file. Throws `ScenarioError`. */
export async function loadScenarioFile(path: string, overrides: string[] = []): Promise<LoadedScenario> {
  return loadScenarioText(await readScenarioText(path), path, overrides);
}

/**
 * The problems of a JSON document refused by `parseJsonStrict`, as printed
 * under the file's name: a syntax error or too deep a nesting at its line and
 * column, a field twice or a number out of range at its path and position.
 */
function jsonProblems(problems: readonly JsonProblem[]): Problem[] {
  // Too deep a nesting is named by where it starts: its path up to the first of the run of
  // first items it descends through ("population.users[0]..."), not sixty levels of [0].
  const shortPath = (p: JsonProblem) => {
    let start = p.path.length;
    while (start > 0 && p.path[start - 1] === 0) start--;
    return start + 1 < p.path.length ? `${formatPath(p.path.slice(0, start + 1))}...` : formatPath(p.path);
  };
  // A nesting too deep from the very top has no field to name: its line and column say where.
  const topLevel = (p: JsonProblem) => p.path.every((seg) => seg === 0);
  return problems.map((p) => ({
    path:
      p.kind === 'syntax' || (p.kind === 'depth' && topLevel(p))
        ? messages.jsonLocation(p.line, p.column)
        : messages.jsonFieldLocation(p.kind === 'depth' ? shortPath(p) : formatPath(p.path), p.line, p.column),
    rule: p.rule,
    received: p.received,
  }));
}

/**
 * Rooms of a fixed size equal to the file's population.users when `--set`
 * changed the users: an all-staff room written as a number, which keeps that
 * number (fewer users than it is a problem the validator lists; more users is
 * this warning, since a room of that many may be meant).
 */
function staleRoomSizes(written: unknown, s: Scenario): Warning[] {
  const population = (written as { population?: { users?: unknown } } | null)?.population;
  const before = population?.users;
  if (typeof before !== 'number' || before === s.population.users) return [];
  const out: Warning[] = [];
  s.rooms.kinds.forEach((kind, i) => {
    if (kind.members?.kind === 'deterministic' && kind.members.value === before) {
      out.push({ path: formatPath(['rooms', 'kinds', i, 'members']), message: messages.staleRoomSize(kind.members.value, s.population.users) });
    }
  });
  return out;
}

/** As `loadScenarioFile`, on text already read (`file` names it in messages). */
export function loadScenarioText(text: string, file: string, overrides: string[] = []): LoadedScenario {
  const json = parseJsonStrict(text, file);
  if (!json.ok) {
    const syntax = json.problems.some((p) => p.kind === 'syntax');
    const headline = syntax ? messages.jsonHeadline(file) : messages.jsonRefusedHeadline(file, json.problems.length);
    throw new ScenarioError(file, jsonProblems(json.problems), headline, 'scenario.json');
  }
  const { value, problems } = applyOverrides(json.value, overrides);
  const result = validateScenario(value);
  if (!result.ok) problems.push(...result.problems);
  if (problems.length > 0 || !result.ok) throw new ScenarioError(file, problems);
  const display = scenarioDisplay(result.scenario.name, result.scenario.description, overrides);
  const warnings = [...result.warnings, ...staleRoomSizes(json.value, result.scenario)];
  return {
    scenario: { ...result.scenario, description: display.description },
    display,
    source: file,
    raw: value,
    sha256: createHash('sha256').update(canonicalJson(value)).digest('hex'),
    warnings: warnings.map((w) => `${file}: ${formatWarning(w)}`),
  };
}
