//! PII detection with validation: every candidate that looks like an identifier must also pass
//! the identifier's own rules (check digits, issuer ranges, per-country lengths, calendar
//! dates, a known public suffix) before it is reported, so look-alikes such as order numbers,
//! Luhn-invalid card numbers, versions and out-of-range dotted quads are not.
//!
//! ```
//! use bridle::guard::{pii::PiiScanner, Scanner};
//! let scanner = PiiScanner::from_options(&serde_json::json!({ "exclude": ["IPV4"] })).unwrap();
//! let text = "Mail ana.silva@example.co.uk or call (201) 555-0123; card 4111 1111 1111 1111, \
//!             not 4111 1111 1111 1112; build 10.2.3.4.5; order 2015550123.";
//! let mut found = Vec::new();
//! scanner.scan(text, &mut found);
//! let kinds: Vec<_> = found.iter().map(|f| (f.kind.as_ref(), f.text(text))).collect();
//! assert_eq!(kinds, [
//!     ("EMAIL", "ana.silva@example.co.uk"),
//!     ("PHONE", "(201) 555-0123"),
//!     ("CREDIT_CARD", "4111 1111 1111 1111"),
//! ]);
//! assert_eq!(found[2].detail["issuer"], "visa");
//! ```
//!
//! # Types
//!
//! "Context" means one of the type's context words (case-insensitive, whole word, multilingual
//! where it matters: `phone`, `tel`, `mobile`, `fax`, `whatsapp`, `teléfono`, `handy`, ...;
//! `ssn`; `routing`/`aba`/`rtn`; `nhs`; `sin`; `steuer-id`; `pesel`; `tfn`; `abn`;
//! `medicare`; `aadhaar`; `dob`/`date of birth`/`born`; `passport`; `driver's license`/`dl`)
//! must occur within `contextWindow` bytes before the value.
//!
//! | Type | Forms | Validation |
//! |---|---|---|
//! | `EMAIL` | `local@domain.tld` | local part 1–64 chars without `..`; domain labels 1–63 chars, no edge hyphens; the last label an ICANN TLD (compiled-in, IDNs as punycode); the domain not itself a public suffix (`x@co.uk`); case-insensitive |
//! | `PHONE` | `+CC` followed by groups separated by space, `-`, `.`, parentheses (`+44 (0)20 ...`); national formats of `defaultRegion`: NANP `(201) 555-0123`, `201-555-0123`, `201.555.0123`, `1-201-555-0123`; elsewhere the trunk prefix (`020 7946 0958`) | per calling code (about 80 countries and NANP): national-number length range and valid leading digits; NANP area code and exchange start with 2–9. Without context: only `+` forms, parenthesised or dashed/dotted NANP and separated national forms; bare digit runs (`2015550123`) and space-separated NANP need context |
//! | `CREDIT_CARD` | compact, or groups of 4 (Amex/Diners 4-6-5 / 4-6-4) separated consistently by spaces or dashes | issuer prefix ranges and lengths (Visa, Mastercard 51–55 and 2221–2720, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir, RuPay, Troy) and Luhn; `detail.issuer` |
//! | `IBAN` | compact or groups of 4 separated by single spaces, upper case | the country's length and ISO 7064 mod 97 |
//! | `US_SSN` | `123-45-6789`; undashed or spaced with context | area not 000/666/9xx, group not 00, serial not 0000 |
//! | `US_ITIN` | `9XX-7X-XXXX`; undashed or spaced with context | leading 9 and an ITIN group (50–65, 70–88, 90–92, 94–99) |
//! | `ABA_ROUTING` | 9 digits, with context | 3-7-1 weighted checksum |
//! | `IPV4` | dotted quad, optional `:port` or `/prefix` after it | octets 0–255 without leading zeros; not part of a longer dotted run (`1.2.3.4.5`, `v1.2.3.4`) |
//! | `IPV6` | full, `::`-compressed, embedded IPv4 tail | 1–4 hex digits a group; exactly 8 groups, or fewer with one `::`; at least two groups and a digit |
//! | `MAC_ADDRESS` | `00:1A:2B:3C:4D:5E`, `00-1A-...`, `001a.2b3c.4d5e` | six 2-hex groups with one separator, or three 4-hex groups with dots (with a digit) |
//! | `UK_NHS` | 10 digits or 3-3-4, with context | mod 11 |
//! | `CA_SIN` | 9 digits or 3-3-3, with context | Luhn, first digit not 0 or 8 |
//! | `DE_TAX_ID` | 11 digits or 2-3-3-3, with context | Steuer-ID digit-repetition rule and ISO 7064 MOD 11,10 |
//! | `ES_NIF` | `12345678Z`, `12345678-Z`, `X1234567L` | control letter (number mod 23); `detail.form` is `NIF` or `NIE` |
//! | `IT_FISCAL_CODE` | 16 characters `RSSMRA85T10A562S` (omocodia letters allowed) | layout, month letter, day 1–31/41–71, check letter |
//! | `PL_PESEL` | 11 digits, with context | weights 1-3-7-9 and a real birth date |
//! | `AU_TFN` | 9 digits or 3-3-3, with context | weighted mod 11 |
//! | `AU_ABN` | 11 digits or 2-3-3-3, with context | weighted mod 89 |
//! | `AU_MEDICARE` | 10 digits (or 11 with the IRN), 4-5-1, with context | first digit 2–6 and the weighted check digit |
//! | `IN_AADHAAR` | 12 digits or 4-4-4, with context | first digit 2–9 and Verhoeff |
//! | `BITCOIN_ADDRESS` | `1...`/`3...` base58, `bc1...` | base58check (double SHA-256) with version 0 or 5; bech32 for witness v0, bech32m for v1+; `detail.addressType` |
//! | `DATE_OF_BIRTH` | `1985-03-12`, `12/03/1985`, `12.03.1985`, `12 March 1985`, `March 12, 1985`, with context | a real calendar date, year 1900–2100 |
//! | `PASSPORT_NUMBER` | one token of 6–9 upper-case letters and digits (5+ digits), with context | shape only |
//! | `DRIVERS_LICENSE` | one token (or dash-joined parts) of 5–20 upper-case letters and digits (4+ digits), with context | shape only |
//!
//! Context requirements were chosen by precision: a 9- to 12-digit number that passes a mod
//! 10/11/89/97 check is too common in ordinary text (order and tracking numbers) to report
//! alone, so ABA, SIN, TFN, ABN, Medicare, Aadhaar, NHS, PESEL and Steuer-ID always need
//! context, and so do dates, passports and licences, which have no check at all. Formats that
//! are distinctive on their own (a dashed SSN, a NIF with its letter, a fiscal code, an IBAN, a
//! card, a `+` phone number) do not.
//!
//! Names and postal addresses are not detected here.
//!
//! # Options
//!
//! - `types`: the types to detect (default: all of [`PII_TYPES`]); `exclude`: types to leave out.
//! - `defaultRegion`: the region whose national phone formats are read (default `"US"`;
//!   any region of the phone table, such as `"GB"`, `"DE"`, `"FR"`, `"IN"`).
//! - `contextWindow`: how many bytes before a value context words are looked for (default 48,
//!   at most 512). A context word's reach also ends at a `;`, a line break or a full stop
//!   after a word (`tel.` and `no.` do not end it).
//!
//! # How it scans
//!
//! One forward pass: sixteen bytes at a time are tested (SWAR) for a digit, `@`, `:` or (when
//! MAC addresses are on) `-`; letters, spaces and punctuation are skipped without a closer look.
//! At a digit the scanner backs up to the start of its word (at most 128 bytes) and tries the
//! matchers there; each reads a bounded number of bytes, so the scan is linear.

