import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MAX_SCENARIO_FILE_BYTES, parseJsonStrict } from '../../src/scenario/json.js';
import { canonicalJson, loadScenarioFile, loadScenarioText, ScenarioError } from '../../src/scenario/load.js';
import { closest, osaDistance } from '../../src/scenario/suggest.js';
import { messages } from '../../src/scenario/messages.js';
import { formatPath, formatProblem, renderValue, type Problem } from '../../src/scenario/problem.js';
import { validateScenario } from '../../src/scenario/validate.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   These tests edit scenario documents as untyped JSON, wrong shapes included, so minimal() is `any` on purpose. */

/** A minimal valid scenario; tests change a copy. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function minimal(): any {
  return {
    name: 'minimal',
    description: 'smallest valid scenario',
    population: { users: 100 },
    rooms: { kinds: [{ name: 'team', count: 5, members: { kind: 'deterministic', value: 10 } }] },
  };
}

const byPath = (a: Problem, b: Problem) => (a.path + a.rule < b.path + b.rule ? -1 : 1);

function problemsOf(input: unknown): Problem[] {
  const r = validateScenario(input);
  assert.equal(r.ok, false, 'expected the scenario to be invalid');
  return r.ok ? [] : r.problems;
}

/** The scenario has exactly these problems (in any order). */
function assertProblems(input: unknown, expected: Problem[]): void {
  assert.deepEqual([...problemsOf(input)].sort(byPath), [...expected].sort(byPath));
}

describe('validateScenario', () => {
  it('accepts a minimal scenario and fills the defaults', () => {
    const r = validateScenario(minimal());
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    assert.equal(r.scenario.run.replications, 3);
    assert.equal(r.scenario.features.presence, true);
    assert.equal(r.scenario.federation.mode, 'closed');
    assert.equal(r.scenario.rooms.kinds[0]!.remoteMemberShare, 0);
    assert.equal(r.scenario.population.classes.length, 4);
    assert.equal(r.scenario.population.rhythm.hourlyWeights.length, 24);
  });

  it('reports every problem of a bad scenario at once, each with its path and the value received', () => {
    const input = JSON.parse(readFileSync(fixture('scenario-many-problems.json'), 'utf8'));
    assertProblems(input, [
      { path: 'features.presence', rule: messages.wrongType('boolean', false, false), received: '"yes"' },
      { path: 'population.mobileDeviceShare', rule: messages.numberAtLeast(0), received: '-0.2' },
      { path: 'behaviour.reactionsPerMessage', rule: messages.numberAtLeast(0), received: '-1' },
      { path: 'run.replications', rule: messages.numberAtLeast(1), received: '0' },
      { path: 'population.devicesPerUsr', rule: messages.unknownField('devicesPerUser', []), received: '2' },
      { path: 'population.classes', rule: messages.sharesSumToOne(), received: messages.receivedShareSum(0.7) },
      { path: 'federation.remoteServers', rule: messages.zeroWhenClosed(), received: '5' },
      { path: 'rooms.kinds[1].members', rule: messages.localMembersWithinUsers(100, 300), received: '{"kind":"uniform","min":300,"max":400}' },
    ]);
    const typo = problemsOf(input).find((p) => p.path === 'population.devicesPerUsr')!;
    assert.match(formatProblem(typo), /did you mean "devicesPerUser"\?/);
  });

  it('formats problems as "path: expected rule, got received"', () => {
    assert.equal(formatProblem({ path: 'a.b[2]', rule: 'a number', received: '"x"' }), 'a.b[2]: expected a number, got "x"');
    assert.equal(formatPath([]), '(root)');
    assert.equal(formatPath(['rooms', 'kinds', 2, 'members', 'alpha']), 'rooms.kinds[2].members.alpha');
    assert.equal(renderValue(undefined), 'nothing');
    const long = renderValue('x'.repeat(500));
    assert.ok(long.length <= 60 && long.endsWith('...'), long);
  });

  it('says "nothing" for a missing required field', () => {
    const s = minimal();
    delete s.population.users;
    assertProblems(s, [{ path: 'population.users', rule: messages.wrongType('int', false, true), received: 'nothing' }]);
  });

  it('rejects a non-object document at (root)', () => {
    assertProblems([], [{ path: '(root)', rule: messages.wrongType('object', false, false), received: '[]' }]);
  });

  it('names the allowed distribution kinds for an unknown one', () => {
    const s = minimal();
    s.rooms.kinds[0].members = { kind: 'normal', mean: 3 };
    const [p] = problemsOf(s);
    assert.equal(p!.path, 'rooms.kinds[0].members.kind');
    assert.equal(p!.received, '"normal"');
    assert.match(p!.rule, /"deterministic".*"empirical"/);
  });

  it('suggests fields inside the matching distribution kind and nested objects', () => {
    const s = minimal();
    s.rooms.kinds[0].members = { kind: 'deterministic', valeu: 10 };
    s.features = { Presence: false };
    s.zzzzzz = 1;
    const problems = problemsOf(s);
    const at = (path: string) => problems.find((p) => p.path === path);
    assert.equal(at('rooms.kinds[0].members.valeu')?.rule, messages.unknownField('value', []));
    assert.equal(at('features.Presence')?.rule, messages.unknownField('presence', []), 'case-insensitive match');
    assert.equal(
      at('zzzzzz')?.rule,
      messages.unknownField(undefined, [
        '$schema',
        'name',
        'description',
        'population',
        'behaviour',
        'clients',
        'e2ee',
        'rooms',
        'federation',
        'features',
        'calls',
        'components',
        'timeline',
        'run',
        'cost',
      ]),
    );
  });
});

