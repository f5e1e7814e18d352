/**
 * The processor-sharing station against closed forms and hand computations.
 *
 * Closed forms (M/G/1 with egalitarian processor sharing, load rho < 1):
 * - E[T | S = x] = x / (1 - rho), so E[T] = E[S] / (1 - rho) whatever the
 *   service distribution (insensitivity): Kleinrock, "Time-shared systems: a
 *   theoretical treatment", J. ACM 14(2), 1967, for M/M/1-PS; Kleinrock,
 *   Queueing Systems vol. 2 (1976), sec. 4.4, for M/G/1-PS.
 * - Number present is geometric, P(n) = (1 - rho) rho^n, so L = rho / (1 - rho)
 *   and the server is busy a fraction rho of the time (same reference).
 * - With c cores and rate min(1, c/n) per job the station is a symmetric
 *   queue (Kelly, Reversibility and Stochastic Networks, 1979, sec. 3.3):
 *   insensitive, the number present is that of M/M/c, so E[T] = L(M/M/c) / lambda
 *   by Little's law for any service distribution with the same mean.
 *
 * Tolerance: each case runs R = 8 independent replications (fixed seeds, so
 * the outcome is deterministic). The exact value must lie in the
 * replications' Student-t 95% interval widened by 3% of the value, the
 * allowance for the bias of starting empty and of a finite run, as in
 * queue-sim.test.ts. So that a check cannot pass by being vague, the
 * interval's half-width must also stay under a bound set from the variance of
 * the estimator. For M/M/1 the time-average number present over T seconds
 * has variance about 2 rho (1 + rho) / ((1 - rho)^4 T) (Whitt, "Planning
 * queueing simulations", Management Science 35(11), 1989), which gives a
 * relative 95% half-width of 1.3% over 8 x 50,000 customers at rho = 0.5 and
 * 2.5% over 8 x 100,000 at rho = 0.8; E[T] = L / lambda has the same
 * relative error. The bounds below are about twice that, more for lognormal
 * service with cv 3, whose mean is carried by rare long jobs. Even the
 * loosest check tells PS from FIFO: FIFO gives E[T] = 3 s (deterministic) and
 * 21 s (lognormal cv 3) at rho = 0.8 where PS gives 5 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanCi95 } from '../../src/analysis/confidence.js';
import { mmc } from '../../src/analysis/queueing-theory.js';
import { deterministic, empirical, exponentialRate, lognormal, type Distribution } from '../../src/engine/distributions.js';
import { ProcessorSharingStation, type ServiceStation } from '../../src/engine/ps-station.js';
import { Simulation } from '../../src/engine/simulation.js';
import { Station } from '../../src/engine/station.js';

const REPLICATIONS = 8;
/** Measured customers per replication: heavier load, longer correlation time. */
const customersAt = (rho: number): number => (rho >= 0.8 ? 100_000 : 50_000);

interface PsRun {
  /** Mean response time of measured customers, s. */
  meanResponse: number;
  /** Mean response time per distinct service requirement (measured customers), s. */
  responseBySize: Map<number, number>;
  /** Time-average busy cores over the measured arrivals. */
  busy: number;
  /** Time-average jobs present over the measured arrivals. */
  present: number;
}

/**
 * One replication of M/G/c-PS: Poisson arrivals at `arrivalRate`, service from
 * `service`. After a warm-up of a tenth as many, `customers` customers are
 * measured and followed to their departure while arrivals go on, so the end
 * of the run does not thin the system; time averages run from the first
 * measured arrival to the last.
 */
