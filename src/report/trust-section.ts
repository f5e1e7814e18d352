/**
 * The "What leaves your server" section of the report pages, as plain text:
 * summary.json `trustBoundary` (src/analysis/trust-boundary.ts) as a table
 * by remote server and kind, the levers' table (what each policy would leave
 * leaving), and the same rows as `data/trust-boundary.csv`. Read
 * defensively: a summary of an earlier version has no trust boundary, and a
 * run that does not federate has no destination; then there is no section.
 */
import type { TrustBoundarySummary, TrustFigures, TrustLever, TrustLeverResult } from '../analysis/trust-boundary.js';
import type { RunSummary } from '../cost/run.js';
import { formatBytes, formatCount } from '../format/index.js';
import { toCsv } from './csv.js';
import type { Table } from './table.js';

/** Where the table is written as CSV (files.ts). */
export const TRUST_CSV_PATH = 'data/trust-boundary.csv';

/** The kinds of the table and the chart, in their order: field, column heading, CSV column. */
export const TRUST_KINDS = [
  ['plaintextEventsPerDay', 'readable events', 'plaintext_events_per_day'],
  ['encryptedEventsPerDay', 'encrypted events', 'encrypted_events_per_day'],
  ['stateEventsPerDay', 'state events', 'state_events_per_day'],
  ['presenceUpdatesPerDay', 'presence updates', 'presence_updates_per_day'],
  ['typingPerDay', 'typing', 'typing_per_day'],
  ['receiptsPerDay', 'read receipts', 'receipts_per_day'],
  ['deviceListUpdatesPerDay', 'device-list updates', 'device_list_updates_per_day'],
  ['toDeviceMessagesPerDay', 'to-device messages', 'to_device_messages_per_day'],
] as const satisfies readonly (readonly [keyof TrustFigures, string, string])[];

/** What each lever is, as the levers' table names it. */
const LEVER_NAMES: Record<TrustLever, string> = {
  closedFederation: 'closed federation',
  allowList: 'allow-list of the top partners',
  encryptionByDefault: 'encryption by default',
  presenceOff: 'presence off',
  privateReadReceipts: 'private read receipts',
};

/** The trust boundary of a summary, or undefined when there is nothing leaving (no federation, or an earlier summary). */
export function trustBoundaryOf(summary: RunSummary): TrustBoundarySummary | undefined {
  const t = (summary as { trustBoundary?: TrustBoundarySummary }).trustBoundary;
  return t && Array.isArray(t.destinations) && t.destinations.length > 0 ? t : undefined;
}

const n = (x: number): string => formatCount(Math.round(x));

function figureCells(f: TrustFigures): string[] {
  return [n(f.localUsersVisible), ...TRUST_KINDS.map(([k]) => n(f[k])), formatBytes(f.mediaBytesPerDay)];
}

const COLUMNS = ['remote server', 'local users visible', ...TRUST_KINDS.map(([, h]) => `${h} /day`), 'media fetched /day'];

/** The table by remote server (the busiest first, the rest in one row, the total last), or undefined. */
export function trustTable(summary: RunSummary): Table | undefined {
  const t = trustBoundaryOf(summary);
  if (!t) return undefined;
  return {
    id: 'trust-boundary',
    title: 'What leaves your server, per remote server and day',
    note:
      'Means over the replications, per day. Local users visible: distinct local users sharing at least one room with that server. Readable events: messages, media messages and reactions in unencrypted rooms, ' +
      'whose content the server can read; encrypted events show their sender, room, time and size only. State events carry memberships and profile changes; read receipts say who read what and when; ' +
      "device-list updates tell how many devices each user has. Media: bytes the server fetches from this one for its users. Not counted: the transactions' timing and IP addresses, and media of remote users fetched from us.",
    columns: COLUMNS,
    rows: [...t.destinations.map((d) => [d.server, ...figureCells(d)]), ['total', ...figureCells(t.totals)]],
  };
}

function leverRow(l: TrustLeverResult, totals: TrustFigures): string[] {
  const name = l.lever === 'allowList' ? `${LEVER_NAMES[l.lever]} (${l.servers})` : LEVER_NAMES[l.lever];
  if (!l.totals) return [name, 'not simulated (run.trustBoundaryLevers)', ...COLUMNS.slice(1).map(() => '–')];
  const how = l.method === 'resimulated' ? 're-simulated (one replication)' : 'from the counters';
  const cell = (x: number, base: number, fmt: (v: number) => string) =>
    base > 0 ? `${fmt(x)} (${x <= base ? '−' : '+'}${Math.round((Math.abs(base - x) / base) * 100)}%)` : fmt(x);
  return [
    name,
    how,
    cell(l.totals.localUsersVisible, totals.localUsersVisible, n),
    ...TRUST_KINDS.map(([k]) => cell(l.totals![k], totals[k], n)),
    cell(l.totals.mediaBytesPerDay, totals.mediaBytesPerDay, formatBytes),
  ];
}

/** The levers' table: the totals with each lever set, and the change from the run's totals. */
export function trustLeversTable(summary: RunSummary): Table | undefined {
  const t = trustBoundaryOf(summary);
  if (!t || t.levers.length === 0) return undefined;
  return {
    id: 'trust-levers',
    title: 'What each lever would change (totals per day)',
    note:
      'Closed federation, the allow-list (the most popular partners only), presence off and private read receipts are computed from the counters: exactly what stops leaving. ' +
      'Encryption by default (every room this server creates encrypted) is re-simulated on one replication when run.trustBoundaryLevers is set: its other figures move with the random draws too.',
    columns: ['lever', 'computed', ...COLUMNS.slice(1)],
    rows: [['as run', '–', ...figureCells(t.totals)], ...t.levers.map((l) => leverRow(l, t.totals))],
  };
}

/** `data/trust-boundary.csv`: one row per remote server (and "others"), the total, then each lever's totals; undefined without a trust boundary. */
export function trustCsv(summary: RunSummary): string | undefined {
  const t = trustBoundaryOf(summary);
  if (!t) return undefined;
  const cells = (f: TrustFigures) => [f.localUsersVisible, ...TRUST_KINDS.map(([k]) => f[k]), f.mediaBytesPerDay, f.pdusPerDay];
  return toCsv(
    ['row', 'server', 'servers', 'local_users_visible', ...TRUST_KINDS.map(([, , c]) => c), 'media_bytes_per_day', 'pdus_per_day'],
    [
      ...t.destinations.map((d) => ['destination', d.server, d.servers, ...cells(d)]),
      ['total', 'all', t.destinations.reduce((s, d) => s + d.servers, 0), ...cells(t.totals)],
      ...t.levers.map((l) => [`lever:${l.lever}`, l.lever === 'allowList' ? `top ${l.servers}` : '', null, ...(l.totals ? cells(l.totals) : cells(t.totals).map(() => null))]),
    ],
  );
}
