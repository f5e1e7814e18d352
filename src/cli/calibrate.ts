/**
 * `mxsim calibrate --metrics DIR|FILE... | --prometheus URL --from T --to T
 * --scenario FILE [--out FILE]`: fit mxsim's costs to a Synapse server's
 * Prometheus metrics (saved, or asked of a live server) and write
 * the calibration file `mxsim run --calibration` reads (docs/CALIBRATE.md).
 * The metrics are read and fitted before anything is written; on any
 * problem nothing is.
 */
import { Command } from 'commander';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { calibrateWithSeries, metricsFiles } from '../calibrate/calibrate.js';
import { answerFileName, checkPrometheusOptions, DEFAULT_STEP_SECONDS, fetchMetrics } from '../calibrate/prometheus.js';
import { CalibrationSchema, overridesOf, type Calibration } from '../calibrate/calibration-file.js';
import { calibrateMessages as CM } from '../calibrate/messages.js';
import { MxsimError } from '../errors.js';
import type { Scenario } from '../scenario/grammar.js';
import { loadScenarioFile } from '../scenario/load.js';
import { checkOutput, stageReport, type StagedReport } from '../report/write.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { collect } from './validate.js';

export interface CalibrateOptions {
  metrics?: string[];
  /** A live Prometheus's base URL, and the window and step to ask for (src/calibrate/prometheus.ts). */
  prometheus?: string;
  from?: string;
  to?: string;
  step?: string;
  selector?: string;
  /** Keep Prometheus's answers in this folder, as files `--metrics` reads again. */
  save?: string;
  scenario?: string;
  out?: string;
  force?: boolean;
  /** The fit report's folder; false: --no-report; undefined: beside --out (`reportDirOf`). */
  report?: string | false;
}

/** The fit report's default folder: the calibration file's path without `.json`, plus `-report`. */
export const reportDirOf = (out: string): string => `${out.replace(/\.json$/, '')}-report`;

/** R² to three decimals, without a minus sign on a zero. */
const r2 = (x: number) => (Math.abs(x) < 0.0005 ? 0 : x).toFixed(3);

/** The fit summary the command prints: each coefficient shipped -> fitted [interval], or why it was kept, and R^2. */
export function calibrationSummary(c: Calibration, out: string, reportDir: string | null = null): string {
  const q = c.cpu.quality;
  const lines = [
    `calibration of ${c.server.scenario} (${c.server.implementation}, ${c.server.processes.map((p) => `${p.instances} ${p.kind}`).join(', ')}) from ${c.window.from} to ${c.window.to}, ${c.window.intervals} intervals of ${c.window.stepSeconds} s`,
    `CPU per operation, ms (shipped -> fitted [95% interval]):`,
    ...c.cpu.coefficients.map((k) => CM.summaryLine(k.name, k.shipped, k.value, k.interval, k.unit, k.reason)),
    `  idle CPU ${c.cpu.idleCores.value.toFixed(3)} cores; R^2 ${r2(q.total.rSquared)}, residual sd ${q.total.residualSd.toPrecision(2)} cores` +
      (Object.keys(q.byKind).length > 1
        ? `; by job: ${Object.entries(q.byKind)
            .map(([k, v]) => `${k} ${r2(v.rSquared)}`)
            .join(', ')}`
        : ''),
    ...(c.cpu.byKind === undefined
      ? []
      : [
          `where the CPU lands, ms per operation by job (the deployment's value above is what runs use):`,
          ...c.cpu.byKind.map(
            (k) =>
              `  ${k.kind.padEnd(Math.max(22, ...c.cpu.byKind!.map((x) => x.kind.length + 1)))} ${k.coefficients.map((x) => `${x.name} ${Number(x.value.toPrecision(3))}`).join(', ')}; idle ${k.idleCores.value.toFixed(3)} cores`,
          ),
        ]),
    `memory:`,
    ...c.memory.coefficients.map((k) => CM.summaryLine(k.name, k.shipped, k.value, k.interval, k.unit, k.reason)),
    ...(c.memory.quality ? [`  R^2 ${r2(c.memory.quality.rSquared)}`] : []),
    `wrote ${out}; use it with: mxsim run SCENARIO --calibration ${out}`,
    ...(reportDir === null ? [] : [CM.reportWritten(reportDir)]),
  ];
  return lines.join('\n') + '\n';
}

