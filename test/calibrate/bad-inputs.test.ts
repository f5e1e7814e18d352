import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { syntheticQueryRange, type SyntheticOptions } from '../../src/calibrate/synthetic.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-calibrate-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SCENARIO = new URL('../../scenarios/team-50.json', import.meta.url).pathname;

/** A small window: 1 day at 15 minutes (97 samples). */
const small: SyntheticOptions = {
  start: 1_767_225_600,
  stepSeconds: 900,
  samples: 97,
  classes: { send: { cpuMs: 10, meanRate: 2 }, sync: { cpuMs: 5, meanRate: 10 } },
  idleCores: 0.05,
  noiseCores: 0.002,
  resetAt: null,
  memory: null,
  seed: 'bad',
};
type Doc = ReturnType<typeof syntheticQueryRange>;

/** Run `mxsim calibrate` on a metrics file holding `doc` (or `text`); returns the exit code, stderr and whether the output exists. */
async function calibrateOn(name: string, content: Doc | string) {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  const out = join(dir, `${name}.calibration.json`);
  const io = memoryIo();
  // The fit report is tested in fit-report.test.ts; rendering it here would only add time.
  const code = await main(['node', 'mxsim', 'calibrate', '--metrics', file, '--scenario', SCENARIO, '--out', out, '--no-report'], io);
  return { code, stderr: io.stderr, stdout: io.stdout, written: existsSync(out), file, out };
}

const edit = (f: (d: Doc) => void): Doc => {
  const d = syntheticQueryRange(small);
  f(d);
  return d;
};

describe('mxsim calibrate: bad inputs, each with its file and value, nothing written', () => {
  it('a good file is fitted and written (exit 0), and the summary names the coefficients', async () => {
    const r = await calibrateOn('good.json', syntheticQueryRange(small));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.written);
    assert.match(r.stdout, /send\s+9 -> \d/);
    const cal = JSON.parse(readFileSync(r.out, 'utf8')) as { kind: string };
    assert.equal(cal.kind, 'mxsim-calibration');
  });

  it('malformed JSON', async () => {
    const r = await calibrateOn('broken.json', '{"status": "success", "data": ');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /error\[metrics\.invalid\]/);
    assert.match(r.stderr, /broken\.json: not valid JSON/);
    assert.ok(!r.written);
  });

  it('a missing metric: which, and what was found', async () => {
    const r = await calibrateOn(
      'no-cpu.json',
      edit((d) => (d.data.result = d.data.result.filter((s) => s.metric['__name__'] !== 'process_cpu_seconds_total'))),
    );
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /required metrics missing: process_cpu_seconds_total \(found: synapse_http_server_response_count_total, synapse_storage_events_persisted_events_total\)/,
    );
    assert.ok(!r.written);
  });

  it('a negative counter (a negative rate), with the series, time and value', async () => {
    const r = await calibrateOn(
      'negative.json',
      edit((d) => (d.data.result[0]!.values[5]![1] = '-3')),
    );
    assert.equal(r.code, 3);
    assert.match(r.stderr, /negative\.json: process_cpu_seconds_total\{instance="synapse:9000",job="synapse"\}: a counter cannot be negative: -3 at 2026-01-01T01:15:00\.000Z/);
    assert.ok(!r.written);
  });

  it('a value that is not a number, with its path and the value as written', async () => {
    const r = await calibrateOn(
      'nan.json',
      edit((d) => (d.data.result[1]!.values[2]![1] = 'lots')),
    );
    assert.equal(r.code, 3);
    assert.match(r.stderr, /nan\.json: data\.result\[1\]\.values\[2\]: .*expected a finite number, got "lots"/);
  });

  it('wrong units: a CPU counter in milliseconds rises faster than any machine has cores', async () => {
    // A server busy at about half a core (100 /sync a second at 5 ms), its CPU counter in ms: ~500 "cores".
    const d = syntheticQueryRange({ ...small, classes: { send: { cpuMs: 10, meanRate: 2 }, sync: { cpuMs: 5, meanRate: 100 } } });
    d.data.result[0]!.values.forEach((p) => (p[1] = String(Number(p[1]) * 1000)));
    const r = await calibrateOn('millis.json', d);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /millis\.json: process_cpu_seconds_total.*more than 256 cores: wrong units \(milliseconds rather than seconds\?\)/);
    assert.ok(!r.written);
  });

  it('a gap: where', async () => {
    // Samples 10 to 12 dropped from every series: no sample between 02:15 and 03:15.
    const r = await calibrateOn(
      'gap.json',
      edit((d) => d.data.result.forEach((s) => s.values.splice(10, 3))),
    );
    assert.equal(r.code, 3);
    assert.match(r.stderr, /gap\.json: process_cpu_seconds_total.*a gap: no sample between 2026-01-01T02:15:00\.000Z and 2026-01-01T03:15:00\.000Z \(the step is 900 s\)/);
    assert.ok(!r.written);
  });

  it('a window with no traffic', async () => {
    const r = await calibrateOn('idle.json', syntheticQueryRange({ ...small, classes: { send: { cpuMs: 10, meanRate: 0 }, sync: { cpuMs: 5, meanRate: 0 } } }));
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no traffic in the window 2026-01-01T00:00:00\.000Z to 2026-01-02T00:00:00\.000Z/);
    assert.ok(!r.written);
  });

  it('timestamps out of order', async () => {
    const r = await calibrateOn(
      'order.json',
      edit((d) => d.data.result[0]!.values.reverse()),
    );
    assert.equal(r.code, 3);
    assert.match(r.stderr, /order\.json: process_cpu_seconds_total.*timestamps out of order/);
  });

  it('the text exposition format without timestamps, with file:line', async () => {
    const r = await calibrateOn('scrape.prom', '# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total{job="synapse"} 12.5\n');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /scrape\.prom:2: process_cpu_seconds_total: the sample has no timestamp/);
  });

  it('the text exposition format with timestamps reads as the JSON does', async () => {
    const d = syntheticQueryRange(small);
    const text = d.data.result
      .flatMap((s) => {
        const { __name__, ...labels } = s.metric;
        const l = Object.entries(labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(',');
        return s.values.map(([t, v]) => `${__name__}{${l}} ${v} ${t * 1000}`);
      })
      .join('\n');
    const json = await calibrateOn('same.json', d);
    const prom = await calibrateOn('same.prom', text);
    assert.equal(prom.code, 0, prom.stderr);
    const a = JSON.parse(readFileSync(json.out, 'utf8')) as { cpu: unknown; sources: unknown };
    const b = JSON.parse(readFileSync(prom.out, 'utf8')) as { cpu: unknown; sources: unknown };
    assert.deepEqual(b.cpu, a.cpu);
  });

  it('mxsim run --calibration with a file that is not a calibration: exit 3, every problem with its path', async () => {
    const bad = join(dir, 'not-a-calibration.json');
    writeFileSync(bad, JSON.stringify({ kind: 'mxsim-calibration', version: 1 }));
    const io = memoryIo();
    const code = await main(['node', 'mxsim', 'run', SCENARIO, '--calibration', bad, '--out', join(dir, 'report'), '--quiet'], io);
    assert.equal(code, 3);
    assert.match(io.stderr, /error\[calibration\.invalid\]: .*not-a-calibration\.json: not a calibration file/);
    assert.match(io.stderr, /mxsimVersion:/);
    assert.ok(!existsSync(join(dir, 'report')));
  });
});
