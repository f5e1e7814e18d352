/**
 * The "Search, retention and audit" section of the report pages, as plain
 * text: summary.json `governance` (src/analysis/governance-summary.ts) as one
 * table of what each policy costs per day (and the archive over the
 * horizon). Read defensively: a summary of an earlier version has no
 * governance; then there is no section.
 */
import type { GovernanceSummary } from '../analysis/governance-summary.js';
import type { Stat } from '../analysis/stat.js';
import type { RunSummary } from '../cost/run.js';
import { formatBytes, formatCount, formatNumber } from '../format/index.js';
import { retentionInWords } from '../model/retention.js';
import type { Table } from './table.js';

/** The governance figures of a summary, or undefined (an earlier summary). */
export function governanceOf(summary: RunSummary): GovernanceSummary | undefined {
  const g = (summary as { governance?: GovernanceSummary }).governance;
  return g && typeof g === 'object' && g.search && g.retention ? g : undefined;
}

const count = (s: Stat) => formatCount(Math.round(s.mean));
/** Seconds a day as a person reads them: seconds, minutes or hours, to a tenth. */
const seconds = (s: Stat) => {
  // The unit is chosen on the rounded figure, so 59.96 s reads 1 min, not 60 s.
  const x = s.mean;
  const inSeconds = Math.round(x * 10) / 10;
  const inMinutes = Math.round(x / 6) / 10;
  return `${inSeconds < 60 ? `${formatNumber(inSeconds)} s` : inMinutes < 60 ? `${formatNumber(inMinutes)} min` : `${formatNumber(Math.round(x / 360) / 10)} h`} a day`;
};

/** One table: policy, what, per day (or at the end of the horizon). */
export function governanceTable(summary: RunSummary): Table | undefined {
  const g = governanceOf(summary);
  if (g === undefined) return undefined;
  const { search, retention, audit } = g;
  const rows: string[][] = [];
  if (!search.enabled) rows.push(['search', 'server-side search', 'off (features.search.enabled): no index, no search CPU']);
  else
    rows.push(
      ['search', 'messages indexed a day', `${count(search.indexedEventsPerDay)} (encrypted rooms are not indexed: their clients search locally)`],
      ['search', 'index growth a day (event_search and its indexes)', formatBytes(search.indexBytesPerDay.mean)],
      ['search', 'searches a day', `${count(search.queriesPerDay)}, ${formatCount(Math.round(search.rowsMatchedPerQuery.mean))} rows matched each`],
      ['search', 'CPU: indexing / searching', `${seconds(search.indexCpuSecondsPerDay)} / ${seconds(search.queryCpuSecondsPerDay)}`],
      ['search', 'PostgreSQL: indexing / searching', `${seconds(search.indexDatabaseSecondsPerDay)} / ${seconds(search.queryDatabaseSecondsPerDay)}`],
    );
  rows.push(['retention', 'policy', retentionInWords(retention)]);
  if (!retention.legalHold && retention.kinds.some((k) => k.maxLifetimeDays !== null))
    rows.push(
      ['retention', 'events the nightly purge deletes a day (once the history is older than each lifetime)', count(retention.purgedEventsPerDay)],
      ['retention', 'purge job: CPU / PostgreSQL', `${seconds(retention.purgeCpuSecondsPerDay)} / ${seconds(retention.purgeDatabaseSecondsPerDay)}`],
    );
  if (audit === undefined) rows.push(['audit', 'audit export', 'off (features.auditExport.enabled)']);
  else
    rows.push(
      ['audit', 'events archived a day', count(audit.eventsPerDay)],
      ['audit', 'bytes archived a day', formatBytes(audit.bytesPerDay.mean)],
      ['audit', `archive at the end of the horizon (each copy locked ${formatNumber(audit.lockYears)} years)`, formatBytes(audit.bytesAtEnd.mean)],
      ['audit', 'sent off site a day', audit.egressBytesPerDay.mean > 0 ? formatBytes(audit.egressBytesPerDay.mean) : 'nothing: the archive is on site'],
    );
  return {
    id: 'governance',
    title: 'What each policy costs',
    note: 'Means over the replications. Search and its CPU are in the recommendation; the purge job runs once a night (Synapse purge_jobs) and is a figure here, not a load the busy hours are sized for; the archive and its egress are priced in the cost (audit archive).',
    columns: ['policy', 'what', 'value'],
    rows,
  };
}
