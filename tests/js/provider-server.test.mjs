// The provider test server itself, driven with plain fetch (no Bridle): default replies in
// each wire format, scripted streams, request schemas against the providers' documented
// examples, auth, retries, truncation, hangs and CORS.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startProviderServer, validateRequest } from '../providers/server.mjs';
import { openai, anthropic, gemini, sse, splitBytes } from '../providers/wire.mjs';

let server;
before(async () => {
  server = await startProviderServer();
});
after(() => server.close());
beforeEach(() => {
  assert.equal(server.pending, 0, 'a previous test left scripted replies queued');
});

const OPENAI_HEADERS = { authorization: 'Bearer sk-test', 'content-type': 'application/json' };
const ANTHROPIC_HEADERS = {
  'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', 'content-type': 'application/json',
};
const JSON_ONLY = { 'content-type': 'application/json' };
const GEMINI_HEADERS = { 'x-goog-api-key': 'AIza-test', 'content-type': 'application/json' };

function post(path, body, headers) {
  return fetch(server.url + path, {
    method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const lastRequest = () => server.requests.at(-1);

// A minimal text/event-stream parser (WHATWG rules: CRLF, LF or CR line ends, comments,
// multi-line data), fed the raw decoded body.
function parseSse(text) {
  const events = [];
  let event = {};
  let data = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length) events.push({ ...event, data: data.join('\n') });
      event = {};
      data = [];
    } else if (!line.startsWith(':')) {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event.event = value;
    }
  }
  return events;
}
const sseJson = (text) => parseSse(text).map((e) => (e.data === '[DONE]' ? '[DONE]' : JSON.parse(e.data)));

// ------------------------------------------------------------------------------ default replies

test('OpenAI: the default reply is a chat.completion echoing the last user message', async () => {
  const response = await post('/v1/chat/completions', {
    model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi there' }],
  }, OPENAI_HEADERS);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  assert.match(response.headers.get('x-request-id'), /^req_[0-9a-f]{32}$/);
  const body = await response.json();
  assert.match(body.id, /^chatcmpl-/);
  assert.equal(body.object, 'chat.completion');
  assert.ok(Number.isInteger(body.created) && body.created > 1.7e9);
  assert.equal(body.model, 'gpt-4o-mini');
  assert.deepEqual(body.choices, [{
    index: 0, message: { role: 'assistant', content: 'echo: hi there', refusal: null, annotations: [] },
    logprobs: null, finish_reason: 'stop',
  }]);
  const { usage } = body;
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  assert.equal(usage.prompt_tokens_details.cached_tokens, 0);
  assert.equal(usage.completion_tokens_details.reasoning_tokens, 0);
  const record = lastRequest();
  assert.equal(record.provider, 'openai');
  assert.equal(record.path, '/v1/chat/completions');
  assert.equal(record.headers.authorization, 'Bearer sk-test');
  assert.deepEqual(record.schemaErrors, []);
  assert.equal(record.body.messages[1].content, 'hi there');
  assert.equal(usage.prompt_tokens, Math.ceil(record.bodyText.length / 4));
});

test('OpenAI: a streamed default reply has the role chunk, deltas, finish, the usage chunk and [DONE]', async () => {
  const response = await post('/v1/chat/completions', {
    model: 'gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'stream me' }] }], stream: true,
    stream_options: { include_usage: true },
  }, OPENAI_HEADERS);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const events = sseJson(await response.text());
  assert.equal(events.at(-1), '[DONE]');
  const chunks = events.slice(0, -1);
  assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
  const text = chunks.flatMap((c) => c.choices).map((c) => c.delta.content ?? '').join('');
  assert.equal(text, 'echo: stream me');
  const finish = chunks.at(-2);
  assert.deepEqual(finish.choices[0], { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
  const usage = chunks.at(-1);
  assert.deepEqual(usage.choices, []);
  assert.equal(usage.usage.total_tokens, usage.usage.prompt_tokens + usage.usage.completion_tokens);
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
});

test('OpenAI: Azure and OpenRouter-style prefixes route to the OpenAI format', async () => {
  const azure = await post('/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21', {
    messages: [{ role: 'user', content: 'azure' }],
  }, { 'api-key': 'azure-key', 'content-type': 'application/json' });
  assert.equal(azure.status, 200);
  assert.equal((await azure.json()).choices[0].message.content, 'echo: azure');
  assert.deepEqual(lastRequest().query, { 'api-version': '2024-10-21' });
  assert.deepEqual(lastRequest().schemaErrors, [], 'Azure bodies may omit model');
  const router = await post('/api/v1/chat/completions', {
    model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'router' }],
  }, OPENAI_HEADERS);
  assert.equal((await router.json()).choices[0].message.content, 'echo: router');
});

