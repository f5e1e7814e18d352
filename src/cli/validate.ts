/**
 * `mxsim validate FILE...`: check scenario files and report every problem in
 * each, with its path, what was expected and what was found.
 */
import { Command } from 'commander';
import { MxsimError } from '../errors.js';
import { formatProblem } from '../scenario/problem.js';
import { loadScenarioFile, ScenarioError } from '../scenario/load.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { outputOption, render, type OutputFormat, type ResultTable } from './output.js';
import { sizeCheck } from './preflight.js';

/** Commander's collect pattern, for repeatable options. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** One file's verdict (`mxsim validate --output json` prints a list of them). */
export interface FileVerdict {
  file: string;
  valid: boolean;
  /** The scenario's name, when it is valid. */
  scenario: string | null;
  /** Each problem as printed: `path: expected ..., got ...`. */
  problems: string[];
  warnings: string[];
}

/**
 * Validate each file. With `print` (the default table), print `ok <file> (<name>)` to stdout
 * (and its warnings to stderr) or the problems to stderr, as each file is read.
 */
export async function checkFiles(files: readonly string[], sets: readonly string[], io: Io, print: boolean): Promise<FileVerdict[]> {
  const verdicts: FileVerdict[] = [];
  for (const file of files) {
    try {
      const { scenario, warnings } = await loadScenarioFile(file, [...sets]);
      // Valid, but perhaps more than this machine can run: said, not refused (mxsim run refuses it without --allow-large).
      const { tooLarge } = sizeCheck(scenario, { verify: true });
      const all = [...warnings, ...(tooLarge === null ? [] : [`${file}: ${tooLarge}`])];
      verdicts.push({ file, valid: true, scenario: scenario.name, problems: [], warnings: all });
      if (print) io.out(`ok ${file} (${scenario.name})\n`);
      for (const w of all) io.err(cliMessages.warning(w));
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      verdicts.push({ file, valid: false, scenario: null, problems: e.problems.length > 0 ? e.problems.map(formatProblem) : [e.message], warnings: [] });
      // Each file's problems on stderr, whatever the output format: a script reads the verdict on stdout.
      io.err(`${e.message}\n`);
    }
  }
  return verdicts;
}

/** Validate each file; print `ok <file> (<name>)` to stdout (and its warnings to stderr) or the problems to stderr. Returns how many failed. */
export async function validateFiles(files: readonly string[], sets: readonly string[], io: Io): Promise<number> {
  return (await checkFiles(files, sets, io, true)).filter((v) => !v.valid).length;
}

/** The verdicts as a table: a row per file, its problems joined by line breaks. */
export function validateTable(verdicts: readonly FileVerdict[]): ResultTable {
  return { header: ['file', 'valid', 'scenario', 'problems'], rows: verdicts.map((v) => [v.file, String(v.valid), v.scenario, v.problems.join('\n')]) };
}

export function validateCommand(io: Io): Command {
  return new Command('validate')
    .description('check scenario files and list every problem with its path')
    .argument('<file...>', 'scenario files (JSON)')
    .option('--set <path=value>', 'override a field before validating, e.g. population.users=500 (repeatable)', collect)
    .addOption(outputOption('ok FILE (NAME) per valid file; problems on stderr'))
    .addHelpText(
      'after',
      '\nExample:\n  mxsim validate scenarios/team-50.json\n  mxsim validate scenarios/*.json --set population.users=5000\n  mxsim validate scenarios/*.json --output json\n',
    )
    .action(async function (this: Command, files: string[]) {
      const { set, output } = this.opts<{ set?: string[]; output?: OutputFormat }>();
      const format = output ?? 'table';
      const verdicts = await checkFiles(files, set ?? [], io, format === 'table');
      if (format !== 'table')
        io.out(render(format, { table: () => '', json: () => ({ files: verdicts, invalid: verdicts.filter((v) => !v.valid).length }), rows: () => validateTable(verdicts) }));
      const failed = verdicts.filter((v) => !v.valid).length;
      // Each file's problems are printed above; this is the summary line and the exit code.
      if (failed > 0) throw new MxsimError('scenario.invalid', cliMessages.filesInvalid(failed, files.length));
    });
}
