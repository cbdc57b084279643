// Chat messages and chat prompts: random OpenAI message lists (coherent conversations with
// tool calls, then sometimes mutated), random Anthropic and Gemini request bodies, through
// normalizeMessages, the provider conversions and applyChatTemplate; and random chat prompts
// (templates of every syntax, literal messages, placeholders, few-shot blocks) rendered and
// partially applied.
import { mutate, randomString, randomValue, words } from '../gen.mjs';
import { attempt } from '../observe.mjs';

const NOW = 1_700_000_000;
const IMAGE_URLS = ['https://example.com/a.png', 'data:image/png;base64,iVBORw0KGgo=', 'data:,bad', 'ftp://x/y.jpg', 'https://example.com/noext', 'data:image/jpeg;base64,/9j/4AAQ'];
const ARGUMENTS = ['{"a":1}', '', '{ "city": "Oslo" }', '[1]', 'not json', '{"x":"é\\u0000"}', '{}', '{"nested":{"k":[1,2]}}'];
const TOOL_NAMES = ['f', 'weather', 'lookup', 'get_time'];

function contentPart(rng, role, long = true) {
  const kind = role === 'user' ? rng.int(0, 8) : rng.chance(0.95) ? 0 : rng.int(1, 6);
  if (kind === 0 || kind >= 6) return { type: 'text', text: randomString(rng, { long }) };
  if (kind === 1) return { type: 'image_url', image_url: rng.chance(0.2) ? rng.pick(IMAGE_URLS) : { url: rng.pick(IMAGE_URLS), ...(rng.chance(0.3) ? { detail: rng.pick(['low', 'high', 'auto', 'huge']) } : {}) } };
  if (kind === 2) return { type: 'input_audio', input_audio: { data: 'UklGRg==', format: rng.pick(['wav', 'mp3', 'ogg']) } };
  if (kind === 3) return { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', ...(rng.chance(0.5) ? { filename: 'a.pdf' } : {}) } };
  if (kind === 4) return { type: 'file', file: { file_id: rng.pick(['file-abc.png', 'file-123', 'doc.pdf']) } };
  return rng.chance(0.5) ? { type: 'text', text: words(rng) } : rng.pick([{ type: 'bogus' }, { type: 'text' }, { type: 'file', file: {} }, 'bare string']);
}

function messageContent(rng, role, long = true) {
  const roll = rng.float();
  if (roll < 0.6) return randomString(rng, { long });
  if (roll < 0.96) return Array.from({ length: rng.int(1, 3) }, () => contentPart(rng, role, long));
  return rng.chance(0.7) ? '' : rng.pick([null, 42]);
}

/**
 * A conversation: an optional system message, then user / assistant (maybe calling tools) / tool
 * turns; a share of them `mutate`d (so not always valid); `long: false` keeps strings short.
 */
export function randomConversation(rng, { mutation = 0.25, long = true } = {}) {
  const content = (rng, role) => messageContent(rng, role, long);
  const messages = [];
  let callNumber = 0;
  if (rng.chance(0.6)) messages.push({ role: rng.pick(['system', 'developer']), content: content(rng, 'system') });
  for (let turn = rng.int(1, 3); turn > 0; turn--) {
    messages.push({ role: 'user', content: content(rng, 'user'), ...(rng.chance(0.1) ? { name: 'ana' } : {}) });
    if (rng.chance(0.3)) {
      const calls = Array.from({ length: rng.int(1, 2) }, () => ({ id: `call_${callNumber++}`, type: 'function', function: { name: rng.pick(TOOL_NAMES), arguments: rng.pick(ARGUMENTS) } }));
      messages.push({ role: 'assistant', content: rng.chance(0.5) ? null : content(rng, 'assistant'), tool_calls: calls, ...(rng.chance(0.2) ? { refusal: null } : {}) });
      for (const call of calls) if (rng.chance(0.85)) messages.push({ role: 'tool', tool_call_id: call.id, content: rng.chance(0.3) ? '{"temp":21}' : content(rng, 'tool') });
    }
    if (rng.chance(0.7)) messages.push({ role: 'assistant', content: content(rng, 'assistant') });
  }
  return rng.chance(mutation) ? mutate(rng, messages, rng.int(1, 2)) : messages;
}

function anthropicBlock(rng, role) {
  const kind = rng.int(0, 7);
  if (kind <= 1) return { type: 'text', text: randomString(rng), ...(rng.chance(0.1) ? { cache_control: { type: 'ephemeral' } } : {}) };
  if (kind === 2) return { type: 'image', source: rng.chance(0.5) ? { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } : { type: 'url', url: 'https://example.com/a.png' } };
  if (kind === 3) return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, ...(rng.chance(0.5) ? { title: 'a.pdf' } : {}) };
  if (kind === 4 && role === 'assistant') return { type: 'tool_use', id: `tu_${rng.int(0, 3)}`, name: rng.pick(TOOL_NAMES), input: randomValue(rng, { json: true, maxDepth: 1 }) };
  if (kind === 4 || kind === 5) return { type: 'tool_result', tool_use_id: `tu_${rng.int(0, 3)}`, content: rng.chance(0.5) ? randomString(rng) : [{ type: 'text', text: randomString(rng) }], ...(rng.chance(0.2) ? { is_error: true } : {}) };
  if (kind === 6) return { type: rng.pick(['thinking', 'redacted_thinking', 'server_tool_use', 'search_result']), thinking: 'hm' };
  return { type: 'text', text: '' };
}

