/**
 * The state of a Megolm outbound session in steady state, for a sender whose
 * first send in a run is drawn as if it had been sending for ever.
 *
 * A session rotates at a send when it has already carried N messages or is
 * at least T seconds old (spec: rotation_period_msgs, rotation_period_ms).
 * With sends a Poisson process of rate lambda, one session (a cycle) carries
 * K = 1 + min(N - 1, P) messages, P ~ Poisson(lambda T) being the sends in
 * the T seconds after its first. A send drawn from the stream lands in a
 * cycle chosen with probability proportional to its length (the inspection
 * paradox), at a uniform position in it: position 0 is the send that starts
 * a new session, so a fraction 1 / E[K] of sends rotate. At position i >= 1
 * the session is as old as the i-th of the cycle's later sends: the i-th of
 * P uniform points on (0, T) when the cycle ended by age, the i-th arrival of
 * the Poisson process when it ended by count.
 *
 * A member leaving also rotates the session at the next send: with leaves a
 * Poisson process of rate rho, a cycle's age limit is T' = min(T, Exp(rho)).
 * Cycles are then drawn by rejection: T' is accepted with probability
 * E[K | T'] / E[K | T], which draws T' in proportion to the messages its
 * cycle carries, before the send is placed in that cycle as above.
 */
import { erlang } from '../engine/distributions.js';
import type { RandomSource } from '../engine/random.js';
import { logGamma } from '../numeric/log-gamma.js';

export interface MegolmState {
  /** This send starts a new session. */
  rotate: boolean;
  /** Messages the session has carried, this one included (1 when rotating). */
  sent: number;
  /** Age of the session at this send, s (0 when rotating). */
  ageSeconds: number;
}

/** Below this mean, e^-mu is a normal double and the Poisson head is built by the ratio p(k) = p(k - 1) mu / k. */
const LINEAR_MU_MAX = 700;

/**
 * Poisson(mu) probabilities of 0..n-1 into `p` (mu may be large): by the
 * ratio p(k) = p(k - 1) mu / k from p(0) = e^-mu, in log space where e^-mu
 * would underflow. One multiply a term, no log-gamma: this runs at the first
 * encrypted send of every membership.
 */
function poissonHeadInto(mu: number, n: number, p: Float64Array): void {
  if (!(mu > 0)) {
    p.fill(0, 0, n);
    if (n > 0) p[0] = 1;
    return;
  }
  if (mu < LINEAR_MU_MAX) {
    let x = Math.exp(-mu);
    for (let k = 0; k < n; k++) {
      p[k] = x;
      x = (x * mu) / (k + 1);
    }
    return;
  }
  const logMu = Math.log(mu);
  let logP = -mu;
  for (let k = 0; k < n; k++) {
    p[k] = Math.exp(logP);
    logP += logMu - Math.log(k + 1);
  }
}

/** Scratch for the Poisson head, grown to the largest rotation count asked (one run is single-threaded). */
let scratch = new Float64Array(128);
function poissonHead(mu: number, n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  poissonHeadInto(mu, n, scratch);
  return scratch;
}

/** E[K] from the head p(0..n-2) of Poisson(mu): sum_k k P(K = k) with K = 1 + min(n - 1, P). */
function meanFromHead(head: Float64Array, n: number): number {
  let mean = 0;
  let mass = 0;
  for (let k = 1; k < n; k++) {
    mean += k * head[k - 1]!;
    mass += head[k - 1]!;
  }
  return mean + n * Math.max(0, 1 - mass);
}

/** Messages per session, E[K] = sum_k k P(K = k), for sends at `ratePerSecond`. */
export function meanMessagesPerSession(ratePerSecond: number, periodSeconds: number, periodMessages: number): number {
  const n = periodMessages;
  return meanFromHead(poissonHead(ratePerSecond * periodSeconds, n - 1), n);
}

/** A unit-rate gamma of integer shape. */
function unitGamma(shape: number, rng: RandomSource): number {
  return erlang(shape, shape).sample(rng);
}

/**
 * The session's state at a send drawn from the steady state, with sends at
 * `ratePerSecond` and leaves in the room at `leavesPerSecond`.
 */
export function stationaryMegolmState(ratePerSecond: number, periodSeconds: number, periodMessages: number, rng: RandomSource, leavesPerSecond = 0): MegolmState {
  if (leavesPerSecond > 0 && ratePerSecond > 0) {
    const most = meanMessagesPerSession(ratePerSecond, periodSeconds, periodMessages);
    for (;;) {
      const limit = Math.min(periodSeconds, -Math.log(1 - rng()) / leavesPerSecond);
      if (rng() * most < meanMessagesPerSession(ratePerSecond, limit, periodMessages)) return placeSend(ratePerSecond, limit, periodMessages, rng);
    }
  }
  return placeSend(ratePerSecond, periodSeconds, periodMessages, rng);
}

/** A send at a uniform position of a cycle drawn in proportion to its length, sessions lasting at most `periodSeconds`. */
function placeSend(ratePerSecond: number, periodSeconds: number, periodMessages: number, rng: RandomSource): MegolmState {
  const n = periodMessages;
  const mu = ratePerSecond * periodSeconds;
  if (n <= 1 || !(mu > 0)) return { rotate: true, sent: 1, ageSeconds: 0 };
  const head = poissonHead(mu, n - 1);
  const meanK = meanFromHead(head, n);
  // A cycle length drawn in proportion to k P(K = k).
  let x = rng() * meanK;
  let k = n;
  let mass = 0;
  for (let kk = 1; kk < n; kk++) {
    mass += head[kk - 1]!;
    x -= kk * head[kk - 1]!;
    if (x < 0) {
      k = kk;
      break;
    }
  }
  const i = Math.floor(rng() * k);
  if (i === 0) return { rotate: true, sent: 1, ageSeconds: 0 };
  let age: number;
  if (k < n) {
    // P = k - 1 sends uniform on (0, T): the i-th order statistic, T Beta(i, k - i).
    const a = unitGamma(i, rng);
    age = (periodSeconds * a) / (a + unitGamma(k - i, rng));
  } else {
    // Ended by count: the i-th arrival, given at least n - 1 arrivals before T.
    const tail = Math.max(0, 1 - mass);
    if (tail > 0.999) {
      age = Math.min(unitGamma(i, rng) / ratePerSecond, periodSeconds * (1 - 1e-9));
    } else {
      // P from Poisson(mu) given P >= n - 1, then the i-th of P uniform points.
      let p = n - 1;
      let y = rng() * tail;
      const logMu = Math.log(mu);
      for (; ; p++) {
        y -= Math.exp(-mu + p * logMu - logGamma(p + 1));
        if (y < 0 || p > mu + 50 * Math.sqrt(mu) + n) break;
      }
      const a = unitGamma(i, rng);
      age = (periodSeconds * a) / (a + unitGamma(p - i + 1, rng));
    }
  }
  return { rotate: false, sent: i + 1, ageSeconds: age };
}
