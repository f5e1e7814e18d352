/**
 * Runs every case of the bad-input corpus (test/robustness/corpus.ts) against
 * the built CLI, one child process each (`node --max-old-space-size=1024
 * bin/mxsim.js ...`, in the case's folder), judges each outcome as
 * test/robustness/corpus.full.test.ts does, and prints a table: case, exit code,
 * time, pass or fail, and why.
 *
 * Usage (after `npm run build`):
 *
 *   node --import tsx scripts/corpus.ts                 every case
 *   node --import tsx scripts/corpus.ts --failing       the failures only
 *   node --import tsx scripts/corpus.ts --filter '^run/set/'
 *   node --import tsx scripts/corpus.ts --json          one JSON object per case
 *   node --import tsx scripts/corpus.ts --jobs 2        two cases at a time
 *
 * Time bounds. A case's bound (its `timeoutMs`, 3 s unless it says) is for
 * the work after starting: a child gets STARTUP_CPU_MS more for node and
 * the CLI's imports. On Linux the bound is on the child's CPU time (read from
 * /proc/PID/stat), so a loaded machine does not turn slow starts into
 * failures; a wall-clock timeout of WALL_FACTOR times that stops anything
 * (a child waiting on nothing included). Elsewhere the wall-clock bound is
 * the case's bound plus STARTUP_CPU_MS.
 *
 * Exits 0 when every case passes, 1 otherwise. The table is grouped by
 * input class, with counts per class at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS, DEFAULT_TIMEOUT_MS, INPUT_CLASSES, type CorpusCase } from '../test/robustness/corpus.js';
import { KEEP_OUTPUT_CHARS, runCase, skipReason, type Outcome } from '../test/robustness/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = `${ROOT}bin/mxsim.js`;
/** CPU time to start node and import the CLI (about 1 s measured), on top of a case's bound. */
const STARTUP_CPU_MS = 3000;
/** The wall-clock timeout, as a multiple of a case's CPU bound (a loaded machine runs a child slower). */
const WALL_FACTOR = 6;
/** The heap a case may use (the corpus's cases must be refused long before). */
const HEAP_MB = 1024;
/** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat. */
const CLOCK_TICKS_PER_SECOND = 100;
const CPU_POLL_MS = 100;

interface Args {
  filter: RegExp | null;
  failing: boolean;
  json: boolean;
  jobs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { filter: null, failing: false, json: false, jobs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = argv[i + 1];
    if (a === '--failing') args.failing = true;
    else if (a === '--json') args.json = true;
    else if (a === '--filter' && value !== undefined) {
      args.filter = new RegExp(value);
      i++;
    } else if (a === '--jobs' && value !== undefined && Number.isInteger(Number(value)) && Number(value) >= 1) {
      args.jobs = Number(value);
      i++;
    } else {
      process.stderr.write('usage: node --import tsx scripts/corpus.ts [--filter REGEX] [--failing] [--json] [--jobs N]\n');
      process.exit(2);
    }
  }
  return args;
}

/** CPU time (user + system) of a process so far, ms; null where /proc is not there (or it has exited). */
function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 (state): utime is field 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

const HAS_PROC = existsSync(`/proc/${process.pid}/stat`);

/** Run `node bin/mxsim.js ...argv` in `cwd`, killed when it overruns `boundMs` (of CPU on Linux, else of wall time). */
function runChild(argv: string[], cwd: string, boundMs: number): Promise<Outcome & { cpuMs: number | null }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    let stdout = '';
    let stderr = '';
    let stderrBytes = 0;
    let killedFor: string | null = null;
    let cpuMs: number | null = null;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      if (stdout.length < KEEP_OUTPUT_CHARS) stdout += s;
    });
    child.stderr.on('data', (b: Buffer) => {
      stderrBytes += b.length;
      if (stderr.length < KEEP_OUTPUT_CHARS) stderr += b.toString('utf8');
    });
    const kill = (why: string) => {
      if (killedFor !== null) return;
      killedFor = why;
      child.kill('SIGKILL');
    };
    const wallMs = HAS_PROC ? boundMs * WALL_FACTOR : boundMs;
    const wall = setTimeout(() => kill(`${Math.round(wallMs)} ms of wall time`), wallMs);
    const poll = HAS_PROC
      ? setInterval(() => {
          const cpu = pid === undefined ? null : cpuMsOf(pid);
          if (cpu === null) return;
          cpuMs = cpu;
          if (cpu > boundMs) kill(`${boundMs} ms of CPU`);
        }, CPU_POLL_MS)
      : undefined;
    const finish = (exit: Outcome['exit'], detail?: string) => {
      clearTimeout(wall);
      clearInterval(poll);
      resolve({ exit, stdout, stderr, stderrBytes, ms: performance.now() - started, detail, cpuMs });
    };
    child.on('error', (e) => finish('crash', e.message));
    child.on('close', (code, signal) => {
      if (killedFor !== null) finish('timeout', `stopped after ${killedFor}`);
      else if (/heap out of memory|Reached heap limit/.test(stderr)) finish('out-of-memory');
      else if (code === null) finish('crash', `killed by ${signal ?? 'a signal'}`);
      else finish(code);
    });
  });
}

