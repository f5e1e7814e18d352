/**
 * The fit of mxsim's costs to a server's metrics.
 *
 * CPU: the deployment's CPU rate (process_cpu_seconds_total, summed over the
 * processes), cores = idle + sum over operation classes of (the class's rate,
 * operations/s) x (its CPU per operation, s). The rates are the servlet and
 * event counters of src/calibrate/classes.ts, summed over the processes
 * (a send's servlet counts on one process while its persisting runs on
 * another: the sum is what mxsim's cost per operation is). Huber IRLS with
 * non-negative coefficients (regression.ts). The same columns fitted to each
 * process kind (`job` label) give R^2 per kind.
 *
 * A class is kept at its shipped value, and its shipped CPU taken out of
 * the observed series before the fit, when the metrics cannot identify it:
 * its counter is absent; it has no traffic; its rate barely moves (its
 * coefficient of variation under MIN_RATE_CV: it cannot be told from the
 * idle CPU); or it moves with other classes (a variance inflation factor
 * over MAX_VIF: their costs cannot be told apart).
 *
 * Memory: process_resident_memory_bytes summed over the processes =
 * processes x base + online devices x bytes per device + the caches, the
 * online devices being synapse_notifier_listeners (clients waiting on /sync)
 * and the caches synapse_util_caches_cache_size_bytes (Synapse's estimate,
 * with caches.track_memory_usage) times mxsim's fragmentation factor. mxsim
 * sizes the caches apart from the base (src/server/memory.ts), so without
 * the cache metric the base cannot be told from the caches and is kept (a
 * base fitted with the caches in it would count them twice in a run); the
 * bytes per device are then fitted with a free intercept.
 *
 * Intervals: a moving-block bootstrap over the time points (blocks of
 * n^(1/3) intervals, Hall, Horowitz and Jing 1995, so that the
 * autocorrelation of a daily rhythm stays inside a block), BOOTSTRAP_DRAWS
 * refits from a seeded generator, the 2.5% and 97.5% percentiles.
 */
import seedrandom from 'seedrandom';
import type { Op } from '../model/homeserver.js';
import type { OpCost } from '../server/profiles.js';
import { SERVER_COEFFICIENTS as S } from '../server/server-coefficients.js';
import {
  CPU_METRIC,
  CACHE_BYTES_METRIC,
  LISTENERS_METRIC,
  MEMORY_METRIC,
  MEMORY_TERMS,
  OP_CLASSES,
  PERSISTED_COUNTER,
  REQUEST_METRICS,
  counterNames,
  shippedMs,
  type MemoryTerm,
  type OpClass,
} from './classes.js';
import type { CalibrationCoefficient } from './calibration-file.js';
import { calibrateMessages as M } from './messages.js';
import { counterRates, MetricsError, seriesId, type MetricsProblem, type Series } from './metrics.js';
import { huberFit, rSquared, sd, varianceInflation } from './regression.js';

/** A class whose rate varies less than this (sd / mean) cannot be told from the idle CPU. */
export const MIN_RATE_CV = 0.02;
/** Classes whose variance inflation exceeds this cannot be told apart. */
export const MAX_VIF = 30;
export const BOOTSTRAP_DRAWS = 200;
/** A process using more cores than this is a unit mistake (CPU in milliseconds rather than seconds, say): no machine mxsim sizes has more. */
export const MAX_PROCESS_CORES = 256;
/** Resident memory per byte Synapse estimates its caches hold: the factor mxsim's memory model applies (server-coefficients.ts). */
const CACHE_FRAGMENTATION = S.cacheFragmentationFactor.value;
/** A step longer than this many times the usual one is a gap. */
const GAP_FACTOR = 1.5;

/** The label naming a process kind (Synapse's docs/metrics-howto and Grafana dashboard: `job`), and the one naming a process. */
const KIND_LABEL = 'job';
const INSTANCE_LABELS = ['instance', 'index'];

