/**
 * How a deployment lays out an implementation's processes: the three kinds
 * (one Synapse process, Synapse with workers, one multi-threaded server),
 * the process list each gives, what each process handles, and how a
 * scenario states a deployment. This is the one place that switches on the
 * kind; everything else asks these functions.
 */
import type { Op } from '../model/homeserver.js';
import type { Scenario } from '../scenario/grammar.js';
import { calibratedProfile, PROFILES, type ServerProfile } from './profiles.js';

/** Synapse worker kinds (docs/workers.md), in report order. */
export const WORKER_KINDS = ['sync', 'generic', 'eventPersister', 'federationSender', 'federationReader', 'mediaRepository', 'pusher'] as const;
export type WorkerKind = (typeof WORKER_KINDS)[number];
/** Process kinds: Synapse's main process and workers, or one multi-threaded server. */
export type ProcessKind = 'main' | WorkerKind | 'server';
export const PROCESS_KINDS: readonly ProcessKind[] = ['main', ...WORKER_KINDS, 'server'];

/** The scenario field of each worker kind (run.server.workers). */
const WORKER_FIELD: Record<WorkerKind, keyof Scenario['run']['server']['workers']> = {
  sync: 'sync',
  generic: 'generic',
  eventPersister: 'eventPersister',
  federationSender: 'federationSender',
  federationReader: 'federationReader',
  mediaRepository: 'mediaRepository',
  pusher: 'pusher',
};

/** Which Synapse process kind handles an operation in a worker deployment (docs/workers.md). */
export const SYNAPSE_WORKER_FOR: Record<Op, ProcessKind> = {
  send: 'generic',
  syncNews: 'sync',
  syncTimeout: 'sync',
  presence: 'main',
  receipt: 'main',
  typing: 'main',
  toDevice: 'generic',
  deviceList: 'main',
  mediaUpload: 'mediaRepository',
  thumbnail: 'mediaRepository',
  mediaDownload: 'mediaRepository',
  push: 'pusher',
  fedOut: 'federationSender',
  fedIn: 'federationReader',
  // The foreground of a partial-state join is short; the state resync runs only on main (synapse handlers/federation.py).
  fedJoin: 'main',
  replication: 'main',
  urlPreview: 'mediaRepository',
  slidingSync: 'sync',
  initialSync: 'sync',
  // Push actions are computed where the event is created (synapse handlers/message.py -> push/bulk_push_rule_evaluator.py).
  pushRules: 'generic',
  keysQuery: 'generic',
  notificationFetch: 'generic',
  keyBackup: 'generic',
  fedInTransaction: 'federationReader',
  fedConnect: 'federationSender',
  // Resolved when the forked event is persisted (synapse/storage/controllers/persist_events.py:1236-1270).
  stateRes: 'eventPersister',
  stateLoad: 'eventPersister',
  // m.device_list_update EDUs and resyncs are handled on the device-list writer, main by default (synapse/handlers/device.py:174-180).
  deviceResync: 'main',
  // /login is among the generic worker's client endpoints (Synapse docs/workers.md).
  login: 'generic',
  // Purges run as background tasks on main (synapse/handlers/pagination.py purge_history; the background tasks worker when configured).
  purge: 'main',
  // A dump is a client of PostgreSQL, started by the backup host's schedule: no Synapse work, main only names where it is counted.
  backup: 'main',
  // event_search is written in the event's persist transaction (synapse storage/databases/main/events.py store_event_search_txn), where events are persisted.
  searchIndex: 'eventPersister',
  // /search is among the generic worker's client endpoints (Synapse docs/workers.md: ^/_matrix/client/(r0|v3|unstable)/search$).
  search: 'generic',
  // MSC4140: scheduling, sending and cancelling a delayed event are registered on main only, a restart on any worker
  // (synapse/rest/client/delayed_events.py register_servlets: "Most of the following can't currently be instantiated on
  // workers", RestartDelayedEventServlet and DelayedEventsServlet outside that test; docs/workers.md lists
  // ^/_matrix/client/unstable/org.matrix.msc4140/delayed_events(/.*/restart)?$ among the generic worker's endpoints).
  delayedEvent: 'main',
  delayedEventRestart: 'generic',
};

export type DeploymentKind = 'monolith' | 'workers' | 'multi-threaded';

