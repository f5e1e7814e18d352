/**
 * Self-hosting offers, built from catalog rows. An *offer* is what one
 * provider sells in one region, on one VAT basis, priced in the report
 * currency: instances, block storage, object storage, snapshots, egress and
 * managed PostgreSQL. Rows match a region when their region is the same or
 * blank (blank: the price applies to every region, or the source does not
 * say); compute rows with a blank region form their own offer. Of several
 * products of one kind the cheapest first tier is taken (block: class ssd or
 * unspecified, never hdd; object: class standard or unspecified).
 */
import type { ComputeRow, NetworkRow, PostgresRow, StorageRow } from './catalog-schema.js';
import type { RateBook } from './currency.js';
import { groupBy } from './group.js';
import { firstPrice, type Ladder } from './ladder.js';

export interface PricedInstance {
  name: string;
  vcpu: number;
  ramGiB: number;
  /** Per month, report currency. */
  price: number;
  row: ComputeRow;
}

export interface PricedPlan {
  name: string;
  vcpu: number;
  ramGiB: number;
  price: number;
  storageGiB: number | null;
  storagePrice: number | null;
  row: PostgresRow;
}

export interface PricedLadder extends Ladder {
  product: string;
  freePer: 'account' | 'host';
  rows: (StorageRow | NetworkRow)[];
}

export interface Offer {
  provider: string;
  region: string;
  /** "provider region" for people. */
  label: string;
  vatIncluded: boolean;
  instances: PricedInstance[];
  block: PricedLadder;
  object: PricedLadder | null;
  snapshot: PricedLadder | null;
  egress: PricedLadder;
  pgPlans: PricedPlan[];
  /** Storage price for managed plans without their own (per GiB-month). */
  pgStorage: { price: number; row: PostgresRow } | null;
  /** Currencies of the rows, other than the report's. */
  foreignCurrencies: string[];
}

/** A provider left out, and why. */
export interface OfferGap {
  provider: string;
  region: string;
  reason: string;
  /** Set when the only thing missing is an exchange rate. */
  missingRate: { from: string; to: string } | null;
}

const regionMatches = (offerRegion: string, rowRegion: string) => rowRegion === '' || rowRegion === offerRegion;

interface OfferRows {
  compute: readonly ComputeRow[];
  storage: readonly StorageRow[];
  network: readonly NetworkRow[];
  managedPostgres: readonly PostgresRow[];
}

/** Build a ladder from rows of one product (prices converted); null when a row's currency cannot be converted. */
function buildLadder<R extends StorageRow | NetworkRow>(rows: readonly [R, ...R[]], currency: string, book: RateBook): PricedLadder | { missing: string } {
  const tiers: { fromGiB: number; price: number }[] = [];
  let freeGiB = 0;
  let baseMonth = 0;
  let freePer: 'account' | 'host' = 'account';
  for (const r of rows) {
    const f = book.rateFor(r.currency, currency);
    if (f === null) return { missing: r.currency };
    const price = (r.kind === 'storage' ? r.priceGiBMonth : r.priceGiB) ?? 0;
    tiers.push({ fromGiB: r.tierFromGiB, price: price * f });
    if (r.kind === 'storage') {
      freeGiB = Math.max(freeGiB, r.includedGiB);
      baseMonth = Math.max(baseMonth, r.baseMonth * f);
    } else {
      freeGiB = Math.max(freeGiB, r.freeGiBMonth);
      if (r.freePer === 'host') freePer = 'host';
    }
  }
  tiers.sort((a, b) => a.fromGiB - b.fromGiB);
  const [lowest] = tiers;
  if (lowest) tiers[0] = { ...lowest, fromGiB: 0 };
  const product = rows[0].product;
  return { product, tiers, freeGiB, baseMonth, freePer, rows: [...rows] };
}

/** The cheapest product (by first tier) among rows, grouped by product and region. */
function cheapestLadder<R extends StorageRow | NetworkRow>(rows: readonly R[], currency: string, book: RateBook): { ladder: PricedLadder | null; missing: string[] } {
  const groups = groupBy(rows, (r) => `${r.region}\u0000${r.product}\u0000${r.currency}`);
  let best: PricedLadder | null = null;
  const missing: string[] = [];
  for (const g of groups.values()) {
    const l = buildLadder(g, currency, book);
    if ('missing' in l) {
      missing.push(l.missing);
      continue;
    }
    if (!best || firstPrice(l) + l.baseMonth / 1000 < firstPrice(best) + best.baseMonth / 1000) best = l;
  }
  return { ladder: best, missing: [...new Set(missing)] };
}

/**
 * Offers in the report currency and VAT basis, from selected rows. Offers that
 * lack compute, block storage or egress (or a rate to convert them) are
 * returned as gaps.
 */