/** The metrics as the fit needs them: rates per interval between samples. */
export interface Observed {
  /** Sample times, s; intervals are between consecutive ones. */
  times: number[];
  stepSeconds: number;
  /** CPU rate per interval, cores, by process kind. */
  cpuByKind: Map<string, Float64Array>;
  /** Processes of each kind. */
  instancesByKind: Map<string, number>;
  /** Rate per interval of each class with its counter present, operations/s, summed over the processes. */
  classRates: Map<string, Float64Array>;
  /** Resident memory summed over the processes at each interval's end, bytes; null when absent. */
  memory: Float64Array | null;
  /** The caches' estimated bytes, summed over caches and processes, at each interval's end; null when absent. */
  cacheBytes: Float64Array | null;
  /** Clients waiting on /sync, summed, at each interval's end; null when absent. */
  listeners: Float64Array | null;
  /** Events persisted per second, summed; null when absent. */
  persisted: Float64Array | null;
}

const kindOf = (s: Series) => s.labels[KIND_LABEL] ?? 'synapse';
const processOf = (s: Series) => [kindOf(s), ...INSTANCE_LABELS.map((l) => s.labels[l] ?? '')].join('/');
const iso = (t: number) => new Date(t * 1000).toISOString();

/**
 * The rates the fit needs, from the series read. Every problem at once: the
 * metrics missing, a gap, a series off the common time grid, a window
 * without traffic.
 */
export function observe(series: readonly Series[]): Observed {
  const problems: MetricsProblem[] = [];
  const named = (names: readonly string[]) => {
    for (const n of names) {
      const found = series.filter((s) => s.name === n);
      if (found.length > 0) return found;
    }
    return [];
  };
  const cpu = named([CPU_METRIC]);
  const requests = named(REQUEST_METRICS);
  const missing = [...(cpu.length === 0 ? [CPU_METRIC] : []), ...(requests.length === 0 ? [REQUEST_METRICS.join(' or ')] : [])];
  if (missing.length > 0) throw new MetricsError([M.missingMetrics(missing, [...new Set(series.map((s) => s.name))].sort())]);
  // The grid: the first CPU series' times (every series the fit uses must be on it).
  const grid = [...cpu].sort((a, b) => seriesId(a).localeCompare(seriesId(b)))[0]!;
  const times = grid.times;
  if (times.length < 3) throw new MetricsError([M.tooShort(grid.source, seriesId(grid), times.length)]);
  const steps = times.slice(1).map((t, i) => t - times[i]!);
  const step = [...steps].sort((a, b) => a - b)[steps.length >> 1]!;
  steps.forEach((d, i) => {
    if (d > GAP_FACTOR * step) problems.push(M.gap(grid.source, seriesId(grid), iso(times[i]!), iso(times[i + 1]!), step));
  });
  const n = times.length - 1;
  const onGrid = (s: Series): boolean => {
    if (s === grid) return true;
    const at = new Map(s.times.map((t, i) => [t, i]));
    const absent = times.filter((t) => !at.has(t));
    if (absent.length > 0) {
      problems.push(M.seriesGap(s.source, seriesId(s), iso(absent[0]!), absent.length, times.length));
      return false;
    }
    return true;
  };
  /** A series' values at the grid's times. */
  const valuesOnGrid = (s: Series) => {
    const at = new Map(s.times.map((t, i) => [t, s.values[i]!]));
    return { ...s, times, values: times.map((t) => at.get(t)!) };
  };
  const addRates = (into: Float64Array, s: Series, maxRate = Infinity) => {
    if (!onGrid(s)) return;
    const r = counterRates(valuesOnGrid(s), problems);
    const over = r.findIndex((v) => v > maxRate);
    if (over >= 0) problems.push(M.cpuUnits(s.source, seriesId(s), iso(times[over]!), r[over]!, maxRate));
    r.forEach((v, i) => (into[i]! += v));
  };
  const cpuByKind = new Map<string, Float64Array>();
  const processes = new Map<string, Set<string>>();
  for (const s of cpu) {
    const k = kindOf(s);
    const into = cpuByKind.get(k) ?? new Float64Array(n);
    cpuByKind.set(k, into);
    processes.set(k, (processes.get(k) ?? new Set()).add(processOf(s)));
    addRates(into, s, MAX_PROCESS_CORES);
  }
  const classRates = new Map<string, Float64Array>();
  for (const c of OP_CLASSES) {
    const used = c.servlets !== undefined ? requests.filter((s) => c.servlets!.includes(s.labels['servlet'] ?? '')) : named(counterNames(c.counter!));
    if (used.length === 0) continue;
    const into = new Float64Array(n);
    for (const s of used) addRates(into, s);
    classRates.set(c.name, into);
  }
  const gauge = (name: string): Float64Array | null => {
    const list = series.filter((s) => s.name === name);
    if (list.length === 0) return null;
    const sum = new Float64Array(n);
    for (const s of list) {
      if (!onGrid(s)) continue;
      const v = valuesOnGrid(s).values;
      for (let i = 0; i < n; i++) {
        if (v[i + 1]! < 0) problems.push(M.negativeGauge(s.source, seriesId(s), iso(times[i + 1]!), v[i + 1]!));
        sum[i]! += v[i + 1]!;
      }
    }
    return sum;
  };
  const persistedSeries = named(counterNames(PERSISTED_COUNTER));
  const persisted = persistedSeries.length === 0 ? null : new Float64Array(n);
  if (persisted !== null) for (const s of persistedSeries) addRates(persisted, s);
  const memory = gauge(MEMORY_METRIC);
  const listeners = gauge(LISTENERS_METRIC);
  const cacheBytes = gauge(CACHE_BYTES_METRIC);
  if (problems.length === 0) {
    const traffic = [...classRates.values()].some((r) => r.some((v) => v > 0));
    if (!traffic) problems.push(M.noTraffic(iso(times[0]!), iso(times[n]!), [...classRates.keys()]));
  }
  if (problems.length > 0) throw new MetricsError(problems);
  const instancesByKind = new Map([...processes].map(([k, set]) => [k, set.size]));
  return { times, stepSeconds: step, cpuByKind, instancesByKind, classRates, memory, cacheBytes, listeners, persisted };
}

