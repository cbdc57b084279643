import { scripted, ModelError } from 'bridle';
import { z } from 'zod';

// Replies replayed through the interface of openai({ model: 'gpt-4o-mini' }), anthropic(), gemini().
const model = scripted([
  { object: { author: 'Frank Herbert', year: 1965 }, usage: { inputTokens: 21, outputTokens: 12 } },
  { toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }] },
  { chunks: ['Safe, ', 'fast, ', 'fearless.'] },
  { error: { code: 'rate_limit', retryAfter: 10 } },
  'Retried and answered.',
  { error: { code: 'auth', status: 401, message: 'invalid API key' } },
]);

// Structured output: the schema goes to the provider, the answer comes back checked and typed.
const Book = z.object({ author: z.string(), year: z.number() });
const { object, usage } = await model.generate({ system: 'Be brief.', prompt: 'Who wrote Dune?', output: { schema: Book } });
console.log(object, usage);

// Tools: the calls come with their arguments parsed.
const weather = { description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const { toolCalls, finishReason } = await model.generate({ prompt: 'Weather in Oslo?', tools: { weather } });
console.log(JSON.stringify(toolCalls), finishReason);

// Streams: events as they arrive, the whole completion at the end.
const stream = model.stream({ prompt: 'Rust in three words.' });
for await (const event of stream) if (event.type === 'text-delta') console.log(JSON.stringify(event.text));
console.log((await stream.result).text);

// Typed errors: a rate limit is retried (honouring Retry-After), bad credentials are not.
console.log((await model.generate({ prompt: 'Hello?' })).text);
try {
  await model.generate({ prompt: 'Hello again?' });
} catch (error) {
  console.log(error instanceof ModelError, error.name, error.code, error.message);
}
