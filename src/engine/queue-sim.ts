/**
 * A G/G/c queue on the engine: arrivals and service from any distribution, one
 * FIFO station with c servers. This is what `mxsim queue` runs, so anyone can
 * hold the engine against queueing theory.
 */
import type { Distribution } from './distributions.js';
import { Simulation } from './simulation.js';
import { Station } from './station.js';
import { Tally } from './stats.js';

export interface QueueRunOptions {
  servers: number;
  /** Inter-arrival times, s. */
  interarrival: Distribution;
  /** Service times, s. */
  service: Distribution;
  /** Customers measured after the warm-up. */
  customers: number;
  /** Customers discarded at the start. */
  warmupCustomers: number;
  seed: string | number;
}

export interface QueueRunResult {
  /** Mean wait in queue of measured customers, s. */
  wq: number;
  /** Mean time in system of measured customers, s. */
  w: number;
  /** Time-average number waiting over the measured period. */
  lq: number;
  /** Time-average number in system over the measured period. */
  l: number;
  /** Time-average fraction of servers busy over the measured period. */
  utilization: number;
  /** Observed arrival rate over the measured period, per s (for Little's law). */
  arrivalRate: number;
  /** Events run. */
  events: number;
  /** Simulated seconds until the last customer left. */
  simulatedSeconds: number;
}

/**
 * Simulate one replication. Measurement starts when customer `warmupCustomers`
 * arrives and time averages stop at the last arrival, so the final drain of
 * the queue does not bias them; every measured customer is followed to its
 * departure.
 * @example simulateQueue({ servers: 1, interarrival: exponential(1.25), service: exponential(1), customers: 1e5, warmupCustomers: 1e4, seed: 1 }).wq // about 4
 */
export function simulateQueue(o: QueueRunOptions): QueueRunResult {
  if (!Number.isInteger(o.customers) || o.customers < 1) {
    throw new RangeError(`customers must be an integer >= 1, got ${o.customers}`);
  }
  if (!Number.isInteger(o.warmupCustomers) || o.warmupCustomers < 0) {
    throw new RangeError(`warm-up customers must be an integer >= 0, got ${o.warmupCustomers}`);
  }
  const sim = new Simulation(o.seed);
  const arrivalRng = sim.random('arrivals');
  const serviceRng = sim.random('service');
  const total = o.warmupCustomers + o.customers;
  const waits = new Tally();
  const sojourns = new Tally();
  const station = new Station(sim, 'queue', o.servers, (job, wait, service) => {
    if (job >= o.warmupCustomers) {
      waits.add(wait);
      sojourns.add(wait + service);
    }
  });

  let measureStart = 0;
  let lq = 0;
  let busy = 0;
  let measuredSpan = 0;
  const arrive = sim.handler((job) => {
    if (job === o.warmupCustomers) {
      station.resetStatistics();
      measureStart = sim.now;
    }
    station.arrive(job, o.service.sample(serviceRng));
    if (job + 1 < total) {
      sim.schedule(o.interarrival.sample(arrivalRng), arrive, job + 1);
    } else {
      measuredSpan = sim.now - measureStart;
      lq = station.queueOverTime.mean(sim.now);
      busy = station.busyOverTime.mean(sim.now);
    }
  });
  sim.schedule(o.interarrival.sample(arrivalRng), arrive, 0);
  sim.run();

  return {
    wq: waits.mean,
    w: sojourns.mean,
    lq,
    l: lq + busy,
    utilization: busy / o.servers,
    // Customers warmup..total-1 arrive in the span; the first one opens it.
    arrivalRate: measuredSpan > 0 ? (o.customers - 1) / measuredSpan : NaN,
    events: sim.eventsProcessed,
    simulatedSeconds: sim.now,
  };
}
