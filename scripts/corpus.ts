/**
 * Runs every case of the bad-input corpus (test/robustness/corpus.ts) against
 * the built CLI, one child process each (`node --max-old-space-size=1024
 * bin/mxsim.js ...`, in the case's folder, stopped after its time bound),
 * judges each outcome as test/robustness/corpus.test.ts does, and prints a
 * table: case, exit code, pass or fail, and why.
 *
 * Usage (after `npm run build`):
 *
 *   node --import tsx scripts/corpus.ts                 every case
 *   node --import tsx scripts/corpus.ts --failing       the failures only
 *   node --import tsx scripts/corpus.ts --filter '^run/set/'
 *   node --import tsx scripts/corpus.ts --json          one JSON object per case
 *
 * Exits 0 when every case passes, 1 otherwise. The table is grouped by
 * input class, with counts per class at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS, DEFAULT_TIMEOUT_MS, INPUT_CLASSES, type CorpusCase } from '../test/robustness/corpus.js';
import { KEEP_OUTPUT_CHARS, runCase, skipReason, type Outcome } from '../test/robustness/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = `${ROOT}bin/mxsim.js`;
/** Starting node and importing the CLI, on top of a case's in-process bound. */
const STARTUP_MS = 5000;
/** The heap a case may use (the corpus's cases must be refused long before). */
const HEAP_MB = 1024;

interface Args {
  filter: RegExp | null;
  failing: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { filter: null, failing: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--failing') args.failing = true;
    else if (a === '--json') args.json = true;
    else if (a === '--filter' && argv[i + 1] !== undefined) args.filter = new RegExp(argv[++i] ?? '');
    else {
      process.stderr.write(`usage: node --import tsx scripts/corpus.ts [--filter REGEX] [--failing] [--json]\n`);
      process.exit(2);
    }
  }
  return args;
}

/** Run `node bin/mxsim.js ...argv` in `cwd`, killed after `timeoutMs`. */
function runChild(argv: string[], cwd: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stderrBytes = 0;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      if (stdout.length < KEEP_OUTPUT_CHARS) stdout += s;
    });
    child.stderr.on('data', (b: Buffer) => {
      stderrBytes += b.length;
      if (stderr.length < KEEP_OUTPUT_CHARS) stderr += b.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (exit: Outcome['exit'], detail?: string) => {
      clearTimeout(timer);
      resolve({ exit, stdout, stderr, stderrBytes, ms: performance.now() - started, detail });
    };
    child.on('error', (e) => finish('crash', e.message));
    child.on('close', (code, signal) => {
      if (timedOut) finish('timeout');
      else if (/heap out of memory|Reached heap limit/.test(stderr)) finish('out-of-memory');
      else if (code === null) finish('crash', `killed by ${signal ?? 'a signal'}`);
      else finish(code);
    });
  });
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
  type Row = { c: CorpusCase; exit: string; verdict: 'pass' | 'FAIL' | 'skip'; reason: string; ms: number };
  const rows: Row[] = [];
  const started = performance.now();
  for (const [i, c] of cases.entries()) {
    const skip = skipReason(c);
    if (skip !== undefined) {
      rows.push({ c, exit: '-', verdict: 'skip', reason: skip, ms: 0 });
      continue;
    }
    const timeoutMs = (c.timeoutMs ?? DEFAULT_TIMEOUT_MS) + STARTUP_MS;
    const { outcome, reasons } = await runCase(c, (argv, dir) => runChild(argv, dir, timeoutMs));
    const row: Row = { c, exit: String(outcome.exit), verdict: reasons.length === 0 ? 'pass' : 'FAIL', reason: reasons.join('; '), ms: outcome.ms };
    rows.push(row);
    if (args.json) {
      process.stdout.write(
        JSON.stringify({
          id: c.id,
          class: c.class,
          what: c.what,
          exit: outcome.exit,
          verdict: row.verdict,
          reasons,
          ms: Math.round(outcome.ms),
          stderr: clip(outcome.stderr, 400),
        }) + '\n',
      );
    } else {
      process.stderr.write(`\r${i + 1}/${cases.length} ${c.id}`.padEnd(90).slice(0, 90));
    }
  }
  if (!args.json) process.stderr.write('\n');
  const failed = rows.filter((r) => r.verdict === 'FAIL');
  if (!args.json) {
    const shown = args.failing ? failed : rows;
    const idWidth = Math.min(60, Math.max(4, ...shown.map((r) => r.c.id.length)));
    const out: string[] = [`${'case'.padEnd(idWidth)}  ${'exit'.padEnd(13)}  ${'ms'.padStart(6)}  verdict  reason`];
    for (const cls of INPUT_CLASSES) {
      const inClass = shown.filter((r) => r.c.class === cls);
      if (inClass.length === 0) continue;
      out.push('', `# ${cls}`);
      for (const r of inClass) out.push(`${r.c.id.padEnd(idWidth)}  ${r.exit.padEnd(13)}  ${String(Math.round(r.ms)).padStart(6)}  ${r.verdict.padEnd(7)}  ${r.reason}`);
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
