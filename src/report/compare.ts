/**
 * `mxsim compare`: several runs side by side. From the inputs (each a run
 * folder's files or a scenario simulated just now, brought to the same shape
 * by src/cli/compare.ts) this builds the comparison as data
 * (`comparison.json`): key figures of every input, the difference of every
 * input against the first (the baseline) with Welch's 95% interval (method in
 * compare-stats.ts), and warnings when the inputs are not comparable as they
 * stand. `compareFiles` renders it: index.html, summary.md, overlaid charts
 * and their CSV. Nothing here touches the disk.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { mser5Truncation } from '../analysis/confidence.js';
import { M, type MetricId } from '../model/metrics.js';
import { storageAdded, storageTotal } from '../analysis/summarize.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { Stat } from '../analysis/stat.js';
import type { RunSummary } from '../cost/run.js';
import { formatAmount, formatBytes, formatCount, formatMoney, formatNumber } from '../format/index.js';
import { compareCharts, type CompareChart } from './compare-charts.js';
import { estimateFromStat, estimateFromValues, exactEstimate, welchDifference, type MeanEstimate } from './compare-stats.js';
import type { Table } from './table.js';
import { pageHead, tableHtml } from './html.js';
import { tableMarkdown } from './markdown.js';
import { compactJson } from './render.js';
import { escapeHtml as e, escapeMarkdown as m } from './text.js';
import { prefixSvgIds, renderSvg, svgToPng } from './vega.js';

/** One input of a comparison, whatever it came from. */
export interface CompareInput {
  /** Short unique name in tables and legends (the scenario name, made unique). */
  label: string;
  /** The path as given on the command line. */
  path: string;
  kind: 'run' | 'scenario';
  summary: RunSummary;
  /** Per-replication values by figure id, in the figure's units (see `samplesFromReplicationsCsv`). */
  samples: Record<string, number[]>;
  /** Per-bin series (means over replications), or null when the run folder has no data/client.csv. */
  series: { binStartSeconds: number[]; binMinutes: number; clientBytesOut: number[]; onlineUsers: number[] } | null;
  /** Storage total at the end of each month, or null without data/storage-horizon.csv. */
  storageHorizon: { month: number; totalBytes: number }[] | null;
}

type Unit = 'count' | 'perDay' | 'bytes' | 'bytesPerDay' | 'cores' | 'ms' | 'GiB' | 'Mbit/s' | 'money' | 'text';

/** A key figure: how to read it from a summary (a Stat, a number, a text or nothing). */
interface Figure {
  id: string;
  label: string;
  unit: Unit;
  get(s: RunSummary): Stat | number | string | null | undefined;
  /** A plain number that still varies between replications (a mean of per-replication values): no interval without them. */
  varies?: boolean;
}

const sumStats = (a: Stat | undefined, b: Stat | undefined): Stat | undefined => {
  if (!a || !b) return a ?? b;
  // Without per-replication values the two are treated as independent (documented in OUTPUT.md).
  const ha = (a.ci95[1] - a.ci95[0]) / 2;
  const hb = (b.ci95[1] - b.ci95[0]) / 2;
  const h = Math.sqrt(ha * ha + hb * hb);
  const mean = a.mean + b.mean;
  return { mean, ci95: [mean - h, mean + h] };
};

