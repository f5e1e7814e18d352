/**
 * Every message of `mxsim sweep` (its --vary, --design, --points and
 * --outputs options, the notes it prints, the README and page it writes), as
 * functions, so tests compare with these rather than with copied text (as
 * src/scenario/messages.ts and src/cli/messages.ts do for their layers).
 */

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
  finished: (points: number, runs: number, seconds: number, dir: string) => `${points} points, ${runs} runs in ${seconds.toFixed(1)} s; report: ${dir}\n`,
};
