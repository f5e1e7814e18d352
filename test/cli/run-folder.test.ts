/**
 * Run folders read back by `mxsim cost RUN_DIR` and `mxsim compare`
 * (src/cli/run-folder.ts): one real folder is written once
 * (test/fixtures/run-folder.ts), then corrupted copies of it must each give
 * their message, code run.invalid and exit 3, and write nothing.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { summaryRules } from '../../src/analysis/messages.js';
import type { Summary } from '../../src/analysis/summarize.js';
import { SUMMARY_VERSION, type SummarySchema } from '../../src/analysis/summary-schema.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliMessages as msg } from '../../src/cli/messages.js';
import { jsonTooDeep, jsonValueTexts, MAX_JSON_DEPTH, MAX_READ_BACK_BYTES, readBack } from '../../src/cli/read-back.js';
import { MAX_PROBLEMS_PER_FILE, RunFolderError } from '../../src/cli/run-folder.js';
import type { CostSummary, ReportRun, RunSummary } from '../../src/cost/run.js';
import { CostSummarySchema, RunSummarySchema } from '../../src/cost/summary-schema.js';
import { EXIT } from '../../src/errors.js';
import { messages as scenarioMessages } from '../../src/scenario/messages.js';
import { writeTinyRunFolder } from '../fixtures/run-folder.js';

// The schemas' output is the TypeScript type: a field added to one and not the other fails to compile.
const _summaryAgrees: Summary = {} as z.output<typeof SummarySchema>;
const _costAgrees: CostSummary = {} as z.output<typeof CostSummarySchema>;
const _runSummaryAgrees: RunSummary = {} as z.output<typeof RunSummarySchema>;

const dir = mkdtempSync(join(tmpdir(), 'mxsim-run-folder-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base = join(dir, 'base');
let run: ReportRun;
before(async () => {
  run = await writeTinyRunFolder(base);
});

const mxsim = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, ...io };
};

let copies = 0;
/** A copy of the real folder, changed by `change(dir)`. */
function corrupt(change: (d: string) => void): string {
  const d = join(dir, `copy-${++copies}`);
  cpSync(base, d, { recursive: true });
  change(d);
  return d;
}
const read = (d: string, file: string) => readFileSync(join(d, file), 'utf8');
const write = (d: string, file: string, text: string) => writeFileSync(join(d, file), text);
/** Edit the JSON of a file in a copy as parsed values. */
const editJson = (file: string, f: (o: Record<string, unknown>) => void) => (d: string) => {
  const o = JSON.parse(read(d, file)) as Record<string, unknown>;
  f(o);
  write(d, file, JSON.stringify(o, null, 2));
};
/** Replace text in a file of a copy, checking it was there. */
const replace = (file: string, from: string | RegExp, to: string) => (d: string) => {
  const text = read(d, file);
  const next = text.replace(from, to);
  assert.notEqual(next, text, `${String(from)} not in ${file}`);
  write(d, file, next);
};

/** The error block of one file: its headline, then its problems indented. */
const block = (headline: string, ...problems: string[]) => [headline, ...problems.map((p) => `  ${p}`)].join('\n');

/**
 * `mxsim cost` and `mxsim compare` on the folder both fail with `message`,
 * exit 3, print nothing on stdout and write no report.
 */
async function refusedByBoth(d: string, message: string, readers: ('cost' | 'compare')[] = ['cost', 'compare']): Promise<void> {
  for (const reader of readers) {
    const out = join(dir, `out-${copies}-${reader}`);
    const r = reader === 'cost' ? await mxsim('cost', d) : await mxsim('compare', d, base, '--out', out, '--quiet');
    assert.equal(r.stderr, msg.error('run.invalid', message), reader);
    assert.equal(r.code, EXIT.invalidInput, reader);
    assert.equal(r.stdout, '', reader);
    assert.ok(!existsSync(out), reader);
  }
}

