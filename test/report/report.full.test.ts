import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCharts } from '../../src/report/charts.js';
import { reportFiles } from '../../src/report/files.js';
import { allReportFiles, compactJson, renderReport } from '../../src/report/render.js';
import { escapeHtml } from '../../src/report/text.js';
import { hostile, PNG_SIGNATURE, runFixture, small, XSS_BOLD, XSS_SCRIPT } from './fixtures.js';

const fx = runFixture(small, ['population.growthPerMonth=0.01']);
const meta = { version: '9.9.9-test', overrides: fx.overrides, png: true };
const files = await renderReport(fx.run, fx.scenario, meta);
const text = (path: string) => {
  const v = files.get(path);
  assert.equal(typeof v, 'string', path);
  return v as string;
};

test('renderReport returns the page, the Markdown summary, and a spec, SVG and PNG per chart', () => {
  const charts = buildCharts(fx.run, fx.scenario);
  assert.ok(files.has('index.html'));
  assert.ok(files.has('summary.md'));
  for (const c of charts) {
    for (const ext of ['vl.json', 'svg']) assert.equal(typeof files.get(`charts/${c.name}.${ext}`), 'string', `${c.name}.${ext}`);
    const png = files.get(`charts/${c.name}.png`);
    assert.ok(png instanceof Uint8Array);
    assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
    const spec = JSON.parse(text(`charts/${c.name}.vl.json`)) as { $schema: string };
    assert.deepEqual(spec, JSON.parse(JSON.stringify(c.spec)), 'the spec file is the spec, data inline');
    assert.match(spec.$schema, /vega-lite\/v6/);
    if (c.csv.content !== undefined) assert.equal(files.get(c.csv.path), c.csv.content);
  }
  for (const path of files.keys()) assert.match(path, /^(index\.html|summary\.md|charts\/[a-z0-9-]+\.(vl\.json|svg|png)|data\/[a-z0-9-]+\.csv)$/, path);
});

