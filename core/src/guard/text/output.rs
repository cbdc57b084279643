//! [`OutputScanner`]: checks on what a model answered — refusals, canary leaks, URLs to
//! hosts not allowed, and markdown/HTML images and links that would carry data out.

use super::fold::{fold_char, FULL};
use super::terms::{Term, TermMatcher};
use super::urls::{carries_data, find_urls, parse_destination, HostAllow};
use crate::guard::options::{invalid, Options};
use crate::guard::{trailing_token_start, Finding, Scanner};
use crate::Result;
use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa::DFA, AhoCorasick, Anchored, MatchKind};
use serde_json::Value;
use std::collections::HashMap;

/// The longest canary accepted, in letters and digits once folded.
pub const MAX_CANARY_CHARS: usize = 200;
/// The fewest letters and digits a canary must have (shorter ones would match by chance
/// once separators are ignored).
pub const MIN_CANARY_CHARS: usize = 8;
/// How many non-alphanumeric characters in a row a canary match may skip.
const CANARY_GAP: usize = 3;
/// The most bytes of a markdown construct looked at around a candidate.
const MARKDOWN_WINDOW: usize = 4096;
/// Refusal phrases closer than this (bytes) are one finding.
const REFUSAL_JOIN: usize = 80;

/// ASCII letters and digits lowercased; 0 for everything else.
const ASCII_SKELETON: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Formats caller-supplied random bytes as a canary string, `bridle-canary-<hex>`. The core
/// has no randomness: pass at least 8 bytes from a CSPRNG (`crypto.getRandomValues`).
///
/// ```
/// assert_eq!(bridle::guard::text::canary_from_bytes(&[0xde, 0xad, 0xbe, 0xef]), "bridle-canary-deadbeef");
/// ```
pub fn canary_from_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("bridle-canary-");
    for b in bytes {
        out.push(char::from_digit(u32::from(b >> 4), 16).expect("nibble"));
        out.push(char::from_digit(u32::from(b & 15), 16).expect("nibble"));
    }
    out
}