describe('the summary schema', () => {
  test('reads back the summary written, equal to the one summarized', () => {
    const parsed = RunSummarySchema.parse(JSON.parse(read(base, 'summary.json')));
    // Equal field for field: nothing the schema does not know was dropped; a Stat of nulls is NaN again.
    assert.deepEqual(parsed, run.summary);
    assert.equal(parsed.summaryVersion, SUMMARY_VERSION);
    // team-50 has no federation: no delivery latency, written as nulls, read as NaN.
    assert.ok(Number.isNaN(parsed.latencyMs.federationDelivery.p95.mean));
    assert.ok(parsed.cost !== undefined);
  });

  test('reads the golden summaries: a verified recommendation (team-50) and a federating server with workers (company-2000)', () => {
    for (const name of ['team-50', 'company-2000']) {
      const text = readFileSync(fileURLToPath(new URL(`../golden/${name}/summary.json`, import.meta.url)), 'utf8');
      const golden = { mxsim: 'golden', ...(JSON.parse(text) as object) };
      const parsed = RunSummarySchema.parse(golden);
      assert.deepEqual(JSON.parse(JSON.stringify(parsed)), golden, name);
    }
  });
});

describe('mxsim cost and mxsim compare refuse a run folder they cannot read', () => {
  test('the real folder reads', async () => {
    assert.equal((await mxsim('cost', base, '--json')).code, EXIT.ok);
  });

  test('summary.json that is not JSON, null, an array or nested too deep', async () => {
    const file = (d: string) => join(d, 'summary.json');
    let d = corrupt((c) => write(c, 'summary.json', '{ "summaryVersion": 1,\n  "mxsim": }'));
    await refusedByBoth(d, block(msg.summaryHeadline(file(d)), msg.jsonSyntax(2, 12, 'a value (an object, array, string, number, true, false or null)', '}')));
    d = corrupt((c) => write(c, 'summary.json', 'null\n'));
    await refusedByBoth(d, block(msg.summaryHeadline(file(d)), msg.fieldProblem('(root)', summaryRules.object(), 'null')));
    d = corrupt((c) => write(c, 'summary.json', '[1, 2.50]'));
    await refusedByBoth(d, block(msg.summaryHeadline(file(d)), msg.fieldProblem('(root)', summaryRules.object(), '[1,2.50]')));
    // 100,000 levels: found on the text, before JSON.parse or anything walks it.
    d = corrupt((c) => write(c, 'summary.json', '['.repeat(100_000) + ']'.repeat(100_000)));
    await refusedByBoth(d, block(msg.summaryHeadline(file(d)), msg.jsonTooDeep(1, MAX_JSON_DEPTH + 1, MAX_JSON_DEPTH)));
  });

  test('summary.json of another version, or of none', async () => {
    let d = corrupt(replace('summary.json', '"summaryVersion": 1,', '"summaryVersion": 2,'));
    await refusedByBoth(d, block(msg.summaryHeadline(join(d, 'summary.json')), msg.otherSummaryVersion('2', SUMMARY_VERSION, 'test')));
    d = corrupt(replace('summary.json', '"summaryVersion": 1,', ''));
    await refusedByBoth(d, block(msg.summaryHeadline(join(d, 'summary.json')), msg.unversionedSummary(SUMMARY_VERSION, 'test')));
  });

  test('summary.json with fields missing, ill-typed or out of range: every one listed, each value as written', async () => {
    const d = corrupt((c) => {
      editJson('summary.json', (o) => {
        o['replications'] = -1;
        o['simulatedDays'] = 0;
        delete o['world'];
        const client = (o['traffic'] as { client: Record<string, unknown> }).client;
        client['bytesOutPerDay'] = { mean: '12', ci95: [1, 2] };
        client['bytesInPerDay'] = { mean: 5, ci95: [6, 7] };
      })(c);
      // Numbers as written, not as JSON.parse reads them.
      replace('summary.json', /"binMinutes": 15/, '"binMinutes": 1e999')(c);
      replace('summary.json', /"targetPeakOnlineShare": 0\.35/, '"targetPeakOnlineShare": 1.50')(c);
    });
    await refusedByBoth(
      d,
      block(
        msg.summaryHeadline(join(d, 'summary.json')),
        msg.fieldProblem('replications', summaryRules.integerAtLeast(1), '-1'),
        msg.fieldProblem('simulatedDays', summaryRules.numberAboveAtMost(0, 366), '0'),
        msg.fieldProblem('binMinutes', summaryRules.numberAboveAtMost(0, 1440), '1e999'),
        msg.fieldProblem('world', summaryRules.object(), msg.nothing()),
        msg.fieldProblem('activity.targetPeakOnlineShare', summaryRules.share(), '1.50'),
        msg.fieldProblem('traffic.client.bytesOutPerDay.mean', summaryRules.orNull(summaryRules.numberAtLeast(0)), '"12"'),
        msg.fieldProblem('traffic.client.bytesInPerDay', summaryRules.statInterval(), '{"mean":5,"ci95":[6,7]}'),
      ),
    );
  });

  test('scenario.json that is null, not an object or not a valid scenario (mxsim cost reads it)', async () => {
    const file = (d: string) => join(d, 'scenario.json');
    let d = corrupt((c) => write(c, 'scenario.json', 'null'));
    await refusedByBoth(d, block(msg.scenarioHeadline(file(d)), msg.fieldProblem('(root)', msg.scenarioObject(), 'null')), ['cost']);
    d = corrupt((c) => write(c, 'scenario.json', '"team-50"'));
    await refusedByBoth(d, block(msg.scenarioHeadline(file(d)), msg.fieldProblem('(root)', msg.scenarioObject(), '"team-50"')), ['cost']);
    d = corrupt(editJson('scenario.json', (o) => ((o['population'] as Record<string, unknown>)['users'] = -5)));
    await refusedByBoth(d, block(msg.scenarioHeadline(file(d)), `population.users: expected ${scenarioMessages.numberAtLeast(1)}, got -5`), ['cost']);
  });

  test('data/replications.csv and data/client.csv: a cell that is not a number, rows missing (mxsim compare reads them)', async () => {
    const reps = (d: string) => join(d, 'data/replications.csv');
    // The header of data/replications.csv: replication,seed,events,peak_online_share,messages,... (report/files.ts).
    let d = corrupt(replace('data/replications.csv', /\n0,1\/0,(\d+),([0-9.]+),\d+,/, '\n0,1/0,$1,$2,abc,'));
    await refusedByBoth(d, block(msg.tableHeadline(reps(d)), msg.csvCell(reps(d), 2, 5, 'messages', msg.csvNumber(), 'abc')), ['compare']);
    d = corrupt((c) => write(c, 'data/replications.csv', read(c, 'data/replications.csv').split('\n')[0] + '\n'));
    await refusedByBoth(d, block(msg.tableHeadline(reps(d)), msg.csvRows(reps(d), 0, 1, msg.rowsPerReplication(1))), ['compare']);
    const client = (c: string) => join(c, 'data/client.csv');
    // Line 3 is the bin at 900 s (15-minute bins); online.users is its third column.
    d = corrupt(replace('data/client.csv', /\n900,Mon 00:15,[^,]*,/, '\n900,Mon 00:15,-1,'));
    await refusedByBoth(d, block(msg.tableHeadline(client(d)), msg.csvCell(client(d), 3, 3, 'online.users', msg.csvNumber(), '-1')), ['compare']);
    // One day of 15-minute bins: 96 rows.
    d = corrupt((c) => write(c, 'data/client.csv', read(c, 'data/client.csv').split('\n').slice(0, 11).join('\n')));
    await refusedByBoth(d, block(msg.tableHeadline(client(d)), msg.csvRows(client(d), 10, 96, msg.rowsPerBin(1, 15))), ['compare']);
  });

  test('data/storage-horizon.csv: a column missing, a month out of place, months missing', async () => {
    const file = (d: string) => join(d, 'data/storage-horizon.csv');
    let d = corrupt(replace('data/storage-horizon.csv', /^month,users,/, 'month,people,'));
    await refusedByBoth(d, block(msg.tableHeadline(file(d)), msg.csvMissingColumn(file(d), 'users')));
    d = corrupt(replace('data/storage-horizon.csv', /\n2,/, '\n7,'));
    await refusedByBoth(d, block(msg.tableHeadline(file(d)), msg.csvCell(file(d), 4, 1, 'month', msg.csvRowIndex(2), '7')));
    // team-50's horizon is 36 months: 37 rows.
    d = corrupt((c) => write(c, 'data/storage-horizon.csv', read(c, 'data/storage-horizon.csv').split('\n').slice(0, 6).join('\n')));
    await refusedByBoth(d, block(msg.tableHeadline(file(d)), msg.csvRows(file(d), 5, 37, msg.rowsPerMonth(36))));
  });

  test('every file at once; a file too large; a folder where a file should be', async () => {
    const horizon = (d: string) => join(d, 'data/storage-horizon.csv');
    let d = corrupt((c) => {
      editJson('summary.json', (o) => (o['replications'] = 0))(c);
      replace('data/storage-horizon.csv', /\n1,20,/, '\n1,twenty,')(c);
    });
    // The rows are not counted against a summary that does not read.
    await refusedByBoth(
      d,
      [
        block(msg.summaryHeadline(join(d, 'summary.json')), msg.fieldProblem('replications', summaryRules.integerAtLeast(1), '0')),
        block(msg.tableHeadline(horizon(d)), msg.csvCell(horizon(d), 3, 2, 'users', msg.csvNumber(), 'twenty')),
      ].join('\n'),
    );
    // A sparse file: its size is known without writing it.
    d = corrupt((c) => truncateSync(join(c, 'data/replications.csv'), MAX_READ_BACK_BYTES + 1));
    await refusedByBoth(d, msg.tooLarge(join(d, 'data/replications.csv'), MAX_READ_BACK_BYTES + 1, MAX_READ_BACK_BYTES), ['compare']);
    d = corrupt((c) => {
      rmSync(join(c, 'data/client.csv'));
      mkdirSync(join(c, 'data/client.csv'));
    });
    await refusedByBoth(d, msg.notAFile(join(d, 'data/client.csv')), ['compare']);
  });

  test('at most MAX_PROBLEMS_PER_FILE problems per file, then how many more', async () => {
    const file = (d: string) => join(d, 'data/client.csv');
    // Every bin's online.users (third column) made a word: 96 rows, and two more columns of the same.
    const d = corrupt((c) => write(c, 'data/client.csv', read(c, 'data/client.csv').replace(/^(\d+,[^,]+),[^,]+,[^,]+,[^,]+,/gm, '$1,x,0,x,')));
    const r = await mxsim('compare', d, base, '--out', join(dir, 'never'), '--quiet');
    assert.equal(r.code, EXIT.invalidInput);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1 + MAX_PROBLEMS_PER_FILE + 1);
    // Row by row, the columns in the order the reader lists them: client.bytes_out, then online.users.
    assert.equal(lines[1], `  ${msg.csvCell(file(d), 2, 5, 'client.bytes_out', msg.csvNumber(), 'x')}`);
    assert.equal(lines[2], `  ${msg.csvCell(file(d), 2, 3, 'online.users', msg.csvNumber(), 'x')}`);
    // 96 rows of online.users and client.bytes_out (the fifth column): 192 problems.
    assert.equal(lines.at(-1), `  ${msg.moreProblems(2 * 96 - MAX_PROBLEMS_PER_FILE)}`);
  });
});

