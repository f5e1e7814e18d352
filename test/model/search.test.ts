/**
 * Search, retention and audit (src/model/mechanisms/search.ts,
 * src/model/retention.ts, src/model/storage.ts, src/analysis/governance-summary.ts)
 * in one tiny world: search off removes the index and its work and moves
 * nothing else; encrypted rooms are not indexed; a kind's maximum lifetime
 * bounds what the projection keeps of it; a legal hold keeps everything; the
 * audit archive holds the hand-computed bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditBytesAtEnd, summarizeGovernance } from '../../src/analysis/governance-summary.js';
import { storageProjection } from '../../src/analysis/summarize.js';
import { K } from '../../src/model/coefficients.js';
import { parseStorageHorizonCsv } from '../../src/cost/inputs.js';
import { M, METRICS, STORAGE_CATEGORIES, WRITTEN_STORAGE_CATEGORIES, type WrittenStorageCategory } from '../../src/model/metrics.js';
import { indexBytes } from '../../src/model/mechanisms/search.js';
import { simulateReplication } from '../../src/model/simulate.js';
import { projectStorage } from '../../src/model/storage.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { createHomeserver } from '../../src/server/server.js';

function scenario(extra: { features?: object; kinds?: object[]; run?: object } = {}): Scenario {
  const v = validateScenario({
    name: 'search-test',
    description: 'search test: 60 users in teams of 6 and one all-hands room',
    population: { users: 60 },
    rooms: {
      kinds: extra.kinds ?? [
        { name: 'team', count: 10, members: { kind: 'deterministic', value: 6 } },
        { name: 'all', count: 1, membersShare: 1 },
      ],
    },
    features: { search: { queriesPerUserPerDay: 20 }, ...extra.features },
    run: { days: 1, replications: 1, seed: 5, horizonMonths: 12, ...extra.run },
  });
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.rule}`).join('\n'));
  return v.scenario;
}

const SEARCH_METRICS = new Set(['storage.eventSearch', 'search.indexed', 'search.queries', 'search.rows_matched']);

test('search off: no index storage, no indexing or query work, and every other counter unchanged', () => {
  const on = simulateReplication(scenario(), '5/0', createHomeserver);
  const off = simulateReplication(scenario({ features: { search: { enabled: false, queriesPerUserPerDay: 20 } } }), '5/0', createHomeserver);
  for (const m of METRICS) if (!SEARCH_METRICS.has(m.id)) assert.deepEqual(off.counters.series(M[m.id]), on.counters.series(M[m.id]), m.id);
  for (const id of SEARCH_METRICS) assert.equal(off.counters.total(M[id as keyof typeof M]), 0, id);
  assert.equal(off.server.cpuSecondsByOp.searchIndex + off.server.cpuSecondsByOp.search, 0);
  assert.equal(off.server.databaseSecondsByOp.searchIndex + off.server.databaseSecondsByOp.search, 0);
  // On: every local unencrypted message (texts, edits and media) is indexed, each with its row and index entries at least.
  const indexed = on.counters.total(M['search.indexed']);
  assert.equal(indexed, on.counters.total(M['m.room.message']));
  assert.ok(indexed > 0);
  assert.ok(on.counters.total(M['storage.eventSearch']) >= indexed * (K.searchRowBytes + K.searchRowIndexBytes));
  assert.ok(on.counters.total(M['search.queries']) > 0 && on.server.cpuSecondsByOp.search > 0 && on.server.databaseSecondsByOp.searchIndex > 0);
  // The summary's figures are the counters' (one simulated day).
  const g = summarizeGovernance(scenario(), [on]);
  assert.equal(g.search.indexedEventsPerDay.mean, indexed);
  assert.ok(Math.abs(g.search.indexBytesPerDay.mean / on.counters.total(M['storage.eventSearch']) - 1) < 1e-5);
  // The projection carries the category: zero with search off.
  assert.equal(storageProjection(scenario(), off, 1).at(-1)!.byCategory.eventSearch, 0);
  assert.ok(storageProjection(scenario(), on, 1).at(-1)!.byCategory.eventSearch > 0);
});

test('an event_search row for a 120-byte body: 165 + 110 + 120 x (1.2 + 0.3) = 455 bytes', () => {
  assert.equal(indexBytes(120), 455);
});

test('encryption by default: no row indexed, searches still made and matching nothing', () => {
  const r = simulateReplication(scenario({ features: { encryptionByDefault: true, search: { queriesPerUserPerDay: 20 } } }), '5/0', createHomeserver);
  assert.ok(r.counters.total(M['m.room.encrypted']) > 0);
  assert.equal(r.counters.total(M['search.indexed']), 0);
  assert.equal(r.counters.total(M['storage.eventSearch']), 0);
  assert.equal(r.server.cpuSecondsByOp.searchIndex, 0);
  assert.ok(r.counters.total(M['search.queries']) > 0);
  assert.equal(r.counters.total(M['search.rows_matched']), 0);
});

/** Storage inputs with 100 bytes a day of event JSON, nothing else, no growth. */
function inputs(extra: object) {
  const zero = Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, 0])) as Record<WrittenStorageCategory, number>;
  return {
    baseBytes: zero,
    quadraticBaseBytes: {},
    bytesPerDay: { ...zero, eventJson: 100, eventSearch: 10 },
    receiptCapBytes: 0,
    growthPerMonth: 0,
    retentionDays: null,
    horizonMonths: 12,
    stateCompressor: false,
    postgresOverheadFactor: 1,
    ...extra,
  };
}

