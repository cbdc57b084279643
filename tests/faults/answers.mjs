// The answers the fault cases script, per provider and mode, built with the providers' wire
// formats (../providers/wire.mjs), each with the completion Bridle must give back for it. A
// streamed answer is kept as its list of SSE events (one write each) with what each event
// carries, so a case can cut the stream after any event and know what the caller had by then.
import { openai as oa, anthropic as an, gemini as ge, encodeEvent } from '../providers/wire.mjs';

export const PROVIDERS = ['openai', 'anthropic', 'gemini'];
export const MODES = ['stream', 'generate'];

export const WEATHER = {
  name: 'weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
export const PERSON = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
};

/** The text answer's pieces: multi-byte UTF-8 in each, so a cut can fall inside a character. */
export const PIECES = ['Zoë ', 'likes ', '😀 and ', 'ünïcödé'];
const TEXT = PIECES.join('');
const USAGE = { inputTokens: 3, outputTokens: 4, totalTokens: 7 };
const ADA = { name: 'Ada', age: 36 };

const usageFor = {
  openai: { prompt_tokens: 3, completion_tokens: 4 },
  anthropic: { input_tokens: 3, output_tokens: 4 },
  gemini: { promptTokenCount: 3, candidatesTokenCount: 4 },
};

/** What the call sends for each kind of answer. */
export const CALLS = {
  text: { prompt: 'Tell me' },
  tool: { prompt: 'Weather in Lima?', tools: [WEATHER] },
  object: { prompt: 'Who?', output: { schema: PERSON } },
};

/** The completion each kind of answer must come back as (the fields the cases compare). */
export const EXPECTED = {
  text: { text: TEXT, finishReason: 'stop', toolCalls: [], usage: USAGE },
  tool: { text: 'Let me check. ', finishReason: 'tool-calls', toolCalls: [{ name: 'weather', input: { city: 'Lima' } }], usage: USAGE },
  object: { object: ADA, usage: USAGE },
};

/** The fields of a completion that EXPECTED speaks of, for a deepEqual. */
export function essentials(completion, kind) {
  const usage = { inputTokens: completion.usage?.inputTokens, outputTokens: completion.usage?.outputTokens, totalTokens: completion.usage?.totalTokens };
  if (kind === 'object') return { object: completion.object, usage };
  return {
    text: completion.text,
    finishReason: completion.finishReason,
    toolCalls: completion.toolCalls.map((call) => ({ name: call.name, input: call.input })),
    usage,
  };
}

/**
 * A streamed answer: `events` (the SSE text of each event), `texts` (the text each event
 * carries to the caller, '' for none), `content` (whether the event hands the caller
 * anything: text or a tool call), `completeAt` and `usageAt` (the events after which the
 * answer, and its usage, are all there). The last event is the provider's own end of the
 * answer: OpenAI's `[DONE]`, Anthropic's `message_stop`, Gemini's chunk with the finishReason.
 */
export function streamed(provider, kind) {
  const usage = usageFor[provider];
  const json = JSON.stringify(ADA);
  const jsonPieces = [json.slice(0, 9), json.slice(9, 17), json.slice(17)];
  let items;
  if (provider === 'openai') {
    const spec = {
      text: { text: PIECES },
      tool: { text: ['Let me check. '], toolCalls: [{ id: 'call_w1', name: 'weather', arguments: ['{"ci', 'ty":', '"Lima"}'] }] },
      object: { text: jsonPieces },
    }[kind];
    items = [...oa.chunks({ ...spec, includeUsage: true, usage }), { data: '[DONE]' }];
  } else if (provider === 'anthropic') {
    const spec = {
      text: { text: PIECES },
      tool: { text: ['Let me check. '], toolUses: [{ id: 'toolu_w1', name: 'weather', input: { city: 'Lima' } }] },
      object: { toolUses: [{ id: 'toolu_o1', name: 'output', input: ADA }] },
    }[kind];
    items = an.events({ ...spec, usage });
  } else {
    const spec = {
      text: { text: PIECES },
      tool: { text: ['Let me check. '], functionCalls: [{ name: 'weather', args: { city: 'Lima' } }] },
      object: { text: jsonPieces },
    }[kind];
    items = ge.chunks({ ...spec, usage });
  }
  const eol = provider === 'gemini' ? '\r\n' : '\n';
  // After which event a clean end gives the whole answer: OpenAI's finish_reason chunk (the
  // core takes a stream without `[DONE]` as complete, as some compatible servers send it),
  // Anthropic's message_stop, Gemini's last chunk (the one with the finishReason).
  const completeAt = provider === 'openai' ? items.findIndex((item) => item.choices?.[0]?.finish_reason)
    : items.length - 1;
  // OpenAI reports usage in a chunk of its own after the finish; the others with the end.
  const usageAt = provider === 'openai' ? items.findIndex((item) => item.usage && !item.choices?.length) : completeAt;
  return {
    events: items.map((item) => encodeEvent(item, eol)),
    texts: items.map((item) => textOf(provider, item)),
    content: items.map((item) => carries(provider, item)),
    completeAt,
    usageAt,
  };
}

