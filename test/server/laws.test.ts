/**
 * Laws of the server model: what must hold of processes, queues and the
 * recommendation whatever the coefficients, because they follow from how
 * the servers work (calibration notes, docs/CALIBRATION.md
 * §6) or from queueing theory. Each law runs on a small scenario written
 * here, varied through `--set` overrides.
 *
 * The workload is made stationary on purpose: a flat daily and weekly rhythm
 * and short sessions (20 min), so that after a warm-up of about half an hour
 * the offered load is constant and "offered x cores" means the same thing in
 * every bin. Runs are two simulated hours in 5-minute bins (24 bins, enough
 * for the MSER-5 warm-up cut) and one replication: each takes 0.5-3 s.
 *
 * Load points are set in cores, not users: a pilot run measures the main
 * process's offered CPU per user, and the user counts follow from it, so a
 * recalibrated cost moves the user counts, not the meaning of the tests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario, type ScenarioRun } from '../../src/analysis/run.js';
import { M } from '../../src/model/metrics.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { PROFILES } from '../../src/server/profiles.js';
import { SERVER_COEFFICIENTS } from '../../src/server/server-coefficients.js';

const GiB = 1024 ** 3;

/** A busy chat server: everyone sends 200 messages a day in DMs and small groups. Closed federation, no media. */
const BASE = {
  name: 'server-laws',
  description: 'stationary workload for the server laws',
  population: {
    users: 1000,
    devicesPerUser: 2,
    classes: [{ name: 'active', share: 1, messagesPerDay: 200, mediaUploadsPerDay: 0 }],
    rhythm: { hourlyWeights: new Array(24).fill(1), weekdayWeights: new Array(7).fill(1) },
    peakOnlineShare: 0.5,
    sessionMinutes: { kind: 'lognormal', mean: 20, cv: 0.5 },
  },
  rooms: {
    activitySkew: 0,
    kinds: [
      { name: 'direct', membershipsPerUser: 3, members: { kind: 'deterministic', value: 2 } },
      { name: 'group', membershipsPerUser: 2, members: { kind: 'uniform', min: 4, max: 12 } },
    ],
  },
  // Saturation estimated linearly: the search is tested in sizing-laws.test.ts.
  run: { days: 1 / 12, binMinutes: 5, replications: 1, seed: 1, server: { saturation: 'linear' } },
};

function load(overrides: string[], spec: object = BASE): Scenario {
  return loadScenarioText(JSON.stringify(spec), 'laws.test.ts', overrides).scenario;
}

/**
 * Run a scenario (one replication), memoised so that tests sharing a load
 * point share its run. `verify: false` skips the re-simulation of the
 * recommendation except where a test is about it.
 */
const runs = new Map<string, ScenarioRun>();
function run(overrides: string[], o: { verify?: boolean; seed?: string; spec?: object } = {}): ScenarioRun {
  const key = JSON.stringify([overrides, o.verify ?? false, o.seed ?? 'laws', o.spec === undefined ? 'base' : o.spec]);
  let r = runs.get(key);
  if (!r) {
    r = runScenario(load(overrides, o.spec), { seed: o.seed ?? 'laws', replications: 1, sha256: 'laws', overrides, version: 'test', verify: o.verify ?? false });
    runs.set(key, r);
  }
  return r;
}

/** Offered CPU of the main process (p95 bin, steady state) per user, from a pilot run at 2,000 users. */
let perUser = NaN;
function usersFor(cores: number): number {
  if (Number.isNaN(perUser)) perUser = run(['population.users=2000']).summary.resources.processes[0]!.offeredCoresP95 / 2000;
  return Math.round(cores / perUser);
}
const users = (cores: number) => `population.users=${usersFor(cores)}`;

const main = (r: ScenarioRun) => r.summary.resources.processes[0]!;
const p99 = (r: ScenarioRun) => r.summary.latencyMs.localSend.p99.mean;

