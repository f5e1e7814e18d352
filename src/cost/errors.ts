/**
 * The errors of the cost layer, each an MxsimError with its code (the table
 * in src/errors.ts and docs/ERRORS.md). Their wording is in messages.ts.
 */
import { EXIT, MxsimError } from '../errors.js';
import type { CatalogProblem } from './catalog-schema.js';
import { costMessages } from './messages.js';
import type { SettingSource } from './sources.js';

/** The codes of settings that can be given as an option or as a field of a file. */
export type CostSettingCode = 'cost.rate' | 'cost.currency' | 'cost.provider' | 'cost.saas' | 'cost.use' | 'cost.database' | 'cost.labour';

/**
 * A cost setting that cannot be honoured (unknown provider, bad currency...).
 * A bad option is a usage error (exit 2), a bad field of a file is invalid
 * input (exit 3), as for every other option and file.
 */
export class CostOptionError extends MxsimError {
  constructor(
    code: CostSettingCode,
    /** Where the setting came from. */
    readonly source: SettingSource,
    message: string,
  ) {
    super(code, message, source.file === undefined ? EXIT.usage : EXIT.invalidInput);
    this.name = 'CostOptionError';
  }
}

/** A malformed exchange rate, or two rates for one pair that disagree. */
export class RateSpecError extends CostOptionError {
  constructor(source: SettingSource, message: string) {
    super('cost.rate', source, message);
    this.name = 'RateSpecError';
  }
}

/** Mixing two currencies with no rate between them. */
export class CurrencyMixError extends MxsimError {
  constructor(
    readonly from: string,
    readonly to: string,
    /** What needed the rate: a provider, a SaaS plan, "labour rate". */
    readonly what: string,
  ) {
    super('cost.rate-missing', costMessages.missingRate(from, to, what));
    this.name = 'CurrencyMixError';
  }
}

/** Inputs that are wrong or missing (a bad run folder, or an option the run needs). */
export class CostInputError extends MxsimError {
  constructor(readonly problems: readonly string[]) {
    super('cost.input', problems.join('\n'));
    this.name = 'CostInputError';
  }
}

/** Every problem found in the catalogs given, at once. */
/** Problems printed per catalog file; the rest are counted (a file broken on every line would print hundreds of thousands). */
export const MAX_CATALOG_PROBLEMS_PER_FILE = 100;

/** Each file's first problems, then how many more it has. */
function shownProblems(problems: readonly CatalogProblem[]): string[] {
  const lines: string[] = [];
  const perFile = new Map<string, number>();
  for (const p of problems) {
    const n = (perFile.get(p.file) ?? 0) + 1;
    perFile.set(p.file, n);
    if (n <= MAX_CATALOG_PROBLEMS_PER_FILE) lines.push(`  ${costMessages.catalogProblem(p)}`);
  }
  for (const [file, n] of perFile)
    if (n > MAX_CATALOG_PROBLEMS_PER_FILE) lines.push(`  ${costMessages.moreCatalogProblems(file, n - MAX_CATALOG_PROBLEMS_PER_FILE, MAX_CATALOG_PROBLEMS_PER_FILE)}`);
  return lines;
}

export class CatalogError extends MxsimError {
  constructor(readonly problems: readonly CatalogProblem[]) {
    super('catalog.invalid', [costMessages.catalogHeadline(problems.length), ...shownProblems(problems)].join('\n'));
    this.name = 'CatalogError';
  }
}
