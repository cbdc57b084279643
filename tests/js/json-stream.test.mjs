// JsonStream through the public API, against JSON.parse: any document, any chunking (strings
// split inside escapes and surrogate pairs, bytes split inside UTF-8 sequences) gives JSON.parse's
// value; every intermediate value is a prefix of the final one (no flicker); errors are typed
// and keep what came before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonStream, JsonParseError, InvalidArgumentError, LimitExceededError } from 'bridle';

/** A deterministic generator, so a failure reproduces from its seed. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

const PIECES = ['a', 'token', ' ', 'é', '漢字', '🚀', '👍🏽', '"', '\\', '\n', '\t', '/', '\u0001', '\u007f', '\u2028', '\ud800', '\udfff'];

function genString(r) {
  let s = '';
  for (let i = r(6); i > 0; i--) s += PIECES[r(PIECES.length)];
  return s;
}

function genValue(r, depth = 0) {
  switch (r(depth > 4 ? 5 : 7)) {
    case 0: return null;
    case 1: return r(2) === 0;
    case 2: return r(2_000_000) - 1_000_000;
    case 3: return (r(1 << 30) / 1024) * (r(2) ? 1e-7 : 1e12);
    case 4: return genString(r);
    case 5: return Array.from({ length: r(5) }, () => genValue(r, depth + 1));
    default: {
      const o = {};
      for (let i = r(5); i > 0; i--) o[genString(r)] = genValue(r, depth + 1);
      return o;
    }
  }
}

/** JSON text in the styles models produce: pretty or compact, some characters as \u escapes. */
function serialise(value, r) {
  const text = JSON.stringify(value, null, r(2) ? 2 : 0);
  const escapeAll = r(2) === 0;
  let out = '';
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cp > 0x7f && (escapeAll || n++ % 2 === 0)) {
      for (let j = 0; j < ch.length; j++) out += '\\u' + ch.charCodeAt(j).toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out;
}

function assertPrefix(partial, full, text) {
  if (typeof partial === 'string') {
    assert.equal(typeof full, 'string', text);
    assert.ok(full.startsWith(partial), `${JSON.stringify(partial)} is not a prefix of ${JSON.stringify(full)} in ${text}`);
  } else if (Array.isArray(partial)) {
    assert.ok(Array.isArray(full) && partial.length <= full.length, text);
    partial.forEach((item, i) => assertPrefix(item, full[i], text));
  } else if (partial !== null && typeof partial === 'object') {
    for (const key of Object.keys(partial)) {
      assert.ok(Object.hasOwn(full, key), `member ${JSON.stringify(key)} shown but not in the final value: ${text}`);
      assertPrefix(partial[key], full[key], text);
    }
  } else {
    assert.equal(partial, full, `a scalar shown before it was final in ${text}`);
  }
}

function chunked(text, cuts) {
  const parts = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parts.push(text.slice(from, cut));
    from = cut;
  }
  return parts;
}

function cutsFor(r, length) {
  return Array.from({ length: r(12) }, () => r(length + 1)).sort((a, b) => a - b);
}

function parseChunks(chunks, expected, text, options) {
  const stream = new JsonStream(options);
  let live;
  for (const chunk of chunks) {
    const { value } = stream.push(chunk);
    if (live !== undefined && typeof live === 'object' && live !== null) assert.equal(value, live, 'the value is one live object');
    live = value;
    if (value !== undefined) assertPrefix(value, expected, text);
  }
  const final = stream.end();
  stream.free();
  return final;
}

test('any chunking of any document gives JSON.parse’s value, and never flickers', () => {
  const r = rng(0x5eed);
  const encoder = new TextEncoder();
  let checked = 0;
  for (let n = 0; n < 1500; n++) {
    const text = serialise(genValue(r), r);
    const expected = JSON.parse(text);
    // Strings cut at any UTF-16 unit (so inside surrogate pairs and escapes too).
    assert.deepEqual(parseChunks(chunked(text, cutsFor(r, text.length)), expected, text), expected, text);
    // Bytes cut at any byte (so inside UTF-8 sequences).
    const bytes = encoder.encode(text);
    const byteChunks = chunked(bytes, cutsFor(r, bytes.length)).map((c) => c);
    if (!text.includes('\ud800') && !text.includes('\udfff')) {
      // A lone surrogate has no UTF-8 form, so byte input cannot carry one raw.
      assert.deepEqual(parseChunks(byteChunks, expected, text), expected, text);
    }
    const whole = parseChunks(chunked(text, cutsFor(r, text.length)), expected, text, { partialStrings: false, partialContainers: false });
    assert.deepEqual(whole, expected, text);
    checked += 3;
  }
  console.log(`json stream: ${checked} chunked parses equal JSON.parse`);
});

