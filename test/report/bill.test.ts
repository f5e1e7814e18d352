/**
 * The report's Deployment section: the bill of materials as a table with its
 * totals and as data/components.csv, the deployment diagram's layout and
 * chart, and the headline's calls item. A hand-written bill (the shape of
 * src/analysis/bill.ts `BillComponent`) and a small fabricated summary, so
 * the test runs in-process and fast; one tiny run for the headline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { CallsSummary } from '../../src/analysis/calls-summary.js';
import type { RunSummary } from '../../src/cost/run.js';
import { billComponents, billTable, billTotals, componentsCsv, type BillRow } from '../../src/report/bill-section.js';
import { deploymentChart, deploymentLayout, type DeploymentLayout, type DiagramBox } from '../../src/report/deployment-chart.js';
import { callsHeadline, headline } from '../../src/report/figures.js';
import { renderSvg } from '../../src/report/vega.js';
import { runFixture, small } from './fixtures.js';

/** Every kind of src/analysis/bill.ts, in the bill's order (homeserver processes, PostgreSQL, media, SFU, then the components). */
const BILL: BillRow[] = [
  { name: 'synapse main', kind: 'homeserver', count: 1, cores: 0.5, ramGiB: 0.25, diskGiB: 0, bandwidthMbps: 0 },
  { name: 'synapse sync', kind: 'homeserver', count: 4, cores: 1.25, ramGiB: 0.5, diskGiB: 0, bandwidthMbps: 0 },
  { name: 'synapse mediaRepository', kind: 'homeserver', count: 2, cores: 0.75, ramGiB: 1, diskGiB: 0, bandwidthMbps: 0 },
  { name: 'PostgreSQL', kind: 'database', count: 1, cores: 3, ramGiB: 16, diskGiB: 300, bandwidthMbps: 0 },
  { name: 'media store', kind: 'mediaStore', count: 1, cores: 0, ramGiB: 0, diskGiB: 700, bandwidthMbps: 0 },
  { name: 'LiveKit SFU', kind: 'sfu', count: 3, cores: 10, ramGiB: 2, diskGiB: 0, bandwidthMbps: 500 },
  { name: 'Matrix Authentication Service', kind: 'authService', count: 1, cores: 0.1, ramGiB: 0.25, diskGiB: 0, bandwidthMbps: 0 },
  { name: 'Matrix Authentication Service database', kind: 'componentDatabase', count: 1, cores: 0.05, ramGiB: 0.25, diskGiB: 1, bandwidthMbps: 0 },
  { name: 'Sygnal', kind: 'pushGateway', count: 1, cores: 0.1, ramGiB: 0.125, diskGiB: 0, bandwidthMbps: 2 },
  { name: 'content scanner', kind: 'contentScanner', count: 2, cores: 0.5, ramGiB: 1, diskGiB: 0, bandwidthMbps: 0 },
  { name: 'policy server', kind: 'policyServer', count: 1, cores: 0.1, ramGiB: 0.25, diskGiB: 0, bandwidthMbps: 1 },
  { name: 'policy server database', kind: 'componentDatabase', count: 1, cores: 0.05, ramGiB: 0.25, diskGiB: 2, bandwidthMbps: 0 },
  { name: 'Draupnir', kind: 'moderationBot', count: 1, cores: 0.1, ramGiB: 0.25, diskGiB: 0, bandwidthMbps: 0 },
  { name: 'Reverse proxy', kind: 'reverseProxy', count: 1, cores: 0.25, ramGiB: 0.25, diskGiB: 0, bandwidthMbps: 40 },
  { name: 'TURN relay', kind: 'turn', count: 1, cores: 0.5, ramGiB: 0.125, diskGiB: 0, bandwidthMbps: 100 },
];

const summaryOf = (components: unknown, extra: object = {}) =>
  ({ recommendation: { horizonUsers: 4000, components }, world: { users: 2000, remoteServers: 5 }, ...extra }) as unknown as RunSummary;

