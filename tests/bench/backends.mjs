// Both Bridle backends in one process, each behind the same facade code users get, so the
// benchmark measures the real path (facade + binding + core) side by side with the peers.
// Each backend gets its own instance of the facade module (a distinct import URL): a user's
// process runs one backend, so its call sites never see the other one's objects, and sharing
// them here would make V8's inline caches polymorphic and slow both down.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { nativeBackend } from '../../npm/bridle/src/native-backend.js';
import { wasmBackendSync } from '../../npm/bridle/src/wasm-backend.js';

const require = createRequire(import.meta.url);
const pkg = new URL('../../npm/bridle/', import.meta.url);

export async function loadBridle(name) {
  const { createApi } = await import(`../../npm/bridle/src/facade.js?backend=${name}`);
  if (name === 'native') {
    const triple = `${process.platform}-${process.arch}-gnu`;
    const backend = nativeBackend(require(new URL(`native/bridle.${triple}.node`, pkg).pathname));
    return createApi(() => backend);
  }
  const modules = ['bridle_wasm_bg', 'bridle_guard_bg', 'bridle_model_bg', 'bridle_tokens_bg'].map((name) => readFileSync(new URL(`wasm/${name}.wasm`, pkg)));
  const backend = wasmBackendSync(...modules);
  return createApi(() => backend);
}

/**
 * The two Bridle contenders of a workload: `source` compiled once with `options` on each
 * backend, then rendered with `dataFor(i)` on call `i`.
 */
export function bridleContenders(source, options, dataFor, suffix = '') {
  return ['native', 'wasm'].map((backend) => ({
    name: `bridle ${backend}${suffix}`,
    async setup() {
      const { Template } = await loadBridle(backend);
      const template = Template.compile(source, options);
      return (i) => template.render(dataFor(i));
    },
  }));
}
