/**
 * A purge's plan (src/model/purge-plan.ts): the events shared out over the
 * rooms by their history, whole and adding up, against hand computations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { purgePlan } from '../../src/model/purge-plan.js';

test('every room with history, in room order, each its share of the events', () => {
  // 8 events over histories 1 : 0 : 3: room 1 has none; 8 x 1/4 = 2, 8 x 3/4 = 6.
  const p = purgePlan(Float64Array.of(1, 0, 3), 8, 'all');
  assert.deepEqual([...p.rooms], [0, 2]);
  assert.deepEqual([...p.events], [2, 6]);
});

test('parts are whole and add up, the remainders going to the largest fractions', () => {
  // 10 events over three equal rooms: 3.33 each; the one left over goes to the first (ties in room order).
  const p = purgePlan(Float64Array.of(5, 5, 5), 10, 'all');
  assert.deepEqual([...p.events], [4, 3, 3]);
  // 7 events over 1 : 2 : 4: 1, 2, 4 exactly.
  assert.deepEqual([...purgePlan(Float64Array.of(1, 2, 4), 7, 'all').events], [1, 2, 4]);
});

test('N rooms: those with the most history, most first; a room whose part is 0 is left out', () => {
  const p = purgePlan(Float64Array.of(1, 9, 3, 6), 100, 2);
  assert.deepEqual([...p.rooms], [1, 3]);
  assert.deepEqual([...p.events], [60, 40]);
  // One event over rooms of 1 and 1,000: all to the big one; the small one's part is 0.
  const q = purgePlan(Float64Array.of(1, 1000), 1, 'all');
  assert.deepEqual([...q.rooms], [1]);
  assert.deepEqual([...q.events], [1]);
});

test('no history or no events: an empty plan', () => {
  assert.equal(purgePlan(new Float64Array(3), 10, 'all').rooms.length, 0);
  assert.equal(purgePlan(Float64Array.of(1, 2), 0, 'all').rooms.length, 0);
});
