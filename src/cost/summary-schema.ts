/**
 * summary.json with its `cost` (`RunSummary`, run.ts) as a schema: the
 * summary's (src/analysis/summary-schema.ts) and, when the run was priced,
 * the trimmed `CostSummary`, every field with its type and range
 * (docs/OUTPUT.md). Readers of a run folder parse summary.json with it
 * (src/cli/run-folder.ts).
 */
import { z } from 'zod';
import {
  array,
  arrayOrNull,
  flag,
  integerAtLeast,
  name,
  nonNegative,
  nullableNumber,
  object,
  objectOrNull,
  oneOf,
  positive,
  SummarySchema,
  text,
  texts,
  anyNumber,
} from '../analysis/summary-schema.js';
import { summaryRules as rule } from '../analysis/messages.js';
import { CURRENCIES } from '../scenario/grammar.js';
import { COST_LINES, type CostLine, type DatabasePlacement } from './selfhost.js';

const DATABASE_PLACEMENTS = ['same-host', 'extra-host', 'managed'] as const satisfies readonly DatabasePlacement[];

const money = () => nonNegative();
const breakdown = object(Object.fromEntries(COST_LINES.map((line) => [line, money()])) as Record<CostLine, ReturnType<typeof money>>);

/** summary.json's `cost` (CostSummary, run.ts). */
export const CostSummarySchema = object({
  currency: oneOf(CURRENCIES),
  vatIncluded: flag(),
  billing: oneOf(['annual', 'monthly']),
  horizonMonths: integerAtLeast(1),
  rates: array(
    object({
      from: oneOf(CURRENCIES),
      to: oneOf(CURRENCIES),
      rate: positive(),
      stated: text(),
      inverse: flag(),
      usedFor: texts(),
      reference: object({ asOf: text(), source: text(), cross: flag() }).optional(),
    }),
  ),
  provider: z.string({ error: rule.orNull(rule.string()) }).nullable(),
  selfHost: objectOrNull({
    provider: name(),
    region: text(),
    database: oneOf(DATABASE_PLACEMENTS),
    monthly: money(),
    perUserMonthly: money(),
    averageMonthly: money().optional(),
    horizonTotal: money(),
    breakdown,
    byComponent: array(object({ name: name(), kind: name(), monthly: money() })),
  }),
  alternatives: arrayOrNull(object({ provider: name(), region: text().optional(), monthly: money(), horizonTotal: money() })),
  saas: arrayOrNull(object({ vendor: name(), plan: text(), pricePerUser: money(), monthly: money(), horizonTotal: money() })),
  breakEven: arrayOrNull(
    object({
      vendor: name(),
      plan: text(),
      provider: text(),
      month: nullableNumber(rule.numberAtLeast(0), (x) => x >= 0),
      users: nullableNumber(rule.numberAtLeast(0), (x) => x >= 0),
      statement: text(),
    }),
  ),
  sensitivity: objectOrNull({
    provider: text(),
    range: object({ low: anyNumber(), typical: anyNumber(), high: anyNumber() }),
    inputs: array(object({ input: text(), lowValue: text(), highValue: text(), totalAtLow: anyNumber(), totalAtHigh: anyNumber(), swing: anyNumber() })),
  }),
  labour: objectOrNull({
    rate: money(),
    currency: oneOf(CURRENCIES),
    basis: oneOf(['given', 'loaded labour cost', 'wage x loading']),
    region: text(),
    source: text(),
    hoursMonth1: money(),
    hoursAverage: money(),
    setupHours: money(),
    costMonth1: money(),
    shareMonth1: money(),
    horizonTotal: money(),
    shareHorizon: money(),
    override: text(),
  }).optional(),
  excludedSummary: text().optional(),
  notes: texts(),
  excludedRows: nullableNumber(rule.integerAtLeast(0), (x) => Number.isInteger(x) && x >= 0),
});

/** summary.json as `mxsim run` writes it: the summary and, once priced, its `cost`. */
export const RunSummarySchema = SummarySchema.extend({ cost: CostSummarySchema.optional() });
