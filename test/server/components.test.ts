/**
 * The component profiles (src/server/components.ts) and the scenario's
 * `components` section: demand hand-computed from the coefficients at a
 * stated load, an idle component at exactly its fixed footprint, demand
 * monotone in every load, nothing for a component switched off; the
 * section's defaults and its problems at their paths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messages } from '../../src/scenario/messages.js';
import type { Problem } from '../../src/scenario/problem.js';
import { validateScenario } from '../../src/scenario/validate.js';
import type { ComponentSettings } from '../../src/scenario/grammar.js';
import {
  COMPONENT_KINDS,
  componentDemand,
  componentProfile,
  componentProfiles,
  ZERO_LOAD,
  type ComponentDemand,
  type ComponentKind,
  type ComponentLoad,
  type LoadField,
} from '../../src/server/components.js';

/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   The grammar tests edit scenario documents as untyped JSON, wrong values included. */

/** Every component switched on, one instance each (the bot has no instances setting). */
const ALL_ON: ComponentSettings = {
  authService: { enabled: true, passwordLogins: true, instances: 1 },
  pushGateway: { enabled: true, instances: 1 },
  contentScanner: { enabled: true, instances: 1 },
  policyServer: { enabled: true, roomKinds: null, instances: 1 },
  moderationBot: { enabled: true, roomKinds: null, rules: 1000 },
  reverseProxy: { enabled: true, instances: 1 },
  turn: { enabled: true, instances: 1 },
};
const profile = (kind: ComponentKind) => componentProfile(kind, ALL_ON);
const load = (rates: Partial<ComponentLoad>): ComponentLoad => ({ ...ZERO_LOAD, ...rates });

/** The demand, each figure to 9 decimals (the hand arithmetic below is exact to far better). */
function rounded(d: ComponentDemand): ComponentDemand {
  const r = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    count: d.count,
    cores: r(d.cores),
    ramGiB: r(d.ramGiB),
    diskGiB: r(d.diskGiB),
    bandwidthMbps: r(d.bandwidthMbps),
    database: d.database === null ? null : { cores: r(d.database.cores), ramGiB: r(d.database.ramGiB), diskGiB: r(d.database.diskGiB) },
  };
}
const expectDemand = (kind: ComponentKind, at: ComponentLoad, expected: ComponentDemand) => assert.deepEqual(rounded(componentDemand(profile(kind), at)), rounded(expected));

/**
 * Coefficients (COMPONENT_COEFFICIENTS, docs/MODEL.md section 34) and the
 * defaults used below: CPU ceiling 0.7 and bandwidth headroom 1
 * (run.server.targets); PostgreSQL base 60 MiB, default shared_buffers 128
 * MiB, 8 MiB a connection, on-disk overhead 1.5 (SERVER_COEFFICIENTS,
 * postgresOverheadFactor); a push request 1,200 bytes (pushRequestBytes).
 */
