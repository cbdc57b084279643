// Templates in the four syntaxes: random sources built from each syntax's pieces (valid ones
// nested properly, and broken ones), random options, and random data (unicode, lone surrogates,
// huge and odd numbers, nesting, null/undefined, lists, values long enough to cross as UTF-8 or
// to grow the scratch buffer, lambdas and helpers). Each case compiles, reads `variables` and
// `syntax`, and renders twice (two data sets, so a compiled template is reused).
import { joinPieces, objectOf, randomString, randomValue, words } from '../gen.mjs';
import { attempt } from '../observe.mjs';

/** A fixed clock, so Jinja's `strftime_now` gives the same text in both children. */
const NOW = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// Functions in the data (Mustache lambdas, Handlebars function values) and registered helpers,
// by name, so an input is printable and both children build the same ones.

const LAMBDAS = {
  upper: (text) => (text === undefined ? 'LAMBDA' : String(text).toUpperCase()),
  wrap: (text) => (text === undefined ? '[{{a}}]' : `<${text}>`),
  broken: () => '{{#x}}',
  thrower: () => {
    throw new Error('lambda failed');
  },
  nothing: () => null,
  number: () => 42,
  context: function context() {
    return typeof this === 'object' && this !== null ? Object.keys(this).join(',') : typeof this;
  },
};

const DATA_FUNCTIONS = {
  joinArgs: (...args) => args.slice(0, -1).map(String).join('+'),
  hashKeys: (...args) => Object.keys(args.at(-1)?.hash ?? {}).join(','),
  blockTwice(...args) {
    const options = args.at(-1);
    return options.fn(this) + '|' + options.fn(this);
  },
  thrower: () => {
    throw new TypeError('function value failed');
  },
};

function helperSet(bridle) {
  return {
    shout: (value) => String(value).toUpperCase(),
    concat: (...args) => args.slice(0, -1).join(args.at(-1).hash.sep ?? ''),
    bold(...args) {
      const options = args.at(-1);
      return `*${options.fn(this)}*${options.inverse(this)}`;
    },
    each2(list, options) {
      if (!Array.isArray(list)) return options.inverse(this);
      return list.map((item, index) => options.fn(item, { data: { ...options.data, index } })).join(';');
    },
    safe: (value) => new bridle.SafeString(`<i>${value}</i>`),
    fail: () => {
      throw new Error('helper failed');
    },
    json: (value) => JSON.stringify(value) ?? 'undefined',
    num: () => 7,
    obj: () => ({ k: 'v' }),
  };
}

// ---------------------------------------------------------------------------------------------
// f-strings

/** The share of generated nodes that are broken syntax. */
const BROKEN = 0.03;

const FSTRING_PIECES = ['{{', '}}', 'x', ' ', '\n', '\r\n', 'é', '😀', '\ud800', '{a}', '{b}', '{c}', '{a}{b}', '{ a}', '{a.b}', '{c:.2f}', '{}', '{a{b}', '{\ufffd}', '{toString}', '{__proto__}'];
const FSTRING_NAMES = ['a', 'b', 'c', ' a', 'a.b', 'c:.2f', '', 'a{b', '\ufffd', 'toString', '__proto__'];

/** A data value: top-level strings (lone surrogates included: f-strings keep them) or any value. */
const fstringValue = (rng) => (rng.chance(0.5) ? randomString(rng, { lone: 0.1 }) : randomValue(rng, { maxDepth: 2, lone: 0.005 }));

function makeFstring(rng) {
  // '{\ud83d}' names U+FFFD: the source crosses as UTF-8.
  const piece = () => (rng.chance(BROKEN) ? rng.pick(['{', '}', '{\ud83d}']) : rng.chance(0.25) ? words(rng, 1, 3) : rng.pick(FSTRING_PIECES));
  const source = joinPieces(rng, 0, 12, piece);
  const data = objectOf(FSTRING_NAMES.filter(() => rng.chance(0.93)).map((name) => [name, fstringValue(rng)]));
  const second = objectOf(FSTRING_NAMES.filter(() => rng.chance(0.9)).map((name) => [name, fstringValue(rng)]));
  const options = rng.chance(0.1) ? { syntax: 'f-string' } : rng.chance(0.5) ? { syntax: 'fstring' } : undefined;
  return { source, options, data, second, spotlit: rng.chance(0.1) ? spotlight(rng, ['a', 'b']) : null };
}

