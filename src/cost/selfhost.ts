/**
 * Self-hosting cost on one provider, month by month.
 *
 * An *offer* is what one provider sells in one region, on one VAT basis,
 * priced in the report currency: instances, block storage, object storage,
 * snapshots, egress and managed PostgreSQL. Rows match a region when their
 * region is the same or blank (blank: the price applies to every region, or
 * the source does not say); compute rows with a blank region form their own
 * offer. Of several products of one kind the cheapest first tier is taken
 * (block: class ssd or unspecified, never hdd; object: class standard or
 * unspecified).
 *
 * Month m = 1..H is priced at its end state: users(m) = users0 (1+g)^m,
 * storage at month m of the projection, egress = egress0 (1+g)^m, and hosts
 * sized for cores and RAM scaled by users(m)/users0.
 *
 * Lines of a month:
 * - compute: homeserver hosts. Monolith: one host with vCPU and RAM >= the
 *   need (+ PostgreSQL when it runs on the same host). Workers: the processes
 *   as equal shares of the need, packed first-fit-decreasing onto hosts of one
 *   type, the cheapest total over types. Hosts are kept while they fit and
 *   re-picked (never down) when the need outgrows them.
 * - database: PostgreSQL on an extra host (its own cheapest host; also when a
 *   monolith and PostgreSQL outgrow the largest instance together), or a
 *   managed plan (cheapest plan with vCPU, RAM and included storage >= need,
 *   plus its storage price per GiB-month); 0 when on the same host.
 * - blockStorage: self-run database GiB (and media GiB when the provider has
 *   no object storage) x headroom, on the block price ladder.
 * - objectStorage: media GiB on the object price ladder.
 * - egress: on the egress ladder; a per-host free allowance is multiplied by
 *   the hosts (homeserver and database hosts).
 * - backups: backed-up GiB (self-run database, media on block) x backup
 *   copies x the snapshot price when the provider has one, else the block
 *   price. Managed databases include their backups (RDS: up to 100% of the
 *   provisioned size), so they add none.
 * - labour: operations hours x rate (labour.ts); setup: once, in month 1.
 */
import { present } from '../errors.js';
import type { ComputeRow, NetworkRow, PostgresRow, RowOrigin, StorageRow } from './catalog-schema.js';
import type { RateBook } from './currency.js';
import { groupBy } from './group.js';
import type { CostInputs } from './inputs.js';
import { labourHours, setupHours, type LabourModel } from './labour.js';
import { firstPrice, ladderCost, type Ladder } from './ladder.js';

export type DatabasePlacement = 'same-host' | 'extra-host' | 'managed';

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

// --- host picking -----------------------------------------------------------

/** Something to place on hosts: cores and RAM, and whether it may be split over hosts. */
export interface Item {
  cores: number;
  ramGiB: number;
  splittable: boolean;
}

export interface HostPick {
  instance: PricedInstance;
  count: number;
  /** Set when the pick had to bend a rule (e.g. a monolith larger than any host). */
  note: string | null;
}

const EPS = 1e-9;

/** How many copies of part `p` fit, one after another, in a bin with `c` cores and `r` GiB left. */
function fitCount(c: number, r: number, p: { c: number; r: number }): number {
  const byCores = p.c > 0 ? Math.floor((c + EPS) / p.c) : Infinity;
  const byRam = p.r > 0 ? Math.floor((r + EPS) / p.r) : Infinity;
  return Math.max(0, Math.min(byCores, byRam));
}

/**
 * Hosts of `t` needed for `items` (first-fit decreasing), or null when an
 * unsplittable item does not fit. An item too big for one host is split in k
 * equal parts. Parts are placed largest first, each in the first host with
 * room; runs of identical parts are placed together and hosts with the same
 * room left are kept as one group, which gives the same count as placing
 * part by part in far fewer steps (a 580-process deployment at 100 times
 * its users has tens of thousands of parts).
 */