export const FIGURES: readonly Figure[] = [
  { id: 'users', label: 'users', unit: 'count', get: (s) => s.world.users },
  { id: 'messagesPerDay', label: 'messages sent/day', unit: 'perDay', get: (s) => sumStats(s.traffic.eventsPerDay['m.room.message'], s.traffic.eventsPerDay['m.room.encrypted']) },
  { id: 'peakOnlineUsers', label: 'peak online users', unit: 'count', get: (s) => s.activity.peakOnlineUsers },
  { id: 'clientBytesOutPerDay', label: 'client traffic out/day', unit: 'bytesPerDay', get: (s) => s.traffic.client.bytesOutPerDay },
  { id: 'clientBytesInPerDay', label: 'client traffic in/day', unit: 'bytesPerDay', get: (s) => s.traffic.client.bytesInPerDay },
  { id: 'federationBytesOutPerDay', label: 'federation out/day', unit: 'bytesPerDay', get: (s) => s.traffic.federation.bytesOutPerDay },
  { id: 'federationBytesInPerDay', label: 'federation in/day', unit: 'bytesPerDay', get: (s) => s.traffic.federation.bytesInPerDay },
  { id: 'federationEdusPerDay', label: 'federation EDUs sent/day', unit: 'perDay', get: (s) => s.traffic.federation.edusSentPerDay },
  { id: 'presenceEdusPerDay', label: 'presence EDUs sent/day', unit: 'perDay', get: (s) => s.traffic.federation.edusSentPerDayByType['presence'] },
  { id: 'mediaBytesInPerDay', label: 'media in/day', unit: 'bytesPerDay', get: (s) => s.traffic.media.bytesInPerDay },
  { id: 'mediaBytesOutPerDay', label: 'media out/day', unit: 'bytesPerDay', get: (s) => s.traffic.media.bytesOutPerDay },
  { id: 'storageBytesPerDay', label: 'storage added/day', unit: 'bytesPerDay', get: (s) => s.storage.bytesPerDay },
  { id: 'storageBytesAtHorizon', label: 'storage at horizon', unit: 'bytes', get: (s) => s.storage.bytesAtEnd },
  { id: 'totalCoresMean', label: 'total cores busy, mean', unit: 'cores', get: (s) => ({ mean: s.resources.totalCores.mean, ci95: s.resources.totalCores.ci95 }) },
  { id: 'totalCoresP95', label: 'total cores busy, p95 bin', unit: 'cores', get: (s) => s.resources.totalCores.p95, varies: true },
  { id: 'localSendP95Ms', label: 'local send latency p95', unit: 'ms', get: (s) => s.latencyMs.localSend.p95 },
  { id: 'recommendedCores', label: 'recommended cores', unit: 'cores', get: (s) => s.recommendation.cores },
  { id: 'recommendedRamGiB', label: 'recommended RAM', unit: 'GiB', get: (s) => s.recommendation.ramGiB },
  { id: 'recommendedDiskGiB', label: 'recommended disk', unit: 'GiB', get: (s) => s.recommendation.diskGiB },
  { id: 'recommendedBandwidthMbps', label: 'recommended bandwidth', unit: 'Mbit/s', get: (s) => s.recommendation.bandwidthMbps },
  { id: 'deployment', label: 'deployment', unit: 'text', get: (s) => deploymentText(s) },
  { id: 'costMonthly', label: 'self-hosting cost/month', unit: 'money', get: (s) => s.cost?.selfHost?.monthly },
  { id: 'costHorizon', label: 'self-hosting cost over the horizon', unit: 'money', get: (s) => s.cost?.selfHost?.horizonTotal },
];

function deploymentText(s: RunSummary): string {
  const d = s.recommendation.deployment;
  if (d.kind === 'workers')
    return `${s.recommendation.implementation} with ${d.processes - 1} workers (${Object.entries(d.workers ?? {})
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')})`;
  if (d.kind === 'monolith') return `${s.recommendation.implementation}, one process`;
  return `${s.recommendation.implementation} on ${d.serverCores} cores`;
}

/**
 * Columns of data/replications.csv (totals over the run) behind figures,
 * divided by the simulated days for the per-day ones.
 */
const REPLICATION_COLUMNS: Record<string, string> = {
  messagesPerDay: 'messages',
  clientBytesOutPerDay: 'client_bytes_out',
  federationBytesOutPerDay: 'fed_bytes_out',
  storageBytesPerDay: 'storage_bytes_added',
};

