/**
 * The incidents section of the report pages, as plain text: for each
 * incident of the scenario's timeline (summary.json `incidents[]`), a short
 * text and a table of paired figures, with the incident and in its baseline
 * (the same window of the same replication without it). Empty without a
 * timeline, so a report without incidents is as it was.
 */
import type { Paired, IncidentSummary } from '../analysis/incidents-summary.js';
import type { RunSummary } from '../cost/run.js';
import { formatBytes, formatMilliseconds, formatNumber, formatSeconds, formatShare } from '../format/index.js';
import { seriesLabel } from './palette.js';
import type { Table } from './table.js';
import { plural } from './text.js';

/** One incident: its anchor, heading, text, table and the path of its per-minute CSV. */
export interface IncidentSection {
  /** 1 for the first incident of the timeline. */
  readonly n: number;
  readonly name: string;
  readonly sentence: string;
  readonly table: Table;
  /** A remote outage: its servers one by one (the most popular first), or null. */
  readonly destinations: Table | null;
  readonly csvPath: string;
}

/** The per-minute series of the n-th incident (1 for the first), written by files.ts. */
export const incidentCsvPath = (n: number): string => `data/incident-${n}.csv`;

const orDash = (x: number, f: (v: number) => string): string => (Number.isFinite(x) ? f(x) : '–');
const cores = (x: number) => formatNumber(x);
const ms = (x: number) => formatMilliseconds(x);
const count = (x: number) => formatNumber(x);

