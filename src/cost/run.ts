/**
 * Costing a simulated run (what `mxsim run` does after simulating): the full
 * `CostReport` for data/cost.json and the report's charts, and the trimmed
 * `CostSummary` that goes into summary.json as `cost`.
 *
 * Problems split in two:
 * - with what the user gave (catalogs that do not parse, rates that are
 *   malformed or disagree, providers or plans that do not exist, a labour rate
 *   that cannot be had): `checkCostOptions` finds them before anything is
 *   simulated, and the command fails;
 * - with what the run needs but the catalogs cannot give (a rate nobody
 *   stated, nothing to price in the report currency): the run succeeds, and
 *   `cost` says what could not be computed and why.
 */
import type { ComponentCost } from './by-component.js';
import type { ScenarioRun } from '../analysis/run.js';
import type { Summary } from '../analysis/summarize.js';
import type { Scenario } from '../scenario/grammar.js';
import type { Catalogs } from './catalog-schema.js';
import { RateBook, parseRate, parseRates, type UsedRate } from './currency.js';
import { CostInputError, CostOptionError, CurrencyMixError } from './errors.js';
import type { CostReport, LabourLine } from './cost-report.js';
import { estimateCost } from './estimate.js';
import type { CostOptions } from './options.js';
import { costInputsFromRun, type CostInputs } from './inputs.js';
import type { DatabasePlacement, CostLine } from './selfhost.js';
import { sourcesOf } from './sources.js';
import type { TornadoRow } from './sensitivity.js';

/** The `cost` object of summary.json (docs/OUTPUT.md). */
export interface CostSummary {
  currency: string;
  vatIncluded: boolean;
  billing: 'annual' | 'monthly';
  horizonMonths: number;
  /** Exchange rates used (stated ones, or their inverses), with what each converted. */
  rates: UsedRate[];
  /** The cheapest self-hosting offer over the horizon ("Hetzner fsn1"), or null. */
  provider: string | null;
  selfHost: {
    provider: string;
    region: string;
    database: DatabasePlacement;
    /** Month 1, setup excluded. */
    monthly: number;
    perUserMonthly: number;
    /** The horizon total (setup included) / the months of the horizon. */
    averageMonthly?: number;
    horizonTotal: number;
    /** Horizon totals by line; they add up to horizonTotal. */
    breakdown: Record<CostLine, number>;
    /** Month 1 by component (homeserver hosts, PostgreSQL, media store, each other component, egress of the homeserver and of call media, labour, setup); the rows add up to month 1's total. */
    byComponent: ComponentCost[];
  } | null;
  /** The other offers in scope, cheapest first; null when the cost could not be computed. */
  alternatives: { provider: string; region?: string; monthly: number; horizonTotal: number }[] | null;
  saas: { vendor: string; plan: string; pricePerUser: number; monthly: number; horizonTotal: number }[] | null;
  breakEven: { vendor: string; plan: string; provider: string; month: number | null; users: number | null; statement: string }[] | null;
  sensitivity: { provider: string; range: { low: number; typical: number; high: number }; inputs: TornadoRow[] } | null;
  /** Labour on the headline offer as its own line (rate, source, region, hours, share); null or absent when not computed. */
  labour?: LabourLine | null;
  /** The catalog rows left out in one line, counted by status. */
  excludedSummary?: string;
  notes: string[];
  /** Catalog rows left out (placeholder, historical, quote-only); listed in data/cost.json. */
  excludedRows: number | null;
}

/** summary.json: the summary of a run and, once priced, its trimmed cost. */
export type RunSummary = Summary & { cost?: CostSummary };

/** A run as the report draws it: priced (`cost`, null when it could not be computed) or not (absent). */
export interface ReportRun extends ScenarioRun {
  summary: RunSummary;
  cost?: CostReport | null;
}

/** A run with its cost: `cost` is the full report (null when it could not be computed), `summary.cost` the trimmed one. */
export interface CostedRun extends ReportRun {
  cost: CostReport | null;
  summary: Summary & { cost: CostSummary };
}

/** Problems of what the run needs that the catalogs cannot give: the run goes on without a cost. */
function notComputable(e: unknown): e is Error {
  // RateSpecError is a CostOptionError.
  return e instanceof CurrencyMixError || e instanceof CostOptionError || e instanceof CostInputError;
}

/** Inputs of the dry run that checks the options against the catalogs. */
const PROBE: CostInputs = {
  users: 100,
  growthPerMonth: 0,
  horizonMonths: 1,
  cores: 2,
  ramGiB: 4,
  processes: 1,
  deployment: 'monolith',
  databaseGiBByMonth: [1, 1],
  mediaGiBByMonth: [1, 1],
  egressGiBPerMonth: 10,
};

