/**
 * What `estimateCost` (estimate.ts) can be told: the `CostOptions` (built from
 * a scenario's cost section and the command line by settings.ts), the range
 * of each numeric one (`COST_OPTION_RANGES`, checked by `checkOptionRanges`)
 * and the mxsim estimates it uses for the settings they leave out.
 */
import type { StatedRate } from './currency.js';
import { CostInputError, CostOptionError } from './errors.js';
import type { LabourParams } from './labour.js';
import { costMessages as msg } from './messages.js';
import { inRange, type NumberRange } from './range.js';
import type { Billing } from './saas.js';
import type { DatabasePlacement } from './selfhost.js';
import { sourcesOf, type CostSources } from './sources.js';

/** PostgreSQL's cores and RAM as a share of the homeserver's, unless given. mxsim estimate. */
export const DB_SHARE = 0.5;
/** Provisioned block storage over what is used. mxsim estimate (keep a quarter free). */
export const BLOCK_HEADROOM = 1.25;
/** Backup copies kept of what is backed up. mxsim estimate (e.g. a snapshot chain and a weekly full copy). */
export const BACKUP_COPIES = 2;

/**
 * The range of every numeric setting of the cost model; the options of
 * `mxsim cost` (src/cli/cost.ts) are read against the same ranges, so a
 * value refused as an option (exit 2) is refused as a scenario field too
 * (exit 3). The bounds are far beyond any deployment mxsim sizes: they keep
 * typos and overflow out, not large deployments.
 */
export const COST_OPTION_RANGES = {
  /** `--labour-rate`, `cost.labourRatePerHour`: per hour, in the report currency (0 prices no labour; 1,000,000 is above any wage in any accepted currency). */
  labourRate: { min: 0, max: 1_000_000 },
  /** `--labour-hours`, `cost.labourHoursPerMonth`: operations hours per month, every month (100,000 is over 130 people around the clock). */
  labourHours: { min: 0, max: 100_000 },
  /** `--cores`: homeserver cores at month 0. */
  cores: { min: 0, above: true, max: 100_000 },
  /** `--ram-gib`: homeserver RAM at month 0, GiB. */
  ramGiB: { min: 0, above: true, max: 1_000_000 },
  /** `--processes`: homeserver processes; at most a main process and 500 workers of each of the 7 kinds a scenario allows. */
  processes: { min: 1, max: 3501, integer: true },
  /** `--horizon-months`: months to cost; a scenario's `run.horizonMonths` allows 1 to 240 (and no longer than the run's projection). */
  horizonMonths: { min: 1, max: 240, integer: true },
  /** `dbCores`, `dbRamGiB`: PostgreSQL at month 0 (0: none of its own, as for a multi-threaded server). */
  dbCores: { min: 0, max: 100_000 },
  dbRamGiB: { min: 0, max: 1_000_000 },
  /** `blockHeadroom`: provisioned over used block storage. */
  blockHeadroom: { min: 1, max: 10 },
  /** `backupCopies`: copies kept of what is backed up. */
  backupCopies: { min: 0, max: 100 },
  /** Each of `labour` (LabourParams): hours, per month or once. */
  labourParam: { min: 0, max: 100_000 },
} as const satisfies Record<string, NumberRange>;

export interface CostOptions {
  /** Report currency; default: the currency of the labour catalog's wage row. */
  currency?: string;
  /** "FROM:TO=RATE" (1 FROM = RATE TO), or parsed rates. */
  rates?: readonly (string | StatedRate)[];
  /** Use the catalogs' reference exchange rates for pairs no stated rate covers (default true; `--no-default-rates`). */
  defaultRates?: boolean;
  /** Report on prices including VAT (default false: excl. VAT). */
  vatIncluded?: boolean;
  /** Providers to compare ("AWS" or "AWS/us-east-1"); default all in scope. */
  providers?: readonly string[];
  /** SaaS vendors or plans ("Slack" or "Slack/Pro"); default all vendor-hosted plans with a price. */
  saas?: readonly string[];
  /** Non-ok rows to use anyway: "FILE:LINE", "PROVIDER" or "PROVIDER/PRODUCT". */
  use?: readonly string[];
  /** Where PostgreSQL runs (default same-host). */
  database?: DatabasePlacement;
  dbCores?: number;
  dbRamGiB?: number;
  billing?: Billing;
  /** Loaded labour rate per hour, in the report currency. */
  labourRate?: number;
  /** Operations hours per month (replaces the formula). */
  labourHours?: number;
  labour?: Partial<LabourParams>;
  blockHeadroom?: number;
  backupCopies?: number;
  /** Compute the tornado (default true). */
  sensitivity?: boolean;
  /** Compute the break-even user counts (default true). */
  breakEvenUsers?: boolean;
  /** Where the settings came from, for messages; unset ones are the options of `mxsim cost`. */
  sources?: Partial<CostSources>;
}

/**
 * Check the numeric options against COST_OPTION_RANGES. The labour rate and
 * hours, which a user sets, throw CostOptionError (cost.labour) naming the
 * option or field they came from; the others are set only by a program and
 * throw CostInputError.
 */
export function checkOptionRanges(options: CostOptions): void {
  const sources = sourcesOf(options);
  const R = COST_OPTION_RANGES;
  for (const [value, range, source] of [
    [options.labourRate, R.labourRate, sources.labourRate],
    [options.labourHours, R.labourHours, sources.labourHours],
  ] as const) {
    if (value !== undefined && !inRange(value, range)) throw new CostOptionError('cost.labour', source, msg.settingOutOfRange(source, value, range));
  }
  const problems: string[] = [];
  const check = (name: string, value: number | undefined, range: NumberRange) => {
    if (value !== undefined && !inRange(value, range)) problems.push(msg.inputRule(name, msg.aNumber(range), value));
  };
  check('dbCores', options.dbCores, R.dbCores);
  check('dbRamGiB', options.dbRamGiB, R.dbRamGiB);
  check('blockHeadroom', options.blockHeadroom, R.blockHeadroom);
  check('backupCopies', options.backupCopies, R.backupCopies);
  for (const [name, value] of Object.entries(options.labour ?? {})) check(`labour.${name}`, value, R.labourParam);
  if (problems.length > 0) throw new CostInputError(problems);
}
