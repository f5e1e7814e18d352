/**
 * A duration for people: whole milliseconds below 10 s, then seconds (one
 * decimal) below 10 min, minutes below 2 h, then hours (one decimal), so a
 * 13-hour latency reads "13.2 h", never "47,520,000 ms". A negative duration
 * (a difference) reads as its size with a minus sign.
 *
 * @param ms a duration, in milliseconds.
 * @example formatMilliseconds(547.2) // '547 ms'
 * @example formatMilliseconds(90_000) // '90.0 s'
 * @example formatMilliseconds(47_520_000) // '13.2 h'
 */
export function formatMilliseconds(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatMilliseconds(-ms)}`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  if (ms < 600_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(0)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * A duration given in seconds, for people, as {@link formatMilliseconds}.
 * @example formatSeconds(47_520) // '13.2 h'
 */
export function formatSeconds(seconds: number): string {
  return formatMilliseconds(seconds * 1000);
}
