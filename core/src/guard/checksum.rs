//! Check digits and checksums of identifiers that PII and secret scanners validate: a
//! candidate that matches a pattern but fails its checksum is a look-alike, not a finding.
//! Every function takes the identifier's characters without separators and answers whether the
//! checksum holds; none allocates.
//!
//! ```
//! use bridle::guard::checksum::{luhn, iban, verhoeff};
//! assert!(luhn("4111111111111111"));
//! assert!(!luhn("4111111111111112"));
//! assert!(iban("GB82WEST12345698765432"));
//! assert!(verhoeff("2363"));
//! ```

/// The Luhn (mod 10) check: payment cards, Canadian SINs, IMEIs.
pub fn luhn(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.len() < 2 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// IBAN lengths by country (ISO 13616 registry), for the countries that issue them.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// The IBAN length of a country code (`"DE"` → 22), for the countries that issue IBANs.
pub fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS.iter().find(|(code, _)| code.as_bytes() == country).map(|&(_, length)| length)
}

/// An IBAN: the country's length and the ISO 7064 mod 97-10 check (remainder 1).
pub fn iban(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() < 5 || !bytes[..2].iter().all(u8::is_ascii_uppercase) || !bytes[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let Some(&(_, length)) = IBAN_LENGTHS.iter().find(|(country, _)| country.as_bytes() == &bytes[..2]) else {
        return false;
    };
    if bytes.len() != length || !bytes[4..].iter().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
        return false;
    }
    // The first four characters move to the end; letters count as 10..35.
    let mut remainder: u32 = 0;
    for &b in bytes[4..].iter().chain(&bytes[..4]) {
        let value = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
        remainder = if value >= 10 { (remainder * 100 + value) % 97 } else { (remainder * 10 + value) % 97 };
    }
    remainder == 1
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// The Verhoeff check (Indian Aadhaar's last digit).
pub fn verhoeff(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut c = 0usize;
    for (i, b) in bytes.iter().rev().enumerate() {
        c = usize::from(VERHOEFF_D[c][usize::from(VERHOEFF_P[i % 8][usize::from(b - b'0')])]);
    }
    c == 0
}

/// Digits of `text` as values, if every character is a digit and there are `n` of them.
fn digits<const N: usize>(text: &str) -> Option<[u32; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0; N];
    for (slot, b) in out.iter_mut().zip(bytes) {
        *slot = u32::from(b - b'0');
    }
    Some(out)
}

/// A UK NHS number: 10 digits, mod 11 with weights 10..2 (a check of 10 is never issued).
pub fn uk_nhs(text: &str) -> bool {
    let Some(d) = digits::<10>(text) else { return false };
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    let check = 11 - sum % 11;
    match check {
        11 => d[9] == 0,
        10 => false,
        c => d[9] == c,
    }
}

/// A US ABA routing number: 9 digits, weights 3-7-1, sum divisible by 10.
pub fn aba_routing(text: &str) -> bool {
    let Some(d) = digits::<9>(text) else { return false };
    let sum: u32 = d.iter().zip([3, 7, 1].iter().cycle()).map(|(d, w)| d * w).sum();
    sum.is_multiple_of(10) && d.iter().any(|&x| x != 0)
}

