/**
 * Steps 4 to 6 of the pipeline (src/pipeline.ts): simulate the replications
 * of a scenario, summarize them, and verify the recommendation by
 * re-simulating it. Replication r runs with seed `${seed}/${r}`, so adding
 * replications never changes the earlier ones.
 *
 * `simulateReplications` runs them one after the other in this thread;
 * `simulateOnPool` runs them as tasks of the pool (pool.ts) on several
 * threads, with step 6's simulation of the horizon's users among them when
 * step 6 will need it (it depends on the scenario alone, not on the
 * replications). Both give the same results, bit for bit.
 */
import { withBill } from './bill.js';
import type { ReplicationResult } from '../model/simulate.js';
import { runTasks, type Task } from './pool.js';
import { decodeReplication, type EncodedReplication } from './replication-codec.js';
import { REPLICATION_TASK_MODULE } from './replication-task.js';
import { normalDay, simulateOnce } from './replicate.js';
import { searchCapacity, withUsers } from './capacity.js';
import { latencies, resources, type Recommendation } from './resources.js';
import { deploymentFromRecommendation, verifiedRecommendation } from './verify.js';
import { survivingRecommendation } from './survive.js';
import type { StorageMonth } from '../model/storage.js';
import type { Scenario } from '../scenario/grammar.js';
import { round6 } from './stat.js';
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

/** Step 6's simulation of the users at the end of the horizon, run ahead of step 6 (`simulateOnPool`). */
export interface HorizonSimulation {
  /** The users it simulated (those of the storage table's last month). */
  users: number;
  result: ReplicationResult;
}

/** What `simulateOnPool` returns: the replications, and step 6's horizon simulation when it will be needed. */
export interface PoolSimulation {
  results: ReplicationResult[];
  horizon: HorizonSimulation | null;
}

/** Options of `simulateOnPool`. */
export interface PoolRunOptions extends Omit<ScenarioRunOptions, 'sha256' | 'overrides' | 'version'> {
  /** Threads at most (1: in this thread). */
  jobs: number;
  signal?: AbortSignal;
}

/**
 * The users at the end of the horizon, as step 5's storage table gives them
 * (month `horizonMonths` of `projectStorage`, rounded there and again here):
 * they follow from the scenario's growth alone.
 */
export function horizonUsers(s: Scenario): number {
  return Math.round(round6(s.population.users * Math.pow(1 + s.population.growthPerMonth, s.run.horizonMonths)));
}

/** Does step 6 size for the horizon's users from a simulation of them? */
function simulatesHorizon(s: Scenario, atHorizon: number): boolean {
  return atHorizon > s.population.users * HORIZON_GROWTH_THRESHOLD && s.run.server.sizeFor === 'horizon';
}

/**
 * Pipeline step 4 on up to `jobs` threads: the replications (seeds as in
 * `simulateReplications`) and, unless `verify: false`, step 6's simulation of
 * the horizon's users when it will need one, all tasks of one pool. Progress
 * is the share of the replications done.
 */
export async function simulateOnPool(s: Scenario, o: PoolRunOptions): Promise<PoolSimulation> {
  const seed = runSeed(s, o);
  const replications = o.replications ?? s.run.replications;
  const task = (sc: Scenario, taskSeed: string): Task => ({ module: REPLICATION_TASK_MODULE, name: 'simulateOnceTask', args: [sc, taskSeed], progress: true });
  const tasks = Array.from({ length: replications }, (_, r) => task(s, `${seed}/${r}`));
  const atHorizon = horizonUsers(s);
  const horizon = o.verify !== false && simulatesHorizon(s, atHorizon);
  // The horizon's simulation is the longest task (more users): first, so that it is not the last to start.
  const horizonAt = horizon ? (o.jobs > 1 ? 0 : replications) : -1;
  if (horizon) tasks.splice(horizonAt, 0, task(withUsers(normalDay(s), atHorizon), `${seed}/horizon`));
  // Progress: the share of the replications done; the horizon's simulation is not counted.
  const shares = new Array<number>(tasks.length).fill(0);
  let done = 0;
  let horizonDone = !horizon;
  const onProgress = o.onProgress;
  const report = () => {
    if (!onProgress) return;
    let sum = 0;
    for (let i = 0; i < shares.length; i++) if (i !== horizonAt) sum += shares[i]!;
    onProgress(sum / replications, done < replications || horizonDone ? `replications: ${done} of ${replications} done` : "simulating the horizon's users");
  };
  const encoded = await runTasks<EncodedReplication>(tasks, {
    jobs: o.jobs,
    signal: o.signal,
    onProgress: (index, fraction) => {
      if (index === horizonAt) return;
      shares[index] = fraction;
      report();
    },
    onDone: (index) => {
      if (index === horizonAt) {
        horizonDone = true;
        return;
      }
      shares[index] = 1;
      done++;
      report();
    },
  });
  const decoded = encoded.map(decodeReplication);
  const horizonResult = horizon ? decoded.splice(horizonAt, 1)[0]! : null;
  return { results: decoded, horizon: horizonResult ? { users: atHorizon, result: horizonResult } : null };
}