// ---------------------------------------------------------------------------------------------
// Mustache

const M_NAMES = ['a', 'b', 'c', 'n', 'items', 'user', 'user.name', 'items.0', 'items.length', '.', 'lam', 'missing', 'x.y.z', 'list', 'flag', 'items.4294967296', 'list.4294967297'];
const M_SECTIONS = ['items', 'user', 'flag', 'a', 'missing', 'list', 'lam', 'n', '.'];
const M_BROKEN = ['{{', '}}', '{{/a}}', '{{#a}}', '{{=x=}}', '{{>}}', '{{a', '{{{a}}', '{{#}}', '{{/items}}', '{{$}}', '{{<}}'];

function mustacheNode(rng, depth, broken = BROKEN) {
  if (rng.chance(broken)) return rng.pick(M_BROKEN);
  const r = rng.float();
  if (r < 0.2) return rng.chance(0.5) ? words(rng, 1, 4) : rng.pick(['\n', '  ', ' \n', 'é😀', '\ud800', '<&>']);
  if (r < 0.42) return `{{${rng.pick(['', ' '])}${rng.pick(M_NAMES)}${rng.pick(['', ' '])}}}`;
  if (r < 0.48) return rng.chance(0.5) ? `{{{${rng.pick(M_NAMES)}}}}` : `{{&${rng.pick(M_NAMES)}}}`;
  if (r < 0.66 && depth < 4) {
    const name = rng.pick(M_SECTIONS);
    const line = rng.chance(0.3) ? '\n' : '';
    const body = joinPieces(rng, 0, 4, () => mustacheNode(rng, depth + 1, broken));
    return `${line}{{${rng.pick(['#', '#', '^'])}${name}}}${line}${body}${line}{{/${name}}}${line}`;
  }
  if (r < 0.7) return rng.chance(0.5) ? '{{! a comment }}' : '\n  {{! standalone }}\n';
  if (r < 0.76) return rng.pick(['{{> p1}}', '  {{> p1}}\n', '{{> rec}}', '{{> nope}}', '{{>*dyn}}', '{{> parent}}']);
  if (r < 0.8) return `{{=<% %>=}}<%${rng.pick(M_NAMES)}%><%={{ }}=%>`;
  if (r < 0.84) return `{{<parent}}{{$blk}}${words(rng, 1, 2)}{{${rng.pick(M_NAMES)}}}{{/blk}}{{/parent}}`;
  if (r < 0.9) return '{{$blk}}default{{/blk}}';
  return `{{*${rng.pick(['dyn', 'dyn', 'a'])}}}`;
}

function mustacheData(rng) {
  const entries = [];
  const value = () => randomValue(rng, { maxDepth: 2, lone: 0.005 });
  for (const key of ['a', 'b', 'c', 'n', 'flag']) if (rng.chance(0.85)) entries.push([key, value()]);
  if (rng.chance(0.85)) entries.push(['items', Array.from({ length: rng.int(0, 4) }, () => (rng.chance(0.5) ? { name: randomString(rng), a: value() } : value()))]);
  if (rng.chance(0.8)) entries.push(['user', { name: randomString(rng), a: value() }]);
  if (rng.chance(0.3)) entries.push(['list', Array.from({ length: rng.int(0, 200) }, (_, i) => i)]);
  if (rng.chance(0.4)) entries.push(['dyn', rng.pick(['p1', 'nope', 'rec', ''])]);
  if (rng.chance(0.25)) entries.push(['lam', LAMBDAS[rng.pick(Object.keys(LAMBDAS))]]);
  return objectOf(entries);
}

