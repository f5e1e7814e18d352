/**
 * The folder `mxsim sweep` writes, as files in memory (src/report/write.ts
 * puts them in place): results.csv/.json (one row per point and
 * replication), points.csv/.json (mean and 95% interval of each output per
 * point), effects.csv/.json (what moves the answer), sweep.json (what was
 * run), a chart of each output against each varied field with its 95% band
 * and a chart of the effects (Vega-Lite specs rendered to SVG by
 * src/report/vega.ts), index.html and README.md.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plain } from '../report/format-any.js';
import { CHART_CONFIG, slug } from '../report/chart-spec.js';
import { toCsv, type Cell } from '../report/csv.js';
import { pageHead, tableHtml } from '../report/html.js';
import { tableMarkdown } from '../report/markdown.js';
import type { Table } from '../report/table.js';
import { escapeHtml as e, escapeMarkdown as m } from '../report/text.js';
import { pointLabel } from './design.js';
import { sweepMessages } from './sweep-messages.js';
import { OUTPUTS, type OutputDefinition } from './sweep-job.js';
import type { SweepResult } from './sweep.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A chart of the sweep folder. */
export interface SweepChart {
  name: string;
  title: string;
  description: string;
  spec: TopLevelSpec;
}

/** A value of a row as a CSV cell: numbers (not finite: empty), text, booleans as true/false, anything else as JSON. */
export const cell = (v: unknown): Cell =>
  v === null || v === undefined
    ? null
    : typeof v === 'number'
      ? Number.isFinite(v)
        ? v
        : null
      : typeof v === 'string'
        ? v
        : typeof v === 'boolean'
          ? String(v)
          : (JSON.stringify(v) ?? null);
/** Rows as CSV with `header` as columns. */
const csvOf = (header: readonly string[], rows: readonly Record<string, unknown>[]) =>
  toCsv(
    header,
    rows.map((r) => header.map((h) => cell(r[h]))),
  );

/** The columns of results.csv and points.csv. */
export function resultHeader(s: SweepResult): string[] {
  return ['point', 'replication', 'seed', ...s.plan.factors.map((f) => f.path), ...s.outputs.map((o) => o.name)];
}

export function pointsHeader(s: SweepResult): string[] {
  return ['point', ...s.plan.factors.map((f) => f.path), ...s.outputs.flatMap((o) => [o.name, `${o.name}_ci95_low`, `${o.name}_ci95_high`])];
}

/** points.csv's rows: the varied values, each output's mean and interval. */
export function pointRows(s: SweepResult): Record<string, unknown>[] {
  return s.points.map((p) => ({
    point: p.point,
    ...p.values,
    ...Object.fromEntries(
      s.outputs.flatMap((o) => [
        [o.name, p.outputs[o.name]?.mean],
        [`${o.name}_ci95_low`, p.outputs[o.name]?.ci95[0]],
        [`${o.name}_ci95_high`, p.outputs[o.name]?.ci95[1]],
      ]),
    ),
  }));
}

/** What was run, for sweep.json and the page. */
export function sweepDocument(s: SweepResult, version: string) {
  const { plan } = s;
  return {
    mxsim: version,
    scenario: { name: plan.base.scenario.name, file: plan.file, sha256: plan.base.sha256, overrides: plan.base.display.modifications },
    design: plan.design,
    seed: plan.seed,
    replications: s.replications,
    points: plan.points.length,
    runs: plan.points.length * s.replications,
    verified: s.verified,
    factors: plan.factors.map((f) => ({ path: f.path, vary: f.spec, values: plan.design === 'lhs' ? null : f.levels.map((l) => l.value), range: f.range, integer: f.integer })),
    outputs: s.outputs.map((o) => ({ name: o.name, label: o.label, unit: o.unit })),
    notes: plan.notes,
    method: s.effects.method,
  };
}

