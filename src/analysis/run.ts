/**
 * Steps 4 to 6 of the pipeline (src/pipeline.ts): simulate the replications
 * of a scenario, summarize them, and verify the recommendation by
 * re-simulating it. Replication r runs with seed `${seed}/${r}`, so adding
 * replications never changes the earlier ones.
 */
import type { ReplicationResult } from '../model/simulate.js';
import { simulateOnce } from './replicate.js';
import { verifiedRecommendation } from './verify.js';
import type { StorageMonth } from '../model/storage.js';
import type { Scenario } from '../scenario/grammar.js';
import { latencyDistributions, serverTables, seriesTables, storageTable, summarize, type SeriesTables, type Summary } from './summarize.js';

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
  const recommendation = verifiedRecommendation(s, summary.seed, run.results, { resources: summary.resources, latencies: summary.latencyMs });
  return { ...run, summary: { ...summary, recommendation } };
}

/** Steps 4 to 6 in one call: simulate, summarize and (unless `verify: false`) verify. */
export function runScenario(s: Scenario, o: ScenarioRunOptions): ScenarioRun {
  const results = simulateReplications(s, o);
  o.onProgress?.(1, 'summarizing and checking the recommendation');
  const run = summarizeRun(s, results, o);
  return o.verify === false ? run : verifyRun(s, run);
}