/** The start as written in the scenario: "day 1, 10:00". */
function startText(i: IncidentSummary): string {
  const minutes = Math.round(i.at.hour * 60);
  return `day ${i.at.day}, ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The invites and media messages among a wave's spam events, when there were any: " (N invites, M with media)". */
function spamParts(i: IncidentSummary): string {
  const parts = [
    i.spam.invites.mean > 0 ? plural(Math.round(i.spam.invites.mean), 'invite') : '',
    i.spam.media.mean > 0 ? `${formatNumber(i.spam.media.mean)} with media` : '',
  ].filter((x) => x);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function section(i: IncidentSummary, n: number, replications: number): IncidentSection {
  const duration = formatSeconds(i.endSeconds - i.startSeconds);
  const servers = i.servers.mean;
  const f = i.federation;
  const remote = i.kind === 'remoteOutage';
  const queues = remote ? 'the queues for them' : "the processes' queues";
  const drained =
    i.drainedReplications === 0
      ? `${queues} did not drain within the run`
      : `${queues} drained ${formatSeconds(i.drainSeconds.mean)} after the end${i.drainedReplications < replications ? ` (in ${i.drainedReplications} of ${plural(replications, 'replication')})` : ''}`;
  const what =
    i.kind === 'outage' || i.kind === 'restore'
      ? `${i.kind === 'restore' ? `the database lost and restored (${formatBytes(i.restore.databaseBytes.mean)} of database${i.restore.mediaBytes.mean > 0 ? ` and ${formatBytes(i.restore.mediaBytes.mean)} of media` : ''} copied back; up to ${formatSeconds(i.restore.recoveryPointSeconds)} of writes lost since the last backup): ` : ''}this server down from ${startText(i)} for ${duration}: on its return ${formatNumber(i.outage.reconnectedUsers.mean)} users online reconnected, their clients made ${formatNumber(i.outage.keptActs.mean)} acts they had kept (${formatNumber(i.outage.actsNotMade.mean)} more were not made), and ${formatNumber(i.outage.keptCalls.mean)} remote transactions and account changes came in`
      : remote
        ? `${plural(servers, 'remote server')} unreachable from ${startText(i)} for ${duration}: ${formatNumber(f.pdusQueued.mean)} PDUs queued for them from the start on, ` +
          `${formatNumber(f.pdusAcknowledged.mean)} acknowledged, ${formatNumber(f.pdusFolded.mean)} folded into catch-up, ${formatNumber(f.lostPdus.mean)} lost`
        : i.kind === 'spamWave'
          ? `a spam wave from ${startText(i)} for ${duration}: ${formatNumber(i.spam.events.mean)} spam events from remote servers${spamParts(i)}${i.spam.caught.mean > 0 ? `, ${formatNumber(i.spam.caught.mean)} caught by the policy server` : ''}`
          : i.kind === 'backup'
            ? `a backup from ${startText(i)}: ${formatBytes(i.backup.databaseBytes.mean)} of database dumped${i.backup.mediaBytes.mean > 0 ? ` and ${formatBytes(i.backup.mediaBytes.mean)} of media copied` : ''} in ${formatSeconds(i.backup.backupSeconds.mean)} at the stated throughputs, the dump done after ${orDash(i.backup.dumpSeconds.mean, formatSeconds)} with a core of PostgreSQL busy (a recovery point of ${formatSeconds(i.backup.recoveryPointSeconds)})`
            : i.kind === 'purge'
              ? `a history purge from ${startText(i)}: ${formatNumber(i.purge.purgedEvents.mean)} events deleted from ${plural(Math.round(i.purge.rooms.mean), 'room')} in ${orDash(i.purge.purgeSeconds.mean, formatSeconds)}, one transaction per room, ${formatNumber(i.purge.concurrentRooms.mean)} at once, each holding one of main's database connections and its room's backfill lock (the longest ${formatSeconds(i.purge.longestRoomSeconds.mean)}); ` +
                (i.purge.connectionWaits.mean > 0
                  ? `${formatNumber(i.purge.connectionWaits.mean)} of main's queries waited for a connection while the purge held them all (${formatSeconds(i.purge.connectionWaitSeconds.mean)} in all, the longest ${formatSeconds(i.purge.connectionWaitMaxSeconds.mean)}); `
                  : 'no query of main waited for a connection; ') +
                `${formatBytes(i.purge.purgedBytes.mean)} of rows freed for reuse (the database's files do not shrink without a VACUUM FULL)`
              : i.kind === 'bigRoomJoin'
                ? `the rooms of kind "${i.roomKind}" joined from ${startText(i)} (partial-state joins, then the state resync; ${duration} counted as the incident)`
                : `${plural(i.logins, 'login')} on new devices (${i.passwordLogins ? 'password logins, each hashed here' : 'single sign-on'}) from ${startText(i)} over ${duration}`;
  const sentence =
    `${what}; ${drained}. ` +
    `The latency target ${i.latencyTargetHeld ? 'held' : 'was missed'} from the start to the drain. Figures are means over ${plural(replications, 'replication')}, with the incident and in the same window without it.`;
  const pair = (label: string, p: Paired, fmt: (x: number) => string): string[] => [label, orDash(p.incident.mean, fmt), orDash(p.baseline.mean, fmt)];
  const single = (label: string, x: number, fmt: (x: number) => string): string[] => [label, orDash(x, fmt), '–'];
  const rows: string[][] = [
    ...Object.entries(i.peakCoresByKind).map(([kind, p]) => pair(`peak cores busy: ${seriesLabel(`process.${kind}`)}`, p, cores)),
    pair('peak utilisation of one process', i.peakUtilization, formatShare),
    pair('peak queue of one process (jobs)', i.peakQueue, count),
    pair('local send p50', i.localSendMs.p50, ms),
    pair('local send p95', i.localSendMs.p95, ms),
    pair('local send p99', i.localSendMs.p99, ms),
    pair('local send p95, start to drain', i.localSendDuringMs.p95, ms),
    ...(remote
      ? [
          pair('federation backlog peak (PDUs)', f.backlogPeakPdus, count),
          pair('failed attempts', f.failedAttempts, count),
          single('servers sent catch-up', f.catchUpServers.mean, count),
          single('federation lag p50', f.lagSeconds.p50.mean * 1000, ms),
          single('federation lag p95', f.lagSeconds.p95.mean * 1000, ms),
          single('federation lag max', f.lagSeconds.max.mean * 1000, ms),
          single('PDUs queued', f.pdusQueued.mean, count),
          single('PDUs acknowledged', f.pdusAcknowledged.mean, count),
          single('PDUs folded into catch-up', f.pdusFolded.mean, count),
          single('PDUs lost', f.lostPdus.mean, count),
        ]
      : []),
    single('drain time', i.drainSeconds.mean, formatSeconds),
    single('drained replications', i.drainedReplications, count),
    ['latency target held', i.latencyTargetHeld ? 'yes' : 'no', '–'],
  ];
  return {
    n,
    name: i.name,
    sentence,
    csvPath: incidentCsvPath(n),
    table: {
      id: `incident-${n}`,
      title: `${i.name}: with the incident and without it`,
      note: `Over the window from ${formatSeconds(i.startSeconds - i.windowStartSeconds)} before the start to ${formatSeconds(i.windowEndSeconds - i.endSeconds)} after the end${remote ? ' (PDU counts and lag from the start to the end of the run). Federation figures are for the servers concerned' : ''}; "–" where there is no baseline figure.`,
      columns: ['figure', 'with the incident', 'without (baseline)'],
      rows,
    },
    destinations:
      remote && f.destinations.length > 0
        ? {
            id: `incident-${n}-servers`,
            title: `${i.name}: server by server`,
            note: `The first ${plural(f.destinations.length, 'server')} concerned, the most popular first (names from federation.partners); means over the replications in which each was concerned. Lag: persisted to acknowledged, of the PDUs delivered to it from the start on; drain: from the end until its queue was empty.`,
            columns: ['server', 'replications', 'backlog peak (PDUs)', 'lag p95', 'drain'],
            rows: f.destinations.map((d) => [
              d.server,
              count(d.replications),
              orDash(d.backlogPeakPdus.mean, count),
              orDash(d.lagP95Seconds.mean, formatSeconds),
              orDash(d.drainSeconds.mean, formatSeconds),
            ]),
          }
        : null,
  };
}

/** One section per incident of the timeline, in its order; none without a timeline. */
export function incidentSections(summary: RunSummary): IncidentSection[] {
  return summary.incidents.map((i, k) => section(i, k + 1, summary.replications));
}
