/**
 * Currencies, the exchange rates a user states, and the dated reference rates
 * mxsim ships.
 *
 * Every price keeps its currency. A figure moves to another currency through
 * a rate the user gave (`--rate USD:EUR=0.92`: 1 USD = 0.92 EUR; its inverse
 * for the opposite direction, reported as such) or, for a pair no user rate
 * covers, through the shipped reference rates (data/prices/exchange_rates.csv:
 * the ECB euro reference rates of one stated date, reference-rates.ts). A
 * reference rate is used directly to or from EUR, or as a cross rate through
 * EUR between two other currencies (1 USD = GBP per EUR / USD per EUR); user
 * rates are never chained. Every conversion in a report names the rate used:
 * the text the user typed, or the reference rate with its date and source
 * (and, for a cross rate, both legs). `--no-default-rates` leaves the
 * reference rates out, so only stated rates convert.
 */
import { CURRENCIES } from '../scenario/limits.js';
import { CurrencyMixError, RateSpecError } from './errors.js';
import { costMessages as msg } from './messages.js';
import { inRange, parseDecimal, type NumberRange } from './range.js';
import { OPTION_SOURCES, type SettingSource } from './sources.js';
import type { ReferenceRate } from './catalog-schema.js';

export type Currency = string;

/** The codes of the scenario grammar (`cost.currency`); catalogs and rates accept the same. */
const KNOWN: ReadonlySet<string> = new Set(CURRENCIES);

export function isCurrency(code: string): boolean {
  return KNOWN.has(code);
}

/**
 * The range of a stated rate, written as a plain decimal. The currencies
 * accepted are within a factor of a few thousand of each other, so a rate
 * outside 1e-6 ... 1e6 is a typo (or a rate and its inverse confused with a
 * unit); it also keeps the inverse and every converted price finite.
 */
export const RATE_RANGE: NumberRange = { min: 1e-6, max: 1e6 };

/** A rate as the user stated it: 1 `from` = `rate` `to`. */
export interface StatedRate {
  from: string;
  to: string;
  rate: number;
  /** The text as given, e.g. "USD:EUR=0.92". */
  stated: string;
  /** Where it was given, when known (for messages; never reported). */
  source?: SettingSource;
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
  /** Set when the rate is a shipped reference rate (not stated by the user): its date and source, and whether it is a cross rate through EUR. */
  reference?: { asOf: string; source: string; cross: boolean };
}

/** How a conversion is made: a stated rate (or its inverse), or a reference rate (direct, inverse or cross). */
interface Factor {
  rate: number;
  /** The text for the report: the stated rate, or the reference rate(s) used. */
  stated: string;
  inverse: boolean;
  reference?: { asOf: string; source: string; cross: boolean };
}

/** "1 EUR = 1.1534 USD (ECB reference rate, 2026-08-13)". */
function describeReference(r: ReferenceRate): string {
  return `1 ${r.base} = ${r.rate} ${r.currency}`;
}

/**
 * Parse "USD:EUR=0.92". `source` says where the text was given, for the
 * error (RateSpecError) and for a later disagreement; it is kept on the
 * result only when given. The rate is a plain decimal in RATE_RANGE.
 * @example parseRate('USD:EUR=0.92') // { from: 'USD', to: 'EUR', rate: 0.92, stated: 'USD:EUR=0.92' }
 */
export function parseRate(text: string, source?: SettingSource): StatedRate {
  const where = source ?? OPTION_SOURCES.rates;
  const [, fromText, toText, rateText] = /^\s*([A-Za-z]{3})\s*:\s*([A-Za-z]{3})\s*=\s*([^\s]+)\s*$/.exec(text) ?? [];
  if (fromText === undefined || toText === undefined || rateText === undefined) throw new RateSpecError(where, msg.rateForm(where, text));
  const from = fromText.toUpperCase();
  const to = toText.toUpperCase();
  const rate = parseDecimal(rateText) ?? NaN;
  const problems: string[] = [];
  if (!isCurrency(from)) problems.push(msg.unknownRateCurrency(fromText));
  if (!isCurrency(to)) problems.push(msg.unknownRateCurrency(toText));
  if (from === to) problems.push(msg.sameCurrencies());
  if (!inRange(rate, RATE_RANGE)) problems.push(msg.rateOutOfRange(rateText, RATE_RANGE));
  if (problems.length > 0) throw new RateSpecError(where, msg.rateProblems(where, text, problems));
  return { from, to, rate, stated: `${from}:${to}=${rateText}`, ...(source ? { source } : {}) };
}

/**
 * Rates as given (text, or already parsed), parsed; `sources` says where
 * each text was given (a text not in it is a `--rate`). Throws RateSpecError.
 * @example parseRates(['USD:EUR=0.92'], new Map()) // [{ from: 'USD', to: 'EUR', rate: 0.92, stated: 'USD:EUR=0.92' }]
 */
