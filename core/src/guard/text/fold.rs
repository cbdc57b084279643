//! Folding text for matching: simple case folding (std's lowercase mapping plus the few
//! folds that differ from it: `ß`→`ss`, final sigma, long s, micro sign, `ﬁ` ligatures) and
//! accent folding (precomposed Latin and Greek letters to their base letter from compact
//! tables, combining marks dropped, `æ`→`ae`, fullwidth ASCII to ASCII, curly apostrophes to
//! `'`). A [`FoldedView`] is the folded copy of a non-ASCII text with a sparse map back to the
//! original offsets; ASCII text needs no copy (the automata are ASCII case-insensitive).

/// Which folds apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fold {
    /// Case folding.
    pub case: bool,
    /// Accent (and compatibility) folding.
    pub accents: bool,
}

/// Both folds: what the automata run on.
pub(crate) const FULL: Fold = Fold { case: true, accents: true };

/// Base letters of U+00C0..=U+024F ('.' = none).
const LATIN_A: &[u8; 400] = b"AAAAAA.CEEEEIIIIDNOOOOO.OUUUUY..aaaaaa.ceeeeiiiidnooooo.ouuuuy.yAaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi..JjKkkLlLlLlLlLlNnNnNn...OoOoOo..RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZz.b........D.............I........Oo.............Uu....Zz......................AaIiOoUuUuUuUuUu.AaAa....GgKkOoOo..j...Gg..NnAa....AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh......AaEeOoOoOoOoYy............................";
/// Base letters of U+1E00..=U+1EFF (Latin Extended Additional, Vietnamese).
const LATIN_B: &[u8; 256] = b"AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwy......AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy......";
/// Base Greek letters (as offsets from U+0380) of U+0370..=U+03FF.
const GREEK_A: &[u8; 144] = b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x11\x00\x15\x17\x19\x00\x1f\x00\x25\x29\x39\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x19\x25\x31\x35\x37\x39\x45\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x39\x45\x3f\x45\x49\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
/// Base Greek letters (as offsets from U+0380) of U+1F00..=U+1FFF (polytonic Greek).
const GREEK_B: &[u8; 256] = b"\x31\x31\x31\x31\x31\x31\x31\x31\x11\x11\x11\x11\x11\x11\x11\x11\x35\x35\x35\x35\x35\x35\x00\x00\x15\x15\x15\x15\x15\x15\x00\x00\x37\x37\x37\x37\x37\x37\x37\x37\x17\x17\x17\x17\x17\x17\x17\x17\x39\x39\x39\x39\x39\x39\x39\x39\x19\x19\x19\x19\x19\x19\x19\x19\x3f\x3f\x3f\x3f\x3f\x3f\x00\x00\x1f\x1f\x1f\x1f\x1f\x1f\x00\x00\x45\x45\x45\x45\x45\x45\x45\x45\x00\x25\x00\x25\x00\x25\x00\x25\x49\x49\x49\x49\x49\x49\x49\x49\x29\x29\x29\x29\x29\x29\x29\x29\x31\x31\x35\x35\x37\x37\x39\x39\x3f\x3f\x45\x45\x49\x49\x00\x00\x31\x31\x31\x31\x31\x31\x31\x31\x11\x11\x11\x11\x11\x11\x11\x11\x37\x37\x37\x37\x37\x37\x37\x37\x17\x17\x17\x17\x17\x17\x17\x17\x49\x49\x49\x49\x49\x49\x49\x49\x29\x29\x29\x29\x29\x29\x29\x29\x31\x31\x31\x31\x31\x00\x31\x31\x11\x11\x11\x11\x11\x00\x00\x00\x00\x00\x37\x37\x37\x00\x37\x37\x15\x15\x17\x17\x17\x00\x00\x00\x39\x39\x39\x39\x00\x00\x39\x39\x19\x19\x19\x19\x00\x00\x00\x00\x45\x45\x45\x45\x41\x41\x45\x45\x25\x25\x25\x25\x21\x00\x00\x00\x00\x00\x49\x49\x49\x00\x49\x49\x1f\x1f\x29\x29\x29\x00\x00\x00";

