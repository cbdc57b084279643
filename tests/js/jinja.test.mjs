// Jinja through the public API: chat-template behaviour beyond the conformance file, errors
// with positions, and limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, render, TemplateSyntaxError } from 'bridle';

const jinja = (source, options = {}) => Template.compile(source, { syntax: 'jinja', ...options });

test('variables are the undeclared top-level names', () => {
  const template = jinja('{% for m in messages %}{{ m.content }}{% endfor %}{% if add_generation_prompt %}x{% endif %}');
  assert.deepEqual([...template.variables].sort(), ['add_generation_prompt', 'messages']);
});

test('trim_blocks, lstrip_blocks, loop controls, Python string methods', () => {
  const source = '{% for x in items %}\n  {% if x == 3 %}{% break %}{% endif %}\n{{ x|string|upper }} {{ "  a b ".strip().split(" ")|length }}\n{% endfor %}';
  assert.equal(render(source, { items: [1, 2, 3, 4] }, { syntax: 'jinja' }), '1 2\n2 2\n');
});

test('tojson writes what Python json.dumps writes', () => {
  const out = render('{{ v|tojson }}|{{ v|tojson(indent=2) }}', { v: { a: [1, 'é'], b: null } }, { syntax: 'jinja' });
  assert.equal(out, '{"a": [1, "é"], "b": null}|{\n  "a": [\n    1,\n    "é"\n  ],\n  "b": null\n}');
});

test('raise_exception is a render error with the message; strftime_now uses options.now', () => {
  assert.throws(() => render("{{ raise_exception('only user and assistant roles') }}", {}, { syntax: 'jinja' }),
    (e) => e.code === 'template_render' && /only user and assistant roles/.test(e.message));
  const date = render('{{ strftime_now("%d %b %Y") }}', {}, { syntax: 'jinja', now: new Date('2025-07-10T12:00:00Z') });
  assert.equal(date, '10 Jul 2025');
});

test('syntax errors carry a position; strict undefined names the problem', () => {
  assert.throws(() => jinja('line\n{% if %}'), (e) => e instanceof TemplateSyntaxError && e.line === 2);
  assert.throws(() => jinja('{{ missing.name }}', { strict: true }).render({}), { code: 'missing_variable' });
  assert.equal(jinja('[{{ missing }}]').render({}), '[]');
});

test('endless loops run out of fuel with a typed error', () => {
  const started = Date.now();
  assert.throws(() => render('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}', {}, { syntax: 'jinja' }),
    (e) => e.code === 'limit_exceeded' && e.details.limit === 'fuel');
  console.log(`jinja fuel limit hit after ${Date.now() - started} ms`);
});

test('a 10 MB output stops at maxOutputBytes with a typed error, in Jinja and Mustache', () => {
  const started = Date.now();
  const limit = { maxOutputBytes: 1_000_000 };
  assert.throws(() => render("{% for i in range(10000) %}{{ 'x' * 1000 }}{% endfor %}", {}, { syntax: 'jinja', ...limit }),
    (e) => e.code === 'limit_exceeded' && e.details.limit === 'output_bytes');
  assert.throws(() => render('{{#rows}}{{text}}{{/rows}}', { rows: Array(10_000).fill(1), text: 'x'.repeat(1000) }, { syntax: 'mustache', ...limit }),
    (e) => e.code === 'limit_exceeded' && e.details.limit === 'output_bytes');
  assert.equal(render('{{ "ok" }}', {}, { syntax: 'jinja', ...limit }), 'ok');
  assert.throws(() => render('x', {}, { syntax: 'jinja', maxOutputBytes: -1 }), { code: 'invalid_argument' });
  console.log(`10 MB outputs stopped in ${Date.now() - started} ms`);
});

test('a tag whose open and close overlap ({%}) is a syntax error, not a crash (found by fuzzing)', () => {
  for (const source of ['{%}', 'a {%} {% generation %}b{% endgeneration %}']) {
    assert.throws(() => render(source, {}, { syntax: 'jinja' }), (error) => error.code === 'template_syntax', source);
  }
  assert.equal(render('{% generation %}ok{% endgeneration %}', {}, { syntax: 'jinja' }), 'ok');
});
