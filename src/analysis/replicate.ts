/**
 * One replication of a scenario on the homeserver its `run.server` describes:
 * the one place where the workload model (src/model/) and the server layer
 * (src/server/) are put together.
 */
import { simulateReplication, type ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { createHomeserver } from '../server/server.js';

/** One replication of `s` with `seed`. `onProgress` (0..1) is called after each simulated hour. */
export function simulateOnce(s: Scenario, seed: string, onProgress?: (fraction: number) => void): ReplicationResult {
  return simulateReplication(s, seed, createHomeserver, onProgress);
}
