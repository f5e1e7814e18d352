/**
 * Pool tasks (src/analysis/pool.ts) run on many machines: each task is a job
 * of a BullMQ queue on Redis, taken by `mxsim worker --queue URL` processes
 * wherever they run (src/analysis/work-queue-worker.ts), and the results come
 * back in task order, as `runTasks` gives them.
 *
 * Nothing is lost and nothing is done twice:
 * - a task's job id is its key, `<mxsim version>-<SHA-256 of the task's
 *   JSON>` (the module named relative to the package root), so a task queued
 *   or done already is neither queued nor run again: a re-run or resumed
 *   submission takes its stored result (results are kept in Redis);
 * - a worker that dies mid-task loses its lock, and BullMQ's stalled-job
 *   check gives the task to another worker;
 * - a result is checked before it is used: it carries the key it was asked
 *   for, and is a value a task returns.
 *
 * Arguments and results travel as V8's structured clone (node:v8 serialize),
 * so a task gets and gives the same values as in a worker thread (typed
 * arrays included). Task modules are named relative to the package root
 * (`src/experiments/capacity-run.js`), so a worker resolves them in its own
 * install: only mxsim's own modules run, never a path or URL from the queue.
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { MxsimError } from '../errors.js';
import { queueMessages as msg } from './messages.js';
import { packageRoot, taskKey as storeTaskKey } from './job-store.js';
import type { Task } from './pool.js';

/** How long the first connection to Redis may take before the command gives up. */
export const CONNECT_TIMEOUT_MS = 5000;

// The package root, found as the job store finds it (one function for both).
export { packageRoot };

const ROOT = packageRoot();
/** mxsim's version (package.json): part of every key, so a result is reused only by the same version. */
export const QUEUE_VERSION: string = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** True when this process runs mxsim from its TypeScript sources (tsx), false from the build (dist/). */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The queue of this version: workers of another version never take its tasks. */
export function queueName(version: string = QUEUE_VERSION): string {
  return `mxsim-${version}`;
}

/** What a job holds: the task, with its arguments as a base64 structured clone. */
export interface QueueJobData {
  module: string;
  name: string;
  args: string;
  key: string;
}

/** What a job returns: its key and the task's result as a base64 structured clone. */
export interface QueueJobResult {
  key: string;
  result: string;
}

/** A relative module path a worker may load: a file of src/ or test/, no `..`, no URL. */
const MODULE_PATH = /^(src|test)\/(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(?:js|ts|mjs)$/;

/**
 * A task's module URL as a path relative to the package root, the same for
 * the built and the source tree: `dist/x/y.js`, `src/x/y.ts` and `src/x/y.js`
 * (how tsx names it) are all `src/x/y.js`; test fixtures keep their path.
 * Anything outside src/, dist/ and test/ is refused.
 * @example taskModule(new URL('../experiments/capacity-run.js', import.meta.url).href) // 'src/experiments/capacity-run.js'
 */
export function taskModule(moduleUrl: string, root: string = ROOT): string {
  let path: string;
  try {
    path = fileURLToPath(moduleUrl);
  } catch {
    throw new Error(msg.moduleOutside(moduleUrl, root));
  }
  let rel = relative(root, path).split(sep).join('/');
  if (isAbsolute(rel)) throw new Error(msg.moduleOutside(moduleUrl, root));
  if (rel.startsWith('dist/')) rel = `src/${rel.slice('dist/'.length)}`;
  if (rel.startsWith('src/')) rel = rel.replace(/\.ts$/, '.js');
  if (!MODULE_PATH.test(rel) || rel.split('/').includes('..')) throw new Error(msg.moduleOutside(moduleUrl, root));
  return rel;
}

/**
 * Where a worker loads a module named by `taskModule`: under its own package
 * root, from dist/ when it runs the build. Throws for a path `taskModule`
 * would not give (a job written by something else).
 */
export function workerModuleUrl(module: string, root: string = ROOT, fromSource: boolean = FROM_SOURCE): string {
  if (!MODULE_PATH.test(module) || module.split('/').includes('..')) throw new Error(msg.moduleOutside(module, root));
  const rel = module.startsWith('src/') && !fromSource ? `dist/${module.slice('src/'.length)}` : module;
  return pathToFileURL(join(root, rel)).href;
}

/**
 * The key of a task, its job id: `<version>-` and the job store's key of the
 * same task (`job-store.ts` `taskKey`: canonical JSON of module, name, args
 * and version), so a sweep folder and the queue name a task alike.
 */
export function taskKey(module: string, name: string, args: readonly unknown[], version: string = QUEUE_VERSION): string {
  return `${version}-${storeTaskKey({ module: join(ROOT, module), name, args: [...args] }, version, ROOT)}`;
}

/** A structured clone as base64 text (BullMQ stores job data and results as JSON). */
export function packValue(value: unknown): string {
  return serialize(value).toString('base64');
}

export function unpackValue(text: string): unknown {
  return deserialize(Buffer.from(text, 'base64'));
}

/** The URL with its password, if any, shown as `***`: for messages. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.href;
  } catch {
    return url;
  }
}

/** `url` if it is a Redis URL (redis:// or rediss:// with a host, an optional database number); else `queue.url`. */
export function checkQueueUrl(url: string): string {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    u = undefined;
  }
  if (u === undefined || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || u.hostname === '' || !/^(\/\d*)?$/.test(u.pathname) || u.search !== '' || u.hash !== '') {
    throw new MxsimError('queue.url', msg.badUrl(shownUrl(url)));
  }
  return url;
}

