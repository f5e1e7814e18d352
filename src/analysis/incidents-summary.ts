/**
 * The timeline's incidents in the summary (`summary.json` `incidents[]`,
 * docs/OUTPUT.md) and in the per-minute table behind the report's zoomed
 * charts. Each figure is given for the incident and for its baseline: the
 * same window of the same replication without the incident (same seed,
 * src/analysis/replicate.ts), so the difference is the incident's.
 */
import { maxOf } from '../engine/array.js';
import { QuantileSketch } from '../engine/quantile-sketch.js';
import { DESTINATION_DETAIL, type IncidentRecord } from '../model/mechanisms/incidents.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { round6 as round, stat, type Stat } from './stat.js';

/** A figure with the incident and without it. */
export interface Paired {
  incident: Stat;
  baseline: Stat;
}

/** One remote server of an incident. */
export interface DestinationSummary {
  /** Its name from federation.partners, else "remote-N" for the N-th most popular. */
  server: string;
  /** Replications in which it was concerned (all of them unless picked at random). */
  replications: number;
  backlogPeakPdus: Stat;
  /** Persisted to acknowledged, p95 of the PDUs delivered to it from the start on, s. */
  lagP95Seconds: Stat;
  /** From the end until its queue was empty again, s (NaN in a replication where it was not within the window). */
  drainSeconds: Stat;
}

/** A remote server's name: its name in federation.partners, else "remote-N" for the N-th most popular. */
export function remoteServerName(s: Scenario, rank: number): string {
  return s.federation.partners[rank] ?? `remote-${rank + 1}`;
}

/** The servers an incident followed one by one, over the replications, by rank. */
function destinationSummaries(s: Scenario, records: readonly IncidentRecord[]): DestinationSummary[] {
  const ranks = [...new Set(records.flatMap((r) => r.destinations.map((d) => d.server)))].sort((a, b) => a - b).slice(0, DESTINATION_DETAIL);
  return ranks.map((rank) => {
    const of = records.flatMap((r) => r.destinations.filter((d) => d.server === rank));
    return {
      server: remoteServerName(s, rank),
      replications: of.length,
      backlogPeakPdus: stat(of.map((d) => d.backlogPeakPdus)),
      lagP95Seconds: stat(of.map((d) => pctl(d.lag, 0.95))),
      drainSeconds: stat(of.map((d) => d.drainSeconds ?? NaN)),
    };
  });
}

