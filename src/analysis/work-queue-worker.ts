/**
 * The worker side of the job queue (src/analysis/work-queue.ts): take tasks
 * from the queue of this mxsim version, run each in a thread of its own
 * (src/analysis/task-thread.ts) with the module resolved in this install,
 * and give back the result with the task's key.
 *
 * A worker killed mid-task stops renewing the task's lock; after
 * `stalledSeconds` the lock expires and the next stalled check (every
 * `stalledSeconds`, by any worker) puts the task back in the queue, at most
 * twice (a task that kills every worker that takes it fails on the third
 * time rather than going round for ever). A worker closed cleanly (Ctrl-C)
 * puts its running tasks back at once.
 */
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Worker as Thread } from 'node:worker_threads';
import type { ThreadReply, ThreadTask } from './task-thread.js';
import { connection, FROM_SOURCE, probeQueue, queueName, taskKey, unpackValue, workerModuleUrl, type QueueJobData, type QueueJobResult } from './work-queue.js';

/** Times a task may be put back after its worker died before it fails. */
export const MAX_STALLED = 2;

/** Starts a thread on task-thread's module; from the sources, with tsx registered in the thread first. */
const BOOT = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})();`;

/** Threads that run one task at a time, kept for the next task (modules stay loaded). */
class TaskThreads {
  private readonly idle: Thread[] = [];
  private readonly all = new Set<Thread>();

  private spawn(): Thread {
    const thread = new Thread(BOOT, {
      eval: true,
      workerData: { entry: new URL('./task-thread.js', import.meta.url).href, tsx: FROM_SOURCE ? import.meta.resolve('tsx/esm/api') : null },
    });
    this.all.add(thread);
    return thread;
  }

  run(task: ThreadTask): Promise<string> {
    const thread = this.idle.pop() ?? this.spawn();
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
      };
      const onMessage = (reply: ThreadReply) => {
        cleanup();
        this.idle.push(thread);
        if (reply.ok) resolve(reply.result);
        else reject(new Error(reply.message));
      };
      const onError = (e: Error) => {
        cleanup();
        this.all.delete(thread);
        void thread.terminate();
        reject(e);
      };
      const onExit = (code: number) => {
        cleanup();
        this.all.delete(thread);
        reject(new Error(`the task's thread stopped (exit code ${code})`));
      };
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      thread.postMessage(task);
    });
  }

  async terminate(): Promise<void> {
    await Promise.all([...this.all].map((t) => t.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}

export interface QueueWorkerOptions {
  /** The Redis URL, `redis://host:6379`. */
  url: string;
  /** Tasks at once (each in its own thread). */
  concurrency: number;
  /** How long a task's lock lasts without renewal, and how often stalled tasks are looked for. */
  stalledSeconds: number;
  /** Each task done: its module, function, key and wall-clock seconds. */
  onTask?: (t: { module: string; name: string; key: string; seconds: number }) => void;
  /** Each task that failed (its function threw, or its thread died): the run that submitted it fails with the reason. */
  onTaskFailed?: (t: { module: string; name: string; key: string; reason: string }) => void;
  /** A connection error after the start (BullMQ reconnects by itself). */
  onError?: (e: Error) => void;
}

export interface QueueWorker {
  /** The queue's name (`mxsim-<version>`). */
  readonly queue: string;
  /** Stop: running tasks are put back in the queue for another worker; resolves to how many. */
  close(): Promise<number>;
}

/** The job's data, checked: a job not written by `runTasksOnQueue` fails at once, without retries. */
function jobData(job: Job): QueueJobData {
  const d = job.data as Partial<QueueJobData> | null;
  if (typeof d !== 'object' || d === null || typeof d.module !== 'string' || typeof d.name !== 'string' || typeof d.args !== 'string' || typeof d.key !== 'string') {
    throw new UnrecoverableError(`job ${job.id ?? '?'} is not an mxsim task`);
  }
  return d as QueueJobData;
}

/** Connect to the queue at `o.url` (a clear error within the time-out if it cannot) and take tasks until closed. */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  await probeQueue(o.url);
  const threads = new TaskThreads();
  const running = new Map<string, { job: Job; token: string | undefined }>();
  let closing = false;
  const processor = async (job: Job, token?: string): Promise<QueueJobResult> => {
    const started = performance.now();
    const data = jobData(job);
    let moduleUrl: string;
    let key: string;
    try {
      moduleUrl = workerModuleUrl(data.module);
      key = taskKey(data.module, data.name, unpackValue(data.args) as unknown[]);
    } catch (e) {
      throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
    }
    if (key !== job.id || key !== data.key) throw new UnrecoverableError(`job ${job.id ?? '?'}: its task's key is ${key} (this worker is another version, or the job was altered)`);
    running.set(key, { job, token });
    try {
      const result = await threads.run({ moduleUrl, name: data.name, args: data.args });
      // Put back in the queue by close(): the result is not this worker's to give.
      if (closing) throw new WaitingError();
      o.onTask?.({ module: data.module, name: data.name, key, seconds: (performance.now() - started) / 1000 });
      return { key, result };
    } catch (e) {
      if (closing) throw new WaitingError();
      o.onTaskFailed?.({ module: data.module, name: data.name, key, reason: e instanceof Error ? e.message : String(e) });
      throw e;
    } finally {
      running.delete(key);
    }
  };
  const ms = o.stalledSeconds * 1000;
  const worker = new Worker<QueueJobData, QueueJobResult>(queueName(), processor, {
    connection: connection(o.url),
    concurrency: o.concurrency,
    lockDuration: ms,
    stalledInterval: ms,
    maxStalledCount: MAX_STALLED,
  });
  worker.on('error', (e) => o.onError?.(e));
  await worker.waitUntilReady();
  return {
    queue: queueName(),
    async close() {
      closing = true;
      await worker.pause(true).catch(() => undefined);
      const handed = [...running.values()];
      for (const { job, token } of handed) if (token !== undefined) await job.moveToWait(token).catch(() => undefined);
      await threads.terminate();
      await worker.close(true).catch(() => undefined);
      return handed.length;
    },
  };
}
