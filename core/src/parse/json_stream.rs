//! An incremental JSON parser for streamed model output: it keeps its state between chunks,
//! so the total work is linear in the text, and it reports what changed as a list of
//! operations that a consumer applies to a live value instead of re-materialising it.
//!
//! ```
//! use bridle::parse::json_stream::{JsonStream, StreamOptions};
//!
//! let mut stream = JsonStream::new(StreamOptions::default());
//! stream.push_str(r#"{"title": "Stre"#)?;
//! assert_eq!(stream.take_ops(), r#"[1,null,{},0,"title","Stre"]"#);
//! stream.push_str(r#"aming", "n": 4"#)?;
//! // A number is shown only when it is complete: `4` could still become `42`.
//! assert_eq!(stream.take_ops(), r#"[3,"title","aming"]"#);
//! stream.push_str("2}")?;
//! stream.end()?;
//! assert_eq!(stream.take_ops(), r#"[0,"n",42,2]"#);
//! # Ok::<(), bridle::Error>(())
//! ```
//!
//! # Operations
//! [`JsonStream::take_ops`] returns a JSON array of flat operations, each a code followed by
//! its arguments. `K` is the place in the innermost open container: a member name (a JSON
//! string), an array index, or `null` for the root value.
//!
//! | code | arguments | meaning |
//! |---|---|---|
//! | `0` | `K, value` | set `K` to a complete scalar, or to a string that is still growing |
//! | `1` | `K, {}` or `K, []` | set `K` to a new container and enter it |
//! | `2` | | leave the innermost container (it is complete) |
//! | `3` | `K, text` | append `text` to the string at `K` |
//! | `4` | `violation` | (with a schema) the first certain violation, `{path, keyword, message, schemaPath}` |
//!
//! Strings and numbers are copied into the operations exactly as they appear in the input
//! (escapes included), so parsing the operations with `JSON.parse` gives the same strings and
//! numbers as `JSON.parse` of the whole text, lone surrogate escapes included.
//!
//! # Guarantees
//! - Monotonic: a value once reported never changes except by growing (strings by appending,
//!   containers by new members). Numbers, `true`, `false` and `null` appear only complete;
//!   member names only complete.
//! - Chunks may split the text anywhere: inside escapes, inside `\uXXXX` and surrogate pairs
//!   (a high surrogate escape is held back until its pair arrives), and with
//!   [`JsonStream::push_bytes`] inside UTF-8 sequences.
//! - The first syntax error ends the stream with a `json_parse` error at its line and column;
//!   the operations reported before it stay valid.

use crate::error::{Error, ErrorKind, LocationCursor, Result};
use crate::parse::schema::stream::{Kind, StreamChecker};
use crate::parse::schema::{Schema, Violation};
use std::rc::Rc;

/// What to expose before it is complete.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Report strings while they grow (default) or only once closed.
    pub partial_strings: bool,
    /// Report objects and arrays as soon as they open (default) or only once closed, whole.
    pub partial_containers: bool,
    /// Skip any text before the first `{` or `[` (prose, a code fence) and ignore everything
    /// after the value ends. Off by default: then the text must be exactly one JSON value.
    pub extract: bool,
    /// The deepest nesting accepted; deeper input is a `limit_exceeded` error.
    pub max_depth: usize,
    /// The most text (UTF-8 bytes) the stream reads before the value completes; more is a
    /// `limit_exceeded` error, so a stream that never ends cannot take unbounded memory.
    pub max_bytes: usize,
}

/// [`StreamOptions::max_bytes`] by default: 64 MiB.
pub const DEFAULT_MAX_BYTES: usize = 64 << 20;

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            partial_strings: true,
            partial_containers: true,
            extract: false,
            max_depth: 10_000,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

