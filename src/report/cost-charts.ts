/**
 * The report's cost charts, from the run's cost report (src/cost): cost per
 * month by provider, cumulative cost against SaaS plans, and what moves the
 * self-hosting total. Each is null when the run was not costed or the cost
 * could not be computed. Money is in the report's currency, named in every
 * axis title; nothing is converted here.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CostReport, ProviderReport } from '../cost/cost-report.js';
import { saasLabel } from '../cost/saas.js';
import { COST_LINES, type CostLine } from '../cost/selfhost.js';
import { formatWholeMoney } from '../format/index.js';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, header, round, slug, type ChartFunction } from './chart-spec.js';
import { toCsv } from './csv.js';
import { colorScale, saasColor, SELF_HOST_COLOR, seriesLabel } from './palette.js';
import { plural } from './text.js';
import { textWidth } from './text-metrics.js';

/** "USD, excl. VAT" */
function costBasis(c: CostReport): string {
  return `${c.currency}, ${c.vatIncluded ? 'incl.' : 'excl.'} VAT`;
}

/** Rates used, for subtitles: "1 EUR = 1.08696 USD (inverse of USD:EUR=0.92)", or "no currency converted". */
function ratesNote(c: CostReport): string {
  if (c.rates.length === 0) return 'no currency converted';
  return c.rates
    .map(
      (r) => `1 ${r.from} = ${round(r.rate)} ${r.to} (${r.reference ? `${r.inverse ? 'inverse of the ' : ''}ECB ${r.stated}` : r.inverse ? `inverse of ${r.stated}` : r.stated})`,
    )
    .join(', ');
}

/** Offers drawn in the breakdown chart, cheapest first. */
const COST_BREAKDOWN_OFFERS = 12;

const COST_LINE_COLUMN: Record<CostLine, string> = {
  compute: 'compute',
  calls: 'calls',
  blockStorage: 'block_storage',
  objectStorage: 'object_storage',
  egress: 'egress',
  database: 'database',
  backups: 'backups',
  labour: 'labour',
  setup: 'setup',
};

