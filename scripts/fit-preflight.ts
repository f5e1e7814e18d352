/**
 * Refit the pre-flight estimate (src/analysis/preflight.ts, docs/MODEL.md
 * section 32) on measured runs, so that its coefficients can be checked and
 * redone rather than taken on trust.
 *
 * 1. Runs a fixed design of one-day runs (`mxsim run --seed x
 *    --replications 1 --no-verify`, the compiled CLI, each in a child
 *    process with bench/cpu-report.mjs preloaded for its CPU time and peak
 *    RSS): the shipped scenarios at one to four populations, company-2000
 *    with more reactions, more typing, presence off and 1-minute bins (also
 *    at three replications, which separates the series every simulation
 *    keeps from what drawing the report holds), and national-300000 at
 *    1,000,000 users on tuwunel (one process on 46 cores, the deployment
 *    `npm run bench` sizes for it).
 * 2. Writes each run's inputs (`runSizeInputs`) and what it measured to
 *    data/preflight-runs.csv.
 * 3. Fits, by non-negative least squares weighted by 1/observed² (so that
 *    relative errors count; src/calibrate/regression.ts `nonNegative`):
 *    events per simulated day on the five workload terms and users; resident
 *    memory on a base, users, local memberships, remote members, bins ×
 *    processes × simulations (the series) and bins × processes (drawing);
 *    CPU seconds on a fixed part and events × the estimated memory of the
 *    world (the base and the world's terms, not the series) in GiB.
 *    Checks each fit is the optimum, and prints the coefficients and each
 *    run's estimate over what it measured.
 *
 *   node --import tsx scripts/fit-preflight.ts             # run the design (about 12 min on 2 cores), write the CSV, fit
 *   node --import tsx scripts/fit-preflight.ts --fit-only  # fit data/preflight-runs.csv as committed
 *   node --import tsx scripts/fit-preflight.ts --skip-million
 *
 * Run it alone on the machine: the CPU terms are only as steady as the
 * machine is quiet (events and memory do not depend on it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { estimateFrom, PREFLIGHT, runSizeInputs, type RunSizeInputs } from '../src/analysis/preflight.js';
import { nonNegative } from '../src/calibrate/regression.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CSV = join(ROOT, 'data/preflight-runs.csv');

interface DesignRun {
  scenario: string;
  set: string[];
  replications?: number;
  million?: boolean;
}

/** The design: every shipped scenario without a timeline, at sizes from 40 to 1,000,000 users. */
const DESIGN: DesignRun[] = [
  { scenario: 'team-50', set: [] },
  { scenario: 'community-server', set: [] },
  { scenario: 'company-2000', set: ['population.users=500'] },
  { scenario: 'company-2000', set: [] },
  { scenario: 'company-2000', set: ['population.users=8000'] },
  { scenario: 'company-2000', set: ['behaviour.reactionsPerMessage=5'] },
  { scenario: 'company-2000', set: ['behaviour.typingNotificationsPerMessage=10'] },
  { scenario: 'company-2000', set: ['features.presence=false'] },
  { scenario: 'company-2000', set: ['run.binMinutes=1'] },
  { scenario: 'company-2000', set: ['run.binMinutes=1'], replications: 3 },
  { scenario: 'healthcare-network', set: [] },
  { scenario: 'agency-records', set: [] },
  { scenario: 'ministry-20000', set: ['population.users=5000'] },
  { scenario: 'ministry-20000', set: [] },
  { scenario: 'ministry-20000-calls', set: [] },
  { scenario: 'university-30000', set: ['population.users=10000'] },
  { scenario: 'university-30000', set: [] },
  { scenario: 'national-300000', set: ['population.users=10000'] },
  { scenario: 'national-300000', set: ['population.users=30000'] },
  { scenario: 'national-300000', set: ['population.users=100000'] },
  {
    scenario: 'national-300000',
    set: ['population.users=1000000', 'run.server.implementation=tuwunel', 'run.server.deployment=monolith', 'run.server.cores=46'],
    million: true,
  },
];

/** Input columns of the CSV, in order: what `runSizeInputs` gives for the run. */
const INPUTS = [
  'users',
  'rooms',
  'localMemberships',
  'messagesPerDay',
  'remoteMessagesPerDay',
  'remoteMembers',
  'federationSendsPerDay',
  'presencePairs',
  'processes',
  'binsPerReplication',
  'days',
  'replications',
] as const satisfies readonly (keyof RunSizeInputs)[];
const MEASURED = ['events', 'cpuSeconds', 'wallSeconds', 'peakRssBytes'] as const;

