/**
 * The cost comparison as a table for people (`mxsim cost` without --json):
 * self-hosting per provider, SaaS plans, break-even, the top sensitivity
 * inputs, rates, notes and the rows left out.
 */
import { formatAmount, formatCount } from '../format/index.js';
import { COST_LINE_LABELS } from './selfhost.js';
import type { CostReport, ProviderReport } from './cost-report.js';
import { saasLabel } from './saas.js';

function table(header: readonly string[], rows: readonly (readonly string[])[], rightFrom = 1): string[] {
  // A reduce, not Math.max(...rows): a catalog may give thousands of rows, too many arguments for one call.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (r: readonly string[]) =>
    '  ' +
    r
      .map((c, i) => (i >= rightFrom ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** How many tornado rows the table shows. */
export const TOP_SENSITIVITY = 5;

/** How `formatCostReport` prints: `verbose` lists every catalog row left out (default: one line counting them). */
export interface FormatOptions {
  verbose?: boolean;
}

/** "55%" */
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function formatCostReport(r: CostReport, title = 'Cost', o: FormatOptions = {}): string {
  const cur = r.currency;
  const H = r.horizonMonths;
  const out: string[] = [];
  const last = r.users * Math.pow(1 + r.growthPerMonth, H);
  out.push(`${title} over ${H} months, in ${cur}, ${r.vatIncluded ? 'VAT included' : 'excl. VAT'}; SaaS billed ${r.billing === 'annual' ? 'annually' : 'monthly'}`);
  out.push(`"month 1": the first month's recurring cost (setup excluded); "average per month": the ${H}-month total (setup included) / ${H}`);
  out.push(
    `users: ${formatCount(r.users)} at month 0${r.growthPerMonth !== 0 ? `, growing ${(r.growthPerMonth * 100).toFixed(2)}% a month to ${formatCount(last)} at month ${H}` : ', no growth'}`,
  );
  out.push('');
  // The cheapest provider is the self-hosting choice; the alternatives follow it (none without it).
  const h = r.selfHost;
  if (h !== null) {
    const providers: ProviderReport[] = [h, ...r.alternatives];
    out.push(`Self-hosting (database ${h.database})`);
    out.push(
      ...table(
        ['provider', 'month 1', `average per month (${H} months)`, 'per user, month 1', `${H}-month total`, 'hosts at month 1'],
        providers.map((p, i) => [
          `${p.label}${i === 0 ? ' *' : ''}`,
          formatAmount(p.monthly),
          formatAmount(p.averageMonthly ?? p.horizonTotal / H),
          formatAmount(p.perUserMonthly),
          formatAmount(p.horizonTotal),
          p.hosts
            .filter((h) => h.fromMonth === 1)
            .map((h) => `${h.count} x ${h.instance}${h.managed ? ' (managed)' : ''}`)
            .join(' + '),
        ]),
        1,
      ),
    );
    out.push(`  * cheapest over ${H} months. Its ${H}-month total by line:`);
    out.push(
      '    ' +
        (Object.keys(COST_LINE_LABELS) as (keyof typeof COST_LINE_LABELS)[])
          .filter((k) => h.breakdown[k] !== 0)
          .map((k) => `${COST_LINE_LABELS[k]} ${formatAmount(h.breakdown[k])}`)
          .join(', '),
    );
    // A change is printed when the role's hosts differ from the ones before (a line per month otherwise repeats itself).
    const changes = h.hosts.filter((x, i) => {
      if (x.fromMonth <= 1) return false;
      const before = h.hosts.slice(0, i).filter((y) => y.role === x.role && y.fromMonth < x.fromMonth);
      const prev = before[before.length - 1];
      return prev === undefined || prev.count !== x.count || prev.instance !== x.instance || prev.managed !== x.managed;
    });
    if (changes.length > 0) out.push(`    hosts change: ${changes.map((x) => `month ${x.fromMonth}: ${x.role} ${x.count} x ${x.instance}`).join('; ')}`);
    for (const n of h.notes) out.push(`    note: ${n}`);
    const l = r.labour;
    if (l) {
      const where =
        l.basis === 'given' ? 'given' : l.basis === 'wage x loading' && l.region === 'US' ? 'a US wage x employer loading' : `${l.basis}${l.region ? `, ${l.region}` : ''}`;
      out.push(
        `  Labour on ${h.label}: ${formatAmount(l.rate)} ${cur} per hour (${where}) x ${formatAmount(l.hoursMonth1)} h in month 1 = ${formatAmount(l.costMonth1)} ${cur} (${pct(l.shareMonth1)} of month 1); ${formatAmount(l.horizonTotal)} ${cur} over ${H} months incl. ${formatAmount(l.setupHours)} h setup (${pct(l.shareHorizon)} of the total)`,
      );
      out.push(`    rate: ${l.source}`);
      out.push(`    change it: ${l.override}`);
    }
  } else {
    out.push('Self-hosting: no provider in scope (see notes)');
  }
  out.push('');
  if (r.saas.length > 0) {
    out.push('SaaS');
    out.push(
      ...table(
        ['plan', 'per user', 'month 1', `average per month (${H} months)`, `${H}-month total`, 'billing'],
        [...r.saas]
          .sort((a, b) => a.horizonTotal - b.horizonTotal)
          .map((s) => [saasLabel(s), formatAmount(s.pricePerUser), formatAmount(s.monthly), formatAmount(s.horizonTotal / H), formatAmount(s.horizonTotal), s.billingNote]),
        1,
      ),
    );
  } else {
    out.push('SaaS: no plan in scope (see notes)');
  }
  out.push('');
  const [firstBreakEven] = r.breakEven;
  if (firstBreakEven !== undefined) {
    out.push(`Break-even (self-hosting on ${firstBreakEven.provider} against each plan)`);
    out.push(
      ...table(
        ['plan', 'month', 'users'],
        r.breakEven.map((b) => [saasLabel(b), b.month === null ? `not in ${H}` : String(b.month), b.users === null ? 'none' : formatCount(b.users)]),
        1,
      ),
    );
    for (const b of r.breakEven) out.push(`  ${saasLabel(b)}: ${b.statement}`);
    out.push('');
  }
  if (r.sensitivity) {
    const s = r.sensitivity;
    out.push(
      `Sensitivity of the ${H}-month self-host total on ${s.provider}: low ${formatAmount(s.range.low)}, typical ${formatAmount(s.range.typical)}, high ${formatAmount(s.range.high)}`,
    );
    out.push(
      ...table(
        ['input', 'low', 'high', 'total at low', 'total at high', 'swing'],
        s.inputs.slice(0, TOP_SENSITIVITY).map((t) => [t.input, t.lowValue, t.highValue, formatAmount(t.totalAtLow), formatAmount(t.totalAtHigh), formatAmount(t.swing)]),
        1,
      ),
    );
    out.push(`  (${s.range.method}; all ${s.inputs.length} inputs in --json)`);
    out.push('');
  }
  if (r.rates.length > 0) {
    out.push('Rates used');
    for (const x of r.rates) {
      const how = x.reference ? `${x.inverse ? 'inverse of the ' : ''}${x.stated}; ${x.reference.source}` : x.inverse ? `inverse of the stated ${x.stated}` : `stated ${x.stated}`;
      out.push(`  1 ${x.from} = ${x.rate.toPrecision(6).replace(/\.?0+$/, '')} ${x.to} (${how}), for ${x.usedFor.join(', ')}`);
    }
    if (r.rates.some((x) => x.reference)) out.push('  (a --rate FROM:TO=RATE or cost.rates replaces a reference rate for its pair; --no-default-rates uses stated rates only)');
    out.push('');
  }
  out.push('Assumptions');
  for (const a of r.assumptions) out.push(`  ${a.name}: ${a.value} [${a.source}]`);
  if (r.notes.length > 0) {
    out.push('');
    out.push('Notes');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  if (r.excluded.length > 0) {
    out.push('');
    if (o.verbose === true) {
      out.push(`Excluded catalog rows (${r.excluded.length})`);
      for (const e of r.excluded) out.push(`  ${e.file}:${e.line} ${e.what}: ${e.status}`);
      out.push('  (reasons in --json; use one with --use FILE:LINE, PROVIDER or PROVIDER/PRODUCT; quote-only rows have no price)');
    } else {
      out.push(r.excludedSummary?.line ?? `${r.excluded.length} catalog rows left out (--verbose lists them)`);
    }
  }
  return out.join('\n') + '\n';
}
