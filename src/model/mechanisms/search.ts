/**
 * Server-side full-text search as Synapse does it on PostgreSQL
 * (synapse/storage/databases/main/search.py): every unencrypted message
 * persisted here, local or remote, gets an event_search row (its tsvector,
 * two B-tree entries and a GIN posting per lexeme); encrypted rooms are not
 * indexed (the server cannot read them; clients search locally). Users
 * search (POST /search) at `features.search.queriesPerUserPerDay` over their
 * online time, from a stream of their own ('search'), so turning search off
 * changes no other draw.
 *
 * A query's cost grows with the rows it matches: the GIN index yields every
 * row holding the terms, in every room, before the room filter, and
 * search_msgs ranks all of them and counts them again by room. Rows matched
 * = `searchMatchShare` x the rows the index holds, estimated per room kind
 * as the rate indexed so far in the run x the days the kind keeps its events
 * by the end of the horizon (its retention, or the horizon): the index a
 * server of this size holds once it has run that long.
 */
import type { RandomSource } from '../../engine/random.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import { daysHeldOfKind } from '../retention.js';
import type { ReplicationState } from '../state.js';

export class Search {
  readonly enabled: boolean;
  /** Per user class, while online, per second. */
  private readonly queryRate: number[];
  private readonly rng: RandomSource;
  private readonly hQuery: number;
  /** Rows indexed during the run, per room kind. */
  readonly indexedByKind: Float64Array;
  /** Days each kind's rows are held by the end of the horizon. */
  private readonly daysHeld: number[];

  constructor(private readonly st: ReplicationState) {
    const { s, rhythm } = st;
    this.enabled = s.features.search.enabled;
    this.rng = st.sim.random('search');
    const perDay = this.enabled ? s.features.search.queriesPerUserPerDay : 0;
    this.queryRate = s.population.classes.map((_, i) => {
      const online = rhythm.onlineSecondsPerDay[i] ?? 0;
      return online > 0 ? perDay / online : 0;
    });
    this.indexedByKind = new Float64Array(s.rooms.kinds.length);
    this.daysHeld = s.rooms.kinds.map((_, k) => daysHeldOfKind(s, k));
    this.hQuery = st.sim.handler((token) => this.query(token));
  }

  /**
   * Index a message of room r with a body of `bodyBytes` (nothing when search
   * is off or the room is encrypted): its row with its index entries, and the
   * work of indexing it.
   */
  index(r: number, bodyBytes: number): void {
    const st = this.st;
    if (!this.enabled || st.w.roomEncrypted[r] === 1) return;
    st.addStorage(M['storage.eventSearch'], indexBytes(bodyBytes));
    st.count(M['search.indexed'], 1);
    this.indexedByKind[st.w.roomKind[r]!]!++;
    st.server.submit('searchIndex', 1, r);
  }

  /** A session began: its first search, if its user's class searches at all. */
  startSession(u: number, token: number): void {
    const rate = this.queryRate[this.st.w.userClass[u]!]!;
    if (rate > 0) this.st.sim.schedule(this.st.exp(rate, this.rng), this.hQuery, token);
  }

  /** Rows the index holds by the end of the horizon, at the rates indexed so far. */
  rowsHeld(): number {
    const elapsedDays = Math.max(this.st.sim.now, 3600) / 86400;
    let rows = 0;
    for (let k = 0; k < this.indexedByKind.length; k++) rows += (this.indexedByKind[k]! / elapsedDays) * this.daysHeld[k]!;
    return rows;
  }

  private query(token: number): void {
    const st = this.st;
    const u = st.m.sessions.userOf(token);
    if (u < 0) return;
    st.sim.schedule(st.exp(this.queryRate[st.w.userClass[u]!]!, this.rng), this.hQuery, token);
    // The server is down: the search fails and the user does without it.
    if (st.down) return;
    const rows = K.searchMatchShare * this.rowsHeld();
    st.count(M['search.queries'], 1);
    st.count(M['search.rows_matched'], rows);
    st.server.submit('search', rows, u);
  }
}

/**
 * Bytes of one event_search row for a body of `bodyBytes`: the row, its two
 * B-tree entries, its tsvector and its GIN postings.
 * @example indexBytes(120) // 165 + 110 + 120 x (1.2 + 0.3) = 455
 */
export function indexBytes(bodyBytes: number): number {
  return K.searchRowBytes + K.searchRowIndexBytes + bodyBytes * (K.searchVectorBytesPerBodyByte + K.searchGinBytesPerBodyByte);
}
