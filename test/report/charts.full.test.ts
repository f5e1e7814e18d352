import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { compile, type TopLevelSpec } from 'vega-lite';
import { timeAxis } from '../../src/report/chart-spec.js';
import { buildCharts, CHARTS } from '../../src/report/charts.js';
import { costBreakdownChart, costCumulativeChart, costSensitivityChart } from '../../src/report/cost-charts.js';
import { coincidingNote, compareCharts } from '../../src/report/compare-charts.js';
import type { CompareInput } from '../../src/report/compare-inputs.js';
import { cpuChart, IDLE_UTILIZATION, latencyChart, memoryChart, processGroups, processKind, utilizationChart } from '../../src/report/server-charts.js';
import { reportFiles } from '../../src/report/files.js';
import { FALLBACK_COLOR, PALETTE_IDS, seriesColor } from '../../src/report/palette.js';
import { compileSpec, prefixSvgIds, rasterize, renderSvg, svgToPng } from '../../src/report/vega.js';
import { closed, costedFixture, PNG_SIGNATURE, pngSize, runFixture, small } from './fixtures.js';

// A federating run, costed: every chart applies.
const fx = costedFixture(small);
const charts = buildCharts(fx.run, fx.scenario);
const COST_CHARTS = ['cost-breakdown', 'cost-cumulative', 'cost-sensitivity'];
const SERVER_CHARTS = ['cpu', 'utilization', 'latency', 'memory'];

test('every chart applies to a federating, costed run, with a unique file-safe name', () => {
  assert.equal(charts.length, CHARTS.length);
  const names = charts.map((c) => c.name);
  assert.deepEqual(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^[a-z0-9-]+$/);
  assert.deepEqual(names, ['deployment', 'online', 'events', 'bandwidth', 'federation', 'storage-growth', 'storage-added', 'sync', 'push', ...SERVER_CHARTS, ...COST_CHARTS]);
});

test('the cost charts are null without a cost, and when the cost could not be computed', () => {
  const plain = runFixture(small);
  for (const f of [costBreakdownChart, costCumulativeChart, costSensitivityChart]) assert.equal(f({ run: plain.run, scenario: plain.scenario }), null);
  assert.deepEqual(
    buildCharts(plain.run, plain.scenario).map((c) => c.name),
    ['deployment', 'online', 'events', 'bandwidth', 'federation', 'storage-growth', 'storage-added', 'sync', 'push', ...SERVER_CHARTS],
  );
  // GBP with no rate (these catalogs carry no reference rates): the USD labour rate cannot be converted, so nothing is
  // priced. (EUR is priced without a rate now: EUR providers and the euro-area labour cost.)
  const failed = costedFixture(small, { currency: 'GBP' });
  assert.equal(failed.run.cost, null);
  assert.equal(failed.run.summary.cost.selfHost, null);
  assert.match(failed.run.summary.cost.notes[0]!, /^cost not computed: .*add --rate USD:GBP=/);
  assert.deepEqual(
    buildCharts(failed.run, failed.scenario)
      .map((c) => c.name)
      .filter((n) => n.startsWith('cost-')),
    [],
  );
});

test('cost charts: currency in the axis titles, break-even marked, tornado sorted by swing', () => {
  const c = fx.run.cost!;
  const byName = new Map(charts.map((x) => [x.name, x]));
  for (const name of COST_CHARTS) {
    const json = JSON.stringify(byName.get(name)!.spec);
    assert.ok(json.includes(`(${c.currency})`), `${name}: currency in an axis title`);
  }
  // Breakdown: one bar per offer drawn, cheapest first, lines stacked.
  const breakdown = byName.get('cost-breakdown')!;
  const offers = (breakdown.spec as { encoding: { y: { sort: string[] } } }).encoding.y.sort;
  assert.equal(offers[0], c.selfHost!.label);
  const csv = parse<Record<string, string>>(breakdown.csv.content!, { columns: true });
  assert.equal(Number(csv[0]!.horizon_total), c.selfHost!.horizonTotal);
  // Cumulative: months 0..H, self-hosting and each SaaS plan; the break-even against the cheapest plan as a rule.
  const cumulative = byName.get('cost-cumulative')!;
  const rows = parse<Record<string, string>>(cumulative.csv.content!, { columns: true });
  assert.equal(rows.length, c.horizonMonths + 1);
  assert.equal(Object.keys(rows[0]!).length, 1 + 1 + c.saas.length + 1);
  assert.equal(Number(rows.at(-1)![Object.keys(rows[0]!)[1]!]), c.selfHost!.horizonTotal);
  const cheapest = [...c.saas].sort((a, b) => a.horizonTotal - b.horizonTotal)[0]!;
  const be = c.breakEven.find((b) => b.vendor === cheapest.vendor && b.plan === cheapest.plan)!;
  const spec = JSON.stringify(cumulative.spec);
  if (be.month !== null) {
    assert.match(spec, /"type":"rule"/);
    assert.ok(spec.includes(`: month ${be.month}`), 'break-even label');
  } else {
    assert.ok(spec.includes(`no break-even with`), 'no break-even said in the subtitle');
  }
  // Tornado: inputs in order of swing, largest first.
  const tornado = byName.get('cost-sensitivity')!;
  const inputs = parse<Record<string, string>>(tornado.csv.content!, { columns: true }).map((r) => Number(r.swing));
  assert.equal(inputs.length, c.sensitivity!.inputs.length);
  for (let i = 1; i < inputs.length; i++) assert.ok(inputs[i - 1]! >= inputs[i]!, 'sorted by swing');
});

