/**
 * Price catalogs: CSV files, one product per row, one schema per kind
 * (compute, storage, network, managed_postgres, saas, labour). The columns of
 * each kind are documented in data/prices/README.md and listed in `KINDS`.
 *
 * Reading a catalog checks every row and reports every problem at once, each
 * as `FILE:LINE: column N (NAME): what is wrong` (a missing column is
 * reported on line 1, the header). The kind of a file is recognised from its
 * header, or per row from a `kind` column.
 *
 * Every row carries a `status`: `ok`, `placeholder`, `historical` or
 * `quote-only`. Only `ok` rows are used by default; the others are listed as
 * excluded and used only when the user names them (`selectRows`, `--use`).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { isCurrency } from './currency.js';
import { CatalogError } from './errors.js';
import { costMessages as msg } from './messages.js';

export const CATALOG_KINDS = ['compute', 'storage', 'network', 'managed_postgres', 'saas', 'labour'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

export const ROW_STATUSES = ['ok', 'placeholder', 'historical', 'quote-only'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

interface KindSpec {
  /** Columns that must be in the header. */
  required: readonly string[];
  /** Columns that may be in the header. */
  optional: readonly string[];
  /** Columns that, when present, say the file is of this kind. */
  signature: readonly string[];
}

const COMMON_TAIL = ['source', 'as_of'] as const;

/** The schema of each catalog kind (documented in data/prices/README.md). */
export const KINDS: Record<CatalogKind, KindSpec> = {
  compute: {
    required: ['provider', 'instance', 'vcpu', 'ram_gib', 'price_month', 'currency', 'vat_included', ...COMMON_TAIL],
    optional: ['region', 'price_hour', 'billing', 'status', 'notes'],
    signature: ['instance'],
  },
  storage: {
    required: ['provider', 'product', 'type', 'price_gib_month', 'currency', 'vat_included', ...COMMON_TAIL],
    optional: ['region', 'class', 'included_gib', 'base_month', 'tier_from_gib', 'status', 'notes'],
    signature: ['price_gib_month'],
  },
  network: {
    required: ['provider', 'product', 'price_gib', 'currency', 'vat_included', ...COMMON_TAIL],
    optional: ['region', 'free_gib_month', 'free_per', 'tier_from_gib', 'status', 'notes'],
    signature: ['price_gib', 'free_gib_month'],
  },
  managed_postgres: {
    required: ['provider', 'plan', 'vcpu', 'ram_gib', 'price_month', 'currency', 'vat_included', ...COMMON_TAIL],
    optional: ['region', 'item', 'price_hour', 'storage_gib', 'storage_price_gib_month', 'status', 'notes'],
    signature: ['storage_price_gib_month', 'storage_gib'],
  },
  saas: {
    required: ['vendor', 'plan', 'price_user_month', 'currency', 'billing', 'vat_included', ...COMMON_TAIL],
    optional: ['min_users', 'max_users', 'hosted_by', 'status', 'notes'],
    signature: ['vendor', 'price_user_month'],
  },
  labour: {
    required: ['item', 'use', 'value', 'unit', 'currency', ...COMMON_TAIL],
    optional: ['status', 'notes'],
    signature: ['use', 'unit'],
  },
};

/** Hours in a month of hourly billing (the convention of AWS, GCP and Azure). */
export const HOURS_PER_MONTH = 730;

/** Where a row came from. */
export interface RowOrigin {
  file: string;
  line: number;
}

interface RowBase extends RowOrigin {
  status: RowStatus;
  source: string;
  asOf: string;
  notes: string;
}

export interface ComputeRow extends RowBase {
  kind: 'compute';
  provider: string;
  region: string;
  instance: string;
  vcpu: number;
  ramGiB: number;
  priceHour: number | null;
  /** Null only for quote-only rows. */
  priceMonth: number | null;
  /** True when price_month was derived here as price_hour x 730. */
  monthDerived: boolean;
  currency: string;
  vatIncluded: boolean;
  billing: string;
}

export type StorageType = 'block' | 'object' | 'snapshot' | 'backup';
export const STORAGE_TYPES: readonly [StorageType, ...StorageType[]] = ['block', 'object', 'snapshot', 'backup'];

export interface StorageRow extends RowBase {
  kind: 'storage';
  provider: string;
  region: string;
  product: string;
  type: StorageType;
  /** ssd, hdd, standard, infrequent, archive or '' (unspecified). */
  class: string;
  priceGiBMonth: number | null;
  includedGiB: number;
  baseMonth: number;
  tierFromGiB: number;
  currency: string;
  vatIncluded: boolean;
}