type Row = { c: CorpusCase; exit: string; verdict: 'pass' | 'FAIL' | 'skip'; reason: string; ms: number; cpuMs: number | null };

async function runOne(c: CorpusCase): Promise<Row> {
  const skip = skipReason(c);
  if (skip !== undefined) return { c, exit: '-', verdict: 'skip', reason: skip, ms: 0, cpuMs: null };
  const boundMs = (c.timeoutMs ?? DEFAULT_TIMEOUT_MS) + STARTUP_CPU_MS;
  let cpuMs: number | null = null;
  const { outcome, reasons } = await runCase(c, async (argv, dir) => {
    const o = await runChild(argv, dir, boundMs);
    cpuMs = o.cpuMs;
    return o;
  });
  // The harness words a timeout with the in-process bound; say what stopped the child.
  const why = reasons.map((r) => (r.startsWith('no exit within') && outcome.detail ? `no exit: ${outcome.detail}` : r));
  return { c, exit: String(outcome.exit), verdict: why.length === 0 ? 'pass' : 'FAIL', reason: why.join('; '), ms: outcome.ms, cpuMs };
}

/** One line of text, at most `n` characters. */
const clip = (text: string, n: number) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= n ? line : `${line.slice(0, n - 3)}...`;
};

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(`${ROOT}dist/cli/main.js`)) {
    process.stderr.write('dist/ is missing: run `npm run build` first\n');
    return 2;
  }
  const cases = CORPUS.filter((c) => args.filter === null || args.filter.test(c.id));
  const rows: Row[] = new Array<Row>(cases.length);
  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i] as CorpusCase;
      const row = await runOne(c);
      rows[i] = row;
      done++;
      if (args.json) {
        process.stdout.write(
          JSON.stringify({ id: c.id, class: c.class, what: c.what, exit: row.exit, verdict: row.verdict, reason: row.reason, ms: Math.round(row.ms), cpuMs: row.cpuMs }) + '\n',
        );
      } else {
        process.stderr.write(`\r${`${done}/${cases.length} ${c.id}`.padEnd(90).slice(0, 90)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: args.jobs }, worker));
  if (!args.json) process.stderr.write('\n');
  const failed = rows.filter((r) => r.verdict === 'FAIL');
  if (!args.json) {
    const shown = args.failing ? failed : rows;
    const idWidth = Math.min(60, Math.max(4, ...shown.map((r) => r.c.id.length)));
    const cpu = (r: Row) => (r.cpuMs === null ? '-' : String(Math.round(r.cpuMs)));
    const out: string[] = [`${'case'.padEnd(idWidth)}  ${'exit'.padEnd(13)}  ${'wall ms'.padStart(7)}  ${'cpu ms'.padStart(6)}  verdict  reason`];
    for (const cls of INPUT_CLASSES) {
      const inClass = shown.filter((r) => r.c.class === cls);
      if (inClass.length === 0) continue;
      out.push('', `# ${cls}`);
      for (const r of inClass) {
        out.push(`${r.c.id.padEnd(idWidth)}  ${r.exit.padEnd(13)}  ${String(Math.round(r.ms)).padStart(7)}  ${cpu(r).padStart(6)}  ${r.verdict.padEnd(7)}  ${clip(r.reason, 200)}`);
      }
    }
    out.push('', 'class            cases  pass  fail  skip');
    for (const cls of INPUT_CLASSES) {
      const inClass = rows.filter((r) => r.c.class === cls);
      if (inClass.length === 0) continue;
      const n = (v: Row['verdict']) => String(inClass.filter((r) => r.verdict === v).length).padStart(4);
      out.push(`${cls.padEnd(15)}  ${String(inClass.length).padStart(5)}  ${n('pass')}  ${n('FAIL')}  ${n('skip')}`);
    }
    const passed = rows.filter((r) => r.verdict === 'pass').length;
    out.push(
      '',
      `${rows.length} cases: ${passed} passed, ${failed.length} failed, ${rows.length - passed - failed.length} skipped in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    process.stdout.write(out.join('\n') + '\n');
  }
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
