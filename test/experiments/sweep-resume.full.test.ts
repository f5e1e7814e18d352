/**
 * Nothing lost, nothing done twice: the keys of jobs, the job store, a sweep
 * resumed after a kill, a corrupt job file, `--shard` and `mxsim merge`
 * (in-process, one tiny scenario, --jobs 1, --no-verify: a few seconds).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { decodeNumbers, encodeNumbers, FolderJobStore, jobStoreMessages, moduleId, packageRoot, taskKey } from '../../src/analysis/job-store.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { secondsLeft, statusLine } from '../../src/cli/progress.js';
import { EXIT } from '../../src/errors.js';
import { planSweep, runSweepJobs, selectOutputs, sweepTasks } from '../../src/experiments/sweep.js';
import { JOBS_FOLDER, PLAN_FILE, SWEEP_MARKER, sweepStore } from '../../src/experiments/sweep-folder.js';
import { sweepMessages } from '../../src/experiments/sweep-messages.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { tiny } from './tiny-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-sweep-resume-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const tinyText = JSON.stringify(tiny);
const file = join(dir, 'tiny.json');
writeFileSync(file, tinyText);

/** 2 points x 2 replications: jobs 0..3, job i is point floor(i / 2), replication i % 2. */
const sweep = (out: string, ...extra: string[]) => [
  'node',
  'mxsim',
  'sweep',
  file,
  '--vary',
  'features.presence=true,false',
  '--outputs',
  'cores,events',
  '--no-verify',
  '--jobs',
  '1',
  '--out',
  out,
  ...extra,
];

/** Every file below `root` (hidden ones too), by relative path, with its bytes. */
function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'latin1'));
    }
  };
  walk(root);
  return out;
}

const jobFiles = (d: string) => readdirSync(join(d, JOBS_FOLDER)).sort();

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('the key of a job', () => {
  const root = packageRoot();
  const module = pathToFileURL(join(root, 'src/experiments/sweep-job.ts')).href;
  const task = { module, name: 'sweepJob', args: [{ name: 'tiny', population: { users: 20 } }, '1', 0, '0.1.0', true] };

  it('is the SHA-256 of the canonical JSON of module (as built, from the package root), name, args and version', () => {
    // Keys sorted at every level, no whitespace: what canonicalJson writes.
    const canonical = '{"args":[{"name":"tiny","population":{"users":20}},"1",0,"0.1.0",true],"module":"dist/experiments/sweep-job.js","name":"sweepJob","version":"0.1.0"}';
    assert.equal(taskKey(task, '0.1.0'), createHash('sha256').update(canonical).digest('hex'));
    // The built module gives the same key as the source under tsx, and key order in the arguments does not matter.
    assert.equal(moduleId(pathToFileURL(join(root, 'dist/experiments/sweep-job.js')).href), 'dist/experiments/sweep-job.js');
    assert.equal(taskKey({ ...task, args: [{ population: { users: 20 }, name: 'tiny' }, '1', 0, '0.1.0', true] }, '0.1.0'), taskKey(task, '0.1.0'));
  });

  it('changes with the seed, the replication, a field of the scenario and the version', () => {
    const key = taskKey(task, '0.1.0');
    const others = [
      taskKey({ ...task, args: [task.args[0], '2', 0, '0.1.0', true] }, '0.1.0'),
      taskKey({ ...task, args: [task.args[0], '1', 1, '0.1.0', true] }, '0.1.0'),
      taskKey({ ...task, args: [{ name: 'tiny', population: { users: 21 } }, '1', 0, '0.1.0', true] }, '0.1.0'),
      taskKey(task, '0.1.1'),
    ];
    assert.equal(new Set([key, ...others]).size, 5);
  });

  it('keeps the numbers JSON cannot hold', () => {
    const value = { a: NaN, b: [Infinity, -Infinity, -0, 1.5], c: null };
    const back = decodeNumbers(JSON.parse(JSON.stringify(encodeNumbers(value)))) as typeof value;
    assert.ok(Number.isNaN(back.a));
    assert.deepEqual(back.b, [Infinity, -Infinity, -0, 1.5]);
    assert.ok(Object.is(back.b[2], -0));
    assert.equal(back.c, null);
  });
});

