/**
 * The cost report `estimateCost` returns (data/cost.json; src/cost/run.ts
 * trims it to the `cost` section of summary.json): the cheapest self-hosting
 * provider and the others in scope, each with the catalog rows it rests on,
 * SaaS plans, break-even, sensitivity, the rows left out, notes and
 * assumptions. Money in it is rounded to the cent; the arithmetic is not.
 */
import type { ComponentCost } from './by-component.js';
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
  /** Month 1, setup excluded ("month 1" in every output). */
  monthly: number;
  /** Month 1 per user, setup excluded. */
  perUserMonthly: number;
  /** The horizon total (setup included) divided by the months of the horizon ("average per month over H months"). */
  averageMonthly: number;
  horizonTotal: number;
  /** Horizon totals per line (they add up to horizonTotal). */
  breakdown: Record<CostLine, number>;
  /** Month 1 by component (src/cost/by-component.ts); the rows add up to month 1's total. */
  byComponent: ComponentCost[];
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

/** Labour on the headline offer, as its own line: rate, where it comes from, hours and share of the totals. */
export interface LabourLine {
  /** Per hour, report currency. */
  rate: number;
  currency: string;
  /** "loaded labour cost", "wage x loading" or "given". */
  basis: 'given' | 'loaded labour cost' | 'wage x loading';
  /** Where the figure applies ("US", "euro area"), "" when given or not stated. */
  region: string;
  /** How the rate was made (catalog rows, conversion). */
  source: string;
  /** Operations hours in month 1 and on average over the horizon; setup hours once. */
  hoursMonth1: number;
  hoursAverage: number;
  setupHours: number;
  /** Labour in month 1 (setup excluded) and its share of month 1's total (setup excluded). */
  costMonth1: number;
  shareMonth1: number;
  /** Labour over the horizon (operations and setup) and its share of the horizon total. */
  horizonTotal: number;
  shareHorizon: number;
  /** How to change it. */
  override: string;
}

/** The catalog rows left out, counted: one line by default (`--verbose` lists them). */
export interface ExcludedSummary {
  total: number;
  byStatus: Record<string, number>;
  line: string;
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
  /** The excluded rows in one line (counted by status). */
  excludedSummary: ExcludedSummary;
  /** Labour on the headline offer, or null when no offer is in scope. */
  labour: LabourLine | null;
  notes: string[];
  assumptions: Assumption[];
}
