//! The normalised view the phrase lexicon is matched over, with every byte mapped back to the
//! character of the original text it came from.
//!
//! Folds: ASCII and Unicode lower case (first character of the mapping), full-width ASCII
//! forms (U+FF01..U+FF5E) and the ideographic space, Latin diacritics (U+00C0..U+017F, and
//! combining marks dropped), Arabic vowel marks and alef forms, the Devanagari nukta, Cyrillic
//! ё, and common leetspeak (`0 1 3 4 5 7 @ $` as `o i e a s t a s`) inside words that also
//! hold ASCII letters. Zero-width characters, variation selectors and tag characters are
//! dropped. Runs of whitespace and punctuation become one space, or one `\n` (a clause break)
//! when they end a sentence (`. ! ? ;` before whitespace, a line feed, `。！？।؟`).

/// A normalised slice of a text.
#[derive(Debug, Default)]
pub(crate) struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the absolute start of the original character it came from.
    pub starts: Vec<u32>,
    /// For each byte of `text`, the absolute end of the original character it came from.
    pub ends: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Drop,
    Word,
    Space,
    Break,
}

fn fullwidth(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

fn is_dropped(c: char) -> bool {
    matches!(c as u32,
        0x200B..=0x200D | 0x2060..=0x2064 | 0xFEFF | 0x00AD | 0x0300..=0x036F | 0x064B..=0x065F | 0x0670
        | 0x0640 | 0x093C | 0xFE00..=0xFE0F | 0xE0000..=0xE007F | 0xE0100..=0xE01EF)
}

fn is_leet(c: char) -> bool {
    matches!(c, '0' | '1' | '3' | '4' | '5' | '7' | '@' | '$')
}

fn leet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        _ => c,
    }
}

/// Classifies a (full-width folded) character; `next` is the character after it.
fn class(c: char, previous: Option<char>, next: Option<char>) -> Class {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Class::Word,
            '\n' => Class::Break,
            // A sentence end right after a word and before whitespace; not an ellipsis.
            '.' | '!' | '?' | ';' => {
                if previous.is_some_and(char::is_alphanumeric) && next.is_none_or(|n| n.is_whitespace()) {
                    Class::Break
                } else {
                    Class::Space
                }
            }
            _ => Class::Space,
        };
    }
    if is_dropped(c) {
        return Class::Drop;
    }
    match c {
        '。' | '！' | '？' | '।' | '॥' | '؟' | '\u{2029}' | '\u{2028}' => Class::Break,
        _ if c.is_alphanumeric() => Class::Word,
        // Devanagari and other vowel signs and viramas are marks inside words.
        '\u{0900}'..='\u{0DFF}' | '\u{0E00}'..='\u{0EFF}' => Class::Word,
        _ => Class::Space,
    }
}

/// Lower case with Latin diacritics folded; pushes one or two characters.
fn fold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    let folded = match lower {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ð' | 'ď' | 'đ' => 'd',
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => 'g',
        'ř' | 'ŕ' => 'r',
        'ť' | 'ţ' => 't',
        'ß' => {
            out.push_str("ss");
            return;
        }
        'æ' => {
            out.push_str("ae");
            return;
        }
        'œ' => {
            out.push_str("oe");
            return;
        }
        'ё' => 'е',
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        other => other,
    };
    out.push(folded);
}

/// Normalises `raw[from..to]` (char boundaries) into `out`, which is cleared first.
pub(crate) fn normalize(raw: &str, from: usize, to: usize, out: &mut Normalized) {
    out.text.clear();
    out.starts.clear();
    out.ends.clear();
    let slice = &raw[from..to];
    let mut chars = slice.char_indices().peekable();
    // Where the current word ends (relative) and whether it folds leetspeak.
    let mut word_end = 0usize;
    let mut word_leet = false;
    // A pending separator: None, Some(false) a space, Some(true) a break, with its source span.
    let mut pending: Option<(bool, usize, usize)> = None;
    let mut previous = None;
    // Bytes of the last character pushed (a dropped mark after it extends its end).
    let mut last_len = 0;
    while let Some((at, raw_c)) = chars.next() {
        let c = fullwidth(raw_c);
        let next = chars.peek().map(|&(_, n)| fullwidth(n));
        let start = from + at;
        let end = start + raw_c.len_utf8();
        let mut kind = class(c, previous, next);
        previous = Some(c);
        if kind != Class::Word && kind != Class::Drop && at < word_end && (c == '@' || c == '$') {
            kind = Class::Word;
        }
        if kind == Class::Word && at >= word_end {
            // A new word: look ahead to its end to decide on leetspeak.
            let (mut letters, mut leets) = (false, false);
            let mut end_rel = slice.len();
            for (j, w) in slice[at..].char_indices() {
                let w = fullwidth(w);
                let inside = w.is_alphanumeric() || w == '@' || w == '$' || is_dropped(w);
                if !inside {
                    end_rel = at + j;
                    break;
                }
                letters |= w.is_ascii_alphabetic();
                leets |= is_leet(w);
            }
            word_end = end_rel;
            word_leet = letters && leets;
        }
        match kind {
            Class::Drop => {
                if pending.is_none() {
                    let n = out.ends.len();
                    for slot in &mut out.ends[n - last_len.min(n)..] {
                        *slot = end as u32;
                    }
                }
            }
            Class::Space | Class::Break => {
                let is_break = kind == Class::Break;
                pending = match pending {
                    Some((b, s, e)) => Some((b || is_break, s, e)),
                    None => Some((is_break, start, end)),
                };
            }
            Class::Word => {
                if let Some((is_break, s, e)) = pending.take() {
                    if !out.text.is_empty() {
                        out.text.push(if is_break { '\n' } else { ' ' });
                        out.starts.push(s as u32);
                        out.ends.push(e as u32);
                    }
                }
                let c = if word_leet && at < word_end { leet(c) } else { c };
                let before = out.text.len();
                fold(c, &mut out.text);
                for _ in before..out.text.len() {
                    out.starts.push(start as u32);
                    out.ends.push(end as u32);
                }
                last_len = out.text.len() - before;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(text: &str) -> String {
        let mut out = Normalized::default();
        normalize(text, 0, text.len(), &mut out);
        assert_eq!(out.starts.len(), out.text.len());
        out.text
    }

    #[test]
    fn folds() {
        assert_eq!(norm("IGNORE   all -- previous\tInstructions!!"), "ignore all previous instructions");
        assert_eq!(norm("1gn0r3 4ll pr3v10us 1nstruct10ns"), "ignore all previous instructions");
        assert_eq!(norm("ｉｇｎｏｒｅ　ＡＬＬ"), "ignore all");
        assert_eq!(norm("Ignorá las instrucciónes anteriores"), "ignora las instrucciones anteriores");
        assert_eq!(norm("Stop. Now go"), "stop\nnow go");
        assert_eq!(norm("v1.2.3 costs $100 in 2024"), "v1 2 3 costs 100 in 2024".replace("v1", "vi"));
        assert_eq!(norm("ig\u{200B}nore"), "ignore");
        assert_eq!(norm("ИГНОРИРУЙ Всё"), "игнорируй все");
        assert_eq!(norm("忽略之前的所有指令。好"), "忽略之前的所有指令\n好");
        assert_eq!(norm("user@example.com"), "useraexample com");
    }

    #[test]
    fn maps_back() {
        let text = "«ｉｇ» x";
        let mut out = Normalized::default();
        normalize(text, 0, text.len(), &mut out);
        assert_eq!(out.text, "ig x");
        assert_eq!(&text[out.starts[0] as usize..out.ends[1] as usize], "ｉｇ");
    }
}
