//! JSON text parsed into a flat document that borrows from it, for validating text without
//! building a `serde_json::Value` (which costs an allocation per string, key and container,
//! about four fifths of the time of a validation from text).
//!
//! One pass, no recursion: the values of a container wait on a stack until it closes, then
//! move into the arena together, so each container is one contiguous run of [`Slot`]s.
//! Strings without escapes are spans of the text; the others are unescaped into one buffer.
//! Numbers stay text until a keyword asks (then they are read as `serde_json` reads them).
//! The buffers are kept per thread from call to call, so a call allocates nothing once warm.
//!
//! The accepted syntax is `serde_json`'s, with the same error messages and positions, except
//! in two places where `JSON.parse` (whence the bindings' values come) is followed instead:
//! escapes of lone surrogates are accepted (read as U+FFFD, which a JavaScript string with
//! one becomes when it crosses into Rust), and nesting has no limit (serde_json stops at 128
//! levels; here the stack is a `Vec`, and the validator stops at its own depth limit).

use super::instance::{Instance, Kind};
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
    /// Any other number, as its text.
    Number(Span),
    String(Span),
    /// `len` slots at `start` in the arena.
    Array {
        start: u32,
        len: u32,
    },
    Object {
        start: u32,
        len: u32,
    },
}

/// A value with its key (the empty span in arrays and at the root).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    key: Span,
    value: Val,
}

/// An open container: where its values start on the stack, and its own key.
struct Frame {
    key: Span,
    start: u32,
    object: bool,
}

/// The parser's buffers, reused from document to document.
#[derive(Default)]
struct Scratch {
    /// Finished containers' values, each container's contiguous.
    slots: Vec<Slot>,
    /// Values of the containers still open.
    pending: Vec<Slot>,
    frames: Vec<Frame>,
    unescaped: String,
    /// The open-addressing table of the duplicate-key check.
    table: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A parsed document, borrowing the text and the buffers.
pub(crate) struct Doc<'t> {
    text: &'t str,
    unescaped: &'t str,
    slots: &'t [Slot],
    root: Slot,
}

/// One value of a [`Doc`]: what the validator walks.
#[derive(Clone, Copy)]
pub(crate) struct Ref<'d> {
    doc: &'d Doc<'d>,
    slot: &'d Slot,
}

/// Text that is not JSON: `serde_json`'s message for it, and the byte at fault (the text's
/// length when it ended too soon).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) message: &'static str,
    at: usize,
}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const NUMBER_OUT_OF_RANGE: &str = "number out of range";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const TRAILING_CHARACTERS: &str = "trailing characters";
const TRAILING_COMMA: &str = "trailing comma";

impl SyntaxError {
    /// The index `serde_json` reports the error at: just past the byte at fault.
    fn index(&self, text: &str) -> usize {
        (self.at + 1).min(text.len())
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
        format!("{} at line {line} column {}", self.message, i - line_start)
    }
}

type Parsed<T> = Result<T, SyntaxError>;

fn fail<T>(message: &'static str, at: usize) -> Parsed<T> {
    Err(SyntaxError { message, at })
}

/// Parses `text` and gives `f` its root (or the syntax error), with this thread's buffers.
pub(crate) fn with_root<R>(text: &str, f: impl for<'d> FnOnce(Result<Ref<'d>, SyntaxError>) -> R) -> R {
    debug_assert!(text.len() <= MAX_TEXT);
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let result = match scratch.parse(text) {
                Ok(doc) => f(Ok(doc.root())),
                Err(e) => f(Err(e)),
            };
            scratch.trim();
            result
        }
        // Only if `f` parses another document on this thread: it gets buffers of its own.
        Err(_) => match Scratch::default().parse(text) {
            Ok(doc) => f(Ok(doc.root())),
            Err(e) => f(Err(e)),
        },
    })
}

