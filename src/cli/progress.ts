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
