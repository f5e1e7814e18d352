/**
 * Docs that run, at full size: each output quoted in README.md under a
 * `<!-- output of: mxsim ... -->` comment is compared with what the command
 * prints now, run on the shipped scenarios in a fresh folder (as after a
 * fresh clone). A model change that moves a quoted figure fails here until
 * the README is updated with the printed output (a quoted `...` line stands
 * for lines left out).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';
import { outputDrift, quotedOutputs } from './readme-commands.js';

const README = readFileSync('README.md', 'utf8');
const home = process.cwd();
const cwd = mkdtempSync(join(tmpdir(), 'mxsim-readme-full-'));
after(() => {
  process.chdir(home);
  rmSync(cwd, { recursive: true, force: true });
});

test('the outputs quoted in README.md are what the commands print', async () => {
  cpSync('scenarios', join(cwd, 'scenarios'), { recursive: true });
  process.chdir(cwd);
  const quoted = quotedOutputs(README);
  assert.ok(quoted.length >= 1, 'README.md quotes no output');
  for (const q of quoted) {
    const io = memoryIo();
    const code = await main(['node', 'mxsim', ...q.args], io);
    assert.equal(code, EXIT.ok, `README.md:${q.line}: mxsim ${q.args.join(' ')}: ${io.stderr}`);
    const actual = io.stdout.replace(/\n$/, '').split('\n');
    const drift = outputDrift(q.lines, actual);
    assert.equal(drift, undefined, `README.md:${q.line}: the quoted output of mxsim ${q.args.join(' ')} drifted at\n  ${drift}\nIt prints now:\n${io.stdout}`);
  }
});
