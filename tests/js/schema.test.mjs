// JSON Schema through the public API on this backend: the official JSON-Schema-Test-Suite
// (required tests of drafts 2020-12 and 07, fetched by scripts/fetch-json-schema-suite.sh into
// tests/.cache), every keyword family the project promises with its messages and paths,
// validateJson, parse (extract + repair + validate), and zod / Standard Schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { compileSchema, validate, Schema, backend, SchemaError, JsonParseError, InvalidArgumentError, UnsupportedError } from 'bridle';

const SUITE = new URL('../.cache/json-schema-suite/', import.meta.url);
/** The counts each draft's required tests must reach (the Rust runner's floors). */
const FLOORS = { 'draft2020-12': 1248, draft7: 905 };

function remotes() {
  const out = {};
  const walk = (dir, prefix) => {
    for (const name of readdirSync(dir)) {
      const url = new URL(name, dir);
      if (statSync(url).isDirectory()) walk(new URL(`${name}/`, dir), `${prefix}${name}/`);
      else if (name.endsWith('.json')) out[`http://localhost:1234/${prefix}${name}`] = JSON.parse(readFileSync(url, 'utf8'));
    }
  };
  walk(new URL('remotes/', SUITE), '');
  return out;
}

test('the JSON-Schema-Test-Suite, required tests', () => {
  assert.ok(existsSync(new URL('draft7/', SUITE)), 'run scripts/fetch-json-schema-suite.sh');
  const resources = remotes();
  for (const [draft, option] of [['draft2020-12', '2020-12'], ['draft7', '07']]) {
    const dir = new URL(`${draft}/`, SUITE);
    let passed = 0;
    let total = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      for (const group of JSON.parse(readFileSync(new URL(file, dir), 'utf8'))) {
        let schema = null;
        try {
          schema = compileSchema(group.schema, { draft: option, formats: false, resources });
        } catch {
          // Counted as failures below.
        }
        for (const t of group.tests) {
          total++;
          if (schema !== null && schema.validate(t.data).valid === t.valid) passed++;
        }
        schema?.free();
      }
    }
    console.log(`json-schema ${draft} ${backend}: ${passed}/${total}`);
    assert.ok(passed >= FLOORS[draft], `${draft}: ${passed}/${total} is below the floor ${FLOORS[draft]}`);
  }
});

/** The violations of `value`, as [path, keyword] pairs. */
function violations(schema, value) {
  return validate(value, schema).errors.map((e) => [e.path, e.keyword]);
}

test('every keyword family, with paths, keywords and messages', () => {
  const s = {
    $defs: { tag: { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 5 } },
    type: 'object',
    required: ['id', 'kind'],
    additionalProperties: false,
    properties: {
      id: { type: 'integer', minimum: 1, maximum: 9, multipleOf: 1 },
      kind: { enum: ['a', 'b'] },
      version: { const: 2 },
      score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      tags: { type: 'array', items: { $ref: '#/$defs/tag' }, minItems: 1, maxItems: 2, uniqueItems: true },
      pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
      either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      one: { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 10 }] },
      all: { allOf: [{ minLength: 1 }, { maxLength: 3 }] },
      email: { type: 'string', format: 'email' },
      when: { type: 'string', format: 'date-time' },
      meta: { type: 'object', minProperties: 1, maxProperties: 1, propertyNames: { pattern: '^x' } },
    },
  };
  const good = { id: 3, kind: 'a', version: 2, score: 0.5, tags: ['ab'], pair: ['x', 1], either: null, one: 1, all: 'ab', email: 'a@b.co', when: '2026-11-28T10:00:00Z', meta: { x1: 1 } };
  assert.deepEqual(violations(s, good), []);
  const cases = [
    [{ kind: 'a' }, [['', 'required']]],
    [{ id: 1, kind: 'a', extra: 1 }, [['', 'additionalProperties']]],
    [{ id: 1.5, kind: 'a' }, [['/id', 'type'], ['/id', 'multipleOf']]],
    [{ id: 10, kind: 'a' }, [['/id', 'maximum']]],
    [{ id: 1, kind: 'c' }, [['/kind', 'enum']]],
    [{ id: 1, kind: 'a', version: 3 }, [['/version', 'const']]],
    [{ id: 1, kind: 'a', score: 1 }, [['/score', 'exclusiveMaximum']]],
    [{ id: 1, kind: 'a', tags: [] }, [['/tags', 'minItems']]],
    [{ id: 1, kind: 'a', tags: ['ab', 'ab'] }, [['/tags', 'uniqueItems']]],
    [{ id: 1, kind: 'a', tags: ['a', 'AB', 'abcdef'] }, [['/tags', 'maxItems'], ['/tags/0', 'minLength'], ['/tags/1', 'pattern'], ['/tags/2', 'maxLength']]],
    [{ id: 1, kind: 'a', pair: [1, 'x'] }, [['/pair/0', 'type'], ['/pair/1', 'type']]],
    [{ id: 1, kind: 'a', pair: ['x', 1, 2] }, [['/pair', 'items']]],
    [{ id: 1, kind: 'a', either: 1 }, [['/either', 'anyOf']]],
    [{ id: 1, kind: 'a', one: 11 }, [['/one', 'oneOf']]],
    [{ id: 1, kind: 'a', all: 'abcd' }, [['/all', 'maxLength']]],
    [{ id: 1, kind: 'a', email: 'not an email' }, [['/email', 'format']]],
    [{ id: 1, kind: 'a', when: '2026-13-01T00:00:00Z' }, [['/when', 'format']]],
    [{ id: 1, kind: 'a', meta: { y: 1, x: 2 } }, [['/meta', 'maxProperties'], ['/meta/y', 'propertyNames']]],
  ];
  for (const [value, expected] of cases) {
    assert.deepEqual(violations(s, value).sort(), expected.sort(), JSON.stringify(value));
  }
  const [first] = validate({ id: 'x', kind: 'a' }, s).errors;
  assert.deepEqual(first, { path: '/id', keyword: 'type', message: 'must be integer, got string', schemaPath: '/properties/id/type' });
  // Draft 7: items as an array with additionalItems, definitions, dependencies.
  const d7 = { $schema: 'http://json-schema.org/draft-07/schema#', definitions: { n: { type: 'number' } }, type: 'array', items: [{ $ref: '#/definitions/n' }], additionalItems: { type: 'string' } };
  assert.deepEqual(violations(d7, [1, 'a', 2]), [['/2', 'type']]);
  const deps = { $schema: 'http://json-schema.org/draft-07/schema#', dependencies: { a: ['b'] } };
  assert.deepEqual(violations(deps, { a: 1 }), [['', 'dependentRequired']]);
});