describe('the job store', () => {
  it('reads back what it wrote, reports every file it cannot use with its path and why, and passes over temporary files', () => {
    const folder = join(dir, 'store');
    const check = (r: unknown) => (typeof (r as { n?: unknown }).n === 'number' ? null : 'n: expected a number');
    const store = new FolderJobStore<{ n: number }>(folder, check);
    const keys = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64), 'd'.repeat(64), 'e'.repeat(64)];
    store.save(keys[0]!, { n: NaN });
    writeFileSync(store.path(keys[1]!), '{"key": "bbb", "res');
    writeFileSync(store.path(keys[2]!), JSON.stringify({ key: keys[0], result: { n: 1 } }));
    writeFileSync(store.path(keys[3]!), JSON.stringify({ key: keys[3], result: { n: 'x' } }));
    writeFileSync(join(folder, 'notes.txt'), 'mine');
    writeFileSync(join(folder, `.${keys[4]}.123.tmp`), '{"key"');
    const { found, problems } = store.load(keys);
    assert.deepEqual([...found.keys()], [keys[0]]);
    assert.ok(Number.isNaN(found.get(keys[0]!)!.n));
    assert.deepEqual(
      problems.map((p) => [p.path, p.why.startsWith('not JSON (') ? 'not JSON' : p.why]),
      [
        [store.path(keys[1]!), 'not JSON'],
        [store.path(keys[2]!), jobStoreMessages.wrongKey(keys[0]!)],
        [store.path(keys[3]!), jobStoreMessages.badResult('n: expected a number')],
      ],
    );
    assert.deepEqual(store.foreign(keys), [{ path: join(folder, 'notes.txt'), why: jobStoreMessages.notOfPlan() }]);
  });
});

