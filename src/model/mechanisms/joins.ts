/**
 * Joins of remote rooms, partial-state as Synapse makes them by default
 * (send_join with partial_state=True, synapse/federation/federation_client.py:1080-1118):
 *
 * 1. Foreground: make_join and send_join with a server in the room. The
 *    answer omits the members: the room's other state and its auth chain.
 *    The join is persisted and the room is usable at once.
 * 2. Background, on the main process only (synapse/handlers/federation.py:1910-2010):
 *    the state at the join is fetched, /state_ids and then /state since
 *    nearly all of it is missing (federation_event.py:1338-1350), and the
 *    full state and auth chain are stored. Then every event received in the
 *    meantime has its state computed again (update_state_for_partial_state_event,
 *    federation_event.py:650-703), batch after batch until none is left, and
 *    the room stops being partial-stated.
 *
 * Each phase is one 'fedJoin' job, so the resync holds main for as long as
 * its CPU takes there and its end is when the job completes. An event that
 * reaches us meanwhile from a server we have not heard from since the join
 * may name prev_events from before the join, which we never had and cannot
 * fetch with /get_missing_events below the join: it needs /state_ids. It
 * does when an event of the room was created before that server saw our
 * join, within the third-party window of src/model/forks.ts: drawn with the
 * closed form from the 'joins' stream.
 *
 * Joins come from room kinds with `joinAt` (once, at that time; the room is
 * not joined before: no traffic, no members acting, no destinations) and
 * from `federation.publicRoomJoinsPerDay` (rooms hostedRemotely, at random,
 * from mechanisms/remote.ts). The storage of a scheduled join is a one-off,
 * added to the storage at the start of the projection; that of random joins
 * is a constant daily rate.
 */
import type { RandomSource } from '../../engine/random.js';
import { K } from '../coefficients.js';
import { forkProbability, forkWindows } from '../forks.js';
import { M, METRICS } from '../metrics.js';
import type { ReplicationState } from '../state.js';
import { joinRoom, toDistribution } from '../world.js';

const NOT_JOINING = 0;
const FOREGROUND = 1;
const RESYNC = 2;

export class RoomJoins {
  /** The phase of each room's join in progress. */
  private readonly phase: Uint8Array;
  /** Events received in each room during its resync and not yet re-processed. */
  private readonly pending = new Map<number, number>();
  /** Remote servers heard from in each partial-stated room since its join. */
  private readonly heardFrom = new Map<number, Set<number>>();
  /** Storage written by scheduled joins, bytes per metric index: a one-off, not a daily rate. */
  readonly oneOffStorage = new Float64Array(METRICS.length);
  /** The most events a join may download: state and auth chain of the largest room local users join (0 when none). */
  readonly largestJoinEvents: number;
  private readonly theirProcessingSeconds: number;
  private readonly rng: RandomSource;
  private readonly joinHandler: number;

  constructor(private readonly st: ReplicationState) {
    const { s, w } = st;
    this.phase = new Uint8Array(w.rooms);
    this.theirProcessingSeconds = toDistribution(s.federation.remoteProcessingMs).mean / 1000;
    this.rng = st.sim.random('joins');
    // A join scheduled while this server is down is made on its return.
    this.joinHandler = st.sim.handler((r) => (st.down ? void st.deferredCalls.push(() => this.join(r)) : this.join(r)));
    st.server.whenDone('fedJoin', (r) => this.phaseDone(r));
    let largest = 0;
    for (let r = 0; r < w.rooms; r++) {
      const kind = s.rooms.kinds[w.roomKind[r]!]!;
      const randomly = kind.hostedRemotely && w.roomRemoteMembers[r]! > 0 && s.federation.publicRoomJoinsPerDay > 0;
      if (w.roomJoinSeconds[r]! > 0 || randomly) largest = Math.max(largest, this.joinEvents(r));
    }
    this.largestJoinEvents = largest;
  }

  /** Schedule the joins of room kinds with `joinAt`. */
  start(): void {
    const { sim, w } = this.st;
    for (let r = 0; r < w.rooms; r++) {
      const t = w.roomJoinSeconds[r]!;
      if (t > 0 && t < this.st.horizonSeconds) sim.scheduleAt(t, this.joinHandler, r);
    }
  }

  /** State and auth-chain events of room r: its current state and its historic state. */
  joinEvents(r: number): number {
    const { s, w } = this.st;
    const state = w.roomStateSize[r]!;
    return state + (s.rooms.kinds[w.roomKind[r]!]!.historicStateEvents ?? state * (K.authChainFactor - 1));
  }

