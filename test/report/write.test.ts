/**
 * The report folder: checked before a run, written whole or not at all,
 * replaced only when mxsim wrote it, and cleaned up after an interrupt.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT, MxsimError } from '../../src/errors.js';
import { checkOutput, isReportFolder, outputMessages, readMarker, REPORT_MARKER, stageReport, writeReport } from '../../src/report/write.js';

const root = mkdtempSync(join(tmpdir(), 'mxsim-write-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `case-${n++}`);
  mkdirSync(d);
  return d;
};
const files = new Map<string, string>([
  ['summary.json', '{}\n'],
  ['index.html', '<p>report</p>\n'],
  ['data/a.csv', 'a\n1\n'],
]);

/** The error `f` throws, with its code and exit code. */
function thrown(f: () => unknown): MxsimError {
  try {
    f();
  } catch (e) {
    if (e instanceof MxsimError) return e;
    throw e;
  }
  assert.fail('expected an MxsimError');
}

const stray = (dir: string) => readdirSync(dir).filter((e) => e.startsWith('.mxsim-tmp-') || e.startsWith('.mxsim-old-'));

describe('checkOutput: before anything runs', () => {
  it('refuses an empty --out (exit 2)', () => {
    const e = thrown(() => checkOutput('', false));
    assert.deepEqual([e.code, e.exitCode, e.message], ['output.invalid', EXIT.usage, outputMessages.emptyPath()]);
  });

  it('refuses a file where the folder, or one of its parents, should be (exit 2)', () => {
    const d = fresh();
    writeFileSync(join(d, 'f'), 'x');
    const under = thrown(() => checkOutput(join(d, 'f', 'r'), false));
    assert.deepEqual([under.code, under.exitCode, under.message], ['output.invalid', EXIT.usage, outputMessages.blockedBy(join(d, 'f', 'r'), join(d, 'f'))]);
    const itself = thrown(() => checkOutput(join(d, 'f'), true));
    assert.deepEqual([itself.code, itself.message], ['output.invalid', outputMessages.notAFolder(join(d, 'f'))]);
  });

  it('refuses an existing folder without --force (exit 4), and with --force one that mxsim did not write', () => {
    const d = fresh();
    const home = join(d, 'home');
    mkdirSync(home);
    writeFileSync(join(home, 'thesis.tex'), 'years of work');
    assert.equal(thrown(() => checkOutput(home, false)).exitCode, EXIT.outputExists);
    const e = thrown(() => checkOutput(home, true));
    assert.deepEqual([e.code, e.exitCode, e.message], ['output.exists', EXIT.outputExists, outputMessages.notOurs(home)]);
    assert.equal(readFileSync(join(home, 'thesis.tex'), 'utf8'), 'years of work');
  });

  it('refuses a folder it cannot write to (exit 6)', { skip: process.getuid?.() === 0 ? 'running as root, which may write anywhere' : false }, () => {
    const d = fresh();
    const ro = join(d, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    try {
      const e = thrown(() => checkOutput(join(ro, 'r'), false));
      assert.deepEqual([e.code, e.exitCode, e.message], ['output.unwritable', EXIT.outputUnwritable, outputMessages.notWritable(join(ro, 'r'), ro)]);
    } finally {
      chmodSync(ro, 0o755);
    }
  });

  it('refuses when the disk has less free space than the report needs (exit 6)', () => {
    const d = fresh();
    // 2^60 bytes (an exbibyte) is more than any disk this runs on.
    const e = thrown(() => checkOutput(join(d, 'r'), false, { needBytes: 2 ** 60 }));
    assert.equal(e.code, 'output.unwritable');
    assert.match(e.message, /free on its disk, and the report needs about/);
  });
});

describe('stageReport: several outputs all or none', () => {
  it('a staged folder over a previous one: rollback puts the previous one back whole, commit removes it', async () => {
    const d = fresh();
    const out = join(d, 'r');
    await writeReport(out, new Map([['summary.json', '{"v":1}']]), false, 'test');
    const staged = await stageReport(out, new Map([['summary.json', '{"v":2}']]), true, 'test', { option: '--report' });
    assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), '{"v":2}');
    staged.rollback();
    assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), '{"v":1}');
    assert.deepEqual(stray(d), []);
    const again = await stageReport(out, new Map([['summary.json', '{"v":3}']]), true, 'test');
    again.commit();
    assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), '{"v":3}');
    assert.deepEqual(readdirSync(d), ['r']);
  });
  it('a staged new folder: rollback removes it', async () => {
    const d = fresh();
    const staged = await stageReport(join(d, 'new'), new Map([['a.json', '{}']]), false, 'test');
    staged.rollback();
    assert.deepEqual(readdirSync(d), []);
  });
  it("messages name the folder's own option", () => {
    assert.throws(() => checkOutput('', false, { option: '--save' }), /--save: expected a folder path/);
    const d = fresh();
    writeFileSync(join(d, 'file'), 'x');
    assert.throws(() => checkOutput(join(d, 'file'), false, { option: '--report' }), /is not a folder; choose another --report/);
  });
});

