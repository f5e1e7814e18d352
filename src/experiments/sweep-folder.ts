/**
 * The folder of a sweep while it runs, and after: how a sweep that was
 * killed resumes, how shards of one sweep run apart and are merged, within
 * the rules of report folders (src/report/write.ts: `--force` replaces only
 * a folder mxsim wrote, marked by `.mxsim-report`; a report is put in place
 * whole or not at all).
 *
 * An unfinished sweep folder holds `.mxsim-report` (mxsim wrote it),
 * `.mxsim-sweep` (unfinished, with the SHA-256 of its plan),
 * `sweep-plan.json` (the plan: the scenario file's text, every option that
 * changes a result) and `jobs/<key>.json`, one per job done (job-store.ts).
 * It is created whole (a temporary sibling renamed into place), so a shard
 * starting at the same moment on a shared folder finds it whole or absent.
 *
 * - `openSweepFolder`: absent, the folder is created; an unfinished sweep of
 *   the same plan is resumed (with or without --force); an unfinished sweep
 *   of another plan is refused (output.exists, exit 4) unless --force; any
 *   other folder is refused as report folders are (a finished sweep: exit 4
 *   without --force; with it, the sweep starts again in a new folder).
 * - `sweepFolderFiles`: the finished folder's own files besides the report:
 *   `sweep-plan.json` and every job file, the same bytes whether the jobs
 *   were run at once, resumed or merged from shards; writeReport then
 *   replaces the unfinished folder with the whole report.
 * - `mergeSweep`: the shard folders of one plan read back, every job
 *   checked present, reduced to the result a local run gives.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { canonicalJson, FolderJobStore, sha256, taskKey, type JobFileProblem } from '../analysis/job-store.js';
import { MxsimError, present } from '../errors.js';
import { checkOutput, REPORT_MARKER } from '../report/write.js';
import { loadScenarioText } from '../scenario/load.js';
import { DESIGNS, pointLabel, type Design } from './design.js';
import { checkOutputRow, planSweep, reduceSweep, selectOutputs, sweepTasks, type SweepPlan, type SweepResult } from './sweep.js';
import type { OutputRow } from './sweep-job.js';
import { sweepMessages as msg } from './sweep-messages.js';

/** The marker of an unfinished sweep folder: the plan's hash. */
export const SWEEP_MARKER = '.mxsim-sweep';
/** The plan of a sweep folder, kept in it from start to end. */
export const PLAN_FILE = 'sweep-plan.json';
/** The folder of job files in a sweep folder. */
export const JOBS_FOLDER = 'jobs';

/** Everything that decides a sweep's results and report: two folders with the same plan hold jobs of one sweep. */
export interface SweepPlanFile {
  /** The mxsim that plans it; a job's key holds the version. */
  mxsim: string;
  /** The scenario file as given on the command line, its text, and the --set overrides. */
  scenario: { file: string; text: string; set: string[] };
  vary: string[];
  design: Design;
  /** --points of an lhs design (null: the default, or not lhs). */
  points: number | null;
  seed: string;
  replications: number;
  outputs: string[];
  verify: boolean;
  /** Jobs of the whole sweep (points x replications). */
  jobs: number;
}

/** The SHA-256 of a plan, kept in `.mxsim-sweep`. */
export const planHash = (p: SweepPlanFile): string => sha256(canonicalJson(p));
const planText = (p: SweepPlanFile) => JSON.stringify(p, null, 2) + '\n';

/** The job store of a sweep folder, checking each row read back. */
export const sweepStore = (dir: string) => new FolderJobStore<OutputRow>(join(dir, JOBS_FOLDER), checkOutputRow);

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** The plan file's problems, `field: expected ..., got ...`; none when it is a plan. */
export function planProblems(doc: unknown): string[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return [msg.planField('(the file)', 'an object', JSON.stringify(doc))];
  const d = doc as Record<string, unknown>;
  const s = (d['scenario'] ?? {}) as Record<string, unknown>;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const wholeAtLeast = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
  const checks: [string, unknown, string, (v: unknown) => boolean][] = [
    ['mxsim', d['mxsim'], 'a version', (v) => typeof v === 'string'],
    ['scenario.file', s['file'], 'a path', (v) => typeof v === 'string'],
    ['scenario.text', s['text'], "the scenario file's text", (v) => typeof v === 'string'],
    ['scenario.set', s['set'], 'a list of PATH=VALUE', strings],
    ['vary', d['vary'], 'a list of PATH=VALUES', strings],
    ['design', d['design'], DESIGNS.join(' or '), (v) => DESIGNS.includes(v as Design)],
    ['points', d['points'], 'null or a whole number >= 2', (v) => v === null || wholeAtLeast(v, 2)],
    ['seed', d['seed'], 'a seed', (v) => typeof v === 'string'],
    ['replications', d['replications'], 'a whole number >= 1', (v) => wholeAtLeast(v, 1)],
    ['outputs', d['outputs'], 'a list of output names', strings],
    ['verify', d['verify'], 'true or false', (v) => typeof v === 'boolean'],
    ['jobs', d['jobs'], 'a whole number >= 1', (v) => wholeAtLeast(v, 1)],
  ];
  return checks.filter(([, v, , ok]) => !ok(v)).map(([path, v, rule]) => msg.planField(path, rule, v === undefined ? 'nothing' : JSON.stringify(v)));
}

