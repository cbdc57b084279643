// mustache.js as the reference, and variants of it with documented differences from Bridle
// undone: patches of its source (each changes one behaviour to the spec's, or to Bridle's) and
// ways of calling it. A disagreement that a set of them explains is of that class exactly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { exactBigIntegers } from './data.mjs';

const require = createRequire(import.meta.url);
const SOURCE = readFileSync(require.resolve('mustache/mustache.mjs'), 'utf8');

/** Each patch: the mustache.js source it replaces, and the replacement. */
export const PATCHES = {
  // mustache.js strips the whitespace of any line holding tags and no other text, however many
  // tags; the spec makes only a line with one standalone tag standalone.
  'standalone-one-tag': [
    ['if (hasTag && !nonSpace) {', 'if (hasTag && !nonSpace && tagIndex === 1) {'],
  ],
  // mustache.js indents a standalone partial by inserting the indentation before each non-empty
  // line of its source, then parses that (and also indents, from the second line on, a partial
  // that is the first tag on a line after some text). Bridle indents what the partial writes: each
  // output line it starts, blank ones included, and only for a standalone partial. The two differ
  // where a line of the partial starts inside a section that renders nothing, or the partial's
  // output goes on on a line that a skipped newline did not end, and on blank lines.
  'partial-indented-by-output-line': [
    ['if (tagIndex == 0 && indentation) {\n      indentedValue = this.indentPartial(value, indentation, lineHasNonSpace);\n    }\n    var tokens = this.parse(indentedValue, tags);\n    return this.renderTokens(tokens, context, partials, indentedValue, config);',
      `var tokens = this.parse(value, tags);
    var saved = this.indentNow || '';
    if (token[8] && indentation) { this.indentNow = saved + indentation; this.atLineStart = true; }
    try { return this.renderTokens(tokens, context, partials, value, config); } finally { this.indentNow = saved; }`],
    ['token = [ type, value, start, scanner.pos, indentation, tagIndex, lineHasNonSpace ];',
      'token = [ type, value, start, scanner.pos, indentation, tagIndex, lineHasNonSpace, null, false ]; partialTokens.push(token);'],
    ['var tagIndex = 0;      // Stores a count of number of tags encountered on a line',
      'var tagIndex = 0; var partialTokens = [];'],
    // A partial tag is standalone when its line held nothing else: mark it when the line ends.
    ['  function stripSpace () {\n',
      '  function stripSpace () {\n    if (hasTag && !nonSpace && tagIndex === 1) for (const t of partialTokens) t[8] = true;\n    partialTokens = [];\n'],
    ["    else if (symbol === 'text') value = this.rawValue(token);\n",
      `    else if (symbol === 'text') value = this.rawValue(token);
    if (symbol === 'text') value = this.writeText(value);
    else if (symbol === '&' || symbol === 'name') value = this.writeValue(value);
`],
    ['  var tokens = this.parse(template, tags);\n  var context = (view instanceof Context)',
      `  this.atLineStart = true; this.indentNow = '';
  var tokens = this.parse(template, tags);
  var context = (view instanceof Context)`],
    ['Writer.prototype.renderTokens = function renderTokens', `Writer.prototype.writeText = function writeText (text) {
  if (!text) return text;
  if (!this.indentNow) { this.atLineStart = text.endsWith('\\n'); return text; }
  var out = '';
  for (var line of text.split(/(?<=\\n)/)) {
    if (this.atLineStart) out += this.indentNow;
    out += line;
    this.atLineStart = line.endsWith('\\n');
  }
  return out;
};

Writer.prototype.writeValue = function writeValue (value) {
  var prefix = this.atLineStart && this.indentNow ? this.indentNow : '';
  this.atLineStart = false;
  return value === undefined ? (prefix || undefined) : prefix + value;
};

Writer.prototype.renderTokens = function renderTokens`],
  ],
  // mustache.js resolves every part of a dotted name in each context of the stack in turn; the
  // spec resolves the first part on the stack and the rest inside that value only.
  'dotted-name-first-part-only': [
    ['        while (intermediateValue != null && index < names.length) {',
      '        const firstHit = hasProperty(context.view, names[0]);\n        while (intermediateValue != null && index < names.length) {'],
    ['            );\n\n          intermediateValue = intermediateValue[names[index++]];\n        }',
      '            );\n\n          intermediateValue = intermediateValue[names[index++]];\n        }\n        if (firstHit) lookupHit = true;'],
  ],
  // mustache.js reads the `length` of a list or a string in a dotted name (`{{list.length}}`, and
  // the common idiom `{{#list.length}}…{{/list.length}}`); Bridle finds no such name.
  'no-length-property': [
    ['          intermediateValue = intermediateValue[names[index++]];',
      "          if (names[index] === 'length' && (typeof intermediateValue === 'string' || Array.isArray(intermediateValue))) { intermediateValue = undefined; index++; continue; }\n          intermediateValue = intermediateValue[names[index++]];"],
  ],
  // mustache.js reads a string's characters in a dotted name (`{{s.0}}` is its first character,
  // so `{{#s.0}}` is true for any non-empty string); Bridle finds no such name.
  'no-string-index': [
    ['          intermediateValue = intermediateValue[names[index++]];',
      "          if (typeof intermediateValue === 'string' && /^\\d+$/.test(names[index])) { intermediateValue = undefined; index++; continue; }\n          intermediateValue = intermediateValue[names[index++]];"],
  ],
  // mustache.js renders a section over `true` in the current context; the spec (and Bridle)
  // pushes the value, so `{{#flag}}{{.}}{{/flag}}` prints `true`.
  'true-pushed-as-context': [
    ['  } else {\n    buffer += this.renderTokens(token[4], context, partials, originalTemplate, config);\n  }\n  return buffer;',
      '  } else {\n    buffer += this.renderTokens(token[4], context.push(value), partials, originalTemplate, config);\n  }\n  return buffer;'],
  ],
  // mustache.js throws a TypeError when a null list item is the context and a plain name is
  // looked up in it (`{{#list}}{{name}}{{/list}}` with `list: [null]`); Bridle looks further up.
  'null-list-item-context': [
    ['        intermediateValue = context.view[name];', '        intermediateValue = context.view == null ? undefined : context.view[name];'],
  ],
  // mustache.js reads `{{}}`, `{{ }}`, `{{#}}…{{/}}` as the name ''; Bridle refuses an empty name.
  'empty-name-refused': [
    ["      throw new Error('Unclosed tag at ' + scanner.pos);\n",
      "      throw new Error('Unclosed tag at ' + scanner.pos);\n    if (value === '' && type !== '!' && type !== '>' && type !== '=') throw new Error('empty tag name');\n"],
  ],
};

