/**
 * Month 1 of an offer's cost by component: the cost lines shared out over
 * what the deployment runs, so that a budget holder sees what each part
 * costs and the egress on its own (calls make egress tiers matter).
 *
 * - the homeserver's hosts: the compute line (PostgreSQL's share included
 *   when it runs on the same host);
 * - PostgreSQL: the database line (its own host or managed plan), the block
 *   storage and backups in proportion of its GiB to the media's when the
 *   media is on block storage too;
 * - the media store: object storage, or its share of block storage and
 *   backups;
 * - each other component (the bill of materials): the components line in
 *   proportion to its cores (x instances);
 * - internet egress, split between the homeserver's traffic and call media
 *   in proportion to their GiB (the ladder's tiers are shared);
 * - labour, and setup (once).
 * The rows add up to month 1's total.
 */
import type { CostInputs } from './inputs.js';
import type { MonthCost } from './selfhost.js';

export interface ComponentCost {
  name: string;
  /** 'homeserver', 'database', 'mediaStore', a component's kind, 'egress', 'labour' or 'setup'. */
  kind: string;
  /** Month 1, report currency. */
  monthly: number;
}

/** Month 1 of a projection by component (see the file header). `mediaOnBlock`: the provider has no object storage. */
export function costByComponent(inputs: CostInputs, m1: MonthCost, mediaOnBlock: boolean): ComponentCost[] {
  const rows: ComponentCost[] = [];
  const add = (name: string, kind: string, monthly: number) => {
    if (monthly !== 0) rows.push({ name, kind, monthly });
  };
  add('homeserver hosts', 'homeserver', m1.compute);
  // Block storage and backups hold the self-run database and, without object storage, the media.
  const dbGiB = m1.databaseGiB;
  const mediaGiB = mediaOnBlock ? m1.mediaGiB : 0;
  const dbShare = dbGiB + mediaGiB > 0 ? dbGiB / (dbGiB + mediaGiB) : 1;
  add('PostgreSQL', 'database', m1.database + (m1.blockStorage + m1.backups) * dbShare);
  add('media store', 'mediaStore', m1.objectStorage + (m1.blockStorage + m1.backups) * (1 - dbShare));
  const components = inputs.components ?? [];
  const cores = components.reduce((a, c) => a + c.cores * c.count, 0);
  for (const c of components) add(c.name, c.kind, cores > 0 ? (m1.components * c.cores * c.count) / cores : m1.components / components.length);
  const callShare = inputs.egressGiBPerMonth > 0 ? (inputs.callEgressGiBPerMonth ?? 0) / inputs.egressGiBPerMonth : 0;
  add('internet egress: homeserver traffic', 'egress', m1.egress * (1 - callShare));
  add('internet egress: call media', 'egress', m1.egress * callShare);
  add('labour', 'labour', m1.labour);
  add('setup (once)', 'setup', m1.setup);
  return rows;
}
