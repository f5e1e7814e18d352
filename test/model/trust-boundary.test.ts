/**
 * The laws of the federation trust boundary (src/model/trust-boundary.ts,
 * src/analysis/trust-boundary.ts): what each lever keeps in, who each remote
 * server sees, and totals that add up. Tiny worlds of 200 users for a day.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulateOnce } from '../../src/analysis/replicate.js';
import { summarizeTrustBoundary, TRUST_FIELDS, withEncryptionByDefault, type TrustFigures } from '../../src/analysis/trust-boundary.js';
import { usersVisible } from '../../src/model/trust-boundary.js';
import { buildWorld } from '../../src/model/world.js';
import { Simulation } from '../../src/engine/simulation.js';
import { BASE, load } from './laws-base.js';

/** The laws' organisation at 200 users (one day: a quarter of a day is night, with no receipt nor media). */
const SMALL = { ...BASE, population: { ...BASE.population, users: 200 }, run: { ...BASE.run, days: 1 } };

const summaryOf = (overrides: string[] = [], seed = '1/0') => {
  const s = load(SMALL, overrides);
  return summarizeTrustBoundary(s, [simulateOnce(s, seed)]);
};

const everyFigure = (f: TrustFigures) => TRUST_FIELDS.map((k) => f[k]);

describe('trust boundary', () => {
  const base = summaryOf();

  it('counts every kind in a federating world', () => {
    const t = base.totals;
    for (const k of ['plaintextEventsPerDay', 'stateEventsPerDay', 'presenceUpdatesPerDay', 'typingPerDay', 'receiptsPerDay', 'mediaBytesPerDay'] as const) {
      assert.ok(t[k] > 0, `${k} ${t[k]}`);
    }
    assert.equal(base.destinations.length, 10); // federation.remoteServers of BASE, fewer than 50: no "others" row
    assert.ok(t.localUsersVisible > 0 && t.localUsersVisible <= 200);
  });

  it('closed federation: every figure zero, no destination', () => {
    const closed = summaryOf(['federation.mode="closed"']);
    assert.deepEqual(closed.destinations, []);
    assert.deepEqual(
      everyFigure(closed.totals),
      TRUST_FIELDS.map(() => 0),
    );
    // The lever computed from the federating run agrees.
    assert.deepEqual(
      everyFigure(base.levers.find((l) => l.lever === 'closedFederation')!.totals!),
      TRUST_FIELDS.map(() => 0),
    );
  });

  it('encryption by default: no readable message event leaves, encrypted ones do', () => {
    const s = withEncryptionByDefault(load(SMALL));
    const enc = summarizeTrustBoundary(s, [simulateOnce(s, '1/0')]);
    assert.equal(enc.totals.plaintextEventsPerDay, 0);
    for (const d of enc.destinations) assert.equal(d.plaintextEventsPerDay, 0, d.server);
    assert.ok(enc.totals.encryptedEventsPerDay > 0);
    // The same law through the lever's re-simulation.
    const lever = summarizeTrustBoundary(load(SMALL), [simulateOnce(load(SMALL), '1/0')], (ls) => simulateOnce(ls, '1/0')).levers.find((l) => l.lever === 'encryptionByDefault')!;
    assert.equal(lever.method, 'resimulated');
    assert.equal(lever.totals!.plaintextEventsPerDay, 0);
  });

  it('private read receipts: no receipt leaves', () => {
    assert.ok(base.totals.receiptsPerDay > 0);
    const priv = summaryOf(['features.privateReadReceipts=true']);
    assert.equal(priv.totals.receiptsPerDay, 0);
    assert.equal(base.levers.find((l) => l.lever === 'privateReadReceipts')!.totals!.receiptsPerDay, 0);
  });

  it('presence off: no presence update leaves', () => {
    assert.ok(base.totals.presenceUpdatesPerDay > 0);
    const off = summaryOf(['features.presence=false']);
    assert.equal(off.totals.presenceUpdatesPerDay, 0);
    assert.equal(base.levers.find((l) => l.lever === 'presenceOff')!.totals!.presenceUpdatesPerDay, 0);
  });

  it('totals are the sum over the destinations, others included', () => {
    // 80 servers: 50 listed and "others (30 servers)".
    const many = summaryOf(['federation.remoteServers=80', 'rooms.kinds[2].remoteMemberShare=0.8']);
    assert.equal(many.destinations.length, 51);
    assert.equal(many.destinations.at(-1)!.server, 'others (30 servers)');
    for (const k of TRUST_FIELDS) {
      if (k === 'localUsersVisible') continue;
      const sum = many.destinations.reduce((s, d) => s + d[k], 0);
      assert.ok(Math.abs(sum - many.totals[k]) <= 1e-5 * Math.max(1, many.totals[k]), `${k}: ${sum} vs ${many.totals[k]}`);
    }
    // A user can be seen by several servers: the distinct total is at most the sum, at least the largest.
    const visible = many.destinations.map((d) => d.localUsersVisible);
    assert.ok(many.totals.localUsersVisible <= visible.reduce((a, b) => a + b, 0));
    assert.ok(many.totals.localUsersVisible >= Math.max(...visible));
    // The allow-list of the top 5 keeps at most what all servers get, and exactly the first five's events.
    const allow = many.levers.find((l) => l.lever === 'allowList')!;
    assert.equal(allow.servers, 5); // no federation.partners: 5 by default
    assert.ok(allow.totals!.pdusPerDay <= many.totals.pdusPerDay);
  });
});