/// Refusal and deflection phrases (folded: lowercase, no accents, straight apostrophes) with
/// their weights; a cluster's score is `1 - Π(1 - w)`.
#[rustfmt::skip]
const REFUSALS: &[(&str, f64)] = &[
    // English: statements of inability or policy.
    ("as an ai language model", 0.95), ("as a language model", 0.9), ("as an ai model", 0.9), ("as an ai assistant", 0.6),
    ("as an ai,", 0.6), ("i cannot comply", 0.95), ("i can't comply", 0.95), ("i won't comply", 0.95), ("i will not comply", 0.95),
    ("i'm unable to comply", 0.95), ("i am unable to comply", 0.95), ("i can't help with that", 0.9), ("i cannot help with that", 0.9),
    ("i can't help with this", 0.9), ("i cannot help with this", 0.9), ("i can't assist with that", 0.9),
    ("i cannot assist with that", 0.9), ("i can't assist with this", 0.9), ("i cannot assist with this", 0.9),
    ("i can't assist with", 0.75), ("i cannot assist with", 0.75), ("i can't help you with", 0.75), ("i cannot help you with", 0.75),
    ("i can not help", 0.7), ("i'm not able to help", 0.8), ("i am not able to help", 0.8), ("i'm not able to assist", 0.8),
    ("i am not able to assist", 0.8), ("i'm unable to help", 0.8), ("i am unable to help", 0.8), ("i'm unable to assist", 0.8),
    ("i am unable to assist", 0.8), ("i'm not able to provide", 0.6), ("i am not able to provide", 0.6),
    ("i'm unable to provide", 0.6), ("i am unable to provide", 0.6), ("i cannot provide", 0.5), ("i can't provide", 0.5),
    ("i must decline", 0.85), ("i have to decline", 0.85), ("i'm going to decline", 0.85), ("i won't be able to help", 0.8),
    ("i can't fulfill", 0.8), ("i cannot fulfill", 0.8), ("i can't do that", 0.6), ("i cannot do that", 0.6),
    ("i'm not going to help", 0.85), ("i won't help", 0.8), ("i will not help", 0.8), ("i can't create", 0.5),
    ("i cannot create", 0.5), ("i can't generate", 0.55), ("i cannot generate", 0.55), ("i can't engage", 0.7),
    ("i cannot engage", 0.7), ("against my guidelines", 0.8), ("against my programming", 0.85), ("violates my guidelines", 0.8),
    ("goes against my", 0.5), ("i'm not comfortable", 0.5), ("i am not comfortable", 0.5), ("i'm programmed to", 0.6),
    ("not something i can help with", 0.85), ("not able to help with that", 0.85), ("i can't share", 0.5), ("i cannot share", 0.5),
    // English: apologetic lead-ins (weak alone; "Sorry for the delay" is not one).
    ("i'm sorry, but", 0.35), ("i am sorry, but", 0.35), ("i apologize, but", 0.35), ("sorry, but i can't", 0.85),
    ("sorry, but i cannot", 0.85), ("sorry, i can't", 0.7), ("sorry, i cannot", 0.7), ("unfortunately, i can't", 0.6),
    ("unfortunately, i cannot", 0.6), ("i'm afraid i can't", 0.7), ("i'm afraid i cannot", 0.7), ("i'm unable to", 0.35),
    ("i am unable to", 0.35),
    // Spanish.
    ("lo siento, pero no puedo", 0.85), ("lo siento, no puedo", 0.8), ("no puedo ayudarte con eso", 0.9),
    ("no puedo ayudar con eso", 0.9), ("no puedo ayudarle con eso", 0.9), ("no puedo cumplir", 0.85),
    ("como modelo de lenguaje", 0.9), ("como un modelo de lenguaje", 0.9), ("como ia,", 0.6), ("no puedo proporcionar", 0.5),
    ("lo siento, pero", 0.35),
    // French.
    ("je suis desole, mais je ne peux pas", 0.9), ("desole, mais je ne peux pas", 0.85), ("je ne peux pas vous aider", 0.85),
    ("je ne peux pas t'aider", 0.85), ("je ne peux pas aider", 0.8), ("je ne peux pas repondre a cette demande", 0.9),
    ("en tant que modele de langage", 0.9), ("en tant qu'ia", 0.7), ("en tant qu'intelligence artificielle", 0.7),
    ("je ne suis pas en mesure de", 0.5), ("desole, mais", 0.35),
    // German.
    ("es tut mir leid, aber ich kann", 0.85), ("ich kann dir dabei nicht helfen", 0.9), ("ich kann ihnen dabei nicht helfen", 0.9),
    ("ich kann dabei nicht helfen", 0.9), ("als ki-sprachmodell", 0.9), ("als ein ki-sprachmodell", 0.9), ("als sprachmodell", 0.85),
    ("ich bin nicht in der lage", 0.5), ("leider kann ich", 0.4), ("es tut mir leid, aber", 0.35),
    // Italian.
    ("mi dispiace, ma non posso", 0.85), ("non posso aiutarti con", 0.85), ("non posso aiutarla", 0.85),
    ("come modello linguistico", 0.9), ("come modello di linguaggio", 0.9), ("in quanto modello", 0.7), ("non sono in grado di", 0.5),
    ("mi dispiace, ma", 0.35),
    // Portuguese.
    ("desculpe, mas nao posso", 0.85), ("sinto muito, mas nao posso", 0.85), ("nao posso ajudar com isso", 0.9),
    ("nao posso ajudar", 0.6), ("nao consigo ajudar", 0.6), ("como um modelo de linguagem", 0.9), ("como modelo de linguagem", 0.9),
    ("desculpe, mas", 0.35),
    // Chinese.
    ("抱歉,我无法", 0.85), ("抱歉,我不能", 0.85), ("对不起,我无法", 0.85), ("对不起,我不能", 0.85), ("很抱歉,我无法", 0.85),
    ("很抱歉,我不能", 0.85), ("我无法帮助", 0.8), ("我不能帮助", 0.8), ("我无法提供", 0.6), ("我不能提供", 0.6), ("我无法满足", 0.8),
    ("作为一个人工智能", 0.9), ("作为人工智能", 0.85), ("作为一个ai", 0.85), ("作为ai语言模型", 0.95), ("作为一个语言模型", 0.95),
    ("抱歉", 0.2),
    // Japanese.
    ("申し訳ありませんが", 0.35), ("お手伝いできません", 0.85), ("お答えできません", 0.85), ("お応えできません", 0.85),
    ("対応できません", 0.6), ("提供できません", 0.6), ("ai言語モデルとして", 0.95), ("言語モデルとして", 0.9), ("aiとして", 0.6),
];

