/**
 * The report's server charts, from the homeserver model (run.server,
 * run.latency and the summary's resources and recommendation): CPU per
 * process kind, utilisation against the target, latency distributions and
 * memory. Processes of one kind (sync-1 .. sync-12) are summed into one
 * series or bar, named with their count, so a chart stays readable however
 * many workers run.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportRun } from '../cost/run.js';
import { formatMilliseconds } from '../format/index.js';
import type { Scenario } from '../scenario/grammar.js';
import { add, binNote, CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, finite, header, round, runHours, timeAxis, type ChartFunction } from './chart-spec.js';
import { toCsv, type Cell } from './csv.js';
import { clockLabel } from './files.js';
import { colorScale, seriesColor, seriesLabel } from './palette.js';
import { plural } from './text.js';

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

/**
 * Which deployment a server chart draws, in words: the scenario's, as it was
 * simulated (the recommendation beside it may differ).
 * @example asSimulated(run) // 'the scenario's deployment as simulated (11 processes and PostgreSQL)'
 */
export function asSimulated(run: ReportRun): string {
  const n = run.summary.resources.processes.length;
  return `the scenario's deployment as simulated (${n.toLocaleString('en-US')} process${n === 1 ? '' : 'es'}${run.summary.resources.database ? ' and PostgreSQL' : ''})`;
}

/** Subtitle lines of a chart at most this long (characters), so a subtitle never runs past the chart. */
const SUBTITLE_CHARS = 110;

/** "lead item, item, ..." broken into lines of at most SUBTITLE_CHARS characters, between items. */
function wrapList(lead: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = lead;
  for (const [i, item] of items.entries()) {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line.length + 1 + piece.length > SUBTITLE_CHARS) {
      lines.push(line);
      line = piece;
    } else line = `${line} ${piece}`;
  }
  lines.push(line);
  return lines;
}

/**
 * Below this p95 utilisation a process kind carries no load worth a panel of
 * the CPU chart: it is named, with its figure, in one line instead.
 */
export const IDLE_UTILIZATION = 0.1;

export const cpuChart: ChartFunction = ({ run, scenario }) => {
  const server = run.server;
  const bins = server.binStartSeconds;
  const groups = processGroups(run, scenario).filter((g) => g.names.some((n) => server.columns[`cores.${n}`]));
  if (groups.length === 0 || bins.length === 0) return null;
  const sum = (prefix: string, g: ProcessGroup) => add(...g.names.map((n) => server.columns[`${prefix}.${n}`] ?? bins.map(() => 0)));
  const all = groups.map((g) => ({ g, busy: sum('cores', g), offered: sum('offered', g), panel: `${g.label}: capacity ${plural(g.capacity, 'core')}` }));
  const saturates = (d: (typeof all)[number]) => d.offered.some((v) => v > d.g.capacity * 1.001);
  // A panel for each kind that carries load; the busiest one at least, so the chart is never empty.
  const busiest = all.reduce((a, b) => (b.g.utilizationP95 > a.g.utilizationP95 ? b : a));
  const data = all.filter((d) => d === busiest || d.g.utilizationP95 >= IDLE_UTILIZATION || saturates(d));
  const idle = all.filter((d) => !data.includes(d));
  const idleLines =
    idle.length === 0
      ? ['a panel for every kind']
      : wrapList(
          `${plural(idle.length, 'kind')} below ${percent(IDLE_UTILIZATION)} CPU at p95, not drawn:`,
          idle.map((d) => `${d.g.label} ${percent(d.g.utilizationP95)}`),
        );
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
    all.flatMap((d) => bins.map((t, b): Cell[] => [d.g.key, d.g.names.length, d.g.capacity, t, clockLabel(t), finite(d.busy[b] ?? 0), finite(d.offered[b] ?? 0)])),
  );
  const saturated = all.filter(saturates).map((d) => d.g.label);
  const title = 'CPU: cores busy per process kind, as simulated';
  const description = `Cores busy in each bin for each kind of process of ${asSimulated(run)} (processes of one kind summed) and for PostgreSQL, against their capacity (dashed line); the light line is the CPU demanded, which rises above the capacity when a process is saturated and requests queue. Kinds below ${percent(
    IDLE_UTILIZATION,
  )} CPU at the p95 bin get no panel; they are named above the chart, and every kind is in the CSV. The recommended deployment is in the sizing recommendation.`;
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
          `draws ${asSimulated(run)}`,
          `cores (1 = one core fully busy); ${binNote(scenario)}; dashed line: capacity of the kind`,
          ...idleLines,
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

