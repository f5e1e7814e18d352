/**
 * Reading the metrics from a live Prometheus: `mxsim calibrate --prometheus
 * URL --from T --to T [--step S] [--selector '{...}']`. Each metric the fit
 * can use (src/calibrate/classes.ts) is asked for with the HTTP API's range
 * query (`GET /api/v1/query_range`, Prometheus's docs "HTTP API", "Range
 * queries"), as a raw series so that each result keeps its `__name__`, and
 * the answers are read by the same parser as saved `query_range` files: a
 * live calibration and one from the answers saved with `--save` are the same
 * fit.
 *
 * Prometheus refuses a range query of more than 11,000 points per series
 * (its `exceeded maximum resolution` error), so a long window is asked for in
 * parts of at most `MAX_POINTS_PER_QUERY` steps, merged by the parser's
 * `mergeSeries` (the shared edges agree).
 *
 * Options are checked all at once before the first request; a server that
 * cannot be reached is `prometheus.unreachable` (exit 8), an answer with an
 * error (a bad `--selector`) is `prometheus.query` (exit 2), each naming
 * the URL asked and Prometheus's own words.
 */
import { MxsimError } from '../errors.js';
import { CACHE_BYTES_METRIC, CPU_METRIC, LISTENERS_METRIC, MEMORY_METRIC, OP_CLASSES, PERSISTED_COUNTER, REQUEST_METRICS, counterNames } from './classes.js';
import { calibrateMessages as M } from './messages.js';

/** Steps per range query, under Prometheus's limit of 11,000 points per series. */
export const MAX_POINTS_PER_QUERY = 10_000;
/** A window longer than this many steps is refused: a step of seconds over months is a mistake, and would take thousands of queries. */
export const MAX_POINTS = 1_000_000;
/** Time allowed for one answer, ms. */
export const QUERY_TIMEOUT_MS = 30_000;
/** The default step, s: Synapse's Grafana dashboard and the fit's examples use 5-minute rates. */
export const DEFAULT_STEP_SECONDS = 300;

/** Every metric name the fit can use, in the order asked. */
export function metricNames(): string[] {
  const names = [
    CPU_METRIC,
    ...REQUEST_METRICS,
    ...OP_CLASSES.flatMap((c) => (c.counter === undefined ? [] : counterNames(c.counter))),
    MEMORY_METRIC,
    LISTENERS_METRIC,
    CACHE_BYTES_METRIC,
    ...counterNames(PERSISTED_COUNTER),
  ];
  return [...new Set(names)];
}