test('the Deployment table: a row per component, each figure per instance and times its count, totals the hand sums', () => {
  const small3 = BILL.filter((r) => ['synapse sync', 'PostgreSQL', 'Reverse proxy'].includes(r.name));
  const table = billTable(summaryOf(small3))!;
  assert.deepEqual(table.columns, [
    'component',
    'instances',
    'cores each',
    'RAM each (GiB)',
    'disk each (GiB)',
    'bandwidth each (Mbit/s)',
    'cores',
    'RAM (GiB)',
    'disk (GiB)',
    'bandwidth (Mbit/s)',
  ]);
  // By hand: sync 4 x (1.25 cores, 0.5 GiB) = 5 cores, 2 GiB; PostgreSQL 3 cores, 16 GiB, 300 GiB; proxy 0.25 cores, 0.25 GiB, 40 Mbit/s.
  assert.deepEqual(table.rows[0], ['synapse sync', '4', '1.25', '0.5', '0', '0', '5', '2', '0', '0']);
  assert.deepEqual(table.rows.at(-1), ['total', '6', '–', '–', '–', '–', '8.25', '18.3', '300', '40']);
  assert.deepEqual(billTotals(small3), { instances: 6, cores: 8.25, ramGiB: 18.25, diskGiB: 300, bandwidthMbps: 40 });
  // The whole bill: bandwidth only where a component meets the internet (SFU 3 x 500, push 2, policy 1, proxy 40, TURN 100).
  const all = billTotals(BILL);
  assert.equal(all.bandwidthMbps, 1500 + 2 + 1 + 40 + 100);
  assert.equal(all.instances, 22);
  assert.equal(all.diskGiB, 300 + 700 + 1 + 2);
  assert.ok(Math.abs(all.cores - (0.5 + 5 + 1.5 + 3 + 30 + 0.1 + 0.05 + 0.1 + 1 + 0.1 + 0.05 + 0.1 + 0.25 + 0.5)) < 1e-9);
  assert.match(billTable(summaryOf(BILL))!.note!, /p95 CPU over the CPU ceiling.*A bandwidth of 0 means the component talks only to others inside the deployment.*TURN/);
});

test('data/components.csv: the same rows, per instance and in all; no bill, no table and no file', () => {
  const rows = parse<Record<string, string>>(componentsCsv(summaryOf(BILL))!, { columns: true });
  assert.equal(rows.length, BILL.length);
  const sfu = rows.find((r) => r.kind === 'sfu')!;
  assert.deepEqual([sfu.name, sfu.count, sfu.cores_each, sfu.cores, sfu.bandwidth_mbps_each, sfu.bandwidth_mbps], ['LiveKit SFU', '3', '10', '30', '500', '1500']);
  // A summary of a version before the bill, or a bill of nothing.
  for (const components of [undefined, [], 'x', [{ kind: 'sfu' }]]) {
    assert.equal(billComponents(summaryOf(components)), undefined);
    assert.equal(billTable(summaryOf(components)), undefined);
    assert.equal(componentsCsv(summaryOf(components)), undefined);
  }
});

const overlap = (a: DiagramBox, b: DiagramBox) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (b: DiagramBox, x: number, y: number) => x > b.x + 0.5 && x < b.x + b.width - 0.5 && y > b.y + 0.5 && y < b.y + b.height - 0.5;

