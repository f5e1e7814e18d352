/**
 * Memory of the homeserver's processes and of PostgreSQL. Memory does not
 * queue, so it is computed from what the run measured rather than simulated:
 * - a base per process (interpreter or binary and loaded modules);
 * - caches, filled to the working set: Synapse's caches hold recent events,
 *   state groups and memberships of active rooms, each process its own
 *   (calibration notes §6), full at about 25,000 active rooms or 5,000 events
 *   in half an hour (the effective sizes at cache factor 0.5);
 * - a term per online user (presence, sync streams) on the processes that
 *   track them, and per room active in the busiest half hour;
 * - the spike of joining a big room, on the process that handles joins.
 * PostgreSQL: shared_buffers sized to hold a week of writes and the room
 * state (at most 16 GiB), as 25% of its RAM, plus memory per connection.
 */
import type { ProcessSpec } from './topology.js';
import { SERVER_COEFFICIENTS as S, type ServerProfile } from './profiles.js';


export interface MemoryContext {
  peakOnlineUsers: number;
  /** Rooms with an event during the run. */
  activeRooms: number;
  /** Largest number of events persisted in half an hour. */
  peakEventsPerHalfHour: number;
  /** Events downloaded by the largest join: the room's state and its auth chain (0 when none). */
  largestJoinStateEvents: number;
}

/** Share of online-user state each process kind holds. */
function onlineShare(spec: ProcessSpec, all: readonly ProcessSpec[]): number {
  const syncWorkers = all.filter((p) => p.kind === 'sync').length;
  switch (spec.kind) {
    case 'server':
      return 1;
    case 'main':
      return syncWorkers > 0 ? S.mainOnlineUserShareWithSyncWorkers.value : 1;
    case 'sync':
      return (1 - S.mainOnlineUserShareWithSyncWorkers.value) / syncWorkers;
    default:
      return 0;
  }
}

/**
 * Share of the hot rooms' state a process holds: all of it in a single
 * process; in a worker deployment the sync workers see the rooms of their
 * users (most rooms), sharded workers a 1/n slice, main little.
 */
function roomShare(spec: ProcessSpec, all: readonly ProcessSpec[]): number {
  const n = all.filter((p) => p.kind === spec.kind).length;
  switch (spec.kind) {
    case 'server':
      return 1;
    case 'main':
      return all.length > 1 ? S.mainActiveRoomShareWithWorkers.value : 1;
    case 'sync':
      return S.syncActiveRoomShare.value;
    case 'generic':
    case 'eventPersister':
      return 1 / n;
    default:
      return 0;
  }
}

/** Peak resident memory of one process, bytes. */
export function processMemoryBytes(profile: ServerProfile, spec: ProcessSpec, all: readonly ProcessSpec[], ctx: MemoryContext): number {
  const m = profile.memory;
  // Caches expire entries after 30 minutes: the working set is the rooms active in the busiest half hour.
  const hotRooms = Math.min(ctx.activeRooms, ctx.peakEventsPerHalfHour);
  const fill = Math.min(1, Math.max(hotRooms / S.cacheFullActiveRooms.value, ctx.peakEventsPerHalfHour / S.cacheFullEventsPerHalfHour.value));
  let bytes = m.processBaseBytes + m.cacheBytesWhenFull * fill;
  if (spec.kind === 'server' && !profile.postgres) {
    // conduwuit: RocksDB read cache 128 + 64 x cores MB and write buffer 48 + 4 x cores MB.
    bytes += S.conduwuitRocksDbFixedBytes.value + S.conduwuitCacheBytesPerCore.value * spec.cores;
  }
  bytes += m.bytesPerOnlineUser * ctx.peakOnlineUsers * onlineShare(spec, all);
  bytes += m.bytesPerActiveRoom * hotRooms * roomShare(spec, all);
  const joins = all.some((p) => p.kind === 'generic') ? spec.kind === 'generic' && spec.name.endsWith('-1') : spec.kind === 'main' || spec.kind === 'server';
  if (joins) bytes += m.joinBytesPerStateEvent * ctx.largestJoinStateEvents;
  return bytes;
}

/**
 * PostgreSQL memory to recommend: shared_buffers for the hot data (a week of
 * writes plus the state groups), 25% of RAM, and the processes' connections.
 */
export function postgresMemoryBytes(processes: number, databaseBytesPerDay: number, stateGroupBytes: number): number {
  const hot = Math.min(S.postgresHotDataMaxBytes.value, Math.max(S.postgresHotDataMinBytes.value, databaseBytesPerDay * S.postgresHotDataDays.value + stateGroupBytes));
  const connections = processes * S.postgresConnectionsPerProcess.value * S.postgresConnectionBytes.value;
  return Math.max(S.postgresMinBytes.value, hot / S.postgresSharedBuffersShare.value) + connections;
}
