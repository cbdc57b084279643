// Pure builders of the three providers' responses, shaped as their API references document
// them (and as recorded traffic in the Vercel AI SDK fixtures shows). No I/O: the server and
// the tests both build their expected bodies from here.
//
// Sources: openai-node src/resources/chat/completions/completions.ts (ChatCompletion,
// ChatCompletionChunk, CompletionUsage); anthropic-sdk-typescript src/resources/messages/messages.ts
// (Message, Usage, RawMessageStreamEvent) and docs.claude.com/en/api/errors; the generativelanguage
// v1beta protos (GenerateContentResponse, Candidate, UsageMetadata) and
// ai.google.dev/gemini-api/docs/troubleshooting. Ids are deterministic per process so runs repeat.

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
let seed = 0x9e3779b9;

function rand() {
  // xorshift32: the same id sequence on every run.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

export function randomId(prefix, length, alphabet = ALNUM) {
  let id = prefix;
  for (let i = 0; i < length; i++) id += alphabet[rand() % alphabet.length];
  return id;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const pieces = (value) => (value == null ? [] : Array.isArray(value) ? value : [value]);
const joined = (value) => pieces(value).join('');

// Splits a string into `count` nearly equal pieces (by UTF-16 unit; JSON text here is what the
// providers split, and they do split mid-token).
export function splitText(text, count = 3) {
  if (!text) return [text ?? ''];
  const size = Math.max(1, Math.ceil(text.length / count));
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

// ------------------------------------------------------------------------------------ OpenAI

function openaiUsage({ prompt_tokens = 0, completion_tokens = 0, cached_tokens = 0, reasoning_tokens = 0 } = {}) {
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0,
    },
  };
}

function openaiFinish(finishReason, toolCalls) {
  return finishReason ?? (toolCalls?.length ? 'tool_calls' : 'stop');
}

// A chat.completion object (non-streaming response).
function completion({
  text = '', toolCalls = [], finishReason, usage, model = 'gpt-4o-mini-2024-07-18', id, created, refusal = null,
} = {}) {
  const message = { role: 'assistant', content: text === null || (text === '' && toolCalls.length) ? null : text };
  message.refusal = refusal;
  message.annotations = [];
  if (toolCalls.length) {
    message.tool_calls = toolCalls.map((call) => ({
      id: call.id ?? randomId('call_', 24),
      type: 'function',
      function: { name: call.name, arguments: joined(call.arguments) },
    }));
  }
  return {
    id: id ?? randomId('chatcmpl-', 29),
    object: 'chat.completion',
    created: created ?? nowSeconds(),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: openaiFinish(finishReason, toolCalls) }],
    usage: openaiUsage(usage),
    service_tier: 'default',
    system_fingerprint: 'fp_bridle0001',
  };
}