/** A class's identifiability verdict: null when it can be fitted, else why not. */
function verdicts(obs: Observed): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const candidates: string[] = [];
  for (const c of OP_CLASSES) {
    const r = obs.classRates.get(c.name);
    if (r === undefined) out.set(c.name, M.keptAbsent(c));
    else if (!r.some((v) => v > 0)) out.set(c.name, M.keptNoTraffic);
    else {
      const mean = r.reduce((s, v) => s + v, 0) / r.length;
      const cv = sd(r) / mean;
      if (cv < MIN_RATE_CV) out.set(c.name, M.keptConstant(cv, MIN_RATE_CV));
      else candidates.push(c.name);
    }
  }
  // Drop the most collinear class while any is beyond MAX_VIF.
  for (;;) {
    const cols = candidates.map((c) => obs.classRates.get(c)!);
    const vifs = candidates.map((_, j) => varianceInflation(cols, j));
    let worst = -1;
    vifs.forEach((v, j) => {
      if (v > MAX_VIF && (worst < 0 || v > vifs[worst]!)) worst = j;
    });
    if (worst < 0) break;
    const name = candidates[worst]!;
    const others = candidates.filter((c) => c !== name);
    const partner = others.reduce(
      (best, c) => (Math.abs(corr(obs.classRates.get(c)!, cols[worst]!)) > Math.abs(corr(obs.classRates.get(best)!, cols[worst]!)) ? c : best),
      others[0]!,
    );
    out.set(name, M.keptCollinear(partner, vifs[worst]!, MAX_VIF));
    candidates.splice(worst, 1);
  }
  for (const c of candidates) out.set(c, null);
  return out;
}

function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Block starts of one moving-block bootstrap draw covering n points. */
function blockIndices(n: number, block: number, rand: () => number): Int32Array {
  const idx = new Int32Array(n);
  let k = 0;
  while (k < n) {
    const start = Math.floor(rand() * (n - block + 1));
    for (let j = 0; j < block && k < n; j++) idx[k++] = start + j;
  }
  return idx;
}

