/**
 * The bill of materials: the recommendation as a list of components, each
 * with its instances and what one instance needs (cores, RAM, disk, network
 * to the internet), so that hosts can be packed from it and each priced
 * (src/cost/). The rows:
 *
 * - the homeserver's processes, one row per process kind: cores are the
 *   kind's p95 CPU over the ceiling (the recommendation's coresByComponent)
 *   shared among its processes; RAM each from the memory model
 *   (recommendation.ramGiBByProcessKind);
 * - PostgreSQL (the recommendation's database cores and RAM, the database's
 *   share of the disk), and the media store (the media's share of the disk);
 * - with calls, the LiveKit SFU: nodes from packing the calls of the peak
 *   (src/model/sfu.ts, `traffic.calls.sfuNodes`), each with its share of the
 *   peak's cores under the SFU's target, its RAM (CALL_COEFFICIENTS) and its
 *   share of the media in and out;
 * - the other components switched on in the scenario (src/server/components.ts),
 *   at the loads of this run, and the databases of their own.
 *
 * The homeserver's traffic reaches the internet through the reverse proxy
 * when it is on (its bandwidth is that traffic), else through main. Loads
 * are those of today's users scaled to the users the recommendation is
 * sized for (`horizonUsers`).
 */
import { maxOf } from '../engine/array.js';
import { quantileOf } from '../server/sizing.js';
import { COMPONENT_KINDS, componentDemand, componentProfile, ZERO_LOAD, type ComponentLoad } from '../server/components.js';
import { K } from '../model/coefficients.js';
import { M } from '../model/metrics.js';
import type { ReplicationResult } from '../model/simulate.js';
import { MEDIA_CATEGORIES } from '../model/metrics.js';
import { CALL_COEFFICIENTS } from '../model/sfu.js';
import type { StorageMonth } from '../model/storage.js';
import { toDistribution } from '../model/world.js';
import type { Scenario } from '../scenario/grammar.js';
import { summarizeCalls } from './calls-summary.js';

const GiB = 1024 ** 3;

/** What one row of the bill is. */
export type BillKind = 'homeserver' | 'database' | 'mediaStore' | 'sfu' | (typeof COMPONENT_KINDS)[number] | 'componentDatabase';

/** One component of the deployment: `count` instances, each needing what the other fields say. */
export interface BillComponent {
  name: string;
  kind: BillKind;
  count: number;
  /** Each instance: cores (fractional: p95 CPU over the ceiling), RAM and disk in GiB, network to the internet in Mbit/s (headroom included; 0 for what stays inside). */
  cores: number;
  ramGiB: number;
  diskGiB: number;
  bandwidthMbps: number;
}

/** What the bill reads of a recommendation (src/analysis/resources.ts Recommendation). */
export interface SizedDeployment {
  implementation: string;
  horizonUsers: number;
  processesByKind: Record<string, number>;
  coresByComponent: Record<string, number>;
  /** Cores in all, PostgreSQL's included. */
  cores: number;
  ramGiBByProcessKind: Record<string, number>;
  databaseCores: number;
  databaseRamGiB: number;
  bandwidthMbps: number;
}

