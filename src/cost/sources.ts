/**
 * Where each cost setting came from: a command-line option or a field of a
 * file. `costOptions` (settings.ts) records it, `estimateCost` passes it to
 * the errors it throws, and messages.ts names the setting that way; the
 * exit code follows too (2 for an option, 3 for a file; errors.ts).
 */
/** Where a cost setting came from. */
export interface SettingSource {
  /** The option (`--rate`) or the field (`cost.rates`) as the user writes it. */
  readonly name: string;
  /** The file the field is in; absent for a command-line option. */
  readonly file?: string;
}

/** A command-line option. @example commandLine('--rate') */
export const commandLine = (option: string): SettingSource => ({ name: option });

/** A field of a file. @example fileField('team.json', 'cost.rates') */
export const fileField = (file: string, field: string): SettingSource => ({ name: field, file });

/** The options of `mxsim cost` for each setting: where a setting comes from when nobody says otherwise. */
export const OPTION_SOURCES = {
  currency: commandLine('--currency'),
  rates: commandLine('--rate'),
  providers: commandLine('--provider'),
  saas: commandLine('--saas'),
  use: commandLine('--use'),
  database: commandLine('--db'),
  labourRate: commandLine('--labour-rate'),
  labourHours: commandLine('--labour-hours'),
} as const;

/** The scenario's fields for the same settings (`CostSettings` in src/scenario/grammar.ts). */
export const SCENARIO_FIELDS = {
  currency: 'cost.currency',
  rates: 'cost.rates',
  providers: 'cost.providers',
  saas: 'cost.saas',
  database: 'cost.database',
  labourRate: 'cost.labourRatePerHour',
  labourHours: 'cost.labourHoursPerMonth',
} as const;

/** Where each setting of `CostOptions` came from (see src/cost/settings.ts). */
export interface CostSources {
  currency: SettingSource;
  providers: SettingSource;
  saas: SettingSource;
  use: SettingSource;
  database: SettingSource;
  labourRate: SettingSource;
  labourHours: SettingSource;
  /** Per rate, by its text as given in `rates`; a rate not in the map is a `--rate`. */
  rates: ReadonlyMap<string, SettingSource>;
}

/** The sources of `options` (a `CostOptions`, options.ts), the options of `mxsim cost` where unset. */
export function sourcesOf(options: { readonly sources?: Partial<CostSources> }): CostSources {
  return { ...OPTION_SOURCES, rates: new Map(), ...options.sources };
}
