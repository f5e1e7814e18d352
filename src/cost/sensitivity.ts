/**
 * Sensitivity of the self-host horizon total (tornado data).
 *
 * Each input is moved to a low and a high value, one at a time, the others
 * as given, and the horizon total recomputed on the same provider (hosts
 * re-picked). Ranges (SENSITIVITY_RANGES):
 * - users (at month 0; cores, RAM, storage and egress scale with them): x0.7 / x1.3
 * - messages per user (database storage and egress): x0.7 / x1.3
 * - media per user (media storage): x0.7 / x1.3
 * - compute price (instances and managed PostgreSQL plans): x0.7 / x1.3
 * - storage price (block, object, snapshot, managed storage): x0.7 / x1.3
 * - egress price: x0.7 / x1.3
 * - labour rate: x0.7 / x1.3
 * - labour hours (operations and setup): x0.7 / x1.3
 * - growth per month: 0 / 2 x the scenario's (0 / 1% when the scenario has none);
 *   storage is regrown as in `regrow`
 *
 * Rows are ranked by swing = |total at high - total at low|.
 *
 * Range of the headline: `typical` is the total as given; `low` puts every
 * input at the end that gave the lower total and `high` every input at the
 * end that gave the higher one, all at once (not the tornado's envelope, which
 * is narrower). It is a bound on these inputs moving together, not a
 * confidence interval.
 */
import type { CostInputs } from './inputs.js';
import type { Offer } from './offers.js';
import { project, type SelfHostSettings, type Variation } from './selfhost.js';

export interface TornadoRow {
  input: string;
  /** What "low" and "high" mean, e.g. "x0.7", "0%/month". */
  lowValue: string;
  highValue: string;
  totalAtLow: number;
  totalAtHigh: number;
  swing: number;
}

export interface SensitivityResult {
  provider: string;
  inputs: TornadoRow[];
  range: { low: number; typical: number; high: number; method: string };
}

type Key = Exclude<keyof Variation, 'growth'>;

export const SENSITIVITY_RANGES: { input: string; key: Key; low: number; high: number }[] = [
  { input: 'users', key: 'users', low: 0.7, high: 1.3 },
  { input: 'messages per user (database storage, egress)', key: 'messages', low: 0.7, high: 1.3 },
  { input: 'media per user (media storage)', key: 'media', low: 0.7, high: 1.3 },
  { input: 'compute price', key: 'computePrice', low: 0.7, high: 1.3 },
  { input: 'storage price', key: 'storagePrice', low: 0.7, high: 1.3 },
  { input: 'egress price', key: 'egressPrice', low: 0.7, high: 1.3 },
  { input: 'labour rate', key: 'labourRate', low: 0.7, high: 1.3 },
  { input: 'labour hours', key: 'labourHours', low: 0.7, high: 1.3 },
];

/** Growth range: 0 to twice the scenario's, or 0 to 1% a month when it has none. */
export function growthRange(g: number): { low: number; high: number } {
  return g > 0 ? { low: 0, high: 2 * g } : g < 0 ? { low: 2 * g, high: 0 } : { low: 0, high: 0.01 };
}

const pct = (g: number) => `${(g * 100).toFixed(2).replace(/\.?0+$/, '')}%/month`;

export function sensitivity(o: Offer, inputs: CostInputs, s: SelfHostSettings, base: Variation): SensitivityResult {
  const total = (v: Variation) => project(o, inputs, s, v).horizonTotal;
  const typical = total(base);
  const rows: (TornadoRow & { lowVar: Partial<Variation>; highVar: Partial<Variation> })[] = [];
  for (const r of SENSITIVITY_RANGES) {
    const lowVar = { [r.key]: base[r.key] * r.low } as Partial<Variation>;
    const highVar = { [r.key]: base[r.key] * r.high } as Partial<Variation>;
    const lo = total({ ...base, ...lowVar });
    const hi = total({ ...base, ...highVar });
    rows.push({ input: r.input, lowValue: `x${r.low}`, highValue: `x${r.high}`, totalAtLow: lo, totalAtHigh: hi, swing: Math.abs(hi - lo), lowVar, highVar });
  }
  const gr = growthRange(base.growth);
  const lowVar = { growth: gr.low };
  const highVar = { growth: gr.high };
  const gl = total({ ...base, ...lowVar });
  const gh = total({ ...base, ...highVar });
  rows.push({ input: 'growth per month', lowValue: pct(gr.low), highValue: pct(gr.high), totalAtLow: gl, totalAtHigh: gh, swing: Math.abs(gh - gl), lowVar, highVar });
  rows.sort((a, b) => b.swing - a.swing || a.input.localeCompare(b.input));
  let lowAll: Variation = { ...base };
  let highAll: Variation = { ...base };
  for (const r of rows) {
    const [cheap, dear] = r.totalAtLow <= r.totalAtHigh ? [r.lowVar, r.highVar] : [r.highVar, r.lowVar];
    lowAll = { ...lowAll, ...cheap };
    highAll = { ...highAll, ...dear };
  }
  return {
    provider: o.label,
    inputs: rows.map(({ lowVar: _l, highVar: _h, ...row }) => row),
    range: {
      low: total(lowAll),
      typical,
      high: total(highAll),
      method: 'low and high: every input of the tornado at its cheaper (dearer) end at once, on the headline provider; typical: inputs as given',
    },
  };
}
