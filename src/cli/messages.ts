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
  /** A bug: what went wrong, and a request to report it (with the stack trace when MXSIM_DEBUG=1). */
  internal: (detail: string, debug: boolean) =>
    `mxsim: error[internal]: a bug, please report it: ${detail}\n${debug ? '' : 'mxsim: run again with MXSIM_DEBUG=1 for the stack trace to put in the report\n'}`,
  warning: (text: string) => `mxsim: warning: ${text}\n`,
  /** `mxsim run --calibration`: which costs came from the calibration file. */
  calibrated: (file: string, replaced: readonly string[]) =>
    `note: costs from the calibration ${file}: ${replaced.length === 0 ? 'none fitted (every coefficient kept)' : replaced.join(', ')}; the report's scenario.json holds them in run.server.calibration\n`,
  /** Every limit, for `mxsim --help` (docs/OUTPUT.md "Limits" has them in full). */
  limits: (l: {
    scenarioMiB: number;
    depth: number;
    catalogMiB: number;
    catalogRows: number;
    catalogColumns: number;
    readBackMiB: number;
    cpuHours: number;
    replications: number;
    queueServers: number;
    queueCustomers: number;
    queueTotal: number;
  }) =>
    [
      'Limits (docs/OUTPUT.md "Limits"; each is refused before anything runs, with every problem listed):',
      `  scenario files   ${l.scenarioMiB} MiB, JSON nested at most ${l.depth} levels, each field once, numbers a double holds;`,
      `                   every number in its range (mxsim schema; docs/MODEL.md section 28), --replications 1-${l.replications}`,
      `  price catalogs   ${l.catalogMiB} MiB, ${l.catalogRows.toLocaleString('en-US')} rows, ${l.catalogColumns} columns, known columns only, values in range (data/prices/README.md)`,
      `  run folders      ${l.readBackMiB} MiB a file, JSON nested at most ${l.depth} levels, summaryVersion as written by this mxsim`,
      `  a run            estimated memory within this machine's, CPU time within ${l.cpuHours} h (--allow-large to go past)`,
      `  mxsim queue      --servers 1-${l.queueServers.toLocaleString('en-US')}, --customers 1-${l.queueCustomers.toLocaleString('en-US')}, ${l.queueTotal.toLocaleString('en-US')} customers in all (--allow-large)`,
      '  output           --out a folder path; --force replaces only a folder mxsim wrote (.mxsim-report)',
    ].join('\n'),
  exitCodes: () =>
    `Exit codes: ${EXIT.ok} ok, ${EXIT.internal} internal error (a bug), ${EXIT.usage} bad arguments (or a run too large for this machine: --allow-large), ${EXIT.invalidInput} invalid input file, ${EXIT.outputExists} output exists (use --force; only a folder mxsim wrote is replaced), ${EXIT.targetsMissed} the recommendation cannot meet its targets (--strict), ${EXIT.outputUnwritable} the report cannot be written (not writable, disk full), ${EXIT.deploymentMissesTargets} the deployment as simulated misses its targets (--strict), ${EXIT.serviceUnavailable} a server it was told to use cannot be reached (the job queue's Redis, --queue; a Prometheus, --prometheus), ${EXIT.incomplete} runs missing (mxsim merge), ${EXIT.interrupted} interrupted (Ctrl-C; 143 for SIGTERM). docs/ERRORS.md lists every error code, docs/OUTPUT.md every limit.`,
  /** `mxsim run --strict` when the recommendation cannot meet its targets. */
  targetsMissed: (mechanism: string, lever: string, dir: string) => `the recommendation cannot meet its targets: ${mechanism}. Lever: ${lever}. The report is in ${dir}.`,

  /** The scenario's deployment, as simulated, misses its targets (the recommendation meets them). */
  deploymentMissesTargets: (scenario: string, dir: string) =>
    `${scenario}: the deployment as simulated does not meet its targets (the recommendation in the report does). The report is in ${dir}.`,
  /** `mxsim compare --strict`: the inputs whose verdict failed, each named. */
  compareTargetsMissed: (labels: readonly string[], what: 'recommendation' | 'deployment', dir: string) =>
    `${labels.join(', ')}: ${what === 'recommendation' ? 'the recommendation cannot meet its targets' : 'the deployment as simulated does not meet its targets'}. The report is in ${dir}.`,

  // --- the pre-flight estimate ---
  /** One line per resource a run would exceed, with the input that drives it and the value that would fit. */
  runTooLarge: (problems: readonly { resource: 'memory' | 'time'; estimate: string; limit: string; path: string; value: string; fits: string | null }[]) =>
    [
      'this run is larger than this machine can do:',
      ...problems.map(
        (p) =>
          `  ${p.resource === 'memory' ? 'memory' : 'CPU time'}: about ${p.estimate} estimated, ${p.resource === 'memory' ? 'this machine can give' : 'the limit is'} ${p.limit}; driven most by ${p.path} = ${p.value}${p.fits === null ? ' (no value of it alone fits)' : `; it fits at about ${p.fits}`}`,
      ),
      'Lower that input (with --set), or pass --allow-large to run it anyway (docs/OUTPUT.md "Limits").',
    ].join('\n'),
  /** Shown before a long run. */
  estimate: (events: string, cpu: string, memory: string) => `estimated ${events} events, about ${cpu} of CPU and ${memory} of memory\n`,

  // --- arguments ---
  expectedInteger: (option: string, min: number, value: string) => `${option}: expected an integer >= ${min}, got "${value}"`,
  /** `range` in words (costMessages.aNumber): `--cores: expected a number greater than 0 and at most 100,000, got "0"`. */
  expectedInRange: (option: string, range: string, value: string) => `${option}: expected ${range}, got "${value}"`,
  expectedIntegerBetween: (option: string, min: number, max: number, value: string) => `${option}: expected an integer from ${min} to ${max}, got "${value}"`,
  /** An option refused by the rule of the scenario field it stands for (`rule` and `received` as src/scenario/messages.ts words them). */
  optionExpected: (option: string, rule: string, received: string) => `${option}: expected ${rule}, got ${received}`,
  onlyPricesNeedsPrices: () => '--only-prices needs at least one --prices FILE',
  horizonLongerThanScenario: (months: number, scenarioMonths: number) => `--horizon-months ${months} is longer than the scenario's run.horizonMonths (${scenarioMonths})`,
  tooFewInputs: (count: number) => `compare needs at least two inputs (run folders or scenario files), got ${count}`,

  // --- files ---
  /** `what` says which option or folder the file was expected for. */
  notFound: (path: string, what: string) => `${path}: not found (${what})`,
  cannotRead: (path: string, detail: string) => `${path}: cannot be read: ${detail}`,
  pricesFile: () => '--prices',
  runFolderFile: () => 'is RUN_DIR a report folder written by mxsim run?',
  setOnRunFolder: (dir: string) =>
    `--set changes a scenario before it is simulated, but ${dir} is a run folder, simulated already: give the scenario file instead, or run it again with mxsim run --set`,

  // --- compare's inputs ---
  inputNotFound: (path: string) => `${path}: not found (${COMPARE_INPUTS})`,
  neitherFolderNorFile: (path: string) => `${path}: neither a run folder nor a scenario file (${COMPARE_INPUTS})`,
  notRunFolder: (dir: string, summaryFile: string) => `${dir}: not a run folder: ${summaryFile} is missing (${COMPARE_INPUTS})`,
  /** The line before a scenario's own problems when a compare input is a file that does not load. */
  notRunFolderNorScenario: (path: string) => `${path}: not a run folder, and not a valid scenario file:`,

  // --- run folders read back (run-folder.ts, read-back.ts) ---
  /** The first line of each file's problems; every problem follows on its own line, indented. */
  summaryHeadline: (file: string) => `${file}: not a summary mxsim can read:`,
  scenarioHeadline: (file: string) => `${file}: not a scenario mxsim can read:`,
  tableHeadline: (file: string) => `${file}: not a table mxsim can read:`,
  /** `path: expected <rule>, got <value as written>`; `got` is `nothing` for a missing field. */
  fieldProblem: (path: string, rule: string, got: string) => `${path}: expected ${rule}, got ${got}`,
  nothing: () => 'nothing',
  summaryFile: () => 'a summary written by `mxsim run`',
  scenarioObject: () => 'an object (the scenario as simulated)',
  /** A summary of another version: both versions named. */
  otherSummaryVersion: (got: string, expected: number, writtenBy: string | undefined) =>
    `summaryVersion: expected ${expected}, got ${got}: a summary of version ${got}${writtenBy === undefined ? '' : ` (written by mxsim ${writtenBy})`}, and this mxsim reads version ${expected} only; rerun the scenario with this mxsim, or read the folder with the mxsim that wrote it`,
  unversionedSummary: (expected: number, writtenBy: string | undefined) =>
    `summaryVersion: expected ${expected}, got nothing: a summary written${writtenBy === undefined ? '' : ` by mxsim ${writtenBy}`} before summaries had a version, and this mxsim reads version ${expected} only; rerun the scenario with this mxsim`,
  tooLarge: (file: string, bytes: number, maxBytes: number) =>
    `${file}: ${(bytes / 2 ** 20).toFixed(1)} MiB, larger than the ${maxBytes / 2 ** 20} MiB mxsim reads back (no file of a run folder comes near it)`,
  notAFile: (file: string) => `${file}: not a file`,
  jsonTooDeep: (line: number, column: number, maxDepth: number) => `line ${line}, column ${column}: expected JSON nested at most ${maxDepth} levels deep, got deeper`,
  jsonSyntax: (line: number, column: number, expected: string, got: string) =>
    `line ${line}, column ${column}: expected ${expected}, got ${got === '' ? 'the end of the file' : JSON.stringify(got)}`,
  csvInvalid: (file: string, detail: string) => `${file}: not valid CSV: ${detail}`,
  csvEmpty: (file: string) => `${file}: empty: expected a header line naming the columns`,
  csvMissingColumn: (file: string, column: string) => `${file}:1: column ${column}: missing`,
  csvCells: (file: string, line: number, cells: number, headerCells: number) => `${file}:${line}: ${cells} cells, expected ${headerCells} as in the header`,
  /** A cell as written in the file, quoted. */
  csvCell: (file: string, line: number, column: number, name: string, rule: string, value: string) =>
    `${file}:${line}: column ${column} (${name}): expected ${rule}, got "${value}"`,
  csvNumber: () => 'a number >= 0',
  csvRowIndex: (index: number) => `${index}, the row's place in the file`,
  csvRows: (file: string, rows: number, expected: number, why: string) => `${file}: ${rows} data row${rows === 1 ? '' : 's'}, expected ${expected}: ${why}`,
  rowsPerReplication: (replications: number) => `one per replication (summary.json replications: ${replications})`,
  rowsPerBin: (days: number, binMinutes: number) => `one per ${binMinutes}-minute bin of ${days} day(s) (summary.json simulatedDays, binMinutes)`,
  rowsPerMonth: (horizonMonths: number) => `months 0 to ${horizonMonths} (summary.json storage.horizonMonths: ${horizonMonths})`,
  moreProblems: (count: number) => `... and ${count} more problem${count === 1 ? '' : 's'}`,

  // --- init ---
  initFederation: (value: string) => `--federation: expected closed, open, open:N or N (a number of partner servers from 1), got ${JSON.stringify(value)}`,
  initExists: (file: string) => `${file} already exists; use --force to replace it`,
  initOutIsFolder: (file: string) => `--out: expected a file name, got ${JSON.stringify(file)}, a folder`,
  initNoFolder: (file: string) => `--out: the folder of ${JSON.stringify(file)} does not exist`,
  cannotWrite: (file: string, detail: string) => `${file}: cannot be written: ${detail}`,
  initInvalid: () => 'the scenario built from these answers does not validate (a bug in mxsim init, please report it):',
  initDescription: (users: number, federation: string, base: string) =>
    `An organisation of ${users.toLocaleString('en-US')} users, ${federation}: ${base} scaled to these users by mxsim init (rooms in proportion, a room of everyone kept one). Edit it to describe your own.`,
  initWrote: (file: string, name: string) => `wrote ${file} (scenario ${name}); next: mxsim validate ${file}, then mxsim run ${file}\n`,

  // --- validate ---
  filesInvalid: (failed: number, total: number) => `${failed} of ${total} scenario file${total === 1 ? '' : 's'} invalid`,

  // --- queue ---
  /** Each bad distribution option, `--arrival: <what is wrong>`, one per line. */
  badDistributions: (problems: readonly { option: string; message: string }[]) => problems.map((p) => `${p.option}: ${p.message}`).join('\n'),
  unstableQueue: (load: number, arrivalRate: number, capacity: number) =>
    `offered load ${load.toFixed(3)} >= 1 (arrival rate ${arrivalRate.toPrecision(4)}/s, capacity ${capacity.toPrecision(4)}/s): the queue has no steady state`,
  boundTheRun: (unstable: string) => `${unstable}; bound the run with --customers to simulate it anyway`,
  arrivalsAtOnce: (spec: string) => `bad distribution ${JSON.stringify(spec)}: the mean time between arrivals must be above 0 (all customers would arrive at once)`,
  queueTooLarge: (total: number, max: number) =>
    `(--customers + --warmup) x --replications is ${total.toLocaleString('en-US')} customers, more than the ${max.toLocaleString('en-US')} that run in a few minutes; lower one of them, or pass --allow-large`,
  queueBacklog: (backlog: number, max: number) =>
    `the queue is unstable and would end with about ${backlog.toLocaleString('en-US')} customers waiting, more than the ${max.toLocaleString('en-US')} that fit in memory comfortably; lower --customers, or pass --allow-large`,
  // --- worker ---
  workerStarted: (url: string, queue: string, concurrency: number) => `mxsim worker: taking tasks from ${url} (queue ${queue}), ${concurrency} at a time; Ctrl-C to stop\n`,
  workerTaskDone: (module: string, name: string, key: string, seconds: number) =>
    `mxsim worker: done ${name} of ${module} (${key.slice(0, key.lastIndexOf('-') + 13)}) in ${seconds.toFixed(1)} s\n`,
  workerTaskFailed: (module: string, name: string, key: string, reason: string) =>
    `mxsim worker: failed ${name} of ${module} (${key.slice(0, key.lastIndexOf('-') + 13)}): ${reason}\n`,
  workerStopped: (signal: string, handedBack: number) => `mxsim worker: stopped by ${signal}; ${handedBack} running task${handedBack === 1 ? '' : 's'} put back in the queue\n`,
  workerConnection: (reason: string) => `job queue: ${reason} (retrying)`,
  noCommand: () => 'no command given: try mxsim run scenarios/company-2000.json, or mxsim --help for every command',
  expectedNonEmpty: (option: string) => `${option}: expected a non-empty value, got ""`,
  unstableWarning: (unstable: string) => `warning: ${unstable}; results depend on --customers and are not steady-state means\n`,
};
