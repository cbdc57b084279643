// The Node loader: BRIDLE_BACKEND picks the backend, `require` works as well as `import`, and
// when nothing loads the error lists every attempt. Each case runs in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = new URL('.', import.meta.url);

function node(args, env = {}) {
  return spawnSync(process.execPath, args, { cwd: here, env: { ...process.env, ...env }, encoding: 'utf8' });
}

test('BRIDLE_BACKEND selects the backend in ESM and CommonJS alike', () => {
  const script = "const b = BRIDLE; console.log(b.backend + ' ' + b.render('{x}!', {x: 'ok'}))";
  for (const backend of ['native', 'wasm']) {
    const esm = node(['--input-type=module', '-e', `import * as BRIDLE from 'bridle'; ${script}`], { BRIDLE_BACKEND: backend });
    assert.equal(esm.stdout.trim(), `${backend} ok!`, esm.stderr);
    const cjs = node(['-e', `const BRIDLE = require('bridle'); ${script}`], { BRIDLE_BACKEND: backend });
    assert.equal(cjs.stdout.trim(), `${backend} ok!`, cjs.stderr);
  }
});

test('without BRIDLE_BACKEND, Node prefers the native addon', () => {
  const env = { ...process.env };
  delete env.BRIDLE_BACKEND;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', "import { backend } from 'bridle'; console.log(backend)"],
    { cwd: here, env, encoding: 'utf8' });
  assert.equal(out.trim(), 'native');
});

test('CommonJS and ESM entries render identically and share error codes', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('bridle');
  return import('bridle').then((esm) => {
    const source = 'Hi {name}, {{literal}} {data}';
    const data = { name: 'Zoë', data: { n: [1, 2.5] } };
    assert.equal(cjs.render(source, data), esm.render(source, data));
    assert.throws(() => cjs.render('{', {}), (e) => e instanceof cjs.TemplateSyntaxError && e.code === 'template_syntax');
  });
});

const LOAD_ERROR = "import('bridle').then(() => console.log('{}'), (e) => console.log(JSON.stringify({name: e.name, code: e.code, message: e.message, attempts: e.cause.errors.length})))";

test('when nothing loads, BackendLoadError lists every attempt', () => {
  const out = node(['-e', LOAD_ERROR], { BRIDLE_BACKEND: 'auto', BRIDLE_NATIVE_PATH: '/nonexistent/x.node', BRIDLE_WASM_PATH: '/nonexistent/y.wasm' });
  const result = JSON.parse(out.stdout);
  assert.equal(result.name, 'BackendLoadError');
  assert.equal(result.code, 'backend_unavailable');
  assert.equal(result.attempts, 2);
  assert.match(result.message, /native addon \/nonexistent\/x\.node: .*\n.*wasm module \/nonexistent\/y\.wasm: ENOENT/);
});

test('the default native candidates are the local build, then the platform package', () => {
  // A copy of the package without its native/ folder: both default places must be tried.
  const dir = mkdtempSync(join(tmpdir(), 'bridle-loader-'));
  const pkg = fileURLToPath(new URL('../../npm/bridle/', import.meta.url));
  for (const part of ['package.json', 'src', 'wasm']) cpSync(join(pkg, part), join(dir, 'node_modules/bridle', part), { recursive: true });
  const out = spawnSync(process.execPath, ['-e', LOAD_ERROR], { cwd: dir, encoding: 'utf8', env: { ...process.env, BRIDLE_BACKEND: 'native' } });
  rmSync(dir, { recursive: true, force: true });
  const result = JSON.parse(out.stdout);
  assert.equal(result.attempts, 2, out.stdout + out.stderr);
  assert.match(result.message, /native\/bridle\.[a-z0-9]+-[a-z0-9]+(-[a-z]+)?\.node/);
  assert.match(result.message, /native addon bridle-[a-z0-9]+-[a-z0-9]+/);
});

test('an invalid BRIDLE_BACKEND is reported', () => {
  const out = node(['-e', "import('bridle').catch((e) => console.log(e.code + ': ' + e.message))"], { BRIDLE_BACKEND: 'gpu' });
  assert.match(out.stdout, /^backend_unavailable: .*BRIDLE_BACKEND must be 'native', 'wasm' or 'auto', not 'gpu'/s);
});
