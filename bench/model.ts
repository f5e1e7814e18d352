/**
 * The model half of `npm run bench`: one replication of the national-rollout
 * scenario at a given size, one simulated day. bench.ts runs this file in a
 * child process so that the peak RSS reported is the model's alone, not the
 * engine bench's garbage. Prints exactly one JSON line (ModelFigures) on stdout.
 *
 *   node --import tsx bench/model.ts --users 100000
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateOnce } from '../src/analysis/replicate.js';
import { loadScenarioFile } from '../src/scenario/load.js';

export interface ModelFigures {
  scenario: string;
  users: number;
  simulatedDays: number;
  wallSeconds: number;
  events: number;
  eventsPerSecond: number;
  peakRssBytes: number;
}

// Resolved from this file, so the bench works from any working directory.
const SCENARIO = fileURLToPath(new URL('../scenarios/national-300000.json', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '100000' } }, strict: true });
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 1) throw new RangeError(`--users must be a positive integer, got ${values.users}`);

  const { scenario } = await loadScenarioFile(SCENARIO, [`population.users=${users}`, 'run.replications=1']);
  // Timed from here: world building is part of what a user waits for.
  const started = performance.now();
  const r = simulateOnce(scenario, '1/0');
  const wallSeconds = (performance.now() - started) / 1000;

  const figures: ModelFigures = {
    scenario: scenario.name,
    users,
    simulatedDays: r.simulatedSeconds / 86400,
    wallSeconds,
    events: r.events,
    eventsPerSecond: r.events / wallSeconds,
    // maxRSS is in KiB; it covers Node and tsx too, which is what a user pays.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
