/**
 * The hand-written ceiling for the engine bench: the M/M/c queue of
 * engine-peers.ts written as one function with nothing a general engine
 * needs, so that the engine's speed can be read as a fraction of what this
 * machine does on the same work. It has:
 * - a binary min-heap of event times in one Float64Array, with the event's
 *   kind (arrival, or the departure from server slot k) in a parallel
 *   Int32Array; no sequence numbers (continuous times never tie), no handler
 *   table, no cancellation;
 * - the waiting line as a ring of arrival times and service times;
 * - no statistics beyond the sum of waits;
 * - the same random streams (`createStream('bench', 'arrivals' | 'service')`)
 *   and the same exponential formula (-mean log1p(-u)) as the engine, so it
 *   draws bit-identical times and reports the same mean wait.
 */
import { createStream } from '../src/engine/random.js';
import type { PeerBenchOptions } from './engine-peers.js';

/** Kind of the arrival event; departures carry the server slot, 0..c-1. */
const ARRIVAL = -1;

/**
 * Serve `o.customers` customers on `o.servers` FIFO servers; returns the mean
 * wait in queue (s) and the events run.
 * @example ceilingMmc({ customers: 1e5, servers: 4, arrivalRate: 3.2, serviceRate: 1 }).meanWaitSeconds // about 0.75
 */
export function ceilingMmc(o: PeerBenchOptions): { meanWaitSeconds: number; events: number } {
  const arrivals = createStream('bench', 'arrivals');
  const service = createStream('bench', 'service');
  const meanGap = 1 / o.arrivalRate;
  const meanService = 1 / o.serviceRate;
  // At most one arrival and one departure per server are pending.
  const heapTime = new Float64Array(o.servers + 1);
  const heapKind = new Int32Array(o.servers + 1);
  let size = 0;
  let ringTime = new Float64Array(1024);
  let ringService = new Float64Array(1024);
  let head = 0;
  let queued = 0;
  const freeSlots = new Int32Array(o.servers);
  for (let k = 0; k < o.servers; k++) freeSlots[k] = k;
  let free = o.servers;
  let created = 0;
  let waitSum = 0;
  let served = 0;
  let events = 0;

  const push = (time: number, kind: number): void => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = heapTime[parent]!;
      if (pt <= time) break;
      heapTime[i] = pt;
      heapKind[i] = heapKind[parent]!;
      i = parent;
    }
    heapTime[i] = time;
    heapKind[i] = kind;
  };
  const popTop = (): void => {
    const last = --size;
    if (last === 0) return;
    const time = heapTime[last]!;
    const kind = heapKind[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && heapTime[child + 1]! < heapTime[child]!) child++;
      const ct = heapTime[child]!;
      if (time <= ct) break;
      heapTime[i] = ct;
      heapKind[i] = heapKind[child]!;
      i = child;
    }
    heapTime[i] = time;
    heapKind[i] = kind;
  };

  push(-meanGap * Math.log1p(-arrivals()), ARRIVAL);
  created = 1;
  while (size > 0) {
    const now = heapTime[0]!;
    const kind = heapKind[0]!;
    popTop();
    events++;
    if (kind === ARRIVAL) {
      const s = -meanService * Math.log1p(-service());
      if (free > 0) {
        push(now + s, freeSlots[--free]!);
        served++;
      } else {
        if (queued === ringTime.length) {
          const n = ringTime.length * 2;
          const t = new Float64Array(n);
          const v = new Float64Array(n);
          for (let i = 0; i < queued; i++) {
            t[i] = ringTime[(head + i) & (ringTime.length - 1)]!;
            v[i] = ringService[(head + i) & (ringTime.length - 1)]!;
          }
          ringTime = t;
          ringService = v;
          head = 0;
        }
        const tail = (head + queued) & (ringTime.length - 1);
        ringTime[tail] = now;
        ringService[tail] = s;
        queued++;
      }
      if (created < o.customers) {
        created++;
        push(now - meanGap * Math.log1p(-arrivals()), ARRIVAL);
      }
    } else if (queued > 0) {
      waitSum += now - ringTime[head]!;
      push(now + ringService[head]!, kind);
      head = (head + 1) & (ringTime.length - 1);
      queued--;
      served++;
    } else {
      freeSlots[free++] = kind;
    }
  }
  return { meanWaitSeconds: waitSum / served, events };
}
