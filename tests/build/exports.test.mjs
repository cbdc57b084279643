// The package's `exports` conditions pick the right entry for each kind of runtime, as the
// bundlers that target them resolve it (esbuild with each runtime's conditions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

async function resolveEntry(conditions, platform = 'neutral') {
  const result = await build({
    stdin: { contents: "export * from 'bridle';", resolveDir: here, loader: 'js' },
    bundle: true, write: false, metafile: true, format: 'esm', platform, conditions,
    external: ['*.wasm', 'node:*'], logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((file) => /npm\/bridle\/src\/(web|workerd|node)\.js$/.test(file));
}

const cases = [
  ['Cloudflare Workers (wrangler)', ['workerd', 'worker', 'browser'], 'workerd.js'],
  ['a browser bundle (Vite)', ['browser', 'module', 'import'], 'web.js'],
  ['a web worker', ['worker', 'import'], 'web.js'],
  ['Vercel Edge', ['edge-light', 'worker', 'browser', 'import'], 'web.js'],
  ['an unknown runtime', ['import'], 'web.js'],
];
for (const [name, conditions, entry] of cases) {
  test(`${name} gets src/${entry}`, async () => {
    const entries = await resolveEntry(conditions);
    assert.deepEqual(entries.map((file) => file.split('/').pop()), [entry]);
  });
}

test('Node gets src/node.js for import and dist/node.cjs for require', () => {
  const require = createRequire(import.meta.url);
  assert.match(require.resolve('bridle'), /npm\/bridle\/dist\/node\.cjs$/);
  assert.match(import.meta.resolve('bridle'), /npm\/bridle\/src\/node\.js$/);
});
