/**
 * The cost slot of the report pages, as plain text: for the cost summary
 * `mxsim run` writes, the figures a reader needs (a sentence, rows, tables
 * by provider and SaaS plan, break-even statements, the inputs that move the
 * total most, notes); for any other shape, its fields as path/value rows.
 * summary.json's cost is read defensively: a summary read back from disk may
 * be of another version.
 */
import type { CostSummary, RunSummary } from '../cost/run.js';
import { COST_LINE_LABELS } from '../cost/selfhost.js';
import { formatAmount, formatCount, formatMoney } from '../format/index.js';
import { roundSignificant } from '../numeric/index.js';
import { formatAny, isRecord, isStat } from './format-any.js';
import type { Table } from './table.js';

/** Flatten an object to dotted-path rows (three levels deep; deeper parts as JSON). */
function flatten(value: unknown, prefix: string, depth: number, out: [string, string][]): void {
  if (isRecord(value) && !isStat(value) && depth < 3) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, depth + 1, out);
  } else {
    out.push([prefix || 'cost', formatAny(value)]);
  }
}

/** The cost part of summary.json as path/value rows, or undefined when there is none. */
export function costRows(summary: RunSummary): [string, string][] | undefined {
  const cost: unknown = summary.cost;
  if (cost === undefined || cost === null) return undefined;
  const rows: [string, string][] = [];
  flatten(cost, '', 0, rows);
  return rows;
}

/** The cost slot of the report: a sentence, label/value rows, tables, break-even statements and notes. */
export interface CostSection {
  readonly sentence: string;
  readonly rows: readonly [string, string][];
  readonly tables: readonly Table[];
  readonly statements: readonly string[];
  readonly notes: readonly string[];
}

/** Sensitivity inputs shown in the report (all of them are in summary.json). */
export const COST_TOP_SENSITIVITY = 5;

/** summary.cost when it has the shape `mxsim run` writes (src/cost/run.ts CostSummary); a summary read back from disk may not. */
export function costSummary(summary: RunSummary): CostSummary | undefined {
  const c: unknown = summary.cost;
  if (!isRecord(c) || typeof c.currency !== 'string' || !('saas' in c) || !('selfHost' in c) || !Array.isArray(c.notes)) return undefined;
  return summary.cost;
}

const planLabel = (p: { vendor: string; plan: string }) => (p.plan.toLowerCase().startsWith(p.vendor.toLowerCase()) ? p.plan : `${p.vendor} ${p.plan}`);
const offerLabel = (p: { provider: string; region?: string }) => (p.region ? `${p.provider} ${p.region}` : p.provider);

/**
 * "1 EUR = 1.08696 USD (inverse of USD:EUR=0.92), used for ...", or for a
 * shipped reference rate its text with its date ("reference rate 1 EUR =
 * 1.1534 USD of 2026-08-13, inverted").
 */
export function describeRates(rates: CostSummary['rates']): string {
  if (rates.length === 0) return 'none: no figure was converted';
  return rates
    .map(
      (r) =>
        `1 ${r.from} = ${roundSignificant(r.rate, 6)} ${r.to} (${r.reference ? `${r.inverse ? 'inverse of the ' : ''}ECB ${r.stated}` : r.inverse ? `inverse of ${r.stated}` : `stated ${r.stated}`}), used for ${r.usedFor.join(', ')}`,
    )
    .join('; ');
}

/** The labour line: rate, where it comes from, hours, share of the totals and how to change it. */
export function describeLabour(l: NonNullable<CostSummary['labour']>, H: number): string {
  const where = l.basis === 'given' ? 'given' : l.basis === 'wage x loading' && l.region === 'US' ? 'a US wage x employer loading' : `${l.basis}${l.region ? `, ${l.region}` : ''}`;
  return `${formatMoney(l.rate, l.currency)} per hour (${where}) x ${formatAmount(l.hoursMonth1)} h in month 1 = ${formatMoney(l.costMonth1, l.currency)} (${Math.round(l.shareMonth1 * 100)}% of month 1); ${formatMoney(l.horizonTotal, l.currency)} over ${H} months with setup (${Math.round(l.shareHorizon * 100)}% of the total). Source: ${l.source}. Change it with ${l.override}.`;
}

