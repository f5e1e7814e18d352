/**
 * One job of a sweep: one point's scenario, one replication, through the
 * whole run (simulate, summarize, verify the recommendation:
 * src/analysis/run.ts), reduced to a small row of outputs. It is an exported
 * function taking only structured-cloneable arguments, so the pool
 * (src/analysis/pool.ts) can run it in this thread or another.
 *
 * Replication r simulates with seed `${seed}/${r}`, as replication r of
 * `mxsim run --seed SEED` does, and the same seed at every point (common
 * random numbers); the recommendation is verified from that seed.
 */
import { simulateOnce } from '../analysis/replicate.js';
import { summarizeRun, verifyRun, type ScenarioRun } from '../analysis/run.js';
import type { Scenario } from '../scenario/grammar.js';

/** An output of a sweep: its name (a column), what it is, and how it is read from a run. */
export interface OutputDefinition {
  name: string;
  /** What it is, for the docs, the page and the chart's axis. */
  label: string;
  unit: string;
  /** True/false outputs: their mean over replications is the share of runs where they hold. */
  boolean?: boolean;
  of: (run: ScenarioRun) => number | boolean;
}

const maxUtilization = (run: ScenarioRun): number => {
  const r = run.summary.resources;
  return Math.max(0, ...r.processes.map((p) => p.utilizationP95), r.database?.utilizationP95 ?? 0);
};

/** Every output a sweep can record (`--outputs` picks some; all by default), in this order. */
export const OUTPUTS: readonly OutputDefinition[] = [
  { name: 'cores', label: 'recommended cores (PostgreSQL included)', unit: 'cores', of: (r) => r.summary.recommendation.cores },
  { name: 'ramGiB', label: 'recommended RAM', unit: 'GiB', of: (r) => r.summary.recommendation.ramGiB },
  { name: 'diskGiB', label: 'recommended disk for the horizon', unit: 'GiB', of: (r) => r.summary.recommendation.diskGiB },
  { name: 'bandwidthMbps', label: 'recommended bandwidth', unit: 'Mbit/s', of: (r) => r.summary.recommendation.bandwidthMbps },
  { name: 'processes', label: 'processes of the recommended deployment', unit: 'processes', of: (r) => r.summary.recommendation.deployment.processes },
  { name: 'localSendP95Ms', label: 'p95 local-send latency, as simulated', unit: 'ms', of: (r) => r.summary.latencyMs.localSend.p95.mean },
  { name: 'utilizationP95', label: 'highest p95 utilisation of a process or the database, as simulated', unit: 'share', of: maxUtilization },
  { name: 'coresBusyP95', label: 'cores busy at the p95 bin, as simulated', unit: 'cores', of: (r) => r.summary.resources.totalCores.p95 },
  { name: 'targetsMet', label: 'the recommendation meets its targets', unit: 'share of runs', boolean: true, of: (r) => r.summary.recommendation.targetsMet },
  {
    name: 'deploymentMeetsTargets',
    label: "the scenario's own deployment meets its targets, as simulated",
    unit: 'share of runs',
    boolean: true,
    of: (r) => r.summary.recommendation.simulatedDeploymentMeetsTargets.cpu && r.summary.recommendation.simulatedDeploymentMeetsTargets.latency,
  },
  { name: 'saturationUsers', label: 'users at which the recommendation misses its targets', unit: 'users', of: (r) => r.summary.recommendation.saturationUsers },
  { name: 'events', label: 'simulation events (the cost of the run)', unit: 'events', of: (r) => r.results.reduce((n, x) => n + x.events, 0) },
];

export const OUTPUT_NAMES: readonly string[] = OUTPUTS.map((o) => o.name);

/** A job's row: every output by name. */
export type OutputRow = Record<string, number | boolean>;

/**
 * Run one replication of `scenario` with seed `${seed}/${replication}`,
 * summarize and (unless `verify` is false) verify it, and return every output.
 * `onProgress`, when the pool passes it, is told 0 as the job starts (the
 * sweep's count of runs running).
 */
export function sweepJob(scenario: Scenario, seed: string, replication: number, version: string, verify = true, onProgress?: (fraction: number) => void): OutputRow {
  onProgress?.(0);
  const results = [simulateOnce(scenario, `${seed}/${replication}`)];
  const options = { seed: `${seed}/${replication}`, replications: 1, sha256: '', overrides: [], version };
  const summarized = summarizeRun(scenario, results, options);
  const run = verify ? verifyRun(scenario, summarized) : summarized;
  return Object.fromEntries(OUTPUTS.map((o) => [o.name, o.of(run)]));
}
