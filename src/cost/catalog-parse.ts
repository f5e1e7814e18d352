/**
 * Reading one catalog file: CSV text in, typed rows out (the schema is in
 * catalog-schema.ts).
 *
 * Reading a catalog checks every row and reports every problem at once, each
 * as `FILE:LINE: column N (NAME): what is wrong` (a missing column is
 * reported on line 1, the header). The kind of a file is recognised from its
 * header, or per row from a `kind` column.
 */
import { parse } from 'csv-parse/sync';
import {
  CATALOG_KINDS,
  describeKinds,
  emptyCatalogs,
  HOURS_PER_MONTH,
  KINDS,
  LABOUR_USES,
  ROW_STATUSES,
  STORAGE_TYPES,
  type CatalogKind,
  type CatalogProblem,
  type CatalogRow,
  type Catalogs,
  type ComputeRow,
  type LabourRow,
  type NetworkRow,
  type PostgresRow,
  type RowBase,
  type RowStatus,
  type SaasRow,
  type StorageRow,
} from './catalog-schema.js';
import { isCurrency } from './currency.js';
import { costMessages as msg } from './messages.js';

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
