// Writes tests/vectors/tokens.json: hand-picked texts that probe each splitting rule, with the
// token ids that the `tiktoken` package (OpenAI's Rust tiktoken compiled to wasm) gives them.
// The Rust tests and the JS suite both read the file. Run: node tests/tokens/make-vectors.mjs
import { writeFileSync } from 'node:fs';
import { get_encoding } from 'tiktoken';

const TEXTS = [
  '', 'Hello, world!', 'hello world', "I'm here, you're there, they'll go, it's, we've, I'd",
  "DON'T WE'LL IT'S 'S 'sup", "it\u2019s", "\u017Fo 'ſ 'ſup", 'camelCaseWordsAndHTTPServer', 'ALLCAPS then lower', 'HELLOworld',
  '   leading spaces', 'trailing spaces   ', 'a  b   c    d', 'tabs\tand\t\tmore', 'line\nbreak', 'crlf\r\nline\r\n',
  'a\n  ', 'a\n \n  ', 'x \n\n \t', 'end\n\n\n', '\n\n\nstart', '  \n  x', 'a\r\n\r\n  b', ' \u00a0\u3000x', 'nel\u0085x',
  'bom\ufeffx', 'zw\u200bsp', 'vt\u000bff\u000c', 'ls\u2028ps\u2029', '12345678901234567890', '3.14159 1,000,000 +1 (555) 010-9999',
  '²½Ⅻ٣٤٥ ١٢٣٤', '!!!???...', 'a/b//c ///\n//', '  !!', ' !x', '\'\'\'', 'don\'t\n\'s', '// comment\nfn main() {\n    println!("hi");\n}\n',
  '{"key": [1, 2.5, "x"], "nested": {"a": null}}', 'https://example.com/path?q=1&r=2#frag', '日本語のテキストです。中文文本。',
  '한국어 텍스트', 'مرحبا بالعالم', 'שלום עולם', 'नमस्ते दुनिया', 'สวัสดีชาวโลก', 'Tiếng Việt có dấu', 'Tie\u0302\u0301ng Vie\u0323\u0302t',
  'Привет МИР мир', 'Ελληνικά ΚΕΙΜΕΝΟ', '👋🏽 👨‍👩‍👧‍👦 🇫🇷 1️⃣ ❤️', 'x\u0301\u0302 \u0301y', '\u0300abc', 'ABC\u0300def', 'ǅungla ǅ',
  'a'.repeat(300), ' '.repeat(300) + 'x', '9'.repeat(100), '!'.repeat(200), 'ab'.repeat(150), '\n'.repeat(50) + 'x',
  'special <|endoftext|> inside', '<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>', '<|endofprompt|>', '<|endoftext',
];

const ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];
const cases = TEXTS.map((text) => ({ text, ids: {} }));
for (const name of ENCODINGS) {
  const encoding = get_encoding(name);
  for (const c of cases) c.ids[name] = Array.from(encoding.encode(c.text, 'all'));
  encoding.free();
}
const out = {
  description: 'Token ids from the tiktoken npm package (1.0.22) with allowed_special "all".',
  generator: 'tests/tokens/make-vectors.mjs',
  cases,
};
writeFileSync(new URL('../vectors/tokens.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${cases.length} cases × ${ENCODINGS.length} encodings`);
