/**
 * The cost comparison: self-hosting on each provider in scope, SaaS plans,
 * break-even and sensitivity, in one currency and on one VAT basis, with the
 * assumptions and the rows left out listed. Pure: catalogs and inputs in, a
 * `CostReport` (the `cost` section of summary.json) out.
 *
 * Scope by default: every provider (and region) with usable compute, block
 * storage and egress rows convertible to the report currency; every SaaS plan
 * with a published per-user price, hosted by its vendor. Rows of status
 * placeholder, historical or quote-only are left out unless named with
 * `use`. A provider or plan that needs a rate nobody gave is left out with a
 * note, or is an error (CurrencyMixError) when named explicitly; the labour
 * rate always needs one.
 *
 * Money in the report is rounded to the cent; the arithmetic is not.
 *
 * The modules of src/cost:
 *   inputs.ts          CostInputs, and how to read them from a run folder
 *   options.ts         CostOptions, their ranges, and the estimates used where they say nothing
 *   range.ts           numeric ranges, and numbers read as plain decimals
 *   cost-report.ts     the CostReport this returns, and how its figures are rounded
 *   catalog.ts         the CSV catalogs: loading, the shipped files, counts by status
 *   catalog-schema.ts  the kinds, their columns and the typed rows
 *   catalog-parse.ts   reading one file, every problem at once
 *   catalog-select.ts  status and `--use`: which rows are used
 *   currency.ts        currencies and stated rates (RateBook)
 *   ladder.ts          tiered prices with free allowances and base fees
 *   offers.ts          what each provider sells, priced in the report currency
 *   host-picking.ts    the cheapest hosts and managed plans for a need
 *   selfhost.ts        the month-by-month projection on one offer
 *   labour.ts          operations hours and the labour rate
 *   saas.ts            SaaS plans, billing and seats
 *   breakeven.ts       break-even month and users, closed forms and scans
 *   sensitivity.ts     tornado and range
 *   assumptions.ts     the assumptions the report lists
 *   format.ts          the table `mxsim cost` prints
 *   settings.ts        CostOptions from a scenario's cost section and the command line
 *   sources.ts         where each setting came from (an option or a field of a file)
 *   errors.ts          the errors, each with its code; messages.ts their wording
 *   run.ts             costing a simulated run for `mxsim run`
 *
 * @example
 * const report = estimateCost(costInputsFromRun(summary, storage), loadCatalogs(readDefaultCatalogTexts()), { currency: 'EUR', rates: ['USD:EUR=0.92'] });
 */
import { costByComponent } from './by-component.js';
import { present } from '../errors.js';
import { formatCount, formatMoney } from '../format/index.js';
import { assumptions } from './assumptions.js';
import { breakEvenMonthLinear, breakEvenUsersScan, firstMonthCheaper, isConstant } from './breakeven.js';
import { HOURS_PER_MONTH, type CatalogRow, type Catalogs } from './catalog-schema.js';
import { rowProduct, selectorMatches, selectRows, type ExcludedRow } from './catalog-select.js';
import { cents, round4, type BreakEven, type CostReport, type ExcludedSummary, type LabourLine, type ProviderReport, type UsedRow } from './cost-report.js';
import { RateBook, isCurrency, parseRates } from './currency.js';
import { CostOptionError, CurrencyMixError } from './errors.js';
import { validateCostInputs, type CostInputs } from './inputs.js';
import { labourModel, type LabourModel } from './labour.js';
import { costMessages as msg } from './messages.js';
import { BACKUP_COPIES, BLOCK_HEADROOM, checkOptionRanges, DB_SHARE, type CostOptions } from './options.js';
import { sourcesOf } from './sources.js';
import { saasCost, saasLabel, saasNamed, saasOptions, seats, type SaasCost } from './saas.js';
import { buildOffers, recordOfferRates, type Offer, type OfferGap } from './offers.js';
import {
  baseVariation,
  COST_LINES,
  offerSupports,
  project,
  type CostLine,
  type DatabasePlacement,
  type HostLine,
  type MonthCost,
  type Projection,
  type SelfHostSettings,
} from './selfhost.js';
import { sensitivity, type SensitivityResult, type TornadoRow } from './sensitivity.js';

