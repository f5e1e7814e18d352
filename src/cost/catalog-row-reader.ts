/**
 * One row of a catalog file read by column name: each cell checked against
 * its column's rule (a name, free text, a number in its range, a currency, a
 * boolean), every problem collected as `FILE:LINE: column N (NAME)` with the
 * cell as written. catalog-parse.ts reads a file with it, one row at a time.
 */
import type { CatalogProblem } from './catalog-schema.js';
import { isCurrency } from './currency.js';
import { costMessages as msg } from './messages.js';
import { inRange, parseDecimal, type NumberRange } from './range.js';

/** A C0 or C1 control character (tab and line breaks included): never in a name. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same but tab and line breaks, which free text (notes, source) may hold. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** Reads the cells of one row by column name, collecting problems. */
export class RowReader {
  constructor(
    private readonly file: string,
    readonly line: number,
    private readonly header: readonly string[],
    private readonly cells: readonly string[],
    private readonly problems: CatalogProblem[],
  ) {}

  has(name: string): boolean {
    return this.header.includes(name);
  }

  raw(name: string): string {
    const i = this.header.indexOf(name);
    return i < 0 ? '' : (this.cells[i] ?? '').trim();
  }

  problem(name: string, message: string): void {
    const i = this.header.indexOf(name);
    this.problems.push({ file: this.file, line: this.line, column: i < 0 ? null : i + 1, columnName: name, message });
  }

  /** Free text (notes, source, unit...): no control characters but tab and line breaks (an escape sequence would reach the terminal). */
  text(name: string): string {
    const v = this.raw(name);
    const control = TEXT_CONTROL.exec(v);
    if (control !== null) this.problem(name, msg.controlCharacter(control[0].codePointAt(0) ?? 0));
    return v;
  }

  /** True when the cell is not blank. */
  given(name: string): boolean {
    return this.raw(name) !== '';
  }

  /**
   * A name the reports and the terminal print (provider, region, instance,
   * plan...): no control characters, and not blank when `required`.
   */
  name(name: string, what: string, required = true): string {
    const v = this.raw(name);
    if (v === '' && required) this.problem(name, msg.missingValue(what));
    const control = CONTROL.exec(v);
    if (control !== null) this.problem(name, msg.controlCharacter(control[0].codePointAt(0) ?? 0));
    return v;
  }

  /** A number in `range`, or null when blank (a problem when `required`) or not such a number. */
  num(name: string, required: boolean, what: string, range: NumberRange): number | null {
    const v = this.raw(name);
    if (v === '') {
      if (required) this.problem(name, msg.missingValue(what));
      return null;
    }
    const n = parseDecimal(v);
    if (n === null) {
      this.problem(name, msg.expectedValue(what, v));
      return null;
    }
    if (!inRange(n, range)) {
      this.problem(name, msg.outOfRange(what, range, v));
      return null;
    }
    return n;
  }

  currency(name: string, required: boolean): string {
    const v = this.raw(name);
    if (v === '') {
      if (required) this.problem(name, msg.missingCurrency());
      return '';
    }
    if (!isCurrency(v)) {
      this.problem(name, msg.unknownCatalogCurrency(v));
      return '';
    }
    return v;
  }

  bool(name: string, required: boolean): boolean {
    const v = this.raw(name).toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    if (v === '' && !required) return false;
    this.problem(name, msg.expectedBoolean(this.raw(name)));
    return false;
  }

  oneOf<T extends string>(name: string, values: readonly [T, ...T[]], fallback: T | null): T {
    const v = this.raw(name).toLowerCase();
    if (v === '' && fallback !== null) return fallback;
    const hit = values.find((x) => x === v);
    if (hit !== undefined) return hit;
    this.problem(name, msg.expectedOneOf(values, this.raw(name)));
    return fallback ?? values[0];
  }

  /** One of `values` (lower-cased), or null when blank or not one of them (a problem). */
  oneOfOrNull<T extends string>(name: string, values: readonly [T, ...T[]]): T | null {
    const v = this.raw(name).toLowerCase();
    const hit = values.find((x) => x === v);
    if (hit === undefined) this.problem(name, msg.expectedOneOf(values, this.raw(name)));
    return hit ?? null;
  }
}
