/**
 * The same M/M/4 queue on mxsim's engine and on simjs (the JavaScript DES
 * library on npm), with the same random generator and the same exponential
 * sampling, so the ratio measures the engines and nothing else.
 */
import { createRequire } from 'node:module';
import { exponentialRate } from '../src/engine/distributions.js';
import { simulateQueue } from '../src/engine/queue-sim.js';
import { createStream, type RandomSource } from '../src/engine/random.js';

export interface PeerBenchOptions {
  customers: number;
  servers: number;
  arrivalRate: number;
  serviceRate: number;
}

export interface PeerTiming {
  customersPerSecond: number;
  wallSeconds: number;
  meanWaitSeconds: number;
}

/** mxsim: the engine's G/G/c model, exactly what `mxsim queue` runs. */
export function runMxsim(o: PeerBenchOptions): PeerTiming {
  const started = performance.now();
  const r = simulateQueue({
    servers: o.servers,
    interarrival: exponentialRate(o.arrivalRate),
    service: exponentialRate(o.serviceRate),
    customers: o.customers,
    warmupCustomers: 0,
    seed: 'bench',
  });
  const wallSeconds = (performance.now() - started) / 1000;
  return { customersPerSecond: o.customers / wallSeconds, wallSeconds, meanWaitSeconds: r.wq };
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
  const started = performance.now();
  sim.addEntity(Arrivals);
  sim.simulate(Number.MAX_VALUE);
  const wallSeconds = (performance.now() - started) / 1000;
  if (served !== o.customers) throw new Error(`simjs served ${served} of ${o.customers} customers`);
  return { customersPerSecond: o.customers / wallSeconds, wallSeconds, meanWaitSeconds: waitSum / served };
}
