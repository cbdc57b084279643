//! JSON text parsed into a flat document that borrows from it, for validating text without
//! building a `serde_json::Value` (which costs an allocation per string, key and container,
//! about four fifths of the time of a validation from text).
//!
//! One pass, no recursion, and each value written once: the document is a tape of [`Slot`]s
//! in document order, where a container's slot is followed by its whole contents and holds
//! its count of entries and how many slots to skip to get past it. Strings without escapes
//! are spans of the text, the others are unescaped into one buffer; short numbers are read
//! while scanning, the others when a keyword asks. The buffers are kept per thread from
//! call to call, so a call allocates nothing once warm.
//!
//! The accepted syntax is `serde_json`'s, with the same error messages and positions, except
//! in two places where `JSON.parse` (whence the bindings' values come) is followed instead:
//! escapes of lone surrogates are accepted (read as U+FFFD, which a JavaScript string with
//! one becomes when it crosses into Rust), and nesting has no limit (serde_json stops at 128
//! levels; here the stack is a `Vec`, and the validator stops at its own depth limit).

use super::instance::{Instance, Kind};
use crate::json::plain_run;
use serde_json::Number;
use std::cell::RefCell;

/// The longest text parsed here: spans are `u32`s whose top bit says which buffer they are in.
/// Longer texts go through `serde_json`.
pub(crate) const MAX_TEXT: usize = (u32::MAX >> 1) as usize;

/// Marks a span of the unescaped-strings buffer rather than of the text.
const UNESCAPED: u32 = 1 << 31;

/// A string's place: `len` bytes at `start` in the text, or in the unescaped buffer when
/// `len` has the [`UNESCAPED`] bit.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy)]
enum Val {
    Null,
    Bool(bool),
    /// An integer of at most 18 digits, read while scanning (the common case).
    Int(i64),
    /// A short decimal (`0.25`, `1.5e3`) read while scanning, as serde_json reads it.
    Float(f64),
    /// Any other number, as its text.
    Number(Span),
    String(Span),
    /// `len` items; `skip` slots (this one included) hold the array, whose first item is at
    /// slot `first` (the next one: kept here, in bytes the variant has spare, so that a value
    /// can be a reference to its slot).
    Array {
        len: u32,
        skip: u32,
        first: u32,
    },
    /// The same for an object and its entries.
    Object {
        len: u32,
        skip: u32,
        first: u32,
    },
}

// A slot stays three words: the containers' third field costs nothing.
const _: () = assert!(std::mem::size_of::<Slot>() <= 24);

/// A value with its key (the empty span in arrays and at the root).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    key: Span,
    value: Val,
}

impl Slot {
    /// How many slots this value takes.
    #[inline]
    fn skip(&self) -> usize {
        match self.value {
            Val::Array { skip, .. } | Val::Object { skip, .. } => skip as usize,
            _ => 1,
        }
    }
}

/// An open container: its slot, and how many values it has so far.
#[derive(Clone, Copy)]
struct Frame {
    at: u32,
    len: u32,
    object: bool,
}

/// The parser's buffers, reused from document to document.
#[derive(Default)]
struct Scratch {
    slots: Vec<Slot>,
    frames: Vec<Frame>,
    /// The keys of the objects still open, innermost last: (hash, slot of the value).
    keys: Vec<(u32, u32)>,
    unescaped: String,
    /// The open-addressing table of the duplicate-key check.
    table: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A parsed document, borrowing the text and the buffers. The root is slot 0.
pub(crate) struct Doc<'t> {
    text: &'t str,
    unescaped: &'t str,
    slots: &'t [Slot],
}

/// One value of a [`Doc`]: what the validator walks.
#[derive(Clone, Copy)]
pub(crate) struct Ref<'d> {
    doc: &'d Doc<'d>,
    slot: &'d Slot,
}

/// What is wrong, as `serde_json` words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    EofList,
    EofObject,
    EofString,
    EofValue,
    ExpectedColon,
    ExpectedListCommaOrEnd,
    ExpectedObjectCommaOrEnd,
    ExpectedIdent,
    ExpectedValue,
    InvalidEscape,
    InvalidNumber,
    NumberOutOfRange,
    ControlCharacter,
    KeyMustBeAString,
    TrailingCharacters,
    TrailingComma,
}

