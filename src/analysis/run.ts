/**
 * Steps 4 and 5 of the pipeline: simulate the replications of a scenario and
 * summarize them. Replication r runs with seed `${seed}/${r}`, so adding
 * replications never changes the earlier ones.
 */
import { simulateReplication, type ReplicationResult } from '../model/simulate.js';
import { createHomeserver } from '../server/server.js';
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

/** One replication of `s` with `seed` on the homeserver its `run.server` describes. */
export function simulateOnce(s: Scenario, seed: string, onProgress?: (fraction: number) => void): ReplicationResult {
  return simulateReplication(s, seed, createHomeserver, onProgress);
}

export function runScenario(s: Scenario, o: ScenarioRunOptions): ScenarioRun {
  const seed = String(o.seed ?? s.run.seed);
  const replications = o.replications ?? s.run.replications;
  const results: ReplicationResult[] = [];
  for (let r = 0; r < replications; r++) {
    const phase = `replication ${r + 1}/${replications}`;
    const progress = o.onProgress ? (f: number) => o.onProgress!((r + f) / replications, phase) : undefined;
    results.push(simulateOnce(s, `${seed}/${r}`, progress));
    o.onProgress?.((r + 1) / replications, phase);
  }
  o.onProgress?.(1, 'summarizing and checking the recommendation');
  return {
    summary: summarize({ scenario: s, sha256: o.sha256, overrides: o.overrides, version: o.version, seed, results, verify: o.verify ?? true }),
    series: seriesTables(s, results),
    storage: storageTable(s, results),
    server: serverTables(s, results),
    latency: latencyDistributions(results),
    results,
  };
}
