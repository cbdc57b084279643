// Prompty (.prompty) files on the shared vectors (tests/vectors/prompty.json, also run by
// core/tests/prompty_vectors.rs): every case through loadPrompt + render on this backend,
// compared with `expected` (which scripts/prompty-reference.py checks against Prompty 2.1.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPrompt, backend } from 'bridle';
import { loadVectors } from './helpers.mjs';

const vectors = loadVectors('prompty.json');

/** The value at a dotted path of the front matter. */
function lookup(tree, path) {
  return path.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), tree);
}

/** What is wrong with Bridle's result for a case, or null. */
function check(c) {
  let prompt;
  let out;
  try {
    prompt = loadPrompt(c.source, { format: 'prompty', env: c.env ?? {}, files: c.files ?? {} });
    out = prompt.render(c.inputs);
  } catch (error) {
    if (c.expected.error === undefined) return `unexpected error ${error.code}: ${error.message}`;
    if (error.code !== c.expected.error) return `error ${error.code} (${error.message}) instead of ${c.expected.error}`;
    for (const [key, want] of Object.entries(c.expected.details ?? {})) {
      if (error.details?.[key] !== want) return `details.${key} is ${JSON.stringify(error.details?.[key])}, not ${JSON.stringify(want)}`;
    }
    return null;
  } finally {
    prompt?.free();
  }
  if (c.expected.error !== undefined) return `expected error ${c.expected.error}, got ${JSON.stringify(out.messages)}`;
  try {
    assert.deepEqual(out.messages, c.expected.messages);
  } catch {
    return `messages ${JSON.stringify(out.messages)}`;
  }
  for (const [path, want] of Object.entries(c.expected.values ?? {})) {
    // The render carries the front matter's fields too.
    if (JSON.stringify(lookup(prompt.frontMatter, path)) !== JSON.stringify(want)) return `${path} is ${JSON.stringify(lookup(prompt.frontMatter, path))}`;
    if (JSON.stringify(lookup(out, path)) !== JSON.stringify(want)) return `render's ${path} is ${JSON.stringify(lookup(out, path))}`;
  }
  return null;
}

test('Prompty vectors', () => {
  const failures = vectors.cases.map((c) => [c.name, check(c)]).filter(([, problem]) => problem !== null);
  console.log(`prompty vectors ${backend}: ${vectors.cases.length - failures.length}/${vectors.cases.length}`);
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