export interface IncidentSummary {
  name: string;
  kind: string;
  /** As written in the scenario: day of the run and hour. */
  at: { day: number; hour: number };
  startSeconds: number;
  endSeconds: number;
  /** The window recorded around it (s into the run), and the width of one step of its series. */
  windowStartSeconds: number;
  windowEndSeconds: number;
  stepSeconds: number;
  /** Remote servers it concerns (remoteOutage: those taken down). */
  servers: Stat;
  /** Logins it makes (massLogin), 0 for the others; `passwordLogins` whether Synapse checks each password. */
  logins: number;
  passwordLogins: boolean;
  /** A big-room join: the room kind whose rooms are joined ('' for the others). */
  roomKind: string;
  /** An outage (0 for the others): users online at its end, each reconnecting; acts their clients kept and made on return; acts beyond keptActsPerUser not made; calls of remote servers and account changes kept and made on return. */
  outage: { reconnectedUsers: Stat; keptActs: Stat; actsNotMade: Stat; keptCalls: Stat };
  /** A spam wave (0 for the others): spam events that arrived (every kind), those a policy server caught, and the invites and media messages among those that arrived. */
  spam: { events: Stat; caught: Stat; invites: Stat; media: Stat };
  /**
   * A purge (0 for the others): events deleted, seconds from the start until
   * its last room's transaction ended (NaN in a replication where it did
   * not), and the bytes their rows held, free for reuse but still on disk;
   * rooms in its plan, their transactions at once at most, the longest one
   * (its room's backfill waited that long), s; main's queries that waited for
   * a database connection while they held them all, their waits in all and
   * the longest, s.
   */
  purge: {
    purgedEvents: Stat;
    purgeSeconds: Stat;
    purgedBytes: Stat;
    rooms: Stat;
    concurrentRooms: Stat;
    longestRoomSeconds: Stat;
    connectionWaits: Stat;
    connectionWaitSeconds: Stat;
    connectionWaitMaxSeconds: Stat;
  };
  /** A restore (0 for the others): how long the server was down, the worst recovery point, and what was copied back. */
  restore: { recoverySeconds: Stat; recoveryPointSeconds: number; databaseBytes: Stat; mediaBytes: Stat };
  /** A backup (0 for the others): how long it takes at the stated throughputs (the dump and, beside it, the media copy), when its dump was done (later when PostgreSQL is busy; NaN in a replication where it was not within the run), the recovery point it gives, and what it copied. */
  backup: { backupSeconds: Stat; dumpSeconds: Stat; recoveryPointSeconds: number; databaseBytes: Stat; mediaBytes: Stat };
  /** Per process kind: the largest total busy cores of the kind's processes in one step of the window. */
  peakCoresByKind: Record<string, Paired>;
  /** The largest busy share of any one process (busy cores / its cores) in one step of the window. */
  peakUtilization: Paired;
  /** The most jobs beyond the cores seen on any one process in the window. */
  peakQueue: Paired;
  /** Local send latency over the sends completed in the window, ms. */
  localSendMs: { p50: Paired; p95: Paired; p99: Paired };
  /** Local send latency over the sends completed from the start until what it queued drained, ms: a short burst is not diluted by the window. */
  localSendDuringMs: { p50: Paired; p95: Paired; p99: Paired };
  /** Whether the latency target (run.server.targets) held from the start until the drain (localSendDuringMs), in the mean over replications. */
  latencyTargetHeld: boolean;
  federation: {
    /** Most PDUs queued for the servers concerned in one step. */
    backlogPeakPdus: Paired;
    failedAttempts: Paired;
    /** Servers concerned that had failed for over an hour, and so got only the latest event of each room. */
    catchUpServers: Stat;
    /** Persisted to acknowledged, PDUs delivered to the servers concerned from the start on, s. */
    lagSeconds: { p50: Stat; p95: Stat; max: Stat };
    pdusQueued: Stat;
    pdusAcknowledged: Stat;
    /** Folded into catch-up: not sent, fetched by the remote server itself (/get_missing_events). */
    pdusFolded: Stat;
    undeliveredPdusAtEnd: Stat;
    /** Queued at the start + queued since - acknowledged - folded - still queued. 0 when nothing was lost. */
    lostPdus: Stat;
    /** The first servers concerned one by one (at most DESTINATION_DETAIL, the most popular first), each over the replications where it was concerned. */
    destinations: DestinationSummary[];
  };
  /**
   * From the end until what the incident queued was back to its level in the 30 minutes before the start, s: the PDUs
   * for the servers of a remote outage, else the jobs beyond the cores of all processes; NaN in a replication where it
   * was not within the window recorded.
   */
  drainSeconds: Stat;
  /** Replications in which the queues drained within the run. */
  drainedReplications: number;
}

const pctl = (sk: QuantileSketch, q: number): number => (sk.count > 0 ? sk.quantile(q) : NaN);

function peakByKind(r: IncidentRecord): Map<string, number> {
  const out = new Map<string, number>();
  const steps = r.backlogPdus.length;
  const total = new Map<string, Float64Array>();
  r.processKinds.forEach((kind, p) => {
    let t = total.get(kind);
    if (!t) total.set(kind, (t = new Float64Array(steps)));
    const busy = r.busyCores[p]!;
    for (let i = 0; i < steps; i++) t[i]! += busy[i]!;
  });
  for (const [kind, t] of total) out.set(kind, maxOf(t));
  return out;
}

function peakUtilization(r: IncidentRecord, cores: readonly number[]): number {
  let peak = 0;
  r.busyCores.forEach((busy, p) => {
    const c = cores[p]!;
    for (const b of busy) if (c > 0 && b / c > peak) peak = b / c;
  });
  return peak;
}

