/**
 * Background work as a fluid load (src/server/server.ts, docs/MODEL.md §23).
 * A Synapse worker deployment's outputs, by treatment of the replication
 * stream that every worker follows:
 * - fluid (the default): a load that takes its share of each worker's core;
 * - tick: one job per worker per 1 s tick, the treatment before the fluid
 *   (`{ background: 'jobs' }`, replicate() called once a second);
 * - row by row: one job per worker per row, when the row is written
 *   (`{ background: 'jobs' }`, replicate(1) per row), as a worker's reactor
 *   handles the rows it reads from the stream.
 * Compared, as means over replications with their 95% intervals: the p95
 * CPU utilisation of each process kind, the mean busy cores, and the p95
 * local send latency.
 *
 * The workload is the replication calibration's (src/server/calibration.ts)
 * with deliveries, deferred sync wake-ups and receipts added.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulation } from '../../src/engine/simulation.js';
import { serverOnlyScenario } from '../../src/server/calibration.js';
import { SERVER_COEFFICIENTS } from '../../src/server/server-coefficients.js';
import { profileOf } from '../../src/server/topology.js';
import { ServerModel } from '../../src/server/server.js';

/** Bins, min. */
const BIN_MINUTES = 1;
const REPLICATIONS = 5;
/** Student's t, 97.5% quantile, 4 degrees of freedom. */
const T_4 = 2.776;
/** Online devices a send is delivered to. */
const DELIVERIES = 6;
/** Relative accuracy of the latency sketch (QuantileSketch's default): a p95 is known to one bucket, 2 alpha. */
const SKETCH_ALPHA = 0.01;
const ROW_MS = SERVER_COEFFICIENTS.replicationCpuMsPerEvent.value;

type Treatment = 'fluid' | 'tick' | 'row by row';
interface Load {
  /** Simulated time of one replication, s. */
  seconds: number;
  /** Per second: sends, deferred sync wake-ups, receipts (a send and a receipt each write a stream row). */
  sends: number;
  wakes: number;
  receipts: number;
}
interface Outputs {
  /** p95 over bins of busy cores / cores, averaged over the processes of the kind. */
  utilizationP95: Record<string, number>;
  busyCores: number;
  sendP95Ms: number;
  /** Replication CPU per worker, share of a core. */
  replicationShare: number;
  events: number;
}

const meanOf = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const p95 = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y)[Math.ceil(0.95 * a.length) - 1]!;

function replicate(seed: string, load: Load, treatment: Treatment): Outputs {
  const horizon = load.seconds;
  const workers = { sync: 2, generic: 1, eventPersister: 1, pusher: 1, federationSender: 0, federationReader: 0, mediaRepository: 0 };
  const s = serverOnlyScenario({ implementation: 'synapse', deployment: 'workers', workers }, BIN_MINUTES);
  const sim = new Simulation(seed);
  const background = treatment === 'fluid' ? 'fluid' : 'jobs';
  const server = new ServerModel(sim, s, sim.random('server'), horizon, { roomsPerUser: 10 }, { background });
  const arrivals = sim.random('arrivals');
  const exp = (rate: number) => -Math.log(1 - arrivals()) / rate;
  let rows = 0;
  let n = 0;
  const row = () => {
    if (treatment === 'row by row') server.replicate(1);
    else rows++;
  };
  const send = sim.handler(() => {
    server.submit('send', DELIVERIES, n++);
    row();
    sim.schedule(exp(load.sends), send);
  });
  const wake = sim.handler(() => {
    server.submit('syncNews', 1 + Math.floor(3 * arrivals()), n++);
    sim.schedule(exp(load.wakes), wake);
  });
  const receipt = sim.handler(() => {
    server.submit('receipt', 2, n++);
    row();
    sim.schedule(exp(load.receipts), receipt);
  });
  const tick = sim.handler(() => {
    server.replicate(rows);
    rows = 0;
    sim.schedule(1, tick);
  });
  sim.schedule(0, send);
  sim.schedule(0, wake);
  sim.schedule(0, receipt);
  if (treatment !== 'row by row') sim.schedule(1, tick);
  sim.run(horizon);
  const r = server.finish();
  const byKind: Record<string, number[]> = {};
  let busyCores = 0;
  for (const p of r.processes) {
    (byKind[p.kind] ??= []).push(p95(p.busyByBin) / p.cores);
    busyCores += meanOf(Array.from(p.busyByBin));
  }
  return {
    utilizationP95: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, meanOf(v)])),
    busyCores,
    sendP95Ms: r.localSendLatency.quantile(0.95) * 1000,
    replicationShare: r.cpuSecondsByOp.replication / (r.processes.length - 1) / horizon,
    events: sim.eventsProcessed,
  };
}

