//! The character classes that tiktoken's splitting patterns ask about (`\s`, `\p{L}` split by
//! case, `\p{M}`, `\p{N}`), from a table generated off the `regex` crate's Unicode data and
//! checked against it for every code point (`core/tests/tokens_unicode.rs`).

#[path = "unicode_table.rs"]
mod table;

/// The class of one character, as the splitting patterns see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CharClass {
    /// Not whitespace, a letter, a mark or a number: `[^\s\p{L}\p{N}]` minus marks.
    Other = 0,
    /// Unicode White_Space other than `\r` and `\n`.
    Space = 1,
    /// `\r` or `\n`.
    Newline = 2,
    /// `\p{Lu}` or `\p{Lt}`.
    Upper = 3,
    /// `\p{Ll}`.
    Lower = 4,
    /// `\p{Lm}` or `\p{Lo}` (on both sides of o200k's case split).
    OtherLetter = 5,
    /// `\p{M}`: a combining mark.
    Mark = 6,
    /// `\p{N}`.
    Number = 7,
}

const CLASSES: [CharClass; 8] = [
    CharClass::Other,
    CharClass::Space,
    CharClass::Newline,
    CharClass::Upper,
    CharClass::Lower,
    CharClass::OtherLetter,
    CharClass::Mark,
    CharClass::Number,
];

impl CharClass {
    /// `\s`.
    #[inline]
    pub fn is_space(self) -> bool {
        matches!(self, CharClass::Space | CharClass::Newline)
    }

    /// `\p{L}`.
    #[inline]
    pub fn is_letter(self) -> bool {
        matches!(self, CharClass::Upper | CharClass::Lower | CharClass::OtherLetter)
    }

    /// `[^\s\p{L}\p{N}]`: punctuation, symbols, marks, controls, unassigned.
    #[inline]
    pub fn is_other(self) -> bool {
        matches!(self, CharClass::Other | CharClass::Mark)
    }
}

/// Code points below this come from a direct table (Latin, Greek, Cyrillic, Hebrew, Arabic).
const DIRECT: usize = 0x800;

static DIRECT_TABLE: [CharClass; DIRECT] = direct_table();

const fn direct_table() -> [CharClass; DIRECT] {
    let mut out = [CharClass::Other; DIRECT];
    let mut i = 0;
    while i < table::RANGES.len() {
        let start = (table::RANGES[i] >> 3) as usize;
        if start >= DIRECT {
            break;
        }
        let end = if i + 1 < table::RANGES.len() { (table::RANGES[i + 1] >> 3) as usize } else { DIRECT };
        let class = CLASSES[(table::RANGES[i] & 7) as usize];
        let mut c = start;
        while c < end && c < DIRECT {
            out[c] = class;
            c += 1;
        }
        i += 1;
    }
    out
}

/// The class of `c`.
#[inline]
pub fn class_of(c: char) -> CharClass {
    let code = c as u32;
    if (code as usize) < DIRECT {
        return DIRECT_TABLE[code as usize];
    }
    // The last range starting at or before `c`.
    let key = code << 3 | 7;
    let at = table::RANGES.partition_point(|&entry| entry <= key);
    CLASSES[(table::RANGES[at - 1] & 7) as usize]
}
