//! A compact Unicode script table for the major scripts (block-accurate, with the common
//! punctuation carve-outs), and language codes as a shorthand for script lists.

/// Script names as in Unicode's `Scripts.txt`; `Other` is a letter of a script this table
/// does not name.
pub(crate) const SCRIPTS: &[&str] = &[
    "Common",
    "Inherited",
    "Latin",
    "Greek",
    "Cyrillic",
    "Armenian",
    "Hebrew",
    "Arabic",
    "Syriac",
    "Thaana",
    "Nko",
    "Devanagari",
    "Bengali",
    "Gurmukhi",
    "Gujarati",
    "Oriya",
    "Tamil",
    "Telugu",
    "Kannada",
    "Malayalam",
    "Sinhala",
    "Thai",
    "Lao",
    "Tibetan",
    "Myanmar",
    "Georgian",
    "Hangul",
    "Ethiopic",
    "Cherokee",
    "Khmer",
    "Mongolian",
    "Hiragana",
    "Katakana",
    "Bopomofo",
    "Han",
    "Coptic",
    "Other",
];

pub(crate) const COMMON: u8 = 0;
pub(crate) const INHERITED: u8 = 1;
const LATIN: u8 = 2;
const OTHER: u8 = 36;

/// `(first, last, script index)`, sorted, not overlapping.
#[rustfmt::skip]
const RANGES: &[(u32, u32, u8)] = &[
    (0x41, 0x5A, 2), (0x61, 0x7A, 2), (0xAA, 0xAA, 2), (0xBA, 0xBA, 2), (0xC0, 0xD6, 2), (0xD8, 0xF6, 2),
    (0xF8, 0x2B8, 2), (0x2E0, 0x2E4, 2), (0x300, 0x36F, 1), (0x370, 0x373, 3), (0x375, 0x377, 3), (0x37A, 0x37D, 3),
    (0x37F, 0x37F, 3), (0x384, 0x384, 3), (0x386, 0x386, 3), (0x388, 0x3E1, 3), (0x3E2, 0x3EF, 35), (0x3F0, 0x3FF, 3),
    (0x400, 0x484, 4), (0x485, 0x486, 1), (0x487, 0x52F, 4), (0x531, 0x58F, 5), (0x591, 0x5FF, 6),
    (0x600, 0x604, 7), (0x606, 0x60B, 7), (0x60D, 0x61A, 7), (0x61C, 0x61E, 7), (0x620, 0x63F, 7), (0x640, 0x640, 0), (0x641, 0x64A, 7),
    (0x64B, 0x655, 1), (0x656, 0x66F, 7), (0x670, 0x670, 1), (0x671, 0x6DC, 7), (0x6DE, 0x6FF, 7),
    (0x700, 0x74F, 8), (0x750, 0x77F, 7), (0x780, 0x7BF, 9), (0x7C0, 0x7FF, 10), (0x8A0, 0x8FF, 7),
    (0x900, 0x950, 11), (0x951, 0x954, 1), (0x955, 0x963, 11), (0x966, 0x97F, 11), (0x980, 0x9FF, 12),
    (0xA00, 0xA7F, 13), (0xA80, 0xAFF, 14), (0xB00, 0xB7F, 15), (0xB80, 0xBFF, 16), (0xC00, 0xC7F, 17),
    (0xC80, 0xCFF, 18), (0xD00, 0xD7F, 19), (0xD80, 0xDFF, 20), (0xE00, 0xE3E, 21), (0xE40, 0xE7F, 21),
    (0xE80, 0xEFF, 22), (0xF00, 0xFD4, 23), (0xFD9, 0xFFF, 23), (0x1000, 0x109F, 24), (0x10A0, 0x10FA, 25),
    (0x10FC, 0x10FF, 25), (0x1100, 0x11FF, 26), (0x1200, 0x139F, 27), (0x13A0, 0x13FF, 28), (0x1780, 0x17FF, 29),
    (0x1800, 0x1801, 30), (0x1804, 0x1804, 30), (0x1806, 0x18AF, 30), (0x19E0, 0x19FF, 29), (0x1AB0, 0x1AFF, 1),
    (0x1C80, 0x1C88, 4), (0x1C90, 0x1CBF, 25), (0x1D00, 0x1D25, 2), (0x1D26, 0x1D2A, 3), (0x1D2B, 0x1D2B, 4),
    (0x1D2C, 0x1D5C, 2), (0x1D62, 0x1D65, 2), (0x1D6B, 0x1D77, 2), (0x1D78, 0x1D78, 4), (0x1D79, 0x1DBE, 2),
    (0x1DC0, 0x1DFF, 1), (0x1E00, 0x1EFF, 2), (0x1F00, 0x1FFF, 3), (0x200C, 0x200D, 1), (0x2071, 0x2071, 2),
    (0x207F, 0x207F, 2), (0x2090, 0x209C, 2), (0x20D0, 0x20FF, 1), (0x2126, 0x2126, 3), (0x212A, 0x212B, 2),
    (0x2132, 0x2132, 2), (0x214E, 0x214E, 2), (0x2160, 0x2188, 2), (0x2C60, 0x2C7F, 2), (0x2D00, 0x2D2F, 25),
    (0x2DE0, 0x2DFF, 4), (0x2E80, 0x2E99, 34), (0x2E9B, 0x2EF3, 34), (0x2F00, 0x2FD5, 34), (0x3005, 0x3005, 34),
    (0x3007, 0x3007, 34), (0x3021, 0x3029, 34), (0x302A, 0x302D, 1), (0x3038, 0x303B, 34), (0x3041, 0x3096, 31),
    (0x3099, 0x309A, 1), (0x309D, 0x309F, 31), (0x30A1, 0x30FA, 32), (0x30FB, 0x30FC, 0), (0x30FD, 0x30FF, 32), (0x3105, 0x312F, 33),
    (0x3131, 0x318E, 26), (0x31A0, 0x31BF, 33), (0x31F0, 0x31FF, 32), (0x32D0, 0x32FE, 32), (0x3300, 0x3357, 32),
    (0x3400, 0x4DBF, 34), (0x4E00, 0x9FFF, 34), (0xA640, 0xA69F, 4), (0xA722, 0xA787, 2), (0xA78B, 0xA7FF, 2),
    (0xA8E0, 0xA8FF, 11), (0xA960, 0xA97F, 26), (0xAB30, 0xAB5A, 2), (0xAB5C, 0xAB64, 2), (0xAC00, 0xD7FF, 26),
    (0xF900, 0xFAFF, 34), (0xFB00, 0xFB06, 2), (0xFB13, 0xFB17, 5), (0xFB1D, 0xFB4F, 6), (0xFB50, 0xFD3D, 7),
    (0xFD50, 0xFDFF, 7), (0xFE00, 0xFE0F, 1), (0xFE20, 0xFE2D, 1), (0xFE2E, 0xFE2F, 4), (0xFE70, 0xFEFE, 7),
    (0xFF21, 0xFF3A, 2), (0xFF41, 0xFF5A, 2), (0xFF66, 0xFF6F, 32), (0xFF70, 0xFF70, 0), (0xFF71, 0xFF9D, 32), (0xFFA0, 0xFFDC, 26),
    (0x20000, 0x3134F, 34), (0xE0100, 0xE01EF, 1),
];

