/**
 * `mxsim sweep SCENARIO --vary PATH=VALUES ...`: the scenario run at many
 * points (src/experiments/sweep.ts), each (point, replication) a job of the
 * pool, and the folder written atomically: results, per-point means with
 * their intervals, what moves the answer, charts, index.html and README.md.
 *
 * While it runs, the folder is an unfinished sweep folder
 * (src/experiments/sweep-folder.ts) where each job is stored as it ends: the
 * same command run again after a kill resumes, running only the rest, and
 * `--shard INDEX/COUNT` runs a share of the jobs for `mxsim merge`.
 */
import { defaultJobs } from '../analysis/pool.js';
import { PREFLIGHT } from '../analysis/preflight.js';
import type { JobFileProblem } from '../analysis/job-store.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { DESIGNS, pointLabel, type Design } from '../experiments/design.js';
import {
  jobScenario,
  MAX_POINTS,
  planSweep,
  reduceSweep,
  runSweepJobs,
  selectOutputs,
  type Shard,
  type SweepJobs,
  type SweepPlan,
  type SweepProgress,
  type SweepResult,
} from '../experiments/sweep.js';
import { openSweepFolder, sweepFolderFiles, sweepStore, type SweepPlanFile } from '../experiments/sweep-folder.js';
import type { OutputRow } from '../experiments/sweep-job.js';
import { MAX_SHARDS, sweepMessages } from '../experiments/sweep-messages.js';
import { cell, pointsHeader, pointRows, rankingLines, sweepDocument, sweepFiles } from '../experiments/sweep-report.js';
import { MxsimError, present } from '../errors.js';
import { formatCount, formatMilliseconds, formatSeconds } from '../format/index.js';
import { MAX_REPLICATIONS } from '../scenario/grammar.js';
import { loadScenarioFile, loadScenarioText } from '../scenario/load.js';
import { writeReport } from '../report/write.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { outputOption, render, type OutputFormat, type ResultTable } from './output.js';
import { parseField } from './parse-field.js';
import { parseInteger } from './parse.js';
import { sizeCheck } from './preflight.js';
import { secondsLeft, statusLine } from './progress.js';
import { collect } from './validate.js';

export interface SweepCommandOptions {
  vary?: string[];
  design?: Design;
  points?: number;
  replications?: number;
  seed?: string;
  outputs?: string;
  jobs?: number;
  queue?: string;
  out?: string;
  set?: string[];
  force?: boolean;
  output?: OutputFormat;
  quiet?: boolean;
  allowLarge?: boolean;
  verify?: boolean;
  shard?: Shard;
}

/** Replications per point when --replications is not given. */
export const DEFAULT_SWEEP_REPLICATIONS = 2;
/** The most jobs --jobs takes. */
export const MAX_JOBS = 256;
/** Sweeps estimated to take longer than this (CPU seconds) show their estimate first. */
const SHOW_ESTIMATE_CPU_SECONDS = 60;

/** What stdout gets by default: the design, the ranking of effects, the points, the folder. */
export function sweepText(s: SweepResult, dir: string): string {
  const { plan } = s;
  const lines = [
    `${plan.base.display.title}: ${plan.design} sweep, ${plan.points.length} points x ${s.replications} replications (${plan.points.length * s.replications} runs), seed ${plan.seed}`,
    ...plan.factors.map(
      (f) => `  varied ${f.path}: ${plan.design === 'lhs' && f.range ? `${f.range.lo} to ${f.range.hi} (${f.range.scale})` : f.levels.map((l) => l.text).join(', ')}`,
    ),
    `what moves the answer (${s.effects.score}):`,
    ...rankingLines(s).map((l) => `  ${l}`),
    `report: ${dir}/index.html`,
  ];
  return lines.join('\n') + '\n';
}

/** The points as the result table of --output csv|markdown. */
export function sweepTable(s: SweepResult): ResultTable {
  const header = pointsHeader(s);
  return { header, rows: pointRows(s).map((r) => header.map((h) => cell(r[h]))) };
}

/** `--shard INDEX/COUNT` read: two whole numbers, 0 <= INDEX < COUNT <= MAX_SHARDS; anything else is a usage error naming the value as written. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !(count >= 1 && count <= MAX_SHARDS && index < count)) throw new InvalidArgumentError(sweepMessages.shardInvalid(value));
  return { index, count };
}

/** The plan file of a sweep: the scenario's text and every option that changes a result. */
function planFile(file: string, text: string, o: SweepCommandOptions, plan: SweepPlan, replications: number, outputs: readonly { name: string }[], version: string): SweepPlanFile {
  return {
    mxsim: version,
    scenario: { file, text, set: o.set ?? [] },
    vary: o.vary ?? [],
    design: plan.design,
    points: o.points ?? null,
    seed: plan.seed,
    replications,
    outputs: outputs.map((x) => x.name),
    verify: o.verify !== false,
    jobs: plan.points.length * replications,
  };
}

