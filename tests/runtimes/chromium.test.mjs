// Bridle in a real browser: the page loads the package's web entry (wasm) in headless
// Chromium (Debian's package, driven by playwright-core) and runs the shared suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveRepository } from './server.mjs';
import { startProviderServer } from '../providers/server.mjs';
import { checkSuiteResult } from './check.mjs';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('Chromium: the web entry passes the shared suite', async () => {
  const server = await serveRepository();
  const providers = await startProviderServer();
  const profile = mkdtempSync(join(tmpdir(), 'bridle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.url}/tests/runtimes/page/index.html?providers=${encodeURIComponent(providers.url)}`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 120_000 });
    const result = await page.evaluate(() => window.__result);
    if (errors.length) result.error = errors.join('\n');
    await checkSuiteResult('Chromium', result);
    // The same provider matrix in a dedicated Web Worker (no window).
    assert.ok(!result.webWorker.error, `Web Worker: ${result.webWorker.error}`);
    assert.equal(result.webWorker.hasWindow, false);
    const { passed, total, results } = result.webWorker.matrix;
    console.log(`provider matrix Chromium Web Worker: ${passed}/${total}`);
    assert.deepEqual(results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.error}`), []);
  } finally {
    await context.close();
    await server.close();
    await providers.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
