/**
 * The SFU model of one call (src/model/sfu.ts): egress by hand, the n(n-1)
 * law, the packing of calls on nodes, and the fit of the CPU per packet on
 * LiveKit's benchmark (matrix-2026.md §7.2).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALL_COEFFICIENTS, callLoad, fitSfuCpu, LIVEKIT_BENCHMARK, packCallsOnNodes, sfuNodesFor, videoPacketsPerSecond, type Publisher } from '../../src/model/sfu.js';

const close = (actual: number, expected: number, what: string, rel = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
const who = (camera: boolean, screen = false, relayed = false): Publisher => ({ camera, screen, relayed });

describe('callLoad', () => {
  it('egress of one call is the hand-computed sum over subscribers and layers', () => {
    // A: camera and screen share; B: camera; C: audio only, through TURN. A screen share is on,
    // so cameras come as 180p thumbnails (160 kbit/s) and the share at its top layer (5,000).
    // Audio is 32 kbit/s from each other participant (element-call / LiveKit defaults, matrix-2026.md §7.1).
    //   A receives: audio B, C = 2 x 32 = 64; camera B at 180p = 160; no other share       =   224 kbit/s
    //   B receives: audio A, C = 64; camera A = 160; A's share 5,000                       = 5,224 kbit/s
    //   C receives: audio A, B = 64; cameras A, B = 2 x 160 = 320; A's share 5,000         = 5,384 kbit/s
    //   egress = 224 + 5,224 + 5,384 = 10,832 kbit/s
    // Ingress, every layer: A 32 + (160 + 450 + 1,700) + (1,250 + 5,000) = 8,592; B 32 + 2,310 = 2,342; C 32
    //   ingress = 8,592 + 2,342 + 32 = 10,966 kbit/s
    // TURN: C sends 32 and receives 5,384 = 5,416 kbit/s.
    const load = callLoad([who(true, true), who(true), who(false, false, true)]);
    close(load.egressBps, 10_832_000, 'egress');
    close(load.ingressBps, 10_966_000, 'ingress');
    close(load.turnBps, 5_416_000, 'TURN');
    // Packets out: 6 audio streams at 50/s, 4 camera thumbnails (1 to A, 1 to B, 2 to C), 2 shares; in: 3 audio, 2 cameras of 3 layers, 1 share of 2.
    const v = videoPacketsPerSecond;
    close(load.packetsOutPerSecond, 6 * 50 + 4 * v(160) + 2 * v(5000), 'packets out');
    close(load.packetsInPerSecond, 3 * 50 + 2 * (v(160) + v(450) + v(1700)) + v(1250) + v(5000), 'packets in');
    close(
      load.cores,
      CALL_COEFFICIENTS.sfuCpuSecondsPerPacket.value * (load.packetsInPerSecond + load.packetsOutPerSecond) +
        (CALL_COEFFICIENTS.sfuCpuSecondsPerByte.value * (load.ingressBps + load.egressBps)) / 8,
      'cores',
    );
  });

  it('a 1:1 video call gets the 720p layer each way', () => {
    // Each receives the other's audio (32) and camera at 720p (1,700): 2 x 1,732 = 3,464 kbit/s.
    close(callLoad([who(true), who(true)]).egressBps, 3_464_000, 'egress');
  });

  it('egress grows as n(n-1) when every participant receives every other at one layer', () => {
    // Each of n subscribers receives n - 1 others' audio (32) and camera at 180p (160): n(n-1) x 192 kbit/s.
    for (let n = 2; n <= 20; n++) {
      const load = callLoad(
        Array.from({ length: n }, () => who(true)),
        0,
      );
      close(load.egressBps, n * (n - 1) * 192_000, `n = ${n}`);
    }
    // The tile rule (no forced layer) picks 180p from 5 other cameras on, so the law holds there too (up to 25 tiles).
    const per = (n: number) => callLoad(Array.from({ length: n }, () => who(true))).egressBps / (n * (n - 1));
    for (let n = 6; n <= 26; n++) close(per(n), 192_000, `tile rule, n = ${n}`);
  });
});

describe("the model against the configurations of LiveKit's benchmark (matrix-2026.md §7.2)", () => {
  it('large meeting: 150 camera publishers send the packets measured in, within 2%', () => {
    // Each sends audio (50 packets/s) and three simulcast layers, (160 + 450 + 1,700) kbit/s over 980-byte packets
    // = 294.6 packets/s: 150 x 344.6 = 51,690 against 51,068 measured (+1.2%).
    const load = callLoad(Array.from({ length: 150 }, () => who(true)));
    const measured = LIVEKIT_BENCHMARK[1].packetsIn;
    assert.ok(Math.abs(load.packetsInPerSecond / measured - 1) < 0.02, `${load.packetsInPerSecond} packets/s in`);
  });

  it('listeners publish nothing: 10 speakers and 3,000 listeners send 10 audio streams in', () => {
    const room = [...Array.from({ length: 10 }, () => who(false)), ...Array.from({ length: 3000 }, () => ({ ...who(false), audio: false }))];
    const load = callLoad(room);
    close(load.packetsInPerSecond, 10 * 50, 'packets in');
    // Out: each listener receives 10 streams, each speaker the 9 others: (3,000 x 10 + 10 x 9) x 50 packets/s.
    close(load.packetsOutPerSecond, (3000 * 10 + 10 * 9) * 50, 'packets out');
  });
});

describe('packCallsOnNodes', () => {
  it('never splits a call, keeps nodes within capacity, and gives an oversized call its own flagged node', () => {
    // Deterministic pseudo-random call sizes (a linear congruential sequence), and two calls larger than a node.
    let x = 12345;
    const cores: number[] = [];
    for (let i = 0; i < 200; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      cores.push((x / 2147483648) * 3);
    }
    cores.push(15, 20);
    const capacity = 11.2; // 16 vCPU at 70%
    const p = packCallsOnNodes(cores, capacity);
    assert.equal(p.nodeOf.length, cores.length);
    const sums = new Array<number>(p.nodes).fill(0);
    p.nodeOf.forEach((node, i) => {
      assert.ok(node >= 0 && node < p.nodes, `call ${i} on node ${node}`);
      sums[node]! += cores[i]!;
    });
    sums.forEach((sum, node) => close(sum, p.nodeCores[node]!, `node ${node}`, 1e-9));
    assert.deepEqual(p.oversized, [200, 201]);
    for (let node = 0; node < p.nodes; node++) {
      const calls = p.nodeOf.filter((n) => n === node).length;
      if (p.nodeCores[node]! > capacity) assert.equal(calls, 1, `node ${node} over capacity holds one call`);
    }
    // First-fit decreasing is within 11/9 OPT + 1 of the lower bound ceil(sum / capacity) (Johnson 1973).
    const small = cores.slice(0, 200);
    const lower = Math.ceil(small.reduce((a, b) => a + b, 0) / capacity);
    assert.ok(p.nodes - 2 >= lower && p.nodes - 2 <= Math.ceil((11 / 9) * lower) + 1, `${p.nodes - 2} nodes for a lower bound of ${lower}`);
  });

  it('sfuNodesFor packs at the target utilisation; no call, no node', () => {
    assert.equal(sfuNodesFor([], 16, 0.7).nodes, 0);
    // Three calls of 6 cores on 16-vCPU nodes at 70% (11.2 cores): one call a node.
    assert.equal(sfuNodesFor([6, 6, 6], 16, 0.7).nodes, 3);
    // At 80% (12.8 cores) two fit on a node.
    assert.equal(sfuNodesFor([6, 6, 6], 16, 0.8).nodes, 2);
  });
});

describe('SFU CPU per packet and per byte, fitted on the LiveKit benchmark', () => {
  it('solves the normal equations of the relative errors, and reproduces the three rows within 5% (well inside the 2x band)', (t) => {
    // y = 16 x CPU share; p = packets in + out, b = bytes in + out (LiveKit's page):
    //   audio room   y 12.8,  p   959,461, b  23,007,300
    //   meeting      y 13.6,  p   813,817, b 143,000,000
    //   livestream   y 14.72, p   561,208, b 531,233,000
    // Minimise Σ (a p/y + b b/y - 1)²: a = 1.34492e-5 CPU-s a packet, b = 1.38552e-8 a byte
    // (numpy.linalg.lstsq on the rows divided by y); predicted/measured 1.0330, 0.9505, 1.0128.
    const { perPacket, perByte } = fitSfuCpu();
    close(perPacket, 1.34492e-5, 'per packet', 1e-5);
    close(perByte, 1.38552e-8, 'per byte', 1e-5);
    assert.equal(CALL_COEFFICIENTS.sfuCpuSecondsPerPacket.value, perPacket);
    assert.equal(CALL_COEFFICIENTS.sfuCpuSecondsPerByte.value, perByte);
    const ratios = [1.033, 0.9505, 1.0128];
    LIVEKIT_BENCHMARK.forEach((row, i) => {
      const measured = row.vcpu * row.cpuShare;
      const predicted = perPacket * (row.packetsIn + row.packetsOut) + perByte * (row.bytesIn + row.bytesOut);
      t.diagnostic(`${row.name}: predicted ${predicted.toFixed(2)} cores, measured ${measured.toFixed(2)}, ratio ${(predicted / measured).toFixed(3)}`);
      close(predicted / measured, ratios[i]!, row.name, 2e-3);
      const band = CALL_COEFFICIENTS.sfuCpuBandFactor.value;
      assert.ok(predicted / measured >= 1 / band && predicted / measured <= band);
    });
  });
});
