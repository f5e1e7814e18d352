/**
 * The overlaid charts of `mxsim compare`: one line per input, Vega-Lite
 * specs with their data inline (rendered by vega.ts), each with its CSV.
 * Inputs are told apart by colour, dash, marker and stroke width, and a
 * subtitle names the lines that coincide, so three runs never read as one.
 *  - bandwidth-out: client bytes out per bin as a bit rate, over simulated time;
 *  - online-users: users online per bin;
 *  - storage-horizon: total storage at the end of each month of the horizon.
 */
import type { TopLevelSpec } from 'vega-lite';
import { roundSignificant } from '../numeric/index.js';
import { CHART_CONFIG, CHART_WIDTH } from './chart-spec.js';
import type { CompareInput } from './compare-inputs.js';
import { toCsv } from './csv.js';
import { cycle } from './palette.js';
import { bitRateUnit, byteUnit } from './text.js';

export interface CompareChart {
  name: string;
  title: string;
  description: string;
  csvPath: string;
  csv: string;
  spec: TopLevelSpec;
}

type Series = NonNullable<CompareInput['series']>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Colour-blind friendly categorical colours (Okabe–Ito), the baseline first in black. */
const COLORS: readonly [string, ...string[]] = ['#000000', '#e69f00', '#0072b2', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#f0e442'];

/** 6 significant digits, or null (an empty CSV cell, a gap in a line) when not finite. */
const round = (x: number): number | null => (Number.isFinite(x) ? roundSignificant(x, 6) : null);

/** Dash patterns, one per input: the baseline solid, then dashes and dots, so lines that coincide stay told apart. */
const DASHES: readonly [number[], ...number[][]] = [
  [1, 0],
  [7, 4],
  [2, 3],
  [10, 3, 2, 3],
  [4, 2],
  [1, 4],
  [12, 6],
  [6, 2, 2, 2],
];
/** Marker shapes, one per input. */
const SHAPES: readonly [string, ...string[]] = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left'];
/** Markers on every point only up to this many points a line (more would hide the lines). */
const MAX_MARKED_POINTS = 60;

function colorScale(inputs: readonly CompareInput[]) {
  return { domain: inputs.map((i) => i.label), range: inputs.map((_, k) => cycle(COLORS, k)) };
}

/**
 * The encodings that tell the inputs apart even where their lines coincide:
 * a colour, a dash pattern and a marker each, and stroke widths that narrow
 * from the baseline (widest, drawn first) to the last input (narrowest, on
 * top), so a line under another still shows at its edges.
 */
function seriesEncodings(inputs: readonly CompareInput[]): Record<string, unknown> {
  const domain = inputs.map((i) => i.label);
  const widths = inputs.map((_, k) => Math.max(1.2, 5 - (k * 3.8) / Math.max(1, inputs.length - 1)));
  return {
    color: { field: 'input', type: 'nominal', title: null, scale: colorScale(inputs), sort: domain, legend: { orient: 'top', symbolStrokeWidth: 2.5, symbolSize: 260 } },
    strokeDash: { field: 'input', type: 'nominal', title: null, scale: { domain, range: inputs.map((_, k) => cycle(DASHES, k)) }, sort: domain },
    strokeWidth: { field: 'input', type: 'nominal', title: null, scale: { domain, range: widths }, legend: null },
    shape: { field: 'input', type: 'nominal', title: null, scale: { domain, range: inputs.map((_, k) => cycle(SHAPES, k)) }, sort: domain },
    order: { field: 'rank', type: 'quantitative' },
  };
}

/**
 * "Lines that coincide: a and b (within 1% at every point)", or '' when every
 * pair of lines differs somewhere by more than 1% of the chart's range.
 */
export function coincidingNote(rows: readonly Record<string, string | number | null>[], xField: string, labels: readonly string[]): string {
  const byInput = new Map<string, Map<number, number>>();
  let max = 0;
  for (const r of rows) {
    const x = r[xField];
    const v = r['value'];
    if (typeof x !== 'number' || typeof v !== 'number') continue;
    max = Math.max(max, Math.abs(v));
    const m = byInput.get(String(r['input'])) ?? new Map<number, number>();
    m.set(x, v);
    byInput.set(String(r['input']), m);
  }
  const groups: string[][] = [];
  for (const label of labels) {
    const a = byInput.get(label);
    if (!a) continue;
    const same = (b: Map<number, number>) => a.size === b.size && [...a].every(([x, v]) => b.has(x) && Math.abs((b.get(x) ?? NaN) - v) <= 0.01 * max);
    const group = groups.find((g) => same(byInput.get(g[0]!)!));
    if (group) group.push(label);
    else groups.push([label]);
  }
  const together = groups.filter((g) => g.length > 1);
  if (together.length === 0) return '';
  return `lines that coincide (within 1% of the axis at every point), told apart by dash and marker: ${together.map((g) => g.join(' and ')).join('; ')}`;
}

function lineSpec(
  title: string,
  subtitle: string,
  description: string,
  rows: Record<string, string | number | null>[],
  x: Record<string, unknown>,
  yTitle: string,
  inputs: readonly CompareInput[],
): TopLevelSpec {
  const labels = inputs.map((i) => i.label);
  const ranked = rows.map((r) => ({ ...r, rank: labels.indexOf(String(r['input'])) }));
  const pointsPerLine = Math.max(...labels.map((l) => rows.filter((r) => r['input'] === l).length));
  const note = coincidingNote(rows, String(x['field']), labels);
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: note ? [subtitle, note] : subtitle },
    description,
    width: CHART_WIDTH,
    height: 240,
    data: { values: ranked },
    mark: {
      type: 'line',
      interpolate: 'monotone',
      invalid: 'break-paths-show-domains',
      point: pointsPerLine <= MAX_MARKED_POINTS ? { size: 40, filled: true } : false,
    },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', title: yTitle },
      ...seriesEncodings(inputs),
    },
    config: CHART_CONFIG,
  };
}