/** Per-replication values of the figures data/replications.csv can give, per day. */
export function samplesFromReplicationsCsv(text: string, days: number): Record<string, number[]> {
  const rows = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  const out: Record<string, number[]> = {};
  const [first] = rows;
  for (const [id, column] of Object.entries(REPLICATION_COLUMNS)) {
    if (first === undefined || !(column in first)) continue;
    const values = rows.map((r) => Number(r[column]) / days);
    if (values.every((v) => Number.isFinite(v))) out[id] = values;
  }
  return out;
}

/** Counters behind per-day figures, for inputs simulated here. */
const RESULT_METRICS: Record<string, MetricId[]> = {
  messagesPerDay: ['m.room.message', 'm.room.encrypted'],
  clientBytesOutPerDay: ['client.bytes_out'],
  clientBytesInPerDay: ['client.bytes_in'],
  federationBytesOutPerDay: ['fed.out.bytes'],
  federationBytesInPerDay: ['fed.in.bytes'],
  federationEdusPerDay: ['fed.out.edus'],
  presenceEdusPerDay: ['fed.out.edus.presence'],
  mediaBytesInPerDay: ['media.bytes_in'],
  mediaBytesOutPerDay: ['media.bytes_out'],
};

/**
 * Per-replication values of a scenario simulated here: the per-day counters
 * and the p95 bin of total busy cores (after the same MSER-5 warm-up cut as
 * the summary's `resources.totalCores.p95`).
 */
export function samplesFromResults(results: readonly ReplicationResult[], days: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [id, metrics] of Object.entries(RESULT_METRICS)) out[id] = results.map((r) => metrics.reduce((a, k) => a + r.counters.total(M[k]), 0) / days);
  // As the summary's storage.bytesPerDay: what was written, with PostgreSQL's overhead on it.
  out['storageBytesPerDay'] = results.map((r) => storageTotal(storageAdded(r)) / days);
  out['totalCoresP95'] = results.map((r) => {
    const bins = r.server.processes[0]?.busyByBin.length ?? 0;
    // Busy cores of every process and the database, bin by bin (every series has the same bins).
    const total = Array.from({ length: bins }, (_, b) => r.server.processes.reduce((t, p) => t + (p.busyByBin[b] ?? 0), 0) + (r.server.database?.busyByBin[b] ?? 0));
    const cut = bins >= 10 ? mser5Truncation(total).truncatePoints : 0;
    const steady = total.slice(Math.min(cut, Math.max(0, bins - 1))).sort((a, b) => a - b);
    // No bins: 0.
    return steady[Math.min(steady.length - 1, Math.max(0, Math.ceil(0.95 * steady.length) - 1))] ?? 0;
  });
  return out;
}

/** Per-bin client bytes out and users online from data/client.csv. */
export function seriesFromClientCsv(text: string, binMinutes: number): CompareInput['series'] {
  const rows = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  const [first] = rows;
  if (first === undefined || !('client.bytes_out' in first) || !('online.users' in first)) return null;
  return {
    binStartSeconds: rows.map((r) => Number(r['bin_start_s'])),
    binMinutes,
    clientBytesOut: rows.map((r) => Number(r['client.bytes_out'])),
    onlineUsers: rows.map((r) => Number(r['online.users'])),
  };
}

/** Month and total from data/storage-horizon.csv. */
export function storageFromHorizonCsv(text: string): CompareInput['storageHorizon'] {
  const rows = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  const [first] = rows;
  if (first === undefined || !('total_bytes' in first)) return null;
  return rows.map((r) => ({ month: Number(r['month']), totalBytes: Number(r['total_bytes']) }));
}

// ---------------------------------------------------------------------------
// The comparison as data

export interface FigureValue {
  input: string;
  /** The mean (or the value, for figures that do not vary); null when the input does not have it. */
  value: number | string | null;
  ci95: [number, number] | null;
  text: string;
}

export interface FigureDifference {
  input: string;
  /** Input − baseline. */
  difference: number | null;
  ci95: [number, number] | null;
  df: number | null;
  relative: number | null;
  /** Where each side's variance came from: per-replication values, the Stat's interval, or exact. */
  basis: [MeanEstimate['basis'], MeanEstimate['basis']] | null;
  text: string;
}