function makeMustache(rng) {
  const source = joinPieces(rng, 0, 8, () => mustacheNode(rng, 0));
  const options = { syntax: 'mustache' };
  if (rng.chance(0.3)) options.escape = rng.pick(['html', 'none', 'html', 'none', 'xml']);
  if (rng.chance(0.15)) options.strict = true;
  if (rng.chance(0.6)) {
    options.partials = { p1: joinPieces(rng, 0, 3, () => mustacheNode(rng, 2, 0.01)), rec: '[{{> rec}}]', parent: '({{$blk}}dflt {{a}}{{/blk}})' };
  }
  if (rng.chance(0.05)) options.maxOutputBytes = rng.int(0, 64);
  const root = rng.chance(0.08);
  const data = root ? rng.pick([[1, 'two', { a: 3 }], 'a string root', 7, true, null]) : mustacheData(rng);
  return { source, options, data, second: mustacheData(rng), spotlit: rng.chance(0.1) ? spotlight(rng, ['a', 'items', 'user']) : null };
}

// ---------------------------------------------------------------------------------------------
// Handlebars

const H_PATHS = ['a', 'b', 'n', 'this', '.', 'user.name', 'user/name', 'items.[0]', 'items.length', 'a.length', '../a', '@root.a', '@index', '@key', '@first', '[a]', 'missing.deep', 'fnValue', '"literal"', '12', 'true', 'null', 'items.[4294967296]', 'list.[4294967297]'];
const H_BROKEN = ['{{', '{{#if}}', '{{/each}}', '{{a', '{{foo/this}}', '{{#each items}}', '{{else}}', '{{#*decorator}}{{/decorator}}', '{{> p1 a b}}', '{{{a}}', '}}'];

function handlebarsNode(rng, depth, broken = BROKEN) {
  if (rng.chance(broken)) return rng.pick(H_BROKEN);
  const r = rng.float();
  const path = () => rng.pick(H_PATHS);
  if (r < 0.18) return rng.chance(0.5) ? words(rng, 1, 4) : rng.pick(['\n', '  ', ' \n', 'é😀', '\ud800', '<&>"\'`=']);
  if (r < 0.36) return `{{${rng.pick(['', '~'])}${path()}${rng.pick(['', '~'])}}}`;
  if (r < 0.42) return rng.chance(0.5) ? `{{{${path()}}}}` : `{{&${path()}}}`;
  const block = (open, close, body, inverse) => `${open}${body}${inverse === null ? '' : `{{else}}${inverse}`}${close}`;
  const kids = () => joinPieces(rng, 0, 3, () => handlebarsNode(rng, depth + 1, broken));
  if (r < 0.62 && depth < 4) {
    const line = rng.chance(0.3) ? '\n' : '';
    const kind = rng.int(0, 7);
    const inverse = rng.chance(0.3) ? kids() : null;
    if (kind === 0) return block(`${line}{{#if ${path()}${rng.chance(0.2) ? ' includeZero=true' : ''}}}${line}`, `{{/if}}${line}`, kids(), inverse);
    if (kind === 1) return block(`{{#unless ${path()}}}`, '{{/unless}}', kids(), inverse);
    if (kind === 2) return block(`${line}{{#each ${rng.pick(['items', 'user', 'list', 'a', 'missing'])}${rng.chance(0.3) ? ' as |item i|' : ''}}}${line}`, `{{/each}}${line}`, kids() + rng.pick(['{{@index}}', '{{item}}', '{{this}}', '{{@key}}:{{.}}', '']), inverse);
    if (kind === 3) return block(`{{#with ${rng.pick(['user', 'a', 'missing'])}}}`, '{{/with}}', kids(), inverse);
    if (kind === 4) return block(`{{#bold}}`, '{{/bold}}', kids(), inverse);
    if (kind === 5) return block(`{{#${rng.pick(['items', 'user', 'a', 'n'])}}}`, `{{/${rng.pick(['items', 'user', 'a', 'n', 'x'])}}}`, kids(), inverse);
    if (kind === 6) return `{{#if a}}${kids()}{{else if n}}${kids()}{{else}}${kids()}{{/if}}`;
    return `{{#each2 items}}${kids()}{{else}}none{{/each2}}`;
  }
  if (r < 0.75) {
    return rng.pick([
      `{{shout ${path()}}}`, `{{concat a b sep="-"}}`, `{{concat a (shout b)}}`, '{{safe a}}', '{{fail}}', '{{json user}}', '{{num}}{{num}}', '{{{num}}}{{{num}}}',
      `{{lookup user "name"}}`, `{{lookup items 0}}`, '{{obj}}', '{{nohelper a}}', '{{fnValue a b}}', '{{fnValue x=1 y=a}}', '{{#fnValue}}in{{/fnValue}}', '{{log a}}',
    ]);
  }
  if (r < 0.82) return rng.pick(['{{> p1}}', '  {{> p1}}\n', '{{> p1 user}}', '{{> p1 a=n}}', '{{#> layout}}fallback {{a}}{{/layout}}', '{{> nope}}', '{{> (dynName)}}', '{{> rec}}', '{{#*inline "il"}}[{{a}}]{{/inline}}{{> il}}']);
  return rng.pick(['{{! c }}', '{{!-- {{a}} --}}', '{{{{raw}}}}{{a}}{{{{/raw}}}}', '\\{{a}}', '{{a.[0]}}']);
}