impl StreamOptions {
    /// Options from JSON text: an object with any of `partialStrings`, `partialContainers`,
    /// `extract` (booleans), `maxDepth` and `maxBytes` (positive integers), as the bindings
    /// receive them.
    pub fn from_json(text: &str) -> Result<StreamOptions> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("JSON stream options are not JSON: {e}")))?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::new(ErrorKind::InvalidArgument, "JSON stream options must be an object"));
        };
        let mut options = StreamOptions::default();
        for (name, value) in &map {
            let flag = || {
                value.as_bool().ok_or_else(|| {
                    Error::new(ErrorKind::InvalidArgument, format!("JSON stream option '{name}' must be a boolean"))
                        .with_detail("option", name.as_str())
                })
            };
            // Saturating, so that wasm32's 32-bit usize reads a big limit as native does.
            let positive = || -> Result<usize> {
                let count = value.as_u64().filter(|&n| n > 0).ok_or_else(|| {
                    Error::new(ErrorKind::InvalidArgument, format!("JSON stream option '{name}' must be a positive integer"))
                        .with_detail("option", name.as_str())
                })?;
                Ok(usize::try_from(count).unwrap_or(usize::MAX))
            };
            match name.as_str() {
                "partialStrings" => options.partial_strings = flag()?,
                "partialContainers" => options.partial_containers = flag()?,
                "extract" => options.extract = flag()?,
                "maxDepth" => options.max_depth = positive()?,
                "maxBytes" => options.max_bytes = positive()?,
                _ => {
                    return Err(Error::new(ErrorKind::InvalidArgument, format!("unknown JSON stream option '{name}'"))
                        .with_detail("option", name.as_str()))
                }
            }
        }
        Ok(options)
    }
}

/// The incremental parser. Feed it with [`push_str`](Self::push_str) or
/// [`push_bytes`](Self::push_bytes), finish with [`end`](Self::end), and collect the
/// operations with [`take_ops`](Self::take_ops) whenever convenient.
#[derive(Debug)]
pub struct JsonStream {
    options: StreamOptions,
    state: State,
    frames: Vec<Frame>,
    /// The member name being read (raw, escapes as written).
    key: String,
    /// The string value being read, not yet reported (raw).
    text: String,
    /// Whether the string being read has been reported (so more text is an append).
    text_shown: bool,
    /// Where in `text` a high surrogate escape that ends it starts, to hold it back.
    high_surrogate_at: Option<usize>,
    escape: Escape,
    escape_text: [u8; 6],
    escape_len: usize,
    /// The escape being read is a high surrogate (`\uD800`–`\uDBFF`).
    pending_high: bool,
    number: String,
    literal: &'static [u8],
    literal_matched: usize,
    /// Bytes of an unfinished UTF-8 sequence from the previous `push_bytes`.
    utf8_pending: Vec<u8>,
    out: String,
    /// Operations inside a container reported only once closed.
    held: String,
    /// The depth at which holding began (0: not holding).
    hold_depth: usize,
    cursor: LocationCursor,
    failed: Option<Error>,
    ended: bool,
    /// Bytes of text read so far (for [`StreamOptions::max_bytes`]).
    read: usize,
    /// Streaming validation, when a schema was given.
    checker: Option<StreamChecker>,
    /// Whether the checker's violation went out as an operation.
    violation_reported: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `extract`: looking for the first `{` or `[`.
    Preamble,
    /// A value is expected; `]` is allowed too when this is the first place in an array.
    Value {
        array_start: bool,
    },
    /// A member name is expected; `}` is allowed too right after `{`.
    Key {
        object_start: bool,
    },
    InKey,
    Colon,
    InString,
    InNumber(Number),
    InLiteral,
    /// After a member or element: `,` or the container's end.
    AfterValue,
    /// The root value is complete.
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Minus,
    Zero,
    Int,
    Dot,
    Fraction,
    Exponent,
    ExponentSign,
    ExponentDigits,
}

impl Number {
    /// The state after a number's first character, if it can start one.
    fn start(byte: u8) -> Option<Number> {
        match byte {
            b'-' => Some(Number::Minus),
            b'0' => Some(Number::Zero),
            b'1'..=b'9' => Some(Number::Int),
            _ => None,
        }
    }

    /// The state after one more character of JSON's number grammar, if it continues the number.
    fn step(self, byte: u8) -> Option<Number> {
        Some(match (self, byte) {
            (Number::Minus, b'0') => Number::Zero,
            (Number::Minus, b'1'..=b'9') => Number::Int,
            (Number::Int, b'0'..=b'9') => Number::Int,
            (Number::Zero | Number::Int, b'.') => Number::Dot,
            (Number::Dot | Number::Fraction, b'0'..=b'9') => Number::Fraction,
            (Number::Zero | Number::Int | Number::Fraction, b'e' | b'E') => Number::Exponent,
            (Number::Exponent, b'+' | b'-') => Number::ExponentSign,
            (Number::Exponent | Number::ExponentSign | Number::ExponentDigits, b'0'..=b'9') => Number::ExponentDigits,
            _ => return None,
        })
    }

