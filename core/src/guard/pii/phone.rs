//! Phone numbers, with libphonenumber-style rules kept compact: per calling code the range of
//! national-number lengths and the digits a national number may start with (from
//! libphonenumber's metadata, general descriptions), NANP's structural rule (area code and
//! exchange start with 2–9), and the national formats of the default region.

use super::{left_ok, right_ok, Dv, Hit, Kind, Site};

/// One country (or NANP region) of the table.
#[derive(Debug)]
pub(crate) struct Country {
    pub cc: u16,
    pub region: &'static str,
    pub min: u8,
    pub max: u8,
    /// Allowed first digits of the national number, as a bit set.
    pub first: u16,
    /// The national trunk prefix ("0", "8", "06"; "1" for NANP; empty where there is none).
    pub trunk: &'static str,
}

/// A bit set of digits from a spec such as `"2-9"` or `"1235789"`.
const fn d(spec: &str) -> u16 {
    let s = spec.as_bytes();
    let mut set = 0u16;
    let mut i = 0;
    while i < s.len() {
        if i + 2 < s.len() && s[i + 1] == b'-' {
            let mut c = s[i];
            while c <= s[i + 2] {
                set |= 1 << (c - b'0');
                c += 1;
            }
            i += 3;
        } else {
            set |= 1 << (s[i] - b'0');
            i += 1;
        }
    }
    set
}

const fn c(cc: u16, region: &'static str, min: u8, max: u8, first: &str, trunk: &'static str) -> Country {
    Country { cc, region, min, max, first: d(first), trunk }
}