/// Combining marks dropped by accent folding: the general diacritics blocks, Hebrew points
/// and Arabic harakat. (Indic vowel signs are not accents and stay.)
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5
        | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8 | 0x06EA..=0x06ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE20..=0xFE2F)
}

/// A letter, digit, combining mark or underscore: what a whole-word match may not touch.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// The base letter of a precomposed letter, keeping its case.
fn base_letter(c: char) -> Option<char> {
    let cp = c as u32;
    let from_byte = |b: u8| (b != b'.').then_some(b as char);
    let greek = |b: u8| (b != 0).then(|| char::from_u32(0x380 + u32::from(b))).flatten();
    match cp {
        0xC0..=0x24F => from_byte(LATIN_A[(cp - 0xC0) as usize]),
        0x1E00..=0x1EFF => from_byte(LATIN_B[(cp - 0x1E00) as usize]),
        0x370..=0x3FF => greek(GREEK_A[(cp - 0x370) as usize]),
        0x1F00..=0x1FFF => greek(GREEK_B[(cp - 0x1F00) as usize]),
        0x0450 | 0x0451 => Some('е'),
        0x0400 | 0x0401 => Some('Е'),
        _ => None,
    }
}

/// Compatibility folds applied with accent folding: letters that expand, fullwidth ASCII,
/// apostrophe and quote look-alikes.
fn compat(c: char) -> Option<&'static str> {
    Some(match c {
        'Æ' => "AE",
        'æ' => "ae",
        'Œ' => "OE",
        'œ' => "oe",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{2032}' | '\u{FF07}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{FF02}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => "-",
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{3000}' => " ",
        '\u{FF01}'..='\u{FF5E}' => {
            // Fullwidth ASCII: an index into the printable ASCII run.
            const PRINTABLE: &str =
                "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
            let at = (c as u32 - 0xFF01) as usize;
            &PRINTABLE[at..at + 1]
        }
        _ => return None,
    })
}

/// Case folds that differ from std's lowercase mapping (CaseFolding.txt's C and F entries
/// for Latin and Greek).
fn case_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'ς' => "σ",
        'µ' => "μ",
        'ſ' => "s",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        'ϐ' => "β",
        'ϑ' => "θ",
        'ϕ' => "φ",
        'ϖ' => "π",
        'ϰ' => "κ",
        'ϱ' => "ρ",
        'ϵ' => "ε",
        _ => return None,
    })
}

fn accent(c: char, fold: Fold, out: &mut impl FnMut(char)) {
    if !fold.accents {
        out(c)
    } else if !is_mark(c) {
        out(base_letter(c).unwrap_or(c))
    }
}

fn cased(c: char, fold: Fold, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(if fold.case { c.to_ascii_lowercase() } else { c });
    } else if !fold.case {
        accent(c, fold, out);
    } else if let Some(s) = case_special(c) {
        s.chars().for_each(|e| accent(e, fold, out));
    } else {
        c.to_lowercase().for_each(|e| accent(e, fold, out));
    }
}

/// Emits the folded form of `c` (zero or more chars).
pub(crate) fn fold_char(c: char, fold: Fold, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        return out(if fold.case { c.to_ascii_lowercase() } else { c });
    }
    if fold.accents {
        if let Some(s) = compat(c) {
            return s.chars().for_each(|e| cased(e, fold, out));
        }
    }
    cased(c, fold, out)
}

/// The folded copy of `text`.
pub(crate) fn fold_str(text: &str, fold: Fold) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, fold, &mut |f| out.push(f));
    }
    out
}

/// Whether `text` folds to exactly `folded`, without allocating.
pub(crate) fn folds_to(text: &str, folded: &str, fold: Fold) -> bool {
    let mut want = folded.chars();
    let mut same = true;
    for c in text.chars() {
        fold_char(c, fold, &mut |f| same &= want.next() == Some(f));
        if !same {
            return false;
        }
    }
    want.next().is_none()
}

