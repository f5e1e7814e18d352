/**
 * The fit report of `mxsim calibrate`: observed against fitted CPU and
 * memory hour by hour, the residuals, R² per series and the coefficients
 * that moved most from the shipped values (src/calibrate/fit-report.ts says
 * what; this module draws it). Its files, by path in the report folder:
 *
 * - index.html: one self-contained page, charts as inline SVG, no script and
 *   nothing fetched (the run report's page head and its strict CSP);
 * - report.md: the same in Markdown, the charts as charts/NAME.svg beside it;
 * - charts/NAME.vl.json and charts/NAME.svg: each chart's Vega-Lite spec
 *   (data inline) and its picture, rendered offline by vega.ts;
 * - data/fit-series.csv: the series hour by hour; data/coefficients.csv.
 *
 * Nothing is written here: `mxsim calibrate` writes the folder with
 * `writeReport`.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Calibration } from '../calibrate/calibration-file.js';
import { coefficientsByMove, fitRows, MEMORY_KIND, qualityRows, TOTAL_KIND, type FitRow, type MovedCoefficient } from '../calibrate/fit-report.js';
import type { FitSeries } from '../calibrate/fit.js';
import { formatBytes } from '../format/index.js';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, finite, header, round, type Chart } from './chart-spec.js';
import { toCsv } from './csv.js';
import { chartFigure, pageHead, tableHtml } from './html.js';
import { tableMarkdown } from './markdown.js';
import { colorScale, seriesColor, seriesLabel } from './palette.js';
import { compactJson } from './render.js';
import type { Table } from './table.js';
import { byteUnit, escapeHtml as e, escapeMarkdown as m, plural } from './text.js';
import { renderSvg } from './vega.js';

export const FIT_SERIES_CSV = 'data/fit-series.csv';
export const COEFFICIENTS_CSV = 'data/coefficients.csv';
/** The chart names, in the order the report shows them. */
export const FIT_CHARTS = ['cpu-total', 'cpu-by-job', 'residuals', 'memory', 'coefficients'] as const;

/** Ratios on the coefficient chart's log axis never go below this (a value fitted at 0 is drawn at the edge). */
const MIN_RATIO_DRAWN = 1e-2;

const iso = (t: number) => new Date(t * 1000).toISOString();
const g = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : '–');
const inUnit = (x: number, unit: string) => (unit === 'B' ? formatBytes(x) : `${g(x)} ${unit}`);
const sdOf = (x: number, unit: 'cores' | 'bytes') => (unit === 'bytes' ? formatBytes(x) : `${g(x)} cores`);

/** The x encoding of the fit's charts: the time of day in UTC, as the metrics carry it. */
const TIME_X = {
  field: 'time',
  type: 'temporal',
  title: 'hour (UTC)',
  scale: { type: 'utc' },
  axis: { format: '%a %d %b %H:%M', tickCount: 6, labelAngle: 0, labelOverlap: true, grid: true },
} as const;

const base = (title: string, subtitle: string, description: string) => ({ ...header(title, subtitle, description), config: CHART_CONFIG });

function windowNote(c: Calibration): string {
  const hourly = c.window.stepSeconds <= 3600;
  return `${c.window.from} to ${c.window.to} · ${hourly ? `hourly means of ${c.window.stepSeconds}-second intervals` : `${c.window.stepSeconds}-second intervals`}`;
}

/** (a) The deployment's CPU: observed, fitted, and what the shipped costs predict. */
function cpuTotalChart(c: Calibration, rows: readonly FitRow[]): Chart {
  const ids = ['fit.observed', 'fit.fitted', 'fit.shipped'];
  const values = rows
    .filter((r) => r.kind === TOTAL_KIND)
    .flatMap((r) => [r.observed, r.fitted, r.shipped ?? NaN].map((v, k) => ({ time: r.startSeconds * 1000, series: seriesLabel(ids[k]!), value: finite(v), rank: k })));
  const description =
    'CPU of the whole deployment, cores: what the metrics show, what the fit predicts from the request and event rates, and what mxsim would have assumed with its shipped costs on the same rates (and the fitted idle CPU).';
  const spec = {
    ...base('CPU: observed, fitted and shipped costs', windowNote(c), description),
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values },
    mark: { type: 'line', interpolate: 'linear' },
    encoding: {
      x: TIME_X,
      y: { field: 'value', type: 'quantitative', title: 'CPU (cores)', scale: { zero: true } },
      // One legend for both: a line of each colour and dash.
      color: { field: 'series', type: 'nominal', title: null, scale: colorScale(ids), legend: { orient: 'top', symbolType: 'stroke', symbolStrokeWidth: 2.5 } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: {
          domain: ids.map(seriesLabel),
          range: [
            [1, 0],
            [1, 0],
            [6, 3],
          ],
        },
      },
      order: { field: 'rank' },
    },
  } as unknown as TopLevelSpec;
  return { name: 'cpu-total', title: 'CPU: observed, fitted and shipped costs', description, spec, csv: { path: FIT_SERIES_CSV } };
}

