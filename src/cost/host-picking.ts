/**
 * Picking hosts on an offer (offers.ts): the cheapest instances for what the
 * homeserver and PostgreSQL need (one host for a monolith; for workers, the
 * processes packed first-fit-decreasing onto hosts of one type, the cheapest
 * total over types), whether a pick still fits, and the cheapest managed
 * PostgreSQL plan with its storage price. The projection (selfhost.ts) keeps
 * a pick while it fits and asks again when the need outgrows it.
 */
import { firstPrice } from './ladder.js';
import type { Offer, PricedInstance, PricedPlan } from './offers.js';

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

/** Tolerance when comparing cores, RAM and GiB with what a host or plan has. */
export const EPS = 1e-9;

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
 * instead and the pick says so. `what`: the item no instance may hold, named
 * in that note.
 */
export function pickHosts(items: readonly Item[], instances: readonly PricedInstance[], single: boolean, what = 'the database'): HostPick | null {
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
  return forced && { ...forced, note: `${what} needs more than any one instance: priced as if it could be split over hosts` };
}

/**
 * Do `items` still fit on `count` hosts of this instance? An item larger than
 * the instance is taken as split over hosts, as `pickHosts` priced it (with
 * its note): otherwise such a pick would never "still fit", and every month
 * would pick afresh, the host count going down as well as up while the
 * users grow.
 */
export function stillFits(items: readonly Item[], inst: PricedInstance, count: number, single: boolean): boolean {
  if (single && count === 1) {
    const c = items.reduce((s, i) => s + i.cores, 0);
    const r = items.reduce((s, i) => s + i.ramGiB, 0);
    return inst.vcpu + EPS >= c && inst.ramGiB + EPS >= r;
  }
  const split = items.map((i) => ({ ...i, splittable: true }));
  const n = packCount(single ? split : items, inst) ?? packCount(split, inst);
  return n !== null && n <= count;
}

/** The cheapest managed plan for the need, with its storage, or null. */
export function pickPlan(o: Offer, cores: number, ramGiB: number, storageGiB: number): { plan: PricedPlan; storagePrice: number; storageSource: string } | null {
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

export function planStorage(o: Offer, p: PricedPlan): { price: number; source: string } {
  if (p.storagePrice !== null) return { price: p.storagePrice, source: `${p.row.file}:${p.row.line}` };
  if (o.pgStorage) return { price: o.pgStorage.price, source: `${o.pgStorage.row.file}:${o.pgStorage.row.line}` };
  return { price: firstPrice(o.block), source: `block storage price (no managed storage price for ${o.label})` };
}

/** Cores, RAM or GiB in a note: whole numbers as they are, others with two decimals. */
export const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
