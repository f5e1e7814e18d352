/**
 * What `mxsim run --output json|csv|markdown` prints: the headline figures
 * of a run as one JSON document with stable keys (docs/OUTPUT.md,
 * "Command-line output"), and the same figures as a table. The targets
 * verdicts are the ones the summary carries (src/analysis/resources.ts
 * computes them); nothing here recomputes them.
 */
import type { CostSummary, ReportRun } from '../cost/run.js';
import type { Cell } from '../report/csv.js';
import type { ResultTable } from './output.js';

type Recommendation = ReportRun['summary']['recommendation'];

/** The deployment as simulated (the scenario's own) meets its targets: CPU and latency (summary.json recommendation.simulatedDeploymentMeetsTargets). */
export function deploymentMeetsTargets(rec: Recommendation): boolean {
  return rec.simulatedDeploymentMeetsTargets.cpu && rec.simulatedDeploymentMeetsTargets.latency;
}

/**
 * Which verdict `--strict` fails on: `recommendation` when even the
 * recommended deployment cannot meet the targets (exit 5), `deployment` when
 * the deployment as simulated misses them and the recommendation meets them
 * (exit 7), null when both hold.
 */
export function missedTargets(rec: Recommendation): 'recommendation' | 'deployment' | null {
  if (!rec.targetsMet) return 'recommendation';
  return deploymentMeetsTargets(rec) ? null : 'deployment';
}

/** The cheapest SaaS plan over the horizon and its break-even with self-hosting, or null when none was priced. */
export function cheapestSaas(c: CostSummary): { vendor: string; plan: string; monthly: number; horizonTotal: number; breakEvenMonth: number | null } | null {
  const cheapest = [...(c.saas ?? [])].sort((a, b) => a.horizonTotal - b.horizonTotal || a.plan.localeCompare(b.plan))[0];
  if (cheapest === undefined) return null;
  const be = c.breakEven?.find((b) => b.vendor === cheapest.vendor && b.plan === cheapest.plan);
  return { vendor: cheapest.vendor, plan: cheapest.plan, monthly: cheapest.monthly, horizonTotal: cheapest.horizonTotal, breakEvenMonth: be?.month ?? null };
}

/** `mxsim run --output json`: version 1 of the document; keys are only ever added. */
export interface RunDocument {
  outputVersion: 1;
  mxsim: string;
  scenario: string;
  users: number;
  seed: string;
  replications: number;
  simulatedDays: number;
  horizonMonths: number;
  recommendation: {
    implementation: string;
    deployment: string;
    processes: number;
    cores: number;
    databaseCores: number;
    ramGiB: number;
    diskGiB: number;
    bandwidthMbps: number;
    sizedForUsers: number;
    bottleneck: string;
    bottleneckUtilizationP95: number;
    saturationUsers: number;
  };
  targets: {
    /** Both verdicts below hold. */
    met: boolean;
    /** The recommended deployment meets the targets (summary.json recommendation.targetsMet). */
    recommendationMeetsTargets: boolean;
    /** The scenario's deployment, as simulated, meets them (recommendation.simulatedDeploymentMeetsTargets). */
    deploymentMeetsTargets: boolean;
    cpuUtilization: number;
    latencyPercentile: string;
    localSendBoundMs: number;
    /** The simulated deployment's local-send latency at that percentile. */
    localSendMs: number;
    limit: { mechanism: string; lever: string } | null;
  };
  cost: {
    currency: string;
    vatIncluded: boolean;
    horizonMonths: number;
    selfHost: { provider: string; region: string; monthly: number; perUserMonthly: number; horizonTotal: number } | null;
    cheapestSaas: { vendor: string; plan: string; monthly: number; horizonTotal: number; breakEvenMonth: number | null } | null;
    notes: string[];
  } | null;
  report: { dir: string; html: string; summary: string };
}

