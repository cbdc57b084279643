// Differential: Bridle's token ids against OpenAI's tiktoken (the `tiktoken` npm package, its Rust
// core compiled to wasm) for o200k_base and cl100k_base, on seeded random texts unlike the
// corpus of tests/js/tokens.test.mjs (see token-texts.mjs). Special tokens are taken three ways:
// all allowed, none allowed (a special token in the text is an error on both sides), or all as
// plain text. Ids must be identical, and count() must equal their number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { get_encoding } from 'tiktoken';
import { Tokenizer } from 'bridle';
import { tokenTexts } from './token-texts.mjs';
import { attempt, since, Tally } from './harness.mjs';

const require = createRequire(import.meta.url);
const COUNT = Number(process.env.DIFF_CASES ?? 3000);
const SEED = Number(process.env.DIFF_SEED ?? 15);
const ENCODINGS = ['o200k_base', 'cl100k_base'];

// Loaded as tests/js/tokens.test.mjs loads them: tiktoken's own rank files.
const ranks = (name) => JSON.parse(readFileSync(require.resolve(`tiktoken/encoders/${name}.json`), 'utf8'));

const sameIds = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Bridle's ids as a plain array, after checking that count() agrees with them. */
function bridleIds(tokenizer, text, special) {
  const options = { all: { allowedSpecial: 'all' }, 'none-allowed': {}, 'as-text': { disallowedSpecial: [] } }[special];
  const ids = Array.from(tokenizer.encode(text, options));
  const count = tokenizer.count(text, options);
  if (count !== ids.length) throw new Error(`count() is ${count} but encode() gave ${ids.length} ids`);
  return ids;
}

function tiktokenIds(encoding, text, special) {
  if (special === 'all') return Array.from(encoding.encode(text, 'all'));
  if (special === 'as-text') return Array.from(encoding.encode(text, [], []));
  return Array.from(encoding.encode(text));
}

for (const name of ENCODINGS) {
  test(`tokens: ${name} ids on ${COUNT} random texts against tiktoken (seed ${SEED})`, () => {
    const started = performance.now();
    const tokenizer = Tokenizer.fromRanks(ranks(name));
    const oracle = get_encoding(name);
    const tally = new Tally(`tokens ${name} vs tiktoken`, { same: sameIds });
    let tokens = 0;
    try {
      for (const c of tokenTexts({ seed: SEED, count: COUNT })) {
        const reference = attempt(() => tiktokenIds(oracle, c.text, c.special));
        if (reference.ok) tokens += reference.value.length;
        tally.record(c, attempt(() => bridleIds(tokenizer, c.text, c.special)), reference);
      }
    } finally {
      oracle.free();
      tokenizer.free?.();
    }
    console.log(`tokens ${name} differential: ${tokens} tokens; ${since(started)}`);
    assert.ok(tokens > 20_000, 'the texts are many tokens long');
    tally.report(1);
  });
}
