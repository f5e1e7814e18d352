/**
 * What the fit report of `mxsim calibrate` says, as data: the series of the
 * fit hour by hour (observed, fitted, shipped-cost prediction, residual, per
 * process kind and for memory), the coefficients in the order of how far
 * each moved from its shipped value, and the fit's quality per series.
 * src/report/calibration-report.ts turns this into the report's files
 * (charts, index.html, report.md, data/fit-series.csv).
 *
 * Hour by hour: each interval counts in the clock hour (UTC) its start falls
 * in, and an hour's value is the mean of its intervals (cores are a rate,
 * bytes a level: a mean either way). A step longer than an hour is kept:
 * each interval is then its own point.
 */
import type { Calibration, CalibrationCoefficient } from './calibration-file.js';
import type { FitSeries } from './fit.js';

const HOUR_SECONDS = 3600;

/** Series means per clock hour (or per interval, when the step is over an hour). */
export interface Hourly {
  /** Start of each hour (or interval), s since the epoch. */
  startSeconds: number[];
  /** Intervals averaged into each point. */
  intervals: number[];
  /** The mean of each series in each point, by the names given. */
  means: Record<string, number[]>;
}

/**
 * Means per clock hour of series given per interval (`endSeconds`, each
 * interval `stepSeconds` long). Every series has one value per interval.
 * @example hourlyMeans([1800, 3600, 5400], 1800, { x: [1, 3, 5] }) // startSeconds [0, 3600], means { x: [2, 5] }
 */
export function hourlyMeans(endSeconds: readonly number[], stepSeconds: number, series: Record<string, ArrayLike<number>>): Hourly {
  const keyOf = (end: number) => {
    const start = end - stepSeconds;
    return stepSeconds > HOUR_SECONDS ? start : Math.floor(start / HOUR_SECONDS) * HOUR_SECONDS;
  };
  const startSeconds: number[] = [];
  const intervals: number[] = [];
  const sums: Record<string, number[]> = Object.fromEntries(Object.keys(series).map((k) => [k, []]));
  endSeconds.forEach((end, i) => {
    const key = keyOf(end);
    if (startSeconds[startSeconds.length - 1] !== key) {
      startSeconds.push(key);
      intervals.push(0);
      for (const k of Object.keys(series)) sums[k]!.push(0);
    }
    const at = startSeconds.length - 1;
    intervals[at]! += 1;
    for (const [k, v] of Object.entries(series)) sums[k]![at]! += v[i]!;
  });
  const means = Object.fromEntries(Object.entries(sums).map(([k, s]) => [k, s.map((x, j) => x / intervals[j]!)]));
  return { startSeconds, intervals, means };
}

/** The kind of the deployment's total in the rows. */
export const TOTAL_KIND = 'all processes';
/** The kind of the memory rows. */
export const MEMORY_KIND = 'memory';

/** One row of data/fit-series.csv: one series in one hour. */
export interface FitRow {
  /** Start of the hour (or interval), s since the epoch. */
  startSeconds: number;
  /** TOTAL_KIND, a process kind (`job`), or MEMORY_KIND. */
  kind: string;
  unit: 'cores' | 'bytes';
  observed: number;
  fitted: number;
  /** The prediction with the shipped costs (the total only); null elsewhere. */
  shipped: number | null;
  /** observed - fitted. */
  residual: number;
}

/** The series of the fit hour by hour: the total first, then each process kind, then memory; hour by hour within each. */
export function fitRows(s: FitSeries): FitRow[] {
  const rows: FitRow[] = [];
  const add = (kind: string, unit: FitRow['unit'], v: { observed: ArrayLike<number>; fitted: ArrayLike<number>; shipped?: ArrayLike<number> }) => {
    const h = hourlyMeans(s.endSeconds, s.stepSeconds, { observed: v.observed, fitted: v.fitted, ...(v.shipped ? { shipped: v.shipped } : {}) });
    h.startSeconds.forEach((t, j) => {
      const observed = h.means['observed']![j]!;
      const fitted = h.means['fitted']![j]!;
      rows.push({ startSeconds: t, kind, unit, observed, fitted, shipped: h.means['shipped']?.[j] ?? null, residual: observed - fitted });
    });
  };
  add(TOTAL_KIND, 'cores', s.cpu);
  for (const [kind, v] of Object.entries(s.cpuByKind).sort(([a], [b]) => a.localeCompare(b))) add(kind, 'cores', v);
  if (s.memory !== null) add(MEMORY_KIND, 'bytes', s.memory);
  return rows;
}

/** A coefficient of the calibration with how far it moved. */
export interface MovedCoefficient extends CalibrationCoefficient {
  /** 'cpu' (per operation) or 'memory'. */
  group: 'cpu' | 'memory';
  /** fitted / shipped; null when kept or the shipped value is not positive. */
  ratio: number | null;
  /** The interval over the shipped value; null when there is no ratio. */
  ratioInterval: [number, number] | null;
}

/** |log(fitted / shipped)|: how far a coefficient moved, either way alike (half and double are as far); Infinity for a fitted 0. */
export const moveOf = (k: Pick<MovedCoefficient, 'ratio'>): number | null => (k.ratio === null ? null : Math.abs(Math.log(k.ratio)));

/**
 * Every coefficient, CPU and memory, the ones that moved most from the
 * shipped value first (by |log(fitted / shipped)|), then those without a
 * ratio (kept) in the calibration's order.
 */
export function coefficientsByMove(c: Calibration): MovedCoefficient[] {
  const all: MovedCoefficient[] = [
    ...c.cpu.coefficients.map((k) => ({ ...k, group: 'cpu' as const })),
    ...c.memory.coefficients.map((k) => ({ ...k, group: 'memory' as const })),
  ].map((k) => {
    const has = k.status === 'fitted' && k.value !== null && k.shipped > 0;
    return {
      ...k,
      ratio: has ? k.value! / k.shipped : null,
      ratioInterval: has && k.interval !== null ? [k.interval[0] / k.shipped, k.interval[1] / k.shipped] : null,
    };
  });
  // A stable sort: ties (two fitted at 0 among them) and the kept ones keep the calibration's order.
  const key = (k: MovedCoefficient) => moveOf(k) ?? -1;
  return all.sort((a, b) => (key(a) === key(b) ? 0 : key(b) > key(a) ? 1 : -1));
}

/** The quality of one fitted series. */
export interface QualityRow {
  series: string;
  unit: 'cores' | 'bytes';
  rSquared: number;
  residualSd: number;
  meanObserved: number;
}

/** R² and residual sd of the deployment's CPU, of each process kind's own fit, and of memory when present. */
export function qualityRows(c: Calibration): QualityRow[] {
  const q = c.cpu.quality;
  return [
    { series: TOTAL_KIND, unit: 'cores', ...q.total },
    ...Object.entries(q.byKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, v]) => ({ series: kind, unit: 'cores' as const, ...v })),
    ...(c.memory.quality ? [{ series: MEMORY_KIND, unit: 'bytes' as const, ...c.memory.quality }] : []),
  ];
}
