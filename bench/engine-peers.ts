/**
 * The same M/M/4 queue on mxsim's engine, on simjs (the JavaScript DES
 * library on npm) and on the hand-written ceiling (ceiling.ts), with the same
 * random generator and the same exponential sampling, so the ratios measure
 * the engines and nothing else. Each run reports its wall time and the
 * process's CPU time (user + system, process.cpuUsage), which stays steady
 * when other work shares the machine and wall time does not.
 */
import { createRequire } from 'node:module';
import { exponentialRate } from '../src/engine/distributions.js';
import { simulateQueue } from '../src/engine/queue-sim.js';
import { createStream, type RandomSource } from '../src/engine/random.js';
import { ceilingMmc } from './ceiling.js';

export interface PeerBenchOptions {
  customers: number;
  servers: number;
  arrivalRate: number;
  serviceRate: number;
}

export interface PeerTiming {
  /** Customers per second of CPU time. */
  customersPerSecond: number;
  wallSeconds: number;
  /** User + system CPU time of the process during the run, s. */
  cpuSeconds: number;
  /** Events the engine ran (arrivals and departures: two per customer). */
  events: number;
  meanWaitSeconds: number;
}

/** A stopwatch for wall and CPU time. */
function stopwatch(): () => { wallSeconds: number; cpuSeconds: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallSeconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}

function timing(customers: number, events: number, meanWaitSeconds: number, t: { wallSeconds: number; cpuSeconds: number }): PeerTiming {
  return { customersPerSecond: customers / t.cpuSeconds, ...t, events, meanWaitSeconds };
}

/** mxsim: the engine's G/G/c model, exactly what `mxsim queue` runs. */
export function runMxsim(o: PeerBenchOptions): PeerTiming {
  const stop = stopwatch();
  const r = simulateQueue({
    servers: o.servers,
    interarrival: exponentialRate(o.arrivalRate),
    service: exponentialRate(o.serviceRate),
    customers: o.customers,
    warmupCustomers: 0,
    seed: 'bench',
  });
  return timing(o.customers, r.events, r.wq, stop());
}

/** The hand-written ceiling (ceiling.ts). */
export function runCeiling(o: PeerBenchOptions): PeerTiming {
  const stop = stopwatch();
  const r = ceilingMmc(o);
  return timing(o.customers, r.events, r.meanWaitSeconds, stop());
}

// The slice of simjs's API used here (the package ships no types).
interface SimjsRequest {
  done(callback: () => void): SimjsRequest;
}
interface SimjsSim {
  time(): number;
  addEntity(klass: new (sim: SimjsSim) => { start(): void }): unknown;
  simulate(endTime: number): unknown;
}
interface SimjsEntity {
  sim: SimjsSim;
  setTimer(duration: number): SimjsRequest;
  useFacility(facility: SimjsFacility, duration: number): SimjsRequest;
}
type SimjsFacility = { readonly __brand: 'SimjsFacility' };
interface SimjsModule {
  Sim: new () => SimjsSim;
  Entity: new (sim: SimjsSim) => SimjsEntity;
  Facility: { new (name: string, discipline: number, servers: number): SimjsFacility; FCFS: number };
}

let simjsModule: SimjsModule | undefined;

/**
 * simjs 2.x is a browserify bundle whose `module.exports` is empty: it only
 * publishes its classes as `window.Sim`. Lend it a `window` for the one
 * evaluation (require caches the module, so this happens once) and take the
 * classes from there.
 */
function loadSimjs(): SimjsModule {
  if (simjsModule) return simjsModule;
  const g = globalThis as { window?: { Sim?: SimjsModule } };
  const hadWindow = 'window' in g;
  const saved = g.window;
  g.window = {};
  try {
    createRequire(import.meta.url)('simjs');
    const sim = g.window.Sim;
    if (!sim) throw new Error('simjs did not publish window.Sim; has the package changed shape?');
    simjsModule = sim;
    return sim;
  } finally {
    if (hadWindow) g.window = saved;
    else delete g.window;
  }
}

/**
 * simjs: an arrival entity re-arming a timer and each customer using an FCFS
 * facility, the pattern of simjs's own M/M/c example. Entities must extend
 * simjs's Entity, which supplies setTimer and useFacility.
 */
export function runSimjs(o: PeerBenchOptions): PeerTiming {
  const simjs = loadSimjs();
  const arrivals: RandomSource = createStream('bench', 'arrivals');
  const service: RandomSource = createStream('bench', 'service');
  // Same formula as the engine's exponential (-mean * log1p(-u)), so both
  // engines see bit-identical inter-arrival and service times.
  const expo = (rng: RandomSource, rate: number) => -(1 / rate) * Math.log1p(-rng());
  const sim = new simjs.Sim();
  const facility = new simjs.Facility('station', simjs.Facility.FCFS, o.servers);
  let created = 0;
  let served = 0;
  let waitSum = 0;
  class Arrivals extends simjs.Entity {
    start(): void {
      const next = (): void => {
        if (created >= o.customers) return;
        created++;
        const arrivedAt = this.sim.time();
        const s = expo(service, o.serviceRate);
        this.useFacility(facility, s).done(() => {
          served++;
          waitSum += this.sim.time() - arrivedAt - s;
        });
        this.setTimer(expo(arrivals, o.arrivalRate)).done(next);
      };
      this.setTimer(expo(arrivals, o.arrivalRate)).done(next);
    }
  }
  const stop = stopwatch();
  sim.addEntity(Arrivals);
  sim.simulate(Number.MAX_VALUE);
  const t = stop();
  if (served !== o.customers) throw new Error(`simjs served ${served} of ${o.customers} customers`);
  // The same events as the others: one timer per arrival, one facility release per customer.
  return timing(o.customers, 2 * o.customers, waitSum / served, t);
}
