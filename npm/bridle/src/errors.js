// The error classes both backends throw (public; translate.js maps codes to them).

export class BridleError extends Error {
  constructor(message, { code = 'internal', line, column, offset, details, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    if (line !== undefined) {
      this.line = line;
      this.column = column;
      this.offset = offset;
    }
    this.details = details ?? {};
  }
}

/** The template source or a prompt file does not parse (`template_syntax`, `prompt_syntax`); has `line`, `column`, `offset`. */
export class TemplateSyntaxError extends BridleError {}
/** Rendering failed (`template_render`, `missing_variable`). */
export class TemplateRenderError extends BridleError {}
/** An argument, option, data value or message is not acceptable (`invalid_argument`, `invalid_data`, `invalid_message`). */
export class InvalidArgumentError extends BridleError {}
/** The request names something this version does not support (`unsupported`). */
export class UnsupportedError extends BridleError {}
/** A resource limit stopped the work (`limit_exceeded`); `details.limit` names it. */
export class LimitExceededError extends BridleError {}
/** A bug in Bridle, e.g. a panic caught at the boundary (`internal`). */
export class InternalError extends BridleError {}
/** Text that should be JSON is not (`json_parse`); has `line`, `column`, `offset` where there is a place. */
export class JsonParseError extends BridleError {}
/** A value does not satisfy its JSON Schema (`schema`); `details.errors` lists the violations. */
export class SchemaError extends BridleError {}
/** A guard's `block` check failed (`guard_blocked`); `details.failures` and `details.findings` say what was found. */
export class GuardError extends BridleError {}
/** No backend could be loaded (`backend_unavailable`); `cause` lists every attempt. */
export class BackendLoadError extends BridleError {}
/**
 * A model call failed; the subclass says how. `details` holds what is known: `provider`, `status`,
 * `providerCode`, `requestId`, `retryAfter` (ms), `attempts`.
 */
export class ModelError extends BridleError {}
/** The provider refused the credentials (`auth`, HTTP 401/403). */
export class AuthError extends ModelError {}
/** The provider is rate limiting and retries did not get through (`rate_limit`, HTTP 429). */
export class RateLimitError extends ModelError {}
/** The prompt is longer than the model's context window (`context_length`). */
export class ContextLengthError extends ModelError {}
/** The provider refused the prompt or the answer on content grounds (`content_filter`). */
export class ContentFilterError extends ModelError {}
/** The provider failed (`server`: HTTP 5xx, overloaded, 409). */
export class ServerError extends ModelError {}
/** The request did not reach the provider or the connection broke (`network`). */
export class NetworkError extends ModelError {}
/** The call went quiet for longer than its timeout (`timeout`, also HTTP 408). */
export class TimeoutError extends ModelError {}
/** The caller aborted the call through its AbortSignal (`aborted`); `cause` is the signal's reason. */
export class AbortedError extends ModelError {}
/** The provider's answer is not in its documented format (`bad_response`). */
export class BadResponseError extends ModelError {}
/** The provider rejected the request itself (`bad_request`, HTTP 400/404/422). */
export class BadRequestError extends ModelError {}
/** The text holds a special token (`<|endoftext|>` ...) that the call does not allow; `details.token`, `details.offset`. */
export class SpecialTokenError extends BridleError {}

for (const cls of [BridleError, TemplateSyntaxError, TemplateRenderError, InvalidArgumentError,
  UnsupportedError, LimitExceededError, InternalError, JsonParseError, SchemaError, GuardError, BackendLoadError,
  ModelError, AuthError, RateLimitError, ContextLengthError, ContentFilterError, ServerError, NetworkError, TimeoutError,
  AbortedError, BadResponseError, BadRequestError, SpecialTokenError]) {
  // Set on the prototype so the name survives minifiers that rename classes.
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true });
}