test('server charts: kinds summed with capacity, target bounds marked', () => {
  // Synapse with workers: sync-1..sync-3 are one kind.
  const w = runFixture({ ...small, run: { ...small.run, replications: 1, server: { deployment: 'workers', workers: { sync: 3 } } } });
  const ctx = { run: w.run, scenario: w.scenario };
  assert.equal(processKind('sync-12'), 'sync');
  assert.equal(processKind('conduwuit'), 'conduwuit');
  const cpu = cpuChart(ctx)!;
  const rows = parse<Record<string, string>>(cpu.csv.content!, { columns: true });
  const bins = w.run.server.binStartSeconds.length;
  const sync = rows.filter((r) => r.kind === 'sync');
  assert.equal(sync.length, bins);
  assert.equal(sync[0]!.processes, '3');
  assert.equal(sync[0]!.capacity_cores, '3');
  const b = bins - 1;
  const summed = [1, 2, 3].reduce((s, i) => s + w.run.server.columns[`cores.sync-${i}`]![b]!, 0);
  assert.ok(Math.abs(Number(sync[b]!.cores_busy) - summed) <= 1e-5 * Math.max(1, summed));
  const pg = rows.find((r) => r.kind === 'postgres')!;
  assert.equal(Number(pg.capacity_cores), w.run.summary.resources.database!.cores);
  assert.match(JSON.stringify(cpu.spec), /"type":"rule","color":"#222222","strokeDash"/);
  assert.ok(JSON.stringify(cpu.spec).includes('sync workers (3): capacity 3 cores'));

  const util = utilizationChart(ctx)!;
  const u = parse<Record<string, string>>(util.csv.content!, { columns: true });
  const ceiling = w.run.summary.recommendation.targets.cpuUtilization;
  assert.deepEqual(
    u.map((r) => r.kind),
    [...new Set(w.run.summary.resources.processes.map((p) => processKind(p.name))), 'postgres'],
  );
  const syncMax = Math.max(...w.run.summary.resources.processes.filter((p) => p.kind === 'sync').map((p) => p.utilizationP95));
  assert.equal(Number(u.find((r) => r.kind === 'sync')!.utilization_p95), syncMax);
  for (const r of u) assert.equal(r.above_ceiling, Number(r.utilization_p95) > ceiling ? 'yes' : 'no');
  assert.ok(JSON.stringify(util.spec).includes(`"ceiling":${ceiling}`));

  const mem = memoryChart(ctx)!;
  const m = parse<Record<string, string>>(mem.csv.content!, { columns: true });
  const gib = m.reduce((s, r) => s + Number(r.ram_gib), 0) * 1024 ** 3;
  const bytes = w.run.summary.resources.processes.reduce((s, p) => s + p.ramBytesPeak, 0) + w.run.summary.resources.database!.ramBytes;
  assert.ok(Math.abs(gib - bytes) / bytes < 1e-4);
  assert.ok(JSON.stringify(mem.spec).includes(`recommended RAM in all: ${w.run.summary.recommendation.ramGiB} GiB`));

  const lat = latencyChart(ctx)!;
  assert.equal(lat.csv.path, 'data/latency.csv');
  const spec = JSON.stringify(lat.spec);
  assert.ok(spec.includes(`"ms":${w.run.summary.recommendation.targets.localSendMs},"quantile":0.95`), 'target marked');
  assert.ok(spec.includes('"type":"log"'));
  // Without federation the federation line is left out, not drawn at zero.
  const c = runFixture(closed);
  const closedLat = latencyChart({ run: c.run, scenario: c.scenario })!;
  assert.ok(!JSON.stringify(closedLat.spec).includes('"series":"federation delivery"'));
});

