// JSON from models: random documents (valid, escaped in odd ways, or damaged) streamed through
// JsonStream in random chunks (strings or UTF-8 bytes, with random options and sometimes a
// schema), recording after every chunk the value, the changes and the violation, then the end;
// and random near-JSON and prose through repairJson, extractJson, parseList, parseFields,
// parseTagged and a TaggedStream cut at random.
import { byteChunksOf, chunksOf, mutateText, randomString, randomValue, words } from '../gen.mjs';
import { attempt, digest } from '../observe.mjs';

const STREAM_SCHEMAS = [
  { type: 'object', properties: { a: { type: 'string', maxLength: 5 }, n: { type: 'integer' } }, required: ['a'], additionalProperties: false },
  { type: 'array', maxItems: 3, items: { type: 'number' } },
  { enum: [1, 'x', null] },
  { anyOf: [{ type: 'string' }, { type: 'number' }] },
  { type: 'object', properties: { items: { type: 'array', items: { type: 'object', required: ['name'] } } } },
];

/** JSON text with some characters written as \u escapes (pairs, lone surrogates, controls). */
function escapeSome(rng, text) {
  return text.replace(/"([^"\\]*)"/g, (whole, inner) => {
    if (!rng.chance(0.2)) return whole;
    let out = '';
    for (const char of inner) {
      const hex = (c) => c.charCodeAt(0).toString(16).padStart(4, '0');
      out += rng.chance(0.3) ? [...char].map((c) => `\\u${rng.chance(0.5) ? hex(c) : hex(c).toUpperCase()}`).join('') : char;
    }
    if (rng.chance(0.1)) out += rng.pick(['\\ud800', '\\udc00', '\\ud83d\\ude00', '\\u0000', '\\/', '\\b\\f\\n\\r\\t']);
    return `"${out}"`;
  });
}

/** A JSON document, valid or damaged in the ways streams break. */
export function randomDocument(rng) {
  const options = { json: true, maxDepth: 3, long: false };
  const entries = Array.from({ length: rng.int(1, 5) }, () => [rng.pick(['a', 'items', 'n', 'name', 'é', 'a']), randomValue(rng, options)]);
  const value = rng.chance(0.1) ? randomValue(rng, { ...options, maxDepth: 0 }) : rng.chance(0.15) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
  let text = JSON.stringify(value, null, rng.chance(0.3) ? rng.pick([2, '\t', ' ']) : undefined);
  if (rng.chance(0.3)) text = escapeSome(rng, text);
  const roll = rng.float();
  if (roll < 0.15) text = mutateText(rng, text, rng.int(1, 2), [',', ']', '}', '"', ':', 'x', '\\', '01', '-', 'tru', '\n', '\u0000', '\ud800']);
  else if (roll < 0.25) text = text.slice(0, rng.int(0, text.length));
  else if (roll < 0.32) text = `${rng.pick(['Sure! ', 'Here:\n```json\n', '```\n', 'The answer is '])}${text}${rng.pick(['', '\n```', ' Hope it helps.', ' {"second": 1}'])}`;
  else if (roll < 0.36) text = '['.repeat(rng.int(5, 40)) + ']'.repeat(rng.int(0, 40));
  else if (roll < 0.4) text = rng.pick(['-', '01', '1e', '1.', '.5', 'nul', '"\\x"', '\ufeff{}', '{"a":1}{"b":2}', '   ', '', '[1,]', '{"a" 1}', '"unterminated', '1e400', '-0', '123456789012345678901234567890']);
  return text;
}

function makeStreamCase(rng) {
  const text = randomDocument(rng);
  const options = {};
  if (rng.chance(0.3)) options.partialStrings = rng.chance(0.5);
  if (rng.chance(0.3)) options.partialContainers = rng.chance(0.5);
  if (rng.chance(0.25)) options.extract = true;
  if (rng.chance(0.1)) options.maxDepth = rng.chance(0.8) ? rng.int(1, 12) : rng.pick([2 ** 32, 2 ** 32 + 2, 2 ** 53]);
  if (rng.chance(0.2)) options.schema = rng.pick(STREAM_SCHEMAS);
  if (options.schema && rng.chance(0.3)) options.onViolation = 'throw';
  if (rng.chance(0.02)) options[rng.pick(['nosuch', 'maxDepth', 'onViolation'])] = 'bad';
  const bytes = rng.chance(0.3);
  return { text, options, chunks: bytes ? byteChunksOf(rng, new TextEncoder().encode(text)) : chunksOf(rng, text) };
}

