/**
 * Colour on a terminal only (no-color.org, force-color.org): a stream gets
 * colour when it is a TTY, never when NO_COLOR is set to any non-empty value,
 * and always when FORCE_COLOR is set to anything but "" or "0" (NO_COLOR
 * wins over both). Piped or redirected output stays plain text, so scripts
 * and `--output json|csv|markdown` never see an escape sequence.
 *
 * The escape sequences are the four SGR codes mxsim uses, written here rather
 * than through a dependency (util.styleText is not in every Node 20 mxsim
 * supports).
 */

/** What decides whether one stream gets colour. */
export interface ColourContext {
  /** The stream is a terminal. */
  isTTY: boolean;
  /** The environment (process.env), read for NO_COLOR and FORCE_COLOR. */
  env: Readonly<Record<string, string | undefined>>;
}

/** True when text written to the stream may be coloured. */
export function colourEnabled({ isTTY, env }: ColourContext): boolean {
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTTY;
}

/** The styles mxsim uses: a verdict that holds, one that fails, a warning, and emphasis. */
export type Style = 'ok' | 'fail' | 'warn' | 'bold';

const SGR: Record<Style, [number, number]> = {
  ok: [32, 39],
  fail: [31, 39],
  warn: [33, 39],
  bold: [1, 22],
};

/** `text` in `style` when `enabled`, else unchanged. */
export function paint(text: string, style: Style, enabled: boolean): string {
  if (!enabled || text === '') return text;
  const [on, off] = SGR[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}