/**
 * A streamed answer whose text is `pieces` (e.g. JSON), ending as a cut-off answer does
 * (OpenAI's finish_reason 'length', Anthropic's 'max_tokens', Gemini's 'MAX_TOKENS') when
 * `cutOff`. The SSE events, one write each.
 */
export function textEvents(provider, pieces, { cutOff = false } = {}) {
  const usage = usageFor[provider];
  if (provider === 'openai') {
    return [...oa.chunks({ text: pieces, finishReason: cutOff ? 'length' : 'stop', includeUsage: true, usage }), { data: '[DONE]' }].map((item) => encodeEvent(item));
  }
  if (provider === 'anthropic') return an.events({ text: pieces, stopReason: cutOff ? 'max_tokens' : 'end_turn', usage }).map((item) => encodeEvent(item));
  return ge.chunks({ text: pieces, finishReason: cutOff ? 'MAX_TOKENS' : 'STOP', usage }).map((item) => encodeEvent(item, '\r\n'));
}

/**
 * A structured answer cut off by the token limit mid-JSON (`{"name": "Ada", "ag`), as each
 * provider sends it: JSON text with finish_reason 'length' (OpenAI) or 'MAX_TOKENS' (Gemini);
 * Anthropic's forced output tool with stop_reason 'max_tokens' (streamed: its input's JSON
 * pieces stop short; not streamed: the input holds what was complete).
 */
export function cutOffObject(provider, mode) {
  const pieces = ['{"name": ', '"Ada", "ag'];
  const usage = usageFor[provider];
  if (mode === 'stream') {
    if (provider !== 'anthropic') return { headers: SSE_HEADERS, writes: textEvents(provider, pieces, { cutOff: true }) };
    const items = an.events({ toolUses: [{ id: 'toolu_o1', name: 'output', partialJson: ['', ...pieces] }], stopReason: 'max_tokens', usage });
    return { headers: SSE_HEADERS, writes: items.map((item) => encodeEvent(item)) };
  }
  const json = JSON.stringify({
    openai: () => oa.completion({ text: pieces.join(''), finishReason: 'length', usage }),
    anthropic: () => an.message({ toolUses: [{ id: 'toolu_o1', name: 'output', input: { name: 'Ada' } }], stopReason: 'max_tokens', usage }),
    gemini: () => ge.response({ text: pieces.join(''), finishReason: 'MAX_TOKENS', usage }),
  }[provider]());
  return { writes: [json], contentLength: Buffer.byteLength(json) };
}

/** A non-streamed answer: the body's JSON text. */
export function body(provider, kind) {
  const usage = usageFor[provider];
  const json = JSON.stringify(ADA);
  if (provider === 'openai') {
    const spec = {
      text: { text: TEXT },
      tool: { text: 'Let me check. ', toolCalls: [{ id: 'call_w1', name: 'weather', arguments: '{"city":"Lima"}' }] },
      object: { text: json },
    }[kind];
    return JSON.stringify(oa.completion({ ...spec, usage }));
  }
  if (provider === 'anthropic') {
    const spec = {
      text: { text: TEXT },
      tool: { text: 'Let me check. ', toolUses: [{ id: 'toolu_w1', name: 'weather', input: { city: 'Lima' } }] },
      object: { toolUses: [{ id: 'toolu_o1', name: 'output', input: ADA }] },
    }[kind];
    return JSON.stringify(an.message({ ...spec, usage }));
  }
  const spec = {
    text: { text: TEXT },
    tool: { text: 'Let me check. ', functionCalls: [{ name: 'weather', args: { city: 'Lima' } }] },
    object: { text: json },
  }[kind];
  return JSON.stringify(ge.response({ ...spec, usage }));
}