/** Month 1 of a projection; every projection covers at least one month (the horizon is checked to be >= 1). */
const firstMonth = (p: Projection): MonthCost => present(p.months[0], 'month 1 of a cost projection');

function providerNamed(selectors: readonly string[], provider: string, region: string): boolean {
  return selectors.some((s) => {
    const [p = '', ...rest] = s.split('/');
    if (p.trim().toLowerCase() !== provider.toLowerCase()) return false;
    return rest.length === 0 || rest.join('/').trim().toLowerCase() === region.toLowerCase();
  });
}

function usedRows(o: Offer, database: DatabasePlacement, hosts: readonly HostLine[]): UsedRow[] {
  const rows: CatalogRow[] = [];
  const seen = new Set<string>();
  const add = (r: CatalogRow) => {
    const k = `${r.file}:${r.line}`;
    if (!seen.has(k)) {
      seen.add(k);
      rows.push(r);
    }
  };
  for (const h of hosts) {
    const inst = o.instances.find((i) => i.row.file === h.row.file && i.row.line === h.row.line);
    if (inst) add(inst.row);
    const plan = o.pgPlans.find((p) => p.row.file === h.row.file && p.row.line === h.row.line);
    if (plan) add(plan.row);
  }
  for (const l of [o.block, o.object, o.snapshot, o.egress]) for (const r of l?.rows ?? []) add(r);
  if (database === 'managed' && o.pgStorage) add(o.pgStorage.row);
  return rows.map((r) => ({
    file: r.file,
    line: r.line,
    kind: r.kind,
    product: rowProduct(r),
    status: r.status,
    currency: r.currency,
    asOf: r.asOf,
    source: r.source,
    notes: [r.notes, (r.kind === 'compute' || r.kind === 'managed_postgres') && r.monthDerived ? `price_month derived here as price_hour x ${HOURS_PER_MONTH}` : '']
      .filter((x) => x !== '')
      .join('; '),
  }));
}

function monthRounded(m: MonthCost): MonthCost {
  return {
    month: m.month,
    users: round4(m.users),
    compute: cents(m.compute),
    calls: cents(m.calls),
    blockStorage: cents(m.blockStorage),
    objectStorage: cents(m.objectStorage),
    egress: cents(m.egress),
    database: cents(m.database),
    backups: cents(m.backups),
    labour: cents(m.labour),
    setup: cents(m.setup),
    total: cents(m.total),
    cumulative: cents(m.cumulative),
    perUser: cents(m.perUser),
    labourHours: round4(m.labourHours),
    databaseGiB: round4(m.databaseGiB),
    auditGiB: round4(m.auditGiB),
    mediaGiB: round4(m.mediaGiB),
    egressGiB: round4(m.egressGiB),
  };
}

function describeGap(g: OfferGap): string {
  return `${g.region ? `${g.provider} ${g.region}` : g.provider}: ${g.reason}`;
}

/**
 * Estimate costs. Throws CostOptionError (RateSpecError among them, and a
 * labour rate or hours out of COST_OPTION_RANGES), CurrencyMixError or
 * CostInputError.
 */
