/**
 * A recommendation is only as good as its re-simulation: run the recommended
 * deployment on the same workload (replication 0's seed, so the users and
 * their messages are the same) and, while it misses a target, grow what is
 * on the path of the target missed, then re-run:
 * - CPU ceiling missed: the process kind (or PostgreSQL) furthest over it;
 * - local-send latency missed: the busiest resource on a send's path
 *   (event creation, persistence, PostgreSQL, the first delivery).
 * Main (or a monolith) grows by moving its largest work to workers. When
 * nothing can be added that would help, or after MAX_ITERATIONS, the
 * recommendation says the targets are not met, which mechanism prevents it
 * and which lever would help.
 */
import type { ReplicationResult } from '../model/simulate.js';
import { roundSignificant } from '../numeric/round-significant.js';
import type { Scenario } from '../scenario/grammar.js';
import { growDeployment, limitOf, offeredLoads, SEND_PATH, sizeForLoad, UTILIZATION_TOLERANCE } from '../server/sizing.js';
import { profileOf, withDeployment, workersEach, type Deployment } from '../server/topology.js';
import { normalDay, simulateOnce } from './replicate.js';
import { latencies, recommend, resources, type Latencies, type Recommendation, type Resources } from './resources.js';
import { storageBytesPerDay, storageTable } from './summarize.js';

/** The deployment a recommendation describes. */
export function deploymentFromRecommendation(s: Scenario, rec: Recommendation): Deployment {
  const d = rec.deployment;
  const workers = d.kind === 'workers' ? { ...workersEach(0), ...(d.workers ?? {}) } : null;
  return { kind: d.kind, workers, serverCores: d.serverCores, databaseCores: profileOf(s).postgres ? rec.databaseCores : 0 };
}

/** Re-simulations at most. */
export const MAX_ITERATIONS = 8;
/**
 * A resource grown once that still misses the CPU ceiling with its p95
 * utilisation down by less than this share cannot be helped by growing it
 * again (Synapse workers that each follow the replication stream, a load
 * every new worker pays in full): the loop stops there rather than spend its
 * last re-simulations on it. Method constant.
 */
const NO_PROGRESS_SHARE = 0.02;

/** The outcome of re-simulating a deployment once. */
interface Check {
  util: number;
  latency: number;
  cpuOk: boolean;
  latencyOk: boolean;
  /** Highest p95 utilisation of each process kind, and of PostgreSQL ('database'). */
  byKind: Map<string, number>;
  result: ReplicationResult;
}

function check(s: Scenario, d: Deployment, seed: string, bytesPerDay: ReturnType<typeof storageBytesPerDay>): Check {
  const t = s.run.server.targets;
  const candidate = withDeployment(normalDay(s), d);
  const r = simulateOnce(candidate, seed);
  const used = resources(candidate, [r], bytesPerDay);
  const latency = latencies([r]).localSend[t.latencyPercentile].mean;
  const byKind = new Map<string, number>();
  for (const p of used.processes) byKind.set(p.kind, Math.max(byKind.get(p.kind) ?? 0, p.utilizationP95));
  if (used.database) byKind.set('database', used.database.utilizationP95);
  const util = Math.max(...byKind.values());
  return { util, latency, cpuOk: util <= t.cpuUtilization + UTILIZATION_TOLERANCE, latencyOk: !(latency > t.localSendMs), byKind, result: r };
}

/**
 * The resource to grow after a miss: the one furthest over the ceiling; for a
 * missed latency, where the sends waited longest beyond their service (a
 * process at a low p95 may still hold them in its bursts: main fanning a
 * message out to a thousand servers); without that measure, the busiest on a
 * send's path.
 */