/// Text that is not JSON: what, and the byte at fault (the text's length when it ended too
/// soon). Small, so that results pass in registers on the hot path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    code: Code,
    at: u32,
}

impl SyntaxError {
    /// serde_json's message.
    pub(crate) fn message(&self) -> &'static str {
        match self.code {
            Code::EofList => "EOF while parsing a list",
            Code::EofObject => "EOF while parsing an object",
            Code::EofString => "EOF while parsing a string",
            Code::EofValue => "EOF while parsing a value",
            Code::ExpectedColon => "expected `:`",
            Code::ExpectedListCommaOrEnd => "expected `,` or `]`",
            Code::ExpectedObjectCommaOrEnd => "expected `,` or `}`",
            Code::ExpectedIdent => "expected ident",
            Code::ExpectedValue => "expected value",
            Code::InvalidEscape => "invalid escape",
            Code::InvalidNumber => "invalid number",
            Code::NumberOutOfRange => "number out of range",
            Code::ControlCharacter => "control character (\\u0000-\\u001F) found while parsing a string",
            Code::KeyMustBeAString => "key must be a string",
            Code::TrailingCharacters => "trailing characters",
            Code::TrailingComma => "trailing comma",
        }
    }

    /// The index `serde_json` reports the error at: just past the byte at fault.
    fn index(&self, text: &str) -> usize {
        (self.at as usize + 1).min(text.len())
    }

    /// The byte offset `serde_json`'s line and column come to: the byte at fault, except
    /// at the start of a line (where serde_json's column 0 is read as the line's start).
    pub(crate) fn offset(&self, text: &str) -> usize {
        let i = self.index(text);
        if i == 0 || text.as_bytes()[i - 1] == b'\n' {
            i
        } else {
            i - 1
        }
    }

    /// The error as `serde_json` displays it: `expected value at line 1 column 5`.
    pub(crate) fn describe(&self, text: &str) -> String {
        let i = self.index(text);
        let before = &text.as_bytes()[..i];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
        format!("{} at line {line} column {}", self.message(), i - line_start)
    }
}

type Parsed<T> = Result<T, SyntaxError>;

#[cold]
fn fail<T>(code: Code, at: usize) -> Parsed<T> {
    Err(SyntaxError { code, at: at as u32 })
}

/// Parses `text` and gives `f` its root (or the syntax error), with this thread's buffers.
pub(crate) fn with_root<R>(text: &str, f: impl for<'d> FnOnce(Result<Ref<'d>, SyntaxError>) -> R) -> R {
    debug_assert!(text.len() <= MAX_TEXT);
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let result = match scratch.parse(text) {
                Ok(doc) => f(Ok(Ref { doc: &doc, slot: &doc.slots[0] })),
                Err(e) => f(Err(e)),
            };
            scratch.trim();
            result
        }
        // Only if `f` parses another document on this thread: it gets buffers of its own.
        Err(_) => match Scratch::default().parse(text) {
            Ok(doc) => f(Ok(Ref { doc: &doc, slot: &doc.slots[0] })),
            Err(e) => f(Err(e)),
        },
    })
}

impl Scratch {
    fn parse<'t>(&'t mut self, text: &'t str) -> Parsed<Doc<'t>> {
        self.slots.clear();
        self.frames.clear();
        self.keys.clear();
        self.unescaped.clear();
        let mut parser = Parser { text, bytes: text.as_bytes(), at: 0, scratch: self };
        parser.document()?;
        Ok(Doc { text, unescaped: &self.unescaped, slots: &self.slots })
    }

    /// Lets go of buffers that a very large document grew, rather than keeping them for good.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.slots.capacity() > KEEP
            || self.frames.capacity() > KEEP
            || self.keys.capacity() > KEEP
            || self.unescaped.capacity() > KEEP * 16
        {
            *self = Scratch::default();
        }
    }
}

