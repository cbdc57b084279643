//! Secrets: API keys, tokens, private keys and passwords in text, found by a table of token
//! formats behind one keyword prefilter.
//!
//! ```
//! use bridle::guard::{secrets::SecretScanner, Scanner};
//! use serde_json::json;
//!
//! let scanner = SecretScanner::from_options(&json!({ "exclude": ["generic-secret"] })).unwrap();
//! let text = "export AWS_ACCESS_KEY_ID=AKIAZ2QW3E4R5T6Y7U3I and db postgres://app:hunter2x@db:5432/app";
//! let mut findings = Vec::new();
//! scanner.scan(text, &mut findings);
//! bridle::guard::sort_findings(&mut findings);
//! let found: Vec<_> = findings.iter().map(|f| (f.kind.as_ref(), f.text(text))).collect();
//! assert_eq!(found, [("AWS_ACCESS_KEY_ID", "AKIAZ2QW3E4R5T6Y7U3I"), ("CONNECTION_STRING", "hunter2x")]);
//! assert_eq!(findings[0].detail["rule"], "aws-access-key-id");
//! assert_eq!(findings[1].detail["scheme"], "postgres");
//! assert!(bridle::guard::secrets::rules().len() >= 150);
//! ```
//!
//! # How it matches (no regular expressions)
//!
//! Every rule is a row of a declarative table ([`rules`] lists them): a prefix literal and the
//! shape of the rest (character classes with exact lengths or ranges, fixed separators and
//! suffixes), token boundaries on both sides, an optional validator (the CRC-32 check of GitHub
//! and npm tokens), or, for formats without a distinctive prefix, keyword context: the value
//! must be assigned to a name containing a provider keyword (`DATADOG_API_KEY = "…"`,
//! `"cohere_key": "…"`). One small interpreter runs the table; private keys, JWTs, URL
//! passwords, connection strings and the generic detector are hand-written matchers.
//!
//! The prefilter is built once in [`SecretScanner::from_options`] from the enabled rules'
//! keywords and makes one pass over the text, testing one bit per byte pair:
//!
//! - Token prefixes (`ghp_`, `AKIA`, `sk-ant-api03-`) and the special triggers (`-----BEGIN `,
//!   `eyJ`, `://`, `Password=`) are each anchored at their rarest pair of adjacent bytes (`p_`,
//!   `KI`, `:/`); an 8 KiB bitmap of anchor pairs is the hot loop, and only where a pair is set
//!   are that pair's keywords compared and their rules run, anchored at the keyword.
//! - Keyword-context rules and the generic detector need an assignment, so they start from the
//!   operator bytes `=` and `:`: the identifier just before the operator is searched for their
//!   keywords (`datadog`, `password`, `token`) by a small Aho-Corasick DFA (ASCII
//!   case-insensitive). A common keyword such as `token` in prose costs nothing unless an
//!   assignment follows it.
//!
//! Each rule then runs in time bounded by its format's maximum length, so a scan is linear.
//! Text with no candidate costs the one pass and no allocation.
//!
//! # Families
//!
//! - Cloud: AWS (access key ids `AKIA`/`ASIA`/`ABIA`/`ACCA`, secret keys by context, MWS), GCP
//!   and Google AI (`AIza`, `GOCSPX-`, `ya29.`, service-account JSON `private_key`), Azure
//!   (storage `AccountKey=`, AD client secrets `…Q~…`, DevOps, Cosmos DB), DigitalOcean,
//!   Alibaba, Tencent, IBM, Heroku, Cloudflare, Fastly, Netlify, Vercel, Fly.io, Linode,
//!   Scaleway, Yandex, OpenShift, Databricks, PlanetScale, Supabase, Render, Doppler, Pulumi,
//!   Terraform and Vault, Grafana, Tailscale, age, 1Password.
//! - Code hosts, CI and registries: GitHub (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` with their
//!   checksum, `github_pat_`), GitLab (`glpat-`, `gldt-`, `glrt-`, …), Bitbucket, npm, PyPI,
//!   RubyGems, NuGet, Docker Hub, crates.io, Clojars, JFrog, Atlassian, Sourcegraph, SonarQube,
//!   Snyk, CircleCI, Buildkite, Postman, Dynatrace and more.
//! - AI providers: OpenAI (`sk-…`, `sk-proj-…`), Anthropic (`sk-ant-api03-`), OpenRouter,
//!   DeepSeek, Hugging Face (`hf_`), Cohere, Replicate (`r8_`), Groq (`gsk_`), Perplexity
//!   (`pplx-`), Mistral, Together, xAI, Fireworks (`fw_`), LangSmith, ElevenLabs.
//! - Payments and SaaS: Stripe, Square, PayPal/Braintree, Shopify, Razorpay, Flutterwave,
//!   Plaid, Twilio, SendGrid, Mailgun, Mailchimp, Brevo, Slack (tokens and webhooks), Discord,
//!   Telegram, Teams webhooks, Sentry, Datadog, New Relic, Linear, Notion, Airtable, Asana, Okta,
//!   Dropbox, Figma, HubSpot, Mapbox, Twitter/X, Facebook and others.
//! - Private keys: PEM blocks (`RSA`, `EC`, `DSA`, `OPENSSH`, `ENCRYPTED`, PKCS#8, PGP), the
//!   whole block (up to 64 KiB) as one `PRIVATE_KEY` finding.
//! - `JWT`: three base64url parts whose header decodes to JSON with `alg`.
//! - `URL_PASSWORD` (`scheme://user:password@host`, the password only) and `CONNECTION_STRING`
//!   (the same for database and broker schemes, and ADO.NET `Password=…;`).
//! - `GENERIC_SECRET`: a value assigned to a name with `password`, `secret`, `token`,
//!   `api_key`, `auth`, `credential`, … whose Shannon entropy passes `minEntropy`; placeholders
//!   (`<your-key>`, `xxxx`, `changeme`, `${VAR}`, `process.env.X`), paths, URLs, words,
//!   numbers and lockfile hashes are not reported.
//!
//! Every finding has `detail.rule` (the rule id) and `detail.provider`; GitHub classic and npm
//! tokens add `detail.checksum` (`valid` or `invalid`). Scores: 1.0 for a valid checksum, 0.9
//! for a distinctive prefix, 0.6 for an invalid checksum, 0.75 for keyword context, 0.5–0.7 for
//! the generic detector.
//!
//! # Options
//!
//! `rules` (ids to enable, default all), `exclude` (ids to disable), `entropy` (the generic
//! detector, default `true`), `minEntropy` (bits per character, default 3.5) and
//! `requireChecksum` (drop tokens whose checksum fails, default `false`). Unknown rule ids are
//! `invalid_argument` errors.

