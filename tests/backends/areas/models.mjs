// Model calls without a network: each provider (OpenAI, Anthropic, Gemini) gets a `fetch` that
// records the request the core built and answers with a random response in the provider's
// documented wire format (built by tests/providers/wire.mjs: text pieces, tool calls, thinking,
// usage, finish reasons; or an error status with the provider's error body; or a damaged body),
// its bytes cut at random, so the SSE decoder and the event decoders see every split. Calls are
// random too (messages, tools, tool choice, structured output, parameters, some invalid), and
// the scripted model replays random replies. Recorded: the requests, every stream event, and
// the completion or the error.
import { openai, anthropic, gemini, sse } from '../../providers/wire.mjs';
import { byteChunksOf, mutateText, randomString, words } from '../gen.mjs';
import { randomConversation } from './chat.mjs';

const PERSON = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name'] };
const TOOL_NAMES = ['weather', 'lookup', 'f'];

function randomTools(rng) {
  const names = rng.shuffle([...TOOL_NAMES]);
  const tools = Array.from({ length: rng.int(1, 3) }, (_, i) => ({
    name: rng.chance(0.97) ? names[i] : 'has space',
    description: words(rng, 2, 6),
    parameters: rng.chance(0.8) ? { type: 'object', properties: { city: { type: 'string' }, n: { type: 'integer' } }, required: ['city'] } : PERSON,
    ...(rng.chance(0.2) ? { strict: true } : {}),
  }));
  if (rng.chance(0.5)) return tools;
  const byName = {};
  for (const { name, ...tool } of tools) byName[name] = tool;
  return byName;
}

function randomCall(rng, provider) {
  const call = {};
  const roll = rng.float();
  if (roll < 0.3) call.messages = randomConversation(rng, { mutation: 0.05, long: false });
  else if (roll < 0.9) call.prompt = rng.chance(0.8) ? words(rng, 2, 10) : randomString(rng);
  else call.messages = [{ role: 'user', content: 'x' }];
  if (rng.chance(0.3)) call.system = words(rng, 2, 6);
  if (rng.chance(0.3)) call.tools = randomTools(rng);
  if (call.tools && rng.chance(0.5)) call.toolChoice = rng.chance(0.9) ? rng.pick(['auto', 'none', 'required']) : rng.pick([{ name: 'weather' }, { name: 'missing' }]);
  if (rng.chance(0.15)) call.output = rng.pick(['json', 'text', { schema: PERSON, name: 'person' }, { schema: { type: 'array', items: { type: 'number' } } }, { schema: PERSON, strict: true, description: 'A person' }]);
  if (rng.chance(0.3)) call.temperature = rng.chance(0.9) ? rng.pick([0, 0.7, 1, 1.5, 2]) : rng.pick([3, -1]);
  if (rng.chance(0.3)) call.maxTokens = rng.pick([1, 100, 4096, 0]);
  if (rng.chance(0.15)) call.topP = rng.pick([0.1, 1]);
  if (rng.chance(0.15)) call.topK = rng.pick([1, 40]);
  if (rng.chance(0.15)) call.stop = rng.pick(['\n', ['END', 'STOP']]);
  if (rng.chance(0.1)) call.seed = 7;
  if (rng.chance(0.1)) call.presencePenalty = 0.5;
  if (rng.chance(0.1)) call.frequencyPenalty = -0.5;
  if (rng.chance(0.1)) call.parallelToolCalls = rng.chance(0.5);
  if (rng.chance(0.1)) call.raw = { metadata: { user: 'u1' }, [provider === 'gemini' ? 'generationConfig' : 'extra']: { candidateCount: 1 } };
  if (rng.chance(0.02)) call.temprature = 1;
  return call;
}

