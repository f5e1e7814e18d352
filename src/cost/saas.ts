/**
 * SaaS plans priced per user per month, over the same months as self-hosting.
 *
 * Seats are whole users: seats(m) = max(ceil(users(m)), min_users).
 * A plan whose `max_users` is below the most users of the horizon cannot be
 * bought for the deployment: it is left out (one note line lists them),
 * unless named with `--saas`.
 * Billing: where a plan has both a monthly and an annual row, the chosen one
 * is used (default annual; the annual row is the per-month price when billed
 * annually); where it has one row, that price is used as given and the report
 * says so. Rows hosted by the customer (licences for self-hosting) are not
 * SaaS and are left out unless named.
 */
import type { SaasRow } from './catalog-schema.js';
import type { RateBook } from './currency.js';
import { groupBy } from './group.js';

export type Billing = 'annual' | 'monthly';

export interface SaasOption {
  vendor: string;
  plan: string;
  /** Per user per month, report currency. */
  pricePerUser: number;
  /** The row's currency and price before conversion. */
  currency: string;
  listPrice: number;
  billing: SaasRow['billing'];
  billingNote: string;
  minUsers: number;
  maxUsers: number | null;
  row: SaasRow;
}

export interface SaasMonth {
  month: number;
  users: number;
  seats: number;
  cost: number;
  cumulative: number;
}

export interface SaasCost {
  vendor: string;
  plan: string;
  billing: SaasRow['billing'];
  billingNote: string;
  pricePerUser: number;
  /** Month 1. */
  monthly: number;
  horizonTotal: number;
  byMonth: SaasMonth[];
  notes: string[];
  row: { file: string; line: number; source: string; asOf: string };
}

/** "Slack Pro"; the vendor is not repeated when the plan starts with it ("Zulip Cloud Standard"). */
export const saasLabel = (o: { vendor: string; plan: string }) => (o.plan.toLowerCase().startsWith(o.vendor.toLowerCase()) ? o.plan : `${o.vendor} ${o.plan}`);

/** Does a selector ("Slack" or "Slack/Pro") name this vendor or plan? */
export function saasNamed(selectors: readonly string[], r: { vendor: string; plan: string }): boolean {
  return selectors.some((s) => {
    const [v = '', ...rest] = s.split('/');
    if (v.trim().toLowerCase() !== r.vendor.toLowerCase()) return false;
    return rest.length === 0 || rest.join('/').trim().toLowerCase() === r.plan.toLowerCase();
  });
}

export interface SaasSelection {
  options: SaasOption[];
  notes: string[];
  /** Named plans whose currency cannot be converted. */
  missingRates: { from: string; to: string; what: string }[];
}