function run(load: Load, treatment: Treatment): Outputs[] {
  return Array.from({ length: REPLICATIONS }, (_, r) => replicate(`fluid/${r}`, load, treatment));
}

/** Mean and the half-width of its 95% interval over replications. */
function interval(values: readonly number[]): { mean: number; half: number } {
  const m = meanOf(values);
  const variance = values.reduce((a, x) => a + (x - m) ** 2, 0) / (values.length - 1);
  return { mean: m, half: T_4 * Math.sqrt(variance / values.length) };
}

/**
 * The means of `f` agree: their difference is within the half-width of its own
 * 95% interval (the two intervals combined; Welch with the smaller degrees of
 * freedom, conservative), plus `resolution` (what the output is reported to).
 */
function assertAgree(what: string, a: Outputs[], b: Outputs[], f: (o: Outputs) => number, resolution = 0): void {
  const x = interval(a.map(f));
  const y = interval(b.map(f));
  const allowed = Math.hypot(x.half, y.half) + resolution * y.mean;
  assert.ok(
    Math.abs(x.mean - y.mean) <= allowed,
    `${what}: fluid ${x.mean.toPrecision(4)} ± ${x.half.toPrecision(2)}, discrete ${y.mean.toPrecision(4)} ± ${y.half.toPrecision(2)}`,
  );
}

function assertShare(outputs: Outputs[], load: Load): void {
  const expected = ((load.sends + load.receipts) * ROW_MS) / 1000;
  const share = meanOf(outputs.map((o) => o.replicationShare));
  assert.ok(Math.abs(share / expected - 1) < 0.03, `replication share ${share.toFixed(4)}, expected ${expected.toFixed(4)}`);
}

test('fluid replication, a stream at 6% of each worker (scenario-like): utilisation, busy cores and send p95 agree with one job per tick', () => {
  // 10 rows/s x 6.25 ms = 6% of a core per worker; national-300000 pays 8%
  // at 10,000 users, company-2000 about 1.5% (cpuSecondsByOp.replication per
  // worker per second of one replication).
  const load: Load = { seconds: 1200, sends: 6, wakes: 40, receipts: 4 };
  const fluid = run(load, 'fluid');
  const tick = run(load, 'tick');
  assertShare(fluid, load);
  assertShare(tick, load);
  for (const kind of Object.keys(tick[0]!.utilizationP95)) assertAgree(`p95 utilisation of ${kind}`, fluid, tick, (o) => o.utilizationP95[kind]!);
  assertAgree('busy cores', fluid, tick, (o) => o.busyCores);
  assertAgree('local send p95, ms', fluid, tick, (o) => o.sendP95Ms, 2 * SKETCH_ALPHA);
  // And the point of it: the stream costs no events, where a tick costs at least one departure per worker.
  const saved = meanOf(tick.map((o) => o.events)) - meanOf(fluid.map((o) => o.events));
  assert.ok(saved >= 5 * load.seconds, `events saved ${saved}, at least ${5 * load.seconds} expected`);
});

