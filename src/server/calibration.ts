/**
 * Published measurements, re-run on the server model, so that its
 * coefficients can be held against them (test/server/calibration.test.ts).
 */
import { Simulation } from '../engine/simulation.js';
import { ScenarioSchema, type Scenario } from '../scenario/grammar.js';
import { ServerModel } from './server.js';

/** A minimal scenario carrying only the server settings. */
export function serverOnlyScenario(server: Record<string, unknown>, binMinutes = 1): Scenario {
  return ScenarioSchema.parse({
    name: 'calibration',
    description: 'server calibration',
    population: { users: 1 },
    rooms: { kinds: [{ name: 'room', count: 1, members: { kind: 'deterministic', value: 1 } }] },
    run: { days: 1, binMinutes, server },
  });
}

/** Client round trip of the benchmark's local client, s (estimate: loopback HTTP). */
export const BENCHMARK_CLIENT_SECONDS = 0.0002;

/**
 * The "Romeo and Juliet" benchmark (timokoesters/romeo-and-juliet-benchmark):
 * 3,287 messages sent one after another, each send starting when the
 * previous one has been answered. Returns the simulated duration, s.
 */
export function romeoAndJuliet(implementation: string, sends = 3287, seed = 'romeo'): number {
  const s = serverOnlyScenario({ implementation });
  const sim = new Simulation(seed);
  const server = new ServerModel(sim, s, sim.random('server'), 86400);
  let sent = 0;
  const next = sim.handler(() => {
    if (sent++ < sends) server.submit('send', 0, 0);
  });
  server.whenDone('send', () => sim.schedule(BENCHMARK_CLIENT_SECONDS, next));
  sim.schedule(0, next);
  sim.run();
  return sim.now;
}

/**
 * Element's replication figure: a Synapse worker spends about 25% of a core
 * following the replication stream at 40 events/s. Persists `eventsPerSecond`
 * (Poisson) for `seconds` on a worker deployment and returns the busy share
 * of a worker that does nothing else (the pusher).
 */
export function replicationShare(eventsPerSecond: number, seconds = 3600, seed = 'replication'): number {
  const s = serverOnlyScenario({ deployment: 'workers' }, 60);
  const sim = new Simulation(seed);
  const server = new ServerModel(sim, s, sim.random('server'), seconds);
  const arrivals = sim.random('arrivals');
  let persisted = 0;
  const send = sim.handler(() => {
    server.submit('send', 0, persisted++);
    sim.schedule(-Math.log(1 - arrivals()) / eventsPerSecond, send);
  });
  const tick = sim.handler(() => {
    server.replicate(persisted);
    persisted = 0;
    sim.schedule(1, tick);
  });
  sim.schedule(0, send);
  sim.schedule(1, tick);
  sim.run(seconds);
  const result = server.finish();
  const pusher = result.processes.find((p) => p.kind === 'pusher')!;
  return pusher.busyByBin.reduce((a, b) => a + b, 0) / pusher.busyByBin.length;
}