/** Choose one row per (vendor, plan) and convert to the report currency. */
export function saasOptions(
  rows: readonly SaasRow[],
  billing: Billing,
  currency: string,
  vatIncluded: boolean,
  book: RateBook,
  named: readonly string[],
  peak?: { users: number; month: number },
): SaasSelection {
  const notes: string[] = [];
  const missingRates: SaasSelection['missingRates'] = [];
  const priced = rows.filter((r): r is SaasRow & { pricePerUserMonth: number } => r.pricePerUserMonth !== null);
  const groups = groupBy(priced, (r) => `${r.vendor}\u0000${r.plan}`);
  const options: SaasOption[] = [];
  const skippedCurrency = new Map<string, string[]>();
  const skippedVat: string[] = [];
  const skippedCustomer: string[] = [];
  const skippedCap: string[] = [];
  for (const g of groups.values()) {
    const [first] = g;
    const label = saasLabel(first);
    const isNamed = saasNamed(named, first);
    if (named.length > 0 && !isNamed) continue;
    if (first.hostedBy === 'customer' && !isNamed) {
      skippedCustomer.push(label);
      continue;
    }
    const chosen = g.find((r) => r.billing === billing);
    const row = chosen ?? g.find((r) => r.billing === 'unspecified') ?? first;
    const billingNote = chosen
      ? g.length > 1
        ? `${billing} billing (the catalog has ${g.map((r) => r.billing).join(' and ')} prices)`
        : `${billing} billing`
      : `only a ${row.billing === 'unspecified' ? 'price with unspecified billing' : `${row.billing} price`} is published: used as given`;
    if (peak !== undefined && row.maxUsers !== null && peak.users > row.maxUsers && !isNamed) {
      skippedCap.push(`${label} (up to ${row.maxUsers.toLocaleString('en-US')})`);
      continue;
    }
    if (row.vatIncluded !== vatIncluded) {
      skippedVat.push(label);
      continue;
    }
    const f = book.rateFor(row.currency, currency);
    if (f === null) {
      if (isNamed) missingRates.push({ from: row.currency, to: currency, what: label });
      else skippedCurrency.set(row.currency, [...(skippedCurrency.get(row.currency) ?? []), label]);
      continue;
    }
    options.push({
      vendor: row.vendor,
      plan: row.plan,
      pricePerUser: row.pricePerUserMonth * f,
      currency: row.currency,
      listPrice: row.pricePerUserMonth,
      billing: row.billing,
      billingNote,
      minUsers: row.minUsers,
      maxUsers: row.maxUsers,
      row,
    });
  }
  for (const [cur, labels] of skippedCurrency) {
    notes.push(`SaaS plans priced in ${cur} not compared (no rate to ${currency}; add --rate ${cur}:${currency}=<rate>): ${labels.join('; ')}`);
  }
  if (skippedCap.length > 0 && peak !== undefined)
    notes.push(`SaaS plans left out, capped below the ${Math.ceil(peak.users).toLocaleString('en-US')} users of month ${peak.month} (their seat limit): ${skippedCap.join('; ')}`);
  if (skippedVat.length > 0) notes.push(`SaaS plans on another VAT basis not compared: ${skippedVat.join('; ')}`);
  if (skippedCustomer.length > 0)
    notes.push(`licences for self-hosting (hosting extra) not compared as SaaS; name one with --saas VENDOR/PLAN to include it: ${skippedCustomer.join('; ')}`);
  return { options, notes, missingRates };
}

/** Seats in a month: whole users, at least the plan's minimum. */
export function seats(o: Pick<SaasOption, 'minUsers'>, users: number): number {
  return Math.max(Math.ceil(users - 1e-9), o.minUsers);
}

/** Monthly and cumulative cost of a plan over months 1..H. */
export function saasCost(o: SaasOption, users0: number, growth: number, months: number): SaasCost {
  const byMonth: SaasMonth[] = [];
  const notes: string[] = [];
  let cumulative = 0;
  for (let m = 1; m <= months; m++) {
    const users = users0 * Math.pow(1 + growth, m);
    const n = seats(o, users);
    if (o.maxUsers !== null && users > o.maxUsers && notes.length === 0) notes.push(`from month ${m} the ${users.toFixed(0)} users exceed the plan's maximum of ${o.maxUsers}`);
    const cost = n * o.pricePerUser;
    cumulative += cost;
    byMonth.push({ month: m, users, seats: n, cost, cumulative });
  }
  if (o.minUsers > 0 && byMonth.some((b) => b.seats === o.minUsers && b.users < o.minUsers))
    notes.push(`billed for the plan's minimum of ${o.minUsers} seats while users are fewer`);
  return {
    vendor: o.vendor,
    plan: o.plan,
    billing: o.billing,
    billingNote: o.billingNote,
    pricePerUser: o.pricePerUser,
    monthly: byMonth[0]?.cost ?? 0,
    horizonTotal: cumulative,
    byMonth,
    notes,
    row: { file: o.row.file, line: o.row.line, source: o.row.source, asOf: o.row.asOf },
  };
}
