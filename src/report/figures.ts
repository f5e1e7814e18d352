/**
 * What the report pages say, as plain text: the headline, the sizing
 * recommendation and cost when the summary has them, the tables of key
 * figures, the scenario's inputs and the model's assumptions. The HTML page
 * and the Markdown summary both render these, each escaping for its own
 * format, so the two always say the same thing.
 */
import { COST_LINE_LABELS } from '../cost/selfhost.js';
import { stat, type Stat } from '../analysis/summarize.js';
import type { CostSummary, ReportRun, RunSummary } from '../cost/run.js';
import { COEFFICIENTS, K } from '../model/coefficients.js';
import { EVENT_TYPES, M, STORAGE_CATEGORIES } from '../model/metrics.js';
import { formatAmount, formatBytes, formatCount, formatMoney, formatNumber, formatShare } from '../format/index.js';
import { roundSignificant } from '../numeric/index.js';
import type { DistributionSpec, Scenario } from '../scenario/grammar.js';
import { implementationProfile } from '../server/topology.js';
import { seriesLabel } from './palette.js';
import { formatBitRate, formatCi, formatValue, plural, type Kind } from './text.js';

/** A table of text cells; `columns` are the header. */
export interface Table {
  readonly id: string;
  readonly title: string;
  readonly note?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** One headline figure: what it is, the number, and a short qualifier. */
export interface HeadlineItem {
  readonly label: string;
  readonly value: string;
  readonly detail?: string;
}

// ---------------------------------------------------------------------------
// Headline

const total = (r: ReportRun['results'][number], id: keyof typeof M) => r.counters.total(M[id]);

/** Messages sent per day (plain and encrypted), with its interval over replications. */
export function messagesPerDay(run: ReportRun): Stat {
  const days = run.summary.simulatedDays;
  return stat(run.results.map((r) => (total(r, 'm.room.message') + total(r, 'm.room.encrypted')) / days));
}

/** The largest bin of a per-bin byte count, as bytes per second. */
export function peakBytesPerSecond(run: ReportRun, ...ids: string[]): number {
  const cols = ids.map((id) => run.series.columns[id] ?? []);
  const binSeconds = run.summary.binMinutes * 60;
  let peak = 0;
  run.series.binStartSeconds.forEach((_, b) => {
    const v = cols.reduce((sum, c) => sum + (c[b] ?? 0), 0);
    if (v > peak) peak = v;
  });
  return peak / binSeconds;
}

const withCi = (s: Stat, kind: Kind): string => {
  const ci = formatCi(s, kind);
  return ci === '–' ? '' : `95% CI ${ci}`;
};

export function headline(run: ReportRun): HeadlineItem[] {
  const s = run.summary;
  const t = s.traffic;
  const messages = messagesPerDay(run);
  const fed = t.federation;
  const federated = s.world.remoteServers > 0;
  return [
    {
      label: 'users',
      value: formatCount(s.world.users),
      detail: `${formatCount(s.world.rooms)} rooms, ${federated ? `${formatCount(s.world.remoteServers)} remote servers` : 'no federation'}`,
    },
    { label: 'messages sent per day', value: formatCount(messages.mean), detail: withCi(messages, 'count') },
    {
      label: 'users online at the peak',
      value: formatCount(s.activity.peakOnlineUsers.mean),
      detail: `${formatShare(s.activity.peakOnlineShare.mean)} of users (target ${formatShare(s.activity.targetPeakOnlineShare)})`,
    },
    {
      label: 'client traffic per day',
      value: `${formatBytes(t.client.bytesOutPerDay.mean)} out, ${formatBytes(t.client.bytesInPerDay.mean)} in`,
      detail: `peak ${formatBitRate(peakBytesPerSecond(run, 'client.bytes_out'))} out, ${formatBitRate(peakBytesPerSecond(run, 'client.bytes_in'))} in`,
    },
    {
      label: 'federation traffic per day',
      value: federated ? `${formatBytes(fed.bytesOutPerDay.mean)} out, ${formatBytes(fed.bytesInPerDay.mean)} in` : 'none (closed server)',
      detail: federated ? `${formatCount(fed.transactionsSentPerDay.mean)} transactions sent, ${formatNumber(fed.meanPdusPerTransaction.mean)} PDUs each on average` : undefined,
    },
    {
      label: 'media traffic per day',
      value: `${formatBytes(t.media.bytesOutPerDay.mean)} out, ${formatBytes(t.media.bytesInPerDay.mean)} in`,
      detail: `${formatCount(t.media.uploadsPerDay.mean)} uploads`,
    },
    { label: 'storage added per day', value: formatBytes(s.storage.bytesPerDay.mean), detail: `${formatBytes(s.storage.bytesAtStart.mean)} at the start` },
    {
      label: `storage after ${s.storage.horizonMonths} months`,
      value: formatBytes(s.storage.bytesAtEnd.mean),
      detail: withCi(s.storage.bytesAtEnd, 'bytes'),
    },
    ...costHeadline(s),
  ];
}

/** The headline's cost item, when the run was costed and a provider priced. */
function costHeadline(s: RunSummary): HeadlineItem[] {
  const c = costSummary(s);
  if (!c) return [];
  if (!c.selfHost) return [{ label: 'self-hosting per month', value: 'not computed', detail: 'see the cost section' }];
  return [
    {
      label: 'self-hosting per month',
      value: formatMoney(c.selfHost.monthly, c.currency),
      detail: `${formatMoney(c.selfHost.perUserMonthly, c.currency)} per user on ${c.provider}; ${formatMoney(c.selfHost.horizonTotal, c.currency)} over ${c.horizonMonths} months`,
    },
  ];
}

// ---------------------------------------------------------------------------
// Recommendation and cost: optional parts of summary.json, read defensively
// because the models that fill them are still being built.

/**
 * The sizing recommendation fields (src/analysis/resources.ts), in display
 * order, with their labels and formats. Fields not listed here are shown
 * after these, by their key.
 */
export const RECOMMENDATION_FIELDS: readonly { key: string; label: string; unit?: string; share?: boolean }[] = [
  { key: 'targetsMet', label: 'meets its targets, re-simulated' },
  { key: 'limit', label: 'what prevents it, and the lever' },
  { key: 'implementation', label: 'server' },
  { key: 'deployment', label: 'deployment' },
  { key: 'horizonUsers', label: 'sized for users' },
  { key: 'growAtMonth', label: 'must grow by month' },
  { key: 'cores', label: 'CPU cores in all' },
  { key: 'databaseCores', label: 'of which PostgreSQL' },
  { key: 'coresByComponent', label: 'cores needed by component (p95 CPU over the ceiling)' },
  { key: 'band', label: 'cores and memory with every cost low, typical, high' },
  { key: 'ramGiB', label: 'memory', unit: 'GiB' },
  { key: 'diskGiB', label: 'disk', unit: 'GiB' },
  { key: 'bandwidthMbps', label: 'bandwidth', unit: 'Mbit/s' },
  { key: 'bottleneck', label: 'bottleneck' },
  { key: 'bottleneckResource', label: 'bottleneck resource' },
  { key: 'bottleneckUtilizationP95', label: 'bottleneck utilisation (p95 bin)', share: true },
  { key: 'saturationUsers', label: 'users at saturation' },
  { key: 'saturationMethod', label: 'saturation found by' },
  { key: 'targets', label: 'targets' },
  { key: 'simulatedDeploymentMeetsTargets', label: 'deployment as simulated meets the targets' },
  { key: 'notes', label: 'notes' },
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStat(v: unknown): v is Stat {
  return isRecord(v) && typeof v.mean === 'number' && Array.isArray(v.ci95) && v.ci95.length === 2;
}

const plain = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumSignificantDigits: 6 }) : '–');

