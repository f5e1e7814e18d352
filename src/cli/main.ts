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
import { processIo, type Io } from './io.js';
import { cliMessages } from './messages.js';

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

/** A command, loaded when it is the one asked for (or for help and completion). */
type CommandLoader = (io: Io, program: () => Command) => Promise<Command>;

/**
 * Every command, by name, each imported only when needed: a command that
 * does not draw a report never loads Vega, resvg or the simulation model
 * (`mxsim validate` and `mxsim queue` start in a fraction of the time).
 */
const COMMANDS: [string, CommandLoader][] = [
  ['run', async (io) => (await import('./run.js')).runCommand(io, VERSION)],
  ['cost', async (io) => (await import('./cost.js')).costCommand(io, VERSION)],
  ['capacity', async (io) => (await import('./capacity.js')).capacityCommand(io, VERSION)],
  ['compare', async (io) => (await import('./compare.js')).compareCommand(io, VERSION)],
  ['sweep', async (io) => (await import('./sweep.js')).sweepCommand(io, VERSION)],
  ['merge', async (io) => (await import('./merge.js')).mergeCommand(io, VERSION)],
  ['calibrate', async (io) => (await import('./calibrate.js')).calibrateCommand(io, VERSION)],
  ['validate', async (io) => (await import('./validate.js')).validateCommand(io)],
  ['schema', async (io) => (await import('./schema.js')).schemaCommand(io)],
  ['queue', async (io) => (await import('./queue.js')).queueCommand(io)],
  ['init', async (io) => (await import('./init.js')).initCommand(io)],
  ['worker', async (io) => (await import('./worker.js')).workerCommand(io)],
  ['completion', async (io, program) => (await import('./completion.js')).completionCommand(io, program)],
];

/** The limits printed under `mxsim --help`, from the modules that enforce them. */
async function limitsHelp(): Promise<string> {
  const [preflight, catalog, grammar, json, queue, readBack] = await Promise.all([
    import('../analysis/preflight.js'),
    import('../cost/catalog-schema.js'),
    import('../scenario/grammar.js'),
    import('../scenario/json.js'),
    import('./queue.js'),
    import('./read-back.js'),
  ]);
  return cliMessages.limits({
    scenarioMiB: json.MAX_SCENARIO_FILE_BYTES / 2 ** 20,
    depth: json.MAX_JSON_DEPTH,
    catalogMiB: catalog.MAX_CATALOG_BYTES / 2 ** 20,
    catalogRows: catalog.MAX_CATALOG_ROWS,
    catalogColumns: catalog.MAX_CATALOG_COLUMNS,
    readBackMiB: readBack.MAX_READ_BACK_BYTES / 2 ** 20,
    cpuHours: preflight.MAX_CPU_SECONDS / 3600,
    replications: grammar.MAX_REPLICATIONS,
    queueServers: queue.MAX_SERVERS,
    queueCustomers: queue.MAX_CUSTOMERS,
    queueTotal: queue.MAX_TOTAL_CUSTOMERS,
  });
}

/**
 * The program with every command (`only`: with that command alone, when
 * argv names one; the others are not even imported).
 */
export async function buildProgram(io: Io, only?: string): Promise<Command> {
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

${only === undefined ? await limitsHelp() : ''}

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
  mxsim sweep scenarios/company-2000.json --vary population.users=500..8000:log:5 --vary features.presence=true,false
  mxsim capacity scenarios/company-2000.json --hardware cores=16,ramGiB=64
  mxsim worker --queue redis://localhost:6379
  mxsim calibrate --metrics metrics/ --scenario my-server.json --out my-server.calibration.json

Output: --output table|json|csv|markdown on run, cost, compare, sweep, capacity, queue and validate
(results on stdout, progress and warnings on stderr; docs/OUTPUT.md "Command-line output").
Colour only on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 forces it.`,
  );
  for (const [name, load] of COMMANDS) {
    if (only !== undefined && name !== only) continue;
    const cmd = await load(io, () => program);
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
  try {
    if (argv.length <= 2) throw new MxsimError('usage', cliMessages.noCommand());
    // A named command other than completion (which lists them all) needs only itself.
    const name = argv[2];
    // --version needs none.
    const only = name === '--version' || name === '-V' ? '' : name !== 'completion' && COMMANDS.some(([n]) => n === name) ? name : undefined;
    const program = await buildProgram(io, only);
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
