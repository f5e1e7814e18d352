/**
 * The entry of a worker thread of the task pool (pool.ts): it waits for a
 * task, imports the task's module, calls the named function with the task's
 * arguments and posts back its result, or the error it threw (message, name,
 * stack, and an MxsimError's code and exit code, which structured clone would
 * drop), then waits for the next. One task at a time; the pool ends the
 * thread.
 */
import { parentPort } from 'node:worker_threads';
import { MxsimError } from '../errors.js';
import { noFunction } from './pool.js';

/** A task to run, as the pool sends it. */
export interface WorkerRequest {
  index: number;
  module: string;
  name: string;
  args: unknown[];
  /** Pass a progress callback after `args`. */
  progress: boolean;
}

/** An error thrown by a task, as it crosses to the main thread. */
export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
  /** Set when the error was an MxsimError. */
  mxsim?: { code: string; exitCode: number };
}

/** What a worker posts back: progress of a task, then its result or its error. */
export type WorkerReply =
  { kind: 'progress'; index: number; fraction: number } | { kind: 'result'; index: number; result: unknown } | { kind: 'error'; index: number; error: WorkerError };

/** An error as the pool rebuilds it (pool.ts `rebuildError`). */
export function describeError(e: unknown): WorkerError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  return {
    name: e.name,
    message: e.message,
    ...(e.stack === undefined ? {} : { stack: e.stack }),
    ...(e instanceof MxsimError ? { mxsim: { code: e.code, exitCode: e.exitCode } } : {}),
  };
}

async function run(port: NonNullable<typeof parentPort>, m: WorkerRequest): Promise<void> {
  let reply: WorkerReply;
  try {
    const mod = (await import(m.module)) as Record<string, unknown>;
    const fn = mod[m.name];
    if (typeof fn !== 'function') throw new TypeError(noFunction(m));
    const args = m.progress ? [...m.args, (fraction: number) => port.postMessage({ kind: 'progress', index: m.index, fraction } satisfies WorkerReply)] : m.args;
    reply = { kind: 'result', index: m.index, result: await (fn as (...a: unknown[]) => unknown)(...args) };
  } catch (e) {
    reply = { kind: 'error', index: m.index, error: describeError(e) };
  }
  try {
    port.postMessage(reply);
  } catch (e) {
    // A result structured clone cannot copy (a function, a class it does not know).
    port.postMessage({ kind: 'error', index: m.index, error: describeError(e) } satisfies WorkerReply);
  }
}

const port = parentPort;
if (port) port.on('message', (m: WorkerRequest) => void run(port, m));
