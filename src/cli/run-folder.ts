/**
 * A run folder read back (`mxsim cost RUN_DIR`, `mxsim compare`), trusted in
 * nothing: summary.json against its schema and version
 * (src/cost/summary-schema.ts), scenario.json against the scenario grammar
 * (src/scenario/validate.ts), and each CSV file a reader uses for the
 * columns it reads, every one of their cells a number, and as many rows as
 * the summary says. Every problem of every file is listed at once, each with
 * its path or FILE:LINE and the value as written in the file, in one
 * `run.invalid` error (exit 3); nothing is used until all of them pass.
 * Files are read with the size and nesting bounds of read-back.ts.
 */
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SUMMARY_VERSION } from '../analysis/summary-schema.js';
import type { RunSummary } from '../cost/run.js';
import { RunSummarySchema } from '../cost/summary-schema.js';
import { binCountFor } from '../engine/binned-stats.js';
import { MxsimError } from '../errors.js';
import { STORAGE_CATEGORIES } from '../model/metrics.js';
import { CLIENT_CSV_COLUMNS, REPLICATION_COLUMNS } from '../report/compare-inputs.js';
import type { Scenario } from '../scenario/grammar.js';
import { formatPath, formatProblem } from '../scenario/problem.js';
import { validateScenario } from '../scenario/validate.js';
import { cliMessages as msg } from './messages.js';
import { jsonValueTexts, MAX_READ_BACK_BYTES, parseJsonBack, readBack, type JsonPath } from './read-back.js';

/** Problems listed per file; the rest are counted. */
export const MAX_PROBLEMS_PER_FILE = 100;

/** What the summary says a table's rows must be. */
interface TableSpec {
  /** Columns a reader uses: each must be in the header, and each of its cells a number >= 0. */
  columns: readonly string[];
  /** A column whose value is the row's place among the data rows (0, 1, ...). */
  index?: string;
  rows(s: RunSummary): { count: number; why: string } | null;
}

/** The tables of a run folder that readers use (docs/OUTPUT.md). */
export const RUN_TABLES = {
  'data/replications.csv': {
    columns: Object.values(REPLICATION_COLUMNS),
    rows: (s) => ({ count: s.replications, why: msg.rowsPerReplication(s.replications) }),
  },
  'data/client.csv': {
    columns: CLIENT_CSV_COLUMNS,
    rows: (s) => {
      let count: number;
      try {
        count = binCountFor(s.binMinutes * 60, s.simulatedDays * 86400);
      } catch {
        // More bins than any file could hold: the size bound has refused it already, or its rows are counted wrong.
        return null;
      }
      return { count, why: msg.rowsPerBin(s.simulatedDays, s.binMinutes) };
    },
  },
  'data/storage-horizon.csv': {
    columns: ['month', 'users', ...STORAGE_CATEGORIES.map((c) => `${c}_bytes`), 'total_bytes'],
    index: 'month',
    rows: (s) => ({ count: s.storage.horizonMonths + 1, why: msg.rowsPerMonth(s.storage.horizonMonths) }),
  },
} as const satisfies Record<string, TableSpec>;
export type RunTable = keyof typeof RUN_TABLES;

export interface RunFolder {
  dir: string;
  summary: RunSummary;
  /** scenario.json, validated with its defaults filled; null when the folder has none or it was not asked for. */
  scenario: Scenario | null;
  /** Each table asked for, checked, as text; null when the folder does not have it. */
  tables: Partial<Record<RunTable, string | null>>;
}

/** One file's problems: a headline (or none, for a problem that is a whole line) and the problems, one a line. */
interface FileProblems {
  headline: string | null;
  problems: string[];
}

/** A run folder that is not what `mxsim run` writes: every problem of every file. */
export class RunFolderError extends MxsimError {
  constructor(readonly files: readonly FileProblems[]) {
    super('run.invalid', files.map(formatFileProblems).join('\n'));
    this.name = 'RunFolderError';
  }
}

