// Models: openai(), anthropic(), gemini() and scripted(), each with generate() and stream().
//
// The core decides everything (the request, how to read the answer and the stream, the typed
// error, whether and how long to wait before a retry, the rate limiter's wait); this file only
// awaits: it sends the bytes through a transport (the backend's own HTTP client, or the
// caller's `fetch`), sleeps, holds the concurrency limit, wires AbortSignals and timeouts, and
// hands events out as an async iterator or a ReadableStream.

import { call, describe, finalizerFor, invalidArgument, owned } from './facade.js';
import { schemaParts } from './structured.js';
import { BridleError } from './errors.js';
import { bridleError } from './translate.js';

const CONSTRUCT = Symbol('construct');

/** What each provider reads from the environment (Node only), as the official SDKs do. */
const ENVIRONMENT = {
  openai: { apiKey: ['OPENAI_API_KEY'], baseURL: ['OPENAI_BASE_URL'], organization: ['OPENAI_ORG_ID'], project: ['OPENAI_PROJECT_ID'] },
  anthropic: { apiKey: ['ANTHROPIC_API_KEY'], baseURL: ['ANTHROPIC_BASE_URL'] },
  gemini: { apiKey: ['GEMINI_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY', 'GOOGLE_API_KEY'], baseURL: ['GEMINI_BASE_URL'] },
};

