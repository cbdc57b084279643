// examples/worker as Cloudflare runs it: bundled the way wrangler bundles a Worker (esbuild,
// conditions workerd/worker/browser, each .wasm kept as its own CompiledWasm module), run in
// workerd through miniflare with the compatibility date of its wrangler.toml, and asked every
// request of routes.mjs. Prints the cold start and the bundle's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { checkCases, sizeReport, ms } from './routes.mjs';

const example = fileURLToPath(new URL('../../examples/worker/', import.meta.url));

/** The few wrangler.toml keys the example sets (top-level `key = "value"` lines). */
function wranglerConfig() {
  const toml = readFileSync(join(example, 'wrangler.toml'), 'utf8');
  const value = (key) => toml.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];
  return { name: value('name'), main: value('main'), compatibilityDate: value('compatibility_date') };
}

test('examples/worker answers every route in workerd', async () => {
  const config = wranglerConfig();
  assert.equal(config.main, 'src/index.js');
  assert.match(config.compatibilityDate, /^\d{4}-\d{2}-\d{2}$/);

  const outdir = mkdtempSync(join(tmpdir(), 'bridle-worker-example-'));
  let mf;
  try {
    await build({
      entryPoints: [join(example, config.main)],
      outdir,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      loader: { '.wasm': 'copy' },
      logLevel: 'warning',
    });
    const files = readdirSync(outdir).sort((a, b) => (a.endsWith('.js') ? -1 : b.endsWith('.js') ? 1 : a.localeCompare(b)));
    assert.deepEqual(files.map((f) => f.replace(/-[A-Z0-9]{8}\.wasm$/, '.wasm')),
      ['index.js', 'bridle_guard_bg.wasm', 'bridle_model_bg.wasm', 'bridle_tokens_bg.wasm', 'bridle_wasm_bg.wasm']);

    // workerd evaluates a Worker's modules when it starts (the .wasm compiled, Bridle's
    // instances made), not on the first request: an empty Worker's startup is the baseline.
    let start = performance.now();
    const empty = new Miniflare({ modules: true, script: 'export default { fetch: () => new Response("") }', compatibilityDate: config.compatibilityDate });
    await empty.ready;
    await empty.dispose();
    const baseline = ms(start);

    start = performance.now();
    mf = new Miniflare({
      name: config.name,
      modules: true,
      scriptPath: join(outdir, 'index.js'),
      modulesRoot: outdir,
      modulesRules: [
        { type: 'ESModule', include: ['**/*.js'] },
        { type: 'CompiledWasm', include: ['**/*.wasm'] },
      ],
      compatibilityDate: config.compatibilityDate,
    });
    await mf.ready;
    const startup = ms(start);
    const url = 'http://localhost/render?name=Ada';
    start = performance.now();
    const first = await mf.dispatchFetch(url);
    await first.text();
    const firstMs = ms(start);
    start = performance.now();
    const next = await mf.dispatchFetch(url);
    await next.text();
    const nextMs = ms(start);
    assert.equal(first.status, 200);
    assert.equal(next.status, 200);

    await checkCases((c) => {
      const query = new URLSearchParams(c.query ?? {}).toString();
      return mf.dispatchFetch(`http://localhost${c.path}${query ? `?${query}` : ''}`, { method: c.method, body: c.body });
    });
    const notFound = await mf.dispatchFetch('http://localhost/nope');
    assert.equal(notFound.status, 404);
    await notFound.text();

    console.log(`cold start workerd (worker example): first request ${firstMs} ms, next ${nextMs} ms; ` +
      `startup ${startup} ms against ${baseline} ms for an empty Worker (workerd evaluates the module, ` +
      `compiling and instantiating the .wasm, at startup)`);
    console.log(`bundle (worker example, as wrangler uploads it):\n${sizeReport(files.map((name) => ({ name, bytes: readFileSync(join(outdir, name)) })))}`);
  } finally {
    await mf?.dispose();
    rmSync(outdir, { recursive: true, force: true });
  }
});