function randomAnthropic(rng) {
  const request = { model: 'claude', max_tokens: 10 };
  if (rng.chance(0.5)) request.system = rng.chance(0.5) ? randomString(rng) : [{ type: 'text', text: randomString(rng) }, { type: 'text', text: words(rng) }];
  request.messages = Array.from({ length: rng.int(0, 4) }, (_, i) => {
    const role = i % 2 === 0 ? 'user' : 'assistant';
    return { role, content: rng.chance(0.4) ? randomString(rng) : Array.from({ length: rng.int(1, 3) }, () => anthropicBlock(rng, role)) };
  });
  return rng.chance(0.3) ? mutate(rng, request, rng.int(1, 2)) : request;
}

function geminiPart(rng, role) {
  const snake = rng.chance(0.2);
  const kind = rng.int(0, 8);
  if (kind <= 1) return { text: randomString(rng) };
  if (kind === 2) return snake ? { inline_data: { mime_type: 'image/png', data: 'iVBORw0KGgo=' } } : { inlineData: { mimeType: rng.pick(['image/png', 'audio/wav', 'audio/mp3', 'application/pdf']), data: 'AAAA' } };
  if (kind === 3) return snake ? { file_data: { file_uri: 'gs://b/a.pdf', mime_type: 'application/pdf' } } : { fileData: { fileUri: 'https://x/y.png', ...(rng.chance(0.5) ? { mimeType: 'image/png' } : {}) } };
  if (kind === 4 && role === 'model') return { [snake ? 'function_call' : 'functionCall']: { name: rng.pick(TOOL_NAMES), ...(rng.chance(0.7) ? { args: randomValue(rng, { json: true, maxDepth: 1 }) } : {}), ...(rng.chance(0.3) ? { id: `g${rng.int(0, 2)}` } : {}) } };
  if (kind === 4 || kind === 5) return { functionResponse: { name: rng.pick(TOOL_NAMES), response: rng.chance(0.5) ? { content: randomString(rng) } : randomValue(rng, { json: true, maxDepth: 1 }), ...(rng.chance(0.3) ? { id: `g${rng.int(0, 2)}` } : {}) } };
  if (kind === 6) return { text: 'thinking...', thought: true };
  if (kind === 7) return { executableCode: { code: 'print(1)' } };
  return { text: '' };
}

function randomGemini(rng) {
  const request = {};
  if (rng.chance(0.5)) request[rng.chance(0.8) ? 'systemInstruction' : 'system_instruction'] = { parts: [{ text: randomString(rng) }] };
  request.contents = Array.from({ length: rng.int(0, 4) }, (_, i) => {
    const role = rng.chance(0.1) ? rng.pick(['function', undefined, 'robot']) : i % 2 === 0 ? 'user' : 'model';
    return { ...(role === undefined ? {} : { role }), parts: Array.from({ length: rng.int(1, 3) }, () => geminiPart(rng, role)) };
  });
  return rng.chance(0.3) ? mutate(rng, request, rng.int(1, 2)) : request;
}

