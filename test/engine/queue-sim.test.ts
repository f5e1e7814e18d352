/**
 * The engine against queueing theory. Closed forms from Kleinrock, Queueing
 * Systems vol. 1 (1975): M/M/1 Wq = rho / (mu - lambda); M/M/c by Erlang C;
 * M/G/1 by Pollaczek-Khinchine. Tolerances: the simulated mean over R
 * replications must fall within the replications' own 95% interval widened
 * by a small bias allowance, or within a relative error justified per case.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanCi95 } from '../../src/analysis/confidence.js';
import { erlangC, mg1, mmc } from '../../src/analysis/queueing-theory.js';
import { deterministic, exponentialRate, gamma, lognormal, uniform } from '../../src/engine/distributions.js';
import { simulateQueue, type QueueRunResult } from '../../src/engine/queue-sim.js';

function replicate(n: number, run: (seed: string) => QueueRunResult): QueueRunResult[] {
  return Array.from({ length: n }, (_, i) => run(`queue-test/${i}`));
}

/**
 * Assert the true value lies in the replications' 95% CI, widened by 3% of the
 * value for the warm-up bias that remains at heavy load. With 95% intervals a
 * single check fails 5% of the time by chance; the seeds are fixed, so the
 * outcome is deterministic, and the widening makes the test robust to that.
 */
function assertCovers(name: string, values: number[], exact: number): void {
  const ci = meanCi95(values);
  const slack = 0.03 * Math.abs(exact);
  assert.ok(exact >= ci.ci95[0] - slack && exact <= ci.ci95[1] + slack, `${name}: exact ${exact} outside [${ci.ci95[0]}, ${ci.ci95[1]}] (mean ${ci.mean})`);
}

test('closed forms: hand-computed cases', () => {
  // M/M/1 at rho = 0.8: Wq = 0.8 / (1 - 0.8) = 4 s, L = rho / (1 - rho) = 4.
  const q = mmc(0.8, 1, 1);
  assert.ok(Math.abs(q.wq - 4) < 1e-12);
  assert.ok(Math.abs(q.l - 4) < 1e-12);
  // Erlang C for c = 2, a = 1: C = (a^2/2!)(c/(c-a)) / (1 + a + (a^2/2!)(c/(c-a))) = 1 / 3.
  assert.ok(Math.abs(erlangC(2, 1) - 1 / 3) < 1e-12);
  // M/D/1 at rho = 0.5: Wq = lambda E[S^2] / (2 (1 - rho)) = 0.5 * 1 / 1 = 0.5, half the M/M/1 value.
  assert.ok(Math.abs(mg1(0.5, 1, 0).wq - 0.5) < 1e-12);
  assert.throws(() => erlangC(2, 2), /load < servers/);
});

for (const rho of [0.5, 0.8, 0.9, 0.95]) {
  test(`M/M/1 at load ${rho} matches rho/(mu-lambda)`, () => {
    const lambda = rho;
    // Heavier load: longer correlation time, so more customers per replication.
    const customers = rho >= 0.9 ? 400_000 : 100_000;
    const runs = replicate(8, (seed) =>
      simulateQueue({ servers: 1, interarrival: exponentialRate(lambda), service: exponentialRate(1), customers, warmupCustomers: customers / 10, seed }),
    );
    const exact = mmc(lambda, 1, 1);
    assertCovers(
      'Wq',
      runs.map((r) => r.wq),
      exact.wq,
    );
    assertCovers(
      'L',
      runs.map((r) => r.l),
      exact.l,
    );
    // Utilisation converges fast: within 1% of rho.
    assert.ok(Math.abs(meanCi95(runs.map((r) => r.utilization)).mean - rho) < 0.01 * rho);
  });
}

