// The public API over either backend. Behaviour lives in the Rust core; this file only adapts
// it to JavaScript: argument checks that keep both backends' errors identical, the calling
// convention that keeps crossings cheap, and error translation.
//
// A backend (native-backend.js, wasm-backend.js) holds compiled templates in a table and
// hands out integer handles: compileTemplate, templateVariables, templateSyntax, freeTemplate;
// scratch, growScratch and renderScratch for the render call; state (the shared write
// counter); translate(error) for its errors and panics.

import { bridleError } from './translate.js';
import { renderWithHost } from './host.js';
import { PackedWriter, isOmitted, resolve, seen } from './packed.js';
import { createStructuredApi } from './structured.js';
import { createGuardApi } from './guard.js';
import { createModelApi } from './models.js';
import { createChainApi } from './chains.js';
import { createTokensApi } from './tokens.js';

/** The built-in chat templates (`bridle::chat::chat_template`; a test checks both agree). */
const CHAT_TEMPLATES = Object.freeze(['chatml', 'llama3', 'mistral', 'gemma']);

// Only `Template.compile` may construct a Template.
const CONSTRUCT = Symbol('construct');

export function createApi(getBackend, { env = null, loadRanks = null } = {}) {
  // The safety net for templates that are never freed explicitly: when a Template is
  // collected, its compiled form in the backend is freed too.
  const finalizer = finalizerFor('freeTemplate');

  class Template {
    #backend;
    #handle;
    #variables;
    #syntax;
    #writeSlots;
    #utf8;
    #helpers;
    /** Whether data may hold functions the engine calls (Mustache lambdas, Handlebars). */
    #callsFunctions;
    /** Whether every render sends the whole data (the template passes its root on as a value). */
    #wholeData;
    /** Whether the options mark untrusted variables (renders go through the data as a value). */
    #spotlit;

    constructor(token, backend, handle, helpers) {
      if (token !== CONSTRUCT) {
        throw invalidArgument('use Template.compile(source, options) to create a template');
      }
      this.#backend = backend;
      this.#handle = handle;
      finalizer.register(this, { backend, handle }, this);
      this.#syntax = call(backend, () => backend.templateSyntax(handle));
      this.#variables = Object.freeze(call(backend, () => backend.templateVariables(handle)));
      // Engines that walk data (not f-strings) also take long texts as UTF-8, encoded in bulk.
      this.#utf8 = this.#syntax !== 'fstring';
      this.#writeSlots = slotWriter(this.#variables, this.#utf8);
      this.#helpers = helpers;
      this.#callsFunctions = this.#syntax === 'mustache' || this.#syntax === 'handlebars';
      this.#wholeData = call(backend, () => backend.templateReadsWholeData(handle));
      this.#spotlit = call(backend, () => backend.templateIsSpotlit(handle));
    }

    /** Compiles `source` once; render it many times. */
    static compile(source, options) {
      if (typeof source !== 'string') {
        throw invalidArgument(`template source must be a string, not ${describe(source)}`);
      }
      const json = optionsJson(options);
      const backend = getBackend();
      const handle = call(backend, () => backend.compileTemplate(source, json));
      return new Template(CONSTRUCT, backend, handle, helpersOf(options));
    }

    /** The names of the inputs the template reads, in order of first use (frozen). */
    get variables() {
      return this.#variables;
    }

    /** The syntax the template was compiled from. */
    get syntax() {
      return this.#syntax;
    }

    /**
     * Renders with `data`, an object holding a value for every variable. Handlebars also takes
     * `{ data }`: the first `@data` frame, as handlebars.js's `template(context, { data })`.
     */
    render(data, options) {
      const handle = this.#handle;
      if (handle === null) throw invalidArgument('this template was freed');
      const backend = this.#backend;
      if (options !== undefined) return this.#renderWithHost(data, renderOptions(options, this.#syntax));
      if (this.#helpers !== null || this.#spotlit) return this.#renderWithHost(data);
      const names = this.#variables;
      const state = backend.state;
      const functionsBefore = seen.functions;
      let end;
      if (isRoot(data) || this.#wholeData || (data === null && this.#callsFunctions)) {
        // A list, string, number or boolean as the whole context (Mustache and Handlebars), or
        // a template that may read any name of its data.
        // null is a context of its own in Mustache and Handlebars (lookups in it find nothing).
        if (!this.#callsFunctions) data = checkData(data);
        else if (data === undefined) data = EMPTY;
        const write = ++state.writes;
        end = writeRoot(backend, names.length, data);
        // A getter that rendered meanwhile reused the buffer: this render goes as JSON instead.
        if (write !== state.writes) return this.#renderWithHost(data);
        if (this.#callsFunctions && seen.functions !== functionsBefore) return this.#renderWithHost(data);
      } else {
        data = checkData(data);
        const write = ++state.writes;
        end = this.#writeSlots(backend, data);
        if (write !== state.writes) {
          // A getter or toJSON rendered another template meanwhile and reused the buffer: read
          // every value first (running user code), then write them (running none).
          const texts = readSlots(names, data);
          ++state.writes;
          end = writeTexts(backend, texts, this.#utf8);
        }
        // Functions in the data are called by Mustache and Handlebars: the values were walked
        // anyway, so finding one costs nothing more than rendering through the host now.
        if (this.#callsFunctions && seen.functions !== functionsBefore) return this.#renderWithHost(data);
      }
      // The call header: the handle and the length of the slots, so the call takes no arguments.
      const buffer = out;
      const units = end - CALL_HEADER_UNITS;
      buffer[0] = handle & 0xffff;
      buffer[1] = handle >>> 16;
      buffer[2] = units & 0xffff;
      buffer[3] = units >>> 16;
      try {
        return backend.renderScratch();
      } catch (error) {
        throw backend.translate(error);
      }
    }

    /**
     * Renders a template compiled with `untrusted` variables and reports where each untrusted
     * value landed: `{ text, spans: [{ variable, start, end, byteStart, byteEnd }] }` (the
     * spans cover the values inside their delimiters). Helpers and functions in the data are
     * not called on this path; `render` calls them.
     */
    renderSpotlit(data) {
      const handle = this.#handle;
      if (handle === null) throw invalidArgument('this template was freed');
      if (this.#helpers !== null) throw bridleError('unsupported', 'renderSpotlit does not call helpers; use render()');
      let json;
      try {
        json = JSON.stringify(checkData(data));
      } catch (cause) {
        throw bridleError('invalid_data', `the template data cannot be converted to JSON: ${cause.message}`, { cause });
      }
      const { text, json: spans } = unframe(call(this.#backend, () => this.#backend.templateRenderSpotlit(handle, json)));
      return { text, spans: JSON.parse(spans) };
    }

    #renderWithHost(data, privateData) {
      if (!this.#callsFunctions || !(isRoot(data) || data === null)) data = checkData(data);
      return renderWithHost(this.#backend, this.#handle, this.#syntax, data, this.#helpers, privateData);
    }

    /** Releases the compiled template now; later calls to `render` throw. Idempotent. */
    free() {
      const handle = this.#handle;
      if (handle !== null) {
        this.#handle = null;
        finalizer.unregister(this);
        this.#backend.freeTemplate(handle);
      }
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  /** Compiles, renders once and frees: for one-off prompts. */
  function render(source, data, options) {
    const template = Template.compile(source, options);
    try {
      return template.render(data);
    } finally {
      template.free();
    }
  }

  /**
   * Renders a Hugging Face chat template — a built-in name from `chatTemplates` or the Jinja
   * source a model ships — to the prompt string, as transformers' `apply_chat_template` does.
   */
  function applyChatTemplate(template, options) {
    if (typeof template !== 'string') {
      throw invalidArgument(`the chat template must be a string (a name or a Jinja source), not ${describe(template)}`);
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw invalidArgument(`chat template options must be an object, not ${describe(options)}`);
    }
    const { now, ...rest } = options;
    const seconds = clockSeconds(now);
    let json;
    try {
      json = JSON.stringify({ ...rest, now: seconds });
    } catch (cause) {
      throw bridleError('invalid_data', `chat template options cannot be converted to JSON: ${cause.message}`, { cause });
    }
    const backend = getBackend();
    return call(backend, () => backend.applyChatTemplate(template, json));
  }

  // The safety nets for prompts and chat prompts that are never freed explicitly.
  const promptFinalizer = finalizerFor('freePrompt');
  const chatPromptFinalizer = finalizerFor('freeChatPrompt');

  /** A loaded prompt file (`.prompt` or `.prompty`): its front matter, and renders to messages. */
  class Prompt {
    #owned;
    #env;
    #frontMatter;
    /** Dotprompt: partials and schemas given or resolved so far, and the resolvers. */
    #partials;
    #schemas;
    #resolvers;

    constructor(token, backend, handle, refs) {
      if (token !== CONSTRUCT) throw invalidArgument('use loadPrompt(source, options) to load a prompt file');
      this.#owned = owned(this, backend, handle, 'prompt', promptFinalizer, backend.freePrompt);
      this.#partials = { ...refs.partials };
      this.#schemas = { ...refs.schemas };
      this.#resolvers = refs.resolvers;
      this.#env = promptJson('options', { partials: this.#partials, schemas: this.#schemas });
      this.#frontMatter = deepFreeze(JSON.parse(call(backend, () => backend.promptFrontMatter(handle))));
    }

    /** The metadata read from the front matter (`model`, `config`, `input`, `output`, `ext`, `raw`...), frozen. */
    get frontMatter() {
      return this.#frontMatter;
    }

    /** The template body. */
    get template() {
      return this.#owned.call((backend, handle) => backend.promptTemplate(handle));
    }

    /**
     * Renders with `data` (`{ input, context, messages, docs }` as Dotprompt takes them) and
     * render `options` (metadata overrides, `input.default`...): `{ messages, config, ... }`.
     * A Prompty file takes its inputs as `data` and gives its front matter's fields and
     * `messages` in OpenAI's format. A partial or schema the prompt names but was not given is
     * asked of `partialResolver` / `schemaResolver` once, then kept.
     */
    render(data = {}, options = {}) {
      const [dataJson, optionsJson] = [promptJson('data', data), promptJson('options', options)];
      return this.#resolving(false, () => this.#owned.call((backend, handle) => backend.renderPrompt(handle, dataJson, optionsJson, this.#env)));
    }

    /** {@link render} with resolvers that may return promises. */
    async renderAsync(data = {}, options = {}) {
      const [dataJson, optionsJson] = [promptJson('data', data), promptJson('options', options)];
      return this.#resolving(true, () => this.#owned.call((backend, handle) => backend.renderPrompt(handle, dataJson, optionsJson, this.#env)));
    }

    /** The metadata a render with `options` would have, without rendering the body. */
    renderMetadata(options = {}) {
      const optionsJson = promptJson('options', options);
      return this.#resolving(false, () => this.#owned.call((backend, handle) => backend.renderPromptMetadata(handle, optionsJson, this.#env)));
    }

    /** Releases the prompt now; later calls throw. Idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }

    /**
     * Runs `body`; when it fails for a missing partial or schema that a resolver provides,
     * adds it and runs again. Async resolvers only when `allowAsync` (then returns a promise).
     */
    #resolving(allowAsync, body) {
      const asked = new Set();
      const attempt = () => {
        try {
          return JSON.parse(body());
        } catch (error) {
          const missing = this.#missing(error, asked);
          if (missing === null) throw error;
          const found = missing.resolver(missing.name);
          if (typeof found?.then === 'function') {
            if (!allowAsync) throw invalidArgument(`${missing.option} returned a promise for '${missing.name}': use renderAsync`);
            return found.then((value) => (this.#learn(missing, value) ? attempt() : Promise.reject(error)));
          }
          if (!this.#learn(missing, found)) throw error;
          return attempt();
        }
      };
      return allowAsync ? Promise.resolve().then(attempt) : attempt();
    }

    #missing(error, asked) {
      const { partialResolver, schemaResolver } = this.#resolvers;
      const details = error?.details ?? {};
      let missing = null;
      if (partialResolver && error?.code === 'template_render' && typeof details.partial === 'string') {
        missing = { kind: 'partial', name: details.partial, resolver: partialResolver, option: 'partialResolver' };
      } else if (schemaResolver && typeof details.schema === 'string') {
        missing = { kind: 'schema', name: details.schema, resolver: schemaResolver, option: 'schemaResolver' };
      }
      if (missing === null || asked.has(`${missing.kind}:${missing.name}`)) return null;
      asked.add(`${missing.kind}:${missing.name}`);
      return missing;
    }

    #learn(missing, value) {
      if (value === undefined || value === null) return false;
      if (missing.kind === 'partial') {
        if (typeof value !== 'string') throw invalidArgument(`partialResolver must return a string (or nothing), not ${describe(value)}`);
        this.#partials[missing.name] = value;
      } else {
        if (typeof value !== 'object') throw invalidArgument(`schemaResolver must return a JSON Schema object (or nothing), not ${describe(value)}`);
        this.#schemas[missing.name] = value;
      }
      this.#env = promptJson('options', { partials: this.#partials, schemas: this.#schemas });
      return true;
    }
  }

  /**
   * Loads a prompt file: `format` `"dotprompt"` (a `.prompt` file: YAML front matter and a
   * Handlebars body), with `partials` (name → source) and named `schemas` for its renders, and
   * `partialResolver` / `schemaResolver` (name → source / schema, or nothing) for the ones not
   * given; or `"prompty"` (a `.prompty` file), with `env` for its `${env:NAME}` references and
   * `files` (path relative to the prompt → text) for its `${file:path}` references.
   */
  function loadPrompt(source, options = {}) {
    if (typeof source !== 'string') throw invalidArgument(`a prompt file must be a string, not ${describe(source)}`);
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw invalidArgument(`prompt options must be an object, not ${describe(options)}`);
    }
    const { format = 'dotprompt', partials = {}, schemas = {}, env: variables = {}, files = {}, partialResolver, schemaResolver, ...unknown } = options;
    const unknownKeys = Object.keys(unknown);
    if (unknownKeys.length) throw invalidArgument(`unknown prompt option '${unknownKeys[0]}'`);
    expectType('options.format', format, 'string');
    if (partialResolver !== undefined) expectType('options.partialResolver', partialResolver, 'function');
    if (schemaResolver !== undefined) expectType('options.schemaResolver', schemaResolver, 'function');
    for (const [name, value] of [['partials', partials], ['schemas', schemas]]) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgument(`options.${name} must be an object, not ${describe(value)}`);
    }
    const backend = getBackend();
    const refsJson = promptJson('load options', { env: variables, files });
    const handle = call(backend, () => backend.loadPrompt(source, format, refsJson));
    return new Prompt(CONSTRUCT, backend, handle, { partials, schemas, resolvers: { partialResolver, schemaResolver } });
  }

  /** A chat prompt: message templates, literal messages, placeholders and few-shot examples. */
  class ChatPrompt {
    #owned;
    #variables;

    constructor(token, backend, handle) {
      if (token !== CONSTRUCT) throw invalidArgument('use chatPrompt(entries, options) to create a chat prompt');
      this.#owned = owned(this, backend, handle, 'chat prompt', chatPromptFinalizer, backend.freeChatPrompt);
      this.#variables = Object.freeze(call(backend, () => backend.chatPromptVariables(handle)));
    }

    /** The names of the inputs it reads (placeholders included), in order of first use (frozen). */
    get variables() {
      return this.#variables;
    }

    /** Renders to OpenAI messages: each template one message of its role; placeholders insert message lists. */
    render(data = {}) {
      const dataJson = promptJson('data', data);
      return JSON.parse(this.#owned.call((backend, handle) => backend.renderChatPrompt(handle, dataJson)));
    }

    /** A new chat prompt with the given variables fixed. */
    partial(values) {
      const valuesJson = promptJson('values', values);
      const handle = this.#owned.call((backend, live) => backend.partialChatPrompt(live, valuesJson));
      return new ChatPrompt(CONSTRUCT, this.#owned.backend, handle);
    }

    /** Releases it now; later calls throw. Idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  /**
   * A chat prompt from entries — `[role, template]` pairs, OpenAI message objects,
   * `{ placeholder, optional }` and `{ fewShot: { examples, examplePrompt, maxLength } }` — with
   * template options (`syntax`, `partials`, ...) for every template in it.
   */
  function chatPrompt(entries, options) {
    if (!Array.isArray(entries)) throw invalidArgument(`chat prompt entries must be an array, not ${describe(entries)}`);
    const json = promptJson('entries', entries);
    const optionsText = optionsJson(options);
    const backend = getBackend();
    return new ChatPrompt(CONSTRUCT, backend, call(backend, () => backend.compileChatPrompt(json, optionsText)));
  }

  /** A message-list operation of the core on JSON: the messages go in and come back as data. */
  function convertMessages(operation, input, what) {
    if (input === null || typeof input !== 'object') {
      throw bridleError('invalid_data', `${what} must be ${operation.startsWith('from') ? 'an object' : 'an array of messages'}, not ${describe(input)}`);
    }
    let json;
    try {
      json = JSON.stringify(input);
    } catch (cause) {
      throw bridleError('invalid_data', `${what} cannot be converted to JSON: ${cause.message}`, { cause });
    }
    const backend = getBackend();
    return JSON.parse(call(backend, () => backend.convertMessages(operation, json)));
  }

  /** Messages in OpenAI's chat format, validated and in canonical form. */
  const normalizeMessages = (messages) => convertMessages('normalize', messages, 'messages');
  /** OpenAI messages as Anthropic Messages request fields: `{ system?, messages }`. */
  const toAnthropic = (messages) => convertMessages('toAnthropic', messages, 'messages');
  /** Anthropic request fields (`{ system?, messages }`) as OpenAI messages. */
  const fromAnthropic = (request) => convertMessages('fromAnthropic', request, 'the Anthropic request');
  /** OpenAI messages as Gemini request fields: `{ systemInstruction?, contents }`. */
  const toGemini = (messages) => convertMessages('toGemini', messages, 'messages');
  /** Gemini request fields (`{ systemInstruction?, contents }`) as OpenAI messages. */
  const fromGemini = (request) => convertMessages('fromGemini', request, 'the Gemini request');

  /** Test hooks; not part of the supported API. */
  const _debug = {
    panic: (message) => {
      const backend = getBackend();
      return call(backend, () => backend.debugPanic(message));
    },
    memoryBytes: () => getBackend().memoryBytes(),
    liveTemplates: () => getBackend().liveTemplates(),
    chatTemplateNames: () => getBackend().chatTemplateNames(),
  };

  const structured = createStructuredApi(getBackend);
  const guards = createGuardApi(getBackend);
  const models = createModelApi(getBackend, { env });
  return {
    Template, render, applyChatTemplate, chatTemplates: CHAT_TEMPLATES, loadPrompt, Prompt,
    normalizeMessages, toAnthropic, fromAnthropic, toGemini, fromGemini, chatPrompt, ChatPrompt, _debug,
    ...structured,
    ...guards,
    ...models,
    ...createChainApi(getBackend, { Template, ChatPrompt, Schema: structured.Schema, Guard: guards.Guard, Model: models.Model, JsonStream: structured.JsonStream }),
    ...createTokensApi(getBackend, { Template, ChatPrompt, chatPrompt, normalizeMessages, loadRanks }),
  };
}

/** `<UTF-16 length>\n<text><JSON>` from the core (`bridle::guard::wire::frame`), split. */
export function unframe(framed) {
  const newline = framed.indexOf('\n');
  const end = newline + 1 + Number(framed.slice(0, newline));
  return { text: framed.slice(newline + 1, end), json: framed.slice(end) };
}

export function call(backend, body) {
  try {
    return body();
  } catch (error) {
    throw backend.translate(error);
  }
}

/**
 * The options as the JSON the core reads (`TemplateOptions::from_json`). Types are checked
 * here so both backends fail alike; names and values are checked by the core.
 */
function optionsJson(options) {
  if (options === undefined || options === null) return '{}';
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`template options must be an object, not ${describe(options)}`);
  }
  const { syntax, partials, escape, strict, now, maxOutputBytes, helpers, handlebars, untrusted, spotlight, ...unknown } = options;
  const unknownKeys = Object.keys(unknown);
  if (unknownKeys.length) throw invalidArgument(`unknown template option '${unknownKeys[0]}'`);
  const checked = {};
  if (syntax !== undefined) checked.syntax = expectType('options.syntax', syntax, 'string');
  if (escape !== undefined) checked.escape = expectType('options.escape', escape, 'string');
  if (strict !== undefined) checked.strict = expectType('options.strict', strict, 'boolean');
  if (maxOutputBytes !== undefined) {
    if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes < 0) {
      throw invalidArgument(`options.maxOutputBytes must be a whole number of bytes, not ${describe(maxOutputBytes)}`);
    }
    checked.maxOutputBytes = maxOutputBytes;
  }
  checked.now = clockSeconds(now);
  // Spotlighting (untrusted variables): names and modes are checked by the core.
  if (untrusted !== undefined) checked.untrusted = untrusted;
  if (spotlight !== undefined) checked.spotlight = spotlight;
  if (helpers !== undefined) checked.helpers = Object.keys(helpersOf(options) ?? {});
  if (handlebars !== undefined) {
    if (handlebars === null || typeof handlebars !== 'object' || Array.isArray(handlebars)) {
      throw invalidArgument(`options.handlebars must be an object of flags, not ${describe(handlebars)}`);
    }
    checked.handlebars = {};
    for (const [flag, on] of Object.entries(handlebars)) {
      checked.handlebars[flag] = expectType(`options.handlebars.${flag}`, on, 'boolean');
    }
  }
  if (partials !== undefined) {
    if (partials === null || typeof partials !== 'object' || Array.isArray(partials)) {
      throw invalidArgument(`options.partials must be an object of name → source, not ${describe(partials)}`);
    }
    checked.partials = {};
    for (const [name, source] of Object.entries(partials)) {
      checked.partials[name] = expectType(`options.partials.${name}`, source, 'string');
    }
  }
  return JSON.stringify(checked);
}

/** The private data of `render`'s options as JSON, checked; undefined when there is none. */
function renderOptions(options, syntax) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`render options must be an object, not ${describe(options)}`);
  }
  const { data, ...unknown } = options;
  const unknownKeys = Object.keys(unknown);
  if (unknownKeys.length) throw invalidArgument(`unknown render option '${unknownKeys[0]}'`);
  if (data === undefined) return undefined;
  if (syntax !== 'handlebars') throw invalidArgument(`the render option 'data' (@data) is for Handlebars, not ${syntax}`);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalidArgument(`the render option 'data' must be an object, not ${describe(data)}`);
  }
  return data;
}

/**
 * `options.now` as whole seconds since the epoch (a Date, seconds, or now when absent): the
 * time Jinja's `strftime_now` formats, since the core has no clock of its own.
 */
function clockSeconds(now) {
  const time = now instanceof Date ? now.getTime() / 1000 : now ?? Date.now() / 1000;
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw invalidArgument(`options.now must be a Date or seconds since the epoch, not ${describe(now)}`);
  }
  return Math.floor(time);
}

/**
 * A registry that calls `backend[release](handle)` when the object owning the handle is
 * collected (a no-op stand-in where FinalizationRegistry is missing).
 */
export function finalizerFor(release) {
  return typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ backend, handle }) => backend[release](handle))
    : { register() {}, unregister() {} };
}

/** The helpers of `options` as a null-prototype map of name → function, or null if none. */
function helpersOf(options) {
  const helpers = options?.helpers;
  if (helpers === undefined) return null;
  if (helpers === null || typeof helpers !== 'object' || Array.isArray(helpers)) {
    throw invalidArgument(`options.helpers must be an object of name → function, not ${describe(helpers)}`);
  }
  const map = Object.create(null);
  for (const [name, fn] of Object.entries(helpers)) map[name] = expectType(`options.helpers.${name}`, fn, 'function');
  return Object.keys(map).length ? map : null;
}

/**
 * The handle an object owns in a backend: `call(body)` runs `body(backend, handle)` with the
 * backend's errors translated (and refuses once freed), `free()` releases it once, and the
 * finalizer releases it if the object is collected first.
 */
export function owned(owner, backend, handle, kind, finalizer, release) {
  finalizer.register(owner, { backend, handle }, owner);
  let live = handle;
  return {
    backend,
    call(body) {
      if (live === null) throw invalidArgument(`this ${kind} was freed`);
      const current = live;
      return call(backend, () => body(backend, current));
    },
    free() {
      if (live !== null) {
        finalizer.unregister(owner);
        release(live);
        live = null;
      }
    },
  };
}

/** `value` as JSON for a prompt call; what JSON cannot hold is an `invalid_data` error. */
function promptJson(what, value) {
  try {
    return JSON.stringify(value ?? {});
  } catch (cause) {
    throw bridleError('invalid_data', `the prompt's ${what} cannot be converted to JSON: ${cause.message}`, { cause });
  }
}

/** Freezes a parsed JSON value all the way down. */
function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function expectType(what, value, type) {
  if (typeof value !== type) throw invalidArgument(`${what} must be a ${type}, not ${describe(value)}`);
  return value;
}

// The calling convention (see `bridle::template::slots` in the core): a call header (handle,
// length), then the values the template reads, in the order of its variables, each a tag, a
// length and the UTF-16 units of its text.
// A string goes as it is; anything else as the JSON text `JSON.stringify` gives it, which is
// also exactly how LangChain.js renders it. The units are written straight into a scratch
// buffer the backend reads in place (a Uint16Array the addon adopted, or wasm memory),
// because converting a string argument costs more than a whole small render, and JavaScript
// strings are UTF-16 already: nothing is transcoded, lone surrogates included.
const TAG_STRING = 115; // 's'
const TAG_JSON = 106; // 'j'
const TAG_MISSING = 117; // 'u'
const CALL_HEADER_UNITS = 4;
const TAG_STRING_UTF8 = 83; // 'S'
const TAG_JSON_UTF8 = 74; // 'J'
/** Texts longer than this go as UTF-8 where the engine takes it. */
const UTF8_FROM = 128;
const encoder = new TextEncoder();
// `backend.state.writes` counts the writes into a backend's scratch buffer, so a render can
// tell that a nested one (from a getter or toJSON) intervened.
/** The scratch view being written; module state, which is safe because of `state.writes`. */
let out = null;

function checkData(data) {
  if (data === undefined || data === null) return EMPTY;
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw bridleError('invalid_data', `template data must be an object, not ${describe(data)}`);
  }
  return data;
}