/** Overrides that deploy a recommendation. */
function deploy(rec: ScenarioRun['summary']['recommendation']): string[] {
  const sets = [`run.server.databaseCores=${Math.max(1, rec.databaseCores)}`];
  if (rec.deployment.kind === 'multi-threaded') sets.push(`run.server.cores=${rec.deployment.serverCores}`);
  else if (rec.deployment.kind === 'monolith') sets.push('run.server.deployment=monolith');
  else {
    sets.push('run.server.deployment=workers');
    for (const [kind, n] of Object.entries(rec.deployment.workers!)) sets.push(`run.server.workers.${kind}=${n}`);
  }
  return sets;
}

// ---------------------------------------------------------------------------
// 4. One core per Synapse process

test('law 4: a Synapse monolith never uses more than one core, even offered three', () => {
  // Each Synapse Python process runs on one core at a time (the GIL,
  // calibration notes §6), so its busy cores can never exceed 1, whatever is
  // offered; the excess waits (or is shed) instead. Offered load is the CPU
  // the submitted work would take, so offeredCoresP95 near 3 proves the
  // process is asked for three cores. No tolerance: busy cores are a time
  // average of 0 or 1 busy server, so anything above 1 (beyond float
  // rounding) is a second server.
  const r = run([users(3)]);
  const p = main(r);
  assert.equal(r.summary.resources.processes.length, 1, 'a monolith is one process');
  assert.ok(p.offeredCoresP95 > 2.5, `offered ${p.offeredCoresP95} cores, expected about 3`);
  for (const [b, busy] of r.results[0]!.server.processes[0]!.busyByBin.entries()) {
    assert.ok(busy <= 1 + 1e-9, `bin ${b}: ${busy} busy cores`);
  }
  assert.ok(p.coresP95 <= 1 + 1e-9 && p.coresPeak <= 1 + 1e-9, `p95 ${p.coresP95}, peak ${p.coresPeak}`);
  // And the one core is saturated: the work did not vanish, it queues.
  assert.ok(p.coresP95 > 0.99, `p95 ${p.coresP95}: the overloaded core should be busy all the time`);
  assert.ok(p.utilizationP95 <= 1 + 1e-9);
});

// ---------------------------------------------------------------------------
// 5. Latency past saturation

test('law 5: send latency explodes as offered load passes one core, and keeps growing in overload', () => {
  // A single-server queue's waiting time grows like 1/(1 - rho) and has no
  // steady state past rho = 1 (Kleinrock 1975): the backlog grows at
  // (rho - 1) seconds of work per second, and every send waits behind it.
  const points = [0.5, 0.9, 1.3].map((cores) => ({ cores, r: run([users(cores)]) }));
  // The load points are where they were aimed (the pilot's offered per user
  // times the users); 15% covers the replication noise of a p95 bin.
  for (const { cores, r } of points) {
    const offered = main(r).offeredCoresP95;
    assert.ok(Math.abs(offered / cores - 1) <= 0.15, `aimed at ${cores} cores, offered ${offered}`);
  }
  const [low, high, over] = points.map(({ r }) => p99(r)) as [number, number, number];
  assert.ok(low < high && high < over, `p99 local send at 0.5 / 0.9 / 1.3 cores: ${low} / ${high} / ${over} ms`);
  // Past saturation the p99 is the backlog of the run, minutes not
  // milliseconds: at least 100x the half-loaded value (measured: over 1,000x).
  assert.ok(over >= 100 * low, `p99 at 1.3 cores ${over} ms vs ${low} ms at 0.5`);

  // In overload latency grows with simulated time. The main process shares
  // its core among the requests it holds (processor sharing): fed at
  // rho > 1, the requests present grow by (rho - 1) / E[S] a second and each
  // one's share of the core falls with them, so latency has no steady state
  // and keeps rising for the rest of the run (Kleinrock 1976, vol. 2 §4.4:
  // E[T] = E[S] / (1 - rho) diverges as rho -> 1).
  const r = points[2]!.r;
  const server = r.results[0]!.server;
  const offered = server.processes[0]!.offeredByBin;
  const p50 = server.localSendLatencyByBin.map((q) => (q.count > 0 ? q.quantile(0.5) : NaN));
  const firstOver = offered.findIndex((x) => x > 1);
  assert.ok(firstOver >= 0 && firstOver + 3 < offered.length, `offered passes one core at bin ${firstOver}`);
  const bins = p50.length;
  // The first three bins after the offered load passed one core against the
  // last three: the backlog keeps building for the rest of the run.
  const early = (p50[firstOver + 1]! + p50[firstOver + 2]! + p50[firstOver + 3]!) / 3;
  const late = (p50[bins - 1]! + p50[bins - 2]! + p50[bins - 3]!) / 3;
  assert.ok(late > 5 * early, `p50 latency: ${early.toFixed(2)} s in the first loaded bins, ${late.toFixed(2)} s in the last`);
  // Shedding at a full queue would cap it; at 1.3 cores the queue never fills in two hours.
  assert.equal(server.processes[0]!.rejectedJobs, 0);
});

