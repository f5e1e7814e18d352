/**
 * Steps 4 to 6 of the pipeline (src/pipeline.ts): simulate the replications
 * of a scenario, summarize them, and verify the recommendation by
 * re-simulating it. Replication r runs with seed `${seed}/${r}`, so adding
 * replications never changes the earlier ones.
 */
import type { ReplicationResult } from '../model/simulate.js';
import { simulateOnce } from './replicate.js';
import { searchCapacity, withUsers } from './capacity.js';
import { latencies, resources, type Recommendation } from './resources.js';
import { deploymentFromRecommendation, verifiedRecommendation } from './verify.js';
import type { StorageMonth } from '../model/storage.js';
import type { Scenario } from '../scenario/grammar.js';
import { latencyDistributions, serverTables, seriesTables, storageBytesPerDay, storageTable, summarize, type SeriesTables, type Summary } from './summarize.js';

export interface ScenarioRun {
  summary: Summary;
  series: SeriesTables;
  storage: StorageMonth[];
  /** Cores, queues and latency per bin, per process. */
  server: SeriesTables;
  /** Latency at quantiles, ms, merged over replications. */
  latency: ReturnType<typeof latencyDistributions>;
  results: ReplicationResult[];
}

export interface ScenarioRunOptions {
  seed?: string | number;
  replications?: number;
  sha256: string;
  overrides: string[];
  version: string;
  /** Re-simulate the recommendation until it meets its targets (default true). */
  verify?: boolean;
  /** Progress: the share of the replications done (0..1) and what is running. */
  onProgress?: (fraction: number, phase: string) => void;
}

/** The run seed of a scenario: the option, or the scenario's `run.seed`. */
export function runSeed(s: Scenario, o: Pick<ScenarioRunOptions, 'seed'>): string {
  return String(o.seed ?? s.run.seed);
}

/** Pipeline step 4: simulate the replications; replication r runs with seed `${seed}/${r}`. */
export function simulateReplications(s: Scenario, o: Omit<ScenarioRunOptions, 'sha256' | 'overrides' | 'version' | 'verify'>): ReplicationResult[] {
  const seed = runSeed(s, o);
  const replications = o.replications ?? s.run.replications;
  const results: ReplicationResult[] = [];
  for (let r = 0; r < replications; r++) {
    const phase = `replication ${r + 1}/${replications}`;
    const onProgress = o.onProgress;
    const progress = onProgress ? (f: number) => onProgress((r + f) / replications, phase) : undefined;
    results.push(simulateOnce(s, `${seed}/${r}`, progress));
    onProgress?.((r + 1) / replications, phase);
  }
  return results;
}

/** Pipeline step 5: the summary (with the CPU-sized recommendation) and the tables behind the CSV files. */
export function summarizeRun(s: Scenario, results: ReplicationResult[], o: ScenarioRunOptions): ScenarioRun {
  return {
    summary: summarize({ scenario: s, sha256: o.sha256, overrides: o.overrides, version: o.version, seed: runSeed(s, o), results }),
    series: seriesTables(s, results),
    storage: storageTable(s, results),
    server: serverTables(s, results),
    latency: latencyDistributions(results),
    results,
  };
}

/** Pipeline step 6: the recommendation re-simulated and grown until it meets its targets (src/analysis/verify.ts). */
export function verifyRun(s: Scenario, run: ScenarioRun): ScenarioRun {
  const { summary } = run;
  const seed = summary.seed;
  const today = s.population.users;
  const atHorizon = Math.round(run.storage.at(-1)?.users ?? today);
  let recommendation: Recommendation;
  const grows = atHorizon > today * HORIZON_GROWTH_THRESHOLD;
  if (grows && s.run.server.sizeFor === 'horizon') {
    // Users grow: size for those at the end of the horizon, from a simulation of them.
    const sH = withUsers(s, atHorizon);
    const resultsH = [simulateOnce(sH, `${seed}/horizon`)];
    const simulated = { resources: resources(sH, resultsH, storageBytesPerDay(sH, resultsH)), latencies: latencies(resultsH) };
    recommendation = verifiedRecommendation(sH, seed, resultsH, simulated);
    // Disk comes from today's run projected over the horizon (the horizon run would project its growth again).
    recommendation.diskGiB = summary.recommendation.diskGiB;
    recommendation.horizonUsers = atHorizon;
    // The verdict on the scenario's own deployment is on the run as simulated (today's users),
    // not on the horizon's simulation, which only serves to size the recommendation.
    recommendation.simulatedDeploymentMeetsTargets = summary.recommendation.simulatedDeploymentMeetsTargets;
    recommendation.notes.push(
      `sized for the ${atHorizon.toLocaleString('en-US')} users at the end of the ${s.run.horizonMonths}-month horizon (${today.toLocaleString('en-US')} today); today's load needs ${summary.recommendation.cores} cores and ${summary.recommendation.ramGiB} GiB by CPU sizing alone`,
    );
  } else {
    recommendation = verifiedRecommendation(s, seed, run.results, { resources: summary.resources, latencies: summary.latencyMs });
  }
  if (s.run.server.saturation === 'simulated' && recommendation.targetsMet) {
    const sized = withUsers(s, recommendation.horizonUsers);
    // The linear extrapolation of the bottleneck is the first guess; the simulations decide.
    const found = searchCapacity(sized, deploymentFromRecommendation(sized, recommendation), seed, {
      fromUsers: recommendation.horizonUsers,
      guessUsers: recommendation.saturationUsers,
    });
    recommendation.saturationUsers = found.users;
    recommendation.saturationMethod = 'simulated';
    if (found.bracket[1] === null)
      recommendation.notes.push(`the recommended deployment still meets its targets at ${found.users.toLocaleString('en-US')} users, the largest population tried`);
  }
  if (grows && s.run.server.sizeFor === 'today') {
    // A plan: today's deployment, and when growth takes the users past what it holds.
    const g = s.population.growthPerMonth;
    const month = g > 0 ? Math.ceil(Math.log(recommendation.saturationUsers / today) / Math.log(1 + g)) : null;
    recommendation.growAtMonth = month !== null && month <= s.run.horizonMonths ? Math.max(0, month) : null;
    recommendation.notes.push(
      recommendation.growAtMonth === null
        ? `sized for today's ${today.toLocaleString('en-US')} users; at ${(g * 100).toFixed(1)}% growth a month it holds the ${atHorizon.toLocaleString('en-US')} users of month ${s.run.horizonMonths}`
        : `sized for today's ${today.toLocaleString('en-US')} users; at ${(g * 100).toFixed(1)}% growth a month it must grow by month ${recommendation.growAtMonth} (${recommendation.saturationUsers.toLocaleString('en-US')} users; ${atHorizon.toLocaleString('en-US')} by month ${s.run.horizonMonths})`,
    );
  }
  return { ...run, summary: { ...summary, recommendation } };
}

/** Users must grow by more than this factor over the horizon for the deployment to be sized for the horizon's users. */
const HORIZON_GROWTH_THRESHOLD = 1.01;

/** Steps 4 to 6 in one call: simulate, summarize and (unless `verify: false`) verify. */
export function runScenario(s: Scenario, o: ScenarioRunOptions): ScenarioRun {
  const results = simulateReplications(s, o);
  o.onProgress?.(1, 'summarizing and checking the recommendation');
  const run = summarizeRun(s, results, o);
  return o.verify === false ? run : verifyRun(s, run);
}
