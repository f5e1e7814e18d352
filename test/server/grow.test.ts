/**
 * growDeployment (src/server/sizing.ts): what the verification loop adds
 * after a re-simulation misses the CPU ceiling. Values computed by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { growDeployment, type OfferedLoads } from '../../src/server/sizing.js';
import { workersEach, type Deployment } from '../../src/server/topology.js';

const loads: OfferedLoads = { kind: () => 0, database: 0, replicationCores: 0 };
const deployment: Deployment = { kind: 'workers', workers: { ...workersEach(0), sync: 8 }, serverCores: null, databaseCores: 4 };

test('a quarter more (at least one) without a measured utilisation, or for a small miss', () => {
  // more(8) = max(9, ceil(8 x 1.25)) = 10.
  const plain = growDeployment(deployment, 'sync', loads, 0.7);
  assert.equal(plain.deployment?.workers?.sync, 10);
  // 8 x 0.72 / 0.7 = 8.23 -> 9, under the quarter more: 10.
  assert.equal(growDeployment(deployment, 'sync', loads, 0.7, 0.72).deployment?.workers?.sync, 10);
});

test('in proportion to a large miss: one step instead of several', () => {
  // 8 workers at 0.98 against a 0.7 ceiling: ceil(8 x 0.98 / 0.7) = ceil(11.2) = 12.
  const step = growDeployment(deployment, 'sync', loads, 0.7, 0.98);
  assert.equal(step.deployment?.workers?.sync, 12);
  assert.equal(step.deployment === null ? '' : step.what, 'sync workers to 12');
  // PostgreSQL at 4 cores and 1.4 times the ceiling (0.98 / 0.7): 4 x 1.4 = 5.6 -> 6, over more(4) = 5.
  assert.equal(growDeployment(deployment, 'database', loads, 0.7, 0.98).deployment?.databaseCores, 6);
});
