// The cross-backend comparison is only as strict as its observations: values that JSON.stringify
// merges or drops must stay apart, every error field must be kept, and a difference must be
// found and located.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snapshot, outcome, digest } from './observe.mjs';
import { firstDifference, hasError, isEmptyOutput } from './compare.mjs';

const same = (a, b) => JSON.stringify(snapshot(a)) === JSON.stringify(snapshot(b));

test('values JSON.stringify merges or drops stay apart', () => {
  const pairs = [
    [{ a: undefined }, {}],
    [[undefined], [null]],
    [0, -0],
    [NaN, null],
    [Infinity, null],
    [1n, 1],
    ['\ud800', '\ufffd'],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [new Uint8Array([1]), Buffer.from([1])],
    [new Uint32Array([1]), [1]],
    [Object.freeze(['x']), ['x']],
    [new Date(0), new Date(0).toISOString()],
    [[, 1], [undefined, 1]], // eslint-disable-line no-sparse-arrays
    [Object.create(null), {}],
    ['x'.repeat(5000), `${'x'.repeat(4999)}y`],
  ];
  for (const [i, [a, b]] of pairs.entries()) assert.ok(!same(a, b), `pair ${i}`);
  assert.ok(same({ a: [1, 'é'] }, { a: [1, 'é'] }));
  assert.notEqual(JSON.stringify(digest({ a: 1 })), JSON.stringify(digest({ a: 2 })));
});

test('every field of an error is observed, and its class', () => {
  class TemplateSyntaxError extends Error {}
  const make = (fields) => {
    const error = new TemplateSyntaxError('bad');
    Object.assign(error, { code: 'template_syntax', line: 1, column: 2, offset: 1, details: { reason: 'x' } }, fields);
    return error;
  };
  const base = outcome(() => {
    throw make({});
  });
  assert.equal(base.error.class, 'TemplateSyntaxError');
  for (const fields of [{ code: 'other' }, { line: 2 }, { column: 3 }, { offset: 0 }, { details: { reason: 'y' } }, { message: 'worse' }, { name: 'Other' }]) {
    const other = outcome(() => {
      throw make(fields);
    });
    assert.ok(firstDifference(base, other), JSON.stringify(fields));
  }
  const withCause = outcome(() => {
    const error = make({});
    Object.defineProperty(error, 'cause', { value: new TypeError('inner') });
    throw error;
  });
  assert.equal(firstDifference(base, withCause).path, '.error.cause');
  assert.ok(hasError({ ok: { steps: [1, base.error] } }));
  assert.ok(!hasError({ ok: { steps: [1, 'error'] } }));
});

test('differences are located, and empty outputs recognised', () => {
  assert.equal(firstDifference({ ok: { a: [1, 2] } }, { ok: { a: [1, 3] } }).path, '.ok.a[1]');
  assert.equal(firstDifference({ ok: 1 }, { ok: 1 }), null);
  assert.ok(isEmptyOutput({ $: 'frozen', v: [] }));
  assert.ok(isEmptyOutput([[], '', { $: 'undefined' }]));
  assert.ok(!isEmptyOutput([[], 'x']));
  assert.ok(!isEmptyOutput(0));
});
