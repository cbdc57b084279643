//! Token estimates for models without a public tokenizer (Claude, Gemini) or when no rank
//! table is loaded. It is an estimate and says so wherever it is used.
//!
//! The text is split exactly as `o200k_base` splits it (no rank table is needed for that);
//! each piece is then priced by its shape, with weights fitted to `o200k_base` counts of
//! English prose, code, and text in other scripts. `core/tests/tokens.rs` measures the error
//! against exact counts and prints it.

use super::split::{pieces, Pattern};
use super::unicode::{class_of, CharClass};

/// The estimated token count of `text`.
pub fn estimate_text(text: &str) -> usize {
    let mut total = 0.0f64;
    for piece in pieces(text, Pattern::O200k) {
        total += estimate_piece(piece);
    }
    total.round() as usize
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

fn estimate_piece(piece: &str) -> f64 {
    let (mut ascii_letters, mut cjk, mut other_letter_bytes, mut symbol_bytes, mut punct, mut digits, mut spaces) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for c in piece.chars() {
        match class_of(c) {
            CharClass::Upper | CharClass::Lower | CharClass::OtherLetter | CharClass::Mark => {
                if c.is_ascii() {
                    ascii_letters += 1;
                } else if is_cjk(c) {
                    cjk += 1;
                } else {
                    other_letter_bytes += c.len_utf8();
                }
            }
            CharClass::Number => digits += 1,
            CharClass::Space | CharClass::Newline => spaces += 1,
            CharClass::Other => {
                if c.is_ascii() {
                    punct += 1;
                } else {
                    symbol_bytes += c.len_utf8();
                }
            }
        }
    }
    let mut tokens = 0.0;
    if ascii_letters > 0 {
        // Common words up to about seven letters are one token; longer ones split every ~4.
        tokens += 1.0 + (ascii_letters.saturating_sub(7) as f64) / 4.0;
    }
    tokens += cjk as f64 * 0.7;
    tokens += other_letter_bytes as f64 / 3.6;
    tokens += symbol_bytes as f64 / 2.4;
    if digits > 0 {
        tokens += 1.0;
    }
    if punct > 0 {
        // A prefix or suffix character rides along with a word; runs split about every 3.
        let standalone = if ascii_letters + cjk + other_letter_bytes > 0 { punct.saturating_sub(1) } else { punct };
        // One character repeated merges far more (`!!!!`, `----`, `====`).
        let repeated =
            piece.chars().filter(|c| c.is_ascii_punctuation()).collect::<std::collections::BTreeSet<_>>().len() == 1;
        tokens += (standalone as f64 / if repeated { 16.0 } else { 2.5 }).ceil();
    }
    if spaces > 0 && tokens == 0.0 {
        tokens += 1.0 + (spaces.saturating_sub(1) as f64) / 64.0;
    }
    tokens
}
