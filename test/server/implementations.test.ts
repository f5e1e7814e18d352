/**
 * The implementations of 2026 (matrix-2026.md §6): conduwuit accepted as an
 * archived alias of tuwunel, Synapse Pro's vendor figures as a choice,
 * tuwunel's memory growing with its cores, and Dendrite's maintenance
 * notice in the report and on the command line. The send-path factors are
 * held to the benchmark in calibration.test.ts.
 *
 * Runs are a 50-user team (team-50's rooms) for a quarter of a day, one
 * replication, no re-simulation: well under a second each.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScenario, type ScenarioRun } from '../../src/analysis/run.js';
import type { ReplicationResult } from '../../src/model/simulate.js';
import { memoryIo } from '../../src/cli/io.js';
import { cliMessages } from '../../src/cli/messages.js';
import { headline } from '../../src/cli/run.js';
import { validateFiles } from '../../src/cli/validate.js';
import { reportHtml } from '../../src/report/html.js';
import { reportMarkdown } from '../../src/report/markdown.js';
import { escapeHtml } from '../../src/report/text.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { messages } from '../../src/scenario/messages.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { sendBenchmark } from '../../src/server/calibration.js';
import { processMemoryBytes, type MemoryContext } from '../../src/server/memory.js';
import { PROFILES } from '../../src/server/profiles.js';
import { SERVER_COEFFICIENTS as S } from '../../src/server/server-coefficients.js';
import { offeredLoads, sizeForLoad } from '../../src/server/sizing.js';
import { processesOf, workersEach } from '../../src/server/topology.js';

const MiB = 1024 * 1024;

/** team-50's world, a quarter of a day. */
const TEAM = {
  name: 'implementations',
  description: 'A 50-person team on its own closed server (team-50), for the implementation tests.',
  population: { users: 50, devicesPerUser: 2 },
  rooms: {
    kinds: [
      { name: 'direct', membershipsPerUser: 6, members: { kind: 'deterministic', value: 2 }, activityWeight: 1.5 },
      { name: 'group', count: 12, members: { kind: 'uniform', min: 3, max: 10 } },
      { name: 'all-hands', count: 1, members: { kind: 'deterministic', value: 50 }, activityWeight: 0.3 },
    ],
  },
  run: { days: 0.25, replications: 1, seed: 1, server: { saturation: 'linear' } },
};

const withImplementation = (implementation: string, server: object = {}) => ({ ...TEAM, run: { ...TEAM.run, server: { ...TEAM.run.server, implementation, ...server } } });

function teamRun(implementation: string, server: object = {}): { scenario: Scenario; run: ScenarioRun; warnings: string[] } {
  const loaded = loadScenarioText(JSON.stringify(withImplementation(implementation, server)), 'team.json');
  // One hash for every run, so that summaries differ only where the server does.
  const run = runScenario(loaded.scenario, { sha256: 'implementations', overrides: [], version: 'test', verify: false });
  return { scenario: loaded.scenario, run, warnings: loaded.warnings };
}

// ---------------------------------------------------------------------------
// conduwuit, archived: an alias of tuwunel, with a warning

test('conduwuit is accepted with a warning and normalized to tuwunel', () => {
  const r = validateScenario(withImplementation('conduwuit'));
  assert.ok(r.ok);
  assert.equal(r.scenario.run.server.implementation, 'tuwunel');
  assert.deepEqual(r.warnings, [{ path: 'run.server.implementation', message: messages.archivedImplementation('conduwuit', 'tuwunel') }]);
  // Its successor's own name, or any other, warns of nothing.
  for (const name of ['tuwunel', 'continuwuity', 'synapse', 'synapse-pro', 'dendrite']) {
    const other = validateScenario(withImplementation(name));
    assert.ok(other.ok, name);
    assert.deepEqual(other.warnings, [], name);
    assert.equal(other.scenario.run.server.implementation, name);
  }
  // The loader names the file; the command line prints each on stderr as a warning, and the file is still ok.
  assert.deepEqual(loadScenarioText(JSON.stringify(withImplementation('conduwuit')), 'team.json').warnings, [
    `team.json: run.server.implementation: ${messages.archivedImplementation('conduwuit', 'tuwunel')}`,
  ]);
});

