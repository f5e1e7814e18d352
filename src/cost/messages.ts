/**
 * Every error message of the cost layer, as functions, so tests compare with
 * these rather than with copied text (as src/scenario/messages.ts does for
 * scenarios).
 *
 * A setting can come from a command-line option (`--provider Nowhere`) or
 * from a field of a file (`team.json: cost.providers: Nowhere`). Messages
 * about a setting take its `SettingSource` (sources.ts) and name it the way
 * the user wrote it, so no command has to reword another's messages.
 */
import { CURRENCIES } from '../scenario/grammar.js';
import type { CatalogProblem } from './catalog-schema.js';
import type { SettingSource } from './sources.js';

/** `--provider` or `team.json: cost.providers:`: what a value is prefixed with. */
const at = (s: SettingSource) => (s.file === undefined ? s.name : `${s.file}: ${s.name}:`);
/** Nothing for an option (the message names it already), `team.json: cost.database: ` for a field. */
const fieldPrefix = (s: SettingSource) => (s.file === undefined ? '' : `${s.file}: ${s.name}: `);
/** `--labour-rate` or `team.json: cost.labourRatePerHour`. */
const named = (s: SettingSource) => (s.file === undefined ? s.name : `${s.file}: ${s.name}`);
const sameSource = (a: SettingSource, b: SettingSource) => a.name === b.name && a.file === b.file;

