// Type declarations for `bridle`, one file for every entry (Node native, Node wasm, browsers,
// edge runtimes, Workers): the API is identical whichever backend is live.

/** A template syntax name. `"f-string"` is accepted as LangChain's spelling of `"fstring"`. */
export type Syntax = 'fstring' | 'f-string' | 'mustache' | 'jinja';

/** Options for {@link Template.compile}. */
export interface TemplateOptions {
  /** The syntax of the source. Default `"fstring"`. */
  syntax?: Syntax;
  /** Named partials (Mustache `{{> name}}`): name → template source. */
  partials?: Record<string, string>;
  /** How interpolated values are escaped: `"none"` (default: prompts are not HTML) or `"html"`. */
  escape?: 'none' | 'html';
  /** Mustache and Jinja: reading a name the data does not hold is a `missing_variable` error, not empty output. */
  strict?: boolean;
  /** Jinja: the time `strftime_now` formats (a Date or seconds since the epoch); default: when the template is compiled. */
  now?: Date | number;
  /** Mustache and Jinja: the largest output a render may produce (UTF-8 bytes) before a `limit_exceeded` error. Default 64 MiB. */
  maxOutputBytes?: number;
}

/**
 * Template data: an object with a value for every variable. Strings are inserted as they
 * are; any other value as the JSON text `JSON.stringify` gives it (exactly what LangChain.js
 * inserts). `undefined` and functions count as missing.
 */
export type TemplateData = { readonly [name: string]: unknown };

/** A compiled template: compile once, render many times. */
export declare class Template {
  private constructor();
  /** Compiles `source`; throws {@link TemplateSyntaxError} with the position of the problem. */
  static compile(source: string, options?: TemplateOptions): Template;
  /** The names of the inputs the template reads, in order of first use, each once (frozen). */
  readonly variables: readonly string[];
  /** The canonical name of the syntax the template was compiled from. */
  readonly syntax: 'fstring' | 'mustache' | 'jinja';
  /** Renders with `data`; throws {@link TemplateRenderError} (`missing_variable`) when a value is missing. */
  render(data?: TemplateData): string;
  /** Releases the compiled template now (the garbage collector does it otherwise); idempotent. */
  free(): void;
}

/** Compiles `source`, renders it once with `data` and frees it. */
export declare function render(source: string, data?: TemplateData, options?: TemplateOptions): string;

/** The live backend: `"native"` (the Node addon) or `"wasm"`; `null` in a browser before {@link init}. */
export declare const backend: 'native' | 'wasm' | null;
/** The version of the Rust core; `null` in a browser before {@link init}. */
export declare const version: string | null;

/** What {@link init} can load the wasm module from. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the backend. Required once in browsers and edge runtimes before any other call
 * (it fetches `bridle_wasm_bg.wasm` from beside the package unless given a source); resolves
 * at once in Node and in Workers, where the backend loads on import.
 */
export declare function init(source?: WasmSource | Promise<WasmSource>): Promise<void>;
/** Loads the wasm module synchronously from a compiled module or its bytes (browsers, edge). */
export declare function initSync(source: BufferSource | WebAssembly.Module): void;

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
  | 'backend_unavailable'
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
/** The template source does not parse (`template_syntax`). Has `line`, `column` and `offset`. */
export declare class TemplateSyntaxError extends BridleError {}
/** Rendering failed (`template_render`, `missing_variable`). */
export declare class TemplateRenderError extends BridleError {}
/** An argument, option or data value is not acceptable (`invalid_argument`, `invalid_data`). */
export declare class InvalidArgumentError extends BridleError {}
/** The request names something this version does not support yet (`unsupported`). */
export declare class UnsupportedError extends BridleError {}
/** A resource limit stopped the work (`limit_exceeded`): nesting depth, output size; `details.limit` names it. */
export declare class LimitExceededError extends BridleError {}
/** A bug in Bridle, such as a panic caught at the boundary (`internal`); the module stays usable. */
export declare class InternalError extends BridleError {}
/** No backend could be loaded (`backend_unavailable`); `cause` is an `AggregateError` of every attempt. */
export declare class BackendLoadError extends BridleError {}

/** @internal Test hooks; not part of the supported API. */
export declare const _debug: {
  panic(message: string): never;
  memoryBytes(): number | undefined;
  liveTemplates(): number;
};
