// Renders that call back into JavaScript: Mustache lambdas and Handlebars function values
// (functions in the data) and Handlebars helpers registered at compile time. The core makes
// each call through one answering function (see `bridle::template::host`): it receives the
// call as JSON and answers with a tagged string. A block helper renders its blocks while it
// runs through `options.fn` / `options.inverse`, which call back into the backend.

import { bridleError } from './translate.js';

/** Text that is already safe: never HTML-escaped (Handlebars' `SafeString`). */
export class SafeString {
  constructor(text) {
    this.string = String(text);
  }

  toString() {
    return this.string;
  }

  toHTML() {
    return this.string;
  }
}

/** The one-key object that stands for a function in the data the core reads. */
const FUNCTION_KEY = '\u0000fn';
/** The one-key object that stands for `undefined` in a call's arguments. */
const UNDEFINED_KEY = '\u0000undefined';
const noop = () => '';
const lookupProperty = (object, name) => (object != null && Object.hasOwn(object, name) ? object[name] : undefined);

/**
 * Renders template `handle` of `backend` with `data`, making the calls the core asks for:
 * `helpers[name]` for a registered helper, and functions found in the data (which cross as
 * marker objects). `syntax` decides the calling convention: Handlebars passes `options` last,
 * Mustache lambdas get the section's raw text.
 */
export function renderWithHost(backend, handle, syntax, data, helpers, privateData) {
  const functions = [];
  const replacer = (key, value) => {
    if (typeof value !== 'function') return value;
    functions.push(value);
    return { [FUNCTION_KEY]: functions.length - 1 };
  };
  const toJson = (value) => JSON.stringify(value, replacer);
  // The user's exception, kept to become the cause of the render's error.
  let thrown;

  // Function markers back to the functions (callable again from a helper, bound to nothing).
  const reviver = (key, value) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === FUNCTION_KEY) return functions[value[FUNCTION_KEY]];
    }
    return value;
  };
  // `undefined` markers (in arguments and hash values only) back to `undefined`, keeping the
  // hash key present, as handlebars.js does (`'key' in options.hash`).
  const isUndefined = (value) => value !== null && typeof value === 'object' && Object.hasOwn(value, UNDEFINED_KEY);
  const root = privateData?.root ?? data;

  const answer = (request) => {
    try {
      const call = JSON.parse(request, reviver);
      for (let i = 0; i < call.args.length; i++) if (isUndefined(call.args[i])) call.args[i] = undefined;
      for (const key in call.hash) if (isUndefined(call.hash[key])) call.hash[key] = undefined;
      // The core leaves `root` out of each call (it would copy the whole data every time).
      call.data.root ??= root;
      const fn = call.helper !== undefined ? helpers[call.helper] : functions[call.function];
      let result;
      if (syntax === 'handlebars') {
        const options = {
          name: call.name,
          hash: call.hash,
          data: call.data,
          loc: undefined,
          lookupProperty,
          fn: call.block ? blockRenderer(call, false) : noop,
          inverse: call.inverse ? blockRenderer(call, true) : noop,
        };
        result = fn.call(call.this, ...call.args, options);
      } else {
        result = fn.call(call.this, ...call.args);
      }
      if (result === undefined) return 'u';
      if (result instanceof SafeString || (result !== null && typeof result?.toHTML === 'function')) {
        return 's' + String(result.toHTML());
      }
      const json = toJson(result);
      return json === undefined ? 'u' : 'v' + json;
    } catch (error) {
      thrown ??= error;
      return 'e' + (error?.message ?? String(error));
    }
  };

  const blockRenderer = (call, inverse) => {
    const render = renderBlock(call, inverse);
    // handlebars.js exposes the block's parameter count as `options.fn.blockParams`.
    if (!inverse && call.blockParams) render.blockParams = call.blockParams;
    return render;
  };

  const renderBlock = (call, inverse) => (context, options) => {
    const contextJson = context === undefined || context === call.this ? undefined : toJson(context);
    let dataJson;
    const frame = options?.data;
    const blockParams = options?.blockParams;
    if (frame !== undefined || blockParams !== undefined) {
      dataJson = toJson(blockParams === undefined ? frame : { ...frame, blockParams });
    }
    try {
      return backend.renderBlock(call.token, inverse, contextJson, dataJson, answer);
    } catch (error) {
      throw backend.translate(error);
    }
  };

  let json;
  let privateJson;
  try {
    json = toJson(data) ?? 'null';
    privateJson = privateData === undefined ? undefined : toJson(privateData);
  } catch (cause) {
    throw bridleError('invalid_data', `the template data cannot be converted to JSON: ${cause.message}`, { cause });
  }
  try {
    return backend.renderWithHost(handle, json, answer, privateJson);
  } catch (error) {
    const translated = backend.translate(error);
    if (thrown !== undefined && translated instanceof Error && translated.cause === undefined) {
      Object.defineProperty(translated, 'cause', { value: thrown, writable: true, configurable: true });
    }
    throw translated;
  }
}
