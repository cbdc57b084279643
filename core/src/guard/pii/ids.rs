//! Numbers and codes validated by check digits or structure: payment cards, national and tax
//! identifiers, IBANs, dates of birth, and the shape-only passport and licence numbers that
//! need context.

use super::{collect_digits, left_ok, right_ok, Dv, Hit, Kind, Site};
use crate::guard::checksum;

/// Digit groups from a word, joined by one separator used throughout (space or `-`).
#[derive(Debug, Clone, Copy)]
pub(super) struct NumGroups {
    pub lens: [u8; 8],
    pub ends: [usize; 8],
    pub count: usize,
    pub sep: u8,
    /// More groups follow the eighth.
    pub more: bool,
}

impl NumGroups {
    pub(super) fn parse(b: &[u8], s: usize) -> NumGroups {
        let mut g = NumGroups { lens: [0; 8], ends: [0; 8], count: 0, sep: 0, more: false };
        let mut p = s;
        loop {
            let start = p;
            while p < b.len() && b[p].is_ascii_digit() && p - start < 40 {
                p += 1;
            }
            if p == start {
                break;
            }
            g.lens[g.count] = (p - start).min(255) as u8;
            g.ends[g.count] = p;
            g.count += 1;
            let next = b.get(p).copied().unwrap_or(0);
            let continues =
                matches!(next, b' ' | b'-') && (g.sep == 0 || g.sep == next) && b.get(p + 1).is_some_and(u8::is_ascii_digit);
            if !continues {
                break;
            }
            if g.count == g.lens.len() {
                g.more = true;
                break;
            }
            g.sep = next;
            p += 1;
        }
        g
    }

    /// The number of leading groups that may form a value: all of them, or (when groups are
    /// separated by spaces, so a following number is just another word) fewer.
    fn prefixes(&self) -> impl Iterator<Item = usize> + '_ {
        (1..=self.count).rev().filter(move |&k| (k == self.count && !self.more) || self.sep == b' ')
    }

    fn total(&self, k: usize) -> usize {
        self.lens[..k].iter().map(|&l| usize::from(l)).sum()
    }
}

/// Card issuers: name, prefix test on the first six digits, valid lengths.
fn issuer(digits: &[u8]) -> Option<(&'static str, &'static [usize])> {
    let prefix = |n: usize| digits[..n].iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'));
    let (p1, p2, p3, p4, p6) = (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6));
    const SIXTEEN_TO_19: &[usize] = &[16, 17, 18, 19];
    Some(match () {
        _ if p2 == 34 || p2 == 37 => ("amex", &[15]),
        _ if (300..=305).contains(&p3) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39 => {
            ("diners", &[14, 15, 16, 17, 18, 19])
        }
        _ if (3528..=3589).contains(&p4) => ("jcb", SIXTEEN_TO_19),
        _ if p1 == 4 => ("visa", &[13, 16, 19]),
        _ if (2200..=2204).contains(&p4) => ("mir", SIXTEEN_TO_19),
        _ if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) => ("mastercard", &[16]),
        _ if matches!(p4, 5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761 | 6762 | 6763) => {
            ("maestro", &[12, 13, 14, 15, 16, 17, 18, 19])
        }
        _ if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622_126..=622_925).contains(&p6) => {
            ("discover", SIXTEEN_TO_19)
        }
        _ if p2 == 62 => ("unionpay", SIXTEEN_TO_19),
        _ if p2 == 60 || p3 == 508 => ("rupay", &[16]),
        _ if p4 == 9792 => ("troy", &[16]),
        _ => return None,
    })
}

