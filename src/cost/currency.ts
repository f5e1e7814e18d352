/**
 * Currencies and the exchange rates a user states.
 *
 * Every price keeps its currency. A figure moves to another currency only
 * through a rate the user gave (`--rate USD:EUR=0.92`: 1 USD = 0.92 EUR); the
 * inverse of a stated rate is used for the opposite direction and reported as
 * such. There is no chaining through a third currency and no built-in rate,
 * so every conversion in a report can be traced to something the user typed.
 */
import { CURRENCIES } from '../scenario/grammar.js';

export type Currency = string;

/** The codes of the scenario grammar (`cost.currency`); catalogs and rates accept the same. */
const KNOWN: ReadonlySet<string> = new Set(CURRENCIES);

export function isCurrency(code: string): boolean {
  return KNOWN.has(code);
}

/** A rate as the user stated it: 1 `from` = `rate` `to`. */
export interface StatedRate {
  from: string;
  to: string;
  rate: number;
  /** The text as given, e.g. "USD:EUR=0.92". */
  stated: string;
}

/** A rate that was used, for the report. */
export interface UsedRate {
  from: string;
  to: string;
  rate: number;
  stated: string;
  /** True when this is the inverse of the stated rate. */
  inverse: boolean;
  /** What was converted with it (provider, vendor or "labour"), without repeats. */
  usedFor: string[];
}

/** Mixing two currencies with no rate between them. */
export class CurrencyMixError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly what: string,
  ) {
    super(`${what}: prices in ${from} but the report is in ${to}, and no rate was given; add --rate ${from}:${to}=<${to} per ${from}> (or report in ${from} with --currency ${from})`);
    this.name = 'CurrencyMixError';
  }
}

/** A malformed `--rate`. */
export class RateSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RateSpecError';
  }
}

/**
 * Parse "USD:EUR=0.92".
 * @example parseRate('USD:EUR=0.92') // { from: 'USD', to: 'EUR', rate: 0.92, stated: 'USD:EUR=0.92' }
 */
export function parseRate(text: string): StatedRate {
  const m = /^\s*([A-Za-z]{3})\s*:\s*([A-Za-z]{3})\s*=\s*([^\s]+)\s*$/.exec(text);
  if (!m) throw new RateSpecError(`--rate "${text}": expected FROM:TO=RATE, e.g. USD:EUR=0.92 (1 USD = 0.92 EUR)`);
  const from = m[1]!.toUpperCase();
  const to = m[2]!.toUpperCase();
  const rate = Number(m[3]);
  const problems: string[] = [];
  if (!isCurrency(from)) problems.push(`unknown currency "${m[1]}"`);
  if (!isCurrency(to)) problems.push(`unknown currency "${m[2]}"`);
  if (from === to) problems.push('the two currencies are the same');
  if (!Number.isFinite(rate) || rate <= 0) problems.push(`rate "${m[3]}" is not a positive number`);
  if (problems.length > 0) throw new RateSpecError(`--rate "${text}": ${problems.join('; ')} (accepted currencies: ${CURRENCIES.join(', ')})`);
  return { from, to, rate, stated: `${from}:${to}=${m[3]}` };
}

/**
 * The rates of one report. `factor` answers "how many `to` per `from`" or
 * null; `convert` does it or throws CurrencyMixError, and remembers what it
 * used so the report can list it.
 */
export class RateBook {
  private readonly used = new Map<string, UsedRate>();

  constructor(readonly rates: readonly StatedRate[]) {
    const seen = new Map<string, StatedRate>();
    for (const r of rates) {
      const key = [r.from, r.to].sort().join('/');
      const prev = seen.get(key);
      if (prev && !(prev.from === r.from && prev.rate === r.rate) && !(prev.from === r.to && Math.abs(prev.rate * r.rate - 1) < 1e-12)) {
        throw new RateSpecError(`--rate ${prev.stated} and --rate ${r.stated} disagree; give one rate per pair of currencies`);
      }
      seen.set(key, r);
    }
  }

  /** Multiplier from `from` to `to`, or null when no rate was stated. */
  factor(from: string, to: string): { rate: number; stated: StatedRate; inverse: boolean } | null {
    if (from === to) return null;
    for (const r of this.rates) {
      if (r.from === from && r.to === to) return { rate: r.rate, stated: r, inverse: false };
    }
    for (const r of this.rates) {
      if (r.from === to && r.to === from) return { rate: 1 / r.rate, stated: r, inverse: true };
    }
    return null;
  }

  canConvert(from: string, to: string): boolean {
    return from === to || this.factor(from, to) !== null;
  }

  /** Multiplier from `from` to `to` (1 for the same currency), or null; records nothing. */
  rateFor(from: string, to: string): number | null {
    if (from === to) return 1;
    return this.factor(from, to)?.rate ?? null;
  }

  /** Note that `what` was converted from `from` to `to`; throws CurrencyMixError without a rate. */
  record(from: string, to: string, what: string): void {
    if (from === to) return;
    const f = this.factor(from, to);
    if (!f) throw new CurrencyMixError(from, to, what);
    const key = `${from}>${to}`;
    let u = this.used.get(key);
    if (!u) {
      u = { from, to, rate: f.rate, stated: f.stated.stated, inverse: f.inverse, usedFor: [] };
      this.used.set(key, u);
    }
    if (!u.usedFor.includes(what)) u.usedFor.push(what);
  }

  /** `amount` in `from` expressed in `to`; `what` names the thing converted (for the report and errors). */
  convert(amount: number, from: string, to: string, what: string): number {
    if (from === to) return amount;
    this.record(from, to, what);
    return amount * this.rateFor(from, to)!;
  }

  /** Rates used so far, in the order first used. */
  usedRates(): UsedRate[] {
    return [...this.used.values()].map((u) => ({ ...u, usedFor: [...u.usedFor] }));
  }
}