test('mxsim validate prints the alias warning on stderr and passes the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxsim-impl-'));
  const file = join(dir, 'conduwuit.json');
  writeFileSync(file, JSON.stringify(withImplementation('conduwuit')));
  const io = memoryIo();
  assert.equal(await validateFiles([file], [], io), 0);
  assert.equal(io.stdout, `ok ${file} (implementations)\n`);
  assert.equal(io.stderr, cliMessages.warning(`${file}: run.server.implementation: ${messages.archivedImplementation('conduwuit', 'tuwunel')}`));
});

test('conduwuit runs as tuwunel: the same figures, run for run', () => {
  // The send benchmark, same seed: the same server, so the same sends a second.
  assert.equal(sendBenchmark('conduwuit', 10), sendBenchmark('tuwunel', 10));
  // A whole run of the team: identical summaries, the implementation included.
  const alias = teamRun('conduwuit');
  const tuwunel = teamRun('tuwunel');
  assert.deepEqual(alias.scenario, tuwunel.scenario);
  assert.equal(alias.run.summary.recommendation.implementation, 'tuwunel');
  assert.deepEqual(alias.run.summary, tuwunel.run.summary);
  assert.equal(alias.warnings.length, 1);
  assert.deepEqual(tuwunel.warnings, []);
});

// ---------------------------------------------------------------------------
// Synapse Pro: vendor claims, chosen, never a default

test('Synapse Pro is never the default and differs from Synapse only where the vendor says so', () => {
  const r = validateScenario(TEAM);
  assert.ok(r.ok);
  assert.equal(r.scenario.run.server.implementation, 'synapse');
  const synapse = PROFILES.synapse.cost({ roomsPerUser: 20 });
  const pro = PROFILES['synapse-pro'].cost({ roomsPerUser: 20 });
  for (const op of Object.keys(synapse) as (keyof typeof synapse)[]) {
    if (op === 'replication') continue;
    assert.deepEqual(pro[op], synapse[op], op);
  }
  assert.equal(pro.replication.cpuMsPerUnit, S.synapseProReplicationCpuMsPerRow.value);
  assert.equal(PROFILES['synapse-pro'].multiThreaded, false);
  assert.equal(PROFILES['synapse-pro'].memory.caches, 'shared');
  assert.match(PROFILES['synapse-pro'].notice ?? '', /vendor claims/);
  // As a monolith nothing of Pro applies: the run is Synapse's.
  const figures = (x: ScenarioRun) => JSON.stringify({ r: x.summary.resources, l: x.summary.latencyMs, c: x.summary.recommendation.cores });
  assert.equal(figures(teamRun('synapse-pro').run), figures(teamRun('synapse').run));
});

test('Synapse Pro workers share one copy of the caches; Python workers each hold their own', () => {
  // A hot set large enough to fill part of every cache.
  const ctx: MemoryContext = {
    peakOnlineUsers: 2_000,
    peakOnlineDevices: 4_000,
    activeRooms: 3_000,
    peakEventsPerHalfHour: 4_000,
    hotStateEntries: 60_000,
    roomsPerUser: 20,
    largestJoinStateEvents: 0,
  };
  const deployment = { kind: 'workers' as const, workers: { ...workersEach(0), sync: 4, generic: 2, eventPersister: 2 }, serverCores: null, databaseCores: 2 };
  const total = (implementation: 'synapse' | 'synapse-pro') => {
    const profile = PROFILES[implementation];
    const specs = processesOf(profile, deployment);
    return specs.map((p) => processMemoryBytes(profile, p, specs, ctx));
  };
  const [proMain, ...proWorkers] = total('synapse-pro');
  const [synapseMain, ...synapseWorkers] = total('synapse');
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // Main holds the whole hot set (more than Synapse's main, which sees a tenth of the rooms)...
  assert.ok(proMain! > synapseMain!, `main: Pro ${proMain! / MiB} MiB, Synapse ${synapseMain! / MiB} MiB`);
  // ...each Pro worker none of it, so the deployment holds less in all.
  for (const [i, w] of proWorkers.entries()) assert.ok(w < synapseWorkers[i]!, `worker ${i}`);
  assert.ok(proMain! + sum(proWorkers) < synapseMain! + sum(synapseWorkers));
});

