import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultJobs, rebuildError, runTasks, withoutTsx, type Task } from '../../src/analysis/pool.js';
import { describeError } from '../../src/analysis/pool-worker.js';
import { EXIT, MxsimError } from '../../src/errors.js';
import { TASKS_MODULE } from './pool-tasks.js';

const task = (name: string, ...args: unknown[]): Task => ({ module: TASKS_MODULE, name, args });
type Square = { square: number; thread: number; main: boolean };

describe('runTasks', () => {
  it('jobs 1 runs every task in this thread, in order', async () => {
    const r = await runTasks<Square>([task('square', 3), task('square', 4)], { jobs: 1 });
    assert.deepEqual(
      r.map((x) => [x.square, x.main]),
      [
        [9, true],
        [16, true],
      ],
    );
  });

  it('jobs 2 runs on two worker threads, passes progress on, and returns results in task order, not finishing order', async () => {
    const ended: number[] = [];
    const progress: string[] = [];
    // Task 0 waits longest, so it ends last (2 s: longer than a worker takes to start under tsx on a
    // loaded machine, which once took more than 300 ms); task 2 waits for a free worker.
    const r = await runTasks<Square | number>([task('square', 1, 2000), task('square', 2, 0), { ...task('withProgress', 7), progress: true }], {
      jobs: 2,
      onDone: (i) => ended.push(i),
      onProgress: (i, f) => progress.push(`${i}:${f}`),
    });
    const [a, b, c] = r as [Square, Square, number];
    assert.deepEqual([a.square, b.square, c], [1, 4, 7]);
    assert.ok(!a.main && !b.main);
    assert.notEqual(a.thread, b.thread, 'two workers');
    assert.equal(ended.at(-1), 0, `task 0 ends last: ${ended.join(', ')}`);
    assert.deepEqual(progress, ['2:0.5', '2:1']);
  });

  it("passes a task's progress to onProgress in this thread", async () => {
    const seen: string[] = [];
    const t: Task = { ...task('withProgress', 7), progress: true };
    assert.deepEqual(await runTasks<number>([t, t], { jobs: 1, onProgress: (i, f) => seen.push(`${i}:${f}`) }), [7, 7]);
    assert.deepEqual(seen, ['0:0.5', '0:1', '1:0.5', '1:1']);
  });

  it('an error thrown in a worker rejects with its message; an MxsimError keeps its code and exit code', async () => {
    await assert.rejects(runTasks([task('square', 1), task('throwMxsim', 'bad folder')], { jobs: 2 }), (e: unknown) => {
      assert.ok(e instanceof MxsimError);
      assert.equal(e.code, 'run.invalid');
      assert.equal(e.exitCode, EXIT.invalidInput);
      assert.equal(e.message, 'bad folder');
      return true;
    });
  });

  it('an error crosses from a worker with its name, message and stack', () => {
    const e = rebuildError(structuredClone(describeError(new RangeError('no such thing'))));
    assert.equal(e.name, 'RangeError');
    assert.equal(e.message, 'no such thing');
    assert.match(e.stack ?? '', /pool-threads\.full\.test/);
    const m = rebuildError(structuredClone(describeError(new MxsimError('usage', 'bad', EXIT.invalidInput))));
    assert.ok(m instanceof MxsimError);
    assert.deepEqual([m.code, m.exitCode, m.message], ['usage', EXIT.invalidInput, 'bad']);
  });

  it('an abort ends the workers and rejects with the reason', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = runTasks([task('sleep', 20_000), task('sleep', 20_000)], { jobs: 2, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await assert.rejects(run, { message: 'stop' });
    assert.ok(performance.now() - started < 10_000);
  });

  it('defaultJobs is the cores this process may use, at least 1', () => {
    assert.ok(Number.isInteger(defaultJobs()) && defaultJobs() >= 1);
  });
});

describe('withoutTsx', () => {
  it('drops the options that load tsx and keeps the others', () => {
    assert.deepEqual(withoutTsx(['--import', 'tsx', '--enable-source-maps', '--import=tsx', '--require', '/x/node_modules/tsx/dist/preflight.cjs', '--import', './other.js']), [
      '--enable-source-maps',
      '--import',
      './other.js',
    ]);
  });
});

describe('runTasks refuses', () => {
  it('a number of jobs that is not an integer >= 1, and arguments that cannot cross to a worker', async () => {
    for (const jobs of [0, 1.5, NaN]) await assert.rejects(runTasks([task('square', 1)], { jobs }), { message: `jobs must be an integer >= 1, got ${jobs}` });
    // Refused as the first task is handed to a worker (postMessage clones its arguments), the workers ended.
    await assert.rejects(runTasks([task('square', () => 1), task('square', () => 2)], { jobs: 2 }), { name: 'DataCloneError' });
  });
});
