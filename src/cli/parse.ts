/**
 * Argument parsers for commander options: each names the option and the
 * value received. Options that stand for a scenario field are in
 * parse-field.ts, which loads the grammar (and zod): commands that need
 * neither (queue, worker) start without them.
 */
import { InvalidArgumentError } from 'commander';
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
