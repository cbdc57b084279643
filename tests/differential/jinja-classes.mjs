// The known differences between Bridle's Jinja and Jinja2 as transformers configures it, and how
// a disagreement is put in one: the smallest combination of a Bridle-side variant (the same case
// through the other Bridle path, or with transformers' default variables), Jinja2-side variants
// (jinja_reference.py's flags, one or two), the float-spelling normalisation and the
// lenient-error predicates under which the two agree. docs/differential.md gives each class's reason.
import { applyChatTemplate } from 'bridle';
import { attempt, isTypedError } from './harness.mjs';

/** Jinja2-side variants: a name, and the jinja_reference.py flags for it. */
const REFERENCE_VARIANTS = [
  ['tojson-undefined-is-null', ['tojson_undefined_null']],
  ['int-filter-fails-on-text', ['int_strict']],
  ['no-percent-formatting', ['no_percent_format']],
  ['generation-is-an-if-block', ['generation_inline']],
  ['for-else-if-no-iteration', ['for_else_if_no_iteration']],
];

/** The classes that are Bridle bugs (reported; they fail the test); the others are known differences. */
export const BUG_CLASSES = new Set([
  'template-render-differs-from-apply', 'transformers-defaults-missing', 'int-filter-fails-on-text',
]);

/** Python's repr of a float: exponent form below 1e-4 and from 1e16 on, with a sign and two digits. */
export function pythonFloat(x) {
  const [mantissa, exponent] = x.toExponential().split('e');
  const e = Number(exponent);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const text = String(x);
  return Number.isInteger(x) ? `${text}.0` : text;
}

/**
 * Bridle's output with each float written as Python writes it: where Python switches to the
 * exponent form, Bridle writes positional text (`1000000000000000000000.0`, `0.0000001`) in `{{ }}`,
 * `~` and `string`, and an exponent without sign or padding (`1e21`, `1e-7`) in lists.
 */
export function floatsAsPython(text) {
  return text.replace(/[1-9]\d{16,}\.0|0\.0000\d+|\d(?:\.\d+)?e-?\d+/g, (token) => {
    const x = Number(token);
    const e = Number(x.toExponential().split('e')[1]);
    return e < -4 || e >= 16 ? pythonFloat(x) : token;
  });
}

const sameOutcome = (bridle, reference) => (bridle.ok
  ? reference.ok && reference.value === bridle.value
  : !reference.ok && isTypedError(bridle.error));

const asAttempt = (result) => (result.ok ? { ok: true, value: result.output } : { ok: false, error: Object.assign(new Error(result.message), { name: result.kind }) });

/** The same case through the other Bridle path, or with transformers' default variables. */
function bridleVariant(c) {
  if (c.api === 'render') {
    // Template.render hands the data over packed; applyChatTemplate as JSON text.
    return ['template-render-differs-from-apply', attempt(() => applyChatTemplate(c.template, { ...c.context, now: c.now }))];
  }
  // transformers always passes tools, documents (None when not given) and add_generation_prompt.
  return ['transformers-defaults-missing', attempt(() => applyChatTemplate(c.template, { tools: null, documents: null, add_generation_prompt: false, ...c.context, now: c.now }))];
}

/**
 * Classes every disagreement in `disagreements` (`{ c, bridle, reference }`, attempts), asking
 * `python` for the Jinja2-side variants (one, then two at a time, only for what is left).
 * Returns a Map from case to class name (absent: unclassified).
 */
export async function classify(disagreements, python) {
  const classes = new Map();
  const variantResults = new Map(disagreements.map((d) => [d, new Map([['', d.reference]])]));
  const bridleResults = new Map(disagreements.map((d) => [d, [['', d.bridle], bridleVariant(d.c)]]));

  const search = (d, maxParts) => {
    for (const normalise of [false, true]) {
      for (const [bridleName, bridle] of bridleResults.get(d)) {
        for (const [referenceName, reference] of variantResults.get(d)) {
          const parts = [bridleName, referenceName, normalise ? 'float-spelling' : ''].filter(Boolean);
          const count = parts.length ? parts.join('+').split('+').length : 0;
          if (count > maxParts) continue;
          const a = normalise && bridle.ok ? { ok: true, value: floatsAsPython(bridle.value) } : bridle;
          if (sameOutcome(a, reference)) return parts.join('+');
          const lenient = !normalise && lenientClass(bridle, reference);
          if (lenient && count < maxParts) return [...parts, lenient].join('+');
        }
      }
    }
    return null;
  };

  const ask = async (pending, combos) => {
    const requests = [];
    for (const d of pending) {
      for (const combo of combos) {
        const flags = combo.flatMap((name) => REFERENCE_VARIANTS.find(([n]) => n === name)[1]);
        requests.push({ d, name: combo.join('+'), request: { template: d.c.template, context: d.c.referenceContext, now: d.c.now, flags } });
      }
    }
    const results = await python.renderAll(requests.map((r) => r.request));
    requests.forEach((r, i) => variantResults.get(r.d).set(r.name, asAttempt(results[i])));
  };

  const names = REFERENCE_VARIANTS.map(([name]) => name);
  let pending = disagreements.filter((d) => !tryClass(d, 1));
  await ask(pending, names.map((n) => [n]));
  pending = pending.filter((d) => !tryClass(d, 2));
  await ask(pending, names.flatMap((a, i) => names.slice(i + 1).map((b) => [a, b])));
  pending = pending.filter((d) => !tryClass(d, 3));
  return classes;

  function tryClass(d, maxParts) {
    const name = search(d, maxParts);
    if (name) classes.set(d.c, name);
    return name !== null;
  }
}

/**
 * Where Jinja2 fails and Bridle (minijinja's lenient undefined) goes on: an operation on an
 * undefined value other than printing, testing or iterating it (`x[:5]`, `x | int`, assigning
 * to an attribute of an undefined `ns`), or an operation on `None` (`none[:5]`, `none | join`).
 */
function lenientClass(bridle, reference) {
  if (!bridle.ok || reference.ok) return null;
  const { name, message } = reference.error;
  if (name === 'UndefinedError' || /non-namespace object/.test(message)) return 'lenient-undefined';
  if (name === 'TypeError' && /NoneType/.test(message)) return 'lenient-none';
  return null;
}
