/**
 * What `estimateCost` (estimate.ts) can be told: the `CostOptions` (built from
 * a scenario's cost section and the command line by settings.ts), and the
 * mxsim estimates it uses for the settings they leave out.
 */
import type { StatedRate } from './currency.js';
import type { LabourParams } from './labour.js';
import type { Billing } from './saas.js';
import type { DatabasePlacement } from './selfhost.js';
import type { CostSources } from './sources.js';

/** PostgreSQL's cores and RAM as a share of the homeserver's, unless given. mxsim estimate. */
export const DB_SHARE = 0.5;
/** Provisioned block storage over what is used. mxsim estimate (keep a quarter free). */
export const BLOCK_HEADROOM = 1.25;
/** Backup copies kept of what is backed up. mxsim estimate (e.g. a snapshot chain and a weekly full copy). */
export const BACKUP_COPIES = 2;

export interface CostOptions {
  /** Report currency; default: the currency of the labour catalog's wage row. */
  currency?: string;
  /** "FROM:TO=RATE" (1 FROM = RATE TO), or parsed rates. */
  rates?: readonly (string | StatedRate)[];
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
