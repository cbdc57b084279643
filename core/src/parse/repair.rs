//! Repairing and finding JSON in what models write: trailing commas, single or curly quotes,
//! unquoted keys, comments, Python literals, `NaN`, unescaped newlines, missing commas, and
//! output cut off mid-value, each reported as a [`Repair`] with its place in the text; and
//! [`extract_json`], which finds the JSON in chatty output (code fences, prose around it,
//! several candidates).
//!
//! ```
//! use bridle::parse::repair::repair_json;
//!
//! let repaired = repair_json("{name: 'Ada', tags: ['x',], done: True, // a comment\n")?;
//! assert_eq!(repaired.json, r#"{"name":"Ada","tags":["x"],"done":true}"#);
//! let kinds: Vec<_> = repaired.repairs.iter().map(|r| r.kind.code()).collect();
//! assert_eq!(kinds, ["unquoted_key", "single_quotes", "unquoted_key", "single_quotes", "trailing_comma", "unquoted_key", "python_literal", "truncated", "comment"]);
//! # Ok::<(), bridle::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Location, LocationCursor, Result};
use crate::parse::json_stream::is_json_number;
use serde_json::{Map, Value};

/// What a repair fixed. New kinds may be added.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairKind {
    /// `// ...` or `/* ... */` removed.
    Comment,
    /// A comma before `]` or `}` removed.
    TrailingComma,
    /// A comma inserted between two values.
    MissingComma,
    /// A colon inserted between a member name and its value.
    MissingColon,
    /// A string in single quotes requoted.
    SingleQuotes,
    /// A string in typographic quotes (`“…”`) requoted.
    SmartQuotes,
    /// A member name without quotes quoted.
    UnquotedKey,
    /// `True`, `False`, `None` written as `true`, `false`, `null`.
    PythonLiteral,
    /// `undefined` written as `null`.
    Undefined,
    /// `NaN`, `Infinity` or `-Infinity` written as `null` (JSON has no such numbers).
    NonFiniteNumber,
    /// A number JSON does not allow (`+1`, `01`, `.5`, `5.`, `0x1F`) rewritten.
    NumberFormat,
    /// A backslash before a character that is not an escape kept as a backslash.
    InvalidEscape,
    /// A raw newline, tab or other control character in a string escaped.
    UnescapedControl,
    /// The text ended inside the value: open strings, arrays and objects closed, an unfinished
    /// member dropped, a cut literal completed.
    Truncated,
    /// Text before the value skipped (prose, an opening code fence).
    LeadingText,
    /// Text after the value ignored (prose, a closing code fence).
    TrailingText,
}

impl RepairKind {
    /// The stable code of this kind (`"trailing_comma"`, ...), as JavaScript sees it.
    pub fn code(self) -> &'static str {
        match self {
            RepairKind::Comment => "comment",
            RepairKind::TrailingComma => "trailing_comma",
            RepairKind::MissingComma => "missing_comma",
            RepairKind::MissingColon => "missing_colon",
            RepairKind::SingleQuotes => "single_quotes",
            RepairKind::SmartQuotes => "smart_quotes",
            RepairKind::UnquotedKey => "unquoted_key",
            RepairKind::PythonLiteral => "python_literal",
            RepairKind::Undefined => "undefined",
            RepairKind::NonFiniteNumber => "non_finite_number",
            RepairKind::NumberFormat => "number_format",
            RepairKind::InvalidEscape => "invalid_escape",
            RepairKind::UnescapedControl => "unescaped_control",
            RepairKind::Truncated => "truncated",
            RepairKind::LeadingText => "leading_text",
            RepairKind::TrailingText => "trailing_text",
        }
    }
}

/// One repair: what, and where in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// What was fixed.
    pub kind: RepairKind,
    /// Where (line, column and offset in UTF-16 units, and the byte offset).
    pub location: Location,
}