/// A string of the text or of the unescaped buffer.
#[inline]
fn resolve<'a>(text: &'a str, unescaped: &'a str, span: Span) -> &'a str {
    let (source, len) = if span.len & UNESCAPED != 0 { (unescaped, span.len & !UNESCAPED) } else { (text, span.len) };
    &source[span.start as usize..(span.start + len) as usize]
}

struct Parser<'t, 's> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    scratch: &'s mut Scratch,
}

impl Parser<'_, '_> {
    #[inline(always)]
    fn skip_whitespace(&mut self) -> Option<u8> {
        // Whitespace is at most a space: most bytes are done with one comparison.
        match self.bytes.get(self.at) {
            Some(&b) if b > b' ' => return Some(b),
            None => return None,
            Some(_) => {}
        }
        while let Some(&b) = self.bytes.get(self.at) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// The whole text as one value, with nothing but whitespace after it.
    fn document(&mut self) -> Parsed<()> {
        self.value()?;
        match self.skip_whitespace() {
            Some(_) => fail(Code::TrailingCharacters, self.at),
            None => Ok(()),
        }
    }

    /// One value, iteratively: a container writes its slot (completed when it closes) and
    /// goes on with its first value; each finished value closes the containers it ends. The
    /// innermost open container is kept in locals, the outer ones on the frame stack.
    fn value(&mut self) -> Parsed<()> {
        let mut key = Span::default();
        // The innermost open container (none while `open` is false): its slot, its count of
        // values so far, whether it is an object.
        let (mut open, mut current) = (false, Frame { at: 0, len: 0, object: false });
        'value: loop {
            let value = match self.skip_whitespace() {
                None => return fail(Code::EofValue, self.at),
                Some(b'"') => {
                    self.at += 1;
                    Val::String(self.string()?)
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(c @ (b'{' | b'[')) => {
                    self.at += 1;
                    let object = c == b'{';
                    match (self.skip_whitespace(), object) {
                        (Some(b'}'), true) | (Some(b']'), false) => {
                            self.at += 1;
                            if object {
                                Val::Object { len: 0, skip: 1, first: 0 }
                            } else {
                                Val::Array { len: 0, skip: 1, first: 0 }
                            }
                        }
                        (Some(b), _) if b == b'"' || !object => {
                            if open {
                                self.scratch.frames.push(current);
                            }
                            (open, current) = (true, Frame { at: self.scratch.slots.len() as u32, len: 0, object });
                            self.scratch.slots.push(Slot { key, value: Val::Null });
                            key = if object { self.key()? } else { Span::default() };
                            continue 'value;
                        }
                        (Some(_), _) => return fail(Code::KeyMustBeAString, self.at),
                        (None, true) => return fail(Code::EofObject, self.at),
                        (None, false) => return fail(Code::EofList, self.at),
                    }
                }
                Some(b't') => {
                    self.ident(b"true")?;
                    Val::Bool(true)
                }
                Some(b'f') => {
                    self.ident(b"false")?;
                    Val::Bool(false)
                }
                Some(b'n') => {
                    self.ident(b"null")?;
                    Val::Null
                }
                Some(_) => return fail(Code::ExpectedValue, self.at),
            };
            self.scratch.slots.push(Slot { key, value });
            loop {
                if !open {
                    return Ok(());
                }
                current.len += 1;
                let object = current.object;
                match self.skip_whitespace() {
                    Some(b',') => {
                        self.at += 1;
                        match (self.skip_whitespace(), object) {
                            (Some(b'"'), true) => key = self.key()?,
                            (Some(b'}'), true) | (Some(b']'), false) => return fail(Code::TrailingComma, self.at),
                            (Some(_), true) => return fail(Code::KeyMustBeAString, self.at),
                            (Some(_), false) => key = Span::default(),
                            (None, _) => return fail(Code::EofValue, self.at),
                        }
                        continue 'value;
                    }
                    Some(b'}') if object => {
                        self.at += 1;
                        self.close(current);
                    }
                    Some(b']') if !object => {
                        self.at += 1;
                        self.close(current);
                    }
                    Some(_) if object => return fail(Code::ExpectedObjectCommaOrEnd, self.at),
                    Some(_) => return fail(Code::ExpectedListCommaOrEnd, self.at),
                    None => return fail(if object { Code::EofObject } else { Code::EofList }, self.at),
                }
                match self.scratch.frames.pop() {
                    Some(outer) => current = outer,
                    None => open = false,
                }
            }
        }
    }

    /// Completes a container's slot; an object's keys are checked for repeats.
    fn close(&mut self, Frame { at, len, object }: Frame) {
        let Scratch { slots, keys, unescaped, table, .. } = &mut *self.scratch;
        let at = at as usize;
        let (skip, first) = ((slots.len() - at) as u32, at as u32 + 1);
        if !object {
            slots[at].value = Val::Array { len, skip, first };
            return;
        }
        slots[at].value = Val::Object { len, skip, first };
        let own = keys.len() - len as usize;
        if len > 1 && has_duplicate_keys(self.text, unescaped, slots, &keys[own..], table) {
            keep_last_values(self.text, unescaped, slots, at);
        }
        keys.truncate(own);
    }

    /// A key (at its opening quote) and the colon after it.
    #[inline(always)]
    fn key(&mut self) -> Parsed<Span> {
        self.at += 1;
        let key = self.string()?;
        let name = resolve(self.text, &self.scratch.unescaped, key).as_bytes();
        let slot = self.scratch.slots.len() as u32;
        self.scratch.keys.push((key_hash(name), slot));
        if self.bytes.get(self.at) == Some(&b':') {
            self.at += 1;
            return Ok(key);
        }
        match self.skip_whitespace() {
            Some(b':') => {
                self.at += 1;
                Ok(key)
            }
            Some(_) => fail(Code::ExpectedColon, self.at),
            None => fail(Code::EofObject, self.at),
        }
    }

    /// `null`, `true` or `false`, whose first letter was seen.
    #[inline]
    fn ident(&mut self, word: &[u8]) -> Parsed<()> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            return Ok(());
        }
        for (k, &expected) in word.iter().enumerate().skip(1) {
            match self.bytes.get(self.at + k) {
                None => return fail(Code::EofValue, self.bytes.len()),
                Some(&b) if b != expected => return fail(Code::ExpectedIdent, self.at + k),
                Some(_) => {}
            }
        }
        unreachable!("the word matched after all")
    }

    /// A string's contents, after its opening quote.
    #[inline(always)]
    fn string(&mut self) -> Parsed<Span> {
        let start = self.at;
        let stop = plain_run(self.bytes, start);
        match self.bytes.get(stop) {
            Some(b'"') => {
                self.at = stop + 1;
                Ok(Span { start: start as u32, len: (stop - start) as u32 })
            }
            Some(b'\\') => self.escaped_string(start, stop),
            Some(_) => fail(Code::ControlCharacter, stop),
            None => fail(Code::EofString, self.bytes.len()),
        }
    }

    /// A string with escapes, from its first backslash on: unescaped into the buffer.
    #[cold]
    fn escaped_string(&mut self, start: usize, mut at: usize) -> Parsed<Span> {
        let (text, bytes) = (self.text, self.bytes);
        let out = &mut self.scratch.unescaped;
        let out_start = out.len();
        let mut run = start;
        loop {
            // `at` is on a backslash; the run before it is plain.
            out.push_str(&text[run..at]);
            let Some(&escape) = bytes.get(at + 1) else { return fail(Code::EofString, bytes.len()) };
            at += 2;
            match escape {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => at = unicode_escape(bytes, at, out)?,
                _ => return fail(Code::InvalidEscape, at - 1),
            }
            run = at;
            at = plain_run(bytes, at);
            match bytes.get(at) {
                Some(b'"') => {
                    out.push_str(&text[run..at]);
                    self.at = at + 1;
                    return Ok(Span { start: out_start as u32, len: (out.len() - out_start) as u32 | UNESCAPED });
                }
                Some(b'\\') => {}
                Some(_) => return fail(Code::ControlCharacter, at),
                None => return fail(Code::EofString, bytes.len()),
            }
        }
    }

    /// A number, at its first character; errors as serde_json reports them.
    #[inline(always)]
    fn number(&mut self) -> Parsed<Val> {
        let bytes = self.bytes;
        let start = self.at;
        let negative = bytes[start] == b'-';
        let int_start = start + usize::from(negative);
        let mut at = int_start;
        match bytes.get(at) {
            None => return fail(Code::EofValue, bytes.len()),
            Some(b'0') => {
                at += 1;
                if bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    return fail(Code::InvalidNumber, at);
                }
            }
            Some(b'1'..=b'9') => at = digits(bytes, at + 1),
            Some(_) => return fail(Code::InvalidNumber, at),
        }
        let int_digits = at - int_start;
        if !matches!(bytes.get(at), Some(b'.' | b'e' | b'E')) {
            self.at = at;
            // `-0` is a float for serde_json.
            if int_digits <= 18 && !(negative && bytes[int_start] == b'0') {
                let magnitude = bytes[int_start..at].iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
                return Ok(Val::Int(if negative { -magnitude } else { magnitude }));
            }
        }
        let (mut fraction, mut fraction_end) = (at, at);
        if bytes.get(at) == Some(&b'.') {
            fraction = at + 1;
            at = digits(bytes, fraction);
            fraction_end = at;
            if at == fraction {
                return fail(if at < bytes.len() { Code::InvalidNumber } else { Code::EofValue }, at);
            }
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            let negative_exponent = bytes.get(at) == Some(&b'-');
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            match bytes.get(at) {
                None => return fail(Code::EofValue, bytes.len()),
                Some(b'0'..=b'9') => {}
                Some(_) => return fail(Code::InvalidNumber, at),
            }
            while let Some(&d @ b'0'..=b'9') = bytes.get(at) {
                exponent = (exponent * 10 + i64::from(d - b'0')).min(1 << 40);
                at += 1;
            }
            if negative_exponent {
                exponent = -exponent;
            }
        }
        self.at = at;
        // serde_json's own arithmetic for a short decimal: the digits as an integer, then one
        // multiplication or division by an exact power of ten (at most 15 digits, so exact too).
        let fraction_digits = fraction_end - fraction;
        if int_digits + fraction_digits <= 15 {
            let exponent = exponent - fraction_digits as i64;
            if let Some(&scale) = POWERS_OF_TEN.get(exponent.unsigned_abs() as usize) {
                let digits = bytes[int_start..int_start + int_digits].iter().chain(&bytes[fraction..fraction_end]);
                let significand = digits.fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64;
                let magnitude = if exponent >= 0 { significand * scale } else { significand / scale };
                return Ok(Val::Float(if negative { -magnitude } else { magnitude }));
            }
        }
        // serde_json refuses magnitudes past f64's ("number out of range"). The value is below
        // 10^(integer digits + exponent), so only huge ones need serde_json's own answer, which
        // also says where it gave up (the number has no newline: its column is the index).
        if int_digits as i64 + exponent > 300 {
            if let Err(e) = serde_json::from_str::<Number>(&self.text[start..at]) {
                return fail(Code::NumberOutOfRange, start + e.column().max(1) - 1);
            }
        }
        Ok(Val::Number(Span { start: start as u32, len: (at - start) as u32 }))
    }
}

