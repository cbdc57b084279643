// The error classes both backends throw. Each backend reports a core error as an `Error`
// whose message is the core's JSON error object ({code, message, line?, column?, offset?,
// details}); `fromBackendError` turns it into the subclass for its code, so the same input
// gives the same class, code and message whichever backend is live.

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

/** The template source does not parse (`template_syntax`); has `line`, `column`, `offset`. */
export class TemplateSyntaxError extends BridleError {}
/** Rendering failed (`template_render`, `missing_variable`). */
export class TemplateRenderError extends BridleError {}
/** An argument, option or data value is not acceptable (`invalid_argument`, `invalid_data`). */
export class InvalidArgumentError extends BridleError {}
/** The request names something this version does not support (`unsupported`). */
export class UnsupportedError extends BridleError {}
/** A bug in Bridle, e.g. a panic caught at the boundary (`internal`). */
export class InternalError extends BridleError {}
/** No backend could be loaded (`backend_unavailable`); `cause` lists every attempt. */
export class BackendLoadError extends BridleError {}

for (const cls of [BridleError, TemplateSyntaxError, TemplateRenderError, InvalidArgumentError,
  UnsupportedError, InternalError, BackendLoadError]) {
  // Set on the prototype so the name survives minifiers that rename classes.
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true });
}

const CLASS_BY_CODE = {
  template_syntax: TemplateSyntaxError,
  template_render: TemplateRenderError,
  missing_variable: TemplateRenderError,
  invalid_argument: InvalidArgumentError,
  invalid_data: InvalidArgumentError,
  unsupported: UnsupportedError,
  internal: InternalError,
  backend_unavailable: BackendLoadError,
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
