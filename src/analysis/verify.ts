/**
 * A recommendation is only as good as its re-simulation: run the recommended
 * deployment on the same workload (replication 0's seed, so the users and
 * their messages are the same) and, while it misses a target, add capacity
 * where the queues are longest, then re-run.
 */
import type { ReplicationResult } from '../model/simulate.js';
import { roundSignificant } from '../numeric/round-significant.js';
import { simulateOnce } from './replicate.js';
import type { Scenario } from '../scenario/grammar.js';
import { growDeployment, offeredLoads, pressure, sizeForLoad, UTILIZATION_TOLERANCE } from '../server/sizing.js';
import { deploymentCores, deploymentOf, withDeployment } from '../server/topology.js';
import { latencies, recommend, resources, type Latencies, type Recommendation, type Resources } from './resources.js';
import { storageBytesPerDay, storageTable } from './summarize.js';

/** Re-simulations at most; each adds a quarter more of the most queued resource. */
const MAX_ITERATIONS = 8;

/**
 * The recommendation of a summarized run, re-simulated on replication 0's
 * seed (`${seed}/0`) and grown until it meets the targets or cannot.
 */
export function verifiedRecommendation(s: Scenario, seed: string, results: readonly ReplicationResult[], simulated: { resources: Resources; latencies: Latencies }): Recommendation {
  const storage = storageTable(s, results);
  const bytesPerDay = storageBytesPerDay(s, results);
  const t = s.run.server.targets;
  let sizing = sizeForLoad(s, offeredLoads(s, results));
  // A deployment that already met the targets as simulated, and is no larger, stands.
  const met = simulated.resources.processes.every((p) => p.utilizationP95 <= t.cpuUtilization + UTILIZATION_TOLERANCE) &&
    (simulated.resources.database?.utilizationP95 ?? 0) <= t.cpuUtilization + UTILIZATION_TOLERANCE &&
    !(simulated.latencies.localSend[t.latencyPercentile].mean > t.localSendMs);
  if (met && deploymentCores(deploymentOf(s)) <= deploymentCores(sizing)) sizing = deploymentOf(s);
  const adjustments: string[] = [];
  let last = { util: NaN, latency: NaN, ok: false };
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    iterations++;
    const candidate = withDeployment(s, sizing);
    const r = simulateOnce(candidate, `${seed}/0`);
    const used = resources(candidate, [r], bytesPerDay);
    const latency = latencies([r]).localSend[t.latencyPercentile].mean;
    const utils = [...used.processes.map((p) => p.utilizationP95), used.database?.utilizationP95 ?? 0];
    const util = Math.max(...utils);
    const cpuOk = util <= t.cpuUtilization + UTILIZATION_TOLERANCE;
    const latencyOk = !(latency > t.localSendMs);
    last = { util, latency, ok: cpuOk && latencyOk };
    if (last.ok || iterations === MAX_ITERATIONS) break;
    const utilization = { processes: used.processes.map((p) => p.utilizationP95), database: used.database?.utilizationP95 ?? null };
    const next = growDeployment(sizing, pressure(r, utilization, cpuOk ? 'queue' : 'utilization'));
    if (next === null) {
      adjustments.push('no resource can be added that would help (the main process is the limit)');
      break;
    }
    adjustments.push(next.what);
    sizing = next.deployment;
  }
  const rec = recommend(s, results, storage, simulated, sizing);
  rec.verification = {
    seed: `${seed}/0`,
    iterations,
    meetsTargets: last.ok,
    utilizationP95Max: roundSignificant(last.util, 6),
    localSendMs: roundSignificant(last.latency, 6),
    adjustments,
  };
  const grown = adjustments.filter((a) => a.includes(' to ') || a.startsWith('workers'));
  if (grown.length > 0 && last.ok) {
    rec.notes.push(`CPU sizing alone missed the latency or CPU target when re-simulated; added ${grown.join(', then ')}`);
  }
  if (!last.ok) rec.notes.push(`re-simulated ${iterations} times, the deployment still misses a target; treat it as a lower bound`);
  return rec;
}
