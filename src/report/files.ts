/**
 * Step 6 of the pipeline, for a run: the files of a report folder, as text,
 * before anything touches the disk. `writeReport` then puts them in place
 * atomically.
 */
import type { ReportRun } from '../cost/run.js';
import { EVENT_TYPES, M, STORAGE_CATEGORIES, WRITTEN_STORAGE_CATEGORIES, type MetricId } from '../model/metrics.js';
import type { Scenario } from '../scenario/grammar.js';
import { incidentSeries } from '../analysis/incidents-summary.js';
import { storageAdded, storageTotal } from '../analysis/summarize.js';
import { present } from '../errors.js';
import { COMPONENTS_CSV_PATH, componentsCsv } from './bill-section.js';
import { toCsv, type Cell } from './csv.js';
import { incidentCsvPath } from './incident-section.js';
import { TRUST_CSV_PATH, trustCsv } from './trust-section.js';
import { cycle } from './palette.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** "Mon 09:15" for a simulated time (the run starts on a Monday at 00:00). */
export function clockLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const day = cycle(DAYS, Math.floor(minutes / 1440));
  const hh = String(Math.floor((minutes % 1440) / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${day} ${hh}:${mm}`;
}

function seriesCsv(run: ReportRun, columns: readonly string[]): string {
  const { binStartSeconds, columns: data } = run.series;
  // A column the report asks for and the run lacks is a bug; a bin a column lacks is an empty cell.
  const values = columns.map((c) => present(data[c], `the series column ${c}`));
  const rows = binStartSeconds.map((t, b): Cell[] => [t, clockLabel(t), ...values.map((v) => v[b] ?? null)]);
  return toCsv(['bin_start_s', 'time', ...columns], rows);
}

/** Every file of the report folder, by relative path. */
export function reportFiles(run: ReportRun, scenario: Scenario): Map<string, string> {
  const files = new Map<string, string>();
  files.set('summary.json', JSON.stringify(run.summary, null, 2) + '\n');
  files.set('scenario.json', JSON.stringify(scenario, null, 2) + '\n');
  files.set(
    'data/events.csv',
    seriesCsv(
      run,
      EVENT_TYPES.map((e) => e.id),
    ),
  );
  files.set(
    'data/federation.csv',
    seriesCsv(run, [
      'fed.out.pdus',
      'fed.out.edus',
      'fed.out.edus.presence',
      'fed.out.edus.receipt',
      'fed.out.edus.typing',
      'fed.out.edus.to_device',
      'fed.out.edus.device_list',
      'fed.out.transactions',
      'fed.out.transactions.slow',
      'fed.out.failed_attempts',
      'fed.out.bytes',
      'fed.out.bytes.slow',
      'fed.out.catchup_pdus',
      'fed.out.backlog_pdus_max',
      'fed.in.pdus',
      'fed.in.edus',
      'fed.in.transactions',
      'fed.in.bytes',
      'fed.in.state_bytes',
      'fed.out.connections',
      'fed.in.connections',
      'fed.in.forks',
      'fed.in.state_resolutions',
      'fed.in.state_res_events',
      'fed.in.get_missing_events',
      'fed.in.state_ids',
      'fed.in.joins',
      'fed.in.partial_state_events',
      'fed.in.device_list_updates',
      'fed.in.device_resyncs',
    ]),
  );
  files.set(
    'data/client.csv',
    seriesCsv(run, [
      'online.users',
      'online.devices',
      'client.bytes_out',
      'client.bytes_in',
      'client.sync_responses',
      'client.sync_timeouts',
      'client.sync_deliveries',
      'sync.v2_requests',
      'sync.sliding_requests',
      'sync.initial',
      'push.notifications',
      'push.bytes',
      'push.evaluations',
      'push.actions',
      'push.badge',
      'push.fetches',
      'e2ee.keys_query',
      'e2ee.backup_uploads',
      'e2ee.stale_keys',
    ]),
  );
  files.set('data/media.csv', seriesCsv(run, ['media.upload', 'media.rejected', 'media.bytes_in', 'media.bytes_out', 'media.fed_bytes_out', 'media.fed_bytes_in', 'url.preview']));
  const server = run.server;
  const serverColumns = Object.entries(server.columns);
  files.set(
    'data/server.csv',
    toCsv(
      ['bin_start_s', 'time', ...serverColumns.map(([c]) => c)],
      server.binStartSeconds.map((t, b): Cell[] => [t, clockLabel(t), ...serverColumns.map(([, v]) => v[b] ?? null)]),
    ),
  );
  files.set(
    'data/latency.csv',
    toCsv(
      ['quantile', 'local_send_ms', 'federation_delivery_ms'],
      run.latency.map((l) => [l.quantile, l.localSendMs, l.federationDeliveryMs]),
    ),
  );
  files.set(
    'data/storage-run.csv',
    seriesCsv(
      run,
      WRITTEN_STORAGE_CATEGORIES.map((c) => `storage.${c}`),
    ),
  );
  files.set(
    'data/storage-horizon.csv',
    toCsv(
      ['month', 'users', ...STORAGE_CATEGORIES.map((c) => `${c}_bytes`), 'total_bytes'],
      run.storage.map((m) => [m.month, m.users, ...STORAGE_CATEGORIES.map((c) => m.byCategory[c]), m.total]),
    ),
  );
  const total = (r: ReportRun['results'][number], id: MetricId) => r.counters.total(M[id]);
  files.set(
    'data/replications.csv',
    toCsv(
      [
        'replication',
        'seed',
        'events',
        'peak_online_share',
        'messages',
        'fed_pdus_out',
        'fed_transactions_out',
        'fed_bytes_out',
        'client_bytes_out',
        'storage_bytes_added',
        'fed_latency_p99_s',
      ],
      run.results.map((r, i) => [
        i,
        r.seed,
        r.events,
        r.peakOnlineShare,
        total(r, 'm.room.message') + total(r, 'm.room.encrypted'),
        total(r, 'fed.out.pdus'),
        total(r, 'fed.out.transactions'),
        total(r, 'fed.out.bytes'),
        total(r, 'client.bytes_out'),
        storageTotal(storageAdded(r)),
        r.federationLatency.count > 0 ? r.federationLatency.quantile(0.99) : null,
      ]),
    ),
  );
  // The per-minute series of each incident's window (none without a timeline).
  run.summary.incidents.forEach((_, i) => {
    const columns = incidentSeries(run.results, i);
    const names = Object.keys(columns);
    const steps = columns['minute']?.length ?? 0;
    files.set(
      incidentCsvPath(i + 1),
      toCsv(
        names,
        Array.from({ length: steps }, (_, k) => names.map((c) => columns[c]![k] ?? null)),
      ),
    );
  });
  // The bill of materials, one row per component (none without a recommendation).
  const components = componentsCsv(run.summary);
  if (components !== undefined) files.set(COMPONENTS_CSV_PATH, components);
  // What leaves for each remote server, and the levers (none when this server does not federate).
  const trust = trustCsv(run.summary);
  if (trust !== undefined) files.set(TRUST_CSV_PATH, trust);
  // The full cost comparison (summary.json has the trimmed one), when the run was costed.
  const cost = run.cost ?? null;
  if (cost) files.set('data/cost.json', JSON.stringify(cost, null, 2) + '\n');
  return files;
}
