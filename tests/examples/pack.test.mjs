// The published shape: `npm pack` the package (npm/bridle) and this machine's platform package
// (npm/<triple>/ with the addon from npm/bridle/native/), install the tarballs into an empty
// project in a temporary directory outside the repository, and run the examples against the
// installed package on each backend: the CLI, require.cjs, import.mjs, and the TypeScript example
// (tsc --noEmit -p, then compiled and run). Prints the tarball sizes and Node's cold start.
//
// npm/bridle/package.json's `files` lists `native/*.node`, so packed from a built tree the main
// tarball carries the addon too (checked and reported below). The project installs the main
// package packed without it ("slim", as it would be with the addon only in platform packages),
// so the addon it loads can only come from the platform package; a second project checks the
// tarball as packed (addon inside) loads it from there.
//
// Offline: local tarballs, and typescript / js-tiktoken from npm's cache (else copied from the
// repository's node_modules). KEEP_PACK_DIR=1 keeps the temporary directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS, checkCli, checkRequireImport, checkTypescriptRun, coldStart, median, run, runOk, writeCliFixtures } from './helpers.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const mainDir = join(repo, 'npm/bridle');
const mainJson = JSON.parse(readFileSync(join(mainDir, 'package.json'), 'utf8'));
/** A package in the repository's node_modules (read directly: some `exports` hide package.json). */
const repoPackage = (name) => join(repo, 'node_modules', name);

