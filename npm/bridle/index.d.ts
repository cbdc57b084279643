// Type declarations for `bridle`, one file for every entry (Node native, Node wasm, browsers,
// edge runtimes, Workers): the API is identical whichever backend is live.

// `Symbol.dispose` (the classes below implement it, for `using`) as lib.esnext.disposable and
// @types/node declare it, so the file checks with a plain `lib: ["es2022", "dom"]` too.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A template syntax name. `"f-string"` is accepted as LangChain's spelling of `"fstring"`. */
export type Syntax = 'fstring' | 'f-string' | 'mustache' | 'handlebars' | 'jinja';

/** What a Handlebars helper receives last (handlebars.js's `options`). */
export interface HelperOptions {
  /** The helper's name as the template wrote it. */
  name: string;
  /** Hash arguments (`key=value`). */
  hash: Record<string, unknown>;
  /** Private data in scope: `root`, `index`, `key`, `first`, `last`... */
  data: Record<string, unknown>;
  /** Renders the block's body with `context` (the current one by default); `''` for a helper without a block. Valid only while the helper runs. */
  fn(context?: unknown, options?: { data?: Record<string, unknown>; blockParams?: unknown[] }): string;
  /** Renders the block's `{{else}}` part; `''` when there is none. */
  inverse(context?: unknown, options?: { data?: Record<string, unknown>; blockParams?: unknown[] }): string;
  /** `object[name]` if it is an own property, else `undefined`. */
  lookupProperty(object: unknown, name: string): unknown;
}

/**
 * A Handlebars helper: called with the context as `this`, the positional arguments, then
 * {@link HelperOptions}. Its result is printed (HTML-escaped with `escape: "html"` unless it
 * is a {@link SafeString}). Arguments and `this` are copies of the data: changing them changes
 * nothing in the render.
 */
export type Helper = (this: any, ...args: any[]) => unknown;

/** Options for {@link Template.compile}. */
export interface TemplateOptions {
  /** The syntax of the source. Default `"fstring"`. */
  syntax?: Syntax;
  /** Named partials (Mustache `{{> name}}`): name → template source. */
  partials?: Record<string, string>;
  /** How interpolated values are escaped: `"none"` (default: prompts are not HTML) or `"html"`. */
  escape?: 'none' | 'html';
  /** Mustache, Handlebars and Jinja: reading a name the data does not hold is a `missing_variable` error, not empty output. */
  strict?: boolean;
  /** Jinja: the time `strftime_now` formats (a Date or seconds since the epoch); default: when the template is compiled. */
  now?: Date | number;
  /** Mustache and Jinja: the largest output a render may produce (UTF-8 bytes) before a `limit_exceeded` error. Default 64 MiB. */
  maxOutputBytes?: number;
  /** Handlebars: helpers by name, registered at compile time. */
  helpers?: Record<string, Helper>;
  /** Handlebars: handlebars.js compile options that change what a template means. */
  handlebars?: {
    /** Mustache-style lookup up the context stack. */
    compat?: boolean;
    /** Standalone partials are not indented. */
    preventIndent?: boolean;
    /** Partials see only the context they are given. */
    explicitPartialContext?: boolean;
    /** Standalone tags keep their lines. */
    ignoreStandalone?: boolean;
    /** Only registered and built-in helpers may be called. */
    knownHelpersOnly?: boolean;
    /** Paths into missing objects are errors. */
    assumeObjects?: boolean;
    /** Track `@` data (`@index`, `@root`...); default true. */
    data?: boolean;
  };
  /**
   * Spotlighting: the top-level data names whose values are untrusted (documents, user text,
   * tool output). Their strings are delimited (and datamarked or base64-encoded, see
   * `spotlight`), reserved delimiters and chat-template specials inside them are neutralised,
   * and {@link Template.renderSpotlit} reports where each one landed.
   */
  untrusted?: string[];
  /** How untrusted values are marked: `'delimit'` (default, `<<value>>`), `'datamark'` (whitespace → `ˆ`), `'encode'` (base64), or an object with `mode`, `open`, `close`, `marker`. */
  spotlight?: 'delimit' | 'datamark' | 'encode' | { mode?: 'delimit' | 'datamark' | 'encode'; open?: string; close?: string; marker?: string };
}

/** Where an untrusted value landed in a spotlit render (UTF-16 and byte offsets of the value inside its delimiters). */
export interface SourceSpan {
  variable: string;
  start: number;
  end: number;
  byteStart: number;
  byteEnd: number;
}

/** Text that is already safe: a helper returning it is never HTML-escaped (Handlebars' `SafeString`). */
export declare class SafeString {
  constructor(text: string);
  readonly string: string;
  toString(): string;
  toHTML(): string;
}

/**
 * Template data: an object with a value for every variable. F-strings insert strings as they
 * are and any other value as the JSON text `JSON.stringify` gives it (exactly what
 * LangChain.js inserts); `undefined` and functions count as missing. Mustache and Handlebars
 * also take a list or a scalar as the whole context, and call functions in the data
 * (Mustache lambdas; Handlebars function values, as helpers).
 */
export type TemplateData = { readonly [name: string]: unknown };

/** Options for {@link Template.render}. */
export interface RenderOptions {
  /** Handlebars: the first `@data` frame (`@name` reads `data.name`), as handlebars.js's `template(context, { data })`. */
  data?: Record<string, unknown>;
}

/** A compiled template: compile once, render many times. */
export declare class Template {
  private constructor();
  /** Compiles `source`; throws {@link TemplateSyntaxError} with the position of the problem. */
  static compile(source: string, options?: TemplateOptions): Template;
  /** The names of the inputs the template reads, in order of first use, each once (frozen). */
  readonly variables: readonly string[];
  /** The canonical name of the syntax the template was compiled from. */
  readonly syntax: 'fstring' | 'mustache' | 'handlebars' | 'jinja';
  /** Renders with `data`; throws {@link TemplateRenderError} (`missing_variable`) when a value is missing. */
  render(data?: TemplateData | readonly unknown[] | string | number | boolean, options?: RenderOptions): string;
  /** Renders a template compiled with `untrusted` variables and reports where each untrusted value landed. */
  renderSpotlit(data?: TemplateData): { text: string; spans: SourceSpan[] };
  /** Releases the compiled template now (the garbage collector does it otherwise); idempotent. */
  free(): void;
}

/** Compiles `source`, renders it once with `data` and frees it. */
export declare function render(source: string, data?: TemplateData, options?: TemplateOptions): string;

/** Options for {@link applyChatTemplate}: transformers' `apply_chat_template` arguments, camel-cased. */
export interface ChatTemplateOptions {
  /** The conversation: `{ role, content, ... }` objects as the template expects them (OpenAI's shape). */
  messages: readonly Record<string, unknown>[];
  /** Tool definitions (JSON Schema functions), for templates that render them. */
  tools?: readonly unknown[];
  /** Documents for retrieval-augmented templates. */
  documents?: readonly unknown[];
  /** End with the header of the assistant's turn. */
  addGenerationPrompt?: boolean;
  /** The model's beginning-of-sequence token (built-in templates fill in their own). */
  bosToken?: string;
  /** The model's end-of-sequence token (built-in templates fill in their own). */
  eosToken?: string;
  /** The time `strftime_now` formats (a Date or seconds since the epoch); default: now. */
  now?: Date | number;
  /** Anything else the template reads (`enable_thinking`, `reasoning`...), as it is. */
  [variable: string]: unknown;
}

/** The names of the built-in chat templates. */
export type BuiltinChatTemplate = 'chatml' | 'llama3' | 'mistral' | 'gemma';

/**
 * Renders a Hugging Face chat template — a built-in name or the Jinja source a model ships in
 * its `tokenizer_config.json` — to the exact prompt string, as transformers' `apply_chat_template`
 * renders it (byte-identical to Python's Jinja2 on the conformance templates).
 */
