/**
 * Where the CLI writes. Commands take an `Io` rather than touching `process`,
 * so tests run them in-process and read what they printed.
 */
import { colourEnabled } from './colour.js';

export interface Io {
  /** Results (stdout). */
  out(text: string): void;
  /** Diagnostics, warnings, progress (stderr). */
  err(text: string): void;
  /** True when stderr is a terminal (progress bars only then). */
  readonly errIsTTY: boolean;
  /** True when stdin and stdout are terminals, so a command may ask questions (`mxsim init`). */
  readonly interactive?: boolean;
  /** Colour on stdout (a terminal, no NO_COLOR; src/cli/colour.ts). */
  readonly outColour?: boolean;
  /** Colour on stderr, by the same rule. */
  readonly errColour?: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTTY: Boolean(process.stderr.isTTY),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  outColour: colourEnabled({ isTTY: Boolean(process.stdout.isTTY), env: process.env }),
  errColour: colourEnabled({ isTTY: Boolean(process.stderr.isTTY), env: process.env }),
};

/** An Io that keeps what was written, for tests (no terminal, no colour unless asked). */
export function memoryIo(options: { outColour?: boolean; errColour?: boolean } = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTTY: false,
    interactive: false,
    outColour: options.outColour ?? false,
    errColour: options.errColour ?? false,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}
