/**
 * `mxsim capacity SCENARIO --hardware ...`: the most users a given machine
 * holds. A user count holds when the verified recommendation for the
 * scenario at that many users (src/experiments/capacity-run.ts) meets its
 * targets and fits the machine: its cores (homeserver processes and
 * PostgreSQL) and its RAM no more than the machine's. The count is found by
 * the capacity search of src/analysis/capacity.ts (bracketing from the
 * scenario's own users, then bisection), each probe run with R replications
 * (seeds `${seed}/0` .. `${seed}/${R-1}`, the same at every probe: common
 * random numbers) through the pool; a probe holds when more than half of
 * them hold (capacity-confidence.ts). The answer is a bracket, users known to
 * hold and users known to fail, each with the share of replications that met
 * the targets and its Wilson interval, and what ran out first at the failing
 * end.
 */
import { runCapacitySearchAsync, type CapacitySearch } from '../analysis/capacity.js';
import { runTasks, type PoolOptions, type Task } from '../analysis/pool.js';
import type { ComputeRow } from '../cost/catalog-schema.js';
import type { Scenario } from '../scenario/grammar.js';
import { MAX_USERS } from '../scenario/limits.js';
import { osaDistance } from '../scenario/suggest.js';
import { capacityMessages as msg } from './capacity-messages.js';
import { capacityScenario, type CapacityRun } from './capacity-run.js';
import { probeHolds, shareMeeting, type ShareMeeting } from './capacity-confidence.js';

/** A machine: its cores and RAM, and where they come from (an instance of the catalogs, or as given). */
export interface Hardware {
  cores: number;
  ramGiB: number;
  /** "cores=16,ramGiB=64", or "Hetzner EU CCX43 (16 vCPU, 64 GiB)". */
  label: string;
}

/** The keys of a `--hardware` specification. */
const HARDWARE_KEYS = ['cores', 'ramGiB'] as const;

/** Largest cores or RAM (GiB) a `--hardware` specification may give. */
export const MAX_HARDWARE = 1_000_000;

/** A positive decimal as written ("16", "1_024", "0.5"); null when it is not one. */
function positiveNumber(text: string): number | null {
  const t = text.replace(/_/g, '').trim();
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return n > 0 && n <= MAX_HARDWARE ? n : null;
}

/** Whether `spec` is written as KEY=VALUE pairs (else it names an instance). */
export function isHardwareSpec(spec: string): boolean {
  return spec.includes('=');
}

/**
 * `cores=16,ramGiB=64`: every problem at once (unknown or repeated keys,
 * values that are not positive numbers, a key missing), each with what was
 * written. Cores must be whole.
 */
export function parseHardwareSpec(spec: string): { hardware: Hardware } | { problems: string[] } {
  const problems: string[] = [];
  const values: Partial<Record<(typeof HARDWARE_KEYS)[number], number>> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1);
    const known = HARDWARE_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    if (known === undefined) {
      problems.push(msg.hardwareUnknownKey(key, part));
      continue;
    }
    if (values[known] !== undefined) {
      problems.push(msg.hardwareRepeatedKey(known, part));
      continue;
    }
    const n = positiveNumber(value);
    if (n === null || (known === 'cores' && !Number.isInteger(n))) {
      problems.push(msg.hardwareBadValue(known, known === 'cores' ? 'a whole number of cores' : 'a positive number of GiB', MAX_HARDWARE, value));
      values[known] = NaN;
      continue;
    }
    values[known] = n;
  }
  for (const k of HARDWARE_KEYS) if (values[k] === undefined) problems.push(msg.hardwareMissingKey(k, spec));
  if (problems.length > 0) return { problems };
  const cores = values.cores ?? NaN;
  const ramGiB = values.ramGiB ?? NaN;
  return { hardware: { cores, ramGiB, label: `cores=${cores},ramGiB=${ramGiB}` } };
}

/** How many of the nearest instance names an unknown one lists. */
const NEAREST = 5;

/**
 * An instance of the compute catalogs by name (case ignored; the first row
 * of that name, rows of status "ok" first). Unknown: the nearest names.
 */