/**
 * The provider's error body for an HTTP status. Gemini's 429 carries a RetryInfo (a 1 s
 * retryDelay, which Bridle honours); `retryDelay` sets it, null leaves it out.
 */
export function errorBody(provider, status, { retryDelay = null } = {}) {
  if (provider === 'gemini' && status === 429) {
    const details = retryDelay === null ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }];
    return JSON.stringify(ge.error(429, { details }));
  }
  const make = { openai: oa.error, anthropic: an.error, gemini: ge.error }[provider];
  return JSON.stringify(make(status));
}

/** An error reply (the fault server's form), with the provider's body for the status. */
export function errorReply(provider, status, headers = {}, options = {}) {
  const text = errorBody(provider, status, options);
  return { status, headers, writes: [text], contentLength: Buffer.byteLength(text) };
}

/** An error sent inside a stream, as each provider sends one (an overloaded / unavailable server). */
export function errorEvent(provider) {
  if (provider === 'openai') return encodeEvent({ error: { message: 'The server is overloaded', type: 'server_error', param: null, code: null } });
  if (provider === 'anthropic') return encodeEvent({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
  return encodeEvent({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }, '\r\n');
}

/** A whole good reply (the fault server's form) for a provider, mode and kind. */
export function goodReply(provider, mode, kind = 'text') {
  if (mode === 'generate') {
    const text = body(provider, kind);
    return { writes: [text], contentLength: Buffer.byteLength(text) };
  }
  return { headers: SSE_HEADERS, writes: streamed(provider, kind).events };
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** The echo the fault server gives when no reply is queued: `echo: <last user text>`, in the request's format. */
export function echoReply(record) {
  const { provider, body: request, stream } = record;
  const text = `echo: ${lastUserText(provider, request)}`;
  if (!stream) {
    const json = JSON.stringify({
      openai: () => oa.completion({ text, usage: usageFor.openai }),
      anthropic: () => an.message({ text, usage: usageFor.anthropic }),
      gemini: () => ge.response({ text, usage: usageFor.gemini }),
    }[provider]());
    return { writes: [json], contentLength: Buffer.byteLength(json) };
  }
  const items = {
    openai: () => [...oa.chunks({ text: [text], includeUsage: true, usage: usageFor.openai }), { data: '[DONE]' }],
    anthropic: () => an.events({ text: [text], usage: usageFor.anthropic }),
    gemini: () => ge.chunks({ text: [text], usage: usageFor.gemini }),
  }[provider]();
  const eol = provider === 'gemini' ? '\r\n' : '\n';
  return { headers: SSE_HEADERS, writes: items.map((item) => encodeEvent(item, eol)) };
}

function lastUserText(provider, request) {
  const text = (content) => (typeof content === 'string' ? content
    : Array.isArray(content) ? content.filter((p) => typeof p?.text === 'string').map((p) => p.text).join('') : '');
  if (provider === 'gemini') return text(request?.contents?.findLast((c) => c.role !== 'model')?.parts);
  return text(request?.messages?.findLast((m) => m.role === 'user')?.content);
}

function textOf(provider, item) {
  if (provider === 'openai') return item.choices?.[0]?.delta?.content ?? '';
  if (provider === 'anthropic') return item.data?.delta?.type === 'text_delta' ? item.data.delta.text : '';
  return (item.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? '').join('');
}

function carries(provider, item) {
  if (textOf(provider, item) !== '') return true;
  if (provider === 'openai') return Boolean(item.choices?.[0]?.delta?.tool_calls);
  if (provider === 'anthropic') {
    const { data } = item;
    return data?.content_block?.type === 'tool_use' || data?.delta?.type === 'input_json_delta';
  }
  return (item.candidates?.[0]?.content?.parts ?? []).some((p) => p.functionCall);
}