mod entropy;
mod matcher;
mod prefilter;
mod rules;
mod special;

use crate::guard::checksum::base62_crc32_token;
use crate::guard::finding::{trailing_token_start, Finding, Scanner};
use crate::guard::options::Options;
use crate::{Error, ErrorKind, Result};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use matcher::{assignment, backward, forward, left_boundary, lit_at, right_boundary};
use rules::{Check, Part, Rule, RULES};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A rule, as listed for documentation and for JavaScript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule id in kebab case (`github-pat`), as in `detail.rule` and the `rules` option.
    pub id: &'static str,
    /// The finding kind it reports (`GITHUB_TOKEN`).
    pub kind: &'static str,
    /// Who issues the secret (`github`), as in `detail.provider`.
    pub provider: &'static str,
    /// One line about what it finds.
    pub description: &'static str,
    /// The keywords (token prefixes or context names) that trigger it, case as written.
    pub keywords: Vec<&'static str>,
}

/// Rules with hand-written matchers: (id, kind, provider, description, keywords).
const SPECIALS: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "private-key",
        "PRIVATE_KEY",
        "pem",
        "PEM private key block (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8, PGP)",
        &["-----BEGIN "],
    ),
    ("gcp-service-account-key", "PRIVATE_KEY", "google", "Private key in a GCP service-account JSON file", &["-----BEGIN "]),
    ("jwt", "JWT", "jwt", "JSON Web Token whose header decodes to JSON with alg", &["eyJ"]),
    ("url-password", "URL_PASSWORD", "url", "Password in a URL's user information (scheme://user:password@host)", &["://"]),
    (
        "connection-string",
        "CONNECTION_STRING",
        "database",
        "Password in a database or broker URL (postgres, mysql, mongodb, redis, amqp, ...)",
        &["://"],
    ),
    (
        "ado-net-password",
        "CONNECTION_STRING",
        "database",
        "Password of an ADO.NET connection string (Server=...;Password=...;)",
        &["password=", "pwd="],
    ),
    (
        "generic-secret",
        "GENERIC_SECRET",
        "generic",
        "High-entropy value assigned to a password, secret, token or key name",
        GENERIC_KEYWORDS,
    ),
];
const PEM: usize = 0;
const GCP_SERVICE_ACCOUNT: usize = 1;
const JWT: usize = 2;
const URL: usize = 3;
const CONNECTION: usize = 4;
const ADO: usize = 5;
const GENERIC: usize = 6;

