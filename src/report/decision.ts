/**
 * The decision a report opens with, as plain text: what to deploy (each
 * component with its processes, cores and memory), the cores, memory, disk
 * and bandwidth in all, the monthly and per-user cost against the cheapest
 * SaaS plan of the run's cost result, the break-even, the bottleneck, and
 * whether the targets hold, both for the recommended deployment and for the
 * scenario's own deployment as simulated. A missed target is a red banner
 * that says what to change. The HTML page and the Markdown summary render the
 * same `Decision`, each escaping for its own format.
 *
 * summary.json is read defensively, as recommendation.ts and cost-section.ts
 * do: a summary read back from disk may be of another version, and a field
 * that is missing leaves its part out rather than failing.
 */
import type { RunSummary } from '../cost/run.js';
import { formatCount, formatMilliseconds, formatMoney, formatShare, formatWholeMoney } from '../format/index.js';
import { implementationProfile } from '../server/topology.js';
import { costSummary } from './cost-section.js';
import { isRecord, plain } from './format-any.js';
import { componentLabel, percent, recommendationOf, targetsBanner, targetsText } from './recommendation.js';
import type { Table } from './table.js';

/** One figure of the first screen: what it is, the figure, and a line that qualifies it. */
export interface DecisionFact {
  /** Stable id, for the page's element ids and tests: `resources`, `cost`, `saas`, `break-even`, `bottleneck`, `targets`. */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly detail?: string;
}

/** Whether one deployment meets the targets. */
export interface Verdict {
  /** `recommended` or `simulated` (the scenario's deployment as simulated). */
  readonly id: 'recommended' | 'simulated';
  readonly ok: boolean;
  readonly text: string;
}

export interface Decision {
  /** "Deploy synapse with workers: the main process and 8 sync workers, with PostgreSQL." */
  readonly sentence: string;
  /** Each component of the recommended deployment: processes, cores needed, memory. */
  readonly components: Table | undefined;
  readonly facts: readonly DecisionFact[];
  readonly verdicts: readonly Verdict[];
  /** Red banners: each missed target, what prevents it and what to change. */
  readonly banners: readonly string[];
  /** The targets in words, when the recommendation has them. */
  readonly targets: string | undefined;
}

const num = (r: Record<string, unknown>, k: string): number | undefined => {
  const v = r[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

const coreCount = (n: number) => `${plain(n)} core${n === 1 ? '' : 's'}`;

const processes = (n: number) => `${formatCount(n)} process${n === 1 ? '' : 'es'}`;

/** The name people use for the implementation ('Synapse'), else as summary.json has it. */
const implementationName = (rec: Record<string, unknown>, otherwise: string): string =>
  typeof rec.implementation === 'string' ? (implementationProfile(rec.implementation)?.name ?? rec.implementation) : otherwise;

/** The deployment in words: "Synapse with workers: the main process and 8 sync workers". */
function deploymentWords(rec: Record<string, unknown>): string {
  const impl = implementationName(rec, 'the server');
  const d = rec.deployment;
  if (typeof d === 'string') return `${impl} (${d})`;
  if (!isRecord(d) || typeof d.kind !== 'string') return impl;
  if (d.kind === 'monolith') return `${impl} as one process`;
  if (d.kind === 'multi-threaded') {
    const cores = num(d, 'serverCores');
    return `${impl}, one multi-threaded process${cores !== undefined ? ` on ${coreCount(cores)}` : ''}`;
  }
  const workers = isRecord(d.workers) ? Object.entries(d.workers).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0) : [];
  const list = ['the main process', ...workers.map(([k, n]) => `${formatCount(n)} ${componentLabel(k)}`)];
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0];
  return `${impl} with workers: ${joined}`;
}

