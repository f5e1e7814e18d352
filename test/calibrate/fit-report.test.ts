import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { calibrateWithSeries } from '../../src/calibrate/calibrate.js';
import type { Calibration, CalibrationCoefficient } from '../../src/calibrate/calibration-file.js';
import { coefficientsByMove, fitRows, hourlyMeans, TOTAL_KIND } from '../../src/calibrate/fit-report.js';
import { rSquared } from '../../src/calibrate/regression.js';
import { syntheticQueryRange, type SyntheticOptions } from '../../src/calibrate/synthetic.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fitCharts, fitReportFiles } from '../../src/report/calibration-report.js';
import { renderSvg } from '../../src/report/vega.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-fit-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SCENARIO = new URL('../../scenarios/team-50.json', import.meta.url).pathname;
const { scenario } = await loadScenarioFile(SCENARIO, []);

/** Two days at 5 minutes (576 intervals), two process kinds (fedIn on a federation reader), memory present. */
const twoDays: SyntheticOptions = {
  start: 1_767_225_600, // 2026-01-01T00:00:00Z
  stepSeconds: 300,
  samples: 577,
  classes: { send: { cpuMs: 14, meanRate: 5 }, sync: { cpuMs: 6, meanRate: 40 }, fedIn: { cpuMs: 8, meanRate: 6 } },
  idleCores: 0.05,
  noiseCores: 0.005,
  resetAt: null,
  memory: { baseBytes: 400 * 2 ** 20, bytesPerListener: 50_000, meanListeners: 200, noiseBytes: 2 * 2 ** 20 },
  jobOf: { fedIn: 'federation_reader' },
  seed: 'report',
};
/** One day at 15 minutes (96 intervals), one process: the CLI cases (as test/calibrate/bad-inputs.test.ts). */
const oneDay: SyntheticOptions = {
  ...twoDays,
  stepSeconds: 900,
  samples: 97,
  memory: null,
  jobOf: {},
  classes: { send: { cpuMs: 10, meanRate: 2 }, sync: { cpuMs: 5, meanRate: 10 } },
};

const metricsFile = (name: string, o: SyntheticOptions) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(syntheticQueryRange(o)));
  return file;
};
const fit = calibrateWithSeries([metricsFile('two-days.json', twoDays)], scenario, 'test');
const files = await fitReportFiles(fit.calibration, fit.series, 'test');

describe('the fit report: hour by hour', () => {
  it('hourly means equal a hand computation (20-minute intervals, three to a clock hour; the last hour has one)', () => {
    // Intervals start at 0, 1200, 2400 (hour 0), 3600, 4800, 6000 (hour 1), 7200 (hour 2): means (1+2+3)/3, (4+5+6)/3, 7.
    const h = hourlyMeans([1200, 2400, 3600, 4800, 6000, 7200, 8400], 1200, { x: [1, 2, 3, 4, 5, 6, 7], y: [0, 0, 3, 0, 0, 3, 1] });
    assert.deepEqual(h.startSeconds, [0, 3600, 7200]);
    assert.deepEqual(h.intervals, [3, 3, 1]);
    assert.deepEqual(h.means, { x: [2, 5, 7], y: [1, 1, 1] });
  });

  it('a step over an hour is kept: each interval is its own point', () => {
    const h = hourlyMeans([7200, 14400], 7200, { x: [1, 3] });
    assert.deepEqual(h.startSeconds, [0, 7200]);
    assert.deepEqual(h.means, { x: [1, 3] });
  });

  it('the rows: 48 hours of the total (with the shipped prediction), of each job and of memory; residual = observed - fitted', () => {
    const rows = fitRows(fit.series);
    const byKind = (k: string) => rows.filter((r) => r.kind === k);
    assert.equal(byKind(TOTAL_KIND).length, 48);
    assert.equal(byKind('synapse').length, 48);
    assert.equal(byKind('federation_reader').length, 48);
    assert.equal(byKind('memory').length, 48);
    assert.ok(byKind(TOTAL_KIND).every((r) => r.shipped !== null && r.unit === 'cores'));
    assert.ok(byKind('synapse').every((r) => r.shipped === null));
    for (const r of rows) assert.ok(Math.abs(r.residual - (r.observed - r.fitted)) < 1e-12);
    // The first hour's observed total is the mean of the first 12 intervals of the series.
    const first = fit.series.cpu.observed.slice(0, 12).reduce((s, v) => s + v, 0) / 12;
    assert.ok(Math.abs(byKind(TOTAL_KIND)[0]!.observed - first) < 1e-12);
  });
});

describe('the fit report: the numbers agree with the calibration', () => {
  const q = fit.calibration.cpu.quality;
  const r2 = (s: { observed: Float64Array; fitted: Float64Array }) =>
    rSquared(
      s.observed,
      s.observed.map((v, i) => v - s.fitted[i]!),
    );
  it("the fitted prediction's residuals give the calibration's R^2: total, per job, memory", () => {
    assert.ok(Math.abs(r2(fit.series.cpu) - q.total.rSquared) < 1e-12, `${r2(fit.series.cpu)} vs ${q.total.rSquared}`);
    for (const [kind, s] of Object.entries(fit.series.cpuByKind)) assert.ok(Math.abs(r2(s) - q.byKind[kind]!.rSquared) < 1e-12, kind);
    assert.ok(Math.abs(r2(fit.series.memory!) - fit.calibration.memory.quality!.rSquared) < 1e-12);
  });

  it('the shipped-cost prediction is the fitted idle plus shipped costs x rates: under the observed CPU, whose true costs are above the shipped send and sync', () => {
    // True send 14 ms and sync 6 ms against shipped 9 and 3.76 (docs/CALIBRATE.md), fedIn 8 against 12: the shipped prediction is lower on the whole.
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(mean(fit.series.cpu.shipped) < mean(fit.series.cpu.observed));
  });
});

