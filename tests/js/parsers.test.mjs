// Lists, key: value fields and tagged sections through the public API, on both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseList, parseFields, parseTagged, TaggedStream, InvalidArgumentError } from 'bridle';

test('lists: numbered, bulleted, continued, inline', () => {
  assert.deepEqual(parseList('Here are three:\n1. Alpha\n2) Beta\n   continued\n3. Gamma\n\nThanks!'), ['Alpha', 'Beta continued', 'Gamma']);
  assert.deepEqual(parseList('- **one**\n* two\n• three'), ['one', 'two', 'three']);
  assert.deepEqual(parseList('red, green, and blue.'), ['red', 'green', 'blue']);
  assert.deepEqual(parseList(''), []);
  assert.throws(() => parseList(null), InvalidArgumentError);
});

test('fields: labels, bold labels, continuation lines, URLs and times are not labels', () => {
  const text = 'Sure.\n**Answer:** yes\nReason: cheap\n  and fast, see https://x.y\nAt 10:30 it ran\n__proto__: x\nAnswer: no';
  const fields = parseFields(text);
  assert.deepEqual(Object.keys(fields), ['Answer', 'Reason', '__proto__']);
  assert.equal(fields.Answer, 'no');
  assert.equal(fields.Reason, 'cheap\nand fast, see https://x.y\nAt 10:30 it ran');
  assert.equal(Object.getPrototypeOf(fields), Object.prototype, 'a __proto__ label stays data');
  assert.deepEqual(parseFields(text, { all: true })[0], ['Answer', 'yes']);
});

test('tagged sections, whole and streamed at every split', () => {
  const text = '<thinking>a < b <i>x</i></thinking>\n<answer lang="en">Yes é 🚀</answer> trailing <note>cut';
  const whole = parseTagged(text);
  assert.deepEqual(whole, [
    { tag: 'thinking', attributes: {}, content: 'a < b <i>x</i>', complete: true },
    { tag: 'answer', attributes: { lang: 'en' }, content: 'Yes é 🚀', complete: true },
    { tag: 'note', attributes: {}, content: 'cut', complete: false },
  ]);
  assert.deepEqual(parseTagged(text, { tags: ['answer'] }).map((s) => s.tag), ['answer']);
  for (let cut = 0; cut <= text.length; cut++) {
    const stream = new TaggedStream();
    const events = [...stream.push(text.slice(0, cut)), ...stream.push(text.slice(cut)), ...stream.end()];
    stream.free();
    const closed = events.filter((e) => e.type === 'close').map(({ type, ...section }) => section);
    assert.deepEqual(closed, whole, `cut at ${cut}`);
    const answerText = events.filter((e) => e.type === 'text' && e.tag === 'answer').map((e) => e.text).join('');
    assert.equal(answerText, 'Yes é 🚀');
  }
  assert.throws(() => new TaggedStream({ tags: ['not a tag'] }), InvalidArgumentError);
  assert.throws(() => parseTagged('x', { nope: 1 }), InvalidArgumentError);
});
