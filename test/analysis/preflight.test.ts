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
    // 0.65*3*86400 + 4.3*20000 + 23*300 + 6.2*1000 + 26.5*50 = 168480 + 86000 + 6900 + 6200 + 1325
    assert.ok(Math.abs(e.eventsPerDay - 268_905) < 1e-6, String(e.eventsPerDay));
    assert.ok(Math.abs(e.events - 268_905 * 2 * 5) < 1e-6);
    assert.ok(Math.abs(e.cpuSeconds - 268_905 * 10 * 1.5e-6) < 1e-9);
    const memory = K.baseBytes + 1344 * 1000 + 131 * 5000 + 653 * 400 + 295 * 96 * 3 * 5 + 10_000 * 96 * 3;
    assert.equal(e.memoryBytes, memory);
    assert.equal(e.reportBytes, 8 * 2 ** 20 + 6000 * 96);
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
