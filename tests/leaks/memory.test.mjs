// Memory stays flat: each operation BRIDLE_LEAK_CALLS times (default 1,000,000) through each
// backend, each in a child process of its own (worker.mjs); after a warm-up of the first tenth,
// the process's memory (rss, JS heap, external, array buffers) and every wasm module's linear
// memory stay within bounds (measure.mjs says why those bounds catch a 16-byte-a-call leak),
// and every compiled template is released (explicit free, or the finalizer for dropped objects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BOUNDS, overBounds, runWorkerScript, table } from './measure.mjs';

const here = new URL('.', import.meta.url);
const OPERATIONS = JSON.parse(execFileSync(process.execPath, ['worker.mjs', '--list'], { cwd: here, encoding: 'utf8' }));

// A process per operation: wasm memory never shrinks, so free space an earlier operation left
// in it would hide a later operation's leak until it was used up. runWorkerScript fixes the
// young generation's size (see measure.mjs).

/** Runs worker.mjs for one operation on `backend`; resolves to that operation's result. */
async function runWorker(backend, operation) {
  const report = await runWorkerScript('worker.mjs', { BRIDLE_BACKEND: backend, BRIDLE_LEAK_OPS: operation }, `the ${backend} worker for '${operation}'`);
  if (report.backend !== backend) throw new Error(`asked for ${backend}, the worker ran on ${report.backend}`);
  return report.results[0];
}

/** The operations of `backend` one after another; a promise for each operation's result. */
function queue(backend) {
  let previous = Promise.resolve();
  return OPERATIONS.map((operation) => {
    const result = previous.catch(() => {}).then(() => runWorker(backend, operation));
    // Awaited by the tests; a rejection before then is not an unhandled one.
    result.catch(() => {});
    previous = result;
    return result;
  });
}

// Both backends at once (one process each at a time): each process measures only itself, and
// on two cores the pair takes the time of the slower backend.
const started = performance.now();
const results = { native: queue('native'), wasm: queue('wasm') };

for (const backend of ['native', 'wasm']) {
  test(`memory stays flat over a million calls of each operation (${backend})`, async (t) => {
    const rows = [];
    for (const [index, operation] of OPERATIONS.entries()) {
      await t.test(operation, async () => {
        const { name, gcTimed, calls, ms, before, samples } = await results[backend][index];
        const start = samples[0];
        const end = samples.at(-1);
        rows.push({ name: gcTimed ? `${name} *` : name, calls, ms, start, end, measured: calls - start.calls });
        if (backend === 'wasm') {
          for (const [module, bytes] of Object.entries(start.wasm)) assert.ok(bytes > 0, `no size for the ${module} wasm memory`);
        }
        for (const s of samples) {
          assert.equal(s.liveTemplates, before.liveTemplates, `${s.liveTemplates - before.liveTemplates} compiled templates still live after collection at call ${s.calls}`);
        }
        // When V8 alone decides when dropped objects are collected, how much backend memory
        // waits for it is its heuristics' business (see worker.mjs): the JS heap must be flat.
        if (gcTimed) console.log(`${backend} ${name}: most templates alive at once between checkpoints: ${samples.map((s) => s.peakLiveTemplates).join(', ')}`);
        const over = overBounds(start, end, gcTimed ? ['heapUsed'] : undefined);
        assert.deepEqual(over, [], `bounds: ${JSON.stringify(BOUNDS)}`);
      });
    }
    console.log(table(backend, rows));
    console.log(`${backend}: ${rows.length} operations, ${((performance.now() - started) / 1000).toFixed(0)} s since the start; * = collected when V8 decides (only the JS heap and the release asserted)`);
  });
}