describe('componentDemand at a stated load (hand-computed)', () => {
  it('authentication service (MAS): 0.5 password logins/s, 1,200 devices online, 2,000 users and 6,000 devices', () => {
    // CPU ms/s: 0.5 x 20 (login) + 0.5 x 20 (argon2id) + 1,200 x (2/300 refresh + 1/120 introspection) = 10 + 10 + 18 = 38;
    // cores 0.05 + 0.038 / 0.7 = 0.104286. RAM 200 MiB.
    // Database: CPU 0.5 x 3 + 1,200 x (1/300 + 0.3/120) = 1.5 + 7 = 8.5 ms/s, 0.02 + 0.0085 / 0.7 = 0.032143 cores;
    // RAM 60 + 128 + 10 connections x 8 = 268 MiB; disk 1 GiB of WAL + (2,000 x 2,048 + 6,000 x 6,144) B x 1.5 = 1 + 61,440,000 / 2^30 GiB.
    expectDemand('authService', load({ loginsPerSecond: 0.5, passwordLoginsPerSecond: 0.5, onlineDevices: 1200, users: 2000, devices: 6000 }), {
      count: 1,
      cores: 0.05 + 0.038 / 0.7,
      ramGiB: 200 / 1024,
      diskGiB: 0,
      bandwidthMbps: 0,
      database: { cores: 0.02 + 0.0085 / 0.7, ramGiB: 268 / 1024, diskGiB: 1 + 61_440_000 / 2 ** 30 },
    });
  });

  it('push gateway (Sygnal): 500 pushes/s need a second process, one Python process holding a core', () => {
    // CPU 500 x 2 ms = 1 core / 0.7 = 1.428571; one process can take 1 - 0.02 of it, so ceil(1.428571 / 0.98) = 2 instances,
    // each 0.02 + 1.428571 / 2 = 0.734286 cores. Bandwidth 500 x 1,200 B x 8 / 10^6 = 4.8 Mbit/s, x 2 headroom, / 2 instances.
    expectDemand('pushGateway', load({ pushesPerSecond: 500 }), { count: 2, cores: 0.02 + 1 / 0.7 / 2, ramGiB: 100 / 1024, diskGiB: 0, bandwidthMbps: 4.8, database: null });
  });

  it('content scanner: 10 downloads/s of 20 MB/s, 1 scan/s of 2 MB/s, media of 0.5 MiB on average', () => {
    // CPU ms/s: 10 x 3 + 20 x 5 + 1 x 15 + 2 x 100 (ClamAV) = 345; cores 0.05 + 0.345 / 0.7.
    // RAM 150 (scanner) + 4,096 (ClamAV) + 1,024 cached results x 0.5 MiB = 4,758 MiB; disk 1 GiB of signatures; bandwidth 20 MB/s x 8 x 2.
    expectDemand('contentScanner', load({ mediaDownloadsPerSecond: 10, mediaDownloadMBps: 20, mediaScansPerSecond: 1, mediaScannedMBps: 2, meanMediaMiB: 0.5 }), {
      count: 1,
      cores: 0.05 + 0.345 / 0.7,
      ramGiB: 4758 / 1024,
      diskGiB: 1,
      bandwidthMbps: 320,
      database: null,
    });
  });

  it('policy server: 50 events/s checked in 200 rooms, 10 million events kept', () => {
    // CPU 50 x 2 = 100 ms/s, 0.02 + 0.1 / 0.7; RAM 100 + 200 x 0.05 = 110 MiB; bandwidth 50 x 3,000 B x 8 / 10^6 = 1.2 Mbit/s x 2.
    // Database: 0.02 + 50 x 0.5 / 1000 / 0.7 cores; 268 MiB; 1 GiB + 10^7 x 200 B x 1.5 = 1 + 3 x 10^9 / 2^30 GiB.
    expectDemand('policyServer', load({ policyEventsPerSecond: 50, policyProtectedRooms: 200, policyEventsStored: 1e7 }), {
      count: 1,
      cores: 0.02 + 0.1 / 0.7,
      ramGiB: 110 / 1024,
      diskGiB: 0,
      bandwidthMbps: 2.4,
      database: { cores: 0.02 + 0.025 / 0.7, ramGiB: 268 / 1024, diskGiB: 1 + 3e9 / 2 ** 30 },
    });
  });

  it('moderation bot (Draupnir): 20 events/s in 1,000 rooms with 5,000 rules', () => {
    // CPU 20 x 1 ms, 0.02 + 0.02 / 0.7 cores. RAM MiB: 150 + 1,000 x 0.05 + 5,000 x 2 KiB + 1,000 x 5,000 x 64 B
    // = 150 + 50 + 9.765625 + 305.175781 = 514.941406; disk 0.1 GiB.
    expectDemand('moderationBot', load({ botEventsPerSecond: 20, botProtectedRooms: 1000, botRules: 5000 }), {
      count: 1,
      cores: 0.02 + 0.02 / 0.7,
      ramGiB: (150 + 50 + 10_000 / 1024 + 320_000_000 / 2 ** 20) / 1024,
      diskGiB: 0.1,
      bandwidthMbps: 0,
      database: null,
    });
  });

  it('reverse proxy (nginx): 1,000 requests/s, 80 Mbit/s, 20 handshakes/s, 2,000 connections', () => {
    // CPU ms/s: 1,000 x 0.028 + 80 / 8 MB/s x 1.9 + 20 x 1 = 28 + 19 + 20 = 67; cores 0.1 + 0.067 / 0.7.
    // RAM 100 + 2,000 x 40 KiB = 178.125 MiB; bandwidth 80 x 2.
    expectDemand('reverseProxy', load({ proxyRequestsPerSecond: 1000, proxyMbps: 80, proxyHandshakesPerSecond: 20, proxyConnections: 2000 }), {
      count: 1,
      cores: 0.1 + 0.067 / 0.7,
      ramGiB: 178.125 / 1024,
      diskGiB: 0,
      bandwidthMbps: 160,
      database: null,
    });
  });

  it('TURN (coturn): 100 Mbit/s relayed', () => {
    // 10^6 / 8 / 1,100 = 113.636 packets/s per Mbit/s x 10 us = 1.13636 ms/s per Mbit/s; x 100 = 113.636 ms/s.
    // Cores 0.02 + 0.113636 / 0.7 = 0.182338; bandwidth 100 x 2.
    expectDemand('turn', load({ turnRelayedMbps: 100 }), {
      count: 1,
      cores: 0.02 + (100 * (1e6 / 8 / 1100) * 0.01) / 1000 / 0.7,
      ramGiB: 64 / 1024,
      diskGiB: 0,
      bandwidthMbps: 200,
      database: null,
    });
  });

  it('sizes at the targets given: a lower CPU ceiling needs more cores, more headroom more bandwidth', () => {
    const at = load({ turnRelayedMbps: 100 });
    const d = componentDemand(profile('turn'), at, { cpuUtilization: 0.5, bandwidthHeadroom: 0.5 });
    // 113.636 ms/s / 0.5 = 0.227273 cores over the 0.02 fixed; 100 x 1.5 Mbit/s.
    assert.equal(Math.round(d.cores * 1e6) / 1e6, Math.round((0.02 + 0.113636364 / 0.5) * 1e6) / 1e6);
    assert.equal(d.bandwidthMbps, 150);
  });
});