function peakQueue(r: IncidentRecord): number {
  let peak = 0;
  for (const q of r.queue) for (const x of q) if (x > peak) peak = x;
  return peak;
}

/** The incidents of a run, over its replications. `cores` per process in the records' order (PostgreSQL last). */
export function summarizeIncidents(s: Scenario, results: readonly ReplicationResult[]): IncidentSummary[] {
  if (results.length === 0 || s.timeline.length === 0) return [];
  const first = results[0]!;
  const cores = [...first.server.processes.map((p) => p.cores), ...(first.server.database ? [first.server.database.cores] : [])];
  const target = s.run.server.targets;
  const q = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
  return first.incidents.map((head, i) => {
    const runs = results.map((r) => ({ with: r.incidents[i]!, without: r.incidentBaselines[i] }));
    const paired = (f: (x: IncidentRecord) => number): Paired => ({
      incident: stat(runs.map((x) => f(x.with))),
      baseline: stat(runs.map((x) => (x.without ? f(x.without) : NaN))),
    });
    const kinds = [...new Set(head.processKinds)];
    const peakCoresByKind: Record<string, Paired> = {};
    for (const kind of kinds) peakCoresByKind[kind] = paired((x) => peakByKind(x).get(kind) ?? 0);
    const sendMs = (which: keyof typeof q) => paired((x) => pctl(x.sendLatency, q[which]) * 1000);
    const localSendMs = { p50: sendMs('p50'), p95: sendMs('p95'), p99: sendMs('p99') };
    const duringMs = (which: keyof typeof q) => paired((x) => pctl(x.sendLatencyDuring, q[which]) * 1000);
    const localSendDuringMs = { p50: duringMs('p50'), p95: duringMs('p95'), p99: duringMs('p99') };
    const spec = s.timeline[i]!;
    const drained = runs.filter((x) => x.with.drainSeconds !== null).length;
    const withOnly = (f: (x: IncidentRecord) => number) => stat(runs.map((x) => f(x.with)));
    return {
      name: head.name,
      kind: head.kind,
      at: { day: spec.at.day, hour: spec.at.hour },
      startSeconds: head.startSeconds,
      endSeconds: head.endSeconds,
      windowStartSeconds: head.windowStartSeconds,
      windowEndSeconds: head.windowEndSeconds,
      stepSeconds: head.stepSeconds,
      servers: withOnly((x) => x.servers),
      logins: spec.kind === 'massLogin' ? spec.users : 0,
      roomKind: spec.kind === 'bigRoomJoin' ? spec.roomKind : '',
      passwordLogins: spec.kind === 'massLogin' && spec.passwordLogins,
      outage: {
        reconnectedUsers: withOnly((x) => x.reconnectedUsers),
        keptActs: withOnly((x) => x.keptActs),
        actsNotMade: withOnly((x) => x.actsNotMade),
        keptCalls: withOnly((x) => x.keptCalls),
      },
      spam: {
        events: withOnly((x) => x.spamEvents),
        caught: withOnly((x) => x.spamCaught),
        invites: withOnly((x) => x.spamInvites),
        media: withOnly((x) => x.spamMedia),
      },
      purge: {
        purgedEvents: withOnly((x) => x.purgedEvents),
        purgeSeconds: withOnly((x) => (x.kind === 'purge' ? x.doneSeconds - x.startSeconds : 0)),
        purgedBytes: withOnly((x) => x.purgedBytes),
        rooms: withOnly((x) => x.purgeRooms),
        concurrentRooms: withOnly((x) => x.purgeConcurrentRooms),
        longestRoomSeconds: withOnly((x) => x.purgeLongestRoomSeconds),
        connectionWaits: withOnly((x) => x.connectionWaits),
        connectionWaitSeconds: withOnly((x) => x.connectionWaitSeconds),
        connectionWaitMaxSeconds: withOnly((x) => x.connectionWaitMaxSeconds),
      },
      restore: {
        recoverySeconds: withOnly((x) => (x.kind === 'restore' ? x.endSeconds - x.startSeconds : 0)),
        recoveryPointSeconds: spec.kind === 'restore' ? spec.backupIntervalHours * 3600 : 0,
        databaseBytes: withOnly((x) => (x.kind === 'restore' ? x.copiedDatabaseBytes : 0)),
        mediaBytes: withOnly((x) => (x.kind === 'restore' ? x.copiedMediaBytes : 0)),
      },
      backup: {
        backupSeconds: withOnly((x) => (x.kind === 'backup' ? x.endSeconds - x.startSeconds : 0)),
        dumpSeconds: withOnly((x) => (x.kind === 'backup' ? x.doneSeconds - x.startSeconds : 0)),
        recoveryPointSeconds: spec.kind === 'backup' ? spec.intervalHours * 3600 : 0,
        databaseBytes: withOnly((x) => (x.kind === 'backup' ? x.copiedDatabaseBytes : 0)),
        mediaBytes: withOnly((x) => (x.kind === 'backup' ? x.copiedMediaBytes : 0)),
      },
      peakCoresByKind,
      peakUtilization: paired((x) => peakUtilization(x, cores)),
      peakQueue: paired(peakQueue),
      localSendMs,
      localSendDuringMs,
      latencyTargetHeld: !(localSendDuringMs[target.latencyPercentile].incident.mean > target.localSendMs),
      federation: {
        backlogPeakPdus: paired((x) => maxOf(x.backlogPdus)),
        failedAttempts: paired((x) => x.failedAttempts),
        catchUpServers: withOnly((x) => x.catchUpServers),
        lagSeconds: {
          p50: withOnly((x) => pctl(x.federationLag, 0.5)),
          p95: withOnly((x) => pctl(x.federationLag, 0.95)),
          max: withOnly((x) => (x.federationLag.count > 0 ? x.federationLag.max : NaN)),
        },
        pdusQueued: withOnly((x) => x.pdusQueued),
        pdusAcknowledged: withOnly((x) => x.pdusAcknowledged),
        pdusFolded: withOnly((x) => x.pdusFolded),
        undeliveredPdusAtEnd: withOnly((x) => x.undeliveredPdus),
        lostPdus: withOnly((x) => x.lostPdus),
        destinations: destinationSummaries(
          s,
          runs.map((x) => x.with),
        ),
      },
      drainSeconds: withOnly((x) => x.drainSeconds ?? NaN),
      drainedReplications: drained,
    };
  });
}

