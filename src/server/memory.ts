/**
 * Memory of the homeserver's processes and of PostgreSQL. Memory does not
 * queue, so it is computed from what the run measured rather than simulated.
 *
 * A process (sources in SERVER_COEFFICIENTS, summary in docs/MODEL.md):
 * - a base: interpreter or binary, libraries, allocator arenas;
 * - caches filled to the working set of the busiest half hour (Synapse
 *   expires cache entries after 30 minutes), each cache counted in its own
 *   unit and capped at its effective size: events read, state pairs of the
 *   hot rooms, rooms of the online users, and the small caches; times the
 *   allocator's overhead. Each process holds the caches of the part of the
 *   work it sees (its view share);
 * - per online device on the processes that serve /sync;
 * - per hot room outside the caches;
 * - the state resync after joining a big remote room, on the main process
 *   (or the one server) only: Synapse runs it nowhere else.
 * Synapse Pro's processes share one copy of the caches (vendor claim), held
 * here by main. Dendrite, tuwunel and continuwuity keep one cache budget,
 * the latter two sized by cores like their RocksDB caches, so their memory
 * is a base plus a part per core (matrix-2026.md §6.3).
 * PostgreSQL: its background processes, shared_buffers sized to the hot data
 * (a week of writes and the state groups, between PostgreSQL's default
 * 128 MiB and 16 GiB) as a quarter of what it is given, the rest being the
 * OS page cache, and memory per connection (cp_max per process).
 *
 * Every term has a typical value and a range; `band` picks low, typical or
 * high for the recommendation's band. No floor hides a difference: a small
 * server gets a small figure.
 */
import type { ServerProfile } from './profiles.js';
import { SERVER_COEFFICIENTS as S } from './server-coefficients.js';
import type { ProcessSpec } from './topology.js';

export type Band = 'low' | 'typical' | 'high';

/** Multiples of a term's typical value at each end of its range. */
const RANGE = {
  base: { low: 100 / 150, high: 250 / 150 },
  caches: { low: 100 / 190, high: 360 / 190 },
  perDevice: { low: 1 / 3, high: 2 },
  perRoom: { low: 0.25, high: 2.5 },
  join: { low: 15 / 28, high: 37 / 28 },
  connection: { low: 2 / 8, high: 25 / 8 },
  postgresBase: { low: 0.5, high: 100 / 60 },
};
const pick = (band: Band, r: { low: number; high: number }) => (band === 'low' ? r.low : band === 'high' ? r.high : 1);

export interface MemoryContext {
  peakOnlineUsers: number;
  peakOnlineDevices: number;
  /** Rooms with an event during the run. */
  activeRooms: number;
  /** Largest number of events persisted in half an hour. */
  peakEventsPerHalfHour: number;
  /** State entries (members and other state) of the rooms hot in the busiest half hour. */
  hotStateEntries: number;
  /** Rooms an average user is in. */
  roomsPerUser: number;
  /** Events downloaded by the largest join: the room's state and its auth chain (0 when none). */
  largestJoinStateEvents: number;
}

/** Rooms hot in the busiest half hour: active rooms, at most one per event persisted then. */
export function hotRooms(ctx: MemoryContext): number {
  return Math.min(ctx.activeRooms, ctx.peakEventsPerHalfHour);
}

/**
 * The share of the hot rooms and online users a process sees: all of it in a
 * single process; with workers, main little, sync workers the rooms of their
 * users (most hot rooms) and 1/n of the users, room-sharded workers 1/n.
 */
function viewShare(spec: ProcessSpec, all: readonly ProcessSpec[], ctx: MemoryContext): { rooms: number; devices: number } {
  const n = all.filter((p) => p.kind === spec.kind).length;
  const hasSync = all.some((p) => p.kind === 'sync');
  switch (spec.kind) {
    case 'server':
      return { rooms: 1, devices: 1 };
    case 'main':
      if (all.length === 1) return { rooms: 1, devices: 1 };
      return { rooms: S.mainActiveRoomShareWithWorkers.value, devices: hasSync ? 0 : 1 };
    case 'sync': {
      // Sharded by user: a hot room of m members is held by about min(m, n) of the n sync workers.
      const members = hotRooms(ctx) > 0 ? ctx.hotStateEntries / hotRooms(ctx) : 1;
      return { rooms: Math.min(S.syncActiveRoomShare.value, members / n), devices: 1 / n };
    }
    case 'generic':
    case 'eventPersister':
    case 'federationSender':
    case 'federationReader':
      return { rooms: 1 / n, devices: 0 };
    default:
      return { rooms: 0, devices: 0 };
  }
}

