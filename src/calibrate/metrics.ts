/**
 * Saved Prometheus metrics as time series: the HTTP API's `query_range`
 * answer (JSON, a "matrix") and the text exposition format (scrapes whose
 * samples carry timestamps), read into one structure, so that a live range
 * query can later return the same thing.
 *
 * A series is a metric name, its labels and its samples in time order.
 * Counters become per-second rates between consecutive samples; a counter
 * that drops was reset (the process restarted), and the new value is the
 * increase since the reset (as Prometheus's own rate() does).
 *
 * Every problem of every file is gathered and thrown at once as a
 * `MetricsError`, each with its file, its series or line, and the value as
 * written; nothing is read half.
 */
import { MxsimError } from '../errors.js';
import { calibrateMessages as M } from './messages.js';

/** One series: a metric name, its labels (without __name__), its samples. */
export interface Series {
  name: string;
  labels: Record<string, string>;
  /** Sample times, s since the epoch, strictly increasing. */
  times: number[];
  values: number[];
  /** Where it was read from (a file), for messages. */
  source: string;
}

/** One problem found in the input, as printed. */
export type MetricsProblem = string;

/** Everything wrong with the metrics given, every problem listed. */
export class MetricsError extends MxsimError {
  constructor(readonly problems: readonly MetricsProblem[]) {
    super('metrics.invalid', M.problems(problems));
    this.name = 'MetricsError';
  }
}

/** The series' labels as Prometheus prints them: `name{a="1",b="2"}`. */
export function seriesId(s: { name: string; labels: Record<string, string> }): string {
  const labels = Object.entries(s.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${s.name}{${labels}}`;
}

/** A sample value as Prometheus writes it ("1.5", "NaN", "+Inf"), or null when it is not a number. */
function sampleValue(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

/**
 * A `query_range` answer: `{"status":"success","data":{"resultType":"matrix","result":[...]}}`.
 * Each result needs its `__name__` label (save raw series, not `rate(...)`).
 */
export function parseQueryRange(text: string, source: string, problems: MetricsProblem[]): Series[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problems.push(M.notJson(source, e instanceof Error ? e.message : String(e)));
    return [];
  }
  const d = doc as { status?: unknown; data?: { resultType?: unknown; result?: unknown } };
  if (typeof doc !== 'object' || doc === null || d.status !== 'success' || typeof d.data !== 'object' || d.data === null) {
    problems.push(M.notQueryRange(source, typeof d === 'object' && d !== null ? JSON.stringify(d.status ?? null) : JSON.stringify(doc)));
    return [];
  }
  if (d.data.resultType !== 'matrix' || !Array.isArray(d.data.result)) {
    problems.push(M.notMatrix(source, JSON.stringify(d.data.resultType ?? null)));
    return [];
  }
  const out: Series[] = [];
  d.data.result.forEach((r: unknown, i: number) => {
    const at = `${source}: data.result[${i}]`;
    const row = r as { metric?: unknown; values?: unknown };
    if (typeof row !== 'object' || row === null || typeof row.metric !== 'object' || row.metric === null || !Array.isArray(row.values)) {
      problems.push(M.badResult(at));
      return;
    }
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(row.metric as Record<string, unknown>)) labels[k] = String(v);
    const name = labels['__name__'];
    if (name === undefined) {
      problems.push(M.noName(at, JSON.stringify(row.metric)));
      return;
    }
    delete labels['__name__'];
    const series: Series = { name, labels, times: [], values: [], source };
    const id = seriesId(series);
    (row.values as unknown[]).forEach((p, j) => {
      const pair = p as unknown[];
      const t = Array.isArray(pair) ? Number(pair[0]) : NaN;
      const v = Array.isArray(pair) && typeof pair[1] === 'string' ? sampleValue(pair[1]) : null;
      if (!Array.isArray(pair) || pair.length !== 2 || !Number.isFinite(t)) return void problems.push(M.badSample(`${at}.values[${j}]`, id, JSON.stringify(p)));
      if (v === null || !Number.isFinite(v)) return void problems.push(M.badValue(`${at}.values[${j}]`, id, JSON.stringify(pair[1])));
      series.times.push(t);
      series.values.push(v);
    });
    out.push(series);
  });
  return out;
}

/** Unescape a label value of the text format (\\, \", \n). */
const unescape = (s: string) => s.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(\S+))?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/**
 * The text exposition format (what /_synapse/metrics serves), one scrape or
 * several appended; every sample needs its timestamp (ms), as in a
 * Prometheus federation or `promtool tsdb dump` output. Comments are skipped.
 */
export function parseExposition(text: string, source: string, problems: MetricsProblem[]): Series[] {
  const byId = new Map<string, Series>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const at = `${source}:${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const m = SAMPLE_LINE.exec(line);
    if (m === null) return void problems.push(M.badLine(at, raw));
    const [, name, labelText, valueText, timeText] = m as unknown as [string, string, string | undefined, string, string | undefined];
    const labels: Record<string, string> = {};
    if (labelText !== undefined && labelText.trim() !== '') {
      LABEL.lastIndex = 0;
      let pos = 0;
      while (pos < labelText.length) {
        LABEL.lastIndex = pos;
        const l = LABEL.exec(labelText);
        if (l === null) return void problems.push(M.badLine(at, raw));
        labels[l[1]!] = unescape(l[2]!);
        pos = LABEL.lastIndex;
      }
    }
    const value = sampleValue(valueText);
    if (value === null || !Number.isFinite(value)) return void problems.push(M.badValue(at, name, valueText));
    if (timeText === undefined) return void problems.push(M.noTimestamp(at, name));
    const ms = sampleValue(timeText);
    if (ms === null) return void problems.push(M.badValue(at, name, timeText));
    const s: Series = { name, labels, times: [], values: [], source };
    const id = seriesId(s);
    const series = byId.get(id) ?? s;
    byId.set(id, series);
    series.times.push(ms / 1000);
    series.values.push(value);
  });
  return [...byId.values()];
}

