/**
 * The wording of what a summary.json field must hold (summary-schema.ts),
 * for the problems of a summary read back: each rule completes the sentence
 * "expected ...", as the scenario's rules do (src/scenario/messages.ts).
 * Tests compare with these functions rather than with copied text.
 */

const quote = (s: unknown) => JSON.stringify(s);

export const summaryRules = {
  number: () => 'a number',
  numberAtLeast: (min: number) => `a number >= ${min}`,
  numberAbove: (min: number) => `a number > ${min}`,
  numberAboveAtMost: (min: number, max: number) => `a number > ${min} and <= ${max}`,
  share: () => 'a number from 0 to 1',
  integerAtLeast: (min: number) => `an integer >= ${min}`,
  integerFromTo: (min: number, max: number) => `an integer from ${min} to ${max}`,
  /** A rule that also accepts null (what summary.json writes for a value that is not a finite number). */
  orNull: (rule: string) => `${rule} or null`,
  string: () => 'a string',
  nonEmptyString: () => 'a non-empty string',
  sha256: () => 'a SHA-256 in 64 hexadecimal digits',
  boolean: () => 'true or false',
  object: () => 'an object',
  objectOrNull: () => 'an object or null',
  array: () => 'an array',
  arrayOrNull: () => 'an array or null',
  oneOf: (values: readonly unknown[]) => (values.length === 1 ? quote(values[0]) : `one of ${values.map(quote).join(', ')}`),
  stat: () => 'a Stat, {"mean": m, "ci95": [low, high]}',
  interval: () => 'an interval [low, high] of two numbers (or two nulls)',
  /** A Stat whose mean lies outside its interval, or has a mean and no interval (or the reverse). */
  statInterval: () => 'a Stat with low <= mean <= high, or mean and both bounds null',
};

/** The job queue (src/analysis/work-queue.ts): its URL, its connection, the results it gives back. */
export const queueMessages = {
  badUrl: (url: string) => `--queue: expected a Redis URL, redis://HOST[:PORT][/DB] or rediss://... for TLS, got ${quote(url)}`,
  unreachable: (url: string, reason: string, seconds: number) =>
    `cannot reach the job queue at ${quote(url)}: ${reason} (a first connection is given ${seconds} s); start Redis there, or check the host, port and password (docs/QUEUE.md)`,
  timedOut: () => 'no answer',
  wrongKey: (index: number, asked: string, got: unknown) =>
    `task ${index}: the queue's result carries the key ${quote(got)}, expected ${quote(asked)}; is another program writing to this Redis?`,
  badResult: (index: number, key: string, why: string) => `task ${index} (${key}): the queue's result cannot be used: ${why}`,
  moduleOutside: (module: string, root: string) =>
    `task module ${quote(module)} is not a file of mxsim's src/, dist/ or test/ folder (${root}): only mxsim's own modules run on a queue`,
  taskFailed: (index: number, module: string, name: string, reason: string) => `task ${index} (${name} of ${module}) failed on a worker: ${reason}`,
};
