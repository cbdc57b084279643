// Chains on this backend: the portable chain suite, plus what needs Node (zod).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bridle from 'bridle';
import { runChainSuite } from '../chains/suite.mjs';

test(`the chain suite passes on the ${bridle.backend} backend`, async () => {
  const { passed, total, results } = await runChainSuite(bridle);
  console.log(`chain suite ${bridle.backend}: ${passed}/${total}`);
  assert.deepEqual(results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.error}`), []);
  assert.ok(total >= 12);
});

test('reask with a zod schema: converted for the core, transforms applied', async () => {
  const { z } = await import('zod');
  const model = bridle.scripted(['{"name": "ada"}', '{"name": "ada", "age": 36}']);
  const schema = z.object({ name: z.string(), age: z.number().int() });
  const out = await bridle.reask(model, { schema }).invoke('Who?');
  assert.deepEqual(out, { name: 'ada', age: 36 });
  assert.equal(model.calls.length, 2);
  assert.match(model.calls[1].messages.at(-1).content, /must have required property 'age'/);
});

test('a step that is not a step is refused when the chain is built or first run', () => {
  assert.throws(() => bridle.pipe(42).invoke(1), bridle.InvalidArgumentError);
  assert.throws(() => bridle.toolLoop(bridle.scripted([]), { tools: { x: {} } }).invoke(''), bridle.InvalidArgumentError);
});
