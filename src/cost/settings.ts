/**
 * From a scenario's `cost` section (src/scenario/grammar.ts) and command-line
 * overrides to the `CostOptions` of `estimateCost`.
 *
 * Precedence: a command-line value replaces the scenario's; command-line
 * rates are added to the scenario's, and replace a scenario rate between the
 * same two currencies (in either direction), so a rate given on the command
 * line never disagrees with one in the file.
 */
import type { CostSettings } from '../scenario/grammar.js';
import { parseRate } from './currency.js';
import type { CostOptions } from './estimate.js';

/** What the command line may set (undefined: the scenario's value). */
export interface CostOverrides {
  currency?: string;
  rates?: readonly string[];
  providers?: readonly string[];
  saas?: readonly string[];
  use?: readonly string[];
  database?: CostSettings['database'];
  billing?: CostSettings['billing'];
  vatIncluded?: boolean;
  labourRate?: number;
  labourHours?: number;
}

/** The unordered pair of currencies of a rate string ("EUR/USD"), or the text itself when it does not parse. */
function pairOf(rate: string): string {
  try {
    const r = parseRate(rate);
    return [r.from, r.to].sort().join('/');
  } catch {
    return rate;
  }
}

/**
 * The scenario's rates with the command line's added; a command-line rate
 * replaces the scenario's for the same pair of currencies.
 * @example mergeRates(['USD:EUR=0.92'], ['EUR:USD=1.1']) // ['EUR:USD=1.1']
 */
export function mergeRates(scenario: readonly string[], cli: readonly string[]): string[] {
  const replaced = new Set(cli.map(pairOf));
  return [...scenario.filter((r) => !replaced.has(pairOf(r))), ...cli];
}

/** CostOptions from the scenario's cost settings and the command line's overrides. */
export function costOptions(settings: CostSettings, over: CostOverrides = {}): CostOptions {
  const providers = over.providers && over.providers.length > 0 ? over.providers : settings.providers;
  const saas = over.saas && over.saas.length > 0 ? over.saas : settings.saas;
  const options: CostOptions = {
    currency: (over.currency ?? settings.currency).toUpperCase(),
    rates: mergeRates(settings.rates, over.rates ?? []),
    vatIncluded: over.vatIncluded ?? settings.vatIncluded,
    providers: providers.length > 0 ? [...providers] : undefined,
    saas: saas.length > 0 ? [...saas] : undefined,
    use: over.use && over.use.length > 0 ? [...over.use] : undefined,
    database: over.database ?? settings.database,
    billing: over.billing ?? settings.billing,
    labourRate: over.labourRate ?? settings.labourRatePerHour,
    labourHours: over.labourHours ?? settings.labourHoursPerMonth,
  };
  return options;
}