  /** A local user joins room r, hosted elsewhere: the foreground of a partial-state join. Nothing if r is being joined already. */
  join(r: number): void {
    const st = this.st;
    if (this.phase[r] !== NOT_JOINING) return;
    this.phase[r] = FOREGROUND;
    st.count(M['fed.in.joins'], 1);
    // send_join's answer: the state without members, and its auth chain.
    const partial = st.s.rooms.kinds[st.w.roomKind[r]!]!.baseStateEvents * K.authChainFactor;
    const bytes = K.transactionOverheadBytes + partial * K.stateEventBytes;
    st.count(M['fed.in.bytes'], bytes);
    st.count(M['fed.in.state_bytes'], bytes);
    st.server.submit('fedJoin', partial, r, r);
  }

  /** A phase of room r's join completed on the server. */
  private phaseDone(r: number): void {
    const st = this.st;
    if (this.phase[r] === FOREGROUND) {
      this.joined(r);
      this.phase[r] = RESYNC;
      this.heardFrom.set(r, new Set());
      // The state at the join: its ids, then the state and auth chain themselves.
      const events = this.joinEvents(r);
      const bytes = 2 * K.transactionOverheadBytes + events * (K.eventIdBytes + K.stateEventBytes);
      st.count(M['fed.in.bytes'], bytes);
      st.count(M['fed.in.state_bytes'], bytes);
      this.store(r, M['storage.eventJson'], events * K.stateEventBytes);
      this.store(r, M['storage.eventRows'], events * (K.eventRowBytes + K.eventAuxiliaryBytes));
      this.store(r, M['storage.stateGroups'], st.w.roomStateSize[r]! * K.stateGroupRowBytes);
      st.server.countPersisted(events);
      st.server.submit('fedJoin', events, r, r);
      return;
    }
    // The resync's batches: what arrived meanwhile, until nothing did.
    const pending = this.pending.get(r) ?? 0;
    if (pending > 0) {
      this.pending.delete(r);
      st.server.submit('fedJoin', pending, r, r);
      return;
    }
    this.phase[r] = NOT_JOINING;
    this.heardFrom.delete(r);
  }

  /**
   * The join event is persisted: a scheduled room becomes joined, and its
   * other local members join too. Joins rotate no Megolm session (spec,
   * end-to-end encryption, rotation on leaves); big rooms are seldom encrypted.
   */
  private joined(r: number): void {
    const st = this.st;
    const w = st.w;
    st.count(M['m.room.member'], 1);
    st.persist(r, K.stateEventBytes, true);
    st.markLocalEvent(r, true);
    if (w.roomJoined[r]) return;
    joinRoom(w, r);
    for (let i = 1; i < w.roomLocalMembers[r]!; i++) {
      st.persistAndFanOut(r, M['m.room.member'], K.stateEventBytes, K.stateEventBytes * K.stateEventSyncFactor, true);
    }
  }

  /**
   * An inbound PDU of room r from `origin`: true when the room is partial-stated,
   * the event then left to the resync (and, if it names prev_events from
   * before the join, fetched state with /state_ids).
   */
  partialStateEvent(r: number, origin: number): boolean {
    if (this.phase[r] === NOT_JOINING) return false;
    const st = this.st;
    st.count(M['fed.in.partial_state_events'], 1);
    this.pending.set(r, (this.pending.get(r) ?? 0) + 1);
    const heard = this.heardFrom.get(r);
    if (heard && !heard.has(origin) && st.fed) {
      heard.add(origin);
      const window = forkWindows(st.fed.latencySeconds[origin]!, this.theirProcessingSeconds, K.inboundTransactionProcessingSeconds).thirdParty;
      if (this.rng() < forkProbability(st.m.remote.remoteEventsPerSecond(r), window)) this.stateIds(r, origin);
    }
    return true;
  }

  /** /state_ids to `origin` for room r: every state and auth event id, checked and resolved against ours. */
  private stateIds(r: number, origin: number): void {
    const st = this.st;
    const state = st.w.roomStateSize[r]!;
    const ids = this.joinEvents(r);
    const bytes = K.transactionOverheadBytes + ids * K.eventIdBytes;
    st.count(M['fed.in.state_ids'], 1);
    st.count(M['fed.in.bytes'], bytes);
    st.count(M['fed.in.state_bytes'], bytes);
    st.server.submit('fedInTransaction', 1, origin);
    st.m.stateResolution.resolve(r, ids + 2 * state, K.conflictedEventsPerStateEvent);
  }

  /** Count storage written by room r's join: a one-off for a scheduled join, a daily rate for random ones. */
  private store(r: number, metric: number, bytes: number): void {
    this.st.count(metric, bytes);
    const once = this.st.w.roomJoinSeconds[r]! > 0;
    (once ? this.oneOffStorage : this.st.constantStorage)[metric]! += bytes;
  }
}
