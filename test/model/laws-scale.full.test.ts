/**
 * Law 1 of the model laws (the rest are in laws.test.ts): totals are linear
 * in users. Six replications of 2,000 and 4,000 users take about 20 s, so it
 * runs in npm run test:full.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, load, run } from './laws-base.js';

// ---------------------------------------------------------------------------
// 1. Scale

test('law 1: doubling users (rooms by membershipsPerUser) doubles traffic and storage growth', () => {
  // Every rate in the model is per user, per membership or per room, and room
  // counts follow users x membershipsPerUser, so totals are linear in users:
  // a server twice the size is two servers' worth of the same rooms. (Remote
  // servers stay at 10; a shared room's destinations depend on its remote
  // members, not on our size, so PDUs per shared room do not change.)
  //
  // Tolerance: per replication, the day totals at 2,000 and 4,000 users vary
  // by a coefficient of variation of 1.5-2% (client bytes, messages) and up
  // to 3-4% (PDUs, storage: fewer, lumpier contributors), measured over 8
  // seeds. The ratio of two means of 3 replications then has a standard
  // deviation of about sqrt(2 x 0.03^2 / 3) = 2.5%, so [1.8, 2.2] is about
  // 4 sigma either side of 2: wide enough not to flake on noise, narrow
  // enough to catch a per-user rate that does not scale (a quantity that grew
  // with sqrt(users) would show a ratio of 1.41, one with users^2 of 4).
  const small = run(load(BASE, ['population.users=2000']), 'scale', 3).summary;
  const large = run(load(BASE, ['population.users=4000']), 'scale', 3).summary;
  const msgs = (s: typeof small) => s.traffic.eventsPerDay['m.room.message']!.mean + s.traffic.eventsPerDay['m.room.encrypted']!.mean;
  const ratios = {
    rooms: large.world.rooms / small.world.rooms,
    clientBytesOut: large.traffic.client.bytesOutPerDay.mean / small.traffic.client.bytesOutPerDay.mean,
    clientBytesIn: large.traffic.client.bytesInPerDay.mean / small.traffic.client.bytesInPerDay.mean,
    messages: msgs(large) / msgs(small),
    federationPdus: large.traffic.federation.pdusSentPerDay.mean / small.traffic.federation.pdusSentPerDay.mean,
    storageGrowth: large.storage.bytesPerDay.mean / small.storage.bytesPerDay.mean,
  };
  for (const [what, ratio] of Object.entries(ratios)) {
    assert.ok(ratio >= 1.8 && ratio <= 2.2, `${what}: 4,000 users / 2,000 users = ${ratio.toFixed(3)}, expected within [1.8, 2.2]`);
  }
  // The baseline is not degenerate: a ratio of two zeros would be NaN, caught above.
  assert.ok(small.traffic.federation.pdusSentPerDay.mean > 1000);
});
