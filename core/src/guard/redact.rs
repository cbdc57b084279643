//! Redaction with restore: findings replaced by typed placeholders (`<EMAIL_1>`), masks or
//! keyed hashes, and a [`Vault`] that maps placeholders back so a model's answer can be
//! restored ([`restore`]) even when the model changed the placeholder's case, spacing,
//! separator or brackets.
//!
//! ```
//! use bridle::guard::{Finding, redact::{redact, restore, RedactOptions, Vault}};
//! let text = "Mail ana@example.com or ana@example.com, then bob@example.org";
//! let findings = [
//!     Finding::new("pii", "EMAIL", 5, 20),
//!     Finding::new("pii", "EMAIL", 24, 39),
//!     Finding::new("pii", "EMAIL", 46, 61),
//! ];
//! let mut vault = Vault::new();
//! let out = redact(text, &findings, &RedactOptions::default(), &mut vault);
//! assert_eq!(out.text, "Mail <EMAIL_1> or <EMAIL_1>, then <EMAIL_2>");
//! // The model wrote the placeholders its own way; restore still finds them.
//! let answer = "I wrote to < email 1 > and to [EMAIL-2].";
//! assert_eq!(restore(answer, &vault).text, "I wrote to ana@example.com and to bob@example.org.");
//! ```
//!
//! Restoring is linear in the answer's length whatever it contains, and only placeholders the
//! vault holds are replaced: a made-up `<EMAIL_9>` stays as written (and is counted as
//! unknown), so a model cannot pull values out of a vault it was not given.

use super::Finding;
use crate::{Error, ErrorKind, Result};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;

/// How a finding's text is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// `<KIND_n>`, numbered per kind in order of first appearance; the same value gets the
    /// same placeholder everywhere the vault is used. Restorable.
    Placeholder,
    /// Every letter and digit replaced by `char`, except the last `keep_last` of them;
    /// separators stay. Not restorable (a mask is not unique).
    Mask {
        /// The masking character.
        char: char,
        /// How many trailing letters and digits stay visible (the last 4 of a card).
        keep_last: usize,
    },
    /// `<KIND_hhhhhhhh>`: the first `length` hex digits of HMAC-SHA256(key, kind + value), so
    /// one value maps to one pseudonym across calls and processes that share the key.
    /// Restorable through the vault.
    Hash {
        /// The HMAC key (at least 16 bytes).
        key: Vec<u8>,
        /// Hex digits kept, 8 to 64.
        length: usize,
    },
    /// The span is removed.
    Remove,
    /// The span is replaced by this text (a fix, such as a confusable word's Latin reading).
    Replace(String),
}

/// Redaction options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedactOptions {
    /// The replacement style for every kind not in `styles`.
    pub style: Style,
    /// Per-kind styles (`CREDIT_CARD` masked, the rest placeholders).
    pub styles: Vec<(String, Style)>,
}

impl Default for RedactOptions {
    fn default() -> Self {
        RedactOptions { style: Style::Placeholder, styles: Vec::new() }
    }
}