function runPs(servers: number, arrivalRate: number, service: Distribution, customers: number, seed: string): PsRun {
  const warmup = customers / 10;
  const sim = new Simulation(seed);
  const arrivalRng = sim.random('arrivals');
  const serviceRng = sim.random('service');
  const interarrival = exponentialRate(arrivalRate);
  let measured = 0;
  let responseSum = 0;
  const sizeSum = new Map<number, [number, number]>();
  const station = new ProcessorSharingStation(sim, 'ps', servers, (job, wait, serviceSeconds) => {
    if (job < warmup || job >= warmup + customers) return;
    const response = wait + serviceSeconds;
    responseSum += response;
    const s = sizeSum.get(serviceSeconds);
    if (s) {
      s[0] += response;
      s[1]++;
    } else sizeSum.set(serviceSeconds, [response, 1]);
    if (++measured === customers) sim.stop();
  });
  let busy = NaN;
  let present = NaN;
  const arrive = sim.handler((job) => {
    if (job === warmup) station.resetStatistics();
    if (job === warmup + customers - 1) {
      busy = station.busyOverTime.mean(sim.now);
      present = busy + station.queueOverTime.mean(sim.now);
    }
    station.arrive(job, service.sample(serviceRng));
    sim.schedule(interarrival.sample(arrivalRng), arrive, job + 1);
  });
  sim.schedule(interarrival.sample(arrivalRng), arrive, 0);
  sim.run();
  assert.equal(measured, customers);
  const responseBySize = new Map<number, number>();
  for (const [size, [sum, count]] of sizeSum) responseBySize.set(size, sum / count);
  return { meanResponse: responseSum / customers, responseBySize, busy, present };
}

const cache = new Map<string, PsRun[]>();
/** R replications of a case, computed once and shared by the tests that check it. */
function replications(servers: number, rho: number, service: Distribution): PsRun[] {
  const key = `${servers}/${rho}/${service.describe()}`;
  let runs = cache.get(key);
  if (!runs) {
    const arrivalRate = (rho * servers) / service.mean;
    const customers = customersAt(rho);
    runs = Array.from({ length: REPLICATIONS }, (_, i) => runPs(servers, arrivalRate, service, customers, `ps-test/${key}/${i}`));
    cache.set(key, runs);
  }
  return runs;
}

/** Exact value inside the 95% CI widened by 3%, and the CI no wider than `maxRelHalfWidth` of the value. */
function assertCovers(what: string, values: number[], exact: number, maxRelHalfWidth: number): void {
  const ci = meanCi95(values);
  const slack = 0.03 * Math.abs(exact);
  assert.ok(exact >= ci.ci95[0] - slack && exact <= ci.ci95[1] + slack, `${what}: exact ${exact} outside [${ci.ci95[0]}, ${ci.ci95[1]}] (mean ${ci.mean})`);
  assert.ok(ci.halfWidth <= maxRelHalfWidth * Math.abs(exact), `${what}: half-width ${ci.halfWidth} too wide for a check of ${exact}`);
}

const SERVICES: [string, Distribution, { 0.5: number; 0.8: number }][] = [
  // [label, service distribution (mean 1 s), bound on the CI half-width relative to E[T] per load]
  ['exponential', exponentialRate(1), { 0.5: 0.03, 0.8: 0.05 }],
  ['deterministic', deterministic(1), { 0.5: 0.03, 0.8: 0.05 }],
  ['lognormal cv 3', lognormal(1, 3), { 0.5: 0.05, 0.8: 0.08 }],
];

for (const rho of [0.5, 0.8] as const) {
  for (const [label, service, bound] of SERVICES) {
    test(`M/G/1-PS, ${label} service at load ${rho}: E[T] = E[S] / (1 - rho) (Kleinrock 1976, sec. 4.4)`, () => {
      const runs = replications(1, rho, service);
      assertCovers(
        'E[T]',
        runs.map((r) => r.meanResponse),
        service.mean / (1 - rho),
        bound[rho],
      );
    });
  }
}

test('M/G/1-PS: E[T | S = x] = x / (1 - rho) for two job sizes (Kleinrock 1967)', () => {
  // Sizes 0.5 s (80%) and 3 s (20%): mean 1 s, load 0.8, so E[T | 0.5] = 2.5 s
  // and E[T | 3] = 15 s: response time in proportion to size, where FIFO
  // would add the same wait to both.
  const rho = 0.8;
  const runs = replications(1, rho, empirical([0.5, 3], [0.8, 0.2]));
  for (const x of [0.5, 3]) {
    assertCovers(
      `E[T | S = ${x}]`,
      runs.map((r) => r.responseBySize.get(x)!),
      x / (1 - rho),
      0.06,
    );
  }
});