/** The progress of a sweep on stderr: a status line on a terminal, else one line per point done; nothing with --quiet. */
function sweepProgress(io: Io, quiet: boolean, plan: SweepPlan) {
  const started = performance.now();
  const line = statusLine(io, !quiet && io.errIsTTY);
  const figures = (p: SweepProgress) => {
    const elapsed = (performance.now() - started) / 1000;
    const left = secondsLeft(elapsed, p.ranNow, p.toRun - p.ranNow);
    return { ...p, elapsed: formatSeconds(elapsed), left: left === null ? null : formatSeconds(left) };
  };
  return {
    update(p: SweepProgress) {
      if (quiet) return;
      if (io.errIsTTY) line.show(sweepMessages.progressLine(figures(p)));
      else if (p.pointDone !== undefined) {
        const point = present(plan.points[p.pointDone], 'the point done');
        io.err(sweepMessages.pointDoneLine(point.index + 1, pointLabel(plan.factors, point), figures(p)));
      }
    },
    stop: () => line.stop(),
  };
}

export async function sweepCommandAction(file: string, o: SweepCommandOptions, io: Io, version: string): Promise<void> {
  const first = await loadScenarioFile(file, o.set ?? []);
  for (const w of first.warnings) io.err(cliMessages.warning(w));
  // The plan is built from the very text kept in sweep-plan.json, so a merge rebuilds it exactly.
  const text = await readFile(file, 'utf8');
  const loaded = loadScenarioText(text, file, o.set ?? []);
  const design = o.design ?? 'factorial';
  const usage: string[] = [];
  if (o.points !== undefined && design !== 'lhs') usage.push(sweepMessages.pointsNeedLhs(design));
  const selected = selectOutputs(o.outputs);
  usage.push(...selected.problems);
  const plan = planSweep(loaded, o.vary ?? [], { design, points: o.points, seed: o.seed, usage });
  for (const n of plan.notes) io.err(cliMessages.warning(n));
  const replications = o.replications ?? DEFAULT_SWEEP_REPLICATIONS;
  const dir = o.out ?? `reports/${loaded.scenario.name}-sweep`;
  // Before anything runs: is every point within what this machine can do, and can the folder be written?
  // The simulations of every run, and once the fixed part (start-up, the report).
  let cpuSeconds = PREFLIGHT.cpuSecondsFixed;
  // Each point as its jobs run it: without the saturation search when saturationUsers is not asked for.
  for (const s of plan.scenarios.map((point) => jobScenario(point, selected.outputs))) {
    const { estimate, tooLarge } = sizeCheck(s, { replications: 1, verify: o.verify !== false });
    if (tooLarge !== null && o.allowLarge !== true) throw new MxsimError('run.too-large', tooLarge);
    cpuSeconds += estimate.simulationCpuSeconds * replications;
  }
  const note = (t: string) => io.err(cliMessages.warning(t));
  const planDoc = planFile(file, text, o, plan, replications, selected.outputs, version);
  const opened = openSweepFolder(dir, planDoc, o.force === true, note);
  if (o.shard !== undefined) cpuSeconds /= o.shard.count;
  if (!o.quiet && cpuSeconds > SHOW_ESTIMATE_CPU_SECONDS && opened === 'new')
    io.err(`estimated about ${formatMilliseconds(cpuSeconds * 1000)} of CPU for ${formatCount(Math.ceil((plan.points.length * replications) / (o.shard?.count ?? 1)))} runs\n`);
  const started = performance.now();
  const progress = sweepProgress(io, o.quiet === true, plan);
  const options = {
    replications,
    outputs: selected.outputs,
    jobs: o.jobs ?? defaultJobs(),
    queue: o.queue,
    version,
    verify: o.verify !== false,
    store: sweepStore(dir),
    ...(o.shard === undefined ? {} : { shard: o.shard }),
    onResume: (r: { resumed: number; toRun: number; problems: JobFileProblem[]; foreign: JobFileProblem[] }) => {
      for (const p of r.problems) note(sweepMessages.jobFileProblem(p.path, p.why, true));
      for (const p of r.foreign) note(sweepMessages.jobFileProblem(p.path, p.why, false));
      if (r.resumed > 0) io.err(sweepMessages.resumed(dir, r.resumed, r.resumed + r.toRun, r.toRun));
    },
    onProgress: (p: SweepProgress) => progress.update(p),
  };
  let jobs: SweepJobs;
  try {
    jobs = await runSweepJobs(plan, options);
  } finally {
    progress.stop();
  }
  if (o.shard !== undefined) {
    const mine = jobs.rows.filter((r) => r !== undefined).length;
    io.out(sweepMessages.shardDone(`${o.shard.index}/${o.shard.count}`, dir, jobs.ran, jobs.resumed, mine, jobs.rows.length));
    io.out(sweepMessages.mergeHint(dir));
    return;
  }
  const rows = jobs.rows.map((r, i) => present(r, `the row of job ${i}`));
  const result = reduceSweep(plan, options, rows);
  await writeSweepFolder(dir, result, planDoc, jobs.keys, rows, version, note);
  printSweep(io, o, result, dir, version);
  if (!o.quiet) io.err(sweepMessages.finished(plan.points.length, plan.points.length * replications, (performance.now() - started) / 1000, dir));
}