describe('local users visible to a remote server', () => {
  it('counts each user once per server in a hand-built world', () => {
    // 5 users, 3 servers; user -> distinct servers of its rooms:
    // u0 {0, 1}, u1 {1}, u2 {}, u3 {0, 2}, u4 {2, 0, 1}
    // server 0: u0 u3 u4 = 3; server 1: u0 u1 u4 = 3; server 2: u3 u4 = 2; any: u0 u1 u3 u4 = 4.
    const start = Int32Array.from([0, 2, 3, 3, 5, 8]);
    const dest = Int32Array.from([0, 1, 1, 0, 2, 2, 0, 1]);
    const v = usersVisible(3, start, dest);
    assert.deepEqual([...v.localUsersVisible], [3, 3, 2]);
    assert.equal(v.localUsersVisibleToAny, 4);
    // Most popular server of each user: u0 0, u1 1, u3 0, u4 0; least popular: u0 1, u1 1, u3 2, u4 2.
    assert.deepEqual([...v.usersByFirstDestination], [3, 1, 0]);
    assert.deepEqual([...v.usersByLastDestination], [0, 2, 2]);
  });

  it('equals the shared memberships counted room by room in a drawn world', () => {
    const s = load(SMALL);
    const sim = new Simulation('1/0');
    const w = buildWorld(s, sim.random('world'), (k) => sim.random(`world/rooms/${k}`), sim.random('world/clients'));
    // Counted the slow way: for every server, the users with a joined room it is in.
    const expected = new Array<number>(w.remoteServers).fill(0);
    for (let d = 0; d < w.remoteServers; d++) {
      for (let u = 0; u < w.users; u++) {
        let shares = false;
        for (let j = w.userRoomStart[u]!; j < w.userRoomStart[u + 1]! && !shares; j++) {
          const r = w.userRoom[j]!;
          if (!w.roomJoined[r]) continue;
          for (let x = w.roomDestStart[r]!; x < w.roomDestStart[r + 1]!; x++) if (w.roomDest[x] === d) shares = true;
        }
        if (shares) expected[d]!++;
      }
    }
    const v = usersVisible(w.remoteServers, w.userDestStart, w.userDest);
    assert.deepEqual([...v.localUsersVisible], expected);
    assert.ok(expected.some((n) => n > 0));
  });
});
