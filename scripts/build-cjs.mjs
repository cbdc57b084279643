// Builds npm/bridle/dist/node.cjs, the CommonJS form of the Node entry, for `require('bridle')`.
import { build } from 'esbuild';

await build({
  entryPoints: ['npm/bridle/src/node.js'],
  outfile: 'npm/bridle/dist/node.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  // Paths are resolved from the file's own URL, which CommonJS spells __filename.
  define: { 'import.meta.url': 'import_meta_url' },
  banner: { js: "const import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