/** A Vega expression labelling a millisecond tick in readable units: 100 ms, 10 s, 16.7 min, 2.78 h. */
const DURATION_LABEL =
  "datum.value >= 3600000 ? format(datum.value / 3600000, ',.3~r') + ' h' : datum.value >= 60000 ? format(datum.value / 60000, ',.3~r') + ' min' : datum.value >= 1000 ? format(datum.value / 1000, ',.3~r') + ' s' : format(datum.value, ',.3~r') + ' ms'";

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
  const bound = `target: ${t.latencyPercentile} of local send ≤ ${formatMilliseconds(t.localSendMs)}`;
  const result =
    simulated !== undefined && Number.isFinite(simulated)
      ? `as simulated, ${t.latencyPercentile}: ${formatMilliseconds(simulated)} (${simulated <= t.localSendMs ? 'met' : 'missed'})`
      : `no local send simulated`;
  const title = 'Latency distributions, as simulated';
  const description = `Share of messages delivered within a given time in ${asSimulated(run)}: local send (from sending until the first online device of another local user has it) and federation delivery (until the remote server has the event), merged over replications. The target bound, ${t.latencyPercentile} ≤ ${formatMilliseconds(t.localSendMs)} for local send, is the dashed line.`;
  const targetRow = [{ ms: t.localSendMs, quantile: q, label: `${t.latencyPercentile} ≤ ${formatMilliseconds(t.localSendMs)}` }];
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
          `draws ${asSimulated(run)}`,
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
              title: 'latency (log scale)',
              scale: { type: 'log', domain: [decades[0], decades.at(-1)], nice: false },
              axis: { values: decades, labelExpr: DURATION_LABEL, grid: true },
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
  const title = 'Memory by process kind, as simulated';
  const description = `Peak resident memory of each kind of process of ${asSimulated(run)} (processes of one kind summed, their count in brackets) and PostgreSQL's memory, in GiB. The recommended deployment has ${rec.ramGiB.toLocaleString('en-US')} GiB of RAM in all.`;
  return {
    name: 'memory',
    title,
    description,
    csv: { path: 'data/memory.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `draws ${asSimulated(run)}`,
          `${round(total).toPrecision(3)} GiB in all at the peak (1 GiB = 2^30 bytes)`,
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
  const overCount = rows.filter((r) => r.status === over).length;
  // The verdict is about the bars drawn (the deployment as simulated); the recommendation's, re-simulated, is said as such.
  const drawnVerdict =
    overCount === 0 ? `as simulated: every kind within the ceiling, CPU target met` : `as simulated: ${plural(overCount, 'kind')} above the ceiling (red), CPU target missed`;
  const recommended = v
    ? `the recommended deployment (${rec.cores} cores), re-simulated: highest p95 utilisation ${percent(v.utilizationP95Max)}, its targets ${v.meetsTargets ? 'met' : 'missed'}`
    : 'the recommended deployment was not re-simulated';
  const title = 'CPU utilisation against the target, as simulated';
  const description = `The 95th percentile of per-bin CPU utilisation (cores busy / capacity) of each kind of process of ${asSimulated(run)} (the highest process of the kind) and of PostgreSQL, against the ceiling the recommendation accepts (${percent(ceiling)}, dashed line); bars above it are red. The recommended deployment is sized so that none is above it.`;
  const top = Math.max(1, ...groups.map((g) => g.utilizationP95));
  return {
    name: 'utilization',
    title,
    description,
    csv: { path: 'data/utilization.csv', content: csv },
    spec: {
      ...header(
        title,
        [`draws ${asSimulated(run)}`, `p95 of the bins after warm-up, highest process of each kind; ceiling ${percent(ceiling)} (dashed line)`, drawnVerdict, recommended],
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
