import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenarioText, ScenarioError } from '../../src/scenario/load.js';
import { applyOverrides, parseOverrideValue, parsePath } from '../../src/scenario/overrides.js';
import { messages } from '../../src/scenario/messages.js';
import type { Problem } from '../../src/scenario/problem.js';

/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return --
   These tests edit scenario documents as untyped JSON, wrong shapes included, so minimal() is `any` on purpose. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function minimal(): any {
  return {
    name: 'minimal',
    description: 'smallest valid scenario',
    population: { users: 100 },
    rooms: { kinds: [{ name: 'team', count: 5, members: { kind: 'deterministic', value: 10 } }] },
  };
}

function applyOk(sets: string[], input: unknown = minimal()) {
  const { value, problems } = applyOverrides(input, sets);
  assert.deepEqual(problems, []);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return value as any;
}

const setProblem = (rule: string, text: string): Problem => ({ path: '--set', rule, received: JSON.stringify(text) });

/** The fields of a room kind and of a distribution of any kind, in the grammar's order (src/scenario/grammar.ts). */
const knownRoomKindFields = [
  'name',
  'count',
  'membershipsPerUser',
  'members',
  'membersShare',
  'remoteMemberShare',
  'encryptedShare',
  'mutedShare',
  'activityWeight',
  'baseStateEvents',
  'hostedRemotely',
  'joinRule',
  'historicMemberFactor',
  'remoteMessagesPerMemberPerDay',
  'localMembers',
  'remoteServers',
  'currentStateEvents',
  'historicStateEvents',
  'joinAt',
  'retention',
];
const distributionFields = ['kind', 'value', 'mean', 'min', 'max', 'cv', 'alpha', 'values', 'weights'];

describe('parsePath', () => {
  it('parses keys and indexes', () => {
    assert.deepEqual(parsePath('rooms.kinds[0].members.value'), ['rooms', 'kinds', 0, 'members', 'value']);
    assert.deepEqual(parsePath('$schema'), ['$schema']);
    assert.deepEqual(parsePath('a[1][2]'), ['a', 1, 2]);
    for (const bad of ['', 'a..b', '.a', 'a.', '[0]', 'a[x]', 'a[-1]', 'a b', 'a.1']) assert.equal(parsePath(bad), undefined, bad);
  });
});

