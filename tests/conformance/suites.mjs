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
  // Inheritance's whitespace rules are not all implemented yet (7 of 27 fail).
  'mustache-optional': 41,
  'hf-chat-templates': 53,
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

function mustacheSuite(bridle, name, files) {
  let passed = 0;
  let total = 0;
  const failures = [];
  for (const file of files) {
    for (const test of readJson(new URL(`mustache/${file}.json`, shared)).tests) {
      total++;
      let output;
      try {
        output = bridle.render(test.template, test.data, { syntax: 'mustache', escape: 'html', partials: test.partials ?? {} });
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

export function runSuites(bridle) {
  return [
    fstringSuite(bridle),
    mustacheSuite(bridle, 'mustache-core', ['comments', 'delimiters', 'interpolation', 'inverted', 'partials', 'sections']),
    mustacheSuite(bridle, 'mustache-optional', ['~inheritance', '~dynamic-names']),
    hfSuite(bridle),
  ];
}

export { expand };
