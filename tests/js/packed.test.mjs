// Structured values cross into the data-walking engines packed (npm/bridle/src/packed.js,
// core/src/template/packed.rs): what arrives must be exactly what JSON.stringify would write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render, InvalidArgumentError } from 'bridle';

/** The value as the engine received it, read back through Jinja's tojson. */
const arrived = (v) => JSON.parse(render('{{ v|tojson }}', { v }, { syntax: 'jinja' }));
/** What JSON.stringify makes of it. */
const viaJson = (v) => JSON.parse(JSON.stringify(v));

test('values arrive as JSON.stringify would write them', () => {
  class Point {
    constructor() {
      this.x = 1;
      this.hidden = undefined;
    }
  }
  const cases = [
    [1, 'two', null, true, false, { nested: ['é', '😀', ''] }],
    { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t')] },
    { date: new Date(Date.UTC(2025, 0, 2)), boxed: [new Number(3), new String('s'), new Boolean(false)] },
    { nan: NaN, inf: -Infinity, negZero: -0, big: 2 ** 53, frac: 0.1, neg: -7 },
    { custom: { toJSON: (key) => `key:${key}` }, list: [{ toJSON: (key) => `at ${key}` }] },
    { point: new Point(), map: new Map([[1, 2]]), set: new Set([1]) },
    { '10': 'a', '2': 'b', z: 'c', 'long text': 'x'.repeat(5000) },
    [[[[[[['deep']]]]]]],
    { sparse: [1, , 3] }, // eslint-disable-line no-sparse-arrays
  ];
  for (const value of cases) assert.deepEqual(arrived(value), viaJson(value), JSON.stringify(value).slice(0, 80));
});

test('numbers keep their kind: integers print as integers, others as floats', () => {
  const out = render('{% for n in v %}{{ n }} {% endfor %}', { v: [1, -2, 2.5, 4294967296, 0.1 + 0.2] }, { syntax: 'jinja' });
  assert.equal(out, '1 -2 2.5 4294967296 0.30000000000000004 ');
  assert.equal(render('{{#v}}{{.}},{{/v}}', { v: [1, 2.5, 1e21, -0] }, { syntax: 'mustache' }), '1,2.5,1e+21,0,');
});

test('what JSON.stringify refuses is an invalid_data error naming the variable', () => {
  const cyclic = { name: 'loop' };
  cyclic.self = cyclic;
  assert.throws(() => render('{{ v }}', { v: cyclic }, { syntax: 'jinja' }),
    (e) => e instanceof InvalidArgumentError && e.code === 'invalid_data' && e.details.variable === 'v');
  assert.throws(() => render('{{ v }}', { v: { n: 1n } }, { syntax: 'jinja' }),
    (e) => e.code === 'invalid_data' && /BigInt/.test(e.message));
  assert.equal(render('{{ v }}', { v: 'ok' }, { syntax: 'jinja' }), 'ok');
});

test('a value whose toJSON gives undefined is missing', () => {
  assert.equal(render('[{{ v }}]', { v: { toJSON: () => undefined } }, { syntax: 'jinja' }), '[]');
});

test('large values grow the buffer mid-value', () => {
  const docs = Array.from({ length: 300 }, (_, i) => ({ id: i, body: `é${'x'.repeat(1000)}${i}` }));
  const out = render('{% for d in docs %}{{ d.body[-3:] }}{% endfor %}', { docs }, { syntax: 'jinja' });
  assert.equal(out, docs.map((d) => d.body.slice(-3)).join(''));
});