export function createModelApi(getBackend, { env = null } = {}) {
  const finalizer = finalizerFor('modelFree');

  class Model {
    #owned;
    #info;
    #fetch;
    #active = 0;
    #waiting = [];

    constructor(token, backend, handle, fetchFn) {
      if (token !== CONSTRUCT) throw invalidArgument('use openai(), anthropic(), gemini() or scripted() to create a model');
      this.#owned = owned(this, backend, handle, 'model', finalizer, (h) => backend.modelFree(h));
      this.#info = JSON.parse(this.#owned.call((b, h) => b.modelInfo(h)));
      this.#fetch = fetchFn;
    }

    /** The wire format: 'openai', 'anthropic', 'gemini' or 'scripted'. */
    get provider() {
      return this.#info.provider;
    }

    /** The model's name, as the provider knows it. */
    get modelId() {
      return this.#info.model;
    }

    /** The calls a scripted model has received (`[]` for the others). */
    get calls() {
      return JSON.parse(this.#owned.call((b, h) => b.modelCalls(h)));
    }

    /** Sends one request (retrying as configured) and resolves to the whole answer. */
    async generate(options) {
      const { signal, json } = callParts(options);
      const standard = outputValidator(options);
      const { backend, call: callHandle, info } = this.#open(json, false);
      try {
        const completion = await drain(this.#attempts(callHandle, info, signal, async function* (self, attempt) {
          const spec = JSON.parse(self.#owned.call((b, h) => b.callAttempt(h, callHandle)));
          if (spec.scripted) {
            await sleep(spec.scripted.delay, attempt.signal);
            return JSON.parse(call(backend, () => backend.callScripted(callHandle)));
          }
          const response = await self.#send(backend, spec.request, attempt);
          const body = await readAll(response, attempt.signal);
          return JSON.parse(call(backend, () => backend.callResponse(callHandle, response.status, response.headers, body, Date.now())));
        }));
        return await withStandard(completion, standard);
      } finally {
        backend.callFree(callHandle);
      }
    }

    /** Streams one answer: iterate the events, or read `textStream`, `toReadableStream()`, `result`. */
    stream(options) {
      // Nothing happens (no call opened, no error thrown) until the stream is read. The stream's
      // own controller lets closing it interrupt whatever it waits on (a read, a slot, a wait).
      const controller = new AbortController();
      const outer = options?.signal;
      if (outer !== undefined && typeof outer?.addEventListener === 'function') {
        if (outer.aborted) controller.abort(outer.reason);
        else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
      }
      const inner = options !== null && typeof options === 'object' && !Array.isArray(options) ? { ...options, signal: controller.signal } : options;
      return new ModelStream(CONSTRUCT, this.#events(inner, outer), controller);
    }

    /** Frees the model now rather than when it is collected. */
    free() {
      this.#owned.free();
    }

    #open(json, stream) {
      const callHandle = this.#owned.call((b, h) => b.callOpen(h, json, stream));
      const { backend } = this.#owned;
      const info = JSON.parse(call(backend, () => backend.callInfo(callHandle)));
      return { backend, call: callHandle, info };
    }

    async *#events(options, outer) {
      if (outer !== undefined && !(typeof outer?.aborted === 'boolean' && typeof outer?.addEventListener === 'function')) {
        throw invalidArgument(`options.signal must be an AbortSignal, not ${describe(outer)}`);
      }
      const { signal, json } = callParts(options);
      const standard = outputValidator(options);
      const { backend, call: callHandle, info } = this.#open(json, true);
      let delivered = false;
      // The text the caller has had, for the error when the stream fails after some of it.
      let streamed = '';
      try {
        const completion = yield* this.#attempts(callHandle, info, signal, async function* (self, attempt) {
          const spec = JSON.parse(self.#owned.call((b, h) => b.callAttempt(h, callHandle)));
          // A read that failed: the error, unless the core finds the answer complete anyway.
          let broken = null;
          if (spec.scripted) {
            const steps = JSON.parse(call(backend, () => backend.callScriptedSteps(callHandle)));
            for (const step of steps) {
              attempt.arm();
              await sleep(step.delay, attempt.signal);
              attempt.pause();
              for (const event of step.events) {
                delivered = true;
                if (event.type === 'text-delta') streamed += event.text;
                yield event;
              }
              if (step.error) throw bridleError(step.error.code, step.error.message, { details: step.error.details });
            }
          } else {
            const response = await self.#send(backend, spec.request, attempt);
            if (response.status < 200 || response.status > 299) {
              const body = await readAll(response, attempt.signal);
              call(backend, () => backend.callResponse(callHandle, response.status, response.headers, body, Date.now()));
            }
            let finished = false;
            while (!finished) {
              attempt.arm();
              let chunk;
              try {
                chunk = await response.read();
              } catch (error) {
                if (attempt.signal.aborted) throw attempt.signal.reason;
                // A connection that breaks once the answer is complete loses nothing: the
                // stream ends as if it had closed there (below). Otherwise the break is the error.
                broken = error;
                break;
              }
              // A cancelled body reads as ended: that is the abort or the timeout, not the end.
              if (attempt.signal.aborted) throw attempt.signal.reason;
              if (chunk === null) break;
              const events = JSON.parse(call(backend, () => backend.callPush(callHandle, chunk)));
              // The clock counts the provider's silence, not the time the consumer takes.
              attempt.pause();
              for (const event of events) {
                delivered = true;
                // After `finish` nothing more belongs to the answer: a server that keeps the
                // connection open (or then drops it) must not turn it into a timeout.
                if (event.type === 'finish') finished = true;
                if (event.type === 'text-delta') streamed += event.text;
                yield event;
              }
            }
          }
          let end;
          try {
            end = JSON.parse(call(backend, () => backend.callEnd(callHandle)));
          } catch (error) {
            throw broken ?? error;
          }
          for (const event of end.events) yield event;
          return end.completion;
        }, () => delivered);
        return await withStandard(completion, standard);
      } catch (error) {
        if (delivered && error instanceof BridleError && error.details && error.details.text === undefined) {
          error.details.text = streamed;
        }
        throw error;
      } finally {
        backend.callFree(callHandle);
      }
    }

    /** Takes a concurrency slot, waiting (abortably) while the model is at its limit. */
    async #acquire(signal) {
      const limit = this.#info.maxConcurrency;
      if (limit === null || this.#active < limit) {
        this.#active++;
        return;
      }
      await new Promise((resolve, reject) => {
        const entry = { resolve, reject: null };
        const onAbort = () => {
          this.#waiting.splice(this.#waiting.indexOf(entry), 1);
          reject(abortedError(signal));
        };
        entry.resolve = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.#waiting.push(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }

    #release() {
      const next = this.#waiting.shift();
      if (next) next.resolve();
      else this.#active--;
    }

    /**
     * Runs `body` (an async generator: a stream's events, or none for generate) once per
     * attempt until it returns, or the core says to give up; no retry once an event reached the
     * caller.
     */
    async *#attempts(callHandle, info, signal, body, delivered = () => false) {
      const { backend } = this.#owned;
      for (let number = 1; ; number++) {
        throwIfAborted(signal);
        await this.#acquire(signal);
        const attempt = new Attempt(info.timeout, signal);
        try {
          const wait = this.#owned.call((b, h) => b.modelReserve(h, Date.now()));
          if (wait > 0) await sleep(wait, signal);
          attempt.arm();
          return yield* body(this, attempt);
        } catch (error) {
          const typed = attempt.classify(error, backend);
          const delay = delivered() ? -1 : retryDelay(backend, callHandle, number, typed);
          if (delay < 0) throw withAttempts(typed, number);
          attempt.done();
          this.#release();
          attempt.released = true;
          await sleep(delay, signal);
        } finally {
          attempt.done();
          if (!attempt.released) this.#release();
        }
      }
    }

    /** Sends `request` through the caller's fetch or the backend's HTTP client. */
    async #send(backend, request, attempt) {
      const response = this.#fetch === null ? await backend.http(request, attempt.signal) : await fetchExchange(this.#fetch, request, attempt.signal);
      attempt.onCancel(response.cancel);
      return response;
    }
  }

  function create(provider, options, extra = {}) {
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      throw invalidArgument(`${provider}() takes an options object, not ${describe(options)}`);
    }
    const { fetch: fetchFn = null, dangerouslyAllowBrowser, ...rest } = { ...(options ?? {}), ...extra };
    if (fetchFn !== null && typeof fetchFn !== 'function') throw invalidArgument(`options.fetch must be a function, not ${describe(fetchFn)}`);
    const fromEnv = ENVIRONMENT[provider];
    if (env !== null && fromEnv !== undefined) {
      for (const [option, names] of Object.entries(fromEnv)) {
        if (rest[option] !== undefined) continue;
        const value = names.map((name) => env[name]).find((v) => typeof v === 'string' && v !== '');
        if (value !== undefined) rest[option] = value;
      }
    }
    if (dangerouslyAllowBrowser === true && provider === 'anthropic') {
      rest.headers = { 'anthropic-dangerous-direct-browser-access': 'true', ...(rest.headers ?? {}) };
    }
    if (rest.defaults !== undefined) rest.defaults = wireOptions(rest.defaults, 'options.defaults');
    const backend = getBackend();
    const json = toJson(rest, 'the model options');
    const handle = call(backend, () => backend.modelNew(provider, json));
    return new Model(CONSTRUCT, backend, handle, fetchFn);
  }

  return {
    /** An OpenAI Chat Completions model (or any compatible server, by `baseURL`). */
    openai: (options) => create('openai', options),
    /** An Anthropic Messages model. */
    anthropic: (options) => create('anthropic', options),
    /** A Google Gemini model. */
    gemini: (options) => create('gemini', options),
    /** The deterministic scripted model: replays `responses` in order. */
    scripted: (responses, options) => {
      if (!Array.isArray(responses)) throw invalidArgument(`scripted() takes an array of replies, not ${describe(responses)}`);
      return create('scripted', options, { responses });
    },
    Model,
    ModelStream,
  };
}

