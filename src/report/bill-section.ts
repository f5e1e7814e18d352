/**
 * The Deployment section of the report pages, as plain text: the bill of
 * materials (summary.json `recommendation.components[]`, src/analysis/bill.ts)
 * as a table, one row per component with what each instance needs and what
 * all its instances need, a total row, and a note on what the figures mean;
 * and the same rows as `data/components.csv`. summary.json is read
 * defensively, as recommendation.ts does: a summary read back from disk may
 * be of another version, or have no bill at all (then there is no section).
 */
import type { BillComponent } from '../analysis/bill.js';
import type { RunSummary } from '../cost/run.js';
import { formatCount } from '../format/index.js';
import { toCsv } from './csv.js';
import { isRecord, plain } from './format-any.js';
import { recommendationOf } from './recommendation.js';
import type { Table } from './table.js';

/** Where the bill is written as CSV (files.ts). */
export const COMPONENTS_CSV_PATH = 'data/components.csv';

/** One component as the report reads it: the fields of `BillComponent`, the kind as text (a later version may add kinds). */
export type BillRow = Omit<BillComponent, 'kind'> & { kind: string };

const finiteOr0 = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * The bill's components of a summary, in its order, or undefined when it has
 * none (no server model, or a summary of a version before the bill). Entries
 * without a name or a count are left out; a missing figure counts as 0.
 */
export function billComponents(summary: RunSummary): BillRow[] | undefined {
  const rec = recommendationOf(summary);
  const list: unknown = rec?.components;
  if (!Array.isArray(list)) return undefined;
  const rows = list.flatMap((c): BillRow[] => {
    if (!isRecord(c) || typeof c.name !== 'string' || typeof c.count !== 'number' || !(c.count > 0)) return [];
    return [
      {
        name: c.name,
        kind: typeof c.kind === 'string' ? c.kind : 'other',
        count: c.count,
        cores: finiteOr0(c.cores),
        ramGiB: finiteOr0(c.ramGiB),
        diskGiB: finiteOr0(c.diskGiB),
        bandwidthMbps: finiteOr0(c.bandwidthMbps),
      },
    ];
  });
  return rows.length > 0 ? rows : undefined;
}

/** What all the instances of the bill need: sums of count × each figure. */
export interface BillTotals {
  instances: number;
  cores: number;
  ramGiB: number;
  diskGiB: number;
  /**
   * To the internet: each component's bandwidth is its own traffic to the
   * internet (0 for one that talks only to others inside the deployment), so
   * the sum counts no traffic twice.
   */
  bandwidthMbps: number;
}

/** Sums of count × each figure over the components. */
export function billTotals(rows: readonly BillRow[]): BillTotals {
  const sum = (f: (r: BillRow) => number) => rows.reduce((a, r) => a + r.count * f(r), 0);
  return {
    instances: sum(() => 1),
    cores: sum((r) => r.cores),
    ramGiB: sum((r) => r.ramGiB),
    diskGiB: sum((r) => r.diskGiB),
    bandwidthMbps: sum((r) => r.bandwidthMbps),
  };
}

/** A figure of the table: 3 significant digits below 1000 ("1.03", "0.286"), whole with separators above ("1,751"). */
export const billFigure = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1000 ? formatCount(x) : plain(Number(x.toPrecision(3))));

/** The note under the table; with TURN, that the media it relays is counted at the SFU too. */
export function billNote(rows: readonly BillRow[]): string {
  const turn = rows.some((r) => r.kind === 'turn') && rows.some((r) => r.kind === 'sfu');
  return (
    'Per instance, then for all instances of the row. Cores are the p95 CPU over the CPU ceiling, so they can be fractional (hosts are packed from them); RAM and disk in GiB; ' +
    'bandwidth is what one instance exchanges with the internet in Mbit/s, headroom included. A bandwidth of 0 means the component talks only to others inside the deployment ' +
    '(behind the reverse proxy, or a database) and adds nothing to the total.' +
    (turn ? ' The media TURN relays reaches the SFU through it and is in both their figures, so the total bandwidth is an upper bound.' : '')
  );
}

/** The Deployment table (a total row last), or undefined when the summary has no bill. */
export function billTable(summary: RunSummary): Table | undefined {
  const rows = billComponents(summary);
  if (!rows) return undefined;
  const t = billTotals(rows);
  const f = billFigure;
  return {
    id: 'deployment',
    title: 'Deployment: the bill of materials',
    note: billNote(rows),
    columns: ['component', 'instances', 'cores each', 'RAM each (GiB)', 'disk each (GiB)', 'bandwidth each (Mbit/s)', 'cores', 'RAM (GiB)', 'disk (GiB)', 'bandwidth (Mbit/s)'],
    rows: [
      ...rows.map((r) => [
        r.name,
        formatCount(r.count),
        f(r.cores),
        f(r.ramGiB),
        f(r.diskGiB),
        f(r.bandwidthMbps),
        f(r.count * r.cores),
        f(r.count * r.ramGiB),
        f(r.count * r.diskGiB),
        f(r.count * r.bandwidthMbps),
      ]),
      ['total', formatCount(t.instances), '–', '–', '–', '–', f(t.cores), f(t.ramGiB), f(t.diskGiB), f(t.bandwidthMbps)],
    ],
  };
}

/** `data/components.csv`: one row per component, per instance and for all its instances; undefined without a bill. */
export function componentsCsv(summary: RunSummary): string | undefined {
  const rows = billComponents(summary);
  if (!rows) return undefined;
  return toCsv(
    ['name', 'kind', 'count', 'cores_each', 'ram_gib_each', 'disk_gib_each', 'bandwidth_mbps_each', 'cores', 'ram_gib', 'disk_gib', 'bandwidth_mbps'],
    rows.map((r) => [
      r.name,
      r.kind,
      r.count,
      r.cores,
      r.ramGiB,
      r.diskGiB,
      r.bandwidthMbps,
      r.count * r.cores,
      r.count * r.ramGiB,
      r.count * r.diskGiB,
      r.count * r.bandwidthMbps,
    ]),
  );
}
