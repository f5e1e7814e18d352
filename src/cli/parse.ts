/** Argument parsers for commander options: each names the option and the value received. */
import { InvalidArgumentError } from 'commander';
import { fieldProblems } from '../scenario/validate.js';
import { cliMessages } from './messages.js';

/**
 * An integer option with a lower bound and, for an option that stands for a
 * scenario field (`--replications` for run.replications), that field's upper
 * bound.
 */
export function parseInteger(option: string, min: number, max?: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(max === undefined ? cliMessages.expectedInteger(option, min, value) : cliMessages.expectedIntegerBetween(option, min, max, value));
    }
    return n;
  };
}

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