/** One attempt's timeout and cancellation: a timer (re-armed for each wait) and a linked signal. */
class Attempt {
  constructor(timeout, outer) {
    this.timeout = timeout;
    this.outer = outer ?? null;
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    this.timedOut = false;
    this.timer = null;
    this.cancels = [];
    this.released = false;
    this.onOuterAbort = () => this.abort(abortedError(this.outer));
    this.outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    if (this.outer?.aborted) this.onOuterAbort();
  }

  /** Stops the timeout clock (while the consumer has the events). */
  pause() {
    clearTimeout(this.timer);
  }

  /** Starts (or restarts) the timeout clock: to the response headers, then between chunks. */
  arm() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(bridleError('timeout', `the model call timed out: nothing for ${this.timeout} ms`, { details: { timeout: this.timeout } }));
    }, this.timeout);
  }

  abort(reason) {
    if (this.signal.aborted) return;
    this.controller.abort(reason);
    for (const cancel of this.cancels) cancel();
  }

  onCancel(cancel) {
    this.cancels.push(cancel);
    if (this.signal.aborted) cancel();
  }

  done() {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
  }

  /** The typed error for what an attempt threw. */
  classify(error, backend) {
    if (this.timedOut) return this.signal.reason;
    if (this.outer?.aborted) return abortedError(this.outer);
    if (error instanceof BridleError) return error;
    const translated = backend.translate(error);
    if (translated instanceof BridleError) return translated;
    return bridleError('network', `the request failed: ${error?.message ?? error}`, { cause: error });
  }
}