export function hardwareFromCatalog(name: string, rows: readonly ComputeRow[]): { hardware: Hardware } | { problems: string[] } {
  const wanted = name.trim().toLowerCase();
  const ranked = [...rows].sort((a, b) => (a.status === 'ok' ? 0 : 1) - (b.status === 'ok' ? 0 : 1));
  const row = ranked.find((r) => r.instance.toLowerCase() === wanted);
  if (row !== undefined) {
    const region = row.region ? ` ${row.region}` : '';
    return { hardware: { cores: row.vcpu, ramGiB: row.ramGiB, label: `${row.provider}${region} ${row.instance} (${row.vcpu} vCPU, ${row.ramGiB} GiB)` } };
  }
  const names = [...new Set(rows.map((r) => r.instance))];
  const nearest = names
    .map((n) => ({ n, d: osaDistance(wanted, n.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
    .slice(0, NEAREST)
    .map((x) => x.n);
  return { problems: [msg.unknownInstance(name, nearest)] };
}

/** One replication of one probe: did the recommendation meet the targets and fit the machine? */
export interface ProbeReplication {
  seed: string;
  holds: boolean;
  targetsMet: boolean;
  cores: number;
  /** PostgreSQL's cores, among `cores`. */
  databaseCores: number;
  ramGiB: number;
  coresByComponent: Record<string, number>;
  deployment: string;
  limit: string | null;
}

/** A probe: one user count, its replications, and whether it holds. */
export interface Probe {
  users: number;
  holds: boolean;
  /** Share of replications meeting the targets on the machine, with its 95% Wilson interval. */
  meeting: ShareMeeting;
  replications: ProbeReplication[];
}

/** What ran out first at the failing end. */
export interface Shortfall {
  /** "cores", "RAM" or "targets" (the recommendation cannot meet them on any machine). */
  resource: 'cores' | 'RAM' | 'targets';
  /** The component that needs the most cores: a process kind, or "postgres" (the database). */
  component: string;
  /** In how many of the failing replications it ran out first. */
  replications: number;
  /** A sentence with the figures. */
  text: string;
}

export interface HardwareCapacity {
  scenario: string;
  implementation: string;
  hardware: Hardware;
  seed: string;
  replicationsPerProbe: number;
  /** Users known to hold (0: none found) and users known to fail (null: none failed up to the largest tried). */
  bracket: [number, number | null];
  /** The probe at each end of the bracket. */
  holding: Probe | null;
  failing: Probe | null;
  /** What ran out first at the failing end (null when nothing failed). */
  shortfall: Shortfall | null;
  /** Every probe, in the order run. */
  probes: Probe[];
  notes: string[];
}

export interface HardwareSearchOptions {
  seed: string;
  replications: number;
  sha256: string;
  version: string;
  /** Stop when the bracket is this narrow (hi / lo - 1; default 0.1). */
  tolerance?: number;
  /** Probes at most (default 10). */
  maxProbes?: number;
  pool?: Pick<PoolOptions, 'jobs'>;
  /** The function each replication runs (default CAPACITY_RUN); it takes and returns what `capacityRun` does. */
  task?: { module: string; name: string };
  /** Called with each user count before it is probed (the command's pre-flight check: it throws to refuse a size too large). */
  checkProbe?: (users: number) => void;
  /** Each probe, once decided. */
  onProbe?: (p: Probe, index: number) => void;
  /** Each replication, as it ends: the probe's index, its users and how many of its replications have ended. */
  onReplication?: (probe: number, users: number, done: number) => void;
}

/** The task function of a replication: `capacityRun` of capacity-run.ts. */
export const CAPACITY_RUN = { module: new URL('./capacity-run.js', import.meta.url).href, name: 'capacityRun' } as const;

/** The pool tasks of the replications of a probe: replication r runs with seed `${seed}/${r}`. */
export function probeTasks(s: Scenario, users: number, o: Pick<HardwareSearchOptions, 'seed' | 'replications' | 'sha256' | 'version' | 'task'>): Task[] {
  const scenario = capacityScenario(s, users);
  const { module, name } = o.task ?? CAPACITY_RUN;
  return Array.from({ length: o.replications }, (_, r) => ({ module, name, args: [scenario, `${o.seed}/${r}`, 1, o.sha256, o.version] }));
}

/** Whether one replication's recommendation meets its targets and fits the machine. */
export function replicationOnHardware(r: CapacityRun, h: Hardware): ProbeReplication {
  const fits = r.cores <= h.cores && r.ramGiB <= h.ramGiB;
  return {
    seed: r.seed,
    holds: r.targetsMet && fits,
    targetsMet: r.targetsMet,
    cores: r.cores,
    databaseCores: r.databaseCores,
    ramGiB: r.ramGiB,
    coresByComponent: r.coresByComponent,
    deployment: deploymentText(r),
    limit: r.limit?.mechanism ?? null,
  };
}

/** "synapse, main and 15 workers (15 sync)", "tuwunel on 4 cores", "synapse, one process". */
export function deploymentText(r: Pick<CapacityRun, 'implementation' | 'deployment'>): string {
  const d = r.deployment;
  if (d.kind === 'workers') {
    const workers = Object.entries(d.workers ?? {}).map(([k, n]) => `${n} ${k}`);
    return `${r.implementation}, main and ${d.processes - 1} workers (${workers.join(', ')})`;
  }
  if (d.kind === 'multi-threaded') {
    const cores = d.serverCores ?? 1;
    return `${r.implementation} on ${cores} core${cores === 1 ? '' : 's'}`;
  }
  return `${r.implementation}, one process`;
}

/** The component that needs the most cores ("sync", "postgres", "server"); ties to the first named. */
function largestComponent(byComponent: Record<string, number>): string {
  let best = '';
  let most = -Infinity;
  for (const [k, v] of Object.entries(byComponent)) {
    if (v > most) {
      best = k;
      most = v;
    }
  }
  return best;
}

/**
 * What ran out first in the failing replications of a probe: the targets
 * when they cannot be met at all, else whichever of cores and RAM is further
 * over the machine's (the larger need / have); the most frequent across the
 * failing replications (ties: targets, cores, RAM), with its figures.
 */
export function shortfallOf(p: Probe, h: Hardware): Shortfall | null {
  const failing = p.replications.filter((r) => !r.holds);
  if (failing.length === 0) return null;
  const first = (r: ProbeReplication): Shortfall['resource'] => (!r.targetsMet ? 'targets' : r.cores / h.cores >= r.ramGiB / h.ramGiB ? 'cores' : 'RAM');
  const counts = new Map<Shortfall['resource'], number>();
  for (const r of failing) counts.set(first(r), (counts.get(first(r)) ?? 0) + 1);
  const order: Shortfall['resource'][] = ['targets', 'cores', 'RAM'];
  const resource = order.reduce((best, x) => ((counts.get(x) ?? 0) > (counts.get(best) ?? 0) ? x : best), order[0]!);
  const these = failing.filter((r) => first(r) === resource);
  const example = these[0]!;
  const component = largestComponent(example.coresByComponent);
  const range = (v: number[]) => (Math.min(...v) === Math.max(...v) ? `${Math.min(...v)}` : `${Math.min(...v)}-${Math.max(...v)}`);
  const cores = range(these.map((r) => r.cores));
  const ram = range(these.map((r) => r.ramGiB));
  const databaseCores = range(these.map((r) => r.databaseCores));
  const byComponent = Object.entries(example.coresByComponent)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  const text =
    resource === 'targets'
      ? msg.shortfallTargets(p.users, example.limit ?? 'a target is missed', these.length, p.replications.length)
      : msg.shortfallResource(resource, p.users, { cores, databaseCores, ram, byComponent, component }, h, these.length, p.replications.length);
  return { resource, component, replications: these.length, text };
}

/**
 * The capacity of `hardware` for scenario `s`: the capacity search from the
 * scenario's own users (probed first; halving when they do not hold,
 * doubling up to MAX_USERS when they do), each probe's replications run
 * through the pool.
 */
export async function hardwareCapacity(s: Scenario, hardware: Hardware, o: HardwareSearchOptions): Promise<HardwareCapacity> {
  const probes: Probe[] = [];
  const start = s.population.users;
  const found: CapacitySearch = await runCapacitySearchAsync(
    { fromUsers: start, probeStart: true, maxFactor: Math.max(1, Math.floor(MAX_USERS / start)), tolerance: o.tolerance ?? 0.1, maxProbes: o.maxProbes ?? 10 },
    async (users) => {
      o.checkProbe?.(users);
      const index = probes.length;
      let done = 0;
      const runs = await runTasks<CapacityRun>(probeTasks(s, users, o), {
        ...o.pool,
        onDone: () => o.onReplication?.(index, users, ++done),
      });
      const replications = runs.map((r) => replicationOnHardware(r, hardware));
      const meeting = shareMeeting(replications.map((r) => r.holds));
      const probe: Probe = { users, holds: probeHolds(meeting), meeting, replications };
      probes.push(probe);
      o.onProbe?.(probe, index);
      return probe.holds;
    },
  );
  const [lo, hi] = found.bracket;
  const holding = probes.find((p) => p.users === lo) ?? null;
  const failing = hi === null ? null : (probes.find((p) => p.users === hi) ?? null);
  const notes: string[] = [];
  if (hi === null) notes.push(msg.noFailure(lo));
  if (lo === 0) notes.push(msg.noneHeld(hi ?? start));
  return {
    scenario: s.name,
    implementation: s.run.server.implementation,
    hardware,
    seed: o.seed,
    replicationsPerProbe: o.replications,
    bracket: [lo, hi],
    holding,
    failing,
    shortfall: failing ? shortfallOf(failing, hardware) : null,
    probes,
    notes,
  };
}
