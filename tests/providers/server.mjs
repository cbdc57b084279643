// A local HTTP server that answers as OpenAI (Chat Completions, incl. Azure and OpenAI-compatible
// prefixes), Anthropic (Messages) and Gemini (generateContent / streamGenerateContent) do, for
// tests run from Node, wasm-in-Node, a Chromium page (another origin, so CORS) and workerd.
// It records every request with its schema errors, checks auth as each provider documents, and
// answers from a FIFO of scripted replies or, when that is empty, with a default "echo: ..."
// reply in the right format.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { openai, anthropic, gemini, encodeEvent, splitBytes, randomId } from './wire.mjs';

const PROVIDERS = ['openai', 'anthropic', 'gemini'];

// Compiled once per process: the schemas are large and every server shares them.
let validators;
function validatorsFor() {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    validators = {};
    for (const provider of PROVIDERS) {
      const url = new URL(`./schemas/${provider}.request.json`, import.meta.url);
      validators[provider] = ajv.compile(JSON.parse(readFileSync(url, 'utf8')));
    }
  }
  return validators;
}

export function validateRequest(provider, body, { azure = false } = {}) {
  const validate = validatorsFor()[provider];
  if (!validate || validate(body)) return [];
  // Azure names the deployment in the path, so the body may leave out `model`.
  return validate.errors.filter((e) => !(azure && e.keyword === 'required' && e.instancePath === ''
    && e.params.missingProperty === 'model'));
}

const ALLOW_HEADERS = ['authorization', 'x-api-key', 'anthropic-version', 'anthropic-beta',
  'anthropic-dangerous-direct-browser-access', 'x-goog-api-key', 'api-key', 'content-type', 'openai-organization',
  'openai-project'];
const EXPOSE_HEADERS = ['retry-after', 'retry-after-ms', 'x-request-id', 'request-id', 'x-should-retry'];

// `*` covers neither Authorization (the Fetch spec excludes it from the wildcard) nor
// credentialed requests, hence the explicit lists too.
function corsHeaders(req) {
  const requested = req.headers['access-control-request-headers'];
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': ['*', ...ALLOW_HEADERS, ...(requested ? [requested] : [])].join(', '),
    'access-control-expose-headers': ['*', ...EXPOSE_HEADERS].join(', '),
  };
}

