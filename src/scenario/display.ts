/**
 * What a run is called and how it is described when `--set` overrides
 * changed its scenario: the one place that says so, used by the loader (the
 * description of the scenario as run), the report (its title) and the CLI
 * (the headline). A scenario's own name and description describe the file as
 * written; once an override changes it, they no longer hold as written
 * ("A 2,000-person company" run with population.users=5000), so the title
 * says "modified" and lists each override as given, and the description keeps
 * the original only after "Based on:".
 */
import { messages } from './messages.js';

/** How a scenario is shown: its title, its description, and the overrides that changed it (empty when none). */
export interface ScenarioDisplay {
  /** The scenario's name, or `name (modified: a=1, b=2)`. */
  title: string;
  /** The description, or one that says it was modified, lists the overrides, and then quotes the original as "Based on: ...". */
  description: string;
  /** Each `--set` override as given (path=value), in order. */
  modifications: string[];
}

/** The title of a run of scenario `name` with `overrides` (`--set`, as given): the name itself when there are none. */
export function displayTitle(name: string, overrides: readonly string[]): string {
  return overrides.length === 0 ? name : messages.modifiedTitle(name, overrides);
}

/**
 * The description of a run with `overrides`: the scenario's own when there
 * are none. Idempotent: a description that already says exactly these
 * overrides is returned as it is (a run's scenario.json read back with them).
 */
export function displayDescription(description: string, overrides: readonly string[]): string {
  if (overrides.length === 0) return description;
  const prefix = messages.modifiedDescription(overrides, '');
  return description.startsWith(prefix) ? description : messages.modifiedDescription(overrides, description);
}

/** Title, description and modifications of a scenario run with `overrides`. */
export function scenarioDisplay(name: string, description: string, overrides: readonly string[]): ScenarioDisplay {
  return { title: displayTitle(name, overrides), description: displayDescription(description, overrides), modifications: [...overrides] };
}