/// Names whose assigned value the generic detector judges.
const GENERIC_KEYWORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "token",
    "api_key",
    "api-key",
    "apikey",
    "auth",
    "credential",
    "private_key",
    "access_key",
];

/// Every rule: the table's, then the hand-written ones.
pub fn rules() -> &'static [RuleInfo] {
    static INFOS: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    INFOS.get_or_init(|| {
        let mut infos: Vec<RuleInfo> = RULES
            .iter()
            .map(|rule| RuleInfo {
                id: rule.id,
                kind: rule.kind,
                provider: rule.provider,
                description: rule.description,
                keywords: if rule.context.is_empty() {
                    rules::compile(rule.spec)
                        .ok()
                        .and_then(|c| match c.anchor.map(|a| &c.parts[a]) {
                            Some(Part::Lits(alternatives)) => Some(alternatives.clone()),
                            _ => None,
                        })
                        .unwrap_or_default()
                } else {
                    rule.context.to_vec()
                },
            })
            .collect();
        infos.extend(SPECIALS.iter().map(|&(id, kind, provider, description, keywords)| RuleInfo {
            id,
            kind,
            provider,
            description,
            keywords: keywords.to_vec(),
        }));
        infos
    })
}

/// What a keyword found by the automaton sets off.
#[derive(Debug, Clone, Copy)]
enum Trigger {
    /// A table rule's anchor literal (alternative `alt`).
    Anchor {
        rule: u16,
        alt: u8,
    },
    /// A keyword-context table rule.
    Context(u16),
    Pem,
    Jwt,
    Url,
    Ado,
    Generic,
}

/// An enabled table rule with its spec parsed.
#[derive(Debug)]
struct Active {
    rule: &'static Rule,
    parts: Vec<Part>,
    anchor: usize,
}

/// The secrets scanner (see the [module docs](self)).
#[derive(Debug)]
pub struct SecretScanner {
    anchors: prefilter::Anchors,
    anchor_patterns: Vec<(String, bool)>,
    anchor_triggers: Vec<Vec<Trigger>>,
    context: Option<AhoCorasick>,
    context_triggers: Vec<Vec<Trigger>>,
    active: Vec<Active>,
    special: [bool; SPECIALS.len()],
    min_entropy: f64,
    require_checksum: bool,
}

fn internal(message: String) -> Error {
    Error::new(ErrorKind::Internal, message)
}

