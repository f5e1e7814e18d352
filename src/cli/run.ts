/**
 * `mxsim run SCENARIO`: the main job. Load and validate the scenario, run the
 * replications, summarize, and write the report folder atomically.
 */
import { Command, Option } from 'commander';
import { runPipeline, type PhaseTiming } from '../pipeline.js';
import { defaultJobs, MAX_JOBS } from '../analysis/pool.js';
import { checkCostOptions, type CostSummary, type ReportRun } from '../cost/run.js';
import { costOptions } from '../cost/settings.js';
import { formatBytes, formatCount, formatMilliseconds, formatMoney } from '../format/index.js';
import { roundSignificant } from '../numeric/index.js';
import { displayTitle } from '../scenario/display.js';
import { MAX_REPLICATIONS } from '../scenario/grammar.js';
import { loadScenarioFile } from '../scenario/load.js';
import { implementationProfile } from '../server/topology.js';
import { checkOutput, writeReport } from '../report/write.js';
import { loadCostCatalogs } from './cost.js';
import { EXIT, MxsimError } from '../errors.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { paint } from './colour.js';
import { outputFormat, outputOption, render, type OutputFormat } from './output.js';
import { parseField } from './parse-field.js';
import { parseInteger } from './parse.js';
import { preflight } from './preflight.js';
import { progressBar } from './progress.js';
import { missedTargets, runDocument, runTable } from './run-output.js';
import { collect } from './validate.js';
import { applyCalibrationFile } from './calibrate.js';

export interface RunCommandOptions {
  seed?: string;
  replications?: number;
  out?: string;
  /** Print summary.json to stdout (the whole summary; --output json prints the headline document). */
  json?: boolean;
  output?: OutputFormat;
  set?: string[];
  force?: boolean;
  quiet?: boolean;
  png?: boolean;
  timings?: boolean;
  verify?: boolean;
  /** Extra price catalogs (--prices, repeatable). */
  prices?: string[];
  /** Exchange rates (--rate, repeatable), added to the scenario's cost.rates. */
  rate?: string[];
  /** Exit with EXIT.targetsMissed when the recommendation cannot meet its targets, EXIT.deploymentMissesTargets when the deployment as simulated misses them. */
  strict?: boolean;
  /** Run even when the pre-flight estimate exceeds what this machine can do. */
  allowLarge?: boolean;
  /** Threads the replications run on (default: `jobsFor` the estimate). */
  jobs?: number;
  /** A calibration file (`mxsim calibrate`) whose fitted costs replace the shipped ones. */
  calibration?: string;
}

/**
 * A run whose simulations are estimated under this many CPU seconds each
 * runs in this thread unless --jobs says otherwise. A worker thread compiles
 * the model again (2 to 3 s of CPU on V8's compiler threads), and the
 * verification compiles it once more in the main thread, so shorter
 * simulations do not pay their threads back: the default run (company-2000,
 * 0.68 s a simulation estimated) took 10.1 and 10.7 s of CPU and 7.9 and
 * 8.3 s of wall time with --jobs 1, against 12.2 and 14.7 s of CPU and 8.1
 * and 9.7 s of wall time with --jobs 2 on 2 cores (2026-11-30).
 */
export const SERIAL_BELOW_CPU_SECONDS_PER_SIMULATION = 1;

/** The threads of a run: --jobs when given, else every core this process may use, or 1 when its simulations are estimated under SERIAL_BELOW_CPU_SECONDS_PER_SIMULATION each. */
export function jobsFor(jobs: number | undefined, simulationCpuSeconds: number, simulations: number): number {
  return jobs ?? (simulationCpuSeconds / Math.max(1, simulations) < SERIAL_BELOW_CPU_SECONDS_PER_SIMULATION ? 1 : Math.min(MAX_JOBS, defaultJobs()));
}

