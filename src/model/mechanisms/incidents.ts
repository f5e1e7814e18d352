/**
 * The scenario's timeline: incidents that start at a stated time, last a
 * stated duration and change what the rest of the model does meanwhile, and
 * a window of fine time resolution around each, recorded without growing the
 * run's bins (docs/MODEL.md, "Incidents").
 *
 * - `remoteOutage`: the chosen remote servers stop answering. Transactions to
 *   them fail and back off (10 minutes, doubling: federation.ts); after an
 *   hour of failing a destination is in catch-up and will get only the latest
 *   event of each room; their users cannot send either, so nothing arrives
 *   from them. At the end they answer again; each one's queue waits out its
 *   back-off unless the server talks to us first, which resets it (Synapse's
 *   `_reset_retry_timings`), and then drains one transaction at a time.
 * - `massLogin`: `users` logins, evenly over the duration, each a user drawn
 *   at random logging in on a new device: the /login (a password hash unless
 *   single sign-on checks it elsewhere), then what any new device causes
 *   (e2ee.ts `newDevice`: device-list updates to every server and local
 *   device sharing a room, their /keys/query, the initial sync).
 * - `backup`: a dump of the database of the storage projection at
 *   `monthsInService` at `databaseBackupMBps` (src/analysis/replicate.ts
 *   `copyPlans`), in parts of a minute run one after another on PostgreSQL
 *   (operation `backup`: one backend busy all the while), the media copied
 *   beside it when asked; this server stays up.
 * - `purge`: `events` deleted from the history of `rooms` rooms, one
 *   transaction per room as Synapse runs it (src/model/purge-plan.ts), at
 *   most as many at once as main has database connections (a retention run
 *   starts them all, its pool runs them first come, first served). Each holds
 *   one of main's connections, and its room's backfill lock, until it ends;
 *   while every connection is held, main's other queries wait for the next
 *   one given back (the server's `holdConnection`). A transaction's work runs
 *   as pieces of `PURGE_PIECE_EVENTS` events one after another (operation
 *   `purge`: CPU on main and PostgreSQL time per event), so that it shares
 *   PostgreSQL's cores with the other queries as its backend would. The
 *   space is free for reuse, not returned: the database's files do not shrink
 *   without a VACUUM FULL, which the model does not run.
 * - `spamWave`: spam joins, messages and media from remote servers into the
 *   rooms with remote members, and spam invites to local users, evenly over
 *   the duration (RemoteTraffic `spamEvent`, `spamInvite`): each arrives, is
 *   checked and stored like any remote event; media is fetched and
 *   thumbnailed when a local member looks; an invite shows in its user's
 *   /sync and is pushed. With a policy server each costs one request from
 *   this server, and the share it catches reaches no local device, makes no
 *   push and fetches no media (a caught invite is rejected, not stored).
 * - `outage`: this server does not answer. Clients keep what their users do
 *   and send it on return; syncs, presence and the processes' periodic work
 *   stop; remote servers and the constant-rate processes (account changes)
 *   keep theirs; nothing goes out over federation. On return, every online
 *   user's devices reconnect with a catch-up sync (news since it went down)
 *   and a presence change, and all that was kept comes, evenly over
 *   `reconnectSeconds`: the reconnect storm.
 *
 * Each incident has a window from `LEAD_SECONDS` before its start to
 * `TAIL_SECONDS` (or its own duration, if longer) after its end, cut at the
 * run's ends, sampled every `SAMPLE_SECONDS` and summed into steps of
 * `STEP_SECONDS`: the busy cores and jobs beyond the cores of every process
 * and of PostgreSQL, and the PDUs queued for the servers the incident
 * concerns. The drain is measured on those PDUs for a remote outage, and on
 * the jobs beyond the cores of all processes for the others. Local sends completed inside a window, and PDUs delivered to those
 * servers after the incident's start, are kept in sketches of their own; the
 * sends outside every window make the baseline.
 *
 * Incidents draw from a stream of their own ('incidents'), so a timeline
 * changes no draw of the rest of the model until an incident starts.
 */
import { QuantileSketch } from '../../engine/quantile-sketch.js';
import type { RandomSource } from '../../engine/random.js';
import type { HandlerId } from '../../engine/simulation.js';
import type { IncidentSpec } from '../../scenario/grammar.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';
import { purgePlan, type PurgePlan } from '../purge-plan.js';
import { joinAtSeconds } from '../world.js';
import type { SpamKind } from './remote.js';