/// The powers of ten that an f64 holds exactly.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Past the ASCII digits from `at`.
#[inline]
fn digits(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_digit) {
        at += 1;
    }
    at
}

/// Four hex digits at `at`: the code unit and the index past them. As serde_json, fewer than
/// four bytes left is the end of the text, and a non-digit is an invalid escape at the fourth.
fn hex4(bytes: &[u8], at: usize) -> Parsed<(u16, usize)> {
    let Some(digits) = bytes.get(at..at + 4) else { return fail(Code::EofString, bytes.len()) };
    let mut unit = 0u16;
    for &d in digits {
        let Some(value) = (d as char).to_digit(16) else { return fail(Code::InvalidEscape, at + 3) };
        unit = unit << 4 | value as u16;
    }
    Ok((unit, at + 4))
}

/// A `\u` escape, after the `u`: a pair of surrogates makes one character; a lone surrogate
/// is U+FFFD (where serde_json fails and `JSON.parse` keeps it).
fn unicode_escape(bytes: &[u8], at: usize, out: &mut String) -> Parsed<usize> {
    let (mut unit, mut at) = hex4(bytes, at)?;
    loop {
        if !(0xD800..0xDC00).contains(&unit) {
            out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
            return Ok(at);
        }
        if !bytes[at..].starts_with(b"\\u") {
            out.push(char::REPLACEMENT_CHARACTER);
            return Ok(at);
        }
        let (next, after) = hex4(bytes, at + 2)?;
        if (0xDC00..0xE000).contains(&next) {
            let c = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(next) - 0xDC00);
            out.push(char::from_u32(c).expect("a surrogate pair makes a character"));
            return Ok(after);
        }
        // A high surrogate, then another escaped unit: that one starts afresh.
        out.push(char::REPLACEMENT_CHARACTER);
        (unit, at) = (next, after);
    }
}

