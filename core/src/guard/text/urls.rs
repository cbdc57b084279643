//! URLs in free text (GFM-autolink-like extent rules) and in markdown/HTML destinations:
//! scheme, host (userinfo, ports, IPv6 literals, percent-encoding and IDN handled: hosts are
//! compared lowercased, with non-ASCII labels as punycode), and a host allow-list.

use std::collections::HashSet;

/// A URL found in free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundUrl {
    pub start: usize,
    pub end: usize,
    /// Lowercase scheme (`http`, `https`, `ftp`, `data`, `javascript`); `www.` links count as
    /// `http`.
    pub scheme: &'static str,
    /// The normalised host, for schemes that have one.
    pub host: Option<String>,
}

const SCHEMES: [&str; 6] = ["https", "http", "ftp", "http", "data", "javascript"];

/// URL starts in `text` as `(start, body, scheme index)`, in order: found from the `:` and
/// `.` bytes (a fast byte scan) by looking back for a scheme name or `www`.
fn url_candidates(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let i = at + bytes[at..].iter().position(|&b| b == b':' || b == b'.')?;
            at = i + 1;
            let ends_with = |name: &[u8]| i >= name.len() && bytes[i - name.len()..i].eq_ignore_ascii_case(name);
            if bytes[i] == b'.' {
                if ends_with(b"www") {
                    return Some((i - 3, i + 1, 3));
                }
                continue;
            }
            let slashes = bytes.get(i + 1..i + 3) == Some(b"//");
            for (index, name) in [(0, &b"https"[..]), (1, b"http"), (2, b"ftp"), (4, b"data"), (5, b"javascript")] {
                if ends_with(name) && (index >= 4 || slashes) {
                    return Some((i - name.len(), if index >= 4 { i + 1 } else { i + 3 }, index));
                }
            }
        }
        None
    })
}

/// Characters that end a URL in free text.
fn stops_url(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '<' | '>' | '"' | '`' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Characters that end an authority.
fn ends_authority(c: char) -> bool {
    matches!(c, '/' | '?' | '#' | '\\') || stops_url(c)
}

/// The end of the URL that starts at `start` and whose body (after the scheme) starts at
/// `body`: up to a stop character, then trailing punctuation and unbalanced closing
/// brackets trimmed as GFM autolinks do.
fn url_end(text: &str, body: usize) -> usize {
    let rest = &text[body..];
    let mut end = body + rest.find(stops_url).unwrap_or(rest.len());
    let (mut open_paren, mut close_paren, mut open_bracket, mut close_bracket) = (0usize, 0usize, 0usize, 0usize);
    for b in text[body..end].bytes() {
        match b {
            b'(' => open_paren += 1,
            b')' => close_paren += 1,
            b'[' => open_bracket += 1,
            b']' => close_bracket += 1,
            _ => {}
        }
    }
    while end > body {
        let last = text.as_bytes()[end - 1];
        match last {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b';' => {}
            b')' if close_paren > open_paren => close_paren -= 1,
            b']' if close_bracket > open_bracket => close_bracket -= 1,
            _ => break,
        }
        end -= 1;
    }
    end
}

/// Finds URLs in `text`, calling `found` for each in order.
pub(crate) fn find_urls(text: &str, mut found: impl FnMut(FoundUrl)) {
    let mut resume = 0;
    for (start, body, index) in url_candidates(text) {
        if start < resume {
            continue;
        }
        let before = text[..start].chars().next_back();
        let scheme = SCHEMES[index];
        let www = index == 3;
        if before.is_some_and(|c| c.is_alphanumeric() || (www && matches!(c, '.' | '/' | '@' | '-' | '_' | ':'))) {
            continue;
        }
        let host = match scheme {
            "data" => {
                // data:[<type>/<subtype>][;params],<data>
                let rest = &text.as_bytes()[body..];
                let mime = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let valid = rest.first() == Some(&b',')
                    || (mime > 0
                        && rest.get(mime) == Some(&b'/')
                        && rest.get(mime + 1).is_some_and(|b| b.is_ascii_alphanumeric()));
                if !valid {
                    continue;
                }
                None
            }
            "javascript" => {
                if text[body..].chars().next().is_none_or(stops_url) {
                    continue;
                }
                None
            }
            _ => {
                let authority_start = if www { start } else { body };
                let rest = &text[authority_start..];
                let authority = &rest[..rest.find(ends_authority).unwrap_or(rest.len())];
                let raw = host_of_authority(authority);
                if www && !raw.trim_end_matches('.').contains('.') {
                    continue;
                }
                let trimmed = if raw.starts_with('[') {
                    raw
                } else {
                    raw.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '\'', '*', '_', '~'])
                };
                let host = normalize_host(trimmed);
                if host.is_empty() {
                    continue;
                }
                Some(host)
            }
        };
        let end = url_end(text, body);
        if end <= body && host.is_none() {
            continue;
        }
        resume = end;
        found(FoundUrl { start, end, scheme, host });
    }
}

