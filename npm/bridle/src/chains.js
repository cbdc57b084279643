// Chains: pipe, parallel, branch, route, map, assign, passthrough, withRetry, withFallbacks,
// reask and toolLoop, each with invoke(), stream() and batch().
//
// The core runs the chain (bridle::chain): it decides the order, what runs at once, retries
// and their waits, the re-ask and tool loops, checks tool arguments, and writes the events and
// the trace. This file is the driver: it compiles the chain's shape, runs the leaves the core
// asks for (JavaScript functions, models, templates, guards, schemas), sleeps, forwards model
// stream deltas, and wires AbortSignals.

import { call, describe, finalizerFor, invalidArgument } from './facade.js';
import { BridleError } from './errors.js';
import { bridleError } from './translate.js';
import { schemaParts } from './structured.js';

const SPEC = Symbol('spec');
/** The seed of a run's retry jitter and trace ids, unless options.seed says otherwise: replays repeat. */
const DEFAULT_SEED = 0x5eed;

export function createChainApi(getBackend, { Template, ChatPrompt, Schema, Guard, Model, JsonStream }) {
  const finalizer = finalizerFor('chainFree');

  /**
   * A step as the core sees it: a node of the chain's shape, whose leaves are numbered into
   * `leaves` (what the driver runs).
   */
  function nodeOf(step, leaves, path) {
    if (step instanceof Chainable) return step[SPEC](leaves, path);
    if (typeof step === 'function') return leaf(leaves, { type: 'fn', run: step }, step.name || 'function');
    if (step instanceof Model) return leaf(leaves, { type: 'model', model: step, options: {} }, `${step.provider}:${step.modelId}`);
    if (step instanceof Template) return leaf(leaves, { type: 'template', run: (input) => step.render(input) }, 'template');
    if (step instanceof ChatPrompt) return leaf(leaves, { type: 'template', run: (input) => step.render(input) }, 'chat-prompt');
    if (step instanceof Schema) return leaf(leaves, { type: 'parser', run: (input) => step.parseAsync(textOf(input)) }, 'parser');
    if (step instanceof Guard) return leaf(leaves, { type: 'guard', guard: step }, 'guard');
    if (step !== null && typeof step === 'object' && !Array.isArray(step)) {
      return { kind: 'parallel', name: 'parallel', branches: mapObject(step, (value, key) => nodeOf(value, leaves, `${path}.${key}`)) };
    }
    throw invalidArgument(`${path} is not a step (a function, model, template, chat prompt, schema, guard, chain or object of steps): ${describe(step)}`);
  }

  function leaf(leaves, entry, name) {
    leaves.push(entry);
    return { kind: 'leaf', leaf: leaves.length - 1, type: entry.type, name: entry.name ?? name };
  }

  /** The base of every chain: invoke, stream, batch, and naming. */
  class Chainable {
    #build;
    #name;
    #compiled = null;

    constructor(build, name) {
      this.#build = build;
      this.#name = name;
    }

    [SPEC](leaves, path) {
      const node = this.#build(leaves, path);
      if (this.#name !== undefined) node.name = this.#name;
      return node;
    }

    /** The same chain under another name (for traces and events). */
    withName(name) {
      if (typeof name !== 'string' || name === '') throw invalidArgument('a step name must be a non-empty string');
      return new Chainable(this.#build, name);
    }

    /** The chain compiled once per backend: its handle and leaves. */
    #compile() {
      const backend = getBackend();
      if (this.#compiled?.backend !== backend) {
        const leaves = [];
        const spec = this[SPEC](leaves, 'chain');
        const handle = call(backend, () => backend.chainCompile(JSON.stringify(spec)));
        const compiled = { backend, handle, leaves };
        finalizer.register(compiled, { backend, handle });
        this.#compiled = compiled;
      }
      return this.#compiled;
    }

    /** Runs the chain on `input`; resolves to its output. Options: `signal`, `onEvent`, `seed`, `trace` (a callback given the trace). */
    invoke(input, options = {}) {
      return drive(this.#compile(), input, options, null);
    }

    /** Runs the chain, yielding its events from every depth as they happen; the last is `final`. */
    stream(input, options = {}) {
      const compiled = this.#compile();
      const queue = [];
      let wake = null;
      let ended = false;
      let failure = null;
      const controller = new AbortController();
      const outer = options.signal;
      const onOuterAbort = () => controller.abort(outer.reason);
      outer?.addEventListener('abort', onOuterAbort, { once: true });
      if (outer?.aborted) controller.abort(outer.reason);
      const push = (event) => {
        queue.push(event);
        wake?.();
      };
      const done = drive(compiled, input, { ...options, signal: controller.signal }, push).then(
        () => {
          ended = true;
          wake?.();
        },
        (error) => {
          failure = error;
          ended = true;
          wake?.();
        },
      );
      void done;
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        async next() {
          for (;;) {
            if (queue.length) return { done: false, value: queue.shift() };
            if (ended) {
              outer?.removeEventListener('abort', onOuterAbort);
              if (failure !== null) {
                const error = failure;
                failure = null;
                throw error;
              }
              return { done: true, value: undefined };
            }
            await new Promise((resolve) => {
              wake = resolve;
            });
            wake = null;
          }
        },
        async return() {
          if (!ended) controller.abort(bridleError('aborted', 'the chain stream was closed before the run ended'));
          await done;
          outer?.removeEventListener('abort', onOuterAbort);
          return { done: true, value: undefined };
        },
      };
    }

    /** Runs the chain on each input, at most `concurrency` at once; outputs in input order (errors in place with `returnErrors`). */
    async batch(inputs, { concurrency = 4, returnErrors = false, ...options } = {}) {
      if (!Array.isArray(inputs)) throw invalidArgument(`batch() takes an array of inputs, not ${describe(inputs)}`);
      const results = new Array(inputs.length);
      let next = 0;
      const worker = async () => {
        while (next < inputs.length) {
          const index = next++;
          try {
            results[index] = await this.invoke(inputs[index], options);
          } catch (error) {
            if (!returnErrors) throw error;
            results[index] = error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker));
      return results;
    }
  }

  /** Runs a compiled chain: the driver loop over the core's effects. */
  function drive({ backend, handle, leaves }, input, options, sink) {
    const { signal, onEvent, seed = DEFAULT_SEED, trace: onTrace } = options ?? {};
    if (onEvent !== undefined && typeof onEvent !== 'function') throw invalidArgument('options.onEvent must be a function');
    const emit = (event) => {
      sink?.(event);
      onEvent?.(event);
    };
    // The core writes events and keeps values in the trace only when someone will read them.
    const flags = (sink !== null || onEvent !== undefined ? 1 : 0) | (onTrace !== undefined ? 2 : 0);
    return new Promise((resolve, reject) => {
      let inputJson;
      try {
        inputJson = JSON.stringify(input ?? null);
      } catch (cause) {
        reject(bridleError('invalid_data', `the chain input cannot be converted to JSON: ${cause.message}`, { cause }));
        return;
      }
      const run = call(backend, () => backend.runStart(handle, inputJson, Date.now(), seed, flags));
      /** Calls and sleeps in flight: id → { controller (made when a step asks for its signal), timer }. */
      const inflight = new Map();
      const jsErrors = new Map();
      const queue = [];
      let draining = false;
      let finished = false;
      const end = () => {
        finished = true;
        signal?.removeEventListener('abort', onAbort);
        for (const slot of inflight.values()) {
          clearTimeout(slot.timer);
          slot.controller?.abort(bridleError('aborted', 'the chain run ended'));
        }
        inflight.clear();
        if (onTrace) onTrace(JSON.parse(call(backend, () => backend.runTrace(run))));
        backend.runFree(run);
      };
      // Effects are handled in a loop, never by recursion: a step that answers at once (a
      // synchronous function) feeds the core and its next effects join the queue.
      const handleEffects = (json) => {
        for (const effect of JSON.parse(json)) queue.push(effect);
        if (draining) return;
        draining = true;
        try {
          while (queue.length && !finished) {
            const effect = queue.length === 1 ? queue.pop() : queue.shift();
            switch (effect.type) {
              case 'event':
                emit(effect.event);
                break;
              case 'call':
                start(effect);
                break;
              case 'sleep': {
                const slot = { controller: null, timer: setTimeout(() => answer(effect.id, true, null), effect.ms) };
                inflight.set(effect.id, slot);
                break;
              }
              case 'cancel': {
                const slot = inflight.get(effect.id);
                if (slot) {
                  clearTimeout(slot.timer);
                  slot.controller?.abort(bridleError('aborted', 'the step was cancelled'));
                  inflight.delete(effect.id);
                }
                break;
              }
              case 'done':
                end();
                resolve(effect.output);
                return;
              case 'error':
                end();
                reject(restore(effect.error, jsErrors));
                return;
              default:
            }
          }
        } finally {
          draining = false;
        }
      };
      const answer = (id, ok, value) => {
        if (finished || !inflight.delete(id)) return;
        let json;
        try {
          json = JSON.stringify(value ?? null);
        } catch (cause) {
          ok = false;
          json = JSON.stringify({ code: 'invalid_data', message: `a step's output cannot be converted to JSON: ${cause.message}`, details: {} });
        }
        try {
          handleEffects(backend.runResolve(run, id, ok, json, Date.now()));
        } catch (error) {
          // A backend failure, or an onEvent callback that threw: the run ends with it.
          if (!finished) {
            end();
            reject(backend.translate(error));
          }
        }
      };
      const start = (effect) => {
        const slot = { controller: null, timer: undefined };
        inflight.set(effect.id, slot);
        const context = new StepContext(slot, effect.span);
        let result;
        try {
          result = runLeaf(leaves[effect.leaf], effect, context, emit);
        } catch (error) {
          answer(effect.id, false, errorJson(error, effect.id, jsErrors));
          return;
        }
        if (result !== null && typeof result?.then === 'function') {
          result.then(
            (value) => answer(effect.id, true, value),
            (error) => answer(effect.id, false, errorJson(error, effect.id, jsErrors)),
          );
        } else {
          answer(effect.id, true, result);
        }
      };
      const onAbort = () => {
        if (finished) return;
        const reason = signal.reason instanceof BridleError ? signal.reason : bridleError('aborted', 'the chain run was aborted', { cause: signal.reason });
        jsErrors.set(-1, reason);
        const error = { code: reason.code, message: reason.message, details: { ...(reason.details ?? {}), jsError: -1 } };
        handleEffects(call(backend, () => backend.runCancel(run, JSON.stringify(error), Date.now())));
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      handleEffects(call(backend, () => backend.runTake(run)));
    });
  }

  /**
   * Runs one leaf for the core: `{ output, usage?, findings? }`, or a promise of it. A
   * synchronous function or a template answers at once, without a trip through the microtask
   * queue.
   */
  function runLeaf(entry, effect, context, emit) {
    const { input, mode, span } = effect;
    switch (entry.type) {
      case 'fn': {
        const output = entry.run(input, context);
        return output !== null && typeof output?.then === 'function' ? output.then(wrapOutput) : { output };
      }
      case 'template':
        return { output: entry.run(input) };
      case 'parser':
        return entry.run(input).then(wrapOutput);
      case 'guard':
        return runGuard(entry, input, mode);
      case 'model':
        return runModel(entry, input, mode, span, context.signal, emit);
      default:
        throw invalidArgument(`unknown leaf type ${entry.type}`);
    }
  }

  async function runGuard(entry, input, mode) {
    const text = mode === 'check' ? (typeof input === 'string' ? input : input.text) : textOf(input);
    if (mode === 'check') {
      try {
        const outcome = await entry.guard.check(text);
        const bad = outcome.failures.filter((f) => f.action === 'reask' || f.action === 'block');
        return { output: { passed: bad.length === 0, failures: bad.map((f) => f.message), findings: outcome.findings } };
      } catch (error) {
        if (error?.code !== 'guard_blocked') throw error;
        return { output: { passed: false, failures: error.details.failures.map((f) => f.message), findings: error.details.findings } };
      }
    }
    const outcome = await entry.guard.check(text);
    return { output: outcome.text, findings: outcome.findings };
  }

  /** A model leaf: generate (or, when the run streams, stream with the deltas forwarded). */
  async function runModel(entry, input, mode, span, signal, emit) {
    const { model, options: { guard: outputGuard, ...options } } = entry;
    const request = { ...options, ...modelInput(input), signal };
    // A streaming guard on the answer: deltas are passed on only once the guard released them
    // (redacted or fixed), and a block stops the step.
    const guarded = outputGuard === undefined ? null : outputGuard.stream();
    let released = '';
    const pass = (text) => {
      if (text === '') return;
      released += text;
      emit({ type: 'text-delta', span, text });
    };
    if (Array.isArray(input?.tools)) request.tools = input.tools;
    const partial = options.output?.schema !== undefined && JsonStream !== undefined ? new JsonStream() : null;
    const stream = model.stream(request);
    let shown = '';
    try {
      for await (const event of stream) {
        if (event.type === 'text-delta') {
          if (guarded === null) emit({ type: 'text-delta', span, text: event.text });
          else pass(guarded.push(event.text));
          if (partial !== null) {
            partial.push(event.text);
            // Only a changed object is news.
            const json = JSON.stringify(partial.value);
            if (json !== shown) {
              shown = json;
              emit({ type: 'partial-object', span, object: JSON.parse(json) });
            }
          }
        } else if (event.type === 'reasoning-delta') {
          emit({ type: 'reasoning-delta', span, text: event.text });
        }
      }
      if (guarded !== null) {
        pass(guarded.end());
        if (guarded.findings.length) emit({ type: 'guard-finding', span, findings: guarded.findings, failures: guarded.failures });
      }
    } finally {
      partial?.free?.();
      guarded?.free();
    }
    const completion = await stream.result;
    if (guarded !== null) {
      const findings = guarded.findings;
      if (mode === 'completion') return { output: { ...completion, text: released }, usage: completion.usage, findings };
      return { output: 'object' in completion ? completion.object : released, usage: completion.usage, findings };
    }
    const usage = completion.usage;
    if (mode === 'completion') {
      const { text, toolCalls, message, finishReason, object } = completion;
      return { output: { text, toolCalls, message, finishReason, usage, object }, usage };
    }
    return { output: 'object' in completion ? completion.object : completion.text, usage };
  }

  // ----------------------------------------------------------------- the public builders

  const build = (fn) => new Chainable(fn);

  /** Steps in order, each output the next input. */
  function pipe(...steps) {
    if (steps.length === 1 && Array.isArray(steps[0])) steps = steps[0];
    return build((leaves, path) => ({ kind: 'sequence', steps: steps.map((s, i) => nodeOf(s, leaves, `${path}.${i}`)) }));
  }

  /** Named branches on the same input at once; the output is `{ name: output }`. */
  function parallel(branches) {
    expectObject('parallel', branches);
    return build((leaves, path) => ({ kind: 'parallel', branches: mapObject(branches, (s, k) => nodeOf(s, leaves, `${path}.${k}`)) }));
  }

  /** `branch([condition, step], ..., otherwise?)`: the first condition that holds picks the step. */
  function branch(...cases) {
    let otherwise = null;
    if (cases.length && !Array.isArray(cases.at(-1))) otherwise = cases.pop();
    for (const c of cases) if (!Array.isArray(c) || c.length !== 2) throw invalidArgument('branch() takes [condition, step] pairs, then an optional default step');
    return build((leaves, path) => ({
      kind: 'branch',
      cases: cases.map(([when, then], i) => ({ when: nodeOf(when, leaves, `${path}.${i}.when`), then: nodeOf(then, leaves, `${path}.${i}.then`) })),
      otherwise: otherwise === null ? null : nodeOf(otherwise, leaves, `${path}.otherwise`),
    }));
  }

  /** The router's output (a route name) picks the route; `default` for any other name. */
  function route(router, routes, { default: fallback } = {}) {
    expectObject('route', routes);
    return build((leaves, path) => ({
      kind: 'route',
      router: nodeOf(router, leaves, `${path}.router`),
      routes: mapObject(routes, (s, k) => nodeOf(s, leaves, `${path}.routes.${k}`)),
      default: fallback === undefined ? null : nodeOf(fallback, leaves, `${path}.default`),
    }));
  }

  /** The step on every item of the input list, at most `concurrency` at once. */
  function map(step, { concurrency } = {}) {
    return build((leaves, path) => ({ kind: 'map', step: nodeOf(step, leaves, `${path}.step`), concurrency }));
  }

  /** The input object with each step's output added under its name (the steps run at once). */
  function assign(steps) {
    expectObject('assign', steps);
    return build((leaves, path) => ({ kind: 'assign', keys: mapObject(steps, (s, k) => nodeOf(s, leaves, `${path}.${k}`)) }));
  }

  /** The input, unchanged. */
  const passthrough = () => build(() => ({ kind: 'passthrough' }));

  /** The step, tried again on failure: `attempts` in all, waits from `backoff`, only errors whose code is in `on` if given. */
  function withRetry(step, { attempts = 3, backoff, on } = {}) {
    return build((leaves, path) => ({ kind: 'retry', step: nodeOf(step, leaves, `${path}.step`), attempts, backoff, on }));
  }

  /** The steps in order until one succeeds. */
  function withFallbacks(steps) {
    if (!Array.isArray(steps) || steps.length === 0) throw invalidArgument('withFallbacks() takes a non-empty array of steps');
    return build((leaves, path) => ({ kind: 'fallbacks', steps: steps.map((s, i) => nodeOf(s, leaves, `${path}.${i}`)) }));
  }

  /**
   * A model as a step with call options (output schema, temperature, ...) and optionally
   * `guard`, a guard its answer streams through (deltas are guarded before anyone sees them).
   */
  function modelStep(model, options = {}) {
    if (!(model instanceof Model)) throw invalidArgument(`modelStep() takes a model, not ${describe(model)}`);
    if (options.guard !== undefined && !(options.guard instanceof Guard)) throw invalidArgument('modelStep() options.guard must be a guard (from guard([...]))');
    return build((leaves) => modelLeaf(leaves, model, options));
  }

  /**
   * The validate → repair → re-ask loop: the model's answer is parsed (repaired), checked
   * against `schema` and the output `guards`; failures go back to the model, up to
   * `maxAttempts`, `maxTokens` and `maxCost` (with `pricing: { input, output }` per token).
   */
  function reask(model, { schema, guards = [], maxAttempts = 3, repair = true, maxTokens, maxCost, pricing, ...options } = {}) {
    if (!(model instanceof Model)) throw invalidArgument(`reask() takes a model, not ${describe(model)}`);
    const parts = schema === undefined ? null : schemaParts(schema);
    return build((leaves, path) => ({
      kind: 'reask',
      model: modelLeaf(leaves, model, options).leaf,
      schema: parts?.jsonSchema ?? null,
      guards: guards.map((g, i) => guardLeaf(leaves, g, `${path}.guards.${i}`)),
      maxAttempts,
      repair,
      maxTokens,
      maxCost,
      pricing,
    }));
  }

  /**
   * The tool loop: the model with `tools` (`{ name: { description, parameters, execute, needsApproval } }`);
   * calls are checked against their schemas, guarded (`guards` see each call's arguments),
   * approved (`approve({ id, tool, input })` for tools that need it) and run at once, their
   * results fed back, until the model answers or `maxSteps` model calls. If the last step still
   * calls tools, the loop fails with `limit_exceeded` (the result so far in `details.result`),
   * or with `onMaxSteps: 'return'` returns it with `stoppedBy: 'maxSteps'`.
   */
  function toolLoop(model, { tools, maxSteps = 5, onMaxSteps = 'error', guards = [], approve, ...options } = {}) {
    if (!(model instanceof Model)) throw invalidArgument(`toolLoop() takes a model, not ${describe(model)}`);
    expectObject('toolLoop tools', tools);
    return build((leaves, path) => ({
      kind: 'tools',
      model: modelLeaf(leaves, model, options).leaf,
      tools: Object.entries(tools).map(([name, tool]) => {
        if (typeof tool?.execute !== 'function') throw invalidArgument(`${path}.tools.${name} needs an execute function`);
        const parameters = tool.parameters === undefined ? { type: 'object', properties: {} } : schemaParts(tool.parameters).jsonSchema;
        return { name, description: tool.description, parameters, needsApproval: tool.needsApproval === true, run: leaf(leaves, { type: 'fn', run: tool.execute }, name).leaf };
      }),
      maxSteps,
      onMaxSteps,
      guards: guards.map((g, i) => guardLeaf(leaves, g, `${path}.guards.${i}`)),
      approval: approve === undefined ? null : leaf(leaves, { type: 'fn', run: approve }, 'approve').leaf,
    }));
  }

  /** A model leaf with its call options (copied: changing the caller's object later changes nothing). */
  function modelLeaf(leaves, model, options) {
    return leaf(leaves, { type: 'model', model, options: { ...options } }, `${model.provider}:${model.modelId}`);
  }

  function guardLeaf(leaves, guard, path) {
    if (!(guard instanceof Guard)) throw invalidArgument(`${path} must be a guard (from guard([...]))`);
    return leaf(leaves, { type: 'guard', guard }, 'guard').leaf;
  }

  /** Wraps a model so every answer it gives is recorded as a scripted reply: `scripted(recorder.replies)` replays the run. */
  function record(model) {
    if (!(model instanceof Model)) throw invalidArgument(`record() takes a model, not ${describe(model)}`);
    const replies = [];
    const keep = (completion, chunks) => {
      const reply = { text: completion.text, finishReason: completion.finishReason, usage: { inputTokens: completion.usage.inputTokens ?? 0, outputTokens: completion.usage.outputTokens ?? 0 } };
      if (completion.toolCalls.length) reply.toolCalls = completion.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }));
      if (chunks && chunks.join('') === completion.text && chunks.length) reply.chunks = chunks;
      if (completion.reasoning !== undefined) reply.reasoning = completion.reasoning;
      replies.push(reply);
    };
    const recorder = Object.create(model, {
      provider: { value: model.provider },
      modelId: { value: model.modelId },
      calls: { get: () => model.calls },
      free: { value: () => model.free() },
    });
    recorder.generate = async (options) => {
      const completion = await model.generate(options);
      keep(completion, null);
      return completion;
    };
    recorder.stream = (options) => {
      const inner = model.stream(options);
      const chunks = [];
      return {
        async *[Symbol.asyncIterator]() {
          for await (const event of inner) {
            if (event.type === 'text-delta') chunks.push(event.text);
            yield event;
          }
          keep(await inner.result, chunks);
        },
        get result() {
          return inner.result;
        },
      };
    };
    return { model: recorder, replies };
  }

  return { pipe, parallel, branch, route, map, assign, passthrough, withRetry, withFallbacks, modelStep, reask, toolLoop, record, Chain: Chainable };
}

