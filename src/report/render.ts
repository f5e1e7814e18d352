/**
 * Step 7 of the pipeline: the human side of a report folder. From a run and
 * its scenario, every file beyond those of files.ts (summary.json, the
 * scenario and the series CSVs):
 *
 * - index.html: the self-contained page (headline, recommendation slot
 *   with the Deployment section: the bill of materials and its diagram,
 *   incidents of the timeline, what leaves the server for each remote
 *   server (the trust boundary), charts inline, key figures, inputs,
 *   assumptions, the scenario as run);
 * - summary.md: the same in Markdown, with chart images;
 * - charts/NAME.vl.json and charts/NAME.svg for every chart, and
 *   charts/NAME.png when asked for (`--png`: rasterising is most of the
 *   rendering time, and the page and summary.md use the SVG);
 * - data/*.csv that charts draw and files.ts does not write.
 *
 * Nothing is written here: `mxsim run` merges these files with those of
 * `reportFiles` and writes the folder atomically (`writeReport`).
 */
import type { ReportRun } from '../cost/run.js';
import type { Scenario } from '../scenario/grammar.js';
import type { Chart, ChartFunction } from './chart-spec.js';
import { buildCharts, buildIncidentCharts, buildTrustCharts, CHARTS } from './charts.js';
import { reportFiles } from './files.js';
import { reportHtml, type RenderedChart, type ReportMeta } from './html.js';
import { reportMarkdown } from './markdown.js';
import { renderSvg, svgToPng } from './vega.js';

export type { ReportMeta } from './html.js';

export interface RenderOptions {
  /** The charts to draw (default: all of `CHARTS`). */
  charts?: readonly ChartFunction[];
  /** PNG scale relative to the SVG (default 2, for high-density screens). */
  pngZoom?: number;
}

/**
 * JSON with two-space indentation, but any object or array without nested
 * ones kept on one line when it fits: data rows read one per line.
 */
export function compactJson(value: unknown): string {
  const pretty = JSON.stringify(value, null, 2);
  return pretty.replace(/([{[])\n(\s*)([^{}[\]]*?)\n\s*([}\]])/g, (whole, open: string, _indent: string, inner: string, close: string) => {
    const one = `${open}${open === '{' ? ' ' : ''}${inner.replace(/\n\s*/g, ' ')}${open === '{' ? ' ' : ''}${close}`;
    return one.length <= 160 ? one : whole;
  });
}

/** Every additional file of the report folder, by relative path. */
export async function renderReport(run: ReportRun, scenario: Scenario, meta: ReportMeta, options: RenderOptions = {}): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  const render = async (charts: readonly Chart[]): Promise<RenderedChart[]> => {
    const rendered: RenderedChart[] = [];
    for (const chart of charts) {
      const { svg } = await renderSvg(chart.spec, chart.name);
      files.set(`charts/${chart.name}.vl.json`, compactJson(chart.spec) + '\n');
      files.set(`charts/${chart.name}.svg`, svg + '\n');
      if (meta.png) files.set(`charts/${chart.name}.png`, svgToPng(svg, options.pngZoom ?? 2));
      if (chart.csv.content !== undefined) files.set(chart.csv.path, chart.csv.content);
      rendered.push({ chart, svg });
    }
    return rendered;
  };
  const charts = await render(buildCharts(run, scenario, options.charts ?? CHARTS));
  const incidentCharts = await render(buildIncidentCharts(run, scenario));
  const trustCharts = await render(buildTrustCharts(run, scenario));
  const page = { run, scenario, meta, charts, incidentCharts, trustCharts };
  files.set('index.html', reportHtml(page));
  files.set('summary.md', reportMarkdown(page));
  return files;
}

/**
 * The whole report folder: `reportFiles` (summary.json, scenario.json, the
 * series CSVs) and `renderReport`. A path in both is a bug and throws.
 */
export async function allReportFiles(run: ReportRun, scenario: Scenario, meta: ReportMeta, options: RenderOptions = {}): Promise<Map<string, string | Uint8Array>> {
  const files: Map<string, string | Uint8Array> = new Map(reportFiles(run, scenario));
  for (const [path, content] of await renderReport(run, scenario, meta, options)) {
    if (files.has(path)) throw new Error(`report file ${path} would be written twice`);
    files.set(path, content);
  }
  return files;
}
