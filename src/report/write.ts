/**
 * Putting a report folder in place without ever leaving half of one.
 *
 * - Before anything is simulated, `checkOutput` checks the folder asked for:
 *   a path, not a file, its parent creatable and writable, enough free space
 *   for the estimated report, and, when it exists, that `--force` may
 *   replace it: only a folder mxsim wrote (it holds the marker file
 *   `.mxsim-report`) is ever replaced.
 * - `writeReport` writes every file into a temporary sibling folder, which is
 *   then renamed into place. An interrupt (SIGINT, SIGTERM, SIGHUP) while it
 *   writes removes the temporary folder and leaves the previous report as it
 *   was; a folder left by a run that was killed outright (`.mxsim-tmp-*`,
 *   `.mxsim-old-*`, named with the process id) is removed or put back by the
 *   next run on the same folder, which says so.
 */
import { accessSync, constants, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync, type Stats } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MxsimError } from '../errors.js';
import { formatBytes } from '../format/index.js';

/** The file that marks a folder as a report mxsim wrote: only such a folder is replaced by --force. */
export const REPORT_MARKER = '.mxsim-report';

/** What a report folder written before the marker existed may hold at its top level. */
const REPORT_ENTRIES = new Set(['summary.json', 'scenario.json', 'comparison.json', 'index.html', 'summary.md', 'data', 'charts', REPORT_MARKER]);

/** The report folder exists and may not be replaced (code `output.exists`, exit 4). */
export class OutputExistsError extends MxsimError {
  constructor(readonly path: string) {
    super('output.exists', `${path} already exists; use --force to replace it`);
    this.name = 'OutputExistsError';
  }
}

/** Messages of the output folder's checks. */
export const outputMessages = {
  emptyPath: (option = '--out') => `${option}: expected a folder path, got ""`,
  notAFolder: (path: string, option = '--out') => `${path} exists and is not a folder; choose another ${option}`,
  notOurs: (path: string, option = '--out') =>
    `${path} exists and is not a report folder written by mxsim (it has no ${REPORT_MARKER} file); --force replaces only mxsim's own report folders: choose another ${option} or remove it yourself`,
  blockedBy: (path: string, blocker: string) => `${path} cannot be created: ${blocker} is a file, not a folder`,
  notWritable: (path: string, folder: string) => `${path} cannot be written: ${folder} is not writable`,
  noSpace: (path: string, free: number, need: number) => `${path} cannot be written: ${formatBytes(free)} free on its disk, and the report needs about ${formatBytes(need)}`,
  writeFailed: (path: string, detail: string) => `${path} could not be written (nothing was left behind; the previous report, if any, is unchanged): ${detail}`,
  removedTemporary: (path: string) => `removed ${path}, left by an earlier run that was interrupted`,
  restoredOld: (path: string, dir: string) => `put back ${dir} from ${path}, where an earlier run that was interrupted had moved it`,
};

const lstatOrNull = (path: string): Stats | null => {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
};

/** Did mxsim write the folder `dir`: its marker, or (before markers) only the files a report has, with its summary and page. */
export function isReportFolder(dir: string): boolean {
  if (lstatOrNull(join(dir, REPORT_MARKER))?.isFile()) return true;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return false;
  }
  const has = (name: string) => entries.includes(name);
  return entries.every((e) => REPORT_ENTRIES.has(e)) && has('index.html') && (has('summary.json') || has('comparison.json'));
}

/** The nearest folder on the way to `path` that exists (or the first thing that is not a folder). */
function nearestExisting(path: string): { path: string; stats: Stats } {
  let p = resolve(path);
  for (;;) {
    const stats = lstatOrNull(p);
    if (stats) return { path: p, stats };
    const up = dirname(p);
    if (up === p) return { path: p, stats: lstatSync(p) };
    p = up;
  }
}

const writable = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Check, before anything is simulated, that the report can go to `dir`.
 * Throws `output.invalid` (exit 2: the option cannot be a
 * folder), `output.exists` (exit 4: exists, and no --force or not mxsim's)
 * or `output.unwritable` (exit 6: not writable, not enough space). `needBytes` is the estimated size of the report.
 * Folders of interrupted runs it removed or recovered are told to `onNote`
 * (before it throws, if it does); it returns the same notes.
 */
export function checkOutput(dir: string, force: boolean, o: { needBytes?: number; onNote?: (note: string) => void; option?: string } = {}): string[] {
  if (dir.trim() === '') throw new MxsimError('output.invalid', outputMessages.emptyPath(o.option));
  const stats = lstatOrNull(dir);
  const notes = recoverInterrupted(dir);
  for (const note of notes) o.onNote?.(note);
  const needBytes = o.needBytes ?? 0;
  const again = notes.length > 0 ? lstatOrNull(dir) : stats;
  if (again) {
    if (!again.isDirectory()) throw new MxsimError('output.invalid', outputMessages.notAFolder(dir, o.option));
    if (!force) throw new OutputExistsError(dir);
    if (!isReportFolder(dir)) throw new MxsimError('output.exists', outputMessages.notOurs(dir, o.option));
  }
  const near = nearestExisting(again ? dirname(resolve(dir)) : dir);
  if (!near.stats.isDirectory()) throw new MxsimError('output.invalid', outputMessages.blockedBy(dir, near.path));
  if (!writable(near.path)) throw new MxsimError('output.unwritable', outputMessages.notWritable(dir, near.path));
  if (needBytes > 0) {
    try {
      const fs = statfsSync(near.path);
      const free = Number(fs.bavail) * Number(fs.bsize);
      if (free < needBytes) throw new MxsimError('output.unwritable', outputMessages.noSpace(dir, free, needBytes));
    } catch (e) {
      if (e instanceof MxsimError) throw e;
      // statfs is not available on every file system: the write then reports a full disk itself.
    }
  }
  return notes;
}

const TEMP = (kind: 'tmp' | 'old', dir: string) => `.mxsim-${kind}-${basename(resolve(dir))}-`;

/** Is process `pid` alive (a signal 0 reaches it)? */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Folders left next to `dir` by a run that was killed before it could clean
 * up: a temporary folder is removed; an old report moved aside is put back
 * when `dir` is missing (the kill came between the two renames), else removed.
 * Folders of runs still alive are left alone.
 */
function recoverInterrupted(dir: string): string[] {
  const parent = dirname(resolve(dir));
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const notes: string[] = [];
  for (const kind of ['tmp', 'old'] as const) {
    const prefix = TEMP(kind, dir);
    for (const name of entries) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
      if (!Number.isInteger(pid) || alive(pid)) continue;
      const path = join(parent, name);
      try {
        if (kind === 'old' && !existsSync(dir)) {
          renameSync(path, dir);
          notes.push(outputMessages.restoredOld(path, dir));
        } else {
          rmSync(path, { recursive: true, force: true });
          notes.push(outputMessages.removedTemporary(path));
        }
      } catch {
        // Not ours to fix (permissions): left as it is.
      }
    }
  }
  return notes;
}

