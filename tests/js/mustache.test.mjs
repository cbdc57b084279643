// Mustache through the public API, beyond the spec: prompt defaults, strict mode, variables,
// values as mustache.js prints them, limits against hostile templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, render, LimitExceededError, TemplateRenderError, TemplateSyntaxError } from 'bridle';

const mustache = (source, options = {}) => Template.compile(source, { syntax: 'mustache', ...options });

test('no HTML escaping unless asked for: prompts are not HTML', () => {
  assert.equal(render('{{v}}', { v: '<a & "b">' }, { syntax: 'mustache' }), '<a & "b">');
  assert.equal(render('{{v}}', { v: '<a & "b">' }, { syntax: 'mustache', escape: 'html' }), '&lt;a &amp; &quot;b&quot;&gt;');
});

test('variables are the top-level names read, partials included', () => {
  const template = mustache('{{#docs}}{{title}}{{/docs}}{{> footer}}{{user.name}}', { partials: { footer: '{{signature}}' } });
  assert.deepEqual(template.variables, ['docs', 'title', 'user', 'signature']);
  assert.equal(template.syntax, 'mustache');
});

test('values print as mustache.js prints them', () => {
  const out = render('{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}', { a: [1, [2, 3], null], b: { k: 1 }, c: 1e21, d: false, e: null, f: 0.5 }, { syntax: 'mustache' });
  assert.equal(out, '1,2,3,|[object Object]|1e+21|false||0.5');
});

test('sections follow JavaScript truthiness; lists repeat', () => {
  const template = mustache('{{#v}}yes{{/v}}{{^v}}no{{/v}}');
  const cases = [[true, 'yes'], [false, 'no'], [0, 'no'], ['', 'no'], ['x', 'yes'], [[], 'no'], [[1, 2], 'yesyes'], [{}, 'yes'], [null, 'no'], [undefined, 'no']];
  for (const [v, expected] of cases) assert.equal(template.render({ v }), expected, JSON.stringify(v));
});

test('a non-object root works as the context', () => {
  assert.equal(render('{{#.}}<{{.}}>{{/.}}', ['a', 'b'], { syntax: 'mustache' }), '<a><b>');
  assert.equal(render('[{{.}}]', 'text', { syntax: 'mustache' }), '[text]');
  assert.throws(() => render('{x}', ['a']), { code: 'invalid_data' });
});

test('strict mode makes a missing name an error that names it', () => {
  const template = mustache('Hi {{user.name}}', { strict: true });
  assert.equal(template.render({ user: { name: 'Ada' } }), 'Hi Ada');
  assert.throws(() => template.render({ user: {} }), (e) => e instanceof TemplateRenderError
    && e.code === 'missing_variable' && e.details.variable === 'user.name' && e.line === 1 && e.column === 4);
  assert.equal(mustache('Hi {{user.name}}').render({}), 'Hi ');
});

test('syntax errors carry a position', () => {
  assert.throws(() => mustache('a\n{{#open}}b'), (e) => e instanceof TemplateSyntaxError && e.line === 2 && e.column === 1);
  assert.throws(() => mustache('{{/close}}'), { code: 'template_syntax' });
  assert.throws(() => mustache('{{#a}}{{/b}}'), { code: 'template_syntax' });
  assert.throws(() => mustache('{{unclosed'), { code: 'template_syntax' });
});

test('hostile templates end in typed errors, quickly', () => {
  const started = Date.now();
  assert.throws(() => mustache('{{>self}}', { partials: { self: 'x{{>self}}' } }).render({}),
    (e) => e instanceof LimitExceededError && e.code === 'limit_exceeded' && e.details.limit === 'depth');
  const deep = '{{#a}}'.repeat(1000) + '{{/a}}'.repeat(1000);
  assert.throws(() => mustache(deep).render({ a: { a: true } }), { code: 'limit_exceeded' });
  const wide = mustache('{{#rows}}{{#rows}}{{#rows}}{{#rows}}{{text}}{{/rows}}{{/rows}}{{/rows}}{{/rows}}');
  const rows = Array.from({ length: 100 }, () => ({}));
  assert.throws(() => wide.render({ rows, text: 'x'.repeat(1000) }), (e) => e.code === 'limit_exceeded' && e.details.limit === 'output_bytes');
  console.log(`hostile mustache templates: ${Date.now() - started} ms`);
});

test('absurd nesting is refused at compile time, not by a stack overflow', () => {
  const source = '{{#a}}'.repeat(200_000) + '{{/a}}'.repeat(200_000);
  assert.throws(() => mustache(source), (e) => e.code === 'limit_exceeded' && e.details.limit === 'nesting');
});

test('many tags on one long line compile in linear time', () => {
  const template = mustache('{{a}} {{#b}}x{{/b}} '.repeat(100_000));
  assert.equal(template.render({ a: 1, b: true }).length, '1 x '.length * 100_000);
});

test('long values cross as UTF-8 and come back intact, lone surrogates as U+FFFD', () => {
  const long = 'é😀 "quoted" \\ '.repeat(50);
  const template = mustache('{{a}}|{{#b}}{{x}}{{/b}}');
  assert.equal(template.render({ a: long, b: [{ x: long }] }), `${long}|${long}`);
  assert.equal(template.render({ a: 'x'.repeat(200) + '\ud800', b: [] }), 'x'.repeat(200) + '\ufffd|');
});
