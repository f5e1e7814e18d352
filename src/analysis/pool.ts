/**
 * Where independent simulations run: replications, sweep points, probes of a
 * capacity search. A task names an exported function by module URL and its
 * arguments (structured-cloneable values: a scenario, a seed string), so the
 * same task can run here, in a worker thread or on another machine, and the
 * results come back in task order whatever order they finish in: a run with
 * `jobs: 1` and one with `jobs: 8` are byte-identical.
 *
 * `jobs: 1` runs every task in this thread, one after another. More jobs
 * start up to that many worker threads (node:worker_threads, entry
 * pool-worker.ts), each running one task at a time; a worker that ends
 * without answering (it crashed, ran out of memory) has its task retried once
 * on a fresh worker. An error thrown by a task rejects the whole run with the
 * same message (an MxsimError keeps its code and exit code), and every worker
 * is ended then, when the tasks are done, or when the caller aborts.
 *
 * Under tsx (the tests: `node --import tsx`) this module is a `.ts` file and
 * so is the worker's; tsx registers itself in the main thread only on the
 * Node versions this project supports, so each worker is started with an
 * `--import` of a one-line module that registers tsx's loader there.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, MxsimError, type ErrorCode, type ExitCode } from '../errors.js';
import type { WorkerError, WorkerReply, WorkerRequest } from './pool-worker.js';

/** An exported function of a module, called with `args`; it returns a structured-cloneable value. */
export interface Task {
  /** The module's URL (`new URL('./x.js', import.meta.url).href`). */
  module: string;
  /** The name of the exported function. */
  name: string;
  args: unknown[];
  /**
   * Call the function with one more argument after `args`: a callback taking
   * the share of the task done (0..1), which reaches `PoolOptions.onProgress`.
   */
  progress?: boolean;
  /**
   * The task's expected cost (any unit, e.g. estimated CPU seconds): on
   * worker threads the heaviest start first, so that a long task does not
   * start last and run alone at the end (longest processing time first,
   * Graham 1969). Results come back in task order whatever the order of starts.
   */
  weight?: number;
}

export interface PoolOptions {
  /** Tasks run at once (default 1: in this thread; more: on that many worker threads at most). */
  jobs?: number;
  /** Called as each task ends, with its index and result (in the order they end). */
  onDone?: (index: number, result: unknown) => void;
  /** Called with a task's index and the share of it done, for tasks with `progress: true`. */
  onProgress?: (index: number, fraction: number) => void;
  /** Stops the run: the workers are ended and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * A Redis URL: the tasks go on that queue for `mxsim worker` processes on
   * any machine (src/analysis/work-queue.ts) instead of this machine's
   * threads; `jobs` is then ignored. Same results, in task order.
   */
  queue?: string;
}

/** The most jobs a run may ask for (`mxsim run --jobs`). */
export const MAX_JOBS = 256;

/** The jobs a run uses unless told otherwise: the cores this process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** Run `tasks` and return their results in task order. */
export async function runTasks<R>(tasks: readonly Task[], o: PoolOptions = {}): Promise<R[]> {
  o.signal?.throwIfAborted();
  if (o.queue !== undefined) {
    // Loaded only when asked for: BullMQ and its Redis client are not needed otherwise.
    const { runTasksOnQueue } = await import('./work-queue.js');
    return runTasksOnQueue<R>(tasks, { url: o.queue, onDone: o.onDone, signal: o.signal });
  }
  if (o.jobs !== undefined && !(Number.isInteger(o.jobs) && o.jobs >= 1)) throw new RangeError(`jobs must be an integer >= 1, got ${o.jobs}`);
  const jobs = Math.min(o.jobs ?? 1, tasks.length);
  return jobs <= 1 ? runHere<R>(tasks, o) : runOnWorkers<R>(tasks, jobs, o);
}

/** Every task in this thread, in order. */
async function runHere<R>(tasks: readonly Task[], o: PoolOptions): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    const mod = (await import(t.module)) as Record<string, unknown>;
    const fn = mod[t.name];
    if (typeof fn !== 'function') throw new TypeError(noFunction(t));
    const onProgress = o.onProgress;
    const args = t.progress ? [...t.args, (f: number) => onProgress?.(i, f)] : t.args;
    const r = (await (fn as (...a: unknown[]) => unknown)(...args)) as R;
    results.push(r);
    o.onDone?.(i, r);
    o.signal?.throwIfAborted();
  }
  return results;
}

/** The message of a task whose module has no such function (the worker words it the same). */
export const noFunction = (t: Pick<Task, 'module' | 'name'>) => `${t.module} exports no function ${t.name}`;

/** Times a task is started on a fresh worker after its worker ended without an answer. */
const RETRIES = 1;

