/**
 * Self-hosting cost on one provider, month by month: its offer (offers.ts)
 * priced for the need of each month, on hosts picked by host-picking.ts.
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
 *   The other components of the bill of materials (reverse proxy, MAS and its
 *   database, push gateway, scanner, policy server, bot) are items beside
 *   the processes, on the same hosts.
 * - calls: the SFU's nodes and TURN, each instance an item packed
 *   first-fit-decreasing onto hosts of one type of their own (UDP port
 *   ranges, host networking), the cheapest total over types; kept while they
 *   fit, like the homeserver's.
 * - egress: on the egress ladder (call media out of the SFU included); a per-host free allowance is each
 *   host's own (Hetzner's 20 TB a server): call media leaves through the SFU and TURN hosts and is set
 *   against their allowance, the rest against the other hosts' (`egressCost`).
 * - backups: backed-up GiB (self-run database, media on block) x backup
 *   copies x the snapshot price when the provider has one, else the block
 *   price. Managed databases include their backups (RDS: up to 100% of the
 *   provisioned size), so they add none.
 * - labour: operations hours x rate (labour.ts); setup: once, in month 1.
 */
import { present } from '../errors.js';
import type { RowOrigin } from './catalog-schema.js';
import { EPS, fmt, pickHosts, pickPlan, planStorage, stillFits, type HostPick, type Item } from './host-picking.js';
import { CALL_KINDS, type CostInputs } from './inputs.js';
import { labourHours, setupHours, type LabourModel } from './labour.js';
import { firstPrice, ladderCost, type Ladder } from './ladder.js';
import type { Offer, PricedPlan } from './offers.js';

/** Components of the bill that get hosts of their own: the call media servers. */

export type DatabasePlacement = 'same-host' | 'extra-host' | 'managed';

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
  role: 'homeserver' | 'database' | 'calls';
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
  calls: number;
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
  /** An audit archive, GiB (0 without one). */
  auditGiB: number;
  egressGiB: number;
}

export const COST_LINES = ['compute', 'calls', 'blockStorage', 'objectStorage', 'egress', 'database', 'backups', 'labour', 'setup'] as const;
export type CostLine = (typeof COST_LINES)[number];