/// Checks on model output. Built from options by [`OutputScanner::from_options`]; findings
/// have `scanner: "output"`. See the [module docs](super) for the options.
#[derive(Debug)]
pub struct OutputScanner {
    refusals: Option<(TermMatcher, f64)>,
    canaries: Option<Canaries>,
    urls: Option<UrlRule>,
    allow: HostAllow,
    markdown: Option<AhoCorasick>,
}

#[derive(Debug)]
struct UrlRule {
    schemes: Vec<String>,
}

#[derive(Debug)]
struct Canaries {
    dfa: DFA,
    /// The canaries as given, by pattern.
    given: Vec<String>,
    /// The longest skeleton, in bytes.
    max_len: usize,
    /// Bytes that can start a canary (either case of the first letters, and every non-ASCII
    /// byte, which may fold to one): in the start state everything else is skipped.
    first: [bool; 256],
}

impl OutputScanner {
    /// Compiles the output checks from `options` (read at the path `output`); bad options give
    /// `invalid_argument` errors with `details.option`.
    pub fn from_options(options: &Value) -> Result<OutputScanner> {
        Self::from_options_at("output", options)
    }

    pub(crate) fn from_options_at(path: &str, value: &Value) -> Result<OutputScanner> {
        let options = Options::new(path, value, &["refusal", "canaries", "urls", "markdownExfiltration"])?;
        let refusals = match options.value("refusal") {
            None | Some(Value::Bool(false)) => None,
            Some(value) => {
                let at = format!("{path}.refusal");
                let refusal = Options::new(&at, value, &["minScore"])?;
                let min_score = refusal.number("minScore", 0.0, 1.0)?.unwrap_or(0.5);
                let terms = REFUSALS
                    .iter()
                    .enumerate()
                    .map(|(group, &(phrase, _))| Term { group, text: phrase.to_owned(), fold: FULL, whole_words: true })
                    .collect();
                Some((TermMatcher::new(terms).expect("refusal phrases fold to text"), min_score))
            }
        };
        let canaries = match options.strings("canaries")? {
            None => None,
            Some(list) if list.is_empty() => None,
            Some(list) => {
                let at = format!("{path}.canaries");
                let mut skeletons = Vec::with_capacity(list.len());
                for canary in &list {
                    let skeleton = skeleton(canary);
                    let letters = skeleton.chars().count();
                    if !(MIN_CANARY_CHARS..=MAX_CANARY_CHARS).contains(&letters) {
                        return Err(invalid(&at, format!(
                            "option '{at}' holds a canary with {letters} letters and digits (from {MIN_CANARY_CHARS} to {MAX_CANARY_CHARS})"
                        )));
                    }
                    skeletons.push(skeleton);
                }
                let max_len = skeletons.iter().map(String::len).max().unwrap_or(0);
                let dfa = DFA::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&skeletons)
                    .map_err(|error| invalid(&at, format!("option '{at}' could not be compiled: {error}")))?;
                let mut first = [false; 256];
                first[0x80..].fill(true);
                for skeleton in &skeletons {
                    let b = skeleton.as_bytes()[0];
                    first[usize::from(b)] = true;
                    first[usize::from(b.to_ascii_uppercase())] = true;
                }
                Some(Canaries { dfa, given: list.iter().map(|s| (*s).to_owned()).collect(), max_len, first })
            }
        };
        let mut allow = HostAllow::default();
        let urls = match options.value("urls") {
            None | Some(Value::Bool(false)) => None,
            Some(value) => {
                let at = format!("{path}.urls");
                let urls = Options::new(&at, value, &["allow", "schemes"])?;
                allow = HostAllow::new(urls.strings("allow")?.unwrap_or_default()).map_err(|bad| {
                    let at = format!("{at}.allow");
                    invalid(&at, format!("option '{at}' holds '{bad}', which is not a host name or a '*.' wildcard"))
                })?;
                let schemes = urls.names("schemes", &["http", "https", "ftp", "data", "javascript"])?.map_or_else(
                    || vec!["http".to_owned(), "https".to_owned()],
                    |s| s.iter().map(|s| (*s).to_owned()).collect(),
                );
                Some(UrlRule { schemes })
            }
        };
        let markdown = options.bool("markdownExfiltration")?.unwrap_or(true).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .ascii_case_insensitive(true)
                .build(["![", "<img", "]("])
                .expect("fixed patterns")
        });
        Ok(OutputScanner { refusals, canaries, urls, allow, markdown })
    }

    fn scan_refusals(&self, matcher: &TermMatcher, min_score: f64, text: &str, out: &mut Vec<Finding>) {
        // Every phrase is its own group, so overlapping phrases are all seen: a chain of
        // overlapping phrases counts as its strongest one, separate phrases combine.
        struct Cluster {
            start: usize,
            end: usize,
            miss: f64,
            phrases: usize,
            chain_end: usize,
            chain_weight: f64,
        }
        let mut cluster: Option<Cluster> = None;
        let mut flush = |cluster: &mut Option<Cluster>| {
            if let Some(c) = cluster.take() {
                let score = ((1.0 - c.miss) * 1000.0).round() / 1000.0;
                if score >= min_score {
                    out.push(
                        Finding::new("output", "REFUSAL", c.start, c.end)
                            .with_score(score)
                            .with_detail("phrases", c.phrases),
                    );
                }
            }
        };
        matcher.find(text, |m| {
            let weight = REFUSALS[m.term].1;
            match &mut cluster {
                Some(c) if m.start <= c.end + REFUSAL_JOIN => {
                    c.end = c.end.max(m.end);
                    c.phrases += 1;
                    if m.start < c.chain_end {
                        if weight > c.chain_weight {
                            c.miss = c.miss / (1.0 - c.chain_weight) * (1.0 - weight);
                            c.chain_weight = weight;
                        }
                        c.chain_end = c.chain_end.max(m.end);
                    } else {
                        c.miss *= 1.0 - weight;
                        c.chain_weight = weight;
                        c.chain_end = m.end;
                    }
                }
                _ => {
                    flush(&mut cluster);
                    cluster = Some(Cluster {
                        start: m.start,
                        end: m.end,
                        miss: 1.0 - weight,
                        phrases: 1,
                        chain_end: m.end,
                        chain_weight: weight,
                    });
                }
            }
        });
        flush(&mut cluster);
    }

    fn scan_canaries(&self, canaries: &Canaries, text: &str, out: &mut Vec<Finding>) {
        let dfa = &canaries.dfa;
        let start_state = dfa.start_state(Anchored::No).expect("unanchored DFA");
        let mut state = start_state;
        // The original offset of each recent skeleton byte.
        let mut ring = [0usize; 256];
        let mut count = 0usize;
        let mut gap = 0;
        let mut reported_to = 0;
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if state == start_state {
                // Nothing in progress: skip to a byte that can start a canary.
                match bytes[at..].iter().position(|&b| canaries.first[usize::from(b)]) {
                    Some(skip) => at += skip,
                    None => break,
                }
            }
            let b = bytes[at];
            if b < 0x80 {
                // ASCII: one table lookup and at most one transition per byte.
                let folded = ASCII_SKELETON[b as usize];
                at += 1;
                if folded == 0 {
                    gap += 1;
                    if gap > CANARY_GAP {
                        state = start_state;
                    }
                    continue;
                }
                gap = 0;
                ring[count % 256] = at - 1;
                count += 1;
                state = dfa.next_state(Anchored::No, state, folded);
                if !dfa.is_match(state) {
                    continue;
                }
                let pattern = dfa.match_pattern(state, 0).as_usize();
                let length = dfa.pattern_len(aho_corasick::PatternID::must(pattern));
                let start = ring[(count - length) % 256];
                if start >= reported_to {
                    reported_to = at;
                    out.push(
                        Finding::new("output", "CANARY_LEAK", start, at)
                            .with_detail("canary", canaries.given[pattern].as_str())
                            .with_detail("exact", text[start..at] == canaries.given[pattern]),
                    );
                }
                continue;
            }
            let (c, len) = if b < 0x80 {
                (b as char, 1)
            } else {
                let c = text[at..].chars().next().expect("char boundary");
                (c, c.len_utf8())
            };
            let mut matched: Option<usize> = None;
            if c.is_alphanumeric() {
                gap = 0;
                let mut feed = |f: char| {
                    if !f.is_alphanumeric() {
                        return;
                    }
                    let mut buf = [0; 4];
                    for &fb in f.encode_utf8(&mut buf).as_bytes() {
                        ring[count % 256] = at;
                        count += 1;
                        state = dfa.next_state(Anchored::No, state, fb);
                        if dfa.is_match(state) {
                            let pattern = dfa.match_pattern(state, 0);
                            matched = Some(pattern.as_usize());
                        }
                    }
                };
                if b < 0x80 {
                    feed(c.to_ascii_lowercase());
                } else {
                    fold_char(c, FULL, &mut feed);
                }
            } else if !super::fold::is_mark(c) {
                gap += 1;
                if gap > CANARY_GAP {
                    state = start_state;
                }
            }
            at += len;
            if let Some(pattern) = matched {
                let length = dfa.pattern_len(aho_corasick::PatternID::must(pattern));
                let start = ring[(count - length) % 256];
                if start >= reported_to {
                    reported_to = at;
                    out.push(
                        Finding::new("output", "CANARY_LEAK", start, at)
                            .with_detail("canary", canaries.given[pattern].as_str())
                            .with_detail("exact", text[start..at] == canaries.given[pattern]),
                    );
                }
            }
        }
    }

    fn scan_urls(&self, rule: &UrlRule, text: &str, out: &mut Vec<Finding>) {
        find_urls(text, |url| {
            let scheme_ok = rule.schemes.iter().any(|s| s == url.scheme);
            let host_ok = url.host.as_deref().is_none_or(|host| self.allow.allows(host));
            if scheme_ok && host_ok {
                return;
            }
            let mut finding = Finding::new("output", "URL_NOT_ALLOWED", url.start, url.end)
                .with_detail("url", &text[url.start..url.end])
                .with_detail("scheme", url.scheme)
                .with_detail("reason", if scheme_ok { "host" } else { "scheme" });
            if let Some(host) = url.host {
                finding = finding.with_detail("host", host);
            }
            out.push(finding);
        });
    }

    fn scan_markdown(&self, candidates: &AhoCorasick, text: &str, out: &mut Vec<Finding>) {
        let mut resume = 0;
        let mut references: Vec<(String, usize)> = Vec::new();
        for m in candidates.find_iter(text) {
            if m.start() < resume {
                continue;
            }
            match m.pattern().as_usize() {
                0 => {
                    let Some(alt_end) = bracket_end(text, m.end()) else { continue };
                    let after = alt_end + 1;
                    match text.as_bytes().get(after) {
                        Some(b'(') => {
                            if let Some((start, end)) = inline_destination(text, after + 1) {
                                resume = end;
                                self.check(text, start, end, "image", out);
                            }
                        }
                        Some(b'[') => {
                            let Some(label_end) = bracket_end(text, after + 1) else { continue };
                            let label = &text[after + 1..label_end];
                            let label = if label.trim().is_empty() { &text[m.end()..alt_end] } else { label };
                            references.push((normalize_label(label), m.start()));
                            resume = label_end + 1;
                        }
                        _ => {
                            references.push((normalize_label(&text[m.end()..alt_end]), m.start()));
                            resume = after;
                        }
                    }
                }
                1 => {
                    if let Some((start, end)) = img_src(text, m.end()) {
                        resume = end;
                        self.check(text, start, end, "html", out);
                    }
                }
                _ => {
                    if let Some((start, end)) = inline_destination(text, m.end()) {
                        resume = end;
                        if carries_data(&text[start..end]) {
                            self.check(text, start, end, "link", out);
                        }
                    }
                }
            }
        }
        if references.is_empty() {
            return;
        }
        let definitions = definitions(text);
        let mut reported: Vec<usize> = Vec::new();
        for (label, _) in references {
            if let Some(&(start, end)) = definitions.get(&label) {
                if !reported.contains(&start) {
                    reported.push(start);
                    self.check(text, start, end, "reference", out);
                }
            }
        }
    }

    /// Reports the destination `text[start..end]` if it names a host not allowed.
    fn check(&self, text: &str, start: usize, end: usize, element: &str, out: &mut Vec<Finding>) {
        let url = &text[start..end];
        let destination = parse_destination(url);
        let Some(host) = destination.host else { return };
        if matches!(destination.scheme.as_deref(), Some("data") | Some("cid") | Some("mailto")) || self.allow.allows(&host) {
            return;
        }
        out.push(
            Finding::new("output", "MARKDOWN_EXFILTRATION", start, end)
                .with_detail("host", host)
                .with_detail("url", url)
                .with_detail("element", element),
        );
    }
}

