/**
 * The job queue (src/analysis/work-queue.ts, `mxsim worker`) on a real Redis:
 * a redis-server of Debian's package on a free port of 127.0.0.1, without
 * persistence, in a temporary folder (skipped without it, failed with
 * MXSIM_REQUIRE_REDIS=1 or CI=true: ./redis.ts). Two workers run as
 * processes; one is killed mid-task, and the results must still be those of
 * `runTasks` in this process, byte for byte, with every task done once. And
 * a whole sweep (`mxsim sweep --queue`) through two workers, one killed after
 * its first run, writes the folder a local run writes, byte for byte.
 */
import { Queue } from 'bullmq';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { queueMessages } from '../../src/analysis/messages.js';
import { runTasks, type Task } from '../../src/analysis/pool.js';
import { checkQueueUrl, probeQueue, queueName, runTasksOnQueue, taskKey, taskModule, workerModuleUrl } from '../../src/analysis/work-queue.js';
import { EXIT, MxsimError } from '../../src/errors.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliMessages } from '../../src/cli/messages.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { redisDecision } from './redis.js';
import { freePort } from '../fixtures/local-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TASKS = new URL('./fixtures/queue-tasks.ts', import.meta.url).href;
const REDIS = redisDecision(process.env);
const skip = 'skip' in REDIS ? REDIS.skip : false;

let dir = '';
let redis: ChildProcess | undefined;
let url = '';