/// A payment card number.
pub(super) fn card(site: &Site) -> Option<Hit> {
    if !site.on(Kind::CreditCard) || !site.all_digits || !(site.len() == 4 || (12..=19).contains(&site.len())) {
        return None;
    }
    let b = site.b;
    // A first group of four is followed by one of four or six (the only groupings).
    if site.len() == 4
        && !(matches!(site.next(), b' ' | b'-')
            && b.get(site.we + 1..site.we + 5).is_some_and(|g| g.iter().all(u8::is_ascii_digit)))
    {
        return None;
    }
    if !left_ok(b, site.s) {
        return None;
    }
    let g = site.groups();
    for k in g.prefixes() {
        let total = g.total(k);
        if !(12..=19).contains(&total) {
            continue;
        }
        let lens = &g.lens[..k];
        let grouped = k == 1
            || lens[..k - 1].iter().all(|&l| l == 4) && (1..=4).contains(&lens[k - 1])
            || lens == [4, 6, 5]
            || lens == [4, 6, 4];
        if !grouped {
            continue;
        }
        let end = g.ends[k - 1];
        let mut buf = [0u8; 24];
        let digits = collect_digits(b, site.s, end, &mut buf)?;
        let Some((name, lengths)) = issuer(digits.as_bytes()) else { continue };
        if !lengths.contains(&total) || !checksum::luhn(digits) {
            continue;
        }
        if !right_ok(b, end) {
            return None;
        }
        return Some(Hit::new(Kind::CreditCard, site.s, end).with("issuer", Dv::S(name)));
    }
    None
}

/// Identifiers that are reported only with a context word: their group shapes and checks.
struct Gated {
    kind: Kind,
    shapes: &'static [&'static [u8]],
    check: fn(&str) -> bool,
}

fn aadhaar(text: &str) -> bool {
    text.as_bytes()[0] >= b'2' && checksum::verhoeff(text)
}

fn pesel(text: &str) -> bool {
    checksum::pesel_birth_date(text).is_some()
}

/// In priority order.
static GATED: &[Gated] = &[
    Gated { kind: Kind::UkNhs, shapes: &[&[10], &[3, 3, 4]], check: checksum::uk_nhs },
    Gated { kind: Kind::InAadhaar, shapes: &[&[12], &[4, 4, 4]], check: aadhaar },
    Gated {
        kind: Kind::AuMedicare,
        shapes: &[&[10], &[11], &[4, 5, 1], &[4, 5, 1, 1]],
        check: checksum::australian_medicare,
    },
    Gated { kind: Kind::AuAbn, shapes: &[&[11], &[2, 3, 3, 3]], check: checksum::australian_abn },
    Gated { kind: Kind::DeTaxId, shapes: &[&[11], &[2, 3, 3, 3]], check: checksum::german_tax_id },
    Gated { kind: Kind::PlPesel, shapes: &[&[11]], check: pesel },
    Gated { kind: Kind::AuTfn, shapes: &[&[9], &[3, 3, 3]], check: checksum::australian_tfn },
    Gated { kind: Kind::CaSin, shapes: &[&[9], &[3, 3, 3]], check: checksum::canadian_sin },
    Gated { kind: Kind::AbaRouting, shapes: &[&[9]], check: checksum::aba_routing },
    Gated { kind: Kind::UsItin, shapes: &[&[9], &[3, 2, 4]], check: checksum::us_itin },
    Gated { kind: Kind::UsSsn, shapes: &[&[9], &[3, 2, 4]], check: checksum::us_ssn },
];

/// The kinds of [`GATED`].
const GATED_KINDS: u32 = Kind::UkNhs.bit()
    | Kind::InAadhaar.bit()
    | Kind::AuMedicare.bit()
    | Kind::AuAbn.bit()
    | Kind::DeTaxId.bit()
    | Kind::PlPesel.bit()
    | Kind::AuTfn.bit()
    | Kind::CaSin.bit()
    | Kind::AbaRouting.bit()
    | Kind::UsItin.bit()
    | Kind::UsSsn.bit();

/// A context-gated identifier.
pub(super) fn gated(site: &Site) -> Option<Hit> {
    if site.scanner.enabled & GATED_KINDS == 0
        || !site.all_digits
        || !matches!(site.len(), 2..=4 | 9..=12)
        || !left_ok(site.b, site.s)
    {
        return None;
    }
    let g = site.groups();
    for k in g.prefixes() {
        if !(9..=12).contains(&g.total(k)) {
            continue;
        }
        let lens = &g.lens[..k];
        let end = g.ends[k - 1];
        let mut buf = [0u8; 24];
        let Some(digits) = collect_digits(site.b, site.s, end, &mut buf) else { continue };
        for rule in GATED {
            if site.on(rule.kind)
                && rule.shapes.contains(&lens)
                && (rule.check)(digits)
                && site.has_context(rule.kind)
                && right_ok(site.b, end)
            {
                return Some(Hit::new(rule.kind, site.s, end));
            }
        }
    }
    None
}

