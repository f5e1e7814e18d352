/**
 * The cost report `estimateCost` returns (data/cost.json; src/cost/run.ts
 * trims it to the `cost` section of summary.json): the cheapest self-hosting
 * provider and the others in scope, each with the catalog rows it rests on,
 * SaaS plans, break-even, sensitivity, the rows left out, notes and
 * assumptions. Money in it is rounded to the cent; the arithmetic is not.
 */
import { roundDecimals } from '../numeric/index.js';
import type { CatalogRow } from './catalog-schema.js';
import type { ExcludedRow } from './catalog-select.js';
import type { UsedRate } from './currency.js';
import type { Billing, SaasCost } from './saas.js';
import type { CostLine, DatabasePlacement, HostLine, MonthCost } from './selfhost.js';
import type { SensitivityResult } from './sensitivity.js';

/** Money in the report is rounded to the cent, other figures (users, GiB, hours) to 4 decimals. */
export const cents = (x: number) => roundDecimals(x, 2);
export const round4 = (x: number) => roundDecimals(x, 4);

export interface Assumption {
  name: string;
  value: string;
  source: string;
}

/** A catalog row a provider's figures rest on. */
export interface UsedRow {
  file: string;
  line: number;
  kind: CatalogRow['kind'];
  product: string;
  status: CatalogRow['status'];
  currency: string;
  asOf: string;
  source: string;
  notes: string;
}

export interface ProviderReport {
  provider: string;
  region: string;
  label: string;
  vatIncluded: boolean;
  database: DatabasePlacement;
  /** Month 1, setup excluded. */
  monthly: number;
  perUserMonthly: number;
  horizonTotal: number;
  /** Horizon totals per line (they add up to horizonTotal). */
  breakdown: Record<CostLine, number>;
  hosts: HostLine[];
  byMonth: MonthCost[];
  rows: UsedRow[];
  notes: string[];
}

export interface BreakEven {
  vendor: string;
  plan: string;
  /** The self-host offer compared (the headline). */
  provider: string;
  month: number | null;
  users: number | null;
  statement: string;
  method: string;
}

export interface CostReport {
  currency: string;
  vatIncluded: boolean;
  billing: Billing;
  users: number;
  growthPerMonth: number;
  horizonMonths: number;
  rates: UsedRate[];
  /** The cheapest provider over the horizon, or null when none is in scope. */
  selfHost: ProviderReport | null;
  /** The other providers in scope, cheapest first. */
  alternatives: ProviderReport[];
  saas: SaasCost[];
  breakEven: BreakEven[];
  sensitivity: SensitivityResult | null;
  excluded: ExcludedRow[];
  notes: string[];
  assumptions: Assumption[];
}
