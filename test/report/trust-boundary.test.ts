/**
 * The report's "What leaves your server" section: the table by remote server
 * and its total, the levers' table, data/trust-boundary.csv and the stacked
 * chart, from a small fabricated summary (the shape of
 * src/analysis/trust-boundary.ts), in-process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { zeroFigures, type TrustBoundarySummary, type TrustFigures } from '../../src/analysis/trust-boundary.js';
import type { RunSummary } from '../../src/cost/run.js';
import type { ReportRun } from '../../src/cost/run.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { trustChart } from '../../src/report/trust-chart.js';
import { trustCsv, trustLeversTable, trustTable } from '../../src/report/trust-section.js';
import { renderSvg } from '../../src/report/vega.js';

const fig = (o: Partial<TrustFigures>): TrustFigures => ({ ...zeroFigures(), ...o });

/** Two named servers and the others; totals are their sums (localUsersVisible distinct: 12). */
const TRUST: TrustBoundarySummary = {
  destinations: [
    {
      server: 'clinic-a.example',
      servers: 1,
      ...fig({ localUsersVisible: 10, encryptedEventsPerDay: 300, receiptsPerDay: 900, presenceUpdatesPerDay: 50, mediaBytesPerDay: 2e6, pdusPerDay: 310 }),
    },
    { server: 'remote-2', servers: 1, ...fig({ localUsersVisible: 4, plaintextEventsPerDay: 20, encryptedEventsPerDay: 100, pdusPerDay: 125 }) },
    { server: 'others (3 servers)', servers: 3, ...fig({ localUsersVisible: 6, encryptedEventsPerDay: 10, pdusPerDay: 10 }) },
  ],
  totals: fig({
    localUsersVisible: 12,
    plaintextEventsPerDay: 20,
    encryptedEventsPerDay: 410,
    receiptsPerDay: 900,
    presenceUpdatesPerDay: 50,
    mediaBytesPerDay: 2e6,
    pdusPerDay: 445,
  }),
  levers: [
    { lever: 'closedFederation', method: 'counters', servers: 0, totals: zeroFigures() },
    { lever: 'allowList', method: 'counters', servers: 5, totals: fig({ localUsersVisible: 12, encryptedEventsPerDay: 400, pdusPerDay: 435 }) },
    { lever: 'encryptionByDefault', method: 'not run', servers: 0, totals: null },
    { lever: 'presenceOff', method: 'counters', servers: 0, totals: fig({ localUsersVisible: 12, encryptedEventsPerDay: 410, receiptsPerDay: 900 }) },
    { lever: 'privateReadReceipts', method: 'counters', servers: 0, totals: fig({ localUsersVisible: 12, encryptedEventsPerDay: 410, presenceUpdatesPerDay: 50 }) },
  ],
};

const summary = { trustBoundary: TRUST, replications: 1 } as unknown as RunSummary;

test('the table lists each server, the others and the total', () => {
  const t = trustTable(summary)!;
  assert.deepEqual(
    t.rows.map((r) => r[0]),
    ['clinic-a.example', 'remote-2', 'others (3 servers)', 'total'],
  );
  assert.equal(t.columns.length, 11); // server, users, 8 kinds, media
  assert.deepEqual(t.rows[0]!.slice(0, 3), ['clinic-a.example', '10', '0']);
  assert.equal(t.rows.at(-1)![1], '12');
});

test('no section without federation or in an earlier summary', () => {
  const closed = { trustBoundary: { destinations: [], totals: zeroFigures(), levers: [] } } as unknown as RunSummary;
  assert.equal(trustTable(closed), undefined);
  assert.equal(trustCsv(closed), undefined);
  assert.equal(trustTable({} as RunSummary), undefined);
});

test('the levers table gives each lever against the run, and says which was not simulated', () => {
  const t = trustLeversTable(summary)!;
  assert.deepEqual(
    t.rows.map((r) => r[0]),
    ['as run', 'closed federation', 'allow-list of the top partners (5)', 'encryption by default', 'presence off', 'private read receipts'],
  );
  // Receipts column: index 2 + 5 (readable, encrypted, state, presence, typing, receipts).
  const receipts = t.columns.indexOf('read receipts /day');
  assert.equal(t.rows[5]![receipts], '0 (−100%)');
  assert.match(t.rows[3]![1]!, /not simulated/);
});

test('data/trust-boundary.csv: the rows, the total and the levers', () => {
  const rows = parse<Record<string, string>>(trustCsv(summary)!, { columns: true });
  assert.deepEqual(
    rows.map((r) => r['row']),
    [
      'destination',
      'destination',
      'destination',
      'total',
      'lever:closedFederation',
      'lever:allowList',
      'lever:encryptionByDefault',
      'lever:presenceOff',
      'lever:privateReadReceipts',
    ],
  );
  assert.equal(rows[3]!['servers'], '5'); // 1 + 1 + 3
  assert.equal(rows[3]!['encrypted_events_per_day'], '410');
  assert.equal(rows[5]!['server'], 'top 5');
  assert.equal(rows[6]!['pdus_per_day'], ''); // not run
});

test('the chart stacks the kinds per server and renders', async () => {
  const c = trustChart({ run: { summary } as unknown as ReportRun, scenario: {} as Scenario })!;
  const values = (c.spec as unknown as { data: { values: { server: string; kind: string; value: number }[] } }).data.values;
  assert.equal(values.length, 3 * 8);
  assert.equal(values.find((v) => v.server === 'clinic-a.example' && v.kind === 'read receipts')!.value, 900);
  // The others' bar is one server's mean: 10 encrypted events a day over 3 servers.
  assert.equal(values.find((v) => v.server === 'others (3 servers), each' && v.kind === 'encrypted events')!.value, 3.33333);
  const { svg } = await renderSvg(c.spec, c.name);
  assert.match(svg, /<svg/);
  assert.equal(trustChart({ run: { summary: { trustBoundary: { destinations: [] } } } as unknown as ReportRun, scenario: {} as Scenario }), null);
});