mod context;
mod crypto;
mod email;
mod ids;
mod network;
mod phone;
// Generated (scripts/gen-public-suffixes.mjs): kept as generated.
#[rustfmt::skip]
mod suffixes;

use super::finding::{Finding, Scanner};
use super::options::{invalid, Options};
use crate::Result;
use serde_json::Value;
use std::cell::Cell;

/// Every type the PII scanner reports, as `Finding::kind`.
pub const PII_TYPES: &[&str] = &[
    "EMAIL",
    "PHONE",
    "CREDIT_CARD",
    "IBAN",
    "US_SSN",
    "US_ITIN",
    "ABA_ROUTING",
    "IPV4",
    "IPV6",
    "MAC_ADDRESS",
    "UK_NHS",
    "CA_SIN",
    "DE_TAX_ID",
    "ES_NIF",
    "IT_FISCAL_CODE",
    "PL_PESEL",
    "AU_TFN",
    "AU_ABN",
    "AU_MEDICARE",
    "IN_AADHAAR",
    "BITCOIN_ADDRESS",
    "DATE_OF_BIRTH",
    "PASSPORT_NUMBER",
    "DRIVERS_LICENSE",
];

/// A type, as an index into [`PII_TYPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Phone,
    CreditCard,
    Iban,
    UsSsn,
    UsItin,
    AbaRouting,
    Ipv4,
    Ipv6,
    MacAddress,
    UkNhs,
    CaSin,
    DeTaxId,
    EsNif,
    ItFiscalCode,
    PlPesel,
    AuTfn,
    AuAbn,
    AuMedicare,
    InAadhaar,
    BitcoinAddress,
    DateOfBirth,
    PassportNumber,
    DriversLicense,
}