describe('cross-field checks', () => {
  it('room kinds need exactly one of count or membershipsPerUser', () => {
    const s = minimal();
    s.rooms.kinds.push({ name: 'a', members: { kind: 'deterministic', value: 2 } });
    s.rooms.kinds.push({ name: 'b', count: 1, membershipsPerUser: 2, members: { kind: 'deterministic', value: 2 } });
    assertProblems(s, [
      { path: 'rooms.kinds[1]', rule: messages.countOrMemberships(), received: messages.receivedNeither() },
      { path: 'rooms.kinds[2]', rule: messages.countOrMemberships(), received: '{"count":1,"membershipsPerUser":2}' },
    ]);
  });

  it('checks distribution parameters wherever a distribution is', () => {
    const s = minimal();
    s.rooms.kinds[0].members = { kind: 'uniform', min: 20, max: 5 };
    s.behaviour = { media: { bytes: { kind: 'pareto', alpha: 1.2, min: 1000, max: 10 } } };
    s.federation = { latencyMs: { kind: 'empirical', values: [1, 2, 3], weights: [1, 1] } };
    s.population.sessionMinutes = { kind: 'empirical', values: [1, 2], weights: [0, 0] };
    assertProblems(s, [
      { path: 'rooms.kinds[0].members.max', rule: messages.uniformMaxAboveMin(20), received: '5' },
      { path: 'behaviour.media.bytes.max', rule: messages.paretoMaxAboveMin(1000), received: '10' },
      { path: 'federation.latencyMs.weights', rule: messages.weightsPerValue(3), received: '[1,1]' },
      { path: 'population.sessionMinutes.weights', rule: messages.somePositiveWeight(), received: '[0,0]' },
    ]);
  });

  it('rooms must have at least one member and no more local members than users', () => {
    const s = minimal();
    s.rooms.kinds[0].members = { kind: 'deterministic', value: 0 };
    s.rooms.kinds.push({ name: 'big', count: 1, members: { kind: 'empirical', values: [150, 400] } });
    // 40% remote: 150 x 0.6 = 90 local members fit in 100 users.
    s.rooms.kinds.push({ name: 'fed', count: 1, remoteMemberShare: 0.4, members: { kind: 'deterministic', value: 150 } });
    s.federation = { mode: 'open', remoteServers: 3 };
    assertProblems(s, [
      { path: 'rooms.kinds[0].members', rule: messages.membersAtLeastOne(0), received: '{"kind":"deterministic","value":0}' },
      { path: 'rooms.kinds[1].members', rule: messages.localMembersWithinUsers(100, 150), received: '{"kind":"empirical","values":[150,400]}' },
    ]);
  });

  it('closed federation allows nothing remote', () => {
    const s = minimal();
    s.rooms.kinds[0].remoteMemberShare = 0.2;
    s.rooms.kinds[0].hostedRemotely = true;
    s.federation = { publicRoomJoinsPerDay: 3 };
    // mode not given: the default is closed, and the message says so.
    assertProblems(s, [
      { path: 'rooms.kinds[0].remoteMemberShare', rule: messages.zeroWhenClosed(), received: '0.2' },
      { path: 'rooms.kinds[0].hostedRemotely', rule: messages.falseWhenClosed(), received: 'true' },
      { path: 'federation.publicRoomJoinsPerDay', rule: messages.zeroWhenClosed(), received: '3' },
    ]);
  });

  it('remote members need remote servers; rooms hosted remotely need remote members', () => {
    const s = minimal();
    s.federation = { mode: 'open' };
    s.rooms.kinds[0].remoteMemberShare = 0.3;
    s.rooms.kinds.push({ name: 'hq', count: 1, hostedRemotely: true, members: { kind: 'deterministic', value: 5 } });
    assertProblems(s, [
      { path: 'federation.remoteServers', rule: messages.remoteServersForRemoteMembers('rooms.kinds[0]', 0.3), received: '0' },
      { path: 'rooms.kinds[1].remoteMemberShare', rule: messages.remoteShareWhenHostedRemotely(), received: '0' },
    ]);
  });

  it('a time-series bin fits in the run; rhythms have a positive weight; active classes come online', () => {
    const s = minimal();
    s.run = { days: 0.25, binMinutes: 720 };
    s.population.rhythm = { weekdayWeights: [0, 0, 0, 0, 0, 0, 0] };
    s.population.classes = [
      { name: 'a', share: 0.5, messagesPerDay: 3, onlinePropensity: 0 },
      { name: 'a', share: 0.5, messagesPerDay: 0, onlinePropensity: 0 },
    ];
    assertProblems(s, [
      { path: 'run.binMinutes', rule: messages.binWithinRun(0.25), received: '720' },
      { path: 'population.rhythm.weekdayWeights', rule: messages.somePositiveWeight(), received: '[0,0,0,0,0,0,0]' },
      { path: 'population.classes[0].onlinePropensity', rule: messages.onlineToAct('messagesPerDay', 3), received: '0' },
      { path: 'population.classes[1].name', rule: messages.uniqueName('class', 'population.classes[0]', 'a'), received: '"a"' },
    ]);
  });

  it('shares within 1e-6 of 1 pass', () => {
    const s = minimal();
    s.population.classes = [
      { name: 'a', share: 0.1, messagesPerDay: 1 },
      { name: 'b', share: 0.2, messagesPerDay: 1 },
      { name: 'c', share: 0.7, messagesPerDay: 1 },
    ];
    assert.ok(validateScenario(s).ok);
    s.population.classes[2].share = 0.69;
    assertProblems(s, [{ path: 'population.classes', rule: messages.sharesSumToOne(), received: messages.receivedShareSum(0.99) }]);
    assert.equal(messages.receivedShareSum(0.1 + 0.2), 'shares summing to 0.3');
  });

  it('skips a check whose fields are themselves invalid (no duplicate reports)', () => {
    const s = minimal();
    s.federation = 'open';
    s.rooms.kinds[0].remoteMemberShare = 0.5;
    assertProblems(s, [{ path: 'federation', rule: messages.wrongType('object', false, false), received: '"open"' }]);
  });
});