test('CPU panels only for the kinds that carry load; the others named with their figure; every chart says which deployment it draws', () => {
  const w = runFixture({ ...small, run: { ...small.run, replications: 1, server: { deployment: 'workers', workers: { sync: 3 } } } });
  const ctx = { run: w.run, scenario: w.scenario };
  const groups = processGroups(w.run, w.scenario);
  const busiest = groups.reduce((a, b) => (b.utilizationP95 > a.utilizationP95 ? b : a));
  const drawn = groups.filter((g) => g === busiest || g.utilizationP95 >= IDLE_UTILIZATION);
  const idle = groups.filter((g) => !drawn.includes(g));
  assert.ok(idle.length > 0, 'the small fixture has idle kinds');
  const cpu = cpuChart(ctx)!;
  const spec = cpu.spec as unknown as { facet: { sort: string[] }; title: { subtitle: string[] } };
  assert.deepEqual(
    spec.facet.sort.map((p) => p.replace(/: capacity .*$/, '')),
    drawn.map((g) => g.label),
  );
  const subtitle = spec.title.subtitle.join(' ');
  assert.match(subtitle, new RegExp(`${idle.length} kinds? below 10% CPU at p95, not drawn:`));
  for (const g of idle) assert.ok(subtitle.includes(g.label), g.label);
  for (const line of spec.title.subtitle) assert.ok(line.length <= 110, `subtitle line within the chart: ${line}`);
  // The CSV keeps every kind.
  const kinds = new Set(parse<Record<string, string>>(cpu.csv.content!, { columns: true }).map((r) => r.kind));
  assert.equal(kinds.size, groups.length);
  // The server charts draw the deployment as simulated and say so; the utilisation verdict is about the bars drawn.
  const n = w.run.summary.resources.processes.length;
  for (const c of [cpu, utilizationChart(ctx)!, memoryChart(ctx)!, latencyChart(ctx)!]) {
    assert.match(c.title, /as simulated$/);
    assert.ok(JSON.stringify(c.spec).includes(`draws the scenario's deployment as simulated (${n} processes and PostgreSQL)`), c.name);
  }
  const util = JSON.stringify(utilizationChart(ctx)!.spec);
  const over = groups.filter((g) => g.utilizationP95 > w.run.summary.recommendation.targets.cpuUtilization).length;
  assert.ok(util.includes(over === 0 ? 'as simulated: every kind within the ceiling, CPU target met' : 'CPU target missed'));
});

test('compare: lines that coincide are named, and each input has its own dash and marker', () => {
  const rows = [0, 1, 2].flatMap((x) => [
    { input: 'a', month: x, value: 10 * x },
    { input: 'b', month: x, value: 10 * x + 0.1 },
    { input: 'c', month: x, value: 5 * x },
  ]);
  // The axis reaches 20, so 0.1 apart is within 1%; c differs by 10 at x = 2.
  assert.equal(coincidingNote(rows, 'month', ['a', 'b', 'c']), 'lines that coincide (within 1% of the axis at every point), told apart by dash and marker: a and b');
  assert.equal(coincidingNote(rows, 'month', ['a', 'c']), '');

  // Three runs of one scenario draw three identical lines: each keeps its own colour, dash, marker and width.
  const input = (label: string): CompareInput => ({
    label,
    path: label,
    kind: 'run',
    summary: fx.run.summary,
    samples: {},
    series: null,
    storageHorizon: [0, 1, 2, 3].map((month) => ({ month, totalBytes: 1e9 * (1 + month) })),
  });
  const [chart] = compareCharts([input('seed 1'), input('seed 2'), input('seed 3')]);
  assert.ok(chart);
  const enc = (chart.spec as unknown as { encoding: Record<string, { scale: { range: unknown[] } }> }).encoding;
  for (const channel of ['color', 'strokeDash', 'shape', 'strokeWidth']) {
    const range = enc[channel]!.scale.range.map((r) => JSON.stringify(r));
    assert.equal(new Set(range).size, 3, `${channel}: ${range.join(' ')}`);
  }
  assert.match(JSON.stringify(chart.spec), /told apart by dash and marker: seed 1 and seed 2 and seed 3/);
});

test('a closed server has no federation chart', () => {
  const c = runFixture(closed);
  const names = buildCharts(c.run, c.scenario).map((x) => x.name);
  assert.ok(!names.includes('federation'));
  assert.ok(names.includes('bandwidth'));
});