/// The table. A calling code's first row is the one used for `+CC` numbers.
static COUNTRIES: &[Country] = &[
    c(1, "US", 10, 10, "2-9", "1"),
    c(1, "CA", 10, 10, "2-9", "1"),
    c(7, "RU", 10, 10, "3-9", "8"),
    c(7, "KZ", 10, 10, "67", "8"),
    c(20, "EG", 8, 10, "1-9", "0"),
    c(27, "ZA", 9, 9, "1-8", "0"),
    c(30, "GR", 10, 10, "26789", ""),
    c(31, "NL", 9, 9, "1-9", "0"),
    c(32, "BE", 8, 9, "1-9", "0"),
    c(33, "FR", 9, 9, "1-9", "0"),
    c(34, "ES", 9, 9, "5-9", ""),
    c(36, "HU", 8, 9, "1-9", "06"),
    c(39, "IT", 6, 11, "0138", ""),
    c(40, "RO", 9, 9, "2378", "0"),
    c(41, "CH", 9, 9, "2-9", "0"),
    c(43, "AT", 4, 13, "1-9", "0"),
    c(44, "GB", 9, 10, "1235789", "0"),
    c(45, "DK", 8, 8, "2-9", ""),
    c(46, "SE", 7, 10, "1-9", "0"),
    c(47, "NO", 8, 8, "2-9", ""),
    c(48, "PL", 9, 9, "1-9", ""),
    c(49, "DE", 6, 13, "1-9", "0"),
    c(51, "PE", 8, 9, "1-9", "0"),
    c(52, "MX", 10, 10, "1-9", ""),
    c(53, "CU", 6, 8, "2-9", "0"),
    c(54, "AR", 10, 11, "1-9", "0"),
    c(55, "BR", 10, 11, "1-9", "0"),
    c(56, "CL", 9, 9, "2-9", ""),
    c(57, "CO", 8, 10, "1-9", ""),
    c(58, "VE", 10, 10, "24589", "0"),
    c(60, "MY", 8, 10, "1-9", "0"),
    c(61, "AU", 9, 9, "23478", "0"),
    c(62, "ID", 7, 12, "2-9", "0"),
    c(63, "PH", 8, 10, "2-9", "0"),
    c(64, "NZ", 8, 10, "2-9", "0"),
    c(65, "SG", 8, 8, "3689", ""),
    c(66, "TH", 8, 9, "2-9", "0"),
    c(81, "JP", 9, 10, "1-9", "0"),
    c(82, "KR", 8, 10, "1-9", "0"),
    c(84, "VN", 9, 10, "2-9", "0"),
    c(86, "CN", 10, 11, "1-9", "0"),
    c(90, "TR", 10, 10, "2-589", "0"),
    c(91, "IN", 10, 10, "1-9", "0"),
    c(92, "PK", 9, 10, "2-9", "0"),
    c(93, "AF", 9, 9, "2-7", "0"),
    c(94, "LK", 9, 9, "1-9", "0"),
    c(95, "MM", 7, 10, "1-9", "0"),
    c(98, "IR", 10, 10, "1-9", "0"),
    c(212, "MA", 9, 9, "5-8", "0"),
    c(213, "DZ", 8, 9, "2-9", "0"),
    c(216, "TN", 8, 8, "2-9", ""),
    c(233, "GH", 9, 9, "235", "0"),
    c(234, "NG", 8, 10, "1-9", "0"),
    c(254, "KE", 9, 9, "1-9", "0"),
    c(255, "TZ", 9, 9, "2-9", "0"),
    c(256, "UG", 9, 9, "2-9", "0"),
    c(351, "PT", 9, 9, "236789", ""),
    c(352, "LU", 4, 11, "2-9", ""),
    c(353, "IE", 7, 10, "1-9", "0"),
    c(354, "IS", 7, 7, "4-9", ""),
    c(358, "FI", 5, 12, "1-9", "0"),
    c(359, "BG", 8, 9, "2-9", "0"),
    c(370, "LT", 8, 8, "3-9", "8"),
    c(371, "LV", 8, 8, "2689", ""),
    c(372, "EE", 7, 8, "3-9", ""),
    c(380, "UA", 9, 9, "3-9", "0"),
    c(381, "RS", 8, 9, "1-9", "0"),
    c(385, "HR", 8, 9, "1-9", "0"),
    c(386, "SI", 8, 8, "1-7", "0"),
    c(420, "CZ", 9, 9, "2-9", ""),
    c(421, "SK", 9, 9, "2-9", "0"),
    c(852, "HK", 8, 8, "2-9", ""),
    c(853, "MO", 8, 8, "2-8", ""),
    c(855, "KH", 8, 9, "1-9", "0"),
    c(880, "BD", 10, 10, "1-9", "0"),
    c(886, "TW", 8, 9, "2-9", "0"),
    c(961, "LB", 7, 8, "1-9", "0"),
    c(962, "JO", 8, 9, "2-9", "0"),
    c(965, "KW", 8, 8, "1-9", ""),
    c(966, "SA", 9, 9, "15", "0"),
    c(971, "AE", 8, 9, "2-9", "0"),
    c(972, "IL", 8, 9, "2-9", "0"),
    c(974, "QA", 8, 8, "3-7", ""),
    c(977, "NP", 8, 10, "1-9", "0"),
];

/// The table row of a region code (case-insensitive).
pub(super) fn region(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.region.eq_ignore_ascii_case(code))
}

/// The known region codes, for error messages.
pub(super) fn region_names() -> String {
    COUNTRIES.iter().map(|c| c.region).collect::<Vec<_>>().join(", ")
}

/// The calling code that `digits` starts with, and its length.
fn by_cc(digits: &[u8]) -> Option<(&'static Country, usize)> {
    let mut cc = 0u16;
    for (i, &digit) in digits.iter().take(3).enumerate() {
        cc = cc * 10 + u16::from(digit - b'0');
        if let Some(country) = COUNTRIES.iter().find(|c| c.cc == cc) {
            return Some((country, i + 1));
        }
    }
    None
}

fn national_ok(country: &Country, national: &[u8]) -> bool {
    let len = national.len();
    if len < usize::from(country.min) || len > usize::from(country.max) {
        return false;
    }
    if country.first & (1 << (national[0] - b'0')) == 0 {
        return false;
    }
    // NANP: NXX-NXX-XXXX.
    country.cc != 1 || (national[0] >= b'2' && national[3] >= b'2')
}

/// Digit groups as written: `201-555-0123`, `(201) 555 0123`, `44 (0)20 7946 0958`.
struct Groups {
    digits: [u8; 20],
    /// Per group: digits so far, byte end, the separator after it (0 at the end).
    cuts: [(u8, usize, u8); 8],
    count: usize,
    /// Per group: its number of digits and whether it was in parentheses.
    lens: [(u8, bool); 8],
    /// Parsing stopped at a limit with more groups after.
    more: bool,
}

