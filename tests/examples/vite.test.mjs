// examples/web as a user ships it: built by Vite into a static site, served from 127.0.0.1 and
// driven in headless Chromium (Debian's package, via playwright-core) like a person would:
// pick a syntax, type a template and JSON data, render, read the prompt, the guard's findings
// and the streamed answer, make mistakes and recover. Prints the bundle's size and the cold
// start measured in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { chromium } from 'playwright-core';

const APP = fileURLToPath(new URL('../../examples/web/', import.meta.url));
// As in tests/runtimes/chromium.test.mjs (not imported from there: that would register its test).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};
// What the app's scripted model answers (examples/web/src/main.js), one delta per word.
const ANSWER = 'Sorry about the double charge! The second payment is refunded; it will be back on your card within five days.';
const WASM_MODULES = ['bridle_wasm_bg', 'bridle_guard_bg', 'bridle_model_bg', 'bridle_tokens_bg'];

/** Serves `root` read-only on a free port of 127.0.0.1; records every request and its status. */
function serveStatic(root) {
  const requests = [];
  const server = createServer(async (request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(root, path);
    let status = 200;
    if (!file.startsWith(root)) {
      status = 403;
      response.writeHead(status).end();
    } else {
      try {
        const body = await readFile(file);
        response.writeHead(status, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        status = 404;
        response.writeHead(status).end();
      }
    }
    requests.push({ path, status });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, requests, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Clicks Render and waits for that run to finish (answer streamed) or fail; returns the status. */
async function renderAndWait(page) {
  const before = Number(await page.getAttribute('body', 'data-run'));
  await page.click('#render');
  await page.waitForFunction(
    (run) => Number(document.body.dataset.run) > run && ['done', 'error'].includes(document.body.dataset.status),
    before,
    { timeout: 15_000 },
  );
  return page.getAttribute('body', 'data-status');
}

/** What the page shows. */
function readPage(page) {
  return page.evaluate(() => ({
    status: document.body.dataset.status,
    prompt: document.getElementById('prompt').textContent,
    findings: [...document.querySelectorAll('#findings li:not(.muted)')].map((item) => [
      item.querySelector('.type').textContent, item.querySelector('.text').textContent,
    ]),
    sent: document.getElementById('sent').textContent,
    answer: document.getElementById('answer').textContent,
    deltas: Number(document.getElementById('answer').dataset.deltas ?? 0),
    usage: document.getElementById('usage').textContent,
    error: document.getElementById('error').hidden ? null : {
      code: document.querySelector('#error .code').textContent,
      message: document.querySelector('#error .message').textContent,
    },
  }));
}

test('examples/web: the Vite build runs in Chromium', { timeout: 110_000 }, async () => {
  const temp = mkdtempSync(join(tmpdir(), 'bridle-vite-'));
  const outDir = join(temp, 'dist');
  const profile = join(temp, 'profile');
  let server = null;
  let context = null;
  try {
    // 1. The build, as `vite build examples/web` makes it.
    await build({ root: APP, configFile: join(APP, 'vite.config.js'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const assets = readdirSync(join(outDir, 'assets')).sort();
    const scripts = assets.filter((name) => name.endsWith('.js'));
    assert.equal(scripts.length, 1, `one JS bundle: ${assets}`);
    // Every wasm module is emitted as it is in the package (not inlined, not duplicated).
    const wasm = assets.filter((name) => name.endsWith('.wasm'));
    assert.deepEqual(wasm.map((name) => name.replace(/-[\w-]+\.wasm$/, '')).sort(), [...WASM_MODULES].sort());
    for (const [module, entry] of [['bridle_wasm_bg', 'bridle/wasm'], ['bridle_guard_bg', 'bridle/wasm/guard'],
      ['bridle_model_bg', 'bridle/wasm/model'], ['bridle_tokens_bg', 'bridle/wasm/tokens']]) {
      const emitted = readFileSync(join(outDir, 'assets', wasm.find((name) => name.startsWith(`${module}-`))));
      assert.ok(emitted.equals(readFileSync(fileURLToPath(import.meta.resolve(entry)))), `${module} is the package's file`);
    }
    const bundle = readFileSync(join(outDir, 'assets', scripts[0]), 'utf8');
    for (const name of wasm) assert.ok(bundle.includes(name), `the bundle refers to ${name}`);
    let total = 0;
    let totalGzip = 0;
    console.log('vite build of examples/web (gzip -9 by node:zlib):');
    for (const name of [...scripts, ...wasm]) {
      const bytes = readFileSync(join(outDir, 'assets', name));
      const gzip = gzipSync(bytes, { level: 9 }).length;
      total += bytes.length;
      totalGzip += gzip;
      console.log(`  ${name.padEnd(34)} ${kb(bytes.length).padStart(10)} raw ${kb(gzip).padStart(10)} gzip`);
    }
    console.log(`  ${'total'.padEnd(34)} ${kb(total).padStart(10)} raw ${kb(totalGzip).padStart(10)} gzip`);

    // 2. Served as a static site, opened in a fresh Chromium profile (nothing cached).
    server = await serveStatic(outDir);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    const wasmTypes = new Map();
    page.on('response', (response) => {
      if (response.url().endsWith('.wasm')) wasmTypes.set(response.url().split('/').pop(), response.headers()['content-type']);
    });
    await page.goto(server.url);
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.status), null, { timeout: 30_000 });

    // The first render, on load, with the app's own example.
    let shown = await readPage(page);
    assert.equal(shown.error, null);
    assert.equal(shown.status, 'done');
    assert.equal(shown.prompt, 'Write a short reply to ana (ana@example.com), who wrote:\nMy card 4111 1111 1111 1111 was charged twice for order 1042.');
    assert.deepEqual(shown.findings, [['EMAIL', 'ana@example.com'], ['CREDIT_CARD', '4111 1111 1111 1111']]);
    assert.equal(shown.answer, ANSWER);
    assert.match(await page.textContent('#status'), /^Ready: WebAssembly loaded in \d+ ms, first render \d+\.\d ms\.$/);
    assert.deepEqual([...wasmTypes.keys()].sort(), [...wasm].sort(), 'init() fetched the four emitted modules');
    for (const [name, type] of wasmTypes) assert.equal(type, 'application/wasm', name);
    const timing = await page.evaluate(() => Object.fromEntries(['bridle:init', 'bridle:setup', 'bridle:first-render', 'bridle:first-guard']
      .map((name) => [name.slice('bridle:'.length), performance.getEntriesByName(name, 'measure')[0]?.duration])));
    for (const [name, ms] of Object.entries(timing)) assert.ok(ms >= 0, `measured ${name}`);
    console.log(`cold start Chromium (vite app): init ${timing.init.toFixed(1)} ms, first render ${timing['first-render'].toFixed(1)} ms` +
      ` (then the first guard check ${timing['first-guard'].toFixed(1)} ms; setup between init and render, mostly compiling the guard ${timing.setup.toFixed(1)} ms)`);

    // 3. A user's turn: Handlebars, their own template and data with an e-mail and a card number.
    await page.selectOption('#syntax', 'handlebars');
    assert.match(await page.inputValue('#template'), /\{\{#if email\}\}/, 'the unedited example follows the syntax');
    await page.fill('#template', 'Reply to {{name}} <{{email}}>.\n{{#each items}}- {{this}}\n{{/each}}Card on file: {{card}}');
    await page.fill('#data', JSON.stringify({ name: 'Bob', email: 'bob@example.org', items: ['tea', 'cake'], card: '5555 5555 5555 4444' }));
    assert.equal(await renderAndWait(page), 'done');
    shown = await readPage(page);
    assert.equal(shown.error, null);
    assert.equal(shown.prompt, 'Reply to Bob <bob@example.org>.\n- tea\n- cake\nCard on file: 5555 5555 5555 4444');
    assert.deepEqual(shown.findings, [['EMAIL', 'bob@example.org'], ['CREDIT_CARD', '5555 5555 5555 4444']]);
    assert.equal(shown.sent, 'Reply to Bob <<EMAIL_1>>.\n- tea\n- cake\nCard on file: <CREDIT_CARD_1>');
    assert.equal(shown.answer, ANSWER);
    assert.equal(shown.deltas, ANSWER.split(' ').length, 'the answer arrived as one delta per word');
    assert.match(shown.usage, /^finish: stop, \d+ input \+ \d+ output tokens$/);

    // 4. A bad template: the typed error on the page, nothing stale beside it.
    await page.fill('#template', 'Reply to {{#if name}}{{name}}');
    assert.equal(await renderAndWait(page), 'error');
    shown = await readPage(page);
    assert.equal(shown.error?.code, 'template_syntax');
    assert.match(shown.error.message, /unclosed block 'if'.*\(at line 1, column 10\)/);
    assert.deepEqual([shown.prompt, shown.findings, shown.answer], ['', [], '']);
    // ... and the page works again.
    await page.fill('#template', 'Reply to {{#if name}}{{name}}{{/if}}.');
    assert.equal(await renderAndWait(page), 'done');
    shown = await readPage(page);
    assert.equal(shown.error, null);
    assert.equal(shown.prompt, 'Reply to Bob.');
    assert.deepEqual(shown.findings, []);
    assert.equal(shown.answer, ANSWER);

    // 5. Bad JSON: json_parse with its place; then good again.
    await page.fill('#data', '{"name": "Bob",}');
    assert.equal(await renderAndWait(page), 'error');
    shown = await readPage(page);
    assert.equal(shown.error?.code, 'json_parse');
    assert.match(shown.error.message, /trailing comma.*\(at line 1, column 16\)/);
    await page.fill('#data', '{"name": "Bob"}');
    assert.equal(await renderAndWait(page), 'done');
    assert.equal((await readPage(page)).prompt, 'Reply to Bob.');

    // 6. Each syntax, with a missing variable in an f-string as a render error.
    const data = JSON.stringify({ user: { name: 'Zoë' }, mail: 'zoe@example.net' });
    const templates = {
      fstring: ['Hi {user}, mail {mail}', 'Hi {"name":"Zoë"}, mail zoe@example.net'],
      mustache: ['Hi {{user.name}}{{#mail}}, mail {{.}}{{/mail}}', 'Hi Zoë, mail zoe@example.net'],
      handlebars: ['Hi {{user.name}}{{#with user}} ({{name}}){{/with}}, mail {{mail}}', 'Hi Zoë (Zoë), mail zoe@example.net'],
      jinja: ['Hi {{ user.name | upper }}, mail {{ mail }}{% for c in "ab" %} {{ c }}{% endfor %}', 'Hi ZOË, mail zoe@example.net a b'],
    };
    await page.fill('#data', data);
    for (const [syntax, [source, expected]] of Object.entries(templates)) {
      await page.selectOption('#syntax', syntax);
      await page.fill('#template', source);
      assert.equal(await renderAndWait(page), 'done', syntax);
      shown = await readPage(page);
      assert.equal(shown.prompt, expected, syntax);
      assert.deepEqual(shown.findings, [['EMAIL', 'zoe@example.net']], syntax);
    }
    await page.selectOption('#syntax', 'fstring');
    await page.fill('#template', 'Hi {nobody}');
    assert.equal(await renderAndWait(page), 'error');
    shown = await readPage(page);
    assert.equal(shown.error?.code, 'missing_variable');
    assert.match(shown.error.message, /'nobody'/);

    // 7. Two renders at once: the second aborts the first's stream; the answer is there once.
    await page.fill('#template', 'Hi {mail}');
    const before = Number(await page.getAttribute('body', 'data-run'));
    await page.evaluate(() => {
      document.getElementById('form').requestSubmit();
      document.getElementById('form').requestSubmit();
    });
    await page.waitForFunction((run) => Number(document.body.dataset.run) === run + 2 && document.body.dataset.status === 'done', before);
    shown = await readPage(page);
    assert.equal(shown.prompt, 'Hi zoe@example.net');
    assert.equal(shown.answer, ANSWER);

    // 8. A screenshot of the page as it stands.
    const screenshot = join(temp, 'page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    const png = readFileSync(screenshot);
    assert.ok(png.length > 1000, `screenshot of ${png.length} bytes`);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');

    assert.deepEqual(problems, []);
    assert.deepEqual(server.requests.filter((request) => request.status !== 200), []);
  } finally {
    await context?.close();
    await server?.close();
    rmSync(temp, { recursive: true, force: true });
  }
});
