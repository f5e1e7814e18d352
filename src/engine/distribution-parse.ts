/**
 * Distributions from text: `parseDistribution` reads the command line's
 * `kind:params` specs (`mxsim queue`), and `parseEmpiricalCsv` builds an
 * empirical distribution from CSV text (the caller reads the file).
 */
import { parse } from 'csv-parse/sync';
import { MxsimError, present } from '../errors.js';
import { empirical, poisson, zipf } from './discrete-distributions.js';
import type { Distribution } from './distribution-base.js';
import { createStream } from './random.js';
import { deterministic, erlang, exponential, exponentialRate, gamma, lognormal, normal, pareto, truncatedNormal, uniform } from './distributions.js';

/** Strict number parsing: rejects '', whitespace and trailing junk, unlike parseFloat/Number alone. */
function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const x = Number(t);
  return Number.isNaN(x) ? undefined : x;
}

/**
 * Builds an `empirical` distribution from CSV text (the caller reads the file).
 * The header must contain a `value` column and may contain a `weight` column
 * (names case-insensitive; other columns are ignored). Every data row must
 * have a finite numeric value and, if weighted, a finite weight >= 0. All bad
 * rows are reported in one Error, each with its line number and the offending
 * text.
 *
 * @param text the CSV content, e.g. "value,weight\n0.1,5\n0.4,1\n".
 * @example parseEmpiricalCsv('value\n1\n2\n6\n').mean // 3
 */
