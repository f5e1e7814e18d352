/**
 * `--output table|json|csv|markdown` and `--strict` (src/cli/output.ts,
 * run-output.ts, and their wiring in run, compare, cost, queue, validate),
 * and colour only on a terminal (src/cli/colour.ts). One tiny run folder
 * (test/fixtures/run-folder.ts, about half a second) serves the run, compare
 * and cost cases; one in-process `mxsim run` (unverified, a few seconds)
 * checks the whole path of --output json with --strict.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { colourEnabled, paint } from '../../src/cli/colour.js';
import { comparisonTable } from '../../src/cli/compare.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { markdownTable, renderTable } from '../../src/cli/output.js';
import { headline } from '../../src/cli/run.js';
import { missedTargets, runDocument, runTable, type RunDocument } from '../../src/cli/run-output.js';
import type { ReportRun, RunSummary } from '../../src/cost/run.js';
import { EXIT } from '../../src/errors.js';
import type { Comparison } from '../../src/report/comparison.js';
import { writeTinyRunFolder } from '../fixtures/run-folder.js';
import { small } from './small-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-output-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, ...io };
};

const ESC = '\u001b[';

describe('colour', () => {
  test('only on a terminal; NO_COLOR (any non-empty value) wins; FORCE_COLOR forces it (no-color.org, force-color.org)', () => {
    assert.equal(colourEnabled({ isTTY: true, env: {} }), true);
    assert.equal(colourEnabled({ isTTY: false, env: {} }), false);
    assert.equal(colourEnabled({ isTTY: true, env: { NO_COLOR: '1' } }), false);
    assert.equal(colourEnabled({ isTTY: true, env: { NO_COLOR: 'false' } }), false, 'any non-empty value turns colour off');
    assert.equal(colourEnabled({ isTTY: true, env: { NO_COLOR: '' } }), true, 'an empty NO_COLOR is as if unset');
    assert.equal(colourEnabled({ isTTY: false, env: { FORCE_COLOR: '1' } }), true);
    assert.equal(colourEnabled({ isTTY: true, env: { FORCE_COLOR: '0' } }), false);
    assert.equal(colourEnabled({ isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }), false);
    assert.equal(paint('x', 'fail', true), `${ESC}31mx${ESC}39m`);
    assert.equal(paint('x', 'fail', false), 'x');
  });

  test('errors on stderr are red only when stderr takes colour', async () => {
    const plain = memoryIo();
    assert.equal(await main(['node', 'mxsim', 'run'], plain), EXIT.usage);
    assert.ok(!plain.stderr.includes(ESC), plain.stderr);
    const tty = memoryIo({ errColour: true });
    assert.equal(await main(['node', 'mxsim', 'run'], tty), EXIT.usage);
    assert.ok(tty.stderr.startsWith(`${ESC}31mmxsim: error[usage]:${ESC}39m`), tty.stderr);
  });
});

describe('tables', () => {
  test('CSV goes through the formula-neutral writer; Markdown escapes pipes and right-aligns numbers', () => {
    const t = {
      header: ['name', 'n'],
      rows: [
        ['=cmd|x', 1.5],
        ['a\nb', null],
      ],
    };
    assert.equal(renderTable(t, 'csv'), 'name,n\n\'=cmd|x,1.5\n"a\nb",\n');
    assert.equal(markdownTable(t), '| name | n |\n| --- | ---: |\n| =cmd\\|x | 1.5 |\n| a b |  |\n');
  });
});

describe('run, compare and cost on a run folder', () => {
  const folder = join(dir, 'tiny');
  const missing = join(dir, 'tiny-missing');
  let run: ReportRun;
  before(async () => {
    run = await writeTinyRunFolder(folder);
    // The same run, with the deployment as simulated missing its latency target (the verdict summary.json carries).
    cpSync(folder, missing, { recursive: true });
    const summary = JSON.parse(readFileSync(join(missing, 'summary.json'), 'utf8')) as RunSummary;
    summary.recommendation.simulatedDeploymentMeetsTargets.latency = false;
    writeFileSync(join(missing, 'summary.json'), JSON.stringify(summary));
  });

  test('the run document has the headline figures, the verdicts as the summary gives them, and the report path', () => {
    const rec = run.summary.recommendation;
    const d = runDocument(run, 'reports/tiny');
    assert.deepEqual(Object.keys(d), [
      'outputVersion',
      'mxsim',
      'scenario',
      'users',
      'seed',
      'replications',
      'simulatedDays',
      'horizonMonths',
      'recommendation',
      'targets',
      'cost',
      'report',
    ]);
    assert.equal(d.users, 20); // TINY_OVERRIDES
    assert.equal(d.recommendation.cores, rec.cores);
    assert.equal(d.targets.recommendationMeetsTargets, rec.targetsMet);
    assert.equal(d.targets.deploymentMeetsTargets, rec.simulatedDeploymentMeetsTargets.cpu && rec.simulatedDeploymentMeetsTargets.latency);
    assert.equal(d.report.html, 'reports/tiny/index.html');
    const t = runTable(d);
    assert.deepEqual(t.header, ['figure', 'value', 'unit']);
    assert.deepEqual(
      t.rows.find((r) => r[0] === 'recommendation.cores'),
      ['recommendation.cores', rec.cores, 'cores'],
    );
  });

  test('the headline colours its verdict only when asked', () => {
    const met = run.summary.recommendation.simulatedDeploymentMeetsTargets;
    assert.ok(met.cpu && met.latency, 'the tiny run meets its targets');
    assert.ok(!headline(run, 'r').includes(ESC));
    assert.ok(headline(run, 'r', true).includes(`${ESC}32mmeets${ESC}39m the targets`));
  });

  test('--strict fails on the verdict the summary carries: 5 when the recommendation cannot meet the targets, 7 when only the deployment misses', () => {
    const rec = run.summary.recommendation;
    assert.equal(missedTargets(rec), null);
    assert.equal(missedTargets({ ...rec, simulatedDeploymentMeetsTargets: { cpu: true, latency: false } }), 'deployment');
    assert.equal(missedTargets({ ...rec, targetsMet: false }), 'recommendation');
  });

  test('compare --output json|csv|markdown, and --strict', async () => {
    // Without --strict a missed target leaves the exit at 0.
    const json = await cli('compare', folder, missing, '--out', join(dir, 'cmp-json'), '--output', 'json', '--quiet');
    assert.equal(json.code, EXIT.ok, json.stderr);
    const doc = JSON.parse(json.stdout) as Comparison & { targets: { input: string; deploymentMeetsTargets: boolean }[]; report: string };
    assert.ok(doc.figures.length > 0);
    assert.deepEqual(
      doc.targets.map((t) => t.deploymentMeetsTargets),
      [true, false],
    );
    assert.equal(doc.report, `${join(dir, 'cmp-json')}/index.html`);
    assert.match(markdownTable(comparisonTable(doc)), /^\| figure \| unit \|/);

    // With --strict: the table on stdout, the report written, then exit 7.
    const csv = await cli('compare', folder, missing, '--out', join(dir, 'cmp-csv'), '--output', 'csv', '--strict', '--quiet');
    assert.equal(csv.code, EXIT.deploymentMissesTargets, csv.stderr);
    assert.match(csv.stderr, /error\[targets\.deployment\]/);
    assert.ok(existsSync(join(dir, 'cmp-csv', 'index.html')), 'the report is written before the exit');
    const rows: string[][] = parse(csv.stdout);
    assert.deepEqual(rows[0]?.slice(0, 4), ['figure', 'unit', ...doc.targets.map((t) => t.input)]);
    assert.equal(rows.length, doc.figures.length + 1);
  });

  test('cost --output csv has a header row and a row per offer; --output json is the report; --json with --output csv is refused', async () => {
    const csv = await cli('cost', folder, '--output', 'csv');
    assert.equal(csv.code, EXIT.ok, csv.stderr);
    const rows: string[][] = parse(csv.stdout);
    assert.deepEqual(rows[0], ['kind', 'offer', 'currency', 'monthly', 'perUserMonthly', 'horizonMonths', 'horizonTotal']);
    assert.ok(rows.some((r) => r[0] === 'self-hosting') && rows.some((r) => r[0] === 'saas'));
    const json = await cli('cost', folder, '--output', 'json');
    assert.equal((JSON.parse(json.stdout) as { currency: string }).currency, rows[1]?.[2]);
    assert.equal((await cli('cost', folder, '--json', '--output', 'csv')).code, EXIT.usage);
  });
});

test('validate --output json and csv: a verdict per file, problems listed', async () => {
  const good = join(dir, 'good.json');
  const bad = join(dir, 'bad.json');
  writeFileSync(
    good,
    JSON.stringify({ name: 'g', description: 'd', population: { users: 10 }, rooms: { kinds: [{ name: 'r', count: 1, members: { kind: 'deterministic', value: 2 } }] } }),
  );
  writeFileSync(bad, JSON.stringify({ name: 'b', description: 'd', population: { users: -1 }, rooms: { kinds: [] } }));
  const json = await cli('validate', good, bad, '--output', 'json');
  assert.equal(json.code, EXIT.invalidInput);
  const doc = JSON.parse(json.stdout) as { files: { file: string; valid: boolean; problems: string[] }[]; invalid: number };
  assert.equal(doc.invalid, 1);
  assert.deepEqual(
    doc.files.map((f) => [f.file, f.valid]),
    [
      [good, true],
      [bad, false],
    ],
  );
  assert.ok(doc.files[1]?.problems.some((p) => p.startsWith('population.users:')));
  const csv = await cli('validate', good, '--output', 'csv');
  assert.equal(csv.code, EXIT.ok);
  assert.deepEqual(parse(csv.stdout), [
    ['file', 'valid', 'scenario', 'problems'],
    [good, 'true', 'g', ''],
  ]);
});

test('queue --output csv: the means beside theory, with a header row', async () => {
  const r = await cli('queue', '--customers', '2000', '--replications', '2', '--output', 'csv');
  assert.equal(r.code, EXIT.ok, r.stderr);
  const rows: string[][] = parse(r.stdout);
  assert.deepEqual(rows[0], ['measure', 'simulated', 'ci95 low', 'ci95 high', 'analytic']);
  assert.equal(rows.length, 6);
  // M/M/1 at load 0.8 (the defaults exp:0.8, exp:1): utilisation 0.8 in theory.
  assert.equal(rows[5]?.[4], '0.8');
});

test('run --output json --strict: one JSON document on stdout, the report written, exit 7 when the deployment misses its latency bound', async () => {
  const file = join(dir, 'tiny.json');
  writeFileSync(file, JSON.stringify(small));
  const out = join(dir, 'run-strict');
  // A 1 ms bound on local send: the simulated deployment's p95 is some tens of ms; unverified, the recommendation is from CPU sizing alone and meets it.
  const r = await cli('run', file, '--out', out, '--output', 'json', '--strict', '--no-verify', '--replications', '1', '--quiet', '--set', 'run.server.targets.localSendMs=1');
  assert.equal(r.code, EXIT.deploymentMissesTargets, r.stderr);
  const d = JSON.parse(r.stdout) as RunDocument;
  assert.equal(d.scenario, 'tiny');
  assert.equal(d.targets.deploymentMeetsTargets, false);
  assert.equal(d.targets.localSendBoundMs, 1);
  assert.ok(d.targets.localSendMs > 1);
  assert.equal(d.report.html, `${out}/index.html`);
  assert.ok(existsSync(join(out, 'summary.json')));
  assert.match(r.stderr, /error\[targets\.deployment\]/);
});