/// Whether an object repeats a key, given its keys' (hash, slot). Hashes are compared first
/// (a collision only costs a comparison): pairwise for a few keys, otherwise through an
/// open-addressing table of indices into `keys`, reused.
fn has_duplicate_keys(text: &str, unescaped: &str, slots: &[Slot], keys: &[(u32, u32)], table: &mut Vec<u32>) -> bool {
    let same =
        |a: u32, b: u32| resolve(text, unescaped, slots[a as usize].key) == resolve(text, unescaped, slots[b as usize].key);
    if keys.len() <= 16 {
        return keys
            .iter()
            .enumerate()
            .any(|(j, &(hash, slot))| keys[..j].iter().any(|&(h, other)| h == hash && same(other, slot)));
    }
    let size = (keys.len() * 2).next_power_of_two();
    table.clear();
    table.resize(size, u32::MAX);
    for (k, &(hash, slot)) in keys.iter().enumerate() {
        let mut probe = hash as usize & (size - 1);
        loop {
            let entry = table[probe];
            if entry == u32::MAX {
                table[probe] = k as u32;
                break;
            }
            let (other_hash, other) = keys[entry as usize];
            if other_hash == hash && same(other, slot) {
                return true;
            }
            probe = (probe + 1) & (size - 1);
        }
    }
    false
}

