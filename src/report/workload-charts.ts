/**
 * The report's charts of the simulated workload, over the run or the
 * horizon: users and devices online, events by type, bandwidth by traffic
 * class, federation fan-out, storage growth and storage added by category,
 * and push notifications.
 */
import { retentionInWords, retentionOfKinds } from '../model/retention.js';
import type { TopLevelSpec } from 'vega-lite';
import type { Stat } from '../analysis/summarize.js';
import { EVENT_TYPES, STORAGE_CATEGORIES } from '../model/metrics.js';
import {
  add,
  binNote,
  CHART_CONFIG,
  CHART_HEIGHT,
  CHART_WIDTH,
  col,
  header,
  longRows,
  maxOf,
  round,
  runHours,
  scale,
  slug,
  timeAxis,
  wideCsv,
  type ChartFunction,
  type Series,
} from './chart-spec.js';
import { toCsv } from './csv.js';
import { colorScale, seriesColor, seriesLabel } from './palette.js';
import { bitRateUnit, byteUnit, keyWords, plural } from './text.js';

export const onlineChart: ChartFunction = ({ run, scenario }) => {
  const series: Series[] = [
    { id: 'online.users', values: col(run, 'online.users') },
    { id: 'online.devices', values: col(run, 'online.devices') },
  ];
  const title = 'Users and devices online';
  const description = 'Users with at least one client online, and devices online, over the simulated time.';
  return {
    name: 'online',
    title,
    description,
    csv: { path: 'data/client.csv' },
    spec: {
      ...header(title, `${scenario.population.users.toLocaleString('en-US')} users; ${binNote(scenario)}`, description),
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      data: { values: longRows(run, series) },
      mark: { type: 'line', interpolate: 'monotone' },
      encoding: {
        x: timeAxis(runHours(run, scenario)),
        y: { field: 'value', type: 'quantitative', title: 'online (time-weighted mean of the bin)' },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)) },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

/** Event types drawn one by one; the rest are summed into "other events". */
const MAIN_EVENT_TYPES = 8;

export const eventsChart: ChartFunction = ({ run, scenario }) => {
  const perHour = 60 / scenario.run.binMinutes;
  const all = EVENT_TYPES.map((e) => ({ id: e.id, values: scale(col(run, e.id), perHour) }))
    .map((s) => ({ ...s, total: s.values.reduce((a, b) => a + b, 0) }))
    .filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total);
  const series: Series[] = all.slice(0, MAIN_EVENT_TYPES);
  const rest = all.slice(MAIN_EVENT_TYPES);
  if (rest.length > 0) series.push({ id: 'other.events', values: add(...rest.map((s) => s.values)) });
  const title = 'Events per hour, by type';
  const description =
    'Events persisted or sent by this server per hour, stacked by type (the most frequent types; the rest as "other events"). Typing, receipts and presence are ephemeral events.';
  return {
    name: 'events',
    title,
    description,
    csv: { path: 'data/events-per-hour.csv', content: wideCsv(run, series, (s) => `${s.id}_per_hour`) },
    spec: {
      ...header(title, `stacked; ${binNote(scenario)}${rest.length > 0 ? `; other events: ${rest.map((s) => s.id).join(', ')}` : ''}`, description),
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      data: { values: longRows(run, series) },
      mark: { type: 'area', opacity: 0.9 },
      encoding: {
        x: timeAxis(runHours(run, scenario)),
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'events per hour' },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)), sort: series.map((s) => seriesLabel(s.id)) },
        order: { field: 'rank', type: 'quantitative', sort: 'descending' },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const bandwidthChart: ChartFunction = ({ run, scenario }) => {
  const bitsPerSecond = 8 / (scenario.run.binMinutes * 60);
  const raw = {
    'bandwidth.client_out': col(run, 'client.bytes_out'),
    'bandwidth.federation_out': col(run, 'fed.out.bytes'),
    'bandwidth.media_out': add(col(run, 'media.bytes_out'), col(run, 'media.fed_bytes_out')),
    'bandwidth.client_in': col(run, 'client.bytes_in'),
    'bandwidth.federation_in': col(run, 'fed.in.bytes'),
    'bandwidth.media_in': col(run, 'media.bytes_in'),
  };
  const bits = Object.entries(raw).map(([id, v]) => ({ id, values: scale(v, bitsPerSecond) }));
  const out = bits.slice(0, 3);
  const inn = bits.slice(3);
  const peak = Math.max(maxOf(add(...out.map((s) => s.values))), maxOf(add(...inn.map((s) => s.values))));
  const unit = bitRateUnit(peak);
  const series: Series[] = bits.map((s) => ({ id: s.id, values: scale(s.values, 1 / unit.divisor) }));
  const outLabels = new Set(out.map((s) => seriesLabel(s.id)));
  const rows = longRows(run, series).map((r) => ({ ...r, direction: outLabels.has(String(r.series)) ? 'out of the server' : 'into the server' }));
  const title = 'Bandwidth by traffic class';
  const description = `Average bit rate in each bin, in ${unit.label} (megabit = 10^6 bits), stacked by class: clients (sync, API), federation (transactions, state) and media (downloads and uploads, including media served to and fetched from other servers).`;
  return {
    name: 'bandwidth',
    title,
    description,
    csv: { path: 'data/bandwidth.csv', content: wideCsv(run, series, (s) => `${s.id.replace('bandwidth.', '')}_${slug(unit.label)}`) },
    spec: {
      ...header(
        title,
        `${unit.label}, averaged over ${scenario.run.binMinutes}-minute bins; stacked; mean of ${plural(scenario.run.replications, 'replication')}; push gateway traffic not included`,
        description,
      ),
      data: { values: rows },
      facet: { row: { field: 'direction', type: 'nominal', title: null, sort: ['out of the server', 'into the server'] } },
      spec: {
        width: CHART_WIDTH,
        height: 170,
        mark: { type: 'area', opacity: 0.9 },
        encoding: {
          x: timeAxis(runHours(run, scenario)),
          y: { field: 'value', type: 'quantitative', stack: 'zero', title: `bit rate (${unit.label})` },
          color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)) },
          order: { field: 'rank', type: 'quantitative' },
        },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const federationChart: ChartFunction = ({ run, scenario }) => {
  if (scenario.federation.mode === 'closed' || scenario.federation.remoteServers === 0) return null;
  const perSecond = 1 / (scenario.run.binMinutes * 60);
  const pdus = col(run, 'fed.out.pdus');
  const txns = col(run, 'fed.out.transactions');
  const transactions: Series[] = [
    { id: 'fed.out.transactions', values: scale(txns, perSecond) },
    { id: 'fed.in.transactions', values: scale(col(run, 'fed.in.transactions'), perSecond) },
    { id: 'fed.out.failed_attempts', values: scale(col(run, 'fed.out.failed_attempts'), perSecond) },
  ];
  // NaN where a bin sent no transaction: a gap in the line, an empty CSV cell.
  const batching: Series[] = [
    {
      id: 'fed.pdus_per_transaction',
      values: pdus.map((p, i) => {
        const t = txns[i] ?? 0;
        return t > 0 ? p / t : NaN;
      }),
    },
  ];
  const eduIds = ['fed.out.edus.presence', 'fed.out.edus.receipt', 'fed.out.edus.typing', 'fed.out.edus.to_device', 'fed.out.edus.device_list'];
  const edus: Series[] = eduIds.map((id) => ({ id, values: scale(col(run, id), perSecond) }));
  const panel = (name: string, s: Series[]) => longRows(run, s).map((r) => ({ ...r, panel: name }));
  const rows = [...panel('transactions', transactions), ...panel('batching', batching), ...panel('edus', edus)];
  const x = timeAxis(runHours(run, scenario));
  const xNoTitle = { ...x, title: null };
  const title = 'Federation fan-out';
  const description =
    'Outbound federation to the remote servers: transactions per second (sent, received, failed), how many PDUs a sent transaction carries on average, and EDUs sent per second by type.';
  const sub = (t: string, filter: string, height: number) => ({
    title: { text: t, fontSize: 13, anchor: 'start' },
    transform: [{ filter: `datum.panel === '${filter}'` }],
    width: CHART_WIDTH,
    height,
  });
  return {
    name: 'federation',
    title,
    description,
    csv: {
      path: 'data/federation-fanout.csv',
      content: wideCsv(run, [...transactions, ...batching, ...edus], (s) => (s.id === 'fed.pdus_per_transaction' ? 'pdus_per_transaction' : `${s.id}_per_s`)),
    },
    spec: {
      ...header(title, `${scenario.federation.remoteServers} remote servers (${keyWords(scenario.federation.mode)}); ${binNote(scenario)}`, description),
      data: { values: rows },
      vconcat: [
        {
          ...sub('Transactions per second', 'transactions', 130),
          mark: { type: 'line', interpolate: 'monotone' },
          encoding: {
            x: xNoTitle,
            y: { field: 'value', type: 'quantitative', title: 'transactions/s' },
            color: { field: 'series', type: 'nominal', title: null, scale: colorScale(transactions.map((s) => s.id)) },
          },
        },
        {
          ...sub('PDUs per transaction sent (mean in each bin; the spec allows at most 50)', 'batching', 100),
          mark: { type: 'line', interpolate: 'step-after', color: seriesColor('fed.pdus_per_transaction'), invalid: 'break-paths-show-domains' },
          encoding: { x: xNoTitle, y: { field: 'value', type: 'quantitative', title: 'PDUs/transaction' } },
        },
        {
          ...sub('EDUs sent per second, by type (stacked)', 'edus', 130),
          mark: { type: 'area', opacity: 0.9 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'EDUs/s' },
            color: { field: 'series', type: 'nominal', title: null, scale: colorScale(edus.map((s) => s.id)) },
            order: { field: 'rank', type: 'quantitative' },
          },
        },
      ],
      resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const storageGrowthChart: ChartFunction = ({ run, scenario }) => {
  const months = run.storage;
  const present = STORAGE_CATEGORIES.filter((c) => months.some((m) => m.byCategory[c] > 0));
  const unit = byteUnit(maxOf(months.map((m) => m.total)));
  const ids = present.map((c) => `storage.${c}`);
  const rows = months.flatMap((m) =>
    present.map((c, rank) => ({ month: m.month, users: round(m.users), series: seriesLabel(`storage.${c}`), rank, value: round(m.byCategory[c] / unit.divisor) })),
  );
  const csv = toCsv(
    ['month', 'users', ...present.map((c) => `${c}_${slug(unit.label)}`), `total_${slug(unit.label)}`],
    months.map((m) => [m.month, round(m.users), ...present.map((c) => round(m.byCategory[c] / unit.divisor)), round(m.total / unit.divisor)]),
  );
  const retention = retentionInWords(retentionOfKinds(scenario));
  const title = 'Storage over the horizon, by category';
  const description = `Database and media storage at the end of each month, in ${unit.label}, stacked by category, with ${(scenario.population.growthPerMonth * 100).toFixed(1)}% user growth a month and ${retention}.`;
  return {
    name: 'storage-growth',
    title,
    description,
    csv: { path: 'data/storage-growth.csv', content: csv },
    spec: {
      ...header(
        title,
        `${unit.label} (1 GiB = 2^30 bytes); month 0 is the start; stacked; growth ${(scenario.population.growthPerMonth * 100).toFixed(1)}%/month; ${retention}`,
        description,
      ),
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      data: { values: rows },
      mark: { type: 'area', opacity: 0.9 },
      encoding: {
        x: {
          field: 'month',
          type: 'quantitative',
          title: 'months from the start',
          scale: { domain: [0, scenario.run.horizonMonths], nice: false },
          axis: { tickMinStep: 1, format: 'd' },
        },
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: `storage (${unit.label})` },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(ids) },
        order: { field: 'rank', type: 'quantitative' },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const storageAddedChart: ChartFunction = ({ run, scenario }) => {
  const days = scenario.run.days;
  const byCategory = run.summary.storage.byCategory;
  const added = (st: Stat) => ({ mean: st.mean * days, lo: st.ci95[0] * days, hi: st.ci95[1] * days });
  const values = STORAGE_CATEGORIES.map((c) => ({ c, ...added(byCategory[c].bytesPerDay) }));
  const unit = byteUnit(maxOf(values.flatMap((v) => [v.mean, v.hi])));
  const show = (x: number) => (Number.isFinite(x) ? round(x / unit.divisor) : null);
  const rows = values.map((v) => ({ series: seriesLabel(`storage.${v.c}`), value: show(v.mean), ci_low: show(v.lo), ci_high: show(v.hi) }));
  const u = slug(unit.label);
  const csv = toCsv(
    ['category', `added_${u}`, `ci95_low_${u}`, `ci95_high_${u}`],
    values.map((v) => [v.c, show(v.mean), show(v.lo), show(v.hi)]),
  );
  const ids = STORAGE_CATEGORIES.map((c) => `storage.${c}`);
  const order = ids.map(seriesLabel);
  const title = 'Storage added during the run, by category';
  const n = scenario.run.replications;
  const description = `Bytes written to the database and media store during the ${plural(days, 'simulated day')}, in ${unit.label}, by category; the whiskers are 95% confidence intervals over replications.`;
  return {
    name: 'storage-added',
    title,
    description,
    csv: { path: 'data/storage-added.csv', content: csv },
    spec: {
      ...header(
        title,
        `${unit.label} over ${plural(days, 'simulated day')}; mean of ${plural(n, 'replication')} with 95% confidence intervals (lower ends below 0 drawn at 0)`,
        description,
      ),
      width: CHART_WIDTH - 120,
      data: { values: rows },
      encoding: { y: { field: 'series', type: 'nominal', title: null, sort: order, axis: { labelLimit: 240 } } },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'value', type: 'quantitative', title: `added during the run (${unit.label})`, scale: { domainMin: 0, clamp: true }, axis: { tickCount: 8 } },
            color: { field: 'series', type: 'nominal', legend: null, scale: colorScale(ids) },
          },
        },
        {
          mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
          encoding: { x: { field: 'ci_low', type: 'quantitative' }, x2: { field: 'ci_high' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 6, fontSize: 11, color: '#333333' },
          encoding: { x: { field: 'ci_high', type: 'quantitative' }, text: { field: 'value', type: 'quantitative', format: ',.3~r' } },
        },
      ],
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const pushChart: ChartFunction = ({ run, scenario }) => {
  const perHour = 60 / scenario.run.binMinutes;
  const badges = col(run, 'push.badge');
  const series: Series[] = [
    {
      id: 'push.event_pushes',
      values: scale(
        col(run, 'push.notifications').map((x, i) => x - (badges[i] ?? 0)),
        perHour,
      ),
    },
    { id: 'push.badge', values: scale(badges, perHour) },
    { id: 'push.fetches', values: scale(col(run, 'push.fetches'), perHour) },
  ];
  const title = 'Push notifications per hour';
  const description =
    "Requests this server sends to push gateways per hour, by the default push rules: every message notifies every other local member's phones except in rooms set to mentions-only, plus a badge update after each read receipt; and the requests phones woken by a push make to fetch the event.";
  return {
    name: 'push',
    title,
    description,
    csv: { path: 'data/push.csv', content: wideCsv(run, series, (s) => `${s.id}_per_hour`) },
    spec: {
      ...header(
        title,
        `${(scenario.population.mobileDeviceShare * 100).toFixed(0)}% of devices are phones with a pusher; ${(scenario.behaviour.mutedRoomShare * 100).toFixed(0)}% of memberships mentions-only by default; ${binNote(scenario)}`,
        description,
      ),
      width: CHART_WIDTH,
      height: 200,
      data: { values: longRows(run, series) },
      mark: { type: 'line', interpolate: 'monotone' },
      encoding: {
        x: timeAxis(runHours(run, scenario)),
        y: { field: 'value', type: 'quantitative', title: 'requests per hour' },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)), sort: series.map((s) => seriesLabel(s.id)) },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};

export const syncChart: ChartFunction = ({ run, scenario }) => {
  const perHour = 60 / scenario.run.binMinutes;
  const series: Series[] = [
    { id: 'sync.v2_requests', values: scale(col(run, 'sync.v2_requests'), perHour) },
    { id: 'sync.sliding_requests', values: scale(col(run, 'sync.sliding_requests'), perHour) },
  ];
  const title = 'Sync requests per hour, by protocol';
  const description =
    'Sync requests answered per hour, stacked: /sync v2 (web and desktop clients) and Simplified Sliding Sync (Element X), every connection counted, with news or empty at the time-out. Only /sync v2 sets presence.';
  const c = scenario.clients;
  return {
    name: 'sync',
    title,
    description,
    csv: { path: 'data/sync.csv', content: wideCsv(run, series, (s) => `${s.id}_per_hour`) },
    spec: {
      ...header(
        title,
        `stacked; phones on sliding sync ${(c.mobileSlidingSyncShare * 100).toFixed(0)}%, web and desktop ${(c.desktopSlidingSyncShare * 100).toFixed(0)}%; ${binNote(scenario)}`,
        description,
      ),
      width: CHART_WIDTH,
      height: 200,
      data: { values: longRows(run, series) },
      mark: { type: 'area', opacity: 0.9 },
      encoding: {
        x: timeAxis(runHours(run, scenario)),
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'requests per hour' },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series.map((s) => s.id)), sort: series.map((s) => seriesLabel(s.id)) },
        order: { field: 'rank', type: 'quantitative', sort: 'descending' },
      },
      config: CHART_CONFIG,
    } as TopLevelSpec,
  };
};
