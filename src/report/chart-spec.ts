/**
 * What a chart of the report is (`Chart`: its name, title, Vega-Lite spec and
 * CSV; `ChartFunction`: how one is made from the run), and the parts every
 * chart's spec shares: the look (`CHART_CONFIG`), the time axis, the title
 * block, rounding, and the long rows and wide CSV of a time series.
 *
 * Conventions: the time axis is hours since the start of the run, labelled
 * "Mon 09:00" (the run starts on a Monday at 00:00, server clock); series
 * take their label and colour from palette.ts; every axis title names its
 * unit; the data inline in a spec are exactly the numbers drawn, and the
 * chart's CSV holds the same numbers (an existing report CSV when the chart
 * draws its columns as they are).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportRun } from '../cost/run.js';
import { roundSignificant } from '../numeric/index.js';
import type { Scenario } from '../scenario/grammar.js';
import { toCsv, type Cell } from './csv.js';
import { clockLabel } from './files.js';
import { seriesLabel } from './palette.js';
import { plural } from './text.js';

/** What a chart function gets. */
export interface ChartContext {
  readonly run: ReportRun;
  readonly scenario: Scenario;
}

/** The CSV behind a chart: a new file (`content`), or a file the report already has (no `content`). */
export interface ChartCsv {
  readonly path: string;
  readonly content?: string;
}

export interface Chart {
  /** File stem: charts/NAME.vl.json, .svg and .png. Letters, digits and '-'. */
  readonly name: string;
  readonly title: string;
  /** One or two sentences on what the chart shows: the caption and the image's alt text. */
  readonly description: string;
  /** The Vega-Lite spec, data inline. */
  readonly spec: TopLevelSpec;
  readonly csv: ChartCsv;
}

export type ChartFunction = (ctx: ChartContext) => Chart | null;

/** Fonts: the first is on every Debian machine with fonts-dejavu-core; the rest are fall-backs for browsers. */
export const FONT_FAMILY = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 260;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Shared look: fonts, sizes, colours of text and grid. */
export const CHART_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555555', anchor: 'start', offset: 12, subtitlePadding: 4 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelColor: '#333333', titleColor: '#222222', gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 300, symbolType: 'square' },
  header: { labelFontSize: 12, labelFontWeight: 'bold', labelColor: '#222222' },
  line: { strokeWidth: 1.8 },
  view: { stroke: '#dddddd' },
} as const;

/** Round to 6 significant digits: stable, readable specs and CSVs. */
export const round = (x: number): number => roundSignificant(x, 6);

/** A rounded value, or null (no value: a gap in a line, an empty CSV cell). */
export const finite = (x: number): number | null => (Number.isFinite(x) ? round(x) : null);

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LONGEST_TICK_STEP_HOURS = 2160;
const TICK_STEPS_HOURS = [1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720, 1440, LONGEST_TICK_STEP_HOURS];

/** The x encoding of a time-series chart: hours since the start, ticks labelled "Mon 09:00". */
export function timeAxis(totalHours: number): Record<string, unknown> {
  const step = TICK_STEPS_HOURS.find((h) => totalHours / h <= 8) ?? LONGEST_TICK_STEP_HOURS;
  const values: number[] = [];
  for (let h = 0; h <= totalHours + 1e-9; h += step) values.push(h);
  const days = `[${DAY_NAMES.map((d) => `'${d}'`).join(',')}]`;
  const dayName = `${days}[floor(datum.value / 24) % 7]`;
  const labelExpr =
    step < 24 ? `${dayName} + ' ' + (datum.value % 24 < 10 ? '0' : '') + (datum.value % 24) + ':00'` : `'day ' + (floor(datum.value / 24) + 1) + ' (' + ${dayName} + ')'`;
  return {
    field: 'hours',
    type: 'quantitative',
    title: 'simulated time (server clock; the run starts on a Monday at 00:00)',
    scale: { domain: [0, totalHours], nice: false, zero: true },
    axis: { values, labelExpr, labelOverlap: false, labelFlush: false, grid: true },
  };
}

export function runHours(run: ReportRun, scenario: Scenario): number {
  return (run.series.binStartSeconds.length * scenario.run.binMinutes) / 60;
}

/** A series of a time chart: its palette id and one value per bin. */
export interface Series {
  readonly id: string;
  readonly values: readonly number[];
}

/** Long rows {hours, time, series, value} for Vega-Lite (plus `rank` for stacking order). */
export function longRows(run: ReportRun, series: readonly Series[]): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = [];
  run.series.binStartSeconds.forEach((t, b) => {
    series.forEach((s, rank) => {
      rows.push({ hours: round(t / 3600), time: clockLabel(t), series: seriesLabel(s.id), rank, value: finite(s.values[b] ?? 0) });
    });
  });
  return rows;
}

/** The same numbers as a wide CSV: bin start, clock label, one column per series. */
export function wideCsv(run: ReportRun, series: readonly Series[], column: (s: Series) => string): string {
  const rows = run.series.binStartSeconds.map((t, b): Cell[] => [t, clockLabel(t), ...series.map((s) => finite(s.values[b] ?? 0))]);
  return toCsv(['bin_start_s', 'time', ...series.map(column)], rows);
}

export const col = (run: ReportRun, id: string): readonly number[] => run.series.columns[id] ?? run.series.binStartSeconds.map(() => 0);
export const scale = (values: readonly number[], factor: number): number[] => values.map((v) => v * factor);
/** Bin by bin sums of series as long as the first (none: no bins). */
export const add = (...series: (readonly number[])[]): number[] => (series[0] ?? []).map((_, i) => series.reduce((sum, s) => sum + (s[i] ?? 0), 0));
export const maxOf = (values: Iterable<number>): number => {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && v > m) m = v;
  return m;
};
export const slug = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();

export function header(title: string, subtitle: string | string[], description: string): Pick<TopLevelSpec, '$schema' | 'title' | 'description'> {
  return { $schema: SCHEMA, title: { text: title, subtitle }, description };
}

export function binNote(scenario: Scenario): string {
  return `${scenario.run.binMinutes}-minute bins, mean of ${plural(scenario.run.replications, 'replication')}`;
}