export function runDocument(run: ReportRun, dir: string): RunDocument {
  const s = run.summary;
  const rec = s.recommendation;
  const p = rec.targets.latencyPercentile;
  const deploymentMet = deploymentMeetsTargets(rec);
  const c = s.cost;
  return {
    outputVersion: 1,
    mxsim: s.mxsim,
    scenario: s.scenario.name,
    users: s.world.users,
    seed: String(s.seed),
    replications: s.replications,
    simulatedDays: s.simulatedDays,
    horizonMonths: s.storage.horizonMonths,
    recommendation: {
      implementation: rec.implementation,
      deployment: rec.deployment.kind,
      processes: rec.deployment.processes,
      cores: rec.cores,
      databaseCores: rec.databaseCores,
      ramGiB: rec.ramGiB,
      diskGiB: rec.diskGiB,
      bandwidthMbps: rec.bandwidthMbps,
      sizedForUsers: rec.horizonUsers,
      bottleneck: rec.bottleneck,
      bottleneckUtilizationP95: rec.bottleneckUtilizationP95,
      saturationUsers: rec.saturationUsers,
    },
    targets: {
      met: rec.targetsMet && deploymentMet,
      recommendationMeetsTargets: rec.targetsMet,
      deploymentMeetsTargets: deploymentMet,
      cpuUtilization: rec.targets.cpuUtilization,
      latencyPercentile: p,
      localSendBoundMs: rec.targets.localSendMs,
      localSendMs: s.latencyMs.localSend[p].mean,
      limit: rec.limit,
    },
    cost:
      c === undefined
        ? null
        : {
            currency: c.currency,
            vatIncluded: c.vatIncluded,
            horizonMonths: c.horizonMonths,
            selfHost:
              c.selfHost === null
                ? null
                : {
                    provider: c.selfHost.provider,
                    region: c.selfHost.region,
                    monthly: c.selfHost.monthly,
                    perUserMonthly: c.selfHost.perUserMonthly,
                    horizonTotal: c.selfHost.horizonTotal,
                  },
            cheapestSaas: c.saas === null ? null : cheapestSaas(c),
            notes: c.notes,
          },
    report: { dir, html: `${dir}/index.html`, summary: `${dir}/summary.json` },
  };
}

/** The document as rows of `figure, value, unit` (figure: its key path in the JSON document). */
export function runTable(d: RunDocument): ResultTable {
  const rows: [string, Cell, string][] = [
    ['scenario', d.scenario, ''],
    ['users', d.users, 'users'],
    ['recommendation.implementation', d.recommendation.implementation, ''],
    ['recommendation.deployment', d.recommendation.deployment, ''],
    ['recommendation.processes', d.recommendation.processes, 'processes'],
    ['recommendation.cores', d.recommendation.cores, 'cores'],
    ['recommendation.databaseCores', d.recommendation.databaseCores, 'cores'],
    ['recommendation.ramGiB', d.recommendation.ramGiB, 'GiB'],
    ['recommendation.diskGiB', d.recommendation.diskGiB, 'GiB'],
    ['recommendation.bandwidthMbps', d.recommendation.bandwidthMbps, 'Mbit/s'],
    ['recommendation.sizedForUsers', d.recommendation.sizedForUsers, 'users'],
    ['recommendation.bottleneck', d.recommendation.bottleneck, ''],
    ['targets.met', String(d.targets.met), ''],
    ['targets.recommendationMeetsTargets', String(d.targets.recommendationMeetsTargets), ''],
    ['targets.deploymentMeetsTargets', String(d.targets.deploymentMeetsTargets), ''],
    ['targets.localSendMs', d.targets.localSendMs, `ms (${d.targets.latencyPercentile})`],
    ['targets.localSendBoundMs', d.targets.localSendBoundMs, 'ms'],
  ];
  const c = d.cost;
  if (c !== null) {
    const money = `${c.currency} in month 1`;
    if (c.selfHost !== null) {
      rows.push(['cost.selfHost.provider', `${c.selfHost.provider} ${c.selfHost.region}`.trim(), '']);
      rows.push(['cost.selfHost.monthly', c.selfHost.monthly, money]);
      rows.push(['cost.selfHost.perUserMonthly', c.selfHost.perUserMonthly, money]);
      rows.push(['cost.selfHost.horizonTotal', c.selfHost.horizonTotal, `${c.currency} over ${c.horizonMonths} months`]);
    }
    if (c.cheapestSaas !== null) {
      rows.push(['cost.cheapestSaas.plan', `${c.cheapestSaas.vendor} ${c.cheapestSaas.plan}`, '']);
      rows.push(['cost.cheapestSaas.monthly', c.cheapestSaas.monthly, money]);
      rows.push(['cost.cheapestSaas.horizonTotal', c.cheapestSaas.horizonTotal, `${c.currency} over ${c.horizonMonths} months`]);
      rows.push(['cost.cheapestSaas.breakEvenMonth', c.cheapestSaas.breakEvenMonth, 'month']);
    }
  }
  rows.push(['report.html', d.report.html, '']);
  return { header: ['figure', 'value', 'unit'], rows };
}
