/**
 * Sizing that sees the bad days: the deployment recommended for a normal day
 * (verify.ts), re-simulated with the incidents the scenario says it must
 * survive (`timeline[].mustSurvive`) and grown until it does (docs/MODEL.md,
 * section 33). An incident is survived when the local sends completed from
 * its start until what it queued drained meet the latency target at its
 * percentile (run.server.targets), and that drain comes within the window recorded. While one is not, the resource on a
 * send's path with the highest one-minute utilisation in that window grows,
 * as verify.ts grows a miss (sizing.ts `growDeployment`), up to
 * MAX_ITERATIONS re-simulations, on replication 0's seed.
 */
import type { IncidentRecord } from '../model/mechanisms/incidents.js';
import { simulateReplication, type ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { createHomeserver } from '../server/server.js';
import { growDeployment, offeredLoads, SEND_PATH } from '../server/sizing.js';
import { deploymentCores, processesOf, profileOf, withDeployment, workersInUse, type Deployment } from '../server/topology.js';
import type { Recommendation, Survival } from './resources.js';
import { round6 } from './stat.js';
import { deploymentFromRecommendation, MAX_ITERATIONS } from './verify.js';
import { bigRoomJoins } from './replicate.js';

const QUANTILE = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
/** A resource busy this share of its cores in its busiest minute is saturated: it grows with the others in the same step. Method constant. */
const SATURATED = 0.95;
/** A step that lowers the missed latency by less than this share is no progress: the loop stops. Method constant. */
const NO_PROGRESS_SHARE = 0.02;

/** The highest one-minute utilisation of each process kind (PostgreSQL as 'database') in an incident's window. */
function peakByKind(rec: IncidentRecord, cores: readonly number[]): Map<string, number> {
  const out = new Map<string, number>();
  rec.processKinds.forEach((kind, p) => {
    const name = kind === 'postgres' ? 'database' : kind;
    let peak = out.get(name) ?? 0;
    for (const b of rec.busyCores[p]!) if (cores[p]! > 0 && b / cores[p]! > peak) peak = b / cores[p]!;
    out.set(name, peak);
  });
  return out;
}

/**
 * The survival sizing of `recommendation` for the scenario's incidents marked
 * `mustSurvive`, or null when none is.
 */
export function survivingRecommendation(s: Scenario, seed: string, recommendation: Recommendation): Survival | null {
  const must = s.timeline.map((x, i) => ({ spec: x, i })).filter((x) => x.spec.mustSurvive);
  if (must.length === 0) return null;
  const t = s.run.server.targets;
  let deployment = deploymentFromRecommendation(s, recommendation);
  const adjustments: string[] = [];
  let iterations = 0;
  let windows: Survival['windows'] = [];
  let ok = false;
  let previous: { index: number; latency: number } | null = null;
  // When none survives: the deployment that came closest (its worst latency, a missed drain counting as infinite).
  let best: { deployment: Deployment; windows: Survival['windows']; worst: number } | null = null;
  while (iterations < MAX_ITERATIONS) {
    iterations++;
    const sized = withDeployment(s, deployment);
    const r: ReplicationResult = simulateReplication(bigRoomJoins(sized, true), `${seed}/0`, createHomeserver);
    const cores = [...r.server.processes.map((p) => p.cores), ...(r.server.database ? [r.server.database.cores] : [])];
    windows = must.map(({ i }) => {
      const rec = r.incidents[i]!;
      const sketch = rec.sendLatencyDuring;
      return { name: rec.name, localSendMs: round6(sketch.count > 0 ? sketch.quantile(QUANTILE[t.latencyPercentile]) * 1000 : 0), drainSeconds: rec.drainSeconds };
    });
    const missed = must.findIndex((_, k) => windows[k]!.localSendMs > t.localSendMs || windows[k]!.drainSeconds === null);
    if (missed < 0) {
      ok = true;
      break;
    }
    const worst = Math.max(...windows.map((w) => (w.drainSeconds === null ? Infinity : w.localSendMs)));
    if (best === null || worst < best.worst) best = { deployment, windows, worst };
    // The last step grew the deployment and the latency of the incident missed did not fall: more will not help
    // (every Synapse worker follows the replication stream, which a burst fills for all of them alike).
    const latency = windows[missed]!.localSendMs;
    if (previous !== null && previous.index === missed && latency > previous.latency * (1 - NO_PROGRESS_SHARE)) {
      adjustments.push(
        `growing did not lower the latency of ${windows[missed]!.name} (${Math.round(previous.latency)} ms before, ${Math.round(latency)} ms after): the burst loads every process alike`,
      );
      break;
    }
    previous = { index: missed, latency };
    if (iterations === MAX_ITERATIONS) break;
    // Grow the busiest resource of the window on a send's path (main, or the one server, does whatever has no worker).
    const peaks = peakByKind(r.incidents[must[missed]!.i]!, cores);
    const ranked = [...peaks.entries()].filter(([kind]) => SEND_PATH.includes(kind) || kind === 'main' || kind === 'server').sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    // Every resource of the path saturated in some minute grows at once (a burst saturates several), else the busiest.
    const saturated = ranked.filter(([, u]) => u >= SATURATED);
    const grow = saturated.length > 0 ? saturated : ranked.slice(0, 1);
    const loads = offeredLoads(sized, [r]);
    const done: string[] = [];
    let next = deployment;
    for (const [resource, util] of grow.length > 0 ? grow : [['main', 1] as [string, number]]) {
      const target = next.kind === 'monolith' && resource !== 'database' ? 'main' : resource;
      if (done.includes(target)) continue;
      const step = growDeployment(next, target, loads, t.cpuUtilization, util);
      if (step.deployment === null) continue;
      done.push(target);
      adjustments.push(`${step.what} (${windows[missed]!.name}: ${target} at ${(util * 100).toFixed(0)}% in its busiest minute)`);
      next = step.deployment;
    }
    if (done.length === 0) {
      adjustments.push(`nothing can be added to ${grow[0]?.[0] ?? 'main'} that would help`);
      break;
    }
    deployment = next;
  }
  if (!ok && best !== null) {
    deployment = best.deployment;
    windows = best.windows;
    adjustments.push(`none survived; shown: the deployment that came closest, re-simulated ${windows.map((w) => `${w.name} at ${Math.round(w.localSendMs)} ms`).join(', ')}`);
  }
  const workers = deployment.kind === 'workers' ? (workersInUse(deployment) as Record<string, number>) : null;
  return {
    incidents: windows.map((w) => w.name),
    deployment: {
      kind: deployment.kind,
      workers,
      processes: processesOf(profileOf(s), deployment).length,
      serverCores: deployment.kind === 'multi-threaded' ? deployment.serverCores : null,
    },
    cores: deploymentCores(deployment),
    databaseCores: deployment.databaseCores,
    meetsTargets: ok,
    iterations,
    adjustments,
    windows,
  };
}
