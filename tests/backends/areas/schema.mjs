// JSON Schema: a few schemas (the W6 model-output schema, the docs' example, one using most
// 2020-12 keywords with formats, a draft-07 one with definitions and dependencies, boolean
// schemas, and random keyword soups, some invalid) compiled with random options, and random
// instances (valid ones mutated, random values, odd numbers and format strings) validated as
// values and as JSON text, and parsed from chatty, damaged answers.
import { Rng } from '../../../../shared/bench/workloads/rng.mjs';
import { SCHEMA as W6_SCHEMA, makeObject as w6Object } from '../../../../shared/bench/workloads/w6_schema.mjs';
import { mutate, mutateText, randomValue } from '../gen.mjs';
import { attempt } from '../observe.mjs';

const RICH = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $defs: { tag: { type: 'string', minLength: 1, maxLength: 8, pattern: '^[a-z]+$' } },
  type: 'object',
  required: ['id', 'email'],
  properties: {
    id: { type: 'integer', minimum: 1, exclusiveMaximum: 1000, multipleOf: 1 },
    email: { type: 'string', format: 'email' },
    when: { type: 'string', format: 'date-time' },
    site: { type: 'string', format: 'uri' },
    ip: { anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
    uuid: { type: 'string', format: 'uuid' },
    kind: { enum: ['a', 'b', 1, null] },
    fixed: { const: { k: [1, 2] } },
    ratio: { type: 'number', minimum: 0, maximum: 1, multipleOf: 0.01 },
    tags: { type: 'array', items: { $ref: '#/$defs/tag' }, uniqueItems: true, maxItems: 4, contains: { const: 'x' } },
    pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
    one: { oneOf: [{ type: 'string' }, { type: 'string', maxLength: 2 }] },
    not: { not: { type: 'null' } },
    cond: { if: { type: 'string' }, then: { minLength: 3 }, else: { type: 'number' } },
    map: { type: 'object', patternProperties: { '^x-': { type: 'string' } }, propertyNames: { maxLength: 5 }, additionalProperties: { type: 'boolean' }, minProperties: 1 },
  },
  dependentRequired: { site: ['when'] },
  unevaluatedProperties: false,
};

const DRAFT7 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  definitions: { node: { type: 'object', properties: { value: { type: 'number' }, next: { $ref: '#/definitions/node' } }, required: ['value'] } },
  type: 'object',
  properties: { list: { $ref: '#/definitions/node' }, items: { type: 'array', items: [{ type: 'string' }, { type: 'boolean' }], additionalItems: false }, a: { type: ['string', 'null'] } },
  dependencies: { a: ['list'], items: { required: ['a'] } },
};

const DOCS = { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } };
const PERSON = { type: 'object', properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 }, emails: { type: 'array', items: { type: 'string', format: 'email' } } }, required: ['name'], additionalProperties: false };

const KEYWORD_SOUP = [
  ['type', () => 'string'], ['type', () => ['number', 'null']], ['type', () => 'nosuch'], ['minLength', () => 2], ['maxLength', () => 'x'], ['pattern', () => '^a.*z$'], ['pattern', () => '('],
  ['pattern', () => '\\p{L}'], ['minimum', () => 0], ['maximum', () => 1e21], ['enum', () => []], ['enum', () => ['a', 1]], ['items', () => ({ type: 'integer' })], ['$ref', () => '#/nope'],
  ['$ref', () => 'https://example.com/other.json'], ['format', () => 'date'], ['format', () => 'madeup'], ['required', () => ['a', 'a']], ['properties', () => ({ a: { type: 'string' } })],
  ['additionalProperties', () => false], ['allOf', () => [{ minimum: 2 }, { maximum: 1 }]], ['minItems', () => -1], ['const', () => null], ['multipleOf', () => 0],
];

function soup(rng) {
  const schema = {};
  for (let n = rng.int(1, 4); n > 0; n--) {
    const [key, value] = rng.pick(KEYWORD_SOUP);
    schema[key] = value();
  }
  return schema;
}

