//! E-mail addresses: found at their `@`, the local part read backwards and the domain
//! forwards, the domain's last label checked against the compiled-in ICANN suffix table.

use super::suffixes::{SECOND_LEVEL, TLDS};
use super::{Hit, Kind};

fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_label(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// Whether `name` (ASCII, any case) is in the sorted lower-case `table`.
fn in_table(table: &[&str], name: &[u8]) -> bool {
    let mut buf = [0u8; 64];
    if name.len() > buf.len() {
        return false;
    }
    for (slot, c) in buf.iter_mut().zip(name) {
        *slot = c.to_ascii_lowercase();
    }
    let key = &buf[..name.len()];
    table.binary_search_by(|entry| entry.as_bytes().cmp(key)).is_ok()
}

/// The address around the `@` at `at`, none starting before `lo`.
pub(super) fn at(b: &[u8], at: usize, lo: usize) -> Option<Hit> {
    // Local part, backwards, at most 64 bytes.
    let mut start = at;
    while start > lo && is_local(b[start - 1]) {
        start -= 1;
        if at - start > 64 {
            return None;
        }
    }
    // A leading dot, hyphen or plus is punctuation of the prose, not the address.
    while start < at && matches!(b[start], b'.' | b'-' | b'+') {
        start += 1;
    }
    let local = &b[start..at];
    if local.is_empty() || local.ends_with(b".") || local.windows(2).any(|w| w == b"..") {
        return None;
    }
    // Domain labels, forwards: up to 127 labels, 253 bytes.
    let mut ends = [0usize; 16];
    let mut count = 0;
    let mut p = at + 1;
    loop {
        let label = p;
        while p < b.len() && is_label(b[p]) && p - label <= 63 {
            p += 1;
        }
        let len = p - label;
        if len == 0 || len > 63 || b[label] == b'-' || b[p - 1] == b'-' {
            break;
        }
        if count == ends.len() || p - at > 254 {
            return None;
        }
        ends[count] = p;
        count += 1;
        if p + 1 < b.len() && b[p] == b'.' && is_label(b[p + 1]) {
            p += 1;
        } else {
            break;
        }
    }
    // The longest run of labels that ends in a known top-level domain.
    for k in (2..=count).rev() {
        let end = ends[k - 1];
        let tld_start = ends[k - 2] + 1;
        let tld = &b[tld_start..end];
        if tld.iter().all(u8::is_ascii_digit) || !in_table(TLDS, tld) {
            continue;
        }
        // The whole domain may not itself be a public suffix ("co.uk").
        if k == 2 && in_table(SECOND_LEVEL, &b[at + 1..end]) {
            return None;
        }
        if let Some(&next) = b.get(end) {
            if next.is_ascii_alphanumeric() || matches!(next, b'_' | b'-' | b'@') {
                return None;
            }
        }
        return Some(Hit::new(Kind::Email, start, end));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> Option<&str> {
        let at = text.find('@')?;
        at_hit(text, at)
    }

    fn at_hit(text: &str, at_: usize) -> Option<&str> {
        at(text.as_bytes(), at_, 0).map(|h| &text[h.start..h.end])
    }

    #[test]
    fn addresses() {
        assert_eq!(find("mail ana.silva@example.co.uk."), Some("ana.silva@example.co.uk"));
        assert_eq!(find("JOHN.SMITH@EXAMPLE.COM"), Some("JOHN.SMITH@EXAMPLE.COM"));
        assert_eq!(find("x+tag@mail.acme.io,"), Some("x+tag@mail.acme.io"));
        assert_eq!(find("me@xn--80ak6aa92e.com"), Some("me@xn--80ak6aa92e.com"));
        assert_eq!(find("a@example.com.Qqq"), Some("a@example.com"));
        assert_eq!(find("a@b.notatld"), None);
        assert_eq!(find("a@co.uk"), None);
        assert_eq!(find("a@localhost"), None);
        assert_eq!(find("a..b@example.com"), None);
        assert_eq!(find("a.@example.com"), None);
        assert_eq!(find("@example.com"), None);
        assert_eq!(find("a@-x.com"), None);
        assert_eq!(find("a@1.2.3.4"), None);
        assert_eq!(find("a@example.c0m"), None);
        assert_eq!(find("...a@example.com"), Some("a@example.com"));
    }
}