/** A sweep folder's plan, or why it has none. */
export function readPlanFile(dir: string): { plan: SweepPlanFile } | { problem: string } {
  const path = join(dir, PLAN_FILE);
  const text = readText(path);
  if (text === null) return { problem: msg.noPlanFile(dir, PLAN_FILE) };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { problem: msg.planNotJson(path, (e as Error).message) };
  }
  const problems = planProblems(doc);
  if (problems.length > 0) return { problem: [msg.planInvalid(path), ...problems.map((p) => `    ${p}`)].join('\n') };
  return { plan: doc as SweepPlanFile };
}

/** What `dir` is: absent, an unfinished sweep (with its plan's hash), or anything else that exists. */
export function sweepFolderState(dir: string): { kind: 'absent' } | { kind: 'unfinished'; hash: string } | { kind: 'other' } {
  if (!existsSync(dir)) return { kind: 'absent' };
  const text = readText(join(dir, SWEEP_MARKER));
  if (text === null) return { kind: 'other' };
  try {
    const hash = (JSON.parse(text) as { plan?: unknown }).plan;
    if (typeof hash === 'string') return { kind: 'unfinished', hash };
  } catch {
    // A marker that does not parse: not a folder this mxsim can resume.
  }
  return { kind: 'other' };
}

/**
 * Make `dir` the unfinished folder of `plan`, or find it so: 'new' when it
 * was created (or replaced: --force), 'resumed' when an unfinished sweep of
 * the same plan was there. Throws as `checkOutput` does for a folder that may
 * not be used, and output.exists for an unfinished sweep of another plan
 * without --force.
 */
export function openSweepFolder(dir: string, plan: SweepPlanFile, force: boolean, onNote: (note: string) => void): 'new' | 'resumed' {
  const hash = planHash(plan);
  // A kill between the two renames of writeReport leaves the folder moved aside: checkOutput puts it back (and removes
  // temporary folders of runs killed) before the folder is looked at; whether it may be used is judged below.
  try {
    checkOutput(dir, true, { onNote });
  } catch {
    // Judged below, with the --force given.
  }
  const state = sweepFolderState(dir);
  if (state.kind === 'unfinished' && state.hash === hash) {
    checkOutput(dir, true);
    return 'resumed';
  }
  if (state.kind === 'unfinished' && !force) throw new MxsimError('output.exists', msg.otherPlan(dir));
  // Absent: its parent checked. Existing: refused without --force, and with it unless mxsim wrote it.
  checkOutput(dir, force);
  if (state.kind !== 'absent') rmSync(dir, { recursive: true, force: true });
  return createSweepFolder(dir, plan, hash) ? 'new' : openSweepFolder(dir, plan, false, () => {});
}

/**
 * The unfinished folder built next to `dir` and renamed into place (named as
 * writeReport's temporary folders, so one left by a kill is removed by the
 * next run). False when another process put a folder there first.
 */
function createSweepFolder(dir: string, plan: SweepPlanFile, hash: string): boolean {
  const parent = dirname(resolve(dir));
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.mxsim-tmp-${basename(resolve(dir))}-${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(join(tmp, JOBS_FOLDER), { recursive: true });
    writeFileSync(join(tmp, REPORT_MARKER), JSON.stringify({ mxsim: plan.mxsim, sweep: 'unfinished' }) + '\n');
    writeFileSync(join(tmp, SWEEP_MARKER), JSON.stringify({ mxsim: plan.mxsim, plan: hash }) + '\n');
    writeFileSync(join(tmp, PLAN_FILE), planText(plan));
    renameSync(tmp, dir);
    return true;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return false;
    throw new MxsimError('output.unwritable', msg.folderNotCreated(dir, code ? `${code}: ${(e as Error).message}` : String(e)), undefined, { cause: e });
  }
}

/** The files of a finished sweep folder besides the report: the plan and every job file. */
export function sweepFolderFiles(plan: SweepPlanFile, keys: readonly string[], rows: readonly OutputRow[]): Map<string, string> {
  const files = new Map<string, string>([[PLAN_FILE, planText(plan)]]);
  keys.forEach((key, i) => files.set(`${JOBS_FOLDER}/${key}.json`, FolderJobStore.text(key, present(rows[i], `the row of job ${i}`))));
  return files;
}

