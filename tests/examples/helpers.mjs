// Shared by node.test.mjs and pack.test.mjs: run a command, run the CLI cases, type check and
// run the TypeScript example.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliCases, cliFixtures, importOutput, typescriptOutput } from './expected.mjs';

export const BACKENDS = ['native', 'wasm'];

/** Runs a command to its end: `{ status, stdout, stderr }` (never rejects on a non-zero status). */
export function run(command, args, { cwd, env = {}, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Runs a command and fails with its output unless it exits 0; resolves to its stdout. */
export async function runOk(command, args, options) {
  const result = await run(command, args, options);
  assert.equal(result.status, 0, `${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const matches = (actual, expected, what) => (expected instanceof RegExp ? assert.match(actual, expected, what) : assert.equal(actual, expected, what));

/** Writes the CLI's input files into `dir`. */
export function writeCliFixtures(dir) {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(cliFixtures)) writeFileSync(join(dir, name), text);
}

/** Runs every CLI case with `script` in `dir` (holding the fixtures) on `backend`. */
export async function checkCli(script, dir, backend) {
  await Promise.all(cliCases.map(async ([args, status, stdout, stderr]) => {
    const what = `${backend}: cli.mjs ${args.join(' ')}`;
    const result = await run(process.execPath, [script, ...args], { cwd: dir, env: { BRIDLE_BACKEND: backend } });
    matches(result.stderr, stderr, `${what}: stderr`);
    matches(result.stdout, stdout, `${what}: stdout`);
    assert.equal(result.status, status, `${what}: exit status`);
  }));
}

/** Runs require.cjs and import.mjs on `backend`: both print exactly the expected lines. */
export async function checkRequireImport(requireScript, importScript, backend, cwd) {
  const env = { BRIDLE_BACKEND: backend };
  const [cjs, esm] = await Promise.all([runOk(process.execPath, [requireScript], { cwd, env }), runOk(process.execPath, [importScript], { cwd, env })]);
  assert.equal(cjs, importOutput(backend), `require.cjs on ${backend}`);
  assert.equal(esm, cjs, `import.mjs prints what require.cjs prints on ${backend}`);
}

/** Runs the compiled TypeScript example on `backend`. */
export async function checkTypescriptRun(script, backend, cwd) {
  assert.equal(await runOk(process.execPath, [script], { cwd, env: { BRIDLE_BACKEND: backend } }), typescriptOutput(backend), `index.ts on ${backend}`);
}

/**
 * A Node process that imports bridle (ESM), renders once and reports `performance.now()` at each
 * point: `start` (process start → first line of the script), `import`, `render` (deltas), `total`.
 */
export async function coldStart(cwd, backend) {
  const script = `const t0 = performance.now();
const bridle = await import('bridle');
const t1 = performance.now();
const text = bridle.render('Hello {name}!', { name: 'Ada' });
const t2 = performance.now();
console.log(JSON.stringify({ backend: bridle.backend, text, start: t0, import: t1 - t0, render: t2 - t1, total: t2 }));`;
  const out = JSON.parse(await runOk(process.execPath, ['--input-type=module', '-e', script], { cwd, env: { BRIDLE_BACKEND: backend } }));
  assert.equal(out.backend, backend);
  assert.equal(out.text, 'Hello Ada!');
  return out;
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