function runStreamCase(bridle, c) {
  const stream = new bridle.JsonStream(c.options);
  try {
    // After each chunk: a digest of the live value (its full form would make the report
    // quadratic), what the chunk changed, and the violation. After an error one more push
    // shows what a broken stream does, then the end.
    const steps = [];
    for (const chunk of c.chunks) {
      const step = attempt(() => {
        const { value, changes, violation } = stream.push(chunk);
        return digest({ value, changes, violation }, 24);
      });
      steps.push(step);
      if (step instanceof Error) {
        steps.push(attempt(() => stream.push(chunk)));
        break;
      }
    }
    const end = attempt(() => stream.end());
    return { steps, end, value: stream.value, violation: stream.violation, validation: stream.validation };
  } finally {
    stream.free();
  }
}

// ---------------------------------------------------------------------------------------------

/** JSON damaged as models damage it: quotes, comments, literals, trailing commas, prose, cuts. */
function nearJson(rng) {
  let text = JSON.stringify(randomValue(rng, { json: true, maxDepth: 3, long: false, keys: ['a', 'name', 'items', 'n', 'é', 'tags'] }), null, rng.chance(0.4) ? 2 : undefined);
  const damage = [
    () => text.replace(/"([a-zé]+)":/g, (w, key) => (rng.chance(0.5) ? `${key}:` : w)),
    () => text.replace(/"/g, () => (rng.chance(0.3) ? "'" : '"')),
    () => text.replace(/([\]}])/g, (w) => (rng.chance(0.3) ? `,${w}` : w)),
    () => text.replace(/true|false|null/g, (w) => (rng.chance(0.5) ? { true: 'True', false: 'False', null: rng.pick(['None', 'undefined', 'NaN']) }[w] : w)),
    () => text.replace(/,/g, (w) => (rng.chance(0.2) ? `, // note\n` : rng.chance(0.1) ? ' /* c */,' : rng.chance(0.1) ? '' : w)),
    () => text.replace(/"([^"]*)"/, '“$1”'),
    () => text.replace(/\d+/, (w) => rng.pick([`+${w}`, `0${w}`, '.5', '0x1F', '-Infinity'])),
    () => text.replace(/"([^"]*)"/, (w, inner) => `"${inner}\n\t${rng.pick(['\\q', '\\x41', ''])}"`),
    () => text.slice(0, rng.int(0, text.length)),
    () => `${rng.pick(['Sure! ', 'Here you go:\n```json\n', '```\n', 'I think [this] is it: ', '# Title\n'])}${text}${rng.pick(['', '\n```', ' Anything else?', ' and [1, 2].', '\n```\nMore: {"b": 2}'])}`,
  ];
  for (let n = rng.int(0, 3); n > 0; n--) text = rng.pick(damage)();
  if (rng.chance(0.05)) text = rng.pick(['', '   ', 'no JSON here', '{"a": @}', '['.repeat(300), '[1] and more']);
  return text;
}

function listText(rng) {
  const marker = rng.pick(['1.', '1)', '(1)', 'a)', '-', '*', '+', '•', '- [ ]', '- [x]']);
  const lines = [];
  if (rng.chance(0.5)) lines.push(words(rng, 2, 8) + ':');
  for (let n = rng.int(0, 5); n > 0; n--) {
    lines.push(`${rng.chance(0.2) ? '  ' : ''}${marker.replace('1', String(lines.length + 1))} ${rng.chance(0.8) ? words(rng, 1, 5) : randomString(rng)}`);
    if (rng.chance(0.15)) lines.push(`   continued ${words(rng, 1, 3)}`);
  }
  if (rng.chance(0.3)) return `${words(rng, 1, 2)}, ${words(rng, 1, 2)} and ${words(rng, 1, 2)}`;
  if (rng.chance(0.3)) lines.push(words(rng, 3, 8) + '.');
  return lines.join(rng.chance(0.1) ? '\r\n' : '\n');
}

