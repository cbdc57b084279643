// Seeded random Handlebars cases with the built-in helpers only: expressions over paths (`this`,
// `../`, `@root`, `@index`/`@key`/`@first`/`@last`, block parameters, `[0]`, `length`), `if`/
// `unless`/`each`/`with` with `else` and `else if` chains, blocks on plain values, `lookup`,
// comments of both kinds, `~` whitespace control, standalone lines, partials (with a context,
// hash arguments, partial blocks, inline partials), raw blocks, triple-stash and `\{{`; now and
// then unbalanced. Data from data.mjs.
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { KEYS, object, value } from './data.mjs';

const TEXT = ['Hi', ' ', 'a', 'é', '漢字', '😀', '\n', '\n\n', '  \n', '\t', '\r\n', '<p>', '&', '"', "'", '`=`', ' - ', 'x y'];
// Text that may run into a tag and change it (`{` before `{{a}}` makes a triple-stash opening).
const BRACES = ['{', '{{', '}', '}}', '\\'];
const PATHS = [...KEYS, 'missing', 'this', '.', 'this.a', './name', 'obj.a', 'obj.name', 'obj.obj.b', 'list.[0]', 'list.[1].a',
  'list.length', 'name.length', '../a', '../name', '../../b', '@root.a', '@root.obj.name', '@index', '@key', '@first', '@last',
  'item', 'key', 'item.a', '[a]', 'a/b', '@../index', '@../key', '@root', '../this', 'this.[0]'];
const BLOCK_TARGETS = [...KEYS, 'missing', 'this', 'obj.list', 'obj.obj', '../list', '@root.obj', 'item', '@first', '@index',
  '(lookup this "obj")', '(lookup list 0)', '(lookup obj "list")'];
const LITERALS = ['"a"', "'name'", '0', '1', 'true', 'null'];
const PARTIAL_NAMES = ['p', 'q', 'nope'];

class Writer {
  constructor(rng, { partials, malformed }) {
    this.rng = rng;
    this.partials = partials; // whether partial tags may appear
    this.malformed = malformed; // whether blocks may go unbalanced
  }

  /** `{{`, with `~` now and then, the same for `}}`. */
  open() {
    return this.rng.chance(0.12) ? '{{~' : '{{';
  }

  close() {
    return this.rng.chance(0.12) ? '~}}' : '}}';
  }

  pad() {
    return this.rng.pick(['', '', ' ']);
  }

  /** A tag that may stand alone on its line: handlebars.js removes such lines. */
  standalone(text) {
    if (!this.rng.chance(0.35)) return text;
    return `\n${this.rng.pick(['', ' ', '  ', '\t'])}${text}${this.rng.pick(['\n', '\n', '\r\n', ''])}`;
  }

  expression() {
    const { rng } = this;
    const p = this.pad();
    const path = rng.pick(PATHS);
    switch (rng.int(0, 9)) {
      case 0: return `${this.open()}{${p}${path}${p}}${this.close()}`;
      case 1: return `${this.open()}&${p}${path}${p}${this.close()}`;
      case 2: return `${this.open()}lookup ${rng.pick(['this', 'obj', 'list', '@root', '..', '(lookup this "obj")'])} ${rng.pick([...LITERALS, '@index', '@key', 'key', '(lookup this "name")'])}${this.close()}`;
      case 3: return `{{{${p}${path}${p}}}}`;
      case 4: return `${this.open()}${p}${rng.pick(LITERALS)}${p}${this.close()}`;
      default: return `${this.open()}${p}${path}${p}${this.close()}`;
    }
  }

  comment() {
    return this.standalone(this.rng.chance(0.5) ? `{{! ${this.rng.pick(['note', '', 'two\nlines'])} }}` : `{{!-- ${this.rng.pick(['has }} inside', 'x', ''])} --}}`);
  }

  piece(depth) {
    const { rng } = this;
    switch (rng.int(0, 15)) {
      case 0: case 1: case 2: return rng.pick(TEXT);
      case 3: case 4: case 5: return this.expression();
      case 6: case 7: case 8: return depth > 0 ? this.block(depth) : rng.pick(TEXT);
      case 9: return this.comment();
      case 10: return this.partials ? this.partial(depth) : rng.pick(TEXT);
      case 11: return rng.pick(['\\{{a}}', '\\{{{b}}}', '\\\\{{name}}', '{{{{raw}}}} {{a}} {{#if}} {{{{/raw}}}}', '{{{{raw}}}}{{{{/raw}}}}']);
      case 12: return this.malformed ? rng.pick(['{{/if}}', '{{#if a}}', '{{a', '{{else}}', '{{}}', '{{#each}}{{/each}}', '{{name a}}', ...BRACES]) : rng.pick(TEXT);
      default: return `${rng.pick(TEXT)}${rng.pick(TEXT)}`;
    }
  }

