// Bridle in Cloudflare's runtime: a Worker bundled the way wrangler bundles one (conditions
// workerd/worker/browser, the .wasm imported as a compiled module) runs in workerd through
// miniflare and passes the shared suite.
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { checkSuiteResult } from './check.mjs';
import { startProviderServer } from '../providers/server.mjs';

test('workerd: the Worker entry passes the shared suite', async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bridle-worker-'));
  await build({
    entryPoints: [fileURLToPath(new URL('./worker/worker.mjs', import.meta.url))],
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    loader: { '.wasm': 'copy', '.json': 'json', '.prompt': 'text' },
    logLevel: 'warning',
  });
  const providers = await startProviderServer();
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(outdir, 'worker.js'),
    modulesRoot: outdir,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2026-07-01',
  });
  try {
    const response = await mf.dispatchFetch(`http://localhost/?providers=${encodeURIComponent(providers.url)}`);
    await checkSuiteResult('workerd', await response.json());
  } finally {
    await mf.dispose();
    await providers.close();
    rmSync(outdir, { recursive: true, force: true });
  }
});
