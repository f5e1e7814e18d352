/**
 * The scenario the model laws run on (laws.test.ts, and laws-scale.full.test.ts
 * for the slow law of scale), and how they load and run it.
 */
import { runScenario } from '../../src/analysis/run.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';

/**
 * A mid-sized organisation federating with ten servers. Room kinds are given
 * by `membershipsPerUser`, so the number of rooms follows the number of users.
 * Activity is even across rooms (activitySkew 0) and media sizes have a
 * moderate spread (cv 0.5): with the defaults (Zipf skew 1, media cv 2.5) a
 * handful of rooms or uploads dominate a day and the per-day totals of a
 * small scenario become too noisy for the tolerances below.
 */
export const BASE = {
  name: 'laws',
  description: 'small federated organisation for the model laws',
  population: {
    users: 1000,
    devicesPerUser: 2,
    classes: [
      { name: 'active', share: 0.6, messagesPerDay: 30, mediaUploadsPerDay: 0.5 },
      { name: 'light', share: 0.3, onlinePropensity: 0.5, messagesPerDay: 5, mediaUploadsPerDay: 0.1 },
      { name: 'dormant', share: 0.1, onlinePropensity: 0, messagesPerDay: 0 },
    ],
  },
  behaviour: { media: { bytes: { kind: 'lognormal', mean: 300_000, cv: 0.5 } } },
  rooms: {
    activitySkew: 0,
    kinds: [
      { name: 'direct', membershipsPerUser: 4, members: { kind: 'deterministic', value: 2 } },
      { name: 'group', membershipsPerUser: 2, members: { kind: 'uniform', min: 3, max: 12 } },
      { name: 'shared', membershipsPerUser: 1, members: { kind: 'uniform', min: 4, max: 16 }, remoteMemberShare: 0.5 },
    ],
  },
  federation: { mode: 'open', remoteServers: 10, serverPopularitySkew: 0.5, downShare: 0, slowShare: 0 },
  // The saturation estimated linearly: these laws are about the workload, and the search's re-simulations would only slow them.
  run: { days: 1, replications: 1, seed: 1, server: { saturation: 'linear' } },
};

/** Load a scenario written here, with `--set` overrides applied. */
export function load(spec: object, overrides: string[] = []): Scenario {
  return loadScenarioText(JSON.stringify(spec), 'laws.test.ts', overrides).scenario;
}

export function run(s: Scenario, seed: string | number, replications = 1) {
  return runScenario(s, { seed, replications, sha256: 'laws', overrides: [], version: 'test', verify: false });
}
