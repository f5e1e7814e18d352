/**
 * `mxsim compare`: several runs side by side. From the inputs (each a run
 * folder's files or a scenario simulated just now, brought to the same shape
 * by src/cli/compare.ts and compare-inputs.ts) comparison.ts builds the
 * comparison as data (`comparison.json`); `compareFiles` here renders it:
 * index.html, summary.md, overlaid charts and their CSV. Nothing here touches
 * the disk.
 */
import { compareCharts, type CompareChart } from './compare-charts.js';
import type { CompareInput } from './compare-inputs.js';
import type { Comparison } from './comparison.js';
import { pageHead, tableHtml } from './html.js';
import { tableMarkdown } from './markdown.js';
import { compactJson } from './render.js';
import type { Table } from './table.js';
import { escapeHtml as e, escapeMarkdown as m } from './text.js';
import { prefixSvgIds, renderSvg, svgToPng } from './vega.js';

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
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: normal; overflow-wrap: break-word; }
div.table { max-width: 100%; overflow-x: auto; }
div.table table { width: 100%; }
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
<figcaption>${e(chart.description)} <a href="${e(chart.csvPath)}">data (CSV)</a> · <a href="charts/${e(chart.name)}.vl.json">Vega-Lite spec</a> · <a href="charts/${e(chart.name)}.svg">SVG</a></figcaption>
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
    parts.push(`## Charts\n\n${charts.map((ch) => `![${m(ch.title)}](charts/${ch.name}.svg)\n\n*${m(ch.description)}* Data: [${ch.csvPath}](${ch.csvPath})`).join('\n\n')}`);
  parts.push(`## Inputs and method`, tableMarkdown(inputsTable(c)).trimEnd(), m(c.method));
  return parts.join('\n\n') + '\n';
}

/** Every file of the comparison folder, by relative path. */
export async function compareFiles(c: Comparison, inputs: readonly CompareInput[], png = false, pngZoom = 2): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  const rendered: Rendered[] = [];
  const charts = compareCharts(inputs);
  for (const chart of charts) {
    const { svg } = await renderSvg(chart.spec, chart.name);
    files.set(`charts/${chart.name}.vl.json`, compactJson(chart.spec) + '\n');
    files.set(`charts/${chart.name}.svg`, svg + '\n');
    if (png) files.set(`charts/${chart.name}.png`, svgToPng(svg, pngZoom));
    files.set(chart.csvPath, chart.csv);
    rendered.push({ chart, svg });
  }
  files.set('comparison.json', JSON.stringify(c, null, 2) + '\n');
  files.set('index.html', comparisonHtml(c, rendered));
  files.set('summary.md', comparisonMarkdown(c, charts));
  return files;
}
