// The tokenizer checks every runtime runs on its own copy of Bridle (Chromium page, workerd,
// Node): each encoding over the seeded differential corpus, reported as a count and a
// fingerprint of the ids per text (the Node side computes the same with tiktoken, the oracle),
// and a sample of counting, estimating and packing that must equal Node's byte for byte.
import { generateCorpus } from './corpus.mjs';

export const ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];

/** FNV-1a over the ids: equal lists give equal fingerprints; a differing id changes it. */
export function fingerprint(ids) {
  let hash = 0x811c9dc5;
  for (const id of ids) {
    hash = Math.imul(hash ^ (id & 0xffff), 0x01000193) >>> 0;
    hash = Math.imul(hash ^ (id >>> 16), 0x01000193) >>> 0;
  }
  return hash;
}

/** `[count, fingerprint]` per corpus text for an `encode(text)` function. */
export function corpusFingerprints(encode) {
  return generateCorpus().map(({ text }) => {
    const ids = encode(text);
    return [ids.length, fingerprint(ids)];
  });
}

/** Counting, estimating and packing with an o200k_base tokenizer: identical everywhere. */
export function tokenSample(bridle, tokenizer) {
  const messages = [
    { role: 'system', content: 'Be brief. Zoë 😀' },
    { role: 'user', name: 'ada', content: 'What is 2 + 2? <|endoftext|>' },
  ];
  let refused = null;
  try {
    tokenizer.encode('x <|endoftext|>');
  } catch (error) {
    refused = { name: error.name, code: error.code, details: error.details };
  }
  const docs = Array.from({ length: 4 }, (_, d) => ({ id: d, text: `Doc ${d} opens. It goes on for a while. It ends here.` }));
  const packed = tokenizer.pack({
    prompt: [['system', 'Use:\n{{#docs}}{{text}}\n{{/docs}}'], { placeholder: 'history' }, ['user', '{{q}}']],
    data: {
      q: 'Why?',
      docs,
      history: [
        { role: 'user', content: 'Earlier question?' },
        { role: 'assistant', content: 'Earlier answer.' },
        { role: 'user', content: 'Later question?' },
        { role: 'assistant', content: 'Later answer.' },
      ],
    },
    sections: { docs: { trim: 'truncate', priority: 1 }, history: { trim: 'drop-oldest', priority: 2, keep: 1 } },
    maxTokens: 90,
    reserve: 20,
  });
  return {
    encoding: tokenizer.encoding,
    vocabSize: tokenizer.vocabSize,
    ids: Array.from(tokenizer.encode('Zoë says: "hello, world" 😀\n\n  indented', { allowedSpecial: 'all' })),
    decoded: tokenizer.decode(tokenizer.encode('naïve 🇫🇷')),
    messages: tokenizer.countMessages(messages),
    estimate: bridle.estimateTokens('The quick brown fox jumps over the lazy dog, twice: 1234567.'),
    model: bridle.encodingForModel('gpt-4o-mini'),
    refused,
    packed,
  };
}

/**
 * Runs the suite; `ranksFor(name)` gives what `loadTokenizer`'s `ranks` option takes on this
 * runtime (a URL in a page, a bundled rank object in a Worker).
 */
export async function runTokenSuite(bridle, ranksFor) {
  const result = { encodings: {}, loadMs: {} };
  for (const name of ENCODINGS) {
    const start = performance.now();
    const tokenizer = await bridle.loadTokenizer(name, { ranks: await ranksFor(name) });
    result.loadMs[name] = Math.round(performance.now() - start);
    try {
      result.encodings[name] = corpusFingerprints((text) => tokenizer.encode(text, { allowedSpecial: 'all' }));
      if (name === 'o200k_base') result.sample = tokenSample(bridle, tokenizer);
    } finally {
      tokenizer.free();
    }
  }
  return result;
}