/** Any summary value as short text: numbers formatted, stats with their interval, lists and objects spelled out. */
export function formatAny(v: unknown, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  if (typeof v === 'number') return Number.isFinite(v) ? `${plain(v)}${u}` : '–';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null || v === undefined) return '–';
  if (isStat(v)) {
    const ci = formatCi(v, 'number');
    return `${formatNumber(v.mean)}${u}${ci === '–' ? '' : ` (95% CI ${ci})`}`;
  }
  if (Array.isArray(v)) return v.length === 0 ? '–' : v.map((x) => formatAny(x)).join('; ');
  if (isRecord(v)) {
    return Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `${k} ${formatAny(x)}`)
      .join(', ');
  }
  // A function, a symbol or a bigint: no record, no JSON.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- not an object here (isRecord took those), so String() gives its own form
  return JSON.stringify(v) ?? String(v);
}

/** "workers: 10 processes (sync ×3, generic ×1)", or the value in general words. */
function formatDeployment(d: unknown, withWorkers = true): string {
  if (!isRecord(d) || typeof d.kind !== 'string') return formatAny(d);
  const parts: string[] = [d.kind];
  if (typeof d.processes === 'number') parts.push(`${plain(d.processes)} process${d.processes === 1 ? '' : 'es'}`);
  let text = parts.join(': ');
  if (withWorkers && isRecord(d.workers)) {
    const workers = Object.entries(d.workers).map(([k, n]) => `${k} ×${formatAny(n)}`);
    if (workers.length > 0) text += ` (${workers.join(', ')})`;
  }
  if (typeof d.serverCores === 'number') text += `, ${plain(d.serverCores)} server cores`;
  return text;
}

