// Seeded random chat-template cases: a Jinja template built the way model chat templates are
// (loops over messages reading `message['role']` and `message.content`, if/elif/else, set and
// namespace(), filters, `~` and `+` concatenation, loop variables, `{%- -%}`, raise_exception,
// bos/eos tokens, add_generation_prompt, break/continue, `{% generation %}`), and a random
// context: a message list with the variables transformers passes.
import { Rng } from '../../../shared/bench/workloads/rng.mjs';

const TEXTS = ['<|im_start|>', '<|im_end|>', '\n', '\n\n', '  ', '[INST] ', ' [/INST]', '<start_of_turn>', 'Hi', 'é', '漢字', '😀',
  ' ', ':', '<|eot_id|>', '\t', '### ', ' { ', ' } '];
const CONTENTS = ['Hello!', '', '  padded  ', 'line one\nline two', 'é漢字😀', '<b>&amp;</b> "q" \'s\'', '{{ not a tag }}', '{% raw %}',
  'What is 2+2?', '\n\nleading newlines', 'trailing  \n', 'a\\b', 'tab\there', 'ünïcödé ', '1e3', 'True', 'None'];
const ROLES = ['system', 'user', 'assistant', 'tool', 'user', 'assistant'];
const NUMBERS = [0, 1, -3, 42, 1.5, -2.25, 0.1 + 0.2, 1e21, 1e-7, 1e16, 123456789012, 2 ** 53, 12345678.9, 1 / 3, 2 ** 60];

/** A random value of the kinds chat-template contexts hold. */
function extra(rng) {
  switch (rng.int(0, 5)) {
    case 0: return rng.chance(0.5);
    case 1: return rng.pick(NUMBERS);
    case 2: return rng.pick(CONTENTS);
    case 3: return null;
    case 4: return [rng.pick(CONTENTS), rng.pick(NUMBERS)];
    default: return { type: 'function', name: rng.pick(['get_weather', 'search']), parameters: { type: 'object', properties: { q: { type: 'string' } } } };
  }
}

function message(rng) {
  const m = { role: rng.pick(ROLES) };
  const kind = rng.float();
  if (kind < 0.8) m.content = rng.pick(CONTENTS) + (rng.chance(0.3) ? rng.pick(CONTENTS) : '');
  else if (kind < 0.88) m.content = [{ type: 'text', text: rng.pick(CONTENTS) }, { type: 'image' }];
  else if (kind < 0.94) m.content = null;
  if (rng.chance(0.1)) m.name = rng.pick(['ana', 'bot', '']);
  if (m.role === 'assistant' && rng.chance(0.2)) m.tool_calls = [{ type: 'function', function: { name: 'get_weather', arguments: { city: rng.pick(['Paris', 'Zürich']) } } }];
  return m;
}

/** The context transformers renders with: messages, the special tokens, the flags, and extras. */
function context(rng) {
  const ctx = { messages: Array.from({ length: rng.chance(0.05) ? 0 : rng.int(1, 5) }, () => message(rng)) };
  if (rng.chance(0.2) && ctx.messages.length) ctx.messages[0].role = 'system';
  ctx.add_generation_prompt = rng.chance(0.5);
  if (rng.chance(0.9)) ctx.bos_token = rng.pick(['<s>', '<|begin_of_text|>', '']);
  if (rng.chance(0.9)) ctx.eos_token = rng.pick(['</s>', '<|eot_id|>']);
  if (rng.chance(0.3)) ctx.enable_thinking = rng.chance(0.5);
  if (rng.chance(0.6)) ctx.tools = [extra(rng), extra(rng)];
  if (rng.chance(0.4)) ctx.n = rng.pick(NUMBERS);
  if (rng.chance(0.3)) ctx.extra = extra(rng);
  return ctx;
}

class Writer {
  constructor(rng) {
    this.rng = rng;
    this.loopVars = []; // loop variables in scope, innermost last
    this.namespace = false; // whether `ns` is set
  }

  /** `{%` / `%}` with `-` now and then. */
  stmt(inner) {
    const { rng } = this;
    return `{%${rng.chance(0.25) ? '-' : ''} ${inner} ${rng.chance(0.25) ? '-' : ''}%}`;
  }

