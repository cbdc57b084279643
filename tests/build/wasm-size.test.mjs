// The size of the wasm modules users download, raw and gzip, against the budgets.
// Budget history: 400 KB gzip for the foundation (issue 2); 700 KB gzip once Jinja (minijinja)
// came in (issue 3). Issue 6's guardrails (rule tables, automata, the public-suffix list) are a
// module of their own, bridle_guard_bg.wasm, so the main module stays within its budget and
// the guard module has its own. Issue 7's model providers (request building, stream decoding,
// output validation, the gloo-net transport) would have taken the main module to 738.6 KB gzip,
// so they are a third module, bridle_model_bg.wasm, with its own budget; issue 8's chain engine
// went into it too (247.0 → 282.2 KB gzip). Issue 9's tokenizer (splitting, merging, message
// counting, budget packing; the rank tables are data the caller loads) is a fourth module,
// bridle_tokens_bg.wasm: 117.5 KB gzip with aho-corasick for special tokens, 85.0 KB with a
// byte scan instead (specials are few and start with `<`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function check(name, wasmFile, glueFile, budget) {
  const wasm = readFileSync(new URL(`../../npm/bridle/wasm/${wasmFile}`, import.meta.url));
  const glue = readFileSync(new URL(`../../npm/bridle/wasm/${glueFile}`, import.meta.url));
  const gzip = gzipSync(wasm, { level: 9 }).length;
  console.log(`wasm size (${name}): ${kb(wasm.length)} raw, ${kb(gzip)} gzip (budget ${kb(budget)} gzip); ` +
    `JS glue ${kb(glue.length)} raw, ${kb(gzipSync(glue, { level: 9 }).length)} gzip`);
  assert.ok(gzip <= budget, `${wasmFile} is ${kb(gzip)} gzip, over the ${kb(budget)} budget`);
}

test('the main wasm module is within the 700 KB gzip budget', () => {
  check('main', 'bridle_wasm_bg.wasm', 'bridle_wasm.js', 700 * 1024);
});

test('the guardrails wasm module is within the 350 KB gzip budget', () => {
  check('guard', 'bridle_guard_bg.wasm', 'bridle_guard.js', 350 * 1024);
});

test('the model and chain wasm module is within the 300 KB gzip budget', () => {
  check('model', 'bridle_model_bg.wasm', 'bridle_model.js', 300 * 1024);
});

test('the tokenizer wasm module is within the 100 KB gzip budget', () => {
  check('tokens', 'bridle_tokens_bg.wasm', 'bridle_tokens.js', 100 * 1024);
});