impl Groups {
    fn parse(b: &[u8], mut p: usize, international: bool, mut close_paren: bool) -> Option<Groups> {
        let mut g = Groups { digits: [0; 20], cuts: [(0, 0, 0); 8], count: 0, lens: [(0, false); 8], more: false };
        let mut n = 0usize;
        loop {
            if g.count == g.cuts.len() {
                g.more = true;
                break;
            }
            let paren = b.get(p) == Some(&b'(');
            if paren {
                p += 1;
            }
            let start = p;
            while p < b.len() && b[p].is_ascii_digit() && p - start < 16 {
                p += 1;
            }
            let len = p - start;
            if len == 0 || len >= 16 {
                return None;
            }
            if paren || close_paren {
                if b.get(p) != Some(&b')') {
                    return None;
                }
                p += 1;
                close_paren = false;
            }
            // "+44 (0)20": the trunk prefix in parentheses is not part of the number.
            let trunk_marker = international && paren && len == 1 && b[start] == b'0' && g.count == 1;
            if !trunk_marker {
                if n + len > g.digits.len() {
                    g.more = true;
                    break;
                }
                g.digits[n..n + len].copy_from_slice(&b[start..start + len]);
                n += len;
                g.cuts[g.count] = (n as u8, p, 0);
                g.lens[g.count] = (len as u8, paren);
                g.count += 1;
            }
            let next = b.get(p).copied().unwrap_or(0);
            let after = b.get(p + 1).copied().unwrap_or(0);
            if matches!(next, b' ' | b'-' | b'.') && (after.is_ascii_digit() || after == b'(') {
                if !trunk_marker {
                    g.cuts[g.count - 1].2 = next;
                }
                p += 1;
            } else if next == b'(' || paren && next.is_ascii_digit() {
                if !trunk_marker {
                    g.cuts[g.count - 1].2 = b'(';
                }
            } else {
                break;
            }
        }
        (g.count > 0).then_some(g)
    }
}

/// A phone number at the site's word (or the `+`/`(` just before it).
pub(super) fn at(site: &Site) -> Option<Hit> {
    if !site.on(Kind::Phone) || !site.all_digits || site.len() > 15 {
        return None;
    }
    let b = site.b;
    let s = site.s;
    // International: "+CC ...", "(+CC) ...".
    if s >= 1 && b[s - 1] == b'+' && s > site.lo {
        let start = if s >= 2 && b[s - 2] == b'(' && s - 2 >= site.lo { s - 2 } else { s - 1 };
        return international(site, start);
    }
    national(site)
}

fn international(site: &Site, start: usize) -> Option<Hit> {
    let b = site.b;
    if !left_ok(b, start) {
        return None;
    }
    // "(+44) 20 ...": the calling code in parentheses.
    let g = Groups::parse(b, site.s, true, b[start] == b'(')?;
    let (country, cc_len) = by_cc(&g.digits[..usize::from(g.cuts[g.count - 1].0)])?;
    if usize::from(g.lens[0].0) < cc_len {
        return None;
    }
    for k in (0..g.count).rev() {
        let (n, end, sep) = g.cuts[k];
        let last = k == g.count - 1 && !g.more;
        if !last && sep != b' ' {
            continue;
        }
        let n = usize::from(n);
        if n <= cc_len || !national_ok(country, &g.digits[cc_len..n]) {
            continue;
        }
        if !right_ok(b, end) {
            return None;
        }
        return Some(
            Hit::new(Kind::Phone, start, end)
                .with("countryCode", Dv::N(u64::from(country.cc)))
                .with("region", Dv::S(country.region))
                .with("format", Dv::S("international")),
        );
    }
    None
}

