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
 * 2. Model: the national-rollout scenario for one simulated day (model.ts) at
 *    10,000, 100,000 and 1,000,000 users, its deployment sized to the users,
 *    each in a child process so its peak RSS is its own; the growth exponent
 *    of CPU time in users (the slope of log CPU on log users: 1 is linear).
 * 3. Commands (commands.ts): the start-up of `mxsim validate`, `mxsim queue`
 *    and `mxsim --version`, `npm start`'s run step by step, and issue 15's
 *    sweep (20 runs, about 3.5 minutes on one thread; the small one of 12
 *    short runs with --quick or --small-sweep) on one thread and on every
 *    core (its wall-time ratio, and whether both wrote the same files).
 *
 * CPU time (user + system) is given beside wall time, and the machine's load
 * average before and after: on a busy machine wall time stretches, CPU time
 * much less.
 *
 * Options: --json (one JSON object on stdout, progress on stderr),
 * --users N (one size only), --quick (10,000 and 100,000 users only, and
 * the small sweep), --million (1,000,000 users only), --small-sweep,
 * --skip-engine, --skip-model, --skip-commands.
 *
 * --json keys: node, load ({ before, after }: 1-minute load averages),
 * engine (see EngineFigures), model ({ sizes: ModelFigures[], cpuGrowthExponent }),
 * commands ({ startUp: CommandFigures[], defaultRun: DefaultRunFigures, sweep: SweepFigures }),
 * targets ({ name, value, target, met }[]).
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
import { linearRegression } from 'simple-statistics';
import { benchDefaultRun, benchStartUp, benchSweep, buildIfStale, SWEEPS, type CommandFigures, type DefaultRunFigures, type SweepFigures } from './commands.js';
import type { ModelFigures } from './model.js';

const USAGE = 'usage: npm run bench -- [--json] [--users N | --quick | --million] [--small-sweep] [--skip-engine] [--skip-model] [--skip-commands]';
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
/** The targets of issue 14, read against the figures: printed, never enforced. */
const TARGET = {
  cpu100k: 8,
  cpu1M: 60,
  rss1M: 1024 ** 3,
  startUpCpu: 0.15,
  defaultRunCpu: 3,
  /** Issue 15: a sweep on 2 cores in at most this share of its serial wall time. */
  sweepWallRatio: 0.6,
};
const SIZES = [10_000, 100_000, 1_000_000];

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
  sizes: number[];
  engine: boolean;
  model: boolean;
  commands: boolean;
  /** Which sweep the commands section times (commands.ts SWEEPS). */
  sweep: keyof typeof SWEEPS;
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
        quick: { type: 'boolean', default: false },
        'small-sweep': { type: 'boolean', default: false },
        'skip-commands': { type: 'boolean', default: false },
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
  if ([values.million, values.quick, values.users !== undefined].filter(Boolean).length > 1) usageError('give one of --users N, --quick and --million');
  const users = Number(values.users);
  if (values.users !== undefined && (!Number.isInteger(users) || users < 1)) usageError(`--users must be a positive integer, got ${values.users}`);
  const sizes = values.million ? [1_000_000] : values.quick ? SIZES.slice(0, 2) : values.users !== undefined ? [users] : SIZES;
  const sweep: keyof typeof SWEEPS = values.quick || values['small-sweep'] ? 'small' : 'issue';
  return { json: values.json, sizes, engine: !values['skip-engine'], model: !values['skip-model'], commands: !values['skip-commands'], sweep };
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
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

interface ModelSection {
  sizes: ModelFigures[];
  /** Slope of log(CPU seconds) on log(users) over the sizes run: 1 is linear; null with fewer than two sizes. */
  cpuGrowthExponent: number | null;
}

interface CommandSection {
  startUp: CommandFigures[];
  defaultRun: DefaultRunFigures;
  sweep: SweepFigures;
}

interface Target {
  name: string;
  value: number;
  target: number;
  met: boolean;
}

function modelSection(sizes: readonly number[]): ModelSection {
  const figures = sizes.map(benchModel);
  const points = figures.map((f) => [Math.log(f.users), Math.log(f.cpuSeconds)]);
  return { sizes: figures, cpuGrowthExponent: points.length >= 2 ? linearRegression(points).m : null };
}

function targets(engine: EngineFigures | null, model: ModelSection | null, commands: CommandSection | null): Target[] {
  const out: Target[] = [];
  if (engine) out.push({ name: 'engine: mxsim / hand-written ceiling', value: engine.ratioToCeiling, target: AIM.ceilingRatio, met: engine.ratioToCeiling >= AIM.ceilingRatio });
  const at = (users: number) => model?.sizes.find((f) => f.users === users);
  const m100k = at(100_000);
  if (m100k) out.push({ name: 'model 100,000 users, one day: CPU seconds', value: m100k.cpuSeconds, target: TARGET.cpu100k, met: m100k.cpuSeconds <= TARGET.cpu100k });
  const m1M = at(1_000_000);
  if (m1M) {
    out.push({ name: 'model 1,000,000 users, one day: CPU seconds', value: m1M.cpuSeconds, target: TARGET.cpu1M, met: m1M.cpuSeconds <= TARGET.cpu1M });
    out.push({ name: 'model 1,000,000 users, one day: peak RSS bytes', value: m1M.peakRssBytes, target: TARGET.rss1M, met: m1M.peakRssBytes <= TARGET.rss1M });
  }
  if (model?.cpuGrowthExponent != null) out.push({ name: 'model CPU growth exponent in users', value: model.cpuGrowthExponent, target: 1, met: model.cpuGrowthExponent <= 1.05 });
  for (const c of commands?.startUp ?? []) {
    if (c.command.startsWith('--version')) continue;
    out.push({ name: `start-up: mxsim ${c.command}: CPU seconds`, value: c.cpuSeconds, target: TARGET.startUpCpu, met: c.cpuSeconds <= TARGET.startUpCpu });
  }
  if (commands)
    out.push({
      name: 'default run (npm start): CPU seconds',
      value: commands.defaultRun.cpuSeconds,
      target: TARGET.defaultRunCpu,
      met: commands.defaultRun.cpuSeconds <= TARGET.defaultRunCpu,
    });
  if (commands) {
    const w = commands.sweep;
    out.push({
      name: `${w.sweep} sweep on ${w.jobs} threads: wall time over serial`,
      value: w.wallRatio,
      target: TARGET.sweepWallRatio,
      met: w.wallRatio <= TARGET.sweepWallRatio && w.identical,
    });
  }
  return out;
}

