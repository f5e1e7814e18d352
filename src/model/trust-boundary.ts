/**
 * The federation trust boundary: what leaves this server for each remote
 * server, counted where each item is queued for a destination (federation.ts
 * and the mechanisms that fan out to a room's servers). One typed array per
 * kind, indexed by destination, so the cost on the hot path is one increment.
 *
 * PDUs are counted by what a remote server can read of them: events with
 * readable content (messages, media messages and reactions in unencrypted
 * rooms), encrypted events (m.room.encrypted: the remote sees their timing,
 * size, sender and room, not their content), state events (membership,
 * profile changes, call membership), and the rest (redactions: which event
 * was removed, no content). Media is counted in bytes a remote server fetches.
 */

/** What a PDU lets a remote server read. */
export const PDU_PLAINTEXT = 0;
export const PDU_ENCRYPTED = 1;
export const PDU_STATE = 2;
export const PDU_OTHER = 3;
export type PduKind = typeof PDU_PLAINTEXT | typeof PDU_ENCRYPTED | typeof PDU_STATE | typeof PDU_OTHER;

/** Per destination (index = popularity rank), counts over the run. */
export interface TrustCounters {
  /** PDUs queued, all kinds. */
  pdus: Float64Array;
  plaintextEvents: Float64Array;
  encryptedEvents: Float64Array;
  stateEvents: Float64Array;
  /** Presence updates queued (one per user per change; Synapse coalesces those still queued). */
  presenceUpdates: Float64Array;
  typing: Float64Array;
  /** Read receipts (one per reader per room). */
  receipts: Float64Array;
  deviceListUpdates: Float64Array;
  toDeviceMessages: Float64Array;
  /** Media bytes the server fetches from us (expected bytes: the room's fetches spread over its servers). */
  mediaBytes: Float64Array;
}

export const TRUST_COUNTER_KINDS = [
  'pdus',
  'plaintextEvents',
  'encryptedEvents',
  'stateEvents',
  'presenceUpdates',
  'typing',
  'receipts',
  'deviceListUpdates',
  'toDeviceMessages',
  'mediaBytes',
] as const satisfies readonly (keyof TrustCounters)[];

export function newTrustCounters(servers: number): TrustCounters {
  const c = {} as TrustCounters;
  for (const k of TRUST_COUNTER_KINDS) c[k] = new Float64Array(servers);
  return c;
}

/** What a replication leaves for the summary's trustBoundary. */
export interface TrustBoundaryResult extends TrustCounters {
  /** Distinct local users sharing at least one joined room with each destination, at the end of the run. */
  localUsersVisible: Int32Array;
  /**
   * Local users whose most popular destination (lowest index) is each
   * destination: the users visible to any of the first K destinations are the
   * sum of the first K entries (an allow-list of the top K, exactly).
   */
  usersByFirstDestination: Int32Array;
  /**
   * Local users whose least popular destination (highest index) is each
   * destination: the users visible to any destination from index K on are the
   * sum of the entries from K (the "others" beyond the first K, exactly).
   */
  usersByLastDestination: Int32Array;
  /** Distinct local users visible to any remote server. */
  localUsersVisibleToAny: number;
}

/**
 * Who each destination can see: from each user's distinct destinations
 * (`userDestStart`..`userDest`, world.ts, joined rooms only), counted once per
 * (user, destination).
 */
export function usersVisible(
  servers: number,
  userDestStart: Int32Array,
  userDest: Int32Array,
): Pick<TrustBoundaryResult, 'localUsersVisible' | 'usersByFirstDestination' | 'usersByLastDestination' | 'localUsersVisibleToAny'> {
  const localUsersVisible = new Int32Array(servers);
  const usersByFirstDestination = new Int32Array(servers);
  const usersByLastDestination = new Int32Array(servers);
  let any = 0;
  for (let u = 0; u + 1 < userDestStart.length; u++) {
    const from = userDestStart[u]!;
    const to = userDestStart[u + 1]!;
    if (to === from) continue;
    any++;
    let first = servers;
    let last = -1;
    for (let x = from; x < to; x++) {
      const d = userDest[x]!;
      localUsersVisible[d]!++;
      if (d < first) first = d;
      if (d > last) last = d;
    }
    usersByFirstDestination[first]!++;
    usersByLastDestination[last]!++;
  }
  return { localUsersVisible, usersByFirstDestination, usersByLastDestination, localUsersVisibleToAny: any };
}