export declare function applyChatTemplate(template: BuiltinChatTemplate | (string & {}), options: ChatTemplateOptions): string;

/** The built-in chat templates, selectable by name in {@link applyChatTemplate}. */
export declare const chatTemplates: readonly BuiltinChatTemplate[];

/** What a Prompty file's front matter references read (the core reads no environment and no files). */
export interface PromptyOptions {
  /** The values of `${env:NAME}` and `${env:NAME:default}` references. */
  env?: Record<string, unknown>;
  /** The files `${file:path}` references read: path relative to the prompt file → text (`.json` read as JSON, `.yml`/`.yaml` as YAML, others as text). */
  files?: Record<string, string>;
}

/** Options for {@link loadPrompt}. */
export interface LoadPromptOptions extends PromptyOptions {
  /** The file's format: `"dotprompt"` (a `.prompt` file; the default) or `"prompty"` (a `.prompty` file). */
  format?: 'dotprompt' | 'prompty';
  /** Partials the body may use (`{{> name}}`): name → Handlebars source. */
  partials?: Record<string, string>;
  /** Named schemas a Picoschema type may refer to, as JSON Schema. */
  schemas?: Record<string, unknown>;
  /** Asked once for a partial the body uses but `partials` lacks; nothing means "no such partial". A promise needs `renderAsync`. */
  partialResolver?: (name: string) => string | undefined | null | Promise<string | undefined | null>;
  /** Asked once for a schema name a Picoschema uses but `schemas` lacks. A promise needs `renderAsync`. */
  schemaResolver?: (name: string) => Record<string, unknown> | undefined | null | Promise<Record<string, unknown> | undefined | null>;
}

/** One message of a rendered Dotprompt, in Dotprompt's shape. */
export interface PromptMessage {
  role: 'system' | 'user' | 'model' | 'tool' | (string & {});
  content: Array<{ text: string } | { media: { url: string; contentType?: string } } | { metadata: Record<string, unknown> }>;
  metadata?: Record<string, unknown>;
}

/** What {@link Prompt.render} returns: the resolved metadata (model, config, input/output with JSON Schema, ext...) and the messages. */
export interface RenderedPrompt {
  messages: PromptMessage[];
  config: Record<string, unknown>;
  ext: Record<string, unknown>;
  metadata: Record<string, unknown>;
  [field: string]: unknown;
}

/** What {@link Prompt.render} returns for a Prompty file: the front matter's fields (references resolved) and the messages in OpenAI's format. */
export interface RenderedPromptyPrompt {
  messages: ChatMessage[];
  [field: string]: unknown;
}

/** A loaded prompt file. */
export declare class Prompt<Rendered = RenderedPrompt> {
  private constructor();
  /** The metadata from the front matter, frozen. */
  readonly frontMatter: Readonly<Record<string, unknown>>;
  /** The template body. */
  readonly template: string;
  /**
   * Renders with data and render options: messages and metadata. Dotprompt: data `{ input, context, messages, docs }`,
   * options are metadata overrides. Prompty: data is the inputs (defaults and thread inputs applied), options are unused.
   */
  render(data?: Record<string, unknown>, options?: Record<string, unknown>): Rendered;
  /** {@link Prompt.render | render}, waiting for resolvers that return promises. */
  renderAsync(data?: Record<string, unknown>, options?: Record<string, unknown>): Promise<Rendered>;
  /** The metadata a render with `options` would have, without rendering the body. */
  renderMetadata(options?: Record<string, unknown>): Omit<Rendered, 'messages'>;
  /** Releases the prompt now; later calls throw. Idempotent. */
  free(): void;
  [Symbol.dispose](): void;
}

/** Loads a prompt file (a Dotprompt `.prompt` or a Prompty `.prompty` file); throws `prompt_syntax` with the position for bad front matter. */
export declare function loadPrompt(source: string, options: LoadPromptOptions & { format: 'prompty' }): Prompt<RenderedPromptyPrompt>;
export declare function loadPrompt(source: string, options?: LoadPromptOptions): Prompt;

/** A part of a message's content, in OpenAI's chat format. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'input_audio'; input_audio: { data: string; format: string } }
  | { type: 'file'; file: { file_data?: string; file_id?: string; filename?: string } };

/** A tool call an assistant message makes (OpenAI's wire shape; a model's answer gives {@link ToolCall}s). */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A chat message in OpenAI's format, the shape every Bridle message function takes and gives. */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
}

/** Validates OpenAI messages and returns them in canonical form; throws `invalid_message` with `details.index`. */
export declare function normalizeMessages(messages: readonly ChatMessage[]): ChatMessage[];
/** OpenAI messages as Anthropic Messages request fields (system hoisted, tool results as user turns, turns merged). */
export declare function toAnthropic(messages: readonly ChatMessage[]): { system?: unknown; messages: unknown[] };
/** Anthropic request fields as OpenAI messages. */
export declare function fromAnthropic(request: { system?: unknown; messages: readonly unknown[] }): ChatMessage[];
/** OpenAI messages as Gemini request fields (`systemInstruction`, `contents` with user/model turns). */
export declare function toGemini(messages: readonly ChatMessage[]): { systemInstruction?: unknown; contents: unknown[] };
/** Gemini request fields as OpenAI messages (calls without ids get `call_<n>`). */
export declare function fromGemini(request: { systemInstruction?: unknown; contents: readonly unknown[] }): ChatMessage[];

/** One entry of a chat prompt. */
export type ChatPromptEntry =
  | readonly [role: 'system' | 'developer' | 'user' | 'human' | 'assistant' | 'ai' | 'placeholder', template: string]
  | { role: string; template: string }
  | ChatMessage
  | { placeholder: string; optional?: boolean }
  | { fewShot: { examples: readonly Record<string, unknown>[]; examplePrompt: readonly (readonly [string, string])[]; maxLength?: number } };

/** A chat prompt: each template renders the content of one message of its role, so no value can make a message or change a role. */
export declare class ChatPrompt {
  private constructor();
  /** The inputs it reads, placeholders included, in order of first use (frozen). */
  readonly variables: readonly string[];
  /** Renders to OpenAI messages; placeholders insert the message lists given with the data. */
  render(data?: Record<string, unknown>): ChatMessage[];
  /** A new chat prompt with some variables fixed. */
  partial(values: Record<string, unknown>): ChatPrompt;
  /** Releases it now; later calls throw. Idempotent. */
  free(): void;
}

/** A chat prompt from entries, every template compiled with `options` (f-string by default). */
export declare function chatPrompt(entries: readonly ChatPromptEntry[], options?: TemplateOptions): ChatPrompt;

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Where a change happened: member names and array indexes from the root. */
export type JsonPath = (string | number)[];

/** What one chunk changed in a {@link JsonStream}'s value. */
export type JsonChange =
  | { path: JsonPath; op: 'set'; value: JsonValue }
  | { path: JsonPath; op: 'append'; text: string };

/** What a repair fixed; more kinds may be added. */
export type RepairKind =
  | 'comment' | 'trailing_comma' | 'missing_comma' | 'missing_colon' | 'single_quotes' | 'smart_quotes'
  | 'unquoted_key' | 'python_literal' | 'undefined' | 'non_finite_number' | 'number_format'
  | 'invalid_escape' | 'unescaped_control' | 'truncated' | 'leading_text' | 'trailing_text'
  | (string & {});

/** One repair, placed in the input (1-based line and column, 0-based offset; UTF-16 units). */
export interface Repair {
  kind: RepairKind;
  line: number;
  column: number;
  offset: number;
}

/** A repaired or extracted JSON value. */
export interface RepairedJson<T = JsonValue> {
  /** The value (`JSON.parse` of `json`). */
  value: T;
  /** Valid, compact JSON text. */
  json: string;
  /** What was repaired, in text order; empty when the input was valid. */
  repairs: Repair[];
  /** Where the value starts and ends in the input (`input.slice(start, end)`). */
  start: number;
  end: number;
}