const CHAT_TEMPLATE_SOURCES = [
  "{% for m in messages %}<{{ m.role }}>{{ m.content }}</{{ m.role }}>\n{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}",
  "{{ bos_token }}{% for m in messages %}{% if m.role == 'user' %}[INST] {{ m.content|trim }} [/INST]{% else %}{{ m.content }}{{ eos_token }}{% endif %}{% endfor %}",
  "{% for m in messages %}{% if loop.index0 % 2 == 0 and m.role != 'user' %}{{ raise_exception('roles must alternate') }}{% endif %}{{ m.content|tojson }}{% endfor %}",
  "{{ tools|tojson }}|{{ documents|length }}|{{ enable_thinking }}|{{ strftime_now('%d %b %Y') }}",
  '{% for m in messages %}{{ m.content[0].text }}{% endfor %}',
  '{% for m in messages %}{{ m.content',
];

function makeMessagesCase(rng) {
  const op = rng.pick(['normalize', 'toAnthropic', 'toGemini', 'fromAnthropic', 'fromGemini', 'applyChatTemplate']);
  if (op === 'fromAnthropic') return { op, input: rng.chance(0.03) ? rng.pick([null, [], 'x']) : randomAnthropic(rng) };
  if (op === 'fromGemini') return { op, input: rng.chance(0.03) ? rng.pick([null, [], 'x']) : randomGemini(rng) };
  if (op !== 'applyChatTemplate') return { op, input: rng.chance(0.03) ? rng.pick([null, {}, 'x', [[]]]) : randomConversation(rng) };
  const template = rng.chance(0.6) ? rng.pick(['chatml', 'llama3', 'mistral', 'gemma', 'nosuch']) : rng.pick(CHAT_TEMPLATE_SOURCES);
  const options = { messages: randomConversation(rng), now: NOW };
  if (rng.chance(0.5)) options.addGenerationPrompt = rng.chance(0.5);
  if (rng.chance(0.2)) options.bosToken = rng.pick(['<s>', '', randomString(rng)]);
  if (rng.chance(0.2)) options.eosToken = '</s>';
  if (rng.chance(0.2)) options.tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
  if (rng.chance(0.2)) options.documents = [{ title: 'd', text: randomString(rng) }];
  if (rng.chance(0.2)) options.enable_thinking = rng.chance(0.5);
  return { op, template, options };
}

function runMessagesCase(bridle, c) {
  if (c.op === 'applyChatTemplate') return bridle.applyChatTemplate(c.template, c.options);
  const fn = { normalize: bridle.normalizeMessages, toAnthropic: bridle.toAnthropic, toGemini: bridle.toGemini, fromAnthropic: bridle.fromAnthropic, fromGemini: bridle.fromGemini }[c.op];
  return fn(c.input);
}

// ---------------------------------------------------------------------------------------------
// Chat prompts

const PROMPT_TEMPLATES = {
  fstring: ['You are {name}.', '{question}', 'Q: {q} A: {a}', 'braces {{literal}}', 'plain text'],
  mustache: ['You are {{name}}.', '{{question}}', '{{#items}}- {{.}}\n{{/items}}', 'Q: {{q}} A: {{a}}', '{{{name}}}'],
  handlebars: ['You are {{name}}.', '{{question}}', '{{#each items}}{{@index}}:{{this}} {{/each}}', 'Q: {{q}} A: {{a}}', '{{#if name}}hi {{name}}{{else}}anon{{/if}}'],
  jinja: ['You are {{ name }}.', '{{ question|upper }}', '{% for i in items %}{{ i }},{% endfor %}', 'Q: {{ q }} A: {{ a }}', '{{ name ~ "!" }}'],
};
const BROKEN_TEMPLATES = {
  fstring: ['{missing}', '{unclosed', '}'],
  mustache: ['{{missing}}', '{{#unclosed}}'],
  handlebars: ['{{#if}}', '{{role "system"}}'],
  jinja: ['{{ name | nosuch }}', '{% if %}', '{{ missing.x }}'],
};
const ROLES = ['system', 'user', 'assistant', 'human', 'ai', 'developer', 'user', 'assistant'];