export interface ComparisonFigure {
  id: string;
  label: string;
  unit: Unit;
  values: FigureValue[];
  /** One per input after the baseline (empty for text figures). */
  differences: FigureDifference[];
}

export interface Comparison {
  mxsim: string;
  baseline: string;
  inputs: {
    label: string;
    path: string;
    kind: 'run' | 'scenario';
    scenario: string;
    mxsim: string;
    sha256: string;
    overrides: string[];
    seed: string;
    replications: number;
    simulatedDays: number;
    binMinutes: number;
    horizonMonths: number;
    currency: string | null;
  }[];
  /** Why the inputs may not be comparable as they stand; empty when nothing stands out. */
  warnings: string[];
  method: string;
  figures: ComparisonFigure[];
  /** Differences in words, one per input after the baseline and figure with a number. */
  statements: string[];
}

export const METHOD =
  'Differences are input minus baseline (the first input). Their 95% confidence intervals are Welch intervals for a difference of two means from independent replications: ' +
  'each side gives its mean and the variance of its mean, from the per-replication values where known (data/replications.csv of a run folder, or the replications of a scenario simulated here), ' +
  "otherwise from the Stat's interval (standard error = half-width / t(0.975, n-1), n = replications); the interval is difference ± t(0.975, df)·√(vA + vB) with Welch–Satterthwaite df. " +
  'Figures that do not vary between replications (users, recommendations, costs) are compared exactly; with one replication there is no interval.';

const safe = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

function currencyOf(s: RunSummary): string | null {
  return safe(() => s.cost?.currency) ?? null;
}

/** A value in its unit, for people. */
export function formatUnit(v: number, unit: Unit, currency: string | null = null, signed = false): string {
  if (!Number.isFinite(v)) return '–';
  const sign = signed && v > 0 ? '+' : '';
  switch (unit) {
    case 'count':
      return sign + (signed ? formatNumber(v) : formatCount(v));
    case 'perDay':
      return `${sign}${formatNumber(v)}`;
    case 'bytes':
      return sign + formatBytes(v);
    case 'bytesPerDay':
      return `${sign}${formatBytes(v)}/day`;
    case 'cores':
      return `${sign}${formatNumber(v)} cores`;
    case 'ms':
      return `${sign}${formatNumber(v)} ms`;
    case 'GiB':
    case 'Mbit/s':
      return `${sign}${formatNumber(v)} ${unit}`;
    case 'money':
      return sign + (currency ? formatMoney(v, currency) : formatAmount(v));
    case 'text':
      return String(v);
  }
}

function estimate(input: CompareInput, f: Figure, raw: Stat | number): MeanEstimate {
  const samples = input.samples[f.id];
  if (samples && samples.length > 0) return estimateFromValues(samples);
  if (typeof raw === 'number') return f.varies ? { mean: raw, varianceOfMean: NaN, n: input.summary.replications, basis: 'stat' } : exactEstimate(raw);
  return estimateFromStat(raw, input.summary.replications);
}

/** The differences text: "+1.2 MiB/day (95% CI 0.9 MiB/day to 1.5 MiB/day)". */
function differenceText(d: { difference: number; ci95: [number, number] | null; relative: number | null }, unit: Unit, currency: string | null): string {
  const main = formatUnit(d.difference, unit, currency, true);
  const rel = d.relative !== null && Number.isFinite(d.relative) && d.difference !== 0 ? ` (${d.relative > 0 ? '+' : ''}${(d.relative * 100).toFixed(1)}%)` : '';
  if (d.ci95 === null) return `${main}${rel}, no interval`;
  if (d.ci95[0] === d.ci95[1]) return `${main}${rel}, exact`;
  return `${main}${rel}, 95% CI ${formatUnit(d.ci95[0], unit, currency)} to ${formatUnit(d.ci95[1], unit, currency)}`;
}

