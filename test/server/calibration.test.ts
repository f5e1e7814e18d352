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
import { PROFILES, replicationCpuMsPerRow } from '../../src/server/profiles.js';
import { SEND_BENCHMARK_2026, SERVER_COEFFICIENTS } from '../../src/server/server-coefficients.js';
import { ServerModel } from '../../src/server/server.js';

const within = (actual: number, expected: number, tolerance: number, what: string) => {
  const rel = actual / expected - 1;
  assert.ok(Math.abs(rel) <= tolerance, `${what}: ${actual.toPrecision(5)} is ${(rel * 100).toFixed(1)}% from ${expected}, allowed ±${tolerance * 100}%`);
};

// ---------------------------------------------------------------------------
// 1. The 2026 send benchmark

test('send benchmark 2026: Synapse sequential and concurrent sends per second as measured; Dendrite, tuwunel and continuwuity sequential', () => {
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
  // bottleneck: 1 / 9 ms = 111/s under processor sharing. Synapse's costs
  // were fitted to its two figures and the others' send-path factors to
  // their sequential figures (profiles.ts); tolerance 10%, the benchmark
  // being one run on one machine; 500 lognormal sends with cv 1 have a
  // relative sd of 4.5%, so the tolerance is 2.2 sd of the sum.
  within(sendBenchmark('synapse', 1), 52, 0.1, 'Synapse sequential sends/s');
  within(sendBenchmark('synapse', 10), 108, 0.12, 'Synapse 10-concurrent sends/s');
  within(sendBenchmark('dendrite', 1), 92, 0.1, 'Dendrite sequential sends/s');
  within(sendBenchmark('tuwunel', 1), 869, 0.1, 'tuwunel sequential sends/s');
  within(sendBenchmark('continuwuity', 1), 845, 0.1, 'continuwuity sequential sends/s');
  // Concurrent, the model's Rust server spreads sends over its 2 cores
  // without loss: 2 / (0.0500 x 19.2 ms) = 2,085/s for tuwunel, 2,016/s for
  // continuwuity in expectation. The measured servers reach 88% and 72% of
  // that (1,826 and 1,456/s), which the high ends of their send-path
  // ranges (1.15x and 1.4x) stand for; hold the model between the measured
  // figure and the measured figure over that efficiency, 10% either side.
  // Dendrite's concurrent figure (102/s, no better than sequential) is
  // limited by per-room serialisation, which the model does not have: it is
  // listed in docs/MODEL.md, not tested.
  for (const implementation of ['tuwunel', 'continuwuity'] as const) {
    const conc = sendBenchmark(implementation, 10);
    const measured = SEND_BENCHMARK_2026[implementation].concurrent;
    const high = PROFILES[implementation].sendPathFactorRange.high;
    assert.ok(
      conc > measured * 0.9 && conc < measured * high * 1.1,
      `${implementation} 10-concurrent ${conc.toFixed(0)}/s outside ${measured}-${(measured * high).toFixed(0)} (±10%)`,
    );
  }
});

