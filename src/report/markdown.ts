/**
 * `summary.md`: the report's headline, tables and chart images in Markdown,
 * fit to paste into a wiki page or a pull request (images link to
 * charts/NAME.png relative to the report folder). Scenario text goes through
 * `escapeMarkdown`, so it shows as text and never as markup.
 */
import { displayTitle } from '../scenario/display.js';
import { billTable, COMPONENTS_CSV_PATH } from './bill-section.js';
import type { Chart } from './chart-spec.js';
import { costSection } from './cost-section.js';
import { decision } from './decision.js';
import { DEPLOYMENT_CHART_NAME } from './deployment-chart.js';
import { headline, implementationNotice, keyFigureTables } from './figures.js';
import { incidentSections } from './incident-section.js';
import { TRUST_CSV_PATH, trustLeversTable, trustTable } from './trust-section.js';
import { governanceTable } from './governance-section.js';
import { assumptionsTable, inputTables } from './input-tables.js';
import { recommendationRows, recommendationSentence, targetsBanner } from './recommendation.js';
import type { Table } from './table.js';
import { numericColumns, type PageInput } from './html.js';
import { escapeMarkdown as m } from './text.js';

export function tableMarkdown(t: Table): string {
  const align = numericColumns(t).map((n) => (n ? '---:' : '---'));
  const lines = [`| ${t.columns.map(m).join(' | ')} |`, `| ${align.join(' | ')} |`, ...t.rows.map((r) => `| ${r.map(m).join(' | ')} |`)];
  return `### ${m(t.title)}\n\n${t.note ? `${m(t.note)}\n\n` : ''}${lines.join('\n')}\n`;
}

