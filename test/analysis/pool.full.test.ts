/**
 * The pool's answer to a worker thread that ends without a result (a crash,
 * memory exhausted): in the full suite, since each case starts three worker
 * threads, and a worker under tsx takes about half a CPU second to start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runTasks, type Task } from '../../src/analysis/pool.js';
import { TASKS_MODULE } from './pool-tasks.js';

const task = (name: string, ...args: unknown[]): Task => ({ module: TASKS_MODULE, name, args });

const dir = mkdtempSync(join(tmpdir(), 'mxsim-pool-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a worker that ends without an answer has its task retried once on a fresh worker', async () => {
  const r = await runTasks<unknown>([task('dieOnce', join(dir, 'died')), task('sleep', 2)], { jobs: 2 });
  assert.deepEqual(r, ['survived', 2]);
});

test('a task whose worker ends twice fails with what happened', async () => {
  await assert.rejects(runTasks([task('sleep', 1), task('die', 7)], { jobs: 2 }), {
    message: `task 2 of 2 (die of ${TASKS_MODULE}) ended its worker thread 2 times without a result; the last time: exit code 7`,
  });
});
