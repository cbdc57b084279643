// The conformance suites this project did not write (../shared/conformance), run through the
// public API of whichever backend is live. Each suite returns { name, passed, total, failures }.
import { readFileSync } from 'node:fs';
import { expand, runCase } from '../vectors/index.mjs';

const shared = new URL('../../../shared/conformance/', import.meta.url);
const readJson = (url) => JSON.parse(readFileSync(url, 'utf8'));

/** The count each suite must reach; the JS tests fail below it. */
export const REQUIRED = {
  fstring: 48,
  'mustache-core': 136,
  // ~inheritance, ~dynamic-names and ~lambdas (their JavaScript functions, run through the host).
  'mustache-optional': 58,
  'hf-chat-templates': 53,
  'handlebars-data': 250,
  'handlebars-helpers': 0,
};

/** 2025-07-10T12:00:00Z, the time the expected chat-template outputs were rendered with. */
const HF_NOW = 1752148800;

function hfSuite(bridle) {
  const doc = readJson(new URL('hf-chat-templates.json', shared));
  const failures = [];
  for (const c of doc.cases) {
    let output;
    try {
      output = bridle.render(c.template, c.context, { syntax: 'jinja', now: HF_NOW });
    } catch (error) {
      output = `${error.code}: ${error.message}`;
    }
    if (output !== c.expected) failures.push(`${c.name}: ${JSON.stringify(output).slice(0, 200)}`);
  }
  return { name: 'hf-chat-templates', passed: doc.cases.length - failures.length, total: doc.cases.length, failures };
}

/** A spec's code object (`{__tag__: 'code', js}` or `{'!code': true, javascript}`) as a function. */
function evaluateCode(source, handlebars) {
  // Sloppy mode on purpose: one lambda counts its calls on the global object through `this`.
  return new Function('Handlebars', `return (${source});`)(handlebars);
}

/** `value` with every code object replaced by the function it holds. */
function withFunctions(value, handlebars) {
  if (Array.isArray(value)) return value.map((item) => withFunctions(item, handlebars));
  if (value === null || typeof value !== 'object') return value;
  if (value.__tag__ === 'code') return evaluateCode(value.js, handlebars);
  if (value['!code'] === true) return evaluateCode(value.javascript, handlebars);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withFunctions(item, handlebars)]));
}

function mustacheSuite(bridle, name, files) {
  let passed = 0;
  let total = 0;
  const failures = [];
  for (const file of files) {
    for (const test of readJson(new URL(`mustache/${file}.json`, shared)).tests) {
      total++;
      let output;
      try {
        const data = withFunctions(test.data);
        output = bridle.render(test.template, data, { syntax: 'mustache', escape: 'html', partials: test.partials ?? {} });
      } catch (error) {
        output = `${error.code}: ${error.message}`;
      }
      if (output === test.expected) passed++;
      else failures.push(`${file} / ${test.name}: ${JSON.stringify(output)}`);
    }
  }
  return { name, passed, total, failures };
}

function fstringSuite(bridle) {
  const vectors = JSON.parse(readFileSync(new URL('../vectors/fstring.json', import.meta.url), 'utf8'));
  const failures = [];
  for (const testCase of vectors.cases) {
    const result = runCase(bridle.Template, vectors.syntax, testCase);
    if (!result.ok) failures.push(`${testCase.name}: ${result.problems.join('; ')}`);
  }
  return { name: 'fstring', passed: vectors.cases.length - failures.length, total: vectors.cases.length, failures };
}

/** What handlebars.js offers the spec's helpers: `Handlebars.SafeString` and friends. */
function handlebarsShim(bridle) {
  const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  const escapeExpression = (value) => {
    if (value != null && typeof value.toHTML === 'function') return value.toHTML();
    if (value == null) return '';
    if (!value) return String(value);
    return String(value).replace(/[&<>"'`=]/g, (c) => escapes[c]);
  };
  return {
    SafeString: bridle.SafeString,
    escapeExpression,
    Utils: { escapeExpression },
    createFrame: (frame) => ({ ...frame, _parent: frame }),
  };
}

/** The handlebars.js compile options the spec uses, as Bridle options. */
function handlebarsOptions(compileOptions = {}) {
  const { strict, noEscape, knownHelpers, stringParams, trackIds, ...flags } = compileOptions;
  return {
    syntax: 'handlebars',
    escape: noEscape ? 'none' : 'html',
    ...(strict === undefined ? {} : { strict }),
    handlebars: flags,
  };
}

const HANDLEBARS_FILES = ['basic', 'blocks', 'builtins', 'data', 'helpers', 'partials', 'regressions', 'strict',
  'string-params', 'subexpressions', 'track-ids', 'whitespace-control'];

/** Whether a spec case holds JavaScript (helpers, or functions in its data). */
function needsCode(value) {
  if (value === null || typeof value !== 'object') return false;
  if (value['!code'] === true) return true;
  return Object.values(value).some(needsCode);
}

/**
 * The handlebars.js spec: `data` takes the cases without JavaScript, `helpers` the rest, with
 * their helpers and data functions evaluated and registered through the public API.
 */
function handlebarsSuite(bridle, name, withCode) {
  const shim = handlebarsShim(bridle);
  let passed = 0;
  let total = 0;
  const failures = [];
  for (const file of HANDLEBARS_FILES) {
    for (const test of readJson(new URL(`handlebars/${file}.json`, shared))) {
      if (('helpers' in test || needsCode(test)) !== withCode) continue;
      total++;
      let output;
      let threw = false;
      try {
        if (test.runtimeOptions?.data !== undefined && test.runtimeOptions.data !== false) {
          throw new Error('runtime @data is not part of the API');
        }
        const options = handlebarsOptions(test.compileOptions);
        if (test.partials) options.partials = test.partials;
        if (test.helpers) options.helpers = withFunctions(test.helpers, shim);
        output = bridle.render(test.template, withFunctions(test.data, shim), options);
      } catch (error) {
        threw = true;
        output = `${error.code}: ${error.message}`;
      }
      if (test.exception ? threw : output === test.expected) passed++;
      else failures.push(`${file} / ${test.description} / ${test.it}: ${JSON.stringify(output).slice(0, 160)}`);
    }
  }
  return { name, passed, total, failures };
}

export function runSuites(bridle) {
  return [
    fstringSuite(bridle),
    mustacheSuite(bridle, 'mustache-core', ['comments', 'delimiters', 'interpolation', 'inverted', 'partials', 'sections']),
    mustacheSuite(bridle, 'mustache-optional', ['~inheritance', '~dynamic-names', '~lambdas']),
    handlebarsSuite(bridle, 'handlebars-data', false),
    handlebarsSuite(bridle, 'handlebars-helpers', true),
    hfSuite(bridle),
  ];
}

export { expand };
