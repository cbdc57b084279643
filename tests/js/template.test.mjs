// Templates through the public API, on the backend BRIDLE_BACKEND selects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, render, backend, TemplateRenderError, InvalidArgumentError, BridleError } from 'bridle';
import { loadVectors, wantedBackend } from './helpers.mjs';
import { runCase } from '../vectors/index.mjs';

test('the requested backend is the live one', () => {
  assert.ok(['native', 'wasm'].includes(backend));
  if (wantedBackend) assert.equal(backend, wantedBackend);
});

const fstring = loadVectors('fstring.json');
for (const testCase of fstring.cases) {
  test(`vector: ${testCase.name}`, () => {
    const result = runCase(Template, fstring.syntax, testCase);
    assert.ok(result.ok, result.problems.join('\n'));
  });
}

test('variables are frozen and listed once in order of first use', () => {
  const template = Template.compile('{b} {a} {b}');
  assert.deepEqual(template.variables, ['b', 'a']);
  assert.ok(Object.isFrozen(template.variables));
  assert.equal(template.syntax, 'fstring');
  assert.equal(Template.compile('x', { syntax: 'f-string' }).syntax, 'fstring');
});

test('values render exactly as LangChain.js renders them (JSON.stringify)', () => {
  const template = Template.compile('{v}');
  const cases = [
    [false, 'false'], [null, 'null'], [0, '0'], [-0, '0'], [1e21, '1e+21'], [0.1 + 0.2, '0.30000000000000004'],
    [NaN, 'null'], [Infinity, 'null'], [[1, undefined, () => 1], '[1,null,null]'],
    [{ a: undefined, b: 1 }, '{"b":1}'], [new Date(0), '"1970-01-01T00:00:00.000Z"'],
    [{ toJSON: () => 'custom' }, '"custom"'], ['\ud83d', '\ud83d'], [['\udc00'], '["\\udc00"]'],
  ];
  for (const [value, expected] of cases) {
    assert.equal(template.render({ v: value }), expected, `value ${String(value)}`);
  }
});

test('undefined and functions are missing values, not the text "undefined"', () => {
  const template = Template.compile('Hi {name}');
  for (const data of [{}, { name: undefined }, { name: () => 'x' }, undefined, null]) {
    assert.throws(() => template.render(data), (e) => e instanceof TemplateRenderError
      && e.code === 'missing_variable' && e.details.variable === 'name' && e.line === 1 && e.column === 4);
  }
});

test('values a JSON conversion rejects are invalid_data naming the variable', () => {
  const cyclic = {};
  cyclic.self = cyclic;
  for (const value of [10n, cyclic]) {
    assert.throws(() => Template.compile('{v}').render({ v: value }),
      (e) => e instanceof InvalidArgumentError && e.code === 'invalid_data' && e.details.variable === 'v' && e.cause instanceof TypeError);
  }
});

test('data must be an object', () => {
  const template = Template.compile('x');
  assert.equal(template.render(), 'x');
  for (const data of ['s', 1, true, [1]]) {
    assert.throws(() => template.render(data), (e) => e instanceof InvalidArgumentError && e.code === 'invalid_data');
  }
});

test('inherited and getter values are read like data[name]', () => {
  const proto = { inherited: 'from proto' };
  const data = Object.create(proto, { computed: { get: () => 42, enumerable: false } });
  assert.equal(render('{inherited}|{computed}', data), 'from proto|42');
});

test('misuse is a typed error, identical on both backends', () => {
  assert.throws(() => Template.compile(42), (e) => e instanceof InvalidArgumentError && e.code === 'invalid_argument');
  assert.throws(() => Template.compile('x', 'fstring'), (e) => e.code === 'invalid_argument');
  assert.throws(() => Template.compile('x', { syntax: 3 }), (e) => e.code === 'invalid_argument');
  assert.throws(() => Template.compile('x', { syntax: 'liquid' }),
    { name: 'InvalidArgumentError', code: 'invalid_argument', message: "unknown template syntax 'liquid' (expected 'fstring', 'mustache', 'handlebars' or 'jinja')" });
  assert.throws(() => Template.compile('x', { partial: {} }), { code: 'invalid_argument', message: "unknown template option 'partial'" });
  assert.throws(() => Template.compile('x', { escape: 'xml' }), { code: 'invalid_argument' });
  assert.throws(() => Template.compile('x', { strict: 1 }), { code: 'invalid_argument' });
  assert.throws(() => Template.compile('x', { syntax: 'mustache', partials: { p: 1 } }), { code: 'invalid_argument' });
  assert.throws(() => Template.compile('x', { syntax: 'handlebars', helpers: { h: 'not a function' } }), { code: 'invalid_argument' });
  assert.throws(() => Template.compile('x', { syntax: 'handlebars', handlebars: { compat: 'yes' } }), { code: 'invalid_argument' });
  assert.throws(() => Template.compile('x', { syntax: 'handlebars', handlebars: { nope: true } }), { code: 'invalid_argument' });
  assert.throws(() => new Template(), (e) => e.code === 'invalid_argument');
});

test('free releases the template; later renders throw; free is idempotent', () => {
  const template = Template.compile('{a}');
  assert.equal(template.render({ a: 'x' }), 'x');
  template.free();
  template.free();
  assert.throws(() => template.render({ a: 'x' }), (e) => e instanceof BridleError && e.code === 'invalid_argument');
  const disposable = Template.compile('{a}');
  disposable[Symbol.dispose]();
  assert.throws(() => disposable.render({ a: 'x' }), { code: 'invalid_argument' });
});

test('render() compiles, renders and frees in one call', () => {
  assert.equal(render('Hello {name}!', { name: 'Ada' }), 'Hello Ada!');
  assert.throws(() => render('Hello {name', {}), { name: 'TemplateSyntaxError', code: 'template_syntax', line: 1, column: 7 });
});

test('a failed call leaves the module usable', () => {
  const template = Template.compile('{a}');
  for (let i = 0; i < 100; i++) {
    assert.throws(() => template.render({}), { code: 'missing_variable' });
    assert.throws(() => Template.compile('}'), { code: 'template_syntax' });
    assert.equal(template.render({ a: String(i) }), String(i));
  }
});

test('a render nested in a getter or toJSON does not corrupt the outer one', () => {
  const inner = Template.compile('<{x}>');
  const outer = Template.compile('{a}|{b}|{c}');
  const data = {
    a: 'first',
    get b() {
      return inner.render({ x: 'nested' });
    },
    c: { toJSON: () => inner.render({ x: 'json' }) },
  };
  assert.equal(outer.render(data), 'first|<nested>|"<json>"');
  // Twice, so the retry path itself is exercised with a warm buffer.
  assert.equal(outer.render(data), 'first|<nested>|"<json>"');
});

test('values and outputs far bigger than the scratch buffer', () => {
  const big = 'é😀x'.repeat(100_000);
  const template = Template.compile('[{a}] [{b}] [{a}]');
  const out = template.render({ a: big, b: [big] });
  assert.equal(out, `[${big}] [${JSON.stringify([big])}] [${big}]`);
  // And small again afterwards, through the grown buffer.
  assert.equal(template.render({ a: 'x', b: 1 }), '[x] [1] [x]');
});

test('lone surrogates pass through unchanged, in values and beside a big output', () => {
  const lone = '\udc00a\ud800';
  assert.equal(render('{v}{w}', { v: lone, w: 'x'.repeat(50_000) }), lone + 'x'.repeat(50_000));
});