describe('resuming, shards and merge', () => {
  const local = join(dir, 'local');
  const shard0 = join(dir, 'shard-0');
  const shard1 = join(dir, 'shard-1');

  before(async () => {
    const a = await run(sweep(local, '--quiet'));
    assert.equal(a.code, EXIT.ok, a.stderr);
    const s0 = await run(sweep(shard0, '--shard', '0/2'));
    assert.equal(s0.code, EXIT.ok, s0.stderr);
    // Jobs 0 and 2 of 4, replication 0 of each point; no report.
    assert.equal(s0.stdout, sweepMessages.shardDone('0/2', shard0, 2, 0, 2, 4) + sweepMessages.mergeHint(shard0));
    assert.match(s0.stderr, /^point 1 done \(features\.presence=true\): 1\/2 points, 1\/2 runs, .*\npoint 2 done \(features\.presence=false\): 2\/2 points, 2\/2 runs, /);
    const s1 = await run(sweep(shard1, '--shard', '1/2', '--quiet'));
    assert.equal(s1.code, EXIT.ok, s1.stderr);
  });

  it('a shard stores its jobs, the plan and the unfinished marker, and writes no report', () => {
    assert.equal(jobFiles(shard0).length, 2);
    assert.equal(jobFiles(shard1).length, 2);
    assert.equal(new Set([...jobFiles(shard0), ...jobFiles(shard1)]).size, 4);
    assert.deepEqual([...jobFiles(shard0), ...jobFiles(shard1)].sort(), jobFiles(local));
    assert.ok(existsSync(join(shard0, SWEEP_MARKER)) && existsSync(join(shard0, PLAN_FILE)));
    assert.equal(existsSync(join(shard0, 'results.csv')), false);
    // The finished folder keeps its plan and jobs; it is no longer unfinished.
    assert.equal(existsSync(join(local, SWEEP_MARKER)), false);
    assert.equal(readFileSync(join(local, PLAN_FILE), 'utf8'), readFileSync(join(shard0, PLAN_FILE), 'utf8'));
  });

  it('merge with a job missing lists it, exits 8 and writes nothing', async () => {
    const before = tree(shard0);
    const r = await run(['node', 'mxsim', 'merge', shard0]);
    assert.equal(r.code, EXIT.incomplete, r.stderr);
    assert.match(r.stderr, /error\[merge\.incomplete\]: 2 of the 4 runs of this sweep are in none of the 1 folder given/);
    // Jobs 1 and 3: replication 1 of each point.
    assert.ok(r.stderr.includes(`  ${sweepMessages.missingJob(1, 1, 'features.presence=true', 1)}\n`), r.stderr);
    assert.ok(r.stderr.includes(`  ${sweepMessages.missingJob(3, 2, 'features.presence=false', 1)}`), r.stderr);
    assert.deepEqual(tree(shard0), before);
  });

  it('merge of shards of different plans exits 3, naming what differs, and writes nothing', async () => {
    const other = join(dir, 'shard-other');
    cpSync(shard1, other, { recursive: true });
    const plan = JSON.parse(readFileSync(join(other, PLAN_FILE), 'utf8')) as { seed: string; replications: number };
    writeFileSync(join(other, PLAN_FILE), JSON.stringify({ ...plan, seed: '2' }, null, 2) + '\n');
    const before = tree(shard0);
    const r = await run(['node', 'mxsim', 'merge', shard0, other, join(dir, 'nowhere')]);
    assert.equal(r.code, EXIT.invalidInput, r.stderr);
    assert.ok(r.stderr.includes(sweepMessages.planDiffers(other, shard0, ['seed'])), r.stderr);
    assert.ok(r.stderr.includes(sweepMessages.noPlanFile(join(dir, 'nowhere'), PLAN_FILE)), r.stderr);
    assert.match(r.stderr, /error\[merge\.plan\]: 2 problems/);
    assert.deepEqual(tree(shard0), before);
  });

  it('shards 0/2 and 1/2 merged give the folder of the local run, byte for byte', async () => {
    const merged = join(dir, 'merged-0');
    cpSync(shard0, merged, { recursive: true });
    const r = await run(['node', 'mxsim', 'merge', merged, shard1, '--quiet']);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /tiny: factorial sweep, 2 points x 2 replications \(4 runs\), seed 1/);
    for (const f of ['results.csv', 'points.csv', 'effects.csv', 'sweep.json', 'README.md'])
      assert.equal(readFileSync(join(merged, f), 'utf8'), readFileSync(join(local, f), 'utf8'), f);
    assert.deepEqual(tree(merged), tree(local));
  });

  it('the local command on a folder a kill left half done runs only the rest, says so, and writes the same folder', async () => {
    const resumed = join(dir, 'resumed');
    cpSync(shard0, resumed, { recursive: true });
    const r = await run(sweep(resumed));
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.ok(r.stderr.startsWith(sweepMessages.resumed(resumed, 2, 4, 2)), r.stderr);
    // Without a terminal, one line per point done.
    assert.match(r.stderr, /\npoint 1 done \(features\.presence=true\): 1\/2 points, 3\/4 runs, /);
    assert.match(r.stderr, /\npoint 2 done \(features\.presence=false\): 2\/2 points, 4\/4 runs, /);
    assert.deepEqual(tree(resumed), tree(local));
  });

  it('a folder a kill left moved aside while the report replaced it is put back and resumed', async () => {
    const target = join(dir, 'moved');
    // writeReport moves the old folder to .mxsim-old-<name>-<pid>-<tag> before renaming the new one in; pid 999999 is not alive.
    const aside = join(dir, '.mxsim-old-moved-999999-x');
    cpSync(shard0, aside, { recursive: true });
    const r = await run(sweep(target, '--quiet'));
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.ok(r.stderr.includes(sweepMessages.resumed(target, 2, 4, 2)), r.stderr);
    assert.equal(existsSync(aside), false);
    assert.deepEqual(tree(target), tree(local));
  });

  it('a store holding half the jobs: only the other half runs, and the stored rows are used as they are', async () => {
    const half = join(dir, 'half');
    cpSync(shard1, half, { recursive: true });
    const plan = planSweep(loadScenarioText(tinyText, file), ['features.presence=true,false'], { design: 'factorial' });
    const o = { replications: 2, outputs: selectOutputs('cores,events').outputs, version: 'test', verify: false };
    // Keys of another version: nothing found, all four run (and are stored).
    const all = await runSweepJobs(plan, { ...o, store: sweepStore(half) });
    assert.deepEqual([all.resumed, all.ran], [0, 4]);
    // Remove jobs 0 and 3: those two run again, 1 and 2 are read back.
    const store = sweepStore(half);
    rmSync(store.path(all.keys[0]!));
    rmSync(store.path(all.keys[3]!));
    const stored = JSON.parse(readFileSync(store.path(all.keys[1]!), 'utf8')) as { result: Record<string, unknown> };
    writeFileSync(store.path(all.keys[1]!), JSON.stringify({ key: all.keys[1], result: { ...stored.result, events: 12345 } }));
    const again = await runSweepJobs(plan, { ...o, store: sweepStore(half) });
    assert.deepEqual([again.resumed, again.ran], [2, 2]);
    assert.equal(again.rows[1]!['events'], 12345);
    assert.deepEqual(again.rows[0], all.rows[0]);
    assert.equal(sweepTasks(plan, o).length, 4);
  });

  it('a corrupt job file is reported with its path and why, and its job runs again', async () => {
    const corrupt = join(dir, 'corrupt');
    cpSync(shard0, corrupt, { recursive: true });
    for (const f of jobFiles(shard1)) cpSync(join(shard1, JOBS_FOLDER, f), join(corrupt, JOBS_FOLDER, f));
    const victim = join(corrupt, JOBS_FOLDER, jobFiles(corrupt)[0]!);
    writeFileSync(victim, '{"key": "truncated');
    writeFileSync(join(corrupt, JOBS_FOLDER, 'stray.json'), '{}');
    const r = await run(sweep(corrupt, '--quiet'));
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stderr, new RegExp(`warning: ${victim.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not JSON \\(.*\\); the job runs again\n`));
    assert.ok(r.stderr.includes(sweepMessages.jobFileProblem(join(corrupt, JOBS_FOLDER, 'stray.json'), jobStoreMessages.notOfPlan(), false)), r.stderr);
    // The stray file is not part of the finished folder.
    assert.deepEqual(tree(corrupt), tree(local));
  });

  it('an unfinished sweep of another plan is refused (exit 4) without --force, replaced with it; --force on a finished folder starts again', async () => {
    const unfinished = join(dir, 'other-plan');
    cpSync(shard0, unfinished, { recursive: true });
    const refused = await run(sweep(unfinished, '--seed', '7', '--quiet'));
    assert.equal(refused.code, EXIT.outputExists);
    assert.ok(refused.stderr.includes(sweepMessages.otherPlan(unfinished)), refused.stderr);
    assert.deepEqual(jobFiles(unfinished), jobFiles(shard0));
    // With --force, a new sweep in its place (one job of four: shard 0/4).
    const replaced = await run(sweep(unfinished, '--seed', '7', '--shard', '0/4', '--force', '--quiet'));
    assert.equal(replaced.code, EXIT.ok, replaced.stderr);
    assert.equal(jobFiles(unfinished).length, 1);
    assert.equal((JSON.parse(readFileSync(join(unfinished, PLAN_FILE), 'utf8')) as { seed: string }).seed, '7');

    const finished = join(dir, 'finished');
    cpSync(local, finished, { recursive: true });
    const again = await run(sweep(finished, '--quiet'));
    assert.equal(again.code, EXIT.outputExists);
    const restarted = await run(sweep(finished, '--shard', '3/4', '--force', '--quiet'));
    assert.equal(restarted.code, EXIT.ok, restarted.stderr);
    assert.equal(existsSync(join(finished, 'results.csv')), false);
    assert.equal(jobFiles(finished).length, 1);
  });

  it('a folder mxsim did not write is refused even with --force', async () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'mine.txt'), 'x');
    const r = await run(sweep(foreign, '--shard', '0/2', '--force', '--quiet'));
    assert.equal(r.code, EXIT.outputExists);
    assert.deepEqual([...tree(foreign).keys()], ['mine.txt']);
  });
});

