// Seeded random JSON texts for the partial-JSON parser: documents written as JSON allows (any
// nesting, `\u` escapes with surrogate pairs and lone halves, raw non-ASCII, numbers in every
// exponent form, from tiny to overflowing, -0, whitespace of the four kinds, duplicate and
// `__proto__` keys), chunkings of them, and near-JSON made by small edits of valid texts.
import { Rng } from '../../../shared/bench/workloads/rng.mjs';

const RAW = ['a', 'Z', ' ', 'é', '漢字', '😀', '👍🏽', '\u2028', '\u007f', '/', "'", '\ufeff'];
// Raw halves of a surrogate pair: JSON.parse keeps them, as JavaScript strings can.
const LONE = ['\ud83d', '\ude00'];
const ESCAPES = ['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u0000', '\\u001f', '\\u00e9', '\\u20AC', '\\ud83d\\ude00',
  '\\uD83D\\uDE00', '\\ud800', '\\udfff', '\\ud83d', '\\uFFFF', '\\uFEFF'];
const KEYS = ['a', 'b', '', 'é', 'constructor', 'toString', '0', '10', '-1', 'a b', '😀'];
const key = (rng) => (rng.chance(0.01) ? '__proto__' : rng.pick(KEYS));
const SPACE = [' ', '\t', '\n', '\r', '\r\n', '  '];

/** JSON string text: raw characters and escapes, quoted. */
function string(rng) {
  let out = '';
  for (let n = rng.int(0, 6); n > 0; n--) out += rng.chance(0.01) ? rng.pick(LONE) : rng.chance(0.5) ? rng.pick(RAW) : rng.pick(ESCAPES);
  return `"${out}"`;
}

/** A JSON number in any of the forms the grammar allows. */
function number(rng) {
  const sign = rng.chance(0.3) ? '-' : '';
  const int = rng.chance(0.2) ? '0' : String(rng.int(1, 9)) + rng.digits(rng.pick([0, 0, 1, 3, 8, 15, 17, 25]));
  const frac = rng.chance(0.4) ? `.${rng.digits(rng.int(1, 20))}` : '';
  const exp = rng.chance(0.35) ? `${rng.pick(['e', 'E'])}${rng.pick(['', '+', '-'])}${rng.pick([String(rng.int(0, 30)), String(rng.int(300, 330)), '400', '0', '00', '07'])}` : '';
  return sign + int + frac + exp;
}

function ws(rng) {
  return rng.chance(0.7) ? '' : rng.pick(SPACE);
}

/** A JSON value's text, nesting at most `depth` more levels. */
function value(rng, depth) {
  const roll = rng.int(0, depth > 0 ? 9 : 5);
  if (roll <= 1) return string(rng);
  if (roll <= 3) return number(rng);
  if (roll === 4) return rng.pick(['true', 'false', 'null']);
  if (roll === 5) return rng.pick(['[]', '{}', '""', '0', '-0', '-0.0', '1e400', '-1e400', '1e-400']);
  if (roll <= 7) {
    const items = Array.from({ length: rng.int(0, 4) }, () => ws(rng) + value(rng, depth - 1) + ws(rng));
    return `[${items.join(',')}${items.length ? '' : ws(rng)}]`;
  }
  const members = Array.from({ length: rng.int(0, 4) }, () => `${ws(rng)}"${key(rng)}"${ws(rng)}:${ws(rng)}${value(rng, depth - 1)}${ws(rng)}`);
  return `{${members.join(',')}${members.length ? '' : ws(rng)}}`;
}

/** Nested arrays and objects `depth` levels deep around a small value. */
function deep(rng, depth) {
  let text = value(rng, 1);
  for (let d = 0; d < depth; d++) text = rng.chance(0.5) ? `[${text}]` : `{"${key(rng)}":${text}}`;
  return text;
}

/** `count` JSON texts `{ id, text }`: mostly random documents, some nested to one of `depths`. */
export function jsonDocuments({ seed, count, depths = [50, 500, 5000, 12_000] }) {
  const docs = [];
  for (let i = 0; i < count; i++) {
    const rng = new Rng(seed * 100_057 + i);
    const text = rng.chance(0.04) ? deep(rng, rng.pick(depths)) : ws(rng) + value(rng, rng.int(0, 6)) + ws(rng);
    docs.push({ id: i, text });
  }
  return docs;
}

/** Cut points for `length` units: none, a few, or every unit. */
export function cuts(rng, length) {
  if (rng.chance(0.05)) return Array.from({ length }, (_, i) => i + 1);
  return Array.from({ length: rng.int(0, 12) }, () => rng.int(0, length)).sort((a, b) => a - b);
}

export function chunked(text, points) {
  const parts = [];
  let from = 0;
  for (const point of [...points, text.length]) {
    parts.push(text.slice(from, point));
    from = point;
  }
  return parts;
}

const INSERTS = [',', ']', '}', '[', '{', '"', ':', '\\', '0', '-', '.', 'e', '+', ' ', 'x', '\u0000', '\n', "'", 'NaN', 'true', '//', '\ufeff', '\u00a0'];

/** A small edit of `text`: one character deleted, inserted, replaced or doubled, or the text cut. */
export function mutate(rng, text) {
  const at = rng.int(0, text.length);
  switch (rng.int(0, 5)) {
    case 0: return text.slice(0, at) + text.slice(at + 1);
    case 1: return text.slice(0, at) + rng.pick(INSERTS) + text.slice(at);
    case 2: return text.slice(0, at) + rng.pick(INSERTS) + text.slice(at + 1);
    case 3: return text.slice(0, at) + text.slice(at - 1, at + 1) + text.slice(at + 1);
    case 4: return text.slice(0, at);
    default: return rng.pick(['', ' ', '\ufeff', '\u00a0']) + text + rng.pick(['', ' ', 'x', '\u0000', '\ufeff', '\u00a0', ',']);
  }
}
