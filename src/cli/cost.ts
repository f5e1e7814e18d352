/**
 * `mxsim cost RUN_DIR|SCENARIO`: what a deployment costs to self-host on real
 * providers, month by month over the horizon, beside SaaS plans, with the
 * break-even and the inputs that move the total most.
 *
 * - RUN_DIR, a report folder written by `mxsim run`: reads its summary.json,
 *   data/storage-horizon.csv and the cost settings of its scenario.json;
 * - SCENARIO, a scenario file (.json): validates and simulates it (as
 *   `mxsim run` does, without writing a report), then costs it.
 *
 * Prices come from the catalogs in data/prices/ (plus --prices files); the
 * scenario's `cost` section sets currency, rates, providers and the rest, and
 * the options here override it.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runPipeline } from '../pipeline.js';
import type { Catalogs } from '../cost/catalog-schema.js';
import { loadCatalogs, readCatalogFile, readDefaultCatalogTexts } from '../cost/catalog.js';
import type { CostReport } from '../cost/cost-report.js';
import { estimateCost } from '../cost/estimate.js';
import { formatCostReport } from '../cost/format.js';
import { costInputsFromRun, parseStorageHorizonCsv } from '../cost/inputs.js';
import { costMessages } from '../cost/messages.js';
import { readDefaultReferenceRates } from '../cost/reference-rates.js';
import { COST_OPTION_RANGES } from '../cost/options.js';
import { inRange, parseDecimal, type NumberRange } from '../cost/range.js';
import { checkCostOptions, type RunSummary } from '../cost/run.js';
import { costOptions, mergeRates, type CostOverrides } from '../cost/settings.js';
import { MxsimError, present } from '../errors.js';
import { CostSettings, type Scenario } from '../scenario/grammar.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { Io } from './io.js';
import { costTable } from './cost-output.js';
import { cliMessages as msg } from './messages.js';
import { outputFormat, outputOption, render, type OutputFormat } from './output.js';
import { preflight } from './preflight.js';
import { readRunFolder } from './run-folder.js';
import { collect } from './validate.js';

export interface CostCommandOptions {
  prices?: string[];
  onlyPrices?: boolean;
  rate?: string[];
  provider?: string[];
  saas?: string[];
  use?: string[];
  currency?: string;
  vat?: 'included' | 'excluded';
  managedDb?: boolean;
  db?: 'same-host' | 'extra-host' | 'managed';
  labourRate?: number;
  labourHours?: number;
  billing?: 'annual' | 'monthly';
  cores?: number;
  ramGib?: number;
  processes?: number;
  horizonMonths?: number;
  /** `--set` overrides of a scenario file (a run folder was simulated already: a usage error). */
  set?: string[];
  allowLarge?: boolean;
  json?: boolean;
  output?: OutputFormat;
  /** List every catalog row left out (default: one line counting them). */
  verbose?: boolean;
  /** Commander's negation of --no-default-rates: false leaves the shipped reference rates out. */
  defaultRates?: boolean;
}

/**
 * A numeric option in its range (COST_OPTION_RANGES in src/cost/options.ts),
 * written as a plain decimal ("1_000" allowed): a value out of it is a usage
 * error (exit 2) naming the value as given.
 */
function parseInRange(option: string, range: NumberRange): (value: string) => number {
  return (value: string) => {
    const n = parseDecimal(value.replace(/_/g, ''));
    if (n === null || !inRange(n, range)) throw new InvalidArgumentError(msg.expectedInRange(option, costMessages.aNumber(range), value));
    return n;
  };
}

/** A numeric option's help: what it is and its range. */
const ranged = (help: string, range: NumberRange) => `${help}; ${costMessages.aNumber(range)}`;

