/**
 * The report's "Search, retention and audit" section and the retention in
 * words every report part uses (storage note, storage chart, inputs table).
 * Hand-made governance figures; the values are formatted as the rest of the
 * report formats them (src/format).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GovernanceSummary } from '../../src/analysis/governance-summary.js';
import type { RunSummary } from '../../src/cost/run.js';
import { retentionInWords } from '../../src/model/retention.js';
import { governanceTable } from '../../src/report/governance-section.js';

const st = (mean: number) => ({ mean, ci95: [mean, mean] as [number, number] });

const governance: GovernanceSummary = {
  search: {
    enabled: true,
    indexedEventsPerDay: st(30_187),
    indexBytesPerDay: st(15 * 2 ** 20),
    queriesPerDay: st(4021.7),
    rowsMatchedPerQuery: st(22_705.7),
    indexCpuSecondsPerDay: st(1.5),
    indexDatabaseSecondsPerDay: st(7.5),
    queryCpuSecondsPerDay: st(577),
    queryDatabaseSecondsPerDay: st(1834),
  },
  retention: {
    legalHold: false,
    kinds: [
      { name: 'direct', maxLifetimeDays: 365 },
      { name: 'case', maxLifetimeDays: null },
      { name: 'all-staff', maxLifetimeDays: 90 },
    ],
    purgedEventsPerDay: st(105_643),
    purgeCpuSecondsPerDay: st(31.7),
    purgeDatabaseSecondsPerDay: st(158.5),
  },
  audit: { eventsPerDay: st(129_177), bytesPerDay: st(2 ** 30), bytesAtEnd: st(2 ** 40), egressBytesPerDay: st(2 ** 30), lockYears: 10 },
};
const summaryWith = (g: GovernanceSummary | undefined) => ({ governance: g }) as unknown as RunSummary;
const cell = (rows: readonly (readonly string[])[], what: RegExp) => rows.find((r) => what.test(r[1]!))?.[2];

describe('retention in words', () => {
  it('none, one policy for all, each kind its own, a legal hold', () => {
    const k = (days: (number | null)[]) => days.map((d, i) => ({ name: `k${i}`, maxLifetimeDays: d }));
    assert.equal(retentionInWords({ legalHold: false, kinds: k([null, null]) }), 'no retention: everything kept');
    assert.equal(retentionInWords({ legalHold: false, kinds: k([90, 90]) }), '90-day retention');
    assert.equal(retentionInWords({ legalHold: false, kinds: k([365, null, 90]) }), 'retention per room kind: k0 365 days, k2 90 days; k1 kept');
    assert.equal(retentionInWords({ legalHold: true, kinds: k([365]) }), 'a legal hold: everything kept');
  });
});

describe('the section "Search, retention and audit"', () => {
  it('search, retention and the archive, each figure as the summary has it', () => {
    const t = governanceTable(summaryWith(governance))!;
    assert.equal(t.title, 'What each policy costs');
    // 577 s is 9.6 min; 1834 s is 30.6 min; 7.5 s stays in seconds.
    assert.equal(cell(t.rows, /CPU: indexing/), '1.5 s a day / 9.6 min a day');
    assert.equal(cell(t.rows, /PostgreSQL: indexing/), '7.5 s a day / 30.6 min a day');
    // 59.96 s rounds to 60.0 s: read as 1 min.
    const edge = governanceTable(summaryWith({ ...governance, search: { ...governance.search, indexCpuSecondsPerDay: st(59.96) } }))!;
    assert.equal(cell(edge.rows, /CPU: indexing/), '1 min a day / 9.6 min a day');
    assert.match(cell(t.rows, /messages indexed/)!, /^30,187 /);
    assert.equal(cell(t.rows, /index growth/), '15.0 MiB');
    assert.equal(cell(t.rows, /searches a day/), '4,022, 22,706 rows matched each');
    assert.equal(cell(t.rows, /^policy$/), 'retention per room kind: direct 365 days, all-staff 90 days; case kept');
    assert.equal(cell(t.rows, /purge deletes/), '105,643');
    assert.equal(cell(t.rows, /bytes archived/), '1.00 GiB');
    assert.equal(cell(t.rows, /archive at the end of the horizon \(each copy locked 10 years\)/), '1.00 TiB');
  });
  it('search off, no retention, no archive: said, and no purge rows', () => {
    const off: GovernanceSummary = {
      ...governance,
      search: { ...governance.search, enabled: false },
      retention: { ...governance.retention, kinds: [{ name: 'direct', maxLifetimeDays: null }] },
      audit: undefined,
    };
    const t = governanceTable(summaryWith(off))!;
    assert.match(cell(t.rows, /server-side search/)!, /^off/);
    assert.equal(cell(t.rows, /^policy$/), 'no retention: everything kept');
    assert.equal(cell(t.rows, /purge/), undefined);
    assert.match(cell(t.rows, /audit export/)!, /^off/);
  });
  it('a summary written before governance existed has no section', () => {
    assert.equal(governanceTable(summaryWith(undefined)), undefined);
  });
});
