import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { studentTQuantile975 } from '../../src/analysis/confidence.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliMessages } from '../../src/cli/messages.js';
import { EXIT } from '../../src/errors.js';
import type { Comparison } from '../../src/report/comparison.js';
import { estimateFromStat, estimateFromValues, welchDifference } from '../../src/report/compare-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-compare-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const small = (presence: boolean, name: string) => ({
  name,
  description: 'A tiny federating server for compare tests.',
  population: { users: 30 },
  rooms: { kinds: [{ name: 'group', count: 5, members: { kind: 'deterministic', value: 6 }, remoteMemberShare: 0.5 }] },
  federation: { mode: 'open', remoteServers: 3 },
  features: { presence },
  run: { days: 1, replications: 3, binMinutes: 60 },
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const mxsim = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, ...io };
};

describe('Welch difference of two means', () => {
  test('from two Stats matches a hand computation', () => {
    // A: mean 10, 95% CI [8, 12], n = 5  -> SE_A = 2 / t(0.975, 4)
    // B: mean 7,  95% CI [6, 8],  n = 3  -> SE_B = 1 / t(0.975, 2)
    const tA = 2.7764451051977987;
    const tB = 4.302652729911275;
    assert.ok(Math.abs(studentTQuantile975(4) - tA) < 1e-9);
    assert.ok(Math.abs(studentTQuantile975(2) - tB) < 1e-9);
    const vA = (2 / tA) ** 2; // 0.518906
    const vB = (1 / tB) ** 2; // 0.054016
    const df = (vA + vB) ** 2 / (vA ** 2 / 4 + vB ** 2 / 2); // ≈ 4.773
    const half = studentTQuantile975(df) * Math.sqrt(vA + vB);
    const d = welchDifference(estimateFromStat({ mean: 10, ci95: [8, 12] }, 5), estimateFromStat({ mean: 7, ci95: [6, 8] }, 3));
    assert.equal(d.difference, -3);
    assert.ok(Math.abs(d.df! - df) < 1e-9);
    assert.ok(Math.abs(df - 4.773) < 0.001, String(df));
    assert.ok(Math.abs(d.ci95![0] - (-3 - half)) < 1e-9);
    assert.ok(Math.abs(d.ci95![1] - (-3 + half)) < 1e-9);
    // By hand: half ≈ t(0.975, 4.77) · 0.7569 ≈ 2.61 · 0.7569 ≈ 1.98.
    assert.ok(Math.abs(half - 1.98) < 0.02, String(half));
    assert.equal(d.relative, -0.3);
  });

  test('from per-replication values agrees with the same values as a Stat', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [2, 4, 6];
    const fromValues = welchDifference(estimateFromValues(a), estimateFromValues(b));
    // mean 3, s² 2.5, n 5 -> v 0.5; mean 4, s² 4, n 3 -> v 4/3; df = (11/6)² / (0.25/4 + (16/9)/2)
    const df = (0.5 + 4 / 3) ** 2 / (0.5 ** 2 / 4 + (4 / 3) ** 2 / 2);
    assert.equal(fromValues.difference, 1);
    assert.ok(Math.abs(fromValues.df! - df) < 1e-12);
    const halfA = studentTQuantile975(4) * Math.sqrt(0.5);
    const halfB = studentTQuantile975(2) * Math.sqrt(4 / 3);
    const fromStats = welchDifference(estimateFromStat({ mean: 3, ci95: [3 - halfA, 3 + halfA] }, 5), estimateFromStat({ mean: 4, ci95: [4 - halfB, 4 + halfB] }, 3));
    assert.ok(Math.abs(fromStats.ci95![0] - fromValues.ci95![0]) < 1e-9);
    assert.ok(Math.abs(fromStats.ci95![1] - fromValues.ci95![1]) < 1e-9);
  });

  test('one replication gives no interval; no variation gives an exact difference', () => {
    assert.equal(welchDifference(estimateFromStat({ mean: 1, ci95: [1, 1] }, 1), estimateFromStat({ mean: 2, ci95: [1, 3] }, 3)).ci95, null);
    assert.deepEqual(welchDifference(estimateFromValues([2, 2, 2]), estimateFromValues([5, 5])).ci95, [3, 3]);
  });
});

