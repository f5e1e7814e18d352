/**
 * projectStorage against hand-computed projections. A month is
 * K.averageDaysPerMonth = 30.44 days; month 0 is the start (nothing written
 * yet), month m holds what m months of writes left. Each case sets one
 * category and leaves the others at zero, so `total` equals that category.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { K } from '../../src/model/coefficients.js';
import { WRITTEN_STORAGE_CATEGORIES, type StorageCategory, type WrittenStorageCategory } from '../../src/model/metrics.js';
import { postgresOverheadBytes, projectStorage, type StorageInputs, type StorageMonth } from '../../src/model/storage.js';

const zeros = (): Record<WrittenStorageCategory, number> => Object.fromEntries(WRITTEN_STORAGE_CATEGORIES.map((c) => [c, 0])) as Record<WrittenStorageCategory, number>;

/**
 * Inputs with one category set and everything else zero; no compressor and
 * no PostgreSQL overhead (factor 1) unless a case sets them.
 */
function one(
  category: WrittenStorageCategory,
  o: { base?: number; quadratic?: number; perDay?: number; cap?: number; growth?: number; retention?: number | null; months: number },
): StorageInputs {
  const baseBytes = zeros();
  const bytesPerDay = zeros();
  baseBytes[category] = o.base ?? 0;
  bytesPerDay[category] = o.perDay ?? 0;
  return {
    baseBytes,
    quadraticBaseBytes: { [category]: o.quadratic ?? 0 },
    bytesPerDay,
    receiptCapBytes: o.cap ?? 0,
    growthPerMonth: o.growth ?? 0,
    retentionDays: o.retention ?? null,
    horizonMonths: o.months,
    stateCompressor: false,
    postgresOverheadFactor: 1,
  };
}

/** `actual` equals `expected` to 1e-9 relative (the cases are float arithmetic on a few terms). */
function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}

function assertSeries(months: StorageMonth[], category: StorageCategory, expected: number[]): void {
  assert.equal(months.length, expected.length, 'months 0..horizon');
  expected.forEach((e, m) => {
    assert.equal(months[m]!.month, m);
    near(months[m]!.byCategory[category], e, `${category} month ${m}`);
    near(months[m]!.total, e, `total month ${m}`);
  });
}

