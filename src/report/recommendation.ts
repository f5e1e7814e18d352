/**
 * The sizing recommendation in the report pages, as plain text: the warning
 * a report opens with when the targets are missed, the recommendation as
 * label/value rows, and in one sentence. summary.json's recommendation is
 * read defensively: a summary read back from disk may be of another version.
 */
import type { RunSummary } from '../cost/run.js';
import { formatCount, formatMilliseconds, formatShare } from '../format/index.js';
import { formatAny, isRecord, plain } from './format-any.js';
import { seriesLabel } from './palette.js';
import { keyWords } from './text.js';

/**
 * The sizing recommendation fields (src/analysis/resources.ts), in display
 * order, with their labels and formats. Fields not listed here are shown
 * after these, by their key.
 */
export const RECOMMENDATION_FIELDS: readonly { key: string; label: string; unit?: string; share?: boolean }[] = [
  { key: 'targetsMet', label: 'meets its targets, re-simulated' },
  { key: 'limit', label: 'what prevents it, and the lever' },
  { key: 'implementation', label: 'server' },
  { key: 'deployment', label: 'deployment' },
  { key: 'horizonUsers', label: 'sized for users' },
  { key: 'growAtMonth', label: 'must grow by month' },
  { key: 'cores', label: 'CPU cores in all' },
  { key: 'databaseCores', label: 'of which PostgreSQL' },
  { key: 'coresByComponent', label: 'cores needed by component (p95 CPU over the ceiling)' },
  { key: 'processesByKind', label: 'processes by kind' },
  { key: 'ramGiBByProcessKind', label: 'memory of one process, by kind', unit: 'GiB' },
  { key: 'band', label: 'cores and memory with every cost low, typical, high' },
  { key: 'ramGiB', label: 'memory', unit: 'GiB' },
  { key: 'databaseRamGiB', label: 'of which PostgreSQL memory', unit: 'GiB' },
  { key: 'diskGiB', label: 'disk', unit: 'GiB' },
  { key: 'bandwidthMbps', label: 'bandwidth', unit: 'Mbit/s' },
  { key: 'bottleneck', label: 'bottleneck' },
  { key: 'bottleneckResource', label: 'bottleneck resource' },
  { key: 'bottleneckUtilizationP95', label: 'bottleneck utilisation (p95 bin)', share: true },
  { key: 'saturationUsers', label: 'users at saturation' },
  { key: 'saturationMethod', label: 'saturation found by' },
  { key: 'targets', label: 'targets' },
  { key: 'simulatedDeploymentMeetsTargets', label: 'deployment as simulated meets the targets' },
  { key: 'verification', label: 'recommended deployment re-simulated' },
  { key: 'notes', label: 'notes' },
  { key: 'components', label: 'components (bill of materials)' },
];

/** The label of a process kind or component ('sync workers', 'PostgreSQL'), else its key in plain words. */
export function componentLabel(kind: string): string {
  if (kind === 'postgres' || kind === 'database') return 'PostgreSQL';
  const label = seriesLabel(`process.${kind}`);
  return label === `process.${kind}` ? keyWords(kind) : label;
}

/** A share as a percentage, whole when it is whole: 0.7 → '70%', 0.736 → '73.6%'. */
export const percent = (x: number): string => (Number.isInteger(Math.round(x * 1000) / 10) ? `${Math.round(x * 100)}%` : formatShare(x));