describe('suggest', () => {
  it('computes the optimal string alignment distance', () => {
    assert.equal(osaDistance('devicesPerUsr', 'devicesPerUser'), 1);
    assert.equal(osaDistance('ab', 'ba'), 1);
    assert.equal(osaDistance('ca', 'abc'), 3); // OSA, not unrestricted Damerau-Levenshtein (2)
    assert.equal(osaDistance('', 'abc'), 3);
    assert.equal(osaDistance('kitten', 'sitting'), 3);
  });
  it('suggests the closest name within max(2, length/3), ignoring case', () => {
    assert.equal(closest('devicesPerUsr', ['users', 'devicesPerUser']), 'devicesPerUser');
    assert.equal(closest('USERS', ['users']), 'users');
    assert.equal(closest('xyz', ['users', 'rooms']), undefined);
    assert.equal(closest('membershipsPrUsr', ['membershipsPerUser']), 'membershipsPerUser'); // 2 edits
  });
});

describe('loading files', () => {
  it('refuses bytes that are not UTF-8, at their line and byte (they would become U+FFFD without a word)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxsim-utf8-'));
    try {
      const file = join(dir, 's.json');
      // "description": "caf" then 0xC3 0x28: a two-byte sequence broken by "(".
      writeFileSync(file, Buffer.concat([Buffer.from('{\n  "description": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n}\n')]));
      await assert.rejects(loadScenarioFile(file), (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.equal(e.code, 'scenario.json');
        // Offset 23 (from 0): the 2 bytes of line 1, then 21 of line 2 (2 spaces, "description" 13, ": " 2, "caf 4) before it.
        assert.deepEqual(e.problems, [{ path: '(file)', rule: messages.utf8Text(), received: messages.notUtf8Byte(0xc3, 23, 2, 22) }]);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads a file, with overrides and a hash of the canonical input', () => {
    const text = JSON.stringify(minimal());
    const a = loadScenarioText(text, 'a.json');
    assert.equal(a.scenario.name, 'minimal');
    assert.equal(a.source, 'a.json');
    assert.equal(a.sha256, createHash('sha256').update(canonicalJson(minimal())).digest('hex'));
    // Key order does not change the hash; a changed value does.
    const { rooms, ...rest } = minimal();
    assert.equal(loadScenarioText(JSON.stringify({ rooms, ...rest }), 'b.json').sha256, a.sha256);
    const c = loadScenarioText(text, 'c.json', ['population.users=200']);
    assert.notEqual(c.sha256, a.sha256);
    assert.equal(c.scenario.population.users, 200);
  });

  it('gives the line and column of malformed JSON', async () => {
    const file = fixture('scenario-malformed.json');
    const err = await loadScenarioFile(file).then(
      () => assert.fail('expected a ScenarioError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ScenarioError);
    assert.equal(err.file, file);
    assert.equal(err.problems.length, 1);
    assert.equal(err.problems[0]!.path, messages.jsonLocation(5, 1));
    assert.equal(err.problems[0]!.received, '"}"');
    assert.equal(err.message.split('\n')[0], messages.jsonHeadline(file));
    assert.equal(err.message.split('\n')[1], `  ${formatProblem(err.problems[0]!)}`);
  });

  it('finds JSON errors wherever they are', () => {
    const at = (text: string) => {
      const r = parseJsonStrict(text, 'x.json');
      return r.ok ? undefined : { line: r.problems[0]!.line, column: r.problems[0]!.column };
    };
    assert.deepEqual(parseJsonStrict('{"a": [1, 2, {"b": null}], "c": "\\u00e9"}', 'x.json'), { ok: true, value: { a: [1, 2, { b: null }], c: 'é' } });
    assert.deepEqual(at('{\n  "a": 1\n  "b": 2\n}'), { line: 3, column: 3 });
    assert.deepEqual(at('{"a": tru}'), { line: 1, column: 7 });
    assert.deepEqual(at('{"a": [1, 2,]}'), { line: 1, column: 13 });
    assert.deepEqual(at('{\n"a": "open'), { line: 2, column: 11 }); // the end of the file
    assert.deepEqual(at(''), { line: 1, column: 1 });
    assert.throws(
      () => loadScenarioText('{"a" 1}', 'x.json'),
      (e: unknown) => e instanceof ScenarioError && e.problems[0]!.path === messages.jsonLocation(1, 6),
    );
  });

  it('reports a missing file clearly, without a stack trace', async () => {
    const file = fixture('does-not-exist.json');
    const err = await loadScenarioFile(file).then(
      () => assert.fail('expected a ScenarioError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ScenarioError);
    assert.deepEqual(err.problems, [{ path: '(file)', rule: messages.readableFile(), received: messages.fileError('ENOENT', '') }]);
    assert.equal(err.message, `${messages.unreadableHeadline(file)}\n  ${formatProblem(err.problems[0]!)}`);
  });

  it('lists every problem under the file name, indented', () => {
    const s = minimal();
    s.population.users = 0;
    s.run = { replications: 0 };
    assert.throws(
      () => loadScenarioText(JSON.stringify(s), 'two.json'),
      (e: unknown) =>
        e instanceof ScenarioError &&
        e.message ===
          [
            messages.fileHeadline('two.json', 2),
            `  ${formatProblem({ path: 'population.users', rule: messages.numberAtLeast(1), received: '0' })}`,
            `  ${formatProblem({ path: 'run.replications', rule: messages.numberAtLeast(1), received: '0' })}`,
          ].join('\n'),
    );
  });

  it('accepts a UTF-8 byte order mark', () => {
    assert.equal(loadScenarioText('\uFEFF' + JSON.stringify(minimal()), 'bom.json').scenario.name, 'minimal');
  });

  it('refuses a field twice and a number out of range as JSON, every one at its path, line and column', () => {
    const text = '{\n  "name": "a",\n  "name": "b",\n  "population": {"users": 1e999}\n}';
    assert.throws(
      () => loadScenarioText(text, 'dup.json'),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.equal(e.code, 'scenario.json');
        assert.deepEqual(e.problems, [
          { path: messages.jsonFieldLocation('name', 3, 3), rule: messages.uniqueField(2, 3), received: '"name"' },
          { path: messages.jsonFieldLocation('population.users', 4, 27), rule: messages.finiteNumber(), received: '1e999' },
        ]);
        assert.equal(e.message.split('\n')[0], messages.jsonRefusedHeadline('dup.json', 2));
        return true;
      },
    );
  });

  it('refuses 10,000 unclosed brackets as too deep, not with a stack overflow', () => {
    assert.throws(
      () => loadScenarioText('['.repeat(10_000), 'deep.json'),
      (e: unknown) =>
        e instanceof ScenarioError &&
        e.code === 'scenario.json' &&
        e.message ===
          `${messages.jsonRefusedHeadline('deep.json', 1)}\n  ${formatProblem({ path: messages.jsonLocation(1, 65), rule: messages.nestingAtMost(64), received: messages.receivedNesting(65) })}`,
    );
  });

  it('refuses "__proto__" in a file as an unknown field, leaving Object.prototype alone', () => {
    const s = minimal();
    const text = JSON.stringify(s).replace('{', '{"__proto__": {"polluted": 1}, ').replace('"population":{', '"population":{"constructor":{"prototype":{"polluted":2}},');
    assert.throws(
      () => loadScenarioText(text, 'proto.json'),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.equal(e.code, 'scenario.invalid');
        const rootFields = [
          '$schema',
          'name',
          'description',
          'population',
          'behaviour',
          'clients',
          'e2ee',
          'rooms',
          'federation',
          'features',
          'calls',
          'components',
          'timeline',
          'run',
          'cost',
        ];
        assert.deepEqual([...e.problems].sort(byPath), [
          { path: '__proto__', rule: messages.unknownField(undefined, rootFields), received: '{"polluted":1}' },
          {
            path: 'population.constructor',
            rule: messages.unknownField(undefined, ['users', 'growthPerMonth', 'devicesPerUser', 'mobileDeviceShare', 'classes', 'rhythm', 'peakOnlineShare', 'sessionMinutes']),
            received: '{"prototype":{"polluted":2}}',
          },
        ]);
        return true;
      },
    );
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses a file larger than 10 MiB from its size, without reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxsim-large-'));
    try {
      const file = join(dir, 'large.json');
      // A sparse file: 10 MiB + 1 byte long, nothing written.
      writeFileSync(file, '');
      truncateSync(file, MAX_SCENARIO_FILE_BYTES + 1);
      const err = await loadScenarioFile(file).then(
        () => assert.fail('expected a ScenarioError'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ScenarioError);
      assert.equal(err.code, 'input.unreadable');
      assert.equal(
        err.message,
        `${messages.tooLargeHeadline(file)}\n  ${formatProblem({ path: '(file)', rule: messages.fileAtMost(10_485_760), received: messages.receivedFileBytes(10_485_761, false) })}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops reading a file of unknown size at 10 MiB', { skip: !existsSync('/dev/zero') }, async () => {
    const err = await loadScenarioFile('/dev/zero').then(
      () => assert.fail('expected a ScenarioError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ScenarioError);
    assert.deepEqual(err.problems, [{ path: '(file)', rule: messages.fileAtMost(MAX_SCENARIO_FILE_BYTES), received: messages.receivedFileBytes(MAX_SCENARIO_FILE_BYTES, true) }]);
  });
});
