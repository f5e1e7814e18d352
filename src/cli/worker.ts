/**
 * `mxsim worker --queue redis://host:6379`: run tasks of experiments from a
 * job queue, on this machine, until interrupted; start one on each machine
 * that should help (docs/QUEUE.md). One line per task done on stderr.
 */
import { Command, Option } from 'commander';
import type { Io } from './io.js';
import { cliMessages as msg } from './messages.js';
import { parseInteger } from './parse.js';

/** The most tasks one worker runs at once. */
export const MAX_CONCURRENCY = 256;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof SIGNALS)[number];
/** 128 + the signal's number, as the other commands exit (docs/ERRORS.md). */
const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** The first of SIGINT, SIGTERM and SIGHUP this process receives. */
function nextSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const handlers = SIGNALS.map((s) => {
      const h = () => {
        for (const [sig, fn] of handlers) process.off(sig, fn);
        resolve(s);
      };
      process.on(s, h);
      return [s, h] as const;
    });
  });
}

export interface WorkerDeps {
  /** Resolves when the worker should stop (default: the first SIGINT, SIGTERM or SIGHUP). */
  stop?: () => Promise<StopSignal>;
  /** Ends the process with the signal's exit code (default: process.exit). */
  exit?: (code: number) => void;
}

export function workerCommand(io: Io, deps: WorkerDeps = {}): Command {
  return new Command('worker')
    .description('Run tasks of experiments from a job queue (Redis) until interrupted: one worker on each machine that helps (docs/QUEUE.md)')
    .addOption(new Option('--queue <url>', 'the Redis of the job queue, redis://HOST[:PORT][/DB]').makeOptionMandatory())
    .addOption(
      new Option('--concurrency <n>', `tasks at once, each in its own thread (1-${MAX_CONCURRENCY})`).argParser(parseInteger('--concurrency', 1, MAX_CONCURRENCY)).default(1),
    )
    .addOption(
      new Option('--stalled-seconds <s>', "a task's lock without renewal, and how often tasks of dead workers are looked for (1-3600)")
        .argParser(parseInteger('--stalled-seconds', 1, 3600))
        .default(30),
    )
    .addHelpText(
      'after',
      `
Each task done prints one line on stderr. Ctrl-C or SIGTERM puts the tasks
running back in the queue and exits with 130 or 143; a worker killed outright
loses its tasks to another worker after --stalled-seconds to twice that.
Redis must be reachable only by the workers and the submitting machine, never
exposed to the internet (docs/QUEUE.md, "Security").

Example:
  mxsim worker --queue redis://10.0.0.5:6379 --concurrency 4`,
    )
    .action(async (opts: { queue: string; concurrency: number; stalledSeconds: number }) => {
      // BullMQ and its Redis client are loaded only when a worker starts, not for help or completion.
      const { checkQueueUrl, shownUrl } = await import('../analysis/work-queue.js');
      const { startQueueWorker } = await import('../analysis/work-queue-worker.js');
      const url = checkQueueUrl(opts.queue);
      const worker = await startQueueWorker({
        url,
        concurrency: opts.concurrency,
        stalledSeconds: opts.stalledSeconds,
        onTask: (t) => io.err(msg.workerTaskDone(t.module, t.name, t.key, t.seconds)),
        onTaskFailed: (t) => io.err(msg.workerTaskFailed(t.module, t.name, t.key, t.reason)),
        onError: (e) => io.err(msg.warning(msg.workerConnection(e.message))),
      });
      io.err(msg.workerStarted(shownUrl(url), worker.queue, opts.concurrency));
      const signal = await (deps.stop ?? nextSignal)();
      const handedBack = await worker.close();
      io.err(msg.workerStopped(signal, handedBack));
      (deps.exit ?? ((code: number) => process.exit(code)))(SIGNAL_EXIT[signal]);
    });
}
