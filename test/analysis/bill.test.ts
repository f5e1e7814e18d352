/**
 * The bill of materials (src/analysis/bill.ts): the recommendation as
 * components, checked against the recommendation it comes from.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../src/analysis/run.js';
import { validateScenario } from '../../src/scenario/validate.js';
import type { Scenario } from '../../src/scenario/grammar.js';

function scenario(extra: object): Scenario {
  const v = validateScenario({
    name: 'bill-test',
    description: 'bill test: a small organisation',
    population: { users: 120 },
    rooms: {
      kinds: [
        { name: 'teams', count: 12, members: { kind: 'deterministic', value: 10 } },
        { name: 'dm', membershipsPerUser: 2, members: { kind: 'deterministic', value: 2 } },
      ],
    },
    run: { days: 1, replications: 2, seed: 3 },
    ...extra,
  });
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.rule}`).join('\n'));
  return v.scenario;
}

const run = (s: Scenario) => runScenario(s, { sha256: '', overrides: [], version: 'test', verify: false }).summary;

test('the bill adds up to the recommendation: its processes and cores, PostgreSQL, the disk; calls off gives no SFU', () => {
  const sum = run(scenario({}));
  const rec = sum.recommendation;
  const rows = rec.components;
  const hs = rows.filter((r) => r.kind === 'homeserver');
  assert.equal(
    hs.reduce((a, r) => a + r.count, 0),
    rec.deployment.processes,
  );
  // The homeserver's rows share its cores (the recommendation's total less PostgreSQL's), rounded to 0.001 each.
  const cores = hs.reduce((a, r) => a + r.count * r.cores, 0);
  assert.ok(Math.abs(cores - (rec.cores - rec.databaseCores)) < 0.001 * rec.deployment.processes + 1e-9, `homeserver cores ${cores}`);
  const pg = rows.find((r) => r.kind === 'database')!;
  assert.equal(pg.cores, rec.databaseCores);
  assert.equal(pg.ramGiB, rec.databaseRamGiB);
  // The disk is split between PostgreSQL and the media store, each rounded up: at most one GiB over the total each.
  const media = rows.find((r) => r.kind === 'mediaStore')!;
  assert.ok(pg.diskGiB + media.diskGiB >= rec.diskGiB - 1 && pg.diskGiB + media.diskGiB <= rec.diskGiB + 2, `disk ${pg.diskGiB} + ${media.diskGiB} against ${rec.diskGiB}`);
  assert.equal(
    rows.some((r) => r.kind === 'sfu'),
    false,
  );
  // The reverse proxy is on by default and carries the homeserver's traffic to the internet: the recommendation's bandwidth.
  const proxy = rows.find((r) => r.kind === 'reverseProxy')!;
  assert.ok(Math.abs(proxy.bandwidthMbps - rec.bandwidthMbps) < 1e-3, `proxy ${proxy.bandwidthMbps} against ${rec.bandwidthMbps}`);
  assert.ok(hs.every((r) => r.bandwidthMbps === 0));
  // Components off by default are absent.
  for (const kind of ['authService', 'pushGateway', 'contentScanner', 'policyServer', 'moderationBot', 'turn'])
    assert.equal(
      rows.some((r) => r.kind === kind),
      false,
      kind,
    );
});

test('with calls and components on: an SFU row sized from the calls, the components switched on, and the homeserver unchanged but for the calls', () => {
  const sum = run(scenario({ calls: { callsPerUserPerDay: 1 }, components: { authService: { enabled: true }, turn: { enabled: true }, reverseProxy: { enabled: false } } }));
  const rows = sum.recommendation.components;
  const calls = sum.traffic.calls!;
  const sfu = rows.find((r) => r.kind === 'sfu')!;
  assert.ok(sfu.count >= 1 && sfu.count >= Math.round(calls.sfuNodes.mean));
  // Each node: its share of the peak's cores under the SFU's target, and of the media out at p95 with the headroom (1).
  assert.ok(Math.abs(sfu.cores * sfu.count - calls.sfuCoresPeak.mean / 0.7) < 0.002 * sfu.count, `SFU cores ${sfu.cores} x ${sfu.count}`);
  assert.ok(Math.abs(sfu.bandwidthMbps * sfu.count - 2 * Math.max(calls.sfuIngressMbpsP95.mean, calls.sfuEgressMbpsP95.mean)) < 0.002 * sfu.count);
  assert.ok(rows.some((r) => r.kind === 'authService') && rows.some((r) => r.kind === 'componentDatabase') && rows.some((r) => r.kind === 'turn'));
  // Without the proxy, main carries the homeserver's traffic.
  assert.equal(rows.find((r) => r.name.endsWith('main'))!.bandwidthMbps, sum.recommendation.bandwidthMbps);
  assert.equal(
    rows.some((r) => r.kind === 'reverseProxy'),
    false,
  );
});
