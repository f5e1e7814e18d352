/**
 * The server model held against the few published measurements it was
 * calibrated on (src/server/profiles.ts names them; the calibration notes,
 * docs/CALIBRATION.md §6, quote them), and its
 * queueing stations held against queueing theory. A failure here means a
 * cost coefficient, the noise model or a station no longer reproduces what it
 * was fitted to.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mg1 } from '../../src/analysis/queueing-theory.js';
import { Simulation } from '../../src/engine/simulation.js';
import { replicationShare, romeoAndJuliet, serverOnlyScenario } from '../../src/server/calibration.js';
import { PROFILES } from '../../src/server/profiles.js';
import { ServerModel } from '../../src/server/server.js';

const within = (actual: number, expected: number, tolerance: number, what: string) => {
  const rel = actual / expected - 1;
  assert.ok(Math.abs(rel) <= tolerance, `${what}: ${actual.toPrecision(5)} is ${(rel * 100).toFixed(1)}% from ${expected}, allowed ±${tolerance * 100}%`);
};

// ---------------------------------------------------------------------------
// 1. Romeo and Juliet

test('Romeo and Juliet: 3,287 sequential sends take about as long as the 2020 benchmark measured', () => {
  // timokoesters/romeo-and-juliet-benchmark (calibration notes §6): 3,287
  // messages sent one after another, each waiting for the previous answer.
  // With no concurrency there is no queueing, so the duration is the sum of
  // the per-send service times: the benchmark measures the cost coefficients
  // directly. 2020-08 figures: Synapse+Postgres 1m46s, Dendrite+Postgres
  // 2m45s, Conduit 4.2 s.
  //
  // Tolerance 30%: the benchmark is one run on unnamed hardware, and its 2022
  // re-run on a Ryzen 5 1600 gave Synapse 3m51s (2.2x) and Conduit 42 s
  // (10x), so the figures are good to tens of percent at best; the profile
  // also fits 32 ms a send with assumptions about the client round trip and
  // fan-out (profiles.ts). 30% still catches a coefficient off by a third
  // (e.g. send CPU 22 -> 30 ms, or a Dendrite factor of 1.56 read as 2).
  // Simulation noise is negligible next to it: the duration is a sum of
  // 3,287 lognormal draws with cv 1, a relative sd of 1/sqrt(3287) = 1.7%
  // (checked below with a second seed). Measured: Synapse 94 s, Dendrite
  // 147 s (both 11% short: the benchmark run sends with no online devices
  // and a 0.2 ms client, 28.2 ms a send, where profiles.ts split 32 ms
  // assuming a 1 ms client and a two-device fan-out), conduwuit 4.4 s.
  const measured = { synapse: 106, dendrite: 165, conduwuit: 4.2 } as const;
  for (const [implementation, seconds] of Object.entries(measured)) {
    within(romeoAndJuliet(implementation), seconds, 0.3, `${implementation} Romeo and Juliet, s`);
  }
  // A second seed agrees within 8%, over 3 sd of the difference of two such
  // sums (sqrt(2) x 1.7% = 2.5%; measured 4.4%): the result is the cost
  // model, not a lucky draw.
  const a = romeoAndJuliet('synapse', 3287, 'romeo');
  const b = romeoAndJuliet('synapse', 3287, 'juliet');
  within(b, a, 0.08, 'Synapse Romeo and Juliet, second seed vs first');
  // The ordering the benchmark shows: Conduit an order of magnitude faster
  // than Synapse, Dendrite slower.
  assert.ok(romeoAndJuliet('conduwuit') * 10 < a && a < romeoAndJuliet('dendrite'));
});

test('Romeo and Juliet: the three conduwuit-family names are the same server', () => {
  // tuwunel and continuwuity are forks of conduwuit with no separate
  // measurement; the profiles say so by sharing one. Same seed, same draws,
  // so the durations must be equal to the last bit.
  const c = romeoAndJuliet('conduwuit');
  assert.equal(romeoAndJuliet('tuwunel'), c);
  assert.equal(romeoAndJuliet('continuwuity'), c);
});

// ---------------------------------------------------------------------------
// 2. Replication overhead

test('replication: a worker spends about 25% of a core following 40 events/s, linearly in the rate', () => {
  // Element blog, Jan 2025 (calibration notes §6): "on a server processing 40
  // events per second, each worker process typically uses 25% of its
  // available CPU" on the replication stream alone. Following the stream is
  // per-event work, so the share is proportional to the event rate.
  //
  // replicationShare(r) is the busy share of the pusher, which does nothing
  // else, over an hour. Each one-second tick charges 6.25 ms x N x X with N
  // Poisson(r) and X lognormal (cv 1): the per-tick cost has a cv of
  // sqrt(1 + 2/r) (about 1.05 at 20/s) so the hourly mean of 3,600 ticks has
  // a relative sd of about 1.8%. The 30% on the published figure is about its
  // precision ("typically", one vendor post); the ratios below are held to
  // 10%, about 4 sd of a ratio of two such means, which still rejects a
  // square-root law (ratio 0.71 at half the rate) or a fixed cost per tick.
  const at40 = replicationShare(40);
  within(at40, 0.25, 0.3, 'busy share of a worker at 40 events/s');
  within(replicationShare(20) / at40, 0.5, 0.1, 'share at 20 events/s over share at 40 events/s');
  within(replicationShare(80) / at40, 2, 0.1, 'share at 80 events/s over share at 40 events/s');
  // Nothing to follow, nothing spent.
  assert.ok(replicationShare(0.01) < 0.001);
});

// ---------------------------------------------------------------------------
// 3. The stations against the Pollaczek-Khinchine formula

/**
 * Feed a deployment Poisson sends at utilisation `rho` of the process that
 * handles them for `seconds`; return the measured mean send latency and the
 * M/G/1 prediction. A send with no online devices (units 0) is one job:
 * `cpuMs x noise` on the process, then `dbMs x noise` on PostgreSQL (if any),
 * noise lognormal with mean 1 and cv `profile.cpuCv`.
 */