describe('the fit report: the coefficients by how far they moved', () => {
  it('ordered by |log(fitted / shipped)|, kept last in their order', () => {
    const k = (name: string, shipped: number, value: number | null): CalibrationCoefficient => ({
      name,
      unit: 'ms',
      per: 'op',
      applies: [],
      shipped,
      value,
      interval: value === null ? null : [value, value],
      status: value === null ? 'kept' : 'fitted',
      reason: value === null ? 'kept' : null,
    });
    // |log| by hand: double 0.693, 0.4 -> 0.916, 1.1 -> 0.0953, 0 -> Infinity; memory 3x -> 1.099.
    const c: Calibration = {
      ...fit.calibration,
      cpu: { ...fit.calibration.cpu, coefficients: [k('keptA', 5, null), k('double', 10, 20), k('small', 10, 11), k('zero', 10, 0), k('fifth', 10, 4), k('keptB', 1, null)] },
      memory: { ...fit.calibration.memory, coefficients: [{ ...k('triple', 100, 300), unit: 'B' }] },
    };
    const moved = coefficientsByMove(c);
    assert.deepEqual(
      moved.map((m) => m.name),
      ['zero', 'triple', 'fifth', 'double', 'small', 'keptA', 'keptB'],
    );
    assert.deepEqual(
      moved.map((m) => m.ratio),
      [0, 3, 0.4, 2, 1.1, null, null],
    );
  });
});

describe('the fit report: its files', () => {
  const html = files.get('index.html')!;
  it('index.html holds every chart as inline SVG and fetches nothing', () => {
    const charts = [...files.keys()].filter((p) => p.endsWith('.svg'));
    assert.deepEqual(charts.sort(), ['charts/coefficients.svg', 'charts/cpu-by-job.svg', 'charts/cpu-total.svg', 'charts/memory.svg', 'charts/residuals.svg']);
    assert.equal(html.match(/<svg\b/g)?.length, charts.length);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    assert.doesNotMatch(html, /url\(\s*["']?(?:https?:)?\/\//i);
    assert.doesNotMatch(html, /@import/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it('every chart compiles and renders without a Vega-Lite or Vega warning', async () => {
    for (const c of fitCharts(fit.calibration, fitRows(fit.series))) assert.deepEqual((await renderSvg(c.spec, c.name)).warnings, [], c.name);
  });

  it('the coefficient table of the page is in the order that moved most first', () => {
    const order = coefficientsByMove(fit.calibration).map((k) => k.name);
    const rows = [...html.matchAll(/<tr><th scope="row">([A-Za-z]+)<\/th>/g)].map((m) => m[1]!).filter((n) => order.includes(n));
    assert.deepEqual(rows, order);
  });

  it('data/fit-series.csv: one row per hour and series, with the columns asked for', () => {
    const lines = files.get('data/fit-series.csv')!.trim().split('\n');
    assert.equal(lines[0], 'time,kind,unit,observed,fitted,shipped,residual');
    assert.equal(lines.length, 1 + 4 * 48);
    assert.match(lines[1]!, /^2026-01-01T00:00:00\.000Z,all processes,cores,[0-9.]+,[0-9.]+,[0-9.]+,/);
  });
});

describe('mxsim calibrate --report', () => {
  const small = metricsFile('one-day.json', oneDay);
  const run = async (...args: string[]) => {
    const io = memoryIo();
    const code = await main(['node', 'mxsim', 'calibrate', '--metrics', small, '--scenario', SCENARIO, ...args], io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };

  it('by default writes the report beside --out (the .json dropped, -report added), and report.md links only files that exist', async () => {
    const out = join(dir, 'my-server.calibration.json');
    const r = await run('--out', out);
    assert.equal(r.code, 0, r.stderr);
    const report = join(dir, 'my-server.calibration-report');
    assert.ok(existsSync(out));
    assert.ok(existsSync(join(report, 'index.html')));
    assert.match(r.stdout, /fit report: .*my-server\.calibration-report\/index\.html/);
    const md = readFileSync(join(report, 'report.md'), 'utf8');
    const links = [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    assert.ok(links.includes('charts/cpu-total.svg') && links.includes('data/fit-series.csv'), links.join(' '));
    for (const l of links) assert.ok(existsSync(join(report, l)), l);
  });

  it('--no-report writes the calibration file alone', async () => {
    const out = join(dir, 'alone.json');
    const r = await run('--out', out, '--no-report');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(out));
    assert.ok(!existsSync(join(dir, 'alone-report')));
    assert.doesNotMatch(r.stdout, /fit report/);
  });

  it('when the calibration file cannot be written (exit 6), neither it nor the report folder is left', async () => {
    const sub = join(dir, 'fails');
    mkdirSync(sub);
    const out = join(sub, 'x.json');
    // The temporary file's path taken by a folder: writing the calibration file fails after the report is written.
    mkdirSync(`${out}.tmp-${process.pid}`);
    const r = await run('--out', out, '--report', join(sub, 'rep'));
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /output\.unwritable/);
    assert.deepEqual(readdirSync(sub), [`x.json.tmp-${process.pid}`]);
  });
});