function fieldsText(rng) {
  const lines = [];
  for (let n = rng.int(0, 6); n > 0; n--) {
    const roll = rng.float();
    if (roll < 0.4) lines.push(`${rng.pick(['Answer', 'Score', 'name', 'Confidence', '__proto__', 'é key', 'Answer'])}: ${rng.chance(0.8) ? words(rng, 1, 4) : randomString(rng)}`);
    else if (roll < 0.55) lines.push(`**${rng.pick(['Answer', 'Reason'])}:** ${words(rng, 1, 3)}`);
    else if (roll < 0.65) lines.push(`- Score: ${rng.int(0, 10)}`);
    else if (roll < 0.75) lines.push(rng.pick(['See https://example.com:8080/x', 'Meet at 10:30 today', 'Time: 10:30']));
    else lines.push(words(rng, 1, 6));
  }
  return lines.join('\n');
}

function taggedText(rng) {
  const parts = [];
  for (let n = rng.int(0, 5); n > 0; n--) {
    const tag = rng.pick(['answer', 'thinking', 'a', 'Answer', 'x-y', 'answer']);
    const roll = rng.float();
    if (roll < 0.5) parts.push(`<${tag}${rng.chance(0.3) ? ` lang="en" n='1' flag` : ''}>${rng.chance(0.8) ? words(rng, 0, 5) : randomString(rng)}</${tag}>`);
    else if (roll < 0.6) parts.push(`<${tag}>outer <${tag}>inner</${tag}> rest</${tag}>`);
    else if (roll < 0.7) parts.push(`<${tag}>unclosed ${words(rng, 1, 3)}`);
    else if (roll < 0.8) parts.push(rng.pick(['a < b > c', '<br/>', '</answer>', '<answer', '< answer>', '<!-- c -->', '<answer>x</Answer>']));
    else parts.push(words(rng, 1, 6));
  }
  return parts.join(rng.pick(['', ' ', '\n']));
}

function makeRepairCase(rng) {
  const op = rng.pick(['repairJson', 'repairJson', 'extractJson', 'extractAll', 'parseList', 'parseFields', 'parseFieldsAll', 'parseTagged', 'taggedStream']);
  if (op === 'parseList') return { op, text: rng.chance(0.9) ? listText(rng) : nearJson(rng) };
  if (op.startsWith('parseFields')) return { op, text: fieldsText(rng) };
  if (op === 'parseTagged' || op === 'taggedStream') {
    const text = taggedText(rng);
    const options = rng.chance(0.3) ? { tags: rng.pick([['answer'], ['a', 'thinking'], [], ['bad tag!']]) } : undefined;
    return { op, text, options, chunks: op === 'taggedStream' ? chunksOf(rng, text) : null };
  }
  return { op, text: nearJson(rng) };
}

function runRepairCase(bridle, c) {
  switch (c.op) {
    case 'repairJson': return bridle.repairJson(c.text);
    case 'extractJson': return bridle.extractJson(c.text);
    case 'extractAll': return bridle.extractJson(c.text, { all: true });
    case 'parseList': return bridle.parseList(c.text);
    case 'parseFields': return bridle.parseFields(c.text);
    case 'parseFieldsAll': return bridle.parseFields(c.text, { all: true });
    case 'parseTagged': return bridle.parseTagged(c.text, c.options);
    default: {
      const stream = new bridle.TaggedStream(c.options);
      try {
        return { pushed: c.chunks.map((chunk) => attempt(() => stream.push(chunk))), end: attempt(() => stream.end()) };
      } finally {
        stream.free();
      }
    }
  }
}

export const JSON_AREAS = [
  { name: 'json/stream', count: 2000, make: makeStreamCase, run: runStreamCase, outputOf: (ok) => ok.end },
  { name: 'json/repair', count: 2000, make: makeRepairCase, run: runRepairCase, expect: { errors: 0.03 } },
];
