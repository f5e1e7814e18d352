/**
 * mxsim sweep: --vary parsing, the designs, the analysis of variance checked
 * by hand, common random numbers, and an end-to-end sweep of a tiny
 * scenario writing its folder (in-process, a few seconds of CPU).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fUpperTail, studentTCdf } from '../../src/analysis/confidence.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';
import { factorial, factorialCount, latinHypercube, oneAtATime } from '../../src/experiments/design.js';
import { anova, firstOrderIndices, type Observation } from '../../src/experiments/effects.js';
import { jobScenario, planSweep, runSweep, selectOutputs, sweepTasks } from '../../src/experiments/sweep.js';
import { taskKey } from '../../src/analysis/job-store.js';
import { sweepJob } from '../../src/experiments/sweep-job.js';
import { sweepMessages } from '../../src/experiments/sweep-messages.js';
import { parseVary, rangeValues, splitList } from '../../src/experiments/vary.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { tiny } from './tiny-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-sweep-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const tinyText = JSON.stringify(tiny);
const loaded = () => loadScenarioText(tinyText, 'tiny.json');

describe('--vary parsing', () => {
  it('a log range is a geometric sequence from LO to HI; a linear one evenly spaced', () => {
    // 500 · 2^k, k = 0..4: ln 8000 − ln 500 = ln 16, four equal steps of ln 2.
    assert.deepEqual(
      rangeValues({ lo: 500, hi: 8000, scale: 'log', count: 5 }).map((x) => Math.round(x * 1e9) / 1e9),
      [500, 1000, 2000, 4000, 8000],
    );
    assert.deepEqual(rangeValues({ lo: 0, hi: 0.04, scale: 'lin', count: 3 }), [0, 0.02, 0.04]);
  });

  it('lists split at top-level commas only, so JSON arrays and quoted strings stay whole', () => {
    assert.deepEqual(splitList('1,[2,3],"a,b", x '), ['1', '[2,3]', '"a,b"', 'x']);
  });

  it('reads lists and ranges; an integer field is rounded and values that collide are dropped with a note', () => {
    const { factors, problems, notes } = parseVary(['features.presence=true,false', 'population.users=500..8000:log:5', 'rooms.kinds[0].count=1..3:lin:5'], tiny);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      factors.map((f) => f.levels.map((l) => l.value)),
      [
        [true, false],
        [500, 1000, 2000, 4000, 8000],
        // 1, 1.5, 2, 2.5, 3 rounded half up: 1, 2, 2, 3, 3.
        [1, 2, 3],
      ],
    );
    assert.deepEqual(
      factors.map((f) => f.integer),
      [false, true, true],
    );
    assert.deepEqual(notes, [sweepMessages.roundedDuplicates('rooms.kinds[0].count=1..3:lin:5', ['2', '3'], [1, 2, 3])]);
  });

  it('lists every malformed option at once, each with the value as written', () => {
    const { problems } = parseVary(
      ['foo', 'population.users=0..x:log:1', 'features.presence=true,,false', 'a..b=1', 'features.presence=true,true', 'population.users=3..1:lin:2'],
      tiny,
    );
    assert.deepEqual(problems, [
      sweepMessages.varyProblem('foo', sweepMessages.varyForm(), '"foo"'),
      sweepMessages.varyProblem('population.users=0..x:log:1', sweepMessages.rangeNumber('HI'), '"x"'),
      sweepMessages.varyProblem('population.users=0..x:log:1', sweepMessages.rangeCount(1000), '"1"'),
      sweepMessages.varyProblem('population.users=0..x:log:1', sweepMessages.rangeLogPositive(), '"0"'),
      sweepMessages.varyProblem('features.presence=true,,false', sweepMessages.varyItem(1), '""'),
      sweepMessages.varyProblem('a..b=1', sweepMessages.varyPath(), '"a..b"'),
      sweepMessages.varyProblem('features.presence=true,true', sweepMessages.varyUnique('true'), '"true,true"'),
      sweepMessages.varyProblem('population.users=3..1:lin:2', sweepMessages.rangeOrder(), '3..1'),
    ]);
  });

  it('values the scenario refuses are exit 3, every one with its path and the --vary value', () => {
    assert.throws(
      () => planSweep(loaded(), ['population.users=0,20,-5', 'features.presence=true,maybe'], { design: 'factorial' }),
      (e: Error & { exitCode?: number; code?: string }) =>
        e.code === 'scenario.invalid' &&
        e.exitCode === EXIT.invalidInput &&
        e.message.includes('population.users (--vary population.users=0): expected') &&
        e.message.includes('population.users (--vary population.users=-5): expected') &&
        e.message.includes('features.presence (--vary features.presence=maybe): expected true or false, got "maybe"'),
    );
  });

  it('unknown --outputs names are usage problems listed with those of --vary', () => {
    const sel = selectOutputs('cores,nope');
    assert.deepEqual(
      sel.outputs.map((o) => o.name),
      ['cores'],
    );
    assert.throws(
      () => planSweep(loaded(), ['foo'], { design: 'factorial', usage: sel.problems }),
      (e: Error & { exitCode?: number }) => e.exitCode === EXIT.usage && e.message.includes('"nope"') && e.message.includes('--vary foo:'),
    );
  });
});

describe('designs', () => {
  const { factors } = parseVary(['population.users=10,20,40', 'features.presence=true,false', 'population.growthPerMonth=0..0.04:lin:2'], tiny);

  it('factorial: every combination, the first factor slowest', () => {
    const points = factorial(factors);
    assert.equal(points.length, 3 * 2 * 2);
    assert.equal(factorialCount(factors), 12);
    assert.deepEqual(points[0]!.sets, ['population.users=10', 'features.presence=true', 'population.growthPerMonth=0']);
    assert.deepEqual(points[11]!.levelIndex, [2, 1, 1]);
    assert.equal(new Set(points.map((p) => p.sets.join(' '))).size, 12);
  });

  it("one at a time: the base point at the scenario's own values, then each field alone through its other values", () => {
    const points = oneAtATime(factors, [20, true, 0]);
    assert.deepEqual(
      points.map((p) => p.sets),
      [[], ['population.users=10'], ['population.users=40'], ['features.presence=false'], ['population.growthPerMonth=0.04']],
    );
    assert.deepEqual(points[0]!.levelIndex, [1, 0, 0]);
  });

  it('Latin hypercube: one point in each of the N strata of every range, the same for the same seed', () => {
    const ranges = parseVary(['population.growthPerMonth=0..0.04:lin:2', 'population.devicesPerUser=1..4:log:2'], tiny).factors;
    const n = 8;
    const { points, strata } = latinHypercube(ranges, n, '7');
    for (const [j, f] of ranges.entries()) {
      const r = f.range!;
      // The stratum of each value on the range's own scale: floor(N · u).
      const u = (x: number) => (r.scale === 'log' ? Math.log(x / r.lo) / Math.log(r.hi / r.lo) : (x - r.lo) / (r.hi - r.lo));
      const cells = points.map((p) => Math.min(n - 1, Math.floor(n * u(p.levels[j]!.value as number) + 1e-9)));
      assert.deepEqual(
        [...cells].sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7],
        f.path,
      );
      assert.deepEqual(cells, strata[j]);
    }
    assert.deepEqual(latinHypercube(ranges, n, '7').points, points);
    assert.notDeepEqual(latinHypercube(ranges, n, '8').points, points);
  });
});

describe('effects', () => {
  // A 2x2 factorial with n = 2 (rows: replication 0, 1), cells (A,B):
  //   (0,0): 1, 3   (0,1): 5, 7   (1,0): 4, 6   (1,1): 13, 13
  // Cell means 2, 6, 5, 13; grand mean 6.5; A means 4, 9; B means 3.5, 9.5.
  // By Montgomery's formulas (Design and Analysis of Experiments, 8th ed., §5.3):
  //   SS_A = bn Σ(ȳ_i − ȳ)² = 4 (2.5² + 2.5²) = 50,  SS_B = 4 (3² + 3²) = 72,
  //   SS_AB = n Σ(ȳ_ij − ȳ_i − ȳ_j + ȳ)² = 2 (1 + 1 + 1 + 1) = 8,
  //   SS_E = Σ(y − ȳ_ij)² = 6 (df 4),  SS_T = 136 = 50 + 72 + 8 + 6.
  // Replications as blocks (§5.6): replication means 23/4, 29/4, SS_R = 4 (0.75² + 0.75²) = 4.5,
  //   SS_E = 6 − 4.5 = 1.5 with df 4 − 1 = 3.
  const y = [
    [0, 0, 1, 3],
    [0, 1, 5, 7],
    [1, 0, 4, 6],
    [1, 1, 13, 13],
  ];
  const obs: Observation[] = y.flatMap(([a, b, y0, y1]) => [
    { cell: [a!, b!], replication: 0, y: y0! },
    { cell: [a!, b!], replication: 1, y: y1! },
  ]);
  const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
  // F(1, d) is T² with d degrees of freedom: P(F > f) = 2 P(T > √f).
  const pOf = (f: number, d: number) => 2 * (1 - studentTCdf(Math.sqrt(f), d));

  it('without blocks: the sums of squares and F of the textbook', () => {
    const a = anova(obs, ['A', 'B'], [2, 2], { blocked: false });
    close(a.totalSumOfSquares, 136);
    const row = (e: string) => a.rows.find((r) => r.effect === e)!;
    close(row('A').sumOfSquares, 50);
    close(row('B').sumOfSquares, 72);
    close(row('A × B').sumOfSquares, 8);
    close(row('error').sumOfSquares, 6);
    assert.equal(row('error').df, 4);
    // F = MS / MS_E, MS_E = 6 / 4 = 1.5.
    close(row('A').f, 50 / 1.5);
    close(row('B').f, 48);
    close(row('A × B').f, 8 / 1.5);
    close(row('A').p, pOf(50 / 1.5, 4));
    close(row('A × B').p, pOf(8 / 1.5, 4));
    close(row('B').share, 72 / 136);
  });

  it('with the replications as blocks (common random numbers), their sum of squares leaves the error', () => {
    const a = anova(obs, ['A', 'B'], [2, 2], { blocked: true });
    const row = (e: string) => a.rows.find((r) => r.effect === e)!;
    close(row('replications (common random numbers)').sumOfSquares, 4.5);
    close(row('error').sumOfSquares, 1.5);
    assert.equal(row('error').df, 3);
    // MS_E = 1.5 / 3 = 0.5.
    close(row('A').f, 100);
    close(row('B').f, 144);
    close(row('A × B').f, 16);
    close(row('A × B').p, pOf(16, 3));
  });

  it('the F tail agrees with the t tail (F(1, d) = T²) and with the F table', () => {
    close(fUpperTail(25, 1, 4), pOf(25, 4));
    // F table, 5% point of F(3, 10) = 3.71 (Montgomery, Appendix Table IV).
    assert.ok(Math.abs(fUpperTail(3.71, 3, 10) - 0.05) < 0.0005);
  });

  it('first-order Sobol index by binning: the correlation ratio', () => {
    // Bins {1,2} and {3,4}: means 1.5 and 3.5 around 2.5; between 2·1 + 2·1 = 4 of a total 5.
    assert.deepEqual(firstOrderIndices([[1, 2, 3, 4]], [1, 2, 3, 4]), [{ index: 0.8, bins: 2 }]);
    // A field the output does not depend on: its bins' means equal the grand mean.
    assert.deepEqual(firstOrderIndices([[1, 2, 3, 4]], [1, 2, 2, 1]), [{ index: 0, bins: 2 }]);
  });
});

describe('running a sweep', () => {
  it('common random numbers: replication r of every point runs with seed SEED/r', async () => {
    // The description changes nothing simulated: both points must give the same outputs, replication by replication.
    const plan = planSweep(loaded(), ['description=a,b'], { design: 'factorial', seed: '5' });
    const { outputs } = selectOutputs('events,coresBusyP95');
    const r = await runSweep(plan, { replications: 2, outputs, version: 'test' });
    assert.deepEqual(
      r.results.map((x) => [x['point'], x['replication'], x['seed']]),
      [
        [1, 0, '5/0'],
        [1, 1, '5/1'],
        [2, 0, '5/0'],
        [2, 1, '5/1'],
      ],
    );
    assert.deepEqual(r.results[0]!['events'], r.results[2]!['events']);
    assert.deepEqual(r.results[1]!['events'], r.results[3]!['events']);
    assert.notEqual(r.results[0]!['events'], r.results[1]!['events']);
  });

  it('the saturation search runs only for sweeps that ask for saturationUsers, and leaves the other outputs as they were', async () => {
    const plan = planSweep(loaded(), ['population.users=20,40'], { design: 'factorial', seed: '5' });
    const asked = selectOutputs('cores,ramGiB,localSendP95Ms,targetsMet,saturationUsers').outputs;
    const without = selectOutputs('cores,ramGiB,localSendP95Ms,targetsMet').outputs;
    assert.equal(plan.scenarios[0]!.run.server.saturation, 'simulated');
    assert.equal(jobScenario(plan.scenarios[0]!, asked), plan.scenarios[0]);
    assert.equal(jobScenario(plan.scenarios[0]!, without).run.server.saturation, 'linear');
    // Different scenarios, so different job keys: a row stored without the search is never read back for a sweep that asks for it.
    const keyOf = (outputs: typeof asked) => taskKey(sweepTasks(plan, { replications: 1, version: 'test', outputs })[0]!, 'test');
    assert.notEqual(keyOf(asked), keyOf(without));
    const a = await runSweep(plan, { replications: 1, outputs: asked, version: 'test' });
    const b = await runSweep(plan, { replications: 1, outputs: without, version: 'test' });
    for (const name of ['cores', 'ramGiB', 'localSendP95Ms', 'targetsMet']) {
      assert.deepEqual(
        b.results.map((x) => x[name]),
        a.results.map((x) => x[name]),
        name,
      );
    }
    // Asked for, saturationUsers is the search's: it tries at most four times the users (capacity.ts), so the
    // tiny scenario's recommendation, which holds them all, reports 4 x 20 and 4 x 40. Linear extrapolation,
    // what a job without the search computes, puts it tens of thousands of users away.
    assert.deepEqual(
      a.results.map((x) => x['saturationUsers']),
      [80, 160],
    );
    const linear = sweepJob(jobScenario(plan.scenarios[0]!, without), '5', 0, 'test');
    assert.equal(linear['cores'], a.results[0]!['cores']);
    assert.ok((linear['saturationUsers'] as number) > 1000, `linear extrapolation ${String(linear['saturationUsers'])}`);
  });

  it('mxsim sweep writes the folder and prints the ranking; refuses to overwrite it without --force', async () => {
    const file = join(dir, 'tiny.json');
    writeFileSync(file, tinyText);
    const out = join(dir, 'sweep');
    const args = [
      'node',
      'mxsim',
      'sweep',
      file,
      '--vary',
      'population.users=10..40:log:2',
      '--vary',
      'features.presence=true,false',
      '--outputs',
      'cores,events',
      '--out',
      out,
      '--quiet',
      '--jobs',
      '1',
    ];
    const io = memoryIo();
    assert.equal(await main(args, io), EXIT.ok, io.stderr);
    assert.match(io.stdout, /tiny: factorial sweep, 4 points x 2 replications \(8 runs\), seed 1/);
    assert.match(io.stdout, /events: population\.users \d/);
    for (const f of [
      'results.csv',
      'results.json',
      'points.csv',
      'points.json',
      'effects.csv',
      'effects.json',
      'sweep.json',
      'index.html',
      'README.md',
      'charts/effects.svg',
      'charts/events-by-population_users.vl.json',
      'charts/events-by-features_presence.svg',
    ]) {
      assert.ok(existsSync(join(out, f)), f);
    }
    const results = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    // One row per point and replication, the varied fields as columns.
    assert.equal(results[0], 'point,replication,seed,population.users,features.presence,cores,events');
    assert.equal(results.length, 1 + 4 * 2);
    assert.match(results[1]!, /^1,0,1\/0,10,true,\d+,\d+$/);
    const points = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n');
    assert.equal(points[0], 'point,population.users,features.presence,cores,cores_ci95_low,cores_ci95_high,events,events_ci95_low,events_ci95_high');
    assert.equal(points.length, 1 + 4);
    const effects = readFileSync(join(out, 'effects.csv'), 'utf8');
    assert.match(effects, /^output,effect,kind,df,sumOfSquares,share,f,p,rank\n/);
    assert.match(effects, /\nevents,population\.users,main,1,/);
    assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /## What moves the answer/);

    const again = memoryIo();
    assert.equal(await main(args, again), EXIT.outputExists);
    assert.match(again.stderr, /already exists; use --force/);
  });

  it('malformed options exit 2, values the scenario refuses exit 3, nothing written', async () => {
    const file = join(dir, 'tiny2.json');
    writeFileSync(file, tinyText);
    const out = join(dir, 'never');
    const bad = memoryIo();
    assert.equal(await main(['node', 'mxsim', 'sweep', file, '--vary', 'population.users=1..x:lin:3', '--points', '4', '--out', out], bad), EXIT.usage);
    assert.match(bad.stderr, /--points: only with --design lhs/);
    assert.match(bad.stderr, /--vary population\.users=1\.\.x:lin:3: expected HI a finite number/);
    const invalid = memoryIo();
    assert.equal(await main(['node', 'mxsim', 'sweep', file, '--vary', 'population.users=0,10', '--out', out], invalid), EXIT.invalidInput);
    assert.match(invalid.stderr, /population\.users \(--vary population\.users=0\): expected/);
    assert.equal(existsSync(out), false);
  });
});