fn national(site: &Site) -> Option<Hit> {
    let b = site.b;
    let s = site.s;
    let start = if s > site.lo && b[s - 1] == b'(' { s - 1 } else { s };
    if !left_ok(b, start) {
        return None;
    }
    let country = site.region();
    // Only numbers written the region's way: NANP's first group is 1 (trunk), 3 or 10-11
    // digits; elsewhere the trunk prefix (where there is one) comes first.
    let first_len = site.len();
    if country.cc == 1 {
        // A one-digit first group can only be the trunk "1", not in parentheses.
        if !matches!(first_len, 1 | 3 | 10 | 11) || first_len == 1 && (b[s] != b'1' || start != s) {
            return None;
        }
        if first_len == 3 {
            // 3-3-4: the second group is three digits after `)` and/or one separator.
            let mut p = site.we;
            if start != s {
                if b.get(p) != Some(&b')') {
                    return None;
                }
                p += 1;
            }
            if matches!(b.get(p), Some(b' ' | b'-' | b'.')) {
                p += 1;
            }
            let three = b.get(p..p + 3).is_some_and(|g| g.iter().all(u8::is_ascii_digit));
            if !three || b.get(p + 3).is_some_and(u8::is_ascii_digit) {
                return None;
            }
        }
    } else if !b[s..].starts_with(country.trunk.as_bytes()) {
        return None;
    }
    let g = Groups::parse(b, start, false, false)?;
    for k in (0..g.count).rev() {
        let (n, end, sep) = g.cuts[k];
        let last = k == g.count - 1 && !g.more;
        if !last && sep != b' ' {
            continue;
        }
        let digits = &g.digits[..usize::from(n)];
        let Some(context_needed) = national_shape(country, &g, k + 1, digits) else { continue };
        if context_needed && !site.has_context(Kind::Phone) {
            continue;
        }
        if !right_ok(b, end) {
            return None;
        }
        return Some(
            Hit::new(Kind::Phone, start, end)
                .with("countryCode", Dv::N(u64::from(country.cc)))
                .with("region", Dv::S(country.region))
                .with("format", Dv::S("national")),
        );
    }
    None
}

/// Whether the first `k` groups are a national number of `country`, and if so whether only
/// context makes it one.
fn national_shape(country: &Country, g: &Groups, k: usize, digits: &[u8]) -> Option<bool> {
    let lens = &g.lens[..k];
    let sep = |i: usize| g.cuts[i].2;
    if country.cc == 1 {
        // An optional trunk "1" group, then 3-3-4 or one run of 10.
        let (skip, rest) = if lens[0].0 == 1 && !lens[0].1 { (1, &lens[1..]) } else { (0, lens) };
        if (skip == 1 || lens == [(11, false)]) && digits[0] != b'1' {
            return None;
        }
        let national = &digits[digits.len().saturating_sub(10)..];
        if digits.len() > 11 || !national_ok(country, national) {
            return None;
        }
        return match rest {
            [(10, false)] | [(11, false)] => Some(true),
            [(3, paren), (3, false), (4, false)] => {
                let (a, c2) = (sep(skip), sep(skip + 1));
                if *paren {
                    Some(!matches!(c2, b'-' | b'.' | b' '))
                } else if a == c2 && matches!(a, b'-' | b'.') {
                    Some(false)
                } else if a == b' ' && c2 == b' ' {
                    Some(true)
                } else {
                    None
                }
            }
            _ => None,
        };
    }
    let trunk = country.trunk.len();
    if digits.len() <= trunk || !national_ok(country, &digits[trunk..]) {
        return None;
    }
    // Written in groups: a phone number as such; one run of digits needs context.
    Some(k == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sane() {
        for country in COUNTRIES {
            assert!(country.min <= country.max && country.max <= 13, "{}", country.region);
            assert!(country.first != 0 && country.region.len() == 2);
            assert!(country.cc < 1000);
        }
        assert_eq!(by_cc(b"4420").map(|(c, n)| (c.region, n)), Some(("GB", 2)));
        assert_eq!(by_cc(b"1201").map(|(c, n)| (c.region, n)), Some(("US", 1)));
        assert_eq!(by_cc(b"3531").map(|(c, n)| (c.region, n)), Some(("IE", 3)));
        assert!(by_cc(b"999").is_none());
        assert_eq!(d("2-589"), 0b11_0011_1100);
        assert!(COUNTRIES.len() >= 80);
    }
}
