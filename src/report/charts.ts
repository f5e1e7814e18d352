/**
 * The report's charts as Vega-Lite specs with their data inline, so each
 * `charts/NAME.vl.json` opens as it is in any Vega-Lite editor.
 *
 * Adding a chart is one function: take the `ChartContext`, return a `Chart`
 * (its name, title, spec and the CSV behind it), or null when it does not
 * apply to the run (no federation, no server model), and list it in
 * `CHARTS`. Rendering (SVG, PNG), the HTML page and the Markdown summary pick
 * it up from there.
 *
 * Conventions: the time axis is hours since the start of the run, labelled
 * "Mon 09:00" (the run starts on a Monday at 00:00, server clock); series
 * take their label and colour from palette.ts; every axis title names its
 * unit; the data inline in a spec are exactly the numbers drawn, and the
 * chart's CSV holds the same numbers (an existing report CSV when the chart
 * draws its columns as they are).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Stat } from '../analysis/summarize.js';
import type { CostReport, ProviderReport } from '../cost/cost-report.js';
import type { ReportRun } from '../cost/run.js';
import { saasLabel } from '../cost/saas.js';
import { COST_LINES, type CostLine } from '../cost/selfhost.js';
import { formatCount, formatWholeMoney } from '../format/index.js';
import { EVENT_TYPES, STORAGE_CATEGORIES } from '../model/metrics.js';
import { roundSignificant } from '../numeric/index.js';
import type { Scenario } from '../scenario/grammar.js';
import { toCsv, type Cell } from './csv.js';
import { clockLabel } from './files.js';
import { colorScale, saasColor, SELF_HOST_COLOR, seriesColor, seriesLabel } from './palette.js';
import { bitRateUnit, byteUnit } from './text.js';

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
const CHART_HEIGHT = 260;
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
const round = (x: number): number => roundSignificant(x, 6);

/** A rounded value, or null (no value: a gap in a line, an empty CSV cell). */
const finite = (x: number): number | null => (Number.isFinite(x) ? round(x) : null);

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

function runHours(run: ReportRun, scenario: Scenario): number {
  return (run.series.binStartSeconds.length * scenario.run.binMinutes) / 60;
}

/** A series of a time chart: its palette id and one value per bin. */
interface Series {
  readonly id: string;
  readonly values: readonly number[];
}

/** Long rows {hours, time, series, value} for Vega-Lite (plus `rank` for stacking order). */
function longRows(run: ReportRun, series: readonly Series[]): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = [];
  run.series.binStartSeconds.forEach((t, b) => {
    series.forEach((s, rank) => {
      rows.push({ hours: round(t / 3600), time: clockLabel(t), series: seriesLabel(s.id), rank, value: finite(s.values[b] ?? 0) });
    });
  });
  return rows;
}

/** The same numbers as a wide CSV: bin start, clock label, one column per series. */
function wideCsv(run: ReportRun, series: readonly Series[], column: (s: Series) => string): string {
  const rows = run.series.binStartSeconds.map((t, b): Cell[] => [t, clockLabel(t), ...series.map((s) => finite(s.values[b] ?? 0))]);
  return toCsv(['bin_start_s', 'time', ...series.map(column)], rows);
}

const col = (run: ReportRun, id: string): readonly number[] => run.series.columns[id] ?? run.series.binStartSeconds.map(() => 0);
const scale = (values: readonly number[], factor: number): number[] => values.map((v) => v * factor);
/** Bin by bin sums of series as long as the first (none: no bins). */
const add = (...series: (readonly number[])[]): number[] => (series[0] ?? []).map((_, i) => series.reduce((sum, s) => sum + (s[i] ?? 0), 0));
const maxOf = (values: Iterable<number>): number => {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && v > m) m = v;
  return m;
};
const slug = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();

function header(title: string, subtitle: string | string[], description: string): Pick<TopLevelSpec, '$schema' | 'title' | 'description'> {
  return { $schema: SCHEMA, title: { text: title, subtitle }, description };
}

/** "1 day", "2 days", "0.5 days". */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function binNote(scenario: Scenario): string {
  return `${scenario.run.binMinutes}-minute bins, mean of ${plural(scenario.run.replications, 'replication')}`;
}

// ---------------------------------------------------------------------------
// The charts