export function packCount(items: readonly Item[], t: { vcpu: number; ramGiB: number }): number | null {
  const runs: { c: number; r: number; n: number }[] = [];
  for (const it of items) {
    const k = Math.max(1, Math.ceil(Math.max(it.cores / t.vcpu, it.ramGiB / t.ramGiB) - EPS));
    if (k > 1 && !it.splittable) return null;
    runs.push({ c: it.cores / k, r: it.ramGiB / k, n: k });
  }
  const size = (p: { c: number; r: number }) => Math.max(p.c / t.vcpu, p.r / t.ramGiB);
  runs.sort((a, b) => size(b) - size(a));
  const merged: { c: number; r: number; n: number }[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last && last.c === run.c && last.r === run.r) last.n += run.n;
    else merged.push({ ...run });
  }
  // Hosts in first-fit order, grouped by the room they have left.
  const groups: { c: number; r: number; n: number }[] = [];
  let hosts = 0;
  for (const p of merged) {
    let left = p.n;
    for (let gi = 0; left > 0; gi++) {
      const g = groups[gi];
      if (g === undefined) break;
      const per = fitCount(g.c, g.r, p);
      if (per === 0) continue;
      // Each host of the group takes `per` parts in turn until the run is placed.
      const full = Math.min(g.n, Math.floor(left / per));
      if (full === g.n) {
        g.c -= per * p.c;
        g.r -= per * p.r;
        left -= full * per;
        continue;
      }
      const rest = left - full * per;
      const split: { c: number; r: number; n: number }[] = [];
      if (full > 0) split.push({ c: g.c - per * p.c, r: g.r - per * p.r, n: full });
      if (rest > 0) split.push({ c: g.c - rest * p.c, r: g.r - rest * p.r, n: 1 });
      const untouched = g.n - full - (rest > 0 ? 1 : 0);
      if (untouched > 0) split.push({ c: g.c, r: g.r, n: untouched });
      groups.splice(gi, 1, ...split);
      left = 0;
    }
    if (left > 0) {
      const per = Math.max(1, fitCount(t.vcpu, t.ramGiB, p));
      const full = Math.floor(left / per);
      const rest = left - full * per;
      if (full > 0) groups.push({ c: t.vcpu - per * p.c, r: t.ramGiB - per * p.r, n: full });
      if (rest > 0) groups.push({ c: t.vcpu - rest * p.c, r: t.ramGiB - rest * p.r, n: 1 });
      hosts += full + (rest > 0 ? 1 : 0);
    }
  }
  return Math.max(1, hosts);
}

function better(a: { cost: number; count: number; name: string }, b: { cost: number; count: number; name: string } | null): boolean {
  if (!b) return true;
  if (Math.abs(a.cost - b.cost) > 1e-9) return a.cost < b.cost;
  if (a.count !== b.count) return a.count < b.count;
  return a.name < b.name;
}

/**
 * The cheapest hosts for `items`. `single`: everything on one host (a
 * monolith); when no host is big enough, several hosts of one type are priced
 * instead and the pick says so.
 */
export function pickHosts(items: readonly Item[], instances: readonly PricedInstance[], single: boolean): HostPick | null {
  if (instances.length === 0) return null;
  const need = { cores: items.reduce((s, i) => s + i.cores, 0), ramGiB: items.reduce((s, i) => s + i.ramGiB, 0) };
  if (single) {
    let best: { cost: number; count: number; name: string; inst: PricedInstance } | null = null;
    for (const inst of instances) {
      if (inst.vcpu + EPS < need.cores || inst.ramGiB + EPS < need.ramGiB) continue;
      const cand = { cost: inst.price, count: 1, name: inst.name, inst };
      if (better(cand, best)) best = cand;
    }
    if (best) return { instance: best.inst, count: 1, note: null };
    const multi = pickHosts(
      items.map((i) => ({ ...i, splittable: true })),
      instances,
      false,
    );
    return (
      multi && {
        ...multi,
        note: `needs ${fmt(need.cores)} cores and ${fmt(need.ramGiB)} GiB, more than any one instance: priced as ${multi.count} x ${multi.instance.name}, which a monolith cannot use (consider workers)`,
      }
    );
  }
  let best: { cost: number; count: number; name: string; inst: PricedInstance } | null = null;
  for (const inst of instances) {
    const n = packCount(items, inst);
    if (n === null) continue;
    const cand = { cost: n * inst.price, count: n, name: inst.name, inst };
    if (better(cand, best)) best = cand;
  }
  if (best) return { instance: best.inst, count: best.count, note: null };
  const forced = pickHosts(
    items.map((i) => ({ ...i, splittable: true })),
    instances,
    false,
  );
  return forced && { ...forced, note: 'the database needs more than any one instance: priced as if it could be split over hosts' };
}

