/**
 * One simulation of a capacity experiment, as a pool task
 * (src/analysis/pool.ts): the scenario at a user count and implementation,
 * run through the pipeline's steps 4 to 6 (simulate, summarize, verify:
 * src/analysis/run.ts), reduced to what `mxsim capacity` needs: the verified
 * recommendation's figures and the inputs of its cost. Everything it takes
 * and returns is structured-cloneable, so it can run in a worker thread.
 */
import { withUsers } from '../analysis/capacity.js';
import { runScenario } from '../analysis/run.js';
import type { Recommendation } from '../analysis/resources.js';
import { runCostInputs } from '../cost/run.js';
import type { CostInputs } from '../cost/inputs.js';
import type { Scenario } from '../scenario/grammar.js';
import { WORKER_IMPLEMENTATIONS, type Implementation } from '../scenario/limits.js';

/** What one pipeline run at one user count says about its recommendation. */
export interface CapacityRun {
  users: number;
  implementation: string;
  seed: string;
  replications: number;
  /** The verified recommendation met the CPU and latency targets. */
  targetsMet: boolean;
  deployment: Recommendation['deployment'];
  /** Cores in all (homeserver processes and PostgreSQL), and PostgreSQL's. */
  cores: number;
  databaseCores: number;
  /** Cores each component needs (p95 CPU over the ceiling), before rounding up. */
  coresByComponent: Record<string, number>;
  ramGiB: number;
  databaseRamGiB: number;
  diskGiB: number;
  bandwidthMbps: number;
  bottleneck: string;
  /** When the targets cannot be met: the mechanism and the lever. */
  limit: Recommendation['limit'];
  /** The re-simulated recommendation: highest p95 utilisation and local-send latency at the target percentile (null: not verified). */
  verified: { utilizationP95Max: number; localSendMs: number } | null;
  targets: { cpuUtilization: number; latencyPercentile: string; localSendMs: number };
  /** What the cost layer needs to price the recommendation (src/cost/inputs.ts). */
  costInputs: CostInputs;
}

/**
 * The scenario a capacity experiment runs at `users`: population scaled by
 * `withUsers` (rooms given per user follow), on `implementation` (a worker
 * deployment kept only where the implementation has workers), sized for
 * those users (run.server.sizeFor "today") and with the saturation point
 * extrapolated ("linear") rather than searched: the experiment is itself the
 * search.
 */
export function capacityScenario(s: Scenario, users: number, implementation: Implementation = s.run.server.implementation): Scenario {
  const scaled = withUsers(s, users);
  const workers = WORKER_IMPLEMENTATIONS.includes(implementation);
  const server = {
    ...scaled.run.server,
    implementation,
    deployment: workers ? scaled.run.server.deployment : ('monolith' as const),
    sizeFor: 'today' as const,
    saturation: 'linear' as const,
  };
  return { ...scaled, run: { ...scaled.run, server } };
}

/**
 * Pool task: run `s` (already at its user count and implementation) with
 * `replications` replications from `seed` (replication r: `${seed}/${r}`),
 * summarize, verify the recommendation, and return its figures.
 */
export function capacityRun(s: Scenario, seed: string, replications: number, sha256: string, version: string): CapacityRun {
  const run = runScenario(s, { seed, replications, sha256, overrides: [], version, verify: true });
  const rec = run.summary.recommendation;
  const t = rec.targets;
  return {
    users: s.population.users,
    implementation: rec.implementation,
    seed,
    replications,
    targetsMet: rec.targetsMet,
    deployment: rec.deployment,
    cores: rec.cores,
    databaseCores: rec.databaseCores,
    coresByComponent: rec.coresByComponent,
    ramGiB: rec.ramGiB,
    databaseRamGiB: rec.databaseRamGiB,
    diskGiB: rec.diskGiB,
    bandwidthMbps: rec.bandwidthMbps,
    bottleneck: rec.bottleneck,
    limit: rec.limit,
    verified: rec.verification ? { utilizationP95Max: rec.verification.utilizationP95Max, localSendMs: rec.verification.localSendMs } : null,
    targets: { cpuUtilization: t.cpuUtilization, latencyPercentile: t.latencyPercentile, localSendMs: t.localSendMs },
    costInputs: runCostInputs(run, s),
  };
}
