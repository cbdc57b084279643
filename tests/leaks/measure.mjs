// Memory samples for the leak tests: the process's memory after a full collection, and the
// size of each wasm module's linear memory (which never shrinks, so any growth after warm-up
// is a high-water mark that a leak keeps pushing up).
import { spawn } from 'node:child_process';
import * as bridle from 'bridle';

/** The wasm-bindgen glue files, one per module the wasm backend loads. */
const WASM_MODULES = { main: 'bridle_wasm.js', guard: 'bridle_guard.js', model: 'bridle_model.js', tokens: 'bridle_tokens.js' };

/**
 * Each module's `WebAssembly.Memory`, or null on the native backend. The facade exposes only the
 * main module's size (`_debug.memoryBytes`), so this imports the same glue files the facade
 * imported (same resolved URL, so the same module instances) and asks each for its exports:
 * wasm-bindgen's `initSync` returns the instance it already made. Were these other instances,
 * `initSync()` without a module would throw instead of measuring the wrong memory.
 */
export async function wasmMemories() {
  if (bridle.backend !== 'wasm') return null;
  const entry = import.meta.resolve('bridle');
  const memories = {};
  for (const [name, file] of Object.entries(WASM_MODULES)) {
    const glue = await import(new URL(`../wasm/${file}`, entry));
    memories[name] = glue.initSync().memory;
  }
  if (memories.main.buffer.byteLength !== bridle._debug.memoryBytes()) {
    throw new Error('the main wasm memory found is not the one the facade uses');
  }
  return memories;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Collects everything collectable, lets FinalizationRegistry callbacks run (they are tasks, so
 * they need a turn of the event loop) and collects what they released, then samples.
 */
export async function sample(memories) {
  for (let round = 0; round < 3; round++) {
    globalThis.gc();
    await settle();
  }
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const wasm = {};
  if (memories) for (const [name, memory] of Object.entries(memories)) wasm[name] = memory.buffer.byteLength;
  return { rss, heapTotal, heapUsed, external, arrayBuffers, wasm, liveTemplates: bridle._debug.liveTemplates() };
}

// The bounds, for the default 1,000,000 calls measured from the end of the warm-up (the first
// 10%) to the end: 900,000 calls. A leak of 16 bytes a call is 14.4 MB = 13.7 MiB there, and
// more in practice (wasm's allocator adds a header: 16 bytes leaked a call in the guard module
// grew its memory by 20.6 MiB; a JS object has a header too), so each bound is below it. Flat
// runs stay well inside them: at most +8.6 MiB rss (V8's own allocations as its JIT warms up),
// +0.3 MiB heap, +0.1 MiB wasm memory. A JS leak of even 8 bytes a call (a small integer kept in
// an array) broke the heap bound with +9 MiB. With BRIDLE_LEAK_CALLS lower, the same bounds
// catch only larger leaks.
const MiB = 1024 * 1024;
export const BOUNDS = {
  rss: 12 * MiB,
  heapUsed: 4 * MiB,
  external: 4 * MiB,
  arrayBuffers: 4 * MiB,
  // Wasm memory grows in 64 KiB pages: at most a few pages (one growth step) after warm-up.
  wasm: 1 * MiB,
};

/**
 * Every measure (of `keys`; default all, wasm included) that grew past its bound (`bounds`,
 * default BOUNDS) from `start` to `end`.
 */
export function overBounds(start, end, keys = ['rss', 'heapUsed', 'external', 'arrayBuffers', 'wasm'], bounds = BOUNDS) {
  const over = [];
  for (const key of keys.filter((k) => k !== 'wasm')) {
    const growth = end[key] - start[key];
    if (growth > bounds[key]) over.push(`${key} +${mib(growth)} MiB (bound ${mib(bounds[key])})`);
  }
  if (keys.includes('wasm')) {
    for (const [name, bytes] of Object.entries(end.wasm)) {
      const growth = bytes - start.wasm[name];
      if (growth > bounds.wasm) over.push(`wasm ${name} memory +${mib(growth)} MiB (bound ${mib(bounds.wasm)})`);
    }
  }
  return over;
}

export const mib = (bytes) => (bytes / MiB).toFixed(1);
export const wasmTotal = (s) => Object.values(s.wasm).reduce((a, b) => a + b, 0);

/** One table row per operation: what was measured after warm-up and at the end, and the growth. */
export function table(backend, rows) {
  const head = ['operation', 'calls', 'time s', 'calls/s', 'rss MiB', 'heap MiB', 'ext MiB', 'wasm MiB', 'growth rss/heap/ext/wasm', 'B/call rss/heap'];
  const body = rows.map(({ name, calls, ms, start, end, measured }) => {
    const d = (key) => end[key] - start[key];
    const pair = (key, f = mib) => `${f(start[key])}→${f(end[key])}`;
    const wasm = Object.keys(start.wasm).length ? `${mib(wasmTotal(start))}→${mib(wasmTotal(end))}` : '-';
    const wasmGrowth = Object.keys(start.wasm).length ? mib(wasmTotal(end) - wasmTotal(start)) : '-';
    return [
      name, String(calls), (ms / 1000).toFixed(1), String(Math.round(calls / (ms / 1000))),
      pair('rss'), pair('heapUsed'), pair('external'), wasm,
      `${mib(d('rss'))}/${mib(d('heapUsed'))}/${mib(d('external'))}/${wasmGrowth}`,
      `${(d('rss') / measured).toFixed(1)}/${(d('heapUsed') / measured).toFixed(1)}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [`${backend}:`, line(head), ...body.map(line)].join('\n');
}

// The young generation is fixed at its largest size: V8 otherwise grows it in steps under
// allocation pressure, which shows as 20 MiB more rss in the first operations (the JS heap's
// committed size, not a leak).
const NODE_FLAGS = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'];

/** Runs the worker `script` (in this folder) with `env` added; resolves to the JSON of its last line of output. */
export function runWorkerScript(script, env, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, script], {
      cwd: new URL('.', import.meta.url),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${what} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}
