/**
 * The incidents of a timeline in the report folder, as `mxsim run` writes it:
 * data/incident-<n>.csv, the Incidents section of index.html and summary.md,
 * and the zoomed chart of each incident. A tiny federating server, one day,
 * one remote outage of 2 hours at day 1 10:00.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { TopLevelSpec } from 'vega-lite';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { RunSummary } from '../../src/cost/run.js';
import { EXIT } from '../../src/errors.js';
import { compileSpec } from '../../src/report/vega.js';
import { small } from '../cli/small-scenario.js';

const scenario = {
  ...small,
  name: 'tiny-outage',
  description: 'A tiny federating server whose partner server goes down.',
  rooms: {
    kinds: [...small.rooms.kinds, { name: 'partner', count: 3, members: { kind: 'deterministic', value: 6 }, remoteMemberShare: 0.5 }],
  },
  federation: { mode: 'open', remoteServers: 3 },
  timeline: [{ kind: 'remoteOutage', name: 'partner down', at: { day: 1, hour: 10 }, durationMinutes: 120, servers: { largest: 1 } }],
  run: { ...small.run, days: 1 },
};

const dir = mkdtempSync(join(tmpdir(), 'mxsim-incidents-test-'));
const out = join(dir, 'report');
after(() => rmSync(dir, { recursive: true, force: true }));

let code: number;
let stderr: string;
before(async () => {
  const file = join(dir, 'outage.json');
  writeFileSync(file, JSON.stringify(scenario));
  const io = memoryIo();
  code = await main(['node', 'mxsim', 'run', file, '--out', out, '--quiet', '--no-verify'], io);
  stderr = io.stderr;
});

const read = (rel: string) => readFileSync(join(out, rel), 'utf8');

test('mxsim run writes data/incident-1.csv: one row per minute of the window, with and without the incident', () => {
  assert.equal(code, EXIT.ok, stderr);
  const text = read('data/incident-1.csv');
  // Synapse as one process with PostgreSQL (the default deployment): kinds main and postgres.
  assert.equal(
    text.slice(0, text.indexOf('\n')),
    'minute,incident.cores.main,incident.cores.postgres,incident.backlog_pdus,baseline.cores.main,baseline.cores.postgres,baseline.backlog_pdus',
  );
  const rows = parse<Record<string, string>>(text, { columns: true });
  // The window (docs/OUTPUT.md, `incidents`): 30 min before the start, the 120 min of the outage, 4 h after the end.
  assert.equal(rows.length, 30 + 120 + 240);
  assert.deepEqual(
    rows.map((r) => Number(r['minute'])),
    Array.from({ length: 390 }, (_, k) => k - 30),
  );
  const summary = JSON.parse(read('summary.json')) as RunSummary;
  const incident = summary.incidents[0]!;
  assert.equal((incident.windowEndSeconds - incident.windowStartSeconds) / 60, rows.length);
  // The runs with and without the incident are identical until it starts (same seed: src/analysis/replicate.ts).
  for (const r of rows.filter((x) => Number(x['minute']) < 0)) {
    for (const c of ['cores.main', 'cores.postgres', 'backlog_pdus']) assert.equal(r[`incident.${c}`], r[`baseline.${c}`], `minute ${r['minute']}: ${c}`);
  }
  // The outage queues PDUs for the server taken down; without it, the queue never grows past what one step sends.
  const during = rows.filter((x) => Number(x['minute']) >= 0 && Number(x['minute']) < 120);
  assert.ok(Math.max(...during.map((r) => Number(r['incident.backlog_pdus']))) > Math.max(...during.map((r) => Number(r['baseline.backlog_pdus']))));
});

test('index.html and summary.md have the Incidents section, with the incident by name', () => {
  const html = read('index.html');
  assert.ok(html.includes('<a href="#incidents">Incidents</a>'));
  assert.ok(html.includes('<section id="incidents" data-slot="incidents">\n<h2>Incidents</h2>'));
  assert.ok(html.includes('<h3 id="incident-1">Incident 1: partner down</h3>'));
  assert.ok(html.includes('<h3 id="table-incident-1">partner down: with the incident and without it</h3>'));
  assert.ok(html.includes('<th scope="row">latency target held</th>'));
  // The zoomed chart is in the section, not among the other charts.
  const section = html.slice(html.indexOf('<section id="incidents"'), html.indexOf('<section id="charts">'));
  assert.ok(section.includes('<figure class="chart" id="chart-incident-1" data-chart="incident-1">'));
  assert.equal(html.split('id="chart-incident-1"').length, 2);

  const md = read('summary.md');
  assert.ok(md.includes('## Incidents\n'));
  assert.ok(md.includes('### Incident 1: partner down\n'));
  assert.ok(md.includes('| failed attempts |'));
  assert.ok(md.includes('![Incident 1: partner down](charts/incident-1.svg)'));
  assert.ok(md.indexOf('## Incidents') < md.indexOf('## Charts'));
});

test('the chart of the incident compiles without warnings and is drawn as SVG', () => {
  const spec = JSON.parse(read('charts/incident-1.vl.json')) as TopLevelSpec;
  const warnings: string[] = [];
  const vg = compileSpec(spec, 'incident-1', warnings);
  assert.ok(Array.isArray((vg as { marks?: unknown[] }).marks));
  assert.deepEqual(warnings, []);
  const json = JSON.stringify(spec);
  assert.ok(json.includes('"values"') && !json.includes('"url"'), 'data inline');
  assert.ok(json.includes('"type":"rect"'), "the incident's span shaded");
  const svg = read('charts/incident-1.svg');
  assert.ok(svg.startsWith('<svg'));
  assert.ok(svg.includes('>Incident 1: partner down</text>'));
});

test('docs/OUTPUT.md documents the file and its columns', () => {
  const doc = readFileSync(new URL('../../docs/OUTPUT.md', import.meta.url), 'utf8');
  assert.ok(doc.includes('`data/incident-<n>.csv`'));
  assert.ok(doc.includes('`charts/incident-<n>.*`'));
  const header = read('data/incident-1.csv').split('\n')[0]!.split(',');
  for (const c of header) {
    const generic = c.replace(/\.cores\.[a-zA-Z]+$/, '.cores.<kind>');
    assert.ok(doc.includes(`\`${generic}\``), generic);
  }
  assert.ok(existsSync(join(out, 'charts', 'incident-1.svg')));
});
