//! JSON text exactly as JavaScript's `JSON.stringify` writes it, so that a value rendered by
//! the core reads the same as the one a JavaScript library would have produced.
//!
//! `serde_json` writes numbers the Rust way (`1e21`, `1e-7` vs JavaScript's `1e+21`, `1e-7`);
//! here floats go through `ryu-js`, which implements ECMAScript's `Number::toString`.

use serde_json::Value;

/// Reads JSON text as JavaScript's `JSON.stringify` writes it. `JSON.stringify` escapes a lone
/// surrogate (`"\ud800"`), which `serde_json` refuses; such an escape becomes U+FFFD here, as a
/// lone surrogate does wherever a JavaScript string crosses into the core as UTF-8.
///
/// ```
/// let value = bridle::json::from_js_json(r#"["\ud800", "\ud83d\ude00", "\\ud800"]"#).unwrap();
/// assert_eq!(value, serde_json::json!(["\u{FFFD}", "😀", "\\ud800"]));
/// ```
pub fn from_js_json(text: &str) -> serde_json::Result<Value> {
    match serde_json::from_str(text) {
        Err(error) if error.is_syntax() && has_surrogate_escape(text) => {
            serde_json::from_str(&replace_lone_surrogates(text))
        }
        result => result,
    }
}

fn has_surrogate_escape(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'u' && (w[1] | 0x20) == b'd' && matches!(w[2] | 0x20, b'8'..=b'9' | b'a'..=b'f'))
}

/// `text` with every `\uD800`–`\uDFFF` escape that is not half of a pair turned into `\uFFFD`.
fn replace_lone_surrogates(text: &str) -> String {
    let surrogate = |hex: &str| u16::from_str_radix(hex, 16).ok().filter(|unit| (0xD800..0xE000).contains(unit));
    let bytes = text.as_bytes();
    let escape_at = |at: usize| -> Option<u16> {
        (bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u'))
            .then(|| text.get(at + 2..at + 6))
            .flatten()
            .and_then(surrogate)
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut copied = 0;
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        match escape_at(at) {
            Some(0xD800..=0xDBFF) if escape_at(at + 6).is_some_and(|low| low >= 0xDC00) => at += 12,
            Some(_) => {
                out.push_str(&text[copied..at]);
                out.push_str("\\uFFFD");
                at += 6;
                copied = at;
            }
            // Any other escape, `\\` included, is two characters that stay as they are.
            None => at += 2,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Appends `value` to `out` as compact JSON text, byte for byte what `JSON.stringify(value)`
/// gives for the same value in JavaScript.
///
/// ```
/// let mut out = String::new();
/// bridle::json::write_js_json(&mut out, &serde_json::json!({"b": [1, 2.5, 1e21], "a": null}));
/// assert_eq!(out, r#"{"b":[1,2.5,1e+21],"a":null}"#);
/// ```
pub fn write_js_json(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => {
            if let Some(n) = number.as_u64() {
                push_integer(out, n as u128, false);
            } else if let Some(n) = number.as_i64() {
                push_integer(out, n.unsigned_abs() as u128, n < 0);
            } else {
                // Finite by construction: serde_json numbers cannot hold NaN or infinities.
                let n = number.as_f64().unwrap_or(0.0);
                out.push_str(ryu_js::Buffer::new().format(n));
            }
        }
        Value::String(text) => write_js_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js_json(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js_string(out, key);
                out.push(':');
                write_js_json(out, item);
            }
            out.push('}');
        }
    }
}

/// Appends `text` as a JSON string literal with `JSON.stringify`'s escapes: `\"`, `\\`, the
/// short forms `\b \f \n \r \t`, and `\u00xx` (lower-case hex) for other control characters.
pub fn write_js_string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut clean_from = 0;
    loop {
        // Runs without anything to escape are copied whole.
        let i = plain_run(bytes, clean_from);
        out.push_str(&text[clean_from..i]);
        let Some(&byte) = bytes.get(i) else { break };
        clean_from = i + 1;
        let escape: &str = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0xf) as usize] as char);
        } else {
            out.push_str(escape);
        }
    }
    out.push('"');
}

/// The first byte from `at` on that a JSON string cannot hold as it is (`"`, `\` or a control
/// character), or the end. Eight bytes at a time: the lowest byte flagged in a word is exact
/// (borrows only ever flag bytes above it).
#[inline(always)]
pub(crate) fn plain_run(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let control = word.wrapping_sub(ONES * 0x20) & !word;
        let quote = word ^ (ONES * u64::from(b'"'));
        let quote = quote.wrapping_sub(ONES) & !quote;
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let backslash = backslash.wrapping_sub(ONES) & !backslash;
        let found = (control | quote | backslash) & HIGH;
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while at < bytes.len() && !matches!(bytes[at], b'"' | b'\\' | 0..=0x1f) {
        at += 1;
    }
    at
}

fn push_integer(out: &mut String, magnitude: u128, negative: bool) {
    if negative {
        out.push('-');
    }
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    let mut rest = magnitude;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn js(value: Value) -> String {
        let mut out = String::new();
        write_js_json(&mut out, &value);
        out
    }

    #[test]
    fn numbers_follow_ecmascript_number_to_string() {
        assert_eq!(js(json!(0)), "0");
        assert_eq!(js(json!(-7)), "-7");
        assert_eq!(js(json!(i64::MIN)), "-9223372036854775808");
        assert_eq!(js(json!(u64::MAX)), "18446744073709551615");
        assert_eq!(js(json!(0.1)), "0.1");
        assert_eq!(js(json!(1e21)), "1e+21");
        assert_eq!(js(json!(1e-7)), "1e-7");
        assert_eq!(js(json!(123456789012345680000.0)), "123456789012345680000");
        assert_eq!(js(json!(-0.0)), "0");
        assert_eq!(js(json!(100.0)), "100");
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        assert_eq!(js(json!("a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}")), r#""a\"b\\c\n\r\t\b\f\u0001\u001f""#);
        // Non-ASCII, U+2028 and '/' are left as they are.
        assert_eq!(js(json!("é/\u{2028}😀")), "\"é/\u{2028}😀\"");
    }

    #[test]
    fn containers_are_compact_and_keep_key_order() {
        assert_eq!(js(json!({"z": [true, false, null], "a": {}})), r#"{"z":[true,false,null],"a":{}}"#);
        assert_eq!(js(json!([])), "[]");
    }
}

#[cfg(test)]
mod reading_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lone_surrogate_escapes_read_as_replacement_characters() {
        let read = |text: &str| from_js_json(text).unwrap();
        assert_eq!(read(r#""a\udc00b""#), json!("a\u{FFFD}b"));
        assert_eq!(read(r#""\ud800\u0041""#), json!("\u{FFFD}A"));
        assert_eq!(read(r#""\ud800\ud800\udc00""#), json!("\u{FFFD}\u{10000}"));
        assert_eq!(read(r#"{"\udfff": "\ud800"}"#), json!({"\u{FFFD}": "\u{FFFD}"}));
        assert_eq!(read(r#""\\\ud800""#), json!("\\\u{FFFD}"));
        assert_eq!(read(r#""\\ud800""#), json!("\\ud800"));
        // Other errors stay errors.
        assert!(from_js_json(r#"["\ud800""#).is_err());
    }
}