/** The components of the recommended deployment as a table: processes, cores needed (p95 CPU over the ceiling), memory. */
function componentsTable(rec: Record<string, unknown>): Table | undefined {
  const d = rec.deployment;
  if (!isRecord(d) || typeof d.kind !== 'string') return undefined;
  const byComponent = isRecord(rec.coresByComponent) ? rec.coresByComponent : {};
  const need = (k: string) => {
    const v = num(byComponent, k);
    return v === undefined ? '–' : plain(v);
  };
  const impl = implementationName(rec, 'server');
  const rows: string[][] = [];
  const ram = num(rec, 'ramGiB');
  const dbRam = num(rec, 'databaseRamGiB');
  // Both are rounded up to whole GiB, so the difference can be 0 for a small server.
  const serverRam = ram === undefined ? '–' : ram - (dbRam ?? 0) >= 1 ? `${plain(ram - (dbRam ?? 0))} GiB` : 'under 1 GiB';
  if (d.kind === 'workers') {
    const workers = isRecord(d.workers) ? Object.entries(d.workers).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0) : [];
    const all = 1 + workers.reduce((a, [, n]) => a + n, 0);
    rows.push([`${impl}: main process`, '1', need('main'), `${serverRam} for all ${formatCount(all)} ${impl} processes`]);
    for (const [k, n] of workers) rows.push([`${impl}: ${componentLabel(k)}`, formatCount(n), need(k), '']);
  } else {
    const key = Object.keys(byComponent).find((k) => k !== 'postgres') ?? '';
    const serverCores = num(d, 'serverCores');
    rows.push([d.kind === 'monolith' ? `${impl} (one process)` : `${impl} (multi-threaded)`, '1', serverCores !== undefined ? plain(serverCores) : need(key), serverRam]);
  }
  const dbCores = num(rec, 'databaseCores');
  if (dbCores !== undefined && dbCores > 0) rows.push(['PostgreSQL', '1', plain(dbCores), dbRam !== undefined ? `${plain(dbRam)} GiB` : '–']);
  // The rest of the bill of materials (the SFU, TURN, MAS, proxy...): instances, and cores and memory for all of them.
  if (Array.isArray(rec.components)) {
    for (const c of rec.components as unknown[]) {
      if (!isRecord(c) || typeof c.name !== 'string' || ['homeserver', 'database', 'mediaStore'].includes(String(c.kind))) continue;
      const n = num(c, 'count') ?? 0;
      const cores = num(c, 'cores');
      const ramEach = num(c, 'ramGiB');
      if (n <= 0) continue;
      rows.push([
        c.name,
        formatCount(n),
        cores !== undefined ? plain(Math.round(cores * n * 100) / 100) : '–',
        ramEach !== undefined ? `${plain(Math.round(ramEach * n * 100) / 100)} GiB` : '–',
      ]);
    }
  }
  return {
    id: 'decision-components',
    title: 'What to deploy',
    note: 'Cores needed: each component’s CPU at the p95 bin over the CPU ceiling (for components of several instances, all of them); the homeserver’s cores in all are these summed and rounded up. Every component with its disk and bandwidth: the Deployment section.',
    columns: ['component', 'processes', 'cores needed', 'memory'],
    rows,
  };
}

/** The kinds of the deployment as simulated above the CPU ceiling, with their p95 utilisation: "sync workers 74%". */
function kindsOverCeiling(summary: RunSummary, ceiling: number): string[] {
  const res: unknown = summary.resources;
  if (!isRecord(res) || !Array.isArray(res.processes)) return [];
  const byKind = new Map<string, number>();
  for (const p of res.processes as unknown[]) {
    if (!isRecord(p) || typeof p.kind !== 'string') continue;
    const u = num(p, 'utilizationP95');
    if (u !== undefined) byKind.set(p.kind, Math.max(byKind.get(p.kind) ?? 0, u));
  }
  const db = isRecord(res.database) ? num(res.database, 'utilizationP95') : undefined;
  if (db !== undefined) byKind.set('postgres', db);
  return [...byKind]
    .filter(([, u]) => u > ceiling)
    .sort((a, b) => b[1] - a[1])
    .map(([k, u]) => `${componentLabel(k)} ${formatShare(u)}`);
}

/** The local-send latency at the targets' percentile, ms, as simulated. */
function simulatedLatencyMs(summary: RunSummary, percentile: string): number | undefined {
  const l: unknown = summary.latencyMs;
  if (!isRecord(l) || !isRecord(l.localSend)) return undefined;
  const p = l.localSend[percentile];
  return isRecord(p) ? num(p, 'mean') : undefined;
}