/** Why the inputs may not be comparable as they stand. */
export function comparabilityWarnings(inputs: readonly CompareInput[]): string[] {
  const warnings: string[] = [];
  const differ = <T>(f: (i: CompareInput) => T) => new Set(inputs.map((i) => String(f(i)))).size > 1;
  const list = <T>(f: (i: CompareInput) => T) => inputs.map((i) => `${i.label}: ${String(f(i))}`).join(', ');
  if (differ((i) => i.summary.mxsim))
    warnings.push(
      `the inputs were made by different mxsim versions (${list((i) => i.summary.mxsim)}): part of any difference may come from changes to the model rather than from the scenarios`,
    );
  if (differ((i) => i.summary.simulatedDays))
    warnings.push(
      `the inputs simulate different lengths of time (${list((i) => `${i.summary.simulatedDays} day(s)`)}): per-day figures, peaks and the storage projection rest on different parts of the week`,
    );
  if (differ((i) => i.summary.binMinutes))
    warnings.push(`the inputs use different bin sizes (${list((i) => `${i.summary.binMinutes} min`)}): peaks, p95 bins and latency per bin are not measured alike`);
  if (differ((i) => i.summary.storage.horizonMonths))
    warnings.push(
      `the inputs project storage over different horizons (${list((i) => `${i.summary.storage.horizonMonths} months`)}): storage at horizon, disk and horizon costs are not comparable`,
    );
  const currencies = inputs.map((i) => currencyOf(i.summary));
  if (currencies.every((c) => c !== null) && differ((i) => currencyOf(i.summary)))
    warnings.push(`the inputs' costs are in different currencies (${list((i) => currencyOf(i.summary))}): cost differences are left out`);
  const single = inputs.filter((i) => i.summary.replications < 2);
  if (single.length > 0) warnings.push(`${single.map((i) => i.label).join(', ')}: one replication only, so differences with it have no confidence interval`);
  return warnings;
}

/** The comparison as data: figures, differences against the first input, warnings. */
export function buildComparison(inputs: readonly CompareInput[], version: string): Comparison {
  const [base] = inputs;
  if (base === undefined || inputs.length < 2) throw new Error('a comparison needs at least two inputs');
  const warnings = comparabilityWarnings(inputs);
  const currencies = inputs.map((i) => currencyOf(i.summary));
  const sameCurrency = new Set(currencies.filter((c) => c !== null)).size <= 1;
  const figures: ComparisonFigure[] = [];
  const statements: string[] = [];
  for (const f of FIGURES) {
    const raws = inputs.map((i) => safe(() => f.get(i.summary)) ?? null);
    if (raws.every((r) => r === null)) continue; // e.g. no input has a cost
    const values: FigureValue[] = inputs.map((input, k) => {
      const r = raws[k];
      const cur = currencies[k] ?? null;
      if (r === null || r === undefined) return { input: input.label, value: null, ci95: null, text: '–' };
      if (typeof r === 'string') return { input: input.label, value: r, ci95: null, text: r };
      if (typeof r === 'number') return { input: input.label, value: r, ci95: null, text: formatUnit(r, f.unit, cur) };
      const ci = Number.isFinite(r.ci95[0]) && Number.isFinite(r.ci95[1]) && input.summary.replications > 1 ? r.ci95 : null;
      return { input: input.label, value: r.mean, ci95: ci, text: formatUnit(r.mean, f.unit, cur) };
    });
    const differences: FigureDifference[] = [];
    if (f.unit !== 'text') {
      const a = raws[0];
      inputs.slice(1).forEach((input, j) => {
        const b = raws[j + 1];
        if (a === null || a === undefined || b === null || b === undefined || typeof a === 'string' || typeof b === 'string' || (f.unit === 'money' && !sameCurrency)) {
          differences.push({ input: input.label, difference: null, ci95: null, df: null, relative: null, basis: null, text: '–' });
          return;
        }
        const ea = estimate(base, f, a);
        const eb = estimate(input, f, b);
        const d = welchDifference(ea, eb);
        const text = differenceText(d, f.unit, currencies[0] ?? null);
        differences.push({ input: input.label, difference: d.difference, ci95: d.ci95, df: d.df, relative: d.relative, basis: [ea.basis, eb.basis], text });
        statements.push(`${input.label}: ${f.label} ${text}`);
      });
    }
    figures.push({ id: f.id, label: f.label, unit: f.unit, values, differences });
  }
  return {
    mxsim: version,
    baseline: base.label,
    inputs: inputs.map((i) => ({
      label: i.label,
      path: i.path,
      kind: i.kind,
      scenario: i.summary.scenario.name,
      mxsim: i.summary.mxsim,
      sha256: i.summary.scenario.sha256,
      overrides: i.summary.scenario.overrides,
      seed: i.summary.seed,
      replications: i.summary.replications,
      simulatedDays: i.summary.simulatedDays,
      binMinutes: i.summary.binMinutes,
      horizonMonths: i.summary.storage.horizonMonths,
      currency: currencyOf(i.summary),
    })),
    warnings,
    method: METHOD,
    figures,
    statements,
  };
}

