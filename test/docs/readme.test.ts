/**
 * The README's command and output parsing (readme-commands.ts), which the
 * docs-that-run tests rely on: readme-commands.full.test.ts runs every
 * command, readme.full.test.ts compares the quoted outputs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputDrift, shellWords } from './readme-commands.js';

test('shellWords splits like a shell: quotes, escapes and comments', () => {
  assert.deepEqual(shellWords(`npx mxsim run a.json --set 'x=a b' "y=\\"q\\"" z\\ w   # a comment`), ['npx', 'mxsim', 'run', 'a.json', '--set', 'x=a b', 'y="q"', 'z w']);
  assert.deepEqual(shellWords('a#b'), ['a#b']);
  assert.throws(() => shellWords(`echo 'open`), /unclosed/);
});

test('outputDrift matches line for line, "..." standing for any lines', () => {
  assert.equal(outputDrift(['a', '  ...', 'd'], ['a', 'b', 'c', 'd']), undefined);
  assert.equal(outputDrift(['a', '...', 'd'], ['a', 'd']), undefined);
  assert.equal(outputDrift(['a', 'b'], ['a', 'b', 'c']), '(the lines are all there, but not in this order or with other lines between)');
  assert.equal(outputDrift(['a', 'x'], ['a', 'b']), 'x');
});