test("the sizing charges Synapse Pro's workers the vendor's replication cost, Synapse's its own", () => {
  // 40 stream rows a second in every bin: a Python worker follows them with
  // 0.25 of a core (40 x 6.25 ms), a Rust one with 0.03 (40 x 0.75 ms), so
  // a worker kind offered 1.2 cores needs ceil(1.2 / (0.7 - 0.25)) = 3
  // Python workers but ceil(1.2 / (0.7 - 0.03)) = 2 Rust ones.
  const bins = 4;
  const binSeconds = 15 * 60;
  const result = {
    server: {
      streamRowsByBin: new Float64Array(bins).fill(40 * binSeconds),
      offeredByWorkerKind: { server: new Float64Array(bins).fill(2), main: new Float64Array(bins).fill(0.2), sync: new Float64Array(bins).fill(1.2) },
      databaseOfferedByBin: new Float64Array(bins).fill(0.1),
    },
  } as unknown as ReplicationResult;
  const sized = (implementation: string) => {
    const s = validateScenario(withImplementation(implementation, { deployment: 'workers' }));
    assert.ok(s.ok);
    const loads = offeredLoads(s.scenario, [result]);
    return { replication: loads.replicationCores, deployment: sizeForLoad(s.scenario, loads) };
  };
  const synapse = sized('synapse');
  const pro = sized('synapse-pro');
  assert.ok(Math.abs(synapse.replication - 0.25) < 1e-12, `${synapse.replication}`);
  assert.ok(Math.abs(pro.replication - 0.03) < 1e-12, `${pro.replication}`);
  assert.equal(synapse.deployment.workers?.sync, 3);
  assert.equal(pro.deployment.workers?.sync, 2);
});

// ---------------------------------------------------------------------------
// tuwunel: RAM = base + k x cores

test("tuwunel's memory is a base plus a part per core, from its defaults", () => {
  // Caches full (the hot set passes Synapse's state cache), no devices, rooms or joins, so only the terms that depend on cores move.
  const ctx: MemoryContext = {
    peakOnlineUsers: 0,
    peakOnlineDevices: 0,
    activeRooms: 0,
    peakEventsPerHalfHour: 10_000,
    hotStateEntries: 500_000,
    roomsPerUser: 0,
    largestJoinStateEvents: 0,
  };
  const at = (cores: number) => {
    const profile = PROFILES.tuwunel;
    const [server] = processesOf(profile, { kind: 'multi-threaded', workers: null, serverCores: cores, databaseCores: 0 });
    return processMemoryBytes(profile, server!, [server!], ctx);
  };
  // By hand, from tuwunel's src/core/config/mod.rs defaults (profiles.ts):
  //   base = 60 MiB idle + 176 MiB RocksDB (128 read + 48 write)
  //        + 250,000 x 1,024 B + 900,000 x 100 B of caches = 346,000,000 B (329.97 MiB)
  //   k    = 68 MiB RocksDB (64 + 4)
  //        + 135,100 x 1,024 B + 196,000 x 100 B of caches = 157,942,400 B (150.63 MiB)
  const base = 60 * MiB + 176 * MiB + 346_000_000;
  const k = 68 * MiB + 157_942_400;
  for (const cores of [1, 2, 4, 8, 16]) assert.equal(at(cores), base + k * cores, `${cores} cores`);
  assert.equal(S.tuwunelCacheBytesFixed.value, 346_000_000);
  assert.equal(S.tuwunelCacheBytesPerCore.value, 157_942_400);
  // continuwuity's auth-chain cache grows less with cores.
  assert.ok(S.continuwuityCacheBytesPerCore.value < S.tuwunelCacheBytesPerCore.value);
});

// ---------------------------------------------------------------------------
// Dendrite: maintenance mode, said in the report and on the command line

test('a Dendrite run carries the maintenance-only notice in its report and its command-line summary', () => {
  const { scenario, run } = teamRun('dendrite');
  const notice = PROFILES.dendrite.notice!;
  assert.match(notice, /maintenance mode/);
  assert.match(notice, /security fixes/);
  assert.match(notice, /tens to hundreds of users/);
  const page = { run, scenario, meta: { version: 'test', overrides: [] }, charts: [] };
  const md = reportMarkdown(page);
  assert.ok(md.includes(`> **Note.** ${notice}`), 'summary.md');
  const html = reportHtml(page);
  assert.ok(html.includes(`<p class="notice" id="implementation-notice">${escapeHtml(notice)}</p>`), 'index.html');
  assert.ok(headline(run, 'reports/x').includes(`note: ${notice}\n`), 'the command line');
  // Synapse's report and summary carry no such notice.
  const synapse = teamRun('synapse');
  const synapsePage = { ...page, run: synapse.run, scenario: synapse.scenario };
  assert.ok(!reportMarkdown(synapsePage).includes('**Note.**'));
  assert.ok(!reportHtml(synapsePage).includes('implementation-notice'));
  assert.ok(!headline(synapse.run, 'reports/x').includes('maintenance'));
});