/// The result of a repair: valid JSON text and what was done to get it.
#[derive(Debug, Clone)]
pub struct Repaired {
    /// Valid, compact JSON.
    pub json: String,
    /// The repairs made, in text order; empty when the input was valid JSON.
    pub repairs: Vec<Repair>,
    /// Where the value starts and ends in the input (byte offsets; `end` is exclusive).
    pub span: (usize, usize),
}

impl Repaired {
    /// As JSON for the bindings: `{"json": ..., "repairs": [{kind, line, column, offset}], "start", "end"}`
    /// with offsets in UTF-16 units.
    pub fn to_json(&self, source: &str) -> String {
        let repairs: Vec<Value> = self
            .repairs
            .iter()
            .map(|r| serde_json::json!({"kind": r.kind.code(), "line": r.location.line, "column": r.location.column, "offset": r.location.offset}))
            .collect();
        let start = Location::in_source(source, self.span.0).offset;
        let end = start + source[self.span.0..self.span.1].encode_utf16().count();
        let mut out = Map::new();
        out.insert("json".into(), Value::String(self.json.clone()));
        out.insert("repairs".into(), Value::Array(repairs));
        out.insert("start".into(), start.into());
        out.insert("end".into(), end.into());
        Value::Object(out).to_string()
    }
}

/// The deepest nesting a repair follows; deeper input is a `limit_exceeded` error.
const MAX_DEPTH: usize = 512;

/// Repairs `text`, which should hold one JSON value (with whitespace and comments around it).
/// Text after the value is an error; use [`extract_json`] for chatty output.
pub fn repair_json(text: &str) -> Result<Repaired> {
    let mut repairer = Repairer::new(text);
    repairer.skip_space()?;
    if repairer.pos >= text.len() {
        return Err(Error::new(ErrorKind::JsonParse, "the text holds no JSON value")
            .with_location(Location::in_source(text, text.len())));
    }
    let start = repairer.pos;
    repairer.value(0)?;
    let end = repairer.pos;
    repairer.skip_space()?;
    if repairer.pos < text.len() {
        return Err(repairer.error("unexpected text after the JSON value"));
    }
    Ok(repairer.finish((start, end)))
}

/// Finds the JSON value in a model's answer: the first fenced code block (```` ```json ````
/// first) that holds one, else the first `{` or `[` from which a value can be read (repairing
/// it, cutting trailing text). Prose around it is reported as `leading_text` /
/// `trailing_text` repairs. No value anywhere is a `json_parse` error.
pub fn extract_json(text: &str) -> Result<Repaired> {
    let mut candidates = extract_candidates(text, 1)?;
    candidates.pop().ok_or_else(|| {
        Error::new(ErrorKind::JsonParse, "the text holds no JSON object or array").with_detail("candidates", 0)
    })
}

/// As JSON for the bindings: `extract_json` as one object, or with `limit` above 1 an array of
/// every value found (at most `limit`); errors as for [`extract_json`].
pub fn extract_json_json(text: &str, limit: usize) -> Result<String> {
    if limit <= 1 {
        return Ok(extract_json(text)?.to_json(text));
    }
    let all: Vec<String> = extract_all_json(text, limit)?.iter().map(|r| r.to_json(text)).collect();
    Ok(format!("[{}]", all.join(",")))
}

/// Every JSON value in `text`, in order (at most `limit`), found as [`extract_json`] finds the
/// first. A value nested past the depth limit is a `limit_exceeded` error, not skipped for the
/// values inside it.
pub fn extract_all_json(text: &str, limit: usize) -> Result<Vec<Repaired>> {
    extract_candidates(text, limit)
}

