// Everything a caller can observe of a result, as plain JSON, so the two backends' results can be
// compared as text: `undefined`, NaN, -0, BigInt, typed arrays, class instances, frozenness and
// every field of an error (class, name, code, message, line, column, offset, details, cause)
// are written out explicitly instead of being lost or merged by JSON.stringify.
import { createHash } from 'node:crypto';

/** Strings longer than this are kept as length, hash of their UTF-16 units, head and tail. */
const LONG = 1024;

/** `value` as a JSON-safe tree that keeps what JSON.stringify would lose. */
export function snapshot(value, path = new Set()) {
  switch (typeof value) {
    case 'undefined':
      return { $: 'undefined' };
    case 'boolean':
      return value;
    case 'string':
      return value.length > LONG ? longString(value) : value;
    case 'number':
      if (Number.isNaN(value) || !Number.isFinite(value) || Object.is(value, -0)) return { $: 'number', v: Object.is(value, -0) ? '-0' : String(value) };
      return value;
    case 'bigint':
      return { $: 'bigint', v: String(value) };
    case 'symbol':
      return { $: 'symbol', v: String(value.description) };
    case 'function':
      return { $: 'function', v: value.name };
    default:
      break;
  }
  if (value === null) return null;
  if (path.has(value)) return { $: 'cycle' };
  path.add(value);
  try {
    return snapshotObject(value, path);
  } finally {
    path.delete(value);
  }
}

function snapshotObject(value, path) {
  if (value instanceof Error) return snapshotError(value, path);
  if (ArrayBuffer.isView(value)) return { $: value.constructor.name, v: Array.from(value) };
  if (value instanceof ArrayBuffer) return { $: 'ArrayBuffer', v: Array.from(new Uint8Array(value)) };
  if (value instanceof Date) return { $: 'Date', v: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
  if (value instanceof Map) return { $: 'Map', v: [...value].map(([k, v]) => [snapshot(k, path), snapshot(v, path)]) };
  if (value instanceof Set) return { $: 'Set', v: [...value].map((v) => snapshot(v, path)) };
  if (typeof value.then === 'function') return { $: 'thenable' };
  let tree;
  if (Array.isArray(value)) {
    tree = [];
    for (let i = 0; i < value.length; i++) tree.push(i in value ? snapshot(value[i], path) : { $: 'hole' });
  } else {
    tree = {};
    for (const key of Object.keys(value)) put(tree, key, snapshot(value[key], path));
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) tree = { $: 'instance', class: proto?.constructor?.name ?? '?', fields: tree };
    else if (proto === null) tree = { $: 'null-prototype', fields: tree };
  }
  return Object.isFrozen(value) && (Array.isArray(value) ? value.length : Object.keys(value).length) ? { $: 'frozen', v: tree } : tree;
}

/** `tree[key] = v`, also for the key `__proto__` (JSON.parse makes it an own property). */
function put(tree, key, v) {
  if (key === '__proto__') Object.defineProperty(tree, key, { value: v, enumerable: true, writable: true, configurable: true });
  else tree[key] = v;
}

function snapshotError(error, path) {
  const out = {
    $: 'error',
    class: Object.getPrototypeOf(error)?.constructor?.name ?? '?',
    name: error.name,
    code: snapshot(error.code, path),
    message: snapshot(error.message, path),
    line: snapshot(error.line, path),
    column: snapshot(error.column, path),
    offset: snapshot(error.offset, path),
    details: snapshot(error.details, path),
    keys: Object.keys(error),
  };
  if (error.cause !== undefined) {
    const cause = error.cause;
    out.cause = cause instanceof Error
      ? { class: Object.getPrototypeOf(cause)?.constructor?.name, name: cause.name, message: cause.message, code: snapshot(cause.code, path) }
      : snapshot(cause, path);
  }
  if (error instanceof AggregateError) out.errors = error.errors.map((e) => snapshot(e, path));
  return out;
}

function longString(text) {
  const hash = createHash('sha256').update(Buffer.from(text, 'utf16le')).digest('hex').slice(0, 24);
  return { $: 'long-string', length: text.length, sha256: hash, head: text.slice(0, 160), tail: text.slice(-80) };
}

/** `{ ok: snapshot }` of what `body` returns, or `{ error: snapshot }` of what it throws. */
export function outcome(body) {
  try {
    const value = body();
    if (typeof value?.then === 'function') throw new Error('outcome(): the body returned a promise; use outcomeAsync');
    return { ok: snapshot(value) };
  } catch (error) {
    return { error: snapshot(error) };
  }
}

/** `outcome` for a body that may return a promise. */
export async function outcomeAsync(body) {
  try {
    return { ok: snapshot(await body()) };
  } catch (error) {
    return { error: snapshot(error) };
  }
}

/** Several observations of one case, each caught on its own: `[name, outcome]` pairs in order. */
export function steps(list) {
  return list.map(([name, body]) => [name, outcome(body)]);
}

/** What `body` returns, or the error it throws (so one step's failure is recorded beside the others). */
export function attempt(body) {
  try {
    return body();
  } catch (error) {
    return error;
  }
}

/** Whether digests and inputs are kept whole (BACKENDS_FULL=1, to look into a mismatch). */
const FULL = Boolean(process.env.BACKENDS_FULL);

/**
 * A short stand-in for a bulky observation (a value seen after every chunk, a trace): its
 * snapshot's hash and first characters; the whole snapshot with BACKENDS_FULL=1.
 */
export function digest(value, head = 60) {
  const tree = snapshot(value);
  return FULL ? tree : digestOf(JSON.stringify(tree), head);
}

function digestOf(text, head) {
  return { $: 'digest', sha256: createHash('sha256').update(text).digest('hex').slice(0, 16), head: text.slice(0, head) };
}

/** An input's description for the report: whole when short, else its hash and its start (the rerun rebuilds it). */
export function describeInput(input) {
  const tree = snapshot(input);
  if (FULL) return tree;
  const text = JSON.stringify(tree);
  return text.length <= 1200 ? tree : digestOf(text, 800);
}