/** Repairs what models get wrong in JSON (see {@link RepairKind}); throws `JsonParseError` when it cannot. */
export declare function repairJson<T = JsonValue>(text: string): RepairedJson<T>;

/**
 * Finds the JSON in a model's answer — a code fence (```` ```json ```` first) or the first `{`
 * or `[` a value can be read from — and repairs it. Throws `JsonParseError` when there is none.
 */
export declare function extractJson<T = JsonValue>(text: string, options?: { all?: false }): RepairedJson<T>;
/** Every JSON value in a model's answer, in order (possibly none). */
export declare function extractJson<T = JsonValue>(text: string, options: { all: true }): RepairedJson<T>[];

/** The items of a list in a model's answer: numbered or bulleted lines, or one comma-separated line. */
export declare function parseList(text: string): string[];

/** `key: value` lines as an object (a repeated key keeps its last value). */
export declare function parseFields(text: string, options?: { all?: false }): Record<string, string>;
/** `key: value` lines as every `[key, value]` pair in order. */
export declare function parseFields(text: string, options: { all: true }): [string, string][];

/** Which tags start sections: only these names (default: any). */
export interface TaggedOptions {
  tags?: string[];
}

/** One XML-ish section of a model's answer. */
export interface TaggedSection {
  tag: string;
  attributes: Record<string, string>;
  /** The text between the tags, exactly (inner tags included). */
  content: string;
  /** False when the text ended before the closing tag. */
  complete: boolean;
}

/** The top-level `<tag>…</tag>` sections of a text. */
export declare function parseTagged(text: string, options?: TaggedOptions): TaggedSection[];

/** What a {@link TaggedStream} push reports. */
export type TaggedEvent =
  | { type: 'open'; tag: string; attributes: Record<string, string> }
  | { type: 'text'; tag: string; text: string }
  | ({ type: 'close' } & TaggedSection);

/** Tagged sections from a stream: text as it arrives, each section when it closes. */
export declare class TaggedStream {
  constructor(options?: TaggedOptions);
  push(chunk: string): TaggedEvent[];
  /** Ends the text; an open section closes with `complete: false`. */
  end(): TaggedEvent[];
  free(): void;
  [Symbol.dispose](): void;
}

/** One way a value fails a schema. */
export interface SchemaViolation {
  /** Where in the value, as a JSON Pointer (`""` is the root). */
  path: string;
  /** The keyword that failed (`type`, `required`, ...; `standard` for a Standard Schema issue). */
  keyword: string;
  /** What is wrong, e.g. `must be string, got number`. */
  message: string;
  /** Where the keyword is in the schema, as a JSON Pointer. */
  schemaPath?: string;
}

/** What {@link Schema.validate} returns. */
export interface ValidationResult {
  valid: boolean;
  errors: SchemaViolation[];
}

/** A Standard Schema (standardschema.dev); with `~standard.jsonSchema` (zod 4) it can be compiled. */
export interface StandardSchemaLike<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    validate(value: unknown): { value: Output; issues?: undefined } | { issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> } | Promise<unknown>;
    readonly jsonSchema?: { input(options: { target: string }): Record<string, unknown> };
    readonly types?: { readonly output: Output };
  };
}

/** A JSON Schema object (or `true` / `false`). */
export type JsonSchema = boolean | Record<string, unknown>;

/** Options of {@link compileSchema}. */
export interface SchemaOptions {
  /** Assert `format` (default `true`); `false` makes formats annotations. */
  formats?: boolean;
  /** The draft of a schema without `$schema` (default `'2020-12'`). */
  draft?: '2020-12' | '07';
  /** Other schema documents `$ref`s may name, by absolute URI (nothing is fetched). */
  resources?: Record<string, JsonSchema>;
}

/** Options of {@link Schema.parse}. */
export interface StructuredParseOptions {
  /** Find the JSON in prose and code fences first (default `true`). */
  extract?: boolean;
  /** Repair what models get wrong (default `true`); `false` refuses text that needs repairs. */
  repair?: boolean;
}

/** A compiled JSON Schema (drafts 2020-12 and 07). */
export declare class Schema<T = JsonValue> {
  private constructor();
  /** The JSON Schema the core checks (for a zod schema, its conversion), e.g. for a model's request. */
  readonly jsonSchema: JsonSchema;
  /** Every violation of `value`. */
  validate(value: unknown): ValidationResult;
  /** Parses JSON text and validates it in one call; text that is not JSON throws `JsonParseError`. */
  validateJson(text: string): ValidationResult & { value: JsonValue };
  /** A model's answer to a typed value: extracted, repaired, validated, then the Standard Schema's own `validate`. Throws `SchemaError` or `JsonParseError`. */
  parse(text: string, options?: StructuredParseOptions): T;
  /** {@link parse} without throwing. */
  safeParse(text: string, options?: StructuredParseOptions):
    | { success: true; value: T; repairs: Repair[] }
    | { success: false; error: SchemaError | JsonParseError };
  /** {@link parse} for Standard Schemas that validate asynchronously. */
  parseAsync(text: string, options?: StructuredParseOptions): Promise<T>;
  free(): void;
  [Symbol.dispose](): void;
}

/** Compiles a JSON Schema, or a Standard Schema that describes itself as JSON Schema (zod 4), once for many validations. */
export declare function compileSchema<S extends StandardSchemaLike>(schema: S, options?: SchemaOptions): Schema<NonNullable<S['~standard']['types']>['output']>;
export declare function compileSchema<T = JsonValue>(schema: JsonSchema, options?: SchemaOptions): Schema<T>;

/** Validates `value` against `schema`, compiling each schema object once. */
export declare function validate(value: unknown, schema: JsonSchema | StandardSchemaLike | Schema<unknown>): ValidationResult;

/** Options of a {@link JsonStream}. */
export interface JsonStreamOptions {
  /** Show strings while they grow (default `true`) or only once closed. */
  partialStrings?: boolean;
  /** Show objects and arrays as soon as they open (default `true`) or only once closed, whole. */
  partialContainers?: boolean;
  /** Skip prose or a code fence before the first `{` or `[`, and ignore what follows the value (default `false`). */
  extract?: boolean;
  /** The deepest nesting accepted (default 10000); deeper is a `limit_exceeded` error. */
  maxDepth?: number;
  /** The most text, in UTF-8 bytes, read before the value completes (default 64 MiB); more is a `limit_exceeded` error. */
  maxBytes?: number;
  /**
   * Check the value against this schema while it streams (a {@link Schema}, a JSON Schema or a
   * zod 4 schema): the first violation that is already certain is reported at once, so a
   * model call can be stopped early; `end()` then validates the whole value.
   */
  schema?: Schema<unknown> | JsonSchema | StandardSchemaLike;
  /** `'report'` (default: `violation` is set) or `'throw'` (push and end throw `SchemaError`). */
  onViolation?: 'report' | 'throw';
}

/** What {@link JsonStream.push} returns. */
export interface JsonStreamStep<T = JsonValue> {
  /** The value so far: the same live object after every push, grown in place. `undefined` before the value starts. */
  value: T | undefined;
  /** What this push changed (built when first read). */
  readonly changes: readonly JsonChange[];
  /** With a schema: the first certain violation so far, or null. */
  readonly violation: SchemaViolation | null;
}

/**
 * An incremental JSON parser for streamed model output: linear in the text, monotonic (a value
 * never goes back; numbers, `true`, `false`, `null` and member names appear only complete;
 * strings grow), and chunks may split the text anywhere, including inside escapes, surrogate
 * pairs and UTF-8 sequences.
 */