/** Do `items` still fit on `count` hosts of this instance? */
function stillFits(items: readonly Item[], inst: PricedInstance, count: number, single: boolean): boolean {
  if (single && count === 1) {
    const c = items.reduce((s, i) => s + i.cores, 0);
    const r = items.reduce((s, i) => s + i.ramGiB, 0);
    return inst.vcpu + EPS >= c && inst.ramGiB + EPS >= r;
  }
  const n = packCount(single ? items.map((i) => ({ ...i, splittable: true })) : items, inst);
  return n !== null && n <= count;
}

/** The cheapest managed plan for the need, with its storage, or null. */
function pickPlan(o: Offer, cores: number, ramGiB: number, storageGiB: number): { plan: PricedPlan; storagePrice: number; storageSource: string } | null {
  let best: { plan: PricedPlan; storagePrice: number; storageSource: string; cost: number } | null = null;
  for (const p of o.pgPlans) {
    if (p.vcpu + EPS < cores || p.ramGiB + EPS < ramGiB) continue;
    if (p.storageGiB !== null && p.storagePrice === null && p.storageGiB + EPS < storageGiB) continue;
    const sp = planStorage(o, p);
    const cost = p.price + sp.price * Math.max(0, storageGiB - (p.storageGiB ?? 0));
    if (!best || cost < best.cost - 1e-9) best = { plan: p, storagePrice: sp.price, storageSource: sp.source, cost };
  }
  return best && { plan: best.plan, storagePrice: best.storagePrice, storageSource: best.storageSource };
}

function planStorage(o: Offer, p: PricedPlan): { price: number; source: string } {
  if (p.storagePrice !== null) return { price: p.storagePrice, source: `${p.row.file}:${p.row.line}` };
  if (o.pgStorage) return { price: o.pgStorage.price, source: `${o.pgStorage.row.file}:${o.pgStorage.row.line}` };
  return { price: firstPrice(o.block), source: `block storage price (no managed storage price for ${o.label})` };
}

// --- projection -------------------------------------------------------------

/** Multipliers on the inputs (1 = as given), for sensitivity runs. `growth` is absolute. */
export interface Variation {
  users: number;
  messages: number;
  media: number;
  computePrice: number;
  storagePrice: number;
  egressPrice: number;
  labourRate: number;
  labourHours: number;
  growth: number;
}

export function baseVariation(inputs: CostInputs): Variation {
  return { users: 1, messages: 1, media: 1, computePrice: 1, storagePrice: 1, egressPrice: 1, labourRate: 1, labourHours: 1, growth: inputs.growthPerMonth };
}

export interface SelfHostSettings {
  database: DatabasePlacement;
  /** PostgreSQL cores and RAM at month 0 (scale with users). */
  dbCores: number;
  dbRamGiB: number;
  /** Provisioned block storage = used x headroom. */
  blockHeadroom: number;
  backupCopies: number;
  labour: LabourModel;
}

export interface HostLine {
  role: 'homeserver' | 'database';
  instance: string;
  count: number;
  vcpu: number;
  ramGiB: number;
  /** Per host per month, report currency. */
  priceMonth: number;
  fromMonth: number;
  managed: boolean;
  row: RowOrigin;
}

export interface MonthCost {
  month: number;
  users: number;
  compute: number;
  blockStorage: number;
  objectStorage: number;
  egress: number;
  database: number;
  backups: number;
  labour: number;
  setup: number;
  total: number;
  cumulative: number;
  /** Recurring cost (total - setup) per user. */
  perUser: number;
  labourHours: number;
  databaseGiB: number;
  mediaGiB: number;
  egressGiB: number;
}

export const COST_LINES = ['compute', 'blockStorage', 'objectStorage', 'egress', 'database', 'backups', 'labour', 'setup'] as const;
export type CostLine = (typeof COST_LINES)[number];

/** How each cost line is named for people (tables, charts, headlines). */
export const COST_LINE_LABELS: Record<CostLine, string> = {
  compute: 'compute',
  blockStorage: 'block storage',
  objectStorage: 'object storage',
  egress: 'egress',
  database: 'database',
  backups: 'backups',
  labour: 'labour',
  setup: 'setup',
};

export interface Projection {
  months: MonthCost[];
  hosts: HostLine[];
  notes: string[];
  horizonTotal: number;
  breakdown: Record<CostLine, number>;
}

/**
 * Storage under another growth rate: month-on-month increments are scaled by
 * ((1 + g') / (1 + g))^m, the base kept. Exact for accumulating categories
 * without retention; an approximation otherwise.
 */
