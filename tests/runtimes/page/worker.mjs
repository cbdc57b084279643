// A dedicated Web Worker (no window, no document): loads the web entry and runs the provider
// matrix, so the wasm module's fetch-based transport is proven where only WorkerGlobalScope exists.
import * as bridle from '/npm/bridle/src/web.js';
import { runProviderMatrix } from '/tests/providers/matrix.mjs';

self.onmessage = async ({ data: { providers } }) => {
  try {
    await bridle.init();
    const hasWindow = typeof self.window !== 'undefined';
    self.postMessage({ hasWindow, matrix: await runProviderMatrix(bridle, providers, { browser: true }) });
  } catch (error) {
    self.postMessage({ error: String(error?.stack ?? error) });
  }
};
