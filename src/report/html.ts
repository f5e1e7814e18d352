/**
 * `index.html`: the report as one self-contained page that opens from disk
 * with no network: styles inline, charts as inline SVG, no script at all
 * (and a Content-Security-Policy that forbids scripts and every fetch, as a
 * second line of defence). Every text that comes from the scenario or the
 * summary goes through `escapeHtml`.
 */
import type { ReportRun } from '../cost/run.js';
import { displayTitle } from '../scenario/display.js';
import type { Scenario } from '../scenario/grammar.js';
import { billTable, COMPONENTS_CSV_PATH } from './bill-section.js';
import type { Chart } from './chart-spec.js';
import { costSection, type CostSection } from './cost-section.js';
import { decision, type Decision } from './decision.js';
import { DEPLOYMENT_CHART_NAME } from './deployment-chart.js';
import { headline, implementationNotice, keyFigureTables } from './figures.js';
import { incidentSections } from './incident-section.js';
import { TRUST_CSV_PATH, trustLeversTable, trustTable } from './trust-section.js';
import { governanceTable } from './governance-section.js';
import { assumptionsTable, inputTables } from './input-tables.js';
import { recommendationRows, recommendationSentence, targetsBanner } from './recommendation.js';
import type { Table } from './table.js';
import { escapeHtml as e } from './text.js';
import { prefixSvgIds } from './svg-ids.js';

export interface ReportMeta {
  /** mxsim version that made the report. */
  version: string;
  /** The --set overrides of the run, as given. */
  overrides: string[];
  /** Whether charts/NAME.png were written too (`--png`). */
  png?: boolean;
}

export interface RenderedChart {
  chart: Chart;
  svg: string;
}