// Which provider a path belongs to. Prefixes are free (Azure's /openai/deployments/{d},
// OpenRouter's /api/v1, a gateway's /proxy/...); the endings are the APIs' own.
function route(pathname) {
  let match;
  if (pathname.endsWith('/chat/completions')) {
    return { provider: 'openai', azure: /\/openai\/deployments\/[^/]+\/chat\/completions$/.test(pathname) };
  }
  if (pathname.endsWith('/messages')) return { provider: 'anthropic' };
  if ((match = /\/(?:models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(pathname))) {
    return { provider: 'gemini', model: decodeURIComponent(match[1]), stream: match[2] === 'streamGenerateContent' };
  }
  return null;
}

// Deterministic usage from the request size: about four bytes a token, like the providers' rule of thumb.
const tokens = (text) => Math.max(1, Math.ceil(Buffer.byteLength(text ?? '') / 4));
const words = (text) => text.match(/\s*\S+\s*|\s+/g) ?? [text];

function textOf(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.filter((p) => p && typeof p.text === 'string' && p.type !== 'tool_result' && !p.thought)
    .map((p) => p.text).join('');
}

function lastUserText(provider, body) {
  if (!body || typeof body !== 'object') return '';
  if (provider === 'gemini') {
    const contents = Array.isArray(body.contents) ? body.contents : [];
    const last = contents.findLast((c) => c && (c.role === 'user' || c.role == null));
    return textOf(last?.parts);
  }
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return textOf(messages.findLast((m) => m && m.role === 'user')?.content);
}

export async function startProviderServer({ host = '127.0.0.1', anthropicBrowserAccess = true, openaiKeyRequired = true } = {}) {
  const requests = [];
  const queue = [];
  const sockets = new Set();
  const timers = new Map();
  let closing = false;

  // Delays that close() can cut short (their callers then see `closing` and stop).
  const wait = (ms) => new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.set(timer, resolve);
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain', ...corsHeaders(req) });
        res.end(String(error?.stack ?? error));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    const cors = corsHeaders(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-max-age': '600', 'content-length': '0' });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/__control/')) {
      await control(url.pathname.slice('/__control/'.length), req, res, cors);
      return;
    }
    const bodyText = await readBody(req);
    const target = req.method === 'POST' ? route(url.pathname) : null;
    const provider = target?.provider ?? null;
    let body;
    let parseFailed = Boolean(provider);
    try {
      body = JSON.parse(bodyText);
      parseFailed = false;
    } catch {
      // An empty or malformed body: recorded as is, answered with the provider's 400.
    }
    const record = {
      provider,
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      bodyText,
      body,
      schemaErrors: !provider ? []
        : parseFailed ? [{ keyword: 'json', instancePath: '', message: 'body is not valid JSON' }]
          : validateRequest(provider, body, target),
      at: Date.now(),
    };
    requests.push(record);

    const ctx = { req, res, url, target, record, cors, gone: false };
    res.on('close', () => {
      ctx.gone = true;
    });
    if (!provider) {
      send(ctx, 404, { error: {
        message: `Invalid URL (${req.method} ${url.pathname})`, type: 'invalid_request_error', param: null, code: null,
      } });
      return;
    }
    const denied = checkAuth(ctx);
    if (denied) {
      send(ctx, denied.status, denied.json);
      return;
    }
    if (parseFailed) {
      const json = invalidJson(provider);
      send(ctx, 400, geminiMode(target, url) === 'json' ? [json] : json);
      return;
    }
    if (queue.length) {
      await scripted(ctx, queue.shift());
      return;
    }
    await defaultReply(ctx);
  }

  // The control routes, so a suite running in a page or a Worker can script this server over
  // HTTP: POST reply (a JSON array of reply items), GET requests (the records), POST reset.
  async function control(action, req, res, cors) {
    const answer = (status, json) => {
      const text = json === undefined ? '' : JSON.stringify(json);
      res.writeHead(status, { ...cors, 'content-type': 'application/json' });
      res.end(text);
    };
    const body = await readBody(req);
    if (action === 'reply' && req.method === 'POST') {
      queue.push(...JSON.parse(body));
      answer(200, { pending: queue.length });
    } else if (action === 'requests') {
      answer(200, requests);
    } else if (action === 'reset' && req.method === 'POST') {
      queue.length = 0;
      requests.length = 0;
      answer(200, {});
    } else {
      answer(404, { error: `no control action '${action}'` });
    }
  }

  // The documented authentication, checked before any scripted reply is used up.
  function checkAuth({ req, url, target }) {
    const h = req.headers;
    if (target.provider === 'openai') {
      if (target.azure) {
        const key = h['api-key'] ?? /^Bearer\s+(.+)$/i.exec(h.authorization ?? '')?.[1];
        return !key || key === 'bad-key' ? { status: 401, json: openai.azureAuthError() } : null;
      }
      const key = /^Bearer\s+(.+)$/i.exec(h.authorization ?? '')?.[1]?.trim();
      // Local OpenAI-compatible servers (Ollama, llama.cpp) take requests without a key.
      if (!key) return openaiKeyRequired ? { status: 401, json: openai.error(401, 'missing_api_key') } : null;
      if (key === 'bad-key') {
        return { status: 401, json: openai.error(401, { kind: 'invalid_api_key', key }) };
      }
      return null;
    }
    if (target.provider === 'anthropic') {
      const key = h['x-api-key'];
      if (!key) return { status: 401, json: anthropic.error(401, 'missing_api_key') };
      if (key === 'bad-key') return { status: 401, json: anthropic.error(401, { kind: 'invalid_api_key' }) };
      if (!h['anthropic-version']) return { status: 400, json: anthropic.error(400, 'missing_version') };
      // The API refuses requests that carry an Origin unless the page opts in with this header.
      if (anthropicBrowserAccess && h.origin && h['anthropic-dangerous-direct-browser-access'] !== 'true') {
        return { status: 401, json: anthropic.error(401, 'cors') };
      }
      return null;
    }
    const key = h['x-goog-api-key'] ?? url.searchParams.get('key');
    const wrap = (json) => (geminiMode(target, url) === 'json' ? [json] : json);
    if (!key) return { status: 403, json: wrap(gemini.error(403, 'missing_api_key')) };
    if (key === 'bad-key') return { status: 400, json: wrap(gemini.error(400, 'api_key_invalid')) };
    return null;
  }

  function invalidJson(provider) {
    if (provider === 'openai') {
      return openai.error(400, { kind: 'invalid_request', message: 'We could not parse the JSON body of your request. '
        + '(HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON '
        + 'payload, but what was sent was not valid JSON.)' });
    }
    if (provider === 'anthropic') {
      const message = 'There was an error parsing the body of your request.';
      return anthropic.error(400, { kind: 'invalid_request', message });
    }
    return gemini.error(400, { message: 'Invalid JSON payload received.' });
  }

  // Headers every response of a provider carries, e.g. the request ids clients surface.
  function providerHeaders({ target }) {
    if (!target) return {};
    if (target.provider === 'openai') {
      const id = randomId('req_', 32, '0123456789abcdef');
      return target.azure
        ? { 'x-request-id': id, 'apim-request-id': id }
        : { 'x-request-id': id, 'openai-processing-ms': '5', 'openai-version': '2020-10-01' };
    }
    if (target.provider === 'anthropic') return { 'request-id': anthropic.requestId() };
    return { 'x-goog-request-id': randomId('', 16, '0123456789abcdef') };
  }

  function send(ctx, status, json, headers = {}) {
    const text = json === undefined ? '' : JSON.stringify(json);
    ctx.res.writeHead(status, {
      ...ctx.cors, ...providerHeaders(ctx), 'content-type': 'application/json; charset=utf-8', ...headers,
      'content-length': String(Buffer.byteLength(text)),
    });
    ctx.res.end(text);
  }

  async function scripted(ctx, item) {
    if (item.hang) return; // Never answered: close() destroys the socket.
    if (item.stream) {
      await stream(ctx, item);
      return;
    }
    if (item.delayMs) await wait(item.delayMs);
    if (closing || ctx.gone) return;
    const status = item.status ?? 200;
    if (item.json !== undefined) {
      send(ctx, status, item.json, item.headers);
      return;
    }
    const text = item.text ?? '';
    const type = item.text !== undefined ? { 'content-type': 'text/plain; charset=utf-8' } : {};
    ctx.res.writeHead(status, {
      ...ctx.cors, ...providerHeaders(ctx), ...type, ...item.headers, 'content-length': String(Buffer.byteLength(text)),
    });
    ctx.res.end(text);
  }

  // Gemini streams SSE only with ?alt=sse; otherwise the docs' streamed JSON array.
  function geminiMode(target, url) {
    return target.provider === 'gemini' && target.stream && url.searchParams.get('alt') !== 'sse' ? 'json' : 'sse';
  }

  // Writes a streamed reply. Writes are the encoded events one by one, or the bytes cut by
  // `chunkSizes`; `delayMs` waits between writes, `breakAfter` destroys the socket after that
  // many writes (a connection lost mid-stream).
  async function stream(ctx, { stream: items, chunkSizes, crlf, comments, delayMs = 0, breakAfter, headers = {},
    status = 200, format } = {}) {
    const mode = format ?? geminiMode(ctx.target, ctx.url);
    let writes;
    if (mode === 'json') {
      // Objects are framed as the JSON array; with any raw string the items are written as given.
      const raw = items.some((i) => typeof i === 'string');
      writes = raw ? items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i)))
        : gemini.jsonArray(items.map((i) => ('data' in i ? i.data : i)));
    } else {
      // Gemini frames its SSE with CRLF (the Google SDKs' stream readers expect it).
      const eol = (crlf ?? ctx.target.provider === 'gemini') ? '\r\n' : '\n';
      writes = items.map((item) => (comments ? `: ${comments === true ? 'keep-alive' : comments}${eol}${eol}` : '')
        + encodeEvent(item, eol));
    }
    if (chunkSizes != null) writes = splitBytes(writes.join(''), chunkSizes);
    ctx.res.writeHead(status, {
      ...ctx.cors, ...providerHeaders(ctx),
      'content-type': mode === 'json' ? 'application/json; charset=UTF-8' : 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    });
    ctx.res.flushHeaders();
    for (let i = 0; i < writes.length; i++) {
      if (closing || ctx.gone) return;
      if (breakAfter != null && i >= breakAfter) {
        ctx.res.socket?.destroy();
        return;
      }
      if (i > 0 && delayMs) await wait(delayMs);
      if (closing || ctx.gone) return;
      // Waiting for each write to reach the socket keeps a later destroy() from dropping it.
      await new Promise((resolve) => ctx.res.write(writes[i], () => resolve()));
    }
    if (breakAfter != null && writes.length <= breakAfter) {
      ctx.res.socket?.destroy();
      return;
    }
    ctx.res.end();
  }

  // No scripted reply left: a success whose text echoes the last user message.
  async function defaultReply(ctx) {
    const { target, record } = ctx;
    const body = record.body ?? {};
    const text = `echo: ${lastUserText(target.provider, body)}`;
    const promptTokens = tokens(record.bodyText);
    const completionTokens = tokens(text);
    if (target.provider === 'openai') {
      const model = body.model ?? 'gpt-4o-mini';
      const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens };
      if (body.stream !== true) {
        send(ctx, 200, openai.completion({ text, usage, model }));
        return;
      }
      const chunks = openai.chunks({
        text: words(text), usage, model,
        includeUsage: body.stream_options?.include_usage === true,
        obfuscation: body.stream_options?.include_obfuscation !== false,
      });
      await stream(ctx, { stream: [...chunks, { data: '[DONE]' }] });
      return;
    }
    if (target.provider === 'anthropic') {
      const model = body.model ?? 'claude-sonnet-4-5';
      const usage = { input_tokens: promptTokens, output_tokens: completionTokens };
      if (body.stream !== true) {
        send(ctx, 200, anthropic.message({ text, usage, model }));
        return;
      }
      await stream(ctx, { stream: anthropic.events({ text: words(text), usage, model }) });
      return;
    }
    const usage = { promptTokenCount: promptTokens, candidatesTokenCount: completionTokens };
    if (!target.stream) {
      send(ctx, 200, gemini.response({ text, usage, model: target.model }));
      return;
    }
    await stream(ctx, { stream: gemini.chunks({ text: words(text), usage, model: target.model }) });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address();

  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    // Queues replies, used one per request in arrival order whatever the provider.
    reply(...items) {
      queue.push(...items);
    },
    get pending() {
      return queue.length;
    },
    async close() {
      closing = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      const closed = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

