// Reading the observations of run-areas.mjs: whether a case ended in an error anywhere, whether
// an output says anything, and where two results first differ (for a readable mismatch report).

/** Whether an observed tree holds an error (thrown, or returned by one step of a case). */
export function hasError(tree) {
  if (tree === null || typeof tree !== 'object') return false;
  if (tree.$ === 'error') return true;
  for (const value of Object.values(tree)) if (hasError(value)) return true;
  return false;
}

/** The error codes in an observed tree, each as `code (Class)`. */
export function errorKinds(tree, into = []) {
  if (tree === null || typeof tree !== 'object') return into;
  if (tree.$ === 'error') into.push(`${typeof tree.code === 'string' ? tree.code : 'no code'} (${tree.class})`);
  for (const value of Object.values(tree)) errorKinds(value, into);
  return into;
}

/** Whether an output is empty: '', [], {}, undefined or null, or an object of only such values. */
export function isEmptyOutput(tree) {
  if (tree === null || tree === '' || tree?.$ === 'undefined') return true;
  if (typeof tree !== 'object') return false;
  if (tree.$ === 'frozen') return isEmptyOutput(tree.v);
  const values = Array.isArray(tree) ? tree : Object.values(tree);
  return values.every(isEmptyOutput);
}

/** The first path at which `a` and `b` differ, with both values there; null when equal. */
export function firstDifference(a, b, path = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const found = firstDifference(a[key], b[key], `${path}${Array.isArray(a) ? `[${key}]` : `.${key}`}`);
      if (found) return found;
    }
    return { path: `${path} (key order)`, a: Object.keys(a), b: Object.keys(b) };
  }
  return { path: path || '(root)', a, b };
}

/**
 * Whether a case's input holds an integer of 2^31 or more (in size): the inputs of the known
 * integer-width bug (integer-width.test.mjs), told apart in the report so other mismatches show.
 */
export function holdsWideInteger(value, seen = new Set()) {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 2 ** 31;
  if (typeof value === 'bigint') return true;
  if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return false;
  seen.add(value);
  return Object.values(value).some((item) => holdsWideInteger(item, seen));
}

/** JSON text cut to `max` characters. */
export function preview(value, max = 600) {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
