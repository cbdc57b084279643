// Handlebars through the public API on the live backend: helpers written in JavaScript,
// errors with positions, and limits. The spec itself runs in conformance.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Template, render, SafeString, TemplateSyntaxError, TemplateRenderError, LimitExceededError, InvalidArgumentError,
} from 'bridle';

const hbs = (source, options = {}) => Template.compile(source, { syntax: 'handlebars', ...options });

test('renders without escaping by default, with handlebars.js escaping on request', () => {
  const data = { name: '<Ada & "Bob">', items: ['a', 'b'] };
  assert.equal(render('Hi {{name}}! {{#each items}}{{@index}}={{this}} {{/each}}', data, { syntax: 'handlebars' }),
    'Hi <Ada & "Bob">! 0=a 1=b ');
  assert.equal(render("{{name}} {{{name}}} {{q}}", { ...data, q: "'`=" }, { syntax: 'handlebars', escape: 'html' }),
    '&lt;Ada &amp; &quot;Bob&quot;&gt; <Ada & "Bob"> &#x27;&#x60;&#x3D;');
});

test('variables are the top-level names read, without helpers and @data', () => {
  const template = hbs('{{#each docs}}{{title}}{{/each}} {{shout user.name}} {{@root.x}} {{#if flag}}y{{/if}}', {
    helpers: { shout: (s) => s },
  });
  assert.ok(template.variables.includes('docs'));
  assert.ok(template.variables.includes('user'));
  assert.ok(template.variables.includes('flag'));
  assert.ok(!template.variables.includes('shout'));
  assert.ok(!template.variables.includes('each'));
});

test('helpers get arguments, hash, this and data, and their results are printed', () => {
  const calls = [];
  const template = hbs('{{#each people}}{{greet name punct="!"}} {{/each}}', {
    helpers: {
      greet(name, options) {
        calls.push({ this: this, hash: options.hash, index: options.data.index, name: options.name });
        return `hi ${name}${options.hash.punct}`;
      },
    },
  });
  assert.equal(template.render({ people: [{ name: 'Ada' }, { name: 'Bo' }] }), 'hi Ada! hi Bo! ');
  assert.deepEqual(calls[1], { this: { name: 'Bo' }, hash: { punct: '!' }, index: 1, name: 'greet' });
});

test('block helpers render their blocks with options.fn and options.inverse', () => {
  const template = hbs('{{#list items}}{{name}}{{else}}nothing{{/list}}', {
    helpers: {
      list(items, options) {
        if (!items.length) return options.inverse(this);
        return items.map((item) => `- ${options.fn(item)}`).join('\n');
      },
    },
  });
  assert.equal(template.render({ items: [{ name: 'a' }, { name: 'b' }] }), '- a\n- b');
  assert.equal(template.render({ items: [] }), 'nothing');
});

test('subexpressions call JavaScript helpers and pass their values on', () => {
  const out = render('{{#if (gte score 0.75)}}high{{else if (lt score 0.25)}}low{{else}}mid{{/if}} {{fixed2 score}}', { score: 0.8 }, {
    syntax: 'handlebars',
    helpers: { gte: (a, b) => a >= b, lt: (a, b) => a < b, fixed2: (x) => x.toFixed(2) },
  });
  assert.equal(out, 'high 0.80');
});

test('a SafeString is never escaped; other results are under escape: "html"', () => {
  const helpers = { safe: () => new SafeString('<b>'), raw: () => '<b>' };
  assert.equal(render('{{safe}} {{raw}}', {}, { syntax: 'handlebars', escape: 'html', helpers }), '<b> &lt;b&gt;');
});

test('a helper that throws fails the render with the error as its cause; the module stays usable', () => {
  const boom = new Error('helper failed');
  const template = hbs('a {{explode}} b', { helpers: { explode: () => { throw boom; } } });
  assert.throws(() => template.render({}), (e) => e instanceof TemplateRenderError && e.cause === boom && /explode/.test(e.message));
  assert.equal(render('{{x}}', { x: 'fine' }, { syntax: 'handlebars' }), 'fine');
});

test('options.fn kept past its call is refused, not undefined behaviour', () => {
  let kept;
  const template = hbs('{{#keep}}x{{/keep}}', { helpers: { keep(options) { kept = options.fn; return ''; } } });
  template.render({});
  assert.throws(() => kept({}), (e) => e instanceof InvalidArgumentError);
});

test('a missing helper is a render error that names it, at its place', () => {
  assert.throws(() => render('line one\n  {{nope 1}}', {}, { syntax: 'handlebars' }),
    (e) => e instanceof TemplateRenderError && /nope/.test(e.message) && e.line === 2);
});

test('strict mode makes a missing name an error that names it', () => {
  assert.throws(() => render('{{a.b}}', { a: {} }, { syntax: 'handlebars', strict: true }),
    (e) => e.code === 'missing_variable' && /b/.test(e.message));
});