/// Letters and digits of `text`, fully folded: what canaries are compared as.
fn skeleton(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        fold_char(c, FULL, &mut |f| {
            if f.is_alphanumeric() {
                out.push(f)
            }
        });
    }
    out
}

/// The index of the `]` closing the bracket opened just before `from`, nesting counted,
/// within a bounded window and not across a blank line.
fn bracket_end(text: &str, from: usize) -> Option<usize> {
    let window = &text.as_bytes()[from..text.len().min(from + MARKDOWN_WINDOW)];
    let mut depth = 0usize;
    let mut i = 0;
    while i < window.len() {
        match window[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' if depth == 0 => return Some(from + i),
            b']' => depth -= 1,
            b'\n' if window.get(i + 1) == Some(&b'\n') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The destination of an inline link or image whose `(` ends just before `from`.
fn inline_destination(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let limit = text.len().min(from + MARKDOWN_WINDOW * 4);
    let mut start = from;
    while start < limit && matches!(bytes[start], b' ' | b'\t' | b'\n') {
        start += 1;
    }
    if bytes.get(start) == Some(&b'<') {
        let close = text[start + 1..limit].find(['>', '\n'])? + start + 1;
        return (bytes[close] == b'>' && close > start + 1).then_some((start + 1, close));
    }
    let mut depth = 0usize;
    let mut end = start;
    while end < limit {
        match bytes[end] {
            b'\\' => end += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b if b.is_ascii_whitespace() || b.is_ascii_control() => break,
            _ => {}
        }
        end += 1;
    }
    let end = end.min(limit);
    (end > start && text.is_char_boundary(end)).then_some((start, end))
}

/// The `src` value of an `<img` tag whose name ends just before `from`.
fn img_src(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    if !bytes.get(from).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/') {
        return None;
    }
    let limit = text.len().min(from + MARKDOWN_WINDOW);
    let mut i = from;
    while i < limit && bytes[i] != b'>' {
        let quote = bytes[i];
        if quote == b'"' || quote == b'\'' {
            // Skip other attributes' quoted values.
            i = text[i + 1..limit].find(quote as char).map(|at| i + 1 + at + 1)?;
            continue;
        }
        let at_name = i + 3 <= limit
            && bytes[i..i + 3].eq_ignore_ascii_case(b"src")
            && bytes[i - 1].is_ascii_whitespace()
            && !bytes.get(i + 3).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-');
        if !at_name {
            i += 1;
            continue;
        }
        let mut j = i + 3;
        while j < limit && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            i = j;
            continue;
        }
        j += 1;
        while j < limit && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        return match bytes.get(j) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let close = text[j + 1..limit].find(q as char)? + j + 1;
                (close > j + 1).then_some((j + 1, close))
            }
            Some(_) => {
                let end = text[j..limit].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(limit, |at| j + at);
                (end > j && text.is_char_boundary(end)).then_some((j, end))
            }
            None => None,
        };
    }
    None
}