/** Seconds between samples of the processes and the queues inside a window. */
export const SAMPLE_SECONDS = 10;
/** Width of one step of an incident's series, s: a minute. */
export const STEP_SECONDS = 60;
/** Window before the start (the baseline just before), s. */
export const LEAD_SECONDS = 1800;
/**
 * Events of one piece of a room's purge transaction: the model's time slice
 * of the transaction's work (0.15 s of PostgreSQL at 1.5 ms an event), not a
 * Synapse batch (the transaction commits once, at its end). PostgreSQL runs
 * each query to completion on a core in the model; small pieces let the
 * other queries pass between them, as the operating system shares the cores
 * among backends.
 */
export const PURGE_PIECE_EVENTS = 100;
/** Window after the end, at least, s: long enough to see a queue drain. */
export const TAIL_SECONDS = 4 * 3600;
/** A backup's dump is submitted in parts of this much reading, one after another. */
const DUMP_PART_SECONDS = 60;

/** Remote servers of an incident followed one by one (the most popular first): enough for a report's table. */
export const DESTINATION_DETAIL = 20;

/** One remote server of an incident, followed on its own. */
export interface DestinationRecord {
  /** Its rank among the remote servers (0: the most popular; federation.partners names the first ones). */
  server: number;
  /** Most PDUs queued for it at a sample. */
  backlogPeakPdus: number;
  /** Delay from persisted to acknowledged of PDUs delivered to it after the start, s. */
  lag: QuantileSketch;
  /** Seconds from the end until its queue was empty again (null: not within the window). */
  drainSeconds: number | null;
}

/** One incident as it happened in one replication. */
export interface IncidentRecord {
  kind: IncidentSpec['kind'];
  /** The scenario's name for it, or its kind and start ("remoteOutage day 1 10:00"). */
  name: string;
  startSeconds: number;
  endSeconds: number;
  /** The window recorded: from, to (s into the run) and the width of a step. */
  windowStartSeconds: number;
  windowEndSeconds: number;
  stepSeconds: number;
  /** Kind of each process of `busyCores` and `queue` (PostgreSQL as 'postgres'). */
  processKinds: string[];
  /** Mean busy cores per step, [process][step]. */
  busyCores: Float64Array[];
  /** Largest number of jobs beyond the cores seen per step, [process][step]. */
  queue: Float64Array[];
  /** Largest number of PDUs queued for the servers concerned per step. */
  backlogPdus: Float64Array;
  /** Remote servers concerned (remoteOutage: taken down). */
  servers: number;
  /** Failed transactions to any server during the window. */
  failedAttempts: number;
  /** Of the servers concerned, those that reached catch-up (failing for over an hour). */
  catchUpServers: number;
  /** Seconds from the end until what the incident queued is back to its level before the start (null: not within the run). */
  drainSeconds: number | null;
  /** PDUs still queued for them at the end of the run. */
  undeliveredPdus: number;
  /** From the start to the end of the run, for the servers concerned: PDUs queued, acknowledged, and folded into catch-up (fetched by the remote itself). */
  pdusQueued: number;
  pdusAcknowledged: number;
  pdusFolded: number;
  /** Queued at the start + queued since - acknowledged - folded - still queued: 0 when nothing was lost. */
  lostPdus: number;
  /** Delay from persisted to acknowledged of PDUs delivered to them after the start, s. */
  federationLag: QuantileSketch;
  /** The first DESTINATION_DETAIL of them, each on its own. */
  destinations: DestinationRecord[];
  /** Local sends completed inside the window, s. */
  sendLatency: QuantileSketch;
  /** An outage: acts users made while it was down (kept by their clients), calls of the constant-rate processes (account changes, remote traffic) kept, and users online at its end (each reconnecting). */
  keptActs: number;
  /** Acts beyond keptActsPerUser during the outage: not made (the users stopped trying). */
  actsNotMade: number;
  keptCalls: number;
  reconnectedUsers: number;
  /** A restore: the database and media restored (bytes), and the worst recovery point (s: what was written since the last backup is lost). */
  /** A spam wave: spam events that arrived (invites and media included), those a policy server caught, and the invites and media messages among them. */
  spamEvents: number;
  spamCaught: number;
  spamInvites: number;
  spamMedia: number;
  /** A purge: events deleted, when its last room's transaction ended (a backup: when its dump was done; s into the run; NaN: not within the run), and the bytes their rows held (free for reuse; the disk does not shrink). */
  purgedEvents: number;
  doneSeconds: number;
  purgedBytes: number;
  /** A purge: rooms in its plan and those whose transaction ended; transactions at once, at most; the longest one, s (its room's backfill waited that long). */
  purgeRooms: number;
  purgedRooms: number;
  purgeConcurrentRooms: number;
  purgeLongestRoomSeconds: number;
  /** A purge: main's queries that waited for a database connection while its transactions held them all, their waits in all and the longest, s. */
  connectionWaits: number;
  connectionWaitSeconds: number;
  connectionWaitMaxSeconds: number;
  copiedDatabaseBytes: number;
  /** A backup: seconds of dumping the database at the stated throughput (the dump itself is done at `doneSeconds`, later when PostgreSQL is busy). */
  dumpSeconds: number;
  dumpedSeconds: number;
  copiedMediaBytes: number;
  recoveryPointSeconds: number;
  /** Local sends completed from the start until what it queued has drained (or the window ends), s: a burst is not diluted by the hours around it. */
  sendLatencyDuring: QuantileSketch;
}

