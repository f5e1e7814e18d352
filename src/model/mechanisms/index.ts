/**
 * The registry of mechanisms. Each is one module that keeps its own state,
 * registers its own event handlers when built, and may start processes
 * (`start`) and fixed-period clocks (`startClocks`).
 *
 * Order matters and is part of the results: mechanisms are built, started and
 * their clocks started in the order of this table; processes started here
 * draw their first times from shared streams (sessions from 'sessions', the
 * constant-rate processes of account and remote from 'misc'), and clocks that
 * fall on the same instant run in the order they were started. A new
 * mechanism goes at the end, with a stream of its own, so that it changes no
 * draw of the others.
 */
import type { ReplicationState } from '../state.js';
import { Account } from './account.js';
import { E2ee } from './e2ee.js';
import { FederationBacklog } from './federation-backlog.js';
import { Media } from './media.js';
import { Messaging } from './messaging.js';
import { Presence } from './presence.js';
import { Push } from './push.js';
import { Receipts } from './receipts.js';
import { RemoteTraffic } from './remote.js';
import { ReplicationStream } from './replication.js';
import { Sessions } from './sessions.js';
import { Typing } from './typing.js';
import { StateResolution } from './state-resolution.js';
import { RemoteDevices } from './remote-devices.js';
import { RoomJoins } from './joins.js';
import { Incidents } from './incidents.js';
import { Calls } from './calls.js';
import { Search } from './search.js';

/** What a mechanism may do when the run starts. */
export interface Mechanism {
  /** Start processes with random first times. */
  start?(): void;
  /** Start clocks with fixed periods (after every mechanism's `start`). */
  startClocks?(): void;
}

export interface Mechanisms {
  federationBacklog: FederationBacklog;
  replication: ReplicationStream;
  sessions: Sessions;
  account: Account;
  remote: RemoteTraffic;
  messaging: Messaging;
  presence: Presence;
  typing: Typing;
  receipts: Receipts;
  push: Push;
  media: Media;
  e2ee: E2ee;
  stateResolution: StateResolution;
  remoteDevices: RemoteDevices;
  joins: RoomJoins;
  incidents: Incidents;
  calls: Calls;
  search: Search;
}

/** How to build each mechanism, in the order they start. */
export const MECHANISMS: { readonly [K in keyof Mechanisms]: (st: ReplicationState) => Mechanisms[K] } = {
  federationBacklog: (st) => new FederationBacklog(st),
  replication: (st) => new ReplicationStream(st),
  sessions: (st) => new Sessions(st),
  account: (st) => new Account(st),
  remote: (st) => new RemoteTraffic(st),
  messaging: (st) => new Messaging(st),
  presence: (st) => new Presence(st),
  typing: (st) => new Typing(st),
  receipts: (st) => new Receipts(st),
  push: (st) => new Push(st),
  media: (st) => new Media(st),
  e2ee: (st) => new E2ee(st),
  stateResolution: (st) => new StateResolution(st),
  remoteDevices: (st) => new RemoteDevices(st),
  joins: (st) => new RoomJoins(st),
  incidents: (st) => new Incidents(st),
  // Last, with its own stream ('calls'), made only when calls are on: without calls nothing else moves.
  calls: (st) => new Calls(st),
  // Last, with its own stream ('search'): search off draws nothing and moves nothing else.
  search: (st) => new Search(st),
};

/** Build every mechanism on `st`, in registry order. */
export function buildMechanisms(st: ReplicationState): Mechanisms {
  const built: Partial<Record<keyof Mechanisms, Mechanism>> = {};
  for (const [name, build] of Object.entries(MECHANISMS) as [keyof Mechanisms, (st: ReplicationState) => Mechanism][]) built[name] = build(st);
  return built as Mechanisms;
}

/** Start every mechanism's processes, then every mechanism's clocks, in registry order. */
export function startMechanisms(m: Mechanisms): void {
  const all = (Object.keys(MECHANISMS) as (keyof Mechanisms)[]).map((k) => m[k]);
  for (const x of all) if ('start' in x) x.start();
  for (const x of all) if ('startClocks' in x) x.startClocks();
}