test('every split of a tricky document, one cut and two', () => {
  const text = '{"a\\"b": ["x\\u00e9\\ud83d\\ude80y\ud83d\ude80", -0.5e-3, true, null, {"": []}], "漢字": "\\\\\\/\\b\\f\\n\\r\\t\\ud800", "n": 120}';
  const expected = JSON.parse(text);
  for (let a = 0; a <= text.length; a++) {
    assert.deepEqual(parseChunks(chunked(text, [a]), expected, text), expected, `cut at ${a}`);
    for (let b = a; b <= text.length; b += 3) {
      assert.deepEqual(parseChunks(chunked(text, [a, b]), expected, text), expected, `cut at ${a}, ${b}`);
    }
  }
});

test('changes name what each chunk did', () => {
  const stream = new JsonStream();
  let step = stream.push('{"items": [{"title": "Str');
  assert.deepEqual(step.changes, [
    { path: [], op: 'set', value: { items: [{ title: 'Str' }] } },
    { path: ['items'], op: 'set', value: [{ title: 'Str' }] },
    { path: ['items', 0], op: 'set', value: { title: 'Str' } },
    { path: ['items', 0, 'title'], op: 'set', value: 'Str' },
  ]);
  step = stream.push('eam", "n": 1');
  assert.deepEqual(step.changes, [{ path: ['items', 0, 'title'], op: 'append', text: 'eam' }]);
  assert.deepEqual(step.value, { items: [{ title: 'Stream' }] }, 'a number is shown only when complete');
  step = stream.push('2}, 3]}');
  assert.deepEqual(step.changes, [
    { path: ['items', 0, 'n'], op: 'set', value: 12 },
    { path: ['items', 1], op: 'set', value: 3 },
  ]);
  assert.deepEqual(stream.end(), { items: [{ title: 'Stream', n: 12 }, 3] });
});

test('a high surrogate at the end of a chunk waits for its pair', () => {
  const stream = new JsonStream();
  assert.equal(stream.push('"a\ud83d').value, 'a');
  assert.equal(stream.push('\ude80b"').value, 'a\ud83d\ude80b');
  assert.equal(stream.end(), 'a🚀b');
});

test('syntax errors are JsonParseError at their place; the value keeps what came before', () => {
  const stream = new JsonStream();
  stream.push('{\n  "a": 1,\n');
  assert.throws(() => stream.push('  "b" 2}'), (error) => {
    assert.ok(error instanceof JsonParseError);
    assert.equal(error.code, 'json_parse');
    assert.deepEqual([error.line, error.column, error.offset], [3, 7, 18]);
    assert.equal(error.details.found, '2');
    return true;
  });
  assert.deepEqual(stream.value, { a: 1 });
  // The stream stays failed with the same error.
  assert.throws(() => stream.push('}'), JsonParseError);

  const truncated = new JsonStream();
  truncated.push('{"a": [1, 2');
  assert.throws(() => truncated.end(), (error) => error instanceof JsonParseError && error.details.incomplete === true);
  assert.deepEqual(truncated.value, { a: [1] });

  for (const bad of ['[01]', '[1.]', '{"a" 1}', '[1,]', "{'a': 1}", '[tru]', '"\u0001"', '"\\x"', '[1] 2', 'nul1']) {
    const s = new JsonStream();
    assert.throws(() => { s.push(bad); s.end(); }, JsonParseError, bad);
  }
});

test('extract skips prose and code fences around the value', () => {
  const stream = new JsonStream({ extract: true });
  for (const chunk of ['Sure! Here it is:\n```js', 'on\n{"ok": tr', 'ue, "list": [1, 2]}\n```\nAnything else?']) stream.push(chunk);
  assert.deepEqual(stream.end(), { ok: true, list: [1, 2] });
});

test('options and misuse are typed errors; the module stays usable', () => {
  assert.throws(() => new JsonStream({ partialStrings: 'yes' }), InvalidArgumentError);
  assert.throws(() => new JsonStream({ nope: true }), (e) => e instanceof InvalidArgumentError && e.details.option === 'nope');
  assert.throws(() => new JsonStream({ maxDepth: 0 }), InvalidArgumentError);
  const stream = new JsonStream({ maxDepth: 10 });
  assert.throws(() => stream.push('['.repeat(11)), LimitExceededError);
  assert.throws(() => new JsonStream().push(42), InvalidArgumentError);
  const ended = new JsonStream();
  ended.push('1');
  assert.equal(ended.end(), 1);
  assert.throws(() => ended.push('2'), InvalidArgumentError);
  const freed = new JsonStream();
  freed.free();
  freed.free();
  assert.throws(() => freed.push('1'), /freed/);
  // Deep nesting within the limit costs no recursion.
  const deep = new JsonStream();
  deep.push('['.repeat(5000));
  deep.push(']'.repeat(5000));
  let depth = 0;
  for (let v = deep.end(); Array.isArray(v); v = v[0]) depth++;
  assert.equal(depth, 5000);
});