/** A --prices file's text, read no further than a catalog may be long (readCatalogFile). */
function readPricesFile(path: string): string {
  if (!existsSync(path)) throw new MxsimError('input.unreadable', msg.notFound(path, msg.pricesFile()));
  try {
    return readCatalogFile(path);
  } catch (e) {
    if (e instanceof MxsimError) throw e;
    throw new MxsimError('input.unreadable', msg.cannotRead(path, e instanceof Error ? e.message : String(e)));
  }
}

/**
 * The price catalogs: data/prices (unless `onlyPrices`) and the `--prices`
 * files. Throws when a file is missing, or a CatalogError listing every
 * problem as FILE:LINE: column N (NAME): ...
 */
export function loadCostCatalogs(prices: readonly string[] = [], onlyPrices = false): Catalogs {
  const files = [...(onlyPrices ? [] : readDefaultCatalogTexts()), ...prices.map((f) => ({ file: f, text: readPricesFile(f) }))];
  if (files.length === 0) throw new MxsimError('usage', msg.onlyPricesNeedsPrices());
  const catalogs = loadCatalogs(files);
  // The shipped reference exchange rates come with the shipped catalogs.
  return onlyPrices ? catalogs : { ...catalogs, exchangeRates: readDefaultReferenceRates() };
}

/** The command line's cost options as overrides of a scenario's cost settings. */
export function costOverrides(o: CostCommandOptions): CostOverrides {
  return {
    currency: o.currency,
    rates: o.rate ?? [],
    providers: o.provider,
    saas: o.saas,
    use: o.use,
    database: o.managedDb ? 'managed' : o.db,
    databaseOption: o.managedDb ? '--managed-db' : undefined,
    billing: o.billing,
    vatIncluded: o.vat === undefined ? undefined : o.vat === 'included',
    labourRate: o.labourRate,
    labourHours: o.labourHours,
    ...(o.defaultRates === false ? { defaultRates: false } : {}),
  };
}

/** The run's growth and cost settings: from its scenario.json, or defaults when the folder has none. */
function runScenarioSettings(scenario: Scenario | null): { growthPerMonth?: number; cost: CostSettings } {
  return scenario === null ? { cost: CostSettings.parse({}) } : { growthPerMonth: scenario.population.growthPerMonth, cost: scenario.cost };
}

/** The `stated` texts of the rates a run was given (summary.json cost.rates, reference rates left out: they are not stated), unique, in order. */
function statedRatesOf(summary: RunSummary): string[] {
  return [...new Set((summary.cost?.rates ?? []).filter((r) => r.reference === undefined).map((r) => r.stated))];
}

/** Run the comparison for a run folder. */
export function costForRun(runDir: string, o: CostCommandOptions): CostReport {
  if ((o.set ?? []).length > 0) throw new MxsimError('usage', msg.setOnRunFolder(runDir));
  const summaryPath = join(runDir, 'summary.json');
  const storagePath = join(runDir, 'data', 'storage-horizon.csv');
  const scenarioPath = join(runDir, 'scenario.json');
  for (const file of [summaryPath, storagePath]) if (!existsSync(file)) throw new MxsimError('input.unreadable', msg.notFound(file, msg.runFolderFile()));
  // Every file checked, every problem of every file in one error, before anything is used.
  const run = readRunFolder(runDir, { scenario: true, tables: ['data/storage-horizon.csv'] });
  const { growthPerMonth, cost } = runScenarioSettings(run.scenario);
  // Rates the run was given on its command line (summary.json cost.rates) count as stated for this
  // folder. They came out of a run that checked them, so no message will name their source.
  const runRates = statedRatesOf(run.summary);
  const settings = { ...cost, rates: mergeRates(cost.rates, runRates) };
  const catalogs = loadCostCatalogs(o.prices, o.onlyPrices);
  const storage = parseStorageHorizonCsv(storagePath, present(run.tables['data/storage-horizon.csv'], 'data/storage-horizon.csv, checked to exist'));
  // An option the run cannot honour is a usage error, as for a scenario (costForScenario).
  const projected = storage.length - 1;
  if (o.horizonMonths !== undefined && projected >= 1 && o.horizonMonths > projected) {
    throw new MxsimError('usage', costMessages.horizonBeyondProjection(o.horizonMonths, projected));
  }
  const inputs = costInputsFromRun(run.summary, storage, {
    cores: o.cores,
    ramGiB: o.ramGib,
    processes: o.processes,
    horizonMonths: o.horizonMonths,
    growthPerMonth,
  });
  return estimateCost(inputs, catalogs, costOptions(settings, costOverrides(o), { file: scenarioPath, allOptions: true }));
}