// chat.completion.chunk objects in stream order. `text` is one string or its pieces; each tool
// call's `arguments` likewise. The first chunk carries the role: with `content: ""` when text
// follows, or with `content: null` and the first tool call's header when the reply is only tool
// calls (what the API sends). Each tool call is a header delta (index, id, type, function.name,
// arguments "") then argument deltas (index, function.arguments). With `includeUsage`
// (stream_options.include_usage) every chunk has `usage: null` and a last chunk has
// `choices: []` and the usage. `obfuscation` adds the padding field the API adds unless
// stream_options.include_obfuscation is false. The caller adds `data: [DONE]`.
function chunks({
  text = [], toolCalls = [], finishReason, usage, includeUsage = false, obfuscation = false,
  model = 'gpt-4o-mini-2024-07-18', id, created,
} = {}) {
  const base = {
    id: id ?? randomId('chatcmpl-', 29),
    object: 'chat.completion.chunk',
    created: created ?? nowSeconds(),
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_bridle0001',
  };
  const out = [];
  const push = (delta, finish = null) => {
    const chunk = { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
    if (includeUsage) chunk.usage = null;
    if (obfuscation) chunk.obfuscation = 'x'.repeat(1 + (out.length % 8));
    out.push(chunk);
  };
  const textPieces = pieces(text).filter((piece) => piece !== '');
  const calls = toolCalls.map((call) => ({ ...call, id: call.id ?? randomId('call_', 24) }));
  const header = (call, index) => ({
    index, id: call.id, type: 'function', function: { name: call.name, arguments: '' },
  });
  if (textPieces.length || !calls.length) {
    push({ role: 'assistant', content: '', refusal: null });
    for (const piece of textPieces) push({ content: piece });
  }
  calls.forEach((call, index) => {
    if (index === 0 && !textPieces.length) {
      push({ role: 'assistant', content: null, tool_calls: [header(call, index)], refusal: null });
    } else {
      push({ tool_calls: [header(call, index)] });
    }
    for (const piece of pieces(call.arguments)) {
      if (piece !== '') push({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  });
  push({}, openaiFinish(finishReason, calls));
  if (includeUsage) {
    const last = { ...base, choices: [], usage: openaiUsage(usage) };
    if (obfuscation) last.obfuscation = 'x';
    out.push(last);
  }
  return out;
}

// Error bodies as the API returns them: `{ error: { message, type, param, code } }`. The
// status picks the usual error; `kind` picks a specific one, `key` names the rejected key in
// invalid_api_key's message, other fields override. Bodies are
// those observed from api.openai.com: 401 keeps type invalid_request_error; a 429 rate limit
// has type "tokens" or "requests" and code rate_limit_exceeded, running out of credit is a 429
// with type/code insufficient_quota; context overflow is a 400 with param "messages".
const incorrectKey = (key) => `Incorrect API key provided: ${key}. You can find your API key at `
  + 'https://platform.openai.com/account/api-keys.';
const OPENAI_ERRORS = {
  missing_api_key: [401, {
    message: "You didn't provide an API key. You need to provide your API key in an Authorization header using "
      + 'Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if '
      + "you're accessing the API from your browser and are prompted for a username and password. You can "
      + 'obtain an API key from https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error', param: null, code: null,
  }],
  invalid_api_key: [401, {
    message: incorrectKey('bad-key'),
    type: 'invalid_request_error', param: null, code: 'invalid_api_key',
  }],
  unsupported_country: [403, {
    message: 'Country, region, or territory not supported', type: 'request_forbidden', param: null,
    code: 'unsupported_country_region_territory',
  }],
  model_not_found: [404, {
    message: 'The model `gpt-unknown` does not exist or you do not have access to it.',
    type: 'invalid_request_error', param: null, code: 'model_not_found',
  }],
  context_length_exceeded: [400, {
    message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. "
      + 'Please reduce the length of the messages.',
    type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded',
  }],
  content_filter: [400, {
    message: 'Your request was rejected as a result of our safety system. Your prompt may contain text that is not '
      + 'allowed by our safety system.',
    type: 'invalid_request_error', param: null, code: 'content_policy_violation',
  }],
  invalid_request: [400, {
    message: "Unrecognized request argument supplied: bogus", type: 'invalid_request_error', param: null, code: null,
  }],
  rate_limit_exceeded: [429, {
    message: 'Rate limit reached for gpt-4o-mini in organization org-bridle on requests per min (RPM): Limit 3, '
      + 'Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to '
      + 'learn more.',
    type: 'requests', param: null, code: 'rate_limit_exceeded',
  }],
  insufficient_quota: [429, {
    message: 'You exceeded your current quota, please check your plan and billing details. For more information on '
      + 'this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    type: 'insufficient_quota', param: null, code: 'insufficient_quota',
  }],
  server_error: [500, {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error', param: null, code: null,
  }],
  overloaded: [503, {
    message: 'The engine is currently overloaded, please try again later', type: 'server_error', param: null,
    code: null,
  }],
};
const OPENAI_BY_STATUS = {
  400: 'context_length_exceeded', 401: 'invalid_api_key', 403: 'unsupported_country', 404: 'model_not_found',
  429: 'rate_limit_exceeded', 500: 'server_error', 503: 'overloaded',
};

function kindAndOverrides(kindOrOverrides) {
  return typeof kindOrOverrides === 'string' ? [kindOrOverrides, {}] : [kindOrOverrides?.kind, kindOrOverrides ?? {}];
}

function openaiError(status, kindOrOverrides) {
  const [kind, overrides] = kindAndOverrides(kindOrOverrides);
  const [, base] = OPENAI_ERRORS[kind ?? OPENAI_BY_STATUS[status] ?? 'server_error']
    ?? [status, { message: 'Error', type: 'invalid_request_error', param: null, code: null }];
  const { kind: _kind, key, ...fields } = overrides;
  return { error: { ...base, ...(key != null ? { message: incorrectKey(key) } : {}), ...fields } };
}

// Azure OpenAI's own 401 (the key goes in `api-key`), which differs from api.openai.com's.
function azureAuthError() {
  return {
    error: {
      code: '401',
      message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid '
        + 'key for an active subscription and use a correct regional API endpoint for your resource.',
    },
  };
}

export const openai = {
  completion, chunks, error: openaiError, azureAuthError, statusOf: (kind) => OPENAI_ERRORS[kind]?.[0],
};

// ------------------------------------------------------------------------------------ Anthropic

function anthropicUsage({ input_tokens = 0, output_tokens = 0, cache_read_input_tokens = 0,
  cache_creation_input_tokens = 0 } = {}, outputTokens = output_tokens) {
  return {
    input_tokens,
    cache_creation_input_tokens,
    cache_read_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function anthropicStop(stopReason, toolUses) {
  return stopReason ?? (toolUses?.length ? 'tool_use' : 'end_turn');
}

const REFUSAL_DETAILS = {
  type: 'refusal', category: null, explanation: null,
};

// A Message object (non-streaming response). `thinking` prepends a thinking block.
function message({
  text = '', toolUses = [], stopReason, stopSequence = null, usage, model = 'claude-sonnet-4-5-20250929', id,
  thinking,
} = {}) {
  const content = [];
  if (thinking != null) content.push({ type: 'thinking', thinking: joined(thinking), signature: 'c2lnbmF0dXJl' });
  if (joined(text) !== '' || (!toolUses.length && thinking == null)) content.push({ type: 'text', text: joined(text) });
  for (const use of toolUses) {
    content.push({ type: 'tool_use', id: use.id ?? randomId('toolu_01', 22), name: use.name, input: use.input ?? {} });
  }
  const stop = anthropicStop(stopReason, toolUses);
  const result = {
    model,
    id: id ?? randomId('msg_01', 22),
    type: 'message',
    role: 'assistant',
    content,
    stop_reason: stop,
    stop_sequence: stop === 'stop_sequence' ? stopSequence : null,
    usage: anthropicUsage(usage),
  };
  if (stop === 'refusal') result.stop_details = REFUSAL_DETAILS;
  return result;
}

// The `{ event, data }` list of a streamed Message: message_start (stop_reason null, usage with
// output_tokens 1), then per block content_block_start / deltas / content_block_stop (a ping
// after the first block starts), message_delta (stop_reason, cumulative usage), message_stop.
// Text deltas are `text_delta`; tool input arrives as `input_json_delta` pieces of the JSON
// text, the first one empty as the API sends it. `partialJson` gives the pieces explicitly.
function events({
  text = [], toolUses = [], stopReason, stopSequence = null, usage, model = 'claude-sonnet-4-5-20250929', id,
  thinking, ping = true,
} = {}) {
  const out = [];
  const emit = (type, fields = {}) => out.push({ event: type, data: { type, ...fields } });
  const stop = anthropicStop(stopReason, toolUses);
  emit('message_start', {
    message: {
      model, id: id ?? randomId('msg_01', 22), type: 'message', role: 'assistant', content: [],
      stop_reason: null, stop_sequence: null, usage: anthropicUsage(usage, 1),
    },
  });
  let index = 0;
  const startBlock = (block) => {
    emit('content_block_start', { index, content_block: block });
    if (index === 0 && ping) emit('ping');
  };
  if (thinking != null) {
    startBlock({ type: 'thinking', thinking: '', signature: '' });
    for (const piece of pieces(thinking)) {
      emit('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
    }
    emit('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'c2lnbmF0dXJl' } });
    emit('content_block_stop', { index });
    index++;
  }
  const textPieces = pieces(text).filter((piece) => piece !== '');
  if (textPieces.length) {
    startBlock({ type: 'text', text: '' });
    for (const piece of textPieces) emit('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    emit('content_block_stop', { index });
    index++;
  }
  for (const use of toolUses) {
    startBlock({ type: 'tool_use', id: use.id ?? randomId('toolu_01', 22), name: use.name, input: {} });
    const json = use.partialJson ?? ['', ...splitText(JSON.stringify(use.input ?? {}), 3)];
    for (const piece of json) {
      emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    }
    emit('content_block_stop', { index });
    index++;
  }
  if (index === 0 && ping) emit('ping');
  const { cache_creation: _c, service_tier: _s, ...deltaUsage } = anthropicUsage(usage);
  const delta = { stop_reason: stop, stop_sequence: stop === 'stop_sequence' ? stopSequence : null };
  if (stop === 'refusal') delta.stop_details = REFUSAL_DETAILS;
  emit('message_delta', { delta, usage: deltaUsage });
  emit('message_stop');
  return out;
}

// Error bodies: `{ type: 'error', error: { type, message }, request_id }` with the types
// docs.claude.com/en/api/errors lists per status. Messages are the API's own wording.
const ANTHROPIC_ERRORS = {
  invalid_request: [400, 'invalid_request_error', 'messages: at least one message is required'],
  context_length: [400, 'invalid_request_error', 'prompt is too long: 208656 tokens > 200000 maximum'],
  missing_version: [400, 'invalid_request_error', 'anthropic-version: header is required'],
  missing_api_key: [401, 'authentication_error', 'x-api-key header is required'],
  invalid_api_key: [401, 'authentication_error', 'invalid x-api-key'],
  cors: [401, 'authentication_error', "CORS requests must set 'anthropic-dangerous-direct-browser-access' header"],
  permission: [403, 'permission_error', 'Your API key does not have permission to use the specified resource.'],
  not_found: [404, 'not_found_error', 'model: claude-unknown'],
  request_too_large: [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  rate_limit: [429, 'rate_limit_error', 'This request would exceed the rate limit for your organization of 50 '
    + 'requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the '
    + 'response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or '
    + 'try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your '
    + 'options for a rate limit increase.'],
  api_error: [500, 'api_error', 'Internal server error'],
  overloaded: [529, 'overloaded_error', 'Overloaded'],
};
const ANTHROPIC_BY_STATUS = {
  400: 'invalid_request', 401: 'invalid_api_key', 403: 'permission', 404: 'not_found', 413: 'request_too_large',
  429: 'rate_limit', 500: 'api_error', 529: 'overloaded',
};

function anthropicError(status, kindOrOverrides) {
  const [kind, overrides] = kindAndOverrides(kindOrOverrides);
  const [, type, message] = ANTHROPIC_ERRORS[kind ?? ANTHROPIC_BY_STATUS[status] ?? 'api_error']
    ?? [status, 'api_error', 'Internal server error'];
  const { kind: _kind, requestId, ...fields } = overrides;
  return {
    type: 'error',
    error: { type, message, ...fields },
    request_id: requestId ?? anthropicRequestId(),
  };
}

const anthropicRequestId = () => randomId('req_011C', 20);

export const anthropic = {
  message, events, error: anthropicError, requestId: anthropicRequestId, statusOf: (kind) => ANTHROPIC_ERRORS[kind]?.[0],
};

// ------------------------------------------------------------------------------------ Gemini

function geminiUsage({ promptTokenCount = 0, candidatesTokenCount = 0, thoughtsTokenCount, cachedContentTokenCount }
  = {}) {
  const usage = {
    promptTokenCount,
    candidatesTokenCount,
    totalTokenCount: promptTokenCount + candidatesTokenCount + (thoughtsTokenCount ?? 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
  };
  if (cachedContentTokenCount != null) usage.cachedContentTokenCount = cachedContentTokenCount;
  if (thoughtsTokenCount != null) usage.thoughtsTokenCount = thoughtsTokenCount;
  return usage;
}

const geminiResponseId = () => randomId('', 23, ALNUM + '-_');
const functionCallPart = (call) => ({
  functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.args ?? {} },
});

// A GenerateContentResponse (non-streaming): one candidate whose content has role "model",
// a text part (and a thought part first when `thought` is given), then one part per function
// call; finishReason; index 0; usageMetadata; modelVersion; responseId.
function response({
  text = '', functionCalls = [], finishReason = 'STOP', usage, model = 'gemini-2.5-flash', responseId, thought,
} = {}) {
  const parts = [];
  if (thought != null) parts.push({ text: joined(thought), thought: true });
  if (joined(text) !== '' || !functionCalls.length) parts.push({ text: joined(text) });
  parts.push(...functionCalls.map(functionCallPart));
  return {
    candidates: [{ content: { parts, role: 'model' }, finishReason, index: 0 }],
    usageMetadata: geminiUsage(usage),
    modelVersion: model,
    responseId: responseId ?? geminiResponseId(),
  };
}

// The GenerateContentResponse list :streamGenerateContent sends: one per text piece, each
// function call whole in its own chunk, usageMetadata on every chunk (candidatesTokenCount
// growing to the total), finishReason only on the last chunk, one responseId throughout.
function geminiChunks({
  text = [], functionCalls = [], finishReason = 'STOP', usage = {}, model = 'gemini-2.5-flash', responseId,
} = {}) {
  const rid = responseId ?? geminiResponseId();
  const partsList = [
    ...pieces(text).filter((piece) => piece !== '').map((piece) => [{ text: piece }]),
    ...functionCalls.map((call) => [functionCallPart(call)]),
  ];
  if (!partsList.length) partsList.push([{ text: '' }]);
  const total = usage.candidatesTokenCount ?? 0;
  return partsList.map((parts, i) => {
    const last = i === partsList.length - 1;
    const candidate = { content: { parts, role: 'model' }, index: 0 };
    if (last) candidate.finishReason = finishReason;
    const soFar = last ? total : Math.floor((total * (i + 1)) / partsList.length);
    return {
      candidates: [candidate],
      usageMetadata: geminiUsage({ ...usage, candidatesTokenCount: soFar }),
      modelVersion: model,
      responseId: rid,
    };
  });
}

// A prompt the safety filters refused: HTTP 200, no candidates, promptFeedback.blockReason.
function blocked({ blockReason = 'SAFETY', usage = {}, model = 'gemini-2.5-flash', responseId } = {}) {
  const promptFeedback = { blockReason };
  if (blockReason === 'SAFETY') {
    promptFeedback.safetyRatings = [
      { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
      { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
      { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
      { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
    ];
  }
  const { promptTokenCount = 0 } = usage;
  return {
    promptFeedback,
    usageMetadata: {
      promptTokenCount, totalTokenCount: promptTokenCount,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
    },
    modelVersion: model,
    responseId: responseId ?? geminiResponseId(),
  };
}

// Google's JSON error body: `{ error: { code, message, status, details? } }`. What the Gemini
// API returns for key problems (per its troubleshooting page and observed bodies): a missing key
// is 403 PERMISSION_DENIED ("Method doesn't allow unregistered callers"), an invalid key is
// 400 INVALID_ARGUMENT with ErrorInfo reason API_KEY_INVALID. 401 UNAUTHENTICATED is only
// for bad OAuth credentials (Authorization: Bearer), never for API keys.
const LOCALE = 'type.googleapis.com/google.rpc.LocalizedMessage';
const GEMINI_ERRORS = {
  invalid_argument: [400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  api_key_invalid: [400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
    { '@type': LOCALE, locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
  ]],
  context_length: [400, 'INVALID_ARGUMENT',
    'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).'],
  unauthenticated: [401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access '
    + 'token, login cookie or other valid authentication credential. See '
    + 'https://developers.google.com/identity/sign-in/web/devconsole-project.'],
  missing_api_key: [403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established "
    + 'identity). Please use API Key or other form of API consumer identity to call this API.'],
  not_found: [404, 'NOT_FOUND', 'models/gemini-unknown is not found for API version v1beta, or is not supported for '
    + 'generateContent. Call ListModels to see the list of available models and their supported methods.'],
  resource_exhausted: [429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing '
    + 'details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.', [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
    },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
  ]],
  internal: [500, 'INTERNAL', 'An internal error has occurred. Please retry or report in '
    + 'https://developers.generativeai.google/guide/troubleshooting'],
  unavailable: [503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'],
  deadline_exceeded: [504, 'DEADLINE_EXCEEDED', 'The request timed out. Please try again.'],
};
const GEMINI_BY_STATUS = {
  400: 'invalid_argument', 401: 'unauthenticated', 403: 'missing_api_key', 404: 'not_found', 429: 'resource_exhausted',
  500: 'internal', 503: 'unavailable', 504: 'deadline_exceeded',
};

function geminiError(status, kindOrOverrides) {
  const [kind, overrides] = kindAndOverrides(kindOrOverrides);
  const [code, statusName, message, details] = GEMINI_ERRORS[kind ?? GEMINI_BY_STATUS[status] ?? 'internal']
    ?? [status, 'UNKNOWN', 'Unknown error'];
  const { kind: _kind, ...fields } = overrides;
  return { error: { code, message, status: statusName, ...(details ? { details } : {}), ...fields } };
}

// The body of :streamGenerateContent without alt=sse: a JSON array written element by element
// (Google pretty-prints each element and separates them with ",\r\n"). Returns the writes.
function jsonArray(items) {
  if (!items.length) return ['[]'];
  return [
    ...items.map((item, i) => (i === 0 ? '[' : '\n,\r\n') + JSON.stringify(item, null, 2)),
    '\n]',
  ];
}

export const gemini = {
  response, chunks: geminiChunks, blocked, error: geminiError, jsonArray, statusOf: (kind) => GEMINI_ERRORS[kind]?.[0],
};

// ------------------------------------------------------------------------------------ SSE

// Encodes items as a text/event-stream body. An item is a raw string (written verbatim, to
// script malformed streams), `{ event?, id?, retry?, data }` (data: an object is JSON-encoded,
// a string is written as is, one `data:` line per line), or any other object (taken as the
// data). `crlf` ends lines with CRLF; `comments` writes a comment block (`: keep-alive`, or the
// string given) before each event, as proxies such as OpenRouter do. With `chunkSizes` the
// result is the UTF-8 bytes split by splitBytes(), else one string.
export function sse(events, { crlf = false, comments = false, chunkSizes } = {}) {
  const eol = crlf ? '\r\n' : '\n';
  let text = '';
  for (const item of events) {
    if (comments) text += `: ${comments === true ? 'keep-alive' : comments}${eol}${eol}`;
    text += encodeEvent(item, eol);
  }
  return chunkSizes == null ? text : splitBytes(text, chunkSizes);
}

export function encodeEvent(item, eol = '\n') {
  if (typeof item === 'string') return item;
  const fields = item !== null && typeof item === 'object' && 'data' in item ? item : { data: item };
  let text = '';
  if (fields.event != null) text += `event: ${fields.event}${eol}`;
  if (fields.id != null) text += `id: ${fields.id}${eol}`;
  if (fields.retry != null) text += `retry: ${fields.retry}${eol}`;
  const data = typeof fields.data === 'string' ? fields.data : JSON.stringify(fields.data);
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}${eol}`;
  return text + eol;
}

// Splits text (as UTF-8) or bytes into pieces of the given sizes, cycling through `sizes` (a
// number or a list) until the input is used up. Boundaries fall wherever the sizes say, so a
// multi-byte UTF-8 character can be cut in two, which is the point.
export function splitBytes(input, sizes) {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const list = (Array.isArray(sizes) ? sizes : [sizes]).filter((n) => n > 0);
  if (!list.length) return [bytes];
  const out = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = list[i % list.length];
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}
