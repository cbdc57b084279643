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
        let cases: &[(fn(&str) -> bool, &[&str], &[&str])] = &[
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
}