/** The schemas, each with example instances to mutate (drawn from their own Rng, so fixed). */
const SCHEMAS = (() => {
  const rng = new Rng(61);
  const w6 = Array.from({ length: 3 }, () => w6Object(rng));
  return [
    { schema: W6_SCHEMA, examples: w6 },
    { schema: DOCS, examples: [{ n: 1 }, { n: 1.5 }] },
    { schema: PERSON, examples: [{ name: 'Ada', age: 36, emails: ['ada@example.com'] }] },
    { schema: RICH, examples: [{ id: 7, email: 'a@b.co', when: '2024-02-29T12:00:00Z', site: 'https://x.example/a?b', ip: '10.0.0.1', uuid: '123e4567-e89b-12d3-a456-426614174000', kind: 'a', fixed: { k: [1, 2] }, ratio: 0.25, tags: ['x', 'ab'], pair: ['s', 1], one: 'abc', not: 0, cond: 'abcd', map: { 'x-a': 'v', b: true } }] },
    { schema: DRAFT7, examples: [{ list: { value: 1, next: { value: 2 } }, items: ['s', true], a: null }] },
    { schema: true, examples: [1] },
    { schema: false, examples: [1] },
    ...Array.from({ length: 8 }, () => ({ schema: soup(rng), examples: [randomValue(rng, { json: true, maxDepth: 1, long: false })] })),
  ];
})();

const FORMAT_STRINGS = ['a@b.co', 'not-an-email', '2024-02-30T00:00:00Z', '2024-02-29T12:00:00+01:00', 'https://x.example', 'not a uri', '256.1.1.1', '::1', '123e4567-e89b-12d3-a456-426614174000', 'ÿ@ß.de'];
const ODD_NUMBERS = [1, 1.0, 1.5, -0, 1e21, 2 ** 53 + 1, 0.1 + 0.2, 1e-7, -1, 999, 1000, 0.07];

function instance(rng, entry) {
  const roll = rng.float();
  if (roll < 0.55) return mutate(rng, rng.pick(entry.examples), rng.int(0, 3));
  if (roll < 0.7) return rng.pick([...FORMAT_STRINGS, ...ODD_NUMBERS]);
  return randomValue(rng, { json: true, maxDepth: 3, long: false, keys: ['id', 'email', 'name', 'n', 'tags', 'a', 'list', 'value', 'x-a'] });
}

/** JSON text of a value as a model might answer it: plain, or in prose or a fence, sometimes damaged. */
function answerText(rng, value) {
  let text = JSON.stringify(value, null, rng.chance(0.3) ? 2 : undefined) ?? 'null';
  if (rng.chance(0.3)) text = `${rng.pick(['Sure! ', 'Here:\n```json\n', 'Answer: '])}${text}${rng.pick(['', '\n```', ' Done.'])}`;
  if (rng.chance(0.2)) text = mutateText(rng, text, 1, [',', "'", '}', ']', '//c\n', 'True', 'NaN']);
  return text;
}

function makeSchemaCase(rng) {
  // Mostly the real schemas; the keyword soups (often invalid) now and then.
  const index = rng.chance(0.85) ? rng.pick([0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6]) : rng.int(7, SCHEMAS.length - 1);
  const entry = SCHEMAS[index];
  const options = rng.chance(0.3) ? rng.pick([{ formats: false }, { draft: '07' }, { draft: '2020-12' }, { resources: { 'https://example.com/other.json': { type: 'string' } } }, { formats: false, draft: '07' }]) : rng.chance(0.02) ? rng.pick([{ draft: '04' }, { formats: 'yes' }, { nosuch: 1 }]) : undefined;
  const value = instance(rng, entry);
  const op = rng.pick(['validate', 'validateJson', 'parse', 'safeParse', 'validateFunction']);
  return { index, options, op, value, text: op === 'validate' || op === 'validateFunction' ? null : answerText(rng, value), parseOptions: rng.chance(0.3) ? rng.pick([{ extract: false }, { repair: false }, { extract: false, repair: false }]) : undefined };
}

function runSchemaCase(bridle, c, context) {
  const { schema } = SCHEMAS[c.index];
  if (c.op === 'validateFunction') return bridle.validate(c.value, schema);
  const key = `${c.index} ${JSON.stringify(c.options)}`;
  let compiled = context.compiled.get(key);
  if (compiled === undefined) context.compiled.set(key, (compiled = attempt(() => bridle.compileSchema(schema, c.options))));
  if (compiled instanceof Error) throw compiled;
  switch (c.op) {
    case 'validate': return { jsonSchema: compiled.jsonSchema === schema, result: compiled.validate(c.value) };
    case 'validateJson': return compiled.validateJson(c.text);
    case 'parse': return compiled.parse(c.text, c.parseOptions);
    default: return compiled.safeParse(c.text, c.parseOptions);
  }
}

export const SCHEMA_AREAS = [
  {
    name: 'schema/validate', count: 2000, make: makeSchemaCase, run: runSchemaCase,
    setup: () => ({ compiled: new Map() }),
    teardown: (context) => context.compiled.forEach((value) => value?.free?.()),
  },
];
