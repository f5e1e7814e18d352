/**
 * The robustness properties, checked with fast-check on generated input
 * (./arbitraries.ts). fuzz.test.ts runs them a few times each in the fast
 * suite, fuzz.full.test.ts many more times; both with fixed seeds, printed
 * in each test's name, so a failure reproduces:
 *
 *   node --import tsx --test --test-name-pattern 'seed 1201' test/robustness/fuzz.test.ts
 *
 * Everything runs in the worker thread of ./harness.ts (the CLI in-process,
 * or the pipeline without it), so a case that hangs is stopped at its time
 * bound and fails instead of hanging the suite.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { mutation, MUTATION_KINDS, scenarioText, setArgument, smallMutation, smallScenario, type Mutation } from './arbitraries.js';
import { runFolder, TINY, type CorpusCase } from './corpus.js';
import { cleanUp, InProcessRunner, materialize, type CaseFolder, type Outcome } from './harness.js';

/** How many runs of each property, and with which seed. */
export interface FuzzPlan {
  /** Valid small scenarios simulated (pipeline steps 1-7, no verification). */
  simulate: { seed: number; runs: number };
  /** Of those, simulated with the recommendation verified (step 6). */
  verify: { seed: number; runs: number };
  /** Rendered as well (step 8: charts, HTML). */
  render: { seed: number; runs: number };
  /** Mutated scenarios through `mxsim validate`, of each kind (MUTATION_KINDS). */
  mutations: { seed: number; runs: number };
  /** Mutated small scenarios through `mxsim run`, which must write nothing. */
  mutationsRun: { seed: number; runs: number };
  /** Arbitrary `--set` arguments. */
  sets: { seed: number; runs: number };
  /** Arbitrary scenario files. */
  files: { seed: number; runs: number };
  /** Arbitrary values of `mxsim cost` options. */
  options: { seed: number; runs: number };
}

/** Bounds per case, ms: a refusal, a small simulation, a render (charts). */
const REFUSAL_MS = 4000;
const SIMULATION_MS = 20_000;
const RENDER_MS = 60_000;

const STACK_LINE = /^\s+at /m;
const documented = (codes: number[]) => (o: Outcome) => typeof o.exit === 'number' && codes.includes(o.exit);

/** What is wrong with a CLI outcome that must be a clean refusal (or, where allowed, a success). */
function cliProblems(o: Outcome, allowed: number[]): string[] {
  const p: string[] = [];
  if (!documented(allowed)(o)) p.push(`exit ${o.exit}${o.detail ? ` (${o.detail})` : ''}, expected ${allowed.join(' or ')}`);
  if (STACK_LINE.test(o.stderr)) p.push('a stack trace');
  if (typeof o.exit === 'number' && o.exit !== 0 && !o.stderr.includes('mxsim: error[')) p.push('no "mxsim: error[...]" line');
  if ((o.polluted?.length ?? 0) > 0) p.push(`prototype polluted: ${o.polluted?.join(', ')}`);
  return p;
}

const shown = (o: Outcome) => `stderr: ${o.stderr.slice(0, 600)}`;

/** A corpus case that only makes the run-folder fixture. */
const FIXTURE: CorpusCase = { id: 'fixture', command: 'cost', class: 'valid', what: 'the run-folder fixture', argv: [], files: runFolder('run'), expect: { exit: [0] } };

