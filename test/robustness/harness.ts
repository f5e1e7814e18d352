/**
 * Running a corpus case (./corpus.ts) and judging what happened: the files
 * are made in a fresh folder, the command runs, and the outcome is held to
 * the robustness rule: an exit code of the documented set (never 1), one
 * `mxsim: error[...]` message naming the path or option at fault, no stack
 * trace, no control characters, a short message, nothing created, deleted or
 * left behind (`.mxsim-tmp-*`, `.mxsim-old-*`), no prototype polluted, and
 * all within the case's time bound.
 *
 * Two ways to run a case share the judging: in-process, in a worker thread
 * that calls `main` with `memoryIo` (InProcessRunner, for the test), and as
 * a child process of the built CLI (scripts/corpus.ts). A worker, not the
 * test's own thread, because a refusal that is missing today lets the
 * simulation run synchronously for hours: only terminating the worker stops
 * it, so a case fails on its time bound instead of hanging the suite.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_MAX_STDERR, DEFAULT_TIMEOUT_MS, type CorpusCase, type FileSpec, type Mention } from './corpus.js';

/** What a run of a case came to. */
export interface Outcome {
  /** The exit code, or why there is none. */
  exit: number | 'timeout' | 'out-of-memory' | 'crash';
  stdout: string;
  stderr: string;
  /** Bytes written to stderr (`stderr` itself may be cut short). */
  stderrBytes: number;
  /** Wall-clock time, ms. */
  ms: number;
  /** Properties of the built-in prototypes that the run added or replaced (in-process only). */
  polluted?: string[];
  /** For a crash: what the runner saw. */
  detail?: string;
}

/** Kept of stdout and stderr: enough to judge, little enough to pass between threads. */
export const KEEP_OUTPUT_CHARS = 1024 * 1024;

/** A case's folder and the root holding it (stray siblings of the folder land in the root). */
export interface CaseFolder {
  root: string;
  dir: string;
}

/** The arguments with every `@/x` made the path x in the case folder. */
export function resolveArgv(argv: readonly string[], dir: string): string[] {
  return argv.map((a) => (a.startsWith('@/') ? join(dir, a.slice(2)) : a));
}

function contentOf(spec: FileSpec): string | Uint8Array | null {
  if (typeof spec === 'string' || spec instanceof Uint8Array) return spec;
  if ('lazy' in spec) return spec.lazy();
  return null;
}

/** A fresh folder with the case's files (and its read-only folders locked). */
export function materialize(c: CorpusCase): CaseFolder {
  const root = mkdtempSync(join(tmpdir(), 'mxsim-corpus-'));
  const dir = join(root, 'case');
  mkdirSync(dir);
  for (const [rel, spec] of Object.entries(c.files ?? {})) {
    const path = join(dir, rel);
    const content = contentOf(spec);
    if (content === null) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  for (const rel of c.readOnly ?? []) chmodSync(join(dir, rel), 0o555);
  return { root, dir };
}

/** Remove a case folder (unlocking its read-only folders first). */
export function cleanUp(c: CorpusCase, f: CaseFolder): void {
  for (const rel of c.readOnly ?? []) {
    const path = join(f.dir, rel);
    if (existsSync(path)) chmodSync(path, 0o755);
  }
  rmSync(f.root, { recursive: true, force: true });
}

/** True when the case cannot be judged here: a read-only folder does not stop root. */
export function skipReason(c: CorpusCase): string | undefined {
  if ((c.readOnly?.length ?? 0) > 0 && process.getuid?.() === 0) return 'read-only folders do not stop root';
  return undefined;
}

/** Every path below `root` (relative, "/"-separated) with what it is: a folder, a link, or its content's hash. */
export type Snapshot = Map<string, string>;

export function snapshot(root: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (rel: string) => {
    const path = join(root, rel);
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return; // unreadable: what it holds cannot have been changed by a refusal we could see
    }
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(root, r));
      if (st.isDirectory()) {
        out.set(r, 'folder');
        walk(r);
      } else if (st.isSymbolicLink()) out.set(r, `link to ${readlinkSync(join(root, r))}`);
      else
        out.set(
          r,
          `${st.size} bytes, sha256 ${createHash('sha256')
            .update(readFileSync(join(root, r)))
            .digest('hex')}`,
        );
    }
  };
  walk('');
  return out;
}

