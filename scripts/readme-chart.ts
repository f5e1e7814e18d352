/**
 * Regenerate the chart image the README shows: run a shipped scenario with
 * its own seed and replications, draw one of its report charts and write the
 * PNG to docs/images/<scenario>-<chart>.png.
 *
 *   npm run readme-chart                                   # company-2000, bandwidth
 *   npm run readme-chart -- scenarios/team-50.json events  # another scenario or chart
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runScenario } from '../src/analysis/run.js';
import { buildCharts } from '../src/report/charts.js';
import { renderSvg, svgToPng } from '../src/report/vega.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const [file = 'scenarios/company-2000.json', chartName = 'bandwidth', outDir = 'docs/images'] = process.argv.slice(2);

const { scenario, sha256 } = await loadScenarioFile(file);
const version = 'readme';
const run = runScenario(scenario, { sha256, overrides: [], version });
const charts = buildCharts(run, scenario);
const chart = charts.find((c) => c.name === chartName);
if (!chart) {
  process.stderr.write(`no chart "${chartName}" for ${scenario.name}; charts: ${charts.map((c) => c.name).join(', ')}\n`);
  process.exit(2);
}
const { svg } = await renderSvg(chart.spec, chart.name);
const out = join(outDir, `${scenario.name}-${chart.name}.png`);
await mkdir(outDir, { recursive: true });
await writeFile(out, svgToPng(svg, 2));
process.stdout.write(`${out}\n`);
