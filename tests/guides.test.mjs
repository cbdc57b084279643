// The README's guides: each capability's section shows a sample that is a file in
// examples/guides/ byte for byte (the fenced block after a `<!-- sample: path -->` marker), and
// the file, run as a user would run it, prints its examples/guides/<name>.out on both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Every capability with a guide: its sample's name and the README section that shows it. */
const CAPABILITIES = {
  templates: 'Templates',
  chat: 'Prompt files and messages',
  structured: 'Structured output',
  guards: 'Guardrails',
  models: 'Models',
  chains: 'Chains',
  tokens: 'Tokens and context budgets',
};

/** The marked blocks of the README: path, code, and the `## ` section they are in. */
function markedBlocks() {
  const blocks = [];
  for (const match of readme.matchAll(/<!-- sample: (\S+) -->\n/g)) {
    const fence = match.index + match[0].length;
    assert.ok(readme.startsWith('```js\n', fence), `${match[1]}: the marker must be followed by a \`\`\`js block`);
    const start = fence + '```js\n'.length;
    const end = readme.indexOf('\n```\n', start - 1);
    assert.ok(end >= start - 1, `${match[1]}: the block is not closed`);
    const headings = [...readme.slice(0, match.index).matchAll(/^## (.+)$/gm)];
    blocks.push({ path: match[1], code: readme.slice(start, end + 1), section: headings.at(-1)?.[1] });
  }
  return blocks;
}

/** The environment without any model provider's settings: the samples need none. */
function cleanEnv(extra) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(OPENAI|ANTHROPIC|GEMINI|GOOGLE)_/.test(name)) delete env[name];
  return { ...env, ...extra };
}

test('every capability has a sample in its README section, and every sample is a capability', () => {
  const blocks = markedBlocks();
  const files = readdirSync(join(root, 'examples/guides')).filter((file) => file.endsWith('.mjs')).sort();
  assert.deepEqual(files, Object.keys(CAPABILITIES).map((name) => `${name}.mjs`).sort(), 'examples/guides/*.mjs');
  for (const [name, section] of Object.entries(CAPABILITIES)) {
    const path = `examples/guides/${name}.mjs`;
    const shown = blocks.filter((block) => block.path === path);
    assert.equal(shown.length, 1, `${path} is shown once in the README (shown ${shown.length} times)`);
    assert.equal(shown[0].section, section, `${path} is in the README's "${section}" section`);
    assert.ok(existsSync(join(root, `examples/guides/${name}.out`)), `examples/guides/${name}.out`);
  }
  assert.deepEqual(blocks.map((block) => block.path).filter((path) => !files.includes(path.replace('examples/guides/', ''))), [], 'markers naming no sample');
});

test('each README sample is its file, byte for byte', () => {
  for (const { path, code } of markedBlocks()) {
    assert.equal(code, readFileSync(join(root, path), 'utf8'), `the README's block for ${path} differs from the file`);
  }
});

for (const name of Object.keys(CAPABILITIES)) {
  test(`examples/guides/${name}.mjs prints ${name}.out on the native and the wasm backend`, async () => {
    const script = join(root, `examples/guides/${name}.mjs`);
    const expected = readFileSync(join(root, `examples/guides/${name}.out`), 'utf8');
    const runs = await Promise.all(['native', 'wasm'].map(async (backend) => {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [script], {
        cwd: root, env: cleanEnv({ BRIDLE_BACKEND: backend }), encoding: 'utf8', timeout: 30_000,
      });
      return { backend, stdout, stderr };
    }));
    for (const { backend, stdout, stderr } of runs) {
      assert.equal(stderr, '', `${name} on ${backend} wrote to stderr`);
      assert.equal(stdout, expected, `${name} on ${backend}: the output differs from examples/guides/${name}.out`);
    }
  });
}