/** Register the properties with `plan`'s seeds and sizes. */
export function fuzzTests(plan: FuzzPlan): void {
  const runner = new InProcessRunner();
  let dir = '';
  let runDir = '';
  let fixture: CaseFolder | null = null;
  let tiny = '';
  let fileNo = 0;
  /** A new file in the temporary folder holding `content`. */
  const file = (content: string) => {
    const path = join(dir, `f${++fileNo}.json`);
    writeFileSync(path, content);
    return path;
  };
  const params = (p: { seed: number; runs: number }) => ({ seed: p.seed, numRuns: p.runs, endOnFailure: true });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxsim-fuzz-'));
    tiny = file(JSON.stringify(TINY));
    // The run-folder fixture of the corpus (team-50's golden summary), for `mxsim cost RUN_DIR`.
    fixture = materialize(FIXTURE);
    runDir = join(fixture.dir, 'run');
    await runner.start();
  });
  after(async () => {
    await runner.close();
    rmSync(dir, { recursive: true, force: true });
    if (fixture) cleanUp(FIXTURE, fixture);
  });

  describe('valid scenarios drawn from the grammar validate and simulate', () => {
    const simulates = (verify: boolean, render: boolean, ms: number) => async (s: Record<string, unknown>) => {
      const r = await runner.simulate(JSON.stringify(s), { verify, render }, ms);
      if ('exit' in r) assert.fail(`${r.exit}${r.detail ? `: ${r.detail}` : ''} (bound ${ms} ms)`);
      assert.equal(r.error, null, `threw: ${r.error ?? ''}`);
      assert.deepEqual(r.polluted, []);
      assert.deepEqual(r.nonFinite, [], 'the summary holds NaN or infinities');
      if (render) for (const f of ['summary.json', 'index.html', 'summary.md']) assert.ok(r.files.includes(f), `no ${f}`);
    };
    const { simulate, verify, render } = plan;
    test(`simulated, not verified (seed ${simulate.seed}, ${simulate.runs} runs)`, { timeout: simulate.runs * SIMULATION_MS }, async () => {
      await fc.assert(fc.asyncProperty(smallScenario, simulates(false, false, SIMULATION_MS)), params(simulate));
    });
    test(`simulated and verified (seed ${verify.seed}, ${verify.runs} runs)`, { timeout: verify.runs * SIMULATION_MS * 3 }, async () => {
      await fc.assert(fc.asyncProperty(smallScenario, simulates(true, false, SIMULATION_MS * 3)), params(verify));
    });
    const renderSkip = render.runs === 0 ? 'rendering costs seconds of CPU a scenario: fuzz.full.test.ts renders' : undefined;
    test(`rendered (seed ${render.seed}, ${render.runs} runs)`, { timeout: Math.max(1, render.runs) * RENDER_MS, skip: renderSkip }, async () => {
      await fc.assert(fc.asyncProperty(smallScenario, simulates(false, true, RENDER_MS)), params(render));
    });
  });

  describe('a valid scenario made invalid in one place is refused with its path', () => {
    const { mutations, mutationsRun } = plan;
    const refused = (o: Outcome, m: Mutation) => {
      const p = cliProblems(o, [3]);
      if (!o.stderr.includes(m.path)) p.push(`the message does not name ${m.path}`);
      assert.deepEqual(p, [], `${m.kind}: ${m.what}; ${shown(o)}`);
    };
    for (const [i, kind] of MUTATION_KINDS.entries()) {
      const p = { seed: mutations.seed + i, runs: mutations.runs };
      test(`mxsim validate: ${kind} (seed ${p.seed}, ${p.runs} runs)`, { timeout: p.runs * REFUSAL_MS }, async () => {
        await fc.assert(
          fc.asyncProperty(mutation(kind), async (m) => refused(await runner.run(['validate', file(m.text)], REFUSAL_MS), m)),
          params(p),
        );
      });
    }
    test(`mxsim run writes nothing (seed ${mutationsRun.seed}, ${mutationsRun.runs} runs)`, { timeout: mutationsRun.runs * SIMULATION_MS }, async () => {
      await fc.assert(
        fc.asyncProperty(smallMutation, async (m) => {
          const out = join(dir, `out${++fileNo}`);
          const o = await runner.run(['run', file(m.text), '--out', out, '--quiet', '--no-verify'], REFUSAL_MS);
          refused(o, m);
          assert.equal(existsSync(out), false, `${m.what}: ${out} was written`);
          assert.deepEqual(
            readdirSync(dir).filter((n) => n.startsWith('.mxsim-')),
            [],
          );
        }),
        params(mutationsRun),
      );
    });
  });

  describe('arbitrary input never gives exit 1 or a stack trace', () => {
    const { sets, files, options } = plan;
    test(`--set arguments (seed ${sets.seed}, ${sets.runs} runs)`, { timeout: sets.runs * REFUSAL_MS }, async () => {
      await fc.assert(
        fc.asyncProperty(setArgument, async (set) => {
          const o = await runner.run(['validate', tiny, '--set', set], REFUSAL_MS);
          assert.deepEqual(cliProblems(o, [0, 2, 3]), [], `--set ${JSON.stringify(set)}; ${shown(o)}`);
        }),
        params(sets),
      );
    });
    test(`scenario files (seed ${files.seed}, ${files.runs} runs)`, { timeout: files.runs * REFUSAL_MS }, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioText, async (text) => {
          const o = await runner.run(['validate', file(text)], REFUSAL_MS);
          assert.deepEqual(cliProblems(o, [0, 3]), [], `${JSON.stringify(text.slice(0, 200))}; ${shown(o)}`);
        }),
        params(files),
      );
    });
    const costOption = fc.tuple(
      fc.constantFrom('--cores', '--ram-gib', '--processes', '--horizon-months', '--labour-rate', '--labour-hours', '--currency', '--rate', '--provider', '--saas', '--use'),
      fc.oneof(
        fc.string({ maxLength: 12, unit: 'binary' }),
        fc.double().map(String),
        fc.integer().map(String),
        fc.constantFrom('1e999', '-1', '0', 'NaN', '1e12', '', '=1+1', 'USD:EUR=0'),
      ),
    );
    test(`mxsim cost RUN_DIR options (seed ${options.seed}, ${options.runs} runs)`, { timeout: options.runs * REFUSAL_MS }, async () => {
      await fc.assert(
        fc.asyncProperty(costOption, async ([option, value]) => {
          const o = await runner.run(['cost', runDir, `${option}=${value}`], REFUSAL_MS);
          assert.deepEqual(cliProblems(o, [0, 2]), [], `${option}=${JSON.stringify(value)}; ${shown(o)}`);
        }),
        params(options),
      );
    });
  });
}