/// A hash of a key's length and ends: loads that overlap rather than a copy into a buffer
/// (which cost a `memcpy` call and a stalled reload per key).
#[inline]
fn key_hash(name: &[u8]) -> u32 {
    let n = name.len();
    let word = if n >= 8 {
        let head = u64::from_le_bytes(name[..8].try_into().expect("eight bytes"));
        head ^ u64::from_le_bytes(name[n - 8..].try_into().expect("eight bytes")).rotate_left(29)
    } else if n >= 4 {
        let head = u32::from_le_bytes(name[..4].try_into().expect("four bytes"));
        u64::from(head) | u64::from(u32::from_le_bytes(name[n - 4..].try_into().expect("four bytes"))) << 32
    } else if n > 0 {
        u64::from(name[0]) | u64::from(name[n / 2]) << 8 | u64::from(name[n - 1]) << 16
    } else {
        0
    };
    ((word ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

/// Removes repeated keys from the object at `at` (the last container of the tape) as
/// serde_json's map and `JSON.parse` do: the first place, the last value. Skips are relative,
/// so values move with their contents; only the containers' `first` is set again.
#[cold]
fn keep_last_values(text: &str, unescaped: &str, slots: &mut Vec<Slot>, at: usize) {
    let contents = slots.split_off(at + 1);
    // (key, first slot, end) of each entry kept, relative to `contents`.
    let mut kept: Vec<(&str, usize, usize)> = Vec::new();
    let mut here = 0;
    while here < contents.len() {
        let end = here + contents[here].skip();
        let name = resolve(text, unescaped, contents[here].key);
        match kept.iter_mut().find(|(other, _, _)| *other == name) {
            // The entry keeps its place; its value (and key, equal once unescaped) is the last.
            Some(entry) => *entry = (name, here, end),
            None => kept.push((name, here, end)),
        }
        here = end;
    }
    for &(_, start, end) in &kept {
        slots.extend_from_slice(&contents[start..end]);
    }
    // Containers that moved start their contents elsewhere now: right after themselves.
    for (i, slot) in slots.iter_mut().enumerate().skip(at + 1) {
        if let Val::Array { first, .. } | Val::Object { first, .. } = &mut slot.value {
            *first = i as u32 + 1;
        }
    }
    let skip = (slots.len() - at) as u32;
    slots[at].value = Val::Object { len: kept.len() as u32, skip, first: at as u32 + 1 };
}

impl<'d> Ref<'d> {
    #[inline]
    fn slot(self) -> &'d Slot {
        self.slot
    }

    /// The slots of an array's or object's values (none for the other kinds).
    #[inline]
    fn children(self, object: bool) -> Children<'d> {
        match self.slot().value {
            Val::Object { len, first, .. } if object => Children { doc: self.doc, next: first as usize, left: len },
            Val::Array { len, first, .. } if !object => Children { doc: self.doc, next: first as usize, left: len },
            _ => Children { doc: self.doc, next: 0, left: 0 },
        }
    }

    #[inline]
    fn str(self, span: Span) -> &'d str {
        resolve(self.doc.text, self.doc.unescaped, span)
    }
}