/// The host part of an authority (`user:pass@host:port`), brackets kept for IPv6 literals.
fn host_of_authority(authority: &str) -> &str {
    let host = authority.rfind('@').map_or(authority, |at| &authority[at + 1..]);
    if host.starts_with('[') {
        return host.find(']').map_or(host, |close| &host[..close + 1]);
    }
    match host.rfind(':') {
        Some(colon) if host[colon + 1..].bytes().all(|b| b.is_ascii_digit()) => &host[..colon],
        _ => host,
    }
}

/// A host as compared: percent-decoded, lowercased, ideographic full stops as dots, no
/// trailing dot, non-ASCII labels as punycode (`xn--`).
pub(crate) fn normalize_host(raw: &str) -> String {
    let mut decoded = String::with_capacity(raw.len());
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < raw.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                let byte = (h * 16 + l) as u8;
                if byte.is_ascii() {
                    decoded.push(byte as char);
                    i += 3;
                    continue;
                }
            }
        }
        let c = raw[i..].chars().next().expect("char boundary");
        match c {
            '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => decoded.push('.'),
            c => decoded.extend(c.to_lowercase()),
        }
        i += c.len_utf8();
    }
    let host = decoded.trim_end_matches('.');
    if host.is_ascii() || host.starts_with('[') {
        return host.to_owned();
    }
    host.split('.')
        .map(|label| {
            let chars: Vec<char> = label.chars().collect();
            if label.is_ascii() || chars.len() > 63 {
                label.to_owned()
            } else {
                punycode(&chars).map_or_else(|| label.to_owned(), |p| format!("xn--{p}"))
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// RFC 3492 punycode of one label (without the `xn--` prefix); `None` on overflow.
fn punycode(input: &[char]) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + 38)
    }
    let digit = |d: u32| char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 });
    let mut output: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    let total = input.len() as u32;
    while handled < total {
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// The parts of a link or image destination that matter here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Destination {
    /// Lowercase scheme, when there is one.
    pub scheme: Option<String>,
    /// The normalised host, when the destination names one (absolute or `//host`).
    pub host: Option<String>,
}

/// Parses a destination (a markdown link target or an HTML `src`).
pub(crate) fn parse_destination(url: &str) -> Destination {
    let url = url.trim();
    let scheme_len = url
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')))
        .filter(|&at| at > 0 && url.as_bytes()[at] == b':' && url.as_bytes()[0].is_ascii_alphabetic());
    let (scheme, rest) = match scheme_len {
        Some(at) => (Some(url[..at].to_ascii_lowercase()), &url[at + 1..]),
        None => (None, url),
    };
    // Browsers read a backslash as a slash in special schemes.
    let after_slashes = rest.strip_prefix("//").or_else(|| rest.strip_prefix("\\\\")).or_else(|| rest.strip_prefix("/\\"));
    let host = after_slashes.map(|rest| {
        let authority = &rest[..rest.find(ends_authority).unwrap_or(rest.len())];
        normalize_host(host_of_authority(authority))
    });
    Destination { scheme, host: host.filter(|h| !h.is_empty()) }
}

