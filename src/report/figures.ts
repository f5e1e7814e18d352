/**
 * What the report pages say about the run's figures, as plain text: the
 * headline, the notice of the implementation when it has one, and the tables
 * of key figures. With the recommendation (recommendation.ts), the cost
 * (cost-section.ts) and the scenario's inputs and the model's assumptions
 * (input-tables.ts), these are what the HTML page and the Markdown summary
 * both render, each escaping for its own format, so the two always say the
 * same thing.
 */
import { retentionInWords } from '../model/retention.js';
import { stat, type Stat } from '../analysis/summarize.js';
import type { ReportRun, RunSummary } from '../cost/run.js';
import { formatBytes, formatCount, formatMoney, formatNumber, formatShare } from '../format/index.js';
import { K } from '../model/coefficients.js';
import { EVENT_TYPES, M, STORAGE_CATEGORIES } from '../model/metrics.js';
import type { Scenario } from '../scenario/grammar.js';
import { implementationProfile } from '../server/topology.js';
import { costSummary } from './cost-section.js';
import { seriesLabel } from './palette.js';
import type { Table } from './table.js';
import { formatBitRate, formatCi, formatValue, keyWords, type Kind } from './text.js';

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
      detail: `peak ${formatBitRate(peakBytesPerSecond(run, 'client.bytes_out'))} out, ${formatBitRate(peakBytesPerSecond(run, 'client.bytes_in'))} in${
        t.calls ? '; the homeserver’s only, call media excluded' : ''
      }`,
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
    ...callsHeadline(s),
    { label: 'storage added per day', value: formatBytes(s.storage.bytesPerDay.mean), detail: `${formatBytes(s.storage.bytesAtStart.mean)} at the start` },
    {
      label: `storage after ${s.storage.horizonMonths} months`,
      value: formatBytes(s.storage.bytesAtEnd.mean),
      detail: withCi(s.storage.bytesAtEnd, 'bytes'),
    },
    ...costHeadline(s),
  ];
}

const MBPS_TO_BYTES_PER_SECOND = 1e6 / 8;

/**
 * The headline's calls item, when calls are on (summary.json
 * `traffic.calls`): the SFU nodes to deploy (the bill of materials') and the
 * egress at the p95 bin, and in its
 * detail the calls a day, those at once, their participants, the SFU's
 * ingress and the share relayed through TURN.
 */
export function callsHeadline(s: RunSummary): HeadlineItem[] {
  const c = s.traffic.calls;
  if (!c) return [];
  // The nodes to deploy: the bill's (sized for the users the recommendation is for), else today's packing of the peak.
  const nodes = s.recommendation.components?.find((x) => x.kind === 'sfu')?.count ?? c.sfuNodes.mean;
  return [
    {
      label: 'calls on the SFU',
      value: `${formatNumber(nodes)} SFU node${nodes === 1 ? '' : 's'} · ${formatBitRate(c.sfuEgressMbpsP95.mean * MBPS_TO_BYTES_PER_SECOND)} out at p95`,
      detail: `${formatCount(c.callsPerDay.mean)} calls per day; at p95 ${formatNumber(c.concurrentCallsP95.mean)} at once with ${formatCount(c.participantsP95.mean)} participants, ${formatBitRate(
        c.sfuIngressMbpsP95.mean * MBPS_TO_BYTES_PER_SECOND,
      )} in; ${formatShare(c.turnShare.mean)} of the media through TURN`,
    },
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

/**
 * What a report says near its top whenever its implementation has a notice
 * (src/server/profiles.ts): Dendrite's maintenance mode, Synapse Pro's
 * vendor claims. Undefined for the others.
 */
export function implementationNotice(scenario: Scenario): string | undefined {
  return implementationProfile(scenario.run.server.implementation)?.notice ?? undefined;
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
        ...Object.entries(f.edusSentPerDayByType).map(([k, v]) => row(`EDUs sent: ${keyWords(k)}`, v, 'count')),
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
      s.governance !== undefined
        ? retentionInWords(s.governance.retention)
        : s.storage.retentionDays === null
          ? 'no retention: everything is kept'
          : `retention ${s.storage.retentionDays} days`
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
