/**
 * `--output table|json|csv|markdown`, shared by every command that prints
 * results (run, compare, cost, queue, validate). `table` is the text for
 * people (the default); `json` one JSON document; `csv` the command's main
 * result table with a header row, written by src/report/csv.ts (so no cell
 * runs as a spreadsheet formula); `markdown` the same table in Markdown.
 * Only the result goes to stdout: progress, warnings and notes go to stderr,
 * so stdout stays parseable. The documents and tables are described in
 * docs/OUTPUT.md ("Command-line output").
 */
import { Option } from 'commander';
import { toCsv, type Cell } from '../report/csv.js';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The `--output` option of a command; `table` describes what the default prints. */
export function outputOption(table = 'text for people'): Option {
  return new Option('--output <format>', `what stdout gets: table (${table}), json (one JSON document), csv (the result table with a header row) or markdown`)
    .choices(OUTPUT_FORMATS)
    .default('table');
}

/**
 * The format asked for: `--output`, or `json` for a command's older `--json`
 * flag when `--output` was left at its default (both given otherwise: a
 * usage error, from commander's `conflicts`).
 */
export function outputFormat(o: { output?: OutputFormat; json?: boolean }): OutputFormat {
  if (o.json === true) return 'json';
  return o.output ?? 'table';
}

/** A command's main result as a table: a header row and rows of cells. */
export interface ResultTable {
  header: readonly string[];
  rows: readonly (readonly Cell[])[];
}

/** One JSON document, indented, with a final newline. */
export function jsonDocument(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A Markdown cell: pipes escaped, line breaks as spaces, numbers as written. */
function markdownCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * A GitHub-flavoured Markdown table; columns whose every cell is a number are
 * right-aligned.
 * @example markdownTable({ header: ['a', 'n'], rows: [['x', 1]] }) // '| a | n |\n| --- | ---: |\n| x | 1 |\n'
 */
export function markdownTable(t: ResultTable): string {
  const numeric = t.header.map((_, j) => t.rows.length > 0 && t.rows.every((r) => typeof r[j] === 'number' || r[j] === null));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return (
    [
      line(t.header.map((h) => markdownCell(h))),
      line(numeric.map((n) => (n ? '---:' : '---'))),
      ...t.rows.map((r) => line(t.header.map((_, j) => markdownCell(r[j] ?? null)))),
    ].join('\n') + '\n'
  );
}

/** The table as CSV (src/report/csv.ts: RFC 4180, formula-neutral) or Markdown. */
export function renderTable(t: ResultTable, format: 'csv' | 'markdown'): string {
  return format === 'csv' ? toCsv(t.header, t.rows) : markdownTable(t);
}

/**
 * What a command prints on stdout for `format`: `table()` for people, the
 * JSON document, or the result table as CSV or Markdown. Each is computed
 * only when asked for.
 */
export function render(format: OutputFormat, views: { table: () => string; json: () => unknown; rows: () => ResultTable }): string {
  switch (format) {
    case 'table':
      return views.table();
    case 'json':
      return jsonDocument(views.json());
    case 'csv':
    case 'markdown':
      return renderTable(views.rows(), format);
  }
}