fn extract_candidates(text: &str, limit: usize) -> Result<Vec<Repaired>> {
    let mut found = Vec::new();
    // Fenced blocks first: ```json before plain ```, as the model labelled them.
    let fences = code_fences(text);
    for json_only in [true, false] {
        for &(label_is_json, body_start, body_end) in &fences {
            if label_is_json != json_only || found.len() >= limit {
                continue;
            }
            let body = &text[body_start..body_end];
            let Some(offset) = body.find(['{', '[']) else { continue };
            match read_prefix(text, body_start + offset, body_end) {
                Ok(mut repaired) => {
                    note_surroundings(text, &mut repaired);
                    found.push(repaired);
                }
                Err(error) if error.kind() == ErrorKind::LimitExceeded => return Err(error),
                Err(_) => {}
            }
        }
    }
    if !found.is_empty() {
        found.sort_by_key(|r| r.span.0);
        return Ok(found);
    }
    let mut at = 0;
    while found.len() < limit {
        let Some(offset) = text[at..].find(['{', '[']) else { break };
        let start = at + offset;
        match read_prefix(text, start, text.len()) {
            Ok(mut repaired) => {
                at = repaired.span.1;
                note_surroundings(text, &mut repaired);
                found.push(repaired);
            }
            // Too deep is an answer about this value: the values nested in it are not the
            // value the text holds (and trying each would take quadratic time).
            Err(error) if error.kind() == ErrorKind::LimitExceeded => return Err(error),
            Err(_) => at = start + 1,
        }
    }
    Ok(found)
}

/// Reads one value starting at `start`, stopping where it ends (not later than `limit`).
fn read_prefix(text: &str, start: usize, limit: usize) -> Result<Repaired> {
    let mut repairer = Repairer::new(&text[..limit]);
    repairer.pos = start;
    repairer.value(0)?;
    let end = repairer.pos;
    let repaired = repairer.finish((start, end));
    // A candidate that needed more repairs than it has structure is prose, not JSON.
    if repaired.json.len() < 2 {
        return Err(Error::new(ErrorKind::JsonParse, "no value"));
    }
    Ok(repaired)
}

fn note_surroundings(text: &str, repaired: &mut Repaired) {
    let (start, end) = repaired.span;
    if !text[..start].trim().is_empty() {
        repaired.repairs.insert(0, Repair { kind: RepairKind::LeadingText, location: Location::in_source(text, 0) });
    }
    if !text[end..].trim().is_empty() {
        repaired.repairs.push(Repair { kind: RepairKind::TrailingText, location: Location::in_source(text, end) });
    }
}

/// Fenced code blocks: (labelled json, body start, body end). An unclosed fence runs to the end.
fn code_fences(text: &str) -> Vec<(bool, usize, usize)> {
    let mut fences = Vec::new();
    let mut at = 0;
    while let Some(offset) = text[at..].find("```") {
        let open = at + offset;
        let label_end = text[open + 3..].find('\n').map_or(text.len(), |n| open + 3 + n);
        let label = text[open + 3..label_end].trim().to_ascii_lowercase();
        let body_start = (label_end + 1).min(text.len());
        let (body_end, next) = match text[body_start..].find("```") {
            Some(n) => (body_start + n, body_start + n + 3),
            None => (text.len(), text.len()),
        };
        fences.push((label == "json" || label == "jsonc" || label == "json5", body_start, body_end));
        at = next;
        if at >= text.len() {
            break;
        }
    }
    fences
}

struct Repairer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    out: String,
    /// Repairs by byte offset; converted to locations once, at the end.
    repairs: Vec<(usize, RepairKind)>,
}

type Step<T = ()> = Result<T>;

/// What [`Repairer::between`] found.
enum Between {
    /// The container ended.
    Closed,
    /// A comma that leads nowhere was dropped: look again.
    Again,
    /// The next item follows.
    Item,
}

impl<'a> Repairer<'a> {
    fn new(text: &'a str) -> Self {
        Repairer { text, bytes: text.as_bytes(), pos: 0, out: String::with_capacity(text.len()), repairs: Vec::new() }
    }

    fn finish(self, span: (usize, usize)) -> Repaired {
        let mut repairs = self.repairs;
        repairs.sort_by_key(|&(at, _)| at);
        // One cut closes everything open: report it once, where it is first seen.
        let mut truncated = false;
        repairs.retain(|&(_, kind)| kind != RepairKind::Truncated || !std::mem::replace(&mut truncated, true));
        let mut cursor = LocationCursor::new();
        let mut done = 0;
        let repairs = repairs
            .into_iter()
            .map(|(at, kind)| {
                cursor.advance(&self.text[done..at]);
                done = at;
                Repair { kind, location: cursor.location() }
            })
            .collect();
        Repaired { json: self.out, repairs, span }
    }

