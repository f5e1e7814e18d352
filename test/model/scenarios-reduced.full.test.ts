/**
 * The shipped scenarios whose reduced run is the slowest
 * (REDUCED_IN_FULL_SUITE in ./reduced-scenario.ts), at reduced size and held
 * to the laws, as scenarios.test.ts does for the others.
 */
import { test } from 'node:test';
import { checkReducedScenario, REDUCED_IN_FULL_SUITE } from './reduced-scenario.js';

for (const name of REDUCED_IN_FULL_SUITE) {
  test(`scenarios/${name}.json at reduced size obeys the laws, and replication 0 does not depend on the replication count`, () => checkReducedScenario(`${name}.json`));
}