/** The verdict on the scenario's deployment as simulated, and its banner when it misses a target. */
function simulatedVerdict(summary: RunSummary, rec: Record<string, unknown>, recommended: string): { verdict: Verdict; banner?: string } | undefined {
  const met = rec.simulatedDeploymentMeetsTargets;
  if (!isRecord(met) || typeof met.cpu !== 'boolean' || typeof met.latency !== 'boolean') return undefined;
  const targets = isRecord(rec.targets) ? rec.targets : {};
  const ceiling = num(targets, 'cpuUtilization');
  const bound = num(targets, 'localSendMs');
  const p = typeof targets.latencyPercentile === 'string' ? targets.latencyPercentile : 'p95';
  const res: unknown = summary.resources;
  const n = isRecord(res) && Array.isArray(res.processes) ? res.processes.length : undefined;
  const what = `The scenario's deployment as simulated${n !== undefined ? ` (${processes(n)}${isRecord(res) && isRecord(res.database) ? ' and PostgreSQL' : ''})` : ''}`;
  const latency = simulatedLatencyMs(summary, p);
  const latencyText =
    latency !== undefined ? `local send ${p} ${formatMilliseconds(latency)}${bound !== undefined ? ` (target at most ${formatMilliseconds(bound)})` : ''}` : undefined;
  if (met.cpu && met.latency) return { verdict: { id: 'simulated', ok: true, text: `${what} meets the targets${latencyText ? `: ${latencyText}` : ''}.` } };
  const misses: string[] = [];
  if (!met.latency) misses.push(latencyText ?? `local send ${p} above its target`);
  if (!met.cpu) {
    const over = ceiling !== undefined ? kindsOverCeiling(summary, ceiling) : [];
    const ceilingWords = ceiling !== undefined ? `the ${percent(ceiling)} ceiling` : 'the ceiling';
    misses.push(`CPU at the p95 bin above ${ceilingWords}${over.length > 0 ? ` (${over.join(', ')})` : ''}`);
  }
  const text = `${what} does not meet the targets: ${misses.join('; ')}.`;
  const lever = rec.targetsMet === false ? 'the recommendation above does not meet them either; see what prevents it' : `deploy the recommendation above (${recommended})`;
  return { verdict: { id: 'simulated', ok: false, text }, banner: `${text} What to change: ${lever}.` };
}

/** The verdict on the recommended deployment. */
function recommendedVerdict(summary: RunSummary, rec: Record<string, unknown>): Verdict | undefined {
  if (typeof rec.targetsMet !== 'boolean') return undefined;
  if (!rec.targetsMet) return { id: 'recommended', ok: false, text: targetsBanner(summary) ?? 'The recommendation does not meet its targets.' };
  const v = rec.verification;
  if (!isRecord(v)) return { id: 'recommended', ok: true, text: 'The recommendation meets the targets by CPU sizing (not re-simulated).' };
  const targets = isRecord(rec.targets) ? rec.targets : {};
  const p = typeof targets.latencyPercentile === 'string' ? targets.latencyPercentile : 'p95';
  const ms = num(v, 'localSendMs');
  const u = num(v, 'utilizationP95Max');
  const parts = [ms !== undefined ? `local send ${p} ${formatMilliseconds(ms)}` : '', u !== undefined ? `busiest process at ${formatShare(u)} CPU at the p95 bin` : ''].filter(
    Boolean,
  );
  return { id: 'recommended', ok: true, text: `The recommendation meets the targets, re-simulated${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.` };
}