/** Each output against each varied field: the point means with their 95% band, one line per combination of the other fields. */
export function sweepCharts(s: SweepResult): SweepChart[] {
  const charts: SweepChart[] = [];
  const { plan } = s;
  const many = plan.design === 'lhs';
  for (const out of s.outputs) {
    plan.factors.forEach((f, j) => {
      const others = plan.factors.filter((_, k) => k !== j);
      const rows = plan.points.flatMap((p, i) => {
        const st = s.points[i]?.outputs[out.name];
        if (!st || !Number.isFinite(st.mean)) return [];
        const value = p.levels[j]?.value;
        const series = others.length === 0 || many ? 'all points' : others.map((g) => `${g.path}=${p.levels[plan.factors.indexOf(g)]?.text ?? ''}`).join(', ');
        return [{ x: typeof value === 'number' ? value : String(value), series, mean: st.mean, low: st.ci95[0], high: st.ci95[1], point: p.index + 1 }];
      });
      if (rows.length === 0) return;
      const numeric = rows.every((r) => typeof r.x === 'number');
      const log = numeric && f.range?.scale === 'log';
      const seriesCount = new Set(rows.map((r) => r.series)).size;
      const x = numeric
        ? { field: 'x', type: 'quantitative', title: f.path, scale: log ? { type: 'log', nice: false } : { zero: false, nice: false } }
        : { field: 'x', type: 'ordinal', title: f.path, sort: null, axis: { labelAngle: 0 } };
      const color = seriesCount > 1 ? { color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top', columns: 2 } } } : {};
      const y = { field: 'mean', type: 'quantitative', title: `${out.label} (${out.unit})`, scale: { zero: false } };
      const offset = !numeric && seriesCount > 1 ? { xOffset: { field: 'series', type: 'nominal' } } : {};
      const band =
        numeric && !many
          ? { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, ...color } }
          : { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, ...color, ...offset } };
      const line = {
        mark: many || !numeric ? { type: 'point', filled: true, size: 50 } : { type: 'line', point: true },
        encoding: { x, y, ...color, ...(numeric ? {} : offset), tooltip: [{ field: 'point' }, { field: 'mean' }, { field: 'low' }, { field: 'high' }] },
      };
      const name = `${slug(out.name)}-by-${slug(f.path)}`;
      const description = `${out.label} (${out.unit}) against ${f.path}: the mean over ${s.replications} replication(s) at each point with its 95% confidence interval as a ${numeric && !many ? 'band' : 'bar'}${seriesCount > 1 ? ', one line per combination of the other varied fields' : ''}.`;
      charts.push({
        name,
        title: `${out.name} by ${f.path}`,
        description,
        spec: {
          $schema: SCHEMA,
          title: { text: `${out.label} by ${f.path}`, subtitle: `mean over ${s.replications} replication(s), 95% confidence interval${log ? '; log scale' : ''}` },
          description,
          width: 560,
          height: 260,
          data: { values: rows },
          layer: [band, line],
          config: CHART_CONFIG,
        } as unknown as TopLevelSpec,
      });
    });
  }
  // Outputs that never vary have nothing to rank.
  const ranked = s.effects.ranking.filter((r) => Number.isFinite(r.score) && !s.effects.constant.includes(r.output));
  if (ranked.length > 0) {
    const description = `What moves each output: the ${s.effects.score} of each varied field${s.plan.design === 'factorial' ? ' and two-way interaction' : ''}, largest first (effects.csv).`;
    charts.push({
      name: 'effects',
      title: 'What moves the answer',
      description,
      spec: {
        $schema: SCHEMA,
        title: { text: 'What moves the answer', subtitle: `${s.effects.score}, per output` },
        description,
        data: { values: ranked.map((r) => ({ output: r.output, effect: r.effect, score: r.score })) },
        facet: { field: 'output', type: 'nominal', title: null, sort: s.outputs.map((o) => o.name).filter((o) => !s.effects.constant.includes(o)) },
        columns: 3,
        spec: {
          width: 200,
          height: { step: 16 },
          mark: { type: 'bar', color: '#1f5fa8' },
          encoding: {
            y: { field: 'effect', type: 'nominal', title: null, sort: '-x', axis: { labelLimit: 0 } },
            x: { field: 'score', type: 'quantitative', title: s.effects.score },
          },
        },
        resolve: { scale: { y: 'independent' } },
        config: CHART_CONFIG,
      } as unknown as TopLevelSpec,
    });
  }
  return charts;
}

const fmt = (v: unknown): string => (typeof v === 'number' ? plain(v) : (cell(v) ?? '–').toString());
const share = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
const pText = (p: number | null) => (p === null ? '' : p < 0.001 ? ', p < 0.001' : `, p ${p.toFixed(3)}`);

