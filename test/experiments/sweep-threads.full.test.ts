/**
 * mxsim sweep on worker threads: the same files, byte for byte, as on one
 * thread (issue "Experiments at scale": results identical to a serial run).
 * In the full suite: two worker threads under tsx cost about 1.5 s of CPU to
 * start. The scenario is the tiny closed server of sweep.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';
import { tiny } from './tiny-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-sweep-threads-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a sweep on two worker threads writes the same files as on one, byte for byte', async () => {
  const file = join(dir, 'tiny.json');
  writeFileSync(file, JSON.stringify(tiny));
  const sweep = async (jobs: number) => {
    const out = join(dir, `sweep-${jobs}`);
    const io = memoryIo();
    const args = ['node', 'mxsim', 'sweep', file, '--vary', 'population.users=10..40:log:2', '--vary', 'features.presence=true,false', '--outputs', 'cores,events'];
    assert.equal(await main([...args, '--out', out, '--quiet', '--jobs', String(jobs)], io), EXIT.ok, io.stderr);
    return out;
  };
  const one = await sweep(1);
  const two = await sweep(2);
  for (const f of ['results.csv', 'results.json', 'points.csv', 'effects.csv', 'sweep.json', 'README.md']) {
    assert.equal(readFileSync(join(two, f), 'utf8'), readFileSync(join(one, f), 'utf8'), f);
  }
});
