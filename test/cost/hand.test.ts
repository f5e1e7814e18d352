import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateCost } from '../../src/cost/estimate.js';
import { ladderCost } from '../../src/cost/ladder.js';
import { egressCost } from '../../src/cost/selfhost.js';
import { inputs, testCatalogs } from './fixtures.js';

/*
 * A case computed by hand. One provider (Testcloud), two months, 20% growth.
 *
 * Inputs: 100 users at month 0, growth 0.2 a month; homeserver 2 cores and
 * 4 GiB (monolith); PostgreSQL on the same host, 1 core and 2 GiB; database
 * 10, 20, 30 GiB and media 0, 100, 200 GiB at months 0, 1, 2; egress 1,000
 * GiB a month at month 0. Labour 50 EUR/h. Defaults: block headroom 1.25,
 * 2 backup copies, labour hours 5 + 1 per 1,000 users + 2 (self-run
 * PostgreSQL), setup 16 + 4 (self-run PostgreSQL) hours.
 * Catalog: small 2/4 10.00, medium 4/8 20.00, large 8/16 35.00; block 0.10
 * per GiB-month; object 0.02; egress 0.09 per GiB beyond 100 GiB free.
 *
 * Month 1 (scale 1.2, 120 users):
 *   need (2 + 1) x 1.2 = 3.6 cores, (4 + 2) x 1.2 = 7.2 GiB -> medium      20.00
 *   block   20 GiB x 1.25 = 25 GiB x 0.10                                 2.50
 *   object  100 GiB x 0.02                                                 2.00
 *   egress  1000 x 1.2 = 1200 GiB, 1100 beyond the free 100, x 0.09       99.00
 *   backups 20 GiB x 2 copies x 0.10 (no snapshot price: block price)      4.00
 *   labour  (5 + 120/1000 + 2) = 7.12 h x 50                             356.00
 *   setup   (16 + 4) h x 50                                             1,000.00
 *   total                                                               1,483.50
 * Month 2 (scale 1.44, 144 users):
 *   need 3 x 1.44 = 4.32 cores > 4 -> large                               35.00
 *   block   30 x 1.25 = 37.5 GiB x 0.10                                    3.75
 *   object  200 x 0.02                                                     4.00
 *   egress  1440 - 100 = 1340 GiB x 0.09                                 120.60
 *   backups 30 x 2 x 0.10                                                  6.00
 *   labour  (5 + 0.144 + 2) = 7.144 h x 50                               357.20
 *   total                                                                 526.55
 * Horizon total 1,483.50 + 526.55 = 2,010.05.
 * Month 1 recurring 1,483.50 - 1,000.00 = 483.50, per user 483.50 / 120 = 4.03.
 *
 * SaaS Chatco Team, 5.00 per user, minimum 130 seats:
 *   month 1: max(120, 130) = 130 seats x 5 = 650.00; month 2: 144 x 5 = 720.00; total 1,370.00.
 */
test('a two-month case computed by hand matches to the cent', () => {
  const r = estimateCost(inputs(), testCatalogs(), { currency: 'EUR', labourRate: 50, dbCores: 1, dbRamGiB: 2, sensitivity: false });
  assert.equal(r.currency, 'EUR');
  const s = r.selfHost!;
  assert.equal(s.label, 'Testcloud r1');
  const [m1, m2] = s.byMonth;
  assert.deepEqual(
    {
      compute: m1!.compute,
      blockStorage: m1!.blockStorage,
      objectStorage: m1!.objectStorage,
      egress: m1!.egress,
      database: m1!.database,
      backups: m1!.backups,
      labour: m1!.labour,
      setup: m1!.setup,
      total: m1!.total,
    },
    { compute: 20, blockStorage: 2.5, objectStorage: 2, egress: 99, database: 0, backups: 4, labour: 356, setup: 1000, total: 1483.5 },
  );
  assert.deepEqual(
    {
      compute: m2!.compute,
      blockStorage: m2!.blockStorage,
      objectStorage: m2!.objectStorage,
      egress: m2!.egress,
      database: m2!.database,
      backups: m2!.backups,
      labour: m2!.labour,
      setup: m2!.setup,
      total: m2!.total,
    },
    { compute: 35, blockStorage: 3.75, objectStorage: 4, egress: 120.6, database: 0, backups: 6, labour: 357.2, setup: 0, total: 526.55 },
  );
  assert.equal(m1!.users, 120);
  assert.equal(m2!.users, 144);
  assert.equal(m2!.cumulative, 2010.05);
  assert.equal(s.horizonTotal, 2010.05);
  assert.equal(s.monthly, 483.5);
  assert.equal(s.perUserMonthly, 4.03);
  assert.deepEqual(s.breakdown, { compute: 55, calls: 0, blockStorage: 6.25, objectStorage: 6, egress: 219.6, database: 0, backups: 10, labour: 713.2, setup: 1000 });
  assert.deepEqual(
    s.hosts.map((h) => [h.role, h.instance, h.count, h.fromMonth]),
    [
      ['homeserver', 'medium', 1, 1],
      ['homeserver', 'large', 1, 2],
    ],
  );

  const saas = r.saas[0]!;
  assert.deepEqual(
    saas.byMonth.map((b) => [b.seats, b.cost, b.cumulative]),
    [
      [130, 650, 650],
      [144, 720, 1370],
    ],
  );
  assert.equal(saas.horizonTotal, 1370);
  assert.match(saas.billingNote, /annual/);

  const be = r.breakEven[0]!;
  assert.equal(be.month, null);
  assert.match(be.statement, /does not become cheaper than Chatco Team within 2 months/);
  // Month 2: 526.55 a month against 720.00; the remaining gap 640.05 / 193.45 = 3.3 -> 4 months after the horizon.
  assert.match(be.statement, /about 4 month\(s\) after the horizon/);
});

