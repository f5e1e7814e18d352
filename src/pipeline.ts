/**
 * The pipeline every command runs, or the first steps of it:
 *
 *   1. load       read the file, apply --set overrides, hash      src/scenario/load.ts
 *   2. validate   every problem at once, with its path            src/scenario/validate.ts
 *   3. normalize  defaults filled in: a Scenario                  src/scenario/grammar.ts
 *   4. simulate   replications of the model on the homeserver     src/analysis/run.ts, src/model/, src/server/
 *                 (on `jobs` threads: src/analysis/pool.ts)
 *   5. summarize  CIs, storage, resources, the CPU-sized deployment src/analysis/summarize.ts
 *   6. verify     re-simulate the recommendation, grow it          src/analysis/verify.ts
 *   7. cost       self-hosting and SaaS from the price catalogs    src/cost/run.ts
 *   8. render     summary.json, CSV, charts, HTML, Markdown        src/report/render.ts
 *
 * Steps 1-3 are `loadScenarioFile` (they cannot be separated: validation
 * reports on the file as written). `runPipeline` runs steps 4-8 in order;
 * `mxsim run` writes what step 8 returns, `mxsim compare` and `mxsim cost`
 * stop earlier. Nothing here touches the terminal or the disk except step 8's
 * chart renderer, which reads fonts.
 */
import { simulateOnPool, summarizeRun, verifyRun, type ScenarioRunOptions } from './analysis/run.js';
import type { Catalogs } from './cost/catalog-schema.js';
import type { CostOptions } from './cost/options.js';
import { costRun, type ReportRun } from './cost/run.js';
import type { LoadedScenario } from './scenario/load.js';

export { loadScenarioFile, type LoadedScenario } from './scenario/load.js';

export interface PipelineOptions {
  seed?: string | number;
  replications?: number;
  /** The --set overrides the scenario was loaded with (written into the report). */
  overrides: string[];
  version: string;
  /** Step 6: re-simulate the recommendation (default true). */
  verify?: boolean;
  /**
   * Step 4: threads the replications (and step 6's simulation of the
   * horizon's users) run on, at most (default 1: this thread). The results
   * are the same for any number.
   */
  jobs?: number;
  /** Stops step 4: its worker threads are ended and the pipeline rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Step 7: price the run with these catalogs and options; absent: no cost.
   * `optional`: a run that cannot be priced goes on unpriced instead of failing.
   */
  cost?: { catalogs: Catalogs; options: CostOptions; optional?: boolean };
  /** Step 8: render the report files (default false). */
  render?: boolean;
  /** Step 8: also rasterise every chart to charts/NAME.png (default false). */
  png?: boolean;
  /** Progress of steps 4-6: share done (0..1) and what is running. */
  onProgress?: (fraction: number, phase: string) => void;
  /** Each step's cost once it is done (`npm run bench` reports them). */
  onPhase?: (timing: PhaseTiming) => void;
}

/** What one step of the pipeline took: the process's CPU (user + system, every thread) and wall time, seconds. */
export interface PhaseTiming {
  phase: 'simulate' | 'summarize' | 'verify' | 'cost' | 'render';
  cpuSeconds: number;
  wallSeconds: number;
}

export interface PipelineResult {
  run: ReportRun;
  /** The report folder's files, when `render` was asked for. */
  files: Map<string, string | Uint8Array> | null;
}

/** Steps 4 to 8 for a scenario loaded by steps 1 to 3. */
export async function runPipeline(loaded: LoadedScenario, o: PipelineOptions): Promise<PipelineResult> {
  const s = loaded.scenario;
  const runOptions: ScenarioRunOptions = {
    seed: o.seed,
    replications: o.replications,
    sha256: loaded.sha256,
    overrides: o.overrides,
    version: o.version,
    onProgress: o.onProgress,
  };
  let clock = { cpu: process.cpuUsage(), wall: performance.now() };
  const done = (phase: PhaseTiming['phase']) => {
    if (!o.onPhase) return;
    const cpu = process.cpuUsage(clock.cpu);
    const wall = performance.now();
    o.onPhase({ phase, cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: (wall - clock.wall) / 1000 });
    clock = { cpu: process.cpuUsage(), wall: performance.now() };
  };
  // 4. Simulate the replications (and, when step 6 will need it, the horizon's users).
  const { results, horizon } = await simulateOnPool(s, { ...runOptions, verify: o.verify, jobs: o.jobs ?? 1, ...(o.signal ? { signal: o.signal } : {}) });
  done('simulate');
  // 5. Summarize them, with the deployment sized from CPU alone.
  o.onProgress?.(1, 'summarizing');
  let run: ReportRun = summarizeRun(s, results, runOptions);
  done('summarize');
  // 6. Verify: re-simulate the recommended deployment until it meets its targets.
  if (o.verify !== false) {
    o.onProgress?.(1, 'checking the recommendation');
    run = verifyRun(s, run, horizon);
    done('verify');
  }
  // 7. Cost.
  if (o.cost) {
    try {
      run = costRun(run, s, o.cost.catalogs, o.cost.options);
    } catch (e) {
      if (!o.cost.optional) throw e;
    }
    done('cost');
  }
  // 8. Render.
  // The renderer (Vega, Vega-Lite, resvg) is loaded only when a report is drawn: most of a
  // command's start-up time otherwise (mxsim validate, queue, cost on a run folder).
  const files = o.render ? await (await import('./report/render.js')).allReportFiles(run, s, { version: o.version, overrides: o.overrides, png: o.png === true }) : null;
  if (o.render) done('render');
  return { run, files };
}