function retryDelay(backend, callHandle, number, error) {
  if (error.code === 'aborted') return -1;
  const json = JSON.stringify({ code: error.code, message: error.message, details: error.details });
  return call(backend, () => backend.callRetryDelay(callHandle, number, json, Math.random()));
}

function withAttempts(error, attempts) {
  if (error instanceof BridleError && error.details && typeof error.details === 'object') error.details.attempts = attempts;
  return error;
}

function abortedError(signal) {
  return bridleError('aborted', 'the model call was aborted', { cause: signal?.reason });
}

function throwIfAborted(signal) {
  if (signal?.aborted) throw abortedError(signal);
}

/** The error a wait ends with when `signal` aborts: its reason if Bridle's (a timeout), else `aborted`. */
function abortReason(signal) {
  return signal.reason instanceof BridleError ? signal.reason : abortedError(signal);
}

/** The longest delay setTimeout holds; longer waits are chained. */
const MAX_TIMER = 2_147_483_647;

/** Resolves after `ms`, or rejects when the signal aborts first. */
async function sleep(ms, signal) {
  while (ms > MAX_TIMER) {
    await sleep(MAX_TIMER, signal);
    ms -= MAX_TIMER;
  }
  return sleepOnce(ms, signal);
}

function sleepOnce(ms, signal) {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs an async generator to its end and resolves to what it returns. */
async function drain(generator) {
  for (;;) {
    const step = await generator.next();
    if (step.done) return step.value;
  }
}

/** A `fetch` (the caller's) as an exchange: `{ status, headers (JSON), read(), cancel() }`. */
async function fetchExchange(fetchFn, request, signal) {
  const response = await fetchFn(request.url, { method: request.method, headers: request.headers, body: request.body, signal });
  const headers = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const reader = response.body?.getReader() ?? null;
  return {
    status: response.status,
    headers: JSON.stringify(headers),
    async read() {
      if (reader === null) return null;
      const { done, value } = await reader.read();
      return done ? null : value;
    },
    cancel() {
      reader?.cancel().catch(() => {});
    },
  };
}

/** The whole body of an exchange, as one Uint8Array. */
async function readAll(response, signal) {
  const chunks = [];
  let length = 0;
  for (;;) {
    if (signal.aborted) throw abortReason(signal);
    const chunk = await response.read();
    if (signal.aborted) throw abortReason(signal);
    if (chunk === null) break;
    chunks.push(chunk);
    length += chunk.length;
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}

/** A call's options split into the signal (kept here) and the JSON the core reads. */
function callParts(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`a model call takes an options object, not ${describe(options)}`);
  }
  const { signal, ...rest } = options;
  if (signal !== undefined && !(typeof signal?.aborted === 'boolean' && typeof signal?.addEventListener === 'function')) {
    throw invalidArgument(`options.signal must be an AbortSignal, not ${describe(signal)}`);
  }
  return { signal, json: toJson(wireOptions(rest, 'call'), 'the call options') };
}

/**
 * Options with their schemas as JSON Schema (zod and other Standard Schemas describe
 * themselves) and tools without their `execute` functions, which chains run.
 */
function wireOptions(options, path) {
  const out = { ...options };
  if (out.output !== null && typeof out.output === 'object' && out.output.schema !== undefined) {
    out.output = { ...out.output, schema: schemaParts(out.output.schema).jsonSchema };
  }
  if (Array.isArray(out.tools)) {
    out.tools = out.tools.map((tool) => wireTool(tool));
  } else if (out.tools !== null && typeof out.tools === 'object') {
    out.tools = Object.fromEntries(Object.entries(out.tools).map(([name, tool]) => [name, wireTool(tool)]));
  }
  return out;
}

