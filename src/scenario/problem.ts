/**
 * One thing wrong with a scenario (`Problem`), or that a valid scenario does
 * and deserves a word (`Warning`), and how each is printed:
 *
 *   population.devicesPerUsr: expected a known field (did you mean "devicesPerUser"?), got 2
 *
 * The path as people write it, and a short rendering of the value received.
 */

/** One thing wrong with a scenario. Printed as `path: expected <rule>, got <received>`. */
export interface Problem {
  /** Where, e.g. `rooms.kinds[2].members.alpha`; `(root)` for the whole document. */
  path: string;
  /** What was expected there, and why when it is a combination of fields. */
  rule: string;
  /** Short JSON rendering of what was there; `nothing` when it was missing. */
  received: string;
}

export type PathSegment = string | number;

/** Something a valid scenario does that deserves a word. Printed as `path: message`. */
export interface Warning {
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['rooms', 'kinds', 2, 'members']` -> `rooms.kinds[2].members`; `[]` -> `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? '(root)' : out;
}

const MAX_RECEIVED = 60;

/** A short JSON rendering of a received value: `nothing` for undefined, long ones cut at ~60 characters. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A bigint or a cycle: the fallback below.
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the last resort for what JSON cannot render (a function, a symbol, a bigint, a cycle)
  text ??= String(value);
  return text.length > MAX_RECEIVED ? `${text.slice(0, MAX_RECEIVED - 3)}...` : text;
}

/** `path: expected <rule>, got <received>` */
export function formatProblem(p: Problem): string {
  return `${p.path}: expected ${p.rule}, got ${p.received}`;
}

/** `path: message` */
export function formatWarning(w: Warning): string {
  return `${w.path}: ${w.message}`;
}