impl Scratch {
    fn parse<'t>(&'t mut self, text: &'t str) -> Parsed<Doc<'t>> {
        self.slots.clear();
        self.pending.clear();
        self.frames.clear();
        self.unescaped.clear();
        let mut parser = Parser { text, bytes: text.as_bytes(), at: 0, scratch: self };
        let root = parser.document()?;
        Ok(Doc { text, unescaped: &self.unescaped, slots: &self.slots, root })
    }

    /// Lets go of buffers that a very large document grew, rather than keeping them for good.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.slots.capacity() > KEEP || self.pending.capacity() > KEEP || self.unescaped.capacity() > KEEP * 16 {
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
    #[inline]
    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.at) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// The whole text as one value, with nothing but whitespace after it.
    fn document(&mut self) -> Parsed<Slot> {
        let root = self.value()?;
        match self.skip_whitespace() {
            Some(_) => fail(TRAILING_CHARACTERS, self.at),
            None => Ok(root),
        }
    }

    /// One value, iteratively: containers push a frame and go on with their first value;
    /// each finished value is stacked, then closes the containers that end after it.
    fn value(&mut self) -> Parsed<Slot> {
        let mut key = Span::default();
        'value: loop {
            let value = match self.skip_whitespace() {
                None => return fail(EOF_VALUE, self.at),
                Some(b'{') => {
                    self.at += 1;
                    match self.skip_whitespace() {
                        Some(b'}') => {
                            self.at += 1;
                            Val::Object { start: 0, len: 0 }
                        }
                        Some(b'"') => {
                            let start = self.scratch.pending.len() as u32;
                            self.scratch.frames.push(Frame { key, start, object: true });
                            key = self.key()?;
                            continue 'value;
                        }
                        Some(_) => return fail(KEY_MUST_BE_A_STRING, self.at),
                        None => return fail(EOF_OBJECT, self.at),
                    }
                }
                Some(b'[') => {
                    self.at += 1;
                    match self.skip_whitespace() {
                        Some(b']') => {
                            self.at += 1;
                            Val::Array { start: 0, len: 0 }
                        }
                        Some(_) => {
                            let start = self.scratch.pending.len() as u32;
                            self.scratch.frames.push(Frame { key, start, object: false });
                            key = Span::default();
                            continue 'value;
                        }
                        None => return fail(EOF_LIST, self.at),
                    }
                }
                Some(b'"') => {
                    self.at += 1;
                    Val::String(self.string()?)
                }
                Some(b'n') => {
                    self.ident(b"null")?;
                    Val::Null
                }
                Some(b't') => {
                    self.ident(b"true")?;
                    Val::Bool(true)
                }
                Some(b'f') => {
                    self.ident(b"false")?;
                    Val::Bool(false)
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(_) => return fail(EXPECTED_VALUE, self.at),
            };
            let mut slot = Slot { key, value };
            loop {
                let Some(frame) = self.scratch.frames.last() else { return Ok(slot) };
                let object = frame.object;
                self.scratch.pending.push(slot);
                match self.skip_whitespace() {
                    Some(b',') => {
                        self.at += 1;
                        match (self.skip_whitespace(), object) {
                            (Some(b'"'), true) => key = self.key()?,
                            (Some(b'}'), true) | (Some(b']'), false) => return fail(TRAILING_COMMA, self.at),
                            (Some(_), true) => return fail(KEY_MUST_BE_A_STRING, self.at),
                            (Some(_), false) => key = Span::default(),
                            (None, _) => return fail(EOF_VALUE, self.at),
                        }
                        continue 'value;
                    }
                    Some(b'}') if object => {
                        self.at += 1;
                        slot = self.close();
                    }
                    Some(b']') if !object => {
                        self.at += 1;
                        slot = self.close();
                    }
                    Some(_) => {
                        return fail(if object { EXPECTED_OBJECT_COMMA_OR_END } else { EXPECTED_LIST_COMMA_OR_END }, self.at)
                    }
                    None => return fail(if object { EOF_OBJECT } else { EOF_LIST }, self.at),
                }
            }
        }
    }

    /// Closes the innermost container: its values move into the arena in one run.
    fn close(&mut self) -> Slot {
        let Scratch { slots, pending, frames, unescaped, table } = &mut *self.scratch;
        let frame = frames.pop().expect("a container is open");
        let start = slots.len();
        slots.extend_from_slice(&pending[frame.start as usize..]);
        pending.truncate(frame.start as usize);
        if frame.object && has_duplicate_keys(self.text, unescaped, &slots[start..], table) {
            keep_last_values(self.text, unescaped, slots, start);
        }
        let (start, len) = (start as u32, (slots.len() - start) as u32);
        Slot { key: frame.key, value: if frame.object { Val::Object { start, len } } else { Val::Array { start, len } } }
    }

    /// A key (at its opening quote) and the colon after it.
    fn key(&mut self) -> Parsed<Span> {
        self.at += 1;
        let key = self.string()?;
        match self.skip_whitespace() {
            Some(b':') => {
                self.at += 1;
                Ok(key)
            }
            Some(_) => fail(EXPECTED_COLON, self.at),
            None => fail(EOF_OBJECT, self.at),
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
                None => return fail(EOF_VALUE, self.bytes.len()),
                Some(&b) if b != expected => return fail(EXPECTED_IDENT, self.at + k),
                Some(_) => {}
            }
        }
        unreachable!("the word matched after all")
    }

    /// A string's contents, after its opening quote.
    #[inline]
    fn string(&mut self) -> Parsed<Span> {
        let start = self.at;
        let stop = plain_run(self.bytes, start);
        match self.bytes.get(stop) {
            Some(b'"') => {
                self.at = stop + 1;
                Ok(Span { start: start as u32, len: (stop - start) as u32 })
            }
            Some(b'\\') => self.escaped_string(start, stop),
            Some(_) => fail(CONTROL_CHARACTER, stop),
            None => fail(EOF_STRING, self.bytes.len()),
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
            let Some(&escape) = bytes.get(at + 1) else { return fail(EOF_STRING, bytes.len()) };
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
                _ => return fail(INVALID_ESCAPE, at - 1),
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
                Some(_) => return fail(CONTROL_CHARACTER, at),
                None => return fail(EOF_STRING, bytes.len()),
            }
        }
    }

    /// A number, at its first character; errors as serde_json reports them.
    fn number(&mut self) -> Parsed<Val> {
        let bytes = self.bytes;
        let start = self.at;
        let negative = bytes[start] == b'-';
        let int_start = start + usize::from(negative);
        let mut at = int_start;
        match bytes.get(at) {
            None => return fail(EOF_VALUE, bytes.len()),
            Some(b'0') => {
                at += 1;
                if bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    return fail(INVALID_NUMBER, at);
                }
            }
            Some(b'1'..=b'9') => at = digits(bytes, at + 1),
            Some(_) => return fail(INVALID_NUMBER, at),
        }
        let int_digits = at - int_start;
        let mut plain = true;
        if bytes.get(at) == Some(&b'.') {
            plain = false;
            let fraction = at + 1;
            at = digits(bytes, fraction);
            if at == fraction {
                return fail(if at < bytes.len() { INVALID_NUMBER } else { EOF_VALUE }, at);
            }
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = bytes.get(at) {
            plain = false;
            at += 1;
            let negative_exponent = bytes.get(at) == Some(&b'-');
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            match bytes.get(at) {
                None => return fail(EOF_VALUE, bytes.len()),
                Some(b'0'..=b'9') => {}
                Some(_) => return fail(INVALID_NUMBER, at),
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
        // `-0` is a float for serde_json, so it stays text.
        if plain && int_digits <= 18 && !(negative && bytes[int_start] == b'0') {
            let magnitude = bytes[int_start..at].iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
            return Ok(Val::Int(if negative { -magnitude } else { magnitude }));
        }
        // serde_json refuses magnitudes past f64's ("number out of range"). The value is below
        // 10^(integer digits + exponent), so only huge ones need serde_json's own answer, which
        // also says where it gave up (the number has no newline: its column is the index).
        if int_digits as i64 + exponent > 300 {
            if let Err(e) = serde_json::from_str::<Number>(&self.text[start..at]) {
                return fail(NUMBER_OUT_OF_RANGE, start + e.column().max(1) - 1);
            }
        }
        Ok(Val::Number(Span { start: start as u32, len: (at - start) as u32 }))
    }
}

/// Past the ASCII digits from `at`.
#[inline]
fn digits(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_digit) {
        at += 1;
    }
    at
}

