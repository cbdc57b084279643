// Assertions shared by the runtime tests on what `runSuite` returned.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SAMPLE } from './suite.mjs';

export const vectors = JSON.parse(readFileSync(new URL('../vectors/fstring.json', import.meta.url), 'utf8'));

/** The mustache spec's core files, as the runtime tests load them. */
export const MUSTACHE_CORE = ['comments', 'delimiters', 'interpolation', 'inverted', 'partials', 'sections'];

/** The names index.d.ts declares as exports, sorted. */
export function declaredExports() {
  const dts = readFileSync(new URL('../../npm/bridle/index.d.ts', import.meta.url), 'utf8');
  const names = new Set();
  for (const match of dts.matchAll(/^export declare (?:class|function|const) (\w+)/gm)) names.add(match[1]);
  return [...names].sort();
}

export function checkSuiteResult(runtime, result) {
  assert.ok(!result.error, `${runtime}: ${result.error}`);
  console.log(`${runtime}: backend ${result.backend}, ${result.passed}/${vectors.cases.length} f-string vectors passed`);
  console.log(`conformance mustache-core ${runtime}: ${result.mustache.passed}/${result.mustache.total}`);
  assert.equal(result.mustache.total, 136);
  assert.equal(result.mustache.passed, 136);
  console.log(`conformance hf-chat-templates ${runtime}: ${result.chat.passed}/${result.chat.total}`);
  assert.equal(result.chat.total, 53);
  assert.equal(result.chat.passed, 53);
  assert.equal(result.backend, 'wasm');
  assert.deepEqual(result.exports, declaredExports(), `${runtime}: exports differ from index.d.ts`);
  assert.deepEqual(result.failures, []);
  assert.equal(result.passed, vectors.cases.length);
  assert.deepEqual(result.panic, { name: 'InternalError', code: 'internal', isBridleError: true });
  assert.equal(result.afterPanic, 'after panic');
  assert.equal(result.sample, SAMPLE.expected);
}
