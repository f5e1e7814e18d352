/**
 * One colour and one label per plotted series, so the same series looks the
 * same in every chart of every report. Series ids are metric ids
 * (src/model/metrics.ts) where a series is one metric, and short ids of our
 * own (`bandwidth.client_out`, `other.events`) where a chart derives one.
 *
 * Federation EDU types share the colour of the event type they carry
 * (presence EDUs are the colour of m.presence, to-device EDUs that of
 * m.room_key), so a reader can follow a kind of traffic from one chart to
 * the next.
 */
import { STORAGE_CATEGORIES, type StorageCategory } from '../model/metrics.js';

export interface SeriesStyle {
  readonly label: string;
  readonly color: string;
}

/** Colour for a series without an entry (a new chart before its palette entry). */
export const FALLBACK_COLOR = '#7f7f7f';

const s = (label: string, color: string): SeriesStyle => ({ label, color });

/**
 * Entry `k` of a non-empty list, going round after the last (a negative or
 * fractional `k` gives the first).
 *
 * @example cycle(['a', 'b'], 3) // 'b'
 */
export function cycle<T>(list: readonly [T, ...T[]], k: number): T {
  return list[k % list.length] ?? list[0];
}

/** Event types: a colour each (Tableau 20, darker shades first). */
const EVENTS = {
  'm.room.message': s('messages', '#1f77b4'),
  'm.room.encrypted': s('encrypted messages', '#17becf'),
  'm.reaction': s('reactions', '#ff7f0e'),
  'm.room.redaction': s('redactions', '#c49c94'),
  'm.room.member': s('membership changes', '#8c564b'),
  'remote.message': s('remote messages', '#aec7e8'),
  'remote.state': s('remote state events', '#c5b0d5'),
  'm.receipt': s('read receipts', '#2ca02c'),
  'm.typing': s('typing notifications', '#d62728'),
  'm.presence': s('presence changes', '#9467bd'),
  'm.room_key': s('room keys (to-device)', '#bcbd22'),
  'm.device_list_update': s('device-list updates', '#e377c2'),
  'media.upload': s('media uploads', '#98df8a'),
  'media.rejected': s('rejected uploads', '#ff9896'),
  'url.preview': s('URL previews', '#dbdb8d'),
  'other.events': s('other events', FALLBACK_COLOR),
} satisfies Record<string, SeriesStyle>;

const ref = (id: keyof typeof EVENTS, label: string): SeriesStyle => s(label, EVENTS[id].color);

const FEDERATION: Record<string, SeriesStyle> = {
  'fed.out.transactions': s('transactions sent', '#ff7f0e'),
  'fed.in.transactions': s('transactions received', '#ffbb78'),
  'fed.out.failed_attempts': s('failed attempts', '#d62728'),
  'fed.pdus_per_transaction': s('PDUs per transaction sent', '#8c564b'),
  'fed.out.edus.presence': ref('m.presence', 'presence EDUs'),
  'fed.out.edus.receipt': ref('m.receipt', 'receipt EDUs'),
  'fed.out.edus.typing': ref('m.typing', 'typing EDUs'),
  'fed.out.edus.to_device': ref('m.room_key', 'to-device EDUs'),
  'fed.out.edus.device_list': ref('m.device_list_update', 'device-list EDUs'),
};

/** Traffic classes: one hue per class, dark for outbound and light for inbound. */
const BANDWIDTH: Record<string, SeriesStyle> = {
  'bandwidth.client_out': s('clients, out', '#1f77b4'),
  'bandwidth.client_in': s('clients, in', '#aec7e8'),
  'bandwidth.federation_out': s('federation, out', '#ff7f0e'),
  'bandwidth.federation_in': s('federation, in', '#ffbb78'),
  'bandwidth.media_out': s('media, out', '#2ca02c'),
  'bandwidth.media_in': s('media, in', '#98df8a'),
};

const ACTIVITY: Record<string, SeriesStyle> = {
  'online.users': s('users online', '#1f77b4'),
  'online.devices': s('devices online', '#9467bd'),
  'push.notifications': s('push notifications', '#e377c2'),
  'push.event_pushes': s('pushes carrying an event', '#e377c2'),
  'push.badge': s('badge updates after receipts', '#f7b6d2'),
  'push.fetches': s('fetches by woken phones', '#7f7f7f'),
  'sync.v2_requests': s('/sync v2', '#1f77b4'),
  'sync.sliding_requests': s('sliding sync', '#ff7f0e'),
};

const STORAGE: Record<StorageCategory, SeriesStyle> = {
  eventJson: s('event JSON', '#1f77b4'),
  eventRows: s('event rows and indexes', '#aec7e8'),
  stateGroups: s('state groups', '#9467bd'),
  authChains: s('auth chains', '#c5b0d5'),
  receipts: s('receipts', '#2ca02c'),
  deviceLists: s('device lists and keys', '#e377c2'),
  deviceInbox: s('to-device inbox', '#f7b6d2'),
  keyBackup: s('key backup', '#7f7f7f'),
  pushActions: s('push actions', '#98df8a'),
  userDirectory: s('user directory', '#d62728'),
  slidingSync: s('sliding-sync state', '#ff9896'),
  eventSearch: s('search index', '#17becf'),
  postgresOverhead: s('PostgreSQL overhead (indexes, WAL, bloat)', '#c7c7c7'),
  localMedia: s('local media', '#ff7f0e'),
  thumbnails: s('thumbnails', '#ffbb78'),
  remoteMedia: s('remote media cache', '#8c564b'),
  urlPreviews: s('URL previews', '#dbdb8d'),
};