/// The first byte from `at` on that ends a plain run of string (`"`, `\` or a control
/// character), or the end. Eight bytes at a time, as serde_json does (the lowest flagged
/// byte is exact; borrows only ever flag bytes above it).
#[inline]
fn plain_run(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let control = word.wrapping_sub(ONES * 0x20) & !word;
        let quote = word ^ (ONES * u64::from(b'"'));
        let quote = quote.wrapping_sub(ONES) & !quote;
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let backslash = backslash.wrapping_sub(ONES) & !backslash;
        let found = (control | quote | backslash) & HIGH;
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while at < bytes.len() && !matches!(bytes[at], b'"' | b'\\' | 0..=0x1f) {
        at += 1;
    }
    at
}

/// Four hex digits at `at`: the code unit and the index past them. As serde_json, fewer than
/// four bytes left is the end of the text, and a non-digit is an invalid escape at the fourth.
fn hex4(bytes: &[u8], at: usize) -> Parsed<(u16, usize)> {
    let Some(digits) = bytes.get(at..at + 4) else { return fail(EOF_STRING, bytes.len()) };
    let mut unit = 0u16;
    for &d in digits {
        let Some(value) = (d as char).to_digit(16) else { return fail(INVALID_ESCAPE, at + 3) };
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

/// Whether an object's entries repeat a key. Pairwise for a few entries; otherwise through
/// an open-addressing table of (hash, index), reused, with a hash of the key's ends (cheap,
/// and collisions only cost a comparison).
fn has_duplicate_keys(text: &str, unescaped: &str, entries: &[Slot], table: &mut Vec<u64>) -> bool {
    let key = |k: usize| resolve(text, unescaped, entries[k].key);
    let n = entries.len();
    if n <= 4 {
        return (1..n).any(|j| (0..j).any(|i| key(i) == key(j)));
    }
    let size = (n * 2).next_power_of_two();
    table.clear();
    table.resize(size, 0);
    for k in 0..n {
        let name = key(k).as_bytes();
        let hash = key_hash(name);
        let mut at = hash as usize & (size - 1);
        loop {
            let entry = table[at];
            if entry == 0 {
                table[at] = (hash & !0xffff_ffff) | (k as u64 + 1);
                break;
            }
            if entry >> 32 == hash >> 32 && key((entry as u32 - 1) as usize).as_bytes() == name {
                return true;
            }
            at = (at + 1) & (size - 1);
        }
    }
    false
}

fn key_hash(name: &[u8]) -> u64 {
    let n = name.len();
    let (head, tail) = if n >= 8 {
        (
            u64::from_le_bytes(name[..8].try_into().expect("eight bytes")),
            u64::from_le_bytes(name[n - 8..].try_into().expect("eight bytes")),
        )
    } else {
        let mut word = [0u8; 8];
        word[..n].copy_from_slice(name);
        (u64::from_le_bytes(word), 0)
    };
    (head ^ tail.rotate_left(29) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (head.wrapping_mul(0xC2B2_AE3D_27D4_EB4F) >> 17)
}

/// Removes repeated keys from the object at `start` (the last run of `slots`) as serde_json's
/// map and `JSON.parse` do: the first place, the last value.
#[cold]
fn keep_last_values(text: &str, unescaped: &str, slots: &mut Vec<Slot>, start: usize) {
    let mut kept = start;
    for k in start..slots.len() {
        let slot = slots[k];
        let name = resolve(text, unescaped, slot.key);
        match (start..kept).find(|&j| resolve(text, unescaped, slots[j].key) == name) {
            Some(j) => slots[j].value = slot.value,
            None => {
                slots[kept] = slot;
                kept += 1;
            }
        }
    }
    slots.truncate(kept);
}

impl<'t> Doc<'t> {
    fn root(&self) -> Ref<'_> {
        Ref { doc: self, slot: &self.root }
    }

    #[inline]
    fn str(&self, span: Span) -> &'t str {
        resolve(self.text, self.unescaped, span)
    }
}

impl<'d> Ref<'d> {
    /// The slots of an array or object (empty for the other kinds).
    #[inline]
    fn children(self) -> &'d [Slot] {
        match self.slot.value {
            Val::Array { start, len } | Val::Object { start, len } => {
                &self.doc.slots[start as usize..(start + len) as usize]
            }
            _ => &[],
        }
    }
}