/** Pipeline step 5: the summary (with the CPU-sized recommendation) and the tables behind the CSV files. */
export function summarizeRun(s: Scenario, results: ReplicationResult[], o: ScenarioRunOptions): ScenarioRun {
  return {
    summary: summarize({
      scenario: s,
      sha256: o.sha256,
      overrides: o.overrides,
      version: o.version,
      seed: runSeed(s, o),
      results,
      // The encryption lever re-simulates the first replication's seed (run.trustBoundaryLevers).
      leverRunner: s.run.trustBoundaryLevers ? (lever) => simulateOnce(lever, `${runSeed(s, o)}/0`) : null,
    }),
    series: seriesTables(s, results),
    storage: storageTable(s, results),
    server: serverTables(s, results),
    latency: latencyDistributions(results),
    results,
  };
}

/**
 * Pipeline step 6: the recommendation re-simulated and grown until it meets
 * its targets (src/analysis/verify.ts). `horizon`: the simulation of the
 * horizon's users `simulateOnPool` ran ahead (else it is run here if needed).
 */
export function verifyRun(s: Scenario, run: ScenarioRun, horizon: HorizonSimulation | null = null): ScenarioRun {
  const { summary } = run;
  const seed = summary.seed;
  const today = s.population.users;
  const atHorizon = Math.round(run.storage.at(-1)?.users ?? today);
  let recommendation: Recommendation;
  const grows = atHorizon > today * HORIZON_GROWTH_THRESHOLD;
  if (simulatesHorizon(s, atHorizon)) {
    // Users grow: size for those at the end of the horizon, from a simulation of them.
    const sH = withUsers(normalDay(s), atHorizon);
    const resultsH = [horizon?.users === atHorizon ? horizon.result : simulateOnce(sH, `${seed}/horizon`)];
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
    if (s.timeline.length === 0) {
      recommendation = verifiedRecommendation(s, seed, run.results, { resources: summary.resources, latencies: summary.latencyMs });
    } else {
      // Sized on a normal day: replication 0 without the timeline, not the runs with the incidents in them.
      const normal = normalDay(s);
      const results = [simulateOnce(normal, `${seed}/0`)];
      const simulated = { resources: resources(normal, results, storageBytesPerDay(normal, results)), latencies: latencies(results) };
      recommendation = verifiedRecommendation(normal, seed, results, simulated);
      recommendation.diskGiB = summary.recommendation.diskGiB;
      recommendation.simulatedDeploymentMeetsTargets = summary.recommendation.simulatedDeploymentMeetsTargets;
    }
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
  // The bad days: grown from the normal day's deployment until it survives the incidents it must (survive.ts).
  recommendation.survival = survivingRecommendation(withUsers(s, recommendation.horizonUsers), seed, recommendation);
  if (recommendation.survival) {
    const sv = recommendation.survival;
    recommendation.notes.push(
      sv.meetsTargets
        ? `to survive ${sv.incidents.join(', ')}: ${sv.deployment.processes} process${sv.deployment.processes === 1 ? '' : 'es'} and PostgreSQL on ${sv.databaseCores} cores, against ${recommendation.deployment.processes} and ${recommendation.databaseCores} for a normal day`
        : `${sv.incidents.join(', ')}: not survived after ${sv.iterations} re-simulations (${sv.adjustments.at(-1) ?? 'nothing to grow'})`,
    );
  }
  return { ...run, summary: { ...summary, recommendation: withBill(s, run.results, recommendation, run.storage) } };
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