/** The sweep plan of a plan file: the scenario loaded from its text, the design rebuilt, as `mxsim sweep` planned it. */
export function planFromFile(p: SweepPlanFile, path: string = PLAN_FILE): { plan: SweepPlan; result: Pick<SweepResult, 'replications' | 'outputs' | 'verified'> } {
  const loaded = loadScenarioText(p.scenario.text, p.scenario.file, p.scenario.set);
  const plan = planSweep(loaded, p.vary, { design: p.design, seed: p.seed, ...(p.points === null ? {} : { points: p.points }) });
  const { outputs, problems } = selectOutputs(p.outputs.join(','));
  if (problems.length > 0) throw new MxsimError('merge.plan', [msg.planInvalid(path), ...problems.map((q) => `    ${q}`)].join('\n'));
  return { plan, result: { replications: p.replications, outputs, verified: p.verify } };
}

/** A merged sweep: its result, its plan and the rows of every job, with the job files that were not used. */
export interface MergedSweep {
  result: SweepResult;
  plan: SweepPlanFile;
  keys: string[];
  rows: OutputRow[];
  problems: JobFileProblem[];
}

/**
 * The shard folders `dirs` of one sweep, put together: every folder must
 * hold the same plan, written by this mxsim (merge.plan, exit 3), and every
 * job must be stored in one of them (merge.incomplete, exit 9, listing the
 * missing jobs). Job files that are not used are returned as problems.
 */
export function mergeSweep(dirs: readonly string[], version: string): MergedSweep {
  const plans: { dir: string; plan: SweepPlanFile }[] = [];
  const problems: string[] = [];
  for (const dir of dirs) {
    const r = readPlanFile(dir);
    if ('problem' in r) problems.push(r.problem);
    else plans.push({ dir, plan: r.plan });
  }
  const first = plans[0];
  if (first !== undefined) {
    for (const { dir, plan } of plans.slice(1)) {
      const fields = (Object.keys(first.plan) as (keyof SweepPlanFile)[]).filter((k) => canonicalJson(plan[k]) !== canonicalJson(first.plan[k]));
      if (fields.length > 0) problems.push(msg.planDiffers(dir, first.dir, fields));
    }
    if (problems.length === 0 && first.plan.mxsim !== version) problems.push(msg.otherVersion(first.dir, first.plan.mxsim, version));
  }
  if (problems.length > 0 || first === undefined)
    throw new MxsimError('merge.plan', problems.length === 1 ? problems[0]! : [msg.mergePlanHeadline(problems.length), ...problems.map((p) => `  ${p}`)].join('\n'));

  const { plan, result } = planFromFile(first.plan, join(first.dir, PLAN_FILE));
  const tasks = sweepTasks(plan, { replications: result.replications, version, verify: result.verified, outputs: result.outputs });
  const keys = tasks.map((t) => taskKey(t, version));
  const stores = dirs.map(sweepStore);
  const rows = new Array<OutputRow | undefined>(keys.length);
  const unused: JobFileProblem[] = [];
  for (const store of stores) {
    const wanted = keys.filter((_, i) => rows[i] === undefined);
    const { found, problems: bad } = store.load(wanted);
    keys.forEach((k, i) => (rows[i] ??= found.get(k)));
    unused.push(...bad, ...store.foreign(keys));
  }
  const missing = rows.flatMap((r, i) => (r === undefined ? [i] : []));
  if (missing.length > 0) {
    const R = result.replications;
    const lines = missing.slice(0, MISSING_LISTED).map((i) => {
      const p = plan.points[Math.floor(i / R)]!;
      return msg.missingJob(i, p.index + 1, pointLabel(plan.factors, p), i % R);
    });
    if (missing.length > MISSING_LISTED) lines.push(msg.moreMissing(missing.length - MISSING_LISTED));
    const notUsed = unused.map((u) => msg.jobFileProblem(u.path, u.why, false));
    throw new MxsimError('merge.incomplete', [msg.missingHeadline(missing.length, keys.length, dirs.length), ...[...lines, ...notUsed].map((l) => `  ${l}`)].join('\n'));
  }
  const all = rows.map((r, i) => present(r, `the row of job ${i}`));
  return {
    result: reduceSweep(plan, { replications: result.replications, outputs: result.outputs, verify: result.verified }, all),
    plan: first.plan,
    keys,
    rows: all,
    problems: unused,
  };
}

/** Missing jobs listed one by one before "... and N more". */
const MISSING_LISTED = 20;