impl RedactOptions {
    /// Options from JSON: `{ style?: "placeholder" | "mask" | "hash" | "remove", maskChar?,
    /// keepLast?, hashKey? (string, >= 16 bytes), hashLength?, styles?: { KIND: style } }`.
    pub fn from_json(value: &Value) -> Result<RedactOptions> {
        let options = super::options::Options::new(
            "redact",
            value,
            &["style", "maskChar", "keepLast", "hashKey", "hashLength", "styles"],
        )?;
        let style_named = |name: &str| -> Result<Style> {
            Ok(match name {
                "placeholder" => Style::Placeholder,
                "remove" => Style::Remove,
                "mask" => {
                    let char = match options.string("maskChar")? {
                        None => '*',
                        Some(text) => {
                            let mut chars = text.chars();
                            match (chars.next(), chars.next()) {
                                (Some(c), None) => c,
                                _ => {
                                    return Err(super::options::invalid(
                                        "redact.maskChar",
                                        "option 'redact.maskChar' must be one character".into(),
                                    ))
                                }
                            }
                        }
                    };
                    Style::Mask { char, keep_last: options.count("keepLast", 64)?.unwrap_or(0) }
                }
                "hash" => {
                    let key = options.string("hashKey")?.unwrap_or_default().as_bytes().to_vec();
                    if key.len() < 16 {
                        return Err(super::options::invalid(
                            "redact.hashKey",
                            "the hash style needs option 'redact.hashKey' of at least 16 bytes".into(),
                        ));
                    }
                    let length = options.count("hashLength", 64)?.unwrap_or(8);
                    if length < 8 {
                        return Err(super::options::invalid(
                            "redact.hashLength",
                            "option 'redact.hashLength' must be from 8 to 64".into(),
                        ));
                    }
                    Style::Hash { key, length }
                }
                other => {
                    return Err(super::options::invalid(
                        "redact.style",
                        format!("unknown redaction style '{other}' (known: placeholder, mask, hash, remove)"),
                    ))
                }
            })
        };
        let style = style_named(options.string("style")?.unwrap_or("placeholder"))?;
        let mut styles = Vec::new();
        if let Some(map) = options.value("styles") {
            let Value::Object(map) = map else {
                return Err(super::options::invalid(
                    "redact.styles",
                    "option 'redact.styles' must be an object of kind: style".into(),
                ));
            };
            for (kind, name) in map {
                let Some(name) = name.as_str() else {
                    return Err(super::options::invalid("redact.styles", format!("style for '{kind}' must be a string")));
                };
                styles.push((kind.clone(), style_named(name)?));
            }
        }
        Ok(RedactOptions { style, styles })
    }

    pub(crate) fn style_for(&self, kind: &str) -> &Style {
        self.styles.iter().find(|(k, _)| k == kind).map_or(&self.style, |(_, style)| style)
    }
}

/// One value the vault can restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultEntry {
    /// `<KIND_LABEL>`; the kind and the label are slices of it.
    placeholder: String,
    kind_len: usize,
    original: String,
}

impl VaultEntry {
    /// The placeholder as written into the redacted text (`<EMAIL_1>`).
    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The kind (`EMAIL`).
    pub fn kind(&self) -> &str {
        &self.placeholder[1..1 + self.kind_len]
    }

    /// The label after the kind: the number or the hash (`1`, `3fa9c2d1`).
    pub fn label(&self) -> &str {
        &self.placeholder[2 + self.kind_len..self.placeholder.len() - 1]
    }

    /// The original text.
    pub fn original(&self) -> &str {
        &self.original
    }
}

/// No entry (end of a hash chain).
const NONE: u32 = u32::MAX;

/// Placeholders and the values they stand for. Kept across calls (a conversation) so one value
/// keeps one placeholder; serialisable with [`Vault::to_json`] so a stateless function can
/// carry it (the JavaScript layer can also seal it with AES-GCM).
#[derive(Debug, Clone, Default)]
pub struct Vault {
    entries: Vec<VaultEntry>,
    /// Keys for the hashes below (random per vault, so crafted values cannot collide on purpose).
    keys: std::collections::hash_map::RandomState,
    /// hash(kind, original) -> the newest entry with that hash; `value_chain` links older ones.
    by_value: HashMap<u64, u32, BuildPrehashed>,
    value_chain: Vec<u32>,
    /// hash(kind, lowercase label) -> the newest entry; `label_chain` links older ones.
    by_label: HashMap<u64, u32, BuildPrehashed>,
    label_chain: Vec<u32>,
    /// The highest number given per kind (few kinds: a list).
    counters: Vec<(String, usize)>,
}

impl PartialEq for Vault {
    fn eq(&self, other: &Vault) -> bool {
        self.entries == other.entries
    }
}

impl Eq for Vault {}

/// The maps' keys are hashes already: use them as they are.
type BuildPrehashed = std::hash::BuildHasherDefault<Prehashed>;

