//! One error type for the whole crate: a stable [`ErrorKind`] with a code string, a message,
//! and where there is one, the [`Location`] in the source that caused it.

use serde_json::{Map, Value};
use std::fmt;

/// A `Result` whose error is Bridle's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as a closed set of stable codes.
///
/// New kinds may be added in minor releases, so match with a wildcard arm. The string from
/// [`ErrorKind::code`] never changes for an existing kind: JavaScript receives it as
/// `BridleError.code`, and users branch on it.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The template source does not parse (`template_syntax`). Carries a location.
    TemplateSyntax,
    /// The template parsed but could not be rendered with the given data (`template_render`).
    TemplateRender,
    /// Rendering read a variable that the data does not hold (`missing_variable`).
    /// `details.variable` names it; the location is its first use in the template.
    MissingVariable,
    /// The data handed to a call is not of an accepted shape (`invalid_data`), e.g. template
    /// data that is not an object.
    InvalidData,
    /// An argument or option is not valid (`invalid_argument`), e.g. an unknown syntax name.
    InvalidArgument,
    /// The request names something this build does not support yet (`unsupported`).
    Unsupported,
    /// A resource limit stopped the work (`limit_exceeded`): nesting depth, output size.
    /// `details.limit` names the limit.
    LimitExceeded,
    /// A bug in Bridle: a panic caught at the boundary, or a broken invariant (`internal`).
    Internal,
    /// A chat message or message list is not valid (`invalid_message`): an unknown role, a
    /// tool result without its call, empty content where a provider forbids it.
    /// `details.index` is the message's position when there is one.
    InvalidMessage,
    /// A prompt file (`.prompt`, `.prompty`) does not parse (`prompt_syntax`): bad YAML front
    /// matter, an unknown field, a bad schema. Carries a location in the file.
    PromptSyntax,
    /// Text that should be JSON is not (`json_parse`): a syntax error, a truncated document at
    /// its end, or nothing JSON-like in a model's answer. Carries a location in the text.
    JsonParse,
    /// A value does not satisfy a JSON Schema where the call demands that it does (`schema`).
    /// `details.errors` lists the violations as `{ path, keyword, message }`.
    Schema,
    /// A guard with a `block` action found what it checks for (`guard_blocked`).
    /// `details.findings` lists the findings, `details.failures` the failed checks.
    GuardBlocked,
    /// The provider refused the credentials (`auth`): a missing, invalid or unauthorised API
    /// key (HTTP 401 and 403). `details.status` holds the HTTP status.
    Auth,
    /// The provider is rate limiting (`rate_limit`, HTTP 429) and retries did not get through.
    /// `details.retryAfter` is the wait the provider asked for, in milliseconds, when it said.
    RateLimit,
    /// The prompt is longer than the model's context window (`context_length`).
    ContextLength,
    /// The provider refused the prompt or the answer on content grounds (`content_filter`).
    ContentFilter,
    /// The provider failed (`server`): HTTP 5xx, overloaded, a conflict (409).
    Server,
    /// The request did not reach the provider or the connection broke (`network`).
    Network,
    /// A request or a stream went quiet for longer than its timeout (`timeout`, also HTTP 408).
    Timeout,
    /// The caller cancelled the call through its `AbortSignal` (`aborted`).
    Aborted,
    /// The provider answered with something that is not its documented format (`bad_response`):
    /// not JSON, missing fields, a stream that ended before the answer did.
    BadResponse,
    /// The provider rejected the request itself (`bad_request`, HTTP 400, 404, 422): an unknown
    /// model, a bad parameter. `details.providerCode` and the message are the provider's.
    BadRequest,
    /// The text holds a special token (`<|endoftext|>` ...) that the call does not allow
    /// (`special_token`), as tiktoken refuses it by default. `details.token` names it and
    /// `details.offset` is where it starts (UTF-16).
    SpecialToken,
}