  out(inner) {
    const { rng } = this;
    return `{{${rng.chance(0.15) ? '-' : ''} ${inner} ${rng.chance(0.15) ? '-' : ''}}}`;
  }

  /** `message` in a loop over messages, else the first message. */
  msg() {
    return this.loopVars.includes('message') ? 'message' : this.rng.pick(['messages[0]', 'messages[-1]']);
  }

  string() {
    return this.rng.pick(["'<|im_start|>'", "'\\n'", "'user'", "'assistant'", "'system'", "' '", "'é😀'", '"[INST]"', "''"]);
  }

  /** An expression that is usually a string or a value to print. */
  value(depth = 2) {
    const { rng } = this;
    const m = this.msg();
    const simple = [
      `${m}['role']`, `${m}.role`, `${m}['content']`, `${m}.content`, 'bos_token', 'eos_token', this.string(), 'n', 'extra',
      'messages | length', 'add_generation_prompt', 'enable_thinking', `${m}.name`, `${m}['tool_calls']`, 'x',
    ];
    if (this.loopVars.length) simple.push('loop.index0', 'loop.index', 'loop.first', 'loop.last', 'loop.length', 'loop.revindex');
    if (this.namespace) simple.push('ns.n', 'ns.found', 'ns.text');
    if (depth <= 0) return rng.pick(simple);
    switch (rng.int(0, 12)) {
      case 0: return `${this.value(depth - 1)} + ${this.value(depth - 1)}`;
      case 1: return `${this.value(depth - 1)} ~ ${this.value(depth - 1)}`;
      case 2: return `${this.value(depth - 1)} | ${rng.pick(['trim', 'upper', 'lower', 'length', 'string', 'tojson', 'default("none")', 'first', 'last', 'capitalize', 'int', 'list', 'reverse | list', 'join(", ")'])}`;
      case 3: return `${this.value(depth - 1)} | tojson${rng.pick(['', '(indent=2)', '(ensure_ascii=True)', '(sort_keys=True)', '(separators=(",", ":"))'])}`;
      case 4: return `(${this.value(depth - 1)}) if ${this.condition(depth - 1)} else (${this.value(depth - 1)})`;
      case 5: return `messages | map(attribute='role') | join(${this.string()})`;
      case 6: return `messages | selectattr('role', 'equalto', ${rng.pick(["'user'", "'assistant'", "'system'"])}) | list | length`;
      case 7: return `${m}['content']${rng.pick(['.strip()', '.split()', ".startswith('a')", "[:5]", "[1:]", '.upper()', ".replace('\\n', ' ')", '.lstrip()', "[::-1]"])}`;
      case 8: return `tools | tojson(indent=4)`;
      case 9: return `${rng.pick(['range(3) | list', '[1, 2] | sum', "{'a': 1, 'b': [true, none]} | tojson", "'%d-%s' % (3, 'x')", '(n or 0) * 2', "n | round(2)", '10 // 3', '7 % 3', '2 ** 10', "'ab' * 3", "strftime_now('%Y-%m-%d %H:%M')"])}`;
      case 10: return `${m}.content | default(${this.string()}, true)`;
      default: return rng.pick(simple);
    }
  }

  condition(depth = 2) {
    const { rng } = this;
    const m = this.msg();
    const simple = [
      `${m}['role'] == ${rng.pick(["'user'", "'assistant'", "'system'", "'tool'"])}`, 'add_generation_prompt', `${m}.content is string`,
      `${m}.tool_calls is defined`, 'enable_thinking is defined and enable_thinking', "messages[0]['role'] == 'system'",
      `${m}.content`, 'tools', 'not add_generation_prompt', `'é' in ${m}['content']`, 'n is number', `${m}.name is defined`,
      'messages | length > 2', 'x is defined',
    ];
    if (this.loopVars.length) simple.push('loop.first', 'loop.last', 'not loop.last', 'loop.index0 % 2 == 0', `(${m}['role'] == 'user') != (loop.index0 % 2 == 0)`, 'loop.index is divisibleby(2)');
    if (this.namespace) simple.push('ns.found', 'ns.n > 1');
    if (depth <= 0 || rng.chance(0.6)) return rng.pick(simple);
    return rng.pick([`${this.condition(depth - 1)} and ${this.condition(depth - 1)}`, `${this.condition(depth - 1)} or ${this.condition(depth - 1)}`, `not (${this.condition(depth - 1)})`]);
  }