test('Anthropic: the default reply is a Message echoing the last user message', async () => {
  const response = await post('/v1/messages', {
    model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hello claude' }],
  }, ANTHROPIC_HEADERS);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('request-id'), /^req_011C/);
  const body = await response.json();
  assert.match(body.id, /^msg_01/);
  assert.equal(body.type, 'message');
  assert.equal(body.role, 'assistant');
  assert.equal(body.model, 'claude-sonnet-4-5');
  assert.deepEqual(body.content, [{ type: 'text', text: 'echo: hello claude' }]);
  assert.equal(body.stop_reason, 'end_turn');
  assert.equal(body.stop_sequence, null);
  assert.ok(body.usage.input_tokens > 0 && body.usage.output_tokens > 0);
  assert.equal(body.usage.cache_read_input_tokens, 0);
});

test('Anthropic: a streamed default reply follows the documented event sequence', async () => {
  const response = await post('/v1/messages', {
    model: 'claude-sonnet-4-5', max_tokens: 64, stream: true,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'stream please' }] }],
  }, ANTHROPIC_HEADERS);
  const events = parseSse(await response.text());
  const names = events.map((e) => e.event);
  assert.deepEqual([names[0], names[1], names[2]], ['message_start', 'content_block_start', 'ping']);
  assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  const data = events.map((e) => JSON.parse(e.data));
  assert.ok(data.every((d, i) => d.type === names[i]), 'data.type matches the event name');
  assert.equal(data[0].message.stop_reason, null);
  assert.equal(data[0].message.usage.output_tokens, 1);
  const text = data.filter((d) => d.type === 'content_block_delta').map((d) => d.delta.text).join('');
  assert.equal(text, 'echo: stream please');
  assert.deepEqual(data.at(-2).delta, { stop_reason: 'end_turn', stop_sequence: null });
  assert.ok(data.at(-2).usage.output_tokens > 1);
});

test('Gemini: generateContent answers a GenerateContentResponse', async () => {
  const response = await post('/v1beta/models/gemini-2.5-flash:generateContent', {
    contents: [{ role: 'user', parts: [{ text: 'hi gemini' }] }],
  }, GEMINI_HEADERS);
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.deepEqual(body.candidates, [{
    content: { parts: [{ text: 'echo: hi gemini' }], role: 'model' }, finishReason: 'STOP', index: 0,
  }]);
  const usage = body.usageMetadata;
  assert.equal(usage.totalTokenCount, usage.promptTokenCount + usage.candidatesTokenCount);
  assert.equal(body.modelVersion, 'gemini-2.5-flash');
  assert.equal(typeof body.responseId, 'string');
  assert.equal(lastRequest().provider, 'gemini');
});

test('Gemini: streamGenerateContent?alt=sse streams chunks with CRLF frames; finishReason on the last', async () => {
  const response = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', {
    contents: [{ parts: [{ text: 'many words here' }] }],
  }, GEMINI_HEADERS);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const raw = await response.text();
  assert.ok(raw.includes('\r\n\r\n'));
  const chunks = sseJson(raw);
  assert.ok(chunks.length > 1);
  const text = chunks.map((c) => c.candidates[0].content.parts.map((p) => p.text).join('')).join('');
  assert.equal(text, 'echo: many words here');
  assert.ok(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined));
  assert.equal(chunks.at(-1).candidates[0].finishReason, 'STOP');
  assert.ok(chunks.every((c) => c.usageMetadata && c.responseId === chunks[0].responseId));
});

test('Gemini: streamGenerateContent without alt=sse streams a JSON array', async () => {
  const response = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=AIza-test', {
    contents: [{ parts: [{ text: 'array mode' }] }],
  }, JSON_ONLY);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  const body = JSON.parse(await response.text());
  assert.ok(Array.isArray(body) && body.length > 1);
  assert.equal(body.map((c) => c.candidates[0].content.parts[0].text).join(''), 'echo: array mode');
  assert.equal(lastRequest().query.key, 'AIza-test');
});

test('unknown paths get a 404 JSON body and are still recorded', async () => {
  const response = await post('/v1/completions', { prompt: 'x' }, OPENAI_HEADERS);
  assert.equal(response.status, 404);
  assert.match((await response.json()).error.message, /Invalid URL \(POST \/v1\/completions\)/);
  assert.equal(lastRequest().provider, null);
  assert.equal(lastRequest().path, '/v1/completions');
});

// ------------------------------------------------------------------------------ scripted replies

test('scripted replies are one FIFO across providers, then defaults resume', async () => {
  server.reply({ json: openai.completion({ text: 'first' }) }, { json: anthropic.message({ text: 'second' }) });
  const first = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'a' }] },
    OPENAI_HEADERS);
  assert.equal((await first.json()).choices[0].message.content, 'first');
  const second = await post('/v1/messages', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'b' }] },
    ANTHROPIC_HEADERS);
  assert.equal((await second.json()).content[0].text, 'second');
  const third = await post('/v1/messages', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'c' }] },
    ANTHROPIC_HEADERS);
  assert.equal((await third.json()).content[0].text, 'echo: c');
});