/**
 * A function that writes the slots of `data` after the call header and returns the position
 * after them. The first names are held in the closure, so each read site sees one constant
 * key and V8 compiles it to a plain field load; a loop's single `data[name]` site would see
 * every name and go megamorphic, which costs more than the rest of the encoding.
 */
function slotWriter(names, utf8) {
  const [k0, k1, k2, k3] = names;
  const n = names.length;
  return (backend, data) => {
    out = backend.scratch();
    if (n === 0) return CALL_HEADER_UNITS;
    let at = writeValue(backend, CALL_HEADER_UNITS, data[k0], k0, utf8);
    if (n > 1) at = writeValue(backend, at, data[k1], k1, utf8);
    if (n > 2) at = writeValue(backend, at, data[k2], k2, utf8);
    if (n > 3) at = writeValue(backend, at, data[k3], k3, utf8);
    for (let i = 4; i < n; i++) at = writeValue(backend, at, data[names[i]], names[i], utf8);
    return at;
  };
}

function writeValue(backend, at, value, name, utf8) {
  if (typeof value === 'string') return writeText(backend, at, TAG_STRING, value, utf8);
  // Engines that walk data take values packed; f-strings insert the JSON text itself.
  if (utf8) return writePacked(backend, at, value, name);
  const json = value === undefined ? undefined : toJson(name, value);
  return json === undefined ? writeText(backend, at, TAG_MISSING, '') : writeText(backend, at, TAG_JSON, json, utf8);
}