const ALL_KINDS: [Kind; 24] = [
    Kind::Email,
    Kind::Phone,
    Kind::CreditCard,
    Kind::Iban,
    Kind::UsSsn,
    Kind::UsItin,
    Kind::AbaRouting,
    Kind::Ipv4,
    Kind::Ipv6,
    Kind::MacAddress,
    Kind::UkNhs,
    Kind::CaSin,
    Kind::DeTaxId,
    Kind::EsNif,
    Kind::ItFiscalCode,
    Kind::PlPesel,
    Kind::AuTfn,
    Kind::AuAbn,
    Kind::AuMedicare,
    Kind::InAadhaar,
    Kind::BitcoinAddress,
    Kind::DateOfBirth,
    Kind::PassportNumber,
    Kind::DriversLicense,
];

impl Kind {
    const fn bit(self) -> u32 {
        1 << self as u32
    }

    fn name(self) -> &'static str {
        PII_TYPES[self as usize]
    }
}

/// A detail value of a hit.
#[derive(Debug, Clone, Copy)]
enum Dv {
    S(&'static str),
    N(u64),
}

/// A match before it becomes a [`Finding`] (no allocation until it is reported).
#[derive(Debug, Clone, Copy)]
struct Hit {
    kind: Kind,
    start: usize,
    end: usize,
    detail: [Option<(&'static str, Dv)>; 3],
}

impl Hit {
    fn new(kind: Kind, start: usize, end: usize) -> Hit {
        Hit { kind, start, end, detail: [None; 3] }
    }

    fn with(mut self, key: &'static str, value: Dv) -> Hit {
        if let Some(slot) = self.detail.iter_mut().find(|slot| slot.is_none()) {
            *slot = Some((key, value));
        }
        self
    }

    fn finding(&self) -> Finding {
        let mut finding = Finding::new("pii", self.kind.name(), self.start, self.end);
        let count = self.detail.iter().flatten().count();
        if count > 0 {
            // Sized once: no regrowth of the map while it fills.
            let mut detail = serde_json::Map::with_capacity(count);
            for &(key, value) in self.detail.iter().flatten() {
                let value = match value {
                    Dv::S(s) => Value::String(s.to_owned()),
                    Dv::N(n) => Value::from(n),
                };
                detail.insert(key.to_owned(), value);
            }
            finding.detail = detail;
        }
        finding
    }
}

/// A word-character: what a value may not be glued to.
#[inline]
fn is_word(b: u8) -> bool {
    CLASS[usize::from(b)] & C_WORD != 0
}

const C_WORD: u8 = 1;
const C_DIGIT: u8 = 2;
const C_HEX: u8 = 4;

/// Per byte: word character, ASCII digit, hex digit.
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let mut class = 0;
        if b.is_ascii_alphanumeric() || b == b'_' {
            class |= C_WORD;
        }
        if b.is_ascii_digit() {
            class |= C_DIGIT;
        }
        if b.is_ascii_hexdigit() {
            class |= C_HEX;
        }
        table[c] = class;
        c += 1;
    }
    table
};

/// Whether a numeric or token match may start at `start`: not glued to a word, an `@`, a `+`
/// or a currency sign, and not continuing a dotted, dashed or slashed run (`v1.2`, `12-34`).
fn left_ok(b: &[u8], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let p = b[start - 1];
    if is_word(p) || matches!(p, b'@' | b'$' | b'+') {
        return false;
    }
    let p2 = if start >= 2 { b[start - 2] } else { b' ' };
    if matches!(p, b'.' | b'-' | b'/') && is_word(p2) {
        return false;
    }
    if matches!(p, b',' | b':') && p2.is_ascii_digit() {
        return false;
    }
    // £ ¥ (C2 A3, C2 A5) and € (E2 82 AC) before a number make it a price.
    if (p == 0xA3 || p == 0xA5) && p2 == 0xC2 || p == 0xAC && p2 == 0x82 {
        return false;
    }
    true
}

/// Whether a numeric or token match may end at `end`: not glued to a word or `@`, and not
/// followed by `.`, `-` or `/` and more of a word, or by `,`/`:` and a digit.
fn right_ok(b: &[u8], end: usize) -> bool {
    let Some(&n) = b.get(end) else { return true };
    if is_word(n) || n == b'@' {
        return false;
    }
    let n2 = b.get(end + 1).copied().unwrap_or(b' ');
    if matches!(n, b'.' | b'-' | b'/') && is_word(n2) {
        return false;
    }
    !(matches!(n, b',' | b':') && n2.is_ascii_digit())
}

/// Digits from `b[from..to]` (skipping anything else) into `buf`, as a `&str`; `None` when
/// more than the buffer holds.
fn collect_digits<'b>(b: &[u8], from: usize, to: usize, buf: &'b mut [u8; 24]) -> Option<&'b str> {
    let mut n = 0;
    for &c in &b[from..to] {
        if c.is_ascii_digit() {
            *buf.get_mut(n)? = c;
            n += 1;
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Where the scanner looks: the word (run of `[A-Za-z0-9_]`) around a trigger.
struct Site<'a> {
    b: &'a [u8],
    /// Start of the word.
    s: usize,
    /// End of the word.
    we: usize,
    /// No match may start before this (the end of the previous finding).
    lo: usize,
    /// The word is all ASCII digits.
    all_digits: bool,
    /// The word is all hex digits.
    hex: bool,
    /// Number of digits in the word.
    digits: usize,
    scanner: &'a PiiScanner,
    context: Cell<Option<u32>>,
    groups: Cell<Option<ids::NumGroups>>,
}

impl Site<'_> {
    /// Byte after the word (0 at the end).
    fn next(&self) -> u8 {
        self.b.get(self.we).copied().unwrap_or(0)
    }

    fn len(&self) -> usize {
        self.we - self.s
    }

    /// Whether one of `kind`'s context words occurs in the window before the word.
    fn has_context(&self, kind: Kind) -> bool {
        let mask = match self.context.get() {
            Some(mask) => mask,
            None => {
                let mask = self.scanner.context.mask(self.b, self.s, self.scanner.window);
                self.context.set(Some(mask));
                mask
            }
        };
        mask & kind.bit() != 0
    }

    fn on(&self, kind: Kind) -> bool {
        self.scanner.enabled & kind.bit() != 0
    }

    /// The digit groups from the word on (parsed once per site).
    fn groups(&self) -> ids::NumGroups {
        if let Some(groups) = self.groups.get() {
            return groups;
        }
        let groups = ids::NumGroups::parse(self.b, self.s);
        self.groups.set(Some(groups));
        groups
    }

    fn region(&self) -> &'static phone::Country {
        self.scanner.region
    }
}

