/**
 * How far a deployment goes: the user count at which it stops meeting its
 * targets, found by re-simulating larger populations of the same scenario
 * (bracketing by doubling, then bisection), not by extrapolating a line.
 * The same search will serve a `capacity` command.
 */
import type { Scenario } from '../scenario/grammar.js';
import { UTILIZATION_TOLERANCE } from '../server/sizing.js';
import { withDeployment, type Deployment } from '../server/topology.js';
import { simulateOnce } from './replicate.js';
import { latencies, resources } from './resources.js';
import { storageBytesPerDay } from './summarize.js';

/** The scenario with another number of users (rooms given per user follow them). */
export function withUsers(s: Scenario, users: number): Scenario {
  return { ...s, population: { ...s.population, users } };
}

/** Whether `d` meets the scenario's CPU and latency targets, simulated once with `seed`. */
export function meetsTargets(s: Scenario, d: Deployment, seed: string): boolean {
  const t = s.run.server.targets;
  const candidate = withDeployment(s, d);
  const r = simulateOnce(candidate, seed);
  const used = resources(candidate, [r], storageBytesPerDay(candidate, [r]));
  const utils = [...used.processes.map((p) => p.utilizationP95), used.database?.utilizationP95 ?? 0];
  const latency = latencies([r]).localSend[t.latencyPercentile].mean;
  return Math.max(...utils) <= t.cpuUtilization + UTILIZATION_TOLERANCE && !(latency > t.localSendMs);
}

export interface CapacitySearch {
  /** The most users found to meet the targets. */
  users: number;
  /** Users known to meet the targets and users known to miss them (null: none missed within the search). */
  bracket: [number, number | null];
  /** Every population simulated, in order. */
  probes: { users: number; meets: boolean }[];
}

export interface CapacityOptions {
  /** Users known (or assumed) to meet the targets: the search starts above them. */
  fromUsers: number;
  /** Largest multiple of `fromUsers` tried. */
  maxFactor?: number;
  /** Stop when the bracket is this narrow (hi / lo - 1). */
  tolerance?: number;
  /** Simulations at most. */
  maxProbes?: number;
}

/**
 * The user count at which `d` stops meeting the targets of `s`: double from
 * `fromUsers` until a population misses (or `maxFactor` is reached), then
 * bisect. Each probe is one replication with seed `${seed}/capacity`.
 */
export function searchCapacity(s: Scenario, d: Deployment, seed: string, o: CapacityOptions): CapacitySearch {
  const maxFactor = o.maxFactor ?? 4;
  const tolerance = o.tolerance ?? 0.1;
  const maxProbes = o.maxProbes ?? 6;
  const probes: { users: number; meets: boolean }[] = [];
  const probe = (users: number) => {
    const meets = meetsTargets(withUsers(s, users), d, `${seed}/capacity`);
    probes.push({ users, meets });
    return meets;
  };
  const start = Math.max(1, Math.round(o.fromUsers));
  let lo = start;
  let hi: number | null = null;
  for (let users = start * 2; probes.length < maxProbes && users <= start * maxFactor; users *= 2) {
    if (!probe(users)) {
      hi = users;
      break;
    }
    lo = users;
  }
  while (hi !== null && probes.length < maxProbes && hi / lo - 1 > tolerance) {
    const mid = Math.round(Math.sqrt(lo * hi));
    if (mid <= lo || mid >= hi) break;
    if (probe(mid)) lo = mid;
    else hi = mid;
  }
  return { users: lo, bracket: [lo, hi], probes };
}
