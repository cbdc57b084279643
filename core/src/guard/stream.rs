//! Guarding text as it streams: each chunk is scanned together with what is still held back,
//! and only the part no unfinished match can still reach is released, already redacted,
//! filtered or fixed. A `block` failure stops the stream.
//!
//! ```
//! use bridle::guard::{policy::Guard, redact::Vault, stream::GuardStream};
//! use serde_json::json;
//! use std::sync::Arc;
//! # fn main() -> bridle::Result<()> {
//! let guard = Arc::new(Guard::from_json(&json!({
//!     "checks": [{ "scanner": "text", "options": { "banned": ["hunter2"] }, "onFail": "redact" }],
//! }))?);
//! let mut stream = GuardStream::new(guard, Default::default());
//! let mut vault = Vault::new();
//! let mut out = String::new();
//! for chunk in ["the password is hun", "ter2, do not share"] {
//!     out += &stream.push(chunk, &mut vault)?.text;
//! }
//! out += &stream.finish(&mut vault)?.text;
//! assert_eq!(out, "the password is <BANNED_TERM_1>, do not share");
//! # Ok(()) }
//! ```
//!
//! How much is held back is asked of each scanner ([`Scanner::pending_from`]): for most, the
//! trailing word; for phone numbers, spaced card numbers or multi-word phrases a little more.
//! The hold-back is capped by [`StreamOptions::max_hold`], so memory and the work per chunk
//! stay bounded: a match longer than the cap (a PEM block beyond it) may be released
//! unredacted, which is the documented price of bounded latency. Text already released is kept
//! as context for [`StreamOptions::context`] bytes, so a context word that came in an earlier
//! chunk still counts.

use super::policy::{Failure, Guard, Hit};
use super::redact::Vault;
use crate::{Error, ErrorKind, Result};
use std::sync::Arc;

/// Stream options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// The most bytes held back at once (default 8 KB).
    pub max_hold: usize,
    /// Bytes of released text kept as context for the scanners (default 256).
    pub context: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions { max_hold: 8192, context: 256 }
    }
}

/// What one chunk released.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamStep {
    /// The text to pass on now (after the guard's edits).
    pub text: String,
    /// The findings in the released part, with offsets in the whole stream as received.
    pub hits: Vec<Hit>,
    /// The checks that failed in the released part (their `hits` index into `hits`).
    pub failures: Vec<Failure>,
    /// A `block` check failed: nothing more is released.
    pub blocked: bool,
    /// The hits' spans in UTF-16 code units of the whole stream (for JavaScript).
    pub utf16: Vec<(usize, usize)>,
}

/// A guard over a stream of text chunks.
#[derive(Debug)]
pub struct GuardStream {
    guard: Arc<Guard>,
    options: StreamOptions,
    /// Context already released, then text not yet released.
    buffer: String,
    /// Bytes of `buffer` already released.
    released: usize,
    /// The stream offset of `buffer[0]`.
    base: usize,
    /// The same offset in UTF-16 code units.
    base_units: usize,
    done: bool,
}

impl GuardStream {
    /// A stream checked by `guard`.
    pub fn new(guard: Arc<Guard>, options: StreamOptions) -> GuardStream {
        GuardStream { guard, options, buffer: String::new(), released: 0, base: 0, base_units: 0, done: false }
    }

    /// Adds a chunk and returns what can be released.
    pub fn push(&mut self, chunk: &str, vault: &mut Vault) -> Result<StreamStep> {
        self.step(chunk, false, vault)
    }

    /// Ends the stream, releasing everything held back.
    pub fn finish(&mut self, vault: &mut Vault) -> Result<StreamStep> {
        self.step("", true, vault)
    }

    /// The guard checking the stream.
    pub fn guard(&self) -> &Guard {
        &self.guard
    }

    /// The number of bytes held back now.
    pub fn held(&self) -> usize {
        self.buffer.len() - self.released
    }

