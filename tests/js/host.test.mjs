// Renders that call JavaScript: Mustache lambdas and functions in the data (on both
// backends, through the same core). Handlebars helpers are in handlebars.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, render, TemplateRenderError, LimitExceededError, TemplateSyntaxError } from 'bridle';

const mustache = (source, data, options = {}) => render(source, data, { syntax: 'mustache', ...options });

test('an interpolation lambda is called with the context as this, and its result is rendered', () => {
  const data = {
    planet: 'world',
    greet() {
      assert.equal(this.planet, 'world');
      return 'hello {{planet}}';
    },
  };
  assert.equal(mustache('{{greet}}!', data), 'hello world!');
});

test('a section lambda gets the raw section text and its result is rendered', () => {
  const seen = [];
  const data = { name: 'Ada', wrap: (text) => { seen.push(text); return `<${text}>`; } };
  assert.equal(mustache('{{#wrap}}hi {{name}}{{/wrap}}', data), '<hi Ada>');
  assert.deepEqual(seen, ['hi {{name}}']);
});

test('lambdas nested in lists and objects are found and called once per use', () => {
  let calls = 0;
  const count = () => ++calls;
  const out = mustache('{{#items}}{{n}}:{{tick}} {{/items}}', { items: [{ n: 'a', tick: count }, { n: 'b', tick: count }] });
  assert.equal(out, 'a:1 b:2 ');
  assert.equal(calls, 2);
});

test('a lambda that throws fails the render with its error as the cause; the module stays usable', () => {
  const boom = new RangeError('no more');
  assert.throws(
    () => mustache('x {{f}} y', { f: () => { throw boom; } }),
    (e) => e instanceof TemplateRenderError && e.code === 'template_render' && e.cause === boom && /no more/.test(e.message),
  );
  assert.equal(mustache('{{a}}', { a: 'still fine' }), 'still fine');
});

test('a lambda whose output does not parse is a syntax error pointing at the lambda', () => {
  assert.throws(
    () => mustache('ab {{f}}', { f: () => '{{#open}}' }),
    (e) => e instanceof TemplateSyntaxError && e.line === 1 && e.column === 4,
  );
});

test('a lambda that returns itself forever stops at the depth limit', () => {
  assert.throws(() => mustache('{{f}}', { f: () => '{{f}}' }), (e) => e instanceof LimitExceededError && e.details.limit === 'depth');
});

test('a lambda may render another template while it runs', () => {
  const inner = Template.compile('[{{x}}]', { syntax: 'mustache' });
  const out = mustache('{{a}} {{f}} {{b}}', { a: 'A', b: 'B', f: () => inner.render({ x: 'in' }) });
  assert.equal(out, 'A [in] B');
  inner.free();
});

test('without functions in the data the fast path renders the same', () => {
  const template = Template.compile('{{#xs}}<{{.}}>{{/xs}}', { syntax: 'mustache' });
  assert.equal(template.render({ xs: [1, 2] }), '<1><2>');
  assert.equal(template.render({ xs: [1, () => 'f'] }), '<1><f>');
  template.free();
});

test('lambda results are HTML-escaped only with escape: "html", as the tag says', () => {
  const data = { f: () => '<b>' };
  assert.equal(mustache('{{f}}', data), '<b>');
  assert.equal(mustache('{{f}}|{{{f}}}', data, { escape: 'html' }), '&lt;b&gt;|<b>');
});