export function parseRates(rates: readonly (string | StatedRate)[], sources: ReadonlyMap<string, SettingSource>): StatedRate[] {
  return rates.map((r) => (typeof r === 'string' ? parseRate(r, sources.get(r)) : r));
}

/**
 * The rates of one report. `factor` answers "how many `to` per `from`" or
 * null; `convert` does it or throws CurrencyMixError, and remembers what it
 * used so the report can list it.
 */
export class RateBook {
  private readonly used = new Map<string, UsedRate>();

  /**
   * `rates`: the user's; `reference`: the shipped reference rates (base EUR),
   * used for a pair the user's rates do not cover.
   */
  constructor(
    readonly rates: readonly StatedRate[],
    readonly reference: readonly ReferenceRate[] = [],
  ) {
    const seen = new Map<string, StatedRate>();
    for (const r of rates) {
      const key = [r.from, r.to].sort().join('/');
      const prev = seen.get(key);
      if (prev && !(prev.from === r.from && prev.rate === r.rate) && !(prev.from === r.to && Math.abs(prev.rate * r.rate - 1) < 1e-12)) {
        const [a, b] = [prev.source ?? OPTION_SOURCES.rates, r.source ?? OPTION_SOURCES.rates];
        throw new RateSpecError(a, msg.ratesDisagree(prev.stated, a, r.stated, b));
      }
      seen.set(key, r);
    }
  }

  /** Multiplier from `from` to `to`: a stated rate, else a reference rate; null when there is neither. */
  factor(from: string, to: string): Factor | null {
    if (from === to) return null;
    for (const r of this.rates) {
      if (r.from === from && r.to === to) return { rate: r.rate, stated: r.stated, inverse: false };
    }
    for (const r of this.rates) {
      if (r.from === to && r.to === from) return { rate: 1 / r.rate, stated: r.stated, inverse: true };
    }
    return this.referenceFactor(from, to);
  }

  /** A reference rate from `from` to `to`: direct, inverse or cross through the base (EUR). */
  private referenceFactor(from: string, to: string): Factor | null {
    const of = (c: string) => this.reference.find((r) => r.currency === c);
    const base = this.reference[0]?.base;
    if (base === undefined) return null;
    const a = from === base ? null : of(from);
    const b = to === base ? null : of(to);
    if ((from !== base && !a) || (to !== base && !b)) return null;
    const legs = [a, b].filter((x): x is ReferenceRate => x !== null && x !== undefined);
    // 1 FROM = (TO per base) / (FROM per base) TO.
    const rate = (b?.rate ?? 1) / (a?.rate ?? 1);
    const dates = [...new Set(legs.map((l) => l.asOf))].join(' and ');
    const sources = [...new Set(legs.map((l) => `${l.source} (${l.file}:${l.line})`))].join('; ');
    const cross = legs.length === 2;
    const stated = cross
      ? `cross rate through ${base} of the reference rates ${legs.map(describeReference).join(' and ')} of ${dates}`
      : `reference rate ${legs.map(describeReference).join('')} of ${dates}`;
    return { rate, stated, inverse: !cross && from !== base, reference: { asOf: dates, source: sources, cross } };
  }

  canConvert(from: string, to: string): boolean {
    return from === to || this.factor(from, to) !== null;
  }

  /** Multiplier from `from` to `to` (1 for the same currency), or null; records nothing. */
  rateFor(from: string, to: string): number | null {
    if (from === to) return 1;
    return this.factor(from, to)?.rate ?? null;
  }

  /** Note that `what` was converted from `from` to `to`, and return the rate; throws CurrencyMixError without a rate. */
  record(from: string, to: string, what: string): number {
    if (from === to) return 1;
    const f = this.factor(from, to);
    if (!f) throw new CurrencyMixError(from, to, what);
    const key = `${from}>${to}`;
    let u = this.used.get(key);
    if (!u) {
      u = { from, to, rate: f.rate, stated: f.stated, inverse: f.inverse, usedFor: [], ...(f.reference ? { reference: { ...f.reference } } : {}) };
      this.used.set(key, u);
    }
    if (!u.usedFor.includes(what)) u.usedFor.push(what);
    return f.rate;
  }

  /** `amount` in `from` expressed in `to`; `what` names the thing converted (for the report and errors). */
  convert(amount: number, from: string, to: string, what: string): number {
    if (from === to) return amount;
    return amount * this.record(from, to, what);
  }

  /** Rates used so far, in the order first used. */
  usedRates(): UsedRate[] {
    return [...this.used.values()].map((u) => ({ ...u, usedFor: [...u.usedFor], ...(u.reference ? { reference: { ...u.reference } } : {}) }));
  }
}