/** Paths in `after` that are not in `before`, gone from it, or changed. */
function treeChanges(before: Snapshot, after: Snapshot): { created: string[]; removed: string[]; changed: string[] } {
  const created = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
  // A created or removed folder stands for what is in it.
  const top = (paths: string[]) => paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}/`)));
  return { created: top(created), removed: top(removed), changed };
}

const STACK_LINE = /^\s+at /m;
/** Control characters other than tab, newline and carriage return. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const STRAY = /(^|\/)\.mxsim-(tmp|old)-/;

const mentionText = (m: Mention) => (typeof m === 'string' ? `"${m}"` : m.map((x) => `"${x}"`).join(' or '));
const list = (paths: string[]) => (paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`);

/**
 * Why the outcome is wrong for the case: an empty list when it is right.
 * `before` and `after` are snapshots of the case folder's root.
 */
export function judge(c: CorpusCase, o: Outcome, before: Snapshot, after: Snapshot): string[] {
  const reasons: string[] = [];
  const timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const expected = c.expect.exit;
  if (o.exit === 'timeout') reasons.push(`no exit within ${timeoutMs} ms`);
  else if (o.exit === 'out-of-memory') reasons.push('out of memory');
  else if (o.exit === 'crash') reasons.push(`crashed${o.detail ? `: ${o.detail}` : ''}`);
  else if (!expected.includes(o.exit)) reasons.push(`exit ${o.exit}, expected ${expected.join(' or ')}`);

  const exited = typeof o.exit === 'number';
  if (STACK_LINE.test(o.stderr) || STACK_LINE.test(o.stdout)) reasons.push('a stack trace');
  if (exited && o.exit !== 0 && !o.stderr.includes('mxsim: error[')) reasons.push('no "mxsim: error[...]" line on stderr');
  if (exited && o.exit !== 1 && (o.exit !== 0 || expected.includes(0))) {
    const text = o.exit === 0 ? `${o.stdout}\n${o.stderr}` : o.stderr;
    const missing = (c.expect.mentions ?? []).filter((m) => (typeof m === 'string' ? !text.includes(m) : !m.some((x) => text.includes(x))));
    if (missing.length > 0) reasons.push(`the message does not name ${missing.map(mentionText).join(', ')}`);
  }
  const maxStderr = c.expect.maxStderr ?? DEFAULT_MAX_STDERR;
  if (o.stderrBytes > maxStderr) reasons.push(`stderr of ${o.stderrBytes} bytes (at most ${maxStderr})`);
  if (CONTROL.test(o.stderr)) reasons.push('control characters on stderr');
  if (o.polluted && o.polluted.length > 0) reasons.push(`prototype polluted: ${o.polluted.join(', ')}`);

  const stray = [...after.keys()].filter((k) => STRAY.test(k) && !before.has(k));
  if (stray.length > 0) reasons.push(`left ${list(stray)}`);
  const { created, removed, changed } = treeChanges(before, after);
  if (!after.has('case')) reasons.push("deleted the case's folder (with its input files)");
  else {
    const userFiles = [...removed, ...changed];
    if (userFiles.length > 0) reasons.push(`${o.exit === 0 ? '' : 'refused but '}deleted or changed ${list(userFiles)}`);
    const made = created.filter((k) => !STRAY.test(k));
    if (o.exit !== 0 && made.length > 0) reasons.push(`created ${list(made)}`);
  }
  return reasons;
}

