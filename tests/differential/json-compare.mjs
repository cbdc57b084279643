// Comparing parsed JSON values exactly, and measuring how deep a JSON text nests.

/** Equal as JSON.parse values: numbers by Object.is (so -0), own keys in order, same prototypes. */
export function sameJson(a, b) {
  // A stack, not recursion: the documents nest 12 000 deep.
  const pending = [[a, b]];
  while (pending.length) {
    const [x, y] = pending.pop();
    if (typeof x !== typeof y) return false;
    if (typeof x === 'number') {
      if (!Object.is(x, y)) return false;
    } else if (x === null || y === null || typeof x !== 'object') {
      if (x !== y) return false;
    } else {
      if (Array.isArray(x) !== Array.isArray(y) || Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false;
      const keys = Reflect.ownKeys(x);
      const other = Reflect.ownKeys(y);
      if (keys.length !== other.length || keys.some((key, i) => key !== other[i])) return false;
      for (const key of keys) pending.push([x[key], y[key]]);
    }
  }
  return true;
}

/** How deep `text` nests, counting brackets outside strings. */
export function depthOf(text) {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth--;
  }
  return max;
}