function printTable(engine: EngineFigures | null, model: ModelSection | null, commands: CommandSection | null, load: { before: number; after: number }, goals: Target[]): void {
  const out: string[] = [`mxsim bench, Node ${process.version}; load average (1 min) ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after`, ''];
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
    out.push(`Model: ${model.sizes[0]?.scenario ?? ''}, one simulated day, deployment sized to the users`);
    out.push(`  ${'users'.padStart(10)}  ${'CPU s'.padStart(8)}  ${'wall s'.padStart(8)}  ${'events'.padStart(12)}  ${'events/CPU s'.padStart(12)}  ${'peak RSS'.padStart(9)}`);
    for (const f of model.sizes) {
      out.push(
        `  ${int(f.users).padStart(10)}  ${f.cpuSeconds.toFixed(1).padStart(8)}  ${f.wallSeconds.toFixed(1).padStart(8)}  ${int(f.events).padStart(12)}  ${int(f.events / f.cpuSeconds).padStart(12)}  ${mib(f.peakRssBytes).padStart(9)}`,
      );
    }
    if (model.cpuGrowthExponent !== null) out.push(`  CPU grows as users^${model.cpuGrowthExponent.toFixed(2)} (1 is linear)`);
    out.push('');
  }
  if (commands) {
    out.push('Commands (each in a child process; CPU is its own, user + system)');
    for (const c of commands.startUp)
      out.push(`  mxsim ${c.command.padEnd(42)} ${c.cpuSeconds.toFixed(2).padStart(6)} s CPU  ${c.wallSeconds.toFixed(2).padStart(6)} s wall  ${mib(c.peakRssBytes).padStart(8)}`);
    const d = commands.defaultRun;
    out.push(
      `  npm start: mxsim ${d.command.padEnd(31)} ${d.cpuSeconds.toFixed(2).padStart(6)} s CPU  ${d.wallSeconds.toFixed(2).padStart(6)} s wall  ${mib(d.peakRssBytes).padStart(8)}`,
    );
    for (const p of d.phases) out.push(`    ${p.phase.padEnd(46)} ${p.cpuSeconds.toFixed(2).padStart(6)} s CPU  ${p.wallSeconds.toFixed(2).padStart(6)} s wall`);
    const w = commands.sweep;
    out.push(`  ${w.sweep} sweep: mxsim ${w.command}`);
    for (const [name, f] of [
      ['--jobs 1', w.serial],
      [`--jobs ${w.jobs}`, w.parallel],
    ] as const)
      out.push(`    ${name.padEnd(46)} ${f.cpuSeconds.toFixed(2).padStart(6)} s CPU  ${f.wallSeconds.toFixed(2).padStart(6)} s wall  ${mib(f.peakRssBytes).padStart(8)}`);
    out.push(`    wall time ${w.wallRatio.toFixed(2)} of serial; files ${w.identical ? 'identical' : 'DIFFER'}`);
    out.push('');
  }
  if (goals.length > 0) {
    out.push('Targets (issues 14 and 15; read here, never asserted in a test)');
    for (const g of goals)
      out.push(
        `  ${g.name.padEnd(56)} ${(g.name.includes('bytes') ? mib(g.value) : g.value.toFixed(2)).padStart(9)}  target ${g.name.includes('bytes') ? mib(g.target) : g.target}: ${aim(g.met)}`,
      );
    out.push('');
  }
  process.stdout.write(out.join('\n'));
}

const opts = parseOptions();
try {
  const before = loadavg()[0]!;
  const engine = opts.engine ? benchEngine() : null;
  const model = opts.model ? modelSection(opts.sizes) : null;
  let commands: CommandSection | null = null;
  if (opts.commands) {
    progress('commands: building dist/ if stale, then the start-up of three commands (3 runs each) and the default run');
    buildIfStale();
    const startUp = benchStartUp();
    const defaultRun = benchDefaultRun();
    progress(`commands: the ${opts.sweep} sweep with --jobs 1 and --jobs ${availableParallelism()}`);
    commands = { startUp, defaultRun, sweep: benchSweep(availableParallelism(), opts.sweep) };
  }
  const load = { before, after: loadavg()[0]! };
  const goals = targets(engine, model, commands);
  if (opts.json) process.stdout.write(`${JSON.stringify({ node: process.version, load, engine, model, commands, targets: goals })}\n`);
  else printTable(engine, model, commands, load, goals);
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
