/**
 * The comparison of `mxsim compare` as data (`comparison.json`): key figures
 * of every input, the difference of every input against the first (the
 * baseline) with Welch's 95% interval (method in compare-stats.ts), and
 * warnings when the inputs are not comparable as they stand.
 */
import { ci95HalfWidth, logScaleInterval } from '../analysis/confidence.js';
import type { Stat } from '../analysis/stat.js';
import type { RunSummary } from '../cost/run.js';
import { formatAmount, formatBytes, formatCount, formatMilliseconds, formatMoney, formatNumber } from '../format/index.js';
import type { CompareInput } from './compare-inputs.js';
import { estimateFromStat, estimateFromValues, exactEstimate, welchDifference, type MeanEstimate } from './compare-stats.js';

type Unit = 'count' | 'perDay' | 'bytes' | 'bytesPerDay' | 'cores' | 'ms' | 'GiB' | 'Mbit/s' | 'money' | 'text';

/** A key figure: how to read it from a summary (a Stat, a number, a text or nothing). */
interface Figure {
  id: string;
  label: string;
  unit: Unit;
  get(s: RunSummary): Stat | number | string | null | undefined;
  /** A plain number that still varies between replications (a mean of per-replication values): no interval without them. */
  varies?: boolean;
}

const sumStats = (a: Stat | undefined, b: Stat | undefined): Stat | undefined => {
  if (!a || !b) return a ?? b;
  // Without per-replication values the two are treated as independent (documented in OUTPUT.md).
  const ha = ci95HalfWidth(a.mean, a.ci95);
  const hb = ci95HalfWidth(b.mean, b.ci95);
  const h = Math.sqrt(ha * ha + hb * hb);
  const mean = a.mean + b.mean;
  // A sum of two counts cannot be negative: its interval on the log scale, as stat() makes it.
  return { mean, ci95: mean > 0 && a.mean >= 0 && b.mean >= 0 ? logScaleInterval(mean, h) : [mean - h, mean + h] };
};

export const FIGURES: readonly Figure[] = [
  { id: 'users', label: 'users', unit: 'count', get: (s) => s.world.users },
  { id: 'messagesPerDay', label: 'messages sent/day', unit: 'perDay', get: (s) => sumStats(s.traffic.eventsPerDay['m.room.message'], s.traffic.eventsPerDay['m.room.encrypted']) },
  { id: 'peakOnlineUsers', label: 'peak online users', unit: 'count', get: (s) => s.activity.peakOnlineUsers },
  { id: 'clientBytesOutPerDay', label: 'client traffic out/day', unit: 'bytesPerDay', get: (s) => s.traffic.client.bytesOutPerDay },
  { id: 'clientBytesInPerDay', label: 'client traffic in/day', unit: 'bytesPerDay', get: (s) => s.traffic.client.bytesInPerDay },
  { id: 'federationBytesOutPerDay', label: 'federation out/day', unit: 'bytesPerDay', get: (s) => s.traffic.federation.bytesOutPerDay },
  { id: 'federationBytesInPerDay', label: 'federation in/day', unit: 'bytesPerDay', get: (s) => s.traffic.federation.bytesInPerDay },
  { id: 'federationEdusPerDay', label: 'federation EDUs sent/day', unit: 'perDay', get: (s) => s.traffic.federation.edusSentPerDay },
  { id: 'presenceEdusPerDay', label: 'presence EDUs sent/day', unit: 'perDay', get: (s) => s.traffic.federation.edusSentPerDayByType['presence'] },
  { id: 'mediaBytesInPerDay', label: 'media in/day', unit: 'bytesPerDay', get: (s) => s.traffic.media.bytesInPerDay },
  { id: 'mediaBytesOutPerDay', label: 'media out/day', unit: 'bytesPerDay', get: (s) => s.traffic.media.bytesOutPerDay },
  { id: 'storageBytesPerDay', label: 'storage added/day', unit: 'bytesPerDay', get: (s) => s.storage.bytesPerDay },
  { id: 'storageBytesAtHorizon', label: 'storage at horizon', unit: 'bytes', get: (s) => s.storage.bytesAtEnd },
  { id: 'totalCoresMean', label: 'total cores busy, mean', unit: 'cores', get: (s) => ({ mean: s.resources.totalCores.mean, ci95: s.resources.totalCores.ci95 }) },
  { id: 'totalCoresP95', label: 'total cores busy, p95 bin', unit: 'cores', get: (s) => s.resources.totalCores.p95, varies: true },
  { id: 'localSendP95Ms', label: 'local send latency p95', unit: 'ms', get: (s) => s.latencyMs.localSend.p95 },
  { id: 'recommendedCores', label: 'recommended cores', unit: 'cores', get: (s) => s.recommendation.cores },
  { id: 'recommendedRamGiB', label: 'recommended RAM', unit: 'GiB', get: (s) => s.recommendation.ramGiB },
  { id: 'recommendedDiskGiB', label: 'recommended disk', unit: 'GiB', get: (s) => s.recommendation.diskGiB },
  { id: 'recommendedBandwidthMbps', label: 'recommended bandwidth', unit: 'Mbit/s', get: (s) => s.recommendation.bandwidthMbps },
  { id: 'deployment', label: 'deployment', unit: 'text', get: (s) => deploymentText(s) },
  { id: 'costMonthly', label: 'self-hosting cost/month', unit: 'money', get: (s) => s.cost?.selfHost?.monthly },
  { id: 'costHorizon', label: 'self-hosting cost over the horizon', unit: 'money', get: (s) => s.cost?.selfHost?.horizonTotal },
];