// ---------------------------------------------------------------------------
// 6. Workers relieve the single core

test('law 6: at 1.3 cores offered, a worker deployment sends at least 10x faster (p99) than the monolith', () => {
  // Workers split the work over processes (calibration notes §6:
  // matrix.org's send latency fell from seconds to ~50 ms with a second
  // event persister). The same workload that saturates the monolith leaves
  // every worker below one core, so its queues are stable and the p99 is
  // the waiting of a stable queue, not a growing backlog. 10x is far below
  // the measured gap (about 1,000x), and far above seed noise.
  const sets = [users(1.3)];
  const mono = run(sets);
  const workers = run([...sets, 'run.server.deployment=workers', 'run.server.workers.sync=3']);
  assert.ok(main(mono).offeredCoresP95 > 1, 'the monolith is overloaded');
  for (const p of workers.summary.resources.processes) assert.ok(p.utilizationP95 < 0.95, `${p.name} at ${p.utilizationP95}`);
  assert.ok(p99(workers) * 10 <= p99(mono), `p99 local send: workers ${p99(workers)} ms, monolith ${p99(mono)} ms`);
});

// ---------------------------------------------------------------------------
// 7. tuwunel and continuwuity

test('law 7: tuwunel and continuwuity need fewer cores than Synapse, their CPU between their two factors; conduwuit runs as tuwunel', () => {
  // Their costs are Synapse's scaled operation by operation (profiles.ts):
  // a send's own CPU, database time and waits by the send-path factor
  // (0.0500 for tuwunel, 0.0517 for continuwuity), everything else by 0.09;
  // RocksDB runs on the server's own cores. The workload's random streams
  // do not depend on the server, and with no workers the same submissions
  // draw the same noise, so the busy CPU is Synapse's busy CPU (process and
  // database) with each part scaled by one of the factors. The send's
  // waits (7.2 ms, not CPU on Synapse) become CPU here, so its part scales
  // by the factor x 19.2 / 12 = 0.080 or 0.083 against Synapse's 12 ms of
  // CPU, still under 0.09: the ratio lies between the send-path factor and
  // 0.09, up to work carried across bin edges (Synapse at 0.9 core is
  // stable); 3% allows that.
  const sets = [users(0.9)];
  const synapse = run(sets).summary;
  for (const implementation of ['tuwunel', 'continuwuity'] as const) {
    const s = run([...sets, `run.server.implementation=${implementation}`]).summary;
    assert.ok(s.recommendation.cores < synapse.recommendation.cores, `recommended cores: ${implementation} ${s.recommendation.cores}, synapse ${synapse.recommendation.cores}`);
    const ratio = s.resources.totalCores.mean / synapse.resources.totalCores.mean;
    const low = PROFILES[implementation].sendPathFactor.value;
    const high = SERVER_COEFFICIENTS.conduwuitFamilyOtherOpsFactor.value;
    assert.ok(ratio >= low * 0.97 && ratio <= high * 1.03, `busy cores ${implementation} / synapse = ${ratio}, factors ${low} and ${high}`);
  }
  // conduwuit is tuwunel under its archived name: the same run, figure for figure.
  const figures = (s: typeof synapse) => JSON.stringify({ r: s.resources, l: s.latencyMs, rec: s.recommendation });
  const tuwunel = run([...sets, 'run.server.implementation=tuwunel']).summary;
  assert.equal(figures(run([...sets, 'run.server.implementation=conduwuit']).summary), figures(tuwunel));
  assert.notEqual(figures(run([...sets, 'run.server.implementation=continuwuity']).summary), figures(tuwunel));
});

