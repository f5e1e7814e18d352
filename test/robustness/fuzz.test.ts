/**
 * The robustness properties (./fuzz-properties.ts) with few runs each, for
 * the fast suite; fuzz.full.test.ts runs many more. The seeds are fixed, and
 * printed in each test's name.
 */
import { fuzzTests } from './fuzz-properties.js';

fuzzTests({
  simulate: { seed: 1101, runs: 2 },
  verify: { seed: 1102, runs: 1 },
  render: { seed: 1103, runs: 0 },
  mutations: { seed: 1211, runs: 12 },
  mutationsRun: { seed: 1202, runs: 8 },
  sets: { seed: 1301, runs: 80 },
  files: { seed: 1302, runs: 80 },
  options: { seed: 1303, runs: 30 },
});