function pairs(rows: readonly [string, string][]): string {
  return ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${m(k)} | ${m(v)} |`)].join('\n') + '\n';
}

function chartMarkdown(c: Chart): string {
  return `![${m(c.title)}](charts/${c.name}.svg)\n\n*${m(c.description)}* Data: [${c.csv.path}](${c.csv.path}) · [Vega-Lite spec](charts/${c.name}.vl.json)\n`;
}

export function reportMarkdown({ run, scenario, meta, charts: all, incidentCharts = [], trustCharts = [] }: PageInput): string {
  const s = run.summary;
  // The deployment diagram goes with its table, the other charts under Charts.
  const diagram = all.find((c) => c.chart.name === DEPLOYMENT_CHART_NAME);
  const charts = all.filter((c) => c !== diagram);
  const rec = recommendationRows(s);
  const cost = costSection(s);
  const runLine = `mxsim ${m(meta.version)} · seed ${m(s.seed)} · ${s.replications} replication${s.replications === 1 ? '' : 's'} of ${s.simulatedDays} simulated day${s.simulatedDays === 1 ? '' : 's'} · ${s.binMinutes}-minute bins`;
  const out: string[] = [];
  out.push(`# ${m(displayTitle(s.scenario.name, s.scenario.overrides))}\n`);
  out.push(`${runLine}\n`);
  const first = decision(s);
  const notice = implementationNotice(scenario);
  if (first) {
    out.push('## Decision\n');
    for (const b of first.banners) out.push(`> **Warning.** ${m(b)}\n`);
    if (notice) out.push(`> **Note.** ${m(notice)}\n`);
    out.push(`**${m(first.sentence)}**\n`);
    out.push(pairs(first.facts.map((f): [string, string] => [f.label, f.detail ? `${f.value} (${f.detail})` : f.value])));
    if (first.components) out.push(tableMarkdown(first.components));
    if (first.targets) out.push(`Targets: ${m(first.targets)}.\n`);
    out.push(`${first.verdicts.map((v) => `- ${v.ok ? '' : '**'}${m(v.text)}${v.ok ? '' : '**'}`).join('\n')}\n`);
  } else {
    const banner = targetsBanner(s);
    if (banner) out.push(`> **Warning.** ${m(banner)}\n`);
    if (notice) out.push(`> **Note.** ${m(notice)}\n`);
  }
  out.push(`${m(scenario.description)}\n`);
  out.push('## Headline\n');
  out.push(
    headline(run)
      .map((h) => `- **${m(h.label)}**: ${m(h.value)}${h.detail ? ` (${m(h.detail)})` : ''}`)
      .join('\n') + '\n',
  );
  out.push('## Sizing recommendation\n');
  out.push(rec ? `${m(recommendationSentence(s) ?? '')}\n\n${pairs(rec)}` : '*No sizing recommendation in this report: the server model is not part of this mxsim version yet.*\n');
  const bill = billTable(s);
  if (bill) {
    out.push(tableMarkdown(bill));
    out.push(`Also in [${COMPONENTS_CSV_PATH}](${COMPONENTS_CSV_PATH}).\n`);
    if (diagram) out.push(chartMarkdown(diagram.chart));
  }
  if (cost) {
    out.push('### Cost\n');
    if (cost.sentence) out.push(`${m(cost.sentence)}\n`);
    out.push(pairs(cost.rows));
    for (const t of cost.tables) out.push(tableMarkdown(t));
    if (cost.statements.length > 0) out.push(`**Break-even**\n\n${cost.statements.map((x) => `- ${m(x)}`).join('\n')}\n`);
    if (cost.notes.length > 0) out.push(`**Cost notes**\n\n${cost.notes.map((x) => `- ${m(x)}`).join('\n')}\n`);
  }
  const incidents = incidentSections(s);
  if (incidents.length > 0) {
    out.push('## Incidents\n');
    out.push(
      "Each incident of the scenario's timeline against its baseline: the same window of the same replications without it (same seed), so the difference is the incident's.\n",
    );
    for (const x of incidents) {
      out.push(`### Incident ${x.n}: ${m(x.name)}\n`);
      out.push(`${m(x.sentence)} Per minute: [${x.csvPath}](${x.csvPath}).\n`);
      out.push(tableMarkdown(x.table));
      if (x.destinations) out.push(tableMarkdown(x.destinations));
      const chart = incidentCharts.find((c) => c.chart.csv.path === x.csvPath);
      if (chart) out.push(chartMarkdown(chart.chart));
    }
  }
  const trust = trustTable(s);
  if (trust) {
    out.push('## What leaves your server\n');
    out.push(
      `What this server sends each remote server it shares rooms with, per day, by kind, and what each policy would keep in. Also in [${TRUST_CSV_PATH}](${TRUST_CSV_PATH}).\n`,
    );
    const chart = trustCharts[0];
    if (chart) out.push(chartMarkdown(chart.chart));
    const levers = trustLeversTable(s);
    if (levers) out.push(tableMarkdown(levers));
    out.push(tableMarkdown(trust));
  }
  const governance = governanceTable(s);
  if (governance) {
    out.push('## Search, retention and audit\n');
    out.push(tableMarkdown(governance));
  }
  out.push('## Charts\n');
  if (scenario.federation.mode === 'closed' || scenario.federation.remoteServers === 0) out.push('*No federation chart: this server does not federate in this scenario.*\n');
  out.push(charts.map((c) => chartMarkdown(c.chart)).join('\n'));
  out.push('## Key figures\n');
  out.push(
    `Means over ${s.replications} replication${s.replications === 1 ? '' : 's'} with 95% confidence intervals (Student t, on the log scale for figures that cannot be negative, so no bound is below zero); "exact" figures do not vary between replications.\n`,
  );
  out.push(keyFigureTables(run).map(tableMarkdown).join('\n'));
  out.push('## Inputs\n');
  out.push(inputTables(scenario).map(tableMarkdown).join('\n'));
  out.push('## Assumptions\n');
  out.push(tableMarkdown(assumptionsTable()));
  out.push('## Scenario as run\n');
  out.push(
    meta.overrides.length === 0
      ? 'No `--set` overrides. The scenario with defaults filled in is in [scenario.json](scenario.json).\n'
      : `Overrides (\`--set\`):\n\n${meta.overrides.map((o) => `- ${m(o)}`).join('\n')}\n\nThe scenario as run, with defaults filled in, is in [scenario.json](scenario.json).\n`,
  );
  out.push(`Input SHA-256: ${s.scenario.sha256}\n`);
  return out.join('\n');
}