impl SecretScanner {
    /// Builds the scanner from its options (`true`/`null` for the defaults, or an object with
    /// `rules`, `exclude`, `entropy`, `minEntropy`, `requireChecksum`).
    pub fn from_options(options: &Value) -> Result<SecretScanner> {
        let options = Options::new("secrets", options, &["rules", "exclude", "entropy", "minEntropy", "requireChecksum"])?;
        let ids: Vec<&str> = rules().iter().map(|rule| rule.id).collect();
        let only = options.names("rules", &ids)?;
        let exclude = options.names("exclude", &ids)?.unwrap_or_default();
        let entropy = options.bool("entropy")?.unwrap_or(true);
        let min_entropy = options.number("minEntropy", 0.0, 8.0)?.unwrap_or(3.5);
        let require_checksum = options.bool("requireChecksum")?.unwrap_or(false);
        let enabled = |id: &str| only.as_ref().is_none_or(|only| only.contains(&id)) && !exclude.contains(&id);

        let mut anchored = Keywords::default();
        let mut contextual = Keywords::default();
        let mut active = Vec::new();
        for rule in RULES.iter().filter(|rule| enabled(rule.id)) {
            let compiled = rules::compile(rule.spec).map_err(internal)?;
            let number = u16::try_from(active.len()).map_err(|_| internal("too many rules".into()))?;
            let anchor = if rule.context.is_empty() {
                let anchor = compiled.anchor.ok_or_else(|| internal(format!("rule {} has no anchor", rule.id)))?;
                let Part::Lits(alternatives) = &compiled.parts[anchor] else { unreachable!("anchors are literals") };
                for (alt, keyword) in alternatives.iter().enumerate() {
                    anchored.add(keyword, rule.ci, Trigger::Anchor { rule: number, alt: alt as u8 });
                }
                anchor
            } else {
                for keyword in rule.context {
                    contextual.add(keyword, true, Trigger::Context(number));
                }
                0
            };
            active.push(Active { rule, parts: compiled.parts, anchor });
        }
        let mut special = [false; SPECIALS.len()];
        for (i, on) in special.iter_mut().enumerate() {
            *on = enabled(SPECIALS[i].0) && (i != GENERIC || entropy);
        }
        if special[PEM] || special[GCP_SERVICE_ACCOUNT] {
            anchored.add("-----BEGIN ", false, Trigger::Pem);
        }
        if special[JWT] {
            anchored.add("eyJ", false, Trigger::Jwt);
        }
        if special[URL] || special[CONNECTION] {
            anchored.add("://", false, Trigger::Url);
        }
        if special[ADO] {
            anchored.add("password=", true, Trigger::Ado);
            anchored.add("pwd=", true, Trigger::Ado);
        }
        if special[GENERIC] {
            for keyword in GENERIC_KEYWORDS {
                contextual.add(keyword, true, Trigger::Generic);
            }
        }
        let context = if contextual.patterns.is_empty() {
            None
        } else {
            let patterns: Vec<&str> = contextual.patterns.iter().map(|(keyword, _)| keyword.as_str()).collect();
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .map_err(|error| internal(format!("secrets keyword automaton: {error}")))?,
            )
        };
        let anchors = prefilter::Anchors::new(&anchored.patterns, context.is_some());
        Ok(SecretScanner {
            anchors,
            anchor_patterns: anchored.patterns,
            anchor_triggers: anchored.triggers,
            context,
            context_triggers: contextual.triggers,
            active,
            special,
            min_entropy,
            require_checksum,
        })
    }

    /// A table rule at an anchor keyword found at `at`.
    fn anchored(&self, text: &str, at: usize, rule: u16, alt: u8) -> Option<Candidate> {
        let bytes = text.as_bytes();
        let Active { rule, parts, anchor } = &self.active[rule as usize];
        let Part::Lits(alternatives) = &parts[*anchor] else { return None };
        let literal = alternatives[alt as usize];
        if !lit_at(bytes, at, literal, rule.ci) {
            return None;
        }
        let token_start = backward(bytes, at, &parts[..*anchor], rule.ci)?;
        let (end, mark) = forward(bytes, at, &parts[*anchor..], rule.ci)?;
        if !left_boundary(bytes, token_start, parts) || !right_boundary(bytes, end, parts) {
            return None;
        }
        let checksum = (rule.check == Check::Crc32Base62).then(|| base62_crc32_token(&text[at + literal.len()..end]));
        self.table_candidate(text, mark.unwrap_or(token_start), end, rule, checksum, 4)
    }

    /// A keyword-context table rule whose value starts at `value`.
    fn in_context(&self, text: &str, value: usize, rule: u16) -> Option<Candidate> {
        let bytes = text.as_bytes();
        let Active { rule, parts, .. } = &self.active[rule as usize];
        let (end, mark) = forward(bytes, value, parts, rule.ci)?;
        if !left_boundary(bytes, value, parts) || !right_boundary(bytes, end, parts) {
            return None;
        }
        self.table_candidate(text, mark.unwrap_or(value), end, rule, None, 3)
    }

    fn table_candidate(
        &self,
        text: &str,
        start: usize,
        end: usize,
        rule: &Rule,
        checksum: Option<bool>,
        priority: u8,
    ) -> Option<Candidate> {
        let token = &text.as_bytes()[start..end];
        if start >= end
            || (rule.min_entropy > 0.0 && entropy::shannon(token) < f64::from(rule.min_entropy))
            || (rule.check == Check::NotExample && token.ends_with(b"EXAMPLE"))
            || (self.require_checksum && checksum == Some(false))
        {
            return None;
        }
        let score = match checksum {
            Some(true) => 1.0,
            Some(false) => 0.6,
            None => f64::from(rule.score),
        };
        let mut finding = Finding::new("secrets", rule.kind, start, end)
            .with_score(score)
            .with_detail("rule", rule.id)
            .with_detail("provider", rule.provider);
        if let Some(valid) = checksum {
            finding = finding.with_detail("checksum", if valid { "valid" } else { "invalid" });
        }
        Some(Candidate { priority: priority + u8::from(checksum == Some(true)), finding, generic: None })
    }

    /// Runs what a keyword at `start..end` triggers.
    fn fire(
        &self,
        text: &str,
        trigger: Trigger,
        start: usize,
        end: usize,
        value: &mut Option<Option<usize>>,
        pem_state: &mut special::PemState,
    ) -> Option<Candidate> {
        let bytes = text.as_bytes();
        match trigger {
            Trigger::Anchor { rule, alt } => self.anchored(text, start, rule, alt),
            Trigger::Context(rule) => {
                let at = *value.get_or_insert_with(|| assignment(bytes, end).map(|(at, _)| at));
                at.and_then(|at| self.in_context(text, at, rule))
            }
            Trigger::Pem => special::pem(text, start, pem_state).and_then(|pem| {
                let which = if pem.service_account && self.special[GCP_SERVICE_ACCOUNT] {
                    GCP_SERVICE_ACCOUNT
                } else if self.special[PEM] {
                    PEM
                } else {
                    return None;
                };
                let mut candidate = self.special_candidate(which, start, pem.end, 1.0, 6);
                candidate.finding =
                    candidate.finding.with_detail("keyType", pem.key_type).with_detail("encrypted", pem.encrypted);
                Some(candidate)
            }),
            Trigger::Jwt => special::jwt(bytes, start).map(|(end, alg)| {
                let score = if alg.eq_ignore_ascii_case("none") { 0.8 } else { 0.9 };
                let mut candidate = self.special_candidate(JWT, start, end, score, 4);
                candidate.finding = candidate.finding.with_detail("alg", alg);
                candidate
            }),
            Trigger::Url => special::url_password(bytes, start).and_then(|(scheme, password)| {
                let scheme = text[scheme.0..scheme.1].to_ascii_lowercase();
                let which = if special::DATABASE_SCHEMES.contains(&scheme.as_str()) { CONNECTION } else { URL };
                self.special[which].then(|| {
                    let mut candidate = self.special_candidate(which, password.0, password.1, 0.9, 3);
                    candidate.finding = candidate.finding.with_detail("scheme", scheme);
                    candidate
                })
            }),
            Trigger::Ado => special::ado_password(bytes, start, end).map(|(from, to)| {
                let mut candidate = self.special_candidate(ADO, from, to, 0.85, 3);
                candidate.finding = candidate.finding.with_detail("format", "ado.net");
                candidate
            }),
            // Judged later, and only if no specific finding covers it (see `Candidate::generic`).
            Trigger::Generic => entropy::generic_span(bytes, start, end).map(|(from, to)| Candidate {
                priority: 1,
                finding: Finding::new("secrets", SPECIALS[GENERIC].1, from, to),
                generic: Some((start, end)),
            }),
        }
    }

    fn special_candidate(&self, which: usize, start: usize, end: usize, score: f64, priority: u8) -> Candidate {
        let (id, kind, provider, ..) = SPECIALS[which];
        let finding = Finding::new("secrets", kind, start, end)
            .with_score(score)
            .with_detail("rule", id)
            .with_detail("provider", provider);
        Candidate { priority, finding, generic: None }
    }

    /// Judges a generic candidate's value; its finding, or `None` when the value is not a
    /// secret. Other candidates are returned as they are.
    fn judged(&self, text: &str, mut candidate: Candidate) -> Option<Candidate> {
        let Some((start, end)) = candidate.generic.take() else { return Some(candidate) };
        let (from, to) = (candidate.finding.start, candidate.finding.end);
        let bits = entropy::generic_judge(&text.as_bytes()[from..to], self.min_entropy)?;
        let score = (0.5 + 0.1 * (bits - self.min_entropy)).clamp(0.5, 0.7);
        let mut judged = self.special_candidate(GENERIC, from, to, score, candidate.priority);
        judged.finding = judged
            .finding
            .with_detail("entropy", (bits * 100.0).round() / 100.0)
            .with_detail("keyword", text[start..end].to_ascii_lowercase());
        Some(judged)
    }
}

