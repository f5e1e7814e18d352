/**
 * The model half of `npm run bench`: one replication of the national-rollout
 * scenario at a given size, one simulated day, with its deployment sized to
 * the users: every worker count and the database cores scaled from the
 * scenario's (written for its 300,000 users) in proportion, at least one
 * each, so that a million users are not simulated on a deployment drowning
 * in a backlog (which measures the backlog, not the model). bench.ts runs
 * this file in a child process so that the peak RSS reported is the model's
 * alone, not the engine bench's garbage. Prints exactly one JSON line
 * (ModelFigures) on stdout.
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
  /** Main-thread CPU (user + system) of the timed section, seconds: steadier than wall time on a busy machine. */
  cpuSeconds: number;
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

  const base = await loadScenarioFile(SCENARIO);
  const scale = users / base.scenario.population.users;
  const sized = Object.entries(base.scenario.run.server.workers).map(([kind, n]) => `run.server.workers.${kind}=${Math.max(1, Math.round(n * scale))}`);
  const { scenario } = await loadScenarioFile(SCENARIO, [
    `population.users=${users}`,
    'run.replications=1',
    ...sized,
    `run.server.databaseCores=${Math.max(1, Math.round(base.scenario.run.server.databaseCores * scale))}`,
  ]);
  // Timed from here: world building is part of what a user waits for.
  const started = performance.now();
  const cpu = process.cpuUsage();
  const r = simulateOnce(scenario, '1/0');
  const used = process.cpuUsage(cpu);
  const wallSeconds = (performance.now() - started) / 1000;

  const figures: ModelFigures = {
    scenario: scenario.name,
    users,
    simulatedDays: r.simulatedSeconds / 86400,
    wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
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