// ---------------------------------------------------------------------------
// Rendering

export function figuresTable(c: Comparison): Table {
  return {
    id: 'figures',
    title: 'Key figures',
    note: 'Means over replications (95% confidence intervals in comparison.json); recommendations and costs as computed for each input.',
    columns: ['figure', ...c.inputs.map((i) => i.label)],
    rows: c.figures.map((f) => [f.label, ...f.values.map((v) => v.text)]),
  };
}

export function differencesTable(c: Comparison): Table {
  return {
    id: 'differences',
    title: `Differences against ${c.baseline}`,
    note: 'Input minus baseline, relative change in brackets, with the Welch 95% confidence interval of the difference.',
    columns: ['figure', ...c.inputs.slice(1).map((i) => `${i.label} − ${c.baseline}`)],
    rows: c.figures.filter((f) => f.differences.length > 0).map((f) => [f.label, ...f.differences.map((d) => d.text)]),
  };
}

function inputsTable(c: Comparison): Table {
  return {
    id: 'inputs',
    title: 'Inputs',
    columns: ['input', 'from', 'scenario', 'mxsim', 'seed', 'replications', 'days', 'bin (min)', 'overrides', 'SHA-256'],
    rows: c.inputs.map((i) => [
      i.label,
      `${i.kind === 'run' ? 'run folder' : 'scenario, simulated'} ${i.path}`,
      i.scenario,
      i.mxsim,
      i.seed,
      String(i.replications),
      String(i.simulatedDays),
      String(i.binMinutes),
      i.overrides.join(' ') || '–',
      i.sha256.slice(0, 12),
    ]),
  };
}

const STYLE = `
body { margin: 0; font-family: "DejaVu Sans", Verdana, Arial, Helvetica, sans-serif; color: #1d1d1f; line-height: 1.45; font-size: 15px; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid #dcdce3; }
h3 { font-size: 16px; margin: 22px 0 8px; }
p.note, p.meta, figcaption { color: #5c5c66; font-size: 13px; }
.warnings { border: 1px solid #d9a400; background: #fff8e0; border-radius: 8px; padding: 8px 16px; }
table { border-collapse: collapse; margin: 6px 0 18px; font-size: 13.5px; }
th, td { border-bottom: 1px solid #dcdce3; padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: #f4f6fa; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
div.table { max-width: 100%; overflow-x: auto; }
figure.chart { margin: 0 0 28px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
a { color: #1f5fa8; }
`;

interface Rendered {
  chart: CompareChart;
  svg: string;
}

export function comparisonTitle(c: Comparison): string {
  return `Comparison: ${c.inputs.map((i) => i.label).join(' vs ')}`;
}

