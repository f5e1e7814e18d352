/**
 * Operations labour: hours per month as a function of users and deployment
 * complexity, times a loaded hourly rate. Both the rate and the hours can be
 * overridden; every default below says where it comes from.
 *
 *   hours(m) = baseHours
 *            + hoursPerThousandUsers x users(m) / 1000
 *            + hoursPerExtraProcess x (processes - 1)
 *            + selfRunDbHours             (when PostgreSQL is self-run)
 *   setup    = setupHours + setupHoursPerExtraProcess x (processes - 1)
 *            + setupSelfRunDbHours        (when PostgreSQL is self-run), once, in month 1
 *   rate     = a loaded labour cost per hour in the report currency (the latest
 *              `cost` row of labour.csv with unit `per hour` in that currency, e.g.
 *              Eurostat's euro-area labour cost for a EUR report), else
 *              wage per hour x loading    (wage: the latest `wage` row of labour.csv,
 *              a yearly wage divided by 2,080 hours; loading: the mean of the `loading` rows)
 *
 * `--labour-hours X` replaces hours(m) by X every month; `--labour-rate X`
 * replaces the rate (in the report currency).
 */
import type { LabourRow, RowOrigin } from './catalog-schema.js';
import { CostOptionError } from './errors.js';
import { costMessages as msg } from './messages.js';
import { OPTION_SOURCES, type SettingSource } from './sources.js';

/** Paid hours in a working year (40 h x 52 weeks), to turn a yearly wage into an hourly one. */
export const HOURS_PER_YEAR = 2080;

export interface LabourParams {
  /** Hours per month for one self-hosted tool (labour.csv `hours` row, else 5). */
  baseHours: number;
  hoursPerThousandUsers: number;
  hoursPerExtraProcess: number;
  selfRunDbHours: number;
  setupHours: number;
  setupHoursPerExtraProcess: number;
  setupSelfRunDbHours: number;
}

/**
 * mxsim's defaults for what the catalog does not give. These are estimates
 * (no source measured them); the labour.csv `staffing` rows (1-3 people for
 * 500-5,000 users, i.e. up to ~80 h per 1,000 users a month) are opinions
 * and an upper bound, and are not used.
 */
export const LABOUR_DEFAULTS: LabourParams = {
  baseHours: 5,
  hoursPerThousandUsers: 1,
  hoursPerExtraProcess: 0.5,
  selfRunDbHours: 2,
  setupHours: 16,
  setupHoursPerExtraProcess: 2,
  setupSelfRunDbHours: 4,
};

export interface LabourModel extends LabourParams {
  /** Loaded hourly rate, in `currency`. */
  rate: number;
  currency: string;
  /** How the rate was made, for the report. */
  rateSource: string;
  /** Where the rate's figure applies ("US", "euro area"; "" when given or not stated). */
  rateRegion: string;
  /** What the rate is, in a few words: "given", "loaded labour cost", "wage x loading". */
  rateBasis: 'given' | 'loaded labour cost' | 'wage x loading';
  /** Replaces the hours formula when set. */
  fixedHours: number | null;
  /** labour.csv rows the defaults came from. */
  cited: (RowOrigin & { item: string })[];
  baseHoursSource: string;
}

/** The leading year and month of an as_of text, for ordering ("2024-05", "2025-26" -> 2025). */
function asOfKey(asOf: string): string {
  const m = /(\d{4})(?:-(\d{2}))?/.exec(asOf);
  return m ? `${m[1]}-${m[2] ?? '00'}` : '0000-00';
}

export interface LabourOverrides {
  /** Loaded hourly rate in `currency` (the report currency). */
  rate?: number;
  currency?: string;
  /** Hours per month, every month. */
  hours?: number;
  params?: Partial<LabourParams>;
  /** Where the rate and the currency were set, for messages (default: --labour-rate, --currency). */
  rateSetting?: SettingSource;
  currencySetting?: SettingSource;
}

/**
 * The labour model from the (selected) labour rows and the overrides.
 * Throws CostOptionError (cost.labour) when there is no rate at all, or a
 * rate without its currency.
 */