test('OpenAI tool-call stream: header delta with id/type/name, then argument pieces by index', async () => {
  const chunks = openai.chunks({
    toolCalls: [
      { id: 'call_1', name: 'get_weather', arguments: ['{"loc', 'ation":"Par', 'is"}'] },
      { id: 'call_2', name: 'get_time', arguments: '{}' },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 7 },
    includeUsage: true,
  });
  server.reply({ stream: [...chunks, { data: '[DONE]' }] });
  const response = await post('/v1/chat/completions', {
    model: 'gpt-4o', messages: [{ role: 'user', content: 'weather and time?' }], stream: true,
    stream_options: { include_usage: true }, tools: [{ type: 'function', function: { name: 'get_weather' } }],
  }, OPENAI_HEADERS);
  const events = sseJson(await response.text());
  assert.deepEqual(events.slice(0, -1), chunks);
  const first = events[0].choices[0].delta;
  assert.equal(first.role, 'assistant');
  assert.equal(first.content, null);
  assert.deepEqual(first.tool_calls, [
    { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
  ]);
  const calls = [];
  for (const chunk of events.slice(0, -1)) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      calls[delta.index] ??= { id: delta.id, name: delta.function.name, arguments: '' };
      calls[delta.index].arguments += delta.function.arguments ?? '';
    }
  }
  assert.deepEqual(calls, [
    { id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
    { id: 'call_2', name: 'get_time', arguments: '{}' },
  ]);
  assert.equal(events.at(-3).choices[0].finish_reason, 'tool_calls');
  assert.equal(events.at(-2).usage.total_tokens, 17);
});

test('Anthropic tool-use stream: input_json_delta pieces rebuild the input', async () => {
  const input = { location: 'San Francisco, CA', unit: 'celsius' };
  const toolUses = [{ id: 'toolu_01X', name: 'get_weather', input }];
  server.reply({ stream: anthropic.events({ text: ['Let me ', 'check.'], toolUses }) });
  const response = await post('/v1/messages', {
    model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'weather?' }],
  }, ANTHROPIC_HEADERS);
  const data = parseSse(await response.text()).map((e) => JSON.parse(e.data));
  const blocks = data.filter((d) => d.type === 'content_block_start').map((d) => d.content_block);
  assert.deepEqual(blocks, [
    { type: 'text', text: '' }, { type: 'tool_use', id: 'toolu_01X', name: 'get_weather', input: {} },
  ]);
  const json = data.filter((d) => d.type === 'content_block_delta' && d.index === 1).map((d) => d.delta.partial_json);
  assert.equal(json[0], '');
  assert.deepEqual(JSON.parse(json.join('')), input);
  assert.equal(data.find((d) => d.type === 'message_delta').delta.stop_reason, 'tool_use');
});

test('Gemini function-call stream: calls arrive whole; the blocked-prompt reply has no candidates', async () => {
  const chunks = gemini.chunks({
    text: ['Checking'], functionCalls: [{ name: 'get_weather', args: { city: 'Oslo' } }],
    usage: { promptTokenCount: 12, candidatesTokenCount: 8 },
  });
  server.reply({ stream: chunks }, { json: gemini.blocked({ usage: { promptTokenCount: 9 } }) });
  const response = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', {
    contents: [{ parts: [{ text: 'weather in Oslo?' }] }],
  }, GEMINI_HEADERS);
  const got = sseJson(await response.text());
  assert.deepEqual(got, chunks);
  assert.deepEqual(got[1].candidates[0].content.parts, [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }]);
  assert.equal(got[1].usageMetadata.candidatesTokenCount, 8);
  const blocked = await (await post('/v1beta/models/gemini-2.5-flash:generateContent', {
    contents: [{ parts: [{ text: 'something bad' }] }],
  }, GEMINI_HEADERS)).json();
  assert.equal(blocked.candidates, undefined);
  assert.equal(blocked.promptFeedback.blockReason, 'SAFETY');
});