for (const chart of charts) {
  test(`chart ${chart.name}: compiles with vega-lite without warnings, renders to SVG and PNG`, async () => {
    const warnings: string[] = [];
    const vg = compileSpec(chart.spec, chart.name, warnings);
    assert.ok(Array.isArray((vg as { marks?: unknown[] }).marks));
    assert.deepEqual(warnings, []);
    // The spec is plain JSON with its data inline: it survives a round trip and compiles again.
    const json = JSON.parse(JSON.stringify(chart.spec)) as TopLevelSpec;
    assert.ok(compile(json).spec);
    assert.ok(JSON.stringify(json).includes('"values"'));
    assert.ok(!JSON.stringify(json).includes('"url"'), 'no data loaded from a URL');

    const { svg, warnings: renderWarnings } = await renderSvg(chart.spec, chart.name);
    assert.deepEqual(renderWarnings, []);
    assert.ok(svg.startsWith('<svg'), svg.slice(0, 80));
    assert.ok(svg.length > 2000, `SVG of ${svg.length} characters`);
    assert.ok(svg.includes(`>${chart.title}</text>`), `SVG carries its title "${chart.title}"`);
    assert.match(svg, /<path|<rect/);

    const png = svgToPng(svg);
    assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
    const { width, height } = pngSize(png);
    const w = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    const h = Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    assert.equal(width, Math.round(w * 2));
    assert.equal(height, Math.round(h * 2));
    assert.ok(width >= 800 && width <= 3000, `width ${width}`);
    assert.ok(height >= 300 && height <= 2400, `height ${height}`);
  });
}

test('rendering is deterministic: the same spec gives the same SVG', async () => {
  for (const chart of charts.slice(0, 4)) {
    const a = await renderSvg(chart.spec, chart.name);
    const b = await renderSvg(chart.spec, chart.name);
    assert.equal(a.svg, b.svg, chart.name);
  }
  const again = buildCharts(fx.run, fx.scenario);
  assert.deepEqual(
    again.map((c) => c.spec),
    charts.map((c) => c.spec),
  );
});

test('the CSV behind each chart is written by the chart or is an existing report file', () => {
  const existing = reportFiles(fx.run, fx.scenario);
  const bins = fx.run.series.binStartSeconds.length;
  for (const c of charts) {
    assert.match(c.csv.path, /^data\/[a-z0-9-]+\.csv$/);
    if (c.csv.content === undefined) {
      assert.ok(existing.has(c.csv.path), `${c.name}: ${c.csv.path} exists`);
    } else {
      assert.ok(!existing.has(c.csv.path), `${c.name}: ${c.csv.path} is new`);
      const lines = parse(c.csv.content);
      assert.ok(lines.length >= 2, c.name);
      const width = lines[0]!.length;
      for (const line of lines) assert.equal(line.length, width, `${c.name}: ${line.join(',')}`);
      if (lines[0]!.join(',').startsWith('bin_start_s,time,')) assert.equal(lines.length, bins + 1, c.name);
    }
  }
});

test('text renders in the PNG: the system has the chart font', () => {
  // Black text on white: many dark pixels when a font was found, none when it was not.
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="4" y="30" font-family="DejaVu Sans, sans-serif" font-size="28" fill="black">Mon 09:00</text></svg>';
  const img = rasterize(svg, 1);
  let dark = 0;
  for (let i = 0; i < img.pixels.length; i += 4) if (img.pixels[i]! < 100) dark++;
  assert.ok(dark > 300, `only ${dark} dark pixels: is fonts-dejavu-core installed?`);
});

test('colours: one per series, the same across charts', () => {
  for (const c of charts) {
    for (const scale of JSON.stringify(c.spec).matchAll(/"domain":\[("[^\]]*)\],"range":\[([^\]]*)\]/g)) {
      const labels = JSON.parse(`[${scale[1]}]`) as string[];
      const colors = JSON.parse(`[${scale[2]}]`) as string[];
      assert.equal(labels.length, colors.length);
      assert.equal(new Set(labels).size, labels.length, `${c.name}: labels unique`);
    }
  }
  // Federation EDUs take the colour of their event type.
  assert.equal(seriesColor('fed.out.edus.presence'), seriesColor('m.presence'));
  assert.equal(seriesColor('fed.out.edus.to_device'), seriesColor('m.room_key'));
  assert.equal(seriesColor('no.such.series'), FALLBACK_COLOR);
  for (const id of PALETTE_IDS) assert.match(seriesColor(id), /^#[0-9a-f]{6}$/);
});

test('time axis: ticks on whole hours labelled like "Mon 09:00", days for long runs', () => {
  const day = timeAxis(24) as { axis: { values: number[]; labelExpr: string } };
  assert.deepEqual(day.axis.values, [0, 3, 6, 9, 12, 15, 18, 21, 24]);
  assert.match(day.axis.labelExpr, /':00'/);
  const week = timeAxis(24 * 7) as { axis: { values: number[]; labelExpr: string } };
  assert.equal(week.axis.values[1], 24);
  assert.match(week.axis.labelExpr, /'day '/);
});

test('prefixSvgIds makes clip-path and gradient references unique per chart', () => {
  const svg = '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>';
  assert.equal(prefixSvgIds(svg, 'c-x'), '<svg><defs><clipPath id="c-x-clip1"><rect/></clipPath></defs><g clip-path="url(#c-x-clip1)"><use href="#c-x-clip1"/></g></svg>');
});