/** The napi-rs name of this platform, as npm/bridle/src/node.js computes it. */
function platformTriple() {
  const { platform, arch } = process;
  if (platform === 'linux') return `linux-${arch}-${process.report.getReport().header.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}
const triple = platformTriple();
const addonName = `bridle.${triple}.node`;
const addon = join(mainDir, 'native', addonName);
const platformDir = join(repo, 'npm', triple);
const skip = !existsSync(join(platformDir, 'package.json')) ? `no platform package npm/${triple}/ for this machine`
  : !existsSync(addon) ? `no built addon npm/bridle/native/${addonName} (run scripts/build.sh)`
  : false;

const npmEnv = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' };
const npm = (args, cwd) => runOk('npm', args, { cwd, env: npmEnv });

let tmp;
const packed = {};
let project;
let fullProject;

/** Copies a directory with symbolic links followed (a worktree may link the build outputs in; npm pack skips links). */
function stage(from, to, filter = () => true) {
  cpSync(from, to, { recursive: true, dereference: true, filter: (source) => filter(relative(from, source)) });
  return to;
}

/** `npm pack` of a directory into `tmp/tarballs/<name>`: npm's JSON report plus the tarball's path. */
async function pack(dir, name) {
  const destination = join(tmp, 'tarballs', name);
  mkdirSync(destination, { recursive: true });
  const [report] = JSON.parse(await npm(['pack', dir, '--json', '--ignore-scripts', '--offline', '--pack-destination', destination], tmp));
  return { ...report, tarball: join(destination, report.filename), paths: report.files.map((file) => file.path).sort() };
}

/** typescript and js-tiktoken at the repository's versions: from npm's cache, else copied in. */
async function addDevPackages(dir) {
  const versions = Object.fromEntries(['typescript', 'js-tiktoken'].map((name) => [name, JSON.parse(readFileSync(join(repoPackage(name), 'package.json'), 'utf8')).version]));
  const { status, stderr } = await run('npm', ['install', '--offline', '--save-dev', ...Object.entries(versions).map(([n, v]) => `${n}@${v}`)], { cwd: dir, env: npmEnv });
  if (status === 0) return 'installed from the npm cache';
  for (const name of ['typescript', 'js-tiktoken', 'base64-js']) {
    cpSync(repoPackage(name), join(dir, 'node_modules', name), { recursive: true, dereference: true });
  }
  return `copied from the repository (offline install failed: ${stderr.trim().split('\n').at(-1)})`;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), 'bridle-pack-'));
  assert.ok(!`${tmp}${sep}`.startsWith(repo), `${tmp} must be outside the repository`);

  // The main package as `files` describes it, and the same without the addon.
  const staged = stage(mainDir, join(tmp, 'stage/bridle'));
  const slim = stage(mainDir, join(tmp, 'stage/slim/bridle'), (path) => !path.endsWith('.node'));
  // The platform package: its committed package.json and README, and the addon.
  const platform = join(tmp, 'stage', `bridle-${triple}`);
  mkdirSync(platform, { recursive: true });
  for (const file of ['package.json', 'README.md']) cpSync(join(platformDir, file), join(platform, file));
  cpSync(addon, join(platform, addonName));
  [packed.full, packed.slim, packed.platform] = await Promise.all([pack(staged, 'full'), pack(slim, 'slim'), pack(platform, 'platform')]);
  for (const [name, report] of Object.entries(packed)) {
    console.log(`tarball ${name}: ${report.filename} ${kb(report.size)} packed, ${kb(report.unpackedSize)} unpacked, ${report.entryCount} files`);
  }

  // An empty project with the slim main package and the platform package installed.
  project = join(tmp, 'project');
  mkdirSync(project);
  await npm(['init', '-y'], project);
  await npm(['pkg', 'set', 'type=module'], project);
  await npm(['install', '--offline', packed.slim.tarball, packed.platform.tarball], project);
  console.log(`typescript, js-tiktoken: ${await addDevPackages(project)}`);
  for (const file of ['cli.mjs', 'require.cjs', 'import.mjs']) cpSync(join(repo, 'examples/node', file), join(project, file));
  for (const file of ['index.ts', 'tsconfig.json']) cpSync(join(repo, 'examples/typescript', file), join(project, 'ts', file));
  writeCliFixtures(join(project, 'fixtures'));

  // The main tarball as packed (addon inside), alone.
  fullProject = join(tmp, 'project-full');
  mkdirSync(fullProject);
  await npm(['init', '-y'], fullProject);
  await npm(['install', '--offline', packed.full.tarball], fullProject);
});

after(() => {
  if (tmp && !process.env.KEEP_PACK_DIR) rmSync(tmp, { recursive: true, force: true });
  else if (tmp) console.log(`kept ${tmp}`);
});

test('the main tarball holds what `files` lists: entries, CJS build, types, the four wasm modules', { skip }, () => {
  const { paths } = packed.full;
  for (const file of ['package.json', 'index.d.ts', 'dist/node.cjs', 'src/node.js', 'src/web.js', 'src/workerd.js',
    ...['wasm', 'guard', 'model', 'tokens'].flatMap((m) => [`wasm/bridle_${m}.js`, `wasm/bridle_${m}_bg.wasm`])]) {
    assert.ok(paths.includes(file), `${file} is in the tarball`);
  }
  const unexpected = paths.filter((path) => !/^(package\.json|index\.d\.ts|src\/\w[\w-]*\.js|dist\/node\.cjs|wasm\/bridle_\w+(\.js|_bg\.wasm)|native\/bridle\.[\w-]+\.node)$/.test(path));
  assert.deepEqual(unexpected, [], 'nothing else (no tests, no binding.d.ts, no source maps)');
  assert.equal(packed.full.version, mainJson.version);
});

test(`the addon: in the main tarball as packed (files lists native/*.node), not in the slim one; the platform package holds it`, { skip }, () => {
  const inMain = packed.full.paths.filter((path) => path.endsWith('.node'));
  console.log(`main tarball as packed holds: ${inMain.join(', ') || 'no .node'}`);
  assert.equal(mainJson.files.includes('native/*.node'), inMain.length > 0, 'a .node in the main tarball exactly when `files` lists native/*.node');
  assert.deepEqual(packed.slim.paths.filter((path) => path.endsWith('.node')), []);
  assert.deepEqual(packed.slim.paths, packed.full.paths.filter((path) => !path.endsWith('.node')), 'slim = full less the addon');
  assert.deepEqual(packed.platform.paths, ['README.md', addonName, 'package.json'].sort());
  assert.equal(packed.platform.files.find((f) => f.path === addonName).size, statSync(addon).size);
});

test(`the platform package bridle-${triple} follows napi-rs: name, version, main, os, cpu, libc`, { skip }, () => {
  const json = JSON.parse(readFileSync(join(platformDir, 'package.json'), 'utf8'));
  const [os, cpu, abi] = triple.split('-');
  assert.equal(json.name, `bridle-${triple}`, 'the name the loader requires');
  assert.equal(json.version, mainJson.version, 'published in lockstep with bridle');
  assert.equal(json.main, addonName);
  assert.deepEqual(json.files, [addonName]);
  assert.deepEqual(json.os, [os]);
  assert.deepEqual(json.cpu, [cpu]);
  if (abi) assert.deepEqual(json.libc, [{ gnu: 'glibc', musl: 'musl' }[abi]]);
  assert.equal(json.license, mainJson.license);
  // Installed: npm accepted os/cpu/libc on this machine.
  const installed = JSON.parse(readFileSync(join(project, 'node_modules', `bridle-${triple}`, 'package.json'), 'utf8'));
  assert.equal(installed.name, json.name);
});

test('installed: the native backend comes from the platform package, wasm when asked', { skip }, async () => {
  assert.ok(!existsSync(join(project, 'node_modules/bridle/native')), 'the slim main package has no native/');
  const probe = "import('bridle').then((b) => console.log(b.backend, b.render('Hi {n}', { n: 1 })))";
  assert.equal(await runOk(process.execPath, ['-e', probe], { cwd: project }), 'native Hi 1\n');
  assert.equal(await runOk(process.execPath, ['-e', probe], { cwd: project, env: { BRIDLE_BACKEND: 'wasm' } }), 'wasm Hi 1\n');
  // When no addon loads (here: a named one that does not exist), it falls back to wasm.
  const { stdout } = await run(process.execPath, ['-e', probe], { cwd: project, env: { BRIDLE_NATIVE_PATH: join(tmp, 'no-such.node') } });
  assert.equal(stdout, 'wasm Hi 1\n');
  // The tarball as packed loads its own addon (native/ first), and its wasm modules.
  const cjsProbe = "const b = require('bridle'); console.log(b.backend, require.resolve('bridle'))";
  const full = await runOk(process.execPath, ['-e', cjsProbe], { cwd: fullProject });
  assert.match(full, /^native .*node_modules\/bridle\/dist\/node\.cjs\n$/);
  assert.equal(await runOk(process.execPath, ['-e', probe], { cwd: fullProject, env: { BRIDLE_BACKEND: 'wasm' } }), 'wasm Hi 1\n');
});

test('installed: the CLI on each backend', { skip }, async () => {
  for (const backend of BACKENDS) await checkCli(join(project, 'cli.mjs'), join(project, 'fixtures'), backend);
});

test('installed: require.cjs and import.mjs print the same on each backend', { skip }, async () => {
  for (const backend of BACKENDS) await checkRequireImport(join(project, 'require.cjs'), join(project, 'import.mjs'), backend, project);
});

test('installed: tsc --noEmit -p on the TypeScript example, then compiled and run on each backend', { skip }, async () => {
  const tsc = join(project, 'node_modules/typescript/bin/tsc');
  // `bridle` resolves through the installed package's exports to its index.d.ts.
  const trace = await runOk(process.execPath, [tsc, '--noEmit', '-p', 'ts', '--traceResolution'], { cwd: project });
  assert.match(trace, /Module name 'bridle' was successfully resolved to '[^']*node_modules\/bridle\/index\.d\.ts'/);
  await runOk(process.execPath, [tsc, '-p', 'ts', '--noEmit', 'false', '--outDir', 'ts/out'], { cwd: project });
  for (const backend of BACKENDS) await checkTypescriptRun(join(project, 'ts/out/index.js'), backend, project);
});

test('cold start in Node: process start to the first render, native and wasm', { skip }, async () => {
  for (const backend of BACKENDS) {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await coldStart(project, backend));
    const [start, load, first, total] = ['start', 'import', 'render', 'total'].map((key) => median(runs.map((r) => r[key])).toFixed(1));
    console.log(`cold start Node ${backend}: import ${load} ms, first render ${first} ms (process start → script ${start} ms, → first render ${total} ms; median of 5)`);
    assert.ok(Number(total) < 5000, `${backend}: ${total} ms`);
  }
});
