/**
 * The schema of the price catalogs: the kinds (compute, storage, network,
 * managed_postgres, saas, labour) with the columns of each, the statuses a
 * row may have, the typed row of each kind, and the problems reading them can
 * find. The columns of each kind are documented in data/prices/README.md and
 * listed in `KINDS`.
 *
 * Every row carries a `status`: `ok`, `placeholder`, `historical` or
 * `quote-only`. Only `ok` rows are used by default; the others are listed as
 * excluded and used only when the user names them (catalog-select.ts).
 *
 * What a catalog may hold (catalog-parse.ts refuses the rest, each problem
 * as FILE:LINE: column N (NAME) with the value as written):
 * - a file: at most `MAX_CATALOG_BYTES` (20 MiB) and `MAX_CATALOG_ROWS`
 *   (200,000) rows after the header, whose columns are each named once and
 *   are all columns of its kind (of any kind with a `kind` column): an
 *   unknown column is refused, with the known name it is closest to;
 * - names (provider, instance, product, plan, vendor, item): not blank; they
 *   and `region` hold no control characters, and other text (notes, source)
 *   none but tab and line breaks (all are printed on terminals and in
 *   reports);
 * - numbers: plain decimals in the ranges of `RANGES` below, which keep every
 *   product and quotient the cost model forms with them finite and
 *   meaningful: vcpu and ram_gib divide the need into hosts (host-picking.ts),
 *   so they are greater than 0; a host, plan or seat costs something, so its
 *   price is greater than 0 (a row without a price is `quote-only`); a price
 *   per GiB and a base fee may be 0 (included); GiB quantities are at most
 *   `MAX_GIB`; user counts are whole; max_users is at least min_users;
 * - labour rows: the value's range and unit depend on `use`
 *   (`LABOUR_USE_RULES`): a wage is a price per hour or per year, a loading a
 *   multiple of the wage from 1 to 10, the base hours at most the 744 hours of
 *   a 31-day month;
 * - storage `class`: one of `STORAGE_CLASSES` or blank.
 */
import type { NumberRange } from './range.js';

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
    optional: ['region', 'status', 'notes'],
    signature: ['use', 'unit'],
  },
};

/** Hours in a month of hourly billing (the convention of AWS, GCP and Azure). */
export const HOURS_PER_MONTH = 730;

/** The largest catalog file read, in bytes (20 MiB: a 200,000-row compute catalog is about 13 MiB). */
export const MAX_CATALOG_BYTES = 20 * 1024 * 1024;
/** The most rows a catalog file may have after its header. */
export const MAX_CATALOG_ROWS = 200_000;
/** The most columns a header may have: more than every kind's columns together, so only a broken header has more. */
export const MAX_CATALOG_COLUMNS = 100;

/** The largest price per unit (hour, month, GiB, GiB-month, user-month), in any currency: a bound against typos and overflow. */
export const MAX_PRICE = 1e10;
/** The largest quantity of GiB a row may state (about 1 EiB). */
export const MAX_GIB = 1e9;
/** The largest user count a row may state. */
export const MAX_USERS = 1e9;
/** Hours in a 31-day month: the most the base operations hours of one tool (the labour `hours` row) may be. */
export const HOURS_IN_LONGEST_MONTH = 744;

/** The range of every numeric column (see the module's header). */
export const RANGES = {
  /** vcpu: a vCPU count; fractions for shared-core instances. */
  vcpu: { min: 0.01, max: 4096 },
  /** ram_gib. */
  ramGiB: { min: 0.01, max: 65_536 },
  /** price_month, price_hour of an instance or plan, price_user_month: greater than 0. */
  unitPrice: { min: 0, above: true, max: MAX_PRICE },
  /** price_gib_month, price_gib, storage_price_gib_month, base_month: 0 when included. */
  gibPrice: { min: 0, max: MAX_PRICE },
  /** included_gib, tier_from_gib, free_gib_month. */
  gib: { min: 0, max: MAX_GIB },
  /** storage_gib of a managed plan (blank: billed separately). */
  planStorageGiB: { min: 0, above: true, max: MAX_GIB },
  /** min_users. */
  minUsers: { min: 0, max: MAX_USERS, integer: true },
  /** max_users (and at least min_users). */
  maxUsers: { min: 1, max: MAX_USERS, integer: true },
} as const satisfies Record<string, NumberRange>;

/** Storage classes (`class`); blank is unspecified. */
export const STORAGE_CLASSES = ['ssd', 'hdd', 'standard', 'infrequent', 'archive'] as const;

/** Where a row came from. */
export interface RowOrigin {
  file: string;
  line: number;
}

export interface RowBase extends RowOrigin {
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

/**
 * The units and range of a labour row's value, by use. labour.ts uses the
 * wage (`per year` divided by 2,080 hours), the loading (a multiple of it)
 * and the base hours; a row of these uses in another unit would be ignored or
 * misread, so it is refused. The other uses are kept as cross-checks: any
 * unit (null), a value from 0 to MAX_PRICE.
 */
export const LABOUR_USE_RULES: Record<LabourUse, { units: readonly [string, ...string[]] | null; range: NumberRange }> = {
  wage: { units: ['per hour', 'per year'], range: RANGES.unitPrice },
  loading: { units: ['multiple of wage'], range: { min: 1, max: 10 } },
  hours: { units: ['hours per month'], range: { min: 0, max: HOURS_IN_LONGEST_MONTH } },
  cost: { units: null, range: { min: 0, max: MAX_PRICE } },
  staffing: { units: null, range: { min: 0, max: MAX_PRICE } },
  claim: { units: null, range: { min: 0, max: MAX_PRICE } },
};

export interface LabourRow extends RowBase {
  kind: 'labour';
  item: string;
  use: LabourUse;
  value: number;
  unit: string;
  currency: string;
  /** Where the figure applies (e.g. "US", "euro area"); blank: not stated. */
  region: string;
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
  /** Reference exchange rates (data/prices/exchange_rates.csv, reference-rates.ts), used for pairs no stated rate covers; absent: none. */
  exchangeRates?: ReferenceRate[];
}

/** One reference exchange rate: 1 `base` (EUR) = `rate` `currency`, as of `asOf` (reference-rates.ts reads them). */
export interface ReferenceRate {
  base: string;
  currency: string;
  rate: number;
  source: string;
  asOf: string;
  file: string;
  line: number;
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

/** Every kind with its required columns, for messages. */
export function describeKinds(): string {
  return CATALOG_KINDS.map((k) => `${k} (${KINDS[k].required.join(', ')})`).join('; ');
}
