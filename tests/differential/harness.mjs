// Shared by the differential tests: run one case through Bridle and through the reference,
// decide agreement, sort every disagreement into a named known class or leave it unclassified,
// and print the agreement line.
import assert from 'node:assert/strict';
import { BridleError, backend } from 'bridle';

/** `{ ok: true, value }` or `{ ok: false, error }`: what `body()` returned or threw. */
export function attempt(body) {
  try {
    return { ok: true, value: body() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A Bridle error that the contract allows: a BridleError subclass with a stable code. */
export function isTypedError(error) {
  return error instanceof BridleError && typeof error.code === 'string' && error.code.length > 0;
}

/**
 * Tallies outcomes. `record(c, bridle, reference)` takes two attempts; outputs agree when
 * `same(a, b)` (default `===`); both failing agrees when Bridle's error is typed. A disagreement
 * goes to the class `classify(c, bridle, reference)` names (a known difference, or a bug: a
 * class one of whose `+`-joined parts is in `bugs`, where Bridle is wrong and the test fails
 * until it is fixed), else to `unclassified`.
 */
export class Tally {
  constructor(name, { classify = () => null, same = (a, b) => a === b, bugs = [] } = {}) {
    this.name = name;
    this.classify = classify;
    this.same = same;
    this.bugs = new Set(bugs);
    this.total = 0;
    this.agree = 0;
    this.classCounts = {};
    this.classExamples = {};
    this.unclassified = [];
  }

  record(c, bridle, reference) {
    this.total++;
    if (bridle.ok && reference.ok && this.same(bridle.value, reference.value)) return this.agree++, 'agree';
    if (!bridle.ok && !reference.ok && isTypedError(bridle.error)) return this.agree++, 'agree';
    const name = this.classify(c, bridle, reference);
    if (name) {
      this.classCounts[name] = (this.classCounts[name] ?? 0) + 1;
      this.classExamples[name] ??= { c, bridle: show(bridle), reference: show(reference) };
      return name;
    }
    this.unclassified.push({ c, bridle: show(bridle), reference: show(reference) });
    return 'unclassified';
  }

  isBug(name) {
    return name.split('+').some((part) => this.bugs.has(part));
  }

  counts(bugs) {
    return Object.entries(this.classCounts).filter(([k]) => this.isBug(k) === bugs);
  }

  /** The one-line summary, e.g. `mustache vs mustache.js (native): 4987/5000 agree (99.74%); 13 known (…)`. */
  line() {
    const rate = this.total ? ((100 * this.agree) / this.total).toFixed(2) : '0.00';
    const list = (entries) => entries.map(([k, n]) => `${k}: ${n}`).join(', ');
    const known = this.counts(false);
    const bugs = this.counts(true);
    const knownTotal = known.reduce((a, [, n]) => a + n, 0);
    let text = `${this.name} (${backend}): ${this.agree}/${this.total} agree (${rate}%); ${knownTotal} known${known.length ? ` (${list(known)})` : ''}`;
    if (bugs.length) text += `; BUGS (${list(bugs)})`;
    if (this.unclassified.length) text += `; ${this.unclassified.length} UNCLASSIFIED`;
    return text;
  }

  get rate() {
    return this.total ? this.agree / this.total : 0;
  }

  /**
   * Prints the line (and with DIFF_VERBOSE one example of each class), then fails if there is a
   * bug class, an unclassified disagreement, or agreement below `floor`, saying all of them.
   */
  report(floor) {
    console.log(this.line());
    if (process.env.DIFF_VERBOSE) {
      for (const [name, example] of Object.entries(this.classExamples)) console.log(`  ${name}: ${JSON.stringify(example).slice(0, 1500)}`);
    }
    const problems = [];
    for (const [name, n] of this.counts(true)) {
      problems.push(`BUG ${name} (${n}, reported; see docs/differential.md), e.g. ${JSON.stringify(this.classExamples[name]).slice(0, 1200)}`);
    }
    for (const u of this.unclassified.slice(0, 5)) problems.push(`unclassified: ${JSON.stringify(u).slice(0, 1500)}`);
    if (this.unclassified.length > 5) problems.push(`... ${this.unclassified.length - 5} more unclassified`);
    if (this.rate < floor) problems.push(`agreement ${(100 * this.rate).toFixed(2)}% fell below the floor ${(100 * floor).toFixed(2)}%`);
    assert.ok(problems.length === 0, `${this.name}:\n${problems.join('\n')}`);
  }
}

function show(result) {
  if (result.ok) return { value: result.value };
  const e = result.error;
  return { error: `${e?.name ?? 'Error'}${e?.code ? `[${e.code}]` : ''}: ${String(e?.message ?? e).slice(0, 300)}` };
}

/**
 * A `classify` for Tally from a reference that can be run with some of its documented
 * differences from Bridle undone: `render(c, modifications)` runs case `c` with the named ones.
 * A disagreement is classed when the reference with every modification (or, as two may get in
 * each other's way, every one but one) agrees with Bridle: the same output, or both failing with
 * a typed Bridle error. Its class is the modifications left after dropping, one at a time in
 * order, each that the agreement does not need (so each one named is needed), joined with `+`.
 */
export function classifierFrom({ modifications, render }) {
  return (c, bridle) => {
    const agrees = (subset) => {
      const reference = attempt(() => render(c, subset));
      return bridle.ok ? reference.ok && reference.value === bridle.value : !reference.ok && isTypedError(bridle.error);
    };
    const start = [modifications, ...modifications.map((left) => modifications.filter((m) => m !== left))].find(agrees);
    if (!start) return null;
    let needed = start;
    for (const name of start) {
      const without = needed.filter((m) => m !== name);
      if (agrees(without)) needed = without;
    }
    return needed.length ? needed.join('+') : null;
  };
}

/** Milliseconds since `started`, for the timing lines. */
export const since = (started) => `${Math.round(performance.now() - started)} ms`;
