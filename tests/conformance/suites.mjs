// The conformance suites this project did not write (../shared/conformance), run through the
// public API of whichever backend is live. Each suite returns { name, passed, total, failures }.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import yaml from 'js-yaml';
import { expand, runCase } from '../vectors/index.mjs';
import { isHandlebarsCodeCase, runChatTemplates, runDotprompt, runHandlebars, runMustache } from './cases.mjs';

const shared = new URL('../../../shared/conformance/', import.meta.url);
const readJson = (url) => JSON.parse(readFileSync(url, 'utf8'));

/** The count each suite must reach; the JS tests fail below it. */
export const REQUIRED = {
  fstring: 48,
  'mustache-core': 136,
  // ~inheritance, ~dynamic-names and ~lambdas (their JavaScript functions, run through the host).
  'mustache-optional': 58,
  'hf-chat-templates': 53,
  'handlebars-data': 257,
  'handlebars-helpers': 179,
  dotprompt: 117,
};

export const MUSTACHE_CORE = ['comments', 'delimiters', 'interpolation', 'inverted', 'partials', 'sections'];
export const MUSTACHE_OPTIONAL = ['~inheritance', '~dynamic-names', '~lambdas'];
export const HANDLEBARS_FILES = ['basic', 'blocks', 'builtins', 'data', 'helpers', 'partials', 'regressions',
  'strict', 'string-params', 'subexpressions', 'track-ids', 'whitespace-control'];

function mustacheCases(files) {
  return files.flatMap((file) => readJson(new URL(`mustache/${file}.json`, shared)).tests.map((test) => ({ ...test, file })));
}

/** The handlebars.js spec's cases: those without JavaScript (`data`) or with it. */
export function handlebarsCases(withCode) {
  return HANDLEBARS_FILES.flatMap((file) => readJson(new URL(`handlebars/${file}.json`, shared))
    .filter((test) => isHandlebarsCodeCase(test) === withCode)
    .map((test) => ({ ...test, file })));
}

/** The Dotprompt spec's groups, from every YAML file under `dotprompt/`, each tagged with its file. */
export function dotpromptGroups() {
  const root = new URL('dotprompt/', shared);
  const files = [];
  const walk = (dir, prefix) => {
    for (const name of readdirSync(dir).sort()) {
      const url = new URL(name, dir);
      if (statSync(url).isDirectory()) walk(new URL(`${name}/`, dir), `${prefix}${name}/`);
      else if (name.endsWith('.yaml')) files.push([url, `${prefix}${name}`]);
    }
  };
  walk(root, '');
  return files.flatMap(([url, file]) => (yaml.load(readFileSync(url, 'utf8')) ?? []).map((group) => ({ ...group, file })));
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

export function runSuites(bridle) {
  return [
    fstringSuite(bridle),
    runMustache(bridle, 'mustache-core', mustacheCases(MUSTACHE_CORE)),
    runMustache(bridle, 'mustache-optional', mustacheCases(MUSTACHE_OPTIONAL)),
    runHandlebars(bridle, 'handlebars-data', handlebarsCases(false)),
    runHandlebars(bridle, 'handlebars-helpers', handlebarsCases(true)),
    runChatTemplates(bridle, readJson(new URL('hf-chat-templates.json', shared)).cases),
    runDotprompt(bridle, dotpromptGroups()),
  ];
}

export { expand };
