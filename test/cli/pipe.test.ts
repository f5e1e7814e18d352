/**
 * The installed entry point (bin/mxsim.js, on the build `npm ci` makes) when
 * whatever reads its output stops early: `mxsim schema | head` ends quietly
 * with exit code 0, not with an EPIPE stack trace (docs/ERRORS.md).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mxsim.js', import.meta.url));

test('a reader that has closed the pipe before mxsim writes: exit code 0 and nothing on stderr', async () => {
  const child = spawn(process.execPath, [BIN, 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (x: string) => (stderr += x));
  // Closed at once: mxsim's first write finds no reader (as after `head` has read its lines and gone).
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