/// `123-45-6789`: an SSN (or ITIN) written the official way needs no context.
pub(super) fn dashed_ssn(site: &Site) -> Option<Hit> {
    if !site.on(Kind::UsSsn) && !site.on(Kind::UsItin)
        || !site.all_digits
        || site.len() != 3
        || site.next() != b'-'
        || !left_ok(site.b, site.s)
    {
        return None;
    }
    let g = site.groups();
    if g.count != 3 || g.more || g.lens[..3] != [3, 2, 4] || !right_ok(site.b, g.ends[2]) {
        return None;
    }
    let mut buf = [0u8; 24];
    let digits = collect_digits(site.b, site.s, g.ends[2], &mut buf)?;
    let kind = if checksum::us_ssn(digits) {
        Kind::UsSsn
    } else if checksum::us_itin(digits) {
        Kind::UsItin
    } else {
        return None;
    };
    site.on(kind).then(|| Hit::new(kind, site.s, g.ends[2]))
}

/// A Spanish NIF (`12345678Z`, `12345678-Z`) or NIE (`X1234567L`).
pub(super) fn spanish_nif(site: &Site) -> Option<Hit> {
    if !site.on(Kind::EsNif) || !matches!(site.len(), 8 | 9) || !left_ok(site.b, site.s) {
        return None;
    }
    let b = site.b;
    let word = &b[site.s..site.we];
    let mut buf = [0u8; 9];
    let end = if word.len() == 9 {
        buf.copy_from_slice(word);
        site.we
    } else {
        // "12345678-Z"
        let letter = *b.get(site.we + 1)?;
        if site.next() != b'-' || !site.all_digits || !letter.is_ascii_uppercase() {
            return None;
        }
        buf[..8].copy_from_slice(word);
        buf[8] = letter;
        site.we + 2
    };
    let text = std::str::from_utf8(&buf).ok()?;
    if !buf[8].is_ascii_uppercase() || !checksum::spanish_nif(text) || !right_ok(b, end) {
        return None;
    }
    let form = if buf[0].is_ascii_digit() { "NIF" } else { "NIE" };
    Some(Hit::new(Kind::EsNif, site.s, end).with("form", Dv::S(form)))
}

/// An Italian codice fiscale, with omocodia (digits replaced by letters) allowed.
pub(super) fn italian_fiscal_code(site: &Site) -> Option<Hit> {
    if !site.on(Kind::ItFiscalCode) || site.len() != 16 || !left_ok(site.b, site.s) || !right_ok(site.b, site.we) {
        return None;
    }
    let word = &site.b[site.s..site.we];
    let lower = word.iter().any(u8::is_ascii_lowercase);
    if lower && word.iter().any(u8::is_ascii_uppercase) {
        return None;
    }
    let mut code = [0u8; 16];
    for (slot, c) in code.iter_mut().zip(word) {
        *slot = c.to_ascii_uppercase();
    }
    const OMOCODE: &[u8; 10] = b"LMNPQRSTUV";
    let number = |c: u8| -> Option<u32> {
        if c.is_ascii_digit() {
            Some(u32::from(c - b'0'))
        } else {
            OMOCODE.iter().position(|&o| o == c).map(|v| v as u32)
        }
    };
    let letters = [0, 1, 2, 3, 4, 5, 8, 11, 15];
    if !letters.iter().all(|&i| code[i].is_ascii_uppercase()) {
        return None;
    }
    for i in [6, 7, 9, 10, 12, 13, 14] {
        number(code[i])?;
    }
    let day = number(code[9])? * 10 + number(code[10])?;
    if !b"ABCDEHLMPRST".contains(&code[8]) || !matches!(day, 1..=31 | 41..=71) {
        return None;
    }
    checksum::italian_fiscal_code(std::str::from_utf8(&code).ok()?).then(|| Hit::new(Kind::ItFiscalCode, site.s, site.we))
}

