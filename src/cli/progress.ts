/**
 * A progress bar on stderr for runs that take more than a moment: only on a
 * terminal, never with --quiet, never on stdout (so --json stays clean). It
 * appears once a second has passed, showing elapsed and remaining time.
 */
import cliProgress from 'cli-progress';
import type { Io } from './io.js';

/** Seconds after which the bar appears; quicker runs print nothing. */
const SHOW_AFTER_SECONDS = 1;

export interface Progress {
  update(fraction: number, phase: string): void;
  stop(): void;
}

export function progressBar(io: Io, enabled: boolean, now: () => number = () => performance.now()): Progress {
  const started = now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(fraction: number, phase: string) {
      if (!enabled) return;
      if (bar === null) {
        if ((now() - started) / 1000 < SHOW_AFTER_SECONDS) return;
        bar = new cliProgress.SingleBar(
          {
            format: 'simulating [{bar}] {percentage}% | {duration_formatted} elapsed | {eta_formatted} left | {phase}',
            barsize: 30,
            hideCursor: true,
            clearOnComplete: true,
            stream: { write: (s: string) => io.err(s), isTTY: true } as unknown as NodeJS.WritableStream,
            etaBuffer: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1000, 0, { phase });
      }
      bar.update(Math.round(fraction * 1000), { phase });
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Seconds between two redraws of a status line. */
const STATUS_EVERY_SECONDS = 0.2;

/** A line of status on a terminal's stderr, rewritten in place (at most five times a second), cleared by `stop`. */
export interface StatusLine {
  show(text: string): void;
  stop(): void;
}

/** A status line when `enabled` (a terminal, no --quiet), else nothing. */
export function statusLine(io: Io, enabled: boolean, now: () => number = () => performance.now()): StatusLine {
  let shownAt = -Infinity;
  let shown = false;
  return {
    show(text: string) {
      if (!enabled) return;
      const t = now();
      if ((t - shownAt) / 1000 < STATUS_EVERY_SECONDS) return;
      shownAt = t;
      shown = true;
      io.err(`\r\x1b[2K${text}`);
    },
    stop() {
      if (shown) io.err('\r\x1b[2K');
      shown = false;
    },
  };
}

/**
 * The time left, from the runs finished so far at their average pace:
 * `elapsed` seconds for `finished` runs, `left` runs to go. Null before the
 * first run has finished.
 */
export function secondsLeft(elapsed: number, finished: number, left: number): number | null {
  return finished === 0 ? null : (elapsed / finished) * left;
}
