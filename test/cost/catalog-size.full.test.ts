/**
 * A valid catalog of 150,000 rows, generated here: it used to overflow the
 * stack (mergeCatalogs spread the rows into push()). Loading it takes a few
 * seconds of CPU, too slow for the fast suite; the rules on size are tested
 * there (catalog-rules.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CATALOG_BYTES } from '../../src/cost/catalog-schema.js';
import { loadCatalogs } from '../../src/cost/catalog.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { formatCostReport } from '../../src/cost/format.js';
import { inputs, NETWORK, STORAGE } from './fixtures.js';

const ROWS = 150_000;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** 150,000 instances of Testcloud in 50 regions, 1 to 64 vCPU, priced from 5.00 to 104.90 EUR a month. */
function bigCatalog(): string {
  const lines = ['provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of'];
  for (let i = 0; i < ROWS; i++) {
    const vcpu = 1 + (i % 64);
    lines.push(`Testcloud,r${i % 50},vm-${i},${vcpu},${2 * vcpu},${(5 + (i % 1000) / 10).toFixed(2)},EUR,false,generated,2026-01-01`);
  }
  return lines.join('\n') + '\n';
}

test('a valid 150,000-row catalog loads and is priced, in seconds and within the size limit', (t) => {
  const text = bigCatalog();
  assert.ok(Buffer.byteLength(text) < MAX_CATALOG_BYTES);
  const start = cpuMs();
  const c = loadCatalogs([
    { file: 'big.csv', text },
    // Block storage in every region, so each region is an offer.
    { file: 'storage.csv', text: `${STORAGE}Testcloud,,volume,block,0.10,EUR,false,test,2026-01-01\n` },
    { file: 'network.csv', text: NETWORK },
  ]);
  const loadMs = cpuMs() - start;
  t.diagnostic(`loading ${ROWS} rows: ${loadMs.toFixed(0)} ms of CPU`);
  assert.equal(c.compute.length, ROWS);
  assert.deepEqual(c.files[0], { file: 'big.csv', kinds: ['compute'], rows: ROWS });
  // About 3 s of CPU on the two-core test machine (10 s before rows were built without a spread); a generous bound.
  assert.ok(loadMs < 30_000, `loading took ${loadMs.toFixed(0)} ms of CPU`);

  // Priced: 50 offers (one per region), and the table of them printed.
  const r = estimateCost(inputs({ growthPerMonth: 0 }), c, { currency: 'EUR', labourRate: 50, sensitivity: false, breakEvenUsers: false });
  assert.equal(r.alternatives.length + 1, 50);
  // 2 cores and 4 GiB plus PostgreSQL's half need 3 vCPU and 6 GiB; the 5.00 EUR rows (i a multiple of 1,000)
  // are all in r0 (i % 50 = 0), and from i = 1000 (41 vCPU) they are large enough.
  assert.equal(r.selfHost!.label, 'Testcloud r0');
  assert.equal(r.selfHost!.byMonth[0]!.compute, 5);
  assert.ok(formatCostReport(r).includes('Testcloud r0'));
});
