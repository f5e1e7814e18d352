/**
 * `mxsim queue`: a G/G/c station on the engine, beside the closed forms where
 * one exists, so anyone can check the engine on their own machine.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { meanCi95 } from '../analysis/confidence.js';
import { mg1, mmc, type QueueMeans } from '../analysis/queueing-theory.js';
import { DISTRIBUTION_FORMS, DistributionSpecError, parseDistribution } from '../engine/distribution-parse.js';
import type { Distribution } from '../engine/distributions.js';
import { simulateQueue, type QueueRunResult } from '../engine/queue-sim.js';
import { MxsimError } from '../errors.js';
import { formatCount } from '../format/index.js';
import type { Io } from './io.js';
import { cliMessages as msg } from './messages.js';
import { outputFormat, outputOption, render, type OutputFormat, type ResultTable } from './output.js';
import { parseInteger } from './parse.js';

export interface QueueReport {
  model: string;
  servers: number;
  customers: number;
  warmupCustomers: number;
  replications: number;
  seed: string;
  arrival: string;
  service: string;
  load: number;
  simulated: {
    wq: number;
    wqCi95: [number, number];
    w: number;
    wCi95: [number, number];
    lq: number;
    lqCi95: [number, number];
    l: number;
    lCi95: [number, number];
    utilization: number;
    utilizationCi95: [number, number];
    /** L / (lambda W) on the simulated values; 1 when Little's law holds. */
    littleRatio: number;
  };
  analytic: (QueueMeans & { formula: string }) | null;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
}

/** Kendall letter for a distribution: M (exponential), D (deterministic), else G. */
function kendall(d: Distribution): string {
  if (d.kind === 'exponential') return 'M';
  if (d.kind === 'deterministic') return 'D';
  return 'G';
}

/** The closed form for this queue, when one exists. */
export function analyticFor(interarrival: Distribution, service: Distribution, servers: number): (QueueMeans & { formula: string }) | null {
  const lambda = 1 / interarrival.mean;
  if (interarrival.kind !== 'exponential') return null;
  if (service.kind === 'exponential') return { ...mmc(lambda, 1 / service.mean, servers), formula: 'Erlang C (M/M/c)' };
  if (servers === 1) return { ...mg1(lambda, service.mean, service.variance), formula: 'Pollaczek-Khinchine (M/G/1)' };
  return null;
}

/** Servers at one station: a homeserver process has a handful; beyond this the station's arrays alone take gigabytes. */
export const MAX_SERVERS = 10_000;
/** Customers per replication, measured or warm-up: about 20 s each at 5.8 million a second. */
export const MAX_CUSTOMERS = 100_000_000;
/** Customers over all replications, warm-up included, before --allow-large is needed: about 3 minutes. */
export const MAX_TOTAL_CUSTOMERS = 1_000_000_000;
/** Customers an unstable queue may leave waiting (its backlog grows with the run) before --allow-large is needed: about 1 GiB. */
export const MAX_BACKLOG = 10_000_000;

const nonEmpty = (option: string) => (value: string) => {
  if (value === '') throw new InvalidArgumentError(msg.expectedNonEmpty(option));
  return value;
};

export interface QueueOptions {
  /** Run beyond MAX_TOTAL_CUSTOMERS or MAX_BACKLOG. */
  allowLarge?: boolean;
  servers: number;
  arrival: string;
  service: string;
  customers: number;
  customersGiven: boolean;
  warmup: number;
  replications: number;
  seed: string;
}

