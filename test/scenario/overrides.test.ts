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
    assert.equal(parseOverrideValue('12'), 12);
    assert.equal(parseOverrideValue('1e3'), 1000);
    assert.equal(parseOverrideValue('true'), true);
    assert.equal(parseOverrideValue('"12"'), '12');
    assert.equal(parseOverrideValue('team-50'), 'team-50');
    assert.equal(parseOverrideValue(''), '');
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
      setProblem(messages.setExistingIndex('behaviour.media', 0), 'behaviour.media[0]=1'),
    ]);
    assert.equal((value as ReturnType<typeof minimal>).population.devicesPerUser, 3);
  });

  it('an override producing an invalid value is reported at its path, like a file problem', () => {
    const text = JSON.stringify(minimal());
    assert.throws(
      () => loadScenarioText(text, 'f.json', ['population.users=-5', 'population.devicesPerUsr=3', 'rooms.kinds[0].members.value=abc', 'bad']),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.deepEqual(e.problems, [
          setProblem(messages.setForm(), 'bad'),
          { path: 'population.users', rule: messages.numberAtLeast(1), received: '-5' },
          { path: 'population.devicesPerUsr', rule: messages.unknownField('devicesPerUser', []), received: '3' },
          { path: 'rooms.kinds[0].members.value', rule: messages.wrongType('number', false, false), received: '"abc"' },
        ]);
        return true;
      },
    );
  });

  it('an override can make an invalid file valid', () => {
    const s = minimal();
    s.population.users = 0;
    const loaded = loadScenarioText(JSON.stringify(s), 'f.json', ['population.users=50']);
    assert.equal(loaded.scenario.population.users, 50);
  });
});