for (const rho of [0.5, 0.8]) {
  test(`M/M/1-PS at load ${rho}: utilisation = rho and L = rho / (1 - rho) (time averages)`, () => {
    const runs = replications(1, rho, exponentialRate(1));
    // Utilisation converges fast: within 1% of rho.
    const u = meanCi95(runs.map((r) => r.busy)).mean;
    assert.ok(Math.abs(u - rho) < 0.01 * rho, `utilisation ${u}`);
    // L of the M/M/1 number-in-system chain, identical under FIFO and PS.
    assert.ok(Math.abs(mmc(rho, 1, 1).l - rho / (1 - rho)) < 1e-12);
    assertCovers(
      'L',
      runs.map((r) => r.present),
      rho / (1 - rho),
      rho >= 0.8 ? 0.05 : 0.03,
    );
  });
}

test('M/G/4-PS with rate min(1, 4/n), lognormal cv 3: insensitive, E[T] = L(M/M/4) / lambda (Kelly 1979, sec. 3.3)', () => {
  const servers = 4;
  const rho = 0.8;
  const service = lognormal(1, 3);
  const exact = mmc(rho * servers, 1, servers);
  const runs = replications(servers, rho, service);
  assertCovers(
    'E[T]',
    runs.map((r) => r.meanResponse),
    exact.w,
    0.08,
  );
  const u = meanCi95(runs.map((r) => r.busy / servers)).mean;
  assert.ok(Math.abs(u - rho) < 0.02 * rho, `utilisation ${u}`);
});

// ---------------------------------------------------------------------------
// Hand-computed scenarios
// ---------------------------------------------------------------------------

interface Departure {
  job: number;
  time: number;
  wait: number;
  service: number;
}

/** Jobs [arrival s, service s] (job id = index) through a fresh station; departures in order. */
function scenario(
  servers: number,
  jobs: [number, number][],
  options: { maxQueue?: number; bins?: { binSeconds: number; horizonSeconds: number }; until?: number } = {},
): { station: ProcessorSharingStation; departures: Departure[]; accepted: boolean[]; sim: Simulation } {
  const sim = new Simulation('hand');
  const departures: Departure[] = [];
  const station = new ProcessorSharingStation(sim, 'hand', servers, (job, wait, service) => departures.push({ job, time: sim.now, wait, service }), options.bins);
  if (options.maxQueue !== undefined) station.maxQueue = options.maxQueue;
  const accepted: boolean[] = [];
  const arrive = sim.handler((i) => {
    accepted[i] = station.arrive(i, jobs[i]![1]);
  });
  for (let i = 0; i < jobs.length; i++) sim.scheduleAt(jobs[i]![0], arrive, i);
  sim.run(options.until);
  return { station, departures, accepted, sim };
}

function assertDepartures(actual: Departure[], expected: [job: number, time: number, wait: number][]): void {
  assert.deepEqual(
    actual.map((d) => d.job),
    expected.map((e) => e[0]),
    'departure order',
  );
  for (let i = 0; i < expected.length; i++) {
    const [job, time, wait] = expected[i]!;
    assert.ok(Math.abs(actual[i]!.time - time) < 1e-12, `job ${job} left at ${actual[i]!.time}, expected ${time}`);
    assert.ok(Math.abs(actual[i]!.wait - wait) < 1e-12, `job ${job} waited ${actual[i]!.wait}, expected ${wait}`);
  }
}

test('one core, two jobs share: 2 s at 0 and 1 s at 1 both leave at 3 s, in arrival order', () => {
  // [0, 1): job 0 alone at full speed, 1 s done, 1 s left.
  // From 1: two jobs at 1/2 core each, 1 s left each: both finish after
  // 1 / (1/2) = 2 s, at t = 3. Equal finishing times leave in arrival order.
  // Waits (response - requirement): job 0: 3 - 0 - 2 = 1; job 1: 3 - 1 - 1 = 1.
  const { departures, station } = scenario(1, [
    [0, 2],
    [1, 1],
  ]);
  assertDepartures(departures, [
    [0, 3, 1],
    [1, 3, 1],
  ]);
  assert.equal(station.departures, 2);
  assert.equal(station.waits.mean, 1);
});