/**
 * Remove `path` while a write still in flight on the thread pool may add a file or folder to it. Node's own
 * `maxRetries` retries only the final rmdir, not the listing, so a file created after the listing fails it
 * every time (ENOTEMPTY): here the whole removal is retried, each time from a fresh listing, for up to about
 * 5 s (under load the write can wait its turn on a busy core).
 */
function removeWhileWritesSettle(path: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      rmSync(path, { recursive: true, force: true });
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EBUSY') || attempt >= 100) throw e;
      Atomics.wait(pause, 0, 0, 50);
    }
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_EXIT: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Write `files` (relative path -> content) as the folder `dir`, with the
 * marker file. A failure (a full disk, a folder made read-only meanwhile)
 * removes the temporary folder, leaves the previous report and throws
 * `output.unwritable`.
 * @example await writeReport('reports/team-50', new Map([['summary.json', '{}']]), false, '0.1.0')
 */
export async function writeReport(
  dir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
  force: boolean,
  version = 'unknown',
  onNote?: (note: string) => void,
): Promise<string[]> {
  const staged = await stageReport(dir, files, force, version, { onNote });
  staged.commit();
  return staged.notes;
}

/** A folder written in place, its previous content (if any) still kept aside until `commit` or put back by `rollback`. */
export interface StagedReport {
  notes: string[];
  /** Remove the previous content kept aside. */
  commit(): void;
  /** Remove the new folder and put the previous one back. */
  rollback(): void;
}

/**
 * `writeReport` in two steps, for a command that writes several outputs all
 * or none (mxsim calibrate: the saved answers, the fit report, the file):
 * the new folder is in place when this returns, the previous one kept aside
 * until `commit()`, or put back by `rollback()` if a later output fails. A
 * run killed in between leaves the new folder, and the next run removes the
 * one kept aside (recoverInterrupted). `option` names the folder's option in
 * messages.
 */
export async function stageReport(
  dir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
  force: boolean,
  version = 'unknown',
  o: { onNote?: (note: string) => void; option?: string } = {},
): Promise<StagedReport> {
  const notes = checkOutput(dir, force, o);
  const parent = dirname(resolve(dir));
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = join(parent, `${TEMP('tmp', dir)}${tag}`);
  const old = join(parent, `${TEMP('old', dir)}${tag}`);
  let moved = false;
  // On an interrupt: no temporary folder left, and the previous report where it was.
  const onSignal = (signal: (typeof SIGNALS)[number]) => {
    removeWhileWritesSettle(tmp);
    if (moved && !existsSync(dir) && existsSync(old)) renameSync(old, dir);
    process.exit(SIGNAL_EXIT[signal]);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    await mkdir(parent, { recursive: true });
    for (const [rel, content] of files) {
      const path = join(tmp, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    await writeFile(join(tmp, REPORT_MARKER), JSON.stringify({ mxsim: version, written: [...files.keys()].length }) + '\n');
    if (existsSync(dir)) {
      checkOutput(dir, force, { option: o.option });
      await rename(dir, old);
      moved = true;
      await rename(tmp, dir);
    } else {
      await rename(tmp, dir);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (moved && !existsSync(dir) && existsSync(old)) renameSync(old, dir);
    if (e instanceof MxsimError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new MxsimError('output.unwritable', outputMessages.writeFailed(dir, err.code ? `${err.code}: ${err.message}` : String(e)), undefined, { cause: e });
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  const hadOld = moved;
  return {
    notes,
    commit: () => {
      if (hadOld) rmSync(old, { recursive: true, force: true });
    },
    rollback: () => {
      rmSync(dir, { recursive: true, force: true });
      if (hadOld) renameSync(old, dir);
    },
  };
}

/** The marker's content, for tests and diagnostics: null when `dir` has none. */
export function readMarker(dir: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, REPORT_MARKER), 'utf8')) as unknown;
  } catch {
    return null;
  }
}