export function estimateCost(inputs: CostInputs, catalogs: Catalogs, options: CostOptions = {}): CostReport {
  validateCostInputs(inputs);
  checkOptionRanges(options);
  const sources = sourcesOf(options);
  const book = new RateBook(parseRates(options.rates ?? [], sources.rates), options.defaultRates === false ? [] : (catalogs.exchangeRates ?? []));
  const use = options.use ?? [];
  const everyRow: CatalogRow[] = [...catalogs.compute, ...catalogs.storage, ...catalogs.network, ...catalogs.managedPostgres, ...catalogs.saas, ...catalogs.labour];
  const unmatched = use.filter((sel) => !everyRow.some((r) => selectorMatches(sel, r)));
  if (unmatched.length > 0) throw new CostOptionError('cost.use', sources.use, msg.useMatchesNothing(sources.use, unmatched));
  const excluded: ExcludedRow[] = [];
  const compute = selectRows(catalogs.compute, use, excluded);
  const storage = selectRows(catalogs.storage, use, excluded);
  const network = selectRows(catalogs.network, use, excluded);
  const managedPostgres = selectRows(catalogs.managedPostgres, use, excluded);
  const saasRows = selectRows(catalogs.saas, use, excluded);
  const labourRows = selectRows(catalogs.labour, use, excluded);
  const notes: string[] = [];
  const vatIncluded = options.vatIncluded ?? false;
  const billing = options.billing ?? 'annual';
  const database = options.database ?? 'same-host';
  const H = inputs.horizonMonths;

  // Currency: given, else the labour wage's.
  let currency: string | undefined;
  if (options.currency !== undefined) {
    currency = options.currency.toUpperCase();
    if (!isCurrency(currency)) throw new CostOptionError('cost.currency', sources.currency, msg.unknownCurrency(sources.currency, options.currency));
  }
  let labour: LabourModel = labourModel(labourRows, {
    rate: options.labourRate,
    currency,
    hours: options.labourHours,
    params: options.labour,
    rateSetting: sources.labourRate,
    currencySetting: sources.currency,
  });
  currency ??= labour.currency;
  if (labour.currency !== currency) {
    const converted = book.convert(labour.rate, labour.currency, currency, 'labour rate');
    labour = {
      ...labour,
      rate: converted,
      rateSource: `${labour.rateSource}; converted to ${currency} at ${book.usedRates().find((r) => r.from === labour.currency)?.stated ?? '?'}: ${converted.toFixed(2)} ${currency} per hour`,
      currency,
    };
  }

  // Self-hosting offers.
  const built = buildOffers({ compute, storage, network, managedPostgres }, currency, vatIncluded, book);
  const allOffers = built.offers;
  // Rows of the other VAT basis of a provider and region that is priced are not a reason to leave it out: not a note.
  const gaps = built.gaps.filter((g) => !allOffers.some((o) => o.provider === g.provider && o.region === g.region));
  const named = options.providers ?? [];
  let offers = allOffers;
  if (named.length > 0) {
    offers = allOffers.filter((o) => providerNamed(named, o.provider, o.region));
    for (const g of gaps) {
      if (!providerNamed(named, g.provider, g.region)) continue;
      if (g.missingRate) throw new CurrencyMixError(g.missingRate.from, g.missingRate.to, g.region ? `${g.provider} ${g.region}` : g.provider);
      notes.push(`left out: ${describeGap(g)}`);
    }
    for (const n of named) {
      const hit = allOffers.some((o) => providerNamed([n], o.provider, o.region)) || gaps.some((g) => providerNamed([n], g.provider, g.region));
      if (!hit) {
        const known = [...new Set([...allOffers.map((o) => o.provider), ...gaps.map((g) => g.provider)])].sort();
        throw new CostOptionError('cost.provider', sources.providers, msg.unknownProvider(sources.providers, n, known));
      }
    }
    if (offers.length === 0) {
      const reasons = gaps.filter((g) => providerNamed(named, g.provider, g.region)).map(describeGap);
      throw new CostOptionError('cost.provider', sources.providers, msg.nothingToPrice(sources.providers, named, reasons));
    }
  } else {
    for (const g of gaps) notes.push(`left out: ${describeGap(g)}`);
  }
  if (database === 'managed') {
    const without = offers.filter((o) => !offerSupports(o, database));
    if (without.length > 0) {
      if (named.length > 0 && without.length === offers.length) {
        throw new CostOptionError(
          'cost.database',
          sources.database,
          msg.noManagedPlan(
            sources.database,
            without.map((o) => o.label),
          ),
        );
      }
      for (const o of without) notes.push(`left out: ${o.label}: no usable managed PostgreSQL plan (the database was asked to be managed)`);
    }
    offers = offers.filter((o) => offerSupports(o, database));
  }

  const settings: SelfHostSettings = {
    database,
    dbCores: options.dbCores ?? inputs.databaseCores ?? inputs.cores * DB_SHARE,
    dbRamGiB: options.dbRamGiB ?? inputs.databaseRamGiB ?? inputs.ramGiB * DB_SHARE,
    blockHeadroom: options.blockHeadroom ?? BLOCK_HEADROOM,
    backupCopies: options.backupCopies ?? BACKUP_COPIES,
    labour,
  };
  const base = baseVariation(inputs);
  const priced = offers.map((o) => ({ o, p: project(o, inputs, settings, base) })).sort((a, b) => a.p.horizonTotal - b.p.horizonTotal || a.o.label.localeCompare(b.o.label));
  for (const { o } of priced) recordOfferRates(o, currency, book);
  const reports: ProviderReport[] = priced.map(({ o, p }) => {
    const m1 = firstMonth(p);
    return {
      provider: o.provider,
      region: o.region,
      label: o.label,
      vatIncluded: o.vatIncluded,
      database,
      monthly: cents(m1.total - m1.setup),
      perUserMonthly: cents((m1.total - m1.setup) / m1.users),
      averageMonthly: cents(p.horizonTotal / p.months.length),
      horizonTotal: cents(p.horizonTotal),
      breakdown: Object.fromEntries(COST_LINES.map((k) => [k, cents(p.breakdown[k])])) as Record<CostLine, number>,
      byComponent: costByComponent(inputs, m1, o.object === null, database === 'same-host' ? settings.dbCores : null).map((c) => ({ ...c, monthly: cents(c.monthly) })),
      hosts: p.hosts.map((h) => ({ ...h, priceMonth: cents(h.priceMonth), vcpu: h.vcpu, ramGiB: h.ramGiB })),
      byMonth: p.months.map(monthRounded),
      rows: usedRows(o, database, p.hosts),
      notes: p.notes,
    };
  });
  if (reports.length === 0) notes.push(`no provider in scope for ${currency} (${vatIncluded ? 'VAT-included' : 'excl. VAT'}); see the notes above for why each was left out`);

  // SaaS.
  const saasNamedList = options.saas ?? [];
  // The most users of the horizon (month H with growth, month 1 when users shrink): a plan capped below it cannot be bought.
  const usersAt = (m: number) => inputs.users * Math.pow(1 + inputs.growthPerMonth, m);
  const peak = usersAt(H) >= usersAt(1) ? { users: usersAt(H), month: H } : { users: usersAt(1), month: 1 };
  const sel = saasOptions(saasRows, billing, currency, vatIncluded, book, saasNamedList, peak);
  const [missing] = sel.missingRates;
  if (missing !== undefined) throw new CurrencyMixError(missing.from, missing.to, missing.what);
  for (const n of saasNamedList) {
    if (!sel.options.some((o) => saasNamed([n], o))) {
      throw new CostOptionError('cost.saas', sources.saas, msg.unknownSaas(sources.saas, n));
    }
  }
  for (const n of sel.notes) notes.push(n);
  const saasPriced = sel.options.map((opt) => {
    book.record(opt.currency, currency, saasLabel(opt));
    return { opt, s: saasCost(opt, inputs.users, inputs.growthPerMonth, H) };
  });
  const saas: SaasCost[] = saasPriced.map(({ s }) => s);

  // Break-even against the headline offer.
  const breakEven: BreakEven[] = [];
  const head = priced[0];
  if (head) {
    const selfCum = head.p.months.map((m) => m.cumulative);
    const selfRecurring = head.p.months.map((m) => m.total - m.setup);
    const headMonth1 = firstMonth(head.p);
    const setup = headMonth1.setup;
    const selfMonthly1 = headMonth1.total - headMonth1.setup; // selfRecurring[0]
    const users1 = inputs.users * (1 + inputs.growthPerMonth);
    const selfAt = new Map<number, number>();
    const selfMonthlyAt = (n: number) => {
      let v = selfAt.get(n);
      if (v === undefined) {
        const m1 = firstMonth(project(head.o, inputs, settings, { ...base, users: n / users1 }, 1));
        v = m1.total - m1.setup;
        selfAt.set(n, v);
      }
      return v;
    };
    const maxUsers = Math.max(100 * users1, 1000);
    for (const { opt, s } of saasPriced) {
      const saasCum = s.byMonth.map((b) => b.cumulative);
      const linear = isConstant(selfRecurring) && isConstant(s.byMonth.map((b) => b.cost));
      let month: number | null;
      let method: string;
      if (linear) {
        const mStar = breakEvenMonthLinear(setup, selfMonthly1, s.monthly);
        month = mStar === null ? null : Math.max(1, Math.ceil(mStar - 1e-9));
        if (month !== null && month > H) month = null;
        method = `closed form (constant monthly costs): month = ceil(setup / (SaaS monthly - self-host monthly))${mStar !== null ? ` = ceil(${cents(setup)} / (${cents(s.monthly)} - ${cents(selfMonthly1)})) = ceil(${mStar.toFixed(4)})` : ''}`;
      } else {
        month = firstMonthCheaper(selfCum, saasCum);
        method = 'scan of the cumulative costs, month by month';
      }
      const users = options.breakEvenUsers === false ? null : breakEvenUsersScan((n) => selfMonthlyAt(n) - seats(opt, n) * opt.pricePerUser, maxUsers);
      breakEven.push({
        vendor: s.vendor,
        plan: s.plan,
        provider: head.o.label,
        month,
        users,
        statement: breakEvenStatement(head.o.label, s, selfCum, selfRecurring, month, users, maxUsers, H, currency),
        method: `month: ${method}; users: month-1 monthly cost of a deployment sized for N users against the plan for N users, 1% grid then bisection, up to ${formatCount(maxUsers)} users`,
      });
    }
  }

  // Sensitivity on the headline offer.
  let sens: SensitivityResult | null = null;
  if (head && options.sensitivity !== false) {
    const r = sensitivity(head.o, inputs, settings, base);
    sens = {
      provider: r.provider,
      inputs: r.inputs.map((t: TornadoRow) => ({ ...t, totalAtLow: cents(t.totalAtLow), totalAtHigh: cents(t.totalAtHigh), swing: cents(t.swing) })),
      range: { low: cents(r.range.low), typical: cents(r.range.typical), high: cents(r.range.high), method: r.range.method },
    };
  }

  const excludedSummary = summarizeExcluded(excluded);

  // Labour on the headline offer, as its own line.
  let labourLine: LabourLine | null = null;
  if (head) {
    const m1 = firstMonth(head.p);
    const total1 = m1.total - m1.setup;
    const hoursAll = head.p.months.reduce((sum, m) => sum + m.labourHours, 0);
    const labourAll = head.p.breakdown.labour + head.p.breakdown.setup;
    labourLine = {
      rate: cents(labour.rate),
      currency,
      basis: labour.rateBasis,
      region: labour.rateRegion,
      source: labour.rateSource,
      hoursMonth1: round4(m1.labourHours),
      hoursAverage: round4(hoursAll / head.p.months.length),
      setupHours: round4(m1.setup / (labour.rate || 1)),
      costMonth1: cents(m1.labour),
      shareMonth1: round4(total1 > 0 ? m1.labour / total1 : 0),
      horizonTotal: cents(labourAll),
      shareHorizon: round4(head.p.horizonTotal > 0 ? labourAll / head.p.horizonTotal : 0),
      override: '--labour-rate X (per hour, report currency) or cost.labourRatePerHour; --labour-hours X (per month) or cost.labourHoursPerMonth',
    };
  }

  return {
    currency,
    vatIncluded,
    billing,
    users: inputs.users,
    growthPerMonth: inputs.growthPerMonth,
    horizonMonths: H,
    rates: book.usedRates(),
    selfHost: reports[0] ?? null,
    alternatives: reports.slice(1),
    saas: saas.map((s) => ({
      ...s,
      pricePerUser: cents(s.pricePerUser),
      monthly: cents(s.monthly),
      horizonTotal: cents(s.horizonTotal),
      byMonth: s.byMonth.map((b) => ({ ...b, users: round4(b.users), cost: cents(b.cost), cumulative: cents(b.cumulative) })),
    })),
    breakEven,
    sensitivity: sens,
    excluded,
    excludedSummary,
    labour: labourLine,
    notes,
    assumptions: assumptions(inputs, settings, currency, vatIncluded, billing, book.rates, book.usedRates()),
  };
}