for (const [servers, lambda] of [
  [4, 3.2],
  [4, 3.8],
  [16, 14.4],
] as const) {
  test(`M/M/${servers} at load ${lambda / servers} matches Erlang C`, () => {
    // At load 0.95 the queue's correlation time is long: 200,000 customers per
    // replication still leave a few % of sampling error, so use 1,000,000.
    const customers = lambda / servers >= 0.95 ? 1_000_000 : 200_000;
    const runs = replicate(6, (seed) =>
      simulateQueue({ servers, interarrival: exponentialRate(lambda), service: exponentialRate(1), customers, warmupCustomers: customers / 10, seed }),
    );
    const exact = mmc(lambda, 1, servers);
    assertCovers(
      'Wq',
      runs.map((r) => r.wq),
      exact.wq,
    );
    assertCovers(
      'Lq',
      runs.map((r) => r.lq),
      exact.lq,
    );
    assertCovers(
      'W',
      runs.map((r) => r.w),
      exact.w,
    );
  });
}

for (const [name, service] of [
  ['M/D/1', deterministic(1)],
  ['M/U/1', uniform(0.5, 1.5)],
  ['M/lognormal(cv 2)/1', lognormal(1, 2)],
  ['M/gamma(cv 0.5)/1', gamma(1, 0.5)],
] as const) {
  for (const rho of [0.7, 0.9]) {
    test(`${name} at load ${rho} matches Pollaczek-Khinchine`, () => {
      const customers = rho >= 0.9 ? 300_000 : 100_000;
      const runs = replicate(8, (seed) => simulateQueue({ servers: 1, interarrival: exponentialRate(rho), service, customers, warmupCustomers: customers / 10, seed }));
      const exact = mg1(rho, service.mean, service.variance);
      // A lognormal with cv 2 has a heavy tail: its waits converge slowly, so allow 8%.
      const slackCi = name.includes('lognormal') ? 0.08 : 0;
      const ci = meanCi95(runs.map((r) => r.wq));
      assert.ok(
        exact.wq >= ci.ci95[0] * (1 - slackCi) - 0.03 * exact.wq && exact.wq <= ci.ci95[1] * (1 + slackCi) + 0.03 * exact.wq,
        `Wq ${exact.wq} outside [${ci.ci95[0]}, ${ci.ci95[1]}]`,
      );
    });
  }
}

test("Little's law holds on the simulated values (L = lambda W within 1%)", () => {
  // Little's law holds for any stable queue, whatever the distributions (Little 1961).
  for (const [servers, interarrival, service] of [
    [1, exponentialRate(0.9), exponentialRate(1)],
    [3, uniform(0.2, 0.6), lognormal(1, 1.5)],
    [2, gamma(0.6, 0.3), deterministic(1)],
  ] as const) {
    const r = simulateQueue({ servers, interarrival, service, customers: 200_000, warmupCustomers: 10_000, seed: 'little' });
    const ratio = r.l / (r.arrivalRate * r.w);
    assert.ok(Math.abs(ratio - 1) < 0.01, `L/(lambda W) = ${ratio}`);
    assert.ok(Math.abs(r.lq / (r.arrivalRate * r.wq) - 1) < 0.02, `Lq/(lambda Wq) = ${r.lq / (r.arrivalRate * r.wq)}`);
  }
});

test('same seed, same result; different seeds differ', () => {
  const run = (seed: string) => simulateQueue({ servers: 2, interarrival: exponentialRate(1.5), service: exponentialRate(1), customers: 20_000, warmupCustomers: 1000, seed });
  assert.deepEqual(run('a'), run('a'));
  assert.notEqual(run('a').wq, run('b').wq);
});

test('bad arguments throw with the value', () => {
  const base = { servers: 1, interarrival: exponentialRate(0.5), service: exponentialRate(1), warmupCustomers: 0, seed: 1 };
  assert.throws(() => simulateQueue({ ...base, customers: 0 }), /got 0/);
  assert.throws(() => simulateQueue({ ...base, customers: 10, servers: 0 }), /got 0/);
  assert.throws(() => simulateQueue({ ...base, customers: 10, warmupCustomers: -1 }), /got -1/);
});