/** Run the replications and assemble the report (pure but for the wall clock). */
export function runQueue(o: QueueOptions, warn: (text: string) => void, now: () => number): QueueReport {
  // Both options are checked, so one run names every bad spec.
  const problems: { option: string; message: string }[] = [];
  const parse = (option: string, spec: string): Distribution | null => {
    try {
      return parseDistribution(spec);
    } catch (e) {
      if (!(e instanceof DistributionSpecError)) throw e;
      problems.push({ option, message: e.message });
      return null;
    }
  };
  const interarrival = parse('--arrival', o.arrival);
  const service = parse('--service', o.service);
  // Customers arriving all at once have no queue to measure: the time between arrivals must have a mean above 0.
  if (interarrival !== null && !(interarrival.mean > 0)) problems.push({ option: '--arrival', message: msg.arrivalsAtOnce(o.arrival) });
  if (interarrival === null || service === null || problems.length > 0) throw new MxsimError('distribution.spec', msg.badDistributions(problems));

  const load = service.mean / interarrival.mean / o.servers;
  if (!(load < 1)) {
    const text = msg.unstableQueue(load, 1 / interarrival.mean, o.servers / service.mean);
    if (!o.customersGiven) throw new MxsimError('queue.unstable', msg.boundTheRun(text));
    // The backlog at the end: arrivals less departures, (1 - 1/load) of the customers.
    const backlog = (o.customers + o.warmup) * (1 - 1 / load);
    if (!o.allowLarge && !(backlog <= MAX_BACKLOG)) throw new MxsimError('run.too-large', msg.queueBacklog(Math.round(backlog), MAX_BACKLOG));
    warn(msg.unstableWarning(text));
  }
  const total = (o.customers + o.warmup) * o.replications;
  if (!o.allowLarge && total > MAX_TOTAL_CUSTOMERS) throw new MxsimError('run.too-large', msg.queueTooLarge(total, MAX_TOTAL_CUSTOMERS));

  const started = now();
  const runs: QueueRunResult[] = [];
  for (let r = 0; r < o.replications; r++) {
    runs.push(
      simulateQueue({
        servers: o.servers,
        interarrival,
        service,
        customers: o.customers,
        warmupCustomers: o.warmup,
        seed: `${o.seed}/${r}`,
      }),
    );
  }
  const wallSeconds = (now() - started) / 1000;
  const ci = (pick: (r: QueueRunResult) => number) => meanCi95(runs.map(pick));
  const wq = ci((r) => r.wq);
  const w = ci((r) => r.w);
  const lq = ci((r) => r.lq);
  const l = ci((r) => r.l);
  const u = ci((r) => r.utilization);
  const lambda = meanCi95(runs.map((r) => r.arrivalRate)).mean;
  const events = runs.reduce((s, r) => s + r.events, 0);
  const analytic = load < 1 ? analyticFor(interarrival, service, o.servers) : null;
  return {
    model: `${kendall(interarrival)}/${kendall(service)}/${o.servers}`,
    servers: o.servers,
    customers: o.customers,
    warmupCustomers: o.warmup,
    replications: o.replications,
    seed: o.seed,
    arrival: interarrival.describe(),
    service: service.describe(),
    load,
    simulated: {
      wq: wq.mean,
      wqCi95: wq.ci95,
      w: w.mean,
      wCi95: w.ci95,
      lq: lq.mean,
      lqCi95: lq.ci95,
      l: l.mean,
      lCi95: l.ci95,
      utilization: u.mean,
      utilizationCi95: u.ci95,
      littleRatio: l.mean / (lambda * w.mean),
    },
    analytic,
    events,
    wallSeconds,
    eventsPerSecond: wallSeconds > 0 ? events / wallSeconds : NaN,
  };
}

/** The human-readable table. */
export function formatQueueReport(q: QueueReport): string {
  const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(5) : String(x));
  const rows: [string, number, [number, number], number | undefined][] = [
    ['mean wait in queue Wq (s)', q.simulated.wq, q.simulated.wqCi95, q.analytic?.wq],
    ['mean time in system W (s)', q.simulated.w, q.simulated.wCi95, q.analytic?.w],
    ['mean queue length Lq', q.simulated.lq, q.simulated.lqCi95, q.analytic?.lq],
    ['mean number in system L', q.simulated.l, q.simulated.lCi95, q.analytic?.l],
    ['utilisation', q.simulated.utilization, q.simulated.utilizationCi95, q.analytic?.utilization],
  ];
  const lines = [
    `${q.model} queue: arrivals ${q.arrival}, service ${q.service}, load ${q.load.toFixed(3)}`,
    `${q.replications} replications x ${q.customers} customers (after ${q.warmupCustomers} warm-up), seed ${q.seed}`,
    '',
    `${'measure'.padEnd(28)}${'simulated'.padStart(12)}  ${'95% CI'.padEnd(25)}${(q.analytic ? 'analytic' : '').padStart(12)}${q.analytic ? '  rel. error' : ''}`,
  ];
  for (const [name, sim, [lo, hi], exact] of rows) {
    let line = `${name.padEnd(28)}${fmt(sim).padStart(12)}  ${`[${fmt(lo)}, ${fmt(hi)}]`.padEnd(25)}`;
    if (exact !== undefined) {
      const rel = exact === 0 ? sim - exact : (sim - exact) / exact;
      line += `${fmt(exact).padStart(12)}  ${(rel * 100 >= 0 ? '+' : '') + (rel * 100).toFixed(2)}%`;
    }
    lines.push(line);
  }
  lines.push('');
  lines.push(q.analytic ? `analytic: ${q.analytic.formula}` : 'analytic: no closed form for this model');
  lines.push(`Little's law check L / (lambda W) = ${q.simulated.littleRatio.toFixed(4)}`);
  lines.push(`${q.events} events in ${q.wallSeconds.toFixed(2)} s (${formatCount(q.eventsPerSecond)} events/s)`);
  return lines.join('\n') + '\n';
}

