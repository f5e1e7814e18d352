/**
 * The model half of `npm run bench`: one replication of the national-rollout
 * scenario at a given size, one simulated day, with its deployment sized to
 * the users by mxsim's own sizing (src/server/sizing.ts `sizeForLoad`), so
 * that a million users are not simulated on a deployment drowning in a
 * backlog (which measures the backlog, not the model). The offered load of
 * each process kind comes from an untimed pilot run at a smaller size
 * (`--pilot`, default 10,000 users) scaled in proportion to the users: the
 * CPU each user offers is flat in users (docs/MODEL.md), and sizing from a
 * run of the full size would cost a second run of it. bench.ts runs this
 * file in a child process so that the peak RSS reported is the model's
 * alone. Prints exactly one JSON line (ModelFigures) on stdout.
 *
 * The implementation is tuwunel unless `--implementation` says otherwise: it
 * is the one implementation whose sized deployment holds at every size of
 * the bench, so every size times the model rather than queues that never
 * drain. Every Synapse worker follows the whole replication stream, whose
 * cost per worker grows with the users (6.25 ms a row for community Synapse,
 * 0.75 ms for Synapse Pro's, vendor figures), so their sized deployments
 * grow faster than the users and then stop holding: community Synapse at
 * 100,000 users had 604 workers at about 0.65 of a core each before any
 * request; Synapse Pro at 300,000 reaches the 500-worker cap of the sync
 * workers, and at 1,000,000 a simulation of its saturated workers ran past
 * 9 GiB in 10 minutes. tuwunel is one multi-threaded process sized in cores
 * (46 at 1,000,000 users). An implementation without workers is run with
 * `run.server.deployment=monolith`, as the scenario's own workers would be
 * refused.
 *
 *   node --import tsx bench/model.ts --users 100000
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateOnce } from '../src/analysis/replicate.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { WORKER_IMPLEMENTATIONS, type Implementation, type Scenario } from '../src/scenario/grammar.js';
import { offeredLoads, sizeForLoad, type OfferedLoads } from '../src/server/sizing.js';
import { withDeployment, type Deployment } from '../src/server/topology.js';

export interface ModelFigures {
  scenario: string;
  users: number;
  simulatedDays: number;
  wallSeconds: number;
  /** The deployment simulated: process counts by kind and PostgreSQL cores, or one process's cores and its embedded store. */
  deployment: string;
  /** Users of the untimed pilot run whose offered load, scaled, sized the deployment. */
  pilotUsers: number;
  /** Main-thread CPU (user + system) of the timed section, seconds: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  events: number;
  eventsPerSecond: number;
  peakRssBytes: number;
}

// Resolved from this file, so the bench works from any working directory.
const SCENARIO = fileURLToPath(new URL('../scenarios/national-300000.json', import.meta.url));

/** Offered loads scaled by `factor` (every term is a rate proportional to the users). */
function scaled(l: OfferedLoads, factor: number): OfferedLoads {
  return { kind: (k) => l.kind(k) * factor, database: l.database * factor, replicationCores: l.replicationCores * factor };
}

function describe(d: Deployment): string {
  const workers = d.workers
    ? Object.entries(d.workers)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
    : [];
  const server =
    d.kind === 'multi-threaded'
      ? `one process on ${d.serverCores ?? 1} core${(d.serverCores ?? 1) === 1 ? '' : 's'}`
      : d.kind === 'monolith'
        ? 'monolith'
        : `main + ${workers.join(', ')}`;
  // tuwunel and continuwuity embed their store (RocksDB): no PostgreSQL to size.
  return d.databaseCores > 0 ? `${server}; PostgreSQL ${d.databaseCores} cores` : `${server}; embedded store`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { users: { type: 'string', default: '100000' }, pilot: { type: 'string', default: '10000' }, implementation: { type: 'string', default: 'tuwunel' } },
    strict: true,
  });
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 1) throw new RangeError(`--users must be a positive integer, got ${values.users}`);
  const pilotUsers = Math.min(users, Number(values.pilot));
  if (!Number.isInteger(pilotUsers) || pilotUsers < 1) throw new RangeError(`--pilot must be a positive integer, got ${values.pilot}`);

  // Implementations without workers run as one process (the scenario's workers deployment would be refused).
  const monolith = WORKER_IMPLEMENTATIONS.includes(values.implementation as Implementation) ? [] : ['run.server.deployment=monolith'];
  const at = async (n: number): Promise<Scenario> =>
    (await loadScenarioFile(SCENARIO, [`population.users=${n}`, 'run.replications=1', `run.server.implementation=${values.implementation}`, ...monolith])).scenario;
  // Untimed: the pilot whose offered load sizes the deployment.
  const pilot = await at(pilotUsers);
  const pilotResult = simulateOnce(pilot, '1/0');
  const scenario = users === pilotUsers ? pilot : await at(users);
  const deployment = sizeForLoad(scenario, scaled(offeredLoads(pilot, [pilotResult]), users / pilotUsers));
  const sized = withDeployment(scenario, deployment);
  // Timed from here: world building is part of what a user waits for.
  const started = performance.now();
  const cpu = process.cpuUsage();
  const r = simulateOnce(sized, '1/0');
  const used = process.cpuUsage(cpu);
  const wallSeconds = (performance.now() - started) / 1000;

  const figures: ModelFigures = {
    scenario: scenario.name,
    users,
    deployment: describe(deployment),
    pilotUsers,
    simulatedDays: r.simulatedSeconds / 86400,
    wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    events: r.events,
    eventsPerSecond: r.events / wallSeconds,
    // maxRSS is in KiB; it covers Node, tsx and the pilot too, which is what a user pays.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