/** Caches of a Synapse process seeing `share` of the hot set, bytes before allocator overhead. */
function synapseCacheBytes(ctx: MemoryContext, share: number): number {
  const events = Math.min(S.synapseEventCacheEntries.value, ctx.peakEventsPerHalfHour * share) * S.synapseEventCacheBytesPerEntry.value;
  const state = Math.min(S.synapseStateCacheEntries.value, ctx.hotStateEntries * share) * S.synapseStateCacheBytesPerEntry.value;
  const roomsOfUsers = Math.min(S.synapseRoomsForUserEntries.value, ctx.peakOnlineUsers * ctx.roomsPerUser * share) * S.synapseRoomsForUserBytesPerEntry.value;
  // The small caches warm with the rooms a process touches (full at about a thousand).
  const small = S.synapseSmallCachesBytes.value * Math.min(1, (hotRooms(ctx) * share) / 1000);
  return events + state + roomsOfUsers + small;
}

/** Peak resident memory of one process, bytes. */
export function processMemoryBytes(profile: ServerProfile, spec: ProcessSpec, all: readonly ProcessSpec[], ctx: MemoryContext, band: Band = 'typical'): number {
  const m = profile.memory;
  const view = viewShare(spec, all, ctx);
  let caches: number;
  if (m.caches === 'budget') {
    // One cache budget (a part per core for tuwunel and continuwuity), filled as Synapse's state or event cache would be.
    const fill = Math.min(1, Math.max(ctx.hotStateEntries / S.synapseStateCacheEntries.value, ctx.peakEventsPerHalfHour / S.synapseEventCacheEntries.value));
    caches = (m.cacheBytesWhenFull + m.cacheBytesPerCore * spec.cores) * fill;
  } else {
    // Synapse Pro's processes share one copy of the caches (vendor claim): main holds the whole hot set, the workers none.
    const share = m.caches === 'shared' ? (spec.kind === 'main' ? 1 : 0) : view.rooms;
    caches = synapseCacheBytes(ctx, share) * S.cacheFragmentationFactor.value;
  }
  let bytes = m.processBaseBytes * pick(band, RANGE.base) + caches * pick(band, RANGE.caches);
  // An embedded store's read cache and write buffer (RocksDB), a fixed part and a part per core.
  if (spec.kind === 'server') bytes += m.storeBytes + m.storeBytesPerCore * spec.cores;
  bytes += m.bytesPerOnlineDevice * ctx.peakOnlineDevices * view.devices * pick(band, RANGE.perDevice);
  bytes += m.bytesPerActiveRoom * hotRooms(ctx) * view.rooms * pick(band, RANGE.perRoom);
  // The state resync of a partial-state join runs on main only (synapse handlers/federation.py).
  if (spec.kind === 'main' || spec.kind === 'server') bytes += m.joinBytesPerStateEvent * ctx.largestJoinStateEvents * pick(band, RANGE.join);
  return bytes;
}

/**
 * PostgreSQL memory to recommend: its background processes, shared_buffers
 * for the hot data as a quarter of the RAM given to it (the rest is page
 * cache), and the connections of `processes` homeserver processes.
 */
export function postgresMemoryBytes(processes: number, databaseBytesPerDay: number, stateGroupBytes: number, band: Band = 'typical'): number {
  const hot = Math.min(S.postgresHotDataMaxBytes.value, Math.max(S.postgresHotDataMinBytes.value, databaseBytesPerDay * S.postgresHotDataDays.value + stateGroupBytes));
  const connections = processes * S.postgresConnectionsPerProcess.value * S.postgresConnectionBytes.value * pick(band, RANGE.connection);
  return S.postgresBaseBytes.value * pick(band, RANGE.postgresBase) + hot / S.postgresSharedBuffersShare.value + connections;
}
