/**
 * The zoomed charts of the timeline's incidents, one per incident, drawn in
 * the report's Incidents section: over the incident's window (x: minutes from
 * its start, the incident's span shaded), busy cores per process kind with
 * the incident and in its baseline (the same window without it), and below,
 * the PDUs queued for the servers concerned, likewise. The numbers are those
 * of data/incident-N.csv (files.ts), from `incidentSeries`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { incidentSeries, type IncidentSummary } from '../analysis/incidents-summary.js';
import { formatSeconds } from '../format/index.js';
import { CHART_CONFIG, CHART_WIDTH, finite, header, type Chart, type ChartContext } from './chart-spec.js';
import { incidentCsvPath } from './incident-section.js';
import { seriesColor, seriesLabel } from './palette.js';
import { plural } from './text.js';

/** The two runs a line belongs to, as the legend names them. */
const WITH = 'with the incident';
const WITHOUT = 'without (baseline)';

/** File stem of the n-th incident's chart (1 for the first). */
export const incidentChartName = (n: number): string => `incident-${n}`;

const shade = (i: IncidentSummary) => ({
  data: { values: [{ from: 0, to: finite((i.endSeconds - i.startSeconds) / 60), label: 'incident' }] },
  mark: { type: 'rect', color: '#d62728', opacity: 0.08 },
  encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
});

const dash = {
  field: 'run',
  type: 'nominal',
  title: null,
  scale: {
    domain: [WITH, WITHOUT],
    range: [
      [1, 0],
      [5, 4],
    ],
  },
  legend: { orient: 'top' },
};

function incidentChart(i: IncidentSummary, n: number, columns: Record<string, number[]>, replications: number): Chart {
  const minutes = columns['minute'] ?? [];
  const kinds = Object.keys(columns)
    .filter((c) => c.startsWith('incident.cores.'))
    .map((c) => c.slice('incident.cores.'.length));
  const label = (kind: string) => seriesLabel(`process.${kind}`);
  const coreRows = kinds.flatMap((kind) =>
    [
      [WITH, columns[`incident.cores.${kind}`]],
      [WITHOUT, columns[`baseline.cores.${kind}`]],
    ].flatMap(([run, values]) => minutes.map((minute, k) => ({ minute, series: label(kind), run, value: finite((values as number[] | undefined)?.[k] ?? NaN) }))),
  );
  const backlogRows = [
    [WITH, columns['incident.backlog_pdus']],
    [WITHOUT, columns['baseline.backlog_pdus']],
  ].flatMap(([run, values]) => minutes.map((minute, k) => ({ minute, run, value: finite((values as number[] | undefined)?.[k] ?? NaN) })));
  const x = {
    field: 'minute',
    type: 'quantitative',
    title: 'minutes from the start of the incident',
    scale: { domain: [minutes[0] ?? 0, minutes.at(-1) ?? 0], nice: false },
    axis: { grid: true },
  };
  const duration = formatSeconds(i.endSeconds - i.startSeconds);
  const title = `Incident ${n}: ${i.name}`;
  const description = `The window of the incident "${i.name}" (${i.kind}, ${duration}, shaded), minute by minute, mean of ${plural(replications, 'replication')}: busy cores per process kind, and the PDUs queued for the servers it concerns, with the incident (solid) and in the same window of the same replications without it (dashed).`;
  return {
    name: incidentChartName(n),
    title,
    description,
    csv: { path: incidentCsvPath(n) },
    spec: {
      ...header(
        title,
        [`${i.kind}, ${duration} (shaded); one-minute steps, mean of ${plural(replications, 'replication')}`, 'solid: with the incident; dashed: the same window without it'],
        description,
      ),
      vconcat: [
        {
          width: CHART_WIDTH,
          height: 180,
          layer: [
            shade(i),
            {
              data: { values: coreRows },
              mark: { type: 'line', interpolate: 'linear', strokeWidth: 1.6 },
              encoding: {
                x,
                y: { field: 'value', type: 'quantitative', title: 'cores busy' },
                color: {
                  field: 'series',
                  type: 'nominal',
                  title: null,
                  scale: { domain: kinds.map(label), range: kinds.map((k) => seriesColor(`process.${k}`)) },
                  legend: { orient: 'top' },
                },
                strokeDash: dash,
                detail: { field: 'run', type: 'nominal' },
              },
            },
          ],
        },
        {
          width: CHART_WIDTH,
          height: 120,
          layer: [
            shade(i),
            {
              data: { values: backlogRows },
              mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6, color: seriesColor('bandwidth.federation_out') },
              encoding: {
                x,
                y: { field: 'value', type: 'quantitative', title: 'PDUs queued for them' },
                strokeDash: dash,
              },
            },
          ],
        },
      ],
      spacing: 16,
      config: CHART_CONFIG,
    } as unknown as TopLevelSpec,
  };
}

/** One zoomed chart per incident of the timeline, in its order; none without a timeline. */
export function incidentCharts({ run }: ChartContext): Chart[] {
  return run.summary.incidents.map((i, k) => incidentChart(i, k + 1, incidentSeries(run.results, k), run.summary.replications));
}
