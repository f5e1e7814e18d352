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
import { CURRENCIES } from '../scenario/limits.js';
import type { CatalogProblem } from './catalog-schema.js';
import type { NumberRange } from './range.js';
import type { SettingSource } from './sources.js';

/** `--provider` or `team.json: cost.providers:`: what a value is prefixed with. */
const at = (s: SettingSource) => (s.file === undefined ? s.name : `${s.file}: ${s.name}:`);
/** Nothing for an option (the message names it already), `team.json: cost.database: ` for a field. */
const fieldPrefix = (s: SettingSource) => (s.file === undefined ? '' : `${s.file}: ${s.name}: `);
/** `--labour-rate` or `team.json: cost.labourRatePerHour`. */
const named = (s: SettingSource) => (s.file === undefined ? s.name : `${s.file}: ${s.name}`);
const sameSource = (a: SettingSource, b: SettingSource) => a.name === b.name && a.file === b.file;
/** A bound of a range: whole numbers from 1,000 with separators, others as JavaScript writes them. */
const bound = (n: number) => (Number.isInteger(n) && Math.abs(n) >= 1000 ? n.toLocaleString('en-US') : String(n));
/** `from 0.01 to 4,096`, or `greater than 0 and at most 10`. */
const span = (r: NumberRange) => (r.above === true ? `greater than ${bound(r.min)} and at most ${bound(r.max)}` : `from ${bound(r.min)} to ${bound(r.max)}`);
/** MiB for a byte count. */
const mib = (bytes: number) => `${bytes / 1024 ** 2} MiB`;

