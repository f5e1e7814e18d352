/**
 * From a scenario's `cost` section (src/scenario/grammar.ts) and command-line
 * overrides to the `CostOptions` of `estimateCost`.
 *
 * Precedence: a command-line value replaces the scenario's; command-line
 * rates are added to the scenario's, and replace a scenario rate between the
 * same two currencies (in either direction), so a rate given on the command
 * line never disagrees with one in the file.
 *
 * Each setting keeps where it came from (`CostOptions.sources`): a value
 * from the command line is named by its option, one from the file by its
 * field, so an error about it says what the user wrote and where.
 */
import type { CostSettings } from '../scenario/grammar.js';
import { parseRate } from './currency.js';
import type { CostOptions } from './options.js';
import { commandLine, fileField, OPTION_SOURCES, SCENARIO_FIELDS, type CostSources, type SettingSource } from './sources.js';

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
  /** The option that set `database`, when not `--db` (`--managed-db`). */
  databaseOption?: string;
  /** False: convert with stated rates only (`--no-default-rates`). */
  defaultRates?: boolean;
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

/** Where the settings given to `costOptions` were read, and what the command line could have set. */
export interface SettingsOrigin {
  /** The file with the `cost` section: a scenario, or a run folder's scenario.json. */
  file: string;
  /**
   * True when the command has an option for every setting (`mxsim cost`);
   * false when it has only --rate (`mxsim run`). A setting given nowhere is
   * then named by the option, else by the field, so a message says what can
   * be given.
   */
  allOptions: boolean;
}

/**
 * CostOptions from the cost settings read from a file and the command line's
 * overrides. Without `origin`, messages name every setting by its option of
 * `mxsim cost`.
 */
export function costOptions(settings: CostSettings, over: CostOverrides = {}, origin?: SettingsOrigin): CostOptions {
  // A list on the command line replaces the file's; an empty one is not given.
  const given = (list: readonly string[] | undefined) => (list !== undefined && list.length > 0 ? list : null);
  const overProviders = given(over.providers);
  const overSaas = given(over.saas);
  const givenProviders = overProviders !== null;
  const givenSaas = overSaas !== null;
  const providers = overProviders ?? settings.providers;
  const saas = overSaas ?? settings.saas;
  const source = (name: keyof typeof SCENARIO_FIELDS, given: boolean, inFile: boolean, option: SettingSource): SettingSource =>
    origin === undefined || given || (!inFile && origin.allOptions) ? option : fileField(origin.file, SCENARIO_FIELDS[name]);
  const rates = new Map<string, SettingSource>();
  for (const r of settings.rates) rates.set(r, origin === undefined ? OPTION_SOURCES.rates : fileField(origin.file, SCENARIO_FIELDS.rates));
  // A command-line rate replaces the file's for its pair, so the same text is the option's.
  for (const r of over.rates ?? []) rates.set(r, OPTION_SOURCES.rates);
  const database = over.databaseOption !== undefined ? commandLine(over.databaseOption) : OPTION_SOURCES.database;
  // Currency and database always have a value after normalization: when not an option, the file's.
  const sources: CostSources = {
    currency: source('currency', over.currency !== undefined, true, OPTION_SOURCES.currency),
    providers: source('providers', givenProviders, settings.providers.length > 0, OPTION_SOURCES.providers),
    saas: source('saas', givenSaas, settings.saas.length > 0, OPTION_SOURCES.saas),
    use: OPTION_SOURCES.use,
    database: source('database', over.database !== undefined, true, database),
    labourRate: source('labourRate', over.labourRate !== undefined, settings.labourRatePerHour !== undefined, OPTION_SOURCES.labourRate),
    labourHours: source('labourHours', over.labourHours !== undefined, settings.labourHoursPerMonth !== undefined, OPTION_SOURCES.labourHours),
    rates,
  };
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
    ...(over.defaultRates === false ? { defaultRates: false } : {}),
    sources,
  };
  return options;
}
