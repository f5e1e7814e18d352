/**
 * Combinations the grammar cannot express, refused at validation
 * (src/scenario/cross-field.ts): server settings the implementation or the
 * deployment would ignore, and impossible combinations that used to pass
 * silently or crash later (a uniform distribution with min = max threw in
 * the world builder; a mean session of 0 minutes started sessions without
 * end).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IMPLEMENTATIONS, POSTGRES_IMPLEMENTATIONS, WORKER_IMPLEMENTATIONS } from '../../src/scenario/grammar.js';
import { meanOfDistribution } from '../../src/scenario/cross-field.js';
import { messages } from '../../src/scenario/messages.js';
import type { Problem } from '../../src/scenario/problem.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { PROFILES } from '../../src/server/profiles.js';

/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   These tests edit scenario documents as untyped JSON, so minimal() is `any` on purpose. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function minimal(server?: object): any {
  return {
    name: 'minimal',
    description: 'smallest valid scenario',
    population: { users: 100 },
    rooms: { kinds: [{ name: 'team', count: 5, members: { kind: 'deterministic', value: 10 } }] },
    ...(server ? { run: { server } } : {}),
  };
}

function problemsOf(input: unknown): Problem[] {
  const r = validateScenario(input);
  return r.ok ? [] : r.problems;
}

describe('server settings the implementation would ignore', () => {
  it('the implementations with workers and PostgreSQL are those of the server profiles', () => {
    for (const name of IMPLEMENTATIONS) {
      assert.equal(WORKER_IMPLEMENTATIONS.includes(name), !PROFILES[name].multiThreaded, name);
      assert.equal(POSTGRES_IMPLEMENTATIONS.includes(name), PROFILES[name].postgres, name);
    }
  });

  it('a multi-threaded server has no worker deployment and no workers', () => {
    for (const name of ['dendrite', 'tuwunel', 'continuwuity', 'conduwuit']) {
      assert.deepEqual(problemsOf(minimal({ implementation: name, deployment: 'workers' })), [
        { path: 'run.server.deployment', rule: messages.noWorkerMode(name), received: '"workers"' },
      ]);
    }
    assert.deepEqual(problemsOf(minimal({ implementation: 'dendrite', cores: 8, databaseCores: 2 })), []);
  });

  it("settings a deployment ignores stay allowed: a run's scenario.json has them all, with their defaults", () => {
    assert.deepEqual(problemsOf(minimal({ workers: { sync: 4 } })), []);
    assert.deepEqual(problemsOf(minimal({ implementation: 'synapse-pro', cores: 8 })), []);
    assert.deepEqual(problemsOf(minimal({ implementation: 'tuwunel', databaseCores: 2, workers: {} })), []);
  });
});

describe('impossible combinations', () => {
  it('a uniform distribution needs max > min (min = max threw in the world builder)', () => {
    const s = minimal();
    s.rooms.kinds[0].members = { kind: 'uniform', min: 5, max: 5 };
    assert.deepEqual(problemsOf(s), [{ path: 'rooms.kinds[0].members.max', rule: messages.uniformMaxAboveMin(5), received: '5' }]);
  });

  it('the mean session is at least a minute (a mean of 0 started sessions without end)', () => {
    const s = minimal();
    s.population.sessionMinutes = { kind: 'deterministic', value: 0 };
    assert.deepEqual(problemsOf(s), [{ path: 'population.sessionMinutes', rule: messages.meanSessionAtLeast(1, 0), received: '{"kind":"deterministic","value":0}' }]);
    s.population.sessionMinutes = { kind: 'empirical', values: [0, 1, 2], weights: [3, 1, 0] };
    assert.deepEqual(problemsOf(s), [
      { path: 'population.sessionMinutes', rule: messages.meanSessionAtLeast(1, 0.25), received: '{"kind":"empirical","values":[0,1,2],"weights":[3,1,0]}' },
    ]);
    s.population.sessionMinutes = { kind: 'exponential', mean: 1 };
    assert.deepEqual(problemsOf(s), []);
  });

  it('a call can have two participants or more, and lasts more than 0 minutes; both problems at once', () => {
    const s = minimal();
    s.calls = { callsPerUserPerDay: 1, participants: { kind: 'uniform', min: 0, max: 1.5 }, durationMinutes: { kind: 'deterministic', value: 0 } };
    assert.deepEqual(problemsOf(s), [
      { path: 'calls.participants', rule: messages.callParticipantsAtLeastTwo(1.5), received: '{"kind":"uniform","min":0,"max":1.5}' },
      { path: 'calls.durationMinutes', rule: messages.callDurationAboveZero(), received: '{"kind":"deterministic","value":0}' },
    ]);
    s.calls = { callsPerUserPerDay: 1, participants: { kind: 'empirical', values: [1, 2] }, durationMinutes: { kind: 'uniform', min: 0, max: 5 } };
    assert.deepEqual(problemsOf(s), []);
  });

  it('computes the means of distributions, bounded Pareto included', () => {
    // Bounded Pareto on [1, 10], alpha 2: 1/(1 - 0.01) x 2 x (1 - 0.1) = 1.8/0.99 = 1.8181...; at alpha 1: 10/9 x ln 10.
    assert.ok(Math.abs(meanOfDistribution({ kind: 'pareto', alpha: 2, min: 1, max: 10 })! - 1.8 / 0.99) < 1e-12);
    assert.ok(Math.abs(meanOfDistribution({ kind: 'pareto', alpha: 1, min: 1, max: 10 })! - (10 / 9) * Math.log(10)) < 1e-12);
    assert.equal(meanOfDistribution({ kind: 'pareto', alpha: 3, min: 2 }), 3);
    assert.equal(meanOfDistribution({ kind: 'pareto', alpha: 1, min: 2 }), Infinity);
    assert.equal(meanOfDistribution({ kind: 'uniform', min: 2, max: 6 }), 4);
  });

  it('the run is a whole number of bins', () => {
    const s = minimal();
    s.run = { days: 1, binMinutes: 7 };
    assert.deepEqual(problemsOf(s), [{ path: 'run.binMinutes', rule: messages.wholeBins(1), received: '7' }]);
    for (const run of [
      { days: 1, binMinutes: 7.5 },
      { days: 1 / 12, binMinutes: 5 },
      { days: 0.25, binMinutes: 60 },
      { days: 366, binMinutes: 1440 },
    ]) {
      s.run = run;
      assert.deepEqual(problemsOf(s), [], JSON.stringify(run));
    }
  });

  it('local members fit the room, are all its members in a closed federation, and are not given with a remote share', () => {
    const s = minimal();
    s.rooms.kinds[0] = { name: 'big', count: 1, members: { kind: 'uniform', min: 20, max: 50 }, localMembers: 60, remoteMemberShare: 0.5, currentStateEvents: 10 };
    assert.deepEqual(problemsOf(s), [
      { path: 'rooms.kinds[0].remoteMemberShare', rule: messages.zeroWhenClosed(), received: '0.5' },
      { path: 'rooms.kinds[0].remoteMemberShare', rule: messages.noShareWithLocalMembers(), received: '0.5' },
      { path: 'rooms.kinds[0].localMembers', rule: messages.localWithinMembers(50), received: '60' },
      { path: 'rooms.kinds[0].currentStateEvents', rule: messages.stateForEveryMember(20), received: '10' },
    ]);
    s.rooms.kinds[0] = { name: 'big', count: 1, members: { kind: 'uniform', min: 20, max: 50 }, localMembers: 10 };
    assert.deepEqual(problemsOf(s), [{ path: 'rooms.kinds[0].localMembers', rule: messages.allLocalWhenClosed(20), received: '10' }]);
    s.federation = { mode: 'open', remoteServers: 5 };
    assert.deepEqual(problemsOf(s), []);
    // Their remote members need remote servers to live on (they ran with none before).
    s.federation = { mode: 'open' };
    assert.deepEqual(problemsOf(s), [{ path: 'federation.remoteServers', rule: messages.remoteServersForLocalMembers('rooms.kinds[0]', 10), received: '0' }]);
  });
});
