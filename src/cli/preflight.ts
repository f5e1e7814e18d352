/**
 * The pre-flight check of a command that simulates: the run's estimated
 * events, memory and CPU time (src/analysis/preflight.ts) against what this
 * machine can give. Too large: refused before anything runs (`run.too-large`,
 * exit 2), naming the input that drives it, unless --allow-large. Long: the
 * estimate is shown on stderr.
 */
import { estimateRun, machineLimits, sizeProblems, type RunEstimate } from '../analysis/preflight.js';
import { MxsimError } from '../errors.js';
import { formatBytes, formatCount, formatMilliseconds } from '../format/index.js';
import type { Scenario } from '../scenario/grammar.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';

/** Runs estimated to take longer than this (CPU seconds) show their estimate first. */
const SHOW_ESTIMATE_CPU_SECONDS = 60;

const number = (v: number) => (Number.isInteger(v) ? formatCount(v) : String(v));

/** The refusal's text when a run exceeds this machine (null when it fits), and the estimate. */
export function sizeCheck(s: Scenario, o: { replications?: number; verify: boolean }): { estimate: RunEstimate; tooLarge: string | null } {
  const est = estimateRun(s, { replications: o.replications, verify: o.verify });
  const problems = sizeProblems(s, est, machineLimits(), { replications: o.replications, verify: o.verify });
  if (problems.length === 0) return { estimate: est, tooLarge: null };
  const show = (resource: 'memory' | 'time', v: number) => (resource === 'memory' ? formatBytes(v) : formatMilliseconds(v * 1000));
  return {
    estimate: est,
    tooLarge: cliMessages.runTooLarge(
      problems.map((p) => ({
        resource: p.resource,
        estimate: show(p.resource, p.estimate),
        limit: show(p.resource, p.limit),
        path: p.path,
        value: number(p.value),
        fits: p.fits === null ? null : number(p.fits),
      })),
    ),
  };
}

/** Check a run before it starts; returns the estimate (its report size sizes the output check). */
export function preflight(s: Scenario, o: { replications?: number; verify: boolean; allowLarge?: boolean; quiet?: boolean }, io: Io): RunEstimate {
  const { estimate: est, tooLarge } = sizeCheck(s, o);
  if (tooLarge !== null && o.allowLarge !== true) throw new MxsimError('run.too-large', tooLarge);
  if (o.quiet !== true && (est.cpuSeconds > SHOW_ESTIMATE_CPU_SECONDS || tooLarge !== null)) {
    io.err(cliMessages.estimate(formatCount(est.events), formatMilliseconds(est.cpuSeconds * 1000), formatBytes(est.memoryBytes)));
  }
  return est;
}