    fn is_complete(self) -> bool {
        matches!(self, Number::Zero | Number::Int | Number::Fraction | Number::ExponentDigits)
    }
}

/// Whether `raw` is exactly one number in JSON's grammar (the stream's own number rules).
pub(crate) fn is_json_number(raw: &str) -> bool {
    let mut bytes = raw.bytes();
    let Some(mut state) = bytes.next().and_then(Number::start) else { return false };
    for byte in bytes {
        match state.step(byte) {
            Some(next) => state = next,
            None => return false,
        }
    }
    state.is_complete()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    Backslash,
    /// `\u` and this many hex digits so far, with their value.
    Unicode(u8, u16),
}

#[derive(Debug)]
struct Frame {
    object: bool,
    /// Arrays: the index of the next element.
    next_index: u32,
}

const WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

impl JsonStream {
    /// A stream that has seen nothing yet.
    pub fn new(options: StreamOptions) -> JsonStream {
        let state = if options.extract { State::Preamble } else { State::Value { array_start: false } };
        JsonStream {
            options,
            state,
            frames: Vec::new(),
            key: String::new(),
            text: String::new(),
            text_shown: false,
            high_surrogate_at: None,
            escape: Escape::None,
            escape_text: [0; 6],
            escape_len: 0,
            pending_high: false,
            number: String::new(),
            literal: b"",
            literal_matched: 0,
            utf8_pending: Vec::new(),
            out: String::from("["),
            held: String::new(),
            hold_depth: 0,
            cursor: LocationCursor::new(),
            failed: None,
            ended: false,
            read: 0,
            checker: None,
            violation_reported: false,
        }
    }

    /// A stream that also checks the document against `schema` while it arrives: the first
    /// violation that is already certain is reported by [`JsonStream::violation`] and as an
    /// operation `4, {path, keyword, message, schemaPath}`.
    pub fn with_schema(options: StreamOptions, schema: Rc<Schema>) -> JsonStream {
        let mut stream = JsonStream::new(options);
        stream.checker = Some(StreamChecker::new(schema));
        stream
    }

    /// The first certain violation of the schema, once there is one.
    pub fn violation(&self) -> Option<&Violation> {
        self.checker.as_ref()?.violation()
    }

    /// Parses the next piece of text.
    pub fn push_str(&mut self, chunk: &str) -> Result<()> {
        self.check_usable()?;
        if !self.utf8_pending.is_empty() {
            return Err(self.fail_at_end(ErrorKind::JsonParse, "the previous bytes ended inside a UTF-8 sequence"));
        }
        self.feed(chunk)
    }

    /// Parses the next piece of UTF-8 bytes, which may end or start inside a character.
    pub fn push_bytes(&mut self, chunk: &[u8]) -> Result<()> {
        self.check_usable()?;
        let mut chunk = chunk;
        if !self.utf8_pending.is_empty() {
            // Complete the character split by the previous chunk, then go on as usual.
            let need = utf8_len(self.utf8_pending[0]) - self.utf8_pending.len();
            let take = need.min(chunk.len());
            self.utf8_pending.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if take < need {
                return Ok(());
            }
            let pending = std::mem::take(&mut self.utf8_pending);
            match std::str::from_utf8(&pending) {
                Ok(character) => self.feed(character)?,
                Err(_) => return Err(self.fail_at_end(ErrorKind::JsonParse, "the text is not valid UTF-8")),
            }
        }
        match std::str::from_utf8(chunk) {
            Ok(text) => self.feed(text),
            Err(error) if error.error_len().is_none() => {
                let valid = error.valid_up_to();
                let text = std::str::from_utf8(&chunk[..valid]).expect("checked prefix");
                self.feed(text)?;
                self.utf8_pending.extend_from_slice(&chunk[valid..]);
                Ok(())
            }
            Err(error) => {
                let valid = std::str::from_utf8(&chunk[..error.valid_up_to()]).expect("checked prefix");
                self.feed(valid)?;
                Err(self.fail_at_end(ErrorKind::JsonParse, "the text is not valid UTF-8"))
            }
        }
    }