/** The queue's means as a table: each measure simulated (with its 95% interval) beside queueing theory's value, where it has one. */
export function queueTable(q: QueueReport): ResultTable {
  const sim = q.simulated;
  const measures: [string, keyof QueueMeans, number, [number, number]][] = [
    ['mean wait in queue (s)', 'wq', sim.wq, sim.wqCi95],
    ['mean time in system (s)', 'w', sim.w, sim.wCi95],
    ['mean number waiting', 'lq', sim.lq, sim.lqCi95],
    ['mean number in system', 'l', sim.l, sim.lCi95],
    ['utilisation', 'utilization', sim.utilization, sim.utilizationCi95],
  ];
  return {
    header: ['measure', 'simulated', 'ci95 low', 'ci95 high', 'analytic'],
    rows: measures.map(([label, key, mean, ci]) => [label, mean, ci[0], ci[1], q.analytic === null ? null : q.analytic[key]]),
  };
}

export function queueCommand(io: Io): Command {
  return new Command('queue')
    .description('simulate a G/G/c queue on the engine and compare it with queueing theory')
    .addOption(new Option('--servers <n>', `servers at the station, 1 to ${MAX_SERVERS.toLocaleString('en-US')}`).default(1).argParser(parseInteger('--servers', 1, MAX_SERVERS)))
    .addOption(new Option('--arrival <dist>', `inter-arrival distribution (${DISTRIBUTION_FORMS.join(', ')})`).default('exp:0.8'))
    .addOption(new Option('--service <dist>', 'service time distribution, same forms').default('exp:1'))
    .addOption(
      new Option('--customers <n>', `customers measured per replication, 1 to ${MAX_CUSTOMERS.toLocaleString('en-US')}`)
        .default(100_000)
        .argParser(parseInteger('--customers', 1, MAX_CUSTOMERS)),
    )
    .addOption(
      new Option('--warmup <n>', `customers discarded at the start of each replication, 0 to ${MAX_CUSTOMERS.toLocaleString('en-US')} (default: 10% of --customers)`).argParser(
        parseInteger('--warmup', 0, MAX_CUSTOMERS),
      ),
    )
    .addOption(new Option('--replications <n>', 'independent replications, 2 to 1,000').default(5).argParser(parseInteger('--replications', 2, 1000)))
    .addOption(new Option('--seed <seed>', 'run seed (any text but the empty one)').default('1').argParser(nonEmpty('--seed')))
    .option('--allow-large', `simulate more than ${MAX_TOTAL_CUSTOMERS.toLocaleString('en-US')} customers in all, or an unstable queue whose backlog may not fit in memory`)
    .addOption(outputOption('the means beside queueing theory').conflicts('json'))
    .option('--json', 'print one JSON object instead of the table (same as --output json)')
    .addHelpText('after', '\nExample:\n  mxsim queue --servers 4 --arrival exp:3.2 --service exp:1 --customers 1000000 --replications 5 --seed 1\n')
    .action(function (this: Command) {
      const opts = this.opts<{
        servers: number;
        arrival: string;
        service: string;
        customers: number;
        warmup?: number;
        replications: number;
        seed: string;
        json?: boolean;
        output?: OutputFormat;
        allowLarge?: boolean;
      }>();
      const report = runQueue(
        {
          servers: opts.servers,
          arrival: opts.arrival,
          service: opts.service,
          customers: opts.customers,
          customersGiven: this.getOptionValueSource('customers') === 'cli',
          warmup: opts.warmup ?? Math.floor(opts.customers / 10),
          replications: opts.replications,
          seed: String(opts.seed),
          allowLarge: opts.allowLarge === true,
        },
        (text) => io.err(text),
        () => performance.now(),
      );
      io.out(render(outputFormat(opts), { table: () => formatQueueReport(report), json: () => report, rows: () => queueTable(report) }));
    });
}