function culprit(c: Check, d: Deployment): string {
  const ranked = [...c.byKind.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (!c.cpuOk) return ranked[0]?.[0] ?? 'main';
  const waits = Object.entries(c.result.server.sendWaitSecondsByKind ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (waits[0] !== undefined && waits[0][1] > 0) return d.kind === 'monolith' && waits[0][0] !== 'database' ? 'main' : waits[0][0];
  // Work of the send path with no workers of its own is done by main (or the one server).
  const onPath = ranked.filter(([kind]) => SEND_PATH.includes(kind) || kind === 'main' || kind === 'server');
  const top = onPath[0]?.[0] ?? 'main';
  return d.kind === 'monolith' && top !== 'database' ? 'main' : top;
}

/**
 * The recommendation of a summarized run, re-simulated on replication 0's
 * seed (`${seed}/0`) and grown until it meets the targets or cannot.
 */
export function verifiedRecommendation(
  s: Scenario,
  seed: string,
  results: readonly ReplicationResult[],
  simulated: { resources: Resources; latencies: Latencies },
): Recommendation {
  const storage = storageTable(s, results);
  const bytesPerDay = storageBytesPerDay(s, results);
  const target = s.run.server.targets.cpuUtilization;
  let deployment = sizeForLoad(s, offeredLoads(s, results));
  const adjustments: string[] = [];
  let limit: Recommendation['limit'] = null;
  let last: Check | null = null;
  let iterations = 0;
  let grown: { resource: string; util: number } | null = null;
  while (iterations < MAX_ITERATIONS) {
    iterations++;
    last = check(s, deployment, `${seed}/0`, bytesPerDay);
    if (last.cpuOk && last.latencyOk) break;
    const resource = culprit(last, deployment);
    const util = last.byKind.get(resource);
    if (grown !== null && grown.resource === resource && util !== undefined && !last.cpuOk && util > grown.util * (1 - NO_PROGRESS_SHARE)) {
      // The last step added to this resource and its load did not fall: more of it will not help.
      limit = limitOf(resource, [last.result]);
      const replication = offeredLoads(withDeployment(s, deployment), [last.result]).replicationCores;
      const following = deployment.kind === 'workers' && resource !== 'database' && resource !== 'main' && replication > 0;
      adjustments.push(
        `adding to ${resource} did not lower its p95 utilisation (${grown.util.toFixed(3)} before, ${util.toFixed(3)} after)` +
          (following ? `; each worker also follows the replication stream, ${replication.toFixed(2)} of a core at the p95 bin` : ''),
      );
      break;
    }
    grown = util === undefined ? null : { resource, util };
    const step = growDeployment(deployment, resource, offeredLoads(withDeployment(s, deployment), [last.result]), target, last.cpuOk ? undefined : last.byKind.get(resource));
    if (step.deployment === null) {
      limit = limitOf(step.resource, [last.result]);
      adjustments.push(`nothing can be added to ${step.resource} that would help`);
      break;
    }
    if (iterations === MAX_ITERATIONS) {
      limit = { ...limitOf(resource, [last.result]), mechanism: `after ${MAX_ITERATIONS} re-simulations, still ${limitOf(resource, [last.result]).mechanism}` };
      break;
    }
    adjustments.push(step.what);
    deployment = step.deployment;
  }
  const ok = last !== null && last.cpuOk && last.latencyOk;
  const rec = recommend(s, results, storage, simulated, deployment);
  rec.verification = {
    seed: `${seed}/0`,
    iterations,
    meetsTargets: ok,
    utilizationP95Max: roundSignificant(last?.util ?? NaN, 6),
    localSendMs: roundSignificant(last?.latency ?? NaN, 6),
    adjustments,
  };
  rec.targetsMet = ok;
  rec.limit = ok ? null : limit;
  if (adjustments.length > 0 && ok) rec.notes.push(`CPU sizing alone missed a target when re-simulated; added ${adjustments.join(', then ')}`);
  if (!ok && rec.limit) rec.notes.push(`the targets cannot be met by adding processes or cores: ${rec.limit.mechanism}. Lever: ${rec.limit.lever}`);
  return rec;
}