/** The loads of the other components at this run's peak, scaled by `scale` (users sized for / today's). */
export function componentLoad(s: Scenario, results: readonly ReplicationResult[], rec: SizedDeployment, scale: number): ComponentLoad {
  const bin = s.run.binMinutes * 60;
  const n = results.length;
  const meanOf = (f: (r: ReplicationResult) => number) => results.reduce((a, r) => a + f(r), 0) / n;
  /** p95 over bins of a per-bin total, per second (the mean over replications). */
  const p95 = (...ids: (keyof typeof M)[]) =>
    meanOf((r) => {
      const series = ids.map((id) => r.counters.series(M[id]));
      const sum = series[0]!.map((_, b) => series.reduce((a, x) => a + (x[b] ?? 0), 0));
      return quantileOf(sum, 0.95) / bin;
    });
  const peak = (id: keyof typeof M) => meanOf((r) => Math.max(0, maxOf(r.counters.series(M[id]))) / bin);
  const meanMediaBytes = toDistribution(s.behaviour.media.bytes).mean;
  const cs = s.components;
  const protectedShare = (kinds: readonly string[] | null, unencryptedOnly: boolean) => {
    const on = s.rooms.kinds.map((k) => kinds === null || kinds.includes(k.name));
    const rooms = meanOf((r) => r.world.kinds.reduce((a, k, i) => a + (on[i] ? (unencryptedOnly ? k.unencryptedRooms : k.rooms) : 0), 0));
    const events = meanOf((r) => r.world.kinds.reduce((a, k, i) => a + (on[i] ? (unencryptedOnly ? k.unencryptedEvents : k.events) : 0), 0));
    const all = meanOf((r) => r.world.kinds.reduce((a, k) => a + k.events, 0));
    return { rooms, eventShare: all > 0 ? events / all : 0 };
  };
  const eventsPerSecond = meanOf((r) => quantileOf(r.server.eventsPersistedByBin, 0.95) / bin);
  // Policy servers check only unencrypted rooms (matrix-2026.md section 7.5); a bot sees every protected room's events.
  const policy = protectedShare(cs.policyServer.roomKinds, true);
  const policyOn = s.rooms.kinds.map((k) => cs.policyServer.roomKinds === null || cs.policyServer.roomKinds.includes(k.name));
  const bot = protectedShare(cs.moderationBot.roomKinds, false);
  const logins = peak('sync.initial');
  const calls = summarizeCalls(s, results);
  const users = rec.horizonUsers;
  return {
    ...ZERO_LOAD,
    loginsPerSecond: logins * scale,
    passwordLoginsPerSecond: cs.authService.passwordLogins ? logins * scale : 0,
    onlineDevices: meanOf((r) => Math.max(0, maxOf(r.onlineDevices))) * scale,
    users,
    devices: users * s.population.devicesPerUser,
    pushesPerSecond: p95('push.notifications') * scale,
    mediaDownloadsPerSecond: (p95('media.bytes_out') / meanMediaBytes) * scale,
    mediaDownloadMBps: (p95('media.bytes_out') / 1e6) * scale,
    mediaScansPerSecond: (p95('media.bytes_in') / meanMediaBytes) * scale,
    mediaScannedMBps: (p95('media.bytes_in') / 1e6) * scale,
    meanMediaMiB: meanMediaBytes / 1024 ** 2,
    policyEventsPerSecond: eventsPerSecond * policy.eventShare * scale,
    policyProtectedRooms: policy.rooms * scale,
    // Every event checked over the horizon: the run's events per day in the protected rooms, for the horizon's days.
    policyEventsStored:
      (meanOf((r) => r.world.kinds.reduce((a, k, i) => a + (policyOn[i] ? k.unencryptedEvents : 0), 0)) / s.run.days) * scale * K.averageDaysPerMonth * s.run.horizonMonths,
    botEventsPerSecond: eventsPerSecond * bot.eventShare * scale,
    botProtectedRooms: bot.rooms * scale,
    botRules: cs.moderationBot.rules,
    proxyRequestsPerSecond:
      p95('client.sync_responses', 'fed.in.transactions', 'push.fetches', 'm.room.message', 'm.room.encrypted', 'm.reaction', 'm.receipt', 'm.typing', 'media.upload') * scale,
    proxyMbps: rec.bandwidthMbps / (1 + s.run.server.targets.bandwidthHeadroom),
    proxyHandshakesPerSecond: (p95('fed.in.connections') + logins) * scale,
    proxyConnections: (meanOf((r) => Math.max(0, maxOf(r.onlineDevices))) + meanOf((r) => r.world.remoteServers)) * scale,
    turnRelayedMbps: calls ? calls.turnMbpsP95.mean * scale : 0,
  };
}

