// The two Node backends side by side on seeded random inputs across the whole API: templates in
// all four syntaxes, chat messages and prompts, prompt files, guardrails, JSON streaming and
// repair, schemas, tokens and packing, and model response decoding. One child process per backend
// (run-areas.mjs; BRIDLE_BACKEND is set here, whatever the caller's is) runs every area's cases and
// reports each result made fully observable (observe.mjs); every result must be identical, value
// for value: the output, or the error's class, name, code, message, line, column, offset, details
// and cause. So that agreement cannot come cheap, each area must also produce both outputs and
// errors in real numbers, and outputs that are not empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorKinds, firstDifference, hasError, preview } from './compare.mjs';

const CHILD = fileURLToPath(new URL('./run-areas.mjs', import.meta.url));
/** Least shares of a run's cases that must end in an error, and in an output (an area may ask for others). */
const DEFAULT_EXPECT = { errors: 0.05, outputs: 0.2 };
/** How many mismatches the failure message shows in full. */
const SHOWN = 5;
const JINJA_AREAS = new Set(['templates/jinja', 'chat/prompts']);

/**
 * When each backend's build output was last written: two builds from different commits disagree
 * for that reason alone, so the times are printed beside any mismatch.
 */
function buildTimes() {
  const root = new URL('../', import.meta.resolve('bridle'));
  const newest = (folder, ext) => {
    const dir = new URL(`${folder}/`, root);
    const times = readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => statSync(new URL(f, dir)).mtime.getTime());
    return times.length ? new Date(Math.max(...times)).toISOString() : 'missing';
  };
  return `native addon built ${newest('native', '.node')}, wasm modules built ${newest('wasm', '.wasm')}`;
}

function runChild(backend) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CHILD], { env: { ...process.env, BRIDLE_BACKEND: backend }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString();
      if (code !== 0) return reject(new Error(`the ${backend} child exited with ${code}:\n${stderr}`));
      try {
        resolve({ ...JSON.parse(Buffer.concat(out).toString()), wallMs: performance.now() - started, stderr });
      } catch (error) {
        reject(new Error(`the ${backend} child wrote no JSON: ${error.message}\n${stderr}`));
      }
    });
  });
}

test('native and wasm give identical results on seeded random inputs across the API', async () => {
  const [native, wasm] = await Promise.all([runChild('native'), runChild('wasm')]);
  assert.equal(native.backend, 'native');
  assert.equal(wasm.backend, 'wasm');
  assert.equal(native.version, wasm.version, 'both backends are the same core version');
  assert.deepEqual(wasm.areas.map((a) => a.name), native.areas.map((a) => a.name));

  let mismatches = [];
  const weak = [];
  let total = 0;
  for (const [k, area] of native.areas.entries()) {
    const other = wasm.areas[k];
    assert.equal(other.cases.length, area.cases.length, `${area.name}: case counts`);
    let identical = 0;
    let errors = 0;
    let empty = 0;
    const kinds = new Map();
    const distinct = new Set();
    for (const [i, mine] of area.cases.entries()) {
      const theirs = other.cases[i];
      const input = JSON.stringify(mine.input);
      assert.equal(JSON.stringify(theirs.input), input, `${area.name} case ${mine.index}: the children drew different inputs (the generator is not deterministic)`);
      const result = JSON.stringify(mine.result);
      if (JSON.stringify(theirs.result) === result) identical++;
      else mismatches.push({ area: area.name, index: mine.index, input: mine.input, native: mine.result, wasm: theirs.result, wide: mine.wide });
      distinct.add(result);
      if (hasError(mine.result)) {
        errors++;
        for (const kind of new Set(errorKinds(mine.result))) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      } else if (mine.empty) {
        empty++;
      }
    }
    const n = area.cases.length;
    const outputs = n - errors;
    total += n;
    console.log(`${area.name}: ${n} cases, ${identical} identical (${errors} errors, ${outputs} outputs, ${empty} of them empty; ${distinct.size} distinct results) native ${(area.ms / 1000).toFixed(1)} s, wasm ${(other.ms / 1000).toFixed(1)} s`);
    console.log(`  errors: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'}`);
    const expect = { ...DEFAULT_EXPECT, ...area.expect };
    if (errors < expect.errors * n) weak.push(`${area.name}: only ${errors} of ${n} cases end in an error (at least ${Math.ceil(expect.errors * n)} wanted)`);
    if (outputs < expect.outputs * n) weak.push(`${area.name}: only ${outputs} of ${n} cases give an output (at least ${Math.ceil(expect.outputs * n)} wanted)`);
    if (empty > outputs / 2) weak.push(`${area.name}: ${empty} of ${outputs} outputs are empty`);
    if (distinct.size < n / 5) weak.push(`${area.name}: only ${distinct.size} distinct results in ${n} cases`);
  }
  console.log(`all areas: ${total} cases, ${total - mismatches.length} identical (${mismatches.filter((m) => !m.wide).length} of the differing cases without an integer of 2^31 or more); child processes native ${(native.wallMs / 1000).toFixed(1)} s, wasm ${(wasm.wallMs / 1000).toFixed(1)} s (run side by side)`);
  console.log(buildTimes());

  // The one documented difference (docs/limits.md, "wasm32"): minijinja's slices, range, split,
  // batch and string repetition take 32-bit integers in the wasm module, so a Jinja template
  // given an integer of 2^31 or more may differ. Counted, shown, and allowed only there.
  const jinjaWide = mismatches.filter((m) => m.wide && JINJA_AREAS.has(m.area));
  if (jinjaWide.length) console.log(`allowed: ${jinjaWide.length} Jinja cases with an integer of 2^31 or more differ (wasm32's 32-bit integers in minijinja)`);
  mismatches = mismatches.filter((m) => !jinjaWide.includes(m));
  if (mismatches.length > 0) {
    const byArea = new Map();
    for (const m of mismatches) byArea.set(m.area, (byArea.get(m.area) ?? 0) + 1);
    // Mismatches of the known integer-width bug last, so any other kind shows first.
    const wide = mismatches.filter((m) => m.wide).length;
    const ordered = [...mismatches.filter((m) => !m.wide), ...mismatches.filter((m) => m.wide)];
    const shown = ordered.slice(0, SHOWN).map((m) => {
      const difference = firstDifference(m.native, m.wasm);
      return [
        `--- ${m.area} case ${m.index} (rerun: BACKENDS_ONLY=${m.area} BACKENDS_CASES=${m.index} BRIDLE_BACKEND=native|wasm node tests/backends/run-areas.mjs)`,
        `input:  ${preview(m.input, 1500)}`,
        `differs at ${difference.path}:`,
        `  native: ${preview(difference.a)}`,
        `  wasm:   ${preview(difference.b)}`,
      ].join('\n');
    });
    const known = `${wide} of them with an integer of 2^31 or more in the input, the known bug of integer-width.test.mjs`;
    assert.fail(`${mismatches.length} results differ between native and wasm (${[...byArea].map(([area, count]) => `${area}: ${count}`).join(', ')}; ${known}; ${buildTimes()}):\n${shown.join('\n')}`);
  }
  assert.deepEqual(weak, [], 'every area must produce outputs and errors in real numbers');
});
