/**
 * Published measurements, re-run on the server model, so that its
 * coefficients can be held against them (test/server/calibration.test.ts).
 */
import { Simulation } from '../engine/simulation.js';
import { ScenarioSchema, type Scenario } from '../scenario/grammar.js';
import { SERVER_COEFFICIENTS } from './server-coefficients.js';
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

/** Client round trip of the benchmark's local client, s (SERVER_COEFFICIENTS.sendBenchmarkClientMs, an estimate). */
export const BENCHMARK_CLIENT_SECONDS = SERVER_COEFFICIENTS.sendBenchmarkClientMs.value / 1000;

/** A one-member room: no device to deliver to, as in the 2026 send benchmark. */
const ONE_MEMBER_ROOM = { roomsPerUser: 1 };

/**
 * The 2026 send benchmark (BridgerB/matrix-server-performance, matrix-2026.md
 * §6.4): one user sends `sends` messages into a one-member room from
 * `concurrency` clients, each sending its next message when the previous one
 * is answered, against a monolith (or a multi-threaded server) on
 * `cores` cores and PostgreSQL on its own 2 cores. Returns sends per second.
 */
export function sendBenchmark(implementation: string, concurrency: number, sends = 500, cores = 2, seed = 'send-benchmark'): number {
  const s = serverOnlyScenario({ implementation, cores, databaseCores: 2 });
  const sim = new Simulation(seed);
  const server = new ServerModel(sim, s, sim.random('server'), 86400, ONE_MEMBER_ROOM);
  let started = 0;
  let done = 0;
  const next = sim.handler(() => {
    if (started < sends) server.submit('send', 0, started++);
  });
  server.whenDone('send', () => {
    done++;
    sim.schedule(BENCHMARK_CLIENT_SECONDS, next);
  });
  for (let c = 0; c < concurrency; c++) sim.schedule(0, next);
  sim.run();
  return done / sim.now;
}

/**
 * Element's replication figures: a Synapse worker spends about 25% of a core
 * following the replication stream at 40 rows/s, a Synapse Pro worker under
 * 3%. Writes `eventsPerSecond` (Poisson) events for `seconds` on a worker
 * deployment of `implementation` and returns the busy share of a worker
 * that does nothing else (the pusher).
 */
export function replicationShare(eventsPerSecond: number, seconds = 3600, seed = 'replication', implementation: 'synapse' | 'synapse-pro' = 'synapse'): number {
  const s = serverOnlyScenario({ implementation, deployment: 'workers' }, 60);
  const sim = new Simulation(seed);
  const server = new ServerModel(sim, s, sim.random('server'), seconds, ONE_MEMBER_ROOM);
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