#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Vault {
    /// An empty vault.
    pub fn new() -> Vault {
        Vault::default()
    }

    /// The entries in the order they were made.
    pub fn entries(&self) -> &[VaultEntry] {
        &self.entries
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the vault is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The original behind a placeholder written exactly as the vault wrote it.
    pub fn get(&self, placeholder: &str) -> Option<&str> {
        let inner = placeholder.strip_prefix('<')?.strip_suffix('>')?;
        let (kind, label) = inner.rsplit_once('_')?;
        self.find_label(kind, label).map(|i| self.entries[i].original.as_str())
    }

    fn value_hash(&self, kind: &str, original: &str) -> u64 {
        use std::hash::BuildHasher;
        self.keys.hash_one((kind, original))
    }

    fn label_hash(&self, kind: &str, label: &str) -> u64 {
        use std::hash::BuildHasher;
        let mut lower = [0u8; 64];
        let n = label.len().min(64);
        for (to, from) in lower.iter_mut().zip(label.bytes()) {
            *to = from.to_ascii_lowercase();
        }
        self.keys.hash_one((kind, &lower[..n], label.len()))
    }

    fn walk(&self, start: Option<&u32>, chain: &[u32], found: impl Fn(&VaultEntry) -> bool) -> Option<usize> {
        let mut at = *start?;
        while at != NONE {
            if found(&self.entries[at as usize]) {
                return Some(at as usize);
            }
            at = chain[at as usize];
        }
        None
    }

    fn find_value(&self, kind: &str, original: &str) -> Option<usize> {
        let start = self.by_value.get(&self.value_hash(kind, original));
        self.walk(start, &self.value_chain, |e| e.kind() == kind && e.original == original)
    }

    fn find_label(&self, kind: &str, label: &str) -> Option<usize> {
        let start = self.by_label.get(&self.label_hash(kind, label));
        self.walk(start, &self.label_chain, |e| e.kind() == kind && e.label().eq_ignore_ascii_case(label))
    }

    fn insert(&mut self, kind: &str, label: &str, original: &str) -> usize {
        let index = self.entries.len();
        let value_hash = self.value_hash(kind, original);
        let label_hash = self.label_hash(kind, label);
        self.value_chain.push(self.by_value.insert(value_hash, index as u32).unwrap_or(NONE));
        self.label_chain.push(self.by_label.insert(label_hash, index as u32).unwrap_or(NONE));
        if let Ok(n) = label.parse::<usize>() {
            match self.counters.iter_mut().find(|(k, _)| k == kind) {
                Some((_, counter)) => *counter = (*counter).max(n),
                None => self.counters.push((kind.to_owned(), n)),
            }
        }
        let mut placeholder = String::with_capacity(kind.len() + label.len() + 3);
        placeholder.push('<');
        placeholder.push_str(kind);
        placeholder.push('_');
        placeholder.push_str(label);
        placeholder.push('>');
        self.entries.push(VaultEntry { placeholder, kind_len: kind.len(), original: original.to_owned() });
        index
    }

    fn numbered(&mut self, kind: &str, original: &str) -> &str {
        let index = match self.find_value(kind, original) {
            Some(index) if self.entries[index].label().bytes().all(|b| b.is_ascii_digit()) => index,
            _ => {
                let next = self.counters.iter().find(|(k, _)| k == kind).map_or(0, |(_, n)| *n) + 1;
                let mut digits = [0u8; 20];
                self.insert(kind, format_number(&mut digits, next), original)
            }
        };
        &self.entries[index].placeholder
    }

    fn hashed(&mut self, kind: &str, original: &str, key: &[u8], length: usize) -> &str {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(original.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut label: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        label.truncate(length);
        let index = match self.find_label(kind, &label) {
            Some(index) => index,
            None => self.insert(kind, &label, original),
        };
        &self.entries[index].placeholder
    }

    /// The vault as JSON: `{ "version": 1, "entries": [[kind, label, original], ...] }`.
    pub fn to_json(&self) -> Value {
        json!({
            "version": 1,
            "entries": self.entries.iter().map(|e| json!([e.kind(), e.label(), e.original])).collect::<Vec<_>>(),
        })
    }

    /// A vault from [`to_json`](Self::to_json)'s output; anything else is `invalid_argument`.
    pub fn from_json(value: &Value) -> Result<Vault> {
        let bad = |why: &str| Error::new(ErrorKind::InvalidArgument, format!("not a serialised vault: {why}"));
        if value.get("version").and_then(Value::as_u64) != Some(1) {
            return Err(bad("expected version 1"));
        }
        let entries = value.get("entries").and_then(Value::as_array).ok_or_else(|| bad("no entries list"))?;
        let mut vault = Vault::new();
        for entry in entries {
            let parts = entry
                .as_array()
                .filter(|parts| parts.len() == 3)
                .ok_or_else(|| bad("an entry is not [kind, label, original]"))?;
            let [kind, label, original] = [&parts[0], &parts[1], &parts[2]].map(Value::as_str);
            let (Some(kind), Some(label), Some(original)) = (kind, label, original) else {
                return Err(bad("an entry holds a non-string"));
            };
            if !is_kind(kind) || label.is_empty() || !label.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(bad("an entry's kind or label is malformed"));
            }
            if vault.find_label(kind, label).is_some() {
                return Err(bad("two entries share a placeholder"));
            }
            vault.insert(kind, label, original);
        }
        Ok(vault)
    }
}