  piece(depth) {
    const { rng } = this;
    switch (rng.int(0, 13)) {
      case 0: case 1: return rng.pick(TEXTS);
      case 2: case 3: case 4: return this.out(this.value());
      case 5: case 6: return depth > 0 ? this.forLoop(depth) : rng.pick(TEXTS);
      case 7: case 8: return depth > 0 ? this.ifBlock(depth) : this.out(this.value(1));
      case 9: return this.setStatement();
      case 10: return rng.chance(0.5) ? `{# ${rng.pick(['note', 'multi\nline'])} #}` : `\n${rng.pick(['', '  '])}${this.stmt(`set x = ${this.value(1)}`)}\n`;
      case 11: return this.loopVars.length && rng.chance(0.5) ? this.stmt(rng.pick(['break', 'continue'])) : this.out(this.value(1));
      case 12: return depth > 0 && rng.chance(0.3) ? `${this.stmt('generation')}${this.body(depth - 1)}${this.stmt('endgeneration')}` : rng.pick(TEXTS);
      default: return `${rng.pick(TEXTS)}${this.out(this.value(0))}`;
    }
  }

  body(depth) {
    let out = '';
    for (let n = this.rng.int(1, 4); n > 0; n--) out += this.piece(depth);
    return out;
  }

  /** Statements usually stand on their own lines, where trim_blocks and lstrip_blocks act. */
  line(stmt) {
    return this.rng.chance(0.5) ? `${this.rng.pick(['', '  ', '\t'])}${stmt}\n` : stmt;
  }

  forLoop(depth) {
    const { rng } = this;
    const over = rng.pick(['messages', 'messages', 'messages[1:]', 'messages | reverse', "messages | selectattr('role', 'ne', 'system')", 'tools']);
    const variable = over === 'tools' ? 'tool' : 'message';
    const filter = rng.chance(0.15) ? " if message['role'] != 'tool'" : '';
    // A namespace set inside the loop is gone after it (Jinja scopes loop bodies).
    const namespace = this.namespace;
    this.loopVars.push(variable);
    const body = this.body(depth - 1);
    this.loopVars.pop();
    const elseBody = rng.chance(0.1) ? this.line(this.stmt('else')) + this.body(depth - 1) : '';
    this.namespace = namespace;
    return this.line(this.stmt(`for ${variable} in ${over}${variable === 'message' ? filter : ''}`)) + body + elseBody + this.line(this.stmt('endfor'));
  }

  ifBlock(depth) {
    const { rng } = this;
    let out = this.line(this.stmt(`if ${this.condition()}`)) + this.body(depth - 1);
    for (let n = rng.int(0, 2); n > 0; n--) out += this.line(this.stmt(`elif ${this.condition()}`)) + this.body(depth - 1);
    if (rng.chance(0.5)) out += this.line(this.stmt('else')) + (rng.chance(0.15) ? this.out(`raise_exception(${rng.pick(["'Conversation roles must alternate user/assistant/user/assistant/...'", "'é 😀 not supported'"])})`) : this.body(depth - 1));
    return out + this.line(this.stmt('endif'));
  }

  setStatement() {
    const { rng } = this;
    if (!this.namespace || rng.chance(0.2)) {
      this.namespace = true;
      return this.line(this.stmt("set ns = namespace(found=false, n=0, text='')"));
    }
    return this.line(this.stmt(rng.pick(['set ns.found = true', 'set ns.n = ns.n + 1', `set ns.text = ns.text ~ ${this.value(1)}`])));
  }
}

/** `count` cases `{ id, template, context, now }` from `seed`. */
export function jinjaCases({ seed, count, now }) {
  const cases = [];
  for (let i = 0; i < count; i++) {
    const rng = new Rng(seed * 100_043 + i);
    const writer = new Writer(rng);
    let template = rng.chance(0.5) ? writer.out('bos_token') : '';
    template += writer.body(2);
    if (rng.chance(0.6)) template += writer.line(writer.stmt('if add_generation_prompt')) + rng.pick(["{{ '<|im_start|>assistant\\n' }}", '<start_of_turn>model\n']) + writer.line(writer.stmt('endif'));
    cases.push({ id: i, template, context: context(rng), now });
  }
  return cases;
}