/** The BullMQ connection options for `url`. */
export function connection(url: string): { url: string; connectTimeout: number } {
  return { url, connectTimeout: CONNECT_TIMEOUT_MS };
}

/**
 * Connect to `url` once and PING, giving up after `timeoutMs`: the clear,
 * early error for a wrong URL or a Redis that is not there (BullMQ itself
 * retries a connection for ever).
 */
export async function probeQueue(url: string, timeoutMs: number = CONNECT_TIMEOUT_MS): Promise<void> {
  checkQueueUrl(url);
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: unknown;
  client.on('error', (e: unknown) => (lastError = e));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(msg.timedOut())), timeoutMs);
      }),
    ]);
  } catch (e) {
    const err = (lastError ?? e) as NodeJS.ErrnoException;
    const reason = err instanceof Error ? err.message : String(err);
    throw new MxsimError('queue.unreachable', msg.unreachable(shownUrl(url), reason, timeoutMs / 1000), undefined, { cause: e });
  } finally {
    clearTimeout(timer);
    // A client that gave up is closed already (disconnect() would keep the process 2 s more).
    if (client.status !== 'end') client.disconnect();
  }
}

/**
 * A job's return value as the task's result: it must carry `key` and a
 * structured clone of a plain object, an array, a number, a string, a
 * boolean or null. Anything else is `queue.result`.
 */
export function readResult(index: number, key: string, returned: unknown): unknown {
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    throw new MxsimError('queue.result', msg.badResult(index, key, `expected {key, result}, got ${JSON.stringify(returned) ?? String(returned)}`));
  }
  const r = returned as Partial<QueueJobResult>;
  if (r.key !== key) throw new MxsimError('queue.result', msg.wrongKey(index, key, r.key));
  if (typeof r.result !== 'string') throw new MxsimError('queue.result', msg.badResult(index, key, 'no result'));
  let value: unknown;
  try {
    value = unpackValue(r.result);
  } catch (e) {
    throw new MxsimError('queue.result', msg.badResult(index, key, `not a structured clone (${e instanceof Error ? e.message : String(e)})`));
  }
  const proto = typeof value === 'object' && value !== null ? (Object.getPrototypeOf(value) as unknown) : null;
  const plain =
    value === null ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    Array.isArray(value) ||
    (typeof value === 'object' && (proto === Object.prototype || proto === null));
  if (!plain) throw new MxsimError('queue.result', msg.badResult(index, key, `expected a plain object, an array or a number, got ${Object.prototype.toString.call(value)}`));
  return value;
}

export interface QueueRunOptions {
  /** The Redis URL, `redis://host:6379`. */
  url: string;
  /** Called as each task's result arrives, with its index and result (in the order they arrive). */
  onDone?: (index: number, result: unknown) => void;
  /** Called once the tasks are queued and after each result: tasks done (`reused` of them stored before this call), of `total`. */
  onProgress?: (p: { done: number; total: number; reused: number }) => void;
  /** Stops waiting (the tasks stay queued: workers finish them, and the same call later takes their results). */
  signal?: AbortSignal;
}

/** How often the jobs not yet finished are read again, beside the queue's events (a missed event, a job removed). */
const POLL_MS = 15_000;
/** Jobs added, or read, in one go. */
const BATCH = 500;