/// `n` in decimal, written into `buffer`.
fn format_number(buffer: &mut [u8; 20], mut n: usize) -> &str {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[at..]).expect("ASCII digits")
}

fn is_kind(kind: &str) -> bool {
    !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A redacted text and what was replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Redacted {
    /// The text with the chosen spans replaced.
    pub text: String,
    /// Which of the given findings were applied (overlapping ones are dropped), as indexes
    /// into the list given, in order of position.
    pub applied: Vec<usize>,
    /// For each applied finding, its span in the redacted text.
    pub replaced_at: Vec<(usize, usize)>,
}

/// Replaces the findings' spans in `text` (byte offsets, char boundaries) per `options`,
/// recording restorable values in `vault`.
pub fn redact(text: &str, findings: &[Finding], options: &RedactOptions, vault: &mut Vault) -> Redacted {
    let styled: Vec<(&Finding, &Style)> = findings.iter().map(|f| (f, options.style_for(&f.kind))).collect();
    redact_styled(text, &styled, vault)
}

/// Like [`redact`] with a style chosen per finding (`Style::Remove` for removals, a
/// replacement text through [`Style::Replace`]).
pub fn redact_styled(text: &str, findings: &[(&Finding, &Style)], vault: &mut Vault) -> Redacted {
    let mut sorted: Vec<usize> = (0..findings.len()).filter(|&i| findings[i].0.start < findings[i].0.end).collect();
    sorted.sort_by(|&a, &b| findings[a].0.start.cmp(&findings[b].0.start).then(findings[b].0.end.cmp(&findings[a].0.end)));
    let mut out = String::with_capacity(text.len());
    let mut applied = Vec::with_capacity(sorted.len());
    let mut replaced_at = Vec::with_capacity(sorted.len());
    let mut at = 0;
    for index in sorted {
        let (finding, style) = findings[index];
        // Of overlapping findings the first (earliest, then longest) wins.
        if finding.start < at
            || finding.end > text.len()
            || !text.is_char_boundary(finding.start)
            || !text.is_char_boundary(finding.end)
        {
            continue;
        }
        out.push_str(&text[at..finding.start]);
        let original = &text[finding.start..finding.end];
        let start = out.len();
        let kind = if is_kind(&finding.kind) { finding.kind.as_ref() } else { "REDACTED" };
        match style {
            Style::Placeholder => out.push_str(vault.numbered(kind, original)),
            Style::Hash { key, length } => out.push_str(vault.hashed(kind, original, key, *length)),
            Style::Remove => {}
            Style::Replace(with) => out.push_str(with),
            Style::Mask { char, keep_last } => mask_into(&mut out, original, *char, *keep_last),
        }
        replaced_at.push((start, out.len()));
        applied.push(index);
        at = finding.end;
    }
    out.push_str(&text[at..]);
    Redacted { text: out, applied, replaced_at }
}

fn mask_into(out: &mut String, original: &str, mask: char, keep_last: usize) {
    let total = original.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    for c in original.chars() {
        if c.is_alphanumeric() {
            seen += 1;
            out.push(if seen + keep_last > total { c } else { mask });
        } else {
            out.push(c);
        }
    }
}

/// A restored text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The text with every recognised placeholder replaced by its original.
    pub text: String,
    /// How many placeholders were restored.
    pub restored: usize,
    /// Placeholder-shaped tokens of a kind the vault knows whose label it does not hold (a
    /// model inventing `<EMAIL_7>`): left as written.
    pub unknown: Vec<String>,
}

