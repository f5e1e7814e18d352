/**
 * Host picking when the database is larger than any instance: priced as split
 * over hosts (with a note), and such a pick still fits next month when the
 * load has not grown past it, so the host count never goes down while the
 * users grow.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ComputeRow } from '../../src/cost/catalog-schema.js';
import { packCount, pickHosts, stillFits, type Item } from '../../src/cost/host-picking.js';
import type { PricedInstance } from '../../src/cost/offers.js';

const row = {} as ComputeRow;
const small: PricedInstance = { name: 'S', vcpu: 8, ramGiB: 16, price: 20, row };

test('a database larger than any instance is priced split over hosts, and that pick still fits the same load', () => {
  // 4 workers of 2 cores / 2 GiB and a 12-core, 20 GiB database: the database
  // fits no 8-core instance, so it is split in two parts of 6 cores, 10 GiB
  // (first-fit decreasing, packCount): one part per host (2 hosts, 2 cores
  // left on each), a worker in each gap, the last 2 workers on a third host.
  const items: Item[] = [...Array.from({ length: 4 }, () => ({ cores: 2, ramGiB: 2, splittable: true })), { cores: 12, ramGiB: 20, splittable: false }];
  const pick = pickHosts(items, [small], false);
  assert.ok(pick);
  assert.equal(pick.count, 3);
  assert.match(pick.note ?? '', /database needs more than any one instance/);
  // Unsplit, the database fits no host (what stillFits used to check, so such a pick never
  // "still fitted" and each month picked afresh); as priced, split, the same load still fits.
  assert.equal(packCount(items, small), null);
  assert.equal(stillFits(items, small, pick.count, false), true);
  // A quarter more load no longer fits 3 hosts (25 cores > 24).
  assert.equal(
    stillFits(
      items.map((i) => ({ ...i, cores: i.cores * 1.25 })),
      small,
      pick.count,
      false,
    ),
    false,
  );
});