test('the report lists the assumptions it used, labour rate and formula included', () => {
  const r = estimateCost(inputs(), testCatalogs(), { currency: 'EUR', labourRate: 50, sensitivity: false });
  const names = r.assumptions.map((a) => a.name);
  for (const n of ['labour rate', 'labour hours per month', 'setup hours (once, month 1)', 'block storage headroom', 'backups', 'VAT basis', 'exchange rates'])
    assert.ok(names.includes(n), n);
  assert.match(r.assumptions.find((a) => a.name === 'labour rate')!.value, /^50\.00 EUR per hour/);
  // The provider's figures name the catalog rows they rest on.
  assert.deepEqual(r.selfHost!.rows.map((x) => `${x.file}:${x.line}`).sort(), ['compute.csv:3', 'compute.csv:4', 'network.csv:2', 'storage.csv:2', 'storage.csv:3']);
});

test('egress tiers and free allowances', () => {
  // AWS-like: first 100 GiB free, 0.09 to 10 TiB, 0.085 to 50 TiB, 0.07 above.
  const aws = {
    tiers: [
      { fromGiB: 0, price: 0.09 },
      { fromGiB: 10240, price: 0.085 },
      { fromGiB: 51200, price: 0.07 },
    ],
    freeGiB: 100,
    baseMonth: 0,
  };
  assert.equal(ladderCost(aws, 50), 0);
  assert.equal(ladderCost(aws, 1000), 900 * 0.09);
  // 12,000 GiB: (10,240 - 100) x 0.09 + (12,000 - 10,240) x 0.085 = 912.60 + 149.60 = 1,062.20
  assert.ok(Math.abs(ladderCost(aws, 12000) - 1062.2) < 1e-9);
  // A base fee with included storage (Hetzner-like object storage): 4.99 incl. 1,000 GiB, 0.00499 beyond.
  const obj = { tiers: [{ fromGiB: 0, price: 0.00499 }], freeGiB: 1000, baseMonth: 4.99 };
  assert.equal(ladderCost(obj, 0), 0);
  assert.equal(ladderCost(obj, 500), 4.99);
  assert.ok(Math.abs(ladderCost(obj, 3000) - (4.99 + 2000 * 0.00499)) < 1e-12);
});

test('a per-host free allowance grows with the hosts', () => {
  const network = `provider,region,product,price_gib,free_gib_month,free_per,currency,vat_included,source,as_of
Testcloud,,traffic,0.001,1000,host,EUR,false,test,2026-01-01
`;
  // Workers: 8 cores and 16 GiB in 4 processes on hosts of 4 cores -> 2 medium hosts at month 1 (no growth).
  const month1 = (more: Partial<Parameters<typeof inputs>[0]> = {}) =>
    estimateCost(
      inputs({ growthPerMonth: 0, deployment: 'workers', processes: 4, cores: 8, ramGiB: 16, egressGiBPerMonth: 5000, ...more }),
      testCatalogs({
        'network.csv': network,
        'compute.csv': `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,medium,4,8,20.00,EUR,false,test,2026-01-01
`,
      }),
      { currency: 'EUR', labourRate: 50, database: 'extra-host', dbCores: 4, dbRamGiB: 8, sensitivity: false },
    ).selfHost!.byMonth[0]!;
  const m1 = month1();
  // Homeserver: 2 medium hosts (40.00); PostgreSQL: its own medium host (20.00, the database line).
  assert.equal(m1.compute, 40);
  assert.equal(m1.database, 20);
  // 3 hosts x 1,000 GiB free; (5,000 - 3,000) x 0.001 = 2.00
  assert.equal(m1.egress, 2);
  // With an SFU on a host of its own sending 4,000 of the 5,000 GiB: a server's allowance is its own, so the
  // call media is set against the SFU host's 1,000 GiB: (4,000 - 1,000) x 0.001 = 3.00; the other 1,000 GiB
  // fit in the 3 other hosts' 3,000. Pooled over all 4 hosts it would be (5,000 - 4,000) x 0.001 = 1.00.
  const c1 = month1({ callEgressGiBPerMonth: 4000, components: [{ name: 'LiveKit SFU', kind: 'sfu', count: 1, cores: 3, ramGiB: 1 }] });
  assert.equal(c1.calls, 20);
  assert.equal(c1.egress, 3);
});