const percentile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
};

/** A robust fit with bootstrap intervals for each coefficient (intercept first). */
function fitWithIntervals(cols: Float64Array[], y: Float64Array, seed: string): { beta: number[]; intervals: [number, number][]; residuals: Float64Array } {
  const fit = huberFit(cols, y);
  const n = y.length;
  const block = Math.max(1, Math.round(Math.cbrt(n)));
  const rand = seedrandom.alea(seed);
  const draws: number[][] = cols.map(() => []);
  for (let b = 0; b < BOOTSTRAP_DRAWS; b++) {
    const idx = blockIndices(n, block, rand);
    const bc = cols.map((c) => Float64Array.from(idx, (i) => c[i]!));
    const by = Float64Array.from(idx, (i) => y[i]!);
    huberFit(bc, by).beta.forEach((v, j) => draws[j]!.push(v));
  }
  return { beta: fit.beta, residuals: fit.residuals, intervals: draws.map((d) => [percentile(d, 0.025), percentile(d, 0.975)]) };
}

export interface FitOptions {
  /** The Synapse profile's costs for the server's world (shipped values). */
  costs: Record<Op, OpCost>;
  /** The shipped memory terms. */
  shippedMemory: Record<MemoryTerm, number>;
  /** Local users (for per-user workload figures); null: unknown. */
  users: number | null;
  seed: string;
}

/**
 * The series behind the fit, interval by interval, for the fit report (not
 * part of the calibration file). Observed minus fitted is the fit's residual.
 */
export interface FitSeries {
  /** End of each interval, s since the epoch. */
  endSeconds: number[];
  stepSeconds: number;
  /**
   * The deployment's CPU, cores: observed; the fit's prediction (idle + fitted
   * coefficients x rates + kept classes at their shipped cost); and the
   * prediction with the shipped costs throughout (shipped costs x rates + the
   * fitted idle: what mxsim would have assumed).
   */
  cpu: { observed: Float64Array; fitted: Float64Array; shipped: Float64Array };
  /** Per process kind (`job`): observed CPU and the prediction of that kind's own fit, cores. */
  cpuByKind: Record<string, { observed: Float64Array; fitted: Float64Array }>;
  /** Resident memory summed over the processes, bytes: observed and fitted; null when absent. */
  memory: { observed: Float64Array; fitted: Float64Array } | null;
}

/** One process kind's fit: its CPU explained by the deployment's rates (ms of this kind's CPU per operation). */
export interface KindCoefficients {
  kind: string;
  instances: number;
  idleCores: { value: number; interval: [number, number] };
  coefficients: { name: string; value: number; interval: [number, number] }[];
}

export interface FitResult {
  idle: { value: number; interval: [number, number] | null };
  cpu: CalibrationCoefficient[];
  cpuQuality: { total: Quality; byKind: Record<string, Quality> };
  /** With more than one process kind: each kind's share of each fitted class's CPU, ms per operation, and its idle CPU. */
  cpuByKind: KindCoefficients[];
  memory: CalibrationCoefficient[];
  memoryQuality: Quality | null;
  workload: Record<string, number | null>;
  series: FitSeries;
}

interface Quality {
  rSquared: number;
  residualSd: number;
  meanObserved: number;
}

const quality = (y: Float64Array, residuals: Float64Array): Quality => ({
  rSquared: rSquared(y, residuals),
  residualSd: sd(residuals),
  meanObserved: y.reduce((s, v) => s + v, 0) / y.length,
});