describe('mxsim compare', () => {
  const on = file('presence-on.json', small(true, 'presence-on'));
  const off = file('presence-off.json', small(false, 'presence-off'));
  const out = join(dir, 'cmp');
  let result: Awaited<ReturnType<typeof mxsim>>;
  let comparison: {
    baseline: string;
    warnings: string[];
    statements: string[];
    figures: { id: string; differences: { difference: number | null; ci95: [number, number] | null }[]; values: { value: unknown }[] }[];
  };

  before(async () => {
    result = await mxsim('compare', on, off, '--out', out, '--quiet', '--json', '--png');
    comparison = JSON.parse(result.stdout) as typeof comparison;
  });

  test('writes the report folder and prints comparison.json', () => {
    assert.equal(result.code, EXIT.ok, result.stderr);
    for (const f of ['index.html', 'summary.md', 'comparison.json', 'data/compare-bandwidth-out.csv', 'data/compare-online-users.csv', 'data/compare-storage-horizon.csv']) {
      assert.ok(existsSync(join(out, f)), f);
    }
    for (const c of ['bandwidth-out', 'online-users', 'storage-horizon'])
      for (const ext of ['vl.json', 'svg', 'png']) assert.ok(existsSync(join(out, 'charts', `${c}.${ext}`)), `${c}.${ext}`);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')), comparison);
    assert.equal(comparison.baseline, 'presence-on');
    assert.deepEqual(comparison.warnings, []);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(html, /Welch/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!vega\.github|www\.w3\.org)/);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /presence-off: presence EDUs sent\/day -/);
  });

  test('turning presence off lowers presence EDUs and CPU', () => {
    const fig = (id: string) => comparison.figures.find((f) => f.id === id)!;
    const presence = fig('presenceEdusPerDay').differences[0]!;
    assert.ok(presence.difference! < 0, JSON.stringify(presence));
    assert.ok(presence.ci95 !== null && presence.ci95[0] < presence.difference! && presence.difference! < presence.ci95[1], JSON.stringify(presence));
    assert.ok(fig('federationEdusPerDay').differences[0]!.difference! < 0);
    assert.ok(fig('totalCoresMean').differences[0]!.difference! < 0);
    assert.equal(fig('users').differences[0]!.difference, 0);
    assert.ok(
      comparison.statements.some((s) => /^presence-off: total cores busy, mean -[0-9.]+ cores \(-[0-9.]+%\), 95% CI /.test(s)),
      comparison.statements.join('\n'),
    );
  });

  test('a run folder made by another mxsim version is compared with a warning', async () => {
    const runDir = join(dir, 'run-old');
    const r = await mxsim('run', on, '--out', runDir, '--quiet', '--no-verify');
    assert.equal(r.code, EXIT.ok, r.stderr);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    summary.mxsim = '0.0.1';
    writeFileSync(join(runDir, 'summary.json'), JSON.stringify(summary));
    const target = join(dir, 'cmp-versions');
    const c = await mxsim('compare', runDir, off, '--out', target, '--quiet');
    assert.equal(c.code, EXIT.ok, c.stderr);
    assert.match(c.stderr, /warning: the inputs were made by different mxsim versions \(presence-on: 0\.0\.1, presence-off: /);
    assert.match(readFileSync(join(target, 'index.html'), 'utf8'), /Not comparable as they stand[\s\S]*different mxsim versions/);
    const data = JSON.parse(readFileSync(join(target, 'comparison.json'), 'utf8')) as Comparison;
    assert.equal(data.inputs[0]?.kind, 'run');
    // Per-replication values from data/replications.csv for the run folder.
    assert.deepEqual(data.figures.find((f) => f.id === 'clientBytesOutPerDay')?.differences[0]?.basis, ['replications', 'replications']);
  });

  test('different bin sizes and days are reported', async () => {
    const other = file('coarse.json', { ...small(false, 'coarse'), run: { days: 0.5, replications: 2, binMinutes: 30 } });
    const c = await mxsim('compare', on, other, '--out', join(dir, 'cmp-bins'), '--quiet');
    assert.equal(c.code, EXIT.ok, c.stderr);
    assert.match(c.stderr, /different lengths of time/);
    assert.match(c.stderr, /different bin sizes \(presence-on: 60 min, coarse: 30 min\)/);
  });

  test('bad inputs give clear errors and write nothing', async () => {
    const before = readdirSync(dir).sort();
    const target = join(dir, 'never');
    const one = await mxsim('compare', on, '--out', target);
    assert.equal(one.code, EXIT.usage);
    assert.equal(one.stderr, cliMessages.error('usage', cliMessages.tooFewInputs(1)));
    const missing = await mxsim('compare', on, join(dir, 'nope.json'), '--out', target);
    assert.equal(missing.code, EXIT.invalidInput);
    assert.equal(missing.stderr, cliMessages.error('input.unreadable', cliMessages.inputNotFound(join(dir, 'nope.json'))));
    const emptyDir = join(dir, 'empty-run');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(emptyDir);
    const noSummary = await mxsim('compare', emptyDir, on, '--out', target);
    assert.equal(noSummary.code, EXIT.invalidInput);
    assert.equal(noSummary.stderr, cliMessages.error('run.invalid', cliMessages.notRunFolder(emptyDir, join(emptyDir, 'summary.json'))));
    const bad = file('bad.json', '{ "name": ');
    const invalid = await mxsim('compare', on, bad, '--out', target);
    assert.equal(invalid.code, EXIT.invalidInput);
    // The scenario's own error, its code kept, after a line saying a run folder would have done too.
    assert.ok(invalid.stderr.startsWith(cliMessages.error('scenario.json', cliMessages.notRunFolderNorScenario(bad))), invalid.stderr);
    assert.ok(!existsSync(target));
    assert.deepEqual(readdirSync(dir).sort(), [...before, 'bad.json', 'empty-run'].sort());
    const exists = await mxsim('compare', on, off, '--out', join(dir, 'cmp'), '--quiet');
    assert.equal(exists.code, EXIT.outputExists);
    assert.match(exists.stderr, /already exists; use --force/);
  });
});
