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
 */

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

/** Every kind with its required columns, for messages. */
export function describeKinds(): string {
  return CATALOG_KINDS.map((k) => `${k} (${KINDS[k].required.join(', ')})`).join('; ');
}
