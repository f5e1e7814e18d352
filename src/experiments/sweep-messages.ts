/**
 * Every message of `mxsim sweep` (its --vary, --design, --points and
 * --outputs options, the notes it prints, the README and page it writes), as
 * functions, so tests compare with these rather than with copied text (as
 * src/scenario/messages.ts and src/cli/messages.ts do for their layers).
 */

/** The most shards `--shard INDEX/COUNT` takes. */
export const MAX_SHARDS = 100_000;

/** The forms a --vary option takes, said when one is malformed. */
const VARY_FORMS = 'PATH=V1,V2,... or PATH=LO..HI:lin:N or PATH=LO..HI:log:N';

export const sweepMessages = {
  // --- --vary ---
  /** One malformed --vary: `--vary <as written>: expected ..., got ...`. */
  varyProblem: (spec: string, expected: string, got: string) => `--vary ${spec}: expected ${expected}, got ${got}`,
  varyForm: () => VARY_FORMS,
  varyPath: () => 'a field path such as population.users or rooms.kinds[0].count before "="',
  varyNonEmpty: () => 'at least one value after "="',
  varyItem: (index: number) => `a value at item ${index + 1} of the list (items separated by commas)`,
  varyUnique: (value: string) => `each value once (${JSON.stringify(value)} is listed twice)`,
  varyTwice: (path: string) => `each field varied by one --vary only (${path} is varied twice)`,
  rangeNumber: (which: 'LO' | 'HI') => `${which} a finite number in LO..HI:lin:N or LO..HI:log:N`,
  rangeOrder: () => 'LO below HI in LO..HI',
  rangeLogPositive: () => 'LO above 0 for a log range (LO..HI:log:N)',
  rangeCount: (max: number) => `N an integer from 2 to ${max} in LO..HI:lin:N or LO..HI:log:N`,
  rangeScale: () => 'lin or log after LO..HI:',
  rangeOnNumber: (path: string, got: string) => `a range only on a number field; ${path} holds ${got}`,
  /** A range on an integer field whose values round to the same integer: said, and kept once. */
  roundedDuplicates: (spec: string, dropped: readonly string[], kept: readonly number[]) =>
    `--vary ${spec}: ${spec.slice(0, spec.indexOf('='))} is an integer field; ${dropped.join(', ')} rounded to a value already in the range and ${dropped.length === 1 ? 'was' : 'were'} dropped, leaving ${kept.join(', ')}`,
  /** A problem of one value of a --vary, as the scenario's validation said it. */
  valueProblemPath: (problemPath: string, vary: string) => `${problemPath} (--vary ${vary})`,
  /** A problem only a combination of values has. */
  pointProblemPath: (problemPath: string, point: string) => `${problemPath} (point ${point})`,
  usageHeadline: (count: number) => `${count} problems in the options of mxsim sweep:`,
  headline: (file: string, count: number) => `${file}: ${count} problem${count === 1 ? '' : 's'} in the values of --vary:`,

  // --- design options ---
  noVary: () => '--vary: expected at least one --vary PATH=VALUES, got none',
  pointsNeedLhs: (design: string) => `--points: only with --design lhs, got --design ${design}`,
  lhsNeedsRanges: (spec: string) => `--vary ${spec}: expected a range LO..HI:lin:N or LO..HI:log:N with --design lhs (it samples between LO and HI), got a list`,
  tooManyPoints: (points: number, max: number) =>
    `the design has ${points.toLocaleString('en-US')} points, more than the ${max.toLocaleString('en-US')} a sweep runs; vary fewer values or fields`,
  unknownOutput: (name: string, known: readonly string[]) => `--outputs: expected a comma list of ${known.join(', ')}, got ${JSON.stringify(name)}`,
  outputsEmpty: () => '--outputs: expected at least one output name, got ""',

  // --- progress and results ---
  constantOutput: () => 'the same at every run (no effect to rank)',
  /** The shares of variance not due to the varied fields (factorial designs). */
  noise: (replications: string, error: string) => `seeds (replications) ${replications}, error ${error}`,
  progressPhase: (pointsDone: number, points: number, runsDone: number, runs: number) => `${pointsDone}/${points} points done (${runsDone}/${runs} runs)`,
  /** The progress line on a terminal; `left` null until a run of this session has finished. */
  progressLine: (p: { pointsDone: number; points: number; runsDone: number; runs: number; running: number; resumed: number; elapsed: string; left: string | null }) =>
    `${p.pointsDone}/${p.points} points, ${p.runsDone}/${p.runs} runs done${p.resumed > 0 ? ` (${p.resumed} before this run)` : ''}, ${p.running} running | ${p.elapsed} elapsed | ${p.left === null ? 'time left: after the first run' : `about ${p.left} left`}`,
  /** Without a terminal: one line per point done. */
  pointDoneLine: (point: number, label: string, p: { pointsDone: number; points: number; runsDone: number; runs: number; elapsed: string; left: string | null }) =>
    `point ${point} done (${label}): ${p.pointsDone}/${p.points} points, ${p.runsDone}/${p.runs} runs, ${p.elapsed} elapsed${p.left === null ? '' : `, about ${p.left} left`}\n`,

  // --- resuming, shards, merging ---
  /** Said when a sweep finds jobs stored by an earlier run of the same plan. */
  resumed: (dir: string, done: number, runs: number, toRun: number) => `${dir}: ${done} of ${runs} runs already done by an earlier run of this sweep; running the other ${toRun}\n`,
  /** A job file that is not used: its path and why; its job runs again (merge: it counts as missing). */
  jobFileProblem: (path: string, why: string, rerun: boolean) => `${path}: ${why}${rerun ? '; the job runs again' : ''}`,
  rowNotObject: () => 'expected an object of outputs',
  rowField: (name: string, want: string, got: string) => `${name}: expected a ${want}, got ${got}`,
  rowExtra: (names: readonly string[]) => `expected only the outputs of a sweep job, got ${names.map((n) => JSON.stringify(n)).join(', ')} too`,
  jobNotSaved: (path: string, detail: string) => `${path} could not be written (the jobs stored so far are kept; run the same command again to resume): ${detail}`,
  /** An unfinished sweep folder of another plan, without --force. */
  otherPlan: (dir: string) =>
    `${dir} holds an unfinished sweep of another plan (other options or scenario; its sweep-plan.json says which); use --force to replace it with this one, or choose another --out`,
  /** What a shard says when it is done. */
  shardDone: (shard: string, dir: string, ran: number, resumed: number, mine: number, runs: number) =>
    `shard ${shard}: ${mine} of the ${runs} runs are this shard's; ${ran} run now${resumed > 0 ? `, ${resumed} done before` : ''}; stored in ${dir}/jobs\n`,
  mergeHint: (dir: string) => `when every shard is done: mxsim merge ${dir} [the --out folder of each other shard]\n`,
  folderNotCreated: (dir: string, detail: string) => `${dir} could not be created (nothing was left behind): ${detail}`,
  mergeDone: (dirs: number, runs: number, dir: string) => `merged ${runs} runs from ${dirs} folder${dirs === 1 ? '' : 's'}; report: ${dir}\n`,

  // --- the plan file and mxsim merge ---
  planField: (path: string, rule: string, got: string) => `${path}: expected ${rule}, got ${got}`,
  noPlanFile: (dir: string, file: string) => `${dir}: not a sweep folder: no ${file} (a folder written by mxsim sweep --out, with or without --shard)`,
  planNotJson: (path: string, detail: string) => `${path}: not a sweep plan: not JSON (${detail})`,
  planInvalid: (path: string) => `${path}: not a sweep plan mxsim can read:`,
  planDiffers: (dir: string, first: string, fields: readonly string[]) =>
    `${dir}: a shard of another sweep than ${first}: their sweep-plan.json differ in ${fields.join(', ')} (every shard must run the same command but for --shard and --out)`,
  otherVersion: (dir: string, got: string, mine: string) =>
    `${dir}: the sweep was run by mxsim ${got}, and this is mxsim ${mine}; a job's key holds the version, so merge with mxsim ${got}`,
  mergePlanHeadline: (count: number) => `${count} problems with the folders given to mxsim merge:`,
  missingHeadline: (missing: number, runs: number, dirs: number) =>
    `${missing} of the ${runs} runs of this sweep ${missing === 1 ? 'is' : 'are'} in none of the ${dirs} folder${dirs === 1 ? '' : 's'} given (nothing was written; with --shard INDEX/COUNT, run i is shard i % COUNT's: run that shard again, it does only what is missing):`,
  missingJob: (run: number, point: number, label: string, replication: number) => `run ${run}: point ${point} (${label}), replication ${replication}`,
  moreMissing: (count: number) => `... and ${count} more`,
  shardInvalid: (value: string) =>
    `--shard: expected INDEX/COUNT, two whole numbers with 0 <= INDEX < COUNT <= ${MAX_SHARDS.toLocaleString('en-US')} (e.g. 0/4), got ${JSON.stringify(value)}`,

  finished: (points: number, runs: number, seconds: number, dir: string) => `${points} points, ${runs} runs in ${seconds.toFixed(1)} s; report: ${dir}\n`,
};