/** (b) Each process kind: observed CPU and its own fit, one small panel each. */
function cpuByJobChart(c: Calibration, rows: readonly FitRow[]): Chart {
  const ids = ['fit.observed', 'fit.fitted'];
  const values = rows
    .filter((r) => r.kind !== TOTAL_KIND && r.kind !== MEMORY_KIND)
    .flatMap((r) => [r.observed, r.fitted].map((v, k) => ({ time: r.startSeconds * 1000, job: r.kind, series: seriesLabel(ids[k]!), value: finite(v) })));
  const description = "CPU of each process kind (the job label), cores: observed, and the prediction of that kind's own fit to the same rates (its own y axis).";
  const spec = {
    ...base('CPU by process kind: observed and fitted', windowNote(c), description),
    data: { values },
    facet: { field: 'job', type: 'nominal', title: null },
    columns: 2,
    spec: {
      width: CHART_WIDTH / 2 - 40,
      height: 160,
      mark: { type: 'line' },
      encoding: {
        x: { ...TIME_X, axis: { ...TIME_X.axis, format: '%d %b %H:%M', tickCount: 3 } },
        y: { field: 'value', type: 'quantitative', title: 'CPU (cores)', scale: { zero: true } },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(ids), legend: { orient: 'top' } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  return { name: 'cpu-by-job', title: 'CPU by process kind: observed and fitted', description, spec, csv: { path: FIT_SERIES_CSV } };
}

/** (c) The deployment's residuals over time, with the zero line. */
function residualsChart(c: Calibration, rows: readonly FitRow[]): Chart {
  const values = rows.filter((r) => r.kind === TOTAL_KIND).map((r) => ({ time: r.startSeconds * 1000, residual: finite(r.residual) }));
  const description =
    "Observed minus fitted CPU of the whole deployment, cores, hour by hour. A good fit scatters around zero with no pattern; a daily wave or a step means something the fit's classes do not count.";
  const spec = {
    ...base('CPU residuals: observed minus fitted', `${windowNote(c)} · residual sd ${g(c.cpu.quality.total.residualSd)} cores per interval`, description),
    width: CHART_WIDTH,
    height: 200,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888888' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      {
        mark: { type: 'line', color: seriesColor('fit.residual'), point: { size: 12, color: seriesColor('fit.residual') } },
        encoding: { x: TIME_X, y: { field: 'residual', type: 'quantitative', title: 'observed - fitted (cores)' } },
      },
    ],
  } as unknown as TopLevelSpec;
  return { name: 'residuals', title: 'CPU residuals: observed minus fitted', description, spec, csv: { path: FIT_SERIES_CSV } };
}

/** (d) Resident memory summed over the processes: observed and fitted; null without the metric. */
function memoryChart(c: Calibration, rows: readonly FitRow[]): Chart | null {
  const mem = rows.filter((r) => r.kind === MEMORY_KIND);
  if (mem.length === 0) return null;
  const unit = byteUnit(Math.max(...mem.map((r) => Math.max(r.observed, r.fitted))));
  const ids = ['fit.observed', 'fit.fitted'];
  const values = mem.flatMap((r) => [r.observed, r.fitted].map((v, k) => ({ time: r.startSeconds * 1000, series: seriesLabel(ids[k]!), value: finite(v / unit.divisor) })));
  const description = `Resident memory of all processes together, ${unit.label}: observed, and fitted as processes x base + clients waiting on /sync x bytes per client + the caches (Synapse's estimate of them x mxsim's fragmentation factor, taken out as known when their metric is there; without it the base is kept and an intercept fitted).`;
  const spec = {
    ...base('Memory: observed and fitted', `${windowNote(c)} · R² ${g(c.memory.quality?.rSquared ?? NaN)}`, description),
    width: CHART_WIDTH,
    height: 220,
    data: { values },
    mark: { type: 'line' },
    encoding: {
      x: TIME_X,
      y: { field: 'value', type: 'quantitative', title: `resident memory (${unit.label})`, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: colorScale(ids), legend: { orient: 'top' } },
    },
  } as unknown as TopLevelSpec;
  return { name: 'memory', title: 'Memory: observed and fitted', description, spec, csv: { path: FIT_SERIES_CSV } };
}

/** (e) Fitted over shipped for each fitted coefficient, with its interval, on a log axis; null when none was fitted. */
function coefficientsChart(moved: readonly MovedCoefficient[]): Chart | null {
  const drawn = moved.filter((k) => k.ratio !== null);
  if (drawn.length === 0) return null;
  const at = (x: number) => round(Math.max(MIN_RATIO_DRAWN, x));
  const values = drawn.map((k) => ({
    coefficient: k.name,
    ratio: at(k.ratio!),
    low: at(k.ratioInterval?.[0] ?? k.ratio!),
    high: at(k.ratioInterval?.[1] ?? k.ratio!),
    fitted: k.unit === 'B' ? formatBytes(k.value!) : `${g(k.value!)} ${k.unit}`,
    shipped: k.unit === 'B' ? formatBytes(k.shipped) : `${g(k.shipped)} ${k.unit}`,
  }));
  const all = values.flatMap((v) => [v.ratio, v.low, v.high, 1]);
  const domain = [Math.min(...all) / 1.5, Math.max(...all) * 1.5].map(round);
  const description = `Each fitted coefficient over mxsim's shipped value (1: unchanged; 2: twice the shipped cost; 0.5: half), with its 95% interval, on a log axis; the ones that moved most first. Kept coefficients stay at 1 and are not drawn; a value under ${MIN_RATIO_DRAWN} is drawn at ${MIN_RATIO_DRAWN}.`;
  const y = { field: 'coefficient', type: 'nominal', title: null, sort: null };
  const spec = {
    ...header('Fitted over shipped', 'ratio with its 95% interval (log axis)', description),
    config: CHART_CONFIG,
    width: CHART_WIDTH - 160,
    height: { step: 24 },
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888888', strokeDash: [4, 3] }, encoding: { x: { datum: 1, type: 'quantitative' } } },
      { mark: { type: 'rule', color: seriesColor('fit.fitted'), strokeWidth: 2 }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      {
        mark: { type: 'point', filled: true, size: 60, color: seriesColor('fit.fitted') },
        encoding: {
          y,
          x: { field: 'ratio', type: 'quantitative', title: 'fitted / shipped (log scale)', scale: { type: 'log', domain, nice: false } },
          tooltip: [{ field: 'coefficient' }, { field: 'fitted' }, { field: 'shipped' }, { field: 'ratio' }],
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return { name: 'coefficients', title: 'Fitted over shipped', description, spec, csv: { path: COEFFICIENTS_CSV } };
}

/** The coefficients, the ones that moved most first. */
export function coefficientTable(moved: readonly MovedCoefficient[]): Table {
  return {
    id: 'coefficients',
    title: 'Coefficients, the ones that moved most from the shipped value first',
    note: 'Ordered by |log(fitted / shipped)|, so half and double are as far; kept coefficients (the shipped value stays) last, with the reason.',
    columns: ['coefficient', 'per', 'shipped', 'fitted', '95% interval', 'fitted / shipped', 'status', 'reason kept'],
    rows: moved.map((k) => [
      k.name,
      k.per,
      inUnit(k.shipped, k.unit),
      k.value === null ? '–' : inUnit(k.value, k.unit),
      k.interval === null ? '–' : `${inUnit(k.interval[0], k.unit)} – ${inUnit(k.interval[1], k.unit)}`,
      k.ratio === null ? '–' : `${g(k.ratio)}×`,
      k.status,
      k.reason ?? '',
    ]),
  };
}

/** R² and residual sd of each fitted series. */
export function qualityTable(c: Calibration): Table {
  return {
    id: 'quality',
    title: 'Quality of the fit',
    note: 'Per interval of the metrics (not hourly means). The total is the fit the calibration uses; each process kind is fitted on its own to the same rates, to show where the model explains the CPU and where it does not. Memory: processes x base + clients waiting on /sync x bytes per client + the caches, which are taken out as known (so the memory R² counts them as explained: with caches that move a lot, read the residual sd).',
    columns: ['series', 'R²', 'residual sd', 'mean observed'],
    rows: qualityRows(c).map((q) => [
      q.series === TOTAL_KIND ? `CPU, ${TOTAL_KIND}` : q.series === MEMORY_KIND ? 'memory, all processes' : `CPU, job ${q.series}`,
      q.rSquared.toFixed(3),
      sdOf(q.residualSd, q.unit),
      sdOf(q.meanObserved, q.unit),
    ]),
  };
}

/** With more than one process kind: each kind's CPU per operation of each fitted class (where the CPU lands), or null. */
export function byKindTable(c: Calibration): Table | null {
  const kinds = c.cpu.byKind;
  if (kinds === undefined || kinds.length === 0) return null;
  const names = kinds[0]!.coefficients.map((k) => k.name);
  const pooled = new Map(c.cpu.coefficients.map((k) => [k.name, k.value]));
  return {
    id: 'by-kind',
    title: 'Where the CPU lands: ms of each process kind per operation',
    note: "Each process kind's CPU fitted on its own to the deployment's rates, with 95% intervals: a send counted on a client worker is also persisted on another process. The last row is the deployment's value the calibration uses (about the sum of the kinds'). mxsim run charges an operation's whole cost on the process its model routes it to, so this table is a diagnostic of the split, not an input.",
    columns: ['process kind', 'idle CPU, cores', ...names],
    rows: [
      ...kinds.map((k) => [
        `${k.kind} (${k.instances})`,
        `${g(k.idleCores.value)} [${g(k.idleCores.interval[0])}, ${g(k.idleCores.interval[1])}]`,
        ...k.coefficients.map((x) => `${g(x.value)} [${g(x.interval[0])}, ${g(x.interval[1])}]`),
      ]),
      [
        'deployment (used)',
        g(c.cpu.idleCores.value),
        ...names.map((n) => {
          const v = pooled.get(n);
          return v === null || v === undefined ? '–' : g(v);
        }),
      ],
    ],
  };
}

/** The header's label/value pairs: server, window, method, sources. */
function facts(c: Calibration, version: string): [string, string][] {
  return [
    ['server', `${c.server.scenario} (${c.server.implementation}, ${c.server.deployment}; ${c.server.processes.map((p) => `${p.instances} ${p.kind}`).join(', ')})`],
    ['window', `${c.window.from} to ${c.window.to}, ${plural(c.window.intervals, 'interval')} of ${c.window.stepSeconds} s`],
    ['idle CPU', `${g(c.cpu.idleCores.value)} cores${c.cpu.idleCores.interval ? ` [${g(c.cpu.idleCores.interval[0])}, ${g(c.cpu.idleCores.interval[1])}]` : ''}`],
    ['method', c.method],
    [
      'metrics read',
      c.sources.length <= 4 ? c.sources.join(', ') : `${c.sources.slice(0, 3).join(', ')} and ${c.sources.length - 3} more (the calibration file's sources lists them all)`,
    ],
    ['made by', `mxsim ${version}`],
  ];
}

/** The coefficients as CSV, in the table's order (value and interval in `unit`). */
export function coefficientsCsv(moved: readonly MovedCoefficient[]): string {
  return toCsv(
    ['coefficient', 'group', 'unit', 'shipped', 'fitted', 'low', 'high', 'ratio', 'status', 'reason'],
    moved.map((k) => [k.name, k.group, k.unit, k.shipped, k.value, k.interval?.[0] ?? null, k.interval?.[1] ?? null, k.ratio, k.status, k.reason]),
  );
}

/** The series hour by hour as CSV: time, kind, unit, observed, fitted, shipped, residual. */
export function fitSeriesCsv(rows: readonly FitRow[]): string {
  return toCsv(
    ['time', 'kind', 'unit', 'observed', 'fitted', 'shipped', 'residual'],
    rows.map((r) => [iso(r.startSeconds), r.kind, r.unit, r.observed, r.fitted, r.shipped, r.residual]),
  );
}

/** The charts of the report, in order; those that do not apply (no memory, nothing fitted) left out. */
export function fitCharts(c: Calibration, rows: readonly FitRow[]): Chart[] {
  return [cpuTotalChart(c, rows), cpuByJobChart(c, rows), residualsChart(c, rows), memoryChart(c, rows), coefficientsChart(coefficientsByMove(c))].filter(
    (x): x is Chart => x !== null,
  );
}

const STYLE_EXTRA = `
table.facts th { width: 9em; }
`;

function pageHtml(c: Calibration, version: string, tables: readonly Table[], charts: readonly { chart: Chart; svg: string }[]): string {
  const title = `Calibration fit: ${c.server.scenario}`;
  const head = pageHead(`${title} · mxsim`, version);
  const factRows = facts(c, version)
    .map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`)
    .join('\n');
  return `${head.replace('</style>', `${STYLE_EXTRA}</style>`)}
<body>
<main>
<header>
<h1 id="title">${e(title)}</h1>
<p class="meta">${e(windowNote(c))} · mxsim ${e(version)}</p>
<table class="facts">
<tbody>
${factRows}
</tbody>
</table>
</header>

<section id="coefficients">
<h2>Coefficients</h2>
${tableHtml(tables[0]!)}
<p class="note">Also in <a href="${COEFFICIENTS_CSV}">${COEFFICIENTS_CSV}</a>.</p>
</section>

<section id="quality">
<h2>Quality</h2>
${tableHtml(tables[1]!)}
</section>
${
  tables[2] === undefined
    ? ''
    : `
<section id="by-kind">
<h2>Where the CPU lands</h2>
${tableHtml(tables[2])}
</section>
`
}

<section id="charts">
<h2>Charts</h2>
<p class="note">Hour by hour: the mean of the intervals in each clock hour (UTC). The series are in <a href="${FIT_SERIES_CSV}">${FIT_SERIES_CSV}</a>.</p>
${charts.map((x) => chartFigure(x, false)).join('\n')}
</section>

<footer>mxsim ${e(version)} · made offline from the metrics read; the same files give the same report.</footer>
</main>
</body>
</html>
`;
}

function pageMarkdown(c: Calibration, version: string, tables: readonly Table[], charts: readonly Chart[]): string {
  const out: string[] = [];
  out.push(`# Calibration fit: ${m(c.server.scenario)}\n`);
  out.push(`${m(windowNote(c))} · mxsim ${m(version)}\n`);
  out.push(['| | |', '| --- | --- |', ...facts(c, version).map(([k, v]) => `| ${m(k)} | ${m(v)} |`)].join('\n') + '\n');
  out.push('## Coefficients\n');
  out.push(tableMarkdown(tables[0]!));
  out.push(`Also in [${COEFFICIENTS_CSV}](${COEFFICIENTS_CSV}).\n`);
  out.push('## Quality\n');
  out.push(tableMarkdown(tables[1]!));
  if (tables[2] !== undefined) {
    out.push('## Where the CPU lands\n');
    out.push(tableMarkdown(tables[2]));
  }
  out.push('## Charts\n');
  out.push(`Hour by hour: the mean of the intervals in each clock hour (UTC). The series are in [${FIT_SERIES_CSV}](${FIT_SERIES_CSV}).\n`);
  out.push(
    charts
      .map((x) => `![${m(x.title)}](charts/${x.name}.svg)\n\n*${m(x.description)}* Data: [${x.csv.path}](${x.csv.path}) · [Vega-Lite spec](charts/${x.name}.vl.json)\n`)
      .join('\n'),
  );
  return out.join('\n');
}

/** Every file of the fit report folder, by relative path. */
export async function fitReportFiles(c: Calibration, series: FitSeries, version: string): Promise<Map<string, string>> {
  const rows = fitRows(series);
  const moved = coefficientsByMove(c);
  const byKind = byKindTable(c);
  const tables = [coefficientTable(moved), qualityTable(c), ...(byKind === null ? [] : [byKind])];
  const files = new Map<string, string>();
  files.set(FIT_SERIES_CSV, fitSeriesCsv(rows));
  files.set(COEFFICIENTS_CSV, coefficientsCsv(moved));
  const rendered: { chart: Chart; svg: string }[] = [];
  for (const chart of fitCharts(c, rows)) {
    const { svg } = await renderSvg(chart.spec, chart.name);
    files.set(`charts/${chart.name}.vl.json`, compactJson(chart.spec) + '\n');
    files.set(`charts/${chart.name}.svg`, svg + '\n');
    rendered.push({ chart, svg });
  }
  files.set('index.html', pageHtml(c, version, tables, rendered));
  files.set(
    'report.md',
    pageMarkdown(
      c,
      version,
      tables,
      rendered.map((x) => x.chart),
    ),
  );
  return files;
}