/** What a step function gets besides its input: its span, and a signal made only if asked for. */
class StepContext {
  #slot;

  constructor(slot, span) {
    this.#slot = slot;
    this.span = span;
  }

  /** Aborts when the run is cancelled or the step is (a failed sibling, a closed stream). */
  get signal() {
    this.#slot.controller ??= new AbortController();
    return this.#slot.controller.signal;
  }
}

function wrapOutput(output) {
  return { output };
}

function modelInput(input) {
  if (typeof input === 'string') return { prompt: input };
  if (Array.isArray(input)) return { messages: input };
  if (input !== null && typeof input === 'object' && Array.isArray(input.messages)) return { messages: input.messages };
  throw invalidArgument(`a model step takes a prompt string, a message list or { messages }, not ${describe(input)}`);
}


function textOf(value) {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && typeof value.text === 'string') return value.text;
  return JSON.stringify(value);
}

function mapObject(object, fn) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value, key)]));
}

function expectObject(what, value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgument(`${what} takes an object of named steps, not ${describe(value)}`);
}

/** A thrown value as the core's error JSON; JavaScript errors are kept to be rethrown as they are. */
function errorJson(error, id, jsErrors) {
  if (error instanceof BridleError) {
    return { code: error.code, message: error.message, details: { ...(error.details ?? {}), jsError: remember(error, id, jsErrors) } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, details: { jsError: remember(error, id, jsErrors) } };
}

function remember(error, id, jsErrors) {
  jsErrors.set(id, error);
  return id;
}

/** The error a run ended with: the JavaScript error a step threw, as it was, or the core's. */
function restore(error, jsErrors) {
  const key = error?.details?.jsError;
  if (key !== undefined && jsErrors.has(key)) {
    const original = jsErrors.get(key);
    if (original instanceof BridleError && error.details?.attempts !== undefined) original.details.attempts = error.details.attempts;
    return original;
  }
  return bridleError(error.code, error.message, { details: error.details });
}
