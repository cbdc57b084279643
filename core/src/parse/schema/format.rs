//! The `format` keyword's checkers, written out by hand after their RFCs (no regexes: they
//! are small, fast and add nothing to the module's size beyond their own code).

use std::net::{Ipv4Addr, Ipv6Addr};

/// A format this module asserts. Unknown formats are not compiled at all (they pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    DateTime,
    Date,
    Time,
    Duration,
    Email,
    Hostname,
    Ipv4,
    Ipv6,
    Uri,
    UriReference,
    Uuid,
    JsonPointer,
    RelativeJsonPointer,
    Regex,
}

impl Format {
    /// The format named `name`, if it is one this module checks.
    pub(crate) fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "date-time" => Format::DateTime,
            "date" => Format::Date,
            "time" => Format::Time,
            "duration" => Format::Duration,
            "email" => Format::Email,
            "hostname" => Format::Hostname,
            "ipv4" => Format::Ipv4,
            "ipv6" => Format::Ipv6,
            "uri" => Format::Uri,
            "uri-reference" => Format::UriReference,
            "uuid" => Format::Uuid,
            "json-pointer" => Format::JsonPointer,
            "relative-json-pointer" => Format::RelativeJsonPointer,
            "regex" => Format::Regex,
            _ => return None,
        })
    }

    /// The format's name, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Time => "time",
            Format::Duration => "duration",
            Format::Email => "email",
            Format::Hostname => "hostname",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Uri => "uri",
            Format::UriReference => "uri-reference",
            Format::Uuid => "uuid",
            Format::JsonPointer => "json-pointer",
            Format::RelativeJsonPointer => "relative-json-pointer",
            Format::Regex => "regex",
        }
    }

    /// Whether `text` is in this format.
    pub(crate) fn check(self, text: &str) -> bool {
        match self {
            Format::DateTime => date_time(text),
            Format::Date => date(text),
            Format::Time => time(text),
            Format::Duration => duration(text),
            Format::Email => email(text),
            Format::Hostname => hostname(text),
            Format::Ipv4 => ipv4(text),
            Format::Ipv6 => text.is_ascii() && !text.contains('%') && text.parse::<Ipv6Addr>().is_ok(),
            Format::Uri => uri(text, false),
            Format::UriReference => uri(text, true),
            Format::Uuid => uuid(text),
            Format::JsonPointer => json_pointer(text),
            Format::RelativeJsonPointer => relative_json_pointer(text),
            Format::Regex => super::compile::translate_pattern(text).is_some_and(|p| regex_lite::Regex::new(&p).is_ok()),
        }
    }
}

/// Exactly `width` ASCII digits at the start of `text`, as a number.
fn digits(text: &[u8], width: usize) -> Option<u32> {
    let part = text.get(..width)?;
    part.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

/// RFC 3339 `full-date`: `YYYY-MM-DD` with a real day of that month.
fn date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(b, 4), digits(&b[5..], 2), digits(&b[8..], 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `full-time`: `HH:MM:SS[.frac](Z|+HH:MM|-HH:MM)`. A leap second (`:60`) is valid
/// only where it falls at 23:59 UTC.
fn time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(b, 2), digits(&b[3..], 2), digits(&b[6..], 2)) else {
        return false;
    };
    let mut rest = &b[8..];
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &rest[1 + n..];
    }
    let offset_minutes: i32 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(oh), Some(om)) = (digits(&[*h1, *h2], 2), digits(&[*m1, *m2], 2)) else {
                return false;
            };
            if oh > 23 || om > 59 {
                return false;
            }
            let minutes = (oh * 60 + om) as i32;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return false,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    if second == 60 {
        let utc = ((hour * 60 + minute) as i32 - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

/// RFC 3339 `date-time`: a full date, `T` (either case), a full time.
fn date_time(text: &str) -> bool {
    text.len() > 11 && text.is_char_boundary(10) && matches!(text.as_bytes()[10], b'T' | b't') && date(&text[..10]) && time(&text[11..])
}

/// ISO 8601 durations as RFC 3339's appendix A writes them: `P` then weeks alone, or years,
/// months, days in order, then optionally `T` with hours, minutes, seconds in order.
fn duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else { return false };
    let (date_part, time_part) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    // Each part is a sequence of `<digits><unit>` with units in the given order.
    fn units(part: &str, order: &[u8]) -> Option<usize> {
        let b = part.as_bytes();
        let (mut i, mut next, mut count) = (0, 0, 0);
        while i < b.len() {
            let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let unit = *b.get(i + n)?;
            if n == 0 {
                return None;
            }
            let at = order[next..].iter().position(|&u| u == unit)? + next;
            next = at + 1;
            count += 1;
            i += n + 1;
        }
        Some(count)
    }
    if date_part.ends_with('W') && time_part.is_none() {
        return units(date_part, b"W") == Some(1);
    }
    let Some(date_units) = units(date_part, b"YMD") else { return false };
    match time_part {
        None => date_units > 0,
        Some(t) => units(t, b"HMS").is_some_and(|n| n > 0),
    }
}

/// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens, each at
/// most 63 characters, 253 in all (a trailing dot allowed).
fn hostname(text: &str) -> bool {
    let name = text.strip_suffix('.').unwrap_or(text);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
                // An A-label (`xn--`) is punycode; other labels may not have `--` at 3-4.
                && (b.len() < 4 || &b[2..4] != b"--" || b[..2].eq_ignore_ascii_case(b"xn"))
        })
}

