// Each backend reports a core error as an `Error` whose message is the core's JSON error
// object ({code, message, line?, column?, offset?, details}); `fromBackendError` turns it into
// the subclass for its code, so the same input gives the same class, code and message
// whichever backend is live.

import {
  BridleError, TemplateSyntaxError, TemplateRenderError, InvalidArgumentError, UnsupportedError,
  LimitExceededError, InternalError, JsonParseError, SchemaError, GuardError, BackendLoadError,
  AuthError, RateLimitError, ContextLengthError, ContentFilterError, ServerError, NetworkError, TimeoutError,
  AbortedError, BadResponseError, BadRequestError, SpecialTokenError,
} from './errors.js';

const CLASS_BY_CODE = {
  template_syntax: TemplateSyntaxError,
  template_render: TemplateRenderError,
  missing_variable: TemplateRenderError,
  invalid_argument: InvalidArgumentError,
  invalid_data: InvalidArgumentError,
  unsupported: UnsupportedError,
  limit_exceeded: LimitExceededError,
  internal: InternalError,
  invalid_message: InvalidArgumentError,
  prompt_syntax: TemplateSyntaxError,
  json_parse: JsonParseError,
  schema: SchemaError,
  guard_blocked: GuardError,
  backend_unavailable: BackendLoadError,
  auth: AuthError,
  rate_limit: RateLimitError,
  context_length: ContextLengthError,
  content_filter: ContentFilterError,
  server: ServerError,
  network: NetworkError,
  timeout: TimeoutError,
  aborted: AbortedError,
  bad_response: BadResponseError,
  bad_request: BadRequestError,
  special_token: SpecialTokenError,
};

/** A `BridleError` of the subclass that goes with `code`. */
export function bridleError(code, message, fields = {}) {
  const cls = CLASS_BY_CODE[code] ?? BridleError;
  return new cls(message, { ...fields, code });
}

const PAYLOAD_PREFIX = '{"code":';

/** Converts what a backend threw into a `BridleError`; anything else is returned unchanged. */
export function fromBackendError(error) {
  const message = error?.message;
  if (typeof message === 'string' && message.startsWith(PAYLOAD_PREFIX)) {
    try {
      const { code, message: text, ...fields } = JSON.parse(message);
      return bridleError(code, text, fields);
    } catch {
      // Not one of ours after all: fall through and rethrow it as it is.
    }
  }
  return error;
}