export type Row = { run: string } & Record<(typeof INPUTS)[number] | (typeof MEASURED)[number], number>;

const label = (d: DesignRun) => [d.scenario, ...d.set, ...(d.replications ? [`replications=${d.replications}`] : [])].join(' ');

async function measure(d: DesignRun): Promise<Row> {
  const file = join(ROOT, 'scenarios', `${d.scenario}.json`);
  const replications = d.replications ?? 1;
  const { scenario } = await loadScenarioFile(file, d.set);
  const x = runSizeInputs(scenario, { replications, verify: false });
  const out = mkdtempSync(join(tmpdir(), 'mxsim-fit-'));
  try {
    const args = [
      'run',
      file,
      '--seed',
      'x',
      '--replications',
      String(replications),
      '--no-verify',
      '--allow-large',
      '--jobs',
      '1',
      '--out',
      join(out, 'r'),
      ...d.set.flatMap((s) => ['--set', s]),
    ];
    const started = performance.now();
    const r = spawnSync(process.execPath, ['--import', './bench/cpu-report.mjs', 'bin/mxsim.js', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 26,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`${label(d)}: mxsim exited ${r.status}\n${r.stderr}`);
    const lines = r.stderr.split('\n');
    const events = Number(lines.map((l) => /^(\d+) events in /.exec(l)?.[1]).find((v) => v !== undefined));
    const report = lines.filter((l) => l.startsWith('{"cpuReport"')).map((l) => (JSON.parse(l) as { cpuReport: { cpuSeconds: number; peakRssBytes: number } }).cpuReport)[0];
    if (!Number.isFinite(events) || !report) throw new Error(`${label(d)}: no event count or CPU report in\n${r.stderr}`);
    const row = { run: label(d), events, cpuSeconds: report.cpuSeconds, wallSeconds, peakRssBytes: report.peakRssBytes } as Row;
    for (const k of INPUTS) row[k] = x[k];
    return row;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function writeCsv(rows: Row[]): void {
  const header = ['run', ...INPUTS, ...MEASURED];
  const cell = (v: string | number) => (typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : `"${v.replaceAll('"', '""')}"`);
  writeFileSync(CSV, [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h as keyof Row])).join(','))].join('\n') + '\n');
}

/** The runs of data/preflight-runs.csv (or `file`). */
export function readCsv(file = CSV): Row[] {
  const records = parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });
  return records.map((rec) => {
    const row = { run: rec.run ?? '' } as Row;
    for (const k of [...INPUTS, ...MEASURED]) {
      const v = Number(rec[k]);
      if (!Number.isFinite(v)) throw new Error(`data/preflight-runs.csv: ${rec.run}: ${k} is not a number (${rec[k]})`);
      row[k] = v;
    }
    return row;
  });
}

/**
 * Non-negative least squares of y on the named columns, each run weighted by
 * 1/y². The solver pins a column that goes negative and does not free it
 * again (src/calibrate/regression.ts), so the result is checked against the
 * optimality (Karush-Kuhn-Tucker) condition of non-negative least squares:
 * for every coefficient held at zero, raising it would not lower the
 * weighted error, Σ w x (y − ŷ) ≤ 0. `optimal` says whether it holds.
 */
function fit(rows: Row[], columns: Record<string, (r: Row) => number>, y: (r: Row) => number): { beta: Record<string, number>; optimal: boolean } {
  const names = Object.keys(columns);
  const cols = names.map((n) => Float64Array.from(rows, columns[n]));
  const ys = Float64Array.from(rows, y);
  const w = Float64Array.from(ys, (v) => 1 / (v * v));
  const beta = nonNegative(cols, ys, w);
  const residual = ys.map((v, i) => v - cols.reduce((t, c, j) => t + beta[j]! * c[i]!, 0));
  const optimal = cols.every((c, j) => {
    if (beta[j]! > 0) return true;
    let g = 0;
    let cc = 0;
    let rr = 0;
    for (let i = 0; i < ys.length; i++) {
      g += w[i]! * c[i]! * residual[i]!;
      cc += w[i]! * c[i]! * c[i]!;
      rr += w[i]! * residual[i]! * residual[i]!;
    }
    // As a correlation, so that the columns' units do not matter.
    return g / Math.sqrt(cc * rr) <= 1e-9;
  });
  return { beta: Object.fromEntries(names.map((n, j) => [n, beta[j]!])), optimal };
}