export const onlineChart: ChartFunction = ({ run, scenario }) => {
  const series: Series[] = [
    { id: 'online.users', values: col(run, 'online.users') },
    { id: 'online.devices', values: col(run, 'online.devices') },
  ];
  const title = 'Users and devices online';
  const description = 'Users with at least one client online, and devices online, over the simulated time.';
  return {
    name: 'online',
    title,
    description,
    csv: { path: 'data/client.csv' },
    spec: {
      ...header(title, `${scenario.population.users.toLocaleString('en-US')} users; ${binNote(scenario)}`, description),
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      data: { values: longRows(run, series) },
      mark: { type: 'line', interpolate: 'monotone' },
      encoding: {
        x: timeAxis(runHours(run, scenario)),
        y: { field: 'value', type: 'quantitative', title: 'online (time-weighted mean of the bin)' },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)) },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

/** Event types drawn one by one; the rest are summed into "other events". */
const MAIN_EVENT_TYPES = 8;

export const eventsChart: ChartFunction = ({ run, scenario }) => {
  const perHour = 60 / scenario.run.binMinutes;
  const all = EVENT_TYPES.map((e) => ({ id: e.id, values: scale(col(run, e.id), perHour) }))
    .map((s) => ({ ...s, total: s.values.reduce((a, b) => a + b, 0) }))
    .filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total);
  const series: Series[] = all.slice(0, MAIN_EVENT_TYPES);
  const rest = all.slice(MAIN_EVENT_TYPES);
  if (rest.length > 0) series.push({ id: 'other.events', values: add(...rest.map((s) => s.values)) });
  const title = 'Events per hour, by type';
  const description =
    'Events persisted or sent by this server per hour, stacked by type (the most frequent types; the rest as "other events"). Typing, receipts and presence are ephemeral events.';
  return {
    name: 'events',
    title,
    description,
    csv: { path: 'data/events-per-hour.csv', content: wideCsv(run, series, (s) => `${s.id}_per_hour`) },
    spec: {
      ...header(title, `stacked; ${binNote(scenario)}${rest.length > 0 ? `; other events: ${rest.map((s) => s.id).join(', ')}` : ''}`, description),
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      data: { values: longRows(run, series) },
      mark: { type: 'area', opacity: 0.9 },
      encoding: {
        x: timeAxis(runHours(run, scenario)),
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'events per hour' },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)), sort: series.map((s) => seriesLabel(s.id)) },
        order: { field: 'rank', type: 'quantitative', sort: 'descending' },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const bandwidthChart: ChartFunction = ({ run, scenario }) => {
  const bitsPerSecond = 8 / (scenario.run.binMinutes * 60);
  const raw = {
    'bandwidth.client_out': col(run, 'client.bytes_out'),
    'bandwidth.federation_out': col(run, 'fed.out.bytes'),
    'bandwidth.media_out': add(col(run, 'media.bytes_out'), col(run, 'media.fed_bytes_out')),
    'bandwidth.client_in': col(run, 'client.bytes_in'),
    'bandwidth.federation_in': col(run, 'fed.in.bytes'),
    'bandwidth.media_in': col(run, 'media.bytes_in'),
  };
  const bits = Object.entries(raw).map(([id, v]) => ({ id, values: scale(v, bitsPerSecond) }));
  const out = bits.slice(0, 3);
  const inn = bits.slice(3);
  const peak = Math.max(maxOf(add(...out.map((s) => s.values))), maxOf(add(...inn.map((s) => s.values))));
  const unit = bitRateUnit(peak);
  const series: Series[] = bits.map((s) => ({ id: s.id, values: scale(s.values, 1 / unit.divisor) }));
  const outLabels = new Set(out.map((s) => seriesLabel(s.id)));
  const rows = longRows(run, series).map((r) => ({ ...r, direction: outLabels.has(String(r.series)) ? 'out of the server' : 'into the server' }));
  const title = 'Bandwidth by traffic class';
  const description = `Average bit rate in each bin, in ${unit.label} (megabit = 10^6 bits), stacked by class: clients (sync, API), federation (transactions, state) and media (downloads and uploads, including media served to and fetched from other servers).`;
  return {
    name: 'bandwidth',
    title,
    description,
    csv: { path: 'data/bandwidth.csv', content: wideCsv(run, series, (s) => `${s.id.replace('bandwidth.', '')}_${slug(unit.label)}`) },
    spec: {
      ...header(
        title,
        `${unit.label}, averaged over ${scenario.run.binMinutes}-minute bins; stacked; mean of ${plural(scenario.run.replications, 'replication')}; push gateway traffic not included`,
        description,
      ),
      data: { values: rows },
      facet: { row: { field: 'direction', type: 'nominal', title: null, sort: ['out of the server', 'into the server'] } },
      spec: {
        width: CHART_WIDTH,
        height: 170,
        mark: { type: 'area', opacity: 0.9 },
        encoding: {
          x: timeAxis(runHours(run, scenario)),
          y: { field: 'value', type: 'quantitative', stack: 'zero', title: `bit rate (${unit.label})` },
          color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)) },
          order: { field: 'rank', type: 'quantitative' },
        },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const federationChart: ChartFunction = ({ run, scenario }) => {
  if (scenario.federation.mode === 'closed' || scenario.federation.remoteServers === 0) return null;
  const perSecond = 1 / (scenario.run.binMinutes * 60);
  const pdus = col(run, 'fed.out.pdus');
  const txns = col(run, 'fed.out.transactions');
  const transactions: Series[] = [
    { id: 'fed.out.transactions', values: scale(txns, perSecond) },
    { id: 'fed.in.transactions', values: scale(col(run, 'fed.in.transactions'), perSecond) },
    { id: 'fed.out.failed_attempts', values: scale(col(run, 'fed.out.failed_attempts'), perSecond) },
  ];
  // NaN where a bin sent no transaction: a gap in the line, an empty CSV cell.
  const batching: Series[] = [
    {
      id: 'fed.pdus_per_transaction',
      values: pdus.map((p, i) => {
        const t = txns[i] ?? 0;
        return t > 0 ? p / t : NaN;
      }),
    },
  ];
  const eduIds = ['fed.out.edus.presence', 'fed.out.edus.receipt', 'fed.out.edus.typing', 'fed.out.edus.to_device', 'fed.out.edus.device_list'];
  const edus: Series[] = eduIds.map((id) => ({ id, values: scale(col(run, id), perSecond) }));
  const panel = (name: string, s: Series[]) => longRows(run, s).map((r) => ({ ...r, panel: name }));
  const rows = [...panel('transactions', transactions), ...panel('batching', batching), ...panel('edus', edus)];
  const x = timeAxis(runHours(run, scenario));
  const xNoTitle = { ...x, title: null };
  const title = 'Federation fan-out';
  const description =
    'Outbound federation to the remote servers: transactions per second (sent, received, failed), how many PDUs a sent transaction carries on average, and EDUs sent per second by type.';
  const sub = (t: string, filter: string, height: number) => ({
    title: { text: t, fontSize: 13, anchor: 'start' },
    transform: [{ filter: `datum.panel === '${filter}'` }],
    width: CHART_WIDTH,
    height,
  });
  return {
    name: 'federation',
    title,
    description,
    csv: {
      path: 'data/federation-fanout.csv',
      content: wideCsv(run, [...transactions, ...batching, ...edus], (s) => (s.id === 'fed.pdus_per_transaction' ? 'pdus_per_transaction' : `${s.id}_per_s`)),
    },
    spec: {
      ...header(title, `${scenario.federation.remoteServers} remote servers (${scenario.federation.mode}); ${binNote(scenario)}`, description),
      data: { values: rows },
      vconcat: [
        {
          ...sub('Transactions per second', 'transactions', 130),
          mark: { type: 'line', interpolate: 'monotone' },
          encoding: {
            x: xNoTitle,
            y: { field: 'value', type: 'quantitative', title: 'transactions/s' },
            color: { field: 'series', type: 'nominal', title: null, scale: colorScale(transactions.map((s) => s.id)) },
          },
        },
        {
          ...sub('PDUs per transaction sent (mean in each bin; the spec allows at most 50)', 'batching', 100),
          mark: { type: 'line', interpolate: 'step-after', color: seriesColor('fed.pdus_per_transaction'), invalid: 'break-paths-show-domains' },
          encoding: { x: xNoTitle, y: { field: 'value', type: 'quantitative', title: 'PDUs/transaction' } },
        },
        {
          ...sub('EDUs sent per second, by type (stacked)', 'edus', 130),
          mark: { type: 'area', opacity: 0.9 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'EDUs/s' },
            color: { field: 'series', type: 'nominal', title: null, scale: colorScale(edus.map((s) => s.id)) },
            order: { field: 'rank', type: 'quantitative' },
          },
        },
      ],
      resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const storageGrowthChart: ChartFunction = ({ run, scenario }) => {
  const months = run.storage;
  const present = STORAGE_CATEGORIES.filter((c) => months.some((m) => m.byCategory[c] > 0));
  const unit = byteUnit(maxOf(months.map((m) => m.total)));
  const ids = present.map((c) => `storage.${c}`);
  const rows = months.flatMap((m) =>
    present.map((c, rank) => ({ month: m.month, users: round(m.users), series: seriesLabel(`storage.${c}`), rank, value: round(m.byCategory[c] / unit.divisor) })),
  );
  const csv = toCsv(
    ['month', 'users', ...present.map((c) => `${c}_${slug(unit.label)}`), `total_${slug(unit.label)}`],
    months.map((m) => [m.month, round(m.users), ...present.map((c) => round(m.byCategory[c] / unit.divisor)), round(m.total / unit.divisor)]),
  );
  const retention = scenario.features.retentionDays;
  const title = 'Storage over the horizon, by category';
  const description = `Database and media storage at the end of each month, in ${unit.label}, stacked by category, with ${(scenario.population.growthPerMonth * 100).toFixed(1)}% user growth a month and ${retention === null ? 'no retention (everything kept)' : `${retention}-day retention`}.`;
  return {
    name: 'storage-growth',
    title,
    description,
    csv: { path: 'data/storage-growth.csv', content: csv },
    spec: {
      ...header(
        title,
        `${unit.label} (1 GiB = 2^30 bytes); month 0 is the start; stacked; growth ${(scenario.population.growthPerMonth * 100).toFixed(1)}%/month; ${retention === null ? 'no retention' : `retention ${retention} days`}`,
        description,
      ),
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      data: { values: rows },
      mark: { type: 'area', opacity: 0.9 },
      encoding: {
        x: {
          field: 'month',
          type: 'quantitative',
          title: 'months from the start',
          scale: { domain: [0, scenario.run.horizonMonths], nice: false },
          axis: { tickMinStep: 1, format: 'd' },
        },
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: `storage (${unit.label})` },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(ids) },
        order: { field: 'rank', type: 'quantitative' },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const storageAddedChart: ChartFunction = ({ run, scenario }) => {
  const days = scenario.run.days;
  const byCategory = run.summary.storage.byCategory;
  const added = (st: Stat) => ({ mean: st.mean * days, lo: st.ci95[0] * days, hi: st.ci95[1] * days });
  const values = STORAGE_CATEGORIES.map((c) => ({ c, ...added(byCategory[c].bytesPerDay) }));
  const unit = byteUnit(maxOf(values.flatMap((v) => [v.mean, v.hi])));
  const show = (x: number) => (Number.isFinite(x) ? round(x / unit.divisor) : null);
  const rows = values.map((v) => ({ series: seriesLabel(`storage.${v.c}`), value: show(v.mean), ci_low: show(v.lo), ci_high: show(v.hi) }));
  const u = slug(unit.label);
  const csv = toCsv(
    ['category', `added_${u}`, `ci95_low_${u}`, `ci95_high_${u}`],
    values.map((v) => [v.c, show(v.mean), show(v.lo), show(v.hi)]),
  );
  const ids = STORAGE_CATEGORIES.map((c) => `storage.${c}`);
  const order = ids.map(seriesLabel);
  const title = 'Storage added during the run, by category';
  const n = scenario.run.replications;
  const description = `Bytes written to the database and media store during the ${plural(days, 'simulated day')}, in ${unit.label}, by category; the whiskers are 95% confidence intervals over replications.`;
  return {
    name: 'storage-added',
    title,
    description,
    csv: { path: 'data/storage-added.csv', content: csv },
    spec: {
      ...header(
        title,
        `${unit.label} over ${plural(days, 'simulated day')}; mean of ${plural(n, 'replication')} with 95% confidence intervals (lower ends below 0 drawn at 0)`,
        description,
      ),
      width: CHART_WIDTH - 120,
      data: { values: rows },
      encoding: { y: { field: 'series', type: 'nominal', title: null, sort: order, axis: { labelLimit: 240 } } },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'value', type: 'quantitative', title: `added during the run (${unit.label})`, scale: { domainMin: 0, clamp: true }, axis: { tickCount: 8 } },
            color: { field: 'series', type: 'nominal', legend: null, scale: colorScale(ids) },
          },
        },
        {
          mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
          encoding: { x: { field: 'ci_low', type: 'quantitative' }, x2: { field: 'ci_high' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 6, fontSize: 11, color: '#333333' },
          encoding: { x: { field: 'ci_high', type: 'quantitative' }, text: { field: 'value', type: 'quantitative', format: ',.3~r' } },
        },
      ],
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const pushChart: ChartFunction = ({ run, scenario }) => {
  const perHour = 60 / scenario.run.binMinutes;
  const series: Series[] = [{ id: 'push.notifications', values: scale(col(run, 'push.notifications'), perHour) }];
  const title = 'Push notifications per hour';
  const description =
    'Notifications this server sends to push gateways per hour: default push rules notify every message in a two-member room and mentions elsewhere, to every phone with a pusher of the notified users.';
  return {
    name: 'push',
    title,
    description,
    csv: { path: 'data/push.csv', content: wideCsv(run, series, () => 'push_notifications_per_hour') },
    spec: {
      ...header(title, `${(scenario.population.mobileDeviceShare * 100).toFixed(0)}% of devices are phones with a pusher; ${binNote(scenario)}`, description),
      width: CHART_WIDTH,
      height: 200,
      data: { values: longRows(run, series) },
      mark: { type: 'area', interpolate: 'monotone', color: seriesColor('push.notifications'), opacity: 0.85, line: { color: seriesColor('push.notifications') } },
      encoding: {
        x: timeAxis(runHours(run, scenario)),
        y: { field: 'value', type: 'quantitative', title: 'notifications per hour' },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

// ---------------------------------------------------------------------------
// Server charts: from the homeserver model (run.server, run.latency and the
// summary's resources and recommendation). Processes of one kind (sync-1 ..
// sync-12) are summed into one series or bar, named with their count, so a
// chart stays readable however many workers run.

/** Processes of one kind, PostgreSQL as one more. */
interface ProcessGroup {
  /** The process name without its `-N` suffix (`sync`, `main`, `tuwunel`), or `postgres`. */
  readonly key: string;
  /** Palette id of the kind: `process.sync`, `process.postgres`. */
  readonly paletteId: string;
  /** "sync workers (4)", "main process", "PostgreSQL". */
  readonly label: string;
  /** Process names, as in the columns of data/server.csv. */
  readonly names: readonly string[];
  /** Cores they can use: one per single-threaded process, the configured cores of a multi-threaded server or PostgreSQL. */
  readonly capacity: number;
  readonly ramBytes: number;
  /** Highest p95 utilisation of any process of the kind. */
  readonly utilizationP95: number;
}

/** The kind of a process, as the charts group them: its name without the `-N` suffix. */
export const processKind = (name: string): string => name.replace(/-\d+$/, '');

/** The run's processes grouped by kind, in the order of the deployment, PostgreSQL last. */
export function processGroups(run: ReportRun, scenario: Scenario): ProcessGroup[] {
  const res = run.summary.resources;
  const groups = new Map<string, { kind: string; names: string[]; capacity: number; ramBytes: number; utilizationP95: number }>();
  for (const p of res.processes) {
    const key = processKind(p.name);
    const g = groups.get(key) ?? { kind: p.kind, names: [], capacity: 0, ramBytes: 0, utilizationP95: 0 };
    g.names.push(p.name);
    g.capacity += p.cores;
    g.ramBytes += p.ramBytesPeak;
    g.utilizationP95 = Math.max(g.utilizationP95, p.utilizationP95);
    groups.set(key, g);
  }
  const single = res.processes.length === 1;
  const out: ProcessGroup[] = [...groups].map(([key, g]) => {
    const paletteId = `process.${g.kind}`;
    const label =
      g.kind === 'server'
        ? `${key} (multi-threaded, ${plural(g.capacity, 'core')})`
        : g.kind === 'main'
          ? single
            ? `${scenario.run.server.implementation} (one process)`
            : seriesLabel(paletteId)
          : `${seriesLabel(paletteId)} (${g.names.length})`;
    return { key, paletteId, label, names: g.names, capacity: g.capacity, ramBytes: g.ramBytes, utilizationP95: g.utilizationP95 };
  });
  if (res.database) {
    const db = res.database;
    out.push({
      key: 'postgres',
      paletteId: 'process.postgres',
      label: seriesLabel('process.postgres'),
      names: ['postgres'],
      capacity: db.cores,
      ramBytes: db.ramBytes,
      utilizationP95: db.utilizationP95,
    });
  }
  return out;
}

/** Colour scale of the groups: their labels, the colours of their kinds. */
const groupScale = (groups: readonly ProcessGroup[]) => ({ domain: groups.map((g) => g.label), range: groups.map((g) => seriesColor(g.paletteId)) });

const percent = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

export const cpuChart: ChartFunction = ({ run, scenario }) => {
  const server = run.server;
  const bins = server.binStartSeconds;
  const groups = processGroups(run, scenario).filter((g) => g.names.some((n) => server.columns[`cores.${n}`]));
  if (groups.length === 0 || bins.length === 0) return null;
  const sum = (prefix: string, g: ProcessGroup) => add(...g.names.map((n) => server.columns[`${prefix}.${n}`] ?? bins.map(() => 0)));
  const data = groups.map((g) => ({ g, busy: sum('cores', g), offered: sum('offered', g), panel: `${g.label}: capacity ${plural(g.capacity, 'core')}` }));
  const busyLabel = seriesLabel('cpu.busy');
  const offeredLabel = seriesLabel('cpu.offered');
  const rows = data.flatMap((d) =>
    bins.flatMap((t, b) => [
      { panel: d.panel, hours: round(t / 3600), time: clockLabel(t), series: offeredLabel, value: finite(d.offered[b] ?? 0), capacity: d.g.capacity },
      { panel: d.panel, hours: round(t / 3600), time: clockLabel(t), series: busyLabel, value: finite(d.busy[b] ?? 0), capacity: d.g.capacity },
    ]),
  );
  const csv = toCsv(
    ['kind', 'processes', 'capacity_cores', 'bin_start_s', 'time', 'cores_busy', 'cores_offered'],
    data.flatMap((d) => bins.map((t, b): Cell[] => [d.g.key, d.g.names.length, d.g.capacity, t, clockLabel(t), finite(d.busy[b] ?? 0), finite(d.offered[b] ?? 0)])),
  );
  const saturated = data.filter((d) => d.offered.some((v) => v > d.g.capacity * 1.001)).map((d) => d.g.label);
  const title = 'CPU: cores busy per process kind';
  const description =
    'Cores busy in each bin for each kind of process (processes of one kind summed) and for PostgreSQL, against their capacity (dashed line); the light line is the CPU demanded, which rises above the capacity when a process is saturated and requests queue.';
  const line = (label: string, strokeWidth: number) => ({
    transform: [{ filter: `datum.series === '${label}'` }],
    mark: { type: 'line', interpolate: 'linear', strokeWidth },
    encoding: {
      x: timeAxis(runHours(run, scenario)),
      y: { field: 'value', type: 'quantitative', title: 'cores', axis: { tickCount: 3 } },
      color: { field: 'series', type: 'nominal', title: null, scale: colorScale(['cpu.busy', 'cpu.offered']), legend: { orient: 'top' } },
    },
  });
  return {
    name: 'cpu',
    title,
    description,
    csv: { path: 'data/server-cpu.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `cores (1 = one core fully busy); ${binNote(scenario)}; dashed line: capacity of the kind`,
          saturated.length > 0 ? `demand above capacity (saturated): ${saturated.join(', ')}` : 'demand stays within capacity for every kind',
        ],
        description,
      ),
      data: { values: rows },
      facet: { field: 'panel', type: 'nominal', title: null, sort: data.map((d) => d.panel), header: { labelAnchor: 'start', labelPadding: 4 } },
      columns: 1,
      spacing: 14,
      spec: {
        width: CHART_WIDTH,
        height: 64,
        layer: [
          line(offeredLabel, 4),
          line(busyLabel, 1.6),
          {
            mark: { type: 'rule', color: seriesColor('cpu.capacity'), strokeDash: [5, 4], strokeWidth: 1.4 },
            encoding: { y: { field: 'capacity', type: 'quantitative', aggregate: 'max' } },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
      config: CHART_CONFIG,
    } as unknown as TopLevelSpec,
  };
};

const QUANTILE_OF: Record<string, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

export const latencyChart: ChartFunction = ({ run }) => {
  const series = [
    { id: 'latency.local_send', pick: (l: ReportRun['latency'][number]) => l.localSendMs },
    { id: 'latency.federation_delivery', pick: (l: ReportRun['latency'][number]) => l.federationDeliveryMs },
  ];
  const rows = series.flatMap((s, rank) =>
    run.latency.flatMap((l) => {
      const ms = s.pick(l);
      return ms !== null && Number.isFinite(ms) && ms > 0 ? [{ series: seriesLabel(s.id), rank, quantile: l.quantile, ms: round(ms) }] : [];
    }),
  );
  if (rows.length === 0) return null;
  const drawn = series.filter((s) => rows.some((r) => r.series === seriesLabel(s.id)));
  const t = run.summary.recommendation.targets;
  const q = QUANTILE_OF[t.latencyPercentile] ?? 0.95;
  const simulated = run.summary.latencyMs.localSend[t.latencyPercentile]?.mean;
  const bound = `target: ${t.latencyPercentile} of local send ≤ ${t.localSendMs.toLocaleString('en-US')} ms`;
  const result =
    simulated !== undefined && Number.isFinite(simulated)
      ? `simulated ${t.latencyPercentile}: ${formatCount(simulated)} ms (${simulated <= t.localSendMs ? 'met' : 'missed'})`
      : `no local send simulated`;
  const title = 'Latency distributions';
  const description = `Share of messages delivered within a given time: local send (from sending until the first online device of another local user has it) and federation delivery (until the remote server has the event), merged over replications. The target bound, ${t.latencyPercentile} ≤ ${t.localSendMs.toLocaleString('en-US')} ms for local send, is the dashed line.`;
  const targetRow = [{ ms: t.localSendMs, quantile: q, label: `${t.latencyPercentile} ≤ ${t.localSendMs.toLocaleString('en-US')} ms` }];
  // Whole decades, ticks on the powers of ten only (the 1-2-5 labels of a log axis collide).
  const all = [...rows.map((r) => r.ms), t.localSendMs];
  const lo = Math.floor(Math.log10(Math.min(...all)));
  const hi = Math.ceil(Math.log10(Math.max(...all)));
  const decades = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  return {
    name: 'latency',
    title,
    description,
    csv: { path: 'data/latency.csv' },
    spec: {
      ...header(
        title,
        [
          `cumulative distribution; latency on a log scale; ${bound} (dashed lines); ${result}`,
          drawn.length < series.length ? 'no federation delivery (no PDU sent to a remote server)' : 'all replications merged',
        ],
        description,
      ),
      width: CHART_WIDTH - 80,
      height: CHART_HEIGHT + 20,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', point: { size: 28, filled: true } },
          encoding: {
            x: {
              field: 'ms',
              type: 'quantitative',
              title: 'latency (ms, log scale)',
              scale: { type: 'log', domain: [decades[0], decades.at(-1)], nice: false },
              axis: { values: decades, format: ',~r', grid: true },
            },
            y: {
              field: 'quantile',
              type: 'quantitative',
              title: 'share delivered within (quantile)',
              scale: { domain: [0, 1] },
              axis: { format: '.0%', values: [0, 0.25, 0.5, 0.75, 0.95, 1] },
            },
            color: { field: 'series', type: 'nominal', title: null, scale: colorScale(drawn.map((s) => s.id)), legend: { orient: 'bottom-right' } },
            order: { field: 'quantile', type: 'quantitative' },
          },
        },
        {
          data: { values: targetRow },
          mark: { type: 'rule', color: '#222222', strokeDash: [5, 4], strokeWidth: 1.4 },
          encoding: { x: { field: 'ms', type: 'quantitative' } },
        },
        {
          data: { values: targetRow },
          mark: { type: 'rule', color: '#777777', strokeDash: [2, 3], strokeWidth: 1 },
          encoding: { y: { field: 'quantile', type: 'quantitative' } },
        },
        {
          data: { values: targetRow },
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 5, dy: 4, fontSize: 11, color: '#222222' },
          encoding: { x: { field: 'ms', type: 'quantitative' }, y: { field: 'quantile', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
        },
      ],
      config: CHART_CONFIG,
    } as unknown as TopLevelSpec,
  };
};

const GIB = 1024 ** 3;

export const memoryChart: ChartFunction = ({ run, scenario }) => {
  const groups = processGroups(run, scenario);
  if (groups.length === 0) return null;
  const rows = groups.map((g) => ({ series: g.label, value: round(g.ramBytes / GIB) }));
  const csv = toCsv(
    ['kind', 'processes', 'ram_gib'],
    groups.map((g) => [g.key, g.names.length, round(g.ramBytes / GIB)]),
  );
  const total = groups.reduce((s, g) => s + g.ramBytes, 0) / GIB;
  const rec = run.summary.recommendation;
  const title = 'Memory by process kind';
  const description = `Peak resident memory of each kind of process in the simulated deployment (processes of one kind summed, their count in brackets) and PostgreSQL's memory, in GiB. The recommended deployment has ${rec.ramGiB.toLocaleString('en-US')} GiB of RAM in all.`;
  return {
    name: 'memory',
    title,
    description,
    csv: { path: 'data/memory.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `GiB (1 GiB = 2^30 bytes); peak over the run; simulated deployment in all: ${round(total).toPrecision(3)} GiB`,
          `recommended RAM in all: ${rec.ramGiB.toLocaleString('en-US')} GiB (PostgreSQL's ${rec.databaseRamGiB.toLocaleString('en-US')} GiB included)`,
        ],
        description,
      ),
      width: CHART_WIDTH - 220,
      data: { values: rows },
      encoding: { y: { field: 'series', type: 'nominal', title: null, sort: groups.map((g) => g.label), axis: { labelLimit: 280 } } },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'value', type: 'quantitative', title: 'peak memory (GiB)', axis: { tickCount: 8 } },
            color: { field: 'series', type: 'nominal', legend: null, scale: groupScale(groups) },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 5, fontSize: 11, color: '#333333' },
          encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'value', type: 'quantitative', format: ',.3~r' } },
        },
      ],
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const utilizationChart: ChartFunction = ({ run, scenario }) => {
  const groups = processGroups(run, scenario);
  if (groups.length === 0) return null;
  const rec = run.summary.recommendation;
  const ceiling = rec.targets.cpuUtilization;
  const ok = seriesLabel('utilization.ok');
  const over = seriesLabel('utilization.over');
  const rows = groups.map((g) => ({ series: g.label, value: round(g.utilizationP95), status: g.utilizationP95 > ceiling ? over : ok, text: percent(g.utilizationP95) }));
  const csv = toCsv(
    ['kind', 'processes', 'capacity_cores', 'utilization_p95', 'ceiling', 'above_ceiling'],
    groups.map((g) => [g.key, g.names.length, g.capacity, round(g.utilizationP95), ceiling, g.utilizationP95 > ceiling ? 'yes' : 'no']),
  );
  const v = rec.verification;
  const verified = v
    ? `recommended deployment re-simulated: highest p95 utilisation ${percent(v.utilizationP95Max)}, targets ${v.meetsTargets ? 'met' : 'missed'}`
    : 'recommended deployment not re-simulated';
  const overCount = rows.filter((r) => r.status === over).length;
  const title = 'CPU utilisation against the target';
  const description = `The 95th percentile of per-bin CPU utilisation (cores busy / capacity) of each kind of process in the simulated deployment (the highest process of the kind) and of PostgreSQL, against the ceiling the recommendation accepts (${percent(ceiling)}, dashed line); bars above it are red.`;
  const top = Math.max(1, ...groups.map((g) => g.utilizationP95));
  return {
    name: 'utilization',
    title,
    description,
    csv: { path: 'data/utilization.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `p95 of the bins after warm-up, highest process of each kind; ceiling ${percent(ceiling)} (dashed line); ${overCount === 0 ? 'every kind within it' : `${plural(overCount, 'kind')} above it`}`,
          verified,
        ],
        description,
      ),
      width: CHART_WIDTH - 220,
      layer: [
        {
          data: { values: rows },
          encoding: { y: { field: 'series', type: 'nominal', title: null, sort: groups.map((g) => g.label), axis: { labelLimit: 280 } } },
          layer: [
            {
              mark: { type: 'bar', height: { band: 0.7 } },
              encoding: {
                x: {
                  field: 'value',
                  type: 'quantitative',
                  title: 'p95 CPU utilisation (% of capacity)',
                  scale: { domain: [0, top], nice: false },
                  axis: { format: '.0%', tickCount: 10 },
                },
                color: {
                  field: 'status',
                  type: 'nominal',
                  title: null,
                  scale: { domain: [ok, over], range: [seriesColor('utilization.ok'), seriesColor('utilization.over')] },
                  legend: { orient: 'bottom', direction: 'horizontal' },
                },
              },
            },
            {
              mark: { type: 'text', align: 'left', dx: 5, fontSize: 11, color: '#333333' },
              encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
            },
          ],
        },
        {
          data: { values: [{ ceiling, label: `ceiling ${percent(ceiling)}` }] },
          layer: [
            { mark: { type: 'rule', color: '#222222', strokeDash: [5, 4], strokeWidth: 1.5 }, encoding: { x: { field: 'ceiling', type: 'quantitative' } } },
            {
              mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, y: -2, fontSize: 11, color: '#222222' },
              encoding: { x: { field: 'ceiling', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
            },
          ],
        },
      ],
      config: CHART_CONFIG,
    } as unknown as TopLevelSpec,
  };
};

// ---------------------------------------------------------------------------
// Cost charts: from the run's cost report (src/cost), null when the run was
// not costed or the cost could not be computed. Money is in the report's
// currency, named in every axis title; nothing is converted here.

/** "USD, excl. VAT" */
function costBasis(c: CostReport): string {
  return `${c.currency}, ${c.vatIncluded ? 'incl.' : 'excl.'} VAT`;
}

/** Rates used, for subtitles: "1 EUR = 1.08696 USD (inverse of USD:EUR=0.92)", or "no currency converted". */
function ratesNote(c: CostReport): string {
  if (c.rates.length === 0) return 'no currency converted';
  return c.rates.map((r) => `1 ${r.from} = ${round(r.rate)} ${r.to} (${r.inverse ? `inverse of ${r.stated}` : r.stated})`).join(', ');
}

/** Offers drawn in the breakdown chart, cheapest first. */
const COST_BREAKDOWN_OFFERS = 12;

const COST_LINE_COLUMN: Record<CostLine, string> = {
  compute: 'compute',
  blockStorage: 'block_storage',
  objectStorage: 'object_storage',
  egress: 'egress',
  database: 'database',
  backups: 'backups',
  labour: 'labour',
  setup: 'setup',
};

export const costBreakdownChart: ChartFunction = ({ run }) => {
  const c = run.cost ?? null;
  if (!c || !c.selfHost) return null;
  const H = c.horizonMonths;
  const all: ProviderReport[] = [c.selfHost, ...c.alternatives];
  const offers = all.slice(0, COST_BREAKDOWN_OFFERS);
  const lines = COST_LINES.filter((k) => offers.some((p) => p.breakdown[k] !== 0));
  const perMonth = (p: ProviderReport, k: CostLine) => round(p.breakdown[k] / H);
  const rows = offers.flatMap((p) => lines.map((k, rank) => ({ offer: p.label, series: seriesLabel(`cost.${k}`), rank, value: perMonth(p, k), total: round(p.horizonTotal / H) })));
  const csv = toCsv(
    ['provider', 'region', ...lines.map((k) => `${COST_LINE_COLUMN[k]}_per_month`), 'total_per_month', 'horizon_total', 'currency'],
    offers.map((p) => [p.provider, p.region, ...lines.map((k) => perMonth(p, k)), round(p.horizonTotal / H), p.horizonTotal, c.currency]),
  );
  const title = 'Self-hosting cost per month, by provider';
  const shown = all.length > offers.length ? `the ${offers.length} cheapest of ${all.length} offers` : `${plural(all.length, 'offer')}`;
  const description = `Average monthly cost of self-hosting over the ${H}-month horizon (horizon total / ${H}, setup spread over it) on each provider in scope, in ${c.currency}, stacked by cost line; cheapest first. Database ${c.selfHost.database}.`;
  const ids = lines.map((k) => `cost.${k}`);
  return {
    name: 'cost-breakdown',
    title,
    description,
    csv: { path: 'data/cost-breakdown.csv', content: csv },
    spec: {
      ...header(title, [`${costBasis(c)}; average of months 1 to ${H}; ${shown}; database ${c.selfHost.database}`, `rates: ${ratesNote(c)}`], description),
      width: CHART_WIDTH - 220,
      data: { values: rows },
      encoding: { y: { field: 'offer', type: 'nominal', title: null, sort: offers.map((p) => p.label), axis: { labelLimit: 220 } } },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'value', type: 'quantitative', stack: 'zero', title: `average cost per month (${c.currency})`, axis: { format: ',.0f', tickCount: 8 } },
            color: { field: 'series', type: 'nominal', title: null, scale: colorScale(ids), sort: ids.map(seriesLabel) },
            order: { field: 'rank', type: 'quantitative' },
          },
        },
        {
          transform: [{ filter: 'datum.rank === 0' }],
          mark: { type: 'text', align: 'left', dx: 5, fontSize: 11, color: '#333333' },
          encoding: { x: { field: 'total', type: 'quantitative' }, text: { field: 'total', type: 'quantitative', format: ',.0f' } },
        },
      ],
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const costCumulativeChart: ChartFunction = ({ run }) => {
  const c = run.cost ?? null;
  if (!c || (!c.selfHost && c.saas.length === 0)) return null;
  const H = c.horizonMonths;
  const saas = [...c.saas].sort((a, b) => a.horizonTotal - b.horizonTotal || saasLabel(a).localeCompare(saasLabel(b)));
  const selfLabel = c.selfHost ? `self-hosting on ${c.selfHost.label}` : null;
  const series: { label: string; kind: string; color: string; cumulative: number[] }[] = [];
  if (c.selfHost && selfLabel) series.push({ label: selfLabel, kind: 'self-hosting', color: SELF_HOST_COLOR, cumulative: c.selfHost.byMonth.map((m) => m.cumulative) });
  saas.forEach((s, i) => series.push({ label: `SaaS: ${saasLabel(s)}`, kind: 'SaaS', color: saasColor(i), cumulative: s.byMonth.map((m) => m.cumulative) }));
  const months = Array.from({ length: H + 1 }, (_, m) => m);
  const at = (cum: readonly number[], m: number) => (m === 0 ? 0 : round(cum[m - 1] ?? NaN));
  const rows = series.flatMap((s, rank) => months.map((m) => ({ month: m, series: s.label, kind: s.kind, rank, value: at(s.cumulative, m) })));
  const csv = toCsv(
    ['month', ...series.map((s) => slug(s.label)), 'currency'],
    months.map((m) => [m, ...series.map((s) => at(s.cumulative, m)), c.currency]),
  );
  // The self-hosting total, written at the end of its line.
  const selfEnd = c.selfHost ? c.selfHost.byMonth.at(-1)?.cumulative : undefined;
  const ends = selfEnd === undefined ? [] : [{ month: H, value: round(selfEnd), label: `self-hosting: ${formatWholeMoney(selfEnd, c.currency)}` }];
  // The break-even marked is the one against the cheapest SaaS plan.
  const head = saas[0];
  const be = head && c.selfHost ? c.breakEven.find((b) => b.vendor === head.vendor && b.plan === head.plan) : undefined;
  const marks: Record<string, unknown>[] = [];
  let beNote = '';
  if (be && head) {
    if (be.month !== null) {
      const label = `break-even with ${saasLabel(head)}: month ${be.month}`;
      beNote = `${label} (dashed line)`;
      marks.push(
        {
          data: { values: [{ month: be.month, label }] },
          mark: { type: 'rule', color: '#333333', strokeDash: [5, 4], strokeWidth: 1.5 },
          encoding: { x: { field: 'month', type: 'quantitative' } },
        },
        {
          data: { values: [{ month: be.month, label }] },
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 5, y: 4, fontSize: 11, color: '#222222' },
          encoding: { x: { field: 'month', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
        },
      );
    } else {
      beNote = `no break-even with ${saasLabel(head)} within ${H} months`;
    }
  }
  // A dot on the self-hosting line where it overtakes each plan.
  const selfHost = c.selfHost;
  const crossings = selfHost
    ? saas.flatMap((p) => {
        const b = c.breakEven.find((x) => x.vendor === p.vendor && x.plan === p.plan);
        return b && b.month !== null
          ? [
              {
                month: b.month,
                value: at(
                  selfHost.byMonth.map((m) => m.cumulative),
                  b.month,
                ),
                series: `SaaS: ${saasLabel(p)}`,
              },
            ]
          : [];
      })
    : [];
  if (crossings.length > 0) {
    marks.push({
      data: { values: crossings },
      mark: { type: 'point', filled: true, size: 70, stroke: '#ffffff', strokeWidth: 1, opacity: 1 },
      encoding: { x: { field: 'month', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, color: { field: 'series', type: 'nominal' } },
    });
  }
  const title = 'Cumulative cost: self-hosting against SaaS';
  const description =
    `Cumulative cost month by month over ${H} months, in ${c.currency}: self-hosting on the cheapest provider (setup in month 1) and each SaaS plan in scope (seats for the growing users). ${beNote ? `${beNote.charAt(0).toUpperCase()}${beNote.slice(1)}.` : ''}`.trim();
  return {
    name: 'cost-cumulative',
    title,
    description,
    csv: { path: 'data/cost-monthly.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `${costBasis(c)}; SaaS billed ${c.billing === 'annual' ? 'annually' : 'monthly'}${beNote ? `; ${beNote}` : ''}`,
          `${crossings.length > 0 ? 'dots: where self-hosting becomes cheaper than a plan; ' : ''}rates: ${ratesNote(c)}`,
        ],
        description,
      ),
      width: CHART_WIDTH - 120,
      height: CHART_HEIGHT + 60,
      layer: [
        ...(['self-hosting', 'SaaS'] as const).map((kind) => ({
          data: { values: rows },
          transform: [{ filter: `datum.kind === '${kind}'` }],
          mark: { type: 'line', interpolate: 'linear', strokeWidth: kind === 'self-hosting' ? 3.5 : 1.6 },
          encoding: {
            x: { field: 'month', type: 'quantitative', title: 'months from the start', scale: { domain: [0, H], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
            y: { field: 'value', type: 'quantitative', title: `cumulative cost (${c.currency})`, axis: { format: ',.0f' } },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) },
              sort: series.map((s) => s.label),
              legend: { labelLimit: 360 },
            },
            order: { field: 'month', type: 'quantitative' },
          },
        })),
        {
          data: { values: ends },
          mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -2, dy: -4, fontSize: 11, fontWeight: 'bold', color: SELF_HOST_COLOR },
          encoding: { x: { field: 'month', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
        },
        ...marks,
      ],
      config: CHART_CONFIG,
    } as unknown as TopLevelSpec,
  };
};

export const costSensitivityChart: ChartFunction = ({ run }) => {
  const c = run.cost ?? null;
  const sens = c?.sensitivity;
  if (!c || !sens || sens.inputs.length === 0) return null;
  const H = c.horizonMonths;
  const typical = round(sens.range.typical);
  const inputs = sens.inputs; // sorted by swing, largest first
  const low = seriesLabel('cost.low');
  const high = seriesLabel('cost.high');
  const rows = inputs.flatMap((t) => {
    const same = round(t.totalAtLow) === typical && round(t.totalAtHigh) === typical;
    const noEffect = `no effect (${t.lowValue} to ${t.highValue})`;
    return [
      { input: t.input, series: low, end: 'low', setting: t.lowValue, from: typical, to: round(t.totalAtLow), same, noEffect },
      { input: t.input, series: high, end: 'high', setting: t.highValue, from: typical, to: round(t.totalAtHigh), same, noEffect },
    ];
  });
  const csv = toCsv(
    ['input', 'low_value', 'high_value', 'total_at_low', 'total_at_high', 'swing', 'typical_total', 'currency'],
    inputs.map((t) => [t.input, t.lowValue, t.highValue, round(t.totalAtLow), round(t.totalAtHigh), round(t.swing), typical, c.currency]),
  );
  const title = 'What moves the self-hosting total';
  const description = `Tornado of the ${H}-month self-hosting total on ${sens.provider}, in ${c.currency}: each input moved alone to its low and its high value, the others as given; the widest swing first. The vertical line is the total as given (${formatWholeMoney(typical, c.currency)}).`;
  // Room on both sides for the labels at the bar ends.
  const ends = [typical, ...inputs.flatMap((t) => [t.totalAtLow, t.totalAtHigh])];
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const pad = Math.max((hi - lo) * 0.12, Math.abs(typical) * 0.02, 1);
  const label = (side: 'left' | 'right' | 'none') => ({
    transform: [
      {
        filter: side === 'left' ? 'datum.to < datum.from' : side === 'right' ? 'datum.to > datum.from' : "datum.end === 'high' && datum.to === datum.from && datum.same",
      },
    ],
    mark: { type: 'text', align: side === 'left' ? 'right' : 'left', dx: side === 'left' ? -4 : 4, fontSize: 10.5, color: '#333333' },
    encoding: { x: { field: 'to', type: 'quantitative' }, text: { field: side === 'none' ? 'noEffect' : 'setting', type: 'nominal' } },
  });
  return {
    name: 'cost-sensitivity',
    title,
    description,
    csv: { path: 'data/cost-sensitivity.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `${H}-month total on ${sens.provider}, ${costBasis(c)}: ${formatWholeMoney(typical, c.currency)} as given (vertical line)`,
          `every input at its cheaper or dearer end at once: ${formatWholeMoney(sens.range.low, c.currency)} to ${formatWholeMoney(sens.range.high, c.currency)}`,
        ],
        description,
      ),
      width: CHART_WIDTH - 240,
      layer: [
        {
          data: { values: rows },
          encoding: { y: { field: 'input', type: 'nominal', title: null, sort: inputs.map((t) => t.input), axis: { labelLimit: 400 } } },
          layer: [
            {
              mark: { type: 'bar', height: { band: 0.7 } },
              encoding: {
                x: {
                  field: 'from',
                  type: 'quantitative',
                  title: `${H}-month self-hosting total (${c.currency})`,
                  scale: { domain: [round(lo - pad), round(hi + pad)], nice: false, zero: false },
                  axis: { format: ',.0f', tickCount: 6 },
                },
                x2: { field: 'to' },
                color: { field: 'series', type: 'nominal', title: null, scale: colorScale(['cost.low', 'cost.high']), legend: { orient: 'bottom', direction: 'horizontal' } },
              },
            },
            label('left'),
            label('right'),
            label('none'),
          ],
        },
        {
          data: { values: [{ typical }] },
          mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
          encoding: { x: { field: 'typical', type: 'quantitative' } },
        },
      ],
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

/** Every chart, in the order of the report. */
export const CHARTS: readonly ChartFunction[] = [
  onlineChart,
  eventsChart,
  bandwidthChart,
  federationChart,
  storageGrowthChart,
  storageAddedChart,
  pushChart,
  cpuChart,
  utilizationChart,
  latencyChart,
  memoryChart,
  costBreakdownChart,
  costCumulativeChart,
  costSensitivityChart,
];

/** The charts that apply to this run. */
export function buildCharts(run: ReportRun, scenario: Scenario, charts: readonly ChartFunction[] = CHARTS): Chart[] {
  const ctx: ChartContext = { run, scenario };
  return charts.map((f) => f(ctx)).filter((c): c is Chart => c !== null);
}
