import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventList } from '../../src/engine/event-list.js';
import { Simulation } from '../../src/engine/simulation.js';

test('events run in time order whatever the scheduling order', () => {
  const sim = new Simulation(1);
  const seen: number[] = [];
  const h = sim.handler((arg) => seen.push(arg));
  for (const t of [5, 1, 4, 2, 3, 0.5, 10, 7]) sim.schedule(t, h, t);
  sim.run();
  assert.deepEqual(seen, [0.5, 1, 2, 3, 4, 5, 7, 10]);
  assert.equal(sim.now, 10);
  assert.equal(sim.eventsProcessed, 8);
});

test('same-time events run in the order they were scheduled (FIFO ties)', () => {
  const sim = new Simulation(1);
  const seen: number[] = [];
  const h = sim.handler((arg) => seen.push(arg));
  for (let i = 0; i < 100; i++) sim.schedule(i % 3, h, i);
  sim.run();
  const expected = [0, 1, 2].flatMap((t) => Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 3 === t));
  assert.deepEqual(seen, expected);
});

test('a large random heap pops sorted with ties broken by sequence', () => {
  // 200,000 records with many duplicate times exercise sift-down on both children.
  const list = new EventList();
  let x = 12345;
  const lcg = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 200_000;
  for (let i = 0; i < n; i++) list.push(Math.floor(lcg() * 1000), 0, i);
  let lastTime = -1;
  let lastArg = -1;
  let popped = 0;
  while (list.pop()) {
    const t = list.poppedTime;
    const a = list.poppedArg;
    assert.ok(t > lastTime || (t === lastTime && a > lastArg), `order broken at ${popped}: (${t},${a}) after (${lastTime},${lastArg})`);
    lastTime = t;
    lastArg = a;
    popped++;
  }
  assert.equal(popped, n);
});

test('events scheduled from handlers interleave correctly', () => {
  const sim = new Simulation(1);
  const seen: string[] = [];
  const b = sim.handler((arg) => seen.push(`b${arg}@${sim.now}`));
  const a = sim.handler((arg) => {
    seen.push(`a${arg}@${sim.now}`);
    sim.schedule(0, b, arg); // same time, after everything already scheduled for now
    if (arg < 2) sim.schedule(1, a, arg + 1);
  });
  sim.schedule(0, a, 0);
  sim.schedule(0, b, 9);
  sim.run();
  assert.deepEqual(seen, ['a0@0', 'b9@0', 'b0@0', 'a1@1', 'b1@1', 'a2@2', 'b2@2']);
});

test('cancelled events do not run; cancel reports whether it took effect', () => {
  const sim = new Simulation(1);
  const seen: number[] = [];
  const h = sim.handler((arg) => seen.push(arg));
  const ids = [1, 2, 3, 4].map((t) => sim.schedule(t, h, t));
  assert.equal(sim.cancel(ids[1]!), true);
  assert.equal(sim.cancel(ids[1]!), false, 'cancelling twice');
  assert.equal(sim.pending, 3);
  sim.run(1);
  assert.equal(sim.cancel(ids[0]!), false, 'already ran');
  assert.equal(sim.cancel(999), false, 'never issued');
  sim.run();
  assert.deepEqual(seen, [1, 3, 4]);
  assert.equal(sim.pending, 0);
});

test('cancelling the earliest event skips it, also when it is at the top', () => {
  const sim = new Simulation(1);
  const seen: number[] = [];
  const h = sim.handler((arg) => seen.push(arg));
  const first = sim.schedule(1, h, 1);
  sim.schedule(2, h, 2);
  sim.cancel(first);
  sim.run(1.5);
  assert.deepEqual(seen, []);
  assert.equal(sim.now, 1.5, 'the clock advances to the bound');
  sim.run();
  assert.deepEqual(seen, [2]);
});

test('run(until) stops before later events and resumes', () => {
  const sim = new Simulation(1);
  const seen: number[] = [];
  const h = sim.handler((arg) => seen.push(arg));
  for (const t of [1, 2, 3]) sim.schedule(t, h, t);
  sim.run(2);
  assert.deepEqual(seen, [1, 2], 'events at the bound run');
  sim.run();
  assert.deepEqual(seen, [1, 2, 3]);
});

test('stop() ends the run after the current event', () => {
  const sim = new Simulation(1);
  let n = 0;
  const h = sim.handler(() => {
    n++;
    if (n === 3) sim.stop();
    sim.schedule(1, h);
  });
  sim.schedule(0, h);
  sim.run();
  assert.equal(n, 3);
});

test('negative, NaN and infinite delays throw with the value', () => {
  const sim = new Simulation(1);
  const h = sim.handler(() => {});
  assert.throws(() => sim.schedule(-1, h), /got -1/);
  assert.throws(() => sim.schedule(NaN, h), /got NaN/);
  assert.throws(() => sim.schedule(Infinity, h), /got Infinity/);
  assert.throws(() => sim.schedule(1, 42), /unknown handler id 42/);
  sim.schedule(5, h);
  sim.run();
  assert.throws(() => sim.scheduleAt(4, h), /got 4/);
});

test('same seed gives the same draws; different seeds and streams differ', () => {
  const draws = (seed: number, stream: string) => {
    const r = new Simulation(seed).random(stream);
    return [r(), r(), r()];
  };
  assert.deepEqual(draws(7, 'arrivals'), draws(7, 'arrivals'));
  assert.notDeepEqual(draws(7, 'arrivals'), draws(8, 'arrivals'));
  assert.notDeepEqual(draws(7, 'arrivals'), draws(7, 'service'));
});

test("adding a stream does not change another stream's draws", () => {
  const a = new Simulation(3);
  const ra = a.random('arrivals');
  const first = [ra(), ra()];
  const b = new Simulation(3);
  const extra = b.random('something-new');
  extra();
  extra();
  const rb = b.random('arrivals');
  assert.deepEqual([rb(), rb()], first);
});

test('two simulations side by side do not share state', () => {
  const s1 = new Simulation(1);
  const s2 = new Simulation(1);
  const log1: number[] = [];
  const log2: number[] = [];
  const h1 = s1.handler((x) => log1.push(x));
  const h2 = s2.handler((x) => log2.push(x));
  s1.schedule(1, h1, 1);
  s2.schedule(2, h2, 2);
  s1.run();
  assert.equal(s1.now, 1);
  assert.equal(s2.now, 0);
  s2.run();
  assert.deepEqual([log1, log2], [[1], [2]]);
});
