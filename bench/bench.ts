/**
 * `npm run bench`: how fast mxsim is, measured against a peer in the same run
 * (absolute figures mean little across machines; a ratio does). Speed is only
 * reported here, never asserted in tests.
 *
 * 1. Engine: the M/M/4 queue of engine-peers.ts on mxsim and on simjs.
 * 2. Model: the national-rollout scenario for one simulated day (model.ts) at
 *    10,000, 100,000 and 1,000,000 users, its deployment sized to the users,
 *    each in a child process so its peak RSS is its own; the growth exponent
 *    of CPU time in users (the slope of log CPU on log users: 1 is linear).
 * 3. Commands (commands.ts): the start-up of `mxsim validate`, `mxsim queue`
 *    and `mxsim --version`, and `npm start`'s run step by step.
 *
 * CPU time (user + system) is given beside wall time, and the machine's load
 * average before and after: on a busy machine wall time stretches, CPU time
 * much less.
 *
 * Options: --json (one JSON object on stdout, progress on stderr),
 * --users N (one size only), --quick (10,000 and 100,000 users only),
 * --million (1,000,000 users only), --skip-engine, --skip-model, --skip-commands.
 *
 * --json keys: node, load ({ before, after }: 1-minute load averages),
 * engine (see EngineFigures), model ({ sizes: ModelFigures[], cpuGrowthExponent }),
 * commands ({ startUp: CommandFigures[], defaultRun: DefaultRunFigures }),
 * targets ({ name, value, target, met }[]).
 * npm prints its "> mxsim@... bench" banner on stdout, so pipe JSON from
 * `npm run -s bench -- --json` (or run `node --import tsx bench/bench.ts --json`).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mmc } from '../src/analysis/queueing-theory.js';
import { runMxsim, runSimjs, type PeerBenchOptions } from './engine-peers.js';
import { linearRegression } from 'simple-statistics';
import { benchDefaultRun, benchStartUp, buildIfStale, type CommandFigures, type DefaultRunFigures } from './commands.js';
import type { ModelFigures } from './model.js';

const USAGE = 'usage: npm run bench -- [--json] [--users N | --quick | --million] [--skip-engine] [--skip-model] [--skip-commands]';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODEL_SCRIPT = fileURLToPath(new URL('./model.ts', import.meta.url));

/** Load 0.8 on four servers: busy enough that customers queue, so the facility logic is exercised. */
const QUEUE: PeerBenchOptions = { customers: 1_000_000, servers: 4, arrivalRate: 3.2, serviceRate: 1 };
/** Enough for V8 to optimise both engines' hot paths before the timed run. */
const WARMUP_CUSTOMERS = 100_000;
/** The aims the figures are read against: printed, never enforced. */
const AIM = { ratio: 10, users: 100_000, wallSeconds: 30, peakRssBytes: 2 * 1024 ** 3 };
/** The targets of issue 14, read against the figures: printed, never enforced. */
const TARGET = {
  cpu100k: 8,
  cpu1M: 60,
  rss1M: 1024 ** 3,
  startUpCpu: 0.15,
  defaultRunCpu: 3,
};
const SIZES = [10_000, 100_000, 1_000_000];

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
  sizes: number[];
  engine: boolean;
  model: boolean;
  commands: boolean;
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
  return { json: values.json, sizes, engine: !values['skip-engine'], model: !values['skip-model'], commands: !values['skip-commands'] };
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
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

interface ModelSection {
  sizes: ModelFigures[];
  /** Slope of log(CPU seconds) on log(users) over the sizes run: 1 is linear; null with fewer than two sizes. */
  cpuGrowthExponent: number | null;
}

interface CommandSection {
  startUp: CommandFigures[];
  defaultRun: DefaultRunFigures;
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

function targets(model: ModelSection | null, commands: CommandSection | null): Target[] {
  const out: Target[] = [];
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
  return out;
}

function printTable(engine: EngineFigures | null, model: ModelSection | null, commands: CommandSection | null, load: { before: number; after: number }, goals: Target[]): void {
  const out: string[] = [`mxsim bench, Node ${process.version}; load average (1 min) ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after`, ''];
  if (engine) {
    const q = QUEUE.arrivalRate / (QUEUE.serviceRate * QUEUE.servers);
    out.push(
      `Engine: M/M/${QUEUE.servers} at load ${q}, ${int(engine.customers)} customers (after a ${int(WARMUP_CUSTOMERS)}-customer warm-up)`,
      `  mxsim     ${int(engine.mxsimCustomersPerSecond).padStart(11)} customers/s   mean wait ${engine.mxsimMeanWaitSeconds.toFixed(4)} s`,
      `  simjs     ${int(engine.simjsCustomersPerSecond).padStart(11)} customers/s   mean wait ${engine.simjsMeanWaitSeconds.toFixed(4)} s`,
      `  Erlang C  ${''.padStart(11)}               mean wait ${engine.erlangCMeanWaitSeconds.toFixed(4)} s`,
      `  ratio mxsim/simjs ${engine.ratio.toFixed(1)}x   aim at least ${AIM.ratio}x: ${aim(engine.ratio >= AIM.ratio)}`,
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
    out.push('');
  }
  if (goals.length > 0) {
    out.push('Targets (issue 14; read here, never asserted in a test)');
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
    commands = { startUp: benchStartUp(), defaultRun: benchDefaultRun() };
  }
  const load = { before, after: loadavg()[0]! };
  const goals = targets(model, commands);
  if (opts.json) process.stdout.write(`${JSON.stringify({ node: process.version, load, engine, model, commands, targets: goals })}\n`);
  else printTable(engine, model, commands, load, goals);
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
