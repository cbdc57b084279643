// The size of the wasm module users download, raw and gzip, against the budget.
// Budget history: 400 KB gzip for the foundation (issue 2); 700 KB gzip once Jinja (minijinja)
// came in (issue 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = 700 * 1024;

test(`wasm module is within the ${BUDGET_GZIP_BYTES / 1024} KB gzip budget`, () => {
  const wasm = readFileSync(new URL('../../npm/bridle/wasm/bridle_wasm_bg.wasm', import.meta.url));
  const glue = readFileSync(new URL('../../npm/bridle/wasm/bridle_wasm.js', import.meta.url));
  const gzip = gzipSync(wasm, { level: 9 }).length;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`wasm size: ${kb(wasm.length)} raw, ${kb(gzip)} gzip (budget ${kb(BUDGET_GZIP_BYTES)} gzip); ` +
    `JS glue ${kb(glue.length)} raw, ${kb(gzipSync(glue, { level: 9 }).length)} gzip`);
  assert.ok(gzip <= BUDGET_GZIP_BYTES, `wasm is ${kb(gzip)} gzip, over the ${kb(BUDGET_GZIP_BYTES)} budget`);
});