/** The cost and break-even facts, from the run's cost result as it is. */
function costFacts(summary: RunSummary): DecisionFact[] {
  const c = costSummary(summary);
  if (!c) return [];
  const cur = c.currency;
  const h = c.selfHost;
  if (c.saas === null || !h) return [{ id: 'cost', label: 'self-hosting per month', value: 'not computed', detail: 'the reasons are in the cost section' }];
  const saas = [...c.saas].sort((a, b) => a.horizonTotal - b.horizonTotal);
  const best = saas[0];
  const vat = c.vatIncluded ? 'VAT included' : 'excl. VAT';
  const facts: DecisionFact[] = [
    {
      id: 'cost',
      label: 'self-hosting per month',
      value: formatMoney(h.monthly, cur),
      detail: `${formatMoney(h.perUserMonthly, cur)} per user, on ${c.provider ?? h.provider}, ${vat}`,
    },
  ];
  if (best)
    facts.push({
      id: 'saas',
      label: 'cheapest SaaS per month',
      value: formatMoney(best.monthly, cur),
      detail: `${formatMoney(best.pricePerUser, cur)} per user, ${best.plan.toLowerCase().startsWith(best.vendor.toLowerCase()) ? best.plan : `${best.vendor} ${best.plan}`}`,
    });
  const be = best ? c.breakEven?.find((b) => b.vendor === best.vendor && b.plan === best.plan) : undefined;
  if (best && be) {
    const value = be.month === null ? `none in ${c.horizonMonths} months` : be.month === 1 ? 'cheaper from month 1' : `cheaper from month ${be.month}`;
    facts.push({
      id: 'break-even',
      label: 'break-even against SaaS',
      value,
      detail: `${c.horizonMonths}-month totals: ${formatWholeMoney(h.horizonTotal, cur)} self-hosted, ${formatWholeMoney(best.horizonTotal, cur)} SaaS`,
    });
  }
  return facts;
}

/** The first screen of the report; undefined when summary.json has no recommendation. */
export function decision(summary: RunSummary): Decision | undefined {
  const rec = recommendationOf(summary);
  if (!rec) return undefined;
  const words = deploymentWords(rec);
  const hasDb = (num(rec, 'databaseCores') ?? 0) > 0;
  const facts: DecisionFact[] = [];
  const cores = num(rec, 'cores');
  const ram = num(rec, 'ramGiB');
  const disk = num(rec, 'diskGiB');
  const bw = num(rec, 'bandwidthMbps');
  const resources = [
    cores !== undefined ? coreCount(cores) : '',
    ram !== undefined ? `${plain(ram)} GiB RAM` : '',
    disk !== undefined ? `${plain(disk)} GiB disk` : '',
    bw !== undefined ? `${plain(bw)} Mbit/s` : '',
  ].filter(Boolean);
  if (resources.length > 0) {
    const users = num(rec, 'horizonUsers');
    const dbCores = num(rec, 'databaseCores');
    facts.push({
      id: 'resources',
      label: 'server in all',
      value: resources.join(' · '),
      detail: [
        dbCores !== undefined && dbCores > 0 ? `PostgreSQL's ${plain(dbCores)} core${dbCores === 1 ? '' : 's'} included` : '',
        users !== undefined ? `sized for ${formatCount(users)} users` : '',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  facts.push(...costFacts(summary));
  if (typeof rec.bottleneck === 'string') {
    const u = num(rec, 'bottleneckUtilizationP95');
    const sat = num(rec, 'saturationUsers');
    const grow = num(rec, 'growAtMonth');
    facts.push({
      id: 'bottleneck',
      label: 'bottleneck',
      value: rec.bottleneck.replace(/:.*$/, ''),
      detail: [
        u !== undefined ? `${formatShare(u)} busy at the p95 bin` : '',
        sat !== undefined ? `the targets hold up to about ${formatCount(sat)} users` : '',
        grow !== undefined ? `grow by month ${plain(grow)}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  const recommended = recommendedVerdict(summary, rec);
  const simulated = simulatedVerdict(summary, rec, `${words}${resources.length > 0 ? `, ${resources.join(', ')}` : ''}`);
  const verdicts = [recommended, simulated?.verdict].filter((v): v is Verdict => v !== undefined);
  const targets = targetsText(rec.targets);
  if (verdicts.length > 0) {
    const ok = verdicts.every((v) => v.ok);
    const [value, which] =
      recommended?.ok === false
        ? ['missed', 'by the recommendation']
        : ok
          ? ['met', verdicts.length > 1 ? 'by the recommendation and as simulated' : 'by the recommendation']
          : ['missed as simulated', recommended?.ok ? 'met by the recommendation' : ''];
    facts.push({ id: 'targets', label: 'targets', value, detail: which || undefined });
  }
  const banners = [recommended && !recommended.ok ? recommended.text : undefined, simulated?.banner].filter((b): b is string => b !== undefined);
  return {
    sentence: `Deploy ${words}${hasDb ? ', with PostgreSQL' : ''}.`,
    components: componentsTable(rec),
    facts,
    verdicts,
    banners,
    targets,
  };
}
