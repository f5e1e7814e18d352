/** The parser of commander options that stand for a field of the scenario (it loads the grammar, and zod). */
import { InvalidArgumentError } from 'commander';
import { fieldProblems } from '../scenario/validate.js';
import { cliMessages } from './messages.js';

/**
 * An option that stands for a string field of the scenario (`--seed` for
 * run.seed): refused by the field's own rule, as the same value in a file
 * would be, but as an option (exit 2).
 */
export function parseField(option: string, path: readonly string[]): (value: string) => string {
  return (value: string) => {
    const problems = fieldProblems(path, value);
    if (problems.length > 0) throw new InvalidArgumentError(problems.map((p) => cliMessages.optionExpected(option, p.rule, p.received)).join('; '));
    return value;
  };
}