export const costBreakdownChart: ChartFunction = ({ run }) => {
  const c = run.cost ?? null;
  if (!c || !c.selfHost) return null;
  const H = c.horizonMonths;
  const all: ProviderReport[] = [c.selfHost, ...c.alternatives];
  const offers = all.slice(0, COST_BREAKDOWN_OFFERS);
  const lines = COST_LINES.filter((k) => offers.some((p) => p.breakdown[k] !== 0));
  const perMonth = (p: ProviderReport, k: CostLine) => round(p.breakdown[k] / H);
  const rows = offers.flatMap((p) => lines.map((k, rank) => ({ offer: p.label, series: seriesLabel(`cost.${k}`), rank, value: perMonth(p, k), total: round(p.horizonTotal / H) })));
  const csv = toCsv(
    ['provider', 'region', ...lines.map((k) => `${COST_LINE_COLUMN[k]}_per_month`), 'total_per_month', 'horizon_total', 'currency'],
    offers.map((p) => [p.provider, p.region, ...lines.map((k) => perMonth(p, k)), round(p.horizonTotal / H), p.horizonTotal, c.currency]),
  );
  const title = 'Self-hosting cost per month, by provider';
  const shown = all.length > offers.length ? `the ${offers.length} cheapest of ${all.length} offers` : `${plural(all.length, 'offer')}`;
  const description = `Average monthly cost of self-hosting over the ${H}-month horizon (horizon total / ${H}, setup spread over it) on each provider in scope, in ${c.currency}, stacked by cost line; cheapest first. Database ${c.selfHost.database}.`;
  const ids = lines.map((k) => `cost.${k}`);
  return {
    name: 'cost-breakdown',
    title,
    description,
    csv: { path: 'data/cost-breakdown.csv', content: csv },
    spec: {
      ...header(title, [`${costBasis(c)}; average of months 1 to ${H}; ${shown}; database ${c.selfHost.database}`, `rates: ${ratesNote(c)}`], description),
      width: CHART_WIDTH - 220,
      data: { values: rows },
      encoding: { y: { field: 'offer', type: 'nominal', title: null, sort: offers.map((p) => p.label), axis: { labelLimit: 220 } } },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'value', type: 'quantitative', stack: 'zero', title: `average cost per month (${c.currency})`, axis: { format: ',.0f', tickCount: 8 } },
            color: { field: 'series', type: 'nominal', title: null, scale: colorScale(ids), sort: ids.map(seriesLabel) },
            order: { field: 'rank', type: 'quantitative' },
          },
        },
        {
          transform: [{ filter: 'datum.rank === 0' }],
          mark: { type: 'text', align: 'left', dx: 5, fontSize: 11, color: '#333333' },
          encoding: { x: { field: 'total', type: 'quantitative' }, text: { field: 'total', type: 'quantitative', format: ',.0f' } },
        },
      ],
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const costCumulativeChart: ChartFunction = ({ run }) => {
  const c = run.cost ?? null;
  if (!c || (!c.selfHost && c.saas.length === 0)) return null;
  const H = c.horizonMonths;
  const saas = [...c.saas].sort((a, b) => a.horizonTotal - b.horizonTotal || saasLabel(a).localeCompare(saasLabel(b)));
  const selfLabel = c.selfHost ? `self-hosting on ${c.selfHost.label}` : null;
  const series: { label: string; kind: string; color: string; cumulative: number[] }[] = [];
  if (c.selfHost && selfLabel) series.push({ label: selfLabel, kind: 'self-hosting', color: SELF_HOST_COLOR, cumulative: c.selfHost.byMonth.map((m) => m.cumulative) });
  saas.forEach((s, i) => series.push({ label: `SaaS: ${saasLabel(s)}`, kind: 'SaaS', color: saasColor(i), cumulative: s.byMonth.map((m) => m.cumulative) }));
  const months = Array.from({ length: H + 1 }, (_, m) => m);
  const at = (cum: readonly number[], m: number) => (m === 0 ? 0 : round(cum[m - 1] ?? NaN));
  // A log axis: SaaS for thousands of users can cost a hundred times self-hosting, which a linear axis flattens
  // into its bottom band. Month 0 (nothing spent) has no place on it: the lines start at month 1.
  const rows = series.flatMap((s, rank) => months.filter((m) => m >= 1).map((m) => ({ month: m, series: s.label, kind: s.kind, rank, value: at(s.cumulative, m) })));
  const csv = toCsv(
    ['month', ...series.map((s) => slug(s.label)), 'currency'],
    months.map((m) => [m, ...series.map((s) => at(s.cumulative, m)), c.currency]),
  );
  // The self-hosting total, written at the end of its line.
  const selfEnd = c.selfHost ? c.selfHost.byMonth.at(-1)?.cumulative : undefined;
  const ends = selfEnd === undefined ? [] : [{ month: H, value: round(selfEnd), label: `self-hosting: ${formatWholeMoney(selfEnd, c.currency)}` }];
  // The break-even marked is the one against the cheapest SaaS plan.
  const head = saas[0];
  const be = head && c.selfHost ? c.breakEven.find((b) => b.vendor === head.vendor && b.plan === head.plan) : undefined;
  const marks: Record<string, unknown>[] = [];
  let beNote = '';
  if (be && head) {
    if (be.month !== null) {
      const label = `break-even with ${saasLabel(head)}: month ${be.month}`;
      beNote = `${label} (dashed line)`;
      marks.push(
        {
          data: { values: [{ month: be.month, label }] },
          mark: { type: 'rule', color: '#333333', strokeDash: [5, 4], strokeWidth: 1.5 },
          encoding: { x: { field: 'month', type: 'quantitative' } },
        },
        {
          data: { values: [{ month: be.month, label }] },
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 5, y: 4, fontSize: 11, color: '#222222' },
          encoding: { x: { field: 'month', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
        },
      );
    } else {
      beNote = `no break-even with ${saasLabel(head)} within ${H} months`;
    }
  }
  // A dot on the self-hosting line where it overtakes each plan.
  const selfHost = c.selfHost;
  const crossings = selfHost
    ? saas.flatMap((p) => {
        const b = c.breakEven.find((x) => x.vendor === p.vendor && x.plan === p.plan);
        return b && b.month !== null
          ? [
              {
                month: b.month,
                value: at(
                  selfHost.byMonth.map((m) => m.cumulative),
                  b.month,
                ),
                series: `SaaS: ${saasLabel(p)}`,
              },
            ]
          : [];
      })
    : [];
  if (crossings.length > 0) {
    marks.push({
      data: { values: crossings },
      mark: { type: 'point', filled: true, size: 70, stroke: '#ffffff', strokeWidth: 1, opacity: 1 },
      encoding: { x: { field: 'month', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, color: { field: 'series', type: 'nominal' } },
    });
  }
  const title = 'Cumulative cost: self-hosting against SaaS';
  const description =
    `Cumulative cost month by month over ${H} months, in ${c.currency}, on a log scale: self-hosting on the cheapest provider (setup in month 1) and each SaaS plan in scope (seats for the growing users). ${beNote ? `${beNote.charAt(0).toUpperCase()}${beNote.slice(1)}.` : ''}`.trim();
  return {
    name: 'cost-cumulative',
    title,
    description,
    csv: { path: 'data/cost-monthly.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `${costBasis(c)}; SaaS billed ${c.billing === 'annual' ? 'annually' : 'monthly'}${beNote ? `; ${beNote}` : ''}`,
          `log scale (each gridline 10 times the one below) so both options are legible; ${crossings.length > 0 ? 'dots: where self-hosting becomes cheaper than a plan; ' : ''}rates: ${ratesNote(c)}`,
        ],
        description,
      ),
      width: CHART_WIDTH - 120,
      height: CHART_HEIGHT + 60,
      layer: [
        ...(['self-hosting', 'SaaS'] as const).map((kind) => ({
          data: { values: rows },
          transform: [{ filter: `datum.kind === '${kind}'` }],
          mark: { type: 'line', interpolate: 'linear', strokeWidth: kind === 'self-hosting' ? 3.5 : 1.6 },
          encoding: {
            x: { field: 'month', type: 'quantitative', title: 'months from the start', scale: { domain: [0, H], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
            y: { field: 'value', type: 'quantitative', title: `cumulative cost, log scale (${c.currency})`, scale: { type: 'log' }, axis: { format: ',.0f' } },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) },
              sort: series.map((s) => s.label),
              legend: { labelLimit: 360 },
            },
            order: { field: 'month', type: 'quantitative' },
          },
        })),
        {
          data: { values: ends },
          mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -2, dy: -4, fontSize: 11, fontWeight: 'bold', color: SELF_HOST_COLOR },
          encoding: { x: { field: 'month', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
        },
        ...marks,
      ],
      config: CHART_CONFIG,
    } as unknown as TopLevelSpec,
  };
};