/** Run one case start to end with `run` (in-process or a child), returning its outcome and verdict. */
export async function runCase(c: CorpusCase, run: (argv: string[], dir: string, timeoutMs: number) => Promise<Outcome>): Promise<{ outcome: Outcome; reasons: string[] }> {
  const folder = materialize(c);
  try {
    const before = snapshot(folder.root);
    const outcome = await run(resolveArgv(c.argv, folder.dir), folder.dir, c.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // A refusal that did not happen may have locked nothing, but a run that wrote may have left read-only files.
    const after = snapshot(folder.root);
    return { outcome, reasons: judge(c, outcome, before, after) };
  } finally {
    cleanUp(c, folder);
  }
}

// ---------------------------------------------------------------------------
// In-process: `main` with `memoryIo`, in a worker thread that can be stopped.

/** A request to the worker (test/robustness/corpus-worker.ts). */
export type WorkerMessage =
  /** `mxsim ...argv`, sending back at most `keepChars` of each output. */
  | { id: number; kind: 'main'; argv: string[]; keepChars: number }
  /** Pipeline steps 1 to 8 on a scenario's text (`render` for step 8), without the CLI. */
  | { id: number; kind: 'simulate'; text: string; verify: boolean; render: boolean };

/** What a simulation request came to. */
export interface SimulateResult {
  /** The error thrown, with its stack, or null. */
  error: string | null;
  /** Paths of the summary's numbers that are NaN or infinite. */
  nonFinite: string[];
  /** The report files rendered (with `render`). */
  files: string[];
  /** Events simulated. */
  events: number;
  polluted: string[];
}

/** A message from the worker. */
export type WorkerReply =
  | { ready: true }
  | { id: number; kind: 'main'; exit: number | 'crash'; stdout: string; stderr: string; stderrBytes: number; polluted: string[]; detail?: string }
  | ({ id: number; kind: 'simulate' } & SimulateResult);

/** Like the CLI's main thread: V8's default stack (984 KiB) rather than a worker's 4 MiB; the heap as scripts/corpus.ts gives node. */
const WORKER_LIMITS = { stackSizeMb: 1, maxOldGenerationSizeMb: 1024 };

/** Why a request to the worker has no answer. */
export type NoAnswer = { exit: 'timeout' | 'out-of-memory' | 'crash'; detail?: string };
type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * Runs requests one at a time in a worker thread that imports the CLI once.
 * A request that overruns its time bound terminates the worker (a new one is
 * started for the next), as does one that polluted a prototype.
 */
export class InProcessRunner {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private nextId = 1;

  /** Start the worker (importing the CLI takes a few seconds) if it is not running. */
  start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const workerUrl = new URL('./corpus-worker.ts', import.meta.url).href;
    // A worker does not inherit the test's TypeScript loader: it registers tsx itself, then imports the worker module.
    const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};\nregister();\nawait import(${JSON.stringify(workerUrl)});\n`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { resourceLimits: WORKER_LIMITS, stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    this.worker = worker;
    const ready = new Promise<Worker>((resolve, reject) => {
      const onMessage = (m: WorkerReply) => {
        if ('ready' in m) {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve(worker);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    this.ready = ready;
    // A worker that failed to start is forgotten, so the next request tries again.
    ready.catch(() => {
      if (this.worker === worker) {
        this.worker = null;
        this.ready = null;
      }
    });
    return ready;
  }

  private async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }

  /** Send one request; the worker is stopped (and a new one started) when it overruns `timeoutMs`, dies, or pollutes a prototype. */
  private async request(message: Distribute<WorkerMessage>, timeoutMs: number): Promise<{ reply: Exclude<WorkerReply, { ready: true }> | NoAnswer; ms: number }> {
    const worker = await this.start();
    const id = this.nextId++;
    const started = performance.now();
    const reply = await new Promise<Exclude<WorkerReply, { ready: true }> | NoAnswer>((resolve) => {
      const done = (r: Exclude<WorkerReply, { ready: true }> | NoAnswer) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (m: WorkerReply) => {
        if ('id' in m && m.id === id) done(m);
      };
      const onError = (e: Error & { code?: string }) => done({ exit: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crash', detail: e.message.split('\n')[0] });
      const onExit = (code: number) => done({ exit: 'crash', detail: `the worker exited (${code})` });
      const timer = setTimeout(() => done({ exit: 'timeout' }), timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage({ ...message, id });
    });
    const ms = performance.now() - started;
    if (!('kind' in reply) || reply.polluted.length > 0) {
      await this.stop();
      void this.start().catch(() => undefined); // warm the next one while the caller judges this answer
    }
    return { reply, ms };
  }

  /** Run `mxsim ...argv` in the worker, stopping it after `timeoutMs`. */
  async run(argv: string[], timeoutMs: number): Promise<Outcome> {
    const { reply, ms } = await this.request({ kind: 'main', argv, keepChars: KEEP_OUTPUT_CHARS }, timeoutMs);
    if (!('kind' in reply)) return { exit: reply.exit, detail: reply.detail, stdout: '', stderr: '', stderrBytes: 0, ms };
    if (reply.kind !== 'main') throw new Error('the worker answered another request');
    return { exit: reply.exit, stdout: reply.stdout, stderr: reply.stderr, stderrBytes: reply.stderrBytes, polluted: reply.polluted, detail: reply.detail, ms };
  }

  /** Validate and simulate a scenario's text in the worker (pipeline steps 1-8, no CLI), stopping it after `timeoutMs`. */
  async simulate(text: string, o: { verify: boolean; render: boolean }, timeoutMs: number): Promise<(SimulateResult | NoAnswer) & { ms: number }> {
    const { reply, ms } = await this.request({ kind: 'simulate', text, ...o }, timeoutMs);
    if (!('kind' in reply)) return { ...reply, ms };
    if (reply.kind !== 'simulate') throw new Error('the worker answered another request');
    return { error: reply.error, nonFinite: reply.nonFinite, files: reply.files, events: reply.events, polluted: reply.polluted, ms };
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