/// The PII scanner: see the [module documentation](self) for the types and options.
#[derive(Debug)]
pub struct PiiScanner {
    enabled: u32,
    region: &'static phone::Country,
    window: usize,
    context: context::Context,
}

const DIGIT: u8 = 1;
const AT: u8 = 2;
const COLON: u8 = 3;
const DASH: u8 = 4;

impl PiiScanner {
    /// Builds a scanner from its JSON options (`true`/`null` for the defaults; see the
    /// [module documentation](self)). Unknown options, unknown type names and unknown regions
    /// are `invalid_argument` errors.
    pub fn from_options(options: &Value) -> Result<PiiScanner> {
        let options = Options::new("pii", options, &["types", "exclude", "defaultRegion", "contextWindow"])?;
        let mut enabled = match options.names("types", PII_TYPES)? {
            Some(list) => list.iter().fold(0u32, |mask, name| mask | bit_of(name)),
            None => ALL_KINDS.iter().fold(0, |mask, kind| mask | kind.bit()),
        };
        for name in options.names("exclude", PII_TYPES)?.unwrap_or_default() {
            enabled &= !bit_of(name);
        }
        let region_name = options.string("defaultRegion")?.unwrap_or("US");
        let region = phone::region(region_name).ok_or_else(|| {
            invalid(
                "pii.defaultRegion",
                format!(
                    "option 'pii.defaultRegion' names unknown region '{region_name}' (known: {})",
                    phone::region_names()
                ),
            )
        })?;
        let window = options.count("contextWindow", 512)?.unwrap_or(48);
        Ok(PiiScanner { enabled, region, window, context: context::Context::new() })
    }

