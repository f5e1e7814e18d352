/**
 * Forks, gaps and state resolution for inbound PDUs (src/model/forks.ts
 * derives the windows).
 *
 * Fork: an inbound event whose sender had not seen an event we hold, a local
 * one created within the local window or a third server's that reached us
 * within the third-party window. Both events are simulated, so the test is
 * on their times. When either side of the fork changed state, the branches
 * hold different state groups and the event persister resolves them when it
 * persists the event (synapse/storage/controllers/persist_events.py:1236-1270):
 * it loads and separates the two state maps, every entry of each
 * (synapse/state/v2.py:523-550), then resolves the full conflicted set, the
 * conflicted state and the auth-chain difference (v2.py:118-231). Forks of
 * messages alone share one state group and need nothing (state/__init__.py:516).
 *
 * Gap: an inbound event naming a prev_event still in flight to us, which
 * Synapse fetches with /get_missing_events (at most 10 events,
 * synapse/handlers/federation_event.py:827-840). Those events are not seen
 * yet, so the chance is drawn from the closed form, from the 'forks' stream.
 *
 * Rooms still partial-stated after a join are left to the join's resync
 * (mechanisms/joins.ts).
 */
import type { RandomSource } from '../../engine/random.js';
import { toDistribution } from '../world.js';
import { K } from '../coefficients.js';
import { forkProbability, forkWindows, gapWindowSeconds } from '../forks.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

/**
 * Per room with remote members (indexed by `w.roomFedIndex`: only those
 * receive remote events), the last arrival, its origin, and the last arrival
 * from any other origin.
 */
class LastArrivals {
  private readonly at: Float64Array;
  private readonly origin: Int32Array;
  private readonly otherAt: Float64Array;

  constructor(fedRooms: number) {
    this.at = new Float64Array(fedRooms).fill(-Infinity);
    this.origin = new Int32Array(fedRooms).fill(-1);
    this.otherAt = new Float64Array(fedRooms).fill(-Infinity);
  }

  record(f: number, origin: number, t: number): void {
    if (this.origin[f] !== origin) {
      this.otherAt[f] = this.at[f]!;
      this.origin[f] = origin;
    }
    this.at[f] = t;
  }

  /** The last arrival in room f (its index among the rooms with remote members) from an origin other than `origin`, s (-Infinity: none). */
  latestNotFrom(f: number, origin: number): number {
    return this.origin[f] !== origin ? this.at[f]! : this.otherAt[f]!;
  }
}

export class StateResolution {
  private readonly events: LastArrivals;
  private readonly stateEvents: LastArrivals;
  /** Mean time a remote server takes to accept a transaction, s. */
  private readonly theirProcessingSeconds: number;
  private readonly rng: RandomSource;

  constructor(private readonly st: ReplicationState) {
    this.events = new LastArrivals(st.w.fedRooms.length);
    this.stateEvents = new LastArrivals(st.w.fedRooms.length);
    this.theirProcessingSeconds = toDistribution(st.s.federation.remoteProcessingMs).mean / 1000;
    this.rng = st.sim.random('forks');
  }

  /** An inbound PDU of room r (a room with remote members) from `origin`, a state event or not: forks and gaps, and the resolutions they need. */
  inboundPdu(r: number, origin: number, isState: boolean): void {
    const st = this.st;
    const now = st.sim.now;
    const f = st.w.roomFedIndex[r]!;
    if (f < 0) throw new RangeError(`room ${r} has no remote members: no remote PDU can come from it`);
    const partial = st.m.joins.partialStateEvent(r, origin);
    if (!partial && st.fed) {
      const latency = st.fed.latencySeconds[origin]!;
      // Gap: a prev_event from a third server, on its way to us still.
      const [from, to] = st.destinationsOf(r);
      const thirdParty = st.m.remote.remoteEventsPerSecond(r) * (to - from > 1 ? 1 - 1 / (to - from) : 0);
      if (thirdParty > 0 && this.rng() < forkProbability(thirdParty, gapWindowSeconds(latency, this.theirProcessingSeconds))) {
        st.count(M['fed.in.get_missing_events'], 1);
        st.count(M['fed.in.bytes'], K.transactionOverheadBytes + K.pduBytes);
        st.server.submit('fedInTransaction', 1, origin);
      }
      // Fork: an event we hold that the origin had not seen when it sent this one.
      const w = forkWindows(latency, this.theirProcessingSeconds, K.inboundTransactionProcessingSeconds);
      if (now - st.lastLocalEventAt[f]! < w.local || now - this.events.latestNotFrom(f, origin) < w.thirdParty) {
        st.count(M['fed.in.forks'], 1);
        const otherState = now - st.lastLocalStateAt[f]! < w.local || now - this.stateEvents.latestNotFrom(f, origin) < w.thirdParty;
        const stateEvents = (isState ? 1 : 0) + (otherState ? 1 : 0);
        if (stateEvents > 0) this.resolve(r, 2 * st.w.roomStateSize[r]!, stateEvents * K.conflictedEventsPerStateEvent);
      }
    }
    this.events.record(f, origin, now);
    if (isState) this.stateEvents.record(f, origin, now);
  }

  /**
   * One state resolution in room r: `stateEntries` entries of state maps
   * loaded and compared, and a full conflicted set of `conflictedEvents`.
   */
  resolve(r: number, stateEntries: number, conflictedEvents: number): void {
    const st = this.st;
    st.count(M['fed.in.state_resolutions'], 1);
    st.count(M['fed.in.state_res_events'], conflictedEvents);
    st.server.submit('stateLoad', stateEntries, r);
    st.server.submit('stateRes', conflictedEvents, r);
  }
}
