// Model providers on this backend: the provider matrix against the local provider server, and
// what only Node has (API keys from the environment), options checking and the scripted model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as bridle from 'bridle';
import { startProviderServer } from '../providers/server.mjs';
import { runProviderMatrix } from '../providers/matrix.mjs';

let server;
before(async () => {
  server = await startProviderServer();
});
after(async () => {
  await server.close();
});

test(`the provider matrix passes on the ${bridle.backend} backend`, async () => {
  const { passed, total, results } = await runProviderMatrix(bridle, server.url);
  console.log(`provider matrix ${bridle.backend}: ${passed}/${total}`);
  const failures = results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.error}`);
  assert.deepEqual(failures, []);
  assert.ok(total >= 40, `${total} cases`);
});

test('API keys and base URLs come from the environment in Node', async () => {
  const saved = { ...process.env };
  try {
    process.env.OPENAI_API_KEY = 'env-key';
    process.env.OPENAI_BASE_URL = `${server.url}/v1`;
    const model = bridle.openai({ model: 'gpt-4o-mini' });
    assert.equal((await model.generate({ prompt: 'from env' })).text, 'echo: from env');
    assert.equal(server.requests.at(-1).headers.authorization, 'Bearer env-key');
    // An explicit option wins over the environment.
    const explicit = bridle.openai({ model: 'gpt-4o-mini', apiKey: 'explicit' });
    await explicit.generate({ prompt: 'x' });
    assert.equal(server.requests.at(-1).headers.authorization, 'Bearer explicit');
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
    assert.throws(() => bridle.openai({ model: 'gpt-4o' }), (error) => error instanceof bridle.AuthError && /OPENAI_API_KEY/.test(error.message));
  } finally {
    process.env = saved;
  }
});

test('options are checked, with the option named', () => {
  const model = bridle.scripted(['x']);
  const cases = [
    [() => bridle.openai({ model: 'm', apiKey: 'k', temprature: 1 }), 'options.temprature'],
    [() => bridle.openai({ model: 'm', apiKey: 'k', retry: { jitter: 3 } }), 'options.retry.jitter'],
    [() => bridle.anthropic({ apiKey: 'k' }), 'options.model'],
    [() => bridle.gemini({ model: 'm', apiKey: 'k', baseURL: 'ftp://x' }), 'options.baseURL'],
    [() => bridle.scripted([{ error: { code: 'nope' } }]), 'options.responses.0.error.code'],
    [() => bridle.scripted([{ text: 'ab', chunks: ['a'] }]), 'options.responses.0.chunks'],
  ];
  for (const [make, option] of cases) {
    assert.throws(make, (error) => error instanceof bridle.InvalidArgumentError && error.details.option === option, option);
  }
  return assert.rejects(model.generate({ prompt: 'x', tools: [{ name: 'has space' }] }), (error) => error.details.option === 'call.tools.0');
});

test('generate() rejects (never throws synchronously) and a bad stream() fails on its first read', async () => {
  const model = bridle.scripted(['x']);
  const pending = model.generate({ messages: [{ role: 'nobody', content: 'x' }] }).catch((error) => error);
  assert.ok((await pending) instanceof bridle.InvalidArgumentError);
  await assert.rejects(model.generate(null), bridle.InvalidArgumentError);
  const stream = model.stream({ messages: 'not a list' });
  await assert.rejects(stream.result, bridle.InvalidArgumentError);
});

test('a scripted stream can be drained through result alone, and read only once', async () => {
  const model = bridle.scripted([{ chunks: ['a', 'b'] }, 'c d']);
  const stream = model.stream({ prompt: 'x' });
  const completion = await stream.result;
  assert.equal(completion.text, 'ab');
  assert.throws(() => stream[Symbol.asyncIterator](), bridle.InvalidArgumentError);
  const second = model.stream({ prompt: 'y' });
  const events = [];
  for await (const event of second) events.push(event.type);
  assert.deepEqual(events, ['text-delta', 'text-delta', 'finish']);
});

test('a zod output schema: converted for the provider, its transforms applied to the object', async () => {
  const { z } = await import('zod');
  const schema = z.object({ name: z.string().transform((s) => s.toUpperCase()), age: z.number().int() });
  const model = bridle.scripted([{ object: { name: 'ada', age: 36 } }, { object: { name: 'ada', age: 1.5 } }]);
  const completion = await model.generate({ prompt: 'who', output: { schema } });
  assert.deepEqual(completion.object, { name: 'ADA', age: 36 });
  assert.equal(model.calls[0].output.schema.type, 'object');
  await assert.rejects(model.generate({ prompt: 'who', output: { schema } }), (error) => error instanceof bridle.SchemaError && error.details.completion.text === '{"name":"ada","age":1.5}');
});

test('the concurrency limit holds a stream\'s slot until it ends, and aborting a queued call frees nothing', async () => {
  const model = bridle.scripted([{ chunks: ['a', 'b'], chunkDelay: 80 }, 'second'], { maxConcurrency: 1 });
  const stream = model.stream({ prompt: 'x' });
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  const controller = new AbortController();
  const queued = model.generate({ prompt: 'y', signal: controller.signal });
  controller.abort();
  await assert.rejects(queued, bridle.AbortedError);
  for (;;) if ((await iterator.next()).done) break;
  assert.equal((await model.generate({ prompt: 'z' })).text, 'second');
});
