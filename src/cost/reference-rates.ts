/**
 * Reference exchange rates shipped with mxsim (data/prices/exchange_rates.csv):
 * the ECB euro reference rates of one stated date, 1 EUR = `rate` CURRENCY.
 * They let every provider be priced in the report currency without a
 * `--rate`; currency.ts (RateBook) uses them only for a pair no user rate
 * covers, converts between two non-euro currencies through EUR (a cross
 * rate, said so in the report), and names the rate and its date wherever it
 * was used. `--no-default-rates` (CostOptions.defaultRates false) leaves them
 * out.
 *
 * The file: columns base, currency, rate, source, as_of, status (optional,
 * default ok), notes (optional); base is EUR on every row; one row per
 * currency; rates are plain decimals in RATE_RANGE. Every problem is listed
 * at once as FILE:LINE: column N (NAME) (CatalogError, exit 3).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { CatalogProblem, ReferenceRate } from './catalog-schema.js';
import { RowReader } from './catalog-row-reader.js';
import { CatalogError } from './errors.js';
import { costMessages as msg } from './messages.js';

/** The base currency of the reference rates. */
export const REFERENCE_BASE = 'EUR';

export type { ReferenceRate };

const COLUMNS = ['base', 'currency', 'rate', 'source', 'as_of', 'status', 'notes'] as const;
const REQUIRED = ['base', 'currency', 'rate', 'source', 'as_of'] as const;

/**
 * Parse an exchange-rate file; throws CatalogError listing every problem.
 * Rows of a status other than `ok` are not used.
 * @example parseReferenceRates('rates.csv', 'base,currency,rate,source,as_of\nEUR,USD,1.1534,ECB,2026-08-13\n')[0].rate // 1.1534
 */
export function parseReferenceRates(file: string, text: string): ReferenceRate[] {
  const problems: CatalogProblem[] = [];
  let records: string[][];
  try {
    const parsed: unknown = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
    records = parsed as string[][];
  } catch (e) {
    throw new CatalogError([{ file, line: 1, column: null, columnName: null, message: e instanceof Error ? e.message : String(e) }]);
  }
  const [header = [], ...rows] = records;
  const names = header.map((h) => h.trim().toLowerCase());
  for (const [i, n] of names.entries()) {
    if (!(COLUMNS as readonly string[]).includes(n)) problems.push({ file, line: 1, column: i + 1, columnName: n, message: msg.referenceRateColumn(n, COLUMNS) });
  }
  for (const r of REQUIRED) if (!names.includes(r)) problems.push({ file, line: 1, column: null, columnName: r, message: msg.referenceRateMissingColumn(r) });
  if (problems.length > 0) throw new CatalogError(problems);
  const out: ReferenceRate[] = [];
  const seen = new Set<string>();
  rows.forEach((cells, i) => {
    const line = i + 2;
    const r = new RowReader(file, line, names, cells, problems);
    const base = r.currency('base', true);
    const currency = r.currency('currency', true);
    const rate = r.num('rate', true, 'a rate (1 EUR = RATE CURRENCY)', { min: 1e-6, max: 1e6 });
    const source = r.text('source');
    const asOf = r.text('as_of');
    r.text('notes');
    const status = r.raw('status') || 'ok';
    if (base !== '' && base !== REFERENCE_BASE) r.problem('base', msg.referenceRateBase(base, REFERENCE_BASE));
    if (currency === REFERENCE_BASE) r.problem('currency', msg.referenceRateSelf(currency));
    if (source === '') r.problem('source', msg.referenceRateBlank('source'));
    if (asOf === '') r.problem('as_of', msg.referenceRateBlank('as_of'));
    if (seen.has(currency)) r.problem('currency', msg.referenceRateRepeated(currency));
    seen.add(currency);
    if (status === 'ok' && rate !== null && currency !== '' && base === REFERENCE_BASE) out.push({ base, currency, rate, source, asOf, file, line });
  });
  if (problems.length > 0) throw new CatalogError(problems);
  return out;
}

/** The shipped file's name, as reports name it. */
export const DEFAULT_EXCHANGE_RATES_FILE = 'data/prices/exchange_rates.csv';

/** The shipped reference rates (data/prices/exchange_rates.csv). */
export function readDefaultReferenceRates(): ReferenceRate[] {
  const path = new URL('../../data/prices/exchange_rates.csv', import.meta.url);
  return parseReferenceRates(DEFAULT_EXCHANGE_RATES_FILE, readFileSync(path, 'utf8'));
}
