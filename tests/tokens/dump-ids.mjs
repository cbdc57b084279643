// Prints the differential corpus and Bridle's token ids for it as JSON, for
// tests/tokens/check-python.py (a by-hand cross-check against Python's tiktoken).
import { loadTokenizer } from 'bridle';
import { generateCorpus } from './corpus.mjs';
import { ENCODINGS } from './suite.mjs';

const texts = generateCorpus().map(({ text }) => text);
const ids = {};
for (const name of ENCODINGS) {
  const tokenizer = await loadTokenizer(name);
  ids[name] = texts.map((text) => Array.from(tokenizer.encode(text, { allowedSpecial: 'all' })));
  tokenizer.free();
}
process.stdout.write(JSON.stringify({ texts, ids }));
