/**
 * Every message of the command line itself: its errors (arguments, files it
 * reads, run folders), warnings and the line `main` prints for an error.
 * Messages about scenarios are in src/scenario/messages.ts, about costs in
 * src/cost/messages.ts. Tests compare with these functions, not with copied
 * text.
 */
import { EXIT } from '../errors.js';

/** What `mxsim compare` accepts, said when an input is neither. */
const COMPARE_INPUTS = 'expected a run folder written by `mxsim run` or a scenario file (JSON)';

export const cliMessages = {
  // --- main: the one line on stderr for an error ---
  /** `mxsim: error[code]: message` for a user's mistake. */
  error: (code: string, message: string) => `mxsim: error[${code}]: ${message}\n`,
  /** A bug: the stack trace, and a request to report it. */
  internal: (detail: string) => `mxsim: error[internal]: a bug, please report it: ${detail}\n`,
  warning: (text: string) => `mxsim: warning: ${text}\n`,
  exitCodes: () =>
    `Exit codes: ${EXIT.ok} ok, ${EXIT.internal} internal error (a bug), ${EXIT.usage} bad arguments, ${EXIT.invalidInput} invalid input file, ${EXIT.outputExists} output exists (use --force), ${EXIT.targetsMissed} targets missed (run --strict); docs/ERRORS.md lists every error code.`,
  /** `mxsim run --strict` when the recommendation cannot meet its targets. */
  targetsMissed: (mechanism: string, lever: string, dir: string) => `the recommendation cannot meet its targets: ${mechanism}. Lever: ${lever}. The report is in ${dir}.`,

  // --- arguments ---
  expectedInteger: (option: string, min: number, value: string) => `${option}: expected an integer >= ${min}, got "${value}"`,
  expectedIntegerBetween: (option: string, min: number, max: number, value: string) => `${option}: expected an integer from ${min} to ${max}, got "${value}"`,
  /** An option refused by the rule of the scenario field it stands for (`rule` and `received` as src/scenario/messages.ts words them). */
  optionExpected: (option: string, rule: string, received: string) => `${option}: expected ${rule}, got ${received}`,
  expectedNumber: (option: string, allowZero: boolean, value: string) => `${option}: expected a number ${allowZero ? '>= 0' : '> 0'}, got "${value}"`,
  onlyPricesNeedsPrices: () => '--only-prices needs at least one --prices FILE',
  horizonLongerThanScenario: (months: number, scenarioMonths: number) => `--horizon-months ${months} is longer than the scenario's run.horizonMonths (${scenarioMonths})`,
  tooFewInputs: (count: number) => `compare needs at least two inputs (run folders or scenario files), got ${count}`,

  // --- files ---
  /** `what` says which option or folder the file was expected for. */
  notFound: (path: string, what: string) => `${path}: not found (${what})`,
  cannotRead: (path: string, detail: string) => `${path}: cannot be read: ${detail}`,
  pricesFile: () => '--prices',
  runFolderFile: () => 'is RUN_DIR a report folder written by mxsim run?',
  notJson: (path: string, detail: string) => `${path}: not valid JSON: ${detail}`,
  /** A run folder's scenario.json whose `cost` section fails the grammar; each problem as `cost.field: message`. */
  invalidCostSection: (path: string, problems: readonly { field: string; message: string }[]) =>
    `${path}: invalid cost section:\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`,

  // --- compare's inputs ---
  inputNotFound: (path: string) => `${path}: not found (${COMPARE_INPUTS})`,
  neitherFolderNorFile: (path: string) => `${path}: neither a run folder nor a scenario file (${COMPARE_INPUTS})`,
  notRunFolder: (dir: string, summaryFile: string) => `${dir}: not a run folder: ${summaryFile} is missing (${COMPARE_INPUTS})`,
  summaryNotJson: (file: string, detail: string) => `${file}: cannot be read as JSON: ${detail}`,
  notSummary: (file: string) => `${file}: not a summary written by \`mxsim run\` (no scenario name, replications or traffic)`,
  /** The line before a scenario's own problems when a compare input is a file that does not load. */
  notRunFolderNorScenario: (path: string) => `${path}: not a run folder, and not a valid scenario file:`,
  csvNotReadable: (file: string, detail: string) => `${file}: cannot be read as CSV: ${detail}`,

  // --- validate ---
  filesInvalid: (failed: number, total: number) => `${failed} of ${total} scenario file${total === 1 ? '' : 's'} invalid`,

  // --- queue ---
  /** Each bad distribution option, `--arrival: <what is wrong>`, one per line. */
  badDistributions: (problems: readonly { option: string; message: string }[]) => problems.map((p) => `${p.option}: ${p.message}`).join('\n'),
  unstableQueue: (load: number, arrivalRate: number, capacity: number) =>
    `offered load ${load.toFixed(3)} >= 1 (arrival rate ${arrivalRate.toPrecision(4)}/s, capacity ${capacity.toPrecision(4)}/s): the queue has no steady state`,
  boundTheRun: (unstable: string) => `${unstable}; bound the run with --customers to simulate it anyway`,
  unstableWarning: (unstable: string) => `warning: ${unstable}; results depend on --customers and are not steady-state means\n`,
};
