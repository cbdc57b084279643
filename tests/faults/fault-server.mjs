// A local provider server that misbehaves on cue: it answers on the OpenAI, Anthropic and
// Gemini paths (the wire bodies come from ../providers/wire.mjs, and every request body is
// checked against the same request schemas as ../providers/server.mjs), but each scripted
// reply is a timeline under the test's control — drop the connection before the headers, after
// them, or after any byte of the body; declare a Content-Length it never sends; wait between
// writes; stall; never answer. server.mjs scripts whole events (`breakAfter`, one `delayMs`
// for every write, `hang`); a fault matrix needs the cuts and stalls in between.
import { createServer } from 'node:http';
import { readBody, validateRequest } from '../providers/server.mjs';

// Which provider a path belongs to, and whether it asks for a stream (Gemini says so in the path).
function route(pathname) {
  if (pathname.endsWith('/chat/completions')) return { provider: 'openai' };
  if (pathname.endsWith('/messages')) return { provider: 'anthropic' };
  const match = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(pathname);
  if (match) return { provider: 'gemini', geminiStream: match[2] === 'streamGenerateContent' };
  return null;
}

/**
 * Starts the server. Replies are used one per request, in order; with none left, `fallback`
 * (a function of the request record) gives the reply. A reply is:
 *   { drop: true }                     the socket is destroyed once the request was read
 *   { hang: true }                     never answered (close() ends it)
 *   { status = 200, headers = {}, writes = [], contentLength?, headerDelay?, gaps?, end = 'end' }
 *     headers are sent (and flushed) after `headerDelay` ms; then each write (a string or bytes),
 *     waiting gaps[i] ms before write i (or, when `gaps` is a number, that long before each
 *     write but the first); then
 *     `end`: 'end' (a clean end), 'destroy' (the connection dropped) or 'hang' (kept open, silent).
 *     Without `contentLength` the body is chunked; with it, that length is declared whatever is sent.
 */
export async function startFaultServer({ fallback = null } = {}) {
  // Compiles the request schemas now: compiling them on the first request takes longer than
  // the short timeouts the cases use.
  for (const provider of ['openai', 'anthropic', 'gemini']) validateRequest(provider, {});
  const requests = [];
  const queue = [];
  const sockets = new Set();
  const timers = new Map();
  let closing = false;

  // Waits that close() cuts short.
  const wait = (ms) => new Promise((resolve) => {
    if (!(ms > 0)) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.set(timer, resolve);
  });

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    const bodyText = await readBody(req);
    const target = req.method === 'POST' ? route(url.pathname) : null;
    let body = null;
    try {
      body = JSON.parse(bodyText);
    } catch {
      // Recorded as null: the schema check below then reports it.
    }
    const record = {
      provider: target?.provider ?? null,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
      stream: target?.provider === 'gemini' ? target.geminiStream : body?.stream === true,
      schemaErrors: target ? validateRequest(target.provider, body ?? undefined) : [{ message: 'unknown path' }],
      at: Date.now(),
    };
    requests.push(record);
    const reply = queue.length ? queue.shift() : fallback?.(record) ?? { status: 404, writes: ['{}'], contentLength: 2 };
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    const live = () => !closing && !gone;

    if (reply.drop) {
      req.socket.destroy();
      return;
    }
    if (reply.hang) return;
    await wait(reply.headerDelay);
    if (!live()) return;
    const writes = (reply.writes ?? []).map((w) => (typeof w === 'string' ? Buffer.from(w, 'utf8') : Buffer.from(w)));
    const headers = { 'content-type': 'application/json; charset=utf-8', ...(reply.headers ?? {}) };
    if (reply.contentLength !== undefined) headers['content-length'] = String(reply.contentLength);
    res.writeHead(reply.status ?? 200, headers);
    res.flushHeaders();
    for (let i = 0; i < writes.length; i++) {
      await wait(Array.isArray(reply.gaps) ? reply.gaps[i] : i > 0 ? reply.gaps : 0);
      if (!live()) return;
      // Waiting for each write to reach the socket keeps a destroy() right after from dropping it.
      await new Promise((resolve) => res.write(writes[i], () => resolve()));
    }
    if (!live()) return;
    const end = reply.end ?? 'end';
    if (end === 'destroy') res.socket?.destroy();
    else if (end === 'end') res.end();
    // 'hang': the connection stays open and silent until the client or close() ends it.
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Queues replies, used one per request in arrival order. */
    reply(...items) {
      queue.push(...items);
    },
    get pending() {
      return queue.length;
    },
    /** Forgets queued replies and recorded requests (between cases). */
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    /** Ends every open connection, e.g. the ones a hang left open. */
    dropConnections() {
      for (const socket of sockets) socket.destroy();
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