export declare class JsonStream<T = JsonValue> {
  constructor(options?: JsonStreamOptions);
  /** Parses the next chunk; a syntax error throws `JsonParseError` and keeps what came before. */
  push(chunk: string | Uint8Array): JsonStreamStep<T>;
  /** Ends the stream and returns the final value; an incomplete text throws `JsonParseError` (`details.incomplete`). */
  end(): T;
  /** The value so far (live). */
  readonly value: T | undefined;
  /** With a schema: the first certain violation while streaming, then after `end()` the first error of the whole value; null while none. */
  readonly violation: SchemaViolation | null;
  /** With a schema, after `end()`: the whole value's validation; null before. */
  readonly validation: ValidationResult | null;
  /** Releases the parser now; idempotent. */
  free(): void;
  [Symbol.dispose](): void;
  /** Parses an async iterable or a `ReadableStream` of strings or bytes, yielding after every chunk; the last item has `done: true`. */
  static parse<T = JsonValue>(
    source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> | ReadableStream<string | Uint8Array>,
    options?: JsonStreamOptions,
  ): AsyncGenerator<JsonStreamStep<T> & { done: boolean }, void, undefined>;
}

// ---------------------------------------------------------------------------------------------
// Guardrails

/** The scanner families. */
export type ScannerName = 'pii' | 'secrets' | 'injection' | 'unicode' | 'text' | 'output';

/** One suspicious span. */
export interface Finding {
  /** The scanner family that reported it (`custom` for a custom check's findings). */
  scanner: ScannerName | 'custom';
  /** The entity type or rule kind: `EMAIL`, `CREDIT_CARD`, `GITHUB_TOKEN`, `INSTRUCTION_OVERRIDE`, ... */
  type: string;
  /** Start in UTF-16 code units (`text.slice(start, end)` is the span). */
  start: number;
  /** End in UTF-16 code units. */
  end: number;
  /** Start in UTF-8 bytes. */
  byteStart: number;
  /** End in UTF-8 bytes. */
  byteEnd: number;
  /** The span's text. */
  text: string;
  /** A confidence in 0..1 where the scanner grades (injection, entropy, checksum-less tokens). */
  score?: number;
  /** Scanner-specific facts: `rule`, `provider`, `issuer`, `checksum`, `decoded`, `evidence`, ... */
  detail: Record<string, unknown>;
}

/** PII scanner options. */
export interface PiiOptions {
  /** The types to report (default: all). */
  types?: string[];
  /** Types not to report. */
  exclude?: string[];
  /** The region of phone numbers written without `+` (default `US`). */
  defaultRegion?: string;
  /** How far (in characters) a context word may stand before a value that needs one. */
  contextWindow?: number;
  [option: string]: unknown;
}

/** Secret scanner options. */
export interface SecretOptions {
  /** Rule ids to run (default: all). */
  rules?: string[];
  /** Rule ids not to run. */
  exclude?: string[];
  /** The generic high-entropy detector (default true). */
  entropy?: boolean;
  /** Its threshold in bits per character. */
  minEntropy?: number;
  /** Drop GitHub and npm tokens whose CRC32 checksum is wrong (default false: reported with `detail.checksum: 'invalid'`). */
  requireChecksum?: boolean;
  [option: string]: unknown;
}

/** Prompt-injection scanner options. */
export interface InjectionOptions {
  /** Findings scoring below this are not reported. */
  threshold?: number;
  /** Decode base64, hex and URL-encoded runs and scan them again (default true). */
  decode?: boolean;
  [option: string]: unknown;
}

/** Which scanners run, each `true` or its options. None given: pii, secrets, injection and unicode. */
export interface ScanOptions {
  pii?: boolean | PiiOptions;
  secrets?: boolean | SecretOptions;
  injection?: boolean | InjectionOptions;
  unicode?: boolean | Record<string, unknown>;
  /** Text rules: `banned`, `terms` (names and other user lists), `regex` (linear-time), `maxChars`, `scripts`, ... */
  text?: boolean | Record<string, unknown>;
  /** Output checks: `refusal`, `canaries`, `urls: { allow }`, `markdownExfiltration`. */
  output?: boolean | Record<string, unknown>;
}

/** How findings are replaced. */
export interface RedactStyleOptions {
  /** `placeholder` (default, `<EMAIL_1>`, restorable), `mask`, `hash` (keyed HMAC-SHA256 pseudonym, restorable) or `remove`. */
  style?: 'placeholder' | 'mask' | 'hash' | 'remove';
  /** The mask character (default `*`). */
  maskChar?: string;
  /** Letters and digits left visible at the end of a mask (e.g. 4 for cards). */
  keepLast?: number;
  /** The HMAC key of the `hash` style (at least 16 bytes). */
  hashKey?: string;
  /** Hex digits of the hash kept (8 to 64, default 8). */
  hashLength?: number;
  /** Styles per type, e.g. `{ CREDIT_CARD: 'mask' }`. */
  styles?: Record<string, 'placeholder' | 'mask' | 'hash' | 'remove'>;
}

/** Options of {@link Scanner.redact}. */
export interface RedactOptions extends RedactStyleOptions {
  /** The vault to put placeholders in (a new one if not given). */
  vault?: Vault;
}

/** A redacted text. */
export interface Redaction {
  /** The text with the findings replaced. */
  text: string;
  /** The replaced findings, spans in the original text (built when first read). */
  readonly findings: Finding[];
  /** The vault that restores the placeholders. */
  vault: Vault;
}

/** A compiled set of scanners: compile once, scan many texts. */
export declare class Scanner {
  constructor(options?: ScanOptions);
  /** The findings in `text`, sorted by start. */
  scan(text: string): Finding[];
  /** `text` with the findings replaced. */
  redact(text: string, options?: RedactOptions): Redaction;
  /** Releases the compiled scanners now; idempotent. */
  free(): void;
  [Symbol.dispose](): void;
}

/** A serialised vault. */
export interface VaultJson {
  version: 1;
  /** `[type, label, original]`: `<EMAIL_1>` is `['EMAIL', '1', 'ana@example.com']`. */
  entries: [string, string, string][];
}

/** Placeholders and the values they stand for; one per conversation. */
export declare class Vault {
  constructor();
  /** A vault from {@link Vault.toJSON}'s output (object or JSON text). */
  static fromJSON(json: string | VaultJson): Vault;
  /** A vault from {@link Vault.seal}'s output; a wrong key or altered text is `invalid_argument`. */
  static open(sealed: string, key: Uint8Array | CryptoKey): Promise<Vault>;
  /** The number of placeholders. */
  readonly size: number;
  toJSON(): VaultJson;
  /** `text` with the placeholders replaced by their values, also when a model changed their case, spacing, separator or brackets. */
  restore(text: string): string;
  /** {@link Vault.restore | restore} with counts. */
  restoreDetailed(text: string): { text: string; restored: number; unknown: string[] };
  /** The vault encrypted with AES-256-GCM (a 32-byte key or an AES-GCM CryptoKey): `bv1.<iv>.<data>`. */
  seal(key: Uint8Array | CryptoKey): Promise<string>;
  free(): void;
  [Symbol.dispose](): void;
}

/** The findings in `text` of the scanners `options` names (compiled once per distinct options). */
export declare function scan(text: string, options?: ScanOptions): Finding[];
/** Redacts `text`: the scanner choice and the redaction options in one object. */
export declare function redact(text: string, options?: ScanOptions & RedactOptions): Redaction;
/** `text` with `vault`'s placeholders replaced by their values. */
export declare function restore(text: string, vault: Vault): string;

/** What a failed check does. */
export type GuardAction = 'block' | 'redact' | 'fix' | 'filter' | 'warn' | 'reask' | 'noop';

