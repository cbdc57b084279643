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
      const names = this.#variables;
      data = checkData(data);
      const write = ++writes;
      const length = writeSlots(names, data, backend.scratch());
      try {
        // Another render inside a getter or toJSON may have reused the scratch buffer.
        return length >= 0 && write === writes
          ? backend.renderScratch(handle, length)
          : backend.renderSlots(handle, encodeSlots(names, data));
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
// converting a string argument costs more than a whole small render; values too big for the
// buffer go as one string instead.
const TAG_STRING = 115; // 's'
const TAG_ESCAPED = 101; // 'e': a string holding NUL, as a JSON string literal
const TAG_JSON = 106; // 'j'
const TAG_MISSING = 117; // 'u'
const encoder = new TextEncoder();
/** Counts scratch writes, so a render can tell that a nested one (from a getter) intervened. */
let writes = 0;

function checkData(data) {
  if (data === undefined || data === null) return EMPTY;
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw bridleError('invalid_data', `template data must be an object, not ${describe(data)}`);
  }
  return data;
}

/** Writes the slots into `buffer` as UTF-8; returns the byte length, or -1 if they may not fit. */
function writeSlots(names, data, buffer) {
  const n = names.length;
  if (n === 0) return 0;
  // The first values are read at call sites of their own: a loop's single `data[name]` site
  // sees every name and goes megamorphic, which costs more than the rest of the encoding.
  let at = writeSlot(buffer, 0, data[names[0]], names[0]);
  if (n > 1 && at >= 0) at = writeSlot(buffer, separate(buffer, at), data[names[1]], names[1]);
  if (n > 2 && at >= 0) at = writeSlot(buffer, separate(buffer, at), data[names[2]], names[2]);
  if (n > 3 && at >= 0) at = writeSlot(buffer, separate(buffer, at), data[names[3]], names[3]);
  for (let i = 4; i < n && at >= 0; i++) at = writeSlot(buffer, separate(buffer, at), data[names[i]], names[i]);
  return at;
}

function separate(buffer, at) {
  if (at >= buffer.length) return -1;
  buffer[at] = 0;
  return at + 1;
}

/** Writes one slot (tag and text) at `at`; returns the new position, or -1 if it may not fit. */
function writeSlot(buffer, at, value, name) {
  if (at < 0) return -1;
  const capacity = buffer.length;
  let text = value;
  let tag = TAG_STRING;
  if (typeof value !== 'string') {
    text = value === undefined ? undefined : toJson(name, value);
    if (text === undefined) {
      if (at + 1 > capacity) return -1;
      buffer[at] = TAG_MISSING;
      return at + 1;
    }
    tag = TAG_JSON;
  }
  // Worst case: three bytes of UTF-8 per UTF-16 code unit, plus the tag.
  if (at + 1 + 3 * text.length > capacity) return -1;
  buffer[at] = tag;
  const end = writeUtf8(text, buffer, at + 1);
  if (end >= 0) return end;
  // NUL separates slots: a string holding one goes as a JSON string literal instead.
  text = JSON.stringify(text);
  if (at + 1 + 3 * text.length > capacity) return -1;
  buffer[at] = TAG_ESCAPED;
  return writeUtf8(text, buffer, at + 1);
}

/**
 * Writes `text` as UTF-8 at `at` (the caller checked the room); returns the new position, or
 * -1 if the text holds NUL. Short texts are encoded here: TextEncoder's call costs more than
 * the loop. Lone surrogates become U+FFFD, as TextEncoder makes them.
 */
function writeUtf8(text, buffer, at) {
  const n = text.length;
  if (n > 64) {
    if (text.indexOf('\0') !== -1) return -1;
    return at + encoder.encodeInto(text, buffer.subarray(at)).written;
  }
  for (let k = 0; k < n; k++) {
    let c = text.charCodeAt(k);
    if (c < 0x80) {
      if (c === 0) return -1;
      buffer[at++] = c;
    } else if (c < 0x800) {
      buffer[at++] = 0xc0 | (c >> 6);
      buffer[at++] = 0x80 | (c & 0x3f);
    } else if ((c & 0xfc00) === 0xd800 && k + 1 < n && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c & 0x3ff) << 10) + (text.charCodeAt(++k) & 0x3ff);
      buffer[at++] = 0xf0 | (c >> 18);
      buffer[at++] = 0x80 | ((c >> 12) & 0x3f);
      buffer[at++] = 0x80 | ((c >> 6) & 0x3f);
      buffer[at++] = 0x80 | (c & 0x3f);
    } else {
      if ((c & 0xf800) === 0xd800) c = 0xfffd;
      buffer[at++] = 0xe0 | (c >> 12);
      buffer[at++] = 0x80 | ((c >> 6) & 0x3f);
      buffer[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/** The same slots as one string, for values too big for the scratch buffer. */
function encodeSlots(names, data) {
  let encoded = '';
  for (let i = 0; i < names.length; i++) {
    const value = data[names[i]];
    let slot;
    if (typeof value === 'string') {
      slot = value.indexOf('\0') === -1 ? 's' + value : 'e' + JSON.stringify(value);
    } else {
      const json = value === undefined ? undefined : toJson(names[i], value);
      slot = json === undefined ? 'u' : 'j' + json;
    }
    encoded += (i === 0 ? '' : '\0') + slot;
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
