/**
 * The chart of the "What leaves your server" section: per remote server (the
 * busiest first, then "others"), what leaves for it per day, stacked by kind,
 * in items per day (media, in bytes, is in the table only). The numbers are
 * those of data/trust-boundary.csv (trust-section.ts), but for the others'
 * bar: one server's mean (the CSV's sum over its `servers`).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_WIDTH, finite, header, type Chart, type ChartContext } from './chart-spec.js';
import { seriesColor } from './palette.js';
import { TRUST_CSV_PATH, TRUST_KINDS, trustBoundaryOf } from './trust-section.js';

/** File stem of the chart. */
export const TRUST_CHART_NAME = 'trust-boundary';

/** A colour per kind: that of the same events elsewhere in the report (palette.ts). */
const KIND_COLORS: Record<(typeof TRUST_KINDS)[number][0], string> = {
  plaintextEventsPerDay: seriesColor('m.room.message'),
  encryptedEventsPerDay: seriesColor('m.room.encrypted'),
  stateEventsPerDay: seriesColor('m.room.member'),
  presenceUpdatesPerDay: seriesColor('m.presence'),
  typingPerDay: seriesColor('m.typing'),
  receiptsPerDay: seriesColor('m.receipt'),
  deviceListUpdatesPerDay: seriesColor('m.device_list_update'),
  toDeviceMessagesPerDay: seriesColor('m.room_key'),
};

/** The stacked bars by remote server and kind, or null when nothing leaves (no federation). */
export function trustChart({ run }: ChartContext): Chart | null {
  const t = trustBoundaryOf(run.summary);
  if (!t) return null;
  // The others' row is drawn per server (their sum would dwarf every named server's bar).
  const label = (d: (typeof t.destinations)[number]) => (d.servers > 1 ? `${d.server}, each` : d.server);
  const servers = t.destinations.map(label);
  const rows = t.destinations.flatMap((d) => TRUST_KINDS.map(([k, kind], rank) => ({ server: label(d), kind, rank, value: finite(d[k] / d.servers) })));
  const title = 'What leaves your server';
  const description =
    'Per remote server, the busiest first, what this server sends it per day, stacked by kind: readable and encrypted events, state events, presence, typing, read receipts, device-list updates and to-device messages; mean over the replications. The last bar is the mean of one of the other servers (the CSV has their sum: divide by its servers column).';
  return {
    name: TRUST_CHART_NAME,
    title,
    description,
    csv: { path: TRUST_CSV_PATH },
    spec: {
      ...header(title, ['items per day sent to each remote server, by kind', 'the last bar: one of the other servers, on average; media fetched is in the table'], description),
      width: CHART_WIDTH,
      height: Math.max(120, 16 * servers.length),
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'server', type: 'nominal', title: 'remote server', sort: servers, axis: { labelLimit: 260 } },
        x: { field: 'value', type: 'quantitative', title: 'items per day', stack: 'zero' },
        color: {
          field: 'kind',
          type: 'nominal',
          title: null,
          scale: { domain: TRUST_KINDS.map(([, l]) => l), range: TRUST_KINDS.map(([k]) => KIND_COLORS[k]) },
          legend: { orient: 'top', columns: 4 },
        },
        order: { field: 'rank', type: 'quantitative' },
        tooltip: [
          { field: 'server', type: 'nominal' },
          { field: 'kind', type: 'nominal' },
          { field: 'value', type: 'quantitative', title: 'per day' },
        ],
      },
      config: CHART_CONFIG,
    } as unknown as TopLevelSpec,
  };
}
