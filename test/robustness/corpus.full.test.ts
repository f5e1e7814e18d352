/**
 * Every case of the bad-input corpus (./corpus.ts), run in-process (a worker
 * thread calling `main` with `memoryIo`, see ./harness.ts) and held to the
 * robustness rule: its documented exit code (never 1), one
 * `mxsim: error[...]` message naming the path or option, no stack trace,
 * nothing created or deleted, nothing left behind, within its time bound.
 *
 * A case that overruns its bound is stopped and fails; it does not hang the
 * suite. `scripts/corpus.ts` runs the same cases against the built CLI, one
 * child process each, and prints the table of failures.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, EXIT } from '../../src/errors.js';
import { CORPUS, DEFAULT_TIMEOUT_MS, INPUT_CLASSES, type CorpusCommand } from './corpus.js';
import { InProcessRunner, runCase, skipReason } from './harness.js';

/** Time to start a new worker after a case that was stopped (importing the CLI), on top of a case's own bound. */
const WORKER_START_MS = 30_000;

describe('the corpus itself', () => {
  test('has well over a hundred cases, with unique ids', () => {
    assert.ok(CORPUS.length >= 150, `${CORPUS.length} cases`);
    const ids = CORPUS.map((c) => c.id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
  });

  test('covers every command and every input class', () => {
    const commands: CorpusCommand[] = ['run', 'cost', 'compare', 'validate', 'schema', 'queue'];
    for (const command of commands)
      assert.ok(
        CORPUS.some((c) => c.command === command && c.class !== 'valid'),
        command,
      );
    for (const cls of INPUT_CLASSES)
      assert.ok(
        CORPUS.some((c) => c.class === cls),
        cls,
      );
  });

  test('expects documented exit codes only, never 1, and 0 only where the input is valid', () => {
    // docs/ERRORS.md's exit codes are those of src/errors.ts's ERROR_CODES, and 0.
    const documented = new Set<number>([EXIT.ok, ...Object.values(ERROR_CODES)]);
    for (const c of CORPUS) {
      assert.ok(c.expect.exit.length > 0, c.id);
      for (const code of c.expect.exit) {
        assert.ok(documented.has(code), `${c.id}: ${code}`);
        assert.notEqual(code, EXIT.internal, c.id);
      }
      if (c.class !== 'valid')
        assert.ok(
          c.expect.exit.some((code) => code !== EXIT.ok),
          `${c.id} must expect a refusal`,
        );
    }
  });

  test('every run and compare names its --out in the case folder, so nothing can land in the working directory', () => {
    for (const c of CORPUS.filter((x) => x.command === 'run' || x.command === 'compare')) {
      const out = c.argv.indexOf('--out');
      assert.ok(out >= 0 || c.expect.exit.every((code) => code === EXIT.usage), `${c.id} has no --out`);
    }
  });
});

describe('every corpus case is refused cleanly, in-process', () => {
  const runner = new InProcessRunner();
  before(() => runner.start());
  after(() => runner.close());

  for (const c of CORPUS) {
    const skip = skipReason(c);
    test(`${c.id}: ${c.what}`, { timeout: (c.timeoutMs ?? DEFAULT_TIMEOUT_MS) + WORKER_START_MS, skip }, async () => {
      const { outcome, reasons } = await runCase(c, (argv, _dir, timeoutMs) => runner.run(argv, timeoutMs));
      assert.deepEqual(reasons, [], `exit ${outcome.exit} in ${Math.round(outcome.ms)} ms; stderr:\n${outcome.stderr.slice(0, 2000)}`);
    });
  }
});
