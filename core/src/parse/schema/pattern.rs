//! `pattern` and `patternProperties`: a compiled regex, with a fast path for the simple
//! patterns schemas mostly have (`^resp_[a-z0-9]{12}$`, `^doc-\d{6}$`).
//!
//! `regex-lite` runs every pattern on a PikeVM, which costs thousands of instructions per
//! match even for a dozen characters: a quarter of a whole validation of a typical 2 KB
//! document. A pattern that is only a sequence of character sets, each repeated a fixed or
//! bounded number of times, where every repeat that may stop early is followed by sets it
//! shares no character with, matches greedily with no backtracking, so it is run here
//! instead. The regex is still compiled (it decides what is valid) and runs every other
//! pattern; tests compare the two on random patterns and texts.

use regex_lite::Regex;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    regex: Regex,
    simple: Option<Simple>,
}

impl Pattern {
    /// `regex` is `source` (an ECMA-262 pattern) compiled after translation.
    pub(crate) fn new(regex: Regex, source: &str) -> Pattern {
        Pattern { regex, simple: Simple::parse(source) }
    }

    /// Whether the pattern matches somewhere in `text` (patterns are not anchored unless
    /// they say so).
    #[inline]
    pub(crate) fn is_match(&self, text: &str) -> bool {
        match &self.simple {
            Some(simple) => simple.is_match(text),
            None => self.regex.is_match(text),
        }
    }
}

/// A set of characters: some ASCII ones, and either all non-ASCII ones or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Set {
    ascii: u128,
    non_ascii: bool,
}

impl Set {
    const DIGITS: u128 = 0x3ff << b'0';
    const WORD: u128 = Set::DIGITS | (0x3ff_ffff << b'A') | (0x3ff_ffff << b'a') | (1 << b'_');

    #[inline]
    fn has(self, c: char) -> bool {
        match u8::try_from(c) {
            Ok(b) if b < 128 => self.ascii & (1 << b) != 0,
            _ => self.non_ascii,
        }
    }

    fn disjoint(self, other: Set) -> bool {
        self.ascii & other.ascii == 0 && !(self.non_ascii && other.non_ascii)
    }
}

/// A set repeated `min..=max` times.
#[derive(Debug, Clone, Copy)]
struct Atom {
    set: Set,
    min: u32,
    max: u32,
}

/// A pattern that is a sequence of repeated character sets, matched greedily.
#[derive(Debug, Clone)]
struct Simple {
    atoms: Box<[Atom]>,
    start: bool,
    end: bool,
}

impl Simple {
    /// The simple form of an ECMA-262 pattern, if it has one: only literal characters
    /// (ASCII; escaped punctuation), `\d`, `\w`, classes of those and of ranges (negated or
    /// not), the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`, and `^`/`$` at the ends.
    fn parse(source: &str) -> Option<Simple> {
        let mut chars = source.strip_prefix('^').unwrap_or(source).chars().peekable();
        let start = source.starts_with('^');
        let mut atoms: Vec<Atom> = Vec::new();
        let mut end = false;
        while let Some(c) = chars.next() {
            let set = match c {
                '$' if chars.peek().is_none() => {
                    end = true;
                    break;
                }
                '\\' => escape(chars.next()?)?,
                '[' => class(&mut chars)?,
                '?' | '*' | '+' | '{' => {
                    let atom = atoms.last_mut().filter(|a| a.min == 1 && a.max == 1)?;
                    (atom.min, atom.max) = match c {
                        '?' => (0, 1),
                        '*' => (0, u32::MAX),
                        '+' => (1, u32::MAX),
                        _ => counts(&mut chars)?,
                    };
                    // A lazy quantifier (`+?`) or a second one: not simple.
                    if matches!(chars.peek(), Some('?' | '*' | '+' | '{')) {
                        return None;
                    }
                    continue;
                }
                c if c.is_ascii() && !"^$.|()]}".contains(c) => literal(c),
                _ => return None,
            };
            atoms.push(Atom { set, min: 1, max: 1 });
        }
        // Greedy is exact when no repeat that may stop early shares a character with what
        // may come right after it: the atoms up to the next one that must match.
        for (i, atom) in atoms.iter().enumerate().filter(|(_, a)| a.min < a.max) {
            for next in &atoms[i + 1..] {
                if !atom.set.disjoint(next.set) {
                    return None;
                }
                if next.min > 0 {
                    break;
                }
            }
        }
        Some(Simple { atoms: atoms.into(), start, end })
    }

    fn is_match(&self, text: &str) -> bool {
        if self.start {
            return self.matches_at(text);
        }
        text.char_indices().map(|(i, _)| i).chain([text.len()]).any(|i| self.matches_at(&text[i..]))
    }

    /// Whether the atoms match from the start of `text` (and, with `$`, to its end).
    #[inline]
    fn matches_at(&self, text: &str) -> bool {
        let mut chars = text.chars();
        let mut pending = chars.next();
        for atom in self.atoms.iter() {
            let mut count = 0;
            while count < atom.max {
                match pending {
                    Some(c) if atom.set.has(c) => {
                        count += 1;
                        pending = chars.next();
                    }
                    _ => break,
                }
            }
            if count < atom.min {
                return false;
            }
        }
        !self.end || pending.is_none()
    }
}

fn literal(c: char) -> Set {
    Set { ascii: 1 << c as u32, non_ascii: false }
}