test('a kind with a maximum lifetime of 30 days keeps 30 days of its events; the kind without one keeps them all', () => {
  const days = K.averageDaysPerMonth;
  // Half the events in a kind kept 30 days, half in a kind kept for ever; the index all in the first.
  const months = projectStorage(
    inputs({
      retentionParts: [
        { days: 30, share: 0.5, searchShare: 1 },
        { days: null, share: 0.5, searchShare: 0 },
      ],
    }),
    10,
  );
  for (const m of [1, 6, 12]) {
    const at = months[m]!.byCategory;
    assert.ok(Math.abs(at.eventJson - (0.5 * 100 * Math.min(30, m * days) + 0.5 * 100 * m * days)) < 1e-6, `month ${m}`);
    assert.ok(Math.abs(at.eventSearch - 10 * Math.min(30, m * days)) < 1e-6, `month ${m}`);
  }
  // One part with the server's retention is the same as features.retentionDays.
  const one = projectStorage(inputs({ retentionParts: [{ days: 30, share: 1, searchShare: 1 }] }), 10);
  assert.deepEqual(one, projectStorage(inputs({ retentionDays: 30 }), 10));
});

test('retention per kind in a run, and a legal hold that keeps everything', () => {
  const kinds = (retention?: object) => [
    { name: 'team', count: 10, members: { kind: 'deterministic', value: 6 }, ...(retention ? { retention } : {}) },
    { name: 'all', count: 1, membersShare: 1 },
  ];
  const keepAll = scenario();
  const r = simulateReplication(keepAll, '5/0', createHomeserver);
  const end = (s: Scenario) => storageProjection(s, r, 1).at(-1)!.byCategory;
  // The team kind's events are kept 30 days, the all-hands room's for the whole horizon.
  const perKind = scenario({ kinds: kinds({ maxLifetimeDays: 30, minLifetimeDays: 7 }) });
  const kept = end(perKind).eventJson;
  const all = end(keepAll).eventJson;
  const team = r.world.kinds[0]!.events / (r.world.kinds[0]!.events + r.world.kinds[1]!.events);
  const horizon = 12 * K.averageDaysPerMonth;
  const base = storageProjection(keepAll, r, 1)[0]!.byCategory.eventJson;
  // Hand-computed: the written bytes a day x (team share x 30 days + the rest x the horizon).
  const daily = (all - base) / horizon;
  assert.ok(Math.abs(kept - (base + daily * (team * 30 + (1 - team) * horizon))) < 1e-6 * all);
  assert.ok(kept < all);
  // A legal hold overrides both the kind's policy and the server's.
  const held = scenario({ kinds: kinds({ maxLifetimeDays: 30, minLifetimeDays: null }), features: { legalHold: true, retentionDays: 90, search: { queriesPerUserPerDay: 20 } } });
  assert.deepEqual(end(held), end(keepAll));
  const g = summarizeGovernance(held, [r]);
  assert.equal(g.retention.purgedEventsPerDay.mean, 0);
  // Without the hold, the daily purge deletes the team kind's daily events at the purge operation's per-event costs (0.3 ms CPU, 1.5 ms PostgreSQL).
  const purge = summarizeGovernance(perKind, [r]).retention;
  assert.equal(purge.purgedEventsPerDay.mean, r.world.kinds[0]!.events);
  assert.ok(Math.abs(purge.purgeCpuSecondsPerDay.mean / (r.world.kinds[0]!.events * 0.0003) - 1) < 1e-5);
  assert.ok(Math.abs(purge.purgeDatabaseSecondsPerDay.mean / (r.world.kinds[0]!.events * 0.0015) - 1) < 1e-5);
});