test('syntax errors carry a position and an excerpt with a caret', () => {
  assert.throws(() => hbs('ok\n{{#if x}}unclosed'), (e) => {
    assert.ok(e instanceof TemplateSyntaxError, String(e));
    assert.equal(typeof e.line, 'number');
    assert.match(e.details.excerpt ?? '', /\^/);
    return true;
  });
  assert.throws(() => hbs('{{#a}}{{/b}}'), TemplateSyntaxError);
});

test('hostile templates end in typed errors, quickly', () => {
  const started = Date.now();
  // Recursive partials.
  assert.throws(() => render('{{> self}}', {}, { syntax: 'handlebars', partials: { self: 'x{{> self}}' } }),
    (e) => e instanceof LimitExceededError && e.details.limit === 'depth');
  // Deep nesting in the source.
  assert.throws(() => hbs('{{#if x}}'.repeat(5000) + '{{/if}}'.repeat(5000)), (e) => e instanceof LimitExceededError || e instanceof TemplateSyntaxError);
  // 10 MB of output from a small template and data.
  const items = Array.from({ length: 10_000 }, (_, i) => i);
  assert.throws(() => render('{{#each items}}{{#each ../items}}0123456789{{/each}}{{/each}}', { items }, { syntax: 'handlebars', maxOutputBytes: 10_000_000 }),
    (e) => e instanceof LimitExceededError && e.details.limit === 'output_bytes');
  console.log(`hostile handlebars templates: ${Date.now() - started} ms`);
});

test('partials take parameters and blocks', () => {
  const partials = { card: '[{{title}}|{{extra}}|{{> @partial-block}}]' };
  assert.equal(render('{{#> card title=t extra="e"}}body {{t}}{{/card}}', { t: 'T' }, { syntax: 'handlebars', partials }), '[T|e|body T]');
});

test('helpers inside a block helper\'s block are called while the outer helper runs', () => {
  const template = hbs('{{#outer}}[{{#inner}}{{shout name}}{{/inner}}]{{/outer}}', {
    helpers: {
      outer(options) {
        return `<${options.fn(this)}>`;
      },
      inner(options) {
        return options.fn({ name: this.name + '!' });
      },
      shout: (text) => text.toUpperCase(),
    },
  });
  assert.equal(template.render({ name: 'ada' }), '<[ADA!]>');
});

test('a template that passes its root on (.., @root, this) gets the whole data, not just its variables', () => {
  const partials = { dude: '{{others.foo}}{{name}} ' };
  const template = hbs('{{#each dudes}}{{> dude others=..}}{{/each}}|{{#with @root}}{{bar}}{{/with}}', { partials });
  assert.equal(template.render({ foo: 'F', bar: 'B', dudes: [{ name: 'a' }, { name: 'b' }] }), 'Fa Fb |B');
  assert.equal(render('{{lookup this key}}', { key: 'x', x: 'found' }, { syntax: 'handlebars' }), 'found');
});

test('render(data, { data }) gives the first @data frame, as handlebars.js does', () => {
  const template = hbs('{{@hello}} {{#each xs}}{{@hello}}{{@index}}{{/each}} {{@root.x}}');
  assert.equal(template.render({ xs: [1, 2], x: 'r' }, { data: { hello: 'hi' } }), 'hi hi0hi1 r');
  assert.equal(template.render({ xs: [], x: 'r' }, { data: { root: { x: 'given' } } }).trim(), 'given');
  assert.throws(() => template.render({}, { data: 1 }), { code: 'invalid_argument' });
  assert.throws(() => template.render({}, { nope: 1 }), { code: 'invalid_argument' });
  assert.throws(() => render('{{x}}', { x: 1 }, { syntax: 'mustache' }) && Template.compile('{{x}}', { syntax: 'mustache' }).render({}, { data: {} }),
    { code: 'invalid_argument' });
});

test('null is a context of its own: lookups in it find nothing', () => {
  assert.equal(render('[{{a}}]', null, { syntax: 'handlebars' }), '[]');
  assert.throws(() => render('{{hello}}', null, { syntax: 'handlebars', handlebars: { assumeObjects: true } }), (e) => e instanceof TemplateRenderError);
});

test('a lone surrogate reaches every render path as U+FFFD, the helper path included', () => {
  const plain = Template.compile('{{a}}|{{b}}', { syntax: 'handlebars' });
  const helped = Template.compile('{{a}}|{{b}}|{{h}}', { syntax: 'handlebars', helpers: { h: () => 'h' } });
  const data = { a: '\ud800x', b: ['\udc00', '😀'] };
  assert.equal(plain.render(data), '\ufffdx|\ufffd,😀');
  assert.equal(helped.render(data), '\ufffdx|\ufffd,😀|h');
});