/// A reference label as compared: lowercased, inner whitespace collapsed.
fn normalize_label(label: &str) -> String {
    label.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// Link reference definitions `[label]: destination` at line starts (up to three spaces in).
fn definitions(text: &str) -> HashMap<String, (usize, usize)> {
    let mut found = HashMap::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if indent <= 3 && body.starts_with('[') {
            if let Some(close) = bracket_end(text, line_start + indent + 1) {
                let after = close + 1;
                if text.as_bytes().get(after) == Some(&b':') {
                    let label = normalize_label(&text[line_start + indent + 1..close]);
                    if let Some(span) = inline_destination(text, after + 1) {
                        found.entry(label).or_insert(span);
                    }
                }
            }
        }
        line_start += line.len();
    }
    found
}

impl Scanner for OutputScanner {
    fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        if let Some((matcher, min_score)) = &self.refusals {
            self.scan_refusals(matcher, *min_score, text, out);
        }
        if let Some(canaries) = &self.canaries {
            self.scan_canaries(canaries, text, out);
        }
        if let Some(rule) = &self.urls {
            self.scan_urls(rule, text, out);
        }
        if let Some(candidates) = &self.markdown {
            self.scan_markdown(candidates, text, out);
        }
    }

    fn pending_from(&self, text: &str) -> usize {
        let mut from = trailing_token_start(text);
        if let Some((matcher, _)) = &self.refusals {
            from = from.min(matcher.pending_from(text));
        }
        let back =
            |bytes: usize| (0..=text.len().saturating_sub(bytes)).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
        if let Some(canaries) = &self.canaries {
            // A canary split by separators spans at most (gap + 1) characters per letter.
            from = from.min(back(canaries.max_len * (CANARY_GAP + 1) * 4));
        }
        if self.markdown.is_some() {
            // An image or link not closed yet: from its start, within the window.
            let window = back(MARKDOWN_WINDOW);
            let tail = &text[window..];
            let open = ["![", "<img", "<IMG", "]("].iter().filter_map(|p| tail.rfind(p)).min();
            if let Some(at) = open {
                let rest = &tail[at..];
                if !rest.contains(')') && !rest.contains('>') || rest.ends_with(']') {
                    from = from.min(window + at);
                }
            }
        }
        from
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(options: Value, text: &str) -> Vec<(String, String)> {
        let scanner = OutputScanner::from_options(&options).unwrap();
        let mut out = Vec::new();
        scanner.scan(text, &mut out);
        crate::guard::sort_findings(&mut out);
        out.into_iter().map(|f| (f.kind.to_string(), text[f.start..f.end].to_owned())).collect()
    }

    #[test]
    fn canaries_obfuscated() {
        let canary = canary_from_bytes(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let options = json!({"canaries": [canary], "markdownExfiltration": false});
        assert_eq!(kinds(options.clone(), &format!("x {canary} y")).len(), 1);
        let spaced = "B R I D L E - canary - 0102\u{200B}0304 0506 0708";
        assert_eq!(kinds(options.clone(), spaced), [("CANARY_LEAK".to_owned(), spaced.to_owned())]);
        assert_eq!(kinds(options.clone(), "bridle-canary-01020304050607"), []);
        assert_eq!(kinds(options, "bridle canary 0102 .... 03040506 0708"), []);
        assert!(OutputScanner::from_options(&json!({"canaries": ["short"]})).is_err());
    }

    #[test]
    fn pending() {
        let scanner = OutputScanner::from_options(&json!({})).unwrap();
        assert_eq!(scanner.pending_from("Look: ![a cat](http://x.io/a b"), 6);
        assert_eq!(scanner.pending_from("Look: ![a cat](http://x.io/a.png) ok"), 34);
        let scanner = OutputScanner::from_options(&json!({"refusal": true, "markdownExfiltration": false})).unwrap();
        assert!(scanner.pending_from("Well. I'm sorry, but I") < "Well. I'm".len());
    }
}