/// Keywords of one kind (anchored or contextual), each with what it triggers.
#[derive(Default)]
struct Keywords {
    patterns: Vec<(String, bool)>,
    triggers: Vec<Vec<Trigger>>,
    index: HashMap<(String, bool), usize>,
}

impl Keywords {
    fn add(&mut self, keyword: &str, ci: bool, trigger: Trigger) {
        let key = (if ci { keyword.to_ascii_lowercase() } else { keyword.to_owned() }, ci);
        let at = *self.index.entry(key.clone()).or_insert_with(|| {
            self.patterns.push(key);
            self.triggers.push(Vec::new());
            self.triggers.len() - 1
        });
        self.triggers[at].push(trigger);
    }
}

/// A match before overlaps are settled: the higher priority wins an overlap.
struct Candidate {
    priority: u8,
    finding: Finding,
    /// A generic detector's candidate not judged yet: the keyword's span. Judging (entropy,
    /// placeholders) is the costly part, and most such values are tokens a specific rule
    /// finds with a higher priority; an unjudged candidate that would lose its overlap is
    /// dropped unjudged, one that would be kept is judged first and dropped if it fails.
    generic: Option<(usize, usize)>,
}

impl Scanner for SecretScanner {
    fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        let bytes = text.as_bytes();
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut pem_state = special::PemState::default();
        let anchors = &self.anchors;
        let table = &anchors.table;
        let mut i = 0;
        while i + 1 < bytes.len() {
            // The hot loop: one bit test per byte pair.
            match bytes[i..].windows(2).position(|pair| anchors.hit(pair[0], pair[1])) {
                Some(offset) => i += offset,
                None => break,
            }
            let (b, next) = (bytes[i], bytes[i + 1]);
            if table[b as usize] & prefilter::ANCHOR != 0 {
                for &(pattern, offset) in anchors.bucket(b, next) {
                    let (keyword, ci) = &self.anchor_patterns[pattern as usize];
                    let Some(start) = i.checked_sub(offset as usize) else { continue };
                    if !lit_at(bytes, start, keyword, *ci) {
                        continue;
                    }
                    let end = start + keyword.len();
                    for &trigger in &self.anchor_triggers[pattern as usize] {
                        candidates.extend(self.fire(text, trigger, start, end, &mut None, &mut pem_state));
                    }
                }
            }
            if table[b as usize] & prefilter::OPERATOR != 0 {
                if let (Some(context), Some((from, to))) = (&self.context, prefilter::identifier_before(bytes, i)) {
                    for found in context.find_overlapping_iter(&bytes[from..to]) {
                        let (start, end) = (from + found.start(), from + found.end());
                        let mut value = None;
                        for &trigger in &self.context_triggers[found.pattern().as_usize()] {
                            candidates.extend(self.fire(text, trigger, start, end, &mut value, &mut pem_state));
                        }
                    }
                }
            }
            i += 1;
        }
        if candidates.is_empty() {
            return;
        }
        // Overlaps: the specific rule beats the generic one, the longer match the shorter.
        candidates.sort_by(|a, b| {
            a.finding.start.cmp(&b.finding.start).then(b.priority.cmp(&a.priority)).then(b.finding.end.cmp(&a.finding.end))
        });
        let mut kept: Vec<Candidate> = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            match kept.last_mut() {
                Some(last) if candidate.finding.start < last.finding.end => {
                    if candidate.priority > last.priority {
                        if let Some(candidate) = self.judged(text, candidate) {
                            *last = candidate;
                        }
                    }
                }
                _ => kept.extend(self.judged(text, candidate)),
            }
        }
        out.extend(kept.into_iter().map(|candidate| candidate.finding));
    }

    /// Holds back, besides the trailing token: the tail of the last line when it has an
    /// assignment (`password = ` may be waiting for its value), and an open PEM block (a
    /// `-----BEGIN ` in the last 16 KiB without its `-----END `).
    fn pending_from(&self, text: &str) -> usize {
        let mut from = trailing_token_start(text);
        let bytes = text.as_bytes();
        let mut window = from.saturating_sub(96);
        while !text.is_char_boundary(window) {
            window += 1;
        }
        let line_start = bytes[window..from].iter().rposition(|&b| b == b'\n').map_or(window, |i| window + i + 1);
        if bytes[line_start..from].iter().any(|&b| b == b'=' || b == b':') {
            from = line_start;
        }
        let mut tail = text.len().saturating_sub(16 * 1024);
        while !text.is_char_boundary(tail) {
            tail += 1;
        }
        if let Some(begin) = text[tail..].rfind("-----BEGIN ") {
            let begin = tail + begin;
            if !text[begin..].contains("-----END ") {
                from = from.min(begin);
            }
        }
        from
    }
}