before(async () => {
  if ('fail' in REDIS) throw new Error(REDIS.fail);
  if (!REDIS.run) return;
  dir = mkdtempSync(join(tmpdir(), 'mxsim-queue-'));
  const port = await freePort();
  redis = spawn(REDIS.executablePath, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await probeQueue(url, 1000);
      break;
    } catch (e) {
      if (i >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(() => {
  redis?.kill('SIGKILL');
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** A closed server of 20 users, 6 hours in hourly bins (as test/analysis/replicate.test.ts): a replication in a fraction of a second. */
function tinyScenario() {
  const text = JSON.stringify({
    name: 'tiny',
    description: 'A small closed server for the job queue test.',
    population: { users: 20 },
    rooms: { kinds: [{ name: 'group', membershipsPerUser: 2, members: { kind: 'deterministic', value: 6 } }] },
    run: { days: 0.25, replications: 1, binMinutes: 60 },
  });
  return loadScenarioText(text, 'tiny.json').scenario;
}

/** `mxsim worker` as a process, from the sources; its stderr kept. */
function startWorker(log: string): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/analysis/fixtures/mxsim.ts', 'worker', '--queue', url, '--stalled-seconds', '1'], {
    cwd: ROOT,
    env: { ...process.env, MXSIM_TEST_TASK_LOG: log },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

/** Lines of the task log: `start|done <x> <pid>`. */
function logLines(log: string): string[][] {
  try {
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split(' '));
  } catch {
    return [];
  }
}

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test(
  'two workers, one killed mid-task: every result as runTasks gives it, byte for byte; each task done once; a re-submission runs nothing',
  { skip, timeout: 30_000 },
  async () => {
    const log = join(dir, 'tasks.log');
    writeFileSync(log, '');
    // Six tasks, and the third again: queued once, run once, its result given twice. The first two
    // take 1 s, so that worker a, which takes one of them, is surely killed in the middle of it.
    // Last, a real replication of a tiny scenario (typed arrays and quantile sketches in its result).
    const tasks: Task[] = [
      ...[1, 2, 3, 4, 5, 6, 3].map((x) => ({ module: TASKS, name: 'slowSquare', args: [x, x <= 2 ? 1000 : 200] })),
      { module: new URL('../../src/analysis/replicate.js', import.meta.url).href, name: 'simulateOnce', args: [tinyScenario(), '1/0'] },
    ];
    // The workers start while the tasks run here.
    const a = startWorker(log);
    const b = startWorker(log);
    const local = await runTasks(tasks);
    // Both waiting for tasks before any is queued, so each takes one of the first.
    await until('both workers to start', () => [a, b].every((w) => w.stderr().includes('mxsim worker: taking tasks')), 15_000);
    const progress: { done: number; total: number; reused: number }[] = [];
    const doneIndices: number[] = [];
    const run = runTasksOnQueue(tasks, { url, onProgress: (p) => progress.push(p), onDone: (i) => doneIndices.push(i) });
    // Kill worker a as soon as it has started a task (SIGKILL: no chance to hand it back).
    const pidA = String(a.child.pid);
    await until('worker a to start a task', () => logLines(log).some(([what, , pid]) => what === 'start' && pid === pidA), 15_000);
    a.child.kill('SIGKILL');
    const results = await run;
    assert.equal(JSON.stringify(results), JSON.stringify(local));
    // The replication's series come back as the typed arrays they were.
    assert.ok((results[7] as { onlineUsers: unknown }).onlineUsers instanceof Float64Array);
    assert.deepEqual(progress.at(-1), { done: 8, total: 8, reused: 0 });
    assert.deepEqual(
      [...doneIndices].sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );

    // Each of the six distinct tasks done once; only the one worker a held was started twice.
    const lines = logLines(log);
    const done = lines.filter(([what]) => what === 'done').map(([, x]) => x);
    assert.deepEqual([...done].sort(), ['1', '2', '3', '4', '5', '6']);
    const startsA = lines.filter(([what, , pid]) => what === 'start' && pid === pidA).map(([, x]) => x);
    const doneA = lines.filter(([what, , pid]) => what === 'done' && pid === pidA).map(([, x]) => x);
    const killedMidTask = startsA.filter((x) => !doneA.includes(x));
    assert.equal(killedMidTask.length, 1, `worker a was killed in the middle of one task (log: ${JSON.stringify(lines)})`);
    assert.equal(lines.filter(([what]) => what === 'start').length, 7);

    // The same tasks again: every result is the stored one, nothing runs.
    const before = readFileSync(log, 'utf8');
    const againProgress: { done: number; total: number; reused: number }[] = [];
    const again = await runTasksOnQueue(tasks, { url, onProgress: (p) => againProgress.push(p) });
    assert.equal(JSON.stringify(again), JSON.stringify(local));
    assert.deepEqual(againProgress.at(-1), { done: 8, total: 8, reused: 8 });
    assert.equal(readFileSync(log, 'utf8'), before);

    // SIGTERM: a clean stop, exit 143 (docs/ERRORS.md), with its line.
    b.child.kill('SIGTERM');
    assert.equal(await b.exit, 143);
    assert.match(b.stderr(), /mxsim worker: stopped by SIGTERM; 0 running tasks put back in the queue/);
    assert.match(b.stderr(), /mxsim worker: done slowSquare of test\/analysis\/fixtures\/queue-tasks\.ts/);
  },
);

test('a task that throws fails the run with its reason; Ctrl-C puts a running task back in the queue (exit 130)', { skip, timeout: 20_000 }, async () => {
  const log = join(dir, 'interrupted.log');
  writeFileSync(log, '');
  const w = startWorker(log);
  await assert.rejects(runTasksOnQueue([{ module: TASKS, name: 'failing', args: [] }], { url }), {
    message: queueMessages.taskFailed(0, 'test/analysis/fixtures/queue-tasks.ts', 'failing', 'RangeError: this task always fails'),
  });

  assert.match(w.stderr(), /mxsim worker: failed failing of test\/analysis\/fixtures\/queue-tasks\.ts \([0-9.]+-[0-9a-f]{12}\): RangeError: this task always fails\n/);

  const slow: Task = { module: TASKS, name: 'slowSquare', args: [7, 10_000] };
  const stop = new AbortController();
  const run = runTasksOnQueue([slow], { url, signal: stop.signal });
  await until('the slow task to start', () => logLines(log).some(([what, x]) => what === 'start' && x === '7'), 10_000);
  w.child.kill('SIGINT');
  assert.equal(await w.exit, 130);
  assert.match(w.stderr(), /mxsim worker: stopped by SIGINT; 1 running task put back in the queue/);
  // Waiting again for another worker, at once (not after the stalled-job check).
  const queue = new Queue(queueName(), { connection: { url } });
  try {
    assert.equal(await queue.getJobState(taskKey(taskModule(TASKS), 'slowSquare', slow.args)), 'waiting');
  } finally {
    await queue.close();
  }
  stop.abort(new Error('stopped waiting'));
  await assert.rejects(run, { message: 'stopped waiting' });
});

test('an unreachable queue fails fast, naming the URL (queue.unreachable, exit 8); a malformed one is a usage error', async () => {
  const port = await freePort();
  const bad = `redis://127.0.0.1:${port}`;
  const started = Date.now();
  const io = memoryIo();
  assert.equal(await main(['node', 'mxsim', 'worker', '--queue', bad], io), EXIT.serviceUnavailable);
  assert.ok(Date.now() - started < 5000);
  assert.equal(io.stderr, cliMessages.error('queue.unreachable', queueMessages.unreachable(bad, `connect ECONNREFUSED 127.0.0.1:${port}`, 5)));
  await assert.rejects(runTasksOnQueue([{ module: TASKS, name: 'slowSquare', args: [1, 0] }], { url: bad }), (e: MxsimError) => e.code === 'queue.unreachable');

  const io2 = memoryIo();
  assert.equal(await main(['node', 'mxsim', 'worker', '--queue', 'http://localhost:6379'], io2), EXIT.usage);
  assert.equal(io2.stderr, cliMessages.error('queue.url', queueMessages.badUrl('http://localhost:6379')));
  const help = memoryIo();
  assert.equal(await main(['node', 'mxsim', 'worker', '--help'], help), EXIT.ok);
  assert.match(help.stdout, /Example:\n {2}mxsim worker --queue redis:\/\/10\.0\.0\.5:6379 --concurrency 4/);
  // A password is not repeated in messages.
  assert.throws(
    () => checkQueueUrl('redis://:secret@host:6379/x'),
    (e: MxsimError) => e.message === queueMessages.badUrl('redis://:***@host:6379/x'),
  );
});

test('task modules: named from the package root, the same from the build and the sources; anything else refused', () => {
  const root = '/opt/mxsim';
  assert.equal(taskModule('file:///opt/mxsim/dist/experiments/capacity-run.js', root), 'src/experiments/capacity-run.js');
  assert.equal(taskModule('file:///opt/mxsim/src/experiments/capacity-run.ts', root), 'src/experiments/capacity-run.js');
  assert.equal(taskModule('file:///opt/mxsim/src/experiments/capacity-run.js', root), 'src/experiments/capacity-run.js');
  assert.equal(taskModule('file:///opt/mxsim/test/analysis/fixtures/queue-tasks.ts', root), 'test/analysis/fixtures/queue-tasks.ts');
  for (const outside of ['file:///etc/passwd', 'file:///opt/mxsim/node_modules/x/index.js', 'file:///opt/other/src/x.js', 'https://example.org/src/x.js']) {
    assert.throws(() => taskModule(outside, root), { message: queueMessages.moduleOutside(outside, root) });
  }
  assert.equal(workerModuleUrl('src/experiments/capacity-run.js', root, false), 'file:///opt/mxsim/dist/experiments/capacity-run.js');
  assert.equal(workerModuleUrl('src/experiments/capacity-run.js', root, true), 'file:///opt/mxsim/src/experiments/capacity-run.js');
  for (const bad of ['../x.js', 'src/../../x.js', '/etc/x.js', 'node_modules/x.js', 'file:///src/x.js']) assert.throws(() => workerModuleUrl(bad, root));
  // The key: version and the SHA-256 of the task's JSON (computed here with the same JSON.stringify).
  assert.match(taskKey('src/a.js', 'f', [1], '9.9.9'), /^9\.9\.9-[0-9a-f]{64}$/);
  assert.notEqual(taskKey('src/a.js', 'f', [1], '9.9.9'), taskKey('src/a.js', 'f', [1], '9.9.10'));
});

test('a task outside the package is refused before anything is queued', async () => {
  await assert.rejects(runTasksOnQueue([{ module: 'file:///etc/passwd', name: 'x', args: [] }], { url: 'redis://127.0.0.1:1' }), {
    message: queueMessages.moduleOutside('file:///etc/passwd', ROOT.replace(/\/$/, '')),
  });
});

test('without redis-server the queue tests skip with the reason, and fail when MXSIM_REQUIRE_REDIS=1 or CI=true', () => {
  const none = () => false;
  assert.deepEqual(redisDecision({ PATH: '/bin' }, none), {
    run: false,
    skip: 'no redis-server at /usr/bin/redis-server or on PATH; to run the job queue tests: apt-get update && apt-get install -y --no-install-recommends redis-server',
  });
  assert.ok('fail' in redisDecision({ MXSIM_REQUIRE_REDIS: '1' }, none));
  assert.ok('fail' in redisDecision({ CI: 'true' }, none));
  assert.deepEqual(
    redisDecision({ PATH: '/opt/r/bin' }, (p) => p === '/opt/r/bin/redis-server'),
    { run: true, executablePath: '/opt/r/bin/redis-server' },
  );
});

test('a sweep through two workers, one killed after its first run: the folder a local run writes, byte for byte', { skip, timeout: 60_000 }, async () => {
  const log = join(dir, 'sweep-tasks.log');
  writeFileSync(log, '');
  const file = join(dir, 'sweep-tiny.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'tiny',
      description: 'A small closed server for the sweep through the queue.',
      population: { users: 20 },
      rooms: { kinds: [{ name: 'group', count: 4, members: { kind: 'deterministic', value: 5 } }] },
      run: { days: 0.125, replications: 2, binMinutes: 60 },
    }),
  );
  const args = ['node', 'mxsim', 'sweep', file, '--vary', 'population.users=10..40:log:2', '--vary', 'features.presence=true,false', '--outputs', 'cores,events', '--quiet'];
  const local = join(dir, 'sweep-local');
  const here = memoryIo();
  assert.equal(await main([...args, '--jobs', '1', '--out', local], here), EXIT.ok, here.stderr);

  const a = startWorker(log);
  const b = startWorker(log);
  try {
    const queued = join(dir, 'sweep-queued');
    const io = memoryIo();
    let settled = false;
    const run = main([...args, '--queue', url, '--out', queued], io).finally(() => (settled = true));
    // Kill worker a as soon as it has finished one run (whatever it holds then goes back to the queue),
    // or when the sweep is over if worker b, started first, took every run.
    await until('worker a to finish a run, or the sweep to end', () => settled || /done sweepJob/.test(a.stderr()), 30_000);
    a.child.kill('SIGKILL');
    assert.equal(await run, EXIT.ok, io.stderr);
    for (const f of ['results.csv', 'results.json', 'points.csv', 'effects.csv', 'sweep.json', 'README.md']) {
      assert.equal(readFileSync(join(queued, f), 'utf8'), readFileSync(join(local, f), 'utf8'), f);
    }
  } finally {
    a.child.kill('SIGKILL');
    b.child.kill('SIGTERM');
    await b.exit;
  }
});
