// Tokens: the exact tokenizers (loaded as the tokens suite loads them, from the installed
// registry packages) on random texts from the tokens corpus generator and from awkward pieces
// (special tokens, lone surrogates, long runs), through encode, count, decode, decodeBytes,
// countMessages, the estimate and encodingForModel; and pack() on random prompts, data and
// sections, counted exactly or estimated.
import { generateCorpus } from '../../tokens/corpus.mjs';
import { randomString, words } from '../gen.mjs';
import { randomConversation } from './chat.mjs';
import { attempt } from '../observe.mjs';

const ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];
const CORPUS = generateCorpus({ seed: 21, count: 400 }).map((entry) => entry.text);
const SPECIALS = ['<|endoftext|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|endofprompt|>', '<|im_start|>', '<|endoftext|'];
const MODELS = ['gpt-4o', 'gpt-4o-mini-2024-07-18', 'gpt-4', 'gpt-3.5-turbo-0125', 'text-embedding-3-small', 'o1', 'gpt-5', 'davinci', 'text-davinci-003', 'claude-3', '', 'GPT-4O', 'ft:gpt-4o:org::id'];

function randomText(rng) {
  const roll = rng.float();
  if (roll < 0.4) return rng.pick(CORPUS);
  if (roll < 0.5) {
    const text = rng.pick(CORPUS);
    const at = rng.int(0, text.length);
    return text.slice(at, at + rng.int(1, 200));
  }
  const parts = [];
  for (let n = rng.int(1, 6); n > 0; n--) {
    const kind = rng.int(0, 9);
    if (kind < 4) parts.push(words(rng, 1, 10));
    else if (kind < 6) parts.push(randomString(rng, { lone: 0.08 }));
    else if (kind === 6) parts.push(rng.pick(SPECIALS));
    else if (kind === 7) parts.push(rng.pick(['a', ' ', '\n', '1', '😀', 'é', '\t', '!']).repeat(rng.int(1, 3000)));
    else parts.push(rng.pick(CORPUS).slice(0, 80));
  }
  return parts.join(rng.pick(['', ' ', '\n']));
}

function encodeOptions(rng) {
  const roll = rng.float();
  if (roll < 0.4) return undefined;
  if (roll < 0.6) return { allowedSpecial: 'all' };
  if (roll < 0.75) return { disallowedSpecial: [] };
  if (roll < 0.85) return { allowedSpecial: [rng.pick(SPECIALS)] };
  if (roll < 0.95) return { disallowedSpecial: [rng.pick(SPECIALS)], allowedSpecial: rng.chance(0.5) ? 'all' : [] };
  return rng.pick([{ allowedSpecial: 'some' }, { nosuch: 1 }, { allowedSpecial: ['<|notatoken|>'] }, 'all']);
}

function randomIds(rng) {
  const roll = rng.float();
  if (roll < 0.9) return Array.from({ length: rng.int(0, 30) }, () => (rng.chance(0.8) ? rng.int(0, 50000) : rng.int(0, 200000)));
  return rng.pick([[-1], [1.5], [NaN], ['12'], [2 ** 32], null, 'ids', [100257], [199999, 200018]]);
}

function makeTokensCase(rng) {
  const encoding = rng.pick(ENCODINGS);
  const op = rng.pick(['encode', 'encode', 'count', 'roundTrip', 'decodeIds', 'decodeBytes', 'countMessages', 'estimateText', 'estimateMessages', 'encodingForModel']);
  if (op === 'countMessages' || op === 'estimateMessages') return { encoding, op, messages: randomConversation(rng) };
  if (op === 'decodeIds' || op === 'decodeBytes') return { encoding, op, ids: randomIds(rng), typed: rng.chance(0.3) };
  if (op === 'encodingForModel') return { encoding, op, model: rng.pick(MODELS) };
  return { encoding, op, text: randomText(rng), options: encodeOptions(rng) };
}

async function setupTokenizers(bridle) {
  const tokenizers = {};
  for (const encoding of ENCODINGS) tokenizers[encoding] = await bridle.loadTokenizer(encoding);
  return { tokenizers, info: Object.fromEntries(ENCODINGS.map((e) => [e, { encoding: tokenizers[e].encoding, vocabSize: tokenizers[e].vocabSize, specialTokens: tokenizers[e].specialTokens }])) };
}