/** The ranking, one line per output: `cores: population.users 91.0% (p < 0.001); ...; replications 2.0%, error 1.0%`. */
export function rankingLines(s: SweepResult, top = 4): string[] {
  return s.outputs.flatMap((o) => {
    if (s.effects.constant.includes(o.name)) return [`${o.name}: ${sweepMessages.constantOutput()}`];
    const items = s.effects.ranking.filter((r) => r.output === o.name).slice(0, top);
    if (items.length === 0) return [];
    const score = (x: number) => (s.plan.design === 'factorial' ? share(x) : plain(x));
    const noise = s.effects.noise.find((n) => n.output === o.name);
    const rest = noise ? `; ${sweepMessages.noise(share(noise.replications), share(noise.error))}` : '';
    return [`${o.name}: ${items.map((r) => `${r.effect} ${score(r.score)}${pText(r.p)}`).join('; ')}${rest}`];
  });
}

/** The points table for people: the varied values and each output's mean ± its interval. */
export function pointsTable(s: SweepResult): Table {
  return {
    id: 'points',
    title: 'Points',
    note: `Mean over ${s.replications} replication(s) at each point, 95% confidence interval in brackets (points.csv has them as columns).`,
    columns: ['point', ...s.plan.factors.map((f) => f.path), ...s.outputs.map((o) => `${o.name} (${o.unit})`)],
    rows: s.points.map((p) => [
      String(p.point),
      ...s.plan.factors.map((f) => fmt(p.values[f.path])),
      ...s.outputs.map((o) => {
        const st = p.outputs[o.name];
        return st ? `${fmt(st.mean)} [${fmt(st.ci95[0])}, ${fmt(st.ci95[1])}]` : '–';
      }),
    ]),
  };
}

export function effectsTable(s: SweepResult): Table {
  return {
    id: 'effects',
    title: 'What moves the answer',
    note: s.effects.method,
    columns: s.effects.header,
    rows: s.effects.rows.map((r) => s.effects.header.map((h) => fmt(r[h]))),
  };
}

function outputsTable(outputs: readonly OutputDefinition[]): Table {
  return { id: 'outputs', title: 'Outputs', columns: ['output', 'what it is', 'unit'], rows: outputs.map((o) => [o.name, o.label, o.unit]) };
}

function intro(s: SweepResult): { title: string; lines: string[] } {
  const { plan } = s;
  const title = `Sweep of ${plan.base.scenario.name}`;
  const varied = plan.factors.map((f) =>
    plan.design === 'lhs' && f.range ? `${f.path} from ${f.range.lo} to ${f.range.hi} (${f.range.scale})` : `${f.path} = ${f.levels.map((l) => l.text).join(', ')}`,
  );
  return {
    title,
    lines: [
      `${plan.design === 'factorial' ? 'Full factorial' : plan.design === 'oat' ? 'One at a time' : 'Latin hypercube'} design: ${plan.points.length} points × ${s.replications} replications = ${plan.points.length * s.replications} runs, seed ${plan.seed} (replication r of every point uses seed ${plan.seed}/r: common random numbers).`,
      `Varied: ${varied.join('; ')}.`,
      ...(s.verified ? [] : ['Recommendations from CPU sizing alone (--no-verify): not re-simulated.']),
      ...(plan.base.display.modifications.length > 0 ? [`Base scenario modified by --set ${plan.base.display.modifications.join(' ')}.`] : []),
      ...plan.notes.map((n) => `Note: ${n}`),
    ],
  };
}

/** The command that made the sweep, for the README. */
function commandLine(s: SweepResult): string {
  const { plan } = s;
  const parts = ['mxsim sweep', plan.file, ...plan.factors.map((f) => `--vary ${f.spec}`), `--design ${plan.design}`];
  if (plan.design === 'lhs') parts.push(`--points ${plan.points.length}`);
  parts.push(`--replications ${s.replications}`, `--seed ${plan.seed}`);
  if (s.outputs.length < OUTPUTS.length) parts.push(`--outputs ${s.outputs.map((o) => o.name).join(',')}`);
  if (!s.verified) parts.push('--no-verify');
  for (const o of plan.base.display.modifications) parts.push(`--set ${o}`);
  return parts.join(' ');
}