/** A live source, checked. */
export interface PrometheusQuery {
  /** The server's base URL, without a trailing slash and without credentials (messages and `sources` show it). */
  url: string;
  /** An HTTP Basic `Authorization` header from the URL's user and password (sent, never printed), or null. */
  authorization: string | null;
  /** s since the epoch. */
  from: number;
  to: number;
  stepSeconds: number;
  /** A label matcher appended to each metric name, `{job=~"synapse.*"}`, or ''. */
  selector: string;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A duration as Prometheus writes it (`300`, `300s`, `5m`, `1h`), s; null when it is not one. */
export function parseDurationSeconds(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (m === null) return null;
  return Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']!;
}

/**
 * A time as Prometheus's API takes it (RFC 3339 such as `2026-01-01T00:00:00Z`,
 * or seconds since the epoch), or relative to `nowSeconds` (`now`, `now-3d`), s; null when it is none of these.
 */
export function parseTimeSeconds(text: string, nowSeconds: number): number | null {
  const t = text.trim();
  const rel = /^now(?:-(.+))?$/.exec(t);
  if (rel !== null) {
    if (rel[1] === undefined) return nowSeconds;
    const d = parseDurationSeconds(rel[1]);
    return d === null ? null : nowSeconds - d;
  }
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  // RFC 3339 needs a date, a time and a zone: a bare date would be read in the machine's zone.
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i.exec(t);
  if (m === null) return null;
  // A day the month does not have (2026-02-30) is refused, not carried into the next month.
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** The options as given on the command line. */
export interface PrometheusOptions {
  prometheus: string;
  from?: string;
  to?: string;
  step?: string;
  selector?: string;
}

/** The options checked, every problem at once (`usage`, exit 2). */
export function checkPrometheusOptions(o: PrometheusOptions, nowSeconds: number): PrometheusQuery {
  const problems: string[] = [];
  let url = '';
  let authorization: string | null = null;
  try {
    const u = new URL(o.prometheus.trim());
    // A user and password (HTTP Basic, as a Prometheus behind a proxy asks) are sent as a header and never printed.
    if (u.username !== '' || u.password !== '') {
      authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
      u.username = '';
      u.password = '';
    }
    const shown = u.href.replace(/\/+$/, '');
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '' || u.search !== '' || u.hash !== '') problems.push(M.badPrometheusUrl(shown));
    else url = shown;
  } catch {
    problems.push(M.badPrometheusUrl(o.prometheus.replace(/\/\/[^/@]*@/, '//…@')));
  }
  const time = (name: 'from' | 'to', text: string | undefined): number | null => {
    if (text === undefined) {
      problems.push(M.missingOption(`--${name}`));
      return null;
    }
    const t = parseTimeSeconds(text, nowSeconds);
    if (t === null) problems.push(M.badTime(`--${name}`, text));
    // Seconds since the epoch reach 1e11 in the year 5138: a larger number is milliseconds.
    else if (t > 1e11) {
      problems.push(M.timeInMilliseconds(`--${name}`, text));
      return null;
    }
    return t;
  };
  const from = time('from', o.from);
  const to = time('to', o.to);
  const step = o.step === undefined ? DEFAULT_STEP_SECONDS : parseDurationSeconds(o.step);
  if (step === null || step <= 0) problems.push(M.badStep(o.step ?? ''));
  if (from !== null && to !== null) {
    if (to <= from) problems.push(M.windowOrder(o.from ?? '', o.to ?? ''));
    else if (to > nowSeconds + 60) problems.push(M.windowFuture(o.to ?? ''));
    else if (step !== null && step > 0 && (to - from) / step > MAX_POINTS) problems.push(M.tooManyPoints((to - from) / step, MAX_POINTS, o.step ?? `${DEFAULT_STEP_SECONDS}`));
  }
  const selector = (o.selector ?? '').trim();
  if (selector !== '' && !/^\{.*\}$/s.test(selector)) problems.push(M.badSelector(o.selector ?? ''));
  if (problems.length > 0) throw new MxsimError('usage', M.optionProblems(problems));
  return { url, authorization, from: from!, to: to!, stepSeconds: step!, selector };
}

/** The range queries asked for one metric: the window in parts of at most MAX_POINTS_PER_QUERY steps. */
export function queryUrls(q: PrometheusQuery, metric: string): string[] {
  const out: string[] = [];
  const span = MAX_POINTS_PER_QUERY * q.stepSeconds;
  for (let start = q.from; start < q.to; start += span) {
    const end = Math.min(q.to, start + span);
    const params = new URLSearchParams({ query: `${metric}${q.selector}`, start: String(start), end: String(end), step: String(q.stepSeconds) });
    out.push(`${q.url}/api/v1/query_range?${params.toString()}`);
  }
  return out;
}

/** One answer: the URL asked and the text answered (a `query_range` JSON document). */
export interface Answer {
  metric: string;
  url: string;
  text: string;
}

/** The reason a request failed, in words (the cause of fetch's TypeError names the refused connection or unknown host). */
function reason(e: unknown): string {
  if (e instanceof Error && e.name === 'TimeoutError') return `no answer within ${QUERY_TIMEOUT_MS / 1000} s`;
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code !== undefined) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Ask Prometheus for every metric the fit can use over the window. Answers
 * come back in the order asked, so that the fit (and any `--save`d copy) is
 * the same from run to run.
 */
export async function fetchMetrics(q: PrometheusQuery, fetcher: typeof fetch = fetch): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const metric of metricNames()) {
    for (const url of queryUrls(q, metric)) {
      let status: number;
      let text: string;
      let contentType = '';
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (q.authorization !== null) headers['authorization'] = q.authorization;
        const res = await fetcher(url, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS), headers });
        contentType = res.headers.get('content-type') ?? '';
        status = res.status;
        text = await res.text();
      } catch (e) {
        throw new MxsimError('prometheus.unreachable', M.prometheusUnreachable(q.url, url, reason(e)));
      }
      if (status !== 200) {
        // Prometheus answers a bad query with 400 or 422 and a JSON body {status: "error", errorType, error}.
        let detail = text.slice(0, 300);
        try {
          const doc = JSON.parse(text) as { errorType?: unknown; error?: unknown };
          if (typeof doc.error === 'string') detail = `${typeof doc.errorType === 'string' ? doc.errorType : 'error'}: ${doc.error}`;
        } catch {
          // Not JSON (a proxy's page, not Prometheus): the text as received.
        }
        if (status === 400 || status === 422) throw new MxsimError('prometheus.query', M.prometheusQuery(url, status, detail));
        throw new MxsimError('prometheus.unreachable', M.prometheusUnreachable(q.url, url, `HTTP ${status}: ${detail}`));
      }
      // A 200 that is not Prometheus's JSON (a login page, Grafana, another port's server) or that says "error".
      const answer = prometheusAnswer(text);
      if (answer === null) throw new MxsimError('prometheus.unreachable', M.notPrometheus(q.url, url, contentType, text.slice(0, 120)));
      if (answer.status !== 'success')
        throw new MxsimError('prometheus.query', M.prometheusQuery(url, status, `${answer.errorType ?? 'error'}: ${answer.error ?? JSON.stringify(answer.status)}`));
      answers.push({ metric, url, text });
    }
  }
  return answers;
}

/** A body as Prometheus's API answers (`{"status": ..., "data" | "error": ...}`), or null when it is not one. */
function prometheusAnswer(text: string): { status: unknown; error?: string; errorType?: string } | null {
  try {
    const doc = JSON.parse(text) as unknown;
    if (typeof doc !== 'object' || doc === null || !('status' in doc)) return null;
    const d = doc as { status: unknown; error?: unknown; errorType?: unknown };
    return { status: d.status, ...(typeof d.error === 'string' ? { error: d.error } : {}), ...(typeof d.errorType === 'string' ? { errorType: d.errorType } : {}) };
  } catch {
    return null;
  }
}

/** The file name an answer is saved under by `--save` (metric, and the part when the window was split). */
export function answerFileName(answers: readonly Answer[], i: number): string {
  const a = answers[i]!;
  const parts = answers.filter((b) => b.metric === a.metric);
  const k = parts.indexOf(a);
  return parts.length === 1 ? `${a.metric}.json` : `${a.metric}.part${String(k + 1).padStart(3, '0')}.json`;
}