/** The layout's laws: each component once, no two boxes overlap, no link through a box, everything within the chart. */
function checkLayout(layout: DeploymentLayout, rows: readonly BillRow[]): void {
  const components = layout.boxes.filter((b) => b.component !== null).map((b) => b.component);
  assert.deepEqual(
    [...components].sort((a, b) => a! - b!),
    rows.map((_, i) => i),
    'every component exactly once',
  );
  for (const [i, a] of layout.boxes.entries()) {
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= layout.width && a.y + a.height <= layout.height, `${a.id} within the chart`);
    for (const b of layout.boxes.slice(i + 1)) assert.ok(!overlap(a, b), `${a.label} and ${b.label} overlap`);
  }
  for (const l of layout.links) {
    for (const b of layout.boxes) {
      if (b.id === l.from || b.id === l.to) continue;
      for (let k = 0; k <= 100; k++) {
        const x = l.x + ((l.x2 - l.x) * k) / 100;
        const y = l.y + ((l.y2 - l.y) * k) / 100;
        assert.ok(!inside(b, x, y), `link ${l.from}-${l.to} crosses ${b.label}`);
      }
    }
  }
}

/** The ids of the boxes linked with a component's box, by the component's name. */
function linkedTo(layout: DeploymentLayout, rows: readonly BillRow[], name: string): string[] {
  const id = `c${rows.findIndex((r) => r.name === name)}`;
  const label = (bid: string) => (/^c\d+$/.test(bid) ? rows[Number(bid.slice(1))]!.name : bid);
  return layout.links.flatMap((l) => (l.from === id ? [label(l.to)] : l.to === id ? [label(l.from)] : [])).sort();
}

test('the diagram: each component once, no overlap, no link through a box, each component linked to what it serves', () => {
  const layout = deploymentLayout(BILL, { users: 4000, remoteServers: 5 });
  checkLayout(layout, BILL);
  const linked = (name: string) => linkedTo(layout, BILL, name);
  // What each non-homeserver component serves, or is served by (file header of src/report/deployment-chart.ts).
  assert.deepEqual(linked('Reverse proxy'), ['clients', 'remote', 'synapse main', 'synapse mediaRepository', 'synapse sync']);
  assert.deepEqual(linked('PostgreSQL'), ['synapse main', 'synapse mediaRepository', 'synapse sync']);
  assert.deepEqual(linked('media store'), ['synapse mediaRepository']);
  assert.deepEqual(linked('LiveKit SFU'), ['TURN relay', 'clients']);
  assert.deepEqual(linked('TURN relay'), ['LiveKit SFU', 'clients']);
  for (const service of ['Sygnal', 'content scanner', 'Draupnir']) assert.deepEqual(linked(service), ['synapse main'], service);
  assert.deepEqual(linked('Matrix Authentication Service'), ['Matrix Authentication Service database', 'synapse main']);
  assert.deepEqual(linked('policy server database'), ['policy server']);
  // Left to right by tier: internet, entry and calls, homeserver, storage and services, their databases.
  const x = (name: string) => layout.boxes.find((b) => b.component === BILL.findIndex((r) => r.name === name))!.x;
  const column = ['Reverse proxy', 'synapse sync', 'PostgreSQL', 'policy server database'].map(x);
  assert.ok(layout.boxes.find((b) => b.id === 'clients')!.x < column[0]!);
  for (let k = 1; k < column.length; k++) assert.ok(column[k - 1]! < column[k]!);
  assert.equal(x('LiveKit SFU'), x('Reverse proxy'));
  assert.deepEqual(
    layout.headers.map((h) => h.text),
    ['internet', 'entry and calls', 'homeserver', 'storage and services', 'their databases'],
  );
  // Labels: instances and each instance's figures.
  // A process kind in words (palette.ts), without the implementation.
  const sync = layout.boxes.find((b) => b.label.startsWith('sync workers'))!;
  assert.equal(sync.label, 'sync workers × 4');
  assert.equal(layout.boxes.find((b) => b.component === 2)!.label, 'media repository × 2');
  assert.deepEqual(sync.detail, ['1.25 cores, 0.5 GiB each']);
  assert.deepEqual(layout.boxes.find((b) => b.label === 'media store')!.detail, ['700 GiB disk']);
});

