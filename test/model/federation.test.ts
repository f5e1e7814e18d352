/**
 * The outbound federation queues (src/model/federation.ts) against hand
 * computations: the back-off schedule of a dead server, connection set-up
 * after an idle spell, and batching when the federation sender is starved.
 * Each test drives one FederationSender on its own simulation, with
 * deterministic latency and processing so the times can be written down.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as d from '../../src/engine/distributions.js';
import { Simulation } from '../../src/engine/simulation.js';
import { K } from '../../src/model/coefficients.js';
import { FederationSender, type FederationOptions } from '../../src/model/federation.js';
import type { Homeserver, Op, ServerResult } from '../../src/model/homeserver.js';
import { Counters, M } from '../../src/model/metrics.js';
import { emptyServerResult } from './recording-server.js';

const HORIZON = 30 * 86400;

/** One destination, 50 ms away, accepting a transaction in 100 ms; `server` builds the homeserver, if any. */
function sender(overrides: Partial<FederationOptions> = {}, server: (sim: Simulation) => Homeserver | null = () => null) {
  const sim = new Simulation('federation-test');
  const counters = new Counters(86400, HORIZON);
  const options: FederationOptions = {
    servers: 1,
    downShare: 0,
    slowShare: 0,
    slowFactor: 10,
    latencyMs: d.deterministic(50),
    processingMs: d.deterministic(100),
    ...overrides,
  };
  const fed = new FederationSender(sim, counters, options, sim.random('federation'), sim.random('federation-processing'), server(sim));
  const at = (t: number, fn: () => void) => sim.scheduleAt(t, sim.handler(fn));
  return { sim, counters, fed, at, total: (id: keyof typeof M) => counters.total(M[id]) };
}

/** A homeserver whose federation sender takes `delaySeconds` to build each transaction (a saturated process). */
class SlowSender implements Homeserver {
  readonly replicatingWorkers = 0;
  private done: ((key: number) => void) | undefined;
  private readonly handler: number;
  constructor(
    private readonly sim: Simulation,
    private readonly delaySeconds: number,
  ) {
    this.handler = sim.handler((key) => this.done?.(key));
  }
  submit(op: Op, _units: number, _shard: number, key = 0): void {
    if (op === 'fedOut') this.sim.schedule(this.delaySeconds, this.handler, key);
  }
  whenDone(op: Op, fn: (key: number) => void): void {
    if (op === 'fedOut') this.done = fn;
  }
  countPersisted(): void {}
  replicate(): void {}
  finish(): ServerResult {
    return emptyServerResult();
  }
}

test('back-off: a dead server is retried after 10 min, 20 min, 40 min, ... doubling up to a week (Synapse destination_*_retry_* defaults)', () => {
  // Synapse: destination_min_retry_interval 10m, destination_retry_multiplier
  // 2, destination_max_retry_interval 1w (config_documentation.md:1368-1372;
  // retryutils.py:289-299, whose random factor 0.8-1.4 the model leaves out).
  // Each attempt takes client_timeout, 60 s, to fail. From one PDU queued at
  // t = 0, failure k comes at f(k) and leaves a back-off b(k):
  //   b(k) = min(600 x 2^(k-1), 604,800): 600, 1,200, 2,400, ..., 307,200,
  //          then 614,400 capped to 604,800;
  //   f(1) = 60, f(k+1) = f(k) + b(k) + 60: 60, 720, 1,980, 4,440, 9,300,
  //          18,960, 38,220, 76,680, 153,540, 307,200, 614,460, 1,219,320,
  //          1,824,180 s.
  const { sim, fed, at, total } = sender({ downShare: 1 });
  at(0, () => fed.enqueuePdu(0, 0, K.pduBytes));
  const backoffs = [600, 1200, 2400, 4800, 9600, 19200, 38400, 76800, 153600, 307200, 604800, 604800, 604800];
  const failures = [60, 720, 1980, 4440, 9300, 18960, 38220, 76680, 153540, 307200, 614460, 1219320, 1824180];
  backoffs.forEach((b, i) => {
    sim.run(failures[i]! - 1);
    assert.equal(total('fed.out.failed_attempts'), i, `before failure ${i + 1}`);
    assert.equal(fed.backoffSeconds(0), i === 0 ? 0 : backoffs[i - 1], `back-off before failure ${i + 1}`);
    sim.run(failures[i]);
    assert.equal(total('fed.out.failed_attempts'), i + 1, `failure ${i + 1} at ${failures[i]} s`);
    assert.equal(fed.backoffSeconds(0), b, `back-off after failure ${i + 1}`);
  });
  assert.equal(total('fed.out.transactions'), 0);
  assert.equal(total('fed.out.connections'), 0, 'no connection is ever made to a dead server');
});