export function parseEmpiricalCsv(text: string): Distribution {
  type Row = { record: string[]; info: { lines: number } };
  let rows: Row[];
  try {
    rows = parse(text, {
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as Row[];
  } catch (err) {
    throw new Error(`empirical CSV: cannot parse: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const [head, ...data] = rows;
  if (head === undefined) throw new Error('empirical CSV: no header row (expected a "value" column)');
  const header = head.record.map((h) => h.trim().toLowerCase());
  const valueCol = header.indexOf('value');
  const weightCol = header.indexOf('weight');
  if (valueCol < 0) {
    throw new Error(`empirical CSV: header (line ${head.info.lines}) has no "value" column; found columns: ${head.record.map((h) => JSON.stringify(h)).join(', ')}`);
  }
  const values: number[] = [];
  const weights: number[] = [];
  const problems: string[] = [];
  for (const { record, info } of data) {
    const rawValue = record[valueCol];
    const value = rawValue === undefined ? undefined : parseNumber(rawValue);
    const rowProblems: string[] = [];
    if (rawValue === undefined) rowProblems.push('value missing');
    else if (value === undefined || !Number.isFinite(value)) rowProblems.push(`value ${JSON.stringify(rawValue)} is not a finite number`);
    let weight = 1;
    if (weightCol >= 0) {
      const rawWeight = record[weightCol];
      const w = rawWeight === undefined ? undefined : parseNumber(rawWeight);
      if (rawWeight === undefined) rowProblems.push('weight missing');
      else if (w === undefined || !Number.isFinite(w) || w < 0) {
        rowProblems.push(`weight ${JSON.stringify(rawWeight)} is not a finite number >= 0`);
      } else weight = w;
    }
    if (rowProblems.length > 0) problems.push(`line ${info.lines}: ${rowProblems.join(', ')}`);
    else {
      values.push(value as number);
      weights.push(weight);
    }
  }
  if (problems.length > 0) {
    throw new Error(`empirical CSV: ${problems.length} bad row${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`);
  }
  if (values.length === 0) throw new Error('empirical CSV: no data rows after the header');
  try {
    return weightCol >= 0 ? empirical(values, weights) : empirical(values);
  } catch (err) {
    throw new Error(`empirical CSV: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

// ---------------------------------------------------------------------------
// CLI spec parser
// ---------------------------------------------------------------------------

interface SpecKind {
  readonly form: string;
  readonly minParams: number;
  readonly maxParams: number;
  readonly separator: ',' | ';';
  build(p: readonly number[]): Distribution;
}

/** Parameter `i` of a spec, which parseDistribution has counted against `minParams` before `build`. */
const at = (p: readonly number[], i: number): number => present(p[i], `parameter ${i + 1} of a distribution spec`);

const SPEC_KINDS: ReadonlyMap<string, SpecKind> = new Map<string, SpecKind>([
  ['det', { form: 'det:VALUE', minParams: 1, maxParams: 1, separator: ',', build: (p) => deterministic(at(p, 0)) }],
  ['uniform', { form: 'uniform:LO,HI', minParams: 2, maxParams: 2, separator: ',', build: (p) => uniform(at(p, 0), at(p, 1)) }],
  ['exp', { form: 'exp:RATE', minParams: 1, maxParams: 1, separator: ',', build: (p) => exponentialRate(at(p, 0)) }],
  ['expmean', { form: 'expmean:MEAN', minParams: 1, maxParams: 1, separator: ',', build: (p) => exponential(at(p, 0)) }],
  ['normal', { form: 'normal:MEAN,SD', minParams: 2, maxParams: 2, separator: ',', build: (p) => normal(at(p, 0), at(p, 1)) }],
  ['tnormal', { form: 'tnormal:MEAN,SD', minParams: 2, maxParams: 2, separator: ',', build: (p) => truncatedNormal(at(p, 0), at(p, 1)) }],
  ['lognormal', { form: 'lognormal:MEAN,CV', minParams: 2, maxParams: 2, separator: ',', build: (p) => lognormal(at(p, 0), at(p, 1)) }],
  ['gamma', { form: 'gamma:MEAN,CV', minParams: 2, maxParams: 2, separator: ',', build: (p) => gamma(at(p, 0), at(p, 1)) }],
  ['erlang', { form: 'erlang:K,MEAN', minParams: 2, maxParams: 2, separator: ',', build: (p) => erlang(at(p, 0), at(p, 1)) }],
  ['pareto', { form: 'pareto:ALPHA,XMIN[,XMAX]', minParams: 2, maxParams: 3, separator: ',', build: (p) => pareto(at(p, 0), at(p, 1), p[2]) }],
  ['zipf', { form: 'zipf:N,S', minParams: 2, maxParams: 2, separator: ',', build: (p) => zipf(at(p, 0), at(p, 1)) }],
  ['poisson', { form: 'poisson:LAMBDA', minParams: 1, maxParams: 1, separator: ',', build: (p) => poisson(at(p, 0)) }],
  ['empirical', { form: 'empirical:V1;V2;V3', minParams: 1, maxParams: Infinity, separator: ';', build: (p) => empirical(p) }],
]);

/**
 * Every accepted `parseDistribution` form, for help text and error messages.
 *
 * @example DISTRIBUTION_FORMS.join(', ') // "det:VALUE, uniform:LO,HI, exp:RATE, ..."
 */
export const DISTRIBUTION_FORMS: readonly string[] = Object.freeze([...SPEC_KINDS.values()].map((k) => k.form));

/**
 * A distribution spec that cannot be used (code `distribution.spec`). The
 * message names the spec received, the reason, and lists every accepted form.
 */
export class DistributionSpecError extends MxsimError {
  /** The spec string exactly as received. */
  readonly spec: string;
  /** Why it was rejected (without the spec or the list of forms). */
  readonly reason: string;

  /**
   * @param spec the spec as received.
   * @param reason what is wrong with it.
   * @example new DistributionSpecError('foo:1', 'unknown kind "foo"')
   */
  constructor(spec: string, reason: string, options?: { cause?: unknown }) {
    super('distribution.spec', `bad distribution ${JSON.stringify(spec)}: ${reason}; accepted forms: ${DISTRIBUTION_FORMS.join(', ')}`, undefined, options);
    this.name = 'DistributionSpecError';
    this.spec = spec;
    this.reason = reason;
  }
}

/**
 * Parses a CLI distribution spec of the form `kind:params` (see
 * `DISTRIBUTION_FORMS`). `exp:RATE` takes a rate (mean 1/RATE, the queueing
 * convention); `expmean:MEAN` takes the mean. `tnormal` truncates at 0.
 * `empirical` values are separated by `;`. Any problem (unknown kind, wrong
 * parameter count, non-numeric or out-of-range parameter) throws a
 * `DistributionSpecError` naming the spec.
 *
 * @param spec e.g. "exp:3.2", "lognormal:2,0.5", "pareto:1.5,1,1000", "empirical:1;2;6".
 * @example parseDistribution('exp:4').mean // 0.25
 */
export function parseDistribution(spec: string): Distribution {
  if (typeof spec !== 'string') throw new DistributionSpecError(String(spec), 'spec must be a string');
  const text = spec.trim();
  const colon = text.indexOf(':');
  if (colon < 0) throw new DistributionSpecError(spec, 'expected KIND:PARAMS');
  const kindName = text.slice(0, colon).trim().toLowerCase();
  const kind = SPEC_KINDS.get(kindName);
  if (kind === undefined) throw new DistributionSpecError(spec, `unknown kind ${JSON.stringify(kindName)}`);
  const body = text.slice(colon + 1).trim();
  const parts = body === '' ? [] : body.split(kind.separator);
  if (parts.length < kind.minParams || parts.length > kind.maxParams) {
    const expected =
      kind.maxParams === Infinity ? `at least ${kind.minParams}` : kind.minParams === kind.maxParams ? `${kind.minParams}` : `${kind.minParams} to ${kind.maxParams}`;
    throw new DistributionSpecError(spec, `${kindName} takes ${expected} parameter${expected === '1' ? '' : 's'} (${kind.form}), got ${parts.length}`);
  }
  const params: number[] = [];
  const bad: string[] = [];
  parts.forEach((part, i) => {
    const x = parseNumber(part);
    if (x === undefined) bad.push(`parameter ${i + 1} (${JSON.stringify(part.trim())}) is not a number`);
    else params.push(x);
  });
  if (bad.length > 0) throw new DistributionSpecError(spec, bad.join(', '));
  params.forEach((x, i) => {
    if (Math.abs(x) > MAX_PARAMETER) bad.push(`parameter ${i + 1} (${parts[i]?.trim() ?? x}) is beyond ${MAX_PARAMETER.toExponential()} in magnitude`);
  });
  if (CV_KINDS.has(kindName)) {
    const cv = params[1] ?? 1;
    if (cv < MIN_CV || cv > MAX_CV) bad.push(`the coefficient of variation (${parts[1]?.trim() ?? cv}) must be from ${MIN_CV} to ${MAX_CV}`);
  }
  if (bad.length > 0) throw new DistributionSpecError(spec, bad.join(', '));
  let d: Distribution;
  try {
    d = kind.build(params);
  } catch (err) {
    if (err instanceof RangeError) throw new DistributionSpecError(spec, err.message, { cause: err });
    throw err;
  }
  if (!Number.isFinite(d.mean) || d.mean < 0) throw new DistributionSpecError(spec, `its mean must be a finite number >= 0, and these parameters give ${d.mean}`);
  // A probe: parameters within range can still give draws a double cannot hold (a lognormal's tail, a gamma's shape).
  const rng = createStream('distribution-probe', kindName);
  for (let i = 0; i < PROBE_DRAWS; i++) {
    const x = d.sample(rng);
    if (!Number.isFinite(x) || x < 0) throw new DistributionSpecError(spec, `it draws ${x}, not a finite number >= 0, with these parameters`);
  }
  return d;
}

/** Largest magnitude of a spec's parameter. */
export const MAX_PARAMETER = 1e12;
/** Forms whose second parameter is a coefficient of variation, and its range. */
const CV_KINDS = new Set(['lognormal', 'gamma']);
export const MIN_CV = 0.001;
export const MAX_CV = 100;
/** Draws that must all be finite and >= 0 for a spec to be accepted. */
const PROBE_DRAWS = 1000;