/** Fit the CPU and memory terms the metrics identify (see the module header). */
export function fitCosts(obs: Observed, o: FitOptions): FitResult {
  const n = obs.times.length - 1;
  const ones = new Float64Array(n).fill(1);
  const total = new Float64Array(n);
  for (const r of obs.cpuByKind.values()) r.forEach((v, i) => (total[i]! += v));
  const verdict = verdicts(obs);
  const fitted = OP_CLASSES.filter((c) => verdict.get(c.name) === null);
  // Kept classes with traffic: their shipped CPU comes off the observed series.
  const offset = new Float64Array(n);
  for (const c of OP_CLASSES) {
    const r = obs.classRates.get(c.name);
    if (verdict.get(c.name) !== null && r !== undefined) r.forEach((v, i) => (offset[i]! += (v * shippedMs(c, o.costs)) / 1000));
  }
  const y = total.map((v, i) => v - offset[i]!);
  const cols = [ones, ...fitted.map((c) => obs.classRates.get(c.name)!)];
  const fit = fitWithIntervals(cols, y, `${o.seed}/cpu`);
  const cpu: CalibrationCoefficient[] = OP_CLASSES.map((c: OpClass) => {
    const j = fitted.indexOf(c) + 1;
    const base = { name: c.name, unit: 'ms', per: c.unit, applies: c.fields.map((f) => `${f.op}.${f.field}`), shipped: shippedMs(c, o.costs) };
    if (j === 0) return { ...base, value: null, interval: null, status: 'kept', reason: verdict.get(c.name) ?? null };
    const [lo, hi] = fit.intervals[j]!;
    return { ...base, value: fit.beta[j]! * 1000, interval: [lo * 1000, hi * 1000], status: 'fitted', reason: null };
  });
  const byKind: Record<string, Quality> = {};
  const seriesByKind: FitSeries['cpuByKind'] = {};
  // Each kind's own CPU on the same rates: where each operation's CPU lands (a send counted on a client worker is
  // persisted on another process). Kept classes are not columns here: their CPU falls to each kind's idle term.
  const cpuByKind: KindCoefficients[] = [];
  for (const [kind, r] of obs.cpuByKind) {
    const k = obs.cpuByKind.size > 1 ? fitWithIntervals(cols, r, `${o.seed}/cpu/${kind}`) : { ...huberFit(cols, r), intervals: null };
    byKind[kind] = quality(r, k.residuals);
    seriesByKind[kind] = { observed: r, fitted: r.map((v, i) => v - k.residuals[i]!) };
    if (k.intervals === null) continue;
    const iv = k.intervals;
    cpuByKind.push({
      kind,
      instances: obs.instancesByKind.get(kind) ?? 1,
      idleCores: { value: k.beta[0]!, interval: iv[0]! },
      coefficients: fitted.map((c, j) => ({ name: c.name, value: k.beta[j + 1]! * 1000, interval: [iv[j + 1]![0] * 1000, iv[j + 1]![1] * 1000] })),
    });
  }
  // What mxsim would have assumed: every class with a rate at its shipped cost, on the fitted idle.
  const shipped = new Float64Array(n).fill(fit.beta[0]!);
  for (const c of OP_CLASSES) obs.classRates.get(c.name)?.forEach((v, i) => (shipped[i]! += (v * shippedMs(c, o.costs)) / 1000));
  const memory = fitMemory(obs, o);
  return {
    idle: { value: fit.beta[0]!, interval: fit.intervals[0]! },
    cpu,
    cpuQuality: { total: quality(total, fit.residuals), byKind },
    cpuByKind,
    memory: memory.coefficients,
    memoryQuality: memory.quality,
    workload: workload(obs, o.users),
    series: {
      endSeconds: obs.times.slice(1),
      stepSeconds: obs.stepSeconds,
      cpu: { observed: total, fitted: total.map((v, i) => v - fit.residuals[i]!), shipped },
      cpuByKind: seriesByKind,
      memory: obs.memory === null || memory.residuals === null ? null : { observed: obs.memory, fitted: obs.memory.map((v, i) => v - memory.residuals![i]!) },
    },
  };
}