test("egressCost: call media against the call hosts' own allowance, the rest against the others'", () => {
  const perHost = { baseMonth: 0, freeGiB: 20_000, freePer: 'host' as const, tiers: [{ fromGiB: 0, price: 0.001 }] };
  // 12 hosts, 2 of them the SFU's: 140,000 GiB of calls over their 40,000 free = 100.00; 10,000 GiB over the other 10's 200,000: 0.
  assert.equal(egressCost(perHost, 150_000, 140_000, 12, 2), 100);
  // No call hosts: one pool over every host (240,000 GiB free).
  assert.equal(egressCost(perHost, 150_000, 0, 12, 0), 0);
  // An allowance per account: one quantity, whatever the hosts.
  assert.equal(egressCost({ ...perHost, freePer: 'account' }, 150_000, 140_000, 12, 2), 130);
});

/*
 * The same case with two other components (the bill of materials): an SFU
 * node of 3 cores and 1 GiB, and a reverse proxy of 0.5 core and 0.5 GiB, at
 * month 0; and 400 of the 1,000 GiB of egress being call media. Month 1
 * (scale 1.2):
 *   the proxy runs beside the monolith on its host: 3.6 + 0.6 = 4.2 cores,
 *   7.2 + 0.6 = 7.8 GiB -> a medium (4/8) is too small -> large            35.00
 *   the SFU on a host of its own: 1.2 nodes' load needs 2 nodes (a node's
 *   size is fixed), 1.8 cores and 0.6 GiB each -> both on a medium (the
 *   calls line)                                                            20.00
 *   total 1,483.50 - 20.00 + 35.00 + 20.00                              1,518.50
 * By component, month 1: the compute line shared by cores, the homeserver's
 * 2 + PostgreSQL's 1 (same host) against the proxy's 0.5: 35 x 3 / 3.5 =
 * 30.00 and 5.00; the SFU the calls line, 20.00; egress 99.00 split 60/40:
 * homeserver traffic 59.40, call media 39.60. The rows add up to 1,518.50.
 */
test('the SFU gets hosts of its own, the other components run beside the homeserver, and month 1 by component adds up to its total', () => {
  const base = inputs();
  const r = estimateCost(
    {
      ...base,
      callEgressGiBPerMonth: 400,
      components: [
        { name: 'LiveKit SFU', kind: 'sfu', count: 1, cores: 3, ramGiB: 1 },
        { name: 'Reverse proxy', kind: 'reverseProxy', count: 1, cores: 0.5, ramGiB: 0.5 },
      ],
    },
    testCatalogs(),
    { currency: 'EUR', labourRate: 50, dbCores: 1, dbRamGiB: 2, sensitivity: false },
  );
  const s = r.selfHost!;
  const m1 = s.byMonth[0]!;
  assert.equal(m1.compute, 35);
  assert.equal(m1.calls, 20);
  assert.equal(m1.total, 1518.5);
  assert.deepEqual(
    s.hosts.filter((h) => h.fromMonth === 1).map((h) => [h.role, h.instance, h.count]),
    [
      ['homeserver', 'large', 1],
      ['calls', 'medium', 1],
    ],
  );
  const by = Object.fromEntries(s.byComponent.map((c) => [c.name, c.monthly]));
  assert.equal(by['homeserver hosts'], 30);
  assert.equal(by['Reverse proxy'], 5);
  assert.equal(by['LiveKit SFU'], 20);
  assert.equal(by['internet egress: homeserver traffic'], 59.4);
  assert.equal(by['internet egress: call media'], 39.6);
  const sum = s.byComponent.reduce((a, c) => a + c.monthly, 0);
  assert.ok(Math.abs(sum - m1.total) < 0.011, `by component ${sum} against month 1 ${m1.total}`);
});

/*
 * The first case with an audit archive (features.auditExport): 0, 50 and 100
 * GiB at months 0, 1, 2 on object storage beside the media, and 100 of the
 * 1,000 GiB of egress its off-site copy. Month 1: object storage (100 media +
 * 50 archive) x 0.02 = 3.00 (2.00 without it), so the total is 1,484.50; by
 * component the object storage goes 100/150 to the media store (2.00) and
 * 50/150 to the archive (1.00), the egress 99.00 goes 10% to the archive's
 * copy (9.90) and the rest to the homeserver's traffic (89.10).
 */
test('an audit archive is object storage beside the media, and its off-site copy egress, each its own row by component', () => {
  const r = estimateCost({ ...inputs(), auditGiBByMonth: [0, 50, 100], auditEgressGiBPerMonth: 100 }, testCatalogs(), {
    currency: 'EUR',
    labourRate: 50,
    dbCores: 1,
    dbRamGiB: 2,
    sensitivity: false,
  });
  const s = r.selfHost!;
  const m1 = s.byMonth[0]!;
  assert.equal(m1.objectStorage, 3);
  assert.equal(m1.total, 1484.5);
  const by = Object.fromEntries(s.byComponent.map((c) => [c.name, c.monthly]));
  assert.equal(by['media store'], 2);
  assert.equal(by['audit archive'], 1);
  assert.equal(by['internet egress: audit archive off-site'], 9.9);
  assert.equal(by['internet egress: homeserver traffic'], 89.1);
});