/** How each cost line is named for people (tables, charts, headlines). */
export const COST_LINE_LABELS: Record<CostLine, string> = {
  compute: 'compute',
  calls: 'calls (SFU and TURN hosts)',
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
  let callHosts: HostPick | null = null;
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
  // A host pick's note holds while the users grow: said once, from the first month it applies.
  const pickNotes = new Set<string>();
  const noteFrom = (m: number, text: string) => {
    if (pickNotes.has(text)) return;
    pickNotes.add(text);
    notes.push(`from month ${m}: ${text}`);
  };
  // pickHosts finds nothing only without instances, and an offer has some (buildOffers).
  const hostsFor = (items: readonly Item[], one: boolean, what?: string): HostPick => present(pickHosts(items, o.instances, one, what), `an instance of ${o.label}`);
  // Storage in month m: the projections run to the horizon; a shorter run keeps its last month.
  const storageAt = (series: readonly number[], m: number): number => present(series[Math.min(m, series.length - 1)], `storage in month ${m}`);
  for (let m = 1; m <= months; m++) {
    const scale = Math.pow(1 + g, m) * v.users;
    const users = inputs.users * scale;
    const cores = inputs.cores * scale;
    const ram = inputs.ramGiB * scale;
    const dbCores = s.dbCores * scale;
    const dbRam = s.dbRamGiB * scale;
    // The other components (reverse proxy, MAS, push gateway, scanner, policy server, bot) run beside the homeserver's processes.
    const beside: Item[] = (inputs.components ?? [])
      .filter((c) => !CALL_KINDS.has(c.kind))
      .flatMap((c) => Array.from({ length: c.count }, () => ({ cores: c.cores * scale, ramGiB: c.ramGiB * scale, splittable: false })));
    const items: Item[] = [
      ...(single ? [{ cores, ramGiB: ram, splittable: false }] : Array.from({ length: p }, () => ({ cores: cores / p, ramGiB: ram / p, splittable: true }))),
      ...beside,
    ];
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
      if (next.note) noteFrom(m, next.note);
      hs = next;
      hosts.push(hostLine('homeserver', next, m));
    }
    let database = 0;
    let hostCount = hs.count;
    // Call media servers (the SFU, TURN): each instance an item, on hosts of their own (UDP port ranges, host networking).
    const callItems: Item[] = (inputs.components ?? [])
      .filter((c) => CALL_KINDS.has(c.kind))
      .flatMap((c) => {
        // As many nodes as the load needs at the node's size (a call never spans nodes), the load shared among them.
        const nodes = Math.max(1, Math.ceil(c.count * scale - EPS));
        const load = (c.count * scale) / nodes;
        return Array.from({ length: nodes }, () => ({ cores: c.cores * load, ramGiB: c.ramGiB * load, splittable: false }));
      });
    let calls = 0;
    if (callItems.length > 0) {
      if (!callHosts || !stillFits(callItems, callHosts.instance, callHosts.count, false)) {
        callHosts = hostsFor(callItems, false, 'an SFU or TURN node');
        if (callHosts.note) noteFrom(m, `SFU and TURN hosts: ${callHosts.note}`);
        hosts.push(hostLine('calls', callHosts, m));
      }
      calls = callHosts.count * callHosts.instance.price * v.computePrice;
      hostCount += callHosts.count;
    }
    const dbGiB = storageAt(db, m);
    const mediaGiB = storageAt(media, m);
    if (s.database === 'extra-host' || dbMoved) {
      const dbItems: Item[] = [{ cores: dbCores, ramGiB: dbRam, splittable: false }];
      if (!dbHost || !stillFits(dbItems, dbHost.instance, dbHost.count, true)) {
        dbHost = hostsFor(dbItems, true);
        if (dbHost.note) noteFrom(m, `database host: ${dbHost.note}`);
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
    // An audit archive (object storage with a retention lock) beside the media; on block storage where there is none.
    const auditGiB = inputs.auditGiBByMonth ? storageAt(inputs.auditGiBByMonth, m) * v.users : 0;
    const blockGiB = ((selfRunDb ? dbGiB : 0) + (mediaOnBlock ? mediaGiB + auditGiB : 0)) * s.blockHeadroom;
    const blockStorage = ladderCost(o.block, blockGiB) * v.storagePrice;
    const objectStorage = o.object ? ladderCost(o.object, mediaGiB + auditGiB) * v.storagePrice : 0;
    const egressGiB = inputs.egressGiBPerMonth * scale * v.messages;
    const egress =
      egressCost(o.egress, egressGiB, (inputs.callEgressGiBPerMonth ?? 0) * scale * v.messages, hostCount, callItems.length > 0 ? callHosts!.count : 0) * v.egressPrice;
    const backedUp = (selfRunDb ? dbGiB : 0) + (mediaOnBlock ? mediaGiB : 0);
    const backupPrice = o.snapshot ? firstPrice(o.snapshot) : firstPrice(o.block);
    const backups = backedUp * s.backupCopies * backupPrice * v.storagePrice;
    const hours = labourHours(l, users, p, selfRunDb) * v.labourHours;
    const rate = l.rate * v.labourRate;
    const labour = hours * rate;
    const setup = m === 1 ? setupHours(l, p, selfRunDb) * v.labourHours * rate : 0;
    const compute = hs.count * hs.instance.price * v.computePrice;
    const total = compute + calls + blockStorage + objectStorage + egress + database + backups + labour + setup;
    cumulative += total;
    out.push({
      month: m,
      users,
      compute,
      calls,
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
      auditGiB,
      egressGiB,
    });
  }
  const breakdown = Object.fromEntries(COST_LINES.map((k) => [k, out.reduce((t, mc) => t + mc[k], 0)])) as Record<CostLine, number>;
  return { months: out, hosts, notes, horizonTotal: cumulative, breakdown };
}

function hostLine(role: HostLine['role'], pick: HostPick, month: number): HostLine {
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

/**
 * A month's egress on `ladder`, of which `callGiB` is call media. A per-host
 * free allowance is each host's own, so call media (out of the SFU and TURN
 * hosts, `callHosts` of the `hosts`) uses only theirs and the rest only the
 * others': the homeserver's idle allowance does not cover the SFU's traffic.
 * Otherwise (a free allowance per account, volume tiers) all of it is one
 * quantity on the ladder.
 * @example egressCost({ baseMonth: 0, freeGiB: 20_000, freePer: 'host', tiers: [{ fromGiB: 0, price: 0.001 }] }, 150_000, 140_000, 12, 2) // 100 (140,000 GiB of calls over 40,000 free)
 */
export function egressCost(ladder: Ladder & { freePer: 'host' | 'account' }, egressGiB: number, callGiB: number, hosts: number, callHosts: number): number {
  if (ladder.freePer !== 'host') return ladderCost(ladder, egressGiB);
  const calls = callHosts > 0 ? Math.min(egressGiB, callGiB) : 0;
  const rest = ladderCost({ ...ladder, freeGiB: ladder.freeGiB * (hosts - callHosts) }, egressGiB - calls);
  return calls > 0 ? rest + ladderCost({ ...ladder, baseMonth: 0, freeGiB: ladder.freeGiB * callHosts }, calls) : rest;
}
