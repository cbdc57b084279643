// The Node and TypeScript examples, run from the repository on each backend: the CLI
// (examples/node/cli.mjs), the same calls through require and import (require.cjs, import.mjs),
// and examples/typescript (every export of index.d.ts, strict type check, compiled and run).
// pack.test.mjs runs the same examples against the packed, installed package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { getEncoding } from 'js-tiktoken';
import { dtsExports, importedNames, mergedDeclarations } from './dts-exports.mjs';
import { declaredExports } from '../runtimes/check.mjs';
import { cliFixtures } from './expected.mjs';
import { BACKENDS, checkCli, checkRequireImport, checkTypescriptRun, runOk, writeCliFixtures } from './helpers.mjs';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const DTS = path('../../npm/bridle/index.d.ts');
const EXAMPLE_TS = path('../../examples/typescript/index.ts');
const TSCONFIG = path('../../examples/typescript/tsconfig.json');
const OUT = path('../.out/examples/');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

test('examples/node/cli.mjs renders, counts, scans and reports errors as `code: message` on each backend', async () => {
  const dir = `${OUT}cli`;
  rmSync(dir, { recursive: true, force: true });
  writeCliFixtures(dir);
  for (const backend of BACKENDS) await checkCli(path('../../examples/node/cli.mjs'), dir, backend);
});

test("the CLI's expected token counts are js-tiktoken's", () => {
  // The special token is text here, as the CLI counts it (disallowedSpecial: []).
  assert.equal(getEncoding('o200k_base').encode(cliFixtures['tokens.txt'], [], []).length, 22);
  assert.equal(getEncoding('cl100k_base').encode(cliFixtures['tokens.txt'], [], []).length, 23);
});

test('examples/node/require.cjs and import.mjs print the same on each backend', async () => {
  for (const backend of BACKENDS) await checkRequireImport(path('../../examples/node/require.cjs'), path('../../examples/node/import.mjs'), backend);
});

test('examples/typescript/index.ts imports every public export of index.d.ts', () => {
  const exported = dtsExports(DTS);
  const imported = new Set(importedNames(EXAMPLE_TS));
  assert.deepEqual(exported.filter((name) => !imported.has(name)), [], 'exports index.ts does not import');
  // The parser finds at least what the runtime entries export (tests/build/types.test.mjs).
  assert.deepEqual(declaredExports().filter((name) => !exported.includes(name)), ['_debug'], 'only @internal names are left out');
  assert.ok(exported.length >= 170, `${exported.length} exports`);
});

test('index.d.ts declares no exported interface, type or class twice (they would merge into one)', () => {
  assert.deepEqual(mergedDeclarations(DTS), []);
});

test('examples/typescript/tsconfig.json is a strict NodeNext project with a plain lib and unused imports refused', () => {
  const { config, error } = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
  assert.equal(error, undefined);
  const options = config.compilerOptions;
  assert.equal(options.strict, true);
  assert.equal(options.noEmit, true);
  assert.equal(options.module, 'NodeNext');
  assert.equal(options.moduleResolution, 'NodeNext');
  assert.deepEqual(options.lib, ['es2022', 'dom']);
  assert.equal(options.noUnusedLocals, true, 'so every import is used');
  assert.notEqual(options.skipLibCheck, true, 'index.d.ts itself is checked');
});

/** A tsconfig extending the example's, with `bridle` mapped to this checkout's index.d.ts. */
function tsconfigFor(name, compilerOptions = {}) {
  const dir = `${OUT}ts-${name}`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/tsconfig.json`;
  writeFileSync(file, JSON.stringify({
    extends: TSCONFIG,
    compilerOptions: { paths: { bridle: [DTS] }, ...compilerOptions },
    files: [EXAMPLE_TS],
  }, null, 2));
  return { dir, file };
}

test('examples/typescript type checks against index.d.ts: lib es2022+dom, and esnext.disposable with @types/node', async () => {
  await Promise.all([
    runOk(process.execPath, [TSC, '-p', tsconfigFor('plain').file]),
    runOk(process.execPath, [TSC, '-p', tsconfigFor('node-types', { lib: ['es2022', 'esnext.disposable', 'dom'], types: ['node'] }).file]),
  ]);
});

test('examples/typescript compiled runs and prints the same on each backend', async () => {
  const { dir, file } = tsconfigFor('run');
  rmSync(`${dir}/out`, { recursive: true, force: true });
  await runOk(process.execPath, [TSC, '-p', file, '--noEmit', 'false', '--outDir', `${dir}/out`]);
  const script = `${dir}/out/index.js`;
  assert.match(readFileSync(script, 'utf8'), /from 'bridle'/);
  for (const backend of BACKENDS) await checkTypescriptRun(script, backend);
});
