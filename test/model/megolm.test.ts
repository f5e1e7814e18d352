/**
 * The steady state of a Megolm outbound session (src/model/megolm.ts),
 * against closed forms of the renewal process it describes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStream } from '../../src/engine/random.js';
import { meanMessagesPerSession, stationaryMegolmState } from '../../src/model/megolm.js';

const WEEK = 7 * 86400;

test('messages per session: K = 1 + min(N - 1, Poisson(lambda T)), so E[K] = 3 - 3/e for N = 3 and lambda T = 1', () => {
  // P(P = 0) = P(P = 1) = e^-1, P(P >= 2) = 1 - 2 e^-1: E[K] = 1 e^-1 + 2 e^-1 + 3 (1 - 2 e^-1) = 3 - 3 e^-1 = 1.8964.
  assert.ok(Math.abs(meanMessagesPerSession(1 / WEEK, WEEK, 3) - (3 - 3 / Math.E)) < 1e-12);
  // A sender far above 100 messages a week always rotates by count; one far below, at every send.
  assert.ok(Math.abs(meanMessagesPerSession(10_000 / WEEK, WEEK, 100) - 100) < 1e-9);
  assert.ok(Math.abs(meanMessagesPerSession(1e-6 / WEEK, WEEK, 100) - 1) < 1e-5);
});

test('a share 1 / E[K] of sends drawn from the steady state start a new session', () => {
  const rng = createStream('megolm', 'test');
  for (const [perWeek, n] of [
    [1, 3],
    [30, 100],
    [400, 100],
  ] as const) {
    const draws = 40_000;
    let rotations = 0;
    for (let i = 0; i < draws; i++) if (stationaryMegolmState(perWeek / WEEK, WEEK, n, rng).rotate) rotations++;
    const expected = 1 / meanMessagesPerSession(perWeek / WEEK, WEEK, n);
    // Binomial sd sqrt(p (1 - p) / n) <= 0.0025: four of them.
    assert.ok(Math.abs(rotations / draws - expected) < 0.01, `${perWeek}/week, N ${n}: ${rotations / draws} vs ${expected}`);
  }
});

test('a sender rotating by count is at a uniform position of its session, and the session is as old as its messages take (i-th arrival: i / lambda on average)', () => {
  const rng = createStream('megolm', 'count');
  const lambda = 10_000 / WEEK; // 100 messages take 0.01 weeks
  let sent = 0;
  let ageOverExpected = 0;
  let n = 0;
  for (let i = 0; i < 20_000; i++) {
    const s = stationaryMegolmState(lambda, WEEK, 100, rng);
    sent += s.sent;
    if (!s.rotate) {
      ageOverExpected += s.ageSeconds / ((s.sent - 1) / lambda);
      n++;
    }
  }
  // Positions 0..99 uniform: mean sent (position + 1) = 50.5.
  assert.ok(Math.abs(sent / 20_000 - 50.5) < 1, `mean sent ${sent / 20_000}`);
  assert.ok(Math.abs(ageOverExpected / n - 1) < 0.02, `age / (i / lambda) ${ageOverExpected / n}`);
});

test('leaves shorten sessions: with a leave a day on average, a rare sender almost always finds its session rotated', () => {
  const rng = createStream('megolm', 'leaves');
  let rotations = 0;
  for (let i = 0; i < 10_000; i++) if (stationaryMegolmState(2 / WEEK, WEEK, 100, rng, 1 / 86400).rotate) rotations++;
  // Sends every 3.5 days against leaves every day: P(no leave between two sends) = 1 / (1 + 3.5) = 0.22, so ~78% of sends rotate.
  const noLeaves = 1 / meanMessagesPerSession(2 / WEEK, WEEK, 100);
  assert.ok(rotations / 10_000 > noLeaves + 0.3, `${rotations / 10_000} with leaves, ${noLeaves} without`);
});