export function labourModel(rows: readonly LabourRow[], o: LabourOverrides = {}): LabourModel {
  const cited: LabourModel['cited'] = [];
  const cite = (r: LabourRow) => cited.push({ file: r.file, line: r.line, item: r.item });
  let rate: number;
  let currency: string;
  let rateSource: string;
  let rateRegion = '';
  let rateBasis: LabourModel['rateBasis'] = 'given';
  const rateSetting = o.rateSetting ?? OPTION_SOURCES.labourRate;
  if (o.rate !== undefined) {
    if (o.currency === undefined) throw new CostOptionError('cost.labour', rateSetting, msg.labourRateNeedsCurrency(rateSetting, o.currencySetting ?? OPTION_SOURCES.currency));
    rate = o.rate;
    currency = o.currency;
    rateSource = `given (--labour-rate ${o.rate} ${o.currency} per hour)`;
  } else if (loadedCost(rows, o.currency) !== undefined) {
    const row = loadedCost(rows, o.currency);
    if (!row) throw new CostOptionError('cost.labour', rateSetting, msg.noLabourRate(rateSetting));
    cite(row);
    rate = row.value;
    currency = row.currency;
    rateRegion = row.region;
    rateBasis = 'loaded labour cost';
    rateSource = `${row.item} (${row.asOf}${row.region ? `, ${row.region}` : ''}): ${row.value} ${row.currency} per hour, already loaded; ${row.file}:${row.line}`;
  } else {
    const wages = rows
      .filter((r) => r.use === 'wage' && r.currency !== '' && (r.unit === 'per hour' || r.unit === 'per year'))
      .sort((a, b) => asOfKey(b.asOf).localeCompare(asOfKey(a.asOf)));
    const wage = wages[0];
    if (!wage) throw new CostOptionError('cost.labour', rateSetting, msg.noLabourRate(rateSetting));
    cite(wage);
    const hourly = wage.unit === 'per year' ? wage.value / HOURS_PER_YEAR : wage.value;
    const loadings = rows.filter((r) => r.use === 'loading');
    loadings.forEach(cite);
    const loading = loadings.length > 0 ? loadings.reduce((s, r) => s + r.value, 0) / loadings.length : 1;
    rate = hourly * loading;
    currency = wage.currency;
    rateRegion = wage.region;
    rateBasis = 'wage x loading';
    const wageText =
      wage.unit === 'per year' ? `${wage.value} ${wage.currency} per year / ${HOURS_PER_YEAR} h = ${hourly.toFixed(2)} per hour` : `${wage.value} ${wage.currency} per hour`;
    const loadText = loadings.length > 0 ? ` x loading ${loading} (mean of ${loadings.map((l) => l.value).join(' and ')})` : ' (no loading row: wage used unloaded)';
    rateSource = `${wage.item} (${wage.asOf}): ${wageText}${loadText} = ${rate.toFixed(2)} ${wage.currency} per hour; ${wage.file}:${wage.line}${loadings.map((l) => `, ${l.file}:${l.line}`).join('')}`;
  }
  const hoursRow = rows.find((r) => r.use === 'hours' && r.unit === 'hours per month');
  if (hoursRow) cite(hoursRow);
  const params: LabourParams = { ...LABOUR_DEFAULTS, ...(hoursRow ? { baseHours: hoursRow.value } : {}), ...o.params };
  const baseHoursSource =
    o.params?.baseHours !== undefined
      ? 'given'
      : hoursRow
        ? `${hoursRow.item}: ${hoursRow.value} h per month (${hoursRow.file}:${hoursRow.line})`
        : 'mxsim estimate (no labour.csv hours row)';
  return { ...params, rate, currency, rateSource, rateRegion, rateBasis, fixedHours: o.hours ?? null, cited, baseHoursSource };
}

/** The latest `cost` row per hour in `currency` (a loaded labour cost), if any. */
function loadedCost(rows: readonly LabourRow[], currency: string | undefined): LabourRow | undefined {
  if (currency === undefined) return undefined;
  return rows.filter((r) => r.use === 'cost' && r.unit === 'per hour' && r.currency === currency).sort((a, b) => asOfKey(b.asOf).localeCompare(asOfKey(a.asOf)))[0];
}

/** Operations hours in a month. */
export function labourHours(l: LabourModel, users: number, processes: number, selfRunDb: boolean): number {
  if (l.fixedHours !== null) return l.fixedHours;
  return l.baseHours + (l.hoursPerThousandUsers * users) / 1000 + l.hoursPerExtraProcess * (processes - 1) + (selfRunDb ? l.selfRunDbHours : 0);
}

/** One-off setup hours. */
export function setupHours(l: LabourParams, processes: number, selfRunDb: boolean): number {
  return l.setupHours + l.setupHoursPerExtraProcess * (processes - 1) + (selfRunDb ? l.setupSelfRunDbHours : 0);
}
