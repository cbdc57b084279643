// Differential: Bridle's partial-JSON parser and repair against JSON.parse on seeded random
// JSON texts. JsonStream, fed any chunking (strings cut anywhere, or UTF-8 bytes), must end with
// JSON.parse's value exactly (-0, key order, duplicate keys, `__proto__` as an own key); on
// near-JSON it must throw JsonParseError exactly when JSON.parse throws; repairJson and
// extractJson must give JSON.parse's value for valid JSON, reporting no repair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonStream, JsonParseError, extractJson, repairJson } from 'bridle';
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { chunked, cuts, jsonDocuments, mutate } from './json-cases.mjs';
import { attempt, since, Tally } from './harness.mjs';
import { depthOf, sameJson } from './json-compare.mjs';

const COUNT = Number(process.env.DIFF_CASES ?? 3000);
const SEED = Number(process.env.DIFF_SEED ?? 14);
const MAX_DEPTH = 10_000; // JsonStream's default maxDepth (docs/structured.md)

function streamed(chunks, options) {
  const stream = new JsonStream(options);
  try {
    for (const chunk of chunks) stream.push(chunk);
    return stream.end();
  } finally {
    stream.free();
  }
}

// JSON.parse makes `"__proto__"` an own key; JsonStream's live value sets the object's prototype
// instead (a bug, reported). A disagreement is of this class when renaming the key makes it go.
const withoutProtoKeys = (text) => text.replaceAll('"__proto__"', '"__proto_x"');

/** Whether `parse` and JSON.parse agree on `text` (both failing counts). */
function agreeOn(parse, text) {
  const b = attempt(() => parse(text));
  const r = attempt(() => JSON.parse(text));
  return b.ok ? r.ok && sameJson(b.value, r.value) : !r.ok;
}

/**
 * The text changes that make a disagreement go, each a class: raw lone surrogates, which the text
 * carries into the core as UTF-8 and so as U+FFFD (escaped ones, `\\ud800`, stay as they are),
 * and `"__proto__"` keys, which JsonStream's live value turns into the object's prototype (a bug).
 */
const TEXT_CLASSES = [
  ['raw-lone-surrogate-replaced', (text) => (text.isWellFormed() ? null : text.toWellFormed())],
  ['proto-key-sets-prototype', (text) => (text.includes('"__proto__"') ? withoutProtoKeys(text) : null)],
];

/** The first of the text classes, alone or both, under which `parse` agrees with JSON.parse. */
function textClass(parse, text) {
  const applicable = TEXT_CLASSES.map(([name, change]) => [name, change(text)]).filter(([, changed]) => changed !== null);
  for (const [name, changed] of applicable) if (agreeOn(parse, changed)) return name;
  if (applicable.length === 2 && agreeOn(parse, withoutProtoKeys(text.toWellFormed()))) return applicable.map(([name]) => name).join('+');
  return null;
}

/** The classes of the stream tests: the documented depth limit, or a text class. */
function streamClass(c, bridle) {
  if (!bridle.ok && bridle.error.code === 'limit_exceeded' && depthOf(c.text) > MAX_DEPTH) return 'max-depth-limit';
  return textClass((text) => streamed([text]), c.text);
}

const REPAIR_DEPTH = 512; // repairJson's and extractJson's nesting limit
/**
 * The classes of the repair tests: the text crosses into the core as UTF-8, so a raw lone
 * surrogate becomes U+FFFD; repairJson refuses to nest deeper than 512 (`limit_exceeded`); and a
 * bug: extractJson, on a document nested deeper than that, returns an inner value from a later
 * `[` or `{` (reporting the rest as leading and trailing text) instead of failing.
 */
function repairClass(parse) {
  return (c, bridle) => {
    if (depthOf(c.text) > REPAIR_DEPTH) {
      if (!bridle.ok && bridle.error.code === 'limit_exceeded') return 'repair-depth-limit';
      if (bridle.ok) return 'extract-too-deep-returns-inner-value';
    }
    return textClass(parse, c.text);
  };
}

