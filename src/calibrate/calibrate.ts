/**
 * `mxsim calibrate` without the terminal: read the metrics files, fit, and
 * build the calibration file's document. The command (src/cli/calibrate.ts)
 * checks its options, writes the file and prints the summary.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MxsimError } from '../errors.js';
import { meanOf, roomCounts, roomMembers } from '../model/world.js';
import type { Scenario } from '../scenario/grammar.js';
import { implementationProfile, deploymentOf } from '../server/topology.js';
import { CALIBRATION_KIND, CALIBRATION_VERSION, type Calibration } from './calibration-file.js';
import { fitCosts, observe, BOOTSTRAP_DRAWS, MAX_VIF, MIN_RATE_CV, type FitSeries } from './fit.js';
import { calibrateMessages as M } from './messages.js';
import { mergeSeries, MetricsError, parseMetricsText, type MetricsProblem, type Series } from './metrics.js';
import { HUBER_K } from './regression.js';

/** Files a --metrics folder contributes. */
const METRICS_FILE = /\.(json|prom|txt)$/;

/** The files named: each file as is, each folder's metrics files in name order. */
export function metricsFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new MxsimError('input.unreadable', `${p}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    const files = readdirSync(p)
      .filter((f) => METRICS_FILE.test(f))
      .sort()
      .map((f) => join(p, f));
    if (files.length === 0) throw new MxsimError('input.unreadable', M.noMetricsFiles(p));
    out.push(...files);
  }
  return out;
}

/** Metrics already read: each text (a query_range answer or the text format) with where it came from (a file, a URL). */
export interface MetricsTexts {
  texts: readonly { text: string; source: string }[];
}

/** Every series of the files, merged; every problem of every file at once. */
export function readMetrics(files: readonly string[]): Series[] {
  const texts = files.map((f) => {
    try {
      return { text: readFileSync(f, 'utf8'), source: f };
    } catch (e) {
      throw new MxsimError('input.unreadable', `${f}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return parseMetrics({ texts });
}

/** Every series of the texts, merged; every problem of every text at once. */
export function parseMetrics(input: MetricsTexts): Series[] {
  const problems: MetricsProblem[] = [];
  const parts: Series[] = [];
  for (const { text, source } of input.texts) parts.push(...parseMetricsText(text, source, problems));
  const merged = problems.length === 0 ? mergeSeries(parts, problems) : [];
  if (problems.length > 0) throw new MetricsError(problems);
  return merged;
}

/** Rooms an average local user is in, from the scenario: the rooms' mean local members over the users (an estimate; the world is not built). */
export function roomsPerUserOf(s: Scenario): number {
  const users = s.population.users;
  const counts = roomCounts(s);
  const memberships = s.rooms.kinds.reduce((sum, k, i) => {
    const local = k.localMembers ?? meanOf(roomMembers(k, users)) * (1 - k.remoteMemberShare);
    return sum + counts[i]! * Math.min(users, local);
  }, 0);
  return users > 0 ? memberships / users : 0;
}

export const FIT_METHOD = `Huber IRLS (k = ${HUBER_K}, scale MAD/0.6745) with non-negative coefficients; 95% intervals from ${BOOTSTRAP_DRAWS} moving-block bootstrap draws (blocks of n^(1/3) intervals); a class is kept when absent, without traffic, with a rate whose coefficient of variation is under ${MIN_RATE_CV}, or with a variance inflation factor over ${MAX_VIF}`;

/** Fit the metrics of `files` (or of texts already read, from a live Prometheus) for the server `scenario` describes. */
export function calibrate(files: readonly string[] | MetricsTexts, scenario: Scenario, version: string, seed = 'calibrate'): Calibration {
  return calibrateWithSeries(files, scenario, version, seed).calibration;
}

/** `calibrate`, with the series behind the fit (observed, fitted, shipped; for the fit report, src/calibrate/fit-report.ts). */
export function calibrateWithSeries(
  files: readonly string[] | MetricsTexts,
  scenario: Scenario,
  version: string,
  seed = 'calibrate',
): { calibration: Calibration; series: FitSeries } {
  const profile = implementationProfile(scenario.run.server.implementation);
  if (profile === undefined || (profile.implementation !== 'synapse' && profile.implementation !== 'synapse-pro'))
    throw new MxsimError(
      'usage',
      `--scenario: mxsim calibrate reads Synapse's metrics; the scenario's run.server.implementation is ${JSON.stringify(scenario.run.server.implementation)}`,
    );
  const series = 'texts' in files ? parseMetrics(files) : readMetrics(files);
  const obs = observe(series);
  const roomsPerUser = roomsPerUserOf(scenario);
  const fit = fitCosts(obs, {
    costs: profile.cost({ roomsPerUser }),
    shippedMemory: { processBaseBytes: profile.memory.processBaseBytes, bytesPerOnlineDevice: profile.memory.bytesPerOnlineDevice },
    users: scenario.population.users,
    seed,
  });
  const n = obs.times.length - 1;
  const calibration: Calibration = {
    kind: CALIBRATION_KIND,
    version: CALIBRATION_VERSION,
    mxsimVersion: version,
    window: { from: new Date(obs.times[0]! * 1000).toISOString(), to: new Date(obs.times[n]! * 1000).toISOString(), stepSeconds: obs.stepSeconds, intervals: n },
    server: {
      scenario: scenario.name,
      implementation: profile.implementation,
      deployment: deploymentOf(scenario).kind,
      users: scenario.population.users,
      roomsPerUser,
      processes: [...obs.instancesByKind].map(([kind, instances]) => ({ kind, instances })),
    },
    sources: 'texts' in files ? files.texts.map((t) => t.source) : [...files],
    method: FIT_METHOD,
    cpu: { idleCores: fit.idle, coefficients: fit.cpu, quality: fit.cpuQuality, ...(fit.cpuByKind.length > 0 ? { byKind: fit.cpuByKind } : {}) },
    memory: { coefficients: fit.memory, quality: fit.memoryQuality },
    workload: fit.workload,
  };
  return { calibration, series: fit.series };
}