export const costMessages = {
  // --- exchange rates and currencies (currency.ts) ---
  rateForm: (s: SettingSource, text: string) => `${at(s)} "${text}": expected FROM:TO=RATE, e.g. USD:EUR=0.92 (1 USD = 0.92 EUR)`,
  rateProblems: (s: SettingSource, text: string, problems: readonly string[]) => `${at(s)} "${text}": ${problems.join('; ')} (accepted currencies: ${CURRENCIES.join(', ')})`,
  unknownRateCurrency: (code: string) => `unknown currency "${code}"`,
  sameCurrencies: () => 'the two currencies are the same',
  rateNotPositive: (text: string) => `rate "${text}" is not a positive number`,
  /** Two rates for one pair of currencies. Two options: `--rate A and --rate B disagree`. */
  ratesDisagree(a: string, sa: SettingSource, b: string, sb: SettingSource): string {
    const first = sa.file === undefined ? `${sa.name} ${a}` : `${at(sa)} ${a}`;
    const second = sb.file === undefined ? `${sb.name} ${b}` : sameSource(sa, sb) ? b : `${at(sb)} ${b}`;
    return `${first} and ${second} disagree; give one rate per pair of currencies`;
  },
  /**
   * A price in one currency, a report in another and no rate. Also the note
   * of `summary.json` when a run cannot be costed, so it names the options of
   * both `mxsim run` and `mxsim cost`.
   */
  missingRate: (from: string, to: string, what: string) =>
    `${what}: prices in ${from} but the report is in ${to}, and no rate was given; add --rate ${from}:${to}=<${to} per ${from}> (or report in ${from} with --currency ${from})`,
  unknownCurrency: (s: SettingSource, given: string) => `${at(s)} "${given}": unknown currency`,

  // --- what to compare (estimate.ts) ---
  unknownProvider: (s: SettingSource, name: string, known: readonly string[]) => `${at(s)} ${name}: no such provider (or region) in the catalogs; known: ${known.join(', ')}`,
  nothingToPrice: (s: SettingSource, names: readonly string[], reasons: readonly string[]) =>
    `${at(s)} ${names.join(', ')}: nothing to price:\n${reasons.map((r) => `  ${r}`).join('\n')}`,
  noManagedPlan: (s: SettingSource, offers: readonly string[]) =>
    `${fieldPrefix(s)}managed PostgreSQL: no usable plan for ${offers.join(', ')} (status ok or named with --use, same currency basis and region)`,
  unknownSaas: (s: SettingSource, name: string) =>
    `${at(s)} ${name}: no priced plan of that vendor (or plan) in the catalogs after exclusions; named rows that are quote-only have no price`,
  useMatchesNothing: (s: SettingSource, selectors: readonly string[]) =>
    `${at(s)} ${selectors.join(', ')}: matches no catalog row (use FILE:LINE, PROVIDER or PROVIDER/PRODUCT as the report's "excluded" list shows them)`,

  // --- labour (labour.ts) ---
  labourRateNeedsCurrency: (labour: SettingSource, currency: SettingSource) => `${named(labour)} is in the report currency: give ${currency.name} too`,
  noLabourRate: (labour: SettingSource) =>
    `${labour.file === undefined ? '' : `${labour.file}: `}no labour rate: the labour catalog has no usable wage row (use "wage", unit "per hour" or "per year"); give ${labour.name}`,

  // --- the run's figures (inputs.ts) ---
  summaryField: (path: string, problem: string) => `summary.json: ${path === '' ? '(root)' : path}: ${problem}`,
  noRecommendedCores: () => 'the run has no sizing recommendation (summary.json has no recommendation.cores): give the cores to cost with --cores N',
  noRecommendedRam: () => 'the run has no sizing recommendation (summary.json has no recommendation.ramGiB): give the RAM to cost with --ram-gib N',
  noCoresLeft: (cores: number | undefined, databaseCores: number | undefined) =>
    `recommendation: ${cores} cores of which ${databaseCores} for PostgreSQL leaves none for the homeserver`,
  noRamLeft: (ramGiB: number | undefined, databaseRamGiB: number | undefined) =>
    `recommendation: ${ramGiB} GiB of RAM of which ${databaseRamGiB} for PostgreSQL leaves none for the homeserver`,
  projectionTooShort: (months: number) => `the storage projection has ${months} month(s); at least months 0 and 1 are needed`,
  horizonBeyondProjection: (horizon: number, available: number) =>
    `--horizon-months ${horizon} is longer than the run's storage projection (${available} months); rerun with run.horizonMonths >= ${horizon}`,
  horizonBelowOne: (horizon: number) => `the horizon must be at least 1 month, got ${horizon}`,
  projectionMonth: (row: number, month: number, expected: number) => `storage projection: row ${row} is month ${month}, expected ${expected}`,
  csvInvalid: (file: string, detail: string) => `${file}: not valid CSV: ${detail}`,
  csvMissingColumn: (file: string, column: string) => `${file}:1: column ${column}: missing`,
  csvNotNumber: (file: string, line: number, column: number, name: string, value: string) => `${file}:${line}: column ${column} (${name}): expected a number, got "${value}"`,
  /** A `CostInputs` field out of range: `cores must be a positive number, got 0`. */
  inputRule: (name: string, rule: string, value: unknown) => `${name} must be ${rule}, got ${String(value)}`,
  monolithProcesses: (processes: number) => `a monolith has 1 process, got processes = ${processes}`,
  monthsLength: (name: string, length: number, horizonMonths: number) => `${name} has ${length} values; expected horizonMonths + 1 = ${horizonMonths + 1}`,
  monthsValues: (name: string) => `${name} has a negative or non-numeric value`,

  // --- price catalogs (catalog-parse.ts) ---
  catalogHeadline: (problems: number) => `${problems} problem${problems === 1 ? '' : 's'} in price catalogs:`,
  /** `FILE:LINE: column N (NAME): message` */
  catalogProblem(p: CatalogProblem): string {
    const where = p.columnName === null ? '' : p.column === null ? ` column ${p.columnName}:` : ` column ${p.column} (${p.columnName}):`;
    return `${p.file}:${p.line}:${where} ${p.message}`;
  },
  missingValue: (what: string) => `missing value: expected ${what}`,
  expectedValue: (what: string, got: string) => `expected ${what}, got "${got}"`,
  missingCurrency: () => `missing value: expected a currency code (${CURRENCIES.slice(0, 12).join(', ')}, ...)`,
  unknownCatalogCurrency: (code: string) => `unknown currency "${code}"; expected an ISO 4217 code: ${CURRENCIES.join(', ')}`,
  expectedBoolean: (got: string) => `expected true or false, got "${got}"`,
  expectedOneOf: (values: readonly string[], got: string) => `expected one of ${values.join(', ')}, got "${got}"`,
  notCsv: (detail: string) => `not valid CSV: ${detail}`,
  emptyCatalog: (kinds: string) => `empty file: expected a header naming the columns of one of: ${kinds}`,
  unknownHeader: (header: readonly string[], kinds: string) =>
    `unrecognised catalog kind: the header (${header.join(', ')}) matches none of: ${kinds}; or add a "kind" column naming the kind of each row`,
  missingColumn: (kind: string, required: readonly string[]) => `missing column (a ${kind} catalog needs: ${required.join(', ')})`,
  fieldCount: (fields: number, headerFields: number) => `${fields} fields, but the header has ${headerFields}`,
  unknownRowKind: (kind: string, kinds: readonly string[]) => `unknown catalog kind "${kind}"; expected one of ${kinds.join(', ')}`,
};
