/**
 * Which catalog rows a cost estimate uses: rows of status `ok`, and the
 * others only when the user names them with `--use` (`FILE:LINE`, a provider
 * or vendor, or `NAME/PRODUCT`); every row left out is listed with the
 * reason.
 */
import { basename } from 'node:path';
import type { CatalogRow, RowStatus } from './catalog-schema.js';

/** The product name of a row (instance, product, plan or item). */
export function rowProduct(row: CatalogRow): string {
  switch (row.kind) {
    case 'compute':
      return row.instance;
    case 'storage':
    case 'network':
      return row.product;
    case 'managed_postgres':
    case 'saas':
      return row.plan;
    case 'labour':
      return row.item;
  }
}

/** The provider or vendor of a row ('' for labour). */
export function rowOwner(row: CatalogRow): string {
  if (row.kind === 'saas') return row.vendor;
  if (row.kind === 'labour') return '';
  return row.provider;
}

/**
 * Does a `--use` selector name this row? Selectors: `FILE:LINE` (the file's
 * path or base name), `NAME` (a provider or vendor: all its rows) or
 * `NAME/PRODUCT` (instance, product or plan), case-insensitive.
 */
export function selectorMatches(selector: string, row: CatalogRow): boolean {
  const s = selector.trim();
  const [, f, l] = /^(.+):(\d+)$/.exec(s) ?? [];
  if (f !== undefined && l !== undefined) {
    return Number(l) === row.line && (row.file === f || basename(row.file) === basename(f));
  }
  const lower = s.toLowerCase();
  const owner = rowOwner(row).toLowerCase();
  const slash = lower.indexOf('/');
  if (slash < 0) return owner !== '' && owner === lower;
  return owner === lower.slice(0, slash) && rowProduct(row).toLowerCase() === lower.slice(slash + 1);
}

/** A row left out, for the report. */
export interface ExcludedRow {
  file: string;
  line: number;
  reason: string;
  status: RowStatus;
  /** Kind, owner and product, e.g. "compute Hetzner / CX22". */
  what: string;
}

/**
 * Keep `ok` rows and rows named by a selector; list the others as excluded.
 * Quote-only rows have no price and stay out even when named (with a note).
 */
export function selectRows<T extends CatalogRow>(rows: readonly T[], use: readonly string[], excluded: ExcludedRow[]): T[] {
  const kept: T[] = [];
  for (const row of rows) {
    if (row.status === 'ok') {
      kept.push(row);
      continue;
    }
    const named = use.some((s) => selectorMatches(s, row));
    const what = `${row.kind} ${[rowOwner(row), rowProduct(row)].filter((x) => x !== '').join(' / ')}`;
    if (named && row.status !== 'quote-only') {
      kept.push(row);
      continue;
    }
    const reason =
      row.status === 'quote-only'
        ? `${what}: quote-only (no published price)${named ? '; named with --use but has no price to use' : ''}`
        : `${what}: ${row.status}${row.notes ? ` (${row.notes})` : ''}; use it with --use ${basename(row.file)}:${row.line}`;
    excluded.push({ file: row.file, line: row.line, reason, status: row.status, what });
  }
  return kept;
}