test('non-streamed tool replies: tool_calls, tool_use blocks and functionCall parts', () => {
  const done = openai.completion({
    toolCalls: [{ id: 'call_9', name: 'lookup', arguments: ['{"q":', '"x"}'] }],
    usage: { prompt_tokens: 3, completion_tokens: 4 },
  });
  assert.equal(done.choices[0].message.content, null);
  assert.deepEqual(done.choices[0].message.tool_calls,
    [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }]);
  assert.equal(done.choices[0].finish_reason, 'tool_calls');
  assert.equal(done.usage.total_tokens, 7);
  const message = anthropic.message({
    text: 'Looking.', toolUses: [{ id: 'toolu_01Y', name: 'lookup', input: { q: 'x' } }],
    usage: { input_tokens: 5, output_tokens: 6, cache_read_input_tokens: 2 },
  });
  assert.deepEqual(message.content, [
    { type: 'text', text: 'Looking.' }, { type: 'tool_use', id: 'toolu_01Y', name: 'lookup', input: { q: 'x' } },
  ]);
  assert.equal(message.stop_reason, 'tool_use');
  assert.equal(message.usage.cache_read_input_tokens, 2);
  assert.equal(anthropic.message({ stopReason: 'refusal' }).stop_details.type, 'refusal');
  const reply = gemini.response({
    functionCalls: [{ name: 'lookup', args: { q: 'x' } }],
    usage: { promptTokenCount: 4, candidatesTokenCount: 2, thoughtsTokenCount: 3 },
  });
  assert.deepEqual(reply.candidates[0].content,
    { parts: [{ functionCall: { name: 'lookup', args: { q: 'x' } } }], role: 'model' });
  assert.equal(reply.usageMetadata.totalTokenCount, 9);
  assert.equal(reply.usageMetadata.thoughtsTokenCount, 3);
  assert.equal(gemini.response({ text: 'cut', finishReason: 'MAX_TOKENS' }).candidates[0].finishReason, 'MAX_TOKENS');
});

test('chunkSizes cut the byte stream anywhere, even inside a UTF-8 character', async () => {
  const chunks = openai.chunks({ text: ['héllo ', '😀 wörld'], usage: { prompt_tokens: 1, completion_tokens: 1 } });
  const events = [...chunks, { data: '[DONE]' }];
  const bytes = splitBytes(sse(events), 1);
  assert.ok(bytes.every((piece) => piece.length === 1));
  const pieces = sse(events, { chunkSizes: [5, 3] });
  const cut = pieces.findIndex((_, i) => {
    const upTo = Buffer.concat(pieces.slice(0, i + 1));
    return upTo.toString('utf8').includes('\uFFFD');
  });
  assert.ok(cut >= 0, 'some boundary falls inside a multi-byte character');
  server.reply({ stream: events, chunkSizes: [5, 3], crlf: true, comments: 'OPENROUTER PROCESSING' });
  const response = await post('/v1/chat/completions', {
    model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true,
  }, OPENAI_HEADERS);
  const raw = await response.text();
  assert.ok(raw.startsWith(': OPENROUTER PROCESSING\r\n\r\n'));
  const got = sseJson(raw);
  assert.equal(got.at(-1), '[DONE]');
  assert.equal(got.slice(0, -1).map((c) => c.choices[0].delta.content ?? '').join(''), 'héllo 😀 wörld');
});

test('delayMs delays a plain reply and spaces stream writes', async () => {
  server.reply({ delayMs: 60, json: openai.completion({ text: 'late' }) });
  const start = Date.now();
  const response = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    OPENAI_HEADERS);
  assert.equal((await response.json()).choices[0].message.content, 'late');
  assert.ok(Date.now() - start >= 55);
  const events = anthropic.events({ text: ['a', 'b'] });
  server.reply({ stream: events, delayMs: 15 });
  const t0 = Date.now();
  const stream = await post('/v1/messages', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
    ANTHROPIC_HEADERS);
  assert.equal(parseSse(await stream.text()).length, events.length);
  assert.ok(Date.now() - t0 >= (events.length - 1) * 15 - 10);
});

test('breakAfter drops the connection mid-stream', async () => {
  const chunks = openai.chunks({ text: ['one ', 'two ', 'three'] });
  server.reply({ stream: [...chunks, { data: '[DONE]' }], breakAfter: 2 });
  const response = await post('/v1/chat/completions', {
    model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true,
  }, OPENAI_HEADERS);
  assert.equal(response.status, 200);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  await assert.rejects(async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  });
  const got = sseJson(text);
  assert.equal(got.length, 2);
  assert.ok(!text.includes('[DONE]'));
});

// ------------------------------------------------------------------------------ errors and auth

test('a scripted 429 carries retry-after, exposed to browsers', async () => {
  server.reply({ status: 429, headers: { 'retry-after': '1' }, json: openai.error(429) });
  const response = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    OPENAI_HEADERS);
  assert.equal(response.status, 429);
  assert.equal(response.headers.get('retry-after'), '1');
  assert.match(response.headers.get('access-control-expose-headers'), /retry-after/);
  const body = await response.json();
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(body.error.code, 'rate_limit_exceeded');
  assert.equal(openai.error(429, 'insufficient_quota').error.type, 'insufficient_quota');
  assert.equal(openai.error(400).error.code, 'context_length_exceeded');
  assert.equal(openai.error(400, 'content_filter').error.code, 'content_policy_violation');
  assert.equal(openai.error(500).error.type, 'server_error');
  assert.equal(openai.error(401).error.code, 'invalid_api_key');
});

