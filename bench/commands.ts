/**
 * The command half of `npm run bench`: what a user waits for at the command
 * line, each command in a child process of its own (node --import
 * ./bench/cpu-report.mjs bin/mxsim.js ...), so its CPU time and peak RSS are
 * its own: the start-up of `mxsim validate` and `mxsim queue`, and the
 * default run (`npm start`'s command) step by step (`mxsim run --timings`).
 * Runs the compiled CLI (dist/), built first when a source is newer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CommandFigures {
  /** The command line after `mxsim`. */
  command: string;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssBytes: number;
}

export interface PhaseFigures {
  phase: string;
  cpuSeconds: number;
  wallSeconds: number;
}

export interface DefaultRunFigures extends CommandFigures {
  phases: PhaseFigures[];
}

/** Compile dist/ if a source is newer than the last build (as npm start does). */
export function buildIfStale(): void {
  const r = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** Run `mxsim ARGS` in a child; its CPU and peak RSS from cpu-report.mjs, its stderr lines kept. */
function mxsim(args: string[]): { figures: CommandFigures; stderr: string[] } {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', './bench/cpu-report.mjs', 'bin/mxsim.js', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wallSeconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`mxsim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const stderr = r.stderr.trim().split('\n');
  const report = stderr
    .map((l) => (l.startsWith('{"cpuReport"') ? (JSON.parse(l) as { cpuReport: { cpuSeconds: number; peakRssBytes: number } }).cpuReport : null))
    .find((x) => x !== null);
  if (!report) throw new Error(`mxsim ${args.join(' ')}: no CPU report`);
  return { figures: { command: args.join(' '), cpuSeconds: report.cpuSeconds, wallSeconds, peakRssBytes: report.peakRssBytes }, stderr };
}

/** The start-up of commands that simulate nothing much: the median of 3 runs each (the CPU of one is a few tenths of a second). */
export function benchStartUp(): CommandFigures[] {
  const commands = [['validate', 'scenarios/team-50.json'], ['queue', '--customers', '1000', '--replications', '2'], ['--version']];
  return commands.map((args) => {
    const runs = [0, 1, 2].map(() => mxsim(args).figures).sort((a, b) => a.cpuSeconds - b.cpuSeconds);
    return runs[1]!;
  });
}

/** `npm start`'s command, into a temporary folder, with the time of each step. */
export function benchDefaultRun(): DefaultRunFigures {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const args = start
    .split(/\s+/)
    .slice(2)
    .filter((a) => a !== '--force');
  const out = mkdtempSync(join(tmpdir(), 'mxsim-bench-'));
  try {
    const { figures, stderr } = mxsim([...args, '--out', join(out, 'report'), '--quiet', '--timings']);
    const phases = stderr.filter((l) => l.startsWith('{"timing"')).map((l) => (JSON.parse(l) as { timing: PhaseFigures }).timing);
    const inPhases = phases.reduce((t, p) => t + p.cpuSeconds, 0);
    // What the steps do not cover: Node's start, the imports, loading and checking the scenario and catalogs.
    phases.unshift({
      phase: 'start-up and load',
      cpuSeconds: Math.max(0, figures.cpuSeconds - inPhases),
      wallSeconds: Math.max(0, figures.wallSeconds - phases.reduce((t, p) => t + p.wallSeconds, 0)),
    });
    return { ...figures, command: args.join(' '), phases };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export interface SweepFigures {
  /** Which sweep (SWEEPS): `issue` (issue 15's) or `small` (--quick, --small-sweep). */
  sweep: 'issue' | 'small';
  /** The sweep's command line after `mxsim` (without --jobs and --out). */
  command: string;
  serial: CommandFigures;
  parallel: CommandFigures;
  /** Threads of the parallel run (the cores available). */
  jobs: number;
  /** Wall time of the parallel run over the serial one (issue 15's target: at most 0.6 on 2 cores). */
  wallRatio: number;
  /** Whether both wrote the same results, points and effects, byte for byte. */
  identical: boolean;
}

/**
 * The sweeps the bench can time. `issue` is the one issue 15 names in its
 * "done when" (company-2000 at 500 to 8,000 users, log-spaced, presence on
 * and off, 2 replications: 20 runs, about 3.5 minutes on one thread);
 * `small` is twelve runs of 250 to 1,000 users (about 35 s on one thread),
 * for a quick look: its runs are so short that every thread compiling the
 * model again, and the charts drawn at the end on one thread, weigh more in
 * it. Both keep saturationUsers among the outputs, so each run searches for
 * it as a default sweep's does.
 */
export const SWEEPS = {
  issue: ['sweep', 'scenarios/company-2000.json', '--vary', 'population.users=500..8000:log:5', '--vary', 'features.presence=true,false', '--replications', '2', '--quiet'],
  small: [
    'sweep',
    'scenarios/company-2000.json',
    '--vary',
    'population.users=250..1000:log:3',
    '--vary',
    'features.presence=true,false',
    '--replications',
    '2',
    '--outputs',
    'cores,ramGiB,localSendP95Ms,saturationUsers',
    '--quiet',
  ],
} as const;

/** A sweep with --jobs 1 and with every core, each in a child process: its speed-up and that the files agree. */
export function benchSweep(jobs: number, which: keyof typeof SWEEPS): SweepFigures {
  const args = [...SWEEPS[which]];
  const out = mkdtempSync(join(tmpdir(), 'mxsim-bench-sweep-'));
  try {
    const serial = mxsim([...args, '--jobs', '1', '--out', join(out, 'serial')]).figures;
    const parallel = mxsim([...args, '--jobs', String(jobs), '--out', join(out, 'parallel')]).figures;
    const files = ['results.csv', 'points.csv', 'effects.csv', 'sweep.json'];
    const identical = files.every((f) => readFileSync(join(out, 'serial', f), 'utf8') === readFileSync(join(out, 'parallel', f), 'utf8'));
    return { sweep: which, command: args.join(' '), serial, parallel, jobs, wallRatio: parallel.wallSeconds / serial.wallSeconds, identical };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