describe('projectStorage', () => {
  it('uses the 30.44-day month and the coefficients these cases assume', () => {
    // The hand computations below are written for these values; if they
    // change, recompute the cases rather than loosening them.
    assert.equal(K.averageDaysPerMonth, 30.44);
    assert.equal(K.urlPreviewCacheDays, 2);
    assert.equal(K.deviceListChangesKeepDays, 30);
    assert.equal(K.pushActionKeepDays, 1);
  });

  it('accumulates linearly without growth or retention', () => {
    // event_json: 1,000 B at the start, 10 B/day, one month = 10 x 30.44 = 304.4 B.
    // Month m = 1,000 + 304.4 m: 1,000; 1,304.4; 1,608.8; 1,913.2.
    const months = projectStorage(one('eventJson', { base: 1000, perDay: 10, months: 3 }), 500);
    assertSeries(months, 'eventJson', [1000, 1304.4, 1608.8, 1913.2]);
    for (const m of months) assert.equal(m.users, 500);
  });

  it('accumulates with 10% monthly growth, each month written at its own rate', () => {
    // scale(m) = 1.1^m; the base scales, and month m's writes run at 10 x scale(m) B/day.
    // Month 0: 1,000 x 1 + 0                                  = 1,000
    // Month 1: 1,000 x 1.1 + 10 x 30.44                       = 1,100 + 304.4 = 1,404.4
    // Month 2: 1,000 x 1.21 + 304.4 + 10 x 1.1 x 30.44        = 1,210 + 304.4 + 334.84 = 1,849.24
    const months = projectStorage(one('eventJson', { base: 1000, perDay: 10, growth: 0.1, months: 2 }), 500);
    assertSeries(months, 'eventJson', [1000, 1404.4, 1849.24]);
    months.forEach((m, i) => near(m.users, [500, 550, 605][i]!, `users month ${i}`));
  });

  it('keeps only the retention window of purgeable categories', () => {
    // Retention 45 days = one full month (30.44 d) + 14.56 days of the month before.
    // Month 0: 1,000 (nothing written)
    // Month 1: 1,000 + 10 x 30.44                = 1,304.4 (only one month written so far)
    // Month 2: 1,000 + 10 x 30.44 + 10 x 14.56   = 1,000 + 450 = 1,450
    // Month 3 on: the same 45 days' worth        = 1,450
    const flat = projectStorage(one('eventRows', { base: 1000, perDay: 10, retention: 45, months: 4 }), 1);
    assertSeries(flat, 'eventRows', [1000, 1304.4, 1450, 1450, 1450]);

    // With 10% growth the kept days are at the rates of the months they were written in:
    // Month 2: 1,000 x 1.21 + 10 x 1.1 x 30.44 + 10 x 1 x 14.56     = 1,210 + 334.84 + 145.6  = 1,690.44
    // Month 3: 1,000 x 1.331 + 10 x 1.21 x 30.44 + 10 x 1.1 x 14.56 = 1,331 + 368.324 + 160.16 = 1,859.484
    const growing = projectStorage(one('localMedia', { base: 1000, perDay: 10, retention: 45, growth: 0.1, months: 3 }), 1);
    assertSeries(growing, 'localMedia', [1000, 1404.4, 1690.44, 1859.484]);
  });

  it('purges state groups with the events (Synapse deletes unreferenced state groups)', () => {
    // Retention 10 days: month m >= 1 keeps 1,000 + 50 x 10 = 1,500.
    const months = projectStorage(one('stateGroups', { base: 1000, perDay: 50, retention: 10, months: 2 }), 1);
    assertSeries(months, 'stateGroups', [1000, 1500, 1500]);
  });

  it('behaves as no retention when the window is longer than the horizon', () => {
    // 1,000 days of retention never purges anything within 3 months.
    const kept = projectStorage(one('thumbnails', { base: 1000, perDay: 10, retention: 1000, months: 3 }), 1);
    assertSeries(kept, 'thumbnails', [1000, 1304.4, 1608.8, 1913.2]);
  });

  it('keeps a rolling window of URL previews, whatever the retention', () => {
    // url_previews keep K.urlPreviewCacheDays = 2 days: 60,000 B/day x 2 = 120,000 B
    // from month 1 on (month 0 has no days written).
    const months = projectStorage(one('urlPreviews', { perDay: 60_000, months: 3 }), 1);
    assertSeries(months, 'urlPreviews', [0, 120_000, 120_000, 120_000]);
    // Retention does not add a second purge to a window already shorter than it.
    const retained = projectStorage(one('urlPreviews', { perDay: 60_000, retention: 30, months: 3 }), 1);
    assertSeries(retained, 'urlPreviews', [0, 120_000, 120_000, 120_000]);
    // With 10% growth the window is at the current rate: month 2 = 60,000 x 1.21 x 2 = 145,200.
    const growing = projectStorage(one('urlPreviews', { perDay: 60_000, growth: 0.1, months: 2 }), 1);
    assertSeries(growing, 'urlPreviews', [0, 132_000, 145_200]);
  });

  it('keeps 30 days of device_lists_changes_in_room rows on top of the device keys and pokes (synapse devices.py:87-89)', () => {
    // deviceLists: 15,000 B at the start plus K.deviceListChangesKeepDays = 30 days of 200 B/day = 6,000 B from month 1 (30.44 days > 30).
    const months = projectStorage(one('deviceLists', { base: 15_000, perDay: 200, months: 2 }), 1);
    assertSeries(months, 'deviceLists', [15_000, 21_000, 21_000]);
  });

  it("keeps one day of push actions, and stale devices' to-device messages for as long as the scenario keeps stale devices", () => {
    // pushActions: K.pushActionKeepDays = 1 day of 5,000 B/day.
    assertSeries(projectStorage(one('pushActions', { perDay: 5_000, months: 2 }), 1), 'pushActions', [0, 5_000, 5_000]);
    // deviceInbox accumulates (stale devices kept for ever): 100 B/day x 30.44 days a month.
    assertSeries(projectStorage(one('deviceInbox', { perDay: 100, months: 2 }), 1), 'deviceInbox', [0, 3_044, 6_088]);
    // delete_stale_devices_after 90 days: 90 days of writes at most.
    const pruned = projectStorage({ ...one('deviceInbox', { perDay: 100, months: 4 }), windowDays: { deviceInbox: 90 } }, 1);
    assertSeries(pruned, 'deviceInbox', [0, 3_044, 6_088, 9_000, 9_000]);
  });

  it('saturates receipts towards their cap', () => {
    // receipts = cap x (1 - exp(-perDay x days / cap)), days = 30.44 m:
    // perDay 10,000, cap 1,000,000: exponent -0.3044 m.
    // Month 1:  1e6 x (1 - e^-0.3044)   = 1e6 x (1 - 0.737565781) = 262,434.218875
    // Month 2:  1e6 x (1 - e^-0.6088)   = 1e6 x (1 - 0.544003281) = 455,996.718513
    // Month 12: 1e6 x (1 - e^-3.6528)   = 974,081.544592
    // Month 36: 1e6 x (1 - e^-10.9584)  = 999,982.588854
    // (exponentials computed with Python's math.exp). The first days fill at
    // the full 10,000 B/day: the curve's slope at 0 is perDay.
    const months = projectStorage(one('receipts', { perDay: 10_000, cap: 1_000_000, months: 36 }), 1);
    near(months[0]!.byCategory.receipts, 0, 'month 0');
    near(months[1]!.byCategory.receipts, 262_434.21887498954, 'month 1');
    near(months[2]!.byCategory.receipts, 455_996.71851345303, 'month 2');
    near(months[12]!.byCategory.receipts, 974_081.5445916266, 'month 12');
    near(months[36]!.byCategory.receipts, 999_982.5888543115, 'month 36');
    for (let m = 1; m <= 36; m++) {
      assert.ok(months[m]!.byCategory.receipts > months[m - 1]!.byCategory.receipts, `month ${m} grows`);
      assert.ok(months[m]!.byCategory.receipts < 1_000_000, `month ${m} stays under the cap`);
    }
    // Retention purges events, not receipt rows (one row per room and user, upserted).
    const retained = projectStorage({ ...one('receipts', { perDay: 10_000, cap: 1_000_000, months: 2 }), retentionDays: 30 }, 1);
    near(retained[2]!.byCategory.receipts, 455_996.71851345303, 'month 2 with retention');
    // The cap scales with the users: with 10% growth month 2 is 1.21 x 455,996.7185 = 551,756.029401.
    const growing = projectStorage(one('receipts', { perDay: 10_000, cap: 1_000_000, growth: 0.1, months: 2 }), 1);
    near(growing[2]!.byCategory.receipts, 551_756.0294012781, 'month 2 with growth');
    // No cap (nobody shares a room): no receipt rows, only the base.
    const none = projectStorage(one('receipts', { base: 7, perDay: 10_000, cap: 0, months: 2 }), 1);
    assertSeries(none, 'receipts', [7, 7, 7]);
  });

  it('grows the quadratic part of the base with the square of the users: doubling users quadruples private-room directory rows', () => {
    // A private room of fixed number grows in members with the users, and its
    // users_who_share_private_rooms rows are local x (members - 1): doubling
    // the users (growth 100% a month, scale 2 at month 1) quadruples them.
    // Month 1: 1,000 x 2^2 = 4,000; month 2: 1,000 x 4^2 = 16,000.
    const all = projectStorage(one('userDirectory', { base: 1000, quadratic: 1000, growth: 1, months: 2 }), 1);
    assertSeries(all, 'userDirectory', [1000, 4000, 16_000]);
    // Part quadratic (600), part linear (400), 10% growth:
    // month 1: 400 x 1.1 + 600 x 1.21     = 440 + 726      = 1,166
    // month 2: 400 x 1.21 + 600 x 1.4641  = 484 + 878.46   = 1,362.46
    const mixed = projectStorage(one('userDirectory', { base: 1000, quadratic: 600, growth: 0.1, months: 2 }), 1);
    assertSeries(mixed, 'userDirectory', [1000, 1166, 1362.46]);
  });

  it('holds the user directory at what present memberships imply: the writes of joins are undone by leaves', () => {
    // userDirectory: 1,000 B at the start, 500 B/day written by joins; leaves delete as much.
    const months = projectStorage(one('userDirectory', { base: 1000, perDay: 500, months: 2 }), 1);
    assertSeries(months, 'userDirectory', [1000, 1000, 1000]);
  });

  it('keeps stateCompressorFactor of the state groups written when synapse_auto_compressor runs, not of the start', () => {
    assert.equal(K.stateCompressorFactor, 0.3);
    // state_groups: 1,000 B at the start (one snapshot per room, which the
    // compressor cannot shrink), 100 B/day written:
    // month 1: 1,000 + 0.3 x 100 x 30.44 = 1,000 + 913.2  = 1,913.2
    // month 2: 1,000 + 0.3 x 100 x 60.88 = 1,000 + 1,826.4 = 2,826.4
    const on = projectStorage({ ...one('stateGroups', { base: 1000, perDay: 100, months: 2 }), stateCompressor: true }, 1);
    assertSeries(on, 'stateGroups', [1000, 1913.2, 2826.4]);
    // With 10 days of retention: 1,000 + 0.3 x 100 x 10 = 1,300 from month 1 on.
    const kept = projectStorage({ ...one('stateGroups', { base: 1000, perDay: 100, retention: 10, months: 2 }), stateCompressor: true }, 1);
    assertSeries(kept, 'stateGroups', [1000, 1300, 1300]);
    // The switch touches state groups only: event JSON written is kept whole.
    const events = projectStorage({ ...one('eventJson', { base: 1000, perDay: 10, months: 1 }), stateCompressor: true }, 1);
    assertSeries(events, 'eventJson', [1000, 1304.4]);
  });

  it('adds PostgreSQL overhead on the database categories only, as its own category', () => {
    // (factor - 1) x database bytes: 0.5 x (100 + 40) = 70; local media is on the media store.
    near(postgresOverheadBytes({ ...zeros(), eventJson: 100, userDirectory: 40, localMedia: 50 }, 1.5), 70, 'overhead');
    const o: StorageInputs = {
      ...one('eventJson', { base: 1000, perDay: 10, months: 1 }),
      baseBytes: { ...zeros(), eventJson: 1000, localMedia: 500 },
      postgresOverheadFactor: 1.5,
    };
    // Month 0: event JSON 1,000, overhead 0.5 x 1,000 = 500, media 500: total 2,000.
    // Month 1: event JSON 1,304.4, overhead 0.5 x 1,304.4 = 652.2, media 500: total 2,456.6.
    const months = projectStorage(o, 1);
    near(months[0]!.byCategory.postgresOverhead, 500, 'overhead month 0');
    near(months[0]!.total, 2000, 'total month 0');
    near(months[1]!.byCategory.postgresOverhead, 652.2, 'overhead month 1');
    near(months[1]!.total, 2456.6, 'total month 1');
    // Factor 1: no overhead.
    near(projectStorage({ ...o, postgresOverheadFactor: 1 }, 1)[1]!.byCategory.postgresOverhead, 0, 'factor 1');
  });

  it('sums the categories into the total', () => {
    const o: StorageInputs = {
      baseBytes: { ...zeros(), eventJson: 100, stateGroups: 50 },
      quadraticBaseBytes: {},
      bytesPerDay: { ...zeros(), eventJson: 1, urlPreviews: 1000 },
      receiptCapBytes: 0,
      growthPerMonth: 0,
      retentionDays: null,
      horizonMonths: 1,
      stateCompressor: false,
      postgresOverheadFactor: 1,
    };
    // Month 1: event_json 100 + 30.44, state_groups 50, url_previews 2 x 1,000: total 2,180.44.
    const m1 = projectStorage(o, 1)[1]!;
    near(m1.byCategory.eventJson, 130.44, 'eventJson');
    near(m1.byCategory.stateGroups, 50, 'stateGroups');
    near(m1.byCategory.urlPreviews, 2000, 'urlPreviews');
    near(m1.total, 2180.44, 'total');
  });
});
