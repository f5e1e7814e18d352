/**
 * Price catalogs: CSV files, one product per row, one schema per kind
 * (compute, storage, network, managed_postgres, saas, labour). This module
 * loads them: several files read into one `Catalogs`, with every problem of
 * every file in one CatalogError, the catalogs shipped in data/prices, and
 * the count of rows by status.
 *
 * The schema of each kind is in catalog-schema.ts, the reading of one file in
 * catalog-parse.ts, and the choice of rows (status and `--use`) in
 * catalog-select.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCatalog } from './catalog-parse.js';
import { CATALOG_KINDS, emptyCatalogs, type CatalogKind, type CatalogProblem, type CatalogRow, type Catalogs, type RowStatus } from './catalog-schema.js';
import { CatalogError } from './errors.js';

export function mergeCatalogs(parts: readonly Catalogs[]): Catalogs {
  const out = emptyCatalogs();
  for (const p of parts) {
    out.compute.push(...p.compute);
    out.storage.push(...p.storage);
    out.network.push(...p.network);
    out.managedPostgres.push(...p.managedPostgres);
    out.saas.push(...p.saas);
    out.labour.push(...p.labour);
    out.files.push(...p.files);
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