/**
 * Cost lines (src/cost/selfhost.ts COST_LINES): hosts in blues and purples,
 * storage in teals, traffic in orange, people in greens; the tornado's two
 * ends in a light and a dark tone.
 */
const COST: Record<string, SeriesStyle> = {
  'cost.compute': s('compute (homeserver hosts)', '#1f77b4'),
  'cost.calls': s('calls (SFU and TURN hosts)', '#393b79'),
  'cost.database': s('database host or managed PostgreSQL', '#9467bd'),
  'cost.blockStorage': s('block storage', '#17becf'),
  'cost.objectStorage': s('object storage (media)', '#9edae5'),
  'cost.backups': s('backups', '#c5b0d5'),
  'cost.egress': s('internet egress', '#ff7f0e'),
  'cost.labour': s('labour (operations)', '#2ca02c'),
  'cost.setup': s('setup (once, month 1)', '#98df8a'),
  'cost.low': s('input at its low value', '#6baed6'),
  'cost.high': s('input at its high value', '#e6550d'),
};

/**
 * Server model: one colour per process kind (src/server/server.ts), for the
 * memory and utilisation bars; PostgreSQL in grey-blue. In the CPU chart the
 * kinds are facets, so its lines have colours of their own: busy cores dark,
 * offered demand light, capacity near-black.
 */
const SERVER: Record<string, SeriesStyle> = {
  'process.main': s('main process', '#1f77b4'),
  'process.sync': s('sync workers', '#17becf'),
  'process.generic': s('client-request workers', '#2ca02c'),
  'process.eventPersister': s('event persisters', '#8c564b'),
  'process.federationSender': s('federation senders', '#ff7f0e'),
  'process.federationReader': s('federation readers', '#ffbb78'),
  'process.mediaRepository': s('media repository', '#98df8a'),
  'process.pusher': s('pushers', '#e377c2'),
  'process.server': s('server process', '#1f77b4'),
  'process.postgres': s('PostgreSQL', '#9467bd'),
  'cpu.busy': s('cores busy', '#1f77b4'),
  'cpu.offered': s('cores demanded (offered)', '#fdae6b'),
  'cpu.capacity': s('capacity (cores)', '#222222'),
  'utilization.ok': s('within the ceiling', '#4c78a8'),
  'utilization.over': s('above the ceiling', '#d62728'),
  'latency.local_send': s('local send', '#1f77b4'),
  'latency.federation_delivery': s('federation delivery', '#ff7f0e'),
};

/** The fit report of `mxsim calibrate`: what the metrics show in near-black, the fit in blue, mxsim's shipped costs in orange. */
const FIT: Record<string, SeriesStyle> = {
  'fit.observed': s('observed', '#222222'),
  'fit.fitted': s('fitted', '#1f77b4'),
  'fit.shipped': s('shipped costs', '#ff7f0e'),
  'fit.residual': s('residual (observed - fitted)', '#9467bd'),
};

/** Self-hosting in the cumulative chart: the darkest line. */
export const SELF_HOST_COLOR = '#08306b';

/** SaaS plans in the cumulative chart, cheapest first (Tableau 20 without the blues of self-hosting). */
const SAAS_COLORS: readonly [string, ...string[]] = [
  '#d62728',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#ff9896',
  '#ffbb78',
  '#98df8a',
  '#c5b0d5',
  '#c49c94',
  '#f7b6d2',
  '#dbdb8d',
];

/** Colour of the i-th SaaS plan (cheapest first); repeats after 16. */
export const saasColor = (i: number): string => cycle(SAAS_COLORS, i);

const PALETTE: Readonly<Record<string, SeriesStyle>> = {
  ...EVENTS,
  ...FEDERATION,
  ...BANDWIDTH,
  ...ACTIVITY,
  ...COST,
  ...SERVER,
  ...FIT,
  ...Object.fromEntries(STORAGE_CATEGORIES.map((c) => [`storage.${c}`, STORAGE[c]])),
};

/** Label and colour of a series; unknown ids get their id as label and the fallback grey. */
export function seriesStyle(id: string): SeriesStyle {
  return PALETTE[id] ?? { label: id, color: FALLBACK_COLOR };
}

export const seriesLabel = (id: string): string => seriesStyle(id).label;
export const seriesColor = (id: string): string => seriesStyle(id).color;

/** Every series id the palette knows, for tests. */
export const PALETTE_IDS: readonly string[] = Object.keys(PALETTE);

/**
 * A Vega-Lite colour scale for these series, in this order: the domain is
 * their labels (what the legend shows), the range their colours.
 */
export function colorScale(ids: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: ids.map(seriesLabel), range: ids.map(seriesColor) };
}
