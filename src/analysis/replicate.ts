/**
 * One replication of a scenario on the homeserver its `run.server` describes:
 * the one place where the workload model (src/model/) and the server layer
 * (src/server/) are put together.
 *
 * A scenario with a timeline is simulated twice per replication with the same
 * seed: first with its incidents inert (their windows recorded, nothing
 * changed), then with them. The two runs are the same until the first
 * incident starts (incidents draw from a stream of their own), so the
 * difference in each window is the incident's, not the seed's (common random
 * numbers). The first run's windows become `incidentBaselines`.
 */
import { simulateReplication, type ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { createHomeserver } from '../server/server.js';

/**
 * The scenario on a normal day: without its timeline. The recommendation is
 * sized and verified on normal days (verify.ts, capacity.ts, the horizon's
 * simulation); incidents are reported against the scenario's own deployment.
 */
export function normalDay(s: Scenario): Scenario {
  return s.timeline.length === 0 ? s : { ...s, timeline: [] };
}

/** One replication of `s` with `seed`. `onProgress` (0..1) is called after each simulated hour. */
export function simulateOnce(s: Scenario, seed: string, onProgress?: (fraction: number) => void): ReplicationResult {
  if (s.timeline.length === 0) return simulateReplication(s, seed, createHomeserver, onProgress);
  const half = (from: number) => (onProgress ? (f: number) => onProgress(from + f / 2) : undefined);
  const baseline = simulateReplication(s, seed, createHomeserver, half(0), { incidentsInert: true });
  const result = simulateReplication(s, seed, createHomeserver, half(0.5));
  result.incidentBaselines = baseline.incidents;
  return result;
}
