// Both Bridle backends in one process, each behind the same facade users get, so the
// benchmark measures the real path (facade + binding + core) side by side with the peers.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { createApi } from '../../npm/bridle/src/facade.js';
import { nativeBackend } from '../../npm/bridle/src/native-backend.js';
import { wasmBackendSync } from '../../npm/bridle/src/wasm-backend.js';

const require = createRequire(import.meta.url);
const pkg = new URL('../../npm/bridle/', import.meta.url);

export function loadBridle(name) {
  if (name === 'native') {
    const triple = `${process.platform}-${process.arch}-gnu`;
    return createApi(() => nativeBackend(require(new URL(`native/bridle.${triple}.node`, pkg).pathname)));
  }
  const backend = wasmBackendSync(readFileSync(new URL('wasm/bridle_wasm_bg.wasm', pkg)));
  return createApi(() => backend);
}
