/**
 * The FIFO station's whole-run time averages are derived when read, from the
 * waits and the service started (station.ts header), not integrated event by
 * event. These tests hold them to an event-by-event TimeWeighted integration
 * of the same run, including a reset part-way with jobs in service and
 * waiting, and check the bounded waiting ring and the per-bin series.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exponentialRate } from '../../src/engine/distributions.js';
import { Simulation } from '../../src/engine/simulation.js';
import { Station } from '../../src/engine/station.js';
import { TimeWeighted } from '../../src/engine/stats.js';

/**
 * An M/M/2 queue at load 0.9 with a reference integration beside the station:
 * after every arrival and departure the station's busy count and queue length
 * are set on two TimeWeighted collectors, which is what the station did
 * before its averages were derived.
 */
function run(resetAtSeconds: number, untilSeconds: number, bins?: { binSeconds: number; horizonSeconds: number }) {
  const sim = new Simulation('station-derived');
  const arrivals = sim.random('arrivals');
  const service = sim.random('service');
  const gap = exponentialRate(1.8);
  const work = exponentialRate(1);
  const busyRef = new TimeWeighted(0, 0);
  const queueRef = new TimeWeighted(0, 0);
  const station = new Station(
    sim,
    'mm2',
    2,
    () => {
      busyRef.set(sim.now, station.busy);
      queueRef.set(sim.now, station.queueLength);
    },
    bins,
  );
  let job = 0;
  const arrive = sim.handler(() => {
    station.arrive(job++, work.sample(service));
    busyRef.set(sim.now, station.busy);
    queueRef.set(sim.now, station.queueLength);
    sim.schedule(gap.sample(arrivals), arrive);
  });
  const reset = sim.handler(() => {
    station.resetStatistics();
    busyRef.reset(sim.now);
    queueRef.reset(sim.now);
  });
  sim.schedule(0, arrive);
  sim.schedule(resetAtSeconds, reset);
  sim.run(untilSeconds);
  return { sim, station, busyRef, queueRef };
}

test('derived busy and queue averages equal an event-by-event integration, across a reset', () => {
  const { sim, station, busyRef, queueRef } = run(500.25, 5000);
  // The reset and the end fall part-way through services and waits.
  assert.ok(station.busy > 0 || station.queueLength > 0, 'jobs present at the end');
  const t = sim.now;
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
  close(station.busyOverTime.area(t), busyRef.area(t), 'busy area');
  close(station.queueOverTime.area(t), queueRef.area(t), 'queue area');
  close(station.busyOverTime.mean(t), busyRef.mean(t), 'busy mean');
  close(station.queueOverTime.mean(t), queueRef.mean(t), 'queue mean');
  // Beyond the clock the current value is held, as TimeWeighted does.
  close(station.queueOverTime.area(t + 10), queueRef.area(t + 10), 'queue area beyond now');
  assert.equal(station.busyOverTime.max, busyRef.max);
  assert.equal(station.busyOverTime.min, busyRef.min);
  assert.equal(station.queueOverTime.max, queueRef.max);
  assert.equal(station.queueOverTime.min, queueRef.min);
  assert.equal(station.busyOverTime.value, station.busy);
  assert.throws(() => station.busyOverTime.area(t - 1), RangeError);
});

test('with bins, the per-bin series agree with the derived whole-run averages', () => {
  const horizon = 3000;
  const { sim, station } = run(0, horizon, { binSeconds: 60, horizonSeconds: horizon });
  const busyBins = station.busyByBin!;
  const queueBins = station.queueByBin!;
  busyBins.finish(sim.now);
  queueBins.finish(sim.now);
  // Every bin is complete (3000 = 50 x 60), so the run's mean is the mean of the bins.
  const meanOf = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  assert.ok(Math.abs(meanOf(busyBins.means()) - station.busyOverTime.mean(sim.now)) < 1e-9);
  assert.ok(Math.abs(meanOf(queueBins.means()) - station.queueOverTime.mean(sim.now)) < 1e-9);
  assert.ok(Math.abs(busyBins.mean(sim.now) - station.busyOverTime.mean(sim.now)) < 1e-9);
});

test('a saturated station with a bounded queue holds the queue at maxQueue and keeps FIFO order', () => {
  const sim = new Simulation(1);
  const order: number[] = [];
  const station = new Station(sim, 'sat', 1, (job) => order.push(job));
  station.maxQueue = 300; // the ring grows to 512 slots, then stops
  const arrive = sim.handler((job) => {
    station.arrive(job, 1);
    if (job < 5000) sim.schedule(0.1, arrive, job + 1);
  });
  sim.schedule(0, arrive, 0);
  sim.run();
  assert.equal(station.queueOverTime.max, 300);
  assert.equal(station.rejected + order.length, 5001);
  for (let i = 1; i < order.length; i++) assert.ok(order[i]! > order[i - 1]!, 'FIFO');
});