const TAG_PACKED = 80; // 'P'
const writers = new WeakMap();

/** Writes `value` as a packed slot (see packed.js) at `at`; returns the position after it. */
function writePacked(backend, at, value, name) {
  let writer = writers.get(backend);
  if (writer === undefined) writers.set(backend, (writer = new PackedWriter(backend)));
  try {
    value = resolve(value, '');
    if (isOmitted(value)) return writeText(backend, at, TAG_MISSING, '');
    if (at + 3 > out.length) out = backend.growScratch(at + 3, at);
    const start = 2 * (at + 3);
    writer.start(start);
    writer.value(value);
    const bytes = writer.at - start;
    out = backend.scratch();
    out[at] = TAG_PACKED;
    out[at + 1] = bytes & 0xffff;
    out[at + 2] = bytes >>> 16;
    return at + 3 + ((bytes + 1) >> 1);
  } catch (cause) {
    throw bridleError('invalid_data', `the value of '${name}' cannot be converted to JSON: ${cause.message}`, {
      details: { variable: name },
      cause,
    });
  }
}

/** Reads the slots of `data` as [tag, text, ...]; all user code (getters, toJSON) runs here. */
function readSlots(names, data) {
  const texts = [];
  for (const name of names) {
    const value = data[name];
    const json = typeof value === 'string' || value === undefined ? value : toJson(name, value);
    texts.push(typeof value === 'string' ? TAG_STRING : json === undefined ? TAG_MISSING : TAG_JSON, json ?? '');
  }
  return texts;
}