function handlebarsData(rng) {
  const data = mustacheData(rng);
  if (rng.chance(0.5)) data.dynName = rng.pick(['p1', 'nope', 'layout']);
  if (rng.chance(0.3)) data.fnValue = DATA_FUNCTIONS[rng.pick(Object.keys(DATA_FUNCTIONS))];
  delete data.lam;
  return data;
}

const HANDLEBARS_FLAGS = ['compat', 'preventIndent', 'explicitPartialContext', 'ignoreStandalone', 'knownHelpersOnly', 'assumeObjects', 'data'];

function makeHandlebars(rng) {
  const source = joinPieces(rng, 0, 7, () => handlebarsNode(rng, 0));
  const options = { syntax: 'handlebars' };
  if (rng.chance(0.3)) options.escape = rng.pick(['html', 'none']);
  if (rng.chance(0.12)) options.strict = true;
  if (rng.chance(0.9)) options.helpers = Object.keys(helperSet(null)).filter(() => rng.chance(0.92));
  if (rng.chance(0.3)) options.handlebars = Object.fromEntries(HANDLEBARS_FLAGS.filter(() => rng.chance(0.3)).map((flag) => [flag, rng.chance(0.7)]));
  if (rng.chance(0.6)) {
    options.partials = { p1: joinPieces(rng, 0, 3, () => handlebarsNode(rng, 3, 0.01)), layout: '<{{> @partial-block}}>', rec: '({{> rec}})' };
  }
  const root = rng.chance(0.06);
  const data = root ? rng.pick([[1, 'two', { a: 3 }], 'a string root', 7, null]) : handlebarsData(rng);
  const privateData = rng.chance(0.15) ? { extra: randomValue(rng), root: rng.chance(0.3) ? { a: 'from @data root' } : undefined } : undefined;
  const spotlit = rng.chance(0.08) && !options.helpers?.length ? spotlight(rng, ['a', 'user']) : null;
  return { source, options, data, second: handlebarsData(rng), privateData, spotlit };
}

// ---------------------------------------------------------------------------------------------
// Jinja