describe('read-back.ts', () => {
  test('jsonValueTexts gives values as written, the last of a repeated key, and nothing for what is not there', () => {
    const text = '{"a": [1.50, {"b": "x\\"y"}], "c": 1e999, "d": {}, "a2": [], "c": -0.0}';
    const at = jsonValueTexts(text, [['a', 0], ['a', 1, 'b'], ['c'], ['d'], ['a2'], ['a'], ['nope'], []]);
    assert.deepEqual(
      [at(['a', 0]), at(['a', 1, 'b']), at(['c']), at(['d']), at(['a2']), at(['a']), at(['nope'])],
      ['1.50', '"x\\"y"', '-0.0', '{}', '[]', '[1.50,{"b":"x\\"y"}]', undefined],
    );
    assert.equal(at([]), '{"a":[1.50,{"b":"x\\"y"}],"c":1e999,"d":{},"a2":[],"c":-0.0}');
  });

  test('jsonTooDeep counts brackets outside strings only', () => {
    assert.equal(jsonTooDeep('[[["[[[["]]]', 3), undefined);
    assert.equal(jsonTooDeep('{"a": [[1]]}', 2), 7);
  });

  test('readBack refuses a file above the bound, and tells a missing file from a folder', () => {
    const f = join(dir, 'small.txt');
    writeFileSync(f, '\uFEFF12345');
    assert.deepEqual(readBack(f), { kind: 'text', text: '12345' });
    assert.deepEqual(readBack(f, 4), { kind: 'too-large', bytes: 8 });
    assert.deepEqual(readBack(join(dir, 'none.txt')), { kind: 'missing' });
    assert.deepEqual(readBack(dir), { kind: 'not-a-file' });
  });

  test('RunFolderError is run.invalid, exit 3', () => {
    const e = new RunFolderError([{ headline: 'h:', problems: ['p'] }]);
    assert.deepEqual([e.code, e.exitCode, e.message], ['run.invalid', EXIT.invalidInput, 'h:\n  p']);
  });
});
