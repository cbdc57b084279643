// T1, T2, T3: counting tokens (o200k_base, cl100k_base) beside js-tiktoken (pure JS, lite
// build with its rank objects) and tiktoken (OpenAI's Rust tokenizer compiled to wasm).
//
// T1: W3's ~35 KB RAG prompt, counts per second (and tokens/s, MB/s), o200k and cl100k; then a
//     cold-start table: loading and constructing each tokenizer, in fresh processes.
// T2: a 1 MB document (exactly 1,000,000 UTF-8 bytes: prose, Markdown, code, JSON, URLs and
//     eight other languages), MB/s; each run on a fresh copy of the string.
// T3: one character repeated ('a' × n, o200k) at 1 KB, 10 KB, 100 KB and 1 MB: how the time
//     grows. BPE over one piece is quadratic in tiktoken and js-tiktoken, so a contender goes
//     to the next size only while it stays fast (see nextAllowed).
//
// Every contender's count is checked against tiktoken's for the same text, so a wrong
// tokenizer cannot win. Bridle (Tokenizer.fromRanks with js-tiktoken's rank objects) is
// skipped, with a note, where the loaded backend has no Tokenizer yet. The peers, the rank
// modules and Bridle are imported lazily: run.mjs imports this file for every workload.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { W3 } from '../../../shared/bench/workloads/index.mjs';
import { Rng, prose, sentence } from '../../../shared/bench/workloads/text.mjs';
import { generateCorpus } from '../tokens/corpus.mjs';
import { measureWorkload, formatRate, median, summariseRow, timeOnFreshStrings } from './harness.mjs';

export const ENCODINGS = ['o200k_base', 'cl100k_base'];
const REFERENCE = 'tiktoken (wasm)';
const utf8Length = (text) => new TextEncoder().encode(text).length;

// ---------------------------------------------------------------------------------------
// contenders: each `setup(encoding)` resolves to a function text -> token count

const jsRanks = async (encoding) => (await import(`js-tiktoken/ranks/${encoding}`)).default;

/** Bridle's API on one backend, as backends.mjs loads it (wasm with all four modules). */
async function bridleApi(backend) {
  return (await import('./backends.mjs')).loadBridle(backend);
}

async function bridleTokenizer(backend, encoding) {
  const api = await bridleApi(backend);
  if (typeof api.Tokenizer?.fromRanks !== 'function') throw new Error(`no Tokenizer on the ${backend} backend yet`);
  return api.Tokenizer.fromRanks(await jsRanks(encoding));
}

export const CONTENDERS = [
  {
    name: 'js-tiktoken',
    async setup(encoding) {
      const { Tiktoken } = await import('js-tiktoken/lite');
      const enc = new Tiktoken(await jsRanks(encoding));
      return (text) => enc.encode(text).length;
    },
  },
  {
    name: REFERENCE,
    async setup(encoding) {
      const { get_encoding } = await import('tiktoken');
      const enc = get_encoding(encoding);
      return (text) => enc.encode(text).length;
    },
  },
  ...['native', 'wasm'].flatMap((backend) => [
    {
      name: `bridle ${backend} count`,
      bridle: true,
      async setup(encoding) {
        const enc = await bridleTokenizer(backend, encoding);
        return (text) => enc.count(text);
      },
    },
    {
      name: `bridle ${backend} encode`,
      bridle: true,
      async setup(encoding) {
        const enc = await bridleTokenizer(backend, encoding);
        return (text) => enc.encode(text).length;
      },
    },
  ]),
];

/** tiktoken's count of `text`: what every contender must return. */
export async function referenceCount(encoding, text) {
  const { get_encoding } = await import('tiktoken');
  const enc = get_encoding(encoding);
  try {
    return enc.encode(text).length;
  } finally {
    enc.free();
  }
}

const firstLine = (error) => String(error?.message ?? error).split('\n')[0];

// ---------------------------------------------------------------------------------------
// T1: W3's RAG prompt

