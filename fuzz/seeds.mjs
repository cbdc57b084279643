// Seeds each fuzz target's corpus (fuzz/corpus/<target>/, gitignored) with real inputs in the
// target's own format, so that fuzzing starts from documents that reach deep into each parser:
// the conformance suites' templates and data, the test vectors, the token corpus and provider
// streams. `node fuzz/seeds.mjs <corpus dir>`; files are named by content, so reruns add nothing.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expand } from '../tests/vectors/index.mjs';
import { generateCorpus } from '../tests/tokens/corpus.mjs';

const root = new URL('..', import.meta.url).pathname;
const conformance = join(root, '../shared/conformance');
const corpus = process.argv[2] ?? join(root, 'fuzz/corpus');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const MAX = 4096; // scripts/fuzz.sh runs with -max_len=4096

const seeds = new Map();
function add(target, bytes) {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  if (buffer.length === 0 || buffer.length > MAX) return;
  if (!seeds.has(target)) seeds.set(target, new Map());
  seeds.get(target).set(createHash('sha1').update(buffer).digest('hex'), buffer);
}
const withPick = (pick, text) => Buffer.concat([Buffer.from([pick]), Buffer.from(text)]);

// Templates: the first byte picks the syntax (0 f-string, 1 Mustache, 2 Handlebars, 3 Jinja),
// a NUL separates the source from its JSON data.
const documents = [];
const template = (pick, source, data) => {
  const json = JSON.stringify(data ?? {});
  documents.push(json);
  add('template', withPick(pick, `${source}\0${json}`));
};
for (const c of readJson(join(root, 'tests/vectors/fstring.json')).cases) template(0, expand(c.template), c.data);
for (const file of readdirSync(join(conformance, 'mustache')).filter((f) => f.endsWith('.json'))) {
  for (const c of readJson(join(conformance, 'mustache', file)).tests ?? []) template(1, c.template, c.data);
}
for (const file of readdirSync(join(conformance, 'handlebars')).filter((f) => f.endsWith('.json') && !/tokenizer|parser/.test(f))) {
  const cases = readJson(join(conformance, 'handlebars', file));
  for (const c of Array.isArray(cases) ? cases : []) if (typeof c.template === 'string') template(2, c.template, c.data);
}
for (const c of readJson(join(conformance, 'hf-chat-templates.json')).cases) template(3, c.template, c.context);

// Prompt files: an even first byte is Dotprompt, an odd one Prompty.
const dotprompt = join(conformance, 'dotprompt');
for (const file of readdirSync(dotprompt).filter((f) => f.endsWith('.yaml'))) {
  for (const match of readFileSync(join(dotprompt, file), 'utf8').matchAll(/^ {2}template: ?\|-?\n((?: {4}.*\n|\n)+)/gm)) {
    add('prompt_file', withPick(0, match[1].replace(/^ {4}/gm, '')));
  }
}
for (const c of readJson(join(root, 'tests/vectors/prompty.json')).cases) add('prompt_file', withPick(1, c.source));

// JSON: the template data as documents, whole and cut short (the stream's first byte seeds its
// chunking; repair takes the text as it is).
for (const [i, json] of documents.entries()) {
  add('json_stream', withPick(i, json));
  add('repair', json);
  add('repair', json.slice(0, Math.ceil(json.length * 0.6)));
  add('repair', `Here it is:\n\`\`\`json\n${json}\n\`\`\``);
}

// Guards: every guard vector's text.
for (const file of readdirSync(join(root, 'tests/vectors/guard')).filter((f) => f.endsWith('.json'))) {
  for (const c of readJson(join(root, 'tests/vectors/guard', file)).cases ?? []) if (typeof c.text === 'string') add('guard_scan', c.text);
}

// Tokenizer: the differential corpus.
for (const { text } of generateCorpus({ seed: 9, count: 600 })) add('tokenizer', text);

// SSE: provider-shaped streams with each line ending.
const events = [
  'data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}',
  ': keep-alive',
  'id: 7\nretry: 100\ndata: line one\ndata: line two',
  'data: [DONE]',
];
for (const [i, eol] of ['\n', '\r\n', '\r'].entries()) {
  add('sse', withPick(i, events.map((e) => e.replaceAll('\n', eol) + eol + eol).join('')));
  add('sse', withPick(i + 3, `\uFEFF${events.join(eol + eol)}`));
}

let written = 0;
for (const [target, files] of seeds) {
  const dir = join(corpus, target);
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) {
    const path = join(dir, `seed-${name}`);
    if (!existsSync(path)) {
      writeFileSync(path, bytes);
      written += 1;
    }
  }
}
console.log(`[fuzz] seeds: ${[...seeds].map(([t, f]) => `${t} ${f.size}`).join(', ')} (${written} new)`);