test('validateJson and parse: from text to a checked value', () => {
  const schema = compileSchema({ type: 'object', required: ['n'], properties: { n: { type: 'integer' } } });
  assert.deepEqual(schema.validateJson('{"n": 1}'), { valid: true, value: { n: 1 }, errors: [] });
  const bad = schema.validateJson('{"n": "1"}');
  assert.equal(bad.valid, false);
  assert.deepEqual(bad.value, { n: '1' });
  assert.throws(() => schema.validateJson('{"n": 1,}'), (e) => e instanceof JsonParseError && e.line === 1);
  assert.deepEqual(schema.parse('Sure!\n```json\n{"n": 3,}\n```'), { n: 3 });
  assert.throws(() => schema.parse('{"n": "x"}'), (e) => e instanceof SchemaError && e.details.errors[0].path === '/n');
  assert.throws(() => schema.parse('{"n": 3,}', { repair: false }), JsonParseError);
  assert.throws(() => schema.parse('no json'), JsonParseError);
  const safe = schema.safeParse('{n: 4}');
  assert.equal(safe.success, true);
  assert.deepEqual(safe.repairs.map((r) => r.kind), ['unquoted_key']);
  assert.ok(schema instanceof Schema);
  schema.free();
  assert.throws(() => schema.validate({}), /freed/);
});

test('zod 4 schemas: JSON Schema for the core, zod for the typed value', async () => {
  const Person = z.object({ name: z.string().min(1), age: z.number().int().min(0), born: z.string().transform((s) => Number(s)) });
  const schema = compileSchema(Person);
  assert.equal(schema.jsonSchema.type, 'object');
  assert.deepEqual(schema.parse('{"name": "Ada", "age": 36, "born": "1815"}'), { name: 'Ada', age: 36, born: 1815 }, 'zod transforms apply');
  assert.throws(() => schema.parse('{"name": "", "age": -1, "born": "x"}'), (e) => e instanceof SchemaError && e.details.errors.length >= 2);
  const refined = compileSchema(z.object({ a: z.number() }).refine((v) => v.a > 1, { message: 'a must be > 1', path: ['a'] }));
  assert.throws(() => refined.parse('{"a": 1}'), (e) => e instanceof SchemaError && e.details.errors[0].message === 'a must be > 1' && e.details.errors[0].path === '/a');
  const slow = compileSchema(z.object({ a: z.number() }).refine(async (v) => v.a > 1));
  assert.deepEqual(await slow.parseAsync('{"a": 2}'), { a: 2 });
  assert.equal(validate({ name: 'x', age: 1.5, born: '1' }, Person).valid, false);
  const opaque = { '~standard': { version: 1, vendor: 'other', validate: (v) => ({ value: v }) } };
  assert.throws(() => compileSchema(opaque), UnsupportedError);
});

test('bad schemas and options are typed errors; the module stays usable', () => {
  assert.throws(() => compileSchema({ type: 'strin' }), (e) => e instanceof InvalidArgumentError && e.details.schemaPath === '/type');
  assert.throws(() => compileSchema({ $ref: '#/$defs/nope' }), InvalidArgumentError);
  assert.throws(() => compileSchema({ pattern: '(?<=a)b' }), InvalidArgumentError);
  assert.throws(() => compileSchema({}, { draft: '4' }), InvalidArgumentError);
  assert.throws(() => compileSchema(42), InvalidArgumentError);
  assert.throws(() => validate(1n, { type: 'number' }), (e) => e.code === 'invalid_data');
  assert.equal(validate(1, { type: 'number' }).valid, true);
  assert.equal(validate('x', true).valid, true);
  assert.equal(validate('x', false).valid, false);
});
