//! The prefilter: where in the text a rule could match, found without looking at most bytes
//! twice. Token prefixes are found by their rarest pair of adjacent bytes: a 256-entry table
//! marks the first bytes of anchor pairs (`p_` for `ghp_`, `KI` for `AKIA`, `:/` for `://`),
//! and only where a marked byte is followed by its pair's second byte are the keywords of
//! that pair's bucket compared. Keyword-context rules and the
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
        65.0, 12.0, 22.0, 33.0, 100.0, 18.0, 16.0, 40.0, 60.0, 1.0, 6.0, 33.0, 20.0, 57.0, 60.0, 15.0, 1.0, 50.0, 53.0,
        70.0, 22.0, 8.0, 17.0, 1.5, 16.0, 1.0,
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

/// Keyword anchors: each keyword is anchored at its rarest pair of adjacent bytes; the table
/// marks the first bytes of anchor pairs, and at such a byte the pair (with the next byte)
/// selects the bucket of keywords (pattern index, offset of the pair in it) to compare.
#[derive(Debug)]
pub(crate) struct Anchors {
    pub table: [u8; 256],
    /// One bit per byte pair (`first << 8 | second`) that anchors some keyword: 8 KiB, so the
    /// check stays in the L1 cache.
    bits: Box<[u64; 1024]>,
    /// For each byte pair, 1 + its bucket's index, or 0.
    pairs: Vec<u16>,
    buckets: Vec<Vec<(u32, u8)>>,
}

impl Anchors {
    /// Anchors for `patterns` (keyword, case-insensitive; at least 2 bytes each), with `=`
    /// and `:` marked as operators when `operators`.
    pub fn new(patterns: &[(String, bool)], operators: bool) -> Anchors {
        let mut anchors =
            Anchors { table: [0; 256], bits: Box::new([0; 1024]), pairs: vec![0; 1 << 16], buckets: Vec::new() };
        for (index, (keyword, ci)) in patterns.iter().enumerate() {
            let cost = |b: u8| {
                if *ci && b.is_ascii_alphabetic() {
                    frequency(b.to_ascii_lowercase()) + frequency(b.to_ascii_uppercase())
                } else {
                    frequency(b)
                }
            };
            let bytes = keyword.as_bytes();
            let Some(offset) = (0..bytes.len().saturating_sub(1).min(255))
                .min_by(|&a, &b| (cost(bytes[a]) * cost(bytes[a + 1])).total_cmp(&(cost(bytes[b]) * cost(bytes[b + 1]))))
            else {
                continue;
            };
            let variants = |b: u8| {
                if *ci && b.is_ascii_alphabetic() {
                    vec![b.to_ascii_lowercase(), b.to_ascii_uppercase()]
                } else {
                    vec![b]
                }
            };
            for first in variants(bytes[offset]) {
                for second in variants(bytes[offset + 1]) {
                    anchors.table[first as usize] |= ANCHOR;
                    let key = usize::from(first) << 8 | usize::from(second);
                    anchors.bits[key >> 6] |= 1 << (key & 63);
                    if anchors.pairs[key] == 0 {
                        anchors.buckets.push(Vec::new());
                        anchors.pairs[key] = anchors.buckets.len() as u16;
                    }
                    anchors.buckets[anchors.pairs[key] as usize - 1].push((index as u32, offset as u8));
                }
            }
        }
        if operators {
            for op in [b'=', b':'] {
                anchors.table[op as usize] |= OPERATOR;
                for second in 0..256 {
                    let key = usize::from(op) << 8 | second;
                    anchors.bits[key >> 6] |= 1 << (key & 63);
                }
            }
        }
        anchors
    }

    /// Whether the pair `first`, `second` anchors a keyword or starts with an operator: the
    /// test the scan makes at every byte.
    #[inline]
    pub fn hit(&self, first: u8, second: u8) -> bool {
        let key = usize::from(first) << 8 | usize::from(second);
        self.bits[key >> 6] & (1 << (key & 63)) != 0
    }

    /// The keywords anchored at the pair `first`, `second`.
    #[inline]
    pub fn bucket(&self, first: u8, second: u8) -> &[(u32, u8)] {
        let key = usize::from(first) << 8 | usize::from(second);
        if self.bits[key >> 6] & (1 << (key & 63)) == 0 {
            return &[];
        }
        match self.pairs[key] {
            0 => &[],
            at => &self.buckets[at as usize - 1],
        }
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