    fn on(&self, kind: Kind) -> bool {
        self.enabled & kind.bit() != 0
    }

    fn classes(&self) -> [u8; 256] {
        let mut table = [0u8; 256];
        for d in b'0'..=b'9' {
            table[usize::from(d)] = DIGIT;
        }
        if self.on(Kind::Email) {
            table[usize::from(b'@')] = AT;
        }
        if self.on(Kind::Ipv6) || self.on(Kind::MacAddress) {
            table[usize::from(b':')] = COLON;
        }
        if self.on(Kind::MacAddress) {
            table[usize::from(b'-')] = DASH;
        }
        table
    }

    /// The best match at a digit's word. Matchers are picked by the word's shape and the
    /// byte after it, so a typical number in prose meets two or three of them.
    fn at_word(&self, site: &Site) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        let mut offer = |hit: Option<Hit>| {
            if let Some(hit) = hit {
                if best.is_none_or(|b| hit.end - hit.start > b.end - b.start) {
                    best = Some(hit);
                }
            }
        };
        let b = site.b;
        let left = left_ok(b, site.s);
        // The byte after the word, when it joins more of a value (`.5`, `:db8`, `/12`).
        let next = match site.next() {
            c @ (b'.' | b':' | b'/') if b.get(site.we + 1).is_some_and(u8::is_ascii_alphanumeric) => c,
            b'.' | b':' | b'/' => b' ',
            c => c,
        };
        if site.hex && matches!(site.next(), b':' | b'-' | b'.') {
            offer(network::mac(site));
            if site.next() == b':' {
                offer(network::ipv6(site));
            }
        }
        if !left {
            // Glued to something: only a "+CC" phone number starts here.
            if site.s > 0 && b[site.s - 1] == b'+' {
                offer(phone::at(site));
            }
            return best;
        }
        // Ties go to the earlier matcher: context-gated identifiers first.
        if site.all_digits {
            match next {
                b'.' => {
                    offer(ids::date_of_birth(site));
                    offer(phone::at(site));
                    offer(network::ipv4(site));
                }
                b':' => {}
                b'/' => offer(ids::date_of_birth(site)),
                _ => {
                    offer(ids::gated(site));
                    offer(ids::date_of_birth(site));
                    if next == b'-' {
                        offer(ids::dashed_ssn(site));
                        offer(ids::spanish_nif(site));
                    }
                    offer(ids::card(site));
                    offer(phone::at(site));
                }
            }
        } else {
            offer(ids::date_of_birth(site));
            offer(ids::spanish_nif(site));
            offer(ids::italian_fiscal_code(site));
            offer(ids::iban(site));
            offer(crypto::bitcoin(site));
        }
        // Shape-only types last, and only where nothing validated matched.
        if best.is_none() && next != b'.' && next != b':' {
            best = ids::passport(site).or_else(|| ids::drivers_license(site));
        }
        best
    }
}

fn bit_of(name: &str) -> u32 {
    PII_TYPES.iter().position(|t| *t == name).map_or(0, |i| 1 << i)
}

const L: u64 = 0x0101_0101_0101_0101;
const H: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that equals `c` (exact per byte: no borrow crosses bytes).
#[inline]
fn eq_bytes(x: u64, c: u8) -> u64 {
    let v = x ^ (L * u64::from(c));
    !(((v & !H).wrapping_add(!H)) | v) & H
}

/// The high bit of each byte of `x` in `0x30..=0x40` (a digit, `:`, `;`, `<`, `=`, `>`, `?`
/// or `@`): a superset of the triggers that the byte table then sorts out. Exact per byte.
#[inline]
fn trigger_bytes(x: u64) -> u64 {
    let low = x & !H;
    (L * (127 + 0x41)).wrapping_sub(low) & !x & low.wrapping_add(L * (127 - 0x2F)) & H
}