export interface NetworkRow extends RowBase {
  kind: 'network';
  provider: string;
  region: string;
  product: string;
  priceGiB: number | null;
  freeGiBMonth: number;
  /** The free allowance is per account or per host. */
  freePer: 'account' | 'host';
  tierFromGiB: number;
  currency: string;
  vatIncluded: boolean;
}

export interface PostgresRow extends RowBase {
  kind: 'managed_postgres';
  provider: string;
  region: string;
  /** `instance`: a plan with vCPU and RAM; `storage`: the provider's storage price for its plans. */
  item: 'instance' | 'storage';
  plan: string;
  vcpu: number;
  ramGiB: number;
  priceMonth: number | null;
  monthDerived: boolean;
  /** Storage included in the plan (the plan cannot hold more), or null when billed separately. */
  storageGiB: number | null;
  storagePriceGiBMonth: number | null;
  currency: string;
  vatIncluded: boolean;
}

export interface SaasRow extends RowBase {
  kind: 'saas';
  vendor: string;
  plan: string;
  pricePerUserMonth: number | null;
  currency: string;
  billing: 'monthly' | 'annual' | 'unspecified';
  minUsers: number;
  maxUsers: number | null;
  hostedBy: 'vendor' | 'customer';
  vatIncluded: boolean;
}

export type LabourUse = 'wage' | 'loading' | 'hours' | 'cost' | 'staffing' | 'claim';
export const LABOUR_USES: readonly [LabourUse, ...LabourUse[]] = ['wage', 'loading', 'hours', 'cost', 'staffing', 'claim'];

export interface LabourRow extends RowBase {
  kind: 'labour';
  item: string;
  use: LabourUse;
  value: number;
  unit: string;
  currency: string;
}

export type CatalogRow = ComputeRow | StorageRow | NetworkRow | PostgresRow | SaasRow | LabourRow;

export interface Catalogs {
  compute: ComputeRow[];
  storage: StorageRow[];
  network: NetworkRow[];
  managedPostgres: PostgresRow[];
  saas: SaasRow[];
  labour: LabourRow[];
  /** Files read, with the kinds found in each. */
  files: { file: string; kinds: CatalogKind[]; rows: number }[];
}

export function emptyCatalogs(): Catalogs {
  return { compute: [], storage: [], network: [], managedPostgres: [], saas: [], labour: [], files: [] };
}

/** One problem in a catalog file. */
export interface CatalogProblem {
  file: string;
  line: number;
  /** 1-based column number, or null for a whole-row or whole-file problem. */
  column: number | null;
  columnName: string | null;
  message: string;
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** Reads the cells of one row by column name, collecting problems. */
class RowReader {
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

  text(name: string): string {
    return this.raw(name);
  }

