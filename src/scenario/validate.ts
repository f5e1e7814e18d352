/**
 * Scenario validation: every problem at once, each with the path where it is,
 * what was expected and what was received.
 *
 *   population.devicesPerUsr: expected a known field (did you mean "devicesPerUser"?), got 2
 *
 * Two kinds of problems: what the grammar (src/scenario/grammar.ts) rejects,
 * reported here from zod's issues, and impossible combinations of fields that
 * the grammar cannot express (cross-field.ts).
 *
 * Besides problems, a valid scenario may carry warnings: choices that run
 * but deserve a word, such as an implementation name kept as an alias.
 *
 * A problem or a warning and its printed form are in problem.ts. All
 * user-facing wording of scenario problems and warnings lives in `messages`
 * (messages.ts), so tests compare with these functions rather than with
 * copied text.
 */
import type { z } from 'zod';
import { closeFederation } from './closed-federation.js';
import { crossFieldProblems } from './cross-field.js';
import { IMPLEMENTATION_ALIASES, ScenarioSchema, type Scenario } from './grammar.js';
import { messages } from './messages.js';
import { formatPath, renderValue, type Problem, type Warning } from './problem.js';
import { isPlainObject, knownKeysAt, schemaAt, valueAt } from './schema-walk.js';
import { closest } from './suggest.js';

export type ValidationResult = { ok: true; scenario: Scenario; warnings: Warning[] } | { ok: false; problems: Problem[] };

// ---------------------------------------------------------------------------
// zod issues -> problems

function ruleForIssue(issue: z.core.$ZodIssue, input: unknown, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const { schema, nullable } = schemaAt(ScenarioSchema, input, issue.path);
      const format = (schema as { format?: unknown } | undefined)?.format; // 'safeint' for z.number().int()
      const expected = issue.expected === 'number' && typeof format === 'string' && format.includes('int') ? 'int' : issue.expected;
      return messages.wrongType(expected, nullable, received === undefined);
    }
    case 'too_small': {
      const { origin, minimum: min, inclusive } = issue;
      if (origin === 'array' || origin === 'set') return issue.exact ? messages.itemsExactly(min) : messages.itemsAtLeast(min);
      if (origin === 'string') return Number(min) === 1 ? messages.nonEmptyString() : messages.charactersAtLeast(min);
      return inclusive ? messages.numberAtLeast(min) : messages.numberAbove(min);
    }
    case 'too_big': {
      const { origin, maximum: max, inclusive } = issue;
      if (origin === 'array' || origin === 'set') return issue.exact ? messages.itemsExactly(max) : messages.itemsAtMost(max);
      if (origin === 'string') return messages.charactersAtMost(max);
      return inclusive ? messages.numberAtMost(max) : messages.numberBelow(max);
    }
    case 'invalid_format': {
      // A custom message in the grammar says it best; zod's own start with "Invalid".
      if (!issue.message.startsWith('Invalid')) return issue.message;
      return 'pattern' in issue && typeof issue.pattern === 'string' ? messages.matching(issue.pattern) : issue.message;
    }
    case 'invalid_value':
      return messages.oneOf(issue.values);
    case 'invalid_union': {
      if ('options' in issue && Array.isArray(issue.options)) return messages.oneOf(issue.options);
      const rules = issue.errors.map((branch) => (branch[0] ? ruleForIssue(branch[0], undefined, received) : '')).filter((r) => r !== '');
      return rules.length > 0 ? messages.either([...new Set(rules.map((r) => r.replace(/ \(required\)$/, '')))]) : issue.message;
    }
    case 'not_multiple_of':
      return messages.multipleOf(issue.divisor);
    default:
      return issue.message;
  }
}

function problemsFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(input, issue.path);
      const container = valueAt(input, issue.path).value;
      for (const key of issue.keys) {
        const value = isPlainObject(container) ? container[key] : undefined;
        problems.push({
          path: formatPath([...issue.path, key]),
          rule: messages.unknownField(closest(key, known), known),
          received: renderValue(value),
        });
      }
      continue;
    }
    const at = valueAt(input, issue.path);
    // The value at the path in the input is what was received (zod's `input`
    // for a missing discriminator is the whole object, not what is missing).
    const received = at.broken && 'input' in issue ? issue.input : at.value;
    problems.push({ path: formatPath(issue.path), rule: ruleForIssue(issue, input, received), received: renderValue(received) });
  }
  return problems;
}
// ---------------------------------------------------------------------------
// Warnings: on a scenario that validates, read from the input as written.

function warningsOf(input: unknown): Warning[] {
  const warnings: Warning[] = [];
  const path = ['run', 'server', 'implementation'];
  const name = valueAt(input, path).value;
  if (typeof name === 'string' && Object.hasOwn(IMPLEMENTATION_ALIASES, name)) {
    warnings.push({ path: formatPath(path), message: messages.archivedImplementation(name, IMPLEMENTATION_ALIASES[name as keyof typeof IMPLEMENTATION_ALIASES]) });
  }
  return warnings;
}

// ---------------------------------------------------------------------------

/**
 * The problems of a value for one field, as the same value at `path` in a
 * file would have (the grammar's rule for that field alone, no cross-field
 * checks): for command-line options that stand for a field, such as `--seed`
 * for run.seed.
 *
 * @example fieldProblems(['run', 'seed'], '') // [{ path: 'run.seed', rule: 'a non-empty string', received: '""' }]
 */
export function fieldProblems(path: readonly string[], value: unknown): Problem[] {
  let input: unknown = value;
  for (const key of [...path].reverse()) input = Object.fromEntries([[key, input]]);
  const { schema } = schemaAt(ScenarioSchema, input, path);
  if (!schema) throw new Error(`${formatPath(path)} is not a field of the scenario grammar`);
  const parsed = (schema as unknown as z.ZodType).safeParse(value, { reportInput: true });
  if (parsed.success) return [];
  return problemsFromIssues(
    parsed.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] })),
    input,
  );
}

/**
 * Validate a scenario as read from JSON. Returns the normalized scenario
 * (defaults filled; a closed federation closed everywhere, closed-federation.ts)
 * with any warnings, or every problem found: the
 * grammar's, then the cross-field checks'.
 */
export function validateScenario(input: unknown): ValidationResult {
  const parsed = ScenarioSchema.safeParse(input, { reportInput: true });
  const problems = parsed.success ? [] : problemsFromIssues(parsed.error.issues, input);
  problems.push(...crossFieldProblems(input));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  const closed = closeFederation(parsed.data);
  return { ok: true, scenario: closed.scenario, warnings: [...warningsOf(input), ...closed.warnings] };
}