const simulations = (r: Row) => r.replications;

/** The memory a run's events touch as the fitted terms estimate it: the base and the world, without the series and the report, bytes. */
function worldEstimate(m: Record<string, number>, r: Row): number {
  return m.base! + m.users! * r.users + m.localMemberships! * r.localMemberships + m.remoteMembers! * r.remoteMembers;
}

/**
 * The pre-flight coefficients fitted to these runs (see the header):
 * events per simulated day; resident memory, bytes; and CPU seconds, a
 * fixed part (start-up, the report) plus events times the estimated memory
 * of the run's world in GiB (an event costs more the larger the world it touches: at a
 * million users an event took about 4 µs, at a few thousand under 2).
 */
export function fitPreflight(rows: Row[]): {
  events: Record<string, number>;
  memory: Record<string, number>;
  cpu: Record<string, number>;
  /** Whether each fit is the non-negative least-squares optimum (see `fit`). */
  optimal: boolean;
} {
  const events = fit(
    rows,
    {
      processSeconds: (r) => r.processes * 86_400,
      messagesPerDay: (r) => r.messagesPerDay,
      remoteMessagesPerDay: (r) => r.remoteMessagesPerDay,
      federationSendsPerDay: (r) => r.federationSendsPerDay,
      presencePairs: (r) => r.presencePairs,
      users: (r) => r.users,
    },
    (r) => r.events / (r.days * simulations(r)),
  );
  const memory = fit(
    rows,
    {
      base: () => 1,
      users: (r) => r.users,
      localMemberships: (r) => r.localMemberships,
      remoteMembers: (r) => r.remoteMembers,
      seriesBinProcesses: (r) => r.binsPerReplication * r.processes * simulations(r),
      renderBinProcesses: (r) => r.binsPerReplication * r.processes,
    },
    (r) => r.peakRssBytes,
  );
  const cpu = fit(rows, { fixed: () => 1, eventGiB: (r) => (r.events * worldEstimate(memory.beta, r)) / 2 ** 30 }, (r) => r.cpuSeconds);
  return { events: events.beta, memory: memory.beta, cpu: cpu.beta, optimal: events.optimal && memory.optimal && cpu.optimal };
}

function report(rows: Row[]): void {
  const { events, memory, cpu, optimal } = fitPreflight(rows);
  if (!optimal) console.log('warning: a fit is not the non-negative least-squares optimum (a term held at zero would lower its error)');
  const sig = (v: number) => Number(v.toPrecision(3));
  console.log('events per simulated day:', Object.fromEntries(Object.entries(events).map(([k, v]) => [k, sig(v)])));
  console.log('resident memory, bytes:', Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, sig(v)])));
  console.log('CPU seconds:', Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, sig(v)])));
  console.log('\nEach run: estimated / measured, with the shipped coefficients (src/analysis/preflight.ts)');
  console.log(
    `${'run'.padEnd(100)} ${'events'.padStart(12)} ${'est/obs'.padStart(8)} ${'peak RSS MiB'.padStart(12)} ${'est/obs'.padStart(8)} ${'CPU s'.padStart(8)} ${'est/obs'.padStart(8)}`,
  );
  for (const r of rows) {
    const x: RunSizeInputs = { ...r, extraSimulations: 0 };
    const e = estimateFrom(x);
    console.log(
      `${r.run.padEnd(100)} ${String(r.events).padStart(12)} ${(e.events / r.events).toFixed(2).padStart(8)} ${(r.peakRssBytes / 2 ** 20).toFixed(0).padStart(12)} ${(e.memoryBytes / r.peakRssBytes).toFixed(2).padStart(8)} ${r.cpuSeconds.toFixed(1).padStart(8)} ${(e.cpuSeconds / r.cpuSeconds).toFixed(2).padStart(8)}`,
    );
  }
  console.log(`\nshipped: ${JSON.stringify(PREFLIGHT)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'fit-only': { type: 'boolean' }, 'skip-million': { type: 'boolean' } }, strict: true });
  if (!values['fit-only']) {
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
    const rows: Row[] = [];
    for (const d of DESIGN.filter((d) => !(d.million && values['skip-million']))) {
      process.stderr.write(`fit-preflight: ${label(d)}\n`);
      rows.push(await measure(d));
      writeCsv(rows);
    }
  }
  report(readCsv());
}

// Run as a script; imported (by test/analysis/preflight.test.ts), it only lends its fit.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
