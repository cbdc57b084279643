//! Context words: the words that must precede a value whose shape alone is ambiguous (a bare
//! 10-digit phone number, a 9-digit routing number, a date of birth). One Aho-Corasick
//! automaton over all of them runs on the bounded window before a candidate, only when a
//! candidate needs it.

use super::Kind;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

const PHONE: u32 = Kind::Phone.bit();
const SSN: u32 = Kind::UsSsn.bit();
const ITIN: u32 = Kind::UsItin.bit();
const ABA: u32 = Kind::AbaRouting.bit();
const NHS: u32 = Kind::UkNhs.bit();
const SIN: u32 = Kind::CaSin.bit();
const DE_TAX: u32 = Kind::DeTaxId.bit();
const PESEL: u32 = Kind::PlPesel.bit();
const TFN: u32 = Kind::AuTfn.bit();
const ABN: u32 = Kind::AuAbn.bit();
const MEDICARE: u32 = Kind::AuMedicare.bit();
const AADHAAR: u32 = Kind::InAadhaar.bit();
const DOB: u32 = Kind::DateOfBirth.bit();
const PASSPORT: u32 = Kind::PassportNumber.bit();
const LICENSE: u32 = Kind::DriversLicense.bit();

/// Each word with the types it vouches for. Matched case-insensitively (ASCII) as whole
/// words; words of five or more bytes may be followed by more letters (`phones`,
/// `passports`).
const WORDS: &[(&str, u32)] = &[
    // Phone, in a few languages.
    ("call", PHONE),
    ("phone", PHONE),
    ("ph", PHONE),
    ("tel", PHONE),
    ("telephone", PHONE),
    ("mobile", PHONE),
    ("mob", PHONE),
    ("cell", PHONE),
    ("cellphone", PHONE),
    ("fax", PHONE),
    ("whatsapp", PHONE),
    ("sms", PHONE),
    ("text", PHONE),
    ("txt", PHONE),
    ("contact", PHONE),
    ("reach", PHONE),
    ("dial", PHONE),
    ("ring", PHONE),
    ("hotline", PHONE),
    ("helpline", PHONE),
    ("teléfono", PHONE),
    ("telefono", PHONE),
    ("téléphone", PHONE),
    ("tél", PHONE),
    ("telefon", PHONE),
    ("handy", PHONE),
    ("móvil", PHONE),
    ("movil", PHONE),
    ("celular", PHONE),
    ("portable", PHONE),
    ("cellulare", PHONE),
    ("telemóvel", PHONE),
    ("телефон", PHONE),
    ("Телефон", PHONE),
    ("电话", PHONE),
    ("電話", PHONE),
    ("手机", PHONE),
    ("携帯", PHONE),
    ("전화", PHONE),
    ("फ़ोन", PHONE),
    // United States.
    ("ssn", SSN | ITIN),
    ("social security", SSN),
    ("soc sec", SSN),
    ("ss#", SSN),
    ("itin", ITIN),
    ("taxpayer", ITIN | SSN),
    ("tin", ITIN | DE_TAX),
    ("tax id", ITIN | SSN | DE_TAX),
    ("routing", ABA),
    ("aba", ABA),
    ("rtn", ABA),
    ("transit number", ABA),
    // Elsewhere.
    ("nhs", NHS),
    ("sin", SIN),
    ("social insurance", SIN),
    ("nas", SIN),
    ("assurance sociale", SIN),
    ("steuer-id", DE_TAX),
    ("steuerid", DE_TAX),
    ("steuer-idnr", DE_TAX),
    ("idnr", DE_TAX),
    ("identifikationsnummer", DE_TAX),
    ("steueridentifikationsnummer", DE_TAX),
    ("pesel", PESEL),
    ("tfn", TFN),
    ("tax file", TFN),
    ("abn", ABN),
    ("business number", ABN),
    ("medicare", MEDICARE),
    ("aadhaar", AADHAAR),
    ("aadhar", AADHAAR),
    ("uidai", AADHAAR),
    ("uid", AADHAAR),
    ("आधार", AADHAAR),
    // Dates of birth.
    ("dob", DOB),
    ("d.o.b", DOB),
    ("date of birth", DOB),
    ("birth date", DOB),
    ("birthdate", DOB),
    ("birthday", DOB),
    ("born", DOB),
    ("geboren", DOB),
    ("geburtsdatum", DOB),
    ("né le", DOB),
    ("née le", DOB),
    ("date de naissance", DOB),
    ("fecha de nacimiento", DOB),
    ("nacido", DOB),
    ("nacida", DOB),
    ("data di nascita", DOB),
    ("nato il", DOB),
    ("nata il", DOB),
    // Travel and driving documents.
    ("passport", PASSPORT),
    ("reisepass", PASSPORT),
    ("passeport", PASSPORT),
    ("pasaporte", PASSPORT),
    ("passaporto", PASSPORT),
    ("driver's license", LICENSE),
    ("driver’s license", LICENSE),
    ("drivers license", LICENSE),
    ("driver license", LICENSE),
    ("driver's licence", LICENSE),
    ("drivers licence", LICENSE),
    ("driving licence", LICENSE),
    ("driving license", LICENSE),
    ("license number", LICENSE),
    ("licence number", LICENSE),
    ("license no", LICENSE),
    ("licence no", LICENSE),
    ("dl", LICENSE),
    ("führerschein", LICENSE),
    ("permis de conduire", LICENSE),
    ("licencia de conducir", LICENSE),
    ("patente", LICENSE),
];