export interface PageInput {
  run: ReportRun;
  scenario: Scenario;
  meta: ReportMeta;
  charts: readonly RenderedChart[];
  /** The zoomed chart of each incident of the timeline, drawn in the Incidents section (none without a timeline). */
  incidentCharts?: readonly RenderedChart[];
  /** The trust boundary's chart, drawn in the section "What leaves your server" (none without federation). */
  trustCharts?: readonly RenderedChart[];
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { --ink: #1d1d1f; --muted: #5c5c66; --line: #dcdce3; --accent: #1f5fa8; --soft: #f4f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", Verdana, Arial, Helvetica, sans-serif; color: var(--ink); background: #fff; line-height: 1.45; font-size: 15px; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
p.description { margin: 4px 0 8px; color: var(--muted); max-width: 900px; }
p.meta, p.note, figcaption { color: var(--muted); font-size: 13px; }
nav { margin: 12px 0 0; font-size: 13px; }
nav a { margin-right: 14px; }
a { color: var(--accent); }
.headline { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; margin: 0; padding: 0; list-style: none; }
.headline li { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.headline .value { display: block; font-size: 18px; font-weight: bold; }
.headline .label { display: block; font-size: 13px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
.headline .detail { display: block; font-size: 12.5px; color: var(--muted); margin-top: 2px; }
.slot { border: 1px dashed var(--line); border-radius: 8px; padding: 10px 14px; background: #fcfcfd; }
.slot.empty { color: var(--muted); }
.banner { border: 2px solid #b3261e; background: #fdecea; color: #5f1410; padding: 0.6em 0.9em; border-radius: 4px; }
.notice { border: 1px solid #d9a400; background: #fff8e0; padding: 0.6em 0.9em; border-radius: 4px; }
.slot p.sentence { font-size: 16px; margin: 4px 0 10px; }
#decision { margin: 10px 0 0; }
#decision .banner { margin: 8px 0; font-weight: bold; }
p.decision-sentence { font-size: 19px; font-weight: bold; margin: 10px 0 8px; }
.facts { display: grid; grid-auto-flow: column; grid-template-columns: minmax(0, 1.5fr); grid-auto-columns: minmax(0, 1fr); gap: 10px; margin: 0; padding: 0; list-style: none; }
.facts li { border: 1px solid var(--line); border-left: 5px solid var(--accent); border-radius: 6px; padding: 8px 12px; background: var(--soft); }
.facts li.met { border-left-color: #2e7d32; background: #edf7ee; }
.facts li.missed { border-left-color: #b3261e; background: #fdecea; }
.facts .label { display: block; font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
.facts .value { display: block; font-size: 16.5px; font-weight: bold; }
.facts .detail { display: block; font-size: 12.5px; color: var(--muted); margin-top: 2px; }
.decision-detail { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 18px; align-items: start; margin: 10px 0 14px; }
.decision-detail h3 { margin: 0 0 4px; font-size: 14px; }
.decision-detail table { margin: 0; font-size: 13px; }
.trust-detail { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.trust-detail > div { flex: 1 1 480px; min-width: 0; overflow-x: auto; }
.trust-detail table { font-size: 13px; }
.decision-detail p.note { margin: 2px 0 4px; }
ul.verdicts { margin: 0; padding-left: 18px; font-size: 13.5px; }
ul.verdicts li.missed { color: #8c1d18; font-weight: bold; }
@media (max-width: 900px) { .decision-detail { grid-template-columns: 1fr; } .facts { grid-auto-flow: row; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); } }
figure.chart { margin: 0 0 28px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 6px 0 18px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: bold; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
div.table { max-width: 100%; overflow-x: auto; }
th.num, td.num { text-align: right; }
table.assumptions { width: 100%; table-layout: fixed; }
table.assumptions th, table.assumptions td { font-size: 12.5px; overflow-wrap: anywhere; }
table.assumptions tbody th { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-weight: normal; }
table.assumptions col.name { width: 17%; } table.assumptions col.what { width: 25%; } table.assumptions col.value { width: 8%; }
table.assumptions col.unit { width: 8%; } table.assumptions col.trust { width: 8%; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow: auto; font-size: 12.5px; max-height: 640px; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
footer { margin-top: 48px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 10px; }
@media print { figure.chart, table { break-inside: avoid; } pre { max-height: none; } }
`;

/** Cells that hold a number (right-aligned): they start with a digit, sign or dash. */
const numeric = (cell: string) => /^[-–+]?[0-9]/.test(cell) || cell === '–';

/** Columns whose every cell is a number: right-aligned. */
export function numericColumns(t: Table): boolean[] {
  return t.columns.map((_, i) => i > 0 && t.rows.length > 0 && t.rows.every((r) => numeric(r[i] ?? '')));
}

export function tableHtml(t: Table, className = ''): string {
  const num = numericColumns(t);
  const head = `<tr>${t.columns.map((c, i) => `<th scope="col"${num[i] ? ' class="num"' : ''}>${e(c)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${e(c)}</th>` : `<td${num[i] ? ' class="num"' : ''}>${e(c)}</td>`)).join('')}</tr>`).join('\n');
  const note = t.note ? `<p class="note">${e(t.note)}</p>` : '';
  const cols = className === 'assumptions' ? `<colgroup>${t.columns.map((c) => `<col class="${e(c)}">`).join('')}</colgroup>\n` : '';
  return `<h3 id="table-${e(t.id)}">${e(t.title)}</h3>\n${note}<div class="table"><table${className ? ` class="${e(className)}"` : ''}>\n${cols}<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function pairsTable(rows: readonly [string, string][]): string {
  return `<table>\n<tbody>\n${rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('\n')}\n</tbody>\n</table>`;
}

/** The cost slot: sentence, figures, tables, break-even statements, notes. */
function costHtml(c: CostSection): string {
  const list = (items: readonly string[]) => `<ul>\n${items.map((x) => `<li>${e(x)}</li>`).join('\n')}\n</ul>`;
  const parts = [
    c.sentence ? `<p class="sentence">${e(c.sentence)}</p>` : '',
    pairsTable(c.rows),
    ...c.tables.map((t) => tableHtml(t)),
    c.statements.length > 0 ? `<h4>Break-even</h4>\n${list(c.statements)}` : '',
    c.notes.length > 0 ? `<h4>Cost notes</h4>\n${list(c.notes)}` : '',
  ].filter((x) => x !== '');
  return `<h3 id="cost">Cost</h3>\n<div class="slot" data-slot="cost">\n${parts.join('\n')}\n</div>`;
}

/** The Incidents section: per incident of the timeline, its text, its table with and without it, and its zoomed chart; empty without a timeline. */
function incidentsHtml({ run, incidentCharts = [] }: PageInput, png: boolean): string {
  const sections = incidentSections(run.summary);
  if (sections.length === 0) return '';
  const parts = sections.map((x) => {
    const chart = incidentCharts.find((c) => c.chart.csv.path === x.csvPath);
    return [
      `<h3 id="incident-${x.n}">Incident ${x.n}: ${e(x.name)}</h3>`,
      `<p>${e(x.sentence)} Per minute: <a href="${e(x.csvPath)}">${e(x.csvPath)}</a>.</p>`,
      tableHtml(x.table),
      x.destinations ? tableHtml(x.destinations) : '',
      chart ? chartFigure(chart, png) : '',
    ]
      .filter((p) => p !== '')
      .join('\n');
  });
  return `<section id="incidents" data-slot="incidents">
<h2>Incidents</h2>
<p class="note">Each incident of the scenario's timeline against its baseline: the same window of the same replications without it (same seed), so the difference is the incident's.</p>
${parts.join('\n')}
</section>

`;
}

/** The section "What leaves your server": the table by remote server, its chart and the levers' table beside it; empty without federation. */
function trustHtml({ run, trustCharts = [] }: PageInput, png: boolean): string {
  const table = trustTable(run.summary);
  if (!table) return '';
  const levers = trustLeversTable(run.summary);
  const chart = trustCharts[0];
  return `<section id="trust-boundary" data-slot="trust-boundary">
<h2>What leaves your server</h2>
<p class="note">What this server sends each remote server it shares rooms with, per day, by kind, and what each policy would keep in. Also in <a href="${TRUST_CSV_PATH}">${TRUST_CSV_PATH}</a>.</p>
<div class="trust-detail">
<div>${chart ? chartFigure(chart, png) : ''}</div>
<div>${levers ? tableHtml(levers) : ''}</div>
</div>
${tableHtml(table)}
</section>

`;
}

/** The section "Search, retention and audit"; empty for a summary without governance figures. */
function governanceHtml(s: PageInput['run']['summary']): string {
  const table = governanceTable(s);
  if (!table) return '';
  return `<section id="governance" data-slot="governance">
<h2>Search, retention and audit</h2>
${tableHtml(table)}
</section>

`;
}

/** The Deployment part of the recommendation: the bill of materials as a table, and its diagram; empty without a bill. */
function deploymentHtml({ run }: PageInput, diagram: RenderedChart | undefined, png: boolean): string {
  const table = billTable(run.summary);
  if (!table) return '';
  return `<div id="deployment" data-slot="deployment">\n${tableHtml(table)}\n<p class="note">Also in <a href="${COMPONENTS_CSV_PATH}">${COMPONENTS_CSV_PATH}</a>.</p>\n${diagram ? chartFigure(diagram, png) : ''}\n</div>\n`;
}

/**
 * The first screen: the red banners of missed targets, the deployment in one
 * sentence, the figures that decide (resources, cost, break-even, bottleneck,
 * targets), then the components and the verdict on each deployment.
 */
function decisionHtml(d: Decision, notice: string | undefined): string {
  const banners = d.banners.map((b, i) => `<p class="banner" role="alert"${i === 0 ? ' id="targets-not-met"' : ''}>${e(b)}</p>`).join('\n');
  const status = (f: Decision['facts'][number]) => (f.id !== 'targets' ? '' : d.verdicts.every((v) => v.ok) ? ' class="met"' : ' class="missed"');
  const facts = d.facts
    .map(
      (f) =>
        `<li id="decision-${e(f.id)}"${status(f)}><span class="label">${e(f.label)}</span><span class="value">${e(f.value)}</span>${f.detail ? `<span class="detail">${e(f.detail)}</span>` : ''}</li>`,
    )
    .join('\n');
  const verdicts = d.verdicts.map((v) => `<li class="${v.ok ? 'met' : 'missed'}" data-verdict="${v.id}">${e(v.text)}</li>`).join('\n');
  const components = d.components ? tableHtml(d.components) : '';
  return `<section id="decision" data-slot="decision">
${banners}${notice ? `\n<p class="notice" id="implementation-notice">${e(notice)}</p>` : ''}
<p class="decision-sentence" id="decision-sentence">${e(d.sentence)}</p>
<ul class="facts">
${facts}
</ul>
<div class="decision-detail">
<div>${components}</div>
<div><h3>Targets${d.targets ? `: ${e(d.targets)}` : ''}</h3>\n<ul class="verdicts" id="verdicts">\n${verdicts}\n</ul></div>
</div>
</section>`;
}

/** A chart as a figure with its caption and links to its data, spec and images (the run report's and the fit report's). */
export function chartFigure({ chart, svg }: RenderedChart, png: boolean): string {
  const links = [
    `<a href="${e(chart.csv.path)}">data (CSV)</a>`,
    `<a href="charts/${e(chart.name)}.vl.json">Vega-Lite spec</a>`,
    ...(png ? [`<a href="charts/${e(chart.name)}.png">PNG</a>`] : []),
    `<a href="charts/${e(chart.name)}.svg">SVG</a>`,
  ].join(' · ');
  return `<figure class="chart" id="chart-${e(chart.name)}" data-chart="${e(chart.name)}">
${prefixSvgIds(svg, `chart-${chart.name}`)}
<figcaption>${e(chart.description)} ${links}</figcaption>
</figure>`;
}

/** The whole page. */
export function reportHtml(page: PageInput): string {
  const { run, scenario, meta } = page;
  const s = run.summary;
  // The deployment diagram is drawn with its table, the other charts under Charts.
  const diagram = page.charts.find((c) => c.chart.name === DEPLOYMENT_CHART_NAME);
  const charts = page.charts.filter((c) => c !== diagram);
  const deployment = deploymentHtml(page, diagram, meta.png === true);
  const incidents = incidentsHtml(page, meta.png === true);
  const trust = trustHtml(page, meta.png === true);
  const rec = recommendationRows(s);
  const cost = costSection(s);
  const banner = targetsBanner(s);
  const notice = implementationNotice(scenario);
  const first = decision(s);
  const items = headline(run)
    .map((h) => `<li><span class="label">${e(h.label)}</span><span class="value">${e(h.value)}</span>${h.detail ? `<span class="detail">${e(h.detail)}</span>` : ''}</li>`)
    .join('\n');
  const noFederation = scenario.federation.mode === 'closed' || scenario.federation.remoteServers === 0;
  const overrides =
    meta.overrides.length === 0
      ? '<p>No <code>--set</code> overrides: the scenario file as written, with defaults filled in.</p>'
      : `<p>Overrides given with <code>--set</code>, applied before validation:</p>\n<ul class="overrides">${meta.overrides.map((o) => `<li><code>${e(o)}</code></li>`).join('')}</ul>`;
  const runLine = `mxsim ${e(meta.version)} · seed ${e(s.seed)} · ${s.replications} replication${s.replications === 1 ? '' : 's'} of ${s.simulatedDays} simulated day${s.simulatedDays === 1 ? '' : 's'} · ${s.binMinutes}-minute bins`;

  const title = displayTitle(s.scenario.name, s.scenario.overrides);
  return `${pageHead(`${title} · mxsim report`, meta.version)}
<body>
<main>
<header>
<h1 id="scenario-name">${e(title)}</h1>
<p class="meta">${runLine}</p>
${
  first
    ? decisionHtml(first, notice)
    : `${banner ? `<p class="banner" role="alert" id="targets-not-met">${e(banner)}</p>` : ''}${notice ? `\n<p class="notice" id="implementation-notice">${e(notice)}</p>` : ''}`
}
<p class="description" id="scenario-description">${e(scenario.description)}</p>
<nav>${first ? '<a href="#decision">Decision</a>' : ''}<a href="#headline">Headline</a><a href="#recommendation">Recommendation</a>${deployment ? '<a href="#deployment">Deployment</a>' : ''}${cost ? '<a href="#cost">Cost</a>' : ''}${incidents ? '<a href="#incidents">Incidents</a>' : ''}${trust ? '<a href="#trust-boundary">What leaves</a>' : ''}<a href="#charts">Charts</a><a href="#figures">Key figures</a><a href="#inputs">Inputs</a><a href="#assumptions">Assumptions</a><a href="#scenario">Scenario as run</a></nav>
</header>

<section id="headline">
<h2>Headline</h2>
<ul class="headline">
${items}
</ul>
<p class="note">Per-day figures are for the simulated period (mean over replications; 95% confidence intervals in the tables below). Peaks are the busiest ${s.binMinutes}-minute bin.</p>
</section>

<section id="recommendation" data-slot="recommendation">
<h2>Sizing recommendation</h2>
${
  rec
    ? `<div class="slot">\n<p class="sentence">${e(recommendationSentence(s) ?? '')}</p>\n${pairsTable(rec)}</div>`
    : '<p class="slot empty">No sizing recommendation in this report: the server model that derives cores, memory, disk and bandwidth is not part of this mxsim version yet.</p>'
}
${deployment}${cost ? costHtml(cost) : ''}
</section>

${incidents}${trust}${governanceHtml(s)}<section id="charts">
<h2>Charts</h2>
${noFederation ? '<p class="note">No federation chart: this server does not federate in this scenario.</p>\n' : ''}${charts.map((c) => chartFigure(c, meta.png === true)).join('\n')}
</section>

<section id="figures">
<h2>Key figures</h2>
<p class="note">Means over ${s.replications} replication${s.replications === 1 ? '' : 's'} with 95% confidence intervals (Student t, on the log scale for figures that cannot be negative, so no bound is below zero); "exact" figures do not vary between replications. Raw series: <a href="data/">data/</a>; everything: <a href="summary.json">summary.json</a>.</p>
${keyFigureTables(run)
  .map((t) => tableHtml(t))
  .join('\n')}
</section>

<section id="inputs">
<h2>Inputs</h2>
${inputTables(scenario)
  .map((t) => tableHtml(t))
  .join('\n')}
</section>

<section id="assumptions">
<h2>Assumptions</h2>
<p>The fixed numbers of the Matrix model behind every figure above, with their sources. The scenario's own inputs are listed above and in full below.</p>
${tableHtml(assumptionsTable(), 'assumptions')}
</section>

<section id="scenario">
<h2>Scenario as run</h2>
${overrides}
<p class="meta">Input SHA-256 <code>${e(s.scenario.sha256)}</code> · also in <a href="scenario.json">scenario.json</a></p>
<pre><code>${e(JSON.stringify(scenario, null, 2))}</code></pre>
</section>

<footer>${runLine} · made offline; the same scenario, seed and version give the same report.</footer>
</main>
</body>
</html>
`;
}

/** The start of an mxsim page up to </head>: charset, the strict CSP, a style sheet. `title` is escaped here. */
export function pageHead(title: string, version: string, style: string = STYLE): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mxsim ${e(version)}">
<title>${e(title)}</title>
<style>${style}</style>
</head>`;
}