/**
 * Check cost options against the catalogs before simulating: rates that do
 * not parse or disagree (RateSpecError), unknown currencies, providers, plans
 * or `use` selectors, a labour rate that cannot be had (CostOptionError).
 * Returns the missing exchange rate when that is the only problem (`mxsim
 * run` reports it in the run and goes on, `mxsim cost` throws it), else null.
 */
export function checkCostOptions(catalogs: Catalogs, options: CostOptions): CurrencyMixError | null {
  new RateBook(parseRates(options.rates ?? [], sourcesOf(options).rates));
  try {
    estimateCost(PROBE, catalogs, { ...options, sensitivity: false, breakEvenUsers: false });
    return null;
  } catch (e) {
    if (e instanceof CurrencyMixError) return e;
    throw e;
  }
}

const rateText = (r: string | { stated: string }) => (typeof r === 'string' ? r : r.stated);

/** summary.json's `cost` from a full report. */
export function summarizeCost(report: CostReport, options: CostOptions = {}): CostSummary {
  const notes = [...report.notes];
  for (const stated of options.rates ?? []) {
    let from: string, to: string;
    try {
      ({ from, to } = typeof stated === 'string' ? parseRate(stated) : stated);
    } catch {
      continue;
    }
    const used = report.rates.some((u) => (u.from === from && u.to === to) || (u.from === to && u.to === from));
    if (!used) notes.push(`rate ${rateText(stated)} was given but no price needed it`);
  }
  const h = report.selfHost;
  return {
    currency: report.currency,
    vatIncluded: report.vatIncluded,
    billing: report.billing,
    horizonMonths: report.horizonMonths,
    rates: report.rates,
    provider: h?.label ?? null,
    selfHost: h
      ? {
          provider: h.provider,
          region: h.region,
          database: h.database,
          monthly: h.monthly,
          perUserMonthly: h.perUserMonthly,
          averageMonthly: h.averageMonthly,
          horizonTotal: h.horizonTotal,
          breakdown: h.breakdown,
          byComponent: h.byComponent,
        }
      : null,
    alternatives: report.alternatives.map((p) => ({ provider: p.provider, ...(p.region ? { region: p.region } : {}), monthly: p.monthly, horizonTotal: p.horizonTotal })),
    saas: report.saas.map((s) => ({ vendor: s.vendor, plan: s.plan, pricePerUser: s.pricePerUser, monthly: s.monthly, horizonTotal: s.horizonTotal })),
    breakEven: report.breakEven.map((b) => ({ vendor: b.vendor, plan: b.plan, provider: b.provider, month: b.month, users: b.users, statement: b.statement })),
    sensitivity: report.sensitivity
      ? {
          provider: report.sensitivity.provider,
          range: { low: report.sensitivity.range.low, typical: report.sensitivity.range.typical, high: report.sensitivity.range.high },
          inputs: report.sensitivity.inputs,
        }
      : null,
    labour: report.labour,
    excludedSummary: report.excludedSummary.line,
    notes,
    excludedRows: report.excluded.length,
  };
}

/** summary.json's `cost` when it could not be computed: null figures and the reason. */
export function costNotComputed(options: CostOptions, horizonMonths: number, reason: string): CostSummary {
  return {
    currency: options.currency ?? 'USD',
    vatIncluded: options.vatIncluded ?? false,
    billing: options.billing ?? 'annual',
    horizonMonths,
    rates: [],
    provider: null,
    selfHost: null,
    alternatives: null,
    saas: null,
    breakEven: null,
    sensitivity: null,
    notes: [`cost not computed: ${reason}`],
    excludedRows: null,
  };
}

/** The cost inputs of a simulated run (growth exactly as the scenario states it). */
export function runCostInputs(run: ScenarioRun, scenario: Scenario): CostInputs {
  return costInputsFromRun(run.summary, run.storage, { growthPerMonth: scenario.population.growthPerMonth });
}

/**
 * Cost a simulated run. Never throws for what the catalogs cannot price:
 * then `cost` is null and `summary.cost` says why. Returns a new run object;
 * its summary is a copy with `cost` added last.
 */
export function costRun(run: ScenarioRun, scenario: Scenario, catalogs: Catalogs, options: CostOptions): CostedRun {
  let report: CostReport | null = null;
  let summary: CostSummary;
  try {
    report = estimateCost(runCostInputs(run, scenario), catalogs, options);
    summary = summarizeCost(report, options);
  } catch (e) {
    if (!notComputable(e)) throw e;
    summary = costNotComputed(options, scenario.run.horizonMonths, e.message.replace(/\n\s*/g, ' '));
  }
  return { ...run, cost: report, summary: { ...run.summary, cost: summary } };
}
