/**
 * `mxsim compare A B [...]`: several runs side by side, each against the
 * first (the baseline), with the 95% confidence interval of every
 * difference (Welch, see src/report/compare-stats.ts).
 *
 * Each input is a run folder written by `mxsim run` (summary.json, and where
 * present data/replications.csv, data/client.csv, data/storage-horizon.csv)
 * or a scenario file, simulated here first (no verification unless
 * --verify; --set applies to every scenario). Every input is checked before
 * anything is simulated, and the report folder is written atomically.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { runPipeline, type PipelineOptions } from '../pipeline.js';
import { costOptions } from '../cost/settings.js';
import { EXIT, MxsimError, present, withContext } from '../errors.js';
import { MAX_REPLICATIONS, type Scenario } from '../scenario/grammar.js';
import { loadScenarioFile, type LoadedScenario } from '../scenario/load.js';
import { samplesFromReplicationsCsv, samplesFromResults, seriesFromClientCsv, storageFromHorizonCsv, type CompareInput } from '../report/compare-inputs.js';
import { buildComparison, type Comparison } from '../report/comparison.js';
import { checkOutput, writeReport } from '../report/write.js';
import { loadCostCatalogs } from './cost.js';
import type { Io } from './io.js';
import { outputFormat, outputOption, render, type OutputFormat, type ResultTable } from './output.js';
import { preflight } from './preflight.js';
import { deploymentMeetsTargets, missedTargets } from './run-output.js';
import { cliMessages as msg } from './messages.js';
import { parseField } from './parse-field.js';
import { parseInteger } from './parse.js';
import { readRunFolder, type RunFolder } from './run-folder.js';
import { collect } from './validate.js';

export interface CompareCommandOptions {
  out?: string;
  set?: string[];
  seed?: string;
  replications?: number;
  verify?: boolean;
  force?: boolean;
  json?: boolean;
  output?: OutputFormat;
  quiet?: boolean;
  png?: boolean;
  allowLarge?: boolean;
  /** Exit with EXIT.targetsMissed or EXIT.deploymentMissesTargets when any input misses its targets. */
  strict?: boolean;
}

/** An input checked but not yet simulated. */
type Pending = { kind: 'run'; path: string; folder: RunFolder } | { kind: 'scenario'; path: string; loaded: LoadedScenario };

/** The tables of a run folder a comparison uses (each may be missing). */
const COMPARE_TABLES = ['data/replications.csv', 'data/client.csv', 'data/storage-horizon.csv'] as const;

/**
 * Read a run folder: its summary.json and the tables a comparison uses, each
 * checked (run-folder.ts); throws, naming the path, when it has no summary.
 */
function readCompareRunFolder(dir: string): Pending {
  const file = join(dir, 'summary.json');
  if (!existsSync(file)) throw new MxsimError('run.invalid', msg.notRunFolder(dir, file));
  return { kind: 'run', path: dir, folder: readRunFolder(dir, { tables: COMPARE_TABLES }) };
}

async function checkInput(path: string, overrides: string[]): Promise<Pending> {
  if (!existsSync(path)) throw new MxsimError('input.unreadable', msg.inputNotFound(path));
  const st = statSync(path);
  if (st.isDirectory()) return readCompareRunFolder(path);
  if (!st.isFile()) throw new MxsimError('input.unreadable', msg.neitherFolderNorFile(path));
  try {
    return { kind: 'scenario', path, loaded: await loadScenarioFile(path, overrides) };
  } catch (e) {
    // Say that a run folder would have done too; the scenario's code and exit code stay.
    if (e instanceof MxsimError) throw withContext(e, msg.notRunFolderNorScenario(path));
    throw e;
  }
}

const nameOf = (p: Pending) => (p.kind === 'run' ? p.folder.summary.scenario.name : p.loaded.scenario.name);

/** Labels: the scenario names, made unique with the file or folder name, then a number. */
export function uniqueLabels(names: readonly string[], paths: readonly string[]): string[] {
  const count = (xs: readonly string[], x: string) => xs.filter((y) => y === x).length;
  const first = names.map((n, i) => {
    const path = paths[i];
    return count(names, n) > 1 && path !== undefined ? `${n} (${basename(path).replace(/\.json$/, '')})` : n;
  });
  return first.map((l, i) => (count(first, l) > 1 ? `${l} #${first.slice(0, i + 1).filter((x) => x === l).length}` : l));
}