/// A US Social Security number's structure (no checksum exists): not area 000, 666 or 900–999,
/// not group 00, not serial 0000.
pub fn us_ssn(text: &str) -> bool {
    let Some(d) = digits::<9>(text) else { return false };
    let area = d[0] * 100 + d[1] * 10 + d[2];
    let group = d[3] * 10 + d[4];
    let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// A US ITIN's structure: starts with 9, group 50–65, 70–88, 90–92 or 94–99.
pub fn us_itin(text: &str) -> bool {
    let Some(d) = digits::<9>(text) else { return false };
    let group = d[3] * 10 + d[4];
    d[0] == 9 && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

const NIF_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// A Spanish DNI/NIF (8 digits and a letter) or NIE (X, Y or Z, 7 digits and a letter): the
/// letter is the number mod 23.
pub fn spanish_nif(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 9 {
        return false;
    }
    let prefix = match bytes[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        b'0'..=b'9' => u32::from(bytes[0] - b'0'),
        _ => return false,
    };
    if !bytes[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let number = bytes[1..8].iter().fold(prefix, |n, b| n * 10 + u32::from(b - b'0'));
    NIF_LETTERS[(number % 23) as usize] == bytes[8]
}

/// A Polish PESEL: 11 digits, weights 1-3-7-9, and a valid month code for the century.
pub fn pesel(text: &str) -> bool {
    let Some(d) = digits::<11>(text) else { return false };
    let sum: u32 = d[..10].iter().zip([1, 3, 7, 9].iter().cycle()).map(|(d, w)| d * w).sum();
    let month = d[2] * 10 + d[3];
    (10 - sum % 10) % 10 == d[10] && matches!(month % 20, 1..=12)
}

/// An Australian Tax File Number: 9 digits, weights 1,4,3,7,5,8,6,9,10, sum divisible by 11.
pub fn australian_tfn(text: &str) -> bool {
    let Some(d) = digits::<9>(text) else { return false };
    let sum: u32 = d.iter().zip([1, 4, 3, 7, 5, 8, 6, 9, 10]).map(|(d, w)| d * w).sum();
    sum.is_multiple_of(11)
}

/// An Australian Business Number: 11 digits; subtract 1 from the first, weights
/// 10,1,3,5,...,19, sum divisible by 89.
pub fn australian_abn(text: &str) -> bool {
    let Some(mut d) = digits::<11>(text) else { return false };
    if d[0] == 0 {
        return false;
    }
    d[0] -= 1;
    let sum: u32 = d.iter().zip([10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]).map(|(d, w)| d * w).sum();
    sum.is_multiple_of(89)
}

/// A German tax identification number (Steuer-IdNr.): 11 digits, no leading zero, ISO 7064
/// MOD 11,10 check digit, and in the first ten one digit twice or three times.
pub fn german_tax_id(text: &str) -> bool {
    let Some(d) = digits::<11>(text) else { return false };
    if d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[x as usize] += 1;
    }
    let repeated = counts.iter().filter(|&&c| c > 1).count();
    if repeated != 1 || counts.iter().any(|&c| c > 3) {
        return false;
    }
    let mut product = 10;
    for &x in &d[..10] {
        let mut sum = (x + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = (11 - product) % 10;
    check == d[10]
}

/// An Italian codice fiscale (16 characters): the last letter is the check character.
pub fn italian_fiscal_code(text: &str) -> bool {
    const ODD: [u32; 26] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    let bytes = text.as_bytes();
    if bytes.len() != 16
        || !bytes.iter().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        || !bytes[15].is_ascii_uppercase()
    {
        return false;
    }
    let value = |b: u8| if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') };
    let sum: u32 =
        bytes[..15].iter().enumerate().map(|(i, &b)| if i % 2 == 0 { ODD[value(b) as usize] } else { value(b) }).sum();
    u32::from(bytes[15] - b'A') == sum % 26
}

/// A Canadian Social Insurance Number: 9 digits, Luhn, and a first digit that is issued to
/// people (not 0, and not 8, the business-number range).
pub fn canadian_sin(text: &str) -> bool {
    let Some(d) = digits::<9>(text) else { return false };
    d[0] != 0 && d[0] != 8 && luhn(text)
}

/// An Australian Medicare card number: 10 digits (an 11th, the individual reference number, is
/// accepted), first digit 2–6, and the ninth digit the sum of the first eight weighted
/// 1,3,7,9,1,3,7,9 mod 10.
pub fn australian_medicare(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !(10..=11).contains(&bytes.len()) || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d = |i: usize| u32::from(bytes[i] - b'0');
    let sum: u32 = (0..8).zip([1, 3, 7, 9, 1, 3, 7, 9]).map(|(i, w)| d(i) * w).sum();
    (2..=6).contains(&d(0)) && sum % 10 == d(8)
}

/// Days in `month` (1–12) of `year` in the Gregorian calendar; 0 for a month out of range.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The birth date (year, month, day) a valid Polish PESEL encodes: the checksum holds, the
/// month code names a century (1800–2299) and the day exists in that month.
pub fn pesel_birth_date(text: &str) -> Option<(u32, u32, u32)> {
    if !pesel(text) {
        return None;
    }
    let d = digits::<11>(text)?;
    let (yy, mm, dd) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]);
    let century = [1900, 2000, 2100, 2200, 1800][(mm / 20) as usize];
    let (year, month) = (century + yy, mm % 20);
    (dd >= 1 && dd <= days_in_month(year, month)).then_some((year, month, dd))
}

/// SHA-256 of `data` (FIPS 180-4), for base58check's double hash.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    // The message, a 0x80 byte, zero padding and the 64-bit length, block by block.
    let padded_len = (data.len() + 9).div_ceil(64) * 64;
    let byte_at = |i: usize| -> u8 {
        if i < data.len() {
            data[i]
        } else if i == data.len() {
            0x80
        } else if i >= padded_len - 8 {
            (bit_len >> (8 * (padded_len - 1 - i))) as u8
        } else {
            0
        }
    };
    for block in 0..padded_len / 64 {
        let mut w = [0u32; 64];
        for (t, word) in w.iter_mut().take(16).enumerate() {
            let at = block * 64 + t * 4;
            *word = u32::from_be_bytes([byte_at(at), byte_at(at + 1), byte_at(at + 2), byte_at(at + 3)]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for t in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[t]).wrapping_add(w[t]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(v);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, v) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// A base58check string (Bitcoin's alphabet) of at most 50 characters: decodes it, checks the
/// four-byte double-SHA-256 checksum, and answers the version byte and the payload length
/// (without version and checksum). `None` for any other character, a bad checksum or a
/// decoded length under 5 bytes.
pub fn base58check(text: &str) -> Option<(u8, usize)> {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 50 {
        return None;
    }
    // Big-endian base-256 number in a fixed buffer (50 base58 digits fit in 37 bytes).
    let mut buf = [0u8; 40];
    let mut used = 0; // bytes in use at the end of buf
    for &c in bytes {
        let mut carry = ALPHABET.iter().position(|&a| a == c)? as u32;
        for slot in buf.iter_mut().rev().take(used) {
            carry += u32::from(*slot) * 58;
            *slot = carry as u8;
            carry >>= 8;
        }
        while carry > 0 {
            used += 1;
            buf[buf.len() - used] = carry as u8;
            carry >>= 8;
        }
    }
    let zeros = bytes.iter().take_while(|&&c| c == b'1').count();
    let total = zeros + used;
    if total < 5 || total > buf.len() {
        return None;
    }
    let decoded = &buf[buf.len() - total..];
    let (body, check) = decoded.split_at(total - 4);
    if sha256(&sha256(body))[..4] != *check {
        return None;
    }
    Some((body[0], body.len() - 1))
}

/// CRC-32 (IEEE 802.3, as zlib): the checksum GitHub's and npm's tokens end with.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// The 6-character base62 (`0-9A-Za-z`) CRC-32 check that GitHub's classic tokens
/// (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's `npm_` tokens end with: the CRC-32 of
/// the 30 random characters after the prefix, in base62, left-padded with `0`.
pub fn base62_crc32(data: &[u8]) -> [u8; 6] {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut value = crc32(data);
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(value % 62) as usize];
        value /= 62;
    }
    out
}

/// Whether a base62 CRC-32 token body (`random` then its 6-character check, as in
/// `ghp_<30 random><6 check>`) holds: see [`base62_crc32`].
pub fn base62_crc32_token(body: &str) -> bool {
    let bytes = body.as_bytes();
    bytes.len() > 6 && bytes.iter().all(u8::is_ascii_alphanumeric) && {
        let (random, check) = bytes.split_at(bytes.len() - 6);
        base62_crc32(random) == check
    }
}

/// Which bech32 variant a string's checksum is (BIP 173 / BIP 350), if either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bech32 {
    /// The original constant (segwit version 0).
    Bech32,
    /// BIP 350's constant (segwit version 1 and later).
    Bech32m,
}

/// The bech32 checksum of `text` (`hrp1data`, one case only), if it holds.
pub fn bech32(text: &str) -> Option<Bech32> {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    if text.len() > 90 || (text.bytes().any(|b| b.is_ascii_lowercase()) && text.bytes().any(|b| b.is_ascii_uppercase())) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let separator = lower.rfind('1')?;
    let (hrp, data) = (&lower.as_bytes()[..separator], &lower.as_bytes()[separator + 1..]);
    if hrp.is_empty() || data.len() < 6 || hrp.iter().any(|&b| !(33..=126).contains(&b)) {
        return None;
    }
    let polymod = |values: &mut dyn Iterator<Item = u8>| {
        const GENERATOR: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
        let mut checksum: u32 = 1;
        for value in values {
            let top = checksum >> 25;
            checksum = ((checksum & 0x1ff_ffff) << 5) ^ u32::from(value);
            for (i, g) in GENERATOR.iter().enumerate() {
                if (top >> i) & 1 == 1 {
                    checksum ^= g;
                }
            }
        }
        checksum
    };
    let mut values = Vec::with_capacity(hrp.len() * 2 + 1 + data.len());
    values.extend(hrp.iter().map(|b| b >> 5));
    values.push(0);
    values.extend(hrp.iter().map(|b| b & 31));
    for &b in data {
        values.push(CHARSET.iter().position(|&c| c == b)? as u8);
    }
    match polymod(&mut values.into_iter()) {
        1 => Some(Bech32::Bech32),
        0x2bc8_30a3 => Some(Bech32::Bech32m),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_invalid_and_look_alike() {
        // (check, valid examples, invalid examples: a changed digit, a look-alike of the right shape)
        type Case<'a> = (fn(&str) -> bool, &'a [&'a str], &'a [&'a str]);
        let cases: &[Case] = &[
            (
                luhn,
                &["4111111111111111", "5555555555554444", "378282246310005", "046454286"],
                &["4111111111111112", "1234567812345678", "0", "41111111111a1111"],
            ),
            (
                iban,
                &["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606", "NO9386011117947"],
                &["GB82WEST12345698765433", "DE8937040044053201300", "XX82WEST12345698765432", "gb82west12345698765432"],
            ),
            (verhoeff, &["2363", "123451"], &["2364", "123452"]),
            (uk_nhs, &["9434765919"], &["9434765918", "1234567890"]),
            (aba_routing, &["011000015", "021000021"], &["011000016", "000000000"]),
            (us_ssn, &["123456789", "078051120"], &["000123456", "666123456", "912345678", "123006789", "123450000"]),
            (us_itin, &["912501234", "999941234"], &["912491234", "812501234", "912931234"]),
            (spanish_nif, &["12345678Z", "X1234567L", "Y0000000Z"], &["12345678A", "X1234567T", "A1234567L"]),
            (pesel, &["44051401359"], &["44051401358", "44151401355"]),
            (australian_tfn, &["123456782"], &["123456781"]),
            (australian_abn, &["51824753556"], &["51824753557", "01824753556"]),
            (german_tax_id, &["86095742719"], &["86095742718", "12345678901", "11111111111"]),
            (italian_fiscal_code, &["RSSMRA85T10A562S"], &["RSSMRA85T10A562T", "rssmra85t10a562s"]),
        ];
        for (check, valid, invalid) in cases {
            for v in *valid {
                assert!(check(v), "{v} should pass");
            }
            for v in *invalid {
                assert!(!check(v), "{v} should fail");
            }
        }
    }

    #[test]
    fn crc32_and_bech32() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), Some(Bech32::Bech32));
        assert_eq!(bech32("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"), Some(Bech32::Bech32));
        assert_eq!(bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"), None);
        assert_eq!(bech32("bc1Qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), None, "mixed case");
        assert_eq!(bech32("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"), Some(Bech32::Bech32m));
    }
    #[test]
    fn added_checks() {
        assert!(canadian_sin("130692544"));
        assert!(!canadian_sin("130692545"));
        assert!(luhn("046454286") && !canadian_sin("046454286"), "0 is not issued");
        assert!(luhn("846454205") && !canadian_sin("846454205"), "8 is the business range");
        assert!(australian_medicare("2123456701"));
        assert!(!australian_medicare("2123456711"));
        assert!(!australian_medicare("7123456701"));
        assert_eq!(pesel_birth_date("44051401359"), Some((1944, 5, 14)));
        assert_eq!(pesel_birth_date("44051401358"), None);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        let hex = |d: [u8; 32]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hex(sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let long = [b'a'; 1000];
        assert_eq!(hex(sha256(&long)), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
        assert_eq!(base58check("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"), Some((0, 20)));
        assert_eq!(base58check("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"), Some((5, 20)));
        assert_eq!(base58check("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"), None);
        assert_eq!(base58check("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0"), None, "0 is not base58");
    }
}