function deploymentText(s: RunSummary): string {
  const d = s.recommendation.deployment;
  if (d.kind === 'workers')
    return `${s.recommendation.implementation} with ${d.processes - 1} workers (${Object.entries(d.workers ?? {})
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')})`;
  if (d.kind === 'monolith') return `${s.recommendation.implementation}, one process`;
  return `${s.recommendation.implementation} on ${d.serverCores} cores`;
}

// ---------------------------------------------------------------------------
// The comparison as data

export interface FigureValue {
  input: string;
  /** The mean (or the value, for figures that do not vary); null when the input does not have it. */
  value: number | string | null;
  ci95: [number, number] | null;
  text: string;
}

export interface FigureDifference {
  input: string;
  /** Input − baseline. */
  difference: number | null;
  ci95: [number, number] | null;
  df: number | null;
  relative: number | null;
  /** Where each side's variance came from: per-replication values, the Stat's interval, or exact. */
  basis: [MeanEstimate['basis'], MeanEstimate['basis']] | null;
  text: string;
}

export interface ComparisonFigure {
  id: string;
  label: string;
  unit: Unit;
  values: FigureValue[];
  /** One per input after the baseline (empty for text figures). */
  differences: FigureDifference[];
}

export interface Comparison {
  mxsim: string;
  baseline: string;
  inputs: {
    label: string;
    path: string;
    kind: 'run' | 'scenario';
    scenario: string;
    mxsim: string;
    sha256: string;
    overrides: string[];
    seed: string;
    replications: number;
    simulatedDays: number;
    binMinutes: number;
    horizonMonths: number;
    currency: string | null;
  }[];
  /** Why the inputs may not be comparable as they stand; empty when nothing stands out. */
  warnings: string[];
  method: string;
  figures: ComparisonFigure[];
  /** Differences in words, one per input after the baseline and figure with a number. */
  statements: string[];
}

export const METHOD =
  'Differences are input minus baseline (the first input). Their 95% confidence intervals are Welch intervals for a difference of two means from independent replications: ' +
  'each side gives its mean and the variance of its mean, from the per-replication values where known (data/replications.csv of a run folder, or the replications of a scenario simulated here), ' +
  "otherwise from the Stat's interval (standard error = h / t(0.975, n-1), n = replications, h = m·ln(hi/lo)/2 for the log-scale interval of a figure that cannot be negative, (hi − lo)/2 for a symmetric one); the interval is difference ± t(0.975, df)·√(vA + vB) with Welch–Satterthwaite df. " +
  'Figures that do not vary between replications (users, recommendations, costs) are compared exactly; with one replication there is no interval.';

