/**
 * `mxsim calibrate --prometheus`'s options and its client, without a
 * Prometheus: times and steps as Prometheus's API writes them, every problem
 * of the options at once, the window split under Prometheus's limit of
 * 11,000 points per series, and a server that cannot be reached (a port
 * nothing listens on). The live path against a real Prometheus is
 * test/calibrate/prometheus.full.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  answerFileName,
  checkPrometheusOptions,
  fetchMetrics,
  MAX_POINTS_PER_QUERY,
  metricNames,
  parseDurationSeconds,
  parseTimeSeconds,
  queryUrls,
} from '../../src/calibrate/prometheus.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT, MxsimError } from '../../src/errors.js';
import { freePort } from '../fixtures/local-server.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-prometheus-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SCENARIO = new URL('../../scenarios/team-50.json', import.meta.url).pathname;
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z

async function run(args: string[]) {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', 'calibrate', ...args], io);
  return { code, err: io.stderr };
}

function problemsOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MxsimError);
    return e.message;
  }
  assert.fail('no error');
}

describe('times and durations as Prometheus writes them', () => {
  it('durations: 300 and 300s are 300 s, 5m 300 s, 1h 3600 s, 1.5d 129600 s; 5 minutes and -5m are not durations', () => {
    assert.equal(parseDurationSeconds('300'), 300);
    assert.equal(parseDurationSeconds('300s'), 300);
    assert.equal(parseDurationSeconds('5m'), 300);
    assert.equal(parseDurationSeconds('1h'), 3600);
    assert.equal(parseDurationSeconds('1.5d'), 129_600);
    assert.equal(parseDurationSeconds('5 minutes'), null);
    assert.equal(parseDurationSeconds('-5m'), null);
  });
  it('times: RFC 3339 with a zone, epoch seconds, now and now-3d; a bare date (which zone?) is refused', () => {
    assert.equal(parseTimeSeconds('2026-01-01T00:00:00Z', NOW), NOW);
    assert.equal(parseTimeSeconds('2026-01-01T01:00:00+01:00', NOW), NOW);
    assert.equal(parseTimeSeconds('1767225600', NOW), NOW);
    assert.equal(parseTimeSeconds('now', NOW), NOW);
    assert.equal(parseTimeSeconds('now-3d', NOW), NOW - 3 * 86400);
    assert.equal(parseTimeSeconds('2026-01-01', NOW), null);
    // A day the month does not have is refused (Date.parse would read 2 March).
    assert.equal(parseTimeSeconds('2026-02-30T00:00:00Z', NOW), null);
    assert.equal(parseTimeSeconds('yesterday', NOW), null);
  });
});

describe('the options, every problem at once', () => {
  it('a bad URL, a bad --from, a missing --to, a bad step and a selector without braces: five problems, each with the value received', () => {
    const m = problemsOf(() => checkPrometheusOptions({ prometheus: 'ftp://x', from: 'last week', step: '0', selector: 'job="synapse"' }, NOW));
    assert.match(m, /5 problems/);
    assert.match(m, /--prometheus: .*got "ftp:\/\/x"/);
    assert.match(m, /--from: .*got "last week"/);
    assert.match(m, /--to: required with --prometheus/);
    assert.match(m, /--step: .*got "0"/);
    assert.match(m, /--selector: .*got "job=\\"synapse\\""/);
  });
  it('an empty window, a window in the future, and too many points are refused', () => {
    assert.match(
      problemsOf(() => checkPrometheusOptions({ prometheus: 'http://p:9090', from: 'now', to: 'now-1d' }, NOW)),
      /is not before --to/,
    );
    assert.match(
      problemsOf(() => checkPrometheusOptions({ prometheus: 'http://p:9090', from: 'now', to: String(NOW + 86400) }, NOW)),
      /in the future/,
    );
    // 400 days at 10 s is 3,456,000 steps, over the 1,000,000 allowed.
    assert.match(
      problemsOf(() => checkPrometheusOptions({ prometheus: 'http://p:9090', from: 'now-400d', to: 'now', step: '10s' }, NOW)),
      /3456000 steps/,
    );
  });
  it('epoch milliseconds are recognised and the seconds suggested', () => {
    assert.match(
      problemsOf(() => checkPrometheusOptions({ prometheus: 'http://p:9090', from: '1767225600000', to: 'now' }, NOW)),
      /--from: 1767225600000 is milliseconds since the epoch, not seconds; give 1767225600/,
    );
  });
  it('a user and password in the URL become a Basic header, and are shown nowhere', () => {
    const q = checkPrometheusOptions({ prometheus: 'https://admin:s3cret@prom.example:9090/', from: 'now-1d', to: 'now' }, NOW);
    assert.equal(q.url, 'https://prom.example:9090');
    // RFC 7617: base64 of "admin:s3cret".
    assert.equal(q.authorization, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
    assert.doesNotMatch(
      problemsOf(() => checkPrometheusOptions({ prometheus: 'ftp://admin:s3cret@p', from: 'now-1d', to: 'now' }, NOW)),
      /s3cret/,
    );
  });
  it('a good set: the base URL without its trailing slash, the default step of 300 s', () => {
    const q = checkPrometheusOptions({ prometheus: 'http://prometheus:9090/', from: 'now-3d', to: 'now' }, NOW);
    assert.deepEqual(q, { url: 'http://prometheus:9090', authorization: null, from: NOW - 3 * 86400, to: NOW, stepSeconds: 300, selector: '' });
  });
});

describe('the range queries', () => {
  it('every counter with and without _total, the CPU and request metrics first', () => {
    const names = metricNames();
    assert.equal(names[0], 'process_cpu_seconds_total');
    assert.ok(names.includes('synapse_federation_server_received_pdus_total') && names.includes('synapse_federation_server_received_pdus'));
    assert.ok(names.includes('synapse_util_caches_cache_size_bytes'), 'the memory fit needs the caches');
    assert.equal(new Set(names).size, names.length);
  });
  it('a window of 25,000 steps is asked in 3 parts of at most 10,000 steps (Prometheus refuses more than 11,000 points)', () => {
    const q = { url: 'http://p:9090', authorization: null, from: 0, to: 25_000 * 60, stepSeconds: 60, selector: '{job="synapse"}' };
    const urls = queryUrls(q, 'process_cpu_seconds_total').map((u) => new URL(u));
    assert.equal(urls.length, 3);
    assert.deepEqual(
      urls.map((u) => [Number(u.searchParams.get('start')), Number(u.searchParams.get('end'))]),
      [
        [0, MAX_POINTS_PER_QUERY * 60],
        [MAX_POINTS_PER_QUERY * 60, 2 * MAX_POINTS_PER_QUERY * 60],
        [2 * MAX_POINTS_PER_QUERY * 60, 25_000 * 60],
      ],
    );
    assert.equal(urls[0]!.searchParams.get('query'), 'process_cpu_seconds_total{job="synapse"}');
    assert.equal(urls[0]!.pathname, '/api/v1/query_range');
  });
  it('answers saved under the metric name, numbered when the window was split', () => {
    const a = [
      { metric: 'm', url: 'u1', text: '' },
      { metric: 'm', url: 'u2', text: '' },
      { metric: 'n', url: 'u3', text: '' },
    ];
    assert.deepEqual(
      a.map((_, i) => answerFileName(a, i)),
      ['m.part001.json', 'm.part002.json', 'n.json'],
    );
  });
});

describe('mxsim calibrate --prometheus, as a user types it', () => {
  it('a port nothing listens on: exit 8 (prometheus.unreachable) naming the URL and ECONNREFUSED; nothing written', async () => {
    const port = await freePort();
    const out = join(dir, 'refused.json');
    const r = await run(['--prometheus', `http://127.0.0.1:${port}`, '--from', 'now-1d', '--to', 'now', '--scenario', SCENARIO, '--out', out, '--save', join(dir, 'saved')]);
    assert.equal(r.code, EXIT.serviceUnavailable, r.err);
    assert.match(r.err, /error\[prometheus\.unreachable\]/);
    assert.match(r.err, new RegExp(`--prometheus http://127\\.0\\.0\\.1:${port}: cannot be read \\(ECONNREFUSED`));
    assert.equal(existsSync(out), false);
    assert.equal(existsSync(join(dir, 'saved')), false);
  });
  it("an answer that is not 200, 400 or 422 (a proxy's error page) is unreachable too, with the status", async () => {
    const fake = (() => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 }))) as typeof fetch;
    await assert.rejects(fetchMetrics({ url: 'http://p:9090', authorization: null, from: 0, to: 600, stepSeconds: 300, selector: '' }, fake), (e: unknown) => {
      assert.ok(e instanceof MxsimError && e.code === 'prometheus.unreachable');
      assert.match(e.message, /HTTP 502: <html>bad gateway<\/html>/);
      return true;
    });
  });
  it("a 200 that is not Prometheus's API (a login page) is one clear problem naming the content type, not a parse error per metric", async () => {
    let calls = 0;
    const page = (() => {
      calls++;
      return Promise.resolve(new Response('<!doctype html><title>Sign in</title>', { status: 200, headers: { 'content-type': 'text/html' } }));
    }) as typeof fetch;
    await assert.rejects(fetchMetrics({ url: 'http://p:9090', authorization: null, from: 0, to: 600, stepSeconds: 300, selector: '' }, page), (e: unknown) => {
      assert.ok(e instanceof MxsimError && e.code === 'prometheus.unreachable');
      assert.match(e.message, /the answer is not Prometheus's API \(text\/html: "<!doctype html><title>Sign in<\/title>"\)/);
      return true;
    });
    assert.equal(calls, 1, 'stops at the first answer');
  });
  it('a 200 with status "error" is Prometheus refusing the query, in its own words', async () => {
    const refusing = (() => Promise.resolve(new Response(JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out' }), { status: 200 }))) as typeof fetch;
    await assert.rejects(fetchMetrics({ url: 'http://p:9090', authorization: null, from: 0, to: 600, stepSeconds: 300, selector: '' }, refusing), (e: unknown) => {
      assert.ok(e instanceof MxsimError && e.code === 'prometheus.query');
      assert.match(e.message, /timeout: query timed out/);
      return true;
    });
  });
  it('the Basic header goes with every query', async () => {
    const seen: (string | null)[] = [];
    const empty = ((_url: string, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('authorization'));
      return Promise.resolve(new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }), { status: 200 }));
    }) as typeof fetch;
    await fetchMetrics({ url: 'http://p:9090', authorization: 'Basic YTpi', from: 0, to: 600, stepSeconds: 300, selector: '' }, empty);
    assert.equal(seen.length, metricNames().length);
    assert.ok(seen.every((h) => h === 'Basic YTpi'));
  });
  it('--out, --save and --report may not be one another or one inside another: exit 2 before anything is asked', async () => {
    const same = await run([
      '--prometheus',
      'http://127.0.0.1:1',
      '--from',
      'now-1d',
      '--to',
      'now',
      '--scenario',
      SCENARIO,
      '--out',
      join(dir, 'x.json'),
      '--save',
      join(dir, 'x.json'),
    ]);
    assert.equal(same.code, EXIT.usage, same.err);
    assert.match(same.err, /--out ".*x\.json" and --save ".*x\.json" are the same path or one inside the other/);
    const nested = await run(['--metrics', dir, '--scenario', SCENARIO, '--out', join(dir, 'y.json'), '--report', join(dir, 'y.json', 'report')]);
    assert.equal(nested.code, EXIT.usage, nested.err);
    assert.match(nested.err, /--out .* and --report .* one inside the other/);
  });
  it('--metrics with --prometheus, or --from without --prometheus: exit 2, saying which', async () => {
    const both = await run(['--metrics', dir, '--prometheus', 'http://p:9090', '--scenario', SCENARIO]);
    assert.equal(both.code, EXIT.usage);
    assert.match(both.err, /give one of them/);
    const stray = await run(['--metrics', dir, '--from', 'now-1d', '--scenario', SCENARIO]);
    assert.equal(stray.code, EXIT.usage);
    assert.match(stray.err, /--from: only with --prometheus/);
    const none = await run(['--scenario', SCENARIO]);
    assert.equal(none.code, EXIT.usage);
    assert.match(none.err, /--metrics FILE\|DIR or --prometheus URL is required/);
  });
});