describe('componentDemand laws', () => {
  it('an idle component costs exactly its fixed footprint (and a database its fixed part)', () => {
    for (const kind of COMPONENT_KINDS) {
      const p = profile(kind);
      const db = p.database;
      assert.deepEqual(
        componentDemand(p, ZERO_LOAD),
        {
          count: 1,
          cores: p.fixed.cores,
          ramGiB: p.fixed.ramMiB / 1024,
          diskGiB: p.fixed.diskGiB,
          bandwidthMbps: 0,
          database: db === null ? null : { cores: db.fixedCores, ramGiB: (db.fixedRamMiB + db.connectionsPerInstance * db.ramMiBPerConnection) / 1024, diskGiB: db.fixedDiskGiB },
        },
        kind,
      );
    }
  });

  it('demand grows with every load: instances, and cores, RAM and bandwidth over all instances, never fall', () => {
    const base = load({
      loginsPerSecond: 1,
      passwordLoginsPerSecond: 1,
      onlineDevices: 1000,
      users: 1000,
      devices: 2000,
      pushesPerSecond: 100,
      mediaDownloadsPerSecond: 1,
      mediaDownloadMBps: 1,
      mediaScansPerSecond: 0.1,
      mediaScannedMBps: 0.1,
      meanMediaMiB: 0.4,
      policyEventsPerSecond: 5,
      policyProtectedRooms: 10,
      policyEventsStored: 1e5,
      botEventsPerSecond: 5,
      botProtectedRooms: 10,
      botRules: 100,
      proxyRequestsPerSecond: 500,
      proxyMbps: 10,
      proxyHandshakesPerSecond: 5,
      proxyConnections: 1000,
      turnRelayedMbps: 10,
    });
    const totals = (d: ComponentDemand) => [
      d.count,
      d.count * d.cores,
      d.count * d.ramGiB,
      d.count * d.diskGiB,
      d.count * d.bandwidthMbps,
      d.database?.cores ?? 0,
      d.database?.ramGiB ?? 0,
      d.database?.diskGiB ?? 0,
    ];
    for (const kind of COMPONENT_KINDS) {
      for (const field of Object.keys(ZERO_LOAD) as LoadField[]) {
        let previous = totals(componentDemand(profile(kind), base));
        // Far enough to add instances where one process holds a core (1,000 pushes/s need three Sygnal processes).
        for (const factor of [2, 5, 10, 100]) {
          const next = totals(componentDemand(profile(kind), { ...base, [field]: base[field] * factor }));
          next.forEach((x, i) => assert.ok(x >= previous[i]! - 1e-12, `${kind}: figure ${i} fell when ${field} grew ${factor} times (${previous[i]} -> ${x})`));
          previous = next;
        }
      }
    }
  });

  it('a component switched off needs nothing, whatever the load', () => {
    const off = componentProfiles(validScenario().components).filter((p) => !p.enabled);
    assert.deepEqual(
      off.map((p) => p.kind),
      ['authService', 'pushGateway', 'contentScanner', 'policyServer', 'moderationBot', 'turn'],
    );
    const busy = load({
      loginsPerSecond: 10,
      pushesPerSecond: 1000,
      mediaScannedMBps: 10,
      policyEventsPerSecond: 100,
      botRules: 1e5,
      botProtectedRooms: 100,
      turnRelayedMbps: 1000,
    });
    for (const p of off) assert.deepEqual(componentDemand(p, busy), { count: 0, cores: 0, ramGiB: 0, diskGiB: 0, bandwidthMbps: 0, database: null }, p.kind);
  });

  it('instances for availability: each holds the fixed footprint and shares the load', () => {
    const two = componentProfile('reverseProxy', { ...ALL_ON, reverseProxy: { enabled: true, instances: 2 } });
    // 67 ms/s and 80 Mbit/s as in the hand-computed case above, over two instances.
    const d = componentDemand(two, load({ proxyRequestsPerSecond: 1000, proxyMbps: 80, proxyHandshakesPerSecond: 20, proxyConnections: 2000 }));
    assert.equal(d.count, 2);
    assert.equal(Math.round(d.cores * 1e9) / 1e9, Math.round((0.1 + 0.067 / 0.7 / 2) * 1e9) / 1e9);
    assert.equal(d.bandwidthMbps, 80);
  });
});