/** The tasks on up to `jobs` workers, each taking the next task when it is free. */
function runOnWorkers<R>(tasks: readonly Task[], jobs: number, o: PoolOptions): Promise<R[]> {
  return new Promise<R[]>((resolve, reject) => {
    const results = new Array<R>(tasks.length);
    const deaths = new Array<number>(tasks.length).fill(0);
    /** Tasks not started yet, the heaviest first (a retried one goes first). */
    const waiting = tasks.map((_, i) => i).sort((a, b) => (tasks[b]!.weight ?? 0) - (tasks[a]!.weight ?? 0) || a - b);
    /** Every worker started and not ended yet. */
    const live = new Set<Worker>();
    /** The task each busy worker runs. */
    const running = new Map<Worker, number>();
    let done = 0;
    let over = false;

    const finish = (error: unknown, value?: R[]) => {
      if (over) return;
      over = true;
      o.signal?.removeEventListener('abort', onAbort);
      for (const w of live) void w.terminate();
      live.clear();
      running.clear();
      if (value) resolve(value);
      // An abort rejects with the signal's reason, whatever it is, as signal.throwIfAborted() does.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      else reject(error);
    };
    const onAbort = () => finish(o.signal?.reason);
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const next = (w: Worker) => {
      const index = waiting.shift();
      if (index === undefined) {
        // Nothing left to start: this worker is no longer needed.
        live.delete(w);
        void w.terminate();
        return;
      }
      running.set(w, index);
      const t = tasks[index]!;
      const request: WorkerRequest = { index, module: t.module, name: t.name, args: t.args, progress: t.progress === true };
      try {
        w.postMessage(request);
      } catch (e) {
        // Arguments structured clone cannot copy (a function, a class instance with private state).
        finish(e);
      }
    };

    const start = () => {
      if (over) return;
      let w: Worker;
      try {
        w = newWorker();
      } catch (e) {
        finish(e);
        return;
      }
      live.add(w);
      let crash: Error | null = null;
      w.on('message', (m: WorkerReply) => {
        if (over) return;
        if (m.kind === 'progress') {
          try {
            o.onProgress?.(m.index, m.fraction);
          } catch (e) {
            finish(e);
          }
          return;
        }
        running.delete(w);
        if (m.kind === 'error') {
          finish(rebuildError(m.error));
          return;
        }
        results[m.index] = m.result as R;
        done++;
        try {
          o.onDone?.(m.index, m.result);
        } catch (e) {
          finish(e);
          return;
        }
        if (done === tasks.length) finish(null, results);
        else next(w);
      });
      w.on('error', (e) => (crash = e));
      // A reply that cannot be read here: no answer will come for its task.
      w.on('messageerror', (e) => finish(e));
      w.on('exit', (code) => {
        if (over || !live.has(w)) return;
        live.delete(w);
        const index = running.get(w);
        running.delete(w);
        if (index === undefined) return;
        deaths[index]!++;
        if (deaths[index]! > RETRIES) {
          finish(new Error(workerDied(tasks[index]!, index, tasks.length, code, crash)));
          return;
        }
        waiting.unshift(index);
        start();
      });
      next(w);
    };
    for (let k = 0; k < jobs; k++) start();
  });
}

/** Why a task failed when its worker ended twice without an answer. */
function workerDied(t: Task, index: number, count: number, code: number, crash: Error | null): string {
  const why = crash ? `${crash.message}${'code' in crash && typeof crash.code === 'string' ? ` (${crash.code})` : ''}` : `exit code ${code}`;
  return `task ${index + 1} of ${count} (${t.name} of ${t.module}) ended its worker thread ${RETRIES + 1} times without a result; the last time: ${why}`;
}

/** The error a task threw in its worker, as it was: an MxsimError with its code and exit code, else an Error with the worker's stack. */
export function rebuildError(e: WorkerError): Error {
  if (e.mxsim && Object.hasOwn(ERROR_CODES, e.mxsim.code)) return new MxsimError(e.mxsim.code as ErrorCode, e.message, e.mxsim.exitCode as ExitCode);
  const error = new Error(e.message);
  error.name = e.name;
  if (e.stack !== undefined) error.stack = e.stack;
  return error;
}

/** This module's own extension: `.ts` under tsx, `.js` when built. */
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_URL = new URL(`./pool-worker${OWN_EXTENSION}`, import.meta.url);

/**
 * A worker thread running pool-worker. Built, it inherits this thread's Node
 * options as they are (Node itself leaves out those that are per process,
 * such as --max-old-space-size, whose limit the worker shares anyway). Under
 * tsx it gets them with one more `--import` that registers tsx in the worker
 * (its own `--import tsx` does so only in the main thread on Node 20); if
 * Node refuses one of them for a worker, with that `--import` alone.
 */
function newWorker(): Worker {
  if (OWN_EXTENSION === '.js') return new Worker(WORKER_URL);
  const api = import.meta.resolve('tsx/esm/api');
  const register = ['--import', `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(api)}; register();`)}`];
  try {
    return new Worker(WORKER_URL, { execArgv: [...withoutTsx(process.execArgv), ...register] });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    return new Worker(WORKER_URL, { execArgv: register });
  }
}

/** `execArgv` without the options that load tsx (`--import tsx`, `--require .../tsx/...`), which a worker's own registration replaces. */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  const loads = /^(--import|--require|-r|--loader|--experimental-loader)$/;
  const tsx = (v: string) => /(^|[/\\])tsx([/\\@]|$)/.test(v);
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && loads.test(a.slice(0, eq)) && tsx(a.slice(eq + 1))) continue;
    if (loads.test(a) && i + 1 < execArgv.length && tsx(execArgv[i + 1]!)) {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