test('audit export: the archive holds every day of event JSON over the horizon, kept for its lock', () => {
  const days = K.averageDaysPerMonth;
  // 12 months within a 7-year lock: all of them; 36 months with a 1-year lock: the last 365.25 days.
  assert.equal(auditBytesAtEnd(1000, 0, 12, 7), 1000 * 12 * days);
  assert.ok(Math.abs(auditBytesAtEnd(1000, 0, 36, 1) - 1000 * 365.25) < 1e-6);
  // Growth: each month at its own scale (10% a month, two months).
  assert.ok(Math.abs(auditBytesAtEnd(1000, 0.1, 2, 7) - 1000 * days * (1 + 1.1)) < 1e-6);
  const s = scenario({ features: { auditExport: { enabled: true, lockYears: 7 }, search: { queriesPerUserPerDay: 20 } } });
  const r = simulateReplication(s, '5/0', createHomeserver);
  const a = summarizeGovernance(s, [r]).audit!;
  const json = r.counters.total(M['storage.eventJson']);
  assert.ok(Math.abs(a.bytesAtEnd.mean / (json * 12 * days) - 1) < 1e-5, `${a.bytesAtEnd.mean} ${json * 12 * days}`);
  assert.equal(a.egressBytesPerDay.mean, a.bytesPerDay.mean);
  assert.equal(summarizeGovernance(scenario(), [r]).audit, undefined);
});

test('a minimum lifetime above the maximum is refused with its path and the value as written', () => {
  const v = validateScenario({
    name: 'x',
    description: 'x',
    population: { users: 10 },
    rooms: { kinds: [{ name: 'team', count: 2, members: { kind: 'deterministic', value: 5 }, retention: { maxLifetimeDays: 30, minLifetimeDays: 60 } }] },
  });
  assert.equal(v.ok, false);
  if (v.ok) return;
  const p = v.problems.find((x) => x.path === 'rooms.kinds[0].retention.minLifetimeDays');
  assert.ok(p, JSON.stringify(v.problems));
  assert.equal(p.received, '60');
});

test('a storage horizon written before the search index reads it as 0', () => {
  const older = STORAGE_CATEGORIES.filter((c) => c !== 'eventSearch');
  const csv = [['month', 'users', ...older.map((c) => `${c}_bytes`), 'total_bytes'].join(','), ['0', '10', ...older.map(() => '1'), String(older.length)].join(',')].join('\n');
  const [month] = parseStorageHorizonCsv('storage-horizon.csv', csv);
  assert.equal(month!.byCategory.eventSearch, 0);
  assert.equal(month!.byCategory.eventJson, 1);
});