/** A minimal valid scenario (as test/scenario/validate.test.ts), tests change a copy. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function minimal(): any {
  return {
    name: 'minimal',
    description: 'smallest valid scenario',
    population: { users: 100 },
    rooms: { kinds: [{ name: 'team', count: 5, members: { kind: 'deterministic', value: 10 } }] },
  };
}

function validScenario() {
  const r = validateScenario(minimal());
  assert.ok(r.ok);
  return r.scenario;
}

const byPath = (a: Problem, b: Problem) => (a.path + a.rule < b.path + b.rule ? -1 : 1);

describe('scenario grammar: components', () => {
  it('fills the defaults: the reverse proxy on, every other component off, one instance each', () => {
    assert.deepEqual(validScenario().components, {
      authService: { enabled: false, passwordLogins: true, instances: 1 },
      pushGateway: { enabled: false, instances: 1 },
      contentScanner: { enabled: false, instances: 1 },
      policyServer: { enabled: false, roomKinds: null, instances: 1 },
      moderationBot: { enabled: false, roomKinds: null, rules: 1000 },
      reverseProxy: { enabled: true, instances: 1 },
      turn: { enabled: false, instances: 1 },
    });
  });

  it('accepts components switched on, with protected room kinds that exist', () => {
    const s = minimal();
    s.components = {
      authService: { enabled: true, passwordLogins: false },
      moderationBot: { enabled: true, roomKinds: ['team'], rules: 20000 },
      turn: { enabled: true, instances: 2 },
    };
    const r = validateScenario(s);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
    assert.equal(r.scenario.components.authService.passwordLogins, false);
    assert.deepEqual(r.scenario.components.moderationBot.roomKinds, ['team']);
    assert.equal(r.scenario.components.turn.instances, 2);
    assert.equal(r.scenario.components.reverseProxy.enabled, true);
  });

  it('reports every bad value of the section at once, each at its path with the value as written', () => {
    const s = minimal();
    s.components = {
      pushGateway: { enabled: 'yes' },
      reverseProxy: { instances: 0 },
      moderationBot: { enabled: true, rules: -1 },
      policyServer: { enabled: true, roomKinds: ['team', 'lobby'] },
      turn: { enabeld: true },
    };
    const r = validateScenario(s);
    assert.equal(r.ok, false);
    const problems = r.ok ? [] : [...r.problems].sort(byPath);
    assert.deepEqual(
      problems,
      [
        { path: 'components.pushGateway.enabled', rule: messages.wrongType('boolean', false, false), received: '"yes"' },
        { path: 'components.reverseProxy.instances', rule: messages.numberAtLeast(1), received: '0' },
        { path: 'components.moderationBot.rules', rule: messages.numberAtLeast(0), received: '-1' },
        { path: 'components.turn.enabeld', rule: messages.unknownField('enabled', []), received: 'true' },
        { path: 'components.policyServer.roomKinds[1]', rule: messages.componentRoomKind(['team']), received: '"lobby"' },
      ].sort(byPath),
    );
  });
});
