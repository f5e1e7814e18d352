/**
 * `mxsim validate FILE...`: check scenario files and report every problem in
 * each, with its path, what was expected and what was found.
 */
import { Command } from 'commander';
import { MxsimError } from '../errors.js';
import { loadScenarioFile, ScenarioError } from '../scenario/load.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { sizeCheck } from './preflight.js';

/** Commander's collect pattern, for repeatable options. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Validate each file; print `ok <file> (<name>)` to stdout (and its warnings to stderr) or the problems to stderr. Returns how many failed. */
export async function validateFiles(files: readonly string[], sets: readonly string[], io: Io): Promise<number> {
  let failed = 0;
  for (const file of files) {
    try {
      const { scenario, warnings } = await loadScenarioFile(file, [...sets]);
      io.out(`ok ${file} (${scenario.name})\n`);
      for (const w of warnings) io.err(cliMessages.warning(w));
      // Valid, but perhaps more than this machine can run: said, not refused (mxsim run refuses it without --allow-large).
      const { tooLarge } = sizeCheck(scenario, { verify: true });
      if (tooLarge !== null) io.err(cliMessages.warning(`${file}: ${tooLarge}`));
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      failed++;
      io.err(`${e.message}\n`);
    }
  }
  return failed;
}

export function validateCommand(io: Io): Command {
  return new Command('validate')
    .description('check scenario files and list every problem with its path')
    .argument('<file...>', 'scenario files (JSON)')
    .option('--set <path=value>', 'override a field before validating, e.g. population.users=500 (repeatable)', collect)
    .addHelpText('after', '\nExample:\n  mxsim validate scenarios/team-50.json\n  mxsim validate scenarios/*.json --set population.users=5000\n')
    .action(async function (this: Command, files: string[]) {
      const { set } = this.opts<{ set?: string[] }>();
      const failed = await validateFiles(files, set ?? [], io);
      // Each file's problems are printed above; this is the summary line and the exit code.
      if (failed > 0) throw new MxsimError('scenario.invalid', cliMessages.filesInvalid(failed, files.length));
    });
}
