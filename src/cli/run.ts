/**
 * `mxsim run SCENARIO`: the main job. Load and validate the scenario, run the
 * replications, summarize, and write the report folder atomically.
 */
import { Command, Option } from 'commander';
import { runScenario, type ScenarioRun } from '../analysis/run.js';
import { loadScenarioFile, ScenarioError } from '../scenario/load.js';
import { reportFiles } from '../report/files.js';
import { checkOutput, OutputExistsError, writeReport } from '../report/write.js';
import { formatBytes, formatCount } from '../report/format.js';
import { EXIT, UserError, type Io } from './io.js';
import { parseInteger } from './parse.js';
import { collect } from './validate.js';

export interface RunCommandOptions {
  seed?: string;
  replications?: number;
  out?: string;
  json?: boolean;
  set?: string[];
  force?: boolean;
  quiet?: boolean;
}

/** The headline a person reads first. */
export function headline(run: ScenarioRun, dir: string): string {
  const s = run.summary;
  const t = s.traffic;
  const messages = (t.eventsPerDay['m.room.message']?.mean ?? 0) + (t.eventsPerDay['m.room.encrypted']?.mean ?? 0);
  const lines = [
    `${s.scenario.name}: ${formatCount(s.world.users)} users, ${formatCount(s.world.rooms)} rooms, ${formatCount(s.world.remoteServers)} remote servers; ${s.replications} replications of ${s.simulatedDays} day(s), seed ${s.seed}`,
    `  messages sent/day        ${formatCount(messages)}`,
    `  peak online users        ${formatCount(s.activity.peakOnlineUsers.mean)} (${(s.activity.peakOnlineShare.mean * 100).toFixed(1)}%)`,
    `  client traffic/day       ${formatBytes(t.client.bytesOutPerDay.mean)} out, ${formatBytes(t.client.bytesInPerDay.mean)} in`,
    `  federation/day           ${formatBytes(t.federation.bytesOutPerDay.mean)} out in ${formatCount(t.federation.transactionsSentPerDay.mean)} transactions, ${formatBytes(t.federation.bytesInPerDay.mean)} in`,
    `  media/day                ${formatBytes(t.media.bytesInPerDay.mean)} in, ${formatBytes(t.media.bytesOutPerDay.mean)} out`,
    `  storage                  ${formatBytes(s.storage.bytesAtStart.mean)} at start, +${formatBytes(s.storage.bytesPerDay.mean)}/day, ${formatBytes(s.storage.bytesAtEnd.mean)} after ${s.storage.horizonMonths} months`,
    `report: ${dir}`,
  ];
  return lines.join('\n') + '\n';
}

export async function runCommandAction(file: string, o: RunCommandOptions, io: Io, version: string): Promise<void> {
  let loaded;
  try {
    loaded = await loadScenarioFile(file, o.set ?? []);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UserError(e.message, EXIT.invalidInput);
    throw e;
  }
  const { scenario, sha256 } = loaded;
  const dir = o.out ?? `reports/${scenario.name}`;
  try {
    checkOutput(dir, o.force === true);
  } catch (e) {
    if (e instanceof OutputExistsError) throw new UserError(e.message, EXIT.outputExists);
    throw e;
  }
  const started = performance.now();
  const progress = !o.quiet && io.errIsTTY;
  const run = runScenario(scenario, {
    seed: o.seed,
    replications: o.replications,
    sha256,
    overrides: o.set ?? [],
    version,
    onReplication: progress ? (done, total) => io.err(`\rreplication ${done}/${total}`) : undefined,
  });
  if (progress) io.err('\n');
  try {
    await writeReport(dir, reportFiles(run, scenario), o.force === true);
  } catch (e) {
    if (e instanceof OutputExistsError) throw new UserError(e.message, EXIT.outputExists);
    throw e;
  }
  const wall = (performance.now() - started) / 1000;
  if (o.json) {
    io.out(JSON.stringify(run.summary, null, 2) + '\n');
    if (!o.quiet) io.err(`report: ${dir} (${wall.toFixed(1)} s)\n`);
  } else {
    io.out(headline(run, dir));
    if (!o.quiet) io.err(`${run.results.reduce((n, r) => n + r.events, 0)} events in ${wall.toFixed(1)} s\n`);
  }
}

export function runCommand(io: Io, version: string): Command {
  return new Command('run')
    .description('simulate a scenario and write its report (summary.json and CSV series)')
    .argument('<scenario>', 'scenario file (JSON)')
    .option('--seed <seed>', 'run seed (default: the scenario\'s run.seed)')
    .addOption(new Option('--replications <n>', 'replications (default: the scenario\'s run.replications)').argParser(parseInteger('--replications', 1)))
    .option('--out <dir>', 'report folder (default: reports/<scenario name>)')
    .option('--set <path=value>', 'override a scenario field, e.g. population.users=5000 (repeatable)', collect)
    .option('--force', 'replace an existing report folder')
    .option('--json', 'print summary.json to stdout')
    .option('--quiet', 'no progress or timing on stderr')
    .addHelpText('after', '\nExamples:\n  mxsim run scenarios/company-2000.json\n  mxsim run scenarios/company-2000.json --set features.presence=false --out reports/no-presence --force\n')
    .action(async function (this: Command, file: string) {
      await runCommandAction(file, this.opts<RunCommandOptions>(), io, version);
    });
}
