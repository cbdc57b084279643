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

for (const cls of [BridleError, TemplateSyntaxError, TemplateRenderError, InvalidArgumentError,
  UnsupportedError, LimitExceededError, InternalError, JsonParseError, SchemaError, GuardError, BackendLoadError]) {
  // Set on the prototype so the name survives minifiers that rename classes.
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true });
}