const J_EXPRS = [
  'a', 'b', 'n', 'user.name', "user['name']", 'items[0]', 'items[1:3]', 'items|length', 'a|upper', 'a|lower|title', 'a|trim', 'a|tojson', 'user|tojson',
  'items|tojson(indent=2)', 'items|join(", ")', 'items|first', 'items|last', 'items|reverse|list', 'items|sort', 'a|default("d")', 'a|replace("a", "b")',
  'n|int', 'n|float', 'n|abs', 'n|round', 'a|string', 'items|unique|list', 'user|dictsort', 'user|items|list', 'a|capitalize', 'a|indent(2)',
  'n * 2', 'n // 0', 'n % 0', 'n / 3', 'n ** 2', 'a ~ b', 'a + b', 'n + 1', 'not a', 'a and b', 'a or "x"', 'a is defined', 'a is none', 'a in items',
  '"yes" if a else "no"', '[1, 2, n]|sum', "{'k': a}|tojson", 'range(n)|list', 'range(3)|list', 'a.upper()', 'a.startswith("x")', 'a.split()',
  'a.strip()', 'missing', 'missing.attr', 'missing.attr.deeper', 'nope()', 'raise_exception("stopped: " ~ a)', 'strftime_now("%Y-%m-%d %H:%M")',
  'loop', '"\\u00e9\\n"', "'quote'", '1e21', '0.1 + 0.2', '2**53 + 1', '-0.0', 'items[n]', 'a[0]', 'a * 3', 'a|length', 'user.a.b',
  // Integers as indexes, slice bounds, steps and counts (n may be past 32 bits).
  'items[n:]', 'a[:n]', 'items[::n]', 'a[-n:]', 'range(0, 10, n)|list', 'a.split(" ", n)', 'items|batch(n)|list', 'a[n]',
  '[1, 2, 3][n:]', '"abc"[:n]', '(items|list)[::n]', '"x" * n',
];
const J_BROKEN = ['{%', '{{', '{% endfor %}', '{% endif %}', '{{ a | nosuchfilter }}', '{% for %}', '{{ a.b( }}', '{% if a %}', '{{ }}', '{% set %}', '{% extends "p1" %}', '}}', '{% nosuchtag %}', '{{ a is nosuchtest }}'];

function jinjaNode(rng, depth, broken = BROKEN) {
  if (rng.chance(broken)) return rng.pick(J_BROKEN);
  const r = rng.float();
  const expr = () => rng.pick(J_EXPRS);
  const kids = () => joinPieces(rng, 0, 3, () => jinjaNode(rng, depth + 1, broken));
  if (r < 0.18) return rng.chance(0.5) ? words(rng, 1, 4) : rng.pick(['\n', '  ', ' \n', 'é😀', '\ud800', '<&>']);
  if (r < 0.5 || (r >= 0.84 && r < 0.9)) return `{{${rng.pick(['', '-'])} ${expr()} ${rng.pick(['', '-'])}}}`;
  if (r < 0.72 && depth < 4) {
    const kind = rng.int(0, 7);
    const line = rng.chance(0.4) ? '\n' : '';
    if (kind === 0) return `{% for x in ${rng.pick(['items', 'user', 'a', 'range(n)', 'missing', 'range(3)', 'user|items'])} %}${line}${kids()}{{ x }}{{ loop.index }}${rng.chance(0.2) ? '{% if loop.last %}{% break %}{% endif %}' : ''}${rng.chance(0.3) ? `{% else %}${kids()}` : ''}{% endfor %}${line}`;
    if (kind === 1) return `{% if ${expr()} %}${line}${kids()}${rng.chance(0.4) ? `{% elif ${expr()} %}${kids()}` : ''}${rng.chance(0.4) ? `{% else %}${kids()}` : ''}{% endif %}${line}`;
    if (kind === 2) return `{% set y = ${expr()} %}{{ y }}`;
    if (kind === 3) return `{% macro m(p, q="d") %}[{{ p }}{{ q }}${kids()}]{% endmacro %}{{ m(${expr()}) }}`;
    if (kind === 4) return `{%- filter upper -%}${kids()}{%- endfilter -%}`;
    if (kind === 5) return `{% generation %}${kids()}{% endgeneration %}`;
    if (kind === 6) return `{% with w = ${expr()} %}{{ w }}${kids()}{% endwith %}`;
    return `{% set ns = namespace(c=0) %}{% for i in items %}{% set ns.c = ns.c + 1 %}{% endfor %}{{ ns.c }}`;
  }
  if (r < 0.8) return rng.pick(['{% include "p1" %}', '{% include "nope" %}', '{% include "p1" ignore missing %}', '{% raw %}{{ a }}{% endraw %}', '{# comment #}', '{% import "macros" as mm %}{{ mm.hi(a) }}']);
  if (r < 0.84) return `{% for i in range(${rng.pick(['n', '300', '40'])}) %}${rng.pick(['x', '{{ i }},', '{{ a }}'])}{% endfor %}`;
  return `{{ ${expr()} }}`;
}

