// Seeded random material shared by the areas: awkward strings (unicode, lone surrogates, control
// characters, template and chat syntax), numbers at the edges of what JSON and JavaScript write,
// and nested values, all drawn from an Rng so both backends' children build identical inputs.
import { WORDS } from '../../../shared/bench/workloads/text.mjs';

export const TRICKY_STRINGS = Object.freeze([
  '', 'v', 'x y', 'é', 'naïve café', 'Zoë', '😀', '👩‍👩‍👧', '🇬🇧', '\u0000', 'a\u0000b', '\ud83d\ude00',
  'line\nbreak', '\r\n', 'tab\there', ' lead', 'trail ', '<b>&"\'`=</b>', '{a}', '{{a}}', '{{{a}}}', '{% if a %}', '{{#a}}x{{/a}}',
  '<|im_start|>system', '<<SYS>>', '[INST]', '\u202eevil', 'zero\u200bwidth', 'ﬁ', 'İ', 'ß', 'Σσς', '١٢٣', '中文字符', 'Привет', 'ａｂｃ', '\ufeffbom',
  '\\', '"', "'", '\u2028', '\u0085', 'null', 'true', '0', '-1', '1e3', 'NaN', '\u{10ffff}', '\u{e0041}', 'e\u0301', '\u0007bell',
]);

export const KEYS = Object.freeze(['a', 'b', 'c', 'name', 'items', 'user', 'n', 'x', '10', '2', '', 'é', 'a.b', ' a', '__proto__', 'toString', 'length', 'role', 'content', 'text']);

export const NUMBERS = Object.freeze([
  0, -0, 1, -1, 2, 7, 42, 1.5, 0.1, 0.1 + 0.2, -2.5e-7, 1e21, 1e-7, 123456789.125, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e300,
  1.7976931348623157e308, 5e-324, NaN, Infinity, -Infinity, 100, 3.14159, 999999999999999900000,
]);

/** Strings holding a lone surrogate, which UTF-8 cannot hold: rarer, as they fail some paths by design. */
export const LONE_SURROGATES = Object.freeze(['\ud800', '\udc00x', 'a\ud83d', 'end\udbff']);

/** A sentence of plain words. */
export function words(rng, min = 1, max = 8) {
  const out = [];
  for (let n = rng.int(min, max); n > 0; n--) out.push(rng.pick(WORDS));
  return out.join(' ');
}

/** A random string: mostly short and awkward, sometimes long enough to cross as UTF-8 or to grow the scratch buffer. */
export function randomString(rng, { lone = 0.004, long = true } = {}) {
  const roll = rng.float();
  if (rng.chance(lone)) return rng.pick(LONE_SURROGATES);
  if (roll < 0.45) return rng.pick(TRICKY_STRINGS);
  if (roll < 0.7) {
    let s = '';
    for (let n = rng.int(2, 4); n > 0; n--) s += rng.pick(TRICKY_STRINGS);
    return s;
  }
  if (roll < 0.9 || !long) return words(rng);
  if (roll < 0.99) return (words(rng, 3, 6) + rng.pick(TRICKY_STRINGS)).repeat(rng.int(5, 60));
  return (rng.pick(TRICKY_STRINGS) + words(rng, 1, 3)).repeat(rng.int(800, 2000));
}

/** A number from the edge list or a random integer or fraction. */
export function randomNumber(rng) {
  const roll = rng.float();
  if (roll < 0.6) return rng.pick(NUMBERS);
  if (roll < 0.85) return rng.int(-1000, 100000);
  return Math.round(rng.float() * 1e6) / 1000;
}

