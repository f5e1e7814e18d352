/**
 * `mxsim calibrate --prometheus` end to end against a real Prometheus
 * (Debian's package, started on a free port of 127.0.0.1 with its own data
 * folder; skipped without it, failed with MXSIM_REQUIRE_PROMETHEUS=1 or
 * CI=true: ./prometheus-server.ts).
 *
 * A small exporter in this process serves a recorded synthetic Synapse
 * series (src/calibrate/synthetic.ts: known costs) in the text exposition
 * format, one path per process kind as a deployment's scrape jobs would
 * (`/metrics/synapse`, `/metrics/synapse-federation-sender`), without job or
 * instance labels, as Synapse serves them: Prometheus adds those. The
 * recording is served whole with its timestamps, in the last hour (the
 * oldest samples Prometheus's head block takes), at a 10 s step, so one
 * scrape ingests it and the test takes seconds, not days.
 *
 * Checked: the live fit recovers the true costs within its intervals; it is
 * the fit of the same series read from a file (Prometheus stores and gives
 * back the values exactly); the answers kept with --save fit again offline
 * to the same file; a window without samples and a selector Prometheus
 * refuses are clear errors that write nothing.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { calibrate } from '../../src/calibrate/calibrate.js';
import type { Calibration } from '../../src/calibrate/calibration-file.js';
import { syntheticQueryRange, type SyntheticOptions } from '../../src/calibrate/synthetic.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { SERVER_COEFFICIENTS } from '../../src/server/server-coefficients.js';
import { prometheusDecision } from './prometheus-server.js';
import { freePort } from '../fixtures/local-server.js';

const PROM = prometheusDecision(process.env);
const skip = 'skip' in PROM ? PROM.skip : false;
const SCENARIO = new URL('../../scenarios/team-50.json', import.meta.url).pathname;

const STEP_SECONDS = 10;
const SAMPLES = 241;
/** The recording's costs (ms per operation), away from the shipped ones; the federation sender does fedOut. */
const TRUE: SyntheticOptions['classes'] = {
  send: { cpuMs: 14, meanRate: 5 },
  sync: { cpuMs: 6, meanRate: 40 },
  receipt: { cpuMs: 3, meanRate: 8 },
  fedIn: { cpuMs: 8, meanRate: 6 },
  fedOut: { cpuMs: 4, meanRate: 5 },
};
// The last sample 5 minutes ago, on the step's grid; the first 45 minutes before it (Prometheus takes samples up to an hour older than its newest).
const end = Math.floor(Date.now() / 1000 / STEP_SECONDS) * STEP_SECONDS - 300;
const start = end - (SAMPLES - 1) * STEP_SECONDS;
const recording = syntheticQueryRange({
  start,
  stepSeconds: STEP_SECONDS,
  samples: SAMPLES,
  classes: TRUE,
  idleCores: 0.05,
  noiseCores: 0.005,
  resetAt: 120,
  memory: {
    baseBytes: 400 * 2 ** 20,
    bytesPerListener: 50_000,
    meanListeners: 200,
    noiseBytes: 2 * 2 ** 20,
    cacheBytes: { start: 100 * 2 ** 20, perSample: 2 ** 20, cacheResidentFactor: SERVER_COEFFICIENTS.cacheFragmentationFactor.value },
  },
  jobOf: { fedOut: 'synapse-federation-sender' },
  seed: 'live',
});
const JOBS = [...new Set(recording.data.result.map((r) => r.metric['job']!))].sort();

/** The recording of one process kind in the text exposition format, with timestamps (ms), without job and instance labels. */
function exposition(job: string): string {
  const lines: string[] = [];
  for (const r of recording.data.result) {
    if (r.metric['job'] !== job) continue;
    const labels = Object.entries(r.metric)
      .filter(([k]) => k !== '__name__' && k !== 'job' && k !== 'instance')
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
    for (const [t, v] of r.values) lines.push(`${r.metric['__name__']!}${labels === '' ? '' : `{${labels}}`} ${v} ${t * 1000}`);
  }
  return lines.join('\n') + '\n';
}

let dir = '';
let prometheus: ChildProcess | undefined;
let exporter: Server | undefined;
let url = '';
let scrapes = 0;

