//! Generators shared by the integration tests: random JSON documents in the styles models
//! write, from a seed so that failures reproduce.
#![allow(dead_code)]

use serde_json::{Map, Value};

/// A small deterministic generator (xorshift), so failures reproduce from the seed.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const PIECES: &[&str] =
    &["a", "token", " ", "é", "漢字", "🚀", "👍🏽", "\"", "\\", "\n", "\t", "/", "\u{1}", "\u{7f}", "\u{2028}"];

pub fn gen_string(rng: &mut Rng) -> String {
    (0..rng.below(6)).map(|_| PIECES[rng.below(PIECES.len() as u64) as usize]).collect()
}

pub fn gen_value(rng: &mut Rng, depth: u32) -> Value {
    let kinds = if depth > 4 { 5 } else { 7 };
    match rng.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => serde_json::json!(rng.below(2_000_000) as i64 - 1_000_000),
        3 => serde_json::json!((rng.below(1 << 40) as f64) / 1024.0 * if rng.below(2) == 0 { 1e-7 } else { 1e12 }),
        4 => Value::String(gen_string(rng)),
        5 => Value::Array((0..rng.below(5)).map(|_| gen_value(rng, depth + 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(5) {
                map.insert(gen_string(rng), gen_value(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

/// Serialises with a mix of styles models produce: pretty or compact, and every other
/// non-ASCII character as `\uXXXX` escapes (surrogate pairs included).
pub fn serialise(value: &Value, rng: &mut Rng) -> String {
    let text = if rng.below(2) == 0 { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) }.unwrap();
    let escape_all = rng.below(2) == 0;
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if !c.is_ascii() && (escape_all || n % 2 == 0) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    // Non-ASCII characters only ever occur inside strings in serde_json output, so escaping them is lossless.
    out
}