test('fluid replication, a stream at a third of each worker: utilisation and busy cores agree; send p95 lies between the tick and row by row', () => {
  // 55 rows/s x 6.25 ms = 34% of each worker's core, beside about as much again of requests.
  const load: Load = { seconds: 600, sends: 25, wakes: 40, receipts: 30 };
  const fluid = run(load, 'fluid');
  const tick = run(load, 'tick');
  const rows = run(load, 'row by row');
  for (const discrete of [tick, rows]) {
    assertShare(discrete, load);
    for (const kind of Object.keys(discrete[0]!.utilizationP95)) assertAgree(`p95 utilisation of ${kind}`, fluid, discrete, (o) => o.utilizationP95[kind]!);
    assertAgree('busy cores', fluid, discrete, (o) => o.busyCores);
  }
  // Latency depends on how background work is cut, and no cut is Synapse's
  // exactly: a tick's batch (and a flush's pot of deferred work) shares the
  // core with a send only while it lasts, rows that arrive with the sends
  // slow them more, a fluid by 1 / (1 - u) all the time, the mean slowdown of
  // processor sharing at that load (the closed-form test below). Measured
  // here (ms), the stream and the deferred wake-ups and receipts as fluids:
  // tick 57.8, fluid 74.4, row by row 81.3 (both with deferred work in pots).
  const send = (o: Outputs[]) => interval(o.map((x) => x.sendP95Ms));
  const [t, f, r] = [send(tick), send(fluid), send(rows)];
  assert.ok(t.mean + t.half < f.mean - f.half && f.mean + f.half < r.mean - r.half, `send p95: tick ${t.mean}, fluid ${f.mean}, row by row ${r.mean}`);
});

test('deferred work as a fluid: a request on one core is slowed to x / (1 - rho), the mean response of M/G/1 processor sharing', () => {
  // One process of one core (tuwunel with cores = 1: its store works on the
  // same core, so a request is one stage). Foreground: /keys/query requests
  // someone waits on (whenDone makes them jobs), Poisson at rate lf; background:
  // receipts nobody waits on (deferred, so a fluid), Poisson at rate lb.
  // M/G/1-PS: E[T] = E[S] / (1 - rho) for any service distribution
  // (Kleinrock 1976, Queueing Systems vol. 2, sec. 4.4), rho the total load.
  const s = serverOnlyScenario({ implementation: 'tuwunel', cores: 1 }, BIN_MINUTES);
  const horizon = 900;
  // Rates for a foreground load of 0.2 and a background load of 0.4, from the profile's mean costs.
  const cost = profileOf(s).cost({ roomsPerUser: 10 });
  const seconds = (op: 'keysQuery' | 'receipt', units: number) => (cost[op].cpuMs + cost[op].cpuMsPerUnit * units + cost[op].dbMs + cost[op].dbMsPerUnit * units) / 1000;
  const lf = 0.2 / seconds('keysQuery', 1);
  const lb = 0.4 / seconds('receipt', 2);
  const responses: number[] = [];
  let fgCpu = 0;
  let bgCpu = 0;
  for (let r = 0; r < 3; r++) {
    const sim = new Simulation(`ps/${r}`);
    const server = new ServerModel(sim, s, sim.random('server'), horizon, { roomsPerUser: 10 });
    const arrivals = sim.random('arrivals');
    const exp = (rate: number) => -Math.log(1 - arrivals()) / rate;
    const started = new Map<number, number>();
    server.whenDone('keysQuery', (key) => {
      if (sim.now > 150) responses.push(sim.now - started.get(key)!);
      started.delete(key);
    });
    let n = 0;
    const fg = sim.handler(() => {
      started.set(n, sim.now);
      server.submit('keysQuery', 1, 0, n++);
      sim.schedule(exp(lf), fg);
    });
    const bg = sim.handler(() => {
      server.submit('receipt', 2, 0);
      sim.schedule(exp(lb), bg);
    });
    sim.schedule(0, fg);
    sim.schedule(0, bg);
    sim.run(horizon);
    const out = server.finish();
    fgCpu += out.cpuSecondsByOp.keysQuery + out.databaseSecondsByOp.keysQuery;
    bgCpu += out.cpuSecondsByOp.receipt + out.databaseSecondsByOp.receipt;
  }
  const rho = (fgCpu + bgCpu) / (3 * horizon);
  const meanService = fgCpu / (3 * horizon * lf);
  const expected = meanService / (1 - rho);
  const measured = meanOf(responses);
  assert.ok(rho > 0.3 && rho < 0.8, `load ${rho}`);
  assert.ok(Math.abs(measured / expected - 1) < 0.05, `mean response ${(measured * 1000).toFixed(3)} ms, M/G/1-PS ${(expected * 1000).toFixed(3)} ms at load ${rho.toFixed(3)}`);
});
