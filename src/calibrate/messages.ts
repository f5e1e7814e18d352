/**
 * What `mxsim calibrate` says: the problems of metrics files (each with its
 * file, its series or line, and the value as written), why a coefficient is
 * kept, and the fit summary.
 */
import { formatBytes } from '../format/index.js';
import type { OpClass } from './classes.js';

const iso = (t: number) => (Number.isFinite(t) ? new Date(t * 1000).toISOString() : String(t));
const g = (x: number) => Number(x.toPrecision(3)).toString();
/** A value: bytes as KiB, MiB or GiB, anything else to 3 significant digits. */
const inUnit = (x: number, unit: string) => (unit === 'B' ? formatBytes(x) : g(x));
/** The unit after a figure, when the figure does not carry it. */
const unitAfter = (unit: string) => (unit === 'B' ? '' : ` ${unit}`);

export const calibrateMessages = {
  // --prometheus: the options, checked all at once, and the server's answers.
  optionProblems: (list: readonly string[]) =>
    `mxsim calibrate --prometheus: ${list.length} problem${list.length === 1 ? '' : 's'} (nothing asked, nothing written):\n${list.map((p) => `  ${p}`).join('\n')}`,
  badPrometheusUrl: (got: string) =>
    `--prometheus: expected the server's base URL, http:// or https:// with a host and no query (e.g. http://prometheus:9090), got ${JSON.stringify(got)}`,
  missingOption: (name: string) => `${name}: required with --prometheus (a time: RFC 3339 such as 2026-01-01T00:00:00Z, seconds since the epoch, or now-3d)`,
  badTime: (name: string, got: string) =>
    `${name}: expected RFC 3339 with a zone (2026-01-01T00:00:00Z), seconds since the epoch, now or now-DURATION (now-3d), got ${JSON.stringify(got)}`,
  badStep: (got: string) => `--step: expected a positive duration (300, 300s, 5m, 1h), got ${JSON.stringify(got)}`,
  windowOrder: (from: string, to: string) => `--from ${JSON.stringify(from)} is not before --to ${JSON.stringify(to)}: the window is empty`,
  windowFuture: (to: string) => `--to ${JSON.stringify(to)} is in the future: Prometheus has no samples there yet`,
  tooManyPoints: (points: number, max: number, step: string) =>
    `--step ${JSON.stringify(step)}: the window holds ${Math.ceil(points)} steps, more than ${max}; take a longer step (5m is what the fit's examples use)`,
  badSelector: (got: string) => `--selector: expected a label matcher in braces, such as {job=~"synapse.*"}, got ${JSON.stringify(got)}`,
  prometheusUnreachable: (base: string, url: string, why: string) =>
    `--prometheus ${base}: cannot be read (${why}) asking ${url}; check the URL and that Prometheus runs (nothing written)`,
  notPrometheus: (base: string, url: string, contentType: string, start: string) =>
    `--prometheus ${base}: the answer is not Prometheus's API (${contentType === '' ? 'no content type' : contentType}: ${JSON.stringify(start)}) asking ${url}; check the URL: its base, without /graph or a path of Grafana's (nothing written)`,
  timeInMilliseconds: (name: string, got: string) => `${name}: ${got} is milliseconds since the epoch, not seconds; give ${Math.floor(Number(got) / 1000)} (or RFC 3339)`,
  prometheusQuery: (url: string, status: number, detail: string) => `Prometheus refused the query (HTTP ${status}: ${detail}) asking ${url}; check --selector (nothing written)`,
  usageSource: '--metrics FILE|DIR or --prometheus URL is required (one of them): the metrics to fit (docs/CALIBRATE.md)',
  usageBothSources: '--metrics and --prometheus read the same series two ways: give one of them',
  usageLiveOnly: (names: readonly string[]) => `${names.join(', ')}: only with --prometheus (they choose what to ask a live Prometheus)`,
  problems: (list: readonly string[]) =>
    `the metrics cannot be used (${list.length} problem${list.length === 1 ? '' : 's'}; nothing written):\n${list.map((p) => `  ${p}`).join('\n')}`,
  notJson: (file: string, detail: string) => `${file}: not valid JSON (${detail}); expected a Prometheus query_range answer or the text exposition format`,
  notQueryRange: (file: string, status: string) => `${file}: not a successful Prometheus query_range answer: expected "status": "success" with "data", got status ${status}`,
  notMatrix: (file: string, type: string) => `${file}: data.resultType: expected "matrix" (a range query), got ${type}`,
  badResult: (at: string) => `${at}: expected {"metric": {...}, "values": [[time, "value"], ...]}`,
  noName: (at: string, metric: string) =>
    `${at}: the series has no __name__ label (${metric}); save the raw metric (e.g. query=process_cpu_seconds_total), not an expression such as rate(...)`,
  badSample: (at: string, series: string, got: string) => `${at}: ${series}: expected a [time, "value"] pair, got ${got}`,
  badValue: (at: string, series: string, got: string) => `${at}: ${series}: expected a finite number, got ${got}`,
  badLine: (at: string, line: string) => `${at}: not a sample line of the text exposition format: ${JSON.stringify(line)}`,
  noTimestamp: (at: string, name: string) => `${at}: ${name}: the sample has no timestamp; save scrapes with timestamps (Prometheus /federate) or query_range JSON`,
  timeOrder: (file: string, series: string, before: number, after: number) =>
    `${file}: ${series}: timestamps out of order: ${iso(after)} (${after}) after ${iso(before)} (${before})`,
  duplicateTime: (file: string, series: string, t: number, a: number, b: number) => `${file}: ${series}: two values at ${iso(t)}: ${a} and ${b}`,
  negativeCounter: (file: string, series: string, t: number, v: number) => `${file}: ${series}: a counter cannot be negative: ${v} at ${iso(t)} (a negative rate)`,
  cpuUnits: (file: string, series: string, at: string, cores: number, max: number) =>
    `${file}: ${series}: rises by ${g(cores)} CPU-seconds a second from ${at}, more than ${max} cores: wrong units (milliseconds rather than seconds?)`,
  negativeGauge: (file: string, series: string, at: string, v: number) => `${file}: ${series}: cannot be negative: ${v} at ${at}`,
  missingMetrics: (missing: readonly string[], found: readonly string[]) =>
    `required metrics missing: ${missing.join('; ')} (found: ${found.length === 0 ? 'none' : found.join(', ')}); docs/CALIBRATE.md lists what to save`,
  tooShort: (file: string, series: string, samples: number) => `${file}: ${series}: ${samples} sample(s); the fit needs at least 3`,
  gap: (file: string, series: string, from: string, to: string, step: number) => `${file}: ${series}: a gap: no sample between ${from} and ${to} (the step is ${step} s)`,
  seriesGap: (file: string, series: string, first: string, absent: number, of: number) =>
    `${file}: ${series}: a gap: no sample at ${first}${absent > 1 ? ` and ${absent - 1} more of the ${of} times` : ''} of process_cpu_seconds_total (save every series with the same start, end and step)`,
  noTraffic: (from: string, to: string, classes: readonly string[]) =>
    `no traffic in the window ${from} to ${to}: every request and event counter (${classes.join(', ') || 'none found'}) stays flat; choose a window when the server is in use`,
  keptAbsent: (c: OpClass) => (c.servlets ? `no request to ${c.servlets.join(' or ')} in the metrics` : `${c.counter}_total is not in the metrics`),
  keptAbsentMetric: (name: string) => `${name} is not in the metrics`,
  keptBaseWithoutCaches: (name: string) => `${name} is not in the metrics (Synapse's caches.track_memory_usage): the caches cannot be told from the base, which mxsim sizes apart`,
  keptNoTraffic: 'no traffic of this class in the window',
  keptConstant: (cv: number, min: number) => `its rate barely varies (coefficient of variation ${g(cv)} < ${min}): it cannot be told from the idle CPU`,
  keptCollinear: (partner: string, vif: number, max: number) =>
    `its rate moves with ${partner}'s (variance inflation ${Number.isFinite(vif) ? g(vif) : 'infinite'} > ${max}): their costs cannot be told apart`,
  summaryLine: (name: string, shipped: number, value: number | null, interval: readonly [number, number] | null, unit: string, reason: string | null) =>
    value === null || interval === null
      ? `  ${name.padEnd(22)} ${inUnit(shipped, unit)}${unitAfter(unit)} kept: ${reason ?? ''}`
      : `  ${name.padEnd(22)} ${inUnit(shipped, unit)} -> ${inUnit(value, unit)}${unitAfter(unit)} [${inUnit(interval[0], unit)}, ${inUnit(interval[1], unit)}]`,
  usageScenario: "give the server's description: --scenario FILE",
  outIsFolder: (out: string) => `--out ${out}: a folder; give a file name`,
  outExists: (out: string) => `${out} exists; --force replaces it`,
  outNoFolder: (out: string) => `--out ${out}: its folder does not exist`,
  cannotWrite: (out: string, detail: string) => `${out}: cannot write: ${detail}; nothing was written (no calibration file, no fit report)`,
  outputsClash: (a: string, pa: string, b: string, pb: string) =>
    `${a} ${JSON.stringify(pa)} and ${b} ${JSON.stringify(pb)} are the same path or one inside the other: give them separate places`,
  reportWritten: (dir: string) => `fit report: ${dir}/index.html (and report.md): observed against fitted CPU and memory hour by hour`,
  notSynapse: (implementation: string) => `--scenario: mxsim calibrate reads Synapse's metrics; the scenario's run.server.implementation is ${JSON.stringify(implementation)}`,
  noMetricsFiles: (dir: string) => `${dir}: no .json, .prom or .txt file in the folder`,
  calibrationInvalid: (file: string, problems: readonly string[]) => `${file}: not a calibration file mxsim calibrate writes:\n${problems.map((p) => `  ${p}`).join('\n')}`,
  calibrationNotJson: (file: string, detail: string) => `${file}: not valid JSON (${detail})`,
};