describe('--shard', () => {
  it('refuses malformed values as usage errors (exit 2), naming the value as written', async () => {
    for (const value of ['2/2', '-1/2', 'a/b', '1/0', '1', '0/2/3', ' ', '0/100001']) {
      const r = await run(sweep(join(dir, 'never'), '--shard', value));
      assert.equal(r.code, EXIT.usage, value);
      assert.ok(r.stderr.includes(sweepMessages.shardInvalid(value)), r.stderr);
    }
    assert.equal(existsSync(join(dir, 'never')), false);
  });
});

describe('progress on a terminal', () => {
  it('a status line rewritten in place at most five times a second, cleared at the end', () => {
    let t = 0;
    let err = '';
    const line = statusLine({ out: () => {}, err: (s) => (err += s), errIsTTY: true }, true, () => t);
    line.show('a');
    t = 100;
    line.show('b');
    t = 250;
    line.show('c');
    line.stop();
    assert.equal(err, '\r\x1b[2Ka\r\x1b[2Kc\r\x1b[2K');
  });

  it('the time left is the runs to go at the pace of the runs finished so far', () => {
    assert.equal(secondsLeft(30, 0, 10), null);
    // 3 runs in 30 s: 10 s a run, 7 to go.
    assert.equal(secondsLeft(30, 3, 7), 70);
  });

  it('the line: points, runs (those from before), running, elapsed, time left', () => {
    assert.equal(
      sweepMessages.progressLine({ pointsDone: 3, points: 12, runsDone: 10, runs: 24, running: 2, resumed: 4, elapsed: '12.0 s', left: '30.0 s' }),
      '3/12 points, 10/24 runs done (4 before this run), 2 running | 12.0 s elapsed | about 30.0 s left',
    );
  });
});