describe('applyOverrides', () => {
  it('sets numbers, booleans, strings, null and nested array elements', () => {
    const v = applyOk([
      'population.users=500',
      'rooms.kinds[0].count=10',
      'features.presence=false',
      'run.seed=abc',
      'description="quoted, with = sign"',
      'features.retentionDays=null',
      'rooms.kinds[0].members={"kind":"uniform","min":2,"max":8}',
    ]);
    assert.equal(v.population.users, 500);
    assert.equal(v.rooms.kinds[0].count, 10);
    assert.equal(v.features.presence, false);
    assert.equal(v.run.seed, 'abc');
    assert.equal(v.description, 'quoted, with = sign');
    assert.equal(v.features.retentionDays, null);
    assert.deepEqual(v.rooms.kinds[0].members, { kind: 'uniform', min: 2, max: 8 });
  });

  it('parses the value as JSON when it can, else keeps the text', () => {
    assert.deepEqual(parseOverrideValue('12'), { value: 12 });
    assert.deepEqual(parseOverrideValue('1e3'), { value: 1000 });
    assert.deepEqual(parseOverrideValue('true'), { value: true });
    assert.deepEqual(parseOverrideValue('"12"'), { value: '12' });
    assert.deepEqual(parseOverrideValue('team-50'), { value: 'team-50' });
    assert.deepEqual(parseOverrideValue(''), { value: '' });
  });

  it('does not change its input, and applies sets in order', () => {
    const input = minimal();
    const v = applyOk(['population.users=1', 'population.users=2'], input);
    assert.equal(v.population.users, 2);
    assert.equal(input.population.users, 100);
  });

  it('reports malformed sets at --set and applies the others', () => {
    const { value, problems } = applyOverrides(minimal(), [
      'population.users',
      'rooms..count=1',
      'rooms.kinds[x]=1',
      '=5',
      'rooms.kinds[3].count=1',
      'population.users.max=1',
      'rooms.kinds.count=1',
      'behaviour.media[0]=1',
      'population.devicesPerUser=3',
    ]);
    assert.deepEqual(problems, [
      setProblem(messages.setForm(), 'population.users'),
      setProblem(messages.setPath(), 'rooms..count=1'),
      setProblem(messages.setPath(), 'rooms.kinds[x]=1'),
      setProblem(messages.setPath(), '=5'),
      setProblem(messages.setExistingIndex('rooms.kinds', 1), 'rooms.kinds[3].count=1'),
      setProblem(messages.setInto('population.users', false), 'population.users.max=1'),
      setProblem(messages.setInto('rooms.kinds', false), 'rooms.kinds.count=1'),
      setProblem(messages.setInto('behaviour.media', true), 'behaviour.media[0]=1'),
    ]);
    assert.equal((value as ReturnType<typeof minimal>).population.devicesPerUser, 3);
  });

  it('an override producing an invalid value is reported at its path, like a file problem', () => {
    const text = JSON.stringify(minimal());
    assert.throws(
      () => loadScenarioText(text, 'f.json', ['population.users=-5', 'population.devicesPerUsr=3', 'rooms.kinds[0].members.value=abc', 'bad']),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        // The overrides' own problems first, in the order given, then validation's.
        assert.deepEqual(e.problems, [
          { path: '--set population.devicesPerUsr', rule: messages.unknownField('devicesPerUser', []), received: '3' },
          setProblem(messages.setForm(), 'bad'),
          { path: 'population.users', rule: messages.numberAtLeast(1), received: '-5' },
          { path: 'rooms.kinds[0].members.value', rule: messages.wrongType('number', false, false), received: '"abc"' },
        ]);
        return true;
      },
    );
  });

  it('refuses prototype keys anywhere in a path, as unknown fields, all at once, and pollutes nothing', () => {
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
    const { value, problems } = applyOverrides(minimal(), [
      '__proto__.polluted=1',
      '__proto__.toString=1',
      '__proto__=1',
      'constructor.prototype.polluted=1',
      'population.constructor=1',
      'rooms.kinds[0].prototype=1',
    ]);
    assert.deepEqual(problems, [
      { path: '--set __proto__', rule: messages.unknownField(undefined, rootFields), received: '{"polluted":1}' },
      { path: '--set __proto__', rule: messages.unknownField(undefined, rootFields), received: '{"toString":1}' },
      { path: '--set __proto__', rule: messages.unknownField(undefined, rootFields), received: '1' },
      { path: '--set constructor', rule: messages.unknownField(undefined, rootFields), received: '{"prototype":{"polluted":1}}' },
      {
        path: '--set population.constructor',
        rule: messages.unknownField(undefined, ['users', 'growthPerMonth', 'devicesPerUser', 'mobileDeviceShare', 'classes', 'rhythm', 'peakOnlineShare', 'sessionMinutes']),
        received: '1',
      },
      { path: '--set rooms.kinds[0].prototype', rule: messages.unknownField(undefined, knownRoomKindFields), received: '1' },
    ]);
    assert.deepEqual(value, minimal(), 'nothing applied');
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    assert.equal(typeof Object.prototype.toString, 'function');
  });

  it('refuses prototype keys inside an object value at their own path', () => {
    const { problems } = applyOverrides(minimal(), ['rooms.kinds[0].members={"kind":"uniform","min":2,"max":8,"__proto__":{"polluted":1}}', 'population.users={"constructor":1}']);
    assert.deepEqual(problems, [
      { path: '--set rooms.kinds[0].members.__proto__', rule: messages.unknownField(undefined, distributionFields), received: '{"polluted":1}' },
      { path: '--set population.users.constructor', rule: messages.unknownField(undefined, []), received: '1' },
    ]);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });

  it("refuses a path the grammar does not define, with the loader's did-you-mean, and sets nothing", () => {
    const { value, problems } = applyOverrides(minimal(), ['population.devicesPerUsr=3', 'populaton.users=5', 'rooms.kinds[0].members.valeu=4', 'run.server.workers.synk=2']);
    assert.deepEqual(problems, [
      { path: '--set population.devicesPerUsr', rule: messages.unknownField('devicesPerUser', []), received: '3' },
      { path: '--set populaton', rule: messages.unknownField('population', []), received: '{"users":5}' },
      { path: '--set rooms.kinds[0].members.valeu', rule: messages.unknownField('value', []), received: '4' },
      { path: '--set run.server.workers.synk', rule: messages.unknownField('sync', []), received: '2' },
    ]);
    assert.deepEqual(value, minimal());
    // A field of any kind of distribution, an item of any list: defined (validation judges the result).
    const v = applyOk(['rooms.kinds[0].members.min=3', 'population.rhythm.timeZoneSpreadHours=2', 'cost.rates=["USD:EUR=0.9"]', 'cost.rates[0]="USD:GBP=0.8"']);
    assert.equal(v.rooms.kinds[0].members.min, 3);
    assert.deepEqual(v.cost.rates, ['USD:GBP=0.8']);
  });

  it('reads the value strictly: a number out of range as written, a field twice (its first at a column of the value)', () => {
    const { value, problems } = applyOverrides(minimal(), [
      'population.users=1e999',
      'rooms.kinds[0].members={"kind":"deterministic","value":2,"value":3}',
      'population.users=12345678901234567890',
    ]);
    assert.deepEqual(problems, [
      { path: '--set population.users', rule: messages.finiteNumber(), received: '1e999' },
      { path: '--set rooms.kinds[0].members.value', rule: messages.uniqueField(1, 25), received: '"value"' },
      { path: '--set population.users', rule: messages.exactInteger(), received: '12345678901234567890' },
    ]);
    assert.deepEqual(value, minimal());
    // Text that is not JSON stays a string, as before.
    assert.equal(applyOk(['run.seed=1e999x']).run.seed, '1e999x');
  });

  it('a --set refused by the loader exits with scenario.invalid and lists every problem', () => {
    assert.throws(
      () => loadScenarioText(JSON.stringify(minimal()), 'f.json', ['__proto__.polluted=1', '__proto__.toString=1', '__proto__=1', 'population.users=1e999']),
      (e: unknown) => e instanceof ScenarioError && e.code === 'scenario.invalid' && e.problems.length === 4 && e.message.split('\n')[0] === messages.fileHeadline('f.json', 4),
    );
  });

  it('an override can make an invalid file valid', () => {
    const s = minimal();
    s.population.users = 0;
    const loaded = loadScenarioText(JSON.stringify(s), 'f.json', ['population.users=50']);
    assert.equal(loaded.scenario.population.users, 50);
  });
});