test('the error builders follow each provider\'s documented types', () => {
  const types = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error',
    404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };
  for (const [status, type] of Object.entries(types)) {
    const body = anthropic.error(Number(status));
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, type);
    assert.match(body.request_id, /^req_/);
  }
  assert.match(anthropic.error(400, 'context_length').error.message, /^prompt is too long: \d+ tokens > \d+ maximum$/);
  const statuses = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL', 503: 'UNAVAILABLE' };
  for (const [status, name] of Object.entries(statuses)) {
    const { error } = gemini.error(Number(status));
    assert.deepEqual([error.code, error.status], [Number(status), name]);
    assert.equal(typeof error.message, 'string');
  }
  assert.equal(gemini.error(400, 'api_key_invalid').error.details[0].reason, 'API_KEY_INVALID');
});

test('OpenAI auth: missing and bad Bearer keys get the documented 401s', async () => {
  server.reply({ json: openai.completion({ text: 'kept for the next good request' }) });
  const missing = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    JSON_ONLY);
  assert.equal(missing.status, 401);
  const missingBody = await missing.json();
  assert.equal(missingBody.error.type, 'invalid_request_error');
  assert.match(missingBody.error.message, /You didn't provide an API key/);
  const bad = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    { ...OPENAI_HEADERS, authorization: 'Bearer bad-key' });
  assert.equal(bad.status, 401);
  assert.deepEqual((await bad.json()).error, {
    message: 'Incorrect API key provided: bad-key. You can find your API key at '
      + 'https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error', param: null, code: 'invalid_api_key',
  });
  const azure = await post('/openai/deployments/d/chat/completions?api-version=2024-10-21', {
    messages: [{ role: 'user', content: 'x' }],
  }, { 'api-key': 'bad-key', 'content-type': 'application/json' });
  assert.equal(azure.status, 401);
  assert.equal((await azure.json()).error.code, '401');
  const good = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    OPENAI_HEADERS);
  assert.equal((await good.json()).choices[0].message.content, 'kept for the next good request');
});

test('Anthropic auth: x-api-key (401), anthropic-version (400), browser opt-in (401)', async () => {
  const body = { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] };
  const missing = await post('/v1/messages', body, { ...JSON_ONLY, 'anthropic-version': '2023-06-01' });
  assert.equal(missing.status, 401);
  const missingBody = await missing.json();
  assert.deepEqual(missingBody.error, { type: 'authentication_error', message: 'x-api-key header is required' });
  assert.equal(missingBody.type, 'error');
  const bad = await post('/v1/messages', body, { ...ANTHROPIC_HEADERS, 'x-api-key': 'bad-key' });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).error.message, 'invalid x-api-key');
  const noVersion = await post('/v1/messages', body, { 'x-api-key': 'k', 'content-type': 'application/json' });
  assert.equal(noVersion.status, 400);
  assert.deepEqual((await noVersion.json()).error,
    { type: 'invalid_request_error', message: 'anthropic-version: header is required' });
  const browser = await post('/v1/messages', body, { ...ANTHROPIC_HEADERS, origin: 'http://page.test' });
  assert.equal(browser.status, 401);
  assert.match((await browser.json()).error.message, /anthropic-dangerous-direct-browser-access/);
  const optedIn = await post('/v1/messages', body,
    { ...ANTHROPIC_HEADERS, origin: 'http://page.test', 'anthropic-dangerous-direct-browser-access': 'true' });
  assert.equal(optedIn.status, 200);
});

test('Gemini auth: no key is 403 PERMISSION_DENIED, a bad key 400 API_KEY_INVALID', async () => {
  const body = { contents: [{ parts: [{ text: 'x' }] }] };
  const missing = await post('/v1beta/models/gemini-2.5-flash:generateContent', body, JSON_ONLY);
  assert.equal(missing.status, 403);
  assert.equal((await missing.json()).error.status, 'PERMISSION_DENIED');
  const bad = await post('/v1beta/models/gemini-2.5-flash:generateContent?key=bad-key', body,
    JSON_ONLY);
  assert.equal(bad.status, 400);
  const { error } = await bad.json();
  assert.deepEqual([error.code, error.status, error.message],
    [400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.']);
  // The JSON-array stream answers errors as an array too.
  const streamed = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent', body,
    { 'content-type': 'application/json', 'x-goog-api-key': 'bad-key' });
  assert.equal((await streamed.json())[0].error.status, 'INVALID_ARGUMENT');
});

test('a body that is not JSON gets the provider\'s 400 and a recorded schema error', async () => {
  const response = await post('/v1/messages', '{"model": ', ANTHROPIC_HEADERS);
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.type, 'invalid_request_error');
  assert.equal(lastRequest().body, undefined);
  assert.equal(lastRequest().schemaErrors[0].keyword, 'json');
});