/** A deployment: its kind, its workers or server cores, and PostgreSQL's cores (0 without PostgreSQL). */
export interface Deployment {
  kind: DeploymentKind;
  workers: Record<WorkerKind, number> | null;
  serverCores: number | null;
  databaseCores: number;
}

export interface ProcessSpec {
  name: string;
  kind: ProcessKind;
  cores: number;
}

/** The profile of a scenario's implementation. */
export function profileOf(s: Scenario): ServerProfile {
  const profile = implementationProfile(s.run.server.implementation);
  if (profile === undefined) throw new Error(`no server profile for ${s.run.server.implementation}`);
  const calibration = s.run.server.calibration;
  return calibration === undefined ? profile : calibratedProfile(profile, calibration);
}

/** The profile of an implementation named in a summary or a scenario (undefined for a name this version does not know). */
export function implementationProfile(name: string): ServerProfile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name as keyof typeof PROFILES] : undefined;
}

/** `n` workers of each kind. */
export function workersEach(n: number): Record<WorkerKind, number> {
  return Object.fromEntries(WORKER_KINDS.map((k) => [k, n])) as Record<WorkerKind, number>;
}

/** A worker deployment's workers, kinds with none left out ('sync ×3, eventPersister ×1'). */
export function workersInUse(d: Deployment): Partial<Record<WorkerKind, number>> {
  return Object.fromEntries(WORKER_KINDS.filter((k) => (d.workers?.[k] ?? 0) > 0).map((k) => [k, d.workers?.[k] ?? 0]));
}

/** The deployment a scenario runs. */
export function deploymentOf(s: Scenario): Deployment {
  const profile = profileOf(s);
  const databaseCores = profile.postgres ? s.run.server.databaseCores : 0;
  if (profile.multiThreaded) return { kind: 'multi-threaded', workers: null, serverCores: s.run.server.cores, databaseCores };
  if (s.run.server.deployment === 'monolith') return { kind: 'monolith', workers: null, serverCores: null, databaseCores };
  const workers = Object.fromEntries(WORKER_KINDS.map((k) => [k, s.run.server.workers[WORKER_FIELD[k]]])) as Record<WorkerKind, number>;
  return { kind: 'workers', workers, serverCores: null, databaseCores };
}

/** The scenario changed to run a given deployment. */
export function withDeployment(s: Scenario, d: Deployment): Scenario {
  const server = { ...s.run.server, databaseCores: Math.max(1, d.databaseCores) };
  if (d.kind === 'multi-threaded') server.cores = d.serverCores ?? server.cores;
  else if (d.kind === 'monolith') server.deployment = 'monolith';
  else {
    server.deployment = 'workers';
    server.workers = { ...server.workers };
    for (const k of WORKER_KINDS) server.workers[WORKER_FIELD[k]] = d.workers?.[k] ?? 0;
  }
  return { ...s, run: { ...s.run, server } };
}

/** The processes of a deployment of `profile`, in report order. */
export function processesOf(profile: ServerProfile, d: Deployment): ProcessSpec[] {
  if (d.kind === 'multi-threaded') return [{ name: profile.implementation, kind: 'server', cores: d.serverCores ?? 1 }];
  const procs: ProcessSpec[] = [{ name: 'main', kind: 'main', cores: 1 }];
  if (d.kind === 'workers' && d.workers) {
    for (const kind of WORKER_KINDS) {
      for (let i = 1; i <= d.workers[kind]; i++) procs.push({ name: `${kind}-${i}`, kind, cores: 1 });
    }
  }
  return procs;
}

/** The processes a scenario's deployment runs. */
export function deploymentProcesses(s: Scenario): ProcessSpec[] {
  return processesOf(profileOf(s), deploymentOf(s));
}

/** Cores a deployment uses in all, PostgreSQL's included. */
export function deploymentCores(d: Deployment): number {
  if (d.kind === 'multi-threaded') return (d.serverCores ?? 0) + d.databaseCores;
  if (d.kind === 'monolith') return 1 + d.databaseCores;
  return 1 + Object.values(d.workers ?? {}).reduce((a, b) => a + b, 0) + d.databaseCores;
}

/** The process kind that does, in a deployment of this kind, the work a Synapse process of `kind` does with workers. */
export function processKindFor(deployment: DeploymentKind, kind: ProcessKind): ProcessKind {
  if (deployment === 'multi-threaded') return 'server';
  if (deployment === 'monolith') return 'main';
  return kind;
}
