// A deterministic differential corpus for the tokenizer: `generateCorpus({ seed, count })`
// returns `count` texts `{ id, kind, text }`, round-robin over KINDS so every kind gets about
// the same share. Each entry is drawn from its own PRNG, seeded from (seed, kind, ordinal), so
// `whitespace/7` is the same text whatever `count` is; the first ordinals of most kinds are
// fixed showcases (the empty string, the 3000-character runs, every whitespace character at
// the start, middle and end of a text, ...), later ones random.
//
// No Node builtins: this file also runs in a browser page and in workerd. Every text is a
// well-formed Unicode string (no lone surrogates); generateCorpus() checks that.
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { WORDS, sentence } from '../../../shared/bench/workloads/text.mjs';

export const KINDS = Object.freeze([
  'prose', // English prose and Markdown
  'code', // several languages: indentation, tabs, CRLF, trailing spaces, long lines
  'numbers', // digit runs, separators, phone-like, non-ASCII \p{N}
  'whitespace', // every kind of whitespace at starts, middles and ends
  'contractions', // 's 't 're 've 'm 'll 'd in every case, apostrophe variants
  'scripts', // CJK, kana, Hangul, Arabic, Hebrew, Devanagari, Thai, Vietnamese (NFC and NFD), Cyrillic/Greek
  'emoji', // ZWJ sequences, skin tones, flags, keycaps, tag sequences
  'random', // random code points from all 17 planes (no surrogates)
  'punctuation', // punctuation runs mixed with newlines and slashes
  'json-url', // JSON documents, URLs, paths, e-mail addresses
  'special', // special-token-looking strings embedded in text
  'long', // very long runs of one character or one short unit
  'tiny', // the empty string and texts of one to three code points
]);

/** `[{ id, kind, text }]`: `count` texts, round-robin over KINDS. */
export function generateCorpus({ seed = 9, count = 600 } = {}) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const k = i % KINDS.length;
    const kind = KINDS[k];
    const ordinal = Math.floor(i / KINDS.length);
    const rng = new Rng(mix(seed, k, ordinal));
    const text = GENERATORS[kind](rng, ordinal);
    if (typeof text !== 'string' || LONE_SURROGATE.test(text)) throw new Error(`corpus ${kind}/${ordinal} is not a well-formed string`);
    out.push({ id: `${kind}/${ordinal}`, kind, text });
  }
  return out;
}

