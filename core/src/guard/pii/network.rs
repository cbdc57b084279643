//! Network addresses: IPv4 dotted quads, IPv6 (full, compressed, with an IPv4 tail) and MAC
//! addresses in their three notations.

use super::{is_word, left_ok, Hit, Kind, Site};

/// A dotted quad starting at `p`: its end, if every octet is 0–255 without a leading zero.
fn quad(b: &[u8], p: usize) -> Option<usize> {
    let mut p = p;
    for i in 0..4 {
        if i > 0 {
            if b.get(p) != Some(&b'.') {
                return None;
            }
            p += 1;
        }
        let start = p;
        let mut value = 0u32;
        while p < b.len() && b[p].is_ascii_digit() && p - start < 4 {
            value = value * 10 + u32::from(b[p] - b'0');
            p += 1;
        }
        let len = p - start;
        if len == 0 || len > 3 || value > 255 || len > 1 && b[start] == b'0' {
            return None;
        }
    }
    Some(p)
}

/// Whether an address may end at `end`: not glued to a word, `@` or more of a dotted run.
fn address_end_ok(b: &[u8], end: usize) -> bool {
    let Some(&n) = b.get(end) else { return true };
    let n2 = b.get(end + 1).copied().unwrap_or(b' ');
    !(is_word(n) || n == b'@' || matches!(n, b'.' | b'-') && is_word(n2))
}

/// An IPv4 address; a `:port` or `/prefix` may follow it.
pub(super) fn ipv4(site: &Site) -> Option<Hit> {
    if !site.on(Kind::Ipv4) || !site.all_digits || site.len() > 3 || site.next() != b'.' || !left_ok(site.b, site.s) {
        return None;
    }
    let end = quad(site.b, site.s)?;
    address_end_ok(site.b, end).then(|| Hit::new(Kind::Ipv4, site.s, end))
}

fn hex_run(b: &[u8], p: usize, max: usize) -> usize {
    let mut q = p;
    while q < b.len() && b[q].is_ascii_hexdigit() && q - p <= max {
        q += 1;
    }
    q - p
}

/// An IPv6 address starting at `s`.
fn ipv6_at(b: &[u8], s: usize) -> Option<usize> {
    let mut p = s;
    let (mut groups, mut compressed, mut digit) = (0, false, false);
    if b[p..].starts_with(b"::") {
        compressed = true;
        p += 2;
    }
    loop {
        let len = hex_run(b, p, 4);
        if len == 0 {
            if !compressed || b.get(p - 1) != Some(&b':') {
                return None;
            }
            break;
        }
        if len > 4 {
            return None;
        }
        // An IPv4 tail: "::ffff:192.0.2.1".
        if b.get(p + len) == Some(&b'.') {
            let end = quad(b, p)?;
            groups += 2;
            digit = true;
            p = end;
            break;
        }
        digit |= b[p..p + len].iter().any(u8::is_ascii_digit);
        groups += 1;
        p += len;
        if groups > 8 {
            return None;
        }
        if b.get(p) != Some(&b':') {
            break;
        }
        if b.get(p + 1) == Some(&b':') {
            if compressed {
                return None;
            }
            compressed = true;
            p += 2;
        } else if b.get(p + 1).is_some_and(u8::is_ascii_hexdigit) {
            p += 1;
        } else {
            break;
        }
    }
    let count_ok = if compressed { groups <= 7 } else { groups == 8 };
    // At least two groups and a digit: "a::b" in C++ is not an address.
    if !count_ok || groups < 2 || !digit {
        return None;
    }
    let n = b.get(p).copied().unwrap_or(b' ');
    if is_word(n)
        || n == b':' && b.get(p + 1).is_some_and(u8::is_ascii_hexdigit)
        || n == b'.' && b.get(p + 1).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    Some(p)
}

fn v6_left_ok(b: &[u8], s: usize) -> bool {
    s == 0 || !(is_word(b[s - 1]) || matches!(b[s - 1], b':' | b'.' | b'@'))
}

