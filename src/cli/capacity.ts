/**
 * `mxsim capacity SCENARIO`: what a scenario needs as it grows, in one of
 * three modes (src/experiments/capacity-*.ts):
 * - `--hardware cores=16,ramGiB=64` (or an instance of the compute catalogs,
 *   e.g. CCX43): the most users the machine holds, as a bracket with the
 *   confidence of each end and what runs out first;
 * - `--users N`: the cheapest deployment that meets the targets at N users,
 *   per implementation;
 * - `--table 500,2500,10000`: that for every size, as a reference table
 *   (and, with --out DIR, a folder with the table and its chart).
 * Every problem with the options is listed at once (exit 2) before the
 * scenario is read; simulations run through the pool (--jobs).
 */
import { defaultJobs } from '../analysis/pool.js';
import { Command, Option } from 'commander';
import { MxsimError } from '../errors.js';
import { checkCostOptions } from '../cost/run.js';
import { costOptions } from '../cost/settings.js';
import type { Catalogs } from '../cost/catalog-schema.js';
import { formatCount } from '../format/index.js';
import { IMPLEMENTATIONS, MAX_REPLICATIONS, MAX_USERS, type Implementation } from '../scenario/grammar.js';
import { loadScenarioFile } from '../scenario/load.js';
import { fieldProblems } from '../scenario/validate.js';
import { checkOutput, writeReport } from '../report/write.js';
import { capacityMessages as msg } from '../experiments/capacity-messages.js';
import { hardwareCapacity, hardwareFromCatalog, isHardwareSpec, parseHardwareSpec, type Hardware } from '../experiments/capacity-hardware.js';
import { hardwareRows, hardwareText, tableChartSpec, tableChartSvg, tableRows, tableText } from '../experiments/capacity-output.js';
import { capacityScenario } from '../experiments/capacity-run.js';
import { capacityTable, DEFAULT_IMPLEMENTATIONS } from '../experiments/capacity-table.js';
import { loadCostCatalogs } from './cost.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { jsonDocument, outputOption, render, renderTable, type OutputFormat } from './output.js';
import { preflight } from './preflight.js';
import { progressBar } from './progress.js';
import { collect } from './validate.js';

export interface CapacityCommandOptions {
  hardware?: string;
  users?: string;
  table?: string;
  implementations?: string;
  replications?: string;
  seed?: string;
  jobs?: string;
  currency?: string;
  provider?: string[];
  rate?: string[];
  set?: string[];
  output?: OutputFormat;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  allowLarge?: boolean;
}

/** Tasks run at once, at most. */
export const MAX_JOBS = 256;

/** The options, checked: every problem at once. */
export type CapacityRequest = (
  | { mode: 'hardware'; hardware: Hardware }
  | { mode: 'users'; users: number[]; implementations: Implementation[] }
  | { mode: 'table'; users: number[]; implementations: Implementation[] }
) & { replications: number; seed: string | undefined; jobs: number };