    /// Ends the stream: the text seen must hold a complete value (a number at the root ends
    /// here). After `end`, the stream accepts nothing more.
    pub fn end(&mut self) -> Result<()> {
        self.check_usable()?;
        self.ended = true;
        if !self.utf8_pending.is_empty() {
            return Err(self.fail_at_end(ErrorKind::JsonParse, "the text ends inside a UTF-8 sequence"));
        }
        if let State::InNumber(number) = self.state {
            if self.frames.is_empty() && number.is_complete() {
                self.finish_number();
            }
        }
        match self.state {
            State::Done => Ok(()),
            State::Preamble => Err(self.fail_at_end(ErrorKind::JsonParse, "the text holds no JSON object or array")),
            _ => {
                let message = if self.frames.is_empty() && self.state == (State::Value { array_start: false }) {
                    "the text holds no JSON value"
                } else {
                    "the text ends before the JSON value is complete"
                };
                let error = Error::new(ErrorKind::JsonParse, message)
                    .with_location(self.cursor.location())
                    .with_detail("incomplete", true);
                self.failed = Some(error.copy());
                Err(error)
            }
        }
    }

    /// The operations since the last call, as a JSON array (see the module docs). Strings
    /// still being read are reported up to the text seen so far.
    pub fn take_ops(&mut self) -> String {
        if self.failed.is_none() {
            self.flush_string();
        }
        if !self.violation_reported {
            if let Some(violation) = self.checker.as_ref().and_then(StreamChecker::violation) {
                self.violation_reported = true;
                if self.out.len() > 1 {
                    self.out.push(',');
                }
                self.out.push_str("4,");
                self.out.push_str(&violation.to_json().to_string());
            }
        }
        self.out.push(']');
        std::mem::replace(&mut self.out, String::from("["))
    }

    /// Whether the root value is complete.
    pub fn is_complete(&self) -> bool {
        self.state == State::Done
    }

    /// The error that ended the stream, if one did.
    pub fn error(&self) -> Option<&Error> {
        self.failed.as_ref()
    }

    fn check_usable(&self) -> Result<()> {
        if let Some(error) = &self.failed {
            return Err(error.copy());
        }
        if self.ended {
            return Err(Error::new(ErrorKind::InvalidArgument, "the JSON stream has ended"));
        }
        Ok(())
    }

    fn feed(&mut self, chunk: &str) -> Result<()> {
        let room = self.options.max_bytes.saturating_sub(self.read);
        if chunk.len() > room && self.state != State::Done {
            // Read what fits, so the operations up to the limit are reported, then stop.
            let mut fits = room;
            while !chunk.is_char_boundary(fits) {
                fits -= 1;
            }
            self.feed(&chunk[..fits])?;
            if self.state != State::Done {
                // Unlike a syntax error, the text so far is sound: report a string in progress.
                self.flush_string();
                let error = Error::new(
                    ErrorKind::LimitExceeded,
                    format!("the JSON stream grew past {} bytes (the maxBytes option)", self.options.max_bytes),
                )
                .with_location(self.cursor.location())
                .with_detail("limit", "stream_bytes");
                self.failed = Some(error.copy());
                return Err(error);
            }
            return self.feed(&chunk[fits..]);
        }
        self.read += chunk.len();
        match self.parse(chunk) {
            Ok(()) => {
                self.cursor.advance(chunk);
                Ok(())
            }
            Err((at, kind, message)) => {
                let mut cursor = self.cursor.clone();
                cursor.advance(&chunk[..at]);
                let mut error = Error::new(kind, message).with_location(cursor.location());
                if kind == ErrorKind::LimitExceeded {
                    error = error.with_detail("limit", "depth");
                }
                if let Some(found) = chunk[at..].chars().next() {
                    error = error.with_detail("found", found.to_string());
                }
                self.failed = Some(error.copy());
                Err(error)
            }
        }
    }

    fn fail_at_end(&mut self, kind: ErrorKind, message: &str) -> Error {
        let error = Error::new(kind, message).with_location(self.cursor.location());
        self.failed = Some(error.copy());
        error
    }