/** The bill of materials of a recommendation (see the file header). */
export function billOfMaterials(s: Scenario, results: readonly ReplicationResult[], rec: SizedDeployment, storage: readonly StorageMonth[]): BillComponent[] {
  const t = s.run.server.targets;
  const scale = s.population.users > 0 ? rec.horizonUsers / s.population.users : 1;
  const rows: BillComponent[] = [];
  const load = componentLoad(s, results, rec, scale);
  const proxy = s.components.reverseProxy.enabled;
  // The homeserver's processes, by kind: each kind's need (a monolith's is under 'monolith'), scaled so that they add
  // up to the recommendation's homeserver cores (its total is rounded up, at least one core).
  const kinds = Object.entries(rec.processesByKind);
  const needOf = (kind: string) => rec.coresByComponent[kind] ?? (kind === 'main' ? (rec.coresByComponent.monolith ?? 0) : 0);
  const needs = kinds.reduce((a, [kind]) => a + needOf(kind), 0);
  const serverCores = rec.cores - rec.databaseCores;
  const processes = kinds.reduce((a, [, n]) => a + n, 0);
  for (const [kind, count] of kinds) {
    const cores = needs > 0 ? (serverCores * needOf(kind)) / needs / count : serverCores / processes;
    rows.push({
      name: kind === 'server' ? rec.implementation : `${rec.implementation} ${kind}`,
      kind: 'homeserver',
      count,
      cores: round(cores),
      ramGiB: round(rec.ramGiBByProcessKind[kind] ?? 0),
      diskGiB: 0,
      bandwidthMbps: !proxy && (kind === 'main' || kind === 'server') ? rec.bandwidthMbps : 0,
    });
  }
  // PostgreSQL and the media store: the disk of the horizon's last month, split.
  const last = storage.at(-1);
  let mediaBytes = 0;
  if (last) for (const cat of MEDIA_CATEGORIES) mediaBytes += last.byCategory[cat] ?? 0;
  const headroom = 1 + t.diskHeadroom;
  const databaseGiB = last ? ((last.total - mediaBytes) * headroom) / GiB : 0;
  if (rec.databaseCores > 0) {
    rows.push({ name: 'PostgreSQL', kind: 'database', count: 1, cores: round(rec.databaseCores), ramGiB: rec.databaseRamGiB, diskGiB: Math.ceil(databaseGiB), bandwidthMbps: 0 });
  }
  rows.push({ name: 'media store', kind: 'mediaStore', count: 1, cores: 0, ramGiB: 0, diskGiB: Math.ceil((mediaBytes * headroom) / GiB), bandwidthMbps: 0 });
  // The SFU.
  const calls = summarizeCalls(s, results);
  if (calls) {
    // Today's packing of the peak's calls, or more nodes when the users the deployment is sized for need them.
    const nodes = Math.max(1, Math.round(calls.sfuNodes.mean), Math.ceil((calls.sfuCoresPeak.mean * scale) / s.calls.sfuTargetUtilization / s.calls.sfuNodeVcpu - 1e-9));
    const participantsPeak = calls.participantsP95.mean * scale;
    const ram = CALL_COEFFICIENTS.sfuBaseRamMiB.value + (CALL_COEFFICIENTS.sfuRamMiBPerParticipant.value * participantsPeak) / nodes;
    rows.push({
      name: 'LiveKit SFU',
      kind: 'sfu',
      count: nodes,
      cores: round(Math.min(s.calls.sfuNodeVcpu, (calls.sfuCoresPeak.mean * scale) / s.calls.sfuTargetUtilization / nodes)),
      ramGiB: round(ram / 1024),
      diskGiB: 0,
      bandwidthMbps: round((Math.max(calls.sfuIngressMbpsP95.mean, calls.sfuEgressMbpsP95.mean) * scale * (1 + t.bandwidthHeadroom)) / nodes),
    });
  }
  // The other components switched on, and their own databases.
  for (const kind of COMPONENT_KINDS) {
    const profile = componentProfile(kind, s.components);
    const d = componentDemand(profile, load, { cpuUtilization: t.cpuUtilization, bandwidthHeadroom: t.bandwidthHeadroom });
    if (d.count === 0) continue;
    rows.push({ name: profile.name, kind, count: d.count, cores: round(d.cores), ramGiB: round(d.ramGiB), diskGiB: round(d.diskGiB), bandwidthMbps: round(d.bandwidthMbps) });
    if (d.database) {
      const db = d.database;
      rows.push({
        name: `${profile.name} database`,
        kind: 'componentDatabase',
        count: 1,
        cores: round(db.cores),
        ramGiB: round(db.ramGiB),
        diskGiB: round(db.diskGiB),
        bandwidthMbps: 0,
      });
    }
  }
  return rows;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The recommendation with its bill of materials filled in. */
export function withBill<R extends SizedDeployment & { components: BillComponent[] }>(
  s: Scenario,
  results: readonly ReplicationResult[],
  rec: R,
  storage: readonly StorageMonth[],
): R {
  rec.components = billOfMaterials(s, results, rec, storage);
  return rec;
}
