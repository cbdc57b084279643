// Integers past 32 bits. The wasm module is wasm32, where Rust's usize/isize have 32 bits. The
// core's own options (JsonStream limits, pack counts, few-shot maxLength) read such numbers
// alike on both backends: saturated, or refused alike. minijinja's slices, steps, split, range,
// batch and string repetition convert to isize/usize inside minijinja, so there a Jinja template
// given 2^31 or more may differ (docs/limits.md says so): those cases must still end in an
// output or a typed error on both backends, never a crash that leaves the module unusable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { firstDifference, preview } from './compare.mjs';

const N = 2 ** 32;
/** name → JavaScript evaluated with `b` the bridle module and `N` = 2^32. */
const JINJA = {
  // Jinja (minijinja): slices of values made in the template (a list from the data slices
  // alike on both), steps, counts.
  'jinja slice start': `b.render('{{ [1, 2, 3][n:] }}', { n: N }, { syntax: 'jinja' })`, // native '[]' (as Jinja2), wasm '[1, 2, 3]'
  'jinja slice end': `b.render('{{ [1, 2, 3][:n] }}', { n: N }, { syntax: 'jinja' })`, // native '[1, 2, 3]', wasm '[]'
  'jinja string slice': `b.render('{{ "abc"[n:] }}|{{ "abc"[:n] }}', { n: N }, { syntax: 'jinja' })`, // native '|abc', wasm 'abc|'
  'jinja slice step': `b.render('{{ [1, 2, 3][0:3:n] }}', { n: N }, { syntax: 'jinja' })`, // native '[1]', wasm InternalError (panic: step != 0)
  'jinja split count': `b.render('{{ s.split("b", n) }}', { n: N, s: 'abc' }, { syntax: 'jinja' })`, // native "['a', 'c']", wasm "['abc']"
  'jinja range step': `b.render('{{ range(0, 10, n)|list }}', { n: N }, { syntax: 'jinja' })`, // native '[0]', wasm "cannot convert number to isize"
  'jinja range size': `b.render('{{ range(n)|length }}', { n: 2 ** 31 }, { syntax: 'jinja' })`, // native "range has too many elements", wasm "cannot convert number to isize"
  'jinja negative range': `b.render('{{ range(n)|length }}', { n: -(2 ** 31) - 1 }, { syntax: 'jinja' })`, // native '0', wasm "cannot convert number to isize"
  'jinja batch': `b.render('{{ items|batch(n)|list }}', { n: N, items: [1] }, { syntax: 'jinja' })`, // native '[[1]]', wasm "cannot convert number to usize"
  'jinja repeat': `b.render('{{ "x" * n }}', { n: N }, { syntax: 'jinja' })`, // native limit_exceeded (fuel), wasm template_render "repeated string is too large"
};

/** The core's own options: identical on both backends. */
const OPTIONS = {
  'JsonStream maxDepth': `(() => { const s = new b.JsonStream({ maxDepth: N }); s.push('[[1]]'); return s.end(); })()`, // native [[1]], wasm "nests deeper than 0 levels"
  'pack maxTokens': `b.pack({ sections: { h: { trim: 'drop-oldest' } }, data: { h: [{ role: 'user', content: 'hi' }] }, maxTokens: N })`, // wasm: budget 0, everything dropped
  'pack keep and reserve': `b.pack({ sections: { h: { trim: 'drop-oldest', keep: N } }, data: { h: [{ role: 'user', content: 'hi' }] }, maxTokens: 5, reserve: N })`,
  'fewShot maxLength': `b.chatPrompt([{ fewShot: { examples: [{ q: 'a' }], examplePrompt: [['user', '{q}']], maxLength: N } }]).render({})`, // native one example, wasm none
};

const script = `
  import * as b from 'bridle';
  import { outcome } from './observe.mjs';
  const N = ${N};
  const cases = ${JSON.stringify({ ...JINJA, ...OPTIONS })};
  const results = {};
  for (const [name, code] of Object.entries(cases)) {
    results[name] = outcome(() => eval(code));
    // The module is still usable after each.
    if (b.render('{x}', { x: 1 }) !== '1') throw new Error('the module is not usable after ' + name);
  }
  console.log(JSON.stringify({ backend: b.backend, results }));
`;

function run(backend) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('.', import.meta.url), env: { ...process.env, BRIDLE_BACKEND: backend }, encoding: 'utf8', maxBuffer: 16 << 20,
  });
  return JSON.parse(out);
}

test('numbers past 32 bits: the core\'s options alike on both backends; Jinja\'s typed on both', () => {
  const native = run('native');
  const wasm = run('wasm');
  assert.equal(native.backend, 'native');
  assert.equal(wasm.backend, 'wasm');
  const differing = [];
  for (const name of Object.keys(OPTIONS)) {
    const difference = firstDifference(native.results[name], wasm.results[name]);
    if (difference) differing.push(`${name}: ${OPTIONS[name]}\n  at ${difference.path}\n  native: ${preview(difference.a, 300)}\n  wasm:   ${preview(difference.b, 300)}`);
  }
  console.log(`integer width, the core's options: ${Object.keys(OPTIONS).length - differing.length}/${Object.keys(OPTIONS).length} identical`);
  assert.equal(differing.length, 0, `${differing.length} cases differ:\n${differing.join('\n')}`);
  let same = 0;
  for (const name of Object.keys(JINJA)) {
    for (const result of [native.results[name], wasm.results[name]]) {
      // An output, or a BridleError with a code; an InternalError (a caught panic) is allowed
      // only on wasm, where minijinja asserts on a step that wrapped to 0.
      const error = result.error ?? result.thrown;
      if (error) assert.ok(typeof error.code === 'string', `${name}: not a typed error: ${preview(result, 300)}`);
    }
    if (!firstDifference(native.results[name], wasm.results[name])) same += 1;
  }
  console.log(`integer width, Jinja (documented in docs/limits.md): ${same}/${Object.keys(JINJA).length} identical, the rest typed on both`);
});