/** Spam events per minute of a wave, every kind. */
function spamPerMinute(spec: Extract<IncidentSpec, { kind: 'spamWave' }>): number {
  return spec.joinsPerMinute + spec.messagesPerMinute + spec.mediaPerMinute + spec.invitesPerMinute;
}

interface Live {
  index: number;
  spec: IncidentSpec;
  record: IncidentRecord;
  dests: Int32Array;
  /** Samples taken into the current step, and the running sums. */
  samples: number;
  /** When the drain was first seen complete (NaN: not yet). */
  drainedAt: number;
  failedAtStart: number;
  /** Most PDUs queued for the servers (remoteOutage), or jobs beyond the cores of all processes (the others), before the start: the level the queue drains back to. */
  leadBacklog: number;
  /** At the start: PDUs queued for the servers, and their counters (queued, acknowledged, folded). */
  atStart: [number, number, number, number];
}

function defaultName(spec: IncidentSpec): string {
  const h = Math.floor(spec.at.hour);
  const m = Math.round((spec.at.hour - h) * 60);
  return `${spec.kind} day ${spec.at.day} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export class Incidents {
  private readonly live: Live[] = [];
  /** Sends completed outside every window (the baseline), s. */
  readonly baselineSendLatency = new QuantileSketch();
  private readonly kinds: string[];
  private readonly cores: Float64Array;
  // Scratch for the server's probe, and each process's job core-seconds at the previous sample.
  private readonly areaNow: Float64Array;
  private readonly areaBefore: Float64Array;
  private readonly fluidNow: Float64Array;
  private readonly queueNow: Float64Array;
  private lastProbe = -1;
  private readonly hStart: HandlerId;
  private readonly hEnd: HandlerId;
  private readonly hSample: HandlerId;
  private readonly hLogin: HandlerId;
  private readonly hSpam: HandlerId;
  /** Spam events sent so far per incident (spamWave). */
  private readonly spamDone: number[] = [];
  private readonly hAct: HandlerId;
  private readonly hCall: HandlerId;
  private readonly hReconnect: HandlerId;
  /** Calls kept while down, made again on return (a slot freed once made). */
  private readonly calls: ((() => void) | undefined)[] = [];
  /** Events of each room when this server went down (the reconnecting clients' news is what came since). */
  private eventsAtDown = new Float64Array(0);
  private readonly rng: RandomSource;
  /** Logins made so far per incident (massLogin). */
  private readonly loginsDone: number[] = [];
  /** Per purge incident: its plan, the next room to start and its transactions in flight. */
  private readonly purges: ({ plan: PurgePlan; next: number; inFlight: number } | undefined)[] = [];
  /** Room transactions of purges in flight, by slot (the key of their pieces), and the free slots. */
  private readonly txns: ({ l: Live; left: number; startSeconds: number } | undefined)[] = [];
  private readonly freeTxns: number[] = [];

  constructor(private readonly st: ReplicationState) {
    const { s, sim, horizonSeconds } = st;
    const server = st.server;
    const processes = s.timeline.length > 0 ? (server.probeProcesses?.() ?? []) : [];
    this.kinds = processes.map((p) => p.kind);
    this.cores = Float64Array.from(processes, (p) => p.cores);
    this.areaNow = new Float64Array(processes.length);
    this.areaBefore = new Float64Array(processes.length);
    this.fluidNow = new Float64Array(processes.length);
    this.queueNow = new Float64Array(processes.length);
    const rng = sim.random('incidents');
    this.rng = rng;
    for (const spec of s.timeline) {
      const start = joinAtSeconds(spec.at);
      // A restore or a backup lasts what copying the database (and media) takes (src/analysis/replicate.ts), else as stated.
      const plan = spec.kind === 'restore' || spec.kind === 'backup' ? st.copyPlans[this.live.length] : undefined;
      const seconds = spec.kind === 'restore' ? (plan?.seconds ?? spec.fixedMinutes * 60) : spec.kind === 'backup' ? (plan?.seconds ?? 0) : spec.durationMinutes * 60;
      const end = Math.min(horizonSeconds, start + seconds);
      // On the minute, so that overlapping windows sample at the same instants.
      const from = Math.max(0, Math.floor((start - LEAD_SECONDS) / STEP_SECONDS) * STEP_SECONDS);
      const to = Math.min(horizonSeconds, end + Math.max(TAIL_SECONDS, end - start));
      const steps = Math.max(1, Math.ceil((to - from) / STEP_SECONDS - 1e-9));
      const dests = this.serversOf(spec, rng);
      this.live.push({
        index: this.live.length,
        leadBacklog: 0,
        atStart: [0, 0, 0, 0],
        spec,
        dests,
        samples: 0,
        drainedAt: NaN,
        failedAtStart: 0,
        record: {
          kind: spec.kind,
          name: spec.name ?? defaultName(spec),
          startSeconds: start,
          endSeconds: end,
          windowStartSeconds: from,
          windowEndSeconds: to,
          stepSeconds: STEP_SECONDS,
          processKinds: this.kinds,
          busyCores: this.kinds.map(() => new Float64Array(steps)),
          queue: this.kinds.map(() => new Float64Array(steps)),
          backlogPdus: new Float64Array(steps),
          servers: dests.length,
          failedAttempts: 0,
          catchUpServers: 0,
          drainSeconds: null,
          undeliveredPdus: 0,
          pdusQueued: 0,
          pdusAcknowledged: 0,
          pdusFolded: 0,
          lostPdus: 0,
          federationLag: new QuantileSketch(),
          destinations: Array.from(dests.subarray(0, DESTINATION_DETAIL), (server) => ({ server, backlogPeakPdus: 0, lag: new QuantileSketch(), drainSeconds: null })),
          sendLatency: new QuantileSketch(),
          sendLatencyDuring: new QuantileSketch(),
          keptActs: 0,
          actsNotMade: 0,
          keptCalls: 0,
          reconnectedUsers: 0,
          spamEvents: 0,
          spamCaught: 0,
          spamInvites: 0,
          spamMedia: 0,
          purgedEvents: 0,
          doneSeconds: NaN,
          purgedBytes: 0,
          purgeRooms: 0,
          purgedRooms: 0,
          purgeConcurrentRooms: 0,
          purgeLongestRoomSeconds: 0,
          connectionWaits: 0,
          connectionWaitSeconds: 0,
          connectionWaitMaxSeconds: 0,
          copiedDatabaseBytes: plan?.databaseBytes ?? 0,
          copiedMediaBytes: plan?.mediaBytes ?? 0,
          recoveryPointSeconds: spec.kind === 'restore' ? spec.backupIntervalHours * 3600 : spec.kind === 'backup' ? spec.intervalHours * 3600 : 0,
          dumpSeconds: plan?.databaseSeconds ?? 0,
          dumpedSeconds: 0,
        },
      });
    }
    this.hStart = sim.handler((i) => this.begin(this.live[i]!));
    this.hEnd = sim.handler((i) => this.end(this.live[i]!));
    this.hSample = sim.handler((i) => this.sample(this.live[i]!));
    this.hLogin = sim.handler((i) => this.login(this.live[i]!));
    this.hSpam = sim.handler((i) => this.spam(this.live[i]!));
    this.hAct = sim.handler((u) => this.st.m.messaging.actNow(u));
    this.hCall = sim.handler((k) => {
      const call = this.calls[k]!;
      this.calls[k] = undefined;
      call();
    });
    this.hReconnect = sim.handler((u) => this.st.m.sessions.reconnect(u, this.eventsAtDown));
    // A piece of a room's purge is done: the next one (the key is the transaction's slot).
    if (s.timeline.some((x) => x.kind === 'purge')) {
      server.whenDone('purge', (k) => this.purgePieceDone(k));
      // A wait of main's queries for a connection counts for every purge holding connections then.
      server.onConnectionWait = (seconds) => {
        for (const l of this.live) {
          if (l.spec.kind !== 'purge' || (this.purges[l.index]?.inFlight ?? 0) === 0) continue;
          const r = l.record;
          r.connectionWaits++;
          r.connectionWaitSeconds += seconds;
          if (seconds > r.connectionWaitMaxSeconds) r.connectionWaitMaxSeconds = seconds;
        }
      };
    }
    // A part of a dump is done: the next one.
    if (s.timeline.some((x) => x.kind === 'backup')) server.whenDone('backup', (i) => this.dumpPart(this.live[i]!));
    if (this.live.length > 0) {
      server.onLocalSend = (seconds) => this.sent(seconds);
      if (st.fed) st.fed.onDelivered = (dest, seconds) => this.delivered(dest, seconds);
    }
  }

  /** The remote servers an incident concerns, most popular first or a random share. */
  private serversOf(spec: IncidentSpec, rng: () => number): Int32Array {
    const n = this.st.fed ? this.st.w.remoteServers : 0;
    if (spec.kind !== 'remoteOutage' || n === 0) return new Int32Array(0);
    const sel = spec.servers;
    if (sel.largest !== undefined) return Int32Array.from({ length: Math.min(n, sel.largest) }, (_, i) => i);
    // Partners are the most popular servers in order: a name's place in the list is the server's rank (sorted for the binary search).
    if (sel.names !== undefined) return Int32Array.from(sel.names.map((x) => this.st.s.federation.partners.indexOf(x)).filter((d) => d >= 0 && d < n)).sort();
    const out: number[] = [];
    const share = sel.share ?? 0;
    for (let d = 0; d < n; d++) if (rng() < share) out.push(d);
    return Int32Array.from(out);
  }

  startClocks(): void {
    const sim = this.st.sim;
    this.live.forEach((l, i) => {
      sim.schedule(l.record.windowStartSeconds - sim.now, this.hSample, i);
      sim.schedule(l.record.startSeconds - sim.now, this.hStart, i);
      sim.schedule(l.record.endSeconds - sim.now, this.hEnd, i);
    });
  }

  private begin(l: Live): void {
    const fed = this.st.fed;
    l.failedAtStart = fed?.failedAttempts ?? 0;
    l.atStart = [this.backlog(l), ...this.counts(l)];
    if (this.st.incidentsInert) return;
    if (l.spec.kind === 'remoteOutage' && fed) for (const d of l.dests) fed.takeDown(d);
    if (l.spec.kind === 'massLogin') this.nextLogin(l);
    if (l.spec.kind === 'purge') this.startPurge(l);
    if (l.spec.kind === 'backup') this.dumpPart(l, true);
    if (l.spec.kind === 'spamWave') this.nextSpam(l);
    if (l.spec.kind === 'outage' || l.spec.kind === 'restore') {
      this.st.down = true;
      this.st.keptActsPerUser = l.spec.keptActsPerUser;
      this.st.m.messaging.keptByUser.clear();
      this.st.m.messaging.actsNotMade = 0;
      fed?.pause();
      this.eventsAtDown = Float64Array.from(this.st.roomEvents);
    }
  }

  /**
   * This server is back: clients reconnect and send what their users did
   * meanwhile, and what remote servers and the constant-rate processes kept
   * comes, each at a time drawn evenly over `reconnectSeconds`.
   */
  private comeBack(l: Live): void {
    const st = this.st;
    const spec = l.spec;
    if (spec.kind !== 'outage' && spec.kind !== 'restore') return;
    st.down = false;
    st.fed?.resume();
    const spread = spec.reconnectSeconds;
    const users = st.m.sessions.onlineUsersNow();
    l.record.reconnectedUsers += users.length;
    for (const u of users) st.sim.schedule(this.rng() * spread, this.hReconnect, u);
    const acts = st.m.messaging.deferredUsers.splice(0);
    l.record.keptActs += acts.length;
    l.record.actsNotMade += st.m.messaging.actsNotMade;
    for (const u of acts) st.sim.schedule(this.rng() * spread, this.hAct, u);
    const calls = st.deferredCalls.splice(0);
    l.record.keptCalls += calls.length;
    for (const call of calls) {
      this.calls.push(call);
      st.sim.schedule(this.rng() * spread, this.hCall, this.calls.length - 1);
    }
  }

  /**
   * Schedule the next login of a mass login: the k-th of n comes at
   * start + (k + u) x duration / n, u uniform in [0, 1), so they come evenly
   * and none after the end.
   */
  private nextLogin(l: Live): void {
    const spec = l.spec;
    const k = this.loginsDone[l.index] ?? 0;
    if (spec.kind !== 'massLogin' || k >= spec.users) return;
    const at = l.record.startSeconds + ((k + this.rng()) * spec.durationMinutes * 60) / spec.users;
    this.st.sim.schedule(Math.max(0, at - this.st.sim.now), this.hLogin, l.index);
  }

  /**
   * A purge starts: its plan over the rooms by their history so far, and as
   * many room transactions as main has connections (one at a time without
   * PostgreSQL).
   */
  private startPurge(l: Live): void {
    const spec = l.spec;
    if (spec.kind !== 'purge') return;
    const st = this.st;
    const w = st.w;
    // A room's history: its activity weight times its members (what its members send into it), not the events of
    // the run so far (a purge at 01:00 would see only the rooms busy in the night).
    const history = Float64Array.from(w.roomWeight, (x, r) => x * (w.roomLocalMembers[r]! + w.roomRemoteMembers[r]!));
    const plan = purgePlan(history, spec.events, spec.rooms);
    const p = { plan, next: 0, inFlight: 0 };
    this.purges[l.index] = p;
    l.record.purgeRooms = plan.rooms.length;
    const atOnce = Math.min(plan.rooms.length, st.server.mainConnections ?? 1);
    l.record.purgeConcurrentRooms = atOnce;
    if (atOnce === 0) l.record.doneSeconds = st.sim.now;
    for (let k = 0; k < atOnce; k++) this.startRoomPurge(l);
  }

  /** The next room of a purge: its transaction takes one of main's connections. False when none is left. */
  private startRoomPurge(l: Live): boolean {
    const p = this.purges[l.index]!;
    if (p.next >= p.plan.rooms.length) return false;
    const left = p.plan.events[p.next++]!;
    const slot = this.freeTxns.pop() ?? this.txns.length;
    this.txns[slot] = { l, left, startSeconds: this.st.sim.now };
    p.inFlight++;
    this.st.server.holdConnection?.(1);
    this.purgePiece(slot);
    return true;
  }

  /** Submit the next piece of a room's transaction (waiting for this server's return when it is down). */
  private purgePiece(slot: number): void {
    const t = this.txns[slot]!;
    const st = this.st;
    const piece = Math.min(PURGE_PIECE_EVENTS, t.left);
    t.l.record.purgedBytes += piece * (K.pduBytes + K.eventRowBytes + K.eventAuxiliaryBytes);
    const submit = () => st.server.submit('purge', piece, 0, slot);
    if (st.down) st.deferredCalls.push(submit);
    else submit();
  }

  /** A piece is done: the next, or the end of the room's transaction (its connection given back, the next room started). */
  private purgePieceDone(slot: number): void {
    const t = this.txns[slot]!;
    const r = t.l.record;
    const piece = Math.min(PURGE_PIECE_EVENTS, t.left);
    t.left -= piece;
    r.purgedEvents += piece;
    if (t.left > 0) {
      this.purgePiece(slot);
      return;
    }
    const st = this.st;
    r.purgedRooms++;
    r.purgeLongestRoomSeconds = Math.max(r.purgeLongestRoomSeconds, st.sim.now - t.startSeconds);
    this.txns[slot] = undefined;
    this.freeTxns.push(slot);
    const p = this.purges[t.l.index]!;
    p.inFlight--;
    st.server.holdConnection?.(-1);
    if (!this.startRoomPurge(t.l) && p.inFlight === 0) r.doneSeconds = st.sim.now;
  }

  /**
   * The next part of a backup's dump (a minute of reading at the stated
   * throughput), or its end. Parts run one after another, so the dump keeps
   * one PostgreSQL backend busy and takes longer when the database is busy.
   */
  private dumpPart(l: Live, first = false): void {
    const r = l.record;
    const st = this.st;
    if (!first) r.dumpedSeconds += Math.min(DUMP_PART_SECONDS, r.dumpSeconds - r.dumpedSeconds);
    if (r.dumpedSeconds >= r.dumpSeconds) {
      r.doneSeconds = st.sim.now;
      return;
    }
    const part = Math.min(DUMP_PART_SECONDS, r.dumpSeconds - r.dumpedSeconds);
    const submit = () => st.server.submit('backup', part, 0, l.index);
    if (st.down) st.deferredCalls.push(submit);
    else submit();
  }

  /** Spam events of a wave in all: its rate times its duration. */
  private spamTotal(l: Live): number {
    const spec = l.spec;
    return spec.kind === 'spamWave' ? Math.floor((spamPerMinute(spec) * (l.record.endSeconds - l.record.startSeconds)) / 60) : 0;
  }

  /** Schedule the next spam event of a wave: the k-th of n at start + (k + u) x duration / n. */
  private nextSpam(l: Live): void {
    const k = this.spamDone[l.index] ?? 0;
    const n = this.spamTotal(l);
    if (k >= n) return;
    const at = l.record.startSeconds + ((k + this.rng()) * (l.record.endSeconds - l.record.startSeconds)) / n;
    this.st.sim.schedule(Math.max(0, at - this.st.sim.now), this.hSpam, l.index);
  }

  /** One spam event: a join, a message, a media message or an invite (in proportion to their rates), caught or not by the policy server. While this server is down its sender retries later. */
  private spam(l: Live): void {
    const spec = l.spec;
    if (spec.kind !== 'spamWave') return;
    const st = this.st;
    const rng = this.rng;
    const x = rng() * spamPerMinute(spec);
    const kind: SpamKind =
      x < spec.joinsPerMinute
        ? 'join'
        : x < spec.joinsPerMinute + spec.messagesPerMinute
          ? 'message'
          : x < spec.joinsPerMinute + spec.messagesPerMinute + spec.mediaPerMinute
            ? 'media'
            : 'invite';
    // Drawn with or without a policy server, so that a wave with one differs from the same wave without it only by the checks and what they catch.
    const caught = rng() < spec.caughtShare && spec.policyServer;
    const event = () => {
      if (!st.m.remote.spamEvent(kind, spec.policyServer, caught, rng)) return;
      l.record.spamEvents++;
      if (caught) l.record.spamCaught++;
      if (kind === 'invite') l.record.spamInvites++;
      if (kind === 'media') l.record.spamMedia++;
    };
    if (st.down) st.deferredCalls.push(event);
    else event();
    this.spamDone[l.index] = (this.spamDone[l.index] ?? 0) + 1;
    this.nextSpam(l);
  }

  /** One login: a user drawn at random logs in on a new device. */
  private login(l: Live): void {
    const st = this.st;
    const spec = l.spec;
    if (spec.kind !== 'massLogin') return;
    const u = Math.floor(this.rng() * st.w.users);
    const rng = this.rng;
    const login = () => {
      st.count(M['client.bytes_in'], K.httpRequestBytes + K.loginRequestBodyBytes);
      // With the authentication service (MAS) the password is checked there (its own CPU, src/server/components.ts), not here.
      st.server.submit('login', spec.passwordLogins && !st.s.components.authService.enabled ? 1 : 0, u);
      st.m.e2ee.newDevice(u, rng);
    };
    // While this server is down the login waits for its return, as the user does.
    if (st.down) st.deferredCalls.push(login);
    else login();
    this.loginsDone[l.index] = (this.loginsDone[l.index] ?? 0) + 1;
    this.nextLogin(l);
  }

  private end(l: Live): void {
    const fed = this.st.fed;
    if (this.st.incidentsInert) return;
    if (l.spec.kind === 'outage' || l.spec.kind === 'restore') return this.comeBack(l);
    if (l.spec.kind === 'remoteOutage' && fed) {
      for (const d of l.dests) if (fed.inCatchUp(d)) l.record.catchUpServers++;
      for (const d of l.dests) fed.bringUp(d);
    }
  }

  /** PDUs queued for the servers of `l`. */
  private backlog(l: Live): number {
    const fed = this.st.fed;
    if (!fed) return 0;
    let n = 0;
    for (const d of l.dests) n += fed.backlogOf(d);
    return n;
  }

  /** PDUs queued, acknowledged and folded into catch-up for the servers of `l`, over the run so far. */
  private counts(l: Live): [number, number, number] {
    const fed = this.st.fed;
    let queued = 0;
    let acknowledged = 0;
    let folded = 0;
    if (fed) {
      for (const d of l.dests) {
        queued += fed.pdusQueued[d]!;
        acknowledged += fed.pdusAcknowledged[d]!;
        folded += fed.pdusFolded[d]!;
      }
    }
    return [queued, acknowledged, folded];
  }

  private sample(l: Live): void {
    const { sim } = this.st;
    const now = sim.now;
    const r = l.record;
    const step = Math.min(r.backlogPdus.length - 1, Math.floor((now - r.windowStartSeconds) / STEP_SECONDS));
    this.probe(now);
    for (let p = 0; p < this.kinds.length; p++) {
      // Over the last sample interval: the jobs' share of the cores is what the fluid leaves them.
      const jobs = (this.areaNow[p]! - this.areaBefore[p]!) / SAMPLE_SECONDS;
      const u = this.fluidNow[p]!;
      r.busyCores[p]![step]! += Math.min(this.cores[p]!, jobs * (1 - u) + u * this.cores[p]!) * (SAMPLE_SECONDS / STEP_SECONDS);
      if (this.queueNow[p]! > r.queue[p]![step]!) r.queue[p]![step] = this.queueNow[p]!;
    }
    const backlog = this.backlog(l);
    if (backlog > r.backlogPdus[step]!) r.backlogPdus[step] = backlog;
    const fed = this.st.fed;
    if (fed) {
      for (const d of r.destinations) {
        const queued = fed.backlogOf(d.server);
        if (queued > d.backlogPeakPdus) d.backlogPeakPdus = queued;
        if (now >= activeEnd(l) && d.drainSeconds === null && queued === 0) d.drainSeconds = now - r.endSeconds;
      }
    }
    // What drains: the PDUs queued for the servers of a remote outage, else the jobs beyond the cores of every process.
    let level = backlog;
    if (l.spec.kind !== 'remoteOutage') {
      level = 0;
      for (let p = 0; p < this.queueNow.length; p++) level += this.queueNow[p]!;
    }
    if (now < r.startSeconds) l.leadBacklog = Math.max(l.leadBacklog, level);
    else if (now >= activeEnd(l) && Number.isNaN(l.drainedAt) && level <= l.leadBacklog) l.drainedAt = now;
    if (now + SAMPLE_SECONDS < r.windowEndSeconds) sim.schedule(SAMPLE_SECONDS, this.hSample, l.index);
    else r.failedAttempts = (this.st.fed?.failedAttempts ?? 0) - l.failedAtStart;
  }

  /**
   * Read the server's processes once per instant (incidents whose windows
   * overlap share the reading); the previous reading is kept for the
   * differences. A window's first sample reads the interval before it.
   */
  private probe(now: number): void {
    if (now === this.lastProbe || !this.st.server.probe) return;
    this.areaBefore.set(this.areaNow);
    this.st.server.probe(this.areaNow, this.fluidNow, this.queueNow);
    if (this.lastProbe < 0 || now - this.lastProbe > SAMPLE_SECONDS + 1e-9) {
      // No reading SAMPLE_SECONDS ago: take the mean since the start instead of a gap.
      for (let p = 0; p < this.areaNow.length; p++) this.areaBefore[p] = now > 0 ? this.areaNow[p]! - (this.areaNow[p]! / now) * SAMPLE_SECONDS : 0;
    }
    this.lastProbe = now;
  }

  private sent(seconds: number): void {
    const now = this.st.sim.now;
    let any = false;
    for (const l of this.live) {
      if (now >= l.record.windowStartSeconds && now < l.record.windowEndSeconds) {
        l.record.sendLatency.add(seconds);
        if (now >= l.record.startSeconds && (now < activeEnd(l) || Number.isNaN(l.drainedAt))) l.record.sendLatencyDuring.add(seconds);
        any = true;
      }
    }
    if (!any) this.baselineSendLatency.add(seconds);
  }

  private delivered(dest: number, seconds: number): void {
    const now = this.st.sim.now;
    for (const l of this.live) {
      if (now < l.record.startSeconds || l.dests.length === 0) continue;
      // The servers are the most popular ones or a sorted random share: a binary search finds dest.
      if (!contains(l.dests, dest)) continue;
      l.record.federationLag.add(seconds);
      for (const d of l.record.destinations) if (d.server === dest) d.lag.add(seconds);
    }
  }

  /** The records, with what is known only at the end of the run. */
  finish(): IncidentRecord[] {
    const fed = this.st.fed;
    return this.live.map((l) => {
      const r = l.record;
      if (r.windowEndSeconds >= this.st.horizonSeconds) r.failedAttempts = (fed?.failedAttempts ?? 0) - l.failedAtStart;
      r.undeliveredPdus = this.backlog(l);
      const [queued, acknowledged, folded] = this.counts(l);
      r.pdusQueued = queued - l.atStart[1];
      r.pdusAcknowledged = acknowledged - l.atStart[2];
      r.pdusFolded = folded - l.atStart[3];
      r.lostPdus = l.atStart[0] + r.pdusQueued - r.pdusAcknowledged - r.pdusFolded - r.undeliveredPdus;
      r.drainSeconds = Number.isNaN(l.drainedAt) ? null : l.drainedAt - r.endSeconds;
      return r;
    });
  }
}

/** When an incident stops adding work: its end, or for an outage the end of the reconnect storm after it. */
function activeEnd(l: Live): number {
  return l.record.endSeconds + (l.spec.kind === 'outage' || l.spec.kind === 'restore' ? l.spec.reconnectSeconds : 0);
}

/** Whether the ascending `list` holds `x`. */
function contains(list: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
