/**
 * `mxsim sweep`: one scenario run at many points, each point a set of values
 * of the varied fields, each applied exactly as `--set PATH=VALUE`
 * (src/scenario/overrides.ts) and the point's scenario validated.
 *
 * `planSweep` parses the --vary options (vary.ts), builds the design
 * (design.ts) and validates every point, listing every problem at once
 * (malformed options: usage, exit 2; values the scenario refuses:
 * scenario.invalid, exit 3). `runSweep` runs each (point, replication) as a
 * job through the pool (src/analysis/pool.ts: results in task order, so
 * they do not depend on the order jobs finish), with common random numbers:
 * replication r of every point uses seed `${seed}/${r}`. It then reduces the
 * rows to per-point means with 95% confidence intervals (src/analysis/stat.ts)
 * and to what moves each output (effects.ts).
 *
 * With a job store (src/analysis/job-store.ts), each job's row is stored as
 * the job ends, under its key (scenario, seed, replication, version), and
 * the jobs found stored are not run again: a sweep that was killed resumes,
 * and `runSweepJobs` with a shard runs only its share of the jobs, which
 * `reduceSweep` puts back together with the others' (sweep-folder.ts).
 */
import { estimateRun } from '../analysis/preflight.js';
import { meanCi95 } from '../analysis/confidence.js';
import { taskKey, type FolderJobStore, type JobFileProblem } from '../analysis/job-store.js';
import { runTasks, type Task } from '../analysis/pool.js';
import { stat } from '../analysis/stat.js';
import { MxsimError, present } from '../errors.js';
import { roundSignificant } from '../numeric/index.js';
import type { Scenario } from '../scenario/grammar.js';
import { ScenarioError, type LoadedScenario } from '../scenario/load.js';
import { applyOverrides } from '../scenario/overrides.js';
import { formatProblem, type Problem } from '../scenario/problem.js';
import { valueAt } from '../scenario/schema-walk.js';
import { validateScenario } from '../scenario/validate.js';
import { factorial, factorialCount, latinHypercube, oneAtATime, pointLabel, type Design, type DesignPoint } from './design.js';
import { anova, firstOrderIndices, type Observation } from './effects.js';
import { OUTPUT_NAMES, OUTPUTS, type OutputDefinition, type OutputRow } from './sweep-job.js';
import { sweepMessages as msg } from './sweep-messages.js';
import { parseVary, type Factor } from './vary.js';

/** The most points a sweep runs (each is `--replications` full runs). */
export const MAX_POINTS = 10_000;
/** `--points` of an LHS design when not given. */
export const DEFAULT_LHS_POINTS = 10;

