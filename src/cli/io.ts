/**
 * Where the CLI writes. Commands take an `Io` rather than touching `process`,
 * so tests run them in-process and read what they printed.
 */
export interface Io {
  /** Results (stdout). */
  out(text: string): void;
  /** Diagnostics, warnings, progress (stderr). */
  err(text: string): void;
  /** True when stderr is a terminal (progress bars only then). */
  readonly errIsTTY: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTTY: Boolean(process.stderr.isTTY),
};

/** An Io that keeps what was written, for tests. */
export function memoryIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTTY: false,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

/**
 * A mistake in what the user gave us (arguments, files). The CLI prints its
 * message without a stack trace and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Exit codes, documented in README and `mxsim --help`. */
export const EXIT = {
  ok: 0,
  /** A bug: an unexpected exception. */
  internal: 1,
  /** Bad command-line arguments. */
  usage: 2,
  /** A scenario, catalog or run folder that fails validation. */
  invalidInput: 3,
  /** The output exists and --force was not given. */
  outputExists: 4,
} as const;