const safe = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

function currencyOf(s: RunSummary): string | null {
  return safe(() => s.cost?.currency) ?? null;
}

/** A value in its unit, for people. */
export function formatUnit(v: number, unit: Unit, currency: string | null = null, signed = false): string {
  if (!Number.isFinite(v)) return '–';
  const sign = signed && v > 0 ? '+' : '';
  switch (unit) {
    case 'count':
      return sign + (signed ? formatNumber(v) : formatCount(v));
    case 'perDay':
      return `${sign}${formatNumber(v)}`;
    case 'bytes':
      return sign + formatBytes(v);
    case 'bytesPerDay':
      return `${sign}${formatBytes(v)}/day`;
    case 'cores':
      return `${sign}${formatNumber(v)} cores`;
    case 'ms':
      return sign + formatMilliseconds(v);
    case 'GiB':
    case 'Mbit/s':
      return `${sign}${formatNumber(v)} ${unit}`;
    case 'money':
      return sign + (currency ? formatMoney(v, currency) : formatAmount(v));
    case 'text':
      return String(v);
  }
}

function estimate(input: CompareInput, f: Figure, raw: Stat | number): MeanEstimate {
  const samples = input.samples[f.id];
  if (samples && samples.length > 0) return estimateFromValues(samples);
  if (typeof raw === 'number') return f.varies ? { mean: raw, varianceOfMean: NaN, n: input.summary.replications, basis: 'stat' } : exactEstimate(raw);
  return estimateFromStat(raw, input.summary.replications);
}

/** The differences text: "+1.2 MiB/day (95% CI 0.9 MiB/day to 1.5 MiB/day)". */
function differenceText(d: { difference: number; ci95: [number, number] | null; relative: number | null }, unit: Unit, currency: string | null): string {
  const main = formatUnit(d.difference, unit, currency, true);
  const rel = d.relative !== null && Number.isFinite(d.relative) && d.difference !== 0 ? ` (${d.relative > 0 ? '+' : ''}${(d.relative * 100).toFixed(1)}%)` : '';
  if (d.ci95 === null) return `${main}${rel}, no interval`;
  if (d.ci95[0] === d.ci95[1]) return `${main}${rel}, exact`;
  return `${main}${rel}, 95% CI ${formatUnit(d.ci95[0], unit, currency)} to ${formatUnit(d.ci95[1], unit, currency)}`;
}

/** Why the inputs may not be comparable as they stand. */
export function comparabilityWarnings(inputs: readonly CompareInput[]): string[] {
  const warnings: string[] = [];
  const differ = <T>(f: (i: CompareInput) => T) => new Set(inputs.map((i) => String(f(i)))).size > 1;
  const list = <T>(f: (i: CompareInput) => T) => inputs.map((i) => `${i.label}: ${String(f(i))}`).join(', ');
  if (differ((i) => i.summary.mxsim))
    warnings.push(
      `the inputs were made by different mxsim versions (${list((i) => i.summary.mxsim)}): part of any difference may come from changes to the model rather than from the scenarios`,
    );
  if (differ((i) => i.summary.simulatedDays))
    warnings.push(
      `the inputs simulate different lengths of time (${list((i) => `${i.summary.simulatedDays} day(s)`)}): per-day figures, peaks and the storage projection rest on different parts of the week`,
    );
  if (differ((i) => i.summary.binMinutes))
    warnings.push(`the inputs use different bin sizes (${list((i) => `${i.summary.binMinutes} min`)}): peaks, p95 bins and latency per bin are not measured alike`);
  if (differ((i) => i.summary.storage.horizonMonths))
    warnings.push(
      `the inputs project storage over different horizons (${list((i) => `${i.summary.storage.horizonMonths} months`)}): storage at horizon, disk and horizon costs are not comparable`,
    );
  const currencies = inputs.map((i) => currencyOf(i.summary));
  if (currencies.every((c) => c !== null) && differ((i) => currencyOf(i.summary)))
    warnings.push(`the inputs' costs are in different currencies (${list((i) => currencyOf(i.summary))}): cost differences are left out`);
  const single = inputs.filter((i) => i.summary.replications < 2);
  if (single.length > 0) warnings.push(`${single.map((i) => i.label).join(', ')}: one replication only, so differences with it have no confidence interval`);
  return warnings;
}

