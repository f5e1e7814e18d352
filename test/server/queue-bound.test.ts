/**
 * The bound on the jobs a saturated deployment holds waiting
 * (server-coefficients.ts `maxQueuedJobs`, `maxQueuedJobsTotal`): each queue
 * holds 100,000 jobs beyond its cores while the processes and PostgreSQL
 * number 20 or fewer; beyond that the 2,000,000 are shared equally, so that
 * a simulation of hundreds of drowning workers stays within memory. Checked
 * by flooding one process at time 0 (key queries, which the first generic
 * worker takes) and counting what the deployment refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulation } from '../../src/engine/simulation.js';
import { serverOnlyScenario } from '../../src/server/calibration.js';
import { SERVER_COEFFICIENTS } from '../../src/server/server-coefficients.js';
import { ServerModel } from '../../src/server/server.js';

/** Every worker kind at 0 (the scenario's defaults would add one of some). */
const NO_WORKERS = { sync: 0, eventPersister: 0, federationSender: 0, federationReader: 0, mediaRepository: 0, pusher: 0 };

/** Jobs refused when `jobs` waited-on key queries reach the first of `generic` generic workers at once. */
function refused(generic: number, jobs: number): { processes: number; rejected: number } {
  const s = serverOnlyScenario({ implementation: 'synapse', deployment: 'workers', workers: { ...NO_WORKERS, generic } }, 60);
  const sim = new Simulation('queue-bound');
  const server = new ServerModel(sim, s, sim.random('server'), 60, { roomsPerUser: 1 });
  // Someone waits on each, so each is a job (not deferred work); shard 0 puts them all on one generic worker.
  server.whenDone('keysQuery', () => undefined);
  for (let i = 0; i < jobs; i++) server.submit('keysQuery', 1, 0, i);
  const out = server.finish();
  const rejected = out.processes.reduce((n, p) => n + p.rejectedJobs, 0) + (out.database?.rejectedJobs ?? 0);
  return { processes: out.processes.length, rejected };
}

test('a queue holds 100,000 jobs beyond its core in a small deployment, and a share of 2,000,000 in a large one', () => {
  assert.equal(SERVER_COEFFICIENTS.maxQueuedJobs.value, 100_000);
  assert.equal(SERVER_COEFFICIENTS.maxQueuedJobsTotal.value, 2_000_000);
  // main + 3 generic + PostgreSQL: 5 queues, each 100,000 (2,000,000 / 5 is more). One job is in service on the worker's core.
  const small = refused(3, 100_050);
  assert.equal(small.processes, 4);
  assert.equal(small.rejected, 100_050 - 1 - 100_000);
  // main + 49 generic + PostgreSQL: 51 queues, each floor(2,000,000 / 51) = 39,215.
  const large = refused(49, 40_000);
  assert.equal(large.processes, 50);
  assert.equal(large.rejected, 40_000 - 1 - 39_215);
});
