/**
 * How long each room kind keeps its events: Synapse's message retention
 * (docs/message_retention_policies.md). A kind's own policy
 * (`rooms.kinds[].retention.maxLifetimeDays`, an m.room.retention state event
 * in each of its rooms) overrides the server's default policy
 * (`features.retentionDays`, default_policy.max_lifetime); a legal hold
 * (`features.legalHold`) keeps everything. Synapse purges by max_lifetime
 * only; min_lifetime changes no figure. State events are never purged.
 */
import type { Scenario } from '../scenario/grammar.js';
import { K } from './coefficients.js';

/**
 * Days the events of room kind `k` (its index in rooms.kinds) are kept; null: kept for ever.
 * @example retentionDaysOfKind({ ...s, features: { ...s.features, retentionDays: 90 } }, 0) // 90 unless kind 0 has its own policy
 */
export function retentionDaysOfKind(s: Scenario, k: number): number | null {
  if (s.features.legalHold) return null;
  const own = s.rooms.kinds[k]?.retention;
  return own !== undefined ? own.maxLifetimeDays : s.features.retentionDays;
}

/** Days the horizon spans (at least the run), the longest anything is held in the projection. */
export function horizonDays(s: Scenario): number {
  return Math.max(s.run.days, s.run.horizonMonths * K.averageDaysPerMonth);
}

/** Days the events of kind `k` are held by the end of the horizon: its retention, or the whole horizon. */
export function daysHeldOfKind(s: Scenario, k: number): number {
  const days = retentionDaysOfKind(s, k);
  return days === null ? horizonDays(s) : Math.min(days, horizonDays(s));
}

/** True when some kind's events are purged (retention in force and no legal hold). */
export function anyRetention(s: Scenario): boolean {
  return s.rooms.kinds.some((_, k) => retentionDaysOfKind(s, k) !== null);
}

/** Each kind's effective lifetime (retentionDaysOfKind), as summary.json's governance.retention gives it. */
export function retentionOfKinds(s: Scenario): { legalHold: boolean; kinds: { name: string; maxLifetimeDays: number | null }[] } {
  return { legalHold: s.features.legalHold, kinds: s.rooms.kinds.map((k, i) => ({ name: k.name, maxLifetimeDays: retentionDaysOfKind(s, i) })) };
}

/**
 * The retention in force, in words for reports: a legal hold, one policy for
 * every kind, each kind's own, or none.
 * @example retentionInWords(retentionOfKinds(s)) // "retention per room kind: direct 365 days, team 730 days; case kept"
 */
export function retentionInWords(r: { legalHold: boolean; kinds: readonly { name: string; maxLifetimeDays: number | null }[] }): string {
  if (r.legalHold) return 'a legal hold: everything kept';
  const days = r.kinds.map((k) => k.maxLifetimeDays);
  if (days.every((d) => d === null)) return 'no retention: everything kept';
  if (days.every((d) => d === days[0])) return `${days[0]}-day retention`;
  const purged = r.kinds.flatMap((k) => (k.maxLifetimeDays === null ? [] : [`${k.name} ${k.maxLifetimeDays} days`]));
  const kept = r.kinds.flatMap((k) => (k.maxLifetimeDays === null ? [k.name] : []));
  return `retention per room kind: ${purged.join(', ')}${kept.length > 0 ? `; ${kept.join(', ')} kept` : ''}`;
}