/// The script index of `c` (into [`SCRIPTS`]).
pub(crate) fn script_of(c: char) -> u8 {
    let cp = c as u32;
    if cp < 0x80 {
        return if c.is_ascii_alphabetic() { LATIN } else { COMMON };
    }
    let at = RANGES.partition_point(|&(_, last, _)| last < cp);
    match RANGES.get(at) {
        Some(&(first, _, script)) if first <= cp => script,
        _ if c.is_alphabetic() => OTHER,
        _ => COMMON,
    }
}

/// The index of the script called `name`.
pub(crate) fn script_index(name: &str) -> Option<u8> {
    SCRIPTS.iter().position(|&s| s == name).map(|i| i as u8)
}

/// Scripts where words are not separated by spaces, so whole-word checks do not apply.
pub(crate) fn is_unspaced(c: char) -> bool {
    matches!(script_of(c), 21 | 22 | 24 | 29 | 31 | 32 | 34)
}

/// The scripts a language is written in (ISO 639-1 codes).
pub(crate) fn language_scripts(code: &str) -> Option<&'static [&'static str]> {
    Some(match code {
        "en" | "fr" | "de" | "es" | "it" | "pt" | "nl" | "sv" | "da" | "no" | "nb" | "nn" | "fi" | "is" | "pl" | "cs"
        | "sk" | "sl" | "hr" | "bs" | "hu" | "ro" | "tr" | "az" | "uz" | "et" | "lv" | "lt" | "ga" | "cy" | "eu" | "ca"
        | "gl" | "mt" | "sq" | "id" | "ms" | "tl" | "vi" | "sw" | "af" | "zu" | "xh" | "yo" | "ha" | "ig" | "so" | "eo"
        | "la" => &["Latin"],
        "ru" | "uk" | "be" | "bg" | "mk" | "kk" | "ky" | "tg" | "mn" => &["Cyrillic"],
        "sr" => &["Cyrillic", "Latin"],
        "el" => &["Greek"],
        "hy" => &["Armenian"],
        "he" | "yi" => &["Hebrew"],
        "ar" | "fa" | "ur" | "ps" | "ug" => &["Arabic"],
        "hi" | "mr" | "ne" | "sa" => &["Devanagari"],
        "bn" | "as" => &["Bengali"],
        "pa" => &["Gurmukhi"],
        "gu" => &["Gujarati"],
        "or" => &["Oriya"],
        "ta" => &["Tamil"],
        "te" => &["Telugu"],
        "kn" => &["Kannada"],
        "ml" => &["Malayalam"],
        "si" => &["Sinhala"],
        "th" => &["Thai"],
        "lo" => &["Lao"],
        "bo" | "dz" => &["Tibetan"],
        "my" => &["Myanmar"],
        "ka" => &["Georgian"],
        "am" | "ti" => &["Ethiopic"],
        "km" => &["Khmer"],
        "ko" => &["Hangul", "Han"],
        "ja" => &["Han", "Hiragana", "Katakana"],
        "zh" => &["Han", "Bopomofo"],
        "dv" => &["Thaana"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        for pair in RANGES.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:x?}");
        }
        assert!(RANGES.iter().all(|r| (r.2 as usize) < SCRIPTS.len()));
    }

    #[test]
    fn scripts() {
        let name = |c| SCRIPTS[script_of(c) as usize];
        let cases = [
            ('a', "Latin"),
            ('é', "Latin"),
            ('1', "Common"),
            (' ', "Common"),
            ('λ', "Greek"),
            ('Ж', "Cyrillic"),
            ('ש', "Hebrew"),
            ('ب', "Arabic"),
            ('ـ', "Common"),
            ('क', "Devanagari"),
            ('।', "Common"),
            ('ก', "Thai"),
            ('한', "Hangul"),
            ('ひ', "Hiragana"),
            ('カ', "Katakana"),
            ('ー', "Common"),
            ('漢', "Han"),
            ('、', "Common"),
            ('\u{301}', "Inherited"),
            ('ᚠ', "Other"),
            ('€', "Common"),
            ('😀', "Common"),
            ('Ａ', "Latin"),
        ];
        for (c, want) in cases {
            assert_eq!(name(c), want, "{c}");
        }
    }
}