function formatRecommendationField(key: string, v: unknown, unit?: string, share?: boolean): string {
  if (key === 'deployment') return formatDeployment(v);
  if (share && typeof v === 'number') return formatShare(v);
  return formatAny(v, unit);
}

/**
 * The recommendation's fields by name, for the generic rows below; undefined
 * when there is none. Read defensively: a summary read back from disk may be
 * of another version.
 */
function recommendationOf(summary: RunSummary): Record<string, unknown> | undefined {
  const rec: unknown = summary.recommendation;
  return isRecord(rec) ? rec : undefined;
}

/**
 * The warning a report opens with when the recommended deployment, re-simulated,
 * cannot meet its targets: the mechanism that prevents it and the lever that
 * would help. Undefined when the targets are met.
 */
export function targetsBanner(summary: RunSummary): string | undefined {
  const rec = recommendationOf(summary);
  if (!rec || rec.targetsMet !== false) return undefined;
  const limit = isRecord(rec.limit) ? rec.limit : {};
  const mechanism = typeof limit.mechanism === 'string' ? limit.mechanism : 'the re-simulated deployment misses a target';
  const lever = typeof limit.lever === 'string' ? ` What would help: ${limit.lever}.` : '';
  return `The recommendation does not meet its targets: ${mechanism}.${lever} Treat its figures as a lower bound.`;
}

/**
 * What a report says near its top whenever its implementation has a notice
 * (src/server/profiles.ts): Dendrite's maintenance mode, Synapse Pro's
 * vendor claims. Undefined for the others.
 */
export function implementationNotice(scenario: Scenario): string | undefined {
  return implementationProfile(scenario.run.server.implementation)?.notice ?? undefined;
}

/** The recommendation as label/value rows, or undefined when summary.json has none. */
export function recommendationRows(summary: RunSummary): [string, string][] | undefined {
  const rec = recommendationOf(summary);
  if (!rec) return undefined;
  const known = RECOMMENDATION_FIELDS.filter((f) => f.key in rec).map((f): [string, string] => [f.label, formatRecommendationField(f.key, rec[f.key], f.unit, f.share)]);
  const others = Object.keys(rec)
    .filter((k) => !RECOMMENDATION_FIELDS.some((f) => f.key === k))
    .map((k): [string, string] => [k, formatAny(rec[k])]);
  return [...known, ...others];
}