/** A file's series, by its content: JSON (starts with `{`) or the text format. */
export function parseMetricsText(text: string, source: string, problems: MetricsProblem[]): Series[] {
  return text.trimStart().startsWith('{') ? parseQueryRange(text, source, problems) : parseExposition(text, source, problems);
}

/**
 * The series of several files merged: the same series (name and labels) in
 * several files (one scrape per file, or consecutive windows) joined and
 * sorted by time. A time given twice with two values, or a series whose
 * times go back within one file, is a problem.
 */
export function mergeSeries(parts: readonly Series[], problems: MetricsProblem[]): Series[] {
  const byId = new Map<string, Series[]>();
  for (const s of parts) {
    // Within one file, times must increase.
    for (let i = 1; i < s.times.length; i++)
      if (s.times[i]! <= s.times[i - 1]!) {
        problems.push(M.timeOrder(s.source, seriesId(s), s.times[i - 1]!, s.times[i]!));
        break;
      }
    const id = seriesId(s);
    byId.set(id, [...(byId.get(id) ?? []), s]);
  }
  const out: Series[] = [];
  for (const [id, list] of byId) {
    const points = list.flatMap((s) => s.times.map((t, i) => ({ t, v: s.values[i]!, source: s.source })));
    points.sort((a, b) => a.t - b.t);
    const merged: Series = { name: list[0]!.name, labels: list[0]!.labels, times: [], values: [], source: [...new Set(list.map((s) => s.source))].join(', ') };
    for (const p of points) {
      const last = merged.times.length - 1;
      if (last >= 0 && merged.times[last] === p.t) {
        if (merged.values[last] !== p.v) problems.push(M.duplicateTime(p.source, id, p.t, merged.values[last]!, p.v));
        continue;
      }
      merged.times.push(p.t);
      merged.values.push(p.v);
    }
    out.push(merged);
  }
  return out;
}

/**
 * A counter's per-second rate on each interval between consecutive samples
 * (rates[i] covers times[i]..times[i+1]). A drop is a reset: the increase on
 * that interval is the new value (the counter restarted from zero). A
 * negative counter value is a problem.
 */
export function counterRates(s: Series, problems: MetricsProblem[]): number[] {
  const rates: number[] = [];
  for (let i = 0; i < s.values.length; i++) {
    if (s.values[i]! < 0) {
      problems.push(M.negativeCounter(s.source, seriesId(s), s.times[i]!, s.values[i]!));
      return [];
    }
  }
  for (let i = 1; i < s.values.length; i++) {
    const prev = s.values[i - 1]!;
    const now = s.values[i]!;
    const increase = now >= prev ? now - prev : now;
    rates.push(increase / (s.times[i]! - s.times[i - 1]!));
  }
  return rates;
}