export const costSensitivityChart: ChartFunction = ({ run }) => {
  const c = run.cost ?? null;
  const sens = c?.sensitivity;
  if (!c || !sens || sens.inputs.length === 0) return null;
  const H = c.horizonMonths;
  const typical = round(sens.range.typical);
  const inputs = sens.inputs; // sorted by swing, largest first
  const low = seriesLabel('cost.low');
  const high = seriesLabel('cost.high');
  const rows = inputs.flatMap((t) => {
    const same = round(t.totalAtLow) === typical && round(t.totalAtHigh) === typical;
    const noEffect = `no effect (${t.lowValue} to ${t.highValue})`;
    return [
      { input: t.input, series: low, end: 'low', setting: t.lowValue, from: typical, to: round(t.totalAtLow), same, noEffect },
      { input: t.input, series: high, end: 'high', setting: t.highValue, from: typical, to: round(t.totalAtHigh), same, noEffect },
    ];
  });
  const csv = toCsv(
    ['input', 'low_value', 'high_value', 'total_at_low', 'total_at_high', 'swing', 'typical_total', 'currency'],
    inputs.map((t) => [t.input, t.lowValue, t.highValue, round(t.totalAtLow), round(t.totalAtHigh), round(t.swing), typical, c.currency]),
  );
  const title = 'What moves the self-hosting total';
  const description = `Tornado of the ${H}-month self-hosting total on ${sens.provider}, in ${c.currency}: each input moved alone to its low and its high value, the others as given; the widest swing first. The vertical line is the total as given (${formatWholeMoney(typical, c.currency)}).`;
  // Labels sit outside the extent of both bars of their row (never on a bar): on the left the settings whose
  // total is below the typical one, on the right those above it (both, when both ends move the total one way).
  const fontSize = 10.5;
  const gapPx = 4;
  const labels = inputs.flatMap((t) => {
    const ends = [
      { setting: t.lowValue, to: round(t.totalAtLow) },
      { setting: t.highValue, to: round(t.totalAtHigh) },
    ];
    const left = ends.filter((e) => e.to < typical).sort((a, b) => a.to - b.to);
    const right = ends.filter((e) => e.to > typical).sort((a, b) => b.to - a.to);
    const out: { input: string; at: number; text: string; side: 'left' | 'right' }[] = [];
    if (left.length > 0) out.push({ input: t.input, at: Math.min(...left.map((e) => e.to)), text: left.map((e) => e.setting).join(' / '), side: 'left' });
    if (right.length > 0) out.push({ input: t.input, at: Math.max(...right.map((e) => e.to)), text: right.map((e) => e.setting).join(' / '), side: 'right' });
    if (left.length === 0 && right.length === 0) out.push({ input: t.input, at: typical, text: `no effect (${t.lowValue} to ${t.highValue})`, side: 'right' });
    return out;
  });
  // The x domain leaves room for every label and 10 px beside it, measured in pixels (text-metrics.ts): a few passes, since the
  // padding changes the pixels per unit.
  const plotWidth = CHART_WIDTH - 240;
  const ends = [typical, ...inputs.flatMap((t) => [t.totalAtLow, t.totalAtHigh])];
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const span = Math.max(hi - lo, Math.abs(typical) * 0.02, 1);
  let padLeft = span * 0.12;
  let padRight = span * 0.12;
  for (let pass = 0; pass < 4; pass++) {
    const unitsPerPx = (span + padLeft + padRight) / plotWidth;
    const need = (side: 'left' | 'right') =>
      labels.filter((l) => l.side === side).reduce((m, l) => Math.max(m, (textWidth(l.text, fontSize) + gapPx + 10) * unitsPerPx - (side === 'left' ? l.at - lo : hi - l.at)), 0);
    padLeft = Math.max(span * 0.02, need('left'));
    padRight = Math.max(span * 0.02, need('right'));
  }
  const label = (side: 'left' | 'right') => ({
    data: { values: labels.filter((l) => l.side === side) },
    mark: { type: 'text', align: side === 'left' ? 'right' : 'left', dx: side === 'left' ? -gapPx : gapPx, fontSize, color: '#333333' },
    encoding: {
      y: { field: 'input', type: 'nominal', sort: inputs.map((t) => t.input) },
      x: { field: 'at', type: 'quantitative' },
      text: { field: 'text', type: 'nominal' },
    },
  });
  return {
    name: 'cost-sensitivity',
    title,
    description,
    csv: { path: 'data/cost-sensitivity.csv', content: csv },
    spec: {
      ...header(
        title,
        [
          `${H}-month total on ${sens.provider}, ${costBasis(c)}: ${formatWholeMoney(typical, c.currency)} as given (vertical line)`,
          `every input at its cheaper or dearer end at once: ${formatWholeMoney(sens.range.low, c.currency)} to ${formatWholeMoney(sens.range.high, c.currency)}`,
        ],
        description,
      ),
      width: plotWidth,
      layer: [
        {
          data: { values: rows },
          encoding: { y: { field: 'input', type: 'nominal', title: null, sort: inputs.map((t) => t.input), axis: { labelLimit: 400 } } },
          layer: [
            {
              mark: { type: 'bar', height: { band: 0.7 } },
              encoding: {
                x: {
                  field: 'from',
                  type: 'quantitative',
                  title: `${H}-month self-hosting total (${c.currency})`,
                  scale: { domain: [round(lo - padLeft), round(hi + padRight)], nice: false, zero: false },
                  axis: { format: ',.0f', tickCount: 6 },
                },
                x2: { field: 'to' },
                color: { field: 'series', type: 'nominal', title: null, scale: colorScale(['cost.low', 'cost.high']), legend: { orient: 'bottom', direction: 'horizontal' } },
              },
            },
          ],
        },
        label('left'),
        label('right'),
        {
          data: { values: [{ typical }] },
          mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
          encoding: { x: { field: 'typical', type: 'quantitative' } },
        },
      ],
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};
