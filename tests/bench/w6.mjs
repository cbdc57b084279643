// W6: JSON Schema validation of a ~2 KB model output, from its JSON text to a validated value
// (../shared/bench/workloads/w6_schema.mjs): one call takes the text of a valid or an invalid
// object (alternating) and returns the value and whether it is valid. Peers parse with
// JSON.parse and validate the parsed object (ajv compiled; zod's safeParse).
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { z } from 'zod';
import { W6 } from '../../../shared/bench/workloads/index.mjs';
import { loadBridle } from './backends.mjs';

/** The W6 schema as zod, written by hand as a zod user would. */
function zodSchema() {
  const num01 = z.number().min(0).max(1);
  const int0 = z.number().int().min(0);
  return z.strictObject({
    id: z.string().regex(/^resp_[a-z0-9]{12}$/),
    model: z.string().min(1).max(64),
    created: int0,
    status: z.enum(['completed', 'incomplete', 'failed']),
    answer: z.strictObject({
      text: z.string().min(1).max(4000),
      confidence: num01,
      format: z.enum(['plain', 'markdown']),
      citations: z.array(z.strictObject({ doc_id: z.string().regex(/^doc-[0-9]{6}$/), start: int0, end: int0, quote: z.string().max(500) })).max(20),
    }),
    entities: z.array(z.strictObject({
      name: z.string().min(1),
      type: z.enum(['person', 'organization', 'location', 'product', 'event']),
      salience: num01,
      mentions: z.array(int0),
    })).max(50),
    sentiment: z.strictObject({ label: z.enum(['positive', 'neutral', 'negative']), score: z.number().min(-1).max(1) }),
    tags: z.array(z.string().min(1).max(32)).max(10),
    safety: z.strictObject({ flagged: z.boolean(), categories: z.record(z.string(), num01) }),
    usage: z.strictObject({ prompt_tokens: int0, completion_tokens: int0, total_tokens: int0 }),
    follow_up_questions: z.array(z.string()).max(5),
  });
}

export function w6() {
  const { schema, valid, invalid } = W6.generate();
  // Alternate valid and invalid texts, so that both paths are measured.
  const texts = valid.flatMap((object, i) => [JSON.stringify(object), JSON.stringify(invalid[i])]);
  const expectValid = (i) => i % 2 === 0;
  const bytes = texts.reduce((n, t) => n + t.length, 0) / texts.length;
  return {
    id: 'W6',
    title: `JSON Schema validation from JSON text (~${(bytes / 1000).toFixed(1)} KB, half invalid; validations per second)`,
    unit: 'validations/s',
    reference: 'ajv (compiled) + JSON.parse',
    async check(name, run) {
      for (let i = 0; i < 4; i++) {
        const result = run(i);
        assert.equal(result.valid, expectValid(i), `${name} #${i}`);
        assert.deepEqual(result.value, JSON.parse(texts[i % texts.length]), name);
      }
    },
    contenders: [
      ...['native', 'wasm'].map((backend) => ({
        name: `bridle ${backend}`,
        async setup() {
          const { compileSchema } = await loadBridle(backend);
          const compiled = compileSchema(schema);
          return (i) => withLength(compiled.validateJson(texts[i % texts.length]));
        },
      })),
      {
        name: 'ajv (compiled) + JSON.parse',
        setup() {
          const validateFn = new Ajv({ allErrors: true, strict: false }).compile(schema);
          return (i) => {
            const value = JSON.parse(texts[i % texts.length]);
            const ok = validateFn(value);
            return withLength({ valid: ok, value, errors: validateFn.errors });
          };
        },
      },
      {
        name: 'zod safeParse + JSON.parse',
        setup() {
          const zodObject = zodSchema();
          return (i) => {
            const value = JSON.parse(texts[i % texts.length]);
            const result = zodObject.safeParse(value);
            return withLength({ valid: result.success, value, errors: result.error?.issues });
          };
        },
      },
    ],
  };
}

/** The harness sums `.length` of results as a checksum. */
function withLength(result) {
  result.length = result.valid ? 1 : 0;
  return result;
}
