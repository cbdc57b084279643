// Random JSON data for the logic-less template engines (Mustache, Handlebars): objects whose keys
// come from the same small vocabulary the templates read, so names hit, miss and shadow each
// other; values of every JSON kind, the strings with HTML characters, the numbers in the forms
// JavaScript prints awkwardly.

/** The names a template may read; the data uses the same ones (and leaves some out). */
export const KEYS = ['a', 'b', 'c', 'name', 'list', 'obj', 'flag', 'n'];

export const STRINGS = ['', 'x', 'Ada', ' ', 'two words', '<b>bold</b>', 'a & b', '"quoted"', "it's", 'a/b', '`=`',
  'é', '漢字', '😀', 'line\nbreak', '  padded  ', '{{a}}', '&amp;', '0', 'false'];

export const NUMBERS = [0, -0, 1, -1, 42, 1.5, -2.25, 0.1 + 0.2, 1e21, 1e-7, 123456789012, 2 ** 53, 2 ** 60, -(2 ** 63), 1 / 3, 5e-324, 1.7976931348623157e308];

/** A scalar: string, number (no NaN or infinities: JSON holds none), boolean or null. */
export function scalar(rng) {
  switch (rng.int(0, 5)) {
    case 0: case 1: return rng.pick(STRINGS);
    case 2: return rng.chance(0.5) ? rng.pick(NUMBERS) : randomFloat(rng);
    case 3: return rng.chance(0.5);
    case 4: return null;
    default: return rng.int(-5, 5);
  }
}

/** A float drawn over many magnitudes, some in the exponent forms JavaScript switches to. */
export function randomFloat(rng) {
  const mantissa = (rng.float() - 0.5) * 20;
  const exponent = rng.int(-25, 25);
  return Number((mantissa * 10 ** exponent).toPrecision(rng.int(1, 17)));
}

/** Any JSON value, nesting at most `depth` more levels. */
export function value(rng, depth) {
  if (depth <= 0) return scalar(rng);
  switch (rng.int(0, 5)) {
    case 0: case 1: return scalar(rng);
    case 2: return Array.from({ length: rng.int(0, 3) }, () => value(rng, depth - 1));
    case 3: return Array.from({ length: rng.int(0, 3) }, () => object(rng, depth - 1));
    default: return object(rng, depth - 1);
  }
}

/** An object over KEYS: each key present with some chance (so names go missing). */
export function object(rng, depth) {
  const out = {};
  for (const key of rng.shuffle([...KEYS])) if (rng.chance(0.45)) out[key] = value(rng, depth);
  return out;
}

/**
 * `value` with every integral number beyond 2^53 that fits a 64-bit integer as a BigInt, which
 * prints all its digits: how Bridle prints such numbers (see docs/differential.md).
 */
export function exactBigIntegers(value) {
  if (typeof value === 'number') {
    const big = Number.isInteger(value) && Math.abs(value) > 2 ** 53 && value >= -(2 ** 63) && value < 2 ** 64;
    return big ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(exactBigIntegers);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactBigIntegers(v)]));
  return value;
}
