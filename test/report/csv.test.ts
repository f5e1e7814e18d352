/**
 * CSV cells: quoted per RFC 4180, never a formula a spreadsheet would run
 * (OWASP "CSV Injection": cells starting with = + - @ tab or CR), whole
 * numbers exact and others to six significant digits (docs/OUTPUT.md).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { neutralise, toCsv } from '../../src/report/csv.js';
import { writeTinyRunFolder } from '../fixtures/run-folder.js';

describe('toCsv', () => {
  it('neutralises every text cell a spreadsheet would evaluate, and quotes what needs it', () => {
    assert.equal(neutralise('=HYPERLINK("http://x","y")'), `'=HYPERLINK("http://x","y")`);
    assert.equal(neutralise('+1+1'), "'+1+1");
    assert.equal(neutralise('-2+3'), "'-2+3");
    assert.equal(neutralise('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(neutralise('\t=1'), "'\t=1");
    assert.equal(neutralise('\r=1'), "'\r=1");
    assert.equal(neutralise('Hetzner'), 'Hetzner');
    assert.equal(neutralise('a=b'), 'a=b');
    assert.equal(toCsv(['provider', 'seed'], [['=HYPERLINK("x")', '=1+1']]), `provider,seed\n"'=HYPERLINK(""x"")",'=1+1\n`);
  });

  it('writes numbers as numbers: negative ones unprefixed, whole ones exact, others to six significant digits', () => {
    assert.equal(toCsv(['a', 'b', 'c', 'd', 'e'], [[-3, 31_622_340, 0.3524200033313211, 29951881.8228802, Number.NaN]]), 'a,b,c,d,e\n-3,31622340,0.35242,29951900,\n');
  });
});

describe('a real run folder', () => {
  it('writes a seed that starts with = as text in data/replications.csv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxsim-csv-'));
    try {
      await writeTinyRunFolder(dir, ['run.seed="=1+1"']);
      const rows = readFileSync(join(dir, 'data/replications.csv'), 'utf8').split('\n');
      // replication 0 of seed "=1+1" is "=1+1/0": a formula to a spreadsheet, made text.
      assert.match(rows[1] ?? '', /^0,'=1\+1\/0,/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
