// Structured output over either backend: the incremental JSON stream. The core parses and
// reports operations (set, enter, leave, append); this file applies them to one live value, so
// each chunk costs work in proportion to the chunk, not to everything received so far.

import { call, describe, finalizerFor, invalidArgument, owned } from './facade.js';
import { bridleError } from './translate.js';

const NO_CHANGES = Object.freeze([]);
// Only compileSchema may construct a Schema.
const SCHEMA = Symbol('schema');
const NOTHING = Object.freeze({ ops: null, keysBefore: null, violation: null });

export function createStructuredApi(getBackend) {
  const streams = finalizerFor('jsonStreamFree');

  class JsonStream {
    #owned;
    /** The live value: the root, and the containers from it to the innermost open one. */
    #root = undefined;
    #stack = [];
    /** The key of each open container in its parent (the root's is null). */
    #keys = [];
    #carry = new SurrogateCarry();
    #ended = false;
    /** With a schema: the compiled schema, the first certain violation, the final validation. */
    #schema = null;
    #ownsSchema = false;
    #violation = null;
    #validation = null;
    #throwOnViolation = false;

    /**
     * A stream parser. Options: `partialStrings` and `partialContainers` (default true: show
     * strings and containers while they grow), `extract` (skip prose before the first `{` or
     * `[` and ignore what follows the value), `maxDepth` and `maxBytes`.
     */
    constructor(options = {}) {
      if (options === null || typeof options !== 'object') {
        throw invalidArgument(`JSON stream options must be an object, not ${describe(options)}`);
      }
      const { schema, onViolation = 'report', ...core } = options;
      if (onViolation !== 'report' && onViolation !== 'throw') throw invalidArgument(`options.onViolation must be 'report' or 'throw', not ${JSON.stringify(onViolation)}`);
      this.#throwOnViolation = onViolation === 'throw';
      const backend = getBackend();
      const json = JSON.stringify(core);
      let handle;
      if (schema === undefined) {
        handle = call(backend, () => backend.jsonStreamOpen(json, undefined));
      } else {
        this.#ownsSchema = !(schema instanceof Schema);
        this.#schema = this.#ownsSchema ? compileSchema(schema) : schema;
        handle = schemaOwner.get(this.#schema).call((live, schemaHandle) => live.jsonStreamOpen(json, schemaHandle));
      }
      this.#owned = owned(this, backend, handle, 'JSON stream', streams, (live) => backend.jsonStreamFree(live));
    }

    /**
     * With a `schema`: the first violation that is already certain while the text streams
     * (wrong type, a member `additionalProperties: false` refuses, too many items, a string
     * too long, a complete value outside its `enum`...), then after `end()` the first error
     * of the whole value's validation; null while there is none.
     */
    get violation() {
      return this.#violation;
    }

    /** With a `schema`, after `end()`: the whole value's `{ valid, errors }`; else null. */
    get validation() {
      return this.#validation;
    }

    /**
     * Parses the next chunk (a string, or UTF-8 bytes split anywhere) and returns
     * `{ value, changes }`: the live value (the same object every time, grown in place) and
     * what this chunk changed, as `{ path, op: 'set', value }` or `{ path, op: 'append', text }`.
     * A syntax error throws `JsonParseError`; the value keeps everything before it.
     */
    push(chunk) {
      if (this.#ended) throw invalidArgument('the JSON stream has ended');
      let ops;
      if (typeof chunk === 'string') {
        chunk = this.#carry.take(chunk);
        ops = this.#run((backend, handle) => backend.jsonStreamPush(handle, chunk));
      } else if (chunk instanceof Uint8Array) {
        ops = this.#run((backend, handle) => backend.jsonStreamPushBytes(handle, chunk));
      } else {
        throw invalidArgument(`a JSON stream chunk must be a string or a Uint8Array, not ${describe(chunk)}`);
      }
      const { ops: applied, keysBefore, violation } = this.#apply(ops);
      if (violation !== null && this.#throwOnViolation) throw violationError([violation]);
      return new Step(this.#root, applied, keysBefore, this.#violation);
    }

    /** Ends the stream and returns the final value; an incomplete text throws `JsonParseError`. */
    end() {
      if (this.#ended) throw invalidArgument('the JSON stream has ended');
      const rest = this.#carry.flush();
      if (rest) {
        this.#apply(this.#run((backend, handle) => backend.jsonStreamPush(handle, rest)));
      }
      this.#ended = true;
      this.#apply(this.#run((backend, handle) => backend.jsonStreamEnd(handle)));
      if (this.#schema !== null) {
        // What streaming could not decide (inside anyOf, uniqueItems...) the whole value decides.
        this.#validation = this.#schema.validate(this.#root);
        this.#violation ??= this.#validation.errors[0] ?? null;
        if (this.#throwOnViolation && !this.#validation.valid) throw violationError(this.#validation.errors);
      }
      return this.#root;
    }

    /** The value so far (live: later pushes grow it in place). */
    get value() {
      return this.#root;
    }

    /** Releases the parser in the backend; later pushes throw. Idempotent. */
    free() {
      this.#owned.free();
      if (this.#ownsSchema) this.#schema.free();
    }

    [Symbol.dispose]() {
      this.free();
    }

    /**
     * Parses a whole stream — an async iterable or a `ReadableStream` of strings or bytes — and
     * yields `{ value, changes }` after every chunk; the last item has `done: true`.
     */
    static async *parse(source, options) {
      const stream = new JsonStream(options);
      try {
        for await (const chunk of iterate(source)) {
          const step = stream.push(chunk);
          yield { value: step.value, changes: step.changes, violation: step.violation, done: false };
        }
        yield { value: stream.end(), changes: NO_CHANGES, violation: stream.violation, done: true };
      } finally {
        stream.free();
      }
    }

    /** Calls the backend; after an error, applies the operations made before it, then throws. */
    #run(body) {
      try {
        return this.#owned.call(body);
      } catch (error) {
        try {
          this.#apply(this.#owned.call((live, handle) => live.jsonStreamTakeOps(handle)));
        } catch {
          // The stream was freed: nothing more to apply.
        }
        throw error;
      }
    }

    /** Applies the operations of one call; returns what changed (built only when read). */
    #apply(text) {
      if (text.length === 2) return NOTHING; // "[]"
      const ops = JSON.parse(text);
      const keysBefore = this.#keys.slice();
      const stack = this.#stack;
      const keys = this.#keys;
      let violation = null;
      for (let i = 0; i < ops.length;) {
        const code = ops[i];
        if (code === 2) {
          stack.pop();
          keys.pop();
          i += 1;
          continue;
        }
        if (code === 4) {
          violation = ops[i + 1];
          this.#violation ??= violation;
          i += 2;
          continue;
        }
        const key = ops[i + 1];
        const argument = ops[i + 2];
        i += 3;
        const top = stack.length === 0 ? null : stack[stack.length - 1];
        if (code === 3) {
          if (top === null) this.#root += argument;
          else top[key] += argument;
        } else {
          if (top === null) this.#root = argument;
          else if (key === '__proto__') setOwn(top, key, argument);
          else top[key] = argument;
          if (code === 1) {
            stack.push(argument);
            keys.push(key);
          }
        }
      }
      return { ops, keysBefore, violation };
    }
  }

  /**
   * Repairs what models get wrong in JSON and returns `{ value, json, repairs, start, end }`:
   * the parsed value, the valid JSON text, and each repair as `{ kind, line, column, offset }`.
   * Text that cannot be repaired throws `JsonParseError` at its place.
   */
  function repairJson(text) {
    if (typeof text !== 'string') throw invalidArgument(`repairJson needs a string, not ${describe(text)}`);
    const backend = getBackend();
    return withValue(JSON.parse(call(backend, () => backend.repairJson(text))));
  }

  /**
   * Finds the JSON in a model's answer — in a code fence (```` ```json ```` first), or the
   * first `{` or `[` a value can be read from — and repairs it: `{ value, json, repairs, start,
   * end }` where `start`/`end` locate it in `text`. With `{ all: true }`, an array of every value
   * found. No JSON at all throws `JsonParseError`.
   */
  function extractJson(text, options = {}) {
    if (typeof text !== 'string') throw invalidArgument(`extractJson needs a string, not ${describe(text)}`);
    if (options === null || typeof options !== 'object') throw invalidArgument(`extractJson options must be an object, not ${describe(options)}`);
    const { all = false, ...unknown } = options;
    if (typeof all !== 'boolean') throw invalidArgument(`options.all must be a boolean, not ${describe(all)}`);
    const extra = Object.keys(unknown);
    if (extra.length) throw bridleError('invalid_argument', `unknown extractJson option '${extra[0]}'`, { details: { option: extra[0] } });
    const backend = getBackend();
    const found = JSON.parse(call(backend, () => backend.extractJson(text, all ? 0xffffffff : 1)));
    return all ? found.map(withValue) : withValue(found);
  }

  /**
   * The items of a list in a model's answer: numbered (`1.`, `1)`, `(1)`) or bulleted lines
   * (indented lines continue an item), or else one comma-separated line ("x, y and z").
   */
  function parseList(text) {
    if (typeof text !== 'string') throw invalidArgument(`parseList needs a string, not ${describe(text)}`);
    const backend = getBackend();
    return JSON.parse(call(backend, () => backend.parseList(text)));
  }

  /**
   * `key: value` lines (`Answer: yes`, `**Confidence:** 0.9`) as an object; lines that are not
   * fields continue the previous value. A repeated key keeps its last value; `{ all: true }`
   * returns every `[key, value]` pair in order instead.
   */
  function parseFields(text, options = {}) {
    if (typeof text !== 'string') throw invalidArgument(`parseFields needs a string, not ${describe(text)}`);
    const { all = false } = options ?? {};
    const backend = getBackend();
    const pairs = JSON.parse(call(backend, () => backend.parseFields(text)));
    if (all) return pairs;
    const fields = {};
    for (const [key, value] of pairs) setOwn(fields, key, value);
    return fields;
  }

  /**
   * The XML-ish sections of a text (`<answer>…</answer>`): `[{ tag, attributes, content,
   * complete }]`. Only top-level sections; `{ tags: [...] }` limits which names count.
   */
  function parseTagged(text, options = {}) {
    if (typeof text !== 'string') throw invalidArgument(`parseTagged needs a string, not ${describe(text)}`);
    const backend = getBackend();
    return JSON.parse(call(backend, () => backend.parseTagged(text, taggedOptions(options))));
  }

  const taggedStreams = finalizerFor('taggedStreamFree');

  /**
   * Tagged sections from a stream: `push(chunk)` returns the events it caused — `{ type:
   * 'open', tag, attributes }`, `{ type: 'text', tag, text }` as a section's text arrives, and
   * `{ type: 'close', tag, attributes, content, complete }` when it ends — so a UI can show the
   * answer while it streams and act on a section the moment it closes.
   */
  class TaggedStream {
    #owned;
    #carry = new SurrogateCarry();
    #ended = false;

    constructor(options = {}) {
      const json = taggedOptions(options);
      const backend = getBackend();
      const handle = call(backend, () => backend.taggedStreamOpen(json));
      this.#owned = owned(this, backend, handle, 'tagged-section stream', taggedStreams, (live) => backend.taggedStreamFree(live));
    }

    /** Reads the next chunk; returns its events. */
    push(chunk) {
      if (typeof chunk !== 'string') throw invalidArgument(`a tagged-section chunk must be a string, not ${describe(chunk)}`);
      if (this.#ended) throw invalidArgument('the tagged-section stream has ended');
      const text = this.#carry.take(chunk);
      return JSON.parse(this.#owned.call((backend, handle) => backend.taggedStreamPush(handle, text)));
    }

    /** Ends the text; a section still open closes with `complete: false`. */
    end() {
      if (this.#ended) throw invalidArgument('the tagged-section stream has ended');
      this.#ended = true;
      const rest = this.#carry.flush();
      const events = rest ? JSON.parse(this.#owned.call((backend, handle) => backend.taggedStreamPush(handle, rest))) : [];
      return events.concat(JSON.parse(this.#owned.call((backend, handle) => backend.taggedStreamEnd(handle))));
    }

    /** Releases the reader now; idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  const schemas = finalizerFor('freeSchema');
  /** Each Schema's handle owner, for a JsonStream that checks against it. */
  const schemaOwner = new WeakMap();
  /** Schemas compiled by `validate(value, schema)`, by the schema object, so each compiles once. */
  const compiled = new WeakMap();

  /**
   * A compiled JSON Schema (drafts 2020-12 and 07). Made by {@link compileSchema} from a JSON
   * Schema, or from a Standard Schema validator such as zod 4, whose JSON Schema the core
   * checks and whose own `validate` gives the final typed value.
   */
  class Schema {
    #owned;
    #jsonSchema;
    #standard;

    constructor(token, backend, handle, jsonSchema, standard) {
      if (token !== SCHEMA) throw invalidArgument('use compileSchema(schema, options) to compile a schema');
      this.#owned = owned(this, backend, handle, 'schema', schemas, (live) => backend.freeSchema(live));
      schemaOwner.set(this, this.#owned);
      this.#jsonSchema = jsonSchema;
      this.#standard = standard;
    }

    /** The JSON Schema the core checks (for a zod schema, its conversion), e.g. for a model's request. */
    get jsonSchema() {
      return this.#jsonSchema;
    }

    /** `{ valid, errors: [{ path, keyword, message, schemaPath }] }` for a value. */
    validate(value) {
      const json = valueJson(value);
      const report = this.#owned.call((backend, handle) => backend.schemaValidate(handle, json));
      return report === '[]' ? { valid: true, errors: [] } : { valid: false, errors: JSON.parse(report) };
    }

    /**
     * Parses JSON text and validates it in one call: `{ valid, value, errors }`. Text that is
     * not JSON throws `JsonParseError` at its place.
     */
    validateJson(text) {
      if (typeof text !== 'string') throw invalidArgument(`validateJson needs a string, not ${describe(text)}`);
      const report = this.#owned.call((backend, handle) => backend.schemaValidateText(handle, text));
      const value = JSON.parse(text);
      if (report === '[]') return { valid: true, value, errors: [] };
      return { valid: false, value, errors: JSON.parse(report) };
    }

    /**
     * A model's answer to a typed value: the JSON is found (`extract`, default true: code
     * fences and prose around it) and repaired (`repair`, default true), validated against the
     * schema, then given to the Standard Schema validator if there is one (its output is the
     * value: zod's transforms and defaults apply). Throws `SchemaError` (`details.errors`,
     * `details.repairs`) or `JsonParseError`.
     */
    parse(text, options = {}) {
      const result = this.safeParse(text, options);
      if (result.success) return result.value;
      throw result.error;
    }

    /** {@link parse} without throwing: `{ success: true, value, repairs }` or `{ success: false, error }`. */
    safeParse(text, options = {}) {
      if (typeof text !== 'string') throw invalidArgument(`parse needs a string, not ${describe(text)}`);
      if (options === null || typeof options !== 'object') throw invalidArgument(`parse options must be an object, not ${describe(options)}`);
      const { extract = true, repair = true } = options;
      let found;
      try {
        if (extract) found = extractJson(text);
        else if (repair) found = repairJson(text);
        else found = { value: JSON.parse(text), json: text, repairs: [] };
      } catch (error) {
        const parseError = error?.code === 'json_parse' ? error : bridleError('json_parse', error.message, { cause: error });
        return { success: false, error: parseError };
      }
      if (!repair && found.repairs.some((r) => r.kind !== 'leading_text' && r.kind !== 'trailing_text')) {
        return { success: false, error: bridleError('json_parse', 'the JSON needs repairs and repair is off', { details: { repairs: found.repairs } }) };
      }
      const errors = JSON.parse(this.#owned.call((backend, handle) => backend.schemaValidateText(handle, found.json)));
      if (errors.length) {
        return { success: false, error: violationError(errors, { repairs: found.repairs }) };
      }
      if (this.#standard === null) return { success: true, value: found.value, repairs: found.repairs };
      const outcome = this.#standard.validate(found.value);
      if (typeof outcome?.then === 'function') throw invalidArgument('this Standard Schema validates asynchronously: use parseAsync');
      return standardOutcome(outcome, found.repairs);
    }

    /** {@link parse} for Standard Schema validators that validate asynchronously. */
    async parseAsync(text, options = {}) {
      const standard = this.#standard;
      if (standard === null) return this.parse(text, options);
      this.#standard = null;
      let checked;
      try {
        checked = this.safeParse(text, options);
      } finally {
        this.#standard = standard;
      }
      if (!checked.success) throw checked.error;
      const result = standardOutcome(await standard.validate(checked.value), checked.repairs);
      if (result.success) return result.value;
      throw result.error;
    }

    /** Releases the compiled schema now; idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  /**
   * Compiles a schema once for many validations: a JSON Schema object, or a Standard Schema
   * validator that can describe itself as JSON Schema (zod 4 does). Options: `formats` (assert
   * `format`, default true), `draft` (`'2020-12'` or `'07'` for a schema without `$schema`).
   */
  function compileSchema(schema, options = {}) {
    const { jsonSchema, standard } = schemaParts(schema);
    if (options === null || typeof options !== 'object') throw invalidArgument(`schema options must be an object, not ${describe(options)}`);
    const schemaJson = valueJson(jsonSchema, 'the schema');
    const optionsJson = JSON.stringify(options);
    const backend = getBackend();
    const handle = call(backend, () => backend.compileSchema(schemaJson, optionsJson));
    return new Schema(SCHEMA, backend, handle, jsonSchema, standard);
  }

  /** Validates `value` against `schema` (compiled once per schema object and kept): `{ valid, errors }`. */
  function validate(value, schema) {
    if (schema instanceof Schema) return schema.validate(value);
    if (schema === null || typeof schema !== 'object') return compileSchema(schema).validate(value);
    let entry = compiled.get(schema);
    if (entry === undefined) {
      entry = compileSchema(schema);
      compiled.set(schema, entry);
    }
    return entry.validate(value);
  }

  return {
    JsonStream, repairJson, extractJson, parseList, parseFields, parseTagged, TaggedStream,
    Schema, compileSchema, validate,
  };
}

/**
 * What `push` returns: the live value and what this push changed. `changes` is built on first
 * read: most callers read only the value, and building a path for every operation would cost
 * more than the parse itself.
 */
class Step {
  #ops;
  #keys;
  #changes = null;

  constructor(value, ops, keysBefore, violation) {
    this.value = value;
    this.#ops = ops;
    this.#keys = keysBefore;
    /** With a schema: the first certain violation so far, or null. */
    this.violation = violation;
  }

  /** `{ path, op: 'set', value }` and `{ path, op: 'append', text }`, in order. */
  get changes() {
    if (this.#changes === null) this.#changes = changesOf(this.#ops, this.#keys);
    return this.#changes;
  }

  toJSON() {
    return { value: this.value, changes: this.changes, violation: this.violation };
  }
}

function changesOf(ops, keys) {
  if (ops === null) return NO_CHANGES;
  const list = [];
  for (let i = 0; i < ops.length;) {
    const code = ops[i];
    if (code === 2) {
      keys.pop();
      i += 1;
      continue;
    }
    if (code === 4) {
      i += 2;
      continue;
    }
    const key = ops[i + 1];
    const argument = ops[i + 2];
    i += 3;
    // keys[0] is the root's own key (null); a path runs from below it.
    const path = keys.slice(1);
    if (key !== null) path.push(key);
    list.push(code === 3 ? { path, op: 'append', text: argument } : { path, op: 'set', value: argument });
    if (code === 1) keys.push(key);
  }
  return Object.freeze(list);
}

/**
 * Keeps a chunk's final high surrogate for the next chunk: a string crossing into either
 * backend becomes UTF-8, where half a surrogate pair would turn into U+FFFD.
 */
class SurrogateCarry {
  #high = '';

  take(chunk) {
    if (this.#high) {
      chunk = this.#high + chunk;
      this.#high = '';
    }
    const last = chunk.charCodeAt(chunk.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.#high = chunk[chunk.length - 1];
      return chunk.slice(0, -1);
    }
    return chunk;
  }

  /** What is held at the end of the text (a lone high surrogate, or ''). */
  flush() {
    const high = this.#high;
    this.#high = '';
    return high;
  }
}

/**
 * The JSON Schema of `schema` and its Standard Schema validator (or null): a plain object is a
 * JSON Schema; a Standard Schema with `~standard.jsonSchema` (Standard JSON Schema, zod 4)
 * describes itself.
 */
export function schemaParts(schema) {
  if (typeof schema === 'boolean') return { jsonSchema: schema, standard: null };
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'function')) {
    throw invalidArgument(`a schema must be a JSON Schema object or a Standard Schema, not ${describe(schema)}`);
  }
  const standard = schema['~standard'];
  if (standard === undefined) return { jsonSchema: schema, standard: null };
  if (typeof standard?.validate !== 'function') throw invalidArgument('a Standard Schema needs ~standard.validate');
  const convert = standard.jsonSchema?.input;
  if (typeof convert !== 'function') {
    throw bridleError('unsupported', `this ${standard.vendor ?? 'Standard Schema'} validator cannot describe itself as JSON Schema (Standard JSON Schema); pass a JSON Schema`);
  }
  return { jsonSchema: convert({ target: 'draft-2020-12' }), standard };
}

/** A `schema` error naming the first violation; `details` holds them all, with `more`. */
function violationError(errors, more = {}) {
  return bridleError('schema', `the value does not match the schema: ${errors[0].path || '/'} ${errors[0].message}`, { details: { errors, ...more } });
}

/** A Standard Schema result as a safeParse result. */
function standardOutcome(outcome, repairs) {
  if (!outcome.issues) return { success: true, value: outcome.value, repairs };
  const errors = outcome.issues.map((issue) => ({
    path: '/' + (issue.path ?? []).map((key) => String(typeof key === 'object' ? key.key : key).replace(/~/g, '~0').replace(/\//g, '~1')).join('/'),
    keyword: 'standard',
    message: issue.message,
  }));
  for (const error of errors) if (error.path === '/') error.path = '';
  return { success: false, error: violationError(errors, { repairs, issues: outcome.issues }) };
}

/** `value` as JSON for the core; what JSON cannot hold is an `invalid_data` error. */
function valueJson(value, what = 'the value') {
  let json;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw bridleError('invalid_data', `${what} cannot be converted to JSON: ${cause.message}`, { cause });
  }
  if (json === undefined) throw bridleError('invalid_data', `${what} has no JSON form (${describe(value)})`);
  return json;
}

function taggedOptions(options) {
  if (options === null || typeof options !== 'object') throw invalidArgument(`tagged-section options must be an object, not ${describe(options)}`);
  return JSON.stringify(options);
}

function withValue(found) {
  return { value: JSON.parse(found.json), ...found };
}

/** The chunks of an async iterable, a sync iterable or a ReadableStream. */
async function* iterate(source) {
  if (source && typeof source.getReader === 'function' && !(Symbol.asyncIterator in source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (source == null || (typeof source[Symbol.asyncIterator] !== 'function' && typeof source[Symbol.iterator] !== 'function')) {
    throw invalidArgument(`JsonStream.parse needs an async iterable or a ReadableStream, not ${describe(source)}`);
  }
  yield* source;
}

/** Sets an own data property, as JSON.parse does: a key such as "__proto__" never reaches the prototype. */
function setOwn(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