function runTokensCase(bridle, c, { tokenizers, info }) {
  const tokenizer = tokenizers[c.encoding];
  switch (c.op) {
    case 'encode': return tokenizer.encode(c.text, c.options);
    case 'count': return tokenizer.count(c.text, c.options);
    case 'roundTrip': {
      const ids = tokenizer.encode(c.text, c.options);
      return { count: ids.length, decoded: tokenizer.decode(ids), bytes: tokenizer.decodeBytes(ids.slice(0, 20)), info: info[c.encoding] };
    }
    case 'decodeIds': return tokenizer.decode(c.typed && Array.isArray(c.ids) ? Uint32Array.from(c.ids) : c.ids);
    case 'decodeBytes': return tokenizer.decodeBytes(c.typed && Array.isArray(c.ids) ? Uint32Array.from(c.ids) : c.ids);
    case 'countMessages': return tokenizer.countMessages(c.messages);
    case 'estimateText': return bridle.estimateTokens(c.text);
    case 'estimateMessages': return bridle.estimateTokens(c.messages);
    default: return bridle.encodingForModel(c.model);
  }
}

// ---------------------------------------------------------------------------------------------
// Packing

const TRIMS = ['none', 'drop-oldest', 'drop-last', 'truncate'];

function documents(rng) {
  return Array.from({ length: rng.int(0, 6) }, (_, i) => {
    const text = rng.chance(0.7) ? rng.pick(CORPUS).slice(0, rng.int(20, 600)) : `${words(rng, 5, 20)}. ${words(rng, 5, 20)}! ${words(rng, 3, 9)}? 句子。${words(rng, 2, 5)}…`;
    return rng.pick([{ id: i, text }, { content: text }, { pageContent: text }, text, { body: text }]);
  });
}

function section(rng) {
  const out = {};
  if (rng.chance(0.9)) out.trim = rng.chance(0.97) ? rng.pick(TRIMS) : 'shred';
  if (rng.chance(0.5)) out.priority = rng.int(-2, 3);
  if (rng.chance(0.4)) out.keep = rng.chance(0.9) ? rng.int(0, 3) : 2 ** 32;
  if (rng.chance(0.2)) out.minTokens = rng.pick([1, 5, 50]);
  if (rng.chance(0.1)) out.field = rng.pick(['body', 'text', 'missing']);
  if (rng.chance(0.02)) out.nosuch = true;
  return out;
}

const PACK_PROMPTS = [
  null,
  'Answer from:\n{docs}\nQuestion: {q}',
  [['system', 'Answer from: {docs}'], { placeholder: 'history', optional: true }, ['user', '{q}']],
  [['system', 'Examples: {examples}'], { placeholder: 'history' }, ['user', '{q}']],
  'mustache:{{#docs}}[{{id}}] {{text}}\n{{/docs}}Q: {{q}}',
];

function makePackCase(rng) {
  const prompt = rng.int(0, PACK_PROMPTS.length - 1);
  const data = { q: rng.chance(0.9) ? words(rng, 3, 12) : randomString(rng), history: randomConversation(rng), docs: documents(rng), examples: Array.from({ length: rng.int(0, 4) }, () => words(rng, 3, 20)) };
  if (PACK_PROMPTS[prompt] === null) data.docs = randomConversation(rng);
  const names = ['history', 'docs', 'examples'].filter(() => rng.chance(0.6));
  const asList = rng.chance(0.3);
  const sections = asList ? names.map((name) => ({ name, ...section(rng) })) : Object.fromEntries(names.map((name) => [name, section(rng)]));
  return {
    prompt, data, sections,
    maxTokens: rng.chance(0.9) ? rng.int(0, 1500) : rng.pick([-1, 1.5, 'many', 2 ** 32, 2 ** 32 + 100]),
    reserve: rng.chance(0.5) ? (rng.chance(0.95) ? rng.int(0, 300) : 2 ** 32) : undefined,
    tokenizer: rng.chance(0.7) ? rng.pick(ENCODINGS) : null,
  };
}

function runPackCase(bridle, c, { tokenizers }) {
  let prompt = PACK_PROMPTS[c.prompt];
  let compiled = null;
  if (typeof prompt === 'string' && prompt.startsWith('mustache:')) prompt = compiled = bridle.Template.compile(prompt.slice('mustache:'.length), { syntax: 'mustache' });
  try {
    const options = { data: c.data, sections: c.sections, maxTokens: c.maxTokens, ...(c.reserve === undefined ? {} : { reserve: c.reserve }), ...(prompt === null ? {} : { prompt }) };
    if (c.tokenizer === null) return bridle.pack(options);
    return attempt(() => tokenizers[c.tokenizer].pack(options));
  } finally {
    compiled?.free();
  }
}

const tokenizerContext = { setup: setupTokenizers, teardown: ({ tokenizers }) => Object.values(tokenizers).forEach((t) => t.free()) };

export const TOKEN_AREAS = [
  { name: 'tokens/encode', count: 2000, make: makeTokensCase, run: runTokensCase, ...tokenizerContext },
  { name: 'tokens/pack', count: 2000, make: makePackCase, run: runPackCase, ...tokenizerContext },
];
