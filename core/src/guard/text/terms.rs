//! Many literal terms found in one pass: one Aho-Corasick automaton over the fully folded
//! text, candidates mapped back to the original and checked against each term's own folding
//! (case- or accent-sensitive terms) and word boundaries.

use super::fold::{fold_str, folds_to, is_mark, is_word_char, Fold, FoldedView, FULL};
use super::scripts::is_unspaced;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Term lists up to this many bytes are compiled to a DFA.
const DFA_MAX_BYTES: usize = 64 * 1024;

/// One term to find.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// An index the owner uses (the rule or kind it belongs to).
    pub group: usize,
    /// The term as given.
    pub text: String,
    /// The folding it is compared under.
    pub fold: Fold,
    /// Whether a match may not touch a letter, digit or underscore on either side (checked only
    /// where the term's own edge is a word character, and not next to unspaced scripts).
    pub whole_words: bool,
}

/// A compiled term list.
#[derive(Debug)]
pub(crate) struct TermMatcher {
    automaton: Option<AhoCorasick>,
    terms: Vec<Term>,
    folded: Vec<String>,
    /// The most characters a folded term has.
    pub max_chars: usize,
}

/// A match: the term index and the original span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TermMatch {
    pub term: usize,
    pub start: usize,
    pub end: usize,
}

impl TermMatcher {
    /// Compiles `terms`; a term that folds to nothing is refused with its index.
    pub fn new(terms: Vec<Term>) -> Result<TermMatcher, usize> {
        let mut patterns = Vec::with_capacity(terms.len());
        let mut folded = Vec::with_capacity(terms.len());
        let mut max_chars = 0;
        for (index, term) in terms.iter().enumerate() {
            let full = fold_str(&term.text, FULL);
            if full.is_empty() {
                return Err(index);
            }
            max_chars = max_chars.max(full.chars().count());
            patterns.push(full);
            folded.push(if term.fold == FULL { String::new() } else { fold_str(&term.text, term.fold) });
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(true)
                    // A DFA is several times faster than the NFAs the builder picks past 100
                    // patterns; past DFA_MAX_BYTES of patterns its memory is not worth it.
                    .kind((patterns.iter().map(String::len).sum::<usize>() <= DFA_MAX_BYTES).then_some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .expect("term automaton within limits"),
            )
        };
        Ok(TermMatcher { automaton, terms, folded, max_chars })
    }

    /// The terms, in the order given.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Calls `found` with the matches in `text`: per group, leftmost-longest and not
    /// overlapping. Allocates only when the text is not ASCII or has candidates.
    pub fn find(&self, text: &str, mut found: impl FnMut(TermMatch)) {
        let Some(automaton) = &self.automaton else { return };
        let storage;
        let (haystack, view) = if text.is_ascii() {
            (text, None)
        } else {
            storage = FoldedView::new(text);
            (storage.text.as_str(), Some(&storage))
        };
        let mut candidates: Vec<TermMatch> = Vec::new();
        for m in automaton.find_overlapping_iter(haystack) {
            let (start, mut end) = match view {
                None => (m.start(), m.end()),
                Some(view) => match view.original(m.start(), m.end()) {
                    Some(span) => span,
                    None => continue,
                },
            };
            // Combining marks after the last letter belong to it.
            if view.is_some() {
                end += text[end..].chars().take_while(|&c| is_mark(c)).map(char::len_utf8).sum::<usize>();
            }
            let index = m.pattern().as_usize();
            let term = &self.terms[index];
            if term.fold != FULL && !folds_to(&text[start..end], &self.folded[index], term.fold) {
                continue;
            }
            if term.whole_words && !at_word_edges(text, start, end, &term.text) {
                continue;
            }
            candidates.push(TermMatch { term: index, start, end });
        }
        if candidates.is_empty() {
            return;
        }
        candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.term.cmp(&b.term)));
        let groups = self.terms.iter().map(|t| t.group).max().unwrap_or(0) + 1;
        let mut taken_to = vec![0usize; groups];
        let mut any = vec![false; groups];
        for candidate in candidates {
            let group = self.terms[candidate.term].group;
            if any[group] && candidate.start < taken_to[group] {
                continue;
            }
            any[group] = true;
            taken_to[group] = candidate.end;
            found(candidate);
        }
    }

    /// The start of the trailing part of `text` where a match could begin and still be
    /// unfinished: at most `max_chars - 1` characters back (marks do not count).
    pub fn pending_from(&self, text: &str) -> usize {
        let mut counted = 0;
        let mut from = text.len();
        for (at, c) in text.char_indices().rev() {
            if counted + 1 >= self.max_chars {
                break;
            }
            from = at;
            if !is_mark(c) {
                counted += 1;
            }
        }
        from
    }
}

/// Whether `text[start..end]` does not continue a word on either side (a side is checked
/// only when the term's own character there is a word character).
pub(crate) fn at_word_edges(text: &str, start: usize, end: usize, term: &str) -> bool {
    let joins = |inner: Option<char>, outer: Option<char>| match (inner, outer) {
        (Some(i), Some(o)) => is_word_char(i) && is_word_char(o) && !is_unspaced(i) && !is_unspaced(o),
        _ => false,
    };
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // A mark before the match belongs to the letter before it.
    !joins(term.chars().next(), before) && !joins(term.chars().next_back(), after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, group: usize, fold: Fold, whole_words: bool) -> Term {
        Term { group, text: text.to_owned(), fold, whole_words }
    }

    fn spans(matcher: &TermMatcher, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        matcher.find(text, |m| out.push(text[m.start..m.end].to_owned()));
        out
    }

    #[test]
    fn folding_and_words() {
        let matcher = TermMatcher::new(vec![
            term("cafe", 0, FULL, true),
            term("Straße", 0, FULL, true),
            term("ACME", 0, Fold { case: false, accents: true }, true),
            term("naïve", 0, Fold { case: true, accents: false }, true),
            term("机密", 0, FULL, true),
        ])
        .unwrap();
        assert_eq!(spans(&matcher, "Café and CAFE\u{301}, not cafeteria"), ["Café", "CAFE\u{301}"]);
        assert_eq!(spans(&matcher, "STRASSE strasse Strasse"), ["STRASSE", "strasse", "Strasse"]);
        assert_eq!(spans(&matcher, "acme ACME Acme ÀCME"), ["ACME", "ÀCME"]);
        assert_eq!(spans(&matcher, "naive NAÏVE naïve"), ["NAÏVE", "naïve"]);
        assert_eq!(spans(&matcher, "这是机密文件"), ["机密"]);
        assert_eq!(spans(&matcher, "Straßenbahn"), Vec::<String>::new());
    }

    #[test]
    fn overlapping_candidates_do_not_hide_matches() {
        let matcher = TermMatcher::new(vec![term("a b", 0, FULL, true), term("b c", 0, FULL, true)]).unwrap();
        assert_eq!(spans(&matcher, "xa b c"), ["b c"]);
        let matcher = TermMatcher::new(vec![term("new york", 0, FULL, true), term("york", 0, FULL, true)]).unwrap();
        assert_eq!(spans(&matcher, "New York and york"), ["New York", "york"]);
        assert_eq!(matcher.pending_from("in new yo"), 2);
    }
}