    fn note(&mut self, at: usize, kind: RepairKind) {
        self.repairs.push((at, kind));
    }

    fn error(&self, message: &str) -> Error {
        let mut error = Error::new(ErrorKind::JsonParse, message).with_location(Location::in_source(self.text, self.pos));
        if let Some(found) = self.text[self.pos..].chars().next() {
            error = error.with_detail("found", found.to_string());
        }
        error
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Skips whitespace and comments (reporting the comments).
    fn skip_space(&mut self) -> Step {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    self.note(self.pos, RepairKind::Comment);
                    self.pos = self.text[self.pos..].find('\n').map_or(self.text.len(), |n| self.pos + n);
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    self.note(self.pos, RepairKind::Comment);
                    self.pos = self.text[self.pos + 2..].find("*/").map_or(self.text.len(), |n| self.pos + 2 + n + 2);
                }
                Some(b'#') => {
                    // Python and YAML style comments, which some models emit too.
                    self.note(self.pos, RepairKind::Comment);
                    self.pos = self.text[self.pos..].find('\n').map_or(self.text.len(), |n| self.pos + n);
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Step {
        if depth > MAX_DEPTH {
            return Err(Error::new(ErrorKind::LimitExceeded, format!("the JSON nests deeper than {MAX_DEPTH} levels"))
                .with_detail("limit", "depth"));
        }
        self.skip_space()?;
        let Some(byte) = self.peek() else {
            return Err(self.error("the text ends where a value should be"));
        };
        match byte {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' | b'\'' => self.string(false),
            b'-' | b'+' | b'.' | b'0'..=b'9' => self.number(),
            _ if self.text[self.pos..].starts_with(['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}']) => self.string(false),
            _ => self.word(),
        }
    }

    /// What comes between a container's items: its end (or the text's end, which closes it),
    /// a comma (a trailing one is dropped), or a comma missing before the next item.
    fn between(
        &mut self,
        close: u8,
        count: usize,
        starts_item: fn(&Self) -> bool,
        after: &str,
        first: &str,
    ) -> Step<Between> {
        self.skip_space()?;
        if self.at_end() {
            self.note(self.pos, RepairKind::Truncated);
            self.out.push(close as char);
            return Ok(Between::Closed);
        }
        if self.peek() == Some(close) {
            self.pos += 1;
            self.out.push(close as char);
            return Ok(Between::Closed);
        }
        if count > 0 {
            if self.peek() == Some(b',') {
                let comma = self.pos;
                self.pos += 1;
                self.skip_space()?;
                if self.peek() == Some(close) {
                    self.note(comma, RepairKind::TrailingComma);
                    return Ok(Between::Again);
                }
                if self.at_end() {
                    self.note(comma, RepairKind::Truncated);
                    return Ok(Between::Again);
                }
            } else if starts_item(self) {
                self.note(self.pos, RepairKind::MissingComma);
            } else {
                return Err(self.error(after));
            }
            self.out.push(',');
        } else if self.peek() == Some(b',') {
            return Err(self.error(first));
        }
        Ok(Between::Item)
    }

    fn object(&mut self, depth: usize) -> Step {
        self.pos += 1;
        self.out.push('{');
        let mut members = 0;
        loop {
            let before_separator = self.out.len();
            match self.between(
                b'}',
                members,
                Self::starts_key,
                "expected ',' or '}' after a member",
                "expected a member name or '}'",
            )? {
                Between::Closed => return Ok(()),
                Between::Again => continue,
                Between::Item => {}
            }
            // A member: name, colon, value. Cut off anywhere, it is dropped whole.
            if !self.starts_key() {
                return Err(self.error("expected a member name"));
            }
            self.key()?;
            self.skip_space()?;
            if self.at_end() {
                self.out.truncate(before_separator);
                self.note(self.pos, RepairKind::Truncated);
                continue;
            }
            if self.peek() == Some(b':') {
                self.pos += 1;
            } else if self.starts_value() {
                self.note(self.pos, RepairKind::MissingColon);
            } else {
                return Err(self.error("expected ':' after the member name"));
            }
            self.out.push(':');
            self.skip_space()?;
            if self.at_end() {
                self.out.truncate(before_separator);
                self.note(self.pos, RepairKind::Truncated);
                continue;
            }
            self.value(depth + 1)?;
            members += 1;
        }
    }

    fn array(&mut self, depth: usize) -> Step {
        self.pos += 1;
        self.out.push('[');
        let mut items = 0;
        loop {
            match self.between(
                b']',
                items,
                Self::starts_value,
                "expected ',' or ']' after an element",
                "expected a value or ']'",
            )? {
                Between::Closed => return Ok(()),
                Between::Again => continue,
                Between::Item => {}
            }
            self.value(depth + 1)?;
            items += 1;
        }
    }

    fn starts_key(&self) -> bool {
        match self.peek() {
            Some(b'"' | b'\'') => true,
            Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => true,
            Some(b) if b.is_ascii_digit() => true,
            _ => self.text[self.pos..].starts_with(['\u{201C}', '\u{2018}']),
        }
    }

    fn starts_value(&self) -> bool {
        match self.peek() {
            Some(b'{' | b'[' | b'"' | b'\'' | b'-' | b'+' | b'.' | b'0'..=b'9') => true,
            Some(b) if b.is_ascii_alphabetic() => true,
            _ => self.text[self.pos..].starts_with(['\u{201C}', '\u{2018}']),
        }
    }

    fn key(&mut self) -> Step {
        if matches!(self.peek(), Some(b'"' | b'\'')) || self.text[self.pos..].starts_with(['\u{201C}', '\u{2018}']) {
            return self.string(true);
        }
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'-' {
                self.pos += 1;
            } else {
                break;
            }
        }
        if start == self.pos {
            return Err(self.error("expected a member name"));
        }
        self.note(start, RepairKind::UnquotedKey);
        self.out.push('"');
        self.out.push_str(&self.text[start..self.pos]);
        self.out.push('"');
        Ok(())
    }

    /// A string in double, single or typographic quotes, written as a JSON string.
    fn string(&mut self, _key: bool) -> Step {
        let start = self.pos;
        let rest = &self.text[self.pos..];
        let (close, open_len): (&[char], usize) = if rest.starts_with('"') {
            (&['"'], 1)
        } else if rest.starts_with('\'') {
            self.note(start, RepairKind::SingleQuotes);
            (&['\''], 1)
        } else if rest.starts_with('\u{201C}') || rest.starts_with('\u{201D}') {
            self.note(start, RepairKind::SmartQuotes);
            (&['\u{201D}', '\u{201C}'], 3)
        } else {
            self.note(start, RepairKind::SmartQuotes);
            (&['\u{2019}', '\u{2018}'], 3)
        };
        self.pos += open_len;
        self.out.push('"');
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                self.note(self.pos, RepairKind::Truncated);
                // Cut between the halves of a surrogate pair: drop the half character.
                let out = self.out.as_bytes();
                if out.len() >= 6 && out[out.len() - 6] == b'\\' && out[out.len() - 5] == b'u' {
                    let unit = u16::from_str_radix(&self.out[self.out.len() - 4..], 16).unwrap_or(0);
                    if (0xD800..0xDC00).contains(&unit) && !ends_with_escaped_backslash(&self.out[..self.out.len() - 6]) {
                        self.out.truncate(self.out.len() - 6);
                    }
                }
                self.out.push('"');
                return Ok(());
            };
            if close.contains(&c) {
                self.pos += c.len_utf8();
                self.out.push('"');
                return Ok(());
            }
            match c {
                '\\' => self.escape()?,
                '"' => {
                    self.pos += 1;
                    self.out.push_str("\\\"");
                }
                '\n' | '\r' | '\t' | '\u{0}'..='\u{1f}' => {
                    self.note(self.pos, RepairKind::UnescapedControl);
                    self.pos += 1;
                    match c {
                        '\n' => self.out.push_str("\\n"),
                        '\r' => self.out.push_str("\\r"),
                        '\t' => self.out.push_str("\\t"),
                        _ => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                    }
                }
                _ => {
                    // Copy the run of ordinary characters at once.
                    let run_end = self.text[self.pos..]
                        .find(|ch: char| ch == '\\' || ch == '"' || ch < ' ' || close.contains(&ch))
                        .map_or(self.text.len(), |n| self.pos + n);
                    self.out.push_str(&self.text[self.pos..run_end]);
                    self.pos = run_end;
                }
            }
        }
    }

    fn escape(&mut self) -> Step {
        let at = self.pos;
        let Some(next) = self.text[at + 1..].chars().next() else {
            self.pos += 1;
            return Ok(()); // cut after the backslash: the string is closed by the caller
        };
        match next {
            '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => {
                self.out.push('\\');
                self.out.push(next);
                self.pos += 2;
            }
            '\'' => {
                // \' is an escape in single-quoted strings, not in JSON.
                self.out.push('\'');
                self.pos += 2;
            }
            'u' => {
                let hex = self.text.get(at + 2..at + 6).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                match hex {
                    Some(hex) => {
                        self.out.push_str("\\u");
                        self.out.push_str(hex);
                        self.pos += 6;
                    }
                    None if at + 6 > self.text.len() && self.text[at + 2..].bytes().all(|b| b.is_ascii_hexdigit()) => {
                        // Cut inside the escape: drop it.
                        self.note(at, RepairKind::Truncated);
                        self.pos = self.text.len();
                    }
                    None => {
                        self.note(at, RepairKind::InvalidEscape);
                        self.out.push_str("\\\\");
                        self.pos += 1;
                    }
                }
            }
            _ => {
                self.note(at, RepairKind::InvalidEscape);
                self.out.push_str("\\\\");
                self.pos += 1;
            }
        }
        Ok(())
    }

    fn number(&mut self) -> Step {
        let start = self.pos;
        let mut end = start;
        while end < self.bytes.len()
            && matches!(self.bytes[end], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'x' | b'X' | b'a'..=b'd' | b'f' | b'A'..=b'D' | b'F')
        {
            end += 1;
        }
        let raw = &self.text[start..end];
        if raw == "-" && self.text[end..].starts_with("Infinity") {
            self.pos = end + "Infinity".len();
            self.note(start, RepairKind::NonFiniteNumber);
            self.out.push_str("null");
            return Ok(());
        }
        self.pos = end;
        if is_json_number(raw) {
            self.out.push_str(raw);
            return Ok(());
        }
        let cut = end == self.bytes.len();
        match normalise_number(raw) {
            Some(number) => {
                // A number cut at the text's end (`1.`, `2e`) is truncation, not a format slip.
                let kind = if cut && matches!(raw.as_bytes().last(), Some(b'.' | b'e' | b'E' | b'-' | b'+')) {
                    RepairKind::Truncated
                } else {
                    RepairKind::NumberFormat
                };
                self.note(start, kind);
                self.out.push_str(&number);
                Ok(())
            }
            None => {
                self.pos = start;
                Err(self.error("invalid number"))
            }
        }
    }

    /// Literals and the words models use for them.
    fn word(&mut self) -> Step {
        let start = self.pos;
        let end = self.text[start..].find(|c: char| !c.is_ascii_alphabetic()).map_or(self.text.len(), |n| start + n);
        let word = &self.text[start..end];
        let (json, kind) = match word {
            "true" | "false" | "null" => (word, None),
            "True" => ("true", Some(RepairKind::PythonLiteral)),
            "False" => ("false", Some(RepairKind::PythonLiteral)),
            "None" => ("null", Some(RepairKind::PythonLiteral)),
            "undefined" => ("null", Some(RepairKind::Undefined)),
            "NaN" | "Infinity" => ("null", Some(RepairKind::NonFiniteNumber)),
            _ if end == self.text.len() && !word.is_empty() => {
                // Cut inside a literal: complete it.
                match ["true", "false", "null"].into_iter().find(|full| full.starts_with(word)) {
                    Some(full) => (full, Some(RepairKind::Truncated)),
                    None => return Err(self.error("unexpected word where a value should be")),
                }
            }
            _ => return Err(self.error("unexpected character where a value should be")),
        };
        if let Some(kind) = kind {
            self.note(start, kind);
        }
        self.pos = end;
        self.out.push_str(json);
        Ok(())
    }
}