// ---------------------------------------------------------------------------
// 8. Presence

test('law 8: presence off lowers CPU, most where rooms are big', () => {
  // A presence change goes to every online device sharing a room with the
  // user (calibration notes §2), so in a room of a few hundred members one
  // change wakes hundreds of /sync long-polls: presence is the "largest
  // avoidable cost". Turning it off must lower the CPU, clearly. Same seed.
  const spec = structuredClone(BASE) as typeof BASE & { rooms: { kinds: object[] } };
  spec.rooms.kinds.push({ name: 'all-hands', count: 1, members: { kind: 'deterministic', value: 300 } });
  const on = run(['population.users=1000'], { spec }).summary;
  const off = run(['population.users=1000', 'features.presence=false'], { spec }).summary;
  const cores = (s: typeof on) => s.resources.totalCores.mean;
  // Measured: presence is about a third of the CPU here; require a 15% drop,
  // far above the 2-3% noise of a mean over 20 bins.
  assert.ok(cores(off) < 0.85 * cores(on), `busy cores: presence on ${cores(on)}, off ${cores(off)}`);
  // The saving is on the process that does presence and wakes /sync (main).
  const offered = (s: typeof on) => s.resources.processes[0]!.offeredCoresP95;
  assert.ok(offered(off) < 0.85 * offered(on), `main offered cores: presence on ${offered(on)}, off ${offered(off)}`);
});

// ---------------------------------------------------------------------------
// 9. The recommendation, re-simulated

/**
 * Re-run a recommended deployment on the same workload with another seed and
 * check it against the targets it was sized for.
 *
 * Tolerances: utilisation +0.03, the replication noise of a p95 bin (the
 * verification itself accepts +0.02 on its own seed; over three fresh seeds
 * the re-checked maximum moved by up to 0.02 from the verified one);
 * latency +20%: the p95 of one replication moved by up to 5% between seeds
 * here, but a tail dominated by a few long batches of deferred work can
 * move by more.
 */
function checkMeetsTargets(base: string[], rec: ScenarioRun['summary']['recommendation'], what: string) {
  const t = rec.targets;
  const again = run([...base, ...deploy(rec)], { seed: 'laws-recheck' }).summary;
  const procs = [...again.resources.processes, ...(again.resources.database ? [{ name: 'postgres', ...again.resources.database }] : [])];
  for (const p of procs) {
    assert.ok(p.utilizationP95 <= t.cpuUtilization + 0.03, `${what}: ${p.name} at ${p.utilizationP95} (target ${t.cpuUtilization})`);
  }
  const latency = again.latencyMs.localSend[t.latencyPercentile].mean;
  assert.ok(latency <= t.localSendMs * 1.2, `${what}: local send ${t.latencyPercentile} ${latency} ms (target ${t.localSendMs} ms)`);
}

test('law 9: the recommended deployment, re-simulated, meets its own targets (Synapse workers)', () => {
  // The recommendation claims a deployment that stays under the CPU ceiling
  // at the p95 bin and under the latency bound; deploying it on the same
  // workload must bear that out, or the advice is wrong.
  const base = [users(1.3)];
  const r = run(base, { verify: true });
  assert.ok(main(run(base)).offeredCoresP95 > 1, 'the monolith as simulated is overloaded');
  const rec = r.summary.recommendation;
  assert.equal(rec.deployment.kind, 'workers', 'an overloaded Synapse monolith must be split into workers');
  checkMeetsTargets(base, rec, 'synapse workers');
});

