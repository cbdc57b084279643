// The two backends side by side: every vector, plus seeded random templates and values, gives
// byte-identical output or the identical error (class, code, message, position) on both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const script = `
  import * as bridle from 'bridle';
  import { readFileSync } from 'node:fs';
  import { expand } from '../vectors/index.mjs';
  import { Rng } from '../../../shared/bench/workloads/rng.mjs';
  const outcome = (body) => {
    try { return { out: body() }; }
    catch (e) { return { name: e.name, code: e.code, message: e.message, line: e.line, column: e.column, offset: e.offset, details: e.details }; }
  };
  const vectors = JSON.parse(readFileSync(new URL('../vectors/fstring.json', import.meta.url), 'utf8'));
  const results = vectors.cases.map((c) => outcome(() => bridle.render(expand(c.template), c.data)));
  const rng = new Rng(77);
  const pieces = ['{', '}', '{{', '}}', 'x', '\\n', 'é', '😀', '{a}', '{b}', '{ a}'];
  const values = ['', 'v', '\\u0000', '\\ud800', 0, 1.5e300, false, null, [1, { k: 'é' }], undefined];
  for (let i = 0; i < 2000; i++) {
    let source = '';
    for (let n = rng.int(0, 10); n > 0; n--) source += rng.pick(pieces);
    results.push(outcome(() => bridle.render(source, { a: rng.pick(values), b: rng.pick(values) })));
  }
  console.log(JSON.stringify({ backend: bridle.backend, results }));
`;

function run(backend) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script],
    { cwd: new URL('.', import.meta.url), env: { ...process.env, BRIDLE_BACKEND: backend }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

test('native and wasm agree on every output and every error', () => {
  const native = run('native');
  const wasm = run('wasm');
  assert.equal(native.backend, 'native');
  assert.equal(wasm.backend, 'wasm');
  let same = 0;
  for (let i = 0; i < native.results.length; i++) {
    assert.deepEqual(wasm.results[i], native.results[i], `case ${i}`);
    same++;
  }
  const errors = native.results.filter((r) => r.code).length;
  console.log(`native vs wasm: ${same}/${native.results.length} identical (${errors} of them errors)`);
});
