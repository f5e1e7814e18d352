/**
 * `mxsim merge DIR [DIR...]`: the shard folders of one sweep (each written
 * by `mxsim sweep ... --shard INDEX/COUNT --out DIR`) put together into the
 * first DIR, which gets the report a sweep run in one go writes, byte for
 * byte (src/experiments/sweep-folder.ts `mergeSweep`). Folders of different
 * plans (merge.plan, exit 3) or a run in none of them (merge.incomplete,
 * exit 9, each missing run listed) write nothing.
 */
import { Command } from 'commander';
import { mergeSweep } from '../experiments/sweep-folder.js';
import { sweepMessages } from '../experiments/sweep-messages.js';
import type { Io } from './io.js';
import { cliMessages } from './messages.js';
import { outputOption, type OutputFormat } from './output.js';
import { printSweep, writeSweepFolder } from './sweep.js';

export interface MergeCommandOptions {
  output?: OutputFormat;
  quiet?: boolean;
}

export async function mergeCommandAction(dirs: string[], o: MergeCommandOptions, io: Io, version: string): Promise<void> {
  const merged = mergeSweep(dirs, version);
  const note = (t: string) => io.err(cliMessages.warning(t));
  for (const p of merged.problems) note(sweepMessages.jobFileProblem(p.path, p.why, false));
  const dir = dirs[0]!;
  await writeSweepFolder(dir, merged.result, merged.plan, merged.keys, merged.rows, version, note);
  printSweep(io, o, merged.result, dir, version);
  if (!o.quiet) io.err(sweepMessages.mergeDone(dirs.length, merged.rows.length, dir));
}

export function mergeCommand(io: Io, version: string): Command {
  return new Command('merge')
    .description('put the shard folders of one sweep (mxsim sweep --shard INDEX/COUNT) together into the first folder, with the report a sweep run in one go writes')
    .argument('<dir...>', 'the --out folder of every shard (the first gets the report)')
    .addOption(outputOption('the design, what moves the answer, the folder'))
    .option('--quiet', 'no summary line on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  mxsim merge sweep/shard-0 sweep/shard-1 sweep/shard-2 sweep/shard-3\n  mxsim merge /data/sweep   (every shard wrote into the same --out)\n',
    )
    .action(async function (this: Command, dirs: string[]) {
      await mergeCommandAction(dirs, this.opts<MergeCommandOptions>(), io, version);
    });
}