/**
 * The rows left out in one line, counted by status.
 * @example summarizeExcluded([]).line // 'no catalog rows left out'
 */
export function summarizeExcluded(excluded: readonly ExcludedRow[]): ExcludedSummary {
  const byStatus: Record<string, number> = {};
  for (const e of excluded) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
  const counts = Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${v} ${k}`);
  const line =
    excluded.length === 0
      ? 'no catalog rows left out'
      : `${excluded.length} catalog row${excluded.length === 1 ? '' : 's'} left out: ${counts.join(', ')} (mxsim cost --verbose lists them; --use FILE:LINE, PROVIDER or PROVIDER/PRODUCT uses one)`;
  return { total: excluded.length, byStatus, line };
}

function breakEvenStatement(
  label: string,
  s: SaasCost,
  selfCum: readonly number[],
  selfRecurring: readonly number[],
  month: number | null,
  users: number | null,
  maxUsers: number,
  H: number,
  cur: string,
): string {
  const plan = saasLabel(s);
  const parts: string[] = [];
  // Month m (1..H) of both projections, which cover the H months of the horizon.
  const monthOf = (m: number) => ({
    selfCum: present(selfCum[m - 1], `self-hosting month ${m}`),
    selfMonthly: present(selfRecurring[m - 1], `self-hosting month ${m}`),
    saas: present(s.byMonth[m - 1], `SaaS month ${m}`),
  });
  if (month !== null) {
    const at = monthOf(month);
    parts.push(
      month === 1
        ? `Self-hosting on ${label} is cheaper than ${plan} from the first month (month 1: ${formatMoney(at.selfCum, cur)} incl. setup vs ${formatMoney(at.saas.cumulative, cur)}).`
        : `Self-hosting on ${label} becomes cheaper than ${plan} in month ${month} (cumulative ${formatMoney(at.selfCum, cur)} vs ${formatMoney(at.saas.cumulative, cur)}).`,
    );
    const back = s.byMonth.findIndex((b, j) => j >= month && monthOf(j + 1).selfCum > b.cumulative + 1e-9);
    if (back >= 0) parts.push(`SaaS is cheaper again from month ${back + 1} (self-host costs step up).`);
  } else {
    const at = monthOf(H);
    const selfH = at.selfCum;
    const saasH = at.saas.cumulative;
    const a = at.selfMonthly;
    const b = at.saas.cost;
    let tail = '';
    if (b > a)
      tail = ` By month ${H} self-hosting costs less per month (${formatMoney(a, cur)} vs ${formatMoney(b, cur)}); at those rates the cumulative costs would cross about ${Math.ceil((selfH - saasH) / (b - a))} month(s) after the horizon.`;
    else tail = ` Self-hosting also costs more per month at month ${H} (${formatMoney(a, cur)} vs ${formatMoney(b, cur)}), so the gap is not closing.`;
    parts.push(
      `Self-hosting on ${label} does not become cheaper than ${plan} within ${H} months (cumulative at month ${H}: ${formatMoney(selfH, cur)} vs ${formatMoney(saasH, cur)}).${tail}`,
    );
  }
  if (users === null) parts.push(`At no user count up to ${formatCount(maxUsers)} is a month of self-hosting cheaper than the plan.`);
  else if (users <= 1) parts.push('Per month, self-hosting costs no more than the plan at any user count.');
  else parts.push(`Per month, self-hosting costs no more than the plan from about ${users.toLocaleString('en-US')} users.`);
  return parts.join(' ');
}