/** The targets in words: "CPU at most 70% at the p95 bin; local send p95 at most 1000 ms; ...". */
export function targetsText(targets: unknown): string | undefined {
  if (!isRecord(targets)) return undefined;
  const parts: string[] = [];
  const n = (k: string) => (typeof targets[k] === 'number' && Number.isFinite(targets[k]) ? targets[k] : undefined);
  const cpu = n('cpuUtilization');
  if (cpu !== undefined) parts.push(`CPU at most ${percent(cpu)} at the p95 bin`);
  const ms = n('localSendMs');
  const p = typeof targets.latencyPercentile === 'string' ? targets.latencyPercentile : 'p95';
  if (ms !== undefined) parts.push(`local send ${p} at most ${formatMilliseconds(ms)}`);
  const disk = n('diskHeadroom');
  if (disk !== undefined) parts.push(`disk headroom ${percent(disk)}`);
  const bw = n('bandwidthHeadroom');
  if (bw !== undefined) parts.push(`bandwidth headroom ${percent(bw)}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** "workers: 10 processes (sync workers ×3, client-request workers ×1)", or the value in general words. */
function formatDeployment(d: unknown, withWorkers = true): string {
  if (!isRecord(d) || typeof d.kind !== 'string') return formatAny(d);
  const parts: string[] = [d.kind];
  if (typeof d.processes === 'number') parts.push(`${plain(d.processes)} process${d.processes === 1 ? '' : 'es'}`);
  let text = parts.join(': ');
  if (withWorkers && isRecord(d.workers)) {
    const workers = Object.entries(d.workers).map(([k, n]) => `${componentLabel(k)} ×${formatAny(n)}`);
    if (workers.length > 0) text += ` (${workers.join(', ')})`;
  }
  if (typeof d.serverCores === 'number') text += `, ${plain(d.serverCores)} server cores`;
  return text;
}

/** "low 4 cores, 13 GiB; typical 8 cores, 15 GiB; high 12 cores, 18 GiB". */
function formatBand(v: unknown): string {
  if (!isRecord(v)) return formatAny(v);
  return Object.entries(v)
    .map(([end, p]) =>
      isRecord(p) && typeof p.cores === 'number' && typeof p.ramGiB === 'number' ? `${end} ${plain(p.cores)} cores, ${plain(p.ramGiB)} GiB` : `${end} ${formatAny(p)}`,
    )
    .join('; ');
}

/** "main process 0.15, sync workers 5.41, PostgreSQL 0.79" (with a unit: "main process 0.196 GiB, ..."). */
function formatByComponent(v: unknown, unit?: string): string {
  if (!isRecord(v)) return formatAny(v);
  return Object.entries(v)
    .map(([k, x]) => `${componentLabel(k)} ${formatAny(x, unit)}`)
    .join(', ');
}

/** "9 components, 24 instances: see the Deployment table". */
function formatComponents(v: unknown): string {
  if (!Array.isArray(v)) return formatAny(v);
  const instances = v.reduce((a: number, c: unknown) => a + (isRecord(c) && typeof c.count === 'number' && Number.isFinite(c.count) ? c.count : 0), 0);
  return `${plain(v.length)} component${v.length === 1 ? '' : 's'}, ${plain(instances)} instance${instances === 1 ? '' : 's'}: see the Deployment table`;
}

/** "CPU target missed, latency target met". */
function formatSimulatedMet(v: unknown): string {
  if (!isRecord(v)) return formatAny(v);
  return Object.entries(v)
    .map(([k, x]) => `${k === 'cpu' ? 'CPU' : keyWords(k)} target ${x === true ? 'met' : x === false ? 'missed' : formatAny(x)}`)
    .join(', ');
}

/** "re-simulated 3 times (seed 1/0): targets met; busiest process at 46.4% CPU at the p95 bin; local send 74 ms; added sync workers to 8, PostgreSQL to 2 cores". */
function formatVerification(v: unknown): string {
  if (!isRecord(v)) return formatAny(v);
  const parts: string[] = [];
  if (typeof v.iterations === 'number')
    parts.push(`re-simulated ${plain(v.iterations)} time${v.iterations === 1 ? '' : 's'}${typeof v.seed === 'string' ? ` (seed ${v.seed})` : ''}`);
  if (typeof v.meetsTargets === 'boolean') parts.push(`targets ${v.meetsTargets ? 'met' : 'missed'}`);
  if (typeof v.utilizationP95Max === 'number') parts.push(`busiest process at ${formatShare(v.utilizationP95Max)} CPU at the p95 bin`);
  if (typeof v.localSendMs === 'number') parts.push(`local send ${formatMilliseconds(v.localSendMs)}`);
  if (Array.isArray(v.adjustments) && v.adjustments.length > 0) parts.push(`added ${v.adjustments.map((a) => formatAny(a)).join(', then ')}`);
  return parts.length > 0 ? parts.join('; ') : formatAny(v);
}

function formatRecommendationField(key: string, v: unknown, unit?: string, share?: boolean): string {
  if (key === 'deployment') return formatDeployment(v);
  if (key === 'targets') return targetsText(v) ?? formatAny(v);
  if (key === 'band') return formatBand(v);
  if (key === 'coresByComponent' || key === 'processesByKind' || key === 'ramGiBByProcessKind') return formatByComponent(v, unit);
  if (key === 'components') return formatComponents(v);
  if (key === 'simulatedDeploymentMeetsTargets') return formatSimulatedMet(v);
  if (key === 'verification') return formatVerification(v);
  if (key === 'bottleneckResource' && typeof v === 'string') return componentLabel(v);
  if (share && typeof v === 'number') return formatShare(v);
  return formatAny(v, unit);
}

/**
 * The recommendation's fields by name, for the generic rows below; undefined
 * when there is none. Read defensively: a summary read back from disk may be
 * of another version.
 */
export function recommendationOf(summary: RunSummary): Record<string, unknown> | undefined {
  const rec: unknown = summary.recommendation;
  return isRecord(rec) ? rec : undefined;
}

/**
 * The warning a report opens with when the recommended deployment, re-simulated,
 * cannot meet its targets: the mechanism that prevents it and the lever that
 * would help. Undefined when the targets are met.
 */
export function targetsBanner(summary: RunSummary): string | undefined {
  const rec = recommendationOf(summary);
  if (!rec || rec.targetsMet !== false) return undefined;
  const limit = isRecord(rec.limit) ? rec.limit : {};
  const mechanism = typeof limit.mechanism === 'string' ? limit.mechanism : 'the re-simulated deployment misses a target';
  const lever = typeof limit.lever === 'string' ? ` What would help: ${limit.lever}.` : '';
  return `The recommendation does not meet its targets: ${mechanism}.${lever} Treat its figures as a lower bound.`;
}

/** The recommendation as label/value rows, or undefined when summary.json has none. */
export function recommendationRows(summary: RunSummary): [string, string][] | undefined {
  const rec = recommendationOf(summary);
  if (!rec) return undefined;
  const known = RECOMMENDATION_FIELDS.filter((f) => f.key in rec).map((f): [string, string] => [f.label, formatRecommendationField(f.key, rec[f.key], f.unit, f.share)]);
  const others = Object.keys(rec)
    .filter((k) => !RECOMMENDATION_FIELDS.some((f) => f.key === k))
    .map((k): [string, string] => [keyWords(k), formatAny(rec[k])]);
  return [...known, ...others];
}

/**
 * The recommendation in one plain sentence, from the fields it has:
 * "Run synapse (workers: 10 processes ...) on 12 CPU cores (2 of them for
 * database, 7 GiB of memory, 890 GiB of disk and 11 Mbit/s. The bottleneck is
 * ...; it saturates at about 2,808 users."
 */
export function recommendationSentence(summary: RunSummary): string | undefined {
  const rec = recommendationOf(summary);
  if (!rec) return undefined;
  const num = (k: string): number | undefined => {
    const v = rec[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const what = [typeof rec.implementation === 'string' ? rec.implementation : 'the server', rec.deployment !== undefined ? `(${formatDeployment(rec.deployment, false)})` : '']
    .filter(Boolean)
    .join(' ');
  const needs: string[] = [];
  // `cores` counts every core, PostgreSQL's included.
  const cores = num('cores');
  if (cores !== undefined) {
    const db = num('databaseCores');
    needs.push(`${plain(cores)} CPU cores${db !== undefined && db > 0 ? ` (${plain(db)} of them for PostgreSQL)` : ''}`);
  }
  const ramGiB = num('ramGiB');
  if (ramGiB !== undefined) needs.push(`${plain(ramGiB)} GiB of memory`);
  const diskGiB = num('diskGiB');
  if (diskGiB !== undefined) needs.push(`${plain(diskGiB)} GiB of disk`);
  const bandwidthMbps = num('bandwidthMbps');
  // With calls, the recommendation's bandwidth is the homeserver's; the SFU's is in the bill.
  if (bandwidthMbps !== undefined)
    needs.push(`${plain(bandwidthMbps)} Mbit/s of bandwidth${summary.traffic.calls ? ' for the homeserver (the SFU’s is in the Deployment table)' : ''}`);
  const list = needs.length > 1 ? `${needs.slice(0, -1).join(', ')} and ${needs.at(-1)}` : (needs[0] ?? '');
  let text = `Run ${what}${list ? ` on ${list}` : ''}.`;
  if (typeof rec.bottleneck === 'string') {
    text += ` The bottleneck is ${rec.bottleneck}`;
    const saturationUsers = num('saturationUsers');
    text += saturationUsers !== undefined ? `; it saturates at about ${formatCount(saturationUsers)} users.` : '.';
  }
  return text;
}