export async function calibrateAction(o: CalibrateOptions, io: Io, version: string): Promise<Calibration> {
  const live = o.prometheus !== undefined;
  if (live && o.metrics !== undefined) throw new MxsimError('usage', CM.usageBothSources);
  if (!live && (o.metrics === undefined || o.metrics.length === 0)) throw new MxsimError('usage', CM.usageSource);
  const liveOnly = (['from', 'to', 'step', 'selector', 'save'] as const).filter((k) => !live && o[k] !== undefined).map((k) => `--${k}`);
  if (liveOnly.length > 0) throw new MxsimError('usage', CM.usageLiveOnly(liveOnly));
  const query = live ? checkPrometheusOptions({ ...o, prometheus: o.prometheus! }, Date.now() / 1000) : null;
  if (o.scenario === undefined) throw new MxsimError('usage', CM.usageScenario);
  const out = o.out ?? 'calibration.json';
  const reportDir = o.report === false ? null : (o.report ?? reportDirOf(out));
  // The outputs may not be one another or inside one another: each replaces its path whole.
  const outputs = [['--out', out] as const, ...(o.save === undefined ? [] : [['--save', o.save] as const]), ...(reportDir === null ? [] : [['--report', reportDir] as const])];
  for (const [i, [na, pa]] of outputs.entries())
    for (const [nb, pb] of outputs.slice(i + 1)) {
      const ra = resolve(pa);
      const rb = resolve(pb);
      if (ra === rb || rb.startsWith(ra + sep) || ra.startsWith(rb + sep)) throw new MxsimError('usage', CM.outputsClash(na, pa, nb, pb));
    }
  const note = (n: string) => io.err(cliMessages.warning(n));
  if (o.save !== undefined) checkOutput(o.save, o.force === true, { onNote: note, option: '--save' });
  if (existsSync(out) && statSync(out).isDirectory()) throw new MxsimError('output.invalid', CM.outIsFolder(out));
  if (existsSync(out) && o.force !== true) throw new MxsimError('output.exists', CM.outExists(out));
  if (!existsSync(dirname(resolve(out)))) throw new MxsimError('output.invalid', CM.outNoFolder(out));
  if (reportDir !== null) checkOutput(reportDir, o.force === true, { onNote: note, option: '--report' });
  const { scenario, warnings } = await loadScenarioFile(o.scenario, []);
  for (const w of warnings) io.err(cliMessages.warning(w));
  const answers = query === null ? null : await fetchMetrics(query);
  const { calibration: cal, series } = calibrateWithSeries(
    answers === null ? metricsFiles(o.metrics ?? []) : { texts: answers.map((a) => ({ text: a.text, source: a.url })) },
    scenario,
    version,
  );
  // Everything is computed before anything is written: the report's files too.
  const report = reportDir === null ? null : await (await import('../report/calibration-report.js')).fitReportFiles(cal, series, version);
  // All or none: the file to a temporary file beside it; then the answers as files `--metrics` reads again (the same
  // fit, offline) and the report folder, each in place with its previous content kept aside; then the file renamed.
  // On any failure the new folders go and the previous ones come back.
  const tmp = `${out}.tmp-${process.pid}`;
  const staged: StagedReport[] = [];
  try {
    writeFileSync(tmp, JSON.stringify(cal, null, 2) + '\n');
    if (answers !== null && o.save !== undefined)
      staged.push(await stageReport(o.save, new Map(answers.map((a, i) => [answerFileName(answers, i), a.text])), o.force === true, version, { option: '--save' }));
    if (reportDir !== null && report !== null) staged.push(await stageReport(reportDir, report, o.force === true, version, { option: '--report' }));
    renameSync(tmp, out);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Not a file this run wrote (a folder in its way): left as it is.
    }
    for (const s of staged.reverse()) s.rollback();
    if (e instanceof MxsimError) throw e;
    throw new MxsimError('output.unwritable', CM.cannotWrite(out, e instanceof Error ? e.message : String(e)));
  }
  for (const s of staged) s.commit();
  io.out(calibrationSummary(cal, out, reportDir));
  return cal;
}