/** Options every check takes. */
export interface CheckOptions {
  /** The action when it fails (default: the guard's `onFail`, itself `block` by default). */
  onFail?: GuardAction;
  /** Its name in results. */
  name?: string;
  /** Findings scoring below this do not count. */
  minScore?: number;
  /** Only findings of these types count. */
  kinds?: string[];
  /** The failure message (for `reask`, what the model is told). */
  message?: string;
}

/** A check made by a scanner. */
export interface ScannerCheck extends CheckOptions {
  scanner: ScannerName;
  options?: Record<string, unknown> | boolean;
}

/** A custom check's finding (UTF-16 offsets into the checked text). */
export interface CustomFinding {
  type?: string;
  start: number;
  end: number;
  score?: number;
  detail?: Record<string, unknown>;
}

/** What a custom check returns: pass (`true`/nothing), fail (`false`, a message), findings, or all of it. */
export type CustomCheckResult =
  | boolean
  | string
  | null
  | undefined
  | CustomFinding[]
  | { pass?: boolean; message?: string; findings?: CustomFinding[] };

/** A check written in JavaScript (a model-as-judge, a lookup), sync or async. */
export interface CustomCheck extends CheckOptions {
  check(text: string): CustomCheckResult | Promise<CustomCheckResult>;
}

/** Check builders: the scanner's options plus {@link CheckOptions}. */
export declare const checks: {
  pii(options?: PiiOptions & CheckOptions): ScannerCheck;
  secrets(options?: SecretOptions & CheckOptions): ScannerCheck;
  injection(options?: InjectionOptions & CheckOptions): ScannerCheck;
  unicode(options?: Record<string, unknown> & CheckOptions): ScannerCheck;
  text(options?: Record<string, unknown> & CheckOptions): ScannerCheck;
  output(options?: Record<string, unknown> & CheckOptions): ScannerCheck;
  custom(name: string, check: CustomCheck['check'], options?: CheckOptions): CustomCheck;
};

/** A finding of a guard, with the check that made it. */
export interface GuardFinding extends Finding {
  check: string;
}

/** A failed check. */
export interface GuardFailure {
  check: string;
  action: GuardAction;
  message: string;
  findings: GuardFinding[];
}

/** What a guard run returns (a `block` failure throws {@link GuardError} instead). */
export interface GuardResult {
  /** The text after `redact`, `fix` and `filter` edits. */
  text: string;
  /** No check failed. */
  ok: boolean;
  findings: GuardFinding[];
  failures: GuardFailure[];
  /** The messages of `reask` failures, for a chain to send back to the model. */
  reask: string[];
  /** The messages of `warn` failures. */
  warnings: string[];
  vault: Vault;
}

/** Options of a guard. */
export interface GuardOptions {
  /** The default action (`block`). */
  onFail?: GuardAction;
  /** The redaction style of `redact` and `fix`. */
  redact?: RedactStyleOptions;
}

/** Options of {@link Guard.stream}. */
export interface GuardStreamOptions {
  vault?: Vault;
  /** The most bytes held back at once (default 8192). */
  maxHold?: number;
  /** Bytes of released text kept as context (default 256). */
  context?: number;
}

/** A guarded stream: `push` returns the text safe to pass on now. */
export interface GuardStream {
  readonly vault: Vault;
  readonly findings: GuardFinding[];
  readonly failures: GuardFailure[];
  push(chunk: string): string;
  end(): string;
  free(): void;
}

/** Checks with actions, for text going to a model or coming back. */
export declare class Guard {
  private constructor();
  readonly checkNames: string[];
  check(text: string, options?: { vault?: Vault }): Promise<GuardResult>;
  checkSync(text: string, options?: { vault?: Vault }): GuardResult;
  stream(options?: GuardStreamOptions): GuardStream;
  transform(options?: GuardStreamOptions): TransformStream<string, string>;
  free(): void;
  [Symbol.dispose](): void;
}

/** A guard over `checks`. */
export declare function guard(checks: Array<ScannerCheck | CustomCheck>, options?: GuardOptions): Guard;

/** The live backend: `"native"` (the Node addon) or `"wasm"`; `null` in a browser before {@link init}. */
export declare const backend: 'native' | 'wasm' | null;
/** The version of the Rust core; `null` in a browser before {@link init}. */
export declare const version: string | null;

/** What {@link init} can load the wasm module from. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the backend. Required once in browsers and edge runtimes before any other call
 * (it fetches `bridle_wasm_bg.wasm` from beside the package unless given a source, and the
 * guardrails module `bridle_guard_bg.wasm` unless `options.guard` names another source or is
 * `false`); resolves at once in Node and in Workers, where the backend loads on import.
 */
export declare function init(
  source?: WasmSource | Promise<WasmSource>,
  options?: { guard?: WasmSource | false; model?: WasmSource | false; tokens?: WasmSource | false },
): Promise<void>;
/** Loads the wasm module synchronously from a compiled module or its bytes (browsers, edge), and the guardrails, model and tokenizer modules when given. */
export declare function initSync(
  source: BufferSource | WebAssembly.Module,
  guardSource?: BufferSource | WebAssembly.Module | null,
  modelSource?: BufferSource | WebAssembly.Module | null,
  tokensSource?: BufferSource | WebAssembly.Module | null,
): void;

// ---------------------------------------------------------------------------------------------
// Tokens

/** The tiktoken encodings Bridle encodes exactly. */
export type EncodingName = 'o200k_base' | 'cl100k_base' | 'p50k_base' | 'p50k_edit' | 'r50k_base';

/** A rank object as js-tiktoken (`js-tiktoken/ranks/o200k_base`) and tiktoken (`tiktoken/encoders/*.json`) ship it. */
export interface TiktokenRanks {
  pat_str?: string;
  special_tokens?: Record<string, number>;
  bpe_ranks: string;
}

/** A rank table: its bytes (a `.tiktoken` file, tiktoken's `encoders/*.json`) or a rank object. */
export type RankSource = Uint8Array | ArrayBuffer | TiktokenRanks;

/** Special tokens as tiktoken treats them; by default one in the text is a `SpecialTokenError`. */
export interface EncodeOptions {
  /** Special tokens encoded as their ids: `'all'` or a list. */
  allowedSpecial?: 'all' | readonly string[];
  /** Special tokens whose appearance is an error (default `'all'`: all not allowed); `[]` lets them through as text. */
  disallowedSpecial?: 'all' | readonly string[];
}

/** The tokens of a message list. */
export interface MessageCount {
  /** Every message with its overhead, plus the 3 that prime the reply. */
  tokens: number;
  /** Each message's share. */
  perMessage: number[];
  /** False when a part has no documented rule (tool calls, images of unknown size, audio, files) or the count is an estimate. */
  exact: boolean;
}

