/**
 * The report's charts as Vega-Lite specs with their data inline, so each
 * `charts/NAME.vl.json` opens as it is in any Vega-Lite editor.
 *
 * Adding a chart is one function: take the `ChartContext`, return a `Chart`
 * (its name, title, spec and the CSV behind it), or null when it does not
 * apply to the run (no federation, no server model), and list it in
 * `CHARTS`. Rendering (SVG, PNG), the HTML page and the Markdown summary pick
 * it up from there. What a chart is and the parts their specs share are in
 * chart-spec.ts; the charts themselves in workload-charts.ts,
 * server-charts.ts and cost-charts.ts.
 */
import type { ReportRun } from '../cost/run.js';
import type { Scenario } from '../scenario/grammar.js';
import type { Chart, ChartContext, ChartFunction } from './chart-spec.js';
import { costBreakdownChart, costCumulativeChart, costSensitivityChart } from './cost-charts.js';
import { cpuChart, latencyChart, memoryChart, utilizationChart } from './server-charts.js';
import { bandwidthChart, eventsChart, federationChart, onlineChart, pushChart, storageAddedChart, storageGrowthChart, syncChart } from './workload-charts.js';

/** Every chart, in the order of the report. */
export const CHARTS: readonly ChartFunction[] = [
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

/** The charts that apply to this run. */
export function buildCharts(run: ReportRun, scenario: Scenario, charts: readonly ChartFunction[] = CHARTS): Chart[] {
  const ctx: ChartContext = { run, scenario };
  return charts.map((f) => f(ctx)).filter((c): c is Chart => c !== null);
}
