/**
 * One replication as a task of the pool (pool.ts): `simulateOnce` with its
 * result encoded for the trip from a worker thread (replication-codec.ts).
 * Its own module so that a worker imports the simulation and nothing of the
 * summary, verification or report.
 */
import type { Scenario } from '../scenario/grammar.js';
import { encodeReplication, type EncodedReplication } from './replication-codec.js';
import { simulateOnce } from './replicate.js';

/** The URL of this module, for a `Task`. */
export const REPLICATION_TASK_MODULE = import.meta.url;

/** One replication of `s` with `seed`, encoded; `decodeReplication` gives the `ReplicationResult`. */
export function simulateOnceTask(s: Scenario, seed: string, onProgress?: (fraction: number) => void): EncodedReplication {
  return encodeReplication(simulateOnce(s, seed, onProgress));
}