test('without png, no chart is rasterised and the page links only what was written', async () => {
  const lean = await renderReport(fx.run, fx.scenario, { ...meta, png: false });
  assert.deepEqual(
    [...lean.keys()].filter((p) => p.endsWith('.png')),
    [],
  );
  assert.deepEqual([...lean.keys()].sort(), [...files.keys()].filter((p) => !p.endsWith('.png')).sort());
  assert.doesNotMatch(lean.get('index.html') as string, /\.png"/);
});

test('the rendered files do not collide with those of files.ts, and allReportFiles merges both', async () => {
  const base = reportFiles(fx.run, fx.scenario);
  for (const path of files.keys()) assert.ok(!base.has(path), path);
  const all = await allReportFiles(fx.run, fx.scenario, meta);
  assert.equal(all.size, base.size + files.size);
});

test('rendering is deterministic: same run, same files', async () => {
  const again = await renderReport(fx.run, fx.scenario, meta);
  assert.deepEqual([...again.keys()], [...files.keys()]);
  for (const [path, content] of again) {
    if (typeof content === 'string') assert.equal(content, files.get(path), path);
  }
});

test('index.html is self-contained: no script, no external resource, every chart inline', () => {
  const html = text('index.html');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /\b(?:src|href)="(?:https?:)?\/\//i, 'no remote src or href');
  assert.doesNotMatch(html, /@import|url\((?!#)/i, 'no CSS import or remote url()');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  for (const c of buildCharts(fx.run, fx.scenario)) {
    assert.ok(html.includes(`<figure class="chart" id="chart-${c.name}"`), c.name);
    assert.ok(html.includes(`>${c.title}</text>`), `${c.name} title inside the inline SVG`);
  }
});

test('index.html has the headline, the recommendation slot, figures, assumptions and the run as made', () => {
  const html = text('index.html');
  assert.match(html, /<section id="headline">/);
  assert.match(html, /messages sent per day/);
  assert.match(html, /<section id="recommendation" data-slot="recommendation">/);
  assert.match(html, /95% confidence interval/);
  assert.match(html, /maxPdusPerTransaction/);
  assert.match(html, /Server-Server API, PUT \/send\/\{txnId\}/);
  assert.match(html, /population\.growthPerMonth=0\.01/, 'overrides listed');
  assert.match(html, /<h1 id="scenario-name">report-test \(modified: population\.growthPerMonth=0\.01\)<\/h1>/, 'titled as modified');
  assert.match(html, /mxsim 9\.9\.9-test · seed 7 · 2 replications/);
  assert.match(html, /&quot;name&quot;: &quot;report-test&quot;/, 'scenario JSON, escaped');
});

test('without summary.recommendation the slot says so', async () => {
  const { recommendation: _, ...summary } = fx.run.summary as typeof fx.run.summary & { recommendation?: unknown };
  const out = await renderReport({ ...fx.run, summary: summary as typeof fx.run.summary }, fx.scenario, meta, { charts: [] });
  assert.match(
    out.get('index.html') as string,
    /<section id="recommendation" data-slot="recommendation">\n<h2>Sizing recommendation<\/h2>\n<p class="slot empty">No sizing recommendation in this report/,
  );
  assert.match(out.get('summary.md') as string, /No sizing recommendation in this report/);
});

test('the recommendation of the run, when summarize gives one, is shown in words and as a table', () => {
  const rec = (fx.run.summary as unknown as { recommendation?: Record<string, unknown> }).recommendation;
  if (rec === undefined) return; // the summary has none in this version
  const html = text('index.html');
  assert.doesNotMatch(html, /No sizing recommendation/);
  assert.match(html, /<p class="sentence">Run /);
  if (typeof rec.cores === 'number') assert.ok(html.includes(`<th scope="row">CPU cores in all</th><td>${rec.cores.toLocaleString('en-US')}</td>`));
  if (typeof rec.bottleneck === 'string') assert.ok(html.includes(escapeHtml(rec.bottleneck)));
  assert.doesNotMatch(html, /\[object Object\]/);
});

test('summary.recommendation and summary.cost fill their slots when present, whatever their exact shape', async () => {
  // Older and partial shapes must render too: the slot reads fields defensively.
  const summary: unknown = {
    ...fx.run.summary,
    recommendation: { deployment: 'workers', cores: 8, ramGiB: 16, diskGiB: 500, bandwidthMbps: 100, bottleneck: 'federation sender', saturationUsers: 12000 },
    cost: { monthly: { total: 420.5, currency: 'EUR' }, provider: '<i>cloud</i>' },
  };
  const out = await renderReport({ ...fx.run, summary: summary as typeof fx.run.summary }, fx.scenario, meta, { charts: [] });
  const html = out.get('index.html') as string;
  assert.doesNotMatch(html, /No sizing recommendation/);
  assert.match(html, /<th scope="row">CPU cores in all<\/th><td>8<\/td>/);
  assert.match(
    html,
    /<p class="sentence">Run the server \(workers\) on 8 CPU cores, 16 GiB of memory, 500 GiB of disk and 100 Mbit\/s of bandwidth\. The bottleneck is federation sender; it saturates at about 12,000 users\.<\/p>/,
  );
  assert.match(html, /<th scope="row">bottleneck<\/th><td>federation sender<\/td>/);
  assert.match(html, /users at saturation<\/th><td>12,000</);
  assert.match(html, /monthly\.total<\/th><td>420\.5</);
  assert.match(html, /&lt;i&gt;cloud&lt;\/i&gt;/);
  const md = out.get('summary.md') as string;
  assert.match(md, /\| memory \| 16 GiB \|/);
  assert.match(md, /### Cost/);
});

test('summary.md: headline, chart images by relative link, tables', () => {
  const md = text('summary.md');
  // The fixture runs with --set population.growthPerMonth=0.01: the title and the description say so (src/scenario/display.ts).
  // The description follows the decision (the first screen), src/report/markdown.ts.
  assert.match(md, /^# report-test \(modified: population\.growthPerMonth=0\.01\)\n/);
  assert.match(md, /\n\nModified with --set population\.growthPerMonth=0\.01, .* Based on: A small federating server/);
  assert.match(md, /## Headline\n\n- \*\*users\*\*: 60/);
  for (const c of buildCharts(fx.run, fx.scenario)) assert.ok(md.includes(`](charts/${c.name}.svg)`), c.name);
  assert.match(md, /\| figure \| mean \| 95% confidence interval \|\n\| --- \| ---: \| ---: \|/);
  assert.match(md, /## Assumptions/);
});

test('scenario text is escaped in the page and in the Markdown', async () => {
  const h = runFixture(hostile);
  const out = await renderReport(h.run, h.scenario, { version: 'test', overrides: [] });
  const html = out.get('index.html') as string;
  const md = out.get('summary.md') as string;
  for (const doc of [html, md]) {
    assert.ok(!doc.includes(XSS_SCRIPT), 'no raw script tag');
    assert.ok(!doc.includes(XSS_BOLD), 'no raw bold tag');
  }
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('<th scope="row">&lt;b&gt;x&lt;/b&gt;</th>'), 'room kind name in the rooms table, escaped');
  assert.ok(md.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(md.includes('\\| pipes \\*stars\\*'));
});

test('compactJson keeps data rows on one line and parses back to the same value', () => {
  const v = {
    a: [
      { x: 1, y: 'b' },
      { x: 2, y: 'c' },
    ],
    b: { c: { d: [1, 2, 3] } },
  };
  const s = compactJson(v);
  assert.deepEqual(JSON.parse(s), v);
  assert.match(s, /\n {4}\{ "x": 1, "y": "b" \},\n/);
  assert.match(s, /"d": \[1, 2, 3\]/);
});

test('the page and summary.md open with the decision: what to deploy, the figures that decide, the targets verdict', () => {
  const html = text('index.html');
  const at = (needle: string) => {
    const i = html.indexOf(needle);
    assert.ok(i >= 0, needle);
    return i;
  };
  // Before the description and every traffic figure.
  assert.ok(at('<section id="decision"') < at('id="scenario-description"'));
  assert.ok(at('<section id="decision"') < at('<section id="headline">'));
  assert.match(html, /<p class="decision-sentence" id="decision-sentence">Deploy Synapse as one process, with PostgreSQL\.<\/p>/);
  const rec = fx.run.summary.recommendation;
  assert.ok(html.includes(`<span class="value">${rec.cores} cores · ${rec.ramGiB} GiB RAM · ${rec.diskGiB} GiB disk · ${rec.bandwidthMbps} Mbit/s</span>`));
  for (const id of ['resources', 'bottleneck', 'targets']) assert.match(html, new RegExp(`<li id="decision-${id}"`));
  assert.match(html, /<th scope="row">PostgreSQL<\/th>/, 'the components table names PostgreSQL');
  assert.match(html, /data-verdict="recommended"/);
  assert.match(html, /data-verdict="simulated"/);
  const md = text('summary.md');
  assert.ok(md.indexOf('## Decision') > 0 && md.indexOf('## Decision') < md.indexOf('## Headline'));
  assert.match(md, /\*\*Deploy Synapse as one process, with PostgreSQL\.\*\*/);
});

test('a deployment that misses its latency target by hours gets a red banner with the latency in hours and what to change', async () => {
  const s = fx.run.summary;
  const p = s.recommendation.targets.latencyPercentile;
  const summary = {
    ...s,
    latencyMs: { ...s.latencyMs, localSend: { ...s.latencyMs.localSend, [p]: { mean: 47_520_000, ci95: [40_000_000, 56_000_000] } } },
    recommendation: { ...s.recommendation, simulatedDeploymentMeetsTargets: { cpu: true, latency: false } },
  };
  const out = await renderReport({ ...fx.run, summary }, fx.scenario, meta, { charts: [] });
  const html = out.get('index.html') as string;
  const banner = /<p class="banner" role="alert" id="targets-not-met">([^<]*)<\/p>/.exec(html);
  assert.ok(banner, 'a banner');
  assert.ok(html.indexOf(banner[0]) < html.indexOf('id="decision-sentence"'), 'the banner comes first');
  assert.match(
    banner[1]!,
    /The scenario&#39;s deployment as simulated \(1 process and PostgreSQL\) does not meet the targets: local send p95 13\.2 h \(target at most 1000 ms\)\. What to change: deploy the recommendation above \(Synapse as one process, /,
  );
  assert.match(html, /<li id="decision-targets" class="missed"><span class="label">targets<\/span><span class="value">missed as simulated<\/span>/);
  assert.doesNotMatch(html, /47,520,000|47520000 ms/);
  const md = out.get('summary.md') as string;
  assert.match(md, /> \*\*Warning\.\*\* The scenario's deployment as simulated .* local send p95 13\.2 h/);
  // The recommendation itself missing its targets: its own banner, with the lever.
  const worse = { ...summary, recommendation: { ...summary.recommendation, targetsMet: false, limit: { mechanism: 'the main process CPU', lever: 'more sync workers' } } };
  const html2 = (await renderReport({ ...fx.run, summary: worse }, fx.scenario, meta, { charts: [] })).get('index.html') as string;
  assert.match(html2, /id="targets-not-met">The recommendation does not meet its targets: the main process CPU\. What would help: more sync workers\./);
  assert.match(html2, /the recommendation above does not meet them either/);
});

test('no code identifiers in the human text of the decision, headline, recommendation and key figures', () => {
  const html = text('index.html');
  const section = (id: string) => {
    const m = new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
    assert.ok(m, id);
    return m[1]!.replace(/<[^>]+>/g, ' ');
  };
  for (const id of ['decision', 'headline', 'recommendation', 'figures']) {
    const words = section(id).match(/\b[a-z]+[A-Z][A-Za-z0-9]*\b/g) ?? [];
    assert.deepEqual(words, [], `${id}: ${words.join(', ')}`);
  }
});