/** Memory: processes x base + listeners x bytes per listener + caches (module header). */
function fitMemory(obs: Observed, o: FitOptions): { coefficients: CalibrationCoefficient[]; quality: Quality | null; residuals: Float64Array | null } {
  const processes = [...obs.instancesByKind.values()].reduce((s, v) => s + v, 0);
  const term = (name: MemoryTerm, value: number | null, interval: [number, number] | null, reason: string | null): CalibrationCoefficient => ({
    name,
    unit: 'B',
    per: name === 'processBaseBytes' ? 'process' : 'client waiting on /sync',
    applies: [name],
    shipped: o.shippedMemory[name],
    value,
    interval,
    status: value === null ? 'kept' : 'fitted',
    reason,
  });
  if (obs.memory === null)
    return { coefficients: (Object.keys(MEMORY_TERMS) as MemoryTerm[]).map((t) => term(t, null, null, M.keptAbsentMetric(MEMORY_METRIC))), quality: null, residuals: null };
  const n = obs.memory.length;
  const ones = new Float64Array(n).fill(1);
  // The caches as resident memory: Synapse's estimate of their objects times the allocator's overhead mxsim assumes.
  const caches = obs.cacheBytes?.map((v) => v * CACHE_FRAGMENTATION) ?? null;
  const l = obs.listeners;
  const lMean = l === null ? 0 : l.reduce((s, v) => s + v, 0) / n;
  const perDeviceReason =
    l === null ? M.keptAbsentMetric(LISTENERS_METRIC) : lMean === 0 || sd(l) / lMean < MIN_RATE_CV ? M.keptConstant(lMean === 0 ? 0 : sd(l) / lMean, MIN_RATE_CV) : null;
  const baseReason = caches === null ? M.keptBaseWithoutCaches(CACHE_BYTES_METRIC) : null;
  // What the fitted terms explain: the memory less the caches and the kept per-device term.
  const y = obs.memory.map((v, i) => v - (caches?.[i] ?? 0) - (perDeviceReason !== null && l !== null ? l[i]! * o.shippedMemory.bytesPerOnlineDevice : 0));
  // Columns: the base as an intercept per process (or a free intercept when the caches are in it), then the devices.
  const cols = [baseReason === null ? new Float64Array(n).fill(processes) : ones, ...(perDeviceReason === null ? [l!] : [])];
  if (baseReason !== null && perDeviceReason !== null)
    return { coefficients: [term('processBaseBytes', null, null, baseReason), term('bytesPerOnlineDevice', null, null, perDeviceReason)], quality: null, residuals: null };
  const fit = fitWithIntervals(cols, y, `${o.seed}/memory`);
  const base = baseReason === null ? term('processBaseBytes', fit.beta[0]!, fit.intervals[0]!, null) : term('processBaseBytes', null, null, baseReason);
  const perDevice = perDeviceReason === null ? term('bytesPerOnlineDevice', fit.beta[1]!, fit.intervals[1]!, null) : term('bytesPerOnlineDevice', null, null, perDeviceReason);
  return { coefficients: [base, perDevice], quality: quality(obs.memory, fit.residuals), residuals: fit.residuals };
}

/** Workload figures the metrics reveal (as far as cheap): means over the window. */
function workload(obs: Observed, users: number | null): Record<string, number | null> {
  const mean = (name: string) => {
    const r = obs.classRates.get(name);
    return r === undefined ? null : r.reduce((s, v) => s + v, 0) / r.length;
  };
  const per = (x: number | null, k: number) => (x === null ? null : x * k);
  const listeners = obs.listeners === null ? null : obs.listeners.reduce((s, v) => s + v, 0) / obs.listeners.length;
  const sends = mean('send');
  const sync = mean('sync');
  return {
    sendsPerDay: per(sends, 86400),
    sendsPerUserPerDay: sends === null || users === null || users <= 0 ? null : (sends * 86400) / users,
    syncResponsesPerDay: per(sync, 86400),
    syncResponsesPerWaitingClientPerHour: sync === null || listeners === null || listeners <= 0 ? null : (sync * 3600) / listeners,
    meanClientsWaitingOnSync: listeners,
    pdusReceivedPerDay: per(mean('fedIn'), 86400),
    federationTransactionsSentPerDay: per(mean('fedOut'), 86400),
    pushesPerDay: per(mean('push'), 86400),
    eventsPersistedPerDay: obs.persisted === null ? null : (obs.persisted.reduce((s, v) => s + v, 0) / obs.persisted.length) * 86400,
  };
}