test(`json: JsonStream on ${COUNT} random documents in random chunkings equals JSON.parse (seed ${SEED})`, () => {
  const started = performance.now();
  const rng = new Rng(SEED);
  const encoder = new TextEncoder();
  const tally = new Tally('JsonStream vs JSON.parse', { same: sameJson, classify: streamClass, bugs: ['proto-key-sets-prototype'] });
  for (const doc of jsonDocuments({ seed: SEED, count: COUNT })) {
    const reference = attempt(() => JSON.parse(doc.text));
    const options = rng.chance(0.2) ? { partialStrings: false, partialContainers: rng.chance(0.5) } : undefined;
    tally.record(doc, attempt(() => streamed(chunked(doc.text, cuts(rng, doc.text.length)), options)), reference);
    // As UTF-8 bytes cut anywhere, inside sequences too (a lone surrogate has no UTF-8 form).
    if (doc.text.isWellFormed()) {
      const bytes = encoder.encode(doc.text);
      tally.record(doc, attempt(() => streamed(chunked(bytes, cuts(rng, bytes.length)))), reference);
    }
  }
  console.log(`json stream differential: ${since(started)}`);
  tally.report(0.94);
});

test(`json: on ${COUNT} near-JSON texts JsonStream throws JsonParseError exactly when JSON.parse throws (seed ${SEED})`, () => {
  const started = performance.now();
  const rng = new Rng(SEED + 1);
  // Both failing counts as agreement only with a JsonParseError (or the depth limit, classed).
  const tally = new Tally('JsonStream vs JSON.parse on near-JSON', { same: sameJson, classify: streamClass, bugs: ['proto-key-sets-prototype'] });
  let invalid = 0;
  for (const doc of jsonDocuments({ seed: SEED + 2, count: COUNT })) {
    let text = mutate(rng, doc.text);
    if (rng.chance(0.3)) text = mutate(rng, text);
    const c = { id: doc.id, text };
    const reference = attempt(() => JSON.parse(text));
    if (!reference.ok) invalid++;
    const bridle = attempt(() => streamed(chunked(text, cuts(rng, text.length))));
    const wrongError = !bridle.ok && !reference.ok && !(bridle.error instanceof JsonParseError) && bridle.error.code !== 'limit_exceeded';
    tally.record(c, wrongError ? { ok: true, value: `threw ${bridle.error.name}` } : bridle, reference);
  }
  console.log(`json near-JSON differential: ${invalid}/${COUNT} texts invalid for JSON.parse; ${since(started)}`);
  tally.report(0.97);
});

test(`json: repairJson and extractJson on ${COUNT} valid documents give JSON.parse's value and no repair (seed ${SEED})`, () => {
  const started = performance.now();
  const repairTally = new Tally('repairJson vs JSON.parse', { same: sameJson, classify: repairClass((text) => repairJson(text).value) });
  const extractTally = new Tally('extractJson vs JSON.parse', {
    same: sameJson, classify: repairClass((text) => extractJson(text).value), bugs: ['extract-too-deep-returns-inner-value'],
  });
  // Depths around the repair limit; far deeper ones cost extractJson quadratic time (it retries
  // from every bracket), which the bug above is about anyway.
  for (const doc of jsonDocuments({ seed: SEED + 3, count: COUNT, depths: [50, 500, 600, 1000] })) {
    const reference = attempt(() => JSON.parse(doc.text));
    if (!reference.ok) continue;
    const repaired = attempt(() => {
      const { value, repairs } = repairJson(doc.text);
      if (repairs.length) throw new Error(`valid JSON reported repairs: ${repairs.map((r) => r.kind).join(', ')}`);
      return value;
    });
    repairTally.record(doc, repaired, reference);
    // extractJson looks for an object or a list: only those documents.
    if (typeof reference.value === 'object' && reference.value !== null) {
      extractTally.record(doc, attempt(() => extractJson(doc.text).value), reference);
    }
  }
  console.log(`json repair differential: ${since(started)}`);
  const failures = [];
  for (const [tally, floor] of [[repairTally, 0.95], [extractTally, 0.9]]) {
    try {
      tally.report(floor);
    } catch (error) {
      failures.push(error.message);
    }
  }
  assert.deepEqual(failures, []);
});