    /// The state machine over one chunk. Errors are (byte index in the chunk, kind, message).
    fn parse(&mut self, chunk: &str) -> std::result::Result<(), (usize, ErrorKind, String)> {
        let bytes = chunk.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match self.state {
                State::InString => {
                    i = self.string_body(chunk, i, false)?;
                    continue;
                }
                State::InKey => {
                    i = self.string_body(chunk, i, true)?;
                    continue;
                }
                _ => {}
            }
            let byte = bytes[i];
            match self.state {
                State::Preamble => {
                    if byte == b'{' || byte == b'[' {
                        self.state = State::Value { array_start: false };
                        continue;
                    }
                }
                State::Value { array_start } => {
                    if !WHITESPACE[byte as usize] {
                        self.start_value(byte, array_start).map_err(|message| (i, ErrorKind::JsonParse, message))?;
                        if self.frames.len() > self.options.max_depth {
                            return Err((
                                i,
                                ErrorKind::LimitExceeded,
                                format!("the JSON nests deeper than {} levels", self.options.max_depth),
                            ));
                        }
                    }
                }
                State::Key { object_start } => match byte {
                    b'"' => {
                        self.key.clear();
                        self.state = State::InKey;
                    }
                    b'}' if object_start => self.close(),
                    _ if WHITESPACE[byte as usize] => {}
                    _ => {
                        return Err((
                            i,
                            ErrorKind::JsonParse,
                            expected(if object_start { "a member name or '}'" } else { "a member name" }),
                        ))
                    }
                },
                State::Colon => match byte {
                    b':' => self.state = State::Value { array_start: false },
                    _ if WHITESPACE[byte as usize] => {}
                    _ => return Err((i, ErrorKind::JsonParse, expected("':' after the member name"))),
                },
                State::InNumber(number) => {
                    let next = match number.step(byte) {
                        Some(next) => next,
                        None if number.is_complete() && !byte.is_ascii_digit() => {
                            self.finish_number();
                            continue; // the byte belongs to what follows the number
                        }
                        None => return Err((i, ErrorKind::JsonParse, "invalid number".to_owned())),
                    };
                    self.number.push(byte as char);
                    self.state = State::InNumber(next);
                }
                State::InLiteral => {
                    if byte != self.literal[self.literal_matched] {
                        return Err((
                            i,
                            ErrorKind::JsonParse,
                            format!("invalid literal; expected '{}'", std::str::from_utf8(self.literal).unwrap_or("")),
                        ));
                    }
                    self.literal_matched += 1;
                    if self.literal_matched == self.literal.len() {
                        let literal = std::str::from_utf8(self.literal).unwrap_or("null");
                        if let Some(checker) = self.checker.as_mut() {
                            checker.scalar_end(literal);
                        }
                        self.set_scalar(literal);
                        self.after_value();
                    }
                }
                State::AfterValue => match byte {
                    b',' => {
                        let object = self.frames.last().is_some_and(|frame| frame.object);
                        self.state =
                            if object { State::Key { object_start: false } } else { State::Value { array_start: false } };
                    }
                    b'}' if self.frames.last().is_some_and(|frame| frame.object) => self.close(),
                    b']' if self.frames.last().is_some_and(|frame| !frame.object) => self.close(),
                    _ if WHITESPACE[byte as usize] => {}
                    _ => {
                        let object = self.frames.last().is_some_and(|frame| frame.object);
                        return Err((
                            i,
                            ErrorKind::JsonParse,
                            expected(if object { "',' or '}' after a member" } else { "',' or ']' after an element" }),
                        ));
                    }
                },
                State::Done => {
                    if self.options.extract {
                        return Ok(()); // the rest is prose after the value
                    }
                    if !WHITESPACE[byte as usize] {
                        return Err((i, ErrorKind::JsonParse, "unexpected text after the JSON value".to_owned()));
                    }
                }
                State::InString | State::InKey => unreachable!("handled above"),
            }
            i += 1;
        }
        Ok(())
    }

    fn start_value(&mut self, byte: u8, array_start: bool) -> std::result::Result<(), String> {
        if let Some(checker) = self.checker.as_mut() {
            let kind = match byte {
                b'{' => Some(Kind::Object),
                b'[' => Some(Kind::Array),
                b'"' => Some(Kind::String),
                b'-' | b'0'..=b'9' => Some(Kind::Number),
                b't' | b'f' => Some(Kind::Boolean),
                b'n' => Some(Kind::Null),
                _ => None,
            };
            if let Some(kind) = kind {
                if self.frames.last().is_some_and(|frame| !frame.object) {
                    checker.item();
                }
                checker.value_start(kind);
            }
        }
        match byte {
            b'{' | b'[' => {
                let object = byte == b'{';
                self.begin_value();
                if !self.options.partial_containers && self.hold_depth == 0 {
                    self.hold_depth = self.frames.len() + 1;
                }
                self.op_key(1);
                self.sink().push_str(if object { ",{}" } else { ",[]" });
                self.frames.push(Frame { object, next_index: 0 });
                self.state = if object { State::Key { object_start: true } } else { State::Value { array_start: true } };
            }
            b'"' => {
                self.begin_value();
                self.text.clear();
                self.text_shown = false;
                self.high_surrogate_at = None;
                self.state = State::InString;
            }
            b'-' | b'0'..=b'9' => {
                self.begin_value();
                self.number.clear();
                self.number.push(byte as char);
                self.state = State::InNumber(Number::start(byte).expect("a digit or '-' starts a number"));
            }
            b't' | b'f' | b'n' => {
                self.begin_value();
                self.literal = match byte {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                self.literal_matched = 1;
                self.state = State::InLiteral;
            }
            b']' if array_start => self.close(),
            _ => return Err(expected(if array_start { "a value or ']'" } else { "a value" })),
        }
        Ok(())
    }

    /// Claims the next array index for the value starting now.
    fn begin_value(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
            if !frame.object {
                frame.next_index += 1;
            }
        }
    }

    /// Reads string content from `chunk[start..]` into the key or the value text; returns
    /// where it stopped (after the closing quote, or the chunk's end).
    fn string_body(
        &mut self,
        chunk: &str,
        start: usize,
        key: bool,
    ) -> std::result::Result<usize, (usize, ErrorKind, String)> {
        let bytes = chunk.as_bytes();
        let mut i = start;
        let mut run = start;
        while i < bytes.len() {
            let byte = bytes[i];
            if self.escape != Escape::None {
                self.escape_byte(byte).map_err(|message| (i, ErrorKind::JsonParse, message))?;
                i += 1;
                run = i;
                if self.escape == Escape::None {
                    self.commit_escape(key);
                }
                continue;
            }
            match byte {
                b'"' => {
                    self.append_raw(&chunk[run..i], key);
                    self.end_string(key);
                    return Ok(i + 1);
                }
                b'\\' => {
                    self.append_raw(&chunk[run..i], key);
                    self.escape = Escape::Backslash;
                    self.escape_text[0] = b'\\';
                    self.escape_len = 1;
                    i += 1;
                    run = i;
                }
                0..=0x1f => {
                    return Err((
                        i,
                        ErrorKind::JsonParse,
                        "a control character must be escaped inside a JSON string".to_owned(),
                    ))
                }
                _ => i += 1,
            }
        }
        self.append_raw(&chunk[run..i], key);
        Ok(i)
    }

    fn escape_byte(&mut self, byte: u8) -> std::result::Result<(), String> {
        self.escape_text[self.escape_len] = byte;
        self.escape_len += 1;
        self.escape = match self.escape {
            Escape::Backslash => match byte {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Escape::None,
                b'u' => Escape::Unicode(0, 0),
                _ => return Err("invalid escape in a JSON string".to_owned()),
            },
            Escape::Unicode(digits, value) => {
                let digit =
                    (byte as char).to_digit(16).ok_or_else(|| "invalid \\u escape: expected four hex digits".to_owned())?;
                let value = value << 4 | digit as u16;
                if digits == 3 {
                    Escape::None
                } else {
                    Escape::Unicode(digits + 1, value)
                }
            }
            Escape::None => unreachable!("called inside an escape"),
        };
        if self.escape == Escape::None && self.escape_len == 6 {
            // Remember a high surrogate at the end so a flush can hold it back for its pair.
            let value = u16::from_str_radix(std::str::from_utf8(&self.escape_text[2..6]).unwrap_or("0"), 16).unwrap_or(0);
            self.pending_high = (0xD800..0xDC00).contains(&value);
        }
        Ok(())
    }

    fn commit_escape(&mut self, key: bool) {
        let escape = std::str::from_utf8(&self.escape_text[..self.escape_len]).expect("ASCII escape");
        if key {
            self.key.push_str(escape);
        } else {
            if let Some(checker) = self.checker.as_mut() {
                checker.string_text(escape);
            }
            let at = self.text.len();
            self.text.push_str(escape);
            self.high_surrogate_at = if self.pending_high { Some(at) } else { None };
        }
        self.pending_high = false;
        self.escape_len = 0;
    }

    fn append_raw(&mut self, raw: &str, key: bool) {
        if raw.is_empty() {
            return;
        }
        if key {
            self.key.push_str(raw);
        } else {
            if let Some(checker) = self.checker.as_mut() {
                checker.string_text(raw);
            }
            self.text.push_str(raw);
            self.high_surrogate_at = None;
        }
    }

    fn end_string(&mut self, key: bool) {
        if key {
            if let Some(checker) = self.checker.as_mut() {
                checker.member(&self.key);
            }
            self.state = State::Colon;
            return;
        }
        if let Some(checker) = self.checker.as_mut() {
            checker.string_end();
        }
        if self.text_shown {
            if !self.text.is_empty() {
                self.op_key(3);
                self.push_string_text();
            }
        } else {
            self.op_key(0);
            self.push_string_text();
        }
        self.text.clear();
        self.after_value();
    }

    /// Reports the string being read so far (end of a push, or before `take_ops`).
    fn flush_string(&mut self) {
        if self.state != State::InString || !self.options.partial_strings || self.hold_depth != 0 {
            return;
        }
        // Hold back a trailing high surrogate escape: shown alone it would be half a character.
        let upto = match self.high_surrogate_at {
            Some(at) if at + 6 == self.text.len() => at,
            _ => self.text.len(),
        };
        if self.text_shown && upto == 0 {
            return;
        }
        let rest = self.text.split_off(upto);
        self.op_key(if self.text_shown { 3 } else { 0 });
        self.push_string_text();
        self.text = rest;
        self.high_surrogate_at = if self.text.is_empty() { None } else { Some(0) };
        self.text_shown = true;
    }

    fn push_string_text(&mut self) {
        let sink = if self.hold_depth > 0 { &mut self.held } else { &mut self.out };
        sink.push_str(",\"");
        sink.push_str(&self.text);
        sink.push('"');
    }

    fn finish_number(&mut self) {
        let number = std::mem::take(&mut self.number);
        if let Some(checker) = self.checker.as_mut() {
            checker.scalar_end(&number);
        }
        self.set_scalar(&number);
        self.number = number;
        self.after_value();
    }

    fn set_scalar(&mut self, raw: &str) {
        self.op_key(0);
        let sink = self.sink();
        sink.push(',');
        sink.push_str(raw);
    }

    fn after_value(&mut self) {
        self.state = if self.frames.is_empty() { State::Done } else { State::AfterValue };
    }

    fn close(&mut self) {
        if let Some(checker) = self.checker.as_mut() {
            checker.close();
        }
        let depth = self.frames.len();
        self.begin_op();
        self.sink().push('2');
        if self.hold_depth == depth {
            // The held container is complete: report it whole.
            self.hold_depth = 0;
            let held = std::mem::take(&mut self.held);
            if self.out.len() > 1 {
                self.out.push(',');
            }
            self.out.push_str(&held);
        }
        self.frames.pop();
        self.after_value();
    }

    /// Separates the next operation from the previous one.
    fn begin_op(&mut self) {
        let holding = self.hold_depth > 0;
        let sink = if holding { &mut self.held } else { &mut self.out };
        if sink.len() > usize::from(!holding) {
            sink.push(',');
        }
    }

    fn sink(&mut self) -> &mut String {
        if self.hold_depth > 0 {
            &mut self.held
        } else {
            &mut self.out
        }
    }

    /// Starts an operation: its code and the place `K` of the current value.
    fn op_key(&mut self, code: u8) {
        self.begin_op();
        let sink = if self.hold_depth > 0 { &mut self.held } else { &mut self.out };
        sink.push((b'0' + code) as char);
        sink.push(',');
        match self.frames.last() {
            None => sink.push_str("null"),
            Some(frame) if frame.object => {
                sink.push('"');
                sink.push_str(&self.key);
                sink.push('"');
            }
            Some(frame) => {
                use std::fmt::Write;
                let _ = write!(sink, "{}", frame.next_index - 1);
            }
        }
    }
}

fn expected(what: &str) -> String {
    format!("unexpected character; expected {what}")
}

/// The length of the UTF-8 sequence a leading byte starts (1 for a stray byte, which then
/// fails validation).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}