/**
 * Per-minute series of each incident's window, the mean over replications:
 * minutes from the start, busy cores per process kind and PDUs queued for the
 * servers concerned, with the incident and in its baseline. One row per step.
 */
export function incidentSeries(results: readonly ReplicationResult[], index: number): Record<string, number[]> {
  const first = results[0]!.incidents[index]!;
  const steps = first.backlogPdus.length;
  const kinds = [...new Set(first.processKinds)];
  const cols: Record<string, number[]> = { minute: Array.from({ length: steps }, (_, k) => round((first.windowStartSeconds + k * first.stepSeconds - first.startSeconds) / 60)) };
  const mean = (pick: (r: ReplicationResult) => IncidentRecord | undefined, f: (x: IncidentRecord, k: number) => number): number[] =>
    Array.from({ length: steps }, (_, k) => {
      const xs = results.map(pick).filter((x): x is IncidentRecord => x !== undefined);
      return xs.length > 0 ? round(xs.reduce((sum, x) => sum + f(x, k), 0) / xs.length) : NaN;
    });
  for (const [label, pick] of [
    ['incident', (r: ReplicationResult) => r.incidents[index]],
    ['baseline', (r: ReplicationResult) => r.incidentBaselines[index]],
  ] as const) {
    for (const kind of kinds) {
      cols[`${label}.cores.${kind}`] = mean(pick, (x, k) => x.processKinds.reduce((sum, pk, p) => (pk === kind ? sum + x.busyCores[p]![k]! : sum), 0));
    }
    cols[`${label}.backlog_pdus`] = mean(pick, (x, k) => x.backlogPdus[k]!);
  }
  return cols;
}
