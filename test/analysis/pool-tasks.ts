/**
 * Task functions for test/analysis/pool-threads.full.test.ts: cheap ones that return,
 * wait, throw, or end their worker thread.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';
import { MxsimError } from '../../src/errors.js';

export const TASKS_MODULE = import.meta.url;

/** `x` squared, after `waitMs` (so later tasks can finish first), and the thread it ran on. */
export async function square(x: number, waitMs = 0): Promise<{ square: number; thread: number; main: boolean }> {
  await new Promise((r) => setTimeout(r, waitMs));
  return { square: x * x, thread: threadId, main: isMainThread };
}

/** Reports 0.5 and 1 through its progress callback, then returns `x`. */
export function withProgress(x: number, onProgress: (f: number) => void): number {
  onProgress(0.5);
  onProgress(1);
  return x;
}

export function throwPlain(message: string): never {
  throw new RangeError(message);
}

export function throwMxsim(message: string): never {
  throw new MxsimError('run.invalid', message);
}

/** Ends its worker thread without an answer (in the main thread it would end the process: never called there). */
export function die(code: number): never {
  if (isMainThread) throw new Error('die() is for worker threads');
  process.exit(code);
}

/** Ends its worker the first time (when `marker` does not exist yet, it creates it), returns 'survived' the second. */
export function dieOnce(marker: string): string {
  if (existsSync(marker)) return 'survived';
  writeFileSync(marker, '');
  return die(9);
}

/** Waits `ms`: long enough for a test to abort the run. */
export async function sleep(ms: number): Promise<number> {
  await new Promise((r) => setTimeout(r, ms));
  return ms;
}