/** T1 as a harness workload for one encoding: counts per second of W3's output. */
export function t1({ encoding = 'o200k_base' } = {}) {
  const text = W3.generate().expected;
  let expected;
  return {
    id: `T1 ${encoding}`,
    title: `token count of W3's RAG prompt (${text.length} chars), ${encoding}`,
    unit: 'counts/s',
    reference: REFERENCE,
    text,
    async check(name, run) {
      expected ??= await referenceCount(encoding, text);
      assert.equal((await run(0)).length, expected, `${name}: token count of W3's output`);
    },
    // The harness sums `.length` of what a call returns: a count is wrapped as { length }.
    contenders: CONTENDERS.map((c) => ({
      name: c.name,
      async setup() {
        const count = await c.setup(encoding);
        return () => ({ length: count(text) });
      },
    })),
  };
}

/** Runs T1 in this process: both encodings, then the cold-start probes (fresh processes). */
export async function measureT1() {
  const encodings = {};
  for (const encoding of ENCODINGS) {
    const workload = t1({ encoding });
    const result = await measureWorkload(workload);
    encodings[encoding] = { tokens: await referenceCount(encoding, workload.text), bytes: utf8Length(workload.text), rows: result.rows };
  }
  return { id: 'T1', encodings, cold: coldStart() };
}

export function printT1(results) {
  for (const encoding of ENCODINGS) {
    const { tokens, bytes } = results[0].encodings[encoding];
    const rows = [...new Set(results.flatMap((r) => r.encodings[encoding].rows.map((row) => row.name)))].map((name) =>
      summariseRow(name, results.map((r) => r.encodings[encoding].rows.find((row) => row.name === name)).filter(Boolean)));
    const rounds = results.reduce((n, r) => n + r.encodings[encoding].rows[0].rates.length, 0);
    console.log(`\nT1 ${encoding}: token count of W3's RAG prompt (${(bytes / 1000).toFixed(1)} KB, ${tokens} tokens)`);
    console.log(`${results.length} processes, ${rounds} interleaved rounds in all; ratio = median of per-round ratios`);
    console.log(`| contender | counts/s (median) | tokens/s | MB/s | vs ${REFERENCE} | per-process range |`);
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const row of rows.sort((a, b) => b.ratio - a.ratio)) {
      console.log(`| ${row.name} | ${formatRate(row.rate)} | ${formatRate(row.rate * tokens)} | ${((row.rate * bytes) / 1e6).toFixed(1)} | ${row.ratio.toFixed(2)}x | ${row.low.toFixed(2)}–${row.high.toFixed(2)} |`);
    }
    skippedNote(results.map((r) => r.encodings[encoding].rows));
  }
  printCold(results.map((r) => r.cold));
}

function skippedNote(rowLists) {
  const present = new Set(rowLists.flat().map((row) => row.name));
  const missing = CONTENDERS.filter((c) => !present.has(c.name)).map((c) => c.name);
  if (missing.length) console.log(`not run (skipped at setup, reason above): ${missing.join(', ')}`);
}

// ---------------------------------------------------------------------------------------
// cold start: each (contender, encoding) in a fresh process

const SELF = fileURLToPath(import.meta.url);
// The cost before the first count: `load` imports the code and the ranks (js-tiktoken's rank
// module; tiktoken's wasm, which embeds its ranks; Bridle's backend plus js-tiktoken's ranks),
// `construct` builds the tokenizer, `first` is the first count of a short text.
const COLD = {
  'js-tiktoken': async (encoding) => {
    const { Tiktoken } = await import('js-tiktoken/lite');
    const ranks = await jsRanks(encoding);
    return [() => new Tiktoken(ranks), (enc, text) => enc.encode(text).length];
  },
  [REFERENCE]: async () => {
    const { get_encoding } = await import('tiktoken');
    return [(encoding) => get_encoding(encoding), (enc, text) => enc.encode(text).length];
  },
  ...Object.fromEntries(['native', 'wasm'].map((backend) => [`bridle ${backend}`, async (encoding) => {
    const api = await bridleApi(backend);
    const ranks = await jsRanks(encoding);
    if (typeof api.Tokenizer?.fromRanks !== 'function') throw new Error(`no Tokenizer on the ${backend} backend yet`);
    return [() => api.Tokenizer.fromRanks(ranks), (enc, text) => enc.count(text)];
  }])),
};

