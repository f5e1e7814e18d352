/**
 * The scenario's inputs and the model's fixed numbers as tables of the
 * report pages: population, federation and policy, activity classes, room
 * kinds, and the model's coefficients with their sources and trust labels.
 */
import { retentionInWords, retentionOfKinds } from '../model/retention.js';
import { formatBytes, formatCount, formatNumber, formatShare } from '../format/index.js';
import { COEFFICIENTS } from '../model/coefficients.js';
import { roomMembers } from '../model/world.js';
import type { DistributionSpec, Scenario } from '../scenario/grammar.js';
import type { Table } from './table.js';
import { keyWords, plural } from './text.js';

/** A distribution in words: "lognormal, mean 45, cv 1.2". */
export function describeDistribution(d: DistributionSpec): string {
  switch (d.kind) {
    case 'deterministic':
      return `always ${formatNumber(d.value)}`;
    case 'exponential':
      return `exponential, mean ${formatNumber(d.mean)}`;
    case 'uniform':
      return `uniform ${formatNumber(d.min)} to ${formatNumber(d.max)}`;
    case 'lognormal':
    case 'gamma':
      return `${d.kind}, mean ${formatNumber(d.mean)}, cv ${formatNumber(d.cv)}`;
    case 'pareto':
      return `Pareto, alpha ${formatNumber(d.alpha)}, min ${formatNumber(d.min)}${d.max === undefined ? '' : `, max ${formatNumber(d.max)}`}`;
    case 'empirical':
      return `empirical over ${d.values.length} values`;
  }
}

const yesNo = (b: boolean) => (b ? 'on' : 'off');

export function inputTables(scenario: Scenario): Table[] {
  const p = scenario.population;
  const f = scenario.federation;
  const ft = scenario.features;
  const r = scenario.run;
  return [
    {
      id: 'inputs-general',
      title: 'Population, federation and policy',
      columns: ['input', 'value'],
      rows: [
        ['users at the start', formatCount(p.users)],
        ['user growth per month', formatShare(p.growthPerMonth)],
        ['devices per user (mean)', formatNumber(p.devicesPerUser)],
        ['share of devices that are phones with a pusher', formatShare(p.mobileDeviceShare)],
        ['share of users online at the busiest hour', formatShare(p.peakOnlineShare)],
        ['session length, minutes', describeDistribution(p.sessionMinutes)],
        ['time-zone spread, hours', formatNumber(p.rhythm.timeZoneSpreadHours)],
        [
          'federation',
          f.mode === 'closed'
            ? 'closed'
            : `${keyWords(f.mode)}, ${formatCount(f.remoteServers)} remote servers (${formatShare(f.downShare)} down, ${formatShare(f.slowShare)} slow)`,
        ],
        [
          'presence / typing / read receipts',
          `${yesNo(ft.presence)} / ${yesNo(ft.typing)} / ${yesNo(ft.readReceipts)}${ft.readReceipts && ft.privateReadReceipts ? ' (private: not federated)' : ''}`,
        ],
        ['encryption by default', yesNo(ft.encryptionByDefault)],
        ['URL previews', yesNo(ft.urlPreviews)],
        ['retention', retentionInWords(retentionOfKinds(scenario))],
        ['media upload limit', formatBytes(ft.mediaMaxBytes)],
        ['server', `${r.server.implementation}, ${r.server.deployment}`],
        ['simulated period / bin / horizon', `${plural(r.days, 'day')} / ${plural(r.binMinutes, 'minute')} / ${plural(r.horizonMonths, 'month')}`],
      ],
    },
    {
      id: 'inputs-classes',
      title: 'Activity classes',
      columns: ['class', 'share of users', 'online propensity', 'messages per day', 'media uploads per day'],
      rows: p.classes.map((c) => [c.name, formatShare(c.share), formatNumber(c.onlinePropensity), formatNumber(c.messagesPerDay), formatNumber(c.mediaUploadsPerDay)]),
    },
    {
      id: 'inputs-rooms',
      title: 'Room kinds',
      columns: ['kind', 'how many', 'members', 'remote members', 'encrypted', 'activity weight'],
      rows: scenario.rooms.kinds.map((k) => [
        k.name,
        k.count !== undefined ? `${formatCount(k.count)} rooms` : `${formatNumber(k.membershipsPerUser ?? 0)} per user`,
        k.membersShare !== undefined ? `${formatShare(k.membersShare)} of users: ${describeDistribution(roomMembers(k, p.users))}` : describeDistribution(roomMembers(k, p.users)),
        scenario.federation.mode === 'closed' ? 'none (federation closed)' : formatShare(k.remoteMemberShare),
        k.encryptedShare === undefined ? `default (${ft.encryptionByDefault ? 'yes' : 'no'})` : formatShare(k.encryptedShare),
        formatNumber(k.activityWeight),
      ]),
    },
  ];
}

/** The model's fixed numbers (src/model/coefficients.ts) with their sources and trust labels. */
export function assumptionsTable(): Table {
  return {
    id: 'assumptions',
    title: 'Model coefficients',
    note: "Trust: spec (Matrix specification), code (a constant in a server's source), docs (official documentation), blog, bench, anecdote, vendor, derived (our arithmetic on cited inputs), estimate (our own reasoning; the source says how).",
    columns: ['name', 'what', 'value', 'unit', 'trust', 'source'],
    rows: Object.entries(COEFFICIENTS).map(([name, c]) => [name, c.what, c.value.toLocaleString('en-US', { maximumFractionDigits: 6 }), c.unit, c.trust, c.source]),
  };
}