/// The entries of an object of a [`Doc`].
pub(crate) struct Entries<'d> {
    doc: &'d Doc<'d>,
    slots: std::slice::Iter<'d, Slot>,
}

impl<'d> Iterator for Entries<'d> {
    type Item = (&'d str, Ref<'d>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let slot = self.slots.next()?;
        Some((self.doc.str(slot.key), Ref { doc: self.doc, slot }))
    }
}

/// The items of an array of a [`Doc`].
pub(crate) struct Items<'d> {
    doc: &'d Doc<'d>,
    slots: std::slice::Iter<'d, Slot>,
}

impl<'d> Iterator for Items<'d> {
    type Item = Ref<'d>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.slots.next().map(|slot| Ref { doc: self.doc, slot })
    }
}

impl<'d> Instance<'d> for Ref<'d> {
    type Entries = Entries<'d>;
    type Items = Items<'d>;

    #[inline]
    fn kind(self) -> Kind {
        match self.slot.value {
            Val::Null => Kind::Null,
            Val::Bool(_) => Kind::Bool,
            Val::Int(_) | Val::Number(_) => Kind::Number,
            Val::String(_) => Kind::String,
            Val::Array { .. } => Kind::Array,
            Val::Object { .. } => Kind::Object,
        }
    }

    #[inline]
    fn as_bool(self) -> Option<bool> {
        match self.slot.value {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    #[inline]
    fn as_str(self) -> Option<&'d str> {
        match self.slot.value {
            Val::String(span) => Some(self.doc.str(span)),
            _ => None,
        }
    }

    fn as_number(self) -> Option<Number> {
        match self.slot.value {
            Val::Int(n) => Some(Number::from(n)),
            // serde_json's own reading, so that floats round as in a `Value`.
            Val::Number(span) => {
                let number = serde_json::from_str(self.doc.str(span)).ok();
                debug_assert!(number.is_some(), "a number the parser accepted");
                number
            }
            _ => None,
        }
    }

    #[inline]
    fn len(self) -> usize {
        match self.slot.value {
            Val::Array { len, .. } | Val::Object { len, .. } => len as usize,
            _ => 0,
        }
    }

    #[inline]
    fn entries(self) -> Entries<'d> {
        let slots = if matches!(self.slot.value, Val::Object { .. }) { self.children() } else { &[] };
        Entries { doc: self.doc, slots: slots.iter() }
    }

    fn get(self, key: &str) -> Option<Self> {
        self.entries().find(|(name, _)| *name == key).map(|(_, value)| value)
    }

    #[inline]
    fn items(self) -> Items<'d> {
        let slots = if matches!(self.slot.value, Val::Array { .. }) { self.children() } else { &[] };
        Items { doc: self.doc, slots: slots.iter() }
    }

    #[inline]
    fn item(self, index: usize) -> Option<Self> {
        match self.slot.value {
            Val::Array { .. } => self.children().get(index).map(|slot| Ref { doc: self.doc, slot }),
            _ => None,
        }
    }
}