/** The finished folder put in place of the unfinished one: the report, the plan and every job file. */
export async function writeSweepFolder(
  dir: string,
  result: SweepResult,
  planDoc: SweepPlanFile,
  keys: readonly string[],
  rows: readonly OutputRow[],
  version: string,
  note: (t: string) => void,
): Promise<void> {
  const files = new Map<string, string | Uint8Array>([...(await sweepFiles(result, version)), ...sweepFolderFiles(planDoc, keys, rows)]);
  await writeReport(dir, files, true, version, note);
}

/** What stdout gets: the text, the JSON document or the points table (--output). */
export function printSweep(io: Io, o: { output?: OutputFormat }, result: SweepResult, dir: string, version: string): void {
  const format = o.output ?? 'table';
  io.out(
    render(format, {
      table: () => sweepText(result, dir),
      json: () => ({ ...sweepDocument(result, version), points: result.points, effects: result.effects, report: dir }),
      rows: () => sweepTable(result),
    }),
  );
}

export function sweepCommand(io: Io, version: string): Command {
  return new Command('sweep')
    .description('run a scenario at many values of some fields and say what moves the answer (results, per-point means with 95% CIs, effects, charts)')
    .argument('<scenario>', 'scenario file (JSON)')
    .option(
      '--vary <path=values>',
      'a field and its values: PATH=V1,V2,... or PATH=LO..HI:lin:N or PATH=LO..HI:log:N, each value applied as --set PATH=VALUE (repeatable)',
      collect,
    )
    .addOption(
      new Option(
        '--design <design>',
        "factorial (every combination), oat (one at a time around the scenario's own values) or lhs (Latin hypercube of --points points over the ranges)",
      )
        .choices(DESIGNS)
        .default('factorial'),
    )
    .addOption(new Option('--points <n>', 'points of an lhs design (default 10)').argParser(parseInteger('--points', 2, MAX_POINTS)))
    .addOption(
      new Option('--replications <n>', `replications per point, with common random numbers (default ${DEFAULT_SWEEP_REPLICATIONS})`).argParser(
        parseInteger('--replications', 1, MAX_REPLICATIONS),
      ),
    )
    .addOption(
      new Option('--seed <seed>', "run seed; replication r of every point uses SEED/r (default: the scenario's run.seed)").argParser(parseField('--seed', ['run', 'seed'])),
    )
    .option('--outputs <list>', 'the outputs to record, a comma list (default: all; docs/EXPERIMENTS.md lists them)')
    .addOption(
      new Option('--jobs <n>', 'runs at once, on worker threads; the results are the same for any number (default: the cores available)').argParser(
        parseInteger('--jobs', 1, MAX_JOBS),
      ),
    )
    .option('--queue <url>', 'put the runs on a Redis queue (redis://host:6379) for `mxsim worker` processes on any machine, and gather their results here (docs/EXPERIMENTS.md)')
    .option('--out <dir>', 'report folder (default: reports/<scenario name>-sweep)')
    .option('--set <path=value>', 'override a field of the base scenario, e.g. run.days=0.5 (repeatable)', collect)
    .option('--force', 'replace an existing report folder (only one mxsim wrote: it holds .mxsim-report); an unfinished sweep of the same plan is resumed, with or without it')
    .addOption(
      new Option(
        '--shard <index/count>',
        'run only the jobs whose index modulo COUNT is INDEX (0-based), store them in <out>/jobs and write no report; mxsim merge puts the shards together',
      ).argParser(parseShard),
    )
    .addOption(outputOption('the design, what moves the answer, the folder'))
    .option('--quiet', 'no progress or timing on stderr')
    .option('--no-verify', 'do not re-simulate each recommendation (much faster at large points; the recommendation is then from CPU sizing alone)')
    .option('--allow-large', 'run even when a point is estimated to exceed what this machine can do')
    .addHelpText(
      'after',
      '\nExamples:\n  mxsim sweep scenarios/company-2000.json --vary population.users=500..8000:log:5 --vary features.presence=true,false\n  mxsim sweep scenarios/team-50.json --vary features.presence=true,false --vary run.server.deployment=monolith,workers --design oat\n  mxsim sweep scenarios/company-2000.json --vary population.users=500..8000:log:2 --vary population.growthPerMonth=0..0.04:lin:2 --design lhs --points 20\n',
    )
    .action(async function (this: Command, file: string) {
      await sweepCommandAction(file, this.opts<SweepCommandOptions>(), io, version);
    });
}
