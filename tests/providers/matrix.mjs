// The provider test matrix: every provider's calls, streams, tools, structured output, typed
// errors, retries (attempts and waits), timeouts, cancellation and limits, against the local
// provider server (server.mjs), which it scripts over HTTP (`/__control/...`). Portable: the
// JS suite runs it on each backend in Node, and the runtime tests run the very same function in
// a Chromium page and in workerd. It returns results as data; the caller asserts.
import { openai as oa, anthropic as an, gemini as ge } from './wire.mjs';

export const PROVIDERS = ['openai', 'anthropic', 'gemini'];

import { Failure, check, same } from '../portable/assert.mjs';

/** Runs `body` expecting a BridleError of class `cls` and code `code`; returns it. */
async function rejects(body, cls, code) {
  try {
    await body();
  } catch (error) {
    check(error instanceof cls, `expected ${cls.name}, got ${error?.constructor?.name}: ${error?.message}`);
    check(error.code === code, `expected code ${code}, got ${error.code}: ${error.message}`);
    return error;
  }
  throw new Failure(`expected ${cls.name} (${code}), but the call succeeded`);
}

const WEATHER = {
  name: 'weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const PERSON = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
};

/** Each provider's wire format for the scripted replies the cases need. */
const WIRE = {
  openai: {
    text: (text, usage = { prompt_tokens: 11, completion_tokens: 7 }) => ({ json: oa.completion({ text, usage }) }),
    tool: (city) => ({ json: oa.completion({ toolCalls: [{ id: 'call_w1', name: 'weather', arguments: JSON.stringify({ city }) }] }) }),
    toolStream: (city) => ({
      stream: [...oa.chunks({ toolCalls: [{ id: 'call_w1', name: 'weather', arguments: ['{"ci', 'ty":', JSON.stringify(city), '}'] }], includeUsage: true, usage: { prompt_tokens: 5, completion_tokens: 9 } }), { data: '[DONE]' }],
    }),
    object: (value) => ({ json: oa.completion({ text: JSON.stringify(value) }) }),
    textStream: (pieces, extra = {}) => ({ stream: [...oa.chunks({ text: pieces, includeUsage: true, usage: { prompt_tokens: 3, completion_tokens: 4 } }), { data: '[DONE]' }], ...extra }),
    error: (status, kind) => ({ status, json: oa.error(status, kind) }),
    contextLength: () => ({ status: 400, json: oa.error(400, 'context_length_exceeded') }),
  },
  anthropic: {
    text: (text, usage = { input_tokens: 11, output_tokens: 7 }) => ({ json: an.message({ text, usage }) }),
    tool: (city) => ({ json: an.message({ toolUses: [{ id: 'toolu_w1', name: 'weather', input: { city } }] }) }),
    toolStream: (city) => ({ stream: an.events({ toolUses: [{ id: 'toolu_w1', name: 'weather', input: { city } }], usage: { input_tokens: 5, output_tokens: 9 } }) }),
    object: (value, name = 'output') => ({ json: an.message({ toolUses: [{ id: 'toolu_o1', name, input: value }] }) }),
    textStream: (pieces, extra = {}) => ({ stream: an.events({ text: pieces, usage: { input_tokens: 3, output_tokens: 4 } }), ...extra }),
    error: (status, kind) => ({ status, json: an.error(status, kind) }),
    contextLength: () => ({ status: 400, json: an.error(400, { kind: 'invalid_request', message: 'prompt is too long: 210000 tokens > 200000 maximum' }) }),
  },
  gemini: {
    text: (text, usage = { promptTokenCount: 11, candidatesTokenCount: 7 }) => ({ json: ge.response({ text, usage }) }),
    tool: (city) => ({ json: ge.response({ functionCalls: [{ name: 'weather', args: { city } }] }) }),
    toolStream: (city) => ({ stream: ge.chunks({ text: ['Let me check. '], functionCalls: [{ name: 'weather', args: { city } }], usage: { promptTokenCount: 5, candidatesTokenCount: 9 } }) }),
    object: (value) => ({ json: ge.response({ text: JSON.stringify(value) }) }),
    textStream: (pieces, extra = {}) => ({ stream: ge.chunks({ text: pieces, usage: { promptTokenCount: 3, candidatesTokenCount: 4 } }), ...extra }),
    error: (status, kind) => ({ status, json: ge.error(status, kind) }),
    contextLength: () => ({ status: 400, json: ge.error(400, { message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' }) }),
  },
};

/** The text each provider's stream case expects back. */
const PIECES = ['Zoë ', 'likes ', '😀 and ', 'ünïcödé'];

function cases() {
  const list = [];
  const each = (name, run) => {
    for (const provider of PROVIDERS) list.push({ name: `${provider}: ${name}`, provider, run });
  };
  const one = (name, provider, run) => list.push({ name: `${provider}: ${name}`, provider, run });

  each('generate: text, usage, finish reason, a valid request with the key', async ({ model, control, provider }) => {
    await control.reply([WIRE[provider].text('Hello, Zoë 😀')]);
    const completion = await model().generate({ system: 'Be brief.', prompt: 'Hi', temperature: 0.5, maxTokens: 64, stop: ['END'] });
    same(completion.text, 'Hello, Zoë 😀', 'text');
    same(completion.finishReason, 'stop', 'finishReason');
    same([completion.usage.inputTokens, completion.usage.outputTokens, completion.usage.totalTokens], [11, 7, 18], 'usage');
    same(completion.message, { role: 'assistant', content: 'Hello, Zoë 😀' }, 'message');
    check(completion.raw !== undefined, 'raw is kept');
    const [request] = await control.requests();
    same(request.schemaErrors, [], 'request schema errors');
    const key = { openai: request.headers.authorization, anthropic: request.headers['x-api-key'], gemini: request.headers['x-goog-api-key'] }[provider];
    same(key, provider === 'openai' ? 'Bearer test-key' : 'test-key', 'api key header');
    const body = request.body;
    if (provider === 'openai') same([body.temperature, body.max_tokens, body.stop, body.messages[0]], [0.5, 64, ['END'], { role: 'system', content: 'Be brief.' }], 'openai body');
    if (provider === 'anthropic') same([body.temperature, body.max_tokens, body.stop_sequences, body.system], [0.5, 64, ['END'], 'Be brief.'], 'anthropic body');
    if (provider === 'gemini') same([body.generationConfig, body.systemInstruction], [{ temperature: 0.5, maxOutputTokens: 64, stopSequences: ['END'] }, { parts: [{ text: 'Be brief.' }] }], 'gemini body');
  });

  each('stream: text deltas cut anywhere (inside UTF-8), finish and usage', async ({ model, control, provider }) => {
    await control.reply([WIRE[provider].textStream(PIECES, { chunkSizes: [7, 1, 13, 2] })]);
    const stream = model().stream({ prompt: 'Tell me' });
    const events = [];
    for await (const event of stream) events.push(event);
    const text = events.filter((e) => e.type === 'text-delta').map((e) => e.text).join('');
    same(text, PIECES.join(''), 'streamed text');
    same(events.at(-1).type, 'finish', 'last event');
    const completion = await stream.result;
    same(completion.text, PIECES.join(''), 'result text');
    same([completion.usage.inputTokens, completion.usage.outputTokens], [3, 4], 'usage');
    const [request] = await control.requests();
    same(request.schemaErrors, [], 'request schema errors');
    check(provider === 'gemini' ? request.path.endsWith(':streamGenerateContent') && request.query.alt === 'sse' : request.body.stream === true, 'a streaming request');
  });

  each('tools: definitions and choice sent, the call parsed', async ({ model, control, provider }) => {
    await control.reply([WIRE[provider].tool('Paris')]);
    const completion = await model().generate({ prompt: 'Weather in Paris?', tools: [WEATHER], toolChoice: 'required' });
    same(completion.finishReason, 'tool-calls', 'finishReason');
    same(completion.toolCalls.map((c) => [c.name, c.input]), [['weather', { city: 'Paris' }]], 'tool calls');
    same(completion.message.tool_calls[0].function.name, 'weather', 'assistant message');
    const [request] = await control.requests();
    same(request.schemaErrors, [], 'request schema errors');
    const body = request.body;
    if (provider === 'openai') same([body.tools[0].function.name, body.tool_choice], ['weather', 'required'], 'openai tools');
    if (provider === 'anthropic') same([body.tools[0].name, body.tools[0].input_schema.required, body.tool_choice], ['weather', ['city'], { type: 'any' }], 'anthropic tools');
    if (provider === 'gemini') same([body.tools[0].functionDeclarations[0].name, body.toolConfig], ['weather', { functionCallingConfig: { mode: 'ANY' } }], 'gemini tools');
  });

  each('tools: streamed arguments assembled, then the tool result sent back', async ({ model, control, provider }) => {
    await control.reply([WIRE[provider].toolStream('Lima')]);
    const m = model();
    const stream = m.stream({ prompt: 'Weather in Lima?', tools: [WEATHER] });
    const events = [];
    for await (const event of stream) events.push(event);
    const done = events.filter((e) => e.type === 'tool-call');
    same(done.map((e) => e.toolCall.input), [{ city: 'Lima' }], 'tool-call events');
    check(events.some((e) => e.type === 'tool-call-delta'), 'deltas came first');
    const completion = await stream.result;
    same(completion.finishReason, 'tool-calls', 'finishReason');
    // The conversation goes on with the tool's result, in each provider's format.
    await control.reply([WIRE[provider].text('18C in Lima')]);
    const messages = [{ role: 'user', content: 'Weather in Lima?' }, completion.message, { role: 'tool', tool_call_id: completion.toolCalls[0].id, content: '18C' }];
    const answer = await m.generate({ messages, tools: [WEATHER] });
    same(answer.text, '18C in Lima', 'answer');
    const requests = await control.requests();
    same(requests.map((r) => r.schemaErrors), [[], []], 'request schema errors');
  });

  each('structured output: the schema sent the provider\'s way, the object checked', async ({ bridle, model, control, provider }) => {
    await control.reply([WIRE[provider].object({ name: 'Ada', age: 36 }, 'person'), WIRE[provider].object({ name: 'Ada', age: 'old' }, 'person')]);
    const m = model();
    const completion = await m.generate({ prompt: 'Who?', output: { schema: PERSON, name: 'person' } });
    same(completion.object, { name: 'Ada', age: 36 }, 'object');
    const error = await rejects(() => m.generate({ prompt: 'Who?', output: { schema: PERSON, name: 'person' } }), bridle.SchemaError, 'schema');
    same(error.details.completion.text, '{"name":"Ada","age":"old"}', 'the completion is kept');
    const [request] = await control.requests();
    same(request.schemaErrors, [], 'request schema errors');
    const body = request.body;
    if (provider === 'openai') same(body.response_format.json_schema.name, 'person', 'response_format');
    if (provider === 'anthropic') same([body.tool_choice, body.tools[0].name], [{ type: 'tool', name: 'person' }, 'person'], 'forced tool');
    if (provider === 'gemini') same([body.generationConfig.responseMimeType, body.generationConfig.responseSchema.properties.age], ['application/json', { type: 'integer' }], 'responseSchema');
  });

  each('a bad key is an AuthError, not retried', async ({ bridle, model, control }) => {
    const error = await rejects(() => model({ apiKey: 'bad-key' }).generate({ prompt: 'x' }), bridle.AuthError, 'auth');
    same(error.details.attempts, 1, 'attempts');
    same((await control.requests()).length, 1, 'requests');
  });

  each('429 with Retry-After: waits what the provider asked, then succeeds', async ({ model, control, provider }) => {
    await control.reply([{ ...WIRE[provider].error(429), headers: { 'retry-after': '0.3' } }, WIRE[provider].text('ok')]);
    const started = Date.now();
    const completion = await model().generate({ prompt: 'x' });
    const elapsed = Date.now() - started;
    same(completion.text, 'ok', 'text');
    const requests = await control.requests();
    same(requests.length, 2, 'attempts');
    const gap = requests[1].at - requests[0].at;
    check(gap >= 280 && gap < 1500, `waited ${gap} ms between attempts, asked 300`);
    check(elapsed >= 280, `took ${elapsed} ms`);
  });

  each('5xx: exponential backoff, then the typed error with the attempts', async ({ bridle, model, control, provider }) => {
    await control.reply([WIRE[provider].error(500), WIRE[provider].error(503), WIRE[provider].error(500)]);
    const error = await rejects(() => model({ maxRetries: 2, retry: { initialDelay: 60, jitter: 0 } }).generate({ prompt: 'x' }), bridle.ServerError, 'server');
    same(error.details.attempts, 3, 'attempts');
    same(error.details.status, 500, 'status');
    const at = (await control.requests()).map((r) => r.at);
    const gaps = [at[1] - at[0], at[2] - at[1]];
    check(gaps[0] >= 55 && gaps[0] < 400 && gaps[1] >= 115 && gaps[1] < 600, `waits ${gaps} ms, expected 60 then 120`);
  });

  each('the context window: a ContextLengthError', async ({ bridle, model, control, provider }) => {
    await control.reply([WIRE[provider].contextLength()]);
    await rejects(() => model().generate({ prompt: 'x' }), bridle.ContextLengthError, 'context_length');
    same((await control.requests()).length, 1, 'not retried');
  });

  each('a stream that breaks off: the events so far, then a typed error', async ({ bridle, model, control, provider }) => {
    // Two text deltas in, whatever comes before them in each provider's stream.
    const breakAfter = { openai: 3, anthropic: 5, gemini: 2 }[provider];
    await control.reply([WIRE[provider].textStream(PIECES, { breakAfter, delayMs: 20 })]);
    const stream = model({ maxRetries: 0 }).stream({ prompt: 'x' });
    const texts = [];
    let error = null;
    try {
      for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
    } catch (caught) {
      error = caught;
    }
    check(error instanceof bridle.ModelError, `a ModelError, got ${error?.constructor?.name}: ${error?.message}`);
    check(['network', 'bad_response'].includes(error.code), `code ${error.code}`);
    check(texts.length >= 1 && texts.length < PIECES.length, `${texts.length} deltas before the break`);
    await rejects(() => stream.result, bridle.ModelError, error.code);
  });

  each('malformed JSON in a stream: a BadResponseError', async ({ bridle, model, control, provider }) => {
    const good = WIRE[provider].textStream(['a', 'b']).stream;
    const bad = provider === 'anthropic' ? { event: 'content_block_delta', data: '{"type": "content_block_delta", "index": 0, "delta": {' } : { data: '{"choices": [' };
    // Before the last event: after the finish (Gemini's last chunk) the answer is complete.
    await control.reply([{ stream: [...good.slice(0, 1), bad, ...good.slice(1)] }]);
    const stream = model({ maxRetries: 0 }).stream({ prompt: 'x' });
    await rejects(async () => {
      for await (const event of stream) void event;
    }, bridle.BadResponseError, 'bad_response');
  });

  each('a 200 whose body is not JSON: a BadResponseError', async ({ bridle, model, control }) => {
    await control.reply([{ status: 200, text: '<html>gateway says hi</html>' }]);
    const error = await rejects(() => model().generate({ prompt: 'x' }), bridle.BadResponseError, 'bad_response');
    check(String(error.details.body).startsWith('<html>'), 'the body\'s start is kept');
  });

  one('a stream broken before its first event is retried', 'gemini', async ({ model, control }) => {
    await control.reply([{ ...WIRE.gemini.textStream(PIECES), breakAfter: 0 }, WIRE.gemini.textStream(PIECES)]);
    let text = '';
    for await (const piece of model().stream({ prompt: 'x' }).textStream) text += piece;
    same(text, PIECES.join(''), 'text from the second attempt');
    same((await control.requests()).length, 2, 'attempts');
  });

  one('no server at the address: a NetworkError after every retry', 'openai', async ({ bridle, model }) => {
    const error = await rejects(() => model({ baseURL: 'http://127.0.0.1:9/v1', maxRetries: 2, retry: { initialDelay: 10 } }).generate({ prompt: 'x' }), bridle.NetworkError, 'network');
    same(error.details.attempts, 3, 'attempts');
  });

  one('a slow drip: the idle timeout between chunks', 'openai', async ({ bridle, model, control }) => {
    await control.reply([WIRE.openai.textStream(PIECES, { delayMs: 400 })]);
    const stream = model({ timeout: 150, maxRetries: 0 }).stream({ prompt: 'x' });
    const started = Date.now();
    await rejects(async () => {
      for await (const event of stream) void event;
    }, bridle.TimeoutError, 'timeout');
    const elapsed = Date.now() - started;
    check(elapsed >= 140 && elapsed < 1500, `timed out after ${elapsed} ms`);
  });

  one('a hung request: timeout per attempt, retried, then a TimeoutError', 'anthropic', async ({ bridle, model, control }) => {
    await control.reply([{ hang: true }, { hang: true }]);
    const started = Date.now();
    const error = await rejects(() => model({ timeout: 150, maxRetries: 1, retry: { initialDelay: 50, jitter: 0 } }).generate({ prompt: 'x' }), bridle.TimeoutError, 'timeout');
    const elapsed = Date.now() - started;
    same(error.details.attempts, 2, 'attempts');
    same((await control.requests()).length, 2, 'requests');
    check(elapsed >= 340 && elapsed < 2500, `took ${elapsed} ms for 150 + 50 + 150`);
  });

  one('abort while the request hangs: an AbortedError at once, no retry', 'gemini', async ({ bridle, model, control }) => {
    await control.reply([{ hang: true }]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('user left')), 100);
    const error = await rejects(() => model().generate({ prompt: 'x', signal: controller.signal }), bridle.AbortedError, 'aborted');
    const elapsed = Date.now() - started;
    check(elapsed >= 90 && elapsed < 1000, `aborted after ${elapsed} ms`);
    same(error.cause?.message, 'user left', 'the reason is the cause');
    same((await control.requests()).length, 1, 'requests');
  });

  one('abort mid-stream: the iterator throws AbortedError', 'openai', async ({ bridle, model, control }) => {
    await control.reply([WIRE.openai.textStream(PIECES, { delayMs: 150 })]);
    const controller = new AbortController();
    const stream = model().stream({ prompt: 'x', signal: controller.signal });
    const texts = [];
    await rejects(async () => {
      for await (const event of stream) {
        if (event.type === 'text-delta') {
          texts.push(event.text);
          controller.abort();
        }
      }
    }, bridle.AbortedError, 'aborted');
    same(texts, [PIECES[0]], 'deltas before the abort');
  });

  one('abort during a retry wait', 'openai', async ({ bridle, model, control }) => {
    await control.reply([{ ...WIRE.openai.error(429), headers: { 'retry-after': '5' } }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    await rejects(() => model().generate({ prompt: 'x', signal: controller.signal }), bridle.AbortedError, 'aborted');
    check(Date.now() - started < 2000, 'did not wait out the Retry-After');
    same((await control.requests()).length, 1, 'requests');
  });

  one('a Retry-After longer than maxRetryAfter: no retry, retryAfter in details', 'anthropic', async ({ bridle, model, control }) => {
    await control.reply([{ ...WIRE.anthropic.error(429), headers: { 'retry-after': '120' } }]);
    const error = await rejects(() => model().generate({ prompt: 'x' }), bridle.RateLimitError, 'rate_limit');
    same([error.details.retryAfter, error.details.attempts], [120000, 1], 'details');
  });

  one('x-should-retry: false is obeyed', 'anthropic', async ({ bridle, model, control }) => {
    await control.reply([{ ...WIRE.anthropic.error(529, 'overloaded'), headers: { 'x-should-retry': 'false' } }]);
    await rejects(() => model().generate({ prompt: 'x' }), bridle.ServerError, 'server');
    same((await control.requests()).length, 1, 'requests');
  });

  one('a blocked prompt: a ContentFilterError', 'gemini', async ({ bridle, model, control }) => {
    await control.reply([{ json: ge.blocked() }]);
    await rejects(() => model().generate({ prompt: 'x' }), bridle.ContentFilterError, 'content_filter');
  });

  one('maxConcurrency: calls wait their turn', 'openai', async ({ model, control }) => {
    await control.reply([{ ...WIRE.openai.text('a'), delayMs: 150 }, { ...WIRE.openai.text('b'), delayMs: 150 }, { ...WIRE.openai.text('c'), delayMs: 150 }]);
    const m = model({ maxConcurrency: 1 });
    const texts = await Promise.all(['1', '2', '3'].map((p) => m.generate({ prompt: p }).then((c) => c.text)));
    same(texts, ['a', 'b', 'c'], 'answers in order');
    const at = (await control.requests()).map((r) => r.at);
    check(at[1] - at[0] >= 140 && at[2] - at[1] >= 140, `requests ${at[1] - at[0]} and ${at[2] - at[1]} ms apart`);
  });

  one('rateLimit: a token bucket spaces requests', 'gemini', async ({ model, control }) => {
    const m = model({ rateLimit: { requests: 1, interval: 150 } });
    await Promise.all(['1', '2', '3'].map((p) => m.generate({ prompt: p })));
    const at = (await control.requests()).map((r) => r.at);
    check(at[2] - at[0] >= 280, `three requests in ${at[2] - at[0]} ms, expected >= 300`);
  });

  one('a caller\'s fetch is used, and sees the request', 'openai', async ({ model, control }) => {
    const seen = [];
    const logging = (url, init) => {
      seen.push([url, JSON.parse(init.body).model]);
      return globalThis.fetch(url, init);
    };
    const completion = await model({ fetch: logging }).generate({ prompt: 'via fetch' });
    same(completion.text, 'echo: via fetch', 'text');
    same(seen.length, 1, 'fetch calls');
    check(seen[0][0].endsWith('/v1/chat/completions'), `url ${seen[0][0]}`);
    const stream = model({ fetch: logging }).stream({ prompt: 'streamed' });
    let text = '';
    for await (const piece of stream.textStream) text += piece;
    same(text, 'echo: streamed', 'streamed text');
    same((await control.requests()).length, 2, 'requests');
  });

  one('toReadableStream: events and text pieces', 'anthropic', async ({ model, control }) => {
    await control.reply([WIRE.anthropic.textStream(PIECES), WIRE.anthropic.textStream(PIECES)]);
    const reader = model().stream({ prompt: 'x' }).toReadableStream().getReader();
    const types = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      types.push(value.type);
    }
    same(types, [...PIECES.map(() => 'text-delta'), 'finish'], 'event types');
    const textReader = model().stream({ prompt: 'x' }).toReadableStream({ text: true }).getReader();
    let text = '';
    for (;;) {
      const { done, value } = await textReader.read();
      if (done) break;
      text += value;
    }
    same(text, PIECES.join(''), 'text');
  });

  one('Azure OpenAI: deployment address and api-key header', 'openai', async ({ model, control }) => {
    const completion = await model({ azure: { apiVersion: '2024-10-21', deployment: 'prod-4o' }, baseURL: control.url }).generate({ prompt: 'hi' });
    same(completion.text, 'echo: hi', 'text');
    const [request] = await control.requests();
    same([request.path, request.query['api-version'], request.headers['api-key']], ['/openai/deployments/prod-4o/chat/completions', '2024-10-21', 'test-key'], 'azure request');
    same(request.schemaErrors, [], 'request schema errors');
  });

  one('scripted: replies, tool calls, errors with retries, streamed chunks and recorded calls', 'scripted', async ({ bridle }) => {
    const m = bridle.scripted([
      { error: { code: 'rate_limit', retryAfter: 30 } },
      'Hello world again',
      { toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }] },
      { chunks: ['Zo', 'ë 😀'], chunkDelay: 20 },
    ]);
    same((await m.generate({ prompt: 'hi' })).text, 'Hello world again', 'after one retry');
    same((await m.generate({ prompt: 'weather?', tools: [WEATHER] })).toolCalls[0].input, { city: 'Oslo' }, 'tool call');
    const texts = [];
    for await (const piece of m.stream({ prompt: 'x' }).textStream) texts.push(piece);
    same(texts, ['Zo', 'ë 😀'], 'chunks');
    same(m.calls.length, 4, 'calls recorded');
    same(m.calls[2].tools[0].name, 'weather', 'tools recorded');
    await rejects(() => m.generate({ prompt: 'one too many' }), bridle.InvalidArgumentError, 'invalid_argument');
  });

  return list;
}

/**
 * Runs the matrix with `bridle` (a loaded Bridle) against the server at `url`. Returns
 * `{ passed, total, results: [{ name, passed, error? }] }`.
 */
export async function runProviderMatrix(bridle, url, { browser = false, only = null } = {}) {
  const control = {
    url,
    async reply(items) {
      await globalThis.fetch(`${url}/__control/reply`, { method: 'POST', body: JSON.stringify(items) });
    },
    async requests() {
      return (await globalThis.fetch(`${url}/__control/requests`)).json();
    },
    async reset() {
      await globalThis.fetch(`${url}/__control/reset`, { method: 'POST', body: '' });
    },
  };
  const results = [];
  for (const { name, provider, run } of cases()) {
    if (only !== null && !only.test(name)) continue;
    await control.reset();
    const models = [];
    const model = (options = {}) => {
      const make = { openai: bridle.openai, anthropic: bridle.anthropic, gemini: bridle.gemini }[provider];
      const base = `${url}${provider === 'gemini' ? '/v1beta' : '/v1'}`;
      const extra = provider === 'anthropic' && browser ? { dangerouslyAllowBrowser: true } : {};
      const m = make({ model: `${provider}-test-model`, apiKey: 'test-key', baseURL: base, retry: { initialDelay: 20 }, ...extra, ...options });
      models.push(m);
      return m;
    };
    try {
      await run({ bridle, model, control, provider });
      results.push({ name, passed: true });
    } catch (error) {
      results.push({ name, passed: false, error: `${error?.constructor?.name}: ${error?.message}` });
    } finally {
      for (const m of models) m.free();
    }
  }
  return { passed: results.filter((r) => r.passed).length, total: results.length, results };
}