/** An encoding with its rank table loaded: exact tiktoken token ids, counts and text. */
export declare class Tokenizer {
  private constructor();
  /** A tokenizer from a rank table the caller holds; `options.encoding` names it (else the table's size tells). */
  static fromRanks(ranks: RankSource, options?: { encoding?: EncodingName | 'gpt2' }): Tokenizer;
  /** The encoding's name. */
  readonly encoding: EncodingName;
  /** One more than the highest token id, special tokens included. */
  readonly vocabSize: number;
  /** The special tokens and their ids. */
  readonly specialTokens: Record<string, number>;
  /** The token ids of `text`. */
  encode(text: string, options?: EncodeOptions): Uint32Array;
  /** How many tokens `text` has. */
  count(text: string, options?: EncodeOptions): number;
  /** The text of token ids (a split character becomes U+FFFD); an unknown id is an `InvalidArgumentError`. */
  decode(ids: Uint32Array | readonly number[]): string;
  /** The bytes of token ids. */
  decodeBytes(ids: Uint32Array | readonly number[]): Uint8Array;
  /** The tokens of a chat request in OpenAI's format, with the documented per-message overhead. */
  countMessages(messages: readonly ChatMessage[]): MessageCount;
  /** {@link pack} with this tokenizer counting. */
  pack(options: Omit<PackOptions, 'tokenizer'>): PackResult;
  /** Releases the rank table now; idempotent. */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * A tokenizer for an encoding or an OpenAI model name (`gpt-4o` → `o200k_base`). `options.ranks`
 * is the rank table (bytes, a rank object, a `Response`, or a URL to fetch); without it Node
 * reads it from an installed `js-tiktoken` (or `tiktoken`) package, and other runtimes need it.
 */
export declare function loadTokenizer(
  encodingOrModel: EncodingName | 'gpt2' | (string & {}),
  options?: { ranks?: RankSource | Response | URL | string },
): Promise<Tokenizer>;
/** The encoding of an OpenAI model name, or undefined when unknown. */
export declare function encodingForModel(model: string): EncodingName | undefined;
/** An estimate (for models without a public tokenizer) of a text's tokens. */
export declare function estimateTokens(text: string): { tokens: number; estimate: true };
/** An estimate of a message list's tokens, with OpenAI's per-message overhead. */
export declare function estimateTokens(messages: readonly ChatMessage[]): { tokens: number; perMessage: number[]; estimate: true };

/** How a section of a packed prompt may be cut. */
export interface PackSection {
  /** The data key (from the object key when `sections` is an object). */
  name?: string;
  /** The value (default: `data[name]`): a string, or a list of messages, strings or documents. */
  value?: string | readonly unknown[] | null;
  /**
   * `none` (default, required), `drop-oldest` (history: oldest turn first), `drop-last`
   * (examples, ranked documents: last first) or `truncate` (at sentence boundaries, last item first).
   */
  trim?: 'none' | 'drop-oldest' | 'drop-last' | 'truncate';
  /** Higher is kept longer: sections are cut lowest priority first (default 0). */
  priority?: number;
  /** Items never dropped: the newest turns for `drop-oldest`, the first items otherwise. */
  keep?: number;
  /** A document truncated below this many tokens is dropped instead (default 1). */
  minTokens?: number;
  /** The text field of document objects (default: `text`, `content` or `pageContent`). */
  field?: string;
}

/** What to pack into a token budget. */
export interface PackOptions {
  /** What renders the prompt: a ChatPrompt or chat entries (messages), a Template or its source (text); none: the sections are message lists joined in order. */
  prompt?: ChatPrompt | Template | string | readonly ChatPromptEntry[];
  /** The prompt's other data. */
  data?: Record<string, unknown>;
  /** The sections, in priority-tie order. */
  sections: readonly (PackSection & { name: string })[] | Record<string, PackSection>;
  /** The context window (or the part of it the prompt and answer may use). */
  maxTokens: number;
  /** Tokens kept for the answer (default 0). */
  reserve?: number;
  /** Counts exactly; without it counts are estimates. */
  tokenizer?: Tokenizer;
}

/** One cut made while packing. */
export interface PackCut {
  section: string;
  action: 'drop' | 'truncate';
  /** The item's index in the section's original value. */
  index: number;
  tokensBefore: number;
  tokensAfter: number;
}

/** A packed prompt and what was cut to fit it. */
export interface PackResult {
  /** The rendered messages (chat prompts, or no prompt). */
  messages?: ChatMessage[];
  /** The rendered text (templates). */
  text?: string;
  /** The section values it was rendered with. */
  values: Record<string, unknown>;
  /** Whether `tokens <= budget`; false only when everything that may be cut was cut. */
  fits: boolean;
  /** The rendered prompt's count (exact with a tokenizer). */
  tokens: number;
  maxTokens: number;
  reserve: number;
  /** `maxTokens - reserve`. */
  budget: number;
  /** Tokens over the budget (0 when it fits). */
  overflow: number;
  /** True when counted with the estimate. */
  estimated: boolean;
  /** Render-and-count rounds it took. */
  rounds: number;
  /** Every cut, in the order made. */
  trimmed: PackCut[];
  /** Per section: items, kept, dropped, truncated, tokens kept. */
  sections: { name: string; items: number; kept: number; dropped: number; truncated: number; tokens: number }[];
}

/** Packs a prompt into `maxTokens - reserve`, cutting sections by priority and reporting every cut. */
export declare function pack(options: PackOptions): PackResult;

// ---------------------------------------------------------------------------------------------
// Models

/** How failed calls are retried: exponential backoff with jitter, honouring `Retry-After`. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** The wait before the first retry, in ms (default 500). */
  initialDelay?: number;
  /** The longest computed wait, in ms (default 8000). */
  maxDelay?: number;
  /** How much each wait grows (default 2). */
  factor?: number;
  /** The share of a wait taken off at random, 0 to 1 (default 0.25). */
  jitter?: number;
  /** The longest `Retry-After` honoured, in ms (default 60000); longer asks fail at once. */
  maxRetryAfter?: number;
}

/** The options every model takes. */
export interface ModelOptions {
  /** The model's name, as the provider knows it. */
  model: string;
  /** The API key (Node reads OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY when absent). */
  apiKey?: string;
  /** The API's address, version included (default the provider's; any compatible server). */
  baseURL?: string;
  /** Headers for every request. */
  headers?: Record<string, string>;
  /** A `fetch` to send requests with (proxies, logging, tests); default the backend's own HTTP client. */
  fetch?: typeof globalThis.fetch;
  /** Per-attempt timeout in ms (default 600000): to the response headers and between stream chunks. */
  timeout?: number;
  /** Retries after the first attempt (default 2); `retry` tunes the waits. */
  maxRetries?: number;
  retry?: RetryOptions;
  /** At most this many calls in flight on this model; the rest wait their turn. */
  maxConcurrency?: number;
  /** A token bucket: `requests` per `interval` ms (default 1000), in bursts of up to `burst`. */
  rateLimit?: { requests: number; interval?: number; burst?: number };
  /** Call options applied under every call's own. */
  defaults?: Omit<GenerateOptions, 'messages' | 'signal'>;
}

/** OpenAI (and compatible servers: Ollama, vLLM, llama.cpp, LM Studio, OpenRouter, Groq, Together, Azure). */
export interface OpenAIOptions extends ModelOptions {
  organization?: string;
  project?: string;
  /** Azure OpenAI's deployment addresses (`baseURL` is the resource's). */
  azure?: { apiVersion: string; deployment?: string };
  /** Ask streams for usage (`stream_options.include_usage`, default true). */
  streamUsage?: boolean;
}

export interface AnthropicOptions extends ModelOptions {
  /** `anthropic-version` (default `2023-06-01`). */
  anthropicVersion?: string;
  /** Send `anthropic-dangerous-direct-browser-access: true`, which Anthropic requires of calls from a page. */
  dangerouslyAllowBrowser?: boolean;
}

export interface GeminiOptions extends ModelOptions {}

/** A tool the model may call: arguments described by a JSON Schema (or a zod schema). */
export interface ToolDefinition {
  name?: string;
  description?: string;
  parameters?: JsonSchema | StandardSchemaLike;
  /** OpenAI's strict mode for this tool. */
  strict?: boolean;
  /** Run by chains; ignored by a bare model call. */
  execute?: (input: any) => unknown;
}