impl ErrorKind {
    /// The stable code string of this kind, identical in Rust and in both JavaScript backends.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::TemplateSyntax => "template_syntax",
            ErrorKind::TemplateRender => "template_render",
            ErrorKind::MissingVariable => "missing_variable",
            ErrorKind::InvalidData => "invalid_data",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::LimitExceeded => "limit_exceeded",
            ErrorKind::Internal => "internal",
            ErrorKind::InvalidMessage => "invalid_message",
            ErrorKind::PromptSyntax => "prompt_syntax",
            ErrorKind::JsonParse => "json_parse",
            ErrorKind::Schema => "schema",
            ErrorKind::GuardBlocked => "guard_blocked",
            ErrorKind::Auth => "auth",
            ErrorKind::RateLimit => "rate_limit",
            ErrorKind::ContextLength => "context_length",
            ErrorKind::ContentFilter => "content_filter",
            ErrorKind::Server => "server",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::BadResponse => "bad_response",
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::SpecialToken => "special_token",
        }
    }
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 24] = [
        ErrorKind::TemplateSyntax,
        ErrorKind::TemplateRender,
        ErrorKind::MissingVariable,
        ErrorKind::InvalidData,
        ErrorKind::InvalidArgument,
        ErrorKind::Unsupported,
        ErrorKind::LimitExceeded,
        ErrorKind::Internal,
        ErrorKind::InvalidMessage,
        ErrorKind::PromptSyntax,
        ErrorKind::JsonParse,
        ErrorKind::Schema,
        ErrorKind::GuardBlocked,
        ErrorKind::Auth,
        ErrorKind::RateLimit,
        ErrorKind::ContextLength,
        ErrorKind::ContentFilter,
        ErrorKind::Server,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Aborted,
        ErrorKind::BadResponse,
        ErrorKind::BadRequest,
        ErrorKind::SpecialToken,
    ];

    /// The kind whose [`code`](ErrorKind::code) is `code`.
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A position in a source text.
///
/// `line` and `column` are 1-based. `column` and `offset` count UTF-16 code units, the unit of
/// JavaScript strings and of most editors, so `source.slice(offset)` in JavaScript starts at the
/// reported place. `byte_offset` is the same place in the UTF-8 text, for Rust callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    /// 1-based line number; lines end at `\n` (so `\r\n` counts once).
    pub line: u32,
    /// 1-based column, in UTF-16 code units from the start of the line.
    pub column: u32,
    /// 0-based offset from the start of the source, in UTF-16 code units.
    pub offset: usize,
    /// 0-based offset from the start of the source, in bytes of UTF-8.
    pub byte_offset: usize,
}

impl Location {
    /// The location of `byte_offset` in `source`. Linear in the offset; meant for error paths.
    ///
    /// `byte_offset` must lie on a character boundary of `source` (it is clamped to its length).
    pub fn in_source(source: &str, byte_offset: usize) -> Location {
        let byte_offset = byte_offset.min(source.len());
        let mut cursor = LocationCursor::new();
        cursor.advance(&source[..byte_offset]);
        cursor.location()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Tracks a [`Location`] while a parser walks forward through a source, so that positions
/// cost one pass in total rather than one pass per position.
#[derive(Debug, Clone)]
pub(crate) struct LocationCursor {
    line: u32,
    utf16: usize,
    line_start_utf16: usize,
    bytes: usize,
}

impl LocationCursor {
    pub(crate) fn new() -> Self {
        LocationCursor { line: 1, utf16: 0, line_start_utf16: 0, bytes: 0 }
    }

    /// Moves the cursor past `text`, which must be the source's next bytes.
    pub(crate) fn advance(&mut self, text: &str) {
        self.bytes += text.len();
        if text.is_ascii() {
            // The common case: one code unit per byte, newlines found with a byte scan.
            let base = self.utf16;
            for (i, b) in text.bytes().enumerate() {
                if b == b'\n' {
                    self.line += 1;
                    self.line_start_utf16 = base + i + 1;
                }
            }
            self.utf16 += text.len();
            return;
        }
        for c in text.chars() {
            self.utf16 += c.len_utf16();
            if c == '\n' {
                self.line += 1;
                self.line_start_utf16 = self.utf16;
            }
        }
    }

    pub(crate) fn location(&self) -> Location {
        Location {
            line: self.line,
            column: (self.utf16 - self.line_start_utf16 + 1) as u32,
            offset: self.utf16,
            byte_offset: self.bytes,
        }
    }
}

/// Bridle's error: a kind with a stable code, a human-readable message, and where it applies
/// a source location and structured details.
///
/// ```
/// use bridle::{ErrorKind, Template, TemplateOptions};
///
/// let err = Template::compile("Hello {name", &TemplateOptions::default()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::TemplateSyntax);
/// assert_eq!(err.kind().code(), "template_syntax");
/// assert_eq!(err.location().map(|l| (l.line, l.column)), Some((1, 7)));
/// ```
#[derive(Debug)]
pub struct Error(Box<Inner>);

// Boxed so that `Result<T, Error>` stays one pointer wide on the hot, successful path.
#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    message: String,
    location: Option<Location>,
    details: Map<String, Value>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// A copy of this error without its `source` (which need not be cloneable), for state
    /// machines that report the same failure to every later call.
    pub(crate) fn copy(&self) -> Error {
        let inner = &self.0;
        Error(Box::new(Inner {
            kind: inner.kind,
            message: inner.message.clone(),
            location: inner.location,
            details: inner.details.clone(),
            source: None,
        }))
    }

    /// A new error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner { kind, message: message.into(), location: None, details: Map::new(), source: None }))
    }

    /// Attaches the source location the error refers to.
    pub fn with_location(mut self, location: Location) -> Error {
        self.0.location = Some(location);
        self
    }

    /// Attaches one structured detail (for example the name of a missing variable).
    pub fn with_detail(mut self, key: &str, value: impl Into<Value>) -> Error {
        self.0.details.insert(key.to_owned(), value.into());
        self
    }

