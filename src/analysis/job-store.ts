/**
 * Results of pool tasks (src/analysis/pool.ts) kept on disk, so that a run
 * that is killed keeps what it did and a run split over machines can be put
 * back together: nothing lost, nothing done twice.
 *
 * A task is known by its key, `taskKey(task, version)`: the SHA-256 of the
 * canonical JSON (keys sorted at every level) of its module, given relative
 * to the package root as built (`dist/...js`, whether this runs built or
 * under tsx), its function's name, its arguments and the mxsim version. For
 * a sweep job that is (scenario, seed, replication, version): the same job
 * has the same key on any machine and in any run, and anything that changes
 * its result changes its key.
 *
 * `FolderJobStore` keeps each result as `<folder>/<key>.json`, holding
 * `{ key, result }`, written atomically (a temporary file, flushed, then
 * renamed): a file is whole or absent, whenever the process is killed. Read
 * back, a file is used only when it parses, names its own key, and its
 * result passes the caller's check of its shape; any other file is reported
 * (its path and why) and its task run again, never merged silently.
 * Numbers JSON cannot hold (NaN, ±Infinity, -0) are kept as
 * `{ "$number": "NaN" }` and read back as they were, so a result read back is
 * the result computed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Task } from './pool.js';

/** The folder holding mxsim's package.json: the root module paths of keys are given from. */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = up;
  }
}

/** A module URL as the path of its built file below the package root (`src/x/y.ts` and `dist/x/y.js` both give `dist/x/y.js`). */
export function moduleId(url: string, root: string = packageRoot()): string {
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const rel = relative(root, path).split(sep).join('/');
  return rel.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
}

/** JSON with object keys sorted at every level, and the numbers JSON cannot hold kept (see `encodeNumbers`). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(encodeNumbers(value, true));
}

/** `value` with NaN, ±Infinity and -0 as `{ "$number": "NaN" }` (and keys sorted when `sort`), ready for JSON.stringify. */
export function encodeNumbers(value: unknown, sort = false): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $number: 'NaN' };
    if (value === Infinity) return { $number: 'Infinity' };
    if (value === -Infinity) return { $number: '-Infinity' };
    if (Object.is(value, -0)) return { $number: '-0' };
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => encodeNumbers(v, sort));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (sort) keys.sort();
    // fromEntries defines own properties: a "__proto__" key stays a key.
    return Object.fromEntries(keys.map((k) => [k, encodeNumbers((value as Record<string, unknown>)[k], sort)]));
  }
  return value;
}

const NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** The inverse of `encodeNumbers`. */
export function decodeNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeNumbers);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const n = (value as Record<string, unknown>)['$number'];
    if (keys.length === 1 && typeof n === 'string' && Object.hasOwn(NUMBERS, n)) return NUMBERS[n];
    return Object.fromEntries(keys.map((k) => [k, decodeNumbers((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** SHA-256 (hex) of a string. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The key of a task: what it runs and with what, and the mxsim version that runs it. */
export function taskKey(task: Pick<Task, 'module' | 'name' | 'args'>, version: string, root?: string): string {
  return sha256(canonicalJson({ module: moduleId(task.module, root), name: task.name, args: task.args, version }));
}

/** A job file that was not used, and why. */
export interface JobFileProblem {
  path: string;
  why: string;
}

/** Why a job file is not used. */
export const jobStoreMessages = {
  unreadable: (detail: string) => `cannot be read (${detail})`,
  notJson: (detail: string) => `not JSON (${detail})`,
  notObject: () => 'expected an object { key, result }',
  wrongKey: (got: string) => `holds the result of another job (key ${JSON.stringify(got)}, not its file name)`,
  badResult: (detail: string) => `its result is not what this job returns: ${detail}`,
  notOfPlan: () => 'not a job of this sweep (another plan, or not a job file)',
};

/** A check of a result read back: null when it is what the task returns, else what is wrong. */
export type ResultCheck = (result: unknown) => string | null;

/** A folder of job results, one file per task key. */
export class FolderJobStore<R> {
  constructor(
    readonly folder: string,
    private readonly check: ResultCheck,
  ) {}

  /** The file of a key. */
  path(key: string): string {
    return join(this.folder, `${key}.json`);
  }

  /**
   * The results stored for `keys` that pass every check; a problem for each
   * file that exists and does not (its task is then to be run again).
   */
  load(keys: readonly string[]): { found: Map<string, R>; problems: JobFileProblem[] } {
    const found = new Map<string, R>();
    const problems: JobFileProblem[] = [];
    for (const key of new Set(keys)) {
      const path = this.path(key);
      if (!existsSync(path)) continue;
      const why = this.read(path, key, found);
      if (why !== null) problems.push({ path, why });
    }
    return { found, problems };
  }

  private read(path: string, key: string, found: Map<string, R>): string | null {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      return jobStoreMessages.unreadable((e as NodeJS.ErrnoException).code ?? String(e));
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return jobStoreMessages.notJson((e as Error).message);
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('result' in doc)) return jobStoreMessages.notObject();
    const got = (doc as { key?: unknown }).key;
    if (got !== key) return jobStoreMessages.wrongKey(String(got));
    const result = decodeNumbers(doc.result);
    const bad = this.check(result);
    if (bad !== null) return jobStoreMessages.badResult(bad);
    found.set(key, result as R);
    return null;
  }

  /**
   * Files of the folder that are no job of `keys`. Hidden files are left out:
   * the temporary files of writes cut short by a kill, which are left alone
   * (another process sharing the folder may be writing its own) and are not
   * part of the finished folder.
   */
  foreign(keys: readonly string[]): JobFileProblem[] {
    const known = new Set(keys.map((k) => `${k}.json`));
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch {
      return [];
    }
    return names
      .filter((n) => !n.startsWith('.') && !known.has(n))
      .sort()
      .map((n) => ({ path: join(this.folder, n), why: jobStoreMessages.notOfPlan() }));
  }

  /** The text of a job file: what `save` writes. */
  static text(key: string, result: unknown): string {
    return JSON.stringify({ key, result: encodeNumbers(result) }) + '\n';
  }

  /** Store a result: a temporary file, flushed to disk, renamed into place. Synchronous, so it is done when the task's end is told. */
  save(key: string, result: R): void {
    mkdirSync(this.folder, { recursive: true });
    // Named apart from any other writer's, on this machine or another sharing the folder.
    const tmp = join(this.folder, `.${key}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, FolderJobStore.text(key, result));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path(key));
  }
}
