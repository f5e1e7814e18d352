/**
 * A stand-in for `capacityRun` (src/experiments/capacity-run.ts) with known
 * outcomes, for tests of the capacity search: replication r (seed ".../r")
 * of a probe at `users` needs ceil(users x (10 + r) / 10,000) cores, 1 GiB of
 * RAM, and meets its targets. No simulation.
 */
import type { Scenario } from '../../src/scenario/grammar.js';
import type { CapacityRun } from '../../src/experiments/capacity-run.js';

export function fakeCapacityRun(s: Scenario, seed: string, replications: number): CapacityRun {
  const users = s.population.users;
  const r = Number(seed.slice(seed.lastIndexOf('/') + 1));
  const cores = Math.ceil((users * (10 + r)) / 10_000);
  return {
    users,
    implementation: s.run.server.implementation,
    seed,
    replications,
    targetsMet: true,
    deployment: { kind: 'workers', workers: { sync: cores - 2 }, processes: cores - 1, serverCores: null },
    cores,
    databaseCores: 1,
    coresByComponent: { main: 0.5, sync: cores - 2.5, postgres: 0.8 },
    ramGiB: 1,
    databaseRamGiB: 0.5,
    diskGiB: 10,
    bandwidthMbps: 1,
    bottleneck: 'sync',
    limit: null,
    verified: null,
    targets: { cpuUtilization: 0.7, latencyPercentile: 'p95', localSendMs: 1000 },
    costInputs: {
      users,
      growthPerMonth: 0,
      horizonMonths: 1,
      cores,
      ramGiB: 1,
      processes: 1,
      deployment: 'monolith',
      databaseGiBByMonth: [1, 1],
      mediaGiBByMonth: [1, 1],
      egressGiBPerMonth: 1,
    },
  };
}
