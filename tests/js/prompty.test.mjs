// Prompty (.prompty) files on the shared vectors (tests/vectors/prompty.json, also run by
// core/tests/prompty_vectors.rs): every case through loadPrompt + render on this backend,
// compared with `expected` (which scripts/prompty-reference.py checks against Prompty 2.1.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bridle from 'bridle';
import { runPrompty } from '../conformance/cases.mjs';

const { loadPrompt, backend } = bridle;
import { loadVectors } from './helpers.mjs';

const vectors = loadVectors('prompty.json');

test('Prompty vectors', () => {
  const { passed, total, failures } = runPrompty(bridle, vectors);
  console.log(`prompty vectors ${backend}: ${passed}/${total}`);
  assert.deepEqual(failures, []);
});

test('Prompty load options are checked', () => {
  const source = '---\ninputs: ${file:in.json}\n---\nuser:\n{{q}}';
  assert.throws(() => loadPrompt(source, { format: 'prompty', files: 'in.json' }), (e) => e.code === 'invalid_argument');
  assert.throws(() => loadPrompt(source, { format: 'prompty', files: { 'in.json': { q: {} } } }), (e) => e.code === 'invalid_argument' && e.details.file === 'in.json');
  assert.throws(() => loadPrompt(source, { format: 'prompty', files: { '../in.json': '{}' } }), (e) => e.code === 'invalid_argument' && e.details.file === '../in.json');
  assert.throws(() => loadPrompt(source, { format: 'prompty', files: { 'in.json': '{not json' } }), (e) => e.code === 'prompt_syntax' && e.details.file === 'in.json');
  const prompt = loadPrompt(source, { format: 'prompty', files: { './in.json': '{"q": {"kind": "string", "default": "hi"}}' } });
  assert.deepEqual(prompt.frontMatter.inputs, { q: { kind: 'string', default: 'hi' } });
  assert.deepEqual(prompt.render().messages, [{ role: 'user', content: 'hi' }]);
  prompt.free();
});
