/**
 * `mxsim capacity SCENARIO --users N` and `--table 500,2500,...`: for each
 * user count and implementation, the deployment that meets the targets (the
 * verified recommendation of src/experiments/capacity-run.ts) and the
 * cheapest offer that hosts it, priced by the cost layer as `mxsim cost`
 * prices a run (src/cost/estimate.ts picks hosts for the cores and RAM,
 * src/cost/host-picking.ts; the cheapest offer over the horizon). Each
 * (users, implementation) is one pool task; rows come back in task order.
 */
import { runTasks, type PoolOptions, type Task } from '../analysis/pool.js';
import type { Catalogs } from '../cost/catalog-schema.js';
import { CostInputError, CostOptionError, CurrencyMixError } from '../cost/errors.js';
import { estimateCost } from '../cost/estimate.js';
import type { CostOptions } from '../cost/options.js';
import { cents } from '../cost/cost-report.js';
import type { MonthCost } from '../cost/selfhost.js';
import type { Implementation, Scenario } from '../scenario/grammar.js';
import { capacityScenario, type CapacityRun } from './capacity-run.js';
import { CAPACITY_RUN, deploymentText } from './capacity-hardware.js';

/** The implementations priced when none are named: Synapse and a Rust server. */
export const DEFAULT_IMPLEMENTATIONS: readonly Implementation[] = ['synapse', 'tuwunel'];

/** The cheapest offer for a row's deployment, or why there is none. */
export interface RowCost {
  currency: string;
  vatIncluded: boolean;
  /** "Hetzner EU". */
  offer: string;
  /** Hosts at month 1: "1 x CCX33 + 1 x CX22". */
  hosts: string;
  /** Month 1's hosting: compute, storage, egress, database and backups (labour and setup left out). */
  hostingMonthly: number;
  /** Month 1 in all, setup excluded, labour included (what `mxsim cost` calls month 1). */
  monthly: number;
}

/** One row of the reference table: one user count on one implementation. */
export interface CapacityRow {
  users: number;
  implementation: string;
  deployment: string;
  processes: number;
  targetsMet: boolean;
  cores: number;
  databaseCores: number;
  ramGiB: number;
  diskGiB: number;
  bandwidthMbps: number;
  bottleneck: string;
  /** When the targets cannot be met: the mechanism that prevents it. */
  limit: string | null;
  /** Null when it could not be priced (`costNote` says why). */
  cost: RowCost | null;
  costNote: string | null;
}

export interface CapacityTable {
  scenario: string;
  seed: string;
  replications: number;
  horizonMonths: number;
  rows: CapacityRow[];
}

export interface TableOptions {
  users: readonly number[];
  implementations: readonly Implementation[];
  seed: string;
  replications: number;
  sha256: string;
  version: string;
  catalogs: Catalogs;
  cost: CostOptions;
  pool?: Pick<PoolOptions, 'jobs'>;
  /** Each row as its simulation ends (in the order they end), with how many have ended. */
  onRow?: (done: number, total: number, users: number, implementation: string) => void;
}

/** One task per (users, implementation), users first. */
export function tableTasks(s: Scenario, o: Pick<TableOptions, 'users' | 'implementations' | 'seed' | 'replications' | 'sha256' | 'version'>): Task[] {
  return o.users.flatMap((users) =>
    o.implementations.map((implementation) => ({
      ...CAPACITY_RUN,
      args: [capacityScenario(s, users, implementation), o.seed, o.replications, o.sha256, o.version],
    })),
  );
}

/** Month 1's hosting: the month's total without labour and setup, to the cent. */
function hosting(m: MonthCost | undefined): number {
  return m === undefined ? 0 : cents(m.total - m.labour - m.setup);
}

/** The cheapest offer for a run's recommendation, as `mxsim cost` finds it (sensitivity and break-even users left out: not shown). */
export function rowCost(run: CapacityRun, catalogs: Catalogs, options: CostOptions): { cost: RowCost | null; note: string | null } {
  try {
    const report = estimateCost(run.costInputs, catalogs, { ...options, sensitivity: false, breakEvenUsers: false });
    const h = report.selfHost;
    if (h === null) return { cost: null, note: report.notes.join('; ') || 'no self-hosting offer in scope' };
    return {
      cost: {
        currency: report.currency,
        vatIncluded: report.vatIncluded,
        offer: h.label,
        hosts: h.hosts
          .filter((x) => x.fromMonth === 1)
          .map((x) => `${x.count} x ${x.instance}${x.managed ? ' (managed)' : ''}`)
          .join(' + '),
        hostingMonthly: hosting(h.byMonth[0]),
        monthly: h.monthly,
      },
      note: null,
    };
  } catch (e) {
    if (e instanceof CurrencyMixError || e instanceof CostOptionError || e instanceof CostInputError) return { cost: null, note: e.message.replace(/\n\s*/g, ' ') };
    throw e;
  }
}

/** A table row from a run and its cost. */
export function tableRow(run: CapacityRun, catalogs: Catalogs, options: CostOptions): CapacityRow {
  const { cost, note } = rowCost(run, catalogs, options);
  return {
    users: run.users,
    implementation: run.implementation,
    deployment: deploymentText(run),
    processes: run.deployment.processes,
    targetsMet: run.targetsMet,
    cores: run.cores,
    databaseCores: run.databaseCores,
    ramGiB: run.ramGiB,
    diskGiB: run.diskGiB,
    bandwidthMbps: run.bandwidthMbps,
    bottleneck: run.bottleneck,
    limit: run.limit?.mechanism ?? null,
    cost,
    costNote: note,
  };
}

/** The reference table: every user count on every implementation, simulated through the pool, then priced. */
export async function capacityTable(s: Scenario, o: TableOptions): Promise<CapacityTable> {
  const tasks = tableTasks(s, o);
  let done = 0;
  const runs = await runTasks<CapacityRun>(tasks, {
    ...o.pool,
    onDone: (i, r) => o.onRow?.(++done, tasks.length, (r as CapacityRun).users, (r as CapacityRun).implementation),
  });
  return { scenario: s.name, seed: o.seed, replications: o.replications, horizonMonths: s.run.horizonMonths, rows: runs.map((r) => tableRow(r, o.catalogs, o.cost)) };
}