/**
 * The recommendation in one plain sentence, from the fields it has:
 * "Run synapse (workers: 10 processes ...) on 12 CPU cores (2 of them for
 * database, 7 GiB of memory, 890 GiB of disk and 11 Mbit/s. The bottleneck is
 * ...; it saturates at about 2,808 users."
 */
export function recommendationSentence(summary: RunSummary): string | undefined {
  const rec = recommendationOf(summary);
  if (!rec) return undefined;
  const num = (k: string): number | undefined => {
    const v = rec[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const what = [typeof rec.implementation === 'string' ? rec.implementation : 'the server', rec.deployment !== undefined ? `(${formatDeployment(rec.deployment, false)})` : '']
    .filter(Boolean)
    .join(' ');
  const needs: string[] = [];
  // `cores` counts every core, PostgreSQL's included.
  const cores = num('cores');
  if (cores !== undefined) {
    const db = num('databaseCores');
    needs.push(`${plain(cores)} CPU cores${db !== undefined && db > 0 ? ` (${plain(db)} of them for PostgreSQL)` : ''}`);
  }
  const ramGiB = num('ramGiB');
  if (ramGiB !== undefined) needs.push(`${plain(ramGiB)} GiB of memory`);
  const diskGiB = num('diskGiB');
  if (diskGiB !== undefined) needs.push(`${plain(diskGiB)} GiB of disk`);
  const bandwidthMbps = num('bandwidthMbps');
  if (bandwidthMbps !== undefined) needs.push(`${plain(bandwidthMbps)} Mbit/s of bandwidth`);
  const list = needs.length > 1 ? `${needs.slice(0, -1).join(', ')} and ${needs.at(-1)}` : (needs[0] ?? '');
  let text = `Run ${what}${list ? ` on ${list}` : ''}.`;
  if (typeof rec.bottleneck === 'string') {
    text += ` The bottleneck is ${rec.bottleneck}`;
    const saturationUsers = num('saturationUsers');
    text += saturationUsers !== undefined ? `; it saturates at about ${formatCount(saturationUsers)} users.` : '.';
  }
  return text;
}

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
function costSummary(summary: RunSummary): CostSummary | undefined {
  const c: unknown = summary.cost;
  if (!isRecord(c) || typeof c.currency !== 'string' || !('saas' in c) || !('selfHost' in c) || !Array.isArray(c.notes)) return undefined;
  return summary.cost;
}

const planLabel = (p: { vendor: string; plan: string }) => (p.plan.toLowerCase().startsWith(p.vendor.toLowerCase()) ? p.plan : `${p.vendor} ${p.plan}`);
const offerLabel = (p: { provider: string; region?: string }) => (p.region ? `${p.provider} ${p.region}` : p.provider);

/** "1 EUR = 1.08696 USD (inverse of USD:EUR=0.92), for ..." */
export function describeRates(rates: CostSummary['rates']): string {
  if (rates.length === 0) return 'none: no figure was converted';
  return rates
    .map((r) => `1 ${r.from} = ${roundSignificant(r.rate, 6)} ${r.to} (${r.inverse ? `inverse of ${r.stated}` : `stated ${r.stated}`}), used for ${r.usedFor.join(', ')}`)
    .join('; ');
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
      `Self-hosting on ${c.provider} costs ${formatMoney(h.monthly, cur)} a month (${formatMoney(h.perUserMonthly, cur)} per user) and ${formatMoney(h.horizonTotal, cur)} over ${H} months, ${vat}.`,
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
      `The cheapest SaaS plan, ${planLabel(cheapest)}, costs ${formatMoney(cheapest.monthly, cur)} a month and ${formatMoney(cheapest.horizonTotal, cur)} over ${H} months.${when}`,
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
      ['per month (month 1, setup excluded)', formatMoney(h.monthly, cur)],
      ['per user per month', formatMoney(h.perUserMonthly, cur)],
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
  rows.push(['SaaS billing', c.billing]);
  if (c.excludedRows !== null) rows.push(['catalog rows left out', `${c.excludedRows} (placeholder, historical or quote-only; listed in data/cost.json)`]);

  const tables: Table[] = [];
  if (h) {
    const offers = [{ provider: h.provider, region: h.region, monthly: h.monthly, horizonTotal: h.horizonTotal }, ...(c.alternatives ?? [])];
    tables.push({
      id: 'cost-providers',
      title: 'Self-hosting, by provider',
      note: `Cheapest over ${H} months first; in ${cur}, ${vat}.`,
      columns: ['provider', `month 1 (${cur})`, `${H}-month total (${cur})`],
      rows: offers.map((o) => [offerLabel(o), formatAmount(o.monthly), formatAmount(o.horizonTotal)]),
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

// ---------------------------------------------------------------------------
// Key figures

const FIGURE_COLUMNS = ['figure', 'mean', '95% confidence interval'] as const;
const row = (label: string, s: Stat, kind: Kind): string[] => [label, formatValue(s.mean, kind), formatCi(s, kind)];
const fixed = (label: string, v: number, kind: Kind): string[] => [label, formatValue(v, kind), 'exact'];

export function keyFigureTables(run: ReportRun): Table[] {
  const s = run.summary;
  const t = s.traffic;
  const f = t.federation;
  const tables: Table[] = [];
  tables.push({
    id: 'activity',
    title: 'World and activity',
    columns: FIGURE_COLUMNS,
    rows: [
      fixed('users', s.world.users, 'count'),
      fixed('rooms', s.world.rooms, 'count'),
      fixed('room memberships', s.world.memberships, 'count'),
      fixed('encrypted rooms', s.world.encryptedRooms, 'count'),
      fixed('remote servers', s.world.remoteServers, 'count'),
      row('users online at the peak', s.activity.peakOnlineUsers, 'count'),
      row('share of users online at the peak', s.activity.peakOnlineShare, 'share'),
      row('messages sent per day', messagesPerDay(run), 'count'),
    ],
  });
  tables.push({
    id: 'traffic',
    title: 'Client, media and push traffic per day',
    columns: FIGURE_COLUMNS,
    rows: [
      row('client bytes out (sync, API responses)', t.client.bytesOutPerDay, 'bytes'),
      row('client bytes in (requests, sent events)', t.client.bytesInPerDay, 'bytes'),
      row('/sync responses carrying news', t.client.syncResponsesPerDay, 'count'),
      row('/sync long-polls timing out empty', t.client.syncTimeoutsPerDay, 'count'),
      row('events and EDUs delivered to devices', t.client.deliveriesPerDay, 'count'),
      row('media bytes out (downloads)', t.media.bytesOutPerDay, 'bytes'),
      row('media bytes in (uploads, remote fetches, previews)', t.media.bytesInPerDay, 'bytes'),
      row('media uploads', t.media.uploadsPerDay, 'count'),
      row('push notifications', t.push.notificationsPerDay, 'count'),
      row('push gateway bytes', t.push.bytesPerDay, 'bytes'),
    ],
  });
  tables.push({
    id: 'events',
    title: 'Events per day, by type',
    note: 'Types that never occurred in this run are left out.',
    columns: ['event type', 'mean', '95% confidence interval'],
    rows: EVENT_TYPES.flatMap((e) => {
      const perDay = t.eventsPerDay[e.id];
      return perDay !== undefined && perDay.mean > 0 ? [row(`${seriesLabel(e.id)} (${e.id})`, perDay, 'count')] : [];
    }),
  });
  if (s.world.remoteServers > 0) {
    tables.push({
      id: 'federation',
      title: 'Federation per day',
      columns: FIGURE_COLUMNS,
      rows: [
        row('PDUs sent', f.pdusSentPerDay, 'count'),
        row('EDUs sent', f.edusSentPerDay, 'count'),
        ...Object.entries(f.edusSentPerDayByType).map(([k, v]) => row(`EDUs sent: ${k}`, v, 'count')),
        row('transactions sent', f.transactionsSentPerDay, 'count'),
        row('PDUs per transaction (mean)', f.meanPdusPerTransaction, 'number'),
        fixed('PDUs in one transaction, at most', f.maxPdusPerTransaction, 'count'),
        row('failed transaction attempts', f.failedAttemptsPerDay, 'count'),
        row('bytes sent', f.bytesOutPerDay, 'bytes'),
        row('bytes sent to slow servers', f.bytesOutToSlowServersPerDay, 'bytes'),
        row('bytes received', f.bytesInPerDay, 'bytes'),
        row('PDUs received', f.pdusReceivedPerDay, 'count'),
        row('transactions received', f.transactionsReceivedPerDay, 'count'),
        row('delivery latency, median', f.deliveryLatencySeconds.p50, 'seconds'),
        row('delivery latency, 95th percentile', f.deliveryLatencySeconds.p95, 'seconds'),
        row('delivery latency, 99th percentile', f.deliveryLatencySeconds.p99, 'seconds'),
        row('destinations reached', f.destinations.reached, 'count'),
        row('destinations down', f.destinations.down, 'count'),
        row('destinations slow', f.destinations.slow, 'count'),
        row('PDUs still undelivered at the end', f.undeliveredPdusAtEnd, 'count'),
      ],
    });
  }
  const cat = s.storage.byCategory;
  const [month0, month1] = run.storage;
  const both = (st: Stat) => {
    const ci = formatCi(st, 'bytes');
    return ci === '–' ? formatBytes(st.mean) : `${formatBytes(st.mean)} (${ci})`;
  };
  tables.push({
    id: 'storage',
    title: 'Storage, by category',
    note: `Mean (95% confidence interval). Growth ${formatShare(month0 && month1 ? month1.users / month0.users - 1 : 0)} of users a month; ${
      s.storage.retentionDays === null ? 'no retention: everything is kept' : `retention ${s.storage.retentionDays} days`
    }. PostgreSQL's overhead at ${formatNumber(K.postgresOverheadFactor)}x the database's bytes; at ${formatNumber(K.postgresOverheadFactorLow)}x to ${formatNumber(
      K.postgresOverheadFactorHigh,
    )}x the total after ${s.storage.horizonMonths} months is ${formatBytes(s.storage.bytesAtEndLow.mean)} to ${formatBytes(s.storage.bytesAtEndHigh.mean)}.`,
    columns: ['category', 'at the start', 'added per day', `after ${s.storage.horizonMonths} months`],
    rows: [
      ...STORAGE_CATEGORIES.map((c) => [seriesLabel(`storage.${c}`), both(cat[c].bytesAtStart), both(cat[c].bytesPerDay), both(cat[c].bytesAtEnd)]),
      ['total', both(s.storage.bytesAtStart), both(s.storage.bytesPerDay), both(s.storage.bytesAtEnd)],
    ],
  });
  return tables;
}

// ---------------------------------------------------------------------------
// Inputs and assumptions

/** A distribution in words: "lognormal, mean 45, cv 1.2". */
export function describeDistribution(d: DistributionSpec): string {
  switch (d.kind) {
    case 'deterministic':
      return `always ${formatNumber(d.value)}`;
    case 'exponential':
      return `exponential, mean ${formatNumber(d.mean)}`;
    case 'uniform':
      return `uniform ${formatNumber(d.min)} to ${formatNumber(d.max)}`;
    case 'lognormal':
    case 'gamma':
      return `${d.kind}, mean ${formatNumber(d.mean)}, cv ${formatNumber(d.cv)}`;
    case 'pareto':
      return `Pareto, alpha ${formatNumber(d.alpha)}, min ${formatNumber(d.min)}${d.max === undefined ? '' : `, max ${formatNumber(d.max)}`}`;
    case 'empirical':
      return `empirical over ${d.values.length} values`;
  }
}

const yesNo = (b: boolean) => (b ? 'on' : 'off');

export function inputTables(scenario: Scenario): Table[] {
  const p = scenario.population;
  const f = scenario.federation;
  const ft = scenario.features;
  const r = scenario.run;
  return [
    {
      id: 'inputs-general',
      title: 'Population, federation and policy',
      columns: ['input', 'value'],
      rows: [
        ['users at the start', formatCount(p.users)],
        ['user growth per month', formatShare(p.growthPerMonth)],
        ['devices per user (mean)', formatNumber(p.devicesPerUser)],
        ['share of devices that are phones with a pusher', formatShare(p.mobileDeviceShare)],
        ['share of users online at the busiest hour', formatShare(p.peakOnlineShare)],
        ['session length, minutes', describeDistribution(p.sessionMinutes)],
        ['time-zone spread, hours', formatNumber(p.rhythm.timeZoneSpreadHours)],
        [
          'federation',
          f.mode === 'closed' ? 'closed' : `${f.mode}, ${formatCount(f.remoteServers)} remote servers (${formatShare(f.downShare)} down, ${formatShare(f.slowShare)} slow)`,
        ],
        ['presence / typing / read receipts', `${yesNo(ft.presence)} / ${yesNo(ft.typing)} / ${yesNo(ft.readReceipts)}`],
        ['encryption by default', yesNo(ft.encryptionByDefault)],
        ['URL previews', yesNo(ft.urlPreviews)],
        ['retention', ft.retentionDays === null ? 'none (everything kept)' : `${formatNumber(ft.retentionDays)} days`],
        ['media upload limit', formatBytes(ft.mediaMaxBytes)],
        ['server', `${r.server.implementation}, ${r.server.deployment}`],
        ['simulated period / bin / horizon', `${plural(r.days, 'day')} / ${plural(r.binMinutes, 'minute')} / ${plural(r.horizonMonths, 'month')}`],
      ],
    },
    {
      id: 'inputs-classes',
      title: 'Activity classes',
      columns: ['class', 'share of users', 'online propensity', 'messages per day', 'media uploads per day'],
      rows: p.classes.map((c) => [c.name, formatShare(c.share), formatNumber(c.onlinePropensity), formatNumber(c.messagesPerDay), formatNumber(c.mediaUploadsPerDay)]),
    },
    {
      id: 'inputs-rooms',
      title: 'Room kinds',
      columns: ['kind', 'how many', 'members', 'remote members', 'encrypted', 'activity weight'],
      rows: scenario.rooms.kinds.map((k) => [
        k.name,
        k.count !== undefined ? `${formatCount(k.count)} rooms` : `${formatNumber(k.membershipsPerUser ?? 0)} per user`,
        describeDistribution(k.members),
        formatShare(k.remoteMemberShare),
        k.encryptedShare === undefined ? `default (${ft.encryptionByDefault ? 'yes' : 'no'})` : formatShare(k.encryptedShare),
        formatNumber(k.activityWeight),
      ]),
    },
  ];
}

/** The model's fixed numbers (src/model/coefficients.ts) with their sources and trust labels. */
export function assumptionsTable(): Table {
  return {
    id: 'assumptions',
    title: 'Model coefficients',
    note: "Trust: spec (Matrix specification), code (a constant in a server's source), docs (official documentation), blog, bench, anecdote, vendor, derived (our arithmetic on cited inputs), estimate (our own reasoning; the source says how).",
    columns: ['name', 'what', 'value', 'unit', 'trust', 'source'],
    rows: Object.entries(COEFFICIENTS).map(([name, c]) => [name, c.what, c.value.toLocaleString('en-US', { maximumFractionDigits: 6 }), c.unit, c.trust, c.source]),
  };
}
