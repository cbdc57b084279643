//! Splitting text into pieces before byte-pair encoding, exactly as tiktoken's patterns do,
//! written as hand-made scanners rather than a backtracking regex: each alternative is a
//! function that returns where the regex's leftmost-first match would end. Every position
//! matches some alternative, so the pieces tile the text; each scan is linear in what it reads
//! and no character is read more than a few times, so splitting is linear in the text.
//!
//! The patterns (tiktoken's `pat_str`; the lookahead `\s+(?!\S)` is why a plain DFA cannot):
//! - r50k/p50k: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
//! - cl100k: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//!   ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
//! - o200k: `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|…)?|
//!   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|…)?|
//!   \p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`

use super::unicode::{class_of, CharClass};

/// Which splitting pattern an encoding uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// GPT-2's pattern, used by `r50k_base`, `p50k_base` and `p50k_edit`.
    Gpt2,
    /// `cl100k_base`'s pattern.
    Cl100k,
    /// `o200k_base`'s pattern.
    O200k,
}

/// The pieces of `text` under `pattern`, as byte ranges that tile it in order.
pub fn pieces(text: &str, pattern: Pattern) -> Pieces<'_> {
    Pieces { scan: Scan { text: text.as_bytes(), str: text }, pos: 0, pattern }
}

/// Iterator over the pieces of a text (see [`pieces`]).
pub struct Pieces<'a> {
    scan: Scan<'a>,
    pos: usize,
    pattern: Pattern,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let start = self.pos;
        if start >= self.scan.text.len() {
            return None;
        }
        let end = match self.pattern {
            Pattern::Gpt2 => self.scan.gpt2(start),
            Pattern::Cl100k => self.scan.cl100k(start),
            Pattern::O200k => self.scan.o200k(start),
        };
        debug_assert!(end > start);
        self.pos = end;
        Some(&self.scan.str[start..end])
    }
}

struct Scan<'a> {
    text: &'a [u8],
    str: &'a str,
}

/// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`: o200k's "upper" side.
#[inline]
fn is_upperish(class: CharClass) -> bool {
    matches!(class, CharClass::Upper | CharClass::OtherLetter | CharClass::Mark)
}

/// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`: o200k's "lower" side.
#[inline]
fn is_lowerish(class: CharClass) -> bool {
    matches!(class, CharClass::Lower | CharClass::OtherLetter | CharClass::Mark)
}

/// `[^\r\n\p{L}\p{N}]`: the optional character before a word in cl100k and o200k.
#[inline]
fn is_word_prefix(class: CharClass) -> bool {
    matches!(class, CharClass::Space | CharClass::Other | CharClass::Mark)
}