/** The job module: this file's sibling, with this file's own extension (.js built, .ts under tsx). */
const JOB_MODULE = new URL(`./sweep-job${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url).href;

export interface SweepPlanOptions {
  design: Design;
  /** LHS points. */
  points?: number;
  /** Run seed (default: the scenario's run.seed). */
  seed?: string;
  /** Problems of the command's other options, listed with those of --vary. */
  usage?: readonly string[];
}

/** A sweep checked and ready to run. */
export interface SweepPlan {
  file: string;
  base: LoadedScenario;
  design: Design;
  factors: Factor[];
  points: DesignPoint[];
  /** Each point's scenario, validated. */
  scenarios: Scenario[];
  seed: string;
  /** What was said along the way (values dropped after rounding). */
  notes: string[];
}

/** The outputs named in `--outputs a,b,c` (all when undefined), and a problem for each unknown name. */
export function selectOutputs(list: string | undefined): { outputs: OutputDefinition[]; problems: string[] } {
  if (list === undefined) return { outputs: [...OUTPUTS], problems: [] };
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) return { outputs: [], problems: [msg.outputsEmpty()] };
  const known = OUTPUTS.map((o) => o.name);
  const problems = names.filter((n) => !known.includes(n)).map((n) => msg.unknownOutput(n, known));
  return { outputs: OUTPUTS.filter((o) => names.includes(o.name)), problems };
}

/** A scenario problem of a --vary value or a point, with where it came from after its path. */
const located = (p: Problem, where: string): Problem => ({ ...p, path: where === '' ? p.path : `${p.path.replace(/^--set /, '')} ${where}` });

/** Apply `sets` to the scenario as read and validate: the scenario, or its problems. */
function evaluate(raw: unknown, sets: readonly string[]): { scenario: Scenario | null; problems: Problem[] } {
  const { value, problems } = applyOverrides(raw, sets);
  const result = validateScenario(value);
  if (!result.ok) problems.push(...result.problems);
  return { scenario: problems.length === 0 && result.ok ? result.scenario : null, problems };
}

/**
 * Parse the --vary options, build the design and validate every point.
 * Throws MxsimError `usage` (exit 2) for malformed options, listing them all
 * (with any value problems after them), or ScenarioError `scenario.invalid`
 * (exit 3) for values the scenario refuses, each problem with its path and
 * the --vary value or point it comes from.
 */
export function planSweep(base: LoadedScenario, varySpecs: readonly string[], o: SweepPlanOptions): SweepPlan {
  const file = base.source;
  const usage: string[] = [...(o.usage ?? [])];
  if (varySpecs.length === 0) usage.push(msg.noVary());
  const parsed = parseVary(varySpecs, base.raw);
  usage.push(...parsed.problems);
  const { factors } = parsed;
  if (o.design === 'lhs') for (const f of factors) if (f.range === null) usage.push(msg.lhsNeedsRanges(f.spec));
  const count = o.design === 'factorial' ? factorialCount(factors) : o.design === 'lhs' ? (o.points ?? DEFAULT_LHS_POINTS) : 1 + factors.reduce((n, f) => n + f.levels.length, 0);
  if (count > MAX_POINTS) usage.push(msg.tooManyPoints(count, MAX_POINTS));

  // Each value alone on the base scenario (for an LHS range, its two ends): problems named by the --vary value.
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (p: Problem, where: string) => {
    const key = formatProblem(p);
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(located(p, where));
  };
  const badLevel = factors.map(() => new Set<string>());
  factors.forEach((f, j) => {
    const levels = o.design === 'lhs' && f.range ? [f.levels[0]!, f.levels.at(-1)!] : f.levels;
    for (const l of levels) {
      const set = `${f.path}=${l.text}`;
      const r = evaluate(base.raw, [set]);
      if (r.problems.length > 0) badLevel[j]!.add(l.text);
      for (const p of r.problems) add(p, `(--vary ${set})`);
    }
  });
  if (usage.length > 0) {
    const all = [...usage, ...problems.map((p) => formatProblem(p))];
    throw new MxsimError('usage', all.length === 1 ? all[0]! : [msg.usageHeadline(all.length), ...all.map((p) => `  ${p}`)].join('\n'));
  }

  const seed = o.seed ?? String(base.scenario.run.seed);
  let points: DesignPoint[];
  if (o.design === 'factorial') points = factorial(factors);
  else if (o.design === 'oat') {
    const baseValues = factors.map((f) => valueAt(base.scenario, f.segments).value);
    points = oneAtATime(factors, baseValues);
  } else points = latinHypercube(factors, o.points ?? DEFAULT_LHS_POINTS, seed).points;

  // Every point: combinations can fail where each value alone did not (cross-field rules).
  const scenarios: Scenario[] = [];
  for (const p of points) {
    if (p.levels.some((l, j) => badLevel[j]!.has(l.text))) continue;
    const r = evaluate(base.raw, p.sets);
    for (const q of r.problems) add(q, `(point ${p.index + 1}: ${pointLabel(factors, p)})`);
    if (r.scenario) scenarios.push({ ...r.scenario, description: base.scenario.description });
  }
  if (problems.length > 0) throw new ScenarioError(file, problems, msg.headline(file, problems.length));
  return { file, base, design: o.design, factors, points, scenarios, seed, notes: parsed.notes };
}

/** A varied field's value as a cell: numbers and booleans as they are, anything else as JSON. */
export function levelCell(v: unknown): number | string | boolean | null {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return JSON.stringify(v) ?? null;
}

/** One row of results.csv: a point's replication. */
export type ResultRow = Record<string, number | string | boolean | null>;

/** A point's outputs over its replications: mean and 95% interval of each. */
export interface PointSummary {
  point: number;
  values: Record<string, number | string | boolean | null>;
  outputs: Record<string, { mean: number; ci95: [number, number] }>;
}

/** What moves the answer, as a table (effects.csv) and a ranking. */
export interface EffectsTable {
  design: Design;
  /** How the effects were computed, with the sources. */
  method: string;
  header: string[];
  rows: Record<string, number | string | null>[];
  /** Per output, the factors and interactions from the largest effect down, with the number ranked by. */
  ranking: { output: string; effect: string; score: number; p: number | null }[];
  /** What `score` is. */
  score: string;
  /** Factorial designs: per output, the shares of variance of the replications (their seeds) and of the error; outputs that do not vary at all are listed in `constant`. */
  noise: { output: string; replications: number; error: number }[];
  /** Outputs with the same value at every run. */
  constant: string[];
}

export interface SweepResult {
  plan: SweepPlan;
  replications: number;
  /** Whether each recommendation was re-simulated (--no-verify: not). */
  verified: boolean;
  outputs: OutputDefinition[];
  results: ResultRow[];
  points: PointSummary[];
  effects: EffectsTable;
}

export interface SweepRunOptions {
  replications: number;
  outputs: OutputDefinition[];
  jobs?: number;
  /** A Redis URL: the runs go on that queue for `mxsim worker` processes (pool.ts `queue`). */
  queue?: string;
  version: string;
  /** Re-simulate each recommendation (default true; false: CPU sizing alone, much faster for large points). */
  verify?: boolean;
  /** Where each job's result is kept as it ends and found again: jobs stored already are not run (a resumed sweep, shards). */
  store?: FolderJobStore<OutputRow>;
  /** Run only the jobs whose index modulo `count` is `index` (`--shard INDEX/COUNT`). */
  shard?: Shard;
  /**
   * Called once the stored jobs are read, before anything runs: how many were
   * found, how many to run, the job files that could not be used (their jobs
   * run again) and the files that are no job of this sweep.
   */
  onResume?: (r: { resumed: number; toRun: number; problems: JobFileProblem[]; foreign: JobFileProblem[] }) => void;
  /** Called as each run starts and ends. */
  onProgress?: (p: SweepProgress) => void;
}

/** `--shard INDEX/COUNT`: 0 <= index < count. */
export interface Shard {
  index: number;
  count: number;
}

/** Where a sweep is, for its progress line. */
export interface SweepProgress {
  /** Points whose jobs (of this shard) are all done, stored before included; and the points with jobs in this shard. */
  pointsDone: number;
  points: number;
  /** Jobs of this shard done (stored before included), and all of them. */
  runsDone: number;
  runs: number;
  /** Jobs running now. */
  running: number;
  /** Jobs found stored before this run started. */
  resumed: number;
  /** Jobs finished by this run, and the jobs it has to run. */
  ranNow: number;
  toRun: number;
  /** Set when a point has just had its last job done: its index (0-based). */
  pointDone?: number;
}

/** The jobs of a sweep, run or read back: `rows[i]` is job i's, undefined for a job of another shard. */
export interface SweepJobs {
  tasks: Task[];
  keys: string[];
  rows: (OutputRow | undefined)[];
  /** Jobs found stored, and jobs run now. */
  resumed: number;
  ran: number;
}

const r6 = (x: number) => (Number.isFinite(x) ? roundSignificant(x, 6) : NaN);
const asNumber = (v: number | boolean | undefined) => (typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? NaN));

/** Mean and 95% interval: the t interval (on the log scale for non-negative quantities) of stat.ts; a share of runs is kept within [0, 1]. */
function summarizeOutput(values: readonly number[], boolean: boolean): { mean: number; ci95: [number, number] } {
  if (!boolean) return stat(values);
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: NaN, ci95: [NaN, NaN] };
  const m = meanCi95(finite);
  return { mean: r6(m.mean), ci95: [r6(Math.max(0, m.ci95[0])), r6(Math.min(1, m.ci95[1]))] };
}

/**
 * The scenario a job of the sweep runs: the point's, except that when none of
 * the outputs asked for is `saturationUsers`, the search for the users at
 * which the recommendation saturates (several more simulations, about half a
 * verified run's CPU) is not run: `run.server.saturation` becomes `linear`,
 * as in the capacity experiments (capacity-run.ts). Nothing else in a row
 * depends on it. The job's key holds the scenario, so a row stored without
 * the search is never read back for a sweep that asks for it.
 */
export function jobScenario(s: Scenario, outputs: readonly OutputDefinition[]): Scenario {
  if (s.run.server.saturation !== 'simulated' || outputs.some((o) => o.name === 'saturationUsers')) return s;
  return { ...s, run: { ...s.run, server: { ...s.run.server, saturation: 'linear' } } };
}

/** The pool tasks of a sweep, point by point, replication by replication: job i is point floor(i / R), replication i % R. */
export function sweepTasks(plan: SweepPlan, o: Pick<SweepRunOptions, 'replications' | 'version' | 'verify' | 'outputs'>): Task[] {
  return plan.scenarios
    .map((point) => jobScenario(point, o.outputs))
    .flatMap((s) => {
      // The pre-flight estimate of one run's CPU: on threads, the heaviest points start first (pool.ts `weight`).
      const weight = estimateRun(s, { replications: 1, verify: o.verify !== false }).simulationCpuSeconds;
      return Array.from({ length: o.replications }, (_, r) => ({ module: JOB_MODULE, name: 'sweepJob', args: [s, plan.seed, r, o.version, o.verify !== false], weight }));
    });
}

/** Is `result` a job's row: every output of sweep-job.ts, a boolean or a number as its definition says? Null when it is, else what is wrong. */
export function checkOutputRow(result: unknown): string | null {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return msg.rowNotObject();
  const row = result as Record<string, unknown>;
  for (const def of OUTPUTS) {
    const v = row[def.name];
    const want = def.boolean === true ? 'boolean' : 'number';
    if (typeof v !== want) return msg.rowField(def.name, want, v === undefined ? 'nothing' : JSON.stringify(v));
  }
  const extra = Object.keys(row).filter((k) => !OUTPUT_NAMES.includes(k));
  return extra.length > 0 ? msg.rowExtra(extra) : null;
}

/** Is job `i` one of this shard's? */
export const inShard = (i: number, shard: Shard | undefined) => shard === undefined || i % shard.count === shard.index;

/**
 * Run the jobs of the plan (of the shard, if one is given) that the store
 * does not hold yet, storing each as it ends; the rows of the jobs run and
 * of those found stored.
 */
export async function runSweepJobs(plan: SweepPlan, o: SweepRunOptions): Promise<SweepJobs> {
  const R = o.replications;
  const tasks = sweepTasks(plan, o);
  const keys = tasks.map((t) => taskKey(t, o.version));
  const mine = tasks.map((_, i) => i).filter((i) => inShard(i, o.shard));
  const rows = new Array<OutputRow | undefined>(tasks.length);
  let problems: JobFileProblem[] = [];
  let foreign: JobFileProblem[] = [];
  if (o.store) {
    const loaded = o.store.load(mine.map((i) => keys[i]!));
    for (const i of mine) rows[i] = loaded.found.get(keys[i]!);
    problems = loaded.problems;
    foreign = o.store.foreign(keys);
  }
  const todo = mine.filter((i) => rows[i] === undefined);
  const resumed = mine.length - todo.length;
  o.onResume?.({ resumed, toRun: todo.length, problems, foreign });

  // Per point, the jobs of this shard still to be done.
  const left = new Array<number>(plan.points.length).fill(0);
  for (const i of mine) if (rows[i] === undefined) left[Math.floor(i / R)]!++;
  const withJobs = new Set(mine.map((i) => Math.floor(i / R))).size;
  let pointsDone = [...new Set(mine.map((i) => Math.floor(i / R)))].filter((p) => left[p] === 0).length;
  const started = new Set<number>();
  let ranNow = 0;
  const report = (pointDone?: number) =>
    o.onProgress?.({
      pointsDone,
      points: withJobs,
      runsDone: resumed + ranNow,
      runs: mine.length,
      running: started.size,
      resumed,
      ranNow,
      toRun: todo.length,
      ...(pointDone === undefined ? {} : { pointDone }),
    });
  await runTasks<OutputRow>(
    todo.map((i) => ({ ...tasks[i]!, progress: true })),
    {
      jobs: o.jobs,
      queue: o.queue,
      onProgress: (j, fraction) => {
        if (fraction !== 0 || started.has(j)) return;
        started.add(j);
        report();
      },
      onDone: (j, result) => {
        const i = todo[j]!;
        const row = result as OutputRow;
        if (o.store) {
          try {
            o.store.save(keys[i]!, row);
          } catch (e) {
            const err = e as NodeJS.ErrnoException;
            throw new MxsimError('output.unwritable', msg.jobNotSaved(o.store.path(keys[i]!), err.code ? `${err.code}: ${err.message}` : String(e)), undefined, { cause: e });
          }
        }
        rows[i] = row;
        started.delete(j);
        ranNow++;
        const p = Math.floor(i / R);
        if (--left[p]! === 0) {
          pointsDone++;
          report(p);
        } else report();
      },
    },
  );
  return { tasks, keys, rows, resumed, ran: ranNow };
}

/** Run every (point, replication) not stored yet and reduce the rows. */
export async function runSweep(plan: SweepPlan, o: SweepRunOptions): Promise<SweepResult> {
  if (o.shard !== undefined) throw new Error('runSweep runs a whole sweep; a shard runs with runSweepJobs');
  const { rows } = await runSweepJobs(plan, o);
  return reduceSweep(
    plan,
    o,
    rows.map((r, i) => present(r, `the row of job ${i}`)),
  );
}

/** The rows of every job, in job order, reduced to the results, the per-point means and the effects. */
export function reduceSweep(plan: SweepPlan, o: Pick<SweepRunOptions, 'replications' | 'outputs' | 'verify'>, rows: readonly OutputRow[]): SweepResult {
  const R = o.replications;
  const results: ResultRow[] = [];
  const points: PointSummary[] = [];
  plan.points.forEach((p, i) => {
    const values = Object.fromEntries(plan.factors.map((f, j) => [f.path, levelCell(p.levels[j]?.value)]));
    const mine = rows.slice(i * R, (i + 1) * R);
    mine.forEach((row, r) => {
      results.push({ point: p.index + 1, replication: r, seed: `${plan.seed}/${r}`, ...values, ...Object.fromEntries(o.outputs.map((out) => [out.name, row[out.name] ?? null])) });
    });
    const outputs = Object.fromEntries(
      o.outputs.map((out) => [
        out.name,
        summarizeOutput(
          mine.map((row) => asNumber(row[out.name])),
          out.boolean === true,
        ),
      ]),
    );
    points.push({ point: p.index + 1, values, outputs });
  });
  const effects = effectsOf(plan, R, o.outputs, rows);
  return { plan, replications: R, outputs: o.outputs, verified: o.verify !== false, results, points, effects };
}

/** The effects table of the plan's design (see effects.ts for the methods). */
function effectsOf(plan: SweepPlan, R: number, outputs: readonly OutputDefinition[], rows: readonly OutputRow[]): EffectsTable {
  const { factors } = plan;
  const ranking: EffectsTable['ranking'] = [];
  const noise: EffectsTable['noise'] = [];
  const constant = outputs
    .filter((def) => {
      const ys = rows.map((row) => asNumber(row[def.name]));
      return ys.every((y) => y === ys[0]);
    })
    .map((def) => def.name);
  const rankBy = <T>(items: T[], score: (t: T) => number) => [...items].sort((a, b) => score(b) - score(a));
  if (plan.design === 'factorial') {
    const out: EffectsTable['rows'] = [];
    for (const def of outputs) {
      const obs: Observation[] = rows.map((row, k) => ({ cell: plan.points[Math.floor(k / R)]!.levelIndex, replication: k % R, y: asNumber(row[def.name]) }));
      if (obs.some((x) => !Number.isFinite(x.y))) continue;
      const a = anova(
        obs,
        factors.map((f) => f.path),
        factors.map((f) => f.levels.length),
        { blocked: true },
      );
      const effects = a.rows.filter((r) => r.kind === 'main' || r.kind === 'interaction' || r.kind === 'higher-order');
      const ranked = rankBy(effects, (r) => r.sumOfSquares);
      for (const r of a.rows) {
        const rank = ranked.indexOf(r);
        out.push({
          output: def.name,
          effect: r.effect,
          kind: r.kind,
          df: r.df,
          sumOfSquares: r6(r.sumOfSquares),
          share: r6(r.share),
          f: r.f === null ? null : r6(r.f),
          p: r.p === null ? null : r6(r.p),
          rank: rank < 0 ? null : rank + 1,
        });
      }
      for (const r of ranked) ranking.push({ output: def.name, effect: r.effect, score: r6(r.share), p: r.p });
      const shareOf = (kind: string) => r6(a.rows.find((r) => r.kind === kind)?.share ?? 0);
      noise.push({ output: def.name, replications: shareOf('replications'), error: shareOf('error') });
    }
    return {
      design: 'factorial',
      method:
        'Analysis of variance of the full factorial (Montgomery, Design and Analysis of Experiments, 8th ed., §5.3-5.4): main effects and two-way interactions, each with its sum of squares, share of the total sum of squares, F against the error mean square and p-value from the F distribution; interactions of three or more fields pooled. Replications share their seed across points (common random numbers), so they are blocks (§5.6) taken out of the error. Ranked by sum of squares.',
      header: ['output', 'effect', 'kind', 'df', 'sumOfSquares', 'share', 'f', 'p', 'rank'],
      rows: out,
      ranking,
      score: 'share of variance',
      noise,
      constant,
    };
  }
  const means = (def: OutputDefinition) =>
    plan.points.map((_, i) => {
      const ys = rows
        .slice(i * R, (i + 1) * R)
        .map((row) => asNumber(row[def.name]))
        .filter(Number.isFinite);
      return ys.length === 0 ? NaN : ys.reduce((a, b) => a + b, 0) / ys.length;
    });
  if (plan.design === 'oat') {
    const out: EffectsTable['rows'] = [];
    for (const def of outputs) {
      const y = means(def);
      const baseY = y[0] ?? NaN;
      const items = factors.map((f, j) => {
        // The base point and the points that move this factor alone, in the factor's value order.
        const along = plan.points.filter((p) => p.index === 0 || (p.sets.length === 1 && p.sets[0]!.startsWith(`${f.path}=`)));
        const pts = along.map((p) => ({ p, y: y[p.index]! })).sort((a, b) => orderOf(a.p.levels[j]!.value) - orderOf(b.p.levels[j]!.value) || a.p.index - b.p.index);
        const ys = pts.map((q) => q.y).filter(Number.isFinite);
        const range = ys.length > 0 ? Math.max(...ys) - Math.min(...ys) : NaN;
        const first = pts[0]!;
        const last = pts.at(-1)!;
        return {
          factor: f.path,
          from: first.p.levels[j]!.text,
          to: last.p.levels[j]!.text,
          atFrom: first.y,
          atTo: last.y,
          change: last.y - first.y,
          range,
          relativeRange: baseY !== 0 && Number.isFinite(baseY) ? range / Math.abs(baseY) : NaN,
        };
      });
      const ranked = rankBy(items, (i) => (Number.isFinite(i.range) ? i.range : -1));
      for (const it of items)
        out.push({
          output: def.name,
          factor: it.factor,
          base: r6(baseY),
          from: it.from,
          to: it.to,
          atFrom: r6(it.atFrom),
          atTo: r6(it.atTo),
          change: r6(it.change),
          range: r6(it.range),
          relativeRange: Number.isFinite(it.relativeRange) ? r6(it.relativeRange) : null,
          rank: ranked.indexOf(it) + 1,
        });
      for (const it of ranked) ranking.push({ output: def.name, effect: it.factor, score: Number.isFinite(it.relativeRange) ? r6(it.relativeRange) : 0, p: null });
    }
    return {
      design: 'oat',
      method:
        "One at a time around the base scenario (Saltelli et al., Global Sensitivity Analysis: The Primer, 2008, §1.2.6): for each field, the output's mean over replications at each of its values with every other field at the scenario's own value; `change` is the output at the field's last value minus at its first, `range` the largest minus the smallest, `relativeRange` the range over the output at base. Ranked by range. Interactions are not seen by this design.",
      header: ['output', 'factor', 'base', 'from', 'to', 'atFrom', 'atTo', 'change', 'range', 'relativeRange', 'rank'],
      rows: out,
      ranking,
      score: 'range over the output at base',
      noise,
      constant,
    };
  }
  const out: EffectsTable['rows'] = [];
  for (const def of outputs) {
    const y = means(def);
    const x = factors.map((_, j) => plan.points.map((p) => Number(p.levels[j]!.value)));
    const idx = firstOrderIndices(x, y);
    const items = factors.map((f, j) => ({ factor: f.path, index: idx[j]!.index, bins: idx[j]!.bins }));
    const ranked = rankBy(items, (i) => i.index);
    for (const it of items) out.push({ output: def.name, factor: it.factor, firstOrderSobol: r6(it.index), bins: it.bins, rank: ranked.indexOf(it) + 1 });
    for (const it of ranked) ranking.push({ output: def.name, effect: it.factor, score: r6(it.index), p: null });
  }
  return {
    design: 'lhs',
    method:
      "First-order Sobol indices S = Var(E[Y | X]) / Var(Y) (Saltelli et al., Global Sensitivity Analysis: The Primer, 2008, §1.2.5), estimated from the Latin hypercube sample itself as the correlation ratio (McKay, NUREG/CR-6311, 1995): the points, sorted by the field's value, are cut into round(√N) bins of equal count, and S is the between-bins sum of squares of the output's point means over their total sum of squares. Biased upward by about (bins − 1)/N: indices below that are noise. Ranked by S.",
    header: ['output', 'factor', 'firstOrderSobol', 'bins', 'rank'],
    rows: out,
    ranking,
    score: 'first-order Sobol index',
    noise,
    constant,
  };
}

/** An order for a field's values: numbers by value, anything else (booleans, names) as given. */
const orderOf = (v: unknown): number => (typeof v === 'number' ? v : 0);
