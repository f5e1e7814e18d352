/**
 * Which rooms a history purge deletes from, and how many events from each.
 *
 * Synapse purges a room's history in one transaction per room
 * (synapse/storage/databases/main/purge_events.py `_purge_history_txn`): a
 * retention policy's run starts one for every room it covers, each in the
 * background (synapse/handlers/pagination.py
 * `purge_history_for_rooms_in_range`), and an admin purge names one room. The
 * events are shared out over the rooms by each room's history: its activity
 * weight times its members, what they send into it over time.
 */

/** The rooms of a purge in the order their transactions start, and the events each deletes. */
export interface PurgePlan {
  rooms: Int32Array;
  events: Float64Array;
}

/**
 * Share `events` out over the rooms by `history` (largest remainder, so the
 * parts are whole and add up to `events`). `rooms` 'all' takes every room
 * with history, in room order (the order Synapse's query returns them is
 * unspecified); a number takes that many with the most history, most first.
 * Rooms whose part is 0 are left out.
 * @example purgePlan(Float64Array.of(1, 0, 3), 8, 'all') // rooms [0, 2], events [2, 6]
 */
export function purgePlan(history: Float64Array, events: number, rooms: 'all' | number): PurgePlan {
  let chosen: number[] = [];
  for (let r = 0; r < history.length; r++) if (history[r]! > 0) chosen.push(r);
  if (rooms !== 'all') chosen = chosen.sort((a, b) => history[b]! - history[a]! || a - b).slice(0, rooms);
  let total = 0;
  for (const r of chosen) total += history[r]!;
  if (total <= 0 || events <= 0) return { rooms: new Int32Array(0), events: new Float64Array(0) };
  const exact = chosen.map((r) => (events * history[r]!) / total);
  const parts = exact.map(Math.floor);
  let left = events - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => i).sort((a, b) => exact[b]! - parts[b]! - (exact[a]! - parts[a]!) || a - b);
  for (let k = 0; left > 0 && k < byRemainder.length; k++, left--) parts[byRemainder[k]!]!++;
  const keep = chosen.map((_, i) => i).filter((i) => parts[i]! > 0);
  return { rooms: Int32Array.from(keep, (i) => chosen[i]!), events: Float64Array.from(keep, (i) => parts[i]!) };
}