before(async () => {
  if ('fail' in PROM) throw new Error(PROM.fail);
  if (!PROM.run) return;
  dir = mkdtempSync(join(tmpdir(), 'mxsim-prometheus-'));
  exporter = createHttpServer((req, res) => {
    const job = /^\/metrics\/(.+)$/.exec(req.url ?? '')?.[1];
    if (job === undefined || !JOBS.includes(job)) return void res.writeHead(404).end();
    scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition(job));
  });
  await new Promise<void>((resolve) => exporter!.listen(0, '127.0.0.1', resolve));
  const address = exporter.address();
  const exporterPort = typeof address === 'object' && address !== null ? address.port : 0;
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    ...JOBS.flatMap((job) => [`  - job_name: ${job}`, `    metrics_path: /metrics/${job}`, '    static_configs:', `      - targets: ['127.0.0.1:${exporterPort}']`]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config + '\n');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  prometheus = spawn(PROM.executablePath, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  // Ready when every job's whole recording is in: each CPU series holds every sample.
  const query = `${url}/api/v1/query?${new URLSearchParams({ query: 'count_over_time(process_cpu_seconds_total[2h])' }).toString()}`;
  for (let i = 0; ; i++) {
    try {
      const doc = (await (await fetch(query)).json()) as { data?: { result?: { value: [number, string] }[] } };
      const counts = (doc.data?.result ?? []).map((r) => Number(r.value[1]));
      if (counts.length === JOBS.length && counts.every((c) => c === SAMPLES)) break;
    } catch {
      // Not listening yet.
    }
    if (i >= 300) throw new Error(`Prometheus at ${url} did not ingest the recording within 30 s (${scrapes} scrapes served)`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(() => {
  prometheus?.kill('SIGKILL');
  exporter?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', 'calibrate', ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

const live = (extra: string[]) => ['--prometheus', url, '--from', String(start), '--to', String(end), '--step', `${STEP_SECONDS}s`, '--scenario', SCENARIO, ...extra];
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Calibration;
const values = (c: Calibration) => c.cpu.coefficients.map((k) => [k.name, k.status, k.value]);

test('reads a live Prometheus: the true costs within their intervals, and the same fit as the recording read from a file', { skip }, async () => {
  const out = join(dir, 'live.calibration.json');
  const r = await run(live(['--out', out, '--save', join(dir, 'saved')]));
  assert.equal(r.code, EXIT.ok, r.err);
  const cal = read(out);
  assert.equal(cal.window.intervals, SAMPLES - 1);
  assert.equal(cal.window.stepSeconds, STEP_SECONDS);
  assert.deepEqual(
    cal.server.processes.map((p) => p.kind),
    JOBS,
  );
  for (const [name, truth] of Object.entries(TRUE)) {
    const k = cal.cpu.coefficients.find((c) => c.name === name)!;
    assert.equal(k.status, 'fitted', `${name}: ${k.reason}`);
    assert.ok(k.interval![0] <= truth.cpuMs && truth.cpuMs <= k.interval![1], `${name}: true ${truth.cpuMs} ms outside [${k.interval!.join(', ')}]`);
  }
  // Prometheus gives back what it was given: the same fit as the recording itself, read from a file.
  const file = join(dir, 'recording.json');
  writeFileSync(file, JSON.stringify(recording));
  const { scenario } = await loadScenarioFile(SCENARIO, []);
  const direct = calibrate([file], scenario, 'test');
  for (const [i, k] of cal.cpu.coefficients.entries()) {
    const d = direct.cpu.coefficients[i]!;
    assert.equal(k.status, d.status, k.name);
    if (k.value !== null) assert.ok(Math.abs(k.value - d.value!) <= 1e-9 * Math.abs(d.value!), `${k.name}: live ${k.value}, file ${d.value}`);
  }
  assert.ok(Math.abs(cal.cpu.quality.total.rSquared - direct.cpu.quality.total.rSquared) < 1e-12);
  // The memory too: the caches' metric is asked for, so the base is fitted (400 MiB a process, inside its interval).
  for (const [i, k] of cal.memory.coefficients.entries()) {
    const d = direct.memory.coefficients[i]!;
    assert.equal(k.status, 'fitted', `${k.name}: ${k.reason}`);
    assert.ok(Math.abs(k.value! - d.value!) <= 1e-9 * Math.abs(d.value!), `${k.name}: live ${k.value}, file ${d.value}`);
  }
  const base = cal.memory.coefficients.find((k) => k.name === 'processBaseBytes')!;
  assert.ok(base.interval![0] <= 400 * 2 ** 20 && 400 * 2 ** 20 <= base.interval![1], JSON.stringify(base));
  // Every query asked is named as a source.
  assert.ok(cal.sources.every((s) => s.startsWith(`${url}/api/v1/query_range?`)));
});

test('the answers kept with --save fit again offline to the same calibration', { skip }, async () => {
  const saved = join(dir, 'saved');
  assert.ok(readdirSync(saved).includes('process_cpu_seconds_total.json'));
  const again = join(dir, 'again.calibration.json');
  const r = await run(['--metrics', saved, '--scenario', SCENARIO, '--out', again]);
  assert.equal(r.code, EXIT.ok, r.err);
  assert.deepEqual(values(read(again)), values(read(join(dir, 'live.calibration.json'))));
});

test('a window before the recording: the required metrics are missing, said with what was found; nothing written', { skip }, async () => {
  const out = join(dir, 'empty.calibration.json');
  const r = await run(['--prometheus', url, '--from', String(start - 7200), '--to', String(start - 3600), '--scenario', SCENARIO, '--out', out]);
  assert.equal(r.code, EXIT.invalidInput, r.err);
  assert.match(r.err, /process_cpu_seconds_total/);
  assert.equal(existsSync(out), false);
});

test('a selector Prometheus cannot parse: its own words, exit 2, nothing written', { skip }, async () => {
  const out = join(dir, 'bad.calibration.json');
  const r = await run(live(['--selector', '{job=~"("}', '--out', out]));
  assert.equal(r.code, EXIT.usage, r.err);
  assert.match(r.err, /Prometheus refused the query \(HTTP 400: bad_data: /);
  assert.equal(existsSync(out), false);
});