    /// Attaches `details.excerpt` when the error has a location in `source`: the line it is on
    /// (a window of it, for long lines) and a caret under the place, as two lines of text.
    pub fn with_excerpt(mut self, source: &str) -> Error {
        if let Some(location) = self.location() {
            if !self.0.details.contains_key("excerpt") && location.byte_offset <= source.len() {
                let excerpt = excerpt(source, location.byte_offset);
                self.0.details.insert("excerpt".to_owned(), excerpt.into());
            }
        }
        self
    }

    /// Attaches the lower-level error that caused this one.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.0.source = Some(Box::new(source));
        self
    }

    /// The kind of error; `kind().code()` is the stable code string.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, without the location (which [`fmt::Display`] appends).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Where in the source the error is, if it refers to a source.
    pub fn location(&self) -> Option<Location> {
        self.0.location
    }

    /// Structured details, e.g. `{"variable": "name"}` for [`ErrorKind::MissingVariable`].
    pub fn details(&self) -> &Map<String, Value> {
        &self.0.details
    }

    /// The error as one JSON object: `{code, message, line?, column?, offset?, details}`.
    ///
    /// This is the shape both JavaScript bindings hand to the facade, which turns it into a
    /// `BridleError`; sharing it here is what keeps the two backends' errors identical.
    pub fn to_json(&self) -> String {
        let mut object = Map::new();
        object.insert("code".into(), self.kind().code().into());
        object.insert("message".into(), self.to_string().into());
        if let Some(location) = self.location() {
            object.insert("line".into(), location.line.into());
            object.insert("column".into(), location.column.into());
            object.insert("offset".into(), location.offset.into());
        }
        object.insert("details".into(), Value::Object(self.details().clone()));
        Value::Object(object).to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())?;
        if let Some(location) = self.location() {
            write!(f, " (at {location})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The line of `source` holding `byte_offset` (at most 60 characters before the place and 40
/// after), then a caret under the place.
fn excerpt(source: &str, byte_offset: usize) -> String {
    let mut at = byte_offset.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[at..].find(['\n', '\r']).map_or(source.len(), |i| at + i);
    let before: Vec<char> = source[line_start..at].chars().collect();
    let shown_before = &before[before.len().saturating_sub(60)..];
    let after: String = source[at..line_end].chars().take(40).collect();
    let mut text: String = shown_before.iter().collect();
    text.push_str(&after);
    let caret: String = shown_before.iter().map(|&c| if c == '\t' { '\t' } else { ' ' }).collect();
    format!("{text}\n{caret}^")
}

/// A panic described in one line, `message (at file:line:column)`, the form both bindings use
/// for the `internal` error they report in its place.
pub fn describe_panic(info: &std::panic::PanicHookInfo<'_>) -> String {
    let message = info.payload_as_str().unwrap_or("panic with a non-string payload");
    match info.location() {
        Some(at) => format!("internal error (panic): {message} (at {}:{}:{})", at.file(), at.line(), at.column()),
        None => format!("internal error (panic): {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_utf16_columns() {
        let source = "ab\ncé😀x\r\nz";
        let at = |needle: &str| Location::in_source(source, source.find(needle).unwrap());
        assert_eq!(at("a"), Location { line: 1, column: 1, offset: 0, byte_offset: 0 });
        assert_eq!(at("c"), Location { line: 2, column: 1, offset: 3, byte_offset: 3 });
        // 😀 is two UTF-16 code units and four bytes.
        assert_eq!(at("x"), Location { line: 2, column: 5, offset: 7, byte_offset: 10 });
        assert_eq!(at("z"), Location { line: 3, column: 1, offset: 10, byte_offset: 13 });
    }

    #[test]
    fn excerpts_show_the_line_and_a_caret() {
        let source = "first\n\tab {x\nlast";
        let err =
            Error::new(ErrorKind::TemplateSyntax, "m").with_location(Location::in_source(source, 10)).with_excerpt(source);
        assert_eq!(err.details()["excerpt"], "\tab {x\n\t   ^");
        let long = format!("{}{{x{}", "a".repeat(100), "b".repeat(100));
        let err =
            Error::new(ErrorKind::TemplateSyntax, "m").with_location(Location::in_source(&long, 100)).with_excerpt(&long);
        let excerpt = err.details()["excerpt"].as_str().unwrap().to_owned();
        let (line, caret) = excerpt.split_once('\n').unwrap();
        assert_eq!(line.len(), 100);
        assert_eq!(caret.len(), 61);
        assert_eq!(&line[60..62], "{x");
    }

    #[test]
    fn json_shape_has_code_location_and_details() {
        let err = Error::new(ErrorKind::MissingVariable, "missing variable 'x'")
            .with_location(Location::in_source("{x}", 0))
            .with_detail("variable", "x");
        let json: Value = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(json["code"], "missing_variable");
        assert_eq!(json["message"], "missing variable 'x' (at line 1, column 1)");
        assert_eq!(json["line"], 1);
        assert_eq!(json["column"], 1);
        assert_eq!(json["offset"], 0);
        assert_eq!(json["details"]["variable"], "x");
    }
}