/** The headline a person reads first: what to deploy, why, and what the workload is; verdicts in colour when `colour`. */
export function headline(run: ReportRun, dir: string, colour = false): string {
  const s = run.summary;
  const t = s.traffic;
  const rec = s.recommendation;
  const messages = (t.eventsPerDay['m.room.message']?.mean ?? 0) + (t.eventsPerDay['m.room.encrypted']?.mean ?? 0);
  const profile = implementationProfile(rec.implementation);
  const name = profile?.name ?? rec.implementation;
  const deployment =
    rec.deployment.kind === 'workers'
      ? `${name} with ${rec.deployment.processes - 1} workers (${Object.entries(rec.deployment.workers ?? {})
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')})`
      : rec.deployment.kind === 'monolith'
        ? `${name} as one process (a monolith)`
        : `${name} on ${rec.deployment.serverCores} cores`;
  const dbCores = rec.databaseCores > 0 ? ` (of which PostgreSQL ${rec.databaseCores})` : '';
  const p = rec.targets.latencyPercentile;
  const met = rec.simulatedDeploymentMeetsTargets;
  const byComponent = Object.entries(rec.coresByComponent)
    .map(([k, n]) => `${k} ${n.toFixed(2)}`)
    .join(', ');
  const sizedFor = rec.horizonUsers !== s.world.users ? ` for the ${formatCount(rec.horizonUsers)} users of month ${s.storage.horizonMonths}` : '';
  const lines = [
    `${displayTitle(s.scenario.name, s.scenario.overrides)}: ${formatCount(s.world.users)} users, ${formatCount(s.world.rooms)} rooms, ${formatCount(s.world.remoteServers)} remote servers; ${s.replications} replications of ${s.simulatedDays} day(s), seed ${s.seed}`,
    ...(rec.targetsMet
      ? []
      : [
          `${paint('TARGETS NOT MET', 'fail', colour)}: ${rec.limit?.mechanism ?? 'the re-simulated deployment misses its targets'}`,
          `  lever: ${rec.limit?.lever ?? 'see the notes'}`,
        ]),
    `recommendation${sizedFor}: ${deployment}`,
    `  ${rec.cores} cores${dbCores}, ${rec.ramGiB} GiB RAM, ${rec.diskGiB} GiB disk for ${s.storage.horizonMonths} months, ${rec.bandwidthMbps} Mbit/s`,
    `  range with every cost at its low or high end: ${rec.band.low.cores}-${rec.band.high.cores} cores, ${rec.band.low.ramGiB}-${rec.band.high.ramGiB} GiB RAM`,
    `  cores needed by component (p95 CPU over the ${Math.round(rec.targets.cpuUtilization * 100)}% ceiling): ${byComponent}`,
    `  bottleneck: ${rec.bottleneck} (${(rec.bottleneckUtilizationP95 * 100).toFixed(0)}% at the p95 bin); targets met up to about ${formatCount(rec.saturationUsers)} users (${rec.saturationMethod === 'simulated' ? 'simulated' : 'linear estimate'})`,
    `as simulated (${s.resources.processes.length} process${s.resources.processes.length === 1 ? '' : 'es'}): ${met.cpu && met.latency ? paint('meets', 'ok', colour) : paint('does not meet', 'fail', colour)} the targets; local send ${p} ${formatMilliseconds(s.latencyMs.localSend[p].mean)} (bound ${formatMilliseconds(rec.targets.localSendMs)}), ${s.resources.totalCores.p95.toFixed(2)} cores busy at p95`,
    `  messages sent/day        ${formatCount(messages)}`,
    `  peak online users        ${formatCount(s.activity.peakOnlineUsers.mean)} (${(s.activity.peakOnlineShare.mean * 100).toFixed(1)}%)`,
    `  client traffic/day       ${formatBytes(t.client.bytesOutPerDay.mean)} out, ${formatBytes(t.client.bytesInPerDay.mean)} in`,
    `  federation/day           ${formatBytes(t.federation.bytesOutPerDay.mean)} out in ${formatCount(t.federation.transactionsSentPerDay.mean)} transactions, ${formatBytes(t.federation.bytesInPerDay.mean)} in`,
    `  media/day                ${formatBytes(t.media.bytesInPerDay.mean)} in, ${formatBytes(t.media.bytesOutPerDay.mean)} out`,
    `  storage                  ${formatBytes(s.storage.bytesAtStart.mean)} at start, +${formatBytes(s.storage.bytesPerDay.mean)}/day, ${formatBytes(s.storage.bytesAtEnd.mean)} after ${s.storage.horizonMonths} months`,
    ...(profile?.notice ? [`note: ${profile.notice}`] : []),
    ...rec.notes.map((n) => `note: ${n}`),
    ...costLines(s.cost),
    `report: ${dir}/index.html`,
  ];
  return lines.join('\n') + '\n';
}