/// The compiled context words.
#[derive(Debug)]
pub(super) struct Context {
    automaton: AhoCorasick,
}

impl Context {
    pub(super) fn new() -> Context {
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(WORDS.iter().map(|(word, _)| word))
            .expect("context words compile");
        Context { automaton }
    }

    /// The types vouched for by context words in the `window` bytes before `at`.
    pub(super) fn mask(&self, b: &[u8], at: usize, window: usize) -> u32 {
        let mut from = at.saturating_sub(window);
        // A clause ends the reach of a context word: `;`, a line break, or a full stop after
        // a word longer than an abbreviation ("tel.", "no." still vouch).
        let mut p = at;
        while p > from {
            let c = b[p - 1];
            let full_stop = c == b'.' && b.get(p).is_some_and(|n| n.is_ascii_whitespace()) && {
                let mut w = p - 1;
                while w > from && b[w - 1].is_ascii_alphabetic() {
                    w -= 1;
                }
                p - 1 - w > 3
            };
            if matches!(c, b';' | b'\n' | b'\r') || full_stop {
                from = p;
                break;
            }
            p -= 1;
        }
        // Start on a character boundary.
        while from < at && (b[from] & 0xC0) == 0x80 {
            from += 1;
        }
        let mut mask = 0;
        for found in self.automaton.find_overlapping_iter(&b[from..at]) {
            let (start, end) = (from + found.start(), from + found.end());
            let (word, kinds) = WORDS[found.pattern().as_usize()];
            if mask & kinds == kinds {
                continue;
            }
            let before_ok = start == 0 || !b[start - 1].is_ascii_alphanumeric();
            let after_ok = word.len() >= 5 || end >= b.len() || !b[end].is_ascii_alphabetic();
            if before_ok && after_ok {
                mask |= kinds;
            }
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        let context = Context::new();
        let mask = |text: &str| context.mask(text.as_bytes(), text.len(), 64);
        assert_eq!(mask("Call me at "), PHONE);
        assert_eq!(mask("phones: "), PHONE);
        assert_eq!(mask("the hotel room "), 0, "tel inside a word");
        assert_eq!(mask("since the single "), 0, "sin inside words");
        assert_eq!(mask("my SIN is "), SIN);
        assert_eq!(mask("Date of Birth: "), DOB);
        assert_eq!(mask("Телефон: "), PHONE);
        assert_eq!(mask("stubborn "), 0);
        let long = format!("phone {}", "x".repeat(100));
        assert_eq!(mask(&long), 0, "outside the window");
        assert_eq!(context.mask("é phone".as_bytes(), 8, 7), PHONE, "window starts on a char boundary");
        assert_eq!(mask("phone: 1; order "), 0, "a clause ends it");
        assert_eq!(mask("phone\n"), 0);
        assert_eq!(mask("Call the office. Order "), 0, "a sentence ends it");
        assert_eq!(mask("tel. "), PHONE, "an abbreviation does not");
        assert_eq!(mask("Passport no. "), PASSPORT);
    }
}