  /** A non-negative number, or null when blank (a problem when `required`). */
  num(name: string, required: boolean, what = 'a number'): number | null {
    const v = this.raw(name);
    if (v === '') {
      if (required) this.problem(name, msg.missingValue(what));
      return null;
    }
    const n = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n)) {
      this.problem(name, msg.expectedValue(what, v));
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
}

function readBase(r: RowReader): RowBase & { status: RowStatus } {
  return {
    file: '',
    line: r.line,
    status: r.oneOf('status', ROW_STATUSES, 'ok'),
    source: r.text('source'),
    asOf: r.text('as_of'),
    notes: r.text('notes'),
  };
}

function readCompute(r: RowReader, base: RowBase): ComputeRow {
  const quote = base.status === 'quote-only';
  const priceHour = r.num('price_hour', false, 'a price per hour');
  const month = r.num('price_month', !quote && priceHour === null, 'a price per month (or price_hour)');
  return {
    ...base,
    kind: 'compute',
    provider: r.text('provider'),
    region: r.text('region'),
    instance: r.text('instance'),
    vcpu: r.num('vcpu', true, 'a vCPU count') ?? 0,
    ramGiB: r.num('ram_gib', true, 'RAM in GiB') ?? 0,
    priceHour,
    priceMonth: month ?? (priceHour !== null ? priceHour * HOURS_PER_MONTH : null),
    monthDerived: month === null && priceHour !== null,
    currency: r.currency('currency', !quote),
    vatIncluded: r.bool('vat_included', true),
    billing: r.text('billing'),
  };
}

function readStorage(r: RowReader, base: RowBase): StorageRow {
  const quote = base.status === 'quote-only';
  return {
    ...base,
    kind: 'storage',
    provider: r.text('provider'),
    region: r.text('region'),
    product: r.text('product'),
    type: r.oneOf('type', STORAGE_TYPES, null),
    class: r.text('class').toLowerCase(),
    priceGiBMonth: r.num('price_gib_month', !quote, 'a price per GiB-month'),
    includedGiB: r.num('included_gib', false, 'GiB') ?? 0,
    baseMonth: r.num('base_month', false, 'a price per month') ?? 0,
    tierFromGiB: r.num('tier_from_gib', false, 'GiB') ?? 0,
    currency: r.currency('currency', !quote),
    vatIncluded: r.bool('vat_included', true),
  };
}

function readNetwork(r: RowReader, base: RowBase): NetworkRow {
  const quote = base.status === 'quote-only';
  return {
    ...base,
    kind: 'network',
    provider: r.text('provider'),
    region: r.text('region'),
    product: r.text('product'),
    priceGiB: r.num('price_gib', !quote, 'a price per GiB'),
    freeGiBMonth: r.num('free_gib_month', false, 'GiB per month') ?? 0,
    freePer: r.oneOf('free_per', ['account', 'host'] as const, 'account'),
    tierFromGiB: r.num('tier_from_gib', false, 'GiB') ?? 0,
    currency: r.currency('currency', !quote),
    vatIncluded: r.bool('vat_included', true),
  };
}

function readPostgres(r: RowReader, base: RowBase): PostgresRow {
  const quote = base.status === 'quote-only';
  const item = r.oneOf('item', ['instance', 'storage'] as const, 'instance');
  const instance = item === 'instance';
  const priceHour = r.num('price_hour', false, 'a price per hour');
  const month = r.num('price_month', instance && !quote && priceHour === null, 'a price per month (or price_hour)');
  const storagePrice = r.num('storage_price_gib_month', !instance && !quote, 'a price per GiB-month');
  return {
    ...base,
    kind: 'managed_postgres',
    provider: r.text('provider'),
    region: r.text('region'),
    item,
    plan: r.text('plan'),
    vcpu: r.num('vcpu', instance, 'a vCPU count') ?? 0,
    ramGiB: r.num('ram_gib', instance, 'RAM in GiB') ?? 0,
    priceMonth: month ?? (priceHour !== null ? priceHour * HOURS_PER_MONTH : null),
    monthDerived: month === null && priceHour !== null,
    storageGiB: r.num('storage_gib', false, 'GiB'),
    storagePriceGiBMonth: storagePrice,
    currency: r.currency('currency', !quote),
    vatIncluded: r.bool('vat_included', true),
  };
}

function readSaas(r: RowReader, base: RowBase): SaasRow {
  const quote = base.status === 'quote-only';
  return {
    ...base,
    kind: 'saas',
    vendor: r.text('vendor'),
    plan: r.text('plan'),
    pricePerUserMonth: r.num('price_user_month', !quote, 'a price per user per month'),
    currency: r.currency('currency', !quote),
    billing: r.oneOf('billing', ['monthly', 'annual', 'unspecified'] as const, 'unspecified'),
    minUsers: r.num('min_users', false, 'a user count') ?? 0,
    maxUsers: r.num('max_users', false, 'a user count'),
    hostedBy: r.oneOf('hosted_by', ['vendor', 'customer'] as const, 'vendor'),
    vatIncluded: r.bool('vat_included', true),
  };
}

function readLabour(r: RowReader, base: RowBase): LabourRow {
  const unit = r.text('unit');
  const money = /^per (hour|year|month)$/.test(unit) || unit === 'one-off';
  return {
    ...base,
    kind: 'labour',
    item: r.text('item'),
    use: r.oneOf('use', LABOUR_USES, null),
    value: r.num('value', true, 'a number') ?? 0,
    unit,
    currency: r.currency('currency', money),
  };
}

const READERS: Record<CatalogKind, (r: RowReader, base: RowBase) => CatalogRow> = {
  compute: readCompute,
  storage: readStorage,
  network: readNetwork,
  managed_postgres: readPostgres,
  saas: readSaas,
  labour: readLabour,
};

/** The kind a header describes, or null; `missing` lists required columns absent. */
export function recognizeKind(header: readonly string[]): { kind: CatalogKind; missing: string[] } | null {
  let best: { kind: CatalogKind; missing: string[]; score: number } | null = null;
  for (const kind of CATALOG_KINDS) {
    const spec = KINDS[kind];
    if (!spec.signature.some((c) => header.includes(c))) continue;
    const missing = spec.required.filter((c) => !header.includes(c));
    const score = (spec.required.length - missing.length) / spec.required.length;
    if (!best || score > best.score) best = { kind, missing, score };
  }
  return best ? { kind: best.kind, missing: best.missing } : null;
}

/** Every kind with its required columns, for messages. */
export function describeKinds(): string {
  return CATALOG_KINDS.map((k) => `${k} (${KINDS[k].required.join(', ')})`).join('; ');
}

/** Line on which a record starts (csv-parse reports where it ends). */
function startLine(endLine: number, record: readonly string[]): number {
  let breaks = 0;
  for (const cell of record) for (const ch of cell) if (ch === '\n') breaks++;
  return endLine - breaks;
}

/**
 * Parse one catalog file's text. Problems are appended to `problems`; rows
 * with problems are left out of the result.
 */
export function parseCatalog(file: string, text: string, problems: CatalogProblem[]): Catalogs {
  const out = emptyCatalogs();
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    problems.push({ file, line: err.lines ?? 1, column: null, columnName: null, message: msg.notCsv(err.message ?? String(e)) });
    return out;
  }
  const [head, ...body] = records;
  if (head === undefined) {
    problems.push({ file, line: 1, column: null, columnName: null, message: msg.emptyCatalog(describeKinds()) });
    return out;
  }
  const header = head.record.map((h) => h.trim().toLowerCase());
  const headerLine = head.info.lines;
  const kindColumn = header.indexOf('kind');
  const fileKind = kindColumn >= 0 ? null : recognizeKind(header);
  if (kindColumn < 0 && fileKind === null) {
    problems.push({
      file,
      line: headerLine,
      column: null,
      columnName: null,
      message: msg.unknownHeader(header, describeKinds()),
    });
    return out;
  }
  const before = problems.length;
  const missingReported = new Set<CatalogKind>();
  const reportMissing = (kind: CatalogKind, missing: readonly string[]) => {
    if (missingReported.has(kind)) return;
    missingReported.add(kind);
    for (const name of missing) {
      problems.push({ file, line: headerLine, column: null, columnName: name, message: msg.missingColumn(kind, KINDS[kind].required) });
    }
  };
  if (fileKind && fileKind.missing.length > 0) reportMissing(fileKind.kind, fileKind.missing);
  const kinds = new Set<CatalogKind>();
  let rows = 0;
  for (const { record, info } of body) {
    const line = startLine(info.lines, record);
    if (record.every((c) => c.trim() === '')) continue;
    if (record.length !== header.length) {
      problems.push({ file, line, column: null, columnName: null, message: msg.fieldCount(record.length, header.length) });
      continue;
    }
    let kind: CatalogKind;
    if (fileKind !== null) {
      // No kind column: the header says what every row is.
      kind = fileKind.kind;
      if (fileKind.missing.length > 0) continue;
    } else {
      const k = (record[kindColumn] ?? '').trim().toLowerCase();
      const hit = CATALOG_KINDS.find((x) => x === k);
      if (!hit) {
        problems.push({ file, line, column: kindColumn + 1, columnName: 'kind', message: msg.unknownRowKind(record[kindColumn] ?? '', CATALOG_KINDS) });
        continue;
      }
      kind = hit;
      const missing = KINDS[kind].required.filter((c) => !header.includes(c));
      if (missing.length > 0) {
        reportMissing(kind, missing);
        continue;
      }
    }
    const rowProblems: CatalogProblem[] = [];
    const reader = new RowReader(file, line, header, record, rowProblems);
    const base = { ...readBase(reader), file, line };
    const row = READERS[kind](reader, base);
    problems.push(...rowProblems.sort((a, b) => (a.column ?? 0) - (b.column ?? 0)));
    if (rowProblems.length > 0) continue;
    kinds.add(kind);
    rows++;
    addRow(out, row);
  }
  if (problems.length === before || rows > 0) out.files.push({ file, kinds: [...kinds], rows });
  return out;
}

function addRow(c: Catalogs, row: CatalogRow): void {
  switch (row.kind) {
    case 'compute':
      c.compute.push(row);
      break;
    case 'storage':
      c.storage.push(row);
      break;
    case 'network':
      c.network.push(row);
      break;
    case 'managed_postgres':
      c.managedPostgres.push(row);
      break;
    case 'saas':
      c.saas.push(row);
      break;
    case 'labour':
      c.labour.push(row);
      break;
  }
}

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