/** The headline's cost lines: cheapest self-hosting, the cheapest SaaS plan, break-even, rates used. */
export function costLines(c: CostSummary | undefined): string[] {
  if (c === undefined) return [];
  const H = c.horizonMonths;
  if (c.saas === null) return [`cost: not computed (${c.notes.map((n) => n.replace(/^cost not computed: /, '')).join('; ')})`];
  const basis = `${c.currency}, ${c.vatIncluded ? 'incl.' : 'excl.'} VAT`;
  const lines: string[] = [];
  const h = c.selfHost;
  lines.push(
    h
      ? `cost (${basis}): self-hosting on ${c.provider} ${formatMoney(h.monthly, c.currency)} in month 1 (${formatMoney(h.perUserMonthly, c.currency)} per user), ${formatMoney(h.horizonTotal, c.currency)} over ${H} months`
      : `cost (${basis}): self-hosting not priced: no provider in scope (see summary.json cost.notes)`,
  );
  const cheapest = [...c.saas].sort((a, b) => a.horizonTotal - b.horizonTotal || a.plan.localeCompare(b.plan))[0];
  if (cheapest) {
    const plan = cheapest.plan.toLowerCase().startsWith(cheapest.vendor.toLowerCase()) ? cheapest.plan : `${cheapest.vendor} ${cheapest.plan}`;
    const be = c.breakEven?.find((b) => b.vendor === cheapest.vendor && b.plan === cheapest.plan);
    const breakEven =
      !h || !be ? '' : be.month === null ? `; no break-even within ${H} months` : be.month === 1 ? '; self-hosting is cheaper from month 1' : `; break-even in month ${be.month}`;
    lines.push(
      `  vs cheapest SaaS ${plan}: ${formatMoney(cheapest.monthly, c.currency)} in month 1, ${formatMoney(cheapest.horizonTotal, c.currency)} over ${H} months${breakEven}`,
    );
  } else {
    lines.push('  no SaaS plan in scope to compare (see summary.json cost.notes)');
  }
  if (c.rates.length > 0)
    lines.push(`  rates: ${c.rates.map((r) => `1 ${r.from} = ${roundSignificant(r.rate, 6)} ${r.to} (${r.inverse ? `inverse of ${r.stated}` : r.stated})`).join('; ')}`);
  return lines;
}

export async function runCommandAction(file: string, o: RunCommandOptions, io: Io, version: string): Promise<void> {
  // Pipeline steps 1-3 (src/pipeline.ts): load, validate, normalize.
  const loaded = await loadScenarioFile(file, o.set ?? []);
  for (const w of loaded.warnings) io.err(cliMessages.warning(w));
  // Fitted costs (docs/CALIBRATE.md) go into the scenario the run simulates, so every thread and the report see them.
  const calibration = o.calibration === undefined ? null : applyCalibrationFile(o.calibration, loaded.scenario);
  if (calibration !== null) loaded.scenario = calibration.scenario;
  const { scenario } = loaded;
  const dir = o.out ?? `reports/${scenario.name}`;
  // Before anything runs: is the run within what this machine can do, and can its report be written?
  const estimate = preflight(scenario, { replications: o.replications, verify: o.verify !== false, allowLarge: o.allowLarge, quiet: o.quiet }, io);
  const note = (text: string) => io.err(cliMessages.warning(text));
  checkOutput(dir, o.force === true, { needBytes: estimate.reportBytes, onNote: note });
  // Catalogs, rates and cost settings are checked before anything is simulated;
  // a missing exchange rate is not an error here: the run says why it has no cost.
  const catalogs = loadCostCatalogs(o.prices ?? []);
  const options = costOptions(scenario.cost, { rates: o.rate ?? [] }, { file, allOptions: false });
  checkCostOptions(catalogs, options);
  const started = performance.now();
  const progress = progressBar(io, !o.quiet && io.errIsTTY);
  // Steps 4-8: simulate, summarize, verify, cost, render.
  const { run, files } = await runPipeline(loaded, {
    seed: o.seed,
    replications: o.replications,
    overrides: o.set ?? [],
    version,
    verify: o.verify !== false,
    jobs: jobsFor(o.jobs, estimate.simulationCpuSeconds, estimate.inputs.replications + estimate.inputs.extraSimulations),
    cost: { catalogs, options },
    render: true,
    png: o.png === true,
    ...(o.timings ? { onPhase: (t: PhaseTiming) => io.err(`${JSON.stringify({ timing: t })}\n`) } : {}),
    onProgress: (fraction, phase) => progress.update(fraction, phase),
  });
  progress.stop();
  const writing = { cpu: process.cpuUsage(), wall: performance.now() };
  await writeReport(dir, files ?? new Map(), o.force === true, version, note);
  if (o.timings) {
    const cpu = process.cpuUsage(writing.cpu);
    const t = { phase: 'write', cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: (performance.now() - writing.wall) / 1000 };
    io.err(`${JSON.stringify({ timing: t })}\n`);
  }
  const wall = (performance.now() - started) / 1000;
  const format = o.json ? 'summary' : outputFormat(o);
  if (format === 'summary') io.out(JSON.stringify(run.summary, null, 2) + '\n');
  else io.out(render(format, { table: () => headline(run, dir, io.outColour === true), json: () => runDocument(run, dir), rows: () => runTable(runDocument(run, dir)) }));
  if (!o.quiet) io.err(format === 'table' ? `${run.results.reduce((n, r) => n + r.events, 0)} events in ${wall.toFixed(1)} s\n` : `report: ${dir} (${wall.toFixed(1)} s)\n`);
  if (calibration !== null) io.err(cliMessages.calibrated(o.calibration ?? '', calibration.replaced));
  const rec = run.summary.recommendation;
  // The verdicts the summary carries (src/analysis/resources.ts); --strict turns a missed one into the exit code.
  const missed = missedTargets(rec);
  if (missed === 'recommendation') {
    const what = cliMessages.targetsMissed(rec.limit?.mechanism ?? 'a target is missed', rec.limit?.lever ?? 'see the notes', dir);
    if (o.strict) throw new MxsimError('targets.missed', what);
    if (format !== 'table') io.err(cliMessages.warning(what));
  } else if (missed === 'deployment') {
    const what = cliMessages.deploymentMissesTargets(run.summary.scenario.name, dir);
    if (o.strict) throw new MxsimError('targets.deployment', what);
    if (format !== 'table') io.err(cliMessages.warning(what));
  }
}