/// Replaces the vault's placeholders in `text` by their originals. A placeholder is
/// recognised when the model wrote it with another case (`<email_1>`), spaces or a dash or
/// nothing between kind and label (`< EMAIL 1 >`, `<EMAIL-1>`, `EMAIL1`), other brackets
/// (`[EMAIL_1]`, `{EMAIL_1}`, `(EMAIL_1)`), HTML-escaped (`&lt;EMAIL_1&gt;`), Markdown-escaped
/// (`\<EMAIL\_1\>`) or without brackets (`EMAIL_1` as a whole word). Linear in `text`.
pub fn restore(text: &str, vault: &Vault) -> Restored {
    let mut restored = Restored { text: String::with_capacity(text.len()), restored: 0, unknown: Vec::new() };
    if vault.is_empty() {
        restored.text.push_str(text);
        return restored;
    }
    let mut kinds: Vec<&str> = vault.entries.iter().map(VaultEntry::kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    // Kind names are matched case-insensitively, as written (underscores and all) or with
    // the underscores written as spaces or dashes.
    let matcher = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(kinds.iter().flat_map(|k| [k.to_string(), k.replace('_', " "), k.replace('_', "-"), k.replace('_', "\\_")]))
        .expect("kind names are short literals");
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut resume = 0;
    for found in matcher.find_iter(text) {
        if found.start() < resume {
            continue;
        }
        let kind = kinds[found.pattern().as_usize() / 4];
        // The kind must start a word.
        if found.start() > 0 && is_word_byte(bytes[found.start() - 1]) && !ends_with_opener(&bytes[..found.start()]) {
            continue;
        }
        let Some((label, label_end)) = read_label(bytes, found.end()) else { continue };
        let Some((open_at, close_end)) = brackets(bytes, found.start(), label_end) else { continue };
        match vault.find_label(kind, label) {
            Some(index) => {
                restored.text.push_str(&text[copied..open_at]);
                restored.text.push_str(&vault.entries[index].original);
                restored.restored += 1;
                copied = close_end;
                resume = close_end;
            }
            None => restored.unknown.push(text[open_at..close_end].to_owned()),
        }
    }
    restored.text.push_str(&text[copied..]);
    restored
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `before` ends in an opening bracket form that may touch the kind (`&lt;`).
fn ends_with_opener(before: &[u8]) -> bool {
    before.ends_with(b"&lt;")
}

/// The label after a kind: an optional separator (`_`, `\_`, `-`, spaces) then letters and
/// digits, at most 64. Returns the label and where it ends.
fn read_label(bytes: &[u8], mut at: usize) -> Option<(&str, usize)> {
    let mut separators = 0;
    while at < bytes.len() && separators < 4 && matches!(bytes[at], b'_' | b'-' | b' ' | b'\\') {
        at += 1;
        separators += 1;
    }
    let start = at;
    while at < bytes.len() && at - start < 64 && bytes[at].is_ascii_alphanumeric() {
        at += 1;
    }
    if at == start || (at < bytes.len() && is_word_byte(bytes[at])) {
        return None;
    }
    // A word straight after the kind must be a number or a hash-like label, not prose
    // ("EMAIL addresses" is not a placeholder).
    let label = std::str::from_utf8(&bytes[start..at]).ok()?;
    if !label.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((label, at))
}

/// The span to replace around a kind at `kind_at` and a label ending at `label_end`: a
/// matching pair of brackets with optional spaces inside, or none.
fn brackets(bytes: &[u8], kind_at: usize, label_end: usize) -> Option<(usize, usize)> {
    const PAIRS: [(&[u8], &[u8]); 6] =
        [(b"&lt;", b"&gt;"), (b"\\<", b"\\>"), (b"<", b">"), (b"[", b"]"), (b"{", b"}"), (b"(", b")")];
    let mut open = kind_at;
    let mut spaces = 0;
    while open > 0 && bytes[open - 1] == b' ' && spaces < 3 {
        open -= 1;
        spaces += 1;
    }
    let mut close = label_end;
    let mut trailing = 0;
    while close < bytes.len() && bytes[close] == b' ' && trailing < 3 {
        close += 1;
        trailing += 1;
    }
    for (opener, closer) in PAIRS {
        if bytes[..open].ends_with(opener) && bytes[close..].starts_with(closer) {
            return Some((open - opener.len(), close + closer.len()));
        }
    }
    // Bare: the kind must start a word (checked by the caller) and the label end one.
    Some((kind_at, label_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, needle: &str, kind: &'static str) -> Finding {
        let start = text.find(needle).unwrap();
        Finding::new("pii", kind, start, start + needle.len())
    }

    #[test]
    fn same_value_same_placeholder_and_counters_continue_across_calls() {
        let mut vault = Vault::new();
        let a = "a@x.io and 555-0100";
        let out =
            redact(a, &[find(a, "a@x.io", "EMAIL"), find(a, "555-0100", "PHONE")], &RedactOptions::default(), &mut vault);
        assert_eq!(out.text, "<EMAIL_1> and <PHONE_1>");
        let b = "b@x.io, a@x.io";
        let out =
            redact(b, &[find(b, "b@x.io", "EMAIL"), find(b, " a@x.io", "EMAIL")], &RedactOptions::default(), &mut vault);
        assert_eq!(out.text, "<EMAIL_2>,<EMAIL_3>", "a different value (with the space) is a new entry");
        assert_eq!(vault.len(), 4);
    }

    #[test]
    fn overlapping_findings_first_longest_wins() {
        let text = "postgres://u:pw@host/db";
        let findings =
            [Finding::new("secrets", "URL_PASSWORD", 13, 15), Finding::new("secrets", "CONNECTION_STRING", 0, 23)];
        let out = redact(text, &findings, &RedactOptions::default(), &mut Vault::new());
        assert_eq!(out.text, "<CONNECTION_STRING_1>");
        assert_eq!(out.applied.len(), 1);
    }

    #[test]
    fn masks_keep_separators_and_the_last_digits() {
        let text = "card 4111-1111-1111-1111.";
        let options = RedactOptions { style: Style::Mask { char: '•', keep_last: 4 }, styles: vec![] };
        let out = redact(text, &[find(text, "4111-1111-1111-1111", "CREDIT_CARD")], &options, &mut Vault::new());
        assert_eq!(out.text, "card ••••-••••-••••-1111.");
    }

    #[test]
    fn hashes_are_keyed_and_stable() {
        let key = b"0123456789abcdef".to_vec();
        let options = RedactOptions { style: Style::Hash { key: key.clone(), length: 8 }, styles: vec![] };
        let text = "ana@example.com";
        let f = [Finding::new("pii", "EMAIL", 0, text.len())];
        let one = redact(text, &f, &options, &mut Vault::new()).text;
        let two = redact(text, &f, &options, &mut Vault::new()).text;
        assert_eq!(one, two);
        assert!(one.starts_with("<EMAIL_") && one.len() == "<EMAIL_>".len() + 8, "{one}");
        let other = RedactOptions { style: Style::Hash { key: b"another key, 16+".to_vec(), length: 8 }, styles: vec![] };
        assert_ne!(redact(text, &f, &other, &mut Vault::new()).text, one);
        let mut vault = Vault::new();
        let hashed = redact(text, &f, &options, &mut vault).text;
        assert_eq!(restore(&hashed.to_lowercase(), &vault).text, text);
    }

    #[test]
    fn restores_the_forms_models_write() {
        let mut vault = Vault::new();
        let text = "x ana@example.com y +1 201 555 0123 z";
        let f = [find(text, "ana@example.com", "EMAIL"), find(text, "+1 201 555 0123", "PHONE_NUMBER")];
        let redacted = redact(text, &f, &RedactOptions::default(), &mut vault).text;
        assert_eq!(redacted, "x <EMAIL_1> y <PHONE_NUMBER_1> z");
        for (answer, want) in [
            ("<EMAIL_1>", "ana@example.com"),
            ("<email_1>", "ana@example.com"),
            ("< EMAIL_1 >", "ana@example.com"),
            ("<EMAIL 1>", "ana@example.com"),
            ("<EMAIL-1>", "ana@example.com"),
            ("[EMAIL_1]", "ana@example.com"),
            ("{EMAIL_1}", "ana@example.com"),
            ("&lt;EMAIL_1&gt;", "ana@example.com"),
            ("\\<EMAIL\\_1\\>", "ana@example.com"),
            ("EMAIL_1", "ana@example.com"),
            ("Email_1.", "ana@example.com."),
            ("**<EMAIL_1>**", "**ana@example.com**"),
            ("<PHONE NUMBER 1>", "+1 201 555 0123"),
            ("<phone-number-1>", "+1 201 555 0123"),
            ("<Phone_Number_1>,<EMAIL_1>", "+1 201 555 0123,ana@example.com"),
        ] {
            assert_eq!(restore(answer, &vault).text, want, "{answer}");
        }
    }

    #[test]
    fn restore_refuses_what_it_should() {
        let mut vault = Vault::new();
        let text = "ana@example.com";
        redact(text, &[Finding::new("pii", "EMAIL", 0, 15)], &RedactOptions::default(), &mut vault);
        for answer in [
            "<EMAIL_2>",       // not in the vault
            "<EMAIL_11>",      // a longer number is another placeholder
            "MYEMAIL_1",       // not a word start
            "EMAIL_1x",        // not a word end
            "EMAIL addresses", // prose
            "<PHONE_1>",       // unknown kind
            "<EMAIL_1",        // half a bracket is taken bare: restored below
        ] {
            let out = restore(answer, &vault);
            if answer == "<EMAIL_1" {
                assert_eq!(out.text, "<ana@example.com");
            } else {
                assert_eq!(out.text, answer, "{answer}");
            }
        }
        assert_eq!(restore("<EMAIL_2> and <EMAIL_1>", &vault).unknown, ["<EMAIL_2>"]);
    }

    #[test]
    fn restore_is_linear_on_adversarial_answers() {
        let mut vault = Vault::new();
        let text = "ana@example.com";
        redact(text, &[Finding::new("pii", "EMAIL", 0, 15)], &RedactOptions::default(), &mut vault);
        for unit in ["<EMAIL_1>", "EMAIL_", "<<<<", "EMAIL EMAIL EMAIL ", "<EMAIL_1111111111111111"] {
            let answer = unit.repeat(200_000 / unit.len());
            let out = restore(&answer, &vault);
            assert!(out.text.len() <= answer.len() * 2);
        }
        // A restored value that itself looks like a placeholder is not restored again.
        let mut vault = Vault::new();
        let text = "<EMAIL_1>@x.io";
        redact(text, &[Finding::new("pii", "EMAIL", 0, text.len())], &RedactOptions::default(), &mut vault);
        assert_eq!(restore("<EMAIL_1>", &vault).text, "<EMAIL_1>@x.io");
    }

    #[test]
    fn vault_round_trips_through_json_and_refuses_garbage() {
        let mut vault = Vault::new();
        let text = "a@x.io b@x.io";
        redact(text, &[find(text, "a@x.io", "EMAIL"), find(text, "b@x.io", "EMAIL")], &RedactOptions::default(), &mut vault);
        let copy = Vault::from_json(&vault.to_json()).unwrap();
        assert_eq!(restore("<EMAIL_2>", &copy).text, "b@x.io");
        let mut next = copy.clone();
        let out = redact("c@x.io", &[Finding::new("pii", "EMAIL", 0, 6)], &RedactOptions::default(), &mut next);
        assert_eq!(out.text, "<EMAIL_3>", "counters continue after a round trip");
        for bad in [
            json!(null),
            json!({"version": 2, "entries": []}),
            json!({"version": 1, "entries": [["email", "1", "x"]]}),
            json!({"version": 1, "entries": [["EMAIL", "1", "x"], ["EMAIL", "1", "y"]]}),
        ] {
            assert_eq!(Vault::from_json(&bad).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn options_from_json() {
        let options =
            RedactOptions::from_json(&json!({"style": "mask", "keepLast": 4, "styles": {"EMAIL": "placeholder"}})).unwrap();
        assert_eq!(options.style, Style::Mask { char: '*', keep_last: 4 });
        assert_eq!(options.style_for("EMAIL"), &Style::Placeholder);
        assert!(RedactOptions::from_json(&json!({"style": "hash"})).is_err(), "hash needs a key");
        assert!(RedactOptions::from_json(&json!({"style": "blur"})).is_err());
        assert!(RedactOptions::from_json(&json!({"colour": 1})).is_err());
    }
}
