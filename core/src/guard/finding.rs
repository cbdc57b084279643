//! What every scanner reports: a [`Finding`] per suspicious span, as data, and the [`Scanner`]
//! trait the scanners share so they can be composed, streamed and redacted the same way.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// One span of the scanned text that a scanner reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The scanner family that reported it: `pii`, `secrets`, `injection`, `unicode`, `text`
    /// or `output`.
    pub scanner: &'static str,
    /// The entity type or rule kind in upper snake case (`EMAIL`, `CREDIT_CARD`,
    /// `GITHUB_TOKEN`, `INSTRUCTION_OVERRIDE`); redaction placeholders are built from it.
    pub kind: Cow<'static, str>,
    /// Byte offset of the span in the scanned text (a char boundary).
    pub start: usize,
    /// Byte offset just past the span (a char boundary).
    pub end: usize,
    /// A confidence in 0..=1 where the scanner has a graded judgment (injection, entropy).
    pub score: Option<f64>,
    /// Scanner-specific facts: the secret rule id, the card issuer, the decoded payload.
    pub detail: Map<String, Value>,
}

impl Finding {
    /// A finding without score or detail.
    pub fn new(scanner: &'static str, kind: impl Into<Cow<'static, str>>, start: usize, end: usize) -> Finding {
        Finding { scanner, kind: kind.into(), start, end, score: None, detail: Map::new() }
    }

    /// The same finding with a score.
    pub fn with_score(mut self, score: f64) -> Finding {
        self.score = Some(score);
        self
    }

    /// The same finding with one more detail entry.
    pub fn with_detail(mut self, key: &str, value: impl Into<Value>) -> Finding {
        self.detail.insert(key.to_owned(), value.into());
        self
    }

    /// The text of the span.
    pub fn text<'t>(&self, scanned: &'t str) -> &'t str {
        &scanned[self.start..self.end]
    }
}

/// A compiled scanner. Scanners are built once from their options and then scan any number of
/// texts; they hold no per-text state, so one can serve many threads and streams.
pub trait Scanner: Send + Sync + fmt::Debug {
    /// Appends the findings in `text` to `out` (in any order; callers sort).
    fn scan(&self, text: &str, out: &mut Vec<Finding>);

    /// For streaming: the byte offset (a char boundary) from which the end of `text` must be
    /// held back because a match could start there and still be unfinished when more text
    /// arrives. The default holds back the trailing run of non-whitespace characters; a
    /// scanner whose matches may contain whitespace (phone numbers, spaced card numbers, PEM
    /// blocks, multi-word phrases) returns an earlier offset.
    fn pending_from(&self, text: &str) -> usize {
        trailing_token_start(text)
    }
}

/// The start of the trailing run of non-whitespace characters of `text` (`text.len()` when it
/// ends in whitespace).
pub fn trailing_token_start(text: &str) -> usize {
    text.char_indices().rev().find(|&(_, c)| c.is_whitespace()).map_or(0, |(at, c)| at + c.len_utf8())
}

/// Sorts findings by start, then longest first, then scanner and kind, so results are the
/// same whatever order the scanners ran in.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.scanner.cmp(b.scanner)).then(a.kind.cmp(&b.kind))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_token() {
        assert_eq!(trailing_token_start("call me at 555"), 11);
        assert_eq!(trailing_token_start("done "), 5);
        assert_eq!(trailing_token_start("word"), 0);
        assert_eq!(trailing_token_start("é\u{3000}ü"), 5);
    }

    #[test]
    fn sorting_is_stable_across_scanner_order() {
        let mut a = vec![Finding::new("secrets", "X", 5, 9), Finding::new("pii", "EMAIL", 0, 4), Finding::new("pii", "Y", 5, 12)];
        sort_findings(&mut a);
        assert_eq!(a.iter().map(|f| (f.start, f.end)).collect::<Vec<_>>(), [(0, 4), (5, 12), (5, 9)]);
    }
}