describe('writeReport: all or nothing', () => {
  it('writes every file and the marker, and --force replaces a report it wrote', async () => {
    const d = fresh();
    const out = join(d, 'r');
    await writeReport(out, files, false, '9.9.9');
    assert.equal(readFileSync(join(out, 'data/a.csv'), 'utf8'), 'a\n1\n');
    assert.deepEqual(readMarker(out), { mxsim: '9.9.9', written: 3 });
    assert.ok(isReportFolder(out));
    await writeReport(
      out,
      new Map([
        ['summary.json', '{"second":true}\n'],
        ['index.html', ''],
      ]),
      true,
      '9.9.9',
    );
    assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), '{"second":true}\n');
    assert.equal(existsSync(join(out, 'data')), false);
    assert.deepEqual(stray(d), []);
  });

  it('a write that fails midway (here a file name the system refuses) leaves nothing and keeps the previous report (exit 6)', async () => {
    const d = fresh();
    const out = join(d, 'r');
    await writeReport(out, files, false, 'test');
    const bad = new Map([...files, ['data/bad\0name.csv', 'x']]);
    await assert.rejects(writeReport(out, bad, true, 'test'), (e: unknown) => e instanceof MxsimError && e.code === 'output.unwritable' && e.exitCode === EXIT.outputUnwritable);
    assert.equal(readFileSync(join(out, 'data/a.csv'), 'utf8'), 'a\n1\n');
    assert.deepEqual(stray(d), []);
  });

  it('accepts as its own a report written before the marker existed (only report files, with its summary and page)', () => {
    const d = fresh();
    mkdirSync(join(d, 'data'));
    writeFileSync(join(d, 'summary.json'), '{}');
    writeFileSync(join(d, 'index.html'), '');
    assert.ok(isReportFolder(d));
    writeFileSync(join(d, 'notes.txt'), 'mine');
    assert.equal(isReportFolder(d), false);
    rmSync(join(d, 'notes.txt'));
    writeFileSync(join(d, REPORT_MARKER), '{}');
    writeFileSync(join(d, 'notes.txt'), 'mine');
    assert.ok(isReportFolder(d), 'the marker is what counts');
  });

  it('removes what a killed run left: its temporary folder, and puts back a report moved aside', () => {
    const d = fresh();
    const out = join(d, 'r');
    // A process id that cannot be alive: above Linux's pid_max (4,194,304).
    const dead = 99_999_999;
    mkdirSync(join(d, `.mxsim-tmp-r-${dead}-abc`));
    mkdirSync(join(d, `.mxsim-old-r-${dead}-abc`));
    writeFileSync(join(d, `.mxsim-old-r-${dead}-abc`, 'summary.json'), '{"old":true}');
    const notes: string[] = [];
    // The report put back is there again: without --force the run stops, having said what it did.
    assert.equal(thrown(() => checkOutput(out, false, { onNote: (t) => notes.push(t) })).code, 'output.exists');
    assert.deepEqual(notes, [outputMessages.removedTemporary(join(d, `.mxsim-tmp-r-${dead}-abc`)), outputMessages.restoredOld(join(d, `.mxsim-old-r-${dead}-abc`), out)]);
    assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), '{"old":true}');
    assert.deepEqual(stray(d), []);
  });

  it('leaves the folders of a run still alive alone', () => {
    const d = fresh();
    mkdirSync(join(d, `.mxsim-tmp-r-${process.ppid}-abc`));
    assert.deepEqual(checkOutput(join(d, 'r'), false), []);
    assert.deepEqual(stray(d), [`.mxsim-tmp-r-${process.ppid}-abc`]);
  });

  it('on SIGTERM while writing: exit 143, no temporary folder, the previous report intact', () => {
    const d = fresh();
    const out = join(d, 'r');
    mkdirSync(out);
    writeFileSync(join(out, REPORT_MARKER), '{}');
    writeFileSync(join(out, 'summary.json'), '{"previous":true}');
    // A child that writes a report of many files and is sent SIGTERM after the third.
    const script = `
      import { writeReport } from ${JSON.stringify(new URL('../../src/report/write.ts', import.meta.url).href)};
      function* files() {
        for (let i = 0; i < 2000; i++) {
          if (i === 3) process.kill(process.pid, 'SIGTERM');
          yield ['data/f' + i + '.csv', 'x\\n'.repeat(1000)];
        }
      }
      const map = { [Symbol.iterator]: files, keys: () => [].values() };
      await writeReport(${JSON.stringify(out)}, map, true, 'test');
      console.log('finished');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 143, r.stderr);
    assert.doesNotMatch(r.stdout, /finished/);
    assert.deepEqual(stray(d), []);
    assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), '{"previous":true}');
  });
});
