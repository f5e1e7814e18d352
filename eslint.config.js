// ESLint for the TypeScript of src/, test/, bench/ and scripts/ (`npm run lint`).
// The type-aware rules read tsconfig.test.json, which includes all four.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Randomness comes from seeded streams (src/engine/random.ts), never from Math.random. */
const NO_MATH_RANDOM = { object: 'Math', property: 'random', message: 'Draw from a seeded stream (src/engine/random.ts): a run is a pure function of (scenario, seed).' };

/** The simulation must not read the clock: its results depend on the scenario and the seed only. */
const CLOCK = 'The simulation must not read the clock: pass simulated time in, or measure wall time in src/cli.';
const NO_CLOCK_PROPERTIES = [
  { object: 'Date', property: 'now', message: CLOCK },
  { object: 'performance', property: 'now', message: CLOCK },
  { object: 'process', property: 'hrtime', message: CLOCK },
];
const NO_CLOCK_SYNTAX = [
  { selector: "NewExpression[callee.name='Date']", message: CLOCK },
  { selector: "CallExpression[callee.name='Date']", message: CLOCK },
];

export default defineConfig(
  { ignores: ['dist/', 'reports/', 'data/', 'node_modules/', 'docs/', 'schema/', 'scenarios/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // `x == null` (null or undefined) stays allowed; every other comparison is strict.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
    },
  },
  {
    // Reference values (mpmath, published tables) are quoted with every digit their source gives.
    files: ['test/**/*.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    // The CLI writes through an Io object (src/cli/io.ts) and nothing else in src/ prints.
    files: ['src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': ['error', NO_MATH_RANDOM],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/model/**/*.ts', 'src/server/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', NO_MATH_RANDOM, ...NO_CLOCK_PROPERTIES],
      'no-restricted-syntax': ['error', ...NO_CLOCK_SYNTAX],
    },
  },
);
