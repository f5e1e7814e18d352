/**
 * The robustness properties (./fuzz-properties.ts) at length, for
 * `npm run test:full`: 50 simulations, 500 mutated scenarios, 500 `--set`
 * arguments and 500 files. Other seeds than fuzz.test.ts's, so the two
 * explore different cases; each is printed in its test's name.
 */
import { fuzzTests } from './fuzz-properties.js';

fuzzTests({
  simulate: { seed: 2101, runs: 40 },
  verify: { seed: 2102, runs: 7 },
  render: { seed: 2103, runs: 3 },
  mutations: { seed: 2211, runs: 63 },
  mutationsRun: { seed: 2202, runs: 50 },
  sets: { seed: 2301, runs: 500 },
  files: { seed: 2302, runs: 500 },
  options: { seed: 2303, runs: 200 },
});