/**
 * Validate and simulate a scenario file (no report written), then cost it
 * with its cost settings and the command line's. Options and catalogs are
 * checked before simulating.
 */
export async function costForScenario(file: string, o: CostCommandOptions, io: Io, version: string): Promise<CostReport> {
  // Pipeline steps 1-3.
  const loaded = await loadScenarioFile(file, o.set ?? []);
  for (const w of loaded.warnings) io.err(msg.warning(w));
  const { scenario } = loaded;
  preflight(scenario, { verify: true, allowLarge: o.allowLarge, quiet: !io.errIsTTY }, io);
  const catalogs = loadCostCatalogs(o.prices, o.onlyPrices);
  const options = costOptions(scenario.cost, costOverrides(o), { file, allOptions: true });
  // Unlike `mxsim run`, a missing exchange rate leaves nothing to print: an error.
  const missing = checkCostOptions(catalogs, options);
  if (missing !== null) throw missing;
  if (o.horizonMonths !== undefined && o.horizonMonths > scenario.run.horizonMonths) {
    throw new MxsimError('usage', msg.horizonLongerThanScenario(o.horizonMonths, scenario.run.horizonMonths));
  }
  if (io.errIsTTY) io.err(`simulating ${scenario.name} (${scenario.run.replications} replications) ...\n`);
  // Steps 4-6; step 7 with the command's own horizon below.
  const { run } = await runPipeline(loaded, { overrides: o.set ?? [], version });
  const inputs = costInputsFromRun(run.summary, run.storage, { horizonMonths: o.horizonMonths, growthPerMonth: scenario.population.growthPerMonth });
  return estimateCost(inputs, catalogs, options);
}

/** A scenario file rather than a report folder: a .json file. */
function isScenarioFile(path: string): boolean {
  if (existsSync(path)) return statSync(path).isFile();
  return path.toLowerCase().endsWith('.json');
}