/** An object from `entries` made with defineProperty, so `__proto__` is an own key as JSON.parse makes it. */
export function objectOf(entries) {
  const object = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/**
 * A random value. `json: true` keeps to what JSON holds (no undefined, NaN, functions, dates, BigInt);
 * otherwise JavaScript's awkward values appear too (never functions: those are the callers' choice).
 */
export function randomValue(rng, { depth = 0, json = false, keys = KEYS, maxDepth = 3, lone = 0.004, long = true } = {}) {
  const roll = rng.float();
  if (roll < 0.35) return randomString(rng, { lone, long });
  if (roll < 0.5) {
    const n = randomNumber(rng);
    return json && !Number.isFinite(n) ? 0 : n;
  }
  if (roll < 0.55) return rng.chance(0.5);
  if (roll < 0.6) return null;
  if (!json && roll < 0.64) {
    const odd = rng.int(0, 11);
    if (odd < 4) return undefined;
    if (odd < 6) return new Date(Date.UTC(2024, rng.int(0, 11), rng.int(1, 28), rng.int(0, 23)));
    if (odd === 6) return { toJSON: () => 'from toJSON' };
    if (odd === 7) return new Map([[1, 2]]);
    if (odd === 8) return new String('boxed');
    if (odd === 9) return rng.chance(0.3) ? BigInt(rng.int(0, 99)) : [undefined, NaN, -0];
    return [undefined, NaN, -0];
  }
  if (depth >= maxDepth) return randomString(rng, { lone, long });
  const inner = { depth: depth + 1, json, keys, maxDepth, lone, long };
  if (roll < 0.8) {
    const list = [];
    for (let n = rng.int(0, rng.chance(0.1) && long ? 40 : 4); n > 0; n--) list.push(randomValue(rng, inner));
    return list;
  }
  const entries = [];
  for (let n = rng.int(0, 4); n > 0; n--) entries.push([rng.pick(keys), randomValue(rng, inner)]);
  return objectOf(entries);
}

/** Text pieces joined: `pick()` is called `min..max` times. */
export function joinPieces(rng, min, max, pick) {
  let out = '';
  for (let n = rng.int(min, max); n > 0; n--) out += pick();
  return out;
}

/**
 * `text` cut into random chunks (sometimes single characters, sometimes splitting surrogate
 * pairs, sometimes empty); `small: false` leaves out the runs of 1-4 characters, for the
 * streams whose every push costs a scan.
 */
export function chunksOf(rng, text, { small = true } = {}) {
  const chunks = [];
  let at = 0;
  const mode = rng.int(small ? 0 : 2, 3);
  while (at < text.length) {
    const size = mode === 0 ? 1 : mode === 1 ? rng.int(1, 4) : mode === 2 ? rng.int(1, 40) : rng.int(0, 16);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  if (chunks.length === 0 || rng.chance(0.1)) chunks.push('');
  return chunks;
}

/** `bytes` cut into random chunks (splitting UTF-8 sequences). */
export function byteChunksOf(rng, bytes, most = 12) {
  const chunks = [];
  for (let at = 0; at < bytes.length;) {
    const size = rng.int(1, most);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** Every node of a JSON tree as `{ parent, key }` (the root has parent null). */
function nodesOf(value, parent = null, key = null, into = []) {
  into.push({ parent, key, value });
  if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) nodesOf(value[k], value, Array.isArray(value) ? Number(k) : k, into);
  }
  return into;
}

/**
 * `value` (JSON) with `times` random edits: a node replaced by a random value, a string made
 * awkward, a number changed, a member or item deleted, duplicated or added, two items swapped.
 */
export function mutate(rng, value, times = 1) {
  let root = structuredClone(value);
  for (let t = 0; t < times; t++) {
    const nodes = nodesOf(root);
    const { parent, key, value: node } = rng.pick(nodes);
    const set = (v) => {
      if (parent === null) root = v;
      else parent[key] = v;
    };
    const edit = rng.int(0, 7);
    if (edit === 0) set(randomValue(rng, { json: true, maxDepth: 1 }));
    else if (edit === 1 && typeof node === 'string') set(rng.chance(0.5) ? rng.pick(TRICKY_STRINGS) : node + rng.pick(TRICKY_STRINGS));
    else if (edit === 2 && typeof node === 'number') set(rng.pick([0, -1, 1.5, 1e21, 2 ** 53, -0.5, 3]));
    else if (edit === 3 && parent !== null) {
      if (Array.isArray(parent)) parent.splice(key, 1);
      else delete parent[key];
    } else if (edit === 4 && Array.isArray(node) && node.length > 0) node.push(structuredClone(rng.pick(node)));
    else if (edit === 5 && node !== null && typeof node === 'object' && !Array.isArray(node)) {
      Object.defineProperty(node, rng.pick(KEYS), { value: randomValue(rng, { json: true, maxDepth: 1 }), enumerable: true, writable: true, configurable: true });
    }
    else if (edit === 6 && Array.isArray(node) && node.length > 1) {
      const i = rng.int(0, node.length - 1);
      const j = rng.int(0, node.length - 1);
      [node[i], node[j]] = [node[j], node[i]];
    } else if (typeof node === 'string') set(node.slice(0, rng.int(0, node.length)));
    else if (parent !== null && !Array.isArray(parent)) delete parent[key];
  }
  return root;
}

/** `text` with `times` random character edits: a cut, an insertion, a deletion, a doubled piece. */
export function mutateText(rng, text, times = 1, inserts = TRICKY_STRINGS) {
  let out = text;
  for (let t = 0; t < times; t++) {
    const at = rng.int(0, out.length);
    const edit = rng.int(0, 3);
    if (edit === 0) out = out.slice(0, at);
    else if (edit === 1) out = out.slice(0, at) + rng.pick(inserts) + out.slice(at);
    else if (edit === 2) out = out.slice(0, at) + out.slice(at + rng.int(1, 5));
    else out = out.slice(0, at) + out.slice(at, at + rng.int(1, 12)) + out.slice(at);
  }
  return out;
}