/** The comparison as data: figures, differences against the first input, warnings. */
export function buildComparison(inputs: readonly CompareInput[], version: string): Comparison {
  const [base] = inputs;
  if (base === undefined || inputs.length < 2) throw new Error('a comparison needs at least two inputs');
  const warnings = comparabilityWarnings(inputs);
  const currencies = inputs.map((i) => currencyOf(i.summary));
  const sameCurrency = new Set(currencies.filter((c) => c !== null)).size <= 1;
  const figures: ComparisonFigure[] = [];
  const statements: string[] = [];
  for (const f of FIGURES) {
    const raws = inputs.map((i) => safe(() => f.get(i.summary)) ?? null);
    if (raws.every((r) => r === null)) continue; // e.g. no input has a cost
    const values: FigureValue[] = inputs.map((input, k) => {
      const r = raws[k];
      const cur = currencies[k] ?? null;
      if (r === null || r === undefined) return { input: input.label, value: null, ci95: null, text: '–' };
      if (typeof r === 'string') return { input: input.label, value: r, ci95: null, text: r };
      if (typeof r === 'number') return { input: input.label, value: r, ci95: null, text: formatUnit(r, f.unit, cur) };
      const ci = Number.isFinite(r.ci95[0]) && Number.isFinite(r.ci95[1]) && input.summary.replications > 1 ? r.ci95 : null;
      return { input: input.label, value: r.mean, ci95: ci, text: formatUnit(r.mean, f.unit, cur) };
    });
    const differences: FigureDifference[] = [];
    if (f.unit !== 'text') {
      const a = raws[0];
      inputs.slice(1).forEach((input, j) => {
        const b = raws[j + 1];
        if (a === null || a === undefined || b === null || b === undefined || typeof a === 'string' || typeof b === 'string' || (f.unit === 'money' && !sameCurrency)) {
          differences.push({ input: input.label, difference: null, ci95: null, df: null, relative: null, basis: null, text: '–' });
          return;
        }
        const ea = estimate(base, f, a);
        const eb = estimate(input, f, b);
        const d = welchDifference(ea, eb);
        const text = differenceText(d, f.unit, currencies[0] ?? null);
        differences.push({ input: input.label, difference: d.difference, ci95: d.ci95, df: d.df, relative: d.relative, basis: [ea.basis, eb.basis], text });
        statements.push(`${input.label}: ${f.label} ${text}`);
      });
    }
    figures.push({ id: f.id, label: f.label, unit: f.unit, values, differences });
  }
  return {
    mxsim: version,
    baseline: base.label,
    inputs: inputs.map((i) => ({
      label: i.label,
      path: i.path,
      kind: i.kind,
      scenario: i.summary.scenario.name,
      mxsim: i.summary.mxsim,
      sha256: i.summary.scenario.sha256,
      overrides: i.summary.scenario.overrides,
      seed: i.summary.seed,
      replications: i.summary.replications,
      simulatedDays: i.summary.simulatedDays,
      binMinutes: i.summary.binMinutes,
      horizonMonths: i.summary.storage.horizonMonths,
      currency: currencyOf(i.summary),
    })),
    warnings,
    method: METHOD,
    figures,
    statements,
  };
}
