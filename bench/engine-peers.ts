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

interface SimjsEntity {
  sim: { time(): number };
  setTimer(duration: number): { done(cb: () => void): void };
  useFacility(f: unknown, duration: number): { done(cb: () => void): void };
}

/**
 * simjs: an arrival entity re-arming a timer and each customer using an FCFS
 * facility, the pattern of simjs's own M/M/c example. simjs is a browserify
 * bundle that checks for `window`; it loads fine under Node's `require`.
 */
export function runSimjs(o: PeerBenchOptions): PeerTiming {
  const require = createRequire(import.meta.url);
  const simjs = require('simjs') as {
    Sim: new () => { addEntity(k: unknown): unknown; simulate(end: number, maxEvents?: number): unknown };
    Facility: { new (name: string, discipline: number, servers: number): unknown; FCFS: number };
  };
  const arrivals: RandomSource = createStream('bench', 'arrivals');
  const service: RandomSource = createStream('bench', 'service');
  const expo = (rng: RandomSource, rate: number) => -Math.log(1 - rng()) / rate;
  const sim = new simjs.Sim();
  const facility = new simjs.Facility('station', simjs.Facility.FCFS, o.servers);
  let created = 0;
  let served = 0;
  let waitSum = 0;
  class Arrivals {
    start(this: SimjsEntity): void {
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