/// The first byte at or after `i` that may start a look (see [`trigger_bytes`]; with `dash`
/// also `-`), or `b.len()`: sixteen bytes at a time, the position from the lowest flagged byte.
#[inline]
fn next_trigger(b: &[u8], i: usize, dash: bool) -> usize {
    let mask = |x: u64| trigger_bytes(x) | if dash { eq_bytes(x, b'-') } else { 0 };
    let word = |chunk: &[u8]| {
        let mut bytes = [0u8; 8];
        bytes[..chunk.len()].copy_from_slice(chunk);
        u64::from_le_bytes(bytes)
    };
    let rest = b.get(i..).unwrap_or_default();
    let mut chunks = rest.chunks_exact(16);
    let mut at = i;
    for chunk in &mut chunks {
        let (mx, my) = (mask(word(&chunk[..8])), mask(word(&chunk[8..])));
        if mx | my != 0 {
            return at + if mx != 0 { mx.trailing_zeros() / 8 } else { 8 + my.trailing_zeros() / 8 } as usize;
        }
        at += 16;
    }
    // The tail, in words padded with zero bytes (never a trigger).
    for chunk in chunks.remainder().chunks(8) {
        let m = mask(word(chunk));
        if m != 0 {
            return at + (m.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    b.len()
}

/// Whether a word of at most four digits could begin a value: something that continues it
/// (a separator and a digit, `:`, a month name after a day, `, ` after a day) or a `(`/`+`
/// before it. Most short numbers in prose (years, counts, prices' euros) end right there.
fn short_number_may_continue(b: &[u8], s: usize, we: usize) -> bool {
    let n1 = b.get(we).copied().unwrap_or(0);
    let n2 = b.get(we + 1).copied().unwrap_or(0);
    let len = we - s;
    matches!(n1, b' ' | b'-' | b'.' | b'/' | b')') && (n2.is_ascii_digit() || n2 == b'(')
        || n1 == b':'
        || len <= 2 && (n1 == b' ' && n2.is_ascii_alphabetic() || n1 == b',')
        || s > 0 && matches!(b[s - 1], b'(' | b'+')
        || n1 == b'.' && n2.is_ascii_hexdigit()
}

impl Scanner for PiiScanner {
    fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        if self.enabled == 0 {
            return;
        }
        let b = text.as_bytes();
        let n = b.len();
        let table = self.classes();
        let dash = self.on(Kind::MacAddress);
        let mut i = 0;
        let mut lo = 0;
        loop {
            i = next_trigger(b, i, dash);
            let Some(&c) = b.get(i) else { break };
            let hit = match table[usize::from(c)] {
                0 => {
                    i += 1;
                    continue;
                }
                AT => email::at(b, i, lo),
                COLON | DASH => network::at_separator(b, i, lo, self.on(Kind::Ipv6), self.on(Kind::MacAddress)),
                _ => {
                    // A digit: back up to the start of its word, bounded.
                    let mut s = i;
                    while s > lo && is_word(b[s - 1]) && i - s < 128 {
                        s -= 1;
                    }
                    // The word's classes: what all its bytes are, and how many digits.
                    let (mut all, mut digits) = (C_DIGIT | C_HEX, 0);
                    for &c in &b[s..i] {
                        let class = CLASS[usize::from(c)];
                        all &= class;
                        digits += usize::from(class & C_DIGIT != 0);
                    }
                    let mut we = i;
                    while we < n && we - s <= 128 {
                        let class = CLASS[usize::from(b[we])];
                        if class & C_WORD == 0 {
                            break;
                        }
                        all &= class;
                        digits += usize::from(class & C_DIGIT != 0);
                        we += 1;
                    }
                    let (all_digits, hex) = (all & C_DIGIT != 0, all & C_HEX != 0);
                    if s > lo && is_word(b[s - 1]) || we - s > 128 {
                        // Inside a long token (a hash, base64): no PII starts here.
                        while we < n && is_word(b[we]) {
                            we += 1;
                        }
                        i = we;
                        continue;
                    }
                    if all_digits && we - s <= 4 && !short_number_may_continue(b, s, we) {
                        i = we;
                        continue;
                    }
                    let site = Site {
                        b,
                        s,
                        we,
                        lo,
                        all_digits,
                        hex,
                        digits,
                        scanner: self,
                        context: Cell::new(None),
                        groups: Cell::new(None),
                    };
                    match self.at_word(&site) {
                        Some(hit) => Some(hit),
                        None => {
                            i = we;
                            continue;
                        }
                    }
                }
            };
            match hit {
                Some(hit) if self.on(hit.kind) && hit.start >= lo && hit.start < hit.end => {
                    debug_assert!(text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end));
                    out.push(hit.finding());
                    lo = hit.end;
                    i = hit.end;
                }
                _ => i += 1,
            }
        }
    }

    /// Holds back the trailing token and, before it, single-space-separated tokens that could
    /// be earlier groups of the same number (`+44 20 7946`, `4111 1111`, `(201)`, `March 12,`),
    /// at most 96 bytes.
    fn pending_from(&self, text: &str) -> usize {
        let b = text.as_bytes();
        let numeric = |token: &[u8]| {
            token.iter().any(|c| c.is_ascii_digit() || matches!(c, b'(' | b'+'))
                || ids::is_month(token.strip_suffix(b",").unwrap_or(token))
        };
        let mut start = super::finding::trailing_token_start(text);
        if start == b.len() {
            // Ending in one space after a number: the next piece may be its next group.
            if b.len() < 2 || b[b.len() - 1] != b' ' || b[b.len() - 2].is_ascii_whitespace() {
                return b.len();
            }
            let token = super::finding::trailing_token_start(&text[..b.len() - 1]);
            if !numeric(&b[token..b.len() - 1]) {
                return b.len();
            }
            start = token;
        }
        loop {
            if start < 2 || b[start - 1] != b' ' || b.len() - start > 96 {
                break;
            }
            let mut t = start - 1;
            while t > 0 && !b[t - 1].is_ascii_whitespace() && start - t <= 24 {
                t -= 1;
            }
            if t == start - 1 || !numeric(&b[t..start - 1]) || t > 0 && !b[t - 1].is_ascii_whitespace() {
                break;
            }
            start = t;
        }
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scan(options: Value, text: &str) -> Vec<(String, String)> {
        let scanner = PiiScanner::from_options(&options).unwrap();
        let mut out = Vec::new();
        scanner.scan(text, &mut out);
        crate::guard::sort_findings(&mut out);
        out.iter().map(|f| (f.kind.to_string(), f.text(text).to_owned())).collect()
    }

    #[test]
    fn options() {
        assert!(PiiScanner::from_options(&json!(true)).is_ok());
        assert!(PiiScanner::from_options(&json!({"types": ["EMAIL"], "defaultRegion": "GB", "contextWindow": 100})).is_ok());
        for bad in [
            json!({"types": ["NAME"]}),
            json!({"exclude": ["email"]}),
            json!({"defaultRegion": "XX"}),
            json!({"contextWindow": 10000}),
            json!({"unknown": 1}),
            json!(5),
        ] {
            let error = PiiScanner::from_options(&bad).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{bad}");
        }
        assert_eq!(
            scan(json!({"types": ["PHONE"]}), "a@example.com (201) 555-0123"),
            [("PHONE".into(), "(201) 555-0123".into())]
        );
        assert_eq!(
            scan(json!({"exclude": ["PHONE"]}), "a@example.com (201) 555-0123"),
            [("EMAIL".into(), "a@example.com".into())]
        );
    }

    #[test]
    fn swar_masks_are_exact() {
        for byte in 0..=255u8 {
            let x = u64::from_le_bytes([b'a', b'b', byte, b' ', b'c', b'd', b'e', b'f']);
            let bit = |m: u64| m & (0x80 << 16) != 0;
            assert_eq!(bit(trigger_bytes(x)), (0x30..=0x40).contains(&byte), "{byte}");
            assert_eq!(bit(eq_bytes(x, b'@')), byte == b'@', "{byte}");
            // Exact per byte: no other byte is flagged.
            assert_eq!(trigger_bytes(x) & !(0x80 << 16), 0, "{byte}");
            assert_eq!(eq_bytes(x, b'@') & !(0x80 << 16), 0, "{byte}");
        }
    }

    #[test]
    fn pending_from_holds_back_number_groups() {
        let scanner = PiiScanner::from_options(&json!(true)).unwrap();
        fn held<'t>(scanner: &PiiScanner, text: &'t str) -> &'t str {
            &text[scanner.pending_from(text)..]
        }
        let held = |text| held(&scanner, text);
        assert_eq!(held("call me at +44 20 7946"), "+44 20 7946");
        assert_eq!(held("card 4111 1111 "), "4111 1111 ");
        assert_eq!(held("dial (201) 555-"), "(201) 555-");
        assert_eq!(held("born March 12,"), "March 12,");
        assert_eq!(held("mail ana@exam"), "ana@exam");
        assert_eq!(held("plain words here "), "");
        assert_eq!(held("plain words"), "words");
        assert_eq!(held(""), "");
        // Streaming in pieces finds what one scan finds.
        let text = "Call +44 20 7946 0958 or (201) 555-0123, card 4111 1111 1111 1111 today.";
        let mut whole = Vec::new();
        scanner.scan(text, &mut whole);
        for cut in 1..text.len() {
            let held_from = scanner.pending_from(&text[..cut]);
            let mut first = Vec::new();
            scanner.scan(&text[..held_from], &mut first);
            let mut rest = Vec::new();
            scanner.scan(&text[held_from..], &mut rest);
            let mut got: Vec<_> = first.iter().map(|f| (f.start, f.end)).collect();
            got.extend(rest.iter().map(|f| (f.start + held_from, f.end + held_from)));
            let want: Vec<_> = whole.iter().map(|f| (f.start, f.end)).collect();
            assert_eq!(got, want, "cut at {cut}: {:?}", &text[..cut]);
        }
    }

    /// A small deterministic generator (xorshift) for the fuzz test.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn fuzz_never_panics_and_spans_are_sound() {
        let scanner = PiiScanner::from_options(&json!(true)).unwrap();
        let pieces = [
            "0",
            "1",
            "2",
            "5",
            "9",
            "4111",
            "555",
            "0123",
            "+",
            "+1 ",
            "+44",
            "(",
            ")",
            "-",
            ".",
            ":",
            "::",
            "@",
            " ",
            "a",
            "Z",
            "é",
            "€",
            "😀",
            "\u{200d}",
            "ß",
            "phone ",
            "ssn ",
            "born ",
            "passport ",
            "bc1q",
            "GB82",
            "fe80",
            "ab:",
            "example.com",
            "x",
            "/",
            ",",
            "_",
            "1.2.3.4",
            "March ",
            "dl ",
            "\n",
            "\u{0}",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut findings = Vec::new();
        for round in 0..20_000 {
            let mut text = String::new();
            let len = rng.below(40);
            for _ in 0..len {
                if round % 3 == 0 {
                    // Raw random chars, any plane.
                    let c = char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('?');
                    text.push(if rng.below(2) == 0 { c } else { (b' ' + rng.below(95) as u8) as char });
                } else {
                    text.push_str(pieces[rng.below(pieces.len())]);
                }
            }
            findings.clear();
            scanner.scan(&text, &mut findings);
            let mut last = 0;
            for f in &findings {
                assert!(f.start < f.end && f.end <= text.len(), "{text:?}");
                assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{text:?}");
                assert!(f.start >= last, "overlap in {text:?}");
                last = f.end;
            }
            let held = scanner.pending_from(&text);
            assert!(held <= text.len() && text.is_char_boundary(held));
        }
    }

    #[test]
    fn linear_time_on_pathological_input() {
        let scanner = PiiScanner::from_options(&json!(true)).unwrap();
        let patterns = [
            "1",
            "1 ",
            "1-",
            "1.",
            "1:",
            ":",
            "::",
            "@",
            "a@",
            "+1 ",
            "(1",
            "11 11 ",
            "a:",
            "1a",
            "ab-",
            "4111 ",
            "March 1, ",
            "dob 1",
            "0.0.",
            "a.b@c",
            "x1@",
        ];
        for pattern in patterns {
            let time = |n: usize| {
                let text = pattern.repeat(n / pattern.len());
                let started = std::time::Instant::now();
                let mut out = Vec::new();
                scanner.scan(&text, &mut out);
                started.elapsed()
            };
            let small = time(50_000);
            let large = time(200_000);
            assert!(large < small * 20 + std::time::Duration::from_millis(20), "{pattern:?}: {small:?} vs {large:?}");
        }
    }
}