/** Each input's targets verdicts, as its summary carries them (src/analysis/resources.ts). */
export function compareTargets(inputs: readonly CompareInput[]) {
  return inputs.map((i) => {
    const rec = i.summary.recommendation;
    return { input: i.label, recommendationMeetsTargets: rec.targetsMet, deploymentMeetsTargets: deploymentMeetsTargets(rec), missed: missedTargets(rec) };
  });
}

/** The comparison's figures as one table: a row per figure, a column per input's value and per difference (with its 95% interval) from the baseline. */
export function comparisonTable(c: Comparison): ResultTable {
  const others = c.inputs.slice(1).map((i) => i.label);
  const header = [
    'figure',
    'unit',
    ...c.inputs.map((i) => i.label),
    ...others.flatMap((l) => [`${l} - ${c.baseline}`, `${l} - ${c.baseline} ci95 low`, `${l} - ${c.baseline} ci95 high`]),
  ];
  const rows = c.figures.map((f) => [
    f.label,
    String(f.unit),
    ...c.inputs.map((i) => f.values.find((v) => v.input === i.label)?.value ?? null),
    ...others.flatMap((l) => {
      const d = f.differences.find((x) => x.input === l);
      return [d?.difference ?? null, d?.ci95?.[0] ?? null, d?.ci95?.[1] ?? null];
    }),
  ]);
  return { header, rows };
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'input';

/** Simulate a scenario input (and price it with the shipped catalogs when that works). */
async function simulate(p: Extract<Pending, { kind: 'scenario' }>, label: string, o: CompareCommandOptions, version: string, io: Io): Promise<CompareInput> {
  const scenario: Scenario = p.loaded.scenario;
  const progress = !o.quiet && io.errIsTTY;
  // The cost is optional in a comparison: left out when the catalogs or settings do not allow it.
  let cost: PipelineOptions['cost'];
  try {
    cost = { catalogs: loadCostCatalogs([]), options: costOptions(scenario.cost, {}, { file: p.path, allOptions: false }), optional: true };
  } catch {
    cost = undefined;
  }
  const { run } = await runPipeline(p.loaded, {
    seed: o.seed,
    replications: o.replications,
    overrides: o.set ?? [],
    version,
    verify: o.verify === true,
    cost,
    onProgress: progress ? (fraction: number, phase: string) => io.err(`\r${label}: ${phase} (${Math.round(fraction * 100)}%)   `) : undefined,
  });
  if (progress) io.err('\n');
  return {
    label,
    path: p.path,
    kind: 'scenario',
    summary: run.summary,
    samples: samplesFromResults(run.results, scenario.run.days),
    series: {
      binStartSeconds: run.series.binStartSeconds,
      binMinutes: scenario.run.binMinutes,
      clientBytesOut: run.series.columns['client.bytes_out'] ?? [],
      onlineUsers: run.series.columns['online.users'] ?? [],
    },
    storageHorizon: run.storage.map((m) => ({ month: m.month, totalBytes: m.total })),
  };
}

/** A run folder's inputs: its summary and the CSV files it has, all checked when it was read. */
function fromRunFolder(p: Extract<Pending, { kind: 'run' }>, label: string): CompareInput {
  const { summary: s, tables } = p.folder;
  const parse = <T>(text: string | null | undefined, f: (text: string) => T): T | null => (text == null ? null : f(text));
  return {
    label,
    path: p.path,
    kind: 'run',
    summary: s,
    samples: parse(tables['data/replications.csv'], (t) => samplesFromReplicationsCsv(t, s.simulatedDays)) ?? {},
    series: parse(tables['data/client.csv'], (t) => seriesFromClientCsv(t, s.binMinutes)),
    storageHorizon: parse(tables['data/storage-horizon.csv'], storageFromHorizonCsv),
  };
}

export async function compareCommandAction(paths: string[], o: CompareCommandOptions, io: Io, version: string): Promise<void> {
  if (paths.length < 2) throw new MxsimError('usage', msg.tooFewInputs(paths.length));
  const pending: Pending[] = [];
  for (const path of paths) pending.push(await checkInput(path, o.set ?? []));
  const labels = uniqueLabels(pending.map(nameOf), paths);
  const [firstLabel, secondLabel] = labels; // one per path, and there are at least two
  const dir = o.out ?? `reports/compare-${slug(present(firstLabel, 'the first label'))}-vs-${slug(present(secondLabel, 'the second label'))}`;
  // Before anything runs: each scenario within what this machine can do, and the report writable.
  for (const p of pending)
    if (p.kind === 'scenario') preflight(p.loaded.scenario, { replications: o.replications, verify: o.verify === true, allowLarge: o.allowLarge, quiet: o.quiet }, io);
  const note = (text: string) => io.err(msg.warning(text));
  checkOutput(dir, o.force === true, { onNote: note });
  // One after the other: a comparison's inputs simulate in order, each on every core it is given.
  const inputs: CompareInput[] = [];
  for (const [i, p] of pending.entries()) {
    const label = labels[i] ?? p.path;
    inputs.push(p.kind === 'run' ? fromRunFolder(p, label) : await simulate(p, label, o, version, io));
  }
  const comparison = buildComparison(inputs, version);
  for (const w of comparison.warnings) io.err(msg.warning(w));
  await writeReport(dir, await (await import('../report/compare.js')).compareFiles(comparison, inputs, o.png === true), o.force === true, version, note);
  const format = outputFormat(o);
  const targets = compareTargets(inputs);
  // --json prints comparison.json as written; --output json adds each input's verdicts and the report's path.
  const document = () => (o.json === true ? comparison : { ...comparison, targets, report: `${dir}/index.html` });
  const table = () =>
    [
      `${comparison.inputs.map((i) => i.label).join(' vs ')} (baseline ${comparison.baseline}; differences with Welch 95% confidence intervals)`,
      ...comparison.warnings.map((w) => `warning: ${w}`),
      ...comparison.statements,
      `report: ${dir}/index.html`,
    ].join('\n') + '\n';
  io.out(render(format, { table, json: document, rows: () => comparisonTable(comparison) }));
  if (format !== 'table' && !o.quiet) io.err(`report: ${dir}\n`);
  if (o.strict) {
    const cannot = targets.filter((t) => t.missed === 'recommendation').map((t) => t.input);
    if (cannot.length > 0) throw new MxsimError('targets.missed', msg.compareTargetsMissed(cannot, 'recommendation', dir));
    const missed = targets.filter((t) => t.missed === 'deployment').map((t) => t.input);
    if (missed.length > 0) throw new MxsimError('targets.deployment', msg.compareTargetsMissed(missed, 'deployment', dir));
  }
}

export function compareCommand(io: Io, version: string): Command {
  return new Command('compare')
    .description('compare runs side by side: key figures and differences against the first, with 95% confidence intervals')
    .argument('<inputs...>', 'run folders (written by mxsim run) or scenario files (simulated first); the first is the baseline')
    .option('--out <dir>', 'report folder (default: reports/compare-<first>-vs-<second>)')
    .option('--set <path=value>', 'override a field of every scenario file given, e.g. features.presence=false (repeatable)', collect)
    .addOption(new Option('--seed <seed>', "run seed for scenario files (default: each scenario's run.seed)").argParser(parseField('--seed', ['run', 'seed'])))
    .addOption(
      new Option('--replications <n>', "replications for scenario files (default: each scenario's run.replications)").argParser(
        parseInteger('--replications', 1, MAX_REPLICATIONS),
      ),
    )
    .option('--verify', 're-simulate the recommended deployment of scenario files (slower; off by default)')
    .option('--force', 'replace an existing report folder (only one mxsim wrote)')
    .option('--allow-large', 'simulate scenario files even when their estimated memory or CPU time exceeds what this machine can do')
    .addOption(outputOption('the differences in words').conflicts('json'))
    .option('--json', "print comparison.json to stdout, with each input's targets verdicts (same as --output json)")
    .option(
      '--strict',
      `exit with ${EXIT.targetsMissed} when any input's recommendation cannot meet its targets, ${EXIT.deploymentMissesTargets} when any deployment as simulated misses them`,
    )
    .option('--quiet', 'no progress on stderr')
    .option('--png', 'also write each chart as charts/NAME.png')
    .addHelpText(
      'after',
      '\nExamples:\n  mxsim compare reports/company-2000 reports/no-presence\n  mxsim compare scenarios/company-2000.json scenarios/university-30000.json --out reports/company-vs-university\n',
    )
    .action(async function (this: Command, paths: string[]) {
      await compareCommandAction(paths, this.opts<CompareCommandOptions>(), io, version);
    });
}