test('law 9b: the recommended deployment, re-simulated, meets its own targets (multi-threaded Dendrite)', () => {
  // The same for a multi-threaded server: one core offered ~1.2 cores of
  // Dendrite work (0.6x Synapse's costs at 2 Synapse cores) must be advised more cores.
  const base = [users(2), 'run.server.implementation=dendrite', 'run.server.cores=1'];
  const r = run(base, { verify: true });
  assert.ok(main(run(base)).offeredCoresP95 > 1, 'one Dendrite core is overloaded');
  const rec = r.summary.recommendation;
  assert.equal(rec.deployment.kind, 'multi-threaded');
  assert.ok(rec.deployment.serverCores! >= 2);
  checkMeetsTargets(base, rec, 'dendrite');
});

// ---------------------------------------------------------------------------
// 10. Memory of a big join, 11. disk and bandwidth

/**
 * A small federated office whose users join a big public room hosted
 * elsewhere (20,000 members, the room of the synapse#7339 anecdote). Remote
 * members of that room are silent, so the only thing the room adds is the
 * join itself; 120 joins a day make a join in two hours all but certain
 * (10 expected, none with probability 5e-5).
 */
const FEDERATED = {
  ...BASE,
  name: 'server-laws-federated',
  population: { ...BASE.population, classes: [{ name: 'active', share: 1, messagesPerDay: 30, mediaUploadsPerDay: 1 }] },
  rooms: {
    activitySkew: 0,
    kinds: [
      ...BASE.rooms.kinds,
      { name: 'shared', membershipsPerUser: 1, members: { kind: 'uniform', min: 4, max: 16 }, remoteMemberShare: 0.5 },
      {
        name: 'public',
        count: 1,
        members: { kind: 'deterministic', value: 20_000 },
        remoteMemberShare: 0.999,
        hostedRemotely: true,
        remoteMessagesPerMemberPerDay: 0,
        // The room of synapse#7339 (law 10) as 20,000 member events: members
        // who left would add state the anecdote does not tell.
        historicMemberFactor: 1,
      },
    ],
  },
  federation: { mode: 'open', remoteServers: 20, remoteMemberChurnPerDay: 0, remoteOnlineShare: 0, publicRoomJoinsPerDay: 120 },
};
const NO_JOINS = ['federation.publicRoomJoinsPerDay=0'];

test('law 10: joining a big remote room raises the peak RAM of the process that joins by the room state x bytes per event', () => {
  // Joining a room downloads and holds its state: synapse#7339 reports a peak
  // of about 1.1 GB joining a 20k-member room (calibration notes §6). The
  // memory model adds joinBytesPerStateEvent x the events of the largest
  // join to the main process, which runs the state resync after a
  // partial-state join (synapse handlers/federation.py asserts it is not a
  // worker), and nothing to the others.
  const sets = ['population.users=500'];
  const joins = run(sets, { spec: FEDERATED });
  const none = run([...sets, ...NO_JOINS], { spec: FEDERATED });
  const events = joins.results[0]!.largestJoinStateEvents;
  assert.ok(events >= 20_000, `largest join ${events} events`);
  assert.equal(none.results[0]!.largestJoinStateEvents, 0);
  const perEvent = SERVER_COEFFICIENTS.synapseJoinBytesPerStateEvent.value;
  const rise = main(joins).ramBytesPeak - main(none).ramBytesPeak;
  // 5%: the runs differ in the join draws and in what the joined rooms
  // bring once joined (their activity, active rooms and online devices in
  // them: tens of MB) against a rise of about a gigabyte.
  const expected = perEvent * events;
  assert.ok(Math.abs(rise / expected - 1) <= 0.05, `RAM rise ${(rise / GiB).toFixed(3)} GiB, expected ${(expected / GiB).toFixed(3)} GiB`);
  // The calibration anchor: the rise for this 20k-member room is the
  // anecdote's ~1.1 GB, within 30% (an anecdote, and its 1.1 GB is the
  // process's whole peak, of which the idle process is 0.15-0.3 GB; the
  // coefficient's typical 28 KB per event comes from a second anecdote).
  assert.ok(Math.abs(rise / 1.1e9 - 1) <= 0.3, `RAM rise joining a 20k-member room ${(rise / 1e9).toFixed(2)} GB, synapse#7339: ~1.1 GB`);

  // In a worker deployment only main carries it.
  const w = ['run.server.deployment=workers'];
  const wj = run([...sets, ...w], { spec: FEDERATED }).summary.resources.processes;
  const wn = run([...sets, ...w, ...NO_JOINS], { spec: FEDERATED }).summary.resources.processes;
  for (const [i, p] of wj.entries()) {
    const d = p.ramBytesPeak - wn[i]!.ramBytesPeak;
    if (p.name === 'main') assert.ok(Math.abs(d / expected - 1) <= 0.05, `main rises ${d} B`);
    else assert.ok(Math.abs(d) < 0.05 * expected, `${p.name} rises ${d} B`);
  }
});