function formatFileProblems(f: FileProblems): string {
  const shown = f.problems.slice(0, MAX_PROBLEMS_PER_FILE);
  if (f.problems.length > shown.length) shown.push(msg.moreProblems(f.problems.length - shown.length));
  return f.headline === null ? shown.join('\n') : [f.headline, ...shown.map((p) => `  ${p}`)].join('\n');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A file's text, or its one problem (missing, not a file, too large). */
function textOf(file: string): { text: string } | { missing: true } | { problem: FileProblems } {
  const r = readBack(file);
  if (r.kind === 'text') return { text: r.text };
  if (r.kind === 'missing') return { missing: true };
  return { problem: { headline: null, problems: [r.kind === 'too-large' ? msg.tooLarge(file, r.bytes, MAX_READ_BACK_BYTES) : msg.notAFile(file)] } };
}

/** JSON read back, or its one problem under `headline`. */
function jsonOf(file: string, headline: string): { text: string; value: unknown } | { missing: true } | { problem: FileProblems } {
  const read = textOf(file);
  if (!('text' in read)) return read;
  const parsed = parseJsonBack(read.text);
  if (!parsed.ok) return { problem: { headline, problems: [parsed.problem] } };
  return { text: read.text, value: parsed.value };
}

/** summary.json: its version first, then every field against the schema. */
export function readSummary(file: string): { summary: RunSummary } | { problem: FileProblems } {
  const headline = msg.summaryHeadline(file);
  const read = jsonOf(file, headline);
  if ('missing' in read) return { problem: { headline, problems: [msg.fieldProblem('(root)', msg.summaryFile(), msg.nothing())] } };
  if ('problem' in read) return read;
  const { text, value } = read;
  const asWritten = (paths: readonly JsonPath[]) => jsonValueTexts(text, paths);
  if (isPlainObject(value)) {
    const version = value['summaryVersion'];
    const writtenBy = typeof value['mxsim'] === 'string' ? value['mxsim'] : undefined;
    if (version === undefined) return { problem: { headline, problems: [msg.unversionedSummary(SUMMARY_VERSION, writtenBy)] } };
    // Another version: its other fields may mean anything, so they are not checked.
    if (typeof version === 'number' && Number.isInteger(version) && version !== SUMMARY_VERSION) {
      const got = asWritten([['summaryVersion']])(['summaryVersion']) ?? String(version);
      return { problem: { headline, problems: [msg.otherSummaryVersion(got, SUMMARY_VERSION, writtenBy)] } };
    }
  }
  const parsed = RunSummarySchema.safeParse(value);
  if (parsed.success) return { summary: parsed.data };
  const texts = asWritten(parsed.error.issues.map((i) => i.path));
  const problems = parsed.error.issues.map((i) => msg.fieldProblem(formatPath(i.path), i.message, texts(i.path) ?? msg.nothing()));
  return { problem: { headline, problems } };
}

/** scenario.json, validated as a scenario file is; null when there is none. */
export function readRunScenario(file: string): { scenario: Scenario | null } | { problem: FileProblems } {
  const headline = msg.scenarioHeadline(file);
  const read = jsonOf(file, headline);
  if ('missing' in read) return { scenario: null };
  if ('problem' in read) return read;
  if (!isPlainObject(read.value)) {
    const got = jsonValueTexts(read.text, [[]])([]) ?? msg.nothing();
    return { problem: { headline, problems: [msg.fieldProblem('(root)', msg.scenarioObject(), got)] } };
  }
  const result = validateScenario(read.value);
  return result.ok ? { scenario: result.scenario } : { problem: { headline, problems: result.problems.map(formatProblem) } };
}

const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * The problems of a table read back: its header has `spec.columns`, every
 * cell of them is a number >= 0 (and the index column counts the rows), each
 * row has the header's cells, and the rows are as many as `summary` says.
 */
export function tableProblems(file: string, text: string, spec: TableSpec, summary: RunSummary | null): string[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it ends in the file.
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    return [msg.csvInvalid(file, e instanceof Error ? e.message : String(e))];
  }
  const [head, ...rows] = records;
  if (head === undefined) return [msg.csvEmpty(file)];
  const header = head.record;
  const problems = spec.columns.filter((c) => !header.includes(c)).map((c) => msg.csvMissingColumn(file, c));
  const columns = spec.columns.map((name) => ({ name, at: header.indexOf(name) })).filter((c) => c.at >= 0);
  rows.forEach(({ record, info }, r) => {
    if (record.length !== header.length) problems.push(msg.csvCells(file, info.lines, record.length, header.length));
    for (const { name, at } of columns) {
      const cell = record[at] ?? '';
      const value = DECIMAL.test(cell) ? Number(cell) : NaN;
      if (!(Number.isFinite(value) && value >= 0)) problems.push(msg.csvCell(file, info.lines, at + 1, name, msg.csvNumber(), cell));
      else if (name === spec.index && value !== r) problems.push(msg.csvCell(file, info.lines, at + 1, name, msg.csvRowIndex(r), cell));
    }
  });
  const expected = summary === null ? null : spec.rows(summary);
  if (expected !== null && rows.length !== expected.count) problems.push(msg.csvRows(file, rows.length, expected.count, expected.why));
  return problems;
}

/**
 * Read a run folder: summary.json (which must be there: callers check it
 * first, to say what they expected), scenario.json when `scenario` is asked
 * for, and the `tables` asked for, each null when the folder lacks it.
 * Throws one RunFolderError with every problem of every file.
 */
export function readRunFolder(dir: string, want: { scenario?: boolean; tables?: readonly RunTable[] } = {}): RunFolder {
  const failed: FileProblems[] = [];
  const read = readSummary(join(dir, 'summary.json'));
  const summary = 'summary' in read ? read.summary : null;
  if ('problem' in read) failed.push(read.problem);
  let scenario: Scenario | null = null;
  if (want.scenario === true) {
    const s = readRunScenario(join(dir, 'scenario.json'));
    if ('problem' in s) failed.push(s.problem);
    else scenario = s.scenario;
  }
  const tables: RunFolder['tables'] = {};
  for (const name of want.tables ?? []) {
    const file = join(dir, name);
    const t = textOf(file);
    if ('problem' in t) failed.push(t.problem);
    else if ('missing' in t) tables[name] = null;
    else {
      const problems = tableProblems(file, t.text, RUN_TABLES[name], summary);
      if (problems.length > 0) failed.push({ headline: msg.tableHeadline(file), problems });
      else tables[name] = t.text;
    }
  }
  if (failed.length > 0 || summary === null) throw new RunFolderError(failed);
  return { dir, summary, scenario, tables };
}