test('one core, two 2 s jobs at 0 and 0.5 s leave at 3.5 s and 4 s', () => {
  // [0, 0.5): job 0 alone, 0.5 s done, 1.5 s left.
  // From 0.5: half speed each; job 0 finishes after 1.5 / (1/2) = 3 s, at 3.5,
  // when job 1 has 1.5 s done and 0.5 s left; alone again, it ends at 4.
  // Waits: job 0: 3.5 - 2 = 1.5; job 1: 4 - 0.5 - 2 = 1.5.
  const { departures, station, sim } = scenario(1, [
    [0, 2],
    [0.5, 2],
  ]);
  assertDepartures(departures, [
    [0, 3.5, 1.5],
    [1, 4, 1.5],
  ]);
  // Busy 1 on [0, 4]; one job beyond the core on [0.5, 3.5].
  assert.equal(station.busyOverTime.mean(sim.now), 1);
  assert.ok(Math.abs(station.queueOverTime.mean(sim.now) - 3 / 4) < 1e-12);
});

test('two cores: fewer jobs than cores run at full speed, a third slows all to 2/3', () => {
  // Jobs: A = 1 s at 0, B = 3 s at 0, C = 2 s at 0.5.
  // [0, 0.5): 2 jobs on 2 cores, full speed: A 0.5 left, B 2.5 left.
  // From 0.5: 3 jobs, 2/3 core each. A finishes after 0.5 / (2/3) = 0.75 s, at 1.25;
  //   B has 2.5 - 0.5 = 2 left, C 2 - 0.5 = 1.5 left.
  // From 1.25: 2 jobs, full speed: C ends at 1.25 + 1.5 = 2.75, B then has 0.5 left
  //   and ends at 3.25.
  // Waits: A 1.25 - 1 = 0.25; C 2.75 - 0.5 - 2 = 0.25; B 3.25 - 3 = 0.25.
  const { departures, station, sim } = scenario(2, [
    [0, 1],
    [0, 3],
    [0.5, 2],
  ]);
  assertDepartures(departures, [
    [0, 1.25, 0.25],
    [2, 2.75, 0.25],
    [1, 3.25, 0.25],
  ]);
  // Busy cores: 2 on [0, 2.75), 1 on [2.75, 3.25): area 6. Queue: 1 on [0.5, 1.25): area 0.75.
  assert.ok(Math.abs(station.busyOverTime.mean(sim.now) - 6 / 3.25) < 1e-12);
  assert.ok(Math.abs(station.queueOverTime.mean(sim.now) - 0.75 / 3.25) < 1e-12);

  // Four cores, three jobs: nobody is slowed.
  const four = scenario(4, [
    [0, 1],
    [0, 3],
    [0.5, 2],
  ]);
  assertDepartures(four.departures, [
    [0, 1, 0],
    [2, 2.5, 0],
    [1, 3, 0],
  ]);
  assert.equal(four.station.queueOverTime.max, 0);
});

test('maxQueue sheds load: rejected counted, nothing kept; per-bin busy and queue by hand', () => {
  // One core, maxQueue 1 (at most one job beyond the core). Bins of 3 s to 12 s.
  // A = 4 s at 0; B = 4 s at 1; C = 4 s at 2 is rejected (two present, one beyond
  // the core); D = 0 s at 9 is counted and leaves at once.
  // [0, 1): A alone, 3 s left. From 1: half speed; A ends after 3 / (1/2) = 6 s,
  // at 7, when B has 3 s done and 1 s left; alone, B ends at 8.
  // Busy: 1 on [0, 8), 0 on [8, 12), 1 for no time at 9.
  // Queue: 1 on [1, 7).
  const { departures, station, accepted, sim } = scenario(
    1,
    [
      [0, 4],
      [1, 4],
      [2, 4],
      [9, 0],
    ],
    { maxQueue: 1, bins: { binSeconds: 3, horizonSeconds: 12 }, until: 12 },
  );
  assert.deepEqual(accepted, [true, true, false, true]);
  assert.equal(station.rejected, 1);
  assertDepartures(departures, [
    [0, 7, 3],
    [1, 8, 3],
    [3, 9, 0],
  ]);
  assert.equal(station.jobsPresent, 0);
  assert.equal(sim.now, 12);
  station.busyByBin!.finish(12);
  station.queueByBin!.finish(12);
  // Busy per bin [0,3) [3,6) [6,9) [9,12): 1, 1, 2/3 (busy [6, 8)), 0; the zero-length
  // job shows in the bin maximum only.
  const close = (a: Float64Array, b: number[]) => b.forEach((x, i) => assert.ok(Math.abs(a[i]! - x) < 1e-12, `bin ${i}: ${a[i]} vs ${x}`));
  close(station.busyByBin!.means(), [1, 1, 2 / 3, 0]);
  close(station.busyByBin!.maxes(), [1, 1, 1, 1]);
  // Queue per bin: [1, 3) -> 2/3; [3, 6) -> 1; [6, 7) -> 1/3; 0.
  close(station.queueByBin!.means(), [2 / 3, 1, 1 / 3, 0]);
  close(station.queueByBin!.maxes(), [1, 1, 1, 0]);
});

