/**
 * What `mxsim capacity` prints and writes: the text for people, the result
 * tables (for --output csv|markdown and the --out folder), and the
 * Vega-Lite chart of the reference table (cores and monthly cost against
 * users, one line per implementation), rendered to SVG as the report's
 * charts are (src/report/vega.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatCount, formatMoney } from '../format/index.js';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH } from '../report/chart-spec.js';
import type { Cell } from '../report/csv.js';
import type { HardwareCapacity, Probe } from './capacity-hardware.js';
import type { CapacityRow, CapacityTable } from './capacity-table.js';

/** A header row and rows of cells (the shape of src/cli/output.ts's ResultTable). */
export interface Rows {
  header: readonly string[];
  rows: readonly (readonly Cell[])[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const interval = (p: Probe) => `${pct(p.meeting.wilson95[0])}-${pct(p.meeting.wilson95[1])}`;
const share = (p: Probe) => `${p.meeting.met}/${p.meeting.of} replications met the targets on the machine (95% Wilson interval ${interval(p)})`;

/** Text columns padded to their widest cell; numbers right-aligned. */
function textTable(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (numeric[j] ? c.padStart(widths[j] ?? 0) : c.padEnd(widths[j] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `--hardware`: the bracket, its confidence and what ran out first. */
export function hardwareText(h: HardwareCapacity): string {
  const [lo, hi] = h.bracket;
  const lines = [
    `${h.scenario} on ${h.hardware.label}: ${h.implementation}, ${h.replicationsPerProbe} replication${h.replicationsPerProbe === 1 ? '' : 's'} per probe, seed ${h.seed}`,
    hi === null
      ? `bracket: holds at ${formatCount(lo)} users, the most tried`
      : lo === 0
        ? `bracket: fails at ${formatCount(hi)} users, holds at none tried`
        : `bracket: holds at ${formatCount(lo)} users, fails at ${formatCount(hi)} users`,
  ];
  if (h.holding) {
    const r = h.holding.replications[0];
    lines.push(`  holds at ${formatCount(h.holding.users)} users: ${share(h.holding)}${r ? `; e.g. ${r.deployment}, ${r.cores} cores, ${r.ramGiB} GiB RAM` : ''}`);
  }
  if (h.failing) lines.push(`  fails at ${formatCount(h.failing.users)} users: ${share(h.failing)}`);
  if (h.shortfall) lines.push(`first to run out: ${h.shortfall.text}`);
  lines.push(
    `probes: ${h.probes.map((p) => `${formatCount(p.users)} ${p.holds ? 'holds' : 'fails'} (${p.meeting.met}/${p.meeting.of})`).join(', ')}`,
    ...h.notes.map((n) => `note: ${n}`),
  );
  return lines.join('\n') + '\n';
}

/** `--hardware` as a table: one row per probe, in the order run. */
export function hardwareRows(h: HardwareCapacity): Rows {
  return {
    header: ['users', 'holds', 'met', 'replications', 'share', 'wilson95_low', 'wilson95_high', 'cores_min', 'cores_max', 'ram_gib_min', 'ram_gib_max', 'targets_met'],
    rows: h.probes.map((p) => {
      const cores = p.replications.map((r) => r.cores);
      const ram = p.replications.map((r) => r.ramGiB);
      return [
        p.users,
        p.holds ? 'yes' : 'no',
        p.meeting.met,
        p.meeting.of,
        p.meeting.share,
        p.meeting.wilson95[0],
        p.meeting.wilson95[1],
        Math.min(...cores),
        Math.max(...cores),
        Math.min(...ram),
        Math.max(...ram),
        p.replications.filter((r) => r.targetsMet).length,
      ];
    }),
  };
}

/** The reference table (and --users) as rows. */
export function tableRows(t: CapacityTable): Rows {
  return {
    header: [
      'users',
      'implementation',
      'deployment',
      'targets_met',
      'cores',
      'database_cores',
      'ram_gib',
      'disk_gib',
      'bandwidth_mbps',
      'hosting_monthly',
      'monthly_with_labour',
      'currency',
      'offer',
      'hosts',
      'bottleneck',
    ],
    rows: t.rows.map((r) => [
      r.users,
      r.implementation,
      r.deployment,
      r.targetsMet ? 'yes' : 'no',
      r.cores,
      r.databaseCores,
      r.ramGiB,
      r.diskGiB,
      r.bandwidthMbps,
      r.cost?.hostingMonthly ?? null,
      r.cost?.monthly ?? null,
      r.cost?.currency ?? null,
      r.cost?.offer ?? null,
      r.cost?.hosts ?? r.costNote,
      r.bottleneck,
    ]),
  };
}

const money = (r: CapacityRow) => (r.cost ? formatMoney(r.cost.hostingMonthly, r.cost.currency) : 'not priced');

/** The reference table for people. */
export function tableText(t: CapacityTable): string {
  const rows = t.rows.map((r) => [
    formatCount(r.users),
    r.implementation,
    `${r.deployment}${r.targetsMet ? '' : ' (TARGETS NOT MET)'}`,
    String(r.cores),
    String(r.ramGiB),
    formatCount(r.diskGiB),
    String(r.bandwidthMbps),
    money(r),
    r.cost ? `${r.cost.offer}: ${r.cost.hosts}` : (r.costNote ?? ''),
  ]);
  const vat = t.rows.find((r) => r.cost)?.cost?.vatIncluded;
  const lines = [
    `${t.scenario}: the deployment that meets the targets and the cheapest offer for it, ${t.replications} replication${t.replications === 1 ? '' : 's'} per row, seed ${t.seed}`,
    ...textTable(['users', 'implementation', 'deployment', 'cores', 'RAM GiB', `disk GiB (${t.horizonMonths} months)`, 'Mbit/s', 'hosting/month', 'cheapest offer'], rows, [
      true,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      false,
    ]).map((l) => `  ${l}`),
    `cores include PostgreSQL's; hosting in month 1 (compute, storage, egress, backups; labour left out) on the cheapest offer over ${t.horizonMonths} months as mxsim cost picks it, ${vat === true ? 'incl.' : 'excl.'} VAT`,
  ];
  for (const r of t.rows)
    if (!r.targetsMet) lines.push(`note: ${formatCount(r.users)} users on ${r.implementation}: the recommendation cannot meet its targets: ${r.limit ?? r.bottleneck}`);
  return lines.join('\n') + '\n';
}

const CORES_MEASURE = 'cores (PostgreSQL included)';
const COST_MEASURE = (currency: string) => `hosting per month, ${currency}`;

/** The chart of the reference table: cores and month-1 cost against users, one line per implementation. */
export function tableChartSpec(t: CapacityTable): TopLevelSpec {
  const currency = t.rows.find((r) => r.cost)?.cost?.currency ?? '';
  const values = t.rows.flatMap((r) => [
    { users: r.users, implementation: r.implementation, measure: CORES_MEASURE, value: r.cores },
    ...(r.cost ? [{ users: r.users, implementation: r.implementation, measure: COST_MEASURE(currency), value: r.cost.hostingMonthly }] : []),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${t.scenario}: cores and cost against users`,
      subtitle: 'the deployment that meets the targets at each size, and the hosting of the cheapest offer for it in month 1 (labour left out)',
    },
    description: `Cores and the monthly hosting cost of the deployment that meets the targets, against users, one line per implementation (mxsim capacity --table).`,
    data: { values },
    facet: { row: { field: 'measure', type: 'nominal', title: null, sort: [CORES_MEASURE, COST_MEASURE(currency)] } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: CHART_WIDTH,
      height: CHART_HEIGHT / 1.5,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'users', type: 'quantitative', scale: { type: 'log' }, title: 'users' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: true } },
        color: { field: 'implementation', type: 'nominal', title: 'implementation' },
        tooltip: [
          { field: 'users', type: 'quantitative' },
          { field: 'implementation', type: 'nominal' },
          { field: 'value', type: 'quantitative' },
        ],
      },
    },
    config: CHART_CONFIG,
  } as unknown as TopLevelSpec;
}

/** The chart as an SVG document. */
export async function tableChartSvg(t: CapacityTable): Promise<string> {
  // Vega and Vega-Lite are loaded only when the chart is drawn, not for `mxsim --help`.
  const { renderSvg } = await import('../report/vega.js');
  return (await renderSvg(tableChartSpec(t), 'capacity')).svg;
}
