// The public API over either backend. Behaviour lives in the Rust core; this file only adapts
// it to JavaScript: argument checks that keep both backends' errors identical, the calling
// convention that keeps crossings cheap, and error translation.
//
// A backend is { name, compileTemplate(source, syntax), translate(error), version() } where
// compileTemplate returns a handle with `variables`, `renderSlots(encoded)` and `free()`.

import { bridleError } from './translate.js';

// Only `Template.compile` may construct a Template.
const CONSTRUCT = Symbol('construct');

export function createApi(getBackend) {
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
      this.#syntax = call(backend, () => handle.syntax);
      this.#variables = Object.freeze(call(backend, () => handle.variables));
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
      const encoded = encodeSlots(this.#variables, data);
      try {
        return handle.renderSlots(encoded);
      } catch (error) {
        throw this.#backend.translate(error);
      }
    }

    /** Releases the compiled template now; later calls to `render` throw. Idempotent. */
    free() {
      const handle = this.#handle;
      if (handle !== null) {
        this.#handle = null;
        handle.free();
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

/**
 * Encodes the values the template reads as one string, in the order of `names` (see
 * `bridle::template::slots` in the core): a string crosses as it is, anything else as the
 * JSON text `JSON.stringify` gives it, which is also exactly how LangChain.js renders it.
 */
function encodeSlots(names, data) {
  if (data === undefined || data === null) {
    data = EMPTY;
  } else if (typeof data !== 'object' || Array.isArray(data)) {
    throw bridleError('invalid_data', `template data must be an object, not ${describe(data)}`);
  }
  let encoded = '';
  for (let i = 0; i < names.length; i++) {
    const value = data[names[i]];
    let slot;
    if (typeof value === 'string') {
      // NUL separates slots, so a string holding one crosses as a JSON string literal.
      slot = value.indexOf('\0') === -1 ? 's' + value : 'e' + JSON.stringify(value);
    } else if (value === undefined) {
      slot = 'u';
    } else {
      const json = toJson(names[i], value);
      slot = json === undefined ? 'u' : 'j' + json;
    }
    encoded = i === 0 ? slot : encoded + '\0' + slot;
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
