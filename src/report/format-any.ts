/**
 * Values of a summary as read back from disk, which may come from another
 * version of mxsim: type guards that read them defensively (`isRecord`,
 * `isStat`), and any such value as short text (`formatAny`) for the report
 * pages.
 */
import type { Stat } from '../analysis/summarize.js';
import { formatNumber } from '../format/index.js';
import { formatCi } from './text.js';

/** A plain object: not null, not an array. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `Stat`: a mean and a 95% interval of two numbers. */
export function isStat(v: unknown): v is Stat {
  return isRecord(v) && typeof v.mean === 'number' && Array.isArray(v.ci95) && v.ci95.length === 2;
}

/** A number with at most 6 significant digits and thousands separators; '–' when it is not finite. */
export const plain = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumSignificantDigits: 6 }) : '–');

/** Any summary value as short text: numbers formatted, stats with their interval, lists and objects spelled out. */
export function formatAny(v: unknown, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  if (typeof v === 'number') return Number.isFinite(v) ? `${plain(v)}${u}` : '–';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null || v === undefined) return '–';
  if (isStat(v)) {
    const ci = formatCi(v, 'number');
    return `${formatNumber(v.mean)}${u}${ci === '–' ? '' : ` (95% CI ${ci})`}`;
  }
  if (Array.isArray(v)) return v.length === 0 ? '–' : v.map((x) => formatAny(x)).join('; ');
  if (isRecord(v)) {
    return Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `${k} ${formatAny(x)}`)
      .join(', ');
  }
  // A function, a symbol or a bigint: no record, no JSON.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- not an object here (isRecord took those), so String() gives its own form
  return JSON.stringify(v) ?? String(v);
}
