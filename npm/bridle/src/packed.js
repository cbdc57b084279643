// Packed values: how a structured value (a list, an object) crosses into the engines that walk
// data (Mustache, Handlebars, Jinja) without JSON. Walking the value here and writing strings
// with TextEncoder costs a third of JSON.stringify plus encoding the JSON text, and the core
// reads lengths instead of parsing. The format is `bridle::template::packed` in the core:
//
//   value := 0 null | 1 false | 2 true | 3 f64 (8 bytes) | 4 i32 (4 bytes)
//          | 5 string: bytes u32, UTF-8
//          | 6 list: count u32, value*
//          | 7 object: count u32, (string value)*
//
// little-endian throughout. What crosses is exactly what JSON.stringify would write: toJSON
// is called, boxed primitives are unwrapped, `undefined`, functions and symbols are left out
// of objects and become null in lists, non-finite numbers become null, a BigInt is an error.

const encoder = new TextEncoder();
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
/** Deeper values are refused (JSON.stringify would overflow on a cycle instead). */
export const MAX_DEPTH = 512;

/**
 * How many functions the writers have met (and left out, as JSON.stringify does): the engines
 * that call functions in the data render through the host instead when this moves.
 */
export const seen = { functions: 0 };

/** A value JSON.stringify leaves out of objects (and turns into null in lists). */
function omitted(value) {
  if (typeof value === 'function') {
    seen.functions++;
    return true;
  }
  return value === undefined || typeof value === 'symbol';
}

/**
 * Writes values into a backend's scratch bytes, growing the buffer as it goes. One writer per
 * backend; `start(at)` begins at byte `at`, `value(v)` appends one value, `end()` the next byte.
 */
export class PackedWriter {
  #backend;
  #bytes = null;
  #at = 0;

  constructor(backend) {
    this.#backend = backend;
  }

  start(at) {
    this.#bytes = this.#backend.scratchBytes();
    this.#at = at;
  }

  get at() {
    return this.#at;
  }

  /** Makes room for `n` more bytes. */
  #room(n) {
    if (this.#at + n > this.#bytes.length) {
      const units = (this.#at + n + 1) >> 1;
      this.#backend.growScratch(units, (this.#at + 1) >> 1);
      this.#bytes = this.#backend.scratchBytes();
    }
  }

  #u32(at, n) {
    const bytes = this.#bytes;
    bytes[at] = n & 0xff;
    bytes[at + 1] = (n >>> 8) & 0xff;
    bytes[at + 2] = (n >>> 16) & 0xff;
    bytes[at + 3] = n >>> 24;
  }

  string(text) {
    const n = text.length;
    this.#room(5 + 3 * n);
    const bytes = this.#bytes;
    const at = this.#at;
    bytes[at] = 5;
    // Short ASCII texts are cheaper to copy here than to hand to the encoder.
    if (n < 32) {
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > 0x7f) break;
        bytes[at + 5 + i] = c;
      }
      if (i === n) {
        this.#u32(at + 1, n);
        this.#at = at + 5 + n;
        return;
      }
    }
    const written = encoder.encodeInto(text, bytes.subarray(at + 5, at + 5 + 3 * n)).written;
    this.#u32(at + 1, written);
    this.#at = at + 5 + written;
  }

  /** Appends `value`, already through {@link resolve}. */
  value(value, depth = 0) {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        return this.#number(value);
      case 'boolean':
        return this.#tag(value ? 2 : 1);
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      case 'object':
        break;
      case 'function':
        seen.functions++;
        return this.#tag(0);
      default:
        // undefined and symbols, where a list holds them.
        return this.#tag(0);
    }
    if (value === null) return this.#tag(0);
    if (depth >= MAX_DEPTH) throw new TypeError(`the value nests deeper than ${MAX_DEPTH} levels (or is circular)`);
    if (value instanceof Number) return this.#number(Number(value));
    if (value instanceof String) return this.string(String(value));
    if (value instanceof Boolean) return this.#tag(value.valueOf() ? 2 : 1);
    if (Array.isArray(value)) {
      const length = value.length;
      this.#room(5);
      this.#bytes[this.#at] = 6;
      this.#u32(this.#at + 1, length);
      this.#at += 5;
      for (let i = 0; i < length; i++) this.value(resolve(value[i], String(i)), depth + 1);
      return;
    }
    const keys = Object.keys(value);
    this.#room(5);
    const head = this.#at;
    this.#bytes[head] = 7;
    this.#at += 5;
    let count = 0;
    for (let i = 0; i < keys.length; i++) {
      const name = keys[i];
      const item = resolve(value[name], name);
      if (omitted(item)) continue;
      this.string(name);
      this.value(item, depth + 1);
      count++;
    }
    // The buffer may have moved meanwhile; `head` is a byte position, which moving keeps.
    this.#u32(head + 1, count);
  }

  #tag(tag) {
    this.#room(1);
    this.#bytes[this.#at++] = tag;
  }

  #number(value) {
    if (!Number.isFinite(value)) return this.#tag(0);
    if ((value | 0) === value) {
      this.#room(5);
      this.#bytes[this.#at] = 4;
      this.#u32(this.#at + 1, value | 0);
      this.#at += 5;
      return;
    }
    this.#room(9);
    f64[0] = value;
    this.#bytes[this.#at] = 3;
    this.#bytes.set(f64Bytes, this.#at + 1);
    this.#at += 9;
  }
}

/** `value` as JSON.stringify sees it under `key`: what its toJSON returns, if it has one. */
export function resolve(value, key) {
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint') && typeof value.toJSON === 'function') {
    return value.toJSON(key);
  }
  return value;
}

/** Whether JSON.stringify would write nothing for `value` (a missing value). */
export function isOmitted(value) {
  return omitted(value);
}