/// The values of an array or object of a [`Doc`], by their slots.
struct Children<'d> {
    doc: &'d Doc<'d>,
    next: usize,
    left: u32,
}

impl<'d> Iterator for Children<'d> {
    type Item = Ref<'d>;

    #[inline]
    fn next(&mut self) -> Option<Ref<'d>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let value = Ref { doc: self.doc, slot: &self.doc.slots[self.next] };
        self.next += value.slot().skip();
        Some(value)
    }
}

/// The entries of an object of a [`Doc`].
pub(crate) struct Entries<'d>(Children<'d>);

impl<'d> Iterator for Entries<'d> {
    type Item = (&'d str, Ref<'d>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let value = self.0.next()?;
        Some((value.str(value.slot().key), value))
    }
}

/// The items of an array of a [`Doc`].
pub(crate) struct Items<'d>(Children<'d>);

impl<'d> Iterator for Items<'d> {
    type Item = Ref<'d>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
}

impl<'d> Instance<'d> for Ref<'d> {
    type Entries = Entries<'d>;
    type Items = Items<'d>;

    #[inline]
    fn kind(self) -> Kind {
        match self.slot().value {
            Val::Null => Kind::Null,
            Val::Bool(_) => Kind::Bool,
            Val::Int(_) | Val::Float(_) | Val::Number(_) => Kind::Number,
            Val::String(_) => Kind::String,
            Val::Array { .. } => Kind::Array,
            Val::Object { .. } => Kind::Object,
        }
    }

    #[inline]
    fn as_bool(self) -> Option<bool> {
        match self.slot().value {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    #[inline]
    fn as_str(self) -> Option<&'d str> {
        match self.slot().value {
            Val::String(span) => Some(self.str(span)),
            _ => None,
        }
    }

    #[inline]
    fn as_number(self) -> Option<Number> {
        match self.slot().value {
            Val::Int(n) => Some(Number::from(n)),
            Val::Float(f) => Number::from_f64(f),
            // serde_json's own reading, so that long numbers round as in a `Value`.
            Val::Number(span) => {
                let number = serde_json::from_str(self.str(span)).ok();
                debug_assert!(number.is_some(), "a number the parser accepted");
                number
            }
            _ => None,
        }
    }

    #[inline]
    fn len(self) -> usize {
        match self.slot().value {
            Val::Array { len, .. } | Val::Object { len, .. } => len as usize,
            _ => 0,
        }
    }

    #[inline]
    fn entries(self) -> Entries<'d> {
        Entries(self.children(true))
    }

    fn get(self, key: &str) -> Option<Self> {
        self.entries().find(|(name, _)| *name == key).map(|(_, value)| value)
    }

    #[inline]
    fn items(self) -> Items<'d> {
        Items(self.children(false))
    }
}
