/**
 * A G/G/c queue on the engine: arrivals and service from any distribution, one
 * FIFO station with c servers. This is what `mxsim queue` runs, so anyone can
 * hold the engine against queueing theory.
 */
import type { Distribution } from './distributions.js';
import { Simulation } from './simulation.js';
import { Station } from './station.js';

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
 * arrives: the waits and times in system are those of every customer that
 * starts service from then on (the measured customers and the few warm-up
 * customers still waiting then), followed to the end; time averages stop at
 * the last arrival, so the final drain of the queue does not bias them.
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
  // The station's own statistics are the results: its waits (one per job
  // that started service since the reset at the warm-up's end) and the
  // service those jobs started, whose mean added to the mean wait is the
  // mean time in system. Nothing is tallied twice.
  const station = new Station(sim, 'queue', o.servers);

  const { interarrival, service, warmupCustomers } = o;
  let measureStart = 0;
  let lq = 0;
  let busy = 0;
  let measuredSpan = 0;
  const arrive = sim.handler((job) => {
    if (job === warmupCustomers) {
      station.resetStatistics();
      measureStart = sim.now;
    }
    station.arrive(job, service.sample(serviceRng));
    if (job + 1 < total) {
      sim.schedule(interarrival.sample(arrivalRng), arrive, job + 1);
    } else {
      measuredSpan = sim.now - measureStart;
      lq = station.queueOverTime.mean(sim.now);
      busy = station.busyOverTime.mean(sim.now);
    }
  });
  sim.schedule(o.interarrival.sample(arrivalRng), arrive, 0);
  sim.run();

  const measured = station.waits.count;
  return {
    wq: measured > 0 ? station.waits.mean : NaN,
    w: measured > 0 ? (station.waits.sum + station.startedServiceSeconds) / measured : NaN,
    lq,
    l: lq + busy,
    utilization: busy / o.servers,
    // Customers warmup..total-1 arrive in the span; the first one opens it.
    arrivalRate: measuredSpan > 0 ? (o.customers - 1) / measuredSpan : NaN,
    events: sim.eventsProcessed,
    simulatedSeconds: sim.now,
  };
}