/** Text as the pieces a provider streams it in. */
function textPieces(rng) {
  if (rng.chance(0.15)) return [];
  const text = rng.chance(0.7) ? words(rng, 1, 20) : randomString(rng, { lone: 0, long: false });
  const pieces = [];
  for (let at = 0; at < text.length;) {
    const size = rng.int(1, 12);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces;
}

function toolCalls(rng) {
  if (!rng.chance(0.3)) return [];
  return Array.from({ length: rng.int(1, 2) }, (_, i) => {
    const args = rng.pick(['{"city":"Oslo"}', '{"city": "Zürich", "n": 2}', '', '{"city":', 'not json', '{}', '[1]']);
    const cut = rng.int(0, args.length);
    return { id: `call_${i}${rng.int(0, 9)}`, name: rng.pick(TOOL_NAMES), arguments: [args.slice(0, cut), args.slice(cut)], input: args === '' ? {} : { city: 'Oslo' }, args: { city: 'Oslo' } };
  });
}

const USAGE = (rng) => ({ prompt_tokens: rng.int(0, 500), completion_tokens: rng.int(0, 300), cached_tokens: rng.int(0, 3), reasoning_tokens: rng.int(0, 2) });

/** A successful response body (a stream's SSE text, or the JSON of a whole answer). */
function successBody(rng, provider, stream) {
  const text = textPieces(rng);
  const calls = toolCalls(rng);
  const usage = USAGE(rng);
  const id = `id_${rng.int(0, 9999)}`;
  if (provider === 'openai') {
    const finishReason = rng.chance(0.8) ? undefined : rng.pick(['length', 'content_filter', 'tool_calls', 'stop', 'weird']);
    if (!stream) return JSON.stringify(openai.completion({ text: text.join(''), toolCalls: calls, finishReason, usage, id, created: 1700000000, refusal: rng.chance(0.05) ? 'I cannot.' : null }));
    const chunks = openai.chunks({ text, toolCalls: calls, finishReason, usage, includeUsage: rng.chance(0.7), obfuscation: rng.chance(0.3), id, created: 1700000000 });
    return sse([...chunks, ...(rng.chance(0.9) ? [{ data: '[DONE]' }] : [])], { comments: rng.chance(0.1) });
  }
  if (provider === 'anthropic') {
    const stopReason = rng.chance(0.8) ? undefined : rng.pick(['max_tokens', 'stop_sequence', 'refusal', 'pause_turn', 'tool_use']);
    const toolUses = calls.map((call) => ({ id: call.id, name: call.name, input: call.input }));
    const thinking = rng.chance(0.15) ? ['Let me ', 'think.'] : undefined;
    const anthropicUsage = { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, cache_read_input_tokens: usage.cached_tokens };
    if (!stream) return JSON.stringify(anthropic.message({ text, toolUses, stopReason, stopSequence: 'END', usage: anthropicUsage, id, thinking }));
    return sse(anthropic.events({ text, toolUses, stopReason, stopSequence: 'END', usage: anthropicUsage, id, thinking, ping: rng.chance(0.5) }), { comments: rng.chance(0.1) });
  }
  const finishReason = rng.chance(0.8) ? 'STOP' : rng.pick(['MAX_TOKENS', 'SAFETY', 'RECITATION', 'OTHER', 'MALFORMED_FUNCTION_CALL']);
  const functionCalls = calls.map((call) => ({ name: call.name, args: call.args, ...(rng.chance(0.3) ? { id: call.id } : {}) }));
  const geminiUsage = { promptTokenCount: usage.prompt_tokens, candidatesTokenCount: usage.completion_tokens, ...(rng.chance(0.3) ? { thoughtsTokenCount: 2 } : {}) };
  if (!stream) {
    if (rng.chance(0.05)) return JSON.stringify(gemini.blocked({ responseId: id }));
    return JSON.stringify(gemini.response({ text, functionCalls, finishReason, usage: geminiUsage, responseId: id, thought: rng.chance(0.1) ? 'hmm' : undefined }));
  }
  const chunks = gemini.chunks({ text, functionCalls, finishReason, usage: geminiUsage, responseId: id });
  return rng.chance(0.1) ? gemini.jsonArray(chunks).join('') : sse(chunks, { crlf: rng.chance(0.8), comments: rng.chance(0.05) });
}

const ERROR_STATUSES = [400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 503, 529];

function errorResponse(rng, provider) {
  const status = rng.pick(ERROR_STATUSES);
  const kind = rng.chance(0.2) ? rng.pick(['context_length_exceeded', 'insufficient_quota', 'content_policy_violation', 'model_not_found', 'rate_limit']) : undefined;
  const body = provider === 'openai' ? openai.error(status, kind) : provider === 'anthropic' ? anthropic.error(status, { requestId: 'req_fixed' }) : gemini.error(status);
  const headers = { 'content-type': 'application/json', 'x-request-id': `req_${rng.int(0, 99)}` };
  if (rng.chance(0.4)) headers[rng.pick(['retry-after', 'retry-after-ms'])] = String(rng.pick([0, 1, 30, 120]));
  if (rng.chance(0.2)) headers['x-should-retry'] = rng.pick(['true', 'false']);
  return { status, headers, body: rng.chance(0.9) ? JSON.stringify(body) : rng.pick(['', '<html>Bad Gateway</html>', '{"error": ']) };
}

function makeModelCase(rng) {
  const provider = rng.pick(['openai', 'anthropic', 'gemini', 'openai', 'anthropic', 'gemini', 'scripted']);
  const stream = rng.chance(0.65);
  const call = randomCall(rng, provider);
  if (provider === 'scripted') return { provider, stream, call, replies: scriptedReplies(rng) };
  const roll = rng.float();
  let response;
  if (roll < 0.72) {
    let body = successBody(rng, provider, stream);
    // Damage: a cut stream, an inserted line, a mangled event.
    if (rng.chance(0.15)) body = rng.chance(0.5) ? body.slice(0, rng.int(0, body.length)) : mutateText(rng, body, 1, ['\n\n', 'data: {oops}\n\n', 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n', ':', '"', '}', '\r']);
    response = { status: 200, headers: { 'content-type': stream ? 'text/event-stream' : 'application/json', 'x-request-id': 'req_ok' }, body };
  } else if (roll < 0.92) {
    response = errorResponse(rng, provider);
  } else {
    response = { status: rng.pick([200, 200, 302]), headers: { 'content-type': rng.pick(['text/html', 'application/json']) }, body: rng.pick(['', 'not json', '{"unexpected": true}', '[]', 'data: {}\n\n', '{"choices": []}', '{"content": 5}']) };
  }
  // The body's bytes are cut at random where the fetch hands them over (sizes kept, not bytes).
  const cuts = byteChunksOf(rng, new TextEncoder().encode(response.body), rng.pick([3, 12, 40, 200])).map((chunk) => chunk.length);
  return { provider, stream, call, response: { ...response, cuts }, options: modelOptions(rng, provider) };
}

function modelOptions(rng, provider) {
  const options = {};
  if (rng.chance(0.2)) options.baseURL = rng.chance(0.9) ? rng.pick(['http://localhost:11434/v1', 'https://proxy.example/api/']) : 'ftp://nope';
  if (rng.chance(0.1)) options.headers = { 'x-custom': 'v' };
  if (provider === 'openai' && rng.chance(0.1)) {
    options.azure = { apiVersion: '2024-06-01', deployment: 'dep' };
    if (rng.chance(0.9)) options.baseURL = 'https://res.openai.azure.com';
  }
  if (provider === 'openai' && rng.chance(0.1)) options.streamUsage = false;
  if (provider === 'openai' && rng.chance(0.1)) options.organization = 'org-1';
  if (provider === 'anthropic' && rng.chance(0.1)) options.anthropicVersion = '2023-01-01';
  if (rng.chance(0.1)) options.defaults = { temperature: 0.5, maxTokens: 50 };
  return options;
}

function scriptedReplies(rng) {
  return Array.from({ length: rng.int(1, 2) }, () => {
    const roll = rng.float();
    if (roll < 0.3) return randomString(rng, { lone: 0, long: false });
    if (roll < 0.55) return { chunks: textPieces(rng), ...(rng.chance(0.3) ? { usage: { inputTokens: 3, outputTokens: 4 } } : {}) };
    if (roll < 0.7) return { toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }, ...(rng.chance(0.3) ? [{ id: 'c2', name: 'f', arguments: '{"a":' }] : [])] };
    if (roll < 0.8) return { object: rng.pick([{ name: 'Ada', age: 36 }, { age: 'x' }, [1, 2]]) };
    if (roll < 0.9) return { error: { code: rng.pick(['rate_limit', 'auth', 'server', 'bad_request', 'timeout', 'nope']), message: 'scripted failure', ...(rng.chance(0.3) ? { status: 429, retryAfter: 10 } : {}) }, ...(rng.chance(0.3) ? { chunks: ['partial'] } : {}) };
    return { text: 'reasoned', reasoning: 'because', finishReason: rng.pick(['stop', 'length', 'content-filter', 'weird']) };
  });
}

/** A `fetch` that records each request and answers with the case's response, its bytes as cut. */
function fakeFetch(response, requests) {
  return async (url, init) => {
    requests.push({ url: String(url), method: init?.method, headers: init?.headers, body: init?.body });
    const bytes = new TextEncoder().encode(response.body);
    const body = new ReadableStream({
      start(controller) {
        let at = 0;
        for (const size of response.cuts) {
          controller.enqueue(bytes.slice(at, at + size));
          at += size;
        }
        controller.close();
      },
    });
    return new Response(response.status === 204 ? null : body, { status: response.status, headers: response.headers });
  };
}

async function runModelCase(bridle, c) {
  const requests = [];
  const model = c.provider === 'scripted'
    ? bridle.scripted(c.replies, { maxRetries: 0 })
    : bridle[c.provider]({ model: c.provider === 'gemini' ? 'gemini-2.5-flash' : 'test-model', apiKey: 'test-key', maxRetries: 0, ...c.options, fetch: fakeFetch(c.response, requests) });
  try {
    const outcome = { provider: model.provider, modelId: model.modelId };
    if (!c.stream) {
      try {
        outcome.completion = await model.generate(c.call);
      } catch (error) {
        outcome.failed = error;
      }
    } else {
      const stream = model.stream(c.call);
      outcome.events = [];
      try {
        for await (const event of stream) outcome.events.push(event);
      } catch (error) {
        outcome.failed = error;
      }
      outcome.result = await stream.result.catch((error) => error);
    }
    outcome.requests = requests;
    if (c.provider === 'scripted') outcome.calls = model.calls;
    return outcome;
  } finally {
    model.free();
  }
}

export const MODEL_AREAS = [
  { name: 'models/calls', count: 2000, make: makeModelCase, run: runModelCase, outputOf: (ok) => ok.completion ?? ok.events },
];
