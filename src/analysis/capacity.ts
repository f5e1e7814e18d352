/**
 * How far a deployment goes: the user count at which it stops meeting its
 * targets, found by re-simulating larger populations of the same scenario
 * (bracketing by doubling, then bisection), not by extrapolating a line.
 * The same search, with another probe, serves `mxsim capacity`
 * (src/experiments/capacity-hardware.ts).
 */
import type { Scenario } from '../scenario/grammar.js';
import { UTILIZATION_TOLERANCE } from '../server/sizing.js';
import { withDeployment, type Deployment } from '../server/topology.js';
import { normalDay, simulateOnce } from './replicate.js';
import { latencies, resources } from './resources.js';
import { storageBytesPerDay } from './summarize.js';

/** The scenario with another number of users (rooms given per user follow them). */
export function withUsers(s: Scenario, users: number): Scenario {
  return { ...s, population: { ...s.population, users } };
}

/** Whether `d` meets the scenario's CPU and latency targets, simulated once with `seed`. */
export function meetsTargets(s: Scenario, d: Deployment, seed: string): boolean {
  const t = s.run.server.targets;
  const candidate = withDeployment(normalDay(s), d);
  const r = simulateOnce(candidate, seed);
  const used = resources(candidate, [r], storageBytesPerDay(candidate, [r]));
  const utils = [...used.processes.map((p) => p.utilizationP95), used.database?.utilizationP95 ?? 0];
  const latency = latencies([r]).localSend[t.latencyPercentile].mean;
  return Math.max(...utils) <= t.cpuUtilization + UTILIZATION_TOLERANCE && !(latency > t.localSendMs);
}

export interface CapacitySearch {
  /** The most users found to meet the targets (0: none, when the start itself was probed and missed down to one user). */
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
  /**
   * Probe `fromUsers` itself first (default false: it is assumed to meet the
   * targets). When it misses, halve until a population meets them (or one
   * user misses), then bisect as above.
   */
  probeStart?: boolean;
  /**
   * Where the targets are expected to stop holding (a linear extrapolation
   * of the bottleneck): the first probe, kept within (fromUsers x (1 +
   * tolerance), fromUsers x maxFactor), instead of 2 x fromUsers. A good
   * guess saves the doubling and most of the bisection; a bad one costs one
   * probe. Not with `probeStart`.
   */
  guessUsers?: number;
}

/**
 * The search itself, apart from what a probe is: a generator that yields the
 * user count to probe next and is resumed with whether it met the targets
 * (`true`), returning the search once done. Bracketing doubles from
 * `fromUsers` until a population misses (or `maxFactor` is reached), then
 * bisects geometrically (the midpoint sqrt(lo * hi), rounded) until the
 * bracket is within `tolerance` or `maxProbes` populations were probed.
 * `searchCapacity` drives it with one simulation per probe; a capacity
 * experiment (src/experiments/) with replications run in a pool.
 */
export function* capacitySearchSteps(o: CapacityOptions): Generator<number, CapacitySearch, boolean> {
  const maxFactor = o.maxFactor ?? 4;
  const tolerance = o.tolerance ?? 0.1;
  const maxProbes = o.maxProbes ?? 6;
  const probes: { users: number; meets: boolean }[] = [];
  function* probe(users: number): Generator<number, boolean, boolean> {
    const meets = yield users;
    probes.push({ users, meets });
    return meets;
  }
  const start = Math.max(1, Math.round(o.fromUsers));
  let lo = start;
  let hi: number | null = null;
  if (o.probeStart === true && !(yield* probe(start))) {
    // The start misses: halve until a population meets the targets.
    hi = start;
    lo = 0;
    for (let users = Math.floor(start / 2); probes.length < maxProbes && users >= 1; users = Math.floor(users / 2)) {
      if (yield* probe(users)) {
        lo = users;
        break;
      }
      hi = users;
    }
  } else {
    const top = start * maxFactor;
    const guessed = o.guessUsers !== undefined && Number.isFinite(o.guessUsers);
    // At least the smallest population outside the tolerance (a hair under start x (1 + tolerance), so that a miss there ends the search).
    const least = Math.max(start + 1, Math.floor(start * (1 + tolerance) * (1 - 1e-12)));
    let users = guessed ? Math.min(top, Math.max(least, Math.round(o.guessUsers!))) : start * 2;
    // After a guess that holds, one step of 2 x tolerance (the guess is likely close), then doubling up to the top.
    let factor = guessed ? 1 + 2 * tolerance : 2;
    while (probes.length < maxProbes && users <= top) {
      if (!(yield* probe(users))) {
        hi = users;
        break;
      }
      lo = users;
      const next = Math.round(users * factor);
      factor = 2;
      users = guessed && next > top && users < top ? top : next;
    }
  }
  while (lo > 0 && hi !== null && probes.length < maxProbes && hi / lo - 1 > tolerance) {
    const mid = Math.round(Math.sqrt(lo * hi));
    if (mid <= lo || mid >= hi) break;
    if (yield* probe(mid)) lo = mid;
    else hi = mid;
  }
  return { users: lo, bracket: [lo, hi], probes };
}

/** Run a capacity search with a synchronous probe. */
export function runCapacitySearch(o: CapacityOptions, meets: (users: number) => boolean): CapacitySearch {
  const steps = capacitySearchSteps(o);
  let step = steps.next();
  while (!step.done) step = steps.next(meets(step.value));
  return step.value;
}

/** Run a capacity search with a probe that takes time (simulations in a pool): one probe at a time, each decided before the next is chosen. */
export async function runCapacitySearchAsync(o: CapacityOptions, meets: (users: number) => Promise<boolean>): Promise<CapacitySearch> {
  const steps = capacitySearchSteps(o);
  let step = steps.next();
  while (!step.done) step = steps.next(await meets(step.value));
  return step.value;
}

/**
 * The user count at which `d` stops meeting the targets of `s`: double from
 * `fromUsers` until a population misses (or `maxFactor` is reached), then
 * bisect (capacitySearchSteps). Each probe is one replication with seed `${seed}/capacity`.
 */
export function searchCapacity(s: Scenario, d: Deployment, seed: string, o: CapacityOptions): CapacitySearch {
  return runCapacitySearch({ ...o, probeStart: false }, (users) => meetsTargets(withUsers(s, users), d, `${seed}/capacity`));
}