// ------------------------------------------------------------------------------ hang, close, CORS

test('a hanging reply is cut by close() and the process does not hang', async () => {
  const own = await startProviderServer();
  own.reply({ hang: true });
  const pending = fetch(`${own.url}/v1/chat/completions`, {
    method: 'POST', headers: OPENAI_HEADERS, body: JSON.stringify({ model: 'm', messages: [] }),
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(own.requests.length, 1);
  const start = Date.now();
  await own.close();
  await assert.rejects(pending);
  assert.ok(Date.now() - start < 1000);
});

test('close() also ends a slow stream in progress', async () => {
  const own = await startProviderServer();
  own.reply({ stream: anthropic.events({ text: ['a', 'b', 'c'] }), delayMs: 10_000 });
  const response = await fetch(`${own.url}/v1/messages`, {
    method: 'POST', headers: ANTHROPIC_HEADERS,
    body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], stream: true }),
  });
  const reading = response.text();
  await own.close();
  await assert.rejects(reading);
});

test('CORS: preflights get 204 and every response carries the allow/expose headers', async () => {
  const before = server.requests.length;
  const preflight = await fetch(`${server.url}/v1/messages`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://page.test', 'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-api-key, anthropic-version, content-type, x-stainless-os',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST, OPTIONS');
  const allowed = preflight.headers.get('access-control-allow-headers');
  for (const name of ['*', 'authorization', 'x-api-key', 'anthropic-version', 'x-goog-api-key', 'content-type',
    'x-stainless-os']) {
    assert.ok(allowed.includes(name), name);
  }
  assert.equal(server.requests.length, before, 'preflights are not recorded');
  const errorResponse = await post('/v1/chat/completions', {}, JSON_ONLY);
  const expose = errorResponse.headers.get('access-control-expose-headers');
  for (const name of ['*', 'retry-after', 'retry-after-ms', 'x-request-id', 'request-id', 'x-should-retry']) {
    assert.ok(expose.includes(name), name);
  }
  assert.equal(errorResponse.headers.get('access-control-allow-origin'), '*');
});

// ------------------------------------------------------------------------------ request schemas

// Request bodies from the providers' API references and guides.
const DOC_EXAMPLES = {
  openai: [
    // API reference, "Create chat completion" (Default).
    {
      model: 'gpt-4.1',
      messages: [{ role: 'developer', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Hello!' }],
    },
    // API reference (Image input).
    {
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this image?' }, {
        type: 'image_url',
        image_url: {
          url: 'https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/'
            + '2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg',
        },
      }] }],
      max_tokens: 300,
    },
    // API reference (Functions), followed by the function-calling guide's tool round trip.
    {
      model: 'gpt-4.1',
      messages: [
        { role: 'user', content: 'What is the weather like in Boston today?' },
        {
          role: 'assistant', content: null,
          tool_calls: [{
            id: 'call_12345xyz', type: 'function',
            function: { name: 'get_current_weather', arguments: '{"location":"Boston, MA"}' },
          }],
        },
        { role: 'tool', tool_call_id: 'call_12345xyz', content: '{"temperature": 22, "unit": "celsius"}' },
      ],
      tools: [{
        type: 'function',
        function: {
          name: 'get_current_weather', description: 'Get the current weather in a given location',
          parameters: {
            type: 'object',
            properties: {
              location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
              unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
            },
            required: ['location'],
          },
        },
      }],
      tool_choice: 'auto',
    },
    // Structured Outputs guide (math_reasoning), streamed with usage.
    {
      model: 'gpt-4o-2024-08-06',
      messages: [
        { role: 'system', content: 'You are a helpful math tutor. Guide the user through the solution step by step.' },
        { role: 'user', content: 'how can I solve 8x + 7 = -23' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'math_reasoning',
          schema: {
            type: 'object',
            properties: {
              steps: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { explanation: { type: 'string' }, output: { type: 'string' } },
                  required: ['explanation', 'output'],
                  additionalProperties: false,
                },
              },
              final_answer: { type: 'string' },
            },
            required: ['steps', 'final_answer'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
      stream: true,
      stream_options: { include_usage: true },
      logprobs: true,
      top_logprobs: 2,
    },
  ],
  anthropic: [
    // API reference, "Create a Message".
    { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello, world' }] },
    // Tool use guide: get_weather, then the tool_result turn.
    {
      model: 'claude-opus-4-1-20250805',
      max_tokens: 1024,
      tools: [{
        name: 'get_weather', description: 'Get the current weather in a given location',
        input_schema: {
          type: 'object',
          properties: {
            location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
            unit: {
              type: 'string', enum: ['celsius', 'fahrenheit'],
              description: 'The unit of temperature, either "celsius" or "fahrenheit"',
            },
          },
          required: ['location'],
        },
      }],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [
        { role: 'user', content: 'What is the weather like in San Francisco?' },
        { role: 'assistant', content: [
          { type: 'text', text: "I'll check the current weather in San Francisco for you." },
          {
            type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather',
            input: { location: 'San Francisco, CA', unit: 'celsius' },
          },
        ] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' }],
        },
      ],
    },
    // Prompt caching guide: system blocks with cache_control.
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [
        {
          type: 'text',
          text: 'You are an AI assistant tasked with analyzing literary works. Your goal is to provide insightful '
            + 'commentary on themes, characters, and writing style.\n',
        },
        { type: 'text', text: '<the entire contents of Pride and Prejudice>', cache_control: { type: 'ephemeral' } },
      ],
      messages: [{ role: 'user', content: 'Analyze the major themes in Pride and Prejudice.' }],
    },
    // Vision and extended thinking guides.
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 16000,
      thinking: { type: 'enabled', budget_tokens: 10000 },
      stream: true,
      messages: [{ role: 'user', content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
        {
          type: 'image',
          source: {
            type: 'url', url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
          },
        },
        { type: 'text', text: 'Describe this image.' },
      ] }],
      metadata: { user_id: '13803d75-b4b5-4c3e-b2a2-6f21399b021b' },
      stop_sequences: ['\n\nHuman:'],
    },
  ],
  gemini: [
    // Text generation quickstart.
    { contents: [{ parts: [{ text: 'Explain how AI works in a few words' }] }] },
    // System instructions guide, as written there (proto field names).
    {
      system_instruction: { parts: [{ text: 'You are a cat. Your name is Neko.' }] },
      contents: [{ parts: [{ text: 'Hello there' }] }],
      generationConfig: { temperature: 0.1, stopSequences: ['Title'], maxOutputTokens: 800, topP: 0.8, topK: 10 },
    },
    // Structured output guide (responseSchema, OpenAPI subset with enum type names).
    {
      contents: [{ parts: [{ text: 'List a few popular cookie recipes, and include the amounts of ingredients.' }] }],
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: {
          type: 'ARRAY',
          items: {
            type: 'OBJECT',
            properties: { recipeName: { type: 'STRING' }, ingredients: { type: 'ARRAY', items: { type: 'STRING' } } },
            propertyOrdering: ['recipeName', 'ingredients'],
          },
        },
      },
    },
    // Function calling guide (schedule_meeting), with the call and its response replayed.
    {
      contents: [
        {
          role: 'user',
          parts: [{ text: 'Schedule a meeting with Bob and Alice for 03/27/2025 at 10:00 AM about the Q3 planning.' }],
        },
        {
          role: 'model',
          parts: [{ functionCall: {
            name: 'schedule_meeting',
            args: { attendees: ['Bob', 'Alice'], date: '2025-03-27', time: '10:00', topic: 'Q3 planning' },
          } }],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'schedule_meeting', response: { result: 'scheduled' } } }] },
      ],
      tools: [{
        functionDeclarations: [{
          name: 'schedule_meeting',
          description: 'Schedules a meeting with specified attendees at a given time and date.',
          parameters: {
            type: 'object',
            properties: {
              attendees: { type: 'array', items: { type: 'string' }, description: 'List of people attending the meeting.' },
              date: { type: 'string', description: "Date of the meeting (e.g., '2024-07-29')" },
              time: { type: 'string', description: "Time of the meeting (e.g., '15:00')" },
              topic: { type: 'string', description: 'The subject or topic of the meeting.' },
            },
            required: ['attendees', 'date', 'time', 'topic'],
          },
        }],
      }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['schedule_meeting'] } },
    },
    // Image understanding guide (inline_data as written there) and thinking.
    {
      contents: [{
        parts: [{ inline_data: { mime_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } }, { text: 'Caption this image.' }],
      }],
      generationConfig: { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
    },
  ],
};

