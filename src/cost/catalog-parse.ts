/**
 * Reading one catalog file: CSV text in, typed rows out (the schema is in
 * catalog-schema.ts).
 *
 * Reading a catalog checks every row and reports every problem at once, each
 * as `FILE:LINE: column N (NAME): what is wrong` (a missing, unknown or
 * repeated column is reported on line 1, the header). The kind of a file is
 * recognised from its header, or per row from a `kind` column. What a
 * catalog may hold (size, columns, the range of each value) is set out in
 * catalog-schema.ts.
 */
import { parse } from 'csv-parse/sync';
import { closest } from '../scenario/suggest.js';
import {
  CATALOG_KINDS,
  describeKinds,
  emptyCatalogs,
  HOURS_PER_MONTH,
  KINDS,
  LABOUR_USE_RULES,
  LABOUR_USES,
  MAX_CATALOG_BYTES,
  MAX_CATALOG_COLUMNS,
  MAX_CATALOG_ROWS,
  MAX_PRICE,
  RANGES,
  ROW_STATUSES,
  STORAGE_CLASSES,
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
import { costMessages as msg } from './messages.js';
import { type NumberRange } from './range.js';

import { RowReader } from './catalog-row-reader.js';

/**
 * The fields every row has. The readers below copy them into their row one
 * by one: an object literal that spreads `...base` before a dozen more
 * properties is built slowly by V8, which made reading a 150,000-row catalog
 * about four times slower.
 */
function readBase(r: RowReader, file: string): RowBase & { status: RowStatus } {
  return {
    file,
    line: r.line,
    status: r.oneOf('status', ROW_STATUSES, 'ok'),
    source: r.text('source'),
    asOf: r.text('as_of'),
    notes: r.text('notes'),
  };
}

function readCompute(r: RowReader, base: RowBase): ComputeRow {
  const quote = base.status === 'quote-only';
  const priceHour = r.num('price_hour', false, 'a price per hour', RANGES.unitPrice);
  const month = r.num('price_month', !quote && !r.given('price_hour'), 'a price per month (or price_hour)', RANGES.unitPrice);
  return {
    file: base.file,
    line: base.line,
    status: base.status,
    source: base.source,
    asOf: base.asOf,
    notes: base.notes,
    kind: 'compute',
    provider: r.name('provider', 'a provider name'),
    region: r.name('region', 'a region', false),
    instance: r.name('instance', 'an instance name'),
    vcpu: r.num('vcpu', true, 'a vCPU count', RANGES.vcpu) ?? 0,
    ramGiB: r.num('ram_gib', true, 'RAM in GiB', RANGES.ramGiB) ?? 0,
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
    file: base.file,
    line: base.line,
    status: base.status,
    source: base.source,
    asOf: base.asOf,
    notes: base.notes,
    kind: 'storage',
    provider: r.name('provider', 'a provider name'),
    region: r.name('region', 'a region', false),
    product: r.name('product', 'a product name'),
    type: r.oneOf('type', STORAGE_TYPES, null),
    class: r.given('class') ? (r.oneOfOrNull('class', STORAGE_CLASSES) ?? '') : '',
    priceGiBMonth: r.num('price_gib_month', !quote, 'a price per GiB-month', RANGES.gibPrice),
    includedGiB: r.num('included_gib', false, 'GiB', RANGES.gib) ?? 0,
    baseMonth: r.num('base_month', false, 'a price per month', RANGES.gibPrice) ?? 0,
    tierFromGiB: r.num('tier_from_gib', false, 'GiB', RANGES.gib) ?? 0,
    currency: r.currency('currency', !quote),
    vatIncluded: r.bool('vat_included', true),
  };
}

function readNetwork(r: RowReader, base: RowBase): NetworkRow {
  const quote = base.status === 'quote-only';
  return {
    file: base.file,
    line: base.line,
    status: base.status,
    source: base.source,
    asOf: base.asOf,
    notes: base.notes,
    kind: 'network',
    provider: r.name('provider', 'a provider name'),
    region: r.name('region', 'a region', false),
    product: r.name('product', 'a product name'),
    priceGiB: r.num('price_gib', !quote, 'a price per GiB', RANGES.gibPrice),
    freeGiBMonth: r.num('free_gib_month', false, 'GiB per month', RANGES.gib) ?? 0,
    freePer: r.oneOf('free_per', ['account', 'host'] as const, 'account'),
    tierFromGiB: r.num('tier_from_gib', false, 'GiB', RANGES.gib) ?? 0,
    currency: r.currency('currency', !quote),
    vatIncluded: r.bool('vat_included', true),
  };
}

function readPostgres(r: RowReader, base: RowBase): PostgresRow {
  const quote = base.status === 'quote-only';
  const item = r.oneOf('item', ['instance', 'storage'] as const, 'instance');
  const instance = item === 'instance';
  const priceHour = r.num('price_hour', false, 'a price per hour', RANGES.unitPrice);
  const month = r.num('price_month', instance && !quote && !r.given('price_hour'), 'a price per month (or price_hour)', RANGES.unitPrice);
  const storagePrice = r.num('storage_price_gib_month', !instance && !quote, 'a price per GiB-month', RANGES.gibPrice);
  return {
    file: base.file,
    line: base.line,
    status: base.status,
    source: base.source,
    asOf: base.asOf,
    notes: base.notes,
    kind: 'managed_postgres',
    provider: r.name('provider', 'a provider name'),
    region: r.name('region', 'a region', false),
    item,
    plan: r.name('plan', 'a plan name'),
    vcpu: r.num('vcpu', instance, 'a vCPU count', RANGES.vcpu) ?? 0,
    ramGiB: r.num('ram_gib', instance, 'RAM in GiB', RANGES.ramGiB) ?? 0,
    priceMonth: month ?? (priceHour !== null ? priceHour * HOURS_PER_MONTH : null),
    monthDerived: month === null && priceHour !== null,
    storageGiB: r.num('storage_gib', false, 'GiB included in the plan', RANGES.planStorageGiB),
    storagePriceGiBMonth: storagePrice,
    currency: r.currency('currency', !quote),
    vatIncluded: r.bool('vat_included', true),
  };
}

function readSaas(r: RowReader, base: RowBase): SaasRow {
  const quote = base.status === 'quote-only';
  const minUsers = r.num('min_users', false, 'a user count', RANGES.minUsers) ?? 0;
  const maxUsers = r.num('max_users', false, 'a user count', RANGES.maxUsers);
  if (maxUsers !== null && maxUsers < minUsers) r.problem('max_users', msg.maxBelowMin(r.raw('max_users'), r.raw('min_users')));
  return {
    file: base.file,
    line: base.line,
    status: base.status,
    source: base.source,
    asOf: base.asOf,
    notes: base.notes,
    kind: 'saas',
    vendor: r.name('vendor', 'a vendor name'),
    plan: r.name('plan', 'a plan name'),
    pricePerUserMonth: r.num('price_user_month', !quote, 'a price per user per month', RANGES.unitPrice),
    currency: r.currency('currency', !quote),
    billing: r.oneOf('billing', ['monthly', 'annual', 'unspecified'] as const, 'unspecified'),
    minUsers,
    maxUsers,
    hostedBy: r.oneOf('hosted_by', ['vendor', 'customer'] as const, 'vendor'),
    vatIncluded: r.bool('vat_included', true),
  };
}

/** The value of a labour row whose use is not known: anything a row of a known use may hold. */
const ANY_LABOUR_VALUE: NumberRange = { min: 0, max: MAX_PRICE };

function readLabour(r: RowReader, base: RowBase): LabourRow {
  const unit = r.text('unit');
  const money = /^per (hour|year|month)$/.test(unit) || unit === 'one-off';
  const use = r.oneOfOrNull('use', LABOUR_USES);
  const rule = use === null ? null : LABOUR_USE_RULES[use];
  if (use !== null && rule?.units && !rule.units.includes(unit)) r.problem('unit', msg.labourUnit(use, rule.units, unit));
  return {
    file: base.file,
    line: base.line,
    status: base.status,
    source: base.source,
    asOf: base.asOf,
    notes: base.notes,
    kind: 'labour',
    item: r.name('item', 'an item name'),
    use: use ?? LABOUR_USES[0],
    value:
      r.num('value', true, use === 'wage' ? 'a wage' : use === 'loading' ? 'a loading' : use === 'hours' ? 'hours per month' : 'a number', rule?.range ?? ANY_LABOUR_VALUE) ?? 0,
    unit,
    currency: r.currency('currency', money),
    region: r.name('region', 'a region', false),
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

/** Every column of every kind, and `kind`: the columns a file with a `kind` column may have. */
const EVERY_COLUMN: readonly string[] = ['kind', ...new Set(CATALOG_KINDS.flatMap((k) => [...KINDS[k].required, ...KINDS[k].optional]))];

/** The columns a header may have: its kind's, or every kind's when rows name their kind. */
function knownColumns(kind: CatalogKind | null): readonly string[] {
  return kind === null ? EVERY_COLUMN : [...KINDS[kind].required, ...KINDS[kind].optional];
}

/** Problems of the header's names: unnamed, unknown (with the closest known name) or repeated columns. */
function headerProblems(file: string, line: number, header: readonly string[], known: readonly string[]): CatalogProblem[] {
  const out: CatalogProblem[] = [];
  const first = new Map<string, number>();
  header.forEach((name, i) => {
    const at = (message: string) => out.push({ file, line, column: i + 1, columnName: name, message });
    if (name === '') at(msg.unnamedColumn());
    else if (!known.includes(name)) at(msg.unknownColumn(closest(name, known), known));
    const seen = first.get(name);
    if (seen === undefined) first.set(name, i + 1);
    else if (name !== '') at(msg.repeatedColumn(seen, i + 1));
  });
  return out;
}

/** Is a text over MAX_CATALOG_BYTES in UTF-8? Its bytes are counted only when its length leaves it in doubt. */
function tooLarge(text: string): boolean {
  // A UTF-16 code unit is at least one UTF-8 byte, so a long enough text is too large without counting.
  return text.length > MAX_CATALOG_BYTES || Buffer.byteLength(text, 'utf8') > MAX_CATALOG_BYTES;
}

/**
 * Does a CSV text have more than `limit` records? Counts lines that are not
 * empty, outside quoted fields, and stops at `limit + 1`: a quick bound
 * before csv-parse reads every record (a record of the wrong length costs it
 * an exception object). A file of lone carriage returns counts as one line;
 * the count after parsing catches it.
 */
function moreRecordsThan(text: string, limit: number): boolean {
  let records = 0;
  let quoted = false;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    if (!quoted && c === 0x0a) {
      if (!empty && ++records > limit) return true;
      empty = true;
    } else if (c !== 0x0d) {
      empty = false;
    }
  }
  return !empty && records + 1 > limit;
}

/**
 * Parse one catalog file's text. Problems are appended to `problems`; rows
 * with problems are left out of the result. A text over MAX_CATALOG_BYTES,
 * or with more than MAX_CATALOG_ROWS rows or MAX_CATALOG_COLUMNS columns, is
 * refused whole.
 */
export function parseCatalog(file: string, text: string, problems: CatalogProblem[]): Catalogs {
  const out = emptyCatalogs();
  if (tooLarge(text)) {
    problems.push({ file, line: 1, column: null, columnName: null, message: msg.catalogTooLarge(MAX_CATALOG_BYTES, MAX_CATALOG_ROWS) });
    return out;
  }
  // The header and MAX_CATALOG_ROWS rows.
  if (moreRecordsThan(text, MAX_CATALOG_ROWS + 1)) {
    problems.push({ file, line: 1, column: null, columnName: null, message: msg.tooManyRows(MAX_CATALOG_ROWS) });
    return out;
  }
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
  if (header.length > MAX_CATALOG_COLUMNS) {
    problems.push({ file, line: headerLine, column: null, columnName: null, message: msg.tooManyColumns(header.length, MAX_CATALOG_COLUMNS) });
    return out;
  }
  if (body.length > MAX_CATALOG_ROWS) {
    problems.push({ file, line: headerLine, column: null, columnName: null, message: msg.tooManyRows(MAX_CATALOG_ROWS) });
    return out;
  }
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
  for (const p of headerProblems(file, headerLine, header, knownColumns(fileKind?.kind ?? null))) problems.push(p);
  // A header and nothing under it adds no price: a file cut short, or the wrong file.
  if (body.length === 0) problems.push({ file, line: headerLine, column: null, columnName: null, message: msg.noRows() });
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
    const base = readBase(reader, file);
    const row = READERS[kind](reader, base);
    for (const p of rowProblems.sort((a, b) => (a.column ?? 0) - (b.column ?? 0))) problems.push(p);
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