/// Whether a URL carries data beyond a plain address: a query or fragment, a long path
/// segment, or percent-encoded bytes.
pub(crate) fn carries_data(url: &str) -> bool {
    let url = url.trim();
    let (before_fragment, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (path, query) = before_fragment.split_once('?').unwrap_or((before_fragment, ""));
    !query.is_empty()
        || !fragment.is_empty()
        || path.matches('%').count() >= 3
        || path.split('/').skip(3).any(|segment| segment.len() >= 32)
}

/// An allow-list of hosts: exact names and `*.suffix` wildcards (any subdomain, not the
/// suffix itself).
#[derive(Debug, Default)]
pub(crate) struct HostAllow {
    exact: HashSet<String>,
    suffixes: HashSet<String>,
}

impl HostAllow {
    /// Builds the list; `Err` names a bad entry.
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<HostAllow, String> {
        let mut allow = HostAllow::default();
        for entry in entries {
            let (wildcard, name) = match entry.strip_prefix("*.") {
                Some(name) => (true, name),
                None => (false, entry),
            };
            let bad = name.is_empty()
                || name.contains(['/', '@', '?', '#', '*', ' '])
                || (name.contains(':') && !name.starts_with('['));
            if bad {
                return Err(entry.to_owned());
            }
            let host = normalize_host(name);
            if wildcard {
                allow.suffixes.insert(host);
            } else {
                allow.exact.insert(host);
            }
        }
        Ok(allow)
    }

    /// Whether `host` (normalised) is allowed.
    pub fn allows(&self, host: &str) -> bool {
        self.exact.contains(host) || host.match_indices('.').any(|(at, _)| self.suffixes.contains(&host[at + 1..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        find_urls(text, |u| out.push((text[u.start..u.end].to_owned(), u.host)));
        out
    }

    #[test]
    fn extents_and_hosts() {
        let host = |s: &str| Some(s.to_owned());
        assert_eq!(urls("See https://example.com/a_(b)."), [("https://example.com/a_(b)".into(), host("example.com"))]);
        assert_eq!(urls("(see https://example.com/x)"), [("https://example.com/x".into(), host("example.com"))]);
        assert_eq!(urls("at www.Example.org, then"), [("www.Example.org".into(), host("www.example.org"))]);
        assert_eq!(
            urls("http://user:pw@evil.com:8080/p?q=1!"),
            [("http://user:pw@evil.com:8080/p?q=1".into(), host("evil.com"))]
        );
        assert_eq!(urls("http://[::1]:80/x"), [("http://[::1]:80/x".into(), host("[::1]"))]);
        assert_eq!(urls("http://bücher.de/"), [("http://bücher.de/".into(), host("xn--bcher-kva.de"))]);
        assert_eq!(urls("https://ex%61mple.com"), [("https://ex%61mple.com".into(), host("example.com"))]);
        assert_eq!(urls("<a href=\"http://x.io/\">"), [("http://x.io/".into(), host("x.io"))]);
        assert_eq!(urls("data: the results; javascript: a language; awww.x"), []);
        assert_eq!(urls("javascript:alert(1)").len(), 1);
        assert_eq!(urls("data:image/png;base64,AAAA").len(), 1);
        assert_eq!(urls("http://evil.com\\@good.com/"), [("http://evil.com\\@good.com/".into(), host("evil.com"))]);
    }

    #[test]
    fn punycode_vectors() {
        assert_eq!(normalize_host("münchen.de"), "xn--mnchen-3ya.de");
        assert_eq!(normalize_host("例え.テスト"), "xn--r8jz45g.xn--zckzah");
        assert_eq!(normalize_host("EXAMPLE.com."), "example.com");
    }

    #[test]
    fn allow_list() {
        let allow = HostAllow::new(["example.com", "*.docs.example.com", "bücher.de"]).unwrap();
        assert!(allow.allows("example.com"));
        assert!(!allow.allows("www.example.com"));
        assert!(allow.allows("a.b.docs.example.com"));
        assert!(!allow.allows("docs.example.com"));
        assert!(!allow.allows("evildocs.example.com"));
        assert!(allow.allows("xn--bcher-kva.de"));
        assert!(HostAllow::new(["https://x.com"]).is_err());
    }

    #[test]
    fn destinations() {
        let d = parse_destination("https://u@Evil.com:443/a.png?x=1");
        assert_eq!((d.scheme.as_deref(), d.host.as_deref()), (Some("https"), Some("evil.com")));
        assert_eq!(parse_destination("//cdn.x.io/a").host.as_deref(), Some("cdn.x.io"));
        assert_eq!(parse_destination("/images/a.png").host, None);
        assert_eq!(parse_destination("mailto:a@b.c").host, None);
        assert!(carries_data("https://x.io/p?d=secret"));
        assert!(carries_data("https://x.io/p#secret"));
        assert!(carries_data("https://x.io/c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0"));
        assert!(!carries_data("https://x.io/docs/intro"));
    }
}