/// An IPv6 address at the site's word.
pub(super) fn ipv6(site: &Site) -> Option<Hit> {
    if !site.on(Kind::Ipv6) || !site.hex || site.len() > 4 || site.next() != b':' || !v6_left_ok(site.b, site.s) {
        return None;
    }
    ipv6_at(site.b, site.s).map(|end| Hit::new(Kind::Ipv6, site.s, end))
}

/// A MAC address starting at `s`: `00:1a:2b:3c:4d:5e`, `00-1A-...`, `001a.2b3c.4d5e`.
fn mac_at(b: &[u8], s: usize) -> Option<usize> {
    let sep = *b.get(s + 2)?;
    let (groups, width, sep) = if matches!(sep, b':' | b'-') {
        (6, 2, sep)
    } else if b.get(s + 4) == Some(&b'.') {
        (3, 4, b'.')
    } else {
        return None;
    };
    let mut p = s;
    let mut digit = false;
    for i in 0..groups {
        if i > 0 {
            if b.get(p) != Some(&sep) {
                return None;
            }
            p += 1;
        }
        if hex_run(b, p, width) != width {
            return None;
        }
        digit |= b[p..p + width].iter().any(u8::is_ascii_digit);
        p += width;
    }
    if sep == b'.' && !digit {
        return None;
    }
    let n = b.get(p).copied().unwrap_or(b' ');
    if is_word(n) || n == sep && b.get(p + 1).is_some_and(u8::is_ascii_hexdigit) {
        return None;
    }
    Some(p)
}

/// A MAC address at the site's word.
pub(super) fn mac(site: &Site) -> Option<Hit> {
    if !site.on(Kind::MacAddress) || !site.hex || !matches!(site.len(), 2 | 4) || !v6_left_ok(site.b, site.s) {
        return None;
    }
    if site.b.get(site.s.wrapping_sub(1)) == Some(&b'-') {
        return None;
    }
    mac_at(site.b, site.s).map(|end| Hit::new(Kind::MacAddress, site.s, end))
}

/// At a `:` or `-` whose hex run before it holds no digit (so no digit site saw it):
/// `fe::1`, `ab:cd:ef:01:23:45`, `::1:2`.
pub(super) fn at_separator(b: &[u8], i: usize, lo: usize, v6: bool, mac_on: bool) -> Option<Hit> {
    let mut s = i;
    while s > lo && i - s < 4 && b[s - 1].is_ascii_hexdigit() {
        s -= 1;
    }
    if b[s..i].iter().any(u8::is_ascii_digit) || !v6_left_ok(b, s) {
        // A digit site handles runs with digits; a longer word is no address.
        return None;
    }
    if mac_on && i - s == 2 {
        if let Some(end) = mac_at(b, s) {
            return Some(Hit::new(Kind::MacAddress, s, end));
        }
    }
    if v6 && b[i] == b':' && (i > s || b.get(i + 1) == Some(&b':')) {
        return ipv6_at(b, s).map(|end| Hit::new(Kind::Ipv6, s, end));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(quad(b"192.168.0.1", 0), Some(11));
        assert_eq!(quad(b"256.1.1.1", 0), None);
        assert_eq!(quad(b"01.1.1.1", 0), None);
        assert_eq!(quad(b"1.1.1", 0), None);
        for good in
            ["2001:db8::1", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.1", "2001:0db8:0000:0000:0000:ff00:0042:8329"]
        {
            assert_eq!(ipv6_at(good.as_bytes(), 0), Some(good.len()), "{good}");
        }
        for bad in ["12:34:56", "1:2:3:4:5:6:7:8:9", "1::2::3", "a::b", "12345::1", "::", "1:2:3:4:5:6:7"] {
            assert_eq!(ipv6_at(bad.as_bytes(), 0), None, "{bad}");
        }
        assert_eq!(mac_at(b"00:1a:2b:3c:4d:5e", 0), Some(17));
        assert_eq!(mac_at(b"00-1A-2B-3C-4D-5E", 0), Some(17));
        assert_eq!(mac_at(b"001a.2b3c.4d5e", 0), Some(14));
        assert_eq!(mac_at(b"00:1a:2b-3c:4d:5e", 0), None);
        assert_eq!(mac_at(b"00:1a:2b:3c:4d:5e:6f", 0), None);
    }
}
