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
import { Simulation } from '../../src/engine/simulation.js';
import { replicationShare, sendBenchmark, serverOnlyScenario } from '../../src/server/calibration.js';
import { PROFILES } from '../../src/server/profiles.js';
import { ServerModel } from '../../src/server/server.js';

const within = (actual: number, expected: number, tolerance: number, what: string) => {
  const rel = actual / expected - 1;
  assert.ok(Math.abs(rel) <= tolerance, `${what}: ${actual.toPrecision(5)} is ${(rel * 100).toFixed(1)}% from ${expected}, allowed ±${tolerance * 100}%`);
};

// ---------------------------------------------------------------------------
// 1. The 2026 send benchmark

test('send benchmark 2026: sequential and concurrent sends per second as measured, for Synapse and the conduwuit family; Dendrite sequential', () => {
  // BridgerB/matrix-server-performance@2a19484a (matrix-2026.md §6.4): one
  // user sends 500 messages into a one-member room, from 1 client and then
  // from 10, against servers limited to 2 CPU (Synapse a monolith, PostgreSQL
  // 15 on its own 2 CPU). Measured sends/s, sequential and 10 concurrent:
  // Synapse 52 and 108, Dendrite 92 (and 102), Conduit 1,177 and 2,498,
  // Tuwunel 869 and 1,826, Continuwuity 845 and 1,456.
  //
  // Sequential, there is no queueing: 1 / (CPU + PostgreSQL + wait) sends a
  // second, so the sequential figure pins the sum of the send's costs
  // (9 + 3 + 7.2 ms for Synapse). Concurrent, the one Python process is the
  // bottleneck: 1 / 9 ms = 111/s under processor sharing. The profiles were
  // fitted to Synapse's two figures (profiles.ts); tolerance 10%, the
  // benchmark being one run on one machine; 500 lognormal sends with cv 1
  // have a relative sd of 4.5%, so the tolerance is 2.2 sd of the sum.
  within(sendBenchmark('synapse', 1), 52, 0.1, 'Synapse sequential sends/s');
  within(sendBenchmark('synapse', 10), 108, 0.12, 'Synapse 10-concurrent sends/s');
  // Dendrite's factor (0.6) is its sequential ratio; its concurrent figure
  // (102/s on 2 CPU) is limited by per-room serialisation, not CPU, which the
  // model does not have: say so rather than test it.
  within(sendBenchmark('dendrite', 1), 92, 0.15, 'Dendrite sequential sends/s');
  // The conduwuit family shares one profile, inside the three servers' span.
  const seq = sendBenchmark('conduwuit', 1);
  const conc = sendBenchmark('conduwuit', 10);
  assert.ok(seq > 845 * 0.9 && seq < 1177 * 1.1, `conduwuit-family sequential ${seq.toFixed(0)}/s outside 845-1,177 (±10%)`);
  assert.ok(conc > 1456 * 0.9 && conc < 2498 * 1.1, `conduwuit-family concurrent ${conc.toFixed(0)}/s outside 1,456-2,498 (±10%)`);
  // The three names are one server: same seed, same draws, same result.
  assert.equal(sendBenchmark('tuwunel', 10), conc);
  assert.equal(sendBenchmark('continuwuity', 10), conc);
});

// ---------------------------------------------------------------------------
// 2. Replication overhead

test('replication: a worker spends about 25% of a core following 40 rows/s, linearly in the rate', () => {
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
 * M/G/1-PS prediction. A send with no online devices (units 0) is one job:
 * `cpuMs x noise` on the process, then `dbMs x noise` on PostgreSQL (if any),
 * then `waitMs` of round trips, noise lognormal with mean 1 and cv `profile.cpuCv`.
 */
function poissonSends(server: Record<string, unknown>, rho: number, seconds: number, seed: string) {
  const s = serverOnlyScenario(server, 60);
  const sim = new Simulation(seed);
  const model = new ServerModel(sim, s, sim.random('server'), seconds, { roomsPerUser: 1 });
  const cost = model.profile.cost({ roomsPerUser: 1 }).send;
  // An embedded store (conduwuit) runs its database time on the server's cores.
  const serviceMean = (model.profile.postgres ? cost.cpuMs : cost.cpuMs + cost.dbMs) / 1000;
  const fixedMean = model.profile.postgres ? (cost.dbMs + cost.waitMs) / 1000 : 0;
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
  const busy = result.processes[0]!.busyByBin;
  return {
    sends: result.localSendLatency.count,
    latency: result.localSendLatency.mean,
    // M/G/1 processor sharing: E[T] = E[S] / (1 - rho), whatever the service distribution (Kleinrock 1976, vol. 2 §4.4).
    predicted: serviceMean / (1 - rho) + fixedMean,
    busy: busy.reduce((a, b) => a + b, 0) / busy.length,
    fixedShare: fixedMean / (serviceMean / (1 - rho) + fixedMean),
  };
}

test('queueing: a Synapse monolith at utilisation 0.5 has the M/G/1-PS mean send latency (plus its database time and round trips)', () => {
  // The main process is one core shared by the requests it holds (Twisted's
  // reactor): M/G/1 processor sharing, whose mean time in system is
  // E[S] / (1 - rho) = 9 / 0.5 = 18 ms at rho = 0.5, insensitive to the
  // lognormal service. The send then visits PostgreSQL (3 ms) and waits its
  // round trips (7.2 ms), 36% of the total: a check that ignored them would
  // fail. Give the database 64 cores so it never queues and adds exactly its
  // mean service time.
  //
  // Tolerance 2.5%: 20,000 simulated seconds are over a million sends; an
  // error in the station moves the mean by 20% or more (FIFO with the same
  // cv-1 service has the same mean here, so the discipline itself is tested
  // in test/engine/ps-station.test.ts).
  const r = poissonSends({ implementation: 'synapse', databaseCores: 64 }, 0.5, 20_000, 'mg1-synapse');
  assert.ok(r.sends > 1_000_000, `${r.sends} sends`);
  assert.ok(r.fixedShare > 0.3, 'the database and round trips are a visible part of the latency');
  within(r.latency, r.predicted, 0.025, 'Synapse monolith mean send latency vs M/G/1-PS + database + wait, s');
  within(r.predicted, 0.0282, 1e-9, 'predicted mean latency, s (18 ms in the process + 3 ms in PostgreSQL + 7.2 ms round trips)');
  within(r.busy, 0.5, 0.02, 'busy share of the main process');
});

test('queueing: a one-core conduwuit is a pure M/G/1-PS (no database station)', () => {
  // The conduwuit family keeps its store in-process, so a send is one visit
  // to one station whose service is (cpuMs + dbMs) x 0.09 x lognormal noise,
  // and with `cores: 1` that station is exactly M/G/1-PS.
  const profile = PROFILES.conduwuit!;
  assert.equal(profile.postgres, false);
  const r = poissonSends({ implementation: 'conduwuit', cores: 1 }, 0.5, 2_000, 'mg1-conduwuit');
  assert.ok(r.sends > 400_000, `${r.sends} sends`);
  within(r.latency, r.predicted, 0.025, 'conduwuit (1 core) mean send latency vs M/G/1-PS, s');
  within(r.busy, 0.5, 0.02, 'busy share of the conduwuit process');
});