/** Whether `data` is a root other than an object: the Mustache-only extra root slot. */
function isRoot(data) {
  return data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data));
}

/** Writes every variable as missing, then the whole data, packed, as one more slot. */
function writeRoot(backend, variables, data) {
  out = backend.scratch();
  let at = CALL_HEADER_UNITS;
  for (let i = 0; i < variables; i++) at = writeText(backend, at, TAG_MISSING, '');
  if (typeof data === 'string') return writeText(backend, at, TAG_STRING, data, true);
  return writePacked(backend, at, data, '.');
}

function writeTexts(backend, texts, utf8) {
  out = backend.scratch();
  let at = CALL_HEADER_UNITS;
  for (let i = 0; i < texts.length; i += 2) at = writeText(backend, at, texts[i], texts[i + 1], utf8);
  return at;
}

/**
 * Writes one slot at `at`, growing the buffer if needed; returns the position after it.
 * With `utf8`, a long text goes as UTF-8 (tags `S`/`J`): TextEncoder writes it in bulk,
 * where a UTF-16 copy would go character by character.
 */
function writeText(backend, at, tag, text, utf8 = false) {
  const n = text.length;
  let buffer = out;
  if (utf8 && n > UTF8_FROM) {
    const room = 3 * n; // UTF-8 bytes at most
    const units = (room + 1) >> 1;
    if (at + 3 + units > buffer.length) buffer = out = backend.growScratch(at + 3 + units, at);
    const start = 2 * (at + 3);
    const written = encoder.encodeInto(text, backend.scratchBytes().subarray(start, start + room)).written;
    buffer[at] = tag === TAG_JSON ? TAG_JSON_UTF8 : TAG_STRING_UTF8;
    buffer[at + 1] = written & 0xffff;
    buffer[at + 2] = written >>> 16;
    return at + 3 + ((written + 1) >> 1);
  }
  if (at + 3 + n > buffer.length) buffer = out = backend.growScratch(at + 3 + n, at);
  buffer[at] = tag;
  buffer[at + 1] = n & 0xffff;
  buffer[at + 2] = n >>> 16;
  at += 3;
  for (let k = 0; k < n; k++) buffer[at + k] = text.charCodeAt(k);
  return at + n;
}

const EMPTY = Object.freeze({});

function toJson(name, value) {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw bridleError('invalid_data', `the value of '${name}' cannot be converted to JSON: ${cause.message}`, {
      details: { variable: name },
      cause,
    });
  }
}

export function invalidArgument(message) {
  return bridleError('invalid_argument', message);
}

export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