impl Scan<'_> {
    /// The class and byte length of the character at `at`, or `None` at the end.
    #[inline]
    fn at(&self, at: usize) -> Option<(CharClass, usize)> {
        let byte = *self.text.get(at)?;
        if byte < 0x80 {
            return Some((class_of(byte as char), 1));
        }
        let c = self.str[at..].chars().next()?;
        Some((class_of(c), c.len_utf8()))
    }

    #[inline]
    fn class_at(&self, at: usize) -> Option<CharClass> {
        self.at(at).map(|(class, _)| class)
    }

    /// The end of the run of characters from `at` that satisfy `keep`.
    #[inline]
    fn run(&self, mut at: usize, keep: impl Fn(CharClass) -> bool) -> usize {
        while let Some((class, len)) = self.at(at) {
            if !keep(class) {
                break;
            }
            at += len;
        }
        at
    }

    /// Up to `max` characters of a class from `at`.
    #[inline]
    fn run_max(&self, mut at: usize, max: usize, keep: impl Fn(CharClass) -> bool) -> usize {
        for _ in 0..max {
            match self.at(at) {
                Some((class, len)) if keep(class) => at += len,
                _ => break,
            }
        }
        at
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` at `at` (case-insensitively if `fold`): its end.
    #[inline]
    fn contraction(&self, at: usize, fold: bool) -> Option<usize> {
        if self.text.get(at) != Some(&b'\'') {
            return None;
        }
        let next = |i: usize| self.str.get(at + i..).and_then(|rest| rest.chars().next());
        let is = |c: Option<char>, want: char| match c {
            Some(c) if fold => {
                // Simple case folding, as the `regex` crate's `(?i)` does: `ſ` (U+017F) is an `s`.
                c.to_ascii_lowercase() == want || (want == 's' && c == '\u{17F}')
            }
            Some(c) => c == want,
            None => false,
        };
        let first = next(1);
        let first_len = first.map_or(0, char::len_utf8);
        for single in ['s', 't', 'm', 'd'] {
            if is(first, single) {
                return Some(at + 1 + first_len);
            }
        }
        let second = next(1 + first_len);
        for (a, b) in [('r', 'e'), ('v', 'e'), ('l', 'l')] {
            if is(first, a) && is(second, b) {
                return Some(at + 1 + first_len + second.map_or(0, char::len_utf8));
            }
        }
        None
    }

    /// ` ?X+` where `X` is `keep`: its end.
    #[inline]
    fn space_then_run(&self, at: usize, keep: impl Fn(CharClass) -> bool + Copy) -> Option<usize> {
        let from = if self.text[at] == b' ' && self.class_at(at + 1).is_some_and(keep) { at + 1 } else { at };
        match self.at(from) {
            Some((class, len)) if keep(class) => Some(self.run(from + len, keep)),
            _ => None,
        }
    }

    /// `\s*[\r\n]+` at `at` (a whitespace character): the end after the run's last newline.
    #[inline]
    fn spaces_to_newline(&self, at: usize, run_end: usize) -> Option<usize> {
        self.text[at..run_end].iter().rposition(|&b| b == b'\n' || b == b'\r').map(|i| at + i + 1)
    }

    /// `\s+(?!\S)|\s+` at `at` (a whitespace character), whose run ends at `run_end`.
    #[inline]
    fn spaces(&self, at: usize, run_end: usize) -> usize {
        if run_end == self.text.len() {
            return run_end;
        }
        // A non-space follows: the run gives up its last character, if it has more than one.
        let last = self.str[at..run_end].char_indices().next_back().map_or(at, |(i, _)| at + i);
        if last > at {
            last
        } else {
            run_end
        }
    }

    fn gpt2(&self, at: usize) -> usize {
        if let Some(end) = self.contraction(at, false) {
            return end;
        }
        if let Some(end) = self.space_then_run(at, CharClass::is_letter) {
            return end;
        }
        if let Some(end) = self.space_then_run(at, |class| class == CharClass::Number) {
            return end;
        }
        if let Some(end) = self.space_then_run(at, CharClass::is_other) {
            return end;
        }
        let run_end = self.run(at, CharClass::is_space);
        self.spaces(at, run_end)
    }

    fn cl100k(&self, at: usize) -> usize {
        if let Some(end) = self.contraction(at, true) {
            return end;
        }
        let (class, len) = self.at(at).expect("inside the text");
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if class.is_letter() {
            return self.run(at + len, CharClass::is_letter);
        }
        if is_word_prefix(class) && self.class_at(at + len).is_some_and(CharClass::is_letter) {
            return self.run(at + len, CharClass::is_letter);
        }
        // \p{N}{1,3}
        if class == CharClass::Number {
            return self.run_max(at, 3, |class| class == CharClass::Number);
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        if let Some(end) = self.space_then_run(at, CharClass::is_other) {
            return self.run(end, |class| class == CharClass::Newline);
        }
        let run_end = self.run(at, CharClass::is_space);
        self.spaces_to_newline(at, run_end).unwrap_or_else(|| self.spaces(at, run_end))
    }

    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+` at `at`, backtracking as the
    /// regex does: the greedy upper run gives back characters until a lower one can follow.
    fn o200k_lower_word(&self, at: usize) -> Option<usize> {
        let mut end = at;
        let mut last_lowerish = None;
        while let Some((class, len)) = self.at(end) {
            if !is_upperish(class) {
                break;
            }
            if is_lowerish(class) {
                last_lowerish = Some(end + len);
            }
            end += len;
        }
        match self.at(end) {
            Some((CharClass::Lower, len)) => Some(self.run(end + len, is_lowerish)),
            _ => last_lowerish,
        }
    }

    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*` at `at`.
    fn o200k_upper_word(&self, at: usize) -> Option<usize> {
        let end = self.run(at, is_upperish);
        (end > at).then(|| self.run(end, is_lowerish))
    }

    /// One of o200k's two word alternatives with its optional prefix character and suffix.
    fn o200k_word(&self, at: usize, word: impl Fn(&Self, usize) -> Option<usize>) -> Option<usize> {
        let (class, len) = self.at(at)?;
        let end = if is_word_prefix(class) { word(self, at + len).or_else(|| word(self, at)) } else { word(self, at) }?;
        Some(self.contraction(end, true).unwrap_or(end))
    }

    fn o200k(&self, at: usize) -> usize {
        if let Some(end) = self.o200k_word(at, Self::o200k_lower_word) {
            return end;
        }
        if let Some(end) = self.o200k_word(at, Self::o200k_upper_word) {
            return end;
        }
        if self.class_at(at) == Some(CharClass::Number) {
            return self.run_max(at, 3, |class| class == CharClass::Number);
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
        if let Some(end) = self.space_then_run(at, CharClass::is_other) {
            let mut end = end;
            while matches!(self.text.get(end), Some(b'\r' | b'\n' | b'/')) {
                end += 1;
            }
            return end;
        }
        let run_end = self.run(at, CharClass::is_space);
        self.spaces_to_newline(at, run_end).unwrap_or_else(|| self.spaces(at, run_end))
    }
}