/** An integer from `min` to `max` as written ("10_000" allowed); null when it is not one. */
function integerIn(text: string, min: number, max: number): number | null {
  const t = text.trim().replace(/_/g, '');
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/**
 * Check the options of `mxsim capacity`; returns the request or throws one
 * usage error listing every problem, each with the value as written. The
 * compute catalogs are needed only for an instance name.
 */
export function capacityRequest(o: CapacityCommandOptions, catalogs: () => Catalogs): CapacityRequest {
  const problems: string[] = [];
  const given = (['hardware', 'users', 'table'] as const).filter((m) => o[m] !== undefined);
  if (given.length === 0) problems.push(msg.noMode());
  if (given.length > 1) problems.push(msg.twoModes(given.map((m) => `--${m} ${JSON.stringify(o[m])}`)));
  const mode = given[0];

  let hardware: Hardware | null = null;
  if (o.hardware !== undefined) {
    const parsed = isHardwareSpec(o.hardware) ? parseHardwareSpec(o.hardware) : hardwareFromCatalog(o.hardware, catalogs().compute);
    if ('problems' in parsed) problems.push(...parsed.problems);
    else hardware = parsed.hardware;
  }
  const users: number[] = [];
  if (o.users !== undefined) {
    const n = integerIn(o.users, 1, MAX_USERS);
    if (n === null) problems.push(msg.badCount('--users', 1, MAX_USERS, o.users));
    else users.push(n);
  }
  if (o.table !== undefined) {
    for (const entry of o.table.split(',')) {
      const n = integerIn(entry, 1, MAX_USERS);
      if (n === null) problems.push(msg.badTableEntry(entry, 1, MAX_USERS, o.table));
      else if (users.includes(n)) problems.push(msg.repeatedTableEntry(n, o.table));
      else users.push(n);
    }
  }
  const implementations: Implementation[] = [];
  if (o.implementations !== undefined) {
    if (o.users === undefined && o.table === undefined && o.hardware !== undefined) problems.push(msg.implementationsWithHardware(o.implementations));
    for (const name of o.implementations.split(',')) {
      const known = IMPLEMENTATIONS.find((i) => i === name.trim().toLowerCase());
      if (known === undefined) problems.push(msg.unknownImplementation(name, IMPLEMENTATIONS));
      else if (!implementations.includes(known)) implementations.push(known);
    }
  }
  if (o.out !== undefined && o.table === undefined) problems.push(msg.outWithoutTable(o.out));
  if (o.users === undefined && o.table === undefined && o.hardware !== undefined) {
    if (o.currency !== undefined) problems.push(msg.costOptionWithHardware('--currency', o.currency));
    for (const p of o.provider ?? []) problems.push(msg.costOptionWithHardware('--provider', p));
    for (const r of o.rate ?? []) problems.push(msg.costOptionWithHardware('--rate', r));
  }
  const replications = o.replications === undefined ? (mode === 'hardware' ? 3 : 1) : integerIn(o.replications, 1, MAX_REPLICATIONS);
  if (replications === null) problems.push(msg.badCount('--replications', 1, MAX_REPLICATIONS, o.replications ?? ''));
  const jobs = o.jobs === undefined ? defaultJobs() : integerIn(o.jobs, 1, MAX_JOBS);
  if (jobs === null) problems.push(msg.badCount('--jobs', 1, MAX_JOBS, o.jobs ?? ''));
  if (o.seed !== undefined) for (const p of fieldProblems(['run', 'seed'], o.seed)) problems.push(msg.badSeed(p.rule, p.received));

  if (problems.length > 0) throw new MxsimError('usage', problems.length === 1 ? problems[0]! : [msg.problems(problems.length), ...problems.map((p) => `  ${p}`)].join('\n'));
  const common = { replications: replications ?? 1, seed: o.seed, jobs: jobs ?? 1 };
  if (mode === 'hardware' && hardware !== null) return { mode, hardware, ...common };
  const impls = implementations.length > 0 ? implementations : [...DEFAULT_IMPLEMENTATIONS];
  return { mode: mode === 'users' ? 'users' : 'table', users, implementations: impls, ...common };
}

export async function capacityCommandAction(file: string, o: CapacityCommandOptions, io: Io, version: string): Promise<void> {
  let catalogs: Catalogs | null = null;
  const loadCatalogs = () => (catalogs ??= loadCostCatalogs([]));
  const request = capacityRequest(o, loadCatalogs);
  const format = o.output ?? 'table';
  if (request.mode === 'table' && o.out !== undefined) checkOutput(o.out, o.force === true, { onNote: (n) => io.err(cliMessages.warning(n)) });

  const loaded = await loadScenarioFile(file, o.set ?? []);
  for (const w of loaded.warnings) io.err(cliMessages.warning(w));
  const s = loaded.scenario;
  const seed = request.seed ?? String(s.run.seed);
  const quiet = o.quiet === true;
  const progress = progressBar(io, !quiet && io.errIsTTY);
  const say = (line: string) => {
    if (!quiet && !io.errIsTTY) io.err(line);
  };
  const started = performance.now();
  const pool = { jobs: request.jobs };

  if (request.mode === 'hardware') {
    const maxProbes = 10;
    const h = request.hardware;
    const result = await hardwareCapacity(s, h, {
      seed,
      replications: request.replications,
      sha256: loaded.sha256,
      version,
      maxProbes,
      pool,
      checkProbe: (users) => void preflight(capacityScenario(s, users), { replications: 1, verify: true, allowLarge: o.allowLarge, quiet: true }, io),
      onReplication: (probe, users, done) =>
        progress.update(
          Math.min(1, (probe + done / request.replications) / maxProbes),
          `probe ${probe + 1}: ${formatCount(users)} users, replication ${done}/${request.replications}`,
        ),
      onProbe: (p, i) => say(`probe ${i + 1}: ${formatCount(p.users)} users ${p.holds ? 'hold' : 'fail'} (${p.meeting.met}/${p.meeting.of} replications)\n`),
    });
    progress.stop();
    io.out(render(format, { table: () => hardwareText(result), json: () => result, rows: () => hardwareRows(result) }));
  } else {
    const cat = loadCatalogs();
    const options = costOptions(s.cost, { currency: o.currency, rates: o.rate ?? [], providers: o.provider }, { file, allOptions: true });
    const missing = checkCostOptions(cat, options);
    if (missing !== null) throw missing;
    const largest = Math.max(...request.users);
    for (const implementation of request.implementations)
      preflight(capacityScenario(s, largest, implementation), { replications: request.replications, verify: true, allowLarge: o.allowLarge, quiet }, io);
    const table = await capacityTable(s, {
      users: request.users,
      implementations: request.implementations,
      seed,
      replications: request.replications,
      sha256: loaded.sha256,
      version,
      catalogs: cat,
      cost: options,
      pool,
      onRow: (done, total, users, implementation) => {
        progress.update(done / total, `${formatCount(users)} users on ${implementation}`);
        say(`${done}/${total}: ${formatCount(users)} users on ${implementation}\n`);
      },
    });
    progress.stop();
    if (request.mode === 'table' && o.out !== undefined) {
      const rows = tableRows(table);
      const files = new Map<string, string>([
        ['table.md', renderTable(rows, 'markdown')],
        ['table.csv', renderTable(rows, 'csv')],
        ['table.json', jsonDocument(table)],
        ['capacity.vl.json', jsonDocument(tableChartSpec(table))],
        ['capacity.svg', await tableChartSvg(table)],
      ]);
      await writeReport(o.out, files, o.force === true, version, (n) => io.err(cliMessages.warning(n)));
    }
    io.out(render(format, { table: () => tableText(table), json: () => table, rows: () => tableRows(table) }));
    if (o.out !== undefined && !quiet) io.err(`folder: ${o.out}\n`);
  }
  if (!quiet) io.err(`capacity: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

export function capacityCommand(io: Io, version: string): Command {
  return new Command('capacity')
    .description('how far a scenario goes on a machine (--hardware), the cheapest deployment for N users (--users), or a reference table of sizes (--table)')
    .argument('<scenario>', 'scenario file (JSON)')
    .option('--hardware <spec>', 'cores=N,ramGiB=N, or an instance of the compute catalogs (e.g. CCX43): the most users it holds')
    .option('--users <n>', 'the cheapest deployment that meets the targets at N users, per implementation')
    .option('--table <list>', 'user counts separated by commas (e.g. 500,2500,10000,50000): a reference table, one row per size and implementation')
    .option(
      '--implementations <list>',
      `implementations for --users and --table, separated by commas (default ${DEFAULT_IMPLEMENTATIONS.join(',')}; from ${IMPLEMENTATIONS.join(', ')})`,
    )
    .option('--replications <n>', 'replications per simulation (default 1 for --users and --table, 3 per probe for --hardware)')
    .option('--seed <seed>', "seed (default: the scenario's run.seed)")
    .option('--jobs <n>', 'simulations run at once, on worker threads; the results are the same for any number (default: the cores available)')
    .option('--currency <code>', "currency of the costs (default: the scenario's cost.currency)")
    .option('--provider <name>', 'price only this provider, or provider/region (repeatable)', collect)
    .option('--rate <from:to=rate>', 'exchange rate, 1 FROM = RATE TO, e.g. USD:EUR=0.92 (repeatable)', collect)
    .option('--set <path=value>', 'override a scenario field, e.g. features.presence=false (repeatable)', collect)
    .addOption(outputOption('the bracket, or the table'))
    .option('--out <dir>', 'with --table: also write a folder with table.md, table.csv, table.json and the chart (capacity.svg, capacity.vl.json)')
    .option('--force', 'replace an existing --out folder (only one mxsim wrote)')
    .option('--quiet', 'no progress on stderr')
    .addOption(new Option('--allow-large', 'simulate even when a size is estimated to exceed what this machine can do'))
    .addHelpText(
      'after',
      '\nExamples:\n  mxsim capacity scenarios/company-2000.json --hardware cores=16,ramGiB=64\n  mxsim capacity scenarios/company-2000.json --hardware CCX43\n  mxsim capacity scenarios/company-2000.json --users 5000 --implementations synapse,tuwunel,dendrite --currency EUR\n  mxsim capacity scenarios/company-2000.json --table 500,2500,10000 --out reports/capacity --output markdown\n',
    )
    .action(async function (this: Command, file: string) {
      await capacityCommandAction(file, this.opts<CapacityCommandOptions>(), io, version);
    });
}
