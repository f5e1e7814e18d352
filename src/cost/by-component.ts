/**
 * Month 1 of an offer's cost by component: the cost lines shared out over
 * what the deployment runs, so that a budget holder sees what each part
 * costs and the egress on its own (calls make egress tiers matter).
 *
 * - the homeserver's hosts: the compute line (PostgreSQL's share included
 *   when it runs on the same host), less the shares of the other components
 *   that run on them (reverse proxy, MAS, push gateway, scanner, policy
 *   server, bot), each in proportion to its cores (x instances) against the
 *   homeserver's (and a same-host PostgreSQL's);
 * - PostgreSQL: the database line (its own host or managed plan), the block
 *   storage and backups in proportion of its GiB to the media's when the
 *   media is on block storage too;
 * - the media store: object storage, or its share of block storage and
 *   backups; an audit archive (features.auditExport) shares them with it by
 *   their GiB;
 * - the SFU and TURN: the calls line (their hosts), in proportion to their
 *   cores (x instances);
 * - internet egress, split between the homeserver's traffic, call media and
 *   an off-site audit copy in proportion to their GiB (the ladder's tiers
 *   are shared);
 * - labour, and setup (once).
 * The rows add up to month 1's total.
 */
import type { CostInputs } from './inputs.js';
import { CALL_KINDS } from './inputs.js';
import type { MonthCost } from './selfhost.js';

export interface ComponentCost {
  name: string;
  /** 'homeserver', 'database', 'mediaStore', a component's kind, 'egress', 'labour' or 'setup'. */
  kind: string;
  /** Month 1, report currency. */
  monthly: number;
}

/** Month 1 of a projection by component (see the file header). `mediaOnBlock`: the provider has no object storage; `sameHostDbCores`: PostgreSQL's cores when it shares the homeserver's hosts, else null. */
export function costByComponent(inputs: CostInputs, m1: MonthCost, mediaOnBlock: boolean, sameHostDbCores: number | null): ComponentCost[] {
  const rows: ComponentCost[] = [];
  const add = (name: string, kind: string, monthly: number) => {
    if (monthly !== 0) rows.push({ name, kind, monthly });
  };
  const components = inputs.components ?? [];
  const coresOf = (c: (typeof components)[number]) => c.cores * c.count;
  const beside = components.filter((c) => !CALL_KINDS.has(c.kind));
  const media = components.filter((c) => CALL_KINDS.has(c.kind));
  const homeserverCores = inputs.cores + (sameHostDbCores ?? 0);
  const onHomeserverHosts = homeserverCores + beside.reduce((a, c) => a + coresOf(c), 0);
  const share = (cores: number, of: number, n: number) => (of > 0 ? cores / of : 1 / n);
  add('homeserver hosts', 'homeserver', m1.compute * share(homeserverCores, onHomeserverHosts, beside.length + 1));
  for (const c of beside) add(c.name, c.kind, m1.compute * share(coresOf(c), onHomeserverHosts, beside.length + 1));
  const mediaCores = media.reduce((a, c) => a + coresOf(c), 0);
  for (const c of media) add(c.name, c.kind, m1.calls * share(coresOf(c), mediaCores, media.length));
  // Block storage and backups hold the self-run database and, without object storage, the media.
  const dbGiB = m1.databaseGiB;
  const mediaGiB = mediaOnBlock ? m1.mediaGiB + m1.auditGiB : 0;
  const dbShare = dbGiB + mediaGiB > 0 ? dbGiB / (dbGiB + mediaGiB) : 1;
  add('PostgreSQL', 'database', m1.database + (m1.blockStorage + m1.backups) * dbShare);
  // The media store and an audit archive share object storage (or the rest of block storage) by their GiB.
  const archive = m1.auditGiB;
  const archiveShare = m1.mediaGiB + archive > 0 ? archive / (m1.mediaGiB + archive) : 0;
  const mediaAndArchive = m1.objectStorage + (m1.blockStorage + m1.backups) * (1 - dbShare);
  add('media store', 'mediaStore', mediaAndArchive * (1 - archiveShare));
  add('audit archive', 'auditArchive', mediaAndArchive * archiveShare);
  const egressShare = (x: number | undefined) => (inputs.egressGiBPerMonth > 0 ? (x ?? 0) / inputs.egressGiBPerMonth : 0);
  const callShare = egressShare(inputs.callEgressGiBPerMonth);
  const auditShare = egressShare(inputs.auditEgressGiBPerMonth);
  add('internet egress: homeserver traffic', 'egress', m1.egress * (1 - callShare - auditShare));
  add('internet egress: call media', 'egress', m1.egress * callShare);
  add('internet egress: audit archive off-site', 'egress', m1.egress * auditShare);
  add('labour', 'labour', m1.labour);
  add('setup (once)', 'setup', m1.setup);
  return rows;
}
