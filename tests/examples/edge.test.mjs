// examples/edge as Vercel runs an Edge Function: placed in a project (api/prompt.js beside
// node_modules/bridle, in a temporary directory), bundled into one script with esbuild
// (conditions edge-light/worker/browser), its `.wasm?module` imports bound the way Vercel's
// bundler binds them (only specifiers ending in `.wasm?module`; each becomes a global
// `wasm_<sha1>` holding the compiled module, which the import reads), and run in the
// `edge-runtime` package's EdgeRuntime, where compiling WebAssembly from bytes is refused as
// on Vercel. Asks every request of routes.mjs; prints the cold start and the bundle's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { EdgeRuntime } from 'edge-runtime';
import { checkCases, sizeReport, ms } from './routes.mjs';

const source = fileURLToPath(new URL('../../examples/edge/api/prompt.js', import.meta.url));
/** The package the other tests use (node_modules/bridle). */
const bridleDir = dirname(createRequire(import.meta.url).resolve('bridle/package.json'));

/** A Vercel project in a temporary directory: api/prompt.js and node_modules/bridle. */
function stageProject() {
  const project = mkdtempSync(join(tmpdir(), 'bridle-edge-example-'));
  mkdirSync(join(project, 'api'));
  mkdirSync(join(project, 'node_modules'));
  copyFileSync(source, join(project, 'api', 'prompt.js'));
  symlinkSync(bridleDir, join(project, 'node_modules', 'bridle'), 'dir');
  return project;
}

/**
 * `import module from '<path>.wasm?module'`: the .wasm file, bound as
 * `globalThis.wasm_<sha1 of its bytes>`, as Vercel's edge bundler does (its plugin matches
 * specifiers with `.wasm?module` only). Returns the plugin and the bindings it declared
 * (name → file).
 */
function wasmModulePlugin() {
  const bindings = new Map();
  const plugin = {
    name: 'wasm-module',
    setup(b) {
      b.onResolve({ filter: /\.wasm\?module$/i }, async (args) => {
        const specifier = args.path.replace(/\?module$/, '');
        const resolved = await b.resolve(specifier, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir });
        if (resolved.errors.length) return { errors: resolved.errors };
        const name = `wasm_${createHash('sha1').update(readFileSync(resolved.path)).digest('hex')}`;
        bindings.set(name, resolved.path);
        return { path: name, namespace: 'wasm-module' };
      });
      b.onLoad({ filter: /.*/, namespace: 'wasm-module' }, (args) => ({
        contents: `export default globalThis[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
  return { plugin, bindings };
}

/** Edge runtimes compile no WebAssembly from bytes: only modules bound at deploy time run. */
const REFUSE_WASM_COMPILATION = `{
  const { Module, instantiate } = WebAssembly;
  const refused = (what) => new Error('WebAssembly.' + what + ': compiling WebAssembly from bytes is refused at the edge (import the .wasm with ?module)');
  function RefusedModule() { throw refused('Module()'); }
  RefusedModule.prototype = Module.prototype;
  WebAssembly.Module = RefusedModule;
  WebAssembly.compile = async () => { throw refused('compile()'); };
  WebAssembly.compileStreaming = async () => { throw refused('compileStreaming()'); };
  WebAssembly.instantiateStreaming = async () => { throw refused('instantiateStreaming()'); };
  WebAssembly.instantiate = async (source, imports) => {
    if (source instanceof Module) return instantiate(source, imports);
    throw refused('instantiate() from bytes');
  };
}`;

test('examples/edge answers every task in the Edge Runtime', async () => {
  const project = stageProject();
  const { plugin, bindings } = wasmModulePlugin();
  let result;
  try {
    result = await build({
      stdin: {
        // What the platform wraps around an Edge Function: its default export answers fetches.
        contents: `import handler, { config } from './api/prompt.js';
if (config?.runtime !== 'edge') throw new Error('not an Edge Function: config.runtime is ' + config?.runtime);
addEventListener('fetch', (event) => event.respondWith(handler(event.request)));`,
        resolveDir: project,
        sourcefile: 'edge-entry.js',
      },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      conditions: ['edge-light', 'worker', 'browser'],
      plugins: [plugin],
      // The wasm-bindgen glue reads import.meta.url only to find its .wasm when init() is
      // called without a source, which this function never does.
      logOverride: { 'empty-import-meta': 'silent' },
      logLevel: 'warning',
    });
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  const script = result.outputFiles[0].text;
  assert.deepEqual([...bindings.values()].map((file) => basename(file)).sort(),
    ['bridle_guard_bg.wasm', 'bridle_model_bg.wasm', 'bridle_wasm_bg.wasm']);

  // The platform: the runtime, the compiled modules bound as globals, then the function.
  let start = performance.now();
  const runtime = new EdgeRuntime();
  // Compiled in the runtime's own realm, as the platform binds them in the isolate. (`vercel
  // dev` compiles them in Node's realm instead: checked below.)
  const VmWebAssembly = runtime.evaluate('WebAssembly');
  for (const [name, file] of bindings) runtime.context[name] = new VmWebAssembly.Module(readFileSync(file));
  runtime.evaluate(REFUSE_WASM_COMPILATION);
  const platform = ms(start);
  start = performance.now();
  runtime.evaluate(script);
  const evaluate = ms(start);

  const send = (c) => {
    const query = new URLSearchParams({ task: c.task, ...c.query }).toString();
    return runtime.dispatchFetch(`https://example.vercel.app/api/prompt?${query}`, { method: c.method, body: c.body });
  };
  const url = 'https://example.vercel.app/api/prompt?task=render&name=Ada';
  start = performance.now();
  const first = await runtime.dispatchFetch(url);
  await first.text();
  const firstMs = ms(start);
  start = performance.now();
  const next = await runtime.dispatchFetch(url);
  await next.text();
  const nextMs = ms(start);
  assert.equal(first.status, 200);
  assert.equal(next.status, 200);

  await checkCases(send);
  const notFound = await runtime.dispatchFetch('https://example.vercel.app/api/prompt');
  assert.equal(notFound.status, 404);
  await notFound.text();

  // The refusal is real: the web entry cannot load from bytes here.
  assert.match(runtime.evaluate(`(() => { try { new WebAssembly.Module(new Uint8Array(8)); } catch (e) { return e.message; } })()`), /refused at the edge/);

  // As `vercel dev` binds them: compiled in Node's realm, where `instanceof WebAssembly.Module`
  // is false inside the runtime (the build patches the glue to a brand check).
  const devRuntime = new EdgeRuntime();
  for (const [name, file] of bindings) devRuntime.context[name] = new WebAssembly.Module(readFileSync(file));
  devRuntime.evaluate(script);
  const dev = await devRuntime.dispatchFetch(url);
  assert.equal(dev.status, 200);
  assert.equal(await dev.text(), await (await runtime.dispatchFetch(url)).text());

  console.log(`cold start edge-runtime (edge example): module evaluation (initSync instantiates the wasm) ${evaluate} ms, ` +
    `first request ${firstMs} ms, next ${nextMs} ms (compiling the bound modules before it: ${platform} ms)`);
  console.log(`bundle (edge example: one script, and the modules it imports with ?module):\n${sizeReport([
    { name: 'prompt.js (bundled)', bytes: Buffer.from(result.outputFiles[0].contents) },
    ...[...bindings.values()].sort().map((file) => ({ name: basename(file), bytes: readFileSync(file) })),
  ])}`);
});