  body(depth) {
    let out = '';
    for (let n = this.rng.int(0, 5); n > 0; n--) out += this.piece(depth);
    return out;
  }

  block(depth) {
    const { rng } = this;
    const kind = rng.pick(['if', 'if', 'unless', 'each', 'each', 'with', 'plain', 'inverse']);
    // A block on a plain value needs a path, not a subexpression.
    const target = kind === 'plain' || kind === 'inverse' ? rng.pick(BLOCK_TARGETS.filter((t) => !t.startsWith('('))) : rng.pick(BLOCK_TARGETS);
    const params = (kind === 'each' || kind === 'with') && rng.chance(0.3) ? ` as |item${kind === 'each' && rng.chance(0.5) ? ' key' : ''}|` : '';
    const opening = {
      if: `#if ${target}${rng.chance(0.1) ? ' includeZero=true' : ''}`,
      unless: `#unless ${target}`,
      each: `#each ${target}${params}`,
      with: `#with ${target}${params}`,
      plain: `#${target}`,
      inverse: `^${target}`,
    }[kind];
    const name = { if: 'if', unless: 'unless', each: 'each', with: 'with', plain: target, inverse: target }[kind];
    let out = this.standalone(`${this.open()}${opening}${this.close()}`) + this.body(depth - 1);
    if (kind !== 'inverse' && rng.chance(0.35)) {
      const chain = rng.chance(0.3) ? ` ${rng.pick(['if', 'if', 'unless', 'each', 'with'])} ${rng.pick(BLOCK_TARGETS)}` : '';
      out += this.standalone(`${this.open()}${rng.chance(0.8) ? 'else' : '^'}${chain}${this.close()}`) + this.body(depth - 1);
    }
    const roll = this.malformed ? rng.float() : 1;
    if (roll < 0.03) return out;
    const closing = roll < 0.06 ? rng.pick(['if', 'each', 'with', ...KEYS]) : name;
    return out + this.standalone(`${this.open()}/${closing}${this.close()}`);
  }

  partial(depth) {
    const { rng } = this;
    const name = rng.pick(PARTIAL_NAMES);
    switch (rng.int(0, 6)) {
      case 0: return this.standalone(`{{> ${name} ${rng.pick(['this', 'obj', 'list.[0]', '..'])}}}`);
      case 1: return this.standalone(`{{> ${name} a=${rng.pick(['name', '"lit"', '1', 'obj'])}}}`);
      case 2: return depth > 0 ? this.standalone(`{{#> ${name}}}`) + this.body(depth - 1) + this.standalone(`{{/${name}}}`) : '';
      case 3: return depth > 0 ? this.standalone('{{#*inline "ip"}}') + this.body(depth - 1) + this.standalone('{{/inline}}') + this.standalone('{{> ip}}') : '';
      default: return this.standalone(`${this.open()}> ${name}${this.close()}`);
    }
  }
}

/** `count` cases `{ id, template, partials, data, escape }`; `escape` is `html`, `none` or `noEscape`. */
export function handlebarsCases({ seed, count }) {
  const cases = [];
  for (let i = 0; i < count; i++) {
    const rng = new Rng(seed * 100_019 + i);
    const partials = {};
    for (const name of ['p', 'q']) {
      if (!rng.chance(0.8)) continue;
      let source = new Writer(rng, { partials: false, malformed: rng.chance(0.03) }).body(2);
      if (rng.chance(0.3)) source += rng.pick(['{{> @partial-block}}', '{{a}}{{> @partial-block }}\n']);
      partials[name] = source;
    }
    const template = new Writer(rng, { partials: true, malformed: rng.chance(0.3) }).body(3);
    const data = object(rng, 3);
    if (rng.chance(0.3)) data.raw = value(rng, 1);
    const escape = rng.pick(['none', 'none', 'html', 'noEscape']);
    cases.push({ id: i, template, partials, data, escape });
  }
  return cases;
}