for (const [provider, examples] of Object.entries(DOC_EXAMPLES)) {
  test(`${provider} schema accepts the documented example requests`, () => {
    examples.forEach((body, i) => {
      assert.deepEqual(validateRequest(provider, body), [], `${provider} example ${i}`);
    });
  });
}

const errorsOf = (provider, body) => validateRequest(provider, body);
const mentions = (errors, keyword, text) => errors.some((e) => e.keyword === keyword
  && JSON.stringify([e.instancePath, e.params]).includes(text));

test('openai schema rejects unknown fields, wrong roles, out-of-range values and bad names', () => {
  const base = DOC_EXAMPLES.openai[0];
  assert.ok(mentions(errorsOf('openai', { ...base, temprature: 0.5 }), 'additionalProperties', 'temprature'));
  const withMessages = (...messages) => ({ ...base, messages });
  assert.ok(mentions(errorsOf('openai', withMessages({ role: 'bot', content: 'hi' })), 'enum', '/messages/0/role'));
  assert.ok(mentions(errorsOf('openai', { ...base, temperature: 2.5 }), 'maximum', '/temperature'));
  assert.ok(mentions(errorsOf('openai', { ...base, stop: ['a', 'b', 'c', 'd', 'e'] }), 'maxItems', '/stop'));
  assert.ok(mentions(errorsOf('openai', { ...base, frequency_penalty: -3 }), 'minimum', '/frequency_penalty'));
  const call = (fn) => withMessages({ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: fn }] });
  const badCall = call({ name: 'no spaces', arguments: '{}' });
  assert.ok(mentions(errorsOf('openai', badCall), 'pattern', '/messages/0/tool_calls/0/function/name'));
  const objectArgs = call({ name: 'f', arguments: {} });
  assert.ok(mentions(errorsOf('openai', objectArgs), 'type', '/arguments'));
  assert.ok(mentions(errorsOf('openai', withMessages({ role: 'tool', content: 'x' })), 'required', 'tool_call_id'));
  assert.ok(errorsOf('openai', withMessages({ role: 'assistant' })).length > 0, 'assistant needs content or tool_calls');
  assert.ok(errorsOf('openai', { ...base, response_format: { type: 'json_schema' } }).length > 0);
  assert.ok(errorsOf('openai', { ...base, tool_choice: 'sometimes' }).length > 0);
  assert.ok(mentions(errorsOf('openai', { model: 'm' }), 'required', 'messages'));
});