    fn step(&mut self, chunk: &str, last: bool, vault: &mut Vault) -> Result<StreamStep> {
        if self.done {
            return Err(Error::new(ErrorKind::InvalidArgument, "the guard stream has ended (finished or blocked)"));
        }
        self.buffer.push_str(chunk);
        let len = self.buffer.len();
        let mut hold = if last { len } else { self.guard.pending_from(&self.buffer).max(self.released) };
        if len - hold > self.options.max_hold {
            hold = floor_boundary(&self.buffer, len - self.options.max_hold).max(self.released);
        }
        let scanned = self.guard.scan(&self.buffer);
        // A finding that is not complete inside the released part waits for the next chunk.
        loop {
            let crossing = scanned
                .iter()
                .filter(|h| h.finding.start >= self.released && h.finding.start < hold && h.finding.end > hold)
                .map(|h| h.finding.start)
                .min();
            match crossing {
                Some(start) => hold = start,
                None => break,
            }
        }
        let from = self.released;
        let region: Vec<Hit> = scanned
            .into_iter()
            .filter(|h| h.finding.start >= from && h.finding.end <= hold)
            .map(|mut h| {
                h.finding.start -= from;
                h.finding.end -= from;
                h
            })
            .collect();
        let outcome = self.guard.resolve(&self.buffer[from..hold], region, Vec::new(), vault);
        let shift = self.base + from;
        let units = super::wire::Utf16Offsets::new(&self.buffer, outcome.hits.iter().flat_map(|h| [h.finding.start + from, h.finding.end + from]));
        let utf16 = outcome.hits.iter().map(|h| (self.base_units + units.at(h.finding.start + from), self.base_units + units.at(h.finding.end + from))).collect();
        let hits = outcome
            .hits
            .into_iter()
            .map(|mut h| {
                h.finding.start += shift;
                h.finding.end += shift;
                h
            })
            .collect();
        if outcome.blocked || last {
            self.done = true;
        }
        let text = if outcome.blocked { String::new() } else { outcome.text };
        self.released = hold;
        let keep_from = floor_boundary(&self.buffer, self.released.saturating_sub(self.options.context));
        if keep_from > 0 {
            self.base_units += self.buffer[..keep_from].chars().map(char::len_utf16).sum::<usize>();
            self.buffer.drain(..keep_from);
            self.base += keep_from;
            self.released -= keep_from;
        }
        Ok(StreamStep { text, hits, failures: outcome.failures, blocked: outcome.blocked, utf16 })
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::policy::tests::check;
    use crate::guard::policy::Action;
    use crate::guard::redact::RedactOptions;

    fn run(chunks: &[&str], action: Action, options: StreamOptions) -> (String, Vec<StreamStep>) {
        let guard = Arc::new(Guard::new(vec![check(action)], RedactOptions::default()));
        let mut stream = GuardStream::new(guard, options);
        let mut vault = Vault::new();
        let mut steps: Vec<StreamStep> = chunks.iter().map(|c| stream.push(c, &mut vault).unwrap()).collect();
        steps.push(stream.finish(&mut vault).unwrap());
        (steps.iter().map(|s| s.text.as_str()).collect(), steps)
    }

    #[test]
    fn every_split_gives_the_whole_text_result() {
        let text = "call 5550123 or 7 about the secret 99999 ok é 12345";
        let whole = Guard::new(vec![check(Action::Redact)], RedactOptions::default()).run(text, &mut Vault::new()).text;
        for a in 0..=text.len() {
            for b in a..=text.len() {
                if !text.is_char_boundary(a) || !text.is_char_boundary(b) {
                    continue;
                }
                let (out, _) = run(&[&text[..a], &text[a..b], &text[b..]], Action::Redact, StreamOptions::default());
                assert_eq!(out, whole, "split at {a}, {b}");
            }
        }
    }

    #[test]
    fn holds_back_only_the_unfinished_word() {
        let (_, steps) = run(&["call 555", "0123 now and more words "], Action::Redact, StreamOptions::default());
        assert_eq!(steps[0].text, "call ");
        assert_eq!(steps[1].text, "<NUMBER_1> now and more words ");
        assert_eq!(steps[1].hits[0].finding.start, 5, "offsets are in the whole stream");
    }

    #[test]
    fn block_stops_the_stream() {
        let guard = Arc::new(Guard::new(vec![check(Action::Block)], RedactOptions::default()));
        let mut stream = GuardStream::new(guard, StreamOptions::default());
        let mut vault = Vault::new();
        assert_eq!(stream.push("fine words ", &mut vault).unwrap().text, "fine words ");
        let step = stream.push("then 12345 and", &mut vault).unwrap();
        assert!(step.blocked && step.text.is_empty());
        assert!(stream.push("more", &mut vault).is_err());
    }

    #[test]
    fn hold_is_capped_and_memory_bounded() {
        let options = StreamOptions { max_hold: 64, context: 16 };
        let guard = Arc::new(Guard::new(vec![check(Action::Redact)], RedactOptions::default()));
        let mut stream = GuardStream::new(guard, options);
        let mut vault = Vault::new();
        let mut released = 0;
        for _ in 0..1000 {
            released += stream.push("abcdefghij", &mut vault).unwrap().text.len();
            assert!(stream.held() <= 64 + 10);
        }
        released += stream.finish(&mut vault).unwrap().text.len();
        assert_eq!(released, 10_000);
    }
}

#[cfg(test)]
mod utf16_tests {
    use super::*;
    use crate::guard::policy::tests::check;
    use crate::guard::policy::Action;
    use crate::guard::redact::RedactOptions;

    #[test]
    fn utf16_offsets_count_the_whole_stream() {
        let guard = Arc::new(Guard::new(vec![check(Action::Noop)], RedactOptions::default()));
        let mut stream = GuardStream::new(guard, StreamOptions { max_hold: 8192, context: 0 });
        let mut vault = Vault::new();
        let mut utf16 = Vec::new();
        let mut bytes = Vec::new();
        for chunk in ["😀 é 123 ", "😀😀 4567 ", "x 890"] {
            let step = stream.push(chunk, &mut vault).unwrap();
            utf16.extend(step.utf16);
            bytes.extend(step.hits.iter().map(|h| (h.finding.start, h.finding.end)));
        }
        let step = stream.finish(&mut vault).unwrap();
        utf16.extend(step.utf16);
        bytes.extend(step.hits.iter().map(|h| (h.finding.start, h.finding.end)));
        let whole = "😀 é 123 😀😀 4567 x 890";
        let units: Vec<u16> = whole.encode_utf16().collect();
        for ((s, e), (bs, be)) in utf16.iter().zip(&bytes) {
            assert_eq!(String::from_utf16(&units[*s..*e]).unwrap(), &whole[*bs..*be]);
        }
        assert_eq!(utf16.len(), 3);
    }
}
