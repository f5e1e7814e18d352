import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capacitySearchSteps, runCapacitySearch, runCapacitySearchAsync, type CapacityOptions, type CapacitySearch } from '../../src/analysis/capacity.js';

/**
 * The search as it was before it became a generator (src/analysis/capacity.ts
 * before `capacitySearchSteps`), its loop copied verbatim with the
 * simulation replaced by `meets`: the reference the generalisation must
 * match probe for probe (the golden tests pin what the sizing model prints
 * with it).
 */
function searchBefore(meets: (users: number) => boolean, o: CapacityOptions): CapacitySearch {
  const maxFactor = o.maxFactor ?? 4;
  const tolerance = o.tolerance ?? 0.1;
  const maxProbes = o.maxProbes ?? 6;
  const probes: { users: number; meets: boolean }[] = [];
  const probe = (users: number) => {
    const m = meets(users);
    probes.push({ users, meets: m });
    return m;
  };
  const start = Math.max(1, Math.round(o.fromUsers));
  let lo = start;
  let hi: number | null = null;
  for (let users = start * 2; probes.length < maxProbes && users <= start * maxFactor; users *= 2) {
    if (!probe(users)) {
      hi = users;
      break;
    }
    lo = users;
  }
  while (hi !== null && probes.length < maxProbes && hi / lo - 1 > tolerance) {
    const mid = Math.round(Math.sqrt(lo * hi));
    if (mid <= lo || mid >= hi) break;
    if (probe(mid)) lo = mid;
    else hi = mid;
  }
  return { users: lo, bracket: [lo, hi], probes };
}

describe('capacity search', () => {
  it('users <= 3000 from 1000: the probes computed by hand', () => {
    // Doubling: 2000 meets, 4000 misses. Bisection, mid = round(sqrt(lo * hi)):
    // sqrt(2000 * 4000) = 2828.4 -> 2828 meets; sqrt(2828 * 4000) = 3363.3 -> 3363 misses;
    // sqrt(2828 * 3363) = 3083.9 -> 3084 misses; 3084 / 2828 - 1 = 0.0905 <= 0.1: done.
    const found = runCapacitySearch({ fromUsers: 1000 }, (u) => u <= 3000);
    assert.deepEqual(
      found.probes.map((p) => [p.users, p.meets]),
      [
        [2000, true],
        [4000, false],
        [2828, true],
        [3363, false],
        [3084, false],
      ],
    );
    assert.deepEqual(found.bracket, [2828, 3084]);
    assert.equal(found.users, 2828);
  });

  it('probes exactly as the search before the generalisation, for thresholds, factors, tolerances and budgets', () => {
    for (const fromUsers of [1, 7, 1000, 4080.4])
      for (const threshold of [0, 1, 5, 999, 1500, 3000, 4000, 9999, 1e6])
        for (const o of [{}, { maxFactor: 16, tolerance: 0.02, maxProbes: 12 }, { maxProbes: 2 }]) {
          const opts = { fromUsers, ...o };
          const meets = (u: number) => u <= threshold;
          assert.deepEqual(runCapacitySearch(opts, meets), searchBefore(meets, opts), JSON.stringify({ ...opts, threshold }));
        }
  });

  it('with probeStart, a start that misses is halved until a population meets, then bisected', () => {
    // 1000 misses, 500 misses, 250 meets; sqrt(250 * 500) = 353.6 -> 354 misses;
    // sqrt(250 * 354) = 297.5 -> 297 meets; sqrt(297 * 354) = 324.2 -> 324 misses: 6 probes, the default budget.
    const found = runCapacitySearch({ fromUsers: 1000, probeStart: true }, (u) => u <= 300);
    assert.deepEqual(
      found.probes.map((p) => p.users),
      [1000, 500, 250, 354, 297, 324],
    );
    assert.deepEqual(found.bracket, [297, 324]);
  });

  it('with probeStart, a start that meets is probed once, then the search goes up as before', () => {
    const found = runCapacitySearch({ fromUsers: 1000, probeStart: true, maxProbes: 7 }, (u) => u <= 3000);
    assert.deepEqual(
      found.probes.map((p) => p.users),
      [1000, 2000, 4000, 2828, 3363, 3084],
    );
  });

  it('with probeStart, nothing meeting down to one user gives the bracket [0, 1]', () => {
    const found = runCapacitySearch({ fromUsers: 8, probeStart: true }, () => false);
    assert.deepEqual(
      found.probes.map((p) => p.users),
      [8, 4, 2, 1],
    );
    assert.deepEqual(found.bracket, [0, 1]);
    assert.equal(found.users, 0);
  });

  it('with a guess, users <= 3000 from 1000: the probes computed by hand', () => {
    const meets = (u: number) => u <= 3000;
    // Guess 2,900 holds; then 2,900 x 1.2 = 3,480 misses; bisect: sqrt(2900 x 3480) = 3,176.8 -> 3,177 misses;
    // 3,177 / 2,900 - 1 = 9.6% is within the 10% tolerance: done after 3 probes.
    const near = runCapacitySearch({ fromUsers: 1000, guessUsers: 2900 }, meets);
    assert.deepEqual(
      near.probes.map((p) => p.users),
      [2900, 3480, 3177],
    );
    assert.deepEqual(near.bracket, [2900, 3177]);
    // A guess below 1000 x 1.1 probes 1,099 first (a hair under 1,100, so that a miss there is within the
    // tolerance); 1,099 x 1.2 = 1,318.8 -> 1,319; doubling 2,638, then 5,276 > 4,000 is clamped to the top,
    // 4,000, which misses; bisect [2638, 4000]: sqrt = 3,248.4 -> 3,248 misses, sqrt(2638 x 3248) = 2,927.2
    // -> 2,927 holds; six probes, the default budget, are spent.
    const low = runCapacitySearch({ fromUsers: 1000, guessUsers: 10 }, meets);
    assert.deepEqual(
      low.probes.map((p) => p.users),
      [1099, 1319, 2638, 4000, 3248, 2927],
    );
    assert.deepEqual(low.bracket, [2927, 3248]);
    // A guess that misses right away: the bracket [1000, 1099] is within tolerance after one probe.
    const none = runCapacitySearch({ fromUsers: 1000, guessUsers: 1050 }, (u) => u <= 1000);
    assert.deepEqual(none.probes, [{ users: 1099, meets: false }]);
    assert.deepEqual(none.bracket, [1000, 1099]);
  });

  it('the async driver runs the same probes as the sync one', async () => {
    const o = { fromUsers: 1000, probeStart: true, maxFactor: 64, maxProbes: 10 };
    const meets = (u: number) => u <= 23_456;
    assert.deepEqual(await runCapacitySearchAsync(o, (u) => Promise.resolve(meets(u))), runCapacitySearch(o, meets));
  });

  it('the generator yields one user count at a time and returns the search', () => {
    const steps = capacitySearchSteps({ fromUsers: 10, maxProbes: 1 });
    assert.deepEqual(steps.next(), { value: 20, done: false });
    const end = steps.next(false);
    assert.equal(end.done, true);
    assert.deepEqual(end.value, { users: 10, bracket: [10, 20], probes: [{ users: 20, meets: false }] });
  });
});
