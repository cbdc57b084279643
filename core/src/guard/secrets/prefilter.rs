//! The prefilter: where in the text a rule could match, found without looking at most bytes
//! twice. Token prefixes are found by their rarest byte: a 256-entry table marks the bytes
//! that anchor some keyword (`_` for `ghp_`, `K` for `AKIA`, `/` for `://`), and only at those
//! bytes are the keywords of that byte's bucket compared. Keyword-context rules and the
//! generic detector need an assignment, so they start from the rare operator bytes (`=`, `:`)
//! and look back over the identifier before them, where a small Aho-Corasick automaton finds
//! their keywords.

use super::matcher::word;

/// The byte anchors some keyword.
pub(crate) const ANCHOR: u8 = 1;
/// The byte is an assignment operator.
pub(crate) const OPERATOR: u8 = 2;

/// How often a byte occurs in English prose and ordinary text (per mille, roughly): the
/// prefilter anchors each keyword at its rarest byte.
fn frequency(b: u8) -> f64 {
    const LETTERS: [f64; 26] = [
        65.0, 12.0, 22.0, 33.0, 100.0, 18.0, 16.0, 40.0, 60.0, 1.0, 6.0, 33.0, 20.0, 57.0, 60.0, 15.0, 1.0, 50.0, 53.0, 70.0,
        22.0, 8.0, 17.0, 1.5, 16.0, 1.0,
    ];
    match b {
        b'a'..=b'z' => LETTERS[(b - b'a') as usize],
        b'A'..=b'Z' => LETTERS[(b - b'A') as usize] / 15.0 + 0.2,
        b'0'..=b'9' => 3.0,
        b' ' => 180.0,
        b'.' => 8.0,
        b',' => 6.0,
        b'-' => 1.0,
        b':' => 0.5,
        b'_' | b'/' => 0.3,
        b'$' => 0.2,
        b'=' => 0.1,
        _ => 0.05,
    }
}

/// Keyword anchors: for each byte, the keywords (pattern index, offset of the byte in it) to
/// compare where that byte occurs.
#[derive(Debug)]
pub(crate) struct Anchors {
    pub table: [u8; 256],
    pub buckets: Vec<Vec<(u32, u8)>>,
}

impl Anchors {
    /// Anchors for `patterns` (keyword, case-insensitive), with `=` and `:` marked as operators
    /// when `operators`.
    pub fn new(patterns: &[(String, bool)], operators: bool) -> Anchors {
        let mut table = [0u8; 256];
        let mut buckets = vec![Vec::new(); 256];
        for (index, (keyword, ci)) in patterns.iter().enumerate() {
            let cost = |b: u8| if *ci && b.is_ascii_alphabetic() { frequency(b.to_ascii_lowercase()) + frequency(b.to_ascii_uppercase()) } else { frequency(b) };
            let bytes = keyword.as_bytes();
            let Some((offset, &byte)) = bytes.iter().enumerate().take(255).min_by(|a, b| cost(*a.1).total_cmp(&cost(*b.1))) else { continue };
            let mut mark = |b: u8| {
                table[b as usize] |= ANCHOR;
                buckets[b as usize].push((index as u32, offset as u8));
            };
            mark(byte);
            if *ci && byte.is_ascii_alphabetic() {
                mark(byte ^ 0x20);
            }
        }
        if operators {
            table[b'=' as usize] |= OPERATOR;
            table[b':' as usize] |= OPERATOR;
        }
        Anchors { table, buckets }
    }
}

/// The identifier (with spaces) that ends just before the operator at `op`: where a context
/// keyword may be. Returns `None` when the operator continues another (`:=`, `==`).
pub(crate) fn identifier_before(text: &[u8], op: usize) -> Option<(usize, usize)> {
    if op > 0 && matches!(text[op - 1], b'=' | b':' | b'?' | b'|') {
        return None;
    }
    let mut end = op;
    let limit = op.saturating_sub(4);
    while end > limit && matches!(text[end - 1], b' ' | b'\t' | b'\'' | b'"') {
        end -= 1;
    }
    let mut start = end;
    let limit = end.saturating_sub(74);
    while start > limit && (word(text[start - 1]) || matches!(text[start - 1], b'.' | b'-' | b' ' | b'\t')) {
        start -= 1;
    }
    (start < end).then_some((start, end))
}