test('anthropic schema rejects a missing max_tokens, system role, temperature > 1 and stray fields', () => {
  const base = DOC_EXAMPLES.anthropic[0];
  const { max_tokens: _drop, ...noMax } = base;
  assert.ok(mentions(errorsOf('anthropic', noMax), 'required', 'max_tokens'));
  const systemRole = { ...base, messages: [{ role: 'system', content: 'x' }] };
  assert.ok(mentions(errorsOf('anthropic', systemRole), 'enum', '/messages/0/role'));
  assert.ok(mentions(errorsOf('anthropic', { ...base, temperature: 1.5 }), 'maximum', '/temperature'));
  assert.ok(mentions(errorsOf('anthropic', { ...base, stream_options: {} }), 'additionalProperties', 'stream_options'));
  const badBlock = { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] };
  assert.ok(mentions(errorsOf('anthropic', badBlock), 'required', 'tool_use_id'));
  const badTool = { ...base, tools: [{ name: 'f', input_schema: { type: 'array' } }] };
  assert.ok(errorsOf('anthropic', badTool).length > 0);
  assert.ok(errorsOf('anthropic', { ...base, tool_choice: { type: 'tool' } }).length > 0);
  const serverTool = { type: 'web_search_20250305', name: 'web_search', max_uses: 5 };
  assert.deepEqual(errorsOf('anthropic', { ...base, tools: [serverTool] }), [], 'server tools are checked loosely');
});

test('gemini schema rejects unknown fields, wrong roles, bad parts and out-of-range config', () => {
  const base = DOC_EXAMPLES.gemini[0];
  assert.ok(mentions(errorsOf('gemini', { ...base, generation_confg: {} }), 'additionalProperties', 'generation_confg'));
  const assistantRole = { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] };
  assert.ok(mentions(errorsOf('gemini', assistantRole), 'enum', '/contents/0/role'));
  assert.ok(mentions(errorsOf('gemini', { ...base, generationConfig: { temperature: 3 } }), 'maximum', '/temperature'));
  const misspelt = { ...base, generationConfig: { maxTokens: 5 } };
  assert.ok(mentions(errorsOf('gemini', misspelt), 'additionalProperties', 'maxTokens'));
  const twoKinds = { contents: [{ parts: [{ text: 'a', inlineData: { mimeType: 'image/png', data: '' } }] }] };
  assert.ok(errorsOf('gemini', twoKinds).length > 0, 'a part holds one kind of data');
  assert.ok(errorsOf('gemini', { ...base, toolConfig: { functionCallingConfig: { mode: 'REQUIRED' } } }).length > 0);
  const openApiOnly = {
    ...base,
    generationConfig: {
      responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', additionalProperties: false },
    },
  };
  assert.ok(mentions(errorsOf('gemini', openApiOnly), 'additionalProperties', 'additionalProperties'),
    'responseSchema is the OpenAPI subset');
  assert.ok(mentions(errorsOf('gemini', {}), 'required', 'contents'));
});

test('the server records schema errors for what a client actually sent', async () => {
  const response = await post('/v1/chat/completions', {
    model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], temperature: 9,
  }, OPENAI_HEADERS);
  assert.equal(response.status, 200, 'schema errors are recorded, not answered');
  await response.text();
  assert.ok(mentions(lastRequest().schemaErrors, 'maximum', '/temperature'));
});
