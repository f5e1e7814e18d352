/**
 * The report's charts as Vega-Lite specs with their data inline, so each
 * `charts/NAME.vl.json` opens as it is in any Vega-Lite editor.
 *
 * Adding a chart is one function: take the `ChartContext`, return a `Chart`
 * (its name, title, spec and the CSV behind it), or null when it does not
 * apply to the run (no federation, no server model), and list it in
 * `CHARTS`. Rendering (SVG, PNG), the HTML page and the Markdown summary pick
 * it up from there. The zoomed charts of the timeline's incidents, one per
 * incident, are `buildIncidentCharts`: the pages draw them in their Incidents
 * section; the trust boundary's chart is `buildTrustCharts`, drawn in the
 * section "What leaves your server". What a chart is and the parts their specs share are in
 * chart-spec.ts; the charts themselves in deployment-chart.ts,
 * workload-charts.ts, server-charts.ts, cost-charts.ts, incident-charts.ts and trust-chart.ts.
 */
import type { ReportRun } from '../cost/run.js';
import type { Scenario } from '../scenario/grammar.js';
import { CHART_WIDTH, type Chart, type ChartContext, type ChartFunction } from './chart-spec.js';
import { deploymentChart } from './deployment-chart.js';
import { costBreakdownChart, costCumulativeChart, costSensitivityChart } from './cost-charts.js';
import { incidentCharts } from './incident-charts.js';
import { trustChart } from './trust-chart.js';
import { cpuChart, latencyChart, memoryChart, utilizationChart } from './server-charts.js';
import { bandwidthChart, eventsChart, federationChart, onlineChart, pushChart, storageAddedChart, storageGrowthChart, syncChart } from './workload-charts.js';

/** Every chart, in the order of the report (the pages draw `deployment` in their Deployment section, the others under Charts). */
export const CHARTS: readonly ChartFunction[] = [
  deploymentChart,
  onlineChart,
  eventsChart,
  bandwidthChart,
  federationChart,
  storageGrowthChart,
  storageAddedChart,
  syncChart,
  pushChart,
  cpuChart,
  utilizationChart,
  latencyChart,
  memoryChart,
  costBreakdownChart,
  costCumulativeChart,
  costSensitivityChart,
];

/** The charts that apply to this run; one with nothing to draw says "no data" instead. */
export function buildCharts(run: ReportRun, scenario: Scenario, charts: readonly ChartFunction[] = CHARTS): Chart[] {
  const ctx: ChartContext = { run, scenario };
  return charts
    .map((f) => f(ctx))
    .filter((c): c is Chart => c !== null)
    .map((c) => (hasData(c.spec) ? c : noDataChart(c)));
}

/** The chart of the "What leaves your server" section, or none when this server does not federate. */
export function buildTrustCharts(run: ReportRun, scenario: Scenario): Chart[] {
  const c = trustChart({ run, scenario });
  return c ? [hasData(c.spec) ? c : noDataChart(c)] : [];
}

/** The zoomed chart of each incident of the timeline, in its order (none without a timeline). */
export function buildIncidentCharts(run: ReportRun, scenario: Scenario): Chart[] {
  return incidentCharts({ run, scenario }).map((c) => (hasData(c.spec) ? c : noDataChart(c)));
}

/** The inline data rows of a spec and of its layers and panels. */
function inlineRows(spec: unknown, rows: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (spec === null || typeof spec !== 'object') return rows;
  const o = spec as Record<string, unknown>;
  const data = o['data'] as { values?: unknown } | undefined;
  if (data && Array.isArray(data.values)) rows.push(...(data.values as Record<string, unknown>[]));
  for (const k of ['layer', 'vconcat', 'hconcat', 'concat']) if (Array.isArray(o[k])) for (const child of o[k] as unknown[]) inlineRows(child, rows);
  if (o['spec']) inlineRows(o['spec'], rows);
  return rows;
}

/**
 * Does a chart have something to draw: its measure (`value`, or `ms` for
 * latency) finite in some row, and, over time (rows with `hours`), not zero
 * in every bin. A chart without such a measure is drawn as it is.
 */
export function hasData(spec: unknown): boolean {
  const rows = inlineRows(spec);
  const measured = rows.filter((r) => 'value' in r || 'ms' in r);
  if (measured.length === 0) return rows.length > 0 || !('data' in (spec as object));
  const values = measured.map((r) => r['value'] ?? r['ms']);
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return false;
  const overTime = measured.some((r) => 'hours' in r);
  return !overTime || finite.some((v) => v !== 0);
}

/** The same chart, drawn as its title and "no data" (its CSV is kept: it holds the zeros). */
function noDataChart(c: Chart): Chart {
  const spec = c.spec as unknown as Record<string, unknown>;
  return {
    ...c,
    description: `${c.description} No data: nothing of this kind happened in the simulated time.`,
    spec: {
      $schema: spec['$schema'] as string,
      config: spec['config'] as never,
      title: spec['title'] as never,
      width: CHART_WIDTH,
      height: 80,
      data: { values: [{ text: 'no data: nothing of this kind happened in the simulated time' }] },
      mark: { type: 'text', fontSize: 14, color: '#555555' },
      encoding: { text: { field: 'text', type: 'nominal' } },
    },
  };
}
