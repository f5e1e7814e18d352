/**
 * Text helpers of the report pages: escaping for HTML and Markdown, the value
 * kinds and display units the charts and tables share, and counted nouns
 * ("2 days"). The number formats themselves are in src/format/.
 */
import type { Stat } from '../analysis/summarize.js';
import { formatBytes, formatCount, formatNumber, formatSeconds, formatShare } from '../format/index.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for HTML element content and quoted attribute values.
 * @example escapeHtml('<b>x</b>') // '&lt;b&gt;x&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Text made inert for Markdown (one line, fit for a table cell): HTML
 * special characters become entities, emphasis, code, link and table
 * punctuation is backslashed (links cannot form without brackets), a
 * heading or list marker at the start is escaped, and line breaks become
 * spaces.
 * @example escapeMarkdown('a|b <i>') // 'a\\|b &lt;i&gt;'
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/^(\s*)([#+-]|\d+\.)(?=\s|$)/, '$1\\$2');
}

/**
 * A key of summary.json or the scenario in plain words, for human text (the
 * CSV and JSON keep the key): 'deviceList' → 'device list', 'allowList' →
 * 'allow list'.
 */
export function keyWords(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

export type Kind = 'count' | 'number' | 'bytes' | 'share' | 'seconds';

/** One value in the format of its kind. */
export function formatValue(v: number, kind: Kind): string {
  if (!Number.isFinite(v)) return '–';
  switch (kind) {
    case 'count':
      return formatCount(Math.round(v) === 0 ? 0 : v); // no "-0" for a small negative bound
    case 'number':
      return formatNumber(v);
    case 'bytes':
      return formatBytes(v);
    case 'share':
      return formatShare(v);
    case 'seconds':
      return formatSeconds(v);
  }
}

/** The 95% confidence interval of a stat as "low – high", or "–" when there is none (one replication). */
export function formatCi(stat: Stat, kind: Kind): string {
  const [lo, hi] = stat.ci95;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return '–';
  return `${formatValue(lo, kind)} – ${formatValue(hi, kind)}`;
}

/** A display unit: divide raw values by `divisor` and name the result `label`. */
export interface Unit {
  readonly label: string;
  readonly divisor: number;
}

const BYTE_UNITS: readonly Unit[] = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'].map((label, i) => ({ label, divisor: 1024 ** i }));
const BIT_RATE_UNITS: readonly Unit[] = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'].map((label, i) => ({ label, divisor: 1000 ** i }));

/** The last unit whose divisor `max` reaches, else the first (the lists are constants, never empty). */
function pickUnit(units: readonly Unit[], max: number): Unit {
  return units.reduce((unit, u) => (Math.abs(max) >= u.divisor ? u : unit));
}

/** The binary byte unit in which `maxBytes` reads as 1 to 1023. */
export const byteUnit = (maxBytes: number): Unit => pickUnit(BYTE_UNITS, maxBytes);

/** The decimal bit-rate unit (network convention) in which `maxBitsPerSecond` reads as 1 to 999. */
export const bitRateUnit = (maxBitsPerSecond: number): Unit => pickUnit(BIT_RATE_UNITS, maxBitsPerSecond);

/** A bit rate for people, from bytes per second: `formatBitRate(125000) // '1 Mbit/s'`. */
export function formatBitRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return '–';
  const bits = bytesPerSecond * 8;
  const unit = bitRateUnit(bits);
  return `${formatNumber(bits / unit.divisor)} ${unit.label}`;
}

/** "1 day", "2 days", "0.5 days". */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