export function runCommand(io: Io, version: string): Command {
  return new Command('run')
    .description('simulate a scenario and write its report (HTML, Markdown, charts, summary.json, CSV)')
    .argument('<scenario>', 'scenario file (JSON)')
    .addOption(new Option('--seed <seed>', "run seed (default: the scenario's run.seed)").argParser(parseField('--seed', ['run', 'seed'])))
    .addOption(new Option('--replications <n>', "replications (default: the scenario's run.replications)").argParser(parseInteger('--replications', 1, MAX_REPLICATIONS)))
    .option('--out <dir>', 'report folder (default: reports/<scenario name>)')
    .option('--set <path=value>', 'override a scenario field, e.g. population.users=5000 (repeatable)', collect)
    .option('--force', 'replace an existing report folder (only one mxsim wrote: it holds .mxsim-report)')
    .addOption(outputOption('the headline: recommendation, cost, targets').conflicts('json'))
    .option('--json', 'print the whole summary.json to stdout (--output json prints the headline figures)')
    .option('--quiet', 'no progress or timing on stderr')
    .option('--timings', "print each step's CPU and wall time to stderr, one JSON line per step (npm run bench reads them)")
    .option('--png', 'also write each chart as charts/NAME.png (the page and summary.md use the SVG; rasterising takes about a second per run)')
    .option('--prices <file>', 'an extra price catalog (CSV), added to data/prices for the cost comparison (repeatable)', collect)
    .option(
      '--rate <from:to=rate>',
      "exchange rate, 1 FROM = RATE TO, e.g. USD:EUR=0.92; added to the scenario's cost.rates, replacing one for the same pair (repeatable)",
      collect,
    )
    .option(
      '--strict',
      `exit with ${EXIT.targetsMissed} when the recommendation cannot meet its targets, ${EXIT.deploymentMissesTargets} when the deployment as simulated misses them (the report is still written)`,
    )
    .option('--allow-large', 'run even when the estimated memory or CPU time exceeds what this machine can do (docs/OUTPUT.md "Limits")')
    .addOption(
      new Option(
        '--jobs <n>',
        `threads the replications run on, 1 to ${MAX_JOBS}; the results are the same for any number (default: the cores available; 1 for a run whose simulations are estimated under ${SERIAL_BELOW_CPU_SECONDS_PER_SIMULATION} CPU second each)`,
      ).argParser(parseInteger('--jobs', 1, MAX_JOBS)),
    )
    .option('--calibration <file>', 'a calibration file from `mxsim calibrate`: its fitted costs replace the shipped ones (docs/CALIBRATE.md)')
    .option('--no-verify', 'do not re-simulate the recommended deployment (faster; the recommendation is then from CPU sizing alone)')
    .addHelpText(
      'after',
      '\nExamples:\n  mxsim run scenarios/company-2000.json\n  mxsim run scenarios/company-2000.json --set features.presence=false --out reports/no-presence --force\n  mxsim run scenarios/company-2000.json --rate USD:EUR=0.92 --set cost.currency=EUR\n  mxsim run scenarios/team-50.json --output json --strict --quiet\n',
    )
    .action(async function (this: Command, file: string) {
      await runCommandAction(file, this.opts<RunCommandOptions>(), io, version);
    });
}
