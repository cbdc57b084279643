// Seeded random texts for the tokenizer, drawn unlike tests/tokens/corpus.mjs: each text is a run
// of pieces, each piece random code points from one script block, a run of mixed whitespace, a
// digit run (ASCII or another script's digits), a contraction in some case and apostrophe, a
// special-token look-alike, or punctuation; so pieces of different kinds meet at every boundary.
import { Rng } from '../../../shared/bench/workloads/rng.mjs';

/** Code point ranges, by script or kind: [first, last]. */
const BLOCKS = [
  [0x41, 0x5a], [0x61, 0x7a], [0xc0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x530, 0x58f], [0x590, 0x5ff], [0x600, 0x6ff],
  [0x900, 0x97f], [0xe00, 0xe7f], [0x10a0, 0x10ff], [0x1100, 0x11ff], [0x1e00, 0x1eff], [0x300, 0x36f], [0x2000, 0x206f],
  [0x2100, 0x22ff], [0x3040, 0x30ff], [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xe000, 0xe0ff], [0xfb00, 0xfdff], [0xfe00, 0xfe0f],
  [0xff00, 0xffef], [0x1d400, 0x1d7ff], [0x1f300, 0x1faff], [0x20000, 0x2a6df], [0xe0000, 0xe007f], [0x10000, 0x10ffff],
];
const SPACES = [' ', ' ', ' ', '\t', '\n', '\r\n', '\r', '\u000b', '\u000c', '\u00a0', '\u0085', '\u1680', '\u2003', '\u2028', '\u3000', '\ufeff', '\u200b'];
const DIGITS = ['0123456789', '٠١٢٣٤٥٦٧٨٩', '०१२३४५६७८९', '０１２３４５６７８９', '𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗', '①②③'];
const CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'Ve", "'LL", "'D", '’s', '’ll', "'ſ", "'", "''s"];
const SPECIALS = ['<|endoftext|>', '<|endoftext|', '<|endoftext', '<|im_start|>', '<|im_end|>', '<|fim_prefix|>', '<|fim_middle|>',
  '<|fim_suffix|>', '<|endofprompt|>', '<|', '|>', '<|endoftext|><|endoftext|>', '< |endoftext| >', '<|ENDOFTEXT|>'];
const PUNCTUATION = ['.', ',', '!?', '...', '—', '“', '”', '«»', '()', '{}', '[]', '<>', '/', '\\', '@#$%^&*', '__', '--', '==>', '。', '、', '！'];

function codePoint(rng) {
  const [first, last] = rng.pick(BLOCKS);
  for (;;) {
    const c = rng.int(first, last);
    if (c < 0xd800 || c > 0xdfff) return String.fromCodePoint(c);
  }
}

function piece(rng) {
  switch (rng.int(0, 8)) {
    case 0: case 1: {
      let s = '';
      for (let n = rng.int(1, 8); n > 0; n--) s += codePoint(rng);
      return s;
    }
    case 2: {
      let s = '';
      for (let n = rng.int(1, rng.chance(0.1) ? 40 : 5); n > 0; n--) s += rng.pick(SPACES);
      return s;
    }
    case 3: {
      const digits = [...rng.pick(DIGITS)];
      let s = '';
      for (let n = rng.int(1, rng.chance(0.2) ? 30 : 6); n > 0; n--) s += rng.pick(digits);
      return s;
    }
    case 4: return rng.pick(['I', 'you', 'THEY', 'it', 'We', 'x', '']) + rng.pick(CONTRACTIONS);
    case 5: return rng.pick(SPECIALS);
    case 6: return rng.pick(PUNCTUATION);
    case 7: return rng.pick(['hello', 'World', 'tokenizer', 'naïve', 'ÅNGSTRÖM', 'camelCase', 'snake_case', 'HTTPServer', 'a', 'Z']);
    default: return rng.fromAlphabet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', rng.int(1, 12));
  }
}

/** `count` texts `{ id, text, special }`; `special` is how the text's special tokens are taken. */
export function tokenTexts({ seed, count }) {
  const texts = [];
  for (let i = 0; i < count; i++) {
    const rng = new Rng(seed * 100_069 + i);
    let text = '';
    for (let n = rng.int(0, rng.chance(0.1) ? 60 : 12); n > 0; n--) text += piece(rng);
    texts.push({ id: i, text, special: rng.pick(['all', 'all', 'none-allowed', 'as-text']) });
  }
  return texts;
}