/// An IBAN, compact or in groups of four.
pub(super) fn iban(site: &Site) -> Option<Hit> {
    let b = site.b;
    let word = &b[site.s..site.we];
    if !site.on(Kind::Iban)
        || word.len() < 4
        || !word[..2].iter().all(u8::is_ascii_uppercase)
        || !word[2..4].iter().all(u8::is_ascii_digit)
        || !left_ok(b, site.s)
    {
        return None;
    }
    let length = checksum::iban_length(&word[..2])?;
    let mut buf = [0u8; 34];
    let end = if word.len() == length {
        buf[..length].copy_from_slice(word);
        site.we
    } else if word.len() == 4 {
        buf[..4].copy_from_slice(word);
        let (mut n, mut p) = (4, site.we);
        while n < length {
            if b.get(p) != Some(&b' ') {
                return None;
            }
            let start = p + 1;
            let mut q = start;
            while q < b.len() && (b[q].is_ascii_digit() || b[q].is_ascii_uppercase()) && q - start < 5 {
                q += 1;
            }
            let len = q - start;
            if len == 0 || len > 4 || n + len > length || (len < 4 && n + len < length) {
                return None;
            }
            buf[n..n + len].copy_from_slice(&b[start..q]);
            n += len;
            p = q;
        }
        p
    } else {
        return None;
    };
    let text = std::str::from_utf8(&buf[..length]).ok()?;
    (checksum::iban(text) && right_ok(b, end)).then(|| Hit::new(Kind::Iban, site.s, end))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1–12) an English month name or its three-letter abbreviation (or `Sept`) names.
pub(super) fn is_month(word: &[u8]) -> bool {
    month(word).is_some()
}

fn month(word: &[u8]) -> Option<u32> {
    let word = word.strip_suffix(b".").unwrap_or(word);
    if word.len() < 3 || word.len() > 9 {
        return None;
    }
    let mut buf = [0u8; 9];
    for (slot, c) in buf.iter_mut().zip(word) {
        *slot = c.to_ascii_lowercase();
    }
    let word = &buf[..word.len()];
    MONTHS
        .iter()
        .position(|m| {
            m.as_bytes() == word || word.len() == 3 && m.as_bytes().starts_with(word) || word == b"sept" && *m == "september"
        })
        .map(|i| i as u32 + 1)
}

