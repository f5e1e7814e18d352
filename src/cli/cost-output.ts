/**
 * `mxsim cost --output csv|markdown`: the offers of a cost report as one
 * table, self-hosting offers cheapest first, then the SaaS plans cheapest
 * first, each with its month-1 cost, per user and over the horizon (in the
 * report currency). `--output json` prints the whole report instead.
 */
import type { CostReport } from '../cost/cost-report.js';
import { saasLabel } from '../cost/saas.js';
import type { ResultTable } from './output.js';

export function costTable(r: CostReport): ResultTable {
  const hosts = [...(r.selfHost === null ? [] : [r.selfHost]), ...r.alternatives];
  const saas = [...r.saas].sort((a, b) => a.horizonTotal - b.horizonTotal || saasLabel(a).localeCompare(saasLabel(b)));
  return {
    header: ['kind', 'offer', 'currency', 'monthly', 'perUserMonthly', 'horizonMonths', 'horizonTotal'],
    rows: [
      ...hosts.map((h) => ['self-hosting', h.label, r.currency, h.monthly, h.perUserMonthly, r.horizonMonths, h.horizonTotal]),
      ...saas.map((s) => ['saas', saasLabel(s), r.currency, s.monthly, r.users > 0 ? s.monthly / r.users : null, r.horizonMonths, s.horizonTotal]),
    ],
  };
}