/// An escape outside a class: `\d`, `\w`, or escaped ASCII punctuation.
fn escape(c: char) -> Option<Set> {
    match c {
        'd' => Some(Set { ascii: Set::DIGITS, non_ascii: false }),
        'w' => Some(Set { ascii: Set::WORD, non_ascii: false }),
        c if c.is_ascii_punctuation() => Some(literal(c)),
        _ => None,
    }
}

/// A class, after its `[`: ASCII literals, ranges between them, `\d`, `\w` and escaped
/// punctuation, possibly negated.
fn class(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<Set> {
    let negated = chars.next_if_eq(&'^').is_some();
    let mut ascii = 0u128;
    let mut first = true;
    loop {
        let c = chars.next()?;
        let low = match c {
            ']' if !first => break,
            '\\' => match chars.next()? {
                'd' => {
                    ascii |= Set::DIGITS;
                    first = false;
                    continue;
                }
                'w' => {
                    ascii |= Set::WORD;
                    first = false;
                    continue;
                }
                c if c.is_ascii_punctuation() => c,
                _ => return None,
            },
            // `[` and `]` first, and `&&`/`~~`, read differently by the two dialects.
            '[' | ']' | '&' | '~' => return None,
            c if c.is_ascii() => c,
            _ => return None,
        };
        first = false;
        let high = if chars.peek() == Some(&'-') && chars.clone().nth(1).is_some_and(|c| c != ']') {
            chars.next();
            match chars.next()? {
                '\\' => chars.next().filter(char::is_ascii_punctuation)?,
                c if c.is_ascii() && !"[]&~".contains(c) => c,
                _ => return None,
            }
        } else {
            low
        };
        if high < low {
            return None;
        }
        for b in low as u32..=high as u32 {
            ascii |= 1 << b;
        }
    }
    Some(if negated { Set { ascii: !ascii, non_ascii: true } } else { Set { ascii, non_ascii: false } })
}

/// The counts of `{n}`, `{n,}` or `{n,m}`, after the `{`.
fn counts(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<(u32, u32)> {
    let number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        let mut n: Option<u32> = None;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            chars.next();
            n = Some(n.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
        }
        n
    };
    let min = number(chars)?;
    let max = match chars.next()? {
        '}' => return Some((min, min)),
        ',' => number(chars).unwrap_or(u32::MAX),
        _ => return None,
    };
    (chars.next()? == '}' && min <= max).then_some((min, max))
}

#[cfg(test)]
mod tests {
    use super::super::compile::translate_pattern;
    use super::*;

    fn pattern(source: &str) -> Pattern {
        let translated = translate_pattern(source).expect("a pattern");
        Pattern::new(Regex::new(&translated).expect("it compiles"), source)
    }

    #[test]
    fn simple_patterns_are_recognised() {
        for simple in [
            "^resp_[a-z0-9]{12}$",
            "^doc-\\d{6}$",
            "^[a-z]+-[a-z]+$",
            "abc",
            "",
            "^$",
            "^\\w+@\\w+\\.com$",
            "[^a-z]{2,}x",
            "^a?b*c+$",
        ] {
            assert!(pattern(simple).simple.is_some(), "{simple}");
        }
        for other in
            ["^[a-z]+(-[a-z]+)*$", "a|b", "^a+a$", "^\\w+\\d$", "a.b", "é", "^a{2,}?$", "\\s", "[[]", "^[a-]+-$", "^a*?$"]
        {
            assert!(pattern(other).simple.is_none(), "{other}");
        }
    }

    /// Random patterns from the simple grammar and near it, on random texts: the fast path
    /// must answer as the regex does.
    #[test]
    fn the_fast_path_answers_as_the_regex_does() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        const ATOMS: &[&str] = &[
            "a",
            "b",
            "-",
            "_",
            "\\.",
            "\\d",
            "\\w",
            "[a-c]",
            "[^a]",
            "[0-9_]",
            "[\\d-]",
            "[^\\w]",
            "x",
            "\\-",
            "[b-]",
            "[\\d-x]",
            "[a-]",
            "[-a]",
            "[\\.-\\/]",
            "\\/",
            "[\\]]",
        ];
        const QUANTIFIERS: &[&str] = &["", "", "", "?", "*", "+", "{2}", "{1,3}", "{0,}", "{2,2}"];
        const PIECES: &[&str] = &["a", "b", "c", "-", "_", ".", "0", "7", "x", " ", "é", "ab", "a-", "00"];
        let mut simple = 0;
        for _ in 0..4000 {
            let mut source = String::new();
            if next(3) > 0 {
                source.push('^');
            }
            for _ in 0..next(5) {
                source.push_str(ATOMS[next(ATOMS.len())]);
                source.push_str(QUANTIFIERS[next(QUANTIFIERS.len())]);
            }
            if next(3) > 0 {
                source.push('$');
            }
            // Some combinations are not patterns (`[\\d-x]`): those are refused before any match.
            let Some(compiled) =
                translate_pattern(&source).and_then(|t| Regex::new(&t).ok()).map(|r| Pattern::new(r, &source))
            else {
                continue;
            };
            simple += usize::from(compiled.simple.is_some());
            for _ in 0..30 {
                let text: String = (0..next(8)).map(|_| PIECES[next(PIECES.len())]).collect();
                assert_eq!(compiled.is_match(&text), compiled.regex.is_match(&text), "{source:?} on {text:?}");
            }
        }
        assert!(simple > 1000, "only {simple} simple patterns");
    }
}