export function regrow(series: readonly number[], g: number, g2: number): number[] {
  if (g === g2) return [...series];
  let before = series[0] ?? 0;
  let regrown = before;
  const out = [regrown];
  for (const [k, x] of series.slice(1).entries()) {
    regrown += (x - before) * Math.pow((1 + g2) / (1 + g), k + 1);
    before = x;
    out.push(regrown);
  }
  return out;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** Price the offer month by month (months 1..months, default the horizon). */
export function project(o: Offer, inputs: CostInputs, s: SelfHostSettings, v: Variation, months = inputs.horizonMonths): Projection {
  const notes: string[] = [];
  const hosts: HostLine[] = [];
  const g = v.growth;
  const db = regrow(inputs.databaseGiBByMonth, inputs.growthPerMonth, g).map((x) => x * v.users * v.messages);
  const media = regrow(inputs.mediaGiBByMonth, inputs.growthPerMonth, g).map((x) => x * v.users * v.media);
  const selfRunDb = s.database !== 'managed';
  const single = inputs.deployment === 'monolith';
  const p = inputs.processes;
  const l = s.labour;
  let hs: HostPick | null = null;
  let dbHost: HostPick | null = null;
  let plan: ReturnType<typeof pickPlan> = null;
  let dbMoved = false;
  let planOutgrown = false;
  let planListed: PricedPlan | null = null;
  let cumulative = 0;
  const out: MonthCost[] = [];
  const noteOnce = (text: string) => {
    if (!notes.includes(text)) notes.push(text);
  };
  // pickHosts finds nothing only without instances, and an offer has some (buildOffers).
  const hostsFor = (items: readonly Item[], one: boolean): HostPick => present(pickHosts(items, o.instances, one), `an instance of ${o.label}`);
  // Storage in month m: the projections run to the horizon; a shorter run keeps its last month.
  const storageAt = (series: readonly number[], m: number): number => present(series[Math.min(m, series.length - 1)], `storage in month ${m}`);
  for (let m = 1; m <= months; m++) {
    const scale = Math.pow(1 + g, m) * v.users;
    const users = inputs.users * scale;
    const cores = inputs.cores * scale;
    const ram = inputs.ramGiB * scale;
    const dbCores = s.dbCores * scale;
    const dbRam = s.dbRamGiB * scale;
    const items: Item[] = single ? [{ cores, ramGiB: ram, splittable: false }] : Array.from({ length: p }, () => ({ cores: cores / p, ramGiB: ram / p, splittable: true }));
    const withDb: Item[] = s.database === 'same-host' && !dbMoved ? [...items, { cores: dbCores, ramGiB: dbRam, splittable: false }] : items;
    if (!hs || !stillFits(withDb, hs.instance, hs.count, single)) {
      let next = hostsFor(withDb, single);
      if (next.note && single && withDb !== items) {
        // A monolith outgrowing one host first moves PostgreSQL to a host of its own.
        const alone = hostsFor(items, true);
        if (!alone.note) {
          dbMoved = true;
          next = alone;
          noteOnce(`month ${m}: the homeserver and PostgreSQL no longer fit one instance; PostgreSQL moves to a host of its own`);
        }
      }
      if (next.note) noteOnce(`month ${m}: ${next.note}`);
      hs = next;
      hosts.push(hostLine('homeserver', next, m));
    }
    let database = 0;
    let hostCount = hs.count;
    const dbGiB = storageAt(db, m);
    const mediaGiB = storageAt(media, m);
    if (s.database === 'extra-host' || dbMoved) {
      const dbItems: Item[] = [{ cores: dbCores, ramGiB: dbRam, splittable: false }];
      if (!dbHost || !stillFits(dbItems, dbHost.instance, dbHost.count, true)) {
        dbHost = hostsFor(dbItems, true);
        if (dbHost.note) noteOnce(`month ${m} (database host): ${dbHost.note}`);
        hosts.push(hostLine('database', dbHost, m));
      }
      database = dbHost.count * dbHost.instance.price * v.computePrice;
      hostCount += dbHost.count;
    } else if (s.database === 'managed') {
      const need = dbGiB * s.blockHeadroom;
      const fits =
        plan &&
        plan.plan.vcpu + EPS >= dbCores &&
        plan.plan.ramGiB + EPS >= dbRam &&
        (plan.plan.storageGiB === null || plan.plan.storagePrice !== null || plan.plan.storageGiB + EPS >= need);
      if (!fits) {
        const next = pickPlan(o, dbCores, dbRam, need);
        if (next) {
          plan = next;
        } else if (!plan) {
          // A managed database is priced only on offers with plans (offerSupports).
          const largest = present([...o.pgPlans].sort((a, b) => b.vcpu - a.vcpu || b.ramGiB - a.ramGiB || a.price - b.price)[0], `a managed PostgreSQL plan of ${o.label}`);
          const sp = planStorage(o, largest);
          plan = { plan: largest, storagePrice: sp.price, storageSource: sp.source };
          planOutgrown = true;
          noteOnce(
            `month ${m}: no managed PostgreSQL plan has ${fmt(dbCores)} vCPU, ${fmt(dbRam)} GiB RAM and ${fmt(need)} GiB storage; priced with the largest, ${largest.name} (under-sized)`,
          );
        } else if (!planOutgrown) {
          planOutgrown = true;
          noteOnce(`from month ${m} the database outgrows every managed plan; kept ${plan.plan.name} (under-sized)`);
        }
        if (plan && planListed !== plan.plan) {
          planListed = plan.plan;
          hosts.push({
            role: 'database',
            instance: plan.plan.name,
            count: 1,
            vcpu: plan.plan.vcpu,
            ramGiB: plan.plan.ramGiB,
            priceMonth: plan.plan.price,
            fromMonth: m,
            managed: true,
            row: { file: plan.plan.row.file, line: plan.plan.row.line },
          });
        }
      }
      // A plan that fits is kept; otherwise one was just chosen, the largest at worst.
      const { plan: chosen, storagePrice } = present(plan, `the managed PostgreSQL plan of ${o.label}`);
      const billable = Math.max(0, need - (chosen.storageGiB ?? 0));
      database = chosen.price * v.computePrice + billable * storagePrice * v.storagePrice;
    }
    const mediaOnBlock = o.object === null;
    const blockGiB = ((selfRunDb ? dbGiB : 0) + (mediaOnBlock ? mediaGiB : 0)) * s.blockHeadroom;
    const blockStorage = ladderCost(o.block, blockGiB) * v.storagePrice;
    const objectStorage = o.object ? ladderCost(o.object, mediaGiB) * v.storagePrice : 0;
    const egressGiB = inputs.egressGiBPerMonth * scale * v.messages;
    const egressLadder = o.egress.freePer === 'host' ? { ...o.egress, freeGiB: o.egress.freeGiB * hostCount } : o.egress;
    const egress = ladderCost(egressLadder, egressGiB) * v.egressPrice;
    const backedUp = (selfRunDb ? dbGiB : 0) + (mediaOnBlock ? mediaGiB : 0);
    const backupPrice = o.snapshot ? firstPrice(o.snapshot) : firstPrice(o.block);
    const backups = backedUp * s.backupCopies * backupPrice * v.storagePrice;
    const hours = labourHours(l, users, p, selfRunDb) * v.labourHours;
    const rate = l.rate * v.labourRate;
    const labour = hours * rate;
    const setup = m === 1 ? setupHours(l, p, selfRunDb) * v.labourHours * rate : 0;
    const compute = hs.count * hs.instance.price * v.computePrice;
    const total = compute + blockStorage + objectStorage + egress + database + backups + labour + setup;
    cumulative += total;
    out.push({
      month: m,
      users,
      compute,
      blockStorage,
      objectStorage,
      egress,
      database,
      backups,
      labour,
      setup,
      total,
      cumulative,
      perUser: (total - setup) / users,
      labourHours: hours,
      databaseGiB: dbGiB,
      mediaGiB,
      egressGiB,
    });
  }
  const breakdown = Object.fromEntries(COST_LINES.map((k) => [k, out.reduce((t, mc) => t + mc[k], 0)])) as Record<CostLine, number>;
  return { months: out, hosts, notes, horizonTotal: cumulative, breakdown };
}

function hostLine(role: 'homeserver' | 'database', pick: HostPick, month: number): HostLine {
  return {
    role,
    instance: pick.instance.name,
    count: pick.count,
    vcpu: pick.instance.vcpu,
    ramGiB: pick.instance.ramGiB,
    priceMonth: pick.instance.price,
    fromMonth: month,
    managed: false,
    row: { file: pick.instance.row.file, line: pick.instance.row.line },
  };
}

/** Can this offer run the chosen database placement? (managed needs plans). */
export function offerSupports(o: Offer, database: DatabasePlacement): boolean {
  return database !== 'managed' || o.pgPlans.length > 0;
}
