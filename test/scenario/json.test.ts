/**
 * The strict JSON reader (src/scenario/json.ts): what JSON.parse accepts it
 * reads the same, what JSON.parse would silently change it refuses as
 * written, and no input, however deep, reaches the stack limit.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { formatJsonProblem, lineAndColumn, MAX_JSON_DEPTH, parseJsonStrict, type JsonProblem } from '../../src/scenario/json.js';
import { messages } from '../../src/scenario/messages.js';

const problemsOf = (text: string): JsonProblem[] => {
  const r = parseJsonStrict(text, 'f.json');
  assert.equal(r.ok, false, `expected ${JSON.stringify(text.slice(0, 40))} to be refused`);
  return r.ok ? [] : r.problems;
};
/** The fields a test states, of each problem. */
const brief = (p: JsonProblem) => ({ kind: p.kind, line: p.line, column: p.column, path: p.path, rule: p.rule, received: p.received });

describe('parseJsonStrict', () => {
  it('reads what JSON.parse reads, the same way, including every shipped scenario', () => {
    const scenarios = new URL('../../scenarios/', import.meta.url);
    const texts = [
      '{"a": [1, 2, {"b": null}], "c": "\\u00e9\\n", "d": -0.5e3, "e": true, "f": false}',
      '[]',
      '{}',
      ' [[], {}] ',
      '"x"',
      '0',
      '-0',
      '9007199254740991',
      '1e308',
      '5e-324',
      ...readdirSync(scenarios).map((f) => readFileSync(new URL(f, scenarios), 'utf8')),
    ];
    for (const text of texts) assert.deepEqual(parseJsonStrict(text, 'f.json'), { ok: true, value: JSON.parse(text) as unknown }, text.slice(0, 40));
  });

  it('skips a byte order mark, counting columns after it', () => {
    assert.deepEqual(parseJsonStrict('\uFEFF{"a": 1}', 'f.json'), { ok: true, value: { a: 1 } });
    assert.equal(problemsOf('\uFEFF{"a" 1}')[0]!.column, 6);
  });

  it('gives the line, column and expectation of the first syntax error, and stops there', () => {
    // Offsets counted by hand.
    const first = (text: string) => brief(problemsOf(text)[0]!);
    assert.deepEqual(first('{\n  "a": 1\n  "b": 2\n}'), { kind: 'syntax', line: 3, column: 3, path: [], rule: messages.jsonAfterField(), received: '"\\""' });
    assert.deepEqual(first('{"a": [1, 2,]}'), { kind: 'syntax', line: 1, column: 13, path: [], rule: messages.jsonItemAfterComma(), received: '"]"' });
    assert.deepEqual(first('{"a":1,}'), { kind: 'syntax', line: 1, column: 8, path: [], rule: messages.jsonFieldName(true), received: '"}"' });
    assert.deepEqual(first('{\n"a": "open'), { kind: 'syntax', line: 2, column: 11, path: [], rule: messages.jsonClosingQuote(), received: messages.receivedJsonText('') });
    assert.equal(first('').rule, messages.jsonValue());
    assert.equal(first('{"a": tru}').column, 7);
    assert.equal(first('[1] x').rule, messages.jsonNothingAfter());
    assert.equal(first('"a\\x"').rule, messages.jsonEscape());
    assert.equal(first('"a\nb"').rule, messages.jsonQuoteBeforeLineEnd());
    assert.equal(first('"\\u12"').rule, messages.jsonHexDigits());
    assert.equal(first('{"a" 1}').rule, messages.jsonColon());
    assert.equal(first('{,}').rule, messages.jsonFieldName(false));
    assert.equal(first('[1 2]').rule, messages.jsonAfterItem());
  });

  it('refuses a field twice in one object, at the second, with the path and the first position', () => {
    const text = '{\n  "population": {\n    "users": 1,\n    "users": 2\n  },\n  "population": {}\n}';
    assert.deepEqual(problemsOf(text).map(brief), [
      { kind: 'duplicate', line: 4, column: 5, path: ['population', 'users'], rule: messages.uniqueField(3, 5), received: '"users"' },
      { kind: 'duplicate', line: 6, column: 3, path: ['population'], rule: messages.uniqueField(2, 3), received: '"population"' },
    ]);
    // The same name written with an escape is the same field; the name is shown as written.
    assert.deepEqual(brief(problemsOf('{"a": 1, "\\u0061": 2}')[0]!), {
      kind: 'duplicate',
      line: 1,
      column: 10,
      path: ['a'],
      rule: messages.uniqueField(1, 2),
      received: '"\\u0061"',
    });
    // Equal names in different objects are not duplicates.
    assert.ok(parseJsonStrict('{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}', 'f.json').ok);
  });

  it('refuses numbers a double cannot hold, as written', () => {
    assert.deepEqual(problemsOf('{"users": 1e999, "x": [-1E+400, 1e-400, 12345678901234567890]}').map(brief), [
      { kind: 'number', line: 1, column: 11, path: ['users'], rule: messages.finiteNumber(), received: '1e999' },
      { kind: 'number', line: 1, column: 24, path: ['x', 0], rule: messages.finiteNumber(), received: '-1E+400' },
      { kind: 'number', line: 1, column: 33, path: ['x', 1], rule: messages.nonZeroNumber(), received: '1e-400' },
      { kind: 'number', line: 1, column: 41, path: ['x', 2], rule: messages.exactInteger(), received: '12345678901234567890' },
    ]);
    // 0 written in any way is 0, and 2^53 - 1 is exact.
    assert.deepEqual(parseJsonStrict('[0e999, 0.000, -0e-5, 9007199254740991, 1.5e300]', 'f.json'), { ok: true, value: [0, 0, -0, 9007199254740991, 1.5e300] });
  });

  it('refuses more than MAX_JSON_DEPTH levels at the first one too many, without recursion', () => {
    // 10,000 unclosed [ and a 5,000-deep array: one problem at the 65th [, in microseconds.
    const started = performance.now();
    for (const text of ['['.repeat(10_000), `${'['.repeat(5000)}${']'.repeat(5000)}`, '{"a":'.repeat(10_000)]) {
      const problems = problemsOf(text);
      assert.equal(problems.length, 1);
      assert.deepEqual(
        { kind: problems[0]!.kind, rule: problems[0]!.rule, received: problems[0]!.received },
        { kind: 'depth', rule: messages.nestingAtMost(MAX_JSON_DEPTH), received: messages.receivedNesting(MAX_JSON_DEPTH + 1) },
      );
    }
    assert.equal(problemsOf('['.repeat(10_000))[0]!.column, MAX_JSON_DEPTH + 1);
    assert.ok(performance.now() - started < 1000, `${performance.now() - started} ms`);
    // Exactly MAX_JSON_DEPTH levels are fine.
    assert.ok(parseJsonStrict(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, 'f.json').ok);
  });

  it('keeps "__proto__" as an ordinary field, never as the prototype', () => {
    const r = parseJsonStrict('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}}', 'f.json');
    assert.ok(r.ok);
    const value = r.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { polluted: 1 });
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });

  it('collects every duplicate and number before a syntax error, and formats each as file:line:column', () => {
    const problems = problemsOf('{"a": 1e999, "a": 2, "b": }');
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['number', 'duplicate', 'syntax'],
    );
    assert.equal(formatJsonProblem(problems[0]!), `f.json:1:7: a: expected ${messages.finiteNumber()}, got 1e999`);
    assert.equal(formatJsonProblem(problems[2]!), `f.json:1:27: expected ${messages.jsonValue()}, got "}"`);
  });

  it('computes lines and columns', () => {
    assert.deepEqual(lineAndColumn('ab\ncd\n', 4), { line: 2, column: 2 });
    assert.deepEqual(lineAndColumn('ab\ncd\n', 6), { line: 3, column: 1 });
    assert.deepEqual(lineAndColumn('', 0), { line: 1, column: 1 });
  });
});