const cache = new Map();

/** mustache.js with the named patches applied (none: mustache.js as published), built once. */
export function mustacheWith(patchNames = []) {
  const names = Object.keys(PATCHES).filter((name) => patchNames.includes(name));
  const key = names.join('+');
  if (!cache.has(key)) {
    let source = SOURCE;
    for (const name of names) {
      for (const [find, replacement] of PATCHES[name]) {
        if (!source.includes(find)) throw new Error(`mustache.js patch ${name}: source text not found: ${find}`);
        source = source.replace(find, () => replacement);
      }
    }
    // The module has no imports and one default export: a function body that returns it.
    const mustache = new Function(source.replace('export default mustache;', 'return mustache;'))();
    mustache.templateCache = undefined;
    cache.set(key, mustache);
  }
  return cache.get(key);
}

/** The escape mustache.js uses when asked to escape nothing: the value as text. */
export const noEscape = (value) => String(value);

/** The spec's HTML escape, which Bridle's `escape: "html"` is: `& < > "` only. */
const SPEC_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const specEscape = (value) => String(value).replace(/[&<>"]/g, (c) => SPEC_ENTITIES[c]);

/**
 * Three modifications that are ways of calling rather than patches:
 * - Bridle compiles every partial with the template (so a partial that does not parse fails the
 *   compile even if unused); mustache.js parses a partial when it is first rendered. This
 *   variant parses them all up front.
 * - mustache.js's HTML escape also writes `' / \` =` as entities; the spec's, and Bridle's, does
 *   not. This variant escapes as the spec does.
 * - Bridle prints an integral number beyond 2^53 that fits a 64-bit integer with all its digits
 *   (`944162683095783040`) where JavaScript writes the shortest digits that read back as the same
 *   number (`944162683095783000`). This variant hands mustache.js such numbers as BigInts.
 */
export const EAGER_PARTIALS = 'partials-parsed-up-front';
export const SPEC_ESCAPE = 'escape-spec-set';
export const EXACT_BIG_INTEGERS = 'big-integers-printed-exactly';

/** Every modification: the patches, and the three ways of calling above. */
export const MODIFICATIONS = [...Object.keys(PATCHES), EAGER_PARTIALS, SPEC_ESCAPE, EXACT_BIG_INTEGERS];

/**
 * Renders a case `{ template, data, partials, escape }` with mustache.js as Bridle is configured,
 * with the named `modifications` made.
 */
export function renderWith(c, modifications = []) {
  const mustache = mustacheWith(modifications);
  if (modifications.includes(EAGER_PARTIALS)) for (const source of Object.values(c.partials)) mustache.parse(source);
  // Bridle's `escape: "none"` against no escaping; `"html"` against mustache.js's own escape.
  const escape = c.escape === 'none' ? noEscape : modifications.includes(SPEC_ESCAPE) ? specEscape : undefined;
  const data = modifications.includes(EXACT_BIG_INTEGERS) ? exactBigIntegers(c.data) : c.data;
  return mustache.render(c.template, data, c.partials, escape ? { escape } : undefined);
}