test('the diagram without a reverse proxy or federation: the internet goes to main, past an empty row of calls', () => {
  const rows = BILL.filter((r) => r.kind !== 'reverseProxy');
  const layout = deploymentLayout(rows, { users: 50, remoteServers: 0 });
  checkLayout(layout, rows);
  assert.equal(
    layout.boxes.find((b) => b.id === 'remote'),
    undefined,
  );
  assert.deepEqual(linkedTo(layout, rows, 'synapse main').slice(0, 1), ['Draupnir']);
  assert.ok(layout.links.some((l) => l.from === 'clients' && l.to === `c${rows.findIndex((r) => r.name === 'synapse main')}`));
  // The smallest bill: one process, PostgreSQL, media.
  const least = BILL.filter((r) => ['synapse main', 'PostgreSQL', 'media store'].includes(r.name));
  const l = deploymentLayout(least, { users: 50, remoteServers: 1 });
  checkLayout(l, least);
  assert.deepEqual(
    l.headers.map((h) => h.text),
    ['internet', 'homeserver', 'storage'],
  );
});

test('the deployment chart renders with Vega-Lite, its CSV holding the boxes and links', async () => {
  const chart = deploymentChart({ run: { summary: summaryOf(BILL) } as never, scenario: {} as never })!;
  assert.equal(chart.csv.path, 'data/deployment.csv');
  const csv = parse<Record<string, string>>(chart.csv.content!, { columns: true });
  const layout = deploymentLayout(BILL, { users: 4000, remoteServers: 5 });
  assert.equal(csv.filter((r) => r.element === 'box').length, layout.boxes.length);
  assert.equal(csv.filter((r) => r.element === 'link').length, layout.links.length);
  const { svg, warnings } = await renderSvg(chart.spec, chart.name);
  assert.deepEqual(warnings, []);
  for (const text of ['Deployment', 'sync workers × 4', 'LiveKit SFU × 3', '22 instances']) assert.ok(svg.includes(text), text);
  assert.equal(deploymentChart({ run: { summary: summaryOf(undefined) } as never, scenario: {} as never }), null);
});

test('the headline has a calls item with calls on (SFU nodes and egress at p95), and none with calls off', () => {
  const fx = runFixture(small);
  const off = headline(fx.run);
  assert.equal(fx.run.summary.traffic.calls, undefined, 'the fixture has no calls');
  // The headline of before the bill (figures.ts), with calls off.
  assert.deepEqual(
    off.map((h) => h.label),
    [
      'users',
      'messages sent per day',
      'users online at the peak',
      'client traffic per day',
      'federation traffic per day',
      'media traffic per day',
      'storage added per day',
      'storage after 12 months',
    ],
  );
  assert.doesNotMatch(off.find((h) => h.label === 'client traffic per day')!.detail!, /call/);
  const stat = (mean: number) => ({ mean, ci95: [mean, mean] as [number, number] });
  const calls = {
    callsPerDay: stat(1291),
    concurrentCallsP95: stat(58.9),
    participantsP95: stat(207.7),
    sfuIngressMbpsP95: stat(357.5),
    sfuEgressMbpsP95: stat(584),
    turnShare: stat(0.104),
    sfuNodes: stat(3),
  } as unknown as CallsSummary;
  const summary = { ...fx.run.summary, traffic: { ...fx.run.summary.traffic, calls } };
  const on = headline({ ...fx.run, summary });
  const item = on.find((h) => h.label === 'calls on the SFU')!;
  assert.equal(item.value, '3 SFU nodes · 584 Mbit/s out at p95');
  assert.equal(item.detail, '1,291 calls per day; at p95 58.9 at once with 208 participants, 358 Mbit/s in; 10.4% of the media through TURN');
  assert.deepEqual(callsHeadline(summary), [item]);
  assert.match(on.find((h) => h.label === 'client traffic per day')!.detail!, /the homeserver’s only, call media excluded/);
  assert.equal(on.length, off.length + 1);
});