function timeX(inputs: readonly CompareInput[]): Record<string, unknown> {
  const hours = Math.max(...inputs.map((i) => (i.series ? (i.series.binStartSeconds.length * i.series.binMinutes) / 60 : 0)));
  return { field: 'hours', type: 'quantitative', title: 'hours since the start of the run (Monday 00:00)', scale: { domain: [0, hours], nice: false } };
}

export function compareCharts(inputs: readonly CompareInput[]): CompareChart[] {
  const charts: CompareChart[] = [];
  const timed = inputs.filter((i) => i.series !== null);
  // The same inputs with their series; a bin missing from a column reads NaN, a gap.
  const series = inputs.flatMap((i) => (i.series === null ? [] : [{ label: i.label, s: i.series }]));
  if (series.length > 0) {
    const rate = (s: Series, b: number) => ((s.clientBytesOut[b] ?? NaN) * 8) / (s.binMinutes * 60);
    const max = Math.max(0, ...series.flatMap(({ s }) => s.binStartSeconds.map((_, b) => rate(s, b)).filter(Number.isFinite)));
    const unit = bitRateUnit(max);
    const bwRows = series.flatMap(({ label, s }) => s.binStartSeconds.map((t, b) => ({ input: label, hours: round(t / 3600), value: round(rate(s, b) / unit.divisor) })));
    const bwDescription = `Bandwidth to clients (client bytes out in each bin, as an average bit rate in ${unit.label}), one line per input.`;
    charts.push({
      name: 'bandwidth-out',
      title: 'Bandwidth out to clients',
      description: bwDescription,
      csvPath: 'data/compare-bandwidth-out.csv',
      csv: toCsv(
        ['input', 'bin_start_s', 'hours', 'client_bits_per_s'],
        series.flatMap(({ label, s }) => s.binStartSeconds.map((t, b) => [label, t, round(t / 3600), round(rate(s, b))])),
      ),
      spec: lineSpec('Bandwidth out to clients', `${unit.label}, mean over replications in each bin`, bwDescription, bwRows, timeX(timed), `bit rate (${unit.label})`, inputs),
    });
    const onRows = series.flatMap(({ label, s }) => s.binStartSeconds.map((t, b) => ({ input: label, hours: round(t / 3600), value: round(s.onlineUsers[b] ?? NaN) })));
    const onDescription = 'Users online in each bin (mean over replications), one line per input.';
    charts.push({
      name: 'online-users',
      title: 'Users online',
      description: onDescription,
      csvPath: 'data/compare-online-users.csv',
      csv: toCsv(
        ['input', 'bin_start_s', 'hours', 'online_users'],
        series.flatMap(({ label, s }) => s.binStartSeconds.map((t, b) => [label, t, round(t / 3600), round(s.onlineUsers[b] ?? NaN)])),
      ),
      spec: lineSpec('Users online', 'mean over replications in each bin', onDescription, onRows, timeX(timed), 'users online', inputs),
    });
  }
  const stored = inputs.flatMap((i) => (i.storageHorizon !== null && i.storageHorizon.length > 0 ? [{ label: i.label, horizon: i.storageHorizon }] : []));
  if (stored.length > 0) {
    const unit = byteUnit(Math.max(0, ...stored.flatMap(({ horizon }) => horizon.map((m) => m.totalBytes)).filter(Number.isFinite)));
    const rows = stored.flatMap(({ label, horizon }) => horizon.map((m) => ({ input: label, month: m.month, value: round(m.totalBytes / unit.divisor) })));
    const months = Math.max(...stored.flatMap(({ horizon }) => horizon.map((m) => m.month)));
    const description = `Total storage (database and media) at the end of each month of the horizon, in ${unit.label}, one line per input.`;
    const spec = lineSpec(
      'Storage over the horizon',
      `${unit.label} (1 GiB = 2^30 bytes); month 0 is the start`,
      description,
      rows,
      { field: 'month', type: 'quantitative', title: 'months from the start', scale: { domain: [0, months], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      `storage (${unit.label})`,
      inputs,
    );
    charts.push({
      name: 'storage-horizon',
      title: 'Storage over the horizon',
      description,
      csvPath: 'data/compare-storage-horizon.csv',
      csv: toCsv(
        ['input', 'month', 'total_bytes'],
        stored.flatMap(({ label, horizon }) => horizon.map((m) => [label, m.month, m.totalBytes])),
      ),
      spec,
    });
  }
  return charts;
}
