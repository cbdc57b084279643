//! The generic detector's judgment: Shannon entropy of a value, and the look-alikes that are
//! not secrets (placeholders, variable references, paths, URLs, words, numbers, hashes).

use super::matcher::{assignment, word};

/// Shannon entropy of `value`'s bytes, in bits per byte.
pub(crate) fn shannon(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[b as usize] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Lowercase substrings that mark a value as a placeholder or an example.
const PLACEHOLDERS: &[&str] = &[
    "xxxx",
    "****",
    "....",
    "your",
    "changeme",
    "change_me",
    "change-me",
    "example",
    "placeholder",
    "dummy",
    "redacted",
    "replace",
    "insert",
    "sample",
    "<",
    ">",
    "process.env",
    "os.environ",
    "getenv",
    "env(",
    "secrets.",
    "${",
    "{{",
    "todo",
    "fixme",
    "notreal",
    "not_real",
    "not-a-",
    "fake",
];

/// Whether `value` is something other than a secret: a placeholder, a variable reference, a
/// path, a URL, a number, a word, a lockfile hash.
pub(crate) fn looks_benign(value: &[u8]) -> bool {
    let Some(&first) = value.first() else { return true };
    if matches!(first, b'$' | b'%' | b'<' | b'[' | b'{' | b'/' | b'~' | b'@' | b'#' | b'(' | b'\\') {
        return true;
    }
    if value.starts_with(b"./") || value.starts_with(b"../") || (value.len() > 2 && value[1] == b':' && value[2] == b'\\') {
        return true;
    }
    let lower = |i: usize| value[i].to_ascii_lowercase();
    let contains = |needle: &str| {
        let needle = needle.as_bytes();
        value.len() >= needle.len()
            && (0..=value.len() - needle.len()).any(|i| (0..needle.len()).all(|j| lower(i + j) == needle[j]))
    };
    if PLACEHOLDERS.iter().any(|p| contains(p)) || contains("://") || contains("www.") || value.contains(&b'(') {
        return true;
    }
    for hash in ["sha1-", "sha256-", "sha384-", "sha512-", "md5-"] {
        if value.len() > hash.len() && value[..hash.len()].eq_ignore_ascii_case(hash.as_bytes()) {
            return true;
        }
    }
    let (mut lower_n, mut upper_n, mut digit_n, mut other_n) = (0, 0, 0, 0);
    for &b in value {
        match b {
            b'a'..=b'z' => lower_n += 1,
            b'A'..=b'Z' => upper_n += 1,
            b'0'..=b'9' => digit_n += 1,
            b'_' | b'.' | b'-' => {}
            _ => other_n += 1,
        }
    }
    // Words and identifiers (`user_name`, `MyClass.method`), and numbers, dates, versions.
    if digit_n == 0 && other_n == 0 {
        return true;
    }
    if lower_n + upper_n == 0 && other_n == 0 {
        return true;
    }
    // Variable names in upper snake case (`MY_API_TOKEN_2`).
    if lower_n == 0 && other_n == 0 && value.contains(&b'_') && digit_n < 3 {
        return true;
    }
    false
}

/// Identifier tails after a keyword that name something other than the secret itself
/// (`token_count`, `password_length`, `secret_name`, `author`).
const TAIL_STOPS: &[&str] = &[
    "url",
    "uri",
    "endpoint",
    "name",
    "type",
    "count",
    "length",
    "len",
    "size",
    "file",
    "path",
    "policy",
    "field",
    "label",
    "format",
    "prompt",
    "header",
    "expir",
    "ttl",
    "limit",
    "timeout",
    "ize",
    "ization_url",
    "mode",
    "hint",
    "reset",
    "id",
    "ids",
    "s",
    "or",
    "ors",
    "ority",
    "_enabled",
    "required",
    "provider",
    "manager",
    "store",
    "version",
    "index",
];

/// Identifier heads before a keyword that make it something else (`max_tokens`, `csrf_token`).
const HEAD_STOPS: &[&str] =
    &["max", "num", "csrf", "xsrf", "public", "next", "page", "total", "input", "output", "no", "use"];

/// The generic detector at a keyword found at `start..end`: the value assigned to it, if that
/// value is shaped like a secret (not benign, long and random enough). Returns its span and
/// entropy.
#[cfg(test)]
pub(crate) fn generic_value(text: &[u8], start: usize, end: usize, min_entropy: f64) -> Option<(usize, usize, f64)> {
    let (at, value_end) = generic_span(text, start, end)?;
    generic_judge(&text[at..value_end], min_entropy).map(|bits| (at, value_end, bits))
}

/// Where the value the generic detector judges is, before it is judged (the cheap part: the
/// scan judges only values that no specific rule's finding covers).
pub(crate) fn generic_span(text: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let (mut at, tail_end) = assignment(text, end)?;
    // What the identifier around the keyword says.
    let tail: Vec<u8> = text[end..tail_end].iter().map(u8::to_ascii_lowercase).collect();
    let tail = trim_separators(&tail);
    if TAIL_STOPS.iter().any(|stop| ends_with_word(tail, stop.as_bytes())) {
        return None;
    }
    let mut head_start = start;
    while head_start > 0 && start - head_start < 16 && (word(text[head_start - 1]) || text[head_start - 1] == b'-') {
        head_start -= 1;
    }
    let head: Vec<u8> = text[head_start..start].iter().map(u8::to_ascii_lowercase).collect();
    let head = trim_separators(&head);
    if HEAD_STOPS.iter().any(|stop| head.ends_with(stop.as_bytes()) && !head.is_empty()) {
        return None;
    }
    // `Authorization: Bearer <value>`.
    for scheme in [&b"bearer "[..], b"basic ", b"token "] {
        if text.len() >= at + scheme.len() && text[at..at + scheme.len()].eq_ignore_ascii_case(scheme) {
            at += scheme.len();
        }
    }
    let quote = if at > 0 && matches!(text[at - 1], b'"' | b'\'' | b'`') { Some(text[at - 1]) } else { None };
    let limit = text.len().min(at + 257);
    let mut p = at;
    while p < limit {
        let b = text[p];
        let stop = match quote {
            Some(q) => b == q || b == b'\n' || b == b'\r',
            None => {
                b.is_ascii_whitespace()
                    || matches!(b, b'"' | b'\'' | b'`' | b';' | b',' | b')' | b'}' | b']' | b'<' | b'>' | b'&')
            }
        } || b >= 0x80;
        if stop {
            break;
        }
        p += 1;
    }
    if p == limit && limit - at > 256 {
        return None;
    }
    let mut value_end = p;
    if quote.is_none() {
        while value_end > at && matches!(text[value_end - 1], b'.' | b':') {
            value_end -= 1;
        }
    }
    Some((at, value_end))
}

/// The entropy of a generic value (bits per character) when it is judged a secret.
pub(crate) fn generic_judge(value: &[u8], min_entropy: f64) -> Option<f64> {
    if value.len() < 8 || value.iter().any(|b| b.is_ascii_whitespace()) || looks_benign(value) {
        return None;
    }
    let entropy = shannon(value);
    (entropy >= min_entropy).then_some(entropy)
}

/// `s` is `stop`, or ends with it after a separator (or, for longer stops, anywhere).
fn ends_with_word(s: &[u8], stop: &[u8]) -> bool {
    s == stop
        || (s.len() > stop.len()
            && s.ends_with(stop)
            && (stop.len() > 3 || matches!(s[s.len() - stop.len() - 1], b'_' | b'-' | b'.')))
}

fn trim_separators(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !matches!(b, b'_' | b'-' | b'.')).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !matches!(b, b'_' | b'-' | b'.')).map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_and_benign_values() {
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"abcd") - 2.0).abs() < 1e-9);
        for benign in [
            &b"${API_KEY}"[..],
            b"<your-key>",
            b"xxxxxxxxxxxx",
            b"changeme",
            b"process.env.TOKEN",
            b"/etc/secrets/token",
            b"https://example.com/x",
            b"2024-01-01",
            b"user_name_field",
            b"sha512-abcdefABCDEF0123456789",
            b"MY_SECRET_TOKEN",
        ] {
            assert!(looks_benign(benign), "{}", String::from_utf8_lossy(benign));
        }
        assert!(!looks_benign(b"Zk9x2Lq7Vb3Rt8Wm"));
    }

    #[test]
    fn generic_values() {
        let text = b"DB_PASSWORD = \"Zk9x2Lq7Vb3Rt8Wm\"";
        let found = generic_value(text, 3, 11, 3.5).unwrap();
        assert_eq!(&text[found.0..found.1], b"Zk9x2Lq7Vb3Rt8Wm");
        assert!(generic_value(b"max_tokens: 4096000000000", 4, 9, 3.5).is_none());
        assert!(generic_value(b"token_count = Zk9x2Lq7Vb3Rt8Wm", 0, 5, 3.5).is_none());
        let auth = b"Authorization: Bearer Zk9x2Lq7Vb3Rt8Wm";
        let found = generic_value(auth, 0, 4, 3.5).unwrap();
        assert_eq!(&auth[found.0..found.1], b"Zk9x2Lq7Vb3Rt8Wm");
    }
}