test('maxQueue 0 on two cores accepts only jobs that find a free core', () => {
  // Two 1 s jobs at 0 hold both cores until 1; the job at 0.5 finds none and is
  // turned away; the one at 1.5 finds both free and runs at full speed.
  const { accepted, departures, station } = scenario(
    2,
    [
      [0, 1],
      [0, 1],
      [0.5, 1],
      [1.5, 1],
    ],
    { maxQueue: 0 },
  );
  assert.deepEqual(accepted, [true, true, false, true]);
  assert.equal(station.rejected, 1);
  assertDepartures(departures, [
    [0, 1, 0],
    [1, 1, 0],
    [3, 2.5, 0],
  ]);
});

test('a zero-length job is counted, then leaves at the same time in a later event', () => {
  const sim = new Simulation(1);
  const seen: string[] = [];
  const station = new ProcessorSharingStation(sim, 'z', 1, (job) => seen.push(`left ${job} at ${sim.now}`));
  const h = sim.handler(() => {
    assert.equal(station.arrive(7, 0), true);
    seen.push(`arrived, busy ${station.busy}, present ${station.jobsPresent}`);
  });
  sim.schedule(2, h);
  sim.run();
  assert.deepEqual(seen, ['arrived, busy 1, present 1', 'left 7 at 2']);
  assert.equal(station.busy, 0);
  assert.equal(station.busyOverTime.max, 1);
});

test('onDeparture may send the job straight back (closed loop of 3 jobs, 1 s each)', () => {
  // Three jobs of 1 s share one core: all finish at 3 (tags equal, so in
  // arrival order), each returns at once with 1 s more, and so on: 3 jobs
  // leave at 3, 6 and 9, each having waited 2 s.
  const sim = new Simulation(1);
  const times: number[] = [];
  const station: ProcessorSharingStation = new ProcessorSharingStation(sim, 'loop', 1, (job) => {
    times.push(sim.now);
    station.arrive(job, 1);
  });
  for (let j = 0; j < 3; j++) station.arrive(j, 1);
  sim.run(9.5);
  assert.deepEqual(times, [3, 3, 3, 6, 6, 6, 9, 9, 9]);
  assert.equal(station.waits.mean, 2);
  assert.equal(station.jobsPresent, 3);
});

// ---------------------------------------------------------------------------
// Against a direct reference implementation
// ---------------------------------------------------------------------------

/**
 * Processor sharing the slow, obvious way: keep every job's remaining work and
 * step from event to event, O(n) per step. Returns each job's departure time.
 */
function referencePs(servers: number, jobs: [number, number][]): number[] {
  const out = new Array<number>(jobs.length).fill(NaN);
  const present: { id: number; left: number }[] = [];
  let t = 0;
  let next = 0;
  while (next < jobs.length || present.length > 0) {
    const rate = present.length <= servers ? 1 : servers / present.length;
    let minLeft = Infinity;
    for (const p of present) minLeft = Math.min(minLeft, p.left);
    const tDone = present.length > 0 ? t + minLeft / rate : Infinity;
    const tArrive = next < jobs.length ? jobs[next]![0] : Infinity;
    const tNext = Math.min(tDone, tArrive);
    for (const p of present) p.left -= (tNext - t) * rate;
    t = tNext;
    if (tArrive < tDone) {
      present.push({ id: next, left: jobs[next]![1] });
      next++;
    } else {
      for (let i = present.length - 1; i >= 0; i--) {
        if (present[i]!.left <= 1e-9) {
          out[present[i]!.id] = t;
          present.splice(i, 1);
        }
      }
    }
  }
  return out;
}