export function comparisonHtml(c: Comparison, charts: readonly Rendered[]): string {
  const warnings =
    c.warnings.length === 0
      ? ''
      : `<section id="warnings" class="warnings">\n<h2>Not comparable as they stand</h2>\n<ul>\n${c.warnings.map((w) => `<li>${e(w)}</li>`).join('\n')}\n</ul>\n</section>\n`;
  const figures = charts
    .map(
      ({ chart, svg }) => `<figure class="chart" id="chart-${e(chart.name)}">
${prefixSvgIds(svg, `chart-${chart.name}`)}
<figcaption>${e(chart.description)} <a href="${e(chart.csvPath)}">data (CSV)</a> · <a href="charts/${e(chart.name)}.vl.json">Vega-Lite spec</a> · <a href="charts/${e(chart.name)}.png">PNG</a></figcaption>
</figure>`,
    )
    .join('\n');
  return `${pageHead(`${comparisonTitle(c)} · mxsim`, c.mxsim, STYLE)}
<body>
<main>
<header>
<h1>${e(comparisonTitle(c))}</h1>
<p class="meta">Baseline: ${e(c.baseline)} · made by mxsim ${e(c.mxsim)} · everything as data in <a href="comparison.json">comparison.json</a></p>
</header>
${warnings}<section id="differences">
<h2>Differences</h2>
<ul>
${c.statements.map((s) => `<li>${e(s)}</li>`).join('\n')}
</ul>
${tableHtml(differencesTable(c))}
</section>
<section id="figures">
<h2>Side by side</h2>
${tableHtml(figuresTable(c))}
</section>
<section id="charts">
<h2>Charts</h2>
${figures || '<p class="note">No charts: no input has the per-bin series.</p>'}
</section>
<section id="inputs">
<h2>Inputs and method</h2>
${tableHtml(inputsTable(c))}
<p class="note" id="method">${e(c.method)}</p>
</section>
</main>
</body>
</html>
`;
}

export function comparisonMarkdown(c: Comparison, charts: readonly CompareChart[]): string {
  const parts = [`# ${m(comparisonTitle(c))}`, `Baseline: ${m(c.baseline)}. Made by mxsim ${m(c.mxsim)}; everything as data in [comparison.json](comparison.json).`];
  if (c.warnings.length > 0) parts.push(`## Not comparable as they stand\n\n${c.warnings.map((w) => `- ${m(w)}`).join('\n')}`);
  parts.push(`## Differences\n\n${c.statements.map((s) => `- ${m(s)}`).join('\n')}`, tableMarkdown(differencesTable(c)).trimEnd());
  parts.push(`## Side by side`, tableMarkdown(figuresTable(c)).trimEnd());
  if (charts.length > 0)
    parts.push(`## Charts\n\n${charts.map((ch) => `![${m(ch.title)}](charts/${ch.name}.png)\n\n*${m(ch.description)}* Data: [${ch.csvPath}](${ch.csvPath})`).join('\n\n')}`);
  parts.push(`## Inputs and method`, tableMarkdown(inputsTable(c)).trimEnd(), m(c.method));
  return parts.join('\n\n') + '\n';
}

/** Every file of the comparison folder, by relative path. */
export async function compareFiles(c: Comparison, inputs: readonly CompareInput[], pngZoom = 2): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  const rendered: Rendered[] = [];
  const charts = compareCharts(inputs);
  for (const chart of charts) {
    const { svg } = await renderSvg(chart.spec, chart.name);
    files.set(`charts/${chart.name}.vl.json`, compactJson(chart.spec) + '\n');
    files.set(`charts/${chart.name}.svg`, svg + '\n');
    files.set(`charts/${chart.name}.png`, svgToPng(svg, pngZoom));
    files.set(chart.csvPath, chart.csv);
    rendered.push({ chart, svg });
  }
  files.set('comparison.json', JSON.stringify(c, null, 2) + '\n');
  files.set('index.html', comparisonHtml(c, rendered));
  files.set('summary.md', comparisonMarkdown(c, charts));
  return files;
}