function wireTool(tool) {
  if (tool === null || typeof tool !== 'object') return tool;
  const { execute, ...rest } = tool;
  for (const key of ['parameters', 'inputSchema']) {
    if (rest[key] !== undefined && rest[key]?.['~standard'] !== undefined) rest[key] = schemaParts(rest[key]).jsonSchema;
  }
  return rest;
}

/** The Standard Schema validator of the call's output schema, if it has one (zod). */
function outputValidator(options) {
  const schema = options?.output?.schema;
  if (schema === undefined || schema === null || typeof schema !== 'object') return null;
  return schemaParts(schema).standard;
}

/** Runs the Standard Schema validator over `completion.object` (zod's transforms and defaults apply). */
async function withStandard(completion, standard) {
  if (standard === null || !('object' in completion)) return completion;
  const outcome = await standard.validate(completion.object);
  if (outcome.issues) {
    const errors = outcome.issues.map((issue) => ({
      path: '/' + (issue.path ?? []).map((p) => String(p?.key ?? p)).join('/'),
      keyword: 'standard',
      message: issue.message,
    }));
    throw bridleError('schema', `the model's output does not match the schema: ${errors[0]?.message}`, {
      details: { errors, completion },
    });
  }
  return { ...completion, object: outcome.value };
}

function toJson(value, what) {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw bridleError('invalid_data', `${what} cannot be converted to JSON: ${cause.message}`, { cause });
  }
}

/**
 * A streamed answer. Iterate it for events (`text-delta`, `reasoning-delta`, `tool-call-delta`,
 * `tool-call`, `finish`), or use `textStream`, `toReadableStream()`, or `result` (the whole
 * completion once the stream ends; awaiting it alone drains the stream).
 */
class ModelStream {
  #source;
  #controller;
  #taken = false;
  #settled = null;
  #waiters = [];

  constructor(token, source, controller) {
    if (token !== CONSTRUCT) throw invalidArgument('model.stream() creates streams');
    this.#source = source;
    this.#controller = controller;
  }

  /** The events, once (a stream can be read by one consumer). */
  [Symbol.asyncIterator]() {
    if (this.#taken) throw invalidArgument('this stream is already being read');
    this.#taken = true;
    const source = this.#source;
    const controller = this.#controller;
    const stream = this;
    return {
      async next() {
        try {
          const step = await source.next();
          if (step.done) {
            stream.#settle({ value: step.value });
            return { done: true, value: undefined };
          }
          return step;
        } catch (error) {
          stream.#settle({ error });
          throw error;
        }
      },
      async return() {
        // Interrupts a pending read or wait, so the generator can finish and let go.
        controller.abort(bridleError('aborted', 'the stream was closed before the answer was complete'));
        await source.return(undefined);
        stream.#settle({ error: bridleError('aborted', 'the stream was closed before the answer was complete') });
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** The answer's text, piece by piece. */
  get textStream() {
    const events = this[Symbol.asyncIterator]();
    return (async function* text() {
      for await (const event of events) if (event.type === 'text-delta') yield event.text;
    })();
  }

  /** The events (or with `{ text: true }` the text pieces) as a web ReadableStream. */
  toReadableStream({ text = false } = {}) {
    const iterator = text ? this.textStream : this[Symbol.asyncIterator]();
    return new ReadableStream({
      async pull(controller) {
        try {
          const { done, value } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    });
  }

  /** The whole completion, once the stream has ended (draining it if nobody reads it). */
  get result() {
    if (!this.#taken) {
      const events = this[Symbol.asyncIterator]();
      (async () => {
        for (;;) {
          const { done } = await events.next();
          if (done) return;
        }
      })().catch(() => {});
    }
    return new Promise((resolve, reject) => {
      if (this.#settled !== null) {
        if ('error' in this.#settled) reject(this.#settled.error);
        else resolve(this.#settled.value);
      } else {
        this.#waiters.push({ resolve, reject });
      }
    });
  }

  #settle(outcome) {
    if (this.#settled !== null) return;
    this.#settled = outcome;
    for (const { resolve, reject } of this.#waiters.splice(0)) {
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    }
  }
}