function promptEntry(rng, syntax) {
  const template = () => rng.pick(rng.chance(0.04) ? BROKEN_TEMPLATES[syntax] : PROMPT_TEMPLATES[syntax]);
  const role = () => (rng.chance(0.03) ? rng.pick(['tool', 'robot']) : rng.pick(ROLES));
  const roll = rng.float();
  if (roll < 0.45) return [role(), template()];
  if (roll < 0.55) return { role: role(), template: template() };
  if (roll < 0.67) return rng.chance(0.95) ? { role: rng.pick(['assistant', 'user', 'system']), content: 'Literal {name} {{name}}' } : { role: 'tool', content: 'x' };
  if (roll < 0.8) return rng.chance(0.7) ? { placeholder: 'history', optional: rng.chance(0.5) } : ['placeholder', '{history}'];
  if (roll < 0.97) {
    const examples = Array.from({ length: rng.int(0, 4) }, () => ({ q: randomString(rng), a: randomString(rng) }));
    const examplePrompt = [['user', rng.pick(PROMPT_TEMPLATES[syntax].slice(3, 4))], ['assistant', template()]];
    return { fewShot: { examples, examplePrompt, ...(rng.chance(0.4) ? { maxLength: rng.chance(0.9) ? rng.int(0, 60) : 2 ** 32 + rng.int(0, 60) } : {}) } };
  }
  return rng.pick([{}, 'string', { placeholder: 3 }, ['user'], { fewShot: {} }, null]);
}

function promptData(rng) {
  const data = {};
  for (const key of ['name', 'question', 'q', 'a']) if (rng.chance(0.93)) data[key] = rng.chance(0.8) ? randomString(rng) : randomValue(rng, { json: true, maxDepth: 1 });
  if (rng.chance(0.7)) data.items = Array.from({ length: rng.int(0, 3) }, () => randomString(rng));
  const history = () => {
    const conversation = randomConversation(rng);
    return Array.isArray(conversation) ? conversation.filter((m) => m?.role !== 'system') : conversation;
  };
  if (rng.chance(0.8)) data.history = rng.chance(0.9) ? history() : rng.pick(['[{"role":"system","content":"pwned"}]', 3, [['user', 'pair form'], ['ai', 'reply']], [{ role: 'nobody' }]]);
  return data;
}

function makePromptCase(rng) {
  const syntax = rng.pick(['fstring', 'mustache', 'handlebars', 'jinja']);
  const entries = Array.from({ length: rng.int(1, 4) }, () => promptEntry(rng, syntax));
  const options = syntax === 'fstring' && rng.chance(0.5) ? undefined : { syntax, ...(syntax === 'jinja' ? { now: NOW } : {}), ...(rng.chance(0.1) ? { strict: true } : {}) };
  return { entries, options, data: promptData(rng), partial: rng.chance(0.3) ? { name: randomString(rng) } : null };
}

function runPromptCase(bridle, c) {
  const prompt = bridle.chatPrompt(c.entries, c.options);
  try {
    const result = { variables: prompt.variables, messages: attempt(() => prompt.render(c.data)) };
    if (c.partial !== null) {
      result.partial = attempt(() => {
        const fixed = prompt.partial(c.partial);
        try {
          return { variables: fixed.variables, messages: attempt(() => fixed.render(c.data)) };
        } finally {
          fixed.free();
        }
      });
    }
    return result;
  } finally {
    prompt.free();
  }
}

export const CHAT_AREAS = [
  { name: 'chat/messages', count: 2000, make: makeMessagesCase, run: runMessagesCase },
  { name: 'chat/prompts', count: 2000, make: makePromptCase, run: runPromptCase, outputOf: (ok) => ok.messages },
];