/**
 * A calibration file read for `mxsim run --calibration`: checked against its
 * schema and the scenario's implementation, turned into the scenario's
 * run.server.calibration. Returns the scenario with it, and the names of the
 * cost fields it replaces.
 */
export function applyCalibrationFile(file: string, scenario: Scenario): { scenario: Scenario; replaced: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MxsimError('input.unreadable', `${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new MxsimError('calibration.invalid', CM.calibrationNotJson(file, e instanceof Error ? e.message : String(e)));
  }
  const parsed = CalibrationSchema.safeParse(doc);
  if (!parsed.success)
    throw new MxsimError(
      'calibration.invalid',
      CM.calibrationInvalid(
        file,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`),
      ),
    );
  const c = parsed.data;
  const impl = scenario.run.server.implementation;
  if (c.server.implementation !== impl)
    throw new MxsimError(
      'calibration.invalid',
      CM.calibrationInvalid(file, [`server.implementation: calibrated for ${JSON.stringify(c.server.implementation)}, the scenario runs ${JSON.stringify(impl)}`]),
    );
  const o = overridesOf(c);
  return {
    scenario: { ...scenario, run: { ...scenario.run, server: { ...scenario.run.server, calibration: { source: file, cpu: o.cpu, memory: o.memory } } } },
    replaced: o.names,
  };
}

export function calibrateCommand(io: Io, version: string): Command {
  return new Command('calibrate')
    .description("fit mxsim's costs to a Synapse server's Prometheus metrics (saved, or read from a live Prometheus) and write a calibration file")
    .option('--metrics <path>', 'a metrics file (query_range JSON or the text format with timestamps) or a folder of them (repeatable)', collect)
    .option('--prometheus <url>', "a live Prometheus's base URL (http://prometheus:9090): the metrics are asked for with range queries")
    .option('--from <time>', 'with --prometheus: the window start (RFC 3339 such as 2026-01-01T00:00:00Z, seconds since the epoch, or now-3d)')
    .option('--to <time>', 'with --prometheus: the window end (same forms; now)')
    .option('--step <duration>', `with --prometheus: the step of the range queries (default ${DEFAULT_STEP_SECONDS}s; 5m, 60s)`)
    .option('--selector <matcher>', 'with --prometheus: a label matcher added to each metric, e.g. \'{job=~"synapse.*"}\'')
    .option('--save <dir>', "with --prometheus: keep Prometheus's answers in this folder (a later --metrics DIR fits them again, offline)")
    .option('--scenario <file>', 'the scenario describing the server: users, rooms, deployment')
    .option('--out <file>', 'the calibration file to write (default: calibration.json)')
    .option('--force', 'replace the calibration file (and the report folder) if it exists')
    .option('--report <dir>', 'the fit report folder to write (default: the --out path without .json, plus -report)')
    .option('--no-report', 'write no fit report')
    .addHelpText(
      'after',
      '\nExamples:\n  mxsim calibrate --prometheus http://prometheus:9090 --from now-3d --to now --scenario my-server.json --out my-server.calibration.json\n  mxsim calibrate --metrics metrics/ --scenario my-server.json --out my-server.calibration.json\n  mxsim run my-server.json --calibration my-server.calibration.json\n',
    )
    .action(async function (this: Command) {
      await calibrateAction(this.opts<CalibrateOptions>(), io, version);
    });
}