/// Dotted-quad IPv4 without leading zeros (which some parsers read as octal).
fn ipv4(text: &str) -> bool {
    text.is_ascii()
        && text.split('.').all(|part| !(part.len() > 1 && part.starts_with('0')))
        && text.parse::<Ipv4Addr>().is_ok()
}

/// RFC 5321 mailbox: a dot-atom or quoted local part, `@`, a host name or an address
/// literal (`[1.2.3.4]`, `[IPv6:...]`).
fn email(text: &str) -> bool {
    let Some(at) = text.rfind('@') else { return false };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        let mut chars = local[1..local.len() - 1].chars();
        let mut ok = true;
        while let Some(c) = chars.next() {
            if c == '\\' {
                ok &= chars.next().is_some_and(|escaped| !escaped.is_control());
            } else {
                ok &= c != '"' && !c.is_control();
            }
        }
        ok
    } else {
        !local.is_empty()
            && local.split('.').all(|atom| {
                !atom.is_empty() && atom.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b))
            })
    };
    let domain_ok = match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => match literal.strip_prefix("IPv6:") {
            Some(v6) => v6.parse::<Ipv6Addr>().is_ok(),
            None => ipv4(literal),
        },
        None => hostname(domain),
    };
    local_ok && domain_ok
}

/// `8-4-4-4-12` hexadecimal digits.
fn uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

/// RFC 6901: empty, or `/`-prefixed segments where `~` is followed by `0` or `1`.
fn json_pointer(text: &str) -> bool {
    (text.is_empty() || text.starts_with('/')) && tildes_escaped(text)
}

fn tildes_escaped(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// A non-negative integer without leading zeros, then `#` or a JSON Pointer.
fn relative_json_pointer(text: &str) -> bool {
    let n = text.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || (n > 1 && text.starts_with('0')) {
        return false;
    }
    let rest = &text[n..];
    rest == "#" || json_pointer(rest)
}

/// RFC 3986 URI (`relative` false) or URI reference: the characters each part may hold,
/// with valid `%XX` escapes; a URI needs a scheme.
fn uri(text: &str, relative: bool) -> bool {
    fn allowed(part: &str, extra: &[u8]) -> bool {
        let b = part.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c == b'%' {
                if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                    return false;
                }
                i += 3;
                continue;
            }
            if !(c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&c) || extra.contains(&c)) {
                return false;
            }
            i += 1;
        }
        true
    }
    let (rest, fragment) = text.split_once('#').unwrap_or((text, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !allowed(fragment, b":@/?") || !allowed(query, b":@/?") {
        return false;
    }
    let scheme_end = rest.find(':').filter(|&i| !rest[..i].contains('/'));
    let rest = match scheme_end {
        Some(i) => {
            let scheme = &rest.as_bytes()[..i];
            if scheme.is_empty()
                || !scheme[0].is_ascii_alphabetic()
                || !scheme.iter().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
            {
                return false;
            }
            &rest[i + 1..]
        }
        None if relative => rest,
        None => return false,
    };
    let path = match rest.strip_prefix("//") {
        Some(hier) => {
            let end = hier.find('/').unwrap_or(hier.len());
            let authority = &hier[..end];
            let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
            if !allowed(userinfo, b":") {
                return false;
            }
            let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
                let Some((inner, after)) = v6.split_once(']') else { return false };
                if !(inner.parse::<Ipv6Addr>().is_ok() || (inner.starts_with(['v', 'V']) && allowed(inner, b":"))) {
                    return false;
                }
                match after {
                    "" => ("", ""),
                    p => match p.strip_prefix(':') {
                        Some(port) => ("", port),
                        None => return false,
                    },
                }
            } else {
                hostport.rsplit_once(':').unwrap_or((hostport, ""))
            };
            if !allowed(host, b"") || !port.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            &hier[end..]
        }
        None => rest,
    };
    allowed(path, b":@/")
}
