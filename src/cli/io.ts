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