/** One model call. */
export interface GenerateOptions {
  /** The conversation, in OpenAI's message format. */
  messages?: ChatMessage[];
  /** A system message put first. */
  system?: string;
  /** A user message put last. */
  prompt?: string;
  tools?: ToolDefinition[] | Record<string, ToolDefinition>;
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  parallelToolCalls?: boolean;
  /** Structured output: JSON matching a schema (checked; `object` holds the value), or any JSON. */
  output?: 'json' | 'text' | { schema: JsonSchema | StandardSchemaLike; name?: string; description?: string; strict?: boolean };
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
  stop?: string | string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Provider fields merged (deeply) into the request body as they are. */
  raw?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** This call's per-attempt timeout in ms. */
  timeout?: number;
  /** This call's retries. */
  maxRetries?: number;
  /** Cancels the call: pending waits, the request and the stream. */
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

/** A tool call in a model's answer: the name, the arguments as written and as parsed. */
export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them (JSON text). */
  arguments: string;
  /** The arguments parsed (repaired if need be), or null. */
  input: any;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other' | 'unknown';

/** The answer of a model call, the same shape for every provider. */
export interface Completion<T = unknown> {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** The answer as an assistant message, ready to append to the conversation. */
  message: ChatMessage;
  id: string | null;
  model: string | null;
  reasoning?: string;
  /** The structured output, parsed and checked, when `output` was given. */
  object?: T;
  /** Options the provider has no place for (not sent). */
  warnings?: string[];
  /** The provider's response body (generate only). */
  raw?: unknown;
}

export type StreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call-delta'; index: number; id: string; name: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage };

/** A streamed answer: iterate its events, or use `textStream`, `toReadableStream()` or `result`. */
export declare class ModelStream<T = unknown> implements AsyncIterable<StreamEvent> {
  private constructor();
  [Symbol.asyncIterator](): AsyncIterator<StreamEvent>;
  readonly textStream: AsyncIterable<string>;
  toReadableStream(): ReadableStream<StreamEvent>;
  toReadableStream(options: { text: true }): ReadableStream<string>;
  /** The whole completion once the stream has ended (awaiting it alone drains the stream). */
  readonly result: Promise<Completion<T>>;
}

type OutputOf<O> = O extends { output: { schema: StandardSchemaLike<infer T> } } ? T : unknown;

/** A model: the same interface for every provider and for the scripted model. */
export declare class Model {
  private constructor();
  readonly provider: 'openai' | 'anthropic' | 'gemini' | 'scripted';
  readonly modelId: string;
  /** The calls a scripted model has received (`[]` for the others). */
  readonly calls: ScriptedCall[];
  generate<O extends GenerateOptions>(options: O): Promise<Completion<OutputOf<O>>>;
  stream<O extends GenerateOptions>(options: O): ModelStream<OutputOf<O>>;
  free(): void;
}

/** What a scripted model keeps of each call. */
export interface ScriptedCall {
  messages: ChatMessage[];
  tools?: Array<{ name: string; description?: string; parameters: JsonSchema }>;
  toolChoice?: GenerateOptions['toolChoice'];
  output?: 'json' | { schema: JsonSchema; name: string };
  [parameter: string]: unknown;
}

/** One scripted reply: its text, or the whole answer, an error, and the timing. */
export type ScriptedReply =
  | string
  | {
      text?: string;
      /** The stream's text deltas (they add up to the text). */
      chunks?: string[];
      /** Structured output: the text is its JSON. */
      object?: unknown;
      toolCalls?: Array<{ id?: string; name: string; input?: unknown; arguments?: string }>;
      reasoning?: string;
      finishReason?: FinishReason;
      usage?: { inputTokens?: number; outputTokens?: number };
      /** Fail with this typed error (after the chunks, for a stream that breaks off). */
      error?: { code: ErrorCode; message?: string; retryAfter?: number; status?: number; shouldRetry?: boolean };
      /** Wait before answering, in ms. */
      delay?: number;
      /** Wait between chunks, in ms. */
      chunkDelay?: number;
    };

/** A model on OpenAI's Chat Completions API, or any compatible server (`baseURL`: Ollama, vLLM, llama.cpp, Azure OpenAI ...); the key from `apiKey` or, in Node, `OPENAI_API_KEY`. */
export declare function openai(options: OpenAIOptions): Model;
/** A model on Anthropic's Messages API; the key from `apiKey` or, in Node, `ANTHROPIC_API_KEY`. */
export declare function anthropic(options: AnthropicOptions): Model;
/** A model on Google's Gemini API (`generateContent`); the key from `apiKey` or, in Node, `GEMINI_API_KEY`. */
export declare function gemini(options: GeminiOptions): Model;
/** A deterministic model that replays `replies` in order (with `loop`, again from the start). */
export declare function scripted(replies: ScriptedReply[], options?: Partial<ModelOptions> & { loop?: boolean }): Model;

// ---------------------------------------------------------------------------------------------
// Chains

/**
 * What a chain step can be: a function (sync or async; it gets the input and `{ signal, span }`),
 * a model, a template, a chat prompt, a schema (parses text), a guard (checks text), another
 * chain, or an object of steps (run at once: a parallel step).
 */
export type Step<I = any, O = any> =
  | ((input: I, context: { signal: AbortSignal; span: string }) => O | Promise<O>)
  | Model
  | Template
  | ChatPrompt
  | Schema<any>
  | Guard
  | Chain<I, O>
  | { [name: string]: Step<I> };

/** An event of a running chain. */
export type ChainEvent =
  | { type: 'step-start'; span: string; parent: string | null; name: string; kind: string }
  | { type: 'step-end'; span: string; name: string; ok: boolean }
  | { type: 'text-delta'; span: string; text: string }
  | { type: 'reasoning-delta'; span: string; text: string }
  | { type: 'partial-object'; span: string; object: unknown }
  | { type: 'tool-call'; span: string; toolCall: { id: string; name: string; input: unknown } }
  | { type: 'tool-result'; span: string; toolCall: string; name: string; ok: boolean; output: string }
  | { type: 'guard-finding'; span: string; name?: string; toolCall?: string; findings?: unknown; failures?: unknown }
  | { type: 'retry'; span: string; name: string; attempt: number; delay: number; error?: { code: string; message: string }; failures?: string[] }
  | { type: 'final'; output: unknown };

/** One step of a run's trace (OpenTelemetry span fields), with its children. */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  startTime: number;
  endTime: number | null;
  durationMs: number | null;
  startTimeUnixNano: string;
  endTimeUnixNano: string | null;
  status: { code: 'OK' | 'ERROR' | 'UNSET'; message?: string };
  cancelled: boolean;
  input: unknown;
  output?: unknown;
  error?: { code: string; message: string; details: Record<string, unknown> };
  usage?: { inputTokens: number; outputTokens: number; totalTokens: number };
  attributes: Record<string, unknown>;
  children: TraceSpan[];
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with every event as it happens. */
  onEvent?: (event: ChainEvent) => void;
  /** Called with the run's trace when it ends. */
  trace?: (trace: TraceSpan) => void;
  /** Seeds retry jitter and trace ids (default fixed, so replays repeat). */
  seed?: number;
}

/** A chain: run it with invoke, stream or batch. */
export declare class Chain<I = any, O = any> {
  private constructor();
  invoke(input: I, options?: RunOptions): Promise<O>;
  stream(input: I, options?: RunOptions): AsyncIterableIterator<ChainEvent>;
  batch(inputs: I[], options?: RunOptions & { concurrency?: number; returnErrors?: boolean }): Promise<Array<O | Error>>;
  withName(name: string): Chain<I, O>;
}

/** The steps in order, each output the next input. */
export declare function pipe(...steps: Step[]): Chain;
/** Every branch on the same input at once; the output is `{ name: output }`, and the first failure cancels the rest. */
export declare function parallel<S extends Record<string, Step>>(branches: S): Chain<any, { [K in keyof S]: any }>;
/** `branch([condition, step], ..., otherwise?)`. */
export declare function branch(...cases: Array<[Step, Step] | Step>): Chain;
/** The router's output names the route (a key of `routes`) whose step runs; else `options.default`. */
export declare function route(router: Step, routes: Record<string, Step>, options?: { default?: Step }): Chain;
/** The step on each item of the input list, at most `concurrency` at once; the outputs in order. */
export declare function map(step: Step, options?: { concurrency?: number }): Chain<any[], any[]>;
/** The input object with each step's output added under its name (the steps run at once). */
export declare function assign(steps: Record<string, Step>): Chain<Record<string, unknown>, Record<string, unknown>>;
/** The input, unchanged. */
export declare function passthrough<T = any>(): Chain<T, T>;
/** The step again on failure (any error but an abort, or only the codes in `on`), with backoff, honouring a `retryAfter`. */
export declare function withRetry(step: Step, options?: { attempts?: number; backoff?: { initialDelay?: number; maxDelay?: number; factor?: number; jitter?: number }; on?: ErrorCode[] }): Chain;
/** The steps in order until one succeeds. */
export declare function withFallbacks(steps: Step[]): Chain;
/**
 * A model as a step, with call options (an output schema makes its output the object) and an
 * optional `guard` its answer streams through before anyone sees it.
 */
