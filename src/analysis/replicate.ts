/**
 * One replication of a scenario on the homeserver its `run.server` describes:
 * the one place where the workload model (src/model/) and the server layer
 * (src/server/) are put together.
 *
 * A scenario with a timeline is simulated twice per replication with the same
 * seed: first with its incidents inert (their windows recorded, nothing
 * changed), then with them. The two runs are the same until the first
 * incident starts (incidents draw from a stream of their own), so the
 * difference in each window is the incident's, not the seed's (common random
 * numbers). The first run's windows become `incidentBaselines`.
 */
import { simulateReplication, type ReplicationResult, type CopyPlan } from '../model/simulate.js';
import { zoneOffsets } from '../model/world.js';
import { storageProjection, weeklyAverageDayFactor } from './summarize.js';
import type { Scenario } from '../scenario/grammar.js';
import { createHomeserver } from '../server/server.js';

/**
 * The scenario on a normal day: without its timeline. The recommendation is
 * sized and verified on normal days (verify.ts, capacity.ts, the horizon's
 * simulation); incidents are reported against the scenario's own deployment.
 */
export function normalDay(s: Scenario): Scenario {
  return s.timeline.length === 0 ? s : { ...bigRoomJoins(s, false), timeline: [] };
}

/**
 * The scenario with the rooms of each `bigRoomJoin` incident's kind joined at
 * its time (`join`), or not joined during the run (a time past its end: the
 * baseline and the normal day, before the join). The world's draws do not
 * depend on it, so the runs keep common random numbers.
 */
export function bigRoomJoins(s: Scenario, join: boolean): Scenario {
  const joins = s.timeline.filter((x) => x.kind === 'bigRoomJoin');
  if (joins.length === 0) return s;
  const never = { day: Math.ceil(s.run.days) + 1, hour: 0 };
  const kinds = s.rooms.kinds.map((k) => {
    const j = joins.find((x) => x.roomKind === k.name);
    return j ? { ...k, joinAt: join ? { day: j.at.day, hour: j.at.hour } : never } : k;
  });
  return { ...s, rooms: { ...s.rooms, kinds } };
}

/** Storage categories on the media store rather than in PostgreSQL. */
const MEDIA_CATEGORIES = new Set(['localMedia', 'thumbnails', 'remoteMedia', 'urlPreviews']);

/**
 * How long each restore and backup of the timeline takes, and what it
 * copies: the database (and, when asked, the media) of the storage
 * projection at `monthsInService` (the baseline run's, projected as the
 * summary does; the horizon's last month when it is later). A restore copies
 * them back one after the other after its fixed minutes; a backup dumps the
 * database while the media copy runs beside it.
 */
export function copyPlans(s: Scenario, baseline: ReplicationResult): (CopyPlan | undefined)[] {
  if (!s.timeline.some((x) => x.kind === 'restore' || x.kind === 'backup')) return [];
  const projection = storageProjection(s, baseline, weeklyAverageDayFactor(s, zoneOffsets(s.population.rhythm.timeZoneSpreadHours)));
  return s.timeline.map((x) => {
    if (x.kind !== 'restore' && x.kind !== 'backup') return undefined;
    const month = projection[Math.min(x.monthsInService, projection.length - 1)]!;
    let media = 0;
    for (const [c, bytes] of Object.entries(month.byCategory)) if (MEDIA_CATEGORIES.has(c)) media += bytes;
    const database = month.total - media;
    if (x.kind === 'backup') {
      const databaseSeconds = database / (x.databaseBackupMBps * 1e6);
      const seconds = Math.max(databaseSeconds, x.backupMedia ? media / (x.mediaBackupMBps * 1e6) : 0);
      return { seconds, databaseSeconds, databaseBytes: database, mediaBytes: x.backupMedia ? media : 0 };
    }
    const databaseSeconds = database / (x.databaseRestoreMBps * 1e6);
    const seconds = x.fixedMinutes * 60 + databaseSeconds + (x.restoreMedia ? media / (x.mediaRestoreMBps * 1e6) : 0);
    return { seconds, databaseSeconds, databaseBytes: database, mediaBytes: x.restoreMedia ? media : 0 };
  });
}

/** One replication of `s` with `seed`. `onProgress` (0..1) is called after each simulated hour. */
export function simulateOnce(s: Scenario, seed: string, onProgress?: (fraction: number) => void): ReplicationResult {
  if (s.timeline.length === 0) return simulateReplication(s, seed, createHomeserver, onProgress);
  const half = (from: number) => (onProgress ? (f: number) => onProgress(from + f / 2) : undefined);
  const baseline = simulateReplication(bigRoomJoins(s, false), seed, createHomeserver, half(0), { incidentsInert: true });
  const result = simulateReplication(bigRoomJoins(s, true), seed, createHomeserver, half(0.5), { copyPlans: copyPlans(s, baseline) });
  result.incidentBaselines = baseline.incidents;
  return result;
}