export const costMessages = {
  /** A range in words, after what it bounds: `from 0.01 to 4,096`, `greater than 0 and at most 10`, `from 1 to 240 (a whole number)`. */
  range: (r: NumberRange) => (r.integer === true ? `${span(r)} (a whole number)` : span(r)),
  /** A range as what is expected: `a number from 0 to 10`, or `an integer from 1 to 240`. */
  aNumber: (r: NumberRange) => `${r.integer === true ? 'an integer' : 'a number'} ${span(r)}`,

  // --- exchange rates and currencies (currency.ts) ---
  rateForm: (s: SettingSource, text: string) => `${at(s)} "${text}": expected FROM:TO=RATE, e.g. USD:EUR=0.92 (1 USD = 0.92 EUR)`,
  rateProblems: (s: SettingSource, text: string, problems: readonly string[]) => `${at(s)} "${text}": ${problems.join('; ')} (accepted currencies: ${CURRENCIES.join(', ')})`,
  unknownRateCurrency: (code: string) => `unknown currency "${code}"`,
  sameCurrencies: () => 'the two currencies are the same',
  /** The rate as written is not a decimal number in RATE_RANGE (currency.ts). */
  rateOutOfRange: (text: string, range: NumberRange) => `rate "${text}" is not ${costMessages.aNumber(range)}`,
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

  // --- reference exchange rates (reference-rates.ts) ---
  referenceRateColumn: (name: string, known: readonly string[]) => `unknown column "${name}" in an exchange-rate file; known: ${known.join(', ')}`,
  referenceRateMissingColumn: (name: string) => `column "${name}" is missing (an exchange-rate file has base, currency, rate, source, as_of)`,
  referenceRateBase: (given: string, base: string) => `"${given}": every reference rate is against ${base} (1 ${base} = RATE CURRENCY)`,
  referenceRateSelf: (code: string) => `"${code}": the base currency needs no rate`,
  referenceRateBlank: (column: string) => `${column} is blank; every reference rate says where and when it was published`,
  referenceRateRepeated: (code: string) => `"${code}": a second rate for this currency (one row per currency)`,

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
  /** A numeric setting out of COST_OPTION_RANGES (options.ts): `--labour-rate 2000000: expected a number from 0 to 1,000,000`. */
  settingOutOfRange: (s: SettingSource, value: number, range: NumberRange) => `${at(s)} ${value}: expected ${costMessages.aNumber(range)}`,
  /** A `CostInputs` field out of range: `cores must be a positive number, got 0`. */
  inputRule: (name: string, rule: string, value: unknown) => `${name} must be ${rule}, got ${String(value)}`,
  monolithProcesses: (processes: number) => `a monolith has 1 process, got processes = ${processes}`,
  monthsLength: (name: string, length: number, horizonMonths: number) => `${name} has ${length} values; expected horizonMonths + 1 = ${horizonMonths + 1}`,
  monthsValues: (name: string) => `${name} has a negative or non-numeric value`,

  // --- price catalogs (catalog-parse.ts) ---
  moreCatalogProblems: (file: string, more: number, shown: number) => `${file}: ... and ${more} more problem${more === 1 ? '' : 's'} (the first ${shown} are listed)`,
  noRows: () => 'expected at least one row under the header, got none: a catalog with no rows adds no price',
  notUtf8: (byte: number, column: number) =>
    `expected UTF-8 text, got the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} (byte ${column} of the line), which is not UTF-8`,
  catalogHeadline: (problems: number) => `${problems} problem${problems === 1 ? '' : 's'} in price catalogs:`,
  /** `FILE:LINE: column N (NAME): message` */
  catalogProblem(p: CatalogProblem): string {
    const where = p.columnName === null ? '' : p.column === null ? ` column ${p.columnName}:` : ` column ${p.column} (${p.columnName}):`;
    return `${p.file}:${p.line}:${where} ${p.message}`;
  },
  missingValue: (what: string) => `missing value: expected ${what}`,
  expectedValue: (what: string, got: string) => `expected ${what}, got "${got}"`,
  /** A number outside its column's range (catalog-schema.ts RANGES): `expected a vCPU count from 0.01 to 4,096, got "0"`. */
  outOfRange: (what: string, range: NumberRange, got: string) => `expected ${what} ${costMessages.range(range)}, got "${got}"`,
  /** The value is not repeated: printing it would send the control character to the terminal. */
  controlCharacter: (codePoint: number) =>
    `contains a control character (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}); catalog text is printed on terminals and in reports`,
  maxBelowMin: (max: string, min: string) => `max_users "${max}" is below min_users "${min}"`,
  labourUnit: (use: string, units: readonly string[], got: string) => `use "${use}" needs unit ${units.map((u) => `"${u}"`).join(' or ')}, got "${got}"`,
  missingCurrency: () => `missing value: expected a currency code (${CURRENCIES.slice(0, 12).join(', ')}, ...)`,
  unknownCatalogCurrency: (code: string) => `unknown currency "${code}"; expected an ISO 4217 code: ${CURRENCIES.join(', ')}`,
  expectedBoolean: (got: string) => `expected true or false, got "${got}"`,
  expectedOneOf: (values: readonly string[], got: string) => `expected one of ${values.join(', ')}, got "${got}"`,
  notCsv: (detail: string) => `not valid CSV: ${detail}`,
  emptyCatalog: (kinds: string) => `empty file: expected a header naming the columns of one of: ${kinds}`,
  unknownHeader: (header: readonly string[], kinds: string) =>
    `unrecognised catalog kind: the header (${header.join(', ')}) matches none of: ${kinds}; or add a "kind" column naming the kind of each row`,
  missingColumn: (kind: string, required: readonly string[]) => `missing column (a ${kind} catalog needs: ${required.join(', ')})`,
  /** `suggestion`: the known column closest to the name (src/scenario/suggest.ts), if any is close. */
  unknownColumn: (suggestion: string | undefined, known: readonly string[]) =>
    suggestion !== undefined ? `unknown column; did you mean ${suggestion}?` : `unknown column; the known columns are ${known.join(', ')}`,
  unnamedColumn: () => 'the header names no column here; name it or remove it',
  repeatedColumn: (first: number, again: number) => `column given twice, as columns ${first} and ${again}`,
  catalogTooLarge: (maxBytes: number, maxRows: number) =>
    `file too large: a catalog may have at most ${mib(maxBytes)} (${bound(maxBytes)} bytes) and ${bound(maxRows)} rows; split it into several --prices files`,
  tooManyRows: (maxRows: number) => `more than ${bound(maxRows)} rows after the header, the most a catalog may have: split it into several --prices files`,
  tooManyColumns: (columns: number, maxColumns: number) => `${bound(columns)} columns in the header; a catalog may have at most ${bound(maxColumns)}`,
  fieldCount: (fields: number, headerFields: number) => `${fields} fields, but the header has ${headerFields}`,
  unknownRowKind: (kind: string, kinds: readonly string[]) => `unknown catalog kind "${kind}"; expected one of ${kinds.join(', ')}`,
};