#[doc(hidden)]
/// A format-valid, obviously fake example of a table rule's token (built from a fixed
/// alphabet; GitHub and npm examples carry a valid checksum), with the context a keyword
/// rule needs. For tests and documentation.
pub fn example(id: &str, variant: usize) -> Option<(String, String)> {
    let rule = RULES.iter().find(|rule| rule.id == id)?;
    let compiled = rules::compile(rule.spec).ok()?;
    let mut token = String::new();
    let mut mark = None;
    let mut counter = variant * 7 + 3;
    for part in &compiled.parts {
        match part {
            Part::Lits(alternatives) => token.push_str(alternatives[variant % alternatives.len()]),
            Part::Start => mark = Some(token.len()),
            Part::Run { set, min, max } => {
                let chars = rules::class_bytes(*set);
                let n = if *min == 0 { (*max).min(8) } else { *min };
                for _ in 0..n {
                    counter += 7;
                    token.push(chars[counter % chars.len()] as char);
                }
            }
        }
    }
    if rule.check == Check::Crc32Base62 {
        let checksum = crate::guard::checksum::base62_crc32(&token.as_bytes()[token.len() - 36..token.len() - 6]);
        token.truncate(token.len() - 6);
        token.push_str(std::str::from_utf8(&checksum).ok()?);
    }
    let secret = token[mark.unwrap_or(0)..].to_owned();
    let text = match rule.context.first() {
        Some(keyword) => format!("{keyword} = \"{token}\""),
        None => format!("value {token} here"),
    };
    Some((text, secret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scan(scanner: &SecretScanner, text: &str) -> Vec<(String, String)> {
        let mut findings = Vec::new();
        scanner.scan(text, &mut findings);
        crate::guard::sort_findings(&mut findings);
        findings.iter().map(|f| (f.kind.to_string(), f.text(text).to_owned())).collect()
    }

    #[test]
    fn table_compiles_and_ids_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for rule in rules() {
            assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
            assert!(rule.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", rule.id);
            assert!(rule.kind.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'), "{}", rule.kind);
            assert!(!rule.keywords.is_empty(), "{} has no keyword", rule.id);
        }
        for rule in RULES {
            rules::compile(rule.spec).unwrap_or_else(|e| panic!("{}: {e}", rule.id));
        }
        assert!(rules().len() >= 150, "{} rules", rules().len());
    }

    #[test]
    fn every_table_rule_finds_its_example() {
        let scanner = SecretScanner::from_options(&json!({"exclude": ["generic-secret"]})).unwrap();
        let mut failures = Vec::new();
        for rule in RULES {
            let (text, secret) = example(rule.id, 0).unwrap();
            let mut findings = Vec::new();
            scanner.scan(&text, &mut findings);
            if !findings.iter().any(|f| f.text(&text) == secret && f.detail["rule"] == rule.id) {
                failures.push(format!(
                    "{}: {text:?} -> {:?}",
                    rule.id,
                    findings.iter().map(|f| (&f.detail["rule"], f.text(&text))).collect::<Vec<_>>()
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn options_and_checksums() {
        assert_eq!(SecretScanner::from_options(&json!({"rules": ["nope"]})).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(SecretScanner::from_options(&json!({"minEntropy": 9})).unwrap_err().kind(), ErrorKind::InvalidArgument);
        let (text, token) = example("github-pat", 0).unwrap();
        let all = SecretScanner::from_options(&json!(null)).unwrap();
        let mut findings = Vec::new();
        all.scan(&text, &mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].detail["checksum"], "valid");
        assert_eq!(findings[0].score, Some(1.0));
        let broken = text.replace(&token[token.len() - 1..], if token.ends_with('A') { "B" } else { "A" });
        let strict = SecretScanner::from_options(&json!({"requireChecksum": true})).unwrap();
        assert_eq!(scan(&all, &broken).len(), 1);
        assert!(scan(&strict, &broken).is_empty());
        let only = SecretScanner::from_options(&json!({"rules": ["jwt"]})).unwrap();
        assert!(scan(&only, &text).is_empty());
    }

    #[test]
    fn pending_holds_back_assignments_and_open_keys() {
        let scanner = SecretScanner::from_options(&json!(true)).unwrap();
        assert_eq!(scanner.pending_from("hello world"), 6);
        let text = "intro\nDB_PASSWORD = ";
        assert_eq!(scanner.pending_from(text), 6);
        let text = "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n";
        assert_eq!(scanner.pending_from(text), 2);
        let text = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nok ";
        assert_eq!(scanner.pending_from(text), text.len());
    }

    #[test]
    fn no_panic_on_random_input() {
        let scanner = SecretScanner::from_options(&json!(true)).unwrap();
        let pieces = [
            "ghp_",
            "AKIA",
            "sk-",
            "://",
            "@",
            ":",
            "=",
            "password",
            "token",
            "\"",
            "eyJ",
            ".",
            "-----BEGIN ",
            "PRIVATE KEY-----",
            "-----END ",
            "é",
            "€",
            "😀",
            "\u{3000}",
            " ",
            "\n",
            "a",
            "Z",
            "9",
            "_",
            "-",
            "Q~",
            "-us",
            ":AA",
            ".atlasv1.",
            "_mmk",
            "xoxb-",
            "1234567890",
            "abcdef0123456789",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(next() % 40) {
                let r = next();
                if r % 5 == 0 {
                    text.push(char::from_u32((r >> 8) as u32 % 0x2FFFF).unwrap_or('x'));
                } else {
                    text.push_str(pieces[(r >> 8) as usize % pieces.len()]);
                }
            }
            let mut findings = Vec::new();
            scanner.scan(&text, &mut findings);
            for f in &findings {
                assert!(f.start < f.end && text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{text:?}");
            }
            let pending = scanner.pending_from(&text);
            assert!(pending <= text.len() && text.is_char_boundary(pending));
        }
    }
}