test('JsonStream.parse reads async iterables and ReadableStreams', async () => {
  async function* source() {
    yield '{"a": "x';
    yield new TextEncoder().encode('yz", "b": [true]}');
  }
  const seen = [];
  for await (const step of JsonStream.parse(source())) seen.push([structuredClone(step.value), step.done]);
  assert.deepEqual(seen, [[{ a: 'x' }, false], [{ a: 'xyz', b: [true] }, false], [{ a: 'xyz', b: [true] }, true]]);
  const readable = new ReadableStream({
    start(controller) {
      controller.enqueue('[1, ');
      controller.enqueue('2]');
      controller.close();
    },
  });
  let last;
  for await (const step of JsonStream.parse(readable)) last = step;
  assert.deepEqual(last, { value: [1, 2], changes: [], violation: null, done: true });
});

test('streaming validation: the first certain violation as soon as it is certain', async () => {
  const { compileSchema, SchemaError } = await import('bridle');
  const schema = compileSchema({
    type: 'object',
    additionalProperties: false,
    required: ['id', 'items'],
    properties: {
      id: { type: 'integer' },
      status: { enum: ['ok', 'failed'] },
      items: { type: 'array', maxItems: 2, items: { type: 'string', maxLength: 5 } },
    },
  });
  const steps = (chunks, options = {}) => {
    const stream = new JsonStream({ schema, ...options });
    const seen = chunks.map((chunk) => stream.push(chunk).violation);
    return { seen, stream };
  };
  let { seen } = steps(['{"id": ', '"7"']);
  assert.equal(seen[0], null);
  assert.deepEqual(seen[1], { path: '/id', keyword: 'type', message: 'must be integer, got string', schemaPath: '/properties/id/type' });
  ({ seen } = steps(['{"id": 1, "bogus', '"']));
  assert.deepEqual([seen[0], seen[1]?.keyword], [null, 'additionalProperties']);
  ({ seen } = steps(['{"items": ["abc', 'def"']));
  assert.deepEqual([seen[0], seen[1]?.path, seen[1]?.keyword], [null, '/items/0', 'maxLength'], 'a string too long while it grows');
  ({ seen } = steps(['{"items": ["a", "b", ', '"c"']));
  assert.deepEqual([seen[0], seen[1]?.keyword], [null, 'maxItems']);
  ({ seen } = steps(['{"status": "o', 'k", "id": 1, "items": []}']));
  assert.deepEqual(seen, [null, null]);
  // A valid document: no violation at any point, and the final validation agrees.
  const good = new JsonStream({ schema });
  for (const chunk of ['{"id": 3, "st', 'atus": "ok", "items": ["a"', ']}']) assert.equal(good.push(chunk).violation, null);
  good.end();
  assert.deepEqual(good.validation, { valid: true, errors: [] });
  // What streaming leaves to the end: the whole value decides it.
  const late = new JsonStream({ schema: { type: 'array', uniqueItems: true } });
  late.push('[1, 1]');
  assert.equal(late.violation, null);
  late.end();
  assert.equal(late.violation.keyword, 'uniqueItems');
  late.free();
  // onViolation: 'throw' stops the stream at the first certain violation.
  const strict = new JsonStream({ schema, onViolation: 'throw' });
  strict.push('{"id": 1, ');
  assert.throws(() => strict.push('"items": [1'), (e) => e instanceof SchemaError && e.details.errors[0].path === '/items/0');
  assert.throws(() => new JsonStream({ schema, onViolation: 'maybe' }), InvalidArgumentError);
});

test('garbage in any chunking: only JsonParseError or LimitExceededError, never a crash', () => {
  const r = rng(0xbad);
  const alphabet = ['{', '}', '[', ']', ':', ',', '"', '\\', 'u', '0', '9', '.', 'e', '-', 't', 'n', ' ', 'é', '🚀', '\ud800', 'x'];
  for (let n = 0; n < 5000; n++) {
    let text = '';
    for (let i = r(30); i > 0; i--) text += alphabet[r(alphabet.length)];
    const stream = new JsonStream({ maxDepth: 6, extract: r(4) === 0 });
    try {
      const cut = r(text.length + 1);
      stream.push(text.slice(0, cut));
      stream.push(text.slice(cut));
      stream.end();
    } catch (error) {
      assert.ok(error instanceof JsonParseError || error instanceof LimitExceededError, `${JSON.stringify(text)}: ${error}`);
    } finally {
      stream.free();
    }
  }
});