/**
 * Run `tasks` on the queue at `o.url` and return their results in task
 * order, as `runTasks` does. Tasks already done (by this or an earlier call
 * of the same mxsim version) are not run again, tasks already queued are not
 * queued twice, and a task that failed before is tried once more.
 */
export async function runTasksOnQueue<R>(tasks: readonly Task[], o: QueueRunOptions): Promise<R[]> {
  // Each task named as a worker will find it, and keyed: bad modules are refused before anything is queued.
  const jobs = new Map<string, { data: QueueJobData; indices: number[] }>();
  for (const [i, t] of tasks.entries()) {
    const module = taskModule(t.module);
    const key = taskKey(module, t.name, t.args);
    const job = jobs.get(key);
    if (job) job.indices.push(i);
    else jobs.set(key, { data: { module, name: t.name, args: packValue(t.args), key }, indices: [i] });
  }
  const results: R[] = new Array<R>(tasks.length);
  if (tasks.length === 0) return results;
  o.signal?.throwIfAborted();
  await probeQueue(o.url);

  const queue = new Queue<QueueJobData, QueueJobResult>(queueName(), { connection: connection(o.url) });
  const events = new QueueEvents(queueName(), { connection: connection(o.url) });
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  const pending = new Set(jobs.keys());
  let done = 0;
  let reused = 0;
  let poller: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await events.waitUntilReady();
    return await new Promise<R[]>((resolve, reject) => {
      let failed = false;
      const fail = (e: unknown) => {
        failed = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      const complete = (key: string, returned: unknown) => {
        if (failed || !pending.has(key)) return;
        const job = jobs.get(key);
        if (!job) return;
        try {
          for (const i of job.indices) results[i] = readResult(i, key, returned) as R;
        } catch (e) {
          fail(e);
          return;
        }
        pending.delete(key);
        for (const i of job.indices) {
          done++;
          o.onDone?.(i, results[i]);
        }
        o.onProgress?.({ done, total: tasks.length, reused });
        if (pending.size === 0) resolve(results);
      };
      const failTask = (key: string, reason: string) => {
        const job = jobs.get(key);
        if (failed || !job || !pending.has(key)) return;
        const i = job.indices[0] ?? 0;
        fail(new Error(msg.taskFailed(i, job.data.module, job.data.name, reason)));
      };
      events.on('completed', ({ jobId, returnvalue }) => complete(jobId, returnvalue));
      events.on('failed', ({ jobId, failedReason }) => failTask(jobId, failedReason));
      onAbort = () => fail(o.signal?.reason);
      o.signal?.addEventListener('abort', onAbort, { once: true });

      /** Read every job still pending: take finished results, add jobs that are gone; at the start, retry failed ones. */
      const poll = async (first: boolean) => {
        const missing: QueueJobData[] = [];
        const read = async (key: string) => {
          const job: Job<QueueJobData, QueueJobResult> | undefined = await queue.getJob(key);
          if (failed) return;
          if (!job) {
            const data = jobs.get(key)?.data;
            if (data) missing.push(data);
            return;
          }
          const state = await job.getState();
          if (state === 'completed') {
            if (first) reused += jobs.get(key)?.indices.length ?? 0;
            complete(key, job.returnvalue);
          } else if (state === 'failed') {
            if (first) await job.retry('failed');
            else failTask(key, job.failedReason ?? 'failed');
          }
        };
        // BATCH jobs read at once: their commands go out together, one round trip for the lot.
        const keys = [...pending];
        for (let i = 0; i < keys.length && !failed; i += BATCH) await Promise.all(keys.slice(i, i + BATCH).map(read));
        for (let i = 0; i < missing.length; i += BATCH) {
          await queue.addBulk(
            missing.slice(i, i + BATCH).map((data) => ({
              name: `${data.module}#${data.name}`,
              data,
              opts: { jobId: data.key, removeOnComplete: false, removeOnFail: false, attempts: 1 },
            })),
          );
        }
        if (first && !failed) o.onProgress?.({ done, total: tasks.length, reused });
      };
      const repoll = () => {
        poller = setTimeout(() => {
          poll(false).then(() => !failed && pending.size > 0 && repoll(), fail);
        }, POLL_MS);
      };
      poll(true).then(() => !failed && pending.size > 0 && repoll(), fail);
    });
  } finally {
    clearTimeout(poller);
    if (onAbort) o.signal?.removeEventListener('abort', onAbort);
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
}