export function costCommand(io: Io, version = 'unknown'): Command {
  return new Command('cost')
    .description('what a run or scenario costs to self-host on real providers over time, beside SaaS plans, with break-even and sensitivity')
    .argument(
      '<run_dir|scenario>',
      'report folder written by mxsim run (reads summary.json, data/storage-horizon.csv and scenario.json), or a scenario file (.json) to simulate and cost',
    )
    .option('--set <path=value>', 'override a field of a scenario file before simulating it, e.g. population.users=5000 (repeatable; not for a run folder)', collect)
    .option('--allow-large', 'simulate a scenario file even when its estimated memory or CPU time exceeds what this machine can do')
    .option('--prices <file>', 'an extra price catalog (CSV; kind from its header), added to data/prices (repeatable)', collect)
    .option('--only-prices', 'use only the --prices catalogs, not data/prices')
    .option(
      '--rate <from:to=rate>',
      "exchange rate, 1 FROM = RATE TO, e.g. USD:EUR=0.92; added to the scenario's cost.rates, replacing one for the same pair (repeatable)",
      collect,
    )
    .option('--currency <code>', "report currency (default: the scenario's cost.currency, USD)")
    .option('--provider <name>', "compare only this provider, or provider/region (repeatable; default: the scenario's cost.providers, else all)", collect)
    .option('--saas <name>', "compare only this SaaS vendor, or vendor/plan (repeatable; default: the scenario's cost.saas, else all)", collect)
    .option('--use <selector>', 'use a placeholder or historical row anyway: FILE:LINE, PROVIDER or PROVIDER/PRODUCT (repeatable)', collect)
    .addOption(new Option('--vat <basis>', "compare prices excl. or incl. VAT (default: the scenario's cost.vatIncluded, excluded)").choices(['excluded', 'included']))
    .option('--managed-db', "use the provider's managed PostgreSQL (same as --db managed)")
    .addOption(new Option('--db <placement>', "where PostgreSQL runs (default: the scenario's cost.database, same-host)").choices(['same-host', 'extra-host', 'managed']))
    .addOption(
      new Option('--labour-rate <x>', ranged('loaded labour rate per hour, in the report currency', COST_OPTION_RANGES.labourRate)).argParser(
        parseInRange('--labour-rate', COST_OPTION_RANGES.labourRate),
      ),
    )
    .addOption(
      new Option('--labour-hours <x>', ranged('operations hours per month (replaces the formula)', COST_OPTION_RANGES.labourHours)).argParser(
        parseInRange('--labour-hours', COST_OPTION_RANGES.labourHours),
      ),
    )
    .addOption(new Option('--billing <billing>', "SaaS billing where a plan has both prices (default: the scenario's cost.billing, annual)").choices(['annual', 'monthly']))
    .addOption(
      new Option('--cores <n>', ranged('homeserver cores at month 0 (when the run has no recommendation)', COST_OPTION_RANGES.cores)).argParser(
        parseInRange('--cores', COST_OPTION_RANGES.cores),
      ),
    )
    .addOption(
      new Option('--ram-gib <n>', ranged('homeserver RAM in GiB at month 0 (when the run has no recommendation)', COST_OPTION_RANGES.ramGiB)).argParser(
        parseInRange('--ram-gib', COST_OPTION_RANGES.ramGiB),
      ),
    )
    .addOption(
      new Option('--processes <n>', ranged('homeserver processes (when the run has no recommendation; > 1 means workers)', COST_OPTION_RANGES.processes)).argParser(
        parseInRange('--processes', COST_OPTION_RANGES.processes),
      ),
    )
    .addOption(
      new Option(
        '--horizon-months <n>',
        ranged("months to cost, no more than the run's storage horizon or the scenario's run.horizonMonths (the default)", COST_OPTION_RANGES.horizonMonths),
      ).argParser(parseInRange('--horizon-months', COST_OPTION_RANGES.horizonMonths)),
    )
    .addOption(outputOption('the cost report').conflicts('json'))
    .option('--no-default-rates', 'convert only with stated rates (--rate, cost.rates), not the reference rates of data/prices/exchange_rates.csv (ECB, dated)')
    .option('--verbose', 'list every catalog row left out (default: one line counting them)')
    .option('--json', 'print the full cost report as JSON (what mxsim run writes to data/cost.json; same as --output json)')
    .addHelpText(
      'after',
      `
Examples:
  mxsim cost reports/company-2000
  mxsim cost reports/company-2000 --currency EUR
  mxsim cost reports/company-2000 --currency EUR --provider Hetzner --verbose
  mxsim cost reports/company-2000 --currency EUR --rate USD:EUR=0.92 --labour-rate 55
  mxsim cost scenarios/company-2000.json --set population.users=5000 --set federation.mode=closed --currency EUR
  mxsim cost scenarios/company-2000.json --currency EUR --no-default-rates --rate USD:EUR=0.92
  mxsim cost reports/company-2000 --prices my-quote.csv --json`,
    )
    .action(async function (this: Command, target: string) {
      const o = this.opts<CostCommandOptions>();
      const report = isScenarioFile(target) ? await costForScenario(target, o, io, version) : costForRun(target, o);
      io.out(
        render(outputFormat(o), { table: () => formatCostReport(report, `Cost of ${target}`, { verbose: o.verbose === true }), json: () => report, rows: () => costTable(report) }),
      );
    });
}
