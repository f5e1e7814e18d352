/** Argument parsers for commander options: each names the option and the value received. */
import { InvalidArgumentError } from 'commander';
import { cliMessages } from './messages.js';

/** An integer option with a lower bound. */
export function parseInteger(option: string, min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(cliMessages.expectedInteger(option, min, value));
    }
    return n;
  };
}
