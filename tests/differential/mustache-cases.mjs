// Seeded random Mustache cases: a template from a grammar of pieces (text with unicode, newlines
// and blank lines; every tag kind; dotted names; sections and inverted sections nested and now
// and then unbalanced; comments; standalone lines; delimiter changes; partials), the partials
// it may call, and random data.
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { KEYS, object } from './data.mjs';

const TEXT = ['Hello', ' ', 'a', 'é', '漢字', '😀', '\n', '\n\n', '  \n', '\t', '\r\n', '<p>', '&', '"', "'", ' - ', 'x y'];
const NAMES = [...KEYS, 'missing', '.', 'obj.a', 'obj.name', 'obj.obj.b', 'list.0', 'list.1.a', 'a.b', 'name.length'];
const SECTION_NAMES = [...KEYS, 'missing', 'obj.list', 'obj.obj', 'list.0', '.'];
const DELIMITERS = [['{{', '}}'], ['<%', '%>'], ['[[', ']]'], ['|', '|']];
const COMMENTS = [' note ', '', 'multi\nline', ' {{x ', '#/^'];
const PARTIAL_NAMES = ['p', 'q', 'nope'];

class Writer {
  constructor(rng, { partials, malformed }) {
    this.rng = rng;
    this.malformed = malformed; // whether sections may go unbalanced and tags unclosed
    this.open = '{{';
    this.close = '}}';
    this.partials = partials; // whether partial tags may appear
  }

  tag(inner) {
    return `${this.open}${inner}${this.close}`;
  }

  pad() {
    return this.rng.pick(['', '', ' ', '  ']);
  }

  /** A tag that may stand alone on its line: the spec removes such lines. */
  standalone(tagText) {
    if (!this.rng.chance(0.35)) return tagText;
    return `\n${this.rng.pick(['', ' ', '  ', '\t'])}${tagText}${this.rng.pick(['\n', '\n', '\r\n', ''])}`;
  }

  piece(depth) {
    const { rng } = this;
    const p = this.pad();
    switch (rng.int(0, 13)) {
      case 0: case 1: case 2: return rng.pick(TEXT);
      case 3: case 4: return this.tag(`${p}${rng.pick(NAMES)}${p}`);
      case 5: return `${this.open}{${p}${rng.pick(NAMES)}${p}}${this.close}`;
      case 6: return this.tag(`&${p}${rng.pick(NAMES)}${p}`);
      case 7: case 8: return depth > 0 ? this.section(depth) : rng.pick(TEXT);
      case 9: return this.standalone(this.tag(`!${rng.pick(COMMENTS)}`));
      case 10: return this.delimiters();
      case 11: return this.partials ? this.standalone(this.tag(`>${p}${rng.pick(PARTIAL_NAMES)}${p}`)) : rng.pick(TEXT);
      case 12: return this.unbalanced();
      default: return `${rng.pick(TEXT)}${rng.pick(TEXT)}`;
    }
  }

  body(depth) {
    let out = '';
    for (let n = this.rng.int(0, 5); n > 0; n--) out += this.piece(depth);
    return out;
  }

  section(depth) {
    const { rng } = this;
    const name = rng.pick(SECTION_NAMES);
    const kind = rng.chance(0.7) ? '#' : '^';
    const p = this.pad();
    const opening = this.standalone(this.tag(`${kind}${p}${name}${p}`));
    const inner = this.body(depth - 1);
    // Now and then unbalanced: no close, or a close naming another section.
    const roll = this.malformed ? rng.float() : 1;
    if (roll < 0.03) return opening + inner;
    const closeName = roll < 0.06 ? rng.pick(SECTION_NAMES) : name;
    return opening + inner + this.standalone(this.tag(`/${p}${closeName}${p}`));
  }

  delimiters() {
    const [open, close] = this.rng.pick(DELIMITERS);
    const text = this.standalone(this.tag(`=${open} ${close}=`));
    this.open = open;
    this.close = close;
    return text;
  }

  unbalanced() {
    // A stray close, an unclosed tag, or a tag with nothing in it: errors on both sides.
    const { rng } = this;
    if (!this.malformed || rng.chance(0.8)) return rng.pick(TEXT);
    return rng.pick([this.tag(`/${rng.pick(SECTION_NAMES)}`), `${this.open}${rng.pick(NAMES)}`, this.tag('')]);
  }
}

/** `count` cases `{ id, template, partials, data, escape }` from `seed`. */
export function mustacheCases({ seed, count }) {
  const cases = [];
  for (let i = 0; i < count; i++) {
    const rng = new Rng(seed * 100_003 + i);
    const partials = {};
    for (const name of ['p', 'q']) {
      if (rng.chance(0.8)) partials[name] = new Writer(rng, { partials: false, malformed: rng.chance(0.05) }).body(2);
    }
    const template = new Writer(rng, { partials: true, malformed: rng.chance(0.5) }).body(3);
    const data = rng.chance(0.1) ? rng.pick([[object(rng, 2), object(rng, 1)], 'text', 7]) : object(rng, 3);
    const escape = rng.chance(0.7) ? 'none' : 'html';
    cases.push({ id: i, template, partials, data, escape });
  }
  return cases;
}
