/**
 * CSV text from rows: RFC 4180 quoting where a field needs it, whole numbers
 * exact and others rounded to six significant digits (docs/OUTPUT.md), and
 * no cell a spreadsheet would run as a formula. Every CSV file mxsim writes
 * goes through `toCsv`.
 */
import { roundSignificant } from '../numeric/index.js';

export type Cell = string | number | null;

/**
 * Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets)
 * read a text cell as a formula or a command: `=`, `+`, `-`, `@`, a tab or a
 * carriage return first (OWASP, "CSV Injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made inert: one that a spreadsheet would evaluate gets a
 * leading apostrophe, which spreadsheets show as text and do not run.
 * Numbers are written as numbers, so a negative number stays a number.
 * @example neutralise('=HYPERLINK("x")') // "'=HYPERLINK(\"x\")"
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function field(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number.isInteger(v) ? v : roundSignificant(v, 6)) : '';
  const safe = neutralise(v);
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** @example toCsv(['a', 'b'], [[1, 'x,y']]) // 'a,b\n1,"x,y"\n' */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}
