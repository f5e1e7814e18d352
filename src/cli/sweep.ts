/**
 * `mxsim sweep SCENARIO --vary PATH=VALUES ...`: the scenario run at many
 * points (src/experiments/sweep.ts), each (point, replication) a job of the
 * pool, and the folder written atomically: results, per-point means with
 * their intervals, what moves the answer, charts, index.html and README.md.
 */
import { defaultJobs } from '../analysis/pool.js';
import { Command, Option } from 'commander';
import { DESIGNS, type Design } from '../experiments/design.js';
import { MAX_POINTS, planSweep, runSweep, selectOutputs, type SweepResult } from '../experiments/sweep.js';
import { sweepMessages } from '../experiments/sweep-messages.js';
import { cell, pointsHeader, pointRows, rankingLines, sweepDocument, sweepFiles } from '../experiments/sweep-report.js';
import { MxsimError } from '../errors.js';
import { formatCount, formatMilliseconds } from '../format/index.js';
import { MAX_REPLICATIONS } from '../scenario/grammar.js';
import { loadScenarioFile } from '../scenario/load.js';
import { checkOutput, writeReport } from '../report/write.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { outputOption, render, type OutputFormat, type ResultTable } from './output.js';
import { parseField, parseInteger } from './parse.js';
import { sizeCheck } from './preflight.js';
import { progressBar } from './progress.js';
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

export async function sweepCommandAction(file: string, o: SweepCommandOptions, io: Io, version: string): Promise<void> {
  const loaded = await loadScenarioFile(file, o.set ?? []);
  for (const w of loaded.warnings) io.err(cliMessages.warning(w));
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
  let cpuSeconds = 0;
  for (const s of plan.scenarios) {
    const { estimate, tooLarge } = sizeCheck(s, { replications: 1, verify: o.verify !== false });
    if (tooLarge !== null && o.allowLarge !== true) throw new MxsimError('run.too-large', tooLarge);
    cpuSeconds += estimate.cpuSeconds * replications;
  }
  const note = (text: string) => io.err(cliMessages.warning(text));
  checkOutput(dir, o.force === true, { onNote: note });
  if (!o.quiet && cpuSeconds > SHOW_ESTIMATE_CPU_SECONDS)
    io.err(`estimated about ${formatMilliseconds(cpuSeconds * 1000)} of CPU for ${formatCount(plan.points.length * replications)} runs\n`);
  const started = performance.now();
  const progress = progressBar(io, !o.quiet && io.errIsTTY);
  const result = await runSweep(plan, {
    replications,
    outputs: selected.outputs,
    jobs: o.jobs ?? defaultJobs(),
    queue: o.queue,
    version,
    verify: o.verify !== false,
    onProgress: (pointsDone, points, runsDone, runs) => progress.update(runsDone / runs, sweepMessages.progressPhase(pointsDone, points, runsDone, runs)),
  });
  progress.stop();
  await writeReport(dir, await sweepFiles(result, version), o.force === true, version, note);
  const format = o.output ?? 'table';
  io.out(
    render(format, {
      table: () => sweepText(result, dir),
      json: () => ({ ...sweepDocument(result, version), points: result.points, effects: result.effects, report: dir }),
      rows: () => sweepTable(result),
    }),
  );
  if (!o.quiet) io.err(sweepMessages.finished(plan.points.length, plan.points.length * replications, (performance.now() - started) / 1000, dir));
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
    .option('--force', 'replace an existing report folder (only one mxsim wrote: it holds .mxsim-report)')
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
