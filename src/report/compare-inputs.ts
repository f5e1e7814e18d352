/**
 * The inputs of `mxsim compare`, each a run folder's files or a scenario
 * simulated just now (src/cli/compare.ts reads them), brought to one shape
 * (`CompareInput`): the summary, per-replication values of the key figures,
 * per-bin series and the storage at the end of each month.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { mser5Truncation } from '../analysis/confidence.js';
import { storageAdded, storageTotal } from '../analysis/summarize.js';
import type { RunSummary } from '../cost/run.js';
import { M, type MetricId } from '../model/metrics.js';
import type { ReplicationResult } from '../model/simulate.js';

/** One input of a comparison, whatever it came from. */
export interface CompareInput {
  /** Short unique name in tables and legends (the scenario name, made unique). */
  label: string;
  /** The path as given on the command line. */
  path: string;
  kind: 'run' | 'scenario';
  summary: RunSummary;
  /** Per-replication values by figure id, in the figure's units (see `samplesFromReplicationsCsv`). */
  samples: Record<string, number[]>;
  /** Per-bin series (means over replications), or null when the run folder has no data/client.csv. */
  series: { binStartSeconds: number[]; binMinutes: number; clientBytesOut: number[]; onlineUsers: number[] } | null;
  /** Storage total at the end of each month, or null without data/storage-horizon.csv. */
  storageHorizon: { month: number; totalBytes: number }[] | null;
}

/**
 * Columns of data/replications.csv (totals over the run) behind figures,
 * divided by the simulated days for the per-day ones.
 */
export const REPLICATION_COLUMNS: Record<string, string> = {
  messagesPerDay: 'messages',
  clientBytesOutPerDay: 'client_bytes_out',
  federationBytesOutPerDay: 'fed_bytes_out',
  storageBytesPerDay: 'storage_bytes_added',
};

/** Per-replication values of the figures data/replications.csv can give, per day. */
export function samplesFromReplicationsCsv(text: string, days: number): Record<string, number[]> {
  const rows = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  const out: Record<string, number[]> = {};
  const [first] = rows;
  for (const [id, column] of Object.entries(REPLICATION_COLUMNS)) {
    if (first === undefined || !(column in first)) continue;
    const values = rows.map((r) => Number(r[column]) / days);
    if (values.every((v) => Number.isFinite(v))) out[id] = values;
  }
  return out;
}

/** Counters behind per-day figures, for inputs simulated here. */
const RESULT_METRICS: Record<string, MetricId[]> = {
  messagesPerDay: ['m.room.message', 'm.room.encrypted'],
  clientBytesOutPerDay: ['client.bytes_out'],
  clientBytesInPerDay: ['client.bytes_in'],
  federationBytesOutPerDay: ['fed.out.bytes'],
  federationBytesInPerDay: ['fed.in.bytes'],
  federationEdusPerDay: ['fed.out.edus'],
  presenceEdusPerDay: ['fed.out.edus.presence'],
  mediaBytesInPerDay: ['media.bytes_in'],
  mediaBytesOutPerDay: ['media.bytes_out'],
};

/**
 * Per-replication values of a scenario simulated here: the per-day counters
 * and the p95 bin of total busy cores (after the same MSER-5 warm-up cut as
 * the summary's `resources.totalCores.p95`).
 */
export function samplesFromResults(results: readonly ReplicationResult[], days: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [id, metrics] of Object.entries(RESULT_METRICS)) out[id] = results.map((r) => metrics.reduce((a, k) => a + r.counters.total(M[k]), 0) / days);
  // As the summary's storage.bytesPerDay: what was written, with PostgreSQL's overhead on it.
  out['storageBytesPerDay'] = results.map((r) => storageTotal(storageAdded(r)) / days);
  out['totalCoresP95'] = results.map((r) => {
    const bins = r.server.processes[0]?.busyByBin.length ?? 0;
    // Busy cores of every process and the database, bin by bin (every series has the same bins).
    const total = Array.from({ length: bins }, (_, b) => r.server.processes.reduce((t, p) => t + (p.busyByBin[b] ?? 0), 0) + (r.server.database?.busyByBin[b] ?? 0));
    const cut = bins >= 10 ? mser5Truncation(total).truncatePoints : 0;
    const steady = total.slice(Math.min(cut, Math.max(0, bins - 1))).sort((a, b) => a - b);
    // No bins: 0.
    return steady[Math.min(steady.length - 1, Math.max(0, Math.ceil(0.95 * steady.length) - 1))] ?? 0;
  });
  return out;
}

/** The columns of data/client.csv read here. */
export const CLIENT_CSV_COLUMNS = ['bin_start_s', 'client.bytes_out', 'online.users'] as const;

/** Per-bin client bytes out and users online from data/client.csv. */
export function seriesFromClientCsv(text: string, binMinutes: number): CompareInput['series'] {
  const rows = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  const [first] = rows;
  if (first === undefined || !('client.bytes_out' in first) || !('online.users' in first)) return null;
  return {
    binStartSeconds: rows.map((r) => Number(r['bin_start_s'])),
    binMinutes,
    clientBytesOut: rows.map((r) => Number(r['client.bytes_out'])),
    onlineUsers: rows.map((r) => Number(r['online.users'])),
  };
}

/** Month and total from data/storage-horizon.csv. */
export function storageFromHorizonCsv(text: string): CompareInput['storageHorizon'] {
  const rows = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  const [first] = rows;
  if (first === undefined || !('total_bytes' in first)) return null;
  return rows.map((r) => ({ month: Number(r['month']), totalBytes: Number(r['total_bytes']) }));
}