test('connections: the first transaction and one after more than 2 idle minutes open a connection, two more round trips and a TLS handshake', () => {
  // A transaction takes 2 x 50 ms + 100 ms = 0.2 s; on a new connection two
  // more round trips first (TCP, TLS 1.3): 3 x 2 x 50 ms + 100 ms = 0.4 s.
  // Synapse's pool closes a connection idle for 2 min
  // (matrix_federation_agent.py:132-135). PDUs at 0 s (new: done at 0.4 s),
  // 60 s (59.6 s idle: reused, done at 60.2 s) and 200 s (139.8 s idle: new,
  // done at 200.4 s).
  const { sim, fed, at, total } = sender();
  for (const t of [0, 60, 200]) at(t, () => fed.enqueuePdu(0, 0, K.pduBytes));
  const steps: [number, number, number][] = [
    // time, transactions acknowledged, connections opened
    [0.399, 0, 0],
    [0.401, 1, 1],
    [60.199, 1, 1],
    [60.201, 2, 1],
    [200.399, 2, 1],
    [200.401, 3, 2],
  ];
  for (const [t, transactions, connections] of steps) {
    sim.run(t);
    assert.equal(total('fed.out.transactions'), transactions, `transactions by ${t} s`);
    assert.equal(total('fed.out.connections'), connections, `connections by ${t} s`);
  }
  // Bytes: three transactions of envelope and one PDU, two handshakes.
  assert.equal(total('fed.out.bytes'), 3 * (K.transactionOverheadBytes + K.pduBytes) + 2 * K.tlsHandshakeBytes);
});

test('batching: a starved federation sender makes bigger transactions (one in flight; the next built from what queued meanwhile)', () => {
  // A PDU every 0.1 s (at 0.05, 0.15, ...), 1,000 in all. A transaction
  // cycle is the sender's build time D, then 2 x 50 ms + 100 ms on the
  // wire: with D = 0 a cycle of 0.2 s carries the 2 PDUs queued during the
  // previous one; with D = 0.8 s (the sender process saturated) a cycle of
  // 1 s carries 10. The start differs: the first transaction carries the
  // first PDU alone and opens the connection (0.2 s more), so the second
  // carries what queued meanwhile. With D = 0.8 s: 1, then 12 (0.15-1.25 s),
  // then 98 of 10 and a last of 7, 101 transactions, a mean of 1,000 / 101 =
  // 9.90; with D = 0: 1, 4, then 2 each, 500 transactions, a mean of 2.
  const mean = (delay: number) => {
    const { sim, fed, total } = sender({}, (simulation) => new SlowSender(simulation, delay));
    const enqueue = sim.handler(() => fed.enqueuePdu(0, 0, K.pduBytes));
    for (let i = 0; i < 1000; i++) sim.scheduleAt(0.05 + 0.1 * i, enqueue);
    sim.run(200);
    assert.equal(total('fed.out.pdus'), 1000, 'every PDU delivered');
    return total('fed.out.pdus') / total('fed.out.transactions');
  };
  const fast = mean(0);
  const starved = mean(0.8);
  assert.ok(Math.abs(fast - 2) < 0.02, `PDUs per transaction with an idle sender: ${fast}`);
  assert.ok(Math.abs(starved - 1000 / 101) < 0.05, `PDUs per transaction with a starved sender: ${starved}`);
});