async function coldChild(name, encoding) {
  const t0 = performance.now();
  const [construct, count] = await COLD[name](encoding);
  const t1 = performance.now();
  const enc = construct(encoding);
  const t2 = performance.now();
  const n = count(enc, 'Hello, world! How many tokens is this?');
  const t3 = performance.now();
  if (!(n > 0)) throw new Error('no tokens');
  return { load: t1 - t0, construct: t2 - t1, first: t3 - t2 };
}

function coldStart() {
  const out = {};
  for (const name of Object.keys(COLD)) {
    for (const encoding of ENCODINGS) {
      try {
        const stdout = execFileSync(process.execPath, [SELF, '--tokens-cold', name, encoding], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        out[`${name}|${encoding}`] = JSON.parse(stdout.trim().split('\n').pop());
      } catch (error) {
        const line = error.stderr?.trim().split('\n').find((l) => l.startsWith('unavailable: '));
        out[`${name}|${encoding}`] = { unavailable: line ? line.slice('unavailable: '.length) : firstLine(error) };
      }
    }
  }
  return out;
}

function printCold(colds) {
  console.log(`\nT1 cold start: each tokenizer loaded and built in a fresh process (ms, median of ${colds.length} processes)`);
  console.log('load = import the code and the ranks; construct = build the tokenizer from them; first = first count of a short text');
  console.log(`| contender | ${ENCODINGS.map((e) => `${e} load | construct | first | total`).join(' | ')} |`);
  console.log(`|---|${ENCODINGS.map(() => '---:|---:|---:|---:').join('|')}|`);
  for (const name of Object.keys(COLD)) {
    const cells = ENCODINGS.map((encoding) => {
      const xs = colds.map((c) => c[`${name}|${encoding}`]).filter((x) => x && x.unavailable === undefined);
      if (!xs.length) return `unavailable: ${colds[0][`${name}|${encoding}`]?.unavailable ?? '?'} | | |`;
      const [load, construct, first] = ['load', 'construct', 'first'].map((k) => median(xs.map((x) => x[k])));
      return [load, construct, first, load + construct + first].map((v) => v.toFixed(v < 10 ? 1 : 0)).join(' | ');
    });
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

// ---------------------------------------------------------------------------------------
// T2: a 1 MB document

export const DOC_BYTES = 1_000_000;

// Three sentences in each of eight other languages (the document repeats them, as real
// documents repeat their vocabulary).
const FOREIGN = [
  ['Die Verarbeitung natürlicher Sprache ist ein Teilgebiet der Informatik.', 'Große Sprachmodelle werden auf umfangreichen Textsammlungen trainiert, übrigens auch auf Gesetzestexten.', 'Im Frühjahr 2024 veröffentlichte das Team eine überarbeitete Fassung mit längeren Kontextfenstern.'],
  ['Le traitement automatique des langues est à la croisée de l’informatique et de la linguistique.', 'L’été dernier, nous avons évalué ces modèles sur des données réelles : les résultats étaient étonnants.', 'Où se trouve la gare ? Il faut prendre le deuxième couloir à gauche, après la boulangerie.'],
  ['¿Dónde está la biblioteca? El señor García compró tres libros en la librería del centro.', 'La niña pequeña aprendió a leer con cuentos ilustrados y canciones.', 'Mañana habrá lluvias débiles en el norte y temperaturas de hasta 30 °C en Andalucía.'],
  ['Обработка естественного языка — это направление искусственного интеллекта.', 'Модели обучаются на больших корпусах текстов, а затем дообучаются на диалогах.', 'Вчера в Москве выпал первый снег, и дороги покрылись тонким слоем льда.'],
  ['自然语言处理是计算机科学和人工智能的一个分支。', '大型语言模型在海量文本上进行训练，然后根据人类反馈进行微调。', '今天上午十点，我们在会议室讨论了新版本的发布计划。'],
  ['自然言語処理は、人間の言語をコンピュータで扱う技術です。', '東京の天気は晴れでしょう。明日は雨が降るかもしれません。', 'このライブラリは、プロンプトのテンプレートとトークン数の計算を行います。'],
  ['معالجة اللغات الطبيعية هي فرع من فروع الذكاء الاصطناعي.', 'تتدرب النماذج على كميات كبيرة من النصوص المكتوبة بلغات مختلفة.', 'ذهبتُ إلى السوق صباحاً واشتريتُ خبزاً وزيتوناً وقهوة.'],
  ['प्राकृतिक भाषा संसाधन कृत्रिम बुद्धिमत्ता की एक शाखा है।', 'बड़े भाषा मॉडल विशाल पाठ संग्रहों पर प्रशिक्षित होते हैं।', 'कल दिल्ली में तेज़ बारिश हुई और कई सड़कों पर पानी भर गया।'],
];

// The T2 document's make-up, as shares of its bytes.
export const DOC_SHARES = { prose: 0.6, code: 0.17, data: 0.06, foreign: 0.17 };

/**
 * The T2 document: exactly DOC_BYTES UTF-8 bytes, by DOC_SHARES: Markdown prose (paragraphs,
 * headings, lists), code and JSON/URLs (the tokenizer corpus's generators), and paragraphs in
 * eight other languages. Each next part is of the kind furthest below its share.
 */
export function megabyteDocument({ seed = 1001 } = {}) {
  const rng = new Rng(seed);
  const corpus = generateCorpus({ seed, count: 13 * 60 });
  const code = corpus.filter((e) => e.kind === 'code').map((e) => `\`\`\`\n${e.text}\n\`\`\``);
  const data = corpus.filter((e) => e.kind === 'json-url').map((e) => e.text);
  const make = {
    prose: () => {
      const r = rng.float();
      if (r < 0.08) return `${'#'.repeat(rng.int(1, 3))} ${sentence(rng, 2, 6).slice(0, -1)}`;
      if (r < 0.2) return Array.from({ length: rng.int(2, 5) }, (_, i) => `${rng.chance(0.5) ? '-' : `${i + 1}.`} ${sentence(rng)}`).join('\n');
      return prose(rng, rng.int(300, 1500));
    },
    code: () => rng.pick(code),
    data: () => rng.pick(data),
    foreign: () => {
      const language = rng.pick(FOREIGN);
      return Array.from({ length: rng.int(3, 10) }, () => rng.pick(language)).join(' ');
    },
  };
  const have = Object.fromEntries(Object.keys(DOC_SHARES).map((k) => [k, 0]));
  const parts = [];
  let bytes = 0;
  while (bytes < DOC_BYTES) {
    const kind = Object.keys(DOC_SHARES).reduce((a, b) => (DOC_SHARES[b] * (bytes + 1) - have[b] > DOC_SHARES[a] * (bytes + 1) - have[a] ? b : a));
    const part = make[kind]();
    const n = utf8Length(part) + 2;
    parts.push(part);
    have[kind] += n;
    bytes += n;
  }
  let encoded = new TextEncoder().encode(parts.join('\n\n'));
  let cut = DOC_BYTES;
  while ((encoded[cut] & 0xc0) === 0x80) cut--; // do not split a character
  const head = new TextDecoder().decode(encoded.subarray(0, cut));
  const text = head + prose(rng, DOC_BYTES - cut).slice(0, DOC_BYTES - cut); // ASCII padding
  encoded = new TextEncoder().encode(text);
  if (encoded.length !== DOC_BYTES) throw new Error(`T2 document is ${encoded.length} bytes`);
  return { text, bytes: encoded };
}

/** Runs T2 in this process: `{ id, bytes, chars, rows: [{ name, encoding, tokens?, ms?, runs?, unavailable? }] }`. */
export async function measureT2({ budgetMs = 4000 } = {}) {
  const { text, bytes } = megabyteDocument();
  const rows = [];
  const ready = [];
  for (const encoding of ENCODINGS) {
    const expected = await referenceCount(encoding, text);
    for (const c of CONTENDERS) {
      const row = { name: c.name, encoding };
      rows.push(row);
      try {
        const run = await c.setup(encoding);
        assert.equal(run(text), expected, `${c.name}: token count of the T2 document, ${encoding}`);
        Object.assign(row, { tokens: expected, times: [] });
        ready.push({ run, row });
      } catch (error) {
        row.unavailable = firstLine(error);
        if (!c.bridle || !/no Tokenizer|Cannot find/.test(row.unavailable)) console.error(`  ${c.name} ${encoding}: ${row.unavailable}`);
      }
    }
  }
  for (const r of ready) timeOnFreshStrings(r.run, bytes, 0, 2); // warm up
  // Interleaved rounds so drift hits every contender alike; the slow ones get their minimum of runs.
  for (let round = 0; round < 5; round++) {
    for (const r of ready) r.row.times.push(...timeOnFreshStrings(r.run, bytes, budgetMs / 5 / ready.length, 1));
  }
  for (const { row } of ready) {
    row.ms = median(row.times);
    row.runs = row.times.length;
    delete row.times;
  }
  const nonAscii = bytes.reduce((n, b) => n + (b >= 0x80), 0);
  return { id: 'T2', bytes: bytes.length, chars: text.length, nonAscii, rows };
}

export function printT2(results) {
  const { bytes, chars, nonAscii } = results[0];
  console.log(`\nT2: token count of a 1 MB document (exactly ${bytes.toLocaleString('en-US')} UTF-8 bytes, ${chars.toLocaleString('en-US')} UTF-16 units; ${((100 * nonAscii) / bytes).toFixed(1)}% of the bytes outside ASCII)`);
  const shares = { prose: 'Markdown prose', code: 'code', data: 'JSON/URLs', foreign: 'eight other languages' };
  console.log(`by bytes: ${Object.entries(DOC_SHARES).map(([k, v]) => `${Math.round(v * 100)}% ${shares[k]}`).join(', ')}`);
  console.log(`${results.length} processes; median of runs, each on a fresh copy of the input; MB = 10^6 bytes`);
  for (const encoding of ENCODINGS) {
    const msOf = (name) => {
      const xs = results.map((r) => r.rows.find((row) => row.name === name && row.encoding === encoding)).filter((row) => row?.ms !== undefined).map((row) => row.ms);
      return xs.length ? median(xs) : undefined;
    };
    const reference = msOf(REFERENCE);
    const tokens = results[0].rows.find((row) => row.encoding === encoding && row.tokens)?.tokens;
    console.log(`\n${encoding} (${tokens} tokens)`);
    console.log(`| contender | MB/s (median) | ms per document | vs ${REFERENCE} | runs |`);
    console.log('|---|---:|---:|---:|---:|');
    const unavailable = [];
    for (const c of CONTENDERS) {
      const ms = msOf(c.name);
      if (ms === undefined) {
        unavailable.push(`${c.name} (${results[0].rows.find((row) => row.name === c.name && row.encoding === encoding)?.unavailable ?? '?'})`);
        continue;
      }
      const runs = results.reduce((n, r) => n + (r.rows.find((row) => row.name === c.name && row.encoding === encoding)?.runs ?? 0), 0);
      console.log(`| ${c.name} | ${(bytes / 1e6 / (ms / 1000)).toFixed(2)} | ${ms.toFixed(ms < 10 ? 2 : 0)} | ${(reference / ms).toFixed(2)}x | ${runs} |`);
    }
    if (unavailable.length) console.log(`not run: ${unavailable.join('; ')}`);
  }
}

// ---------------------------------------------------------------------------------------
// T3: one character repeated

export const T3_SIZES = [1_000, 10_000, 100_000, 1_000_000];
const label = (size) => (size >= 1e6 ? `${size / 1e6} MB` : `${size / 1e3} KB`);
const T3_ENCODING = 'o200k_base';

/**
 * Whether a contender that took `ms` at `size` (and `previous` = [size, ms] before) runs the
 * next size: up to 10 KB always; beyond, only if this size took under 2 s and the next is
 * predicted under 20 s, growing at the measured exponent or as n², whichever is steeper.
 */
export function nextAllowed(size, ms, previous, factor = 10) {
  if (size * factor <= 10_000) return true;
  if (ms >= 2000) return false;
  const exponent = previous ? Math.max(2, Math.log(ms / previous[1]) / Math.log(size / previous[0])) : 2;
  return ms * factor ** exponent < 20000;
}

/** Runs T3 in this process: `{ id, sizes, rows: [{ name, ms: { [size]: ms }, tokens: { [size]: n }, unavailable? }] }`. */
export async function measureT3() {
  const rows = [];
  const expected = {}; // size -> tiktoken's count, where tiktoken ran
  const order = [REFERENCE, ...CONTENDERS.map((c) => c.name).filter((n) => n !== REFERENCE)]; // the reference first
  for (const name of order) {
    const c = CONTENDERS.find((x) => x.name === name);
    const row = { name, ms: {}, tokens: {}, notes: [] };
    rows.push(row);
    let run;
    try {
      run = await c.setup(T3_ENCODING);
    } catch (error) {
      row.unavailable = firstLine(error);
      continue;
    }
    run('a'.repeat(1000)); // warm up
    let previous;
    for (const size of T3_SIZES) {
      const text = 'a'.repeat(size);
      const times = [];
      let n;
      const start = performance.now();
      do {
        const t0 = performance.now();
        n = run(text);
        times.push(performance.now() - t0);
      } while (performance.now() - start < 300 && times.length < 25);
      const ms = median(times);
      // Checked against tiktoken where it ran; above that, against tiktoken's count at its
      // largest size scaled by length ('a' × 8k is k tokens of 'aaaaaaaa' in o200k).
      if (name === REFERENCE) expected[size] = n;
      else if (expected[size] !== undefined) assert.equal(n, expected[size], `${name}: 'a' × ${size}`);
      else {
        const known = Math.max(...Object.keys(expected).map(Number));
        assert.equal(n, (expected[known] * size) / known, `${name}: 'a' × ${size}, extrapolated from tiktoken's count at ${known}`);
        row.notes.push(`${label(size)} checked by extrapolation`);
      }
      row.ms[size] = ms;
      row.tokens[size] = n;
      const next = T3_SIZES[T3_SIZES.indexOf(size) + 1];
      if (next && !nextAllowed(size, ms, previous, next / size)) break;
      previous = [size, ms];
    }
  }
  return { id: 'T3', sizes: T3_SIZES, rows };
}

export function printT3(results) {
  console.log(`\nT3: 'a' × n, ${T3_ENCODING} (ms per count, median of processes; '–' = not run: beyond 10 KB, a size runs only if the previous took < 2 s and it is predicted < 20 s)`);
  console.log(`| contender | ${T3_SIZES.map(label).join(' | ')} | ${T3_SIZES.slice(1).map((s, i) => `growth ${label(T3_SIZES[i])}→${label(s)}`).join(' | ')} |`);
  console.log(`|---|${T3_SIZES.map(() => '---:').join('|')}|${T3_SIZES.slice(1).map(() => '---:').join('|')}|`);
  for (const name of results[0].rows.map((r) => r.name)) {
    const mine = results.map((r) => r.rows.find((row) => row.name === name));
    if (mine.every((row) => row.unavailable)) {
      console.log(`| ${name} | unavailable: ${mine[0].unavailable} |`);
      continue;
    }
    const ms = T3_SIZES.map((s) => {
      const xs = mine.map((row) => row.ms[s]).filter((x) => x !== undefined);
      return xs.length ? median(xs) : undefined;
    });
    const cells = ms.map((v) => (v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(0)));
    // growth = time ratio per 10x more input, and the exponent: 1 linear, 2 quadratic
    const growth = ms.slice(1).map((v, i) => (v === undefined || ms[i] === undefined ? '–' : `${(v / ms[i]).toFixed(1)}x (n^${(Math.log(v / ms[i]) / Math.log(T3_SIZES[i + 1] / T3_SIZES[i])).toFixed(2)})`));
    const notes = [...new Set(mine.flatMap((row) => row.notes ?? []))];
    console.log(`| ${name}${notes.length ? ` (${notes.join(', ')})` : ''} | ${cells.join(' | ')} | ${growth.join(' | ')} |`);
  }
}

// A cold-start child: `node tokens.mjs --tokens-cold <contender> <encoding>` prints one JSON line.
if (process.argv[1] === SELF && process.argv[2] === '--tokens-cold') {
  try {
    console.log(JSON.stringify(await coldChild(process.argv[3], process.argv[4])));
  } catch (error) {
    console.error(`unavailable: ${firstLine(error)}`);
    process.exitCode = 1;
  }
}