/// Whether `text` ends in an odd run of backslashes, i.e. its last backslash escapes the next
/// character (so a following `u` is literal text, not an escape).
fn ends_with_escaped_backslash(text: &str) -> bool {
    text.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// A number models write that JSON does not allow, as JSON: `+1`, `01`, `.5`, `5.`, `1e`, hex.
fn normalise_number(raw: &str) -> Option<String> {
    let (sign, digits) = match raw.as_bytes().first()? {
        b'-' => ("-", &raw[1..]),
        b'+' => ("", &raw[1..]),
        _ => ("", raw),
    };
    if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        let value = u64::from_str_radix(hex, 16).ok()?;
        return Some(format!("{sign}{value}"));
    }
    let trimmed = digits.trim_end_matches(['e', 'E', '+', '-']);
    let trimmed = trimmed.trim_end_matches('.');
    let (int, rest) = trimmed.split_at(trimmed.find(['.', 'e', 'E']).unwrap_or(trimmed.len()));
    let int = int.trim_start_matches('0');
    let candidate = format!("{sign}{}{rest}", if int.is_empty() { "0" } else { int });
    is_json_number(&candidate).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> (String, Vec<&'static str>) {
        let r = repair_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(serde_json::from_str::<Value>(&r.json).is_ok(), "{} is not JSON", r.json);
        (r.json, r.repairs.iter().map(|r| r.kind.code()).collect())
    }

    #[test]
    fn valid_json_is_unchanged_and_unreported() {
        let text = r#"{"a": [1, -2.5e3, true, null, "x\"\u00e9"], "b": {}}"#;
        let r = repair_json(text).unwrap();
        assert!(r.repairs.is_empty());
        assert_eq!(serde_json::from_str::<Value>(&r.json).unwrap(), serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn every_repair() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("[1, 2,]", "[1,2]", &["trailing_comma"]),
            ("{\"a\": 1,}", r#"{"a":1}"#, &["trailing_comma"]),
            ("[1 2]", "[1,2]", &["missing_comma"]),
            (r#"{"a": 1 "b": 2}"#, r#"{"a":1,"b":2}"#, &["missing_comma"]),
            (r#"{"a" 1}"#, r#"{"a":1}"#, &["missing_colon"]),
            ("['it\\'s', 'say \"hi\"']", r#"["it's","say \"hi\""]"#, &["single_quotes", "single_quotes"]),
            ("{“a”: “b”}", r#"{"a":"b"}"#, &["smart_quotes", "smart_quotes"]),
            ("{a: 1, $b_2: 2}", r#"{"a":1,"$b_2":2}"#, &["unquoted_key", "unquoted_key"]),
            ("[True, False, None]", "[true,false,null]", &["python_literal", "python_literal", "python_literal"]),
            ("[undefined]", "[null]", &["undefined"]),
            (
                "[NaN, Infinity, -Infinity]",
                "[null,null,null]",
                &["non_finite_number", "non_finite_number", "non_finite_number"],
            ),
            (
                "[+1, 01, .5, 0x1F, -007.50]",
                "[1,1,0.5,31,-7.50]",
                &["number_format", "number_format", "number_format", "number_format", "number_format"],
            ),
            (r#"["a\qb"]"#, r#"["a\\qb"]"#, &["invalid_escape"]),
            ("[\"line\nnext\ttab\"]", r#"["line\nnext\ttab"]"#, &["unescaped_control", "unescaped_control"]),
            ("// lead\n{\"a\": /* mid */ 1} # tail", r#"{"a":1}"#, &["comment", "comment", "comment"]),
            ("{\"a\": [1, {\"b\": \"cut", r#"{"a":[1,{"b":"cut"}]}"#, &["truncated"]),
            ("{\"a\": 1, \"b\":", r#"{"a":1}"#, &["truncated"]),
            ("{\"a\": 1, \"b\"", r#"{"a":1}"#, &["truncated"]),
            ("[1, 2, ", "[1,2]", &["truncated"]),
            ("[tr", "[true]", &["truncated"]),
            ("[1.", "[1]", &["truncated"]),
            ("[\"a\\u00", r#"["a"]"#, &["truncated"]),
        ];
        for (text, json, kinds) in cases {
            let (out, got) = repaired(text);
            assert_eq!((&out.as_str(), &got.as_slice()), (json, kinds), "{text}");
        }
    }

    #[test]
    fn repairs_have_positions() {
        let r = repair_json("{\n  a: 1,\n}").unwrap();
        let places: Vec<_> = r.repairs.iter().map(|r| (r.kind.code(), r.location.line, r.location.column)).collect();
        assert_eq!(places, [("unquoted_key", 2, 3), ("trailing_comma", 2, 7)]);
    }

    #[test]
    fn unrepairable_text_is_a_positioned_error() {
        for text in ["", "   ", "{]", "[1, @]", "{\"a\": 1} extra", "[,1]", "hello"] {
            let error = repair_json(text).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::JsonParse, "{text}");
            assert!(error.location().is_some());
        }
        let deep = "[".repeat(600);
        assert_eq!(repair_json(&deep).unwrap_err().kind(), ErrorKind::LimitExceeded);
        let nested = format!("{}1{}", "[".repeat(12_000), "]".repeat(12_000));
        let started = std::time::Instant::now();
        assert_eq!(extract_json(&nested).unwrap_err().kind(), ErrorKind::LimitExceeded);
        assert_eq!(extract_json(&format!("see ```json\n{nested}\n```")).unwrap_err().kind(), ErrorKind::LimitExceeded);
        assert!(started.elapsed().as_millis() < 500, "not quadratic");
    }

    #[test]
    fn extracts_from_chatty_output() {
        let answer = "Sure! Here is the data:\n\n```json\n{\"name\": \"Ada\", \"langs\": [\"en\",],}\n```\n\nLet me know if you need more.";
        let r = extract_json(answer).unwrap();
        assert_eq!(r.json, r#"{"name":"Ada","langs":["en"]}"#);
        let kinds: Vec<_> = r.repairs.iter().map(|r| r.kind.code()).collect();
        assert_eq!(kinds, ["leading_text", "trailing_comma", "trailing_comma", "trailing_text"]);
        // A ```json block wins over an earlier unlabelled one.
        let two = "```\n[1]\n```\nand\n```json\n{\"a\": 2}\n```";
        assert_eq!(extract_json(two).unwrap().json, r#"{"a":2}"#);
        // Without fences: prose with brackets that are not JSON, then the value.
        let prose = "I think [this] matters: {\"ok\": true} and that's it.";
        let r = extract_json(prose).unwrap();
        assert_eq!(r.json, r#"{"ok":true}"#);
        assert_eq!(&prose[r.span.0..r.span.1], r#"{"ok": true}"#);
        // Several candidates.
        let all = extract_all_json("first {\"a\": 1} then [2, 3] end", 10).unwrap();
        assert_eq!(all.iter().map(|r| r.json.as_str()).collect::<Vec<_>>(), [r#"{"a":1}"#, "[2,3]"]);
        assert_eq!(extract_json("no json at all").unwrap_err().kind(), ErrorKind::JsonParse);
        // A truncated answer in an unclosed fence is repaired.
        assert_eq!(extract_json("```json\n{\"items\": [1, 2").unwrap().json, r#"{"items":[1,2]}"#);
    }
}