function poissonSends(server: Record<string, unknown>, rho: number, seconds: number, seed: string) {
  const s = serverOnlyScenario(server, 60);
  const sim = new Simulation(seed);
  const model = new ServerModel(sim, s, sim.random('server'), seconds);
  const cost = model.profile.cost.send;
  // An embedded store (conduwuit) runs its database time on the server's cores.
  const serviceMean = (model.profile.postgres ? cost.cpuMs : cost.cpuMs + cost.dbMs) / 1000;
  const dbMean = model.profile.postgres ? cost.dbMs / 1000 : 0;
  const rate = rho / serviceMean;
  const arrivals = sim.random('arrivals');
  let n = 0;
  const send = sim.handler(() => {
    model.submit('send', 0, n++);
    sim.schedule(-Math.log(1 - arrivals()) / rate, send);
  });
  sim.schedule(0, send);
  sim.run(seconds);
  const result = model.finish();
  const theory = mg1(rate, serviceMean, (serviceMean * model.profile.cpuCv) ** 2);
  const busy = result.processes[0]!.busyByBin;
  return {
    sends: result.localSendLatency.count,
    latency: result.localSendLatency.mean,
    predicted: theory.w + dbMean,
    busy: busy.reduce((a, b) => a + b, 0) / busy.length,
    dbShare: dbMean / (theory.w + dbMean),
  };
}

test('queueing: a Synapse monolith at utilisation 0.5 has the M/G/1 mean send latency (plus its database time)', () => {
  // The main process is a single-server FIFO station (the GIL); Poisson sends
  // with lognormal(mean 22 ms, cv 1) service make it M/G/1, whose mean time
  // in system is the Pollaczek-Khinchine value
  //   W = E[S] + lambda E[S^2] / (2 (1 - rho)) = 22 + 22 = 44 ms at rho = 0.5.
  // The send then visits PostgreSQL (dbMs = 6 ms x the same noise), 12% of
  // the total: a check that ignored it would fail. Its wait there has no
  // closed form (the departures of an M/G/1 are not Poisson), so give the
  // database 64 cores: it never queues and adds exactly its mean service
  // time, and W_send = W_main + E[S_db]. (With the default 4 cores the
  // difference is below 0.1%; with 1 core it is 1.5-2%.)
  //
  // Tolerance 2.5%: 20,000 simulated seconds are about 450,000 sends; over
  // six seeds the ratio to theory ranged 0.990-1.003 (sd 0.4%), so 2.5% is
  // over 5 sd, while an error in the station or the noise moves the mean by
  // 20-50%: in the process W would be about 24 ms with a second server,
  // 33 ms without noise (M/D/1), 55 ms with the noise's variance doubled. (The queue discipline is not
  // tested: any order that ignores service times has the same mean.)
  const r = poissonSends({ implementation: 'synapse', databaseCores: 64 }, 0.5, 20_000, 'mg1-synapse');
  assert.ok(r.sends > 400_000, `${r.sends} sends`);
  assert.ok(r.dbShare > 0.1, 'the database stage is a visible part of the latency');
  within(r.latency, r.predicted, 0.025, 'Synapse monolith mean send latency vs M/G/1 + database, s');
  within(r.predicted, 0.05, 1e-9, 'predicted mean latency, s (44 ms in the process + 6 ms in PostgreSQL)');
  // The utilisation the arrival rate was chosen for.
  within(r.busy, 0.5, 0.02, 'busy share of the main process');
});

test('queueing: a one-core conduwuit is a pure M/G/1 (no database station)', () => {
  // The cleanest check: the conduwuit family keeps its store in-process, so a
  // send is one visit to one station whose service is (cpuMs + dbMs) x 0.04 x
  // lognormal noise, and with `cores: 1` that station is exactly M/G/1. Same
  // tolerance and reasoning as above (six seeds: 0.990-1.003).
  const profile = PROFILES.conduwuit!;
  assert.equal(profile.postgres, false);
  const r = poissonSends({ implementation: 'conduwuit', cores: 1 }, 0.5, 1_000, 'mg1-conduwuit');
  assert.ok(r.sends > 400_000, `${r.sends} sends`);
  within(r.latency, r.predicted, 0.025, 'conduwuit (1 core) mean send latency vs M/G/1, s');
  within(r.busy, 0.5, 0.02, 'busy share of the conduwuit process');
});
