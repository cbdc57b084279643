// The error model across the boundary: classes, codes, positions, and panics that become
// `internal` errors while the module stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bridle from 'bridle';

const { Template, BridleError, TemplateSyntaxError, TemplateRenderError, InternalError, _debug } = bridle;

test('every error class extends BridleError and Error, with its own name', () => {
  for (const name of ['TemplateSyntaxError', 'TemplateRenderError', 'InvalidArgumentError', 'UnsupportedError',
    'LimitExceededError', 'InternalError', 'BackendLoadError']) {
    const cls = bridle[name];
    const error = new cls('m', { code: 'x' });
    assert.ok(error instanceof BridleError && error instanceof Error, name);
    assert.equal(error.name, name);
    assert.equal(error.code, 'x');
  }
});

test('syntax errors carry line, column and UTF-16 offset', () => {
  const source = 'line one\n😀 {oops';
  try {
    Template.compile(source);
    assert.fail('no error');
  } catch (error) {
    assert.ok(error instanceof TemplateSyntaxError);
    assert.equal(error.code, 'template_syntax');
    assert.deepEqual([error.line, error.column, error.offset], [2, 4, 12]);
    assert.equal(source.slice(error.offset), '{oops');
    assert.match(error.message, /^unclosed '\{' .* \(at line 2, column 4\)$/);
    assert.equal(error.details.reason, 'unclosed_brace');
  }
});

test('render errors carry the variable and its first use', () => {
  assert.throws(() => Template.compile('a\n{x}{x}').render({}), (e) => e instanceof TemplateRenderError
    && e.code === 'missing_variable' && e.line === 2 && e.column === 1 && e.details.variable === 'x'
    && e.message === "missing value for variable 'x' (at line 2, column 1)");
});

test('a panic becomes InternalError and the module stays usable, many times over', () => {
  const template = Template.compile('Hello {name}');
  for (let i = 0; i < 10_000; i++) {
    assert.throws(() => _debug.panic(`deliberate ${i}`), (e) => e instanceof InternalError && e.code === 'internal'
      && e.message.startsWith(`internal error (panic): deliberate ${i} (at `));
    if (i % 500 === 0) assert.equal(template.render({ name: String(i) }), `Hello ${i}`);
  }
  // Each trap leaves ~160 bytes of the 1 MiB wasm stack behind unless the facade resets the
  // stack pointer: 10,000 of them would overflow it, and this would fail.
  const big = Template.compile('{a}'.repeat(50_000));
  assert.equal(big.render({ a: 'xy' }).length, 100_000);
});

test('errors with a position carry an excerpt with a caret, in every syntax', () => {
  const cases = [
    [() => Template.compile('Hi {name', {}), 'Hi {name\n   ^'],
    [() => Template.compile('one\n  {{#open}} x', { syntax: 'mustache' }), '  {{#open}} x\n  ^'],
    [() => Template.compile('Hello {name}!').render({}), 'Hello {name}!\n      ^'],
  ];
  for (const [fail, excerpt] of cases) {
    assert.throws(fail, (e) => e.details.excerpt === excerpt);
  }
  assert.throws(() => Template.compile('a\n{% if %}', { syntax: 'jinja' }), (e) => typeof e.details.excerpt === 'string' && e.details.excerpt.includes('{% if %}'));
});
