// Generates the API reference from the package's declarations (npm/bridle/index.d.ts) with
// TypeDoc, configured by typedoc.json: HTML into docs/api/ (git-ignored), or the directory given.
// Any TypeScript error or TypeDoc warning fails the run (treatWarningsAsErrors), including a
// {@link} that resolves nowhere and a referenced type the package does not export.
// Run: node scripts/api-docs.mjs [out-dir]
import { Application, LogLevel, TSConfigReader, TypeDocReader } from 'typedoc';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? resolve(root, 'docs/api'));

const app = await Application.bootstrapWithPlugins(
  { options: resolve(root, 'typedoc.json'), out, logLevel: 'Warn' },
  [new TypeDocReader(), new TSConfigReader()],
);
const failed = () => app.logger.hasErrors() || app.logger.hasWarnings();
let project;
if (!failed()) project = await app.convert();
if (project && !failed()) app.validate(project);
if (project && !failed()) await app.generateOutputs(project);
if (!project || failed()) {
  app.logger.log(`API reference not generated: ${app.logger.errorCount} errors, ${app.logger.warningCount} warnings`, LogLevel.Error);
  process.exit(1);
}
console.log(`API reference: ${project.children.length} exported declarations documented in ${out}`);