/** The folder's index.html; each chart's SVG with its ids already prefixed (`prefixSvgIds` of report/vega.ts). */
export function sweepHtml(s: SweepResult, version: string, charts: readonly { chart: SweepChart; svg: string }[]): string {
  const { title, lines } = intro(s);
  const figures = charts
    .map(
      ({ chart, svg }) => `<figure class="chart" id="chart-${e(chart.name)}">
${svg}
<figcaption>${e(chart.description)} <a href="charts/${e(chart.name)}.vl.json">Vega-Lite spec</a> · <a href="charts/${e(chart.name)}.svg">SVG</a></figcaption>
</figure>`,
    )
    .join('\n');
  return `${pageHead(`${title} · mxsim`, version)}
<body>
<main>
<header>
<h1>${e(title)}</h1>
${lines.map((l) => `<p class="meta">${e(l)}</p>`).join('\n')}
<p class="meta">Made by mxsim ${e(version)}. Data: <a href="results.csv">results.csv</a> (one row per run), <a href="points.csv">points.csv</a>, <a href="effects.csv">effects.csv</a>, <a href="sweep.json">sweep.json</a>.</p>
</header>
<section id="ranking">
<h2>What moves the answer</h2>
<ul>
${rankingLines(s)
  .map((l) => `<li>${e(l)}</li>`)
  .join('\n')}
</ul>
${tableHtml(effectsTable(s))}
</section>
<section id="points">
<h2>Points</h2>
${tableHtml(pointsTable(s))}
</section>
<section id="charts">
<h2>Charts</h2>
${figures}
</section>
<section id="outputs">
<h2>Outputs</h2>
${tableHtml(outputsTable(s.outputs))}
</section>
</main>
</body>
</html>
`;
}

export function sweepMarkdown(s: SweepResult, version: string, charts: readonly SweepChart[]): string {
  const { title, lines } = intro(s);
  const parts = [
    `# ${m(title)}`,
    lines.map(m).join('\n\n'),
    `Made by mxsim ${m(version)} with:\n\n\`\`\`sh\n${commandLine(s)}\n\`\`\``,
    `Data: [results.csv](results.csv) (one row per run), [points.csv](points.csv), [effects.csv](effects.csv), [sweep.json](sweep.json); the page: [index.html](index.html).`,
    `## What moves the answer\n\n${rankingLines(s)
      .map((l) => `- ${m(l)}`)
      .join('\n')}`,
    tableMarkdown(effectsTable(s)).trimEnd(),
    `## Points`,
    tableMarkdown(pointsTable(s)).trimEnd(),
    `## Charts\n\n${charts.map((c) => `![${m(c.title)}](charts/${c.name}.svg)\n\n*${m(c.description)}* [Vega-Lite spec](charts/${c.name}.vl.json)`).join('\n\n')}`,
    `## Outputs`,
    tableMarkdown(outputsTable(s.outputs)).trimEnd(),
    `Points: ${s.plan.points.map((p) => `${p.index + 1}. ${m(pointLabel(s.plan.factors, p))}`).join('; ')}.`,
  ];
  return parts.join('\n\n') + '\n';
}

/** Every file of the sweep folder, by relative path. */
export async function sweepFiles(s: SweepResult, version: string): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  const results = resultHeader(s);
  files.set('results.csv', csvOf(results, s.results));
  files.set('results.json', JSON.stringify(s.results, null, 2) + '\n');
  const points = pointRows(s);
  files.set('points.csv', csvOf(pointsHeader(s), points));
  files.set('points.json', JSON.stringify(s.points, null, 2) + '\n');
  files.set('effects.csv', csvOf(s.effects.header, s.effects.rows));
  files.set('effects.json', JSON.stringify(s.effects, null, 2) + '\n');
  files.set('sweep.json', JSON.stringify(sweepDocument(s, version), null, 2) + '\n');
  const charts = sweepCharts(s);
  // Vega and Vega-Lite are loaded only when charts are drawn, not for `mxsim --help` or a shard.
  const { prefixSvgIds, renderSvg } = await import('../report/vega.js');
  const { compactJson } = await import('../report/render.js');
  const rendered: { chart: SweepChart; svg: string }[] = [];
  for (const chart of charts) {
    const { svg } = await renderSvg(chart.spec, chart.name);
    files.set(`charts/${chart.name}.vl.json`, compactJson(chart.spec) + '\n');
    files.set(`charts/${chart.name}.svg`, svg + '\n');
    rendered.push({ chart, svg: prefixSvgIds(svg, `chart-${chart.name}`) });
  }
  files.set('index.html', sweepHtml(s, version, rendered));
  files.set('README.md', sweepMarkdown(s, version, charts));
  return files;
}