test('send benchmark 2026: the send-path factors reproduce the benchmark ratios to Synapse, implementation by implementation', () => {
  // A factor is the server-side time of one sequential send relative to
  // Synapse's, the client's round trip (0.2 ms, sendBenchmarkClientMs) taken
  // out of both (matrix-2026.md §6.4), worked by hand:
  //   Synapse       1000/52  - 0.2 = 19.2308 - 0.2 = 19.0308 ms
  //   Dendrite      1000/92  - 0.2 = 10.8696 - 0.2 = 10.6696 ms -> 10.6696 / 19.0308 = 0.56065
  //   tuwunel       1000/869 - 0.2 =  1.15075 - 0.2 = 0.95075 ms -> 0.95075 / 19.0308 = 0.049959
  //   continuwuity  1000/845 - 0.2 =  1.18343 - 0.2 = 0.98343 ms -> 0.98343 / 19.0308 = 0.051676
  // The coefficients keep 4 significant digits: 0.5606 (or 0.5607), 0.04996, 0.05168.
  within(SERVER_COEFFICIENTS.dendriteSendPathFactor.value, 0.56065, 2e-4, 'Dendrite send-path factor');
  within(SERVER_COEFFICIENTS.tuwunelSendPathFactor.value, 0.049959, 2e-4, 'tuwunel send-path factor');
  within(SERVER_COEFFICIENTS.continuwuitySendPathFactor.value, 0.051676, 2e-4, 'continuwuity send-path factor');
  // tuwunel and continuwuity are measured separately and differ (3.4%).
  assert.notEqual(PROFILES.tuwunel.sendPathFactor, PROFILES.continuwuity.sendPathFactor);
  // The factors cover the send path only: every other operation keeps the
  // factor no benchmark covers (estimate).
  assert.equal(PROFILES.dendrite.cpuFactor, SERVER_COEFFICIENTS.dendriteOtherOpsFactor);
  assert.equal(PROFILES.tuwunel.cpuFactor, SERVER_COEFFICIENTS.conduwuitFamilyOtherOpsFactor);
  assert.equal(SERVER_COEFFICIENTS.conduwuitFamilyOtherOpsFactor.trust, 'estimate');
  // Re-run on the model, the ratio of sequential sends a second to
  // Synapse's is the benchmark's: 92/52 = 1.769, 869/52 = 16.71,
  // 845/52 = 16.25. Same seed, so the same 500 noise draws on every server
  // and the ratio is nearly free of noise; the model's Synapse send is
  // 19.2 ms of server time against the benchmark's 19.03, so the Rust
  // servers' ratios come out about 1% high. Tolerance 3%.
  const synapse = sendBenchmark('synapse', 1);
  for (const implementation of ['dendrite', 'tuwunel', 'continuwuity'] as const) {
    const measured = SEND_BENCHMARK_2026[implementation].sequential / SEND_BENCHMARK_2026.synapse.sequential;
    within(sendBenchmark(implementation, 1) / synapse, measured, 0.03, `${implementation} / Synapse sequential sends/s`);
  }
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

test('replication: a Synapse Pro worker spends the vendor figure, under 3% of a core at 40 rows/s', () => {
  // element.io blog, Jan 2025 (matrix-2026.md §6.2, vendor): a Rust worker
  // uses under 3% of a core following the stream at 40 events/s. Per row:
  // 0.03 / 40 s = 0.75 ms, the bound taken as the typical value. The
  // simulated share has the same 1.8% relative sd as above; 10% tolerance.
  within(SERVER_COEFFICIENTS.synapseProReplicationCpuMsPerRow.value, (0.03 / 40) * 1000, 1e-12, 'Synapse Pro ms per row');
  assert.equal(SERVER_COEFFICIENTS.synapseProReplicationCpuMsPerRow.trust, 'vendor');
  assert.equal(replicationCpuMsPerRow(PROFILES['synapse-pro']), 0.75);
  within(replicationShare(40, 3600, 'replication', 'synapse-pro'), 0.03, 0.1, 'busy share of a Synapse Pro worker at 40 events/s');
  // Synapse's Python workers keep theirs: 25% (6.25 ms a row), about 8x more.
  assert.equal(replicationCpuMsPerRow(PROFILES.synapse), 6.25);
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

test('queueing: a one-core tuwunel is a pure M/G/1-PS (no database station)', () => {
  // tuwunel keeps its store in-process, so a send is one visit to one
  // station whose service is (cpuMs + dbMs) x lognormal noise, the scaled
  // waits folded into dbMs, and with `cores: 1` that station is exactly
  // M/G/1-PS.
  const profile = PROFILES.tuwunel;
  assert.equal(profile.postgres, false);
  assert.equal(profile.cost({ roomsPerUser: 1 }).send.waitMs, 0);
  const r = poissonSends({ implementation: 'tuwunel', cores: 1 }, 0.5, 2_000, 'mg1-tuwunel');
  assert.ok(r.sends > 400_000, `${r.sends} sends`);
  within(r.latency, r.predicted, 0.025, 'tuwunel (1 core) mean send latency vs M/G/1-PS, s');
  within(r.busy, 0.5, 0.02, 'busy share of the tuwunel process');
});

test("a policy server's answer: a send that waits 5 ms before it is persisted is 5 ms later, the same send for the same seed (monolith and workers)", () => {
  // The wait holds no core and comes before the monolith's one station (with
  // workers: between the client worker and the event persister, whose
  // arrivals are then the same ones 5 ms later), so with the same seed every
  // send meets the same queues 5 ms later: each latency, hence the mean, grows by
  // exactly the wait (components: K.policyCheckWaitMs,
  // MSC4284's check before a protected room's event is sent).
  const WAIT = 0.005;
  for (const server of [{ implementation: 'synapse' }, { implementation: 'synapse', deployment: 'workers' }]) {
    const mean = (waitSeconds: number) => {
      const s = serverOnlyScenario(server, 60);
      const sim = new Simulation('policy-wait');
      const model = new ServerModel(sim, s, sim.random('server'), 600, { roomsPerUser: 1 });
      const arrivals = sim.random('arrivals');
      let n = 0;
      const send = sim.handler(() => {
        model.submit('send', 0, n++, 0, waitSeconds);
        sim.schedule(-Math.log(1 - arrivals()) / 20, send);
      });
      sim.schedule(0, send);
      sim.run(600);
      const r = model.finish();
      return { mean: r.localSendLatency.mean, count: r.localSendLatency.count };
    };
    const without = mean(0);
    const withWait = mean(WAIT);
    assert.ok(without.count > 10_000, `${without.count} sends`);
    assert.equal(withWait.count, without.count);
    within(withWait.mean - without.mean, WAIT, 1e-6, `${server.deployment ?? 'monolith'}: mean send latency with the wait minus without, s`);
  }
});

test("one room's pushes reach every pusher: Synapse shards pushers by user, so a big room's pushes are spread over them all", () => {
  // 1,000 pushes of one room (shard key 0) to a deployment with 4 pushers:
  // each pusher is offered a quarter of the push CPU (synapse/push/pusherpool.py,
  // _pusher_shard_config.should_handle(instance, user_id)); a room-sharded
  // model gave one pusher all of it and left three idle.
  const s = serverOnlyScenario({ implementation: 'synapse', deployment: 'workers', workers: { pusher: 4 } }, 60);
  const sim = new Simulation('pushers');
  const model = new ServerModel(sim, s, sim.random('server'), 3600, { roomsPerUser: 1 });
  const push = sim.handler(() => model.submit('push', 1000, 0));
  for (let i = 0; i < 20; i++) sim.schedule(60 * i, push);
  sim.run(3600);
  const pushers = model.finish().processes.filter((p) => p.kind === 'pusher');
  assert.equal(pushers.length, 4);
  const offered = pushers.map((p) => p.offeredByBin.reduce((a, b) => a + b, 0));
  const total = offered.reduce((a, b) => a + b, 0);
  assert.ok(total > 0);
  for (const o of offered) within(o / total, 0.25, 1e-9, 'share of the push CPU offered to one pusher');
});
