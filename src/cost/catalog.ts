/**
 * Price catalogs: CSV files, one product per row, one schema per kind
 * (compute, storage, network, managed_postgres, saas, labour). This module
 * loads them: several files read into one `Catalogs`, with every problem of
 * every file in one CatalogError, the catalogs shipped in data/prices, a
 * user's catalog file read no further than a catalog may be long, and the
 * count of rows by status.
 *
 * The schema of each kind is in catalog-schema.ts, the reading of one file in
 * catalog-parse.ts, and the choice of rows (status and `--use`) in
 * catalog-select.ts.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCatalog } from './catalog-parse.js';
import { CATALOG_KINDS, emptyCatalogs, MAX_CATALOG_BYTES, type CatalogKind, type CatalogProblem, type CatalogRow, type Catalogs, type RowStatus } from './catalog-schema.js';
import { firstInvalidUtf8 } from '../numeric/index.js';
import { CatalogError } from './errors.js';
import { costMessages } from './messages.js';

/** `items` appended to `to` one by one: spreading a long array into push() overflows the stack. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

export function mergeCatalogs(parts: readonly Catalogs[]): Catalogs {
  const out = emptyCatalogs();
  for (const p of parts) {
    append(out.compute, p.compute);
    append(out.storage, p.storage);
    append(out.network, p.network);
    append(out.managedPostgres, p.managedPostgres);
    append(out.saas, p.saas);
    append(out.labour, p.labour);
    append(out.files, p.files);
    if (p.exchangeRates) out.exchangeRates = [...(out.exchangeRates ?? []), ...p.exchangeRates];
  }
  return out;
}

/**
 * Parse several catalog texts; throws CatalogError listing every problem in
 * every file.
 * @example loadCatalogs([{ file: 'mine.csv', text: readFileSync('mine.csv', 'utf8') }])
 */
export function loadCatalogs(files: readonly { file: string; text: string }[]): Catalogs {
  const problems: CatalogProblem[] = [];
  const parts = files.map((f) => parseCatalog(f.file, f.text, problems));
  if (problems.length > 0) throw new CatalogError(problems);
  return mergeCatalogs(parts);
}

/**
 * A catalog file's text, read no further than one byte past
 * MAX_CATALOG_BYTES: a larger file (or an endless stream) yields a text that
 * parseCatalog refuses as too large, without reading the rest. Throws what
 * the file system throws (no such file, a folder, no permission).
 */
export function readCatalogFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let bytes = 0;
    while (bytes <= MAX_CATALOG_BYTES) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, MAX_CATALOG_BYTES + 1 - bytes));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      bytes += n;
    }
    const all = Buffer.concat(chunks);
    // Bytes that are not UTF-8 would become U+FFFD in a provider's name without a word.
    const bad = firstInvalidUtf8(all.subarray(0, Math.min(all.length, MAX_CATALOG_BYTES)));
    if (bad >= 0) {
      let line = 1;
      let lineStart = 0;
      for (let i = 0; i < bad; i++) {
        if (all[i] === 0x0a) {
          line++;
          lineStart = i + 1;
        }
      }
      throw new CatalogError([{ file: path, line, column: null, columnName: null, message: costMessages.notUtf8(all[bad] ?? 0, bad - lineStart + 1) }]);
    }
    return all.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The shipped catalogs' folder (data/prices at the package root). */
export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL('../../data/prices/', import.meta.url));

export const DEFAULT_CATALOG_FILES = ['compute.csv', 'storage.csv', 'network.csv', 'managed_postgres.csv', 'saas.csv', 'labour.csv'] as const;

/** Read the shipped catalogs; rows are named `data/prices/<file>`. */
export function readDefaultCatalogTexts(): { file: string; text: string }[] {
  return DEFAULT_CATALOG_FILES.map((f) => ({ file: `data/prices/${f}`, text: readFileSync(`${DEFAULT_CATALOG_DIR}${f}`, 'utf8') }));
}

/** Counts by status of every row in the catalogs, per kind (for the report and README). */
export function statusCounts(c: Catalogs): Record<CatalogKind, Record<RowStatus, number>> {
  const out = {} as Record<CatalogKind, Record<RowStatus, number>>;
  const lists: Record<CatalogKind, readonly CatalogRow[]> = {
    compute: c.compute,
    storage: c.storage,
    network: c.network,
    managed_postgres: c.managedPostgres,
    saas: c.saas,
    labour: c.labour,
  };
  for (const k of CATALOG_KINDS) {
    const counts = { ok: 0, placeholder: 0, historical: 0, 'quote-only': 0 } as Record<RowStatus, number>;
    for (const r of lists[k]) counts[r.status]++;
    out[k] = counts;
  }
  return out;
}