export declare function modelStep(model: Model, options?: Omit<GenerateOptions, 'messages' | 'prompt' | 'signal'> & { guard?: Guard }): Chain;
/** The validate → repair → re-ask loop. */
export declare function reask<S = unknown>(
  model: Model,
  options?: Omit<GenerateOptions, 'messages' | 'prompt' | 'signal' | 'output'> & {
    schema?: JsonSchema | StandardSchemaLike<S>;
    guards?: Guard[];
    maxAttempts?: number;
    repair?: boolean;
    maxTokens?: number;
    maxCost?: number;
    pricing?: { input: number; output: number };
  },
): Chain<string | ChatMessage[] | { messages: ChatMessage[] }, S>;
/** What a tool loop ends with. */
export interface ToolLoopResult {
  text: string;
  steps: number;
  toolCalls: Array<{ id: string; name: string; input: unknown; ok: boolean; output: string }>;
  messages: ChatMessage[];
  stoppedBy: 'answer' | 'maxSteps';
  usage: { inputTokens: number; outputTokens: number };
}
/** The tool loop. */
export declare function toolLoop(
  model: Model,
  options: Omit<GenerateOptions, 'messages' | 'prompt' | 'signal' | 'tools'> & {
    tools: Record<string, { description?: string; parameters?: JsonSchema | StandardSchemaLike; needsApproval?: boolean; execute: (input: any, context: { signal: AbortSignal; span: string }) => unknown }>;
    maxSteps?: number;
    /** When step `maxSteps` still calls tools: throw `LimitExceededError` (default; the result so far is `details.result`) or return it with `stoppedBy: 'maxSteps'`. */
    onMaxSteps?: 'error' | 'return';
    guards?: Guard[];
    approve?: (request: { id: string; tool: string; input: unknown }) => boolean | Promise<boolean>;
  },
): Chain<string | ChatMessage[] | { messages: ChatMessage[] }, ToolLoopResult>;
/** Records a model's answers: `scripted(replies)` replays them. */
export declare function record(model: Model): { model: Model; replies: ScriptedReply[] };

/** Stable error codes; more may be added, so compare with `===` and keep a default branch. */
export type ErrorCode =
  | 'template_syntax'
  | 'template_render'
  | 'missing_variable'
  | 'invalid_data'
  | 'invalid_argument'
  | 'unsupported'
  | 'limit_exceeded'
  | 'internal'
  | 'invalid_message'
  | 'prompt_syntax'
  | 'json_parse'
  | 'schema'
  | 'guard_blocked'
  | 'backend_unavailable'
  | 'auth'
  | 'rate_limit'
  | 'context_length'
  | 'content_filter'
  | 'server'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'bad_response'
  | 'bad_request'
  | (string & {});

/** Fields every {@link BridleError} may carry. */
export interface BridleErrorFields {
  code?: ErrorCode;
  line?: number;
  column?: number;
  offset?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The base of every error Bridle throws. */
export declare class BridleError extends Error {
  constructor(message: string, fields?: BridleErrorFields);
  /** A stable code, identical on both backends. */
  readonly code: ErrorCode;
  /** 1-based line in the source the error refers to, when there is one. */
  readonly line?: number;
  /** 1-based column, in UTF-16 code units (JavaScript string indexes). */
  readonly column?: number;
  /** 0-based offset into the source, in UTF-16 code units: `source.slice(offset)` starts there. */
  readonly offset?: number;
  /** Structured details, e.g. `{ variable: "name" }` for `missing_variable`. */
  readonly details: Record<string, unknown>;
}
/** The template source or a prompt file does not parse (`template_syntax`, `prompt_syntax`). Has `line`, `column` and `offset`. */
export declare class TemplateSyntaxError extends BridleError {}
/** Rendering failed (`template_render`, `missing_variable`). */
export declare class TemplateRenderError extends BridleError {}
/** An argument, option, data value or message is not acceptable (`invalid_argument`, `invalid_data`, `invalid_message`). */
export declare class InvalidArgumentError extends BridleError {}
/** The request names something this version does not support yet (`unsupported`). */
export declare class UnsupportedError extends BridleError {}
/** A resource limit stopped the work (`limit_exceeded`): nesting depth, output size; `details.limit` names it. */
export declare class LimitExceededError extends BridleError {}
/** Text that should be JSON is not (`json_parse`); has `line`, `column` and `offset` where there is a place. */
export declare class JsonParseError extends BridleError {}
/** A value does not satisfy its JSON Schema (`schema`); `details.errors` lists the violations. */
export declare class SchemaError extends BridleError {}
/** A bug in Bridle, such as a panic caught at the boundary (`internal`); the module stays usable. */
export declare class InternalError extends BridleError {}
/** A guard's `block` check failed (`guard_blocked`); `details.failures` and `details.findings` say what was found (the message never holds found values). */
export declare class GuardError extends BridleError {
  readonly details: { failures: GuardFailure[]; findings: GuardFinding[] };
}
/** No backend could be loaded (`backend_unavailable`); `cause` is an `AggregateError` of every attempt. */
export declare class BackendLoadError extends BridleError {}
/** A model call failed; the subclass says how. */
export declare class ModelError extends BridleError {
  readonly details: {
    provider?: string;
    status?: number;
    providerCode?: string;
    requestId?: string;
    /** The wait the provider asked for, in ms. */
    retryAfter?: number;
    shouldRetry?: boolean;
    /** How many attempts were made. */
    attempts?: number;
    [key: string]: unknown;
  };
}
/** The provider refused the credentials (`auth`, HTTP 401/403). */
export declare class AuthError extends ModelError {}
/** Rate limited, and retries did not get through (`rate_limit`, HTTP 429). */
export declare class RateLimitError extends ModelError {}
/** The prompt is longer than the model's context window (`context_length`). */
export declare class ContextLengthError extends ModelError {}
/** The provider refused the prompt or the answer on content grounds (`content_filter`). */
export declare class ContentFilterError extends ModelError {}
/** The provider failed (`server`: HTTP 5xx, overloaded, 409). */
export declare class ServerError extends ModelError {}
/** The request did not reach the provider or the connection broke (`network`). */
export declare class NetworkError extends ModelError {}
/** The call went quiet for longer than its timeout (`timeout`, also HTTP 408). */
export declare class TimeoutError extends ModelError {}
/** The caller aborted the call (`aborted`); `cause` is the signal's reason. */
export declare class AbortedError extends ModelError {}
/** The provider's answer is not in its documented format (`bad_response`). */
export declare class BadResponseError extends ModelError {}
/** The provider rejected the request itself (`bad_request`, HTTP 400/404/422). */
export declare class BadRequestError extends ModelError {}
/** The text holds a special token the call does not allow (`special_token`); `details.token`, `details.offset`. */
export declare class SpecialTokenError extends BridleError {}

/** @internal Test hooks; not part of the supported API. */
export declare const _debug: {
  panic(message: string): never;
  memoryBytes(): number | undefined;
  liveTemplates(): number;
  chatTemplateNames(): string[];
};
