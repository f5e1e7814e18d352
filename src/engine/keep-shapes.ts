/**
 * Stations kept for the life of the process after a few jobs have passed
 * through them. V8 drops a class's hidden class once no instance of it is
 * left, and with it the optimised code built on it: a later simulation then
 * starts over in the interpreter and pays for compiling its hot path again.
 * Replications and sweeps build a new simulation each time, and the one
 * before is garbage by then, so without instances that outlive them each
 * would pay that again. The jobs give the fields their final representations
 * (fractional times), so the hidden classes kept are the ones later
 * simulations use. Each station module keeps a plain and a binned instance
 * of its own class through `keepShapes`.
 */
import type { BinnedTimeWeighted } from './binned-stats.js';
import { Simulation } from './simulation.js';
import type { TimeAverage } from './stats.js';

/** What `keepShapes` needs of a station. */
interface KeptStation {
  arrive(jobId: number, serviceSeconds: number): boolean;
  resetStatistics(): void;
  readonly busyOverTime: TimeAverage;
  readonly busyByBin: BinnedTimeWeighted | null;
}

/** A station of one class, with bins or without, on `sim`. */
type MakeStation = (sim: Simulation, name: string, servers: number, bins?: { binSeconds: number; horizonSeconds: number }) => KeptStation;

/** A plain and a binned station of one class, warmed by nine jobs, and what they computed: hold on to the result. */
export function keepShapes(make: MakeStation): readonly unknown[] {
  const sim = new Simulation('keep-shapes');
  const plain = make(sim, 'keep', 1);
  const binned = make(sim, 'keep-binned', 2, { binSeconds: 0.5, horizonSeconds: 4 });
  const arrive = sim.handler((job) => {
    plain.arrive(job, 0.75);
    binned.arrive(job, 1.25);
    if (job < 8) sim.schedule(0.375, arrive, job + 1);
  });
  sim.schedule(0.125, arrive, 0);
  sim.run();
  binned.resetStatistics();
  return [sim, plain, binned, plain.busyOverTime.mean(sim.now), binned.busyByBin?.means()];
}