/// One non-ASCII character of the original and its folded form in the view.
#[derive(Debug, Clone, Copy)]
struct Segment {
    folded: usize,
    folded_len: usize,
    original: usize,
    original_len: usize,
}

/// The fully folded copy of a text that is not all ASCII, with the map back. ASCII bytes are
/// copied as they are (the automata ignore ASCII case), so the map holds one entry per
/// non-ASCII character only.
#[derive(Debug, Default)]
pub(crate) struct FoldedView {
    /// The folded text.
    pub text: String,
    segments: Vec<Segment>,
}

impl FoldedView {
    /// Folds `original`.
    pub fn new(original: &str) -> FoldedView {
        let mut view = FoldedView { text: String::with_capacity(original.len() + 16), segments: Vec::new() };
        let bytes = original.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let run = bytes[at..].iter().position(|&b| b >= 0x80).unwrap_or(bytes.len() - at);
            view.text.push_str(&original[at..at + run]);
            at += run;
            if let Some(c) = original[at..].chars().next() {
                let folded = view.text.len();
                fold_char(c, FULL, &mut |f| view.text.push(f));
                view.segments.push(Segment {
                    folded,
                    folded_len: view.text.len() - folded,
                    original: at,
                    original_len: c.len_utf8(),
                });
                at += c.len_utf8();
            }
        }
        view
    }

    /// The original span of the folded span `start..end`, or `None` when either end falls
    /// inside the folding of one character (a match on half of `ß`→`ss`).
    pub fn original(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let locate = |byte: usize| {
            let index = self.segments.partition_point(|s| s.folded <= byte);
            match index.checked_sub(1).map(|i| self.segments[i]) {
                None => (byte, byte + 1, true, true),
                Some(s) if byte < s.folded + s.folded_len => {
                    (s.original, s.original + s.original_len, byte == s.folded, byte + 1 == s.folded + s.folded_len)
                }
                Some(s) => {
                    let o = s.original + s.original_len + (byte - s.folded - s.folded_len);
                    (o, o + 1, true, true)
                }
            }
        };
        let (from, _, starts, _) = locate(start);
        let (_, to, _, ends) = locate(end - 1);
        (starts && ends).then_some((from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds() {
        assert_eq!(
            fold_str("Straße ÉCOLE Ὀδυσσεύς ΣΟΦΟΣ Ёлка ﬁne Ｈｉ don’t Æsir", FULL),
            "strasse ecole οδυσσευσ σοφοσ елка fine hi don't aesir"
        );
        assert_eq!(fold_str("Crème Brûlée", Fold { case: false, accents: true }), "Creme Brulee");
        assert_eq!(fold_str("Crème Brûlée", Fold { case: true, accents: false }), "crème brûlée");
        assert_eq!(fold_str("cafe\u{301} İstanbul Łódź Øre Việt Nam", FULL), "cafe istanbul lodz ore viet nam");
        assert!(folds_to("ÇA", "ca", FULL));
        assert!(!folds_to("ÇA", "c", FULL));
        assert!(!folds_to("Ç", "ca", FULL));
    }

    #[test]
    fn view_maps_back() {
        let text = "Große Straße, café";
        let view = FoldedView::new(text);
        assert_eq!(view.text, "Grosse Strasse, cafe");
        let at = view.text.find("Strasse").unwrap();
        let (s, e) = view.original(at, at + 7).unwrap();
        assert_eq!(&text[s..e], "Straße");
        let at = view.text.find("cafe").unwrap();
        let (s, e) = view.original(at, at + 4).unwrap();
        assert_eq!(&text[s..e], "café");
        // Half of the ss of ß is not a match.
        let at = view.text.find("se ").unwrap();
        assert_eq!(view.original(at, at + 2), None);
    }
}