/** A short, printable, escaped form of `text` for test reports. */
export function preview(text, max = 80) {
  let s = '';
  for (const ch of text) {
    const c = ch.codePointAt(0);
    s += c >= 0x20 && c < 0x7f ? ch : c < 0x10000 ? `\\u${c.toString(16).padStart(4, '0')}` : `\\u{${c.toString(16)}}`;
    if (s.length >= max) return `${s}… (${text.length} UTF-16 units)`;
  }
  return s;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u; // with the u flag only unpaired halves match

// murmur3's finaliser over the three inputs: a well-spread 32-bit seed per entry.
function mix(seed, kind, ordinal) {
  let h = (seed >>> 0) ^ Math.imul(kind + 1, 0x9e3779b1) ^ Math.imul(ordinal + 1, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const rep = (s, n) => s.repeat(n);
const many = (rng, lo, hi, f) => Array.from({ length: rng.int(lo, hi) }, () => f());
const cap = (w) => w[0].toUpperCase() + w.slice(1);
const word = (rng) => rng.pick(WORDS);

// Whitespace of every kind. U+0085 is White_Space for Rust's regex but not for JavaScript's
// \s; U+FEFF is the reverse; U+200B, U+2060 and U+180E are White_Space for neither.
export const WHITESPACE = Object.freeze([
  ' ', '\t', '\n', '\r\n', '\r', '\u000b', '\u000c', '\u00a0', '\u0085', '\u1680', '\u2000', '\u2002', '\u2007', '\u2009',
  '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b', '\u2060', '\u180e',
]);

// ---------------------------------------------------------------------------------------
// prose and Markdown

const NAMES = ['Alice', 'Bob', 'McDonald', 'iPhone', 'NASA', 'OpenAI', 'JavaScript', 'GitHub', "O'Brien", 'van der Berg', 'São Paulo', 'Zürich', 'Dvořák'];

function proseParagraph(rng) {
  return many(rng, 1, 5, () => {
    let s = sentence(rng, 4, 20);
    if (rng.chance(0.3)) s = s.replace(/ \w+/, ` ${rng.pick(NAMES)}`);
    if (rng.chance(0.2)) s = s.replace(/ (\w+)/, (_, w) => ` “${w}”`);
    if (rng.chance(0.15)) s = s.replace(/ (\w+) (\w+)/, (_, a, b) => ` ${a} — ${b}`);
    if (rng.chance(0.15)) s = s.replace(/ (\w+)/, (_, w) => ` (${w.toUpperCase()})`);
    if (rng.chance(0.1)) s = s.replace(/\.$/, '...');
    if (rng.chance(0.1)) s = s.replace(/\.$/, '!');
    return s;
  }).join(rng.chance(0.8) ? ' ' : '  ');
}

function markdownBlock(rng) {
  switch (rng.int(0, 9)) {
    case 0: return `${rep('#', rng.int(1, 6))} ${cap(word(rng))} ${word(rng)}${rng.chance(0.3) ? ' #' : ''}`;
    case 1: return many(rng, 2, 6, () => `${rng.pick(['-', '*', '+', '1.', '2)'])} ${sentence(rng, 2, 8)}`).join('\n');
    case 2: return many(rng, 2, 5, () => `${rep('  ', rng.int(0, 3))}- [${rng.pick([' ', 'x', 'X'])}] ${word(rng)} ${word(rng)}`).join('\n');
    case 3: return `> ${proseParagraph(rng)}\n>\n> — ${rng.pick(NAMES)}`;
    case 4: return `\`\`\`${rng.pick(['js', 'python', 'sh', ''])}\n${codeText(rng, rng.int(0, 9))}\n\`\`\``;
    case 5: {
      const cols = rng.int(2, 4);
      const row = () => `| ${many(rng, cols, cols, () => word(rng)).join(' | ')} |`;
      return [row(), `|${rep(rng.pick(['---|', ':--|', '--:|', ':-:|']), cols)}`, ...many(rng, 1, 4, row)].join('\n');
    }
    case 6: return `${word(rng)} **${word(rng)}** _${word(rng)}_ \`${word(rng)}()\` [${word(rng)}](https://example.com/${word(rng)}) ~~${word(rng)}~~ ![img](./a b.png)`;
    case 7: return rng.pick(['---', '***', '___', '- - -', '<br/>', '<!-- comment -->', '\\*not emphasis\\*', '&nbsp;&amp;']);
    case 8: return `${sentence(rng)}  \n${sentence(rng)}\\\n${sentence(rng)}`; // hard line breaks
    default: return proseParagraph(rng);
  }
}

function prose(rng, ordinal) {
  if (ordinal === 0) return 'Hello world';
  if (ordinal === 1) return 'The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX! the Quick bRoWn fox?';
  if (rng.chance(0.4)) return many(rng, 1, 4, () => proseParagraph(rng)).join(rng.pick(['\n\n', '\n', '\r\n\r\n', '\n\n\n']));
  return many(rng, 2, 8, () => markdownBlock(rng)).join(rng.pick(['\n\n', '\n', '\r\n\r\n']));
}

// ---------------------------------------------------------------------------------------
// source code

const identifier = (rng) => {
  const parts = many(rng, 1, 3, () => word(rng));
  switch (rng.int(0, 4)) {
    case 0: return parts.join('_');
    case 1: return parts[0] + parts.slice(1).map(cap).join('');
    case 2: return parts.map(cap).join('');
    case 3: return parts.join('_').toUpperCase();
    default: return `${rng.pick(['get', 'set', 'is', 'to', 'XML', 'HTTP', '_', '__'])}${parts.map(cap).join('')}${rng.pick(['', 'ID', 'Url', '2', '_v2', 's'])}`;
  }
};
const str = (rng) => rng.pick([`"${word(rng)} ${word(rng)}"`, `'${word(rng)}'`, `\`${word(rng)} \${${identifier(rng)}}\``, '"\\n\\t\\"\\\\"', '"héllo wörld ✓"', "r'\\d+\\s*'", '""']);
const num = (rng) => rng.pick([String(rng.int(0, 9)), String(rng.int(10, 99999)), `${rng.int(0, 99)}.${rng.digits(rng.int(1, 4))}`, `0x${rng.int(0, 0xffffff).toString(16).toUpperCase()}`, '1e-9', '1_000_000', '0b1010']);

// Each template is lines of [indent level, text].
const CODE = [
  (rng, a, b) => [[0, `function ${a}(${b}, options = {}) {`], [1, `const ${b}2 = ${b}.map((x) => x * ${num(rng)});`], [1, `if (!${b}2.length) return null; // nothing to do`], [1, `for (let i = 0; i < ${b}2.length; i++) {`], [2, `console.log(\`\${i}: \${${b}2[i]}\`, ${str(rng)});`], [1, '}'], [1, `return { ${b}2, ...options };`], [0, '}'], [0, ''], [0, `export default ${a};`]],
  (rng, a, b) => [[0, `def ${a.toLowerCase()}(self, ${b.toLowerCase()}: int = ${num(rng)}) -> list[str]:`], [1, `"""${sentence(rng, 3, 8)}"""`], [1, `result = [${str(rng)} for _ in range(${b.toLowerCase()})]`], [1, 'try:'], [2, 'return result[::-1]'], [1, 'except IndexError as e:'], [2, `raise ValueError(f"bad {e!r}") from None`], [0, ''], [0, 'if __name__ == "__main__":'], [1, `print(${a.toLowerCase()}(None))`]],
  (rng, a, b) => [[0, `pub fn ${a.toLowerCase()}<'a>(${b.toLowerCase()}: &'a [u8]) -> Result<Vec<u32>, Box<dyn std::error::Error>> {`], [1, `let mut out = Vec::with_capacity(${num(rng)});`], [1, `for (i, &c) in ${b.toLowerCase()}.iter().enumerate() {`], [2, `match c { b'\\n' => out.push(i as u32), _ => {} }`], [1, '}'], [1, 'Ok(out)'], [0, '}'], [0, '#[cfg(test)]'], [0, 'mod tests { use super::*; }']],
  (rng, a, b) => [[0, `func (s *${a}) ${b}(ctx context.Context) (int, error) {`], [1, 'if err := s.check(); err != nil {'], [2, `return 0, fmt.Errorf("${word(rng)}: %w", err)`], [1, '}'], [1, `return len(s.items) + ${num(rng)}, nil`], [0, '}']],
  (rng, a, b) => [[0, '#include <stdio.h>'], [0, `static int ${a}(const char *${b}, size_t n) {`], [1, 'int total = 0;'], [1, `while (n--) { total += *${b}++ & 0x7f; }`], [1, `printf("%d\\n", total); /* ${word(rng)} */`], [1, 'return total;'], [0, '}']],
  (rng, a, b) => [[0, `SELECT u.${b}, COUNT(*) AS n, SUM(o.total) FROM ${a} u`], [1, `LEFT JOIN orders o ON o.user_id = u.id AND o.status <> '${word(rng)}'`], [0, `WHERE u.created_at >= '2024-01-01' AND u.${b} LIKE '%${word(rng)}%'`], [0, 'GROUP BY 1 HAVING n > 2 ORDER BY 2 DESC LIMIT 10;']],
  (rng, a, b) => [[0, '#!/usr/bin/env bash'], [0, 'set -euo pipefail'], [0, `for f in ./${b}/*.txt; do`], [1, `grep -E '^[a-z]+$' "$f" | sort | uniq -c > "\${f%.txt}.${a}" 2>&1 || echo "fail: $f" >&2`], [0, 'done'], [0, `echo "$((${num(rng)} + 1))"`]],
  (rng, a, b) => [[0, '<!DOCTYPE html>'], [0, `<div class="${b}" id='${a}' data-x="1">`], [1, `<p>${sentence(rng, 3, 7)} &amp; &lt;b&gt;</p>`], [1, `<script>window.${a} = ${str(rng)};</script>`], [0, '</div>']],
  (rng, a, b) => [[0, `${b}:`], [1, `name: ${a}`], [1, `version: ${num(rng)}`], [1, 'items:'], [2, `- ${word(rng)}`], [2, `- "${word(rng)}: ${word(rng)}"`], [1, 'script: |'], [2, `echo ${word(rng)}`]],
  (rng, a, b) => [[0, `.${b} > .${a}:hover, #${a}::after {`], [1, `margin: 0 ${rng.int(1, 20)}px; color: #${rng.int(0, 0xffffff).toString(16).padStart(6, '0')};`], [1, "content: '\\201C';"], [0, '}'], [0, `@media (max-width: ${rng.int(300, 1200)}px) { .${b} { display: none } }`]],
];

function codeText(rng, which) {
  const lines = CODE[which % CODE.length](rng, identifier(rng), identifier(rng));
  const indent = rng.pick(['  ', '    ', '\t', '\t', '  \t', ' ']);
  const eol = rng.pick(['\n', '\n', '\r\n', '\r\n', '\r', 'mixed']);
  let out = '';
  lines.forEach(([level, text], i) => {
    let line = rep(indent, level) + text;
    if (rng.chance(0.15)) line += rep(rng.pick([' ', '\t']), rng.int(1, 4)); // trailing whitespace
    if (i) out += eol === 'mixed' ? rng.pick(['\n', '\r\n', '\r']) : eol;
    out += line;
  });
  return out;
}

function longLine(rng) {
  switch (rng.int(0, 2)) {
    case 0: return `const table = [${many(rng, 80, 200, () => rng.int(0, 65535)).join(',')}];`;
    case 1: return `!function(e,t){${many(rng, 30, 60, () => `var ${identifier(rng)}=e.${word(rng)}||t[${rng.int(0, 9)}];`).join('')}}(window,[]);`;
    default: return `x = "${many(rng, 40, 120, () => word(rng)).join(' ')}"`;
  }
}

function code(rng, ordinal) {
  const blocks = many(rng, 1, 3, () => codeText(rng, rng.int(0, CODE.length - 1)));
  if (ordinal % 3 === 0 || rng.chance(0.2)) blocks.splice(rng.int(0, blocks.length), 0, longLine(rng));
  return blocks.join(rng.pick(['\n\n', '\r\n\r\n', '\n', '\n\n\n']));
}

// ---------------------------------------------------------------------------------------
// numbers

// Decimal digits of other scripts (zero of each block), and other \p{N}: superscripts,
// fractions, Roman numerals, circled numbers, mathematical (astral) digits.
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810, 0xff10, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x104a0, 0x11066, 0x1e950];
const OTHER_N = ['²', '³', '¹', '⁰', '⁴', '₀', '₁', '₂', '½', '¼', '¾', '⅓', '⅞', 'Ⅰ', 'Ⅳ', 'Ⅻ', 'ⅻ', 'ↀ', '①', '⑳', '⓪', '❶', '㉑', '〇', '〡', '፩', '፲', '𐄇', '𒐀', '௰', '৴', '𝍠', '🄂'];
const foreignDigits = (rng, n) => {
  const zero = rng.pick(DIGIT_ZEROS);
  return Array.from({ length: n }, () => String.fromCodePoint(zero + rng.int(0, 9))).join('');
};

// "1234567" -> "1,234,567" (by hand: no Intl, whose data may differ between runtimes)
const grouped = (digits) => digits.replace(/\B(?=(\d{3})+$)/g, ',');

function numberToken(rng) {
  switch (rng.int(0, 17)) {
    case 0: return rng.digits(rng.int(1, 12));
    case 1: return rng.digits(rng.int(13, 200)); // long digit run
    case 2: return `${rng.digits(rng.int(1, 4))}.${rng.digits(rng.int(1, 8))}`;
    case 3: return grouped(String(rng.int(1, 9)) + rng.digits(rng.int(3, 11))); // 1,234,567
    case 4: return `${rng.int(1, 999)}.${rng.digits(3)}.${rng.digits(3)},${rng.digits(2)}`; // 1.234.567,89
    case 5: return `${rng.int(1, 999)} ${rng.digits(3)} ${rng.digits(3)}`; // thin grouping with spaces
    case 6: return rng.pick([`+1 (${rng.digits(3)}) ${rng.digits(3)}-${rng.digits(4)}`, `+44 ${rng.digits(2)} ${rng.digits(4)} ${rng.digits(4)}`, `${rng.digits(3)}.${rng.digits(3)}.${rng.digits(4)}`, `0${rng.digits(3)}/${rng.digits(6)}`, `+81-${rng.digits(2)}-${rng.digits(4)}-${rng.digits(4)}`]);
    case 7: return `${rng.int(1990, 2030)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T${rng.digits(2)}:${rng.digits(2)}:${rng.digits(2)}.${rng.digits(3)}Z`;
    case 8: return rng.pick(['-', '+', '−', '±', '~']) + `${rng.int(0, 999)}${rng.pick(['%', '‰', '°C', 'px', 'ms', 'e10', 'E-3', 'k', 'x'])}`;
    case 9: return `${rng.pick(['$', '€', '£', '¥', '₹', 'USD ', 'CHF '])}${grouped(String(rng.int(0, 99999)))}.${rng.digits(2)}`;
    case 10: return foreignDigits(rng, rng.int(1, 12));
    case 11: return foreignDigits(rng, rng.int(2, 6)) + rng.pick(['٫', '.', ',', '٬', '']) + foreignDigits(rng, rng.int(1, 4));
    case 12: return many(rng, 1, 6, () => rng.pick(OTHER_N)).join('');
    case 13: return `${rng.digits(rng.int(1, 5))}${rng.pick(OTHER_N)}${rng.digits(rng.int(0, 4))}`; // 10²³
    case 14: return `v${rng.int(0, 20)}.${rng.int(0, 99)}.${rng.int(0, 999)}${rng.pick(['', '-rc.1', '+build.5'])}`;
    case 15: return `${rng.digits(3)}-${rng.digits(2)}-${rng.digits(4)}`;
    case 16: return `${rng.digits(rng.int(1, 3))}${rng.pick(['st', 'nd', 'rd', 'th', 'a', 'px', 'GB', 'K', 'ABC'])}${rng.pick(['', rng.digits(2)])}`;
    default: return `${rng.digits(1)}${foreignDigits(rng, 2)}${rng.digits(2)}${rng.pick(OTHER_N)}`; // mixed scripts in one \p{N} run
  }
}

function numbers(rng, ordinal) {
  const fixed = [
    '0', '123', '1234', '12345678901234567890', '3.14159265358979', '1,234,567.89', '+1 (555) 123-4567',
    '٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ०१२३४५६७८९ ０１２３４５６７８９', '² ³ ½ ¼ Ⅻ ⅻ ① ⑳ 〇 𝟏𝟐𝟑𝟒 𝟘𝟙𝟚',
  ];
  if (ordinal < fixed.length) return fixed[ordinal];
  const tokens = many(rng, 1, 25, () => numberToken(rng));
  if (rng.chance(0.3)) return `${cap(word(rng))} ${tokens.join(` ${word(rng)} `)}.`;
  return tokens.join(rng.pick([' ', ', ', '\n', ' | ', '\t', '', ' and ']));
}

// ---------------------------------------------------------------------------------------
// whitespace

const wsRun = (rng) => {
  if (rng.chance(0.4)) return rep(rng.pick(WHITESPACE), rng.int(1, rng.chance(0.2) ? 40 : 4));
  return many(rng, 1, 8, () => rng.pick(WHITESPACE)).join('');
};

function whitespace(rng, ordinal) {
  // One showcase per whitespace character: at the start, between words, before a capital,
  // a digit and punctuation, doubled, before a newline, and at the end.
  if (ordinal < WHITESPACE.length) {
    const c = WHITESPACE[ordinal];
    return `${c}start${c}mid dle${c}Word ${c}${c}x${c}1${c}!${c}  ${c}\n${c}a${c}${c}${c}${c}.${c}end${c}`;
  }
  if (ordinal === WHITESPACE.length) return WHITESPACE.join('');
  if (ordinal === WHITESPACE.length + 1) return `a${WHITESPACE.join('a')}a`;
  const atoms = [() => word(rng), () => cap(word(rng)), () => rng.pick(['!', '.', '?!', '//', '(', '"', '-', '\'s']), () => rng.digits(rng.int(1, 5)), () => rng.pick(['日本', 'Привет', 'ñ', 'é', 'ŉ'])];
  const parts = [];
  if (rng.chance(0.6)) parts.push(wsRun(rng));
  for (let i = rng.int(1, 12); i > 0; i--) parts.push(rng.pick(atoms)(), wsRun(rng));
  if (rng.chance(0.4)) parts.pop();
  return parts.join('');
}

// ---------------------------------------------------------------------------------------
// contractions

const CONTRACTED = [
  "DON'T", "we'Ll", "it's", "'S", "I'M", "you'RE", "They'Ve", "she'D", "He'LL", "we're", "can't", "WON'T", "isn'T", "y'all'd've",
  "rock'n'roll", "o'clock", "'twas", "'tis", "ma'am", "O'Neil", "'re", "'ve", "'m", "'ll", "'d", "'t", "'s", "''s", "'s'",
  "1990's", "90's", "CEO's", "'RE'", "I'd've", "it's'", "don't've", "Jones'", "'quoted'", "x'''y", "'ll'll",
  "it'ſ", "'ſ", "we'ſt", "IT'Ş", "it'K", // U+017F long s folds to s, U+212A Kelvin sign to k: (?i:'s) matches 'ſ in Rust's regex
];
const APOSTROPHES = ["'", '’', '‘', 'ʼ', '`', '′', 'ˈ', '＇'];

function contractions(rng, ordinal) {
  if (ordinal < 4) return ["DON'T we'Ll it's 'S", "I'm you're they've she'd he'll it's we'd ain't", "I'M YOU'RE THEY'VE SHE'D HE'LL IT'S", "it’s don’t I’m we’ll ‘quoted’ rock’n’roll"][ordinal];
  const parts = many(rng, 3, 16, () => {
    let w = rng.chance(0.6) ? rng.pick(CONTRACTED) : `${rng.chance(0.3) ? cap(word(rng)) : word(rng)}'${rng.pick(['s', 'S', 't', 'T', 're', 'Re', 'rE', 'RE', 've', 'vE', 'm', 'M', 'll', 'lL', 'Ll', 'LL', 'd', 'D', 'x', 'ss', 'st'])}`;
    if (rng.chance(0.25)) w = w.replace(/'/g, () => rng.pick(APOSTROPHES));
    if (rng.chance(0.1)) w = w.toUpperCase();
    if (rng.chance(0.1)) w = rng.pick(['Привет', 'Ωmega', 'naïve', '東京', '123', 'ok!', 'x\u0301']) + w.replace(/^\w+/, '');
    return w;
  });
  return parts.join(rng.pick([' ', ' ', '\n', ', ', '  ', '', '\t', '\r\n']));
}

// ---------------------------------------------------------------------------------------
// scripts

const SCRIPTS = {
  chinese: ['汉字', '中文分词测试', '漢字', '你好，世界！', '我们的模型', '人工智能', '北京市朝阳区', '龍', '𠀋𡈽𡌛', '〇一二三'],
  japanese: ['ひらがな', 'カタカナ', 'ｶﾀｶﾅ', 'ｶﾞｷﾞ', 'こんにちは世界', '東京都', 'ラーメン', 'ゔ', 'カ\u3099', 'ヴァイオリン', '〜ですね。'],
  korean: ['한국어', '안녕하세요', '대한민국', '서울특별시', '\u1100\u1161\u11a8', '한글'.normalize('NFD'), 'ㄱㄴㄷ', '힣'],
  arabic: ['العربية', 'العَرَبِيَّة', 'مرحبا بالعالم', 'السَّلَامُ عَلَيْكُمْ', '٣ كتب', 'ﷺ', 'ـــ', 'لا'],
  hebrew: ['עברית', 'שָׁלוֹם', 'בְּרֵאשִׁית', 'ירושלים', 'צה״ל', 'תשפ״ד'],
  devanagari: ['हिन्दी', 'नमस्ते', 'क्षत्रिय', 'संस्कृतम्', 'ज़िंदगी', 'श्री', 'अँग्रेज़ी'],
  thai: ['ภาษาไทย', 'น้ำ', 'ที่', 'สวัสดีครับ', 'กรุงเทพมหานคร', 'ฯลฯ', 'เกี๊ยว'],
  vietnamese: ['Tiếng Việt', 'Việt Nam', 'người', 'Hà Nội', 'phở bò', 'Nguyễn', 'ĐẠI HỌC'],
  cyrillic: ['Привет', 'мир', 'МОСКВАмосква', 'ПриветМир', 'приветМИР', 'ЁЖИК', 'Ёлка', 'Україна', 'їжак', 'Ђорђе', 'Ӏ'],
  greek: ['Ελλάδα', 'ΑθήναΕλλάδα', 'ΑΘΗΝΑαθηνα', 'λόγος', 'ΣΊΣΥΦΟΣ', 'ᾼᾷ', 'ΜΈΓΑΣ', 'ς'],
  latin: ['naïve', 'café', 'straße', 'STRASSE', 'İstanbul', 'ıi', 'ǅemal', 'ǈuba', 'ʰello', 'XMLHttpRequest', 'HTTPServer', 'iOS', 'eBay', 'Ångström', 'ŉ', 'ﬁnance', 'ﬀ'],
  other: ['ᎠᎡᎢ', 'ქართული', 'Հայերեն', 'ꦗꦮ', 'ᠮᠣᠩᠭᠣᠯ', 'ߒߞߏ', '𐌰𐌱𐌲', '𓀀𓁐', 'ⴰⵣⵓⵍ', 'සිංහල', 'ខ្មែរ', 'မြန်မာ', 'ລາວ', 'བོད་'],
};
const SCRIPT_NAMES = Object.keys(SCRIPTS);
const SCRIPT_PUNCT = ['。', '、', '，', '！', '？', '「', '」', '『', '』', '・', '،', '؟', '؛', '।', '॥', '״', '׳', '·', ';', '«', '»', '…', '—'];

function scriptWord(rng, script) {
  let w = rng.pick(SCRIPTS[script]);
  const form = rng.int(0, 9);
  if (form === 0) w = w.normalize('NFD'); // decomposed: base letters plus combining marks
  else if (form === 1) w = w.normalize('NFKC');
  else if (form === 2 && script !== 'chinese') w = w.toUpperCase();
  else if (form === 3) w = w.toLowerCase();
  else if (form === 4) w += rng.pick(SCRIPTS[script]); // joined, e.g. camelCase across Cyrillic words
  return w;
}

function scripts(rng, ordinal) {
  if (ordinal < SCRIPT_NAMES.length) {
    const s = SCRIPT_NAMES[ordinal];
    return `${SCRIPTS[s].join(' ')}\n${SCRIPTS[s].map((w) => w.normalize('NFD')).join(' ')}`;
  }
  const chosen = many(rng, 1, 4, () => rng.pick(SCRIPT_NAMES));
  return many(rng, 2, 30, () => {
    const w = scriptWord(rng, rng.pick(chosen));
    return rng.chance(0.2) ? w + rng.pick(SCRIPT_PUNCT) : rng.chance(0.1) ? `${w}${rng.digits(rng.int(1, 4))}` : w;
  }).join(rng.pick([' ', '', '\n', ' ', '\u3000', ', ']));
}

// ---------------------------------------------------------------------------------------
// emoji

const EMOJI = [
  '😀', '😂', '🥲', '❤️', '❤', '♥', '✨', '🚀', '🔥', '👍', '👍🏻', '👍🏽', '👍🏿', '👋🏼', '🧑‍💻', '👩🏾‍🚀', '👨‍👩‍👧‍👦', '👩‍❤️‍💋‍👨',
  '🏳️‍🌈', '🏴‍☠️', '🇺🇸', '🇯🇵', '🇩🇪', '🇺🇳', '🇦', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏴󠁧󠁢󠁷󠁬󠁳󠁿', '1️⃣', '#️⃣', '*️⃣', '🔟', '©️', '™', '☺︎', '☺️', '🫠', '🫶🏽', '🪿', '🐦‍🔥',
  '🙂‍↔️', '🧔🏻‍♀️', '👁️‍🗨️', '🤝🏻', '🫱🏼‍🫲🏿', '⌚', '⏰', '🀄', '🃏', '🅰️', '🆗', '㊗️', '\u200d', '\ufe0f', '🏻',
];

function emoji(rng, ordinal) {
  if (ordinal === 0) return EMOJI.join('');
  if (ordinal === 1) return EMOJI.join(' ');
  return many(rng, 1, 20, () => {
    const e = rng.pick(EMOJI);
    switch (rng.int(0, 5)) {
      case 0: return rep(e, rng.int(2, 6));
      case 1: return `${word(rng)}${e}`;
      case 2: return `${e}${word(rng)}`;
      case 3: return `${e}${rng.pick(['!', '.', '?', '’s', ':)', '123'])}`;
      default: return e;
    }
  }).join(rng.pick([' ', '', '\n', ' ', '  ']));
}

// ---------------------------------------------------------------------------------------
// random code points from every plane: assigned and unassigned, private use, noncharacters

// Blocks assigned in Unicode 15, 16 and 17: where two regex engines' Unicode tables most often
// disagree (a letter or digit for one, unassigned for the other). Node 20.20's RegExp (ICU,
// Unicode 17) and tiktoken's Rust regex (Unicode 16) disagree on the 17.0 ones.
export const RECENT_BLOCKS = Object.freeze([
  [15, 0x11f00, 0x11f5f, 'Kawi'], [15, 0x1e4d0, 0x1e4ff, 'Nag Mundari'], [15, 0x31350, 0x323af, 'CJK Ext. H'],
  [16, 0x10d40, 0x10d8f, 'Garay'], [16, 0x105c0, 0x105ff, 'Todhri'], [16, 0x11380, 0x113ff, 'Tulu-Tigalari'], [16, 0x11bc0, 0x11bff, 'Sunuwar'],
  [16, 0x16100, 0x1613f, 'Gurung Khema'], [16, 0x16d40, 0x16d7f, 'Kirat Rai'], [16, 0x1e5d0, 0x1e5ff, 'Ol Onal'], [16, 0x1cc00, 0x1ccff, 'Legacy Computing Supplement'],
  [17, 0x10940, 0x1095f, 'Sidetic'], [17, 0x11db0, 0x11def, 'Tolong Siki'], [17, 0x16ea0, 0x16edf, 'Beria Erfe'], [17, 0x1e6c0, 0x1e6ff, 'Tai Yo'],
  [17, 0x18d80, 0x18dff, 'Tangut Components Supplement'], [17, 0x323b0, 0x3347f, 'CJK Ext. J'], [17, 0x1acf, 0x1aeb, 'Combining Diacritical Marks Extended'], [17, 0xa7ce, 0xa7d4, 'Latin Extended-D'],
].map(([version, from, to, name]) => Object.freeze({ version, from, to, name })));
const RECENT = RECENT_BLOCKS.map((b) => [b.from, b.to]);

/** The highest Unicode version (15, 16, 17) among RECENT_BLOCKS that `text` has a code point of, or 0. */
export function newestRecentBlock(text) {
  let newest = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0);
    for (const b of RECENT_BLOCKS) if (c >= b.from && c <= b.to && b.version > newest) newest = b.version;
  }
  return newest;
}

function randomCodePoint(rng) {
  const r = rng.float();
  let c;
  if (r < 0.05) {
    const [lo, hi] = rng.pick(RECENT);
    c = rng.int(lo, hi);
  } else if (r < 0.35) {
    do c = rng.int(0x80, 0xffff); while (c >= 0xd800 && c <= 0xdfff);
  } else if (r < 0.4) c = rng.int(0, 0x7f);
  else if (r < 0.55) c = rng.int(0x10000, 0x1ffff); // SMP: historic scripts, emoji, math
  else if (r < 0.65) c = rng.int(0x20000, 0x3ffff); // CJK extensions, partly unassigned
  else if (r < 0.75) c = rng.int(0x40000, 0xdffff); // unassigned planes 4-13
  else if (r < 0.82) c = rng.int(0xe0000, 0xeffff); // tags, variation selectors
  else if (r < 0.92) c = rng.int(0xf0000, 0x10ffff); // private use planes
  else c = rng.pick([0xfffe, 0xffff, 0x1fffe, 0x10ffff, 0xfdd0, 0xe000, 0xf8ff, 0x0, 0x7f, 0x9f, 0xad, 0x34f, 0x2fffe]);
  return String.fromCodePoint(c);
}

function random(rng, ordinal) {
  if (ordinal === 0) return String.fromCodePoint(0, 0x10ffff, 0xfffd, 0xfffe, 0xffff, 0xe000, 0xf8ff, 0xf0000, 0x10fffd, 0xd7ff, 0xe0001, 0xe0100);
  // Recently assigned letters and digits in contexts where their class changes the tokens: a
  // letter takes the contraction ('s as one token), a digit joins the \p{N}{1,3} run.
  if (ordinal <= RECENT.length) {
    const [lo, hi] = RECENT[ordinal - 1];
    const mid = lo + ((hi - lo) >> 1);
    return [lo, lo + 1, mid, mid + 1, hi - 2, hi].map((c) => { const ch = String.fromCodePoint(c); return `${ch}'s x${ch}'S 1${ch}11 ${ch}${ch}${ch}${ch}`; }).join(' ');
  }
  const ascii = rng.float() * 0.6;
  return many(rng, 1, 150, () => (rng.chance(ascii) ? rng.pick([' ', 'a', 'Z', '1', '.', '\n', "'s", ' x']) : randomCodePoint(rng))).join('');
}

// ---------------------------------------------------------------------------------------
// punctuation runs, newlines and slashes

const PUNCT = ['/', '//', '///', '\\', '.', '...', '!', '?', ',', ';', ':', '-', '--', '_', '*', '#', '@', '$', '%', '^', '&', '|', '~', '`', '"', "'", '(', ')', '[', ']', '{', '}', '<', '>', '=', '+', '—', '–', '…', '¿', '¡', '«', '»', '“', '”', '„', '©', '°', '±', '→', '⇒', '∑', '√', '€', '§', '¶', '•', '※', '♪', '\u0301', '\u20dd'];
const NEWLINES = ['\n', '\r\n', '\r', '\n\n', '\r\n\r\n', '\n\r'];

function punctuation(rng, ordinal) {
  const fixed = ['///\n', 'a/b//c', '//\n//\r\n///\r\n\n', ' ///\n\n', '...\n', '!!!\r\n\r\n', 'a/b\n/c/\r\n', '-->\r\n<!--', '*/\n/**', '?!\n?!', ' /\n /\r /', ':\n\n\n', '\n.\n.\n', 'http://a//b///c'];
  if (ordinal < fixed.length) return fixed[ordinal];
  return many(rng, 1, 30, () => {
    switch (rng.int(0, 5)) {
      case 0: return rep(rng.pick(PUNCT), rng.int(1, 6));
      case 1: return many(rng, 1, 5, () => rng.pick(PUNCT)).join('');
      case 2: return rng.pick(NEWLINES);
      case 3: return rep('/', rng.int(1, 5)) + rng.pick(['', ...NEWLINES]);
      case 4: return rng.chance(0.5) ? ` ${rng.pick(PUNCT)}` : rng.pick(WHITESPACE);
      default: return rng.chance(0.5) ? word(rng) : rng.digits(rng.int(1, 3));
    }
  }).join('');
}

// ---------------------------------------------------------------------------------------
// JSON, URLs, paths, e-mail addresses

function jsonValue(rng, depth) {
  const r = rng.int(0, depth > 2 ? 4 : 6);
  switch (r) {
    case 0: return rng.int(-1e6, 1e6) / (rng.chance(0.5) ? 1 : 100);
    case 1: return rng.pick([true, false, null]);
    case 2: return rng.pick([`${word(rng)} ${word(rng)}`, 'line\nbreak\ttab "quoted" back\\slash', 'ünïcödé 日本 😀', '</script>', '', '\u2028\u2029', String.fromCodePoint(0x1f600, 0x85, 0xa0)]);
    case 3: return identifier(rng);
    case 4: return rng.digits(rng.int(1, 20));
    case 5: return many(rng, 0, 5, () => jsonValue(rng, depth + 1));
    default: return Object.fromEntries(many(rng, 0, 6, () => [identifier(rng), jsonValue(rng, depth + 1)]));
  }
}

function url(rng) {
  const host = rng.pick(['example.com', 'api.example.co.uk', 'localhost:8080', '127.0.0.1', '[::1]:443', 'xn--bcher-kva.de', 'bücher.de', 'user:pa%40ss@host.io', 'sub.domain-name.org']);
  const path = many(rng, 0, 5, () => rng.pick([word(rng), identifier(rng), 'v1', '%E2%9C%93', 'file.tar.gz', '~user', '', 'a b'])).join('/');
  const query = rng.chance(0.5) ? `?${many(rng, 1, 4, () => `${word(rng)}=${rng.pick([word(rng), rng.digits(4), '%20', 'a+b', ''])}`).join('&')}` : '';
  const frag = rng.chance(0.3) ? `#${rng.pick([word(rng), 'L10-L20', ':~:text=hello'])}` : '';
  return `${rng.pick(['https://', 'http://', 'ftp://', 'ws://', '//', 'file:///'])}${host}/${path}${query}${frag}`;
}

function jsonUrl(rng, ordinal) {
  if (ordinal === 0) return '{"a":1,"b":[true,false,null],"c":"\\u00e9\\ud83d\\ude00","d":{}}';
  if (ordinal === 1) return 'https://example.com/path/to/page?query=1&x=%E2%9C%93#frag';
  switch (rng.int(0, 5)) {
    case 0: return JSON.stringify(jsonValue(rng, 0));
    case 1: return JSON.stringify(Object.fromEntries(many(rng, 1, 8, () => [identifier(rng), jsonValue(rng, 1)])), null, rng.pick([2, 4, '\t']));
    case 2: return many(rng, 1, 8, () => url(rng)).join(rng.pick([' ', '\n', ', ', ' | ']));
    case 3: return `${sentence(rng, 3, 8)} See ${url(rng)} or mail ${word(rng)}.${word(rng)}+${rng.digits(2)}@${rng.pick(['example.com', 'mail.co.jp', 'münchen.de'])}.`;
    case 4: return rng.pick([`C:\\Users\\${cap(word(rng))}\\AppData\\Local\\${identifier(rng)}.exe`, `/usr/local/lib/node_modules/${identifier(rng)}/index.js`, `~/.config/${word(rng)}/${word(rng)}.toml`, `\\\\server\\share\\${word(rng)}`, `../../${word(rng)}/./${word(rng)}//x`]);
    default: return `data:application/json;base64,${btoa(JSON.stringify(jsonValue(rng, 1)).replace(/[^\x00-\x7f]/g, '?'))}`;
  }
}

// ---------------------------------------------------------------------------------------
// special-token-looking strings

const SPECIALS = ['<|endoftext|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|endofprompt|>'];
const NEAR_SPECIALS = ['<|endoftext|', '|endoftext|>', '<|endoftext |>', '<| endoftext|>', '<|ENDOFTEXT|>', '<|im_start|>', '<|im_end|>', '<|endoftext|>'.split('').join(' '), '<<|endoftext|>>', '<|<|endoftext|>|>', '<|end|>', '<|eot_id|>', '<|endoftext|>'.normalize('NFKC').replace('|', '｜'), '<s>', '</s>', '[CLS]'];

function special(rng, ordinal) {
  if (ordinal < SPECIALS.length) return `Hello ${SPECIALS[ordinal]} world`;
  if (ordinal === SPECIALS.length) return SPECIALS.join('');
  if (ordinal === SPECIALS.length + 1) return `${SPECIALS[0]}${SPECIALS[0]}\n${SPECIALS[0]} ${SPECIALS[0]}`;
  return many(rng, 1, 10, () => {
    switch (rng.int(0, 5)) {
      case 0: case 1: return rng.pick(SPECIALS);
      case 2: return rng.pick(NEAR_SPECIALS);
      case 3: return sentence(rng, 2, 8);
      case 4: return rng.pick(WHITESPACE);
      default: return `${word(rng)}${rng.pick(SPECIALS)}${word(rng)}`;
    }
  }).join(rng.pick(['', ' ', '\n']));
}

// ---------------------------------------------------------------------------------------
// very long runs

function long(rng, ordinal) {
  const fixed = [
    () => rep('a', 3000), () => rep(' ', 3000), () => rep('1', 3000), () => rep('!', 2000), () => rep('\n', 3000),
    () => rep('\t', 2000), () => rep('\r\n', 1000), () => rep('\u00a0', 1000), () => rep('\u0085', 1000), () => rep('\ufeff', 1000),
    () => rep('\u3000', 1000), () => rep('中', 1500), () => rep('😀', 500), () => rep('ab', 1500), () => rep('A', 3000),
    () => rep('a ', 1500), () => rep('/', 2000), () => rep('٣', 1500), () => rep('é'.normalize('NFD'), 1000), () => `x${rep(' ', 2999)}y`,
    () => rep(rng.digits(7), 300), () => rep('.', 3000), () => rep("'s", 1000), () => rep('\u200b', 1000),
  ];
  if (ordinal < fixed.length) return fixed[ordinal]();
  const unit = rng.pick([
    rng.pick(['a', 'z', 'Q', ' ', '0', '-', '=', '#', '\t', '\n', '\r']), rng.pick(WHITESPACE), randomCodePoint(rng),
    rng.pick(SCRIPTS[rng.pick(SCRIPT_NAMES)]), rng.pick(EMOJI), word(rng), `${word(rng)} `, rng.pick(PUNCT),
  ]);
  const n = Math.max(1, Math.floor(rng.int(500, 3000) / unit.length));
  return rng.chance(0.3) ? `${word(rng)} ${rep(unit, n)} ${word(rng)}` : rep(unit, n);
}

// ---------------------------------------------------------------------------------------
// the empty string and tiny texts

const TINY = ['', ' ', '\n', 'a', 'A', '\r\n', '\r', '\t', '  ', ' a', 'a ', "'", "'s", "'S", '1', '12', '123', '1234', '\u0085', '\ufeff', '\u00a0', '\u3000', '\u0301', 'é', 'e\u0301', '😀', '🇺🇸', '中', '!', ' !', '\n\n', ' \n', '\n ', '//', 'ſ', '\u200d', '\u{10ffff}', '\0'];

function tiny(rng, ordinal) {
  if (ordinal < TINY.length) return TINY[ordinal];
  return many(rng, 1, 3, () => (rng.chance(0.5) ? rng.pick(TINY) : randomCodePoint(rng))).join('').slice(0, 6).replace(/[\uD800-\uDFFF]/gu, ''); // a cut pair
}

const GENERATORS = {
  prose, code, numbers, whitespace, contractions, scripts, emoji, random, punctuation, 'json-url': jsonUrl, special, long, tiny,
};
