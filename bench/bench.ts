/**
 * `npm run bench`: how fast mxsim is, measured against peers in the same run
 * (absolute figures mean little across machines; a ratio does). Speed is only
 * reported here, never asserted in tests.
 *
 * 1. Engine: the M/M/4 queue of engine-peers.ts on mxsim, on the hand-written
 *    ceiling (ceiling.ts) and on simjs, in turn, five rounds, each run after
 *    a full garbage collection so that none pays for another's garbage. Each
 *    figure is the median of its five runs, and each ratio the median of the
 *    five rounds' ratios (the two runs of a round are seconds apart, so they
 *    share the machine's state). Speeds are per second of CPU time
 *    (process.cpuUsage, user + system), which holds steadier than wall time
 *    when other work shares the machine; wall time is printed beside it, with
 *    the load average.
 * 2. Model: the national-rollout scenario for one simulated day (model.ts), in
 *    a child process so its peak RSS is its own.
 *
 * Options: --json (one JSON object on stdout, progress on stderr),
 * --users N, --million (1,000,000 users; takes minutes), --skip-engine, --skip-model.
 * npm prints its "> mxsim@... bench" banner on stdout, so pipe JSON from
 * `npm run -s bench -- --json` (or run `node --import tsx bench/bench.ts --json`).
 *
 * JSON keys of `engine` (null with --skip-engine):
 * - queue, servers, load, customers, rounds: what was run;
 * - loadAverage: os.loadavg() [1, 5, 15 min] when the engine runs ended;
 * - mxsim, simjs, ceiling: each { customersPerSecond (per CPU second),
 *   nsPerEvent (CPU ns per event), cpuSeconds, wallSeconds, events,
 *   meanWaitSeconds }, the medians of the rounds;
 * - ratioToSimjs, ratioToCeiling: mxsim's customers per CPU second over
 *   simjs's and over the ceiling's, the median of the rounds' ratios (aims:
 *   at least 10 and 0.8);
 * - erlangCMeanWaitSeconds: the exact mean wait, which all three should approach.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mmc } from '../src/analysis/queueing-theory.js';
import { runCeiling, runMxsim, runSimjs, type PeerBenchOptions, type PeerTiming } from './engine-peers.js';
import type { ModelFigures } from './model.js';

const USAGE = 'usage: npm run bench -- [--json] [--users N | --million] [--skip-engine] [--skip-model]';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODEL_SCRIPT = fileURLToPath(new URL('./model.ts', import.meta.url));

/** Load 0.8 on four servers: busy enough that customers queue, so the facility logic is exercised. */
const QUEUE: PeerBenchOptions = { customers: 1_000_000, servers: 4, arrivalRate: 3.2, serviceRate: 1 };
/** Enough for V8 to optimise every engine's hot path before the timed runs. */
const WARMUP_CUSTOMERS = 100_000;
/** Timed runs of each engine, interleaved; the median is reported. */
const ROUNDS = 5;
/** The aims the figures are read against: printed, never enforced. */
const AIM = { ratio: 10, ceilingRatio: 0.8, users: 100_000, wallSeconds: 30, peakRssBytes: 2 * 1024 ** 3 };

/** One engine's figures: the medians over the rounds (see the header for the keys). */
interface EngineRun {
  customersPerSecond: number;
  nsPerEvent: number;
  cpuSeconds: number;
  wallSeconds: number;
  events: number;
  meanWaitSeconds: number;
}

interface EngineFigures {
  queue: string;
  servers: number;
  load: number;
  customers: number;
  rounds: number;
  loadAverage: number[];
  mxsim: EngineRun;
  simjs: EngineRun;
  ceiling: EngineRun;
  ratioToSimjs: number;
  ratioToCeiling: number;
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

/** The median of each figure over the rounds of one engine. */
function medianRun(runs: PeerTiming[]): EngineRun {
  const cpuSeconds = median(runs.map((r) => r.cpuSeconds));
  const events = runs[0]!.events;
  return {
    customersPerSecond: median(runs.map((r) => r.customersPerSecond)),
    nsPerEvent: (cpuSeconds * 1e9) / events,
    cpuSeconds,
    wallSeconds: median(runs.map((r) => r.wallSeconds)),
    events,
    meanWaitSeconds: runs[0]!.meanWaitSeconds,
  };
}

/** A full garbage collection, so that a timed run does not pay for the garbage of the one before. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function benchEngine(): EngineFigures {
  const engines = { mxsim: runMxsim, ceiling: runCeiling, simjs: runSimjs };
  progress(`engine: warm-up, ${WARMUP_CUSTOMERS.toLocaleString('en-US')} customers on each engine`);
  for (const run of Object.values(engines)) run({ ...QUEUE, customers: WARMUP_CUSTOMERS });
  const runs = { mxsim: [] as PeerTiming[], ceiling: [] as PeerTiming[], simjs: [] as PeerTiming[] };
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`engine: round ${round} of ${ROUNDS}, ${QUEUE.customers.toLocaleString('en-US')} customers on each engine`);
    for (const [name, run] of Object.entries(engines) as [keyof typeof engines, (typeof engines)[keyof typeof engines]][]) {
      collectGarbage();
      runs[name].push(run(QUEUE));
    }
  }
  const mxsim = medianRun(runs.mxsim);
  const simjs = medianRun(runs.simjs);
  const ceiling = medianRun(runs.ceiling);
  const ratio = (other: PeerTiming[]) => median(runs.mxsim.map((m, i) => m.customersPerSecond / other[i]!.customersPerSecond));
  return {
    queue: `M/M/${QUEUE.servers}`,
    servers: QUEUE.servers,
    load: QUEUE.arrivalRate / (QUEUE.serviceRate * QUEUE.servers),
    customers: QUEUE.customers,
    rounds: ROUNDS,
    loadAverage: loadavg(),
    mxsim,
    simjs,
    ceiling,
    ratioToSimjs: ratio(runs.simjs),
    ratioToCeiling: ratio(runs.ceiling),
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
    const row = (name: string, r: EngineRun) =>
      `  ${name.padEnd(8)} ${int(r.customersPerSecond).padStart(11)} customers/CPU s ${r.nsPerEvent.toFixed(0).padStart(5)} ns/event   CPU ${r.cpuSeconds.toFixed(2)} s   wall ${r.wallSeconds.toFixed(2)} s   mean wait ${r.meanWaitSeconds.toFixed(4)} s`;
    out.push(
      `Engine: ${engine.queue} at load ${engine.load}, ${int(engine.customers)} customers (after a ${int(WARMUP_CUSTOMERS)}-customer warm-up), median of ${engine.rounds} rounds`,
      `  load average ${engine.loadAverage.map((x) => x.toFixed(2)).join(' ')} on ${availableParallelism()} cores`,
      row('mxsim', engine.mxsim),
      row('simjs', engine.simjs),
      row('ceiling', engine.ceiling),
      `  Erlang C ${''.padStart(11)}                                                              mean wait ${engine.erlangCMeanWaitSeconds.toFixed(4)} s`,
      `  mxsim/simjs   ${engine.ratioToSimjs.toFixed(2)}x   aim at least ${AIM.ratio}x: ${aim(engine.ratioToSimjs >= AIM.ratio)}`,
      `  mxsim/ceiling ${engine.ratioToCeiling.toFixed(2)}    aim at least ${AIM.ceilingRatio}: ${aim(engine.ratioToCeiling >= AIM.ceilingRatio)}`,
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
