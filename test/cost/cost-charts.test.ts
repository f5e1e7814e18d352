/**
 * The cost charts' layout decisions, on a cost report of the Testcloud
 * fixtures (no simulation, no rendering): the cumulative chart's log axis and
 * the tornado's labels outside the bars, with room measured for them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CostReport } from '../../src/cost/cost-report.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { costCumulativeChart, costSensitivityChart } from '../../src/report/cost-charts.js';
import type { ChartContext } from '../../src/report/chart-spec.js';
import { textWidth } from '../../src/report/text-metrics.js';
import { inputs, testCatalogs } from './fixtures.js';

const report = (): CostReport => estimateCost(inputs(), testCatalogs(), { currency: 'EUR', labourRate: 50 });
const ctx = (cost: CostReport) => ({ run: { cost }, scenario: {} }) as unknown as ChartContext;

interface Layer {
  data?: { values: Record<string, unknown>[] };
  mark?: { type?: string; align?: string };
  encoding?: Record<string, { scale?: { type?: string; domain?: number[] } }>;
  layer?: Layer[];
}

test('the cumulative cost chart uses a log axis, says so, and starts at month 1', () => {
  const chart = costCumulativeChart(ctx(report()))!;
  const spec = chart.spec as unknown as { layer: Layer[]; title: { subtitle: string[] } };
  const line = spec.layer[0]!;
  assert.equal(line.encoding!.y!.scale!.type, 'log');
  assert.ok(line.data!.values.every((v) => (v.month as number) >= 1 && (v.value as number) > 0));
  assert.match(spec.title.subtitle.join(' '), /log scale/);
  assert.match(chart.description, /on a log scale/);
});

test('tornado labels sit outside both bars of their row, and the x domain leaves room for their measured width', () => {
  const r = report();
  const typical = r.sensitivity!.range.typical;
  // An input whose both ends raise the total: both labels on the right, beyond the longer bar (they used to sit on it).
  r.sensitivity!.inputs = [
    { input: 'both up', lowValue: 'x0.7 (a long label for the low end)', highValue: 'x1.3', totalAtLow: typical + 100, totalAtHigh: typical + 300, swing: 200 },
    { input: 'spread', lowValue: 'x0.5', highValue: 'x1.5', totalAtLow: typical - 250, totalAtHigh: typical + 250, swing: 500 },
  ];
  const spec = costSensitivityChart(ctx(r))!.spec as unknown as { width: number; layer: Layer[] };
  const bars = spec.layer[0]!;
  const domain = bars.layer![0]!.encoding!.x!.scale!.domain!;
  const labels: { input: unknown; at: unknown; text: unknown; align: string | undefined }[] = spec.layer
    .filter((l) => l.mark?.type === 'text')
    .flatMap((l) => l.data!.values.map((v) => ({ input: v.input, at: v.at, text: v.text, align: l.mark!.align })));
  const both = labels.filter((l) => l.input === 'both up');
  assert.deepEqual(
    both.map((l) => [l.at, l.text, l.align]),
    [[typical + 300, 'x1.3 / x0.7 (a long label for the low end)', 'left']],
  );
  const unitsPerPx = (domain[1]! - domain[0]!) / spec.width;
  for (const l of labels) {
    const w = textWidth(l.text as string, 10.5) * unitsPerPx;
    const at = l.at as number;
    if (l.align === 'left') assert.ok(at + w <= domain[1]!, `${String(l.text)} runs past the right edge`);
    else assert.ok(at - w >= domain[0]!, `${String(l.text)} runs past the left edge`);
  }
});