test('law 11: recommended disk is the storage at the horizon plus headroom; bandwidth is the p95 bin plus headroom', () => {
  // Disk: the projection at the end of the horizon (summary.storage.bytesAtEnd)
  // times (1 + diskHeadroom), rounded up to whole GiB. Bandwidth: the p95 of
  // the per-bin byte rate (the larger of out and in) times
  // (1 + bandwidthHeadroom), in whole Mbit/s, from the per-bin series.
  // Both are recomputed here by hand; the only slack is the 6-significant-
  // digit rounding of the published figures, which can move a ceiling by one.
  // The federated office without the big joins (each join stores the whole
  // room state again, which would make the disk figure about joins alone).
  const r = run(['population.users=500', ...NO_JOINS], { spec: FEDERATED });
  const { recommendation: rec, storage } = r.summary;
  const t = rec.targets;
  const disk = (storage.bytesAtEnd.mean * (1 + t.diskHeadroom)) / GiB;
  assert.ok(disk > 1, `${disk} GiB: a non-trivial check`);
  assert.ok(rec.diskGiB >= Math.ceil(disk * (1 - 1e-5)) && rec.diskGiB <= Math.ceil(disk * (1 + 1e-5)), `disk ${rec.diskGiB} GiB, by hand ${disk}`);

  const col = (id: keyof typeof M) => r.series.columns[id]!;
  const out = ['client.bytes_out', 'fed.out.bytes', 'media.bytes_out', 'media.fed_bytes_out', 'push.bytes'] as const;
  const inn = ['client.bytes_in', 'fed.in.bytes', 'media.bytes_in'] as const;
  const binSeconds = r.summary.binMinutes * 60;
  const rates = col('client.bytes_out').map(
    (_, b) =>
      Math.max(
        out.reduce((a, id) => a + col(id)[b]!, 0),
        inn.reduce((a, id) => a + col(id)[b]!, 0),
      ) / binSeconds,
  );
  const sorted = [...rates].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
  const mbps = ((p95 * 8) / 1e6) * (1 + t.bandwidthHeadroom);
  assert.ok(Number.isFinite(rec.bandwidthMbps) && rec.bandwidthMbps > 0, `bandwidth ${rec.bandwidthMbps}`);
  assert.ok(rec.bandwidthMbps >= Math.ceil(mbps * (1 - 1e-5)) && rec.bandwidthMbps <= Math.ceil(mbps * (1 + 1e-5)), `bandwidth ${rec.bandwidthMbps} Mbit/s, by hand ${mbps}`);
  // Federation and media are part of it: without them the figure would be lower.
  assert.ok(col('fed.out.bytes').some((x) => x > 0) && col('media.bytes_in').some((x) => x > 0));
});
