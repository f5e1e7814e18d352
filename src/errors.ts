/**
 * The one error model of mxsim. Every mistake a user can make (an argument,
 * a file, a setting) is an `MxsimError` with a stable string `code` and the
 * exit code of the command; anything else that is thrown is a bug.
 *
 * Layer-neutral: every layer may import this module, and it imports nothing
 * from the project. Each layer words its own messages (scenario/messages.ts,
 * cost/messages.ts, cli/messages.ts); only `main` in src/cli/main.ts turns an
 * error into the process's exit code and its line on standard error.
 *
 * The codes and exit codes are documented in docs/ERRORS.md (a test checks
 * that every code here is listed there).
 */

/** Exit codes of the `mxsim` command. */
export const EXIT = {
  ok: 0,
  /** A bug: an exception that is not an MxsimError. */
  internal: 1,
  /** Bad command-line arguments. */
  usage: 2,
  /** A scenario, catalog or run folder that cannot be used. */
  invalidInput: 3,
  /** The output exists and --force was not given. */
  outputExists: 4,
  /** `mxsim run --strict`: the report is written, but the recommendation cannot meet its targets. */
  targetsMissed: 5,
  /** The report could not be written: its folder is not writable, the disk is full. Nothing is left behind. */
  outputUnwritable: 6,
  /** `--strict` (run, compare): the report is written, but a deployment as simulated misses its targets (the recommendation would meet them). */
  deploymentMissesTargets: 7,
  /** A server mxsim was told to use cannot be reached: the job queue (Redis, `--queue URL`), which may also give back a result that is not the one asked for, or a Prometheus (`mxsim calibrate --prometheus URL`). */
  serviceUnavailable: 8,
  /** `mxsim merge`: a job of the sweep is in none of the folders given; nothing is written. */
  incomplete: 9,
  /** Interrupted by SIGINT (128 + 2); the temporary folder is removed and the previous report kept. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every error code, with the exit code it gives. Codes of settings that may
 * come from the command line or from a file (`cost.*` but `cost.input` and
 * `cost.rate-missing`) exit 2 when the setting was an option and 3 when it
 * was a field of a file; the table gives the command-line case.
 */
export const ERROR_CODES = {
  /** Unknown option, missing or malformed value, options that contradict each other. */
  usage: EXIT.usage,
  /** A file or folder named does not exist or cannot be read. */
  'input.unreadable': EXIT.invalidInput,
  /** A scenario file is not valid JSON. */
  'scenario.json': EXIT.invalidInput,
  /** A scenario (with its --set overrides) fails validation. */
  'scenario.invalid': EXIT.invalidInput,
  /** A folder or file given as a run folder is not what `mxsim run` writes. */
  'run.invalid': EXIT.invalidInput,
  /** A price catalog does not parse. */
  'catalog.invalid': EXIT.invalidInput,
  /** The run lacks what the cost needs (no recommendation, too short a projection). */
  'cost.input': EXIT.invalidInput,
  /** An exchange rate is malformed, or two rates for one pair disagree. */
  'cost.rate': EXIT.usage,
  /** A price needs an exchange rate nobody stated. */
  'cost.rate-missing': EXIT.usage,
  /** An unknown report currency. */
  'cost.currency': EXIT.usage,
  /** A provider (or region) that is not in the catalogs, or nothing to price for the ones named. */
  'cost.provider': EXIT.usage,
  /** A SaaS vendor or plan with no priced plan in the catalogs. */
  'cost.saas': EXIT.usage,
  /** A `--use` selector that matches no catalog row. */
  'cost.use': EXIT.usage,
  /** Managed PostgreSQL asked for, and none of the providers named has a usable plan. */
  'cost.database': EXIT.usage,
  /** No labour rate can be had, or a labour rate without a currency. */
  'cost.labour': EXIT.usage,
  /** A distribution spec (`mxsim queue --arrival`, `--service`) does not parse. */
  'distribution.spec': EXIT.usage,
  /** A queue with no steady state (offered load >= 1) and no bound on its length. */
  'queue.unstable': EXIT.usage,
  /** The output folder exists and --force was not given. */
  'output.exists': EXIT.outputExists,
  /** `--out` cannot be a report folder: empty, or a file is where the folder or one of its parents should be. */
  'output.invalid': EXIT.usage,
  /** The report folder cannot be written: not writable, not enough free space, or a write failed (a full disk). */
  'output.unwritable': EXIT.outputUnwritable,
  /** The estimated run (events, memory, time) exceeds what this machine can do; `--allow-large` runs it anyway. */
  'run.too-large': EXIT.usage,
  /** `mxsim run --strict`: no deployment within the sizing's bounds meets the targets (the report is written). */
  'targets.missed': EXIT.targetsMissed,
  /** `--strict` (run, compare): the deployment as simulated misses its targets (the report is written). */
  'targets.deployment': EXIT.deploymentMissesTargets,
  /** A job queue URL (`--queue`) that is not `redis://` or `rediss://` with a host. */
  'queue.url': EXIT.usage,
  /** The job queue's Redis cannot be reached (refused, unknown host, no answer within the time-out, refused password). */
  'queue.unreachable': EXIT.serviceUnavailable,
  /** A result in the job queue is not what was asked for: another task's key, or not a value a task returns. */
  'queue.result': EXIT.serviceUnavailable,
  /** `mxsim merge`: a folder given is not a sweep folder, or the folders hold different plans (or another mxsim's). */
  'merge.plan': EXIT.invalidInput,
  /** `mxsim calibrate`: metrics files that cannot be used (malformed, a required metric missing, a gap, a negative counter, no traffic); every problem listed, nothing written. */
  'metrics.invalid': EXIT.invalidInput,
  /** `mxsim calibrate --prometheus URL`: the server cannot be reached, does not answer in time, or answers with a server error. */
  'prometheus.unreachable': EXIT.serviceUnavailable,
  /** `mxsim calibrate --prometheus URL`: Prometheus refused a range query (HTTP 400 or 422: a `--selector` it cannot parse). */
  'prometheus.query': EXIT.usage,
  /** `mxsim run --calibration`: a file that is not a calibration file `mxsim calibrate` writes. */
  'calibration.invalid': EXIT.invalidInput,
  /** `mxsim merge`: a job of the sweep is in none of the folders given (each missing one is listed; nothing is written). */
  'merge.incomplete': EXIT.incomplete,
} as const satisfies Record<string, ExitCode>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * A mistake in what the user gave: printed as one message, without a stack
 * trace, and the command exits with `exitCode`.
 *
 * @example
 * throw new MxsimError('usage', '--only-prices needs at least one --prices FILE');
 */
export class MxsimError extends Error {
  constructor(
    /** Stable and documented: tests and scripts may rely on it. */
    readonly code: ErrorCode,
    message: string,
    /** The table's exit code unless the error knows better (a setting read from a file exits 3). */
    readonly exitCode: ExitCode = ERROR_CODES[code],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MxsimError';
  }
}

/**
 * The same error with a line of context before its message (what else the
 * input could have been, which command read it); code and exit code stay.
 */
export function withContext(e: MxsimError, context: string): MxsimError {
  return new MxsimError(e.code, `${context}\n${e.message}`, e.exitCode, { cause: e });
}

/**
 * `value`, which the code's own invariants say is there: an index below a
 * length checked elsewhere, a key of a table built from the same list, the
 * result of a search that cannot fail for these arguments. When it is missing
 * (undefined or null) that is a bug, not a user's mistake, so this throws a
 * plain Error (exit 1, with its stack trace) naming `what`. Use it instead of
 * a bare `!` where the reason the value exists lies elsewhere in the code.
 *
 * @example const header = present(rows[0], 'the header row');
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
}
