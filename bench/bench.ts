/**
 * `npm run bench`: how fast mxsim is, measured against a peer in the same run
 * (absolute figures mean little across machines; a ratio does). Speed is only
 * reported here, never asserted in tests.
 *
 * 1. Engine: the M/M/4 queue of engine-peers.ts on mxsim and on simjs.
 * 2. Model: the national-rollout scenario for one simulated day (model.ts), in
 *    a child process so its peak RSS is its own.
 *
 * Options: --json (one JSON object on stdout, progress on stderr),
 * --users N, --million (1,000,000 users; takes minutes), --skip-engine, --skip-model.
 * npm prints its "> mxsim@... bench" banner on stdout, so pipe JSON from
 * `npm run -s bench -- --json` (or run `node --import tsx bench/bench.ts --json`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mmc } from '../src/analysis/queueing-theory.js';
import { runMxsim, runSimjs, type PeerBenchOptions } from './engine-peers.js';
import type { ModelFigures } from './model.js';

const USAGE = 'usage: npm run bench -- [--json] [--users N | --million] [--skip-engine] [--skip-model]';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODEL_SCRIPT = fileURLToPath(new URL('./model.ts', import.meta.url));

/** Load 0.8 on four servers: busy enough that customers queue, so the facility logic is exercised. */
const QUEUE: PeerBenchOptions = { customers: 1_000_000, servers: 4, arrivalRate: 3.2, serviceRate: 1 };
/** Enough for V8 to optimise both engines' hot paths before the timed run. */
const WARMUP_CUSTOMERS = 100_000;
/** The aims the figures are read against: printed, never enforced. */
const AIM = { ratio: 10, users: 100_000, wallSeconds: 30, peakRssBytes: 2 * 1024 ** 3 };

interface EngineFigures {
  customers: number;
  mxsimCustomersPerSecond: number;
  simjsCustomersPerSecond: number;
  ratio: number;
  mxsimMeanWaitSeconds: number;
  simjsMeanWaitSeconds: number;
  erlangCMeanWaitSeconds: number;
}

interface Options {
  json: boolean;
  users: number;
  engine: boolean;
  model: boolean;
}

/** Bad usage exits 2, like the CLI, so scripts can tell it from a failed run. */
function usageError(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        users: { type: 'string' },
        million: { type: 'boolean', default: false },
        'skip-engine': { type: 'boolean', default: false },
        'skip-model': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    usageError((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.million && values.users !== undefined) usageError('give --users N or --million, not both');
  const users = values.million ? 1_000_000 : Number(values.users ?? AIM.users);
  if (!Number.isInteger(users) || users < 1) usageError(`--users must be a positive integer, got ${values.users}`);
  return { json: values.json, users, engine: !values['skip-engine'], model: !values['skip-model'] };
}

/** Progress goes to stderr so that stdout stays one JSON object under --json. */
const progress = (line: string) => console.error(line);

function benchEngine(): EngineFigures {
  progress(`engine: warm-up, ${WARMUP_CUSTOMERS.toLocaleString('en-US')} customers on each engine`);
  runMxsim({ ...QUEUE, customers: WARMUP_CUSTOMERS });
  runSimjs({ ...QUEUE, customers: WARMUP_CUSTOMERS });
  progress(`engine: timed run, ${QUEUE.customers.toLocaleString('en-US')} customers on each engine`);
  const mx = runMxsim(QUEUE);
  const sj = runSimjs(QUEUE);
  return {
    customers: QUEUE.customers,
    mxsimCustomersPerSecond: mx.customersPerSecond,
    simjsCustomersPerSecond: sj.customersPerSecond,
    ratio: mx.customersPerSecond / sj.customersPerSecond,
    mxsimMeanWaitSeconds: mx.meanWaitSeconds,
    simjsMeanWaitSeconds: sj.meanWaitSeconds,
    erlangCMeanWaitSeconds: mmc(QUEUE.arrivalRate, QUEUE.serviceRate, QUEUE.servers).wq,
  };
}

function benchModel(users: number): ModelFigures {
  progress(`model: ${users.toLocaleString('en-US')} users, one simulated day, in a child process`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', MODEL_SCRIPT, '--users', String(users)], {
    cwd: ROOT, // where `--import tsx` is resolved from
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (child.error) throw child.error;
  if (child.status !== 0) {
    // A SIGKILL here is most often the kernel's OOM killer.
    throw new Error(`model run failed (${child.signal ? `signal ${child.signal}` : `exit ${child.status}`})`);
  }
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ModelFigures;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const aim = (met: boolean) => (met ? 'met' : 'MISSED');

function printTable(engine: EngineFigures | null, model: ModelFigures | null): void {
  const out: string[] = [`mxsim bench, Node ${process.version}`, ''];
  if (engine) {
    const load = QUEUE.arrivalRate / (QUEUE.serviceRate * QUEUE.servers);
    out.push(
      `Engine: M/M/${QUEUE.servers} at load ${load}, ${int(engine.customers)} customers (after a ${int(WARMUP_CUSTOMERS)}-customer warm-up)`,
      `  mxsim     ${int(engine.mxsimCustomersPerSecond).padStart(11)} customers/s   mean wait ${engine.mxsimMeanWaitSeconds.toFixed(4)} s`,
      `  simjs     ${int(engine.simjsCustomersPerSecond).padStart(11)} customers/s   mean wait ${engine.simjsMeanWaitSeconds.toFixed(4)} s`,
      `  Erlang C  ${''.padStart(11)}               mean wait ${engine.erlangCMeanWaitSeconds.toFixed(4)} s`,
      `  ratio mxsim/simjs ${engine.ratio.toFixed(1)}x   aim at least ${AIM.ratio}x: ${aim(engine.ratio >= AIM.ratio)}`,
      '',
    );
  }
  if (model) {
    // The aims are stated for 100,000 users; at other sizes they do not apply.
    const judged = model.users === AIM.users && model.simulatedDays === 1;
    const against = (met: boolean) => (judged ? aim(met) : `n/a at ${int(model.users)} users`);
    out.push(
      `Model: ${model.scenario} at ${int(model.users)} users, ${model.simulatedDays} simulated day${model.simulatedDays === 1 ? '' : 's'}`,
      `  wall time  ${model.wallSeconds.toFixed(1)} s   aim under ${AIM.wallSeconds} s: ${against(model.wallSeconds < AIM.wallSeconds)}`,
      `  events     ${int(model.events)}`,
      `  events/s   ${int(model.eventsPerSecond)}`,
      `  peak RSS   ${(model.peakRssBytes / 1024 ** 2).toFixed(0)} MiB   aim under 2 GiB: ${against(model.peakRssBytes < AIM.peakRssBytes)}`,
      '',
    );
  }
  process.stdout.write(out.join('\n'));
}

const opts = parseOptions();
try {
  const engine = opts.engine ? benchEngine() : null;
  const model = opts.model ? benchModel(opts.users) : null;
  if (opts.json) process.stdout.write(`${JSON.stringify({ engine, model, node: process.version })}\n`);
  else printTable(engine, model);
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
