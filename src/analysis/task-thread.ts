/**
 * The body of a thread in which a queue worker runs its tasks
 * (src/analysis/work-queue-worker.ts), so that a long simulation never
 * blocks the worker's main thread: it keeps renewing the task's lock in
 * Redis, and the task is never taken for a dead worker's and run twice.
 *
 * Each message names a module URL (already resolved in the worker's own
 * install), an exported function and its arguments as a base64 structured
 * clone; the reply is the result the same way, or the error's message.
 */
import { parentPort } from 'node:worker_threads';
import { deserialize, serialize } from 'node:v8';

/** A task for the thread. */
export interface ThreadTask {
  moduleUrl: string;
  name: string;
  args: string;
}

/** The thread's reply. */
export type ThreadReply = { ok: true; result: string } | { ok: false; message: string };

/** Run one task and give its reply. */
export async function runThreadTask(t: ThreadTask): Promise<ThreadReply> {
  try {
    const mod = (await import(t.moduleUrl)) as Record<string, unknown>;
    const fn = mod[t.name];
    if (typeof fn !== 'function') throw new TypeError(`${t.moduleUrl} exports no function ${t.name}`);
    const args = deserialize(Buffer.from(t.args, 'base64')) as unknown[];
    const result: unknown = await (fn as (...a: unknown[]) => unknown)(...args);
    return { ok: true, result: serialize(result).toString('base64') };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

const port = parentPort;
if (port) port.on('message', (t: ThreadTask) => void runThreadTask(t).then((reply) => port.postMessage(reply)));
