/**
 * The pre-flight estimate (src/analysis/preflight.ts, docs/MODEL.md section
 * 32): its arithmetic by hand, the input it names when a run is too large,
 * and the value at which it says the run fits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateFrom, estimateRun, PREFLIGHT, sizeProblems, type RunSizeInputs } from '../../src/analysis/preflight.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { fitPreflight, readCsv } from '../../scripts/fit-preflight.js';

const K = PREFLIGHT;

describe('estimateFrom: the linear model by hand', () => {
  it('sums each term times its coefficient, per day and simulation', () => {
    const x: RunSizeInputs = {
      users: 1000,
      rooms: 200,
      localMemberships: 5000,
      messagesPerDay: 20_000,
      remoteMessagesPerDay: 300,
      remoteMembers: 400,
      federationSendsPerDay: 1000,
      presencePairs: 50,
      processes: 3,
      binsPerReplication: 96,
      days: 2,
      replications: 3,
      extraSimulations: 2,
    };
    const e = estimateFrom(x);
    // 0.437*3*86400 + 4.5*20000 + 290*300 + 28.1*1000 + 13.3*50 = 113270.4 + 90000 + 87000 + 28100 + 665
    assert.ok(Math.abs(e.eventsPerDay - 319_035.4) < 1e-6, String(e.eventsPerDay));
    assert.ok(Math.abs(e.events - 319_035.4 * 2 * 5) < 1e-6);
    // 178e6 + 873*1000 + 960*400 + 589*96*3*5 + 6590*96*3 = 178e6 + 873000 + 384000 + 848160 + 1897920
    const memory = 178_000_000 + 873_000 + 384_000 + 848_160 + 1_897_920;
    assert.equal(e.memoryBytes, memory);
    // The events' CPU follows the base and the world alone: 178e6 + 873000 + 384000.
    assert.ok(Math.abs(e.cpuSeconds - (4.53 + (4.59e-6 * 319_035.4 * 10 * 179_257_000) / 2 ** 30)) < 1e-9, String(e.cpuSeconds));
    assert.equal(e.reportBytes, 8 * 2 ** 20 + 6000 * 96);
  });
});

describe('the coefficients against the runs they were fitted on (data/preflight-runs.csv)', () => {
  const rows = readCsv();

  it('holds 21 runs, from 40 to 1,000,000 users', () => {
    assert.equal(rows.length, 21);
    assert.equal(Math.min(...rows.map((r) => r.users)), 40);
    assert.equal(Math.max(...rows.map((r) => r.users)), 1_000_000);
  });

  it('are what scripts/fit-preflight.ts fits to those runs, to three significant digits', () => {
    const { events, memory, cpu, optimal } = fitPreflight(rows);
    // Every term held at zero would only raise the weighted error (the optimality condition of non-negative least squares).
    assert.equal(optimal, true);
    const same = (shipped: number, fitted: number | undefined, name: string) =>
      assert.equal(shipped, Number((fitted ?? NaN).toPrecision(3)), `${name}: shipped ${shipped}, fitted ${fitted}`);
    same(K.eventsPerProcessSecond, events.processSeconds, 'eventsPerProcessSecond');
    same(K.eventsPerMessage, events.messagesPerDay, 'eventsPerMessage');
    same(K.eventsPerRemoteMessage, events.remoteMessagesPerDay, 'eventsPerRemoteMessage');
    same(K.eventsPerFederationSend, events.federationSendsPerDay, 'eventsPerFederationSend');
    same(K.eventsPerPresencePairDay, events.presencePairs, 'eventsPerPresencePairDay');
    // Terms the fit sets to zero are left out of the estimate.
    assert.equal(events.users, 0);
    assert.equal(memory.localMemberships, 0);
    same(K.baseBytes, memory.base, 'baseBytes');
    same(K.bytesPerUser, memory.users, 'bytesPerUser');
    same(K.bytesPerRemoteMember, memory.remoteMembers, 'bytesPerRemoteMember');
    same(K.bytesPerBinProcess, memory.seriesBinProcesses, 'bytesPerBinProcess');
    same(K.renderBytesPerBinProcess, memory.renderBinProcesses, 'renderBytesPerBinProcess');
    same(K.cpuSecondsFixed, cpu.fixed, 'cpuSecondsFixed');
    same(K.cpuSecondsPerEventGiB, cpu.eventGiB, 'cpuSecondsPerEventGiB');
  });

  it('estimate each run within the ranges docs/MODEL.md section 32 states: events 0.44-1.51, memory 0.61-1.29, CPU 0.51-1.55 times the measured', () => {
    const within = (ratio: number, lo: number, hi: number, what: string) =>
      assert.ok(ratio >= lo - 0.005 && ratio <= hi + 0.005, `${what}: ${ratio.toFixed(3)} outside ${lo}-${hi}`);
    for (const r of rows) {
      const e = estimateFrom({ ...r, extraSimulations: 0 });
      within(e.events / r.events, 0.44, 1.51, `${r.run}: events`);
      within(e.memoryBytes / r.peakRssBytes, 0.61, 1.29, `${r.run}: memory`);
      within(e.cpuSeconds / r.cpuSeconds, 0.51, 1.55, `${r.run}: CPU`);
    }
  });
});

describe('sizeProblems: which input, and the value that fits', () => {
  it('names population.users for a population too large, and the value it finds fits while one more does not', async () => {
    const { scenario } = await loadScenarioFile('scenarios/national-300000.json', ['population.users=1000000']);
    const est = estimateRun(scenario);
    const limits = { memoryBytes: est.memoryBytes / 2, cpuSeconds: Infinity };
    const [p, ...rest] = sizeProblems(scenario, est, limits);
    assert.equal(rest.length, 0);
    assert.ok(p);
    assert.equal(p.resource, 'memory');
    assert.equal(p.path, 'population.users');
    assert.equal(p.value, 1_000_000);
    assert.ok(p.fits !== null && p.fits < 1_000_000);
    const at = (users: number) => estimateRun({ ...scenario, population: { ...scenario.population, users } }).memoryBytes;
    assert.ok(at(p.fits) <= limits.memoryBytes);
    assert.ok(at(p.fits + 1) > limits.memoryBytes);
  });

  it('names the bin width when bins are what fill memory, with the narrowest width that fits among the divisors of a day', async () => {
    const { scenario } = await loadScenarioFile('scenarios/team-50.json', ['run.binMinutes=1', 'run.days=7']);
    const est = estimateRun(scenario);
    // Room for the base and the world but not 1-minute bins over a week.
    const atBins = (binMinutes: number) => estimateRun({ ...scenario, run: { ...scenario.run, binMinutes } }).memoryBytes;
    const limit = (atBins(5) + atBins(4)) / 2;
    const [p] = sizeProblems(scenario, est, { memoryBytes: limit, cpuSeconds: Infinity });
    assert.equal(p?.path, 'run.binMinutes');
    assert.equal(p?.fits, 5);
  });

  it('is empty for every shipped scenario as shipped, on the machine limits of a 4 GiB heap', async () => {
    for (const name of ['team-50', 'community-server', 'company-2000', 'healthcare-network', 'ministry-20000', 'university-30000', 'national-300000']) {
      const { scenario } = await loadScenarioFile(`scenarios/${name}.json`);
      assert.deepEqual(sizeProblems(scenario, estimateRun(scenario), { memoryBytes: 6 * 2 ** 30, cpuSeconds: 12 * 3600 }), [], name);
    }
  });
});

describe('mxsim run: a run too large is refused before it starts', () => {
  it('exit 2, run.too-large naming population.users, nothing written; --allow-large is the way past', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxsim-preflight-'));
    try {
      const io = memoryIo();
      const out = join(dir, 'r');
      // Ten million users of national-300000: tens of GiB by the estimate, more than a 4 GiB heap allows.
      const code = await main(['node', 'mxsim', 'run', 'scenarios/national-300000.json', '--set', 'population.users=10000000', '--out', out, '--quiet'], io);
      assert.equal(code, 2, io.stderr);
      assert.match(
        io.stderr,
        /^mxsim: error\[run\.too-large\]: this run is larger than this machine can do:\n {2}memory: about [\d.]+ GiB estimated, .*driven most by population\.users = 10,000,000; it fits at about [\d,]+\n/,
      );
      assert.match(io.stderr, /--allow-large/);
      assert.equal(existsSync(out), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
