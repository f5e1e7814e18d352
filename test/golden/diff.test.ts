/**
 * The difference list the golden test prints: every differing field as
 * `path: expected X, got Y`, at most 50 lines, then a count.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDifferences, jsonDifferences } from './diff.js';

test('each differing leaf once, with a JavaScript path', () => {
  const expected = { seed: '1', traffic: { eventsPerDay: { 'm.room.message': { mean: 10, ci95: [9, 11] } } }, list: [1, 2, 3], gone: true };
  const got = { seed: '1', traffic: { eventsPerDay: { 'm.room.message': { mean: 12, ci95: [9, 13] } } }, list: [1, 2], added: null };
  assert.deepEqual(jsonDifferences(expected, got), [
    { path: 'traffic.eventsPerDay["m.room.message"].mean', expected: 10, got: 12 },
    { path: 'traffic.eventsPerDay["m.room.message"].ci95[1]', expected: 11, got: 13 },
    { path: 'list[2]', expected: 3, got: undefined },
    { path: 'gone', expected: true, got: undefined },
    { path: 'added', expected: undefined, got: null },
  ]);
  assert.deepEqual(jsonDifferences(expected, structuredClone(expected)), []);
  // A value that changed shape differs as a whole.
  assert.deepEqual(jsonDifferences({ a: { b: 1 } }, { a: 5 }), [{ path: 'a', expected: { b: 1 }, got: 5 }]);
});

test('the lines read "path: expected X, got Y", at most 50, then the count', () => {
  assert.equal(
    formatDifferences(jsonDifferences({ a: 'x', b: [1] }, { a: 'y', b: [] })),
    ['a: expected "x", got "y"', 'b[0]: expected 1, got (absent)', '(2 differing fields)'].join('\n'),
  );
  const many = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`f${i}`, i]));
  const moved = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`f${i}`, i + 1]));
  const lines = formatDifferences(jsonDifferences(many, moved)).split('\n');
  assert.equal(lines.length, 51);
  assert.equal(lines[0], 'f0: expected 0, got 1');
  assert.equal(lines[49], 'f49: expected 49, got 50');
  assert.equal(lines[50], '... and 70 more (120 differing fields in all)');
  // Long values are cut, so one field stays on one line.
  assert.match(formatDifferences(jsonDifferences({ a: 'x'.repeat(200) }, { a: 1 })), /^a: expected "x{76}\.\.\., got 1\n/);
});
