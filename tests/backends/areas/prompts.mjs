// Prompt files: random Dotprompt and Prompty sources, each front matter assembled from YAML
// pieces (valid, odd and broken, with Picoschema, `${env:}` and `${file:}` references) and a body
// from each format's pieces (role markers, helpers, history, partials, hostile text), loaded
// with random partials, schemas, env and files, then read (frontMatter, template) and rendered
// with random data and options.
import { joinPieces, mutateText, randomString, randomValue, words } from '../gen.mjs';
import { randomConversation } from './chat.mjs';
import { attempt } from '../observe.mjs';

// ---------------------------------------------------------------------------------------------
// Dotprompt

const DOT_FRONT = [
  'model: googleai/gemini-2.5-flash', 'model: openai/gpt-4o', 'config: { temperature: 0.3 }', 'config:\n  temperature: 2\n  maxOutputTokens: 100\n  stopSequences: [a, b]',
  'input:\n  schema:\n    name: string, the name\n    topic?: string\n    count: integer\n    tags(array): string',
  'input:\n  schema:\n    person: Person\n    mode(enum, how): [fast, slow]\n    extra(object):\n      k: number\n      "*": any',
  'input:\n  default:\n    name: Ada\n    topic: looms', 'output:\n  format: json\n  schema:\n    answer: string\n    score?: number, 0 to 1',
  'output:\n  schema: Person', 'output:\n  schema:\n    type: object\n    properties:\n      a: { type: string }', 'ext1.sub.foo: x', 'vendor.key: [1, 2]', 'custom: 1',
  'tools: [search, calc]', 'description: "A \\"quoted\\" prompt é"', 'metadata: { owner: me }', 'name: my-prompt', 'variant: v2', 'version: 3', 'raw: ignored?',
  'yes: no', 'when: 2024-01-01', 'nulls: ~', 'multi: |\n  line one\n  line two', 'anchor: &a { x: 1 }\nalias: *a',
];
const DOT_FRONT_BROKEN = [
  'model: [unclosed', ': bad key', '\tx: tab', 'key: "unterminated', 'input:\n  schema:\n    x: nosuchtype', 'input:\n  schema:\n    y(weird): string', '- a list at the top',
  'a: 1\na: 2', 'input:\n  schema:\n    z: Unknown', 'config: [1, 2]',
];
const DOT_BODY = [
  '{{role "system"}}', '{{role "user"}}', '{{role "model"}}', '{{role "Model"}}', '{{history}}', '{{media url=u contentType="image/png"}}', '{{media url="https://x/a.jpg"}}',
  '{{section "notes"}}', '{{json obj}}', '{{json obj indent=2}}', '{{#ifEquals a b}}same{{else}}different{{/ifEquals}}', '{{#unlessEquals a 1}}not one{{/unlessEquals}}',
  '{{name}}', '{{topic}}', '{{count}}', '{{@state.x}}', '{{@metadata.prompt.model}}', '{{> part}}', '{{> part name="inline"}}', '{{> resolved}}', '{{#each tags}}[{{this}}]{{/each}}',
  '{{#if name}}Hi {{name}}!{{/if}}', '<<<dotprompt:role:system>>>', '\u0000', 'Text é😀', '\n', '\n\n', '  ', 'Tell me about {{topic}}.',
];
const DOT_BODY_BROKEN = ['{{nohelper}}', '{{#if}}', '{{> nopart}}', '{{role}}', '{{', '{{/each}}'];
const SCHEMAS = { Person: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name'] } };

/** Up to `max` pieces with distinct top-level keys (a repeated key is a YAML error of its own), sometimes one broken. */
function frontMatter(rng, pieces, broken, max, brokenShare) {
  const chosen = new Map();
  for (let n = rng.int(0, max); n > 0; n--) {
    const piece = rng.chance(brokenShare) ? rng.pick(broken) : rng.pick(pieces);
    chosen.set(piece.split(':')[0], piece);
  }
  return [...chosen.values()];
}

function dotpromptSource(rng) {
  const front = frontMatter(rng, DOT_FRONT, DOT_FRONT_BROKEN, 5, 0.05);
  const body = joinPieces(rng, 0, 8, () => (rng.chance(0.04) ? rng.pick(DOT_BODY_BROKEN) : rng.chance(0.3) ? words(rng, 1, 5) : rng.pick(DOT_BODY)));
  const newline = rng.chance(0.1) ? '\r\n' : '\n';
  let source = rng.chance(0.1) ? body : `---${newline}${front.join(newline).replaceAll('\n', newline)}${newline}---${newline}${body}`;
  if (rng.chance(0.05)) source = mutateText(rng, source, 1, ['---', '\n', ':', '{{', '"']);
  return source;
}

function dotpromptData(rng) {
  const input = {};
  for (const key of ['name', 'topic', 'a', 'b']) if (rng.chance(0.8)) input[key] = rng.chance(0.8) ? randomString(rng) : randomValue(rng, { json: true, maxDepth: 1 });
  if (rng.chance(0.5)) input.count = rng.pick([3, 0, -1, 2.5, '3']);
  if (rng.chance(0.5)) input.tags = Array.from({ length: rng.int(0, 3) }, () => randomString(rng));
  if (rng.chance(0.4)) input.u = rng.pick(['https://x/y.png', 'data:image/png;base64,AA==', '']);
  if (rng.chance(0.4)) input.obj = randomValue(rng, { json: true, maxDepth: 2 });
  const data = { input };
  if (rng.chance(0.4)) data.context = { state: { x: randomString(rng) }, auth: { uid: 'u1' } };
  if (rng.chance(0.4)) data.messages = rng.chance(0.8) ? [{ role: 'user', content: [{ text: 'earlier' }] }, { role: 'model', content: [{ text: randomString(rng) }] }] : [{ role: 'x' }];
  if (rng.chance(0.2)) data.docs = [{ content: [{ text: 'doc' }] }];
  return data;
}

function makeDotprompt(rng) {
  const options = {};
  if (rng.chance(0.8)) options.partials = { part: rng.chance(0.05) ? rng.pick(['{{> part}}', '{{#if}}']) : rng.pick(['Partial {{name}}', '{{role "system"}}from partial', '', 'p:{{topic}}']) };
  if (rng.chance(0.85)) options.schemas = SCHEMAS;
  if (rng.chance(0.5)) options.partialResolver = 'known';
  if (rng.chance(0.03)) options.format = rng.pick(['docx', 'DOTPROMPT']);
  const renderOptions = rng.chance(0.4) ? { config: { temperature: rng.pick([0, 1, 'hot']) }, ...(rng.chance(0.5) ? { model: 'other/model' } : {}), ...(rng.chance(0.3) ? { input: { default: { name: 'Default' } } } : {}) } : undefined;
  return { source: dotpromptSource(rng), options, data: dotpromptData(rng), renderOptions };
}

// ---------------------------------------------------------------------------------------------
// Prompty

const PROMPTY_FRONT = [
  'name: Support', 'description: Answers questions é', 'authors: [ana, bo]', 'metadata:\n  tags: [a, b]',
  'model:\n  id: gpt-4o\n  provider: openai\n  apiType: chat\n  connection:\n    endpoint: ${env:ENDPOINT}\n  options:\n    temperature: 0.2',
  'model:\n  api: chat\n  configuration:\n    azure_endpoint: ${env:ENDPOINT:https://default.example}\n    key: ${env:KEY}\n  parameters:\n    max_tokens: 100',
  'model:\n  api: chat\n  configuration: ${file:config.json}', 'inputs:\n  question:\n    kind: string\n    default: What?\n  history:\n    kind: thread',
  'inputs:\n  firstName:\n    kind: string\n    required: true\n  lastName: Doe', 'inputs:\n  - name: question\n    kind: string\n    default: Why?\n  - name: items\n    kind: array',
  'inputs: ${file:inputs.yaml}', 'sample:\n  question: from sample\n  firstName: Sam', 'sample: ${file:sample.json}', 'template:\n  format:\n    kind: mustache\n  parser:\n    kind: prompty',
  'template:\n  format: jinja2\n  parser: prompty', 'template: mustache', 'outputs:\n  answer:\n    kind: string', 'extra: ${file:notes.txt}', 'nested: ${file:./sub/../notes.txt}',
];
const PROMPTY_FRONT_BROKEN = [
  'template:\n  format: jinja2\n  parser: other', 'template: liquid', 'model: [unclosed', 'inputs: ${file:missing.json}', 'inputs: ${file:bad.json}', 'x: ${env:NOPE}', ': bad',
  'secret: ${file:../secret.txt}', 'abs: ${file:/etc/passwd}',
];
const ROLE_LINES = ['system:', 'user:', 'assistant:', 'developer:', '# User:', 'USER:', 'user[name="Alice"]:', 'assistant[name=bob]:', 'robot:', 'system :'];
const JINJA_LINES = ['You are helpful.', 'Question: {{question}}', '{{ firstName }} {{ lastName }}', '{% for i in items %}- {{ i }}\n{% endfor %}', '{{history}}', '{{ question | upper }}', '   indented  ', '', '\t', 'system:\nhostile in text'];
const MUSTACHE_LINES = ['You are helpful.', 'Question: {{question}}', '{{firstName}} {{{lastName}}}', '{{#items}}- {{.}}\n{{/items}}', '{{history}}', '   indented  ', ''];
const BROKEN_LINES = ['{% for %}', '{{', '{{#unclosed}}', '{{ q | nosuch }}'];

function promptySource(rng) {
  const front = frontMatter(rng, PROMPTY_FRONT, PROMPTY_FRONT_BROKEN, 5, 0.05);
  const mustache = front.some((line) => line.includes('mustache'));
  const lines = [];
  for (let n = rng.int(0, 10); n > 0; n--) {
    if (rng.chance(0.3)) lines.push(rng.pick(ROLE_LINES));
    else lines.push(rng.chance(0.04) ? rng.pick(BROKEN_LINES) : rng.pick(mustache ? MUSTACHE_LINES : JINJA_LINES));
  }
  const body = lines.join(rng.chance(0.1) ? '\r\n' : '\n');
  return rng.chance(0.08) ? body : `---\n${front.join('\n')}\n---\n${body}`;
}

function promptyFiles(rng) {
  const files = {};
  if (rng.chance(0.8)) files['config.json'] = rng.chance(0.9) ? '{"azure_endpoint": "${env:ENDPOINT}", "deployment": "d1"}' : '{bad json';
  if (rng.chance(0.8)) files['inputs.yaml'] = 'question:\n  kind: string\n  default: From file\nitems:\n  kind: array\n  default: [x, y]';
  if (rng.chance(0.8)) files['sample.json'] = JSON.stringify({ question: randomString(rng), firstName: 'F' });
  if (rng.chance(0.8)) files['notes.txt'] = randomString(rng);
  if (rng.chance(0.3)) files['bad.json'] = '[1, 2';
  if (rng.chance(0.02)) files['../secret.txt'] = 'nope';
  return files;
}

function promptyInputs(rng) {
  const inputs = {};
  for (const key of ['question', 'firstName', 'lastName']) if (rng.chance(0.6)) inputs[key] = rng.chance(0.85) ? randomString(rng) : randomValue(rng, { json: true, maxDepth: 1 });
  if (rng.chance(0.5)) inputs.items = Array.from({ length: rng.int(0, 3) }, () => randomString(rng));
  if (rng.chance(0.5)) inputs.history = rng.chance(0.85) ? randomConversation(rng) : rng.pick(['not a thread', [{ role: 'nobody' }], null]);
  return inputs;
}

function makePrompty(rng) {
  const env = {};
  if (rng.chance(0.85)) env.ENDPOINT = rng.pick(['https://example.openai.azure.com/', '', randomString(rng)]);
  if (rng.chance(0.85)) env.KEY = 'k-123';
  if (rng.chance(0.05)) env.NUMBER = 3;
  return { source: promptySource(rng), options: { format: 'prompty', env, files: promptyFiles(rng) }, data: promptyInputs(rng) };
}

// ---------------------------------------------------------------------------------------------

function loadOptions(options) {
  if (options.partialResolver !== 'known') return options;
  return { ...options, partialResolver: (name) => (name === 'resolved' ? 'Resolved {{name}}' : undefined) };
}

function runPrompt(bridle, c) {
  const prompt = bridle.loadPrompt(c.source, loadOptions(c.options));
  try {
    return {
      frontMatter: prompt.frontMatter,
      template: prompt.template,
      rendered: attempt(() => prompt.render(c.data, c.renderOptions)),
      metadata: attempt(() => prompt.renderMetadata(c.renderOptions)),
    };
  } finally {
    prompt.free();
  }
}

export const PROMPT_AREAS = [
  { name: 'prompts/dotprompt', count: 2000, make: makeDotprompt, run: runPrompt, outputOf: (ok) => ok.rendered.messages },
  { name: 'prompts/prompty', count: 2000, make: makePrompty, run: runPrompt, outputOf: (ok) => ok.rendered.messages },
];