/**
 * The cost slot: for the shape `mxsim run` writes, the figures a reader needs
 * (currency, rates used, provider, monthly, per user, horizon total, SaaS
 * plans with break-even, the inputs that move the total most, notes); for any
 * other shape, its fields as path/value rows. Undefined without a cost.
 */
export function costSection(summary: RunSummary): CostSection | undefined {
  const c = costSummary(summary);
  if (!c) {
    const rows = costRows(summary);
    return rows ? { sentence: '', rows, tables: [], statements: [], notes: [] } : undefined;
  }
  const cur = c.currency;
  const H = c.horizonMonths;
  const vat = c.vatIncluded ? 'VAT included' : 'excl. VAT';
  if (c.saas === null) {
    return {
      sentence: `The cost was not computed; the reasons are below. Figures would be in ${cur}, ${vat}.`,
      rows: [
        ['currency', `${cur}, ${vat}`],
        ['exchange rates used', describeRates(c.rates)],
      ],
      tables: [],
      statements: [],
      notes: c.notes,
    };
  }
  const h = c.selfHost;
  const saas = [...c.saas].sort((a, b) => a.horizonTotal - b.horizonTotal || planLabel(a).localeCompare(planLabel(b)));
  const cheapest = saas[0];
  const parts: string[] = [];
  if (h)
    parts.push(
      `Self-hosting on ${c.provider} costs ${formatMoney(h.monthly, cur)} in month 1 (${formatMoney(h.perUserMonthly, cur)} per user) and ${formatMoney(h.horizonTotal, cur)} over ${H} months, ${vat}.`,
    );
  else parts.push(`No self-hosting provider could be priced in ${cur} (see the notes).`);
  if (cheapest) {
    const be = c.breakEven?.find((b) => b.vendor === cheapest.vendor && b.plan === cheapest.plan);
    const when = !be
      ? ''
      : be.month === null
        ? ` Self-hosting does not become cheaper within ${H} months.`
        : be.month === 1
          ? ' Self-hosting is cheaper from the first month.'
          : ` Self-hosting becomes cheaper in month ${be.month}.`;
    parts.push(
      `The cheapest SaaS plan that can be bought for these users, ${planLabel(cheapest)}, costs ${formatMoney(cheapest.monthly, cur)} in month 1 and ${formatMoney(cheapest.horizonTotal, cur)} over ${H} months.${when}`,
    );
  } else {
    parts.push('No SaaS plan is in scope to compare.');
  }
  const rows: [string, string][] = [
    ['currency', `${cur}, ${vat}; every figure is in ${cur}`],
    ['exchange rates used', describeRates(c.rates)],
  ];
  if (h) {
    rows.push(
      ['cheapest self-hosting provider', `${c.provider} (database ${h.database})`],
      ['month 1 (setup excluded)', formatMoney(h.monthly, cur)],
      [`average per month over ${H} months (setup included)`, formatMoney(h.averageMonthly ?? h.horizonTotal / H, cur)],
      ['per user, month 1', formatMoney(h.perUserMonthly, cur)],
      [`total over ${H} months`, formatMoney(h.horizonTotal, cur)],
      [
        `${H}-month total by line`,
        Object.entries(h.breakdown)
          .filter(([, v]) => v !== 0)
          .map(([k, v]) => `${COST_LINE_LABELS[k as keyof typeof COST_LINE_LABELS] ?? k} ${formatAmount(v)}`)
          .join(', '),
      ],
    );
  }
  if (c.labour) rows.push(['labour (its own line)', describeLabour(c.labour, H)]);
  rows.push(['SaaS billing', c.billing]);
  if (c.excludedRows !== null) rows.push(['catalog rows left out', c.excludedSummary ?? `${c.excludedRows} (placeholder, historical or quote-only; listed in data/cost.json)`]);

  const tables: Table[] = [];
  if (h) {
    const offers = [{ provider: h.provider, region: h.region, monthly: h.monthly, horizonTotal: h.horizonTotal }, ...(c.alternatives ?? [])];
    tables.push({
      id: 'cost-providers',
      title: 'Self-hosting, by provider',
      note: `Cheapest over ${H} months first; in ${cur}, ${vat}.`,
      columns: ['provider', `month 1 (${cur})`, `average per month over ${H} months (${cur})`, `${H}-month total (${cur})`],
      rows: offers.map((o) => [offerLabel(o), formatAmount(o.monthly), formatAmount(o.horizonTotal / H), formatAmount(o.horizonTotal)]),
    });
  }
  if (h && h.byComponent.length > 0) {
    tables.push({
      id: 'cost-components',
      title: 'Month 1 by component',
      note: `On ${c.provider}, in ${cur}, ${vat}. Each cost line shared out over what the deployment runs: the homeserver's hosts; PostgreSQL's host or plan with its share of block storage and backups; the media store; each other component's share of their hosts by its cores; internet egress of the homeserver's traffic and of call media apart (in proportion to their volume); labour. The rows but the setup add up to month 1 (setup excluded), and each share is of that; the setup is paid once.`,
      columns: ['component', `month 1 (${cur})`, 'share'],
      rows: h.byComponent.map((x) => {
        const recurring = h.byComponent.reduce((a, y) => a + (y.kind === 'setup' ? 0 : y.monthly), 0);
        const share = x.kind === 'setup' || recurring <= 0 ? '–' : `${((100 * x.monthly) / recurring).toFixed(1)}%`;
        return [x.name, formatAmount(x.monthly), share];
      }),
    });
  }
  if (saas.length > 0) {
    tables.push({
      id: 'cost-saas',
      title: 'SaaS plans',
      note: `Seats for the growing users, billed ${c.billing === 'annual' ? 'annually' : 'monthly'} where a plan has both prices; break-even against self-hosting on ${c.provider ?? 'no provider'}: the first month its cumulative cost is at or below the plan's, and the user count from which its monthly cost is.`,
      columns: ['plan', `per user per month (${cur})`, `month 1 (${cur})`, `${H}-month total (${cur})`, 'break-even month', 'break-even users'],
      rows: saas.map((s) => {
        const be = c.breakEven?.find((b) => b.vendor === s.vendor && b.plan === s.plan);
        return [
          planLabel(s),
          formatAmount(s.pricePerUser),
          formatAmount(s.monthly),
          formatAmount(s.horizonTotal),
          !be ? '–' : be.month === null ? `not within ${H}` : String(be.month),
          !be ? '–' : be.users === null ? 'none' : formatCount(be.users),
        ];
      }),
    });
  }
  if (c.sensitivity && c.sensitivity.inputs.length > 0) {
    const sens = c.sensitivity;
    tables.push({
      id: 'cost-sensitivity',
      title: 'What moves the self-hosting total most',
      note: `The ${H}-month total on ${sens.provider} (${formatMoney(sens.range.typical, cur)} as given) with one input moved at a time; the ${Math.min(COST_TOP_SENSITIVITY, sens.inputs.length)} widest swings of ${sens.inputs.length}. Every input at its cheaper or dearer end at once: ${formatMoney(sens.range.low, cur)} to ${formatMoney(sens.range.high, cur)}.`,
      columns: ['input', 'low', 'high', `total at low (${cur})`, `total at high (${cur})`, `swing (${cur})`],
      rows: sens.inputs
        .slice(0, COST_TOP_SENSITIVITY)
        .map((t) => [t.input, t.lowValue, t.highValue, formatAmount(t.totalAtLow), formatAmount(t.totalAtHigh), formatAmount(t.swing)]),
    });
  }
  const statements = saas.map((s) => c.breakEven?.find((b) => b.vendor === s.vendor && b.plan === s.plan)?.statement).filter((x): x is string => typeof x === 'string');
  return { sentence: parts.join(' '), rows, tables, statements, notes: c.notes };
}
