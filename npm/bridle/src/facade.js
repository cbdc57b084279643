// The public API over either backend. Behaviour lives in the Rust core; this file only adapts
// it to JavaScript: argument checks that keep both backends' errors identical, the calling
// convention that keeps crossings cheap, and error translation.
//
// A backend (native-backend.js, wasm-backend.js) holds compiled templates in a table and
// hands out integer handles: compileTemplate, templateVariables, templateSyntax, renderSlots,
// scratch + renderScratch, freeTemplate, plus translate(error) for its errors and panics.

import { bridleError } from './translate.js';

// Only `Template.compile` may construct a Template.
const CONSTRUCT = Symbol('construct');

export function createApi(getBackend) {
  // The safety net for templates that are never freed explicitly: when a Template is
  // collected, its compiled form in the backend is freed too.
  const finalizer = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ backend, handle }) => backend.freeTemplate(handle))
    : { register() {}, unregister() {} };

  class Template {
    #backend;
    #handle;
    #variables;
    #syntax;

    constructor(token, backend, handle) {
      if (token !== CONSTRUCT) {
        throw invalidArgument('use Template.compile(source, options) to create a template');
      }
      this.#backend = backend;
      this.#handle = handle;
      finalizer.register(this, { backend, handle }, this);
      this.#syntax = call(backend, () => backend.templateSyntax(handle));
      this.#variables = Object.freeze(call(backend, () => backend.templateVariables(handle)));
    }

    /** Compiles `source` once; render it many times. */
    static compile(source, options) {
      if (typeof source !== 'string') {
        throw invalidArgument(`template source must be a string, not ${describe(source)}`);
      }
      const syntax = readSyntax(options);
      const backend = getBackend();
      const handle = call(backend, () => backend.compileTemplate(source, syntax));
      return new Template(CONSTRUCT, backend, handle);
    }

    /** The names of the inputs the template reads, in order of first use (frozen). */
    get variables() {
      return this.#variables;
    }

    /** The syntax the template was compiled from. */
    get syntax() {
      return this.#syntax;
    }

    /** Renders with `data`, an object holding a value for every variable. */
    render(data) {
      const handle = this.#handle;
      if (handle === null) throw invalidArgument('this template was freed');
      const backend = this.#backend;
      const slots = readSlots(this.#variables, data);
      const length = writeSlots(slots, backend.scratch());
      try {
        return length >= 0 ? backend.renderScratch(handle, length) : backend.renderSlots(handle, joinSlots(slots));
      } catch (error) {
        throw backend.translate(error);
      }
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

  /** Test hooks; not part of the supported API. */
  const _debug = {
    panic: (message) => {
      const backend = getBackend();
      return call(backend, () => backend.debugPanic(message));
    },
    memoryBytes: () => getBackend().memoryBytes(),
    liveTemplates: () => getBackend().liveTemplates(),
  };

  return { Template, render, _debug };
}

function call(backend, body) {
  try {
    return body();
  } catch (error) {
    throw backend.translate(error);
  }
}

function readSyntax(options) {
  if (options === undefined || options === null) return 'fstring';
  if (typeof options !== 'object') {
    throw invalidArgument(`template options must be an object, not ${describe(options)}`);
  }
  const syntax = options.syntax ?? 'fstring';
  if (typeof syntax !== 'string') {
    throw invalidArgument(`options.syntax must be a string, not ${describe(syntax)}`);
  }
  // The core owns the list of syntax names and the message for an unknown one.
  return syntax;
}

// The calling convention (see `bridle::template::slots` in the core): the values the template
// reads, in the order of its variables, each a tag and a text, separated by NUL. A string goes
// as it is; anything else as the JSON text `JSON.stringify` gives it, which is also exactly how
// LangChain.js renders it. The slots are written as UTF-8 straight into a scratch buffer the
// backend reads in place (a typed array for the addon, wasm memory for the module), because
// converting a string argument costs more than the whole render; values too big for the
// buffer go as one string instead.
const TAG_STRING = 115; // 's'
const TAG_ESCAPED = 101; // 'e': a string holding NUL, as a JSON string literal
const TAG_JSON = 106; // 'j'
const TAG_MISSING = 117; // 'u'
const encoder = new TextEncoder();

/**
 * Reads the values: [tag, text, tag, text, ...]. Everything that can run user code (getters,
 * toJSON) happens here, before the scratch buffer is touched, so a render nested inside a
 * getter cannot overwrite a half-written buffer.
 */
function readSlots(names, data) {
  if (data === undefined || data === null) {
    data = EMPTY;
  } else if (typeof data !== 'object' || Array.isArray(data)) {
    throw bridleError('invalid_data', `template data must be an object, not ${describe(data)}`);
  }
  const slots = new Array(names.length * 2);
  for (let i = 0; i < names.length; i++) {
    const value = data[names[i]];
    let tag = TAG_STRING;
    let text = value;
    if (typeof value !== 'string') {
      text = value === undefined ? undefined : toJson(names[i], value);
      tag = text === undefined ? TAG_MISSING : TAG_JSON;
      if (text === undefined) text = '';
    }
    slots[2 * i] = tag;
    slots[2 * i + 1] = text;
  }
  return slots;
}

/** Writes the slots into `buffer` as UTF-8; the byte length, or -1 if they may not fit. */
function writeSlots(slots, buffer) {
  const capacity = buffer.length;
  let at = 0;
  for (let i = 0; i < slots.length; i += 2) {
    if (i > 0) buffer[at++] = 0;
    let tag = slots[i];
    let text = slots[i + 1];
    const start = at;
    // Worst case: three bytes of UTF-8 per UTF-16 code unit, plus tag and separator.
    if (at + 2 + 3 * text.length > capacity) return -1;
    buffer[at++] = tag;
    const n = text.length;
    let k = 0;
    // ASCII without NUL byte by byte: for short values this beats TextEncoder's call cost.
    for (; k < n; k++) {
      const code = text.charCodeAt(k);
      if (code - 1 >>> 0 >= 0x7f) break;
      buffer[at++] = code;
    }
    if (k < n) {
      if (tag === TAG_STRING && text.indexOf('\0', k) !== -1) {
        // NUL separates slots: such a string goes as a JSON string literal instead.
        text = JSON.stringify(text);
        tag = TAG_ESCAPED;
        at = start;
        if (at + 2 + 3 * text.length > capacity) return -1;
        buffer[at++] = tag;
        k = 0;
      }
      at += encoder.encodeInto(k === 0 ? text : text.slice(k), buffer.subarray(at)).written;
    }
  }
  return at;
}

/** The same slots as one string, for values too big for the scratch buffer. */
function joinSlots(slots) {
  let encoded = '';
  for (let i = 0; i < slots.length; i += 2) {
    let tag = String.fromCharCode(slots[i]);
    let text = slots[i + 1];
    if (tag === 's' && text.indexOf('\0') !== -1) {
      tag = 'e';
      text = JSON.stringify(text);
    }
    encoded += (i === 0 ? '' : '\0') + tag + text;
  }
  return encoded;
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

function invalidArgument(message) {
  return bridleError('invalid_argument', message);
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