fn number(b: &[u8], p: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut q = p;
    while q < b.len() && b[q].is_ascii_digit() && q - p <= max {
        q += 1;
    }
    let len = q - p;
    if len < min || len > max {
        return None;
    }
    Some((b[p..q].iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')), q))
}

fn real_date(year: u32, month: u32, day: u32) -> bool {
    (1900..=2100).contains(&year) && day >= 1 && day <= checksum::days_in_month(year, month)
}

/// A date of birth (with context): numeric (`1985-03-12`, `12/03/1985`, `03.12.1985`) or
/// with an English month name (`12 March 1985`, `March 12, 1985`).
pub(super) fn date_of_birth(site: &Site) -> Option<Hit> {
    if !site.on(Kind::DateOfBirth) || site.digits == 0 || site.len() > 4 {
        return None;
    }
    let b = site.b;
    let s = site.s;
    let word = &b[s..site.we];
    let (start, end) = if site.all_digits && matches!(site.next(), b'-' | b'/' | b'.') {
        // Numeric.
        let sep = site.next();
        let (first, p) = number(b, s, 1, 4)?;
        if b.get(p) != Some(&sep) {
            return None;
        }
        let (second, p) = number(b, p + 1, 1, 2)?;
        if b.get(p) != Some(&sep) {
            return None;
        }
        let year_first = word.len() == 4;
        let (third, end) = number(b, p + 1, if year_first { 1 } else { 4 }, if year_first { 2 } else { 4 })?;
        let ok = if year_first {
            real_date(first, second, third)
        } else {
            word.len() <= 2 && (real_date(third, second, first) || real_date(third, first, second))
        };
        if !ok {
            return None;
        }
        (s, end)
    } else {
        // Day (1-2 digits, maybe "12th") and month name either way round, then the year.
        let digits_len = word.iter().take_while(|c| c.is_ascii_digit()).count();
        let suffix = &word[digits_len..];
        if !(1..=2).contains(&digits_len)
            || !(suffix.is_empty() || [&b"st"[..], b"nd", b"rd", b"th"].iter().any(|x| suffix.eq_ignore_ascii_case(x)))
        {
            return None;
        }
        let day = word[..digits_len].iter().fold(0, |v, d| v * 10 + u32::from(d - b'0'));
        let month_before = {
            // "March 12, 1985": a month name just before the day.
            let mut m = s.saturating_sub(1);
            if s >= 2 && b[s - 1] == b' ' {
                while m > site.lo && b[m - 1].is_ascii_alphabetic() && s - m <= 10 {
                    m -= 1;
                }
                let name = &b[m..s - 1];
                month(name).filter(|_| !name.is_empty() && (m == 0 || !super::is_word(b[m - 1]))).map(|mo| (mo, m))
            } else {
                None
            }
        };
        let (mo, start, p) = match month_before {
            Some((mo, m)) => {
                let p = if b.get(site.we) == Some(&b',') { site.we + 1 } else { site.we };
                (mo, m, p)
            }
            None => {
                // "12 March 1985"
                if site.next() != b' ' {
                    return None;
                }
                let m = site.we + 1;
                let mut q = m;
                while q < b.len() && (b[q].is_ascii_alphabetic() || b[q] == b'.') && q - m <= 10 {
                    q += 1;
                }
                let mo = month(&b[m..q])?;
                let p = if b.get(q) == Some(&b',') { q + 1 } else { q };
                (mo, s, p)
            }
        };
        if b.get(p) != Some(&b' ') {
            return None;
        }
        let (year, end) = number(b, p + 1, 4, 4)?;
        if !real_date(year, mo, day) {
            return None;
        }
        (start, end)
    };
    if !left_ok(b, start) || !right_ok(b, end) || !site.has_context(Kind::DateOfBirth) {
        return None;
    }
    Some(Hit::new(Kind::DateOfBirth, start, end))
}

/// A passport number (with context): one token of 6–9 upper-case letters and digits, at
/// least five digits.
pub(super) fn passport(site: &Site) -> Option<Hit> {
    let word = &site.b[site.s..site.we];
    if !site.on(Kind::PassportNumber)
        || !(6..=9).contains(&word.len())
        || site.digits < 5
        || !word.iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        || !left_ok(site.b, site.s)
        || !right_ok(site.b, site.we)
        || !site.has_context(Kind::PassportNumber)
    {
        return None;
    }
    Some(Hit::new(Kind::PassportNumber, site.s, site.we))
}

/// A driver's licence number (with context): a token, or dash-joined parts, of 5–20
/// upper-case letters and digits with at least four digits.
pub(super) fn drivers_license(site: &Site) -> Option<Hit> {
    if !site.on(Kind::DriversLicense) || site.len() > 20 || !left_ok(site.b, site.s) {
        return None;
    }
    let b = site.b;
    let (mut p, mut chars, mut digits, mut parts) = (site.s, 0, 0, 0);
    loop {
        let start = p;
        while p < b.len() && (b[p].is_ascii_digit() || b[p].is_ascii_uppercase()) && chars <= 20 {
            digits += usize::from(b[p].is_ascii_digit());
            chars += 1;
            p += 1;
        }
        if p == start || chars > 20 {
            return None;
        }
        parts += 1;
        if parts < 6 && b.get(p) == Some(&b'-') && b.get(p + 1).is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        {
            p += 1;
        } else {
            break;
        }
    }
    if chars < 5 || digits < 4 || !right_ok(b, p) || !site.has_context(Kind::DriversLicense) {
        return None;
    }
    Some(Hit::new(Kind::DriversLicense, site.s, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers() {
        let name = |d: &str| issuer(d.as_bytes()).map(|(n, _)| n);
        assert_eq!(name("4111111111111111"), Some("visa"));
        assert_eq!(name("5555555555554444"), Some("mastercard"));
        assert_eq!(name("2223000048400011"), Some("mastercard"));
        assert_eq!(name("378282246310005"), Some("amex"));
        assert_eq!(name("6011111111111117"), Some("discover"));
        assert_eq!(name("6221260000000000"), Some("discover"));
        assert_eq!(name("6200000000000005"), Some("unionpay"));
        assert_eq!(name("3530111333300000"), Some("jcb"));
        assert_eq!(name("30569309025904"), Some("diners"));
        assert_eq!(name("6759649826438453"), Some("maestro"));
        assert_eq!(name("2200000000000004"), Some("mir"));
        assert_eq!(name("1234567812345678"), None);
        assert_eq!(name("7234567812345678"), None);
    }

    #[test]
    fn months() {
        assert_eq!(month(b"March"), Some(3));
        assert_eq!(month(b"SEPT"), Some(9));
        assert_eq!(month(b"dec."), Some(12));
        assert_eq!(month(b"Ma"), None);
        assert_eq!(month(b"mayday"), None);
    }
}
