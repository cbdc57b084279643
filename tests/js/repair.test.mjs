// repairJson and extractJson through the public API: each repair kind reported at its place
// (UTF-16 positions), values equal to JSON.parse of the repaired text, chatty answers found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repairJson, extractJson, JsonParseError, InvalidArgumentError, LimitExceededError } from 'bridle';

const CASES = [
  ['[1, 2,]', [1, 2], ['trailing_comma']],
  ['[1 2]', [1, 2], ['missing_comma']],
  ['{"a" 1}', { a: 1 }, ['missing_colon']],
  ["['it\\'s']", ["it's"], ['single_quotes']],
  ['{“a”: “b”}', { a: 'b' }, ['smart_quotes', 'smart_quotes']],
  ['{a: 1}', { a: 1 }, ['unquoted_key']],
  ['[True, False, None]', [true, false, null], ['python_literal', 'python_literal', 'python_literal']],
  ['[undefined, NaN, -Infinity]', [null, null, null], ['undefined', 'non_finite_number', 'non_finite_number']],
  ['[+1, .5, 0x10]', [1, 0.5, 16], ['number_format', 'number_format', 'number_format']],
  ['["a\\qb"]', ['a\\qb'], ['invalid_escape']],
  ['["two\nlines"]', ['two\nlines'], ['unescaped_control']],
  ['{"a": 1 /* c */} // end', { a: 1 }, ['comment', 'comment']],
  ['{"items": [{"name": "Ad', { items: [{ name: 'Ad' }] }, ['truncated']],
  ['{"a": 1, "b":', { a: 1 }, ['truncated']],
  ['"\\ud83d\\ude80 and \\ud83d', '🚀 and ', ['truncated']],
];

test('every repair kind, with the value JSON.parse gives for the repaired text', () => {
  for (const [text, value, kinds] of CASES) {
    const result = repairJson(text);
    assert.deepEqual(result.value, value, text);
    assert.deepEqual(JSON.parse(result.json), value, text);
    assert.deepEqual(result.repairs.map((r) => r.kind), kinds, text);
  }
  const valid = '{"a": [1, "x\\u00e9"], "b": null}';
  assert.deepEqual(repairJson(valid).repairs, []);
  assert.deepEqual(repairJson(valid).value, JSON.parse(valid));
});

test('repairs are placed in UTF-16 units, as JavaScript indexes strings', () => {
  const text = '{"🚀": 1,\n  b: 2,}';
  const { repairs } = repairJson(text);
  assert.deepEqual(repairs, [
    { kind: 'unquoted_key', line: 2, column: 3, offset: 12 },
    { kind: 'trailing_comma', line: 2, column: 7, offset: 16 },
  ]);
  assert.equal(text[12], 'b');
  assert.equal(text[16], ',');
});

test('unrepairable text is a JsonParseError at its place', () => {
  assert.throws(() => repairJson('{"a": @}'), (e) => e instanceof JsonParseError && e.column === 7 && e.details.found === '@');
  assert.throws(() => repairJson('   '), JsonParseError);
  assert.throws(() => repairJson('[1] and more'), JsonParseError);
  assert.throws(() => repairJson('['.repeat(1000)), LimitExceededError);
  assert.throws(() => repairJson(42), InvalidArgumentError);
});

test('extractJson finds the value in chatty answers', () => {
  const answer = 'Sure! Here it is:\n```json\n{"name": "Ada", "langs": ["en",]}\n```\nAnything else?';
  const found = extractJson(answer);
  assert.deepEqual(found.value, { name: 'Ada', langs: ['en'] });
  assert.deepEqual(found.repairs.map((r) => r.kind), ['leading_text', 'trailing_comma', 'trailing_text']);
  assert.equal(answer.slice(found.start, found.end), '{"name": "Ada", "langs": ["en",]}');

  const prose = 'I think [this] is it: {"ok": true} 🚀 and [1, 2].';
  const first = extractJson(prose);
  assert.deepEqual(first.value, { ok: true });
  assert.equal(prose.slice(first.start, first.end), '{"ok": true}');
  const all = extractJson(prose, { all: true });
  assert.deepEqual(all.map((f) => f.value), [{ ok: true }, [1, 2]]);
  assert.equal(prose.slice(all[1].start, all[1].end), '[1, 2]');

  assert.deepEqual(extractJson('```json\n{"items": [1, 2').value, { items: [1, 2] }, 'a cut-off answer');
  assert.throws(() => extractJson('no JSON here'), JsonParseError);
  assert.deepEqual(extractJson('nothing', { all: true }), []);
  assert.throws(() => extractJson('{}', { every: true }), InvalidArgumentError);
});

test('every prefix of a document is repaired into valid JSON or refused with a typed error', () => {
  const doc = JSON.stringify({ id: 'r1', items: [{ title: 'a "quoted" é 🚀', n: -1.5e-3, ok: true, tags: ['x', null] }], done: false });
  let repaired = 0;
  for (let cut = 1; cut <= doc.length; cut++) {
    const prefix = doc.slice(0, cut);
    try {
      const { value, json } = repairJson(prefix);
      assert.deepEqual(value, JSON.parse(json));
      repaired++;
    } catch (error) {
      assert.ok(error instanceof JsonParseError, `${prefix}: ${error}`);
    }
  }
  assert.ok(repaired >= doc.length - 2, `${repaired} of ${doc.length} prefixes repaired`);
});
