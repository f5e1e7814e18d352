/**
 * The mxsim command line. The only layer that touches the terminal; every
 * command writes through an `Io` so tests run it in-process.
 *
 * Pipeline of a run (each step a module):
 *   1. load      scenario file (JSON)                   src/scenario/load.ts
 *   2. validate  every problem at once, with its path   src/scenario/validate.ts
 *   3. normalize defaults filled (`Scenario`)           src/scenario/grammar.ts
 *   4. simulate  (scenario, seed) x replications, pure  src/model/
 *   5. summarize CIs, per-day figures, storage horizon  src/analysis/
 *   6. cost      self-hosting vs SaaS, price catalogs   src/cost/
 *   7. render    summary.json, CSV, charts, HTML, MD    src/report/
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, MxsimError } from '../errors.js';
import { paint } from './colour.js';
import { compareCommand } from './compare.js';
import { completionCommand } from './completion.js';
import { costCommand } from './cost.js';
import { processIo, type Io } from './io.js';
import { initCommand } from './init.js';
import { cliMessages } from './messages.js';
import { MAX_CUSTOMERS, MAX_SERVERS, MAX_TOTAL_CUSTOMERS, queueCommand } from './queue.js';
import { MAX_READ_BACK_BYTES } from './read-back.js';
import { MAX_CPU_SECONDS } from '../analysis/preflight.js';
import { MAX_CATALOG_BYTES, MAX_CATALOG_COLUMNS, MAX_CATALOG_ROWS } from '../cost/catalog-schema.js';
import { MAX_REPLICATIONS } from '../scenario/grammar.js';
import { MAX_JSON_DEPTH, MAX_SCENARIO_FILE_BYTES } from '../scenario/json.js';
import { runCommand } from './run.js';
import { schemaCommand } from './schema.js';
import { validateCommand } from './validate.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

/** mxsim's version, written into every output so results can be traced. */
export const VERSION: string = pkg.version;

/**
 * Where commander writes: help and version to stdout, and its own usage
 * errors (an unknown option, a missing argument, a value an option's parser
 * refused) in mxsim's one format, `mxsim: error[usage]: ...`.
 */
function output(io: Io) {
  return {
    writeOut: (s: string) => io.out(s),
    writeErr: (s: string) => io.err(s),
    outputError: (s: string, write: (s: string) => void) => write(cliMessages.error('usage', s.replace(/^error: /, '').trimEnd())),
  };
}

export function buildProgram(io: Io): Command {
  const program = new Command('mxsim')
    .description('Capacity and cost simulator for Matrix homeservers')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput(output(io))
    .exitOverride();
  program.addHelpText(
    'after',
    `
${cliMessages.exitCodes()}

${cliMessages.limits({
  scenarioMiB: MAX_SCENARIO_FILE_BYTES / 2 ** 20,
  depth: MAX_JSON_DEPTH,
  catalogMiB: MAX_CATALOG_BYTES / 2 ** 20,
  catalogRows: MAX_CATALOG_ROWS,
  catalogColumns: MAX_CATALOG_COLUMNS,
  readBackMiB: MAX_READ_BACK_BYTES / 2 ** 20,
  cpuHours: MAX_CPU_SECONDS / 3600,
  replications: MAX_REPLICATIONS,
  queueServers: MAX_SERVERS,
  queueCustomers: MAX_CUSTOMERS,
  queueTotal: MAX_TOTAL_CUSTOMERS,
})}

Examples:
  mxsim run scenarios/company-2000.json
  mxsim cost reports/company-2000 --currency EUR --rate USD:EUR=0.92
  mxsim compare reports/company-2000 reports/no-presence
  mxsim validate scenarios/*.json
  mxsim schema > scenario.schema.json
  mxsim queue --servers 4 --arrival exp:3.2 --service exp:1 --customers 1000000
  mxsim init --users 5000 --federation closed --currency EUR --out my.json
  mxsim run scenarios/team-50.json --output json --strict
  mxsim completion bash > ~/.local/share/bash-completion/completions/mxsim

Output: --output table|json|csv|markdown on run, cost, compare, queue and validate
(results on stdout, progress and warnings on stderr; docs/OUTPUT.md "Command-line output").
Colour only on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 forces it.`,
  );
  for (const cmd of [
    runCommand(io, VERSION),
    costCommand(io, VERSION),
    compareCommand(io, VERSION),
    validateCommand(io),
    schemaCommand(io),
    queueCommand(io),
    initCommand(io),
    completionCommand(io, () => program),
  ]) {
    program.addCommand(cmd.exitOverride().configureOutput(output(io)));
  }
  return program;
}

/**
 * Run the CLI on `argv` (as in process.argv) and return the exit code.
 * Commands throw; `reportError` turns what they threw into the exit code.
 */
export async function main(argv: string[], processOrTestIo: Io = processIo): Promise<number> {
  const io = colouredErrors(processOrTestIo);
  const program = buildProgram(io);
  try {
    if (argv.length <= 2) throw new MxsimError('usage', cliMessages.noCommand());
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    return reportError(e, io);
  }
}

/**
 * The Io with the `mxsim: error[...]` and `mxsim: warning:` prefixes on
 * stderr in red and yellow when stderr takes colour (src/cli/colour.ts);
 * everything else passes unchanged.
 */
export function colouredErrors(io: Io): Io {
  if (io.errColour !== true) return io;
  return {
    ...io,
    out: (text) => io.out(text),
    err: (text) => io.err(text.replace(/^(mxsim: error\[[^\]]*\]:|mxsim: warning:|warning:)/gm, (prefix) => paint(prefix, prefix.includes('error') ? 'fail' : 'warn', true))),
  };
}

/**
 * The one place where errors meet the process: nothing else maps an error
 * to an exit code or prints it. A user's mistake (an MxsimError) prints one
 * message with its code, `mxsim: error[code]: message`, and exits with its
 * exit code; anything else is a bug and prints one line (exit 1; its stack
 * trace too when MXSIM_DEBUG=1).
 * Commander prints its own usage errors (and help and version) before they
 * arrive here. The codes are listed in docs/ERRORS.md.
 */
export function reportError(e: unknown, io: Io): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (e instanceof MxsimError) {
    io.err(cliMessages.error(e.code, e.message));
    return e.exitCode;
  }
  // A bug. The stack trace is for whoever fixes it, printed only when asked
  // for (MXSIM_DEBUG=1); the user gets one line naming what went wrong.
  const debug = process.env['MXSIM_DEBUG'] === '1';
  const detail = e instanceof Error ? (debug ? (e.stack ?? e.message) : `${e.name}: ${e.message}`) : String(e);
  io.err(cliMessages.internal(detail, debug));
  return EXIT.internal;
}