test('matches a direct step-by-step implementation on random workloads (1, 2 and 3 cores)', () => {
  for (const servers of [1, 2, 3]) {
    const sim = new Simulation(`reference/${servers}`);
    const rng = sim.random('workload');
    const gaps = exponentialRate(0.95 * servers);
    const sizes = lognormal(1, 2);
    const jobs: [number, number][] = [];
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += gaps.sample(rng);
      // One job in 20 has no work at all.
      jobs.push([t, rng() < 0.05 ? 0 : sizes.sample(rng)]);
    }
    const expected = referencePs(servers, jobs);
    const got = new Array<number>(jobs.length).fill(NaN);
    const station = new ProcessorSharingStation(sim, 'ref', servers, (job) => {
      got[job] = sim.now;
    });
    const arrive = sim.handler((i) => station.arrive(i, jobs[i]![1]));
    for (let i = 0; i < jobs.length; i++) sim.scheduleAt(jobs[i]![0], arrive, i);
    sim.run();
    for (let i = 0; i < jobs.length; i++) {
      assert.ok(Math.abs(got[i]! - expected[i]!) <= 1e-7 * Math.max(1, expected[i]!), `${servers} cores, job ${i}: ${got[i]} vs ${expected[i]}`);
    }
    assert.equal(station.departures, jobs.length);
    // At most one live completion event is left behind at the end: none.
    assert.equal(sim.pending, 0);
  }
});

// ---------------------------------------------------------------------------
// Determinism, interface, validation
// ---------------------------------------------------------------------------

test('same seed, identical departure sequence; another seed differs', () => {
  const run = (seed: string): number[] => {
    const sim = new Simulation(seed);
    const arrivals = sim.random('arrivals');
    const services = sim.random('service');
    const gaps = exponentialRate(1.8);
    const sizes = lognormal(1, 3);
    const log: number[] = [];
    const station = new ProcessorSharingStation(sim, 'det', 2, (job, wait) => log.push(job, sim.now, wait));
    const arrive = sim.handler((job) => {
      station.arrive(job, sizes.sample(services));
      if (job < 5000) sim.schedule(gaps.sample(arrivals), arrive, job + 1);
    });
    sim.schedule(0, arrive, 0);
    sim.run();
    return log;
  };
  const a = run('a');
  assert.equal(a.length, 3 * 5001);
  assert.deepEqual(run('a'), a);
  assert.notDeepEqual(run('b'), a);
});

test('Station and ProcessorSharingStation both serve through ServiceStation', () => {
  const sim = new Simulation(1);
  const stations: ServiceStation[] = [new Station(sim, 'fifo', 2), new ProcessorSharingStation(sim, 'ps', 2)];
  for (const s of stations) {
    s.maxQueue = 1;
    assert.deepEqual([s.arrive(1, 1), s.arrive(2, 1), s.arrive(3, 1), s.arrive(4, 1)], [true, true, true, false]);
    assert.equal(s.busy, 2);
    assert.equal(s.rejected, 1);
  }
  sim.run();
  for (const s of stations) assert.equal(s.departures, 3);
});

test('bad arguments throw RangeError with the value', () => {
  const sim = new Simulation(1);
  assert.throws(() => new ProcessorSharingStation(sim, 'x', 0), /servers must be an integer >= 1, got 0/);
  assert.throws(() => new ProcessorSharingStation(sim, 'x', 1.5), /got 1.5/);
  assert.throws(() => new ProcessorSharingStation(sim, 'x', NaN), /got NaN/);
  const s = new ProcessorSharingStation(sim, 'x', 1);
  assert.throws(() => s.arrive(1, -1), RangeError);
  assert.throws(() => s.arrive(1, -1), /got -1/);
  assert.throws(() => s.arrive(1, NaN), /got NaN/);
  assert.throws(() => s.arrive(1, Infinity), /got Infinity/);
  assert.equal(s.jobsPresent, 0);
});
