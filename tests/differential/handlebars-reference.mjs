// handlebars.js as the reference, configured as Bridle is: `escape: "html"` against its default
// escaping; Bridle's default (no escaping, but `{{ }}` still makes text) against handlebars.js
// with its `escapeExpression` made to escape nothing; and, to exercise the documented difference,
// Bridle's default against handlebars.js's `noEscape: true`. Variants of the reference, each with
// one documented behaviour changed to Bridle's, class the disagreements.
import Handlebars from 'handlebars';
import { exactBigIntegers } from './data.mjs';

const { Utils } = Handlebars;
const htmlEscapeExpression = Utils.escapeExpression;

/** handlebars.js's escapeExpression without the escaping: a value becomes text as it would. */
function textExpression(value) {
  if (typeof value === 'string') return value;
  if (value && value.toHTML) return value.toHTML();
  if (value == null) return '';
  return `${value}`;
}

/**
 * The modifications, each a documented difference (docs/handlebars.md, docs/differential.md):
 * - `partials-compiled-eagerly`: Bridle compiles every partial with the template, so one that
 *   does not parse fails the compile even if unused; handlebars.js compiles a partial on first use.
 * - `noescape-number-addition`: handlebars.js with `noEscape` joins adjacent `{{ }}` outputs with
 *   JavaScript's `+`, so numbers add up (`{{a}}{{b}}` with 1 and 2 is `3`); Bridle's `{{ }}` always
 *   makes text. The variant runs the case with the non-escaping escapeExpression instead.
 * - `big-integers-printed-exactly`: Bridle prints an integral number beyond 2^53 that fits 64 bits
 *   with all its digits, JavaScript with the shortest that read back; the variant passes BigInts.
 * - `lone-surrogate-replaced`: Bridle's strings are UTF-8, so half a surrogate pair (`{{s.[0]}}`
 *   of `"😀"`) comes out as U+FFFD, as lone surrogates in the data do.
 * - `root-context-holds-only-read-names` (a bug): Bridle hands the core only the top-level names
 *   the template reads (`c.variables`), and the context that `this`, `.` and `@root` pass on as
 *   a value is that object, so `{{#with this as |item|}}{{item.a}}{{/with}}` misses `a`. The
 *   variant renders with the context cut to those names (`@root` still the whole data).
 */
export const MODIFICATIONS = ['partials-compiled-eagerly', 'noescape-number-addition', 'big-integers-printed-exactly', 'lone-surrogate-replaced',
  'root-context-holds-only-read-names'];

const pick = (data, names) => Object.fromEntries(names.filter((name) => Object.hasOwn(data, name)).map((name) => [name, data[name]]));

/** Renders a case `{ template, partials, data, escape }` with handlebars.js, with `modifications`. */
export function renderWith(c, modifications = []) {
  if (modifications.includes('partials-compiled-eagerly')) for (const source of Object.values(c.partials)) Handlebars.precompile(source);
  const noEscape = c.escape === 'noEscape' && !modifications.includes('noescape-number-addition');
  let data = modifications.includes('big-integers-printed-exactly') ? exactBigIntegers(c.data) : c.data;
  const runtime = { partials: c.partials };
  if (modifications.includes('root-context-holds-only-read-names') && c.variables) {
    runtime.data = { root: data };
    data = pick(data, c.variables);
  }
  // A compiled template reads Utils.escapeExpression when it first renders, so swap it around
  // the whole compile-and-render.
  Utils.escapeExpression = c.escape === 'html' ? htmlEscapeExpression : textExpression;
  try {
    const output = Handlebars.compile(c.template, { noEscape })(data, runtime);
    return modifications.includes('lone-surrogate-replaced') ? output.toWellFormed() : output;
  } finally {
    Utils.escapeExpression = htmlEscapeExpression;
  }
}
