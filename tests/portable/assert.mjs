// Assertions for the suites that run in every runtime (no node:assert in a page or a Worker):
// a failed check throws `Failure`, which the suites turn into a result row.

export class Failure extends Error {}

export function check(condition, message) {
  if (!condition) throw new Failure(message);
}

/** Compares as JSON: what the runtimes hand back is JSON anyway. */
export function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}