function jinjaData(rng) {
  const data = mustacheData(rng);
  delete data.lam;
  if (rng.chance(0.7)) data.n = rng.pick([3, -2, 0, 2.5, 10, 1e21, 'x', null, 4, 1, 7, 2 ** 31, 2 ** 32, -(2 ** 32), 2 ** 32 + 1]);
  return data;
}

function makeJinja(rng) {
  let source = joinPieces(rng, 0, 6, () => jinjaNode(rng, 0));
  if (rng.chance(0.04)) source = '{% extends "base" %}{% block body %}' + source + '{% endblock %}';
  const options = { syntax: 'jinja', now: rng.chance(0.5) ? NOW : new Date(NOW * 1000 + rng.int(0, 1e9)) };
  if (rng.chance(0.12)) options.strict = true;
  if (rng.chance(0.6)) {
    options.partials = { p1: joinPieces(rng, 0, 3, () => jinjaNode(rng, 3, 0.01)), base: '<{% block body %}default{% endblock %}>', macros: '{% macro hi(x) %}hi {{ x }}{% endmacro %}' };
  }
  if (rng.chance(0.05)) options.maxOutputBytes = rng.int(0, 200);
  return { source, options, data: jinjaData(rng), second: jinjaData(rng), spotlit: rng.chance(0.08) ? spotlight(rng, ['a', 'items']) : null };
}

// ---------------------------------------------------------------------------------------------

/** Spotlighting options: untrusted names and a mode (sometimes an invalid one). */
function spotlight(rng, names) {
  const untrusted = names.filter(() => rng.chance(0.6));
  const mode = rng.chance(0.1) ? rng.pick(['shout', { open: '' }]) : rng.pick(['delimit', 'datamark', 'encode', { mode: 'delimit', open: '[[', close: ']]' }, { mode: 'datamark', marker: '^' }]);
  return { untrusted: rng.chance(0.05) ? ['no such name'] : untrusted, spotlight: mode };
}

function compileOptions(bridle, options, spotlit) {
  if (options === undefined && spotlit === null) return undefined;
  const compiled = { ...options, ...(spotlit ?? {}) };
  if (options?.helpers) {
    const all = helperSet(bridle);
    compiled.helpers = Object.fromEntries(options.helpers.map((name) => [name, all[name]]));
  }
  return compiled;
}

function runTemplate(bridle, input) {
  const { Template } = bridle;
  const template = Template.compile(input.source, compileOptions(bridle, input.options, input.spotlit));
  try {
    const render = (data) => attempt(() => {
      if (input.spotlit) return template.renderSpotlit(data);
      return input.privateData === undefined ? template.render(data) : template.render(data, { data: input.privateData });
    });
    return { variables: template.variables, syntax: template.syntax, first: render(input.data), second: render(input.second) };
  } finally {
    template.free();
  }
}

const rendered = (ok) => [ok.first, ok.second];

export const TEMPLATE_AREAS = [
  { name: 'templates/fstring', count: 2000, make: makeFstring, run: runTemplate, outputOf: rendered },
  { name: 'templates/mustache', count: 2000, make: makeMustache, run: runTemplate, outputOf: rendered },
  { name: 'templates/handlebars', count: 2000, make: makeHandlebars, run: runTemplate, outputOf: rendered },
  { name: 'templates/jinja', count: 2000, make: makeJinja, run: runTemplate, outputOf: rendered },
];