export function buildOffers(rows: OfferRows, currency: string, vatIncluded: boolean, book: RateBook): { offers: Offer[]; gaps: OfferGap[] } {
  const offers: Offer[] = [];
  const gaps: OfferGap[] = [];
  const priced = rows.compute.filter((r): r is ComputeRow & { priceMonth: number } => r.priceMonth !== null);
  const groups = groupBy(priced, (r) => `${r.provider}\u0000${r.region}\u0000${r.vatIncluded}`);
  for (const compute of groups.values()) {
    const { provider, region, vatIncluded: vat } = compute[0];
    const label = region ? `${provider} ${region}` : provider;
    if (vat !== vatIncluded) {
      gaps.push({
        provider,
        region,
        reason: `${compute.length} compute row(s) are ${vat ? 'VAT-included' : 'excl. VAT'} but the report is ${vatIncluded ? 'VAT-included' : 'excl. VAT'}; not compared (rows of different VAT basis are never mixed)`,
        missingRate: null,
      });
      continue;
    }
    const same = <R extends { provider: string; region: string; vatIncluded: boolean }>(r: R) =>
      r.provider === provider && regionMatches(region, r.region) && r.vatIncluded === vat;
    const missingCurrencies: string[] = [];
    const instances: PricedInstance[] = [];
    for (const r of compute) {
      const f = book.rateFor(r.currency, currency);
      if (f === null) {
        missingCurrencies.push(r.currency);
        continue;
      }
      instances.push({ name: r.instance, vcpu: r.vcpu, ramGiB: r.ramGiB, price: r.priceMonth * f, row: r });
    }
    const storage = rows.storage.filter((r) => same(r) && r.priceGiBMonth !== null);
    const block = cheapestLadder(
      storage.filter((r) => r.type === 'block' && r.class !== 'hdd'),
      currency,
      book,
    );
    const object = cheapestLadder(
      storage.filter((r) => r.type === 'object' && (r.class === '' || r.class === 'standard')),
      currency,
      book,
    );
    const snapshot = cheapestLadder(
      storage.filter((r) => r.type === 'snapshot'),
      currency,
      book,
    );
    const egress = cheapestLadder(
      rows.network.filter((r) => same(r) && r.priceGiB !== null),
      currency,
      book,
    );
    const pgPlans: PricedPlan[] = [];
    let pgStorage: Offer['pgStorage'] = null;
    for (const r of rows.managedPostgres.filter((x) => same(x))) {
      const f = book.rateFor(r.currency, currency);
      if (f === null) continue;
      if (r.item === 'storage' && r.storagePriceGiBMonth !== null) {
        if (!pgStorage || r.storagePriceGiBMonth * f < pgStorage.price) pgStorage = { price: r.storagePriceGiBMonth * f, row: r };
      } else if (r.item === 'instance' && r.priceMonth !== null) {
        pgPlans.push({
          name: r.plan,
          vcpu: r.vcpu,
          ramGiB: r.ramGiB,
          price: r.priceMonth * f,
          storageGiB: r.storageGiB,
          storagePrice: r.storagePriceGiBMonth === null ? null : r.storagePriceGiBMonth * f,
          row: r,
        });
      }
    }
    const parts: string[] = [];
    const byCurrency = new Map<string, string[]>();
    const check = (ok: boolean, what: string, missing: readonly string[]) => {
      if (ok) return;
      const curs = [...new Set(missing)].filter((c) => c !== currency);
      if (curs.length === 0) parts.push(what);
      else for (const c of curs) byCurrency.set(c, [...(byCurrency.get(c) ?? []), what]);
    };
    check(instances.length > 0, 'compute', missingCurrencies);
    check(block.ladder !== null, 'block storage', block.missing);
    check(egress.ladder !== null, 'egress', egress.missing);
    // A missing ladder has put its name in `parts` or a currency in `byCurrency`.
    if (parts.length + byCurrency.size > 0 || block.ladder === null || egress.ladder === null) {
      const reasons: string[] = [];
      const rateGaps = [...byCurrency.keys()];
      const [firstGap] = rateGaps;
      if (rateGaps.length > 0) {
        const priced = [...byCurrency].map(([c, whats]) => `${whats.join(', ')} priced in ${c}`).join('; ');
        reasons.push(`${priced} and no rate to ${currency} was given (add ${rateGaps.map((c) => `--rate ${c}:${currency}=<rate>`).join(' ')})`);
      }
      if (parts.length > 0)
        reasons.push(`no usable ${parts.join(', ')} row (usable: status ok or named with --use, ${vat ? 'VAT-included' : 'excl. VAT'}, region ${region || '(blank)'} or blank)`);
      gaps.push({ provider, region, reason: reasons.join('; '), missingRate: parts.length === 0 && firstGap !== undefined ? { from: firstGap, to: currency } : null });
      continue;
    }
    const foreign = new Set<string>();
    for (const i of instances) if (i.row.currency !== currency) foreign.add(i.row.currency);
    for (const l of [block.ladder, object.ladder, snapshot.ladder, egress.ladder]) for (const r of l?.rows ?? []) if (r.currency !== currency) foreign.add(r.currency);
    for (const p of pgPlans) if (p.row.currency !== currency) foreign.add(p.row.currency);
    offers.push({
      provider,
      region,
      label,
      vatIncluded: vat,
      instances,
      block: block.ladder,
      object: object.ladder,
      snapshot: snapshot.ladder,
      egress: egress.ladder,
      pgPlans,
      pgStorage,
      foreignCurrencies: [...foreign],
    });
  }
  return { offers, gaps };
}

/** Record the rates an offer used (call once the offer is in the report). */
export function recordOfferRates(o: Offer, currency: string, book: RateBook): void {
  for (const c of o.foreignCurrencies) book.record(c, currency, o.label);
}
