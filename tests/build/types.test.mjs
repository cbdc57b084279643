// Declarations stay true: the napi-generated binding types match the committed copy (so a
// binding change is a reviewed change), and index.d.ts declares exactly what each entry exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { declaredExports } from '../runtimes/check.mjs';

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');

test('bindings-node/binding.d.ts is what napi generates from the code', () => {
  const generated = read('../../npm/bridle/native/binding.d.ts');
  const committed = read('../../bindings-node/binding.d.ts');
  assert.equal(generated, committed, 'the native binding changed: copy npm/bridle/native/binding.d.ts to bindings-node/');
});

test('index.d.ts declares exactly the runtime exports of the Node (ESM, CJS) and web entries', async () => {
  const declared = declaredExports();
  const esm = await import('bridle');
  const cjs = createRequire(import.meta.url)('bridle');
  const web = await import('../../npm/bridle/src/web.js');
  for (const [name, entry] of [['node ESM', esm], ['node CJS', cjs], ['web', web]]) {
    const actual = Object.keys(entry).filter((key) => key !== 'default' && key !== '__esModule').sort();
    assert.deepEqual(actual, declared, name);
  }
});
