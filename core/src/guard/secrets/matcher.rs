//! The one small interpreter of the rule table: literal and character-run parts matched
//! forwards and backwards from a keyword position, token boundaries, and the assignment shape
//! (`name = value`, `"name": "value"`) that keyword-context rules and the generic detector
//! share. Every loop is bounded by a part's maximum length or a constant window.

use super::rules::{Part, CLASSES};
use std::sync::OnceLock;

/// Bit `i` of `masks()[b]` is set when byte `b` is in class `i` of [`CLASSES`].
pub(crate) fn masks() -> &'static [u32; 256] {
    static MASKS: OnceLock<[u32; 256]> = OnceLock::new();
    MASKS.get_or_init(|| {
        let mut masks = [0u32; 256];
        for set in 0..CLASSES.len() {
            for b in super::rules::class_bytes(set as u8) {
                masks[b as usize] |= 1 << set;
            }
        }
        masks
    })
}

/// Whether byte `b` is in class `set`.
#[inline]
pub(crate) fn in_set(b: u8, set: u8) -> bool {
    masks()[b as usize] & (1 << set) != 0
}

/// A byte that continues a word: ASCII letters, digits and `_`.
#[inline]
pub(crate) fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `lit` occurs at `at` (exactly, or ignoring ASCII case).
#[inline]
pub(crate) fn lit_at(text: &[u8], at: usize, lit: &str, ci: bool) -> bool {
    let lit = lit.as_bytes();
    match text.get(at..at + lit.len()) {
        // A byte loop: these literals are short, and a call to memcmp costs more.
        Some(got) => got.iter().zip(lit).all(|(&g, &l)| g == l || (ci && g.eq_ignore_ascii_case(&l))),
        None => false,
    }
}

/// Matches `parts` forwards from `at`. Returns the end and where a `|` part put the start.
pub(crate) fn forward(text: &[u8], mut at: usize, parts: &[Part], ci: bool) -> Option<(usize, Option<usize>)> {
    let mut start = None;
    for part in parts {
        match part {
            Part::Lits(alternatives) => {
                let lit = alternatives.iter().find(|lit| lit_at(text, at, lit, ci))?;
                at += lit.len();
            }
            Part::Run { set, min, max } => {
                let limit = text.len().min(at + *max as usize);
                let begin = at;
                while at < limit && in_set(text[at], *set) {
                    at += 1;
                }
                if at - begin < *min as usize {
                    return None;
                }
            }
            Part::Start => start = Some(at),
        }
    }
    Some((at, start))
}

/// Matches `parts` backwards, ending at `at`. Returns where they start.
pub(crate) fn backward(text: &[u8], mut at: usize, parts: &[Part], ci: bool) -> Option<usize> {
    for part in parts.iter().rev() {
        match part {
            Part::Lits(alternatives) => {
                let lit = alternatives.iter().find(|lit| at >= lit.len() && lit_at(text, at - lit.len(), lit, ci))?;
                at -= lit.len();
            }
            Part::Run { set, min, max } => {
                let limit = at.saturating_sub(*max as usize);
                let end = at;
                while at > limit && in_set(text[at - 1], *set) {
                    at -= 1;
                }
                if end - at < *min as usize {
                    return None;
                }
            }
            Part::Start => {}
        }
    }
    Some(at)
}

/// The class of a run part, if it is one.
fn run_set(part: Option<&Part>) -> Option<u8> {
    match part {
        Some(Part::Run { set, .. }) => Some(*set),
        _ => None,
    }
}

/// A token boundary on the left of `start`: no word byte (nor a byte the first run accepts)
/// just before it.
pub(crate) fn left_boundary(text: &[u8], start: usize, parts: &[Part]) -> bool {
    start == 0 || {
        let b = text[start - 1];
        !word(b) && run_set(parts.first()).is_none_or(|set| !in_set(b, set))
    }
}

/// A token boundary on the right of `end`: no word byte (nor a byte the last run accepts)
/// just after it.
pub(crate) fn right_boundary(text: &[u8], end: usize, parts: &[Part]) -> bool {
    end == text.len() || {
        let b = text[end];
        !word(b) && run_set(parts.last()).is_none_or(|set| !in_set(b, set))
    }
}

/// Where a value starts after a keyword ending at `at`, when what follows is an assignment:
/// the rest of an identifier (`_API_KEY`), closing quotes, an operator (`=`, `:`, `:=`, `=>`,
/// `?=`, `||`, `::=`) and opening quotes or spaces. Also returns where the identifier tail
/// ends. Shaped after gitleaks' keyword-context pattern; bounded to a few dozen bytes.
pub(crate) fn assignment(text: &[u8], at: usize) -> Option<(usize, usize)> {
    let len = text.len();
    let mut p = at;
    let limit = len.min(at + 24);
    while p < limit && (word(text[p]) || matches!(text[p], b'.' | b'-')) {
        p += 1;
    }
    let tail_end = p;
    let limit = len.min(p + 4);
    while p < limit && matches!(text[p], b' ' | b'\t' | b'\'' | b'"') {
        p += 1;
    }
    let rest = &text[p..];
    let op = if rest.starts_with(b"::=") {
        3
    } else if rest.starts_with(b":=") || rest.starts_with(b"=>") || rest.starts_with(b"?=") || rest.starts_with(b"||") {
        2
    } else if rest.starts_with(b"=") || rest.starts_with(b":") {
        1
    } else {
        return None;
    };
    p += op;
    let limit = len.min(p + 5);
    while p < limit && matches!(text[p], b' ' | b'\t' | b'\'' | b'"' | b'`' | b'=') {
        p += 1;
    }
    Some((p, tail_end))
}

#[cfg(test)]
mod tests {
    use super::super::rules::compile;
    use super::*;

    #[test]
    fn parts_forward_backward_and_boundaries() {
        let spec = compile("h32 '-us d1-2").unwrap();
        let text = b"x 0123456789abcdef0123456789abcdef-us12 y";
        let anchor = spec.anchor.unwrap();
        let at = 2 + 32;
        assert_eq!(backward(text, at, &spec.parts[..anchor], false), Some(2));
        assert_eq!(forward(text, at, &spec.parts[anchor..], false), Some((39, None)));
        assert!(left_boundary(text, 2, &spec.parts) && right_boundary(text, 39, &spec.parts));
        assert!(!left_boundary(b"g0123", 1, &spec.parts));
        assert_eq!(assignment(b"_API_KEY = \"abc\"", 0), Some((12, 8)));
        assert_eq!(assignment(b"\": \"abc\"", 0), Some((4, 0)));
        assert_eq!(assignment(b" is abc", 0), None);
    }
}
